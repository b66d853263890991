// The goldfish RTC (host/devices/rtc.ts): the registers as Linux's rtc-goldfish driver uses them,
// the deterministic and real time sources, the one-shot alarm and its interrupt line.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RTC_EPOCH_NANOSECONDS, GoldfishRtc, RTC_ALARM_HIGH, RTC_ALARM_LOW, RTC_ALARM_STATUS, RTC_CLEAR_ALARM,
  RTC_CLEAR_INTERRUPT, RTC_IRQ_ENABLED, RTC_SIZE, RTC_TIME_HIGH, RTC_TIME_LOW, hostWallClock,
} from "../../host/devices/rtc.js";
import { Bus } from "../../host/machine/bus.js";
import { DeterministicClock, RealClock } from "../../host/machine/clock.js";
import { createTestState } from "./helpers.js";

const BASE = 0x10_1000;
const SECOND = 1_000_000_000n;
const TICKS_PER_SECOND = 10_000_000n;

function setup(epoch = 1_000n * SECOND) {
  const state = createTestState(1);
  const clock = new DeterministicClock(state.machine, 10);
  const levels: boolean[] = [];
  const rtc = new GoldfishRtc(clock, { setLevel: (high) => levels.push(high) }, { epochNanoseconds: epoch });
  const bus = new Bus();
  bus.map(BASE, RTC_SIZE, rtc);
  const read = (offset: number) => Number(bus.read(0, BASE + offset, 4));
  const write = (offset: number, value: number) => expect(bus.write(0, BASE + offset, 4, BigInt(value >>> 0))).toBe(true);
  /** Reads the time the way the driver does: TIME_LOW, then TIME_HIGH. */
  const readTime = () => {
    const low = BigInt(read(RTC_TIME_LOW) >>> 0);
    return (BigInt(read(RTC_TIME_HIGH) >>> 0) << 32n) | low;
  };
  /** Arms an alarm the way the driver does: ALARM_HIGH, ALARM_LOW, IRQ_ENABLED = 1. */
  const setAlarm = (nanoseconds: bigint) => {
    write(RTC_ALARM_HIGH, Number(nanoseconds >> 32n));
    write(RTC_ALARM_LOW, Number(nanoseconds & 0xffff_ffffn));
    write(RTC_IRQ_ENABLED, 1);
  };
  return { ...state, clock, rtc, bus, levels, read, write, readTime, setAlarm };
}

describe("goldfish RTC time", () => {
  it("deterministic time is the epoch plus mtime at 100 ns per tick", () => {
    const { clock, readTime, rtc } = setup();
    expect(readTime()).toBe(1_000n * SECOND);
    clock.set(25n * TICKS_PER_SECOND + 3n);
    expect(readTime()).toBe(1_025n * SECOND + 300n);
    expect(rtc.now()).toBe(1_025n * SECOND + 300n);
  });

  it("the default epoch is 2024-01-01T00:00:00Z", () => {
    const state = createTestState(1);
    const rtc = new GoldfishRtc(new DeterministicClock(state.machine));
    expect(rtc.now()).toBe(DEFAULT_RTC_EPOCH_NANOSECONDS);
    expect(new Date(Number(rtc.now() / 1_000_000n)).toISOString()).toBe("2024-01-01T00:00:00.000Z");
  });

  it("reading TIME_LOW latches the high word; TIME_HIGH returns the latch", () => {
    const { clock, read } = setup(0xffff_ff00n);
    const low = read(RTC_TIME_LOW) >>> 0;
    expect(low).toBe(0xffff_ff00);
    clock.set(10n); // +1000 ns: the time carries into the high word
    expect(read(RTC_TIME_HIGH)).toBe(0); // still the latched value
    expect(read(RTC_TIME_LOW)).toBe(1000 - 0x100);
    expect(read(RTC_TIME_HIGH)).toBe(1);
  });

  it("an 8-byte read at TIME_LOW returns the whole time", () => {
    const { bus, clock } = setup(0x1_2345_6789n);
    clock.set(1n);
    expect(bus.read(0, BASE, 8)).toBe(0x1_2345_6789n + 100n);
  });

  it("setting the time (TIME_HIGH, then TIME_LOW) keeps running from the new value", () => {
    const { write, readTime, clock } = setup();
    const target = 1_700_000_000n * SECOND + 5n;
    write(RTC_TIME_HIGH, Number(target >> 32n));
    write(RTC_TIME_LOW, Number(target & 0xffff_ffffn));
    expect(readTime()).toBe(target);
    clock.set(clock.now() + TICKS_PER_SECOND);
    expect(readTime()).toBe(target + SECOND);
  });

  it("an 8-byte write at TIME_LOW sets the whole time", () => {
    const { bus, rtc } = setup();
    expect(bus.write(0, BASE, 8, 0xabcd_0000_1234n)).toBe(true);
    expect(rtc.now()).toBe(0xabcd_0000_1234n);
  });

  it("real time comes from the host wall clock", () => {
    const state = createTestState(1);
    let wall = 1_650_000_000n * SECOND;
    const clock = new RealClock(state.machine);
    const rtc = new GoldfishRtc(clock, undefined, { wallClock: () => wall });
    expect(rtc.now()).toBe(wall);
    wall += 3n * SECOND;
    expect(rtc.read(RTC_TIME_LOW, 4)).toBe((wall) & 0xffff_ffffn);
    rtc.setTime(5n * SECOND);
    wall += SECOND;
    expect(rtc.now()).toBe(6n * SECOND);
  });

  it("the default host wall clock is close to Date.now()", () => {
    const now = hostWallClock()();
    expect(Number(now / 1_000_000n)).toBeGreaterThan(Date.now() - 1000);
    expect(Number(now / 1_000_000n)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("accepts 4-byte and aligned 8-byte accesses only", () => {
    const { bus } = setup();
    expect(bus.read(0, BASE, 1)).toBeUndefined();
    expect(bus.write(0, BASE + RTC_IRQ_ENABLED, 2, 1n)).toBe(false);
    expect(bus.read(0, BASE + 4, 8)).toBeUndefined();
    expect(bus.read(0, BASE + 0x40, 4)).toBe(0n);
  });
});

describe("goldfish RTC alarm", () => {
  it("an armed alarm fires when the time reaches it, raising the line until CLEAR_INTERRUPT", () => {
    const { clock, rtc, read, write, setAlarm, levels } = setup();
    setAlarm(1_002n * SECOND);
    expect(read(RTC_ALARM_STATUS)).toBe(1);
    expect(read(RTC_IRQ_ENABLED)).toBe(1);
    expect(read(RTC_ALARM_HIGH)).toBe(Number((1_002n * SECOND) >> 32n));
    expect(read(RTC_ALARM_LOW) >>> 0).toBe(Number((1_002n * SECOND) & 0xffff_ffffn));
    clock.set(2n * TICKS_PER_SECOND - 1n);
    rtc.poll();
    expect(levels).toEqual([]);
    clock.set(2n * TICKS_PER_SECOND);
    rtc.poll();
    expect(levels).toEqual([true]);
    expect(rtc.interruptPending()).toBe(true);
    expect(read(RTC_ALARM_STATUS)).toBe(0); // one-shot
    write(RTC_CLEAR_INTERRUPT, 1);
    expect(levels).toEqual([true, false]);
    clock.set(10n * TICKS_PER_SECOND);
    rtc.poll();
    expect(levels).toEqual([true, false]);
  });

  it("an alarm in the past fires at once", () => {
    const { setAlarm, levels, read } = setup();
    setAlarm(999n * SECOND);
    expect(levels).toEqual([true]);
    expect(read(RTC_ALARM_STATUS)).toBe(0);
  });

  it("CLEAR_ALARM disarms an alarm", () => {
    const { clock, rtc, setAlarm, write, read, levels } = setup();
    setAlarm(1_001n * SECOND);
    write(RTC_CLEAR_ALARM, 1);
    expect(read(RTC_ALARM_STATUS)).toBe(0);
    clock.set(5n * TICKS_PER_SECOND);
    rtc.poll();
    expect(levels).toEqual([]);
  });

  it("an alarm fired while the interrupt is disabled raises the line when it is enabled", () => {
    const { clock, rtc, write, read, levels } = setup();
    const alarm = 1_001n * SECOND;
    write(RTC_ALARM_HIGH, Number(alarm >> 32n));
    write(RTC_ALARM_LOW, Number(alarm & 0xffff_ffffn));
    clock.set(TICKS_PER_SECOND);
    rtc.poll();
    expect(levels).toEqual([]);
    expect(read(RTC_ALARM_STATUS)).toBe(0);
    write(RTC_IRQ_ENABLED, 1);
    expect(levels).toEqual([true]);
    write(RTC_IRQ_ENABLED, 0);
    expect(levels).toEqual([true, false]);
  });

  it("nextDeadline gives the mtime of an armed, enabled alarm", () => {
    const { rtc, setAlarm, write, clock } = setup();
    expect(rtc.nextDeadline()).toBeUndefined();
    setAlarm(1_003n * SECOND + 50n); // 50 ns past a tick: round up
    expect(rtc.nextDeadline()).toBe(3n * TICKS_PER_SECOND + 1n);
    clock.set(TICKS_PER_SECOND);
    expect(rtc.nextDeadline()).toBe(3n * TICKS_PER_SECOND + 1n);
    write(RTC_IRQ_ENABLED, 0);
    expect(rtc.nextDeadline()).toBeUndefined();
  });

  it("an 8-byte write at ALARM_LOW arms the whole 64-bit alarm", () => {
    const { bus, read, rtc } = setup();
    const alarm = 0x1234_0000_0001n;
    expect(bus.write(0, BASE + RTC_ALARM_LOW, 8, alarm)).toBe(true);
    expect(read(RTC_ALARM_STATUS)).toBe(1);
    expect(bus.read(0, BASE + RTC_ALARM_LOW, 8)).toBe(alarm);
    expect(bus.write(0, BASE + RTC_IRQ_ENABLED, 8, 1n)).toBe(true); // IRQ_ENABLED and CLEAR_ALARM
    expect(read(RTC_IRQ_ENABLED)).toBe(1);
    expect(read(RTC_ALARM_STATUS)).toBe(0);
    expect(rtc.nextDeadline()).toBeUndefined();
  });

  it("with the real clock, nextDeadline converts the remaining wall time into mtime ticks", () => {
    const state = createTestState(1);
    let host = 0n;
    const clock = new RealClock(state.machine, 500n, () => host);
    let wall = 2_000n * SECOND;
    const levels: boolean[] = [];
    const rtc = new GoldfishRtc(clock, { setLevel: (high) => levels.push(high) }, { wallClock: () => wall });
    rtc.write(RTC_ALARM_HIGH, 4, (wall + SECOND) >> 32n);
    rtc.write(RTC_ALARM_LOW, 4, (wall + SECOND) & 0xffff_ffffn);
    rtc.write(RTC_IRQ_ENABLED, 4, 1n);
    expect(rtc.nextDeadline()).toBe(500n + TICKS_PER_SECOND);
    host += SECOND / 2n;
    wall += SECOND / 2n;
    expect(rtc.nextDeadline()).toBe(500n + TICKS_PER_SECOND);
    wall += SECOND / 2n;
    rtc.poll();
    expect(levels).toEqual([true]);
  });

  it("reset disarms the alarm and lowers the line but keeps the time", () => {
    const { rtc, setAlarm, levels, write } = setup();
    write(RTC_TIME_HIGH, 0);
    write(RTC_TIME_LOW, 77);
    setAlarm(0n);
    expect(levels).toEqual([true]);
    rtc.reset();
    expect(levels).toEqual([true, false]);
    expect(rtc.read(RTC_ALARM_STATUS, 4)).toBe(0n);
    expect(rtc.read(RTC_IRQ_ENABLED, 4)).toBe(0n);
    expect(rtc.now()).toBe(77n);
  });
});
