// Typed accessors for the machine block and the hart blocks in linear memory. Offsets come only
// from layout.generated.ts (mirrored from assembly/layout.ts); nothing here retypes an offset.
// 64-bit fields are bigint, 32-bit fields are number.
import * as layout from "./layout.generated.js";
import {
  EXIT_REASONS, HART_BASE, HART_SIZE, MACHINE_BASE, MAX_HARTS,
  H_X, H_F, H_PC, H_PRIV, H_VIRT, H_WFI, H_HARTID, H_FFLAGS, H_FRM,
  H_MSTATUS, H_MISA, H_MIE, H_MIP, H_MEPC, H_MCAUSE, H_MTVAL, H_MTVEC, H_MENVCFG, H_SATP,
  H_STIMECMP, H_MTIMECMP, H_EXT_IRQ,
  H_EXIT_REASON, H_EXIT_CODE, H_EXIT_ADDR, H_EXIT_VALUE,
  H_INSTRET, H_STAT_TLB_HIT, H_STAT_TLB_MISS, H_STAT_TLB_FLUSH, H_STAT_MMIO_READ, H_STAT_MMIO_WRITE,
  H_STAT_TRAPS, H_STAT_INTERRUPTS, H_STAT_DCACHE_MISS, H_STAT_PAGE_WALKS, H_STAT_WALK_REFS, H_STAT_EXITS,
  H_STAT_GWALKS, H_STAT_PWC_HITS, H_STAT_VTRAPS,
  M_RAM_SIZE, M_MTIME, M_CLOCK_MODE, M_INSNS_PER_TICK, M_TICK_ACCUM, M_TOHOST, M_FROMHOST,
  M_MMIO_STATUS, M_STOP, M_NUM_HARTS, M_TRACE, M_VMM_FLAGS,
} from "./layout.generated.js";
import { MemoryViews } from "./memory.js";

/** Exit-reason names indexed by EXIT_* value, derived from the layout (e.g. 2 → "wfi"). */
export const EXIT_REASON_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (let i = 0; i < EXIT_REASONS; i++) names.push(`reason${i}`);
  for (const [key, value] of Object.entries(layout)) {
    if (key.startsWith("EXIT_") && key !== "EXIT_REASONS" && typeof value === "number" && value < EXIT_REASONS) {
      names[value] = key.slice(5).toLowerCase();
    }
  }
  return names;
})();

/** Returns the name of exit reason `reason` ("budget", "wfi", ...), or "reasonN" if unnamed. */
export function exitReasonName(reason: number): string {
  return EXIT_REASON_NAMES[reason] ?? `reason${reason}`;
}

/** Clock mode values of M_CLOCK_MODE. */
export const CLOCK_MODE_DETERMINISTIC = 0;
/** Real clock: the host writes M_MTIME from the host monotonic clock. */
export const CLOCK_MODE_REAL = 1;

/** Machine-wide fields (M_*) in the machine block. */
export class MachineState {
  private readonly u32: Uint32Array;
  private readonly u64: BigUint64Array;

  /** Creates accessors for the machine block in `views`. */
  constructor(views: MemoryViews) {
    this.u32 = views.u32;
    this.u64 = views.u64;
  }

  /** Reads the u64 at machine-block offset `offset`. */
  read64(offset: number): bigint { return this.u64[(MACHINE_BASE + offset) >>> 3]!; }
  /** Writes the u64 at machine-block offset `offset`. */
  write64(offset: number, value: bigint): void { this.u64[(MACHINE_BASE + offset) >>> 3] = BigInt.asUintN(64, value); }
  /** Reads the u32 at machine-block offset `offset`. */
  read32(offset: number): number { return this.u32[(MACHINE_BASE + offset) >>> 2]!; }
  /** Writes the u32 at machine-block offset `offset`. */
  write32(offset: number, value: number): void { this.u32[(MACHINE_BASE + offset) >>> 2] = value >>> 0; }

  /** Guest DRAM size in bytes (M_RAM_SIZE). */
  get ramSize(): bigint { return this.read64(M_RAM_SIZE); }
  set ramSize(value: bigint) { this.write64(M_RAM_SIZE, value); }
  /** CLINT mtime, 10 MHz (M_MTIME). */
  get mtime(): bigint { return this.read64(M_MTIME); }
  set mtime(value: bigint) { this.write64(M_MTIME, value); }
  /** 0 = deterministic, 1 = real (M_CLOCK_MODE). */
  get clockMode(): number { return this.read32(M_CLOCK_MODE); }
  set clockMode(value: number) { this.write32(M_CLOCK_MODE, value); }
  /** Deterministic clock: retired instructions per mtime tick (M_INSNS_PER_TICK). */
  get insnsPerTick(): number { return this.read32(M_INSNS_PER_TICK); }
  set insnsPerTick(value: number) { this.write32(M_INSNS_PER_TICK, value); }
  /** Deterministic clock: instructions not yet turned into ticks (M_TICK_ACCUM). */
  get tickAccumulator(): bigint { return this.read64(M_TICK_ACCUM); }
  set tickAccumulator(value: bigint) { this.write64(M_TICK_ACCUM, value); }
  /** Guest physical address of HTIF tohost, 0 = none (M_TOHOST). */
  get tohost(): bigint { return this.read64(M_TOHOST); }
  set tohost(value: bigint) { this.write64(M_TOHOST, value); }
  /** Guest physical address of HTIF fromhost, 0 = none (M_FROMHOST). */
  get fromhost(): bigint { return this.read64(M_FROMHOST); }
  set fromhost(value: bigint) { this.write64(M_FROMHOST, value); }
  /** Result of the last MMIO call: 0 ok, 1 access fault (M_MMIO_STATUS). */
  get mmioStatus(): number { return this.read32(M_MMIO_STATUS); }
  set mmioStatus(value: number) { this.write32(M_MMIO_STATUS, value); }
  /** Non-zero asks run() to return EXIT_STOP after the current instruction (M_STOP). */
  get stop(): number { return this.read32(M_STOP); }
  set stop(value: number) { this.write32(M_STOP, value); }
  /** Number of harts (M_NUM_HARTS). */
  get numHarts(): number { return this.read32(M_NUM_HARTS); }
  set numHarts(value: number) { this.write32(M_NUM_HARTS, value); }
  /** Non-zero: the core returns EXIT_TRACE at every instruction (M_TRACE). */
  get trace(): number { return this.read32(M_TRACE); }
  set trace(value: number) { this.write32(M_TRACE, value); }

  /** VMM_* paravirtualization flags (SBI by the VMM). */
  get vmmFlags(): number { return this.read32(M_VMM_FLAGS); }
  set vmmFlags(value: number) { this.write32(M_VMM_FLAGS, value); }
}

/** Per-hart statistics counters (H_INSTRET and H_STAT_*). */
export interface HartCounters {
  /** Retired instructions. */
  instructions: bigint;
  /** Soft-TLB hits counted on the slow path. */
  tlbHits: bigint;
  /** Soft-TLB misses. */
  tlbMisses: bigint;
  /** TLB flushes. */
  tlbFlushes: bigint;
  /** MMIO reads through the host's bus. */
  mmioReads: bigint;
  /** MMIO writes through the host's bus. */
  mmioWrites: bigint;
  /** Exceptions taken. */
  traps: bigint;
  /** Interrupts taken. */
  interrupts: bigint;
  /** Decode-cache misses. */
  decodeCacheMisses: bigint;
  /** Page-table walks. */
  pageWalks: bigint;
  /** Memory references made by page walks (with V=1: by the whole two-stage walk, G-stage included). */
  walkReferences: bigint;
  /** G-stage walks (two-stage translation; each VS-stage page-table reference and the final GPA). */
  gstageWalks: bigint;
  /** G-stage translations served by the page-walk cache instead of a G-stage walk. */
  pageWalkCacheHits: bigint;
  /** Traps from V=1 into HS-mode (with --virt hw: VM exits). */
  virtualTraps: bigint;
  /** run() exits counted per reason, indexed by EXIT_*. */
  exits: bigint[];
}

/** One hart's block: registers, CSRs, exit record and statistics. */
export class HartState {
  /** Hart index (mhartid). */
  readonly id: number;
  /** Linear address of this hart's block. */
  readonly base: number;
  private readonly u32: Uint32Array;
  private readonly u64: BigUint64Array;
  private readonly i64: number; // index of the block in u64 units
  private readonly i32: number; // index of the block in u32 units

  /** Creates accessors for hart `id` (0 ≤ id < MAX_HARTS). */
  constructor(views: MemoryViews, id: number) {
    if (!Number.isInteger(id) || id < 0 || id >= MAX_HARTS) throw new RangeError(`hart ${id} out of range 0..${MAX_HARTS - 1}`);
    this.id = id;
    this.base = HART_BASE + id * HART_SIZE;
    this.u32 = views.u32;
    this.u64 = views.u64;
    this.i64 = this.base >>> 3;
    this.i32 = this.base >>> 2;
  }

  /** Reads the u64 at hart-block offset `offset` (8-byte aligned). */
  read64(offset: number): bigint { return this.u64[this.i64 + (offset >>> 3)]!; }
  /** Writes the u64 at hart-block offset `offset` (8-byte aligned). */
  write64(offset: number, value: bigint): void { this.u64[this.i64 + (offset >>> 3)] = BigInt.asUintN(64, value); }
  /** Reads the u32 at hart-block offset `offset` (4-byte aligned). */
  read32(offset: number): number { return this.u32[this.i32 + (offset >>> 2)]!; }
  /** Writes the u32 at hart-block offset `offset` (4-byte aligned). */
  write32(offset: number, value: number): void { this.u32[this.i32 + (offset >>> 2)] = value >>> 0; }

  /** Integer register x`index` (x0 reads as whatever the slot holds; the core keeps it 0). */
  x(index: number): bigint { return this.read64(H_X + 8 * checkRegister(index)); }
  /** Sets integer register x`index`; writing x0 is ignored. */
  setX(index: number, value: bigint): void { if (checkRegister(index) !== 0) this.write64(H_X + 8 * index, value); }
  /** Floating-point register f`index` as raw bits (singles are NaN-boxed). */
  f(index: number): bigint { return this.read64(H_F + 8 * checkRegister(index)); }
  /** Sets floating-point register f`index` from raw bits. */
  setF(index: number, value: bigint): void { this.write64(H_F + 8 * checkRegister(index), value); }

  /** Program counter. */
  get pc(): bigint { return this.read64(H_PC); }
  set pc(value: bigint) { this.write64(H_PC, value); }
  /** Privilege level (PRV_U/PRV_S/PRV_M). */
  get privilege(): number { return this.read32(H_PRIV); }
  set privilege(value: number) { this.write32(H_PRIV, value); }
  /** Hypervisor V bit. */
  get virtualMode(): number { return this.read32(H_VIRT); }
  /** Non-zero while the hart is stalled in WFI. */
  get waitingForInterrupt(): number { return this.read32(H_WFI); }
  /** mhartid as stored by the core. */
  get hartId(): number { return this.read32(H_HARTID); }
  /** Accrued FP exception flags. */
  get fflags(): number { return this.read32(H_FFLAGS); }
  /** Dynamic FP rounding mode. */
  get frm(): number { return this.read32(H_FRM); }

  /** mstatus. */
  get mstatus(): bigint { return this.read64(H_MSTATUS); }
  /** misa. */
  get misa(): bigint { return this.read64(H_MISA); }
  /** mie (interrupt enables). */
  get mie(): bigint { return this.read64(H_MIE); }
  /** mip as stored (software-writable and core-driven bits; H_EXT_IRQ is ORed in on reads). */
  get mip(): bigint { return this.read64(H_MIP); }
  /** mepc. */
  get mepc(): bigint { return this.read64(H_MEPC); }
  /** mcause. */
  get mcause(): bigint { return this.read64(H_MCAUSE); }
  /** mtval. */
  get mtval(): bigint { return this.read64(H_MTVAL); }
  /** mtvec. */
  get mtvec(): bigint { return this.read64(H_MTVEC); }
  /** menvcfg (bit 63 STCE enables Sstc). */
  get menvcfg(): bigint { return this.read64(H_MENVCFG); }
  /** satp. */
  get satp(): bigint { return this.read64(H_SATP); }
  /** CLINT mtimecmp for this hart. */
  get mtimecmp(): bigint { return this.read64(H_MTIMECMP); }
  set mtimecmp(value: bigint) { this.write64(H_MTIMECMP, value); }
  /** Sstc stimecmp. */
  get stimecmp(): bigint { return this.read64(H_STIMECMP); }
  /** Interrupt lines driven by host devices (ORed into mip by the core). */
  get externalInterrupts(): bigint { return this.read64(H_EXT_IRQ); }
  set externalInterrupts(value: bigint) { this.write64(H_EXT_IRQ, value); }

  /** Sets (level true) or clears bit `irq` of the host-driven interrupt lines. */
  setInterruptLine(irq: number, level: boolean): void {
    const bit = 1n << BigInt(irq);
    const old = this.externalInterrupts;
    this.externalInterrupts = level ? old | bit : old & ~bit;
  }

  /** Exit reason of the last run() (EXIT_*). */
  get exitReason(): number { return this.read32(H_EXIT_REASON); }
  /** Exit detail code (e.g. a cause). */
  get exitCode(): number { return this.read32(H_EXIT_CODE); }
  /** Exit detail address (e.g. pc for EXIT_TRACE). */
  get exitAddress(): bigint { return this.read64(H_EXIT_ADDR); }
  /** Exit detail value (e.g. the tohost value, the raw instruction for EXIT_TRACE). */
  get exitValue(): bigint { return this.read64(H_EXIT_VALUE); }

  /** Raw retired-instruction counter (monotonic; CSR writes use separate offsets). */
  get instret(): bigint { return this.read64(H_INSTRET); }

  /** Snapshot of every statistics counter. */
  counters(): HartCounters {
    const exits: bigint[] = [];
    for (let i = 0; i < EXIT_REASONS; i++) exits.push(this.read64(H_STAT_EXITS + 8 * i));
    return {
      instructions: this.read64(H_INSTRET),
      tlbHits: this.read64(H_STAT_TLB_HIT),
      tlbMisses: this.read64(H_STAT_TLB_MISS),
      tlbFlushes: this.read64(H_STAT_TLB_FLUSH),
      mmioReads: this.read64(H_STAT_MMIO_READ),
      mmioWrites: this.read64(H_STAT_MMIO_WRITE),
      traps: this.read64(H_STAT_TRAPS),
      interrupts: this.read64(H_STAT_INTERRUPTS),
      decodeCacheMisses: this.read64(H_STAT_DCACHE_MISS),
      pageWalks: this.read64(H_STAT_PAGE_WALKS),
      walkReferences: this.read64(H_STAT_WALK_REFS),
      gstageWalks: this.read64(H_STAT_GWALKS),
      pageWalkCacheHits: this.read64(H_STAT_PWC_HITS),
      virtualTraps: this.read64(H_STAT_VTRAPS),
      exits,
    };
  }
}

/** Returns counters that are the element-wise sum of `list` (all harts of a machine). */
export function sumCounters(list: readonly HartCounters[]): HartCounters {
  const total: HartCounters = {
    instructions: 0n, tlbHits: 0n, tlbMisses: 0n, tlbFlushes: 0n, mmioReads: 0n, mmioWrites: 0n,
    traps: 0n, interrupts: 0n, decodeCacheMisses: 0n, pageWalks: 0n, walkReferences: 0n,
    gstageWalks: 0n, pageWalkCacheHits: 0n, virtualTraps: 0n,
    exits: new Array<bigint>(EXIT_REASONS).fill(0n),
  };
  for (const c of list) {
    total.instructions += c.instructions; total.tlbHits += c.tlbHits; total.tlbMisses += c.tlbMisses;
    total.tlbFlushes += c.tlbFlushes; total.mmioReads += c.mmioReads; total.mmioWrites += c.mmioWrites;
    total.traps += c.traps; total.interrupts += c.interrupts; total.decodeCacheMisses += c.decodeCacheMisses;
    total.pageWalks += c.pageWalks; total.walkReferences += c.walkReferences;
    total.gstageWalks += c.gstageWalks; total.pageWalkCacheHits += c.pageWalkCacheHits; total.virtualTraps += c.virtualTraps;
    c.exits.forEach((n, i) => { total.exits[i] = (total.exits[i] ?? 0n) + n; });
  }
  return total;
}

function checkRegister(index: number): number {
  if (!Number.isInteger(index) || index < 0 || index > 31) throw new RangeError(`register index ${index} out of range 0..31`);
  return index;
}
