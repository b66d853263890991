// What every loader produces: a boot image, i.e. byte chunks to place in guest RAM, the entry
// point and the HTIF words, independent of the file format it came from. The machine keeps the
// image so that a guest-requested reset can place it again.
import { readFile } from "node:fs/promises";
import type { GuestRam } from "../core/memory.js";
import { hex } from "../core/memory.js";
import { LoadError } from "../machine/errors.js";

/** One contiguous piece of an image: `data` at `address`, followed by `zeroFill` zero bytes. */
export interface ImageChunk {
  /** Guest physical address of the first byte. */
  readonly address: number;
  /** Bytes copied from the file. */
  readonly data: Uint8Array;
  /** Zero bytes after the data (an ELF segment's bss). */
  readonly zeroFill: number;
}

/** A loadable image, already checked against the RAM it is meant for. */
export interface BootImage {
  /** "elf" or "raw". */
  readonly format: "elf" | "raw";
  /** Guest physical address where the harts start. */
  readonly entry: bigint;
  /** Pieces to place in RAM. */
  readonly chunks: readonly ImageChunk[];
  /** Guest physical address of the HTIF tohost word, if the image has one. */
  readonly tohost?: bigint;
  /** Guest physical address of the HTIF fromhost word, if the image has one. */
  readonly fromhost?: bigint;
  /** Looks up a symbol's guest physical address by name (ELF images only). */
  symbol(name: string): bigint | undefined;
}

/** Copies every chunk of `image` into `ram` and zero-fills the rest of each chunk. */
export function writeImage(image: BootImage, ram: GuestRam): void {
  for (const chunk of image.chunks) {
    const end = chunk.address + chunk.data.length + chunk.zeroFill;
    if (!ram.contains(chunk.address, chunk.data.length + chunk.zeroFill)) {
      throw new LoadError(`image piece [${hex(chunk.address)}, ${hex(end)}) lies outside RAM [${hex(ram.base)}, ${hex(ram.end)})`);
    }
    ram.write(chunk.address, chunk.data);
    if (chunk.zeroFill > 0) ram.fill(chunk.address + chunk.data.length, chunk.zeroFill, 0);
  }
}

/** Reads a whole image file; LoadError with a one-line reason if it cannot. */
export async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file"
      : code === "EISDIR" ? "is a directory"
      : code === "EACCES" ? "permission denied"
      : (error as Error).message;
    throw new LoadError(`cannot read '${path}': ${reason}`, undefined, { cause: error });
  }
}

/** True if `bytes` starts with the ELF magic number. */
export function looksLikeElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}
