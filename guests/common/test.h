/* Macros shared by the self-checking assembly ISA tests (guests/isa/*.S).
   A test runs in M-mode from _start, counts checks in TESTNUM (gp), and exits through the
   sifive_test/syscon device: PASS writes 0x5555, FAIL writes (TESTNUM << 16) | 0x3333 so the
   exit code names the failing check (numbers above 255 report as 255, since a process exit
   status keeps only 8 bits). The same binary runs on QEMU virt -bios none. */
#ifndef WASMVISOR_TEST_H
#define WASMVISOR_TEST_H

#define SYSCON_BASE 0x100000
#define UART_BASE   0x10000000
#define CLINT_BASE  0x2000000
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)
#define TESTNUM gp

/* Entry: stack, traps to `trap_unexpected` (which fails), FPU on, then `main_test`. */
#define TEST_BEGIN                      \
  .section .text.init;                  \
  .globl _start;                        \
_start:                                 \
  li TESTNUM, 0;                        \
  la sp, __stack_top;                   \
  la t0, trap_unexpected;               \
  csrw mtvec, t0;                       \
  li t0, (1 << 13);                     \
  csrs mstatus, t0;                     \
  csrwi fcsr, 0;                        \
  j main_test;                          \
  .align 2;                             \
trap_unexpected:                        \
  li TESTNUM, 0xfff;                    \
  j fail;                               \
main_test:

/* Ends the test body: falls into pass; `fail` reports TESTNUM. */
#define TEST_END                        \
pass:                                   \
  li t0, SYSCON_BASE;                   \
  li t1, 0x5555;                        \
  sw t1, 0(t0);                         \
1: j 1b;                                \
fail:                                   \
  li t0, 255;                           \
  bleu TESTNUM, t0, 2f;                 \
  mv TESTNUM, t0;                       \
2:li t0, SYSCON_BASE;                   \
  slli t1, TESTNUM, 16;                 \
  li t2, 0x3333;                        \
  or t1, t1, t2;                        \
  sw t1, 0(t0);                         \
1: j 1b;

/* `unexpected`: an unexpected trap fails the check that follows, after printing mcause, mepc
   and mtval in hex on the UART (translation off first, so the UART is reachable).
   `print_hex` prints a0 as 16 hex digits and a newline (clobbers t1..t4). */
#define UNEXPECTED_TRAP_REPORTER        \
unexpected:                             \
  csrw satp, zero;                      \
  addi TESTNUM, TESTNUM, 1;             \
  csrr a0, mcause;                      \
  jal print_hex;                        \
  csrr a0, mepc;                        \
  jal print_hex;                        \
  csrr a0, mtval;                       \
  jal print_hex;                        \
  j fail;                               \
print_hex:                              \
  li t1, UART_BASE;                     \
  li t2, 60;                            \
1:srl t3, a0, t2;                       \
  andi t3, t3, 15;                      \
  addi t3, t3, '0';                     \
  li t4, '9';                           \
  ble t3, t4, 2f;                       \
  addi t3, t3, 'a' - '0' - 10;          \
2:sb t3, 0(t1);                         \
  addi t2, t2, -4;                      \
  bgez t2, 1b;                          \
  li t3, '\n';                          \
  sb t3, 0(t1);                         \
  ret

/* Check numbering: every check bumps TESTNUM before it compares. */
#define CHECK_EQ(reg, val)  addi TESTNUM, TESTNUM, 1; li t6, val; bne reg, t6, fail
#define CHECK_EQ_REG(a, b)  addi TESTNUM, TESTNUM, 1; bne a, b, fail
/* Integer op checks: rd = op(rs1 value, rs2 value) == expected */
#define TEST_RR(inst, v1, v2, expect)  li a1, v1; li a2, v2; inst a0, a1, a2; CHECK_EQ(a0, expect)
#define TEST_RI(inst, v1, imm, expect) li a1, v1; inst a0, a1, imm; CHECK_EQ(a0, expect)
/* Expected FP results as raw bit patterns: fmv.x.* a0 then compare; fflags read into a1 */
#define CHECK_FFLAGS(expect) addi TESTNUM, TESTNUM, 1; csrrw a5, fflags, x0; li t6, expect; bne a5, t6, fail

#endif
