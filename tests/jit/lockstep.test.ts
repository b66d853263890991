// The lock-step driver (host/vmm/lockstep.ts): interpreter and translator machines side by side,
// compared after every step. It must run the prebuilt guests and the start of a Linux boot without a
// divergence, and it must find one when one is injected: a register or a memory byte changed in one
// machine only, and a stale translation (code rewritten behind the translator's back: the
// interpreter runs the new instruction, the translated block the old one).
import { isHypervisorTest } from "../guest-sets.js";
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { LockstepMachine, DivergenceError } from "../../host/vmm/lockstep.js";
import { LimitError, ConfigError, Machine } from "../../host/index.js";
import { bootLinux } from "../../host/vmm/linux-boot.js";
import { runCli } from "../../host/cli/cli.js";
import { encB } from "./rv-encode.js";
import { asm, li32, words } from "../host/helpers.js";

const PREBUILT = "guests/prebuilt";
const all = existsSync(PREBUILT) ? readdirSync(PREBUILT).filter((f) => f.endsWith(".elf")).sort() : [];
const isa = all.filter((f) => f.startsWith("isa-")); // the H tests on harts with H
const programs = all.filter((f) => !f.startsWith("isa-"));
/** Instructions of each C program run in lock step (the whole programs take minutes; LOCKSTEP_FULL=1 runs them all). */
const PROGRAM_INSTRUCTIONS = process.env["LOCKSTEP_FULL"] ? undefined : 1_500_000;

async function lockstepElf(file: string, threshold: number, extra: Partial<Parameters<typeof LockstepMachine.create>[0]> = {}) {
  const lockstep = await LockstepMachine.create({ memorySize: 64 << 20, dbtThreshold: threshold, output: () => {}, ...extra },
    (machine) => machine.loadElf(join(PREBUILT, file)).then(() => {}));
  return lockstep;
}

/** A loop: a0 += 1 a hundred thousand times (the ADDI is at DRAM + 0xc), then power off. */
function counterProgram(): Uint8Array {
  const A0 = 10, T0 = 5, T1 = 6;
  return words([
    asm.addi(A0, 0, 0), asm.lui(T1, 0x18), asm.addi(T1, T1, 0x6a0), // t1 = 100000
    asm.addi(A0, A0, 1), asm.addi(T1, T1, -1), encB(-8, 0, T1, 1), // loop: a0++; t1--; bnez t1, loop
    ...li32(T0, 0x10_0000), ...li32(T1, 0x5555), asm.sw(T1, T0, 0), asm.jal(0, 0),
  ]);
}

describe("lock-step: interpreter and translator agree", () => {
  for (const threshold of [1, 3]) {
    for (const file of isa) {
      it(`${file} (threshold ${threshold})`, async () => {
        const lockstep = await lockstepElf(file, threshold, { cpu: { h: isHypervisorTest(file) } });
        const result = await lockstep.run();
        expect(result).toMatchObject({ reason: "poweroff", exitCode: 0 });
        expect(lockstep.stats().steps).toBeGreaterThan(10);
        if (threshold === 1) expect(lockstep.subject.stats().dbt!.translatedInstructions).toBeGreaterThan(0n);
        lockstep.dispose();
      });
    }
  }
  for (const file of programs) {
    it(`${file}: ${PROGRAM_INSTRUCTIONS ?? "all"} instructions (threshold 1)`, async () => {
      const lockstep = await lockstepElf(file, 1, { maxInstructions: PROGRAM_INSTRUCTIONS, memoryCheckInterval: 50_000 });
      try {
        const result = await lockstep.run();
        expect(result).toMatchObject({ reason: "poweroff", exitCode: 0 });
      } catch (error) {
        if (!(error instanceof LimitError)) throw error;
      }
      expect(lockstep.stats().memoryChecks).toBeGreaterThan(0);
      lockstep.dispose();
    }, 60_000);
  }

  const kernel = "guests/linux/prebuilt/Image.gz", initrd = "guests/linux/prebuilt/initramfs.cpio.gz";
  it.skipIf(!existsSync(kernel))("Linux direct boot: the first 5 million instructions", async () => {
    let text = "";
    const lockstep = await LockstepMachine.create({
      memorySize: 128 << 20, maxInstructions: 5_000_000, output: (data) => { text += Buffer.from(data).toString("latin1"); },
    }, (machine) => bootLinux(machine, { kernel, initrd, append: "console=ttyS0 earlycon=sbi" }).then(() => {}));
    await expect(lockstep.run()).rejects.toBeInstanceOf(LimitError);
    expect(text).toContain("Linux version");
    expect(lockstep.stats().instructions).toBeGreaterThanOrEqual(5_000_000n);
    lockstep.dispose();
  }, 120_000);
});

describe("lock-step: divergences are found and reported", () => {
  it("a register changed in the translator's machine", async () => {
    const lockstep = await lockstepElf("isa-rv64i.elf", 1, {
      afterStep: ({ step, subject }) => { if (step === 40) subject.harts[0]!.setX(10, subject.harts[0]!.x(10) ^ 0x100n); },
    });
    const error = await lockstep.run().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    const report = (error as DivergenceError).report;
    expect(report.kind).toBe("state");
    expect(report.step).toBe(40);
    expect(report.differences.map((d) => d.name)).toEqual(["x10/a0"]);
    expect(report.differences[0]!.subject ^ report.differences[0]!.reference).toBe(0x100n);
    expect(report.recentSteps.length).toBeGreaterThan(1);
    expect(report.recentSteps.at(-1)!.step).toBe(40);
    expect(report.lastStepCode.length).toBeGreaterThan(0);
    expect(report.lastStepCode[0]).toMatch(/^0x8[0-9a-f]+: [0-9a-f]{4,8} [A-Z_]+$/);
    // Side by side, the differing field marked.
    expect(report.text).toMatch(/^x10\/a0\s+<> 0x[0-9a-f]{16}\s+0x[0-9a-f]{16}$/m);
    expect(report.text).toMatch(/^pc\s+ {2} 0x/m);
    expect((error as DivergenceError).message).toMatch(/lock-step divergence at step 40, hart 0: x10\/a0 interp 0x[0-9a-f]+ dbt 0x[0-9a-f]+/);
    lockstep.dispose();
  });

  it("a memory byte changed in one machine", async () => {
    const lockstep = await lockstepElf("sieve.elf", 1, {
      memoryCheckInterval: 100,
      afterStep: ({ step, reference }) => { if (step === 250) reference.core.ram.bytes[0x30_0000] ^= 0x5a; },
    });
    const error = await lockstep.run().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    const report = (error as DivergenceError).report;
    expect(report.kind).toBe("memory");
    expect(report.step).toBe(300); // found at the next full-RAM check
    expect(report.memory!.address).toBe(0x8030_0000n);
    expect(report.memory!.reference[0]! ^ report.memory!.subject[0]!).toBe(0x5a);
    expect(report.differences).toEqual([]);
    lockstep.dispose();
  });

  it("a stale translation (the code changed behind the translator's back)", async () => {
    const program = counterProgram();
    const lockstep = await LockstepMachine.create({ memorySize: 1 << 20, dbtThreshold: 1, output: () => {},
      afterStep: ({ step, reference, subject }) => {
        // Both RAMs get ADDI a0, a0, 2 in place of ADDI a0, a0, 1 without the store-protection path.
        if (step === 30) for (const m of [reference, subject]) m.core.ram.write(0x8000_000c, words([asm.addi(10, 10, 2)]));
      },
    }, (machine) => machine.loadRaw(program).then(() => {}));
    const error = await lockstep.run().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    const report = (error as DivergenceError).report;
    expect(report.kind).toBe("state");
    expect(report.differences.map((d) => d.name)).toEqual(["x10/a0"]);
    expect(report.differences[0]!.reference - report.differences[0]!.subject).toBe(1n);
    expect(report.lastStepCode.join("\n")).toContain("ADDI");
    lockstep.dispose();
  });

  it("rejects writable disks and the engine name in Machine.create", async () => {
    await expect(LockstepMachine.create({ virtio: [{ type: "blk", path: "/nonexistent" }] }, () => {})).rejects.toBeInstanceOf(ConfigError);
    await expect(Machine.create({ engine: "lockstep" })).rejects.toThrow(/LockstepMachine/);
  });
});

describe("lock-step: command line", () => {
  const sink = () => {
    let text = "";
    return { stream: new Writable({ write(chunk, _encoding, done) { text += String(chunk); done(); } }), text: () => text };
  };

  it("--engine lockstep runs a guest and reports the steps with --stats", async () => {
    const out = sink(), err = sink();
    const status = await runCli(["run", "--engine", "lockstep", "--stats", join(PREBUILT, "hello.elf")], { stdout: out.stream, stderr: err.stream, stdin: null });
    expect(status).toBe(0);
    expect(out.text()).toContain("PASS hello");
    expect(err.text()).toMatch(/lock-step: [\d,]+ steps compared, .* no divergence/);
  });

  it("--engine lockstep rejects --trace and the real clock", async () => {
    for (const flag of [["--trace"], ["--clock", "real"]]) {
      const err = sink();
      const status = await runCli(["run", "--engine", "lockstep", ...flag, join(PREBUILT, "hello.elf")], { stdout: sink().stream, stderr: err.stream, stdin: null });
      expect(status).toBe(2);
      expect(err.text()).toMatch(/lockstep/);
    }
  });
});

