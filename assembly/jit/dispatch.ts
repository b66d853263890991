// Layer 3 of the DBT (DESIGN.md §3): the dispatch loop of engine "dbt".
//
// runDbt(hart, budget) has run()'s contract (cpu/interp.ts) plus one more exit, EXIT_TRANSLATE.
// At every block start it looks the current pc up in the code cache (jit/cache.ts):
//  - hit (a READY translation whose page generation is current): call_indirect through the core's
//    own exported function table, then apply layer 2's exit protocol (jit/codegen.ts header):
//    H_JIT_RETIRED instructions retired; ATTN_EXCEPTION pending -> deliver the trap at the returned
//    pc exactly as the interpreter does (takeException); another attention bit -> exit request.
//  - miss: the interpreter runs exactly one basic block (run() with the block's length as budget,
//    so the interpreter's hot loop is untouched), and the block's hotness counter is bumped. At
//    HOT_THRESHOLD the block is translated into JIT_BUF_BASE and runDbt returns EXIT_TRANSLATE
//    (EXIT_ADDR = buffer, EXIT_VALUE = length); the host compiles it, puts its `run` into the
//    core's table and calls installTranslation(index); the next runDbt() continues at the pc.
// Interrupts, timer and the stop flag are checked at block boundaries, at least every
// IRQ_CHECK_INSNS instructions of translated code (the interpreter checks at each of its runs).
import { HART_BASE, HART_SIZE, H_PC, H_PRIV, H_JIT_RETIRED, H_EXIT_REASON, H_EXIT_ADDR, H_EXIT_VALUE, H_EXIT_CODE, H_WFI,
         H_STAT_EXITS, H_STAT_JIT_INSNS, H_STAT_JIT_CALLS, H_STAT_JIT_TRANSLATIONS, M_STOP, M_TRACE, M_JIT_THRESHOLD,
         EXIT_BUDGET, EXIT_STOP, EXIT_HTIF, EXIT_TRANSLATE, EXIT_VTRAP, JIT_BUF_BASE, JIT_BUF_SIZE } from "../layout";
import { selectHart, hartBase, machine32, bump } from "../cpu/state";
import { run, takeException } from "../cpu/interp";
import { attention, clearAttention, ATTN_EXCEPTION, ATTN_EXIT } from "../cpu/causes";
import { tlbFetch, tlbCtx, entryOf, htifPending, clearHtif, TE_TAG_X, TE_CTX, TE_PPAGE, TE_ADDEND } from "../mmu/access";
import { flushAllHartsTlbs } from "../mmu/tlb";
import { mmuUpdate } from "../mmu/mode";
import { syncCounters, updateTimerIrqs } from "../cpu/timer";
import { pendingInterrupt, enterTrap, vtrapPending, clearVtrap } from "../cpu/trap";
import { decode } from "../cpu/decode";
import { Op, dOp, dCompressed } from "../cpu/opcodes";
import { translateBlock } from "./codegen";
import { cacheEntry, ramPage, pageGen, pageTranslatable, markCodePage, CE_VPC, CE_PPC, CE_INDEX, CE_GEN,
         CE_COUNT, CE_META, CS_COLD, CS_READY, CS_NEVER, CS_PENDING } from "./cache";

/** Executions of a block start before it is translated. A first guess: it must be measured
 *  (compile cost ≈ 50–250 µs per module against the interpreter's per-block cost). The host may
 *  override it with M_JIT_THRESHOLD (tests use 1 to translate everything translatable). */
export const HOT_THRESHOLD: u32 = 50;
/** Most instructions in one translated block (bounded by the page too). */
const MAX_BLOCK_INSNS: u32 = 64;
/** Translated instructions between two interrupt/timer checks. */
const IRQ_CHECK_INSNS: i64 = 256;

// The entry waiting for installTranslation() (0: none).
let pendingEntry: u32 = 0;

/** Host callback after EXIT_TRANSLATE: the compiled block's `run` is at table slot `index`. */
export function installTranslation(index: u32): void {
  const e = pendingEntry;
  if (e == 0) return;
  pendingEntry = 0;
  store<u32>(e + CE_INDEX, index);
  store<u32>(e + CE_META, (load<u32>(e + CE_META) & ~<u32>0xff00) | (CS_READY << 8));
}

/** Host callback when the translation could not be compiled: the block stays interpreted. */
export function rejectTranslation(): void {
  const e = pendingEntry;
  if (e == 0) return;
  pendingEntry = 0;
  store<u32>(e + CE_META, (load<u32>(e + CE_META) & ~<u32>0xff00) | (CS_NEVER << 8));
}

// @ts-ignore: decorator
@inline function isBlockEnd(op: u32): bool {
  return (op >= <u32>Op.JAL && op <= <u32>Op.BGEU) || op == <u32>Op.ECALL || op == <u32>Op.EBREAK ||
    op == <u32>Op.MRET || op == <u32>Op.SRET || op == <u32>Op.WFI || op == <u32>Op.ILLEGAL;
}

/** Instructions from host address `code` (page offset `off`) up to and including the first control
 *  transfer, at most `max`, never past the page (an instruction must start at or below 0xffc). */
function blockLength(code: u32, off: u32, max: u32): u32 {
  let n: u32 = 0;
  while (n < max && off <= 0xffc) {
    const d = decode(load<u32>(code));
    const len: u32 = dCompressed(d) ? 2 : 4;
    if (off + len > 0x1000) break;
    n++;
    if (isBlockEnd(dOp(d))) break;
    off += len; code += len;
  }
  return n == 0 ? 1 : n;
}

/** Engine "dbt": runs hart `hart` for at most `budget` instructions; returns EXIT_*. */
export function runDbt(hart: u32, budget: i64): u32 {
  if (machine32(M_TRACE) != 0) return run(hart, budget);
  const hb = HART_BASE + hart * HART_SIZE;
  selectHart(hb);
  mmuUpdate();
  clearAttention();
  clearHtif();
  let left = budget;
  let retired: u64 = 0; // translated instructions not yet added to instret
  let sinceCheck: i64 = IRQ_CHECK_INSNS; // check at entry
  let pc = load<u64>(hb + H_PC);
  let reason: u32 = EXIT_BUDGET;
  const threshold = machine32(M_JIT_THRESHOLD) != 0 ? machine32(M_JIT_THRESHOLD) : HOT_THRESHOLD;

  while (true) {
    if (machine32(M_STOP) != 0) { reason = EXIT_STOP; break; }
    if (left <= 0) { reason = EXIT_BUDGET; break; }
    if (sinceCheck >= IRQ_CHECK_INSNS) {
      syncCounters(retired); retired = 0; sinceCheck = 0;
      updateTimerIrqs();
      const irq = pendingInterrupt();
      if (irq >= 0) {
        pc = enterTrap(pc, <u32>irq, 0, true);
        // VMM_HS_EXIT: the interrupt is a VM exit (as in interp.ts run()).
        if (vtrapPending) { clearVtrap(); clearAttention(); reason = EXIT_VTRAP; break; }
      }
    }
    // Translate pc through the live fetch TLB (no fill here: a miss is left to the interpreter).
    const te = entryOf(tlbFetch, pc);
    const vpage = pc & ~<u64>0xfff;
    let ce: u32 = 0;
    let code: u32 = 0;
    let blockInsns: u32 = 1; // interpreter slice when the block is not cached (fetch TLB miss)
    // A hart in WFI is left to the interpreter, which waits or wakes it.
    if (load<u32>(hb + H_WFI) == 0 && load<u64>(te + TE_TAG_X) == vpage && load<u32>(te + TE_CTX) == tlbCtx) {
      const ppc = load<u64>(te + TE_PPAGE) | (pc & 0xfff);
      code = <u32>pc + load<u32>(te + TE_ADDEND);
      const page = ramPage(ppc);
      if (page >= 0) {
        ce = cacheEntry(pc);
        const mode = load<u32>(hb + H_PRIV);
        let meta = load<u32>(ce + CE_META);
        const gen = pageGen(page);
        if (load<u64>(ce + CE_VPC) != pc || load<u64>(ce + CE_PPC) != ppc || (meta & 0xff) != mode ||
            load<u32>(ce + CE_GEN) != gen) {
          // New key, or the page was written since: start counting again.
          if (ce == pendingEntry) pendingEntry = 0;
          store<u64>(ce + CE_VPC, pc); store<u64>(ce + CE_PPC, ppc);
          store<u32>(ce + CE_GEN, gen); store<u32>(ce + CE_COUNT, 0);
          // The block's length is found once per key (it needs a decode of every instruction)
          // and kept in meta bits 16..23 for the interpreter slices of the miss path.
          meta = mode | (CS_COLD << 8) | (blockLength(code, <u32>pc & 0xfff, MAX_BLOCK_INSNS) << 16);
          store<u32>(ce + CE_META, meta);
        }
        blockInsns = meta >>> 16;
        const state = (meta >> 8) & 0xff;
        if (state == CS_READY) {
          const next = call_indirect<u64>(load<u32>(ce + CE_INDEX), hb);
          const n = load<u32>(hb + H_JIT_RETIRED);
          retired += <u64>n; left -= <i64>n; sinceCheck += <i64>n;
          bump(H_STAT_JIT_CALLS);
          store<u64>(hb + H_STAT_JIT_INSNS, load<u64>(hb + H_STAT_JIT_INSNS) + <u64>n);
          pc = next;
          const attn = attention;
          if (attn != 0) {
            if ((attn & ATTN_EXCEPTION) != 0) {
              left--; // the faulting instruction was executed, not retired (as in interp.ts)
              syncCounters(retired); retired = 0;
              pc = takeException(pc);
              clearAttention();
              // VMM_HS_EXIT: the trap left the guest as a VM exit (pc stays at the instruction).
              if (vtrapPending) { clearVtrap(); reason = EXIT_VTRAP; break; }
            } else {
              clearAttention();
              if ((attn & ATTN_EXIT) != 0) { reason = htifPending ? EXIT_HTIF : EXIT_STOP; break; }
            }
          }
          continue;
        }
        if (state == CS_COLD && pageTranslatable(page)) {
          const count = load<u32>(ce + CE_COUNT) + 1;
          store<u32>(ce + CE_COUNT, count);
          if (count >= threshold) {
            const len = translateBlock(code, pc, blockInsns, JIT_BUF_BASE, JIT_BUF_SIZE);
            if (len == 0) {
              store<u32>(ce + CE_META, (meta & ~<u32>0xff00) | (CS_NEVER << 8));
            } else {
              store<u32>(ce + CE_META, (meta & ~<u32>0xff00) | (CS_PENDING << 8));
              pendingEntry = ce;
              // First translation in the page: stores to it must take the slow path from now on.
              if (markCodePage(page)) flushAllHartsTlbs();
              bump(H_STAT_JIT_TRANSLATIONS);
              store<u64>(hb + H_EXIT_ADDR, <u64>JIT_BUF_BASE);
              store<u64>(hb + H_EXIT_VALUE, <u64>len);
              store<u32>(hb + H_EXIT_CODE, 0);
              reason = EXIT_TRANSLATE;
              break;
            }
          }
        }
      }
    }
    // Interpret one basic block (or one instruction when the fetch TLB missed).
    let k: i64 = <i64>blockInsns;
    if (k > left) k = left;
    syncCounters(retired); retired = 0;
    store<u64>(hb + H_PC, pc);
    const r = run(hart, k);
    // run() re-selected the hart and recomputed the MMU mode; pc is in the hart block.
    pc = load<u64>(hb + H_PC);
    if (r != EXIT_BUDGET) return r; // run() stored the exit record and counted the exit
    const c = hb + H_STAT_EXITS + (EXIT_BUDGET << 3);
    store<u64>(c, load<u64>(c) - 1); // internal slice, not an exit of this engine
    left -= k;
    sinceCheck = 0; // run() checked interrupts at its start
  }
  syncCounters(retired);
  store<u64>(hb + H_PC, pc);
  store<u32>(hb + H_EXIT_REASON, reason);
  bump(H_STAT_EXITS + (reason << 3));
  return reason;
}
