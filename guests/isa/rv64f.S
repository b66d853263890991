/* rv64f.S — self-checking test of the F extension (single precision) on RV64, RNE via frm
   (rm = dyn): loads/stores/moves, every arithmetic, sign-injection, min/max, compare, classify
   and int<->float conversion instruction, with the exact fflags of every operation.
   Rounding modes other than RNE are in rv64f-round.S.
   Spec: unpriv/f-st-ext.adoc, d-st-ext.adoc "NaN Boxing of Narrower Values". Rules checked:
   - "NaN Generation and Propagation": every NaN result is the canonical NaN 0x7fc00000 (no
     payload propagation); signalling NaN operands raise NV.
   - "Subnormal Arithmetic": tininess is detected after rounding; UF only when tiny and inexact.
   - FMA: one rounding; "must set the invalid operation exception flag when the multiplicands
     are inf and zero, even when the addend is a quiet NaN".
   - FMIN/FMAX: -0 < +0; one NaN -> the other operand; two NaNs -> canonical NaN; sNaN -> NV.
   - FEQ is a quiet compare (NV only on sNaN); FLT/FLE signal NV on any NaN; NaN -> 0.
   - FCVT to integer: table "Domains of float-to-integer conversions": out-of-range and NaN
     inputs saturate (NaN -> maximum) with NV and no NX; W/WU results are sign-extended.
   - Sign injection and FMV/FLW/FSW do not canonicalize NaNs and raise no flags.
   - NaN boxing: single results are written with the upper 32 bits set; an improperly boxed
     operand reads as the canonical NaN, except in transfers (FSW, FMV.X.W) which use the low
     32 bits. Each table entry below is one check (result bits and fflags). */
#include "test.h"
#include "fptest.h"

  .option norelax       /* gp holds TESTNUM */

TEST_BEGIN

/* ---- FLW / FSW / FMV.X.W / FMV.W.X ---- */
  la s0, ls_data
  csrwi fflags, 0
  flw fa0, 0(s0)                /* a signalling NaN is loaded bit-exact and NaN-boxed */
  fmv.x.d a0, fa0
  CHECK_EQ(a0, 0xffffffff7f800001)
  addi s1, s0, 8
  flw fa1, -4(s1)               /* negative offset */
  fmv.x.w a0, fa1               /* FMV.X.W sign-extends bit 31 */
  CHECK_EQ(a0, 0xffffffffbf800000)
  fsw fa0, 12(s0)               /* FSW writes 4 bytes only */
  ld a0, 8(s0)
  CHECK_EQ(a0, 0x7f80000155555555)
  li a1, 0x123456789abcdef0     /* improperly NaN-boxed register (fmv.d.x writes 64 bits) */
  fmv.d.x fa2, a1
  fsw fa2, -8(s1)               /* transfers out ignore the upper 32 bits */
  lwu a0, 0(s0)
  CHECK_EQ(a0, 0x9abcdef0)
  fmv.x.w a0, fa2
  CHECK_EQ(a0, 0xffffffff9abcdef0)
  li a1, 0xabcdef017fc12345     /* FMV.W.X: low 32 bits, payload kept, result NaN-boxed */
  fmv.w.x fa3, a1
  fmv.x.d a0, fa3
  CHECK_EQ(a0, 0xffffffff7fc12345)
  fmv.x.w a0, fa3
  CHECK_EQ(a0, 0x7fc12345)
  CHECK_FFLAGS(0)               /* loads, stores and moves never set flags */

/* ---- arithmetic (frm = RNE, rm = dyn) ---- */
  FP_TABLE F2R, fadd.s, dyn, s, s, fadd_s, 0
  FP_TABLE F2R, fsub.s, dyn, s, s, fsub_s, 0
  FP_TABLE F2R, fmul.s, dyn, s, s, fmul_s, 0
  FP_TABLE F2R, fdiv.s, dyn, s, s, fdiv_s, 0
  FP_TABLE F1R, fsqrt.s, dyn, s, s, fsqrt_s, 0
  FP_TABLE F3R, fmadd.s, dyn, s, s, fmadd_s, 0
  FP_TABLE F3R, fmsub.s, dyn, s, s, fmsub_s, 0
  FP_TABLE F3R, fnmsub.s, dyn, s, s, fnmsub_s, 0
  FP_TABLE F3R, fnmadd.s, dyn, s, s, fnmadd_s, 0

/* ---- sign injection, min/max ---- */
  FP_TABLE F2, fsgnj.s, -, s, s, fsgnj_s, 0
  FP_TABLE F2, fsgnjn.s, -, s, s, fsgnjn_s, 0
  FP_TABLE F2, fsgnjx.s, -, s, s, fsgnjx_s, 0
  FP_TABLE F2, fmin.s, -, s, s, fmin_s, 0
  FP_TABLE F2, fmax.s, -, s, s, fmax_s, 0

/* ---- compare and classify ---- */
  FP_TABLE XF2, feq.s, -, s, x, feq_s, 0
  FP_TABLE XF2, flt.s, -, s, x, flt_s, 0
  FP_TABLE XF2, fle.s, -, s, x, fle_s, 0
  FP_TABLE XF1, fclass.s, -, s, x, fclass_s, 0

/* ---- conversions (frm = RNE) ---- */
  FP_TABLE XF1R, fcvt.w.s, dyn, s, x, fcvt_w_s, 0
  FP_TABLE XF1R, fcvt.wu.s, dyn, s, x, fcvt_wu_s, 0
  FP_TABLE XF1R, fcvt.l.s, dyn, s, x, fcvt_l_s, 0
  FP_TABLE XF1R, fcvt.lu.s, dyn, s, x, fcvt_lu_s, 0
  FP_TABLE FX1R, fcvt.s.w, dyn, x, s, fcvt_s_w, 0
  FP_TABLE FX1R, fcvt.s.wu, dyn, x, s, fcvt_s_wu, 0
  FP_TABLE FX1R, fcvt.s.l, dyn, x, s, fcvt_s_l, 0
  FP_TABLE FX1R, fcvt.s.lu, dyn, x, s, fcvt_s_lu, 0

/* ---- NaN boxing: operands whose upper 32 bits are not all ones read as the canonical NaN ---- */
  FP_TABLE F2R, fadd.s, dyn, b, s, nb_fadd, 0
  FP_TABLE F3R, fmadd.s, dyn, b, s, nb_fmadd, 0
  FP_TABLE F1R, fsqrt.s, dyn, b, s, nb_fsqrt, 0
  FP_TABLE F2, fsgnj.s, -, b, s, nb_fsgnj, 0
  FP_TABLE F2, fsgnjn.s, -, b, s, nb_fsgnjn, 0
  FP_TABLE F2, fsgnjx.s, -, b, s, nb_fsgnjx, 0
  FP_TABLE F2, fmin.s, -, b, s, nb_fmin, 0
  FP_TABLE XF2, feq.s, -, b, x, nb_feq, 0
  FP_TABLE XF2, flt.s, -, b, x, nb_flt, 0
  FP_TABLE XF1, fclass.s, -, b, x, nb_fclass, 0
  FP_TABLE XF1R, fcvt.w.s, dyn, b, x, nb_fcvt_w, 0
  FP_TABLE F1, fcvt.d.s, -, b, d, nb_fcvt_d_s, 0

/* ---- fflags accrue: the OR of all flags raised since software last cleared them ---- */
  la s0, acc_data
  flw fa1, 0(s0)                /* 1.0 */
  flw fa2, 4(s0)                /* 0.0 */
  flw fa3, 8(s0)                /* max */
  flw fa4, 12(s0)               /* 2^-24 */
  flw fa5, 16(s0)               /* min subnormal */
  flw fa6, 20(s0)               /* 0.5 */
  flw fa7, 24(s0)               /* -1.0 */
  csrwi fflags, 0
  fdiv.s fa0, fa1, fa2          /* DZ */
  fadd.s fa0, fa1, fa4          /* NX */
  fsgnj.s fa0, fa1, fa2         /* none */
  CHECK_FFLAGS(DZ|NX)
  fsqrt.s fa0, fa7              /* NV */
  fmul.s fa0, fa3, fa3          /* OF|NX */
  CHECK_FFLAGS(NV|OF|NX)
  fmul.s fa0, fa5, fa6          /* UF|NX */
  fdiv.s fa0, fa1, fa2          /* DZ */
  feq.s a0, fa1, fa2            /* none */
  CHECK_FFLAGS(UF|NX|DZ)

  j pass

TEST_END

  .data
  .balign 8
ls_data:
  .word 0x7f800001, 0xbf800000, 0x55555555, 0x55555555
acc_data:
  .word 0x3f800000, 0x00000000, 0x7f7fffff, 0x33800000, 0x00000001, 0x3f000000, 0xbf800000, 0
fadd_s:
  FPE(0x3f800000, 0x40000000, 0x0, 0x40400000, 0)  /* 1 + 2 = 3 */
  FPE(0x3f800000, 0x33800000, 0x0, 0x3f800000, NX)  /* 1 + 0x1p-24 = 1 NX (tie: to even, down) */
  FPE(0x3f800001, 0x33800000, 0x0, 0x3f800002, NX)  /* 0x1.000002p0 + 0x1p-24 = 0x1.000004p0 NX (tie: to even, up) */
  FPE(0x3f800000, 0x33c00000, 0x0, 0x3f800001, NX)  /* 1 + 0x1.8p-24 = 0x1.000002p0 NX (above the tie: up) */
  FPE(0x80000000, 0x80000000, 0x0, 0x80000000, 0)  /* -0 + -0 = -0 */
  FPE(0x0, 0x80000000, 0x0, 0x0, 0)  /* 0 + -0 = 0 (exact zero sum is +0 in RNE) */
  FPE(0x3fc00000, 0xbfc00000, 0x0, 0x0, 0)  /* 0x1.8p0 + -0x1.8p0 = 0 (exact zero sum is +0 in RNE) */
  FPE(0x7f800000, 0xff800000, 0x0, 0x7fc00000, NV)  /* inf + -inf = qNaN NV (invalid) */
  FPE(0x7f800000, 0x3f800000, 0x0, 0x7f800000, 0)  /* inf + 1 = inf (exact) */
  FPE(0x7fc12345, 0x3f800000, 0x0, 0x7fc00000, 0)  /* qNaN(0x412345) + 1 = qNaN (quiet NaN in: canonical NaN out, no flag) */
  FPE(0x7f800001, 0x3f800000, 0x0, 0x7fc00000, NV)  /* sNaN(0x1) + 1 = qNaN NV (signalling NaN: NV) */
  FPE(0xffc54321, 0x7fa00005, 0x0, 0x7fc00000, NV)  /* -qNaN(0x454321) + sNaN(0x200005) = qNaN NV */
  FPE(0x7f7fffff, 0x7f7fffff, 0x0, 0x7f800000, OF|NX)  /* 0x1.fffffep127 + 0x1.fffffep127 = inf OF|NX (overflow) */
  FPE(0x1, 0x1, 0x0, 0x2, 0)  /* 0x0.000002p-126 + 0x0.000002p-126 = 0x0.000004p-126 (subnormal result, exact: no UF) */
  FPE(0x800000, 0x80000001, 0x0, 0x7fffff, 0)  /* 0x1p-126 + -0x0.000002p-126 = 0x0.fffffep-126 (normal to subnormal, exact) */
  FPE(0x53800000, 0x3f800000, 0x0, 0x53800000, NX)  /* 1099511627776 + 1 = 1099511627776 NX (absorbed: inexact) */
fadd_s_end:
fsub_s:
  FPE(0x40400000, 0x3f800000, 0x0, 0x40000000, 0)  /* 3 - 1 = 2 */
  FPE(0x3f800000, 0x3f800000, 0x0, 0x0, 0)  /* 1 - 1 = 0 (+0 in RNE) */
  FPE(0x80000000, 0x0, 0x0, 0x80000000, 0)  /* -0 - 0 = -0 (-0 - +0 = -0) */
  FPE(0x0, 0x0, 0x0, 0x0, 0)  /* 0 - 0 = 0 */
  FPE(0x7f800000, 0x7f800000, 0x0, 0x7fc00000, NV)  /* inf - inf = qNaN NV (invalid) */
  FPE(0x3f800000, 0x33000000, 0x0, 0x3f800000, NX)  /* 1 - 0x1p-25 = 1 NX (tie below 1: to even) */
  FPE(0xff7fffff, 0x7f7fffff, 0x0, 0xff800000, OF|NX)  /* -0x1.fffffep127 - 0x1.fffffep127 = -inf OF|NX (overflow) */
  FPE(0x7fc00000, 0x7f800001, 0x0, 0x7fc00000, NV)  /* qNaN - sNaN(0x1) = qNaN NV */
fsub_s_end:
fmul_s:
  FPE(0x40000000, 0x40400000, 0x0, 0x40c00000, 0)  /* 2 * 3 = 6 */
  FPE(0x80000000, 0x40a00000, 0x0, 0x80000000, 0)  /* -0 * 5 = -0 (sign of zero = xor) */
  FPE(0x0, 0xff800000, 0x0, 0x7fc00000, NV)  /* 0 * -inf = qNaN NV (invalid) */
  FPE(0x7f800000, 0xc0000000, 0x0, 0xff800000, 0)  /* inf * -2 = -inf */
  FPE(0x7f7fffff, 0x40000000, 0x0, 0x7f800000, OF|NX)  /* 0x1.fffffep127 * 2 = inf OF|NX (overflow) */
  FPE(0x800000, 0x3f000000, 0x0, 0x400000, 0)  /* 0x1p-126 * 0x1p-1 = 0x0.800000p-126 (exact subnormal: no UF) */
  FPE(0x1, 0x3f000000, 0x0, 0x0, UF|NX)  /* 0x0.000002p-126 * 0x1p-1 = 0 UF|NX (tie between 0 and min subnormal: to even 0) */
  FPE(0x1, 0x3f400000, 0x0, 0x1, UF|NX)  /* 0x0.000002p-126 * 0x1.8p-1 = 0x0.000002p-126 UF|NX (rounds up to min subnormal) */
  FPE(0x3f7fffff, 0x800000, 0x0, 0x800000, UF|NX)  /* 0x1.fffffep-1 * 0x1p-126 = 0x1p-126 UF|NX (tiny before and after rounding (unbounded exponent): UF, result min normal) */
  FPE(0x800001, 0x3f7ffffe, 0x0, 0x800000, NX)  /* 0x1.000002p-126 * 0x1.fffffcp-1 = 0x1p-126 NX (tiny before rounding only: tininess after rounding, no UF) */
  FPE(0x3f800001, 0x3f800001, 0x0, 0x3f800002, NX)  /* 0x1.000002p0 * 0x1.000002p0 = 0x1.000004p0 NX (inexact) */
  FPE(0x7fc12345, 0x3f800000, 0x0, 0x7fc00000, 0)  /* qNaN(0x412345) * 1 = qNaN */
  FPE(0x7f800001, 0x0, 0x0, 0x7fc00000, NV)  /* sNaN(0x1) * 0 = qNaN NV */
fmul_s_end:
fdiv_s:
  FPE(0x3f800000, 0x40400000, 0x0, 0x3eaaaaab, NX)  /* 1 / 3 = 0x1.555556p-2 NX */
  FPE(0x40c00000, 0x40400000, 0x0, 0x40000000, 0)  /* 6 / 3 = 2 (exact) */
  FPE(0x3f800000, 0x0, 0x0, 0x7f800000, DZ)  /* 1 / 0 = inf DZ (divide by zero) */
  FPE(0xbf800000, 0x0, 0x0, 0xff800000, DZ)  /* -1 / 0 = -inf DZ */
  FPE(0x3f800000, 0x80000000, 0x0, 0xff800000, DZ)  /* 1 / -0 = -inf DZ */
  FPE(0x0, 0x0, 0x0, 0x7fc00000, NV)  /* 0 / 0 = qNaN NV (invalid, not DZ) */
  FPE(0x7f800000, 0x7f800000, 0x0, 0x7fc00000, NV)  /* inf / inf = qNaN NV (invalid) */
  FPE(0x7f800000, 0x0, 0x0, 0x7f800000, 0)  /* inf / 0 = inf (infinite dividend: no DZ) */
  FPE(0x80000000, 0x40a00000, 0x0, 0x80000000, 0)  /* -0 / 5 = -0 */
  FPE(0x3f800000, 0x7f800000, 0x0, 0x0, 0)  /* 1 / inf = 0 */
  FPE(0x800000, 0x40400000, 0x0, 0x2aaaab, UF|NX)  /* 0x1p-126 / 3 = 0x0.555556p-126 UF|NX (inexact subnormal: UF) */
  FPE(0x7f7fffff, 0x3f000000, 0x0, 0x7f800000, OF|NX)  /* 0x1.fffffep127 / 0x1p-1 = inf OF|NX (overflow) */
  FPE(0x7fc00000, 0x0, 0x0, 0x7fc00000, 0)  /* qNaN / 0 = qNaN (NaN dividend: no DZ) */
  FPE(0x7f800001, 0x3f800000, 0x0, 0x7fc00000, NV)  /* sNaN(0x1) / 1 = qNaN NV */
fdiv_s_end:
fsqrt_s:
  FPE(0x40800000, 0x0, 0x0, 0x40000000, 0)  /* sqrt(4) = 2 */
  FPE(0x40000000, 0x0, 0x0, 0x3fb504f3, NX)  /* sqrt(2) = 0x1.6a09e6p0 NX */
  FPE(0x80000000, 0x0, 0x0, 0x80000000, 0)  /* sqrt(-0) = -0 (sqrt(-0) = -0) */
  FPE(0x0, 0x0, 0x0, 0x0, 0)  /* sqrt(0) = 0 */
  FPE(0xbf800000, 0x0, 0x0, 0x7fc00000, NV)  /* sqrt(-1) = qNaN NV (invalid) */
  FPE(0x7f800000, 0x0, 0x0, 0x7f800000, 0)  /* sqrt(inf) = inf */
  FPE(0xff800000, 0x0, 0x0, 0x7fc00000, NV)  /* sqrt(-inf) = qNaN NV (invalid) */
  FPE(0x7fc12345, 0x0, 0x0, 0x7fc00000, 0)  /* sqrt(qNaN(0x412345)) = qNaN */
  FPE(0x7f800001, 0x0, 0x0, 0x7fc00000, NV)  /* sqrt(sNaN(0x1)) = qNaN NV */
  FPE(0x2, 0x0, 0x0, 0x1a800000, 0)  /* sqrt(0x0.000004p-126) = 0x1p-74 (exact root of a subnormal) */
  FPE(0x1, 0x0, 0x0, 0x1a3504f3, NX)  /* sqrt(0x0.000002p-126) = 0x1.6a09e6p-75 NX */
fsqrt_s_end:
fmadd_s:
  FPE(0x40000000, 0x40400000, 0x3f800000, 0x40e00000, 0)  /* 2 * 3 + 1 = 7 */
  FPE(0x3f800001, 0x3f7ffffe, 0xbf800000, 0xa8800000, 0)  /* 0x1.000002p0 * 0x1.fffffcp-1 + -1 = -0x1p-46 (fused: the exact -2^-46, not 0) */
  FPE(0x3f800800, 0x3f800800, 0xbf800000, 0x3a000400, 0)  /* 0x1.001p0 * 0x1.001p0 + -1 = 0x1.0008p-11 (fused: differs from fmul then fadd) */
  FPE(0x7f7fffff, 0x40000000, 0xff7fffff, 0x7f7fffff, 0)  /* 0x1.fffffep127 * 2 + -0x1.fffffep127 = 0x1.fffffep127 (no intermediate overflow) */
  FPE(0x7f7fffff, 0x40000000, 0xff800000, 0xff800000, 0)  /* 0x1.fffffep127 * 2 + -inf = -inf (infinite addend: exact) */
  FPE(0x7f800000, 0x0, 0x7fc00000, 0x7fc00000, NV)  /* inf * 0 + qNaN = qNaN NV (inf*0 sets NV even with a quiet NaN addend) */
  FPE(0x7f800000, 0x0, 0x3f800000, 0x7fc00000, NV)  /* inf * 0 + 1 = qNaN NV (invalid) */
  FPE(0x7f800000, 0x3f800000, 0xff800000, 0x7fc00000, NV)  /* inf * 1 + -inf = qNaN NV (inf - inf: invalid) */
  FPE(0x0, 0x3f800000, 0x80000000, 0x0, 0)  /* 0 * 1 + -0 = 0 (+0 + -0 = +0) */
  FPE(0x80000000, 0x3f800000, 0x80000000, 0x80000000, 0)  /* -0 * 1 + -0 = -0 (-0 + -0 = -0) */
  FPE(0x3f800000, 0x3f800000, 0x7f800001, 0x7fc00000, NV)  /* 1 * 1 + sNaN(0x1) = qNaN NV */
  FPE(0x7fc12345, 0x3f800000, 0x3f800000, 0x7fc00000, 0)  /* qNaN(0x412345) * 1 + 1 = qNaN */
  FPE(0x1, 0x3f000000, 0x0, 0x0, UF|NX)  /* 0x0.000002p-126 * 0x1p-1 + 0 = 0 UF|NX (underflow to 0) */
fmadd_s_end:
fmsub_s:
  FPE(0x40000000, 0x40400000, 0x3f800000, 0x40a00000, 0)  /* 2 * 3 - 1 = 5 */
  FPE(0x3f800001, 0x3f7ffffe, 0x3f800000, 0xa8800000, 0)  /* 0x1.000002p0 * 0x1.fffffcp-1 - 1 = -0x1p-46 (fused) */
  FPE(0x0, 0x3f800000, 0x0, 0x0, 0)  /* 0 * 1 - 0 = 0 (+0 - +0 = +0) */
  FPE(0x80000000, 0x3f800000, 0x0, 0x80000000, 0)  /* -0 * 1 - 0 = -0 (-0 - +0 = -0) */
  FPE(0x7f800000, 0x7f800000, 0x7f800000, 0x7fc00000, NV)  /* inf * inf - inf = qNaN NV (invalid) */
fmsub_s_end:
fnmsub_s:
  FPE(0x40000000, 0x40400000, 0x3f800000, 0xc0a00000, 0)  /* -(2 * 3) + 1 = -5 */
  FPE(0x3f800001, 0x3f7ffffe, 0x3f800000, 0x28800000, 0)  /* -(0x1.000002p0 * 0x1.fffffcp-1) + 1 = 0x1p-46 (fused) */
  FPE(0x0, 0x3f800000, 0x0, 0x0, 0)  /* -(0 * 1) + 0 = 0 (-0 + +0 = +0) */
  FPE(0x0, 0x3f800000, 0x80000000, 0x80000000, 0)  /* -(0 * 1) + -0 = -0 (-0 + -0 = -0) */
  FPE(0x0, 0x7f800000, 0x7fc00000, 0x7fc00000, NV)  /* -(0 * inf) + qNaN = qNaN NV (invalid) */
fnmsub_s_end:
fnmadd_s:
  FPE(0x40000000, 0x40400000, 0x3f800000, 0xc0e00000, 0)  /* -(2 * 3) - 1 = -7 */
  FPE(0x3f800001, 0x3f7ffffe, 0xbf800000, 0x28800000, 0)  /* -(0x1.000002p0 * 0x1.fffffcp-1) - -1 = 0x1p-46 (fused) */
  FPE(0x0, 0x3f800000, 0x0, 0x80000000, 0)  /* -(0 * 1) - 0 = -0 (-0 - +0 = -0) */
  FPE(0x0, 0xbf800000, 0x0, 0x0, 0)  /* -(0 * -1) - 0 = 0 (+0 - +0 = +0) */
  FPE(0x7f800001, 0x3f800000, 0x3f800000, 0x7fc00000, NV)  /* -(sNaN(0x1) * 1) - 1 = qNaN NV */
fnmadd_s_end:
fsgnj_s:
  FPE(0x3f800000, 0xc0000000, 0x0, 0xbf800000, 0)  /* sgnj(1, -2) = -1 */
  FPE(0xbf800000, 0x40000000, 0x0, 0x3f800000, 0)  /* sgnj(-1, 2) = 1 */
  FPE(0x7f800001, 0xbf800000, 0x0, 0xff800001, 0)  /* sgnj(sNaN(0x1), -1) = -sNaN(0x1) (NaN kept as is, no NV) */
  FPE(0xff800000, 0x0, 0x0, 0x7f800000, 0)  /* sgnj(-inf, 0) = inf */
fsgnj_s_end:
fsgnjn_s:
  FPE(0x3f800000, 0x3f800000, 0x0, 0xbf800000, 0)  /* sgnjn(1, 1) = -1 (fneg) */
  FPE(0x7fc12345, 0x80000000, 0x0, 0x7fc12345, 0)  /* sgnjn(qNaN(0x412345), -0) = qNaN(0x412345) (payload kept) */
  FPE(0x80000000, 0xc0400000, 0x0, 0x0, 0)  /* sgnjn(-0, -3) = 0 */
fsgnjn_s_end:
fsgnjx_s:
  FPE(0xbf800000, 0xbf800000, 0x0, 0x3f800000, 0)  /* sgnjx(-1, -1) = 1 (fabs) */
  FPE(0xff800000, 0x3f800000, 0x0, 0xff800000, 0)  /* sgnjx(-inf, 1) = -inf */
  FPE(0x7fc12345, 0x80000000, 0x0, 0xffc12345, 0)  /* sgnjx(qNaN(0x412345), -0) = -qNaN(0x412345) */
  FPE(0x40400000, 0xff800123, 0x0, 0xc0400000, 0)  /* sgnjx(3, -sNaN(0x123)) = -3 */
fsgnjx_s_end:
fmin_s:
  FPE(0x3f800000, 0x40000000, 0x0, 0x3f800000, 0)  /* min(1, 2) = 1 */
  FPE(0x40000000, 0x3f800000, 0x0, 0x3f800000, 0)  /* min(2, 1) = 1 */
  FPE(0x80000000, 0x0, 0x0, 0x80000000, 0)  /* min(-0, 0) = -0 (-0 < +0) */
  FPE(0x0, 0x80000000, 0x0, 0x80000000, 0)  /* min(0, -0) = -0 (-0 < +0) */
  FPE(0x7fc12345, 0x3f800000, 0x0, 0x3f800000, 0)  /* min(qNaN(0x412345), 1) = 1 (one NaN: the number) */
  FPE(0x3f800000, 0x7fc12345, 0x0, 0x3f800000, 0)  /* min(1, qNaN(0x412345)) = 1 */
  FPE(0x7f800001, 0x3f800000, 0x0, 0x3f800000, NV)  /* min(sNaN(0x1), 1) = 1 NV (signalling NaN: the number, NV) */
  FPE(0x7fc00000, 0x7fc12345, 0x0, 0x7fc00000, 0)  /* min(qNaN, qNaN(0x412345)) = qNaN (both NaN: canonical NaN) */
  FPE(0x7f800001, 0x7fc00000, 0x0, 0x7fc00000, NV)  /* min(sNaN(0x1), qNaN) = qNaN NV */
  FPE(0xff800000, 0xff7fffff, 0x0, 0xff800000, 0)  /* min(-inf, -0x1.fffffep127) = -inf */
  FPE(0x1, 0x80000001, 0x0, 0x80000001, 0)  /* min(0x0.000002p-126, -0x0.000002p-126) = -0x0.000002p-126 */
  FPE(0xffc54321, 0xbf800000, 0x0, 0xbf800000, 0)  /* min(-qNaN(0x454321), -1) = -1 */
fmin_s_end:
fmax_s:
  FPE(0x3f800000, 0x40000000, 0x0, 0x40000000, 0)  /* max(1, 2) = 2 */
  FPE(0x80000000, 0x0, 0x0, 0x0, 0)  /* max(-0, 0) = 0 (+0 > -0) */
  FPE(0x0, 0x80000000, 0x0, 0x0, 0)  /* max(0, -0) = 0 */
  FPE(0x3f800000, 0x7f800001, 0x0, 0x3f800000, NV)  /* max(1, sNaN(0x1)) = 1 NV */
  FPE(0x7fc00000, 0xff800000, 0x0, 0xff800000, 0)  /* max(qNaN, -inf) = -inf */
  FPE(0xffc54321, 0xffc54321, 0x0, 0x7fc00000, 0)  /* max(-qNaN(0x454321), -qNaN(0x454321)) = qNaN */
  FPE(0x7f800000, 0x7f7fffff, 0x0, 0x7f800000, 0)  /* max(inf, 0x1.fffffep127) = inf */
  FPE(0xc0000000, 0xc0400000, 0x0, 0xc0000000, 0)  /* max(-2, -3) = -2 */
fmax_s_end:
feq_s:
  FPE(0x3f800000, 0x3f800000, 0x0, 0x1, 0)  /* 1 == 1 = 1 */
  FPE(0x3f800000, 0x40000000, 0x0, 0x0, 0)  /* 1 == 2 = 0 */
  FPE(0x80000000, 0x0, 0x0, 0x1, 0)  /* -0 == 0 = 1 */
  FPE(0x7fc12345, 0x3f800000, 0x0, 0x0, 0)  /* qNaN(0x412345) == 1 = 0 (quiet compare: no flag) */
  FPE(0x7fc00000, 0x7fc00000, 0x0, 0x0, 0)  /* qNaN == qNaN = 0 */
  FPE(0x7f800001, 0x3f800000, 0x0, 0x0, NV)  /* sNaN(0x1) == 1 = 0 NV (signalling NaN: NV) */
  FPE(0x7f800000, 0x7f800000, 0x0, 0x1, 0)  /* inf == inf = 1 */
feq_s_end:
flt_s:
  FPE(0x3f800000, 0x40000000, 0x0, 0x1, 0)  /* 1 < 2 = 1 */
  FPE(0x40000000, 0x3f800000, 0x0, 0x0, 0)  /* 2 < 1 = 0 */
  FPE(0x80000000, 0x0, 0x0, 0x0, 0)  /* -0 < 0 = 0 (equal) */
  FPE(0xff800000, 0xff7fffff, 0x0, 0x1, 0)  /* -inf < -0x1.fffffep127 = 1 */
  FPE(0x7fc00000, 0x3f800000, 0x0, 0x0, NV)  /* qNaN < 1 = 0 NV (signalling compare: NV on any NaN) */
  FPE(0x3f800000, 0x7f800001, 0x0, 0x0, NV)  /* 1 < sNaN(0x1) = 0 NV */
  FPE(0x1, 0x800000, 0x0, 0x1, 0)  /* 0x0.000002p-126 < 0x1p-126 = 1 */
  FPE(0xbf800000, 0xc0000000, 0x0, 0x0, 0)  /* -1 < -2 = 0 */
flt_s_end:
fle_s:
  FPE(0x3f800000, 0x3f800000, 0x0, 0x1, 0)  /* 1 <= 1 = 1 */
  FPE(0x80000000, 0x0, 0x0, 0x1, 0)  /* -0 <= 0 = 1 */
  FPE(0x0, 0x80000000, 0x0, 0x1, 0)  /* 0 <= -0 = 1 */
  FPE(0x40000000, 0x3f800000, 0x0, 0x0, 0)  /* 2 <= 1 = 0 */
  FPE(0x7fc12345, 0x7fc12345, 0x0, 0x0, NV)  /* qNaN(0x412345) <= qNaN(0x412345) = 0 NV (NV) */
  FPE(0xff800000, 0xff800000, 0x0, 0x1, 0)  /* -inf <= -inf = 1 */
fle_s_end:
fclass_s:
  FPE(0xff800000, 0x0, 0x0, 0x1, 0)  /* class(-inf) = 1 (bit 0) */
  FPE(0xbf800000, 0x0, 0x0, 0x2, 0)  /* class(-1) = 2 (bit 1: negative normal) */
  FPE(0x807fffff, 0x0, 0x0, 0x4, 0)  /* class(-0x0.fffffep-126) = 4 (bit 2: negative subnormal) */
  FPE(0x80000000, 0x0, 0x0, 0x8, 0)  /* class(-0) = 8 (bit 3) */
  FPE(0x0, 0x0, 0x0, 0x10, 0)  /* class(0) = 0x10 (bit 4) */
  FPE(0x1, 0x0, 0x0, 0x20, 0)  /* class(0x0.000002p-126) = 0x20 (bit 5: positive subnormal) */
  FPE(0x7f7fffff, 0x0, 0x0, 0x40, 0)  /* class(0x1.fffffep127) = 0x40 (bit 6: positive normal) */
  FPE(0x800000, 0x0, 0x0, 0x40, 0)  /* class(0x1p-126) = 0x40 */
  FPE(0x7f800000, 0x0, 0x0, 0x80, 0)  /* class(inf) = 0x80 (bit 7) */
  FPE(0x7fa00005, 0x0, 0x0, 0x100, 0)  /* class(sNaN(0x200005)) = 0x100 (bit 8: signalling NaN) */
  FPE(0xff800123, 0x0, 0x0, 0x100, 0)  /* class(-sNaN(0x123)) = 0x100 */
  FPE(0x7fc00000, 0x0, 0x0, 0x200, 0)  /* class(qNaN) = 0x200 (bit 9: quiet NaN) */
  FPE(0xffc54321, 0x0, 0x0, 0x200, 0)  /* class(-qNaN(0x454321)) = 0x200 */
fclass_s_end:
fcvt_w_s:
  FPE(0x3fc00000, 0x0, 0x0, 0x2, NX)  /* w(0x1.8p0) = 2 NX */
  FPE(0x40200000, 0x0, 0x0, 0x2, NX)  /* w(0x1.4p1) = 2 NX (tie: to even) */
  FPE(0xbfc00000, 0x0, 0x0, 0xfffffffffffffffe, NX)  /* w(-0x1.8p0) = 0xfffffffffffffffe NX */
  FPE(0xbf000000, 0x0, 0x0, 0x0, NX)  /* w(-0x1p-1) = 0 NX (rounds to 0) */
  FPE(0x80000000, 0x0, 0x0, 0x0, 0)  /* w(-0) = 0 (exact) */
  FPE(0x4f000000, 0x0, 0x0, 0x7fffffff, NV)  /* w(2147483648) = 0x7fffffff NV (out of range: clipped, NV, no NX) */
  FPE(0xcf000000, 0x0, 0x0, 0xffffffff80000000, 0)  /* w(-2147483648) = 0xffffffff80000000 (exact minimum) */
  FPE(0x4effffff, 0x0, 0x0, 0x7fffff80, 0)  /* w(2147483520) = 0x7fffff80 (largest in range) */
  FPE(0xcf000001, 0x0, 0x0, 0xffffffff80000000, NV)  /* w(-2147483904) = 0xffffffff80000000 NV */
  FPE(0x7f800000, 0x0, 0x0, 0x7fffffff, NV)  /* w(inf) = 0x7fffffff NV */
  FPE(0xff800000, 0x0, 0x0, 0xffffffff80000000, NV)  /* w(-inf) = 0xffffffff80000000 NV */
  FPE(0x7fc00000, 0x0, 0x0, 0x7fffffff, NV)  /* w(qNaN) = 0x7fffffff NV (NaN -> maximum) */
  FPE(0xffc54321, 0x0, 0x0, 0x7fffffff, NV)  /* w(-qNaN(0x454321)) = 0x7fffffff NV (negative NaN -> maximum too) */
  FPE(0x7f800001, 0x0, 0x0, 0x7fffffff, NV)  /* w(sNaN(0x1)) = 0x7fffffff NV */
  FPE(0x1, 0x0, 0x0, 0x0, NX)  /* w(0x0.000002p-126) = 0 NX */
fcvt_w_s_end:
fcvt_wu_s:
  FPE(0x4f32d05e, 0x0, 0x0, 0xffffffffb2d05e00, 0)  /* wu(3000000000) = 0xffffffffb2d05e00 (result sign-extended from bit 31) */
  FPE(0x4f7fffff, 0x0, 0x0, 0xffffffffffffff00, 0)  /* wu(4294967040) = 0xffffffffffffff00 (largest in range) */
  FPE(0x4f800000, 0x0, 0x0, 0xffffffffffffffff, NV)  /* wu(4294967296) = 0xffffffffffffffff NV (out of range) */
  FPE(0xbf800000, 0x0, 0x0, 0x0, NV)  /* wu(-1) = 0 NV (negative: clipped to 0, NV) */
  FPE(0xbf000000, 0x0, 0x0, 0x0, NX)  /* wu(-0x1p-1) = 0 NX (rounds to -0: in range, NX only) */
  FPE(0xbf400000, 0x0, 0x0, 0x0, NV)  /* wu(-0x1.8p-1) = 0 NV (rounds to -1: NV) */
  FPE(0x7f800000, 0x0, 0x0, 0xffffffffffffffff, NV)  /* wu(inf) = 0xffffffffffffffff NV */
  FPE(0xff800000, 0x0, 0x0, 0x0, NV)  /* wu(-inf) = 0 NV */
  FPE(0x7fc12345, 0x0, 0x0, 0xffffffffffffffff, NV)  /* wu(qNaN(0x412345)) = 0xffffffffffffffff NV */
  FPE(0x40200000, 0x0, 0x0, 0x2, NX)  /* wu(0x1.4p1) = 2 NX */
fcvt_wu_s_end:
fcvt_l_s:
  FPE(0x5f000000, 0x0, 0x0, 0x7fffffffffffffff, NV)  /* l(9223372036854775808) = 0x7fffffffffffffff NV (out of range) */
  FPE(0xdf000000, 0x0, 0x0, 0x8000000000000000, 0)  /* l(-9223372036854775808) = 0x8000000000000000 (exact minimum) */
  FPE(0x5effffff, 0x0, 0x0, 0x7fffff8000000000, 0)  /* l(9223371487098961920) = 0x7fffff8000000000 (largest in range) */
  FPE(0x7f800000, 0x0, 0x0, 0x7fffffffffffffff, NV)  /* l(inf) = 0x7fffffffffffffff NV */
  FPE(0xff800000, 0x0, 0x0, 0x8000000000000000, NV)  /* l(-inf) = 0x8000000000000000 NV */
  FPE(0x7fa00005, 0x0, 0x0, 0x7fffffffffffffff, NV)  /* l(sNaN(0x200005)) = 0x7fffffffffffffff NV */
  FPE(0x3fc00000, 0x0, 0x0, 0x2, NX)  /* l(0x1.8p0) = 2 NX */
  FPE(0xc0200000, 0x0, 0x0, 0xfffffffffffffffe, NX)  /* l(-0x1.4p1) = 0xfffffffffffffffe NX */
fcvt_l_s_end:
fcvt_lu_s:
  FPE(0x5f800000, 0x0, 0x0, 0xffffffffffffffff, NV)  /* lu(0x1p64) = 0xffffffffffffffff NV (out of range) */
  FPE(0x5f7fffff, 0x0, 0x0, 0xffffff0000000000, 0)  /* lu(18446742974197923840) = 0xffffff0000000000 (largest in range) */
  FPE(0xbf800000, 0x0, 0x0, 0x0, NV)  /* lu(-1) = 0 NV */
  FPE(0xbe800000, 0x0, 0x0, 0x0, NX)  /* lu(-0x1p-2) = 0 NX (rounds to -0: NX only) */
  FPE(0x7fc00000, 0x0, 0x0, 0xffffffffffffffff, NV)  /* lu(qNaN) = 0xffffffffffffffff NV */
  FPE(0xff800000, 0x0, 0x0, 0x0, NV)  /* lu(-inf) = 0 NV */
  FPE(0x5f000000, 0x0, 0x0, 0x8000000000000000, 0)  /* lu(9223372036854775808) = 0x8000000000000000 */
fcvt_lu_s_end:
fcvt_s_w:
  FPE(0x0, 0x0, 0x0, 0x0, 0)  /* from w 0 = 0 (never sets a flag) */
  FPE(0xffffffffffffffff, 0x0, 0x0, 0xbf800000, 0)  /* from w 0xffffffffffffffff = -1 (-1) */
  FPE(0x1000001, 0x0, 0x0, 0x4b800000, NX)  /* from w 0x1000001 = 16777216 NX */
  FPE(0x7fffffff, 0x0, 0x0, 0x4f000000, NX)  /* from w 0x7fffffff = 2147483648 NX */
  FPE(0xffffffff80000000, 0x0, 0x0, 0xcf000000, 0)  /* from w 0xffffffff80000000 = -2147483648 */
  FPE(0xffffffff, 0x0, 0x0, 0xbf800000, 0)  /* from w 0xffffffff = -1 (low 32 bits only: -1) */
  FPE(0x100000001, 0x0, 0x0, 0x3f800000, 0)  /* from w 0x100000001 = 1 (low 32 bits only: 1) */
fcvt_s_w_end:
fcvt_s_wu:
  FPE(0xffffffff, 0x0, 0x0, 0x4f800000, NX)  /* from wu 0xffffffff = 4294967296 NX */
  FPE(0xffffffff00000001, 0x0, 0x0, 0x3f800000, 0)  /* from wu 0xffffffff00000001 = 1 (upper bits ignored) */
  FPE(0x80000000, 0x0, 0x0, 0x4f000000, 0)  /* from wu 0x80000000 = 2147483648 */
fcvt_s_wu_end:
fcvt_s_l:
  FPE(0x8000000000000000, 0x0, 0x0, 0xdf000000, 0)  /* from l 0x8000000000000000 = -9223372036854775808 (-2^63 exact) */
  FPE(0x7fffffffffffffff, 0x0, 0x0, 0x5f000000, NX)  /* from l 0x7fffffffffffffff = 9223372036854775808 NX */
  FPE(0x20000000000001, 0x0, 0x0, 0x5a000000, NX)  /* from l 0x20000000000001 = 9007199254740992 NX */
  FPE(0xfffffffffffffffd, 0x0, 0x0, 0xc0400000, 0)  /* from l 0xfffffffffffffffd = -3 (-3) */
fcvt_s_l_end:
fcvt_s_lu:
  FPE(0xffffffffffffffff, 0x0, 0x0, 0x5f800000, NX)  /* from lu 0xffffffffffffffff = 0x1p64 NX */
  FPE(0x8000000000000000, 0x0, 0x0, 0x5f000000, 0)  /* from lu 0x8000000000000000 = 9223372036854775808 */
  FPE(0x8000000000000401, 0x0, 0x0, 0x5f000000, NX)  /* from lu 0x8000000000000401 = 9223372036854775808 NX */
fcvt_s_lu_end:
nb_fadd:
  FPE(0x3f800000, 0xffffffff3f800000, 0x0, 0x7fc00000, 0)  /* raw 0x000000003f800000 + 1 = qNaN */
  FPE(0xffffffff3f800000, 0xfffffffe3f800000, 0x0, 0x7fc00000, 0)  /* 1 + raw 0xfffffffe3f800000 = qNaN */
nb_fadd_end:
nb_fmadd:
  FPE(0xffffffff3f800000, 0xffffffff3f800000, 0x3f800000, 0x7fc00000, 0)  /* 1 * 1 + raw 0x000000003f800000 = qNaN */
nb_fmadd_end:
nb_fsqrt:
  FPE(0xfffffffe3f800000, 0x0, 0x0, 0x7fc00000, 0)  /* sqrt(raw 0xfffffffe3f800000) = qNaN */
nb_fsqrt_end:
nb_fsgnj:
  FPE(0x3f800000, 0xffffffffbf800000, 0x0, 0xffc00000, 0)  /* sgnj(raw 0x000000003f800000, -1) = -qNaN(0x400000) (canonical NaN gets the sign) */
nb_fsgnj_end:
nb_fsgnjn:
  FPE(0xffffffff3f800000, 0xfffffffe3f800000, 0x0, 0xbf800000, 0)  /* sgnjn(1, raw 0xfffffffe3f800000) = -1 (rs2 reads as +NaN) */
nb_fsgnjn_end:
nb_fsgnjx:
  FPE(0xffffffffbf800000, 0x3f800000, 0x0, 0xbf800000, 0)  /* sgnjx(-1, raw 0x000000003f800000) = -1 */
nb_fsgnjx_end:
nb_fmin:
  FPE(0x3f800000, 0xffffffff40000000, 0x0, 0x40000000, 0)  /* min(raw 0x000000003f800000, 2) = 2 (a quiet NaN: no flag) */
nb_fmin_end:
nb_feq:
  FPE(0x3f800000, 0x3f800000, 0x0, 0x0, 0)  /* raw 0x000000003f800000 == raw 0x000000003f800000 = 0 (quiet NaNs) */
nb_feq_end:
nb_flt:
  FPE(0x3f800000, 0xffffffff3f800000, 0x0, 0x0, NV)  /* raw 0x000000003f800000 < 1 = 0 NV */
nb_flt_end:
nb_fclass:
  FPE(0x3f800000, 0x0, 0x0, 0x200, 0)  /* class(raw 0x000000003f800000) = 0x200 (quiet NaN) */
  FPE(0xfffffffe3f800000, 0x0, 0x0, 0x200, 0)  /* class(raw 0xfffffffe3f800000) = 0x200 */
nb_fclass_end:
nb_fcvt_w:
  FPE(0xfffffffe3f800000, 0x0, 0x0, 0x7fffffff, NV)  /* w(raw 0xfffffffe3f800000) = 0x7fffffff NV */
nb_fcvt_w_end:
nb_fcvt_d_s:
  FPE(0x3f800000, 0x0, 0x0, 0x7ff8000000000000, 0)  /* double(raw 0x000000003f800000) = qNaN (canonical NaN, no NV) */
nb_fcvt_d_s_end:
