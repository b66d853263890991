// Tiny guest programs for the end-to-end tests, assembled by tests/host/helpers.ts. Each runs
// unchanged on QEMU (`qemu-system-riscv64 -machine virt -bios none -kernel <elf>`), which is how
// their encodings were checked before the interpreter existed.
import { asm, buildElf, li32, liu32, words } from "./helpers.js";

// Register numbers.
const T0 = 5, T1 = 6, T2 = 7, A0 = 10;
const CSR_MIE = 0x304;

/** Writes `value` to the syscon (0x5555 pass, code<<16|0x3333 fail). */
function syscon(value: number): number[] {
  return [...li32(T0, 0x10_0000), ...li32(T1, value), asm.sw(T1, T0, 0)];
}

/** Stores the bytes of `text` to UART0 THR. */
function print(text: string): number[] {
  const out = li32(T0, 0x1000_0000);
  for (const c of text) out.push(asm.addi(T1, 0, c.charCodeAt(0)), asm.sb(T1, T0, 0));
  return out;
}

const loopForever = () => [asm.jal(0, 0)];

/** Powers off with exit code 0. */
export function passProgram(): Uint8Array {
  return words([...syscon(0x5555), ...loopForever()]);
}

/** Prints "Hi\n" on the UART, then fails with exit code 3. */
export function helloFailProgram(): Uint8Array {
  return words([...print("Hi\n"), ...syscon((3 << 16) | 0x3333), ...loopForever()]);
}

/** An endless loop (for the instruction limit). */
export function spinProgram(): Uint8Array {
  return words(loopForever());
}

/** WFI with no timer and no interrupt enabled, forever. */
export function idleProgram(): Uint8Array {
  return words([asm.wfi(), asm.jal(0, -4)]);
}

/** Arms mtimecmp (hart 0) at `ticks`, enables MTIE (not global MIE), WFIs, then passes. */
export function timerProgram(ticks: number): Uint8Array {
  return words([
    ...li32(T0, 0x200_4000), // CLINT mtimecmp[0]
    ...li32(T1, ticks),
    asm.sd(T1, T0, 0),
    asm.addi(T2, 0, 0x80), asm.csrrs(0, CSR_MIE, T2), // mie.MTIE
    asm.wfi(),
    ...syscon(0x5555), ...loopForever(),
  ]);
}

/** An ELF that exits through HTIF: tohost = (code << 1) | 1. tohost at 0x80001000. */
export function htifExitElf(code: number): Uint8Array {
  const text = words([
    ...liu32(T0, 0x8000_1000),
    ...li32(A0, (code << 1) | 1),
    asm.sd(A0, T0, 0),
    ...loopForever(),
  ]);
  return buildElf({
    entry: 0x8000_0000n,
    segments: [
      { vaddr: 0x8000_0000n, data: text, flags: 5 },
      { vaddr: 0x8000_1000n, data: new Uint8Array(16), flags: 6 },
    ],
    symbols: [
      { name: "_start", value: 0x8000_0000n },
      { name: "tohost", value: 0x8000_1000n, size: 8n, type: 1 },
      { name: "fromhost", value: 0x8000_1008n, size: 8n, type: 1 },
    ],
  }).bytes;
}

/** An ELF printing "ok" through HTIF console putchar, then exiting 0 through HTIF. */
export function htifPrintElf(): Uint8Array {
  const body: number[] = [...liu32(T0, 0x8000_1000)];
  for (const c of "ok") {
    // tohost = 1 << 56 | 1 << 48 | c; wait for the host to clear it
    body.push(asm.addi(A0, 0, 0x101), asm.slli(A0, A0, 48), asm.addi(A0, A0, c.charCodeAt(0)), asm.sd(A0, T0, 0));
  }
  body.push(asm.addi(A0, 0, 1), asm.sd(A0, T0, 0), ...loopForever());
  return buildElf({
    segments: [
      { vaddr: 0x8000_0000n, data: words(body), flags: 5 },
      { vaddr: 0x8000_1000n, data: new Uint8Array(16), flags: 6 },
    ],
    symbols: [{ name: "tohost", value: 0x8000_1000n }, { name: "fromhost", value: 0x8000_1008n }],
  }).bytes;
}

/** Wraps a raw program into a minimal ELF at DRAM_BASE (for QEMU). */
export function asElf(program: Uint8Array): Uint8Array {
  return buildElf({ segments: [{ vaddr: 0x8000_0000n, data: program, flags: 7 }] }).bytes;
}
