// The guest test suite: every committed bare-metal C program runs on the interpreter, checks its
// own results and must print its PASS line and power off with exit code 0; a guest that jumps
// into a device or has no working trap handler gets the fault or a clear error, never a hang.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Machine, GuestError } from "../host/index.js";
import { asm, li32, words } from "./host/helpers.js";

const PREBUILT = "guests/prebuilt";
const programs = existsSync(PREBUILT)
  ? readdirSync(PREBUILT).filter((f) => f.endsWith(".elf") && !f.startsWith("isa-")).map((f) => f.replace(/\.elf$/, ""))
  : [];

async function runGuest(path: string, maxInstructions = 1_000_000_000n) {
  let text = "";
  const decoder = new TextDecoder();
  const machine = await Machine.create({ maxInstructions, output: (data: Uint8Array) => { text += decoder.decode(data); } });
  await machine.loadElf(path);
  const result = await machine.run();
  return { result, text, stats: machine.stats() };
}

describe("bare-metal C programs (self-checking)", () => {
  it("the prebuilt set is complete", () => {
    expect(programs.sort()).toEqual(["crc32", "hello", "matmul", "sieve", "sort", "strings", "tlbmiss"]);
  });
  for (const name of programs) {
    it(`${name} prints PASS and exits 0`, async () => {
      const { result, text } = await runGuest(join(PREBUILT, `${name}.elf`));
      expect(text).not.toMatch(/FAIL/);
      expect(text).toContain(`PASS ${name}`);
      expect(result).toMatchObject({ reason: "poweroff", exitCode: 0 });
    });
  }
  it("hello greets on the UART", async () => {
    const { text } = await runGuest(join(PREBUILT, "hello.elf"));
    expect(text).toContain("Hello from wasmvisor!");
  });
});

describe("misbehaving guests hurt only themselves", () => {
  const T0 = 5, T1 = 6, T2 = 7;
  it("fetching from a device region is an instruction access fault the guest handles", async () => {
    // mtvec -> handler at +0x40 that reports mcause as the exit code; then jump into UART0.
    const handlerOffset = 0x40;
    const body = [
      asm.lui(T0, 0x80000), asm.slli(T0, T0, 32), asm.srli(T0, T0, 32), // t0 = 0x80000000
      asm.addi(T0, T0, handlerOffset), asm.csrrw(0, 0x305, T0), // mtvec = handler
      ...li32(T1, 0x1000_0000), asm.jal(0, 0) /* patched below */,
    ];
    body[body.length - 1] = 0x000300e7; // jalr ra, 0(t1)
    while (body.length < handlerOffset / 4) body.push(asm.nop());
    body.push(
      asm.csrrs(T2, 0x342, 0), // t2 = mcause
      asm.slli(T2, T2, 16), ...li32(T1, 0x3333), asm.add(T2, T2, T1), // (mcause << 16) | 0x3333
      ...li32(T0, 0x10_0000), asm.sw(T2, T0, 0), asm.jal(0, 0),
    );
    const machine = await Machine.create({ maxInstructions: 10_000n, output: () => {} });
    await machine.loadRaw(words(body));
    expect(await machine.run()).toMatchObject({ exitCode: 1 }); // cause 1: instruction access fault
  });

  it("a guest with no trap handler that jumps into nowhere halts with a clear error", async () => {
    // mtvec stays 0 (nothing there): the fault's handler cannot be fetched either.
    const body = [...li32(T1, 0x1000_0000), 0x000300e7 /* jalr ra, 0(t1) */];
    const machine = await Machine.create({ maxInstructions: 10_000n, output: () => {} });
    await machine.loadRaw(words(body));
    const error = await machine.run().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(GuestError);
    expect(String(error)).toMatch(/halted at pc 0x0\b/);
  });
});
