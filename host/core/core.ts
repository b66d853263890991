// Locating, compiling and instantiating the WebAssembly core (build/core.wasm), and the Core
// object that ties the instance to the shared memory and the host's typed state accessors.
//
// Contract with the core (DESIGN.md §2): the host creates the shared memory, instantiates the
// core with env.memory, env.mmio_read, env.mmio_write and env.abort, and calls initMachine before
// writing anything into the memory. After every MMIO call the host writes M_MMIO_STATUS
// (0 ok, 1 access fault) and may set M_STOP to make run() return EXIT_STOP.
import { readFileSync, existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_HARTS, MACHINE_BASE, M_MMIO_STATUS, M_STOP, EXIT_TRANSLATE, EXIT_BUDGET, HART_BASE, HART_SIZE,
         H_EXIT_REASON } from "./layout.generated.js";
import { createSharedMemory, GuestRam, MemoryViews } from "./memory.js";
import { HartState, MachineState } from "./state.js";
import { ConfigError, CoreError } from "../machine/errors.js";

/** Functions the core exports (the host's side of the contract). */
export interface CoreExports {
  /** Zeroes the machine and hart blocks and sets the reset values (misa, mhartid, ...). */
  initMachine(numHarts: number, ramSize: bigint, cpuFlags: number): void;
  /** Resets hart `hart` into M-mode at `pc` (a0 = hartid). */
  resetHart(hart: number, pc: bigint): void;
  /** Runs hart `hart` for at most `budget` instructions; returns an EXIT_* reason. */
  run(hart: number, budget: bigint): number;
  /** Decodes one raw instruction into the packed form (operation in bits 0..8). */
  decodeInsn(raw: number): bigint;
  /** Invalidates every soft-TLB entry. */
  tlbFlushAll(): void;
  /** Micro benchmark: decodes words at DRAM offset `offset`, `rounds` times; returns a checksum. */
  benchDecode?(offset: number, words: number, rounds: number): bigint;
  /** Micro benchmark: `count` loads over `pages` pages through the soft TLB, flushing every `flushEvery`. */
  benchTlbLoads?(pages: number, count: number, flushEvery: number): bigint;
  /** Engine "dbt": run() plus EXIT_TRANSLATE (a block to compile at EXIT_ADDR, EXIT_VALUE bytes). */
  runDbt?(hart: number, budget: bigint): number;
  /** After EXIT_TRANSLATE: the compiled block's run() is at slot `index` of the core's table. */
  installTranslation?(index: number): void;
  /** After EXIT_TRANSLATE: the block could not be compiled; it stays interpreted. */
  rejectTranslation?(): void;
  /** A table slot freed by the translator for reuse, or -1 (assembly/jit/slots.ts). */
  takeFreeSlot?(): number;
  /** Forgets every translation (after the host wrote guest RAM behind the core's back). */
  dbtFlush?(): void;
  /** Engine "dbt": a device or the host wrote guest physical [pa, pa+length); drop code there. */
  noteHostWrite?(pa: bigint, length: bigint): void;
  /** Core helpers imported by translated code (assembly/jit/helpers.ts). */
  jitLoad?(va: bigint, size: number): bigint;
  /** Table index of the ready translation an exit of translated code chains to, or -1 (assembly/jit/chain.ts). */
  jitChain?(pc: bigint): number;
  jitStore?(va: bigint, size: number, value: bigint): number;
  jitStatus?(): number;
  jitFloat?(decoded: bigint, bits: bigint): number;
  jitIllegal?(bits: bigint): number;
  jitExec?(decoded: bigint, pc: bigint, bits: bigint, retired: number): number;
  /** The core's function table (asc --exportTable); translated blocks are installed here. */
  table?: WebAssembly.Table;
}

/** Host-side counters of the DBT engine. */
export interface DbtStats {
  /** Translated regions compiled into wasm modules (one module each). */
  compiles: number;
  /** Bytes of wasm compiled. */
  wasmBytes: number;
  /** Regions the host failed to compile (left to the interpreter). */
  failures: number;
  /** Host milliseconds spent compiling (new WebAssembly.Module). */
  compileMs: number;
  /** Host milliseconds spent instantiating and installing into the table. */
  instantiateMs: number;
  /** Installations that reused a freed table slot instead of growing the table. */
  reusedSlots: number;
  /** Length of the core's function table after the last installation. */
  tableSize: number;
}

/** The host's side of MMIO: a bus (or anything) that answers the core's device accesses. */
export interface MmioHandler {
  /** Reads `size` bytes at guest physical `address`; undefined means an access fault. */
  read(hart: number, address: number, size: number): bigint | undefined;
  /** Writes `size` bytes of `value` at guest physical `address`; false means an access fault. */
  write(hart: number, address: number, size: number, value: bigint): boolean;
}

/** The env.* functions the host hands to the core. */
export interface CoreImportFunctions {
  /** env.mmio_read(hart, paddr, size) → value (BigInt). */
  mmio_read(hart: number, paddr: bigint, size: number): bigint;
  /** env.mmio_write(hart, paddr, size, value). */
  mmio_write(hart: number, paddr: bigint, size: number, value: bigint): void;
  /** env.abort(message, file, line, column) from AssemblyScript. */
  abort(message: number, file: number, line: number, column: number): void;
}

/** Produces core exports for a memory and import set: the wasm core, or a test double. */
export type CoreFactory = (memory: WebAssembly.Memory, imports: CoreImportFunctions) => CoreExports | Promise<CoreExports>;

/** Options of Core.create. */
export interface CoreOptions {
  /** Guest RAM in bytes (a multiple of 4 KiB, ≥ 1 MiB). */
  ramSize: number;
  /** Number of harts (1..MAX_HARTS). */
  harts?: number;
  /** Path of the core's .wasm file (default: see defaultCorePath). */
  corePath?: string;
  /** Replaces the wasm core (tests use a scripted double). */
  factory?: CoreFactory;
  /** Optional ISA features of the harts (layout CPU_* bits, e.g. CPU_H for the hypervisor extension). */
  cpuFlags?: number;
}

const REQUIRED_EXPORTS = ["initMachine", "resetHart", "run", "decodeInsn", "tlbFlushAll"] as const;

let packageRootCache: string | undefined;

/** Returns the package root (the directory whose package.json is named "wasmvisor"). */
export function findPackageRoot(): string {
  if (packageRootCache !== undefined) return packageRootCache;
  // Works from host/core/core.ts (vitest, tsc --noEmit) and from dist/host/core/core.js.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      try {
        const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: unknown };
        if (pkg.name === "wasmvisor") return (packageRootCache = dir);
      } catch {
        // not ours or unreadable: keep looking upwards
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new CoreError("cannot find the wasmvisor package root (package.json) above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Returns the core's path: $WASMVISOR_CORE if set, else <package root>/build/core.wasm. */
export function defaultCorePath(): string {
  const fromEnv = process.env["WASMVISOR_CORE"];
  if (fromEnv) return resolve(fromEnv);
  return join(findPackageRoot(), "build", "core.wasm");
}

const moduleCache = new Map<string, Promise<WebAssembly.Module>>();

/** Compiles (once per path) the core at `path`; CoreError if missing, invalid or incomplete. */
export function compileCore(path: string = defaultCorePath()): Promise<WebAssembly.Module> {
  const key = resolve(path);
  let pending = moduleCache.get(key);
  if (!pending) {
    pending = compileUncached(key);
    moduleCache.set(key, pending);
    pending.catch(() => moduleCache.delete(key));
  }
  return pending;
}

async function compileUncached(path: string): Promise<WebAssembly.Module> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CoreError(code === "ENOENT"
      ? `the core ${path} does not exist; build it with "npm run build:core"`
      : `cannot read the core ${path}: ${(error as Error).message}`, undefined, { cause: error });
  }
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (error) {
    throw new CoreError(`the core ${path} is not a valid WebAssembly module: ${(error as Error).message}`, undefined, { cause: error });
  }
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const name of REQUIRED_EXPORTS) {
    if (!exported.has(name)) {
      throw new CoreError(`the core ${path} lacks the export "${name}" (incomplete or stale build; run "npm run build:core")`);
    }
  }
  return module;
}

/** Returns a factory that instantiates the compiled wasm core `module`. */
export function wasmCoreFactory(module: WebAssembly.Module): CoreFactory {
  return async (memory, functions) => {
    const env: Record<string, WebAssembly.ImportValue> = {};
    const imports: WebAssembly.Imports = { env };
    for (const desc of WebAssembly.Module.imports(module)) {
      const ns = (imports[desc.module] ??= {}) as Record<string, WebAssembly.ImportValue>;
      if (desc.kind === "memory") {
        ns[desc.name] = memory;
      } else if (desc.kind === "function") {
        const known = desc.module === "env" ? (functions as unknown as Record<string, unknown>)[desc.name] : undefined;
        ns[desc.name] = typeof known === "function" ? (known as (...args: never[]) => unknown) : () => {
          throw new CoreError(`the core called the import ${desc.module}.${desc.name}, which the host does not provide`);
        };
      } else {
        throw new CoreError(`the core imports ${desc.kind} ${desc.module}.${desc.name}, which the host does not provide`);
      }
    }
    let instance: WebAssembly.Instance;
    try {
      instance = await WebAssembly.instantiate(module, imports);
    } catch (error) {
      if (error instanceof CoreError) throw error;
      throw new CoreError(`cannot instantiate the core: ${(error as Error).message}`, undefined, { cause: error });
    }
    return instance.exports as unknown as CoreExports;
  };
}

const UNMAPPED: MmioHandler = { read: () => undefined, write: () => false };

/** One instantiated core with its shared memory, typed state accessors and MMIO wiring. */
export class Core {
  /** The shared linear memory (imported by the core as env.memory). */
  readonly memory: WebAssembly.Memory;
  /** Typed views over the memory. */
  readonly views: MemoryViews;
  /** Machine-block accessors. */
  readonly machine: MachineState;
  /** Hart-block accessors, one per hart. */
  readonly harts: readonly HartState[];
  /** Guest physical RAM. */
  readonly ram: GuestRam;
  /** The core's exported functions. */
  readonly exports: CoreExports;
  private mmio: MmioHandler = UNMAPPED;
  private pendingHostError: { error: unknown } | undefined;

  private constructor(memory: WebAssembly.Memory, views: MemoryViews, harts: number, ramSize: number, exports: CoreExports) {
    this.memory = memory;
    this.views = views;
    this.machine = new MachineState(views);
    this.harts = Array.from({ length: harts }, (_, i) => new HartState(views, i));
    this.ram = new GuestRam(views, ramSize);
    this.exports = exports;
  }

  /** Creates the memory, instantiates the core and calls initMachine(harts, ramSize). */
  static async create(options: CoreOptions): Promise<Core> {
    const harts = options.harts ?? 1;
    if (!Number.isInteger(harts) || harts < 1 || harts > MAX_HARTS) {
      throw new ConfigError(`hart count must be 1..${MAX_HARTS} (got ${harts})`);
    }
    const memory = createSharedMemory(options.ramSize);
    const views = new MemoryViews(memory);
    // The import functions reach the Core through this box, filled once the Core exists.
    const box: { core?: Core } = {};
    const statusIndex = (MACHINE_BASE + M_MMIO_STATUS) >>> 2;
    const functions: CoreImportFunctions = {
      mmio_read: (hart, paddr, size) => {
        const core = box.core;
        if (!core) throw new CoreError("the core made an MMIO read before initialisation finished");
        const value = core.dispatchRead(hart, paddr, size);
        views.u32[statusIndex] = value === undefined ? 1 : 0;
        return value ?? 0n;
      },
      mmio_write: (hart, paddr, size, value) => {
        const core = box.core;
        if (!core) throw new CoreError("the core made an MMIO write before initialisation finished");
        views.u32[statusIndex] = core.dispatchWrite(hart, paddr, size, value) ? 0 : 1;
      },
      abort: (message, file, line, column) => {
        const where = readAssemblyScriptString(views, file);
        throw new CoreError(`the core aborted: ${readAssemblyScriptString(views, message) || "(no message)"}` +
          (where ? ` at ${where}:${line}:${column}` : ""));
      },
    };
    const factory = options.factory ?? wasmCoreFactory(await compileCore(options.corePath));
    const exports = await factory(memory, functions);
    const core = new Core(memory, views, harts, options.ramSize, exports);
    box.core = core;
    exports.initMachine(harts, BigInt(options.ramSize), options.cpuFlags ?? 0);
    core.machine.ramSize = BigInt(options.ramSize);
    core.machine.numHarts = harts;
    return core;
  }

  /** Routes the core's MMIO accesses to `handler` (normally the machine's bus). */
  attachMmio(handler: MmioHandler): void {
    this.mmio = handler;
  }

  /** Asks run() to return EXIT_STOP after the current instruction (sets M_STOP). */
  requestStop(): void {
    this.machine.stop = 1;
  }

  /** Runs hart `hart` for up to `budget` instructions; rethrows a host error raised inside MMIO. */
  run(hart: number, budget: bigint): number {
    const reason = this.exports.run(hart, budget) >>> 0;
    const pending = this.pendingHostError;
    if (pending) {
      this.pendingHostError = undefined;
      this.machine.stop = 0;
      throw pending.error;
    }
    return reason;
  }

  /** Counters of the DBT engine (runDbt). */
  readonly dbt: DbtStats = { compiles: 0, wasmBytes: 0, failures: 0, compileMs: 0, instantiateMs: 0, reusedSlots: 0, tableSize: 0 };
  private jitImports: WebAssembly.Imports | undefined;

  /** Engine "dbt": like run(), but hot blocks run as translated wasm. Serves EXIT_TRANSLATE itself
   *  (compile, install into the core's table, resume), so the caller sees run()'s exit reasons. */
  runDbt(hart: number, budget: bigint): number {
    const ex = this.exports;
    if (!ex.runDbt || !ex.installTranslation || !ex.table) throw new CoreError("this core has no DBT engine (runDbt/table exports)");
    const h = this.harts[hart]!;
    const start = h.instret;
    let left = budget;
    for (;;) {
      const reason = ex.runDbt(hart, left) >>> 0;
      const pending = this.pendingHostError;
      if (pending) {
        this.pendingHostError = undefined;
        this.machine.stop = 0;
        throw pending.error;
      }
      if (reason !== EXIT_TRANSLATE) return reason;
      this.installBlock(hart);
      // Instructions retired so far count against the budget (faulted ones are not counted: the
      // core's own accounting stays within budget + a few instructions).
      left = budget - (h.instret - start);
      if (left <= 0n) {
        // Report the budget exit the core would have reported (counted like the core does).
        const base = HART_BASE + hart * HART_SIZE;
        this.views.view.setUint32(base + H_EXIT_REASON, EXIT_BUDGET, true);
        return EXIT_BUDGET;
      }
    }
  }

  private installBlock(hart: number): void {
    const ex = this.exports;
    const h = this.harts[hart]!;
    const address = Number(h.exitAddress), length = Number(h.exitValue);
    const t0 = performance.now();
    let t1 = t0;
    try {
      // Copy out of the shared memory (the compiler may not read a SharedArrayBuffer view).
      const bytes = this.views.u8.slice(address, address + length);
      const module = new WebAssembly.Module(bytes);
      t1 = performance.now();
      this.jitImports ??= { env: {
        memory: this.memory,
        jitLoad: ex.jitLoad!, jitStore: ex.jitStore!, jitStatus: ex.jitStatus!,
        jitFloat: ex.jitFloat!, jitIllegal: ex.jitIllegal!, jitChain: ex.jitChain!, table: ex.table!, jitExec: ex.jitExec!,
      } };
      const instance = new WebAssembly.Instance(module, this.jitImports);
      const table = ex.table!;
      // Reuse a slot no translation points at any more (assembly/jit/slots.ts), else grow.
      const free = ex.takeFreeSlot ? ex.takeFreeSlot() : -1;
      const index = free >= 0 ? free : table.grow(1);
      if (free >= 0) this.dbt.reusedSlots++;
      table.set(index, instance.exports["run"] as (hartBase: number) => bigint);
      ex.installTranslation!(index);
      this.dbt.compiles++;
      this.dbt.wasmBytes += length;
      this.dbt.tableSize = table.length;
    } catch (error) {
      this.dbt.failures++;
      ex.rejectTranslation?.();
      if (this.dbt.failures === 1 && process.env["WASMVISOR_DBT_DEBUG"]) console.error("dbt: compile failed:", error);
    }
    const t2 = performance.now();
    this.dbt.compileMs += t1 - t0;
    this.dbt.instantiateMs += t2 - t1;
  }

  /** Resets hart `hart` into M-mode at `pc` with a0 = hartid and a1 = `a1` (the DTB address). */
  resetHart(hart: number, pc: bigint, a1 = 0n): void {
    this.exports.resetHart(hart, pc);
    this.harts[hart]!.setX(11, a1);
  }

  /** Returns the operation index (0..511) the core's decoder assigns to `raw`. */
  decodeOperation(raw: number): number {
    return Number(BigInt.asUintN(64, this.exports.decodeInsn(raw | 0)) & 0x1ffn);
  }

  private dispatchRead(hart: number, paddr: bigint, size: number): bigint | undefined {
    const address = BigInt.asUintN(64, paddr);
    if (address > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    try {
      return this.mmio.read(hart, Number(address), size);
    } catch (error) {
      this.stash(error);
      return undefined;
    }
  }

  private dispatchWrite(hart: number, paddr: bigint, size: number, value: bigint): boolean {
    const address = BigInt.asUintN(64, paddr);
    if (address > BigInt(Number.MAX_SAFE_INTEGER)) return false;
    try {
      return this.mmio.write(hart, Number(address), size, BigInt.asUintN(64, value));
    } catch (error) {
      this.stash(error);
      return false;
    }
  }

  // An exception must not unwind through the core's frames (its globals would be left mid-
  // instruction): keep the first one, stop the core, and rethrow it from run().
  private stash(error: unknown): void {
    this.pendingHostError ??= { error };
    this.machine.write32(M_STOP, 1);
  }
}

/** Reads an AssemblyScript string (UTF-16LE, byte length at ptr − 4) from linear memory. */
export function readAssemblyScriptString(views: MemoryViews, pointer: number): string {
  const ptr = pointer >>> 0;
  if (ptr < 4 || ptr >= views.u8.length) return "";
  const byteLength = Math.min(views.view.getUint32(ptr - 4, true), 4096, views.u8.length - ptr) & ~1;
  // TextDecoder refuses views of a SharedArrayBuffer; slice() copies into an ordinary buffer.
  return new TextDecoder("utf-16le").decode(views.u8.slice(ptr, ptr + byteLength));
}
