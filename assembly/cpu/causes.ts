// Exception and interrupt cause codes (privileged spec, "Machine Cause Register" table),
// mstatus bit positions, and the pending-exception signal used inside one instruction.

export const CAUSE_MISALIGNED_FETCH: u32 = 0;
export const CAUSE_FETCH_ACCESS: u32 = 1;
export const CAUSE_ILLEGAL_INSTRUCTION: u32 = 2;
export const CAUSE_BREAKPOINT: u32 = 3;
export const CAUSE_MISALIGNED_LOAD: u32 = 4;
export const CAUSE_LOAD_ACCESS: u32 = 5;
export const CAUSE_MISALIGNED_STORE: u32 = 6;
export const CAUSE_STORE_ACCESS: u32 = 7;
export const CAUSE_USER_ECALL: u32 = 8;
export const CAUSE_SUPERVISOR_ECALL: u32 = 9;
export const CAUSE_VIRTUAL_SUPERVISOR_ECALL: u32 = 10;
export const CAUSE_MACHINE_ECALL: u32 = 11;
export const CAUSE_FETCH_PAGE_FAULT: u32 = 12;
export const CAUSE_LOAD_PAGE_FAULT: u32 = 13;
export const CAUSE_STORE_PAGE_FAULT: u32 = 15;
export const CAUSE_FETCH_GUEST_PAGE_FAULT: u32 = 20;
export const CAUSE_LOAD_GUEST_PAGE_FAULT: u32 = 21;
export const CAUSE_VIRTUAL_INSTRUCTION: u32 = 22;
export const CAUSE_STORE_GUEST_PAGE_FAULT: u32 = 23;

// interrupt numbers (bit positions in mip/mie)
export const IRQ_S_SOFT: u32 = 1;
export const IRQ_M_SOFT: u32 = 3;
export const IRQ_S_TIMER: u32 = 5;
export const IRQ_M_TIMER: u32 = 7;
export const IRQ_S_EXT: u32 = 9;
export const IRQ_M_EXT: u32 = 11;
export const MIP_SSIP: u64 = 1 << 1;
export const MIP_MSIP: u64 = 1 << 3;
export const MIP_STIP: u64 = 1 << 5;
export const MIP_MTIP: u64 = 1 << 7;
export const MIP_SEIP: u64 = 1 << 9;
export const MIP_MEIP: u64 = 1 << 11;

// mstatus fields
export const MSTATUS_SIE: u64 = 1 << 1;
export const MSTATUS_MIE: u64 = 1 << 3;
export const MSTATUS_SPIE: u64 = 1 << 5;
export const MSTATUS_UBE: u64 = 1 << 6;
export const MSTATUS_MPIE: u64 = 1 << 7;
export const MSTATUS_SPP: u64 = 1 << 8;
export const MSTATUS_MPP_SHIFT: u32 = 11;
export const MSTATUS_MPP: u64 = 3 << 11;
export const MSTATUS_FS_SHIFT: u32 = 13;
export const MSTATUS_FS: u64 = 3 << 13;
export const MSTATUS_XS: u64 = 3 << 15;
export const MSTATUS_MPRV: u64 = 1 << 17;
export const MSTATUS_SUM: u64 = 1 << 18;
export const MSTATUS_MXR: u64 = 1 << 19;
export const MSTATUS_TVM: u64 = 1 << 20;
export const MSTATUS_TW: u64 = 1 << 21;
export const MSTATUS_TSR: u64 = 1 << 22;
export const MSTATUS_UXL: u64 = (<u64>3) << 32;
export const MSTATUS_SXL: u64 = (<u64>3) << 34;
export const MSTATUS_SD: u64 = (<u64>1) << 63;

/** Cause of the exception raised by the current instruction, or -1 when none. */
export let excCause: i32 = -1;
/** Value for xtval of the pending exception. */
export let excTval: u64 = 0;

/** For a guest-page fault: the faulting guest physical address shifted right by 2 (htval/mtval2). */
export let excTval2: u64 = 0;
/** For a guest-page fault: the (pseudo-)instruction for htinst/mtinst (0 = none given). */
export let excTinst: u64 = 0;
/** The pending exception's tval is a guest virtual address from an HLV/HSV access made with V=0
 *  (mstatus.GVA/hstatus.GVA); faults taken from V=1 are recognised by the trap entry itself. */
export let excGva: bool = false;
/** Sets the htinst/mtinst value of the pending exception. */
export function setTinst(v: u64): void { excTinst = v; }
/** Marks the pending exception as raised by a hypervisor load/store (HLV, HLVX, HSV). */
export function markGuestVa(): void { excGva = true; }

/** Non-zero when the current instruction needs the run loop's attention: ATTN_* bits. The
 *  interpreter tests only this one word per instruction. */
export let attention: u32 = 0;
/** attention bit: a synchronous exception is pending (excCause/excTval). */
export const ATTN_EXCEPTION: u32 = 1;
/** attention bit: leave run() after this instruction (HTIF, MMIO stop request). */
export const ATTN_EXIT: u32 = 2;
/** attention bit: end the batch after this instruction (interrupt or translation state changed). */
export const ATTN_BATCH: u32 = 4;

/** Signals a synchronous exception; the interpreter delivers it after the instruction aborts. */
export function raise(cause: u32, tval: u64): void {
  excCause = <i32>cause;
  excTval = tval;
  excTval2 = 0;
  excTinst = 0;
  excGva = false;
  attention |= ATTN_EXCEPTION;
}

/** Signals a guest-page fault (hypervisor.adoc "Hypervisor Trap Value Register"): tval is the
 *  guest virtual address, gpa the guest physical address, tinst the htinst value. */
export function raiseGuest(cause: u32, tval: u64, gpa: u64, tinst: u64): void {
  raise(cause, tval);
  excTval2 = gpa >> 2;
  excTinst = tinst;
}

/** Asks the run loop to return to the host after the current instruction. */
export function requestExit(): void { attention |= ATTN_EXIT; }
/** Asks the run loop to end the current batch after this instruction. */
export function requestBatchEnd(): void { attention |= ATTN_BATCH; }

/** Clears the pending-exception signal (called by the trap entry once delivered). */
export function clearException(): void { excCause = -1; attention &= ~ATTN_EXCEPTION; }
/** Clears every attention request. */
export function clearAttention(): void { excCause = -1; attention = 0; }
