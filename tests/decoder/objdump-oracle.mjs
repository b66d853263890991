// Differential oracle: what GNU objdump makes of arbitrary instruction words.
//
// `objdumpFields(words)` emits every word with `.insn` (so it is marked as an instruction),
// assembles for rv64gch_zihintpause, disassembles with `objdump -d -M no-aliases,numeric`, and
// turns each disassembly into expected decoded fields with asm-fields.mjs ("ILLEGAL" when
// objdump prints .2byte/.4byte/c.unimp). Returns null when the toolchain is not installed.
// Words must be 16-bit (low bits != 11, upper half zero) or 32-bit (bits 4:2 != 111).
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fieldsFromAsm } from "./asm-fields.mjs";

const AS = "riscv64-unknown-elf-as", OBJDUMP = "riscv64-unknown-elf-objdump";

/** True when the RISC-V binutils are on PATH. */
export function haveBinutils() {
  try {
    execFileSync(AS, ["--version"], { stdio: "ignore" });
    execFileSync(OBJDUMP, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Expected fields (or { error }) for each word according to objdump; null without binutils. */
export function objdumpFields(words) {
  if (!haveBinutils()) return null;
  const dir = mkdtempSync(join(tmpdir(), "decoracle-"));
  try {
    const src = [".option norelax"];
    for (const w of words) src.push(`.insn 0x${(w >>> 0).toString(16)}`);
    writeFileSync(join(dir, "o.s"), src.join("\n") + "\n");
    execFileSync(AS, ["-march=rv64gch_zihintpause", "-o", join(dir, "o.o"), join(dir, "o.s")], { stdio: ["ignore", "ignore", "inherit"] });
    const dump = execFileSync(OBJDUMP, ["-d", "-M", "no-aliases,numeric", join(dir, "o.o")],
      { encoding: "utf8", maxBuffer: 1 << 30 });
    const out = [];
    for (const line of dump.split("\n")) {
      const m = /^\s*([0-9a-f]+):\s+([0-9a-f]{4}|[0-9a-f]{8})\s+(\S.*)$/.exec(line);
      if (!m) continue;
      const pc = parseInt(m[1], 16), raw = parseInt(m[2], 16) >>> 0;
      const dis = m[3].replace(/\s+/, " ").trim();
      let f;
      if (/^\.(2|4)byte\b/.test(dis)) f = { op: "ILLEGAL", rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0 };
      else {
        try {
          f = fieldsFromAsm(dis, { pc, csrFallback: () => raw >>> 20, rmFallback: (raw >>> 12) & 7 });
        } catch (e) {
          f = { error: String(e.message) };
        }
      }
      out.push({ raw, dis, ...f });
    }
    if (out.length !== words.length) throw new Error(`objdump gave ${out.length} of ${words.length} words`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
