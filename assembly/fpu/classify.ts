// Non-arithmetic operations: FCLASS, FMIN/FMAX, FEQ/FLT/FLE and the sign injections
// FSGNJ/FSGNJN/FSGNJX, for binary32 and binary64 (f-st-ext.adoc; d-st-ext.adoc defines the
// D forms "analogously").
import {
  fpFlags, FLAG_NV, F64_SIGN, F64_EXP, F64_FRAC, F64_QUIET, F64_CANON_NAN,
  F32_SIGN, F32_EXP, F32_FRAC, F32_QUIET, F32_CANON_NAN, isNaN64, isSNaN64, isNaN32, isSNaN32,
} from "./round";

// ---- FCLASS (f-st-ext.adoc, "Format of result of fclass instruction") ----
export const CLASS_NEG_INF: u32 = 1 << 0;
export const CLASS_NEG_NORMAL: u32 = 1 << 1;
export const CLASS_NEG_SUBNORMAL: u32 = 1 << 2;
export const CLASS_NEG_ZERO: u32 = 1 << 3;
export const CLASS_POS_ZERO: u32 = 1 << 4;
export const CLASS_POS_SUBNORMAL: u32 = 1 << 5;
export const CLASS_POS_NORMAL: u32 = 1 << 6;
export const CLASS_POS_INF: u32 = 1 << 7;
export const CLASS_SNAN: u32 = 1 << 8;
export const CLASS_QNAN: u32 = 1 << 9;

/** Class mask from the decoded fields of either format (expAllOnes/expZero of the exponent field). */
// @ts-ignore: decorator
@inline function classOf(neg: bool, expAllOnes: bool, expZero: bool, fracZero: bool, quiet: bool): u32 {
  if (expAllOnes) {
    if (fracZero) return neg ? CLASS_NEG_INF : CLASS_POS_INF;
    return quiet ? CLASS_QNAN : CLASS_SNAN;
  }
  if (expZero) {
    if (fracZero) return neg ? CLASS_NEG_ZERO : CLASS_POS_ZERO;
    return neg ? CLASS_NEG_SUBNORMAL : CLASS_POS_SUBNORMAL;
  }
  return neg ? CLASS_NEG_NORMAL : CLASS_POS_NORMAL;
}

/** FCLASS.D: the 10-bit class mask of a binary64 value (no flags). */
export function f64Class(a: u64): u32 {
  let e = a & F64_EXP;
  return classOf((a >> 63) != 0, e == F64_EXP, e == 0, (a & F64_FRAC) == 0, (a & F64_QUIET) != 0);
}

/** FCLASS.S: the 10-bit class mask of a binary32 value (no flags). */
export function f32Class(a: u32): u32 {
  let e = a & F32_EXP;
  return classOf((a >> 31) != 0, e == F32_EXP, e == 0, (a & F32_FRAC) == 0, (a & F32_QUIET) != 0);
}

// ---- ordering ----

/** Maps a non-NaN binary64 pattern to an unsigned key ordered like the values, with -0 < +0. */
// @ts-ignore: decorator
@inline function key64(a: u64): u64 { return (a >> 63) != 0 ? ~a : a | F64_SIGN; }

/** Maps a non-NaN binary32 pattern to an unsigned key ordered like the values, with -0 < +0. */
// @ts-ignore: decorator
@inline function key32(a: u32): u32 { return (a >> 31) != 0 ? ~a : a | F32_SIGN; }

// ---- FMIN / FMAX: IEEE 754-2019 minimumNumber / maximumNumber (f-st-ext.adoc) ----

/** FMIN.D (isMax false) / FMAX.D (isMax true): the non-NaN operand if one is NaN, canonical NaN if both, NV for sNaN; -0 < +0. */
export function f64MinMax(a: u64, b: u64, isMax: bool): u64 {
  let an = isNaN64(a), bn = isNaN64(b);
  if (an || bn) {
    if (isSNaN64(a) || isSNaN64(b)) fpFlags |= FLAG_NV;
    if (an && bn) return F64_CANON_NAN;
    return an ? b : a;
  }
  let aLess = key64(a) < key64(b);
  return aLess != isMax ? a : b;
}

/** FMIN.S (isMax false) / FMAX.S (isMax true); same rules as f64MinMax. */
export function f32MinMax(a: u32, b: u32, isMax: bool): u32 {
  let an = isNaN32(a), bn = isNaN32(b);
  if (an || bn) {
    if (isSNaN32(a) || isSNaN32(b)) fpFlags |= FLAG_NV;
    if (an && bn) return F32_CANON_NAN;
    return an ? b : a;
  }
  let aLess = key32(a) < key32(b);
  return aLess != isMax ? a : b;
}

// ---- comparisons (f-st-ext.adoc "Single-Precision Floating-Point Compare Instructions") ----

export const CMP_EQ: u32 = 0;
export const CMP_LT: u32 = 1;
export const CMP_LE: u32 = 2;

/** FEQ.D / FLT.D / FLE.D (CMP_*): 1 or 0; NaN gives 0, FEQ is quiet (NV only for sNaN), FLT/FLE signal NV for any NaN. */
export function f64Compare(a: u64, b: u64, kind: u32): u64 {
  if (isNaN64(a) || isNaN64(b)) {
    if (kind != CMP_EQ || isSNaN64(a) || isSNaN64(b)) fpFlags |= FLAG_NV;
    return 0;
  }
  let bothZero = ((a | b) << 1) == 0; // +0 == -0
  if (kind == CMP_EQ) return <u64>(a == b || bothZero);
  if (kind == CMP_LT) return <u64>(!bothZero && key64(a) < key64(b));
  return <u64>(bothZero || key64(a) <= key64(b));
}

/** FEQ.S / FLT.S / FLE.S (CMP_*); same rules as f64Compare. */
export function f32Compare(a: u32, b: u32, kind: u32): u64 {
  if (isNaN32(a) || isNaN32(b)) {
    if (kind != CMP_EQ || isSNaN32(a) || isSNaN32(b)) fpFlags |= FLAG_NV;
    return 0;
  }
  let bothZero = ((a | b) << 1) == 0;
  if (kind == CMP_EQ) return <u64>(a == b || bothZero);
  if (kind == CMP_LT) return <u64>(!bothZero && key32(a) < key32(b));
  return <u64>(bothZero || key32(a) <= key32(b));
}

// ---- sign injection: all bits but the sign from rs1; never flags, never canonicalizes ----

export const SGNJ: u32 = 0;
export const SGNJN: u32 = 1;
export const SGNJX: u32 = 2;

/** FSGNJ.D / FSGNJN.D / FSGNJX.D (SGNJ*): a with its sign taken from b, from ~b, or a^b. */
export function f64Sgnj(a: u64, b: u64, kind: u32): u64 {
  let s = kind == SGNJ ? b : kind == SGNJN ? ~b : a ^ b;
  return (a & ~F64_SIGN) | (s & F64_SIGN);
}

/** FSGNJ.S / FSGNJN.S / FSGNJX.S (SGNJ*): as f64Sgnj for binary32. */
export function f32Sgnj(a: u32, b: u32, kind: u32): u32 {
  let s = kind == SGNJ ? b : kind == SGNJN ? ~b : a ^ b;
  return (a & ~F32_SIGN) | (s & F32_SIGN);
}
