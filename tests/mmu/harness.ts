// Test harness for the MMU (tests/mmu/mmu.test.ts): exposes the MMU's entry points and the
// pending-exception signal to JavaScript, which builds page tables in guest RAM and sets hart
// state directly in the shared memory (layout.ts offsets).
import { selectHart as coreSelectHart } from "../../assembly/cpu/state";
import { excCause, excTval, clearException } from "../../assembly/cpu/causes";
import { read8, read16, read32, read64, write8, write16, write32, write64, fetch,
         translateRead, translateWrite, tlbData, tlbFetch, tlbCtx, htifPending,
         clearHtif } from "../../assembly/mmu/access";
import { clearAttention } from "../../assembly/cpu/causes";
import { mmuUpdate as coreMmuUpdate, mmuDataPriv, mmuFetchPriv } from "../../assembly/mmu/mode";
import { tlbFill as coreTlbFill, flushAllTlbs as coreFlushAll,
         flushAllHartsTlbs as coreFlushAllHarts, sfenceVma as coreSfence,
         tlbValidEntries as coreValidEntries } from "../../assembly/mmu/tlb";
import { pmpCheck as corePmpCheck, pmpPageUniform as corePmpPageUniform,
         pmpPagePerms as corePmpPagePerms, pmpWriteCfg as corePmpWriteCfg,
         pmpWriteAddr as corePmpWriteAddr, pmpReadCfg as corePmpReadCfg,
         pmpReadAddr as corePmpReadAddr, pmpReset as corePmpReset } from "../../assembly/mmu/pmp";

/** Selects the hart whose state block starts at `base`. */
export function selectHart(base: u32): void { coreSelectHart(base); }
/** Pending exception cause (-1 when none). */
export function getExcCause(): i32 { return excCause; }
/** Pending exception tval. */
export function getExcTval(): u64 { return excTval; }
/** Clears the pending exception. */
export function clearExc(): void { clearException(); }

/** mmuUpdate(). */
export function mmuUpdate(): void { coreMmuUpdate(); }
/** tlbFill(). */
export function tlbFill(base: u32, va: u64, access: u32): u32 { return coreTlbFill(base, va, access); }
/** flushAllTlbs(). */
export function flushAllTlbs(): void { coreFlushAll(); }
/** flushAllHartsTlbs(). */
export function flushAllHartsTlbs(): void { coreFlushAllHarts(); }
/** sfenceVma(). */
export function sfenceVma(va: u64, hasVa: bool, asid: u64, hasAsid: bool): void { coreSfence(va, hasVa, asid, hasAsid); }
/** tlbValidEntries(). */
export function tlbValidEntries(mode: u32): u32 { return coreValidEntries(mode); }
/** Current data TLB array. */
export function getTlbData(): u32 { return tlbData; }
/** Current fetch TLB array. */
export function getTlbFetch(): u32 { return tlbFetch; }
/** Current context word. */
export function getTlbCtx(): u32 { return tlbCtx; }
/** Effective data privilege computed by mmuUpdate. */
export function getDataPriv(): u32 { return mmuDataPriv; }
/** Fetch privilege computed by mmuUpdate. */
export function getFetchPriv(): u32 { return mmuFetchPriv; }
/** HTIF flag. */
export function getHtif(): bool { return htifPending; }
/** Clears the HTIF flag and exit request. */
export function clearHtifFlag(): void { clearHtif(); clearAttention(); }

/** Guest loads and stores through the soft TLB. */
export function ld8(va: u64): u64 { return read8(va); }
export function ld16(va: u64): u64 { return read16(va); }
export function ld32(va: u64): u64 { return read32(va); }
export function ld64(va: u64): u64 { return read64(va); }
export function st8(va: u64, v: u64): void { write8(va, v); }
export function st16(va: u64, v: u64): void { write16(va, v); }
export function st32(va: u64, v: u64): void { write32(va, v); }
export function st64(va: u64, v: u64): void { write64(va, v); }
/** Instruction fetch. */
export function ifetch(pc: u64): u32 { return fetch(pc); }
/** translateRead / translateWrite. */
export function trRead(va: u64, size: u32): u64 { return translateRead(va, size); }
export function trWrite(va: u64, size: u32): u64 { return translateWrite(va, size); }

/** PMP entry points. */
export function pmpCheck(pa: u64, size: u32, access: u32, priv: u32): bool { return corePmpCheck(pa, size, access, priv); }
export function pmpPageUniform(pa: u64, priv: u32): bool { return corePmpPageUniform(pa, priv); }
export function pmpPagePerms(pa: u64, priv: u32): u32 { return corePmpPagePerms(pa, priv); }
export function pmpWriteCfg(index: u32, v: u64): void { corePmpWriteCfg(index, v); }
export function pmpWriteAddr(i: u32, v: u64): void { corePmpWriteAddr(i, v); }
export function pmpReadCfg(index: u32): u64 { return corePmpReadCfg(index); }
export function pmpReadAddr(i: u32): u64 { return corePmpReadAddr(i); }
export function pmpReset(): void { corePmpReset(); }
