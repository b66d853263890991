/* Shared by the hypervisor-extension tests (guests/isa/priv-h-*.S; references are to
   priv/hypervisor.adoc by section title): CSR field masks, the mode-switching macros for
   HS/HU/VS/VU, and three trap recorders, one per level that can take a trap.

   Conventions: gp TESTNUM; s7 resume address for the next M trap (0 = none expected). The M
   handler `mtrap` records mcause/mepc/mtval/mstatus/mtval2/mtinst in s2/s3/s4/s5/s8/s9 (and in
   rec_m), then resumes in M at s7. The HS handler `strap` (stvec) records scause/sepc/stval/
   sstatus/htval/htinst/hstatus in rec_hs and the VS handler `vstrap` (vstvec, runs with V=1)
   records vscause/vsepc/vstval/vsstatus in rec_vs; both then ecall, which reaches M (cause 9
   from HS, 10 from VS: the tests never set medeleg[9], set medeleg[10] only around a VS ecall
   that the HS handler takes, and hedeleg bits 9/10 are read-only zero, "Hypervisor Trap
   Delegation Registers"), and M resumes at s7. Every excursion into a lower mode ends with an
   ecall (M sees 9 HS, 10 VS, 8 HU/VU) when nothing trapped earlier. Besides those records the
   handlers clobber only t0 and t1; the mode-switching macros clobber t0 and t1 too.
   Include after test.h and vm.h; the test ends with HYP_HANDLERS and HYP_RECORDS. */
#ifndef WASMVISOR_HYP_H
#define WASMVISOR_HYP_H

#define PRV_M 3
#define MSTATUS_SIE  (1 << 1)
#define MSTATUS_MIE  (1 << 3)
#define MSTATUS_SPIE (1 << 5)
#define MSTATUS_SPP  (1 << 8)
#define MSTATUS_TVM  (1 << 20)
#define MSTATUS_TW   (1 << 21)
#define MSTATUS_TSR  (1 << 22)
#define MSTATUS_GVA  (1 << 38)
#define MSTATUS_MPV  (1 << 39)
#define HSTATUS_VSBE  (1 << 5)
#define HSTATUS_GVA   (1 << 6)
#define HSTATUS_SPV   (1 << 7)
#define HSTATUS_SPVP  (1 << 8)
#define HSTATUS_HU    (1 << 9)
#define HSTATUS_VGEIN (0x3f << 12)
#define HSTATUS_VTVM  (1 << 20)
#define HSTATUS_VTW   (1 << 21)
#define HSTATUS_VTSR  (1 << 22)
#define HSTATUS_VSXL  (3 << 32)
#define MIP_SSIP  (1 << 1)
#define MIP_VSSIP (1 << 2)
#define MIP_STIP  (1 << 5)
#define MIP_VSTIP (1 << 6)
#define MIP_SEIP  (1 << 9)
#define MIP_VSEIP (1 << 10)
#define MIP_SGEIP (1 << 12)
#define VS_INTS   (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP)
#define INTERRUPT (1 << 63)
#define ENVCFG_STCE (1 << 63)
#define SATP_SV39   (8 << 60)
#define SATP_SV48   (9 << 60)
#define HGATP_SV39X4 (8 << 60)
#define HGATP_SV48X4 (9 << 60)
#define HGATP_VMID_SHIFT 44
#define CAUSE_ILLEGAL 2
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_HS 9
#define CAUSE_ECALL_VS 10
#define CAUSE_FETCH_PF 12
#define CAUSE_LOAD_PF 13
#define CAUSE_STORE_PF 15
#define CAUSE_FETCH_GPF 20
#define CAUSE_LOAD_GPF 21
#define CAUSE_VIRTUAL 22
#define CAUSE_STORE_GPF 23

/* Trap record layout (rec_m, rec_hs, rec_vs): cause, epc, tval, status, tval2 (mtval2/htval),
   tinst (mtinst/htinst), hstatus, count. */
#define R_CAUSE 0
#define R_EPC 8
#define R_TVAL 16
#define R_STATUS 24
#define R_TVAL2 32
#define R_TINST 40
#define R_HSTATUS 48
#define R_COUNT 56

/* mret into a mode: MPP = prv, MPV = virt (0 or 1), at the address in register `reg`. */
#define MRET_TO_REG(prv, virt, reg) \
  li t0, MSTATUS_MPP | MSTATUS_MPV; csrc mstatus, t0; \
  li t0, ((prv) << 11) | ((virt) << 39); csrs mstatus, t0; csrw mepc, reg; mret
#define MRET_TO(prv, virt, label) la t1, label; MRET_TO_REG(prv, virt, t1)
/* The next trap at any level is expected; causes read -1 until one is recorded (replaces
   vm.h's M-only form). */
#undef EXPECT_TRAP
#define EXPECT_TRAP(label) \
  la s7, label; li s2, -1; li t0, -1; la t1, rec_hs; sd t0, R_CAUSE(t1); \
  la t1, rec_vs; sd t0, R_CAUSE(t1)
/* Run the instructions in a mode (HU/VU are U with V=0/1), ending with an ecall. */
#define IN_MODE(prv, virt, ...) EXPECT_TRAP(1f); MRET_TO(prv, virt, 2f); 2: __VA_ARGS__; ecall; 1:
#define IN_HS(...) IN_MODE(PRV_S, 0, __VA_ARGS__)
#define IN_HU(...) IN_MODE(PRV_U, 0, __VA_ARGS__)
#define IN_VS(...) IN_MODE(PRV_S, 1, __VA_ARGS__)
#define IN_VU(...) IN_MODE(PRV_U, 1, __VA_ARGS__)
#define OK_HS CHECK_EQ(s2, CAUSE_ECALL_HS)
#define OK_VS CHECK_EQ(s2, CAUSE_ECALL_VS)
/* A check on some bits of a register: (reg & mask) == expect (clobbers t5) */
#define CHECK_BITS(reg, mask, expect) li t5, mask; and t5, reg, t5; CHECK_EQ(t5, expect)
/* reg == a, or reg == b where QEMU 7.2 deviates from the spec (the test says why) */
#define CHECK_EITHER(reg, a, b) \
  addi TESTNUM, TESTNUM, 1; li t6, a; beq reg, t6, 3f; li t6, b; bne reg, t6, fail; 3:
/* Loads field `off` of a trap record into reg */
#define REC(reg, rec, off) la reg, rec; ld reg, off(reg)
/* mtval (s4) of a trap on the instruction at `label`: the instruction bits, or 0 (mtval is
   written the same as for illegal instructions: "Machine Trap Value Register"). */
#define CHECK_TVAL_INSN_OR_0(label) \
  addi TESTNUM, TESTNUM, 1; beqz s4, 3f; la t5, label; lwu t5, 0(t5); bne s4, t5, fail; 3:
/* Sets t0 = the address `label` + delta (for code/data reached through another mapping). */
#define LA_OFF(reg, label, delta) la reg, label; li t0, delta; add reg, reg, t0

/* Page tables for the two-stage tests: table[idx] = PTE(PA in pareg, flags); idx may exceed 255
   (the 16 KiB G-stage roots have 2048 entries). G-stage leaves need U: every G-stage access
   counts as a U-mode access ("Guest Physical Address Translation"). */
#define SET_PTE_AT(table, idx, pareg, flags) \
  la t2, table; srli t1, pareg, 12; slli t1, t1, 10; li t0, flags; or t1, t1, t0; \
  li t0, (idx) * 8; add t2, t2, t0; sd t1, 0(t2)
#define G_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)
/* hgatp/vsatp value for the root table at `label` */
#define ATP(reg, mode, label) la reg, label; srli reg, reg, 12; li t0, mode; or reg, reg, t0
/* Zeroes `pages` 4 KiB pages from `label` */
#define ZERO_PAGES(label, pages) \
  la t0, label; li t1, (pages) * 512; 4: sd zero, 0(t0); addi t0, t0, 8; addi t1, t1, -1; bnez t1, 4b

/* The trap handlers, placed after the test body. */
#define HYP_HANDLERS                                                          \
  .balign 4;                                                                  \
mtrap:                                                                        \
  csrr s2, mcause; csrr s3, mepc; csrr s4, mtval; csrr s5, mstatus;           \
  csrr s8, mtval2; csrr s9, mtinst;                                           \
  la t0, rec_m; sd s2, R_CAUSE(t0); sd s3, R_EPC(t0); sd s4, R_TVAL(t0);      \
  sd s5, R_STATUS(t0); sd s8, R_TVAL2(t0); sd s9, R_TINST(t0);                \
  csrr t1, hstatus; sd t1, R_HSTATUS(t0);                                     \
  ld t1, R_COUNT(t0); addi t1, t1, 1; sd t1, R_COUNT(t0);                     \
  beqz s7, unexpected;                                                        \
  mv t0, s7; li s7, 0; jr t0;                                                 \
  .balign 4;                                                                  \
strap:                                                                        \
  la t0, rec_hs;                                                              \
  csrr t1, scause; sd t1, R_CAUSE(t0); csrr t1, sepc; sd t1, R_EPC(t0);       \
  csrr t1, stval; sd t1, R_TVAL(t0); csrr t1, sstatus; sd t1, R_STATUS(t0);   \
  csrr t1, htval; sd t1, R_TVAL2(t0); csrr t1, htinst; sd t1, R_TINST(t0);    \
  csrr t1, hstatus; sd t1, R_HSTATUS(t0);                                     \
  ld t1, R_COUNT(t0); addi t1, t1, 1; sd t1, R_COUNT(t0);                     \
  ecall;                                                                      \
  .balign 4;                                                                  \
vstrap:                                                                       \
  la t0, rec_vs;                                                              \
  csrr t1, scause; sd t1, R_CAUSE(t0); csrr t1, sepc; sd t1, R_EPC(t0);       \
  csrr t1, stval; sd t1, R_TVAL(t0); csrr t1, sstatus; sd t1, R_STATUS(t0);   \
  ld t1, R_COUNT(t0); addi t1, t1, 1; sd t1, R_COUNT(t0);                     \
  ecall;                                                                      \
UNEXPECTED_TRAP_REPORTER

/* Check 1 is misa.H (without it the handlers' CSR reads would trap forever). Then installs
   the handlers and opens all memory to S/U through PMP entry 0 ("Physical Memory
   Protection"; QEMU refuses mret to S/U while no PMP entry is active). */
#define HYP_SETUP                                                             \
  csrr t0, misa; CHECK_BITS(t0, 1 << 7, 1 << 7);                              \
  la t0, mtrap; csrw mtvec, t0;                                               \
  la t0, strap; csrw stvec, t0;                                               \
  la t0, vstrap; csrw vstvec, t0;                                             \
  li s7, 0;                                                                   \
  csrw medeleg, zero; csrw mideleg, zero; csrw hedeleg, zero;                 \
  csrw hideleg, zero; csrw mie, zero; csrw hvip, zero;                        \
  csrw satp, zero; csrw vsatp, zero; csrw hgatp, zero;                        \
  li t0, -1; csrw pmpaddr0, t0; li t0, 0x1f; csrw pmpcfg0, t0

/* Trap records (data section). */
#define HYP_RECORDS   \
  .data;              \
  .balign 8;          \
rec_m:  .zero 64;     \
rec_hs: .zero 64;     \
rec_vs: .zero 64

#endif
