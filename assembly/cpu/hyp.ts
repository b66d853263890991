// Hypervisor extension CSRs (privileged spec, hypervisor.adoc "Hypervisor and Virtual Supervisor
// CSRs"): the HS-level h* registers and the VS-level vs* copies of the supervisor registers.
//
// Storage is in the hart block (layout.ts H_HSTATUS..H_HGEIP). Interrupt state is shared with mip
// and mie as the spec's aliasing requires:
//  - mie holds the VS/SGEI enables (bits 2, 6, 10, 12); hie and vsie are views of them.
//  - hvip (H_HVIP) holds the software-injected VSSIP/VSTIP/VSEIP; mip.VSSIP and hip.VSSIP are
//    aliases of hvip.VSSIP. VSTIP also follows vstimecmp (Sstc in VS, written into H_MIP bit 6 by
//    cpu/timer.ts) and VSEIP follows hgeip[hstatus.VGEIN]; SGEIP = (hgeip & hgeie) != 0.
// GEILEN is 1: guest external interrupt line 1 exists so that the VMM's hardware-assisted mode
// can route the PLIC's supervisor context to the guest (layout.ts VMM_GUEST_EXT).
import {
  H_MISA, H_VIRT, H_PRIV, H_MSTATUS, H_MIE, H_MIP, H_HSTATUS, H_HEDELEG, H_HIDELEG, H_HVIP,
  H_HCOUNTEREN, H_HGEIE, H_HENVCFG, H_HTVAL, H_HTINST, H_HGATP, H_HTIMEDELTA, H_VSSTATUS, H_VSTVEC,
  H_VSSCRATCH, H_VSEPC, H_VSCAUSE, H_VSTVAL, H_VSATP, H_VSTIMECMP, H_HGEIP, H_MENVCFG,
} from "../layout";
import { csr64, setCsr64, hart32 } from "./state";
import { MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP, MSTATUS_FS, MSTATUS_SUM, MSTATUS_MXR, MSTATUS_UXL,
         MSTATUS_SD, MSTATUS_TVM } from "./causes";
import { mmuUpdate } from "../mmu/mode";
import { mmuFlushVirtual } from "../mmu/tlb";
import { legalTvec } from "./csr";

// CSR numbers (hypervisor.adoc, "Hypervisor CSRs" and "Virtual Supervisor CSRs" tables).
export const HSTATUS: u32 = 0x600; export const HEDELEG: u32 = 0x602; export const HIDELEG: u32 = 0x603;
export const HIE: u32 = 0x604; export const HTIMEDELTA: u32 = 0x605; export const HCOUNTEREN: u32 = 0x606;
export const HGEIE: u32 = 0x607; export const HENVCFG: u32 = 0x60a; export const HTVAL: u32 = 0x643;
export const HIP: u32 = 0x644; export const HVIP: u32 = 0x645; export const HTINST: u32 = 0x64a;
export const HGATP: u32 = 0x680; export const HGEIP: u32 = 0xe12;
export const VSSTATUS: u32 = 0x200; export const VSIE: u32 = 0x204; export const VSTVEC: u32 = 0x205;
export const VSSCRATCH: u32 = 0x240; export const VSEPC: u32 = 0x241; export const VSCAUSE: u32 = 0x242;
export const VSTVAL: u32 = 0x243; export const VSIP: u32 = 0x244; export const VSTIMECMP: u32 = 0x24d;
export const VSATP: u32 = 0x280;

// hstatus fields ("Hypervisor Status Register")
export const HSTATUS_VSBE: u64 = 1 << 5;
export const HSTATUS_GVA: u64 = 1 << 6;
export const HSTATUS_SPV: u64 = 1 << 7;
export const HSTATUS_SPVP: u64 = 1 << 8;
export const HSTATUS_HU: u64 = 1 << 9;
export const HSTATUS_VGEIN_SHIFT: u32 = 12;
export const HSTATUS_VGEIN: u64 = 0x3f << 12;
export const HSTATUS_VTVM: u64 = 1 << 20;
export const HSTATUS_VTW: u64 = 1 << 21;
export const HSTATUS_VTSR: u64 = 1 << 22;
export const HSTATUS_VSXL: u64 = (<u64>3) << 32;
const HSTATUS_WRITABLE: u64 = HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | HSTATUS_VGEIN |
  HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR;
/** hstatus after reset: VSXL = 64-bit. */
export const HSTATUS_RESET: u64 = (<u64>2) << 32;

// mstatus fields added by H ("Machine Status Registers (mstatus and mstatush)")
export const MSTATUS_GVA: u64 = (<u64>1) << 38;
export const MSTATUS_MPV: u64 = (<u64>1) << 39;

// VS-level interrupts and the supervisor guest external interrupt (mip/mie bits)
export const IRQ_VS_SOFT: u32 = 2;
export const IRQ_VS_TIMER: u32 = 6;
export const IRQ_VS_EXT: u32 = 10;
export const IRQ_S_GEXT: u32 = 12;
export const MIP_VSSIP: u64 = 1 << 2;
export const MIP_VSTIP: u64 = 1 << 6;
export const MIP_VSEIP: u64 = 1 << 10;
export const MIP_SGEIP: u64 = 1 << 12;
/** The VS-level interrupts (hideleg's writable bits, hvip's bits). */
export const VS_INTERRUPTS: u64 = MIP_VSSIP | MIP_VSTIP | MIP_VSEIP;
/** Interrupts always delegated past M when H is implemented (mideleg read-only ones). */
export const H_INTERRUPTS: u64 = VS_INTERRUPTS | MIP_SGEIP;
/** GEILEN = 1: hgeie/hgeip bit 1. */
const GEI_MASK: u64 = 2;

/** vsstatus: the sstatus layout (hypervisor.adoc "Virtual Supervisor Status Register"). */
const VSSTATUS_WRITABLE: u64 = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR;
/** vsstatus after reset: UXL = 64-bit. */
export const VSSTATUS_RESET: u64 = (<u64>2) << 32;
/** hedeleg: causes 0..15 except the ecalls from HS/VS/M (9, 10, 11) can go on to VS ("hedeleg-bits"). */
const HEDELEG_WRITABLE: u64 = 0xb1ff;
const ENVCFG_STCE: u64 = (<u64>1) << 63;
const ENVCFG_FIOM: u64 = 1;

/** misa.H is set: the hart implements the hypervisor extension. */
// @ts-ignore: decorator
@inline export function hEnabled(): bool { return ((csr64(H_MISA) >> 7) & 1) != 0; }
/** The hart runs with V=1 (VS or VU mode). */
// @ts-ignore: decorator
@inline export function isVirt(): bool { return hart32(H_VIRT) != 0; }

/** hgeip: guest external interrupt lines (bit 1 is driven by the host in hardware-assisted mode). */
export function readHgeip(): u64 { return csr64(H_HGEIP) & GEI_MASK; }

/** The VS-level pending bits of mip/hip: hvip, the vstimecmp timer and the selected guest line. */
export function vsPending(): u64 {
  let p = (csr64(H_HVIP) & VS_INTERRUPTS) | (csr64(H_MIP) & MIP_VSTIP);
  const hs = csr64(H_HSTATUS);
  const vgein = <u32>((hs & HSTATUS_VGEIN) >> HSTATUS_VGEIN_SHIFT);
  const gei = readHgeip();
  if (vgein != 0 && ((gei >> <u64>vgein) & 1) != 0) p |= MIP_VSEIP;
  if ((gei & csr64(H_HGEIE)) != 0) p |= MIP_SGEIP;
  return p;
}

/** True if VS-mode Sstc is on: stimecmp in VS means vstimecmp and drives VSTIP. */
export function vstimecmpEnabled(): bool {
  return (csr64(H_MENVCFG) & ENVCFG_STCE) != 0 && (csr64(H_HENVCFG) & ENVCFG_STCE) != 0;
}

/** vsstatus with SD derived from FS. */
export function vsstatusValue(): u64 {
  let v = csr64(H_VSSTATUS);
  if ((v & MSTATUS_FS) == MSTATUS_FS) v |= MSTATUS_SD; else v &= ~MSTATUS_SD;
  return v;
}

/** Applies vsstatus's WARL rules; SUM/MXR changes move the V=1 MMU mode. */
export function writeVsstatus(v: u64): void {
  const old = csr64(H_VSSTATUS);
  let nv = (old & ~VSSTATUS_WRITABLE) | (v & VSSTATUS_WRITABLE);
  nv = (nv & ~MSTATUS_UXL) | VSSTATUS_RESET;
  if ((nv & MSTATUS_FS) == MSTATUS_FS) nv |= MSTATUS_SD; else nv &= ~MSTATUS_SD;
  setCsr64(H_VSSTATUS, nv);
  if (((old ^ nv) & (MSTATUS_SUM | MSTATUS_MXR)) != 0) mmuUpdate();
}

/** vsip/vsie view: VS bits (2, 6, 10) of `x` delegated by hideleg, shifted to the S positions (1, 5, 9). */
// @ts-ignore: decorator
@inline function toVsView(x: u64): u64 { return (x & csr64(H_HIDELEG) & VS_INTERRUPTS) >> 1; }

/** vsatp WARL: Bare, Sv39 and Sv48; other MODE values leave it unchanged (as for satp). */
function writeVsatp(v: u64): void {
  const mode = <u32>(v >> 60);
  if (mode != 0 && mode != 8 && mode != 9) return;
  setCsr64(H_VSATP, mode == 0 ? 0 : v & (((<u64>0xf) << 60) | ((<u64>0xffff) << 44) | (((<u64>1) << 44) - 1)));
  mmuUpdate();
}

/** hgatp WARL: Bare, Sv39x4 (8), Sv48x4 (9); VMID 14 bits; PPN[1:0] read-only zero (16 KiB root). */
function writeHgatp(v: u64): void {
  let mode = <u32>(v >> 60);
  if (mode != 0 && mode != 8 && mode != 9) mode = <u32>(csr64(H_HGATP) >> 60);
  const value = mode == 0 ? 0 : ((<u64>mode) << 60) | (v & ((<u64>0x3fff) << 44)) | (v & ((((<u64>1) << 44) - 1) & ~<u64>3));
  setCsr64(H_HGATP, value);
  // Cached two-stage translations and G-stage walk results depend on hgatp.
  mmuFlushVirtual();
  mmuUpdate();
}

/** True if CSR `num` is one of the hypervisor or VS CSRs implemented here. */
export function hypCsrExists(num: u32): bool {
  switch (num) {
    case HSTATUS: case HEDELEG: case HIDELEG: case HIE: case HTIMEDELTA: case HCOUNTEREN: case HGEIE:
    case HENVCFG: case HTVAL: case HIP: case HVIP: case HTINST: case HGATP: case HGEIP:
    case VSSTATUS: case VSIE: case VSTVEC: case VSSCRATCH: case VSEPC: case VSCAUSE: case VSTVAL:
    case VSIP: case VSTIMECMP: case VSATP: return true;
  }
  return false;
}

/** Set when the last hypCsrRead/hypCsrWrite must raise an illegal-instruction exception. */
export let hypFault: bool = false;
/** Set when a hypervisor CSR write may have changed pending or enabled interrupts. */
export let hypIrqDirty: bool = false;

/** Reads hypervisor/VS CSR `num` (the caller has checked privilege and V); hypFault if absent. */
export function hypCsrRead(num: u32, mip: u64): u64 {
  hypFault = false;
  switch (num) {
    case HSTATUS: return csr64(H_HSTATUS);
    case HEDELEG: return csr64(H_HEDELEG);
    case HIDELEG: return csr64(H_HIDELEG);
    case HIE: return csr64(H_MIE) & H_INTERRUPTS;
    case HIP: return mip & H_INTERRUPTS;
    case HVIP: return csr64(H_HVIP) & VS_INTERRUPTS;
    case HTIMEDELTA: return csr64(H_HTIMEDELTA);
    case HCOUNTEREN: return csr64(H_HCOUNTEREN);
    case HGEIE: return csr64(H_HGEIE);
    case HGEIP: return readHgeip();
    case HENVCFG: return csr64(H_HENVCFG);
    case HTVAL: return csr64(H_HTVAL);
    case HTINST: return csr64(H_HTINST);
    case HGATP:
      if (hart32(H_PRIV) == 1 && (csr64(H_MSTATUS) & MSTATUS_TVM) != 0) break;
      return csr64(H_HGATP);
    case VSSTATUS: return vsstatusValue();
    case VSIE: return toVsView(csr64(H_MIE));
    case VSIP: return toVsView(mip);
    case VSTVEC: return csr64(H_VSTVEC);
    case VSSCRATCH: return csr64(H_VSSCRATCH);
    case VSEPC: return csr64(H_VSEPC);
    case VSCAUSE: return csr64(H_VSCAUSE);
    case VSTVAL: return csr64(H_VSTVAL);
    case VSATP: return csr64(H_VSATP);
    case VSTIMECMP: return csr64(H_VSTIMECMP);
  }
  hypFault = true;
  return 0;
}

/** Writes hypervisor/VS CSR `num` with the WARL rules (the caller has checked privilege and V). */
export function hypCsrWrite(num: u32, v: u64): void {
  hypFault = false;
  hypIrqDirty = false;
  switch (num) {
    case HSTATUS: {
      let nv = (v & HSTATUS_WRITABLE) | HSTATUS_RESET;
      // VGEIN is WARL over 0..GEILEN.
      if (((nv & HSTATUS_VGEIN) >> HSTATUS_VGEIN_SHIFT) > 1) nv = (nv & ~HSTATUS_VGEIN) | (csr64(H_HSTATUS) & HSTATUS_VGEIN);
      setCsr64(H_HSTATUS, nv); hypIrqDirty = true; return;
    }
    case HEDELEG: setCsr64(H_HEDELEG, v & HEDELEG_WRITABLE); return;
    case HIDELEG: setCsr64(H_HIDELEG, v & VS_INTERRUPTS); hypIrqDirty = true; return;
    case HIE: setCsr64(H_MIE, (csr64(H_MIE) & ~H_INTERRUPTS) | (v & H_INTERRUPTS)); hypIrqDirty = true; return;
    case HIP: // only VSSIP is writable in hip (an alias of hvip.VSSIP)
      setCsr64(H_HVIP, (csr64(H_HVIP) & ~MIP_VSSIP) | (v & MIP_VSSIP)); hypIrqDirty = true; return;
    case HVIP: setCsr64(H_HVIP, v & VS_INTERRUPTS); hypIrqDirty = true; return;
    case HTIMEDELTA: setCsr64(H_HTIMEDELTA, v); hypIrqDirty = true; return;
    case HCOUNTEREN: setCsr64(H_HCOUNTEREN, v & 7); return;
    case HGEIE: setCsr64(H_HGEIE, v & GEI_MASK); hypIrqDirty = true; return;
    case HGEIP: break; // read-only
    case HENVCFG: {
      // STCE is read-only zero unless menvcfg.STCE is set ("Hypervisor Environment Configuration").
      const stce = csr64(H_MENVCFG) & ENVCFG_STCE;
      setCsr64(H_HENVCFG, v & (stce | ENVCFG_FIOM)); hypIrqDirty = true; return;
    }
    case HTVAL: setCsr64(H_HTVAL, v); return;
    case HTINST: setCsr64(H_HTINST, v); return;
    case HGATP:
      if (hart32(H_PRIV) == 1 && (csr64(H_MSTATUS) & MSTATUS_TVM) != 0) break;
      writeHgatp(v); return;
    case VSSTATUS: writeVsstatus(v); hypIrqDirty = true; return;
    case VSIE: { // writable where hideleg delegates: the VS bits one position up
      const m = csr64(H_HIDELEG) & VS_INTERRUPTS;
      setCsr64(H_MIE, (csr64(H_MIE) & ~m) | ((v << 1) & m)); hypIrqDirty = true; return;
    }
    case VSIP: { // only SSIP -> hvip.VSSIP, when delegated
      const m = csr64(H_HIDELEG) & MIP_VSSIP;
      setCsr64(H_HVIP, (csr64(H_HVIP) & ~m) | ((v << 1) & m)); hypIrqDirty = true; return;
    }
    case VSTVEC: setCsr64(H_VSTVEC, legalTvec(v)); return;
    case VSSCRATCH: setCsr64(H_VSSCRATCH, v); return;
    case VSEPC: setCsr64(H_VSEPC, v & ~<u64>1); return;
    case VSCAUSE: setCsr64(H_VSCAUSE, v); return;
    case VSTVAL: setCsr64(H_VSTVAL, v); return;
    case VSATP: writeVsatp(v); return;
    case VSTIMECMP: setCsr64(H_VSTIMECMP, v); hypIrqDirty = true; return;
  }
  hypFault = true;
}

/** Resets the hypervisor state of the current hart (after the hart block was zeroed). */
export function hypReset(): void {
  setCsr64(H_HSTATUS, HSTATUS_RESET);
  setCsr64(H_VSSTATUS, VSSTATUS_RESET);
  setCsr64(H_VSTIMECMP, <u64>-1);
}
