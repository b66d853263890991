// Whole-module assembly on top of the byte emitter (emitter.ts), in one pass.
//
// A module (spec §5.5 "Modules") is the magic/version preamble followed by sections in id order.
// Each section and each function body is preceded by its byte size, and each vector by its
// element count; neither is known until the content is written, so both are reserved as 5-byte
// padded LEB128 slots (emitter.ts reserveU32) and backpatched when the section/body closes.
// Items are counted automatically, so a module is written strictly front to back:
//
//   moduleBegin(buf, cap)
//   sectionBegin(SEC_TYPE);     const t = funcType(sig(T_I64, T_I64), sig(T_I64)); sectionEnd();
//   sectionBegin(SEC_IMPORT);   importMemory("memory", 1, 65536, true); sectionEnd();
//   sectionBegin(SEC_FUNCTION); const f = funcDecl(t); sectionEnd();
//   sectionBegin(SEC_EXPORT);   exportFunc("add", f); sectionEnd();
//   sectionBegin(SEC_CODE);     funcBegin(2); funcCode(); localGet(0) ... funcEnd(); sectionEnd();
//   const len = moduleEnd();    // 0 when the buffer overflowed or the emitter saw an error
//
// Index spaces (spec §2.5.1): imported functions come first in the function index space, so
// importFunc and funcDecl return the index each function will have.

import {
  emitBegin, emitPos, emitOverflowed, emitError, emitFail, emitResetDepth, emitDepth,
  put, uleb, name, reserveU32, patchU32, valType,
  EMIT_ERR_UNCLOSED, EMIT_ERR_LOCALS, EMIT_ERR_NESTING,
} from "./emitter";

// ---- section ids (spec §5.5.2) ----

/** Custom section id. */
export const SEC_CUSTOM: u32 = 0;
/** Type section id: function signatures. */
export const SEC_TYPE: u32 = 1;
/** Import section id. */
export const SEC_IMPORT: u32 = 2;
/** Function section id: type index of each defined function. */
export const SEC_FUNCTION: u32 = 3;
/** Table section id. */
export const SEC_TABLE: u32 = 4;
/** Memory section id. */
export const SEC_MEMORY: u32 = 5;
/** Global section id. */
export const SEC_GLOBAL: u32 = 6;
/** Export section id. */
export const SEC_EXPORT: u32 = 7;
/** Start section id. */
export const SEC_START: u32 = 8;
/** Element section id. */
export const SEC_ELEMENT: u32 = 9;
/** Code section id: function bodies. */
export const SEC_CODE: u32 = 10;
/** Data section id. */
export const SEC_DATA: u32 = 11;

/** Maximum number of local declaration groups per function body. */
export const MAX_LOCAL_GROUPS: u32 = 64;

// ---- module state ----

const NONE: u32 = 0xffff_ffff;
let secSizeAt: u32 = NONE; // reserved size slot of the open section
let secCountAt: u32 = NONE; // reserved count slot of the open section
let secItems: u32 = 0; // items written into the open section
let lastSec: u32 = 0; // id of the last closed non-custom section (ordering check)
let numTypes: u32 = 0;
let numFuncImports: u32 = 0;
let numGlobalImports: u32 = 0;
let numFuncs: u32 = 0; // defined functions declared in the function section

let bodySizeAt: u32 = NONE; // reserved size slot of the open function body
let bodyParams: u32 = 0;
let bodyLocals: u32 = 0; // declared locals (excluding params)
let bodyGroups: u32 = 0;
let bodyInCode: bool = false; // funcCode() was called: no more locals
const groupType = new StaticArray<u8>(<i32>MAX_LOCAL_GROUPS);
const groupCount = new StaticArray<u32>(<i32>MAX_LOCAL_GROUPS);

/** Starts a module in [buf, buf + cap): resets all state and writes the preamble (spec §5.5.16). */
export function moduleBegin(buf: usize, cap: u32): void {
  emitBegin(buf, cap);
  secSizeAt = NONE;
  secCountAt = NONE;
  secItems = 0;
  lastSec = 0;
  numTypes = 0;
  numFuncImports = 0;
  numGlobalImports = 0;
  numFuncs = 0;
  bodySizeAt = NONE;
  // magic "\0asm", version 1
  put(0x00); put(0x61); put(0x73); put(0x6d);
  put(0x01); put(0x00); put(0x00); put(0x00);
}

/**
 * Finishes the module: returns its length in bytes, or 0 when it is unusable (the buffer
 * overflowed, a section or body is still open, or the emitter recorded an error).
 */
export function moduleEnd(): u32 {
  if (secSizeAt != NONE || bodySizeAt != NONE) emitFail(EMIT_ERR_NESTING);
  if (emitOverflowed() || emitError() != 0) return 0;
  return emitPos();
}

/**
 * Opens a section with id `id` (SEC_*). Size and item count are reserved and backpatched by
 * sectionEnd; items written with the helpers below are counted. Non-custom sections must come
 * in increasing id order (spec §5.5.2).
 */
export function sectionBegin(id: u32): void {
  if (secSizeAt != NONE || (id != SEC_CUSTOM && id <= lastSec)) emitFail(EMIT_ERR_NESTING);
  if (id != SEC_CUSTOM) lastSec = id;
  put(id);
  secSizeAt = reserveU32();
  secCountAt = id == SEC_CUSTOM || id == SEC_START ? NONE : reserveU32();
  secItems = 0;
}

/** Closes the open section, backpatching its byte size and item count. */
export function sectionEnd(): void {
  if (secSizeAt == NONE || bodySizeAt != NONE) {
    emitFail(EMIT_ERR_NESTING);
    return;
  }
  if (secCountAt != NONE) patchU32(secCountAt, secItems);
  patchU32(secSizeAt, emitPos() - secSizeAt - 5);
  secSizeAt = NONE;
  secCountAt = NONE;
}

/** Counts one item of the open section (for callers that emit items with raw bytes). */
export function sectionItem(): void {
  secItems++;
}

// ---- type section (spec §5.5.4) ----

/**
 * Packs up to eight value types (T_I32...) into a signature list for funcType, first type in
 * the low byte. A zero byte ends the list, so sig() is the empty list.
 */
export function sig(t0: u8 = 0, t1: u8 = 0, t2: u8 = 0, t3: u8 = 0,
                    t4: u8 = 0, t5: u8 = 0, t6: u8 = 0, t7: u8 = 0): u64 {
  return <u64>t0 | (<u64>t1 << 8) | (<u64>t2 << 16) | (<u64>t3 << 24) |
         (<u64>t4 << 32) | (<u64>t5 << 40) | (<u64>t6 << 48) | (<u64>t7 << 56);
}

/** Number of types in a packed signature list. */
function sigLen(s: u64): u32 {
  let n: u32 = 0;
  while (n < 8 && ((s >> (<u64>n << 3)) & 0xff) != 0) n++;
  return n;
}

/** Emits a packed signature list as a vector of value types. */
function sigVec(s: u64): void {
  const n = sigLen(s);
  uleb(n);
  for (let i: u32 = 0; i < n; i++) valType(<u8>(s >> (<u64>i << 3)));
}

/** Emits the function type `params -> results` (0x60, spec §5.3.6); returns its type index. */
export function funcType(params: u64, results: u64): u32 {
  put(0x60);
  sigVec(params);
  sigVec(results);
  secItems++;
  return numTypes++;
}

// ---- import section (spec §5.5.5); every import comes from module "env" ----

/** Imports function `env.field` of type `typeIdx`; returns its function index. */
export function importFunc(field: string, typeIdx: u32): u32 {
  name("env");
  name(field);
  put(0x00);
  uleb(typeIdx);
  secItems++;
  return numFuncImports++;
}

/**
 * Imports memory `env.field` with limits (spec §5.3.7): flags 0x00 min only, 0x01 min+max,
 * 0x03 shared min+max (threads proposal; a shared memory must have a maximum). Pass
 * maximum = 0xFFFFFFFF for "no maximum". The declared limits must admit the host's memory:
 * `initial` <= its current pages and its maximum <= `maximum`.
 */
export function importMemory(field: string, initial: u32, maximum: u32, shared: bool): void {
  name("env");
  name(field);
  put(0x02);
  if (shared) {
    put(0x03);
    uleb(initial);
    uleb(maximum);
  } else {
    limits(initial, maximum);
  }
  secItems++;
}

/** Writes unshared limits: flag 0x00 with the minimum, or 0x01 with minimum and maximum
 *  (maximum 0xFFFFFFFF = none). */
function limits(initial: u32, maximum: u32): void {
  if (maximum == 0xffff_ffff) {
    put(0x00);
    uleb(initial);
  } else {
    put(0x01);
    uleb(initial);
    uleb(maximum);
  }
}

/** Imports a funcref table `env.field` (0x70) with the given limits (max 0xFFFFFFFF = none). */
export function importTable(field: string, initial: u32, maximum: u32 = 0xffff_ffff): void {
  name("env");
  name(field);
  put(0x01);
  put(0x70);
  limits(initial, maximum);
  secItems++;
}

/** Imports global `env.field` of value type `t`; returns its global index. */
export function importGlobal(field: string, t: u8, mutable: bool): u32 {
  name("env");
  name(field);
  put(0x03);
  valType(t);
  put(mutable ? 1 : 0);
  secItems++;
  return numGlobalImports++;
}

// ---- function section (spec §5.5.6) ----

/** Declares a function of type `typeIdx`; returns its function index (after the imports). */
export function funcDecl(typeIdx: u32): u32 {
  uleb(typeIdx);
  secItems++;
  return numFuncImports + numFuncs++;
}

// ---- export section (spec §5.5.10) ----

/** Exports function `funcIdx` under `field`. */
export function exportFunc(field: string, funcIdx: u32): void {
  name(field);
  put(0x00);
  uleb(funcIdx);
  secItems++;
}

// ---- code section (spec §5.5.13) ----

/**
 * Opens a function body in the code section; `nparams` is the number of parameters of its
 * type (locals declared with `local` are numbered after them). Bodies must appear in the same
 * order as their funcDecl. Declare locals, then call funcCode, then emit instructions.
 */
export function funcBegin(nparams: u32): void {
  if (bodySizeAt != NONE || secSizeAt == NONE) emitFail(EMIT_ERR_NESTING);
  bodySizeAt = reserveU32();
  bodyParams = nparams;
  bodyLocals = 0;
  bodyGroups = 0;
  bodyInCode = false;
  emitResetDepth();
  secItems++;
}

/**
 * Declares `n` locals of value type `t` in the open body and returns the index of the first
 * (they are consecutive). Adjacent declarations of one type share a group in the encoding.
 */
export function local(t: u8, n: u32 = 1): u32 {
  const first = bodyParams + bodyLocals;
  if (bodyInCode || bodySizeAt == NONE) {
    emitFail(EMIT_ERR_LOCALS);
    return first;
  }
  if (n == 0) return first;
  if (bodyGroups > 0 && unchecked(groupType[bodyGroups - 1]) == t) {
    unchecked(groupCount[bodyGroups - 1] += n);
  } else if (bodyGroups < MAX_LOCAL_GROUPS) {
    unchecked(groupType[bodyGroups] = t);
    unchecked(groupCount[bodyGroups] = n);
    bodyGroups++;
  } else {
    emitFail(EMIT_ERR_LOCALS);
    return first;
  }
  bodyLocals += n;
  return first;
}

/** Number of locals (parameters included) of the open body. */
export function localCount(): u32 {
  return bodyParams + bodyLocals;
}

/** Ends the locals of the open body by writing their declaration; instructions follow. */
export function funcCode(): void {
  if (bodyInCode || bodySizeAt == NONE) {
    emitFail(EMIT_ERR_LOCALS);
    return;
  }
  bodyInCode = true;
  uleb(bodyGroups);
  for (let i: u32 = 0; i < bodyGroups; i++) {
    uleb(unchecked(groupCount[i]));
    valType(unchecked(groupType[i]));
  }
}

/** Closes the open body: emits its final `end` (0x0B) and backpatches the body size. */
export function funcEnd(): void {
  if (bodySizeAt == NONE) {
    emitFail(EMIT_ERR_NESTING);
    return;
  }
  if (!bodyInCode) funcCode();
  if (emitDepth() != 0) emitFail(EMIT_ERR_UNCLOSED);
  put(0x0b);
  patchU32(bodySizeAt, emitPos() - bodySizeAt - 5);
  bodySizeAt = NONE;
}
