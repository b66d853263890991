// What the lock-step driver (lockstep.ts) compares and how it reports a divergence.
//
// State: a list of named fields read straight from the core's hart and machine blocks — what the
// guest can observe (RISC-V unprivileged spec ch. 2 "RV64I" state, privileged spec ch. 3 "Machine-Level
// ISA" CSRs): pc, privilege and virtualization mode, x1..x31, f0..f31, fflags/frm, the LR
// reservation (its address only while valid), the WFI stall, every CSR slot of the hart block
// (mstatus ... pmpaddr15, including the host-driven interrupt lines, so device interrupt delivery is
// compared too), instret and the clock (mtime and the partial tick). Host bookkeeping is not: TLB
// pointers, the exit record, statistics, the translator's counters. A byte comparison of the same
// ranges is the per-step fast path; the named snapshot is built only when it fails.
//
// Memory: the first differing byte of guest RAM (one native memcmp, then page by page).
//
// Report: the typed error of the embedding API and the text printed for a person (both states side
// by side with the differing fields marked, the step, the last pcs and a decode of the instructions
// of the last step).
import * as L from "../core/layout.generated.js";
import { OP_NAMES } from "../core/layout.generated.js";
import type { GuestRam, MemoryViews } from "../core/memory.js";
import { WasmvisorError } from "../machine/errors.js";

/** One compared quantity: its name, where it lives and its width. */
export interface StateField {
  /** Name shown in reports ("pc", "x10/a0", "mstatus", ...). */
  readonly name: string;
  /** Byte offset in the hart block (or in the machine block when `machine` is set). */
  readonly offset: number;
  /** Width in bytes (4 or 8). */
  readonly size: 4 | 8;
  /** True for a field of the machine block (mtime), false for the hart block. */
  readonly machine?: boolean;
}

/** A snapshot: one value per field of STATE_FIELDS, in that order. */
export type StateSnapshot = readonly bigint[];

/** One field whose values differ between the two engines. */
export interface FieldDifference {
  /** Field name. */
  readonly name: string;
  /** Value on the reference engine (the interpreter). */
  readonly reference: bigint;
  /** Value on the engine under test (the translator). */
  readonly subject: bigint;
}

const ABI_NAMES = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
  "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"];

// CSR slots come from the generated layout (one source for offsets): every H_* constant in the CSR
// area, named by lower-casing it; the PMP arrays are expanded per entry.
function csrFields(): StateField[] {
  const out: StateField[] = [];
  for (const [key, value] of Object.entries(L)) {
    if (!key.startsWith("H_") || typeof value !== "number") continue;
    if (value < L.H_MSTATUS || value >= L.H_PMPCFG) continue;
    const name = key === "H_EXT_IRQ" ? "device-irq-lines" : key.slice(2).toLowerCase();
    out.push({ name, offset: value, size: 8 });
  }
  out.sort((a, b) => a.offset - b.offset);
  out.push({ name: "pmpcfg0", offset: L.H_PMPCFG, size: 8 }, { name: "pmpcfg2", offset: L.H_PMPCFG + 8, size: 8 });
  for (let i = 0; i < 16; i++) out.push({ name: `pmpaddr${i}`, offset: L.H_PMPADDR + 8 * i, size: 8 });
  return out;
}

/** Every compared field, in report order. */
export const STATE_FIELDS: readonly StateField[] = [
  { name: "pc", offset: L.H_PC, size: 8 },
  { name: "priv", offset: L.H_PRIV, size: 4 },
  { name: "virt", offset: L.H_VIRT, size: 4 },
  { name: "wfi", offset: L.H_WFI, size: 4 },
  { name: "instret", offset: L.H_INSTRET, size: 8 },
  { name: "mtime", offset: L.M_MTIME, size: 8, machine: true },
  { name: "mtime-partial-tick", offset: L.M_TICK_ACCUM, size: 8, machine: true },
  ...Array.from({ length: 31 }, (_, i) => ({ name: `x${i + 1}/${ABI_NAMES[i + 1]}`, offset: L.H_X + 8 * (i + 1), size: 8 as const })),
  ...Array.from({ length: 32 }, (_, i) => ({ name: `f${i}`, offset: L.H_F + 8 * i, size: 8 as const })),
  { name: "fflags", offset: L.H_FFLAGS, size: 4 },
  { name: "frm", offset: L.H_FRM, size: 4 },
  { name: "reservation.valid", offset: L.H_RES_VALID, size: 4 },
  { name: "reservation.address", offset: L.H_RES_ADDR, size: 8 },
  ...csrFields(),
];

const RESERVATION_VALID = STATE_FIELDS.findIndex((f) => f.name === "reservation.valid");
const RESERVATION_ADDRESS = STATE_FIELDS.findIndex((f) => f.name === "reservation.address");

/** Reads the snapshot of hart `hart` from the core memory behind `views`. */
export function captureState(views: MemoryViews, hart: number): StateSnapshot {
  const hartBase = L.HART_BASE + hart * L.HART_SIZE;
  const view = views.view;
  return STATE_FIELDS.map((field) => {
    const at = (field.machine ? L.MACHINE_BASE : hartBase) + field.offset;
    return field.size === 8 ? view.getBigUint64(at, true) : BigInt(view.getUint32(at, true));
  });
}

/** Fields that differ between `reference` and `subject` (a stale reservation address is ignored). */
export function compareStates(reference: StateSnapshot, subject: StateSnapshot): FieldDifference[] {
  const out: FieldDifference[] = [];
  const bothInvalid = reference[RESERVATION_VALID] === 0n && subject[RESERVATION_VALID] === 0n;
  for (let i = 0; i < STATE_FIELDS.length; i++) {
    if (i === RESERVATION_ADDRESS && bothInvalid) continue;
    if (reference[i] !== subject[i]) out.push({ name: STATE_FIELDS[i]!.name, reference: reference[i]!, subject: subject[i]! });
  }
  return out;
}

// Byte ranges of the hart block that hold exactly the compared hart fields plus bytes that are
// equal whenever the fields are (the x0 sink slot and the translator's TLB pointers are left out),
// for the quick check; the machine block's clock is checked separately.
const QUICK_HART_RANGES: readonly (readonly [number, number])[] = [
  [L.H_X + 8, L.H_X + 8 * 32], [L.H_F, L.H_TLB_DATA], [L.H_MSTATUS, L.H_HYP_CSRS], [L.H_INSTRET, L.H_INSTRET + 8],
];
const QUICK_MACHINE_RANGES: readonly (readonly [number, number])[] = [[L.M_MTIME, L.M_MTIME + 8], [L.M_TICK_ACCUM, L.M_TICK_ACCUM + 8]];

const buffers = new WeakMap<MemoryViews, Buffer>();
function bufferOf(views: MemoryViews): Buffer {
  let buffer = buffers.get(views);
  if (!buffer) buffers.set(views, buffer = Buffer.from(views.u8.buffer, views.u8.byteOffset, views.u8.byteLength));
  return buffer;
}

/** Whether hart `hart` has the same state in both memories: a byte comparison, cheap enough for every
 *  step; false may still be a difference compareStates ignores (a stale reservation address). */
export function quickStatesEqual(reference: MemoryViews, subject: MemoryViews, hart: number): boolean {
  const a = bufferOf(reference), b = bufferOf(subject);
  const check = (base: number, ranges: readonly (readonly [number, number])[]) =>
    ranges.every(([start, end]) => a.compare(b, base + start, base + end, base + start, base + end) === 0);
  return check(L.HART_BASE + hart * L.HART_SIZE, QUICK_HART_RANGES) && check(L.MACHINE_BASE, QUICK_MACHINE_RANGES);
}

/** The value of field `name` in `snapshot`. */
export function stateField(snapshot: StateSnapshot, name: string): bigint {
  const index = STATE_FIELDS.findIndex((f) => f.name === name);
  if (index < 0) throw new RangeError(`no state field "${name}"`);
  return snapshot[index]!;
}

const hex16 = (value: bigint) => "0x" + value.toString(16).padStart(16, "0");

/** Both snapshots side by side, one field a line; differing fields are marked with "<>". */
export function formatSideBySide(reference: StateSnapshot, subject: StateSnapshot): string {
  const differing = new Set(compareStates(reference, subject).map((d) => d.name));
  const width = Math.max(...STATE_FIELDS.map((f) => f.name.length));
  const lines = [`${"".padEnd(width)}   ${"interp (reference)".padEnd(18)}   dbt (under test)`];
  STATE_FIELDS.forEach((field, i) => {
    const mark = differing.has(field.name) ? "<>" : "  ";
    lines.push(`${field.name.padEnd(width)} ${mark} ${hex16(reference[i]!)}   ${hex16(subject[i]!)}`);
  });
  return lines.join("\n");
}

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
