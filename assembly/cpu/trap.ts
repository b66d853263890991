// Trap entry and return (privileged spec: "Machine Trap Delegation Registers", "Machine Trap
// Vector Base-Address Register", "Trap-Return Instructions") and interrupt selection
// ("Machine Interrupt Registers"), with the hypervisor extension's routing between M, HS and VS
// (hypervisor.adoc "Traps": medeleg/mideleg pass a trap below M, then hedeleg/hideleg pass a trap
// taken with V=1 on to VS; "Trap Return": MRET/SRET restore V from MPV/SPV).
//
// Hardware-assisted VMM (layout.ts VMM_HS_EXIT): the host plays HS-mode. A trap from V=1 that
// would enter HS leaves the hart untouched in V=1 at the trapping pc, records the HS view of the
// trap in scause/stval/htval/htinst and sets the exit (EXIT_VTRAP), like a VM exit with its
// exit-information fields.
import {
  H_MSTATUS, H_MEDELEG, H_MIDELEG, H_MIE, H_MTVEC, H_MEPC, H_MCAUSE, H_MTVAL, H_STVEC, H_SEPC,
  H_SCAUSE, H_STVAL, H_MTINST, H_MTVAL2, H_PRIV, H_VIRT, H_RES_VALID, H_STAT_TRAPS, H_STAT_INTERRUPTS,
  H_HSTATUS, H_HEDELEG, H_HIDELEG, H_HTVAL, H_HTINST, H_VSSTATUS, H_VSCAUSE, H_VSEPC, H_VSTVAL, H_VSTVEC,
  H_STAT_VTRAPS, H_EXIT_CODE, H_EXIT_ADDR, H_EXIT_VALUE, M_VMM_FLAGS, VMM_HS_EXIT, PRV_M, PRV_S, PRV_U,
} from "../layout";
import { csr64, setCsr64, hart32, setHart32, bump, machine32, hartBase } from "./state";
import {
  MSTATUS_SIE, MSTATUS_MIE, MSTATUS_SPIE, MSTATUS_MPIE, MSTATUS_SPP, MSTATUS_MPP, MSTATUS_MPRV,
  MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP, MIP_SSIP, MIP_STIP,
  IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER, excTval2, excTinst, excGva,
  requestExit,
} from "./causes";
import { hEnabled, H_INTERRUPTS, HSTATUS_SPV, HSTATUS_SPVP, HSTATUS_GVA, MSTATUS_MPV, MSTATUS_GVA,
         MIP_VSSIP, MIP_VSTIP, MIP_VSEIP, MIP_SGEIP, IRQ_VS_SOFT, IRQ_VS_TIMER, IRQ_VS_EXT, IRQ_S_GEXT } from "./hyp";
import { readMip } from "./csr";
import { mmuUpdate } from "../mmu/mode";

const INTERRUPT_BIT: u64 = (<u64>1) << 63;

/** Set when the last trap became a VM exit (VMM_HS_EXIT); the run loop returns EXIT_VTRAP. */
export let vtrapPending: bool = false;
/** Clears vtrapPending once the run loop has reported the exit. */
export function clearVtrap(): void { vtrapPending = false; }

/** mideleg as the routing sees it: with H, the VS-level and guest external interrupts are
 *  always delegated past M (hypervisor.adoc "Machine Interrupt Delegation Register"). */
// @ts-ignore: decorator
@inline function midelegValue(): u64 { return csr64(H_MIDELEG) | (hEnabled() ? H_INTERRUPTS : 0); }

/** Exception causes whose xtval is a (guest) virtual address, for the GVA bits ("hstatus": breakpoint,
 *  misaligned, access fault, page fault and guest-page fault). */
// @ts-ignore: decorator
@inline function addressCause(cause: u32): bool {
  return cause <= 1 || (cause >= 3 && cause <= 7) || cause == 12 || cause == 13 || cause == 15 ||
    cause == 20 || cause == 21 || cause == 23;
}

/** Takes a trap at `pc` (exception cause, or interrupt number with `interrupt`); returns the handler pc. */
export function enterTrap(pc: u64, cause: u32, tval: u64, interrupt: bool): u64 {
  const priv = hart32(H_PRIV);
  const virt = hart32(H_VIRT) != 0;
  const deleg = interrupt ? midelegValue() : csr64(H_MEDELEG);
  let status = csr64(H_MSTATUS);
  const gva = !interrupt && (virt ? addressCause(cause) : excGva);
  const tval2: u64 = interrupt ? 0 : excTval2;
  const tinst: u64 = interrupt ? 0 : excTinst;
  let vector: u64;
  let vcause = cause;
  // An LR reservation does not survive a trap (SC after a trap must fail).
  setHart32(H_RES_VALID, 0);
  if (interrupt) bump(H_STAT_INTERRUPTS); else bump(H_STAT_TRAPS);
  if (priv <= PRV_S && ((deleg >> cause) & 1) != 0) {
    const hdeleg = interrupt ? csr64(H_HIDELEG) : csr64(H_HEDELEG);
    if (virt && ((hdeleg >> cause) & 1) != 0) {
      // Into VS-mode: the VS-level interrupts 2/6/10 arrive as 1/5/9 ("hideleg").
      if (interrupt && (cause == IRQ_VS_SOFT || cause == IRQ_VS_TIMER || cause == IRQ_VS_EXT)) vcause = cause - 1;
      setCsr64(H_VSCAUSE, (interrupt ? INTERRUPT_BIT : 0) | <u64>vcause);
      setCsr64(H_VSEPC, pc);
      setCsr64(H_VSTVAL, tval);
      let vs = csr64(H_VSSTATUS);
      vs = (vs & ~(MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SIE)) |
        ((vs & MSTATUS_SIE) != 0 ? MSTATUS_SPIE : 0) | (priv == PRV_S ? MSTATUS_SPP : 0);
      setCsr64(H_VSSTATUS, vs);
      setHart32(H_PRIV, PRV_S);
      vector = csr64(H_VSTVEC);
    } else {
      // Into HS-mode (or S-mode without H).
      const scause = (interrupt ? INTERRUPT_BIT : 0) | <u64>cause;
      if (virt) bump(H_STAT_VTRAPS);
      if (virt && (machine32(M_VMM_FLAGS) & VMM_HS_EXIT) != 0) {
        // VM exit: the VMM is HS. Report and leave the guest as it was.
        setCsr64(H_SCAUSE, scause); setCsr64(H_STVAL, tval); setCsr64(H_SEPC, pc);
        setCsr64(H_HTVAL, tval2); setCsr64(H_HTINST, tinst);
        store<u32>(hartBase + H_EXIT_CODE, cause | (interrupt ? 0x8000_0000 : 0));
        setCsr64(H_EXIT_ADDR, tval);
        setCsr64(H_EXIT_VALUE, tval2 << 2);
        vtrapPending = true;
        requestExit();
        return pc;
      }
      setCsr64(H_SCAUSE, scause);
      setCsr64(H_SEPC, pc);
      setCsr64(H_STVAL, tval);
      if (hEnabled()) {
        setCsr64(H_HTVAL, tval2);
        setCsr64(H_HTINST, tinst);
        let hs = csr64(H_HSTATUS);
        hs = (hs & ~(HSTATUS_SPV | HSTATUS_GVA)) | (virt ? HSTATUS_SPV : 0) | (gva ? HSTATUS_GVA : 0);
        if (virt) hs = (hs & ~HSTATUS_SPVP) | (priv == PRV_S ? HSTATUS_SPVP : 0);
        setCsr64(H_HSTATUS, hs);
      }
      status = (status & ~(MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SIE)) |
        ((status & MSTATUS_SIE) != 0 ? MSTATUS_SPIE : 0) | (priv == PRV_S ? MSTATUS_SPP : 0);
      setCsr64(H_MSTATUS, status);
      setHart32(H_PRIV, PRV_S);
      setHart32(H_VIRT, 0);
      vector = csr64(H_STVEC);
    }
  } else {
    setCsr64(H_MCAUSE, (interrupt ? INTERRUPT_BIT : 0) | <u64>cause);
    setCsr64(H_MEPC, pc);
    setCsr64(H_MTVAL, tval);
    setCsr64(H_MTINST, tinst);
    setCsr64(H_MTVAL2, tval2);
    status = (status & ~(MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MIE)) |
      ((status & MSTATUS_MIE) != 0 ? MSTATUS_MPIE : 0) | (<u64>priv << 11);
    if (hEnabled()) status = (status & ~(MSTATUS_MPV | MSTATUS_GVA)) | (virt ? MSTATUS_MPV : 0) | (gva ? MSTATUS_GVA : 0);
    setCsr64(H_MSTATUS, status);
    setHart32(H_PRIV, PRV_M);
    setHart32(H_VIRT, 0);
    vector = csr64(H_MTVEC);
  }
  mmuUpdate();
  const base = vector & ~<u64>3;
  // Vectored mode: asynchronous interrupts jump to base + 4*cause (the cause the handler sees).
  if (interrupt && (vector & 3) == 1) return base + ((<u64>vcause) << 2);
  return base;
}

/** MRET: returns to the privilege in MPP (and V = MPV); caller has checked priv == M. Returns the new pc. */
export function doMret(): u64 {
  let status = csr64(H_MSTATUS);
  const mpp = <u32>((status & MSTATUS_MPP) >> 11);
  const virt = mpp != PRV_M && (status & MSTATUS_MPV) != 0;
  status = (status & ~(MSTATUS_MIE | MSTATUS_MPP | MSTATUS_MPV)) | MSTATUS_MPIE |
    ((status & MSTATUS_MPIE) != 0 ? MSTATUS_MIE : 0);
  if (mpp != PRV_M) status &= ~MSTATUS_MPRV;
  setCsr64(H_MSTATUS, status);
  setHart32(H_PRIV, mpp);
  setHart32(H_VIRT, virt ? 1 : 0);
  setHart32(H_RES_VALID, 0);
  mmuUpdate();
  return csr64(H_MEPC);
}

/** SRET: from HS/M returns to SPP with V = hstatus.SPV; from VS returns within the VM using
 *  vsstatus. The caller has checked priv, TSR and VTSR. Returns the new pc. */
export function doSret(): u64 {
  setHart32(H_RES_VALID, 0);
  if (hart32(H_VIRT) != 0) {
    let vs = csr64(H_VSSTATUS);
    const spp = (vs & MSTATUS_SPP) != 0 ? PRV_S : PRV_U;
    vs = (vs & ~(MSTATUS_SIE | MSTATUS_SPP)) | MSTATUS_SPIE | ((vs & MSTATUS_SPIE) != 0 ? MSTATUS_SIE : 0);
    setCsr64(H_VSSTATUS, vs);
    setHart32(H_PRIV, spp);
    mmuUpdate();
    return csr64(H_VSEPC);
  }
  let status = csr64(H_MSTATUS);
  const spp = (status & MSTATUS_SPP) != 0 ? PRV_S : PRV_U;
  status = (status & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV)) | MSTATUS_SPIE |
    ((status & MSTATUS_SPIE) != 0 ? MSTATUS_SIE : 0);
  setCsr64(H_MSTATUS, status);
  if (hEnabled()) {
    const hs = csr64(H_HSTATUS);
    setHart32(H_VIRT, (hs & HSTATUS_SPV) != 0 ? 1 : 0);
    setCsr64(H_HSTATUS, hs & ~HSTATUS_SPV);
  }
  setHart32(H_PRIV, spp);
  mmuUpdate();
  return csr64(H_SEPC);
}

/** Interrupts pending and enabled in mie (hie, vsie), regardless of global enables (wakes WFI). */
export function interruptsWaiting(): bool { return (readMip() & csr64(H_MIE)) != 0; }

/** Returns the interrupt number to take now, or -1 (global enables and delegation applied). */
export function pendingInterrupt(): i32 {
  const pending = readMip() & csr64(H_MIE);
  if (pending == 0) return -1;
  const priv = hart32(H_PRIV);
  const virt = hart32(H_VIRT) != 0;
  const status = csr64(H_MSTATUS);
  const deleg = midelegValue();
  // M-level interrupts: enabled when running below M, or in M with MIE set.
  const mPending = pending & ~deleg;
  if (mPending != 0 && (priv < PRV_M || (status & MSTATUS_MIE) != 0)) return pickInterrupt(mPending);
  // HS-level (delegated by mideleg, not by hideleg): always enabled with V=1, else below S or
  // in S with SIE; never in M.
  const hideleg = csr64(H_HIDELEG);
  const sPending = pending & deleg & ~hideleg;
  if (sPending != 0 && (virt || priv < PRV_S || (priv == PRV_S && (status & MSTATUS_SIE) != 0))) return pickInterrupt(sPending);
  // VS-level (delegated on by hideleg): only with V=1, in VU or in VS with vsstatus.SIE.
  const vPending = pending & deleg & hideleg;
  if (vPending != 0 && virt && (priv == PRV_U || (csr64(H_VSSTATUS) & MSTATUS_SIE) != 0)) return pickInterrupt(vPending);
  return -1;
}

/** Highest-priority interrupt in a pending set (machine.adoc "Machine Interrupt Registers";
 *  hypervisor.adoc: SEI, SSI, STI, SGEI, VSEI, VSSI, VSTI below the M-level ones). */
function pickInterrupt(p: u64): i32 {
  if ((p & MIP_MEIP) != 0) return IRQ_M_EXT;
  if ((p & MIP_MSIP) != 0) return IRQ_M_SOFT;
  if ((p & MIP_MTIP) != 0) return IRQ_M_TIMER;
  if ((p & MIP_SEIP) != 0) return IRQ_S_EXT;
  if ((p & MIP_SSIP) != 0) return IRQ_S_SOFT;
  if ((p & MIP_STIP) != 0) return IRQ_S_TIMER;
  if ((p & MIP_SGEIP) != 0) return IRQ_S_GEXT;
  if ((p & MIP_VSEIP) != 0) return IRQ_VS_EXT;
  if ((p & MIP_VSSIP) != 0) return IRQ_VS_SOFT;
  if ((p & MIP_VSTIP) != 0) return IRQ_VS_TIMER;
  return -1;
}
