/* zicsr.S — self-checking test of the Zicsr instructions (CSRRW/CSRRS/CSRRC and the immediate
   forms), the floating-point CSR aliases and the Zicntr counters.
   Spec: unpriv/zicsr.adoc ("CSR Instructions" and the table "Conditions determining whether a
   CSR instruction reads or writes the specified CSR"), f-st-ext.adoc ("Floating-Point Control
   and Status Register"), zicntr.adoc. Rules checked:
   - rd gets the old value (zero-extended), the CSR gets the new one; rd == rs1 swaps
   - CSRRS/CSRRC with rs1 = x0 and CSRRSI/CSRRCI with uimm = 0 do not write: no illegal-
     instruction trap on a read-only CSR; any real write to a read-only CSR traps (priv spec)
   - uimm is a zero-extended 5-bit value
   - fflags = fcsr[4:0], frm = fcsr[7:5]; fcsr[31:8] read as zero, writes ignored
   - cycle, time, instret are readable in M-mode; time matches the CLINT mtime; they advance. */
#include "test.h"

  .option norelax       /* gp holds TESTNUM */

/* expect the previous instruction to have trapped with mcause `cause` (recorded in s11) */
#define CHECK_TRAP(cause) CHECK_EQ(s11, cause); li s11, 0
#define ILLEGAL 2

TEST_BEGIN

/* ---------------- mscratch: read-old / write-new ---------------- */
  li a1, 0x1234
  csrw mscratch, a1            /* csrrw x0: write only */
  li a1, 0xfedcba9876543210
  csrrw a0, mscratch, a1
  CHECK_EQ(a0, 0x1234)
  csrr a0, mscratch            /* all 64 bits held */
  CHECK_EQ(a0, 0xfedcba9876543210)
  li a1, 0x55
  csrrw a1, mscratch, a1       /* rd == rs1: a swap */
  CHECK_EQ(a1, 0xfedcba9876543210)
  csrr a0, mscratch
  CHECK_EQ(a0, 0x55)
  csrrw a0, mscratch, x0       /* rs1 = x0 writes zero */
  CHECK_EQ(a0, 0x55)
  csrr a0, mscratch
  CHECK_EQ(a0, 0)

  li a1, 0xf0f0
  csrw mscratch, a1
  li a2, 0x0f00000000000f01
  csrrs a0, mscratch, a2       /* set bits */
  CHECK_EQ(a0, 0xf0f0)
  csrr a0, mscratch
  CHECK_EQ(a0, 0x0f0000000000fff1)
  li a2, 0x0f000000000000f1
  csrrc a0, mscratch, a2       /* clear bits */
  CHECK_EQ(a0, 0x0f0000000000fff1)
  csrr a0, mscratch
  CHECK_EQ(a0, 0xff00)
  csrrs a0, mscratch, x0       /* rs1 = x0: read only */
  CHECK_EQ(a0, 0xff00)
  csrrc a0, mscratch, x0
  CHECK_EQ(a0, 0xff00)
  li a2, 0
  csrrs a0, mscratch, a2       /* rs1 != x0 holding 0: a write of the unchanged value */
  csrr a0, mscratch
  CHECK_EQ(a0, 0xff00)

  /* immediate forms: uimm[4:0] zero-extended */
  csrrwi a0, mscratch, 31
  CHECK_EQ(a0, 0xff00)
  csrr a0, mscratch
  CHECK_EQ(a0, 31)             /* not sign-extended */
  csrrci a0, mscratch, 0x11
  CHECK_EQ(a0, 31)
  csrr a0, mscratch
  CHECK_EQ(a0, 0x0e)
  csrrsi a0, mscratch, 0x10
  CHECK_EQ(a0, 0x0e)
  csrr a0, mscratch
  CHECK_EQ(a0, 0x1e)
  csrrsi a0, mscratch, 0       /* uimm = 0: read only */
  CHECK_EQ(a0, 0x1e)
  csrrci a0, mscratch, 0
  CHECK_EQ(a0, 0x1e)
  csrwi mscratch, 0            /* csrrwi x0 */
  csrr a0, mscratch
  CHECK_EQ(a0, 0)
  csrrw x0, mscratch, x0       /* a CSR read into x0 is discarded */
  csrrs x0, mscratch, x0
  CHECK_EQ(x0, 0)

/* ---------------- read-only CSRs: only real writes trap ---------------- */
  la t0, csr_trap
  csrw mtvec, t0
  li s11, 0
  csrrs a0, cycle, x0          /* no write: no trap */
  CHECK_TRAP(0)
  csrrc a0, instret, x0
  CHECK_TRAP(0)
  csrrsi a0, time, 0
  CHECK_TRAP(0)
  csrrci a0, cycle, 0
  CHECK_TRAP(0)
  csrr a0, mhartid             /* mhartid is read-only too; hart 0 */
  CHECK_TRAP(0)
  CHECK_EQ(a0, 0)
  li a1, 1
  li a0, 0x77
  csrrs a0, cycle, a1          /* write to a read-only CSR: illegal, rd unchanged */
  CHECK_TRAP(ILLEGAL)
  CHECK_EQ(a0, 0x77)
  csrrc a0, time, a1
  CHECK_TRAP(ILLEGAL)
  csrrw a0, instret, a1
  CHECK_TRAP(ILLEGAL)
  csrrw x0, cycle, x0          /* csrrw always writes, even from x0 */
  CHECK_TRAP(ILLEGAL)
  csrrwi x0, mhartid, 0
  CHECK_TRAP(ILLEGAL)
  csrrsi a0, time, 1
  CHECK_TRAP(ILLEGAL)
  csrrci a0, instret, 1
  CHECK_TRAP(ILLEGAL)
  la t0, trap_unexpected
  csrw mtvec, t0

/* ---------------- fcsr = {frm[7:5], fflags[4:0]} ---------------- */
  li a1, 0xff
  fscsr a0, a1                 /* csrrw a0, fcsr, a1 */
  CHECK_EQ(a0, 0)              /* TEST_BEGIN cleared fcsr */
  frflags a0
  CHECK_EQ(a0, 0x1f)
  frrm a0
  CHECK_EQ(a0, 7)
  csrwi frm, 3                 /* frm write leaves fflags alone */
  frcsr a0
  CHECK_EQ(a0, 0x7f)
  csrwi fflags, 0x05           /* fflags write leaves frm alone */
  frcsr a0
  CHECK_EQ(a0, 0x65)
  li a1, -1
  csrw fflags, a1              /* only 5 bits exist */
  frcsr a0
  CHECK_EQ(a0, 0x7f)
  csrr a0, fflags
  CHECK_EQ(a0, 0x1f)
  li a1, 0x1c                  /* only 3 bits of frm exist: 0x1c -> 4 */
  fsrm a0, a1
  CHECK_EQ(a0, 3)
  frrm a0
  CHECK_EQ(a0, 4)
  li a1, -1
  csrw fcsr, a1                /* bits 31:8 are reserved: read as zero */
  csrr a0, fcsr
  CHECK_EQ(a0, 0xff)
  li a1, 0x0a
  csrrc a0, fflags, a1         /* set/clear on the aliases */
  CHECK_EQ(a0, 0x1f)
  frcsr a0
  CHECK_EQ(a0, 0xf5)
  csrrci a0, frm, 6
  CHECK_EQ(a0, 7)
  frcsr a0
  CHECK_EQ(a0, 0x35)
  csrrsi a0, fcsr, 0x1a
  CHECK_EQ(a0, 0x35)
  frcsr a0
  CHECK_EQ(a0, 0x3f)
  fsflags a0, x0
  CHECK_EQ(a0, 0x1f)
  frcsr a0
  CHECK_EQ(a0, 0x20)

  /* an FP exception accrues into fflags, visible through fcsr with frm intact */
  csrwi fcsr, 0
  csrwi frm, 2
  fmv.w.x fa0, x0
  li a1, 0x3f800000
  fmv.w.x fa1, a1
  fdiv.s fa2, fa1, fa0         /* 1/0: DZ */
  frcsr a0
  CHECK_EQ(a0, 0x48)
  fsqrt.s fa2, fa1             /* exact: no new flag */
  li a1, 0x40000000
  fmv.w.x fa1, a1
  fsqrt.s fa2, fa1             /* sqrt(2): NX accrues */
  frcsr a0
  CHECK_EQ(a0, 0x49)
  csrwi fcsr, 0

/* ---------------- counters (zicntr.adoc) ---------------- */
  rdinstret s0
  rdinstret s1
  addi TESTNUM, TESTNUM, 1     /* the first read retired before the second */
  bleu s1, s0, fail
  li t0, 1000                  /* instret grows over a 1000-iteration loop */
1:addi t0, t0, -1
  bnez t0, 1b
  rdinstret s0
  addi TESTNUM, TESTNUM, 1
  bleu s0, s1, fail

  rdcycle s0
  li t0, 1000
1:addi t0, t0, -1
  bnez t0, 1b
  rdcycle s1
  addi TESTNUM, TESTNUM, 1
  bleu s1, s0, fail

  /* time reads the CLINT's mtime: rdtime <= mtime <= rdtime */
  li t1, CLINT_MTIME
  rdtime s0
  ld s1, 0(t1)
  rdtime s2
  addi TESTNUM, TESTNUM, 1
  bltu s1, s0, fail
  addi TESTNUM, TESTNUM, 1
  bltu s2, s1, fail
  /* time advances: wait (bounded) for it to change */
  rdtime s0
  li t0, 300000
1:rdtime s1
  bne s1, s0, 2f
  addi t0, t0, -1
  bnez t0, 1b
2:addi TESTNUM, TESTNUM, 1
  bleu s1, s0, fail

  j pass

/* expected-trap handler: record mcause in s11, skip the 4-byte CSR instruction */
  .balign 4
csr_trap:
  csrr s11, mcause
  csrr t5, mepc
  addi t5, t5, 4
  csrw mepc, t5
  mret

TEST_END
