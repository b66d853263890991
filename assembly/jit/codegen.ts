// Layer 2 of the dynamic binary translator (DESIGN.md §3): RISC-V block -> wasm module.
//
// translateBlock() decodes a straight-line run of RV64I/M integer instructions (32-bit or
// compressed) and writes a complete wasm module for it with the layer-1 emitter:
//
//   (import "env" "memory" (memory 1 65536 shared))      ; the core's memory
//   (func (export "run") (param $hart i32) (result i64)  ; returns the next guest pc
//   (func (export "insns") (result i32))                  ; guest instructions the block retires
//
// Execution model of a translated block:
//  - Guest registers live in wasm i64 locals: local 1 + r holds x_r. At entry, every register
//    the block reads is loaded from hartBase + H_X + 8*r; at the exit, every register the block
//    wrote is stored back. Reads of x0 are the constant 0; writes to x0 (the decoder's sink
//    slot X_SINK) are not computed at all (RV64I has no side effect besides rd here).
//  - The block's guest pc is baked in as constants (AUIPC, branch targets, link values).
//  - The block ends (a) just before the first instruction outside the translated subset,
//    (b) with a branch/JAL/JALR, which is translated as the terminator and computes the next
//    pc, or (c) after maxInsns instructions (next pc = fall-through).
//  - The function does not touch H_INSTRET or the budget, nor H_PC (a region's jitExec calls,
//    codegen-calls.ts, use it to pass a next pc): the dispatcher (layer 3) stores the returned pc
//    and accounts lastBlockInsns() retired instructions.
//
// Memory accesses (LB..LD, LBU..LWU, SB..SD and their compressed forms C.LW/C.LD/C.SW/C.SD,
// C.LWSP/C.LDSP/C.SWSP/C.SDSP, which decode to the same operations):
//  - The soft-TLB hit path of mmu/access.ts is inlined. The data TLB base and the context are
//    read once per block from hartBase + H_TLB_DATA / H_TLB_CTX into i32 locals (nothing in a
//    block can change them: a slow-path fill writes an entry, not the mode). For an access of
//    `size` bytes at va:
//      e   = tlbBase + ((((u32)(va >> 12) ^ ctx) & (TLB_ENTRIES - 1)) << 6)
//      hit = load<u64>(e + TE_TAG_R|TE_TAG_W) == (va & (~0xfff | (size - 1)))
//            && load<u32>(e + TE_CTX) == ctx            (so a misaligned access never hits)
//      host address = (u32)va + load<u32>(e + TE_ADDEND)
//  - On a miss the block calls the core helpers of jit/helpers.ts, imported from "env":
//      jitLoad(va: i64, size: i32) -> i64        readSlow: value zero-extended (0 on a fault)
//      jitStatus() -> i32                         the attention word, read after jitLoad
//      jitStore(va: i64, size: i32, v: i64) -> i32   writeSlow, then the attention word
//    A status of 0 continues the block. The helpers are imported only by blocks that contain
//    memory accesses (or F/D instructions); an ALU-only module still imports just env.memory.
//  - F/D (regions only, scanBlock's `extended`): FLW/FLD/FSW/FSD take the same path with the
//    f register in the hart block (H_F) as source/destination, after an inline mstatus.FS check
//    (Off: jitIllegal(bits) -> i32 raises the illegal-instruction exception). Other F/D
//    operations call jitFloat(decoded: i64, bits: i64) -> i32, which runs the interpreter's
//    fpu/exec.ts on the hart block (integer operands written back before, x[rd] reloaded after).
//
// Exit protocol (every exit goes through one epilogue that writes back the written registers):
//  - run() returns a guest pc and stores the number of instructions retired by this run as a
//    u32 at hartBase + H_JIT_RETIRED (always, on every exit; = insns() unless it stopped early).
//  - Precise fault: when a helper's status has ATTN_EXCEPTION, the block stops AT the faulting
//    instruction k (0-based): registers hold the results of instructions 0..k-1 (the faulting
//    load does not write rd; a faulting store's memory effects are exactly writeSlow's, i.e.
//    the interpreter's), retired = k, and run() returns the faulting instruction's pc. excCause/excTval stay pending in the core, as the helper raised them;
//    the dispatcher delivers the trap exactly as the interpreter does (takeException(pc)).
//  - Exit request: any other non-zero status (ATTN_EXIT from an HTIF tohost store or an MMIO
//    stop request) ends the block AFTER the instruction: its rd is written, retired = k + 1,
//    and run() returns the next pc. The dispatcher then handles `attention` as the
//    interpreter's run loop does after an instruction.
//    To tell the two apart the dispatcher tests ATTN_EXCEPTION in `attention`.
//  - To make one epilogue valid for every exit, a block with memory accesses loads at entry
//    every register it *writes* as well as those it reads: a register not yet written at the
//    exit still holds its entry value, so writing it back is a no-op.
//
// All other instructions of the subset are total (wasm division traps are guarded).
//
// Spec references: "unpriv" = RISC-V Unprivileged ISA, chapter "RV32I Base Integer Instruction
// Set" (§ Integer Computational Instructions, § Control Transfer Instructions), chapter "RV64I"
// (the *W forms and 6-bit shamts), chapter "M Extension" (§ Multiplication Operations,
// § Division Operations and its table of division-by-zero/overflow results), chapter "C"
// (compressed forms expand to the 32-bit ops; the pc advances by 2).
// Wasm: WebAssembly Core Specification §4.3.2 (integer operations: shifts take the count modulo
// the width; div_s traps on zero and on overflow, rem_s only on zero, MIN rem_s -1 = 0).

import { Op, dOp, dRd, dRs1, dRs2, dImm, dCompressed } from "../cpu/opcodes";
import { decode } from "../cpu/decode";
import { H_X, H_F, H_MSTATUS, H_VIRT, H_VSSTATUS, X_SINK, H_TLB_DATA, H_TLB_CTX, TLB_ENTRIES } from "../layout";
import { TE_TAG_R, TE_TAG_W, TE_ADDEND, TE_CTX } from "../mmu/access";
import { ATTN_EXCEPTION, MSTATUS_FS, MSTATUS_SD } from "../cpu/causes";
import { isSystemOp } from "../cpu/system";
import * as E from "./emitter";
import * as M from "./module";
import { T_I32, T_I64, BT_I64, BT_I32, BT_VOID } from "./emitter";
import { SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_EXPORT, SEC_CODE, sig } from "./module";

// H_JIT_RETIRED (layout.ts): the hart-block cell where run() stores the instructions it retired.
export { H_JIT_RETIRED } from "../layout";
import { H_JIT_RETIRED } from "../layout";

// ---- how a block ended (lastBlockEnd) ----

/** No block: the first instruction is not translatable (translateBlock returned 0). */
export const BLOCK_END_NONE: u32 = 0;
/** The block ends with a translated branch, JAL or JALR. */
export const BLOCK_END_BRANCH: u32 = 1;
/** The block stops before an instruction outside the translated subset. */
export const BLOCK_END_UNSUPPORTED: u32 = 2;
/** The block stops after maxInsns instructions. */
export const BLOCK_END_MAX: u32 = 3;
/** The block ends with a system instruction after which the code always exits (sysEndsBlock). */
export const BLOCK_END_SYSTEM: u32 = 4;

// ---- results of the last translateBlock ----

let lastInsns: u32 = 0;
let lastBytes: u32 = 0;
let lastEnd: u32 = BLOCK_END_NONE;

/** Guest instructions retired by one run of the last translated block. */
export function lastBlockInsns(): u32 { return lastInsns; }
/** Bytes of guest code covered by the last translated block (for invalidation ranges). */
export function lastBlockBytes(): u32 { return lastBytes; }
/** How the last translated block ends (BLOCK_END_*). */
export function lastBlockEnd(): u32 { return lastEnd; }

// ---- locals of the generated `run` function ----

/** Parameter 0: the hart's base address in linear memory. */
export const L_HART: u32 = 0;
/** Local of guest register x_r is L_X0 + r (the slot of x0 itself is never used). */
export const L_X0: u32 = 1;
// Scratch i64 locals after the 32 register locals.
const L_A: u32 = L_X0 + 32; // first operand
const L_B: u32 = L_A + 1; // second operand
const L_T0: u32 = L_B + 1; // L_T0..L_T0+6: high-multiply temporaries
export const L_NPC: u32 = L_T0 + 7; // next pc
export const N_I64_SCRATCH: u32 = L_NPC - L_A + 1;
// Scratch i32 locals for the 32-bit divisions.
const L_WA: u32 = L_A + N_I64_SCRATCH;
const L_WB: u32 = L_WA + 1;
// i32 locals of the memory path.
export const L_TLB: u32 = L_WB + 1; // data TLB array base (from H_TLB_DATA)
export const L_CTX: u32 = L_TLB + 1; // context (from H_TLB_CTX)
const L_E: u32 = L_CTX + 1; // TLB entry of the current access
export const L_ST: u32 = L_E + 1; // helper status
export const L_RET: u32 = L_ST + 1; // instructions retired at the exit
export const N_I32_SCRATCH: u32 = L_RET - L_WA + 1;
// The memory path's i64 scratch reuses the operand locals.
const L_VA: u32 = L_A; // effective address
const L_V: u32 = L_B; // slow-path loaded value

// Function indices of the helper imports (imports come first in the index space).
const F_LOAD: u32 = 0;
const F_STORE: u32 = 1;
const F_STATUS: u32 = 2;
export const F_FLOAT: u32 = 3;
const F_ILLEGAL: u32 = 4;
export const F_EXEC: u32 = 5;
/** Label of the exit block (branch target of the early exits) while emitting a body. */
let exitLabel: u32 = 0;

// ---- instruction classes ----

/** True for the ALU subset translated inline (everything except the terminators). */
export function isAlu(op: u32): bool {
  return op == <u32>Op.LUI || op == <u32>Op.AUIPC ||
    (op >= <u32>Op.ADDI && op <= <u32>Op.SRAW) ||
    (op >= <u32>Op.MUL && op <= <u32>Op.REMUW);
}
/** True for the integer loads and stores (LB..LWU, SB..SD). */
export function isMem(op: u32): bool {
  return op >= <u32>Op.LB && op <= <u32>Op.SD;
}
/** True for the F/D loads and stores (FLW, FSW, FLD, FSD), translated in regions only. */
export function isFpMem(op: u32): bool {
  return op == <u32>Op.FLW || op == <u32>Op.FSW || op == <u32>Op.FLD || op == <u32>Op.FSD;
}
/** True for the F/D operations other than loads and stores (run by the jitFloat helper). */
export function isFpOp(op: u32): bool {
  return op >= <u32>Op.FMADD_S && op <= <u32>Op.FMV_D_X && op != <u32>Op.FLD && op != <u32>Op.FSD;
}
/** True for FENCE and PAUSE: no effect on one hart whose harts run one at a time (the interpreter
 *  treats them the same way); FENCE.I is not among them (it ends a block). */
export function isNop(op: u32): bool {
  return op == <u32>Op.FENCE || op == <u32>Op.PAUSE;
}
/** True for the operations run by the jitExec helper (regions only): the A extension and the
 *  system instructions of cpu/system.ts except WFI (a waiting hart is the interpreter's business). */
export function isSys(op: u32): bool {
  return (op >= <u32>Op.LR_W && op <= <u32>Op.AMOMAXU_D) || (isSystemOp(op) && op != <u32>Op.WFI);
}
/** True for the operations after which a region always exits (with the next pc or the trap):
 *  they trap or may change privilege, translation or code (xRET, ECALL, EBREAK, fences). */
export function sysEndsBlock(op: u32): bool {
  return op == <u32>Op.ECALL || op == <u32>Op.EBREAK || op == <u32>Op.FENCE_I || op == <u32>Op.MRET ||
    op == <u32>Op.SRET || op == <u32>Op.SFENCE_VMA || op == <u32>Op.HFENCE_VVMA || op == <u32>Op.HFENCE_GVMA;
}
/** True for the operations regions translate beyond translateBlock's subset. */
export function isExtended(op: u32): bool {
  return isFpMem(op) || isFpOp(op) || isNop(op) || isSys(op);
}
/** True for the stores SB..SD, FSW, FSD. */
export function isStore(op: u32): bool {
  return (op >= <u32>Op.SB && op <= <u32>Op.SD) || op == <u32>Op.FSW || op == <u32>Op.FSD;
}
/** Access size in bytes of a load/store. */
export function memSize(op: u32): u32 {
  switch (op) {
    case Op.LB: case Op.LBU: case Op.SB: return 1;
    case Op.LH: case Op.LHU: case Op.SH: return 2;
    case Op.LW: case Op.LWU: case Op.SW: case Op.FLW: case Op.FSW: return 4;
    default: return 8;
  }
}
/** True for the block terminators: conditional branches, JAL, JALR. */
export function isControl(op: u32): bool {
  return op >= <u32>Op.JAL && op <= <u32>Op.BGEU;
}
/** True when the operation reads rs2 (R-type ALU ops and branches). */
export function readsRs2(op: u32): bool {
  return (op >= <u32>Op.BEQ && op <= <u32>Op.BGEU) || (op >= <u32>Op.SB && op <= <u32>Op.SD) ||
    (op >= <u32>Op.ADD && op <= <u32>Op.AND) ||
    (op >= <u32>Op.ADDW && op <= <u32>Op.SRAW) ||
    (op >= <u32>Op.MUL && op <= <u32>Op.REMUW);
}
/** True when the operation reads rs1 (all but LUI, AUIPC, JAL). */
export function readsRs1(op: u32): bool {
  return op != <u32>Op.LUI && op != <u32>Op.AUIPC && op != <u32>Op.JAL;
}

// ---- operand helpers ----

/** Pushes guest register x_r (constant 0 for x0). */
function getX(r: u32): void {
  if (r == 0) E.i64Const(0);
  else E.localGet(L_X0 + r);
}
/** Pops the i64 on the stack into guest register rd (never called for the sink). */
function setX(rd: u32): void {
  E.localSet(L_X0 + rd);
}
/** Pushes the low 32 bits of x_r as an i32. */
function getW(r: u32): void {
  if (r == 0) E.i32Const(0);
  else { E.localGet(L_X0 + r); E.i32WrapI64(); }
}
/** Pushes a sign-extended immediate as an i64 constant. */
function immConst(d: u64): void {
  E.i64Const(<i64>dImm(d));
}

// ---- one emitter helper per operation group ----

/** unpriv "Integer Register-Immediate Instructions" (RV32I + RV64I 6-bit shamts). */
function emitOpImm(op: u32, rs1: u32, d: u64): void {
  getX(rs1);
  switch (op) {
    case Op.ADDI: immConst(d); E.i64Add(); break;
    case Op.SLTI: immConst(d); E.i64LtS(); E.i64ExtendI32U(); break;
    case Op.SLTIU: immConst(d); E.i64LtU(); E.i64ExtendI32U(); break; // imm sign-extended, compared unsigned
    case Op.XORI: immConst(d); E.i64Xor(); break;
    case Op.ORI: immConst(d); E.i64Or(); break;
    case Op.ANDI: immConst(d); E.i64And(); break;
    case Op.SLLI: E.i64Const(dImm(d) & 63); E.i64Shl(); break;
    case Op.SRLI: E.i64Const(dImm(d) & 63); E.i64ShrU(); break;
    default: /* SRAI */ E.i64Const(dImm(d) & 63); E.i64ShrS(); break;
  }
}

/** unpriv "Integer Register-Register Operations"; wasm shifts already mask the count to 6 bits. */
function emitOpReg(op: u32, rs1: u32, rs2: u32): void {
  getX(rs1);
  getX(rs2);
  switch (op) {
    case Op.ADD: E.i64Add(); break;
    case Op.SUB: E.i64Sub(); break;
    case Op.SLL: E.i64Shl(); break;
    case Op.SLT: E.i64LtS(); E.i64ExtendI32U(); break;
    case Op.SLTU: E.i64LtU(); E.i64ExtendI32U(); break;
    case Op.XOR: E.i64Xor(); break;
    case Op.SRL: E.i64ShrU(); break;
    case Op.SRA: E.i64ShrS(); break;
    case Op.OR: E.i64Or(); break;
    default: /* AND */ E.i64And(); break;
  }
}

/** RV64I chapter "Integer Computational Instructions": the *W forms on the low 32 bits, sign-extended. */
function emitOpW(op: u32, rs1: u32, rs2: u32, d: u64): void {
  getW(rs1);
  switch (op) {
    case Op.ADDIW: E.i32Const(dImm(d)); E.i32Add(); break;
    case Op.SLLIW: E.i32Const(dImm(d) & 31); E.i32Shl(); break;
    case Op.SRLIW: E.i32Const(dImm(d) & 31); E.i32ShrU(); break;
    case Op.SRAIW: E.i32Const(dImm(d) & 31); E.i32ShrS(); break;
    case Op.ADDW: getW(rs2); E.i32Add(); break;
    case Op.SUBW: getW(rs2); E.i32Sub(); break;
    case Op.SLLW: getW(rs2); E.i32Shl(); break; // count masked to 5 bits by wasm
    case Op.SRLW: getW(rs2); E.i32ShrU(); break;
    case Op.MULW: getW(rs2); E.i32Mul(); break; // M: low 32 bits of the product
    default: /* SRAW */ getW(rs2); E.i32ShrS(); break;
  }
  E.i64ExtendI32S();
}

/**
 * M "Multiplication Operations": high 64 bits of the 128-bit product, from 32-bit halves
 * (same algorithm as cpu/alu.ts mulhu); MULH/MULHSU correct the unsigned result for negative
 * operands: h - (a < 0 ? b : 0) - (b < 0 ? a : 0), written branch-free with (x >>s 63) & y.
 */
function emitMulHigh(op: u32, rs1: u32, rs2: u32): void {
  const aLo = L_T0, aHi = L_T0 + 1, bLo = L_T0 + 2, bHi = L_T0 + 3;
  const ll = L_T0 + 4, lh = L_T0 + 5, hl = L_T0 + 6;
  getX(rs1); E.localTee(L_A); E.i64Const(0xffffffff); E.i64And(); E.localSet(aLo);
  E.localGet(L_A); E.i64Const(32); E.i64ShrU(); E.localSet(aHi);
  getX(rs2); E.localTee(L_B); E.i64Const(0xffffffff); E.i64And(); E.localSet(bLo);
  E.localGet(L_B); E.i64Const(32); E.i64ShrU(); E.localSet(bHi);
  E.localGet(aLo); E.localGet(bLo); E.i64Mul(); E.localSet(ll);
  E.localGet(aLo); E.localGet(bHi); E.i64Mul(); E.localSet(lh);
  E.localGet(aHi); E.localGet(bLo); E.i64Mul(); E.localSet(hl);
  // mid = (ll >> 32) + lo32(lh) + lo32(hl)   (reuses ll)
  E.localGet(ll); E.i64Const(32); E.i64ShrU();
  E.localGet(lh); E.i64Const(0xffffffff); E.i64And(); E.i64Add();
  E.localGet(hl); E.i64Const(0xffffffff); E.i64And(); E.i64Add();
  E.localSet(ll);
  // hh + (lh >> 32) + (hl >> 32) + (mid >> 32)
  E.localGet(aHi); E.localGet(bHi); E.i64Mul();
  E.localGet(lh); E.i64Const(32); E.i64ShrU(); E.i64Add();
  E.localGet(hl); E.i64Const(32); E.i64ShrU(); E.i64Add();
  E.localGet(ll); E.i64Const(32); E.i64ShrU(); E.i64Add();
  if (op != <u32>Op.MULHU) {
    // - ((a >>s 63) & b): rs1 is signed for MULH and MULHSU
    E.localGet(L_A); E.i64Const(63); E.i64ShrS(); E.localGet(L_B); E.i64And(); E.i64Sub();
    if (op == <u32>Op.MULH) {
      // - ((b >>s 63) & a): rs2 is signed for MULH only
      E.localGet(L_B); E.i64Const(63); E.i64ShrS(); E.localGet(L_A); E.i64And(); E.i64Sub();
    }
  }
}

/**
 * M "Division Operations", 64-bit: the spec's table of special results, matching cpu/alu.ts:
 * x/0 = -1 (all ones for DIVU), x%0 = x, MIN/-1 = MIN, MIN%-1 = 0. Wasm div traps on a zero
 * divisor and div_s on MIN/-1, so both are guarded; a/-1 is emitted as 0 - a, which wraps to
 * MIN for MIN exactly as the spec requires. rem_s does not trap on MIN%-1 (it yields 0), so
 * REM/REMU only guard the zero divisor.
 */
function emitDiv64(op: u32, rs1: u32, rs2: u32): void {
  getX(rs1); E.localSet(L_A);
  getX(rs2); E.localTee(L_B);
  E.i64Eqz();
  E.if_(BT_I64);
  if (op == <u32>Op.DIV || op == <u32>Op.DIVU) E.i64Const(-1);
  else E.localGet(L_A);
  E.else_();
  switch (op) {
    case Op.DIV:
      E.localGet(L_B); E.i64Const(-1); E.i64Eq();
      E.if_(BT_I64);
      E.i64Const(0); E.localGet(L_A); E.i64Sub();
      E.else_();
      E.localGet(L_A); E.localGet(L_B); E.i64DivS();
      E.end();
      break;
    case Op.DIVU: E.localGet(L_A); E.localGet(L_B); E.i64DivU(); break;
    case Op.REM: E.localGet(L_A); E.localGet(L_B); E.i64RemS(); break;
    default: /* REMU */ E.localGet(L_A); E.localGet(L_B); E.i64RemU(); break;
  }
  E.end();
}

/**
 * M "Division Operations", RV64 *W forms on the low 32 bits, result sign-extended:
 * x/0 = -1, x%0 = sext(x), MIN/-1 = MIN (as 0 - MIN), MIN%-1 = 0 (wasm rem_s). Same results as
 * cpu/alu.ts divw/divuw/remw/remuw.
 */
function emitDiv32(op: u32, rs1: u32, rs2: u32): void {
  getW(rs1); E.localSet(L_WA);
  getW(rs2); E.localTee(L_WB);
  E.i32Eqz();
  E.if_(BT_I32);
  if (op == <u32>Op.DIVW || op == <u32>Op.DIVUW) E.i32Const(-1);
  else E.localGet(L_WA);
  E.else_();
  switch (op) {
    case Op.DIVW:
      E.localGet(L_WB); E.i32Const(-1); E.i32Eq();
      E.if_(BT_I32);
      E.i32Const(0); E.localGet(L_WA); E.i32Sub();
      E.else_();
      E.localGet(L_WA); E.localGet(L_WB); E.i32DivS();
      E.end();
      break;
    case Op.DIVUW: E.localGet(L_WA); E.localGet(L_WB); E.i32DivU(); break;
    case Op.REMW: E.localGet(L_WA); E.localGet(L_WB); E.i32RemS(); break;
    default: /* REMUW */ E.localGet(L_WA); E.localGet(L_WB); E.i32RemU(); break;
  }
  E.end();
  E.i64ExtendI32S();
}

/** Emits one ALU instruction at guest `pc` (its result goes to rd; nothing for the sink). */
export function emitAlu(d: u64, pc: u64): void {
  const op = dOp(d), rd = dRd(d), rs1 = dRs1(d), rs2 = dRs2(d);
  if (rd == X_SINK) return; // x0 destination: HINT/no-op, no side effects in this subset
  if (op == <u32>Op.LUI) E.i64Const(<i64>dImm(d)); // unpriv "LUI": imm[31:12] << 12, sign-extended
  else if (op == <u32>Op.AUIPC) E.i64Const(<i64>(pc + <u64><i64>dImm(d))); // unpriv "AUIPC"
  else if (op >= <u32>Op.ADDI && op <= <u32>Op.SRAI) emitOpImm(op, rs1, d);
  else if (op >= <u32>Op.ADD && op <= <u32>Op.AND) emitOpReg(op, rs1, rs2);
  else if ((op >= <u32>Op.ADDIW && op <= <u32>Op.SRAW) || op == <u32>Op.MULW) emitOpW(op, rs1, rs2, d);
  else if (op == <u32>Op.MUL) { getX(rs1); getX(rs2); E.i64Mul(); }
  else if (op >= <u32>Op.MULH && op <= <u32>Op.MULHU) emitMulHigh(op, rs1, rs2);
  else if (op >= <u32>Op.DIV && op <= <u32>Op.REMU) emitDiv64(op, rs1, rs2);
  else emitDiv32(op, rs1, rs2); // DIVW, DIVUW, REMW, REMUW
  setX(rd);
}

/**
 * Emits a terminator at guest `pc` with length `len`, leaving the next pc in L_NPC.
 * unpriv "Conditional Branches": target = pc + imm; "Unconditional Jumps": JAL writes
 * pc + len to rd; JALR's target is (rs1 + imm) & ~1, computed before rd is written (rd may be rs1).
 */
function emitControl(d: u64, pc: u64, len: u32): void {
  const op = dOp(d), rd = dRd(d), rs1 = dRs1(d), rs2 = dRs2(d);
  const link = pc + <u64>len;
  const target = pc + <u64><i64>dImm(d);
  if (op == <u32>Op.JAL) {
    if (rd != X_SINK) { E.i64Const(<i64>link); setX(rd); }
    E.i64Const(<i64>target); E.localSet(L_NPC);
    return;
  }
  if (op == <u32>Op.JALR) {
    getX(rs1); immConst(d); E.i64Add(); E.i64Const(-2); E.i64And(); E.localSet(L_NPC);
    if (rd != X_SINK) { E.i64Const(<i64>link); setX(rd); }
    return;
  }
  // select(taken, fallthrough, cond)
  E.i64Const(<i64>target);
  E.i64Const(<i64>link);
  emitBranchCond(op, rs1, rs2);
  E.select_();
  E.localSet(L_NPC);
}

/** Pushes the i32 "taken" condition of conditional branch `op` (unpriv "Conditional Branches"). */
export function emitBranchCond(op: u32, rs1: u32, rs2: u32): void {
  getX(rs1);
  getX(rs2);
  switch (op) {
    case Op.BEQ: E.i64Eq(); break;
    case Op.BNE: E.i64Ne(); break;
    case Op.BLT: E.i64LtS(); break;
    case Op.BGE: E.i64GeS(); break;
    case Op.BLTU: E.i64LtU(); break;
    default: /* BGEU */ E.i64GeU(); break;
  }
}

/** Sets the exit values (next pc; `retired` more instructions on top of L_RET, which holds those
 *  retired before the current block: 0 in a single block, the running count in a region) and
 *  branches to the epilogue. */
export function emitExit(npc: u64, retired: u32): void {
  E.i64Const(<i64>npc); E.localSet(L_NPC);
  emitRetire(retired);
  E.br(exitLabel);
}
/** Adds `n` to the retired count L_RET. */
export function emitRetire(n: u32): void {
  if (n == 0) return;
  E.localGet(L_RET); E.i32Const(<i32>n); E.i32Add(); E.localSet(L_RET);
}
/** Sets the label that early exits branch to (the block whose end is the epilogue). */
export function setExitLabel(label: u32): void { exitLabel = label; }
/** Branches to the epilogue (L_NPC and L_RET already set). */
export function emitBrExit(): void { E.br(exitLabel); }

/**
 * Pushes the i32 "TLB hit" condition for an access of `size` bytes at L_VA (tag at `tagOff`),
 * leaving the entry address in L_E (mmu/access.ts entryOf/hit).
 */
function emitTlbHit(size: u32, tagOff: u32): void {
  E.localGet(L_VA); E.i64Const(12); E.i64ShrU(); E.i32WrapI64();
  E.localGet(L_CTX); E.i32Xor();
  E.i32Const(<i32>(TLB_ENTRIES - 1)); E.i32And();
  E.i32Const(6); E.i32Shl();
  E.localGet(L_TLB); E.i32Add();
  E.localTee(L_E);
  E.i64Load(tagOff);
  E.localGet(L_VA); E.i64Const(-4096 | <i64>(size - 1)); E.i64And();
  E.i64Eq();
  E.localGet(L_E); E.i32Load(TE_CTX);
  E.localGet(L_CTX); E.i32Eq();
  E.i32And();
}
/** Pushes the host address of L_VA through entry L_E. */
function emitHostAddr(): void {
  E.localGet(L_VA); E.i32WrapI64();
  E.localGet(L_E); E.i32Load(TE_ADDEND);
  E.i32Add();
}
/** Sign-extends a zero-extended slow-path load result as `op` requires. */
function emitLoadExtend(op: u32): void {
  if (op == <u32>Op.LB) E.i64Extend8S();
  else if (op == <u32>Op.LH) E.i64Extend16S();
  else if (op == <u32>Op.LW) E.i64Extend32S();
}

/** Raw instruction bits of `d` at host address `code` as the interpreter reports them in tval
 *  (16 bits for a compressed instruction). */
export function insnBits(code: u32, d: u64): u64 {
  const raw = load<u32>(code);
  return <u64>(dCompressed(d) ? raw & 0xffff : raw);
}

/**
 * F/D instructions need mstatus.FS != Off (priv "Extension Context Status in mstatus"): when it
 * is Off the instruction raises an illegal-instruction exception with its bits as tval, as in
 * the interpreter. Emits that check for the k-th instruction at `pc` (bits `bits`).
 */
function emitFsCheck(pc: u64, k: u32, bits: u64): void {
  // With V=1, vsstatus.FS must be on as well (hypervisor.adoc "vsstatus"; csr.ts fpEnabled).
  E.localGet(L_HART); E.i64Load(H_MSTATUS); E.i64Const(<i64>MSTATUS_FS); E.i64And(); E.i64Eqz();
  E.localGet(L_HART); E.i32Load(H_VIRT);
  E.localGet(L_HART); E.i64Load(H_VSSTATUS); E.i64Const(<i64>MSTATUS_FS); E.i64And(); E.i64Eqz();
  E.i32And(); E.i32Or();
  E.if_(BT_VOID);
  E.i64Const(<i64>bits); E.call(F_ILLEGAL); E.drop();
  emitExit(pc, k);
  E.end();
}
/** mstatus.FS = Dirty (and SD), as the interpreter does after writing an f register. */
function emitFsDirty(): void {
  E.localGet(L_HART);
  E.localGet(L_HART); E.i64Load(H_MSTATUS); E.i64Const(<i64>(MSTATUS_FS | MSTATUS_SD)); E.i64Or();
  E.i64Store(H_MSTATUS);
  // With V=1 vsstatus.FS becomes Dirty too (csr.ts setFsDirty).
  E.localGet(L_HART); E.i32Load(H_VIRT);
  E.if_(BT_VOID);
  E.localGet(L_HART);
  E.localGet(L_HART); E.i64Load(H_VSSTATUS); E.i64Const(<i64>(MSTATUS_FS | MSTATUS_SD)); E.i64Or();
  E.i64Store(H_VSSTATUS);
  E.end();
}

/** Writes the loaded value in L_V (zero-extended) to the load's destination: x_rd (extended as
 *  `op` requires; nothing for the sink) or, for FLW/FLD, f_rd (FLW NaN-boxed) and FS dirty. */
function emitLoadResult(op: u32, rd: u32): void {
  if (op == <u32>Op.FLW || op == <u32>Op.FLD) {
    E.localGet(L_HART); E.localGet(L_V);
    if (op == <u32>Op.FLW) { E.i64Const(<i64>0xffff_ffff_0000_0000); E.i64Or(); }
    E.i64Store(H_F + (rd << 3));
    emitFsDirty();
    return;
  }
  if (rd == X_SINK) return;
  E.localGet(L_V); emitLoadExtend(op); setX(rd);
}

/**
 * Emits load/store `d`, the k-th instruction (0-based) of the block, at guest `pc` (raw bits at
 * host address `code`). unpriv "Load and Store Instructions": address = x[rs1] + sext(imm);
 * LB/LH/LW sign-extend, LBU/LHU/LWU zero-extend; a load to x0 still accesses memory (and may
 * fault). FLW/FLD/FSW/FSD ("F"/"D" chapters, "Load and Store Instructions") move raw bits
 * between memory and f registers (in the hart block, H_F); FLW NaN-boxes.
 */
export function emitMem(d: u64, pc: u64, len: u32, k: u32, code: u32 = 0): void {
  const op = dOp(d), rd = dRd(d), rs1 = dRs1(d), rs2 = dRs2(d);
  const size = memSize(op);
  const fp = isFpMem(op);
  if (fp) emitFsCheck(pc, k, insnBits(code, d));
  if (rs1 == 0) immConst(d); else { getX(rs1); immConst(d); E.i64Add(); }
  E.localSet(L_VA);
  if (isStore(op)) {
    emitTlbHit(size, TE_TAG_W);
    E.if_(BT_VOID);
    emitHostAddr();
    if (fp) { E.localGet(L_HART); E.i64Load(H_F + (rs2 << 3)); } else getX(rs2);
    if (size == 1) E.i64Store8();
    else if (size == 2) E.i64Store16();
    else if (size == 4) E.i64Store32();
    else E.i64Store();
    E.else_();
    E.localGet(L_VA); E.i32Const(<i32>size);
    if (fp) { E.localGet(L_HART); E.i64Load(H_F + (rs2 << 3)); } else getX(rs2);
    E.call(F_STORE);
    E.localTee(L_ST);
    E.if_(BT_VOID);
    E.localGet(L_ST); E.i32Const(<i32>ATTN_EXCEPTION); E.i32And();
    E.if_(BT_VOID); emitExit(pc, k); E.end();
    emitExit(pc + <u64>len, k + 1);
    E.end();
    E.end();
    return;
  }
  emitTlbHit(size, TE_TAG_R);
  E.if_(BT_VOID);
  emitHostAddr();
  switch (op) {
    case Op.LB: E.i64Load8S(); break;
    case Op.LBU: E.i64Load8U(); break;
    case Op.LH: E.i64Load16S(); break;
    case Op.LHU: E.i64Load16U(); break;
    case Op.LW: E.i64Load32S(); break;
    case Op.LWU: case Op.FLW: E.i64Load32U(); break;
    default: E.i64Load(); break;
  }
  E.localSet(L_V);
  E.else_();
  E.localGet(L_VA); E.i32Const(<i32>size); E.call(F_LOAD); E.localSet(L_V);
  E.call(F_STATUS); E.localTee(L_ST);
  E.if_(BT_VOID);
  E.localGet(L_ST); E.i32Const(<i32>ATTN_EXCEPTION); E.i32And();
  E.if_(BT_VOID); emitExit(pc, k); E.end();
  emitLoadResult(op, rd);
  emitExit(pc + <u64>len, k + 1);
  E.end();
  E.end();
  emitLoadResult(op, rd);
}

/** Instruction length from the decoded form: 2 for compressed, else 4. */
// @ts-ignore: decorator
@inline export function insnLen(d: u64): u32 { return dCompressed(d) ? 2 : 4; }

let lastReads: u32 = 0;
let lastWrites: u32 = 0;
let lastHasMem = false;
/** Register mask (bit r = x_r, x0 excluded) the last scanned block reads. */
export function lastBlockReads(): u32 { return lastReads; }
/** Register mask the last scanned block writes. */
export function lastBlockWrites(): u32 { return lastWrites; }
/** True when the last scanned block contains loads or stores. */
export function lastBlockHasMem(): bool { return lastHasMem; }

/**
 * Pass 1 of a translation: finds the extent of the block whose raw bytes start at `guestCode`
 * (at most `maxInsns` instructions, each ending within `room` bytes of the start) and the
 * registers it reads and writes. Returns the instruction count; lastBlockBytes/End/Reads/
 * Writes/HasMem describe the block.
 */
export function scanBlock(guestCode: u32, maxInsns: u32, room: u32, extended: bool = false): u32 {
  let n: u32 = 0, off: u32 = 0;
  let reads: u32 = 0, writes: u32 = 0;
  let hasMem = false;
  let end = BLOCK_END_MAX;
  while (n < maxInsns) {
    const d = decode(load<u32>(guestCode + off));
    const op = dOp(d);
    const ext = extended && isExtended(op);
    const alu = isAlu(op) || (ext && !isFpMem(op));
    const mem = isMem(op) || (ext && isFpMem(op));
    if (!alu && !mem && !isControl(op)) { end = BLOCK_END_UNSUPPORTED; break; }
    if (off + insnLen(d) > room) break; // would cross the page: stop before it (BLOCK_END_MAX)
    if (ext) hasMem = true; // the F/D paths call helpers (imported with the memory helpers)
    hasMem = hasMem || mem;
    if (readsRs1(op)) reads |= 1 << dRs1(d);
    if (readsRs2(op) || (ext && isSys(op))) reads |= 1 << dRs2(d);
    const rd = dRd(d);
    if (rd != X_SINK && !isStore(op)) writes |= 1 << rd;
    n++;
    off += insnLen(d);
    if (!alu && !mem) { end = BLOCK_END_BRANCH; break; }
    if (ext && sysEndsBlock(op)) { end = BLOCK_END_SYSTEM; break; }
  }
  lastReads = reads & ~1; // x0 is the constant 0
  lastWrites = writes & ~1;
  lastHasMem = hasMem;
  lastInsns = n;
  lastBytes = off;
  lastEnd = n == 0 ? BLOCK_END_NONE : end;
  return n;
}

/**
 * Writes the module header and opens run()'s body: type 0 = (i32) -> i64 (run), type 1 =
 * () -> i32 (insns, and jitStatus), the helper types and imports when `hasMem` (jitLoad,
 * jitStore, jitStatus, jitFloat, jitIllegal, jitExec), env.memory,
 * the functions, the exports ("run", and "insns" when `withInsns`), then run()'s locals
 * (x0..x31, the i64 and i32 scratch of L_*, then `extraI32` more i32 locals). The caller emits run()'s code, M.funcEnd(), the
 * insns() body when declared, M.sectionEnd() and M.moduleEnd().
 */
export function moduleHead(hasMem: bool, withInsns: bool, extraI32: u32 = 0): void {
  moduleImports(hasMem);
  M.sectionBegin(SEC_FUNCTION);
  const fRun = M.funcDecl(0);
  const fCount = withInsns ? M.funcDecl(1) : 0;
  M.sectionEnd();
  M.sectionBegin(SEC_EXPORT);
  M.exportFunc("run", fRun);
  if (withInsns) M.exportFunc("insns", fCount);
  M.sectionEnd();
  M.sectionBegin(SEC_CODE);
  runLocals(extraI32);
}

/** The type and import sections of moduleHead (type 0 is run's, 1 is () -> i32); the function
 *  indices of the helpers are 0..HELPER_IMPORTS-1 when `hasMem`, then jitChain when `chain`. */
export function moduleImports(hasMem: bool, chain: bool = false): void {
  M.sectionBegin(SEC_TYPE);
  M.funcType(sig(T_I32), sig(T_I64));
  const tCount = M.funcType(sig(), sig(T_I32));
  let tLoad: u32 = 0, tStore: u32 = 0, tFloat: u32 = 0, tIllegal: u32 = 0, tExec: u32 = 0;
  if (hasMem) {
    tLoad = M.funcType(sig(T_I64, T_I32), sig(T_I64));
    tStore = M.funcType(sig(T_I64, T_I32, T_I64), sig(T_I32));
    tFloat = M.funcType(sig(T_I64, T_I64), sig(T_I32));
    tIllegal = M.funcType(sig(T_I64), sig(T_I32));
    tExec = M.funcType(sig(T_I64, T_I64, T_I64, T_I32), sig(T_I32));
  }
  const tChain = chain ? M.funcType(sig(T_I64), sig(T_I32)) : 0;
  M.sectionEnd();
  M.sectionBegin(SEC_IMPORT);
  if (hasMem) {
    // Indices F_LOAD, F_STORE, F_STATUS in this order.
    M.importFunc("jitLoad", tLoad);
    M.importFunc("jitStore", tStore);
    M.importFunc("jitStatus", tCount);
    M.importFunc("jitFloat", tFloat); // F_FLOAT
    M.importFunc("jitIllegal", tIllegal); // F_ILLEGAL
    M.importFunc("jitExec", tExec); // F_EXEC
  }
  // With `chain`: jitChain (jit/chain.ts), after the helpers, and the core's table (index 0).
  if (chain) M.importFunc("jitChain", tChain);
  M.importMemory("memory", 1, 65536, true);
  if (chain) M.importTable("table", 1);
  M.sectionEnd();
}

/** Helper functions moduleImports() imports when hasMem. */
export const HELPER_IMPORTS: u32 = 6; // jitLoad, jitStore, jitStatus, jitFloat, jitIllegal, jitExec

/** Opens a body of type 0 ((i32 hart) -> i64) with run()'s locals: x0..x31, the i64 and i32
 *  scratch of L_*, then `extraI32` more i32 locals. */
export function runLocals(extraI32: u32): void {
  M.funcBegin(1);
  M.local(T_I64, 32 + N_I64_SCRATCH);
  M.local(T_I32, N_I32_SCRATCH + extraI32);
  M.funcCode();
}

/** Entry of run(): loads the registers in mask `reads` into their locals and, when `hasMem`, the
 *  data TLB base and context (nothing in translated code changes them: a fill writes an entry). */
export function emitPrologue(reads: u32, hasMem: bool): void {
  for (let r: u32 = 1; r < 32; r++) {
    if ((reads & (1 << r)) == 0) continue;
    E.localGet(L_HART); E.i64Load(H_X + (r << 3)); E.localSet(L_X0 + r);
  }
  if (hasMem) {
    E.localGet(L_HART); E.i32Load(H_TLB_DATA); E.localSet(L_TLB);
    E.localGet(L_HART); E.i32Load(H_TLB_CTX); E.localSet(L_CTX);
  }
}

/** Stores the registers in mask `writes` from their locals into the hart block. */
export function emitWriteBack(writes: u32): void {
  for (let r: u32 = 1; r < 32; r++) {
    if ((writes & (1 << r)) == 0) continue;
    E.localGet(L_HART); E.localGet(L_X0 + r); E.i64Store(H_X + (r << 3));
  }
}

/** The one exit of run(): writes back the registers in mask `writes`, stores the retired count
 *  L_RET at H_JIT_RETIRED and returns the next pc L_NPC; ends the function body. */
export function emitEpilogue(writes: u32): void {
  emitWriteBack(writes);
  E.localGet(L_HART); E.localGet(L_RET); E.i32Store(H_JIT_RETIRED);
  E.localGet(L_NPC);
  M.funcEnd();
}

/**
 * Translates the block of guest code whose raw bytes start at linear address `guestCode` and
 * whose guest pc is `pc` into a wasm module written at [buf, buf + cap).
 *
 * The module imports `env.memory` (shared, 1..65536 pages: the core's memory) and, when the
 * block contains loads or stores, `env.jitLoad`, `env.jitStore`, `env.jitStatus` (the
 * exports of jit/helpers.ts). It exports `run(hartBase: i32) -> i64` (executes the block on
 * the hart state at hartBase, stores the retired count at hartBase + H_JIT_RETIRED, returns
 * the next guest pc, or the faulting instruction's pc after a fault: see "Exit protocol"
 * above) and `insns() -> i32` (instructions one complete run retires, = lastBlockInsns()).
 * At most `maxInsns` instructions are translated; the block may read up to 4 bytes past its
 * last instruction (raw fetch of a compressed instruction).
 *
 * Returns the module size in bytes, or 0 when nothing was produced: the first instruction is
 * outside the subset (lastBlockEnd() == BLOCK_END_NONE), maxInsns is 0, or the buffer was too
 * small (the emitter's emitOverflowed()/emitPos() then tell the size needed). Does not allocate.
 */
export function translateBlock(guestCode: u32, pc: u64, maxInsns: u32, buf: u32, cap: u32): u32 {
  const n = scanBlock(guestCode, maxInsns, 0xffffffff);
  if (n == 0) return 0;
  let reads = lastReads, writes = lastWrites;
  const hasMem = lastHasMem;
  // With early exits, the one epilogue writes back every written register: load them all.
  if (hasMem) reads |= writes;

  M.moduleBegin(buf, cap);
  moduleHead(hasMem, true);
  emitPrologue(reads, hasMem);
  if (hasMem) exitLabel = E.block(BT_VOID); // early exits branch past the body to the epilogue
  // Body (pass 2: decode again; decoding is cheaper than keeping a per-block array).
  let ipc = pc;
  let off: u32 = 0;
  let npcSet = false;
  for (let i: u32 = 0; i < n; i++) {
    const d = decode(load<u32>(guestCode + off));
    const len = insnLen(d);
    const op = dOp(d);
    if (isAlu(op)) emitAlu(d, ipc);
    else if (isMem(op)) emitMem(d, ipc, len, i);
    else { emitControl(d, ipc, len); npcSet = true; }
    ipc += <u64>len;
    off += len;
  }
  if (!npcSet) { E.i64Const(<i64>ipc); E.localSet(L_NPC); } // fall-through
  emitRetire(n);
  if (hasMem) E.end();
  emitEpilogue(writes);

  // insns(): the retired-instruction count of one complete run.
  M.funcBegin(0);
  M.funcCode();
  E.i32Const(<i32>n);
  M.funcEnd();

  M.sectionEnd();
  return M.moduleEnd();
}
