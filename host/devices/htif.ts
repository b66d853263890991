// HTIF, the host-target interface of Spike and riscv-tests: two 64-bit words in guest RAM,
// `tohost` (guest → host) and `fromhost` (host → guest), found through the ELF symbols of the
// same names. The core watches stores to tohost and returns EXIT_HTIF with the value; the host
// handles the command, clears tohost, and queues any response, which it writes to fromhost only
// while fromhost is zero (the guest clears it after reading), as Spike's front-end server does.
//
// Command word: device = bits 63..56, command = bits 55..48, payload = bits 47..0.
//   device 0 (syscall proxy), command 0:
//     payload bit 0 = 1      exit with code payload >> 1 (0 = pass; riscv-tests report the
//                            failing test number this way)
//     payload bit 0 = 0      payload is the address of eight u64 words {num, a0, a1, a2, ...};
//                            write(64) to fd 1/2 and exit(93) are served, others answer -ENOSYS;
//                            the result replaces word 0 and the response is fromhost = 1
//   device 1 (console), command 1: putchar (payload low 8 bits); no response
//   device 1 (console), command 0: getchar; answered when input is available with 0x100 | byte
// Other devices and commands are ignored (Spike's null device).
import type { GuestRam } from "../core/memory.js";
import { hex } from "../core/memory.js";
import type { MachineState } from "../core/state.js";
import type { ByteSink, ByteSource } from "../machine/console.js";
import { GuestError, LoadError } from "../machine/errors.js";

/** HTIF device numbers. */
export const HTIF_DEVICE_SYSCALL = 0, HTIF_DEVICE_CONSOLE = 1;
/** Console commands. */
export const HTIF_CONSOLE_GETCHAR = 0, HTIF_CONSOLE_PUTCHAR = 1;
/** Proxied system call numbers (RISC-V Linux numbering, as riscv-tests use). */
export const SYS_WRITE = 64, SYS_EXIT = 93;
const ENOSYS = 38n, EFAULT = 14n, EBADF = 9n;
const PAYLOAD_MASK = (1n << 48n) - 1n;

/** What the run loop should do after an HTIF command. */
export type HtifOutcome = { kind: "continue" } | { kind: "exit"; exitCode: number };

/** Builds an HTIF command word from its fields. */
export function htifCommand(device: number, command: number, payload: bigint): bigint {
  return (BigInt(device & 0xff) << 56n) | (BigInt(command & 0xff) << 48n) | (payload & PAYLOAD_MASK);
}

/** The host side of the tohost/fromhost protocol. */
export class Htif {
  private responses: bigint[] = [];
  private pendingReads: bigint[] = [];
  /** Commands handled since creation. */
  commands = 0;

  /** Creates the HTIF endpoint over guest RAM with console `output` and `input`. */
  constructor(private readonly ram: GuestRam, private readonly machine: MachineState,
              private readonly output: ByteSink, private readonly input: ByteSource) {}

  /** Publishes the tohost/fromhost addresses to the core (0 = absent); LoadError if not in RAM. */
  configure(tohost: bigint | undefined, fromhost: bigint | undefined): void {
    for (const [name, address] of [["tohost", tohost], ["fromhost", fromhost]] as const) {
      if (address !== undefined && (address % 8n !== 0n || !this.ram.contains(address, 8))) {
        throw new LoadError(`the ${name} symbol at ${hex(address)} is not an aligned 8-byte word in RAM`);
      }
    }
    this.machine.tohost = tohost ?? 0n;
    this.machine.fromhost = fromhost ?? 0n;
    this.responses = [];
    this.pendingReads = [];
  }

  /** True if the guest has a tohost symbol (HTIF is in use). */
  get enabled(): boolean {
    return this.machine.tohost !== 0n;
  }

  /** Handles the tohost `value` the core reported with EXIT_HTIF, then clears tohost. */
  handle(value: bigint): HtifOutcome {
    const word = BigInt.asUintN(64, value);
    this.commands++;
    const tohost = Number(this.machine.tohost);
    if (tohost !== 0) this.ram.write64(tohost, 0n);
    const device = Number(word >> 56n);
    const command = Number((word >> 48n) & 0xffn);
    const payload = word & PAYLOAD_MASK;
    let outcome: HtifOutcome = { kind: "continue" };
    if (device === HTIF_DEVICE_SYSCALL && command === 0) {
      if (payload & 1n) outcome = { kind: "exit", exitCode: exitCodeOf(payload >> 1n) };
      else outcome = this.syscall(payload, word);
    } else if (device === HTIF_DEVICE_CONSOLE && command === HTIF_CONSOLE_PUTCHAR) {
      this.output.writeByte(Number(payload & 0xffn));
    } else if (device === HTIF_DEVICE_CONSOLE && command === HTIF_CONSOLE_GETCHAR) {
      this.pendingReads.push(word);
    }
    this.poll();
    return outcome;
  }

  /** Answers pending getchar requests from available input and delivers queued responses. */
  poll(): void {
    while (this.pendingReads.length > 0 && this.input.hasData()) {
      const request = this.pendingReads.shift()!;
      this.respond(request, 0x100n | BigInt(this.input.takeByte()!));
    }
    const fromhost = Number(this.machine.fromhost);
    if (fromhost === 0 || this.responses.length === 0) return;
    if (this.ram.read64(fromhost) === 0n) this.ram.write64(fromhost, this.responses.shift()!);
  }

  /** True while a response waits for the guest to clear fromhost or a getchar waits for input. */
  get busy(): boolean {
    return this.responses.length > 0 || this.pendingReads.length > 0;
  }

  private respond(request: bigint, payload: bigint): void {
    this.responses.push(((request >> 48n) << 48n) | (payload & PAYLOAD_MASK));
  }

  private syscall(address: bigint, request: bigint): HtifOutcome {
    if (address % 8n !== 0n || !this.ram.contains(address, 64)) {
      throw new GuestError(`HTIF system call block at ${hex(address)} is not 64 aligned bytes in RAM`);
    }
    const base = Number(address);
    const word = (i: number): bigint => this.ram.read64(base + 8 * i);
    const number = word(0);
    let result: bigint;
    if (number === BigInt(SYS_EXIT)) {
      return { kind: "exit", exitCode: exitCodeOf(word(1)) };
    } else if (number === BigInt(SYS_WRITE)) {
      result = this.write(word(1), word(2), word(3));
    } else {
      result = -ENOSYS;
    }
    this.ram.write64(base, result);
    this.respond(request, 1n);
    return { kind: "continue" };
  }

  private write(fd: bigint, buffer: bigint, length: bigint): bigint {
    if (fd !== 1n && fd !== 2n) return -EBADF;
    if (!this.ram.contains(buffer, length)) return -EFAULT;
    const bytes = this.ram.read(Number(buffer), Number(length));
    for (const b of bytes) this.output.writeByte(b);
    return length;
  }
}

// Exit codes are reported as signed numbers clamped to 32 bits (exit(-1) stays -1).
function exitCodeOf(code: bigint): number {
  const c = BigInt.asIntN(64, code);
  if (c > 0x7fff_ffffn) return 0x7fff_ffff;
  if (c < -0x8000_0000n) return -0x8000_0000;
  return Number(c);
}
