// Regions of the DBT (DESIGN.md §3, v86-style): several basic blocks of one guest page in ONE
// wasm module with ONE function, so that control flow between them stays inside wasm.
//
// translateRegion() starts at a hot block and discovers the region's blocks by following the
// direct control flow inside the page (branch targets and fall-throughs, JAL targets, and the
// return points after calls, which a later return reaches through the dispatcher), at most
// REGION_MAX_BLOCKS blocks and REGION_MAX_INSNS instructions. A block never crosses the page
// (its instructions end within the page): the module depends on this page's bytes only, so the
// page's generation (jit/cache.ts) covers the whole region. A candidate whose first instruction
// is outside the translated subset is not a member (entering it would exit at once).
//
// The module has the shape of a single block's (jit/codegen.ts: imports, "run", exit protocol)
// without "insns", and its run(hart) reads two inputs from the hart block:
//   H_JIT_ENTRY  u32  which member block to start at (its index, in discovery order)
//   H_JIT_LIMIT  u32  retired-instruction bound: a back edge is not taken once the instructions
//                     retired by this run reach it (the region exits to the branch target)
// Body:
//   load registers, TLB base/context
//   block $exit
//     loop $top
//       block $ret                      ;; only when the region has return points
//         block $b[K-1] ... block $b0
//           br_table $b0 .. $b[K-1] (H_JIT_ENTRY / the back-edge target)
//         end  ;; code of block 0
//         ...
//         end  ;; code of block K-1
//       end  ;; JALR: its target (L_NPC) against each return point: hit -> back edge; else exit
//     end
//   end
//   epilogue: write back, H_JIT_RETIRED = retired count, return the next pc
// Block j's code follows the end of $b[j] and block i's code lies inside $b[i+1..K-1], so a
// transfer to a later block j > i is a plain `br $b[j]`; a transfer to j <= i (a back edge)
// checks the bound, sets the block index and branches to $top. A transfer to any pc outside the
// region exits with that pc; a JALR branches to $ret, which compares its target with the
// region's return points (link addresses of its calls). The retired count L_RET grows by a
// block's length at its terminator; faults inside a block exit with L_RET + k (codegen emitExit),
// so the precise-fault protocol of a single block holds for the region as a whole.
// Every exit writes back every register written anywhere in the region, so the prologue loads
// all of them (a register not yet written holds its entry value).
// F/D instructions, FENCE and PAUSE are translated in regions too (codegen isExtended), and so are
// the A extension and the system instructions but WFI, as calls of the jitExec helper (codegen
// emitSys); after xRET, ECALL, EBREAK and the fences a block has no successor (BLOCK_END_SYSTEM).
import { Op, dOp, dRd, dRs1, dRs2, dImm } from "../cpu/opcodes";
import { decode } from "../cpu/decode";
import { X_SINK, H_JIT_ENTRY, H_JIT_LIMIT } from "../layout";
import * as E from "./emitter";
import { cacheEntry, CE_VPC, CE_PPC, CE_GEN, CE_COUNT, CE_META, CS_READY } from "./cache";
import * as M from "./module";
import { BT_VOID } from "./emitter";
import { scanBlock, lastBlockBytes, lastBlockEnd, lastBlockReads, lastBlockWrites, lastBlockHasMem,
         BLOCK_END_BRANCH, BLOCK_END_MAX, isAlu, isMem, isFpMem, isFpOp, isNop, isSys, sysEndsBlock, insnLen, emitAlu, emitMem, emitBranchCond, emitRetire,
         setExitLabel, moduleHead, emitPrologue, emitEpilogue, L_X0, L_HART, L_NPC, L_RET } from "./codegen";
import { emitFpOp, emitSys } from "./codegen-calls";

/** Most blocks in one region (each is one nesting level of the dispatch br_table). */
export const REGION_MAX_BLOCKS: u32 = 48;
/** Most guest instructions in one region (keeps a module well inside JIT_BUF_SIZE). */
export const REGION_MAX_INSNS: u32 = 768;
/** Most instructions in one block of a region. */
const BLOCK_MAX_INSNS: u32 = 64;

// i32 locals after codegen's: the block index and the retired bound.
const L_BID: u32 = L_RET + 1;
const L_LIMIT: u32 = L_BID + 1;

// Members of the region being built (discovery order; index = block id). Static: no allocation.
const blockOff = new StaticArray<u32>(REGION_MAX_BLOCKS);
const blockInsns = new StaticArray<u32>(REGION_MAX_BLOCKS);
// Return points (the link address of a call in the region): JALR targets worth checking.
const blockRet = new StaticArray<bool>(REGION_MAX_BLOCKS);
// Candidates found but not yet scanned are appended after the members; a scanned candidate that
// turns out empty is dropped.
let count: u32 = 0;

/** Blocks in the last translated region. */
export function regionBlocks(): u32 { return count; }
/** Page offset of block `i` of the last translated region. */
export function regionBlockOffset(i: u32): u32 { return blockOff[i]; }
/** Instructions of block `i` of the last translated region. */
export function regionBlockInsns(i: u32): u32 { return blockInsns[i]; }

/** Index of the member starting at page offset `off`, or -1. */
function memberOf(off: u32): i32 {
  for (let i: u32 = 0; i < count; i++) if (blockOff[i] == off) return <i32>i;
  return -1;
}

// Union over the members: registers read, written; whether any block accesses memory.
let regReads: u32 = 0, regWrites: u32 = 0, regHasMem = false;

/** Discovers the region (at most `maxInsns` instructions) from entry offset `entry` of the page
 *  whose bytes start at host address `page`: fills blockOff/blockInsns/count and the union masks. */
function discover(page: u32, entry: u32, maxInsns: u32): void {
  count = 0;
  regReads = 0; regWrites = 0; regHasMem = false;
  let pending: u32 = 1; // candidates, members included: blockOff[0..pending)
  blockOff[0] = entry;
  blockRet[0] = false;
  let total: u32 = 0;
  let i: u32 = 0;
  while (i < pending) {
    const off = blockOff[i];
    const n = scanBlock(page + off, BLOCK_MAX_INSNS, 0x1000 - off, true);
    if (n == 0 || total + n > maxInsns) {
      // Not a member: drop it (move the last candidate into its slot).
      pending--;
      blockOff[i] = blockOff[pending];
      blockRet[i] = blockRet[pending];
      if (count == 0) return; // the entry itself
      continue;
    }
    total += n;
    blockInsns[i] = n;
    regReads |= lastBlockReads(); regWrites |= lastBlockWrites(); regHasMem = regHasMem || lastBlockHasMem();
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
    pending = addCandidate(a, pending, false);
    pending = addCandidate(b, pending, call);
    i++;
  }
  regReads &= ~1; regWrites &= ~1;
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
 *  mode) known; returns the candidate count. */
function addCandidate(off: i64, pending: u32, ret: bool): u32 {
  if (off < 0 || off > 0xffe || (off & 1) != 0) return pending;
  for (let i: u32 = 0; i < pending; i++) {
    if (blockOff[i] == <u32>off) { if (ret) blockRet[i] = true; return pending; }
  }
  if (pending >= REGION_MAX_BLOCKS || (knownOnly && !known(<u32>off))) return pending;
  blockOff[pending] = <u32>off;
  blockRet[pending] = ret;
  return pending + 1;
}

// Labels of the body being emitted.
let topLabel: u32 = 0;
let indirectLabel: i32 = -1; // the return-point check after the blocks (-1: none, JALR exits)
let exitLabelR: u32 = 0;
const blockLabel = new StaticArray<u32>(REGION_MAX_BLOCKS);
let current: u32 = 0; // index of the block being emitted

/** Control transfer to guest page offset `off` (virtual page `vpage`) after the current block's
 *  instructions have been added to L_RET. */
function emitGoto(vpage: u64, off: u32): void {
  const j = memberOf(off);
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

/** Back edge to member `j` (next pc already in L_NPC): exits when the retired bound is reached,
 *  else continues at block j through the dispatch br_table. */
function emitBackEdge(j: i32): void {
  E.localGet(L_RET); E.localGet(L_LIMIT); E.i32GeU();
  E.brIf(exitLabelR);
  E.i32Const(j); E.localSet(L_BID);
  E.br(topLabel);
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
      // A JAL out of the page has a target outside [0, 0x1000): emitGoto exits with it.
      emitGotoPc(vpage, pc + <u64><i64>dImm(d));
    } else if (op == <u32>Op.JALR) {
      // unpriv "JALR": target = (rs1 + imm) & ~1, read before rd is written.
      const rs1 = dRs1(d);
      if (rs1 == 0) E.i64Const(0); else E.localGet(L_X0 + rs1);
      E.i64Const(<i64>dImm(d)); E.i64Add(); E.i64Const(-2); E.i64And(); E.localSet(L_NPC);
      if (rd != X_SINK) { E.i64Const(<i64>(vpage + <u64>link)); E.localSet(L_X0 + rd); }
      E.br(indirectLabel >= 0 ? <u32>indirectLabel : exitLabelR); // a return into the region stays
    } else {
      emitBranchCond(op, dRs1(d), dRs2(d));
      E.if_(BT_VOID);
      emitGotoPc(vpage, pc + <u64><i64>dImm(d));
      E.end();
      emitGoto(vpage, link);
    }
    return;
  }
  emitRetire(n);
  emitGoto(vpage, off); // ended by the size bound or before an untranslated instruction
}

/** emitGoto for an absolute guest pc (exits when it is outside the page). */
function emitGotoPc(vpage: u64, pc: u64): void {
  if ((pc & ~<u64>0xfff) != vpage) {
    E.i64Const(<i64>pc); E.localSet(L_NPC); E.br(exitLabelR);
    return;
  }
  emitGoto(vpage, <u32>pc & 0xfff);
}

/**
 * Translates the region entered at guest virtual pc `pc` whose page's raw bytes start at host
 * address `page` (the bytes of pc are at page + (pc & 0xfff)) into a module at [buf, buf + cap).
 * Returns the module size, or 0 when the first instruction is outside the translated subset or
 * the buffer was too small. regionBlocks()/regionBlockOffset(i)/regionBlockInsns(i) then list
 * the members: block i is entered with H_JIT_ENTRY = i. Does not allocate.
 */
export function translateRegion(page: u32, pc: u64, buf: u32, cap: u32): u32 {
  knownOnly = false;
  return translateAll(page, pc, buf, cap);
}

/** translateRegion() restricted to the blocks that have run (the dispatcher's choice): besides the
 *  entry, only blocks whose code-cache entry has key (vpc, physical page `ppage` + offset, `mode`,
 *  page generation `gen`) and has been counted or translated are members. */
export function translateKnownRegion(page: u32, pc: u64, ppage: u64, mode: u32, gen: u32, buf: u32, cap: u32): u32 {
  knownOnly = true;
  keyVpage = pc & ~<u64>0xfff; keyPpage = ppage; keyMode = mode; keyGen = gen;
  return translateAll(page, pc, buf, cap);
}

function translateAll(page: u32, pc: u64, buf: u32, cap: u32): u32 {
  // A region too large for the buffer is retried with fewer instructions.
  let limit = REGION_MAX_INSNS;
  let len = buildRegion(page, pc, buf, cap, limit);
  while (len == 0 && count != 0 && limit > BLOCK_MAX_INSNS) {
    limit >>= 1;
    len = buildRegion(page, pc, buf, cap, limit);
  }
  return len;
}

function buildRegion(page: u32, pc: u64, buf: u32, cap: u32, maxInsns: u32): u32 {
  const vpage = pc & ~<u64>0xfff;
  discover(page, <u32>pc & 0xfff, maxInsns);
  if (count == 0) return 0;
  const k = count;
  M.moduleBegin(buf, cap);
  moduleHead(regHasMem, false, 2);
  emitPrologue(regReads | regWrites, regHasMem);
  E.localGet(L_HART); E.i32Load(H_JIT_ENTRY); E.localSet(L_BID);
  E.localGet(L_HART); E.i32Load(H_JIT_LIMIT); E.localSet(L_LIMIT);
  exitLabelR = E.block(BT_VOID);
  setExitLabel(exitLabelR);
  topLabel = E.loop(BT_VOID);
  let returns = false;
  for (let j: u32 = 0; j < k; j++) returns = returns || blockRet[j];
  indirectLabel = returns ? <i32>E.block(BT_VOID) : -1;
  // blockLabel[j] ends just before block j's code; blockLabel[0] is the innermost.
  for (let j: i32 = <i32>k - 1; j >= 0; j--) blockLabel[j] = E.block(BT_VOID);
  E.localGet(L_BID);
  E.brTable(k);
  for (let j: u32 = 0; j < k; j++) E.brTableTarget(blockLabel[j]);
  E.brTableDefault(blockLabel[0]);
  for (let i: u32 = 0; i < k; i++) {
    E.end(); // end of blockLabel[i]: block i's code follows
    emitBlock(page, vpage, i);
  }
  if (returns) {
    // JALR lands here with its target in L_NPC: a return point of the region continues inside
    // (a back edge: it may be a loop), anything else exits.
    E.end();
    for (let j: u32 = 0; j < k; j++) {
      if (!blockRet[j]) continue;
      E.localGet(L_NPC); E.i64Const(<i64>(vpage + <u64>blockOff[j])); E.i64Eq();
      E.if_(BT_VOID); emitBackEdge(<i32>j); E.end();
    }
    E.br(exitLabelR);
  }
  E.end(); // loop
  E.end(); // exit block
  emitEpilogue(regWrites);
  M.sectionEnd();
  return M.moduleEnd();
}
