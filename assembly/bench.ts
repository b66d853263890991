// Micro-benchmark entry points (bench/micro.ts): loops that run inside the core so that the
// measurement is the core's hot path, not the JS-to-wasm call.
import { HART_BASE, RAM_HOST_BASE, DRAM_BASE } from "./layout";
import { selectHart } from "./cpu/state";
import { decode } from "./cpu/decode";
import { read64 } from "./mmu/access";
import { mmuUpdate } from "./mmu/mode";
import { flushAllTlbs } from "./mmu/tlb";

/** Decodes `count` instruction words starting at guest physical DRAM_BASE + offset; returns a checksum. */
export function benchDecode(offset: u32, words: u32, rounds: u32): u64 {
  let sum: u64 = 0;
  for (let r: u32 = 0; r < rounds; r++) {
    for (let i: u32 = 0; i < words; i++) sum += decode(load<u32>(RAM_HOST_BASE + offset + (i << 2)));
  }
  return sum;
}

/** Performs `count` 8-byte loads through hart 0's soft TLB, cycling over `pages` pages of DRAM;
 *  with `flushEvery` > 0 every that-many loads flush the TLB first (to measure fills). */
export function benchTlbLoads(pages: u32, count: u32, flushEvery: u32): u64 {
  selectHart(HART_BASE);
  mmuUpdate();
  let sum: u64 = 0;
  for (let i: u32 = 0; i < count; i++) {
    if (flushEvery != 0 && i % flushEvery == 0) flushAllTlbs();
    sum += read64(DRAM_BASE + (<u64>(i % pages) << 12) + (<u64>(i & 63) << 3));
  }
  return sum;
}
