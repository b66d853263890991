/* priv-pmp: physical memory protection ("Physical Memory Protection": "Physical Memory
   Protection CSRs", "Address Matching", "Locking and Privilege Mode", "Priority and Matching
   Logic"). NAPOT, TOR and NA4 regions; S/U accesses without permission raise access faults
   (instruction 1, load 5, store/AMO 7) with mtval = the address; M is unaffected unless the
   entry is locked; partial matches fail; pmpcfg/pmpaddr read back (WARL).
   Exits through syscon: 0 = pass, else the number of the failing check.
   Register conventions as in priv-trap.S (s2..s5 = mcause/mepc/mtval/mstatus of the last M
   trap, s7 = resume address). Satp stays Bare.

   Entries (pmpcfg0 holds entries 0..7 on RV64):
     0  NA4   na4_word                  ---   (a 4-byte hole inside entry 7)
     1  OFF   pmpaddr1 = tor_lo         (bottom of entry 2)
     2  TOR   [tor_lo, tor_hi)          R--
     3  NAPOT pg_rw (4 KiB)             RW-
     4  NAPOT code_page (4 KiB)         --X
     5  OFF
     6  OFF, at the end: NAPOT pg_lock, locked, R--
     7  NAPOT [0x80000000, +32 MiB)     RWX   (the image; RAM above 0x82000000 matches nothing) */
#include "test.h"

/* gp is TESTNUM here, so the linker must not relax `la` into gp-relative addressing. */
  .option norelax

#define MSTATUS_MPP  (3 << 11)
#define MSTATUS_MPRV (1 << 17)
#define PRV_U 0
#define PRV_S 1
#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L 0x80
#define CFG0 ((PMP_NA4) | ((PMP_TOR | PMP_R) << 16) | ((PMP_NAPOT | PMP_R | PMP_W) << 24) | \
              ((PMP_NAPOT | PMP_X) << 32) | ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56))
#define CFG6_LOCKED (PMP_L | PMP_NAPOT | PMP_R)
#define OUTSIDE 0x82000000

#define GOTO_PRIV(prv, label) \
  li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, (prv) << 11; csrs mstatus, t0; \
  la t0, label; csrw mepc, t0; mret
#define EXPECT_TRAP(label) la s7, label; li s2, -1
/* Run the instructions in S (or U); afterwards s2 = 9 (S) / 8 (U) if nothing faulted. */
#define IN_S(...) EXPECT_TRAP(1f); GOTO_PRIV(PRV_S, 2f); 2: __VA_ARGS__; ecall; 1:
#define IN_U(...) EXPECT_TRAP(1f); GOTO_PRIV(PRV_U, 2f); 2: __VA_ARGS__; ecall; 1:
#define IN_M(...) EXPECT_TRAP(1f); __VA_ARGS__; li s2, 0; li s7, 0; 1:
#define OK_S CHECK_EQ(s2, 9)
#define OK_U CHECK_EQ(s2, 8)
#define OK_M CHECK_EQ(s2, 0)
#define FAULT(cause, areg) CHECK_EQ(s2, cause); CHECK_EQ_REG(s4, areg)
/* NAPOT pmpaddr of the 4 KiB page at the address in reg */
#define NAPOT4K(reg) srli reg, reg, 2; ori reg, reg, 0x1ff

TEST_BEGIN
  la t0, mtrap
  csrw mtvec, t0
  li s6, 0
  li s7, 0
  csrw medeleg, zero
  csrw mideleg, zero
  csrw mie, zero
  csrw satp, zero
  csrw pmpcfg0, zero

/* ---- WARL read-back: pmpaddr holds address bits 55:2 (G = 0, so every bit of that field is
        writable); pmpcfg fields read back for legal encodings. The top 10 bits of pmpaddr are
        zero in the spec's RV64 layout; QEMU 7.2 stores the raw value, so they may read as 0 or
        as written. */
  li t0, 0x123456789abc
  csrw pmpaddr5, t0
  csrr t1, pmpaddr5
  CHECK_EQ_REG(t1, t0)
  li t0, -1
  csrw pmpaddr5, t0
  csrr t1, pmpaddr5
  li t2, 0x003fffffffffffff
  and t3, t1, t2
  CHECK_EQ_REG(t3, t2)
  srli t3, t1, 54
  addi TESTNUM, TESTNUM, 1
  beqz t3, 1f
  li t2, 0x3ff
  bne t3, t2, fail
1:csrw pmpaddr5, zero
  /* odd pmpcfg registers do not exist on RV64 */
  EXPECT_TRAP(1f)
  csrr t0, pmpcfg1
1:CHECK_EQ(s2, 2)

/* ---- program the entries */
  la t0, na4_word
  srli t0, t0, 2
  csrw pmpaddr0, t0
  la t0, pg_tor
  addi t0, t0, 0x100          /* tor_lo */
  srli t0, t0, 2
  csrw pmpaddr1, t0
  la t0, pg_tor
  addi t0, t0, 0x200          /* tor_hi */
  srli t0, t0, 2
  csrw pmpaddr2, t0
  la t0, pg_rw
  NAPOT4K(t0)
  csrw pmpaddr3, t0
  la t0, code_page
  NAPOT4K(t0)
  csrw pmpaddr4, t0
  li t0, (0x80000000 >> 2) | ((32 << 20) >> 3) - 1
  csrw pmpaddr7, t0
  csrr t1, pmpaddr7
  CHECK_EQ_REG(t1, t0)
  li t0, CFG0
  csrw pmpcfg0, t0
  csrr t1, pmpcfg0
  CHECK_EQ_REG(t1, t0)

/* ---- NA4: the 4-byte hole faults for S and U; its neighbour does not; M is unaffected */
  la a1, na4_word
  IN_S(lw a0, 0(a1))
  FAULT(5, a1)
  la t0, 2b
  CHECK_EQ_REG(s3, t0)
  IN_S(sw a0, 0(a1))
  FAULT(7, a1)
  IN_U(lw a0, 0(a1))
  FAULT(5, a1)
  /* an AMO without W is a store/AMO access fault (7). QEMU 7.2's non-parallel TCG path
     faults on the load half and reports 5, so 5 is accepted too. */
  IN_S(amoadd.w a0, a0, (a1))
  addi TESTNUM, TESTNUM, 1
  li t0, 7
  beq s2, t0, 3f
  li t0, 5
  bne s2, t0, fail
3:CHECK_EQ_REG(s4, a1)
  li a0, 0
  IN_S(lw a0, 4(a1))
  OK_S
  CHECK_EQ(a0, 0x44444444)
  IN_M(lw a0, 0(a1); sw a0, 0(a1))
  OK_M
  CHECK_EQ(a0, 0x33333333)
  /* an 8-byte access that only partly matches entry 0 fails, in every mode ("Priority and
     Matching Logic": the matching entry must match all bytes of the access) */
  addi a1, a1, -4
  IN_S(ld a0, 0(a1))
  CHECK_EQ(s2, 5)
  IN_M(ld a0, 0(a1))
  CHECK_EQ(s2, 5)

/* ---- TOR: [tor_lo, tor_hi) is read-only; the bounds are inclusive/exclusive */
  la s0, pg_tor
  addi a1, s0, 0x100
  li a0, 0
  IN_S(ld a0, 0(a1))
  OK_S
  CHECK_EQ(a0, 0x1010101010101010)
  IN_S(sd a0, 0(a1))
  FAULT(7, a1)
  addi a1, s0, 0x1f8          /* last doubleword inside */
  IN_U(sd a0, 0(a1))
  FAULT(7, a1)
  addi a1, s0, 0x200          /* tor_hi itself is outside: entry 7 allows it */
  IN_S(sd zero, 0(a1))
  OK_S
  addi a1, s0, 0xf8           /* just below tor_lo (entry 1 is OFF and never matches) */
  IN_S(sd zero, 0(a1))
  OK_S
  addi a1, s0, 0x100          /* M may write it */
  li a2, 0x2020
  IN_M(sd a2, 0(a1))
  OK_M
  ld t0, 0(a1)
  CHECK_EQ(t0, 0x2020)

/* ---- NAPOT RW- page: data accesses work, fetch faults with cause 1 */
  la a1, pg_rw
  li a2, 0x3030
  IN_S(sd a2, 8(a1); ld a0, 8(a1))
  OK_S
  CHECK_EQ(a0, 0x3030)
  IN_S(jalr ra, a1)
  FAULT(1, a1)
  CHECK_EQ_REG(s3, a1)
  IN_U(jalr ra, a1)
  FAULT(1, a1)
  IN_M(jalr ra, a1)           /* M may "execute" there (a zeroed page): no PMP fault */
  addi TESTNUM, TESTNUM, 1
  li t0, 1
  beq s2, t0, fail

/* ---- NAPOT --X page: fetch works, loads fault */
  la a1, code_page
  li a0, 0
  IN_S(jalr ra, a1)
  OK_S
  CHECK_EQ(a0, 0x5a5)
  li a0, 0
  IN_U(jalr ra, a1)
  OK_U
  CHECK_EQ(a0, 0x5a5)
  IN_S(lw a0, 0(a1))
  FAULT(5, a1)

/* ---- no entry matches: S/U fail (entries are implemented), M succeeds */
  li a1, OUTSIDE
  IN_S(ld a0, 0(a1))
  FAULT(5, a1)
  IN_U(sd a0, 0(a1))
  FAULT(7, a1)
  li a2, 0x4040
  IN_M(sd a2, 0(a1); ld a0, 0(a1))
  OK_M
  CHECK_EQ(a0, 0x4040)

/* ---- MPRV: M loads and stores are checked with the privilege in MPP */
  la a1, na4_word
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, MSTATUS_MPRV | (PRV_S << 11)
  csrs mstatus, t0
  EXPECT_TRAP(1f)
  lw a0, 0(a1)
1:li t0, MSTATUS_MPRV
  csrc mstatus, t0
  FAULT(5, a1)

/* ---- a locked entry applies to M too and ignores further writes ("Locking and Privilege
        Mode"); this lasts until reset, so it comes last */
  la t0, pg_lock
  NAPOT4K(t0)
  csrw pmpaddr6, t0
  mv s0, t0
  li t0, CFG6_LOCKED << 48
  csrs pmpcfg0, t0
  la a1, pg_lock
  li a0, 0
  IN_M(ld a0, 0(a1))
  OK_M
  CHECK_EQ(a0, 0x5050505050505050)
  IN_M(sd a0, 0(a1))
  FAULT(7, a1)
  IN_M(jalr ra, a1)
  FAULT(1, a1)
  CHECK_EQ_REG(s3, a1)
  IN_S(sd a0, 0(a1))
  FAULT(7, a1)
  li t0, (PMP_R | PMP_W | PMP_X) << 48   /* writes to a locked entry are ignored */
  csrs pmpcfg0, t0
  li t0, -1
  csrw pmpaddr6, t0
  csrr t0, pmpcfg0
  srli t0, t0, 48
  andi t0, t0, 0xff
  CHECK_EQ(t0, CFG6_LOCKED)
  csrr t0, pmpaddr6
  CHECK_EQ_REG(t0, s0)
  IN_M(sd a0, 0(a1))
  FAULT(7, a1)
  /* the other entries of pmpcfg0 stay writable */
  csrw pmpcfg0, zero
  csrr t0, pmpcfg0
  CHECK_EQ(t0, CFG6_LOCKED << 48)
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

  .data
  .balign 4096
pg_rw:
  .zero 4096
pg_tor:                        /* 0x10 bytes from 0x100 on, inside the TOR range */
  .zero 0x100
  .fill 0x100, 1, 0x10
  .zero 0xe00
pg_na4:                        /* na4_word = pg_na4 + 0x104 (8-byte aligned + 4) */
  .zero 0x100
  .word 0x22222222
na4_word:
  .word 0x33333333
  .word 0x44444444
  .zero 0xef4
pg_lock:
  .fill 4096, 1, 0x50
