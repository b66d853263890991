/* rv64d.S — self-checking test of the D extension (double precision) on RV64, RNE via frm
   (rm = dyn): loads/stores/moves, every arithmetic, sign-injection, min/max, compare, classify
   and int<->float conversion instruction, with the exact fflags of every operation.
   Rounding modes other than RNE are in rv64d-round.S.
   Spec: unpriv/f-st-ext.adoc, d-st-ext.adoc "NaN Boxing of Narrower Values". Rules checked:
   - "NaN Generation and Propagation": every NaN result is the canonical NaN 0x7ff8000000000000 (no
     payload propagation); signalling NaN operands raise NV.
   - "Subnormal Arithmetic": tininess is detected after rounding; UF only when tiny and inexact.
   - FMA: one rounding; "must set the invalid operation exception flag when the multiplicands
     are inf and zero, even when the addend is a quiet NaN".
   - FMIN/FMAX: -0 < +0; one NaN -> the other operand; two NaNs -> canonical NaN; sNaN -> NV.
   - FEQ is a quiet compare (NV only on sNaN); FLT/FLE signal NV on any NaN; NaN -> 0.
   - FCVT to integer: table "Domains of float-to-integer conversions": out-of-range and NaN
     inputs saturate (NaN -> maximum) with NV and no NX; W/WU results are sign-extended.
   - Sign injection and FMV/FLD/FSD do not canonicalize NaNs and raise no flags.
   - FCVT.S.D rounds (tininess after rounding, overflow), FCVT.D.S is exact; NaNs become the
     canonical NaN of the destination format, sNaN -> NV; single results are NaN-boxed.
   Each table entry below is one check (result bits and fflags). */
#include "test.h"
#include "fptest.h"

  .option norelax       /* gp holds TESTNUM */

TEST_BEGIN

/* ---- FLD / FSD / FMV.X.D / FMV.D.X ---- */
  la s0, ls_data
  csrwi fflags, 0
  fld fa0, 0(s0)                /* a signalling NaN is loaded bit-exact */
  fmv.x.d a0, fa0
  CHECK_EQ(a0, 0x7ff0000000000001)
  addi s1, s0, 16
  fld fa1, -8(s1)               /* negative offset */
  fmv.x.d a0, fa1
  CHECK_EQ(a0, 0xbff0000000000000)
  fsd fa0, 16(s0)
  ld a0, 16(s0)
  CHECK_EQ(a0, 0x7ff0000000000001)
  ld a0, 24(s0)                 /* neighbour untouched */
  CHECK_EQ(a0, 0x5555555555555555)
  li a1, 0xfff8000012345678     /* FMV.D.X / FMV.X.D keep NaN payloads */
  fmv.d.x fa2, a1
  fsd fa2, -16(s1)
  ld a0, 0(s0)
  CHECK_EQ(a0, 0xfff8000012345678)
  fmv.x.d a0, fa2
  CHECK_EQ(a0, 0xfff8000012345678)
  flw fa3, 32(s0)               /* a NaN-boxed single is a negative quiet NaN as a double */
  fsd fa3, 16(s0)               /* FSD stores all 64 bits */
  ld a0, 16(s0)
  CHECK_EQ(a0, 0xffffffff3f800000)
  fclass.d a0, fa3
  CHECK_EQ(a0, 0x200)
  CHECK_FFLAGS(0)               /* loads, stores, moves and classify never set flags */

/* ---- arithmetic (frm = RNE, rm = dyn) ---- */
  FP_TABLE F2R, fadd.d, dyn, d, d, fadd_d, 0
  FP_TABLE F2R, fsub.d, dyn, d, d, fsub_d, 0
  FP_TABLE F2R, fmul.d, dyn, d, d, fmul_d, 0
  FP_TABLE F2R, fdiv.d, dyn, d, d, fdiv_d, 0
  FP_TABLE F1R, fsqrt.d, dyn, d, d, fsqrt_d, 0
  FP_TABLE F3R, fmadd.d, dyn, d, d, fmadd_d, 0
  FP_TABLE F3R, fmsub.d, dyn, d, d, fmsub_d, 0
  FP_TABLE F3R, fnmsub.d, dyn, d, d, fnmsub_d, 0
  FP_TABLE F3R, fnmadd.d, dyn, d, d, fnmadd_d, 0

/* ---- sign injection, min/max ---- */
  FP_TABLE F2, fsgnj.d, -, d, d, fsgnj_d, 0
  FP_TABLE F2, fsgnjn.d, -, d, d, fsgnjn_d, 0
  FP_TABLE F2, fsgnjx.d, -, d, d, fsgnjx_d, 0
  FP_TABLE F2, fmin.d, -, d, d, fmin_d, 0
  FP_TABLE F2, fmax.d, -, d, d, fmax_d, 0

/* ---- compare and classify ---- */
  FP_TABLE XF2, feq.d, -, d, x, feq_d, 0
  FP_TABLE XF2, flt.d, -, d, x, flt_d, 0
  FP_TABLE XF2, fle.d, -, d, x, fle_d, 0
  FP_TABLE XF1, fclass.d, -, d, x, fclass_d, 0

/* ---- conversions (frm = RNE) ---- */
  FP_TABLE XF1R, fcvt.w.d, dyn, d, x, fcvt_w_d, 0
  FP_TABLE XF1R, fcvt.wu.d, dyn, d, x, fcvt_wu_d, 0
  FP_TABLE XF1R, fcvt.l.d, dyn, d, x, fcvt_l_d, 0
  FP_TABLE XF1R, fcvt.lu.d, dyn, d, x, fcvt_lu_d, 0
  FP_TABLE FX1, fcvt.d.w, -, x, d, fcvt_d_w, 0
  FP_TABLE FX1, fcvt.d.wu, -, x, d, fcvt_d_wu, 0
  FP_TABLE FX1R, fcvt.d.l, dyn, x, d, fcvt_d_l, 0
  FP_TABLE FX1R, fcvt.d.lu, dyn, x, d, fcvt_d_lu, 0
  FP_TABLE F1R, fcvt.s.d, dyn, d, s, fcvt_s_d, 0
  FP_TABLE F1, fcvt.d.s, -, s, d, fcvt_d_s, 0

/* ---- fflags accrue: the OR of all flags raised since software last cleared them ---- */
  la s0, acc_data
  fld fa1, 0(s0)                /* 1.0 */
  fld fa2, 8(s0)                /* 0.0 */
  fld fa3, 16(s0)               /* max */
  fld fa4, 24(s0)               /* 2^-53 */
  fld fa5, 32(s0)               /* min subnormal */
  fld fa6, 40(s0)               /* 0.5 */
  fld fa7, 48(s0)               /* -1.0 */
  csrwi fflags, 0
  fdiv.d fa0, fa1, fa2          /* DZ */
  fadd.d fa0, fa1, fa4          /* NX */
  fsgnj.d fa0, fa1, fa2         /* none */
  CHECK_FFLAGS(DZ|NX)
  fsqrt.d fa0, fa7              /* NV */
  fmul.d fa0, fa3, fa3          /* OF|NX */
  CHECK_FFLAGS(NV|OF|NX)
  fmul.d fa0, fa5, fa6          /* UF|NX */
  fdiv.d fa0, fa1, fa2          /* DZ */
  feq.d a0, fa1, fa2            /* none */
  CHECK_FFLAGS(UF|NX|DZ)

  j pass

TEST_END

  .data
  .balign 8
ls_data:
  .dword 0x7ff0000000000001, 0xbff0000000000000, 0x5555555555555555, 0x5555555555555555
  .word 0x3f800000, 0
acc_data:
  .dword 0x3ff0000000000000, 0, 0x7fefffffffffffff, 0x3ca0000000000000, 1, 0x3fe0000000000000, 0xbff0000000000000
fadd_d:
  FPE(0x3ff0000000000000, 0x4000000000000000, 0x0, 0x4008000000000000, 0)  /* 1 + 2 = 3 */
  FPE(0x3ff0000000000000, 0x3ca0000000000000, 0x0, 0x3ff0000000000000, NX)  /* 1 + 0x1p-53 = 1 NX (tie: to even, down) */
  FPE(0x3ff0000000000001, 0x3ca0000000000000, 0x0, 0x3ff0000000000002, NX)  /* 0x1.0000000000001p0 + 0x1p-53 = 0x1.0000000000002p0 NX (tie: to even, up) */
  FPE(0x3ff0000000000000, 0x3ca8000000000000, 0x0, 0x3ff0000000000001, NX)  /* 1 + 0x1.8p-53 = 0x1.0000000000001p0 NX (above the tie: up) */
  FPE(0x8000000000000000, 0x8000000000000000, 0x0, 0x8000000000000000, 0)  /* -0 + -0 = -0 */
  FPE(0x0, 0x8000000000000000, 0x0, 0x0, 0)  /* 0 + -0 = 0 (exact zero sum is +0 in RNE) */
  FPE(0x3ff8000000000000, 0xbff8000000000000, 0x0, 0x0, 0)  /* 0x1.8p0 + -0x1.8p0 = 0 (exact zero sum is +0 in RNE) */
  FPE(0x7ff0000000000000, 0xfff0000000000000, 0x0, 0x7ff8000000000000, NV)  /* inf + -inf = qNaN NV (invalid) */
  FPE(0x7ff0000000000000, 0x3ff0000000000000, 0x0, 0x7ff0000000000000, 0)  /* inf + 1 = inf (exact) */
  FPE(0x7ff8000000012345, 0x3ff0000000000000, 0x0, 0x7ff8000000000000, 0)  /* qNaN(0x8000000012345) + 1 = qNaN (quiet NaN in: canonical NaN out, no flag) */
  FPE(0x7ff0000000000001, 0x3ff0000000000000, 0x0, 0x7ff8000000000000, NV)  /* sNaN(0x1) + 1 = qNaN NV (signalling NaN: NV) */
  FPE(0xfff8000000054321, 0x7ff4000000000005, 0x0, 0x7ff8000000000000, NV)  /* -qNaN(0x8000000054321) + sNaN(0x4000000000005) = qNaN NV */
  FPE(0x7fefffffffffffff, 0x7fefffffffffffff, 0x0, 0x7ff0000000000000, OF|NX)  /* 0x1.fffffffffffffp1023 + 0x1.fffffffffffffp1023 = inf OF|NX (overflow) */
  FPE(0x1, 0x1, 0x0, 0x2, 0)  /* 0x0.0000000000001p-1022 + 0x0.0000000000001p-1022 = 0x0.0000000000002p-1022 (subnormal result, exact: no UF) */
  FPE(0x10000000000000, 0x8000000000000001, 0x0, 0xfffffffffffff, 0)  /* 0x1p-1022 + -0x0.0000000000001p-1022 = 0x0.fffffffffffffp-1022 (normal to subnormal, exact) */
  FPE(0x4440000000000000, 0x3ff0000000000000, 0x0, 0x4440000000000000, NX)  /* 0x1p69 + 1 = 0x1p69 NX (absorbed: inexact) */
fadd_d_end:
fsub_d:
  FPE(0x4008000000000000, 0x3ff0000000000000, 0x0, 0x4000000000000000, 0)  /* 3 - 1 = 2 */
  FPE(0x3ff0000000000000, 0x3ff0000000000000, 0x0, 0x0, 0)  /* 1 - 1 = 0 (+0 in RNE) */
  FPE(0x8000000000000000, 0x0, 0x0, 0x8000000000000000, 0)  /* -0 - 0 = -0 (-0 - +0 = -0) */
  FPE(0x0, 0x0, 0x0, 0x0, 0)  /* 0 - 0 = 0 */
  FPE(0x7ff0000000000000, 0x7ff0000000000000, 0x0, 0x7ff8000000000000, NV)  /* inf - inf = qNaN NV (invalid) */
  FPE(0x3ff0000000000000, 0x3c90000000000000, 0x0, 0x3ff0000000000000, NX)  /* 1 - 0x1p-54 = 1 NX (tie below 1: to even) */
  FPE(0xffefffffffffffff, 0x7fefffffffffffff, 0x0, 0xfff0000000000000, OF|NX)  /* -0x1.fffffffffffffp1023 - 0x1.fffffffffffffp1023 = -inf OF|NX (overflow) */
  FPE(0x7ff8000000000000, 0x7ff0000000000001, 0x0, 0x7ff8000000000000, NV)  /* qNaN - sNaN(0x1) = qNaN NV */
fsub_d_end:
fmul_d:
  FPE(0x4000000000000000, 0x4008000000000000, 0x0, 0x4018000000000000, 0)  /* 2 * 3 = 6 */
  FPE(0x8000000000000000, 0x4014000000000000, 0x0, 0x8000000000000000, 0)  /* -0 * 5 = -0 (sign of zero = xor) */
  FPE(0x0, 0xfff0000000000000, 0x0, 0x7ff8000000000000, NV)  /* 0 * -inf = qNaN NV (invalid) */
  FPE(0x7ff0000000000000, 0xc000000000000000, 0x0, 0xfff0000000000000, 0)  /* inf * -2 = -inf */
  FPE(0x7fefffffffffffff, 0x4000000000000000, 0x0, 0x7ff0000000000000, OF|NX)  /* 0x1.fffffffffffffp1023 * 2 = inf OF|NX (overflow) */
  FPE(0x10000000000000, 0x3fe0000000000000, 0x0, 0x8000000000000, 0)  /* 0x1p-1022 * 0x1p-1 = 0x0.8000000000000p-1022 (exact subnormal: no UF) */
  FPE(0x1, 0x3fe0000000000000, 0x0, 0x0, UF|NX)  /* 0x0.0000000000001p-1022 * 0x1p-1 = 0 UF|NX (tie between 0 and min subnormal: to even 0) */
  FPE(0x1, 0x3fe8000000000000, 0x0, 0x1, UF|NX)  /* 0x0.0000000000001p-1022 * 0x1.8p-1 = 0x0.0000000000001p-1022 UF|NX (rounds up to min subnormal) */
  FPE(0x3fefffffffffffff, 0x10000000000000, 0x0, 0x10000000000000, UF|NX)  /* 0x1.fffffffffffffp-1 * 0x1p-1022 = 0x1p-1022 UF|NX (tiny before and after rounding (unbounded exponent): UF, result min normal) */
  FPE(0x10000000000001, 0x3feffffffffffffe, 0x0, 0x10000000000000, NX)  /* 0x1.0000000000001p-1022 * 0x1.ffffffffffffep-1 = 0x1p-1022 NX (tiny before rounding only: tininess after rounding, no UF) */
  FPE(0x3ff0000000000001, 0x3ff0000000000001, 0x0, 0x3ff0000000000002, NX)  /* 0x1.0000000000001p0 * 0x1.0000000000001p0 = 0x1.0000000000002p0 NX (inexact) */
  FPE(0x7ff8000000012345, 0x3ff0000000000000, 0x0, 0x7ff8000000000000, 0)  /* qNaN(0x8000000012345) * 1 = qNaN */
  FPE(0x7ff0000000000001, 0x0, 0x0, 0x7ff8000000000000, NV)  /* sNaN(0x1) * 0 = qNaN NV */
fmul_d_end:
fdiv_d:
  FPE(0x3ff0000000000000, 0x4008000000000000, 0x0, 0x3fd5555555555555, NX)  /* 1 / 3 = 0x1.5555555555555p-2 NX */
  FPE(0x4018000000000000, 0x4008000000000000, 0x0, 0x4000000000000000, 0)  /* 6 / 3 = 2 (exact) */
  FPE(0x3ff0000000000000, 0x0, 0x0, 0x7ff0000000000000, DZ)  /* 1 / 0 = inf DZ (divide by zero) */
  FPE(0xbff0000000000000, 0x0, 0x0, 0xfff0000000000000, DZ)  /* -1 / 0 = -inf DZ */
  FPE(0x3ff0000000000000, 0x8000000000000000, 0x0, 0xfff0000000000000, DZ)  /* 1 / -0 = -inf DZ */
  FPE(0x0, 0x0, 0x0, 0x7ff8000000000000, NV)  /* 0 / 0 = qNaN NV (invalid, not DZ) */
  FPE(0x7ff0000000000000, 0x7ff0000000000000, 0x0, 0x7ff8000000000000, NV)  /* inf / inf = qNaN NV (invalid) */
  FPE(0x7ff0000000000000, 0x0, 0x0, 0x7ff0000000000000, 0)  /* inf / 0 = inf (infinite dividend: no DZ) */
  FPE(0x8000000000000000, 0x4014000000000000, 0x0, 0x8000000000000000, 0)  /* -0 / 5 = -0 */
  FPE(0x3ff0000000000000, 0x7ff0000000000000, 0x0, 0x0, 0)  /* 1 / inf = 0 */
  FPE(0x10000000000000, 0x4008000000000000, 0x0, 0x5555555555555, UF|NX)  /* 0x1p-1022 / 3 = 0x0.5555555555555p-1022 UF|NX (inexact subnormal: UF) */
  FPE(0x7fefffffffffffff, 0x3fe0000000000000, 0x0, 0x7ff0000000000000, OF|NX)  /* 0x1.fffffffffffffp1023 / 0x1p-1 = inf OF|NX (overflow) */
  FPE(0x7ff8000000000000, 0x0, 0x0, 0x7ff8000000000000, 0)  /* qNaN / 0 = qNaN (NaN dividend: no DZ) */
  FPE(0x7ff0000000000001, 0x3ff0000000000000, 0x0, 0x7ff8000000000000, NV)  /* sNaN(0x1) / 1 = qNaN NV */
fdiv_d_end:
fsqrt_d:
  FPE(0x4010000000000000, 0x0, 0x0, 0x4000000000000000, 0)  /* sqrt(4) = 2 */
  FPE(0x4000000000000000, 0x0, 0x0, 0x3ff6a09e667f3bcd, NX)  /* sqrt(2) = 0x1.6a09e667f3bcdp0 NX */
  FPE(0x8000000000000000, 0x0, 0x0, 0x8000000000000000, 0)  /* sqrt(-0) = -0 (sqrt(-0) = -0) */
  FPE(0x0, 0x0, 0x0, 0x0, 0)  /* sqrt(0) = 0 */
  FPE(0xbff0000000000000, 0x0, 0x0, 0x7ff8000000000000, NV)  /* sqrt(-1) = qNaN NV (invalid) */
  FPE(0x7ff0000000000000, 0x0, 0x0, 0x7ff0000000000000, 0)  /* sqrt(inf) = inf */
  FPE(0xfff0000000000000, 0x0, 0x0, 0x7ff8000000000000, NV)  /* sqrt(-inf) = qNaN NV (invalid) */
  FPE(0x7ff8000000012345, 0x0, 0x0, 0x7ff8000000000000, 0)  /* sqrt(qNaN(0x8000000012345)) = qNaN */
  FPE(0x7ff0000000000001, 0x0, 0x0, 0x7ff8000000000000, NV)  /* sqrt(sNaN(0x1)) = qNaN NV */
  FPE(0x4, 0x0, 0x0, 0x1e70000000000000, 0)  /* sqrt(0x0.0000000000004p-1022) = 0x1p-536 (exact root of a subnormal) */
  FPE(0x1, 0x0, 0x0, 0x1e60000000000000, 0)  /* sqrt(0x0.0000000000001p-1022) = 0x1p-537 */
fsqrt_d_end:
fmadd_d:
  FPE(0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000, 0x401c000000000000, 0)  /* 2 * 3 + 1 = 7 */
  FPE(0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, 0xb970000000000000, 0)  /* 0x1.0000000000001p0 * 0x1.ffffffffffffep-1 + -1 = -0x1p-104 (fused: the exact -2^-104, not 0) */
  FPE(0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000000000000, 0x3e50000001000000, 0)  /* 0x1.0000002p0 * 0x1.0000002p0 + -1 = 0x1.0000001p-26 (fused: differs from fmul then fadd) */
  FPE(0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff, 0x7fefffffffffffff, 0)  /* 0x1.fffffffffffffp1023 * 2 + -0x1.fffffffffffffp1023 = 0x1.fffffffffffffp1023 (no intermediate overflow) */
  FPE(0x7fefffffffffffff, 0x4000000000000000, 0xfff0000000000000, 0xfff0000000000000, 0)  /* 0x1.fffffffffffffp1023 * 2 + -inf = -inf (infinite addend: exact) */
  FPE(0x7ff0000000000000, 0x0, 0x7ff8000000000000, 0x7ff8000000000000, NV)  /* inf * 0 + qNaN = qNaN NV (inf*0 sets NV even with a quiet NaN addend) */
  FPE(0x7ff0000000000000, 0x0, 0x3ff0000000000000, 0x7ff8000000000000, NV)  /* inf * 0 + 1 = qNaN NV (invalid) */
  FPE(0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, NV)  /* inf * 1 + -inf = qNaN NV (inf - inf: invalid) */
  FPE(0x0, 0x3ff0000000000000, 0x8000000000000000, 0x0, 0)  /* 0 * 1 + -0 = 0 (+0 + -0 = +0) */
  FPE(0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000, 0x8000000000000000, 0)  /* -0 * 1 + -0 = -0 (-0 + -0 = -0) */
  FPE(0x3ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000001, 0x7ff8000000000000, NV)  /* 1 * 1 + sNaN(0x1) = qNaN NV */
  FPE(0x7ff8000000012345, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff8000000000000, 0)  /* qNaN(0x8000000012345) * 1 + 1 = qNaN */
  FPE(0x1, 0x3fe0000000000000, 0x0, 0x0, UF|NX)  /* 0x0.0000000000001p-1022 * 0x1p-1 + 0 = 0 UF|NX (underflow to 0) */
fmadd_d_end:
fmsub_d:
  FPE(0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000, 0x4014000000000000, 0)  /* 2 * 3 - 1 = 5 */
  FPE(0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, 0xb970000000000000, 0)  /* 0x1.0000000000001p0 * 0x1.ffffffffffffep-1 - 1 = -0x1p-104 (fused) */
  FPE(0x0, 0x3ff0000000000000, 0x0, 0x0, 0)  /* 0 * 1 - 0 = 0 (+0 - +0 = +0) */
  FPE(0x8000000000000000, 0x3ff0000000000000, 0x0, 0x8000000000000000, 0)  /* -0 * 1 - 0 = -0 (-0 - +0 = -0) */
  FPE(0x7ff0000000000000, 0x7ff0000000000000, 0x7ff0000000000000, 0x7ff8000000000000, NV)  /* inf * inf - inf = qNaN NV (invalid) */
fmsub_d_end:
fnmsub_d:
  FPE(0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000, 0xc014000000000000, 0)  /* -(2 * 3) + 1 = -5 */
  FPE(0x3ff0000000000001, 0x3feffffffffffffe, 0x3ff0000000000000, 0x3970000000000000, 0)  /* -(0x1.0000000000001p0 * 0x1.ffffffffffffep-1) + 1 = 0x1p-104 (fused) */
  FPE(0x0, 0x3ff0000000000000, 0x0, 0x0, 0)  /* -(0 * 1) + 0 = 0 (-0 + +0 = +0) */
  FPE(0x0, 0x3ff0000000000000, 0x8000000000000000, 0x8000000000000000, 0)  /* -(0 * 1) + -0 = -0 (-0 + -0 = -0) */
  FPE(0x0, 0x7ff0000000000000, 0x7ff8000000000000, 0x7ff8000000000000, NV)  /* -(0 * inf) + qNaN = qNaN NV (invalid) */
fnmsub_d_end:
fnmadd_d:
  FPE(0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000, 0xc01c000000000000, 0)  /* -(2 * 3) - 1 = -7 */
  FPE(0x3ff0000000000001, 0x3feffffffffffffe, 0xbff0000000000000, 0x3970000000000000, 0)  /* -(0x1.0000000000001p0 * 0x1.ffffffffffffep-1) - -1 = 0x1p-104 (fused) */
  FPE(0x0, 0x3ff0000000000000, 0x0, 0x8000000000000000, 0)  /* -(0 * 1) - 0 = -0 (-0 - +0 = -0) */
  FPE(0x0, 0xbff0000000000000, 0x0, 0x0, 0)  /* -(0 * -1) - 0 = 0 (+0 - +0 = +0) */
  FPE(0x7ff0000000000001, 0x3ff0000000000000, 0x3ff0000000000000, 0x7ff8000000000000, NV)  /* -(sNaN(0x1) * 1) - 1 = qNaN NV */
fnmadd_d_end:
fsgnj_d:
  FPE(0x3ff0000000000000, 0xc000000000000000, 0x0, 0xbff0000000000000, 0)  /* sgnj(1, -2) = -1 */
  FPE(0xbff0000000000000, 0x4000000000000000, 0x0, 0x3ff0000000000000, 0)  /* sgnj(-1, 2) = 1 */
  FPE(0x7ff0000000000001, 0xbff0000000000000, 0x0, 0xfff0000000000001, 0)  /* sgnj(sNaN(0x1), -1) = -sNaN(0x1) (NaN kept as is, no NV) */
  FPE(0xfff0000000000000, 0x0, 0x0, 0x7ff0000000000000, 0)  /* sgnj(-inf, 0) = inf */
fsgnj_d_end:
fsgnjn_d:
  FPE(0x3ff0000000000000, 0x3ff0000000000000, 0x0, 0xbff0000000000000, 0)  /* sgnjn(1, 1) = -1 (fneg) */
  FPE(0x7ff8000000012345, 0x8000000000000000, 0x0, 0x7ff8000000012345, 0)  /* sgnjn(qNaN(0x8000000012345), -0) = qNaN(0x8000000012345) (payload kept) */
  FPE(0x8000000000000000, 0xc008000000000000, 0x0, 0x0, 0)  /* sgnjn(-0, -3) = 0 */
fsgnjn_d_end:
fsgnjx_d:
  FPE(0xbff0000000000000, 0xbff0000000000000, 0x0, 0x3ff0000000000000, 0)  /* sgnjx(-1, -1) = 1 (fabs) */
  FPE(0xfff0000000000000, 0x3ff0000000000000, 0x0, 0xfff0000000000000, 0)  /* sgnjx(-inf, 1) = -inf */
  FPE(0x7ff8000000012345, 0x8000000000000000, 0x0, 0xfff8000000012345, 0)  /* sgnjx(qNaN(0x8000000012345), -0) = -qNaN(0x8000000012345) */
  FPE(0x4008000000000000, 0xfff0000000000123, 0x0, 0xc008000000000000, 0)  /* sgnjx(3, -sNaN(0x123)) = -3 */
fsgnjx_d_end:
fmin_d:
  FPE(0x3ff0000000000000, 0x4000000000000000, 0x0, 0x3ff0000000000000, 0)  /* min(1, 2) = 1 */
  FPE(0x4000000000000000, 0x3ff0000000000000, 0x0, 0x3ff0000000000000, 0)  /* min(2, 1) = 1 */
  FPE(0x8000000000000000, 0x0, 0x0, 0x8000000000000000, 0)  /* min(-0, 0) = -0 (-0 < +0) */
  FPE(0x0, 0x8000000000000000, 0x0, 0x8000000000000000, 0)  /* min(0, -0) = -0 (-0 < +0) */
  FPE(0x7ff8000000012345, 0x3ff0000000000000, 0x0, 0x3ff0000000000000, 0)  /* min(qNaN(0x8000000012345), 1) = 1 (one NaN: the number) */
  FPE(0x3ff0000000000000, 0x7ff8000000012345, 0x0, 0x3ff0000000000000, 0)  /* min(1, qNaN(0x8000000012345)) = 1 */
  FPE(0x7ff0000000000001, 0x3ff0000000000000, 0x0, 0x3ff0000000000000, NV)  /* min(sNaN(0x1), 1) = 1 NV (signalling NaN: the number, NV) */
  FPE(0x7ff8000000000000, 0x7ff8000000012345, 0x0, 0x7ff8000000000000, 0)  /* min(qNaN, qNaN(0x8000000012345)) = qNaN (both NaN: canonical NaN) */
  FPE(0x7ff0000000000001, 0x7ff8000000000000, 0x0, 0x7ff8000000000000, NV)  /* min(sNaN(0x1), qNaN) = qNaN NV */
  FPE(0xfff0000000000000, 0xffefffffffffffff, 0x0, 0xfff0000000000000, 0)  /* min(-inf, -0x1.fffffffffffffp1023) = -inf */
  FPE(0x1, 0x8000000000000001, 0x0, 0x8000000000000001, 0)  /* min(0x0.0000000000001p-1022, -0x0.0000000000001p-1022) = -0x0.0000000000001p-1022 */
  FPE(0xfff8000000054321, 0xbff0000000000000, 0x0, 0xbff0000000000000, 0)  /* min(-qNaN(0x8000000054321), -1) = -1 */
fmin_d_end:
fmax_d:
  FPE(0x3ff0000000000000, 0x4000000000000000, 0x0, 0x4000000000000000, 0)  /* max(1, 2) = 2 */
  FPE(0x8000000000000000, 0x0, 0x0, 0x0, 0)  /* max(-0, 0) = 0 (+0 > -0) */
  FPE(0x0, 0x8000000000000000, 0x0, 0x0, 0)  /* max(0, -0) = 0 */
  FPE(0x3ff0000000000000, 0x7ff0000000000001, 0x0, 0x3ff0000000000000, NV)  /* max(1, sNaN(0x1)) = 1 NV */
  FPE(0x7ff8000000000000, 0xfff0000000000000, 0x0, 0xfff0000000000000, 0)  /* max(qNaN, -inf) = -inf */
  FPE(0xfff8000000054321, 0xfff8000000054321, 0x0, 0x7ff8000000000000, 0)  /* max(-qNaN(0x8000000054321), -qNaN(0x8000000054321)) = qNaN */
  FPE(0x7ff0000000000000, 0x7fefffffffffffff, 0x0, 0x7ff0000000000000, 0)  /* max(inf, 0x1.fffffffffffffp1023) = inf */
  FPE(0xc000000000000000, 0xc008000000000000, 0x0, 0xc000000000000000, 0)  /* max(-2, -3) = -2 */
fmax_d_end:
feq_d:
  FPE(0x3ff0000000000000, 0x3ff0000000000000, 0x0, 0x1, 0)  /* 1 == 1 = 1 */
  FPE(0x3ff0000000000000, 0x4000000000000000, 0x0, 0x0, 0)  /* 1 == 2 = 0 */
  FPE(0x8000000000000000, 0x0, 0x0, 0x1, 0)  /* -0 == 0 = 1 */
  FPE(0x7ff8000000012345, 0x3ff0000000000000, 0x0, 0x0, 0)  /* qNaN(0x8000000012345) == 1 = 0 (quiet compare: no flag) */
  FPE(0x7ff8000000000000, 0x7ff8000000000000, 0x0, 0x0, 0)  /* qNaN == qNaN = 0 */
  FPE(0x7ff0000000000001, 0x3ff0000000000000, 0x0, 0x0, NV)  /* sNaN(0x1) == 1 = 0 NV (signalling NaN: NV) */
  FPE(0x7ff0000000000000, 0x7ff0000000000000, 0x0, 0x1, 0)  /* inf == inf = 1 */
feq_d_end:
flt_d:
  FPE(0x3ff0000000000000, 0x4000000000000000, 0x0, 0x1, 0)  /* 1 < 2 = 1 */
  FPE(0x4000000000000000, 0x3ff0000000000000, 0x0, 0x0, 0)  /* 2 < 1 = 0 */
  FPE(0x8000000000000000, 0x0, 0x0, 0x0, 0)  /* -0 < 0 = 0 (equal) */
  FPE(0xfff0000000000000, 0xffefffffffffffff, 0x0, 0x1, 0)  /* -inf < -0x1.fffffffffffffp1023 = 1 */
  FPE(0x7ff8000000000000, 0x3ff0000000000000, 0x0, 0x0, NV)  /* qNaN < 1 = 0 NV (signalling compare: NV on any NaN) */
  FPE(0x3ff0000000000000, 0x7ff0000000000001, 0x0, 0x0, NV)  /* 1 < sNaN(0x1) = 0 NV */
  FPE(0x1, 0x10000000000000, 0x0, 0x1, 0)  /* 0x0.0000000000001p-1022 < 0x1p-1022 = 1 */
  FPE(0xbff0000000000000, 0xc000000000000000, 0x0, 0x0, 0)  /* -1 < -2 = 0 */
flt_d_end:
fle_d:
  FPE(0x3ff0000000000000, 0x3ff0000000000000, 0x0, 0x1, 0)  /* 1 <= 1 = 1 */
  FPE(0x8000000000000000, 0x0, 0x0, 0x1, 0)  /* -0 <= 0 = 1 */
  FPE(0x0, 0x8000000000000000, 0x0, 0x1, 0)  /* 0 <= -0 = 1 */
  FPE(0x4000000000000000, 0x3ff0000000000000, 0x0, 0x0, 0)  /* 2 <= 1 = 0 */
  FPE(0x7ff8000000012345, 0x7ff8000000012345, 0x0, 0x0, NV)  /* qNaN(0x8000000012345) <= qNaN(0x8000000012345) = 0 NV (NV) */
  FPE(0xfff0000000000000, 0xfff0000000000000, 0x0, 0x1, 0)  /* -inf <= -inf = 1 */
fle_d_end:
fclass_d:
  FPE(0xfff0000000000000, 0x0, 0x0, 0x1, 0)  /* class(-inf) = 1 (bit 0) */
  FPE(0xbff0000000000000, 0x0, 0x0, 0x2, 0)  /* class(-1) = 2 (bit 1: negative normal) */
  FPE(0x800fffffffffffff, 0x0, 0x0, 0x4, 0)  /* class(-0x0.fffffffffffffp-1022) = 4 (bit 2: negative subnormal) */
  FPE(0x8000000000000000, 0x0, 0x0, 0x8, 0)  /* class(-0) = 8 (bit 3) */
  FPE(0x0, 0x0, 0x0, 0x10, 0)  /* class(0) = 0x10 (bit 4) */
  FPE(0x1, 0x0, 0x0, 0x20, 0)  /* class(0x0.0000000000001p-1022) = 0x20 (bit 5: positive subnormal) */
  FPE(0x7fefffffffffffff, 0x0, 0x0, 0x40, 0)  /* class(0x1.fffffffffffffp1023) = 0x40 (bit 6: positive normal) */
  FPE(0x10000000000000, 0x0, 0x0, 0x40, 0)  /* class(0x1p-1022) = 0x40 */
  FPE(0x7ff0000000000000, 0x0, 0x0, 0x80, 0)  /* class(inf) = 0x80 (bit 7) */
  FPE(0x7ff4000000000005, 0x0, 0x0, 0x100, 0)  /* class(sNaN(0x4000000000005)) = 0x100 (bit 8: signalling NaN) */
  FPE(0xfff0000000000123, 0x0, 0x0, 0x100, 0)  /* class(-sNaN(0x123)) = 0x100 */
  FPE(0x7ff8000000000000, 0x0, 0x0, 0x200, 0)  /* class(qNaN) = 0x200 (bit 9: quiet NaN) */
  FPE(0xfff8000000054321, 0x0, 0x0, 0x200, 0)  /* class(-qNaN(0x8000000054321)) = 0x200 */
fclass_d_end:
fcvt_w_d:
  FPE(0x3ff8000000000000, 0x0, 0x0, 0x2, NX)  /* w(0x1.8p0) = 2 NX */
  FPE(0x4004000000000000, 0x0, 0x0, 0x2, NX)  /* w(0x1.4p1) = 2 NX (tie: to even) */
  FPE(0xbff8000000000000, 0x0, 0x0, 0xfffffffffffffffe, NX)  /* w(-0x1.8p0) = 0xfffffffffffffffe NX */
  FPE(0xbfe0000000000000, 0x0, 0x0, 0x0, NX)  /* w(-0x1p-1) = 0 NX (rounds to 0) */
  FPE(0x8000000000000000, 0x0, 0x0, 0x0, 0)  /* w(-0) = 0 (exact) */
  FPE(0x41e0000000000000, 0x0, 0x0, 0x7fffffff, NV)  /* w(2147483648) = 0x7fffffff NV (out of range: clipped, NV, no NX) */
  FPE(0xc1e0000000000000, 0x0, 0x0, 0xffffffff80000000, 0)  /* w(-2147483648) = 0xffffffff80000000 (exact minimum) */
  FPE(0x41dfffffffc00000, 0x0, 0x0, 0x7fffffff, 0)  /* w(2147483647) = 0x7fffffff (largest in range) */
  FPE(0xc1e0000000000001, 0x0, 0x0, 0xffffffff80000000, NX)  /* w(-0x1.0000000000001p31) = 0xffffffff80000000 NX */
  FPE(0x7ff0000000000000, 0x0, 0x0, 0x7fffffff, NV)  /* w(inf) = 0x7fffffff NV */
  FPE(0xfff0000000000000, 0x0, 0x0, 0xffffffff80000000, NV)  /* w(-inf) = 0xffffffff80000000 NV */
  FPE(0x7ff8000000000000, 0x0, 0x0, 0x7fffffff, NV)  /* w(qNaN) = 0x7fffffff NV (NaN -> maximum) */
  FPE(0xfff8000000054321, 0x0, 0x0, 0x7fffffff, NV)  /* w(-qNaN(0x8000000054321)) = 0x7fffffff NV (negative NaN -> maximum too) */
  FPE(0x7ff0000000000001, 0x0, 0x0, 0x7fffffff, NV)  /* w(sNaN(0x1)) = 0x7fffffff NV */
  FPE(0x1, 0x0, 0x0, 0x0, NX)  /* w(0x0.0000000000001p-1022) = 0 NX */
  FPE(0x41dfffffffe00000, 0x0, 0x0, 0x7fffffff, NV)  /* w(0x1.fffffffep30) = 0x7fffffff NV (2^31 - 0.5 rounds out of range) */
  FPE(0xc1e0000000100000, 0x0, 0x0, 0xffffffff80000000, NX)  /* w(-0x1.00000001p31) = 0xffffffff80000000 NX (-2^31 - 0.5 rounds to even -2^31: in range) */
fcvt_w_d_end:
fcvt_wu_d:
  FPE(0x41e65a0bc0000000, 0x0, 0x0, 0xffffffffb2d05e00, 0)  /* wu(3000000000) = 0xffffffffb2d05e00 (result sign-extended from bit 31) */
  FPE(0x41efffffffe00000, 0x0, 0x0, 0xffffffffffffffff, 0)  /* wu(4294967295) = 0xffffffffffffffff (largest in range) */
  FPE(0x41f0000000000000, 0x0, 0x0, 0xffffffffffffffff, NV)  /* wu(4294967296) = 0xffffffffffffffff NV (out of range) */
  FPE(0xbff0000000000000, 0x0, 0x0, 0x0, NV)  /* wu(-1) = 0 NV (negative: clipped to 0, NV) */
  FPE(0xbfe0000000000000, 0x0, 0x0, 0x0, NX)  /* wu(-0x1p-1) = 0 NX (rounds to -0: in range, NX only) */
  FPE(0xbfe8000000000000, 0x0, 0x0, 0x0, NV)  /* wu(-0x1.8p-1) = 0 NV (rounds to -1: NV) */
  FPE(0x7ff0000000000000, 0x0, 0x0, 0xffffffffffffffff, NV)  /* wu(inf) = 0xffffffffffffffff NV */
  FPE(0xfff0000000000000, 0x0, 0x0, 0x0, NV)  /* wu(-inf) = 0 NV */
  FPE(0x7ff8000000012345, 0x0, 0x0, 0xffffffffffffffff, NV)  /* wu(qNaN(0x8000000012345)) = 0xffffffffffffffff NV */
  FPE(0x4004000000000000, 0x0, 0x0, 0x2, NX)  /* wu(0x1.4p1) = 2 NX */
fcvt_wu_d_end:
fcvt_l_d:
  FPE(0x43e0000000000000, 0x0, 0x0, 0x7fffffffffffffff, NV)  /* l(9223372036854775808) = 0x7fffffffffffffff NV (out of range) */
  FPE(0xc3e0000000000000, 0x0, 0x0, 0x8000000000000000, 0)  /* l(-9223372036854775808) = 0x8000000000000000 (exact minimum) */
  FPE(0x43dfffffffffffff, 0x0, 0x0, 0x7ffffffffffffc00, 0)  /* l(9223372036854774784) = 0x7ffffffffffffc00 (largest in range) */
  FPE(0x7ff0000000000000, 0x0, 0x0, 0x7fffffffffffffff, NV)  /* l(inf) = 0x7fffffffffffffff NV */
  FPE(0xfff0000000000000, 0x0, 0x0, 0x8000000000000000, NV)  /* l(-inf) = 0x8000000000000000 NV */
  FPE(0x7ff4000000000005, 0x0, 0x0, 0x7fffffffffffffff, NV)  /* l(sNaN(0x4000000000005)) = 0x7fffffffffffffff NV */
  FPE(0x3ff8000000000000, 0x0, 0x0, 0x2, NX)  /* l(0x1.8p0) = 2 NX */
  FPE(0xc004000000000000, 0x0, 0x0, 0xfffffffffffffffe, NX)  /* l(-0x1.4p1) = 0xfffffffffffffffe NX */
fcvt_l_d_end:
fcvt_lu_d:
  FPE(0x43f0000000000000, 0x0, 0x0, 0xffffffffffffffff, NV)  /* lu(0x1p64) = 0xffffffffffffffff NV (out of range) */
  FPE(0x43efffffffffffff, 0x0, 0x0, 0xfffffffffffff800, 0)  /* lu(18446744073709549568) = 0xfffffffffffff800 (largest in range) */
  FPE(0xbff0000000000000, 0x0, 0x0, 0x0, NV)  /* lu(-1) = 0 NV */
  FPE(0xbfd0000000000000, 0x0, 0x0, 0x0, NX)  /* lu(-0x1p-2) = 0 NX (rounds to -0: NX only) */
  FPE(0x7ff8000000000000, 0x0, 0x0, 0xffffffffffffffff, NV)  /* lu(qNaN) = 0xffffffffffffffff NV */
  FPE(0xfff0000000000000, 0x0, 0x0, 0x0, NV)  /* lu(-inf) = 0 NV */
  FPE(0x43e0000000000000, 0x0, 0x0, 0x8000000000000000, 0)  /* lu(9223372036854775808) = 0x8000000000000000 */
fcvt_lu_d_end:
fcvt_d_w:
  FPE(0x0, 0x0, 0x0, 0x0, 0)  /* from w 0 = 0 (never sets a flag) */
  FPE(0xffffffffffffffff, 0x0, 0x0, 0xbff0000000000000, 0)  /* from w 0xffffffffffffffff = -1 (-1) */
  FPE(0x1000001, 0x0, 0x0, 0x4170000010000000, 0)  /* from w 0x1000001 = 16777217 */
  FPE(0x7fffffff, 0x0, 0x0, 0x41dfffffffc00000, 0)  /* from w 0x7fffffff = 2147483647 */
  FPE(0xffffffff80000000, 0x0, 0x0, 0xc1e0000000000000, 0)  /* from w 0xffffffff80000000 = -2147483648 */
  FPE(0xffffffff, 0x0, 0x0, 0xbff0000000000000, 0)  /* from w 0xffffffff = -1 (low 32 bits only: -1) */
  FPE(0x100000001, 0x0, 0x0, 0x3ff0000000000000, 0)  /* from w 0x100000001 = 1 (low 32 bits only: 1) */
fcvt_d_w_end:
fcvt_d_wu:
  FPE(0xffffffff, 0x0, 0x0, 0x41efffffffe00000, 0)  /* from wu 0xffffffff = 4294967295 */
  FPE(0xffffffff00000001, 0x0, 0x0, 0x3ff0000000000000, 0)  /* from wu 0xffffffff00000001 = 1 (upper bits ignored) */
  FPE(0x80000000, 0x0, 0x0, 0x41e0000000000000, 0)  /* from wu 0x80000000 = 2147483648 */
fcvt_d_wu_end:
fcvt_d_l:
  FPE(0x8000000000000000, 0x0, 0x0, 0xc3e0000000000000, 0)  /* from l 0x8000000000000000 = -9223372036854775808 (-2^63 exact) */
  FPE(0x7fffffffffffffff, 0x0, 0x0, 0x43e0000000000000, NX)  /* from l 0x7fffffffffffffff = 9223372036854775808 NX */
  FPE(0x20000000000001, 0x0, 0x0, 0x4340000000000000, NX)  /* from l 0x20000000000001 = 9007199254740992 NX */
  FPE(0xfffffffffffffffd, 0x0, 0x0, 0xc008000000000000, 0)  /* from l 0xfffffffffffffffd = -3 (-3) */
fcvt_d_l_end:
fcvt_d_lu:
  FPE(0xffffffffffffffff, 0x0, 0x0, 0x43f0000000000000, NX)  /* from lu 0xffffffffffffffff = 0x1p64 NX */
  FPE(0x8000000000000000, 0x0, 0x0, 0x43e0000000000000, 0)  /* from lu 0x8000000000000000 = 9223372036854775808 */
  FPE(0x8000000000000401, 0x0, 0x0, 0x43e0000000000001, NX)  /* from lu 0x8000000000000401 = 9223372036854777856 NX */
fcvt_d_lu_end:
fcvt_s_d:
  FPE(0x3ff0000000000000, 0x0, 0x0, 0x3f800000, 0)  /* single(1) = 1 */
  FPE(0x3fd5555555555555, 0x0, 0x0, 0x3eaaaaab, NX)  /* single(0x1.5555555555555p-2) = 0x1.555556p-2 NX */
  FPE(0x8000000000000000, 0x0, 0x0, 0x80000000, 0)  /* single(-0) = -0 */
  FPE(0xfff0000000000000, 0x0, 0x0, 0xff800000, 0)  /* single(-inf) = -inf */
  FPE(0x7fefffffffffffff, 0x0, 0x0, 0x7f800000, OF|NX)  /* single(0x1.fffffffffffffp1023) = inf OF|NX (overflow) */
  FPE(0x47effffff0000000, 0x0, 0x0, 0x7f800000, OF|NX)  /* single(0x1.ffffffp127) = inf OF|NX (rounds up to 2^128: overflow) */
  FPE(0x47efffffefffffff, 0x0, 0x0, 0x7f7fffff, NX)  /* single(0x1.fffffefffffffp127) = 0x1.fffffep127 NX (just below: max finite) */
  FPE(0x3690000000000000, 0x0, 0x0, 0x0, UF|NX)  /* single(0x1p-150) = 0 UF|NX (half min subnormal: tie to 0, UF) */
  FPE(0x380fffffe0000000, 0x0, 0x0, 0x800000, UF|NX)  /* single(0x1.fffffep-127) = 0x1p-126 UF|NX (tiny after rounding too: UF, result min normal) */
  FPE(0x380ffffff0000000, 0x0, 0x0, 0x800000, NX)  /* single(0x1.ffffffp-127) = 0x1p-126 NX (tiny only before rounding: no UF) */
  FPE(0x36b8000000000000, 0x0, 0x0, 0x3, 0)  /* single(0x1.8p-148) = 0x0.000006p-126 (exact subnormal) */
  FPE(0x1, 0x0, 0x0, 0x0, UF|NX)  /* single(0x0.0000000000001p-1022) = 0 UF|NX */
  FPE(0x7ff8000000012345, 0x0, 0x0, 0x7fc00000, 0)  /* single(qNaN(0x8000000012345)) = qNaN (canonical single NaN) */
  FPE(0x7ff4000000000005, 0x0, 0x0, 0x7fc00000, NV)  /* single(sNaN(0x4000000000005)) = qNaN NV */
fcvt_s_d_end:
fcvt_d_s:
  FPE(0x3f800000, 0x0, 0x0, 0x3ff0000000000000, 0)  /* double(1) = 1 */
  FPE(0x1, 0x0, 0x0, 0x36a0000000000000, 0)  /* double(0x0.000002p-126) = 0x1p-149 (subnormal becomes normal, exact) */
  FPE(0x7f7fffff, 0x0, 0x0, 0x47efffffe0000000, 0)  /* double(0x1.fffffep127) = 0x1.fffffep127 */
  FPE(0xff800000, 0x0, 0x0, 0xfff0000000000000, 0)  /* double(-inf) = -inf */
  FPE(0x80000000, 0x0, 0x0, 0x8000000000000000, 0)  /* double(-0) = -0 */
  FPE(0x7fc12345, 0x0, 0x0, 0x7ff8000000000000, 0)  /* double(qNaN(0x412345)) = qNaN (canonical double NaN) */
  FPE(0x7f800001, 0x0, 0x0, 0x7ff8000000000000, NV)  /* double(sNaN(0x1)) = qNaN NV (NV) */
fcvt_d_s_end:
