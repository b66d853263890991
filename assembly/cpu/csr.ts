// Control and status registers (Zicsr, Zicntr, privileged spec chapters "Machine-Level ISA" and
// "Supervisor-Level ISA", Sstc). Reads and writes apply the WARL rules; an access that is not
// allowed sets `csrFault` and the interpreter raises an illegal-instruction exception.
import {
  H_MSTATUS, H_MISA, H_MEDELEG, H_MIDELEG, H_MIE, H_MIP, H_MTVEC, H_MCOUNTEREN, H_MSCRATCH,
  H_MEPC, H_MCAUSE, H_MTVAL, H_MENVCFG, H_MCOUNTINHIBIT, H_STVEC, H_SCOUNTEREN, H_SSCRATCH,
  H_SEPC, H_SCAUSE, H_STVAL, H_SENVCFG, H_SATP, H_STIMECMP, H_MCYCLE, H_MINSTRET, H_MTINST,
  H_MTVAL2, H_EXT_IRQ, H_FFLAGS, H_FRM, H_HARTID, H_INSTRET, H_PRIV, M_MTIME, PRV_M, PRV_S, PRV_U,
} from "../layout";
import { csr64, setCsr64, hart32, setHart32, machine64 } from "./state";
import {
  MSTATUS_SIE, MSTATUS_MIE, MSTATUS_SPIE, MSTATUS_MPIE, MSTATUS_SPP, MSTATUS_MPP, MSTATUS_FS,
  MSTATUS_MPRV, MSTATUS_SUM, MSTATUS_MXR, MSTATUS_TVM, MSTATUS_TW, MSTATUS_TSR, MSTATUS_UXL,
  MSTATUS_SXL, MSTATUS_SD, MSTATUS_XS, MIP_SSIP, MIP_STIP, MIP_SEIP, MIP_MTIP, MIP_MSIP, MIP_MEIP,
} from "./causes";
import { pmpReadCfg, pmpWriteCfg, pmpReadAddr, pmpWriteAddr } from "../mmu/pmp";
import { mmuUpdate } from "../mmu/mode";

/** Set by csrRead/csrWrite when the access must raise an illegal-instruction exception. */
export let csrFault: bool = false;
/** Set when a CSR write may have changed interrupt enables or pending bits. */
export let csrIrqDirty: bool = false;
/** Clears the fault and interrupt-dirty flags before a CSR instruction. */
export function csrBegin(): void { csrFault = false; csrIrqDirty = false; }

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
const MENVCFG_STCE: u64 = (<u64>1) << 63;
const MENVCFG_FIOM: u64 = 1;
const COUNTEREN_MASK: u64 = 7; // CY, TM, IR (no hpm counters)

/** misa for RV64 with A, C, D, F, I, M, S, U (MXL=2). Read-only: extensions cannot be turned off. */
export const MISA_VALUE: u64 = ((<u64>2) << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) |
  (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);
/** mstatus after reset: UXL = SXL = 64-bit. */
export const MSTATUS_RESET: u64 = ((<u64>2) << 32) | ((<u64>2) << 34);

/** Returns true if FP state is enabled (mstatus.FS != Off). */
// @ts-ignore: decorator
@inline export function fpEnabled(): bool { return (csr64(H_MSTATUS) & MSTATUS_FS) != 0; }
/** Marks the FP state dirty (mstatus.FS = Dirty, SD = 1). */
// @ts-ignore: decorator
@inline export function setFsDirty(): void { setCsr64(H_MSTATUS, csr64(H_MSTATUS) | MSTATUS_FS | MSTATUS_SD); }

/** Current retired-instruction count (H_INSTRET is kept exact by the interpreter before CSR ops). */
// @ts-ignore: decorator
@inline function instret(): u64 { return csr64(H_INSTRET); }

/** mip as software sees it: stored bits plus lines driven by host devices. */
export function readMip(): u64 { return csr64(H_MIP) | (csr64(H_EXT_IRQ) & (M_INTERRUPTS | MIP_SEIP)); }

/** Counter access check for cycle/time/instret from S and U (mcounteren / scounteren). */
function counterAllowed(bit: u32): bool {
  const priv = hart32(H_PRIV);
  if (priv == PRV_M) return true;
  if ((csr64(H_MCOUNTEREN) >> bit & 1) == 0) return false;
  if (priv == PRV_U && (csr64(H_SCOUNTEREN) >> bit & 1) == 0) return false;
  return true;
}

/** Checks privilege for accessing CSR `num` (bits 9:8 give the lowest privilege allowed). */
// @ts-ignore: decorator
@inline function privOk(num: u32): bool { return hart32(H_PRIV) >= ((num >> 8) & 3); }

/** Reads CSR `num`; sets csrFault if it does not exist or is not accessible. */
export function csrRead(num: u32): u64 {
  if (!privOk(num)) { csrFault = true; return 0; }
  switch (num) {
    case FFLAGS: if (!fpEnabled()) break; return <u64>hart32(H_FFLAGS);
    case FRM: if (!fpEnabled()) break; return <u64>hart32(H_FRM);
    case FCSR: if (!fpEnabled()) break; return <u64>(hart32(H_FFLAGS) | (hart32(H_FRM) << 5));
    case CYCLE: if (!counterAllowed(0)) break; return instret() + csr64(H_MCYCLE);
    case TIME: if (!counterAllowed(1)) break; return machine64(M_MTIME);
    case INSTRET: if (!counterAllowed(2)) break; return instret() + csr64(H_MINSTRET);
    case SSTATUS: return sstatusValue();
    case SIE: return csr64(H_MIE) & csr64(H_MIDELEG);
    case STVEC: return csr64(H_STVEC);
    case SCOUNTEREN: return csr64(H_SCOUNTEREN);
    case SENVCFG: return csr64(H_SENVCFG);
    case SSCRATCH: return csr64(H_SSCRATCH);
    case SEPC: return csr64(H_SEPC);
    case SCAUSE: return csr64(H_SCAUSE);
    case STVAL: return csr64(H_STVAL);
    case SIP: return readMip() & csr64(H_MIDELEG);
    case STIMECMP: if (!stimecmpAllowed()) break; return csr64(H_STIMECMP);
    case SATP:
      if (hart32(H_PRIV) == PRV_S && (csr64(H_MSTATUS) & MSTATUS_TVM) != 0) break;
      return csr64(H_SATP);
    case MVENDORID: case MARCHID: case MIMPID: case MCONFIGPTR: return 0;
    case MHARTID: return <u64>hart32(H_HARTID);
    case MSTATUS: return mstatusValue();
    case MISA: return csr64(H_MISA);
    case MEDELEG: return csr64(H_MEDELEG);
    case MIDELEG: return csr64(H_MIDELEG);
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
export function csrWrite(num: u32, v: u64): void {
  if (!privOk(num) || (num >> 10) == 3) { csrFault = true; return; }
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
    case MEDELEG: setCsr64(H_MEDELEG, v & MEDELEG_WRITABLE); return;
    case MIDELEG: setCsr64(H_MIDELEG, v & S_INTERRUPTS); csrIrqDirty = true; return;
    case MIE: setCsr64(H_MIE, v & (S_INTERRUPTS | M_INTERRUPTS)); csrIrqDirty = true; return;
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
      setCsr64(H_MIP, (csr64(H_MIP) & ~m) | (v & m)); csrIrqDirty = true; return;
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
  let nv = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
  // MPP is WARL over {U, S, M}: the reserved value 2 leaves the field unchanged.
  if (((nv & MSTATUS_MPP) >> 11) == 2) nv = (nv & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
  nv = (nv & ~(MSTATUS_UXL | MSTATUS_SXL)) | MSTATUS_RESET;
  if ((nv & MSTATUS_FS) == MSTATUS_FS) nv |= MSTATUS_SD; else nv &= ~MSTATUS_SD;
  setCsr64(H_MSTATUS, nv);
  if (((old ^ nv) & (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR)) != 0) mmuUpdate();
  csrIrqDirty = true;
}

/** xtvec WARL: modes 0 (direct) and 1 (vectored); reserved modes fall back to direct. */
function legalTvec(v: u64): u64 { return (v & 3) >= 2 ? v & ~<u64>3 : v; }

/** stimecmp is reachable from S only with menvcfg.STCE and mcounteren.TM (Sstc). */
function stimecmpAllowed(): bool {
  if (hart32(H_PRIV) == PRV_M) return true;
  return (csr64(H_MENVCFG) & MENVCFG_STCE) != 0 && (csr64(H_MCOUNTEREN) & 2) != 0;
}

/** True if Sstc drives STIP from stimecmp (menvcfg.STCE). */
export function sstcEnabled(): bool { return (csr64(H_MENVCFG) & MENVCFG_STCE) != 0; }

