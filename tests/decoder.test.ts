// Decoder tests (assembly/cpu/decode.ts, decode-rvc.ts).
//
//  - vectors: tests/decoder/vectors.json, encodings produced by GNU as with expected fields taken
//    from the assembly text (tests/decoder/make-vectors.mjs); every Op appears at least once and
//    every compressed form is paired with its 32-bit expansion.
//  - hand-encoded reserved/illegal encodings -> ILLEGAL, HINT code points -> their op with X_SINK.
//  - sweeps: all 16-bit values and millions of random 32-bit words, checking invariants.
//  - differential: every 16-bit value and a structured 32-bit set against GNU objdump (skipped
//    when the RISC-V binutils are not installed), with the spec-sanctioned divergences listed.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync, statSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Op, OP_NAMES, X_SINK } from "../host/core/layout.generated";
// @ts-ignore: plain ESM helper without type declarations
import { FORMS_BY_OP } from "./decoder/asm-fields.mjs";
// @ts-ignore: plain ESM helper without type declarations
import { objdumpFields, haveBinutils } from "./decoder/objdump-oracle.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WASM = join(ROOT, "build/decoder-harness.wasm");
const SOURCES = ["assembly/cpu/decode.ts", "assembly/cpu/decode-rvc.ts", "assembly/cpu/opcodes.ts",
  "assembly/layout.ts", "tests/decoder/harness.ts"].map((p) => join(ROOT, p));

interface Fields { op: string; rd: number; rs1: number; rs2: number; rs3: number; imm: number; compressed: number }
interface Vector extends Fields { text: string; objdump: string; raw: number; expansion?: string; expansionRaw?: number }

let decodeRaw: (raw: number) => bigint;

/** Unpacks a decoded u64 (cpu/opcodes.ts layout). */
function unpack(d: bigint): Fields & { opNum: number; reserved: number } {
  const lo = Number(d & 0xffffffffn);
  const opNum = lo & 0x1ff;
  return {
    opNum, op: OP_NAMES[opNum] ?? `#${opNum}`,
    rd: (lo >>> 9) & 0x3f, rs1: (lo >>> 15) & 31, rs2: (lo >>> 20) & 31, rs3: (lo >>> 25) & 31,
    compressed: (lo >>> 30) & 1, reserved: lo >>> 31, imm: Number(BigInt.asIntN(32, d >> 32n)),
  };
}
const dec = (raw: number) => unpack(decodeRaw(raw >>> 0));
const pick = (f: Fields) => ({ op: f.op, rd: f.rd, rs1: f.rs1, rs2: f.rs2, rs3: f.rs3, imm: f.imm, compressed: f.compressed });

beforeAll(() => {
  const stale = !existsSync(WASM) || SOURCES.some((s) => statSync(s).mtimeMs > statSync(WASM).mtimeMs);
  if (stale) {
    mkdirSync(join(ROOT, "build"), { recursive: true });
    execFileSync(join(ROOT, "node_modules/.bin/asc"), ["tests/decoder/harness.ts", "-o", "build/decoder-harness.wasm",
      "--runtime", "stub", "--importMemory", "--sharedMemory", "--initialMemory", "1024", "--maximumMemory", "65536",
      "--enable", "threads", "-O3", "--noAssert"], { cwd: ROOT, stdio: "inherit" });
  }
  const memory = new WebAssembly.Memory({ initial: 1024, maximum: 65536, shared: true });
  const mod = new WebAssembly.Module(readFileSync(WASM));
  const inst = new WebAssembly.Instance(mod, { env: { memory, abort() { throw new Error("abort"); } } });
  decodeRaw = inst.exports.decode as (raw: number) => bigint;
});

// ---- GNU-as vectors ----
const vecFile = JSON.parse(readFileSync(join(ROOT, "tests/decoder/vectors.json"), "utf8"));
const VECTORS: Vector[] = vecFile.vectors;
const opNames = OP_NAMES.filter((n) => n !== "ILLEGAL" && n !== "COUNT");

describe("assembled vectors (GNU as, expected fields from the assembly text)", () => {
  it("the enum mirror is consistent", () => {
    expect(OP_NAMES.length).toBe(Op.COUNT + 1);
    expect(X_SINK).toBe(32);
  });

  it("cover every operation of the enum with a 32-bit encoding", () => {
    const seen = new Set(VECTORS.filter((v) => !v.compressed).map((v) => v.op));
    expect(opNames.filter((n) => !seen.has(n))).toEqual([]);
  });

  it.each(opNames)("%s", (name) => {
    const vs = VECTORS.filter((v) => v.op === name);
    expect(vs.length).toBeGreaterThan(0);
    for (const v of vs) {
      expect({ text: v.text, ...pick(dec(v.raw)) }).toEqual({ text: v.text, ...pick(v) });
    }
  });

  it("every compressed form decodes exactly like its 32-bit expansion (but for the flag)", () => {
    const pairs = VECTORS.filter((v) => v.compressed);
    const forms = new Set(pairs.map((v) => v.text.split(" ")[0]));
    for (const m of ["c.addi4spn", "c.fld", "c.lw", "c.ld", "c.fsd", "c.sw", "c.sd", "c.nop", "c.addi", "c.addiw",
      "c.li", "c.addi16sp", "c.lui", "c.srli", "c.srli64", "c.srai", "c.srai64", "c.andi", "c.sub", "c.xor", "c.or",
      "c.and", "c.subw", "c.addw", "c.j", "c.beqz", "c.bnez", "c.slli", "c.slli64", "c.fldsp", "c.lwsp", "c.ldsp",
      "c.jr", "c.mv", "c.ebreak", "c.jalr", "c.add", "c.fsdsp", "c.swsp", "c.sdsp"]) {
      expect(forms.has(m), m).toBe(true);
    }
    for (const v of pairs) {
      const c = decodeRaw(v.raw), e = decodeRaw(v.expansionRaw!);
      expect(v.raw & 3, v.text).not.toBe(3);
      expect({ text: v.text, d: c }).toEqual({ text: v.text, d: e | (1n << 30n) });
    }
  });

  it("ignore the upper half of a 16-bit instruction", () => {
    for (const v of VECTORS.filter((x) => x.compressed)) {
      expect(decodeRaw((v.raw | 0xdead0000) >>> 0)).toBe(decodeRaw(v.raw));
    }
  });
});

// ---- hand-encoded reserved encodings and HINTs ----
const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number, opc: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
const I = (imm: number, rs1: number, f3: number, rd: number, opc: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;

const ILLEGAL16: [string, number][] = [
  ["all-zero 16-bit instruction", 0x0000],
  ["C.ADDI4SPN nzuimm=0, rd'=x9", 0x0004],
  ["C.ADDI4SPN nzuimm=0, rd'=x15", 0x001c],
  ["quadrant 0 funct3=100 (reserved)", 0x8000],
  ["quadrant 0 funct3=100, all operand bits set", 0x9ffc],
  ["C.ADDIW rd=x0", 0x2001],
  ["C.ADDIW rd=x0, imm=-31", 0x3005],
  ["C.ADDI16SP nzimm=0", 0x6101],
  ["C.LUI rd=a0 nzimm=0", 0x6501],
  ["C.LUI rd=x0 nzimm=0", 0x6001],
  ["MISC-ALU bit12=1 funct2=10 (reserved)", 0x9c41],
  ["MISC-ALU bit12=1 funct2=11 (reserved)", 0x9c61],
  ["C.JR rs1=x0", 0x8002],
  ["C.LWSP rd=x0", 0x4002],
  ["C.LWSP rd=x0 with offset", 0x507e],
  ["C.LDSP rd=x0", 0x6002],
  ["C.LDSP rd=x0 with offset", 0x707e],
];

const ILLEGAL32: [string, number][] = [
  ["all ones (>= 80-bit encoding)", 0xffffffff],
  ["custom-0", 0x0000000b], ["custom-1", 0x0000002b], ["custom-2", 0x0000005b], ["custom-3", 0x0000007b],
  ["OP-V", 0x00000057], ["OP-VE", 0x00000077], ["reserved major opcode 11010", 0x0000006b],
  ["48-bit (opcode 0011111)", 0x0000001f], ["64-bit (opcode 0111111)", 0x0000003f],
  ["48-bit (opcode 1011111)", 0x0000005f], ["opcode 1111111", 0x0000007f],
  ["LDU (RV128) load funct3=111", I(0, 1, 7, 2, 0x03)],
  ["store funct3=100 (SQ, RV128)", R(0, 2, 1, 4, 0, 0x23)],
  ["store funct3=111", R(0x7f, 31, 31, 7, 31, 0x23)],
  ["MISC-MEM funct3=010 (LQ/CBO)", I(0, 0, 2, 0, 0x0f)],
  ["MISC-MEM funct3=111", I(0, 0, 7, 0, 0x0f)],
  ["SLLI imm[11:6]=000001", I(0x040, 1, 1, 2, 0x13)],
  ["SLLI imm[11:6]=011000 (Zbb)", I(0x600, 1, 1, 2, 0x13)],
  ["SRLI/SRAI funct6=001000", I(0x200, 1, 5, 2, 0x13)],
  ["SRLI/SRAI funct6=010010", I(0x480, 1, 5, 2, 0x13)],
  ["SRLI/SRAI funct6=011000 (Zbb RORI)", I(0x600, 1, 5, 2, 0x13)],
  ["SLLIW shamt[5]=1", R(0x01, 0, 1, 1, 2, 0x1b)],
  ["SRLIW shamt[5]=1", R(0x01, 3, 1, 5, 2, 0x1b)],
  ["SRAIW shamt[5]=1", R(0x21, 3, 1, 5, 2, 0x1b)],
  ["SRAIW funct7=0110000", R(0x30, 3, 1, 5, 2, 0x1b)],
  ["OP-IMM-32 funct3=010", I(0, 1, 2, 2, 0x1b)],
  ["OP-IMM-32 funct3=111", I(0, 1, 7, 2, 0x1b)],
  ["OP funct7=0100000 funct3=001", R(0x20, 3, 1, 1, 2, 0x33)],
  ["OP funct7=0100000 funct3=111 (Zbb ANDN)", R(0x20, 3, 1, 7, 2, 0x33)],
  ["OP funct7=0000010", R(0x02, 3, 1, 0, 2, 0x33)],
  ["OP funct7=0000101 (Zbb MIN)", R(0x05, 3, 1, 4, 2, 0x33)],
  ["OP-32 funct7=0 funct3=010", R(0x00, 3, 1, 2, 2, 0x3b)],
  ["OP-32 funct7=0000001 funct3=001", R(0x01, 3, 1, 1, 2, 0x3b)],
  ["OP-32 funct7=0100000 funct3=001", R(0x20, 3, 1, 1, 2, 0x3b)],
  ["OP-32 funct7=0000100 (Zba ADD.UW)", R(0x04, 3, 1, 0, 2, 0x3b)],
  ["JALR funct3=001", I(0, 1, 1, 1, 0x67)],
  ["BRANCH funct3=010", R(0, 2, 1, 2, 0, 0x63)],
  ["BRANCH funct3=011", R(0, 2, 1, 3, 0, 0x63)],
  ["AMO funct3=000", R(0x00, 2, 1, 0, 3, 0x2f)],
  ["AMO funct3=100 (.Q, RV128)", R(0x00, 2, 1, 4, 3, 0x2f)],
  ["LR.W with rs2=x1", R(0x08, 1, 11, 2, 10, 0x2f)],
  ["LR.D with rs2=x31", R(0x0b, 31, 11, 3, 10, 0x2f)],
  ["AMO funct5=00101 (AMOCAS)", R(0x14, 2, 1, 2, 3, 0x2f)],
  ["AMO funct5=00110", R(0x18, 2, 1, 3, 3, 0x2f)],
  ["AMO funct5=11111", R(0x7c, 2, 1, 2, 3, 0x2f)],
  ["FLW/FLD slot funct3=001 (FLH)", I(0, 1, 1, 2, 0x07)],
  ["LOAD-FP funct3=100 (FLQ)", I(0, 1, 4, 2, 0x07)],
  ["LOAD-FP funct3=000 (vector)", I(0, 1, 0, 2, 0x07)],
  ["STORE-FP funct3=001 (FSH)", R(0, 2, 1, 1, 0, 0x27)],
  ["STORE-FP funct3=100 (FSQ)", R(0, 2, 1, 4, 0, 0x27)],
  ["FADD.H (fmt=10)", R(0x02, 3, 2, 0, 1, 0x53)],
  ["FADD.Q (fmt=11)", R(0x03, 3, 2, 0, 1, 0x53)],
  ["FMADD fmt=10", R(0x02, 3, 2, 7, 1, 0x43) | (4 << 27)],
  ["FNMADD fmt=11", R(0x03, 3, 2, 7, 1, 0x4f)],
  ["FSQRT.S rs2=1", R(0x2c, 1, 2, 7, 1, 0x53)],
  ["FSQRT.D rs2=31", R(0x2d, 31, 2, 7, 1, 0x53)],
  ["FSGNJ.S funct3=011", R(0x10, 3, 2, 3, 1, 0x53)],
  ["FMIN.D funct3=010 (Zfa FMINM)", R(0x15, 3, 2, 2, 1, 0x53)],
  ["FCVT.S.S (funct7 0100000, rs2=0)", R(0x20, 0, 2, 7, 1, 0x53)],
  ["FCVT.S.H (rs2=2)", R(0x20, 2, 2, 7, 1, 0x53)],
  ["FROUND.S (Zfa, rs2=4)", R(0x20, 4, 2, 7, 1, 0x53)],
  ["FCVT.D.D (funct7 0100001, rs2=1)", R(0x21, 1, 2, 7, 1, 0x53)],
  ["FEQ.S funct3=011", R(0x50, 3, 2, 3, 1, 0x53)],
  ["FLEQ.D (Zfa, funct3=100)", R(0x51, 3, 2, 4, 1, 0x53)],
  ["FCVT.W.S rs2=4", R(0x60, 4, 2, 7, 1, 0x53)],
  ["FCVT.D.W rs2=5", R(0x69, 5, 2, 7, 1, 0x53)],
  ["FMV.X.W rs2=1", R(0x70, 1, 2, 0, 1, 0x53)],
  ["FMV.X.W funct3=010", R(0x70, 0, 2, 2, 1, 0x53)],
  ["FMV.W.X funct3=001", R(0x78, 0, 2, 1, 1, 0x53)],
  ["FMV.D.X rs2=1 (Zfa FLI)", R(0x79, 1, 2, 0, 1, 0x53)],
  ["OP-FP funct5=00110", R(0x18, 3, 2, 0, 1, 0x53)],
  ["OP-FP funct5=01001", R(0x24, 3, 2, 0, 1, 0x53)],
  ["OP-FP funct5=11111", R(0x7d, 3, 2, 0, 1, 0x53)],
  ["ECALL with rd=x1", 0x000000f3],
  ["ECALL with rs1=x1", 0x00008073],
  ["EBREAK with rd=x1", 0x001000f3],
  ["URET (removed)", 0x00200073],
  ["SRET with rs1=x1", 0x10208073],
  ["MRET with rd=x1", 0x302000f3],
  ["WFI with rd=x1", 0x105000f3],
  ["DRET", 0x7b200073],
  ["MNRET", 0x70200073],
  ["WRS.NTO (Zawrs)", 0x00d00073],
  ["SFENCE.VMA with rd=x1", R(0x09, 0, 0, 0, 1, 0x73)],
  ["SINVAL.VMA (Svinval)", R(0x0b, 2, 1, 0, 0, 0x73)],
  ["SFENCE.W.INVAL (Svinval)", 0x18000073],
  ["HFENCE.GVMA with rd=x3", R(0x31, 2, 1, 0, 3, 0x73)],
  ["HINVAL.VVMA (Svinval)", R(0x13, 2, 1, 0, 0, 0x73)],
  ["SYSTEM funct3=000 funct7=1111111", R(0x7f, 0, 0, 0, 0, 0x73)],
  ["HLV funct7=0110000 rs2=2", R(0x30, 2, 1, 4, 10, 0x73)],
  ["HLV.H funct7 rs2=2", R(0x32, 2, 1, 4, 10, 0x73)],
  ["HLV.W funct7 rs2=2", R(0x34, 2, 1, 4, 10, 0x73)],
  ["HLV.DU (does not exist, rs2=1)", R(0x36, 1, 1, 4, 10, 0x73)],
  ["HLVX.D (does not exist, rs2=3)", R(0x36, 3, 1, 4, 10, 0x73)],
  ["HSV.B with rd=x1", R(0x31, 2, 1, 4, 1, 0x73)],
  ["SYSTEM funct3=100 funct7=0111000", R(0x38, 0, 1, 4, 1, 0x73)],
  ["SYSTEM funct3=100 funct7=0", R(0x00, 0, 0, 4, 0, 0x73)],
];

// HINT code points (zca.adoc "HINT Instructions", rv64.adoc "HINT Instructions") and other
// encodings whose operands the spec says to ignore: [description, raw, expected fields].
type Exp = [string, number, Partial<Fields> & { op: string }];
const S = X_SINK;
const HINTS: Exp[] = [
  ["C.NOP imm=1", 0x0005, { op: "ADDI", rd: S, rs1: 0, imm: 1, compressed: 1 }],
  ["C.NOP imm=-32", 0x1001, { op: "ADDI", rd: S, rs1: 0, imm: -32, compressed: 1 }],
  ["C.ADDI a0, 0", 0x0501, { op: "ADDI", rd: 10, rs1: 10, imm: 0, compressed: 1 }],
  ["C.LI x0, 5", 0x4015, { op: "ADDI", rd: S, rs1: 0, imm: 5, compressed: 1 }],
  ["C.LUI x0, 1", 0x6005, { op: "LUI", rd: S, imm: 0x1000, compressed: 1 }],
  ["C.LUI x0, -1", 0x7005 | (0x1f << 2), { op: "LUI", rd: S, imm: -4096, compressed: 1 }],
  ["C.MV x0, a0", 0x802a, { op: "ADD", rd: S, rs1: 0, rs2: 10, compressed: 1 }],
  ["C.ADD x0, a0", 0x902a, { op: "ADD", rd: S, rs1: 0, rs2: 10, compressed: 1 }],
  ["C.NTL.P1 (c.add x0, x2)", 0x900a, { op: "ADD", rd: S, rs1: 0, rs2: 2, compressed: 1 }],
  ["C.NTL.ALL (c.add x0, x5)", 0x9016, { op: "ADD", rd: S, rs1: 0, rs2: 5, compressed: 1 }],
  ["C.SLLI x0, 3", 0x000e, { op: "SLLI", rd: S, rs1: 0, imm: 3, compressed: 1 }],
  ["C.SLLI a0, 0", 0x0502, { op: "SLLI", rd: 10, rs1: 10, imm: 0, compressed: 1 }],
  ["C.SLLI x0, 0", 0x0002, { op: "SLLI", rd: S, rs1: 0, imm: 0, compressed: 1 }],
  ["C.SRLI s0, 0", 0x8001, { op: "SRLI", rd: 8, rs1: 8, imm: 0, compressed: 1 }],
  ["C.SRAI a5, 0", 0x8781, { op: "SRAI", rd: 15, rs1: 15, imm: 0, compressed: 1 }],
  ["ADDI x0, a0, 5", I(5, 10, 0, 0, 0x13), { op: "ADDI", rd: S, rs1: 10, imm: 5 }],
  ["LUI x0", 0x12345037, { op: "LUI", rd: S, imm: 0x12345000 }],
  ["AUIPC x0", 0xfffff017, { op: "AUIPC", rd: S, imm: -4096 }],
  ["ADD x0, x0, x2 (NTL.P1)", R(0, 2, 0, 0, 0, 0x33), { op: "ADD", rd: S, rs1: 0, rs2: 2 }],
  ["SLLI x0, x0, 31 (semihosting entry)", I(31, 0, 1, 0, 0x13), { op: "SLLI", rd: S, imm: 31 }],
  ["SRAI x0, x0, 7 (semihosting exit)", I(0x400 | 7, 0, 5, 0, 0x13), { op: "SRAI", rd: S, imm: 7 }],
  ["ADDIW x0, a0, 1", I(1, 10, 0, 0, 0x1b), { op: "ADDIW", rd: S, rs1: 10, imm: 1 }],
  ["LW x0 (load still performed)", I(-4, 2, 2, 0, 0x03), { op: "LW", rd: S, rs1: 2, imm: -4 }],
  ["CSRRS x0, cycle, x0", I(0xc00, 0, 2, 0, 0x73), { op: "CSRRS", rd: S, imm: 0xc00 }],
  ["FENCE pred=0 succ=W (hint)", 0x0010000f, { op: "FENCE", imm: 0x001 }],
  ["FENCE pred=R succ=0 (hint)", 0x0200000f, { op: "FENCE", imm: 0x020 }],
  ["FENCE with rd/rs1 set (ignored)", 0x0ff5850f, { op: "FENCE", imm: 0x0ff }],
  ["FENCE fm=1000 pred=succ=IORW (reserved fm, normal fence)", 0x8ff0000f, { op: "FENCE", imm: 0x8ff }],
  ["PAUSE pattern with rd=x1 is a plain FENCE", 0x0100008f, { op: "FENCE", imm: 0x010 }],
  ["PAUSE pattern with fm=1000 is a plain FENCE", 0x8100000f, { op: "FENCE", imm: 0x810 }],
  ["FENCE.I with imm/rs1/rd set (ignored)", 0x0015908f, { op: "FENCE_I" }],
  ["FADD.S rm=5 (checked at execute)", R(0x00, 3, 2, 5, 1, 0x53), { op: "FADD_S", rd: 1, rs1: 2, rs2: 3, imm: 5 }],
  ["FCVT.D.W rm=1 (exact; rm kept)", R(0x69, 0, 10, 1, 1, 0x53), { op: "FCVT_D_W", rd: 1, rs1: 10, imm: 1 }],
  ["FMADD.D rm=6", R(0x01, 3, 2, 6, 1, 0x43) | (4 << 27), { op: "FMADD_D", rd: 1, rs1: 2, rs2: 3, rs3: 4, imm: 6 }],
];

describe("reserved and illegal encodings", () => {
  it.each(ILLEGAL16)("%s -> ILLEGAL, compressed, bits in imm", (_d, raw) => {
    expect(pick(dec(raw))).toEqual({ op: "ILLEGAL", rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: raw, compressed: 1 });
  });
  it.each(ILLEGAL32)("%s -> ILLEGAL, bits in imm", (_d, raw) => {
    expect(pick(dec(raw))).toEqual({ op: "ILLEGAL", rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: raw | 0, compressed: 0 });
  });
});

describe("HINTs and ignored fields", () => {
  it.each(HINTS)("%s", (_d, raw, want) => {
    expect(pick(dec(raw))).toEqual({ rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0, compressed: 0, ...want });
  });
});

// ---- sweeps ----
/** Which register fields an op reads/writes, from the assembler operand forms. */
const FORM = FORMS_BY_OP as Record<string, { rd: "x" | "f" | null; rs1: boolean; rs2: boolean; rs3: boolean }>;
const NO_MAJOR = new Set([0x02, 0x07, 0x0a, 0x0f, 0x15, 0x16, 0x17, 0x1a, 0x1d, 0x1e, 0x1f]);

function checkInvariants(raw: number, d: ReturnType<typeof unpack>, bad: string[]) {
  const rvc = (raw & 3) !== 3;
  const fail = (why: string) => bad.push(`${raw.toString(16)}: ${why} ${JSON.stringify(pick(d))}`);
  if (d.opNum >= Op.COUNT) return fail("op out of range");
  if (d.reserved !== 0) fail("reserved bit set");
  if (d.compressed !== (rvc ? 1 : 0)) fail("compressed flag");
  if (d.rd > 32) fail("rd > 32");
  if (d.op === "ILLEGAL") {
    if (d.imm !== (rvc ? raw & 0xffff : raw | 0)) fail("ILLEGAL imm is not the instruction");
    if (d.rd | d.rs1 | d.rs2 | d.rs3) fail("ILLEGAL with operands");
    return;
  }
  if (!rvc && NO_MAJOR.has((raw >>> 2) & 31)) fail("decoded a major opcode RV64GC does not have");
  const f = FORM[d.op];
  if (!f) return fail("no form");
  if (f.rd === "x" && (d.rd === 0)) fail("integer rd x0 not sunk");
  if (f.rd === "f" && d.rd > 31) fail("FP rd out of range");
  if (f.rd === null && d.rd !== 0) fail("rd on an op without destination");
  if (!f.rs1 && d.rs1 !== 0) fail("stray rs1");
  if (!f.rs2 && d.rs2 !== 0) fail("stray rs2");
  if (!f.rs3 && d.rs3 !== 0) fail("stray rs3");
  if (!rvc) { // 32-bit: the register fields are the instruction's fields
    const rd = (raw >>> 7) & 31;
    if (f.rd === "x" && d.rd !== (rd || 32)) fail("rd field");
    if (f.rd === "f" && d.rd !== rd) fail("rd field");
    if (f.rs1 && d.rs1 !== ((raw >>> 15) & 31)) fail("rs1 field");
    if (f.rs2 && d.rs2 !== ((raw >>> 20) & 31)) fail("rs2 field");
    if (f.rs3 && d.rs3 !== raw >>> 27) fail("rs3 field");
  }
}

describe("sweeps", () => {
  it("all 65536 16-bit values decode without trapping and keep the invariants", () => {
    const bad: string[] = [];
    const byOp = new Map<string, number>();
    for (let raw = 0; raw < 0x10000; raw++) {
      if ((raw & 3) === 3) continue;
      const d = dec(raw);
      checkInvariants(raw, d, bad);
      byOp.set(d.op, (byOp.get(d.op) ?? 0) + 1);
      if (bad.length > 20) break;
    }
    expect(bad).toEqual([]);
    // RVC expands only into these operations
    expect([...byOp.keys()].sort()).toEqual(["ADD", "ADDI", "ADDIW", "ADDW", "AND", "ANDI", "BEQ", "BNE", "EBREAK",
      "FLD", "FSD", "ILLEGAL", "JAL", "JALR", "LD", "LUI", "LW", "OR", "SD", "SLLI", "SRAI", "SRLI", "SUB", "SUBW",
      "SW", "XOR"]);
  });

  it("3 million random 32-bit words decode without trapping and keep the invariants", () => {
    let s = 0x9e3779b9;
    const next = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s >>> 0; };
    const bad: string[] = [];
    let legal = 0;
    for (let i = 0; i < 3_000_000; i++) {
      const raw = (next() | 3) >>> 0;
      const d = dec(raw);
      if (d.op !== "ILLEGAL") legal++;
      checkInvariants(raw, d, bad);
      if (bad.length > 20) break;
    }
    expect(bad).toEqual([]);
    expect(legal).toBeGreaterThan(100_000);
  });
});

// ---- differential against GNU objdump ----
const HAVE = haveBinutils();
/** Encodings where objdump 2.40 is stricter than the spec; the decoder follows the spec. */
function knownDivergence(raw: number, got: Fields, want: Fields): boolean {
  const opc = raw & 0x7f, f3 = (raw >>> 12) & 7;
  // rv32 "Memory Ordering Instructions": rd/rs1 and unknown fm of FENCE are ignored.
  if (opc === 0x0f && f3 === 0 && want.op === "ILLEGAL" && got.op === "FENCE") return true;
  // zifencei.adoc: imm/rs1/rd of FENCE.I are ignored.
  if (opc === 0x0f && f3 === 1 && want.op === "ILLEGAL" && got.op === "FENCE_I") return true;
  // FCVT.D.S/D.W/D.WU carry an rm field like every conversion; objdump 2.40 prints only rm=000.
  if (opc === 0x53 && want.op === "ILLEGAL" && ["FCVT_D_S", "FCVT_D_W", "FCVT_D_WU"].includes(got.op) && f3 !== 0) return true;
  // zca.adoc: C.ADDI16SP with nzimm=0 is reserved; objdump prints "c.addi16sp x2,0".
  if (raw === 0x6101 && got.op === "ILLEGAL") return true;
  return false;
}

function differential(words: number[]) {
  const exp = objdumpFields(words) as (Fields & { raw: number; dis: string; error?: string })[];
  const bad: string[] = [];
  let diverged = 0;
  for (let i = 0; i < words.length; i++) {
    const e = exp[i], g = dec(words[i]);
    if (e.error) { bad.push(`${e.dis}: ${e.error}`); continue; }
    const keys = e.op === "ILLEGAL" ? ["op"] : ["op", "rd", "rs1", "rs2", "rs3", "imm"];
    const same = keys.every((k) => (e as any)[k] === (g as any)[k]);
    if (same) continue;
    if (knownDivergence(words[i], g, e)) { diverged++; continue; }
    bad.push(`${words[i].toString(16)} '${e.dis}' expected ${JSON.stringify(pick(e))} got ${JSON.stringify(pick(g))}`);
    if (bad.length > 20) break;
  }
  return { bad, diverged };
}

describe.skipIf(!HAVE)("differential against GNU objdump", () => {
  it("every 16-bit encoding", () => {
    const words: number[] = [];
    for (let w = 0; w < 0x10000; w++) if ((w & 3) !== 3) words.push(w);
    const { bad, diverged } = differential(words);
    expect(bad).toEqual([]);
    expect(diverged).toBe(1);
  });

  it("every major opcode x funct3 x funct7 x selected rs2, random rd/rs1", () => {
    let s = 12345;
    const r = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s >>> 8; };
    const words: number[] = [];
    for (let opc = 0; opc < 32; opc++) {
      if ((opc & 7) === 7) continue; // longer than 32 bits
      for (let f3 = 0; f3 < 8; f3++) for (let f7 = 0; f7 < 128; f7++) for (const rs2 of [0, 1, 2, 3, 5, r() & 31]) {
        const rd = (r() & 3) === 0 ? 0 : r() & 31, rs1 = (r() & 3) === 0 ? 0 : r() & 31;
        words.push(R(f7, rs2, rs1, f3, rd, (opc << 2) | 3));
      }
    }
    const { bad } = differential(words);
    expect(bad).toEqual([]);
  });
});
