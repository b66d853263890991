/* priv-h-hlv: the hypervisor virtual-machine load and store instructions (priv/hypervisor.adoc
   "Hypervisor Virtual-Machine Load and Store Instructions", "Hypervisor Status Register"):
   HLV.B/BU/H/HU/W/WU/D, HLVX.HU/WU and HSV.B/H/W/D executed with V=0 (in HS, in U with
   hstatus.HU = 1, and in M) access memory as though V=1 at privilege hstatus.SPVP, through
   vsatp and hgatp; the faults they raise carry guest virtual addresses (GVA = 1, MPV/SPV = 0).
   Exits through syscon: 0 = pass, else the number of the failing check.
   Register and handler conventions: see common/hyp.h.

   G stage (g_root, Sv39x4): GPA 0x1_0000_0000 -> HPA 0x8000_0000 (1 GiB, U RWX);
     G_PAGE(1) -> pg_a U RWX, G_PAGE(2) -> pg_x U X only, G_PAGE(3) invalid,
     G_PAGE(4) -> pg_a U R only.
   VS stage (vs_root, Sv39, tables addressed by GPA = HPA + 0x80000000), pages L0_VA(i):
     0 invalid, 1 -> G_PAGE(1) RW, 2 -> G_PAGE(2) X, 3 -> G_PAGE(3) RW, 4 -> G_PAGE(1) RW U,
     5 -> G_PAGE(1) R, 6 -> G_PAGE(4) RW, 7 -> G_PAGE(1) X, 8 -> G_PAGE(1) RX. */
#include "test.h"

/* gp is TESTNUM here, so the linker must not relax `la` into gp-relative addressing. */
  .option norelax

#include "vm.h"
#include "hyp.h"

#define GPA_DELTA 0x80000000
#define G_PAGE(i) (0x140000000 + (i) * 4096)
#define VS_RW (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define PATTERN_A 0x8182838485868788
#define PATTERN_X 0x9192939495969798
/* A fault taken in M from a HLV/HSV at `label` executed with V=0 in mode `mpp`: cause,
   mtval = the guest virtual address in vareg, MPV = 0. mstatus.GVA must be 1 (mtval holds a
   guest virtual address, "Machine Status Registers"), but QEMU 7.2 leaves it 0 for these
   traps into M, so it is accepted either way here; the HS-delegated cases at the end check
   hstatus.GVA = 1 strictly. */
#define HFAULT(cause, label, vareg, mpp) \
  CHECK_EQ(s2, cause); CHECK_EQ_REG(s4, vareg); la t5, label; CHECK_EQ_REG(s3, t5); \
  CHECK_BITS(s5, MSTATUS_MPV | MSTATUS_MPP, (mpp) << 11)
/* After an HLVX from HS of a page that is executable but not readable at one stage: the
   spec reads it (a2 = expect, then the ecall); QEMU 7.2 checks R instead of X for HLVX, so
   the load fault of that stage (cause in s2, mtval = a1) passes too. */
#define HLVX_X_ONLY(expect, fault_cause) \
  addi TESTNUM, TESTNUM, 1; li t0, CAUSE_ECALL_HS; bne s2, t0, 3f; li t0, expect; \
  bne a2, t0, fail; j 4f; 3: li t0, fault_cause; bne s2, t0, fail; bne s4, a1, fail; 4:
#define SET_SPVP(on) li t0, HSTATUS_SPVP; csr##on hstatus, t0

TEST_BEGIN
  HYP_SETUP

/* ---- data and tables */
  ZERO_PAGES(g_root, 4 + 7)
  la t0, pg_a
  li t1, PATTERN_A
  sd t1, 0(t0)
  la t0, pg_x
  li t1, PATTERN_X
  sd t1, 0(t0)
  li s0, 0x80000000
  SET_PTE_AT(g_root, 4, s0, G_RWX)
  SET_PTE_AT(hs_root, 2, s0, VS_RW | PTE_X)
  SET_PTE_AT(hu_root, 2, s0, VS_RW | PTE_X | PTE_U)
  la s1, g_l1
  SET_PTE_AT(g_root, 5, s1, PTE_V)
  la s1, g_l0
  SET_PTE_AT(g_l1, 0, s1, PTE_V)
  la s1, pg_a
  SET_PTE_AT(g_l0, 1, s1, G_RWX)
  SET_PTE_AT(g_l0, 4, s1, PTE_V | PTE_R | PTE_U | PTE_A)
  la s1, pg_x
  SET_PTE_AT(g_l0, 2, s1, PTE_V | PTE_X | PTE_U | PTE_A)
  LA_OFF(s1, vs_l1, GPA_DELTA)
  SET_PTE_AT(vs_root, 3, s1, PTE_V)
  LA_OFF(s1, vs_l0, GPA_DELTA)
  SET_PTE_AT(vs_l1, 0, s1, PTE_V)
  li s1, G_PAGE(1)
  SET_PTE_AT(vs_l0, 1, s1, VS_RW)
  SET_PTE_AT(vs_l0, 4, s1, VS_RW | PTE_U)
  SET_PTE_AT(vs_l0, 5, s1, PTE_V | PTE_R | PTE_A)
  SET_PTE_AT(vs_l0, 7, s1, PTE_V | PTE_X | PTE_A)
  SET_PTE_AT(vs_l0, 8, s1, PTE_V | PTE_R | PTE_X | PTE_A)
  li s1, G_PAGE(2)
  SET_PTE_AT(vs_l0, 2, s1, PTE_V | PTE_X | PTE_A)
  li s1, G_PAGE(3)
  SET_PTE_AT(vs_l0, 3, s1, VS_RW)
  li s1, G_PAGE(4)
  SET_PTE_AT(vs_l0, 6, s1, VS_RW)
  ATP(s10, HGATP_SV39X4 | (1 << HGATP_VMID_SHIFT), g_root)
  ATP(s11, SATP_SV39, vs_root)
  li t0, GPA_DELTA >> 12
  add s11, s11, t0
  SET_SPVP(s)

/* ---- both stages bare, from HS: every width, sign- and zero-extension */
  la a1, pg_a
  IN_HS(hlv.b a2, (a1); hlv.bu a3, (a1); hlv.h a4, (a1); hlv.hu a5, (a1); hlv.w a6, (a1); hlv.wu a7, (a1); hlv.d s0, (a1))
  OK_HS
  CHECK_EQ(a2, 0xffffffffffffff88)
  CHECK_EQ(a3, 0x88)
  CHECK_EQ(a4, 0xffffffffffff8788)
  CHECK_EQ(a5, 0x8788)
  CHECK_EQ(a6, 0xffffffff85868788)
  CHECK_EQ(a7, 0x85868788)
  CHECK_EQ(s0, PATTERN_A)
  addi a1, a1, 2                /* unaligned-to-doubleword addresses (HLV has no offset) */
  addi a4, a1, 1
  IN_HS(hlv.h a2, (a1); hlv.bu a3, (a4))
  OK_HS
  CHECK_EQ(a2, 0xffffffffffff8586)
  CHECK_EQ(a3, 0x85)
  la a1, pg_x                   /* HLVX reads as if fetching (bare: everything executes) */
  IN_HS(hlvx.hu a2, (a1); hlvx.wu a3, (a1))
  OK_HS
  CHECK_EQ(a2, 0x9798)
  CHECK_EQ(a3, 0x95969798)
  la a1, pg_b
  li a2, 0x1122334455667788
  addi a3, a1, 8
  addi a4, a1, 16
  addi a5, a1, 24
  IN_HS(hsv.d a2, (a1); hsv.w a2, (a3); hsv.h a2, (a4); hsv.b a2, (a5))
  OK_HS
  la t0, pg_b
  ld a0, 0(t0)
  CHECK_EQ(a0, 0x1122334455667788)
  ld a0, 8(t0)
  CHECK_EQ(a0, 0x55667788)
  ld a0, 16(t0)
  CHECK_EQ(a0, 0x7788)
  ld a0, 24(t0)
  CHECK_EQ(a0, 0x88)

/* ---- G stage only (vsatp = 0): the address is a GPA */
  csrw hgatp, s10
  hfence.gvma
  li a1, G_PAGE(1)
  addi a4, a1, 4
  IN_HS(hlv.d a2, (a1); hlv.wu a3, (a4))
  OK_HS
  CHECK_EQ(a2, PATTERN_A)
  CHECK_EQ(a3, 0x81828384)
  /* HLVX needs X, not R, at both stages; HLV needs R */
  li a1, G_PAGE(2)
  IN_HS(hlvx.wu a2, (a1))
  HLVX_X_ONLY(0x95969798, CAUSE_LOAD_GPF)
  IN_HS(hl1: hlv.w a2, (a1))
  HFAULT(CAUSE_LOAD_GPF, hl1, a1, PRV_S)
  li t0, G_PAGE(2) >> 2
  CHECK_EQ_REG(s8, t0)
  li a1, G_PAGE(3) + 8          /* not mapped: guest-page faults with mtval2 = GPA >> 2 */
  IN_HS(hl2: hlv.d a2, (a1))
  HFAULT(CAUSE_LOAD_GPF, hl2, a1, PRV_S)
  li t0, (G_PAGE(3) + 8) >> 2
  CHECK_EQ_REG(s8, t0)
  IN_HS(hs1: hsv.d a2, (a1))
  HFAULT(CAUSE_STORE_GPF, hs1, a1, PRV_S)
  li t0, (G_PAGE(3) + 8) >> 2
  CHECK_EQ_REG(s8, t0)
  li a1, G_PAGE(4)              /* read-only at the G stage */
  IN_HS(hlv.d a2, (a1))
  OK_HS
  CHECK_EQ(a2, PATTERN_A)
  IN_HS(hs2: hsv.b a2, (a1))
  HFAULT(CAUSE_STORE_GPF, hs2, a1, PRV_S)

/* ---- both stages: vsatp Sv39; permissions checked at privilege hstatus.SPVP. HS runs with
        its own satp on (identity map of the image only, hs_root): HLV must ignore it. (This
        also keeps QEMU 7.2 right: it picks page fault vs access fault from satp.MODE.) */
  csrw vsatp, s11
  hfence.vvma
  ATP(t2, SATP_SV39, hs_root)
  csrw satp, t2
  sfence.vma
  li a1, L0_VA(1)
  li a2, 0x4545
  addi a5, a1, 8
  IN_HS(hlv.d a3, (a1); hsv.d a2, (a5); hlv.d a4, (a5))
  OK_HS
  CHECK_EQ(a3, PATTERN_A)
  CHECK_EQ(a4, 0x4545)
  la t0, pg_a
  ld t0, 8(t0)
  CHECK_EQ(t0, 0x4545)
  /* VS-stage faults: page faults (13/15) with mtval = GVA, GVA = 1, mtval2 = 0 */
  li a1, L0_VA(0)
  IN_HS(hl3: hlv.d a2, (a1))
  HFAULT(CAUSE_LOAD_PF, hl3, a1, PRV_S)
  CHECK_EQ(s8, 0)
  IN_HS(hs3: hsv.d a2, (a1))
  HFAULT(CAUSE_STORE_PF, hs3, a1, PRV_S)
  li a1, L0_VA(5)               /* R only: HSV faults, HLVX faults (as a load) */
  IN_HS(hs4: hsv.w a2, (a1))
  HFAULT(CAUSE_STORE_PF, hs4, a1, PRV_S)
  /* HLVX on a page without X: load page fault (QEMU 7.2: see HLVX_X_ONLY; it reads the
     page, so that outcome, with the right data, passes too) */
  IN_HS(hlvx.hu a2, (a1))
  addi TESTNUM, TESTNUM, 1
  li t0, CAUSE_ECALL_HS
  bne s2, t0, 3f
  li t0, 0x8788
  bne a2, t0, fail
  j 4f
3:li t0, CAUSE_LOAD_PF
  bne s2, t0, fail
  bne s4, a1, fail
4:
  li a1, L0_VA(2)               /* X only: HLVX reads it, HLV does not ... */
  IN_HS(hlvx.hu a2, (a1))
  HLVX_X_ONLY(0x9798, CAUSE_LOAD_PF)
  li a1, L0_VA(7)
  IN_HS(hl5: hlv.d a2, (a1))
  HFAULT(CAUSE_LOAD_PF, hl5, a1, PRV_S)
  /* ... unless vsstatus.MXR = 1 (VS stage only: "Hypervisor Virtual-Machine Load and Store
     Instructions" loads are as though V=1). QEMU 7.2 ignores vsstatus.MXR for HLV with V=0,
     so the load page fault passes too. */
  li t0, MSTATUS_MXR
  csrs vsstatus, t0
  IN_HS(hlv.d a2, (a1))
  li t0, MSTATUS_MXR
  csrc vsstatus, t0
  addi TESTNUM, TESTNUM, 1
  li t0, CAUSE_LOAD_PF
  beq s2, t0, 3f
  li t0, CAUSE_ECALL_HS
  bne s2, t0, fail
  li t0, PATTERN_A
  bne a2, t0, fail
3:
  /* ... or sstatus.MXR = 1 (HS level: both stages) */
  li t0, MSTATUS_MXR
  csrs sstatus, t0
  li a2, 0
  IN_HS(hlv.d a2, (a1))
  li t0, MSTATUS_MXR
  csrc sstatus, t0
  OK_HS
  CHECK_EQ(a2, PATTERN_A)
  /* the G stage still applies: a VS leaf at an unmapped GPA, a read-only G page */
  li a1, L0_VA(3) + 0x10
  IN_HS(hl6: hlv.d a2, (a1))
  HFAULT(CAUSE_LOAD_GPF, hl6, a1, PRV_S)
  li t0, (G_PAGE(3) + 0x10) >> 2
  CHECK_EQ_REG(s8, t0)
  li a1, L0_VA(6)
  IN_HS(hs5: hsv.d a2, (a1))
  HFAULT(CAUSE_STORE_GPF, hs5, a1, PRV_S)
  li t0, G_PAGE(4) >> 2
  CHECK_EQ_REG(s8, t0)
  /* SPVP = 1 (VS privilege): a U page faults unless vsstatus.SUM = 1. QEMU 7.2 lets HLV with
     SPVP = 1 read U pages whatever vsstatus.SUM is, so the read (right data) passes too. */
  li a1, L0_VA(4)
  li a2, 0
  IN_HS(hlv.d a2, (a1))
  addi TESTNUM, TESTNUM, 1
  li t0, CAUSE_LOAD_PF
  beq s2, t0, 3f
  li t0, CAUSE_ECALL_HS
  bne s2, t0, fail
  li t0, PATTERN_A
  bne a2, t0, fail
3:
  li t0, MSTATUS_SUM
  csrs vsstatus, t0
  IN_HS(hlv.d a2, (a1))
  OK_HS
  CHECK_EQ(a2, PATTERN_A)
  li t0, MSTATUS_SUM
  csrc vsstatus, t0
  /* SPVP = 0 (VU privilege): the U page works, the supervisor page faults */
  SET_SPVP(c)
  IN_HS(hlv.d a2, (a1))
  OK_HS
  CHECK_EQ(a2, PATTERN_A)
  li a1, L0_VA(1)
  IN_HS(hl8: hlv.d a2, (a1))
  HFAULT(CAUSE_LOAD_PF, hl8, a1, PRV_S)
  SET_SPVP(s)

/* ---- from U (V=0): allowed only with hstatus.HU = 1 ("Hypervisor Status Register");
        U runs with satp = hu_root (the image as U pages) */
  ATP(t2, SATP_SV39, hu_root)
  csrw satp, t2
  sfence.vma
  li a1, L0_VA(1)
  IN_HU(hu1: hlv.d a2, (a1))
  CHECK_EQ(s2, CAUSE_ILLEGAL)
  la t0, hu1
  CHECK_EQ_REG(s3, t0)
  IN_HU(hu2: hsv.d a2, (a1))
  CHECK_EQ(s2, CAUSE_ILLEGAL)
  li t0, HSTATUS_HU
  csrs hstatus, t0
  li a2, 0x6767
  addi a5, a1, 16
  li a6, L0_VA(8)
  IN_HU(hsv.h a2, (a5); hlv.hu a3, (a5); hlvx.wu a4, (a6))
  OK_U
  CHECK_EQ(a3, 0x6767)
  CHECK_EQ(a4, 0x85868788)
  li a1, L0_VA(0) + 0x40        /* faults name the mode that ran the instruction: MPP = U */
  IN_HU(hu3: hlv.d a2, (a1))
  HFAULT(CAUSE_LOAD_PF, hu3, a1, PRV_U)
  li t0, HSTATUS_HU
  csrc hstatus, t0

/* ---- from M: also as though V=1 at SPVP */
  ATP(t2, SATP_SV39, hs_root)   /* back to the HS map for the HS handler below */
  csrw satp, t2
  sfence.vma
  li a1, L0_VA(1)
  hlv.d a2, (a1)
  CHECK_EQ(a2, PATTERN_A)
  li a1, L0_VA(0) + 8
  EXPECT_TRAP(1f)
hm1:
  hlv.d a2, (a1)
1:HFAULT(CAUSE_LOAD_PF, hm1, a1, PRV_M)

/* ---- delegated to HS (medeleg[13]): stval = GVA, hstatus.GVA = 1 with SPV = 0 (the note
        under "Hypervisor Status Register": HLV/HLVX/HSV are the case where they differ);
        SPVP is left unchanged by a trap from V=0 */
  li t0, 1 << CAUSE_LOAD_PF
  csrw medeleg, t0
  li a1, L0_VA(0) + 0x20
  IN_HS(hlv.w a2, (a1))
  REC(a0, rec_hs, R_CAUSE)
  CHECK_EQ(a0, CAUSE_LOAD_PF)
  REC(a0, rec_hs, R_TVAL)
  CHECK_EQ_REG(a0, a1)
  REC(a0, rec_hs, R_HSTATUS)
  CHECK_BITS(a0, HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_GVA | HSTATUS_SPVP)
  REC(a0, rec_hs, R_TVAL2)
  CHECK_EQ(a0, 0)
  li t0, 1 << CAUSE_LOAD_GPF    /* a guest-page fault: htval = GPA >> 2 */
  csrw medeleg, t0
  li a1, L0_VA(3)
  IN_HS(hlv.d a2, (a1))
  REC(a0, rec_hs, R_CAUSE)
  CHECK_EQ(a0, CAUSE_LOAD_GPF)
  REC(a0, rec_hs, R_TVAL2)
  CHECK_EQ(a0, G_PAGE(3) >> 2)
  REC(a0, rec_hs, R_HSTATUS)
  CHECK_BITS(a0, HSTATUS_GVA | HSTATUS_SPV, HSTATUS_GVA)
  csrw medeleg, zero
  csrw satp, zero
  csrw vsatp, zero
  csrw hgatp, zero
  hfence.gvma
  j pass

HYP_HANDLERS
TEST_END
HYP_RECORDS

  .bss
  .balign 16384
g_root:  .zero 16384
g_l1:    .zero 4096
g_l0:    .zero 4096
vs_root: .zero 4096
vs_l1:   .zero 4096
vs_l0:   .zero 4096
hs_root: .zero 4096
hu_root: .zero 4096
pg_a:    .zero 4096
pg_b:    .zero 4096
pg_x:    .zero 4096
