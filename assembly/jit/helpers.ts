// Core-side helpers that translated code imports (DESIGN.md §3, "Faults inside translated code").
//
// A generated module that contains loads or stores imports these three functions from "env"
// (the host passes the core instance's exports through). They run the interpreter's own slow
// path, so misaligned emulation, TLB fills, PMP, MMIO, the HTIF watch and fault raising are
// exactly the interpreter's. See assembly/jit/codegen.ts ("Memory accesses") for the protocol.
//
// Precondition (the dispatcher's job, as in cpu/interp.ts run()): the hart is selected
// (selectHart), mmuUpdate() has run (tlbData/tlbCtx and H_TLB_DATA/H_TLB_CTX agree), and
// `attention` is 0 when a block is entered.
import { readSlow, writeSlow } from "../mmu/access";
import { attention } from "../cpu/causes";

/** Slow-path load of `size` bytes (1, 2, 4, 8) at va, zero-extended. On a fault it raises
 *  (excCause/excTval, ATTN_EXCEPTION) and returns 0; the caller then reads jitStatus(). */
export function jitLoad(va: u64, size: u32): u64 {
  return readSlow(va, size);
}

/** Slow-path store of the low `size` bytes of v at va. Returns the attention word afterwards
 *  (0: done, continue; ATTN_EXCEPTION set: faulted, nothing was stored; else: stored, and the
 *  block must end after this instruction, e.g. ATTN_EXIT from an HTIF or MMIO stop request). */
export function jitStore(va: u64, size: u32, v: u64): u32 {
  writeSlow(va, size, v);
  return attention;
}

/** The attention word (cpu/causes.ts ATTN_*), read by translated code after jitLoad. */
export function jitStatus(): u32 {
  return attention;
}
