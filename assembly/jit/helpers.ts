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
import { attention, raise, CAUSE_ILLEGAL_INSTRUCTION, ATTN_EXCEPTION } from "../cpu/causes";
import { Op, dOp, dRd, dRs1, dRs2, dRs3, dImmU, dCompressed } from "../cpu/opcodes";
import { hartBase } from "../cpu/state";
import { syncCounters } from "../cpu/timer";
import { execAtomic } from "../cpu/amo";
import { execSystem } from "../cpu/system";
import { H_PC } from "../layout";
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

// Translated instructions the dispatcher has retired but not yet added to instret (its running
// count, handed over around each call of translated code so that jitExec can sync exactly).
let unsynced: u64 = 0;
/** The dispatcher's count of retired, not yet synced instructions, before it calls translated code. */
// @ts-ignore: decorator
@inline export function setJitUnsynced(n: u64): void { unsynced = n; }
/** The same count after the call (lowered by what jitExec synced; wraps below zero by design:
 *  the dispatcher adds the call's retired count to it). */
// @ts-ignore: decorator
@inline export function jitUnsynced(): u64 { return unsynced; }

/**
 * Executes instruction `d` (decoded form; an A-extension or a cpu/system.ts operation) at `pc`
 * with the interpreter's code, for translated code: `bits` is its encoding (xtval), `retired` the
 * instructions the current call of translated code retired before it (so that counters read
 * exactly, as in the interpreter). The integer registers it reads are in the hart block, and x[rd]
 * is there afterwards. Returns the attention word: 0 = continue; ATTN_EXCEPTION = it raised (stop
 * at it); else it ran and the code must exit with the next pc, which is then in H_PC
 * (ATTN_BATCH: interrupt, privilege or translation state may have changed; ATTN_EXIT: exit request).
 */
export function jitExec(d: u64, pc: u64, bits: u64, retired: u32): u32 {
  syncCounters(unsynced + <u64>retired);
  unsynced = 0 - <u64>retired;
  const op = dOp(d);
  let npc = pc + (dCompressed(d) ? 2 : 4);
  if (op >= <u32>Op.LR_W && op <= <u32>Op.AMOMAXU_D) execAtomic(d);
  else npc = execSystem(d, pc, npc, bits);
  if (attention != 0 && (attention & ATTN_EXCEPTION) == 0) store<u64>(hartBase + H_PC, npc);
  return attention;
}
