// Guest time (DESIGN.md §6). mtime counts at 10 MHz, like QEMU `virt`, and lives in the machine
// block (M_MTIME) where the core reads it for the time CSR and compares it against mtimecmp and
// stimecmp on its hot path. Two sources drive it:
//
// - deterministic (default for tests and benchmarks): the core advances mtime by one tick every
//   M_INSNS_PER_TICK retired instructions. The default of 10 instructions per tick makes the guest
//   see a 100 MIPS machine (10 MHz × 10). When every hart waits in WFI, the host jumps mtime to the
//   nearest armed comparator instead of spinning, so runs are repeatable and idle time is free.
// - real (default for interactive use): the host writes mtime from the host monotonic clock
//   (process.hrtime) before each run() slice and whenever a device reads it; WFI sleeps.
import type { MachineState } from "../core/state.js";
import { CLOCK_MODE_DETERMINISTIC, CLOCK_MODE_REAL } from "../core/state.js";
import { ConfigError, IdleError } from "./errors.js";

/** mtime frequency of the `virt` board (ticks per second). */
export const MTIME_FREQUENCY_HZ = 10_000_000;
/** Nanoseconds per mtime tick. */
export const NANOSECONDS_PER_TICK = 1_000_000_000 / MTIME_FREQUENCY_HZ;
/** Default instructions per tick of the deterministic clock (a 100 MIPS guest machine). */
export const DEFAULT_INSNS_PER_TICK = 10;

/** Names of the clock sources. */
export type ClockMode = "deterministic" | "real";

/** How an idle period ended. */
export type IdleOutcome = "deadline" | "woken";

/** A source of guest time (mtime). */
export interface ClockSource {
  /** Which source this is. */
  readonly mode: ClockMode;
  /** Returns the current mtime (the real clock refreshes M_MTIME first). */
  now(): bigint;
  /** Sets mtime (a guest write to the CLINT mtime register). */
  set(value: bigint): void;
  /** Brings M_MTIME up to date before a run() slice. */
  beforeSlice(): void;
  /**
   * Waits while every hart is in WFI: until mtime reaches `deadline` (if given) or `wake`
   * resolves (input arrived, stop requested). With neither, nothing can ever wake the guest and
   * this throws IdleError.
   */
  idle(deadline: bigint | undefined, wake: Promise<void> | undefined): Promise<IdleOutcome>;
}

/** Returns "deterministic" or "real" for a user-supplied name; ConfigError otherwise. */
export function parseClockMode(name: string): ClockMode {
  if (name === "deterministic" || name === "real") return name;
  throw new ConfigError(`unknown clock "${name}" (expected "deterministic" or "real")`);
}

/** Time derived from retired instructions; repeatable from run to run. */
export class DeterministicClock implements ClockSource {
  readonly mode = "deterministic" as const;

  /** Configures the core to advance mtime once every `insnsPerTick` retired instructions. */
  constructor(private readonly machine: MachineState, readonly insnsPerTick: number = DEFAULT_INSNS_PER_TICK) {
    if (!Number.isInteger(insnsPerTick) || insnsPerTick < 1 || insnsPerTick > 0xffff_ffff) {
      throw new ConfigError(`instructions per tick must be a whole number ≥ 1 (got ${insnsPerTick})`);
    }
    machine.clockMode = CLOCK_MODE_DETERMINISTIC;
    machine.insnsPerTick = insnsPerTick;
  }

  /** Returns M_MTIME (the core keeps it current). */
  now(): bigint {
    return this.machine.mtime;
  }

  /** Writes M_MTIME and drops the partial tick. */
  set(value: bigint): void {
    this.machine.mtime = value;
    this.machine.tickAccumulator = 0n;
  }

  /** Nothing to do: the core advances mtime itself. */
  beforeSlice(): void {}

  /** Jumps mtime to `deadline`, or waits for `wake` if there is no deadline. */
  async idle(deadline: bigint | undefined, wake: Promise<void> | undefined): Promise<IdleOutcome> {
    if (deadline !== undefined) {
      if (deadline > this.machine.mtime) this.set(deadline);
      return "deadline";
    }
    if (wake) {
      await wake;
      return "woken";
    }
    throw new IdleError("no timer is armed and no input can arrive");
  }
}

/** Time from the host's monotonic clock, 10 MHz, starting at `start` ticks. */
export class RealClock implements ClockSource {
  readonly mode = "real" as const;
  private originNanoseconds: bigint;
  private originTicks: bigint;
  private latest: bigint;

  /** Configures the core for host-written mtime and starts counting from `start` ticks. */
  constructor(private readonly machine: MachineState, start: bigint = 0n,
              private readonly hrtime: () => bigint = () => process.hrtime.bigint()) {
    machine.clockMode = CLOCK_MODE_REAL;
    this.originNanoseconds = hrtime();
    this.originTicks = start;
    this.latest = start;
    machine.mtime = start;
  }

  /** Computes mtime from the host clock, stores it in M_MTIME and returns it (never decreasing). */
  now(): bigint {
    const ticks = this.originTicks + (this.hrtime() - this.originNanoseconds) / BigInt(NANOSECONDS_PER_TICK);
    if (ticks > this.latest) this.latest = ticks;
    this.machine.mtime = this.latest;
    return this.latest;
  }

  /** Restarts counting from `value` ticks now (a guest write to mtime). */
  set(value: bigint): void {
    this.originNanoseconds = this.hrtime();
    this.originTicks = BigInt.asUintN(64, value);
    this.latest = this.originTicks;
    this.machine.mtime = this.latest;
  }

  /** Refreshes M_MTIME. */
  beforeSlice(): void {
    this.now();
  }

  /** Sleeps until the host clock reaches `deadline` ticks or `wake` resolves. */
  async idle(deadline: bigint | undefined, wake: Promise<void> | undefined): Promise<IdleOutcome> {
    if (deadline === undefined && !wake) throw new IdleError("no timer is armed and no input can arrive");
    const woken = wake?.then(() => "woken" as const);
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const sleeps: Promise<IdleOutcome>[] = [];
      if (deadline !== undefined) {
        const remaining = deadline - this.now();
        if (remaining <= 0n) return "deadline";
        const milliseconds = Number(remaining) * NANOSECONDS_PER_TICK / 1e6;
        sleeps.push(new Promise<IdleOutcome>((resolve) => {
          // setTimeout has millisecond resolution (and may fire a little early): sleep in whole
          // milliseconds, then yield in short steps until the deadline has really passed.
          if (milliseconds < 1) setImmediate(() => resolve("deadline"));
          else timer = setTimeout(() => resolve("deadline"), Math.ceil(milliseconds));
        }));
      }
      if (woken) sleeps.push(woken);
      try {
        const outcome = await Promise.race(sleeps);
        this.now();
        if (outcome === "woken") return outcome;
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
  }
}

/** Creates the clock source `mode` for `machine`. */
export function createClock(mode: ClockMode, machine: MachineState, insnsPerTick?: number): ClockSource {
  return mode === "real" ? new RealClock(machine) : new DeterministicClock(machine, insnsPerTick);
}
