// The interpreter: the reference semantics of the core (DESIGN.md §3.1). run() executes up to
// `budget` instructions on one hart and returns a KVM-style exit reason (layout.ts EXIT_*).
//
// Shape: an outer loop serves time, timer interrupts and pending interrupts at batch
// boundaries; an inner loop fetches through a one-page fetch cache, decodes through a
// per-hart decoded-instruction cache (keyed by pc, validated by comparing the raw bits, so
// self-modifying code needs no invalidation) and dispatches with one br_table over Op.
// Instructions that can change interrupt or translation state end the batch (cpu/system.ts).
import {
  HART_BASE, HART_SIZE, DCACHE_BASE, DCACHE_HART_SIZE, DCACHE_ENTRIES, H_WFI,
  H_EXIT_REASON, H_EXIT_CODE, H_EXIT_ADDR, H_EXIT_VALUE, H_STAT_EXITS,
  H_STAT_DCACHE_MISS, H_STAT_TLB_HIT, H_STAT_TLB_MISS, M_STOP, M_TRACE, EXIT_BUDGET, EXIT_WFI, EXIT_STOP,
  EXIT_TRACE, EXIT_HALT, EXIT_NONE, EXIT_VTRAP,
} from "../layout";
import { selectHart, hartBase, getPC, setPC, hart32, setHart32, csr64, setCsr64, machine32, bump, getF, setF } from "./state";
import { Op, dOp, dRd, dRs1, dRs2, dRs3, dImmU, dCompressed } from "./opcodes";
import { decode } from "./decode";
import { raise, excTinst, setTinst, CAUSE_LOAD_GUEST_PAGE_FAULT, CAUSE_STORE_GUEST_PAGE_FAULT,
         excCause, excTval, clearException, clearAttention, attention,
         ATTN_EXCEPTION, ATTN_EXIT, CAUSE_ILLEGAL_INSTRUCTION, CAUSE_FETCH_ACCESS, CAUSE_FETCH_PAGE_FAULT } from "./causes";
import { read8, read16, read32, read64, write8, write16, write32, write64, fetch, fetchVerify,
         clearHtif, resetFetchPage } from "../mmu/access";
import { mmuUpdate } from "../mmu/mode";
import { fpEnabled, setFsDirty } from "./csr";
import { enterTrap, pendingInterrupt, interruptsWaiting, vtrapPending, clearVtrap } from "./trap";
import { transformedInsn } from "./hinsn";
import { syncCounters, updateTimerIrqs } from "./timer";
import { mulh, mulhu, mulhsu, div64, divu64, rem64, remu64, sext32, divw, divuw, remw, remuw } from "./alu";
import { execAtomic } from "./amo";
import { execSystem, exitRequestReason } from "./system";
import { execFloat, boxF32 } from "../fpu/exec";

/** Instructions per batch between interrupt/timer checks. */
const BATCH: i32 = 256;

// Trap-loop detection: a fetch fault at the very address a trap just vectored to means the
// guest has no working handler; the hart halts with EXIT_HALT instead of spinning forever.
let lastVector: u64 = 1;

// Exceptions taken in the current batch (a global: keeping it out of the dispatch loop's
// registers helps the register allocator of the engine that compiles this module).
let faultCount: i32 = 0;

// Base of the current hart's decode cache (rare paths read an instruction's raw bits from it
// instead of keeping them live across the dispatch).
let dcBase: u32 = DCACHE_BASE;
/** Raw bits of the instruction at pc, as cached when it was decoded this iteration. */
// @ts-ignore: decorator
@inline function rawOf(pc: u64): u32 { return load<u32>(dcBase + ((<u32>pc >> 1) & (DCACHE_ENTRIES - 1)) * 16); }

/** The instruction's own bits (16 for a compressed one), as xtval reports them. */
// @ts-ignore: decorator
@inline function insnBits(raw: u32, d: u64): u64 { return <u64>(dCompressed(d) ? raw & 0xffff : raw); }

// Registers are addressed from the run loop's local copy of the hart base.
// @ts-ignore: decorator
@inline function XR(hb: u32, r: u32): u64 { return load<u64>(hb + (r << 3)); }
// @ts-ignore: decorator
@inline function setXR(hb: u32, r: u32, v: u64): void { store<u64>(hb + (r << 3), v); }

/** Runs hart `hart` for at most `budget` instructions; returns the exit reason (EXIT_*). */
export function run(hart: u32, budget: i64): u32 {
  selectHart(HART_BASE + hart * HART_SIZE);
  mmuUpdate();
  clearAttention();
  clearHtif();
  return execute(hart, budget, false);
}

/**
 * The translator's miss path (jit/dispatch.ts): runs `budget` instructions (one basic block) of
 * the hart runDbt is running, without run()'s set-up: the hart is selected, the MMU state is
 * current and no attention is pending (the dispatcher's own invariants), and the dispatcher
 * samples interrupts and time itself at least every IRQ_CHECK_INSNS instructions, so the slice
 * samples only after an instruction that ended the batch (as run() does there). A WFI hart is
 * still served. An EXIT_BUDGET return is not counted as an exit (it is internal to runDbt).
 */
export function runSlice(hart: u32, budget: i64): u32 {
  // The first fetch goes through the fetch TLB (as after run()'s mmuUpdate): the dispatcher finds
  // blocks through that TLB only, and the one-page fetch cache would otherwise keep serving a page
  // whose TLB entry a data access replaced (M-mode fetches and data share one array), leaving the
  // dispatcher blind to it (one-instruction slices, never counted).
  resetFetchPage();
  return execute(hart, budget, true);
}

function execute(hart: u32, budget: i64, slice: bool): u32 {
  const hb = hartBase;
  const dc = DCACHE_BASE + hart * DCACHE_HART_SIZE;
  dcBase = dc;
  // Tracing runs batches of one instruction and reports each one.
  const batchSize: i32 = !slice && machine32(M_TRACE) != 0 ? 1 : BATCH;
  let sample = !slice; // sample time and interrupts at the next batch boundary
  let pc = getPC();
  let left = budget;
  let reason = EXIT_NONE;
  let retired: u64 = 0;
  let memOps: u64 = 0;
  const missesBefore = csr64(H_STAT_TLB_MISS);

  while (reason == EXIT_NONE) {
    syncCounters(retired);
    retired = 0;
    if (sample || hart32(H_WFI) != 0) {
      updateTimerIrqs();
      if (hart32(H_WFI) != 0) {
        if (!interruptsWaiting()) { reason = EXIT_WFI; break; }
        setHart32(H_WFI, 0);
      }
      const irq = pendingInterrupt();
      if (irq >= 0) {
        pc = enterTrap(pc, <u32>irq, 0, true);
        if (vtrapPending) { clearVtrap(); clearAttention(); reason = EXIT_VTRAP; break; }
      }
    }
    sample = !slice;
    if (machine32(M_STOP) != 0) { reason = EXIT_STOP; break; }
    if (left <= 0) { reason = EXIT_BUDGET; break; }
    const batch: i32 = left > <i64>batchSize ? batchSize : <i32>left;
    let n = batch;
    const batchPc = pc;
    faultCount = 0;
    while (n > 0) {
      n--;
      // The cache compares all 32 fetched bits, even for a compressed instruction (whose
      // decoding ignores the upper half): a rare extra miss, but no length test per instruction.
      const raw = fetch(pc);
      const ce = dc + ((<u32>pc >> 1) & (DCACHE_ENTRIES - 1)) * 16;
      let d: u64;
      if (load<u32>(ce) == raw) d = load<u64>(ce + 8);
      else { d = decode(raw); store<u32>(ce, raw); store<u64>(ce + 8, d); bump(H_STAT_DCACHE_MISS); }
      let npc = pc + 4 - ((d >> 29) & 2); // +2 for compressed (bit 30 of the decoded form)
      switch (dOp(d)) {
        // ---- RV64I ----
        case Op.LUI: setXR(hb, dRd(d), dImmU(d)); break;
        case Op.AUIPC: setXR(hb, dRd(d), pc + dImmU(d)); break;
        case Op.JAL: setXR(hb, dRd(d), npc); npc = pc + dImmU(d); break;
        case Op.JALR: { const t = (XR(hb, dRs1(d)) + dImmU(d)) & ~<u64>1; setXR(hb, dRd(d), npc); npc = t; break; }
        case Op.BEQ: if (XR(hb, dRs1(d)) == XR(hb, dRs2(d))) npc = pc + dImmU(d); break;
        case Op.BNE: if (XR(hb, dRs1(d)) != XR(hb, dRs2(d))) npc = pc + dImmU(d); break;
        case Op.BLT: if (<i64>XR(hb, dRs1(d)) < <i64>XR(hb, dRs2(d))) npc = pc + dImmU(d); break;
        case Op.BGE: if (<i64>XR(hb, dRs1(d)) >= <i64>XR(hb, dRs2(d))) npc = pc + dImmU(d); break;
        case Op.BLTU: if (XR(hb, dRs1(d)) < XR(hb, dRs2(d))) npc = pc + dImmU(d); break;
        case Op.BGEU: if (XR(hb, dRs1(d)) >= XR(hb, dRs2(d))) npc = pc + dImmU(d); break;
        case Op.LB: { const v = read8(XR(hb, dRs1(d)) + dImmU(d)); if (excCause < 0) setXR(hb, dRd(d), <u64><i64><i8>v); memOps++; break; }
        case Op.LH: { const v = read16(XR(hb, dRs1(d)) + dImmU(d)); if (excCause < 0) setXR(hb, dRd(d), <u64><i64><i16>v); memOps++; break; }
        case Op.LW: { const v = read32(XR(hb, dRs1(d)) + dImmU(d)); if (excCause < 0) setXR(hb, dRd(d), sext32(v)); memOps++; break; }
        case Op.LD: { const v = read64(XR(hb, dRs1(d)) + dImmU(d)); if (excCause < 0) setXR(hb, dRd(d), v); memOps++; break; }
        case Op.LBU: { const v = read8(XR(hb, dRs1(d)) + dImmU(d)); if (excCause < 0) setXR(hb, dRd(d), v); memOps++; break; }
        case Op.LHU: { const v = read16(XR(hb, dRs1(d)) + dImmU(d)); if (excCause < 0) setXR(hb, dRd(d), v); memOps++; break; }
        case Op.LWU: { const v = read32(XR(hb, dRs1(d)) + dImmU(d)); if (excCause < 0) setXR(hb, dRd(d), v); memOps++; break; }
        case Op.SB: write8(XR(hb, dRs1(d)) + dImmU(d), XR(hb, dRs2(d))); memOps++; break;
        case Op.SH: write16(XR(hb, dRs1(d)) + dImmU(d), XR(hb, dRs2(d))); memOps++; break;
        case Op.SW: write32(XR(hb, dRs1(d)) + dImmU(d), XR(hb, dRs2(d))); memOps++; break;
        case Op.SD: write64(XR(hb, dRs1(d)) + dImmU(d), XR(hb, dRs2(d))); memOps++; break;
        case Op.ADDI: setXR(hb, dRd(d), XR(hb, dRs1(d)) + dImmU(d)); break;
        case Op.SLTI: setXR(hb, dRd(d), <i64>XR(hb, dRs1(d)) < <i64>dImmU(d) ? 1 : 0); break;
        case Op.SLTIU: setXR(hb, dRd(d), XR(hb, dRs1(d)) < dImmU(d) ? 1 : 0); break;
        case Op.XORI: setXR(hb, dRd(d), XR(hb, dRs1(d)) ^ dImmU(d)); break;
        case Op.ORI: setXR(hb, dRd(d), XR(hb, dRs1(d)) | dImmU(d)); break;
        case Op.ANDI: setXR(hb, dRd(d), XR(hb, dRs1(d)) & dImmU(d)); break;
        case Op.SLLI: setXR(hb, dRd(d), XR(hb, dRs1(d)) << (dImmU(d) & 63)); break;
        case Op.SRLI: setXR(hb, dRd(d), XR(hb, dRs1(d)) >> (dImmU(d) & 63)); break;
        case Op.SRAI: setXR(hb, dRd(d), <u64>(<i64>XR(hb, dRs1(d)) >> <i64>(dImmU(d) & 63))); break;
        case Op.ADD: setXR(hb, dRd(d), XR(hb, dRs1(d)) + XR(hb, dRs2(d))); break;
        case Op.SUB: setXR(hb, dRd(d), XR(hb, dRs1(d)) - XR(hb, dRs2(d))); break;
        case Op.SLL: setXR(hb, dRd(d), XR(hb, dRs1(d)) << (XR(hb, dRs2(d)) & 63)); break;
        case Op.SLT: setXR(hb, dRd(d), <i64>XR(hb, dRs1(d)) < <i64>XR(hb, dRs2(d)) ? 1 : 0); break;
        case Op.SLTU: setXR(hb, dRd(d), XR(hb, dRs1(d)) < XR(hb, dRs2(d)) ? 1 : 0); break;
        case Op.XOR: setXR(hb, dRd(d), XR(hb, dRs1(d)) ^ XR(hb, dRs2(d))); break;
        case Op.SRL: setXR(hb, dRd(d), XR(hb, dRs1(d)) >> (XR(hb, dRs2(d)) & 63)); break;
        case Op.SRA: setXR(hb, dRd(d), <u64>(<i64>XR(hb, dRs1(d)) >> <i64>(XR(hb, dRs2(d)) & 63))); break;
        case Op.OR: setXR(hb, dRd(d), XR(hb, dRs1(d)) | XR(hb, dRs2(d))); break;
        case Op.AND: setXR(hb, dRd(d), XR(hb, dRs1(d)) & XR(hb, dRs2(d))); break;
        case Op.ADDIW: setXR(hb, dRd(d), sext32(XR(hb, dRs1(d)) + dImmU(d))); break;
        case Op.SLLIW: setXR(hb, dRd(d), sext32(<u64>(<u32>XR(hb, dRs1(d)) << (<u32>dImmU(d) & 31)))); break;
        case Op.SRLIW: setXR(hb, dRd(d), sext32(<u64>(<u32>XR(hb, dRs1(d)) >> (<u32>dImmU(d) & 31)))); break;
        case Op.SRAIW: setXR(hb, dRd(d), <u64><i64>(<i32>XR(hb, dRs1(d)) >> (<i32>dImmU(d) & 31))); break;
        case Op.ADDW: setXR(hb, dRd(d), sext32(XR(hb, dRs1(d)) + XR(hb, dRs2(d)))); break;
        case Op.SUBW: setXR(hb, dRd(d), sext32(XR(hb, dRs1(d)) - XR(hb, dRs2(d)))); break;
        case Op.SLLW: setXR(hb, dRd(d), sext32(<u64>(<u32>XR(hb, dRs1(d)) << (<u32>XR(hb, dRs2(d)) & 31)))); break;
        case Op.SRLW: setXR(hb, dRd(d), sext32(<u64>(<u32>XR(hb, dRs1(d)) >> (<u32>XR(hb, dRs2(d)) & 31)))); break;
        case Op.SRAW: setXR(hb, dRd(d), <u64><i64>(<i32>XR(hb, dRs1(d)) >> (<i32>XR(hb, dRs2(d)) & 31))); break;
        case Op.FENCE: case Op.PAUSE: break;
        case Op.ECALL: case Op.EBREAK: case Op.FENCE_I:
          npc = execSystem(d, pc, npc, insnBits(rawOf(pc), d));
          break;
        // ---- M ----
        case Op.MUL: setXR(hb, dRd(d), XR(hb, dRs1(d)) * XR(hb, dRs2(d))); break;
        case Op.MULH: setXR(hb, dRd(d), mulh(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.MULHSU: setXR(hb, dRd(d), mulhsu(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.MULHU: setXR(hb, dRd(d), mulhu(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.DIV: setXR(hb, dRd(d), div64(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.DIVU: setXR(hb, dRd(d), divu64(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.REM: setXR(hb, dRd(d), rem64(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.REMU: setXR(hb, dRd(d), remu64(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.MULW: setXR(hb, dRd(d), sext32(XR(hb, dRs1(d)) * XR(hb, dRs2(d)))); break;
        case Op.DIVW: setXR(hb, dRd(d), divw(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.DIVUW: setXR(hb, dRd(d), divuw(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.REMW: setXR(hb, dRd(d), remw(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        case Op.REMUW: setXR(hb, dRd(d), remuw(XR(hb, dRs1(d)), XR(hb, dRs2(d)))); break;
        // ---- A ----
        case Op.LR_W: case Op.LR_D: case Op.SC_W: case Op.SC_D:
        case Op.AMOSWAP_W: case Op.AMOADD_W: case Op.AMOXOR_W: case Op.AMOAND_W: case Op.AMOOR_W:
        case Op.AMOMIN_W: case Op.AMOMAX_W: case Op.AMOMINU_W: case Op.AMOMAXU_W:
        case Op.AMOSWAP_D: case Op.AMOADD_D: case Op.AMOXOR_D: case Op.AMOAND_D: case Op.AMOOR_D:
        case Op.AMOMIN_D: case Op.AMOMAX_D: case Op.AMOMINU_D: case Op.AMOMAXU_D:
          execAtomic(d);
          break;
        // ---- Zicsr ----
        case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI: {
          // Counters read exactly: add the instructions this batch retired before this one (and
          // take them off what the batch end adds).
          const before = <u64>(batch - n - 1 - faultCount);
          syncCounters(retired + before); retired = 0 - before;
          npc = execSystem(d, pc, npc, insnBits(rawOf(pc), d));
          break;
        }
        // ---- privileged ----
        case Op.MRET: case Op.SRET: case Op.WFI: case Op.SFENCE_VMA:
          npc = execSystem(d, pc, npc, insnBits(rawOf(pc), d));
          break;
        // ---- F/D memory ----
        case Op.FLW: {
          if (!fpEnabled()) { raise(CAUSE_ILLEGAL_INSTRUCTION, insnBits(rawOf(pc), d)); break; }
          const v = read32(XR(hb, dRs1(d)) + dImmU(d)); memOps++;
          if (excCause < 0) { setF(dRd(d), boxF32(<u32>v)); setFsDirty(); }
          break;
        }
        case Op.FLD: {
          if (!fpEnabled()) { raise(CAUSE_ILLEGAL_INSTRUCTION, insnBits(rawOf(pc), d)); break; }
          const v = read64(XR(hb, dRs1(d)) + dImmU(d)); memOps++;
          if (excCause < 0) { setF(dRd(d), v); setFsDirty(); }
          break;
        }
        case Op.FSW:
          if (!fpEnabled()) { raise(CAUSE_ILLEGAL_INSTRUCTION, insnBits(rawOf(pc), d)); break; }
          write32(XR(hb, dRs1(d)) + dImmU(d), getF(dRs2(d))); memOps++; break;
        case Op.FSD:
          if (!fpEnabled()) { raise(CAUSE_ILLEGAL_INSTRUCTION, insnBits(rawOf(pc), d)); break; }
          write64(XR(hb, dRs1(d)) + dImmU(d), getF(dRs2(d))); memOps++; break;
        case Op.ILLEGAL:
          // A fetch that read 0 may have come from the invalid fetch-cache page: re-fetch
          // through the slow path, which raises the real fetch fault if there is one.
          if (rawOf(pc) == 0) fetchVerify(pc);
          if (attention == 0) raise(CAUSE_ILLEGAL_INSTRUCTION, insnBits(rawOf(pc), d));
          break;
        default: {
          const op = dOp(d);
          if (op >= <u32>Op.FMADD_S && op <= <u32>Op.FMV_D_X && op != <u32>Op.FLD && op != <u32>Op.FSD) {
            if (!fpEnabled() || !execFloat(op, dRd(d), dRs1(d), dRs2(d), dRs3(d), <u32>dImmU(d) & 7)) {
              raise(CAUSE_ILLEGAL_INSTRUCTION, insnBits(rawOf(pc), d));
            } else setFsDirty();
            break;
          }
          if (op >= <u32>Op.HFENCE_VVMA && op <= <u32>Op.HSV_D) {
            execSystem(d, pc, npc, insnBits(rawOf(pc), d));
            memOps++;
            break;
          }
          raise(CAUSE_ILLEGAL_INSTRUCTION, insnBits(rawOf(pc), d));
        }
      }
      if (attention != 0) {
        if ((attention & ATTN_EXCEPTION) != 0) {
          faultCount++;
          if (pc == lastVector && (excCause == <i32>CAUSE_FETCH_ACCESS || excCause == <i32>CAUSE_FETCH_PAGE_FAULT)) {
            // The trap vector itself cannot be fetched: the guest has no working handler.
            setCsr64(H_EXIT_ADDR, pc); store<u32>(hb + H_EXIT_CODE, <u32>excCause);
            reason = EXIT_HALT;
            break;
          }
          pc = takeException(pc);
          if (attention == 0) continue;
        } else pc = npc;
        if ((attention & ATTN_EXIT) != 0) {
          reason = exitRequestReason();
        }
        clearAttention();
        sample = true;
        break;
      }
      pc = npc;
    }
    const executed = batch - n;
    left -= <i64>executed;
    retired += <u64>(executed - faultCount);
    if (batchSize == 1 && reason == EXIT_NONE && executed == 1) {
      // Trace: report the instruction just executed (its raw bits are in the decode cache).
      setCsr64(H_EXIT_ADDR, batchPc);
      const te = dc + ((<u32>batchPc >> 1) & (DCACHE_ENTRIES - 1)) * 16;
      setCsr64(H_EXIT_VALUE, insnBits(load<u32>(te), load<u64>(te + 8)));
      reason = EXIT_TRACE;
    }
  }
  syncCounters(retired);
  // Hits are counted cheaply: data accesses made minus TLB fills during this run.
  const misses = csr64(H_STAT_TLB_MISS) - missesBefore;
  setCsr64(H_STAT_TLB_HIT, csr64(H_STAT_TLB_HIT) + (memOps > misses ? memOps - misses : 0));
  setPC(pc);
  store<u32>(hartBase + H_EXIT_REASON, reason);
  if (!slice || reason != EXIT_BUDGET) bump(H_STAT_EXITS + (reason << 3));
  return reason;
}

/** Delivers the pending synchronous exception raised at `pc`; returns the handler address. */
export function takeException(pc: u64): u64 {
  const cause = <u32>excCause;
  const tval = excTval;
  // An explicit access's guest-page fault reports the transformed instruction in htinst/mtinst
  // (implicit VS-stage accesses already carry their pseudo-instruction).
  // The instruction was just fetched from pc, so this fetch hits and cannot raise.
  if ((cause == CAUSE_LOAD_GUEST_PAGE_FAULT || cause == CAUSE_STORE_GUEST_PAGE_FAULT) && excTinst == 0) {
    setTinst(transformedInsn(fetch(pc)));
  }
  clearException();
  const target = enterTrap(pc, cause, tval, false);
  lastVector = target;
  return target;
}
