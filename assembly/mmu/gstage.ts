// Two-stage address translation for V=1 (privileged spec, hypervisor.adoc "Two-Stage Address
// Translation", "Guest Physical Address Translation", "Guest-Page Faults").
//
// A guest virtual address goes through the VS-stage (vsatp: Bare, Sv39, Sv48) to a guest physical
// address (GPA), which goes through the G-stage (hgatp: Bare, Sv39x4, Sv48x4) to a host physical
// address. Every VS-stage page-table reference is itself a GPA translated by the G-stage
// (walk.ts walkStage with guestTables), so a 4-level over 4-level walk costs up to 24 memory
// references: the textbook 2-D walk. G-stage leaves must have U=1 (all G-stage accesses are
// treated as U-mode) and the G-stage honours mstatus.MXR only.
//
// Page-walk cache: the G-stage translations made here are kept in a small direct-mapped cache
// (layout.ts H_PWC, PWC_ENTRIES) keyed by GPA page, so the G-stage walks for the VS-stage's
// page-table pages (few, hot) and for recently used data pages cost no memory references. It is
// flushed with the V=1 TLB arrays (tlb.ts mmuFlushVirtual: hgatp writes, HFENCE.GVMA, MXR
// changes) and can be switched off with CPU_NO_PWC to measure its effect.
import { H_STAT_PAGE_WALKS, H_STAT_GWALKS, H_STAT_PWC_HITS, H_PWC, PWC_ENTRIES, PWC_ENTRY_SIZE,
         M_CPU_FLAGS, CPU_NO_PWC, PRV_U } from "../layout";
import { hartBase, bump, machine32 } from "../cpu/state";
import { raise, raiseGuest, CAUSE_FETCH_GUEST_PAGE_FAULT, CAUSE_LOAD_GUEST_PAGE_FAULT,
         CAUSE_STORE_GUEST_PAGE_FAULT } from "../cpu/causes";
import { ACC_FETCH, ACC_LOAD, ACC_STORE } from "./access";
import { walkStage, walkPage, walkPte, walkLevel, walkGlobal, ptePermits, vaCanonical, pageFaultCause,
         accessFaultCause, WALK_OK, WALK_PAGE_FAULT, WALK_GUEST_FAULT, PTE_V, PTE_R, PTE_W, PTE_X, PTE_U,
         PTE_A, PTE_D } from "./walk";
import { SATP_MODE_SV48, SATP_MODE_BARE, mmuGMode, mmuGRoot, mmuGMxr } from "./mode";

/** gstageImplicit's failure value (never a valid 8-byte-aligned address). */
export const GSTAGE_FAIL: u64 = 1;
/** A PTE granting everything: the stand-in for a Bare stage. */
export const PTE_ALL: u64 = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;

/** Result of the last successful gstageTranslate: host physical page and G-stage leaf PTE. */
export let gPage: u64 = 0;
export let gPte: u64 = 0;
/** Last G-stage failure: true for a guest-page fault, false for an access fault (PTE not in RAM/PMP). */
export let gFaultIsPage: bool = true;
/** Last G-stage failure: the guest physical address, and whether it was an implicit A/D write. */
export let gFaultGpa: u64 = 0;
export let gFaultWrite: bool = false;

/** Results of the last successful translateVirtual: host page, VS leaf PTE, G leaf PTE, VS level. */
export let vPage: u64 = 0;
export let vsPte: u64 = 0;
export let vgPte: u64 = 0;
export let vsLevel: u32 = 0;
export let vsGlobal: bool = false;

/** Invalidates the whole page-walk cache of the current hart. */
export function pwcFlush(): void {
  for (let i: u32 = 0; i < PWC_ENTRIES; i++) store<u64>(hartBase + H_PWC + i * PWC_ENTRY_SIZE, 0);
}

/** Translates `gpa` through the G-stage for `access`; on success sets gPage/gPte and returns true,
 *  otherwise records gFault* and returns false. */
export function gstageTranslate(gpa: u64, access: u32): bool {
  const mode = mmuGMode;
  if (mode == SATP_MODE_BARE) { gPage = gpa & ~<u64>0xfff; gPte = PTE_ALL; return true; }
  const levels: u32 = mode == <u32>SATP_MODE_SV48 ? 4 : 3;
  // Sv39x4/Sv48x4: GPA bits above 41/50 must be zero, or a guest-page fault.
  if ((gpa >> <u64>(12 + 9 * levels + 2)) != 0) { gFaultIsPage = true; gFaultGpa = gpa; return false; }
  const gpage = gpa & ~<u64>0xfff;
  const usePwc = (machine32(M_CPU_FLAGS) & CPU_NO_PWC) == 0;
  const e = hartBase + H_PWC + ((<u32>(gpa >> 12)) & (PWC_ENTRIES - 1)) * PWC_ENTRY_SIZE;
  if (usePwc && load<u64>(e) == (gpage | 1)) {
    const pte = load<u64>(e + 16);
    if (ptePermits(pte, access, PRV_U, false, mmuGMxr) && (access != ACC_STORE || (pte & PTE_D) != 0)) {
      bump(H_STAT_PWC_HITS);
      gPage = load<u64>(e + 8); gPte = pte;
      return true;
    }
  }
  const st = walkStage(mmuGRoot, gpa, levels, 2, access, PRV_U, false, mmuGMxr, H_STAT_GWALKS, false);
  if (st != WALK_OK) { gFaultIsPage = st == WALK_PAGE_FAULT; gFaultGpa = gpa; return false; }
  gPage = walkPage; gPte = walkPte;
  if (usePwc) { store<u64>(e, gpage | 1); store<u64>(e + 8, walkPage); store<u64>(e + 16, walkPte); }
  return true;
}

/** G-stage translation of a VS-stage page-table reference (an implicit read, or the A/D write):
 *  host physical address, or GSTAGE_FAIL with gFault* set. */
export function gstageImplicit(gpa: u64, write: bool): u64 {
  if (!gstageTranslate(gpa, write ? ACC_STORE : ACC_LOAD)) { gFaultWrite = write; return GSTAGE_FAIL; }
  return gPage | (gpa & 0xfff);
}

/** Guest-page-fault cause for an access kind (20/21/23). */
// @ts-ignore: decorator
@inline export function guestFaultCause(access: u32): u32 {
  return access == ACC_FETCH ? CAUSE_FETCH_GUEST_PAGE_FAULT
       : (access == ACC_LOAD ? CAUSE_LOAD_GUEST_PAGE_FAULT : CAUSE_STORE_GUEST_PAGE_FAULT);
}

/** Translates guest virtual `va` with V=1 rules: VS-stage by (`atpMode`, `root`) at `priv` with
 *  `sum`/`mxr`, then the G-stage. `access` decides permissions, `faultAccess` the exception kind
 *  (they differ for HLVX, which needs execute permission but faults as a load). On success sets
 *  vPage, vsPte, vgPte, vsLevel, vsGlobal and returns true; otherwise raises and returns false. */
export function translateVirtual(atpMode: u32, root: u64, va: u64, access: u32, faultAccess: u32, priv: u32,
                                 sum: bool, mxr: bool): bool {
  gFaultWrite = false;
  let gpa = va;
  if (atpMode != SATP_MODE_BARE) {
    const levels: u32 = atpMode == <u32>SATP_MODE_SV48 ? 4 : 3;
    if (!vaCanonical(va, levels)) { raise(pageFaultCause(faultAccess), va); return false; }
    const st = walkStage(root, va, levels, 0, access, priv, sum, mxr, H_STAT_PAGE_WALKS, true);
    if (st == WALK_GUEST_FAULT) {
      // An implicit access for VS-stage translation: guest-page fault of the original access type,
      // htinst = the read (0x3000) or write (0x3020) pseudo-instruction for a 64-bit PTE.
      if (gFaultIsPage) raiseGuest(guestFaultCause(faultAccess), va, gFaultGpa, gFaultWrite ? 0x3020 : 0x3000);
      else raise(accessFaultCause(faultAccess), va);
      return false;
    }
    if (st != WALK_OK) {
      raise(st == WALK_PAGE_FAULT ? pageFaultCause(faultAccess) : accessFaultCause(faultAccess), va);
      return false;
    }
    vsPte = walkPte; vsLevel = walkLevel; vsGlobal = walkGlobal;
    gpa = walkPage | (va & 0xfff);
  } else {
    bump(H_STAT_PAGE_WALKS); // a translation with only the G-stage still counts as one walk
    // Bare VS-stage: everything is permitted at the nominal privilege (U pages for VU only).
    vsPte = priv == PRV_U ? PTE_ALL : PTE_ALL & ~PTE_U; vsLevel = 0; vsGlobal = false;
  }
  if (!gstageTranslate(gpa, access)) {
    if (gFaultIsPage) raiseGuest(guestFaultCause(faultAccess), va, gpa, 0);
    else raise(accessFaultCause(faultAccess), va);
    return false;
  }
  vPage = gPage;
  vgPte = gPte;
  return true;
}

/** True if the VS-stage `vs` and G-stage `g` leaves both let `priv` perform `access`. */
export function bothPermit(vs: u64, g: u64, access: u32, priv: u32, sum: bool, mxr: bool): bool {
  if (!ptePermits(vs, access, priv, sum, mxr) || !ptePermits(g, access, PRV_U, false, mmuGMxr)) return false;
  return access != ACC_STORE || ((vs & PTE_D) != 0 && (g & PTE_D) != 0);
}
