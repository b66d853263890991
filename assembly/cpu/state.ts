// Hart state accessors. All architectural state lives in linear memory at the current hart's
// block (layout.ts); `hartBase` selects the hart that run() is executing.
import { HART_BASE, H_X, H_F, H_PC, H_PRIV, H_FFLAGS, H_FRM, MACHINE_BASE } from "../layout";

/** Linear-memory address of the current hart's state block. */
export let hartBase: u32 = HART_BASE;

/** Selects the hart whose state the accessors address. */
export function selectHart(base: u32): void { hartBase = base; }

// @ts-ignore: decorator
@inline export function getX(r: u32): u64 { return load<u64>(hartBase + H_X + (r << 3)); }
// @ts-ignore: decorator
@inline export function setX(r: u32, v: u64): void { store<u64>(hartBase + H_X + (r << 3), v); }
// @ts-ignore: decorator
@inline export function getF(r: u32): u64 { return load<u64>(hartBase + H_F + (r << 3)); }
// @ts-ignore: decorator
@inline export function setF(r: u32, v: u64): void { store<u64>(hartBase + H_F + (r << 3), v); }
// @ts-ignore: decorator
@inline export function getPC(): u64 { return load<u64>(hartBase + H_PC); }
// @ts-ignore: decorator
@inline export function setPC(v: u64): void { store<u64>(hartBase + H_PC, v); }
// @ts-ignore: decorator
@inline export function getPriv(): u32 { return load<u32>(hartBase + H_PRIV); }
// @ts-ignore: decorator
@inline export function csr64(off: u32): u64 { return load<u64>(hartBase + off); }
// @ts-ignore: decorator
@inline export function setCsr64(off: u32, v: u64): void { store<u64>(hartBase + off, v); }
// @ts-ignore: decorator
@inline export function hart32(off: u32): u32 { return load<u32>(hartBase + off); }
// @ts-ignore: decorator
@inline export function setHart32(off: u32, v: u32): void { store<u32>(hartBase + off, v); }
// @ts-ignore: decorator
@inline export function machine64(off: u32): u64 { return load<u64>(MACHINE_BASE + off); }
// @ts-ignore: decorator
@inline export function setMachine64(off: u32, v: u64): void { store<u64>(MACHINE_BASE + off, v); }
// @ts-ignore: decorator
@inline export function machine32(off: u32): u32 { return load<u32>(MACHINE_BASE + off); }
// @ts-ignore: decorator
@inline export function setMachine32(off: u32, v: u32): void { store<u32>(MACHINE_BASE + off, v); }
// @ts-ignore: decorator
@inline export function getFflags(): u32 { return load<u32>(hartBase + H_FFLAGS); }
// @ts-ignore: decorator
@inline export function orFflags(f: u32): void { store<u32>(hartBase + H_FFLAGS, load<u32>(hartBase + H_FFLAGS) | f); }
// @ts-ignore: decorator
@inline export function getFrm(): u32 { return load<u32>(hartBase + H_FRM); }
// @ts-ignore: decorator
@inline export function bump(off: u32): void { store<u64>(hartBase + off, load<u64>(hartBase + off) + 1); }
