// Random instruction-stream generator for the lock-step differential tests (streams.test.ts): from a
// seed, a complete bare-metal guest image whose body is a stream of valid RV64GC instructions — I, M,
// A (AMOs and LR/SC pairs), F, D, C, Zicsr on a safe set of CSRs, FENCE/FENCE.I — mixed with
// deliberate faults (loads/stores to unmapped, read-only and misaligned addresses, illegal
// instructions, ECALL/EBREAK, privileged instructions in a lower mode), forward branches and jumps
// (B, JAL, JALR, C.J, C.BEQZ/BNEZ, C.JR/C.JALR), short bounded backward loops and self-modifying code
// (a store over a later instruction of the same block, then FENCE.I), so translated code meets
// control flow, traps, mid-block faults and invalidation. Some streams run in S or U mode under Sv39 with
// hardware A/D updates, some with a periodic machine timer interrupt. StreamRunner (at the end) runs
// them in lock step.
//
// Physical layout (RAM at DRAM_BASE, identity-mapped when paging is on):
//   +0x0000 prologue (M): mtvec, PMP, counters, FP on, timer, satp, registers from a table, mret
//   +0x0800 trap handler (M): logs mcause/mtval/mepc, skips the trapping instruction (its length
//           from the halfword at mepc), re-arms or disarms the timer; at END it powers off (syscon)
//   +0x0c00 S-mode handler for the faults delegated in half the S/U streams: counts and skips them
//   +0x1000 the stream (≤ 32 KiB), ending with the ECALL at END
//   +0x10000 data: two read/write pages, one read-only page, one unmapped page (paged streams)
//   +0x14000 handler area (tp): saved registers, rearm delay, trap count and log; never mapped
//   +0x20000 page tables (root, level 1, level 0)
// Registers the stream never writes: sp (data + 0x400, for C.*SP), gp (data), tp (handler area),
// s1 (data + 0x100, for C.LW/C.SW...), s11 (loop counter).
import * as E from "./rv-encode.js";
import { LockstepMachine, captureState, compareStates } from "../../host/vmm/lockstep.js";
import type { Machine } from "../../host/machine/machine.js";
import { H_STAT_INTERRUPTS, H_STAT_TRAPS, H_STAT_JIT_INSNS, H_STAT_JIT_INVALIDATIONS } from "../../host/core/layout.generated.js";

/** Guest physical base of RAM and of the image's regions (see the layout above). */
export const DRAM = 0x8000_0000;
/** Code regions: prologue, M handler, S handler, the stream and its end. */
export const PROLOGUE = DRAM, HANDLER = DRAM + 0x800, S_HANDLER = DRAM + 0xc00, STREAM = DRAM + 0x1000, STREAM_LIMIT = DRAM + 0x9000;
/** Data regions: the data pages, the handlers' area, the page tables. */
export const DATA = DRAM + 0x1_0000, DATA_SIZE = 0x4000, HANDLER_AREA = DRAM + 0x1_4000, PAGE_TABLES = DRAM + 0x2_0000;
/** RAM the stream machines need (the minimum a machine allows). */
export const STREAM_RAM = 1 << 20;

const SP = 2, GP = 3, TP = 4, S1 = 9, S11 = 27, T0 = 5, T1 = 6, T2 = 7;
const RESERVED = new Set([SP, GP, TP, S1, S11]);

/** The privilege mode a stream's body runs in. */
export type StreamMode = "M" | "S" | "U";

/** A generated stream: its image and what it was generated with. */
export interface Stream {
  /** The seed. */
  readonly seed: number;
  /** Privilege mode of the body. */
  readonly mode: StreamMode;
  /** Whether the body runs under Sv39. */
  readonly paged: boolean;
  /** Machine-timer re-arm delay in mtime ticks (0: no timer interrupts). */
  readonly timerDelay: number;
  /** Whether faults of the body are delegated to the S-mode handler (medeleg). */
  readonly delegated: boolean;
  /** Chunks to place in RAM (code, data, handler area, page tables). */
  readonly chunks: readonly { address: number; data: Uint8Array }[];
  /** Address of the final ECALL. */
  readonly end: number;
  /** Generator's listing of the body ("offset: word"), for reproducing a divergence. */
  readonly listing: readonly string[];
}

// ---- random numbers (mulberry32: small and seedable) ----
class Random {
  private state: number;
  constructor(seed: number) { this.state = seed >>> 0; }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  pick<T>(list: readonly T[]): T { return list[this.int(list.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
}

const EDGE64: readonly bigint[] = [0n, 1n, 2n, 0x7fn, 0x80n, 0x7ffn, 0x800n, 0xffffn, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn,
  0x1_0000_0000n, 0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0xffff_ffff_ffff_ffffn, 0xffff_ffff_8000_0000n, 63n, 64n, 31n, 32n];
// Doubles and singles (NaN-boxed) worth testing: zeros, ones, infinities, NaNs (quiet, signalling,
// non-canonical box), subnormals, large and tiny values.
const EDGE_FLOAT: readonly bigint[] = [0n, 0x8000_0000_0000_0000n, 0x3ff0_0000_0000_0000n, 0xbff0_0000_0000_0000n,
  0x7ff0_0000_0000_0000n, 0xfff0_0000_0000_0000n, 0x7ff8_0000_0000_0000n, 0x7ff4_0000_0000_0000n, 0x0000_0000_0000_0001n,
  0x7fef_ffff_ffff_ffffn, 0x4330_0000_0000_0000n, 0x43e0_0000_0000_0000n, 0xffff_ffff_3f80_0000n, 0xffff_ffff_bf80_0000n,
  0xffff_ffff_7f80_0000n, 0xffff_ffff_7fc0_0000n, 0xffff_ffff_7fa0_0000n, 0xffff_ffff_0000_0001n, 0x0000_0000_3f80_0000n,
  0xffff_ffff_4f00_0000n, 0xffff_ffff_5f00_0000n, 0x4000_0000_0000_0000n];

// A position in the body that branches target; bound to a unit index once placed.
interface Label { index?: number }
// One instruction of the body: its size and its encoder (given the byte offsets of every instruction).
interface Insn { size: 2 | 4; encode(offsetOf: (label: Label) => number, at: number): number }

/** Builds one stream from `seed`. */
export function generateStream(seed: number, options: { length?: number } = {}): Stream {
  return new StreamBuilder(seed, options.length ?? 120).build();
}

class StreamBuilder {
  private readonly r: Random;
  private readonly mode: StreamMode;
  private readonly paged: boolean;
  private readonly timerDelay: number;
  private readonly delegated: boolean;
  private readonly body: Insn[] = [];
  private readonly labelAt: Label[] = []; // labelAt[i]: label bound before body[i]
  // Labels waiting to be bound; `short` for compressed branches and jumps (±256 B / ±2 KiB), which
  // a loop must not separate from their target.
  private pending: { label: Label; units: number; short: boolean }[] = [];
  private inLoop = false;

  constructor(readonly seed: number, private readonly length: number) {
    this.r = new Random(seed);
    this.mode = this.r.pick(["M", "M", "S", "U"] as const);
    this.paged = this.mode !== "M" && this.r.chance(0.7);
    this.timerDelay = this.r.chance(0.3) ? this.r.range(3, 60) : 0;
    this.delegated = this.mode !== "M" && this.r.chance(0.5);
  }

  build(): Stream {
    while (this.body.length < this.length) this.unit();
    const end: Label = {};
    this.bindAll(end);
    this.fixed(E.ECALL); // END
    const offsets: number[] = [];
    let at = 0;
    for (const insn of this.body) { offsets.push(at); at += insn.size; }
    offsets.push(at);
    if (STREAM + at > STREAM_LIMIT) throw new RangeError(`stream ${this.seed} is too long (${at} bytes)`);
    const indexOf = (label: Label) => {
      if (label.index === undefined) throw new Error("unbound label");
      return label.index;
    };
    const code = new Uint8Array(at);
    const view = new DataView(code.buffer);
    const listing: string[] = [];
    this.body.forEach((insn, i) => {
      const word = insn.encode((label) => offsets[indexOf(label)]! - offsets[i]!, offsets[i]!);
      if (insn.size === 4) view.setUint32(offsets[i]!, word, true); else view.setUint16(offsets[i]!, word, true);
      listing.push(`${(STREAM + offsets[i]!).toString(16)}: ${word.toString(16).padStart(insn.size * 2, "0")}`);
    });
    const endAddress = STREAM + offsets[this.body.length - 1]!;
    return {
      seed: this.seed, mode: this.mode, paged: this.paged, timerDelay: this.timerDelay, delegated: this.delegated, end: endAddress, listing,
      chunks: [
        { address: PROLOGUE, data: words(this.prologue()) },
        { address: HANDLER, data: words(handler(endAddress)) },
        { address: S_HANDLER, data: words(supervisorHandler()) },
        { address: STREAM, data: code },
        { address: DATA, data: this.dataArea() },
        { address: HANDLER_AREA, data: this.handlerArea() },
        ...(this.paged ? [{ address: PAGE_TABLES, data: this.pageTables() }] : []),
      ],
    };
  }

  // ---- emission helpers ----
  private fixed(word: number): void { this.push({ size: (word & 3) === 3 ? 4 : 2, encode: () => word }); }
  private push(insn: Insn): void { this.body.push(insn); }
  private dest(): number { let r; do r = this.r.int(32); while (RESERVED.has(r)); return r; }
  private src(): number { return this.r.chance(0.6) ? this.r.range(5, 15) : this.r.int(32); }
  private cdest(): number { return this.r.pick([8, 10, 11, 12, 13, 14, 15]); }
  private creg(): number { return this.r.range(8, 15); }
  private imm12(): number { return this.r.chance(0.3) ? this.r.pick([0, 1, -1, 2047, -2048, 63, 31, 32]) : this.r.range(-2048, 2047); }
  private rm(): number { return this.r.chance(0.05) ? this.r.pick([5, 6]) : this.r.pick([0, 1, 2, 3, 4, 7, 7]); }

  // A unit is a group of instructions no label falls inside (a base-register set-up and its access).
  private unit(): void {
    for (const p of this.pending) p.units--;
    const due = this.pending.filter((p) => p.units <= 0);
    this.pending = this.pending.filter((p) => p.units > 0);
    for (const p of due) p.label.index = this.body.length;
    const kind = this.r.int(100);
    if (kind < 18) this.alu();
    else if (kind < 24) this.mulDiv();
    else if (kind < 32) this.compressedAlu();
    else if (kind < 42) this.memory();
    else if (kind < 47) this.compressedMemory();
    else if (kind < 56) this.floatArith();
    else if (kind < 61) this.floatMove();
    else if (kind < 66) this.atomic();
    else if (kind < 71) this.csr();
    else if (kind < 77) this.fault();
    else if (kind < 78) this.r.chance(0.6) ? this.selfModifying() : this.fixed(this.r.pick([E.FENCE, E.FENCE_I, E.PAUSE]));
    else if (kind < 80) this.fixed(this.r.chance(0.5) ? E.encU(this.r.int(1 << 20), this.dest(), 0x37) : E.encU(this.r.int(1 << 20), this.dest(), 0x17));
    else if (kind < 92) this.branch();
    else if (kind < 96 && !this.inLoop) this.loop();
    else this.alu();
  }

  private bindAll(label: Label): void {
    for (const p of this.pending) p.label.index = this.body.length;
    this.pending = [];
    label.index = this.body.length;
  }

  private alu(): void { this.fixed(this.aluWord()); }

  private aluWord(): number {
    const r = this.r;
    if (r.chance(0.5)) {
      // OP-IMM / OP-IMM-32: addi slti sltiu xori ori andi, shifts (shamt 6 bits, W forms 5).
      const f3 = r.pick([0, 2, 3, 4, 6, 7, 1, 5]);
      const word = r.chance(0.3);
      if (f3 === 1 || f3 === 5) {
        const shamt = r.int(word ? 32 : 64) | (f3 === 5 && r.chance(0.5) ? 0x400 : 0);
        return E.encI(shamt, this.src(), f3, this.dest(), word ? 0x1b : 0x13);
      }
      if (word) return E.encI(this.imm12(), this.src(), 0, this.dest(), 0x1b);
      return E.encI(this.imm12(), this.src(), f3, this.dest(), 0x13);
    }
    const word = r.chance(0.3);
    const [f7, f3] = word ? r.pick([[0, 0], [0x20, 0], [0, 1], [0, 5], [0x20, 5]]) : r.pick([[0, 0], [0x20, 0], [0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [0x20, 5], [0, 6], [0, 7]]);
    return E.encR(f7!, this.src(), this.src(), f3!, this.dest(), word ? 0x3b : 0x33);
  }

  // Self-modifying code (unprivileged spec ch. 6 "Zifencei"): store a new ALU instruction over the
  // one after FENCE.I, in the same block: auipc t; lui/addi v = new word; sw v, 20(t); fence.i; old.
  // Under paging the code pages are writable in half the streams (a store page fault otherwise).
  private selfModifying(): void {
    const t = this.dest() || T0;
    let v: number;
    do v = this.dest(); while (v === 0 || v === t);
    const replacement = this.aluWord() | 0;
    const hi = (replacement + 0x800) >> 12;
    this.fixed(E.encU(0, t, 0x17));
    this.fixed(E.encU(hi, v, 0x37));
    this.fixed(E.encI(replacement - (hi << 12), v, 0, v, 0x13));
    this.fixed(E.encS(20, v, t, 2, 0x23));
    this.fixed(E.FENCE_I);
    this.alu();
  }

  private mulDiv(): void {
    const word = this.r.chance(0.3);
    const f3 = word ? this.r.pick([0, 4, 5, 6, 7]) : this.r.int(8);
    this.fixed(E.encR(1, this.src(), this.src(), f3, this.dest(), word ? 0x3b : 0x33));
  }

  private compressedAlu(): void {
    const r = this.r;
    const k = r.int(9);
    const nonzero = () => { let v; do v = r.range(-32, 31); while (v === 0); return v; };
    switch (k) {
      case 0: this.fixed(E.cImm(0, this.dest() || 1, nonzero())); break; // c.addi
      case 1: this.fixed(E.cImm(1, this.dest() || 1, r.range(-32, 31))); break; // c.addiw
      case 2: this.fixed(E.cImm(2, this.dest() || 1, r.range(-32, 31))); break; // c.li
      case 3: this.fixed(E.cLui(this.dest() || 1, nonzero())); break;
      case 4: this.fixed(E.cSlli(this.dest() || 1, r.range(1, 63))); break;
      case 5: this.fixed(E.cShiftAndi(r.int(3), this.cdest(), r.int(3) === 2 ? r.range(-32, 31) : r.range(1, 63))); break;
      case 6: { const word = r.int(2); this.fixed(E.cArith(word, r.int(word ? 2 : 4), this.cdest(), this.creg())); break; }
      case 7: this.fixed(E.cMv(this.dest() || 1, this.src() || 1)); break;
      default: this.fixed(E.cAdd(this.dest() || 1, this.src() || 1)); break;
    }
  }

  // Base register for a data access: gp itself, a register pointed by LUI+ADD at one of the data
  // pages (read/write, read-only, unmapped) or far outside RAM, or — for loads only — any register
  // (usually a fault; a store there could hit the stream's own code through an AUIPC result or a
  // link register and turn it into an endless loop).
  private base(load: boolean): { reg: number; offset: number } {
    const r = this.r;
    const k = r.int(load ? 10 : 9);
    if (k < 5) return { reg: GP, offset: r.range(0, 2040) };
    if (k < 9) {
      const reg = this.dest();
      const page = r.pick([1, 1, 2, 3, 0x10000]);
      this.fixed(E.encU(page, reg, 0x37));
      this.fixed(E.encR(0, GP, reg, 0, reg, 0x33));
      return { reg, offset: r.range(-64, 2040) };
    }
    return { reg: this.src(), offset: r.range(-16, 16) };
  }

  private aligned(offset: number, size: number): number {
    return this.r.chance(0.15) ? offset : offset & ~(size - 1);
  }

  private memory(): void {
    const r = this.r;
    const float = r.chance(0.25);
    const store = r.chance(0.45);
    const { reg, offset } = this.base(!store);
    if (float) {
      const double = r.chance(0.5);
      const at = this.aligned(offset, double ? 8 : 4);
      this.fixed(store ? E.encS(at, r.int(32), reg, double ? 3 : 2, 0x27) : E.encI(at, reg, double ? 3 : 2, r.int(32), 0x07));
    } else if (store) {
      const f3 = r.int(4);
      this.fixed(E.encS(this.aligned(offset, 1 << f3), this.src(), reg, f3, 0x23));
    } else {
      const f3 = r.pick([0, 1, 2, 3, 4, 5, 6]);
      this.fixed(E.encI(this.aligned(offset, 1 << (f3 & 3)), reg, f3, this.dest(), 0x03));
    }
  }

  private compressedMemory(): void {
    const r = this.r;
    const store = r.chance(0.45), float = r.chance(0.3), width: 4 | 8 = float || r.chance(0.5) ? 8 : 4;
    if (r.chance(0.5)) {
      const offset = width === 4 ? r.int(32) * 4 : r.int(32) * 8;
      this.fixed(E.cMem(store, float, width, store || float ? this.creg() : this.cdest(), S1, offset));
    } else {
      const offset = width === 4 ? r.int(64) * 4 : r.int(64) * 8;
      if (store) this.fixed(E.cStoreSp(float, width, float ? r.int(32) : this.src(), offset));
      else this.fixed(E.cLoadSp(float, width, float ? r.int(32) : this.dest() || 1, offset));
    }
  }

  private floatArith(): void {
    const r = this.r, fmt = r.int(2), f = () => r.int(32);
    const k = r.int(10);
    if (k < 2) {
      this.fixed(E.encR4(f(), fmt, f(), f(), this.rm(), f(), r.pick([0x43, 0x47, 0x4b, 0x4f])));
    } else if (k < 6) {
      this.fixed(E.encFp(r.int(4), fmt, f(), f(), this.rm(), f())); // fadd fsub fmul fdiv
    } else if (k < 7) {
      this.fixed(E.encFp(0x0b, fmt, 0, f(), this.rm(), f())); // fsqrt
    } else if (k < 8) {
      this.fixed(E.encFp(0x04, fmt, f(), f(), r.int(3), f())); // fsgnj[n|x]
    } else if (k < 9) {
      this.fixed(E.encFp(0x05, fmt, f(), f(), r.int(2), f())); // fmin fmax
    } else {
      this.fixed(E.encFp(0x08, fmt, 1 - fmt, f(), this.rm(), f())); // fcvt.s.d / fcvt.d.s
    }
  }

  private floatMove(): void {
    const r = this.r, fmt = r.int(2), f = () => r.int(32);
    const k = r.int(5);
    if (k === 0) this.fixed(E.encFp(0x14, fmt, f(), f(), r.int(3), this.dest())); // feq flt fle
    else if (k === 1) this.fixed(E.encFp(0x1c, fmt, 0, f(), r.int(2), this.dest())); // fmv.x / fclass
    else if (k === 2) this.fixed(E.encFp(0x18, fmt, r.int(4), f(), this.rm(), this.dest())); // fcvt.{w,wu,l,lu}
    else if (k === 3) this.fixed(E.encFp(0x1a, fmt, r.int(4), this.src(), this.rm(), f())); // fcvt from integer
    else this.fixed(E.encFp(0x1e, fmt, 0, this.src(), 0, f())); // fmv.w.x / fmv.d.x
  }

  private atomic(): void {
    const r = this.r;
    const reg = this.dest();
    const double = r.chance(0.5);
    const misaligned = r.chance(0.08);
    const offset = (r.range(0, 255) * 8) + (misaligned ? r.pick([1, 2, 4]) : 0);
    this.fixed(E.encI(offset, GP, 0, reg, 0x13)); // addi reg, gp, offset
    const f3 = double ? 3 : 2, aq = r.int(2), rl = r.int(2);
    if (r.chance(0.4)) {
      this.fixed(E.encAmo(0x02, aq, rl, 0, reg, f3, this.dest())); // lr
      for (let i = r.int(3); i > 0; i--) this.alu();
      const other = r.chance(0.15); // an SC to another address (or none before it) fails
      if (other) this.fixed(E.encI(8, reg, 0, reg, 0x13));
      this.fixed(E.encAmo(0x03, aq, rl, this.src(), reg, f3, this.dest())); // sc
    } else {
      this.fixed(E.encAmo(r.pick([0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c]), aq, rl, this.src(), reg, f3, this.dest()));
    }
  }

  private csr(): void {
    const r = this.r;
    // fflags frm fcsr, cycle time instret, sscratch, mscratch, minstret (M only), pmpcfg1 (illegal on RV64)
    const csr = r.pick([0x001, 0x002, 0x003, 0x003, 0xc00, 0xc01, 0xc02, 0x140, 0x340, 0xb02, 0x3a1]);
    const f3 = r.pick([1, 2, 3, 5, 6, 7]);
    const readOnly = csr >= 0xc00 && csr <= 0xc02;
    // A write to a read-only counter is illegal: keep that case rare (rs1 = 0 makes CSRRS/C a pure read).
    const source = readOnly && !r.chance(0.1) ? 0 : f3 >= 5 ? r.int(32) : this.src();
    this.fixed(E.encCsr(csr, source, readOnly && source === 0 && (f3 === 1 || f3 === 5) ? f3 + 1 : f3, r.chance(0.1) ? 0 : this.dest()));
  }

  private fault(): void {
    const r = this.r;
    const options: (() => void)[] = [
      () => this.fixed(0x0000), // c.illegal
      () => this.fixed(0xffff_ffff),
      () => this.fixed(E.encR(0x7f, 1, 1, 0, 1, 0x33)), // reserved funct7
      () => this.fixed(E.ECALL),
      () => this.fixed(E.EBREAK),
      () => this.fixed(E.C_EBREAK),
      () => this.fixed(E.encI(r.pick([0, 8, -8]), 0, 3, this.dest(), 0x03)), // ld from address 0 (no device)
    ];
    if (this.mode !== "M") options.push(() => this.fixed(E.MRET));
    if (this.mode === "U") options.push(() => this.fixed(E.SRET), () => this.fixed(E.WFI), () => this.fixed(E.sfenceVma(0, 0)));
    else options.push(() => this.fixed(E.sfenceVma(r.chance(0.5) ? 0 : this.src(), 0)));
    r.pick(options)();
  }

  // A forward transfer to a label bound 1..6 units later (or at the end of the enclosing loop body).
  private branch(): void {
    const r = this.r;
    const label: Label = {};
    const k = r.int(7);
    this.pending.push({ label, units: r.range(1, 6), short: k === 4 || k === 5 });
    if (k < 3) {
      const f3 = r.pick([0, 1, 4, 5, 6, 7]), rs1 = this.src(), rs2 = this.src();
      this.push({ size: 4, encode: (off) => E.encB(within(off(label), 13), rs2, rs1, f3) });
    } else if (k === 3) {
      const rd = r.chance(0.5) ? 0 : this.dest();
      this.push({ size: 4, encode: (off) => E.encJ(within(off(label), 21), rd) });
    } else if (k === 4) {
      this.push({ size: 2, encode: (off) => E.cJ(within(off(label), 12)) });
    } else if (k === 5) {
      const ne = r.int(2), rs = this.creg();
      this.push({ size: 2, encode: (off) => E.cBranch(ne, rs, within(off(label), 9)) });
    } else {
      // AUIPC t, 0; then JALR rd, off(t) or ADDI t, t, off; C.JR/C.JALR t.
      const t = this.dest() || T0, rd = r.chance(0.5) ? 0 : this.dest();
      const auipc = this.body.length;
      this.fixed(E.encU(0, t, 0x17));
      if (r.chance(0.5)) {
        this.push({ size: 4, encode: (off) => E.encI(within(off(label) + this.body[auipc]!.size, 12), t, 0, rd, 0x67) });
      } else {
        this.push({ size: 4, encode: (off) => E.encI(within(off(label) + 4, 12), t, 0, t, 0x13) });
        const link = r.chance(0.5);
        this.push({ size: 2, encode: () => (link ? 0x9002 : 0x8002) | (t << 7) });
      }
    }
  }

  // li s11, n; body; addi s11, s11, -1; bnez s11, body.
  private loop(): void {
    const r = this.r;
    for (const p of this.pending) if (p.short) p.label.index = this.body.length;
    this.pending = this.pending.filter((p) => !p.short);
    this.fixed(E.encI(r.range(1, 4), 0, 0, S11, 0x13));
    const start: Label = { index: this.body.length };
    const outer = this.pending;
    this.pending = [];
    this.inLoop = true;
    for (let units = r.range(2, 8); units > 0; units--) this.unit();
    for (const p of this.pending) p.label.index = this.body.length;
    this.pending = outer;
    this.inLoop = false;
    this.fixed(E.encI(-1, S11, 0, S11, 0x13));
    this.push({ size: 4, encode: (off) => E.encB(within(off(start), 13), 0, S11, 1) });
  }

  // ---- the fixed parts ----
  private prologue(): number[] {
    const r = this.r;
    const code: number[] = [];
    const la = (rd: number, target: number) => { // auipc/addi relative to this pc
      const pc = PROLOGUE + code.length * 4;
      const delta = target - pc;
      const hi = (delta + 0x800) >> 12;
      code.push(E.encU(hi, rd, 0x17), E.encI(delta - (hi << 12), rd, 0, rd, 0x13));
    };
    const li = (rd: number, value: number) => { // 32-bit signed value
      const hi = (value + 0x800) >> 12;
      code.push(E.encU(hi, rd, 0x37), E.encI(value - (hi << 12), rd, 0, rd, 0x13));
    };
    const csrw = (csr: number, rs: number) => code.push(E.encCsr(csr, rs, 1, 0));
    const csrs = (csr: number, rs: number) => code.push(E.encCsr(csr, rs, 2, 0));
    la(T0, HANDLER); csrw(0x305, T0); // mtvec
    li(T0, -1); code.push(E.encI(10, T0, 5, T0, 0x13)); csrw(0x3b0, T0); // pmpaddr0: everything
    li(T0, 0x1f); csrw(0x3a0, T0); // pmpcfg0: NAPOT RWX
    li(T0, -1); csrw(0x306, T0); csrw(0x106, T0); // mcounteren, scounteren
    li(T0, 0x2000 | (this.mode === "M" ? 0x1880 : this.mode === "S" ? 0x880 : 0x80)); // FS=Initial, MPP, MPIE
    li(T1, 0x1800); code.push(E.encCsr(0x300, T1, 3, 0)); // clear MPP
    csrs(0x300, T0);
    if (this.timerDelay > 0) {
      code.push(E.encCsr(0xc01, 0, 2, T0), E.encI(this.timerDelay, T0, 0, T0, 0x13)); // time + delay
      code.push(E.encU(0x2004, T1, 0x37), E.encS(0, T0, T1, 3, 0x23)); // CLINT mtimecmp[0]
      li(T0, 0x80); csrs(0x304, T0); // mie.MTIE
    }
    if (this.delegated) {
      // Illegal instruction, breakpoint, misaligned and access faults, load/store page faults go to
      // S (priv spec §3.1.8); ECALLs stay with M (the final one ends the run). SUM lets the S handler
      // read a U-mode stream's code.
      li(T0, 0xb0fc); csrw(0x302, T0);
      la(T0, S_HANDLER); csrw(0x105, T0);
      li(T0, 1 << 18); csrs(0x300, T0);
    }
    if (this.paged) {
      la(T0, PAGE_TABLES); code.push(E.encI(12, T0, 5, T0, 0x13)); // root ppn
      li(T1, 8); code.push(E.encI(60, T1, 1, T1, 0x13), E.encR(0, T1, T0, 6, T0, 0x33)); csrw(0x180, T0); // satp = Sv39
      code.push(E.sfenceVma(0, 0));
    }
    code.push(E.encCsr(0x002, r.int(5), 5, 0)); // csrwi frm, a random valid rounding mode
    la(T0, STREAM); csrw(0x341, T0); // mepc
    // Registers: the fixed pointers, then x/f from the table at DATA (written by dataArea()).
    la(GP, DATA); la(TP, HANDLER_AREA);
    code.push(E.encI(0x100, GP, 0, S1, 0x13), E.encI(0x400, GP, 0, SP, 0x13));
    for (let i = 0; i < 32; i++) code.push(E.encI(0x200 + 8 * i, GP, 3, i, 0x07)); // fld fi
    for (let i = 1; i < 32; i++) if (!RESERVED.has(i)) code.push(E.encI(8 * i, GP, 3, i, 0x03)); // ld xi
    code.push(E.MRET);
    if (code.length * 4 > HANDLER - PROLOGUE) throw new RangeError("prologue too long");
    return code;
  }

  private dataArea(): Uint8Array {
    const r = this.r;
    const data = new Uint8Array(DATA_SIZE);
    for (let i = 0; i < data.length; i++) data[i] = r.int(256);
    const view = new DataView(data.buffer);
    const value = (float: boolean) => {
      if (r.chance(0.6)) return r.pick(float ? EDGE_FLOAT : EDGE64);
      return BigInt(r.int(0x1_0000_0000)) << 32n | BigInt(r.int(0x1_0000_0000));
    };
    for (let i = 0; i < 32; i++) view.setBigUint64(8 * i, value(false), true);
    for (let i = 0; i < 32; i++) view.setBigUint64(0x200 + 8 * i, value(true), true);
    return data;
  }

  private handlerArea(): Uint8Array {
    const data = new Uint8Array(0x1000);
    new DataView(data.buffer).setBigUint64(HA_REARM, BigInt(this.r.chance(0.5) ? this.timerDelay : 0), true);
    return data;
  }

  // Sv39 (priv spec §10.4): root[2] -> level 1, [0] -> level 0 (the first 2 MiB of RAM, 4 KiB pages).
  private pageTables(): Uint8Array {
    const data = new Uint8Array(0x3000);
    const view = new DataView(data.buffer);
    const ppn = (address: number) => BigInt(address) >> 12n;
    const V = 1n, R = 2n, W = 4n, X = 8n, U = this.mode === "U" ? 16n : 0n, A = 64n, D = 128n;
    const ad = this.r.chance(0.5) ? A | D : 0n; // hardware A/D updates otherwise (Svadu)
    view.setBigUint64(8 * 2, (ppn(PAGE_TABLES + 0x1000) << 10n) | V, true);
    view.setBigUint64(0x1000, (ppn(PAGE_TABLES + 0x2000) << 10n) | V, true);
    const leaf = (address: number, flags: bigint, user = U) =>
      view.setBigUint64(0x2000 + 8 * ((address - DRAM) >> 12), (ppn(address) << 10n) | flags | V | user | ad, true);
    if (this.delegated) { leaf(DRAM, R | X, 0n); leaf(HANDLER_AREA, R | W, 0n); } // the S handler and its area
    const code = this.r.chance(0.5) ? R | W | X : R | X;
    for (let page = STREAM; page < STREAM_LIMIT; page += 0x1000) leaf(page, code);
    leaf(DATA, R | W); leaf(DATA + 0x1000, R | W); leaf(DATA + 0x2000, R); // DATA + 0x3000 stays unmapped
    return data;
  }
}

// Handler area offsets.
const HA_SAVE = 0, HA_REARM = 24, HA_COUNT = 32, HA_LOG = 64, LOG_ENTRIES = 32;
const HA_S_SAVE = 1600, HA_S_COUNT = 1616, HA_S_LAST = 1624;

/** The M-mode trap handler (at HANDLER): see the header. */
function handler(end: number): number[] {
  const code: number[] = [];
  const here = () => HANDLER + code.length * 4;
  const sd = (rs: number, offset: number) => code.push(E.encS(offset, rs, TP, 3, 0x23));
  const ld = (rd: number, offset: number) => code.push(E.encI(offset, TP, 3, rd, 0x03));
  sd(T0, HA_SAVE); sd(T1, HA_SAVE + 8); sd(T2, HA_SAVE + 16);
  code.push(E.encCsr(0x342, 0, 2, T0)); // mcause
  code.push(E.encCsr(0x341, 0, 2, T1)); // mepc
  // END: power off through the syscon (0x100000 <- 0x5555).
  const delta = end - here();
  const hi = (delta + 0x800) >> 12;
  code.push(E.encU(hi, T2, 0x17), E.encI(delta - (hi << 12), T2, 0, T2, 0x13));
  const notEnd = code.length;
  code.push(0); // bne t1, t2, log (patched)
  code.push(E.encU(0x100, T0, 0x37), E.encU(5, T1, 0x37), E.encI(0x555, T1, 0, T1, 0x13), E.encS(0, T1, T0, 2, 0x23));
  code.push(E.encJ(0, 0)); // wait for the power-off
  code[notEnd] = E.encB((code.length - notEnd) * 4, T2, T1, 1);
  // Log: count++, entry[count % 64] = {mcause, mtval, mepc}.
  ld(T2, HA_COUNT); code.push(E.encI(1, T2, 0, T2, 0x13)); sd(T2, HA_COUNT);
  code.push(E.encI(LOG_ENTRIES - 1, T2, 7, T2, 0x13), E.encI(5, T2, 1, T2, 0x13), E.encR(0, TP, T2, 0, T2, 0x33));
  code.push(E.encS(HA_LOG, T0, T2, 3, 0x23), E.encS(HA_LOG + 16, T1, T2, 3, 0x23));
  code.push(E.encCsr(0x343, 0, 2, T1), E.encS(HA_LOG + 8, T1, T2, 3, 0x23)); // mtval
  code.push(E.encCsr(0x341, 0, 2, T1)); // mepc again
  const isIrq = code.length;
  code.push(0); // blt t0, zero, irq (patched)
  // Exception: skip the instruction (2 or 4 bytes from its low halfword; code is identity-mapped).
  code.push(E.encI(0, T1, 5, T0, 0x03), E.encI(3, T0, 7, T0, 0x13), E.encI(3, 0, 0, T2, 0x13)); // lhu; andi; li
  code.push(E.encI(2, T1, 0, T1, 0x13), E.encB(8, T2, T0, 1), E.encI(2, T1, 0, T1, 0x13)); // +2; bne +8; +2
  code.push(E.encCsr(0x341, T1, 1, 0)); // mepc
  const toReturn = code.length;
  code.push(0); // j return (patched)
  code[isIrq] = E.encB((code.length - isIrq) * 4, 0, T0, 4);
  // Machine timer: re-arm after HA_REARM ticks, or disarm when it is 0.
  ld(T2, HA_REARM);
  code.push(E.encI(-1, 0, 0, T0, 0x13)); // t0 = -1 (disarmed)
  code.push(E.encB(12, 0, T2, 0)); // beqz t2, store
  code.push(E.encCsr(0xc01, 0, 2, T0), E.encR(0, T2, T0, 0, T0, 0x33)); // t0 = time + rearm
  code.push(E.encU(0x2004, T1, 0x37), E.encS(0, T0, T1, 3, 0x23));
  code[toReturn] = E.encJ((code.length - toReturn) * 4, 0);
  ld(T0, HA_SAVE); ld(T1, HA_SAVE + 8); ld(T2, HA_SAVE + 16);
  code.push(E.MRET);
  if (code.length * 4 > S_HANDLER - HANDLER) throw new RangeError("handler too long");
  return code;
}

/** `offset`, checked to fit a signed immediate of `bits` bits (a generator error otherwise). */
function within(offset: number, bits: number): number {
  if (offset < -(2 ** (bits - 1)) || offset >= 2 ** (bits - 1)) throw new RangeError(`offset ${offset} does not fit ${bits} bits`);
  return offset;
}

function words(list: readonly number[]): Uint8Array {
  const out = new Uint8Array(list.length * 4);
  const view = new DataView(out.buffer);
  list.forEach((w, i) => view.setUint32(4 * i, w >>> 0, true));
  return out;
}

/** The S-mode trap handler (at S_HANDLER): counts the trap, keeps its scause/stval/sepc, skips the
 *  instruction like the M handler, SRET. Only t0/t1 are used (saved in the handler area). */
function supervisorHandler(): number[] {
  const sd = (rs: number, offset: number) => E.encS(offset, rs, TP, 3, 0x23);
  const ld = (rd: number, offset: number) => E.encI(offset, TP, 3, rd, 0x03);
  const code = [
    sd(T0, HA_S_SAVE), sd(T1, HA_S_SAVE + 8),
    ld(T0, HA_S_COUNT), E.encI(1, T0, 0, T0, 0x13), sd(T0, HA_S_COUNT),
    E.encCsr(0x142, 0, 2, T0), sd(T0, HA_S_LAST), E.encCsr(0x143, 0, 2, T0), sd(T0, HA_S_LAST + 8), // scause, stval
    E.encCsr(0x141, 0, 2, T1), sd(T1, HA_S_LAST + 16), // sepc
    E.encI(0, T1, 5, T0, 0x03), E.encI(3, T0, 7, T0, 0x13), E.encI(3, T0, 4, T0, 0x13), // lhu; andi 3; xori 3
    E.encI(2, T1, 0, T1, 0x13), E.encB(8, 0, T0, 1), E.encI(2, T1, 0, T1, 0x13), // +2; bnez +8; +2
    E.encCsr(0x141, T1, 1, 0), ld(T0, HA_S_SAVE), ld(T1, HA_S_SAVE + 8), E.SRET,
  ];
  if (code.length * 4 > STREAM - S_HANDLER) throw new RangeError("supervisor handler too long");
  return code;
}

/** Traps the S-mode handler took, from the bytes of the handler area (HANDLER_AREA). */
export function delegatedTraps(handlerArea: Uint8Array): bigint {
  return new DataView(handlerArea.buffer, handlerArea.byteOffset).getBigUint64(HA_S_COUNT, true);
}

// ---- running streams ----
// Streams run under the lock-step driver (host/vmm/lockstep.ts): the interpreter and the translator,
// each in its own machine, compared after every step. A pair of machines is reused for many streams
// (creating one costs a core instance and a large memory): each stream's image is written into both
// RAMs, the harts reset, and the translator's code cache and both soft TLBs flushed, as the machines
// do after a guest reset.

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
