// The Machine: one guest on the `virt` board — the core, its memory, the devices, the clock and
// the run loop (the VMM's vCPU loop, like a KVM_RUN loop).
//
// run() calls core.run(hart, budget) in slices: each pass gives every hart a budget of
// instructions, and passes repeat until about `sliceMilliseconds` of wall time has gone by;
// then the loop flushes console output and yields to the event loop (so stdin is read and the
// embedder stays responsive). The budget adapts so that a pass takes about that long. Every exit
// reason is handled here: budget (continue), WFI (idle: advance or sleep the clock once every
// hart waits), stop (syscon power-off or reset, or stop()), HTIF, trace, halt, hypercalls and VM
// exits (given to the VMM's handlers; the hart then goes on with the rest of its budget), and
// the not-yet-used hypervisor exits (reported as guest errors).
import {
  EXIT_BUDGET, EXIT_NONE, EXIT_WFI, EXIT_ECALL, VMM_SBI_TIMER, EXIT_STOP, EXIT_HTIF, EXIT_TRACE, EXIT_HALT, EXIT_REASONS, OP_NAMES,
  M_JIT_THRESHOLD, H_STAT_JIT_INSNS, H_STAT_JIT_CALLS, H_STAT_JIT_INVALIDATIONS, EXIT_VTRAP,
  H_VSTIMECMP, H_HTIMEDELTA, H_HENVCFG,
  H_STAT_JIT_TRANSLATIONS, H_STAT_JIT_REGION_BLOCKS, H_STAT_JIT_REGION_PAGES, H_STAT_JIT_CHAINS, H_STAT_JIT_EVICTIONS, H_STAT_JIT_SLOTS_FREED,
} from "../core/layout.generated.js";
import { Core, type CoreFactory } from "../core/core.js";
import { GuestRam, hex, validateRamSize } from "../core/memory.js";
import { exitReasonName, sumCounters, type HartCounters, type HartState } from "../core/state.js";
import type { SysconRequest } from "../devices/syscon.js";
import { elfBootImage, parseElf } from "../loader/elf.js";
import { readImageFile, writeImage, type BootImage } from "../loader/image.js";
import { rawBootImage } from "../loader/raw.js";
import { createClock, DEFAULT_INSNS_PER_TICK, type ClockMode, type ClockSource, parseClockMode } from "./clock.js";
import { ConsoleInput, ConsoleOutput, streamWriter, type OutputWriter } from "./console.js";
import { ConfigError, CoreError, GuestError, IdleError, LimitError, LoadError } from "./errors.js";
import { buildVirtDeviceTree, DEFAULT_ISA_LETTERS, type VirtDeviceTreeConfig } from "./devicetree.js";
import { assembleVirt, type VirtBoard } from "./virt.js";
import { cpuFlagsFor, guestHasH, parseVirtMode, type CpuOptions, type VirtMode } from "./cpu.js";
import { planGuestMemory, type GuestMemoryPlan } from "../vmm/gstage.js";
import { ConsoleDevice, createVirtioDevice, openFileDisk, type FileDisk, type VirtioDevice } from "../virtio/index.js";

/** Execution engines: interp and dbt run one Machine; lockstep runs two side by side
 *  (host/vmm/lockstep.ts: LockstepMachine, interp as the reference and dbt compared with it). */
export const ENGINES = ["interp", "dbt", "lockstep"] as const;
/** Name of an execution engine. */
export type EngineName = (typeof ENGINES)[number];
/** Default guest RAM: 128 MiB, like QEMU `virt`. */
export const DEFAULT_MEMORY_SIZE = 128 * 1024 * 1024;
/** Default wall time of one run slice between yields to the event loop. */
export const DEFAULT_SLICE_MILLISECONDS = 10;

const MIN_BUDGET = 1_000, MAX_BUDGET = 50_000_000, INITIAL_BUDGET = 100_000;
const STUCK_IDLE_ROUNDS = 1000;
const MIE_STIE = 1n << 5n, MIE_VSTIE = 1n << 6n, MIE_MTIE = 1n << 7n, MENVCFG_STCE = 1n << 63n, NEVER = (1n << 64n) - 1n;

/** Options of Machine.create. */
export interface MachineOptions {
  /** Guest RAM in bytes (default 128 MiB; a multiple of 4 KiB, at least 1 MiB). */
  memorySize?: number;
  /** Number of harts (default 1). */
  harts?: number;
  /** Clock source (default "deterministic"). */
  clock?: ClockMode;
  /** Deterministic clock: retired instructions per 10 MHz tick (default 10 = a 100 MIPS guest). */
  instructionsPerTick?: number;
  /** Stop with LimitError after this many retired instructions (default: no limit). */
  maxInstructions?: bigint | number;
  /** Execution engine: "dbt" (default: hot code translated to wasm), "interp" (the reference) or
   *  "lockstep" (LockstepMachine only). A core without the translator falls back to "interp". */
  engine?: string;
  /** Engine "dbt": executions of a block before it is translated (default: the core's, 5000). */
  dbtThreshold?: number;
  /** Receives guest console output (default: process.stdout). */
  output?: OutputWriter;
  /** Stream the guest's console input comes from (default: none). */
  stdin?: NodeJS.ReadableStream | null;
  /** Whether more input may arrive through sendInput() even without a stream (default false). */
  interactive?: boolean;
  /** Single-step and report every instruction to traceWriter. */
  trace?: boolean;
  /** Receives trace text (default: process.stderr). */
  traceWriter?: (text: string) => void;
  /** Wall time per run slice in milliseconds (default 10). */
  sliceMilliseconds?: number;
  /** Path of the core (default build/core.wasm in the package). */
  corePath?: string;
  /** Replaces the wasm core (tests). */
  coreFactory?: CoreFactory;
  /** virtio-mmio devices, slot 0 first: disks, an entropy source, a console. */
  virtio?: readonly VirtioDeviceSpec[];
  /** Deterministic clock: the RTC's wall time at mtime 0, in seconds since 1970 (default 2024-01-01). */
  rtcEpochSeconds?: number;
  /** Optional hart features: the hypervisor extension for the guest, the G-stage page-walk cache. */
  cpu?: CpuOptions;
  /** How a kernel guest is virtualized: "full" (default) or "hw" (VS-mode under H; host/vmm/hw.ts). */
  virt?: VirtMode;
}

/** What deviceTree() puts into /chosen and how it describes the board beyond the machine's own configuration. */
export interface DeviceTreeOptions {
  /** Kernel command line (/chosen/bootargs). */
  bootargs?: string;
  /** Guest physical range [start, end) of an initrd placed in RAM. */
  initrd?: { start: bigint; end: bigint };
  /** Bytes for /chosen/rng-seed. */
  rngSeed?: Uint8Array;
  /** virtio-mmio slots to describe (default all eight, like QEMU). */
  virtioSlots?: readonly number[];
  /** Translation mode announced in mmu-type (default "sv48"). */
  mmuType?: VirtDeviceTreeConfig["mmuType"];
  /** Entries of the DTB's memory reservation block. */
  reservations?: VirtDeviceTreeConfig["reservations"];
}

/** A virtio device of the machine: a disk image, the entropy device or a console. */
export type VirtioDeviceSpec =
  | { type: "blk"; path: string; readOnly?: boolean }
  | { type: "rng" }
  | { type: "console" };

/** How a run ended. */
export interface RunResult {
  /** "poweroff" (syscon), "htif" (tohost exit) or "stopped" (stop() was called). */
  readonly reason: "poweroff" | "htif" | "stopped";
  /** The guest's exit code (0 = success; 0 for "stopped"). */
  readonly exitCode: number;
  /** Instructions retired by all harts during this run. */
  readonly instructions: bigint;
  /** Wall time of this run in milliseconds. */
  readonly wallTimeMs: number;
}

/** Statistics of everything the machine has run so far. */
export interface MachineStats {
  /** Instructions retired (all harts). */
  readonly instructions: bigint;
  /** Wall time spent in run() in milliseconds. */
  readonly wallTimeMs: number;
  /** Millions of instructions per second of wall time. */
  readonly mips: number;
  /** run() exits by reason name ("budget", "wfi", ...), counted by the core. */
  readonly exits: Readonly<Record<string, bigint>>;
  /** Sum of every hart's counters. */
  readonly total: HartCounters;
  /** Counters per hart. */
  readonly harts: readonly HartCounters[];
  /** Accesses per bus device. */
  readonly devices: readonly { name: string; reads: number; writes: number }[];
  /** Guest-requested resets. */
  readonly resets: number;
  /** Current mtime. */
  readonly mtime: bigint;
  /** VM exits handled by the VMM (--virt hw), by reason ("sbi", "mmio-load", ...). */
  readonly vmExits: Readonly<Record<string, number>>;
  /** Engine "dbt" only: translation counters. */
  readonly dbt?: {
    /** Regions compiled to wasm modules and installed (one module per region). */
    readonly compiles: number;
    /** Bytes of wasm compiled. */
    readonly wasmBytes: number;
    /** Regions the host failed to compile. */
    readonly failures: number;
    /** Host milliseconds spent compiling. */
    readonly compileMs: number;
    /** Host milliseconds spent instantiating and installing. */
    readonly instantiateMs: number;
    /** Installations into a reused (freed) table slot. */
    readonly reusedSlots: number;
    /** Length of the core's function table. */
    readonly tableSize: number;
    /** Regions the core translated (EXIT_TRANSLATE exits). */
    readonly regions: bigint;
    /** Block entry points in those regions. */
    readonly regionBlocks: bigint;
    /** Guest pages (one function each) of the translated modules. */
    readonly regionPages: bigint;
    /** Exits of translated code chained to another translation without the dispatcher. */
    readonly chainedExits: bigint;
    /** Instructions retired inside translated code. */
    readonly translatedInstructions: bigint;
    /** Calls of translated regions (entries from the dispatcher). */
    readonly translatedCalls: bigint;
    /** Code pages invalidated by guest stores. */
    readonly invalidations: bigint;
    /** Ready cache entries replaced (collisions, stale pages, newer regions). */
    readonly evictions: bigint;
    /** Table slots freed for reuse. */
    readonly freedSlots: bigint;
  };
}

/** How a run ends, before its instruction count and wall time are known. */
export type RunFinish = { reason: RunResult["reason"]; exitCode: number };

/** A RISC-V `virt` machine: load an image, run it, read its statistics. */
export class Machine {
  /** The WebAssembly core with its memory and state accessors. */
  readonly core: Core;
  /** Devices and bus. */
  readonly board: VirtBoard;
  /** Guest time source. */
  readonly clock: ClockSource;
  /** Guest console input. */
  readonly input: ConsoleInput;
  /** Guest console output. */
  readonly output: ConsoleOutput;
  /** Execution engine in use. */
  readonly engine: EngineName;
  /** VMM mode for kernel guests. */
  readonly virt: VirtMode;
  /** Hart features asked for. */
  readonly cpu: CpuOptions;
  /** The guest's RAM: all of the host's, or (--virt hw) what the G-stage reserve leaves. */
  readonly guestRam: GuestRam;
  /** --virt hw: how host RAM is split between the guest and the G-stage tables. */
  readonly memoryPlan: GuestMemoryPlan | undefined;
  /** VM exits by reason, counted by the VMM that handles EXIT_VTRAP. */
  readonly vmExits = new Map<string, number>();
  private readonly maxInstructions: bigint | undefined;
  private readonly stdin: NodeJS.ReadableStream | null;
  private readonly trace: boolean;
  private readonly traceWriter: (text: string) => void;
  private readonly sliceMilliseconds: number;
  private traceBuffer: string[] = [];
  private images: BootImage[] = [];
  private entry: bigint | undefined;
  private pending: SysconRequest | { kind: "stopped" } | undefined;
  private stopWaiters: (() => void)[] = [];
  private readonly virtioDevices: VirtioDevice[];
  private readonly disks: FileDisk[] = [];
  private hypercallHandler: ((hart: HartState) => void) | undefined;
  private virtualTrapHandler: ((hart: HartState) => void) | undefined;
  private bootHook: ((hart: HartState) => void) | undefined;
  private readonly parked = new Set<number>();
  private budget = INITIAL_BUDGET;
  private retired = 0n;
  private wallTime = 0;
  private resets = 0;
  private running = false;

  private constructor(core: Core, options: MachineOptions, engine: EngineName, maxInstructions: bigint | undefined,
                      virt: VirtMode, plan: GuestMemoryPlan | undefined) {
    this.core = core;
    this.engine = engine;
    this.virt = virt;
    this.cpu = { ...options.cpu };
    this.memoryPlan = plan;
    this.guestRam = plan ? new GuestRam(core.views, plan.guestSize) : core.ram;
    if (engine === "dbt") {
      // DMA bypasses the soft TLB's store protection of code pages: tell the core directly.
      const note = core.exports.noteHostWrite;
      if (note) core.ram.deviceWriteListener = this.guestRam.deviceWriteListener = (address, length) => note(BigInt(address), BigInt(length));
    }
    this.maxInstructions = maxInstructions;
    this.clock = createClock(options.clock ?? "deterministic", core.machine, options.instructionsPerTick ?? DEFAULT_INSNS_PER_TICK);
    this.output = new ConsoleOutput(options.output ?? streamWriter(process.stdout));
    this.stdin = options.stdin ?? null;
    this.input = new ConsoleInput(options.interactive ?? false);
    this.trace = options.trace ?? false;
    this.traceWriter = options.traceWriter ?? ((text) => { process.stderr.write(text); });
    this.sliceMilliseconds = options.sliceMilliseconds ?? DEFAULT_SLICE_MILLISECONDS;
    const epoch = options.rtcEpochSeconds;
    this.virtioDevices = (options.virtio ?? []).map((spec) => this.createVirtioDevice(spec));
    this.board = assembleVirt({
      virtio: this.virtioDevices, dmaRam: this.guestRam,
      core, clock: this.clock, output: this.output, input: this.input,
      onSyscon: (request) => { this.pending = request; core.requestStop(); },
      rtc: epoch === undefined ? undefined : { epochNanoseconds: BigInt(epoch) * 1_000_000_000n },
    });
    const consoles = this.virtioDevices.filter((d): d is ConsoleDevice => d instanceof ConsoleDevice);
    this.input.listener = () => {
      this.board.uart.updateInterrupt();
      for (const c of consoles) c.receiveInput();
    };
    core.machine.trace = this.trace ? 1 : 0;
    if (options.dbtThreshold !== undefined) core.machine.write32(M_JIT_THRESHOLD, options.dbtThreshold);
  }

  /** Validates `options`, instantiates the core and assembles the board. */
  static async create(options: MachineOptions = {}): Promise<Machine> {
    const requested = options.engine;
    const engine = requested ?? "dbt";
    if (!(ENGINES as readonly string[]).includes(engine)) {
      throw new ConfigError(`unknown engine "${engine}" (available: ${ENGINES.join(", ")})`);
    }
    if (engine === "lockstep") {
      throw new ConfigError(`engine "lockstep" runs two machines: create it with LockstepMachine.create (host/vmm/lockstep.ts)`);
    }
    if (options.clock !== undefined) parseClockMode(options.clock);
    if (options.rtcEpochSeconds !== undefined && !(Number.isSafeInteger(options.rtcEpochSeconds) && options.rtcEpochSeconds >= 0)) {
      throw new ConfigError(`RTC epoch must be a whole number of seconds ≥ 0 (got ${options.rtcEpochSeconds})`);
    }
    let max: bigint | undefined;
    if (options.maxInstructions !== undefined) {
      if (typeof options.maxInstructions === "number" && !Number.isSafeInteger(options.maxInstructions)) {
        throw new ConfigError(`maximum instruction count must be a whole number (got ${options.maxInstructions})`);
      }
      max = BigInt(options.maxInstructions);
      if (max <= 0n) throw new ConfigError(`maximum instruction count must be positive (got ${max})`);
    }
    const slice = options.sliceMilliseconds ?? DEFAULT_SLICE_MILLISECONDS;
    if (!(slice > 0)) throw new ConfigError(`slice length must be positive (got ${slice} ms)`);
    const virt = parseVirtMode(options.virt);
    const cpuFlags = cpuFlagsFor(options.cpu, virt);
    const ramSize = options.memorySize ?? DEFAULT_MEMORY_SIZE;
    let plan: GuestMemoryPlan | undefined;
    if (virt === "hw") {
      validateRamSize(ramSize);
      plan = planGuestMemory(ramSize);
    }
    const core = await Core.create({
      ramSize, harts: options.harts ?? 1, cpuFlags,
      corePath: options.corePath, factory: options.coreFactory,
    });
    // The translator is the default; a core without it (e.g. a test double) runs the interpreter.
    const chosen = requested === undefined && !core.exports.runDbt ? "interp" : engine;
    return new Machine(core, options, chosen as EngineName, max, virt, plan);
  }

  /** Hart-state accessors. */
  get harts(): readonly HartState[] {
    return this.core.harts;
  }

  /** Loads an ELF executable from a path or bytes; its entry point becomes the boot address. */
  async loadElf(file: string | Uint8Array, source?: string): Promise<BootImage> {
    const bytes = typeof file === "string" ? await readImageFile(file) : file;
    const elf = parseElf(bytes, source ?? (typeof file === "string" ? file : "ELF image"));
    return this.loadImage(elfBootImage(elf, this.core.ram));
  }

  /** Loads a raw binary at `address` (default DRAM_BASE); that address becomes the boot address. */
  async loadRaw(file: string | Uint8Array, address?: bigint, source?: string): Promise<BootImage> {
    const bytes = typeof file === "string" ? await readImageFile(file) : file;
    return this.loadImage(rawBootImage(bytes, this.core.ram, { address, source: source ?? (typeof file === "string" ? file : undefined) }));
  }

  /** Places `image` in RAM, publishes its HTIF words and, if `boot`, resets every hart to its entry. */
  loadImage(image: BootImage, boot = true): BootImage {
    writeImage(image, this.core.ram);
    if (image.tohost !== undefined || image.fromhost !== undefined) this.board.htif.configure(image.tohost, image.fromhost);
    this.images.push(image);
    if (boot) {
      this.entry = image.entry;
      this.resetHarts();
    }
    return image;
  }

  /** The flattened device tree (DTB bytes) describing this machine's `virt` board to a guest. */
  deviceTree(options: DeviceTreeOptions = {}): Uint8Array {
    return buildVirtDeviceTree({
      harts: this.core.harts.length,
      memorySize: this.guestRam.size,
      isaLetters: guestHasH(this.cpu, this.virt) ? [...DEFAULT_ISA_LETTERS, "h"] : undefined,
      ...options,
    }).toBytes();
  }

  /** Installs the VMM's handler for EXIT_ECALL (hypercalls such as SBI in direct boot). */
  setHypercallHandler(handler: ((hart: HartState) => void) | undefined): void {
    this.hypercallHandler = handler;
  }

  /** Installs the VMM's handler for EXIT_VTRAP (VM exits of a VS-mode guest, --virt hw). */
  setVirtualTrapHandler(handler: ((hart: HartState) => void) | undefined): void {
    this.virtualTrapHandler = handler;
  }

  /** Installs a hook run on every hart after each (re)boot, e.g. to enter a kernel in S-mode. */
  setBootHook(hook: ((hart: HartState) => void) | undefined): void {
    this.bootHook = hook;
    this.resetHarts();
  }

  /** Parks hart `id` (it does not run until unparked) or unparks it: HSM hart_stop/hart_start. */
  setHartParked(id: number, parked: boolean): void {
    if (parked) this.parked.add(id); else this.parked.delete(id);
  }

  /** Whether hart `id` is parked. */
  isHartParked(id: number): boolean {
    return this.parked.has(id);
  }

  /** Requests a power-off (with an exit code) or a reset, as the syscon device or SBI SRST do. */
  requestSystemEvent(request: SysconRequest): void {
    this.pending = request;
    this.core.requestStop();
  }

  /** Queues console input for the guest (as if typed). */
  sendInput(data: Uint8Array | string): void {
    this.input.push(data);
  }

  /** Asks a running machine to stop at the next opportunity; run() then resolves "stopped". */
  stop(): void {
    if (!this.running) return;
    this.pending ??= { kind: "stopped" };
    this.core.requestStop();
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    for (const w of waiters) w();
  }

  /** Runs the guest until it powers off, exits through HTIF or is stopped; LimitError etc. on failure. */
  async run(): Promise<RunResult> {
    if (this.entry === undefined) throw new LoadError("nothing to run: load an image first");
    if (this.running) throw new ConfigError("the machine is already running");
    this.running = true;
    if (this.stdin) this.input.attach(this.stdin);
    const startRetired = this.retired;
    const start = performance.now();
    let sliceStart = start;
    try {
      let stuckRounds = 0;
      for (;;) {
        const outcome = this.runSlice();
        this.flush();
        if (typeof outcome === "object") {
          return { ...outcome, instructions: this.retired - startRetired, wallTimeMs: performance.now() - start };
        }
        if (outcome === "idle") {
          const before = this.clock.now();
          const how = await this.idle();
          stuckRounds = how === "deadline" && this.clock.now() === before ? stuckRounds + 1 : 0;
          if (stuckRounds >= STUCK_IDLE_ROUNDS) {
            throw new IdleError("the harts stay in WFI although their timer is due; no interrupt is delivered");
          }
        } else {
          stuckRounds = 0;
        }
        // Yield to the event loop about once per slice (and after every idle period).
        if (outcome === "idle" || performance.now() - sliceStart >= this.sliceMilliseconds) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
    } finally {
      this.flush();
      this.input.detach();
      this.wallTime += performance.now() - start;
      this.running = false;
    }
  }

  /** Statistics of everything run so far. */
  stats(): MachineStats {
    const harts = this.core.harts.map((h) => h.counters());
    const total = sumCounters(harts);
    const exits: Record<string, bigint> = {};
    for (let i = 0; i < EXIT_REASONS; i++) {
      const n = total.exits[i] ?? 0n;
      if (n !== 0n) exits[exitReasonName(i)] = n;
    }
    return {
      instructions: this.retired, wallTimeMs: this.wallTime,
      mips: this.wallTime > 0 ? Number(this.retired) / this.wallTime / 1000 : 0,
      exits, total, harts, vmExits: Object.fromEntries(this.vmExits),
      devices: this.board.bus.mappings().map((m) => ({ name: m.name, reads: m.reads, writes: m.writes })),
      resets: this.resets, mtime: this.clock.now(),
      ...(this.engine === "dbt" ? { dbt: {
        ...this.core.dbt,
        translatedInstructions: this.sumHart(H_STAT_JIT_INSNS),
        translatedCalls: this.sumHart(H_STAT_JIT_CALLS),
        invalidations: this.sumHart(H_STAT_JIT_INVALIDATIONS),
        regions: this.sumHart(H_STAT_JIT_TRANSLATIONS),
        regionBlocks: this.sumHart(H_STAT_JIT_REGION_BLOCKS),
        regionPages: this.sumHart(H_STAT_JIT_REGION_PAGES),
        chainedExits: this.sumHart(H_STAT_JIT_CHAINS),
        evictions: this.sumHart(H_STAT_JIT_EVICTIONS),
        freedSlots: this.sumHart(H_STAT_JIT_SLOTS_FREED),
      } } : {}),
    };
  }

  private sumHart(offset: number): bigint {
    let n = 0n;
    for (const h of this.core.harts) n += h.read64(offset);
    return n;
  }

  /** Releases the host resources (stdin listener, disk image files). The memory goes with the object. */
  dispose(): void {
    this.input.detach();
    for (const disk of this.disks.splice(0)) disk.close();
  }

  private createVirtioDevice(spec: VirtioDeviceSpec): VirtioDevice {
    switch (spec.type) {
      case "blk": {
        const disk = openFileDisk(spec.path, { readOnly: spec.readOnly ?? false });
        this.disks.push(disk);
        return createVirtioDevice("blk", { disk, readOnly: spec.readOnly ?? false });
      }
      case "rng": return createVirtioDevice("rng", { mode: this.clock.mode });
      case "console": return createVirtioDevice("console", { output: this.output, input: this.input });
    }
  }

  // Runs passes over the harts for about one slice. Returns a finish record, "idle" when every
  // hart waits in WFI, or "more" when the slice is over.
  private runSlice(): RunFinish | "idle" | "more" {
    const deadline = performance.now() + this.sliceMilliseconds;
    for (;;) {
      const t0 = performance.now();
      const outcome = this.pass();
      if (outcome !== "more") return outcome;
      const t1 = performance.now();
      if (!this.trace) this.adaptBudget(t1 - t0);
      if (t1 >= deadline) return "more";
    }
  }

  // One pass: every hart runs once for up to the budget. Handles every exit reason.
  private pass(): RunFinish | "idle" | "more" {
    const early = this.beginPass();
    if (early) return early;
    let waiting = 0;
    for (const hart of this.core.harts) {
      if (this.parked.has(hart.id)) { waiting++; continue; }
      let budget = BigInt(this.trace ? 1 : this.budget);
      if (this.maxInstructions !== undefined) {
        const left = this.maxInstructions - this.retired;
        if (left <= 0n) throw new LimitError(this.retired, this.maxInstructions);
        if (left < budget) budget = left;
      }
      let finish: RunFinish | "wfi" | undefined;
      for (;;) {
        const before = hart.instret;
        const reason = this.engine === "dbt" ? this.core.runDbt(hart.id, budget) : this.core.run(hart.id, budget);
        const retired = hart.instret - before;
        finish = this.completeHartRun(hart, reason, retired);
        // An exit the VMM has handled (a VM exit under --virt hw, a hypercall) resumes the same
        // hart with what is left of its budget: otherwise a hart that exits often would advance
        // one exit per pass while the other harts spend whole budgets (with two harts, a boot
        // under --virt hw took 16 times the instructions). Each exit costs one unit of budget, so
        // a guest that traps without retiring still ends the pass.
        budget -= retired + 1n;
        const handled = reason === EXIT_VTRAP || reason === EXIT_ECALL;
        if (!handled || finish !== undefined || budget <= 0n || this.pending || this.trace) break;
      }
      if (finish === "wfi") waiting++;
      else if (finish !== undefined) return finish;
    }
    if (this.maxInstructions !== undefined && this.retired >= this.maxInstructions) {
      throw new LimitError(this.retired, this.maxInstructions);
    }
    return waiting === this.core.harts.length ? "idle" : "more";
  }

  /** Lock-step support (host/vmm/lockstep.ts): acts on a pending stop, power-off or reset request,
   *  then prepares devices and clock for a pass over the harts; how the run ends, if it ends here. */
  beginPass(): RunFinish | undefined {
    // A request that did not end the last run() with EXIT_STOP (stop() between slices, or a
    // syscon write in the same instruction as another exit) is acted on now.
    const early = this.consumePending();
    if (early) return early;
    this.core.machine.stop = 0;
    this.clock.beforeSlice();
    this.board.rtc.poll();
    this.board.htif.poll();
    return undefined;
  }

  /** Lock-step support: counts `retired` instructions of `hart` and handles the exit `reason` of its
   *  run; how the run ends, "wfi" when the hart waits, undefined to go on. */
  completeHartRun(hart: HartState, reason: number, retired: bigint): RunFinish | "wfi" | undefined {
    this.retired += retired;
    return this.handleExit(hart, reason, retired);
  }

  /** Lock-step support: waits while every hart is in WFI (advances the deterministic clock). */
  waitWhileIdle(): Promise<"deadline" | "woken"> {
    return this.idle();
  }

  /** Lock-step support: flushes console output and trace text. */
  flushOutput(): void {
    this.flush();
  }

  private handleExit(hart: HartState, reason: number, retired: bigint): RunFinish | "wfi" | undefined {
    switch (reason) {
      case EXIT_BUDGET:
      case EXIT_NONE:
        if (retired === 0n) {
          throw new CoreError(`the core returned exit reason "${exitReasonName(reason)}" for hart ${hart.id} ` +
            `without retiring an instruction (pc ${hex(hart.pc)}); is run() implemented?`);
        }
        return undefined;
      case EXIT_WFI:
        return "wfi";
      case EXIT_STOP:
        return this.consumePending();
      case EXIT_HTIF: {
        const outcome = this.board.htif.handle(hart.exitValue);
        return outcome.kind === "exit" ? { reason: "htif", exitCode: outcome.exitCode } : undefined;
      }
      case EXIT_TRACE:
        this.traceInstruction(hart);
        return undefined;
      case EXIT_ECALL:
        if (!this.hypercallHandler) {
          throw new GuestError(`hart ${hart.id} made a hypercall at pc ${hex(hart.pc)} but no VMM service is installed`);
        }
        this.hypercallHandler(hart);
        return this.pending ? this.consumePending() : undefined;
      case EXIT_VTRAP:
        if (!this.virtualTrapHandler) {
          throw new GuestError(`hart ${hart.id} left VS-mode (cause ${hex(hart.exitCode)}) at pc ${hex(hart.pc)} but no VMM handles VM exits`);
        }
        this.virtualTrapHandler(hart);
        return this.pending ? this.consumePending() : undefined;
      case EXIT_HALT:
        throw new GuestError(`hart ${hart.id} halted at pc ${hex(hart.exitAddress)} (detail ${hart.exitCode}); ` +
          `mcause ${hex(hart.mcause)}, mtval ${hex(hart.mtval)}`);
      default:
        if (reason < EXIT_REASONS) {
          throw new GuestError(`hart ${hart.id} exited with "${exitReasonName(reason)}" at pc ${hex(hart.pc)}, ` +
            `which this machine does not handle yet (detail ${hart.exitCode}, address ${hex(hart.exitAddress)})`);
        }
        throw new CoreError(`the core returned unknown exit reason ${reason} for hart ${hart.id}`);
    }
  }

  // Acts on a pending stop, power-off or reset request: returns how the run ends, if it does.
  private consumePending(): RunFinish | undefined {
    const request = this.pending;
    if (!request) return undefined;
    this.pending = undefined;
    this.core.machine.stop = 0;
    if (request.kind === "poweroff") return { reason: "poweroff", exitCode: request.exitCode };
    if (request.kind === "stopped") return { reason: "stopped", exitCode: 0 };
    this.reset();
    return undefined;
  }

  // Every hart waits in WFI: deliver pending input, then advance (deterministic) or sleep (real)
  // until the nearest armed timer, or wait for input / stop(). Nothing to wait for → IdleError.
  private async idle(): Promise<"deadline" | "woken"> {
    if (this.pending) return "woken"; // the next pass acts on it
    this.board.htif.poll();
    this.board.uart.updateInterrupt();
    const deadline = this.nextTimerDeadline();
    const inputWait = this.input.waitForInput();
    const stopWait = new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    const wake = inputWait ? Promise.race([inputWait, stopWait]) : undefined;
    try {
      return await this.clock.idle(deadline, wake);
    } catch (error) {
      if (error instanceof IdleError) {
        const pcs = this.core.harts.map((h) => `hart ${h.id} at pc ${hex(h.pc)}`).join(", ");
        throw new IdleError(`no timer interrupt is enabled and armed and no input can arrive (${pcs})`);
      }
      throw error;
    } finally {
      this.stopWaiters = [];
    }
  }

  /** The earliest mtime at which an enabled timer interrupt of some hart (or the RTC alarm) fires, if any. */
  nextTimerDeadline(): bigint | undefined {
    let best = this.board.rtc.nextDeadline();
    for (const h of this.core.harts) {
      const mie = h.mie;
      const candidates: bigint[] = [];
      if ((mie & MIE_MTIE) !== 0n && h.mtimecmp !== NEVER) candidates.push(h.mtimecmp);
      const stimer = (h.menvcfg & MENVCFG_STCE) !== 0n || (this.core.machine.vmmFlags & VMM_SBI_TIMER) !== 0;
      if ((mie & MIE_STIE) !== 0n && stimer && h.stimecmp !== NEVER) candidates.push(h.stimecmp);
      // Sstc in VS-mode (--virt hw): VSTIP fires when time + htimedelta reaches vstimecmp.
      const vstimer = (h.menvcfg & MENVCFG_STCE) !== 0n && (h.read64(H_HENVCFG) & MENVCFG_STCE) !== 0n;
      const vstimecmp = h.read64(H_VSTIMECMP);
      if ((mie & MIE_VSTIE) !== 0n && vstimer && vstimecmp !== NEVER) {
        candidates.push(BigInt.asUintN(64, vstimecmp - h.read64(H_HTIMEDELTA)));
      }
      for (const c of candidates) if (best === undefined || c < best) best = c;
    }
    return best;
  }

  private reset(): void {
    this.resets++;
    for (const image of this.images) writeImage(image, this.core.ram);
    this.board.uart.reset();
    for (const h of this.core.harts) h.externalInterrupts = 0n;
    this.board.plic.reset();
    this.board.rtc.reset();
    for (const transport of this.board.virtio) transport.reset();
    this.core.exports.tlbFlushAll();
    this.core.exports.dbtFlush?.(); // the images were rewritten behind the core's back
    this.resetHarts();
  }

  private resetHarts(): void {
    if (this.entry === undefined) return;
    for (const h of this.core.harts) {
      this.core.resetHart(h.id, this.entry);
      this.bootHook?.(h);
    }
  }

  private adaptBudget(elapsed: number): void {
    // A pass should take half a slice; with the real clock at most 1 ms, because mtime is
    // refreshed between passes and timer interrupts are noticed only then.
    const perPass = this.clock.mode === "real" ? Math.min(1, this.sliceMilliseconds / 2) : this.sliceMilliseconds / 2;
    const target = perPass / this.core.harts.length;
    let next = this.budget;
    if (elapsed < target / 2) next = this.budget * 2;
    else if (elapsed > target * 2) next = Math.floor(this.budget / 2);
    this.budget = Math.min(MAX_BUDGET, Math.max(MIN_BUDGET, next));
  }

  private traceInstruction(hart: HartState): void {
    const raw = Number(hart.exitValue & 0xffff_ffffn);
    const compressed = (raw & 3) !== 3;
    const op = this.core.decodeOperation(compressed ? raw & 0xffff : raw);
    const name = OP_NAMES[op] ?? `op${op}`;
    const rawText = compressed ? (raw & 0xffff).toString(16).padStart(4, "0").padEnd(8, " ") : raw.toString(16).padStart(8, "0");
    const prefix = this.core.harts.length > 1 ? `${hart.id} ` : "";
    this.traceBuffer.push(`${prefix}${hart.exitAddress.toString(16).padStart(16, "0")} ${rawText} ${name}\n`);
    if (this.traceBuffer.length >= 4096) this.flushTrace();
  }

  private flushTrace(): void {
    if (this.traceBuffer.length === 0) return;
    const text = this.traceBuffer.join("");
    this.traceBuffer = [];
    this.traceWriter(text);
  }

  private flush(): void {
    this.output.flush();
    this.flushTrace();
  }
}
