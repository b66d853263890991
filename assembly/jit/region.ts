// Regions of the DBT (DESIGN.md §3, v86-style): several basic blocks of one guest page in ONE
// wasm module with ONE function, so that control flow between them stays inside wasm.
//
// translateRegion() starts at a hot block and discovers the region's blocks by following the
// direct control flow inside the page (branch targets and fall-throughs, JAL targets, and the
// return points after calls), at most REGION_MAX_BLOCKS blocks and REGION_MAX_INSNS
// instructions. A block never crosses the page (its instructions end within the page): one
// page's function depends on that page's bytes only, so the page's generation (jit/cache.ts)
// covers it. A candidate whose first instruction is outside the translated subset is not a
// member (entering it would exit at once). Exits to other pages may add up to two more pages
// as more functions of the module, with direct tail calls between them (jit/chain.ts; the
// dispatcher's regions do not, see MULTI_PAGE). Every exit of a function may chain to another
// module's translation without the dispatcher (jit/chain.ts jitChain; the dispatcher's regions
// do not, see CHAIN_EXITS).
//
// The module has the shape of a single block's (jit/codegen.ts: imports, "run", exit protocol)
// without "insns", and its run(hart) reads two inputs from the hart block:
//   H_JIT_ENTRY  u32  which member block to start at (its index, in discovery order)
//   H_JIT_LIMIT  u32  retired-instruction bound: a back edge is not taken once the instructions
//                     retired by this run reach it (the region exits to the branch target)
// and the count to continue from in H_JIT_RETIRED (the dispatcher stores 0).
// Body:
//   load registers, TLB base/context
//   block $exit
//     loop $top
//       block $ret
//         block $b[K-1] ... block $b0
//           br_table $b0 .. $b[K-1] (H_JIT_ENTRY / the back-edge target)
//         end  ;; code of block 0
//         ...
//         end  ;; code of block K-1
//       end  ;; JALR: its target (L_NPC) against the return points (a search tree): hit -> back edge or
//            ;; chained call into another page's function; else exit
//     end
//   end
//   epilogue: write back, H_JIT_RETIRED = retired count; with chained exits, tail-call the next
//   pc's translation if any (jit/chain.ts emitChainExit); else return the next pc
// A module with several pages exports an entry run() that tail-calls the owning page's function.
// Block j's code follows the end of $b[j] and block i's code lies inside $b[i+1..K-1], so a
// transfer to a later block j > i is a plain `br $b[j]`; a transfer to j <= i (a back edge)
// checks the bound, sets the block index and branches to $top. A transfer to any pc outside the
// module exits with that pc; a JALR branches to $ret, which compares its target with the
// module's return points (link addresses of its calls). The retired count L_RET grows by a
// block's length at its terminator; faults inside a block exit with L_RET + k (codegen emitExit),
// so the precise-fault protocol of a single block holds for the region as a whole.
// Every exit writes back every register written anywhere in the region, so the prologue loads
// all of them (a register not yet written holds its entry value).
// F/D instructions, FENCE and PAUSE are translated in regions too (codegen isExtended), and so are
// the A extension and the system instructions but WFI, as calls of the jitExec helper (codegen
// emitSys); after xRET, ECALL, EBREAK and the fences a block has no successor (BLOCK_END_SYSTEM).
import { Op, dOp, dRd, dRs1, dRs2, dImm } from "../cpu/opcodes";
import { decode } from "../cpu/decode";
import { X_SINK, H_JIT_ENTRY, H_JIT_LIMIT, H_JIT_RETIRED } from "../layout";
import * as E from "./emitter";
import { cacheEntry, ramPage, CE_VPC, CE_PPC, CE_GEN, CE_COUNT, CE_META, CS_READY } from "./cache";
import { MODULE_MAX_PAGES, chainReset, chainAdd, chainAddMapped, chainDropLast, chainFind, chainPages, chainPageVpage,
         chainPagePpage, chainPageCode, chainPageGen, chainPageFirst, chainPageCount, chainSetMembers, emitPageGuard,
         emitChainCall, emitEntry, emitChainExit } from "./chain";
import * as M from "./module";
import { BT_VOID, T_I32 } from "./emitter";
import { scanBlock, lastBlockBytes, lastBlockEnd, lastBlockReads, lastBlockWrites, lastBlockHasMem,
         BLOCK_END_BRANCH, BLOCK_END_MAX, isAlu, isMem, isFpMem, isFpOp, isNop, isSys, sysEndsBlock, insnLen, emitAlu, emitMem, emitBranchCond, emitRetire,
         setExitLabel, moduleImports, runLocals, HELPER_IMPORTS, emitPrologue, emitWriteBack, L_X0, L_HART, L_NPC, L_RET } from "./codegen";
import { emitFpOp, emitSys } from "./codegen-calls";

/** Most blocks of one page in a region (each is one nesting level of the dispatch br_table). */
export const REGION_MAX_BLOCKS: u32 = 48;
/** Most guest instructions of one page in a region (keeps a module well inside JIT_BUF_SIZE). */
export const REGION_MAX_INSNS: u32 = 768;
/** Most instructions in one block of a region. */
const BLOCK_MAX_INSNS: u32 = 64;
/** Most blocks in one module (all its pages). */
const MODULE_MAX_BLOCKS: u32 = REGION_MAX_BLOCKS * MODULE_MAX_PAGES;
/** Whether the dispatcher's regions take in other pages (jit/chain.ts). Measured (strings, wall
 *  seconds, alternating runs on the loaded 2-core machine): one page per module with chained
 *  exits 0.60 0.68 0.62, up to three pages 0.73 0.79 0.73 (twice the wasm bytes and compile
 *  time for the same dispatcher entries: the exits between pages cost a register write-back and
 *  reload either way). translateRegion() (tests) always may. */
const MULTI_PAGE = false;
/** Whether the dispatcher's regions chain their exits (jit/chain.ts jitChain). Measured (wall
 *  seconds, alternating runs, same machine and minute): strings (2.3 M exits, 45 instructions per
 *  entry) 0.545 0.559 0.589 with chained exits (756 instructions per dispatcher entry) against
 *  0.537 0.545 0.545 without; sort 0.24 against 0.23: under V8 the helper call and the
 *  cross-instance return_call_indirect cost about what the dispatcher's round trip does (the
 *  register write-back and reload at every exit stay either way). translateRegion() (tests) does. */
const CHAIN_EXITS = false;
let chainExits = false; // the current translation's choice
/** Most exits to other pages remembered as candidates for the module's further pages. */
const MAX_FOREIGN: u32 = 16;

// i32 locals after codegen's: the block index, the retired bound, a chained call's scratch.
const L_BID: u32 = L_RET + 1;
const L_LIMIT: u32 = L_BID + 1;
const L_TMP: u32 = L_LIMIT + 1;

// Members of the module being built (index = global block id; the members of one page are
// contiguous, in discovery order, see jit/chain.ts pageFirst/pageCount). Static: no allocation.
const blockOff = new StaticArray<u32>(MODULE_MAX_BLOCKS);
const blockInsns = new StaticArray<u32>(MODULE_MAX_BLOCKS);
const blockPage = new StaticArray<u32>(MODULE_MAX_BLOCKS);
// Return points (the link address of a call in the module): the JALR targets worth checking.
const blockRet = new StaticArray<bool>(MODULE_MAX_BLOCKS);
// Candidates found but not yet scanned are appended after the members; a scanned candidate that
// turns out empty is dropped.
let count: u32 = 0;
// Exits of discovered blocks to other pages (absolute pcs), in discovery order.
const foreign = new StaticArray<u64>(MAX_FOREIGN);
let foreignCount: u32 = 0;

/** Blocks in the last translated region (all its pages). */
export function regionBlocks(): u32 { return count; }
/** Page offset of block `i` of the last translated region. */
export function regionBlockOffset(i: u32): u32 { return blockOff[i]; }
/** Instructions of block `i` of the last translated region. */
export function regionBlockInsns(i: u32): u32 { return blockInsns[i]; }
/** Module page (jit/chain.ts) of block `i` of the last translated region. */
export function regionBlockPage(i: u32): u32 { return blockPage[i]; }
/** Guest virtual pc of block `i` of the last translated region. */
export function regionBlockPc(i: u32): u64 { return chainPageVpage(blockPage[i]) + <u64>blockOff[i]; }
/** Pages (functions) of the last translated region's module. */
export function regionPages(): u32 { return chainPages(); }

/** Index of the member of module page `p` starting at page offset `off`, or -1. */
function memberOf(p: u32, off: u32): i32 {
  const first = chainPageFirst(p), end = first + chainPageCount(p);
  for (let i = first; i < end; i++) if (blockOff[i] == off) return <i32>i;
  return -1;
}

// Per module page: registers read, written; whether any block accesses memory.
const pageReads = new StaticArray<u32>(MODULE_MAX_PAGES);
const pageWrites = new StaticArray<u32>(MODULE_MAX_PAGES);
const pageHasMem = new StaticArray<bool>(MODULE_MAX_PAGES);
let base: u32 = 0; // first block of the page being discovered

/** Discovers the region of module page `p` (at most `maxInsns` instructions) from entry offset
 *  `entry`: appends its members at blockOff[count..], sets the page's members and union masks,
 *  and records exits to other pages in `foreign`. Returns the number of members. */
function discover(p: u32, entry: u32, maxInsns: u32): u32 {
  const page = chainPageCode(p);
  const vpage = chainPageVpage(p);
  base = count;
  let reads: u32 = 0, writes: u32 = 0, hasMem = false;
  let pending: u32 = base + 1; // candidates, members included: blockOff[base..pending)
  blockOff[base] = entry;
  blockRet[base] = false;
  let total: u32 = 0;
  let i: u32 = base;
  while (i < pending) {
    const off = blockOff[i];
    const n = scanBlock(page + off, BLOCK_MAX_INSNS, 0x1000 - off, true);
    if (n == 0 || total + n > maxInsns) {
      // Not a member: drop it (move the last candidate into its slot).
      pending--;
      blockOff[i] = blockOff[pending];
      blockRet[i] = blockRet[pending];
      if (count == base) break; // the entry itself
      continue;
    }
    total += n;
    blockInsns[i] = n;
    blockPage[i] = p;
    reads |= lastBlockReads(); writes |= lastBlockWrites(); hasMem = hasMem || lastBlockHasMem();
    count = i + 1;
    const bytes = lastBlockBytes();
    const endKind = lastBlockEnd();
    // Successors inside the page become candidates.
    let a: i64 = -1, b: i64 = -1;
    let call = false; // b is a call's return point
    if (endKind == BLOCK_END_MAX) a = <i64>(off + bytes);
    else if (endKind == BLOCK_END_BRANCH) {
      const lastOff = off + bytes - lastLen(page + off, n);
      const d = decode(load<u32>(page + lastOff));
      const op = dOp(d);
      const target = <i64>lastOff + <i64>dImm(d);
      if (op == <u32>Op.JAL) { a = target; if (dRd(d) != X_SINK) { b = <i64>(off + bytes); call = true; } }
      else if (op == <u32>Op.JALR) { if (dRd(d) != X_SINK) { b = <i64>(off + bytes); call = true; } }
      else { a = target; b = <i64>(off + bytes); }
    }
    pending = addCandidate(vpage, a, pending, false);
    pending = addCandidate(vpage, b, pending, call);
    i++;
  }
  chainSetMembers(p, base, count - base);
  pageReads[p] = reads & ~1; pageWrites[p] = writes & ~1; pageHasMem[p] = hasMem;
  return count - base;
}

/** Byte length of the last of the `n` instructions starting at host address `code`. */
function lastLen(code: u32, n: u32): u32 {
  let len: u32 = 0;
  for (let k: u32 = 0; k < n; k++) { len = insnLen(decode(load<u32>(code))); code += len; }
  return len;
}

// Filter of translateRegion's `knownOnly` mode: the page's key in the code cache.
let knownOnly = false;
let keyVpage: u64 = 0, keyPpage: u64 = 0, keyMode: u32 = 0, keyGen: u32 = 0;

/** Sets the key of known() to module page `p`. */
function keyPage(p: u32): void {
  keyVpage = chainPageVpage(p); keyPpage = chainPagePpage(p); keyGen = chainPageGen(p);
}

/** True when the block at page offset `off` has run since its page was last written: its cache
 *  entry has the current key (virtual and physical pc, mode, generation) and a count or a
 *  translation. Blocks never run (cold paths, data after a branch) stay out of the region. */
function known(off: u32): bool {
  const ce = cacheEntry(keyVpage | <u64>off);
  const meta = load<u32>(ce + CE_META);
  return load<u64>(ce + CE_VPC) == (keyVpage | <u64>off) && load<u64>(ce + CE_PPC) == (keyPpage | <u64>off) &&
    (meta & 0xff) == keyMode && load<u32>(ce + CE_GEN) == keyGen &&
    (load<u32>(ce + CE_COUNT) != 0 || ((meta >> 8) & 0xff) == CS_READY);
}

/** Appends page offset `off` as a candidate if it is in the page, even, new and (in knownOnly
 *  mode) known; returns the candidate count. An even target outside the page is remembered as
 *  a foreign exit (a candidate for another page of the module). */
function addCandidate(vpage: u64, off: i64, pending: u32, ret: bool): u32 {
  if ((off & 1) != 0 || off == -1) return pending;
  if (off < 0 || off > 0xffe) {
    if (foreignCount < MAX_FOREIGN) foreign[foreignCount++] = vpage + <u64>off;
    return pending;
  }
  for (let i = base; i < pending; i++) {
    if (blockOff[i] == <u32>off) { if (ret) blockRet[i] = true; return pending; }
  }
  if (pending - base >= REGION_MAX_BLOCKS || (knownOnly && !known(<u32>off))) return pending;
  blockOff[pending] = <u32>off;
  blockRet[pending] = ret;
  return pending + 1;
}

/** Adds the pages of the foreign exits (in the order found, breadth first) to the module while
 *  there is room, each discovered from its first known foreign target. */
function discoverNeighbours(maxInsns: u32): void {
  for (let f: u32 = 0; f < foreignCount && chainPages() < MODULE_MAX_PAGES; f++) {
    const pc = foreign[f];
    if (chainFind(pc & ~<u64>0xfff) >= 0) continue;
    const q = chainAddMapped(pc);
    if (q < 0) continue;
    keyPage(<u32>q);
    // A page without members (its first block not known or not translatable) is dropped.
    if ((knownOnly && !known(<u32>pc & 0xfff)) || discover(<u32>q, <u32>pc & 0xfff, maxInsns) == 0) chainDropLast();
  }
}

// Labels of the function being emitted.
let topLabel: u32 = 0;
let indirectLabel: i32 = -1; // the return-point check after the blocks (-1: none, JALR exits)
let exitLabelR: u32 = 0;
const blockLabel = new StaticArray<u32>(MODULE_MAX_BLOCKS);
let current: u32 = 0; // global index of the block being emitted
let curPage: u32 = 0; // module page of the function being emitted
let firstFunc: u32 = 0; // function index of module page 0's function
let chainFunc: u32 = 0; // function index of the imported jitChain

/** Control transfer to guest page offset `off` of the current page (virtual page `vpage`) after
 *  the current block's instructions have been added to L_RET. */
function emitGoto(vpage: u64, off: u32): void {
  const j = memberOf(curPage, off);
  const pc = vpage + <u64>off;
  if (j < 0) {
    E.i64Const(<i64>pc); E.localSet(L_NPC); E.br(exitLabelR);
    return;
  }
  if (<u32>j > current) {
    // Forward: block j's code follows the end of blockLabel[j], still open around block i.
    E.br(blockLabel[j]);
    return;
  }
  // Back edge: leave when the bound is reached (timers and the budget are served outside).
  E.i64Const(<i64>pc); E.localSet(L_NPC);
  emitBackEdge(j);
}

/** Back edge to member `j` of the current page (next pc already in L_NPC): exits when the
 *  retired bound is reached, else continues at block j through the dispatch br_table. */
function emitBackEdge(j: i32): void {
  emitBoundCheck();
  E.i32Const(j - <i32>chainPageFirst(curPage)); E.localSet(L_BID);
  E.br(topLabel);
}

/** Exits (to the pc in L_NPC) when the retired bound is reached. */
function emitBoundCheck(): void {
  E.localGet(L_RET); E.localGet(L_LIMIT); E.i32GeU();
  E.brIf(exitLabelR);
}

/** Transfer to member `j` of another module page (jit/chain.ts): exits with its pc when the
 *  bound is reached or the page changed, else a tail call into that page's function. */
function emitChain(j: u32): void {
  const q = blockPage[j];
  E.i64Const(<i64>(chainPageVpage(q) + <u64>blockOff[j])); E.localSet(L_NPC);
  emitBoundCheck();
  emitPageGuard(q, L_HART, L_TMP);
  E.i32Eqz(); E.brIf(exitLabelR);
  emitWriteBack(pageWrites[curPage]);
  emitChainCall(j - chainPageFirst(q), firstFunc + q, L_HART, L_RET);
}

/** Emits member block `i` (page offset blockOff[i]) including its transfer. */
function emitBlock(page: u32, vpage: u64, i: u32): void {
  current = i;
  const n = blockInsns[i];
  let off = blockOff[i];
  for (let k: u32 = 0; k < n; k++) {
    const d = decode(load<u32>(page + off));
    const len = insnLen(d);
    const op = dOp(d);
    const pc = vpage + <u64>off;
    if (isAlu(op)) { emitAlu(d, pc); off += len; continue; }
    if (isMem(op) || isFpMem(op)) { emitMem(d, pc, len, k, page + off); off += len; continue; }
    if (isFpOp(op)) { emitFpOp(d, pc, k, page + off); off += len; continue; }
    if (isNop(op)) { off += len; continue; }
    if (isSys(op)) {
      emitSys(d, pc, len, k, page + off);
      if (sysEndsBlock(op)) return; // it always exits
      off += len;
      continue;
    }
    // The terminator: every path out of it retires the whole block.
    emitRetire(n);
    const rd = dRd(d);
    const link = off + len;
    if (op == <u32>Op.JAL) {
      if (rd != X_SINK) { E.i64Const(<i64>(vpage + <u64>link)); E.localSet(L_X0 + rd); }
      emitGotoPc(vpage, pc + <u64><i64>dImm(d));
    } else if (op == <u32>Op.JALR) {
      // unpriv "JALR": target = (rs1 + imm) & ~1, read before rd is written.
      const rs1 = dRs1(d);
      if (rs1 == 0) E.i64Const(0); else E.localGet(L_X0 + rs1);
      E.i64Const(<i64>dImm(d)); E.i64Add(); E.i64Const(-2); E.i64And(); E.localSet(L_NPC);
      if (rd != X_SINK) { E.i64Const(<i64>(vpage + <u64>link)); E.localSet(L_X0 + rd); }
      E.br(indirectLabel >= 0 ? <u32>indirectLabel : exitLabelR); // a return into the module stays
    } else {
      emitBranchCond(op, dRs1(d), dRs2(d));
      E.if_(BT_VOID);
      emitGotoPc(vpage, pc + <u64><i64>dImm(d));
      E.end();
      emitGotoPc(vpage, vpage + <u64>link);
    }
    return;
  }
  emitRetire(n);
  emitGotoPc(vpage, vpage + <u64>off); // ended by the size bound or before an untranslated instruction
}

/** emitGoto for an absolute guest pc: a member of another module page is chained to, any other
 *  pc outside the page exits with it. */
function emitGotoPc(vpage: u64, pc: u64): void {
  const target = pc & ~<u64>0xfff;
  if (target == vpage) { emitGoto(vpage, <u32>pc & 0xfff); return; }
  const q = chainFind(target);
  const j = q >= 0 ? memberOf(<u32>q, <u32>pc & 0xfff) : -1;
  if (j >= 0) { emitChain(<u32>j); return; }
  E.i64Const(<i64>pc); E.localSet(L_NPC); E.br(exitLabelR);
}

/**
 * Translates the region entered at guest virtual pc `pc` whose page's raw bytes start at host
 * address `page` (the bytes of pc are at page + (pc & 0xfff)) into a module at [buf, buf + cap).
 * Returns the module size, or 0 when the first instruction is outside the translated subset or
 * the buffer was too small. regionBlocks()/regionBlockOffset(i)/regionBlockInsns(i) then list
 * the members: block i is entered with H_JIT_ENTRY = i. When the page is mapped in the live
 * fetch TLB, pages it exits to (mapped there too) join the module. Does not allocate.
 */
export function translateRegion(page: u32, pc: u64, buf: u32, cap: u32): u32 {
  knownOnly = false;
  chainExits = true;
  chainReset();
  const p = chainAddMapped(pc);
  // Without the page's physical key no other page can chain back into it: one page only.
  if (p < 0 || chainPageCode(0) != page) { chainReset(); chainAdd(pc & ~<u64>0xfff, 0, page, -1, 0); single = true; }
  else single = false;
  return translateAll(pc, buf, cap);
}

/** translateRegion() restricted to the blocks that have run (the dispatcher's choice): besides the
 *  entry, only blocks whose code-cache entry has key (vpc, physical page `ppage` + offset, `mode`,
 *  page generation `gen`) and has been counted or translated are members. */
export function translateKnownRegion(page: u32, pc: u64, ppage: u64, mode: u32, gen: u32, buf: u32, cap: u32): u32 {
  knownOnly = true;
  chainExits = CHAIN_EXITS;
  keyMode = mode;
  chainReset();
  chainAdd(pc & ~<u64>0xfff, ppage, page, ramPage(ppage), gen);
  single = false;
  return translateAll(pc, buf, cap);
}

let single = false; // the module may not grow beyond its first page

function translateAll(pc: u64, buf: u32, cap: u32): u32 {
  // A region too large for the buffer is retried with fewer instructions.
  let limit = REGION_MAX_INSNS;
  let len = buildRegion(pc, buf, cap, limit);
  while (len == 0 && count != 0 && limit > BLOCK_MAX_INSNS) {
    limit >>= 1;
    len = buildRegion(pc, buf, cap, limit);
  }
  return len;
}

function buildRegion(pc: u64, buf: u32, cap: u32, maxInsns: u32): u32 {
  while (chainPages() > 1) chainDropLast();
  count = 0; foreignCount = 0;
  keyPage(0);
  if (discover(0, <u32>pc & 0xfff, maxInsns) == 0) return 0;
  if (!single && (MULTI_PAGE || !knownOnly)) discoverNeighbours(maxInsns);
  const pages = chainPages();
  let hasMem = false;
  for (let p: u32 = 0; p < pages; p++) hasMem = hasMem || pageHasMem[p];
  M.moduleBegin(buf, cap);
  moduleImports(hasMem, chainExits);
  // Functions: one per page, after the entry run() when there are several (jit/chain.ts).
  chainFunc = hasMem ? HELPER_IMPORTS : 0;
  const imports = chainFunc + (chainExits ? 1 : 0);
  M.sectionBegin(M.SEC_FUNCTION);
  if (pages > 1) M.funcDecl(0);
  for (let p: u32 = 0; p < pages; p++) M.funcDecl(0);
  M.sectionEnd();
  firstFunc = imports + (pages > 1 ? 1 : 0);
  M.sectionBegin(M.SEC_EXPORT);
  M.exportFunc("run", imports);
  M.sectionEnd();
  M.sectionBegin(M.SEC_CODE);
  if (pages > 1) {
    M.funcBegin(1); M.local(T_I32, 1); M.funcCode();
    emitEntry(firstFunc);
    M.funcEnd();
  }
  sortReturnPoints();
  for (let p: u32 = 0; p < pages; p++) emitFunction(p);
  M.sectionEnd();
  return M.moduleEnd();
}

// Return points of the module sorted by pc (for emitIndirect's search tree).
const sortedBlock = new StaticArray<u32>(MODULE_MAX_BLOCKS);
let returnPoints: u32 = 0;

/** Sorts the return points by pc into sortedBlock (insertion sort: at most MODULE_MAX_BLOCKS). */
function sortReturnPoints(): void {
  returnPoints = 0;
  for (let i: u32 = 0; i < count; i++) {
    if (!blockRet[i]) continue;
    const pc = regionBlockPc(i);
    let j = returnPoints++;
    while (j > 0 && regionBlockPc(sortedBlock[j - 1]) > pc) { sortedBlock[j] = sortedBlock[j - 1]; j--; }
    sortedBlock[j] = i;
  }
}

/** Indirect jump (JALR; its target in L_NPC) among the return points sortedBlock[lo..hi): a
 *  binary search tree of compares, so that returns to any call of the module stay inside it (a
 *  back edge in this page, a chained call into another page); anything else exits (and may
 *  chain). */
function emitIndirect(lo: u32, hi: u32): void {
  if (hi - lo <= 3) {
    for (let k = lo; k < hi; k++) {
      const j = sortedBlock[k];
      E.localGet(L_NPC); E.i64Const(<i64>regionBlockPc(j)); E.i64Eq();
      E.if_(BT_VOID);
      if (blockPage[j] == curPage) emitBackEdge(<i32>j); else emitChain(j);
      E.end();
    }
    E.br(exitLabelR);
    return;
  }
  const mid = (lo + hi) >> 1;
  E.localGet(L_NPC); E.i64Const(<i64>regionBlockPc(sortedBlock[mid])); E.i64LtU();
  E.if_(BT_VOID);
  emitIndirect(lo, mid);
  E.else_();
  emitIndirect(mid, hi);
  E.end();
  E.br(exitLabelR);
}

/** Emits the function of module page `p` (its blocks, entered at local index H_JIT_ENTRY);
 *  `chained`: its retired count starts at H_JIT_RETIRED (it may be called by another page). */
function emitFunction(p: u32): void {
  curPage = p;
  const first = chainPageFirst(p), k = chainPageCount(p), end = first + k;
  const page = chainPageCode(p), vpage = chainPageVpage(p);
  runLocals(3);
  emitPrologue(pageReads[p] | pageWrites[p], pageHasMem[p]);
  E.localGet(L_HART); E.i32Load(H_JIT_ENTRY); E.localSet(L_BID);
  E.localGet(L_HART); E.i32Load(H_JIT_LIMIT); E.localSet(L_LIMIT);
  E.localGet(L_HART); E.i32Load(H_JIT_RETIRED); E.localSet(L_RET);
  exitLabelR = E.block(BT_VOID);
  setExitLabel(exitLabelR);
  topLabel = E.loop(BT_VOID);
  indirectLabel = <i32>E.block(BT_VOID);
  // blockLabel[j] ends just before block j's code; blockLabel[first] is the innermost.
  for (let j = <i32>end - 1; j >= <i32>first; j--) blockLabel[j] = E.block(BT_VOID);
  E.localGet(L_BID);
  E.brTable(k);
  for (let j = first; j < end; j++) E.brTableTarget(blockLabel[j]);
  E.brTableDefault(blockLabel[first]);
  for (let i = first; i < end; i++) {
    E.end(); // end of blockLabel[i]: block i's code follows
    emitBlock(page, vpage, i);
  }
  // JALR lands here with its target in L_NPC (emitIndirect).
  E.end();
  emitIndirect(0, returnPoints);
  E.end(); // loop
  E.end(); // exit block
  emitWriteBack(pageWrites[p]);
  if (chainExits) emitChainExit(chainFunc, L_HART, L_NPC, L_RET, L_LIMIT, L_TMP);
  else { E.localGet(L_HART); E.localGet(L_RET); E.i32Store(H_JIT_RETIRED); E.localGet(L_NPC); }
  M.funcEnd();
}
