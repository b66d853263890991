// Differential tests for the DBT's code generator (assembly/jit/codegen.ts) against the
// interpreter (assembly/cpu/interp.ts, the reference semantics).
//
// tests/jit/codegen-harness.ts puts the interpreter and the translator into one module on a
// shared memory. For each block (random RV64IM ALU instructions and loads/stores, 32-bit and
// compressed, ending with a random branch/JAL/JALR or an untranslatable instruction) and random
// initial registers and data bytes:
//   interpreter: resetHart(0, pc), set x1..x31, run(0, n) for exactly the block's n instructions
//                (n = k + 1 when instruction k faults: the trap is taken, mepc/mcause/mtval
//                record it, no register changes)
//   translator:  same initial state, translateBlock(...), instantiate the bytes on the same
//                memory with the core's jit helpers as imports, jitEnter(0), call run(hartBase)
// and every register, the next pc (mepc after a fault), the retired count, the pending
// exception and the data region's bytes must agree. Loads and stores address a data region in
// guest RAM (bare M-mode: identity mapping, RAM pages hit in the TLB once filled) through base
// registers the generator tracks; some blocks start with the TLB warm, others cold. A mismatch
// prints the disassembly and both states. The seed is fixed (override with CODEGEN_SEED).
import { describe, it, expect, beforeAll } from "vitest";
import * as L from "../../host/core/layout.generated";
import {
  BAD, BLOCKS, BUF, CAP, CAUSE_LOAD_ACCESS, DATA, DRAM, END_NONE, HART, I16, I32, Insn, LOADS, RAM_SIZE,
  SEED, STORES, addi, agree, blk, cMem, cMemSp, chance, check, device, dv, encI, encU, faultOf, getRegs,
  hostOf, jal, loadOp, mem, rndBlock, rndRegs, rtype, runInterp, runJit, setRegs, sext, slowCalls,
  storeOp, u64, writeBlock, x, loadHarness, resetSlowCalls, setDevice, ATTN_EXIT, CAUSE_STORE_ACCESS,
  END_BRANCH, END_MAX, END_UNSUPPORTED,
} from "./codegen-env";

beforeAll(loadHarness, 120_000);

describe("translateBlock: differential against the interpreter", () => {
  it(`${BLOCKS} random RV64IM/RV64C blocks with loads/stores agree on registers, next pc, retired count, faults and memory`, () => {
    const failures: string[] = [];
    let insns = 0, compressed = 0, memOps = 0, faults = 0;
    resetSlowCalls();
    const ends = [0, 0, 0, 0];
    const seen = new Set<string>();
    for (let i = 0; i < BLOCKS; i++) {
      const b = rndBlock();
      insns += b.n;
      compressed += b.insns.slice(0, b.n).filter((q) => q.len === 2).length;
      ends[b.end]++;
      const k = faultOf(b);
      for (const q of b.insns.slice(0, k >= 0 ? k + 1 : b.n)) {
        const name = L.OP_NAMES[Number(u64(x.decode(q.bits)) & 0x1ffn)];
        seen.add(name);
        if (/^(L[BHWD]U?|S[BHWD])$/.test(name)) memOps++;
      }
      if (k >= 0) faults++;
      const f = check(b, rndRegs(), chance(0.5));
      if (f) { failures.push(`block #${i} (seed ${SEED}):\n${f}`); if (failures.length >= 3) break; }
    }
    if (failures.length) console.error(failures.join("\n\n"));
    expect(failures.length, failures[0]).toBe(0);
    expect(insns).toBeGreaterThan(BLOCKS * 10);
    expect(compressed).toBeGreaterThan(BLOCKS);
    expect(ends[END_BRANCH] * ends[END_UNSUPPORTED] * ends[END_MAX]).toBeGreaterThan(0);
    // Both TLB paths ran: inline hits (accesses without a helper call) and helper calls.
    expect(memOps).toBeGreaterThan(BLOCKS * 2);
    expect(slowCalls).toBeGreaterThan(memOps / 20);
    expect(slowCalls).toBeLessThan(memOps * 0.8);
    expect(faults).toBeGreaterThan(BLOCKS / 100);
    // Coverage: every operation of the translated subset was generated (decoded by the core).
    const subset = ["LUI", "AUIPC", "JAL", "JALR", "BEQ", "BNE", "BLT", "BGE", "BLTU", "BGEU",
      "ADDI", "SLTI", "SLTIU", "XORI", "ORI", "ANDI", "SLLI", "SRLI", "SRAI",
      "ADD", "SUB", "SLL", "SLT", "SLTU", "XOR", "SRL", "SRA", "OR", "AND",
      "ADDIW", "SLLIW", "SRLIW", "SRAIW", "ADDW", "SUBW", "SLLW", "SRLW", "SRAW",
      "MUL", "MULH", "MULHSU", "MULHU", "DIV", "DIVU", "REM", "REMU", "MULW", "DIVW", "DIVUW", "REMW", "REMUW",
      "LB", "LH", "LW", "LD", "LBU", "LHU", "LWU", "SB", "SH", "SW", "SD"];
    expect(subset.filter((o) => !seen.has(o))).toEqual([]);
    expect(seen.has("ILLEGAL")).toBe(false);
  }, 300_000);
});

describe("translateBlock: unit cases", () => {
  const MIN = 0x8000_0000_0000_0000n;
  const W_MIN = 0xffff_ffff_8000_0000n;

  it("division and remainder edge cases (x/0, x%0, MIN/-1, MIN%-1; 64-bit and W forms)", () => {
    // x1 = dividend, x2 = divisor; results in x3..x10
    const ops = ["div", "divu", "rem", "remu", "divw", "divuw", "remw", "remuw"];
    const code = [...ops.map((o, k) => rtype(o, 3 + k, 1, 2)), jal(0, 8)];
    const vals = [0n, 1n, u64(-1n), 7n, u64(-7n), MIN, MIN - 1n, 0x8000_0000n, W_MIN, 0xffff_ffffn, 0x1_0000_0000n];
    for (const a of vals) for (const b of vals) agree(blk(code), { 1: a, 2: b });
    // The spec's table ("Division Operations"), checked absolutely on the translated code.
    const s = (a: bigint, b: bigint) => agree(blk(code), { 1: a, 2: b }).regs;
    let r = s(1234n, 0n);
    expect(r.slice(3, 11)).toEqual([u64(-1n), u64(-1n), 1234n, 1234n, u64(-1n), u64(-1n), 1234n, 1234n]);
    r = s(MIN, u64(-1n));
    expect(r[3]).toBe(MIN); // DIV overflow
    expect(r[5]).toBe(0n); // REM overflow
    r = s(W_MIN, u64(-1n));
    expect(r[7]).toBe(W_MIN); // DIVW overflow: sext(-2^31)
    expect(r[9]).toBe(0n); // REMW overflow
    r = s(0x1_0000_0005n, 0x1_0000_0000n); // W forms see 5 / 0
    expect(r[7]).toBe(u64(-1n));
    expect(r[9]).toBe(5n);
    r = s(u64(-7n), 2n);
    expect(r[3]).toBe(u64(-3n)); // rounds towards zero
    expect(r[5]).toBe(u64(-1n)); // sign of the dividend
  });

  it("high multiplies at the extremes", () => {
    const code = [rtype("mulh", 3, 1, 2), rtype("mulhu", 4, 1, 2), rtype("mulhsu", 5, 1, 2), rtype("mulhsu", 6, 2, 1), jal(0, 8)];
    const vals = [0n, 1n, u64(-1n), MIN, MIN - 1n, 0xffff_ffffn, 0x1_0000_0000n, 0xdead_beef_cafe_f00dn];
    for (const a of vals) for (const b of vals) {
      const r = agree(blk(code), { 1: a, 2: b }).regs;
      const sa = BigInt.asIntN(64, a), sb = BigInt.asIntN(64, b);
      expect(r[3]).toBe(u64((sa * sb) >> 64n));
      expect(r[4]).toBe(u64((a * b) >> 64n));
      expect(r[5]).toBe(u64((sa * b) >> 64n));
    }
  });

  it("x0: reads are 0, writes are discarded, the sink is untouched", () => {
    const code = [
      addi(0, 1, 5), // HINT: no effect
      rtype("add", 0, 1, 1),
      I32(encU(0x12345, 0, 0x37), "lui x0, 0x12345"),
      rtype("div", 0, 1, 0),
      rtype("add", 2, 0, 0), // x2 = 0
      addi(3, 0, -1), // x3 = -1
      rtype("sub", 4, 0, 1), // x4 = -x1
      jal(0, 64),
    ];
    dv.setBigUint64(HART + L.H_X + 8 * L.X_SINK, 0x5a5an, true);
    const st = agree(blk(code), { 1: 10n, 2: 99n, 3: 99n, 4: 99n });
    expect(st.regs[0]).toBe(0n);
    expect(st.regs[2]).toBe(0n);
    expect(st.regs[3]).toBe(u64(-1n));
    expect(st.regs[4]).toBe(u64(-10n));
    expect(st.pc).toBe(DRAM + 0x2000n + 7n * 4n + 64n);
  });

  it("JALR reads rs1 before writing the link (rd == rs1), clears bit 0", () => {
    const code = [I32(encI(3, 1, 0, 1, 0x67), "jalr x1, 3(x1)")];
    const st = agree(blk(code), { 1: 0x8000_1000n });
    expect(st.pc).toBe(0x8000_1002n);
    expect(st.regs[1]).toBe(DRAM + 0x2004n);
  });

  it("a block ends after maxInsns with the fall-through pc (compressed lengths counted)", () => {
    const code = [addi(1, 1, 1), I16((2 << 13) | (2 << 7) | (5 << 2) | 1, "c.li x2, 5"), addi(3, 3, 3), addi(4, 4, 4), jal(0, -16)];
    for (let max = 1; max <= 4; max++) {
      const st = agree(blk(code, max, END_MAX, max), {});
      const lens = [4, 2, 4, 4].slice(0, max).reduce((s, l) => s + l, 0);
      expect(st.pc).toBe(DRAM + 0x2000n + BigInt(lens));
      expect(st.regs[4]).toBe(max >= 4 ? 4n : 0n);
    }
    // maxInsns = 5 includes the terminator
    expect(agree(blk(code, 5, END_BRANCH, 5), {}).pc).toBe(DRAM + 0x2000n + 14n - 16n);
  });

  it("AUIPC and link values use the block's own pc", () => {
    const code = [I32(encU(0xfffff, 5, 0x17), "auipc x5, 0xfffff"), jal(6, 0x100)];
    for (const pc of [DRAM + 0x3000n, DRAM + 0x3002n]) {
      const st = agree(blk(code, 2, END_BRANCH, 64, pc), {});
      expect(st.regs[5]).toBe(pc - 0x1000n);
      expect(st.regs[6]).toBe(pc + 8n);
      expect(st.pc).toBe(pc + 4n + 0x100n);
    }
  });

  it("returns 0 when the first instruction is not translatable", () => {
    dv.setUint32(hostOf(DRAM + 0x2000n), 0x00000073, true); // ecall
    expect(x.translateBlock(hostOf(DRAM + 0x2000n), DRAM + 0x2000n, 64, BUF, CAP)).toBe(0);
    expect(x.lastBlockInsns()).toBe(0);
    expect(x.lastBlockEnd()).toBe(END_NONE);
    expect(x.translateBlock(hostOf(DRAM + 0x2000n), DRAM + 0x2000n, 0, BUF, CAP)).toBe(0);
  });

  it("reports overflow of a too small buffer, and the size it needed", () => {
    const b = blk([addi(1, 1, 1), rtype("mulh", 2, 1, 1), jal(0, 8)]);
    writeBlock(b);
    const full = x.translateBlock(hostOf(b.pc), b.pc, 64, BUF, CAP);
    expect(full).toBeGreaterThan(0);
    expect(x.translateBlock(hostOf(b.pc), b.pc, 64, BUF, 40)).toBe(0);
    expect(x.emitOverflowed()).toBe(1);
    expect(x.emitPos()).toBe(full);
    expect(x.lastBlockBytes()).toBe(12);
  });
});

describe("translateBlock: loads and stores", () => {
  const sd = (rs2: number, rs1: number, imm: number) => storeOp("sd", rs2, rs1, imm);
  const ld = (rd: number, rs1: number, imm: number) => loadOp("ld", rd, rs1, imm);

  it("a warm TLB serves aligned RAM accesses inline (no helper call); sign/zero extension", () => {
    const code = [
      sd(2, 1, 0), loadOp("lb", 3, 1, 7), loadOp("lbu", 4, 1, 7), loadOp("lh", 5, 1, 6), loadOp("lhu", 6, 1, 6),
      loadOp("lw", 7, 1, 4), loadOp("lwu", 8, 1, 4), ld(9, 1, 0), storeOp("sb", 2, 1, 8), storeOp("sh", 2, 1, 10),
      storeOp("sw", 2, 1, 12), ld(10, 1, 8), jal(0, 8),
    ];
    const v = 0x8081_8283_8485_8687n;
    const before = slowCalls;
    const st = agree(blk(code), { 1: DATA + 0x100n, 2: v }, true);
    expect(slowCalls - before).toBe(0); // the check's and this run: all hits
    expect(st.regs[3]).toBe(u64(-0x80n));
    expect(st.regs[4]).toBe(0x80n);
    expect(st.regs[5]).toBe(0xffff_ffff_ffff_8081n);
    expect(st.regs[6]).toBe(0x8081n);
    expect(st.regs[7]).toBe(0xffff_ffff_8081_8283n);
    expect(st.regs[8]).toBe(0x8081_8283n);
    expect(st.regs[9]).toBe(v);
    expect(st.regs[10] & 0xffff_ffff_ffff_00ffn).toBe(0x8485_8687_8687_0087n); // byte 9 keeps its random value
    expect(st.retired).toBe(code.length);
    // cold TLB: the first access per page takes the helper (fill), misaligned ones always do
    const b2 = blk([ld(3, 1, 1), ld(4, 1, 0), sd(4, 1, 3), jal(0, 8)]);
    const c0 = slowCalls;
    agree(b2, { 1: DATA + 0x200n });
    expect(slowCalls - c0).toBe(2 * 2); // ld misaligned + sd misaligned, in check and agree runs
  });

  it("precise faults: the k-th access to an unmapped address stops the block there (every op, both forms)", () => {
    const forms: [string, (rb: number) => Insn, number][] = [
      ...LOADS.map(([n]) => [n, (rb: number) => loadOp(n, 20, rb, 0x18), CAUSE_LOAD_ACCESS] as [string, (rb: number) => Insn, number]),
      ...STORES.map(([n]) => [n, (rb: number) => storeOp(n, 21, rb, -8), CAUSE_STORE_ACCESS] as [string, (rb: number) => Insn, number]),
      ["c.lw", (rb: number) => cMem(false, false, 9, rb, 4), CAUSE_LOAD_ACCESS],
      ["c.sd", (rb: number) => cMem(true, true, 9, rb, 8), CAUSE_STORE_ACCESS],
      ["c.ldsp", (_rb: number) => cMemSp(false, true, 20, 16), CAUSE_LOAD_ACCESS],
      ["c.swsp", (_rb: number) => cMemSp(true, false, 21, 12), CAUSE_STORE_ACCESS],
    ];
    for (const [name, mk, cause] of forms) {
      for (const k of [0, 1, 3]) {
        const rb = name.endsWith("sp") ? 2 : name.startsWith("c.") ? 8 : 5;
        // k instructions before the fault write x10.., one of them a good load, then the
        // faulting access, then instructions that must not take effect.
        const pre = [addi(10, 0, 11), ld(11, 6, 0), addi(12, 12, 1)].slice(0, k);
        const code = [...pre, mk(rb), addi(13, 0, 99), sd(0, 6, 0), jal(0, 8)];
        const b = { ...blk(code), fault: k };
        const st = agree(b, { [rb]: BAD + 0x100n, 6: DATA + 0x40n, 20: 5n, 21: 6n, 9: 7n });
        const addr = name.endsWith("sp") ? BAD + 0x100n + BigInt(name === "c.ldsp" ? 16 : 12)
          : name.startsWith("c.") ? BAD + 0x100n + BigInt(name === "c.lw" ? 4 : 8)
          : BAD + 0x100n + BigInt(cause === CAUSE_LOAD_ACCESS ? 0x18 : -8);
        expect(st.retired, `${name} k=${k}`).toBe(k);
        expect(st.cause).toBe(cause);
        expect(st.tval).toBe(addr);
        expect(st.pc).toBe(DRAM + 0x2000n + BigInt(4 * k));
        expect(st.regs[13]).toBe(0n);
        expect(st.regs[10]).toBe(k >= 1 ? 11n : 0n);
        expect(st.regs[20]).toBe(5n); // a faulting load leaves rd alone
      }
    }
  });

  it("misaligned accesses that cross from the last RAM page into nothing fault like the interpreter", () => {
    const END = DRAM + BigInt(RAM_SIZE);
    const tail = () => new Uint8Array(mem.buffer, hostOf(END - 16n), 16).slice();
    for (const [insn, cause] of [[ld(3, 1, -4), CAUSE_LOAD_ACCESS], [loadOp("lw", 3, 1, -2), CAUSE_LOAD_ACCESS],
      [sd(2, 1, -4), CAUSE_STORE_ACCESS], [storeOp("sh", 2, 1, -1), CAUSE_STORE_ACCESS]] as [Insn, number][]) {
      const b = { ...blk([addi(4, 0, 1), insn, addi(5, 0, 1), jal(0, 8)]), fault: 1 };
      const init = { 1: END, 2: 0x1122_3344_5566_7788n, 3: 77n };
      new Uint8Array(mem.buffer, hostOf(END - 16n), 16).fill(0xee);
      const regs = Array.from({ length: 32 }, (_, r) => (r === 0 ? 0n : u64((init as any)[r] ?? 0n)));
      writeBlock(b);
      const ref = runInterp(b, regs);
      const refTail = tail();
      new Uint8Array(mem.buffer, hostOf(END - 16n), 16).fill(0xee);
      const st = runJit(b, regs);
      expect(st.retired).toBe(1);
      expect(st.pc).toBe(ref.pc);
      expect(st.regs).toEqual(ref.regs);
      expect(st.cause).toBe(cause);
      expect(st.tval).toBe(ref.tval);
      expect(st.tval).toBe(END); // the first byte outside RAM
      expect(tail()).toEqual(refTail); // partial store effects match the interpreter's
    }
  });

  it("an HTIF tohost store ends the block after it (ATTN_EXIT, retired includes it)", () => {
    const TOHOST = DRAM + 0xd_0000n;
    dv.setBigUint64(L.MACHINE_BASE + L.M_TOHOST, TOHOST, true);
    try {
      const code = [addi(5, 0, 7), sd(6, 7, 0), addi(8, 0, 9), jal(0, 8)];
      const b = blk(code);
      const regs = Array.from({ length: 32 }, (_, r) => (r === 6 ? 1n : r === 7 ? TOHOST : r === 8 ? 3n : 0n));
      writeBlock(b);
      dv.setBigUint64(hostOf(TOHOST), 0n, true);
      x.resetHart(0, b.pc); setRegs(regs);
      expect(x.run(0, 4n)).toBe(L.EXIT_HTIF);
      const refRegs = getRegs(), refPc = dv.getBigUint64(HART + L.H_PC, true);
      dv.setBigUint64(hostOf(TOHOST), 0n, true);
      const st = runJit(b, regs);
      expect(st.attention & ATTN_EXIT).toBe(ATTN_EXIT);
      expect(st.cause).toBe(-1);
      expect(st.retired).toBe(2);
      expect(st.pc).toBe(refPc);
      expect(st.pc).toBe(b.pc + 8n);
      expect(st.regs).toEqual(refRegs);
      expect(st.regs[5]).toBe(7n);
      expect(st.regs[8]).toBe(3n);
      expect(dv.getBigUint64(hostOf(TOHOST), true)).toBe(1n);
    } finally {
      dv.setBigUint64(L.MACHINE_BASE + L.M_TOHOST, 0n, true);
      dv.setBigUint64(hostOf(TOHOST), 0n, true);
    }
  });

  it("MMIO loads go through the helper; a device stop request ends the block after the load", () => {
    const DEV = 0x1000_0000n;
    const code = [loadOp("lb", 3, 1, 0), loadOp("lhu", 4, 1, 2), addi(5, 0, 5), jal(0, 8)];
    setDevice({ read: (pa, size) => (pa === DEV ? 0x80n : 0xfedcn & ((1n << BigInt(8 * size)) - 1n)) });
    try {
      const st = agree(blk(code), { 1: DEV });
      expect(st.regs[3]).toBe(u64(-0x80n));
      expect(st.regs[4]).toBe(0xfedcn);
      expect(st.retired).toBe(4);
      // With a stop request the first load completes (rd written) and the block ends.
      device.stop = true;
      const b = blk(code);
      const regs = Array.from({ length: 32 }, (_, r) => (r === 1 ? DEV : 0n));
      writeBlock(b);
      x.resetHart(0, b.pc); setRegs(regs);
      expect(x.run(0, 4n)).toBe(L.EXIT_STOP);
      const refRegs = getRegs(), refPc = dv.getBigUint64(HART + L.H_PC, true);
      dv.setUint32(L.MACHINE_BASE + L.M_STOP, 0, true);
      const j = runJit(b, regs);
      expect(j.attention & ATTN_EXIT).toBe(ATTN_EXIT);
      expect(j.retired).toBe(1);
      expect(j.pc).toBe(refPc);
      expect(j.pc).toBe(b.pc + 4n);
      expect(j.regs).toEqual(refRegs);
      expect(j.regs[3]).toBe(u64(-0x80n));
      expect(j.regs[4]).toBe(0n);
    } finally {
      setDevice(null);
      dv.setUint32(L.MACHINE_BASE + L.M_STOP, 0, true);
    }
  });

  it("an ALU-only block imports nothing but memory; a block with memory accesses the helpers", () => {
    const b = blk([addi(1, 1, 1), jal(0, 8)]);
    writeBlock(b);
    const len = x.translateBlock(hostOf(b.pc), b.pc, 64, BUF, CAP);
    const mod = new WebAssembly.Module(new Uint8Array(mem.buffer, BUF, len).slice());
    expect(WebAssembly.Module.imports(mod).map((i) => i.name)).toEqual(["memory"]);
    const b2 = blk([ld(1, 2, 0), jal(0, 8)]);
    writeBlock(b2);
    const len2 = x.translateBlock(hostOf(b2.pc), b2.pc, 64, BUF, CAP);
    const mod2 = new WebAssembly.Module(new Uint8Array(mem.buffer, BUF, len2).slice());
    expect(WebAssembly.Module.imports(mod2).map((i) => i.name)).toEqual(["jitLoad", "jitStore", "jitStatus", "jitFloat", "jitIllegal", "jitExec", "memory"]);
  });
});
