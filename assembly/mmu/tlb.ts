// Soft-TLB fill and flush (DESIGN.md §3; entry layout in mmu/access.ts).
//
// A fill translates one virtual page for one MMU mode (mmu/mode.ts), applies PMP, and writes one
// direct-mapped entry holding a tag per access kind:
//   tag == page va            the access kind may use the fast path (hit = compare + add)
//   tag == page va | TAG_SLOW permitted, but every access goes through access.ts's slow path
//                             (not RAM, HTIF words for stores, PMP not uniform over the page)
//   tag == TAG_INVALID        not permitted by the cached translation (or W with D=0): the next
//                             access of that kind refills and raises the fault (or sets D)
// Superpages are cached per 4 KiB page; the entry remembers the leaf level so that a targeted
// SFENCE.VMA also drops every 4 KiB piece of a superpage that covers the fenced address.
//
// Translations cached here embed everything the hit path would otherwise check: the PTE's
// U/R/W/X against the mode's privilege, SUM (array choice), MXR and satp (context word), the D
// bit (write tag) and the PMP decision. Invariants the rest of the core relies on:
// * entries are filled for the current hart only; TE_CTX = tlbCtx at fill time;
// * a PMP CSR change flushes (pmp.ts), satp/SUM/MXR/MPRV changes call mmuUpdate() (no flush);
// * SFENCE.VMA calls sfenceVma(); hart reset calls flushAllTlbs() before mmuUpdate().
import { TLB_ENTRIES, TLB_MODES, HART_BASE, HART_SIZE, MAX_HARTS, M_NUM_HARTS, H_STAT_TLB_MISS,
         H_STAT_TLB_FLUSH } from "../layout";
import { bump, machine32 } from "../cpu/state";
import { raise } from "../cpu/causes";
import { ACC_FETCH, ACC_LOAD, ACC_STORE, TE_TAG_R, TE_TAG_W, TE_TAG_X, TE_ADDEND, TE_PPAGE,
         TE_CTX, TE_FLAGS, TEF_GLOBAL, TEF_SUPERPAGE, TAG_INVALID, TAG_SLOW, tlbCtx, ramHost,
         touchesHtif, resetFetchPage, entryOf } from "./access";
import { MMU_M, MMU_S, MMU_S_SUM, MMU_VS, MMU_VS_SUM, MMU_V_END, MMU_HS_MODES, TLB_MODE_SIZE, CTX_ASID_MASK, CTX_BARE,
         CTX_INVALID, mmuPaging, mmuSatpMode, mmuRoot, mmuMxr, modeOfBase, modePriv, modeVirtual,
         hartTlbBlock, currentHartIndex } from "./mode";
import { translateVirtual, bothPermit, pwcFlush, vPage, vsPte, vgPte, vsLevel, vsGlobal } from "./gstage";
import { translate, ptePermits, accessFaultCause, walkPage, walkPte, walkLevel, walkGlobal,
         PTE_D } from "./walk";
import { isCodePage } from "../jit/cache";
import { pmpPagePerms, pmpCheck, pmpPermBit, PMP_MIXED, PMP_R, PMP_W, PMP_X } from "./pmp";

/** Entry field: u64 virtual page the entry was filled for (used by targeted flushes). */
export const TE_VPAGE: u32 = 48;
/** Entry flag: PMP does not decide the whole physical page alike; every access is checked. */
export const TEF_PMP: u32 = 4;
/** Entry flags bits 9..8: level of the leaf PTE (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB). */
export const TEF_LEVEL_SHIFT: u32 = 8;


/** Fills the TLB entry for va in the array at `base` (a mode array of the current hart) after
 *  checking that `access` is permitted; returns the entry address, or 0 after raising the fault. */
export function tlbFill(base: u32, va: u64, access: u32): u32 {
  bump(H_STAT_TLB_MISS);
  const mode = modeOfBase(base);
  const priv = modePriv(mode);
  const vpage = va & ~<u64>0xfff;
  let ppage = vpage;
  let perms: u32 = PMP_R | PMP_W | PMP_X; // kinds the fast path may serve (pmpcfg bit layout)
  let flags: u32 = 0;

  if (modeVirtual(mode)) {
    // V=1: VS-stage over G-stage; the entry caches guest virtual -> host physical, with the
    // permissions both stages grant (hypervisor.adoc "Two-Stage Address Translation").
    const sum = mode == MMU_VS_SUM;
    if (!translateVirtual(mmuSatpMode, mmuRoot, va, access, access, priv, sum, mmuMxr)) return 0;
    ppage = vPage;
    const vs = vsPte, g = vgPte;
    perms = 0;
    if (bothPermit(vs, g, ACC_LOAD, priv, sum, mmuMxr)) perms |= PMP_R;
    if (bothPermit(vs, g, ACC_STORE, priv, sum, mmuMxr)) perms |= PMP_W;
    if (bothPermit(vs, g, ACC_FETCH, priv, sum, mmuMxr)) perms |= PMP_X;
    if (vsGlobal) flags |= TEF_GLOBAL;
    if (vsLevel > 0) flags |= TEF_SUPERPAGE | (vsLevel << TEF_LEVEL_SHIFT);
  } else if (mode != MMU_M && mmuPaging) {
    // Translation applies when the effective privilege is S or U and satp is Sv39/Sv48
    // (supervisor.adoc "Virtual Address Translation Process", step 1).
    const sum = mode == MMU_S_SUM;
    if (!translate(mmuSatpMode, mmuRoot, va, access, priv, sum, mmuMxr)) return 0;
    ppage = walkPage;
    const pte = walkPte;
    perms = 0;
    if (ptePermits(pte, ACC_LOAD, priv, sum, mmuMxr)) perms |= PMP_R;
    // Stores hit only when D is already set, so the first store reaches the walker which sets D.
    if ((pte & PTE_D) != 0 && ptePermits(pte, ACC_STORE, priv, sum, mmuMxr)) perms |= PMP_W;
    if (ptePermits(pte, ACC_FETCH, priv, sum, mmuMxr)) perms |= PMP_X;
    if (walkGlobal) flags |= TEF_GLOBAL;
    if (walkLevel > 0) flags |= TEF_SUPERPAGE | (walkLevel << TEF_LEVEL_SHIFT);
  }

  // PMP on the final physical page (machine.adoc "Physical Memory Protection and Paging"):
  // cached when uniform over the page, otherwise checked per access in the slow path.
  let slow: u64 = 0;
  const pp = pmpPagePerms(ppage, priv);
  if ((pp & PMP_MIXED) != 0) {
    flags |= TEF_PMP;
    slow = TAG_SLOW;
  } else {
    if ((pp & pmpPermBit(access)) == 0) { raise(accessFaultCause(access), va); return 0; }
    perms &= pp;
  }

  // PMA: only RAM pages get the fast path; devices go through physRead/physWrite.
  const host = ramHost(ppage, 0x1000);
  if (host == 0) slow = TAG_SLOW;
  // Pages holding translated code (engine dbt) take stores on the slow path, which invalidates them.
  const slowW = touchesHtif(ppage) || isCodePage(ppage) ? TAG_SLOW : slow;

  const e = entryOf(base, va);
  store<u64>(e + TE_TAG_R, (perms & PMP_R) != 0 ? vpage | slow : TAG_INVALID);
  store<u64>(e + TE_TAG_W, (perms & PMP_W) != 0 ? vpage | slowW : TAG_INVALID);
  store<u64>(e + TE_TAG_X, (perms & PMP_X) != 0 ? vpage | slow : TAG_INVALID);
  store<u32>(e + TE_ADDEND, host - <u32>vpage); // u32 wrap-around: host = <u32>va + addend
  store<u64>(e + TE_PPAGE, ppage);
  store<u32>(e + TE_CTX, tlbCtx);
  store<u32>(e + TE_FLAGS, flags);
  store<u64>(e + TE_VPAGE, vpage);
  return e;
}

/** Per-access PMP check for the slow path through entry `e` (a no-op unless the entry is TEF_PMP);
 *  raises the access fault for `access` with tval = va and returns false when denied. */
export function tlbSlowCheck(e: u32, pa: u64, size: u32, access: u32, va: u64): bool {
  if ((load<u32>(e + TE_FLAGS) & TEF_PMP) == 0) return true;
  const priv = modePriv(modeOfBase(e & ~(TLB_MODE_SIZE - 1)));
  if (pmpCheck(pa, size, access, priv)) return true;
  raise(accessFaultCause(access), va);
  return false;
}

// @ts-ignore: decorator
@inline function invalidate(e: u32): void {
  store<u64>(e + TE_TAG_R, TAG_INVALID);
  store<u64>(e + TE_TAG_W, TAG_INVALID);
  store<u64>(e + TE_TAG_X, TAG_INVALID);
  store<u32>(e + TE_CTX, CTX_INVALID);
  store<u32>(e + TE_FLAGS, 0);
}

// Invalidates every entry of modes [first, end) of the TLB block at `block`.
function flushModes(block: u32, first: u32, end: u32): void {
  const stop = block + end * TLB_MODE_SIZE;
  for (let e = block + first * TLB_MODE_SIZE; e < stop; e += 64) invalidate(e);
}

/** Invalidates every TLB entry (all modes) of the current hart. */
export function flushAllTlbs(): void {
  flushModes(hartTlbBlock(currentHartIndex()), 0, TLB_MODES);
  pwcFlush();
  resetFetchPage();
  bump(H_STAT_TLB_FLUSH);
}

/** Invalidates every TLB entry of every hart (remote harts must also drop their cached fetch page,
 *  which lives in their own instance: they do so at their next mmuUpdate()). */
export function flushAllHartsTlbs(): void {
  let n = machine32(M_NUM_HARTS);
  if (n == 0 || n > MAX_HARTS) n = MAX_HARTS;
  for (let i: u32 = 0; i < n; i++) {
    flushModes(hartTlbBlock(i), 0, TLB_MODES);
    const counter = HART_BASE + i * HART_SIZE + H_STAT_TLB_FLUSH;
    store<u64>(counter, load<u64>(counter) + 1);
  }
  resetFetchPage();
}

/** Drops every V=1 translation of the current hart (the V=1 TLB arrays and the G-stage page-walk
 *  cache): after hgatp or mstatus.MXR changes and for HFENCE.GVMA. */
export function mmuFlushVirtual(): void {
  flushModes(hartTlbBlock(currentHartIndex()), MMU_VS, MMU_V_END);
  pwcFlush();
  resetFetchPage();
  bump(H_STAT_TLB_FLUSH);
}

/** SFENCE.VMA (supervisor.adoc "Supervisor Memory-Management Fence Instruction"): hasVa = rs1 != x0
 *  (va = x[rs1]), hasAsid = rs2 != x0 (rs2 = x[rs2], the ASID in its low 16 bits). Invalidates the matching entries of the
 *  current hart's S/U arrays; entries of global mappings survive an ASID-specific fence. With `virt`
 *  (SFENCE.VMA in VS-mode, or HFENCE.VVMA) it acts on the V=1 arrays instead: the VS-stage of the
 *  current virtual machine (hypervisor.adoc "Hypervisor Memory-Management Fence Instructions";
 *  entries of other VMIDs are dropped too, which over-fencing allows). */
export function sfenceVma(va: u64, hasVa: bool, rs2: u64, hasAsid: bool, virt: bool = false): void {
  bump(H_STAT_TLB_FLUSH);
  resetFetchPage();
  const block = hartTlbBlock(currentHartIndex());
  if (!hasVa && !hasAsid) {
    // rs1 = rs2 = x0: all address spaces. Also flush M-mode's identity entries: this is the
    // fence the spec requires after PMP writes, and over-fencing is always legal.
    if (virt) flushModes(block, MMU_VS, MMU_V_END);
    else { flushModes(block, 0, TLB_MODES); pwcFlush(); }
    return;
  }
  const asid = <u32>rs2 & CTX_ASID_MASK; // bits SXLEN-1:ASIDMAX of rs2 are ignored
  const vpage = va & ~<u64>0xfff;
  const stop = block + (virt ? MMU_V_END : MMU_HS_MODES) * TLB_MODE_SIZE;
  for (let e = block + (virt ? MMU_VS : MMU_S) * TLB_MODE_SIZE; e < stop; e += 64) {
    const flags = load<u32>(e + TE_FLAGS);
    if (hasAsid) {
      // Only non-global translations of that ASID (identity entries of Bare are not translations).
      const ctx = load<u32>(e + TE_CTX);
      if ((flags & TEF_GLOBAL) != 0 || (ctx & CTX_BARE) != 0 || (ctx & CTX_ASID_MASK) != asid) continue;
    }
    if (hasVa) {
      // The entry's 4 KiB page, or the whole superpage it was cut from, must contain va.
      let span: u64 = 0xfff;
      if ((flags & TEF_SUPERPAGE) != 0) {
        span = ((<u64>1) << (<u64>(12 + 9 * ((flags >> TEF_LEVEL_SHIFT) & 3)))) - 1;
      }
      if (((load<u64>(e + TE_VPAGE) ^ vpage) & ~span) != 0) continue;
    }
    invalidate(e);
  }
}

/** Number of TLB entries of the current hart's array `mode` whose context is not CTX_INVALID
 *  (diagnostics and tests). */
export function tlbValidEntries(mode: u32): u32 {
  const arr = hartTlbBlock(currentHartIndex()) + mode * TLB_MODE_SIZE;
  let n: u32 = 0;
  for (let e = arr; e < arr + TLB_MODE_SIZE; e += 64) {
    if (load<u32>(e + TE_CTX) != CTX_INVALID) n++;
  }
  return n;
}
