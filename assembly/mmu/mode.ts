// MMU mode selection: which soft-TLB array serves instruction fetches and which serves loads and
// stores, and the address-space context that every TLB hit compares.
//
// Privileged spec, machine.adoc "Memory Privilege in mstatus Register" (MPRV, MXR, SUM) and
// supervisor.adoc "Supervisor Address Translation and Protection (satp) Register".
//
// One TLB array exists per *MMU mode*, i.e. per set of rules under which a cached translation is
// valid without looking at mstatus again:
//
//   index  mode                         used for
//   0      M  (no translation)          M-mode fetches; M-mode data unless MPRV selects S/U
//   1      S, SUM=0                     S-mode fetches (SUM never affects fetches); S data
//   2      S, SUM=1                     S-mode data while sstatus.SUM=1
//   3      U                            U-mode fetches and data
//   4      VS, vsstatus.SUM=0           V=1: VS-mode fetches and data (two-stage translation)
//   5      VS, vsstatus.SUM=1           VS-mode data while vsstatus.SUM=1
//   6      VU                           V=1: VU-mode fetches and data
//   7      unused
// The V=1 arrays cache the combined guest-virtual -> host-physical translation (VS-stage over
// G-stage). Their context word holds vsatp's ASID and hgatp's VMID; hgatp itself and
// mstatus.MXR (which widens G-stage reads) are not in the context: changing them flushes the
// V=1 arrays (tlb.ts mmuFlushVirtual).
//
// MXR and the satp configuration are folded into the context word instead of into the array
// index, so that flipping MXR (OpenSBI does this around every emulated instruction fetch) or
// switching satp between Bare and Sv39/Sv48 never needs a flush: entries filled under the
// other setting simply stop matching (spec: "Changes to the sstatus fields SUM and MXR take
// effect immediately, without the need to execute an SFENCE.VMA instruction"; likewise changes
// of satp.MODE between Bare and other modes and of satp.ASID).
//
// Context word (TE_CTX, compared on every hit):
//   bits 15..0   ASID (satp.ASID; 0 when satp is Bare)
//   bits 29..16  VMID (hgatp.VMID) for the V=1 arrays, 0 otherwise
//   bit  30      MXR was set when the entry was filled (only while translating; with V=1
//                vsstatus.MXR | mstatus.MXR, the VS-stage rule)
//   bit  31      satp (vsatp for V=1) is Bare: entries of arrays 1..3 hold identity mappings
// A real context never has bits 30 and 31 both set, so CTX_INVALID below never matches.
import { TLB_BASE, TLB_ENTRIES, TLB_ENTRY_SIZE, TLB_HART_SIZE, HART_BASE, HART_SIZE, H_PRIV,
         H_MSTATUS, H_SATP, H_VIRT, H_VSATP, H_VSSTATUS, H_HGATP, PRV_M, PRV_S, PRV_U } from "../layout";
import { hartBase } from "../cpu/state";
import { MSTATUS_MPRV, MSTATUS_MPP_SHIFT, MSTATUS_SUM, MSTATUS_MXR } from "../cpu/causes";
import { setTlbContext } from "./access";

/** MMU mode indices (TLB array numbers within a hart's TLB block). */
export const MMU_M: u32 = 0;
export const MMU_S: u32 = 1;
export const MMU_S_SUM: u32 = 2;
export const MMU_U: u32 = 3;
/** Number of array indices used with V=0 (0..3). */
export const MMU_HS_MODES: u32 = 4;
export const MMU_VS: u32 = 4;
export const MMU_VS_SUM: u32 = 5;
export const MMU_VU: u32 = 6;
/** First index after the V=1 arrays. */
export const MMU_V_END: u32 = 8;
/** Bytes of one mode's TLB array, and its log2. */
export const TLB_MODE_SIZE: u32 = TLB_ENTRIES * TLB_ENTRY_SIZE;
export const TLB_MODE_SHIFT: u32 = 14;

/** satp.MODE encodings (supervisor.adoc, "Encoding of satp MODE field"). */
export const SATP_MODE_BARE: u32 = 0;
export const SATP_MODE_SV39: u32 = 8;
export const SATP_MODE_SV48: u32 = 9;
export const SATP_PPN_MASK: u64 = ((<u64>1) << 44) - 1;
export const SATP_ASID_SHIFT: u32 = 44;

/** Context-word fields (see the file header). */
export const CTX_ASID_MASK: u32 = 0xffff;
export const CTX_VMID_SHIFT: u32 = 16;
export const CTX_MXR: u32 = 1 << 30;
export const CTX_BARE: u32 = 1 << 31;
export const CTX_INVALID: u32 = 0xffff_ffff;

/** Base of the current hart's TLB block (all modes). */
export let mmuHartTlb: u32 = TLB_BASE;
/** Privilege of instruction fetches (the current privilege; MPRV never applies to fetches). */
export let mmuFetchPriv: u32 = PRV_M;
/** Effective privilege of loads and stores (mstatus.MPP when priv = M and MPRV = 1). */
export let mmuDataPriv: u32 = PRV_M;
/** mstatus.SUM as it applies to the effective data privilege. */
export let mmuSum: bool = false;
/** mstatus.MXR. */
export let mmuMxr: bool = false;
/** satp.MODE (0, 8 or 9) and the root page-table physical address. */
export let mmuSatpMode: u32 = SATP_MODE_BARE;
export let mmuRoot: u64 = 0;
/** True when satp selects Sv39/Sv48, i.e. S- and U-mode addresses are translated. */
export let mmuPaging: bool = false;
/** Data accesses run with V=1 (two-stage translation); mmuSatpMode/mmuRoot then describe vsatp. */
export let mmuVirt: bool = false;
/** hgatp.MODE (0, 8 = Sv39x4, 9 = Sv48x4) and the G-stage root (host physical). */
export let mmuGMode: u32 = 0;
export let mmuGRoot: u64 = 0;
/** mstatus.MXR alone: the G-stage's make-executable-readable rule. */
export let mmuGMxr: bool = false;

/** TLB block of hart number `index` (0-based). */
// @ts-ignore: decorator
@inline export function hartTlbBlock(index: u32): u32 { return TLB_BASE + index * TLB_HART_SIZE; }

/** Hart number of the currently selected hart. */
// @ts-ignore: decorator
@inline export function currentHartIndex(): u32 { return (hartBase - HART_BASE) / HART_SIZE; }

/** Maps a privilege level, the SUM bit and V to an MMU mode index. */
// @ts-ignore: decorator
@inline export function modeIndex(priv: u32, sum: bool, virt: bool = false): u32 {
  if (priv == PRV_M) return MMU_M;
  const base = virt ? MMU_VS - MMU_S : 0;
  if (priv == PRV_S) return base + (sum ? MMU_S_SUM : MMU_S);
  return virt ? MMU_VU : MMU_U;
}

/** Privilege level an MMU mode index stands for. */
// @ts-ignore: decorator
@inline export function modePriv(mode: u32): u32 {
  if (mode == MMU_M) return PRV_M;
  return mode == MMU_U || mode == MMU_VU ? PRV_U : PRV_S;
}

/** True if an MMU mode index is one of the V=1 arrays. */
// @ts-ignore: decorator
@inline export function modeVirtual(mode: u32): bool { return mode >= MMU_VS; }

/** MMU mode index of a TLB array base address of the current hart. */
// @ts-ignore: decorator
@inline export function modeOfBase(base: u32): u32 { return (base - mmuHartTlb) >> TLB_MODE_SHIFT; }

/** Recomputes the TLB arrays and context in force from priv, mstatus and satp of the current hart. */
export function mmuUpdate(): void {
  const priv = load<u32>(hartBase + H_PRIV);
  const mstatus = load<u64>(hartBase + H_MSTATUS);
  const satp = load<u64>(hartBase + H_SATP);

  // machine.adoc "Modify PRV": with MPRV=1, loads and stores of M-mode are translated and
  // protected as though the privilege were MPP; fetches are unaffected.
  // With MPRV, data accesses also take V from MPV (hypervisor.adoc "mstatus": MPRV with MPV=1).
  const virt = load<u32>(hartBase + H_VIRT) != 0;
  let dpriv = priv;
  let dvirt = virt;
  if (priv == PRV_M && (mstatus & MSTATUS_MPRV) != 0) {
    dpriv = <u32>(mstatus >> MSTATUS_MPP_SHIFT) & 3;
    dvirt = dpriv != PRV_M && ((mstatus >> 39) & 1) != 0;
  }
  if (dpriv == 2) dpriv = PRV_U; // MPP is WARL and never holds 2; be defensive
  const gmxr = (mstatus & MSTATUS_MXR) != 0;
  let sum: bool, mxr: bool, atp: u64;
  let vmid: u32 = 0;
  if (dvirt) {
    // VS-stage rules come from vsstatus/vsatp; mstatus.MXR still makes X pages readable.
    const vss = load<u64>(hartBase + H_VSSTATUS);
    sum = dpriv == PRV_S && (vss & MSTATUS_SUM) != 0;
    mxr = gmxr || (vss & MSTATUS_MXR) != 0;
    atp = load<u64>(hartBase + H_VSATP);
    vmid = <u32>(load<u64>(hartBase + H_HGATP) >> 44) & 0x3fff;
  } else {
    sum = dpriv == PRV_S && (mstatus & MSTATUS_SUM) != 0;
    mxr = gmxr;
    atp = satp;
  }

  const mode = <u32>(atp >> 60);
  const paging = mode == SATP_MODE_SV39 || mode == SATP_MODE_SV48;
  let ctx: u32;
  if (paging) {
    ctx = <u32>(atp >> SATP_ASID_SHIFT) & CTX_ASID_MASK;
    if (mxr) ctx |= CTX_MXR;
  } else {
    ctx = CTX_BARE;
  }
  ctx |= vmid << CTX_VMID_SHIFT;

  mmuHartTlb = hartTlbBlock(currentHartIndex());
  mmuFetchPriv = priv;
  mmuDataPriv = dpriv;
  mmuSum = sum;
  mmuMxr = mxr;
  mmuSatpMode = paging ? mode : SATP_MODE_BARE;
  mmuRoot = (atp & SATP_PPN_MASK) << 12;
  mmuPaging = paging;
  mmuVirt = dvirt;
  mmuGMxr = gmxr;
  const hgatp = load<u64>(hartBase + H_HGATP);
  mmuGMode = <u32>(hgatp >> 60);
  mmuGRoot = (hgatp & SATP_PPN_MASK) << 12;

  // Fetches use the data side's translation parameters: they differ only under MPRV, where the
  // fetch privilege is M (no translation).
  const dataBase = mmuHartTlb + modeIndex(dpriv, sum, dvirt) * TLB_MODE_SIZE;
  const fetchBase = mmuHartTlb + modeIndex(priv, false, virt) * TLB_MODE_SIZE;
  setTlbContext(dataBase, fetchBase, ctx);
}
