// sifive_test "finisher" (QEMU `virt` syscon at 0x0010_0000): one 32-bit register at offset 0.
//   0x5555               pass: power off with exit code 0
//   0x3333 | code << 16  fail: power off with exit code `code` (0..65535)
//   0x7777               reset: reboot the machine
// Any other value is ignored. Reads return 0. 2-, 4- and 8-byte accesses are accepted (the low
// 32 bits of an 8-byte store count); other sizes fault.
import type { MmioDevice } from "../machine/bus.js";

/** Size of the syscon's address range. */
export const SYSCON_SIZE = 0x1000;
/** Status value: power off, test passed. */
export const FINISHER_PASS = 0x5555;
/** Status value: power off, test failed (exit code in bits 16..31). */
export const FINISHER_FAIL = 0x3333;
/** Status value: reset. */
export const FINISHER_RESET = 0x7777;

/** What the guest asked the finisher for. */
export type SysconRequest = { kind: "poweroff"; exitCode: number } | { kind: "reset" };

/** The sifive_test power-off / reset device. */
export class Syscon implements MmioDevice {
  readonly name = "syscon";
  /** The most recent request (kept until the machine consumes it). */
  lastRequest: SysconRequest | undefined;

  /** Creates a syscon that reports each request to `onRequest`. */
  constructor(private readonly onRequest: (request: SysconRequest) => void) {}

  /** Reads as zero. */
  read(offset: number, size: number): bigint | undefined {
    if (size === 1) return undefined;
    void offset;
    return 0n;
  }

  /** Decodes a write to the finisher register. */
  write(offset: number, size: number, value: bigint): boolean {
    if (size === 1) return false;
    if (offset !== 0) return true;
    const word = Number(value & 0xffff_ffffn);
    const status = word & 0xffff;
    let request: SysconRequest | undefined;
    if (status === FINISHER_PASS) request = { kind: "poweroff", exitCode: 0 };
    else if (status === FINISHER_FAIL) request = { kind: "poweroff", exitCode: word >>> 16 };
    else if (status === FINISHER_RESET) request = { kind: "reset" };
    if (request) {
      this.lastRequest = request;
      this.onRequest(request);
    }
    return true;
  }
}
