/* priv-irq: interrupts. CLINT timer (mtimecmp 0x2004000, mtime 0x200bff8) and software
   (msip 0x2000000) interrupts, mie/mip/sie/sip behaviour, WFI wake-up, delegation of the
   supervisor software interrupt through mideleg, priority, vectored mtvec/stvec.
   References are to the privileged spec by section title ("Machine Interrupt Registers",
   "Supervisor Interrupt Registers", "Machine Timer Registers", "Wait for Interrupt",
   "Machine Trap-Vector Base-Address Register", "Machine Trap Delegation Registers").
   Exits through syscon: 0 = pass, else the number of the failing check.

   Registers: gp TESTNUM; s7 resume address for an expected M exception (0 = none);
   s2..s5 mcause/mepc/mtval/mstatus of the last M trap; s6 M exception count;
   s10 interrupt count (M and S handlers both append the cause to irq_log);
   s8/s9/s1 scause/sepc/sstatus of the last S interrupt; s11 S interrupt count;
   a7 vector-table marker. Interrupt handlers preserve every other register. */
#include "test.h"

/* gp is TESTNUM here, so the linker must not relax `la` into gp-relative addressing. */
  .option norelax

#define MSTATUS_SIE  (1 << 1)
#define MSTATUS_MIE  (1 << 3)
#define MSTATUS_SPIE (1 << 5)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_SPP  (1 << 8)
#define MSTATUS_MPP  (3 << 11)
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3
#define SSIP (1 << 1)
#define MSIP (1 << 3)
#define STIP (1 << 5)
#define MTIP (1 << 7)
#define SEIP (1 << 9)
#define MEIP (1 << 11)
#define IRQ(n) (0x8000000000000000 | (n))
#define CLINT_MSIP CLINT_BASE

#define GOTO_PRIV(prv, label) \
  li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, (prv) << 11; csrs mstatus, t0; \
  la t0, label; csrw mepc, t0; mret
#define EXPECT_TRAP(label) la s7, label; li s2, -1
#define CHECK_BITS(reg, mask, expect) li t5, mask; and t5, reg, t5; CHECK_EQ(t5, expect)
/* Bounded spin until register `cnt` reaches `n` (the interrupt arrives meanwhile). */
#define SPIN_UNTIL_COUNT(cnt, n) \
  li a0, 20000000; li a1, n; 8: bge cnt, a1, 9f; addi a0, a0, -1; bnez a0, 8b; 9:
/* Bounded spin until (mip & mask) == want. */
#define SPIN_UNTIL_MIP(mask, want) \
  li a0, 20000000; li a1, mask; li a2, want; \
  8: csrr a3, mip; and a3, a3, a1; beq a3, a2, 9f; addi a0, a0, -1; bnez a0, 8b; 9:
#define SPIN(n) li a0, n; 8: addi a0, a0, -1; bnez a0, 8b
/* mtimecmp = mtime + delta */
#define TIMER_IN(delta) \
  li t0, CLINT_MTIME; ld t1, 0(t0); addi t1, t1, delta; li t0, CLINT_MTIMECMP; sd t1, 0(t0)
#define TIMER_OFF li t0, CLINT_MTIMECMP; li t1, -1; sd t1, 0(t0)
#define TIMER_NOW li t0, CLINT_MTIMECMP; sd zero, 0(t0)
/* irq_log[i] == cause */
#define CHECK_LOG(i, cause) la t0, irq_log; ld t0, (i) * 8(t0); CHECK_EQ(t0, cause)

TEST_BEGIN
  la t0, mtrap
  csrw mtvec, t0
  la t0, strap
  csrw stvec, t0
  li s6, 0
  li s7, 0
  li s10, 0
  li s11, 0
  csrw mie, zero
  csrw mideleg, zero
  csrw medeleg, zero
  li t0, SSIP | STIP
  csrc mip, t0
  TIMER_OFF
  li t0, CLINT_MSIP
  sw zero, 0(t0)
  li t0, -1                   /* PMP entry 0: all memory RWX for S and U */
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0

/* ---- mie: the six standard enables are writable ("Machine Interrupt Registers") */
  li t0, -1
  csrw mie, t0
  csrr t0, mie
  CHECK_BITS(t0, 0xaaa, 0xaaa)
  csrw mie, zero
  csrr t0, mie
  CHECK_EQ(t0, 0)
/* ---- mip: SSIP and STIP are writable from M (no Sstc in use); MSIP, MTIP, MEIP are
        read-only (driven by the CLINT and the PLIC) */
  li t0, SSIP | STIP
  csrs mip, t0
  csrr t1, mip
  CHECK_BITS(t1, SSIP | STIP, SSIP | STIP)
  csrc mip, t0
  csrr t1, mip
  CHECK_BITS(t1, SSIP | STIP, 0)
  li t0, MSIP | MTIP | MEIP
  csrs mip, t0
  csrr t1, mip
  CHECK_BITS(t1, MSIP | MTIP | MEIP, 0)
/* ---- mideleg: SSI/STI/SEI are delegable */
  li t0, -1
  csrw mideleg, t0
  csrr t1, mideleg
  CHECK_BITS(t1, SSIP | STIP | SEIP, SSIP | STIP | SEIP)
  csrw mideleg, zero
  csrr t1, mideleg
  CHECK_BITS(t1, SSIP | STIP | SEIP, 0)
/* ---- sie/sip are views of mie/mip restricted to delegated bits; the rest read as zero and
        ignore writes ("Machine Interrupt Registers": restricted views) */
  li t0, SSIP | STIP | SEIP
  csrw mie, t0
  li t0, SSIP
  csrs mip, t0
  csrr t1, sie
  CHECK_BITS(t1, SSIP | STIP | SEIP, 0)
  csrr t1, sip
  CHECK_BITS(t1, SSIP, 0)
  li t0, SSIP
  csrw mideleg, t0
  csrr t1, sie
  CHECK_BITS(t1, SSIP | STIP | SEIP, SSIP)
  csrr t1, sip
  CHECK_BITS(t1, SSIP, SSIP)
  csrw mie, zero
  li t0, SSIP | STIP
  csrs sie, t0                /* only SSIE is delegated, so only it may change */
  csrr t1, mie
  CHECK_EQ(t1, SSIP)
  csrci sip, SSIP             /* SSIP is writable through sip when delegated */
  csrr t1, mip
  CHECK_BITS(t1, SSIP, 0)
  csrw mie, zero
  csrw mideleg, zero

/* ---- CLINT timer: MTIP is set while mtime >= mtimecmp ("Machine Timer Registers") */
  TIMER_NOW
  SPIN_UNTIL_MIP(MTIP, MTIP)
  csrr t1, mip
  CHECK_BITS(t1, MTIP, MTIP)
  TIMER_OFF
  SPIN_UNTIL_MIP(MTIP, 0)
  csrr t1, mip
  CHECK_BITS(t1, MTIP, 0)
  /* mtime advances; the time CSR (Zicntr) shadows it */
  li t0, CLINT_MTIME
  ld s0, 0(t0)
  SPIN(20000)
  ld t1, 0(t0)
  addi TESTNUM, TESTNUM, 1
  bleu t1, s0, fail
  ld s0, 0(t0)
  rdtime t2
  ld t1, 0(t0)
  addi TESTNUM, TESTNUM, 1
  bltu t2, s0, fail
  bltu t1, t2, fail

/* ---- timer interrupt taken in M: mcause = interrupt | 7, mepc inside the interrupted loop,
        MPIE = 1, MIE = 0 in the handler, MIE restored by mret */
  li t0, MTIP
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
  TIMER_IN(1000)
timer_loop:
  SPIN_UNTIL_COUNT(s10, 1)
timer_loop_end:
  CHECK_EQ(s10, 1)
  CHECK_EQ(s2, IRQ(7))
  CHECK_LOG(0, IRQ(7))
  addi TESTNUM, TESTNUM, 1
  la t0, timer_loop
  bltu s3, t0, fail
  la t0, timer_loop_end
  bgeu s3, t0, fail
  CHECK_BITS(s5, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP)
  csrr t0, mstatus
  CHECK_BITS(t0, MSTATUS_MIE, MSTATUS_MIE)
  /* pending but masked by mstatus.MIE, then by mie.MTIE: not taken until both allow it */
  csrci mstatus, MSTATUS_MIE
  TIMER_NOW
  SPIN_UNTIL_MIP(MTIP, MTIP)
  SPIN(10000)
  CHECK_EQ(s10, 1)
  csrw mie, zero
  csrsi mstatus, MSTATUS_MIE
  SPIN(10000)
  CHECK_EQ(s10, 1)
  li t0, MTIP
  csrw mie, t0                /* "evaluated immediately following ... a write to mie" */
  SPIN_UNTIL_COUNT(s10, 2)
  CHECK_EQ(s10, 2)
  CHECK_EQ(s2, IRQ(7))

/* ---- WFI: wakes up for a pending interrupt enabled in mie even with MIE = 0 and resumes at
        pc + 4 without a trap; with MIE = 1 the trap is taken with mepc = wfi + 4 */
  csrci mstatus, MSTATUS_MIE
  TIMER_IN(1000)
  li a0, 1000000
1:wfi
  csrr t0, mip
  andi t0, t0, MTIP
  bnez t0, 2f
  addi a0, a0, -1
  bnez a0, 1b
2:CHECK_EQ(s10, 2)
  csrr t0, mip
  CHECK_BITS(t0, MTIP, MTIP)
  TIMER_OFF
  SPIN_UNTIL_MIP(MTIP, 0)
  csrsi mstatus, MSTATUS_MIE
  TIMER_IN(1000)
  .balign 4
wfi_insn:
  wfi
  SPIN_UNTIL_COUNT(s10, 3)
  CHECK_EQ(s10, 3)
  CHECK_EQ(s2, IRQ(7))
  la t0, wfi_insn + 4
  CHECK_EQ_REG(s3, t0)
  csrci mstatus, MSTATUS_MIE

/* ---- software interrupt: msip sets mip.MSIP; taken with mcause = interrupt | 3 */
  li t0, MSIP
  csrw mie, t0
  li t0, CLINT_MSIP
  li t1, 1
  sw t1, 0(t0)
  SPIN_UNTIL_MIP(MSIP, MSIP)
  csrr t1, mip
  CHECK_BITS(t1, MSIP, MSIP)
  li t0, CLINT_MSIP
  lw t1, 0(t0)
  CHECK_EQ(t1, 1)
  CHECK_EQ(s10, 3)
  csrsi mstatus, MSTATUS_MIE
  SPIN_UNTIL_COUNT(s10, 4)
  CHECK_EQ(s10, 4)
  CHECK_EQ(s2, IRQ(3))
  li t0, CLINT_MSIP
  lw t1, 0(t0)
  CHECK_EQ(t1, 0)             /* the handler cleared it */
  csrr t1, mip
  CHECK_BITS(t1, MSIP, 0)
  csrci mstatus, MSTATUS_MIE

/* ---- supervisor software interrupt, not delegated: taken in M (cause interrupt | 1) */
  li t0, SSIP
  csrw mie, t0
  csrs mip, t0
  csrsi mstatus, MSTATUS_MIE
  SPIN_UNTIL_COUNT(s10, 5)
  CHECK_EQ(s10, 5)
  CHECK_EQ(s2, IRQ(1))
  csrci mstatus, MSTATUS_MIE
  /* ... and taken in M from S even with mstatus.MIE = 0 (M interrupts are always enabled
     below M) */
  li t0, SSIP
  csrs mip, t0
  li t0, MSTATUS_MPIE
  csrc mstatus, t0
  EXPECT_TRAP(1f)
  GOTO_PRIV(PRV_S, 2f)
2:SPIN_UNTIL_COUNT(s10, 6)
  ecall
1:CHECK_EQ(s10, 6)
  CHECK_LOG(5, IRQ(1))
  CHECK_EQ(s2, 9)             /* then the ecall */

/* ---- delegated SSI (mideleg bit 1): never taken in M; in S only with sstatus.SIE; in U
        always; scause = interrupt | 1, SPP/SPIE updated ("Supervisor Interrupt Registers") */
  li t0, SSIP
  csrw mideleg, t0
  csrw mie, t0
  csrs mip, t0
  csrsi mstatus, MSTATUS_MIE
  SPIN(10000)
  CHECK_EQ(s10, 6)            /* not taken in M */
  csrci mstatus, MSTATUS_SIE
  EXPECT_TRAP(1f)
  GOTO_PRIV(PRV_S, 2f)
2:SPIN(10000)
  mv a4, s11                  /* still 0: SIE = 0 in S */
  csrsi sstatus, MSTATUS_SIE
s_wait:
  SPIN_UNTIL_COUNT(s11, 1)
s_wait_end:
  ecall
1:CHECK_EQ(a4, 0)
  CHECK_EQ(s11, 1)
  CHECK_EQ(s8, IRQ(1))
  CHECK_LOG(6, IRQ(1))
  addi TESTNUM, TESTNUM, 1
  la t0, s_wait
  bltu s9, t0, fail
  la t0, s_wait_end
  bgeu s9, t0, fail
  CHECK_BITS(s1, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE | MSTATUS_SPP)
  CHECK_EQ(s2, 9)
  /* from U with sstatus.SIE = 0: taken at once, SPP = U, sepc = the U instruction */
  li t0, SSIP
  csrs mip, t0
  csrci mstatus, MSTATUS_SIE
  EXPECT_TRAP(1f)
  GOTO_PRIV(PRV_U, u_first)
u_first:
  SPIN_UNTIL_COUNT(s11, 2)
  ecall
1:CHECK_EQ(s11, 2)
  CHECK_EQ(s2, 8)
  CHECK_BITS(s1, MSTATUS_SIE | MSTATUS_SPP, 0)
  la t0, u_first
  CHECK_EQ_REG(s9, t0)

/* ---- priority ("Machine Interrupt Registers"): interrupts to M before interrupts to S, and
        among M-level sources MEI > MSI > MTI > SEI > SSI > STI. QEMU 7.2 (without AIA) takes
        the lowest-numbered pending interrupt instead, so only the pairs on which both orders
        agree are checked here: MSI before MTI, SSI before STI, and M-level MTI before a
        delegated SSI. (The spec also puts MTI before a non-delegated SSI; QEMU does not.) */
  csrci mstatus, MSTATUS_MIE
  csrw mideleg, zero
  li t0, MSIP | MTIP
  csrw mie, t0
  li t0, CLINT_MSIP
  li t1, 1
  sw t1, 0(t0)
  TIMER_NOW
  SPIN_UNTIL_MIP(MSIP | MTIP, MSIP | MTIP)
  CHECK_EQ(s10, 8)
  csrsi mstatus, MSTATUS_MIE
  SPIN_UNTIL_COUNT(s10, 10)
  csrci mstatus, MSTATUS_MIE
  li t0, SSIP | STIP
  csrw mie, t0
  csrs mip, t0
  SPIN_UNTIL_MIP(SSIP | STIP, SSIP | STIP)
  csrsi mstatus, MSTATUS_MIE
  SPIN_UNTIL_COUNT(s10, 12)
  csrci mstatus, MSTATUS_MIE
  CHECK_EQ(s10, 12)
  CHECK_LOG(8, IRQ(3))
  CHECK_LOG(9, IRQ(7))
  CHECK_LOG(10, IRQ(1))
  CHECK_LOG(11, IRQ(5))
  /* M-level MTI before a delegated SSI while in S with SIE = 1 */
  li t0, SSIP
  csrw mideleg, t0
  li t0, MTIP | SSIP
  csrw mie, t0
  TIMER_NOW
  li t0, SSIP
  csrs mip, t0
  SPIN_UNTIL_MIP(MTIP | SSIP, MTIP | SSIP)
  csrsi mstatus, MSTATUS_SIE
  EXPECT_TRAP(1f)
  GOTO_PRIV(PRV_S, 2f)
2:SPIN_UNTIL_COUNT(s10, 14)
  ecall
1:CHECK_EQ(s10, 14)
  CHECK_LOG(12, IRQ(7))
  CHECK_LOG(13, IRQ(1))
  csrw mideleg, zero

/* ---- vectored mtvec: interrupt n goes to BASE + 4n, exceptions to BASE */
  la t0, mvec_table
  ori t0, t0, 1
  csrw mtvec, t0
  csrr t1, mtvec
  CHECK_EQ_REG(t1, t0)
  li t0, MTIP | MSIP | SSIP
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
  li a7, -1
  TIMER_IN(500)
  SPIN_UNTIL_COUNT(s10, 15)
  CHECK_EQ(a7, 7)
  li t0, CLINT_MSIP
  li t1, 1
  sw t1, 0(t0)
  SPIN_UNTIL_COUNT(s10, 16)
  CHECK_EQ(a7, 3)
  li t0, SSIP
  csrs mip, t0
  SPIN_UNTIL_COUNT(s10, 17)
  CHECK_EQ(a7, 1)
  CHECK_LOG(14, IRQ(7))
  CHECK_LOG(15, IRQ(3))
  CHECK_LOG(16, IRQ(1))
  EXPECT_TRAP(1f)
  ecall
1:CHECK_EQ(a7, 0)
  CHECK_EQ(s2, 11)
  csrci mstatus, MSTATUS_MIE
  la t0, mtrap
  csrw mtvec, t0
/* ---- vectored stvec: a delegated SSI in U goes to BASE + 4 */
  la t0, svec_table
  ori t0, t0, 1
  csrw stvec, t0
  li t0, SSIP
  csrw mideleg, t0
  csrw mie, t0
  csrs mip, t0
  li a7, -1
  EXPECT_TRAP(1f)
  GOTO_PRIV(PRV_U, 2f)
2:SPIN_UNTIL_COUNT(s11, 4)
  ecall
1:CHECK_EQ(s11, 4)
  CHECK_EQ(a7, 0x101)
  CHECK_EQ(s8, IRQ(1))
  j pass

/* ---- M-mode handler. Exceptions: record, resume at s7 in M. Interrupts: log the cause, clear
        the source, mret (t0-t2 are saved in mscratch / msave). */
  .balign 4
mtrap:
  csrr s2, mcause
  csrr s3, mepc
  csrr s4, mtval
  csrr s5, mstatus
  bltz s2, m_irq
  addi s6, s6, 1
  beqz s7, unexpected
  mv t0, s7
  li s7, 0
  jr t0
m_irq:
  csrw mscratch, t0
  la t0, msave
  sd t1, 0(t0)
  sd t2, 8(t0)
  jal t2, log_cause
  andi t1, s2, 0x3f
  li t2, 7
  beq t1, t2, 7f
  li t2, 3
  beq t1, t2, 3f
  li t2, 1
  beq t1, t2, 1f
  li t2, 5
  beq t1, t2, 5f
  j unexpected
7:TIMER_OFF
  j 9f
3:li t0, CLINT_MSIP
  sw zero, 0(t0)
  li t1, 100000               /* the CLINT change reaches mip "eventually" */
2:csrr t0, mip
  andi t0, t0, MSIP
  beqz t0, 9f
  addi t1, t1, -1
  bnez t1, 2b
  j 9f
1:csrci mip, SSIP
  j 9f
5:li t0, STIP
  csrc mip, t0
9:la t0, msave
  ld t1, 0(t0)
  ld t2, 8(t0)
  csrr t0, mscratch
  mret

/* irq_log[s10++] = s2 (uses t0, t1; returns through t2); more than 32 interrupts means a
   source was not cleared. */
log_cause:
  li t0, 32
  bgeu s10, t0, unexpected
  la t0, irq_log
  slli t1, s10, 3
  add t0, t0, t1
  sd s2, 0(t0)
  addi s10, s10, 1
  jr t2

/* ---- S-mode handler: only the delegated SSI is expected; log, clear sip.SSIP, sret. */
  .balign 4
strap:
  csrw sscratch, t0
  csrr t0, scause
  bgez t0, s_exception
  csrr s8, scause
  csrr s9, sepc
  csrr s1, sstatus
  addi s11, s11, 1
  la t0, ssave
  sd t1, 0(t0)
  sd t2, 8(t0)
  sd s2, 16(t0)
  mv s2, s8
  jal t2, log_cause
  la t0, ssave
  ld s2, 16(t0)
  ld t1, 0(t0)
  ld t2, 8(t0)
  csrci sip, SSIP
  csrr t0, sscratch
  sret
s_exception:
  ecall                       /* reaches M as cause 9: unexpected unless s7 is armed */

/* vector tables (4-byte entries: no RVC) */
  .option push
  .option norvc
  .balign 256
mvec_table:
  j 0f
  j 1f
  j unexpected
  j 3f
  j unexpected
  j unexpected
  j unexpected
  j 7f
  .rept 8
  j unexpected
  .endr
0:li a7, 0
  j mtrap
1:li a7, 1
  j mtrap
3:li a7, 3
  j mtrap
7:li a7, 7
  j mtrap
  .balign 256
svec_table:
  j unexpected
  j 1f
  .rept 14
  j unexpected
  .endr
1:li a7, 0x101
  j strap
  .option pop

/* An unexpected trap fails the check that follows; mcause/mepc/mtval go to the UART. */
UNEXPECTED_TRAP_REPORTER

TEST_END

  .bss
  .balign 8
irq_log:
  .zero 8 * 32
msave:
  .zero 16
ssave:
  .zero 24
