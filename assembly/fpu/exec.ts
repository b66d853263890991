// Executes decoded F/D instructions on the current hart (everything but FLW/FSW/FLD/FSD, which
// the interpreter performs as memory operations).
//
// - Rounding mode: rm = 7 selects frm; reserved modes (5, 6, or frm >= 5 under DYN) make the
//   instruction illegal (f-st-ext.adoc "Rounding mode encoding": reserved; raising an
//   illegal-instruction exception is a valid behaviour). Only instructions that have an rm
//   field check it; that includes conversions that cannot round (FCVT.D.S, FCVT.D.W[U]).
// - NaN-boxing (d-st-ext.adoc "NaN Boxing of Narrower Values"): binary32 operands are read
//   through unboxF32 (improperly boxed values read as the canonical NaN), binary32 results are
//   written boxed. FMV.X.W and FMV.W.X are transfer operations and move raw bits.
// - Flags are accumulated in fpFlags by the operations and ORed into fflags once.
// The interpreter checks mstatus.FS before calling and marks FS dirty afterwards.
import { Op } from "../cpu/opcodes";
import { getF, setF, getX, setX, getFrm, orFflags } from "../cpu/state";
import { fpFlags, clearFpFlags, F32_CANON_NAN, RM_DYN, RM_RMM } from "./round";
import { f64Add, f64Sub, f64Mul, f64Div, f64Sqrt } from "./f64";
import { f32Add, f32Sub, f32Mul, f32Div, f32Sqrt } from "./f32";
import { f64Fma, f32Fma, FMA_MADD, FMA_MSUB, FMA_NMSUB, FMA_NMADD } from "./fma";
import {
  f64ToInt, f32ToInt, intToF64, intToF32, f64ToF32, f32ToF64, INT_W, INT_WU, INT_L, INT_LU,
} from "./convert";
import {
  f64Class, f32Class, f64MinMax, f32MinMax, f64Compare, f32Compare, f64Sgnj, f32Sgnj,
  CMP_EQ, CMP_LT, CMP_LE, SGNJ, SGNJN, SGNJX,
} from "./classify";

const BOX_MASK: u64 = 0xffff_ffff_0000_0000;

/** NaN-boxes a binary32 pattern into a 64-bit f register value (upper 32 bits all ones). */
// @ts-ignore: decorator
@inline export function boxF32(v: u32): u64 { return BOX_MASK | <u64>v; }

/** Reads a binary32 operand from a 64-bit f register value: the low half if properly NaN-boxed, else the canonical NaN. */
// @ts-ignore: decorator
@inline export function unboxF32(v: u64): u32 {
  return (v & BOX_MASK) == BOX_MASK ? <u32>v : F32_CANON_NAN;
}

/** Sign-extends the low 32 bits of v to 64 bits. */
// @ts-ignore: decorator
@inline function sext32(v: u32): u64 { return <u64><i64><i32>v; }

// @ts-ignore: decorator
@inline function fs(r: u32): u32 { return unboxF32(getF(r)); }
// @ts-ignore: decorator
@inline function setFs(r: u32, v: u32): void { setF(r, boxF32(v)); }

/** Executes F/D operation `op`; returns false (illegal instruction) for a reserved rounding mode or a non-F/D op. */
export function execFloat(op: u32, rd: u32, rs1: u32, rs2: u32, rs3: u32, rm: u32): bool {
  clearFpFlags();
  // ---- operations without a rounding-mode field ----
  switch (op) {
    case Op.FSGNJ_S: setFs(rd, f32Sgnj(fs(rs1), fs(rs2), SGNJ)); return true;
    case Op.FSGNJN_S: setFs(rd, f32Sgnj(fs(rs1), fs(rs2), SGNJN)); return true;
    case Op.FSGNJX_S: setFs(rd, f32Sgnj(fs(rs1), fs(rs2), SGNJX)); return true;
    case Op.FSGNJ_D: setF(rd, f64Sgnj(getF(rs1), getF(rs2), SGNJ)); return true;
    case Op.FSGNJN_D: setF(rd, f64Sgnj(getF(rs1), getF(rs2), SGNJN)); return true;
    case Op.FSGNJX_D: setF(rd, f64Sgnj(getF(rs1), getF(rs2), SGNJX)); return true;
    case Op.FMV_X_W: setX(rd, sext32(<u32>getF(rs1))); return true; // raw low 32 bits, sign-extended
    case Op.FMV_W_X: setFs(rd, <u32>getX(rs1)); return true;
    case Op.FMV_X_D: setX(rd, getF(rs1)); return true;
    case Op.FMV_D_X: setF(rd, getX(rs1)); return true;
    case Op.FCLASS_S: setX(rd, f32Class(fs(rs1))); return true;
    case Op.FCLASS_D: setX(rd, f64Class(getF(rs1))); return true;
    case Op.FMIN_S: setFs(rd, f32MinMax(fs(rs1), fs(rs2), false)); break;
    case Op.FMAX_S: setFs(rd, f32MinMax(fs(rs1), fs(rs2), true)); break;
    case Op.FMIN_D: setF(rd, f64MinMax(getF(rs1), getF(rs2), false)); break;
    case Op.FMAX_D: setF(rd, f64MinMax(getF(rs1), getF(rs2), true)); break;
    case Op.FEQ_S: setX(rd, f32Compare(fs(rs1), fs(rs2), CMP_EQ)); break;
    case Op.FLT_S: setX(rd, f32Compare(fs(rs1), fs(rs2), CMP_LT)); break;
    case Op.FLE_S: setX(rd, f32Compare(fs(rs1), fs(rs2), CMP_LE)); break;
    case Op.FEQ_D: setX(rd, f64Compare(getF(rs1), getF(rs2), CMP_EQ)); break;
    case Op.FLT_D: setX(rd, f64Compare(getF(rs1), getF(rs2), CMP_LT)); break;
    case Op.FLE_D: setX(rd, f64Compare(getF(rs1), getF(rs2), CMP_LE)); break;
    default: return execRounded(op, rd, rs1, rs2, rs3, rm);
  }
  if (fpFlags != 0) orFflags(fpFlags);
  return true;
}

/** Executes an operation that has an rm field, after resolving and validating the rounding mode. */
function execRounded(op: u32, rd: u32, rs1: u32, rs2: u32, rs3: u32, rmField: u32): bool {
  let rm = rmField == RM_DYN ? getFrm() : rmField;
  if (rm > RM_RMM) return false; // reserved static (5, 6) or dynamic (frm >= 5) mode
  switch (op) {
    // binary32 arithmetic
    case Op.FMADD_S: setFs(rd, f32Fma(fs(rs1), fs(rs2), fs(rs3), rm, FMA_MADD)); break;
    case Op.FMSUB_S: setFs(rd, f32Fma(fs(rs1), fs(rs2), fs(rs3), rm, FMA_MSUB)); break;
    case Op.FNMSUB_S: setFs(rd, f32Fma(fs(rs1), fs(rs2), fs(rs3), rm, FMA_NMSUB)); break;
    case Op.FNMADD_S: setFs(rd, f32Fma(fs(rs1), fs(rs2), fs(rs3), rm, FMA_NMADD)); break;
    case Op.FADD_S: setFs(rd, f32Add(fs(rs1), fs(rs2), rm)); break;
    case Op.FSUB_S: setFs(rd, f32Sub(fs(rs1), fs(rs2), rm)); break;
    case Op.FMUL_S: setFs(rd, f32Mul(fs(rs1), fs(rs2), rm)); break;
    case Op.FDIV_S: setFs(rd, f32Div(fs(rs1), fs(rs2), rm)); break;
    case Op.FSQRT_S: setFs(rd, f32Sqrt(fs(rs1), rm)); break;
    // binary32 conversions
    case Op.FCVT_W_S: setX(rd, f32ToInt(fs(rs1), rm, INT_W)); break;
    case Op.FCVT_WU_S: setX(rd, f32ToInt(fs(rs1), rm, INT_WU)); break;
    case Op.FCVT_L_S: setX(rd, f32ToInt(fs(rs1), rm, INT_L)); break;
    case Op.FCVT_LU_S: setX(rd, f32ToInt(fs(rs1), rm, INT_LU)); break;
    case Op.FCVT_S_W: setFs(rd, intToF32(getX(rs1), INT_W, rm)); break;
    case Op.FCVT_S_WU: setFs(rd, intToF32(getX(rs1), INT_WU, rm)); break;
    case Op.FCVT_S_L: setFs(rd, intToF32(getX(rs1), INT_L, rm)); break;
    case Op.FCVT_S_LU: setFs(rd, intToF32(getX(rs1), INT_LU, rm)); break;
    // binary64 arithmetic
    case Op.FMADD_D: setF(rd, f64Fma(getF(rs1), getF(rs2), getF(rs3), rm, FMA_MADD)); break;
    case Op.FMSUB_D: setF(rd, f64Fma(getF(rs1), getF(rs2), getF(rs3), rm, FMA_MSUB)); break;
    case Op.FNMSUB_D: setF(rd, f64Fma(getF(rs1), getF(rs2), getF(rs3), rm, FMA_NMSUB)); break;
    case Op.FNMADD_D: setF(rd, f64Fma(getF(rs1), getF(rs2), getF(rs3), rm, FMA_NMADD)); break;
    case Op.FADD_D: setF(rd, f64Add(getF(rs1), getF(rs2), rm)); break;
    case Op.FSUB_D: setF(rd, f64Sub(getF(rs1), getF(rs2), rm)); break;
    case Op.FMUL_D: setF(rd, f64Mul(getF(rs1), getF(rs2), rm)); break;
    case Op.FDIV_D: setF(rd, f64Div(getF(rs1), getF(rs2), rm)); break;
    case Op.FSQRT_D: setF(rd, f64Sqrt(getF(rs1), rm)); break;
    // binary64 conversions
    case Op.FCVT_S_D: setFs(rd, f64ToF32(getF(rs1), rm)); break;
    case Op.FCVT_D_S: setF(rd, f32ToF64(fs(rs1))); break; // exact, but rm is still validated
    case Op.FCVT_W_D: setX(rd, f64ToInt(getF(rs1), rm, INT_W)); break;
    case Op.FCVT_WU_D: setX(rd, f64ToInt(getF(rs1), rm, INT_WU)); break;
    case Op.FCVT_L_D: setX(rd, f64ToInt(getF(rs1), rm, INT_L)); break;
    case Op.FCVT_LU_D: setX(rd, f64ToInt(getF(rs1), rm, INT_LU)); break;
    case Op.FCVT_D_W: setF(rd, intToF64(getX(rs1), INT_W, rm)); break;
    case Op.FCVT_D_WU: setF(rd, intToF64(getX(rs1), INT_WU, rm)); break;
    case Op.FCVT_D_L: setF(rd, intToF64(getX(rs1), INT_L, rm)); break;
    case Op.FCVT_D_LU: setF(rd, intToF64(getX(rs1), INT_LU, rm)); break;
    default: return false; // not an F/D computational operation
  }
  if (fpFlags != 0) orFflags(fpFlags);
  return true;
}
