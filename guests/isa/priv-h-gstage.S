/* priv-h-gstage: two-stage address translation (priv/hypervisor.adoc "Two-Stage Address
   Translation", "Guest Physical Address Translation", "Guest-Page Faults", "Memory-Management
   Fences", "Hypervisor Guest Address Translation and Protection Register"). A VS-mode guest
   runs over a G-stage (Sv39x4, one Sv48x4 case) that maps guest-physical = host-physical +
   0x80000000; its VS-stage Sv39 tables hold guest-physical addresses, so every VS-stage walk
   is itself translated. Exits through syscon: 0 = pass, else the number of the failing check.
   Register and handler conventions: see common/hyp.h (no trap is delegated unless stated, so
   guest-page faults reach the M handler: s2 mcause, s3 mepc, s4 mtval, s8 mtval2, s9 mtinst).

   Guest-physical map (G-stage root g_root, 16 KiB, VMID 1):
     g_root[4]     GPA 0x1_0000_0000  1 GiB -> HPA 0x8000_0000 (the image), U RWX
     g_root[516], g_root[1028]  GPA 0x81_0000_0000, 0x101_0000_0000: 1 GiB -> HPA 0x8000_0000
                   (root indexes above 511 use the x4 GPA bits 40:39)
     g_root[5]     GPA 0x1_4000_0000 -> g_l1 -> g_l0: 4 KiB pages G_PAGE(i), see below
   g_root_b (VMID 2) is g_root except GPA 0x1_4000_0000 is a 2 MiB page -> HPA MEGA_PA.
   Guest-virtual map (VS-stage root vs_root, addressed by GPA):
     vs_root[2]  VA 0x8000_0000 1 GiB -> GPA 0x1_0000_0000 RWX (so VA = link address)
     vs_root[3]  VA 0xc000_0000 -> vs_l1; vs_l1[0] -> vs_l0 (pages L0_VA(i));
                 vs_l1[1] -> a table at GPA G_PAGE(7), which the G-stage does not map */
#include "test.h"

/* gp is TESTNUM here, so the linker must not relax `la` into gp-relative addressing. */
  .option norelax

#include "vm.h"
#include "hyp.h"

#define GPA_DELTA 0x80000000            /* GPA = HPA + GPA_DELTA */
#define G_PAGE(i) (0x140000000 + (i) * 4096)
#define HIGH_GPA_DELTA (0x8100000000 - 0x80000000)      /* root index 516 */
#define TOP_GPA_DELTA (0x10100000000 - 0x80000000)      /* root index 1028 */
#define VS_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define VS_RW  (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

/* Run in VS at the address of label 2f plus `delta` (0 with the VS stage on, GPA_DELTA with
   vsatp = 0), ending with an ecall */
#define IN_VS_AT(delta, ...) \
  EXPECT_TRAP(1f); la t1, 2f; li t0, delta; add t1, t1, t0; MRET_TO_REG(PRV_S, 1, t1); \
  2: __VA_ARGS__; ecall; 1:
#define IN_GUEST(...) IN_VS_AT(0, __VA_ARGS__)
#define IN_BARE(...) IN_VS_AT(GPA_DELTA, __VA_ARGS__)
/* A guest-page fault in M: cause, mtval = GVA (reg), mtval2 = GPA >> 2, GVA = 1, MPV = 1 */
#define GPF(cause, vareg, gpa) \
  CHECK_EQ(s2, cause); CHECK_EQ_REG(s4, vareg); li t3, gpa; srli t3, t3, 2; CHECK_EQ_REG(s8, t3); \
  CHECK_BITS(s5, MSTATUS_GVA | MSTATUS_MPV, MSTATUS_GVA | MSTATUS_MPV)
/* The same for a fault on an implicit VS-stage table read: it is reported for the original
   access type ("Guest Physical Address Translation"); QEMU 7.2 reports fetches and stores as
   load guest-page faults (21), so 21 is accepted too. */
#define GPF_IMPLICIT(cause, vareg, gpa) \
  CHECK_EITHER(s2, cause, CAUSE_LOAD_GPF); CHECK_EQ_REG(s4, vareg); li t3, gpa; srli t3, t3, 2; \
  CHECK_EQ_REG(s8, t3); CHECK_BITS(s5, MSTATUS_GVA | MSTATUS_MPV, MSTATUS_GVA | MSTATUS_MPV)
/* mtinst for an explicit load/store: 0, or the transformed instruction (same opcode, bit 1
   clear for a compressed original: "Transformed Instruction or Pseudoinstruction for mtinst") */
#define TINST_EXPLICIT(opcode) \
  addi TESTNUM, TESTNUM, 1; beqz s9, 3f; andi t5, s9, 0x7d; li t6, (opcode) & 0x7d; bne t5, t6, fail; 3:
/* mtinst for a fault on an implicit VS-stage table read: the pseudoinstruction 0x3000 (64-bit
   read) is required with a nonzero mtval2; QEMU 7.2 writes 0, so 0 is accepted too. */
#define TINST_IMPLICIT CHECK_EITHER(s9, 0x3000, 0)

TEST_BEGIN
  HYP_SETUP

/* ---- data, G-stage and VS-stage tables (built in M with host-physical addresses) */
  ZERO_PAGES(g_root, 4 + 4 + 6)
  la t0, pg_a
  li t1, MAGIC_A
  sd t1, 0(t0)
  la t0, pg_b
  li t1, MAGIC_B
  sd t1, 0(t0)
  li t0, MEGA_PA + 0x1000
  li t1, MAGIC_M
  sd t1, 0(t0)
  li s0, 0x80000000
  SET_PTE_AT(g_root, 4, s0, G_RWX)
  SET_PTE_AT(g_root, 516, s0, G_RWX)
  SET_PTE_AT(g_root, 1028, s0, G_RWX)
  la s1, g_l1
  SET_PTE_AT(g_root, 5, s1, PTE_V)
  la s1, g_l0
  SET_PTE_AT(g_l1, 0, s1, PTE_V)
  la s1, pg_a
  SET_PTE_AT(g_l0, 1, s1, G_RWX)
  la s1, pg_b
  SET_PTE_AT(g_l0, 2, s1, G_RWX)
  la s1, pg_a                                                    /* 3 stays invalid */
  SET_PTE_AT(g_l0, 4, s1, G_RWX & ~PTE_U)                        /* no U */
  SET_PTE_AT(g_l0, 5, s1, PTE_V | PTE_R | PTE_U | PTE_A)         /* read-only */
  SET_PTE_AT(g_l0, 6, s1, PTE_V | PTE_R | PTE_W | PTE_U)         /* A = D = 0 */
  SET_PTE_AT(g_l0, 8, s1, G_RWX)                                 /* remapped later */
  /* root B: same gigapage, GPA 0x1_4000_0000 as one 2 MiB page at MEGA_PA */
  SET_PTE_AT(g_root_b, 4, s0, G_RWX)
  la s1, g_l1_b
  SET_PTE_AT(g_root_b, 5, s1, PTE_V)
  li s1, MEGA_PA
  SET_PTE_AT(g_l1_b, 0, s1, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
  /* VS stage: PTEs hold GPAs */
  li s0, 0x100000000
  SET_PTE_AT(vs_root, 2, s0, VS_RWX)
  LA_OFF(s1, vs_l1, GPA_DELTA)
  SET_PTE_AT(vs_root, 3, s1, PTE_V)
  LA_OFF(s1, vs_l0, GPA_DELTA)
  SET_PTE_AT(vs_l1, 0, s1, PTE_V)
  li s1, G_PAGE(7)
  SET_PTE_AT(vs_l1, 1, s1, PTE_V)
  li s1, G_PAGE(1)
  SET_PTE_AT(vs_l0, 1, s1, VS_RW)
  SET_PTE_AT(vs_l0, 9, s1, VS_RW)
  li s1, G_PAGE(3)
  SET_PTE_AT(vs_l0, 2, s1, VS_RW)
  SET_PTE_AT(vs_l0, 3, s1, PTE_V | PTE_X | PTE_A)
  li s1, G_PAGE(4)
  SET_PTE_AT(vs_l0, 4, s1, VS_RW)
  li s1, G_PAGE(5)
  SET_PTE_AT(vs_l0, 5, s1, VS_RW)
  li s1, G_PAGE(6)
  SET_PTE_AT(vs_l0, 6, s1, VS_RW)
  li s1, G_PAGE(8)
  SET_PTE_AT(vs_l0, 8, s1, VS_RW)
  LA_OFF(s1, code_page, GPA_DELTA)
  SET_PTE_AT(vs_l0, 10, s1, PTE_V | PTE_X | PTE_A)

  ATP(s10, HGATP_SV39X4 | (1 << HGATP_VMID_SHIFT), g_root)
  csrw hgatp, s10
  hfence.gvma
  csrr a0, hgatp
  CHECK_EQ_REG(a0, s10)

/* ---- VS stage bare (vsatp = 0), G stage Sv39x4: the guest runs at GPA = HPA + 0x80000000;
        fetches, loads and stores go through the G stage (gigapage and 4 KiB pages) */
  LA_OFF(a1, pg_a, GPA_DELTA)
  li a0, 0
  IN_BARE(ld a0, 0(a1))
  OK_VS
  CHECK_EQ(a0, MAGIC_A)
  li a1, G_PAGE(2)
  li a2, 0x1212
  IN_BARE(ld a0, 0(a1); sd a2, 8(a1))
  OK_VS
  CHECK_EQ(a0, MAGIC_B)
  la t0, pg_b
  ld t0, 8(t0)
  CHECK_EQ(t0, 0x1212)
  /* the x4 GPA bits 40:39 select root entries above 511 */
  LA_OFF(a1, pg_a, HIGH_GPA_DELTA)
  li a0, 0
  IN_BARE(ld a0, 0(a1))
  OK_VS
  CHECK_EQ(a0, MAGIC_A)
  /* GPA bit 40 is valid for Sv39x4 (bits 63:41 must be zero); QEMU 7.2 treats the GPA as
     sign-extended from bit 40 and raises a guest-page fault, so either outcome passes */
  LA_OFF(a1, pg_a, TOP_GPA_DELTA)
  IN_BARE(ld a0, 0(a1))
  CHECK_EITHER(s2, CAUSE_ECALL_VS, CAUSE_LOAD_GPF)
  /* guest-page faults with vsatp = 0: mtval = the address (= GPA), mtval2 = GPA >> 2 */
  li a1, G_PAGE(3) + 0x18
  IN_BARE(ld a0, 0(a1))
  GPF(CAUSE_LOAD_GPF, a1, G_PAGE(3) + 0x18)
  TINST_EXPLICIT(0x03)
  LA_OFF(t3, 2b, GPA_DELTA)     /* mepc is the guest address of the load */
  CHECK_EQ_REG(s3, t3)
  IN_BARE(sd a0, 0(a1))
  GPF(CAUSE_STORE_GPF, a1, G_PAGE(3) + 0x18)
  TINST_EXPLICIT(0x23)
  li a1, 1 << 41                /* GPA bits 63:41 must be zero for Sv39x4 */
  IN_BARE(ld a0, 0(a1))
  GPF(CAUSE_LOAD_GPF, a1, 1 << 41)

/* ---- both stages: VS-stage Sv39 whose tables are in guest-physical memory */
  ATP(s11, SATP_SV39, vs_root)
  li t0, GPA_DELTA >> 12        /* vsatp.PPN is a guest-physical page number */
  add s11, s11, t0
  csrw vsatp, s11
  hfence.vvma
  li a1, L0_VA(1)
  li a0, 0
  IN_GUEST(ld a0, 0(a1))
  OK_VS
  CHECK_EQ(a0, MAGIC_A)
  li a2, 0x3434
  IN_GUEST(sd a2, 16(a1))
  OK_VS
  la t0, pg_a
  ld t0, 16(t0)
  CHECK_EQ(t0, 0x3434)
  li a1, L0_VA(10)              /* a fetch from an X-only VS page (code_page) */
  li a0, 0
  IN_GUEST(jalr ra, a1)
  OK_VS
  CHECK_EQ(a0, 0x5a5)
  /* leaf guest-page faults: the VS PTE maps to GPA G_PAGE(3), which the G stage does not map */
  li a1, L0_VA(2) + 0x28
  IN_GUEST(ld a0, 0(a1))
  GPF(CAUSE_LOAD_GPF, a1, G_PAGE(3) + 0x28)
  TINST_EXPLICIT(0x03)
  la t0, 2b                     /* code runs at VA = link address */
  CHECK_EQ_REG(s3, t0)
  IN_GUEST(sw a0, 0(a1))
  GPF(CAUSE_STORE_GPF, a1, G_PAGE(3) + 0x28)
  TINST_EXPLICIT(0x23)
  li a1, L0_VA(3)               /* fetch: cause 20, mepc = mtval = the target; mtinst = 0 */
  IN_GUEST(jalr ra, a1)
  GPF(CAUSE_FETCH_GPF, a1, G_PAGE(3))
  CHECK_EQ_REG(s3, a1)
  CHECK_EQ(s9, 0)
  /* a VS-stage page fault is not a guest-page fault: cause 13, mtval2 = 0, GVA = 1 */
  li a1, L0_VA(0)
  IN_GUEST(ld a0, 0(a1))
  CHECK_EQ(s2, CAUSE_LOAD_PF)
  CHECK_EQ_REG(s4, a1)
  CHECK_EQ(s8, 0)
  CHECK_BITS(s5, MSTATUS_GVA, MSTATUS_GVA)
  /* an implicit access (the VS walk reads the level-0 PTE at GPA G_PAGE(7) + 8 * VPN[0])
     misses in the G stage: a guest-page fault of the original access type, mtval = the GVA,
     mtval2 = the GPA of the PTE >> 2 */
  li a1, 0xc0200000 + 5 * 4096 + 0x10
  IN_GUEST(ld a0, 0(a1))
  GPF(CAUSE_LOAD_GPF, a1, G_PAGE(7) + 5 * 8)
  TINST_IMPLICIT
  IN_GUEST(sd a0, 0(a1))
  GPF_IMPLICIT(CAUSE_STORE_GPF, a1, G_PAGE(7) + 5 * 8)
  TINST_IMPLICIT
  IN_GUEST(jalr ra, a1)
  GPF_IMPLICIT(CAUSE_FETCH_GPF, a1, G_PAGE(7) + 5 * 8)
  /* G-stage permissions: U = 0 fails (G-stage accesses are U-mode accesses) ... */
  li a1, L0_VA(4)
  IN_GUEST(ld a0, 0(a1))
  GPF(CAUSE_LOAD_GPF, a1, G_PAGE(4))
  /* ... a read-only G-stage page loads but does not store */
  li a1, L0_VA(5)
  li a0, 0
  IN_GUEST(ld a0, 0(a1))
  OK_VS
  CHECK_EQ(a0, MAGIC_A)
  IN_GUEST(sd a0, 0(a1))
  GPF(CAUSE_STORE_GPF, a1, G_PAGE(5))
  /* ... and a non-executable G-stage page does not fetch */
  li a1, L0_VA(5)
  la t0, vs_l0
  li t1, G_PAGE(5)
  srli t1, t1, 2
  ori t1, t1, PTE_V | PTE_X | PTE_A
  sd t1, 5 * 8(t0)
  hfence.vvma
  IN_GUEST(jalr ra, a1)
  GPF(CAUSE_FETCH_GPF, a1, G_PAGE(5))

/* ---- G-stage A/D bits: set by hardware, or (Svade) the access is a guest-page fault */
#define CHECK_G_AD(fault_cause, want) \
  addi TESTNUM, TESTNUM, 1; li t0, fault_cause; bne s2, t0, 3f; bne s4, a1, fail; j 4f; \
  3: li t0, CAUSE_ECALL_VS; bne s2, t0, fail; la t0, g_l0; ld t0, 6 * 8(t0); \
  andi t0, t0, PTE_A | PTE_D; li t1, want; bne t0, t1, fail; 4:
  li a1, L0_VA(6)
  IN_GUEST(ld a0, 0(a1))
  CHECK_G_AD(CAUSE_LOAD_GPF, PTE_A)
  IN_GUEST(sd a0, 0(a1))
  CHECK_G_AD(CAUSE_STORE_GPF, PTE_A | PTE_D)

/* ---- HFENCE.GVMA makes a changed G-stage PTE visible (global form from M, then the
        GPA >> 2 form from HS) */
  li a1, L0_VA(8)
  li a0, 0
  IN_GUEST(ld a0, 0(a1))
  CHECK_EQ(a0, MAGIC_A)
  la s1, pg_b
  SET_PTE_AT(g_l0, 8, s1, G_RWX)
  hfence.gvma
  li a0, 0
  IN_GUEST(ld a0, 0(a1))
  CHECK_EQ(a0, MAGIC_B)
  la s1, pg_a
  SET_PTE_AT(g_l0, 8, s1, G_RWX)
  li a2, G_PAGE(8) >> 2
  IN_HS(hfence.gvma a2, zero)
  OK_HS
  li a0, 0
  IN_GUEST(ld a0, 0(a1))
  CHECK_EQ(a0, MAGIC_A)
  la t0, g_l0                   /* invalidated: the next access faults */
  sd zero, 8 * 8(t0)
  li a2, 1                      /* by VMID (rs2) */
  IN_HS(hfence.gvma zero, a2)
  IN_GUEST(ld a0, 0(a1))
  GPF(CAUSE_LOAD_GPF, a1, G_PAGE(8))

/* ---- HFENCE.VVMA makes a changed VS-stage PTE visible; the guest's own sfence.vma too */
  li a1, L0_VA(9)
  li a0, 0
  IN_GUEST(ld a0, 0(a1))
  CHECK_EQ(a0, MAGIC_A)
  li s1, G_PAGE(2)
  SET_PTE_AT(vs_l0, 9, s1, VS_RW)
  IN_HS(hfence.vvma a1, zero)
  li a0, 0
  IN_GUEST(ld a0, 0(a1))
  CHECK_EQ(a0, MAGIC_B)
  /* the guest rewrites its own PTE (through its VA of vs_l0) back to G_PAGE(1) */
  li t0, (G_PAGE(1) >> 2) | VS_RW
  mv a2, t0
  la a3, vs_l0
  li a0, 0
  IN_GUEST(sd a2, 9 * 8(a3); sfence.vma a1, zero; ld a0, 0(a1))
  OK_VS
  CHECK_EQ(a0, MAGIC_A)

/* ---- VMID: two G-stage roots with different VMIDs, switched without fences; root B maps
        GPA 0x1_4000_0000 with a 2 MiB superpage onto MEGA_PA */
  ATP(s6, HGATP_SV39X4 | (2 << HGATP_VMID_SHIFT), g_root_b)
  csrw hgatp, s6
  hfence.gvma
  csrw vsatp, zero
  li a1, G_PAGE(1)
  li a0, 0
  IN_BARE(ld a0, 0(a1))
  CHECK_EQ(a0, MAGIC_M)
  csrw hgatp, s10
  li a0, 0
  IN_BARE(ld a0, 0(a1))
  CHECK_EQ(a0, MAGIC_A)
  csrw hgatp, s6
  li a0, 0
  IN_BARE(ld a0, 0(a1))
  CHECK_EQ(a0, MAGIC_M)
  li a1, G_PAGE(0) + 0x1ff000   /* the last page of the 2 MiB page */
  li a2, 0x5656
  IN_BARE(sd a2, 0(a1))
  OK_VS
  li t0, MEGA_PA + 0x1ff000
  ld t0, 0(t0)
  CHECK_EQ(t0, 0x5656)
  li a1, G_PAGE(0) + 0x200000   /* beyond it: root B's level-1 entry 1 is invalid */
  IN_BARE(ld a0, 0(a1))
  GPF(CAUSE_LOAD_GPF, a1, G_PAGE(0) + 0x200000)

/* ---- Sv48x4: a four-level G stage (root 16 KiB, GPA bits 49:39 index it), sharing g_l1 */
  ZERO_PAGES(g_root48, 4 + 1)
  la s1, g_l2_48
  SET_PTE_AT(g_root48, 0, s1, PTE_V)
  li s0, 0x80000000
  SET_PTE_AT(g_l2_48, 4, s0, G_RWX)
  la s1, g_l1
  SET_PTE_AT(g_l2_48, 5, s1, PTE_V)
  la s1, pg_a
  SET_PTE_AT(g_l0, 8, s1, G_RWX)
  ATP(t2, HGATP_SV48X4 | (3 << HGATP_VMID_SHIFT), g_root48)
  csrw hgatp, t2
  hfence.gvma
  li a1, G_PAGE(1)
  li a0, 0
  IN_BARE(ld a0, 0(a1))
  OK_VS
  CHECK_EQ(a0, MAGIC_A)
  li a1, G_PAGE(3)
  IN_BARE(ld a0, 0(a1))
  GPF(CAUSE_LOAD_GPF, a1, G_PAGE(3))
  li a1, 1 << 39                /* root entry 1: invalid */
  IN_BARE(ld a0, 0(a1))
  GPF(CAUSE_LOAD_GPF, a1, 1 << 39)
  csrw vsatp, s11               /* and both stages (Sv39 over Sv48x4) */
  hfence.vvma
  li a1, L0_VA(8)
  li a0, 0
  IN_GUEST(ld a0, 0(a1))
  OK_VS
  CHECK_EQ(a0, MAGIC_A)

/* ---- a guest-page fault delegated to HS: htval = GPA >> 2, stval = GVA, hstatus.GVA = 1,
        SPV = 1 ("Hypervisor Trap Value Register") */
  csrw hgatp, s10
  hfence.gvma
  li t0, 1 << CAUSE_LOAD_GPF
  csrw medeleg, t0
  li a1, L0_VA(2) + 0x30
  IN_GUEST(ld a0, 0(a1))
  REC(a0, rec_hs, R_CAUSE)
  CHECK_EQ(a0, CAUSE_LOAD_GPF)
  REC(a0, rec_hs, R_TVAL)
  CHECK_EQ_REG(a0, a1)
  REC(a0, rec_hs, R_TVAL2)
  CHECK_EQ(a0, (G_PAGE(3) + 0x30) >> 2)
  REC(a0, rec_hs, R_HSTATUS)
  CHECK_BITS(a0, HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP)
  csrw medeleg, zero
  csrw vsatp, zero
  csrw hgatp, zero
  hfence.gvma
  j pass

HYP_HANDLERS

/* A page of position-independent code: returns 0x5a5 in a0. */
  .balign 4096
code_page:
  li a0, 0x5a5
  ret
  .balign 4096

TEST_END
HYP_RECORDS

  .bss
  .balign 16384
g_root:   .zero 16384
g_root_b: .zero 16384
g_l1:     .zero 4096
g_l0:     .zero 4096
g_l1_b:   .zero 4096
vs_root:  .zero 4096
vs_l1:    .zero 4096
vs_l0:    .zero 4096
  .balign 16384
g_root48: .zero 16384
g_l2_48:  .zero 4096
pg_a:     .zero 4096
pg_b:     .zero 4096
