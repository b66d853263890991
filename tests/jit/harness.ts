// Test harness for the wasm byte emitter (tests/jit/emitter.test.ts). Each build* function
// writes a complete wasm module into [buf, buf + cap) of the shared memory and returns its
// length (0 when the buffer overflowed or the emitter saw an error); the test validates,
// instantiates and calls the result. Every generated module imports the shared env.memory.
import * as E from "../../assembly/jit/emitter";
import * as M from "../../assembly/jit/module";
import { T_I32, T_I64, BT_I32, BT_I64 } from "../../assembly/jit/emitter";
import { sig, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_EXPORT, SEC_CODE } from "../../assembly/jit/module";

/** Emitter overflow flag after the last build/encode. */
export function overflowed(): bool { return E.emitOverflowed(); }
/** Emitter cursor after the last build/encode (bytes needed). */
export function lastPos(): u32 { return E.emitPos(); }
/** Emitter structural error after the last build/encode. */
export function lastError(): u32 { return E.emitError(); }

/** Encodes `v` as unsigned LEB128 at buf; returns the byte count. */
export function encU32(buf: usize, cap: u32, v: u32): u32 { E.emitBegin(buf, cap); E.uleb(v); return E.emitPos(); }
/** Encodes `v` as signed LEB128 (i32) at buf; returns the byte count. */
export function encI32(buf: usize, cap: u32, v: i32): u32 { E.emitBegin(buf, cap); E.sleb32(v); return E.emitPos(); }
/** Encodes `v` as signed LEB128 (i64) at buf; returns the byte count. */
export function encI64(buf: usize, cap: u32, v: i64): u32 { E.emitBegin(buf, cap); E.sleb64(v); return E.emitPos(); }
/** Encodes a padded 5-byte LEB128 slot patched with `v`. */
export function encPadded(buf: usize, cap: u32, v: u32): u32 {
  E.emitBegin(buf, cap); const at = E.reserveU32(); E.patchU32(at, v); return E.emitPos();
}

/** Shared preamble: type 0 is `sig`, imports env.memory (shared, 1..65536 pages). */
function memImport(): void {
  M.sectionBegin(SEC_IMPORT);
  M.importMemory("memory", 1, 65536, true);
  M.sectionEnd();
}

/** Module exporting add(i64, i64) -> i64. */
export function buildAdd(buf: usize, cap: u32): u32 {
  M.moduleBegin(buf, cap);
  M.sectionBegin(SEC_TYPE); const t = M.funcType(sig(T_I64, T_I64), sig(T_I64)); M.sectionEnd();
  memImport();
  M.sectionBegin(SEC_FUNCTION); const f = M.funcDecl(t); M.sectionEnd();
  M.sectionBegin(SEC_EXPORT); M.exportFunc("add", f); M.sectionEnd();
  M.sectionBegin(SEC_CODE);
  M.funcBegin(2); M.funcCode();
  E.localGet(0); E.localGet(1); E.i64Add();
  M.funcEnd();
  M.sectionEnd();
  return M.moduleEnd();
}

/** Module exporting sum(n: i32) -> i64 = 1 + 2 + ... + n, with loop/br_if and typed locals. */
export function buildSum(buf: usize, cap: u32): u32 {
  M.moduleBegin(buf, cap);
  M.sectionBegin(SEC_TYPE); const t = M.funcType(sig(T_I32), sig(T_I64)); M.sectionEnd();
  memImport();
  M.sectionBegin(SEC_FUNCTION); const f = M.funcDecl(t); M.sectionEnd();
  M.sectionBegin(SEC_EXPORT); M.exportFunc("sum", f); M.sectionEnd();
  M.sectionBegin(SEC_CODE);
  M.funcBegin(1);
  const i = M.local(T_I32); // counter
  const acc = M.local(T_I64);
  M.funcCode();
  // if n <= 0 return 0
  E.localGet(0); E.i32Const(0); E.i32LeS();
  E.if_(); E.i64Const(0); E.return_(); E.end();
  E.i32Const(1); E.localSet(i);
  const top = E.loop();
  E.localGet(acc); E.localGet(i); E.i64ExtendI32U(); E.i64Add(); E.localSet(acc);
  E.localGet(i); E.i32Const(1); E.i32Add(); E.localTee(i);
  E.localGet(0); E.i32LeS(); E.brIf(top);
  E.end();
  E.localGet(acc);
  M.funcEnd();
  M.sectionEnd();
  return M.moduleEnd();
}

/** Module exporting sw(i: i32) -> i32: cases 0,1,2 -> 10,20,30, anything else -> 99 (br_table). */
export function buildSwitch(buf: usize, cap: u32): u32 {
  M.moduleBegin(buf, cap);
  M.sectionBegin(SEC_TYPE); const t = M.funcType(sig(T_I32), sig(T_I32)); M.sectionEnd();
  memImport();
  M.sectionBegin(SEC_FUNCTION); const f = M.funcDecl(t); M.sectionEnd();
  M.sectionBegin(SEC_EXPORT); M.exportFunc("sw", f); M.sectionEnd();
  M.sectionBegin(SEC_CODE);
  M.funcBegin(1); M.funcCode();
  const bDef = E.block();
  const b2 = E.block();
  const b1 = E.block();
  const b0 = E.block();
  E.localGet(0);
  E.brTable(3); E.brTableTarget(b0); E.brTableTarget(b1); E.brTableTarget(b2); E.brTableDefault(bDef);
  E.end(); E.i32Const(10); E.return_(); // after b0
  E.end(); E.i32Const(20); E.return_(); // after b1
  E.end(); E.i32Const(30); E.br(E.LABEL_FUNC); // after b2: a branch to the body label returns
  E.end(); E.i32Const(99); // after default
  M.funcEnd();
  M.sectionEnd();
  return M.moduleEnd();
}

/**
 * Module with memory functions on the shared memory:
 *   mem(a: i32) -> i64: stores bytes at a..a+15 with store8/16/32/64 then sums sign/zero
 *     extending loads of them (see test for the expected value)
 *   copy(src: i32, dst: i32): i64.store dst (i64.load offset=8 src)
 */
export function buildMem(buf: usize, cap: u32): u32 {
  M.moduleBegin(buf, cap);
  M.sectionBegin(SEC_TYPE);
  const t1 = M.funcType(sig(T_I32), sig(T_I64));
  const t2 = M.funcType(sig(T_I32, T_I32), sig());
  M.sectionEnd();
  memImport();
  M.sectionBegin(SEC_FUNCTION); const f1 = M.funcDecl(t1); const f2 = M.funcDecl(t2); M.sectionEnd();
  M.sectionBegin(SEC_EXPORT); M.exportFunc("mem", f1); M.exportFunc("copy", f2); M.sectionEnd();
  M.sectionBegin(SEC_CODE);
  M.funcBegin(1); M.funcCode();
  E.localGet(0); E.i32Const(0x80); E.i32Store8(0); // a+0 = 0x80
  E.localGet(0); E.i32Const(0xfffe); E.i32Store16(2); // a+2 = 0xfffe
  E.localGet(0); E.i64Const(0xdeadbeef); E.i64Store32(4); // a+4 = 0xdeadbeef
  E.localGet(0); E.i64Const(0x0123456789abcdef); E.i64Store(8, 0); // a+8, unaligned hint
  E.localGet(0); E.i64Load8S(0); // -128
  E.localGet(0); E.i64Load8U(0); E.i64Add(); // +128 -> 0
  E.localGet(0); E.i64Load16S(2); E.i64Add(); // -2
  E.localGet(0); E.i32Load16U(2); E.i64ExtendI32U(); E.i64Add(); // +0xfffe
  E.localGet(0); E.i64Load32S(4); E.i64Add(); // + (0xdeadbeef as i32)
  E.localGet(0); E.i64Load32U(4); E.i64Add(); // + 0xdeadbeef
  E.localGet(0); E.i32Load8S(8); E.i64ExtendI32S(); E.i64Add(); // + (0xef as i8) = -17
  E.localGet(0); E.i64Load(8); E.i64Add(); // + 0x0123456789abcdef
  M.funcEnd();
  M.funcBegin(2); M.funcCode();
  E.localGet(1); E.localGet(0); E.i64Load(8); E.i64Store();
  M.funcEnd();
  M.sectionEnd();
  return M.moduleEnd();
}

/** Module importing env.cb(i32) -> i32 and exporting g(x) = cb(x * 2) + 1. */
export function buildCall(buf: usize, cap: u32): u32 {
  M.moduleBegin(buf, cap);
  M.sectionBegin(SEC_TYPE); const t = M.funcType(sig(T_I32), sig(T_I32)); M.sectionEnd();
  M.sectionBegin(SEC_IMPORT);
  const cb = M.importFunc("cb", t);
  M.importMemory("memory", 1, 65536, true);
  M.sectionEnd();
  M.sectionBegin(SEC_FUNCTION); const g = M.funcDecl(t); M.sectionEnd();
  M.sectionBegin(SEC_EXPORT); M.exportFunc("g", g); M.sectionEnd();
  M.sectionBegin(SEC_CODE);
  M.funcBegin(1); M.funcCode();
  E.localGet(0); E.i32Const(2); E.i32Mul(); E.call(cb); E.i32Const(1); E.i32Add();
  M.funcEnd();
  M.sectionEnd();
  return M.moduleEnd();
}

/**
 * Module with if/else with a result, typed locals in several groups, select, and calls
 * through an imported table:
 *   pick(a: i64, b: i64, k: i32) -> i64: k==0 ? max_s(a,b) : k==1 ? a - b : a ^ b
 *   sel(a: i64, b: i64, k: i32) -> i64: select(a, b, k)
 *   ind(a: i64, b: i64, k: i32) -> i64: call_indirect table[k] (a, b) : (i64,i64)->i64
 */
export function buildIfElse(buf: usize, cap: u32): u32 {
  M.moduleBegin(buf, cap);
  M.sectionBegin(SEC_TYPE);
  const t = M.funcType(sig(T_I64, T_I64, T_I32), sig(T_I64));
  const t2 = M.funcType(sig(T_I64, T_I64), sig(T_I64));
  M.sectionEnd();
  M.sectionBegin(SEC_IMPORT);
  M.importMemory("memory", 1, 65536, true);
  M.importTable("table", 1);
  M.sectionEnd();
  M.sectionBegin(SEC_FUNCTION);
  const fp = M.funcDecl(t); const fs = M.funcDecl(t); const fi = M.funcDecl(t);
  M.sectionEnd();
  M.sectionBegin(SEC_EXPORT);
  M.exportFunc("pick", fp); M.exportFunc("sel", fs); M.exportFunc("ind", fi);
  M.sectionEnd();
  M.sectionBegin(SEC_CODE);
  // pick
  M.funcBegin(3);
  const x = M.local(T_I64, 2); // x, x+1 (one group)
  const flag = M.local(T_I32); // second group
  const r = M.local(T_I64); // third group
  M.funcCode();
  E.localGet(0); E.localSet(x); E.localGet(1); E.localSet(x + 1);
  E.localGet(2); E.i32Eqz(); E.localSet(flag);
  E.localGet(flag);
  E.if_(BT_I64);
  E.localGet(x); E.localGet(x + 1); E.i64GtS();
  E.if_(BT_I64); E.localGet(x); E.else_(); E.localGet(x + 1); E.end();
  E.else_();
  E.localGet(2); E.i32Const(1); E.i32Eq();
  E.if_(BT_I64); E.localGet(x); E.localGet(x + 1); E.i64Sub();
  E.else_(); E.localGet(x); E.localGet(x + 1); E.i64Xor(); E.end();
  E.end();
  E.localTee(r);
  M.funcEnd();
  // sel
  M.funcBegin(3); M.funcCode();
  E.localGet(0); E.localGet(1); E.localGet(2); E.select_();
  M.funcEnd();
  // ind
  M.funcBegin(3); M.funcCode();
  E.localGet(0); E.localGet(1); E.localGet(2); E.callIndirect(t2, 0);
  M.funcEnd();
  M.sectionEnd();
  return M.moduleEnd();
}

/**
 * Module of small ALU functions (i64 -> i64 unless noted), each a single expression:
 *   rotl(a,b) clz(a) ctz(a) ext8(a) ext16(a) ext32(a) shrs(a,b) shru(a,b) divu(a,b) rems(a,b)
 *   wrapadd(a,b): i64.extend_i32_s(i32.wrap(a) + i32.wrap(b))   (RV64 addw)
 *   ltu(a,b): i64.extend_i32_u(i64.lt_u(a, b))                  (RV sltu)
 */
export function buildAlu(buf: usize, cap: u32): u32 {
  M.moduleBegin(buf, cap);
  M.sectionBegin(SEC_TYPE);
  const t1 = M.funcType(sig(T_I64), sig(T_I64));
  const t2 = M.funcType(sig(T_I64, T_I64), sig(T_I64));
  M.sectionEnd();
  memImport();
  M.sectionBegin(SEC_FUNCTION);
  for (let k = 0; k < 12; k++) M.funcDecl(k >= 1 && k <= 5 ? t1 : t2);
  M.sectionEnd();
  M.sectionBegin(SEC_EXPORT);
  M.exportFunc("rotl", 0); M.exportFunc("clz", 1); M.exportFunc("ctz", 2);
  M.exportFunc("ext8", 3); M.exportFunc("ext16", 4); M.exportFunc("ext32", 5);
  M.exportFunc("shrs", 6); M.exportFunc("shru", 7); M.exportFunc("divu", 8);
  M.exportFunc("rems", 9); M.exportFunc("wrapadd", 10); M.exportFunc("ltu", 11);
  M.sectionEnd();
  M.sectionBegin(SEC_CODE);
  M.funcBegin(2); M.funcCode(); E.localGet(0); E.localGet(1); E.i64Rotl(); M.funcEnd();
  M.funcBegin(1); M.funcCode(); E.localGet(0); E.i64Clz(); M.funcEnd();
  M.funcBegin(1); M.funcCode(); E.localGet(0); E.i64Ctz(); M.funcEnd();
  M.funcBegin(1); M.funcCode(); E.localGet(0); E.i64Extend8S(); M.funcEnd();
  M.funcBegin(1); M.funcCode(); E.localGet(0); E.i64Extend16S(); M.funcEnd();
  M.funcBegin(1); M.funcCode(); E.localGet(0); E.i64Extend32S(); M.funcEnd();
  M.funcBegin(2); M.funcCode(); E.localGet(0); E.localGet(1); E.i64ShrS(); M.funcEnd();
  M.funcBegin(2); M.funcCode(); E.localGet(0); E.localGet(1); E.i64ShrU(); M.funcEnd();
  M.funcBegin(2); M.funcCode(); E.localGet(0); E.localGet(1); E.i64DivU(); M.funcEnd();
  M.funcBegin(2); M.funcCode(); E.localGet(0); E.localGet(1); E.i64RemS(); M.funcEnd();
  M.funcBegin(2); M.funcCode();
  E.localGet(0); E.i32WrapI64(); E.localGet(1); E.i32WrapI64(); E.i32Add(); E.i64ExtendI32S();
  M.funcEnd();
  M.funcBegin(2); M.funcCode();
  E.localGet(0); E.localGet(1); E.i64LtU(); E.i64ExtendI32U();
  M.funcEnd();
  M.sectionEnd();
  return M.moduleEnd();
}

/** Emits a body with an unclosed block (structural error case); returns moduleEnd(). */
export function buildUnclosed(buf: usize, cap: u32): u32 {
  M.moduleBegin(buf, cap);
  M.sectionBegin(SEC_TYPE); const t = M.funcType(sig(), sig()); M.sectionEnd();
  M.sectionBegin(SEC_FUNCTION); M.funcDecl(t); M.sectionEnd();
  M.sectionBegin(SEC_CODE);
  M.funcBegin(0); M.funcCode(); E.block(BT_I32); E.i32Const(1); M.funcEnd();
  M.sectionEnd();
  return M.moduleEnd();
}
