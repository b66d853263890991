/* Bad guest behaviour the guest itself must see (privileged spec "Physical Memory Attributes",
   "Exception Codes"): jumping into nowhere raises an instruction access fault (cause 1) with
   mtval/mepc = the target; loads and stores to unmapped physical addresses raise load (5) and
   store/AMO (7) access faults with mtval = the address; an AMO or LR on a device is an access
   fault. (Fetching from a device region is an access fault on wasmvisor; QEMU 7.2 differs, so
   that case lives in tests/guests.test.ts instead.) The test's handler
   returns to the address saved in s0 (a "landing pad") and records mcause/mtval/mepc. */
#include "test.h"
  .option norelax

#define NOWHERE 0x200000000     /* 8 GiB: beyond DRAM (128 MiB) and every virt device */

/* Arrange for the next trap to land at `pad`. */
#define EXPECT_FAULT(pad) la s0, pad; li s1, -1; li s2, -1; li s3, -1
#define CHECK_FAULT(cause, tval) CHECK_EQ(s1, cause); CHECK_EQ(s2, tval)

TEST_BEGIN
  la t0, handler
  csrw mtvec, t0

  /* jump to an unmapped physical address: fetch access fault, mepc = mtval = target */
  EXPECT_FAULT(1f)
  li t1, NOWHERE
  jalr ra, 0(t1)
1:CHECK_FAULT(1, NOWHERE)
  CHECK_EQ(s3, NOWHERE)

  /* jump to address 0 through a null function pointer (nothing is mapped there either on
     our board; QEMU's virt has no device at 0 either) */
  EXPECT_FAULT(1f)
  li t1, 0x0
  jalr ra, 0(t1)
1:CHECK_FAULT(1, 0)

  /* load from nowhere: load access fault, mtval = address, rd unchanged */
  EXPECT_FAULT(1f)
  li t1, NOWHERE + 8
  li a0, 0x1234
  ld a0, 0(t1)
1:CHECK_FAULT(5, NOWHERE + 8)
  CHECK_EQ(a0, 0x1234)

  /* store to nowhere: store access fault */
  EXPECT_FAULT(1f)
  li t1, NOWHERE + 16
  sw zero, 0(t1)
1:CHECK_FAULT(7, NOWHERE + 16)

  /* AMO to nowhere: store/AMO access fault (7). QEMU 7.2 reports a load access fault (5) for
     the AMO's read half, so 5 is accepted too; wasmvisor raises 7 as the spec requires. */
  EXPECT_FAULT(1f)
  li t1, NOWHERE + 32
  amoadd.w a0, a1, (t1)
1:addi TESTNUM, TESTNUM, 1
  li t0, 7
  beq s1, t0, 2f
  CHECK_EQ(s1, 5)
2:CHECK_EQ(s2, NOWHERE + 32)

  /* the test keeps running normally afterwards */
  li a0, 40
  addi a0, a0, 2
  CHECK_EQ(a0, 42)
  j pass

/* Records mcause, mtval, mepc and resumes at the landing pad in s0. */
  .align 2
handler:
  csrr s1, mcause
  csrr s2, mtval
  csrr s3, mepc
  csrw mepc, s0
  mret

TEST_END
