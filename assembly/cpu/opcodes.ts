// Operation identifiers produced by the decoder (cpu/decode.ts) and dispatched on by the
// interpreter (cpu/interp.ts) and, later, the translator. Compressed instructions decode to
// the operation of their 32-bit expansion (RISC-V unprivileged spec, chapter "C" tables).
// scripts/gen-layout.mjs mirrors this enum into host/core/layout.generated.ts (Op).
//
// Decoded form (a u64, see cpu/decode.ts):
//   bits 0..8   op           bits 9..14  rd (0..32; integer rd x0 becomes X_SINK=32)
//   bits 15..19 rs1          bits 20..24 rs2        bits 25..29 rs3
//   bit 30      compressed   bit 31      reserved
//   bits 32..63 imm (i32): immediate, shamt, CSR number, FP rounding mode (rm), fence bits,
//               AMO aq/rl bits — whichever the operation needs.

export enum Op {
  ILLEGAL = 0,
  // RV64I
  LUI, AUIPC, JAL, JALR,
  BEQ, BNE, BLT, BGE, BLTU, BGEU,
  LB, LH, LW, LD, LBU, LHU, LWU,
  SB, SH, SW, SD,
  ADDI, SLTI, SLTIU, XORI, ORI, ANDI, SLLI, SRLI, SRAI,
  ADD, SUB, SLL, SLT, SLTU, XOR, SRL, SRA, OR, AND,
  ADDIW, SLLIW, SRLIW, SRAIW,
  ADDW, SUBW, SLLW, SRLW, SRAW,
  FENCE, FENCE_I, PAUSE, ECALL, EBREAK,
  // M
  MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU,
  MULW, DIVW, DIVUW, REMW, REMUW,
  // A (imm bit 1 = aq, bit 0 = rl)
  LR_W, SC_W, AMOSWAP_W, AMOADD_W, AMOXOR_W, AMOAND_W, AMOOR_W,
  AMOMIN_W, AMOMAX_W, AMOMINU_W, AMOMAXU_W,
  LR_D, SC_D, AMOSWAP_D, AMOADD_D, AMOXOR_D, AMOAND_D, AMOOR_D,
  AMOMIN_D, AMOMAX_D, AMOMINU_D, AMOMAXU_D,
  // Zicsr (imm = CSR number; for the *I forms rs1 holds the 5-bit zimm)
  CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI,
  // privileged
  MRET, SRET, WFI, SFENCE_VMA,
  // F (imm = rm for arithmetic/conversions)
  FLW, FSW,
  FMADD_S, FMSUB_S, FNMSUB_S, FNMADD_S,
  FADD_S, FSUB_S, FMUL_S, FDIV_S, FSQRT_S,
  FSGNJ_S, FSGNJN_S, FSGNJX_S, FMIN_S, FMAX_S,
  FCVT_W_S, FCVT_WU_S, FCVT_L_S, FCVT_LU_S,
  FMV_X_W, FEQ_S, FLT_S, FLE_S, FCLASS_S,
  FCVT_S_W, FCVT_S_WU, FCVT_S_L, FCVT_S_LU, FMV_W_X,
  // D
  FLD, FSD,
  FMADD_D, FMSUB_D, FNMSUB_D, FNMADD_D,
  FADD_D, FSUB_D, FMUL_D, FDIV_D, FSQRT_D,
  FSGNJ_D, FSGNJN_D, FSGNJX_D, FMIN_D, FMAX_D,
  FCVT_S_D, FCVT_D_S,
  FCVT_W_D, FCVT_WU_D, FCVT_L_D, FCVT_LU_D,
  FMV_X_D, FEQ_D, FLT_D, FLE_D, FCLASS_D,
  FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU, FMV_D_X,
  // hypervisor extension (decoded now, executed once H lands)
  HFENCE_VVMA, HFENCE_GVMA,
  HLV_B, HLV_BU, HLV_H, HLV_HU, HLVX_HU, HLV_W, HLVX_WU, HLV_WU, HLV_D,
  HSV_B, HSV_H, HSV_W, HSV_D,
  COUNT
}

// Field accessors for the decoded u64.
// @ts-ignore: decorator
@inline export function dOp(d: u64): u32 { return <u32>d & 0x1ff; }
// @ts-ignore: decorator
@inline export function dRd(d: u64): u32 { return (<u32>d >> 9) & 0x3f; }
// @ts-ignore: decorator
@inline export function dRs1(d: u64): u32 { return (<u32>d >> 15) & 0x1f; }
// @ts-ignore: decorator
@inline export function dRs2(d: u64): u32 { return (<u32>d >> 20) & 0x1f; }
// @ts-ignore: decorator
@inline export function dRs3(d: u64): u32 { return (<u32>d >> 25) & 0x1f; }
// @ts-ignore: decorator
@inline export function dCompressed(d: u64): bool { return ((<u32>d >> 30) & 1) != 0; }
// @ts-ignore: decorator
@inline export function dImm(d: u64): i32 { return <i32>(d >> 32); }
/** The immediate sign-extended to 64 bits (what the execution of most operations adds). */
// @ts-ignore: decorator
@inline export function dImmU(d: u64): u64 { return <u64>(<i64>d >> 32); }

/** Packs decoded fields into the u64 form described above. */
// @ts-ignore: decorator
@inline export function pack(op: u32, rd: u32, rs1: u32, rs2: u32, rs3: u32, compressed: u32, imm: i32): u64 {
  return (<u64>(op | (rd << 9) | (rs1 << 15) | (rs2 << 20) | (rs3 << 25) | (compressed << 30))) |
         (<u64><u32>imm << 32);
}
