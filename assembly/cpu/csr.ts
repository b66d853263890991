// Control and status registers (Zicsr, Zicntr, privileged spec chapters "Machine-Level ISA" and
// "Supervisor-Level ISA", Sstc). Reads and writes apply the WARL rules; an access that is not
// allowed sets `csrFault` and the interpreter raises an illegal-instruction exception.
import {
  H_MSTATUS, H_MISA, H_MEDELEG, H_MIDELEG, H_MIE, H_MIP, H_MTVEC, H_MCOUNTEREN, H_MSCRATCH,
  H_MEPC, H_MCAUSE, H_MTVAL, H_MENVCFG, H_MCOUNTINHIBIT, H_STVEC, H_SCOUNTEREN, H_SSCRATCH,
  H_SEPC, H_SCAUSE, H_STVAL, H_SENVCFG, H_SATP, H_STIMECMP, H_MCYCLE, H_MINSTRET, H_MTINST,
  H_MTVAL2, H_EXT_IRQ, H_FFLAGS, H_FRM, H_HARTID, H_INSTRET, H_PRIV, M_MTIME, PRV_M, PRV_S, PRV_U,
  H_HVIP, H_HGEIP, M_VMM_FLAGS, VMM_GUEST_EXT,
} from "../layout";
import { csr64, setCsr64, hart32, setHart32, machine64, machine32 } from "./state";
import {
  MSTATUS_SIE, MSTATUS_MIE, MSTATUS_SPIE, MSTATUS_MPIE, MSTATUS_SPP, MSTATUS_MPP, MSTATUS_FS,
  MSTATUS_MPRV, MSTATUS_SUM, MSTATUS_MXR, MSTATUS_TVM, MSTATUS_TW, MSTATUS_TSR, MSTATUS_UXL,
  MSTATUS_SXL, MSTATUS_SD, MSTATUS_XS, MIP_SSIP, MIP_STIP, MIP_SEIP, MIP_MTIP, MIP_MSIP, MIP_MEIP,
} from "./causes";
import { pmpReadCfg, pmpWriteCfg, pmpReadAddr, pmpWriteAddr } from "../mmu/pmp";
import { H_VIRT, H_HCOUNTEREN, H_HTIMEDELTA, H_HSTATUS, H_VSSTATUS } from "../layout";
import { hEnabled, isVirt, hypCsrExists, hypCsrRead, hypCsrWrite, hypFault, hypIrqDirty, vsPending,
         vsstatusValue, writeVsstatus, vstimecmpEnabled, H_INTERRUPTS, MIP_VSSIP, MSTATUS_MPV, MSTATUS_GVA,
         HSTATUS_VTVM, VSSTATUS, VSIE, VSTVEC, VSSCRATCH, VSEPC, VSCAUSE, VSTVAL, VSIP, VSTIMECMP, VSATP } from "./hyp";
import { mmuUpdate } from "../mmu/mode";
import { mmuFlushVirtual } from "../mmu/tlb";

/** Set by csrRead/csrWrite when the access must raise an illegal-instruction exception. */
export let csrFault: bool = false;
/** With csrFault: the exception is a virtual-instruction exception (V=1, hypervisor.adoc
 *  "Virtual Instruction Exceptions") rather than an illegal-instruction exception. */
export let csrVirtual: bool = false;
/** Set when a CSR write may have changed interrupt enables or pending bits. */
export let csrIrqDirty: bool = false;
/** Clears the fault and interrupt-dirty flags before a CSR instruction. */
export function csrBegin(): void { csrFault = false; csrVirtual = false; csrIrqDirty = false; }

// CSR numbers used by name
const FFLAGS: u32 = 0x001; const FRM: u32 = 0x002; const FCSR: u32 = 0x003;
const CYCLE: u32 = 0xc00; const TIME: u32 = 0xc01; const INSTRET: u32 = 0xc02;
const SSTATUS: u32 = 0x100; const SIE: u32 = 0x104; const STVEC: u32 = 0x105;
const SCOUNTEREN: u32 = 0x106; const SENVCFG: u32 = 0x10a; const SSCRATCH: u32 = 0x140;
const SEPC: u32 = 0x141; const SCAUSE: u32 = 0x142; const STVAL: u32 = 0x143; const SIP: u32 = 0x144;
const STIMECMP: u32 = 0x14d; const SATP: u32 = 0x180;
const MVENDORID: u32 = 0xf11; const MARCHID: u32 = 0xf12; const MIMPID: u32 = 0xf13;
const MHARTID: u32 = 0xf14; const MCONFIGPTR: u32 = 0xf15;
const MSTATUS: u32 = 0x300; const MISA: u32 = 0x301; const MEDELEG: u32 = 0x302;
const MIDELEG: u32 = 0x303; const MIE: u32 = 0x304; const MTVEC: u32 = 0x305;
const MCOUNTEREN: u32 = 0x306; const MENVCFG: u32 = 0x30a; const MCOUNTINHIBIT: u32 = 0x320;
const MSCRATCH: u32 = 0x340; const MEPC: u32 = 0x341; const MCAUSE: u32 = 0x342;
const MTVAL: u32 = 0x343; const MIP: u32 = 0x344; const MTINST: u32 = 0x34a; const MTVAL2: u32 = 0x34b;
const MCYCLE: u32 = 0xb00; const MINSTRET: u32 = 0xb02;
const TSELECT: u32 = 0x7a0; const TDATA1: u32 = 0x7a1; const TDATA2: u32 = 0x7a2; const TDATA3: u32 = 0x7a3;

// WARL masks
const MSTATUS_WRITABLE: u64 = MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP |
  MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR;
const SSTATUS_VISIBLE: u64 = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_XS |
  MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD;
const SSTATUS_WRITABLE: u64 = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR;
const S_INTERRUPTS: u64 = MIP_SSIP | MIP_STIP | MIP_SEIP;
const M_INTERRUPTS: u64 = MIP_MSIP | MIP_MTIP | MIP_MEIP;
// medeleg: every synchronous cause below 16 except M-mode ecall (11), which cannot be delegated.
const MEDELEG_WRITABLE: u64 = 0xb3ff;
const MEDELEG_H: u64 = (1 << 10) | (0xf << 20);
const MENVCFG_STCE: u64 = (<u64>1) << 63;
const MENVCFG_FIOM: u64 = 1;
const COUNTEREN_MASK: u64 = 7; // CY, TM, IR (no hpm counters)

/** misa for RV64 with A, C, D, F, I, M, S, U (MXL=2). Read-only: extensions cannot be turned off.
 *  The machine may add H (MISA_H) at reset (layout.ts CPU_H). */
export const MISA_VALUE: u64 = ((<u64>2) << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) |
  (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);
/** misa bit of the hypervisor extension. */
export const MISA_H: u64 = 1 << 7;
/** mstatus after reset: UXL = SXL = 64-bit. */
export const MSTATUS_RESET: u64 = ((<u64>2) << 32) | ((<u64>2) << 34);

/** Returns true if FP state is enabled (mstatus.FS != Off). */
// @ts-ignore: decorator
@inline export function fpEnabled(): bool {
  // With V=1 both mstatus.FS and vsstatus.FS must be on (hypervisor.adoc "vsstatus").
  return (csr64(H_MSTATUS) & MSTATUS_FS) != 0 && (hart32(H_VIRT) == 0 || (csr64(H_VSSTATUS) & MSTATUS_FS) != 0);
}
/** Marks the FP state dirty (mstatus.FS = Dirty, SD = 1). */
// @ts-ignore: decorator
@inline export function setFsDirty(): void {
  setCsr64(H_MSTATUS, csr64(H_MSTATUS) | MSTATUS_FS | MSTATUS_SD);
  if (hart32(H_VIRT) != 0) setCsr64(H_VSSTATUS, csr64(H_VSSTATUS) | MSTATUS_FS | MSTATUS_SD);
}

/** Current retired-instruction count (H_INSTRET is kept exact by the interpreter before CSR ops). */
// @ts-ignore: decorator
@inline function instret(): u64 { return csr64(H_INSTRET); }

/** mip as software sees it: stored bits plus lines driven by host devices (and, with H, the
 *  VS-level bits of hypervisor.adoc "Hypervisor Interrupt Registers"). */
export function readMip(): u64 {
  let ext = csr64(H_EXT_IRQ);
  // Hardware-assisted VMM: the PLIC's S-context line is guest external interrupt 1 (hgeip), so the
  // guest in VS-mode sees it as VSEIP through hstatus.VGEIN.
  if ((machine32(M_VMM_FLAGS) & VMM_GUEST_EXT) != 0) {
    setCsr64(H_HGEIP, (ext & MIP_SEIP) != 0 ? 2 : 0);
    ext &= ~MIP_SEIP;
  }
  const m = csr64(H_MIP) | (ext & (M_INTERRUPTS | MIP_SEIP));
  return hEnabled() ? (m & ~H_INTERRUPTS) | vsPending() : m;
}

/** Counter access check for cycle/time/instret below M (mcounteren, hcounteren, scounteren):
 *  sets csrFault (and csrVirtual) and returns false when denied. */
function counterAllowed(bit: u32): bool {
  const priv = hart32(H_PRIV);
  if (priv == PRV_M) return true;
  if ((csr64(H_MCOUNTEREN) >> bit & 1) == 0) return false;
  if (isVirt()) {
    // hypervisor.adoc "Hypervisor Counter-Enable Register": denied by hcounteren, or by scounteren
    // in VU, is a virtual-instruction exception.
    if ((csr64(H_HCOUNTEREN) >> bit & 1) == 0 || (priv == PRV_U && (csr64(H_SCOUNTEREN) >> bit & 1) == 0)) {
      csrVirtual = true;
      return false;
    }
    return true;
  }
  if (priv == PRV_U && (csr64(H_SCOUNTEREN) >> bit & 1) == 0) return false;
  return true;
}

/** The CSR number an access to `num` really addresses, or -1 after setting csrFault (and
 *  csrVirtual): bits 9:8 give the lowest privilege allowed (Zicsr "CSR Address Mapping
 *  Conventions"), where HS-mode counts as level 2. With V=1 the supervisor CSRs that have VS
 *  copies are redirected to them, and any other access that HS-mode could make is a
 *  virtual-instruction exception (hypervisor.adoc "Virtual Instruction Exceptions"). */
function csrTarget(num: u32): i32 {
  const level = (num >> 8) & 3;
  const priv = hart32(H_PRIV);
  if (!isVirt()) {
    const eff: u32 = priv == PRV_S && hEnabled() ? 2 : priv;
    if (eff < level || (level == 2 && !hEnabled())) { csrFault = true; return -1; }
    return <i32>num;
  }
  if (level == 3) { csrFault = true; return -1; }
  if (level == 2 || priv == PRV_U && level == 1) {
    // Reachable from HS: virtual instruction; otherwise the CSR does not exist.
    const exists = level == 2 ? hypCsrExists(num) : sCsrExists(num);
    csrFault = true; csrVirtual = exists;
    return -1;
  }
  if (level == 1) {
    switch (num) {
      case SSTATUS: return VSSTATUS;
      case SIE: return VSIE;
      case STVEC: return VSTVEC;
      case SSCRATCH: return VSSCRATCH;
      case SEPC: return VSEPC;
      case SCAUSE: return VSCAUSE;
      case STVAL: return VSTVAL;
      case SIP: return VSIP;
      case STIMECMP:
        // Sstc in VS: menvcfg.STCE/mcounteren.TM gate with illegal, henvcfg.STCE/hcounteren.TM with virtual.
        if ((csr64(H_MENVCFG) & MENVCFG_STCE) == 0 || (csr64(H_MCOUNTEREN) & 2) == 0) { csrFault = true; return -1; }
        if (!vstimecmpEnabled() || (csr64(H_HCOUNTEREN) & 2) == 0) { csrFault = true; csrVirtual = true; return -1; }
        return VSTIMECMP;
      case SATP:
        if ((csr64(H_HSTATUS) & HSTATUS_VTVM) != 0) { csrFault = true; csrVirtual = true; return -1; }
        return VSATP;
    }
  }
  return <i32>num;
}

/** True if `num` is an implemented supervisor CSR (for VU-mode's virtual-instruction rule). */
function sCsrExists(num: u32): bool {
  switch (num) {
    case SSTATUS: case SIE: case STVEC: case SCOUNTEREN: case SENVCFG: case SSCRATCH: case SEPC:
    case SCAUSE: case STVAL: case SIP: case STIMECMP: case SATP: return true;
  }
  return false;
}

/** Reads CSR `num`; sets csrFault if it does not exist or is not accessible. */
export function csrRead(num0: u32): u64 {
  const t = csrTarget(num0);
  if (t < 0) return 0;
  const num = <u32>t;
  if ((num >> 8) == 2 || (num >> 8) == 6 || num == 0xe12) {
    const v = hypCsrRead(num, readMip());
    if (hypFault) csrFault = true;
    return v;
  }
  switch (num) {
    case FFLAGS: if (!fpEnabled()) break; return <u64>hart32(H_FFLAGS);
    case FRM: if (!fpEnabled()) break; return <u64>hart32(H_FRM);
    case FCSR: if (!fpEnabled()) break; return <u64>(hart32(H_FFLAGS) | (hart32(H_FRM) << 5));
    case CYCLE: if (!counterAllowed(0)) break; return instret() + csr64(H_MCYCLE);
    case TIME: if (!counterAllowed(1)) break; return machine64(M_MTIME) + (isVirt() ? csr64(H_HTIMEDELTA) : 0);
    case INSTRET: if (!counterAllowed(2)) break; return instret() + csr64(H_MINSTRET);
    case SSTATUS: return sstatusValue();
    case SIE: return csr64(H_MIE) & csr64(H_MIDELEG) & S_INTERRUPTS;
    case STVEC: return csr64(H_STVEC);
    case SCOUNTEREN: return csr64(H_SCOUNTEREN);
    case SENVCFG: return csr64(H_SENVCFG);
    case SSCRATCH: return csr64(H_SSCRATCH);
    case SEPC: return csr64(H_SEPC);
    case SCAUSE: return csr64(H_SCAUSE);
    case STVAL: return csr64(H_STVAL);
    case SIP: return readMip() & csr64(H_MIDELEG) & S_INTERRUPTS;
    case STIMECMP: if (!stimecmpAllowed()) break; return csr64(H_STIMECMP);
    case SATP:
      if (hart32(H_PRIV) == PRV_S && (csr64(H_MSTATUS) & MSTATUS_TVM) != 0) break;
      return csr64(H_SATP);
    case MVENDORID: case MARCHID: case MIMPID: case MCONFIGPTR: return 0;
    case MHARTID: return <u64>hart32(H_HARTID);
    case MSTATUS: return mstatusValue();
    case MISA: return csr64(H_MISA);
    case MEDELEG: return csr64(H_MEDELEG);
    case MIDELEG: return csr64(H_MIDELEG) | (hEnabled() ? H_INTERRUPTS : 0);
    case MIE: return csr64(H_MIE);
    case MTVEC: return csr64(H_MTVEC);
    case MCOUNTEREN: return csr64(H_MCOUNTEREN);
    case MENVCFG: return csr64(H_MENVCFG);
    case MCOUNTINHIBIT: return csr64(H_MCOUNTINHIBIT);
    case MSCRATCH: return csr64(H_MSCRATCH);
    case MEPC: return csr64(H_MEPC);
    case MCAUSE: return csr64(H_MCAUSE);
    case MTVAL: return csr64(H_MTVAL);
    case MIP: return readMip();
    case MTINST: return csr64(H_MTINST);
    case MTVAL2: return csr64(H_MTVAL2);
    case MCYCLE: return instret() + csr64(H_MCYCLE);
    case MINSTRET: return instret() + csr64(H_MINSTRET);
    // The debug trigger module is not implemented: tselect reads 0 and tdata1 reports
    // "no trigger" (type 0), which is how firmware probes for triggers (debug spec §5.7).
    case TSELECT: case TDATA1: case TDATA2: case TDATA3: return 0;
    default:
      if (num >= 0x3a0 && num <= 0x3af) { // pmpcfg0..15: only even ones exist on RV64
        if ((num & 1) != 0) break;
        return (num - 0x3a0) < 4 ? pmpReadCfg(num - 0x3a0) : 0;
      }
      if (num >= 0x3b0 && num <= 0x3ef) return num < 0x3c0 ? pmpReadAddr(num - 0x3b0) : 0;
      // Unimplemented hardware performance counters read as zero (Zihpm counters hardwired).
      if (num >= 0xb03 && num <= 0xb1f) return 0;
      if (num >= 0x323 && num <= 0x33f) return 0;
      if (num >= 0xc03 && num <= 0xc1f) { if (!counterAllowed(num - 0xc00)) break; return 0; }
  }
  csrFault = true;
  return 0;
}

/** Writes CSR `num`; sets csrFault if it does not exist, is read-only or is not accessible. */
export function csrWrite(num0: u32, v: u64): void {
  const t = csrTarget(num0);
  if (t < 0) return;
  const num = <u32>t;
  if ((num >> 10) == 3) { csrFault = true; return; }
  if ((num >> 8) == 2 || (num >> 8) == 6) {
    hypCsrWrite(num, v);
    if (hypFault) csrFault = true;
    if (hypIrqDirty) csrIrqDirty = true;
    return;
  }
  switch (num) {
    case FFLAGS: if (!fpEnabled()) break; setHart32(H_FFLAGS, <u32>v & 0x1f); setFsDirty(); return;
    case FRM: if (!fpEnabled()) break; setHart32(H_FRM, <u32>v & 7); setFsDirty(); return;
    case FCSR:
      if (!fpEnabled()) break;
      setHart32(H_FFLAGS, <u32>v & 0x1f); setHart32(H_FRM, (<u32>v >> 5) & 7); setFsDirty(); return;
    case SSTATUS: writeMstatus((csr64(H_MSTATUS) & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE)); return;
    case SIE: {
      const d = csr64(H_MIDELEG);
      setCsr64(H_MIE, (csr64(H_MIE) & ~d) | (v & d & S_INTERRUPTS)); csrIrqDirty = true; return;
    }
    case STVEC: setCsr64(H_STVEC, legalTvec(v)); return;
    case SCOUNTEREN: setCsr64(H_SCOUNTEREN, v & COUNTEREN_MASK); return;
    case SENVCFG: setCsr64(H_SENVCFG, v & MENVCFG_FIOM); return;
    case SSCRATCH: setCsr64(H_SSCRATCH, v); return;
    case SEPC: setCsr64(H_SEPC, v & ~<u64>1); return;
    case SCAUSE: setCsr64(H_SCAUSE, v); return;
    case STVAL: setCsr64(H_STVAL, v); return;
    case SIP: { // only SSIP is writable through sip, and only when delegated
      const m = csr64(H_MIDELEG) & MIP_SSIP;
      setCsr64(H_MIP, (csr64(H_MIP) & ~m) | (v & m)); csrIrqDirty = true; return;
    }
    case STIMECMP: if (!stimecmpAllowed()) break; setCsr64(H_STIMECMP, v); csrIrqDirty = true; return;
    case SATP: {
      if (hart32(H_PRIV) == PRV_S && (csr64(H_MSTATUS) & MSTATUS_TVM) != 0) break;
      // Bare, Sv39 and Sv48 are supported; a write with any other MODE has no effect (§satp).
      const mode = <u32>(v >> 60);
      if (mode != 0 && mode != 8 && mode != 9) return;
      const value = mode == 0 ? 0 : (v & (((<u64>0xf) << 60) | ((<u64>0xffff) << 44) | (((<u64>1) << 44) - 1)));
      setCsr64(H_SATP, value);
      mmuUpdate();
      return;
    }
    case MSTATUS: writeMstatus(v); return;
    case MISA: return; // WARL: the extension set is fixed
    // With H, VS ecalls (10) and the guest-page and virtual-instruction faults (20..23) can be
    // delegated to HS as well (hypervisor.adoc "Machine Trap Delegation Register").
    case MEDELEG: setCsr64(H_MEDELEG, v & (MEDELEG_WRITABLE | (hEnabled() ? MEDELEG_H : 0))); return;
    case MIDELEG: setCsr64(H_MIDELEG, v & S_INTERRUPTS); csrIrqDirty = true; return;
    case MIE: setCsr64(H_MIE, v & (S_INTERRUPTS | M_INTERRUPTS | (hEnabled() ? H_INTERRUPTS : 0))); csrIrqDirty = true; return;
    case MTVEC: setCsr64(H_MTVEC, legalTvec(v)); return;
    case MCOUNTEREN: setCsr64(H_MCOUNTEREN, v & COUNTEREN_MASK); return;
    case MENVCFG: setCsr64(H_MENVCFG, v & (MENVCFG_STCE | MENVCFG_FIOM)); csrIrqDirty = true; return;
    case MCOUNTINHIBIT: setCsr64(H_MCOUNTINHIBIT, v & 5); return;
    case MSCRATCH: setCsr64(H_MSCRATCH, v); return;
    case MEPC: setCsr64(H_MEPC, v & ~<u64>1); return;
    case MCAUSE: setCsr64(H_MCAUSE, v); return;
    case MTVAL: setCsr64(H_MTVAL, v); return;
    case MIP: {
      // SSIP and SEIP are software-writable; STIP too unless Sstc drives it from stimecmp.
      let m: u64 = MIP_SSIP | MIP_SEIP;
      if ((csr64(H_MENVCFG) & MENVCFG_STCE) == 0) m |= MIP_STIP;
      setCsr64(H_MIP, (csr64(H_MIP) & ~m) | (v & m));
      // mip.VSSIP is an alias of hvip.VSSIP (hypervisor.adoc "Hypervisor Interrupt Registers").
      if (hEnabled()) setCsr64(H_HVIP, (csr64(H_HVIP) & ~MIP_VSSIP) | (v & MIP_VSSIP));
      csrIrqDirty = true; return;
    }
    case MTINST: setCsr64(H_MTINST, v); return;
    case MTVAL2: setCsr64(H_MTVAL2, v); return;
    // Writing mcycle/minstret stores the offset from the raw retired count.
    case MCYCLE: setCsr64(H_MCYCLE, v - instret()); return;
    case MINSTRET: setCsr64(H_MINSTRET, v - instret() - 1); return; // this instruction retires after the write
    case TSELECT: case TDATA1: case TDATA2: case TDATA3: return;
    default:
      if (num >= 0x3a0 && num <= 0x3af) {
        if ((num & 1) != 0) break;
        if (num - 0x3a0 < 4) pmpWriteCfg(num - 0x3a0, v);
        return;
      }
      if (num >= 0x3b0 && num <= 0x3ef) {
        if (num < 0x3c0) pmpWriteAddr(num - 0x3b0, v);
        return;
      }
      if ((num >= 0xb03 && num <= 0xb1f) || (num >= 0x323 && num <= 0x33f)) return;
  }
  csrFault = true;
}

/** sstatus: the S-visible view of mstatus. */
function sstatusValue(): u64 { return mstatusValue() & SSTATUS_VISIBLE; }

/** mstatus with the read-only summary bit SD derived from FS. */
function mstatusValue(): u64 {
  let v = csr64(H_MSTATUS);
  if ((v & MSTATUS_FS) == MSTATUS_FS) v |= MSTATUS_SD; else v &= ~MSTATUS_SD;
  return v;
}

/** Applies the WARL rules of mstatus and updates translation and interrupt state. */
function writeMstatus(v: u64): void {
  const old = csr64(H_MSTATUS);
  const writable = MSTATUS_WRITABLE | (hEnabled() ? MSTATUS_MPV | MSTATUS_GVA : 0);
  let nv = (old & ~writable) | (v & writable);
  // MPP is WARL over {U, S, M}: the reserved value 2 leaves the field unchanged.
  if (((nv & MSTATUS_MPP) >> 11) == 2) nv = (nv & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
  nv = (nv & ~(MSTATUS_UXL | MSTATUS_SXL)) | MSTATUS_RESET;
  if ((nv & MSTATUS_FS) == MSTATUS_FS) nv |= MSTATUS_SD; else nv &= ~MSTATUS_SD;
  setCsr64(H_MSTATUS, nv);
  // mstatus.MXR also applies to the G-stage, which the V=1 TLB arrays cache: drop them.
  if (((old ^ nv) & MSTATUS_MXR) != 0 && hEnabled()) mmuFlushVirtual();
  if (((old ^ nv) & (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_MPV)) != 0) mmuUpdate();
  csrIrqDirty = true;
}

/** xtvec WARL: modes 0 (direct) and 1 (vectored); reserved modes fall back to direct. */
export function legalTvec(v: u64): u64 { return (v & 3) >= 2 ? v & ~<u64>3 : v; }

/** stimecmp is reachable from S only with menvcfg.STCE and mcounteren.TM (Sstc). */
function stimecmpAllowed(): bool {
  if (hart32(H_PRIV) == PRV_M) return true;
  return (csr64(H_MENVCFG) & MENVCFG_STCE) != 0 && (csr64(H_MCOUNTEREN) & 2) != 0;
}

/** True if Sstc drives STIP from stimecmp (menvcfg.STCE). */
export function sstcEnabled(): bool { return (csr64(H_MENVCFG) & MENVCFG_STCE) != 0; }

