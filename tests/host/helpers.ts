// Test helpers for the host: a tiny ELF64 writer, a tiny RV64 assembler, a memory-only state
// set-up (no wasm), and a scripted stand-in for the core so the run loop can be tested before
// the interpreter exists.
import {
  HART_BASE, HART_SIZE, MACHINE_BASE, MAX_HARTS, H_PC, H_PRIV, H_X, H_HARTID, H_INSTRET, H_EXIT_REASON,
  H_STAT_EXITS, M_CLOCK_MODE, M_INSNS_PER_TICK, M_MTIME, M_NUM_HARTS, M_TICK_ACCUM, M_RAM_SIZE, M_TRACE,
  H_MTIMECMP, PRV_M,
} from "../../host/core/layout.generated.js";
import type { CoreExports, CoreFactory, CoreImportFunctions } from "../../host/core/core.js";
import { createSharedMemory, GuestRam, MemoryViews } from "../../host/core/memory.js";
import { HartState, MachineState } from "../../host/core/state.js";

// ---------------------------------------------------------------------------------------------
// ELF writer

export interface TestSegment {
  type?: number; // default PT_LOAD
  flags?: number; // default R|W|X
  vaddr: bigint;
  paddr?: bigint; // default vaddr
  data: Uint8Array;
  memsz?: bigint; // default data.length
}

export interface TestSymbol {
  name: string;
  value: bigint;
  bind?: number; // default GLOBAL
  type?: number; // default NOTYPE
  shndx?: number; // default 1
  size?: bigint;
}

export interface ElfSpec {
  entry?: bigint;
  segments?: TestSegment[];
  symbols?: TestSymbol[];
  elfClass?: number;
  data?: number;
  machine?: number;
  type?: number;
  version?: number;
}

/** Offsets of the pieces of an ELF written by buildElf (for corruption tests). */
export interface ElfLayout {
  bytes: Uint8Array;
  phoff: number;
  shoff: number;
  segmentOffsets: number[];
  symtabOffset: number;
  strtabOffset: number;
  symtabHeader: number; // offset of the symtab section header
  strtabHeader: number;
}

/** Writes a little-endian ELF64 file from a spec (sections: null, .symtab, .strtab, .shstrtab). */
export function buildElf(spec: ElfSpec): ElfLayout {
  const segments = spec.segments ?? [];
  const symbols = spec.symbols ?? [];
  const phoff = 64;
  let cursor = phoff + 56 * segments.length;
  const align = (n: number, a: number) => Math.ceil(n / a) * a;
  const segmentOffsets: number[] = [];
  for (const s of segments) {
    cursor = align(cursor, 8);
    segmentOffsets.push(cursor);
    cursor += s.data.length;
  }
  // strtab
  const strParts: number[] = [0];
  const nameOffsets = symbols.map((sym) => {
    const off = strParts.length;
    for (const c of new TextEncoder().encode(sym.name)) strParts.push(c);
    strParts.push(0);
    return off;
  });
  cursor = align(cursor, 8);
  const strtabOffset = cursor;
  cursor += strParts.length;
  cursor = align(cursor, 8);
  const symtabOffset = cursor;
  const symtabSize = 24 * (symbols.length + 1);
  cursor += symtabSize;
  const shstr = [0, ...enc(".symtab"), 0, ...enc(".strtab"), 0, ...enc(".shstrtab"), 0];
  const shstrOffset = cursor;
  cursor += shstr.length;
  cursor = align(cursor, 8);
  const shoff = cursor;
  const shnum = 4;
  cursor += 64 * shnum;

  const bytes = new Uint8Array(cursor);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, spec.elfClass ?? 2, spec.data ?? 1, 1, 0]);
  v.setUint16(16, spec.type ?? 2, true);
  v.setUint16(18, spec.machine ?? 243, true);
  v.setUint32(20, spec.version ?? 1, true);
  v.setBigUint64(24, spec.entry ?? 0x8000_0000n, true);
  v.setBigUint64(32, BigInt(phoff), true);
  v.setBigUint64(40, BigInt(shoff), true);
  v.setUint32(48, 5, true);
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, segments.length, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, shnum, true);
  v.setUint16(62, 3, true);
  segments.forEach((s, i) => {
    const at = phoff + 56 * i;
    v.setUint32(at, s.type ?? 1, true);
    v.setUint32(at + 4, s.flags ?? 7, true);
    v.setBigUint64(at + 8, BigInt(segmentOffsets[i]!), true);
    v.setBigUint64(at + 16, s.vaddr, true);
    v.setBigUint64(at + 24, s.paddr ?? s.vaddr, true);
    v.setBigUint64(at + 32, BigInt(s.data.length), true);
    v.setBigUint64(at + 40, s.memsz ?? BigInt(s.data.length), true);
    v.setBigUint64(at + 48, 0x1000n, true);
    bytes.set(s.data, segmentOffsets[i]!);
  });
  bytes.set(strParts, strtabOffset);
  symbols.forEach((sym, i) => {
    const at = symtabOffset + 24 * (i + 1);
    v.setUint32(at, nameOffsets[i]!, true);
    bytes[at + 4] = ((sym.bind ?? 1) << 4) | (sym.type ?? 0);
    v.setUint16(at + 6, sym.shndx ?? 1, true);
    v.setBigUint64(at + 8, sym.value, true);
    v.setBigUint64(at + 16, sym.size ?? 0n, true);
  });
  bytes.set(shstr, shstrOffset);
  const section = (i: number, name: number, type: number, off: number, size: number, link: number, entsize: number) => {
    const at = shoff + 64 * i;
    v.setUint32(at, name, true);
    v.setUint32(at + 4, type, true);
    v.setBigUint64(at + 24, BigInt(off), true);
    v.setBigUint64(at + 32, BigInt(size), true);
    v.setUint32(at + 40, link, true);
    v.setUint32(at + 44, 1, true);
    v.setBigUint64(at + 56, BigInt(entsize), true);
  };
  section(1, 1, 2, symtabOffset, symtabSize, 2, 24);
  section(2, 9, 3, strtabOffset, strParts.length, 0, 0);
  section(3, 17, 3, shstrOffset, shstr.length, 0, 0);
  return { bytes, phoff, shoff, segmentOffsets, symtabOffset, strtabOffset, symtabHeader: shoff + 64, strtabHeader: shoff + 128 };
}

function enc(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

// ---------------------------------------------------------------------------------------------
// Tiny RV64 assembler (only what the end-to-end programs need)

const r = (n: number) => n & 31;
export const asm = {
  lui: (rd: number, imm20: number) => ((imm20 & 0xfffff) << 12) | (r(rd) << 7) | 0x37,
  addi: (rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (r(rs1) << 15) | (r(rd) << 7) | 0x13,
  slli: (rd: number, rs1: number, sh: number) => ((sh & 0x3f) << 20) | (r(rs1) << 15) | (1 << 12) | (r(rd) << 7) | 0x13,
  sw: (rs2: number, rs1: number, imm: number) =>
    (((imm >> 5) & 0x7f) << 25) | (r(rs2) << 20) | (r(rs1) << 15) | (2 << 12) | ((imm & 0x1f) << 7) | 0x23,
  sd: (rs2: number, rs1: number, imm: number) =>
    (((imm >> 5) & 0x7f) << 25) | (r(rs2) << 20) | (r(rs1) << 15) | (3 << 12) | ((imm & 0x1f) << 7) | 0x23,
  sb: (rs2: number, rs1: number, imm: number) =>
    (((imm >> 5) & 0x7f) << 25) | (r(rs2) << 20) | (r(rs1) << 15) | (0 << 12) | ((imm & 0x1f) << 7) | 0x23,
  srli: (rd: number, rs1: number, sh: number) => ((sh & 0x3f) << 20) | (r(rs1) << 15) | (5 << 12) | (r(rd) << 7) | 0x13,
  add: (rd: number, rs1: number, rs2: number) => (r(rs2) << 20) | (r(rs1) << 15) | (r(rd) << 7) | 0x33,
  lbu: (rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (r(rs1) << 15) | (4 << 12) | (r(rd) << 7) | 0x03,
  andi: (rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (r(rs1) << 15) | (7 << 12) | (r(rd) << 7) | 0x13,
  /** beq with a byte offset (must be even, ±4 KiB). */
  beq: (rs1: number, rs2: number, off: number) => branch(0, rs1, rs2, off),
  jal: (rd: number, off: number) =>
    (((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) |
    (((off >> 12) & 0xff) << 12) | (r(rd) << 7) | 0x6f,
  csrrs: (rd: number, csr: number, rs1: number) => ((csr & 0xfff) << 20) | (r(rs1) << 15) | (2 << 12) | (r(rd) << 7) | 0x73,
  csrrw: (rd: number, csr: number, rs1: number) => ((csr & 0xfff) << 20) | (r(rs1) << 15) | (1 << 12) | (r(rd) << 7) | 0x73,
  wfi: () => 0x10500073,
  nop: () => 0x00000013,
};

function branch(funct3: number, rs1: number, rs2: number, off: number): number {
  return (((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (r(rs2) << 20) | (r(rs1) << 15) |
    (funct3 << 12) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63;
}

/** Loads a 32-bit sign-extended constant into rd (lui + addi). */
export function li32(rd: number, value: number): number[] {
  const lo = ((value << 20) >> 20); // sign-extended low 12 bits
  const hi = ((value - lo) >>> 12) & 0xfffff;
  return hi === 0 ? [asm.addi(rd, 0, lo)] : [asm.lui(rd, hi), asm.addi(rd, rd, lo)];
}

/** Loads a zero-extended 32-bit constant (e.g. a DRAM address ≥ 0x80000000) into rd. */
export function liu32(rd: number, value: number): number[] {
  return [...li32(rd, value | 0), asm.slli(rd, rd, 32), asm.srli(rd, rd, 32)];
}

/** Encodes 32-bit instruction words as little-endian bytes. */
export function words(list: number[]): Uint8Array {
  const out = new Uint8Array(list.length * 4);
  const v = new DataView(out.buffer);
  list.forEach((w, i) => v.setUint32(i * 4, w >>> 0, true));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Memory-only state (devices, HTIF): shared memory + accessors, no core

export interface TestState {
  views: MemoryViews;
  machine: MachineState;
  harts: HartState[];
  ram: GuestRam;
}

/** Creates the shared memory and accessors for `harts` harts and `ramSize` bytes, with no core. */
export function createTestState(harts = 1, ramSize = 1 << 20): TestState {
  const views = new MemoryViews(createSharedMemory(ramSize));
  const machine = new MachineState(views);
  machine.ramSize = BigInt(ramSize);
  machine.numHarts = harts;
  return { views, machine, harts: Array.from({ length: harts }, (_, i) => new HartState(views, i)), ram: new GuestRam(views, ramSize) };
}

// ---------------------------------------------------------------------------------------------
// Scripted core

/** What a scripted run() step sees. */
export interface ScriptContext {
  hart: HartState;
  machine: MachineState;
  budget: bigint;
  imports: CoreImportFunctions;
  /** Call number (0-based) of run() across all harts. */
  call: number;
  /** Retires n instructions: bumps H_INSTRET and, for the deterministic clock, mtime. */
  retire(n: bigint | number): void;
}

/** A run() behaviour: returns the exit reason (EXIT_*). */
export type Script = (ctx: ScriptContext) => number;

/** Returns a CoreFactory whose run() is `script` (initMachine/resetHart mimic the contract). */
export function scriptedCore(script: Script, decode: (raw: number) => bigint = () => 0n): CoreFactory & { calls: () => number } {
  let calls = 0;
  const factory = ((memory: WebAssembly.Memory, imports: CoreImportFunctions): CoreExports => {
    const views = new MemoryViews(memory);
    const machine = new MachineState(views);
    const harts = Array.from({ length: MAX_HARTS }, (_, i) => new HartState(views, i));
    return {
      initMachine(numHarts: number, ramSize: bigint, _cpuFlags: number) {
        views.u8.fill(0, MACHINE_BASE, HART_BASE + HART_SIZE * MAX_HARTS);
        machine.write32(M_NUM_HARTS, numHarts);
        machine.write64(M_RAM_SIZE, ramSize);
        for (let i = 0; i < numHarts; i++) {
          harts[i]!.write32(H_HARTID, i);
          harts[i]!.write64(H_MTIMECMP, (1n << 64n) - 1n);
        }
      },
      resetHart(hart: number, pc: bigint) {
        const h = harts[hart]!;
        h.write64(H_PC, pc);
        h.write32(H_PRIV, PRV_M);
        h.write64(H_X + 8 * 10, BigInt(hart));
      },
      run(hart: number, budget: bigint): number {
        const h = harts[hart]!;
        const ctx: ScriptContext = {
          hart: h, machine, budget, imports, call: calls++,
          retire(n) {
            const count = BigInt(n);
            h.write64(H_INSTRET, h.read64(H_INSTRET) + count);
            if (machine.read32(M_CLOCK_MODE) === 0) {
              const per = BigInt(machine.read32(M_INSNS_PER_TICK) || 1);
              const acc = machine.read64(M_TICK_ACCUM) + count;
              machine.write64(M_MTIME, machine.read64(M_MTIME) + acc / per);
              machine.write64(M_TICK_ACCUM, acc % per);
            }
          },
        };
        const reason = script(ctx);
        h.write32(H_EXIT_REASON, reason);
        h.write64(H_STAT_EXITS + 8 * reason, h.read64(H_STAT_EXITS + 8 * reason) + 1n);
        return reason;
      },
      decodeInsn: decode,
      tlbFlushAll() {},
    };
  }) as CoreFactory & { calls: () => number };
  factory.calls = () => calls;
  return factory;
}

/** True if the machine block says tracing is on (helper for scripts). */
export function tracing(machine: MachineState): boolean {
  return machine.read32(M_TRACE) !== 0;
}

/** Collects output chunks as a string. */
export function collector(): { write: (data: Uint8Array) => void; text: () => string } {
  const chunks: Uint8Array[] = [];
  return {
    write: (d) => { chunks.push(d.slice()); },
    text: () => Buffer.concat(chunks).toString("latin1"),
  };
}
