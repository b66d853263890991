/* rv64f-round.S — the five IEEE rounding modes for every rounding single-precision instruction.
   Spec: unpriv/f-st-ext.adoc "Floating-Point Control and Status Register" (table "Rounding mode
   encoding": RNE 000, RTZ 001, RDN 010, RUP 011, RMM 100, DYN 111 selects frm) and
   "Subnormal Arithmetic" (tininess after rounding, so UF can depend on the mode).
   Each FPR entry holds the operands and, for each mode, the expected result and fflags. For each
   mode, each entry is one check that runs the instruction twice: with the static rm while frm
   holds another mode (static must win), then with rm = dyn and frm = the mode.
   Cases are chosen where the modes disagree: ties (RNE to even, RMM away), the sign of an exact
   zero sum (-0 only in RDN), overflow (inf or max finite by mode and sign), underflow. */
#include "test.h"
#include "fptest.h"

  .option norelax       /* gp holds TESTNUM */

TEST_BEGIN

/* ---- all five rounding modes, static and dynamic ---- */
  FP_ROUND_ALL F2R, fadd.s, s, s, r_fadd_s
  FP_ROUND_ALL F2R, fsub.s, s, s, r_fsub_s
  FP_ROUND_ALL F2R, fmul.s, s, s, r_fmul_s
  FP_ROUND_ALL F2R, fdiv.s, s, s, r_fdiv_s
  FP_ROUND_ALL F1R, fsqrt.s, s, s, r_fsqrt_s
  FP_ROUND_ALL F3R, fmadd.s, s, s, r_fmadd_s
  FP_ROUND_ALL F3R, fmsub.s, s, s, r_fmsub_s
  FP_ROUND_ALL F3R, fnmsub.s, s, s, r_fnmsub_s
  FP_ROUND_ALL F3R, fnmadd.s, s, s, r_fnmadd_s
  FP_ROUND_ALL XF1R, fcvt.w.s, s, x, r_fcvt_w_s
  FP_ROUND_ALL XF1R, fcvt.wu.s, s, x, r_fcvt_wu_s
  FP_ROUND_ALL XF1R, fcvt.l.s, s, x, r_fcvt_l_s
  FP_ROUND_ALL XF1R, fcvt.lu.s, s, x, r_fcvt_lu_s
  FP_ROUND_ALL FX1R, fcvt.s.w, x, s, r_fcvt_s_w
  FP_ROUND_ALL FX1R, fcvt.s.wu, x, s, r_fcvt_s_wu
  FP_ROUND_ALL FX1R, fcvt.s.l, x, s, r_fcvt_s_l
  FP_ROUND_ALL FX1R, fcvt.s.lu, x, s, r_fcvt_s_lu

  j pass

TEST_END

  .data
  .balign 8
r_fadd_s:
  /* 1 + 0x1p-24 (tie, even below): RNE 1 NX, RTZ 1 NX, RDN 1 NX, RUP 0x1.000002p0 NX, RMM 0x1.000002p0 NX */
  FPR(0x3f800000, 0x33800000, 0x0,
      0x3f800000, NX,  0x3f800000, NX,  0x3f800000, NX,  0x3f800001, NX,  0x3f800001, NX)
  /* 0x1.000002p0 + 0x1p-24 (tie, even above): RNE 0x1.000004p0 NX, RTZ 0x1.000002p0 NX, RDN 0x1.000002p0 NX, RUP 0x1.000004p0 NX, RMM 0x1.000004p0 NX */
  FPR(0x3f800001, 0x33800000, 0x0,
      0x3f800002, NX,  0x3f800001, NX,  0x3f800001, NX,  0x3f800002, NX,  0x3f800002, NX)
  /* -1 + -0x1p-24 (negative tie): RNE -1 NX, RTZ -1 NX, RDN -0x1.000002p0 NX, RUP -1 NX, RMM -0x1.000002p0 NX */
  FPR(0xbf800000, 0xb3800000, 0x0,
      0xbf800000, NX,  0xbf800000, NX,  0xbf800001, NX,  0xbf800000, NX,  0xbf800001, NX)
  /* 1 + 0x1p-25 (quarter ulp): RNE 1 NX, RTZ 1 NX, RDN 1 NX, RUP 0x1.000002p0 NX, RMM 1 NX */
  FPR(0x3f800000, 0x33000000, 0x0,
      0x3f800000, NX,  0x3f800000, NX,  0x3f800000, NX,  0x3f800001, NX,  0x3f800000, NX)
  /* 1 + -1 (exact zero: -0 only in RDN): RNE 0, RTZ 0, RDN -0, RUP 0, RMM 0 */
  FPR(0x3f800000, 0xbf800000, 0x0,
      0x0, 0,  0x0, 0,  0x80000000, 0,  0x0, 0,  0x0, 0)
  /* 0x1.fffffep127 + 0x1p103 (half an ulp above the maximum): RNE inf OF|NX, RTZ 0x1.fffffep127 NX, RDN 0x1.fffffep127 NX, RUP inf OF|NX, RMM inf OF|NX */
  FPR(0x7f7fffff, 0x73000000, 0x0,
      0x7f800000, OF|NX,  0x7f7fffff, NX,  0x7f7fffff, NX,  0x7f800000, OF|NX,  0x7f800000, OF|NX)
r_fadd_s_end:
r_fsub_s:
  /* 1 - 0x1p-25 (tie below 1): RNE 1 NX, RTZ 0x1.fffffep-1 NX, RDN 0x1.fffffep-1 NX, RUP 1 NX, RMM 1 NX */
  FPR(0x3f800000, 0x33000000, 0x0,
      0x3f800000, NX,  0x3f7fffff, NX,  0x3f7fffff, NX,  0x3f800000, NX,  0x3f800000, NX)
  /* -2 - -2 (exact zero): RNE 0, RTZ 0, RDN -0, RUP 0, RMM 0 */
  FPR(0xc0000000, 0xc0000000, 0x0,
      0x0, 0,  0x0, 0,  0x80000000, 0,  0x0, 0,  0x0, 0)
r_fsub_s_end:
r_fmul_s:
  /* 0x1.000002p0 * 0x1.000002p0: RNE 0x1.000004p0 NX, RTZ 0x1.000004p0 NX, RDN 0x1.000004p0 NX, RUP 0x1.000006p0 NX, RMM 0x1.000004p0 NX */
  FPR(0x3f800001, 0x3f800001, 0x0,
      0x3f800002, NX,  0x3f800002, NX,  0x3f800002, NX,  0x3f800003, NX,  0x3f800002, NX)
  /* -0x1.000002p0 * 0x1.000002p0: RNE -0x1.000004p0 NX, RTZ -0x1.000004p0 NX, RDN -0x1.000006p0 NX, RUP -0x1.000004p0 NX, RMM -0x1.000004p0 NX */
  FPR(0xbf800001, 0x3f800001, 0x0,
      0xbf800002, NX,  0xbf800002, NX,  0xbf800003, NX,  0xbf800002, NX,  0xbf800002, NX)
  /* 0x0.000002p-126 * 0x1p-1 (half the min subnormal): RNE 0 UF|NX, RTZ 0 UF|NX, RDN 0 UF|NX, RUP 0x0.000002p-126 UF|NX, RMM 0x0.000002p-126 UF|NX */
  FPR(0x1, 0x3f000000, 0x0,
      0x0, UF|NX,  0x0, UF|NX,  0x0, UF|NX,  0x1, UF|NX,  0x1, UF|NX)
  /* -0x0.000002p-126 * 0x1p-1: RNE -0 UF|NX, RTZ -0 UF|NX, RDN -0x0.000002p-126 UF|NX, RUP -0 UF|NX, RMM -0x0.000002p-126 UF|NX */
  FPR(0x80000001, 0x3f000000, 0x0,
      0x80000000, UF|NX,  0x80000000, UF|NX,  0x80000001, UF|NX,  0x80000000, UF|NX,  0x80000001, UF|NX)
  /* 0x1.fffffep127 * 2 (overflow: max finite or inf by mode): RNE inf OF|NX, RTZ 0x1.fffffep127 OF|NX, RDN 0x1.fffffep127 OF|NX, RUP inf OF|NX, RMM inf OF|NX */
  FPR(0x7f7fffff, 0x40000000, 0x0,
      0x7f800000, OF|NX,  0x7f7fffff, OF|NX,  0x7f7fffff, OF|NX,  0x7f800000, OF|NX,  0x7f800000, OF|NX)
  /* -0x1.fffffep127 * 2: RNE -inf OF|NX, RTZ -0x1.fffffep127 OF|NX, RDN -inf OF|NX, RUP -0x1.fffffep127 OF|NX, RMM -inf OF|NX */
  FPR(0xff7fffff, 0x40000000, 0x0,
      0xff800000, OF|NX,  0xff7fffff, OF|NX,  0xff800000, OF|NX,  0xff7fffff, OF|NX,  0xff800000, OF|NX)
  /* 0x1.000002p-126 * 0x1.fffffcp-1 (just below min normal: UF depends on the mode): RNE 0x1p-126 NX, RTZ 0x0.fffffep-126 UF|NX, RDN 0x0.fffffep-126 UF|NX, RUP 0x1p-126 NX, RMM 0x1p-126 NX */
  FPR(0x800001, 0x3f7ffffe, 0x0,
      0x800000, NX,  0x7fffff, UF|NX,  0x7fffff, UF|NX,  0x800000, NX,  0x800000, NX)
r_fmul_s_end:
r_fdiv_s:
  /* 1 / 3: RNE 0x1.555556p-2 NX, RTZ 0x1.555554p-2 NX, RDN 0x1.555554p-2 NX, RUP 0x1.555556p-2 NX, RMM 0x1.555556p-2 NX */
  FPR(0x3f800000, 0x40400000, 0x0,
      0x3eaaaaab, NX,  0x3eaaaaaa, NX,  0x3eaaaaaa, NX,  0x3eaaaaab, NX,  0x3eaaaaab, NX)
  /* -1 / 3: RNE -0x1.555556p-2 NX, RTZ -0x1.555554p-2 NX, RDN -0x1.555556p-2 NX, RUP -0x1.555554p-2 NX, RMM -0x1.555556p-2 NX */
  FPR(0xbf800000, 0x40400000, 0x0,
      0xbeaaaaab, NX,  0xbeaaaaaa, NX,  0xbeaaaaab, NX,  0xbeaaaaaa, NX,  0xbeaaaaab, NX)
  /* 2 / 3: RNE 0x1.555556p-1 NX, RTZ 0x1.555554p-1 NX, RDN 0x1.555554p-1 NX, RUP 0x1.555556p-1 NX, RMM 0x1.555556p-1 NX */
  FPR(0x40000000, 0x40400000, 0x0,
      0x3f2aaaab, NX,  0x3f2aaaaa, NX,  0x3f2aaaaa, NX,  0x3f2aaaab, NX,  0x3f2aaaab, NX)
  /* 1 / 0x0.000002p-126 (overflow): RNE inf OF|NX, RTZ 0x1.fffffep127 OF|NX, RDN 0x1.fffffep127 OF|NX, RUP inf OF|NX, RMM inf OF|NX */
  FPR(0x3f800000, 0x1, 0x0,
      0x7f800000, OF|NX,  0x7f7fffff, OF|NX,  0x7f7fffff, OF|NX,  0x7f800000, OF|NX,  0x7f800000, OF|NX)
r_fdiv_s_end:
r_fsqrt_s:
  /* sqrt(2): RNE 0x1.6a09e6p0 NX, RTZ 0x1.6a09e6p0 NX, RDN 0x1.6a09e6p0 NX, RUP 0x1.6a09e8p0 NX, RMM 0x1.6a09e6p0 NX */
  FPR(0x40000000, 0x0, 0x0,
      0x3fb504f3, NX,  0x3fb504f3, NX,  0x3fb504f3, NX,  0x3fb504f4, NX,  0x3fb504f3, NX)
  /* sqrt(3): RNE 0x1.bb67aep0 NX, RTZ 0x1.bb67aep0 NX, RDN 0x1.bb67aep0 NX, RUP 0x1.bb67bp0 NX, RMM 0x1.bb67aep0 NX */
  FPR(0x40400000, 0x0, 0x0,
      0x3fddb3d7, NX,  0x3fddb3d7, NX,  0x3fddb3d7, NX,  0x3fddb3d8, NX,  0x3fddb3d7, NX)
r_fsqrt_s_end:
r_fmadd_s:
  /* 1 * 1 + 0x1p-24 (tie): RNE 1 NX, RTZ 1 NX, RDN 1 NX, RUP 0x1.000002p0 NX, RMM 0x1.000002p0 NX */
  FPR(0x3f800000, 0x3f800000, 0x33800000,
      0x3f800000, NX,  0x3f800000, NX,  0x3f800000, NX,  0x3f800001, NX,  0x3f800001, NX)
  /* 1 * 1 + -1 (exact zero): RNE 0, RTZ 0, RDN -0, RUP 0, RMM 0 */
  FPR(0x3f800000, 0x3f800000, 0xbf800000,
      0x0, 0,  0x0, 0,  0x80000000, 0,  0x0, 0,  0x0, 0)
  /* 0x1.000002p0 * 0x1.fffffcp-1 + 0 (exact 1 - 2^-46, one rounding): RNE 1 NX, RTZ 0x1.fffffep-1 NX, RDN 0x1.fffffep-1 NX, RUP 1 NX, RMM 1 NX */
  FPR(0x3f800001, 0x3f7ffffe, 0x0,
      0x3f800000, NX,  0x3f7fffff, NX,  0x3f7fffff, NX,  0x3f800000, NX,  0x3f800000, NX)
r_fmadd_s_end:
r_fmsub_s:
  /* 0x1.000002p0 * 0x1.000002p0 - 1 (exact 2^-22 + 2^-46: a tie): RNE 0x1p-22 NX, RTZ 0x1p-22 NX, RDN 0x1p-22 NX, RUP 0x1.000002p-22 NX, RMM 0x1.000002p-22 NX */
  FPR(0x3f800001, 0x3f800001, 0x3f800000,
      0x34800000, NX,  0x34800000, NX,  0x34800000, NX,  0x34800001, NX,  0x34800001, NX)
r_fmsub_s_end:
r_fnmsub_s:
  /* -(1 * 1) + 1 (exact zero): RNE 0, RTZ 0, RDN -0, RUP 0, RMM 0 */
  FPR(0x3f800000, 0x3f800000, 0x3f800000,
      0x0, 0,  0x0, 0,  0x80000000, 0,  0x0, 0,  0x0, 0)
r_fnmsub_s_end:
r_fnmadd_s:
  /* -(0x1.000002p0 * 0x1.fffffcp-1) - 0: RNE -1 NX, RTZ -0x1.fffffep-1 NX, RDN -1 NX, RUP -0x1.fffffep-1 NX, RMM -1 NX */
  FPR(0x3f800001, 0x3f7ffffe, 0x0,
      0xbf800000, NX,  0xbf7fffff, NX,  0xbf800000, NX,  0xbf7fffff, NX,  0xbf800000, NX)
r_fnmadd_s_end:
r_fcvt_w_s:
  /* w(0x1.4p1): RNE 2 NX, RTZ 2 NX, RDN 2 NX, RUP 3 NX, RMM 3 NX */
  FPR(0x40200000, 0x0, 0x0,
      0x2, NX,  0x2, NX,  0x2, NX,  0x3, NX,  0x3, NX)
  /* w(-0x1.4p1): RNE 0xfffffffffffffffe NX, RTZ 0xfffffffffffffffe NX, RDN 0xfffffffffffffffd NX, RUP 0xfffffffffffffffe NX, RMM 0xfffffffffffffffd NX */
  FPR(0xc0200000, 0x0, 0x0,
      0xfffffffffffffffe, NX,  0xfffffffffffffffe, NX,  0xfffffffffffffffd, NX,  0xfffffffffffffffe, NX,  0xfffffffffffffffd, NX)
  /* w(-0x1p-1): RNE 0 NX, RTZ 0 NX, RDN 0xffffffffffffffff NX, RUP 0 NX, RMM 0xffffffffffffffff NX */
  FPR(0xbf000000, 0x0, 0x0,
      0x0, NX,  0x0, NX,  0xffffffffffffffff, NX,  0x0, NX,  0xffffffffffffffff, NX)
  /* w(0x1.cp0): RNE 2 NX, RTZ 1 NX, RDN 1 NX, RUP 2 NX, RMM 2 NX */
  FPR(0x3fe00000, 0x0, 0x0,
      0x2, NX,  0x1, NX,  0x1, NX,  0x2, NX,  0x2, NX)
r_fcvt_w_s_end:
r_fcvt_wu_s:
  /* wu(-0x1p-1) (NV only where it rounds to -1): RNE 0 NX, RTZ 0 NX, RDN 0 NV, RUP 0 NX, RMM 0 NV */
  FPR(0xbf000000, 0x0, 0x0,
      0x0, NX,  0x0, NX,  0x0, NV,  0x0, NX,  0x0, NV)
  /* wu(0x1.4p1): RNE 2 NX, RTZ 2 NX, RDN 2 NX, RUP 3 NX, RMM 3 NX */
  FPR(0x40200000, 0x0, 0x0,
      0x2, NX,  0x2, NX,  0x2, NX,  0x3, NX,  0x3, NX)
r_fcvt_wu_s_end:
r_fcvt_l_s:
  /* l(-0x1.4p1): RNE 0xfffffffffffffffe NX, RTZ 0xfffffffffffffffe NX, RDN 0xfffffffffffffffd NX, RUP 0xfffffffffffffffe NX, RMM 0xfffffffffffffffd NX */
  FPR(0xc0200000, 0x0, 0x0,
      0xfffffffffffffffe, NX,  0xfffffffffffffffe, NX,  0xfffffffffffffffd, NX,  0xfffffffffffffffe, NX,  0xfffffffffffffffd, NX)
  /* l(0x1.cp1): RNE 4 NX, RTZ 3 NX, RDN 3 NX, RUP 4 NX, RMM 4 NX */
  FPR(0x40600000, 0x0, 0x0,
      0x4, NX,  0x3, NX,  0x3, NX,  0x4, NX,  0x4, NX)
r_fcvt_l_s_end:
r_fcvt_lu_s:
  /* lu(0x1.4p1): RNE 2 NX, RTZ 2 NX, RDN 2 NX, RUP 3 NX, RMM 3 NX */
  FPR(0x40200000, 0x0, 0x0,
      0x2, NX,  0x2, NX,  0x2, NX,  0x3, NX,  0x3, NX)
  /* lu(-0x1p-2): RNE 0 NX, RTZ 0 NX, RDN 0 NV, RUP 0 NX, RMM 0 NX */
  FPR(0xbe800000, 0x0, 0x0,
      0x0, NX,  0x0, NX,  0x0, NV,  0x0, NX,  0x0, NX)
r_fcvt_lu_s_end:
r_fcvt_s_w:
  /* from w 0x1000001 (tie): RNE 16777216 NX, RTZ 16777216 NX, RDN 16777216 NX, RUP 16777218 NX, RMM 16777218 NX */
  FPR(0x1000001, 0x0, 0x0,
      0x4b800000, NX,  0x4b800000, NX,  0x4b800000, NX,  0x4b800001, NX,  0x4b800001, NX)
  /* from w 0xfffffffffefffffd (-(2^24 + 3): tie): RNE -16777220 NX, RTZ -16777218 NX, RDN -16777220 NX, RUP -16777218 NX, RMM -16777220 NX */
  FPR(0xfffffffffefffffd, 0x0, 0x0,
      0xcb800002, NX,  0xcb800001, NX,  0xcb800002, NX,  0xcb800001, NX,  0xcb800002, NX)
  /* from w 0x7fffffff: RNE 2147483648 NX, RTZ 2147483520 NX, RDN 2147483520 NX, RUP 2147483648 NX, RMM 2147483648 NX */
  FPR(0x7fffffff, 0x0, 0x0,
      0x4f000000, NX,  0x4effffff, NX,  0x4effffff, NX,  0x4f000000, NX,  0x4f000000, NX)
r_fcvt_s_w_end:
r_fcvt_s_wu:
  /* from wu 0xffffffff: RNE 4294967296 NX, RTZ 4294967040 NX, RDN 4294967040 NX, RUP 4294967296 NX, RMM 4294967296 NX */
  FPR(0xffffffff, 0x0, 0x0,
      0x4f800000, NX,  0x4f7fffff, NX,  0x4f7fffff, NX,  0x4f800000, NX,  0x4f800000, NX)
r_fcvt_s_wu_end:
r_fcvt_s_l:
  /* from l 0x1000001 (tie): RNE 16777216 NX, RTZ 16777216 NX, RDN 16777216 NX, RUP 16777218 NX, RMM 16777218 NX */
  FPR(0x1000001, 0x0, 0x0,
      0x4b800000, NX,  0x4b800000, NX,  0x4b800000, NX,  0x4b800001, NX,  0x4b800001, NX)
  /* from l 0xfffffffffefffffd (negative tie): RNE -16777220 NX, RTZ -16777218 NX, RDN -16777220 NX, RUP -16777218 NX, RMM -16777220 NX */
  FPR(0xfffffffffefffffd, 0x0, 0x0,
      0xcb800002, NX,  0xcb800001, NX,  0xcb800002, NX,  0xcb800001, NX,  0xcb800002, NX)
r_fcvt_s_l_end:
r_fcvt_s_lu:
  /* from lu 0xffffffffffffffff: RNE 0x1p64 NX, RTZ 18446742974197923840 NX, RDN 18446742974197923840 NX, RUP 0x1p64 NX, RMM 0x1p64 NX */
  FPR(0xffffffffffffffff, 0x0, 0x0,
      0x5f800000, NX,  0x5f7fffff, NX,  0x5f7fffff, NX,  0x5f800000, NX,  0x5f800000, NX)
  /* from lu 0x1000003 (tie): RNE 16777220 NX, RTZ 16777218 NX, RDN 16777218 NX, RUP 16777220 NX, RMM 16777220 NX */
  FPR(0x1000003, 0x0, 0x0,
      0x4b800002, NX,  0x4b800001, NX,  0x4b800001, NX,  0x4b800002, NX,  0x4b800002, NX)
r_fcvt_s_lu_end:
