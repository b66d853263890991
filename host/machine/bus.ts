// The system bus: maps guest physical address ranges to devices and answers the core's MMIO
// calls. Ranges may not overlap; an access to no device, one that crosses the end of a device's
// range, or one of a size other than 1, 2, 4 or 8 bytes is an access fault (M_MMIO_STATUS = 1,
// which the core turns into a load/store access-fault exception the guest sees).
import type { MmioHandler } from "../core/core.js";
import { hex } from "../core/memory.js";
import { BusError } from "./errors.js";

/** A memory-mapped device. Offsets are relative to the base it is mapped at. */
export interface MmioDevice {
  /** Short name for diagnostics ("uart0", "clint", ...). */
  readonly name: string;
  /** Reads `size` bytes at `offset`; undefined means the device rejects the access (fault). */
  read(offset: number, size: number, hart: number): bigint | undefined;
  /** Writes `size` bytes of `value` at `offset`; false means the device rejects it (fault). */
  write(offset: number, size: number, value: bigint, hart: number): boolean;
}

/** One device mapped on the bus, with its access counters. */
export interface BusMapping {
  /** Guest physical base address. */
  readonly base: number;
  /** Length of the range in bytes. */
  readonly size: number;
  /** One past the last address. */
  readonly end: number;
  /** The device answering the range. */
  readonly device: MmioDevice;
  /** Name shown in diagnostics (defaults to the device's name). */
  readonly name: string;
  /** Reads that reached the device. */
  reads: number;
  /** Writes that reached the device. */
  writes: number;
}

/** Record of the most recent access that faulted on the bus. */
export interface BusFault {
  /** "read" or "write". */
  kind: "read" | "write";
  /** Guest physical address. */
  address: number;
  /** Access size in bytes. */
  size: number;
  /** Hart that made the access. */
  hart: number;
  /** Why it faulted. */
  reason: "unmapped" | "crosses-end" | "bad-size" | "rejected";
}

/** Maps guest physical ranges to devices (sorted, non-overlapping) and dispatches accesses. */
export class Bus implements MmioHandler {
  private list: BusMapping[] = [];
  private last: BusMapping | undefined;
  /** Accesses that faulted (no device, bad size, rejected by the device). */
  faults = 0;
  /** The most recent faulting access, for diagnostics. */
  lastFault: BusFault | undefined;

  /** Maps `device` at [base, base + size); BusError if the range is empty, invalid or overlaps. */
  map(base: number, size: number, device: MmioDevice, name: string = device.name): BusMapping {
    if (!Number.isSafeInteger(base) || base < 0) throw new BusError(`cannot map ${name}: invalid base address ${base}`);
    if (!Number.isSafeInteger(size) || size <= 0) throw new BusError(`cannot map ${name}: size must be positive (got ${size})`);
    const end = base + size;
    if (!Number.isSafeInteger(end)) throw new BusError(`cannot map ${name}: range ${hex(base)}+${hex(size)} overflows`);
    for (const other of this.list) {
      if (base < other.end && other.base < end) {
        throw new BusError(`cannot map ${name} at [${hex(base)}, ${hex(end)}): overlaps ${other.name} at ` +
          `[${hex(other.base)}, ${hex(other.end)})`);
      }
    }
    const mapping: BusMapping = { base, size, end, device, name, reads: 0, writes: 0 };
    this.list.push(mapping);
    this.list.sort((a, b) => a.base - b.base);
    return mapping;
  }

  /** Removes the mapping that starts at `base`; returns whether one was removed. */
  unmap(base: number): boolean {
    const index = this.list.findIndex((m) => m.base === base);
    if (index < 0) return false;
    if (this.last === this.list[index]) this.last = undefined;
    this.list.splice(index, 1);
    return true;
  }

  /** Every mapping, sorted by base address. */
  mappings(): readonly BusMapping[] {
    return this.list;
  }

  /** Returns the mapping containing `address`, if any. */
  find(address: number): BusMapping | undefined {
    const last = this.last;
    if (last && address >= last.base && address < last.end) return last;
    let lo = 0, hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.list[mid]!;
      if (address < m.base) hi = mid - 1;
      else if (address >= m.end) lo = mid + 1;
      else return (this.last = m);
    }
    return undefined;
  }

  /** Reads `size` bytes at guest physical `address`; undefined on an access fault. */
  read(hart: number, address: number, size: number): bigint | undefined {
    const m = this.route("read", hart, address, size);
    if (!m) return undefined;
    m.reads++;
    const value = m.device.read(address - m.base, size, hart);
    if (value === undefined) {
      this.fault("read", hart, address, size, "rejected");
      return undefined;
    }
    return size === 8 ? BigInt.asUintN(64, value) : BigInt.asUintN(size * 8, value);
  }

  /** Writes `size` bytes of `value` at guest physical `address`; false on an access fault. */
  write(hart: number, address: number, size: number, value: bigint): boolean {
    const m = this.route("write", hart, address, size);
    if (!m) return false;
    m.writes++;
    if (!m.device.write(address - m.base, size, BigInt.asUintN(size * 8, value), hart)) {
      this.fault("write", hart, address, size, "rejected");
      return false;
    }
    return true;
  }

  private route(kind: "read" | "write", hart: number, address: number, size: number): BusMapping | undefined {
    if (size !== 1 && size !== 2 && size !== 4 && size !== 8) {
      this.fault(kind, hart, address, size, "bad-size");
      return undefined;
    }
    const m = this.find(address);
    if (!m) {
      this.fault(kind, hart, address, size, "unmapped");
      return undefined;
    }
    if (address + size > m.end) {
      this.fault(kind, hart, address, size, "crosses-end");
      return undefined;
    }
    return m;
  }

  private fault(kind: "read" | "write", hart: number, address: number, size: number, reason: BusFault["reason"]): void {
    this.faults++;
    this.lastFault = { kind, address, size, hart, reason };
  }
}

/** Returns the `size`-byte little-endian slice of a 64-bit register `value` at byte `offset`. */
export function extractBytes(value: bigint, offset: number, size: number): bigint {
  return BigInt.asUintN(size * 8, value >> BigInt(offset * 8));
}

/** Returns `old` with `size` bytes at byte `offset` replaced by the low bytes of `value`. */
export function insertBytes(old: bigint, offset: number, size: number, value: bigint): bigint {
  const shift = BigInt(offset * 8);
  const mask = ((1n << BigInt(size * 8)) - 1n) << shift;
  return BigInt.asUintN(64, (old & ~mask) | ((BigInt.asUintN(size * 8, value) << shift) & mask));
}
