#!/usr/bin/env node
// Golden F/D vectors from QEMU (an independent implementation of the RISC-V FPU semantics).
//
//   node tests/fpu/qemu/make-golden.mjs [--per N] [--seed S] [--out FILE] [--check]
//
// Generates N random vectors per (operation, rounding mode), builds runner.c with
// riscv64-unknown-elf-gcc, runs it on qemu-system-riscv64 (-machine virt -bios none) and
// writes one line per vector: "OP rm a b c result fflags" (hex, 64-bit operands are raw f/x
// register values, so binary32 operands include their NaN-boxing). softfloat.test.ts replays
// the committed golden.txt through execFloat. With --check nothing is written; instead the
// QEMU results are compared right away with build/fpu-harness.wasm (for large runs).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const PER = Number(opt("--per", "8"));
let seed = Number(opt("--seed", "1")) >>> 0;
const OUT = opt("--out", join(here, "golden.txt"));
const CHECK = args.includes("--check");

// [Op enum name, mnemonic, asm shape, operand formats "a b c" (s = boxed binary32, d = binary64, x = integer)]
// Shapes: R3/R2/R1 = f result from f operands with rm; R2N = no rm; FX1 = x result with rm; FX1N/FX2N
// = x result, no rm; XF1 = f result from x operand with rm; XF1N = no rm.
const OPS = [
  ["FMADD_S", "fmadd.s", "R3", "sss"], ["FMSUB_S", "fmsub.s", "R3", "sss"],
  ["FNMSUB_S", "fnmsub.s", "R3", "sss"], ["FNMADD_S", "fnmadd.s", "R3", "sss"],
  ["FADD_S", "fadd.s", "R2", "ss"], ["FSUB_S", "fsub.s", "R2", "ss"], ["FMUL_S", "fmul.s", "R2", "ss"],
  ["FDIV_S", "fdiv.s", "R2", "ss"], ["FSQRT_S", "fsqrt.s", "R1", "s"],
  ["FSGNJ_S", "fsgnj.s", "R2N", "ss"], ["FSGNJN_S", "fsgnjn.s", "R2N", "ss"], ["FSGNJX_S", "fsgnjx.s", "R2N", "ss"],
  ["FMIN_S", "fmin.s", "R2N", "ss"], ["FMAX_S", "fmax.s", "R2N", "ss"],
  ["FCVT_W_S", "fcvt.w.s", "FX1", "s"], ["FCVT_WU_S", "fcvt.wu.s", "FX1", "s"],
  ["FCVT_L_S", "fcvt.l.s", "FX1", "s"], ["FCVT_LU_S", "fcvt.lu.s", "FX1", "s"],
  ["FMV_X_W", "fmv.x.w", "FX1N", "s"], ["FEQ_S", "feq.s", "FX2N", "ss"], ["FLT_S", "flt.s", "FX2N", "ss"],
  ["FLE_S", "fle.s", "FX2N", "ss"], ["FCLASS_S", "fclass.s", "FX1N", "s"],
  ["FCVT_S_W", "fcvt.s.w", "XF1", "x"], ["FCVT_S_WU", "fcvt.s.wu", "XF1", "x"],
  ["FCVT_S_L", "fcvt.s.l", "XF1", "x"], ["FCVT_S_LU", "fcvt.s.lu", "XF1", "x"], ["FMV_W_X", "fmv.w.x", "XF1N", "x"],
  ["FMADD_D", "fmadd.d", "R3", "ddd"], ["FMSUB_D", "fmsub.d", "R3", "ddd"],
  ["FNMSUB_D", "fnmsub.d", "R3", "ddd"], ["FNMADD_D", "fnmadd.d", "R3", "ddd"],
  ["FADD_D", "fadd.d", "R2", "dd"], ["FSUB_D", "fsub.d", "R2", "dd"], ["FMUL_D", "fmul.d", "R2", "dd"],
  ["FDIV_D", "fdiv.d", "R2", "dd"], ["FSQRT_D", "fsqrt.d", "R1", "d"],
  ["FSGNJ_D", "fsgnj.d", "R2N", "dd"], ["FSGNJN_D", "fsgnjn.d", "R2N", "dd"], ["FSGNJX_D", "fsgnjx.d", "R2N", "dd"],
  ["FMIN_D", "fmin.d", "R2N", "dd"], ["FMAX_D", "fmax.d", "R2N", "dd"],
  ["FCVT_S_D", "fcvt.s.d", "R1", "d"], ["FCVT_D_S", "fcvt.d.s", "R1", "s"],
  ["FCVT_W_D", "fcvt.w.d", "FX1", "d"], ["FCVT_WU_D", "fcvt.wu.d", "FX1", "d"],
  ["FCVT_L_D", "fcvt.l.d", "FX1", "d"], ["FCVT_LU_D", "fcvt.lu.d", "FX1", "d"],
  ["FMV_X_D", "fmv.x.d", "FX1N", "d"], ["FEQ_D", "feq.d", "FX2N", "dd"], ["FLT_D", "flt.d", "FX2N", "dd"],
  ["FLE_D", "fle.d", "FX2N", "dd"], ["FCLASS_D", "fclass.d", "FX1N", "d"],
  ["FCVT_D_W", "fcvt.d.w", "XF1", "x"], ["FCVT_D_WU", "fcvt.d.wu", "XF1", "x"],
  ["FCVT_D_L", "fcvt.d.l", "XF1", "x"], ["FCVT_D_LU", "fcvt.d.lu", "XF1", "x"], ["FMV_D_X", "fmv.d.x", "XF1N", "x"],
];

// ---- deterministic random operands ----
function u32() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
const int = (n) => Math.floor((u32() / 4294967296) * n);
const bits = (n) => { let r = 0n; for (let i = 0; i < n; i += 32) r = (r << 32n) | BigInt(u32()); return r & ((1n << BigInt(n)) - 1n); };

function frac(n) {
  const ones = (1n << BigInt(n)) - 1n, k = BigInt(int(n + 1));
  switch (int(7)) {
    case 0: return 0n;
    case 1: return ones;
    case 2: return bits(n) & ~((1n << k) - 1n);
    case 3: return bits(n) | ((1n << k) - 1n);
    case 4: return 1n << BigInt(int(n));
    default: return bits(n);
  }
}
function fval(p, ebits) {
  const w = p + ebits, ef = (1 << ebits) - 1, bias = (ef >> 1);
  if (int(8) === 0) return bits(w);
  let e;
  switch (int(7)) {
    case 0: e = 0; break;
    case 1: e = 1 + int(p + 2); break;
    case 2: e = ef - int(3); break; // includes inf/NaN
    case 3: e = int(ef + 1); break;
    default: e = bias - 40 + int(104); break; // includes the integer-conversion range
  }
  return (BigInt(int(2)) << BigInt(w - 1)) | (BigInt(e) << BigInt(p - 1)) | frac(p - 1);
}
function operand(kind) {
  if (kind === "d") return fval(53, 11);
  if (kind === "s") {
    const v = fval(24, 8);
    const r = int(16);
    if (r === 0) return bits(64); // almost surely not a valid NaN-box
    if (r === 1) return v; // upper half zero: invalid box
    return 0xffffffff00000000n | v;
  }
  let v = bits(1 + int(64));
  if (int(2)) v = BigInt.asUintN(64, -v);
  if (int(3) === 0) v = BigInt.asUintN(64, BigInt.asIntN(32, v)); // sign-extended 32-bit value
  return v;
}

// ---- vectors ----
const vecs = [];
OPS.forEach(([name, , shape, kinds], opIndex) => {
  const rms = shape.endsWith("N") ? [0] : [0, 1, 2, 3, 4];
  for (const rm of rms) {
    for (let i = 0; i < PER * (shape.endsWith("N") ? 2 : 1); i++) {
      const ops = [...kinds].map(operand);
      while (ops.length < 3) ops.push(0n);
      vecs.push({ name, opIndex, rm, a: ops[0], b: ops[1], c: ops[2] });
    }
  }
});

// ---- build and run ----
const work = mkdtempSync(join(tmpdir(), "fpu-golden-"));
const hex = (x) => "0x" + x.toString(16) + "ull";
writeFileSync(join(work, "vectors.h"),
  `struct vec { uint32_t op, rm; uint64_t a, b, c; };\n#define NVEC ${vecs.length}\nstatic const struct vec vecs[] = {\n` +
  vecs.map((v) => `{${v.opIndex},${v.rm},${hex(v.a)},${hex(v.b)},${hex(v.c)}},`).join("\n") + "\n};\n");
// exact conversions that this binutils refuses to give an rm operand: encode them with .insn
// (OP-FP, funct3 = rm = DYN, funct7, rd, rs1, rs2-as-type-selector)
const INSN = {
  "fcvt.d.s": (d, s) => `".insn r 0x53, 7, 0x21, ${d}, ${s}, f0\\n"`,
  "fcvt.d.w": (d, s) => `".insn r 0x53, 7, 0x69, ${d}, ${s}, x0\\n"`,
  "fcvt.d.wu": (d, s) => `".insn r 0x53, 7, 0x69, ${d}, ${s}, x1\\n"`,
};
writeFileSync(join(work, "ops.h"), OPS.map(([, mn, shape], i) => {
  if (INSN[mn]) {
    return shape === "R1" ? `CASE(${i}, SETUP ${INSN[mn]("f4", "f1")} " fmv.x.d %[r], f4\\n")`
      : `CASE(${i}, "fmv.d.x f4, %[c]\\n " ${INSN[mn]("f4", "%[a]")} " fmv.x.d %[r], f4\\n")`;
  }
  const rm = shape.endsWith("N") ? "" : ", dyn";
  const m = `"${mn}"`;
  switch (shape) {
    case "R3": return `CASE(${i}, SETUP ${m} " f4, f1, f2, f3${rm}\\n fmv.x.d %[r], f4\\n")`;
    case "R2": case "R2N": return `CASE(${i}, SETUP ${m} " f4, f1, f2${rm}\\n fmv.x.d %[r], f4\\n")`;
    case "R1": return `CASE(${i}, SETUP ${m} " f4, f1${rm}\\n fmv.x.d %[r], f4\\n")`;
    case "FX1": case "FX1N": return `CASE(${i}, SETUP ${m} " %[r], f1${rm}\\n")`;
    case "FX2N": return `CASE(${i}, SETUP ${m} " %[r], f1, f2\\n")`;
    default: return `CASE(${i}, "fmv.d.x f4, %[c]\\n " ${m} " f4, %[a]${rm}\\n fmv.x.d %[r], f4\\n")`;
  }
}).join("\n") + "\n");
const elf = join(work, "runner.elf");
execFileSync("riscv64-unknown-elf-gcc", [
  "-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany", "-O1", "-nostdlib", "-ffreestanding", "-static",
  "-T", join(here, "link.ld"), "-I", work, join(here, "start.S"), join(here, "runner.c"), "-o", elf,
], { stdio: "inherit" });
const out = execFileSync("qemu-system-riscv64", [
  "-machine", "virt", "-bios", "none", "-kernel", elf, "-nographic", "-monitor", "none", "-serial", "stdio",
], { maxBuffer: 1 << 30, timeout: 600_000 }).toString();
const lines = out.split(/\r?\n/).filter((l) => /^[0-9a-f]{16} [0-9a-f]{2}$/.test(l));
if (lines.length !== vecs.length || !out.includes("END")) throw new Error(`got ${lines.length} results for ${vecs.length} vectors`);
const results = lines.map((l) => { const [r, f] = l.split(" "); return { r: BigInt("0x" + r), f: parseInt(f, 16) }; });

if (!CHECK) {
  const h = (x) => x.toString(16);
  writeFileSync(OUT, "# op rm a b c result fflags (hex; generated by make-golden.mjs from QEMU)\n" +
    vecs.map((v, i) => `${v.name} ${v.rm} ${h(v.a)} ${h(v.b)} ${h(v.c)} ${h(results[i].r)} ${h(results[i].f)}`).join("\n") + "\n");
  console.log(`wrote ${vecs.length} vectors to ${OUT}`);
} else {
  const { replay } = await import("./replay.mjs");
  const bad = await replay(root, vecs.map((v, i) => ({ ...v, r: results[i].r, f: results[i].f })));
  console.log(`${vecs.length} vectors, ${bad.length} mismatches`);
  for (const b of bad.slice(0, 20)) console.log(b);
  process.exitCode = bad.length ? 1 : 0;
}
