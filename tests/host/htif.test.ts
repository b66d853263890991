import { describe, expect, it } from "vitest";
import { Htif, htifCommand, SYS_EXIT, SYS_WRITE } from "../../host/devices/htif.js";
import { ConsoleInput } from "../../host/machine/console.js";
import { GuestError, LoadError } from "../../host/machine/errors.js";
import { createTestState } from "./helpers.js";

const TOHOST = 0x8000_1000, FROMHOST = 0x8000_1040, MAGIC = 0x8000_2000, BUFFER = 0x8000_3000;

function setup() {
  const state = createTestState(1);
  const out: number[] = [];
  const input = new ConsoleInput(true);
  const htif = new Htif(state.ram, state.machine, { writeByte: (b) => out.push(b) }, input);
  htif.configure(BigInt(TOHOST), BigInt(FROMHOST));
  /** Simulates the guest storing `value` to tohost and the core reporting EXIT_HTIF. */
  const send = (value: bigint) => { state.ram.write64(TOHOST, value); return htif.handle(value); };
  return { ...state, out, input, htif, send };
}

describe("HTIF configuration", () => {
  it("publishes tohost/fromhost to the machine block", () => {
    const { machine } = setup();
    expect(machine.tohost).toBe(BigInt(TOHOST));
    expect(machine.fromhost).toBe(BigInt(FROMHOST));
  });

  it("absent symbols are published as 0", () => {
    const { htif, machine } = setup();
    htif.configure(undefined, undefined);
    expect(machine.tohost).toBe(0n);
    expect(htif.enabled).toBe(false);
  });

  it("rejects a tohost outside RAM or misaligned", () => {
    const { htif } = setup();
    expect(() => htif.configure(0x1000n, undefined)).toThrow(LoadError);
    expect(() => htif.configure(BigInt(TOHOST + 4), undefined)).toThrow(/not an aligned 8-byte word/);
  });
});

describe("HTIF device 0 (syscall proxy)", () => {
  it("payload with LSB 1 exits with code payload >> 1 (0 = pass) and clears tohost", () => {
    const { send, ram } = setup();
    expect(send(1n)).toEqual({ kind: "exit", exitCode: 0 });
    expect(ram.read64(TOHOST)).toBe(0n);
    expect(send((5n << 1n) | 1n)).toEqual({ kind: "exit", exitCode: 5 });
  });

  it("proxies write(1, buf, len) and answers fromhost = 1 with the result in word 0", () => {
    const { send, ram, out } = setup();
    ram.write(BUFFER, new TextEncoder().encode("hello"));
    for (const [i, v] of [SYS_WRITE, 1, BUFFER, 5].entries()) ram.write64(MAGIC + 8 * i, BigInt(v));
    expect(send(BigInt(MAGIC))).toEqual({ kind: "continue" });
    expect(String.fromCharCode(...out)).toBe("hello");
    expect(ram.read64(MAGIC)).toBe(5n);
    expect(ram.read64(FROMHOST)).toBe(1n);
    expect(ram.read64(TOHOST)).toBe(0n);
  });

  it("answers unknown system calls with -ENOSYS and bad buffers with -EFAULT", () => {
    const { send, ram, htif } = setup();
    ram.write64(MAGIC, 999n);
    send(BigInt(MAGIC));
    expect(BigInt.asIntN(64, ram.read64(MAGIC))).toBe(-38n);
    ram.write64(FROMHOST, 0n); // guest consumed the response
    for (const [i, v] of [SYS_WRITE, 1, 0x10, 5].entries()) ram.write64(MAGIC + 8 * i, BigInt(v));
    send(BigInt(MAGIC));
    expect(BigInt.asIntN(64, ram.read64(MAGIC))).toBe(-14n);
    expect(htif.busy).toBe(false);
  });

  it("exit(93) through the proxy exits with a0", () => {
    const { send, ram } = setup();
    ram.write64(MAGIC, BigInt(SYS_EXIT));
    ram.write64(MAGIC + 8, 3n);
    expect(send(BigInt(MAGIC))).toEqual({ kind: "exit", exitCode: 3 });
  });

  it("a system call block outside RAM is a guest error", () => {
    const { send } = setup();
    expect(() => send(0x1000n)).toThrow(GuestError);
  });

  it("queues responses while fromhost is non-zero and delivers them once the guest clears it", () => {
    const { send, ram, htif } = setup();
    ram.write64(MAGIC, 999n);
    send(BigInt(MAGIC));
    expect(ram.read64(FROMHOST)).toBe(1n);
    send(BigInt(MAGIC)); // second response waits
    expect(htif.busy).toBe(true);
    htif.poll();
    expect(htif.busy).toBe(true);
    ram.write64(FROMHOST, 0n);
    htif.poll();
    expect(ram.read64(FROMHOST)).toBe(1n);
    expect(htif.busy).toBe(false);
  });
});

describe("HTIF device 1 (console)", () => {
  it("command 1 writes the low byte to the console without a response", () => {
    const { send, out, ram } = setup();
    for (const c of "hi!") send(htifCommand(1, 1, BigInt(c.charCodeAt(0)) | 0x100n));
    expect(String.fromCharCode(...out)).toBe("hi!");
    expect(ram.read64(FROMHOST)).toBe(0n);
    expect(ram.read64(TOHOST)).toBe(0n);
  });

  it("command 0 (getchar) is answered with 0x100 | byte when input is available", () => {
    const { send, ram, input, htif } = setup();
    send(htifCommand(1, 0, 0n));
    expect(ram.read64(FROMHOST)).toBe(0n); // nothing typed yet
    input.push("A");
    htif.poll();
    expect(ram.read64(FROMHOST)).toBe(htifCommand(1, 0, 0x141n));
  });

  it("other devices and commands are ignored", () => {
    const { send, out, ram } = setup();
    expect(send(htifCommand(7, 3, 1n))).toEqual({ kind: "continue" });
    expect(send(htifCommand(1, 0xff, 0n))).toEqual({ kind: "continue" });
    expect(out).toEqual([]);
    expect(ram.read64(TOHOST)).toBe(0n);
  });
});
