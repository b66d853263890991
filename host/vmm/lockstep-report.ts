// The lock-step driver's divergence report: the typed error the embedding API throws, the memory
// comparison it relies on, and the text printed for a person (both states side by side, the step,
// the last pcs and a decode of the instructions of the last step).
import { OP_NAMES } from "../core/layout.generated.js";
import type { GuestRam } from "../core/memory.js";
import { WasmvisorError } from "../machine/errors.js";
import { formatSideBySide, type FieldDifference, type StateSnapshot } from "./lockstep-state.js";

/** What diverged: architectural state, guest memory, the exit reason of a step, console output or how the run ended. */
export type DivergenceKind = "state" | "memory" | "exit" | "output" | "finish";

/** A step of the lock-step run: where it started and how many instructions it executed (faulting ones included). */
export interface StepRecord {
  /** Step number (1 = first). */
  readonly step: number;
  /** Hart that ran it. */
  readonly hart: number;
  /** pc at the start of the step (after any interrupt taken at its start is not yet known). */
  readonly pc: bigint;
  /** Instructions executed, faulting ones included (the translator's count). */
  readonly executed: bigint;
}

/** The first differing byte range of guest RAM. */
export interface MemoryDifference {
  /** Guest physical address of the first differing byte. */
  readonly address: bigint;
  /** Up to 16 bytes from there on the reference engine. */
  readonly reference: Uint8Array;
  /** The same bytes on the engine under test. */
  readonly subject: Uint8Array;
}

/** Everything known about a divergence. */
export interface DivergenceReport {
  /** What diverged. */
  readonly kind: DivergenceKind;
  /** The step after which it was seen. */
  readonly step: number;
  /** The hart compared. */
  readonly hart: number;
  /** Differing state fields (kind "state"; also filled for the other kinds when the states differ). */
  readonly differences: readonly FieldDifference[];
  /** The first differing memory (kind "memory"). */
  readonly memory?: MemoryDifference;
  /** A one-line description for kinds "exit", "output" and "finish". */
  readonly detail?: string;
  /** The most recent steps, oldest first (the last one is the diverging step). */
  readonly recentSteps: readonly StepRecord[];
  /** Decoded instructions of the last step ("pc: raw NAME"), when their code could be read. */
  readonly lastStepCode: readonly string[];
  /** The report as printed: the summary, the two states side by side and the history. */
  readonly text: string;
}

/** The engines disagreed: the translator (or the interpreter) has a bug. `report` has the details. */
export class DivergenceError extends WasmvisorError {
  /** The divergence. */
  readonly report: DivergenceReport;

  /** Creates the error for `report` (its message is the report's first line). */
  constructor(report: DivergenceReport) {
    super(report.text.split("\n")[0]!);
    this.report = report;
  }
}

/** A guest physical RAM range compared by memory checks. */
export interface RamRegion {
  /** Guest physical start address. */
  readonly address: bigint | number;
  /** Length in bytes. */
  readonly length: number;
}

const PAGE = 4096;

/** The first difference of `reference` and `subject` RAM within `region` (default: all of RAM). */
export function firstMemoryDifference(reference: GuestRam, subject: GuestRam, region?: RamRegion): MemoryDifference | undefined {
  const a = Buffer.from(reference.bytes.buffer, reference.bytes.byteOffset, reference.bytes.byteLength);
  const b = Buffer.from(subject.bytes.buffer, subject.bytes.byteOffset, subject.bytes.byteLength);
  const start = region ? Math.max(0, Number(BigInt(region.address) - BigInt(reference.base))) : 0;
  const end = region ? Math.min(a.length, start + region.length) : Math.min(a.length, b.length);
  // One native memcmp over the region; then pages, and bytes only inside the differing page.
  if (a.compare(b, start, end, start, end) === 0) return undefined;
  for (let page = start; page < end; page += PAGE) {
    const stop = Math.min(end, page + PAGE);
    if (a.compare(b, page, stop, page, stop) === 0) continue;
    let at = page;
    while (a[at] === b[at]) at++;
    const to = Math.min(end, at + 16);
    return { address: BigInt(reference.base) + BigInt(at), reference: a.subarray(at, to).slice(), subject: b.subarray(at, to).slice() };
  }
  return undefined;
}

const hex = (value: bigint) => "0x" + value.toString(16);
const bytesHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

/** Decodes the instruction words `code` fetched from `pc` on: "pc: raw NAME" per instruction. */
export function describeCode(pc: bigint, code: Uint8Array, count: number, decode: (raw: number) => number): string[] {
  const out: string[] = [];
  let at = 0;
  while (out.length < count && at + 2 <= code.length) {
    const low = code[at]! | (code[at + 1]! << 8);
    const compressed = (low & 3) !== 3;
    if (!compressed && at + 4 > code.length) break;
    const raw = compressed ? low : (low | (code[at + 2]! << 16) | (code[at + 3]! << 24)) >>> 0;
    const name = OP_NAMES[decode(raw)] ?? "?";
    out.push(`${hex(pc + BigInt(at))}: ${raw.toString(16).padStart(compressed ? 4 : 8, "0")} ${name}`);
    at += compressed ? 2 : 4;
  }
  return out;
}

/** Builds the report (and its text) from what the driver saw. */
export function buildReport(parts: Omit<DivergenceReport, "text">, reference: StateSnapshot, subject: StateSnapshot): DivergenceReport {
  const lines: string[] = [];
  const where = `step ${parts.step}, hart ${parts.hart}`;
  switch (parts.kind) {
    case "state":
      lines.push(`lock-step divergence at ${where}: ${parts.differences.map((d) => `${d.name} interp ${hex(d.reference)} dbt ${hex(d.subject)}`).join("; ")}`);
      break;
    case "memory": {
      const m = parts.memory!;
      lines.push(`lock-step divergence at ${where}: memory at ${hex(m.address)}: interp [${bytesHex(m.reference)}] dbt [${bytesHex(m.subject)}]`);
      break;
    }
    default:
      lines.push(`lock-step divergence at ${where}: ${parts.kind}: ${parts.detail ?? ""}`);
  }
  if (parts.lastStepCode.length > 0) lines.push("last step:", ...parts.lastStepCode.map((l) => "  " + l));
  lines.push("recent steps (oldest first): " + parts.recentSteps.map((s) => `${hex(s.pc)}+${s.executed}`).join(" "));
  lines.push(formatSideBySide(reference, subject));
  return { ...parts, text: lines.join("\n") };
}
