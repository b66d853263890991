// CLINT (SiFive layout, the ACLINT MSWI + MTIMER pair QEMU `virt` maps at 0x0200_0000):
//   0x0000 + 4·hart  msip      bit 0 drives the hart's machine software interrupt (mip.MSIP)
//   0x4000 + 8·hart  mtimecmp  machine timer compare value (64-bit)
//   0xbff8           mtime     the 10 MHz machine timer (64-bit)
// Accesses are 4 or 8 bytes, naturally aligned; 8-byte accesses to the msip array cover two
// harts. Registers of harts that do not exist, and the gaps, read as zero and ignore writes.
//
// The state lives where the core's hot path reads it: msip is bit 3 of the hart's H_EXT_IRQ
// (ORed into mip by the core), mtimecmp is H_MTIMECMP (the core raises MTIP from
// mtime ≥ mtimecmp itself), mtime comes from the machine's clock source (M_MTIME).
import type { HartState } from "../core/state.js";
import type { MmioDevice } from "../machine/bus.js";
import type { ClockSource } from "../machine/clock.js";

/** Size of the CLINT's address range. */
export const CLINT_SIZE = 0x1_0000;
/** Offset of hart 0's msip register. */
export const CLINT_MSIP = 0x0000;
/** Offset of hart 0's mtimecmp register. */
export const CLINT_MTIMECMP = 0x4000;
/** Offset of the mtime register. */
export const CLINT_MTIME = 0xbff8;
/** Interrupt number of the machine software interrupt (bit of mip). */
export const IRQ_MACHINE_SOFTWARE = 3;
/** Interrupt number of the machine timer interrupt (bit of mip). */
export const IRQ_MACHINE_TIMER = 7;

const MSIP_BIT = 1n << BigInt(IRQ_MACHINE_SOFTWARE);
const MSIP_END = CLINT_MTIMECMP; // msip array: 4095 harts at most
const MTIMECMP_END = CLINT_MTIME; // mtimecmp array: 4095 harts at most

/** The core-local interruptor: software interrupts and the machine timer of every hart. */
export class Clint implements MmioDevice {
  readonly name = "clint";

  /** Creates a CLINT for `harts` whose mtime is `clock`. */
  constructor(private readonly harts: readonly HartState[], private readonly clock: ClockSource) {}

  /** Reads a 4- or 8-byte register; undefined for other sizes or misaligned offsets. */
  read(offset: number, size: number): bigint | undefined {
    if ((size !== 4 && size !== 8) || offset % size !== 0) return undefined;
    if (size === 8) {
      if (offset === CLINT_MTIME) return this.clock.now();
      const hart = this.mtimecmpHart(offset);
      if (hart) return hart.mtimecmp;
      return BigInt(this.read32(offset)) | (BigInt(this.read32(offset + 4)) << 32n);
    }
    return BigInt(this.read32(offset));
  }

  /** Writes a 4- or 8-byte register; false for other sizes or misaligned offsets. */
  write(offset: number, size: number, value: bigint): boolean {
    if ((size !== 4 && size !== 8) || offset % size !== 0) return false;
    if (size === 8) {
      if (offset === CLINT_MTIME) {
        this.clock.set(value);
        return true;
      }
      if (offset >= CLINT_MTIMECMP && offset < MTIMECMP_END) {
        const hart = this.mtimecmpHart(offset);
        if (hart) hart.mtimecmp = value;
        return true;
      }
      this.write32(offset, Number(value & 0xffff_ffffn));
      this.write32(offset + 4, Number(value >> 32n));
      return true;
    }
    this.write32(offset, Number(value));
    return true;
  }

  /** Returns whether hart `hart`'s msip bit is set. */
  softwareInterruptPending(hart: number): boolean {
    const h = this.harts[hart];
    return h !== undefined && (h.externalInterrupts & MSIP_BIT) !== 0n;
  }

  private read32(offset: number): number {
    if (offset < MSIP_END) {
      return this.softwareInterruptPending(offset >>> 2) ? 1 : 0;
    }
    if (offset < MTIMECMP_END) {
      const hart = this.mtimecmpHart(offset & ~7);
      if (!hart) return 0;
      return half(hart.mtimecmp, offset & 4);
    }
    if (offset === CLINT_MTIME || offset === CLINT_MTIME + 4) return half(this.clock.now(), offset & 4);
    return 0;
  }

  private write32(offset: number, value: number): void {
    if (offset < MSIP_END) {
      this.harts[offset >>> 2]?.setInterruptLine(IRQ_MACHINE_SOFTWARE, (value & 1) !== 0);
      return;
    }
    if (offset < MTIMECMP_END) {
      const hart = this.mtimecmpHart(offset & ~7);
      if (hart) hart.mtimecmp = withHalf(hart.mtimecmp, offset & 4, value);
      return;
    }
    if (offset === CLINT_MTIME || offset === CLINT_MTIME + 4) {
      this.clock.set(withHalf(this.clock.now(), offset & 4, value));
    }
  }

  private mtimecmpHart(offset: number): HartState | undefined {
    if (offset < CLINT_MTIMECMP || offset >= MTIMECMP_END) return undefined;
    return this.harts[(offset - CLINT_MTIMECMP) >>> 3];
  }
}

function half(value: bigint, upper: number): number {
  return Number(upper ? (value >> 32n) & 0xffff_ffffn : value & 0xffff_ffffn);
}

function withHalf(old: bigint, upper: number, value: number): bigint {
  const v = BigInt(value >>> 0);
  return upper ? (old & 0xffff_ffffn) | (v << 32n) : (old & ~0xffff_ffffn) | v;
}
