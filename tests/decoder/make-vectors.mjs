#!/usr/bin/env node
// Regenerates tests/decoder/vectors.json: decoder test vectors assembled by the real GNU
// assembler. Run from the repository root:  node tests/decoder/make-vectors.mjs
//
// 1. Builds a listing: a hand-written part that names every operation of the Op enum (boundary
//    immediates, every compressed form paired with its 32-bit expansion, accepted HINTs) plus
//    seeded random operand instances of every form.
// 2. Assembles it with riscv64-unknown-elf-as -march=rv64gch_zihintpause (norelax; 32-bit lines
//    under `.option norvc` so nothing is compressed behind our back) and reads the encodings back
//    with riscv64-unknown-elf-objdump -d -M no-aliases,numeric.
// 3. Expected fields come from the listing text (asm-fields.mjs), never from the decoder.
//    A compressed line "c.x ... => expansion" records both encodings; its expected fields are
//    those of the expansion with the compressed flag set.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { fieldsFromAsm, splitAsm } from "./asm-fields.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const AS = "riscv64-unknown-elf-as", OBJDUMP = "riscv64-unknown-elf-objdump";
const MARCH = "rv64gch_zihintpause";

// ---- hand-written listing: every Op, boundaries, HINTs ----
const FIXED = String.raw`
lui a0, 0x12345
lui zero, 1
lui t6, 0xfffff
lui s1, 0x80000
auipc ra, 0
auipc t0, 0xfffff
auipc zero, 0x7ffff
jal ra, .+2048
jal zero, .-1048576
jal t1, .+1048574
jal ra, .+0
jalr ra, 0(a0)
jalr zero, -2048(t0)
jalr s2, 2047(sp)
beq a0, a1, .+16
bne zero, t6, .-4096
blt s0, s1, .+4094
bge t0, zero, .-2
bltu a5, a4, .+2
bgeu x31, x1, .-4094
lb a0, 0(a1)
lh zero, -1(sp)
lw t2, 2047(gp)
ld s11, -2048(tp)
lbu a7, 5(a6)
lhu ra, -6(x31)
lwu s3, 100(s4)
sb a0, -2048(a1)
sh zero, 2047(zero)
sw t6, -1(sp)
sd ra, 8(sp)
addi a0, a1, -2048
addi zero, zero, 0
addi zero, a0, 5
addi sp, sp, 2047
slti t0, t1, -1
sltiu a0, a0, 1
xori a1, a2, -1
ori zero, t0, 0x7ff
andi s5, s6, -2048
slli a0, a1, 63
slli zero, zero, 31
srli t0, t1, 0
srli a0, a0, 32
srai a0, a1, 63
srai zero, zero, 7
add a0, a1, a2
add zero, zero, t0
sub t6, t5, t4
sll s0, s1, s2
slt a0, zero, a1
sltu ra, sp, gp
xor tp, t0, t1
srl a3, a4, a5
sra a6, a7, s2
or zero, zero, zero
and s10, s11, t3
addiw a0, a0, 0
addiw zero, t1, -2048
slliw a0, a1, 31
srliw t0, t1, 0
sraiw s0, s1, 17
addw a0, a1, a2
subw zero, t0, t1
sllw a0, a1, a2
srlw a3, a4, a5
sraw a6, a7, s2
fence
fence rw, w
fence iorw, o
fence i, r
fence.tso
pause
fence.i
ecall
ebreak
mul a0, a1, a2
mulh zero, t0, t1
mulhsu s1, s2, s3
mulhu t6, t5, t4
div a0, a0, a1
divu a2, a3, a4
rem a5, a6, a7
remu s4, s5, s6
mulw a0, a1, a2
divw t0, t1, t2
divuw s7, s8, s9
remw ra, sp, gp
remuw x31, x30, x29
lr.w a0, (a1)
lr.w.aqrl zero, (sp)
sc.w a0, a1, (a2)
sc.w.rl t0, t1, (t2)
amoswap.w a0, a1, (a2)
amoadd.w.aq a0, a1, (a2)
amoxor.w.rl zero, a1, (a2)
amoand.w.aqrl s0, s1, (s2)
amoor.w t3, t4, (t5)
amomin.w a0, zero, (a2)
amomax.w a0, a1, (zero)
amominu.w a3, a4, (a5)
amomaxu.w.aq a6, a7, (sp)
lr.d a0, (a1)
lr.d.aq t0, (t1)
sc.d a0, a1, (a2)
sc.d.aqrl zero, a1, (a2)
amoswap.d.aqrl a0, a1, (a2)
amoadd.d a0, a1, (a2)
amoxor.d a0, a1, (a2)
amoand.d.rl a0, a1, (a2)
amoor.d.aq a0, a1, (a2)
amomin.d s0, s1, (s2)
amomax.d t0, t1, (t2)
amominu.d ra, gp, (tp)
amomaxu.d x31, x30, (x29)
csrrw a0, 0x300, a1
csrrw zero, 0x340, t0
csrrs a0, 0xfff, zero
csrrc t0, 0xc00, t1
csrrwi a0, 0x305, 31
csrrsi zero, 0x7c0, 0
csrrci s0, 0x180, 17
mret
sret
wfi
sfence.vma
sfence.vma a0
sfence.vma zero, a1
sfence.vma t0, t1
flw fa0, -4(a1)
flw ft0, 2047(sp)
fsw fs11, -2048(t0)
fsw f31, 0(zero)
fmadd.s fa0, fa1, fa2, fa3
fmsub.s ft0, ft1, ft2, ft3, rne
fnmsub.s f31, f30, f29, f28, rtz
fnmadd.s f0, f1, f2, f3, rmm
fadd.s fa0, fa1, fa2, rdn
fsub.s ft0, ft1, ft2, rup
fmul.s fs0, fs1, fs2
fdiv.s f31, f0, f15, dyn
fsqrt.s fa5, fa6
fsqrt.s f0, f31, rtz
fsgnj.s fa0, fa1, fa2
fsgnjn.s ft0, ft0, ft0
fsgnjx.s f31, f30, f29
fmin.s fa0, fa1, fa2
fmax.s fs0, fs1, fs2
fcvt.w.s a0, fa0, rtz
fcvt.w.s zero, ft0
fcvt.wu.s t0, fs1, rne
fcvt.l.s s0, f31
fcvt.lu.s ra, fa7, rmm
fmv.x.w a0, fa0
fmv.x.w zero, f31
feq.s a0, fa0, fa1
flt.s zero, ft0, ft1
fle.s t6, f31, f30
fclass.s a1, fa2
fcvt.s.w fa0, a0
fcvt.s.wu ft1, zero, rtz
fcvt.s.l f31, t6, rup
fcvt.s.lu fs0, s0
fmv.w.x fa0, a0
fmv.w.x f0, zero
fld fa0, 8(sp)
fld f31, -2048(t6)
fsd ft0, 2047(a0)
fsd fs0, -8(s0)
fmadd.d fa0, fa1, fa2, fa3, rmm
fmsub.d ft0, ft1, ft2, ft3
fnmsub.d f31, f30, f29, f28, rdn
fnmadd.d f0, f1, f2, f3, rup
fadd.d fa0, fa1, fa2
fsub.d ft0, ft1, ft2, rtz
fmul.d fs0, fs1, fs2, rne
fdiv.d f31, f0, f15
fsqrt.d fa5, fa6, rmm
fsgnj.d fa0, fa1, fa2
fsgnjn.d ft0, ft1, ft2
fsgnjx.d f0, f31, f1
fmin.d fa0, fa1, fa2
fmax.d fs0, fs1, fs2
fcvt.s.d fa0, fa1
fcvt.s.d ft0, f31, rtz
fcvt.d.s fa0, fa1
fcvt.w.d a0, fa0, rtz
fcvt.wu.d zero, fs1
fcvt.l.d s0, f31, rdn
fcvt.lu.d ra, fa7
fmv.x.d a0, ft11
feq.d a0, fa0, fa1
flt.d t0, ft0, ft1
fle.d zero, f31, f30
fclass.d zero, fs11
fcvt.d.w fa0, a0
fcvt.d.wu ft1, zero
fcvt.d.l f31, t6, rup
fcvt.d.lu fs0, s0, rtz
fmv.d.x fa0, a0
hfence.vvma
hfence.vvma a0, a1
hfence.gvma
hfence.gvma zero, t0
hlv.b a0, (a1)
hlv.bu zero, (sp)
hlv.h t0, (t1)
hlv.hu s0, (s1)
hlvx.hu a2, (a3)
hlv.w t6, (t5)
hlvx.wu ra, (gp)
hlv.wu a4, (a5)
hlv.d s11, (s10)
hsv.b a0, (a1)
hsv.h zero, (sp)
hsv.w t0, (t1)
hsv.d s0, (s1)
c.addi4spn a0, sp, 4 => addi a0, sp, 4
c.addi4spn s0, sp, 1020 => addi s0, sp, 1020
c.addi4spn a5, sp, 528 => addi a5, sp, 528
c.fld fa0, 0(s0) => fld fa0, 0(s0)
c.fld fs1, 248(a5) => fld fs1, 248(a5)
c.lw a0, 0(a1) => lw a0, 0(a1)
c.lw s0, 124(a5) => lw s0, 124(a5)
c.lw a2, 68(s1) => lw a2, 68(s1)
c.ld a0, 248(a1) => ld a0, 248(a1)
c.ld s1, 136(a4) => ld s1, 136(a4)
c.fsd fa5, 8(a0) => fsd fa5, 8(a0)
c.fsd fs0, 248(s1) => fsd fs0, 248(s1)
c.sw a0, 4(a1) => sw a0, 4(a1)
c.sw s1, 124(a5) => sw s1, 124(a5)
c.sd a3, 248(s0) => sd a3, 248(s0)
c.sd a4, 0(a4) => sd a4, 0(a4)
c.nop => addi zero, zero, 0
c.nop 5 => addi zero, zero, 5
c.nop -32 => addi zero, zero, -32
c.addi a0, 1 => addi a0, a0, 1
c.addi sp, -32 => addi sp, sp, -32
c.addi t6, 31 => addi t6, t6, 31
c.addiw a0, 0 => addiw a0, a0, 0
c.addiw s0, -32 => addiw s0, s0, -32
c.addiw t6, 31 => addiw t6, t6, 31
c.li a0, 0 => addi a0, zero, 0
c.li t0, -32 => addi t0, zero, -32
c.li zero, 5 => addi zero, zero, 5
c.addi16sp sp, -512 => addi sp, sp, -512
c.addi16sp sp, 496 => addi sp, sp, 496
c.addi16sp sp, 16 => addi sp, sp, 16
c.addi16sp sp, 352 => addi sp, sp, 352
c.lui a0, 1 => lui a0, 1
c.lui ra, 0x1f => lui ra, 0x1f
c.lui t6, 0xfffe0 => lui t6, 0xfffe0
c.lui s0, 0xfffff => lui s0, 0xfffff
c.srli s0, 1 => srli s0, s0, 1
c.srli a5, 63 => srli a5, a5, 63
c.srli a0, 32 => srli a0, a0, 32
c.srli64 s1 => srli s1, s1, 0
c.srai s0, 1 => srai s0, s0, 1
c.srai a5, 63 => srai a5, a5, 63
c.srai64 a2 => srai a2, a2, 0
c.andi s0, 0 => andi s0, s0, 0
c.andi a5, -32 => andi a5, a5, -32
c.andi a1, 31 => andi a1, a1, 31
c.sub s0, s1 => sub s0, s0, s1
c.sub a5, a0 => sub a5, a5, a0
c.xor a1, a2 => xor a1, a1, a2
c.or a3, a4 => or a3, a3, a4
c.and s0, a5 => and s0, s0, a5
c.subw a0, a1 => subw a0, a0, a1
c.addw s1, a5 => addw s1, s1, a5
c.j .+2046 => jal zero, .+2046
c.j .-2048 => jal zero, .-2048
c.j .+0 => jal zero, .+0
c.j .+1234 => jal zero, .+1234
c.j .-682 => jal zero, .-682
c.beqz s0, .-256 => beq s0, zero, .-256
c.beqz a5, .+254 => beq a5, zero, .+254
c.bnez a0, .+170 => bne a0, zero, .+170
c.bnez s1, .-86 => bne s1, zero, .-86
c.slli a0, 1 => slli a0, a0, 1
c.slli t6, 63 => slli t6, t6, 63
c.slli zero, 3 => slli zero, zero, 3
c.slli64 a0 => slli a0, a0, 0
c.fldsp fa0, 0(sp) => fld fa0, 0(sp)
c.fldsp f0, 504(sp) => fld f0, 504(sp)
c.fldsp f31, 328(sp) => fld f31, 328(sp)
c.lwsp a0, 0(sp) => lw a0, 0(sp)
c.lwsp ra, 252(sp) => lw ra, 252(sp)
c.lwsp t6, 164(sp) => lw t6, 164(sp)
c.ldsp a0, 504(sp) => ld a0, 504(sp)
c.ldsp sp, 0(sp) => ld sp, 0(sp)
c.ldsp s11, 296(sp) => ld s11, 296(sp)
c.jr ra => jalr zero, 0(ra)
c.jr t6 => jalr zero, 0(t6)
c.mv a0, a1 => add a0, zero, a1
c.mv zero, a0 => add zero, zero, a0
c.mv t6, sp => add t6, zero, sp
c.ebreak => ebreak
c.jalr a0 => jalr ra, 0(a0)
c.jalr ra => jalr ra, 0(ra)
c.add a0, a1 => add a0, a0, a1
c.add zero, a0 => add zero, zero, a0
c.add sp, t6 => add sp, sp, t6
c.fsdsp fa0, 504(sp) => fsd fa0, 504(sp)
c.fsdsp f31, 0(sp) => fsd f31, 0(sp)
c.swsp a0, 252(sp) => sw a0, 252(sp)
c.swsp zero, 0(sp) => sw zero, 0(sp)
c.sdsp ra, 504(sp) => sd ra, 504(sp)
c.sdsp t6, 8(sp) => sd t6, 8(sp)
`;

// ---- seeded random instances of every 32-bit form and every compressed form ----
let seed = 0x5eed1234;
function rnd() { // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (a) => a[ri(0, a.length - 1)];
const X = () => `x${ri(0, 31)}`, F = () => `f${ri(0, 31)}`;
const Xnz = () => `x${ri(1, 31)}`, Xp = () => `x${ri(8, 15)}`, Fp = () => `f${ri(8, 15)}`;
const tgt = (v) => (v < 0 ? `.${v}` : `.+${v}`);

function random32() {
  const out = [];
  const RMS = ["", ", rne", ", rtz", ", rdn", ", rup", ", rmm", ", dyn"];
  const FENCES = ["i", "o", "r", "w", "io", "rw", "iorw", "ow", "ir"];
  const AQ = ["", ".aq", ".rl", ".aqrl"];
  for (let n = 0; n < 3; n++) {
    for (const m of ["lui", "auipc"]) out.push(`${m} ${X()}, ${ri(0, 0xfffff)}`);
    out.push(`jal ${X()}, ${tgt(2 * ri(-524288, 524287))}`);
    out.push(`jalr ${X()}, ${ri(-2048, 2047)}(${X()})`);
    for (const m of ["beq", "bne", "blt", "bge", "bltu", "bgeu"]) out.push(`${m} ${X()}, ${X()}, ${tgt(2 * ri(-2048, 2047))}`);
    for (const m of ["lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"]) out.push(`${m} ${X()}, ${ri(-2048, 2047)}(${X()})`);
    for (const m of ["sb", "sh", "sw", "sd"]) out.push(`${m} ${X()}, ${ri(-2048, 2047)}(${X()})`);
    for (const m of ["flw", "fld"]) out.push(`${m} ${F()}, ${ri(-2048, 2047)}(${X()})`);
    for (const m of ["fsw", "fsd"]) out.push(`${m} ${F()}, ${ri(-2048, 2047)}(${X()})`);
    for (const m of ["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"]) out.push(`${m} ${X()}, ${X()}, ${ri(-2048, 2047)}`);
    for (const m of ["slli", "srli", "srai"]) out.push(`${m} ${X()}, ${X()}, ${ri(0, 63)}`);
    for (const m of ["slliw", "srliw", "sraiw"]) out.push(`${m} ${X()}, ${X()}, ${ri(0, 31)}`);
    for (const m of ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw", "subw", "sllw", "srlw", "sraw",
      "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw", "divuw", "remw", "remuw"]) {
      out.push(`${m} ${X()}, ${X()}, ${X()}`);
    }
    out.push(`fence ${pick(FENCES)}, ${pick(FENCES)}`);
    for (const w of ["w", "d"]) {
      out.push(`lr.${w}${pick(AQ)} ${X()}, (${X()})`);
      for (const a of ["sc", "amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu", "amomaxu"]) {
        out.push(`${a}.${w}${pick(AQ)} ${X()}, ${X()}, (${X()})`);
      }
    }
    for (const m of ["csrrw", "csrrs", "csrrc"]) out.push(`${m} ${X()}, ${ri(0, 4095)}, ${X()}`);
    for (const m of ["csrrwi", "csrrsi", "csrrci"]) out.push(`${m} ${X()}, ${ri(0, 4095)}, ${ri(0, 31)}`);
    for (const m of ["sfence.vma", "hfence.vvma", "hfence.gvma"]) out.push(`${m} ${X()}, ${X()}`);
    for (const m of ["hlv.b", "hlv.bu", "hlv.h", "hlv.hu", "hlvx.hu", "hlv.w", "hlvx.wu", "hlv.wu", "hlv.d"]) out.push(`${m} ${X()}, (${X()})`);
    for (const m of ["hsv.b", "hsv.h", "hsv.w", "hsv.d"]) out.push(`${m} ${X()}, (${X()})`);
    for (const f of ["s", "d"]) {
      for (const m of ["fmadd", "fmsub", "fnmsub", "fnmadd"]) out.push(`${m}.${f} ${F()}, ${F()}, ${F()}, ${F()}${pick(RMS)}`);
      for (const m of ["fadd", "fsub", "fmul", "fdiv"]) out.push(`${m}.${f} ${F()}, ${F()}, ${F()}${pick(RMS)}`);
      out.push(`fsqrt.${f} ${F()}, ${F()}${pick(RMS)}`);
      for (const m of ["fsgnj", "fsgnjn", "fsgnjx", "fmin", "fmax"]) out.push(`${m}.${f} ${F()}, ${F()}, ${F()}`);
      for (const m of ["w", "wu", "l", "lu"]) out.push(`fcvt.${m}.${f} ${X()}, ${F()}${pick(RMS)}`);
      for (const m of ["feq", "flt", "fle"]) out.push(`${m}.${f} ${X()}, ${F()}, ${F()}`);
      out.push(`fclass.${f} ${X()}, ${F()}`);
      for (const m of ["l", "lu"]) out.push(`fcvt.${f}.${m} ${F()}, ${X()}${pick(RMS)}`);
    }
    for (const m of ["w", "wu"]) out.push(`fcvt.s.${m} ${F()}, ${X()}${pick(RMS)}`, `fcvt.d.${m} ${F()}, ${X()}`);
    out.push(`fcvt.s.d ${F()}, ${F()}${pick(RMS)}`, `fcvt.d.s ${F()}, ${F()}`);
    out.push(`fmv.x.w ${X()}, ${F()}`, `fmv.x.d ${X()}, ${F()}`, `fmv.w.x ${F()}, ${X()}`, `fmv.d.x ${F()}, ${X()}`);
  }
  return out;
}

function randomRvc() {
  const out = [];
  for (let n = 0; n < 12; n++) {
    let a = Xp(), b = Xp(), r = Xnz(), f = Fp(), u;
    u = 4 * ri(1, 255); out.push(`c.addi4spn ${a}, sp, ${u} => addi ${a}, sp, ${u}`);
    u = 8 * ri(0, 31); out.push(`c.fld ${f}, ${u}(${b}) => fld ${f}, ${u}(${b})`);
    u = 4 * ri(0, 31); out.push(`c.lw ${a}, ${u}(${b}) => lw ${a}, ${u}(${b})`);
    u = 8 * ri(0, 31); out.push(`c.ld ${a}, ${u}(${b}) => ld ${a}, ${u}(${b})`);
    u = 8 * ri(0, 31); out.push(`c.fsd ${f}, ${u}(${b}) => fsd ${f}, ${u}(${b})`);
    u = 4 * ri(0, 31); out.push(`c.sw ${a}, ${u}(${b}) => sw ${a}, ${u}(${b})`);
    u = 8 * ri(0, 31); out.push(`c.sd ${a}, ${u}(${b}) => sd ${a}, ${u}(${b})`);
    u = ri(-32, 31) || 1; out.push(`c.addi ${r}, ${u} => addi ${r}, ${r}, ${u}`);
    u = ri(-32, 31); out.push(`c.addiw ${r}, ${u} => addiw ${r}, ${r}, ${u}`);
    u = ri(-32, 31); out.push(`c.li ${r}, ${u} => addi ${r}, zero, ${u}`);
    u = 16 * (ri(-32, 31) || 1); out.push(`c.addi16sp sp, ${u} => addi sp, sp, ${u}`);
    const lr = pick(["x1", "x3", "x4", "x5", "x8", "x10", "x17", "x31"]);
    u = pick([ri(1, 31), ri(0xfffe0, 0xfffff)]); out.push(`c.lui ${lr}, ${u} => lui ${lr}, ${u}`);
    u = ri(1, 63); out.push(`c.srli ${a}, ${u} => srli ${a}, ${a}, ${u}`);
    u = ri(1, 63); out.push(`c.srai ${a}, ${u} => srai ${a}, ${a}, ${u}`);
    u = ri(-32, 31); out.push(`c.andi ${a}, ${u} => andi ${a}, ${a}, ${u}`);
    for (const m of ["sub", "xor", "or", "and", "subw", "addw"]) out.push(`c.${m} ${a}, ${b} => ${m} ${a}, ${a}, ${b}`);
    u = tgt(2 * ri(-1024, 1023)); out.push(`c.j ${u} => jal zero, ${u}`);
    u = tgt(2 * ri(-128, 127)); out.push(`c.beqz ${a}, ${u} => beq ${a}, zero, ${u}`);
    u = tgt(2 * ri(-128, 127)); out.push(`c.bnez ${b}, ${u} => bne ${b}, zero, ${u}`);
    u = ri(1, 63); out.push(`c.slli ${r}, ${u} => slli ${r}, ${r}, ${u}`);
    const fl = F(); u = 8 * ri(0, 63); out.push(`c.fldsp ${fl}, ${u}(sp) => fld ${fl}, ${u}(sp)`);
    u = 4 * ri(0, 63); out.push(`c.lwsp ${r}, ${u}(sp) => lw ${r}, ${u}(sp)`);
    u = 8 * ri(0, 63); out.push(`c.ldsp ${r}, ${u}(sp) => ld ${r}, ${u}(sp)`);
    out.push(`c.jr ${r} => jalr zero, 0(${r})`);
    const s2 = Xnz(); out.push(`c.mv ${r}, ${s2} => add ${r}, zero, ${s2}`);
    out.push(`c.jalr ${r} => jalr ra, 0(${r})`);
    out.push(`c.add ${r}, ${s2} => add ${r}, ${r}, ${s2}`);
    const fr = F(); u = 8 * ri(0, 63); out.push(`c.fsdsp ${fr}, ${u}(sp) => fsd ${fr}, ${u}(sp)`);
    const xr = X(); u = 4 * ri(0, 63); out.push(`c.swsp ${xr}, ${u}(sp) => sw ${xr}, ${u}(sp)`);
    u = 8 * ri(0, 63); out.push(`c.sdsp ${xr}, ${u}(sp) => sd ${xr}, ${u}(sp)`);
  }
  return out;
}

// ---- assemble ----
const lines = [...FIXED.trim().split("\n"), ...random32(), ...randomRvc()].map((l) => l.trim()).filter(Boolean);
const items = []; // { text, expansion? } in emission order; each emits one or two instructions
const src = [".option norelax"];
let rvc = null;
const mode = (on) => { if (rvc !== on) { src.push(on ? ".option rvc" : ".option norvc"); rvc = on; } };
for (const l of lines) {
  const [text, expansion] = l.split("=>").map((s) => s?.trim());
  if (expansion) {
    mode(true); src.push(text); mode(false); src.push(expansion);
    items.push({ text, expansion });
  } else {
    mode(false); src.push(text);
    items.push({ text });
  }
}
const dir = mkdtempSync(join(tmpdir(), "decvec-"));
try {
  writeFileSync(join(dir, "v.s"), src.join("\n") + "\n");
  execFileSync(AS, [`-march=${MARCH}`, "-o", join(dir, "v.o"), join(dir, "v.s")], { stdio: ["ignore", "ignore", "inherit"] });
  const dump = execFileSync(OBJDUMP, ["-d", "-M", "no-aliases,numeric", join(dir, "v.o")], { encoding: "utf8", maxBuffer: 1 << 28 });
  const insns = [];
  for (const line of dump.split("\n")) {
    const m = /^\s*([0-9a-f]+):\s+([0-9a-f]{4}|[0-9a-f]{8})\s+(\S.*)$/.exec(line);
    if (m) insns.push({ addr: parseInt(m[1], 16), raw: parseInt(m[2], 16) >>> 0, dis: m[3].replace(/\s+/, " ").trim() });
  }
  const need = items.reduce((n, it) => n + (it.expansion ? 2 : 1), 0);
  if (insns.length !== need) throw new Error(`objdump gave ${insns.length} instructions, listing has ${need}`);
  // The disassembler must agree on the mnemonic (catches silent compression or aliasing).
  const ALIAS = { "c.nop": "c.addi" };
  const checkMn = (text, ins) => {
    const want = splitAsm(text)[0], got = splitAsm(ins.dis)[0];
    if (want !== got && ALIAS[want] !== got) throw new Error(`'${text}' disassembled as '${ins.dis}'`);
    const len = want.startsWith("c.") ? 2 : 4;
    if ((ins.raw & 3) === 3 ? len !== 4 : len !== 2) throw new Error(`'${text}' has the wrong length`);
  };
  const vectors = [];
  let k = 0;
  for (const it of items) {
    const ins = insns[k++];
    checkMn(it.text, ins);
    if (!it.expansion) {
      vectors.push({ text: it.text, objdump: ins.dis, raw: ins.raw, ...fieldsFromAsm(it.text) });
      continue;
    }
    const exp = insns[k++];
    checkMn(it.expansion, exp);
    const fc = fieldsFromAsm(it.text), fe = fieldsFromAsm(it.expansion);
    // The pairing in the listing must agree with the spec's expansion rule (asm-fields.mjs).
    for (const key of ["op", "rd", "rs1", "rs2", "rs3", "imm"]) {
      if (fc[key] !== fe[key]) throw new Error(`'${it.text}' does not expand to '${it.expansion}' (${key})`);
    }
    vectors.push({ text: it.text, objdump: ins.dis, raw: ins.raw, ...fe, compressed: 1, expansion: it.expansion, expansionRaw: exp.raw });
    vectors.push({ text: it.expansion, objdump: exp.dis, raw: exp.raw, ...fe });
  }
  const version = execFileSync(AS, ["--version"], { encoding: "utf8" }).split("\n")[0];
  const out = { generatedBy: "tests/decoder/make-vectors.mjs", assembler: `${version} -march=${MARCH}`, count: vectors.length, vectors };
  writeFileSync(join(HERE, "vectors.json"), JSON.stringify(out, null, 0).replace(/\},\{/g, "},\n{") + "\n");
  console.log(`wrote ${vectors.length} vectors to tests/decoder/vectors.json`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
