// Command-line parsing for `wasmvisor`: commands, flags and their value syntax (sizes, counts,
// addresses). Pure functions: nothing here touches the process, so tests call them directly.
import { ConfigError, UsageError } from "../machine/errors.js";
import type { ClockMode } from "../machine/clock.js";
import { MAX_HARTS } from "../core/layout.generated.js";
import { DEFAULT_MEMORY_SIZE, ENGINES } from "../machine/machine.js";
import { parseDrive } from "../vmm/drives.js";
import { VIRT_MODES, type CpuOptions, type VirtMode } from "../machine/cpu.js";

/** Options of `wasmvisor run`. */
export interface RunOptions {
  /** Guest file to run. */
  file: string;
  /** Guest RAM in bytes. */
  memorySize: number;
  /** Execution engine name. */
  engine?: string;
  /** Instruction limit, if any. */
  maxInstructions: bigint | undefined;
  /** Clock source; undefined = the CLI's default (real on a terminal, else deterministic). */
  clock: ClockMode | undefined;
  /** Print statistics after the run. */
  stats: boolean;
  /** Print every executed instruction. */
  trace: boolean;
  /** Load the file as a raw binary at this address (undefined = ELF). */
  rawAddress: bigint | undefined;
  /** Number of harts. */
  harts: number;
  /** Deterministic clock: instructions per tick, if given. */
  instructionsPerTick: number | undefined;
  /** Linux kernel Image to boot (instead of <file>). */
  kernel?: string;
  /** Initial RAM disk for the kernel. */
  initrd?: string;
  /** Kernel command line. */
  append?: string;
  /** Firmware for a kernel boot: "none" (the VMM is the SBI, the default), "opensbi" or a path. */
  bios?: string;
  /** Block devices: "file=PATH[,ro]" each (virtio-blk). */
  drives: string[];
  /** Hart features (--cpu h=on,pwc=off). */
  cpu: CpuOptions;
  /** VMM mode for --kernel (--virt full|hw). */
  virt: VirtMode;
}

/** A parsed command line. */
export type CliCommand =
  | { command: "help" }
  | { command: "version" }
  | { command: "run"; options: RunOptions };

/** Default load address of `--raw` without an address: DRAM_BASE. */
export const DEFAULT_RAW_LOAD_ADDRESS = 0x8000_0000n;

/** The text of `wasmvisor --help`. */
export const HELP_TEXT = `wasmvisor — a WebAssembly-accelerated RISC-V (RV64GC) emulator for Node.js

Usage:
  wasmvisor run <file> [options]    run a RISC-V ELF executable (or raw binary) on the virt board
  wasmvisor run --kernel IMAGE [--initrd FILE] [--append TEXT] [--bios none|opensbi] [options]
                                    boot Linux
  wasmvisor --help                  show this help
  wasmvisor --version               show the version

Options of "run":
  --mem SIZE           guest RAM (default 128M); SIZE takes a K, M, G or T suffix (powers of
                       1024), a plain number means MiB as in QEMU's -m
  --engine NAME        execution engine: interp, dbt or lockstep (default dbt); lockstep runs
                       the guest on both, compares them after every translated block and stops
                       at the first divergence with both states printed (deterministic clock)
  --max-insns N        stop with an error after N retired instructions; N may use a k, M or G
                       suffix (powers of 1000) or an exponent (1e9)
  --clock MODE         deterministic (time from retired instructions: 10 instructions per tick
                       of the 10 MHz mtime, a 100 MIPS guest) or real (host monotonic clock);
                       default: real when stdin is a terminal, deterministic otherwise
  --insns-per-tick N   deterministic clock: retired instructions per mtime tick (default 10)
  --harts N            number of harts, 1..8 (default 1)
  --raw [ADDR]         load <file> as a raw binary at ADDR (default 0x80000000) and start there
  --stats              print run statistics to stderr at the end
  --trace              print every executed instruction (pc, encoding, operation) to stderr
  --kernel IMAGE       boot a RISC-V Linux Image (may be gzip-compressed) instead of <file>
  --initrd FILE        initial RAM disk for --kernel
  --append TEXT        kernel command line (default "console=ttyS0")
  --bios none|opensbi|PATH
                       none (default): the VMM answers SBI calls and enters the kernel in
                       S-mode; opensbi: Debian's OpenSBI fw_dynamic runs in M-mode first
  --drive file=PATH[,ro]
                       attach a disk image as a virtio-blk device (repeatable)
  --virt full|hw       with --kernel: full (default) emulation, or hw: the kernel runs in
                       VS-mode under the hypervisor extension, the VMM is HS-mode (G-stage
                       nested paging, VM exits for SBI and device accesses)
  --cpu h=on|off[,pwc=on|off]
                       h=on gives the guest the hypervisor extension (misa.H, "h" in the device
                       tree); pwc=off disables the G-stage page-walk cache

Exit status: the guest's exit code (syscon or HTIF; 0 = pass; codes are reduced to 8 bits, a
non-zero code that would become 0 becomes 1), 2 for a host-side error, 3 when --max-insns is hit.
Console: guest UART output goes to stdout, stdin feeds the UART. On a terminal, stdin is in raw
mode: type Ctrl-A then x to quit, Ctrl-A twice to send Ctrl-A.`;

const UNIT_POWERS: Record<string, number> = { "": 0, k: 1, m: 2, g: 3, t: 4 };

/** Parses a memory size like "128M", "1G", "512KiB", "65536B" or "256" (MiB); UsageError if bad. */
export function parseSize(text: string): number {
  const m = /^(\d+)(?:([kmgt])(i?b)?|(b))?$/i.exec(text.trim().replace(/_/g, ""));
  if (!m) throw new UsageError(`invalid size '${text}' (expected e.g. 128M, 1G, 512K)`);
  const digits = BigInt(m[1]!);
  let bytes: bigint;
  if (m[4]) bytes = digits; // "B": plain bytes
  else if (m[2]) bytes = digits * 1024n ** BigInt(UNIT_POWERS[m[2].toLowerCase()]!);
  else bytes = digits * 1024n * 1024n; // plain number: MiB, like QEMU -m
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`size '${text}' is too large`);
  return Number(bytes);
}

/** Parses an instruction count like "1000000", "1_000_000", "5M", "2G" or "1e9"; UsageError if bad. */
export function parseCount(text: string): bigint {
  const t = text.trim().replace(/_/g, "");
  let m = /^(\d+)([kmg])?$/i.exec(t);
  if (m) {
    const scale = m[2] ? 1000n ** BigInt(UNIT_POWERS[m[2].toLowerCase()]!) : 1n;
    const n = BigInt(m[1]!) * scale;
    if (n <= 0n) throw new UsageError(`count '${text}' must be positive`);
    return n;
  }
  m = /^(\d+)e(\d+)$/i.exec(t);
  if (m && Number(m[2]) <= 30) {
    const n = BigInt(m[1]!) * 10n ** BigInt(m[2]!);
    if (n <= 0n) throw new UsageError(`count '${text}' must be positive`);
    return n;
  }
  throw new UsageError(`invalid count '${text}' (expected e.g. 1000000, 5M, 1e9)`);
}

/** Parses an address in hex (0x…) or decimal; UsageError if bad or beyond 64 bits. */
export function parseAddress(text: string): bigint {
  const t = text.trim().replace(/_/g, "");
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) throw new UsageError(`invalid address '${text}' (expected e.g. 0x80000000)`);
  const value = BigInt(t);
  if (value >= 1n << 64n) throw new UsageError(`address '${text}' does not fit in 64 bits`);
  return value;
}

/** Parses a small positive integer option value (hart count, ticks). */
function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag} expects a whole number (got '${text}')`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max} (got ${n})`);
  return n;
}

const VALUE_FLAGS = new Set(["--mem", "--engine", "--max-insns", "--clock", "--harts", "--insns-per-tick",
  "--kernel", "--initrd", "--append", "--bios", "--drive", "--cpu", "--virt"]);
const BOOLEAN_FLAGS = new Set(["--stats", "--trace"]);

/** Parses a --cpu value: comma-separated key=value pairs, h=on|off and pwc=on|off. */
export function parseCpuOptions(text: string): CpuOptions {
  const options: CpuOptions = {};
  for (const item of text.split(",")) {
    const m = /^(h|pwc)=(on|off)$/.exec(item.trim());
    if (!m) throw new UsageError(`--cpu expects h=on|off and pwc=on|off, comma-separated (got '${item}')`);
    if (m[1] === "h") options.h = m[2] === "on"; else options.pageWalkCache = m[2] === "on";
  }
  return options;
}

/** Parses the arguments after the program name into a command; UsageError on any mistake. */
export function parseArguments(argv: readonly string[]): CliCommand {
  if (argv.length === 0) throw new UsageError("no command given (try 'wasmvisor --help')");
  const [first, ...rest] = argv as [string, ...string[]];
  if (first === "--help" || first === "-h" || first === "help") return { command: "help" };
  if (first === "--version" || first === "-V") return { command: "version" };
  if (first !== "run") {
    if (first.startsWith("-")) throw new UsageError(`unknown option '${first}' (try 'wasmvisor --help')`);
    throw new UsageError(`unknown command '${first}' (try 'wasmvisor --help')`);
  }
  const options: RunOptions = {
    file: "", memorySize: DEFAULT_MEMORY_SIZE, engine: undefined, maxInstructions: undefined, clock: undefined,
    stats: false, trace: false, rawAddress: undefined, harts: 1, instructionsPerTick: undefined, drives: [],
    cpu: {}, virt: "full",
  };
  const files: string[] = [];
  let onlyFiles = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (onlyFiles || !arg.startsWith("-") || arg === "-") {
      files.push(arg);
      continue;
    }
    if (arg === "--") { onlyFiles = true; continue; }
    if (arg === "--help" || arg === "-h") return { command: "help" };
    const eq = arg.indexOf("=");
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (flag === "--raw") {
      // --raw takes an optional address: the next word counts only if it looks like a number.
      let text = inline;
      if (text === undefined && i + 1 < rest.length && /^(0x[0-9a-f_]+|\d[\d_]*)$/i.test(rest[i + 1]!)) text = rest[++i];
      options.rawAddress = text === undefined ? DEFAULT_RAW_LOAD_ADDRESS : parseAddress(text);
      continue;
    }
    if (BOOLEAN_FLAGS.has(flag)) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      if (flag === "--stats") options.stats = true;
      else options.trace = true;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) throw new UsageError(`unknown option '${flag}' (try 'wasmvisor --help')`);
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= rest.length) throw new UsageError(`${flag} needs a value`);
      value = rest[++i]!;
    }
    if (value === "") throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case "--mem": options.memorySize = parseSize(value); break;
      case "--engine": options.engine = value; break;
      case "--max-insns": options.maxInstructions = parseCount(value); break;
      case "--clock":
        if (value !== "deterministic" && value !== "real") {
          throw new UsageError(`--clock must be 'deterministic' or 'real' (got '${value}')`);
        }
        options.clock = value;
        break;
      case "--harts": options.harts = parseInteger(flag, value, 1, MAX_HARTS); break;
      case "--insns-per-tick": options.instructionsPerTick = parseInteger(flag, value, 1, 0xffff_ffff); break;
      case "--kernel": options.kernel = value; break;
      case "--initrd": options.initrd = value; break;
      case "--append": options.append = value; break;
      case "--bios": options.bios = value; break;
      case "--drive":
        parseDrive(value); // validates the syntax now, as a usage error
        options.drives.push(value);
        break;
      case "--cpu": options.cpu = { ...options.cpu, ...parseCpuOptions(value) }; break;
      case "--virt":
        if (!(VIRT_MODES as readonly string[]).includes(value)) {
          throw new UsageError(`--virt must be ${VIRT_MODES.map((m) => `'${m}'`).join(" or ")} (got '${value}')`);
        }
        options.virt = value as VirtMode;
        break;
    }
  }
  if (options.kernel !== undefined) {
    if (files.length > 0) throw new UsageError(`run: give either a file or --kernel, not both (${files.join(", ")})`);
    if (options.rawAddress !== undefined) throw new UsageError("--raw does not apply to --kernel");
    files.push("");
  } else if (options.initrd !== undefined || options.append !== undefined || options.bios !== undefined) {
    throw new UsageError("--initrd, --append and --bios need --kernel");
  }
  if (options.virt === "hw" && options.kernel === undefined) {
    throw new UsageError("--virt hw runs a kernel in VS-mode: it needs --kernel");
  }
  if (files.length === 0) throw new UsageError("run: missing the file to run (usage: wasmvisor run <file> [options])");
  if (files.length > 1) throw new UsageError(`run: expected one file, got ${files.length} (${files.join(", ")})`);
  options.file = files[0]!;
  if (options.engine !== undefined && !(ENGINES as readonly string[]).includes(options.engine)) {
    throw new ConfigError(`unknown engine '${options.engine}' (available: ${ENGINES.join(", ")})`);
  }
  return { command: "run", options };
}
