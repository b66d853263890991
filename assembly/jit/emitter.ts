// WebAssembly byte emitter: layer 1 of the dynamic binary translator (DESIGN.md §3).
//
// The translator runs inside the core and writes a complete wasm module into a caller-provided
// region of linear memory; the host turns those bytes into a `WebAssembly.Module`. Everything
// here is module-level state and plain functions (no allocation, no classes on the hot path):
//
//   emitBegin(buf, cap)   select the output region [buf, buf + cap)
//   put / uleb / sleb32 / sleb64   raw bytes and LEB128 numbers (spec §5.2.2 "Integers")
//   i64Add(), brIf(l)...  one function per instruction (spec §5.4 "Instructions")
//   block()/loop()/if_()  structured control with a depth tracker: they return a *label*, and
//                         br/brIf/brTable take labels and compute the relative depth themselves
//
// Overflow: the cursor keeps counting past the end of the region, but nothing is ever stored at
// or beyond `buf + cap`; `emitOverflowed()` then reports true and `emitPos()` the size that would
// have been needed, so the caller can retry with a bigger buffer.
//
// Module framing (sections, imports, function bodies, typed locals) lives in module.ts.
//
// Naming: instructions whose wasm name is an AssemblyScript keyword or builtin get a trailing
// underscore (if_, else_, return_, select_, unreachable_, nop_) so that importing this file never
// shadows a builtin.

// ---- value and block types (spec §5.3.1 "Number Types", §5.4.1 "Control Instructions") ----

/** Value type byte for i32. */
export const T_I32: u8 = 0x7f;
/** Value type byte for i64. */
export const T_I64: u8 = 0x7e;
/** Value type byte for f32. */
export const T_F32: u8 = 0x7d;
/** Value type byte for f64. */
export const T_F64: u8 = 0x7c;
/** Block type: no result (the empty block type 0x40). */
export const BT_VOID: i32 = 0x40;
/** Block type: one i32 result. */
export const BT_I32: i32 = 0x7f;
/** Block type: one i64 result. */
export const BT_I64: i32 = 0x7e;
/** Block type: one f32 result. */
export const BT_F32: i32 = 0x7d;
/** Block type: one f64 result. */
export const BT_F64: i32 = 0x7c;

/** Block type that refers to function type `typeIdx` (multi-value blocks, encoded as s33). */
export function btType(typeIdx: u32): i32 {
  return -1 - <i32>typeIdx;
}

/** Maximum nesting of structured control instructions inside one function body. */
export const MAX_CTL_DEPTH: u32 = 1024;

// ---- emitter state ----

let emBase: usize = 0; // start of the output region
let emCap: u32 = 0; // capacity in bytes
let emPosV: u32 = 0; // cursor (may exceed emCap after an overflow; nothing is stored there)
let emOver: bool = false; // a write was refused because the region was full
let emErr: u32 = 0; // first structural error (EMIT_ERR_*), 0 when none
let ctlDepth: u32 = 0; // open structured blocks in the current function body

/** No structural error. */
export const EMIT_OK: u32 = 0;
/** `end`/`else` without a matching open block, or a label that is not open. */
export const EMIT_ERR_CONTROL: u32 = 1;
/** A function body ended with blocks still open. */
export const EMIT_ERR_UNCLOSED: u32 = 2;
/** A name contained a non-ASCII character (only ASCII names are supported). */
export const EMIT_ERR_NAME: u32 = 3;
/** Locals declared after the function's code had started, or too many local groups. */
export const EMIT_ERR_LOCALS: u32 = 4;
/** A section or function body was opened while another was still open, or closed twice. */
export const EMIT_ERR_NESTING: u32 = 5;

/** Selects the output region [buf, buf + cap) and resets cursor, flags and control depth. */
export function emitBegin(buf: usize, cap: u32): void {
  emBase = buf;
  emCap = cap;
  emPosV = 0;
  emOver = false;
  emErr = 0;
  ctlDepth = 0;
}

/** Current cursor: bytes emitted so far (or needed so far, after an overflow). */
export function emitPos(): u32 {
  return emPosV;
}

/** Start address of the output region. */
export function emitBase(): usize {
  return emBase;
}

/** True when some write did not fit in the region (the output is then unusable). */
export function emitOverflowed(): bool {
  return emOver;
}

/** First structural error recorded (EMIT_ERR_*), or EMIT_OK. */
export function emitError(): u32 {
  return emErr;
}

/** Records a structural error (the first one wins). Used by module.ts. */
export function emitFail(code: u32): void {
  if (emErr == 0) emErr = code;
}

/** Number of structured blocks currently open in the function body. */
export function emitDepth(): u32 {
  return ctlDepth;
}

/** Resets the control-depth tracker (module.ts calls this at the start of each body). */
export function emitResetDepth(): void {
  ctlDepth = 0;
}

// ---- raw bytes and LEB128 (spec §5.2.2) ----

/** Emits one raw byte (low 8 bits of `b`); refuses and flags overflow when the region is full. */
// @ts-ignore: decorator
@inline export function put(b: u32): void {
  const p = emPosV;
  if (p < emCap) store<u8>(emBase + <usize>p, <u8>b);
  else emOver = true;
  emPosV = p + 1;
}

/** Emits two raw bytes (e.g. a prefixed opcode). */
export function put2(a: u32, b: u32): void {
  put(a);
  put(b);
}

/** Emits `len` raw bytes copied from linear memory at `src`. */
export function putBytes(src: usize, len: u32): void {
  const p = emPosV;
  if (<u64>p + <u64>len <= <u64>emCap) memory.copy(emBase + <usize>p, src, len);
  else emOver = true;
  emPosV = p + len;
}

/** Emits `v` as unsigned LEB128 (u32: 1..5 bytes). */
export function uleb(v: u32): void {
  do {
    let b = v & 0x7f;
    v >>= 7;
    if (v != 0) b |= 0x80;
    put(b);
  } while (v != 0);
}

/** Emits `v` as signed LEB128 (i32: 1..5 bytes). */
export function sleb32(v: i32): void {
  while (true) {
    const b = v & 0x7f;
    v >>= 7; // arithmetic shift keeps the sign
    if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
      put(b);
      return;
    }
    put(b | 0x80);
  }
}

/** Emits `v` as signed LEB128 (i64: 1..10 bytes). Also used for s33 block types. */
export function sleb64(v: i64): void {
  while (true) {
    const b = <u32>(v & 0x7f);
    v >>= 7;
    if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
      put(b);
      return;
    }
    put(b | 0x80);
  }
}

/**
 * Reserves a 5-byte padded unsigned LEB128 slot and returns its position for `patchU32`.
 * The spec allows non-minimal encodings up to ceil(32/7) = 5 bytes, which is what lets sizes
 * and counts be backpatched after the content is emitted.
 */
export function reserveU32(): u32 {
  const at = emPosV;
  put(0x80);
  put(0x80);
  put(0x80);
  put(0x80);
  put(0x00);
  return at;
}

/** Writes `v` as a 5-byte padded LEB128 at a position returned by `reserveU32`. */
export function patchU32(at: u32, v: u32): void {
  if (<u64>at + 5 > <u64>emCap) return; // the reservation itself overflowed; already flagged
  const p = emBase + <usize>at;
  store<u8>(p, (v & 0x7f) | 0x80);
  store<u8>(p + 1, ((v >> 7) & 0x7f) | 0x80);
  store<u8>(p + 2, ((v >> 14) & 0x7f) | 0x80);
  store<u8>(p + 3, ((v >> 21) & 0x7f) | 0x80);
  store<u8>(p + 4, (v >> 28) & 0x0f);
}

/** Emits a name (spec §5.2.4): byte length then UTF-8 bytes. Only ASCII names are accepted. */
export function name(s: string): void {
  const n = s.length;
  uleb(<u32>n);
  for (let i = 0; i < n; i++) {
    const c = <u32>s.charCodeAt(i);
    if (c >= 0x80) emitFail(EMIT_ERR_NAME);
    put(c & 0x7f);
  }
}

/** Emits a value type byte (T_I32, T_I64, T_F32, T_F64). */
export function valType(t: u8): void {
  put(t);
}

// ---- structured control (spec §5.4.1) ----
//
// Labels: opening a block/loop/if returns its label, which is the control depth *inside* it
// (1 for the outermost block of a body; 0 names the function body itself, so `br(0)` returns).
// A branch to label L from depth D has relative depth D - L.

/** Emits a block type: BT_* byte or btType(idx) (s33 type index). */
function blockType(bt: i32): void {
  if (bt < 0) sleb64(<i64>(-1 - bt));
  else put(<u32>bt);
}

/** Relative branch depth for `label` from the current depth (flags an error if not open). */
// @ts-ignore: decorator
@inline function rel(label: u32): u32 {
  if (label > ctlDepth) {
    emitFail(EMIT_ERR_CONTROL);
    return 0;
  }
  return ctlDepth - label;
}

/** Label of the function body itself: a branch to it leaves the function. */
export const LABEL_FUNC: u32 = 0;

/** `block bt` (0x02); returns its label (branching to it jumps past its `end`). */
export function block(bt: i32 = BT_VOID): u32 {
  put(0x02);
  blockType(bt);
  return ++ctlDepth;
}

/** `loop bt` (0x03); returns its label (branching to it jumps back to the loop start). */
export function loop(bt: i32 = BT_VOID): u32 {
  put(0x03);
  blockType(bt);
  return ++ctlDepth;
}

/** `if bt` (0x04); pops an i32 condition; returns its label. */
export function if_(bt: i32 = BT_VOID): u32 {
  put(0x04);
  blockType(bt);
  return ++ctlDepth;
}

/** `else` (0x05): switches the innermost `if` to its else arm (depth unchanged). */
export function else_(): void {
  if (ctlDepth == 0) emitFail(EMIT_ERR_CONTROL);
  put(0x05);
}

/** `end` (0x0B) of the innermost block/loop/if. Function bodies end with module.ts funcEnd(). */
export function end(): void {
  if (ctlDepth == 0) emitFail(EMIT_ERR_CONTROL);
  else ctlDepth--;
  put(0x0b);
}

/** `br` (0x0C) to `label` (a value returned by block/loop/if_, or LABEL_FUNC). */
export function br(label: u32): void {
  put(0x0c);
  uleb(rel(label));
}

/** `br_if` (0x0D): pops an i32 and branches to `label` when it is non-zero. */
export function brIf(label: u32): void {
  put(0x0d);
  uleb(rel(label));
}

/** Starts `br_table` (0x0E) with `count` targets; follow with `count` brTableTarget + brTableDefault. */
export function brTable(count: u32): void {
  put(0x0e);
  uleb(count);
}

/** One target of the `br_table` being emitted, by label. */
export function brTableTarget(label: u32): void {
  uleb(rel(label));
}

/** Default target of the `br_table` being emitted, by label (ends the instruction). */
export function brTableDefault(label: u32): void {
  uleb(rel(label));
}

/** Relative depth of `label` from here, for callers that emit raw branch immediates. */
export function labelDepth(label: u32): u32 {
  return rel(label);
}

/** `return` (0x0F). */
export function return_(): void { put(0x0f); }
/** `call funcidx` (0x10). */
export function call(funcIdx: u32): void { put(0x10); uleb(funcIdx); }
/** `return_call` (0x12, tail-call proposal): calls `funcIdx` in place of the current frame. */
export function returnCall(funcIdx: u32): void { put(0x12); uleb(funcIdx); }
/** `return_call_indirect typeidx tableidx` (0x13, tail-call proposal). */
export function returnCallIndirect(typeIdx: u32, tableIdx: u32 = 0): void { put(0x13); uleb(typeIdx); uleb(tableIdx); }
/** `call_indirect typeidx tableidx` (0x11). */
export function callIndirect(typeIdx: u32, tableIdx: u32 = 0): void { put(0x11); uleb(typeIdx); uleb(tableIdx); }
/** `unreachable` (0x00): traps. */
export function unreachable_(): void { put(0x00); }
/** `nop` (0x01). */
export function nop_(): void { put(0x01); }

// ---- parametric (spec §5.4.2) ----

/** `drop` (0x1A). */
export function drop(): void { put(0x1a); }
/** `select` (0x1B): pops c, b, a and pushes c != 0 ? a : b (numeric operands). */
export function select_(): void { put(0x1b); }
/** Typed `select t` (0x1C 0x01 t). */
export function selectT(t: u8): void { put(0x1c); put(1); put(t); }

// ---- variables (spec §5.4.4) ----

/** `local.get idx` (0x20). */
export function localGet(idx: u32): void { put(0x20); uleb(idx); }
/** `local.set idx` (0x21). */
export function localSet(idx: u32): void { put(0x21); uleb(idx); }
/** `local.tee idx` (0x22). */
export function localTee(idx: u32): void { put(0x22); uleb(idx); }
/** `global.get idx` (0x23). */
export function globalGet(idx: u32): void { put(0x23); uleb(idx); }
/** `global.set idx` (0x24). */
export function globalSet(idx: u32): void { put(0x24); uleb(idx); }

// ---- memory (spec §5.4.6): memarg = align (log2 bytes) then offset, memory 0 ----

// @ts-ignore: decorator
@inline function mem(op: u32, align: u32, offset: u32): void {
  put(op);
  uleb(align);
  uleb(offset);
}

/** `i32.load` (0x28); align is log2 of the alignment hint (default natural). */
export function i32Load(offset: u32 = 0, align: u32 = 2): void { mem(0x28, align, offset); }
/** `i64.load` (0x29). */
export function i64Load(offset: u32 = 0, align: u32 = 3): void { mem(0x29, align, offset); }
/** `f32.load` (0x2A). */
export function f32Load(offset: u32 = 0, align: u32 = 2): void { mem(0x2a, align, offset); }
/** `f64.load` (0x2B). */
export function f64Load(offset: u32 = 0, align: u32 = 3): void { mem(0x2b, align, offset); }
/** `i32.load8_s` (0x2C). */
export function i32Load8S(offset: u32 = 0, align: u32 = 0): void { mem(0x2c, align, offset); }
/** `i32.load8_u` (0x2D). */
export function i32Load8U(offset: u32 = 0, align: u32 = 0): void { mem(0x2d, align, offset); }
/** `i32.load16_s` (0x2E). */
export function i32Load16S(offset: u32 = 0, align: u32 = 1): void { mem(0x2e, align, offset); }
/** `i32.load16_u` (0x2F). */
export function i32Load16U(offset: u32 = 0, align: u32 = 1): void { mem(0x2f, align, offset); }
/** `i64.load8_s` (0x30). */
export function i64Load8S(offset: u32 = 0, align: u32 = 0): void { mem(0x30, align, offset); }
/** `i64.load8_u` (0x31). */
export function i64Load8U(offset: u32 = 0, align: u32 = 0): void { mem(0x31, align, offset); }
/** `i64.load16_s` (0x32). */
export function i64Load16S(offset: u32 = 0, align: u32 = 1): void { mem(0x32, align, offset); }
/** `i64.load16_u` (0x33). */
export function i64Load16U(offset: u32 = 0, align: u32 = 1): void { mem(0x33, align, offset); }
/** `i64.load32_s` (0x34). */
export function i64Load32S(offset: u32 = 0, align: u32 = 2): void { mem(0x34, align, offset); }
/** `i64.load32_u` (0x35). */
export function i64Load32U(offset: u32 = 0, align: u32 = 2): void { mem(0x35, align, offset); }
/** `i32.store` (0x36). */
export function i32Store(offset: u32 = 0, align: u32 = 2): void { mem(0x36, align, offset); }
/** `i64.store` (0x37). */
export function i64Store(offset: u32 = 0, align: u32 = 3): void { mem(0x37, align, offset); }
/** `f32.store` (0x38). */
export function f32Store(offset: u32 = 0, align: u32 = 2): void { mem(0x38, align, offset); }
/** `f64.store` (0x39). */
export function f64Store(offset: u32 = 0, align: u32 = 3): void { mem(0x39, align, offset); }
/** `i32.store8` (0x3A). */
export function i32Store8(offset: u32 = 0, align: u32 = 0): void { mem(0x3a, align, offset); }
/** `i32.store16` (0x3B). */
export function i32Store16(offset: u32 = 0, align: u32 = 1): void { mem(0x3b, align, offset); }
/** `i64.store8` (0x3C). */
export function i64Store8(offset: u32 = 0, align: u32 = 0): void { mem(0x3c, align, offset); }
/** `i64.store16` (0x3D). */
export function i64Store16(offset: u32 = 0, align: u32 = 1): void { mem(0x3d, align, offset); }
/** `i64.store32` (0x3E). */
export function i64Store32(offset: u32 = 0, align: u32 = 2): void { mem(0x3e, align, offset); }
/** `memory.size` (0x3F 0x00). */
export function memorySize(): void { put2(0x3f, 0); }
/** `memory.grow` (0x40 0x00). */
export function memoryGrow(): void { put2(0x40, 0); }

// ---- constants (spec §5.4.7) ----

/** `i32.const v` (0x41, signed LEB128). */
export function i32Const(v: i32): void { put(0x41); sleb32(v); }
/** `i64.const v` (0x42, signed LEB128). */
export function i64Const(v: i64): void { put(0x42); sleb64(v); }
/** `f32.const` (0x43) from raw IEEE-754 bits, little-endian. */
export function f32ConstBits(bits: u32): void {
  put(0x43);
  for (let i: u32 = 0; i < 32; i += 8) put(bits >> i);
}
/** `f64.const` (0x44) from raw IEEE-754 bits, little-endian. */
export function f64ConstBits(bits: u64): void {
  put(0x44);
  for (let i: u64 = 0; i < 64; i += 8) put(<u32>(bits >> i));
}

// ---- i32 numeric (0x45..0x4F tests/comparisons, 0x67..0x78 arithmetic) ----

/** `i32.eqz` (0x45). */ export function i32Eqz(): void { put(0x45); }
/** `i32.eq` (0x46). */ export function i32Eq(): void { put(0x46); }
/** `i32.ne` (0x47). */ export function i32Ne(): void { put(0x47); }
/** `i32.lt_s` (0x48). */ export function i32LtS(): void { put(0x48); }
/** `i32.lt_u` (0x49). */ export function i32LtU(): void { put(0x49); }
/** `i32.gt_s` (0x4A). */ export function i32GtS(): void { put(0x4a); }
/** `i32.gt_u` (0x4B). */ export function i32GtU(): void { put(0x4b); }
/** `i32.le_s` (0x4C). */ export function i32LeS(): void { put(0x4c); }
/** `i32.le_u` (0x4D). */ export function i32LeU(): void { put(0x4d); }
/** `i32.ge_s` (0x4E). */ export function i32GeS(): void { put(0x4e); }
/** `i32.ge_u` (0x4F). */ export function i32GeU(): void { put(0x4f); }
/** `i32.clz` (0x67). */ export function i32Clz(): void { put(0x67); }
/** `i32.ctz` (0x68). */ export function i32Ctz(): void { put(0x68); }
/** `i32.popcnt` (0x69). */ export function i32Popcnt(): void { put(0x69); }
/** `i32.add` (0x6A). */ export function i32Add(): void { put(0x6a); }
/** `i32.sub` (0x6B). */ export function i32Sub(): void { put(0x6b); }
/** `i32.mul` (0x6C). */ export function i32Mul(): void { put(0x6c); }
/** `i32.div_s` (0x6D). */ export function i32DivS(): void { put(0x6d); }
/** `i32.div_u` (0x6E). */ export function i32DivU(): void { put(0x6e); }
/** `i32.rem_s` (0x6F). */ export function i32RemS(): void { put(0x6f); }
/** `i32.rem_u` (0x70). */ export function i32RemU(): void { put(0x70); }
/** `i32.and` (0x71). */ export function i32And(): void { put(0x71); }
/** `i32.or` (0x72). */ export function i32Or(): void { put(0x72); }
/** `i32.xor` (0x73). */ export function i32Xor(): void { put(0x73); }
/** `i32.shl` (0x74). */ export function i32Shl(): void { put(0x74); }
/** `i32.shr_s` (0x75). */ export function i32ShrS(): void { put(0x75); }
/** `i32.shr_u` (0x76). */ export function i32ShrU(): void { put(0x76); }
/** `i32.rotl` (0x77). */ export function i32Rotl(): void { put(0x77); }
/** `i32.rotr` (0x78). */ export function i32Rotr(): void { put(0x78); }

// ---- i64 numeric (0x50..0x5A tests/comparisons, 0x79..0x8A arithmetic) ----

/** `i64.eqz` (0x50). */ export function i64Eqz(): void { put(0x50); }
/** `i64.eq` (0x51). */ export function i64Eq(): void { put(0x51); }
/** `i64.ne` (0x52). */ export function i64Ne(): void { put(0x52); }
/** `i64.lt_s` (0x53). */ export function i64LtS(): void { put(0x53); }
/** `i64.lt_u` (0x54). */ export function i64LtU(): void { put(0x54); }
/** `i64.gt_s` (0x55). */ export function i64GtS(): void { put(0x55); }
/** `i64.gt_u` (0x56). */ export function i64GtU(): void { put(0x56); }
/** `i64.le_s` (0x57). */ export function i64LeS(): void { put(0x57); }
/** `i64.le_u` (0x58). */ export function i64LeU(): void { put(0x58); }
/** `i64.ge_s` (0x59). */ export function i64GeS(): void { put(0x59); }
/** `i64.ge_u` (0x5A). */ export function i64GeU(): void { put(0x5a); }
/** `i64.clz` (0x79). */ export function i64Clz(): void { put(0x79); }
/** `i64.ctz` (0x7A). */ export function i64Ctz(): void { put(0x7a); }
/** `i64.popcnt` (0x7B). */ export function i64Popcnt(): void { put(0x7b); }
/** `i64.add` (0x7C). */ export function i64Add(): void { put(0x7c); }
/** `i64.sub` (0x7D). */ export function i64Sub(): void { put(0x7d); }
/** `i64.mul` (0x7E). */ export function i64Mul(): void { put(0x7e); }
/** `i64.div_s` (0x7F). */ export function i64DivS(): void { put(0x7f); }
/** `i64.div_u` (0x80). */ export function i64DivU(): void { put(0x80); }
/** `i64.rem_s` (0x81). */ export function i64RemS(): void { put(0x81); }
/** `i64.rem_u` (0x82). */ export function i64RemU(): void { put(0x82); }
/** `i64.and` (0x83). */ export function i64And(): void { put(0x83); }
/** `i64.or` (0x84). */ export function i64Or(): void { put(0x84); }
/** `i64.xor` (0x85). */ export function i64Xor(): void { put(0x85); }
/** `i64.shl` (0x86). */ export function i64Shl(): void { put(0x86); }
/** `i64.shr_s` (0x87). */ export function i64ShrS(): void { put(0x87); }
/** `i64.shr_u` (0x88). */ export function i64ShrU(): void { put(0x88); }
/** `i64.rotl` (0x89). */ export function i64Rotl(): void { put(0x89); }
/** `i64.rotr` (0x8A). */ export function i64Rotr(): void { put(0x8a); }

// ---- conversions (0xA7..0xC4) ----

/** `i32.wrap_i64` (0xA7). */ export function i32WrapI64(): void { put(0xa7); }
/** `i64.extend_i32_s` (0xAC). */ export function i64ExtendI32S(): void { put(0xac); }
/** `i64.extend_i32_u` (0xAD). */ export function i64ExtendI32U(): void { put(0xad); }
/** `i32.reinterpret_f32` (0xBC). */ export function i32ReinterpretF32(): void { put(0xbc); }
/** `i64.reinterpret_f64` (0xBD). */ export function i64ReinterpretF64(): void { put(0xbd); }
/** `f32.reinterpret_i32` (0xBE). */ export function f32ReinterpretI32(): void { put(0xbe); }
/** `f64.reinterpret_i64` (0xBF). */ export function f64ReinterpretI64(): void { put(0xbf); }
/** `i32.extend8_s` (0xC0, sign-extension operators). */ export function i32Extend8S(): void { put(0xc0); }
/** `i32.extend16_s` (0xC1). */ export function i32Extend16S(): void { put(0xc1); }
/** `i64.extend8_s` (0xC2). */ export function i64Extend8S(): void { put(0xc2); }
/** `i64.extend16_s` (0xC3). */ export function i64Extend16S(): void { put(0xc3); }
/** `i64.extend32_s` (0xC4). */ export function i64Extend32S(): void { put(0xc4); }

// ---- atomics (threads proposal, prefix 0xFE): the memory is shared ----

/** `atomic.fence` (0xFE 0x03 0x00). */
export function atomicFence(): void { put(0xfe); put(0x03); put(0x00); }
