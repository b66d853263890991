// Runs generated instruction streams (streams.ts) under the lock-step driver (host/vmm/lockstep.ts):
// the interpreter and the translator, each in its own machine, compared after every step. A pair of
// machines is reused for many streams (creating one costs a core instance and a large memory): each
// stream's image is written into both RAMs, the harts reset, and the translator's code cache and
// both soft TLBs flushed, as the machines do after a guest reset.
import { LockstepMachine, captureState, compareStates } from "../../host/vmm/lockstep.js";
import type { Machine } from "../../host/machine/machine.js";
import { H_STAT_INTERRUPTS, H_STAT_TRAPS, H_STAT_JIT_INSNS, H_STAT_JIT_INVALIDATIONS } from "../../host/core/layout.generated.js";
import { DATA, DATA_SIZE, DRAM, HANDLER_AREA, PAGE_TABLES, PROLOGUE, STREAM_RAM, delegatedTraps, type Stream } from "./streams.js";

/** What one stream did (the two engines agreed on all of it). */
export interface StreamOutcome {
  /** Instructions retired. */
  readonly instructions: bigint;
  /** Exceptions taken. */
  readonly traps: bigint;
  /** Interrupts taken. */
  readonly interrupts: bigint;
  /** Instructions retired inside translated code. */
  readonly translated: bigint;
  /** Exceptions the S-mode handler took (delegated). */
  readonly delegated: bigint;
  /** Code pages whose translations a store invalidated (self-modifying code). */
  readonly invalidations: bigint;
  /** Steps compared. */
  readonly steps: number;
}

/** Streams one machine pair runs before it is replaced (bounds the translations it keeps). */
const STREAMS_PER_PAIR = 100;
/** Far above what any stream retires or steps (a stream has no unbounded loop). */
const STREAM_INSTRUCTION_LIMIT = 200_000n;
const STREAM_STEP_LIMIT = 100_000;

/** Runs streams in lock step at one translation threshold. */
export class StreamRunner {
  private lockstep: LockstepMachine | undefined;
  private used = 0;
  private firstStep = 0;

  /** A runner whose translator translates a block after `threshold` executions. */
  constructor(private readonly threshold: number) {}

  /** Runs `stream` on both engines; DivergenceError (from the driver) if they disagree. */
  async run(stream: Stream): Promise<StreamOutcome> {
    if (!this.lockstep || this.used >= STREAMS_PER_PAIR) {
      this.dispose();
      this.lockstep = await LockstepMachine.create({
        memorySize: STREAM_RAM, dbtThreshold: this.threshold, output: () => {}, memoryCheckInterval: 0,
        watchedRegions: [{ address: DATA, length: DATA_SIZE + 0x1000 }, { address: PAGE_TABLES, length: 0x3000 }],
        afterStep: ({ step }) => {
          if (step - this.firstStep > STREAM_STEP_LIMIT) throw new Error(`the stream did not end within ${STREAM_STEP_LIMIT} steps`);
        },
      }, () => {});
      this.used = 0;
    }
    this.used++;
    const lockstep = this.lockstep;
    for (const machine of [lockstep.reference, lockstep.subject]) load(machine, stream);
    const before = this.firstStep = lockstep.stats().steps;
    const hart = lockstep.subject.harts[0]!;
    const result = await lockstep.run();
    if (result.reason !== "poweroff" || result.exitCode !== 0 || result.instructions > STREAM_INSTRUCTION_LIMIT) {
      throw new Error(`stream ${stream.seed} ended with ${result.reason} ${result.exitCode} after ${result.instructions} instructions`);
    }
    // The final states, compared once more independently of the driver's step checks.
    const differences = compareStates(captureState(lockstep.reference.core.views, 0), captureState(lockstep.subject.core.views, 0));
    if (differences.length > 0) throw new Error(`stream ${stream.seed}: final states differ in ${differences.map((d) => d.name).join(", ")}`);
    if (Buffer.compare(lockstep.reference.core.ram.bytes, lockstep.subject.core.ram.bytes) !== 0) {
      throw new Error(`stream ${stream.seed}: final RAM differs`);
    }
    return {
      instructions: hart.instret, traps: hart.read64(H_STAT_TRAPS), interrupts: hart.read64(H_STAT_INTERRUPTS),
      translated: hart.read64(H_STAT_JIT_INSNS), invalidations: hart.read64(H_STAT_JIT_INVALIDATIONS),
      delegated: delegatedTraps(lockstep.reference.core.ram.bytes.subarray(HANDLER_AREA - DRAM, HANDLER_AREA - DRAM + 0x1000)), steps: lockstep.stats().steps - before,
    };
  }

  /** Releases the machines. */
  dispose(): void {
    this.lockstep?.dispose();
    this.lockstep = undefined;
  }
}

// Writes the stream into RAM and resets the hart to the prologue (counters too: the core's reset
// clears the whole hart block), then drops translations and TLB entries of the previous stream.
function load(machine: Machine, stream: Stream): void {
  const ram = machine.core.ram;
  ram.bytes.fill(0, HANDLER_AREA - ram.base, PAGE_TABLES + 0x3000 - ram.base);
  machine.loadImage({
    format: "raw", entry: BigInt(PROLOGUE), symbol: () => undefined,
    chunks: stream.chunks.map((chunk) => ({ address: chunk.address, data: chunk.data, zeroFill: 0 })),
  }, true);
  machine.core.exports.dbtFlush?.();
  machine.core.exports.tlbFlushAll();
}
