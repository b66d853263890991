// Multi-page modules of the DBT (DESIGN.md §3; issue 4 "several functions per module", "direct
// chaining of known successors"). A region (jit/region.ts) is discovered in its hot page first;
// its exits to known pcs in other pages name up to MODULE_MAX_PAGES - 1 more pages (v86 keeps a
// hot page plus a few reachable ones together), whose regions become more functions of the SAME
// module. An exit of one page's function to a member block of another page's function is a
// direct tail call (`return_call`, wasm tail-call proposal): the stack does not grow, and the
// dispatcher (jit/dispatch.ts) sees one call for the whole chain.
//
// Calling protocol between the functions of a module (all of type 0, (i32 hart) -> i64, so that
// the callee's result is the chain's result):
//   H_JIT_ENTRY    the callee's block index (local to its page's function)
//   H_JIT_RETIRED  instructions retired so far by the chain: the callee counts on from it, so the
//                  retired count of the last function's exit (or fault) covers the whole chain
//   H_JIT_LIMIT    unchanged: the bound applies to the chain as to one region
// The caller writes back its registers first (the callee's prologue reloads what it uses), and
// checks the retired bound like a back edge does (a chain A -> B -> A has no back edge).
//
// Why a guard at each call: the dispatcher enters a function only after looking the pc up through
// the live fetch TLB and checking the page's generation (jit/cache.ts); a direct call skips that
// lookup, so it repeats the part that can have changed since the translation, inline:
//   - the callee's virtual page still maps to the same physical page in the current context
//     (fetch TLB entry of H_TLB_FETCH: tag, context, physical page; a miss exits to the
//     dispatcher, whose interpreter slice refills it), which also covers satp/sfence.vma;
//   - the callee's physical page was not written since (its generation in JIT_PAGE_GEN_BASE).
// When the guard fails the caller exits with the callee's pc as a plain region exit. So a write
// to any page of a module never runs stale code: the written page's cache entries miss, and calls
// into it from the module's other functions fail their guard.
import { H_TLB_FETCH, H_TLB_CTX, H_JIT_ENTRY, H_JIT_RETIRED, H_PRIV, JIT_PAGE_GEN_BASE, TLB_ENTRIES, M_STOP,
         H_STAT_JIT_CHAINS } from "../layout";
import { tlbFetch, tlbCtx, entryOf, TE_TAG_X, TE_CTX, TE_PPAGE, TE_ADDEND } from "../mmu/access";
import { hartBase, machine32, bump } from "../cpu/state";
import { attention } from "../cpu/causes";
import { ramPage, pageGen, pageTranslatable, cacheEntry, CE_VPC, CE_PPC, CE_GEN, CE_META, CE_INDEX, CS_READY } from "./cache";
import * as E from "./emitter";
import { BT_VOID } from "./emitter";

/** Most guest pages (functions) in one module. */
export const MODULE_MAX_PAGES: u32 = 3;

// The pages of the module being built, in discovery order (page 0 holds the hot block).
const pageVpage = new StaticArray<u64>(MODULE_MAX_PAGES);
const pagePpage = new StaticArray<u64>(MODULE_MAX_PAGES);
const pageCode = new StaticArray<u32>(MODULE_MAX_PAGES); // host address of the page's bytes
const pageRam = new StaticArray<i32>(MODULE_MAX_PAGES); // RAM page index (jit/cache.ts ramPage)
const pageGenAt = new StaticArray<u32>(MODULE_MAX_PAGES); // generation when translated
const pageFirst = new StaticArray<u32>(MODULE_MAX_PAGES); // first member block (global index)
const pageCount = new StaticArray<u32>(MODULE_MAX_PAGES); // member blocks
let pages: u32 = 0;

/** Forgets the pages of the previous module. */
export function chainReset(): void { pages = 0; }
/** Pages of the last translated module. */
export function chainPages(): u32 { return pages; }
/** Virtual page of module page `p`. */
export function chainPageVpage(p: u32): u64 { return pageVpage[p]; }
/** Physical page of module page `p`. */
export function chainPagePpage(p: u32): u64 { return pagePpage[p]; }
/** Host address of the bytes of module page `p`. */
export function chainPageCode(p: u32): u32 { return pageCode[p]; }
/** RAM page index of module page `p`. */
export function chainPageRam(p: u32): i32 { return pageRam[p]; }
/** Generation of module page `p` when it was translated. */
export function chainPageGen(p: u32): u32 { return pageGenAt[p]; }
/** First member block (global index) of module page `p`. */
export function chainPageFirst(p: u32): u32 { return pageFirst[p]; }
/** Member blocks of module page `p`. */
export function chainPageCount(p: u32): u32 { return pageCount[p]; }
/** Sets the member blocks of module page `p` after its discovery. */
export function chainSetMembers(p: u32, first: u32, count: u32): void { pageFirst[p] = first; pageCount[p] = count; }
/** Drops the last page (its discovery found no member). */
export function chainDropLast(): void { if (pages > 0) pages--; }

/** Module page whose virtual page is `vpage`, or -1. */
export function chainFind(vpage: u64): i32 {
  for (let p: u32 = 0; p < pages; p++) if (pageVpage[p] == vpage) return <i32>p;
  return -1;
}

/** Adds a page with a known key (the dispatcher's hot page); returns its index. */
export function chainAdd(vpage: u64, ppage: u64, code: u32, ram: i32, gen: u32): u32 {
  const p = pages++;
  pageVpage[p] = vpage; pagePpage[p] = ppage; pageCode[p] = code; pageRam[p] = ram; pageGenAt[p] = gen;
  pageFirst[p] = 0; pageCount[p] = 0;
  return p;
}

/** Adds the page of virtual pc `vpc` as it is mapped now (through the live fetch TLB, without a
 *  fill: a page not in the TLB has not run lately). Returns its index, or -1 when the module is
 *  full or the page is not mapped, not RAM, or not translatable. */
export function chainAddMapped(vpc: u64): i32 {
  if (pages >= MODULE_MAX_PAGES) return -1;
  const vpage = vpc & ~<u64>0xfff;
  const te = entryOf(tlbFetch, vpc);
  if (load<u64>(te + TE_TAG_X) != vpage || load<u32>(te + TE_CTX) != tlbCtx) return -1;
  const ppage = load<u64>(te + TE_PPAGE);
  const ram = ramPage(ppage);
  if (ram < 0 || !pageTranslatable(ram)) return -1;
  return <i32>chainAdd(vpage, ppage, <u32>vpage + load<u32>(te + TE_ADDEND), ram, pageGen(ram));
}

/** Emits the guard of a call into module page `q`: leaves an i32, nonzero when the page is still
 *  mapped and unwritten as when translated (header). `hart` and `tmp` are i32 locals. */
export function emitPageGuard(q: u32, hart: u32, tmp: u32): void {
  const vpage = pageVpage[q];
  // entryOf(): base + (((vpn ^ ctx) & (TLB_ENTRIES - 1)) << 6), with the context in force.
  E.localGet(hart); E.i32Load(H_TLB_FETCH);
  E.i32Const(<i32>(vpage >> 12)); E.localGet(hart); E.i32Load(H_TLB_CTX); E.i32Xor();
  E.i32Const(<i32>(TLB_ENTRIES - 1)); E.i32And(); E.i32Const(6); E.i32Shl(); E.i32Add();
  E.localTee(tmp); E.i64Load(TE_TAG_X); E.i64Const(<i64>vpage); E.i64Eq();
  E.localGet(tmp); E.i32Load(TE_CTX); E.localGet(hart); E.i32Load(H_TLB_CTX); E.i32Eq(); E.i32And();
  E.localGet(tmp); E.i64Load(TE_PPAGE); E.i64Const(<i64>pagePpage[q]); E.i64Eq(); E.i32And();
  E.i32Const(<i32>(JIT_PAGE_GEN_BASE + (<u32>pageRam[q] << 2))); E.i32Load(0);
  E.i32Const(<i32>pageGenAt[q]); E.i32Eq(); E.i32And();
}

/** Emits the tail call to block `local` of module page `q` (function `func`): the caller has
 *  written back its registers; `retired` is its i32 local holding the chain's retired count. */
export function emitChainCall(local: u32, func: u32, hart: u32, retired: u32): void {
  E.localGet(hart); E.i32Const(<i32>local); E.i32Store(H_JIT_ENTRY);
  E.localGet(hart); E.localGet(retired); E.i32Store(H_JIT_RETIRED);
  E.localGet(hart); E.returnCall(func);
}

/** Emits the body of the exported entry `run(hart)` of a multi-page module (local 1: an i32):
 *  H_JIT_ENTRY holds a global block index; the owning page's function (function index
 *  `firstFunc` + page) is tail-called with its local index. */
export function emitEntry(firstFunc: u32): void {
  const hart: u32 = 0, e: u32 = 1;
  E.localGet(hart); E.i32Load(H_JIT_ENTRY); E.localSet(e);
  for (let q = <i32>pages - 1; q >= 1; q--) {
    E.localGet(e); E.i32Const(<i32>pageFirst[q]); E.i32GeU();
    E.if_(BT_VOID);
    E.localGet(hart); E.localGet(e); E.i32Const(<i32>pageFirst[q]); E.i32Sub(); E.i32Store(H_JIT_ENTRY);
    E.localGet(hart); E.returnCall(firstFunc + <u32>q);
    E.end();
  }
  E.localGet(hart); E.returnCall(firstFunc);
}

// ---- Chaining across modules (the exit's inline lookup) ----
//
// Every exit of a region function that is not a fault, an exit request or the retired bound asks
// the core, through the imported helper jitChain(next pc), whether the next pc has a READY
// translation under exactly the dispatcher's conditions (jit/dispatch.ts: live fetch TLB hit,
// same physical pc, privilege mode and page generation). If so the exit becomes a tail call
// through the core's table (imported as env.table; `return_call_indirect`), with the protocol of
// a chained call above: the callee counts on from H_JIT_RETIRED and keeps H_JIT_LIMIT. The
// dispatcher's own per-entry work (interrupt and timer checks, stop flag, statistics) happens
// when the chain returns, at the latest after H_JIT_LIMIT instructions, as for one region.

/** Core helper imported by regions: the table index of the READY translation of `pc` (and its
 *  block index in H_JIT_ENTRY), or -1 when there is none or the exit must reach the dispatcher
 *  (an attention request such as a fault, or the stop flag). */
export function jitChain(pc: u64): i32 {
  if (attention != 0 || machine32(M_STOP) != 0) return -1;
  const vpage = pc & ~<u64>0xfff;
  const te = entryOf(tlbFetch, pc);
  if (load<u64>(te + TE_TAG_X) != vpage || load<u32>(te + TE_CTX) != tlbCtx) return -1;
  const ppc = load<u64>(te + TE_PPAGE) | (pc & 0xfff);
  const page = ramPage(ppc);
  if (page < 0) return -1;
  const ce = cacheEntry(pc);
  const meta = load<u32>(ce + CE_META);
  const hb = hartBase;
  if (load<u64>(ce + CE_VPC) != pc || load<u64>(ce + CE_PPC) != ppc || (meta & 0xff) != load<u32>(hb + H_PRIV) ||
      ((meta >> 8) & 0xff) != CS_READY || load<u32>(ce + CE_GEN) != pageGen(page)) return -1;
  store<u32>(hb + H_JIT_ENTRY, meta >>> 24);
  bump(H_STAT_JIT_CHAINS);
  return <i32>load<u32>(ce + CE_INDEX);
}

/** Emits the exit of a region function after its registers are written back: H_JIT_RETIRED =
 *  `retired`; below the bound `limit`, a tail call to the translation jitChain (function index
 *  `chainFunc`) finds for the next pc `npc`; else the function returns `npc`. */
export function emitChainExit(chainFunc: u32, hart: u32, npc: u32, retired: u32, limit: u32, tmp: u32): void {
  E.localGet(hart); E.localGet(retired); E.i32Store(H_JIT_RETIRED);
  E.localGet(retired); E.localGet(limit); E.i32LtU();
  E.if_(BT_VOID);
  E.localGet(npc); E.call(chainFunc); E.localTee(tmp); E.i32Const(0); E.i32GeS();
  E.if_(BT_VOID);
  E.localGet(hart); E.localGet(tmp); E.returnCallIndirect(0, 0);
  E.end();
  E.end();
  E.localGet(npc);
}
