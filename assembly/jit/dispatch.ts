// Layer 3 of the DBT (DESIGN.md §3): the dispatch loop of engine "dbt".
//
// runDbt(hart, budget) has run()'s contract (cpu/interp.ts) plus one more exit, EXIT_TRANSLATE.
// At every block start it looks the current pc up in the code cache (jit/cache.ts):
//  - hit (a READY translation whose page generation is current): call_indirect through the core's
//    own exported function table, then apply layer 2's exit protocol (jit/codegen.ts header):
//    H_JIT_RETIRED instructions retired; ATTN_EXCEPTION pending -> deliver the trap at the returned
//    pc exactly as the interpreter does (takeException); another attention bit -> exit request.
//    A translation is a region (jit/region.ts): the entry's block index goes to H_JIT_ENTRY and
//    the retired bound (what is left of the budget, at most REGION_RETIRE_BOUND) to H_JIT_LIMIT.
//  - miss: the interpreter runs exactly one basic block (cpu/interp.ts runSlice: run()'s loop with
//    the block's length as budget but without run()'s per-call set-up and interrupt sampling, so
//    the interpreter's hot loop is untouched), and the block's hotness counter is bumped. At
//    HOT_THRESHOLD the region around the block is translated into JIT_BUF_BASE and runDbt returns
//    EXIT_TRANSLATE (EXIT_ADDR = buffer, EXIT_VALUE = length); the host compiles it, puts its
//    `run` into the core's table and calls installTranslation(index), which makes the cache
//    entries of ALL the region's blocks point at it (meta bits 24..31: the block index); the
//    next runDbt() continues at the pc.
// Interrupts, timer and the stop flag are checked at block boundaries, at least every
// IRQ_CHECK_INSNS instructions, and right after a region left because a system instruction ended
// the batch (the miss path's slices sample only after such an instruction themselves).
import { EXIT_VTRAP, HART_BASE, HART_SIZE, H_PC, H_PRIV, H_JIT_RETIRED, H_EXIT_REASON, H_EXIT_ADDR, H_EXIT_VALUE, H_EXIT_CODE, H_WFI,
         H_STAT_EXITS, H_STAT_JIT_INSNS, H_STAT_JIT_CALLS, H_STAT_JIT_TRANSLATIONS, H_STAT_JIT_REGION_BLOCKS, H_STAT_JIT_REGION_PAGES,
         H_JIT_ENTRY, H_JIT_LIMIT, H_STAT_JIT_EVICTIONS, M_STOP, M_TRACE, M_JIT_THRESHOLD,
         EXIT_BUDGET, EXIT_STOP, EXIT_HTIF, EXIT_TRANSLATE, JIT_BUF_BASE, JIT_BUF_SIZE } from "../layout";
import { selectHart, hartBase, machine32, bump } from "../cpu/state";
import { run, runSlice, takeException } from "../cpu/interp";
import { exitRequestReason } from "../cpu/system";
import { setJitUnsynced, jitUnsynced } from "./helpers";
import { attention, clearAttention, ATTN_EXCEPTION, ATTN_EXIT } from "../cpu/causes";
import { tlbFetch, tlbCtx, entryOf, htifPending, clearHtif, TE_TAG_X, TE_CTX, TE_PPAGE, TE_ADDEND } from "../mmu/access";
import { flushAllHartsTlbs } from "../mmu/tlb";
import { mmuUpdate } from "../mmu/mode";
import { syncCounters, updateTimerIrqs } from "../cpu/timer";
import { pendingInterrupt, enterTrap, vtrapPending, clearVtrap } from "../cpu/trap";
import { decode } from "../cpu/decode";
import { Op, dOp, dCompressed } from "../cpu/opcodes";
import { translateKnownRegion, regionBlocks, regionBlockOffset, regionBlockPage, regionPages } from "./region";
import { chainPageVpage, chainPagePpage, chainPageCode, chainPageGen, chainPageRam } from "./chain";
import { slotAcquire, slotRelease, slotFreeIfUnused, slotValid } from "./slots";
import { cacheEntry, ramPage, pageGen, pageFlags, PF_CODE, pageTranslatable, markCodePage, CE_VPC, CE_PPC, CE_INDEX, CE_GEN,
         CE_COUNT, CE_META, CS_COLD, CS_READY, CS_NEVER, CS_PENDING } from "./cache";

/** Executions of a block start (counted on the interpreter path) before its region is
 *  translated. The host may override it with M_JIT_THRESHOLD (tests use 1 and 50 to translate
 *  nearly everything). Measured with bench/threshold.ts (node dist/bench/threshold.js), wall
 *  seconds, on the 2-core machine under heavy load from other jobs (noisy: each row is one run,
 *  several rows per threshold are repeats):
 *    threshold   C programs (crc32+matmul+sieve+sort+strings)   Linux boot to user space
 *         50     1.05  1.67                                     5.8  7.9  8.4
 *        200     2.40                                           4.5
 *        500     0.87                                           1.3  4.1  6.4
 *       1000     2.13                                           1.8  8.5  3.5  5.3
 *       2000     1.17  2.06                                     1.9  3.9  4.6  5.1 14.4
 *       5000     1.09  1.58  3.66                               0.75 0.9  1.4  1.3  1.4  2.2  1.8
 *      10000     1.11                                           1.0  3.4  4.2  2.1
 *      20000     3.07                                           2.3
 *  Linux compiles a region per few thousand executions of boot code that runs little longer
 *  (compile + instantiate cost 1–5 ms per module on this loaded machine), so it wants a high
 *  threshold; the C programs' hot loops run millions of times and barely care. 5000 is the best
 *  for both (interpreter alone: Linux 1.5 s).
 *  Again with system instructions in regions and the cheaper runSlice miss path (median of 3,
 *  --repeat 3): threshold 1000 / 2000 / 5000 / 10000 -> programs 0.83 / 0.73 / 0.75 / 0.77 s,
 *  Linux 1.35 / 0.69 / 0.69 / 0.86 s: flat from 2000 to 5000 within the noise (compiles cost
 *  what the slices save), so 5000 stays. */
export const HOT_THRESHOLD: u32 = 5000;
/** A block in a page that already holds translations is translated after threshold >> this
 *  many executions: its page is hot, and each interpreter slice of one block costs ≈ 120 ns of
 *  run() set-up (strings: 1.2 M slices of 4 instructions at threshold 5000). Measured by counts
 *  (deterministic): shift 2 cuts strings' interpreted instructions from 5.0 M to 1.5 M with the same
 *  55 regions, and costs Linux 125 regions instead of 62 for 2.3 M more translated
 *  instructions (about even); shift 3/4: strings 0.9/0.7 M, Linux 175/245 regions. */
const PAGE_HOT_SHIFT: u32 = 2;
/** Most instructions in one translated block (bounded by the page too). */
const MAX_BLOCK_INSNS: u32 = 64;
/** Translated instructions between two interrupt/timer checks. */
const IRQ_CHECK_INSNS: i64 = 256;
/** Most instructions one call of a region retires before a back edge exits (so that timers,
 *  interrupts and the stop flag are served; v86 bails out of its loops similarly). */
const REGION_RETIRE_BOUND: i64 = 1024;

// The entry waiting for installTranslation() (0: none), and its mode; the pages of its module
// are jit/chain.ts's until the next translation.
let pendingEntry: u32 = 0;
let pendingMode: u32 = 0;

/** Host callback after EXIT_TRANSLATE: the compiled region's `run` is at table slot `index`;
 *  every block of the region (in every page of its module, jit/chain.ts) whose page was not
 *  written since gets a ready cache entry pointing at it. */
export function installTranslation(index: u32): void {
  const e = pendingEntry;
  if (!slotValid(index)) { rejectTranslation(); return; }
  if (e == 0) { slotFreeIfUnused(index); return; } // its entry was replaced meanwhile
  pendingEntry = 0;
  // The hot page written since (the region is stale): the slot is not used.
  if (!pageUnchanged(0)) { slotFreeIfUnused(index); return; }
  const k = regionBlocks();
  for (let i: u32 = 0; i < k; i++) {
    const p = regionBlockPage(i);
    if (!pageUnchanged(p)) continue;
    const off = regionBlockOffset(i);
    const vpage = chainPageVpage(p), ppage = chainPagePpage(p);
    const ce = cacheEntry(vpage | <u64>off);
    releaseEntry(ce, load<u32>(ce + CE_META));
    slotAcquire(index);
    store<u64>(ce + CE_VPC, vpage | <u64>off);
    store<u64>(ce + CE_PPC, ppage | <u64>off);
    store<u32>(ce + CE_GEN, chainPageGen(p));
    store<u32>(ce + CE_COUNT, 0);
    store<u32>(ce + CE_INDEX, index);
    // The block length (for interpreter slices once the entry is stale again) as on a miss.
    const len = blockLength(chainPageCode(p) + off, off, MAX_BLOCK_INSNS);
    store<u32>(ce + CE_META, pendingMode | (CS_READY << 8) | (len << 16) | (i << 24));
  }
}

/** True when module page `p` of the pending region still has its generation of translation. */
function pageUnchanged(p: u32): bool {
  const page = chainPageRam(p);
  return page >= 0 && pageGen(page) == chainPageGen(p);
}

/** Drops the table-slot reference of cache entry `ce` (meta `meta`) if it is READY. */
function releaseEntry(ce: u32, meta: u32): void {
  if (((meta >> 8) & 0xff) != CS_READY) return;
  slotRelease(load<u32>(ce + CE_INDEX));
  bump(H_STAT_JIT_EVICTIONS);
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
          releaseEntry(ce, meta);
          store<u64>(ce + CE_VPC, pc); store<u64>(ce + CE_PPC, ppc);
          store<u32>(ce + CE_GEN, gen); store<u32>(ce + CE_COUNT, 0);
          // The block's length is found once per key (it needs a decode of every instruction)
          // and kept in meta bits 16..23 for the interpreter slices of the miss path.
          meta = mode | (CS_COLD << 8) | (blockLength(code, <u32>pc & 0xfff, MAX_BLOCK_INSNS) << 16);
          store<u32>(ce + CE_META, meta);
        }
        blockInsns = (meta >>> 16) & 0xff;
        const state = (meta >> 8) & 0xff;
        if (state == CS_READY) {
          store<u32>(hb + H_JIT_ENTRY, meta >>> 24);
          store<u32>(hb + H_JIT_LIMIT, <u32>(left < REGION_RETIRE_BOUND ? left : REGION_RETIRE_BOUND));
          store<u32>(hb + H_JIT_RETIRED, 0); // a region counts on from it (jit/chain.ts)
          setJitUnsynced(retired); // jitExec syncs the counters from it
          const next = call_indirect<u64>(load<u32>(ce + CE_INDEX), hb);
          const n = load<u32>(hb + H_JIT_RETIRED);
          retired = jitUnsynced() + <u64>n; left -= <i64>n; sinceCheck += <i64>n;
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
              // Hardware-assisted VMM: the trap was a VM exit (cpu/trap.ts).
              if (vtrapPending) { clearVtrap(); reason = EXIT_VTRAP; break; }
            } else {
              clearAttention();
              if ((attn & ATTN_EXIT) != 0) { reason = exitRequestReason(); break; }
              // A system instruction ended the batch (cpu/system.ts): sample interrupts now.
              sinceCheck = IRQ_CHECK_INSNS;
            }
          }
          continue;
        }
        if (state == CS_COLD && pageTranslatable(page)) {
          const count = load<u32>(ce + CE_COUNT) + 1;
          store<u32>(ce + CE_COUNT, count);
          if (count >= threshold || (count >= (threshold >> PAGE_HOT_SHIFT) && (pageFlags(page) & PF_CODE) != 0)) {
            const offset = <u32>pc & 0xfff;
            const len = translateKnownRegion(code - offset, pc, ppc & ~<u64>0xfff, mode, gen, JIT_BUF_BASE, JIT_BUF_SIZE);
            if (len == 0) {
              store<u32>(ce + CE_META, (meta & ~<u32>0xff00) | (CS_NEVER << 8));
            } else {
              store<u32>(ce + CE_META, (meta & ~<u32>0xff00) | (CS_PENDING << 8));
              pendingEntry = ce;
              pendingMode = mode;
              store<u64>(hb + H_STAT_JIT_REGION_BLOCKS, load<u64>(hb + H_STAT_JIT_REGION_BLOCKS) + <u64>regionBlocks());
              store<u64>(hb + H_STAT_JIT_REGION_PAGES, load<u64>(hb + H_STAT_JIT_REGION_PAGES) + <u64>regionPages());
              // First translation in a page: stores to it must take the slow path from now on.
              let marked = false;
              for (let p: u32 = 0; p < regionPages(); p++) marked = markCodePage(chainPageRam(p)) || marked;
              if (marked) flushAllHartsTlbs();
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
    const r = runSlice(hart, k);
    pc = load<u64>(hb + H_PC);
    if (r != EXIT_BUDGET) return r; // the slice stored the exit record and counted the exit
    left -= k;
    sinceCheck += k; // the slice samples interrupts only after a batch-ending instruction
  }
  syncCounters(retired);
  store<u64>(hb + H_PC, pc);
  store<u32>(hb + H_EXIT_REASON, reason);
  bump(H_STAT_EXITS + (reason << 3));
  return reason;
}
