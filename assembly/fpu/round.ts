// Rounding, normalization and packing of IEEE 754-2008 binary32/binary64 values, plus the
// exception-flag accumulator shared by every FPU operation.
//
// Internal ("unpacked") form of a finite nonzero value used throughout assembly/fpu:
//     value = (-1)^sign * sig * 2^(exp - 63)
// with `sig` a u64 whose bit 63 is set (so `exp` is the unbiased exponent of the leading bit).
// Bits below the target precision are kept; any information below bit 0 must already be
// folded ("jammed") into bit 0 as a sticky bit by the producer.
//
// Rounding follows IEEE 754-2008 section 4.3 with the RISC-V rounding-mode encoding
// (unpriv f-st-ext.adoc, "Rounding mode encoding"); underflow is signalled when the result is
// tiny *after rounding* and inexact (f-st-ext.adoc, "Subnormal Arithmetic"; IEEE 754-2008 7.5).

// ---- accrued exception flags, in fflags bit order (f-st-ext.adoc, "Accrued exception flag encoding") ----
export const FLAG_NX: u32 = 1;
export const FLAG_UF: u32 = 2;
export const FLAG_OF: u32 = 4;
export const FLAG_DZ: u32 = 8;
export const FLAG_NV: u32 = 16;

// ---- rounding modes (instruction rm / frm encoding) ----
export const RM_RNE: u32 = 0;
export const RM_RTZ: u32 = 1;
export const RM_RDN: u32 = 2;
export const RM_RUP: u32 = 3;
export const RM_RMM: u32 = 4;
export const RM_DYN: u32 = 7;

// ---- format constants ----
export const F64_SIGN: u64 = 0x8000_0000_0000_0000;
export const F64_EXP: u64 = 0x7ff0_0000_0000_0000;
export const F64_FRAC: u64 = 0x000f_ffff_ffff_ffff;
export const F64_QUIET: u64 = 0x0008_0000_0000_0000;
export const F64_INF: u64 = 0x7ff0_0000_0000_0000;
export const F64_MAX: u64 = 0x7fef_ffff_ffff_ffff;
/** RISC-V canonical binary64 NaN (d-st-ext.adoc). */
export const F64_CANON_NAN: u64 = 0x7ff8_0000_0000_0000;

export const F32_SIGN: u32 = 0x8000_0000;
export const F32_EXP: u32 = 0x7f80_0000;
export const F32_FRAC: u32 = 0x007f_ffff;
export const F32_QUIET: u32 = 0x0040_0000;
export const F32_INF: u32 = 0x7f80_0000;
export const F32_MAX: u32 = 0x7f7f_ffff;
/** RISC-V canonical binary32 NaN (f-st-ext.adoc). */
export const F32_CANON_NAN: u32 = 0x7fc0_0000;

/** Flags raised by the FPU operations since the last clearFpFlags(). */
export let fpFlags: u32 = 0;

/** Ors exception flags into the accumulator. */
// @ts-ignore: decorator
@inline export function setFpFlags(f: u32): void { fpFlags |= f; }

/** Clears the accumulator (the executor does this before every instruction). */
// @ts-ignore: decorator
@inline export function clearFpFlags(): void { fpFlags = 0; }

// ---- classification helpers on raw bit patterns ----

/** True if the binary64 pattern is any NaN. */
// @ts-ignore: decorator
@inline export function isNaN64(a: u64): bool { return (a & ~F64_SIGN) > F64_INF; }
/** True if the binary64 pattern is a signalling NaN (quiet bit clear, IEEE 754-2008 6.2.1). */
// @ts-ignore: decorator
@inline export function isSNaN64(a: u64): bool { return (a & 0x7ff8_0000_0000_0000) == 0x7ff0_0000_0000_0000 && (a & 0x0007_ffff_ffff_ffff) != 0; }
/** True if the binary32 pattern is any NaN. */
// @ts-ignore: decorator
@inline export function isNaN32(a: u32): bool { return (a & ~F32_SIGN) > F32_INF; }
/** True if the binary32 pattern is a signalling NaN. */
// @ts-ignore: decorator
@inline export function isSNaN32(a: u32): bool { return (a & 0x7fc0_0000) == 0x7f80_0000 && (a & 0x003f_ffff) != 0; }

// ---- unpacking ----

/** Exponent of the last unpack64/unpack32 (unbiased, of the leading significand bit). */
export let uExp: i32 = 0;
/** Significand of the last unpack64/unpack32, normalized so that bit 63 is set. */
export let uSig: u64 = 0;

/** Unpacks a finite nonzero binary64 pattern into uExp/uSig (subnormals are normalized). */
// @ts-ignore: decorator
@inline export function unpack64(a: u64): void {
  let e = <i32>((a >> 52) & 0x7ff);
  let f = a & F64_FRAC;
  if (e != 0) {
    uExp = e - 1023;
    uSig = (f | 0x0010_0000_0000_0000) << 11;
  } else {
    // subnormal: value = f * 2^-1074, leading bit at position 63 - lz
    let lz = <i32>clz<u64>(f);
    uSig = f << <u64>lz;
    uExp = -1011 - lz;
  }
}

/** Unpacks a finite nonzero binary32 pattern into uExp/uSig (subnormals are normalized). */
// @ts-ignore: decorator
@inline export function unpack32(a: u32): void {
  let e = <i32>((a >> 23) & 0xff);
  let f = <u64>(a & F32_FRAC);
  if (e != 0) {
    uExp = e - 127;
    uSig = (f | 0x0080_0000) << 40;
  } else {
    // subnormal: value = f * 2^-149
    let lz = <i32>clz<u64>(f);
    uSig = f << <u64>lz;
    uExp = -86 - lz;
  }
}

// ---- rounding ----

/** 1 if a value with the given last kept bit, round bit and sticky bit must be incremented under rm. */
// @ts-ignore: decorator
@inline export function roundIncrement(rm: u32, sign: u32, lsb: u64, rbit: u64, sticky: u64): u64 {
  // IEEE 754-2008 4.3.1 (ties-to-even, ties-to-away) and 4.3.2 (directed roundings)
  let inexact = rbit | sticky;
  switch (rm) {
    case RM_RNE: return rbit & (sticky | lsb);
    case RM_RTZ: return 0;
    case RM_RDN: return inexact & <u64>sign;
    case RM_RUP: return inexact & <u64>(sign ^ 1);
    default: return rbit; // RM_RMM (callers never pass reserved modes)
  }
}

/**
 * Rounds (sign, exp, sig) — sig normalized with bit 63 set — to a format of precision P bits,
 * exponent range [EMIN, EMAX] and total width W, returning the encoded pattern (in the low W bits)
 * and raising NX/UF/OF.
 */
// @ts-ignore: decorator
@inline function roundPackG(sign: u32, exp: i32, sig: u64, rm: u32, P: i32, EMIN: i32, EMAX: i32, W: i32): u64 {
  let signBit = <u64>sign << <u64>(W - 1);
  let shift = 64 - P;
  let tiny = exp < EMIN;
  if (tiny) {
    // below the normal range: keep fewer bits (gradual underflow, IEEE 754-2008 3.4)
    let extra = EMIN - exp;
    shift = extra > 64 ? 65 : shift + extra;
  }
  let kept: u64, rbit: u64, sticky: u64;
  if (shift < 64) {
    kept = sig >> <u64>shift;
    rbit = (sig >> <u64>(shift - 1)) & 1;
    sticky = <u64>((sig << <u64>(65 - shift)) != 0);
  } else if (shift == 64) {
    kept = 0;
    rbit = sig >> 63;
    sticky = <u64>((sig << 1) != 0);
  } else {
    kept = 0;
    rbit = 0;
    sticky = 1;
  }
  let inexact = rbit | sticky;
  kept += roundIncrement(rm, sign, kept & 1, rbit, sticky);
  if (tiny) {
    if (inexact != 0) {
      // Tininess is detected after rounding (f-st-ext.adoc "Subnormal Arithmetic"): the result
      // is tiny unless rounding to P bits with an unbounded exponent reaches 2^EMIN, which can
      // only happen when exp == EMIN-1 and the top P bits are all ones and round up.
      let uf = FLAG_UF;
      if (exp == EMIN - 1) {
        let s0 = <u64>(64 - P);
        let k0 = sig >> s0;
        if (k0 == ((<u64>1 << <u64>P) - 1) &&
            roundIncrement(rm, sign, 1, (sig >> (s0 - 1)) & 1, <u64>((sig << (65 - s0)) != 0)) != 0) {
          uf = 0;
        }
      }
      fpFlags |= FLAG_NX | uf;
    }
    // kept <= 2^(P-1); kept == 2^(P-1) encodes the smallest normal number
    return signBit | kept;
  }
  let e = exp;
  if ((kept >> <u64>P) != 0) { // rounding carried out: 1.11..1 -> 10.00..0
    kept >>= 1;
    e++;
  }
  if (e > EMAX) {
    // overflow (IEEE 754-2008 7.4): infinity or the largest finite number, by rounding direction
    fpFlags |= FLAG_OF | FLAG_NX;
    let maxFinite = signBit | ((<u64>(2 * EMAX) << <u64>(P - 1)) | ((<u64>1 << <u64>(P - 1)) - 1));
    let inf = signBit | (<u64>(2 * EMAX + 1) << <u64>(P - 1));
    if (rm == RM_RTZ || (rm == RM_RDN && sign == 0) || (rm == RM_RUP && sign != 0)) return maxFinite;
    return inf;
  }
  if (inexact != 0) fpFlags |= FLAG_NX;
  return signBit | (<u64>(e + EMAX) << <u64>(P - 1)) | (kept & ((<u64>1 << <u64>(P - 1)) - 1));
}

/** Rounds a normalized (sign, exp, sig) to binary64 under rm, raising NX/UF/OF. */
export function roundPack64(sign: u32, exp: i32, sig: u64, rm: u32): u64 {
  return roundPackG(sign, exp, sig, rm, 53, -1022, 1023, 64);
}

/** Rounds a normalized (sign, exp, sig) to binary32 under rm, raising NX/UF/OF. */
export function roundPack32(sign: u32, exp: i32, sig: u64, rm: u32): u32 {
  return <u32>roundPackG(sign, exp, sig, rm, 24, -126, 127, 32);
}

/** Normalizes a nonzero (sign, exp, sig) then rounds it to binary64. */
export function normRoundPack64(sign: u32, exp: i32, sig: u64, rm: u32): u64 {
  let lz = <i32>clz<u64>(sig);
  return roundPack64(sign, exp - lz, sig << <u64>lz, rm);
}

/** Normalizes a nonzero (sign, exp, sig) then rounds it to binary32. */
export function normRoundPack32(sign: u32, exp: i32, sig: u64, rm: u32): u32 {
  let lz = <i32>clz<u64>(sig);
  return roundPack32(sign, exp - lz, sig << <u64>lz, rm);
}

/** Rounds to binary64 (dbl) or binary32 (!dbl, result in the low 32 bits); sig must be nonzero. */
// @ts-ignore: decorator
@inline export function normRoundPack(dbl: bool, sign: u32, exp: i32, sig: u64, rm: u32): u64 {
  return dbl ? normRoundPack64(sign, exp, sig, rm) : <u64>normRoundPack32(sign, exp, sig, rm);
}

/** Signed zero of the format: binary64 (dbl) or binary32 in the low 32 bits. */
// @ts-ignore: decorator
@inline export function zeroOf(dbl: bool, sign: u32): u64 {
  return dbl ? <u64>sign << 63 : <u64>(sign << 31);
}

/** Signed infinity of the format. */
// @ts-ignore: decorator
@inline export function infOf(dbl: bool, sign: u32): u64 {
  return dbl ? (<u64>sign << 63) | F64_INF : <u64>((sign << 31) | F32_INF);
}

/** Canonical NaN of the format. */
// @ts-ignore: decorator
@inline export function nanOf(dbl: bool): u64 {
  return dbl ? F64_CANON_NAN : <u64>F32_CANON_NAN;
}

// ---- wide integer helpers ----

/** High 64 bits of the last mul64x64 product. */
export let mulHi: u64 = 0;

/** Full 64x64 -> 128-bit unsigned product: returns the low half, leaves the high half in mulHi. */
// @ts-ignore: decorator
@inline export function mul64x64(a: u64, b: u64): u64 {
  let a0 = a & 0xffff_ffff, a1 = a >> 32;
  let b0 = b & 0xffff_ffff, b1 = b >> 32;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let p11 = a1 * b1;
  let mid = (p00 >> 32) + (p01 & 0xffff_ffff) + (p10 & 0xffff_ffff);
  mulHi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (mid << 32) | (p00 & 0xffff_ffff);
}

/** Shifts right by n (any n >= 0), ORing every bit shifted out into bit 0 ("jamming"). */
// @ts-ignore: decorator
@inline export function shiftRightJam64(a: u64, n: i32): u64 {
  if (n <= 0) return a;
  if (n >= 64) return <u64>(a != 0);
  return (a >> <u64>n) | <u64>((a << <u64>(64 - n)) != 0);
}
