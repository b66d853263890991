/* Shared by the paging tests (priv-vm.S for Sv39, priv-sv48.S for Sv48): mstatus and PTE bits,
   the address plan (the image is also mapped for U at PA - U_ALIAS_DELTA, and page-table-test
   pages at L0_VA(i)), and the macros that run a few instructions in S or U mode and check
   whether they trapped. Include after test.h; the test provides `mtrap`, which records mcause
   in s2 and mtval in s4 and resumes at s7. */
#ifndef WASMVISOR_VM_H
#define WASMVISOR_VM_H

#define MSTATUS_MPP  (3 << 11)
#define MSTATUS_MPRV (1 << 17)
#define MSTATUS_SUM  (1 << 18)
#define MSTATUS_MXR  (1 << 19)
#define PRV_U 0
#define PRV_S 1
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define RWXAD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define RWAD  (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define U_ALIAS_DELTA 0x40000000      /* U alias VA = PA - 0x40000000 */
#define L0_VA(i) (0xc0000000 + (i) * 4096)
#define MAGIC_A 0x0123456789abcdef
#define MAGIC_B 0xfedcba9876543210
#define MAGIC_M 0x1122334455667788
#define MEGA_PA 0x80200000

#define GOTO_PRIV(prv, label) \
  li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, (prv) << 11; csrs mstatus, t0; \
  la t0, label; csrw mepc, t0; mret
/* U code runs from the U alias of the image */
#define GOTO_U(label) \
  li t0, MSTATUS_MPP; csrc mstatus, t0; \
  la t0, label; li t1, U_ALIAS_DELTA; sub t0, t0, t1; csrw mepc, t0; mret
#define EXPECT_TRAP(label) la s7, label; li s2, -1
/* Run the instructions in S (or U); afterwards s2 = 9 (S) / 8 (U) if it did not fault. */
#define IN_S(...) EXPECT_TRAP(1f); GOTO_PRIV(PRV_S, 2f); 2: __VA_ARGS__; ecall; 1:
#define IN_U(...) EXPECT_TRAP(1f); GOTO_U(2f); 2: __VA_ARGS__; ecall; 1:
#define OK_S CHECK_EQ(s2, 9)
#define OK_U CHECK_EQ(s2, 8)
/* A page fault with the given cause whose mtval is the address in `vareg` */
#define FAULT(cause, vareg) CHECK_EQ(s2, cause); CHECK_EQ_REG(s4, vareg)
#define SET_MSTATUS(bits) li t0, bits; csrs mstatus, t0
#define CLR_MSTATUS(bits) li t0, bits; csrc mstatus, t0

#endif
