// RV64GC instruction encoders for test generators (tests/jit/streams.ts): the base formats of the
// unprivileged spec ch. 2.3 "Immediate Encoding Variants", the R4 and AMO forms (ch. 13, 8), Zicsr
// (ch. 9) and the compressed formats (ch. 26 "C" Standard Extension, table "RVC instruction set
// listings"). Every function returns the instruction word (a 16-bit value for compressed ones);
// arguments are register numbers and byte offsets/immediates, checked only by masking.

/** Bits hi..lo of `value`. */
const bits = (value: number, hi: number, lo: number) => (value >>> lo) & ((1 << (hi - lo + 1)) - 1);

/** R-type. */
export const encR = (funct7: number, rs2: number, rs1: number, funct3: number, rd: number, opcode: number) =>
  ((funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;
/** I-type (12-bit signed immediate). */
export const encI = (imm: number, rs1: number, funct3: number, rd: number, opcode: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;
/** S-type (stores). */
export const encS = (imm: number, rs2: number, rs1: number, funct3: number, opcode: number) =>
  ((bits(imm, 11, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (bits(imm, 4, 0) << 7) | opcode) >>> 0;
/** B-type (conditional branches, byte offset). */
export const encB = (offset: number, rs2: number, rs1: number, funct3: number) =>
  ((bits(offset, 12, 12) << 31) | (bits(offset, 10, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) |
    (bits(offset, 4, 1) << 8) | (bits(offset, 11, 11) << 7) | 0x63) >>> 0;
/** U-type (LUI/AUIPC: the 20-bit upper immediate). */
export const encU = (imm20: number, rd: number, opcode: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | opcode) >>> 0;
/** JAL (byte offset). */
export const encJ = (offset: number, rd: number) =>
  ((bits(offset, 20, 20) << 31) | (bits(offset, 10, 1) << 21) | (bits(offset, 11, 11) << 20) | (bits(offset, 19, 12) << 12) |
    (rd << 7) | 0x6f) >>> 0;
/** R4-type (fused multiply-add; fmt 0 = S, 1 = D). */
export const encR4 = (rs3: number, fmt: number, rs2: number, rs1: number, rm: number, rd: number, opcode: number) =>
  ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode) >>> 0;
/** OP-FP (funct5, fmt 0 = S / 1 = D, rm or funct3). */
export const encFp = (funct5: number, fmt: number, rs2: number, rs1: number, rm: number, rd: number) =>
  encR((funct5 << 2) | fmt, rs2, rs1, rm, rd, 0x53);
/** AMO / LR / SC (funct5, acquire/release bits; funct3 2 = .W, 3 = .D). */
export const encAmo = (funct5: number, aq: number, rl: number, rs2: number, rs1: number, funct3: number, rd: number) =>
  encR((funct5 << 2) | (aq << 1) | rl, rs2, rs1, funct3, rd, 0x2f);
/** Zicsr (funct3 1..3 register forms, 5..7 immediate forms; `source` is rs1 or the 5-bit immediate). */
export const encCsr = (csr: number, source: number, funct3: number, rd: number) => encI(csr, source, funct3, rd, 0x73);

/** Fixed words. */
export const ECALL = 0x00000073, EBREAK = 0x00100073, MRET = 0x30200073, SRET = 0x10200073, WFI = 0x10500073;
export const FENCE = 0x0ff0000f, FENCE_I = 0x0000100f, PAUSE = 0x0100000f;
/** sfence.vma rs1, rs2. */
export const sfenceVma = (rs1: number, rs2: number) => encR(0x09, rs2, rs1, 0, 0, 0x73);

// ---- compressed (16-bit) ----
const creg = (r: number) => r - 8; // x8..x15 in the 3-bit fields

/** CI-format arithmetic: c.addi (funct3 0), c.addiw (1), c.li (2) with a 6-bit signed immediate. */
export const cImm = (funct3: number, rd: number, imm: number) =>
  (funct3 << 13) | (bits(imm, 5, 5) << 12) | (rd << 7) | (bits(imm, 4, 0) << 2) | 0b01;
/** c.lui rd, imm6 (the upper-immediate bits 17..12, sign-extended; rd ≠ 0, 2; imm ≠ 0). */
export const cLui = (rd: number, imm6: number) => (3 << 13) | (bits(imm6, 5, 5) << 12) | (rd << 7) | (bits(imm6, 4, 0) << 2) | 0b01;
/** c.slli rd, shamt. */
export const cSlli = (rd: number, shamt: number) => (bits(shamt, 5, 5) << 12) | (rd << 7) | (bits(shamt, 4, 0) << 2) | 0b10;
/** c.srli (kind 0), c.srai (1), c.andi (2) on rd' with a 6-bit immediate. */
export const cShiftAndi = (kind: number, rd: number, imm: number) =>
  (4 << 13) | (bits(imm, 5, 5) << 12) | (kind << 10) | (creg(rd) << 7) | (bits(imm, 4, 0) << 2) | 0b01;
/** CA-format: c.sub (word 0, op 0), c.xor (0, 1), c.or (0, 2), c.and (0, 3), c.subw (1, 0), c.addw (1, 1). */
export const cArith = (word: number, op: number, rd: number, rs2: number) =>
  (4 << 13) | (word << 12) | (3 << 10) | (creg(rd) << 7) | (op << 5) | (creg(rs2) << 2) | 0b01;
/** c.mv rd, rs2 (rs2 ≠ 0). */
export const cMv = (rd: number, rs2: number) => (4 << 13) | (rd << 7) | (rs2 << 2) | 0b10;
/** c.add rd, rs2 (rs2 ≠ 0). */
export const cAdd = (rd: number, rs2: number) => (4 << 13) | (1 << 12) | (rd << 7) | (rs2 << 2) | 0b10;
/** c.ebreak. */
export const C_EBREAK = 0x9002;
/** c.j with a byte offset. */
export const cJ = (offset: number) =>
  (5 << 13) | (bits(offset, 11, 11) << 12) | (bits(offset, 4, 4) << 11) | (bits(offset, 9, 8) << 9) | (bits(offset, 10, 10) << 8) |
  (bits(offset, 6, 6) << 7) | (bits(offset, 7, 7) << 6) | (bits(offset, 3, 1) << 3) | (bits(offset, 5, 5) << 2) | 0b01;
/** c.beqz (ne = 0) / c.bnez (ne = 1) rs1', byte offset. */
export const cBranch = (ne: number, rs1: number, offset: number) =>
  ((6 + ne) << 13) | (bits(offset, 8, 8) << 12) | (bits(offset, 4, 3) << 10) | (creg(rs1) << 7) | (bits(offset, 7, 6) << 5) |
  (bits(offset, 2, 1) << 3) | (bits(offset, 5, 5) << 2) | 0b01;
/** CL/CS: c.lw/c.sw (width 4) and c.ld/c.sd/c.fld/c.fsd (width 8) with rd'/rs2', rs1' and a scaled offset. */
export function cMem(store: boolean, float: boolean, width: 4 | 8, reg: number, base: number, offset: number): number {
  const funct3 = (store ? 4 : 0) + (width === 4 ? 2 : float ? 1 : 3);
  const low = width === 4 ? (bits(offset, 2, 2) << 6) | (bits(offset, 6, 6) << 5) : bits(offset, 7, 6) << 5;
  return (funct3 << 13) | (bits(offset, 5, 3) << 10) | (creg(base) << 7) | low | (creg(reg) << 2) | 0b00;
}
/** Stack-pointer loads: c.lwsp (width 4), c.ldsp / c.fldsp (width 8). */
export function cLoadSp(float: boolean, width: 4 | 8, rd: number, offset: number): number {
  const funct3 = width === 4 ? 2 : float ? 1 : 3;
  const low = width === 4 ? (bits(offset, 4, 2) << 4) | (bits(offset, 7, 6) << 2) : (bits(offset, 4, 3) << 5) | (bits(offset, 8, 6) << 2);
  return (funct3 << 13) | (bits(offset, 5, 5) << 12) | (rd << 7) | low | 0b10;
}
/** Stack-pointer stores: c.swsp (width 4), c.sdsp / c.fsdsp (width 8). */
export function cStoreSp(float: boolean, width: 4 | 8, rs2: number, offset: number): number {
  const funct3 = width === 4 ? 6 : float ? 5 : 7;
  const field = width === 4 ? (bits(offset, 5, 2) << 9) | (bits(offset, 7, 6) << 7) : (bits(offset, 5, 3) << 10) | (bits(offset, 8, 6) << 7);
  return (funct3 << 13) | field | (rs2 << 2) | 0b10;
}
