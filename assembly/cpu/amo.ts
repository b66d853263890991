// The A extension's memory side (unprivileged spec "A" chapter): LR/SC reservations and AMOs.
// AMOs need store permission (faults report as store/AMO faults), must be naturally aligned
// (a misaligned AMO or SC raises a store/AMO address-misaligned exception, a misaligned LR a
// load address-misaligned exception) and act only on RAM (an AMO to a device is an access fault).
import { H_RES_ADDR, H_RES_VALID } from "../layout";
import { csr64, setCsr64, hart32, setHart32, getX, setX } from "./state";
import { Op, dOp, dRd, dRs1, dRs2 } from "./opcodes";
import { raise, excCause, CAUSE_MISALIGNED_LOAD, CAUSE_MISALIGNED_STORE, CAUSE_LOAD_ACCESS,
         CAUSE_STORE_ACCESS } from "./causes";
import { translateRead, translateWrite, ramHost } from "../mmu/access";
import { sext32 } from "./alu";

/** LR.W/LR.D: loads and reserves; returns the (sign-extended) value or raises. */
export function loadReserved(va: u64, size: u32): u64 {
  if ((<u32>va & (size - 1)) != 0) { raise(CAUSE_MISALIGNED_LOAD, va); return 0; }
  const pa = translateRead(va, size);
  if (excCause >= 0) return 0;
  const h = ramHost(pa, size);
  if (h == 0) { raise(CAUSE_LOAD_ACCESS, va); return 0; }
  setCsr64(H_RES_ADDR, pa);
  setHart32(H_RES_VALID, 1);
  return size == 4 ? sext32(<u64>load<u32>(h)) : load<u64>(h);
}

/** SC.W/SC.D: stores if the reservation holds; returns 0 on success, 1 on failure, or raises. */
export function storeConditional(va: u64, size: u32, value: u64): u64 {
  if ((<u32>va & (size - 1)) != 0) { raise(CAUSE_MISALIGNED_STORE, va); return 0; }
  const pa = translateWrite(va, size);
  if (excCause >= 0) return 0;
  const h = ramHost(pa, size);
  if (h == 0) { raise(CAUSE_STORE_ACCESS, va); return 0; }
  const ok = hart32(H_RES_VALID) != 0 && csr64(H_RES_ADDR) == pa;
  setHart32(H_RES_VALID, 0); // any SC ends the reservation
  if (!ok) return 1;
  if (size == 4) store<u32>(h, <u32>value); else store<u64>(h, value);
  return 0;
}

/** Executes AMO `op` on [va] with operand `src`; returns the old value (sign-extended for .W) or raises. */
export function amo(op: u32, va: u64, src: u64): u64 {
  const word = op <= <u32>Op.AMOMAXU_W;
  const size: u32 = word ? 4 : 8;
  if ((<u32>va & (size - 1)) != 0) { raise(CAUSE_MISALIGNED_STORE, va); return 0; }
  const pa = translateWrite(va, size);
  if (excCause >= 0) return 0;
  const h = ramHost(pa, size);
  if (h == 0) { raise(CAUSE_STORE_ACCESS, va); return 0; }
  if (word) {
    const old = load<u32>(h), s = <u32>src;
    let r: u32;
    switch (op) {
      case Op.AMOSWAP_W: r = s; break;
      case Op.AMOADD_W: r = old + s; break;
      case Op.AMOXOR_W: r = old ^ s; break;
      case Op.AMOAND_W: r = old & s; break;
      case Op.AMOOR_W: r = old | s; break;
      case Op.AMOMIN_W: r = <i32>old < <i32>s ? old : s; break;
      case Op.AMOMAX_W: r = <i32>old > <i32>s ? old : s; break;
      case Op.AMOMINU_W: r = old < s ? old : s; break;
      default: r = old > s ? old : s; break; // AMOMAXU_W
    }
    store<u32>(h, r);
    return sext32(<u64>old);
  }
  const old = load<u64>(h);
  let r: u64;
  switch (op) {
    case Op.AMOSWAP_D: r = src; break;
    case Op.AMOADD_D: r = old + src; break;
    case Op.AMOXOR_D: r = old ^ src; break;
    case Op.AMOAND_D: r = old & src; break;
    case Op.AMOOR_D: r = old | src; break;
    case Op.AMOMIN_D: r = <i64>old < <i64>src ? old : src; break;
    case Op.AMOMAX_D: r = <i64>old > <i64>src ? old : src; break;
    case Op.AMOMINU_D: r = old < src ? old : src; break;
    default: r = old > src ? old : src; break; // AMOMAXU_D
  }
  store<u64>(h, r);
  return old;
}

/** Executes A-extension instruction `d` (LR, SC or an AMO; decoded form) on the selected hart's
 *  registers: x[rd] gets the loaded value, the SC result or the AMO's old value unless it raised.
 *  Shared by the interpreter and translated code's jitExec helper. */
export function execAtomic(d: u64): void {
  const op = dOp(d);
  const va = getX(dRs1(d));
  let v: u64;
  if (op == <u32>Op.LR_W || op == <u32>Op.LR_D) v = loadReserved(va, op == <u32>Op.LR_W ? 4 : 8);
  else if (op == <u32>Op.SC_W || op == <u32>Op.SC_D) v = storeConditional(va, op == <u32>Op.SC_W ? 4 : 8, getX(dRs2(d)));
  else v = amo(op, va, getX(dRs2(d)));
  if (excCause < 0) setX(dRd(d), v);
}
