/* priv-vm: Sv39 paging ("Sv39: Page-Based 39-bit Virtual-Memory System", "Virtual Address
   Translation Process", "Memory Privilege in mstatus Register", "Supervisor Memory-Management
   Fence Instruction", "Supervisor Address Translation and Protection (satp) Register").
   Exits through syscon: 0 = pass, else the number of the failing check.

   Register conventions as in priv-trap.S: gp TESTNUM; s7 resume address for the next M trap;
   s2..s5 mcause/mepc/mtval/mstatus of the last trap; s6 trap count. No trap is delegated, so
   every page fault reaches the M handler; each S/U excursion ends with an ecall (cause 9/8)
   when nothing faulted.

   Virtual memory map (root = pt_root):
     root[1]  0x0040000000  1 GiB leaf -> PA 0x80000000, U RWX  (U-mode alias of the image)
     root[2]  0x0080000000  1 GiB leaf -> PA 0x80000000, RWX    (identity: S code and data)
     root[3]  0x00c0000000  -> pt_l1
       l1[0]  0x00c0000000  -> pt_l0 (4 KiB test pages, index i at 0xc0000000 + i*4K)
       l1[1]  0x00c0200000  2 MiB leaf -> PA 0x80200000, RW
       l1[2]  0x00c0400000  2 MiB leaf -> PA 0x80201000, RW (misaligned: page fault)
       l1[3]  0x00c0600000  2 MiB leaf -> PA 0x80000000, RX (code through a megapage)
     root[4]  0x0100000000  1 GiB leaf -> PA 0x80000000, RW (no X)
     root[5]  0x0140000000  1 GiB leaf -> PA 0x80200000, RW (misaligned: page fault) */
#include "test.h"

/* gp is TESTNUM here, so the linker must not relax `la` into gp-relative addressing. */
  .option norelax

#include "vm.h"

#define SATP_SV39 (8 << 60)
/* table[idx] = PTE(pa in pareg, flags) */
#define SET_PTE(table, idx, pareg, flags) \
  la t2, table; srli t1, pareg, 12; slli t1, t1, 10; li t0, flags; or t1, t1, t0; \
  sd t1, (idx) * 8(t2)

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

/* ---- test data and page tables (built in M with physical addresses) */
  la t0, pt_root              /* pt_root, pt_l1, pt_l0 are consecutive pages */
  li t1, 3 * 512
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

  li s0, 0x80000000
  SET_PTE(pt_root, 1, s0, RWXAD | PTE_U)
  SET_PTE(pt_root, 2, s0, RWXAD)
  la s1, pt_l1
  SET_PTE(pt_root, 3, s1, PTE_V)
  SET_PTE(pt_root, 4, s0, RWAD)
  li s1, MEGA_PA
  SET_PTE(pt_root, 5, s1, RWAD)
  la s1, pt_l0
  SET_PTE(pt_l1, 0, s1, PTE_V)
  li s1, MEGA_PA
  SET_PTE(pt_l1, 1, s1, RWAD)
  li s1, MEGA_PA + 0x1000
  SET_PTE(pt_l1, 2, s1, RWAD)
  SET_PTE(pt_l1, 3, s0, PTE_V | PTE_R | PTE_X | PTE_A)
  /* 4 KiB pages: 0 stays invalid */
  la s0, pg_a
  la s1, code_page
  SET_PTE(pt_l0, 1, s0, PTE_V | PTE_R | PTE_A)
  SET_PTE(pt_l0, 2, s0, RWAD)
  SET_PTE(pt_l0, 3, s1, PTE_V | PTE_X | PTE_A)
  SET_PTE(pt_l0, 4, s0, PTE_V | PTE_W | PTE_A | PTE_D)          /* W without R: reserved */
  SET_PTE(pt_l0, 5, s0, RWAD | PTE_U)
  SET_PTE(pt_l0, 7, s0, PTE_V | PTE_R | PTE_W)                  /* A = D = 0 */
  SET_PTE(pt_l0, 8, s0, PTE_V | PTE_R | PTE_W | PTE_A)          /* D = 0 */
  SET_PTE(pt_l0, 9, s1, PTE_V | PTE_R | PTE_X | PTE_A | PTE_U)
  la t3, pt_l1
  SET_PTE(pt_l0, 10, t3, PTE_V)                                 /* non-leaf at level 0 */
  SET_PTE(pt_l0, 11, s0, RWAD)
  SET_PTE(pt_l0, 12, s0, RWAD | (1 << 54))                      /* reserved bit 54 */
  SET_PTE(pt_l0, 13, s0, RWAD | (1 << 61))                      /* PBMT=NC, PBMTE=0 */

/* ---- satp: MODE=Sv39 and the PPN read back; an unsupported MODE leaves satp unchanged */
  la t0, pt_root
  srli t0, t0, 12
  li t1, SATP_SV39
  or s0, t0, t1
  csrw satp, s0
  sfence.vma
  csrr t0, satp
  CHECK_EQ_REG(t0, s0)
  li t1, 5 << 60              /* reserved MODE */
  csrw satp, t1
  csrr t0, satp
  CHECK_EQ_REG(t0, s0)

/* ---- 4 KiB pages from S: permissions R/W/X, invalid and reserved encodings */
  li a1, L0_VA(0) + 0x18      /* V = 0: page faults 13/15/12, mtval = VA, mepc = the access */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  la t0, 2b
  CHECK_EQ_REG(s3, t0)
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)
  IN_S(jalr ra, a1)
  FAULT(12, a1)
  CHECK_EQ_REG(s3, a1)
  li a1, L0_VA(1)             /* R only */
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_A)
  IN_S(sd a0, 8(a1))
  addi a1, a1, 8
  FAULT(15, a1)
  li a1, L0_VA(2)             /* RW */
  li a2, 0x5151
  IN_S(sd a2, 16(a1); ld a0, 16(a1))
  OK_S
  CHECK_EQ(a0, 0x5151)
  la t0, pg_a
  ld t0, 16(t0)
  CHECK_EQ(t0, 0x5151)
  IN_S(jalr ra, a1)           /* no X */
  FAULT(12, a1)
  li a1, L0_VA(3)             /* X only: fetch works, load/store fault */
  li a0, 0
  IN_S(jalr ra, a1)
  OK_S
  CHECK_EQ(a0, 0x5a5)
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)
  li a1, L0_VA(4)             /* W without R is reserved: any access faults */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)
  li a1, L0_VA(10)            /* a pointer PTE at the last level */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  li a1, L0_VA(12)            /* reserved bits 60:54 must be zero */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  li a1, L0_VA(13)            /* PBMT bits with Svpbmt absent/disabled */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)

/* ---- MXR: loads from X-only pages succeed when mstatus.MXR = 1 */
  SET_MSTATUS(MSTATUS_MXR)
  li a1, L0_VA(3)
  IN_S(lw a0, 0(a1))
  CLR_MSTATUS(MSTATUS_MXR)
  OK_S
  la t0, code_page
  lw t0, 0(t0)
  CHECK_EQ_REG(a0, t0)

/* ---- SUM: S loads/stores to U pages fault unless SUM = 1; S never executes U pages */
  li a1, L0_VA(5)
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)
  SET_MSTATUS(MSTATUS_SUM)
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_A)
  li a2, 0x5252
  IN_S(sd a2, 24(a1))
  OK_S
  li a1, L0_VA(9)
  IN_S(jalr ra, a1)
  CLR_MSTATUS(MSTATUS_SUM)
  FAULT(12, a1)

/* ---- U mode: U pages only */
  li a1, L0_VA(5)
  li a0, 0
  IN_U(ld a0, 0(a1))
  OK_U
  CHECK_EQ(a0, MAGIC_A)
  IN_U(sd a0, 32(a1))
  OK_U
  li a1, L0_VA(2)             /* not U */
  IN_U(ld a0, 0(a1))
  FAULT(13, a1)
  IN_U(sd a0, 0(a1))
  FAULT(15, a1)
  li a1, L0_VA(9)             /* U + X: U fetch works */
  li a0, 0
  IN_U(jalr ra, a1)
  OK_U
  CHECK_EQ(a0, 0x5a5)
  la a1, code_page            /* identity mapping is not U: fetch fault */
  IN_U(jalr ra, a1)
  FAULT(12, a1)

/* ---- accessed/dirty bits. Either hardware sets them (QEMU, wasmvisor) or, with Svade, the
        access page-faults; both are allowed. When the access succeeds: a load sets A only,
        a store sets A and D. */
#define CHECK_AD(idx, fault_cause, ok_cause, want) \
  addi TESTNUM, TESTNUM, 1; li t0, fault_cause; bne s2, t0, 3f; bne s4, a1, fail; j 4f; \
  3: li t0, ok_cause; bne s2, t0, fail; la t0, pt_l0; ld t0, (idx) * 8(t0); \
  andi t0, t0, PTE_A | PTE_D; li t1, want; bne t0, t1, fail; 4:
  li a1, L0_VA(7)
  IN_S(ld a0, 0(a1))
  CHECK_AD(7, 13, 9, PTE_A)
  IN_S(sd a0, 0(a1))
  CHECK_AD(7, 15, 9, PTE_A | PTE_D)
  li a1, L0_VA(8)
  IN_S(sd a0, 40(a1))
  addi a1, a1, 40
  CHECK_AD(8, 15, 9, PTE_A | PTE_D)

/* ---- megapages (2 MiB) and gigapages (1 GiB): loads, stores and fetches, and misaligned
        superpages ("a misaligned superpage ... page-fault exception") */
  li a1, 0xc0200000 + 0x1230
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_M)
  li a2, 0x5353
  IN_S(sd a2, 8(a1))
  OK_S
  li t0, MEGA_PA + 0x1238
  ld t0, 0(t0)
  CHECK_EQ(t0, 0x5353)
  li a1, 0xc0400000 + 0x1230  /* misaligned megapage */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  la t0, code_page            /* code through the RX megapage */
  li t1, 0x80000000
  sub t0, t0, t1
  li a1, 0xc0600000
  add a1, a1, t0
  li a0, 0
  IN_S(jalr ra, a1)
  OK_S
  CHECK_EQ(a0, 0x5a5)
  la t0, pg_b                 /* data through the RW gigapage at 0x100000000 */
  li t1, 0x80000000
  sub t0, t0, t1
  li a1, 0x100000000
  add a1, a1, t0
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, MAGIC_B)
  la t0, code_page            /* ... which is not executable */
  li t1, 0x80000000
  sub t0, t0, t1
  li a1, 0x100000000
  add a1, a1, t0
  IN_S(jalr ra, a1)
  FAULT(12, a1)
  li a1, 0x140000000 + 0x1230 /* misaligned gigapage */
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)

/* ---- non-canonical addresses: bits 63:39 must equal bit 38, else a page fault */
  li a1, 0x0000004000000000 + 0x80000000
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)
  IN_S(sd a0, 0(a1))
  FAULT(15, a1)
  IN_S(jalr ra, a1)
  FAULT(12, a1)
  li a1, 0x8000000080000000
  IN_S(ld a0, 0(a1))
  FAULT(13, a1)

/* ---- MPRV: M-mode loads and stores translated and checked as MPP (fetches are not) */
  li a1, L0_VA(2)
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  SET_MSTATUS(MSTATUS_MPRV | (PRV_S << 11))
  ld a0, 0(a1)
  li a2, 0x5454
  sd a2, 48(a1)
  CLR_MSTATUS(MSTATUS_MPRV)
  CHECK_EQ(a0, MAGIC_A)
  la t0, pg_a
  ld t0, 48(t0)
  CHECK_EQ(t0, 0x5454)
  li a1, L0_VA(0)             /* the fault is taken in M, mepc = the M instruction */
  EXPECT_TRAP(1f)
  SET_MSTATUS(MSTATUS_MPRV)
2:ld a0, 0(a1)
1:CLR_MSTATUS(MSTATUS_MPRV)
  FAULT(13, a1)
  la t0, 2b
  CHECK_EQ_REG(s3, t0)
  li a1, L0_VA(5)             /* MPP = S, SUM = 0: U page faults */
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  SET_MSTATUS(MSTATUS_MPRV | (PRV_S << 11))
  EXPECT_TRAP(1f)
  ld a0, 0(a1)
1:CLR_MSTATUS(MSTATUS_MPRV)
  FAULT(13, a1)
  li t0, MSTATUS_MPP          /* MPP = S, SUM = 1: allowed */
  csrc mstatus, t0
  SET_MSTATUS(MSTATUS_MPRV | MSTATUS_SUM | (PRV_S << 11))
  li a0, 0
  ld a0, 0(a1)
  CLR_MSTATUS(MSTATUS_MPRV | MSTATUS_SUM)
  CHECK_EQ(a0, MAGIC_A)
  li t0, MSTATUS_MPP          /* MPP = U: U page allowed, S page faults */
  csrc mstatus, t0
  SET_MSTATUS(MSTATUS_MPRV)
  li a0, 0
  ld a0, 0(a1)
  CLR_MSTATUS(MSTATUS_MPRV)
  CHECK_EQ(a0, MAGIC_A)
  li a1, L0_VA(2)
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  SET_MSTATUS(MSTATUS_MPRV)
  EXPECT_TRAP(1f)
  sd a0, 0(a1)
1:CLR_MSTATUS(MSTATUS_MPRV)
  FAULT(15, a1)
  li a1, L0_VA(3)             /* MPP = S with MXR: X-only page readable */
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  SET_MSTATUS(MSTATUS_MPRV | MSTATUS_MXR | (PRV_S << 11))
  lw a0, 0(a1)
  CLR_MSTATUS(MSTATUS_MPRV | MSTATUS_MXR)
  la t0, code_page
  lw t0, 0(t0)
  CHECK_EQ_REG(a0, t0)

/* ---- sfence.vma: after a PTE change, sfence with rs1 = the VA (and later the global form)
        makes the new mapping visible */
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
  /* invalidate it: the next access faults */
  la t0, pt_l0
  sd zero, 11 * 8(t0)
  IN_S(sfence.vma a1, zero; ld a0, 0(a1))
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
pt_l1:   .zero 4096
pt_l0:   .zero 4096
pg_a:    .zero 4096
pg_b:    .zero 4096
