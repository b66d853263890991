import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  EXIT_BUDGET, EXIT_HTIF, EXIT_STOP, EXIT_WFI, H_EXT_IRQ, H_PC, H_STAT_EXITS, H_X, HART_BASE, HART_SIZE, MACHINE_BASE,
  M_MMIO_STATUS, M_MTIME, M_RAM_SIZE, M_STOP, M_TOHOST, RAM_HOST_BASE,
} from "../../host/core/layout.generated.js";
import { compileCore, Core, defaultCorePath, findPackageRoot, readAssemblyScriptString } from "../../host/core/core.js";
import {
  createSharedMemory, GuestRam, MAX_RAM_SIZE, memoryPagesFor, MemoryViews, validateRamSize, WASM_PAGE_SIZE,
} from "../../host/core/memory.js";
import { EXIT_REASON_NAMES, exitReasonName, HartState, MachineState, sumCounters } from "../../host/core/state.js";
import { ConfigError, CoreError, LoadError } from "../../host/machine/errors.js";
import { Machine } from "../../host/machine/machine.js";
import { collector, scriptedCore } from "./helpers.js";

describe("shared memory", () => {
  it("covers RAM_HOST_BASE + RAM and is shared and fixed-size", () => {
    const memory = createSharedMemory(2 << 20);
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(memory.buffer.byteLength).toBe(RAM_HOST_BASE + (2 << 20));
    expect(memoryPagesFor(2 << 20)).toBe((RAM_HOST_BASE + (2 << 20)) / WASM_PAGE_SIZE);
    expect(() => memory.grow(1)).toThrow(); // maximum = initial
  });

  it("validates RAM sizes", () => {
    expect(() => validateRamSize(1 << 20)).not.toThrow();
    expect(() => validateRamSize(MAX_RAM_SIZE)).not.toThrow();
    expect(() => validateRamSize((1 << 20) + 1)).toThrow(/multiple of 4 KiB/);
    expect(() => validateRamSize(4096)).toThrow(/at least 1 MiB/);
    expect(() => validateRamSize(0)).toThrow(ConfigError);
    expect(() => validateRamSize(MAX_RAM_SIZE + 4096)).toThrow(/too large/);
    expect(() => validateRamSize(1.5)).toThrow(ConfigError);
  });

  it("GuestRam maps DRAM_BASE to RAM_HOST_BASE and checks bounds", () => {
    const views = new MemoryViews(createSharedMemory(1 << 20));
    const ram = new GuestRam(views, 1 << 20);
    ram.write64(0x8000_0010, 0x1122334455667788n);
    expect(views.view.getBigUint64(RAM_HOST_BASE + 0x10, true)).toBe(0x1122334455667788n);
    ram.write32(0x800f_fffc, 0xdeadbeef);
    expect(ram.read32(0x800f_fffc)).toBe(0xdeadbeef);
    expect(ram.contains(0x8000_0000, 1 << 20)).toBe(true);
    expect(ram.contains(0x8000_0000, (1 << 20) + 1)).toBe(false);
    expect(ram.contains(0x7fff_ffff, 1)).toBe(false);
    expect(() => ram.read64(0x800f_fffc)).toThrow(LoadError);
    expect(() => ram.write(0x7fff_fff0, new Uint8Array(32))).toThrow(/outside RAM/);
  });
});

describe("state accessors", () => {
  const views = new MemoryViews(createSharedMemory(1 << 20));
  const machine = new MachineState(views);
  const hart1 = new HartState(views, 1);

  it("machine fields sit at MACHINE_BASE + M_*", () => {
    machine.mtime = 0x1234n;
    machine.ramSize = 1n << 30n;
    machine.stop = 1;
    machine.tohost = 0x8000_1000n;
    expect(views.u64[(MACHINE_BASE + M_MTIME) / 8]).toBe(0x1234n);
    expect(views.u64[(MACHINE_BASE + M_RAM_SIZE) / 8]).toBe(1n << 30n);
    expect(views.u32[(MACHINE_BASE + M_STOP) / 4]).toBe(1);
    expect(views.u64[(MACHINE_BASE + M_TOHOST) / 8]).toBe(0x8000_1000n);
    machine.mmioStatus = 1;
    expect(views.u32[(MACHINE_BASE + M_MMIO_STATUS) / 4]).toBe(1);
  });

  it("hart registers sit at HART_BASE + id * HART_SIZE + H_*", () => {
    hart1.setX(5, -1n);
    expect(hart1.x(5)).toBe((1n << 64n) - 1n);
    expect(views.u64[(HART_BASE + HART_SIZE + H_X + 5 * 8) / 8]).toBe((1n << 64n) - 1n);
    hart1.setX(0, 7n);
    expect(hart1.x(0)).toBe(0n);
    hart1.pc = 0x8000_0000n;
    expect(views.u64[(HART_BASE + HART_SIZE + H_PC) / 8]).toBe(0x8000_0000n);
    hart1.setF(31, 0xffff_ffff_3f80_0000n);
    expect(hart1.f(31)).toBe(0xffff_ffff_3f80_0000n);
    expect(() => hart1.x(32)).toThrow(RangeError);
    expect(() => new HartState(views, 99)).toThrow(RangeError);
  });

  it("interrupt lines set and clear single bits of H_EXT_IRQ", () => {
    hart1.setInterruptLine(11, true);
    hart1.setInterruptLine(3, true);
    hart1.setInterruptLine(11, false);
    expect(hart1.read64(H_EXT_IRQ)).toBe(8n);
  });

  it("counters read the statistics block and sum across harts", () => {
    const hart0 = new HartState(views, 0);
    hart0.write64(H_STAT_EXITS + 8 * EXIT_WFI, 3n);
    hart1.write64(H_STAT_EXITS + 8 * EXIT_WFI, 4n);
    const total = sumCounters([hart0.counters(), hart1.counters()]);
    expect(total.exits[EXIT_WFI]).toBe(7n);
  });

  it("exit reasons are named from the layout", () => {
    expect(exitReasonName(EXIT_BUDGET)).toBe("budget");
    expect(exitReasonName(EXIT_WFI)).toBe("wfi");
    expect(exitReasonName(EXIT_STOP)).toBe("stop");
    expect(exitReasonName(EXIT_HTIF)).toBe("htif");
    expect(exitReasonName(15)).toBe("reason15");
    expect(EXIT_REASON_NAMES.length).toBe(16);
  });
});

describe("locating and compiling the core", () => {
  it("finds the package root and the default core path", () => {
    const root = findPackageRoot();
    expect(root).toBe(process.cwd());
    expect(defaultCorePath()).toBe(join(root, "build", "core.wasm"));
  });

  it("reports a missing file, a non-wasm file and missing exports as CoreError", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wv-core-"));
    await expect(compileCore(join(dir, "missing.wasm"))).rejects.toThrow(/does not exist; build it with "npm run build:core"/);
    writeFileSync(join(dir, "junk.wasm"), "not wasm");
    await expect(compileCore(join(dir, "junk.wasm"))).rejects.toThrow(/not a valid WebAssembly module/);
    // smallest valid module: magic + version, no exports
    writeFileSync(join(dir, "empty.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await expect(compileCore(join(dir, "empty.wasm"))).rejects.toThrow(/lacks the export "initMachine"/);
    await expect(compileCore(join(dir, "empty.wasm"))).rejects.toBeInstanceOf(CoreError);
  });
});

describe("a real wasm core (AssemblyScript stub)", () => {
  let corePath = "";
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "wv-stub-"));
    corePath = join(dir, "stub.wasm");
    execFileSync(process.execPath, [
      join("node_modules", "assemblyscript", "bin", "asc.js"), join("tests", "host", "fixtures", "stub-core.ts"),
      "-o", corePath, "--runtime", "stub", "--importMemory", "--sharedMemory", "--initialMemory", "1024",
      "--maximumMemory", "65536", "--enable", "threads", "-O1",
    ], { stdio: "pipe" });
  });

  it("instantiates with the shared memory, calls initMachine and resets harts", async () => {
    const core = await Core.create({ ramSize: 1 << 20, harts: 2, corePath });
    expect(core.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(core.machine.numHarts).toBe(2);
    expect(core.machine.ramSize).toBe(1n << 20n);
    expect(core.harts[1]!.hartId).toBe(1);
    core.resetHart(1, 0x8000_0000n, 0x8700_0000n);
    expect(core.harts[1]!.pc).toBe(0x8000_0000n);
    expect(core.harts[1]!.privilege).toBe(3);
    expect(core.harts[1]!.x(10)).toBe(1n);
    expect(core.harts[1]!.x(11)).toBe(0x8700_0000n);
    expect(core.decodeOperation(0x1ff)).toBe(0x1ff);
  });

  it("runs MMIO through the bus (status, stop, 64-bit values) to a syscon power-off", async () => {
    const out = collector();
    const machine = await Machine.create({ memorySize: 1 << 20, corePath, output: out.write });
    await machine.loadRaw(new Uint8Array(4));
    const result = await machine.run();
    expect(result).toMatchObject({ reason: "poweroff", exitCode: 0, instructions: 7n });
    expect(out.text()).toBe("Hi\n");
    expect(machine.harts[0]!.mtimecmp).toBe(0xfedc_ba98_7654_3210n);
    expect(machine.core.machine.stop).toBe(0);
    expect(machine.stats().exits).toEqual({ stop: 1n });
    expect(machine.board.bus.lastFault).toMatchObject({ address: 0x7000_0000, reason: "unmapped" });
  });

  it("turns a core abort into CoreError with the message", async () => {
    const core = await Core.create({ ramSize: 1 << 20, corePath });
    expect(() => core.run(0, 12345n)).toThrow(/^the core aborted: stub abort/);
    expect(() => core.run(0, 12345n)).toThrow(CoreError);
  });

  it("rethrows a host error raised inside an MMIO call after run() returns", async () => {
    const core = await Core.create({ ramSize: 1 << 20, corePath });
    const boom = new Error("device exploded");
    core.attachMmio({ read: () => { throw boom; }, write: () => true });
    expect(() => core.run(0, 10n)).toThrow(boom);
    expect(core.machine.stop).toBe(0);
  });
});

describe("Core with a scripted stand-in", () => {
  it("reads AssemblyScript strings from memory", async () => {
    const core = await Core.create({ ramSize: 1 << 20, factory: scriptedCore(() => EXIT_BUDGET) });
    const text = "héllo";
    core.views.view.setUint32(0x100 - 4, text.length * 2, true);
    for (let i = 0; i < text.length; i++) core.views.view.setUint16(0x100 + 2 * i, text.charCodeAt(i), true);
    expect(readAssemblyScriptString(core.views, 0x100)).toBe(text);
    expect(readAssemblyScriptString(core.views, 0)).toBe("");
  });

  it("rejects a bad hart count", async () => {
    await expect(Core.create({ ramSize: 1 << 20, harts: 0, factory: scriptedCore(() => 0) })).rejects.toThrow(/hart count/);
    await expect(Core.create({ ramSize: 1 << 20, harts: 9, factory: scriptedCore(() => 0) })).rejects.toThrow(ConfigError);
  });
});
