import { describe, expect, it } from "vitest";
import { M_CLOCK_MODE, M_INSNS_PER_TICK } from "../../host/core/layout.generated.js";
import { createClock, DeterministicClock, parseClockMode, RealClock } from "../../host/machine/clock.js";
import { ConfigError, IdleError } from "../../host/machine/errors.js";
import { createTestState } from "./helpers.js";

describe("deterministic clock", () => {
  it("configures the core: mode 0 and instructions per tick", () => {
    const { machine } = createTestState();
    new DeterministicClock(machine, 25);
    expect(machine.read32(M_CLOCK_MODE)).toBe(0);
    expect(machine.read32(M_INSNS_PER_TICK)).toBe(25);
  });

  it("defaults to 10 instructions per tick (a 100 MIPS guest)", () => {
    const { machine } = createTestState();
    expect(new DeterministicClock(machine).insnsPerTick).toBe(10);
    expect(machine.insnsPerTick).toBe(10);
  });

  it("idle jumps mtime to the deadline and never moves it backwards", async () => {
    const { machine } = createTestState();
    const clock = new DeterministicClock(machine);
    machine.mtime = 100n;
    expect(await clock.idle(5000n, undefined)).toBe("deadline");
    expect(clock.now()).toBe(5000n);
    expect(await clock.idle(10n, undefined)).toBe("deadline");
    expect(clock.now()).toBe(5000n);
  });

  it("idle without a deadline waits for the wake promise", async () => {
    const { machine } = createTestState();
    const clock = new DeterministicClock(machine);
    expect(await clock.idle(undefined, Promise.resolve())).toBe("woken");
    expect(clock.now()).toBe(0n);
  });

  it("idle with nothing to wait for is an IdleError", async () => {
    const { machine } = createTestState();
    await expect(new DeterministicClock(machine).idle(undefined, undefined)).rejects.toThrow(IdleError);
  });

  it("rejects a zero tick length", () => {
    const { machine } = createTestState();
    expect(() => new DeterministicClock(machine, 0)).toThrow(ConfigError);
  });
});

describe("real clock", () => {
  it("counts 10 MHz ticks of the host clock into M_MTIME, monotonic", () => {
    const { machine } = createTestState();
    let ns = 5_000_000_000n;
    const clock = new RealClock(machine, 0n, () => ns);
    expect(machine.read32(M_CLOCK_MODE)).toBe(1);
    ns += 250n; // 2.5 ticks
    clock.beforeSlice();
    expect(machine.mtime).toBe(2n);
    ns += 1_000_000_000n;
    expect(clock.now()).toBe(10_000_002n);
    ns -= 500n; // host clock must not make guest time go backwards
    expect(clock.now()).toBe(10_000_002n);
  });

  it("set() restarts counting from the written value", () => {
    const { machine } = createTestState();
    let ns = 0n;
    const clock = new RealClock(machine, 0n, () => ns);
    ns = 1000n;
    clock.set(7n);
    ns += 200n;
    expect(clock.now()).toBe(9n);
  });

  it("idle sleeps until the deadline", async () => {
    const { machine } = createTestState();
    const clock = new RealClock(machine);
    const start = performance.now();
    expect(await clock.idle(clock.now() + 30_000n, undefined)).toBe("deadline"); // 3 ms
    expect(performance.now() - start).toBeGreaterThanOrEqual(2);
    expect(clock.now()).toBeGreaterThanOrEqual(30_000n);
  });

  it("idle returns early when woken", async () => {
    const { machine } = createTestState();
    const clock = new RealClock(machine);
    const wake = new Promise<void>((resolve) => setTimeout(resolve, 1));
    expect(await clock.idle(clock.now() + 100_000_000n, wake)).toBe("woken"); // deadline 10 s away
  });

  it("idle with nothing to wait for is an IdleError", async () => {
    const { machine } = createTestState();
    await expect(new RealClock(machine).idle(undefined, undefined)).rejects.toThrow(/idle forever/);
  });
});

describe("clock selection", () => {
  it("parses names and rejects others", () => {
    expect(parseClockMode("real")).toBe("real");
    expect(parseClockMode("deterministic")).toBe("deterministic");
    expect(() => parseClockMode("fast")).toThrow(/unknown clock "fast"/);
  });

  it("createClock builds the requested source", () => {
    const { machine } = createTestState();
    expect(createClock("real", machine).mode).toBe("real");
    expect(createClock("deterministic", machine, 3).mode).toBe("deterministic");
    expect(machine.insnsPerTick).toBe(3);
  });
});
