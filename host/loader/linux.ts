// Linux kernel images for RISC-V (`arch/riscv/boot/Image`, optionally gzip-compressed) and the
// boot layout around them: the kernel at DRAM_BASE + text_offset, the initrd and the device tree
// near the top of RAM. The 64-byte header is described in
// ../shared/specs/linux-riscv-boot-image-header.rst; the boot protocol (a0 = hart id, a1 = DTB
// physical address, S-mode, satp = 0) is the one the kernel expects from SBI firmware.
import { gunzipSync } from "node:zlib";
import type { GuestRam } from "../core/memory.js";
import { hex } from "../core/memory.js";
import { LoadError } from "../machine/errors.js";
import type { BootImage, ImageChunk } from "./image.js";

/** Size of the RISC-V Linux image header. */
export const LINUX_HEADER_SIZE = 64;
/** "RISCV\0\0\0", the deprecated magic at offset 48 (header version < 0.2 and still written). */
export const LINUX_MAGIC = 0x5643534952n;
/** "RSC\x05" at offset 56 (header version >= 0.2). */
export const LINUX_MAGIC2 = 0x05435352;
/** Where OpenSBI's fw_dynamic and QEMU put a 64-bit kernel when the header is silent: 2 MiB in. */
export const DEFAULT_TEXT_OFFSET = 0x20_0000n;

/** What the header of a kernel image says. */
export interface LinuxHeader {
  /** Load offset from the start of DRAM. */
  readonly textOffset: bigint;
  /** Bytes the kernel occupies once running (includes bss): nothing else may be placed there. */
  readonly imageSize: bigint;
  /** Header version (major << 16 | minor). */
  readonly version: number;
}

/** True if `bytes` starts with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses `bytes` if gzip-compressed; LoadError naming `source` if the stream is corrupt. */
export function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (error) {
    throw new LoadError(`${source}: corrupt gzip data (${(error as Error).message})`, undefined, { cause: error });
  }
}

/** Parses and validates the header of a (decompressed) RISC-V Linux Image. */
export function parseLinuxHeader(image: Uint8Array, source = "kernel"): LinuxHeader {
  if (image.length < LINUX_HEADER_SIZE) {
    throw new LoadError(`${source}: ${image.length} bytes is too short for a RISC-V Linux image (header is 64 bytes)`);
  }
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const magic = view.getBigUint64(48, true), magic2 = view.getUint32(56, true);
  if (magic !== LINUX_MAGIC && magic2 !== LINUX_MAGIC2) {
    throw new LoadError(`${source}: not a RISC-V Linux Image (no "RISCV"/"RSC\\x05" magic in the header)`);
  }
  if ((view.getBigUint64(24, true) & 1n) !== 0n) throw new LoadError(`${source}: big-endian kernels are not supported`);
  const version = view.getUint32(32, true);
  const textOffset = view.getBigUint64(8, true);
  let imageSize = view.getBigUint64(16, true);
  if (imageSize === 0n) imageSize = BigInt(image.length); // header < 0.2 may leave it 0
  if (imageSize < BigInt(image.length)) {
    throw new LoadError(`${source}: header image_size ${imageSize} is smaller than the file (${image.length} bytes)`);
  }
  if (textOffset % 0x1000n !== 0n) throw new LoadError(`${source}: text_offset ${hex(textOffset)} is not page aligned`);
  return { textOffset, imageSize, version };
}

/** Options of the Linux boot layout. */
export interface LinuxBootOptions {
  /** Initial RAM disk (cpio, optionally compressed: the kernel decompresses it). */
  initrd?: Uint8Array;
  /** Size of the device tree blob to reserve room for (placed by the caller at `dtbAddress`). */
  dtbSize: number;
  /** Name of the kernel file for messages. */
  source?: string;
}

/** The kernel image placed in RAM plus where the initrd and the DTB go. */
export interface LinuxBootLayout {
  readonly image: BootImage;
  readonly header: LinuxHeader;
  /** Guest physical address of the DTB (8-byte aligned, above everything else). */
  readonly dtbAddress: bigint;
  /** Guest physical range of the initrd, if any. */
  readonly initrd?: { start: bigint; end: bigint };
}

const align = (value: bigint, to: bigint) => (value + to - 1n) / to * to;
const alignDown = (value: bigint, to: bigint) => value / to * to;

/** Lays out a kernel (already decompressed), an optional initrd and the DTB in `ram`. The DTB
 *  goes at the top of RAM (2 MiB-aligned block, as QEMU does), the initrd just below it; both
 *  must stay clear of the kernel's image_size. */
export function linuxBootLayout(kernel: Uint8Array, ram: GuestRam, options: LinuxBootOptions): LinuxBootLayout {
  const source = options.source ?? "kernel";
  const header = parseLinuxHeader(kernel, source);
  const ramBase = BigInt(ram.base), ramEnd = BigInt(ram.end);
  const kernelStart = ramBase + header.textOffset;
  const kernelEnd = kernelStart + header.imageSize;
  if (kernelEnd > ramEnd) {
    throw new LoadError(`${source}: the kernel needs [${hex(kernelStart)}, ${hex(kernelEnd)}) but RAM ends at ${hex(ramEnd)}`);
  }
  const dtbAddress = alignDown(ramEnd - BigInt(options.dtbSize), 0x20_0000n) > kernelEnd
    ? alignDown(ramEnd - BigInt(options.dtbSize), 0x20_0000n)
    : alignDown(ramEnd - BigInt(options.dtbSize), 8n);
  if (dtbAddress < kernelEnd) throw new LoadError(`${source}: no room for the device tree above the kernel; give the guest more memory`);
  const chunks: ImageChunk[] = [{ address: Number(kernelStart), data: kernel, zeroFill: 0 }];
  let initrd: { start: bigint; end: bigint } | undefined;
  if (options.initrd) {
    // One page gap below the DTB: firmware boot puts struct fw_dynamic_info there.
    const start = alignDown(dtbAddress - 0x1000n - BigInt(options.initrd.length), 0x1000n);
    if (start < align(kernelEnd, 0x1000n)) {
      throw new LoadError(`initrd of ${options.initrd.length} bytes does not fit between the kernel and the device tree; give the guest more memory`);
    }
    chunks.push({ address: Number(start), data: options.initrd, zeroFill: 0 });
    initrd = { start, end: start + BigInt(options.initrd.length) };
  }
  const image: BootImage = { format: "raw", entry: kernelStart, chunks, symbol: () => undefined };
  return { image, header, dtbAddress, initrd };
}
