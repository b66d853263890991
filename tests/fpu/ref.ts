// Exact reference model of RISC-V F/D arithmetic for the FPU tests, written independently of
// assembly/fpu: every finite operand is decoded to an exact rational m * 2^e (BigInt), the exact
// result is formed as a BigInt fraction, and rounding is done by integer division — once with an
// unbounded exponent (for overflow and the after-rounding tininess test RISC-V requires) and once
// with the format's real exponent range.
//
// All bit patterns are BigInt (binary32 in the low 32 bits).

export interface Fmt { P: number; EMIN: number; EMAX: number; EBITS: number; W: number }
export const F64: Fmt = { P: 53, EMIN: -1022, EMAX: 1023, EBITS: 11, W: 64 };
export const F32: Fmt = { P: 24, EMIN: -126, EMAX: 127, EBITS: 8, W: 32 };

export const NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
export const RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;
export const RM_NAMES = ["RNE", "RTZ", "RDN", "RUP", "RMM"];

export interface Res { bits: bigint; flags: number }

export interface Dec {
  cls: "nan" | "inf" | "zero" | "fin";
  sign: number;
  snan: boolean;
  m: bigint; // |value| = m * 2^e for "fin"
  e: number;
}

const big = BigInt;

export function expField(f: Fmt): number { return (1 << f.EBITS) - 1; }
export function canonNaN(f: Fmt): bigint { return f.W === 64 ? 0x7ff8000000000000n : 0x7fc00000n; }
export function infBits(f: Fmt, sign: number): bigint {
  return (big(sign) << big(f.W - 1)) | (big(expField(f)) << big(f.P - 1));
}
export function zeroBits(f: Fmt, sign: number): bigint { return big(sign) << big(f.W - 1); }
export function maxFiniteBits(f: Fmt, sign: number): bigint {
  return (big(sign) << big(f.W - 1)) | (big(expField(f) - 1) << big(f.P - 1)) | ((1n << big(f.P - 1)) - 1n);
}

/** Decodes a bit pattern of format f. */
export function decode(f: Fmt, bits: bigint): Dec {
  const fb = big(f.P - 1);
  const sign = Number((bits >> big(f.W - 1)) & 1n);
  const ef = Number((bits >> fb) & big(expField(f)));
  const frac = bits & ((1n << fb) - 1n);
  if (ef === expField(f)) {
    if (frac === 0n) return { cls: "inf", sign, snan: false, m: 0n, e: 0 };
    return { cls: "nan", sign, snan: (frac >> (fb - 1n)) === 0n, m: 0n, e: 0 };
  }
  if (ef === 0) {
    if (frac === 0n) return { cls: "zero", sign, snan: false, m: 0n, e: 0 };
    return { cls: "fin", sign, snan: false, m: frac, e: f.EMIN - (f.P - 1) };
  }
  return { cls: "fin", sign, snan: false, m: frac | (1n << fb), e: ef - f.EMAX - (f.P - 1) };
}

function bitlen(x: bigint): number { return x === 0n ? 0 : x.toString(2).length; }

/** Rounds q + r/D (0 <= r < D) to an integer under rm for a value of the given sign. */
export function roundQuot(q: bigint, r: bigint, D: bigint, sign: number, rm: number): bigint {
  if (r === 0n) return q;
  const twice = 2n * r;
  switch (rm) {
    case RNE: return twice > D || (twice === D && (q & 1n) === 1n) ? q + 1n : q;
    case RTZ: return q;
    case RDN: return sign ? q + 1n : q;
    case RUP: return sign ? q : q + 1n;
    case RMM: return twice >= D ? q + 1n : q;
  }
  throw new Error("bad rm");
}

/** Rounds the exact positive value n/d * 2^k (n, d > 0) with the given sign to format f. */
export function roundRat(f: Fmt, sign: number, n: bigint, d: bigint, k: number, rm: number): Res {
  // E = floor(log2(value))
  let E = bitlen(n) - bitlen(d) + k;
  const t = k - E; // value >= 2^E  <=>  n * 2^t >= d
  const ge = t >= 0 ? (n << big(t)) >= d : n >= (d << big(-t));
  if (!ge) E--;
  const roundAt = (ex: number): { q: bigint; inexact: boolean } => {
    // value / 2^(ex - P + 1) = n * 2^s / d
    const s = k - (ex - f.P + 1);
    let N = n, D = d;
    if (s >= 0) N = n << big(s); else D = d << big(-s);
    const q = N / D, r = N % D;
    return { q: roundQuot(q, r, D, sign, rm), inexact: r !== 0n };
  };
  const full = 1n << big(f.P);
  // tininess after rounding: round to P bits with unbounded exponent, compare with 2^EMIN
  const u = roundAt(E);
  const Eu = u.q === full ? E + 1 : E;
  const tiny = Eu < f.EMIN;
  let Eb = Math.max(E, f.EMIN);
  const b = roundAt(Eb);
  let q = b.q;
  if (q === full) { q >>= 1n; Eb++; }
  const signBit = big(sign) << big(f.W - 1);
  if (Eb > f.EMAX) {
    const toMax = rm === RTZ || (rm === RDN && !sign) || (rm === RUP && sign === 1);
    return { bits: toMax ? maxFiniteBits(f, sign) : infBits(f, sign), flags: OF | NX };
  }
  let flags = 0;
  if (b.inexact) { flags |= NX; if (tiny) flags |= UF; }
  const hidden = 1n << big(f.P - 1);
  if (q < hidden) return { bits: signBit | q, flags }; // subnormal or zero (Eb == EMIN)
  return { bits: signBit | (big(Eb + f.EMAX) << big(f.P - 1)) | (q - hidden), flags };
}

/** Rounds an exact dyadic (signed numerator N times 2^e); zero results take zeroSign. */
function roundDyadic(f: Fmt, N: bigint, e: number, rm: number, zeroSign: number): Res {
  if (N === 0n) return { bits: zeroBits(f, zeroSign), flags: 0 };
  return N < 0n ? roundRat(f, 1, -N, 1n, e, rm) : roundRat(f, 0, N, 1n, e, rm);
}

function nanRes(f: Fmt, ...ops: Dec[]): Res {
  return { bits: canonNaN(f), flags: ops.some((o) => o.snan) ? NV : 0 };
}
const invalid = (f: Fmt): Res => ({ bits: canonNaN(f), flags: NV });
const signedM = (x: Dec): bigint => (x.sign ? -x.m : x.m);

/** IEEE 754-2008 6.3: sign of an exact zero sum of operands with signs s1, s2. */
function zeroSumSign(s1: number, s2: number, rm: number): number {
  return s1 === s2 ? s1 : rm === RDN ? 1 : 0;
}

export function refAdd(f: Fmt, a: bigint, b: bigint, rm: number): Res {
  const A = decode(f, a), B = decode(f, b);
  if (A.cls === "nan" || B.cls === "nan") return nanRes(f, A, B);
  if (A.cls === "inf" && B.cls === "inf") return A.sign === B.sign ? { bits: infBits(f, A.sign), flags: 0 } : invalid(f);
  if (A.cls === "inf") return { bits: infBits(f, A.sign), flags: 0 };
  if (B.cls === "inf") return { bits: infBits(f, B.sign), flags: 0 };
  const e = Math.min(A.cls === "fin" ? A.e : 99999, B.cls === "fin" ? B.e : 99999, 0);
  const N = (signedM(A) << big(A.e - e)) + (signedM(B) << big(B.e - e));
  return roundDyadic(f, N, e, rm, zeroSumSign(A.sign, B.sign, rm));
}

export function refSub(f: Fmt, a: bigint, b: bigint, rm: number): Res {
  return refAdd(f, a, b ^ (1n << big(f.W - 1)), rm);
}

export function refMul(f: Fmt, a: bigint, b: bigint, rm: number): Res {
  const A = decode(f, a), B = decode(f, b);
  const sign = A.sign ^ B.sign;
  if (A.cls === "nan" || B.cls === "nan") return nanRes(f, A, B);
  if ((A.cls === "inf" && B.cls === "zero") || (A.cls === "zero" && B.cls === "inf")) return invalid(f);
  if (A.cls === "inf" || B.cls === "inf") return { bits: infBits(f, sign), flags: 0 };
  if (A.cls === "zero" || B.cls === "zero") return { bits: zeroBits(f, sign), flags: 0 };
  return roundRat(f, sign, A.m * B.m, 1n, A.e + B.e, rm);
}

export function refDiv(f: Fmt, a: bigint, b: bigint, rm: number): Res {
  const A = decode(f, a), B = decode(f, b);
  const sign = A.sign ^ B.sign;
  if (A.cls === "nan" || B.cls === "nan") return nanRes(f, A, B);
  if (A.cls === "inf" && B.cls === "inf") return invalid(f);
  if (A.cls === "zero" && B.cls === "zero") return invalid(f);
  if (A.cls === "inf") return { bits: infBits(f, sign), flags: 0 };
  if (B.cls === "inf") return { bits: zeroBits(f, sign), flags: 0 };
  if (B.cls === "zero") return { bits: infBits(f, sign), flags: DZ };
  if (A.cls === "zero") return { bits: zeroBits(f, sign), flags: 0 };
  return roundRat(f, sign, A.m, B.m, A.e - B.e, rm);
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << big(Math.ceil(bitlen(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function refSqrt(f: Fmt, a: bigint, rm: number): Res {
  const A = decode(f, a);
  if (A.cls === "nan") return nanRes(f, A);
  if (A.cls === "zero") return { bits: a, flags: 0 };
  if (A.sign) return invalid(f);
  if (A.cls === "inf") return { bits: a, flags: 0 };
  let m = A.m, e = A.e;
  if (e & 1) { m <<= 1n; e -= 1; }
  // sqrt(m * 2^e) = sqrt(m * 2^(2t)) * 2^(e/2 - t); R = floor of the first factor
  const t = f.P + 16;
  const M = m << big(2 * t);
  const R = isqrt(M);
  if (R * R === M) return roundRat(f, 0, R, 1n, e / 2 - t, rm);
  // strictly between R and R+1: (2R+1)/2 has the same position w.r.t. every rounding boundary
  return roundRat(f, 0, 2n * R + 1n, 1n, e / 2 - t - 1, rm);
}

/** Fused multiply-add; kind bit 0 negates the product, bit 1 negates the addend (RISC-V FMA variants). */
export function refFma(f: Fmt, a: bigint, b: bigint, c: bigint, rm: number, kind: number): Res {
  const signMask = 1n << big(f.W - 1);
  const A = decode(f, kind & 1 ? a ^ signMask : a);
  const B = decode(f, b);
  const C = decode(f, kind & 2 ? c ^ signMask : c);
  const infTimesZero = (A.cls === "inf" && B.cls === "zero") || (A.cls === "zero" && B.cls === "inf");
  if (A.cls === "nan" || B.cls === "nan" || C.cls === "nan") {
    const r = nanRes(f, A, B, C);
    if (infTimesZero) r.flags |= NV; // RISC-V: NV for inf*0 even with a quiet NaN addend
    return r;
  }
  if (infTimesZero) return invalid(f);
  const sp = A.sign ^ B.sign;
  if (A.cls === "inf" || B.cls === "inf") {
    if (C.cls === "inf" && C.sign !== sp) return invalid(f);
    return { bits: infBits(f, sp), flags: 0 };
  }
  if (C.cls === "inf") return { bits: infBits(f, C.sign), flags: 0 };
  const pm = A.m * B.m, pe = A.e + B.e;
  const e = Math.min(pe, C.e, 0);
  const N = ((sp ? -pm : pm) << big(pe - e)) + (signedM(C) << big(C.e - e));
  return roundDyadic(f, N, e, rm, zeroSumSign(sp, C.sign, rm));
}

/** Float to integer (kind 0 W, 1 WU, 2 L, 3 LU); returns the 64-bit register value. */
export function refToInt(f: Fmt, a: bigint, rm: number, kind: number): Res {
  const A = decode(f, a);
  const signed = (kind & 1) === 0;
  const n = kind >= 2 ? 64 : 32;
  const maxPos = signed ? (1n << big(n - 1)) - 1n : (1n << big(n)) - 1n;
  const minNeg = signed ? -(1n << big(n - 1)) : 0n;
  const out = (v: bigint, flags: number): Res => ({
    bits: BigInt.asUintN(64, n === 32 ? BigInt.asIntN(32, v) : v), flags,
  });
  if (A.cls === "nan") return out(maxPos, NV);
  if (A.cls === "inf") return out(A.sign ? minNeg : maxPos, NV);
  if (A.cls === "zero") return out(0n, 0);
  let q: bigint, r = 0n, D = 1n;
  if (A.e >= 0) q = A.m << big(A.e);
  else { D = 1n << big(-A.e); q = A.m / D; r = A.m % D; }
  q = roundQuot(q, r, D, A.sign, rm);
  const v = A.sign ? -q : q;
  if (v > maxPos) return out(maxPos, NV);
  if (v < minNeg) return out(minNeg, NV);
  return out(v, r !== 0n ? NX : 0);
}

/** Integer register value (kind 0 W, 1 WU, 2 L, 3 LU) to float. */
export function refFromInt(f: Fmt, x: bigint, kind: number, rm: number): Res {
  let v: bigint;
  if (kind === 0) v = BigInt.asIntN(32, x);
  else if (kind === 1) v = BigInt.asUintN(32, x);
  else if (kind === 2) v = BigInt.asIntN(64, x);
  else v = BigInt.asUintN(64, x);
  return roundDyadic(f, v, 0, rm, 0);
}

export function refF64ToF32(a: bigint, rm: number): Res {
  const A = decode(F64, a);
  if (A.cls === "nan") return nanRes(F32, A);
  if (A.cls === "inf") return { bits: infBits(F32, A.sign), flags: 0 };
  if (A.cls === "zero") return { bits: zeroBits(F32, A.sign), flags: 0 };
  return roundRat(F32, A.sign, A.m, 1n, A.e, rm);
}

export function refF32ToF64(a: bigint): Res {
  const A = decode(F32, a);
  if (A.cls === "nan") return nanRes(F64, A);
  if (A.cls === "inf") return { bits: infBits(F64, A.sign), flags: 0 };
  if (A.cls === "zero") return { bits: zeroBits(F64, A.sign), flags: 0 };
  return roundRat(F64, A.sign, A.m, 1n, A.e, RNE); // exact
}

/** Exact value as a JS number-comparable rational key (for compare/min/max): returns [num, exp]. */
function cmpDec(A: Dec, B: Dec): number {
  // -1, 0, 1 comparing non-NaN values (-0 == +0)
  const val = (x: Dec): [bigint, number] => (x.cls === "zero" ? [0n, 0] : [signedM(x), x.e]);
  if (A.cls === "inf" || B.cls === "inf") {
    const ia = A.cls === "inf" ? (A.sign ? -1 : 1) : 0;
    const ib = B.cls === "inf" ? (B.sign ? -1 : 1) : 0;
    return Math.sign(ia - ib);
  }
  const [na, ea] = val(A), [nb, eb] = val(B);
  const e = Math.min(ea, eb);
  const x = na << big(ea - e), y = nb << big(eb - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** FEQ/FLT/FLE (kind 0/1/2). */
export function refCmp(f: Fmt, a: bigint, b: bigint, kind: number): Res {
  const A = decode(f, a), B = decode(f, b);
  if (A.cls === "nan" || B.cls === "nan") {
    const nv = kind !== 0 || A.snan || B.snan;
    return { bits: 0n, flags: nv ? NV : 0 };
  }
  const c = cmpDec(A, B);
  const r = kind === 0 ? c === 0 : kind === 1 ? c < 0 : c <= 0;
  return { bits: r ? 1n : 0n, flags: 0 };
}

/** FMIN/FMAX (minimumNumber/maximumNumber with -0 < +0). */
export function refMinMax(f: Fmt, a: bigint, b: bigint, isMax: boolean): Res {
  const A = decode(f, a), B = decode(f, b);
  const flags = A.snan || B.snan ? NV : 0;
  if (A.cls === "nan" && B.cls === "nan") return { bits: canonNaN(f), flags };
  if (A.cls === "nan") return { bits: b, flags };
  if (B.cls === "nan") return { bits: a, flags };
  let c = cmpDec(A, B);
  if (c === 0 && A.cls === "zero" && B.cls === "zero") c = B.sign - A.sign; // -0 < +0
  const pickA = isMax ? c >= 0 : c <= 0;
  return { bits: pickA ? a : b, flags };
}

/** FCLASS. */
export function refClass(f: Fmt, a: bigint): number {
  const A = decode(f, a);
  const subnormal = A.cls === "fin" && ((a >> big(f.P - 1)) & big(expField(f))) === 0n;
  switch (A.cls) {
    case "inf": return A.sign ? 1 << 0 : 1 << 7;
    case "zero": return A.sign ? 1 << 3 : 1 << 4;
    case "nan": return A.snan ? 1 << 8 : 1 << 9;
    default:
      if (subnormal) return A.sign ? 1 << 2 : 1 << 5;
      return A.sign ? 1 << 1 : 1 << 6;
  }
}
