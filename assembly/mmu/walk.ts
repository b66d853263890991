// Page-table walks for Sv39 and Sv48 (privileged spec, supervisor.adoc "Virtual Address
// Translation Process", "Sv39", "Sv48").
//
// `walkStage` is the stage-independent core of the algorithm: it walks a radix tree of 8-byte
// PTEs with 9 index bits per level (plus `widen` extra bits at the root, 2 for the hypervisor's
// Sv39x4/Sv48x4 G-stage whose root table is 16 KiB), checks the leaf against an access kind and
// privilege, updates A/D and reports a status. Callers map the status to the exception of their
// stage: `translate` below raises page faults (12/13/15) and access faults (1/5/7) for the
// single-stage (satp) translation. A two-stage walk (hypervisor.adoc "Two-Stage Address
// Translation") will call walkStage for VS-stage with a hook translating each PTE address
// through the G-stage (see WALK_HOOK below), then run walkStage again for the final guest
// physical address with priv = U (G-stage leaves must have U=1) and map faults to 20/21/23.
//
// Statistics: H_STAT_PAGE_WALKS counts walks, H_STAT_WALK_REFS the memory references they make
// (each PTE read and each A/D write-back), so a 1-D walk costs 1..4 (+1) references and a 2-D
// walk will show its up-to-24 references.
import { H_STAT_PAGE_WALKS, H_STAT_WALK_REFS, PRV_S, PRV_U } from "../layout";
import { hartBase, bump } from "../cpu/state";
import { raise, CAUSE_FETCH_PAGE_FAULT, CAUSE_LOAD_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT,
         CAUSE_FETCH_ACCESS, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS } from "../cpu/causes";
import { ACC_FETCH, ACC_LOAD, ACC_STORE, ramHost } from "./access";
import { pmpCheck } from "./pmp";
import { SATP_MODE_SV48 } from "./mode";
import { gstageImplicit, GSTAGE_FAIL } from "./gstage";

// PTE fields (supervisor.adoc "Sv32 page table entry" bits 9..0; Sv39/Sv48 PTE layout).
export const PTE_V: u64 = 1 << 0;
export const PTE_R: u64 = 1 << 1;
export const PTE_W: u64 = 1 << 2;
export const PTE_X: u64 = 1 << 3;
export const PTE_U: u64 = 1 << 4;
export const PTE_G: u64 = 1 << 5;
export const PTE_A: u64 = 1 << 6;
export const PTE_D: u64 = 1 << 7;
export const PTE_PPN_SHIFT: u32 = 10;
export const PTE_PPN_MASK: u64 = ((<u64>1) << 44) - 1;
/** Bits 63..54: N (Svnapot), PBMT (Svpbmt) and bits reserved for future standard use. Neither
 *  Svnapot nor Svpbmt is implemented, so any of them set is a page fault ("Sv39": "If Svnapot
 *  is not implemented, bit 63 remains reserved ... or else a page-fault exception is raised"). */
export const PTE_RESERVED: u64 = ~((<u64>1 << 54) - 1);
/** Non-leaf PTEs: D, A and U are reserved for future standard use (supervisor.adoc "Sv32"),
 *  and step 3 of the translation process faults on any reserved bit set. */
export const PTE_NONLEAF_RESERVED: u64 = PTE_D | PTE_A | PTE_U;

/** walkStage results. */
export const WALK_OK: u32 = 0;
export const WALK_PAGE_FAULT: u32 = 1;
export const WALK_ACCESS_FAULT: u32 = 2;
/** A VS-stage walk's own page-table access failed its G-stage translation (gstage.ts gFault*). */
export const WALK_GUEST_FAULT: u32 = 3;

/** Results of the last successful walkStage: physical address of the 4 KiB page holding va. */
export let walkPage: u64 = 0;
/** The leaf PTE as written back (A/D included). */
export let walkPte: u64 = 0;
/** Level of the leaf (0 = 4 KiB page, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB). */
export let walkLevel: u32 = 0;
/** True if G was set in the leaf or any PTE on the path (non-leaf G makes the subtree global). */
export let walkGlobal: bool = false;

/** True if a leaf `pte` lets privilege `priv` (PRV_S or PRV_U) perform `access`, given SUM and MXR
 *  ("Virtual Address Translation Process" steps 6 and 8; "Memory Privilege in mstatus Register"). */
// @ts-ignore: decorator
@inline export function ptePermits(pte: u64, access: u32, priv: u32, sum: bool, mxr: bool): bool {
  // U bit: U-mode may touch only U pages; S-mode never executes from U pages and reads or
  // writes them only with SUM=1.
  if ((pte & PTE_U) != 0) {
    if (priv != PRV_U && (access == ACC_FETCH || !sum)) return false;
  } else if (priv == PRV_U) {
    return false;
  }
  if (access == ACC_FETCH) return (pte & PTE_X) != 0;
  if (access == ACC_LOAD) return (pte & PTE_R) != 0 || (mxr && (pte & PTE_X) != 0);
  return (pte & PTE_W) != 0;
}

/** Walks the table rooted at physical `root` for `va` (already range-checked by the caller) with
 *  `levels` levels and `widen` extra root index bits; returns WALK_OK (results in walk*) or a fault.
 *  `stat` is the walk counter to bump (H_STAT_PAGE_WALKS or H_STAT_GWALKS). With `guestTables`
 *  (a VS-stage walk), root and every PTE address are guest physical and go through the G-stage. */
export function walkStage(root: u64, va: u64, levels: u32, widen: u32, access: u32, priv: u32,
                          sum: bool, mxr: bool, stat: u32 = H_STAT_PAGE_WALKS, guestTables: bool = false): u32 {
  bump(stat);
  let refs: u64 = 0;
  let status = WALK_PAGE_FAULT;
  let a = root;
  let i = <i32>levels - 1;
  let global = false;
  while (true) {
    // Step 2: pte = PTE at a + va.vpn[i] * PTESIZE.
    const bits: u32 = i == <i32>levels - 1 ? 9 + widen : 9;
    const vpn = (va >> (<u64>(12 + 9 * i))) & (((<u64>1) << bits) - 1);
    let pteAddr = a + (vpn << 3);
    // A VS-stage walk's PTE address is guest physical: translate it through the G-stage as an
    // implicit read (hypervisor.adoc "Two-Stage Address Translation": "each ... memory access
    // by the VS-stage translation is itself translated by the G-stage").
    const gpteAddr = pteAddr;
    if (guestTables) {
      const hp = gstageImplicit(pteAddr, false);
      if (hp == GSTAGE_FAIL) { status = WALK_GUEST_FAULT; break; }
      pteAddr = hp;
    }
    // The walker's own reads are S-mode accesses for PMP and must hit RAM (PMA): otherwise an
    // access fault of the original access type.
    const h = ramHost(pteAddr, 8);
    if (h == 0 || !pmpCheck(pteAddr, 8, ACC_LOAD, PRV_S)) { status = WALK_ACCESS_FAULT; break; }
    const pte = atomic.load<u64>(h);
    refs++;
    // Step 3: invalid, reserved W-without-R, reserved bits.
    if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W || (pte & PTE_RESERVED) != 0) break;
    const ppn = (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
    if ((pte & (PTE_R | PTE_X)) == 0) {
      // Step 4: pointer to the next level.
      if ((pte & PTE_NONLEAF_RESERVED) != 0) break;
      if (i == 0) break;
      global = global || (pte & PTE_G) != 0;
      i--;
      a = ppn << 12;
      continue;
    }
    // Step 5: a misaligned superpage faults.
    const lowBits = <u64>(9 * i);
    if (i > 0 && (ppn & (((<u64>1) << lowBits) - 1)) != 0) break;
    // Steps 6 and 8: U bit, then R/W/X.
    if (!ptePermits(pte, access, priv, sum, mxr)) break;
    // Step 9: set A, and D for a store, atomically with respect to the PTE read (Svade is not
    // implemented, so the walker updates A/D in memory; Svadu's hardware-update semantics).
    const nv = pte | PTE_A | (access == ACC_STORE ? PTE_D : 0);
    if (nv != pte) {
      // The A/D update of a guest PTE needs G-stage write permission (pseudo-instruction write).
      if (guestTables && gstageImplicit(gpteAddr, true) == GSTAGE_FAIL) { status = WALK_GUEST_FAULT; break; }
      if (!pmpCheck(pteAddr, 8, ACC_STORE, PRV_S)) { status = WALK_ACCESS_FAULT; break; }
      const seen = atomic.cmpxchg<u64>(h, pte, nv);
      refs++;
      if (seen != pte) continue; // the PTE changed under us: re-read it (back to step 2)
    }
    // Step 10: pa.ppn[i-1:0] = va.vpn[i-1:0] for superpages, pte.ppn above.
    const pageMask = ((<u64>1) << (12 + lowBits)) - 1;
    walkPage = ((ppn << 12) & ~pageMask) | (va & pageMask & ~<u64>0xfff);
    walkPte = nv;
    walkLevel = <u32>i;
    walkGlobal = global || (pte & PTE_G) != 0;
    status = WALK_OK;
    break;
  }
  store<u64>(hartBase + H_STAT_WALK_REFS, load<u64>(hartBase + H_STAT_WALK_REFS) + refs);
  return status;
}

/** Page-fault cause for an access kind (12/13/15). */
// @ts-ignore: decorator
@inline export function pageFaultCause(access: u32): u32 {
  return access == ACC_FETCH ? CAUSE_FETCH_PAGE_FAULT
       : (access == ACC_LOAD ? CAUSE_LOAD_PAGE_FAULT : CAUSE_STORE_PAGE_FAULT);
}

/** Access-fault cause for an access kind (1/5/7). */
// @ts-ignore: decorator
@inline export function accessFaultCause(access: u32): u32 {
  return access == ACC_FETCH ? CAUSE_FETCH_ACCESS
       : (access == ACC_LOAD ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS);
}

/** True if va is a valid Sv39/Sv48 virtual address: bits 63..VALEN-1 all equal ("Sv39": "must
 *  have bits 63–39 all equal to bit 38, or else a page-fault exception will occur"). */
// @ts-ignore: decorator
@inline export function vaCanonical(va: u64, levels: u32): bool {
  const shift = <u64>(64 - 12 - 9 * levels);
  return ((<i64>(va << shift)) >> <i64>shift) == <i64>va;
}

/** Translates va through the satp page table (mode 8 = Sv39, 9 = Sv48, root physical address)
 *  for `access` at privilege `priv`; on success returns true with walkPage etc. set, otherwise
 *  raises the page or access fault with tval = va and returns false. */
export function translate(satpMode: u32, root: u64, va: u64, access: u32, priv: u32, sum: bool,
                          mxr: bool): bool {
  const levels: u32 = satpMode == <u32>SATP_MODE_SV48 ? 4 : 3;
  if (!vaCanonical(va, levels)) { raise(pageFaultCause(access), va); return false; }
  const st = walkStage(root, va, levels, 0, access, priv, sum, mxr);
  if (st == WALK_OK) return true;
  raise(st == WALK_PAGE_FAULT ? pageFaultCause(access) : accessFaultCause(access), va);
  return false;
}

/** Bytes covered by a leaf at `level` (4 KiB << 9*level). */
// @ts-ignore: decorator
@inline export function levelBytes(level: u32): u64 { return (<u64>1) << (<u64>(12 + 9 * level)); }
