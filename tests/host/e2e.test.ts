// End-to-end tests: the real core (build/core.wasm) running tiny guests through the host.
//
// These were written before the interpreter existed and gated on INTERPRETER_READY; it has
// landed, so they run whenever build/core.wasm exists (set INTERPRETER_READY = false to skip
// them again while the core is broken; WASMVISOR_E2E=1 forces them on).
// The guest programs (tests/host/programs.ts) were checked on QEMU virt (-bios none): pass,
// "Hi" + exit 3, and the mtimecmp/WFI program behave as these tests expect.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCorePath } from "../../host/core/core.js";
import { IdleError, LimitError } from "../../host/machine/errors.js";
import { Machine, type MachineOptions } from "../../host/machine/machine.js";
import { coreIsaTests, isHypervisorTest } from "../guest-sets.js";
import { collector } from "./helpers.js";
import * as programs from "./programs.js";

const INTERPRETER_READY = true;
const enabled = (INTERPRETER_READY || process.env["WASMVISOR_E2E"] === "1") && existsSync(defaultCorePath());

async function boot(image: Uint8Array, kind: "raw" | "elf", options: MachineOptions = {}) {
  const out = collector();
  const machine = await Machine.create({ memorySize: 16 << 20, maxInstructions: 10_000_000n, output: out.write, ...options });
  if (kind === "raw") await machine.loadRaw(image);
  else await machine.loadElf(image);
  return { machine, out };
}

describe.skipIf(!enabled)("end to end on the interpreter", () => {
  it("syscon pass → poweroff, exit code 0", async () => {
    const { machine } = await boot(programs.passProgram(), "raw");
    expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 0 });
  });

  it("UART output and a syscon failure code", async () => {
    const { machine, out } = await boot(programs.helloFailProgram(), "raw");
    expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 3 });
    expect(out.text()).toBe("Hi\n");
    expect(machine.stats().total.mmioWrites).toBeGreaterThanOrEqual(4n);
  });

  it("HTIF exit through the tohost symbol", async () => {
    const { machine } = await boot(programs.htifExitElf(5), "elf");
    expect(await machine.run()).toMatchObject({ reason: "htif", exitCode: 5 });
    const pass = await boot(programs.htifExitElf(0), "elf");
    expect(await pass.machine.run()).toMatchObject({ reason: "htif", exitCode: 0 });
  });

  it("HTIF console putchar", async () => {
    const { machine, out } = await boot(programs.htifPrintElf(), "elf");
    expect(await machine.run()).toMatchObject({ reason: "htif", exitCode: 0 });
    expect(out.text()).toBe("ok");
  });

  it("WFI with an armed CLINT timer: deterministic time jumps to mtimecmp", async () => {
    const { machine } = await boot(programs.timerProgram(5_000_000), "raw");
    expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 0 });
    expect(machine.core.machine.mtime).toBeGreaterThanOrEqual(5_000_000n);
    expect(machine.stats().exits["wfi"]).toBeGreaterThanOrEqual(1n);
  });

  it("WFI with nothing armed is idle forever", async () => {
    const { machine } = await boot(programs.idleProgram(), "raw");
    await expect(machine.run()).rejects.toThrow(IdleError);
  });

  it("the instruction limit stops an endless loop at exactly N instructions", async () => {
    const { machine } = await boot(programs.spinProgram(), "raw", { maxInstructions: 123_457n });
    await expect(machine.run()).rejects.toThrow(LimitError);
    expect(machine.stats().instructions).toBe(123_457n);
  });

  it("--trace prints one line per instruction with the decoded operation", async () => {
    let text = "";
    const { machine } = await boot(programs.passProgram(), "raw", { trace: true, traceWriter: (t) => { text += t; } });
    await machine.run();
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("0000000080000000 001002b7 LUI"); // lui t0, 0x100
    expect(lines[1]).toBe("0000000080000004 00028293 ADDI");
    // The store that powers the machine off ends the run with EXIT_STOP instead of a trace exit.
    expect(lines.length).toBeGreaterThanOrEqual(4);
  });

  const isaTests = coreIsaTests();
  for (const name of isaTests) {
    it(`the self-checking guest ${name} passes`, async () => {
      const machine = await Machine.create({ memorySize: 64 << 20, maxInstructions: 50_000_000n, output: () => {},
        cpu: { h: isHypervisorTest(name) } });
      await machine.loadElf(join("guests/prebuilt", name));
      expect(await machine.run()).toMatchObject({ exitCode: 0 });
    });
  }

  for (const dir of ["guests/prebuilt", "guests/build"]) {
    const path = join(dir, "hello.elf");
    it.skipIf(!existsSync(path))(`runs ${path}`, async () => {
      const out = collector();
      const machine = await Machine.create({ memorySize: 64 << 20, maxInstructions: 100_000_000n, output: out.write });
      await machine.loadElf(path);
      expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 0 });
      expect(out.text()).toContain("Hello from wasmvisor!");
      expect(out.text()).toContain("PASS hello");
    });
  }
});

describe.skipIf(!enabled)("the hypervisor extension is optional", () => {
  for (const name of coreIsaTests().filter(isHypervisorTest)) {
    it(`${name} fails cleanly on a hart without H (misa.H check)`, async () => {
      const machine = await Machine.create({ memorySize: 64 << 20, maxInstructions: 50_000_000n, output: () => {} });
      await machine.loadElf(join("guests/prebuilt", name));
      const result = await machine.run();
      expect(result.reason).toBe("poweroff");
      expect(result.exitCode).not.toBe(0);
    });
    it(`${name} passes without the page-walk cache`, async () => {
      const machine = await Machine.create({ memorySize: 64 << 20, maxInstructions: 50_000_000n, output: () => {},
        cpu: { h: true, pageWalkCache: false } });
      await machine.loadElf(join("guests/prebuilt", name));
      expect(await machine.run()).toMatchObject({ exitCode: 0 });
    });
  }
});
