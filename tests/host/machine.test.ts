// The run loop against a scripted stand-in for the core (tests/host/helpers.ts): every exit
// reason, limits, idle handling and console plumbing, without the interpreter.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  EXIT_BUDGET, EXIT_EMULATE, EXIT_HALT, EXIT_HTIF, EXIT_STOP, EXIT_TRACE, EXIT_WFI, H_EXIT_ADDR, H_EXIT_VALUE, H_MIE,
  H_MENVCFG, H_STIMECMP, Op, OP_NAMES,
} from "../../host/core/layout.generated.js";
import { ConfigError, CoreError, GuestError, IdleError, LimitError, LoadError } from "../../host/machine/errors.js";
import { Machine, type MachineOptions } from "../../host/machine/machine.js";
import { collector, scriptedCore, type Script, type ScriptContext } from "./helpers.js";

const SYSCON = 0x10_0000n, UART = 0x1000_0000n;
const MIE_MTIE = 1n << 7n, MIE_STIE = 1n << 5n;

/** Writes to the syscon the way a guest store would, and returns what the core would return. */
function powerOff(ctx: ScriptContext, code = 0): number {
  ctx.retire(1);
  ctx.imports.mmio_write(ctx.hart.id, SYSCON, 4, code === 0 ? 0x5555n : (BigInt(code) << 16n) | 0x3333n);
  return ctx.machine.stop ? EXIT_STOP : EXIT_BUDGET;
}

function putString(ctx: ScriptContext, text: string): void {
  for (const c of text) ctx.imports.mmio_write(ctx.hart.id, UART, 1, BigInt(c.charCodeAt(0)));
}

async function machineWith(script: Script, options: MachineOptions = {}, decode?: (raw: number) => bigint) {
  const out = collector();
  const machine = await Machine.create({
    memorySize: 1 << 20, output: out.write, coreFactory: scriptedCore(script, decode), ...options,
  });
  await machine.loadRaw(new Uint8Array([0x13, 0, 0, 0]));
  return { machine, out };
}

describe("run loop: normal endings", () => {
  it("runs budget slices until a syscon power-off and flushes UART output", async () => {
    const { machine, out } = await machineWith((ctx) => {
      if (ctx.call < 5) { ctx.retire(ctx.budget); return EXIT_BUDGET; }
      putString(ctx, "done\n");
      return powerOff(ctx);
    });
    const result = await machine.run();
    expect(result.reason).toBe("poweroff");
    expect(result.exitCode).toBe(0);
    expect(out.text()).toBe("done\n");
    const stats = machine.stats();
    expect(stats.instructions).toBe(result.instructions);
    expect(stats.exits).toEqual({ budget: 5n, stop: 1n });
    expect(stats.devices.find((d) => d.name === "uart0")?.writes).toBe(5);
  });

  it("a syscon power-off is honoured even if run() returned another reason", async () => {
    const { machine } = await machineWith((ctx) => { powerOff(ctx, 5); return EXIT_BUDGET; });
    expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 5 });
  });

  it("reports the syscon failure code", async () => {
    const { machine } = await machineWith((ctx) => powerOff(ctx, 42));
    expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 42 });
  });

  it("handles HTIF: console output, then exit with code value >> 1; tohost is cleared", async () => {
    const tohost = 0x8000_0100;
    const { machine, out } = await machineWith((ctx) => {
      const send = (value: bigint) => {
        machine.core.ram.write64(tohost, value);
        ctx.hart.write64(H_EXIT_VALUE, value);
        ctx.retire(1);
        return EXIT_HTIF;
      };
      if (ctx.call < 2) return send((1n << 56n) | (1n << 48n) | BigInt("ok".charCodeAt(ctx.call)));
      expect(machine.core.ram.read64(tohost)).toBe(0n);
      return send((3n << 1n) | 1n);
    });
    machine.board.htif.configure(BigInt(tohost), BigInt(tohost + 64));
    const result = await machine.run();
    expect(result).toMatchObject({ reason: "htif", exitCode: 3 });
    expect(out.text()).toBe("ok");
    expect(machine.core.ram.read64(tohost)).toBe(0n);
  });

  it("stop() ends a running guest with reason 'stopped'", async () => {
    const { machine } = await machineWith((ctx) => { ctx.retire(ctx.budget); return EXIT_BUDGET; });
    setTimeout(() => machine.stop(), 20);
    expect(await machine.run()).toMatchObject({ reason: "stopped", exitCode: 0 });
  });

  it("a syscon reset re-places the image, resets the harts and continues", async () => {
    let resets = 0;
    const { machine } = await machineWith((ctx) => {
      if (ctx.call === 0) {
        machine.core.ram.write32(0x8000_0000, 0xffff_ffff); // guest scribbles over its code
        ctx.hart.pc = 0x8000_0400n;
        ctx.retire(1);
        ctx.imports.mmio_write(0, SYSCON, 4, 0x7777n);
        return EXIT_STOP;
      }
      resets++;
      expect(ctx.hart.pc).toBe(0x8000_0000n);
      expect(machine.core.ram.read32(0x8000_0000)).toBe(0x13);
      return powerOff(ctx);
    });
    expect(await machine.run()).toMatchObject({ reason: "poweroff" });
    expect(resets).toBe(1);
    expect(machine.stats().resets).toBe(1);
  });
});

describe("run loop: limits and failures", () => {
  it("stops with LimitError (exit status 3) exactly at --max-insns, never over-budgeting", async () => {
    const budgets: bigint[] = [];
    const { machine } = await machineWith((ctx) => { budgets.push(ctx.budget); ctx.retire(ctx.budget); return EXIT_BUDGET; },
      { maxInstructions: 250_001n });
    const error = await machine.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitError);
    expect((error as LimitError).exitStatus).toBe(3);
    expect((error as LimitError).message).toMatch(/^instruction limit reached \(250001 instructions/);
    expect(machine.stats().instructions).toBe(250_001n);
    expect(budgets.reduce((a, b) => a + b, 0n)).toBe(250_001n);
  });

  it("a guest that finishes on the last allowed instruction is not a limit error", async () => {
    const { machine } = await machineWith((ctx) => powerOff(ctx), { maxInstructions: 1 });
    expect(await machine.run()).toMatchObject({ reason: "poweroff" });
  });

  it("a core that returns 'budget' without retiring anything is a CoreError", async () => {
    const { machine } = await machineWith(() => EXIT_BUDGET);
    await expect(machine.run()).rejects.toThrow(CoreError);
    await expect(machine.run()).rejects.toThrow(/without retiring an instruction/);
  });

  it("EXIT_HALT is a GuestError naming the pc", async () => {
    const { machine } = await machineWith((ctx) => { ctx.hart.write64(H_EXIT_ADDR, 0x8000_0040n); return EXIT_HALT; });
    await expect(machine.run()).rejects.toThrow(/hart 0 halted at pc 0x80000040/);
  });

  it("exits the host does not handle yet are GuestErrors; unknown reasons are CoreErrors", async () => {
    const a = await machineWith(() => EXIT_EMULATE);
    await expect(a.machine.run()).rejects.toThrow(GuestError);
    await expect(a.machine.run()).rejects.toThrow(/"emulate"/);
    const b = await machineWith(() => 99);
    await expect(b.machine.run()).rejects.toThrow(/unknown exit reason 99/);
  });

  it("errors from the console output writer surface from run()", async () => {
    const { machine } = await machineWith((ctx) => { ctx.imports.mmio_write(0, UART, 1, 0x41n); return EXIT_STOP; },
      { output: () => { throw new Error("sink failed"); } });
    // The UART buffers output; the sink fails when the run loop flushes it.
    await expect(machine.run()).rejects.toThrow("sink failed");
  });

  it("refuses to run without an image, and validates options", async () => {
    const machine = await Machine.create({ memorySize: 1 << 20, coreFactory: scriptedCore(() => EXIT_BUDGET) });
    await expect(machine.run()).rejects.toThrow(LoadError);
    await expect(Machine.create({ engine: "jit", coreFactory: scriptedCore(() => 0) })).rejects.toThrow(/unknown engine "jit"/);
    await expect(Machine.create({ maxInstructions: 0, coreFactory: scriptedCore(() => 0) })).rejects.toThrow(ConfigError);
    await expect(Machine.create({ memorySize: 12345, coreFactory: scriptedCore(() => 0) })).rejects.toThrow(/4 KiB/);
    await expect(Machine.create({ clock: "fast" as never, coreFactory: scriptedCore(() => 0) })).rejects.toThrow(/unknown clock/);
  });
});

describe("run loop: WFI and time", () => {
  it("deterministic clock: jumps mtime to the armed, enabled mtimecmp", async () => {
    const { machine } = await machineWith((ctx) => {
      if (ctx.call === 0) {
        ctx.retire(10);
        ctx.hart.write64(H_MIE, MIE_MTIE);
        ctx.hart.mtimecmp = 5_000_000n;
        return EXIT_WFI;
      }
      expect(ctx.machine.mtime).toBe(5_000_000n);
      return powerOff(ctx);
    });
    const start = performance.now();
    expect(await machine.run()).toMatchObject({ reason: "poweroff" });
    expect(performance.now() - start).toBeLessThan(400); // 0.5 s of guest time took no wall time
  });

  it("deterministic clock: Sstc stimecmp counts when menvcfg.STCE and mie.STIE are set", async () => {
    const { machine } = await machineWith((ctx) => {
      if (ctx.call === 0) {
        ctx.retire(1);
        ctx.hart.write64(H_MIE, MIE_STIE | MIE_MTIE);
        ctx.hart.write64(H_MENVCFG, 1n << 63n);
        ctx.hart.write64(H_STIMECMP, 700n);
        ctx.hart.mtimecmp = 900n;
        return EXIT_WFI;
      }
      expect(ctx.machine.mtime).toBe(700n);
      return powerOff(ctx);
    });
    await machine.run();
  });

  it("nextTimerDeadline ignores disabled and unarmed comparators", async () => {
    const { machine } = await machineWith(() => EXIT_WFI);
    const hart = machine.harts[0]!;
    hart.mtimecmp = 100n;
    expect(machine.nextTimerDeadline()).toBeUndefined(); // MTIE clear
    hart.write64(H_MIE, MIE_MTIE | MIE_STIE);
    expect(machine.nextTimerDeadline()).toBe(100n);
    hart.mtimecmp = (1n << 64n) - 1n;
    hart.write64(H_STIMECMP, 50n);
    expect(machine.nextTimerDeadline()).toBeUndefined(); // Sstc not enabled in menvcfg
  });

  it("WFI with no armed timer and no input is 'idle forever' (IdleError)", async () => {
    const { machine } = await machineWith((ctx) => { ctx.retire(3); return EXIT_WFI; });
    const error = await machine.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdleError);
    expect((error as Error).message).toMatch(/^guest is idle forever \(WFI with no wake-up source\)/);
    expect((error as Error).message).toMatch(/hart 0 at pc 0x80000000/);
  });

  it("an armed mtimecmp with MTIE clear cannot wake the hart: idle forever", async () => {
    const { machine } = await machineWith((ctx) => { ctx.hart.mtimecmp = 10n; return EXIT_WFI; });
    await expect(machine.run()).rejects.toThrow(IdleError);
  });

  it("a hart that never wakes although its timer is due is reported, not spun on forever", async () => {
    const { machine } = await machineWith((ctx) => {
      ctx.hart.write64(H_MIE, MIE_MTIE);
      ctx.hart.mtimecmp = 0n;
      return EXIT_WFI;
    });
    await expect(machine.run()).rejects.toThrow(/stay in WFI although their timer is due/);
  });

  it("interactive input is a wake-up source: WFI waits until input arrives", async () => {
    let sawInput = false;
    const { machine } = await machineWith((ctx) => {
      const lsr = ctx.imports.mmio_read(0, UART + 5n, 1);
      if ((lsr & 1n) === 0n) return EXIT_WFI;
      sawInput = ctx.imports.mmio_read(0, UART, 1) === 0x79n;
      return powerOff(ctx);
    }, { interactive: true });
    setTimeout(() => machine.sendInput("y"), 30);
    expect(await machine.run()).toMatchObject({ reason: "poweroff" });
    expect(sawInput).toBe(true);
  });

  it("real clock: WFI sleeps until mtimecmp in wall time", async () => {
    const { machine } = await machineWith((ctx) => {
      if (ctx.call === 0) {
        ctx.retire(1);
        ctx.hart.write64(H_MIE, MIE_MTIE);
        ctx.hart.mtimecmp = ctx.machine.mtime + 200_000n; // 20 ms at 10 MHz
        return EXIT_WFI;
      }
      if (ctx.machine.mtime < ctx.hart.mtimecmp) return EXIT_WFI;
      return powerOff(ctx);
    }, { clock: "real" });
    const start = performance.now();
    await machine.run();
    expect(performance.now() - start).toBeGreaterThanOrEqual(15);
  });

  it("with several harts, a parked hart does not make the guest idle", async () => {
    const seen: bigint[] = [];
    const { machine } = await machineWith((ctx) => {
      if (ctx.hart.id === 1) { seen.push(ctx.hart.x(10)); return EXIT_WFI; }
      if (ctx.call < 8) { ctx.retire(100); return EXIT_BUDGET; }
      return powerOff(ctx);
    }, { harts: 2 });
    expect(await machine.run()).toMatchObject({ reason: "poweroff" });
    expect(seen[0]).toBe(1n); // a0 = hartid
    expect(machine.harts[1]!.pc).toBe(0x8000_0000n);
  });
});

describe("run loop: console input and tracing", () => {
  it("feeds a stdin stream to the UART", async () => {
    let received = "";
    const { machine, out } = await machineWith((ctx) => {
      ctx.retire(1);
      while (ctx.imports.mmio_read(0, UART + 5n, 1) & 1n) received += String.fromCharCode(Number(ctx.imports.mmio_read(0, UART, 1)));
      if (received.endsWith("\n")) { putString(ctx, `got ${received}`); return powerOff(ctx); }
      return EXIT_BUDGET;
    }, { stdin: Readable.from([Buffer.from("hello "), Buffer.from("world\n")]) });
    await machine.run();
    expect(out.text()).toBe("got hello world\n");
  });

  it("when stdin ends and the guest waits with no timer, it is idle forever", async () => {
    const { machine } = await machineWith(() => EXIT_WFI, { stdin: Readable.from([]) });
    await expect(machine.run()).rejects.toThrow(IdleError);
  });

  it("--trace: sets M_TRACE, steps one instruction at a time and prints pc, raw, operation", async () => {
    const program = [0x00000013, 0x0000_4501, 0x0ff0000f]; // addi (nop), c.li a0,0, fence
    const lines: string[] = [];
    const budgets = new Set<bigint>();
    const { machine } = await machineWith((ctx) => {
      budgets.add(ctx.budget);
      expect(ctx.machine.trace).toBe(1);
      if (ctx.call >= program.length) return powerOff(ctx);
      ctx.retire(1);
      ctx.hart.write64(H_EXIT_ADDR, 0x8000_0000n + BigInt(4 * ctx.call));
      ctx.hart.write64(H_EXIT_VALUE, BigInt(program[ctx.call]!));
      return EXIT_TRACE;
    }, { trace: true, traceWriter: (t) => lines.push(...t.trimEnd().split("\n")) },
    (raw) => BigInt(raw === 0x13 ? Op.ADDI : raw === 0x4501 ? Op.ADDI : 0));
    await machine.run();
    expect(budgets).toEqual(new Set([1n]));
    expect(lines).toEqual([
      "0000000080000000 00000013 ADDI",
      "0000000080000004 4501     ADDI",
      `0000000080000008 0ff0000f ${OP_NAMES[0]}`,
    ]);
  });
});
