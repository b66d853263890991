// Format-generic software implementations of add, subtract, multiply, divide and square root.
//
// Operands are binary64 bit patterns; binary32 operands are first widened exactly with
// widen32() (which keeps NaNs signalling or quiet). The result is rounded once, directly to the
// destination format: binary64 when `dbl`, otherwise binary32 in the low 32 bits. Because every
// binary32 value is exactly a binary64 value and the rounding step is format-aware, this gives
// correctly rounded binary32 results with no double rounding.
//
// These paths handle everything (specials, subnormals, overflow, every rounding mode); the
// per-format entry points in f64.ts / f32.ts try exact native fast paths first.
import {
  fpFlags, FLAG_NV, FLAG_DZ, RM_RDN, F64_EXP, F64_FRAC, F64_INF,
  isNaN64, isSNaN64, isNaN32, unpack64, uExp, uSig, normRoundPack, zeroOf, infOf, nanOf,
  mul64x64, mulHi, shiftRightJam64,
} from "./round";
import { twoProdErr } from "./native";

/** Widens binary32 bits to the binary64 pattern of the same value; NaNs keep payload and signalling bit. */
export function widen32(a: u32): u64 {
  if (isNaN32(a)) {
    // quiet bit 22 -> 51, payload shifted along, so isSNaN64(widen32(x)) == isSNaN32(x)
    return (<u64>(a >> 31) << 63) | F64_EXP | (<u64>(a & 0x007f_ffff) << 29);
  }
  return reinterpret<u64>(<f64>reinterpret<f32>(a)); // f64.promote_f32 is exact for non-NaN
}

/** Canonical NaN result for NaN operands, raising NV if any operand is signalling. */
// @ts-ignore: decorator
@inline function propagateNaN2(a: u64, b: u64, dbl: bool): u64 {
  if (isSNaN64(a) || isSNaN64(b)) fpFlags |= FLAG_NV;
  return nanOf(dbl); // f-st-ext.adoc "NaN Generation and Propagation": canonical NaN
}

/** Invalid operation: raises NV and returns the canonical NaN. */
// @ts-ignore: decorator
@inline function invalid(dbl: bool): u64 {
  fpFlags |= FLAG_NV;
  return nanOf(dbl);
}

/** Rounds a finite nonzero binary64 value (exact input) into the destination format. */
// @ts-ignore: decorator
@inline function repack(a: u64, rm: u32, dbl: bool): u64 {
  if (dbl) return a;
  unpack64(a);
  return normRoundPack(false, <u32>(a >> 63), uExp, uSig, rm);
}

/** a + b correctly rounded to the destination format (IEEE 754-2008 5.4.1 addition). */
export function addG(a: u64, b: u64, rm: u32, dbl: bool): u64 {
  let ea = <u32>(a >> 52) & 0x7ff;
  let eb = <u32>(b >> 52) & 0x7ff;
  let sa = <u32>(a >> 63);
  let sb = <u32>(b >> 63);
  if (ea == 0x7ff || eb == 0x7ff) {
    if (isNaN64(a) || isNaN64(b)) return propagateNaN2(a, b, dbl);
    if (ea == 0x7ff && eb == 0x7ff && sa != sb) return invalid(dbl); // inf - inf (IEEE 7.2)
    return infOf(dbl, ea == 0x7ff ? sa : sb);
  }
  let za = (a << 1) == 0;
  let zb = (b << 1) == 0;
  if (za || zb) {
    if (za && zb) {
      // IEEE 754-2008 6.3: x + x keeps the sign; opposite-signed zeros sum to +0, or -0 in RDN
      return zeroOf(dbl, sa == sb ? sa : <u32>(rm == RM_RDN));
    }
    return repack(za ? b : a, rm, dbl);
  }
  unpack64(a);
  let xa = uExp;
  let ma = uSig >> 1; // one bit of headroom for the carry
  unpack64(b);
  let xb = uExp;
  let mb = uSig >> 1;
  // order by magnitude so that the difference below is non-negative
  if (xb > xa || (xb == xa && mb > ma)) {
    let t1 = xa; xa = xb; xb = t1;
    let t2 = ma; ma = mb; mb = t2;
    let t3 = sa; sa = sb; sb = t3;
  }
  // Align with jamming: bit 0 becomes a sticky bit. The operands carry at least 10 zero low
  // bits, so rounding (round bit >= bit 10 after normalization) sees the exact result's
  // position relative to every rounding boundary.
  mb = shiftRightJam64(mb, xa - xb);
  if (sa == sb) return normRoundPack(dbl, sa, xa + 1, ma + mb, rm);
  let diff = ma - mb;
  if (diff == 0) return zeroOf(dbl, <u32>(rm == RM_RDN)); // exact cancellation (IEEE 6.3)
  return normRoundPack(dbl, sa, xa + 1, diff, rm);
}

/** a * b correctly rounded to the destination format. */
export function mulG(a: u64, b: u64, rm: u32, dbl: bool): u64 {
  let ea = <u32>(a >> 52) & 0x7ff;
  let eb = <u32>(b >> 52) & 0x7ff;
  let sign = <u32>((a ^ b) >> 63);
  if (ea == 0x7ff || eb == 0x7ff) {
    if (isNaN64(a) || isNaN64(b)) return propagateNaN2(a, b, dbl);
    if ((a << 1) == 0 || (b << 1) == 0) return invalid(dbl); // 0 * inf (IEEE 7.2)
    return infOf(dbl, sign);
  }
  if ((a << 1) == 0 || (b << 1) == 0) return zeroOf(dbl, sign);
  unpack64(a);
  let xa = uExp;
  let ma = uSig;
  unpack64(b);
  let lo = mul64x64(ma, uSig);
  // product = (mulHi:lo) * 2^(xa + xb - 126), mulHi >= 2^62
  return normRoundPack(dbl, sign, xa + uExp + 1, mulHi | <u64>(lo != 0), rm);
}

/** a / b correctly rounded to the destination format; x/0 raises DZ. */
export function divG(a: u64, b: u64, rm: u32, dbl: bool): u64 {
  let ea = <u32>(a >> 52) & 0x7ff;
  let eb = <u32>(b >> 52) & 0x7ff;
  let sign = <u32>((a ^ b) >> 63);
  let za = (a << 1) == 0;
  let zb = (b << 1) == 0;
  if (ea == 0x7ff || eb == 0x7ff) {
    if (isNaN64(a) || isNaN64(b)) return propagateNaN2(a, b, dbl);
    if (ea == 0x7ff && eb == 0x7ff) return invalid(dbl); // inf / inf
    return ea == 0x7ff ? infOf(dbl, sign) : zeroOf(dbl, sign);
  }
  if (zb) {
    if (za) return invalid(dbl); // 0 / 0
    fpFlags |= FLAG_DZ; // IEEE 754-2008 7.3: finite nonzero / 0
    return infOf(dbl, sign);
  }
  if (za) return zeroOf(dbl, sign);
  unpack64(a);
  let xa = uExp;
  let ma = uSig;
  unpack64(b);
  let xb = uExp;
  // Scale both significands into [1, 2) and divide natively: q = RN(x / y) is within half an
  // ulp of the exact quotient, and the exact remainder x - q*y = (x - p) - err (Sterbenz makes
  // x - p exact) says on which side of q the quotient lies. Quotients of binary floating-point
  // numbers are never exactly halfway between two 53-bit numbers, so q plus a sticky bit on the
  // correct side determines the rounding at any precision up to 53 bits.
  let x = reinterpret<f64>(0x3ff0_0000_0000_0000 | ((ma >> 11) & F64_FRAC));
  let y = reinterpret<f64>(0x3ff0_0000_0000_0000 | ((uSig >> 11) & F64_FRAC));
  let q = x / y;
  let p = q * y;
  let err = twoProdErr(q, y, p);
  let d = x - p;
  let qb = reinterpret<u64>(q);
  let qsig = ((qb & F64_FRAC) | 0x0010_0000_0000_0000) << 11;
  if (d > err) qsig |= 1; // exact quotient above q
  else if (d < err) qsig -= 1; // below q
  let qexp = <i32>(qb >> 52) - 1023; // 0 or -1
  return normRoundPack(dbl, sign, xa - xb + qexp, qsig, rm);
}

/** sqrt(a) correctly rounded to the destination format; negative nonzero operands are invalid. */
export function sqrtG(a: u64, rm: u32, dbl: bool): u64 {
  let sign = <u32>(a >> 63);
  if (isNaN64(a)) {
    if (isSNaN64(a)) fpFlags |= FLAG_NV;
    return nanOf(dbl);
  }
  if ((a << 1) == 0) return zeroOf(dbl, sign); // sqrt(-0) = -0 (IEEE 754-2008 5.4.1)
  if (sign != 0) return invalid(dbl);
  if (a == F64_INF) return infOf(dbl, 0);
  unpack64(a);
  // Bring the value to x in [1, 4) with an even exponent, take the native root and fix the
  // direction with the exact residual x - s*s (as in divG; square roots are never midpoints).
  let e = uExp;
  let odd = e & 1;
  let x = reinterpret<f64>((<u64>(1023 + odd) << 52) | ((uSig >> 11) & F64_FRAC));
  let s = sqrt<f64>(x);
  let p = s * s;
  let err = twoProdErr(s, s, p);
  let d = x - p;
  let sbits = reinterpret<u64>(s);
  let ssig = ((sbits & F64_FRAC) | 0x0010_0000_0000_0000) << 11;
  if (d > err) ssig |= 1;
  else if (d < err) ssig -= 1;
  return normRoundPack(dbl, 0, (e - odd) >> 1, ssig, rm);
}

/** High half of the last shiftRightJam128 result. */
export let srHi: u64 = 0;

/** 128-bit right shift with sticky jamming into bit 0 (n >= 0); the high half goes to srHi. */
// @ts-ignore: decorator
@inline export function shiftRightJam128(hi: u64, lo: u64, n: i32): u64 {
  if (n <= 0) { srHi = hi; return lo; }
  if (n < 64) {
    srHi = hi >> <u64>n;
    return (lo >> <u64>n) | (hi << <u64>(64 - n)) | <u64>((lo << <u64>(64 - n)) != 0);
  }
  srHi = 0;
  if (n == 64) return hi | <u64>(lo != 0);
  if (n < 128) return shiftRightJam64(hi, n - 64) | <u64>(lo != 0);
  return <u64>((hi | lo) != 0);
}
