// The one shared WebAssembly.Memory (DESIGN.md §2) and the host's views of it.
//
// Linear memory holds, in this order: the core's static data, the machine block, the hart
// blocks, TLBs and decode caches (all below RAM_HOST_BASE), then guest DRAM: guest physical
// DRAM_BASE + n lives at linear address RAM_HOST_BASE + n. The host sizes the memory to cover
// exactly RAM_HOST_BASE + RAM size and never grows it, so typed-array views made once over
// `memory.buffer` stay valid for the life of the machine (a SharedArrayBuffer is never detached;
// it would merely not see pages added by a grow, which we never do).
import { DRAM_BASE, RAM_HOST_BASE } from "./layout.generated.js";
import { ConfigError, LoadError } from "../machine/errors.js";

/** Bytes per WebAssembly page. */
export const WASM_PAGE_SIZE = 0x1_0000;
/** Largest page count of a 32-bit linear memory (4 GiB). */
export const MAX_WASM_PAGES = 0x1_0000;
/** Smallest guest RAM the host accepts (1 MiB). */
export const MIN_RAM_SIZE = 0x10_0000;
/** Largest guest RAM: what fits in 4 GiB of linear memory above RAM_HOST_BASE. */
export const MAX_RAM_SIZE = MAX_WASM_PAGES * WASM_PAGE_SIZE - RAM_HOST_BASE;
/** Guest physical base of DRAM as a number (it is well below 2^53). */
export const DRAM_BASE_ADDRESS = Number(DRAM_BASE);

/** Returns the number of wasm pages needed for the core's area plus `ramSize` bytes of RAM. */
export function memoryPagesFor(ramSize: number): number {
  return Math.ceil((RAM_HOST_BASE + ramSize) / WASM_PAGE_SIZE);
}

/** Throws ConfigError unless `ramSize` is a whole number of 4 KiB pages within the limits. */
export function validateRamSize(ramSize: number): void {
  if (!Number.isSafeInteger(ramSize) || ramSize <= 0) {
    throw new ConfigError(`memory size must be a positive whole number of bytes (got ${ramSize})`);
  }
  if (ramSize % 4096 !== 0) throw new ConfigError(`memory size must be a multiple of 4 KiB (got ${ramSize} bytes)`);
  if (ramSize < MIN_RAM_SIZE) throw new ConfigError(`memory size must be at least 1 MiB (got ${ramSize} bytes)`);
  if (ramSize > MAX_RAM_SIZE) {
    throw new ConfigError(`memory size ${ramSize} bytes is too large: at most ${MAX_RAM_SIZE} bytes ` +
      `(4 GiB of wasm linear memory minus the core's ${RAM_HOST_BASE / 0x10_0000} MiB)`);
  }
}

/** Creates the shared linear memory for `ramSize` bytes of guest RAM (never grown afterwards). */
export function createSharedMemory(ramSize: number): WebAssembly.Memory {
  validateRamSize(ramSize);
  const pages = memoryPagesFor(ramSize);
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch (error) {
    throw new ConfigError(`cannot allocate ${pages * WASM_PAGE_SIZE} bytes of shared memory for a ` +
      `${ramSize}-byte guest: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
  }
}

/** Typed views over the whole linear memory, shared by every accessor. */
export class MemoryViews {
  /** The memory's buffer, captured once (the memory is never grown). */
  readonly buffer: ArrayBufferLike;
  /** Byte view. */
  readonly u8: Uint8Array;
  /** 32-bit view (index = byte offset / 4). */
  readonly u32: Uint32Array;
  /** 64-bit view (index = byte offset / 8). */
  readonly u64: BigUint64Array;
  /** Unaligned little-endian access. */
  readonly view: DataView;

  /** Creates the views over `memory`. */
  constructor(readonly memory: WebAssembly.Memory) {
    this.buffer = memory.buffer;
    this.u8 = new Uint8Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.u64 = new BigUint64Array(this.buffer);
    this.view = new DataView(this.buffer);
  }
}

/** Guest physical RAM: DRAM_BASE .. DRAM_BASE + size, backed by linear memory at RAM_HOST_BASE. */
export class GuestRam {
  /** RAM size in bytes. */
  readonly size: number;
  /** Guest physical address of the first byte. */
  readonly base = DRAM_BASE_ADDRESS;
  /** Guest physical address one past the last byte. */
  readonly end: number;
  /** Byte view of exactly the guest's RAM (index 0 = DRAM_BASE). */
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  /** Creates the RAM view; `size` bytes must fit in the memory above RAM_HOST_BASE. */
  constructor(views: MemoryViews, size: number) {
    if (RAM_HOST_BASE + size > views.u8.length) {
      throw new ConfigError(`RAM of ${size} bytes does not fit in a linear memory of ${views.u8.length} bytes`);
    }
    this.size = size;
    this.end = this.base + size;
    this.bytes = new Uint8Array(views.buffer, RAM_HOST_BASE, size);
    this.view = new DataView(views.buffer, RAM_HOST_BASE, size);
  }

  /** Called when a device may write guest physical [address, address + length) by DMA (the DBT
   *  engine drops translated code there); unset, device writes need no bookkeeping. */
  deviceWriteListener: ((address: number, length: number) => void) | undefined;

  /** Reports a range a device may write (virtio's device-writable buffers). */
  noteDeviceWrite(address: number, length: number): void {
    this.deviceWriteListener?.(address, length);
  }

  /** True if the guest physical range [address, address + length) lies wholly in RAM. */
  contains(address: number | bigint, length: number | bigint = 1): boolean {
    const start = BigInt(address), len = BigInt(length);
    return len >= 0n && start >= BigInt(this.base) && start + len <= BigInt(this.end);
  }

  /** Copies `data` to guest physical `address`; LoadError if it does not fit in RAM. */
  write(address: number, data: Uint8Array): void {
    this.check(address, data.length);
    this.bytes.set(data, address - this.base);
  }

  /** Fills `length` bytes at guest physical `address` with `value` (default 0). */
  fill(address: number, length: number, value = 0): void {
    this.check(address, length);
    this.bytes.fill(value, address - this.base, address - this.base + length);
  }

  /** Returns a copy of `length` bytes at guest physical `address`. */
  read(address: number, length: number): Uint8Array {
    this.check(address, length);
    return this.bytes.slice(address - this.base, address - this.base + length);
  }

  /** Reads the little-endian u64 at guest physical `address`. */
  read64(address: number): bigint {
    this.check(address, 8);
    return this.view.getBigUint64(address - this.base, true);
  }

  /** Writes the little-endian u64 `value` at guest physical `address`. */
  write64(address: number, value: bigint): void {
    this.check(address, 8);
    this.view.setBigUint64(address - this.base, BigInt.asUintN(64, value), true);
  }

  /** Reads the little-endian u32 at guest physical `address`. */
  read32(address: number): number {
    this.check(address, 4);
    return this.view.getUint32(address - this.base, true);
  }

  /** Writes the little-endian u32 `value` at guest physical `address`. */
  write32(address: number, value: number): void {
    this.check(address, 4);
    this.view.setUint32(address - this.base, value >>> 0, true);
  }

  private check(address: number, length: number): void {
    if (!Number.isSafeInteger(address) || !Number.isSafeInteger(length) || !this.contains(address, length)) {
      throw new LoadError(`guest physical range ${hex(address)}+${length} lies outside RAM ` +
        `[${hex(this.base)}, ${hex(this.end)})`);
    }
  }
}

/** Formats a number or bigint as 0x-prefixed hex. */
export function hex(value: number | bigint): string {
  return "0x" + value.toString(16);
}
