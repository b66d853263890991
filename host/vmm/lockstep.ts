// Lock-step differential execution (DESIGN.md §3: "the interpreter and the translator must agree bit
// for bit"): two complete machines — each with its own core instance, memory, devices and
// deterministic clock, set up by the same function — run the same guest, one on the interpreter
// (the reference semantics) and one on the translator (engine dbt), compared after every step.
//
// A step: the dbt machine runs runDbt(hart, budget 1), which executes exactly one translated block
// (a whole translated-code entry, however many instructions it retires) or one interpreted
// instruction; the driver counts what it executed (retired instructions plus faulting ones, which
// consume budget without retiring, as in interp.ts) and runs the interpreter for exactly that many.
// Only counts are relied on, never block shapes, so multi-block regions keep working.
//
// Interrupts (priv spec §3.1.9: when a pending, enabled interrupt is taken is up to the hart, so the
// two engines may legitimately take one at different instructions): to make delivery identical the
// driver decides where interrupts are sampled — at step boundaries. runDbt samples at its entry;
// the interpreter's run() samples at its entry and once more at its end (before returning
// EXIT_BUDGET), and at the batch-ending instructions inside (CSR writes, xRET, WFI, SFENCE.VMA), which
// the translator's miss path runs one at a time through the same run(). So after every step that
// ends with EXIT_BUDGET the driver lets the dbt machine sample too (run(hart, 0): interrupt check
// only), and both machines have sampled at the same points. Sampling twice at the same instant takes
// at most one interrupt (the first one disables further ones at that level), so the extra samples
// change nothing. Time is the deterministic clock (mtime from retired instructions), the same on
// both; device interrupt lines are part of the compared state.
//
// Memory: regions given as `watchedRegions` after every step, all of RAM every `memoryCheckInterval`
// steps and when the run ends.
import { EXIT_BUDGET, H_STAT_EXITS, H_STAT_TRAPS, DRAM_BASE } from "../core/layout.generated.js";
import { exitReasonName, type HartState } from "../core/state.js";
import type { GuestRam } from "../core/memory.js";
import { ConfigError, IdleError, LimitError } from "../machine/errors.js";
import { Machine, type MachineOptions, type RunFinish, type RunResult } from "../machine/machine.js";
import { streamWriter, type OutputWriter } from "../machine/console.js";
import { buildReport, captureState, compareStates, describeCode, DivergenceError, firstMemoryDifference, quickStatesEqual,
         stateField, type DivergenceKind, type MemoryDifference, type RamRegion, type StateSnapshot, type StepRecord } from "./lockstep-report.js";

export { DivergenceError, type DivergenceReport, type DivergenceKind, type RamRegion, type StepRecord } from "./lockstep-report.js";
export { captureState, compareStates, formatSideBySide, STATE_FIELDS, type StateSnapshot, type FieldDifference } from "./lockstep-report.js";

/** Which of the two machines a setup function is preparing. */
export type LockstepRole = "reference" | "subject";

/** Prepares one of the two machines (load the guest, install VMM services); called for each. */
export type LockstepSetup = (machine: Machine, role: LockstepRole) => void | Promise<void>;

/** Options of LockstepMachine.create: a machine's options (both machines get them) plus comparison controls. */
export interface LockstepOptions extends Omit<MachineOptions, "engine" | "trace" | "traceWriter" | "clock" | "maxInstructions"> {
  /** Stop with LimitError after this many retired instructions (default: no limit). */
  maxInstructions?: bigint | number;
  /** Compare all of guest RAM every this many steps (default 65536; 0: only at exits and at the end). */
  memoryCheckInterval?: number;
  /** RAM compared after every step (e.g. a test's data area). */
  watchedRegions?: readonly RamRegion[];
  /** Steps kept for the report (default 16). */
  historyLength?: number;
  /** Test hook: called after every step, before the comparison (lets a test inject a divergence). */
  afterStep?: (context: { step: number; hart: number; reference: Machine; subject: Machine }) => void;
}

/** Counters of a lock-step run. */
export interface LockstepStats {
  /** Steps compared. */
  readonly steps: number;
  /** Full-RAM comparisons made. */
  readonly memoryChecks: number;
  /** Instructions retired (all harts, reference machine). */
  readonly instructions: bigint;
  /** Wall time spent in run() in milliseconds. */
  readonly wallTimeMs: number;
}

const DEFAULT_MEMORY_CHECK_INTERVAL = 65536;
const DEFAULT_HISTORY = 16;
/** Instructions one hart runs before the driver moves to the next hart (or checks the slice time). */
const HART_QUANTUM = 10_000n;
const SLICE_MILLISECONDS = 10;
/** Idle periods in a row that do not advance time before the run fails (as Machine.run does). */
const STUCK_IDLE_ROUNDS = 1000;
/** Instructions decoded for the report of the last step. */
const DECODE_LIMIT = 16;

/** Two machines, interpreter and translator, run and compared step by step. */
export class LockstepMachine {
  /** The machine on the interpreter (reference semantics); its console output is the run's output. */
  readonly reference: Machine;
  /** The machine on the translator (engine dbt), checked against the reference. */
  readonly subject: Machine;
  private readonly options: LockstepOptions;
  private readonly history: StepRecord[] = [];
  private readonly outputs = { reference: new OutputDigest(), subject: new OutputDigest() };
  private steps = 0;
  private memoryChecks = 0;
  private retired = 0n;
  private stopRequested = false;
  private wallTime = 0;

  private constructor(reference: Machine, subject: Machine, options: LockstepOptions) {
    this.reference = reference;
    this.subject = subject;
    this.options = options;
  }

  /** Creates both machines (interp and dbt) with `options` and prepares each with `setup`. */
  static async create(options: LockstepOptions, setup: LockstepSetup): Promise<LockstepMachine> {
    for (const drive of options.virtio ?? []) {
      if (drive.type === "blk" && !drive.readOnly) {
        throw new ConfigError(`engine lockstep: disk ${drive.path} must be read-only (both machines would write one image)`);
      }
    }
    const interval = options.memoryCheckInterval ?? DEFAULT_MEMORY_CHECK_INTERVAL;
    if (!Number.isSafeInteger(interval) || interval < 0) throw new ConfigError(`memory check interval must be a whole number ≥ 0 (got ${interval})`);
    // The machines get the machine options; the comparison controls stay here.
    const { maxInstructions, memoryCheckInterval, watchedRegions, historyLength, afterStep, output, ...common } = options;
    const box: { lockstep?: LockstepMachine } = {};
    const userOutput: OutputWriter = output ?? streamWriter(process.stdout);
    const reference = await Machine.create({
      ...common, engine: "interp", clock: "deterministic",
      output: (data) => { box.lockstep?.outputs.reference.add(data); userOutput(data); },
    });
    const subject = await Machine.create({
      ...common, engine: "dbt", clock: "deterministic", stdin: null,
      output: (data) => { box.lockstep?.outputs.subject.add(data); },
    });
    const lockstep = new LockstepMachine(reference, subject, options);
    box.lockstep = lockstep;
    await setup(reference, "reference");
    await setup(subject, "subject");
    lockstep.compareAllHarts();
    return lockstep;
  }

  /** Queues console input for both guests (at the same point of their runs). */
  sendInput(data: Uint8Array | string): void {
    this.reference.sendInput(data);
    this.subject.sendInput(data);
  }

  /** Asks the run to stop after the current step; run() then resolves "stopped". */
  stop(): void {
    this.stopRequested = true;
  }

  /** Counters so far. */
  stats(): LockstepStats {
    return { steps: this.steps, memoryChecks: this.memoryChecks, instructions: this.retired, wallTimeMs: this.wallTime };
  }

  /** Runs both machines in lock step until the guest ends the run; DivergenceError at the first disagreement. */
  async run(): Promise<RunResult> {
    const start = performance.now();
    const startRetired = this.retired;
    const stdin = this.options.stdin;
    const onData = (chunk: Buffer | string) => this.sendInput(typeof chunk === "string" ? chunk : new Uint8Array(chunk));
    const onEnd = () => { this.reference.input.end(); this.subject.input.end(); };
    if (stdin) { stdin.on("data", onData); stdin.on("end", onEnd); }
    try {
      let stuckRounds = 0;
      for (;;) {
        const outcome = this.runSlice();
        this.compareOutputs();
        if (typeof outcome === "object") {
          this.compareMemory(0);
          return { ...outcome, instructions: this.retired - startRetired, wallTimeMs: performance.now() - start };
        }
        if (outcome === "idle") {
          const before = this.reference.clock.now();
          const [how] = await Promise.all([this.reference.waitWhileIdle(), this.subject.waitWhileIdle()]);
          this.compareAllHarts();
          stuckRounds = how === "deadline" && this.reference.clock.now() === before ? stuckRounds + 1 : 0;
          if (stuckRounds >= STUCK_IDLE_ROUNDS) {
            throw new IdleError("the harts stay in WFI although their timer is due; no interrupt is delivered");
          }
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      if (stdin) { stdin.off("data", onData); stdin.off("end", onEnd); }
      this.wallTime += performance.now() - start;
      this.reference.flushOutput();
      this.subject.flushOutput();
    }
  }

  /** Releases both machines' host resources. */
  dispose(): void {
    this.reference.dispose();
    this.subject.dispose();
  }

  // Passes over the harts for about one slice of wall time.
  private runSlice(): RunFinish | "idle" | "more" {
    const deadline = performance.now() + SLICE_MILLISECONDS;
    for (;;) {
      if (this.stopRequested) { this.stopRequested = false; return { reason: "stopped", exitCode: 0 }; }
      const early = this.bothAgree("pass start", this.reference.beginPass(), this.subject.beginPass());
      if (early) return early;
      let waiting = 0;
      for (const hart of this.reference.harts) {
        const parked = this.reference.isHartParked(hart.id);
        if (parked !== this.subject.isHartParked(hart.id)) this.diverge("finish", hart.id, `hart ${hart.id} parked only on ${parked ? "interp" : "dbt"}`);
        if (parked) { waiting++; continue; }
        const finish = this.runHart(hart.id);
        if (finish === "wfi") waiting++;
        else if (finish !== undefined) return finish;
      }
      if (waiting === this.reference.harts.length) return "idle";
      if (performance.now() >= deadline) return "more";
    }
  }

  // Steps hart `id` for about HART_QUANTUM instructions or until a step exits for another reason.
  private runHart(id: number): RunFinish | "wfi" | undefined {
    const referenceHart = this.reference.harts[id]!, subjectHart = this.subject.harts[id]!;
    const referenceStart = referenceHart.instret, subjectStart = subjectHart.instret;
    let executedTotal = 0n;
    for (;;) {
      const pc = subjectHart.pc;
      const instret = subjectHart.instret, traps = subjectHart.read64(H_STAT_TRAPS);
      const subjectReason = this.subject.core.runDbt(id, 1n);
      const executed = subjectHart.instret - instret + (subjectHart.read64(H_STAT_TRAPS) - traps);
      const referenceReason = this.reference.core.run(id, executed);
      // The interpreter sampled interrupts at the end of its run(); let the translator sample too
      // (an internal call: its exit is not counted in the machine's statistics).
      if (subjectReason === EXIT_BUDGET) {
        const counter = H_STAT_EXITS + 8 * this.subject.core.run(id, 0n);
        subjectHart.write64(counter, subjectHart.read64(counter) - 1n);
      }
      this.record({ step: ++this.steps, hart: id, pc, executed });
      this.options.afterStep?.({ step: this.steps, hart: id, reference: this.reference, subject: this.subject });
      if (referenceReason !== subjectReason) {
        this.diverge("exit", id, `the step ended with "${exitReasonName(referenceReason)}" on interp, "${exitReasonName(subjectReason)}" on dbt`);
      }
      this.compareHart(id);
      for (const region of this.options.watchedRegions ?? []) this.compareMemory(id, region);
      const interval = this.options.memoryCheckInterval ?? DEFAULT_MEMORY_CHECK_INTERVAL;
      if (interval > 0 && this.steps % interval === 0) this.compareMemory(id);
      executedTotal += executed;
      if (subjectReason === EXIT_BUDGET && executedTotal < HART_QUANTUM) continue;
      const referenceRetired = referenceHart.instret - referenceStart;
      this.retired += referenceRetired;
      this.checkLimit();
      if (subjectReason === EXIT_BUDGET && referenceRetired === 0n) return undefined; // only faults: nothing to account
      const referenceFinish = this.reference.completeHartRun(referenceHart, referenceReason, referenceRetired);
      const subjectFinish = this.subject.completeHartRun(subjectHart, subjectReason, subjectHart.instret - subjectStart);
      // The exit was served (hypercall results in registers): compare again. Memory the VMM wrote
      // is covered by the periodic and the final full comparison.
      if (subjectReason !== EXIT_BUDGET) this.compareHart(id);
      return this.bothAgree(`exit "${exitReasonName(referenceReason)}"`, referenceFinish, subjectFinish, id);
    }
  }

  private checkLimit(): void {
    const max = this.options.maxInstructions;
    if (max !== undefined && this.retired >= BigInt(max)) throw new LimitError(this.retired, BigInt(max));
  }

  private bothAgree<T>(where: string, reference: T, subject: T, hart = 0): T {
    if (JSON.stringify(reference) !== JSON.stringify(subject)) {
      this.diverge("finish", hart, `${where}: interp ${JSON.stringify(reference)}, dbt ${JSON.stringify(subject)}`);
    }
    return reference;
  }

  private record(step: StepRecord): void {
    this.history.push(step);
    if (this.history.length > (this.options.historyLength ?? DEFAULT_HISTORY)) this.history.shift();
  }

  private compareAllHarts(): void {
    for (const hart of this.reference.harts) this.compareHart(hart.id);
  }

  private compareHart(id: number): void {
    if (quickStatesEqual(this.reference.core.views, this.subject.core.views, id)) return;
    const reference = captureState(this.reference.core.views, id);
    const subject = captureState(this.subject.core.views, id);
    if (compareStates(reference, subject).length > 0) this.diverge("state", id);
  }

  private compareMemory(id: number, region?: RamRegion): void {
    if (!region) this.memoryChecks++;
    const memory = firstMemoryDifference(this.reference.core.ram, this.subject.core.ram, region);
    if (memory) this.diverge("memory", id, undefined, memory);
  }

  private compareOutputs(): void {
    this.reference.flushOutput();
    this.subject.flushOutput();
    const a = this.outputs.reference, b = this.outputs.subject;
    if (a.length !== b.length || a.hash !== b.hash) {
      this.diverge("output", 0, `console output differs: interp ${a.length} bytes ending ${JSON.stringify(a.tail)}, ` +
        `dbt ${b.length} bytes ending ${JSON.stringify(b.tail)}`);
    }
  }

  private diverge(kind: DivergenceKind, hart: number, detail?: string, memory?: MemoryDifference): never {
    const reference = captureState(this.reference.core.views, hart);
    const subject = captureState(this.subject.core.views, hart);
    const last = this.history[this.history.length - 1];
    const lastStepCode = last ? this.decodeStep(last, reference) : [];
    throw new DivergenceError(buildReport({
      kind, step: this.steps, hart, differences: compareStates(reference, subject), memory, detail,
      recentSteps: [...this.history], lastStepCode,
    }, reference, subject));
  }

  // The instructions of `step`, read from the reference machine's RAM (through its page table when
  // translation is on: a read-only Sv39/Sv48 walk, priv spec §10.3.2).
  private decodeStep(step: StepRecord, state: StateSnapshot): string[] {
    const ram = this.reference.core.ram;
    const physical = translateFetch(ram, state, step.pc);
    if (physical === undefined) return [`${"0x" + step.pc.toString(16)}: (code not readable from the host)`];
    const offset = Number(physical - BigInt(ram.base));
    const length = Math.min(4 * DECODE_LIMIT, ram.size - offset, 4096 - (offset & 4095));
    const count = Math.max(1, Math.min(DECODE_LIMIT, Number(step.executed)));
    return describeCode(step.pc, ram.bytes.slice(offset, offset + length), count, (raw) => this.reference.core.decodeOperation(raw));
  }
}

/** Guest physical address of the instruction fetch at `pc` in `state`, if mapped to RAM. */
function translateFetch(ram: GuestRam, state: StateSnapshot, pc: bigint): bigint | undefined {
  const satp = stateField(state, "satp");
  const mode = Number(satp >> 60n);
  let address = pc;
  if (stateField(state, "priv") !== 3n && mode !== 0) {
    const levels = mode === 8 ? 3 : mode === 9 ? 4 : 0;
    if (levels === 0) return undefined;
    let table = (satp & ((1n << 44n) - 1n)) << 12n;
    let found: bigint | undefined;
    for (let level = levels - 1; level >= 0; level--) {
      const entryAddress = table + ((pc >> BigInt(12 + 9 * level)) & 511n) * 8n;
      if (!ram.contains(entryAddress, 8)) return undefined;
      const entry = new DataView(ram.bytes.buffer, ram.bytes.byteOffset).getBigUint64(Number(entryAddress - BigInt(ram.base)), true);
      if ((entry & 1n) === 0n) return undefined;
      const ppn = (entry >> 10n) & ((1n << 44n) - 1n);
      if ((entry & 0xan) !== 0n) { // R or X: a leaf; a superpage keeps the low bits of the address
        const low = (1n << BigInt(12 + 9 * level)) - 1n;
        found = ((ppn << 12n) & ~low) | (pc & low);
        break;
      }
      table = ppn << 12n;
    }
    if (found === undefined) return undefined;
    address = found;
  }
  return address >= BigInt(DRAM_BASE) && ram.contains(address, 2) ? address : undefined;
}

/** Length, rolling hash and last bytes of a console output stream. */
class OutputDigest {
  length = 0;
  hash = 0x811c9dc5;
  tail = "";

  /** Adds bytes written by the guest. */
  add(data: Uint8Array): void {
    for (const byte of data) this.hash = Math.imul(this.hash ^ byte, 0x01000193) >>> 0;
    this.length += data.length;
    this.tail = (this.tail + Buffer.from(data).toString("latin1")).slice(-40);
  }
}
