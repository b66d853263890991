// Core-side helpers that translated code imports (DESIGN.md §3, "Faults inside translated code").
//
// A generated module that contains loads or stores (or F/D instructions) imports these functions from "env"
// (the host passes the core instance's exports through). They run the interpreter's own slow
// path, so misaligned emulation, TLB fills, PMP, MMIO, the HTIF watch and fault raising are
// exactly the interpreter's. See assembly/jit/codegen.ts ("Memory accesses") for the protocol.
//
// Precondition (the dispatcher's job, as in cpu/interp.ts run()): the hart is selected
// (selectHart), mmuUpdate() has run (tlbData/tlbCtx and H_TLB_DATA/H_TLB_CTX agree), and
// `attention` is 0 when a block is entered.
import { readSlow, writeSlow } from "../mmu/access";
import { attention, raise, CAUSE_ILLEGAL_INSTRUCTION } from "../cpu/causes";
import { dOp, dRd, dRs1, dRs2, dRs3, dImmU } from "../cpu/opcodes";
import { fpEnabled, setFsDirty } from "../cpu/csr";
import { execFloat } from "../fpu/exec";

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

/** Executes F/D operation `d` (decoded form; not a load/store) exactly as the interpreter does:
 *  illegal-instruction exception (tval `bits`) when mstatus.FS is Off or the rounding mode is
 *  reserved, else the operation, its flags and FS = Dirty. Returns the attention word (0: done). */
export function jitFloat(d: u64, bits: u64): u32 {
  if (!fpEnabled() || !execFloat(dOp(d), dRd(d), dRs1(d), dRs2(d), dRs3(d), <u32>dImmU(d) & 7)) {
    raise(CAUSE_ILLEGAL_INSTRUCTION, bits);
  } else setFsDirty();
  return attention;
}

/** Raises an illegal-instruction exception with tval `bits` (an F/D load/store while FS is Off);
 *  returns the attention word. */
export function jitIllegal(bits: u64): u32 {
  raise(CAUSE_ILLEGAL_INSTRUCTION, bits);
  return attention;
}
