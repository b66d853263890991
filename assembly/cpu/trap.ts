// Trap entry and return (privileged spec: "Machine Trap Delegation Registers", "Machine Trap
// Vector Base-Address Register", "Trap-Return Instructions") and interrupt selection
// ("Machine Interrupt Registers": priority MEI > MSI > MTI > SEI > SSI > STI).
// The routing is written in terms of a target level so the hypervisor extension can add
// HS/VS targets (hedeleg/hideleg) without rewriting it.
import {
  H_MSTATUS, H_MEDELEG, H_MIDELEG, H_MIE, H_MTVEC, H_MEPC, H_MCAUSE, H_MTVAL, H_STVEC, H_SEPC,
  H_SCAUSE, H_STVAL, H_MTINST, H_MTVAL2, H_PRIV, H_RES_VALID, H_STAT_TRAPS, H_STAT_INTERRUPTS,
  PRV_M, PRV_S, PRV_U,
} from "../layout";
import { csr64, setCsr64, hart32, setHart32, bump } from "./state";
import {
  MSTATUS_SIE, MSTATUS_MIE, MSTATUS_SPIE, MSTATUS_MPIE, MSTATUS_SPP, MSTATUS_MPP, MSTATUS_MPRV,
  MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP, MIP_SSIP, MIP_STIP,
  IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER,
} from "./causes";
import { readMip } from "./csr";
import { mmuUpdate } from "../mmu/mode";

const INTERRUPT_BIT: u64 = (<u64>1) << 63;

/** Takes a trap at `pc` (exception cause, or interrupt number with `interrupt`); returns the handler pc. */
export function enterTrap(pc: u64, cause: u32, tval: u64, interrupt: bool): u64 {
  const priv = hart32(H_PRIV);
  const deleg = csr64(interrupt ? H_MIDELEG : H_MEDELEG);
  const mcause = (interrupt ? INTERRUPT_BIT : 0) | <u64>cause;
  let status = csr64(H_MSTATUS);
  let vector: u64;
  // An LR reservation does not survive a trap (SC after a trap must fail).
  setHart32(H_RES_VALID, 0);
  if (interrupt) bump(H_STAT_INTERRUPTS); else bump(H_STAT_TRAPS);
  if (priv <= PRV_S && ((deleg >> cause) & 1) != 0) {
    // Delegated to S-mode.
    setCsr64(H_SCAUSE, mcause);
    setCsr64(H_SEPC, pc);
    setCsr64(H_STVAL, tval);
    status = (status & ~(MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SIE)) |
      ((status & MSTATUS_SIE) != 0 ? MSTATUS_SPIE : 0) | (priv == PRV_S ? MSTATUS_SPP : 0);
    setCsr64(H_MSTATUS, status);
    setHart32(H_PRIV, PRV_S);
    vector = csr64(H_STVEC);
  } else {
    setCsr64(H_MCAUSE, mcause);
    setCsr64(H_MEPC, pc);
    setCsr64(H_MTVAL, tval);
    setCsr64(H_MTINST, 0);
    setCsr64(H_MTVAL2, 0);
    status = (status & ~(MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MIE)) |
      ((status & MSTATUS_MIE) != 0 ? MSTATUS_MPIE : 0) | (<u64>priv << 11);
    setCsr64(H_MSTATUS, status);
    setHart32(H_PRIV, PRV_M);
    vector = csr64(H_MTVEC);
  }
  mmuUpdate();
  const base = vector & ~<u64>3;
  // Vectored mode: asynchronous interrupts jump to base + 4*cause.
  if (interrupt && (vector & 3) == 1) return base + ((<u64>cause) << 2);
  return base;
}

/** MRET: returns to the privilege in MPP; caller has checked priv == M. Returns the new pc. */
export function doMret(): u64 {
  let status = csr64(H_MSTATUS);
  const mpp = <u32>((status & MSTATUS_MPP) >> 11);
  status = (status & ~(MSTATUS_MIE | MSTATUS_MPP)) | MSTATUS_MPIE |
    ((status & MSTATUS_MPIE) != 0 ? MSTATUS_MIE : 0);
  if (mpp != PRV_M) status &= ~MSTATUS_MPRV;
  setCsr64(H_MSTATUS, status);
  setHart32(H_PRIV, mpp);
  setHart32(H_RES_VALID, 0);
  mmuUpdate();
  return csr64(H_MEPC);
}

/** SRET: returns to the privilege in SPP; caller has checked priv and TSR. Returns the new pc. */
export function doSret(): u64 {
  let status = csr64(H_MSTATUS);
  const spp = (status & MSTATUS_SPP) != 0 ? PRV_S : PRV_U;
  status = (status & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV)) | MSTATUS_SPIE |
    ((status & MSTATUS_SPIE) != 0 ? MSTATUS_SIE : 0);
  setCsr64(H_MSTATUS, status);
  setHart32(H_PRIV, spp);
  setHart32(H_RES_VALID, 0);
  mmuUpdate();
  return csr64(H_SEPC);
}

/** Interrupts pending and enabled in mie, regardless of global enables (wakes WFI). */
export function interruptsWaiting(): bool { return (readMip() & csr64(H_MIE)) != 0; }

/** Returns the interrupt number to take now, or -1 (global enables and delegation applied). */
export function pendingInterrupt(): i32 {
  const pending = readMip() & csr64(H_MIE);
  if (pending == 0) return -1;
  const priv = hart32(H_PRIV);
  const status = csr64(H_MSTATUS);
  const deleg = csr64(H_MIDELEG);
  // M-level interrupts: enabled when running below M, or in M with MIE set.
  const mPending = pending & ~deleg;
  if (mPending != 0 && (priv < PRV_M || (status & MSTATUS_MIE) != 0)) return pickInterrupt(mPending);
  // S-level (delegated) interrupts: enabled below S, or in S with SIE set; never in M.
  const sPending = pending & deleg;
  if (sPending != 0 && (priv < PRV_S || (priv == PRV_S && (status & MSTATUS_SIE) != 0))) return pickInterrupt(sPending);
  return -1;
}

/** Highest-priority interrupt in a pending set. */
function pickInterrupt(p: u64): i32 {
  if ((p & MIP_MEIP) != 0) return IRQ_M_EXT;
  if ((p & MIP_MSIP) != 0) return IRQ_M_SOFT;
  if ((p & MIP_MTIP) != 0) return IRQ_M_TIMER;
  if ((p & MIP_SEIP) != 0) return IRQ_S_EXT;
  if ((p & MIP_SSIP) != 0) return IRQ_S_SOFT;
  if ((p & MIP_STIP) != 0) return IRQ_S_TIMER;
  return -1;
}
