/* rv64i.S — self-checking test of every RV64I instruction (plus FENCE.I and PAUSE).
   Spec: unpriv/base.adoc (RV32I), unpriv/rv64.adoc (RV64I), zifencei.adoc, zihintpause.adoc.
   All code is 32-bit encoded (.option norvc) so each mnemonic is the instruction under test.
   Each check bumps TESTNUM (gp); on failure the exit code is the check number. */
#include "test.h"

  .option norelax       /* gp holds TESTNUM: never let the linker relax to gp-relative */
  .option norvc

/* Branch checks: TAKEN fails unless the branch goes; NOT fails if it goes. */
#define TEST_BR_TAKEN(inst, v1, v2) \
  addi TESTNUM, TESTNUM, 1; li a1, v1; li a2, v2; inst a1, a2, 1f; j fail; 1:
#define TEST_BR_NOT(inst, v1, v2) \
  addi TESTNUM, TESTNUM, 1; li a1, v1; li a2, v2; inst a1, a2, 1f; j 2f; 1: j fail; 2:
/* Load `inst a0, off(a1)` with a1 = base symbol + bias */
#define TEST_LD(inst, base, bias, off, expect) \
  la a1, base + (bias); inst a0, off(a1); CHECK_EQ(a0, expect)

TEST_BEGIN

/* ---------------- LUI / AUIPC (base.adoc "Integer Register-Immediate Instructions";
   rv64.adoc: LUI/AUIPC results are sign-extended from 32 bits) ---------------- */
  lui a0, 0x12345
  CHECK_EQ(a0, 0x12345000)
  lui a0, 0x7ffff
  CHECK_EQ(a0, 0x7ffff000)
  lui a0, 0x80000
  CHECK_EQ(a0, 0xffffffff80000000)
  lui a0, 0xfffff
  CHECK_EQ(a0, 0xfffffffffffff000)
  li a0, -1
  lui a0, 0
  CHECK_EQ(a0, 0)

  /* AUIPC: rd = pc + sext(imm << 12); compare with the link-time absolute address */
auipc_0:
  auipc a0, 0
  la a1, abs_auipc_0
  ld a1, 0(a1)
  CHECK_EQ_REG(a0, a1)
auipc_1:
  auipc a0, 1
  la a1, abs_auipc_1
  ld a1, 0(a1)
  li t0, 0x1000
  add a1, a1, t0
  CHECK_EQ_REG(a0, a1)
auipc_m1:
  auipc a0, 0xfffff           /* pc - 0x1000 */
  la a1, abs_auipc_m1
  ld a1, 0(a1)
  li t0, -0x1000
  add a1, a1, t0
  CHECK_EQ_REG(a0, a1)
auipc_big:
  auipc a0, 0x80000           /* pc + 0xffffffff80000000 = pc - 2^31 */
  la a1, abs_auipc_big
  ld a1, 0(a1)
  li t0, 0x80000000
  sub a1, a1, t0
  CHECK_EQ_REG(a0, a1)

/* ---------------- JAL / JALR (base.adoc "Unconditional Jumps") ---------------- */
  addi TESTNUM, TESTNUM, 1
  jal ra, jal_fwd              /* forward: link = pc + 4 */
jal_ret:
  j fail
jal_fwd:
  la t0, jal_ret
  bne ra, t0, fail

  addi TESTNUM, TESTNUM, 1
  j jal_skip
jal_back:                      /* backward target */
  la t0, jal_back_ret
  bne ra, t0, fail
  j jal_done
jal_skip:
  jal ra, jal_back
jal_back_ret:
  j fail
jal_done:

  addi TESTNUM, TESTNUM, 1     /* jal x0 links nothing */
  li ra, 0
  jal x0, 1f
  j fail
1:bnez ra, fail
  CHECK_EQ(x0, 0)

  addi TESTNUM, TESTNUM, 1     /* jalr rd, 0(rs1) */
  la t0, jalr_t1
  jalr ra, 0(t0)
jalr_r1:
  j fail
jalr_t1:
  la t1, jalr_r1
  bne ra, t1, fail

  addi TESTNUM, TESTNUM, 1     /* target = (rs1 + imm) & ~1: low bit cleared */
  la t0, jalr_t2
  addi t0, t0, 1
  jalr ra, 0(t0)
jalr_r2:
  j fail
jalr_t2:
  la t1, jalr_r2
  bne ra, t1, fail

  addi TESTNUM, TESTNUM, 1     /* odd immediate, low bit cleared after the add */
  la t0, jalr_t3
  jalr ra, 1(t0)
  j fail
jalr_t3:

  addi TESTNUM, TESTNUM, 1     /* negative immediate */
  la t0, jalr_t4 + 12
  jalr ra, -12(t0)
  j fail
jalr_t4:

  addi TESTNUM, TESTNUM, 1     /* rd == rs1: target uses the old rs1, then rd = link */
  la t0, jalr_t5
  jalr t0, 0(t0)
jalr_r5:
  j fail
jalr_t5:
  la t1, jalr_r5
  bne t0, t1, fail

  addi TESTNUM, TESTNUM, 1     /* jalr x0 (ret) writes nothing */
  la t0, jalr_t6
  jalr x0, 0(t0)
  j fail
jalr_t6:
  CHECK_EQ(x0, 0)

/* ---------------- Branches (base.adoc "Conditional Branches") ---------------- */
  TEST_BR_TAKEN(beq, 0, 0)
  TEST_BR_TAKEN(beq, -1, -1)
  TEST_BR_NOT(beq, 1, 0)
  TEST_BR_NOT(beq, 0x100000000, 0)        /* all 64 bits compared */
  TEST_BR_TAKEN(bne, 0x100000000, 0)
  TEST_BR_TAKEN(bne, 1, -1)
  TEST_BR_NOT(bne, 5, 5)
  TEST_BR_TAKEN(blt, -1, 1)
  TEST_BR_TAKEN(blt, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR_NOT(blt, 1, -1)
  TEST_BR_NOT(blt, 3, 3)                  /* equal: not less */
  TEST_BR_TAKEN(bge, 1, -1)
  TEST_BR_TAKEN(bge, 3, 3)                /* equal: taken */
  TEST_BR_TAKEN(bge, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR_NOT(bge, -2, -1)
  TEST_BR_TAKEN(bltu, 1, -1)              /* -1 is the largest unsigned */
  TEST_BR_TAKEN(bltu, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR_NOT(bltu, -1, 1)
  TEST_BR_NOT(bltu, 7, 7)
  TEST_BR_TAKEN(bgeu, -1, 1)
  TEST_BR_TAKEN(bgeu, 7, 7)
  TEST_BR_TAKEN(bgeu, 0, 0)
  TEST_BR_NOT(bgeu, 1, -1)
  TEST_BR_NOT(bgeu, 0x7fffffffffffffff, 0x8000000000000000)

  /* backward conditional branch: a counted loop runs exactly 5 times */
  li a0, 0
  li a1, 5
1:addi a0, a0, 1
  blt a0, a1, 1b
  CHECK_EQ(a0, 5)

/* ---------------- Loads (base.adoc "Load and Store Instructions", rv64.adoc:
   LW sign-extends, LWU zero-extends, LD loads 64 bits) ---------------- */
  TEST_LD(lb,  ld_data, 0, 0, 0xffffffffffffff81)
  TEST_LD(lb,  ld_data, 0, 1, 0x02)
  TEST_LD(lbu, ld_data, 0, 0, 0x81)
  TEST_LD(lbu, ld_data, 0, 7, 0x88)
  TEST_LD(lh,  ld_data, 0, 2, 0xffffffffffff8483)
  TEST_LD(lh,  ld_data, 0, 0, 0x0281)
  TEST_LD(lhu, ld_data, 0, 2, 0x8483)
  TEST_LD(lhu, ld_data, 0, 6, 0x8807)
  TEST_LD(lw,  ld_data, 0, 4, 0xffffffff88070605)
  TEST_LD(lw,  ld_data, 0, 12, 0x01234567)
  TEST_LD(lwu, ld_data, 0, 4, 0x88070605)
  TEST_LD(lwu, ld_data, 0, 8, 0x89abcdef)
  TEST_LD(ld,  ld_data, 0, 0, 0x8807060584830281)
  TEST_LD(ld,  ld_data, 0, 8, 0x0123456789abcdef)
  /* negative offsets from a base past the data */
  TEST_LD(lb,  ld_data, 16, -16, 0xffffffffffffff81)
  TEST_LD(lbu, ld_data, 16, -1, 0x01)
  TEST_LD(lh,  ld_data, 16, -14, 0xffffffffffff8483)
  TEST_LD(lhu, ld_data, 16, -2, 0x0123)
  TEST_LD(lw,  ld_data, 16, -12, 0xffffffff88070605)
  TEST_LD(lwu, ld_data, 16, -8, 0x89abcdef)
  TEST_LD(ld,  ld_data, 24, -8, 0xfedcba9876543210)
  TEST_LD(ld,  ld_data, 2048, -2048, 0x8807060584830281)  /* most negative offset */
  /* rd == rs1 */
  la a1, ld_data
  ld a1, 8(a1)
  CHECK_EQ(a1, 0x0123456789abcdef)
  /* a load into x0 is performed but the value is discarded */
  la a1, ld_data
  ld x0, 0(a1)
  CHECK_EQ(x0, 0)

/* ---------------- Stores: only the addressed bytes change ---------------- */
  la s0, st_data
  li t0, -1
  sd t0, 0(s0)
  sd t0, 8(s0)
  sd t0, 16(s0)
  sd zero, 24(s0)
  li t1, 0x1122334455667712     /* SB stores the low byte */
  sb t1, 1(s0)
  ld a0, 0(s0)
  CHECK_EQ(a0, 0xffffffffffff12ff)
  li t1, 0x112233445566abcd     /* SH */
  sh t1, 6(s0)
  ld a0, 0(s0)
  CHECK_EQ(a0, 0xabcdffffffff12ff)
  li t1, 0x1122334487654321     /* SW */
  sw t1, 12(s0)
  ld a0, 8(s0)
  CHECK_EQ(a0, 0x87654321ffffffff)
  li t1, 0x0102030405060708     /* SD */
  sd t1, 16(s0)
  ld a0, 16(s0)
  CHECK_EQ(a0, 0x0102030405060708)
  ld a0, 24(s0)                 /* the neighbour is untouched */
  CHECK_EQ(a0, 0)
  addi s1, s0, 32               /* negative offsets */
  li t1, 0xaa
  sb t1, -1(s1)
  li t1, 0xbbcc
  sh t1, -4(s1)
  ld a0, 24(s0)
  CHECK_EQ(a0, 0xaa00bbcc00000000)
  li t1, 0xdeadbeef
  sw t1, -8(s1)
  ld a0, 24(s0)
  CHECK_EQ(a0, 0xaa00bbccdeadbeef)
  li t1, 0x5a5a5a5a5a5a5a5a
  sd t1, -32(s1)
  ld a0, 0(s0)
  CHECK_EQ(a0, 0x5a5a5a5a5a5a5a5a)
  lbu a0, 31(s0)                /* store then load back through another width */
  CHECK_EQ(a0, 0xaa)
  lh a0, 28(s0)
  CHECK_EQ(a0, 0xffffffffffffbbcc)

/* ---------------- Register-immediate ALU ---------------- */
  TEST_RI(addi, 0, 0, 0)
  TEST_RI(addi, 1, -1, 0)
  TEST_RI(addi, 0, -2048, 0xfffffffffffff800)
  TEST_RI(addi, 0, 2047, 0x7ff)
  TEST_RI(addi, 0x7fffffffffffffff, 1, 0x8000000000000000)  /* wraps, no trap */
  TEST_RI(addi, 0x00000000ffffffff, 1, 0x100000000)          /* carries into bit 32 */
  TEST_RI(slti, -1, 0, 1)
  TEST_RI(slti, 0, -1, 0)
  TEST_RI(slti, 0x8000000000000000, -2048, 1)
  TEST_RI(slti, 0x7ff, 2047, 0)
  TEST_RI(slti, 0x7fe, 2047, 1)
  /* SLTIU: the immediate is sign-extended, then compared unsigned */
  TEST_RI(sltiu, 0, 1, 1)                      /* seqz */
  TEST_RI(sltiu, 1, 1, 0)
  TEST_RI(sltiu, 5, -1, 1)                     /* imm = 0xffff...ffff */
  TEST_RI(sltiu, -1, -1, 0)
  TEST_RI(sltiu, 0xfffffffffffff800, -2048, 0)
  TEST_RI(sltiu, 0xfffffffffffff7ff, -2048, 1)
  TEST_RI(xori, 0x00ff00ff00ff00ff, -1, 0xff00ff00ff00ff00)   /* not */
  TEST_RI(xori, 0x0f0f, 0x0ff, 0x0ff0)
  TEST_RI(xori, 0, -2048, 0xfffffffffffff800)
  TEST_RI(ori, 0, -2048, 0xfffffffffffff800)
  TEST_RI(ori, 0x1234000000000000, 0x0f0, 0x12340000000000f0)
  TEST_RI(andi, -1, 0x7ff, 0x7ff)
  TEST_RI(andi, 0x123456789abcdef0, -16, 0x123456789abcdef0)
  TEST_RI(andi, 0x123456789abcdeff, -16, 0x123456789abcdef0)
  TEST_RI(andi, 0x8000000000000fff, -2048, 0x8000000000000800)
  /* shifts by 0, 31, 32, 63 (rv64.adoc: shamt is 6 bits) */
  TEST_RI(slli, 0x123456789abcdef0, 0, 0x123456789abcdef0)
  TEST_RI(slli, 1, 31, 0x80000000)
  TEST_RI(slli, -1, 32, 0xffffffff00000000)
  TEST_RI(slli, 3, 63, 0x8000000000000000)
  TEST_RI(srli, -1, 0, -1)
  TEST_RI(srli, -1, 31, 0x1ffffffff)
  TEST_RI(srli, -1, 32, 0xffffffff)
  TEST_RI(srli, 0x8000000000000000, 63, 1)
  TEST_RI(srai, 0x8000000000000000, 0, 0x8000000000000000)
  TEST_RI(srai, 0x8000000000000000, 31, 0xffffffff00000000)
  TEST_RI(srai, 0x8000000000000000, 32, 0xffffffff80000000)
  TEST_RI(srai, 0x8000000000000000, 63, -1)
  TEST_RI(srai, 0x7fffffffffffffff, 63, 0)
  TEST_RI(srai, 0x7fffffffffffffff, 32, 0x7fffffff)
  /* *W immediate forms: operate on the low 32 bits, sign-extend the 32-bit result */
  TEST_RI(addiw, 0x7fffffff, 1, 0xffffffff80000000)
  TEST_RI(addiw, 0x123456789abcdef0, 0, 0xffffffff9abcdef0)   /* sext.w */
  TEST_RI(addiw, 0xffffffff00000001, 1, 2)                    /* upper bits ignored */
  TEST_RI(addiw, 0, -2048, 0xfffffffffffff800)
  TEST_RI(addiw, 0xffffffff, 1, 0)
  TEST_RI(slliw, 0xffffffff00000001, 0, 1)
  TEST_RI(slliw, 1, 31, 0xffffffff80000000)
  TEST_RI(slliw, 0x12345678, 4, 0x23456780)
  TEST_RI(srliw, 0x80000000, 0, 0xffffffff80000000)
  TEST_RI(srliw, 0xffffffff80000000, 31, 1)
  TEST_RI(srliw, 0x12345678ffffffff, 4, 0x0fffffff)
  TEST_RI(sraiw, 0x80000000, 31, -1)
  TEST_RI(sraiw, 0x1234567880000000, 4, 0xfffffffff8000000)
  TEST_RI(sraiw, 0xffffffff7fffffff, 31, 0)
  TEST_RI(sraiw, 0xffffffff7fffffff, 0, 0x7fffffff)

/* ---------------- Register-register ALU ---------------- */
  TEST_RR(add, 1, 2, 3)
  TEST_RR(add, -1, 1, 0)
  TEST_RR(add, 0x7fffffffffffffff, 1, 0x8000000000000000)
  TEST_RR(add, 0xffffffff, 1, 0x100000000)
  TEST_RR(sub, 0, 1, -1)
  TEST_RR(sub, 0x8000000000000000, 1, 0x7fffffffffffffff)
  TEST_RR(sub, 0x100000000, 1, 0xffffffff)
  TEST_RR(sll, 1, 63, 0x8000000000000000)
  TEST_RR(sll, 1, 64, 1)                        /* only rs2[5:0] counts */
  TEST_RR(sll, 1, 0xffffffffffffffc1, 2)
  TEST_RR(sll, 0x123456789abcdef0, 32, 0x9abcdef000000000)
  TEST_RR(srl, 0x8000000000000000, 63, 1)
  TEST_RR(srl, -1, 32, 0xffffffff)
  TEST_RR(srl, -1, 64, -1)
  TEST_RR(srl, -1, 0x41, 0x7fffffffffffffff)
  TEST_RR(sra, 0x8000000000000000, 63, -1)
  TEST_RR(sra, 0x8000000000000000, 31, 0xffffffff00000000)
  TEST_RR(sra, 0x8000000000000000, 0xc0, 0x8000000000000000)
  TEST_RR(sra, 0x4000000000000000, 62, 1)
  TEST_RR(slt, -1, 1, 1)
  TEST_RR(slt, 1, -1, 0)
  TEST_RR(slt, 0x8000000000000000, 0x7fffffffffffffff, 1)
  TEST_RR(slt, 5, 5, 0)
  TEST_RR(sltu, -1, 1, 0)
  TEST_RR(sltu, 1, -1, 1)
  TEST_RR(sltu, 0x8000000000000000, 0x7fffffffffffffff, 0)
  TEST_RR(sltu, 5, 5, 0)
  li a2, 7                                      /* snez = sltu rd, x0, rs */
  sltu a0, x0, a2
  CHECK_EQ(a0, 1)
  sltu a0, x0, x0
  CHECK_EQ(a0, 0)
  TEST_RR(xor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
  TEST_RR(or,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0)
  TEST_RR(and, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00)
  /* *W register forms: shift amount is rs2[4:0] */
  TEST_RR(addw, 0x7fffffff, 1, 0xffffffff80000000)
  TEST_RR(addw, 0x100000001, 0x200000002, 3)
  TEST_RR(addw, 0xffffffff, 1, 0)
  TEST_RR(subw, 0, 1, -1)
  TEST_RR(subw, 0x80000000, 1, 0x7fffffff)
  TEST_RR(subw, 0x7fffffff, -1, 0xffffffff80000000)
  TEST_RR(sllw, 1, 31, 0xffffffff80000000)
  TEST_RR(sllw, 1, 32, 1)
  TEST_RR(sllw, 1, 33, 2)
  TEST_RR(sllw, 0xffffffff12345678, 0, 0x12345678)
  TEST_RR(srlw, 0xffffffff80000000, 31, 1)
  TEST_RR(srlw, 0x80000000, 0, 0xffffffff80000000)
  TEST_RR(srlw, 0x80000000, 32, 0xffffffff80000000)
  TEST_RR(srlw, 0x12345678ffffffff, 36, 0x0fffffff)
  TEST_RR(sraw, 0x80000000, 31, -1)
  TEST_RR(sraw, 0x80000000, 63, -1)
  TEST_RR(sraw, 0xffffffff7fffffff, 1, 0x3fffffff)
  TEST_RR(sraw, 0x0000000180000000, 0, 0xffffffff80000000)

  /* source and destination registers may coincide */
  li a0, 21
  add a0, a0, a0
  CHECK_EQ(a0, 42)
  li a0, 5
  sub a0, a0, a0
  CHECK_EQ(a0, 0)

/* ---------------- x0 is hardwired to zero: writes are discarded ---------------- */
  li a1, 123
  addi x0, x0, 5
  CHECK_EQ(x0, 0)
  lui x0, 0x12345
  CHECK_EQ(x0, 0)
  auipc x0, 0x12345
  CHECK_EQ(x0, 0)
  add x0, a1, a1
  CHECK_EQ(x0, 0)
  slli x0, a1, 3
  add a0, x0, x0
  CHECK_EQ(a0, 0)

/* ---------------- FENCE variants: ordering only, no architectural effect ---------------- */
  li a0, 77
  fence
  fence rw, rw
  fence r, r
  fence w, w
  fence io, io
  fence iorw, iorw
  fence.tso
  CHECK_EQ(a0, 77)

/* ---------------- PAUSE hint (zihintpause.adoc): FENCE pred=W succ=0; a no-op ---------------- */
  .option push
  .option arch, +zihintpause
  li a0, 99
  pause
  pause
  .option pop
  CHECK_EQ(a0, 99)

/* ---------------- FENCE.I: self-modifying code (zifencei.adoc) ----------------
   1) a function is called, then its first instruction is rewritten, FENCE.I, called again.
   2) inline: the instruction right after the FENCE.I is rewritten each loop iteration
      (the new code must be fetched even though the old one just ran). */
  jal ra, smc_func
  CHECK_EQ(a0, 1)
  la t0, smc_func
  li t1, 0x00200513             /* addi a0, x0, 2 */
  sw t1, 0(t0)
  fence.i
  jal ra, smc_func
  CHECK_EQ(a0, 2)
  li t1, 0x7ff00513             /* addi a0, x0, 2047 */
  sw t1, 0(t0)
  fence.i
  jal ra, smc_func
  CHECK_EQ(a0, 2047)

  li s2, 0
smc_loop:
  addi t1, s2, 10
  slli t1, t1, 20
  li t2, 0x00000513             /* addi a0, x0, s2 + 10 */
  or t1, t1, t2
  la t0, smc_inline
  sw t1, 0(t0)
  fence.i
smc_inline:
  addi a0, x0, 0
  addi t2, s2, 10
  CHECK_EQ_REG(a0, t2)
  addi s2, s2, 1
  li t2, 3
  blt s2, t2, smc_loop

  j pass

  .balign 4
smc_func:
  addi a0, x0, 1
  ret

TEST_END

  .data
  .balign 16
ld_data:                        /* bytes 81 02 83 84 05 06 07 88 | ef cd ab 89 67 45 23 01 */
  .dword 0x8807060584830281
  .dword 0x0123456789abcdef
  .dword 0xfedcba9876543210
st_data:
  .zero 32
abs_auipc_0:   .dword auipc_0   /* absolute link-time addresses */
abs_auipc_1:   .dword auipc_1
abs_auipc_m1:  .dword auipc_m1
abs_auipc_big: .dword auipc_big
