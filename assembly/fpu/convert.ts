// Conversions: FCVT.{W,WU,L,LU}.{S,D}, FCVT.{S,D}.{W,WU,L,LU}, FCVT.S.D and FCVT.D.S
// (f-st-ext.adoc "Single-Precision Floating-Point Conversion and Move Instructions",
// d-st-ext.adoc "Double-Precision Floating-Point Conversion and Move Instructions").
import {
  fpFlags, FLAG_NV, FLAG_NX, F64_CANON_NAN, F32_CANON_NAN, F32_INF,
  isNaN64, isSNaN64, isNaN32, isSNaN32, unpack64, uExp, uSig, roundIncrement, roundPack32,
  normRoundPack, zeroOf,
} from "./round";
import { fastPaths, roundSumToF32 } from "./native";
import { widen32 } from "./arith";

// Integer destination/source kinds, in the order of the rs2 field of the encodings.
export const INT_W: u32 = 0; // signed 32-bit
export const INT_WU: u32 = 1; // unsigned 32-bit
export const INT_L: u32 = 2; // signed 64-bit
export const INT_LU: u32 = 3; // unsigned 64-bit

/** Sign-extends the low 32 bits (RV64 writes 32-bit results sign-extended). */
// @ts-ignore: decorator
@inline function sext32(v: u64): u64 { return <u64><i64><i32><u32>v; }

/**
 * Converts the binary64 pattern `a` (binary32 operands are widened first) to integer kind `kind`
 * (INT_*) under rm, returning the XLEN=64 register value. Out-of-range inputs, infinities and
 * NaNs saturate per the table "Domains of float-to-integer conversions" and raise NV only;
 * otherwise an inexact conversion raises NX.
 */
export function toIntG(a: u64, rm: u32, kind: u32): u64 {
  let signed = (kind & 1) == 0;
  let wide = kind >= INT_L;
  // largest positive result, and largest magnitude of a negative result
  let maxPos: u64 = wide ? (signed ? 0x7fff_ffff_ffff_ffff : 0xffff_ffff_ffff_ffff)
                         : (signed ? 0x7fff_ffff : 0xffff_ffff);
  let maxNegMag: u64 = signed ? (wide ? 0x8000_0000_0000_0000 : 0x8000_0000) : 0;
  let sign = <u32>(a >> 63);
  let result: u64;
  if (isNaN64(a)) {
    // NaN converts like +inf (same table)
    fpFlags |= FLAG_NV;
    result = maxPos;
  } else if ((a << 1) == 0) {
    return 0; // ±0 -> 0, no flags
  } else {
    let e = <u32>(a >> 52) & 0x7ff;
    let x: i32 = 64; // treated as "too large" for infinities
    let m: u64 = 0;
    if (e != 0x7ff) {
      unpack64(a);
      x = uExp;
      m = uSig; // |a| = m * 2^(x - 63)
    }
    if (x >= 64) {
      fpFlags |= FLAG_NV;
      result = sign != 0 ? 0 - maxNegMag : maxPos;
    } else {
      let kept: u64, rbit: u64, sticky: u64;
      if (x >= 0) {
        let shift = 63 - x;
        if (shift == 0) {
          kept = m; rbit = 0; sticky = 0;
        } else {
          kept = m >> <u64>shift;
          rbit = (m >> <u64>(shift - 1)) & 1;
          sticky = <u64>((m & ((<u64>1 << <u64>(shift - 1)) - 1)) != 0);
        }
      } else if (x == -1) { // 0.5 <= |a| < 1
        kept = 0; rbit = 1; sticky = <u64>((m << 1) != 0);
      } else { // 0 < |a| < 0.5
        kept = 0; rbit = 0; sticky = 1;
      }
      // No carry out is possible: kept has at most 53 significant bits whenever bits are dropped.
      kept += roundIncrement(rm, sign, kept & 1, rbit, sticky);
      // the valid domain is checked after rounding (f-st-ext.adoc, table note "after rounding")
      if (sign != 0 ? kept > maxNegMag : kept > maxPos) {
        fpFlags |= FLAG_NV;
        result = sign != 0 ? 0 - maxNegMag : maxPos;
      } else {
        if ((rbit | sticky) != 0) fpFlags |= FLAG_NX;
        result = sign != 0 ? 0 - kept : kept;
      }
    }
  }
  return wide ? result : sext32(result);
}

/** FCVT.{W,WU,L,LU}.D: binary64 to integer kind under rm. */
export function f64ToInt(a: u64, rm: u32, kind: u32): u64 { return toIntG(a, rm, kind); }

/** FCVT.{W,WU,L,LU}.S: binary32 to integer kind under rm. */
export function f32ToInt(a: u32, rm: u32, kind: u32): u64 { return toIntG(widen32(a), rm, kind); }

/** Converts integer register value x of kind `kind` (INT_*) to binary64 (dbl) or binary32 under rm. */
export function fromIntG(x: u64, kind: u32, rm: u32, dbl: bool): u64 {
  let v = x;
  let sign: u32 = 0;
  if (kind == INT_W) v = sext32(x);
  else if (kind == INT_WU) v = x & 0xffff_ffff;
  if ((kind & 1) == 0 && <i64>v < 0) {
    sign = 1;
    v = 0 - v; // magnitude; 2^63 for the most negative value
  }
  if (v == 0) return zeroOf(dbl, 0); // +0, no flags (f-st-ext.adoc: fcvt.s.w rd, x0)
  return normRoundPack(dbl, sign, 63, v, rm);
}

/** FCVT.D.{W,WU,L,LU}: integer to binary64 under rm. */
export function intToF64(x: u64, kind: u32, rm: u32): u64 { return fromIntG(x, kind, rm, true); }

/** FCVT.S.{W,WU,L,LU}: integer to binary32 under rm. */
export function intToF32(x: u64, kind: u32, rm: u32): u32 { return <u32>fromIntG(x, kind, rm, false); }

/** FCVT.S.D: binary64 to binary32 under rm (canonical NaN; NV for sNaN; OF/UF/NX as usual). */
export function f64ToF32(a: u64, rm: u32): u32 {
  if (fastPaths) {
    // finite, nonzero and comfortably inside the binary32 normal range
    let r = roundSumToF32(reinterpret<f64>(a), 0, rm);
    if (r >= 0) return <u32>r;
  }
  let sign = <u32>(a >> 63);
  if (isNaN64(a)) {
    if (isSNaN64(a)) fpFlags |= FLAG_NV;
    return F32_CANON_NAN;
  }
  if ((a << 1) == (<u64>0x7ff0_0000_0000_0000 << 1)) return (sign << 31) | F32_INF;
  if ((a << 1) == 0) return sign << 31;
  unpack64(a);
  return roundPack32(sign, uExp, uSig, rm);
}

/** FCVT.D.S: binary32 to binary64 (always exact; canonical NaN, NV for sNaN). */
export function f32ToF64(a: u32): u64 {
  if (isNaN32(a)) {
    if (isSNaN32(a)) fpFlags |= FLAG_NV;
    return F64_CANON_NAN;
  }
  return reinterpret<u64>(<f64>reinterpret<f32>(a)); // f64.promote_f32: exact for non-NaN
}
