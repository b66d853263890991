/* rv64d-round.S — the five IEEE rounding modes for every rounding double-precision instruction.
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
  FP_ROUND_ALL F2R, fadd.d, d, d, r_fadd_d
  FP_ROUND_ALL F2R, fsub.d, d, d, r_fsub_d
  FP_ROUND_ALL F2R, fmul.d, d, d, r_fmul_d
  FP_ROUND_ALL F2R, fdiv.d, d, d, r_fdiv_d
  FP_ROUND_ALL F1R, fsqrt.d, d, d, r_fsqrt_d
  FP_ROUND_ALL F3R, fmadd.d, d, d, r_fmadd_d
  FP_ROUND_ALL F3R, fmsub.d, d, d, r_fmsub_d
  FP_ROUND_ALL F3R, fnmsub.d, d, d, r_fnmsub_d
  FP_ROUND_ALL F3R, fnmadd.d, d, d, r_fnmadd_d
  FP_ROUND_ALL XF1R, fcvt.w.d, d, x, r_fcvt_w_d
  FP_ROUND_ALL XF1R, fcvt.wu.d, d, x, r_fcvt_wu_d
  FP_ROUND_ALL XF1R, fcvt.l.d, d, x, r_fcvt_l_d
  FP_ROUND_ALL XF1R, fcvt.lu.d, d, x, r_fcvt_lu_d
  FP_ROUND_ALL FX1R, fcvt.d.l, x, d, r_fcvt_d_l
  FP_ROUND_ALL FX1R, fcvt.d.lu, x, d, r_fcvt_d_lu
  FP_ROUND_ALL F1R, fcvt.s.d, d, s, r_fcvt_s_d

  j pass

TEST_END

  .data
  .balign 8
r_fadd_d:
  /* 1 + 0x1p-53 (tie, even below): RNE 1 NX, RTZ 1 NX, RDN 1 NX, RUP 0x1.0000000000001p0 NX, RMM 0x1.0000000000001p0 NX */
  FPR(0x3ff0000000000000, 0x3ca0000000000000, 0x0,
      0x3ff0000000000000, NX,  0x3ff0000000000000, NX,  0x3ff0000000000000, NX,  0x3ff0000000000001, NX,  0x3ff0000000000001, NX)
  /* 0x1.0000000000001p0 + 0x1p-53 (tie, even above): RNE 0x1.0000000000002p0 NX, RTZ 0x1.0000000000001p0 NX, RDN 0x1.0000000000001p0 NX, RUP 0x1.0000000000002p0 NX, RMM 0x1.0000000000002p0 NX */
  FPR(0x3ff0000000000001, 0x3ca0000000000000, 0x0,
      0x3ff0000000000002, NX,  0x3ff0000000000001, NX,  0x3ff0000000000001, NX,  0x3ff0000000000002, NX,  0x3ff0000000000002, NX)
  /* -1 + -0x1p-53 (negative tie): RNE -1 NX, RTZ -1 NX, RDN -0x1.0000000000001p0 NX, RUP -1 NX, RMM -0x1.0000000000001p0 NX */
  FPR(0xbff0000000000000, 0xbca0000000000000, 0x0,
      0xbff0000000000000, NX,  0xbff0000000000000, NX,  0xbff0000000000001, NX,  0xbff0000000000000, NX,  0xbff0000000000001, NX)
  /* 1 + 0x1p-54 (quarter ulp): RNE 1 NX, RTZ 1 NX, RDN 1 NX, RUP 0x1.0000000000001p0 NX, RMM 1 NX */
  FPR(0x3ff0000000000000, 0x3c90000000000000, 0x0,
      0x3ff0000000000000, NX,  0x3ff0000000000000, NX,  0x3ff0000000000000, NX,  0x3ff0000000000001, NX,  0x3ff0000000000000, NX)
  /* 1 + -1 (exact zero: -0 only in RDN): RNE 0, RTZ 0, RDN -0, RUP 0, RMM 0 */
  FPR(0x3ff0000000000000, 0xbff0000000000000, 0x0,
      0x0, 0,  0x0, 0,  0x8000000000000000, 0,  0x0, 0,  0x0, 0)
  /* 0x1.fffffffffffffp1023 + 0x1p970 (half an ulp above the maximum): RNE inf OF|NX, RTZ 0x1.fffffffffffffp1023 NX, RDN 0x1.fffffffffffffp1023 NX, RUP inf OF|NX, RMM inf OF|NX */
  FPR(0x7fefffffffffffff, 0x7c90000000000000, 0x0,
      0x7ff0000000000000, OF|NX,  0x7fefffffffffffff, NX,  0x7fefffffffffffff, NX,  0x7ff0000000000000, OF|NX,  0x7ff0000000000000, OF|NX)
r_fadd_d_end:
r_fsub_d:
  /* 1 - 0x1p-54 (tie below 1): RNE 1 NX, RTZ 0x1.fffffffffffffp-1 NX, RDN 0x1.fffffffffffffp-1 NX, RUP 1 NX, RMM 1 NX */
  FPR(0x3ff0000000000000, 0x3c90000000000000, 0x0,
      0x3ff0000000000000, NX,  0x3fefffffffffffff, NX,  0x3fefffffffffffff, NX,  0x3ff0000000000000, NX,  0x3ff0000000000000, NX)
  /* -2 - -2 (exact zero): RNE 0, RTZ 0, RDN -0, RUP 0, RMM 0 */
  FPR(0xc000000000000000, 0xc000000000000000, 0x0,
      0x0, 0,  0x0, 0,  0x8000000000000000, 0,  0x0, 0,  0x0, 0)
r_fsub_d_end:
r_fmul_d:
  /* 0x1.0000000000001p0 * 0x1.0000000000001p0: RNE 0x1.0000000000002p0 NX, RTZ 0x1.0000000000002p0 NX, RDN 0x1.0000000000002p0 NX, RUP 0x1.0000000000003p0 NX, RMM 0x1.0000000000002p0 NX */
  FPR(0x3ff0000000000001, 0x3ff0000000000001, 0x0,
      0x3ff0000000000002, NX,  0x3ff0000000000002, NX,  0x3ff0000000000002, NX,  0x3ff0000000000003, NX,  0x3ff0000000000002, NX)
  /* -0x1.0000000000001p0 * 0x1.0000000000001p0: RNE -0x1.0000000000002p0 NX, RTZ -0x1.0000000000002p0 NX, RDN -0x1.0000000000003p0 NX, RUP -0x1.0000000000002p0 NX, RMM -0x1.0000000000002p0 NX */
  FPR(0xbff0000000000001, 0x3ff0000000000001, 0x0,
      0xbff0000000000002, NX,  0xbff0000000000002, NX,  0xbff0000000000003, NX,  0xbff0000000000002, NX,  0xbff0000000000002, NX)
  /* 0x0.0000000000001p-1022 * 0x1p-1 (half the min subnormal): RNE 0 UF|NX, RTZ 0 UF|NX, RDN 0 UF|NX, RUP 0x0.0000000000001p-1022 UF|NX, RMM 0x0.0000000000001p-1022 UF|NX */
  FPR(0x1, 0x3fe0000000000000, 0x0,
      0x0, UF|NX,  0x0, UF|NX,  0x0, UF|NX,  0x1, UF|NX,  0x1, UF|NX)
  /* -0x0.0000000000001p-1022 * 0x1p-1: RNE -0 UF|NX, RTZ -0 UF|NX, RDN -0x0.0000000000001p-1022 UF|NX, RUP -0 UF|NX, RMM -0x0.0000000000001p-1022 UF|NX */
  FPR(0x8000000000000001, 0x3fe0000000000000, 0x0,
      0x8000000000000000, UF|NX,  0x8000000000000000, UF|NX,  0x8000000000000001, UF|NX,  0x8000000000000000, UF|NX,  0x8000000000000001, UF|NX)
  /* 0x1.fffffffffffffp1023 * 2 (overflow: max finite or inf by mode): RNE inf OF|NX, RTZ 0x1.fffffffffffffp1023 OF|NX, RDN 0x1.fffffffffffffp1023 OF|NX, RUP inf OF|NX, RMM inf OF|NX */
  FPR(0x7fefffffffffffff, 0x4000000000000000, 0x0,
      0x7ff0000000000000, OF|NX,  0x7fefffffffffffff, OF|NX,  0x7fefffffffffffff, OF|NX,  0x7ff0000000000000, OF|NX,  0x7ff0000000000000, OF|NX)
  /* -0x1.fffffffffffffp1023 * 2: RNE -inf OF|NX, RTZ -0x1.fffffffffffffp1023 OF|NX, RDN -inf OF|NX, RUP -0x1.fffffffffffffp1023 OF|NX, RMM -inf OF|NX */
  FPR(0xffefffffffffffff, 0x4000000000000000, 0x0,
      0xfff0000000000000, OF|NX,  0xffefffffffffffff, OF|NX,  0xfff0000000000000, OF|NX,  0xffefffffffffffff, OF|NX,  0xfff0000000000000, OF|NX)
  /* 0x1.0000000000001p-1022 * 0x1.ffffffffffffep-1 (just below min normal: UF depends on the mode): RNE 0x1p-1022 NX, RTZ 0x0.fffffffffffffp-1022 UF|NX, RDN 0x0.fffffffffffffp-1022 UF|NX, RUP 0x1p-1022 NX, RMM 0x1p-1022 NX */
  FPR(0x10000000000001, 0x3feffffffffffffe, 0x0,
      0x10000000000000, NX,  0xfffffffffffff, UF|NX,  0xfffffffffffff, UF|NX,  0x10000000000000, NX,  0x10000000000000, NX)
r_fmul_d_end:
r_fdiv_d:
  /* 1 / 3: RNE 0x1.5555555555555p-2 NX, RTZ 0x1.5555555555555p-2 NX, RDN 0x1.5555555555555p-2 NX, RUP 0x1.5555555555556p-2 NX, RMM 0x1.5555555555555p-2 NX */
  FPR(0x3ff0000000000000, 0x4008000000000000, 0x0,
      0x3fd5555555555555, NX,  0x3fd5555555555555, NX,  0x3fd5555555555555, NX,  0x3fd5555555555556, NX,  0x3fd5555555555555, NX)
  /* -1 / 3: RNE -0x1.5555555555555p-2 NX, RTZ -0x1.5555555555555p-2 NX, RDN -0x1.5555555555556p-2 NX, RUP -0x1.5555555555555p-2 NX, RMM -0x1.5555555555555p-2 NX */
  FPR(0xbff0000000000000, 0x4008000000000000, 0x0,
      0xbfd5555555555555, NX,  0xbfd5555555555555, NX,  0xbfd5555555555556, NX,  0xbfd5555555555555, NX,  0xbfd5555555555555, NX)
  /* 2 / 3: RNE 0x1.5555555555555p-1 NX, RTZ 0x1.5555555555555p-1 NX, RDN 0x1.5555555555555p-1 NX, RUP 0x1.5555555555556p-1 NX, RMM 0x1.5555555555555p-1 NX */
  FPR(0x4000000000000000, 0x4008000000000000, 0x0,
      0x3fe5555555555555, NX,  0x3fe5555555555555, NX,  0x3fe5555555555555, NX,  0x3fe5555555555556, NX,  0x3fe5555555555555, NX)
  /* 1 / 0x0.0000000000001p-1022 (overflow): RNE inf OF|NX, RTZ 0x1.fffffffffffffp1023 OF|NX, RDN 0x1.fffffffffffffp1023 OF|NX, RUP inf OF|NX, RMM inf OF|NX */
  FPR(0x3ff0000000000000, 0x1, 0x0,
      0x7ff0000000000000, OF|NX,  0x7fefffffffffffff, OF|NX,  0x7fefffffffffffff, OF|NX,  0x7ff0000000000000, OF|NX,  0x7ff0000000000000, OF|NX)
r_fdiv_d_end:
r_fsqrt_d:
  /* sqrt(2): RNE 0x1.6a09e667f3bcdp0 NX, RTZ 0x1.6a09e667f3bccp0 NX, RDN 0x1.6a09e667f3bccp0 NX, RUP 0x1.6a09e667f3bcdp0 NX, RMM 0x1.6a09e667f3bcdp0 NX */
  FPR(0x4000000000000000, 0x0, 0x0,
      0x3ff6a09e667f3bcd, NX,  0x3ff6a09e667f3bcc, NX,  0x3ff6a09e667f3bcc, NX,  0x3ff6a09e667f3bcd, NX,  0x3ff6a09e667f3bcd, NX)
  /* sqrt(3): RNE 0x1.bb67ae8584caap0 NX, RTZ 0x1.bb67ae8584caap0 NX, RDN 0x1.bb67ae8584caap0 NX, RUP 0x1.bb67ae8584cabp0 NX, RMM 0x1.bb67ae8584caap0 NX */
  FPR(0x4008000000000000, 0x0, 0x0,
      0x3ffbb67ae8584caa, NX,  0x3ffbb67ae8584caa, NX,  0x3ffbb67ae8584caa, NX,  0x3ffbb67ae8584cab, NX,  0x3ffbb67ae8584caa, NX)
r_fsqrt_d_end:
r_fmadd_d:
  /* 1 * 1 + 0x1p-53 (tie): RNE 1 NX, RTZ 1 NX, RDN 1 NX, RUP 0x1.0000000000001p0 NX, RMM 0x1.0000000000001p0 NX */
  FPR(0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000,
      0x3ff0000000000000, NX,  0x3ff0000000000000, NX,  0x3ff0000000000000, NX,  0x3ff0000000000001, NX,  0x3ff0000000000001, NX)
  /* 1 * 1 + -1 (exact zero): RNE 0, RTZ 0, RDN -0, RUP 0, RMM 0 */
  FPR(0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000,
      0x0, 0,  0x0, 0,  0x8000000000000000, 0,  0x0, 0,  0x0, 0)
  /* 0x1.0000000000001p0 * 0x1.ffffffffffffep-1 + 0 (exact 1 - 2^-104, one rounding): RNE 1 NX, RTZ 0x1.fffffffffffffp-1 NX, RDN 0x1.fffffffffffffp-1 NX, RUP 1 NX, RMM 1 NX */
  FPR(0x3ff0000000000001, 0x3feffffffffffffe, 0x0,
      0x3ff0000000000000, NX,  0x3fefffffffffffff, NX,  0x3fefffffffffffff, NX,  0x3ff0000000000000, NX,  0x3ff0000000000000, NX)
r_fmadd_d_end:
r_fmsub_d:
  /* 0x1.0000000000001p0 * 0x1.0000000000001p0 - 1 (exact 2^-51 + 2^-104: a tie): RNE 0x1p-51 NX, RTZ 0x1p-51 NX, RDN 0x1p-51 NX, RUP 0x1.0000000000001p-51 NX, RMM 0x1.0000000000001p-51 NX */
  FPR(0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000000,
      0x3cc0000000000000, NX,  0x3cc0000000000000, NX,  0x3cc0000000000000, NX,  0x3cc0000000000001, NX,  0x3cc0000000000001, NX)
r_fmsub_d_end:
r_fnmsub_d:
  /* -(1 * 1) + 1 (exact zero): RNE 0, RTZ 0, RDN -0, RUP 0, RMM 0 */
  FPR(0x3ff0000000000000, 0x3ff0000000000000, 0x3ff0000000000000,
      0x0, 0,  0x0, 0,  0x8000000000000000, 0,  0x0, 0,  0x0, 0)
r_fnmsub_d_end:
r_fnmadd_d:
  /* -(0x1.0000000000001p0 * 0x1.ffffffffffffep-1) - 0: RNE -1 NX, RTZ -0x1.fffffffffffffp-1 NX, RDN -1 NX, RUP -0x1.fffffffffffffp-1 NX, RMM -1 NX */
  FPR(0x3ff0000000000001, 0x3feffffffffffffe, 0x0,
      0xbff0000000000000, NX,  0xbfefffffffffffff, NX,  0xbff0000000000000, NX,  0xbfefffffffffffff, NX,  0xbff0000000000000, NX)
r_fnmadd_d_end:
r_fcvt_w_d:
  /* w(0x1.4p1): RNE 2 NX, RTZ 2 NX, RDN 2 NX, RUP 3 NX, RMM 3 NX */
  FPR(0x4004000000000000, 0x0, 0x0,
      0x2, NX,  0x2, NX,  0x2, NX,  0x3, NX,  0x3, NX)
  /* w(-0x1.4p1): RNE 0xfffffffffffffffe NX, RTZ 0xfffffffffffffffe NX, RDN 0xfffffffffffffffd NX, RUP 0xfffffffffffffffe NX, RMM 0xfffffffffffffffd NX */
  FPR(0xc004000000000000, 0x0, 0x0,
      0xfffffffffffffffe, NX,  0xfffffffffffffffe, NX,  0xfffffffffffffffd, NX,  0xfffffffffffffffe, NX,  0xfffffffffffffffd, NX)
  /* w(-0x1p-1): RNE 0 NX, RTZ 0 NX, RDN 0xffffffffffffffff NX, RUP 0 NX, RMM 0xffffffffffffffff NX */
  FPR(0xbfe0000000000000, 0x0, 0x0,
      0x0, NX,  0x0, NX,  0xffffffffffffffff, NX,  0x0, NX,  0xffffffffffffffff, NX)
  /* w(0x1.cp0): RNE 2 NX, RTZ 1 NX, RDN 1 NX, RUP 2 NX, RMM 2 NX */
  FPR(0x3ffc000000000000, 0x0, 0x0,
      0x2, NX,  0x1, NX,  0x1, NX,  0x2, NX,  0x2, NX)
r_fcvt_w_d_end:
r_fcvt_wu_d:
  /* wu(-0x1p-1) (NV only where it rounds to -1): RNE 0 NX, RTZ 0 NX, RDN 0 NV, RUP 0 NX, RMM 0 NV */
  FPR(0xbfe0000000000000, 0x0, 0x0,
      0x0, NX,  0x0, NX,  0x0, NV,  0x0, NX,  0x0, NV)
  /* wu(0x1.4p1): RNE 2 NX, RTZ 2 NX, RDN 2 NX, RUP 3 NX, RMM 3 NX */
  FPR(0x4004000000000000, 0x0, 0x0,
      0x2, NX,  0x2, NX,  0x2, NX,  0x3, NX,  0x3, NX)
r_fcvt_wu_d_end:
r_fcvt_l_d:
  /* l(-0x1.4p1): RNE 0xfffffffffffffffe NX, RTZ 0xfffffffffffffffe NX, RDN 0xfffffffffffffffd NX, RUP 0xfffffffffffffffe NX, RMM 0xfffffffffffffffd NX */
  FPR(0xc004000000000000, 0x0, 0x0,
      0xfffffffffffffffe, NX,  0xfffffffffffffffe, NX,  0xfffffffffffffffd, NX,  0xfffffffffffffffe, NX,  0xfffffffffffffffd, NX)
  /* l(0x1.cp1): RNE 4 NX, RTZ 3 NX, RDN 3 NX, RUP 4 NX, RMM 4 NX */
  FPR(0x400c000000000000, 0x0, 0x0,
      0x4, NX,  0x3, NX,  0x3, NX,  0x4, NX,  0x4, NX)
r_fcvt_l_d_end:
r_fcvt_lu_d:
  /* lu(0x1.4p1): RNE 2 NX, RTZ 2 NX, RDN 2 NX, RUP 3 NX, RMM 3 NX */
  FPR(0x4004000000000000, 0x0, 0x0,
      0x2, NX,  0x2, NX,  0x2, NX,  0x3, NX,  0x3, NX)
  /* lu(-0x1p-2): RNE 0 NX, RTZ 0 NX, RDN 0 NV, RUP 0 NX, RMM 0 NX */
  FPR(0xbfd0000000000000, 0x0, 0x0,
      0x0, NX,  0x0, NX,  0x0, NV,  0x0, NX,  0x0, NX)
r_fcvt_lu_d_end:
r_fcvt_d_l:
  /* from l 0x20000000000001 (tie): RNE 9007199254740992 NX, RTZ 9007199254740992 NX, RDN 9007199254740992 NX, RUP 9007199254740994 NX, RMM 9007199254740994 NX */
  FPR(0x20000000000001, 0x0, 0x0,
      0x4340000000000000, NX,  0x4340000000000000, NX,  0x4340000000000000, NX,  0x4340000000000001, NX,  0x4340000000000001, NX)
  /* from l 0xffdffffffffffffd (negative tie): RNE -9007199254740996 NX, RTZ -9007199254740994 NX, RDN -9007199254740996 NX, RUP -9007199254740994 NX, RMM -9007199254740996 NX */
  FPR(0xffdffffffffffffd, 0x0, 0x0,
      0xc340000000000002, NX,  0xc340000000000001, NX,  0xc340000000000002, NX,  0xc340000000000001, NX,  0xc340000000000002, NX)
r_fcvt_d_l_end:
r_fcvt_d_lu:
  /* from lu 0xffffffffffffffff: RNE 0x1p64 NX, RTZ 18446744073709549568 NX, RDN 18446744073709549568 NX, RUP 0x1p64 NX, RMM 0x1p64 NX */
  FPR(0xffffffffffffffff, 0x0, 0x0,
      0x43f0000000000000, NX,  0x43efffffffffffff, NX,  0x43efffffffffffff, NX,  0x43f0000000000000, NX,  0x43f0000000000000, NX)
  /* from lu 0x20000000000003 (tie): RNE 9007199254740996 NX, RTZ 9007199254740994 NX, RDN 9007199254740994 NX, RUP 9007199254740996 NX, RMM 9007199254740996 NX */
  FPR(0x20000000000003, 0x0, 0x0,
      0x4340000000000002, NX,  0x4340000000000001, NX,  0x4340000000000001, NX,  0x4340000000000002, NX,  0x4340000000000002, NX)
r_fcvt_d_lu_end:
r_fcvt_s_d:
  /* single(0x1.000001p0) (tie): RNE 1 NX, RTZ 1 NX, RDN 1 NX, RUP 0x1.000002p0 NX, RMM 0x1.000002p0 NX */
  FPR(0x3ff0000010000000, 0x0, 0x0,
      0x3f800000, NX,  0x3f800000, NX,  0x3f800000, NX,  0x3f800001, NX,  0x3f800001, NX)
  /* single(-0x1.0000018p0): RNE -0x1.000002p0 NX, RTZ -1 NX, RDN -0x1.000002p0 NX, RUP -1 NX, RMM -0x1.000002p0 NX */
  FPR(0xbff0000018000000, 0x0, 0x0,
      0xbf800001, NX,  0xbf800000, NX,  0xbf800001, NX,  0xbf800000, NX,  0xbf800001, NX)
  /* single(0x1.fffffffffffffp1023) (overflow): RNE inf OF|NX, RTZ 0x1.fffffep127 OF|NX, RDN 0x1.fffffep127 OF|NX, RUP inf OF|NX, RMM inf OF|NX */
  FPR(0x7fefffffffffffff, 0x0, 0x0,
      0x7f800000, OF|NX,  0x7f7fffff, OF|NX,  0x7f7fffff, OF|NX,  0x7f800000, OF|NX,  0x7f800000, OF|NX)
  /* single(0x1p-150) (underflow): RNE 0 UF|NX, RTZ 0 UF|NX, RDN 0 UF|NX, RUP 0x0.000002p-126 UF|NX, RMM 0x0.000002p-126 UF|NX */
  FPR(0x3690000000000000, 0x0, 0x0,
      0x0, UF|NX,  0x0, UF|NX,  0x0, UF|NX,  0x1, UF|NX,  0x1, UF|NX)
  /* single(0x1.ffffffp-127) (UF depends on the mode): RNE 0x1p-126 NX, RTZ 0x0.fffffep-126 UF|NX, RDN 0x0.fffffep-126 UF|NX, RUP 0x1p-126 NX, RMM 0x1p-126 NX */
  FPR(0x380ffffff0000000, 0x0, 0x0,
      0x800000, NX,  0x7fffff, UF|NX,  0x7fffff, UF|NX,  0x800000, NX,  0x800000, NX)
r_fcvt_s_d_end:
