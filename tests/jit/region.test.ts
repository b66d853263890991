// Differential tests for DBT regions (assembly/jit/region.ts) against the interpreter.
//
// A random region is a run of segments laid out one after another in one guest page; each
// segment is random RV64IM/RV64C ALU instructions and loads/stores (the generators of
// tests/jit/codegen-env.ts) followed by a transfer: a conditional branch or JAL to the start of a
// random segment (forward or backward: loops), a call (JAL with a link), a JALR, a branch out of
// the page, a fall-through into the next segment, or an untranslated instruction. The translator
// discovers the region from one segment's start; the test enters it at a random member block
// (H_JIT_ENTRY) with a random retired bound (H_JIT_LIMIT) and lets it run until it exits. The
// interpreter then runs exactly as many instructions from the same state (one more when the
// region stopped at a fault: the trap is taken), and registers, next pc (mepc after a fault),
// pending exception and all of guest RAM must agree. Guest RAM is restored between the two runs.
// Cases whose stores hit the code page (self-modifying code: the region is stale by design, the
// dispatcher's page generation handles it) are skipped and counted. A third of the regions start
// near the end of their page and run on into the next one: with both pages in the fetch TLB the
// translator makes them one module of two functions with chained calls (assembly/jit/chain.ts).
import { describe, it, expect, beforeAll } from "vitest";
import * as L from "../../host/core/layout.generated";
import {
  BAD, BUF, CAP, encR, encS, setBase, addi, DATA, DATA_SIZE, DRAM, HART, I32, Insn, RAM_SIZE, SEED, GenState, UNSUPPORTED, BRANCH, ATTN_EXCEPTION,
  chance, creg, fillData, dv, encB, encI, getRegs, hex, hostOf, instantiate, jal, jitTable, loadHarness, mem, nzreg, pick, reg, ri,
  rndAlu16, rndAlu32, rndMem, rndRegs, setRegs, startGen, u64, x,
} from "./codegen-env";
import { encAmo, encCsr, ECALL, EBREAK, MRET, FENCE_I } from "./rv-encode";

const CASES = Number(process.env.REGION_CASES ?? 1500);
/** cpu/causes.ts ATTN_BATCH: a system instruction ended the batch (the region exits after it). */
const ATTN_BATCH = 4;

beforeAll(loadHarness, 120_000);

interface Region { page: bigint; insns: Insn[]; starts: bigint[]; init: Record<number, bigint> }

/** Writes a region's code at its page (and the next) and returns the two pages' bytes (to
 *  detect stores into them). */
function writeRegion(r: Region): Uint8Array {
  const base = hostOf(r.page);
  new Uint8Array(mem.buffer, base, 0x2000).fill(0);
  let a = hostOf(r.starts[0]);
  for (const i of r.insns) {
    if (i.len === 4) dv.setUint32(a, i.bits, true); else dv.setUint16(a, i.bits, true);
    a += i.len;
  }
  return new Uint8Array(mem.buffer, base, 0x2000).slice();
}

/** A random region: 2..7 segments starting at a random offset of a random page. */
function rndRegion(): Region {
  const page = DRAM + BigInt(0x1000 * (1 + ri(0x7e)));
  const first = page + BigInt(chance(0.33) ? 0xf80 + (ri(0x60) & ~1) : ri(0x300) & ~1);
  const { g, init } = startGen(first);
  const segments = 2 + ri(6);
  const starts: bigint[] = [];
  const transfers: { at: number; pc: bigint; kind: number }[] = [];
  for (let s = 0; s < segments; s++) {
    starts.push(g.pc);
    const k = chance(0.2) ? ri(2) : 1 + ri(12);
    for (let i = 0; i < k; i++) {
      if (chance(0.25)) rndMem(g);
      else if (chance(0.15)) rndFp(g);
      else if (chance(0.08)) rndSys(g);
      else { const q = chance(0.3) ? rndAlu16() : rndAlu32(); g.insns.push(q); g.pc += BigInt(q.len); }
    }
    const kind = ri(20);
    if (kind < 2 && s < segments - 1) continue; // fall through into the next segment
    transfers.push({ at: g.insns.length, pc: g.pc, kind });
    g.insns.push(I32(0, "placeholder"));
    g.pc += 4n;
  }
  // Transfers, now that every segment's start is known.
  for (const t of transfers) {
    const target = pick(starts);
    const off = Number(target - t.pc);
    let q: Insn;
    if (t.kind < 10) {
      const [n, f3] = pick(BRANCH); const rs1 = reg(), rs2 = chance(0.2) ? rs1 : reg();
      q = I32(encB(off, rs2, rs1, f3), `${n} x${rs1}, x${rs2}, ${off} (-> ${hex(target)})`);
    } else if (t.kind < 13) q = jal(0, off);
    else if (t.kind < 15) q = jal(1, off); // a call: its return point is a block of the region too
    else if (t.kind < 16) {
      if (chance(0.5)) q = I32(encI(0, 1, 0, 0, 0x67), "ret (jalr x0, 0(x1))"); // back to a call's return point
      else { const rs1 = reg(); q = I32(encI(ri(64) - 32, rs1, 0, reg(), 0x67), `jalr (x${rs1})`); }
    }
    else if (t.kind < 17) q = jal(0, 0x1000 + ri(0x100) * 2); // out of the page
    else if (t.kind < 18) { // a conditional branch out of the page (within the B-type range)
      const small = BigInt(2 * ri(0x40));
      const out = t.pc - r0(t.pc) >= 0x800n ? r0(t.pc) + 0x1000n + small : r0(t.pc) - 2n - small;
      const [n, f3] = pick(BRANCH);
      q = I32(encB(Number(out - t.pc), 2, 1, f3), `${n} x1, x2, ${hex(out)}`);
    }
    else q = pick(UNSUPPORTED);
    g.insns[t.at] = q;
  }
  return { page, insns: g.insns, starts, init };
}

// ---- A extension and system instructions (regions run them through jitExec) ----

// CSRs: plain ones (writes continue the region), counters (read exactly mid-region), mstatus
// (read only), mie (a write ends the region) and pmpcfg1 (illegal on RV64). time is left out: the
// machine's clock is not reset between the two runs.
const CSRS = [0x001, 0x002, 0x003, 0xc00, 0xc02, 0x140, 0x340, 0x341, 0x342, 0x300, 0x304, 0x3a1];
const READ_ONLY = new Set([0xc00, 0xc02, 0x300]);
const AMO_FUNCT5 = [0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c];

/** Appends a CSR instruction, an AMO, an LR/SC pair, or (rarely) ECALL, EBREAK, MRET or a fence. */
function rndSys(g: GenState) {
  const push = (bits: number, text: string) => { g.insns.push(I32(bits >>> 0, text)); g.pc += 4n; };
  const k = ri(10);
  if (k < 5) {
    const csr = pick(CSRS);
    const ro = READ_ONLY.has(csr);
    const f3 = ro ? pick([2, 3, 6, 7]) : pick([1, 2, 3, 5, 6, 7]);
    const source = ro ? 0 : f3 >= 5 ? ri(32) : reg();
    const rd = chance(0.1) ? 0 : reg();
    push(encCsr(csr, source, f3, rd), `csr f3=${f3} x${rd}, 0x${csr.toString(16)}, ${source}`);
    g.ptrs.delete(rd);
  } else if (k < 9) {
    // An aligned data pointer (or, now and then, a misaligned one: the AMO raises).
    const rb = nzreg();
    setBase(g, rb);
    const misaligned = chance(0.05);
    push(encI(misaligned ? -4 : -8, rb, 7, rb, 0x13), `andi x${rb}, x${rb}, ${misaligned ? -4 : -8}`);
    g.ptrs.set(rb, g.ptrs.get(rb)! & (misaligned ? ~3n : ~7n));
    const f3 = chance(0.5) ? 3 : 2, rd = reg();
    if (chance(0.3)) {
      push(encAmo(0x02, 0, 0, 0, rb, f3, rd), `lr x${rd}, (x${rb})`);
      const rd2 = reg();
      push(encAmo(0x03, 0, 0, reg(), rb, f3, rd2), `sc x${rd2}, (x${rb})`);
      g.ptrs.delete(rd2);
    } else {
      const f5 = pick(AMO_FUNCT5);
      push(encAmo(f5, ri(2), ri(2), reg(), rb, f3, rd), `amo${f5.toString(16)} x${rd}, (x${rb})`);
    }
    g.ptrs.delete(rd);
  } else {
    const [bits, text] = pick([[ECALL, "ecall"], [EBREAK, "ebreak"], [MRET, "mret"], [FENCE_I, "fence.i"]] as [number, string][]);
    push(bits, text);
  }
}

// ---- F/D instructions (regions run them: loads/stores inline, the rest through jitFloat) ----

const FP_RR: [string, number][] = [ // name, funct7 (rs2 is a register)
  ["fadd.d", 0x01], ["fsub.d", 0x05], ["fmul.d", 0x09], ["fdiv.d", 0x0d], ["fadd.s", 0x00], ["fmul.s", 0x08],
  ["fmin.d", 0x15], ["fsgnj.d", 0x11],
];
const FP_X: [string, number, number, number][] = [ // name, funct7, rs2 field, fixed rm (-1: any)
  ["fcvt.l.d", 0x61, 2, -1], ["fcvt.w.d", 0x61, 0, -1], ["fcvt.d.l", 0x69, 2, -1], ["fcvt.s.w", 0x68, 0, -1],
  ["fmv.x.d", 0x71, 0, 0], ["fmv.d.x", 0x79, 0, 0], ["fclass.d", 0x71, 0, 1], ["fmv.x.w", 0x70, 0, 0],
];
const FP_CMP: [string, number][] = [["feq.d", 2], ["flt.d", 1], ["fle.d", 0]];
/** A rounding mode: mostly dynamic (frm), sometimes static, rarely reserved (illegal). */
const rndRm = () => (chance(0.6) ? 7 : chance(0.9) ? ri(5) : 5 + ri(2));

/** Appends one random F/D instruction: a load/store through a data pointer, or an operation. */
function rndFp(g: GenState) {
  const k = ri(6);
  const f = () => ri(32);
  if (k < 2) {
    let rb = [...g.ptrs.keys()].find((r) => g.ptrs.get(r)! < BAD);
    if (rb === undefined || chance(0.3)) { rb = nzreg(); setBase(g, rb); }
    const dbl = chance(0.6), store = chance(0.4);
    const size = dbl ? 8 : 4;
    const base = g.ptrs.get(rb)!;
    const imm = Number(DATA - base) + ri((DATA_SIZE - 8) / size) * size;
    if (imm < -2048 || imm > 2047) return;
    const f3 = dbl ? 3 : 2, r = f();
    const name = `${store ? "fs" : "fl"}${dbl ? "d" : "w"}`;
    g.insns.push(store ? I32(encS(imm, r, rb, f3) - 0x23 + 0x27, `${name} f${r}, ${imm}(x${rb})`)
      : I32(encI(imm, rb, f3, r, 0x07), `${name} f${r}, ${imm}(x${rb})`));
  } else if (k < 4) {
    const [n, f7] = pick(FP_RR); const rd = f(), rs1 = f(), rs2 = f();
    const rm = n.startsWith("fmin") || n.startsWith("fsgnj") ? 0 : rndRm();
    g.insns.push(I32(encR(f7, rs2, rs1, rm, rd, 0x53), `${n} f${rd}, f${rs1}, f${rs2}, rm ${rm}`));
  } else if (k < 5) {
    const [n, f7, r2, fixed] = pick(FP_X); const rd = chance(0.5) ? reg() : f(), rs1 = chance(0.5) ? reg() : f();
    const rm = fixed >= 0 ? fixed : rndRm();
    g.insns.push(I32(encR(f7, r2, rs1, rm, rd, 0x53), `${n} ${rd}, ${rs1}, rm ${rm}`));
  } else if (chance(0.5)) {
    const [n, rm] = pick(FP_CMP); const rd = reg(), rs1 = f(), rs2 = f();
    g.insns.push(I32(encR(0x51, rs2, rs1, rm, rd, 0x53), `${n} x${rd}, f${rs1}, f${rs2}`));
  } else {
    const rd = f(), rs1 = f(), rs2 = f(), rs3 = f(), rm = rndRm();
    g.insns.push(I32(((rs3 << 27) | (1 << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | 0x43) >>> 0,
      `fmadd.d f${rd}, f${rs1}, f${rs2}, f${rs3}, rm ${rm}`));
  }
  g.pc += 4n;
  // An integer destination is no longer a known pointer.
  const last = g.insns[g.insns.length - 1];
  const rd = (last.bits >> 7) & 31;
  if ((last.bits & 0x7f) === 0x53) g.ptrs.delete(rd);
}

/** Random f registers, fflags, frm and mstatus.FS (Off now and then: F/D instructions then trap). */
function rndFpState(): { f: bigint[]; fs: bigint; frm: number } {
  const f: bigint[] = [];
  const specials = [0n, 0x8000_0000_0000_0000n, 0x7ff0_0000_0000_0000n, 0x7ff8_0000_0000_0000n, 0x3ff0_0000_0000_0000n,
    0xffff_ffff_3f80_0000n, 0xffff_ffff_7fc0_0000n, 0x4059_0000_0000_0000n];
  for (let r = 0; r < 32; r++) f.push(chance(0.3) ? pick(specials) : BigInt.asUintN(64, BigInt(ri(0x10000)) << 48n | BigInt(ri(0x1_0000_0000))));
  return { f, fs: chance(0.9) ? BigInt(1 + ri(3)) << 13n : 0n, frm: chance(0.9) ? ri(5) : 5 + ri(3) };
}
function setFpState(st: { f: bigint[]; fs: bigint; frm: number }) {
  for (let r = 0; r < 32; r++) dv.setBigUint64(HART + L.H_F + 8 * r, st.f[r], true);
  dv.setBigUint64(HART + L.H_MSTATUS, (dv.getBigUint64(HART + L.H_MSTATUS, true) & ~(3n << 13n)) | st.fs, true);
  dv.setUint32(HART + L.H_FFLAGS, 0, true);
  dv.setUint32(HART + L.H_FRM, st.frm, true);
}
function getFpState(): bigint[] {
  const out: bigint[] = [];
  for (let r = 0; r < 32; r++) out.push(dv.getBigUint64(HART + L.H_F + 8 * r, true));
  out.push(BigInt(dv.getUint32(HART + L.H_FFLAGS, true)), dv.getBigUint64(HART + L.H_MSTATUS, true));
  return out;
}

/** The page of guest address a. */
const r0 = (a: bigint) => a & ~0xfffn;
type FpState = ReturnType<typeof rndFpState>;
const ram = () => new Uint8Array(mem.buffer, L.RAM_HOST_BASE, RAM_SIZE);

/** Runs the translated region entered at block `entry` with bound `limit`; returns its state. */
function runRegion(module: any, entryPc: bigint, entry: number, limit: number, regs: bigint[], fp: FpState) {
  x.resetHart(0, entryPc);
  setRegs(regs);
  setFpState(fp);
  x.jitEnter(0);
  warmPages(entryPc);
  dv.setUint32(HART + L.H_JIT_ENTRY, entry, true);
  dv.setUint32(HART + L.H_JIT_LIMIT, limit, true);
  dv.setUint32(HART + L.H_JIT_RETIRED, 0, true); // the dispatcher's start of the count
  const pc = u64(module.run(HART));
  return {
    regs: getRegs(), fp: getFpState(), pc, retired: dv.getUint32(HART + L.H_JIT_RETIRED, true),
    cause: x.pendingCause() as number, tval: u64(x.pendingTval()), attention: x.pendingAttention() as number,
  };
}

/** Puts the page of `pc` and the next into the fetch TLB (a module takes in only mapped pages,
 *  and a chained call checks its callee's page there). */
function warmPages(pc: bigint) {
  x.fetchWarm(r0(pc));
  x.fetchWarm(r0(pc) + 0x1000n);
}

/** The interpreter from the same state for `n` instructions (a fault's trap taken at the last). */
function runInterp(entryPc: bigint, regs: bigint[], fp: FpState, n: number, fault: boolean) {
  x.resetHart(0, entryPc);
  setRegs(regs);
  setFpState(fp);
  const exit = x.run(0, BigInt(n));
  if (exit !== L.EXIT_BUDGET) throw new Error(`interpreter exit ${exit}`);
  const st = { regs: getRegs(), fp: getFpState(), pc: dv.getBigUint64(HART + L.H_PC, true), cause: -1, tval: 0n, ram: ram().slice() };
  if (fault) {
    st.pc = dv.getBigUint64(HART + L.H_MEPC, true);
    st.cause = Number(dv.getBigUint64(HART + L.H_MCAUSE, true));
    st.tval = dv.getBigUint64(HART + L.H_MTVAL, true);
  }
  return st;
}

describe("translateRegion: differential against the interpreter", () => {
  it(`${CASES} random multi-block regions with internal branches and loops agree`, () => {
    const failures: string[] = [];
    let fpChanged = 0, illegal = 0, batchEnds = 0;
    let multi = 0, loops = 0, faults = 0, skipped = 0, entered = 0, retiredTotal = 0, twoPages = 0;
    for (let c = 0; c < CASES && failures.length < 3; c++) {
      const r = rndRegion();
      const code = writeRegion(r);
      x.jitEnter(0);
      warmPages(r.page);
      const len = x.translateRegion(hostOf(r.page), r.starts[0], BUF, CAP);
      if (len === 0) continue; // first instruction untranslatable
      const blocks: number = x.regionBlocks();
      if (blocks > 1) multi++;
      if (x.regionPages() > 1) twoPages++;
      const module = instantiate(len);
      const entry = chance(0.5) ? 0 : ri(blocks);
      const entryPc = u64(x.regionBlockPc(entry));
      if (entry > 0) entered++;
      const limit = pick([0, 1, 7, 40, 300]);
      const regs = rndRegs();
      for (const [k, v] of Object.entries(r.init)) regs[Number(k)] = v;
      const before = ram().slice();
      new Uint8Array(mem.buffer, hostOf(DATA), DATA_SIZE).set(fillData());
      const snapshot = ram().slice();
      const fp = rndFpState();
      const jit = runRegion(module, entryPc, entry, limit, regs, fp);
      const jitRam = ram().slice();
      ram().set(snapshot);
      const fault = jit.cause >= 0;
      const ref = runInterp(entryPc, regs, fp, fault ? jit.retired + 1 : jit.retired, fault);
      ram().set(before);
      const codeNow = ref.ram.subarray(Number(r.page - DRAM), Number(r.page - DRAM) + 0x2000);
      if (Buffer.compare(codeNow, code) !== 0) { skipped++; continue; }
      if (fault) faults++;
      if (jit.cause === 2) illegal++;
      if (jit.fp.slice(0, 32).some((v, k) => v !== fp.f[k])) fpChanged++;
      if (jit.retired > x.regionBlockInsns(entry) + 20) loops++;
      retiredTotal += jit.retired;
      const problems: string[] = [];
      for (let k = 1; k < 32; k++) if (ref.regs[k] !== jit.regs[k]) problems.push(`x${k} ${hex(jit.regs[k])} vs interpreter ${hex(ref.regs[k])}`);
      const fpNames = [...Array.from({ length: 32 }, (_, k) => `f${k}`), "fflags", "mstatus"];
      for (let k = 0; k < fpNames.length; k++) {
        // mstatus after a trap holds the trap's MPP/MPIE changes on the interpreter's side only.
        if (k === 33 && fault) continue;
        if (ref.fp[k] !== jit.fp[k]) problems.push(`${fpNames[k]} ${hex(jit.fp[k])} vs interpreter ${hex(ref.fp[k])}`);
      }
      if (ref.pc !== jit.pc) problems.push(`pc ${hex(jit.pc)} vs interpreter ${hex(ref.pc)}`);
      if (ref.cause !== jit.cause || (fault && ref.tval !== jit.tval)) problems.push(`exception ${jit.cause}/${hex(jit.tval)} vs ${ref.cause}/${hex(ref.tval)}`);
      // Without a fault the region may have left after a batch-ending system instruction (ATTN_BATCH).
      if (jit.attention !== (fault ? ATTN_EXCEPTION : 0) && (fault || jit.attention !== ATTN_BATCH)) problems.push(`attention ${jit.attention}`);
      if (!fault && jit.attention === ATTN_BATCH) batchEnds++;
      if (!fault && limit > 0 && jit.retired > limit + 64 * blocks) problems.push(`retired ${jit.retired} far past the bound ${limit}`);
      if (Buffer.compare(ref.ram, jitRam) !== 0) problems.push("guest RAM differs");
      if (problems.length) {
        const listing = r.insns.map((q) => q.text).join("\n  ");
        failures.push(`case ${c} (seed ${SEED}) entry ${entry} (${hex(entryPc)}) limit ${limit} retired ${jit.retired}: ${problems.join("; ")}\n` +
          `segments ${r.starts.map(hex).join(" ")}\n  ${listing}`);
      }
    }
    if (failures.length) console.error(failures.join("\n\n"));
    expect(failures.length, failures[0]).toBe(0);
    expect(multi).toBeGreaterThan(CASES / 2);
    expect(twoPages).toBeGreaterThan(CASES / 20);
    expect(loops).toBeGreaterThan(CASES / 20);
    expect(faults).toBeGreaterThan(CASES / 100);
    expect(entered).toBeGreaterThan(CASES / 10);
    expect(skipped).toBeLessThan(CASES / 20);
    expect(retiredTotal).toBeGreaterThan(CASES * 20);
    // F/D instructions ran in the regions: f registers written, illegal-instruction traps taken.
    expect(fpChanged).toBeGreaterThan(CASES / 5);
    expect(illegal).toBeGreaterThan(CASES / 100);
    // System instructions ran in the regions and some ended them (xRET, mie writes, fences).
    expect(batchEnds).toBeGreaterThan(CASES / 100);
  }, 300_000);
});

describe("translateRegion: unit cases", () => {
  it("a call and its return stay inside the region (JALR to a return point), like the interpreter", () => {
    const page = DRAM + 0x5000n;
    const blt = (rs1: number, rs2: number, off: number) => I32(encB(off, rs2, rs1, 4), `blt x${rs1}, x${rs2}, ${off}`);
    const insns = [
      addi(5, 5, 1), //            0x00 loop: x5++
      jal(1, 12), //               0x04 call func (0x10)
      blt(5, 6, -8), //            0x08 back: while x5 < x6
      jal(0, 0x800), //            0x0c leave the region (0x80c)
      addi(7, 7, 3), //            0x10 func: x7 += 3
      I32(encI(0, 1, 0, 0, 0x67), "ret"), // 0x14
    ];
    const r: Region = { page, insns, starts: [page], init: {} };
    writeRegion(r);
    const len = x.translateRegion(hostOf(page), page, BUF, CAP);
    expect(x.regionBlocks()).toBe(4); // loop, back (return point), func, and the exit JAL's block
    const { jit, ref } = runFiftyCalls(page, len);
    expect(jit.pc).toBe(ref.pc);
  });

  /** Runs a translated 50-round call loop (x6 = 50 rounds, x7 += 3 per call) from `page` and
   *  checks it against the interpreter; returns the pieces for further checks. */
  const runFiftyCalls = (page: bigint, len: number) => {
    const module = instantiate(len);
    const regs = Array.from({ length: 32 }, () => 0n);
    regs[6] = 50n;
    const fp = rndFpState();
    const jit = runRegion(module, page, 0, 100_000, regs, fp);
    expect(jit.retired).toBe(50 * 5 + 1);
    expect(jit.pc).toBe(page + 0x80cn);
    expect(jit.regs[7]).toBe(150n);
    const ref = runInterp(page, regs, fp, jit.retired, false);
    expect(jit.regs).toEqual(ref.regs);
    return { module, regs, fp, jit, ref };
  };

  const ret = () => I32(encI(0, 1, 0, 0, 0x67), "ret");
  /** Writes `insns` from guest address `at` on (pages already cleared). */
  const place = (at: bigint, insns: Insn[]) => {
    let a = hostOf(at);
    for (const q of insns) { if (q.len === 4) dv.setUint32(a, q.bits, true); else dv.setUint16(a, q.bits, true); a += q.len; }
  };
  /** A loop in page A (DRAM + 0x5000) calling a function in page B (the next page): 50 rounds,
   *  then a jump out of both pages. Returns the module translated from A's first block. */
  const crossPageLoop = () => {
    const page = DRAM + 0x5000n;
    new Uint8Array(mem.buffer, hostOf(page), 0x2000).fill(0);
    place(page, [
      addi(5, 5, 1), //            0x000 loop: x5++
      jal(1, 0x1010 - 0x4), //     0x004 call func in page B (0x1010)
      I32(encB(-8, 6, 5, 4), "blt x5, x6, -8"), // 0x008 while x5 < x6
      jal(0, 0x800), //            0x00c leave (0x80c)
    ]);
    place(page + 0x1010n, [addi(7, 7, 3), ret()]); // func: x7 += 3; return into page A
    x.jitEnter(0);
    warmPages(page);
    const len = x.translateRegion(hostOf(page), page, BUF, CAP);
    return { page, len };
  };

  it("a call into the next page and its return run as one module of two chained functions", () => {
    const { page, len } = crossPageLoop();
    expect(x.regionPages()).toBe(2);
    expect(x.regionBlocks()).toBe(4); // A: loop, back (return point), exit; B: func
    const { module, regs, fp } = runFiftyCalls(page, len);
    // The bound holds across the chained calls (no back edge between the pages' functions).
    const bounded = runRegion(module, page, 0, 40, regs, fp);
    expect(bounded.retired).toBeGreaterThanOrEqual(40);
    expect(bounded.retired).toBeLessThan(40 + 5);
    expect(bounded.regs).toEqual(runInterp(page, regs, fp, bounded.retired, false).regs);
  });

  it("a call into a chained page that was written since (new generation) exits to its pc instead", () => {
    const { page, len } = crossPageLoop();
    expect(x.regionPages()).toBe(2);
    const module = instantiate(len);
    const regs = Array.from({ length: 32 }, () => 0n);
    regs[6] = 50n;
    const gen = L.JIT_PAGE_GEN_BASE + 4 * Number((page + 0x1000n - DRAM) >> 12n);
    dv.setUint32(gen, dv.getUint32(gen, true) + 1, true); // what a store into page B does
    try {
      const jit = runRegion(module, page, 0, 100_000, regs, rndFpState());
      expect(jit.retired).toBe(2); // addi, jal: the call is not made
      expect(jit.pc).toBe(page + 0x1010n);
      expect(jit.regs[1]).toBe(page + 0x8n);
      expect(jit.regs[7]).toBe(0n);
    } finally {
      dv.setUint32(gen, dv.getUint32(gen, true) - 1, true);
    }
  });

  it("an exit to a pc with a ready translation in another module chains to it (jitChain), like the interpreter", () => {
    const pageC = DRAM + 0xa0000n, pageD = DRAM + 0xa2000n; // pages the random cases do not use
    for (const p of [pageC, pageD]) new Uint8Array(mem.buffer, hostOf(p), 0x1000).fill(0);
    place(pageC, [addi(5, 5, 1), jal(0, 0x2000 + 0x20 - 4)]); // x5++, jump to D + 0x20
    place(pageD + 0x20n, [addi(8, 8, 2), jal(0, 0x400)]); //     x8 += 2, leave (D + 0x424)
    x.jitEnter(0);
    x.flushAllTlbs();
    x.fetchWarm(pageC);
    const lenC = x.translateRegion(hostOf(pageC), pageC, BUF, CAP);
    expect(x.regionPages()).toBe(1); // D is not in the fetch TLB yet: not a page of C's module
    const moduleC = instantiate(lenC);
    x.fetchWarm(pageD);
    const lenD = x.translateRegion(hostOf(pageD + 0x20n) - 0x20, pageD + 0x20n, BUF, CAP);
    const moduleD = instantiate(lenD);
    // Install D's region as the dispatcher does: table slot + a READY cache entry for its pc.
    const pc = pageD + 0x20n;
    const slot = jitTable.length;
    jitTable.grow(1);
    jitTable.set(slot, moduleD.run);
    const ce = L.JIT_CACHE_BASE + Number(((pc >> 1n) ^ (pc >> 15n)) & BigInt(L.JIT_CACHE_ENTRIES - 1)) * L.JIT_CACHE_ENTRY_SIZE;
    const gen = dv.getUint32(L.JIT_PAGE_GEN_BASE + 4 * Number((pageD - DRAM) >> 12n), true);
    dv.setBigUint64(ce, pc, true); dv.setBigUint64(ce + 8, pc, true);
    dv.setUint32(ce + 16, slot, true); dv.setUint32(ce + 20, gen, true); dv.setUint32(ce + 24, 0, true);
    dv.setUint32(ce + 28, 3 | (1 << 8) | (2 << 16), true); // M-mode, READY, 2 instructions, block 0
    const regs = Array.from({ length: 32 }, () => 0n);
    const fp = rndFpState();
    try {
      const chains = dv.getBigUint64(HART + L.H_STAT_JIT_CHAINS, true);
      x.resetHart(0, pageC);
      setRegs(regs); setFpState(fp);
      x.jitEnter(0);
      x.fetchWarm(pageC); x.fetchWarm(pageD);
      dv.setUint32(HART + L.H_JIT_ENTRY, 0, true);
      dv.setUint32(HART + L.H_JIT_LIMIT, 1000, true);
      dv.setUint32(HART + L.H_JIT_RETIRED, 0, true);
      const next = u64(moduleC.run(HART));
      expect(dv.getBigUint64(HART + L.H_STAT_JIT_CHAINS, true)).toBe(chains + 1n);
      expect(next).toBe(pageD + 0x424n);
      expect(dv.getUint32(HART + L.H_JIT_RETIRED, true)).toBe(4);
      const jitRegs = getRegs();
      expect(jitRegs[5]).toBe(1n);
      expect(jitRegs[8]).toBe(2n);
      expect(jitRegs).toEqual(runInterp(pageC, regs, fp, 4, false).regs);
    } finally {
      dv.setUint32(ce + 28, 0, true);
    }
  });
});
