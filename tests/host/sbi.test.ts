// The VMM's SBI implementation, call by call, against the SBI v2.0 specification: return
// registers (a0 = error, a1 = value), the machine effects of each extension, and bad arguments.
import { describe, expect, it } from "vitest";
import { H_MIP, H_STIMECMP } from "../../host/core/layout.generated.js";
import {
  handleSbiCall, SBI_EXT, SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED, SBI_ERR_ALREADY_AVAILABLE,
  SBI_ERR_INVALID_ADDRESS, SBI_IMPL_ID, SBI_SPEC_VERSION, type SbiMachine,
} from "../../host/vmm/sbi.js";
import { createTestState } from "./helpers.js";

const A0 = 10, A1 = 11, A6 = 16, A7 = 17;
const MIP_SSIP = 1n << 1n, MIP_STIP = 1n << 5n;
const signed = (v: bigint) => BigInt.asIntN(64, v);

function setup(harts = 2) {
  const state = createTestState(harts);
  const events: string[] = [];
  const out: number[] = [];
  const input = [0x41, 0x42];
  const started = new Set([0]);
  const machine: SbiMachine = {
    harts: state.harts, ram: state.ram,
    consoleWrite: (bytes) => out.push(...bytes),
    consoleRead: () => input.shift() ?? -1,
    systemReset: (kind, reason) => events.push(`reset ${kind} ${reason}`),
    flushTlb: (id) => events.push(`flush ${id}`),
    startHart: (id, address, opaque) => { started.add(id); events.push(`start ${id} ${address.toString(16)} ${opaque}`); },
    stopHart: (id) => { started.delete(id); events.push(`stop ${id}`); },
    hartStarted: (id) => started.has(id),
  };
  const call = (ext: number, fid: number, ...args: bigint[]) => {
    const hart = state.harts[0]!;
    hart.setX(A7, BigInt(ext)); hart.setX(A6, BigInt(fid));
    args.forEach((v, i) => hart.setX(A0 + i, v));
    handleSbiCall(machine, hart);
    return { error: signed(hart.x(A0)), value: hart.x(A1) };
  };
  return { state, machine, events, out, call };
}

describe("SBI in the VMM", () => {
  it("BASE: spec version 2.0, implementation id, probing", () => {
    const { call } = setup();
    expect(call(SBI_EXT.BASE, 0)).toEqual({ error: 0n, value: SBI_SPEC_VERSION });
    expect(call(SBI_EXT.BASE, 1)).toEqual({ error: 0n, value: SBI_IMPL_ID });
    for (const ext of [SBI_EXT.TIME, SBI_EXT.IPI, SBI_EXT.RFENCE, SBI_EXT.HSM, SBI_EXT.SRST, SBI_EXT.DBCN]) {
      expect(call(SBI_EXT.BASE, 3, BigInt(ext)).value).toBe(1n);
    }
    expect(call(SBI_EXT.BASE, 3, 0x12345678n).value).toBe(0n); // unknown extension
    expect(call(SBI_EXT.BASE, 99).error).toBe(SBI_ERR_NOT_SUPPORTED);
    expect(call(0x0abcdef0, 0).error).toBe(SBI_ERR_NOT_SUPPORTED);
  });

  it("TIME set_timer programs stimecmp and clears a pending timer", () => {
    const { state, call } = setup();
    const hart = state.harts[0]!;
    hart.write64(H_MIP, MIP_STIP);
    expect(call(SBI_EXT.TIME, 0, 123456n).error).toBe(0n);
    expect(hart.read64(H_STIMECMP)).toBe(123456n);
    expect(hart.read64(H_MIP) & MIP_STIP).toBe(0n);
  });

  it("IPI send_ipi sets SSIP on the harts of the mask; a bad hart is an invalid parameter", () => {
    const { state, call } = setup(2);
    expect(call(SBI_EXT.IPI, 0, 0b10n, 0n).error).toBe(0n);
    expect(state.harts[1]!.read64(H_MIP) & MIP_SSIP).toBe(MIP_SSIP);
    expect(state.harts[0]!.read64(H_MIP) & MIP_SSIP).toBe(0n);
    expect(call(SBI_EXT.IPI, 0, 0n, (1n << 64n) - 1n).error).toBe(0n); // base -1: every hart
    expect(state.harts[0]!.read64(H_MIP) & MIP_SSIP).toBe(MIP_SSIP);
    expect(call(SBI_EXT.IPI, 0, 1n, 5n).error).toBe(SBI_ERR_INVALID_PARAM);
  });

  it("RFENCE flushes the target harts' TLBs; hypervisor fences are not supported", () => {
    const { events, call } = setup(2);
    expect(call(SBI_EXT.RFENCE, 1, 0b11n, 0n, 0n, 0n).error).toBe(0n);
    expect(events).toEqual(["flush 0", "flush 1"]);
    expect(call(SBI_EXT.RFENCE, 0, 0b1n, 0n).error).toBe(0n); // fence.i: nothing to flush
    expect(events).toHaveLength(2);
    expect(call(SBI_EXT.RFENCE, 3, 1n, 0n).error).toBe(SBI_ERR_NOT_SUPPORTED);
  });

  it("HSM: start, already started, bad address, status, stop", () => {
    const { events, call } = setup(2);
    expect(call(SBI_EXT.HSM, 2, 1n).value).toBe(1n); // stopped
    expect(call(SBI_EXT.HSM, 0, 1n, 0x1000n, 7n).error).toBe(SBI_ERR_INVALID_ADDRESS);
    expect(call(SBI_EXT.HSM, 0, 1n, 0x8000_1000n, 7n).error).toBe(0n);
    expect(events).toContain("start 1 80001000 7");
    expect(call(SBI_EXT.HSM, 2, 1n).value).toBe(0n); // started
    expect(call(SBI_EXT.HSM, 0, 1n, 0x8000_1000n, 7n).error).toBe(SBI_ERR_ALREADY_AVAILABLE);
    expect(call(SBI_EXT.HSM, 0, 9n, 0x8000_1000n, 0n).error).toBe(SBI_ERR_INVALID_PARAM);
    expect(call(SBI_EXT.HSM, 1).error).toBe(0n);
    expect(events).toContain("stop 0");
  });

  it("SRST: shutdown, cold and warm reboot; an unknown type is invalid", () => {
    const { events, call } = setup();
    call(SBI_EXT.SRST, 0, 0n, 0n);
    call(SBI_EXT.SRST, 0, 1n, 1n);
    call(SBI_EXT.SRST, 0, 2n, 0n);
    expect(events).toEqual(["reset shutdown 0", "reset cold 1", "reset warm 0"]);
    expect(call(SBI_EXT.SRST, 0, 7n, 0n).error).toBe(SBI_ERR_INVALID_PARAM);
  });

  it("DBCN: write from guest memory, read into it, write one byte; out-of-RAM buffers are invalid", () => {
    const { state, out, call } = setup();
    state.ram.write(0x8000_0100, new TextEncoder().encode("hello"));
    expect(call(SBI_EXT.DBCN, 0, 5n, 0x8000_0100n, 0n)).toEqual({ error: 0n, value: 5n });
    expect(String.fromCharCode(...out)).toBe("hello");
    expect(call(SBI_EXT.DBCN, 1, 4n, 0x8000_0200n, 0n)).toEqual({ error: 0n, value: 2n });
    expect([...state.ram.read(0x8000_0200, 2)]).toEqual([0x41, 0x42]);
    call(SBI_EXT.DBCN, 2, 0x21n);
    expect(out.at(-1)).toBe(0x21);
    expect(call(SBI_EXT.DBCN, 0, 16n, 0x7fff_fff8n, 0n).error).toBe(SBI_ERR_INVALID_PARAM);
    expect(call(SBI_EXT.DBCN, 0, 1n, 0x8000_0000n, 1n).error).toBe(SBI_ERR_INVALID_PARAM); // high address half
  });

  it("legacy console, timer and shutdown put their result in a0", () => {
    const { state, out, events, call } = setup();
    call(SBI_EXT.LEGACY_PUTCHAR, 0, 0x78n);
    expect(out).toEqual([0x78]);
    expect(call(SBI_EXT.LEGACY_GETCHAR, 0).error).toBe(0x41n);
    call(SBI_EXT.LEGACY_GETCHAR, 0);
    expect(call(SBI_EXT.LEGACY_GETCHAR, 0).error).toBe(-1n); // nothing waiting
    call(SBI_EXT.LEGACY_SET_TIMER, 0, 999n);
    expect(state.harts[0]!.read64(H_STIMECMP)).toBe(999n);
    call(SBI_EXT.LEGACY_SHUTDOWN, 0);
    expect(events).toContain("reset shutdown 0");
  });
});
