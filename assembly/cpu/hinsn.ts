// Hypervisor instructions (hypervisor.adoc "Hypervisor Instructions"): HLV/HLVX/HSV, the
// virtual-machine loads and stores that HS-mode (or U-mode with hstatus.HU) makes "as though
// V=1" at privilege hstatus.SPVP, and the fences HFENCE.VVMA/HFENCE.GVMA.
//
// HLV/HSV go through translateVirtual (mmu/gstage.ts) each time rather than through a TLB
// array: they are rare (a hypervisor reads a guest's instruction or argument with them), and the
// full walk keeps their rules (HLVX's execute permission, SPVP, vsstatus.SUM/MXR) in one place.
import { H_PRIV, H_VIRT, H_MSTATUS, H_HSTATUS, H_VSSTATUS, H_VSATP, PRV_U, PRV_S } from "../layout";
import { hart32, csr64, getX, setX } from "./state";
import { Op } from "./opcodes";
import { raise, markGuestVa, requestBatchEnd, excCause, CAUSE_ILLEGAL_INSTRUCTION, CAUSE_VIRTUAL_INSTRUCTION,
         CAUSE_MISALIGNED_LOAD, CAUSE_MISALIGNED_STORE, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS,
         MSTATUS_SUM, MSTATUS_MXR, MSTATUS_TVM } from "./causes";
import { hEnabled, HSTATUS_HU, HSTATUS_SPVP } from "./hyp";
import { ACC_FETCH, ACC_LOAD, ACC_STORE, physRead, physWrite } from "../mmu/access";
import { translateVirtual, vPage } from "../mmu/gstage";
import { accessFaultCause } from "../mmu/walk";
import { pmpCheck } from "../mmu/pmp";
import { sfenceVma, mmuFlushVirtual } from "../mmu/tlb";
import { SATP_PPN_MASK } from "../mmu/mode";

/** Executes hypervisor instruction `op` (HFENCE_VVMA..HSV_D) with operands rd/rs1/rs2; `bits`
 *  is the instruction for xtval. Raises illegal or virtual-instruction exceptions as the spec
 *  lists them ("Virtual Instruction Exceptions"). */
export function execHypervisor(op: u32, rd: u32, rs1: u32, rs2: u32, bits: u64): void {
  const priv = hart32(H_PRIV);
  if (!hEnabled()) { raise(CAUSE_ILLEGAL_INSTRUCTION, bits); return; }
  // In VS or VU every hypervisor instruction is a virtual instruction.
  if (hart32(H_VIRT) != 0) { raise(CAUSE_VIRTUAL_INSTRUCTION, bits); return; }
  if (op == <u32>Op.HFENCE_VVMA || op == <u32>Op.HFENCE_GVMA) {
    // HFENCE in U-mode is illegal; HFENCE.GVMA in HS-mode too while mstatus.TVM=1.
    if (priv == PRV_U || (op == <u32>Op.HFENCE_GVMA && priv == PRV_S && (csr64(H_MSTATUS) & MSTATUS_TVM) != 0)) {
      raise(CAUSE_ILLEGAL_INSTRUCTION, bits);
      return;
    }
    // HFENCE.VVMA: the VS-stage of the current VM (rs1 = guest va, rs2 = ASID); HFENCE.GVMA
    // drops every cached two-stage translation (a guest-physical or VMID filter may over-fence).
    if (op == <u32>Op.HFENCE_VVMA) sfenceVma(getX(rs1), rs1 != 0, getX(rs2), rs2 != 0, true);
    else mmuFlushVirtual();
    requestBatchEnd();
    return;
  }
  // HLV/HLVX/HSV from U-mode need hstatus.HU.
  if (priv == PRV_U && (csr64(H_HSTATUS) & HSTATUS_HU) == 0) { raise(CAUSE_ILLEGAL_INSTRUCTION, bits); return; }
  const isStore = op >= <u32>Op.HSV_B;
  let size: u32;
  let signed = false;
  let exec = false;
  switch (op) {
    case Op.HLV_B: size = 1; signed = true; break;
    case Op.HLV_BU: size = 1; break;
    case Op.HLV_H: size = 2; signed = true; break;
    case Op.HLV_HU: size = 2; break;
    case Op.HLVX_HU: size = 2; exec = true; break;
    case Op.HLV_W: size = 4; signed = true; break;
    case Op.HLVX_WU: size = 4; exec = true; break;
    case Op.HLV_WU: size = 4; break;
    case Op.HLV_D: size = 8; break;
    case Op.HSV_B: size = 1; break;
    case Op.HSV_H: size = 2; break;
    case Op.HSV_W: size = 4; break;
    default: size = 8;
  }
  const va = getX(rs1);
  if ((<u32>va & (size - 1)) != 0) {
    raise(isStore ? CAUSE_MISALIGNED_STORE : CAUSE_MISALIGNED_LOAD, va);
    markGuestVa();
    return;
  }
  // The access is made as though V=1 at privilege SPVP: VS-stage by vsatp with vsstatus.SUM and
  // MXR (mstatus.MXR also applies), then G-stage. HLVX needs execute permission, not read.
  const vpriv = (csr64(H_HSTATUS) & HSTATUS_SPVP) != 0 ? PRV_S : PRV_U;
  const vss = csr64(H_VSSTATUS);
  const mxr = (vss & MSTATUS_MXR) != 0 || (csr64(H_MSTATUS) & MSTATUS_MXR) != 0;
  const sum = (vss & MSTATUS_SUM) != 0;
  const vsatp = csr64(H_VSATP);
  const access = isStore ? ACC_STORE : (exec ? ACC_FETCH : ACC_LOAD);
  const faultAccess = isStore ? ACC_STORE : ACC_LOAD;
  if (!translateVirtual(<u32>(vsatp >> 60), (vsatp & SATP_PPN_MASK) << 12, va, access, faultAccess, vpriv, sum, mxr)) {
    markGuestVa();
    return;
  }
  const pa = vPage | (va & 0xfff);
  if (!pmpCheck(pa, size, isStore ? ACC_STORE : ACC_LOAD, vpriv)) {
    raise(accessFaultCause(faultAccess), va);
    markGuestVa();
    return;
  }
  if (isStore) {
    physWrite(pa, size, getX(rs2), CAUSE_STORE_ACCESS, va);
    if (excCause >= 0) markGuestVa();
    return;
  }
  let v = physRead(pa, size, CAUSE_LOAD_ACCESS, va);
  if (excCause >= 0) { markGuestVa(); return; }
  if (signed) v = <u64>((<i64>(v << (64 - 8 * <u64>size))) >> (64 - 8 * <i64>size));
  setX(rd, v);
}

/** The transformed instruction htinst/mtinst report for a guest-page fault of an explicit load or
 *  store (hypervisor.adoc "Trap Instruction Register", "transformed standard instruction"): the
 *  instruction with its address offset fields (rs1, immediate) zeroed, and for a compressed
 *  instruction its 32-bit expansion with bit 1 cleared. `raw` is the instruction at the faulting
 *  pc; 0 for anything else (always allowed). */
export function transformedInsn(raw: u32): u64 {
  if ((raw & 3) == 3) {
    const opc = raw & 0x7f;
    if (opc == 0x03 || opc == 0x07) return <u64>(raw & 0x0000_7fff); // loads: keep funct3, rd (rs1, imm -> 0)
    if (opc == 0x23 || opc == 0x27) return <u64>(raw & 0x01f0_707f); // stores: keep rs2, funct3
    if (opc == 0x2f) return <u64>(raw & 0xfff0_7fff & ~(<u32>0x1f << 15)); // AMOs: rs1 -> 0
    return 0;
  }
  // Compressed loads and stores (unpriv "C" quadrants 0 and 2): rebuild the expansion.
  const q = raw & 3, f3 = (raw >> 13) & 7;
  let op32: u32 = 0, f3w: u32 = 0, reg: u32 = 0, store = false;
  if (q == 0) {
    reg = 8 + ((raw >> 2) & 7);
    switch (f3) {
      case 1: op32 = 0x07; f3w = 3; break; // C.FLD
      case 2: op32 = 0x03; f3w = 2; break; // C.LW
      case 3: op32 = 0x03; f3w = 3; break; // C.LD
      case 5: op32 = 0x27; f3w = 3; store = true; break; // C.FSD
      case 6: op32 = 0x23; f3w = 2; store = true; break; // C.SW
      case 7: op32 = 0x23; f3w = 3; store = true; break; // C.SD
      default: return 0;
    }
  } else if (q == 2) {
    switch (f3) {
      case 1: op32 = 0x07; f3w = 3; reg = (raw >> 7) & 31; break; // C.FLDSP
      case 2: op32 = 0x03; f3w = 2; reg = (raw >> 7) & 31; break; // C.LWSP
      case 3: op32 = 0x03; f3w = 3; reg = (raw >> 7) & 31; break; // C.LDSP
      case 5: op32 = 0x27; f3w = 3; reg = (raw >> 2) & 31; store = true; break; // C.FSDSP
      case 6: op32 = 0x23; f3w = 2; reg = (raw >> 2) & 31; store = true; break; // C.SWSP
      case 7: op32 = 0x23; f3w = 3; reg = (raw >> 2) & 31; store = true; break; // C.SDSP
      default: return 0;
    }
  } else {
    return 0;
  }
  const v = op32 | (f3w << 12) | (store ? reg << 20 : reg << 7);
  return <u64>(v & ~<u32>2); // bit 1 clear: the trapping instruction was 16 bits long
}
