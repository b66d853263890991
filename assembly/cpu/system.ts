// System instructions, shared by the interpreter (cpu/interp.ts) and translated code (the
// jitExec helper of jit/helpers.ts), so that both engines run the same code for them:
// Zicsr, ECALL/EBREAK, MRET/SRET, WFI, SFENCE.VMA, FENCE.I and the hypervisor instructions
// (the A extension is cpu/amo.ts execAtomic).
//
// Batch ends: an instruction that may change interrupt enables, pending bits, the privilege mode
// or the address translation calls requestBatchEnd() (ATTN_BATCH), so that the interpreter ends
// its batch (and samples interrupts) and translated code leaves its region (the dispatcher then
// re-evaluates mode, TLB context and interrupts). A CSR instruction does so only when it writes a
// CSR outside the "plain" set below: reads, and writes of scratch/epc/cause/tval/tvec/fflags,
// change none of that, so translated code keeps running after them.
import { X_SINK, H_PRIV, H_WFI, H_MSTATUS, H_VIRT, H_HSTATUS, M_VMM_FLAGS, VMM_SBI_ECALL, PRV_M, PRV_S, PRV_U,
         EXIT_ECALL, EXIT_VTRAP, EXIT_HTIF, EXIT_STOP } from "../layout";
import { hart32, setHart32, csr64, machine32, getX, setX } from "./state";
import { Op, dOp, dRd, dRs1, dRs2, dImmU } from "./opcodes";
import { raise, requestBatchEnd, requestExit, CAUSE_ILLEGAL_INSTRUCTION, CAUSE_BREAKPOINT, CAUSE_USER_ECALL,
         CAUSE_VIRTUAL_INSTRUCTION, MSTATUS_TSR, MSTATUS_TW, MSTATUS_TVM } from "./causes";
import { csrBegin, csrRead, csrWrite, csrFault, csrVirtual } from "./csr";
import { doMret, doSret, interruptsWaiting, vtrapPending, clearVtrap } from "./trap";
import { execHypervisor } from "./hinsn";
import { HSTATUS_VTSR, HSTATUS_VTW, HSTATUS_VTVM } from "./hyp";
import { sfenceVma } from "../mmu/tlb";
import { htifPending } from "../mmu/access";

// Set by an ecall that exits to the VMM (with ATTN_EXIT); read by exitRequestReason().
let hypercallPending = false;

/** The exit reason of a pending ATTN_EXIT request (hypercall, VM exit, HTIF, else a stop
 *  request); clears the hypercall and VM-exit flags. */
export function exitRequestReason(): u32 {
  const reason = hypercallPending ? EXIT_ECALL : vtrapPending ? EXIT_VTRAP : htifPending ? EXIT_HTIF : EXIT_STOP;
  hypercallPending = false;
  clearVtrap();
  return reason;
}

/** True for the operations execSystem() runs. */
export function isSystemOp(op: u32): bool {
  return op == <u32>Op.ECALL || op == <u32>Op.EBREAK || op == <u32>Op.FENCE_I ||
    (op >= <u32>Op.CSRRW && op <= <u32>Op.SFENCE_VMA) || (op >= <u32>Op.HFENCE_VVMA && op <= <u32>Op.HSV_D);
}

/**
 * Executes system instruction `d` (decoded form) at `pc` on the selected hart; `npc` is the
 * address after it, `bits` its encoding (xtval of an illegal-instruction exception). Raises
 * exceptions through cpu/causes.ts; returns the next pc (npc, or the xRET target).
 */
export function execSystem(d: u64, pc: u64, npc: u64, bits: u64): u64 {
  const op = dOp(d);
  switch (op) {
    case Op.ECALL:
      // With the VMM acting as the SBI implementation, an S-mode ecall is a hypercall: it
      // retires (pc moves past it) and the run returns EXIT_ECALL; the VMM reads the call from
      // a0..a7 and writes the SBI return values into a0/a1 before the next run.
      if (hart32(H_PRIV) == PRV_S && hart32(H_VIRT) == 0 && (machine32(M_VMM_FLAGS) & VMM_SBI_ECALL) != 0) {
        hypercallPending = true;
        requestExit();
        break;
      }
      // Causes 8 (U/VU), 9 (HS), 10 (VS), 11 (M).
      raise(CAUSE_USER_ECALL + hart32(H_PRIV) + (hart32(H_PRIV) == PRV_S ? hart32(H_VIRT) : 0), 0);
      break;
    case Op.EBREAK: raise(CAUSE_BREAKPOINT, pc); break;
    // The interpreter's decode cache revalidates raw bits on every hit, so FENCE.I has nothing to
    // flush; translated code must leave its region (its page may have been rewritten).
    case Op.FENCE_I: requestBatchEnd(); break;
    case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI:
      execCsr(op, <u32>dImmU(d) & 0xfff, dRd(d), dRs1(d), bits);
      break;
    case Op.MRET:
      if (hart32(H_PRIV) != PRV_M) { raise(CAUSE_ILLEGAL_INSTRUCTION, bits); break; }
      requestBatchEnd();
      return doMret();
    case Op.SRET: {
      const c = privilegedCheck(op);
      if (c != 0) { raise(c, bits); break; }
      requestBatchEnd();
      return doSret();
    }
    case Op.WFI: {
      const c = privilegedCheck(op);
      if (c != 0) { raise(c, bits); break; }
      if (!interruptsWaiting()) { setHart32(H_WFI, 1); requestBatchEnd(); }
      break;
    }
    case Op.SFENCE_VMA: {
      const c = privilegedCheck(op);
      if (c != 0) { raise(c, bits); break; }
      const rs1 = dRs1(d), rs2 = dRs2(d);
      sfenceVma(getX(rs1), rs1 != 0, getX(rs2), rs2 != 0, hart32(H_VIRT) != 0);
      requestBatchEnd();
      break;
    }
    default:
      if (op >= <u32>Op.HFENCE_VVMA && op <= <u32>Op.HSV_D) { execHypervisor(op, dRd(d), dRs1(d), dRs2(d), bits); break; }
      raise(CAUSE_ILLEGAL_INSTRUCTION, bits);
  }
  return npc;
}

/** The exception SRET, WFI or SFENCE.VMA raises at the current privilege, or 0 if it may run
 *  (machine.adoc TSR/TW/TVM; hypervisor.adoc "Virtual Instruction Exceptions": in VU all three,
 *  and in VS SRET with VTSR, WFI with VTW, SFENCE.VMA with VTVM, are virtual instructions; TW
 *  still makes WFI illegal below M). */
function privilegedCheck(op: u32): u32 {
  const p = hart32(H_PRIV);
  const status = csr64(H_MSTATUS);
  if (op == <u32>Op.WFI && p != PRV_M && (status & MSTATUS_TW) != 0) return CAUSE_ILLEGAL_INSTRUCTION;
  if (hart32(H_VIRT) != 0) {
    if (p == PRV_U) return CAUSE_VIRTUAL_INSTRUCTION;
    const hs = csr64(H_HSTATUS);
    const trap = op == <u32>Op.SRET ? HSTATUS_VTSR : op == <u32>Op.WFI ? HSTATUS_VTW : HSTATUS_VTVM;
    return (hs & trap) != 0 ? CAUSE_VIRTUAL_INSTRUCTION : 0;
  }
  if (p == PRV_U) return CAUSE_ILLEGAL_INSTRUCTION;
  if (p == PRV_S) {
    const trap = op == <u32>Op.SRET ? MSTATUS_TSR : op == <u32>Op.WFI ? MSTATUS_TW : MSTATUS_TVM;
    if ((status & trap) != 0) return CAUSE_ILLEGAL_INSTRUCTION;
  }
  return 0;
}

/** True for the CSRs whose writes change no interrupt, privilege or translation state
 *  (numbers as encoded; with V=1 the S-level ones reach their VS copies, equally plain). */
function plainCsr(num: u32): bool {
  switch (num) {
    case 0x001: case 0x002: case 0x003: // fflags frm fcsr (FS is checked when an F/D op runs)
    case 0x105: case 0x106: case 0x140: case 0x141: case 0x142: case 0x143: // stvec scounteren sscratch sepc scause stval
    case 0x305: case 0x306: case 0x340: case 0x341: case 0x342: case 0x343: case 0x34a: case 0x34b: // m* likewise, mtinst mtval2
    case 0x205: case 0x240: case 0x241: case 0x242: case 0x243: // vstvec vsscratch vsepc vscause vstval
    case 0x643: case 0x64a: // htval htinst
      return true;
  }
  return false;
}

/** Executes one Zicsr instruction (read-modify-write rules of the Zicsr chapter). */
function execCsr(op: u32, num: u32, rd: u32, rs1: u32, bits: u64): void {
  csrBegin();
  const immForm = op >= <u32>Op.CSRRWI;
  const kind = immForm ? op - <u32>Op.CSRRWI : op - <u32>Op.CSRRW; // 0 write, 1 set, 2 clear
  const src: u64 = immForm ? <u64>rs1 : getX(rs1);
  // CSRRW with rd = x0 does not read (no read side effects); CSRRS/C with rs1 = x0 do not write.
  let old: u64 = 0;
  if (kind != 0 || rd != X_SINK) old = csrRead(num);
  const writes = kind == 0 || rs1 != 0;
  if (!csrFault && writes) {
    csrWrite(num, kind == 0 ? src : kind == 1 ? old | src : old & ~src);
  }
  if (csrFault) { raise(csrVirtual ? CAUSE_VIRTUAL_INSTRUCTION : CAUSE_ILLEGAL_INSTRUCTION, bits); return; }
  setX(rd, old);
  if (writes && !plainCsr(num)) requestBatchEnd();
}
