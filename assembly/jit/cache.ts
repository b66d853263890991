// Layer 3 of the DBT (DESIGN.md §3): the code cache and the per-page code state.
//
// Code cache: JIT_CACHE_ENTRIES direct-mapped entries of JIT_CACHE_ENTRY_SIZE bytes, shared by all
// harts (a translation does not depend on the hart: it gets hartBase as its argument). Key:
//   guest virtual pc + guest physical pc + privilege mode.
// The physical pc names the code bytes (invalidation is per physical page); the virtual pc is part
// of the key as well because translated code bakes it in (AUIPC, branch targets, link values), so
// the same physical page mapped at two virtual addresses needs two translations. The privilege
// mode is in the key as DESIGN.md asks; translated code itself is mode-independent (its loads and
// stores go through the data TLB in force, read from the hart block at every entry).
//
// Entry fields:
//   +0  u64 virtual pc            +8  u64 physical pc
//   +16 u32 table index           +20 u32 page generation when translated
//   +24 u32 hotness counter       +28 u32 meta: bits 0..7 mode, 8..15 state, 16..23 block length
//
// Why fence.i, sfence.vma and satp writes need no work here: the lookup translates the current pc
// through the live fetch TLB (so a remapping is seen at once, and the key includes both addresses),
// and every store that reaches a page holding translations goes through the slow path (its TLB
// store tag is TAG_SLOW), which invalidates the page's translations before the next block
// boundary. fence.i therefore only has to end the block, which it does (it is not translated).
// Limitation: writes that bypass the core (host DMA by virtio devices, the loader) are not seen;
// the host calls dbtFlush() after loading images and on reset.
import { JIT_CACHE_BASE, JIT_CACHE_ENTRIES, JIT_CACHE_ENTRY_SIZE, JIT_PAGE_GEN_BASE, JIT_PAGE_FLAGS_BASE,
         JIT_MAX_PAGES, JIT_END, RAM_HOST_BASE, DRAM_BASE, M_RAM_SIZE, H_STAT_JIT_INVALIDATIONS } from "../layout";
import { machine64, bump } from "../cpu/state";
import { slotsFlush } from "./slots";

assert(JIT_END <= RAM_HOST_BASE, "DBT regions overlap guest RAM");

export const CE_VPC: u32 = 0;
export const CE_PPC: u32 = 8;
export const CE_INDEX: u32 = 16;
export const CE_GEN: u32 = 20;
export const CE_COUNT: u32 = 24;
export const CE_META: u32 = 28;

/** Entry states (meta bits 8..15). */
export const CS_COLD: u32 = 0; // counting executions
export const CS_READY: u32 = 1; // translated and installed (CE_INDEX valid while CE_GEN matches)
export const CS_NEVER: u32 = 2; // first instruction not translatable (re-checked when the page changes)
export const CS_PENDING: u32 = 3; // handed to the host, not installed yet

/** Page-flag bit: the page holds (or held since the last invalidation) a translation. */
export const PF_CODE: u32 = 0x80;
/** Invalidation count (low 7 bits of the page flags) after which the page is not translated again:
 *  a page that mixes code with data that is written often would otherwise recompile forever. */
export const PF_MAX_INVALIDATIONS: u32 = 16;

/** Entry address for virtual pc `vpc`. */
// @ts-ignore: decorator
@inline export function cacheEntry(vpc: u64): u32 {
  return JIT_CACHE_BASE + ((<u32>(vpc >> 1) ^ <u32>(vpc >> 15)) & (JIT_CACHE_ENTRIES - 1)) * JIT_CACHE_ENTRY_SIZE;
}

/** RAM page index of physical address pa, or -1 when pa is not in RAM. */
// @ts-ignore: decorator
@inline export function ramPage(pa: u64): i32 {
  const off = pa - DRAM_BASE;
  if (off >= machine64(M_RAM_SIZE) || (off >> 12) >= <u64>JIT_MAX_PAGES) return -1;
  return <i32>(off >> 12);
}

// @ts-ignore: decorator
@inline export function pageGen(page: i32): u32 { return load<u32>(JIT_PAGE_GEN_BASE + (<u32>page << 2)); }
// @ts-ignore: decorator
@inline export function pageFlags(page: i32): u32 { return <u32>load<u8>(JIT_PAGE_FLAGS_BASE + <u32>page); }

/** True when the RAM page at physical address pagePa holds translations (the TLB fill then makes
 *  its store tag TAG_SLOW). */
export function isCodePage(pagePa: u64): bool {
  const p = ramPage(pagePa);
  return p >= 0 && (pageFlags(p) & PF_CODE) != 0;
}

/** True when translations may still be made for the page (not invalidated too often). */
export function pageTranslatable(page: i32): bool {
  return (pageFlags(page) & 0x7f) < PF_MAX_INVALIDATIONS;
}

/** Marks the page as holding translations; returns true if it did not before (the caller must then
 *  flush the TLB entries that may map it for stores). */
export function markCodePage(page: i32): bool {
  const f = pageFlags(page);
  if ((f & PF_CODE) != 0) return false;
  store<u8>(JIT_PAGE_FLAGS_BASE + <u32>page, <u8>(f | PF_CODE));
  return true;
}

/** Store hook: a store of guest physical [pa, pa+size) is about to complete (or has). If the page
 *  holds translations, they all become stale (generation bump) and the page leaves the code set. */
// @ts-ignore: decorator
@inline export function noteStore(pa: u64): void {
  const p = ramPage(pa);
  if (p >= 0 && (pageFlags(p) & PF_CODE) != 0) invalidatePage(p);
}

/** A device (virtio DMA) or the host wrote guest physical [pa, pa+length): drops the translations
 *  of every page in the range, as a guest store would (stores by devices bypass the soft TLB). */
export function noteHostWrite(pa: u64, length: u64): void {
  if (length == 0) return;
  const last = (pa + length - 1) & ~<u64>0xfff;
  for (let page = pa & ~<u64>0xfff; page <= last; page += 0x1000) noteStore(page);
}

function invalidatePage(p: i32): void {
  const f = pageFlags(p) & 0x7f;
  store<u8>(JIT_PAGE_FLAGS_BASE + <u32>p, <u8>(f < 0x7f ? f + 1 : f));
  const g = JIT_PAGE_GEN_BASE + (<u32>p << 2);
  store<u32>(g, load<u32>(g) + 1);
  bump(H_STAT_JIT_INVALIDATIONS);
}

/** Forgets every translation and all page state (host writes to RAM, machine reset). */
export function dbtFlush(): void {
  slotsFlush();
  memory.fill(JIT_CACHE_BASE, 0, JIT_CACHE_ENTRIES * JIT_CACHE_ENTRY_SIZE);
  memory.fill(JIT_PAGE_FLAGS_BASE, 0, JIT_MAX_PAGES);
  // Bumping every generation would cost 4 MiB of writes; cleared entries are enough, as entries
  // are only READY after a translation made with the then-current generation.
}
