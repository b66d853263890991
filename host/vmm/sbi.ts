// The VMM as the guest's SBI implementation (RISC-V Supervisor Binary Interface, v2.0; see
// ../shared/specs/riscv-sbi/). With VMM_SBI_ECALL set, an ecall from S-mode leaves the core with
// EXIT_ECALL (pc already past the ecall); this module reads the call from a7 (extension id),
// a6 (function id) and a0..a5, performs it on the machine, and writes the SBI return value
// (a0 = error, a1 = value) — the paravirtual interface a hypervisor gives its guests, as KVM's
// SBI does. Implemented: BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN and the legacy extensions
// (binary-encoding.adoc, ext-*.adoc, ext-legacy.adoc).
import { H_MIP, H_STIMECMP } from "../core/layout.generated.js";
import type { HartState } from "../core/state.js";
import type { GuestRam } from "../core/memory.js";

/** SBI error codes (binary-encoding.adoc "Standard SBI Errors"). */
export const SBI_SUCCESS = 0n;
export const SBI_ERR_FAILED = -1n;
export const SBI_ERR_NOT_SUPPORTED = -2n;
export const SBI_ERR_INVALID_PARAM = -3n;
export const SBI_ERR_INVALID_ADDRESS = -5n;
export const SBI_ERR_ALREADY_AVAILABLE = -6n;

/** Extension ids (a7). */
export const SBI_EXT = {
  BASE: 0x10, TIME: 0x54494d45, IPI: 0x735049, RFENCE: 0x52464e43, HSM: 0x48534d, SRST: 0x53525354,
  DBCN: 0x4442434e,
  LEGACY_SET_TIMER: 0x00, LEGACY_PUTCHAR: 0x01, LEGACY_GETCHAR: 0x02, LEGACY_CLEAR_IPI: 0x03,
  LEGACY_SEND_IPI: 0x04, LEGACY_FENCE_I: 0x05, LEGACY_SFENCE_VMA: 0x06, LEGACY_SFENCE_VMA_ASID: 0x07,
  LEGACY_SHUTDOWN: 0x08,
} as const;

/** Our implementation id (ext-base.adoc lists the registered ones; this one is unregistered). */
export const SBI_IMPL_ID = 0x7776n; // "wv"
/** SBI specification version we implement: 2.0. */
export const SBI_SPEC_VERSION = (2n << 24n) | 0n;

const MIP_SSIP = 1n << 1n, MIP_STIP = 1n << 5n;
const A0 = 10, A1 = 11, A2 = 12, A6 = 16, A7 = 17;
const HSM_STARTED = 0n, HSM_STOPPED = 1n;

/** What an SBI call may do to the machine around the calling hart. */
export interface SbiMachine {
  /** Every hart of the machine, by hart id. */
  readonly harts: readonly HartState[];
  /** Guest RAM (for the debug console's buffers). */
  readonly ram: GuestRam;
  /** Writes console output bytes. */
  consoleWrite(bytes: Uint8Array): void;
  /** Reads one console input byte, or -1 if none is waiting. */
  consoleRead(): number;
  /** Power off (reset kind "shutdown") or reboot ("cold"/"warm"). */
  systemReset(kind: "shutdown" | "cold" | "warm", reason: number): void;
  /** Invalidates the soft TLB of hart `id` (remote sfence.vma / fence.i). */
  flushTlb(id: number): void;
  /** Starts hart `id` in S-mode at `address` with a1 = `opaque` (HSM hart_start). */
  startHart(id: number, address: bigint, opaque: bigint): void;
  /** Marks hart `id` stopped (HSM hart_stop). */
  stopHart(id: number): void;
  /** Whether hart `id` is started (HSM hart_get_status). */
  hartStarted(id: number): boolean;
  /** Programs `hart`'s next timer event (TIME set_timer). Default: stimecmp of an S-mode guest,
   *  with STIP cleared; the hardware-assisted VMM writes vstimecmp instead. */
  setTimer?(hart: HartState, value: bigint): void;
  /** Makes (pending) or clears the supervisor software interrupt of `hart` (IPI). Default: mip.SSIP;
   *  the hardware-assisted VMM injects VSSIP through hvip. */
  setSoftwareInterrupt?(hart: HartState, pending: boolean): void;
}

/** Counts of SBI calls by extension name, for --stats. */
export type SbiCounters = Map<string, number>;

const EXTENSION_NAMES = new Map<number, string>(Object.entries(SBI_EXT).map(([name, id]) => [id, name.toLowerCase()]));

/** Handles the SBI call that `hart` just made (EXIT_ECALL): performs it and writes a0/a1. */
export function handleSbiCall(machine: SbiMachine, hart: HartState, counters?: SbiCounters): void {
  const ext = Number(BigInt.asUintN(32, hart.x(A7)));
  const fid = Number(BigInt.asUintN(32, hart.x(A6)));
  if (counters) {
    const name = EXTENSION_NAMES.get(ext) ?? `0x${ext.toString(16)}`;
    counters.set(name, (counters.get(name) ?? 0) + 1);
  }
  if (ext <= SBI_EXT.LEGACY_SHUTDOWN) { legacyCall(machine, hart, ext); return; }
  let result: [bigint, bigint];
  switch (ext) {
    case SBI_EXT.BASE: result = baseCall(fid, hart); break;
    case SBI_EXT.TIME: result = fid === 0 ? setTimer(machine, hart, hart.x(A0)) : notSupported(); break;
    case SBI_EXT.IPI: result = fid === 0 ? sendIpi(machine, hart.x(A0), hart.x(A1)) : notSupported(); break;
    case SBI_EXT.RFENCE: result = remoteFence(machine, fid, hart.x(A0), hart.x(A1)); break;
    case SBI_EXT.HSM: result = hsmCall(machine, fid, hart); break;
    case SBI_EXT.SRST: result = systemReset(machine, hart.x(A0), hart.x(A1)); break;
    case SBI_EXT.DBCN: result = debugConsole(machine, fid, hart); break;
    default: result = notSupported();
  }
  hart.setX(A0, result[0]);
  hart.setX(A1, result[1]);
}

const notSupported = (): [bigint, bigint] => [SBI_ERR_NOT_SUPPORTED, 0n];
const ok = (value = 0n): [bigint, bigint] => [SBI_SUCCESS, value];

/** BASE extension (ext-base.adoc). */
function baseCall(fid: number, hart: HartState): [bigint, bigint] {
  switch (fid) {
    case 0: return ok(SBI_SPEC_VERSION);
    case 1: return ok(SBI_IMPL_ID);
    case 2: return ok(1n);
    case 3: return ok(isSupported(Number(BigInt.asUintN(32, hart.x(A0)))) ? 1n : 0n);
    case 4: case 5: case 6: return ok(0n); // mvendorid, marchid, mimpid
    default: return notSupported();
  }
}

/** probe_extension: the extensions this module answers. */
function isSupported(ext: number): boolean {
  return ext === SBI_EXT.BASE || ext === SBI_EXT.TIME || ext === SBI_EXT.IPI || ext === SBI_EXT.RFENCE ||
    ext === SBI_EXT.HSM || ext === SBI_EXT.SRST || ext === SBI_EXT.DBCN || (ext >= 0 && ext <= SBI_EXT.LEGACY_SHUTDOWN);
}

/** TIME set_timer (ext-time.adoc): program the next event and clear the pending timer. The
 *  core raises STIP when mtime reaches stimecmp (VMM_SBI_TIMER). */
function setTimer(machine: SbiMachine, hart: HartState, value: bigint): [bigint, bigint] {
  if (machine.setTimer) { machine.setTimer(hart, value); return ok(); }
  hart.write64(H_STIMECMP, value);
  hart.write64(H_MIP, hart.read64(H_MIP) & ~MIP_STIP);
  return ok();
}

/** Sets or clears the supervisor software interrupt of `hart` (the machine's hook, or mip.SSIP). */
function setSoftwareInterrupt(machine: SbiMachine, hart: HartState, pending: boolean): void {
  if (machine.setSoftwareInterrupt) { machine.setSoftwareInterrupt(hart, pending); return; }
  const mip = hart.read64(H_MIP);
  hart.write64(H_MIP, pending ? mip | MIP_SSIP : mip & ~MIP_SSIP);
}

/** Harts selected by (hart_mask, hart_mask_base) (binary-encoding.adoc "Hart list"). */
function selectedHarts(machine: SbiMachine, mask: bigint, base: bigint): HartState[] | null {
  if (base === (1n << 64n) - 1n) return [...machine.harts]; // base = -1: every hart
  const out: HartState[] = [];
  for (let bit = 0n; bit < 64n; bit++) {
    if (((mask >> bit) & 1n) === 0n) continue;
    const id = base + bit;
    if (id >= BigInt(machine.harts.length)) return null;
    out.push(machine.harts[Number(id)]!);
  }
  return out;
}

/** IPI send_ipi: set SSIP on each target (ext-ipi.adoc). */
function sendIpi(machine: SbiMachine, mask: bigint, base: bigint): [bigint, bigint] {
  const targets = selectedHarts(machine, mask, base);
  if (!targets) return [SBI_ERR_INVALID_PARAM, 0n];
  for (const t of targets) setSoftwareInterrupt(machine, t, true);
  return ok();
}

/** RFENCE (ext-rfence.adoc): remote fence.i and sfence.vma (optionally by ASID). We flush the
 *  targets' whole soft TLB: always allowed, since a fence may do more than asked. */
function remoteFence(machine: SbiMachine, fid: number, mask: bigint, base: bigint): [bigint, bigint] {
  if (fid > 2) return notSupported(); // the hypervisor fences need H
  const targets = selectedHarts(machine, mask, base);
  if (!targets) return [SBI_ERR_INVALID_PARAM, 0n];
  // fence.i needs nothing: the decode cache revalidates instruction bits on every hit.
  if (fid !== 0) for (const t of targets) machine.flushTlb(t.id);
  return ok();
}

/** HSM (ext-hsm.adoc): start, stop, status; suspend returns at once (retentive suspend is a WFI). */
function hsmCall(machine: SbiMachine, fid: number, hart: HartState): [bigint, bigint] {
  const id = hart.x(A0);
  switch (fid) {
    case 0: { // hart_start(hartid, start_addr, opaque)
      if (id >= BigInt(machine.harts.length)) return [SBI_ERR_INVALID_PARAM, 0n];
      if (machine.hartStarted(Number(id))) return [SBI_ERR_ALREADY_AVAILABLE, 0n];
      if (!machine.ram.contains(hart.x(A1), 4)) return [SBI_ERR_INVALID_ADDRESS, 0n];
      machine.startHart(Number(id), hart.x(A1), hart.x(A2));
      return ok();
    }
    case 1: machine.stopHart(hart.id); return ok();
    case 2:
      if (id >= BigInt(machine.harts.length)) return [SBI_ERR_INVALID_PARAM, 0n];
      return ok(machine.hartStarted(Number(id)) ? HSM_STARTED : HSM_STOPPED);
    case 3: return hart.x(A0) === 0n ? ok() : notSupported(); // default retentive suspend only
    default: return notSupported();
  }
}

/** SRST system_reset(type, reason) (ext-sys-reset.adoc). */
function systemReset(machine: SbiMachine, type: bigint, reason: bigint): [bigint, bigint] {
  const kinds = ["shutdown", "cold", "warm"] as const;
  if (type > 2n) return [SBI_ERR_INVALID_PARAM, 0n];
  machine.systemReset(kinds[Number(type)]!, Number(BigInt.asUintN(32, reason)));
  return ok();
}

/** DBCN (ext-debug-console.adoc): write/read a buffer in guest physical memory, write a byte. */
function debugConsole(machine: SbiMachine, fid: number, hart: HartState): [bigint, bigint] {
  // base_addr_lo in a1; base_addr_hi (a2) must be 0 on RV64.
  const count = hart.x(A0), address = hart.x(A1);
  switch (fid) {
    case 0: { // console_write
      if (hart.x(A2) !== 0n || !machine.ram.contains(address, count)) return [SBI_ERR_INVALID_PARAM, 0n];
      machine.consoleWrite(machine.ram.read(Number(address), Number(count)));
      return ok(count);
    }
    case 1: { // console_read
      if (hart.x(A2) !== 0n || !machine.ram.contains(address, count)) return [SBI_ERR_INVALID_PARAM, 0n];
      const bytes: number[] = [];
      while (BigInt(bytes.length) < count) { const b = machine.consoleRead(); if (b < 0) break; bytes.push(b); }
      machine.ram.write(Number(address), Uint8Array.from(bytes));
      return ok(BigInt(bytes.length));
    }
    case 2: machine.consoleWrite(Uint8Array.of(Number(hart.x(A0) & 0xffn))); return ok();
    default: return notSupported();
  }
}

/** Legacy extensions 0x00..0x08 (ext-legacy.adoc): a0 carries the return value. */
function legacyCall(machine: SbiMachine, hart: HartState, ext: number): void {
  let value = 0n;
  switch (ext) {
    case SBI_EXT.LEGACY_SET_TIMER: setTimer(machine, hart, hart.x(A0)); break;
    case SBI_EXT.LEGACY_PUTCHAR: machine.consoleWrite(Uint8Array.of(Number(hart.x(A0) & 0xffn))); break;
    case SBI_EXT.LEGACY_GETCHAR: value = BigInt(machine.consoleRead()); break;
    case SBI_EXT.LEGACY_CLEAR_IPI: setSoftwareInterrupt(machine, hart, false); break;
    case SBI_EXT.LEGACY_SEND_IPI: case SBI_EXT.LEGACY_FENCE_I: case SBI_EXT.LEGACY_SFENCE_VMA:
    case SBI_EXT.LEGACY_SFENCE_VMA_ASID: {
      // a0 points at an unsigned long hart mask in guest memory (virtual: S-mode's address space;
      // Linux passes NULL for "all harts" in practice, which we also apply for unreadable masks).
      const pointer = hart.x(A0);
      let mask = (1n << BigInt(machine.harts.length)) - 1n;
      if (pointer !== 0n && machine.ram.contains(pointer, 8)) mask = machine.ram.read64(Number(pointer));
      if (ext === SBI_EXT.LEGACY_SEND_IPI) sendIpi(machine, mask, 0n);
      else if (ext !== SBI_EXT.LEGACY_FENCE_I) remoteFence(machine, 1, mask, 0n);
      break;
    }
    case SBI_EXT.LEGACY_SHUTDOWN: machine.systemReset("shutdown", 0); break;
  }
  hart.setX(A0, value);
}
