// Table slots of translated regions (DESIGN.md §3; the capacity half of the code cache).
//
// The host puts each compiled region's `run` into a slot of the core's exported function table
// and reports the index with installTranslation(). A slot is live while at least one cache entry
// (jit/cache.ts) is READY with that index: the core counts those references per slot
// (JIT_SLOT_REFS_BASE). When the count drops to zero (the entries were replaced by another key,
// re-keyed after their page was written, re-pointed at a newer region, or flushed) the slot is
// pushed on a stack of free slots (JIT_FREE_SLOTS_BASE), and the host takes it back with
// takeFreeSlot() instead of growing the table: `table.set` over it drops the old instance. As
// every live slot is referenced by a cache entry, at most JIT_CACHE_ENTRIES slots are live and
// the table stays bounded by that plus the core's own functions.
// Only indices below JIT_MAX_SLOTS are managed; installTranslation() rejects larger ones.
import { JIT_SLOT_REFS_BASE, JIT_FREE_SLOTS_BASE, JIT_MAX_SLOTS, H_STAT_JIT_SLOTS_FREED } from "../layout";
import { bump } from "../cpu/state";

let freeCount: u32 = 0;
// Managed slots ever referenced: [lowSlot, highSlot) (for dbtFlush).
let lowSlot: u32 = 0xffffffff;
let highSlot: u32 = 0;

// @ts-ignore: decorator
@inline function refsOf(slot: u32): u32 { return JIT_SLOT_REFS_BASE + (slot << 2); }

/** A cache entry now points at `slot`. */
export function slotAcquire(slot: u32): void {
  const a = refsOf(slot);
  store<u32>(a, load<u32>(a) + 1);
  if (slot < lowSlot) lowSlot = slot;
  if (slot >= highSlot) highSlot = slot + 1;
}

/** A cache entry no longer points at `slot`; the last one frees it. */
export function slotRelease(slot: u32): void {
  const a = refsOf(slot);
  const n = load<u32>(a);
  if (n == 0) return;
  store<u32>(a, n - 1);
  if (n == 1) slotFree(slot);
}

/** Frees `slot` when nothing points at it (a region whose entries were all lost before install). */
export function slotFreeIfUnused(slot: u32): void {
  if (load<u32>(refsOf(slot)) == 0) slotFree(slot);
}

function slotFree(slot: u32): void {
  if (freeCount >= JIT_MAX_SLOTS) return;
  store<u32>(JIT_FREE_SLOTS_BASE + (freeCount << 2), slot);
  freeCount++;
  bump(H_STAT_JIT_SLOTS_FREED);
}

/** Host call before installing a compiled region: a free table slot to overwrite, or -1 (grow
 *  the table). The slot counts as used from now on. */
export function takeFreeSlot(): i32 {
  if (freeCount == 0) return -1;
  freeCount--;
  return <i32>load<u32>(JIT_FREE_SLOTS_BASE + (freeCount << 2));
}

/** True when `slot` can be managed (below JIT_MAX_SLOTS). */
export function slotValid(slot: u32): bool { return slot < JIT_MAX_SLOTS; }

/** dbtFlush: every cache entry is gone, so every referenced slot becomes free. */
export function slotsFlush(): void {
  for (let s = lowSlot; s < highSlot; s++) {
    const a = refsOf(s);
    if (load<u32>(a) != 0) { store<u32>(a, 0); slotFree(s); }
  }
}
