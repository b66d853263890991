// Layer 2 of the DBT (DESIGN.md §3), continued: instructions that translated code runs by calling a
// core helper with the interpreter's own code instead of inline wasm: F/D operations (jitFloat,
// fpu/exec.ts) and the A-extension and system instructions (jitExec, cpu/amo.ts and
// cpu/system.ts). Both use codegen.ts's locals, exits and helper imports (moduleHead); regions
// emit them (jit/region.ts). Register protocol: the integer operands are written back to the
// hart block before the call and x[rd] is reloaded after it.
import { dRd, dRs1, dRs2, dOp } from "../cpu/opcodes";
import { H_X, H_PC, X_SINK } from "../layout";
import { ATTN_EXCEPTION } from "../cpu/causes";
import * as E from "./emitter";
import { BT_VOID } from "./emitter";
import { L_HART, L_X0, L_RET, L_ST, L_NPC, F_FLOAT, F_EXEC, emitExit, emitRetire, emitBrExit, insnBits, sysEndsBlock } from "./codegen";

/**
 * Emits F/D operation `d` (not a load/store), the k-th instruction at `pc` with raw bits at host
 * address `code`, as a call of the core's jitFloat helper, which runs the interpreter's
 * semantics (fpu/exec.ts, FS check, flags, FS dirty) on the hart block. Integer operands live in
 * locals here: x[rs1] (FMV.*.X, FCVT from integers) is written back before the call and x[rd]
 * (FMV.X.*, compares, FCLASS, FCVT to integers) reloaded after it; for the other operations these
 * are f register numbers and the extra store/load only moves a register's current value. An
 * exception (illegal instruction: FS off, reserved rounding mode) stops the block at it.
 */
export function emitFpOp(d: u64, pc: u64, k: u32, code: u32): void {
  const rd = dRd(d), rs1 = dRs1(d);
  if (rs1 != 0) { E.localGet(L_HART); E.localGet(L_X0 + rs1); E.i64Store(H_X + (rs1 << 3)); }
  const xrd = rd != 0 && rd != X_SINK;
  if (xrd && rd != rs1) { E.localGet(L_HART); E.localGet(L_X0 + rd); E.i64Store(H_X + (rd << 3)); }
  E.i64Const(<i64>d); E.i64Const(<i64>insnBits(code, d)); E.call(F_FLOAT);
  E.if_(BT_VOID); emitExit(pc, k); E.end();
  if (xrd) { E.localGet(L_HART); E.i64Load(H_X + (rd << 3)); E.localSet(L_X0 + rd); }
}

/**
 * Emits instruction `d` of the jitExec class (isSys: A extension, CSRs, ECALL/EBREAK, xRET,
 * fences, H instructions), the k-th of its block at `pc` (raw bits at host address `code`), as a
 * call of the core's jitExec helper, which runs the interpreter's code for it (cpu/system.ts,
 * cpu/amo.ts). x[rs1] and x[rs2] are written back before the call and x[rd] reloaded after it.
 * An exception stops at the instruction; any other attention (ATTN_BATCH: privilege, interrupt or
 * translation state may have changed; ATTN_EXIT) exits after it with the next pc the helper left
 * in H_PC, so that the dispatcher re-evaluates the mode and interrupts. After a sysEndsBlock
 * operation the code exits in every case.
 */
export function emitSys(d: u64, pc: u64, len: u32, k: u32, code: u32): void {
  const op = dOp(d), rd = dRd(d), rs1 = dRs1(d), rs2 = dRs2(d);
  if (rs1 != 0) { E.localGet(L_HART); E.localGet(L_X0 + rs1); E.i64Store(H_X + (rs1 << 3)); }
  if (rs2 != 0 && rs2 != rs1) { E.localGet(L_HART); E.localGet(L_X0 + rs2); E.i64Store(H_X + (rs2 << 3)); }
  const xrd = rd != 0 && rd != X_SINK;
  E.i64Const(<i64>d); E.i64Const(<i64>pc); E.i64Const(<i64>insnBits(code, d));
  E.localGet(L_RET); E.i32Const(<i32>k); E.i32Add();
  E.call(F_EXEC);
  E.localTee(L_ST);
  E.if_(BT_VOID);
  E.localGet(L_ST); E.i32Const(<i32>ATTN_EXCEPTION); E.i32And();
  E.if_(BT_VOID); emitExit(pc, k); E.end();
  if (xrd) { E.localGet(L_HART); E.i64Load(H_X + (rd << 3)); E.localSet(L_X0 + rd); }
  E.localGet(L_HART); E.i64Load(H_PC); E.localSet(L_NPC);
  emitRetire(k + 1);
  emitBrExit();
  E.end();
  if (xrd) { E.localGet(L_HART); E.i64Load(H_X + (rd << 3)); E.localSet(L_X0 + rd); }
  if (sysEndsBlock(op)) emitExit(pc + <u64>len, k + 1);
}
