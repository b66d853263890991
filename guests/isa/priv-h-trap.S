/* priv-h-trap: entering and leaving the virtualized modes, and trap routing with V=1
   (priv/hypervisor.adoc: "Traps", "Trap Cause Codes", "Trap Entry", "Trap Return",
   "Hypervisor Status Register", "Hypervisor Trap Delegation Registers"): mret with MPV and sret
   with hstatus.SPV into VS/VU, medeleg/hedeleg/hideleg routing between M, HS and VS, the cause
   and status values each level records, virtual-instruction exceptions, and VS interrupts
   injected through hvip. Exits through syscon: 0 = pass, else the number of the failing check.
   Register and handler conventions: see common/hyp.h. */
#include "test.h"

/* gp is TESTNUM here, so the linker must not relax `la` into gp-relative addressing. */
  .option norelax

#include "vm.h"
#include "hyp.h"

#define NOWHERE 0x200000000     /* beyond DRAM and every virt device (as in priv-fault.S) */

/* The M trap: cause, MPV and MPP of the mstatus captured at entry */
#define CHECK_M(cause, mpv, mpp) \
  CHECK_EQ(s2, cause); CHECK_BITS(s5, MSTATUS_MPV, (mpv) << 39); \
  srli t5, s5, 11; andi t5, t5, 3; CHECK_EQ(t5, mpp)
/* a field of a trap record == value / (field & mask) == value */
#define CHECK_REC(rec, off, value) REC(a0, rec, off); CHECK_EQ(a0, value)
#define CHECK_REC_BITS(rec, off, mask, value) REC(a0, rec, off); CHECK_BITS(a0, mask, value)
/* A virtual-instruction trap into M from the instruction at `label` with V=1: mepc = label,
   mtval = the instruction or 0, mtval2 = mtinst = 0 (one check; "Transformed Instruction or
   Pseudoinstruction for mtinst or htinst": only zero for this cause). GVA should be 0 (mtval
   is no address), but QEMU 7.2 sets mstatus.GVA on any trap from V=1 with a nonzero mtval and
   never clears it, so GVA is not checked here. */
#define CHECK_VIRTUAL_NO_TVAL(label, mpp) \
  CHECK_M(CAUSE_VIRTUAL, 1, mpp); la t5, label; CHECK_EQ_REG(s3, t5); \
  or t5, s8, s9; CHECK_EQ(t5, 0)
#define CHECK_VIRTUAL(label, mpp) CHECK_VIRTUAL_NO_TVAL(label, mpp); CHECK_TVAL_INSN_OR_0(label)
/* QEMU 7.2 leaves mtval holding the previous trapping instruction's bits when HLV/HLVX/HSV
   raise the virtual-instruction exception, so their mtval is not checked. */
#define CHECK_VIRTUAL_HLV(label, mpp) CHECK_VIRTUAL_NO_TVAL(label, mpp)
#define CHECK_VIRTUAL_OR_QEMU_ILLEGAL(label) \
  CHECK_EITHER(s2, CAUSE_VIRTUAL, CAUSE_ILLEGAL); la t5, label; CHECK_EQ_REG(s3, t5); \
  CHECK_BITS(s5, MSTATUS_MPV | MSTATUS_MPP, MSTATUS_MPV)
#define CHECK_ILLEGAL(label, virt, mpp) \
  CHECK_M(CAUSE_ILLEGAL, virt, mpp); la t5, label; CHECK_EQ_REG(s3, t5)
/* Starts an interrupt case: hvip = pending, then enter VS (or VU) at 2f with vsstatus.SIE on */
#define VS_INTERRUPT(prv, pending) \
  li t0, pending; csrw hvip, t0; IN_MODE(prv, 1, nop); csrw hvip, zero

TEST_BEGIN
  HYP_SETUP

/* ---- ecall from each mode entered with mret (MPP, MPV): causes 9 (HS), 8 (HU), 10 (VS),
        8 (VU); mstatus.MPV/MPP record the mode; mtval, mtval2, mtinst are 0; GVA = 0 */
  IN_HS(nop)
  CHECK_M(CAUSE_ECALL_HS, 0, PRV_S)
  IN_HU(nop)
  CHECK_M(CAUSE_ECALL_U, 0, PRV_U)
  IN_VS(ecall_vs:)
  CHECK_M(CAUSE_ECALL_VS, 1, PRV_S)
  la t0, ecall_vs
  CHECK_EQ_REG(s3, t0)
  CHECK_EQ(s4, 0)
  CHECK_EQ(s8, 0)
  CHECK_EQ(s9, 0)
  CHECK_BITS(s5, MSTATUS_GVA, 0)
  IN_VU(nop)
  CHECK_M(CAUSE_ECALL_U, 1, PRV_U)
  csrr a0, mstatus              /* the trap into M left MPV set; M itself runs with V=0 */
  CHECK_BITS(a0, MSTATUS_MPV, MSTATUS_MPV)
  /* a trap into M does not touch hstatus */
  li s0, HSTATUS_SPVP
  csrs hstatus, s0
  IN_VU(nop)
  csrr a0, hstatus
  CHECK_BITS(a0, HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_SPVP)
  csrc hstatus, s0

/* ---- sret from HS enters V = hstatus.SPV at privilege SPP ("Trap Return") and clears
        hstatus.SPV (seen in the hstatus the M handler records at the ecall) */
  la a1, 5f
  IN_HS(li t0, HSTATUS_SPV; csrs hstatus, t0; li t0, MSTATUS_SPP; csrs sstatus, t0; csrw sepc, a1; sret; 5:)
  CHECK_M(CAUSE_ECALL_VS, 1, PRV_S)
  la t0, 5b
  CHECK_EQ_REG(s3, t0)
  CHECK_REC_BITS(rec_m, R_HSTATUS, HSTATUS_SPV, 0)
  la a1, 5f
  IN_HS(li t0, HSTATUS_SPV; csrs hstatus, t0; li t0, MSTATUS_SPP; csrc sstatus, t0; csrw sepc, a1; sret; 5:)
  CHECK_M(CAUSE_ECALL_U, 1, PRV_U)
  CHECK_REC_BITS(rec_m, R_HSTATUS, HSTATUS_SPV, 0)
  la a1, 5f
  IN_HS(li t0, HSTATUS_SPV; csrc hstatus, t0; li t0, MSTATUS_SPP; csrc sstatus, t0; csrw sepc, a1; sret; 5:)
  CHECK_M(CAUSE_ECALL_U, 0, PRV_U)
  /* sret in VS returns within the VM (vsstatus.SPP, vsepc): to VU here */
  la a1, 5f
  IN_VS(li t0, MSTATUS_SPP; csrc sstatus, t0; csrw sepc, a1; sret; 5:)
  CHECK_M(CAUSE_ECALL_U, 1, PRV_U)
  csrr a0, vsepc
  CHECK_EQ_REG(a0, a1)
  /* mstatus.TSR does not apply in VS ("Virtual-Instruction Exceptions": TSR and TVM affect only
     HS-mode). QEMU 7.2 applies it (illegal instruction), so either outcome passes. */
  li s0, MSTATUS_TSR
  csrs mstatus, s0
  la a1, 5f
  IN_VS(li t0, MSTATUS_SPP; csrc sstatus, t0; csrw sepc, a1; sret; 5:)
  csrc mstatus, s0
  CHECK_EITHER(s2, CAUSE_ECALL_U, CAUSE_ILLEGAL)
  csrw hstatus, zero

/* ---- routing of synchronous traps (medeleg, then hedeleg when V=1) */
  /* VS ecall delegated to HS: scause 10; SPV = 1, SPVP = 1 (the VS privilege); SPP = 1 */
  li t0, 1 << CAUSE_ECALL_VS
  csrw medeleg, t0
  IN_VS(ecall_vs_hs: ecall)
  CHECK_M(CAUSE_ECALL_HS, 0, PRV_S)    /* the HS handler's own ecall */
  CHECK_REC(rec_hs, R_CAUSE, CAUSE_ECALL_VS)
  la t0, ecall_vs_hs
  REC(a0, rec_hs, R_EPC)
  CHECK_EQ_REG(a0, t0)
  CHECK_REC_BITS(rec_hs, R_HSTATUS, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPV | HSTATUS_SPVP)
  CHECK_REC_BITS(rec_hs, R_STATUS, MSTATUS_SPP, MSTATUS_SPP)
  CHECK_REC(rec_hs, R_TVAL, 0)
  CHECK_REC(rec_hs, R_TVAL2, 0)
  CHECK_REC(rec_hs, R_TINST, 0)
  /* VU ecall with medeleg[8] = 1, hedeleg[8] = 0: to HS; SPV = 1, SPVP = 0, SPP = 0 */
  li t0, 1 << CAUSE_ECALL_U
  csrw medeleg, t0
  IN_VU(nop)
  CHECK_M(CAUSE_ECALL_HS, 0, PRV_S)
  CHECK_REC(rec_hs, R_CAUSE, CAUSE_ECALL_U)
  CHECK_REC_BITS(rec_hs, R_HSTATUS, HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_SPV)
  CHECK_REC_BITS(rec_hs, R_STATUS, MSTATUS_SPP, 0)
  /* ... and hedeleg[8] = 1: to VS (vscause 8, vsstatus.SPP = 0); hstatus is untouched */
  li t0, 1 << CAUSE_ECALL_U
  csrw hedeleg, t0
  li t0, HSTATUS_SPVP
  csrw hstatus, t0
  li t0, MSTATUS_SPP
  csrs vsstatus, t0
  IN_VU(ecall_vu_vs:)
  CHECK_M(CAUSE_ECALL_VS, 1, PRV_S)    /* the VS handler's ecall */
  CHECK_REC(rec_vs, R_CAUSE, CAUSE_ECALL_U)
  la t0, ecall_vu_vs
  REC(a0, rec_vs, R_EPC)
  CHECK_EQ_REG(a0, t0)
  CHECK_REC_BITS(rec_vs, R_STATUS, MSTATUS_SPP, 0)
  CHECK_REC(rec_hs, R_CAUSE, -1)       /* HS saw nothing */
  csrr a0, hstatus
  CHECK_EQ(a0, (2 << 32) | HSTATUS_SPVP)
  csrr a0, vscause
  CHECK_EQ(a0, CAUSE_ECALL_U)
  /* hedeleg does not apply with V=0: a HU ecall goes to HS, with SPV = 0 */
  IN_HU(nop)
  CHECK_M(CAUSE_ECALL_HS, 0, PRV_S)
  CHECK_REC(rec_hs, R_CAUSE, CAUSE_ECALL_U)
  CHECK_REC_BITS(rec_hs, R_HSTATUS, HSTATUS_SPV, 0)
  /* illegal instruction in VS (an M CSR is not HS-qualified): medeleg[2] + hedeleg[2] -> VS,
     medeleg[2] only -> HS, neither -> M */
  li t0, 1 << CAUSE_ILLEGAL
  csrw medeleg, t0
  csrw hedeleg, t0
  IN_VS(ill_vs: csrr a0, mstatus)
  CHECK_M(CAUSE_ECALL_VS, 1, PRV_S)
  /* QEMU 7.2 applies the VS interrupt-code translation (2 -> 1, "Hypervisor Trap Delegation
     Registers") to exceptions delegated to VS as well, so vscause may read 1 there */
  REC(a0, rec_vs, R_CAUSE)
  CHECK_EITHER(a0, CAUSE_ILLEGAL, 1)
  la t0, ill_vs
  REC(a0, rec_vs, R_EPC)
  CHECK_EQ_REG(a0, t0)
  CHECK_REC_BITS(rec_vs, R_STATUS, MSTATUS_SPP, MSTATUS_SPP)
  csrw hedeleg, zero
  IN_VS(csrr a0, mstatus)
  CHECK_M(CAUSE_ECALL_HS, 0, PRV_S)
  CHECK_REC(rec_hs, R_CAUSE, CAUSE_ILLEGAL)
  CHECK_REC_BITS(rec_hs, R_HSTATUS, HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_SPV | HSTATUS_SPVP)
  csrw medeleg, zero
  IN_VS(ill_vs_m: csrr a0, mstatus)
  CHECK_ILLEGAL(ill_vs_m, 1, PRV_S)
  IN_VS(mret_vs: mret)          /* mret is not HS-qualified either */
  CHECK_ILLEGAL(mret_vs, 1, PRV_S)
  /* an access fault in VS writes a guest virtual address: mstatus.GVA = 1; with medeleg[5]
     it goes to HS with hstatus.GVA = 1 and stval = the address */
  li a1, NOWHERE
  IN_VS(ld a0, 0(a1))
  CHECK_M(5, 1, PRV_S)
  CHECK_EQ_REG(s4, a1)
  CHECK_BITS(s5, MSTATUS_GVA, MSTATUS_GVA)
  CHECK_EQ(s8, 0)
  li t0, 1 << 5
  csrw medeleg, t0
  IN_VS(ld a0, 8(a1))
  CHECK_REC(rec_hs, R_CAUSE, 5)
  REC(a0, rec_hs, R_TVAL)
  addi t0, a1, 8
  CHECK_EQ_REG(a0, t0)
  CHECK_REC_BITS(rec_hs, R_HSTATUS, HSTATUS_GVA | HSTATUS_SPV, HSTATUS_GVA | HSTATUS_SPV)
  CHECK_REC(rec_hs, R_TVAL2, 0)
  csrw medeleg, zero

/* ---- virtual-instruction exceptions (cause 22, "Trap Cause Codes"): HS-qualified
        instructions that V=1 forbids */
  IN_VS(vi1: csrr a0, hstatus)  /* hypervisor CSRs */
  CHECK_VIRTUAL(vi1, PRV_S)
  IN_VS(vi2: csrw hgatp, zero)
  CHECK_VIRTUAL(vi2, PRV_S)
  IN_VS(vi3: csrr a0, vsscratch) /* VS CSRs by their own numbers */
  CHECK_VIRTUAL(vi3, PRV_S)
  IN_VS(vi4: hfence.gvma)       /* hypervisor instructions */
  CHECK_VIRTUAL(vi4, PRV_S)
  IN_VS(vi5: hfence.vvma)
  CHECK_VIRTUAL(vi5, PRV_S)
  la a1, rec_m
  IN_VS(vi6: hlv.d a0, (a1))
  CHECK_VIRTUAL_HLV(vi6, PRV_S)
  IN_VS(vi7: hsv.w zero, (a1))
  CHECK_VIRTUAL_HLV(vi7, PRV_S)
  IN_VS(vi8: hlvx.wu a0, (a1))
  CHECK_VIRTUAL_HLV(vi8, PRV_S)
  li s0, HSTATUS_VTSR           /* hstatus.VTSR: sret */
  csrs hstatus, s0
  IN_VS(vi9: sret)
  CHECK_VIRTUAL(vi9, PRV_S)
  csrc hstatus, s0
  li s0, HSTATUS_VTW            /* hstatus.VTW: wfi (mstatus.TW = 0; the spec allows WFI to
                                   complete first only within a bounded time; nothing is
                                   pending here, so it must trap) */
  csrs hstatus, s0
  IN_VS(vi10: wfi)
  CHECK_VIRTUAL(vi10, PRV_S)
  csrc hstatus, s0
  li s0, HSTATUS_VTVM           /* hstatus.VTVM: sfence.vma and satp */
  csrs hstatus, s0
  IN_VS(vi11: sfence.vma)
  CHECK_VIRTUAL(vi11, PRV_S)
  /* QEMU 7.2 checks only sfence.vma against VTVM (satp accesses run), so either passes */
  IN_VS(csrr a0, satp)
  CHECK_EITHER(s2, CAUSE_VIRTUAL, CAUSE_ECALL_VS)
  IN_VS(csrw satp, zero)
  CHECK_EITHER(s2, CAUSE_VIRTUAL, CAUSE_ECALL_VS)
  csrc hstatus, s0
  li s0, MSTATUS_TVM            /* mstatus.TVM does not apply in VS (QEMU 7.2: see TSR above) */
  csrs mstatus, s0
  IN_VS(csrr a0, satp; sfence.vma)
  csrc mstatus, s0
  CHECK_EITHER(s2, CAUSE_ECALL_VS, CAUSE_ILLEGAL)
  li s0, MSTATUS_TW             /* mstatus.TW = 1: wfi in VS is illegal (TW wins over VTW) */
  csrs mstatus, s0
  li s1, HSTATUS_VTW
  csrs hstatus, s1
  IN_VS(ill_wfi: wfi)
  CHECK_ILLEGAL(ill_wfi, 1, PRV_S)
  csrc hstatus, s1
  csrc mstatus, s0
  /* VU: supervisor CSRs, sret, sfence.vma, wfi (TW = 0), hypervisor CSRs and instructions */
  /* supervisor CSRs, sret and sfence.vma from VU: virtual instruction; QEMU 7.2 raises an
     illegal instruction instead, so either cause passes (the trap must still be at the
     instruction, from VU) */
  IN_VU(vu1: csrr a0, sstatus)
  CHECK_VIRTUAL_OR_QEMU_ILLEGAL(vu1)
  IN_VU(vu2: csrw sscratch, zero)
  CHECK_VIRTUAL_OR_QEMU_ILLEGAL(vu2)
  IN_VU(vu3: sret)
  CHECK_VIRTUAL_OR_QEMU_ILLEGAL(vu3)
  IN_VU(vu4: sfence.vma)
  CHECK_VIRTUAL_OR_QEMU_ILLEGAL(vu4)
  IN_VU(vu5: wfi)
  CHECK_VIRTUAL(vu5, PRV_U)
  IN_VU(vu6: csrr a0, hstatus)
  CHECK_VIRTUAL(vu6, PRV_U)
  IN_VU(vu7: hlv.b a0, (a1))
  CHECK_VIRTUAL_HLV(vu7, PRV_U)
  IN_VU(vu8: csrr a0, mstatus)  /* M CSRs stay illegal */
  CHECK_ILLEGAL(vu8, 1, PRV_U)
  /* the same instructions with V=0 in U are illegal, not virtual */
  IN_HU(hu1: csrr a0, hstatus)
  CHECK_ILLEGAL(hu1, 0, PRV_U)
  IN_HU(hu2: csrr a0, sstatus)
  CHECK_ILLEGAL(hu2, 0, PRV_U)
  IN_HU(hu3: hlv.b a0, (a1))    /* hstatus.HU = 0 */
  CHECK_ILLEGAL(hu3, 0, PRV_U)
  /* ... and in HS they are fine */
  IN_HS(csrr a0, hstatus; csrr a0, vsscratch; hfence.vvma; hfence.gvma)
  OK_HS
  /* medeleg[22] sends virtual instructions to HS (hedeleg[22] is read-only zero):
     scause 22, stval = instruction or 0, SPV = 1 */
  li t0, 1 << CAUSE_VIRTUAL
  csrw medeleg, t0
  csrw hedeleg, t0
  csrr a0, hedeleg
  CHECK_EQ(a0, 0)
  IN_VS(vi_hs: csrr a0, hgatp)
  CHECK_M(CAUSE_ECALL_HS, 0, PRV_S)
  CHECK_REC(rec_hs, R_CAUSE, CAUSE_VIRTUAL)
  REC(a0, rec_hs, R_TVAL)
  addi TESTNUM, TESTNUM, 1
  beqz a0, 3f
  la t0, vi_hs
  lwu t0, 0(t0)
  bne a0, t0, fail
3:CHECK_REC_BITS(rec_hs, R_HSTATUS, HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_SPV | HSTATUS_SPVP)
  csrw medeleg, zero

/* ---- VS interrupts injected through hvip ("Hypervisor Interrupt Registers", "Trap Cause
        Codes"): delegated in hideleg they are taken in VS with the codes translated
        VSSI 2 -> 1, VSTI 6 -> 5, VSEI 10 -> 9, when vsstatus.SIE and vsie allow. The VS
        handler's vsepc is the first instruction of the excursion (nothing ran). */
  li t0, VS_INTS
  csrw hideleg, t0
  csrw hie, t0
  li t0, MSTATUS_SIE
  csrw vsstatus, t0
  VS_INTERRUPT(PRV_S, MIP_VSSIP)
  CHECK_REC(rec_vs, R_CAUSE, INTERRUPT | 1)
  la t0, 2b
  REC(a0, rec_vs, R_EPC)
  CHECK_EQ_REG(a0, t0)
  CHECK_REC_BITS(rec_vs, R_STATUS, MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE, MSTATUS_SPP | MSTATUS_SPIE)
  CHECK_M(CAUSE_ECALL_VS, 1, PRV_S)
  CHECK_REC(rec_hs, R_CAUSE, -1)
  li t0, MSTATUS_SIE
  csrw vsstatus, t0
  VS_INTERRUPT(PRV_S, MIP_VSTIP)
  CHECK_REC(rec_vs, R_CAUSE, INTERRUPT | 5)
  li t0, MSTATUS_SIE
  csrw vsstatus, t0
  VS_INTERRUPT(PRV_S, MIP_VSEIP)
  CHECK_REC(rec_vs, R_CAUSE, INTERRUPT | 9)
  /* priority among VS-level interrupts: VSEI > VSSI > VSTI ("Trap Entry", as SEI > SSI > STI) */
  li t0, MSTATUS_SIE
  csrw vsstatus, t0
  VS_INTERRUPT(PRV_S, VS_INTS)
  REC(a0, rec_vs, R_CAUSE)
  CHECK_EITHER(a0, INTERRUPT | 9, INTERRUPT | 1)   /* QEMU 7.2 takes VSSI before VSEI */
  li t0, MSTATUS_SIE
  csrw vsstatus, t0
  VS_INTERRUPT(PRV_S, MIP_VSSIP | MIP_VSTIP)
  CHECK_REC(rec_vs, R_CAUSE, INTERRUPT | 1)
  /* vsstatus.SIE = 0 masks them in VS ... */
  csrw vsstatus, zero
  VS_INTERRUPT(PRV_S, MIP_VSSIP)
  OK_VS
  CHECK_REC(rec_vs, R_CAUSE, -1)
  /* ... but not in VU (VS-level interrupts are always enabled below VS); vsstatus.SPP = 0 */
  VS_INTERRUPT(PRV_U, MIP_VSSIP)
  CHECK_REC(rec_vs, R_CAUSE, INTERRUPT | 1)
  CHECK_REC_BITS(rec_vs, R_STATUS, MSTATUS_SPP, 0)
  /* vsie masks: hie.VSSIE = 0 */
  li t0, MSTATUS_SIE
  csrw vsstatus, t0
  li t0, MIP_VSSIP
  csrc hie, t0
  VS_INTERRUPT(PRV_S, MIP_VSSIP)
  OK_VS
  li t0, VS_INTS
  csrw hie, t0
  /* not delegated in hideleg: the interrupt is HS-level; with V=1 it is taken in HS whatever
     sstatus.SIE and vsstatus.SIE are, with the untranslated code (2) and SPV = 1 */
  csrw hideleg, zero
  csrw vsstatus, zero
  csrw sstatus, zero
  VS_INTERRUPT(PRV_S, MIP_VSSIP)
  CHECK_REC(rec_hs, R_CAUSE, INTERRUPT | 2)
  CHECK_REC_BITS(rec_hs, R_HSTATUS, HSTATUS_SPV, HSTATUS_SPV)
  CHECK_REC(rec_vs, R_CAUSE, -1)
  /* HS-level interrupts come before VS-level ones: VSTI delegated to VS, VSSI not */
  li t0, MIP_VSTIP
  csrw hideleg, t0
  li t0, MSTATUS_SIE
  csrw vsstatus, t0
  VS_INTERRUPT(PRV_S, MIP_VSSIP | MIP_VSTIP)
  CHECK_REC(rec_hs, R_CAUSE, INTERRUPT | 2)
  CHECK_REC(rec_vs, R_CAUSE, -1)
  /* a supervisor software interrupt (mideleg[1], mip.SSIP) is HS-level: taken in VS */
  li s0, MIP_SSIP
  csrw mideleg, s0
  csrs mie, s0
  csrs mip, s0
  IN_VS(nop)
  csrc mip, s0
  csrc mie, s0
  csrw mideleg, zero
  CHECK_REC(rec_hs, R_CAUSE, INTERRUPT | 1)
  CHECK_REC_BITS(rec_hs, R_HSTATUS, HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_SPV | HSTATUS_SPVP)
  csrw hideleg, zero
  csrw hie, zero
  csrw vsstatus, zero
  j pass

HYP_HANDLERS
TEST_END
HYP_RECORDS
