// Guest memory access: the inlined soft-TLB hit path for loads, stores and fetches, and the
// physical-access layer (RAM, MMIO through the host's bus, HTIF watch) behind the slow path.
//
// Soft TLB (QEMU's shape, see DESIGN.md §3): one direct-mapped array of TLB_ENTRIES per MMU
// mode; an entry holds one tag per access kind. A tag equals the page's virtual address when
// that access kind may take the fast path; low bits mark it otherwise. A hit is one compare of
// (va & (~0xfff | size-1)) against the tag — so a misaligned access never hits — plus one
// compare of the address-space context (ASID, later VMID), then one add of the host addend.
import { TLB_ENTRIES, ZERO_PAGE, RAM_HOST_BASE, DRAM_BASE, M_RAM_SIZE, M_MMIO_STATUS, M_STOP,
         M_TOHOST, M_FROMHOST, H_TLB_DATA, H_TLB_CTX, H_TLB_FETCH, H_STAT_MMIO_READ, H_STAT_MMIO_WRITE, H_HARTID, H_EXIT_VALUE } from "../layout";
import { hartBase, machine64, machine32, bump, hart32, setCsr64 } from "../cpu/state";
import { raise, requestExit, excCause, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS, CAUSE_FETCH_ACCESS,
         CAUSE_MISALIGNED_LOAD, CAUSE_MISALIGNED_STORE } from "../cpu/causes";
import { mmioRead, mmioWrite } from "../host";
import { tlbFill, tlbSlowCheck } from "./tlb";
import { noteStore } from "../jit/cache";

/** Access kinds, used by the walker, PMP and TLB fill. */
export const ACC_FETCH: u32 = 0;
export const ACC_LOAD: u32 = 1;
export const ACC_STORE: u32 = 2;

// TLB entry fields (TLB_ENTRY_SIZE = 64 bytes)
export const TE_TAG_R: u32 = 0; // u64 tag for loads
export const TE_TAG_W: u32 = 8; // u64 tag for stores
export const TE_TAG_X: u32 = 16; // u64 tag for fetches
export const TE_ADDEND: u32 = 24; // u32 host linear address of the page minus low 32 bits of its va
export const TE_PPAGE: u32 = 32; // u64 guest physical address of the page
export const TE_CTX: u32 = 40; // u32 address-space context (ASID | VMID << 16)
export const TE_FLAGS: u32 = 44; // u32 TEF_* flags
export const TEF_GLOBAL: u32 = 1; // leaf PTE had G set (survives sfence.vma with an ASID)
export const TEF_SUPERPAGE: u32 = 2; // entry was filled from a superpage leaf

/** Tag bit: entry invalid for this access kind (never equals a key, whose bits 3..11 are 0). */
export const TAG_INVALID: u64 = 1 << 11;
/** Tag bit: translation known and permitted, but the access must take the slow path
 *  (MMIO, the HTIF page, a page only partly covered by a PMP region, later code pages). */
export const TAG_SLOW: u64 = 1 << 10;

/** Base address of the TLB array used for loads/stores (effective mode incl. MPRV). */
export let tlbData: u32 = 0;
/** Base address of the TLB array used for instruction fetch. */
export let tlbFetch: u32 = 0;
/** Current address-space context compared on every hit. */
export let tlbCtx: u32 = 0;

/** Sets the TLB arrays and context in force (called by mmu/mode.ts on any mode change). */
export function setTlbContext(dataBase: u32, fetchBase: u32, ctx: u32): void {
  tlbData = dataBase; tlbFetch = fetchBase; tlbCtx = ctx;
  // Translated code reads the data TLB and context from the hart block (it cannot see globals).
  store<u32>(hartBase + H_TLB_DATA, dataBase);
  store<u32>(hartBase + H_TLB_CTX, ctx);
  store<u32>(hartBase + H_TLB_FETCH, fetchBase);
  resetFetchPage();
}

// Fetch page cache: the virtual page of the last fetch and its host addend. When invalid it
// points at FETCH_NOWHERE, a page no hart can fetch from (non-canonical under paging, beyond
// the physical address space when bare), backed by ZERO_PAGE: a fetch there reads 0, which
// decodes as ILLEGAL, and the interpreter then calls fetchVerify() to raise the real fault.
const FETCH_NOWHERE: u64 = 0x8000_0000_0000_0000;
let fetchPage: u64 = FETCH_NOWHERE;
let fetchAddend: u32 = ZERO_PAGE;
/** Forgets the cached fetch page (after any TLB flush or mode change). */
export function resetFetchPage(): void { fetchPage = FETCH_NOWHERE; fetchAddend = ZERO_PAGE; }
/** Re-fetches pc through the slow path (raising its fault, if any); used when a fetch read 0. */
export function fetchVerify(pc: u64): u32 { resetFetchPage(); return fetchSlow(pc); }

/** TLB entry address for va in the mode array at `base`. The context (ASID) is XORed into the
 *  index so that the same virtual page of different address spaces lands in different slots. */
// @ts-ignore: decorator
@inline export function entryOf(base: u32, va: u64): u32 {
  return base + ((((<u32>(va >> 12)) ^ tlbCtx) & (TLB_ENTRIES - 1)) << 6);
}
// @ts-ignore: decorator
@inline function hit(e: u32, tagOff: u32, key: u64): bool {
  return load<u64>(e + tagOff) == key && load<u32>(e + TE_CTX) == tlbCtx;
}
// @ts-ignore: decorator
@inline function hostAddr(e: u32, va: u64): u32 { return <u32>va + load<u32>(e + TE_ADDEND); }

/** Loads 1 byte (zero-extended); on a fault raises the exception and returns 0. */
// @ts-ignore: decorator
@inline export function read8(va: u64): u64 {
  const e = entryOf(tlbData, va);
  if (hit(e, TE_TAG_R, va & ~<u64>0xfff)) return <u64>load<u8>(hostAddr(e, va));
  return readSlow(va, 1);
}
/** Loads 2 bytes (zero-extended). */
// @ts-ignore: decorator
@inline export function read16(va: u64): u64 {
  const e = entryOf(tlbData, va);
  if (hit(e, TE_TAG_R, va & ~<u64>0xffe)) return <u64>load<u16>(hostAddr(e, va));
  return readSlow(va, 2);
}
/** Loads 4 bytes (zero-extended). */
// @ts-ignore: decorator
@inline export function read32(va: u64): u64 {
  const e = entryOf(tlbData, va);
  if (hit(e, TE_TAG_R, va & ~<u64>0xffc)) return <u64>load<u32>(hostAddr(e, va));
  return readSlow(va, 4);
}
/** Loads 8 bytes. */
// @ts-ignore: decorator
@inline export function read64(va: u64): u64 {
  const e = entryOf(tlbData, va);
  if (hit(e, TE_TAG_R, va & ~<u64>0xff8)) return load<u64>(hostAddr(e, va));
  return readSlow(va, 8);
}
/** Stores 1 byte; on a fault raises the exception. */
// @ts-ignore: decorator
@inline export function write8(va: u64, v: u64): void {
  const e = entryOf(tlbData, va);
  if (hit(e, TE_TAG_W, va & ~<u64>0xfff)) { store<u8>(hostAddr(e, va), <u8>v); return; }
  writeSlow(va, 1, v);
}
/** Stores 2 bytes. */
// @ts-ignore: decorator
@inline export function write16(va: u64, v: u64): void {
  const e = entryOf(tlbData, va);
  if (hit(e, TE_TAG_W, va & ~<u64>0xffe)) { store<u16>(hostAddr(e, va), <u16>v); return; }
  writeSlow(va, 2, v);
}
/** Stores 4 bytes. */
// @ts-ignore: decorator
@inline export function write32(va: u64, v: u64): void {
  const e = entryOf(tlbData, va);
  if (hit(e, TE_TAG_W, va & ~<u64>0xffc)) { store<u32>(hostAddr(e, va), <u32>v); return; }
  writeSlow(va, 4, v);
}
/** Stores 8 bytes. */
// @ts-ignore: decorator
@inline export function write64(va: u64, v: u64): void {
  const e = entryOf(tlbData, va);
  if (hit(e, TE_TAG_W, va & ~<u64>0xff8)) { store<u64>(hostAddr(e, va), v); return; }
  writeSlow(va, 8, v);
}

/** Fetches the instruction parcel(s) at pc: 32 bits, of which only 16 matter for RVC. */
// @ts-ignore: decorator
@inline export function fetch(pc: u64): u32 {
  // One unsigned compare covers "same page" and "not in the last halfword of the page".
  if (pc - fetchPage <= 0xffc) return load<u32>(<u32>pc + fetchAddend);
  return fetchSlow(pc);
}

function fetchSlow(pc: u64): u32 {
  const e = entryOf(tlbFetch, pc);
  let ok = hit(e, TE_TAG_X, pc & ~<u64>0xfff);
  if (!ok) {
    if (tlbFill(tlbFetch, pc, ACC_FETCH) == 0) return 0;
    ok = hit(e, TE_TAG_X, pc & ~<u64>0xfff);
  }
  if (!ok) { // executable but not plain RAM (e.g. MMIO): we do not execute from devices
    raise(CAUSE_FETCH_ACCESS, pc);
    return 0;
  }
  fetchPage = pc & ~<u64>0xfff;
  fetchAddend = load<u32>(e + TE_ADDEND);
  const off = <u32>pc & 0xfff;
  if (off <= 0xffc) return load<u32>(<u32>pc + fetchAddend);
  // The parcel at 0xffe: a compressed instruction needs only this page.
  const lo = <u32>load<u16>(<u32>pc + fetchAddend);
  if ((lo & 3) != 3) return lo;
  const hi = fetchHalfSlow(pc + 2);
  if (excCause >= 0) return 0;
  return lo | (hi << 16);
}

function fetchHalfSlow(va: u64): u32 {
  const e = entryOf(tlbFetch, va);
  if (!hit(e, TE_TAG_X, va & ~<u64>0xfff)) {
    if (tlbFill(tlbFetch, va, ACC_FETCH) == 0) return 0;
    if (!hit(e, TE_TAG_X, va & ~<u64>0xfff)) { raise(CAUSE_FETCH_ACCESS, va); return 0; }
  }
  return <u32>load<u16>(hostAddr(e, va));
}

/** The data TLB entry translating va with `access` permitted (its tag may carry TAG_SLOW),
 *  filled from the page tables if needed; 0 after raising the fault. */
function dataEntry(va: u64, tagOff: u32, access: u32): u32 {
  const e = entryOf(tlbData, va);
  if ((load<u64>(e + tagOff) & ~TAG_SLOW) != (va & ~<u64>0xfff) || load<u32>(e + TE_CTX) != tlbCtx) {
    if (tlbFill(tlbData, va, access) == 0) return 0;
  }
  return e;
}

/** Slow load: misaligned split, TLB fill, MMIO. Exported for the AMO/LR paths. */
export function readSlow(va: u64, size: u32): u64 {
  if ((<u32>va & (size - 1)) != 0) {
    // Misaligned loads to ordinary memory are emulated byte by byte (the privileged spec
    // allows emulating them in place of a misaligned-address exception).
    let v: u64 = 0;
    for (let i: u32 = 0; i < size; i++) {
      const b = readSlow(va + i, 1);
      if (excCause >= 0) return 0;
      v |= b << (<u64>(i << 3));
    }
    return v;
  }
  const e = dataEntry(va, TE_TAG_R, ACC_LOAD);
  if (e == 0) return 0;
  if (!hit(e, TE_TAG_R, va & ~<u64>0xfff)) {
    const pa = load<u64>(e + TE_PPAGE) | (va & 0xfff);
    if (!tlbSlowCheck(e, pa, size, ACC_LOAD, va)) return 0; // page only partly PMP-covered
    return physRead(pa, size, CAUSE_LOAD_ACCESS, va);
  }
  const h = hostAddr(e, va);
  if (size == 1) return <u64>load<u8>(h);
  if (size == 2) return <u64>load<u16>(h);
  if (size == 4) return <u64>load<u32>(h);
  return load<u64>(h);
}

/** Slow store: misaligned split, TLB fill (sets D), MMIO, HTIF watch. */
export function writeSlow(va: u64, size: u32, v: u64): void {
  if ((<u32>va & (size - 1)) != 0) {
    // Check every byte's translation first so that a fault leaves memory unchanged.
    for (let i: u32 = 0; i < size; i++) {
      translateWrite(va + i);
      if (excCause >= 0) return;
    }
    for (let i: u32 = 0; i < size; i++) {
      writeSlow(va + i, 1, v >> (<u64>(i << 3)));
      if (excCause >= 0) return;
    }
    return;
  }
  const e = dataEntry(va, TE_TAG_W, ACC_STORE);
  if (e == 0) return;
  if (!hit(e, TE_TAG_W, va & ~<u64>0xfff)) {
    const pa = load<u64>(e + TE_PPAGE) | (va & 0xfff);
    if (!tlbSlowCheck(e, pa, size, ACC_STORE, va)) return; // page only partly PMP-covered
    physWrite(pa, size, v, CAUSE_STORE_ACCESS, va);
    return;
  }
  const h = hostAddr(e, va);
  if (size == 1) store<u8>(h, <u8>v);
  else if (size == 2) store<u16>(h, <u16>v);
  else if (size == 4) store<u32>(h, <u32>v);
  else store<u64>(h, v);
}

/** Translates va for a store of `size` bytes without storing; returns the physical address (or raises). */
export function translateWrite(va: u64, size: u32 = 1): u64 {
  const e = dataEntry(va, TE_TAG_W, ACC_STORE);
  if (e == 0) return 0;
  const pa = load<u64>(e + TE_PPAGE) | (va & 0xfff);
  if (!tlbSlowCheck(e, pa, size, ACC_STORE, va)) return 0;
  noteStore(pa); // AMO/SC store through the returned address: drop translations of the page
  return pa;
}

/** Translates va for a load of `size` bytes without loading; returns the physical address (or raises). */
export function translateRead(va: u64, size: u32 = 1): u64 {
  const e = dataEntry(va, TE_TAG_R, ACC_LOAD);
  if (e == 0) return 0;
  const pa = load<u64>(e + TE_PPAGE) | (va & 0xfff);
  if (!tlbSlowCheck(e, pa, size, ACC_LOAD, va)) return 0;
  return pa;
}

/** Host linear address of guest physical [pa, pa+size) if it is all in RAM, else 0. */
// @ts-ignore: decorator
@inline export function ramHost(pa: u64, size: u32): u32 {
  const off = pa - DRAM_BASE; // wraps to a huge value below DRAM
  if (off + size <= machine64(M_RAM_SIZE) && off < machine64(M_RAM_SIZE)) return RAM_HOST_BASE + <u32>off;
  return 0;
}

/** Reads guest physical memory (RAM or a device). Raises `cause` with tval on an access fault. */
export function physRead(pa: u64, size: u32, cause: u32, tval: u64): u64 {
  const h = ramHost(pa, size);
  if (h != 0) {
    if (size == 1) return <u64>load<u8>(h);
    if (size == 2) return <u64>load<u16>(h);
    if (size == 4) return <u64>load<u32>(h);
    return load<u64>(h);
  }
  bump(H_STAT_MMIO_READ);
  const v = mmioRead(hart32(H_HARTID), pa, size);
  if (machine32(M_MMIO_STATUS) != 0) { raise(cause, tval); return 0; }
  if (machine32(M_STOP) != 0) requestExit();
  return v;
}

/** Writes guest physical memory (RAM or a device). Raises `cause` with tval on an access fault. */
export function physWrite(pa: u64, size: u32, v: u64, cause: u32, tval: u64): void {
  const h = ramHost(pa, size);
  if (h != 0) {
    if (size == 1) store<u8>(h, <u8>v);
    else if (size == 2) store<u16>(h, <u16>v);
    else if (size == 4) store<u32>(h, <u32>v);
    else store<u64>(h, v);
    noteStore(pa); // a page holding translations (TAG_SLOW for stores) loses them
    const tohost = machine64(M_TOHOST);
    // HTIF: a store that completes the 64-bit tohost word hands it to the host.
    if (tohost != 0 && pa <= tohost + 7 && pa + size > tohost) {
      const value = load<u64>(ramHost(tohost, 8));
      if (value != 0) { setCsr64(H_EXIT_VALUE, value); requestExit(); htifPending = true; }
    }
    return;
  }
  bump(H_STAT_MMIO_WRITE);
  mmioWrite(hart32(H_HARTID), pa, size, v);
  if (machine32(M_MMIO_STATUS) != 0) { raise(cause, tval); return; }
  if (machine32(M_STOP) != 0) requestExit();
}

/** True when the last exit request came from an HTIF tohost write. */
export let htifPending: bool = false;
/** Clears the HTIF flag after run() reported EXIT_HTIF. */
export function clearHtif(): void { htifPending = false; }

/** True if [pa, pa+size) touches an HTIF word (the TLB fill marks such pages TAG_SLOW for stores). */
export function touchesHtif(pagePa: u64): bool {
  const t = machine64(M_TOHOST), f = machine64(M_FROMHOST);
  return (t != 0 && (t & ~<u64>0xfff) == pagePa) || (f != 0 && (f & ~<u64>0xfff) == pagePa);
}
