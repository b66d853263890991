// Fused multiply-add: FMADD/FMSUB/FNMSUB/FNMADD.S/.D (f-st-ext.adoc, "fused multiply-add").
//
// a*b + c is computed exactly in a 128-bit integer intermediate (the 106-bit product of two
// 53-bit significands plus the aligned addend, with everything shifted out jammed into a sticky
// bit) and rounded once. The four instruction variants only flip the signs of the product and
// of the addend (the RISC-V FNM* forms negate the product, not the sum).
// Fast paths: binary32 computes the exact product in native f64 and rounds the Fast2Sum pair
// once (native.ts roundSumToF32); binary64 uses a chain of error-free transformations
// (fma64Fast) and falls back to the integer path whenever its proof conditions do not hold.
import {
  fpFlags, FLAG_NV, RM_RDN, F64_SIGN, F64_EXP, F32_EXP, F32_SIGN,
  isNaN64, isSNaN64, unpack64, uExp, uSig, normRoundPack, zeroOf, infOf, nanOf, mul64x64, mulHi,
} from "./round";
import { widen32, shiftRightJam128, srHi } from "./arith";
import {
  fastPaths, roundSumToF32, promoteBits, twoProdErr, cmpF64, fixupRounding, SAFE_LO, SAFE_SPAN,
} from "./native";

/** True if the binary64 pattern is ±infinity. */
// @ts-ignore: decorator
@inline function isInf64(a: u64): bool { return (a << 1) == (F64_EXP << 1); }

/** True if the binary64 pattern is ±0. */
// @ts-ignore: decorator
@inline function isZero64(a: u64): bool { return (a << 1) == 0; }

/** a*b + c with one rounding into the destination format (binary64 if dbl, else binary32); operands are binary64 patterns. */
export function fmaG(a: u64, b: u64, c: u64, rm: u32, dbl: bool): u64 {
  if (isNaN64(a) || isNaN64(b) || isNaN64(c)) {
    // f-st-ext.adoc: FMA must raise NV for inf * 0 even when the addend is a quiet NaN
    if (isSNaN64(a) || isSNaN64(b) || isSNaN64(c) ||
        (isInf64(a) && isZero64(b)) || (isZero64(a) && isInf64(b))) fpFlags |= FLAG_NV;
    return nanOf(dbl);
  }
  let sp = <u32>((a ^ b) >> 63);
  let sc = <u32>(c >> 63);
  let aZero = isZero64(a), bZero = isZero64(b), cZero = isZero64(c);
  if (isInf64(a) || isInf64(b)) {
    if (aZero || bZero || (isInf64(c) && sc != sp)) { // inf * 0, or inf - inf (IEEE 7.2)
      fpFlags |= FLAG_NV;
      return nanOf(dbl);
    }
    return infOf(dbl, sp);
  }
  if (isInf64(c)) return infOf(dbl, sc);
  if (aZero || bZero) {
    // exact zero product: the result is c exactly, or a signed zero (IEEE 754-2008 6.3)
    if (cZero) return zeroOf(dbl, sp == sc ? sp : <u32>(rm == RM_RDN));
    unpack64(c);
    return normRoundPack(dbl, sc, uExp, uSig, rm);
  }
  unpack64(a);
  let xa = uExp;
  let ma = uSig;
  unpack64(b);
  let lo = mul64x64(ma, uSig);
  let hi = mulHi;
  // product = (hi:lo) * 2^(pe - 127), hi >= 2^62
  let pe = xa + uExp + 1;
  if (cZero) return normRoundPack(dbl, sp, pe, hi | <u64>(lo != 0), rm); // x*y + 0 rounds the product
  if ((hi >> 63) == 0) { // normalize the product to bit 127
    hi = (hi << 1) | (lo >> 63);
    lo <<= 1;
    pe -= 1;
  }
  unpack64(c);
  let chi = uSig;
  let ce = uExp; // addend = (chi:0) * 2^(ce - 127)
  // Both are normalized at bit 127, so (exponent, significand) order is magnitude order.
  let prodBig = pe > ce || (pe == ce && (hi > chi || (hi == chi && lo != 0)));
  let bHi: u64, bLo: u64, sHi: u64, sLo: u64, bE: i32, sE: i32, sign: u32;
  if (prodBig) {
    bHi = hi; bLo = lo; bE = pe; sign = sp;
    sHi = chi; sLo = 0; sE = ce;
  } else {
    bHi = chi; bLo = 0; bE = ce; sign = sc;
    sHi = hi; sLo = lo; sE = pe;
  }
  // One bit of headroom (exact: both significands have at least 22 zero low bits), then align
  // the smaller operand with jamming. The jammed bit 0 stays below every rounding position:
  // bits are lost only when the exponent gap exceeds the operand width, and then the larger
  // operand dominates so the result cancels by at most one bit.
  bLo = (bLo >> 1) | (bHi << 63);
  bHi >>= 1;
  sLo = shiftRightJam128(sHi, sLo, bE - sE + 1);
  sHi = srHi;
  let e = bE + 1; // value = (rHi:rLo) * 2^(e - 127)
  let rHi: u64, rLo: u64;
  if (sp == sc) {
    rLo = bLo + sLo;
    rHi = bHi + sHi + <u64>(rLo < bLo);
  } else {
    rLo = bLo - sLo;
    rHi = bHi - sHi - <u64>(bLo < sLo);
    if ((rHi | rLo) == 0) return zeroOf(dbl, <u32>(rm == RM_RDN)); // exact cancellation (IEEE 6.3)
  }
  // collapse the 128-bit magnitude to a normalized 64-bit significand plus sticky bit
  let sig: u64;
  if (rHi != 0) {
    let lz = <i32>clz<u64>(rHi);
    if (lz != 0) {
      rHi = (rHi << <u64>lz) | (rLo >> <u64>(64 - lz));
      rLo <<= <u64>lz;
    }
    sig = rHi | <u64>(rLo != 0);
    e -= lz;
  } else {
    let lz = <i32>clz<u64>(rLo);
    sig = rLo << <u64>lz;
    e -= 64 + lz;
  }
  return normRoundPack(dbl, sign, e, sig, rm);
}

/** Sign-flip masks for the four FMA variants (bit 0: negate product, bit 1: negate addend). */
export const FMA_MADD: u32 = 0; // a*b + c
export const FMA_MSUB: u32 = 2; // a*b - c
export const FMA_NMSUB: u32 = 1; // -(a*b) + c
export const FMA_NMADD: u32 = 3; // -(a*b) - c

/** Returned by fma64Fast when the fast path does not apply (a NaN pattern it never produces). */
const NOT_TAKEN: u64 = 0xffff_ffff_ffff_ffff;

/** Exponent field of a binary64 pattern, with subnormals/zero counted as 1 (same ulp as field 1). */
// @ts-ignore: decorator
@inline function ulpField(x: f64): i32 {
  let e = <i32>(reinterpret<u64>(x) >> 52) & 0x7ff;
  return e == 0 ? 1 : e;
}

/**
 * Native fast path for binary64 a*b + c, or NOT_TAKEN. Error-free transformations give
 *   a*b = p + e (Dekker), p + c = s + t, t + e = v + q, s + v = r + w   (Fast2Sum, all exact)
 * so the exact value is X = r + w + q with r = RN(s + v). When ulp(v) <= ulp(s) and
 * ulp(v) <= ulp(r)/4, every rounding boundary near r (neighbour midpoints) and s + v lie on the
 * ulp(v) grid while |q| <= ulp(v)/2, so q can change the rounding only if s + v is exactly a
 * midpoint; otherwise RN(X) = r and sign(X - r) = sign(w), or sign(q) when w = 0. Operand ranges
 * keep Dekker's product exact and the sums finite; r in [2^-1021, 2^1022) keeps X away from the
 * underflow and overflow thresholds (so only NX can arise) and keeps one-ulp steps normal.
 */
function fma64Fast(a: u64, b: u64, c: u64, rm: u32): u64 {
  if ((<u32>(a >> 52) & 0x7ff) - SAFE_LO > SAFE_SPAN || (<u32>(b >> 52) & 0x7ff) - SAFE_LO > SAFE_SPAN ||
      (<u32>(c >> 52) & 0x7ff) > 0x7fc) return NOT_TAKEN;
  let x = reinterpret<f64>(a);
  let y = reinterpret<f64>(b);
  let z = reinterpret<f64>(c);
  let p = x * y;
  let e = twoProdErr(x, y, p);
  let s = p + z;
  let t = abs<f64>(p) >= abs<f64>(z) ? z - (s - p) : p - (s - z);
  let v = t + e;
  let q = abs<f64>(t) >= abs<f64>(e) ? e - (v - t) : t - (v - e);
  let r = s + v;
  let w = abs<f64>(s) >= abs<f64>(v) ? v - (r - s) : s - (r - v);
  let rb = reinterpret<u64>(r);
  let er = <i32>(rb >> 52) & 0x7ff;
  if (er < 2 || er > 0x7fd) return NOT_TAKEN;
  if (v != 0) {
    let ev = ulpField(v);
    if (ev > er - 2 || ev > ulpField(s)) return NOT_TAKEN; // cancellation: software path
  }
  let neg = (rb >> 63) != 0;
  let dir: i32;
  let tie = false;
  if (w == 0) {
    dir = cmpF64(q, 0);
  } else {
    let dw = cmpF64(w, 0);
    let nb = (dw > 0) != neg ? rb + 1 : rb - 1; // neighbour of r on w's side
    if (abs<f64>(w) * 2 == abs<f64>(reinterpret<f64>(nb) - r)) {
      // s + v is exactly the midpoint between r and nb: q decides
      let dq = cmpF64(q, 0);
      if (dq == 0) {
        dir = dw;
        tie = true;
      } else if (dq == dw) {
        rb = nb; // X lies beyond the midpoint: nb is nearest, X is back towards r
        dir = -dw;
      } else {
        dir = dw;
      }
    } else {
      dir = dw;
    }
  }
  return fixupRounding(rb, neg, dir, tie, rm);
}

/** Binary64 fused multiply-add variant `kind` (FMA_*): one rounding under rm. */
export function f64Fma(a: u64, b: u64, c: u64, rm: u32, kind: u32): u64 {
  let na = (kind & 1) != 0 ? a ^ F64_SIGN : a;
  let nc = (kind & 2) != 0 ? c ^ F64_SIGN : c;
  if (fastPaths) {
    let r = fma64Fast(na, b, nc, rm);
    if (r != NOT_TAKEN) return r;
  }
  return fmaG(na, b, nc, rm, true);
}

/** Binary32 fused multiply-add variant `kind` (FMA_*): one rounding under rm. */
export function f32Fma(a: u32, b: u32, c: u32, rm: u32, kind: u32): u32 {
  let na = (kind & 1) != 0 ? a ^ F32_SIGN : a;
  let nc = (kind & 2) != 0 ? c ^ F32_SIGN : c;
  if (fastPaths && (a & F32_EXP) != F32_EXP && (b & F32_EXP) != F32_EXP && (c & F32_EXP) != F32_EXP) {
    // binary32 products are exact in binary64; Fast2Sum then gives product + addend = s + e
    let p = promoteBits(na) * promoteBits(b);
    let z = promoteBits(nc);
    let s = p + z;
    if (s != 0) {
      let big = p, small = z;
      if (abs<f64>(p) < abs<f64>(z)) { big = z; small = p; }
      let r = roundSumToF32(s, small - (s - big), rm);
      if (r >= 0) return <u32>r;
    }
  }
  return <u32>fmaG(widen32(na), widen32(b), widen32(nc), rm, false);
}
