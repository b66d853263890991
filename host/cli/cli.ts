// The `wasmvisor` command: parses the arguments, builds a Machine, loads the file, runs it and
// turns the outcome into a process exit status. runCli takes its streams as parameters and
// returns the status instead of exiting, so tests drive it directly; main.ts is the thin entry.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot, type CoreFactory } from "../core/core.js";
import { hex } from "../core/memory.js";
import { ConfigError, describeError, exitStatusOf, LoadError, UsageError, WasmvisorError } from "../machine/errors.js";
import { Machine } from "../machine/machine.js";
import { looksLikeElf, readImageFile } from "../loader/image.js";
import { HELP_TEXT, parseArguments, type RunOptions } from "./args.js";
import { formatCount, formatStats } from "./stats.js";
import { bootLinux } from "../vmm/linux-boot.js";
import { virtioDevicesFor } from "../vmm/drives.js";
import { DivergenceError, LockstepMachine, type LockstepOptions } from "../vmm/lockstep.js";
import { attachTerminal, isTerminal } from "./terminal.js";

/** The streams and environment the CLI works with. */
export interface CliIo {
  /** Guest console output and --help text. */
  stdout: NodeJS.WritableStream;
  /** Error lines, --stats and --trace. */
  stderr: NodeJS.WritableStream;
  /** Guest console input (null: none). */
  stdin: NodeJS.ReadableStream | null;
  /** Environment (WASMVISOR_DEBUG=1 adds stack traces to internal errors). */
  env?: Record<string, string | undefined>;
  /** Replaces the wasm core (tests). */
  coreFactory?: CoreFactory;
}

/** Returns the CliIo of the current process. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Maps a guest exit code to a process exit status (low 8 bits; never 0 for a non-zero code). */
export function exitStatusForGuest(code: number): number {
  const status = code & 0xff;
  return status === 0 && code !== 0 ? 1 : status;
}

/** Returns the package version from package.json. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(findPackageRoot(), "package.json"), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Runs the command line `argv` (without the program name); resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const say = (stream: NodeJS.WritableStream, text: string) => { stream.write(text.endsWith("\n") ? text : text + "\n"); };
  try {
    const command = parseArguments(argv);
    if (command.command === "help") {
      say(io.stdout, HELP_TEXT);
      return 0;
    }
    if (command.command === "version") {
      say(io.stdout, `wasmvisor ${packageVersion()}`);
      return 0;
    }
    return await runCommand(command.options, io);
  } catch (error) {
    reportError(io, error);
    return exitStatusOf(error);
  }
}

function reportError(io: CliIo, error: unknown): void {
  const internal = !(error instanceof WasmvisorError);
  const line = `wasmvisor: ${internal ? "internal error" : "error"}: ${describeError(error).split("\n")[0]}`;
  io.stderr.write(line + "\n");
  if (error instanceof UsageError) return;
  if (internal && io.env?.["WASMVISOR_DEBUG"] && error instanceof Error && error.stack) io.stderr.write(error.stack + "\n");
}

async function runCommand(options: RunOptions, io: CliIo): Promise<number> {
  const terminal = isTerminal(io.stdin) ? io.stdin : undefined;
  const machineOptions = {
    memorySize: options.memorySize,
    harts: options.harts,
    instructionsPerTick: options.instructionsPerTick,
    maxInstructions: options.maxInstructions,
    output: (data: Uint8Array) => { io.stdout.write(data); },
    // A terminal is read by the CLI itself (raw mode, Ctrl-A escape); other streams by the machine.
    stdin: terminal ? null : io.stdin,
    interactive: terminal !== undefined,
    coreFactory: io.coreFactory,
    virtio: virtioDevicesFor(options.drives, options.kernel !== undefined),
    cpu: options.cpu,
    virt: options.virt,
  };
  const bytes = options.kernel !== undefined ? undefined : await readImageFile(options.file);
  if (options.engine === "lockstep") return runLockstep(options, io, machineOptions, bytes, terminal);
  const machine = await Machine.create({
    ...machineOptions,
    engine: options.engine,
    clock: options.clock ?? (terminal ? "real" : "deterministic"),
    trace: options.trace,
    traceWriter: (text) => { io.stderr.write(text); },
  });
  let restoreTerminal: (() => void) | undefined;
  try {
    await loadGuest(machine, options, bytes);
    if (terminal) {
      restoreTerminal = attachTerminal(terminal, (data) => machine.sendInput(data), () => machine.stop(),
        () => machine.input.end());
    }
    const result = await machine.run();
    return result.reason === "stopped" ? 0 : exitStatusForGuest(result.exitCode);
  } finally {
    restoreTerminal?.();
    machine.dispose();
    if (options.stats) io.stderr.write(formatStats(machine.stats()));
  }
}

// Boots the kernel of --kernel, or loads the file (`bytes`) as ELF or, with --raw, as a raw binary.
async function loadGuest(machine: Machine, options: RunOptions, bytes: Uint8Array | undefined): Promise<void> {
  if (bytes === undefined) {
    await bootLinux(machine, { kernel: options.kernel!, initrd: options.initrd, append: options.append, bios: options.bios });
  } else if (options.rawAddress !== undefined) {
    await machine.loadRaw(bytes, options.rawAddress, options.file);
  } else if (!looksLikeElf(bytes)) {
    throw new LoadError(`${options.file}: not an ELF file (bad magic number); to run a raw binary use --raw [ADDR] ` +
      `(default ${hex(0x8000_0000)})`);
  } else {
    await machine.loadElf(bytes, options.file);
  }
}

// --engine lockstep: the interpreter and the translator side by side (host/vmm/lockstep.ts). A
// divergence ends the run with its report on stderr.
async function runLockstep(options: RunOptions, io: CliIo, machineOptions: LockstepOptions, bytes: Uint8Array | undefined,
                           terminal: Parameters<typeof attachTerminal>[0] | undefined): Promise<number> {
  if (options.trace) throw new ConfigError("--trace does not apply to --engine lockstep");
  if (options.clock === "real") throw new ConfigError("--engine lockstep needs the deterministic clock");
  const lockstep = await LockstepMachine.create(machineOptions, (machine) => loadGuest(machine, options, bytes));
  let restoreTerminal: (() => void) | undefined;
  let verdict = "no divergence";
  try {
    if (terminal) {
      restoreTerminal = attachTerminal(terminal, (data) => lockstep.sendInput(data), () => lockstep.stop(),
        () => { lockstep.reference.input.end(); lockstep.subject.input.end(); });
    }
    const result = await lockstep.run();
    return result.reason === "stopped" ? 0 : exitStatusForGuest(result.exitCode);
  } catch (error) {
    if (error instanceof DivergenceError) io.stderr.write(error.report.text + "\n");
    verdict = error instanceof DivergenceError ? "diverged" : "stopped by an error";
    throw error;
  } finally {
    restoreTerminal?.();
    lockstep.dispose();
    if (options.stats) {
      const stats = lockstep.stats();
      io.stderr.write(`lock-step: ${formatCount(stats.steps)} steps compared, ${formatCount(stats.memoryChecks)} full memory ` +
        `comparisons, ${formatCount(stats.instructions)} instructions in ${(stats.wallTimeMs / 1000).toFixed(3)} s, ${verdict}\n` +
        "the translator's machine:\n");
      io.stderr.write(formatStats(lockstep.subject.stats()));
    }
  }
}
