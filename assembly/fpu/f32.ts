// Binary32 arithmetic: FADD.S, FSUB.S, FMUL.S, FDIV.S, FSQRT.S (f-st-ext.adoc, "Single-Precision
// Floating-Point Computational Instructions").
//
// Fast paths compute in native f64, where binary32 operands are exact:
//   - products of two binary32 values are exact in binary64 (24 + 24 <= 53 bits);
//   - sums come out of Fast2Sum as an exact pair s + e;
//   - quotients and square roots are rounded twice (to 53 then 24 bits), which is innocuous
//     since 53 >= 2*24 + 2 (Figueroa, "When is double rounding innocuous?", 1995), and the
//     exact residual a - f*b (resp. a - f*f) is computable exactly in binary64.
// The exact sign of the rounding error then yields every rounding mode (native.ts). Results
// that might be tiny, overflow or be zero go to the format-generic software path (arith.ts).
import { F32_EXP, F32_SIGN } from "./round";
import { addG, mulG, divG, sqrtG, widen32 } from "./arith";
import { fastPaths, cmpF64, fixupRounding, roundSumToF32, demoteBits, promoteBits } from "./native";

/** True if the binary32 pattern is finite. */
// @ts-ignore: decorator
@inline function finite32(a: u32): bool { return (a & F32_EXP) != F32_EXP; }

/** True if the binary32 result bits are in the normal range with room for one ulp step (2^-125 <= |f| < 2^127). */
// @ts-ignore: decorator
@inline function safeResult32(fb: u32): bool { return ((fb >> 23) & 0xff) - 2 <= 0xfd - 2; }

/** FADD.S: a + b rounded under rm. */
export function f32Add(a: u32, b: u32, rm: u32): u32 {
  if (fastPaths && finite32(a) && finite32(b)) {
    let x = promoteBits(a);
    let y = promoteBits(b);
    let s = x + y;
    if (s != 0) {
      let big = x, small = y;
      if (abs<f64>(x) < abs<f64>(y)) { big = y; small = x; }
      let r = roundSumToF32(s, small - (s - big), rm);
      if (r >= 0) return <u32>r;
    }
  }
  return <u32>addG(widen32(a), widen32(b), rm, false);
}

/** FSUB.S: a - b rounded under rm. */
export function f32Sub(a: u32, b: u32, rm: u32): u32 {
  return f32Add(a, b ^ F32_SIGN, rm);
}

/** FMUL.S: a * b rounded under rm. */
export function f32Mul(a: u32, b: u32, rm: u32): u32 {
  if (fastPaths && finite32(a) && finite32(b)) {
    let p = promoteBits(a) * promoteBits(b); // exact
    if (p != 0) {
      let r = roundSumToF32(p, 0, rm);
      if (r >= 0) return <u32>r;
    }
  }
  return <u32>mulG(widen32(a), widen32(b), rm, false);
}

/** FDIV.S: a / b rounded under rm. */
export function f32Div(a: u32, b: u32, rm: u32): u32 {
  if (fastPaths && finite32(a) && finite32(b) && (a << 1) != 0 && (b << 1) != 0) {
    let x = promoteBits(a);
    let y = promoteBits(b);
    let fb = demoteBits(x / y); // correctly rounded to nearest (innocuous double rounding)
    if (safeResult32(fb)) {
      let f = promoteBits(fb);
      let r = cmpF64(x - f * y, 0); // f*y and the difference are exact in binary64
      return <u32>fixupRounding(<u64>fb, (fb >> 31) != 0, (b >> 31) != 0 ? -r : r, false, rm);
    }
  }
  return <u32>divG(widen32(a), widen32(b), rm, false);
}

/** FSQRT.S: sqrt(a) rounded under rm. */
export function f32Sqrt(a: u32, rm: u32): u32 {
  // positive, nonzero, finite: the root lies in [2^-75, 2^64), never tiny or overflowing
  if (fastPaths && a - 1 < 0x7f7f_ffff) {
    let x = promoteBits(a);
    let fb = demoteBits(sqrt<f64>(x));
    let f = promoteBits(fb);
    return <u32>fixupRounding(<u64>fb, false, cmpF64(x - f * f, 0), false, rm);
  }
  return <u32>sqrtG(widen32(a), rm, false);
}
