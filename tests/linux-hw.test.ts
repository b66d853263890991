// Linux under the hardware-assisted VMM (--virt hw): the same kernel, initramfs and disk as
// tests/linux.test.ts, booted in VS-mode with nested paging. The shell session gives the same
// answers as under full emulation (compared line by line with a full-emulation boot), under both
// engines; the VM-exit counters and the two-dimensional page walks show in the statistics and in
// --stats; bad configurations are typed errors.
import { afterEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { Writable } from "node:stream";
import { ConfigError, Machine } from "../host/index.js";
import { bootLinux } from "../host/vmm/linux-boot.js";
import { runCli } from "../host/cli/cli.js";
import { bootSession, diskChecksums, KERNEL, INITRD, DISK, type LinuxSession } from "./linux/session.js";

const haveImages = existsSync(KERNEL) && existsSync(INITRD) && existsSync(DISK);
const sessions: LinuxSession[] = [];
afterEach(() => { for (const s of sessions.splice(0)) s.cleanup(); });

/** Boots, runs the shell commands both modes must answer alike, powers off; returns the answers. */
async function shellAnswers(session: LinuxSession): Promise<string[]> {
  sessions.push(session);
  await session.expect(/wasmvisor: user space ready/, 120_000);
  await session.expect(/[#$] $/m);
  const answers = [await session.command("uname -a"), await session.command("cat /proc/cpuinfo")];
  for (const [file] of diskChecksums()) answers.push(await session.command(`sha256sum /mnt/${file}`));
  return answers;
}

let fullAnswers: Promise<string[]> | undefined;
/** The shell answers of a full-emulation boot (direct boot, interpreter), computed once. */
function fullEmulationAnswers(): Promise<string[]> {
  fullAnswers ??= (async () => {
    const full = await bootSession("none");
    const answers = await shellAnswers(full);
    full.send("poweroff -f\n");
    await full.finished;
    return answers;
  })();
  return fullAnswers;
}

function sink(): { stream: Writable; text: () => string } {
  let text = "";
  return { stream: new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }), text: () => text };
}

describe.skipIf(!haveImages)("Linux under --virt hw", () => {
  it("interp: same shell answers as full emulation, disk write + reboot + read back, poweroff; VM exits counted", async () => {
    const expected = await fullEmulationAnswers();
    const hw = await bootSession("none", "console=ttyS0", { virt: "hw" });
    const answers = await shellAnswers(hw);
    expect(answers).toEqual(expected);
    expect(answers[0]).toMatch(/^Linux \S+ 6\.1\.\d+\S* .* riscv64/);
    expect(answers[1]).toMatch(/isa\s*:\s*rv64imafdc/);
    expect(answers[1]).toMatch(/mmu\s*:\s*sv48/);
    [...diskChecksums().values()].forEach((sum, i) => expect(answers[2 + i]).toContain(sum));
    await hw.command("echo written-in-vs-mode-$((6*7)) > /mnt/note.txt && sync");
    hw.send("reboot -f\n");
    await hw.expect(/wasmvisor: user space ready/, 120_000);
    await hw.expect(/[#$] $/m);
    expect(await hw.command("cat /mnt/note.txt")).toBe("written-in-vs-mode-42");
    hw.send("poweroff -f\n");
    expect(await hw.finished).toMatchObject({ reason: "poweroff", exitCode: 0 });

    const stats = hw.machine.stats();
    expect(stats.resets).toBe(1);
    expect(stats.vmExits["sbi"]).toBeGreaterThan(0);
    expect(stats.vmExits["mmio-load"]).toBeGreaterThan(100);
    expect(stats.vmExits["mmio-store"]).toBeGreaterThan(100);
    // (the core's counters restart at the reboot; the VMM's count both boots)
    expect(stats.exits["vtrap"]).toBeGreaterThan(0n);
    expect(BigInt(Object.values(stats.vmExits).reduce((a, b) => a + b, 0))).toBeGreaterThan(stats.exits["vtrap"]!);
    expect(stats.exits["ecall"]).toBeUndefined(); // SBI arrives as VM exits, not as S-mode hypercalls
    expect(stats.total.gstageWalks).toBeGreaterThan(0n);
    expect(stats.total.pageWalkCacheHits).toBeGreaterThan(0n);
    // 2-D walks: more references per walk than the 4-level 1-D walk can make
    expect(Number(stats.total.walkReferences) / Number(stats.total.pageWalks)).toBeGreaterThan(4);
  }, 300_000);

  it("dbt: same shell answers as full emulation, poweroff with exit code 0", async () => {
    const expected = await fullEmulationAnswers();
    const hw = await bootSession("none", "console=ttyS0", { virt: "hw", engine: "dbt" });
    expect(await shellAnswers(hw)).toEqual(expected);
    hw.send("poweroff -f\n");
    expect(await hw.finished).toMatchObject({ reason: "poweroff", exitCode: 0 });
    // Hot guest code ran translated (regions at the default threshold).
    expect(hw.machine.stats().dbt?.compiles ?? 0).toBeGreaterThan(10);
    expect(hw.machine.stats().dbt?.translatedInstructions ?? 0n).toBeGreaterThan(1_000_000n);
  }, 300_000);

  it("dbt: the guest's selftest (disk write, sync, read back) passes in VS-mode", async () => {
    const session = await bootSession("none", "console=ttyS0 wvmode=selftest", { virt: "hw", engine: "dbt" });
    sessions.push(session);
    expect(await session.finished).toMatchObject({ reason: "poweroff", exitCode: 0 });
    expect(session.output()).toContain("selftest: ok   disk: write, sync, read back");
    expect(session.output()).toContain("wasmvisor: selftest PASS");
    const stats = session.machine.stats();
    expect(stats.dbt?.compiles ?? 0).toBeGreaterThan(100);
    expect(stats.vmExits["mmio-load"]).toBeGreaterThan(0);
  }, 300_000);

  it("two harts: the second starts through SBI HSM in VS-mode; exits do not starve the hart that takes them", async () => {
    let text = "";
    const machine = await Machine.create({ harts: 2, virt: "hw", maxInstructions: 2_000_000_000n,
      output: (bytes: Uint8Array) => { text += new TextDecoder().decode(bytes); } });
    await bootLinux(machine, { kernel: KERNEL, initrd: INITRD, append: "console=ttyS0 wvmode=poweroff" });
    expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 0 });
    expect(text).toMatch(/smp: Brought up 1 node, 2 CPUs/);
    const perHart = machine.stats().harts.map((h) => h.instructions);
    expect(perHart[1]).toBeGreaterThan(1_000_000n);
    // A hart that exits to the VMM resumes within its pass: the boot costs about what one hart
    // needs plus the second hart's share, not ~1e9 instructions of the other hart spinning.
    expect(perHart[0]! + perHart[1]!).toBeLessThan(200_000_000n);
  }, 300_000);

  it("--stats prints the VM exits, the G-stage walks and references per walk; pwc=off leaves no cache hits", async () => {
    const out = sink(), err = sink();
    const status = await runCli(["run", "--kernel", KERNEL, "--initrd", INITRD, "--append", "console=ttyS0 wvmode=poweroff",
      "--virt", "hw", "--cpu", "pwc=off", "--stats"], { stdout: out.stream, stderr: err.stream, stdin: null });
    expect(status).toBe(0);
    expect(out.text()).toContain("wasmvisor: user space ready");
    expect(err.text()).toMatch(/vm exits\s+mmio-load [\d,]+, mmio-store [\d,]+, sbi [\d,]+/);
    expect(err.text()).toMatch(/page walks\s+[\d,]+ \([\d,]+ memory references, \d+\.\d\d per walk\)/);
    expect(err.text()).toMatch(/g-stage\s+[\d,]+ walks, page-walk cache 0 hits \(0\.0% hit rate\)/);
  }, 300_000);
});

describe("--virt hw and --cpu: configuration errors and the device tree", () => {
  it("firmware cannot boot under --virt hw; the CLI refuses --virt hw without a kernel and bad --cpu values", async () => {
    const machine = await Machine.create({ memorySize: 32 << 20, virt: "hw", output: () => {} });
    const header = new Uint8Array(4096);
    const view = new DataView(header.buffer);
    view.setBigUint64(8, 0x20_0000n, true); view.setBigUint64(16, 4096n, true); view.setUint32(56, 0x05435352, true);
    await expect(bootLinux(machine, { kernel: header, bios: "opensbi" })).rejects.toThrow(ConfigError);
    const err = sink();
    expect(await runCli(["run", "x.elf", "--virt", "hw"], { stdout: sink().stream, stderr: err.stream, stdin: null })).toBe(2);
    expect(err.text()).toMatch(/--virt hw .* needs --kernel/);
    for (const bad of [["--cpu", "h=maybe"], ["--cpu", "vmx=on"], ["--virt", "sw"]]) {
      const e = sink();
      expect(await runCli(["run", "x.elf", ...bad], { stdout: sink().stream, stderr: e.stream, stdin: null })).toBe(2);
      expect(e.text()).toMatch(/--cpu|--virt/);
    }
  });

  it("--cpu h=on gives the guest H: misa.H and \"h\" in riscv,isa; without it neither", async () => {
    const withH = await Machine.create({ memorySize: 16 << 20, cpu: { h: true }, output: () => {} });
    const plain = await Machine.create({ memorySize: 16 << 20, output: () => {} });
    await withH.loadRaw(Uint8Array.of(0x6f, 0, 0, 0));
    await plain.loadRaw(Uint8Array.of(0x6f, 0, 0, 0));
    expect((withH.harts[0]!.misa >> 7n) & 1n).toBe(1n);
    expect((plain.harts[0]!.misa >> 7n) & 1n).toBe(0n);
    const text = (m: Machine) => Buffer.from(m.deviceTree()).toString("latin1");
    expect(text(withH)).toContain("rv64imafdch_zicntr");
    expect(text(plain)).toContain("rv64imafdc_zicntr");
    expect(text(plain)).not.toContain("rv64imafdch");
    // the hardware-assisted guest runs on H but is not given it
    const hw = await Machine.create({ memorySize: 16 << 20, virt: "hw", output: () => {} });
    expect(text(hw)).not.toContain("rv64imafdch");
  });
});
