// Binary64 arithmetic: FADD.D, FSUB.D, FMUL.D, FDIV.D, FSQRT.D (d-st-ext.adoc, "Double-Precision
// Floating-Point Computational Instructions").
//
// Each operation first tries an exact native fast path: the wasm f64 operation gives the
// round-to-nearest-even result, an error-free transformation (native.ts) gives the exact sign
// of the rounding error, and fixupRounding() converts that into any rounding mode and the NX
// flag. The fast paths are taken only when operand exponents guarantee that no intermediate
// overflows or underflows and the result is far from the overflow and underflow thresholds
// (so OF/UF cannot occur); everything else goes to the software paths in arith.ts.
import { F64_SIGN, RM_RMM } from "./round";
import { addG, mulG, divG, sqrtG } from "./arith";
import { fastPaths, twoProdErr, cmpF64, fixupRounding, halfUlp64, SAFE_LO, SAFE_SPAN } from "./native";


/** FADD.D: a + b rounded under rm. */
export function f64Add(a: u64, b: u64, rm: u32): u64 {
  let ea = <u32>(a >> 52) & 0x7ff;
  let eb = <u32>(b >> 52) & 0x7ff;
  // |a|, |b| < 2^1022 (zeros and subnormals included): the sum cannot overflow and one ulp
  // step of the result stays finite; sums are never inexact in the subnormal range.
  if (fastPaths && ea <= 0x7fc && eb <= 0x7fc) {
    let x = reinterpret<f64>(a);
    let y = reinterpret<f64>(b);
    let s = x + y;
    if (s != 0) { // zero sums need the IEEE 6.3 sign rules for RDN: software path
      let big = x, small = y;
      if (abs<f64>(x) < abs<f64>(y)) { big = y; small = x; }
      let e = small - (s - big); // Fast2Sum: x + y == s + e exactly
      let sb = reinterpret<u64>(s);
      let tie = rm == RM_RMM && abs<f64>(e) == halfUlp64(sb);
      return fixupRounding(sb, (sb >> 63) != 0, cmpF64(e, 0), tie, rm);
    }
  }
  return addG(a, b, rm, true);
}

/** FSUB.D: a - b rounded under rm. */
export function f64Sub(a: u64, b: u64, rm: u32): u64 {
  return f64Add(a, b ^ F64_SIGN, rm); // NaN results are canonical, so flipping a NaN's sign is harmless
}

/** FMUL.D: a * b rounded under rm. */
export function f64Mul(a: u64, b: u64, rm: u32): u64 {
  let ea = <u32>(a >> 52) & 0x7ff;
  let eb = <u32>(b >> 52) & 0x7ff;
  if (fastPaths && ea - SAFE_LO <= SAFE_SPAN && eb - SAFE_LO <= SAFE_SPAN) {
    let x = reinterpret<f64>(a);
    let y = reinterpret<f64>(b);
    let p = x * y;
    let err = twoProdErr(x, y, p); // x * y == p + err exactly
    let pb = reinterpret<u64>(p);
    let tie = rm == RM_RMM && abs<f64>(err) == halfUlp64(pb);
    return fixupRounding(pb, (pb >> 63) != 0, cmpF64(err, 0), tie, rm);
  }
  return mulG(a, b, rm, true);
}

/** FDIV.D: a / b rounded under rm (DZ for finite nonzero / 0). */
export function f64Div(a: u64, b: u64, rm: u32): u64 {
  let ea = <u32>(a >> 52) & 0x7ff;
  let eb = <u32>(b >> 52) & 0x7ff;
  if (fastPaths && ea - SAFE_LO <= SAFE_SPAN && eb - SAFE_LO <= SAFE_SPAN) {
    let x = reinterpret<f64>(a);
    let y = reinterpret<f64>(b);
    let q = x / y;
    let qb = reinterpret<u64>(q);
    if ((<u32>(qb >> 52) & 0x7ff) - SAFE_LO <= SAFE_SPAN) {
      // remainder x - q*y == (x - p) - err exactly (x - p is exact by Sterbenz's lemma);
      // its sign times sign(y) is the sign of (x/y - q). No quotient is ever a tie.
      let p = q * y;
      let err = twoProdErr(q, y, p);
      let r = cmpF64(x - p, err);
      return fixupRounding(qb, (qb >> 63) != 0, (b >> 63) != 0 ? -r : r, false, rm);
    }
  }
  return divG(a, b, rm, true);
}

/** FSQRT.D: sqrt(a) rounded under rm (NV and canonical NaN for negative nonzero a). */
export function f64Sqrt(a: u64, rm: u32): u64 {
  let ea = <u32>(a >> 52) & 0x7ff;
  // positive with unbiased exponent in [-900, 900]: the root is in [2^-450, 2^451)
  if (fastPaths && (a >> 63) == 0 && ea - (1023 - 900) <= 1800) {
    let x = reinterpret<f64>(a);
    let s = sqrt<f64>(x);
    let p = s * s;
    let err = twoProdErr(s, s, p);
    return fixupRounding(reinterpret<u64>(s), false, cmpF64(x - p, err), false, rm);
  }
  return sqrtG(a, rm, true);
}
