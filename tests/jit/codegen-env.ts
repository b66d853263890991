// Environment of the DBT code generator's differential tests (tests/jit/codegen.test.ts,
// tests/jit/region.test.ts): the harness module (interpreter + translator on one shared memory),
// seedable random numbers, RISC-V encoders, random block generators, and running a block on both
// engines. See codegen.test.ts's header for the method.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as L from "../../host/core/layout.generated";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const RAM_SIZE = 1 << 20;
export const DRAM = BigInt(L.DRAM_BASE);
export const HART = L.HART_BASE;
export const BUF = 0x10_0000; // module output buffer: 1 MiB into memory, below the core's layout
export const CAP = 0x4_0000;
export const BLOCKS = Number(process.env.CODEGEN_BLOCKS ?? 5000);
export const SEED = Number(process.env.CODEGEN_SEED ?? 0x5eed1234);

// block end kinds (codegen.ts BLOCK_END_*)
export const END_NONE = 0, END_BRANCH = 1, END_UNSUPPORTED = 2, END_MAX = 3;

export let mem: WebAssembly.Memory;
export let dv: DataView;
export let x: any;
export let jitImports: any;
/** Slow-path helper calls made by translated code (jitLoad + jitStore). */
export let slowCalls = 0;
/** Resets the slow-path call counter. */
export function resetSlowCalls(): void { slowCalls = 0; }
/** Device model for the MMIO tests: null = no device (access fault). */
export let device: null | { read: (pa: bigint, size: number) => bigint; write?: (pa: bigint, size: number, v: bigint) => void; stop?: boolean } = null;
/** Installs the device model of the MMIO tests (null: none). */
export function setDevice(d: typeof device): void { device = d; }

// Data region for loads and stores: two pages of guest RAM, away from the code (< DRAM + 0x9_0000).
export const DATA = DRAM + 0xc_0000n;
export const DATA_SIZE = 0x2000;
/** An unmapped physical address (no RAM, no device): accesses raise access faults. */
export const BAD = 0x2_0000_0000n;
export const CAUSE_LOAD_ACCESS = 5, CAUSE_STORE_ACCESS = 7;
export const ATTN_EXCEPTION = 1, ATTN_EXIT = 2;

export const u64 = (v: bigint) => BigInt.asUintN(64, v);
export const hex = (v: bigint) => "0x" + u64(v).toString(16).padStart(16, "0");

// ---------------------------------------------------------------------------------------------
// Random numbers (mulberry32: small, seedable) and operand distributions
// ---------------------------------------------------------------------------------------------

export let rngState = SEED >>> 0;
export function rnd(): number {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
export const ri = (n: number) => Math.floor(rnd() * n); // 0 .. n-1
export const pick = <T>(a: readonly T[]): T => a[ri(a.length)];
export const chance = (p: number) => rnd() < p;

export const EDGE64: readonly bigint[] = [
  0n, 1n, 2n, 3n, 7n, u64(-1n), u64(-2n), u64(-7n), 0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn,
  0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0xffff_ffff_8000_0000n, 0x1_0000_0000n, 0xffff_ffff_ffff_f800n,
  0x7ffn, 0x800n, 63n, 64n, 31n, 32n,
];
export function rnd64(): bigint {
  const k = ri(4);
  if (k === 0) return pick(EDGE64);
  if (k === 1) return u64(BigInt(ri(4096) - 2048)); // small signed
  const hi = BigInt(ri(0x1_0000_0000)), lo = BigInt(ri(0x1_0000_0000));
  return (hi << 32n) | lo;
}
/** Registers: biased towards a few (x0 included) so that instructions feed each other. */
export const reg = () => (chance(0.7) ? ri(8) : ri(32));
export const creg = () => 8 + ri(8); // x8..x15, the registers of the 3-bit compressed fields
export const nzreg = () => { let r; do r = reg(); while (r === 0); return r; };
export function imm12(): number {
  return chance(0.3) ? pick([0, 1, -1, 2047, -2048, 0x7ff, -0x800, 0x555, -0x556]) : ri(4096) - 2048;
}

// ---------------------------------------------------------------------------------------------
// Encoders (unprivileged spec, "RV32/64G Instruction Set Listings" and the "C" chapter)
// ---------------------------------------------------------------------------------------------

export interface Insn { bits: number; len: 2 | 4; text: string }
export const I32 = (bits: number, text: string): Insn => ({ bits: bits >>> 0, len: 4, text });
export const I16 = (bits: number, text: string): Insn => ({ bits: bits & 0xffff, len: 2, text });

export const encR = (f7: number, rs2: number, rs1: number, f3: number, rd: number, opc: number) =>
  (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
export const encI = (imm: number, rs1: number, f3: number, rd: number, opc: number) =>
  ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
export const encU = (imm20: number, rd: number, opc: number) => ((imm20 & 0xfffff) << 12) | (rd << 7) | opc;
export function encB(imm: number, rs2: number, rs1: number, f3: number): number {
  return (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63;
}
export function encJ(imm: number, rd: number): number {
  return (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}

export const OPIMM: [string, number][] = [["addi", 0], ["slti", 2], ["sltiu", 3], ["xori", 4], ["ori", 6], ["andi", 7]];
export const OP: [string, number, number][] = [
  ["add", 0, 0], ["sub", 0, 0x20], ["sll", 1, 0], ["slt", 2, 0], ["sltu", 3, 0], ["xor", 4, 0],
  ["srl", 5, 0], ["sra", 5, 0x20], ["or", 6, 0], ["and", 7, 0],
  ["mul", 0, 1], ["mulh", 1, 1], ["mulhsu", 2, 1], ["mulhu", 3, 1],
  ["div", 4, 1], ["divu", 5, 1], ["rem", 6, 1], ["remu", 7, 1],
];
export const OP32: [string, number, number][] = [
  ["addw", 0, 0], ["subw", 0, 0x20], ["sllw", 1, 0], ["srlw", 5, 0], ["sraw", 5, 0x20],
  ["mulw", 0, 1], ["divw", 4, 1], ["divuw", 5, 1], ["remw", 6, 1], ["remuw", 7, 1],
];
export const BRANCH: [string, number][] = [["beq", 0], ["bne", 1], ["blt", 4], ["bge", 5], ["bltu", 6], ["bgeu", 7]];

/** Encodes an R-type op by name (OP or OP-32 table). */
export function rtype(name: string, rd: number, rs1: number, rs2: number): Insn {
  const a = OP.find((o) => o[0] === name);
  if (a) return I32(encR(a[2], rs2, rs1, a[1], rd, 0x33), `${name} x${rd}, x${rs1}, x${rs2}`);
  const w = OP32.find((o) => o[0] === name)!;
  return I32(encR(w[2], rs2, rs1, w[1], rd, 0x3b), `${name} x${rd}, x${rs1}, x${rs2}`);
}
export const addi = (rd: number, rs1: number, imm: number) => I32(encI(imm, rs1, 0, rd, 0x13), `addi x${rd}, x${rs1}, ${imm}`);
export const jal = (rd: number, imm: number) => I32(encJ(imm, rd), `jal x${rd}, ${imm}`);

/** One random 32-bit RV64IM ALU instruction. */
export function rndAlu32(): Insn {
  const rd = reg(), rs1 = reg(), rs2 = reg();
  switch (ri(8)) {
    case 0: {
      const imm20 = chance(0.3) ? pick([0, 0x80000, 0xfffff, 0x7ffff, 1]) : ri(0x100000);
      return chance(0.5) ? I32(encU(imm20, rd, 0x37), `lui x${rd}, 0x${imm20.toString(16)}`)
        : I32(encU(imm20, rd, 0x17), `auipc x${rd}, 0x${imm20.toString(16)}`);
    }
    case 1: case 2: {
      const [n, f3] = pick(OPIMM); const imm = imm12();
      return I32(encI(imm, rs1, f3, rd, 0x13), `${n} x${rd}, x${rs1}, ${imm}`);
    }
    case 3: {
      const sh = chance(0.3) ? pick([0, 1, 31, 32, 63]) : ri(64);
      const k = ri(3);
      const [n, f3, hi] = k === 0 ? ["slli", 1, 0] : k === 1 ? ["srli", 5, 0] : ["srai", 5, 0x400];
      return I32(encI(hi | sh, rs1, f3 as number, rd, 0x13), `${n} x${rd}, x${rs1}, ${sh}`);
    }
    case 4: {
      const k = ri(4);
      if (k === 0) { const imm = imm12(); return I32(encI(imm, rs1, 0, rd, 0x1b), `addiw x${rd}, x${rs1}, ${imm}`); }
      const sh = chance(0.3) ? pick([0, 1, 31]) : ri(32);
      const [n, f3, hi] = k === 1 ? ["slliw", 1, 0] : k === 2 ? ["srliw", 5, 0] : ["sraiw", 5, 0x400];
      return I32(encI(hi | sh, rs1, f3 as number, rd, 0x1b), `${n} x${rd}, x${rs1}, ${sh}`);
    }
    case 5: case 6: return rtype(pick(OP)[0], rd, rs1, rs2);
    default: return rtype(pick(OP32)[0], rd, rs1, rs2);
  }
}

/** Sign-extends the low `bits` of v. */
export const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);
/** A random non-zero signed 6-bit immediate. */
export const nz6 = () => { let v; do v = ri(64) - 32; while (v === 0); return v; };

/** One random compressed ALU instruction (RV64C, quadrants 0..2). */
export function rndAlu16(): Insn {
  switch (ri(11)) {
    case 0: { // C.ADDI4SPN: addi rd', x2, nzuimm (nzuimm[9:2], multiple of 4)
      const rd = creg(); const u = (1 + ri(255)) << 2;
      const b = (((u >> 4) & 3) << 11) | (((u >> 6) & 0xf) << 7) | (((u >> 2) & 1) << 6) | (((u >> 3) & 1) << 5) | ((rd - 8) << 2);
      return I16(b, `c.addi4spn x${rd}, sp, ${u}`);
    }
    case 1: { // C.ADDI / C.LI / C.ADDIW: funct3 000 / 010 / 001, quadrant 1
      const k = ri(3); const rd = nzreg(); const imm = k === 0 ? nz6() : ri(64) - 32;
      const f3 = k === 0 ? 0 : k === 1 ? 2 : 1;
      const b = (f3 << 13) | (((imm >> 5) & 1) << 12) | (rd << 7) | ((imm & 0x1f) << 2) | 1;
      return I16(b, `${["c.addi", "c.li", "c.addiw"][k]} x${rd}, ${imm}`);
    }
    case 2: { // C.LUI (rd != 0, 2) / C.ADDI16SP (rd = 2)
      if (chance(0.5)) {
        let rd; do rd = nzreg(); while (rd === 2);
        const imm = nz6();
        return I16((3 << 13) | (((imm >> 5) & 1) << 12) | (rd << 7) | ((imm & 0x1f) << 2) | 1, `c.lui x${rd}, ${imm}`);
      }
      const imm = nz6() * 16; // nzimm[9:4]
      const b = (3 << 13) | (((imm >> 9) & 1) << 12) | (2 << 7) | (((imm >> 4) & 1) << 6) | (((imm >> 6) & 1) << 5) |
        (((imm >> 7) & 3) << 3) | (((imm >> 5) & 1) << 2) | 1;
      return I16(b, `c.addi16sp ${imm}`);
    }
    case 3: { // C.SRLI / C.SRAI (non-zero shamt)
      const rd = creg(); const sh = 1 + ri(63); const k = ri(2);
      const b = (4 << 13) | ((sh >> 5) << 12) | (k << 10) | ((rd - 8) << 7) | ((sh & 0x1f) << 2) | 1;
      return I16(b, `${k ? "c.srai" : "c.srli"} x${rd}, ${sh}`);
    }
    case 4: { // C.ANDI
      const rd = creg(); const imm = ri(64) - 32;
      return I16((4 << 13) | (((imm >> 5) & 1) << 12) | (2 << 10) | ((rd - 8) << 7) | ((imm & 0x1f) << 2) | 1, `c.andi x${rd}, ${imm}`);
    }
    case 5: case 6: { // C.SUB/XOR/OR/AND, C.SUBW/ADDW
      const rd = creg(), rs2 = creg(); const w = ri(3) === 0 ? 1 : 0; const f = w ? ri(2) : ri(4);
      const n = w ? ["c.subw", "c.addw"][f] : ["c.sub", "c.xor", "c.or", "c.and"][f];
      return I16((4 << 13) | (w << 12) | (3 << 10) | ((rd - 8) << 7) | (f << 5) | ((rs2 - 8) << 2) | 1, `${n} x${rd}, x${rs2}`);
    }
    case 7: { // C.SLLI
      const rd = nzreg(); const sh = 1 + ri(63);
      return I16(((sh >> 5) << 12) | (rd << 7) | ((sh & 0x1f) << 2) | 2, `c.slli x${rd}, ${sh}`);
    }
    case 8: { // C.MV
      const rd = nzreg(), rs2 = nzreg();
      return I16((4 << 13) | (rd << 7) | (rs2 << 2) | 2, `c.mv x${rd}, x${rs2}`);
    }
    case 9: { // C.ADD
      const rd = nzreg(), rs2 = nzreg();
      return I16((4 << 13) | (1 << 12) | (rd << 7) | (rs2 << 2) | 2, `c.add x${rd}, x${rs2}`);
    }
    default: // C.NOP
      return I16(1, "c.nop");
  }
}

/** A random even offset in [-range, range). */
export const rndOff = (range: number) => (ri(range) - (range >> 1)) & ~1;

/** One random block terminator: branch, JAL, JALR (32-bit or compressed). */
export function rndTerm(): Insn {
  switch (ri(8)) {
    case 0: case 1: case 2: {
      const [n, f3] = pick(BRANCH); const rs1 = reg(), rs2 = chance(0.2) ? rs1 : reg();
      const imm = chance(0.2) ? pick([-4096, 4094, 0, 2, -2]) : rndOff(8192);
      return I32(encB(imm, rs2, rs1, f3), `${n} x${rs1}, x${rs2}, ${imm}`);
    }
    case 3: { const rd = reg(); const imm = chance(0.2) ? pick([-(1 << 20), (1 << 20) - 2, 0]) : rndOff(1 << 21); return jal(rd, imm); }
    case 4: { const rd = reg(), rs1 = chance(0.3) ? rd : reg(); const imm = imm12();
      return I32(encI(imm, rs1, 0, rd, 0x67), `jalr x${rd}, ${imm}(x${rs1})`); }
    case 5: { // C.BEQZ / C.BNEZ
      const rs1 = creg(); const imm = rndOff(512); const f3 = 6 + ri(2);
      const b = (f3 << 13) | (((imm >> 8) & 1) << 12) | (((imm >> 3) & 3) << 10) | ((rs1 - 8) << 7) |
        (((imm >> 6) & 3) << 5) | (((imm >> 1) & 3) << 3) | (((imm >> 5) & 1) << 2) | 1;
      return I16(b, `${f3 === 6 ? "c.beqz" : "c.bnez"} x${rs1}, ${imm}`);
    }
    case 6: { // C.J
      const imm = rndOff(4096);
      const b = (5 << 13) | (((imm >> 11) & 1) << 12) | (((imm >> 4) & 1) << 11) | (((imm >> 8) & 3) << 9) |
        (((imm >> 10) & 1) << 8) | (((imm >> 6) & 1) << 7) | (((imm >> 7) & 1) << 6) | (((imm >> 1) & 7) << 3) |
        (((imm >> 5) & 1) << 2) | 1;
      return I16(b, `c.j ${imm}`);
    }
    default: { // C.JR / C.JALR
      const rs1 = nzreg(); const link = ri(2);
      return I16((4 << 13) | (link << 12) | (rs1 << 7) | 2, `${link ? "c.jalr" : "c.jr"} x${rs1}`);
    }
  }
}

/** Instructions outside the translated subset (a block stops before them). */
export const UNSUPPORTED: readonly Insn[] = [
  I32(0x00000073, "ecall"), I32(encI(8, 2, 3, 5, 0x07), "fld f5, 8(x2)"), I32(0x0000100f, "fence.i"),
  I32(0x30200073, "mret"), I32(0, "illegal"),
];

// ---- loads and stores ----

export const LOADS: [string, number, number][] = [ // name, funct3, size
  ["lb", 0, 1], ["lh", 1, 2], ["lw", 2, 4], ["ld", 3, 8], ["lbu", 4, 1], ["lhu", 5, 2], ["lwu", 6, 4]];
export const STORES: [string, number, number][] = [["sb", 0, 1], ["sh", 1, 2], ["sw", 2, 4], ["sd", 3, 8]];
export const encS = (imm: number, rs2: number, rs1: number, f3: number) =>
  (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | 0x23;
export function loadOp(name: string, rd: number, rs1: number, imm: number): Insn {
  const f3 = LOADS.find((o) => o[0] === name)![1];
  return I32(encI(imm, rs1, f3, rd, 0x03), `${name} x${rd}, ${imm}(x${rs1})`);
}
export function storeOp(name: string, rs2: number, rs1: number, imm: number): Insn {
  const f3 = STORES.find((o) => o[0] === name)![1];
  return I32(encS(imm, rs2, rs1, f3), `${name} x${rs2}, ${imm}(x${rs1})`);
}
/** C.LW/C.LD/C.SW/C.SD (quadrant 0): rd'/rs2' and rs1' in x8..x15, uimm scaled by the size. */
export function cMem(store: boolean, dbl: boolean, r: number, rs1: number, uimm: number): Insn {
  const f3 = (store ? 4 : 0) | (dbl ? 3 : 2);
  const lo = dbl ? ((uimm >> 6) & 3) << 5 : (((uimm >> 2) & 1) << 6) | (((uimm >> 6) & 1) << 5);
  const b = (f3 << 13) | (((uimm >> 3) & 7) << 10) | ((rs1 - 8) << 7) | lo | ((r - 8) << 2);
  const n = `c.${store ? "s" : "l"}${dbl ? "d" : "w"}`;
  return I16(b, `${n} x${r}, ${uimm}(x${rs1})`);
}
/** C.LWSP/C.LDSP/C.SWSP/C.SDSP (quadrant 2), base x2. */
export function cMemSp(store: boolean, dbl: boolean, r: number, uimm: number): Insn {
  const f3 = (store ? 4 : 0) | (dbl ? 3 : 2);
  let b: number;
  if (!store) {
    b = (f3 << 13) | (((uimm >> 5) & 1) << 12) | (r << 7) | 2 |
      (dbl ? (((uimm >> 3) & 3) << 5) | (((uimm >> 6) & 7) << 2) : (((uimm >> 2) & 7) << 4) | (((uimm >> 6) & 3) << 2));
  } else {
    b = (f3 << 13) | (r << 2) | 2 |
      (dbl ? (((uimm >> 3) & 7) << 10) | (((uimm >> 6) & 7) << 7) : (((uimm >> 2) & 0xf) << 9) | (((uimm >> 6) & 3) << 7));
  }
  const n = `c.${store ? "s" : "l"}${dbl ? "d" : "w"}sp`;
  return I16(b, `${n} x${r}, ${uimm}(sp)`);
}

/** Generator state of one block: the registers known to hold data-region (or BAD) pointers. */
export interface GenState { pc: bigint; ptrs: Map<number, bigint>; insns: Insn[]; fault: number }

/** Emits `auipc rb, hi` that makes rb a pointer into [DATA + 0x400, DATA + 0x1400). */
export function setBase(g: GenState, rb: number) {
  const hi = Number((DATA + 0x400n - g.pc + 0xfffn) >> 12n);
  g.insns.push(I32(encU(hi, rb, 0x17), `auipc x${rb}, 0x${hi.toString(16)}`));
  g.ptrs.set(rb, g.pc + (BigInt(hi) << 12n));
  g.pc += 4n;
}
/** Appends one random load or store (maybe preceded by an AUIPC that sets up its base). */
export function rndMem(g: GenState) {
  const store = chance(0.45);
  const compressed = chance(0.3);
  if (compressed) {
    const sp = chance(0.4), dbl = chance(0.5);
    const allowed = (r: number) => (sp ? r === 2 : r >= 8 && r <= 15);
    const cands = [...g.ptrs.keys()].filter(allowed);
    let rb: number;
    if (cands.length === 0 || chance(0.3)) { rb = sp ? 2 : creg(); setBase(g, rb); } else rb = pick(cands);
    const scale = dbl ? 8 : 4;
    const uimm = ri(sp ? 64 : 32) * scale;
    if (g.ptrs.get(rb)! >= BAD && g.fault < 0) g.fault = g.insns.length;
    const r = sp ? (store ? reg() : nzreg()) : creg();
    g.insns.push(sp ? cMemSp(store, dbl, r, uimm) : cMem(store, dbl, r, rb, uimm));
    g.pc += 2n;
    return;
  }
  const [name, , size] = store ? pick(STORES) : pick(LOADS);
  const cands = [...g.ptrs.keys()];
  let rb: number;
  if (cands.length === 0 || chance(0.3)) { rb = nzreg(); setBase(g, rb); } else rb = pick(cands);
  const base = g.ptrs.get(rb)!;
  let imm: number;
  if (base >= BAD) {
    imm = imm12();
    if (g.fault < 0) g.fault = g.insns.length;
  } else {
    const lo = Math.max(-2048, Number(DATA - base)), hi = Math.min(2047, Number(DATA + BigInt(DATA_SIZE - size) - base));
    imm = lo + ri(hi - lo + 1);
    const k = ri(10);
    if (k < 5) imm -= Number((base + BigInt(imm)) % BigInt(size)); // aligned
    else if (k < 7) { // straddles (or ends right at) the page boundary
      const t = Number(DATA + 0x1000n - base) - ri(size);
      if (t >= -2048 && t <= 2047) imm = t;
    }
    if (imm < lo) imm += size;
  }
  g.insns.push(store ? storeOp(name, reg(), rb, imm) : loadOp(name, reg(), rb, imm));
  g.pc += 4n;
}

// ---------------------------------------------------------------------------------------------
// Running a block on both engines
// ---------------------------------------------------------------------------------------------

export interface Block {
  pc: bigint; insns: Insn[]; n: number; maxInsns: number; end: number;
  /** Initial values that override the random registers (base pointers). */
  init?: Record<number, bigint>;
  /** Index of the instruction that faults (first access to BAD), -1 / undefined: none. */
  fault?: number;
}
export interface State { regs: bigint[]; pc: bigint }
export interface RefState extends State { cause: number; tval: bigint; data: Uint8Array }

export function hostOf(pc: bigint): number { return L.RAM_HOST_BASE + Number(pc - DRAM); }
export function writeBlock(b: Block) {
  let a = hostOf(b.pc);
  for (const i of b.insns) {
    if (i.len === 4) dv.setUint32(a, i.bits, true); else dv.setUint16(a, i.bits, true);
    a += i.len;
  }
  dv.setUint32(a, 0, true); // a defined word after the block (never executed)
}
export function setRegs(regs: bigint[]) {
  for (let r = 0; r < 32; r++) dv.setBigUint64(HART + L.H_X + 8 * r, r === 0 ? 0n : regs[r], true);
}
export function getRegs(): bigint[] {
  const out: bigint[] = [];
  for (let r = 0; r < 32; r++) out.push(dv.getBigUint64(HART + L.H_X + 8 * r, true));
  return out;
}

export const faultOf = (b: Block) => (b.fault !== undefined && b.fault >= 0 && b.fault < b.n ? b.fault : -1);
export const dataBytes = () => new Uint8Array(mem.buffer, hostOf(DATA), DATA_SIZE).slice();

/**
 * Reference: the interpreter runs exactly b.n instructions from b.pc, or, when instruction k
 * faults, k + 1: the last one raises and the trap is taken (mepc = its pc, mcause, mtval).
 */
export function runInterp(b: Block, regs: bigint[]): RefState {
  x.resetHart(0, b.pc);
  setRegs(regs);
  const k = faultOf(b);
  const exit = x.run(0, BigInt(k >= 0 ? k + 1 : b.n));
  if (exit !== L.EXIT_BUDGET) throw new Error(`interpreter exit ${exit}`);
  const st = { regs: getRegs(), pc: dv.getBigUint64(HART + L.H_PC, true), cause: -1, tval: 0n, data: dataBytes() };
  if (k >= 0) {
    st.pc = dv.getBigUint64(HART + L.H_MEPC, true);
    st.cause = Number(dv.getBigUint64(HART + L.H_MCAUSE, true));
    st.tval = dv.getBigUint64(HART + L.H_MTVAL, true);
  }
  return st;
}

/** Translator: builds the block's module, instantiates it on the shared memory, runs it. */
export function translate(b: Block): { len: number; insns: number; end: number } {
  const len = x.translateBlock(hostOf(b.pc), b.pc, b.maxInsns, BUF, CAP);
  return { len, insns: x.lastBlockInsns(), end: x.lastBlockEnd() };
}
/** The table regions chain through (the core's in the real engine). */
export const jitTable = new WebAssembly.Table({ initial: 1, element: "anyfunc" });
export function instantiate(len: number): any {
  const bytes = new Uint8Array(mem.buffer, BUF, len).slice();
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), jitImports).exports;
}
export interface JitState extends State { insns: number; end: number; count: number; retired: number; cause: number; tval: bigint; attention: number }
/** Runs the translation of b on the hart as a dispatcher would (jitEnter first); `warm` pre-fills the data TLB. */
export function runJit(b: Block, regs: bigint[], warm = false): JitState {
  const t = translate(b);
  if (t.len === 0) throw new Error(`translateBlock produced nothing (end ${t.end}, overflow ${x.emitOverflowed()})`);
  const m = instantiate(t.len);
  x.resetHart(0, b.pc);
  setRegs(regs);
  x.jitEnter(0);
  if (warm) { x.tlbWarm(DATA); x.tlbWarm(DATA + 0x1000n); }
  dv.setUint32(HART + RETIRED, 0xdead, true);
  const npc = u64(m.run(HART));
  return {
    regs: getRegs(), pc: npc, insns: t.insns, end: t.end, count: m.insns(),
    retired: dv.getUint32(HART + RETIRED, true), cause: x.pendingCause(), tval: u64(x.pendingTval()),
    attention: x.pendingAttention(),
  };
}
export let RETIRED = 0;

/** Disassembly: generator text plus the core decoder's view (op name from OP_NAMES, fields). */
export function disasm(b: Block): string {
  let pc = b.pc;
  return b.insns.map((i, k) => {
    const d: bigint = u64(x.decode(i.bits));
    const op = Number(d & 0x1ffn), rd = Number((d >> 9n) & 0x3fn), rs1 = Number((d >> 15n) & 0x1fn);
    const rs2 = Number((d >> 20n) & 0x1fn), imm = Number(BigInt.asIntN(32, d >> 32n));
    const line = `${k < b.n ? " " : "x"} ${pc.toString(16)}: ${(i.len === 4 ? i.bits.toString(16).padStart(8, "0") : "    " + i.bits.toString(16).padStart(4, "0"))}  ` +
      `${i.text.padEnd(28)} ; ${L.OP_NAMES[op]} rd=${rd} rs1=${rs1} rs2=${rs2} imm=${imm}`;
    pc += BigInt(i.len);
    return line;
  }).join("\n");
}
export function dumpStates(init: bigint[], ref: State, jit: State): string {
  const lines = [`      ${"initial".padEnd(18)} ${"interpreter".padEnd(18)} translated`];
  for (let r = 1; r < 32; r++) {
    const mark = ref.regs[r] !== jit.regs[r] ? "  <-- differs" : "";
    lines.push(`x${String(r).padEnd(3)}  ${hex(init[r])} ${hex(ref.regs[r])} ${hex(jit.regs[r])}${mark}`);
  }
  lines.push(`pc    ${"".padEnd(18)} ${hex(ref.pc)} ${hex(jit.pc)}${ref.pc !== jit.pc ? "  <-- differs" : ""}`);
  return lines.join("\n");
}

/** Random contents for the data region (the same for both engines). */
export function fillData(): Uint8Array {
  const d = new Uint8Array(DATA_SIZE);
  for (let i = 0; i < DATA_SIZE; i++) d[i] = ri(256);
  return d;
}

/** Runs block b from `regs` on both engines; returns a failure report or null. */
export function check(b: Block, regs: bigint[], warm = false): string | null {
  if (b.init) { regs = regs.slice(); for (const [r, v] of Object.entries(b.init)) regs[Number(r)] = v; }
  writeBlock(b);
  const data = fillData();
  new Uint8Array(mem.buffer, hostOf(DATA), DATA_SIZE).set(data);
  const ref = runInterp(b, regs);
  new Uint8Array(mem.buffer, hostOf(DATA), DATA_SIZE).set(data);
  const jit = runJit(b, regs, warm);
  const k = faultOf(b);
  const problems: string[] = [];
  if (jit.insns !== b.n || jit.count !== b.n) problems.push(`block length: translator says ${jit.insns}/${jit.count}, expected ${b.n}`);
  const retired = k >= 0 ? k : b.n;
  if (jit.retired !== retired) problems.push(`retired ${jit.retired}, expected ${retired}`);
  if (jit.end !== b.end) problems.push(`block end kind ${jit.end}, expected ${b.end}`);
  for (let r = 1; r < 32; r++) if (ref.regs[r] !== jit.regs[r]) problems.push(`x${r} differs`);
  if (ref.pc !== jit.pc) problems.push(k >= 0 ? "fault pc differs from mepc" : "next pc differs");
  if (jit.regs[0] !== 0n) problems.push("x0 slot written");
  if (jit.cause !== ref.cause || (ref.cause >= 0 && jit.tval !== ref.tval)) problems.push(`pending exception ${jit.cause}/${hex(jit.tval)}, interpreter took ${ref.cause}/${hex(ref.tval)}`);
  if (jit.attention !== (k >= 0 ? ATTN_EXCEPTION : 0)) problems.push(`attention ${jit.attention}`);
  const jd = dataBytes();
  const bad = jd.findIndex((v, i) => v !== ref.data[i]);
  if (bad >= 0) problems.push(`data region differs at ${hex(DATA + BigInt(bad))}: ${jd[bad]} vs interpreter ${ref.data[bad]}`);
  if (problems.length === 0) return null;
  const init = b.init ? ` init ${Object.entries(b.init).map(([r, v]) => `x${r}=${hex(v)}`).join(" ")}` : "";
  return `${problems.join("; ")}\nblock at ${hex(b.pc)} (n=${b.n}, maxInsns=${b.maxInsns}, fault=${k}, warm=${warm})${init}:\n${disasm(b)}\n${dumpStates(regs, ref, jit)}`;
}

/** Destination register of an encoded instruction per the core's decoder (null: none/x0). */
export function destOf(i: Insn): number | null {
  const d: bigint = u64(x.decode(i.bits));
  const name = L.OP_NAMES[Number(d & 0x1ffn)];
  if (["SB", "SH", "SW", "SD"].includes(name)) return null;
  const rd = Number((d >> 9n) & 0x3fn);
  return rd === L.X_SINK ? null : rd;
}

/** A generator state at `pc` with a few random registers pointing into the data area (and
 *  sometimes one at the unmapped BAD area); returns it and those initial register values. */
export function startGen(pc: bigint): { g: GenState; init: Record<number, bigint> } {
  const g: GenState = { pc, ptrs: new Map(), insns: [], fault: -1 };
  const init: Record<number, bigint> = {};
  for (let i = ri(4); i > 0; i--) {
    const r = chance(0.3) ? 2 : chance(0.5) ? creg() : nzreg();
    init[r] = DATA + 0x400n + BigInt(ri(0x1000));
  }
  if (chance(0.1)) init[chance(0.5) ? creg() : nzreg()] = BAD + BigInt(ri(0x1000));
  for (const [r, v] of Object.entries(init)) g.ptrs.set(Number(r), v);
  return { g, init };
}

/**
 * A random block: k ALU instructions and loads/stores, then a terminator, an unsupported
 * instruction, or a maxInsns cut. Some registers start as pointers into the data region (and
 * with probability 0.1 one holds BAD, so that its first use faults).
 */
export function rndBlock(): Block {
  const k = chance(0.1) ? ri(3) : 1 + ri(40);
  const pc = DRAM + BigInt((0x1000 + ri(0x8_0000)) & ~1);
  const { g, init } = startGen(pc);
  while (g.insns.length < k) {
    const before = g.insns.length;
    if (chance(0.3)) rndMem(g);
    else { const i = chance(0.3) ? rndAlu16() : rndAlu32(); g.insns.push(i); g.pc += BigInt(i.len); }
    for (let j = before; j < g.insns.length; j++) {
      const rd = destOf(g.insns[j]);
      if (rd !== null && !(g.insns[j].text.startsWith("auipc") && g.ptrs.has(rd) && j < g.insns.length - 1)) g.ptrs.delete(rd);
    }
  }
  const insns = g.insns;
  const n0 = insns.length;
  const base = { pc, insns, init, fault: g.fault };
  const kind = ri(10);
  if (kind < 7 || n0 === 0) {
    insns.push(rndTerm());
    return { ...base, n: n0 + 1, maxInsns: 64, end: END_BRANCH };
  }
  if (kind < 9) {
    insns.push(pick(UNSUPPORTED));
    return { ...base, n: n0, maxInsns: 64, end: END_UNSUPPORTED };
  }
  insns.push(rndTerm());
  const max = 1 + ri(n0); // cut inside the body
  return { ...base, n: max, maxInsns: max, end: END_MAX };
}
export function rndRegs(): bigint[] {
  const regs = [0n];
  for (let r = 1; r < 32; r++) regs.push(rnd64());
  return regs;
}

// ---------------------------------------------------------------------------------------------

/** Compiles tests/jit/codegen-harness.ts and instantiates it on a fresh shared memory (the
 *  generated modules get the core's helpers, counted in slowCalls, as their imports). */
export function loadHarness(): void {
  const r = spawnSync("npx", ["asc", "tests/jit/codegen-harness.ts", "-o", "build/codegen-harness.wasm",
    "--runtime", "stub", "--importMemory", "--sharedMemory", "--initialMemory", "1024",
    "--maximumMemory", "65536", "--enable", "threads", "-O3"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error("asc failed:\n" + r.stdout + r.stderr);
  mem = new WebAssembly.Memory({ initial: (L.RAM_HOST_BASE + RAM_SIZE) / 65536, maximum: 65536, shared: true });
  dv = new DataView(mem.buffer);
  const status = (ok: boolean) => {
    dv.setUint32(L.MACHINE_BASE + L.M_MMIO_STATUS, ok ? 0 : 1, true);
    if (ok && device?.stop) dv.setUint32(L.MACHINE_BASE + L.M_STOP, 1, true);
  };
  x = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(ROOT + "build/codegen-harness.wasm")), {
    env: {
      memory: mem,
      abort: () => { throw new Error("abort"); },
      mmio_read: (_h: number, pa: bigint, size: number) => {
        if (!device || pa >= BAD) { status(false); return 0n; }
        status(true);
        return device.read(pa, size);
      },
      mmio_write: (_h: number, pa: bigint, size: number, v: bigint) => {
        if (!device?.write || pa >= BAD) { status(false); return; }
        status(true);
        device.write(pa, size, v);
      },
    },
  }).exports;
  x.initMachine(1, BigInt(RAM_SIZE), 0);
  RETIRED = x.jitRetiredOffset();
  // The generated modules import the core's helpers (counted, to see both TLB paths used).
  jitImports = {
    env: {
      memory: mem,
      jitLoad: (va: bigint, size: number) => { slowCalls++; return x.jitLoad(va, size); },
      jitStore: (va: bigint, size: number, v: bigint) => { slowCalls++; return x.jitStore(va, size, v); },
      jitStatus: x.jitStatus,
      jitFloat: x.jitFloat,
      jitIllegal: x.jitIllegal,
      // Regions chain their exits through the core's table (assembly/jit/chain.ts).
      jitChain: x.jitChain,
      table: jitTable,
      jitExec: x.jitExec,
    },
  };
}

export const blk = (insns: Insn[], n = insns.length, end = END_BRANCH, maxInsns = 64, pc = DRAM + 0x2000n): Block =>
  ({ pc, insns, n, maxInsns, end });

/** Runs `b` with registers from `init` (others 0) and asserts both engines agree; returns the translated state. */
export function agree(b: Block, init: Record<number, bigint>, warm = false): JitState {
  const regs = Array.from({ length: 32 }, (_, r) => (r === 0 ? 0n : u64(init[r] ?? 0n)));
  const fail = check(b, regs, warm);
  if (fail) throw new Error(fail);
  writeBlock(b);
  return runJit(b, regs, warm);
}
