/* rvc.S — self-checking test of every RV64C instruction (Zca + Zcd), each written with its
   explicit `c.` mnemonic so the assembler must emit the 16-bit form.
   Spec: unpriv/zca.adoc, zcd.adoc. Rules checked:
   - register-based forms (CIW/CL/CS/CA/CB) only reach x8-x15 / f8-f15 (s0,s1,a0-a5 / fs0,fs1,fa0-fa5)
   - immediates: C.ADDI4SPN zero-extended x4; C.ADDI16SP sign-extended x16; C.LUI bit 17 is the sign;
     load/store offsets zero-extended and scaled by the access size
   - C.ADDIW/C.ADDW/C.SUBW produce sign-extended 32-bit results; C.ADDIW rd,0 is sext.w
   - C.JALR links pc+2 ("Control Transfer Instructions"); C.EBREAK raises a breakpoint
   - with C, 32-bit instructions may sit at any 2-byte-aligned address, even across a page. */
#include "test.h"

  .option norelax       /* gp holds TESTNUM */
  .option rvc

TEST_BEGIN

  mv s2, sp                    /* keep the real stack pointer */

/* ---------------- constant generation and register-immediate ops ---------------- */
  c.li a0, -32
  CHECK_EQ(a0, -32)
  c.li a0, 31
  CHECK_EQ(a0, 31)
  c.li s3, -1                  /* CI format: any rd (x19 here) */
  CHECK_EQ(s3, -1)

  c.lui a0, 1
  CHECK_EQ(a0, 0x1000)
  c.lui a0, 0x1f
  CHECK_EQ(a0, 0x1f000)
  c.lui a0, 0xfffe0            /* nzimm[17] set: sign-extended */
  CHECK_EQ(a0, 0xfffffffffffe0000)
  c.lui t1, 0xfffff
  CHECK_EQ(t1, 0xfffffffffffff000)

  li a0, 10
  c.addi a0, -32
  CHECK_EQ(a0, -22)
  c.addi a0, 31
  CHECK_EQ(a0, 9)
  li t0, 0x7fffffffffffffff
  c.addi t0, 1                 /* 64-bit wrap */
  CHECK_EQ(t0, 0x8000000000000000)

  li a0, 0x7fffffff
  c.addiw a0, 1
  CHECK_EQ(a0, 0xffffffff80000000)
  li a0, 0x123456789abcdef0
  c.addiw a0, 0                /* sext.w */
  CHECK_EQ(a0, 0xffffffff9abcdef0)
  li s4, 0xffffffff00000000
  c.addiw s4, -1
  CHECK_EQ(s4, -1)

  c.addi16sp sp, -512
  addi a0, s2, -512
  CHECK_EQ_REG(sp, a0)
  c.addi16sp sp, 496
  addi a0, s2, -16
  CHECK_EQ_REG(sp, a0)
  c.addi16sp sp, 16
  CHECK_EQ_REG(sp, s2)

  c.addi4spn a0, sp, 4
  addi a1, s2, 4
  CHECK_EQ_REG(a0, a1)
  c.addi4spn s1, sp, 1020      /* immediate is unsigned */
  addi a1, s2, 1020
  CHECK_EQ_REG(s1, a1)

  li a0, 1
  c.slli a0, 63
  CHECK_EQ(a0, 0x8000000000000000)
  li t2, 0x00000000ffffffff
  c.slli t2, 32                /* CI format: any rd */
  CHECK_EQ(t2, 0xffffffff00000000)
  li a0, 3
  c.slli a0, 1
  CHECK_EQ(a0, 6)

  li a0, -1
  c.srli a0, 63
  CHECK_EQ(a0, 1)
  li a0, -1
  c.srli a0, 32
  CHECK_EQ(a0, 0xffffffff)
  li a5, 0x8000000000000000
  c.srli a5, 1
  CHECK_EQ(a5, 0x4000000000000000)

  li a0, 0x8000000000000000
  c.srai a0, 63
  CHECK_EQ(a0, -1)
  li a0, 0x8000000000000000
  c.srai a0, 32
  CHECK_EQ(a0, 0xffffffff80000000)
  li s0, 0x4000000000000000
  c.srai s0, 1
  CHECK_EQ(s0, 0x2000000000000000)

  li a0, -1
  c.andi a0, -32
  CHECK_EQ(a0, 0xffffffffffffffe0)
  li a0, 0x12345678
  c.andi a0, 31
  CHECK_EQ(a0, 0x18)
  li a3, 0x8000000000000001
  c.andi a3, 0
  CHECK_EQ(a3, 0)

/* ---------------- register-register ops ---------------- */
  li a0, 0x12345678
  c.mv t0, a0
  CHECK_EQ(t0, 0x12345678)
  li t3, -5
  c.mv a5, t3
  CHECK_EQ(a5, -5)

  li a0, 0x7fffffffffffffff
  li t4, 1
  c.add a0, t4
  CHECK_EQ(a0, 0x8000000000000000)
  li s5, 40
  li a1, 2
  c.add s5, a1
  CHECK_EQ(s5, 42)

  li s0, 5
  li s1, 7
  c.sub s0, s1
  CHECK_EQ(s0, -2)
  li a0, 0xff00ff00ff00ff00
  li a1, 0x0ff00ff00ff00ff0
  c.xor a0, a1
  CHECK_EQ(a0, 0xf0f0f0f0f0f0f0f0)
  li a2, 0xff00ff00ff00ff00
  c.or a2, a1
  CHECK_EQ(a2, 0xfff0fff0fff0fff0)
  li a3, 0xff00ff00ff00ff00
  c.and a3, a1
  CHECK_EQ(a3, 0x0f000f000f000f00)

  li a4, 0x7fffffff
  li a5, 1
  c.addw a4, a5
  CHECK_EQ(a4, 0xffffffff80000000)
  li a4, 0x100000001
  li a5, 0x200000002
  c.addw a4, a5                /* upper bits ignored */
  CHECK_EQ(a4, 3)
  li a4, 0
  li a5, 1
  c.subw a4, a5
  CHECK_EQ(a4, -1)
  li a4, 0x80000000
  c.subw a4, a5
  CHECK_EQ(a4, 0x7fffffff)

/* ---------------- loads and stores ---------------- */
  la a1, cdata
  c.lw a0, 0(a1)               /* sign-extended */
  CHECK_EQ(a0, 0xffffffff87654321)
  c.lw a0, 124(a1)             /* largest offset */
  CHECK_EQ(a0, 0x7eadbeef)
  c.ld a0, 8(a1)
  CHECK_EQ(a0, 0x0123456789abcdef)
  c.ld s0, 248(a1)             /* largest offset */
  CHECK_EQ(s0, 0xfedcba9876543210)
  li a2, 0x11111111aaaaaaaa
  c.sw a2, 32(a1)              /* stores the low word only */
  ld a0, 32(a1)
  CHECK_EQ(a0, 0x55555555aaaaaaaa)
  li a3, 0x0102030405060708
  c.sd a3, 40(a1)
  ld a0, 40(a1)
  CHECK_EQ(a0, 0x0102030405060708)
  c.fld fa0, 16(a1)
  fmv.x.d a0, fa0
  CHECK_EQ(a0, 0x400921fb54442d18)
  c.fld fs1, 240(a1)
  fmv.x.d a0, fs1
  CHECK_EQ(a0, 0xc000000000000000)
  c.fsd fa0, 48(a1)
  ld a0, 48(a1)
  CHECK_EQ(a0, 0x400921fb54442d18)

  /* stack-pointer-based forms use sp as the base register */
  la sp, spdata
  c.lwsp a0, 0(sp)
  CHECK_EQ(a0, 0xffffffff87654321)
  c.lwsp t0, 252(sp)           /* any rd; largest offset */
  CHECK_EQ(t0, 0x7eadbeef)
  c.ldsp t1, 8(sp)
  CHECK_EQ(t1, 0x0123456789abcdef)
  c.ldsp a0, 504(sp)
  CHECK_EQ(a0, 0xfedcba9876543210)
  li s6, 0x22222222cccccccc
  c.swsp s6, 32(sp)
  ld a0, 32(sp)
  CHECK_EQ(a0, 0x55555555cccccccc)
  li t5, 0x1122334455667788
  c.sdsp t5, 40(sp)
  ld a0, 40(sp)
  CHECK_EQ(a0, 0x1122334455667788)
  c.fldsp ft3, 16(sp)          /* any f register */
  fmv.x.d a0, ft3
  CHECK_EQ(a0, 0x3ff0000000000000)
  c.fsdsp ft3, 496(sp)
  ld a0, 496(sp)
  CHECK_EQ(a0, 0x3ff0000000000000)
  mv sp, s2

/* ---------------- control transfer ---------------- */
  addi TESTNUM, TESTNUM, 1     /* C.J forward */
  c.j 1f
  j fail
1:
  addi TESTNUM, TESTNUM, 1     /* C.J backward */
  li a0, 0
  c.j 3f
2:addi a0, a0, 1
  c.j 4f
3:c.j 2b
4:CHECK_EQ(a0, 1)

  addi TESTNUM, TESTNUM, 1     /* C.BEQZ taken / not taken */
  li s0, 0
  c.beqz s0, 1f
  j fail
1:li s0, 0x100000000           /* nonzero only above bit 31 */
  c.beqz s0, 2f
  j 3f
2:j fail
3:
  addi TESTNUM, TESTNUM, 1     /* C.BNEZ taken / not taken */
  c.bnez s0, 1f
  j fail
1:li a5, 0
  c.bnez a5, 2f
  j 3f
2:j fail
3:
  li a5, 3                     /* C.BNEZ as a loop back-edge */
  li a4, 0
1:addi a4, a4, 1
  c.addi a5, -1
  c.bnez a5, 1b
  CHECK_EQ(a4, 3)

  addi TESTNUM, TESTNUM, 1     /* C.JR */
  la t0, 1f
  c.jr t0
  j fail
1:
  addi TESTNUM, TESTNUM, 1     /* C.JALR links pc+2 */
  la t0, cjalr_target
  c.jalr t0
cjalr_ret:
  j 1f
cjalr_target:
  la t1, cjalr_ret
  bne ra, t1, fail
  c.jr ra                      /* return through the link */
1:
  addi TESTNUM, TESTNUM, 1     /* C.JALR with rs1 = ra: target read before ra is written */
  la ra, 2f
  c.jalr ra
1:j fail
2:la t1, 1b
  bne ra, t1, fail

  c.nop
  li a0, 5
  c.nop
  CHECK_EQ(a0, 5)

/* ---------------- C.EBREAK: breakpoint exception (mcause 3), mepc = its address ---------------- */
  la t0, ebreak_trap
  csrw mtvec, t0
  li s11, 0
cebreak_at:
  c.ebreak
  la t0, trap_unexpected
  csrw mtvec, t0
  CHECK_EQ(s11, 3)
  la t1, cebreak_at
  CHECK_EQ_REG(s10, t1)

/* ---------------- 32-bit instructions at 2-byte-aligned addresses ---------------- */
  .balign 4
  c.nop
  .option push
  .option norvc                /* force 32-bit encodings at pc = 4n+2 */
  addi a0, x0, 123
  lui a1, 0x12345
  .option pop
  CHECK_EQ(a0, 123)
  CHECK_EQ(a1, 0x12345000)

  .balign 4
  c.nop
  .option push
  .option norvc
  jal ra, jal_odd_target       /* 32-bit JAL at 4n+2 links pc+4 = 4n+6 */
jal_odd_ret:
  .option pop
  j 1f
  .balign 4
  c.nop
jal_odd_target:                /* 2-byte-aligned target of a 32-bit jump */
  la t1, jal_odd_ret
  CHECK_EQ_REG(ra, t1)
  ret
1:
  /* a 32-bit instruction that straddles a 4 KiB page boundary */
  j straddle
  .balign 4096
  .skip 4096 - 6
straddle:
  c.li a0, 1                   /* at page offset 0xffa */
  c.addi a0, 1                 /* at 0xffc */
  .option push
  .option norvc
  addi a0, a0, 40              /* at 0xffe: half in each page */
  .option pop
  c.addi a0, 0x1               /* at 0x002 of the next page */
  CHECK_EQ(a0, 43)

  j pass

  .balign 4
ebreak_trap:                   /* record cause and epc, skip the 2-byte c.ebreak */
  csrr s11, mcause
  csrr s10, mepc
  addi t5, s10, 2
  csrw mepc, t5
  mret

TEST_END

  .data
  .balign 16
cdata:                         /* 256 bytes for the CL/CS forms */
  .word 0x87654321, 0           /* 0 */
  .dword 0x0123456789abcdef     /* 8 */
  .dword 0x400921fb54442d18     /* 16: pi */
  .dword 0                      /* 24 */
  .dword 0x5555555555555555     /* 32: c.sw target */
  .dword 0                      /* 40 */
  .dword 0                      /* 48 */
  .skip 120 - 56
  .word 0, 0x7eadbeef           /* 120, 124 */
  .skip 240 - 128
  .dword 0xc000000000000000     /* 240: -2.0 */
  .dword 0xfedcba9876543210     /* 248 */
  .balign 16
spdata:                        /* 512 bytes for the CSS/CI stack forms */
  .word 0x87654321, 0           /* 0 */
  .dword 0x0123456789abcdef     /* 8 */
  .dword 0x3ff0000000000000     /* 16: 1.0 */
  .dword 0                      /* 24 */
  .dword 0x5555555555555555     /* 32 */
  .dword 0                      /* 40 */
  .skip 248 - 48
  .word 0, 0x7eadbeef           /* 248, 252 */
  .skip 496 - 256
  .dword 0                      /* 496 */
  .dword 0xfedcba9876543210     /* 504 */
