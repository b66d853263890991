// Fused multiply-add: FMADD/FMSUB/FNMSUB/FNMADD.S/.D (f-st-ext.adoc, "fused multiply-add").
//
// a*b + c is computed exactly in a 128-bit integer intermediate (the 106-bit product of two
// 53-bit significands plus the aligned addend, with everything shifted out jammed into a sticky
// bit) and rounded once. The four instruction variants only flip the signs of the product and
// of the addend (the RISC-V FNM* forms negate the product, not the sum).
import {
  fpFlags, FLAG_NV, RM_RDN, F64_SIGN, F64_EXP, F32_EXP, F32_SIGN,
  isNaN64, isSNaN64, unpack64, uExp, uSig, normRoundPack, zeroOf, infOf, nanOf, mul64x64, mulHi,
} from "./round";
import { widen32, shiftRightJam128, srHi } from "./arith";
import { fastPaths, roundSumToF32, promoteBits } from "./native";

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

/** Binary64 fused multiply-add variant `kind` (FMA_*): one rounding under rm. */
export function f64Fma(a: u64, b: u64, c: u64, rm: u32, kind: u32): u64 {
  let na = (kind & 1) != 0 ? a ^ F64_SIGN : a;
  let nc = (kind & 2) != 0 ? c ^ F64_SIGN : c;
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
