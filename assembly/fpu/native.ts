// Exact error-free transformations on native wasm f64 arithmetic, used by the fast paths and by
// division and square root.
//
// WebAssembly's f64/f32 operations are IEEE 754-2008 operations rounded to nearest, ties to
// even (the only mode wasm has). A round-to-nearest result r of an operation whose exact value is
// X can be turned into the correctly rounded result for any RISC-V rounding mode once we know the
// sign of X - r exactly (and, for RMM, whether X lies exactly halfway between r and a neighbour):
// the directed result is then r or its neighbour one ulp away (IEEE 754-2008 4.3). The helpers
// below obtain that sign exactly:
//   - Fast2Sum (Dekker 1971): for |a| >= |b| and no overflow, s = RN(a+b), e = b - (s - a)
//     gives a + b = s + e exactly.
//   - Dekker's product with Veltkamp splitting: for operands whose exponents keep every partial
//     product inside the normal range, x*y = RN(x*y) + err exactly.
// Every caller guards its operand range so that these preconditions hold, and falls back to
// the integer software path otherwise.
import { fpFlags, FLAG_NX, RM_RNE, RM_RTZ, RM_RDN, RM_RUP } from "./round";

/** Lowest biased binary64 exponent of a "safe" Dekker operand (unbiased -450). */
export const SAFE_LO: u32 = 1023 - 450;
/** Span of safe biased exponents: unsigned (e - SAFE_LO) <= SAFE_SPAN means unbiased -450..450, so that
 * products, quotients and their Dekker error terms stay well inside the normal range. */
export const SAFE_SPAN: u32 = 900;

/** Error of the rounded product p = RN(x*y): returns x*y - p exactly (Dekker), for safe ranges. */
// @ts-ignore: decorator
@inline export function twoProdErr(x: f64, y: f64, p: f64): f64 {
  // Veltkamp split with C = 2^27 + 1: x = hx + lx with hx, lx of at most 26 bits each.
  const C: f64 = 134217729.0;
  let cx = C * x;
  let hx = cx - (cx - x);
  let lx = x - hx;
  let cy = C * y;
  let hy = cy - (cy - y);
  let ly = y - hy;
  return (((hx * hy - p) + hx * ly) + lx * hy) + lx * ly;
}

/** Sign (-1, 0, +1) of a - b for non-NaN f64 values. */
// @ts-ignore: decorator
@inline export function cmpF64(a: f64, b: f64): i32 {
  return <i32>(a > b) - <i32>(a < b);
}

/**
 * Turns the round-to-nearest-even result `rb` (bit pattern of a finite nonzero value of either
 * format, sign in bit `signPos`) into the result for mode rm, given dir = sign(exact - r) and
 * whether the exact value is a tie; raises NX when inexact. Callers guarantee that one step
 * towards or away from zero stays finite and normal.
 */
// @ts-ignore: decorator
@inline export function fixupRounding(rb: u64, neg: bool, dir: i32, tie: bool, rm: u32): u64 {
  if (dir == 0) return rb;
  fpFlags |= FLAG_NX;
  // `away`: the exact value is larger in magnitude than r, so the other candidate is one ulp
  // further from zero (rb + 1); otherwise it is one ulp closer to zero (rb - 1).
  let away = (dir > 0) != neg;
  if (rm == RM_RNE) return rb;
  if (rm == RM_RTZ) return away ? rb : rb - 1;
  if (rm == RM_RDN) return neg ? (away ? rb + 1 : rb) : (away ? rb : rb - 1);
  if (rm == RM_RUP) return neg ? (away ? rb : rb - 1) : (away ? rb + 1 : rb);
  // RMM differs from RNE only on ties that RNE resolved towards zero
  return tie && away ? rb + 1 : rb;
}

/** Binary32 bits of the f64 value x rounded to nearest even (wasm f32.demote_f64). */
// @ts-ignore: decorator
@inline export function demoteBits(x: f64): u32 { return reinterpret<u32>(<f32>x); }

/** Exact f64 value of binary32 bits (wasm f64.promote_f32; exact for non-NaN inputs). */
// @ts-ignore: decorator
@inline export function promoteBits(a: u32): f64 { return <f64>reinterpret<f32>(a); }

/**
 * Correctly rounds the exact value s + e (s = RN64(s + e), so |e| <= ulp(s)/2) to binary32 under
 * rm. Returns the binary32 bits, or -1 when the result might be tiny, overflow or be zero (the
 * caller then takes the software path). Raises NX when inexact.
 */
export function roundSumToF32(s: f64, e: f64, rm: u32): i64 {
  let sb = reinterpret<u64>(s);
  let se = <u32>(sb >> 52) & 0x7ff;
  // 2^-125 <= |s| < 2^127: the exact value is neither tiny nor can it round past F32_MAX,
  // and one ulp step either way stays in the binary32 normal range.
  if (se < 1023 - 125 || se >= 1023 + 127) return -1;
  let fb = demoteBits(s);
  let f = promoteBits(fb);
  let d = s - f; // exact: s and f agree to within one binary32 ulp
  let neg = (fb >> 31) != 0;
  let dir: i32;
  let tie = false;
  if (d == 0) {
    dir = cmpF64(e, 0);
  } else {
    // f32 neighbour of f on the side of s, and the gap to it
    let awayD = (d > 0) != neg;
    let nb = awayD ? fb + 1 : fb - 1;
    let gap = abs<f64>(promoteBits(nb) - f); // exact (power-of-two multiple of an ulp)
    let twiceD = abs<f64>(d) * 2;
    if (twiceD == gap) {
      // s is exactly halfway between f and nb; demotion chose the even one. The true value
      // s + e decides: beyond the midpoint (e on d's side) means nb is nearest.
      let de = cmpF64(e, 0);
      let dd = cmpF64(d, 0);
      if (de == 0) {
        dir = dd;
        tie = true;
      } else if (de == dd) {
        fb = nb;
        dir = -dd; // exact value lies between the midpoint and nb
      } else {
        dir = dd;
      }
    } else {
      // |d| >= ulp64(s) > |e| unless d == 0, so d alone gives the direction
      dir = cmpF64(d, 0);
    }
  }
  return <i64>fixupRounding(<u64>fb, neg, dir, tie, rm);
}

/** When false, every operation takes the integer software path (used by tests to cross-check). */
export let fastPaths: bool = true;

/** Enables or disables the native fast paths. */
export function setFastPaths(on: bool): void { fastPaths = on; }

/** Half an ulp of the normal f64 value with bit pattern rb (exact; rb's exponent field >= 2). */
// @ts-ignore: decorator
@inline export function halfUlp64(rb: u64): f64 {
  return reinterpret<f64>(rb & 0x7ff0_0000_0000_0000) * 1.1102230246251565e-16; // * 2^-53
}
