// Raw binary images: the file's bytes placed verbatim at a guest physical address (DRAM_BASE
// unless told otherwise), with the harts starting at that address — what QEMU's `-bios` does
// with a .bin file and what `--raw ADDR` selects on the command line.
import type { GuestRam } from "../core/memory.js";
import { DRAM_BASE_ADDRESS, hex } from "../core/memory.js";
import { LoadError } from "../machine/errors.js";
import type { BootImage } from "./image.js";

/** Default load address of raw images: the start of DRAM. */
export const DEFAULT_RAW_ADDRESS = BigInt(DRAM_BASE_ADDRESS);

/** Options for rawBootImage. */
export interface RawImageOptions {
  /** Guest physical load address (default DRAM_BASE). */
  address?: bigint;
  /** Entry point (default: the load address). */
  entry?: bigint;
  /** Name used in messages. */
  source?: string;
}

/** Checks that `bytes` fits in `ram` at the load address and returns its boot image. */
export function rawBootImage(bytes: Uint8Array, ram: GuestRam, options: RawImageOptions = {}): BootImage {
  const address = options.address ?? DEFAULT_RAW_ADDRESS;
  const entry = options.entry ?? address;
  const source = options.source ?? "raw image";
  if (bytes.length === 0) throw new LoadError(`${source}: the file is empty`);
  if (address % 2n !== 0n) throw new LoadError(`${source}: load address ${hex(address)} is not 2-byte aligned`);
  if (!ram.contains(address, bytes.length)) {
    throw new LoadError(`${source}: ${bytes.length} bytes at ${hex(address)} do not fit in RAM ` +
      `[${hex(ram.base)}, ${hex(ram.end)})`);
  }
  if (!ram.contains(entry, 2)) throw new LoadError(`${source}: entry point ${hex(entry)} is outside RAM`);
  return {
    format: "raw", entry,
    chunks: [{ address: Number(address), data: bytes, zeroFill: 0 }],
    symbol: () => undefined,
  };
}
