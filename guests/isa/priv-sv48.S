/* priv-sv48: the core paging checks of priv-vm.S under Sv48, the four-level scheme
   ("Sv48: Page-Based 48-bit Virtual-Memory System", "Virtual Address Translation Process"),
   including 512 GiB terapages, misaligned superpages at every level and the wider canonical
   range. Exits through syscon: 0 = pass, else the number of the failing check.

   Register conventions as in priv-trap.S / priv-vm.S (s2..s5 mcause/mepc/mtval/mstatus of the
   last M trap, s7 resume address); no trap is delegated.

   Virtual memory map (root = pt_root, level 3):
     root[0]   0x000000000000  -> pt_l2
       l2[1]   0x000040000000  1 GiB leaf -> PA 0x80000000, U RWX  (U-mode alias of the image)
       l2[2]   0x000080000000  1 GiB leaf -> PA 0x80000000, RWX    (identity: S code and data)
       l2[3]   0x0000c0000000  -> pt_l1
         l1[0] 0x0000c0000000  -> pt_l0 (4 KiB test pages, index i at 0xc0000000 + i*4K)
         l1[1] 0x0000c0200000  2 MiB leaf -> PA 0x80200000, RW
         l1[2] 0x0000c0400000  2 MiB leaf -> PA 0x80201000, RW (misaligned)
       l2[4]   0x000100000000  1 GiB leaf -> PA 0x80000000, RW
       l2[5]   0x000140000000  1 GiB leaf -> PA 0x80200000, RW (misaligned)
       l2[256] 0x004000000000  1 GiB leaf -> PA 0x80000000, RW (non-canonical under Sv39)
     root[1]   0x008000000000  512 GiB leaf -> PA 0, RWX (terapage)
     root[2]   0x010000000000  512 GiB leaf -> PA 0x80000000, RW (misaligned terapage) */
#include "test.h"

/* gp is TESTNUM here, so the linker must not relax `la` into gp-relative addressing. */
  .option norelax

#include "vm.h"

#define SATP_SV48 (9 << 60)
#define TERA_VA 0x8000000000           /* VA of PA 0 through the terapage */
#define SET_PTE(table, idx, pareg, flags) \
  la t2, table; srli t1, pareg, 12; slli t1, t1, 10; li t0, flags; or t1, t1, t0; \
  li t0, (idx) * 8; add t2, t2, t0; sd t1, 0(t2)
/* a1 = base + (label - 0x80000000) */
#define VA_OF(base, label) la t0, label; li t1, 0x80000000; sub t0, t0, t1; li a1, base; add a1, a1, t0

TEST_BEGIN
  la t0, mtrap
  csrw mtvec, t0
  li s6, 0
  li s7, 0
  csrw medeleg, zero
  csrw mideleg, zero
  csrw mie, zero
  li t0, -1                   /* PMP entry 0: all memory RWX for S and U */
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0

/* ---- test data and page tables */
  la t0, pt_root              /* pt_root, pt_l2, pt_l1, pt_l0 are consecutive pages */
  li t1, 4 * 512
1:sd zero, 0(t0)
  addi t0, t0, 8
  addi t1, t1, -1
  bnez t1, 1b
  la t0, pg_a
  li t1, MAGIC_A
  sd t1, 0(t0)
  la t0, pg_b
  li t1, MAGIC_B
  sd t1, 0(t0)
  li t0, MEGA_PA + 0x1230
  li t1, MAGIC_M
  sd t1, 0(t0)

  la s1, pt_l2
  SET_PTE(pt_root, 0, s1, PTE_V)
  li s1, 0
  SET_PTE(pt_root, 1, s1, RWXAD)
  li s0, 0x80000000
  SET_PTE(pt_root, 2, s0, RWAD)
  SET_PTE(pt_l2, 1, s0, RWXAD | PTE_U)
  SET_PTE(pt_l2, 2, s0, RWXAD)
  la s1, pt_l1
  SET_PTE(pt_l2, 3, s1, PTE_V)
  SET_PTE(pt_l2, 4, s0, RWAD)
  li s1, MEGA_PA
  SET_PTE(pt_l2, 5, s1, RWAD)
  SET_PTE(pt_l2, 256, s0, RWAD)
  la s1, pt_l0
  SET_PTE(pt_l1, 0, s1, PTE_V)
  li s1, MEGA_PA
  SET_PTE(pt_l1, 1, s1, RWAD)
  li s1, MEGA_PA + 0x1000
  SET_PTE(pt_l1, 2, s1, RWAD)
  la s0, pg_a
  la s1, code_page
  SET_PTE(pt_l0, 1, s0, PTE_V | PTE_R | PTE_A)
  SET_PTE(pt_l0, 2, s0, RWAD)
  SET_PTE(pt_l0, 3, s1, PTE_V | PTE_X | PTE_A)
  SET_PTE(pt_l0, 5, s0, RWAD | PTE_U)
  SET_PTE(pt_l0, 7, s0, PTE_V | PTE_R | PTE_W)                  /* A = D = 0 */
  SET_PTE(pt_l0, 9, s1, PTE_V | PTE_R | PTE_X | PTE_A | PTE_U)
  SET_PTE(pt_l0, 11, s0, RWAD)

/* ---- satp: MODE = Sv48 (9) is supported and reads back */
  la t0, pt_root
  srli t0, t0, 12
  li t1, SATP_SV48
  or s0, t0, t1
  csrw satp, s0
  sfence.vma
  csrr t0, satp
  CHECK_EQ_REG(t0, s0)

/* ---- 4 KiB pages through four levels */
  li a1, L0_VA(0) + 0x18      /* invalid */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  la t0, 2b
  CHECK_EQ_REG(s3, t0)
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)
  IN_S(jalr ra, a1)
  FAULT(12, a1)
  li a1, L0_VA(1)             /* R only */
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_A)
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)
  li a1, L0_VA(2)             /* RW, no X */
  li a2, 0x6161
  IN_S(sd a2, 16(a1); ld a0, 16(a1))
  OK_S
  CHECK_EQ(a0, 0x6161)
  IN_S(jalr ra, a1)
  FAULT(12, a1)
  li a1, L0_VA(3)             /* X only */
  li a0, 0
  IN_S(jalr ra, a1)
  OK_S
  CHECK_EQ(a0, 0x5a5)
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  SET_MSTATUS(MSTATUS_MXR)    /* ... readable with MXR */
  IN_S(lw a0, 0(a1))
  CLR_MSTATUS(MSTATUS_MXR)
  OK_S
  la t0, code_page
  lw t0, 0(t0)
  CHECK_EQ_REG(a0, t0)

/* ---- U bit and SUM */
  li a1, L0_VA(5)
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  SET_MSTATUS(MSTATUS_SUM)
  li a0, 0
  IN_S(ld a0, 0(a1))
  CLR_MSTATUS(MSTATUS_SUM)
  OK_S
  CHECK_EQ(a0, MAGIC_A)
  li a0, 0
  IN_U(ld a0, 0(a1))
  OK_U
  CHECK_EQ(a0, MAGIC_A)
  li a1, L0_VA(2)
  IN_U(ld a0, 0(a1))
  FAULT(13, a1)
  li a1, L0_VA(9)             /* U+X: U fetch works, S fetch faults even with SUM */
  li a0, 0
  IN_U(jalr ra, a1)
  OK_U
  CHECK_EQ(a0, 0x5a5)
  SET_MSTATUS(MSTATUS_SUM)
  IN_S(jalr ra, a1)
  CLR_MSTATUS(MSTATUS_SUM)
  FAULT(12, a1)

/* ---- A/D (hardware update, or a page fault under Svade; see priv-vm.S) */
#define CHECK_AD(idx, fault_cause, ok_cause, want) \
  addi TESTNUM, TESTNUM, 1; li t0, fault_cause; bne s2, t0, 3f; bne s4, a1, fail; j 4f; \
  3: li t0, ok_cause; bne s2, t0, fail; la t0, pt_l0; ld t0, (idx) * 8(t0); \
  andi t0, t0, PTE_A | PTE_D; li t1, want; bne t0, t1, fail; 4:
  li a1, L0_VA(7)
  IN_S(ld a0, 0(a1))
  CHECK_AD(7, 13, 9, PTE_A)
  IN_S(sd a0, 0(a1))
  CHECK_AD(7, 15, 9, PTE_A | PTE_D)

/* ---- superpages at every level: 2 MiB, 1 GiB, 512 GiB, and their misaligned forms */
  li a1, 0xc0200000 + 0x1230  /* megapage */
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_M)
  li a1, 0xc0400000 + 0x1230  /* misaligned megapage */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  VA_OF(0x100000000, pg_b)    /* gigapage */
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_B)
  li a1, 0x140000000 + 0x1230 /* misaligned gigapage */
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)
  VA_OF(0x4000000000, pg_a)   /* bit 38 set: canonical under Sv48 */
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_A)
  /* terapage: PA = VA - 0x8000000000 for the whole of the first 512 GiB */
  VA_OF(TERA_VA + 0x80000000, pg_b)
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_B)
  li a2, 0x6262
  IN_S(sd a2, 8(a1))
  OK_S
  la t0, pg_b
  ld t0, 8(t0)
  CHECK_EQ(t0, 0x6262)
  li a1, TERA_VA + MEGA_PA + 0x1230
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_M)
  VA_OF(TERA_VA + 0x80000000, code_page)
  li a0, 0
  IN_S(jalr ra, a1)           /* fetch through the terapage */
  OK_S
  CHECK_EQ(a0, 0x5a5)
  li a1, 0x10000000000 + 0x1230   /* misaligned terapage */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  IN_S(jalr ra, a1)
  FAULT(12, a1)

/* ---- non-canonical addresses: bits 63:48 must equal bit 47 */
  li a1, 0x0000800000000000
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)
  li a1, 0x7fff000080000000
  IN_S(jalr ra, a1)
  FAULT(12, a1)
  li a1, 0xffff800000000000   /* canonical, but root[256] is invalid */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)

/* ---- MPRV with MPP = S / U through the four-level tables */
  li a1, L0_VA(2)
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  SET_MSTATUS(MSTATUS_MPRV | (PRV_S << 11))
  ld a0, 0(a1)
  CLR_MSTATUS(MSTATUS_MPRV)
  CHECK_EQ(a0, MAGIC_A)
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  SET_MSTATUS(MSTATUS_MPRV)   /* MPP = U: S page faults */
  EXPECT_TRAP(1f)
  ld a0, 0(a1)
1:CLR_MSTATUS(MSTATUS_MPRV)
  FAULT(13, a1)

/* ---- sfence.vma: per-address and global forms after PTE changes */
  li a1, L0_VA(11)
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_A)
  la s0, pg_b
  SET_PTE(pt_l0, 11, s0, RWAD)
  li a0, 0
  IN_S(sfence.vma a1, zero; ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_B)
  la s0, pg_a
  SET_PTE(pt_l0, 11, s0, RWAD)
  li a0, 0
  IN_S(sfence.vma; ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_A)
  /* replace the whole level-2 pointer: the 0xc0000000 region disappears */
  la t0, pt_l2
  sd zero, 3 * 8(t0)
  IN_S(sfence.vma; ld a0, 0(a1))
  FAULT(13, a1)

  csrw satp, zero
  sfence.vma
  j pass

/* ---- M-mode trap handler: record and resume at s7 (in M) */
  .balign 4
mtrap:
  csrr s2, mcause
  csrr s3, mepc
  csrr s4, mtval
  csrr s5, mstatus
  addi s6, s6, 1
  beqz s7, unexpected
  mv t0, s7
  li s7, 0
  jr t0

/* An unexpected trap fails the check that follows; mcause/mepc/mtval go to the UART. */
UNEXPECTED_TRAP_REPORTER

/* A page of position-independent code: returns 0x5a5 in a0. */
  .balign 4096
code_page:
  li a0, 0x5a5
  ret
  .balign 4096

TEST_END

  .bss
  .balign 4096
pt_root: .zero 4096
pt_l2:   .zero 4096
pt_l1:   .zero 4096
pt_l0:   .zero 4096
pg_a:    .zero 4096
pg_b:    .zero 4096
