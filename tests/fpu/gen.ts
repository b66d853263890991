// Deterministic operand generators for the FPU tests: random bit patterns plus structured values
// that concentrate on the hard cases (subnormals, the overflow/underflow thresholds, significands
// with long runs of zeros or ones that put exact results on or next to rounding boundaries).
import { Fmt, expField, refMul, RNE } from "./ref";

const big = BigInt;

/** mulberry32: small, fast, seedable PRNG. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number { return Math.floor((this.u32() / 4294967296) * n); }
  bit(): number { return this.u32() & 1; }
  bits(n: number): bigint {
    let r = 0n;
    for (let i = 0; i < n; i += 32) r = (r << 32n) | big(this.u32());
    return r & ((1n << big(n)) - 1n);
  }
  pick<T>(xs: T[]): T { return xs[this.int(xs.length)]; }
}

export function pack(f: Fmt, sign: number, expF: number, frac: bigint): bigint {
  return (big(sign) << big(f.W - 1)) | (big(expF) << big(f.P - 1)) | (frac & ((1n << big(f.P - 1)) - 1n));
}

export function expOf(f: Fmt, bits: bigint): number {
  return Number((bits >> big(f.P - 1)) & big(expField(f)));
}

/** Special and boundary values of the format. */
export function specials(f: Fmt): bigint[] {
  const EF = expField(f), fb = f.P - 1, bias = f.EMAX;
  const ones = (1n << big(fb)) - 1n;
  const out: bigint[] = [];
  for (const s of [0, 1]) {
    out.push(
      pack(f, s, 0, 0n), // zero
      pack(f, s, 0, 1n), // min subnormal
      pack(f, s, 0, ones), // max subnormal
      pack(f, s, 0, 1n << big(fb - 1)), // mid subnormal
      pack(f, s, 1, 0n), // min normal
      pack(f, s, 1, 1n),
      pack(f, s, EF - 1, ones), // max finite
      pack(f, s, EF - 1, 0n),
      pack(f, s, EF, 0n), // inf
      pack(f, s, EF, 1n << big(fb - 1)), // canonical-style qNaN
      pack(f, s, EF, 1n), // sNaN
      pack(f, s, EF, ones), // qNaN with payload
      pack(f, s, EF, (1n << big(fb - 1)) - 1n), // sNaN with payload
      pack(f, s, bias, 0n), // 1
      pack(f, s, bias, 1n), // 1 + ulp
      pack(f, s, bias - 1, ones), // 1 - ulp/2
      pack(f, s, bias + 1, 0n), // 2
      pack(f, s, bias - 1, 0n), // 0.5
    );
  }
  return out;
}

/** A significand field with a pattern likely to sit on or near rounding boundaries. */
export function genFrac(rng: Rng, nbits: number): bigint {
  const ones = (1n << big(nbits)) - 1n;
  const k = big(rng.int(nbits + 1));
  switch (rng.int(10)) {
    case 0: return 0n;
    case 8: { // sparse: a few isolated bits, often including the lowest one
      let v = rng.bit() ? 1n : 0n;
      for (let i = rng.int(3); i >= 0; i--) v |= 1n << big(rng.int(nbits));
      return v;
    }
    case 1: return ones;
    case 2: return rng.bits(nbits) & ~((1n << k) - 1n); // low k bits clear
    case 3: return rng.bits(nbits) | ((1n << k) - 1n); // low k bits set
    case 4: return 1n << big(rng.int(nbits));
    case 5: return ones ^ (1n << big(rng.int(nbits)));
    case 6: return (ones >> k) << k | big(rng.int(2)); // high ones, maybe a low bit
    default: return rng.bits(nbits);
  }
}

/** A random operand: specials, raw random bits, or structured sign/exponent/significand. */
export function genVal(f: Fmt, rng: Rng): bigint {
  const EF = expField(f), bias = f.EMAX;
  const r = rng.int(20);
  if (r < 2) return rng.pick(specials(f));
  if (r < 5) return rng.bits(f.W);
  let e: number;
  switch (rng.int(8)) {
    case 0: e = 0; break; // subnormal / zero
    case 1: e = 1 + rng.int(f.P + 2); break; // just above the subnormal range
    case 2: e = EF - 1 - rng.int(4); break; // near overflow
    case 3: e = rng.int(EF + 1); break; // anywhere, incl. inf/NaN
    default: e = bias - 30 + rng.int(61); break; // moderate
  }
  return pack(f, rng.bit(), e, genFrac(rng, f.P - 1));
}

function clampExp(f: Fmt, e: number): number {
  return Math.max(0, Math.min(expField(f) - 1, e));
}

/** An operand related to `a` for addition: close exponent (alignment, ties) or near -a (cancellation). */
export function genAddPartner(f: Fmt, rng: Rng, a: bigint): bigint {
  const ea = expOf(f, a);
  const signMask = 1n << big(f.W - 1);
  switch (rng.int(4)) {
    case 0: {
      const delta = big(rng.int(7) - 3);
      const b = (a ^ signMask) + delta;
      return b & ((1n << big(f.W)) - 1n);
    }
    case 1: return genVal(f, rng);
    default: {
      const d = rng.int(f.P + 5) * (rng.bit() ? 1 : -1);
      return pack(f, rng.bit(), clampExp(f, ea - d), genFrac(rng, f.P - 1));
    }
  }
}

/** An operand for a product/quotient with `a` whose result lands near the overflow or underflow thresholds. */
export function genScalePartner(f: Fmt, rng: Rng, a: bigint, div: boolean): bigint {
  const EF = expField(f), bias = f.EMAX;
  if (rng.int(3) === 0) return genVal(f, rng);
  const ea = expOf(f, a);
  // target exponent field of the result
  const targets = [0, 1, -f.P + 1, -f.P - 1, EF - 1, EF, bias, 2];
  const t = rng.pick(targets) + rng.int(5) - 2;
  const eb = div ? ea + bias - t : t + bias - ea;
  return pack(f, rng.bit(), clampExp(f, eb), genFrac(rng, f.P - 1));
}

/** An addend for a*b: random, or close to -(a*b) so that the sum cancels. */
export function genFmaAddend(f: Fmt, rng: Rng, a: bigint, b: bigint): bigint {
  const r = rng.int(3);
  if (r === 0) return genVal(f, rng);
  const p = refMul(f, a, b, RNE).bits;
  const mask = (1n << big(f.W)) - 1n;
  if (r === 1) {
    const delta = big(rng.int(5) - 2);
    return ((p ^ (big(rng.bit()) << big(f.W - 1))) + delta) & mask;
  }
  const ep = expOf(f, p);
  // addend exponent from far below the product's last bit to above its top
  const d = rng.int(3 * f.P + 16) - 2 * f.P - 8;
  return pack(f, rng.bit(), clampExp(f, ep + d), genFrac(rng, f.P - 1));
}
