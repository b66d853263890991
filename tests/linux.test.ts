// Linux 6.1 (built from Debian's linux-source-6.1 with our config) and a busybox initramfs boot
// on wasmvisor under both boot paths, and the shell is used through the console the way a person
// would: uname, /proc/cpuinfo, a checksum of a file on the virtio-blk disk, a write that survives
// a guest reboot, and a clean power-off. Bad kernel and disk inputs give clear errors.
import { afterEach, describe, expect, it } from "vitest";
import { existsSync, writeFileSync, mkdtempSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Machine, LoadError } from "../host/index.js";
import { bootLinux } from "../host/vmm/linux-boot.js";
import { DiskError } from "../host/virtio/index.js";
import { bootSession, diskChecksums, KERNEL, INITRD, DISK, type LinuxSession } from "./linux/session.js";

const haveImages = existsSync(KERNEL) && existsSync(INITRD) && existsSync(DISK);
const haveOpenSbi = existsSync("/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin");
let session: LinuxSession | undefined;
afterEach(() => { session?.cleanup(); session = undefined; });

describe.skipIf(!haveImages)("Linux on the interpreter", () => {
  it("direct boot (the VMM answers SBI): shell commands, disk checksum, write + reboot + read back, poweroff", async () => {
    session = await bootSession("none");
    await session.expect(/wasmvisor: user space ready/, 120_000);
    await session.expect(/[#$] $/m);
    const uname = await session.command("uname -a");
    expect(uname).toMatch(/^Linux \S+ 6\.1\.\d+\S* .* riscv64/);
    const cpuinfo = await session.command("cat /proc/cpuinfo");
    expect(cpuinfo).toMatch(/isa\s*:\s*rv64imafdc/);
    expect(cpuinfo).toMatch(/mmu\s*:\s*sv48/);
    for (const [file, sum] of diskChecksums()) {
      expect(await session.command(`sha256sum /mnt/${file}`)).toContain(sum);
    }
    await session.command("echo written-by-the-guest-$((6*7)) > /mnt/note.txt && sync");
    session.send("reboot -f\n");
    await session.expect(/wasmvisor: user space ready/, 120_000); // the second boot
    await session.expect(/[#$] $/m);
    expect(await session.command("cat /mnt/note.txt")).toBe("written-by-the-guest-42");
    expect(session.machine.stats().resets).toBe(1);
    session.send("poweroff -f\n");
    expect(await session.finished).toMatchObject({ reason: "poweroff", exitCode: 0 });
    const sbi = session.machine.stats().exits["ecall"] ?? 0n;
    expect(sbi).toBeGreaterThan(0n); // SBI calls reached the VMM
  }, 300_000);

  it.skipIf(!haveOpenSbi)("firmware boot (OpenSBI in M-mode): shell commands and poweroff", async () => {
    session = await bootSession("opensbi");
    await session.expect(/OpenSBI v\d/);
    await session.expect(/wasmvisor: user space ready/, 120_000);
    await session.expect(/[#$] $/m);
    expect(await session.command("uname -m")).toBe("riscv64");
    const sums = diskChecksums();
    const [file, sum] = [...sums.entries()][0]!;
    expect(await session.command(`sha256sum /mnt/${file}`)).toContain(sum);
    expect(await session.command("cat /proc/cpuinfo")).toMatch(/isa\s*:\s*rv64imafdc/);
    session.send("poweroff -f\n");
    expect(await session.finished).toMatchObject({ reason: "poweroff", exitCode: 0 });
    expect(session.machine.stats().exits["ecall"] ?? 0n).toBe(0n); // the firmware, not the VMM, answered SBI
  }, 300_000);
});

describe.skipIf(!haveImages)("Linux SMP", () => {
  it("two harts: the second is started through SBI HSM and both run the kernel", async () => {
    let text = "";
    const decoder = new TextDecoder();
    const machine = await Machine.create({ harts: 2, maxInstructions: 5_000_000_000n,
      output: (bytes: Uint8Array) => { text += decoder.decode(bytes, { stream: true }); } });
    await bootLinux(machine, { kernel: KERNEL, initrd: INITRD, append: "console=ttyS0 wvmode=poweroff" });
    expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 0 });
    expect(text).toMatch(/smp: Brought up 1 node, 2 CPUs/);
    expect(text).toContain("wasmvisor: user space ready");
    const perHart = machine.stats().harts.map((h) => h.instructions);
    expect(perHart[1]).toBeGreaterThan(1_000_000n); // hart 1 really ran
  }, 120_000);
});

describe.skipIf(!haveImages)("Linux on the translator", () => {
  it("--engine dbt: the kernel boots and the guest's own selftest passes, disk checks included", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wasmvisor-dbt-"));
    const disk = join(dir, "disk.ext2");
    writeFileSync(disk, gunzipSync(readFileSync(DISK)));
    let text = "";
    const decoder = new TextDecoder();
    // A low hotness threshold (the default is tuned for speed) puts most of the kernel's code
    // through the translator.
    const machine = await Machine.create({ engine: "dbt", dbtThreshold: 50, maxInstructions: 5_000_000_000n,
      output: (bytes: Uint8Array) => { text += decoder.decode(bytes, { stream: true }); },
      virtio: [{ type: "blk", path: disk }, { type: "rng" }] });
    await bootLinux(machine, { kernel: KERNEL, initrd: INITRD, append: "console=ttyS0 wvmode=selftest" });
    expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 0 });
    machine.dispose();
    expect(text).toContain("selftest: ok   disk: write, sync, read back");
    expect(text).toContain("wasmvisor: selftest PASS");
    expect(machine.stats().dbt?.compiles ?? 0).toBeGreaterThan(100); // translated code really ran
  }, 180_000);
});

describe("bad Linux inputs", () => {
  it("a corrupt kernel image is a LoadError, not a crash", async () => {
    const machine = await Machine.create({ output: () => {} });
    const garbage = new Uint8Array(4096).map((_, i) => (i * 37) & 0xff);
    await expect(bootLinux(machine, { kernel: garbage })).rejects.toThrow(LoadError);
    await expect(bootLinux(machine, { kernel: garbage })).rejects.toThrow(/not a RISC-V Linux Image/);
    const truncatedGzip = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3);
    await expect(bootLinux(machine, { kernel: truncatedGzip })).rejects.toThrow(/corrupt gzip/);
  });

  it("a kernel that does not fit in RAM is refused", async () => {
    const machine = await Machine.create({ memorySize: 4 << 20, output: () => {} });
    const header = new Uint8Array(64);
    const view = new DataView(header.buffer);
    view.setBigUint64(8, 0x20_0000n, true); // text_offset
    view.setBigUint64(16, 64n << 20n, true); // image_size: 64 MiB
    view.setUint32(56, 0x05435352, true); // "RSC\x05"
    await expect(bootLinux(machine, { kernel: header })).rejects.toThrow(/RAM ends at/);
  });

  it("a missing or unreadable disk image is a clear error at machine creation", async () => {
    await expect(Machine.create({ output: () => {}, virtio: [{ type: "blk", path: "/nonexistent/disk.img" }] }))
      .rejects.toThrow(DiskError);
    const dir = mkdtempSync(join(tmpdir(), "wasmvisor-"));
    await expect(Machine.create({ output: () => {}, virtio: [{ type: "blk", path: dir }] })).rejects.toThrow(/directory/);
    const empty = join(dir, "empty.img");
    writeFileSync(empty, new Uint8Array(0));
    const machine = await Machine.create({ output: () => {}, virtio: [{ type: "blk", path: empty, readOnly: true }] });
    machine.dispose();
  });

  it("missing firmware names the package to install", async () => {
    const machine = await Machine.create({ output: () => {} });
    const header = new Uint8Array(4096);
    const view = new DataView(header.buffer);
    view.setBigUint64(8, 0x20_0000n, true);
    view.setBigUint64(16, 4096n, true);
    view.setUint32(56, 0x05435352, true);
    await expect(bootLinux(machine, { kernel: header, bios: "/nonexistent/fw.bin" })).rejects.toThrow(/not found/);
  });
});
