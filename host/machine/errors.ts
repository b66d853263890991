// Typed errors of the host. Every failure the host can diagnose is one of these classes, each
// with a message meant for a person (the CLI prints it as "wasmvisor: error: <message>") and the
// process exit status the CLI uses for it. Guest exit codes (syscon, HTIF) are not errors: they
// arrive in a RunResult.

/** Exit status of the CLI for a host-side error (bad file, bad option, core failure, ...). */
export const EXIT_STATUS_HOST_ERROR = 2;
/** Exit status of the CLI when the instruction limit (--max-insns) was reached. */
export const EXIT_STATUS_LIMIT = 3;

/** Base class of every error the host raises on purpose. */
export class WasmvisorError extends Error {
  /** Process exit status the CLI uses when this error ends a run. */
  readonly exitStatus: number;

  /** Creates an error with a message and the CLI exit status it maps to. */
  constructor(message: string, exitStatus: number = EXIT_STATUS_HOST_ERROR, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitStatus = exitStatus;
  }
}

/** A malformed or unsupported ELF file (bad header, truncated table, segment outside RAM, ...). */
export class ElfError extends WasmvisorError {}

/** An image could not be read or placed in guest memory (missing file, raw image outside RAM). */
export class LoadError extends WasmvisorError {}

/** Invalid machine configuration (memory size, hart count, clock name, engine name, ...). */
export class ConfigError extends WasmvisorError {}

/** Invalid command-line usage (unknown flag, missing value, malformed size). */
export class UsageError extends WasmvisorError {}

/** A device range could not be mapped on the bus (overlap, empty range). */
export class BusError extends WasmvisorError {}

/** The WebAssembly core is missing, malformed, aborted, or broke its contract with the host. */
export class CoreError extends WasmvisorError {}

/** The guest did something the host cannot continue from (hart halted, unhandled exit). */
export class GuestError extends WasmvisorError {}

/** Every hart waits for an interrupt and nothing can ever deliver one. */
export class IdleError extends GuestError {
  /** Creates the idle-forever error; `detail` says what the harts were waiting in. */
  constructor(detail?: string) {
    super(`guest is idle forever (WFI with no wake-up source)${detail ? `: ${detail}` : ""}`);
  }
}

/** The run reached the configured maximum number of retired instructions. */
export class LimitError extends WasmvisorError {
  /** Instructions retired when the limit was hit. */
  readonly instructions: bigint;

  /** Creates the limit error for a run that retired `instructions` of `limit` allowed. */
  constructor(instructions: bigint, limit: bigint) {
    super(`instruction limit reached (${limit} instructions; ${instructions} retired)`, EXIT_STATUS_LIMIT);
    this.instructions = instructions;
  }
}

/** Returns a one-line description of any thrown value (for the CLI's error line). */
export function describeError(error: unknown): string {
  if (error instanceof WasmvisorError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Returns the exit status for any thrown value: its own for WasmvisorError, else 2. */
export function exitStatusOf(error: unknown): number {
  return error instanceof WasmvisorError ? error.exitStatus : EXIT_STATUS_HOST_ERROR;
}
