// Test entry for the DBT's code generator (assembly/jit/codegen.ts): the core's reference
// interpreter plus the translator, in one module on the shared memory, so that
// tests/jit/codegen.test.ts can run the same guest block on both engines and compare states.
// The helpers of assembly/jit/helpers.ts are exported so that the test can pass them to the
// generated modules as their "env" imports (as the core will).
export { initMachine, resetHart } from "../../assembly/cpu/reset";
export { run } from "../../assembly/cpu/interp";
export {
  translateBlock, lastBlockInsns, lastBlockBytes, lastBlockEnd,
} from "../../assembly/jit/codegen";
export { jitLoad, jitStore, jitStatus, jitFloat, jitIllegal, jitExec } from "../../assembly/jit/helpers";
export { jitChain } from "../../assembly/jit/chain";
export { flushAllTlbs } from "../../assembly/mmu/tlb";
export { emitOverflowed, emitPos, emitError } from "../../assembly/jit/emitter";
export { decode } from "../../assembly/cpu/decode";

import { H_JIT_RETIRED } from "../../assembly/jit/codegen";
import { setJitUnsynced } from "../../assembly/jit/helpers";
import { HART_BASE, HART_SIZE } from "../../assembly/layout";
import { selectHart } from "../../assembly/cpu/state";
import { mmuUpdate } from "../../assembly/mmu/mode";
import { translateRead, fetchVerify } from "../../assembly/mmu/access";
import { clearAttention, excCause, excTval, attention } from "../../assembly/cpu/causes";

/** Offset of the retired-count cell in the hart block. */
export function jitRetiredOffset(): u32 { return H_JIT_RETIRED; }

/** What the dispatcher does before entering translated code: select the hart, bring the MMU
 *  state (and H_TLB_DATA/H_TLB_CTX) up to date, clear every attention request. */
export function jitEnter(hart: u32): void {
  selectHart(HART_BASE + hart * HART_SIZE);
  mmuUpdate();
  clearAttention();
  setJitUnsynced(0);
}

/** Fills the data TLB entry of va's page (so that the block's first access there hits). */
export function tlbWarm(va: u64): void {
  translateRead(va);
  clearAttention();
}

/** Pending exception after a translated block: cause (-1 = none), tval, attention word. */
export function pendingCause(): i32 { return excCause; }
export function pendingTval(): u64 { return excTval; }
export function pendingAttention(): u32 { return attention; }

export { translateRegion, regionBlocks, regionBlockOffset, regionBlockInsns, regionBlockPc, regionBlockPage, regionPages } from "../../assembly/jit/region";

/** Fills the fetch TLB entry of va's page (the translator joins only mapped pages to a module,
 *  and a chained call checks the callee's page there). */
export function fetchWarm(va: u64): void {
  fetchVerify(va);
  clearAttention();
}
