// Integer helpers for the M extension (unprivileged spec "M" chapter): high multiplies built
// from 32-bit halves (wasm has no 64x64->128 multiply) and division with RISC-V's defined
// results for division by zero and signed overflow (wasm's div traps on both).

/** High 64 bits of the unsigned 128-bit product a*b. */
// @ts-ignore: decorator
@inline export function mulhu(a: u64, b: u64): u64 {
  const aLo = a & 0xffffffff, aHi = a >> 32, bLo = b & 0xffffffff, bHi = b >> 32;
  const ll = aLo * bLo, lh = aLo * bHi, hl = aHi * bLo, hh = aHi * bHi;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/** High 64 bits of the signed 128-bit product a*b. */
// @ts-ignore: decorator
@inline export function mulh(a: u64, b: u64): u64 {
  let h = mulhu(a, b);
  if (<i64>a < 0) h -= b;
  if (<i64>b < 0) h -= a;
  return h;
}

/** High 64 bits of signed a times unsigned b. */
// @ts-ignore: decorator
@inline export function mulhsu(a: u64, b: u64): u64 {
  let h = mulhu(a, b);
  if (<i64>a < 0) h -= b;
  return h;
}

/** Signed 64-bit division: x/0 = -1, MIN/-1 = MIN. */
// @ts-ignore: decorator
@inline export function div64(a: u64, b: u64): u64 {
  if (b == 0) return <u64>-1;
  if (b == <u64>-1 && a == 0x8000000000000000) return a;
  return <u64>(<i64>a / <i64>b);
}
/** Unsigned 64-bit division: x/0 = all ones. */
// @ts-ignore: decorator
@inline export function divu64(a: u64, b: u64): u64 { return b == 0 ? <u64>-1 : a / b; }
/** Signed 64-bit remainder: x%0 = x, MIN%-1 = 0. */
// @ts-ignore: decorator
@inline export function rem64(a: u64, b: u64): u64 {
  if (b == 0) return a;
  if (b == <u64>-1) return 0;
  return <u64>(<i64>a % <i64>b);
}
/** Unsigned 64-bit remainder: x%0 = x. */
// @ts-ignore: decorator
@inline export function remu64(a: u64, b: u64): u64 { return b == 0 ? a : a % b; }

/** Sign-extends the low 32 bits. */
// @ts-ignore: decorator
@inline export function sext32(v: u64): u64 { return <u64><i64><i32><u32>v; }

/** DIVW: signed 32-bit division, result sign-extended. */
// @ts-ignore: decorator
@inline export function divw(a: u64, b: u64): u64 {
  const x = <i32>a, y = <i32>b;
  if (y == 0) return <u64>-1;
  if (y == -1 && x == i32.MIN_VALUE) return sext32(<u64><u32>x);
  return <u64><i64>(x / y);
}
/** DIVUW: unsigned 32-bit division, result sign-extended. */
// @ts-ignore: decorator
@inline export function divuw(a: u64, b: u64): u64 {
  const x = <u32>a, y = <u32>b;
  return y == 0 ? <u64>-1 : sext32(<u64>(x / y));
}
/** REMW: signed 32-bit remainder, result sign-extended. */
// @ts-ignore: decorator
@inline export function remw(a: u64, b: u64): u64 {
  const x = <i32>a, y = <i32>b;
  if (y == 0) return sext32(<u64><u32>x);
  if (y == -1) return 0;
  return <u64><i64>(x % y);
}
/** REMUW: unsigned 32-bit remainder, result sign-extended. */
// @ts-ignore: decorator
@inline export function remuw(a: u64, b: u64): u64 {
  const x = <u32>a, y = <u32>b;
  return sext32(<u64>(y == 0 ? x : x % y));
}
