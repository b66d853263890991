/* rv64m.S — self-checking test of the M extension on RV64: MUL, MULH, MULHSU, MULHU, DIV, DIVU,
   REM, REMU and MULW, DIVW, DIVUW, REMW, REMUW.
   Spec: unpriv/m-st-ext.adoc. Key rules checked:
   - "Division Operations": division rounds toward zero; the remainder has the dividend's sign.
   - Table "Semantics for division by zero and division overflow": x/0 gives all ones (DIV,
     DIVU: 2^XLEN-1 / -1), x%0 gives x; signed overflow (-2^(L-1) / -1) gives the dividend as
     quotient and 0 as remainder. No exception is ever raised.
   - The *W forms use the low 32 bits of the sources and sign-extend the 32-bit result, so
     DIVUW x/0 = 0xffffffff sign-extended and REMUW results are sign-extended too. */
#include "test.h"

  .option norelax       /* gp holds TESTNUM */

TEST_BEGIN

  /* MUL: low 64 bits of the product (same for signed and unsigned) */
  TEST_RR(mul, 0, 0, 0x0)
  TEST_RR(mul, 7, 6, 0x2a)
  TEST_RR(mul, -3, 5, 0xfffffffffffffff1)
  TEST_RR(mul, -1, -1, 0x1)
  TEST_RR(mul, 0x8000000000000000, -1, 0x8000000000000000)              /* wraps to INT64_MIN */
  TEST_RR(mul, 0x0000000100000001, 0xffffffff00000001, 0x1)
  TEST_RR(mul, 0x123456789abcdef0, 0x0fedcba987654321, 0x2236d88fe5618cf0)
  /* MULH (signed x signed), MULHSU (signed x unsigned), MULHU (unsigned x unsigned): high 64 bits */
  TEST_RR(mulh, 7, 6, 0x0)
  TEST_RR(mulh, -1, -1, 0x0)                                            /* (-1)(-1) = 1: high part 0 */
  TEST_RR(mulh, -1, 1, 0xffffffffffffffff)                              /* -1: high part all ones */
  TEST_RR(mulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)/* 2^126 */
  TEST_RR(mulh, 0x8000000000000000, 0x7fffffffffffffff, 0xc000000000000000)
  TEST_RR(mulh, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff)
  TEST_RR(mulh, 0x123456789abcdef0, 0xfedcba9876543210, 0xffeb49923cc09532)
  TEST_RR(mulhsu, -1, -1, 0xffffffffffffffff)                           /* -1 * (2^64-1) */
  TEST_RR(mulhsu, 1, -1, 0x0)                                           /* rs2 unsigned: 2^64-1 */
  TEST_RR(mulhsu, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000)
  TEST_RR(mulhsu, 0x7fffffffffffffff, 0x8000000000000000, 0x3fffffffffffffff)
  TEST_RR(mulhsu, -2, 0, 0x0)
  TEST_RR(mulhsu, 0x123456789abcdef0, 0xfedcba9876543210, 0x121fa00ad77d7422)
  TEST_RR(mulhu, -1, -1, 0xfffffffffffffffe)                            /* (2^64-1)^2 >> 64 */
  TEST_RR(mulhu, -1, 2, 0x1)
  TEST_RR(mulhu, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)
  TEST_RR(mulhu, 0xffffffff, 0xffffffff, 0x0)
  TEST_RR(mulhu, 0x123456789abcdef0, 0xfedcba9876543210, 0x121fa00ad77d7422)
  /* DIV/DIVU/REM/REMU (m-st-ext "Division Operations"): round toward zero, rem sign = dividend */
  TEST_RR(div, 20, 6, 0x3)
  TEST_RR(div, -20, 6, 0xfffffffffffffffd)                              /* truncates toward zero */
  TEST_RR(div, 20, -6, 0xfffffffffffffffd)
  TEST_RR(div, -20, -6, 0x3)
  TEST_RR(div, 0x8000000000000000, 1, 0x8000000000000000)
  TEST_RR(div, 0x8000000000000000, -1, 0x8000000000000000)              /* overflow: quotient = dividend */
  TEST_RR(div, 0x8000000000000000, 2, 0xc000000000000000)
  TEST_RR(div, 5, 0, 0xffffffffffffffff)                                /* divide by zero: all ones */
  TEST_RR(div, -5, 0, 0xffffffffffffffff)
  TEST_RR(div, 0, 0, 0xffffffffffffffff)
  TEST_RR(divu, 20, 6, 0x3)
  TEST_RR(divu, -20, 6, 0x2aaaaaaaaaaaaaa7)                             /* dividend is 2^64-20 */
  TEST_RR(divu, 20, -6, 0x0)
  TEST_RR(divu, -1, 1, 0xffffffffffffffff)
  TEST_RR(divu, 0x8000000000000000, -1, 0x0)
  TEST_RR(divu, 5, 0, 0xffffffffffffffff)                               /* divide by zero: 2^64-1 */
  TEST_RR(divu, 0, 0, 0xffffffffffffffff)
  TEST_RR(rem, 20, 6, 0x2)
  TEST_RR(rem, -20, 6, 0xfffffffffffffffe)                              /* sign of the dividend */
  TEST_RR(rem, 20, -6, 0x2)
  TEST_RR(rem, -20, -6, 0xfffffffffffffffe)
  TEST_RR(rem, 0x8000000000000000, -1, 0x0)                             /* overflow: remainder 0 */
  TEST_RR(rem, 0x8000000000000000, 3, 0xfffffffffffffffe)
  TEST_RR(rem, 5, 0, 0x5)                                               /* divide by zero: the dividend */
  TEST_RR(rem, -5, 0, 0xfffffffffffffffb)
  TEST_RR(remu, 20, 6, 0x2)
  TEST_RR(remu, -20, 6, 0x2)
  TEST_RR(remu, 20, -6, 0x14)
  TEST_RR(remu, -1, 0x100000000, 0xffffffff)
  TEST_RR(remu, 5, 0, 0x5)                                              /* divide by zero: the dividend */
  TEST_RR(remu, -5, 0, 0xfffffffffffffffb)
  /* RV64 *W forms: operate on the low 32 bits, sign-extend the 32-bit result */
  TEST_RR(mulw, 7, 6, 0x2a)
  TEST_RR(mulw, 0x7fffffff, 2, 0xfffffffffffffffe)                      /* 32-bit wrap, sign-extended */
  TEST_RR(mulw, 0x10000, 0x10000, 0x0)                                  /* 2^32: low word 0 */
  TEST_RR(mulw, 0xffffffff00000003, 0x1234567800000005, 0xf)            /* upper bits ignored */
  TEST_RR(mulw, -1, -1, 0x1)
  TEST_RR(divw, 20, 6, 0x3)
  TEST_RR(divw, -20, 6, 0xfffffffffffffffd)
  TEST_RR(divw, 0xffffffff00000014, 0x0000000100000006, 0x3)            /* upper bits ignored */
  TEST_RR(divw, 0x80000000, -1, 0xffffffff80000000)                     /* overflow: INT32_MIN */
  TEST_RR(divw, 0x80000000, 0xffffffff, 0xffffffff80000000)             /* -1 in the low word */
  TEST_RR(divw, 5, 0, 0xffffffffffffffff)                               /* divide by zero: -1 */
  TEST_RR(divw, 5, 0x100000000, 0xffffffffffffffff)                     /* low word of the divisor is 0 */
  TEST_RR(divuw, 20, 6, 0x3)
  TEST_RR(divuw, -20, 6, 0x2aaaaaa7)                                    /* 0xffffffec / 6 */
  TEST_RR(divuw, 0x80000000, 1, 0xffffffff80000000)                     /* result sign-extended from bit 31 */
  TEST_RR(divuw, 5, 0, 0xffffffffffffffff)                              /* divide by zero: 0xffffffff sign-extended */
  TEST_RR(divuw, 0xffffffff, 0x100000001, 0xffffffffffffffff)
  TEST_RR(remw, 20, 6, 0x2)
  TEST_RR(remw, -20, 6, 0xfffffffffffffffe)
  TEST_RR(remw, 20, -6, 0x2)
  TEST_RR(remw, 0x80000000, -1, 0x0)                                    /* overflow: 0 */
  TEST_RR(remw, 5, 0, 0x5)                                              /* divide by zero: the dividend */
  TEST_RR(remw, 0x80000001, 0, 0xffffffff80000001)                      /* ... sign-extended from bit 31 */
  TEST_RR(remw, 0x1fffffff5, 0, 0xfffffffffffffff5)                     /* upper bits of the dividend dropped */
  TEST_RR(remuw, 20, 6, 0x2)
  TEST_RR(remuw, -20, 6, 0x2)
  TEST_RR(remuw, 0x80000001, 0, 0xffffffff80000001)                     /* divide by zero: dividend, sign-extended */
  TEST_RR(remuw, 0xffffffff, 0x100000000, 0xffffffffffffffff)
  TEST_RR(remuw, 0x12345678, 0x10, 0x8)

  /* register aliasing: rd == rs1, rd == rs2, rs1 == rs2 */
  li a0, 0x100000000
  mul a0, a0, a0
  CHECK_EQ(a0, 0)
  li a0, 0x100000000
  mulhu a0, a0, a0
  CHECK_EQ(a0, 1)
  li a1, -7
  li a2, 2
  div a2, a1, a2
  CHECK_EQ(a2, -3)
  li a1, -7
  rem a1, a1, a1
  CHECK_EQ(a1, 0)

  /* the recommended fused sequence MULH[S][U] rdh; MUL rdl (same sources) gives the full product */
  li a1, 0xfedcba9876543210
  li a2, 0x0123456789abcdef
  mulhu a3, a1, a2
  mul a4, a1, a2
  CHECK_EQ(a3, 0x0121fa00ad77d742)
  CHECK_EQ(a4, 0x2236d88fe5618cf0)
  /* ... and DIV[U] rdq; REM[U] rdr */
  li a1, 1000000007
  li a2, 97
  divu a3, a1, a2
  remu a4, a1, a2
  CHECK_EQ(a3, 10309278)
  CHECK_EQ(a4, 41)

  /* results written to x0 are discarded */
  li a1, 3
  mul x0, a1, a1
  div x0, a1, x0
  CHECK_EQ(x0, 0)

TEST_END
