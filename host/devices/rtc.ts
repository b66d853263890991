// Goldfish RTC (QEMU `virt` maps it at 0x0010_1000, PLIC source 11; device-tree compatible
// "google,goldfish-rtc"). The registers are those of the Android emulator's goldfish timer
// ("GOLDFISH-VIRTUAL-HARDWARE", section "Goldfish timer") with the alarm-control registers that
// Linux's goldfish RTC driver uses (drivers/rtc/rtc-goldfish.c, offsets from
// include/clocksource/timer-goldfish.h). Every register is 32 bits; time is nanoseconds since
// the Unix epoch (1970-01-01T00:00:00Z) as an unsigned 64-bit count.
//
//   offset  name             read                                     write
//   0x00    TIME_LOW         low word of now; latches the high word   sets the time to
//                            into TIME_HIGH                           (TIME_HIGH << 32) | value
//   0x04    TIME_HIGH        the latched high word                    sets the latched high word
//   0x08    ALARM_LOW        low word of the alarm time               alarm = (ALARM_HIGH << 32) |
//                                                                     value, and arms it
//   0x0c    ALARM_HIGH       high word of the alarm time              high word of the next alarm
//   0x10    IRQ_ENABLED      1 if the interrupt output is enabled     bit 0 enables it
//   0x14    CLEAR_ALARM      0                                        disarms the alarm
//   0x18    ALARM_STATUS     1 while an alarm is armed                ignored
//   0x1c    CLEAR_INTERRUPT  0                                        lowers the interrupt
//
// Linux reads the time as TIME_LOW then TIME_HIGH, sets it as TIME_HIGH then TIME_LOW, and sets
// an alarm as ALARM_HIGH, ALARM_LOW, IRQ_ENABLED = 1; its interrupt handler writes
// CLEAR_INTERRUPT. When the time reaches an armed alarm, the alarm disarms and the interrupt
// becomes pending; an alarm set in the past fires at once. The interrupt output is
// pending AND enabled, a level on the PLIC. An aligned 8-byte access acts as two 4-byte
// accesses, low word first (so an 8-byte read at 0 returns a consistent 64-bit time); byte and
// halfword accesses fault.
//
// Where the time comes from (DESIGN.md §6): with the deterministic clock it is a fixed epoch plus
// the guest's mtime (100 ns per tick), so runs repeat exactly; with the real clock it is the
// host's wall clock. Setting the time keeps an offset to that source. Alarms are checked on every
// register access and whenever the machine calls poll(); nextDeadline() tells the idle loop
// which mtime to wake up at.
import type { MmioDevice } from "../machine/bus.js";
import { NANOSECONDS_PER_TICK, type ClockSource } from "../machine/clock.js";
import type { InterruptLine } from "./plic.js";

/** Size of the RTC's address range. */
export const RTC_SIZE = 0x1000;
/** PLIC interrupt source of the RTC on `virt`. */
export const RTC_IRQ = 11;
/** Register offsets. */
export const RTC_TIME_LOW = 0x00, RTC_TIME_HIGH = 0x04, RTC_ALARM_LOW = 0x08, RTC_ALARM_HIGH = 0x0c,
  RTC_IRQ_ENABLED = 0x10, RTC_CLEAR_ALARM = 0x14, RTC_ALARM_STATUS = 0x18, RTC_CLEAR_INTERRUPT = 0x1c;
/** Default epoch of the deterministic clock: 2024-01-01T00:00:00Z in nanoseconds since 1970. */
export const DEFAULT_RTC_EPOCH_NANOSECONDS = 1_704_067_200n * 1_000_000_000n;

const TICK = BigInt(NANOSECONDS_PER_TICK);
const MASK64 = (1n << 64n) - 1n;

/** Options of the goldfish RTC. */
export interface RtcOptions {
  /** Deterministic clock: wall time at mtime 0, in nanoseconds since the epoch (default 2024-01-01). */
  epochNanoseconds?: bigint;
  /** Real clock: the host's wall time in nanoseconds since the epoch (default: Date plus hrtime). */
  wallClock?: () => bigint;
}

/** Returns a wall clock in nanoseconds: Date.now() at creation advanced by the monotonic clock. */
export function hostWallClock(): () => bigint {
  const originWall = BigInt(Date.now()) * 1_000_000n;
  const originMonotonic = process.hrtime.bigint();
  return () => originWall + (process.hrtime.bigint() - originMonotonic);
}

/** The goldfish real-time clock with its one-shot alarm. */
export class GoldfishRtc implements MmioDevice {
  readonly name = "rtc";
  private readonly source: () => bigint; // nanoseconds since the epoch before the guest's offset
  private offset = 0n; // guest-set time minus source time (mod 2^64)
  private timeHigh = 0; // TIME_HIGH latch
  private alarm = 0n;
  private alarmHigh = 0; // ALARM_HIGH as last written
  private alarmArmed = false;
  private irqEnabled = false;
  private irqPending = false;
  private level = false;

  /** Creates an RTC timed by `clock` (its mode picks the source) that drives `interrupt`. */
  constructor(private readonly clock: ClockSource, private readonly interrupt?: InterruptLine, options: RtcOptions = {}) {
    if (clock.mode === "deterministic") {
      const epoch = options.epochNanoseconds ?? DEFAULT_RTC_EPOCH_NANOSECONDS;
      this.source = () => epoch + clock.now() * TICK;
    } else {
      this.source = options.wallClock ?? hostWallClock();
    }
  }

  /** The current RTC time in nanoseconds since the epoch. */
  now(): bigint {
    return (this.source() + this.offset) & MASK64;
  }

  /** Sets the RTC time to `nanoseconds` since the epoch (what a guest write of TIME_LOW does). */
  setTime(nanoseconds: bigint): void {
    this.offset = (nanoseconds - this.source()) & MASK64;
    this.poll();
  }

  /** True while the interrupt output is asserted (pending and enabled). */
  interruptPending(): boolean {
    return this.irqPending && this.irqEnabled;
  }

  /** Fires an armed alarm whose time has come; call as guest time advances. */
  poll(): void {
    if (this.alarmArmed && this.now() >= this.alarm) {
      this.alarmArmed = false;
      this.irqPending = true;
    }
    this.updateInterrupt();
  }

  /** The mtime at which the armed alarm fires, if one is armed and its interrupt enabled. */
  nextDeadline(): bigint | undefined {
    if (!this.alarmArmed || !this.irqEnabled) return undefined;
    const now = this.clock.now();
    const remaining = this.alarm - this.now();
    return remaining <= 0n ? now : now + (remaining + TICK - 1n) / TICK;
  }

  /** Power-on state of the alarm and interrupt logic; the time itself keeps running. */
  reset(): void {
    this.timeHigh = 0;
    this.alarm = 0n;
    this.alarmHigh = 0;
    this.alarmArmed = false;
    this.irqEnabled = false;
    this.irqPending = false;
    this.updateInterrupt();
  }

  /** Reads a 32-bit register (or two for an aligned 8-byte access); undefined for other sizes. */
  read(offset: number, size: number): bigint | undefined {
    if ((size !== 4 && size !== 8) || offset % size !== 0) return undefined;
    this.poll();
    const low = this.read32(offset);
    if (size === 4) return BigInt(low);
    return BigInt(low) | (BigInt(this.read32(offset + 4)) << 32n);
  }

  /** Writes a 32-bit register (or two for an aligned 8-byte access); false for other sizes. */
  write(offset: number, size: number, value: bigint): boolean {
    if ((size !== 4 && size !== 8) || offset % size !== 0) return false;
    if (size === 8) {
      // Low word first: for TIME and ALARM that commits the old high word, so write the high
      // word into its latch beforehand.
      const high = Number((value >> 32n) & 0xffff_ffffn);
      if (offset === RTC_TIME_LOW) this.timeHigh = high;
      if (offset === RTC_ALARM_LOW) this.alarmHigh = high;
      this.write32(offset, Number(value & 0xffff_ffffn));
      if (offset !== RTC_TIME_LOW && offset !== RTC_ALARM_LOW) this.write32(offset + 4, high);
    } else {
      this.write32(offset, Number(value & 0xffff_ffffn));
    }
    this.poll();
    return true;
  }

  private read32(offset: number): number {
    switch (offset) {
      case RTC_TIME_LOW: {
        const now = this.now();
        this.timeHigh = Number(now >> 32n);
        return Number(now & 0xffff_ffffn);
      }
      case RTC_TIME_HIGH: return this.timeHigh;
      case RTC_ALARM_LOW: return Number(this.alarm & 0xffff_ffffn);
      case RTC_ALARM_HIGH: return Number(this.alarm >> 32n);
      case RTC_IRQ_ENABLED: return this.irqEnabled ? 1 : 0;
      case RTC_ALARM_STATUS: return this.alarmArmed ? 1 : 0;
      default: return 0;
    }
  }

  private write32(offset: number, value: number): void {
    switch (offset) {
      case RTC_TIME_LOW:
        this.setTime((BigInt(this.timeHigh) << 32n) | BigInt(value >>> 0));
        break;
      case RTC_TIME_HIGH: this.timeHigh = value >>> 0; break;
      case RTC_ALARM_LOW:
        this.alarm = (BigInt(this.alarmHigh) << 32n) | BigInt(value >>> 0);
        this.alarmArmed = true;
        break;
      case RTC_ALARM_HIGH: this.alarmHigh = value >>> 0; break;
      case RTC_IRQ_ENABLED: this.irqEnabled = (value & 1) !== 0; break;
      case RTC_CLEAR_ALARM: this.alarmArmed = false; break;
      case RTC_CLEAR_INTERRUPT: this.irqPending = false; break;
      default: break;
    }
  }

  private updateInterrupt(): void {
    const level = this.interruptPending();
    if (level !== this.level) {
      this.level = level;
      this.interrupt?.setLevel(level);
    }
  }
}
