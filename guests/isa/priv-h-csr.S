/* priv-h-csr: the hypervisor and virtual-supervisor CSRs (priv/hypervisor.adoc, "Hypervisor and
   Virtual Supervisor CSRs", "Machine-Level CSRs"): misa.H, WARL and read-only-zero fields,
   aliasing of hip/hie/hvip with mip/mie, the vsip/vsie views through hideleg, the swap of the
   supervisor CSRs for the vs* CSRs when V=1, hgatp, htimedelta, henvcfg.STCE with vstimecmp,
   hcounteren. Exits through syscon: 0 = pass, else the number of the failing check.
   Register and handler conventions: see common/hyp.h. */
#include "test.h"

/* gp is TESTNUM here, so the linker must not relax `la` into gp-relative addressing. */
  .option norelax

#include "vm.h"
#include "hyp.h"

/* vsip.STIP/SEIP alias hip.VSTIP/VSEIP when delegated in hideleg ("Virtual Supervisor
   Interrupt Registers"). QEMU 7.2 deviates: a vsip read from M shows only SSIP (vsie is
   right), and sip/sie read in VS (V=1 redirects them to vsip/vsie) show 0; each such check
   accepts the spec's value or QEMU's (CHECK_EITHER). */
#define HSTATUS_WRITABLE \
  (HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR)
/* Writes `value` to csr and reads it back into a0 */
#define WRITE_READ(csr, value) li t0, value; csrw csr, t0; csrr a0, csr

TEST_BEGIN
  HYP_SETUP

/* ---- hstatus ("Hypervisor Status Register"): writable SPV, SPVP, GVA, HU, VTW, VTSR, VTVM;
        VSXL reads 2 (VSXLEN=64) when 2 is written; no bit outside the defined fields sticks
        (VSBE and VGEIN may be read-only zero: little-endian only, GEILEN may be 0). */
  li t0, -1
  csrw hstatus, t0
  csrr a0, hstatus
  CHECK_BITS(a0, HSTATUS_WRITABLE, HSTATUS_WRITABLE)
  /* The other bits are WPRI, read-only zero when not furnished ("CSR Field Specifications").
     QEMU 7.2 stores hstatus unmasked, so they may also read back exactly as written. */
  li t1, ~(HSTATUS_WRITABLE | HSTATUS_VSBE | HSTATUS_VGEIN | HSTATUS_VSXL)
  and a1, a0, t1
  addi TESTNUM, TESTNUM, 1
  beqz a1, 3f
  bne a1, t1, fail
3:
  WRITE_READ(hstatus, 2 << 32)
  CHECK_EQ(a0, 2 << 32)
  WRITE_READ(hstatus, (2 << 32) | HSTATUS_SPV)
  CHECK_EQ(a0, (2 << 32) | HSTATUS_SPV)
  li t0, (2 << 32)
  csrw hstatus, t0

/* ---- mstatus.MPV (bit 39) and GVA (bit 38) are read/write in M ("Machine Status Registers") */
  li t0, MSTATUS_MPV | MSTATUS_GVA
  csrs mstatus, t0
  csrr a0, mstatus
  CHECK_BITS(a0, MSTATUS_MPV | MSTATUS_GVA, MSTATUS_MPV | MSTATUS_GVA)
  csrc mstatus, t0
  csrr a0, mstatus
  CHECK_BITS(a0, MSTATUS_MPV | MSTATUS_GVA, 0)
  csrr a0, sstatus              /* sstatus does not show them */
  CHECK_BITS(a0, MSTATUS_MPV | MSTATUS_GVA, 0)

/* ---- hedeleg: bits 1-8, 12, 13, 15 writable; 9, 10, 11 and 20-23 read-only zero
        ("Hypervisor Trap Delegation Registers", table of hedeleg bits) */
  WRITE_READ(hedeleg, -1)
  CHECK_BITS(a0, 0xb1fe, 0xb1fe)
  CHECK_BITS(a0, (0xf << 20) | (7 << 9), 0)
  WRITE_READ(hedeleg, 0)
  CHECK_EQ(a0, 0)

/* ---- hideleg: among bits 15:0, 10/6/2 writable, 12/9/5/1 read-only zero (bit 13, LCOFI,
        exists only with Sscofpmf, so it is masked) */
  WRITE_READ(hideleg, -1)
  li t0, 0xdfff
  and a0, a0, t0
  CHECK_EQ(a0, VS_INTS)
  csrw hideleg, zero

/* ---- mideleg: bits 10/6/2 read-only one with H ("Machine Interrupt Delegation Register")
        (bit 12 is also one if GEILEN > 0, so it is not checked) */
  csrw mideleg, zero
  csrr a0, mideleg
  CHECK_BITS(a0, VS_INTS, VS_INTS)
  CHECK_BITS(a0, MIP_SSIP | MIP_STIP | MIP_SEIP, 0)

/* ---- hvip: only VSEIP/VSTIP/VSSIP are writable ("Hypervisor Interrupt Registers") */
  WRITE_READ(hvip, -1)
  li t0, 0xdfff                 /* bit 13 (LCOFIP) only with Sscofpmf */
  and a0, a0, t0
  CHECK_EQ(a0, VS_INTS)
  /* mip and hip show the three bits: mip.VSxIP and hip.VSxIP alias hvip (hgeip is 0 and
     henvcfg.STCE is 0 here, so VSEIP and VSTIP are just the hvip bits) */
  csrr a0, mip
  CHECK_BITS(a0, VS_INTS, VS_INTS)
  csrr a0, hip
  CHECK_BITS(a0, VS_INTS | MIP_SGEIP, VS_INTS)
  CHECK_BITS(a0, MIP_SSIP | MIP_STIP | MIP_SEIP, 0)      /* hip has no S-level bits */
  /* hip.VSSIP is writable (an alias of hvip.VSSIP); hip.VSTIP/VSEIP are read-only */
  li t0, MIP_VSSIP | MIP_VSTIP | MIP_VSEIP
  csrc hip, t0
  csrr a0, hvip
  CHECK_BITS(a0, VS_INTS, MIP_VSTIP | MIP_VSEIP)
  csrr a0, hip
  CHECK_BITS(a0, VS_INTS, MIP_VSTIP | MIP_VSEIP)
  /* mip.VSSIP is writable too and lands in hvip */
  li t0, MIP_VSSIP
  csrs mip, t0
  csrr a0, hvip
  CHECK_BITS(a0, VS_INTS, VS_INTS)
  csrw hvip, zero
  csrr a0, mip
  CHECK_BITS(a0, VS_INTS, 0)
  csrr a0, hip
  CHECK_EQ(a0, 0)

/* ---- hie: VSEIE/VSTIE/VSSIE writable (SGEIE only if GEILEN > 0); mie's VS bits alias hie */
  WRITE_READ(hie, -1)
  li t0, ~MIP_SGEIP
  and a0, a0, t0
  CHECK_EQ(a0, VS_INTS)
  csrr a0, mie
  CHECK_BITS(a0, VS_INTS, VS_INTS)
  CHECK_BITS(a0, MIP_SSIP | MIP_STIP | MIP_SEIP, 0)      /* hie wrote no S-level bit */
  li t0, MIP_VSTIP
  csrc mie, t0
  csrr a0, hie
  CHECK_BITS(a0, VS_INTS, MIP_VSSIP | MIP_VSEIP)
  csrw hie, zero
  csrr a0, mie
  CHECK_EQ(a0, 0)

/* ---- vsip/vsie: views of hip/hie shifted down one bit (VSSIP -> SSIP, VSTIP -> STIP,
        VSEIP -> SEIP) for the bits delegated in hideleg; other bits read as zero
        ("Virtual Supervisor Interrupt Registers") */
  li t0, VS_INTS
  csrw hvip, t0
  csrw hie, t0
  csrr a0, vsip                 /* hideleg = 0: nothing visible */
  CHECK_EQ(a0, 0)
  csrr a0, vsie
  CHECK_EQ(a0, 0)
  li t0, -1                     /* writes to undelegated bits are ignored */
  csrw vsie, t0
  csrr a0, hie
  CHECK_EQ(a0, VS_INTS)
  li t0, MIP_VSSIP | MIP_VSEIP
  csrw hideleg, t0
  csrr a0, vsip
  CHECK_EITHER(a0, MIP_SSIP | MIP_SEIP, MIP_SSIP)
  csrr a0, vsie
  CHECK_EQ(a0, MIP_SSIP | MIP_SEIP)
  li t0, VS_INTS
  csrw hideleg, t0
  csrr a0, vsip
  CHECK_EITHER(a0, MIP_SSIP | MIP_STIP | MIP_SEIP, MIP_SSIP)
  csrr a0, vsie
  CHECK_EQ(a0, MIP_SSIP | MIP_STIP | MIP_SEIP)
  li t0, MIP_SSIP | MIP_STIP    /* vsip.SSIP is writable (hvip.VSSIP); vsip.STIP is not */
  csrc vsip, t0
  csrr a0, hvip
  CHECK_EQ(a0, MIP_VSTIP | MIP_VSEIP)
  li t0, MIP_STIP               /* vsie.STIE is writable (hie.VSTIE) */
  csrc vsie, t0
  csrr a0, hie
  CHECK_EQ(a0, MIP_VSSIP | MIP_VSEIP)
  csrw hvip, zero
  csrw hie, zero
  csrw hideleg, zero

/* ---- V=1 swaps the supervisor CSRs for the vs* CSRs ("Hypervisor and Virtual Supervisor
        CSRs": sstatus, sip, sie, stvec, sscratch, sepc, scause, stval, satp). HS values
        and VS values are distinct; VS reads see the vs* values, VS writes land there. */
  li t0, 0x1111
  csrw sscratch, t0
  li t0, 0x2222
  csrw vsscratch, t0
  li t0, 0x80003000
  csrw sepc, t0
  li t0, 0x80004000
  csrw vsepc, t0
  li t0, 5
  csrw scause, t0
  li t0, 7
  csrw vscause, t0
  li t0, 0x3333
  csrw stval, t0
  li t0, 0x4444
  csrw vstval, t0
  li t0, SATP_SV39 | 0x80123    /* HS satp: Sv39 (unused in M and with V=1) */
  csrw satp, t0
  csrw vsatp, zero
  csrw sstatus, zero
  li t0, MSTATUS_SUM | MSTATUS_SPP
  csrw vsstatus, t0
  li t0, VS_INTS
  csrw hideleg, t0
  li t0, MIP_VSTIP
  csrw hie, t0
  li t0, MIP_VSSIP              /* VSSIP pending but vsie.SSIE = 0 and vsstatus.SIE = 0 */
  csrw hvip, t0
  li a0, 0
  li s11, 0x5555
  IN_VS(csrr a0, sscratch; csrr a1, sepc; csrr a2, scause; csrr a3, stval; csrr a4, satp; csrr a5, sstatus; csrr a6, sip; csrr a7, sie; csrr s0, stvec; csrw sscratch, s11; li t0, 0x6666; csrw stval, t0)
  OK_VS
  CHECK_EQ(a0, 0x2222)
  CHECK_EQ(a1, 0x80004000)
  CHECK_EQ(a2, 7)
  CHECK_EQ(a3, 0x4444)
  CHECK_EQ(a4, 0)
  CHECK_BITS(a5, MSTATUS_SUM | MSTATUS_SPP, MSTATUS_SUM | MSTATUS_SPP)
  CHECK_EITHER(a6, MIP_SSIP, 0)
  CHECK_EITHER(a7, MIP_STIP, 0)
  la t0, vstrap
  CHECK_EQ_REG(s0, t0)
  csrr a0, vsscratch            /* the VS writes went to vsscratch/vstval */
  CHECK_EQ_REG(a0, s11)
  csrr a0, sscratch
  CHECK_EQ(a0, 0x1111)
  csrr a0, vstval
  CHECK_EQ(a0, 0x6666)
  csrr a0, stval
  CHECK_EQ(a0, 0x3333)
  csrr a0, sstatus              /* HS sstatus kept SUM = 0 */
  CHECK_BITS(a0, MSTATUS_SUM, 0)
  /* a satp write in VS with an unsupported MODE is ignored ("vsatp") */
  li a1, (5 << 60) | 0x123
  IN_VS(csrw satp, a1)
  OK_VS
  csrr a0, vsatp
  CHECK_EQ(a0, 0)
  csrr a0, satp                 /* ... and HS satp was not touched by VS accesses */
  CHECK_EQ(a0, SATP_SV39 | 0x80123)
  csrw satp, zero
  csrw hvip, zero
  csrw hie, zero
  csrw hideleg, zero
  csrw vsstatus, zero

/* ---- vsatp written from M (V=0): Sv39 reads back */
  WRITE_READ(vsatp, SATP_SV39 | (5 << 44) | 0x80123)
  li t0, SATP_SV39 | 0x80123    /* ASID bits may be fewer than 16: only the MODE and PPN */
  li t1, (0xf << 60) | 0xfffffffffff
  and a0, a0, t1
  CHECK_EQ_REG(a0, t0)
  csrw vsatp, zero

/* ---- hgatp ("Hypervisor Guest Address Translation and Protection Register"): Sv39x4 reads
        back with PPN[1:0] zero (root aligned to 16 KiB); VMID is WARL with VMIDLEN low bits
        writable; Bare reads back 0; an unsupported MODE leaves some supported MODE (fields
        are WARL "in the normal way", unlike satp). */
  li t0, HGATP_SV39X4 | (0x3fff << HGATP_VMID_SHIFT) | 0x80007
  csrw hgatp, t0
  csrr a0, hgatp
  srli a1, a0, 60
  CHECK_EQ(a1, 8)
  li t0, 0xfffffffffff
  and a1, a0, t0
  CHECK_EITHER(a1, 0x80004, 0x80007)    /* QEMU 7.2 keeps PPN[1:0] as written */
  srli a1, a0, HGATP_VMID_SHIFT  /* VMID = 2^VMIDLEN - 1 */
  li t0, 0x3fff
  and a1, a1, t0
  addi a2, a1, 1
  and a2, a2, a1
  CHECK_EQ(a2, 0)
  li t0, HGATP_SV48X4 | 0x80000
  csrw hgatp, t0
  csrr a0, hgatp
  CHECK_EQ(a0, HGATP_SV48X4 | 0x80000)
  csrw hgatp, zero
  csrr a0, hgatp
  CHECK_EQ(a0, 0)
  li t0, (15 << 60) | 0x80000
  csrw hgatp, t0
  csrr a0, hgatp
  srli a1, a0, 60
  addi TESTNUM, TESTNUM, 1      /* MODE in {Bare, Sv39x4, Sv48x4, Sv57x4} */
  beqz a1, 3f
  li t0, 15                     /* QEMU 7.2 stores the reserved MODE as written */
  beq a1, t0, 3f
  li t0, 8
  bltu a1, t0, fail
  li t0, 10
  bgtu a1, t0, fail
3:csrw hgatp, zero

/* ---- hgeip is read-only, hgeie bit 0 is read-only zero ("Hypervisor Guest External
        Interrupt Registers"); nothing is pending */
  csrr a0, hgeip
  CHECK_EQ(a0, 0)
  WRITE_READ(hgeie, -1)
  CHECK_BITS(a0, 1, 0)
  csrw hgeie, zero

/* ---- hcounteren: CY/TM/IR writable; htval/htinst/mtval2/mtinst are readable and writable
        (WARL; a written zero reads back zero) */
  WRITE_READ(hcounteren, 7)
  CHECK_EQ(a0, 7)
  WRITE_READ(htval, 0)
  CHECK_EQ(a0, 0)
  WRITE_READ(htinst, 0)
  CHECK_EQ(a0, 0)
  WRITE_READ(mtval2, 0)
  CHECK_EQ(a0, 0)
  WRITE_READ(mtinst, 0)
  CHECK_EQ(a0, 0)

/* ---- htimedelta: VS/VU reads of `time` return time + htimedelta ("Hypervisor Time Delta
        Register"); M reads mtime through the CLINT before and after */
  li t0, 2
  csrs mcounteren, t0
  csrw hcounteren, t0
  li t0, 1 << 40
  csrw htimedelta, t0
  csrr a0, htimedelta
  CHECK_EQ(a0, 1 << 40)
  li t0, CLINT_MTIME
  ld s0, 0(t0)
  IN_VS(rdtime a1)
  OK_VS
  li t0, CLINT_MTIME
  ld s1, 0(t0)
  li t0, 1 << 40
  sub a1, a1, t0                /* mtime_before <= time - delta <= mtime_after */
  addi TESTNUM, TESTNUM, 1
  bltu a1, s0, fail
  bgtu a1, s1, fail
  /* V=0 reads are not offset */
  rdtime a1
  CHECK_BITS(a1, 1 << 40, 0)
  /* hcounteren.TM = 0 (mcounteren.TM = 1): a VS read of time is a virtual instruction */
  csrw hcounteren, zero
  IN_VS(rdtime a1)
  CHECK_EQ(s2, CAUSE_VIRTUAL)
  /* mcounteren.TM = 0: illegal instruction, in VS and in HS */
  li t0, 2
  csrc mcounteren, t0
  csrw hcounteren, t0
  IN_VS(rdtime a1)
  CHECK_EQ(s2, CAUSE_ILLEGAL)
  IN_HS(rdtime a1)
  CHECK_EQ(s2, CAUSE_ILLEGAL)
  li t0, 2
  csrs mcounteren, t0

/* ---- Sstc in VS: henvcfg.STCE makes hip.VSTIP = (time + htimedelta >= vstimecmp)
        ("Hypervisor Environment Configuration Register", Sstc). Skipped when menvcfg.STCE
        does not stick (no Sstc). */
  li t0, ENVCFG_STCE
  csrs menvcfg, t0
  csrr a0, menvcfg
  bgez a0, no_sstc
  WRITE_READ(henvcfg, ENVCFG_STCE)
  CHECK_EQ(a0, ENVCFG_STCE)
  li t0, -1
  csrw vstimecmp, t0
  csrr a0, hip
  CHECK_BITS(a0, MIP_VSTIP, 0)
  csrw vstimecmp, zero          /* compare reached */
  csrr a0, hip
  CHECK_BITS(a0, MIP_VSTIP, MIP_VSTIP)
  csrr a0, mip
  CHECK_BITS(a0, MIP_VSTIP, MIP_VSTIP)
  csrr a0, hvip                 /* the timer is not an hvip bit */
  CHECK_EQ(a0, 0)
  li t0, CLINT_MTIME            /* vstimecmp compares against guest time (htimedelta = 2^40) */
  ld t0, 0(t0)
  li t1, 1 << 39
  add t0, t0, t1
  csrw vstimecmp, t0
  csrr a0, hip
  CHECK_BITS(a0, MIP_VSTIP, MIP_VSTIP)
  /* without the delta the compare is not reached. QEMU 7.2 re-evaluates VSTIP only when
     vstimecmp is written, so vstimecmp is rewritten with its own value (fine per spec too). */
  csrw htimedelta, zero
  csrr t0, vstimecmp
  csrw vstimecmp, t0
  csrr a0, hip
  CHECK_BITS(a0, MIP_VSTIP, 0)
  /* in VS, stimecmp is vstimecmp */
  li t0, 0x123456789
  csrw vstimecmp, t0
  IN_VS(csrr a1, stimecmp; li t0, -1; csrw stimecmp, t0)
  OK_VS
  CHECK_EQ(a1, 0x123456789)
  csrr a0, vstimecmp
  CHECK_EQ(a0, -1)
  /* henvcfg.STCE = 0: a VS access to stimecmp is a virtual instruction */
  csrw henvcfg, zero
  IN_VS(csrr a1, stimecmp)
  CHECK_EQ(s2, CAUSE_VIRTUAL)
  li t0, ENVCFG_STCE
  csrc menvcfg, t0
no_sstc:
  csrw htimedelta, zero
  j pass

HYP_HANDLERS
TEST_END
HYP_RECORDS
