// The flattened-device-tree builder (host/machine/fdt.ts) and the `virt` tree
// (host/machine/devicetree.ts): the blob layout against the Devicetree Specification, a round
// trip through our reader, Debian's `dtc` as an independent decompiler, and a structural
// comparison with the tree QEMU's own `virt` machine dumps.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DeviceTree, FdtError, FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_MAGIC, FDT_NOP, FDT_PROP, encodeU32, parseFdt,
  splitCells, type FdtNode,
} from "../../host/machine/fdt.js";
import { buildVirtDeviceTree, isaString, virtDeviceTreeBlob } from "../../host/machine/devicetree.js";
import { ConfigError } from "../../host/machine/errors.js";
import { Machine } from "../../host/machine/machine.js";
import { scriptedCore } from "./helpers.js";
import { EXIT_BUDGET } from "../../host/core/layout.generated.js";

const MiB = 1n << 20n;
const workDirectory = mkdtempSync(join(tmpdir(), "wasmvisor-fdt-"));
afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

function hasCommand(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}
const hasDtc = hasCommand("dtc", ["--version"]);
const hasQemu = hasCommand("qemu-system-riscv64", ["--version"]);

/** Decompiles `blob` with dtc; returns the source text and dtc's diagnostics. */
function decompile(blob: Uint8Array, name = "tree"): { dts: string; diagnostics: string[]; status: number | null } {
  const path = join(workDirectory, `${name}.dtb`);
  writeFileSync(path, blob);
  const result = spawnSync("dtc", ["-I", "dtb", "-O", "dts", path], { encoding: "utf8" });
  const diagnostics = result.stderr.split("\n").filter((line) => line.trim().length > 0);
  return { dts: result.stdout, diagnostics, status: result.status };
}

function header(blob: Uint8Array): number[] {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return Array.from({ length: 10 }, (_, index) => view.getUint32(4 * index));
}

function names(node: FdtNode): string[] {
  return node.children.map((child) => child.name);
}

describe("FDT builder: blob layout (Devicetree Specification §5)", () => {
  it("writes a version-17 header, an 8-byte aligned reservation block and 4-byte aligned blocks", () => {
    const tree = new DeviceTree();
    tree.root.setU32("#address-cells", 2);
    tree.reservations.push({ address: 0x8000_0000n, size: 0x20_0000n });
    tree.bootCpuId = 3;
    const blob = tree.toBytes();
    const [magic, total, offStruct, offStrings, offRsvmap, version, lastCompatible, bootCpu, sizeStrings, sizeStruct] = header(blob);
    expect(magic).toBe(FDT_MAGIC);
    expect(total).toBe(blob.length);
    expect([version, lastCompatible, bootCpu]).toEqual([17, 16, 3]);
    expect(offRsvmap! % 8).toBe(0);
    expect(offStruct! % 4).toBe(0);
    expect(offStruct).toBe(offRsvmap! + 32); // one entry plus the terminating pair
    expect(offStrings).toBe(offStruct! + sizeStruct!);
    expect(offStrings! + sizeStrings!).toBe(total);
    const view = new DataView(blob.buffer);
    expect(view.getBigUint64(offRsvmap!)).toBe(0x8000_0000n);
    expect(view.getBigUint64(offRsvmap! + 8)).toBe(0x20_0000n);
    expect(view.getBigUint64(offRsvmap! + 16)).toBe(0n);
    // root: BEGIN_NODE "" (padded to 4), PROP len nameoff value, END_NODE, END
    const words = Array.from({ length: sizeStruct! / 4 }, (_, i) => view.getUint32(offStruct! + 4 * i));
    expect(words).toEqual([FDT_BEGIN_NODE, 0, FDT_PROP, 4, 0, 2, FDT_END_NODE, FDT_END]);
    expect(new TextDecoder().decode(blob.subarray(offStrings!, total))).toBe("#address-cells\0");
  });

  it("stores each property name once in the strings block and pads values to 4 bytes", () => {
    const tree = new DeviceTree();
    tree.root.addChild("a").setString("compatible", "x");
    tree.root.addChild("b").setString("compatible", "hello");
    const blob = tree.toBytes();
    const [, total, , offStrings] = header(blob);
    expect(new TextDecoder().decode(blob.subarray(offStrings!, total))).toBe("compatible\0");
    const back = parseFdt(blob);
    expect(back.node("/a")!.strings("compatible")).toEqual(["x"]);
    expect(back.node("/b")!.strings("compatible")).toEqual(["hello"]);
  });

  it("round-trips every value type through the reader", () => {
    const tree = new DeviceTree();
    const node = tree.root.addChild("node@1000");
    const other = tree.root.addChild("other");
    const handle = tree.phandle(other);
    node.setEmpty("flag")
      .setU32("cells", 1, 0xffff_ffff, 0)
      .setU64("wide", 0x1_2345_6789n)
      .setString("text", "héllo")
      .setStrings("list", "a", "bc", "")
      .setU32("ref", handle)
      .setRegions("reg", [{ address: 0x1000_0000n, size: 0x100n }], 2, 1);
    const back = parseFdt(tree.toBytes());
    const copy = back.node("/node@1000")!;
    expect(copy.property("flag")).toEqual(new Uint8Array(0));
    expect(copy.u32s("cells")).toEqual([1, 0xffff_ffff, 0]);
    expect(copy.u32s("wide")).toEqual([1, 0x2345_6789]);
    expect(copy.strings("text")).toEqual(["héllo"]);
    expect(copy.strings("list")).toEqual(["a", "bc", ""]);
    expect(copy.u32s("ref")).toEqual([handle]);
    expect(copy.u32s("reg")).toEqual([0, 0x1000_0000, 0x100]);
    expect(back.node("/other")!.u32s("phandle")).toEqual([handle]);
    expect(back.phandle(back.root.addChild("fresh"))).toBe(handle + 1); // reader keeps phandles unique
    expect(copy.path).toBe("/node@1000");
  });

  it("gives each node one phandle, counting from 1", () => {
    const tree = new DeviceTree();
    const a = tree.root.addChild("a"), b = tree.root.addChild("b");
    expect(tree.phandle(a)).toBe(1);
    expect(tree.phandle(b)).toBe(2);
    expect(tree.phandle(a)).toBe(1);
  });

  it("rejects invalid names, duplicate siblings, NULs in strings and oversized cells", () => {
    const tree = new DeviceTree();
    expect(() => tree.root.addChild("bad name")).toThrow(FdtError);
    expect(() => tree.root.addChild("")).toThrow(FdtError);
    tree.root.addChild("dup");
    expect(() => tree.root.addChild("dup")).toThrow(FdtError);
    expect(() => tree.root.setU32("bad/prop", 1)).toThrow(FdtError);
    expect(() => tree.root.setString("s", "a\0b")).toThrow(FdtError);
    expect(() => encodeU32(0x1_0000_0000)).toThrow(FdtError);
    expect(() => splitCells(1n << 64n, 2)).toThrow(FdtError);
    expect(splitCells(0x1_0000_0002n, 2)).toEqual([1, 2]);
  });

  it("the reader skips FDT_NOP tokens and rejects damaged blobs", () => {
    const tree = new DeviceTree();
    tree.root.addChild("child").setU32("x", 7);
    const blob = tree.toBytes();
    const [, , offStruct, , , , , , , sizeStruct] = header(blob);
    // Insert one FDT_NOP after the root's BEGIN_NODE token and its (empty, padded) name.
    const at = offStruct! + 8;
    const withNop = new Uint8Array(blob.length + 4);
    withNop.set(blob.subarray(0, at));
    new DataView(withNop.buffer).setUint32(at, FDT_NOP);
    withNop.set(blob.subarray(at), at + 4);
    const view = new DataView(withNop.buffer);
    view.setUint32(4, withNop.length); // totalsize
    view.setUint32(12, view.getUint32(12) + 4); // off_dt_strings
    view.setUint32(36, sizeStruct! + 4); // size_dt_struct
    expect(parseFdt(withNop).node("/child")!.u32s("x")).toEqual([7]);

    const badMagic = blob.slice();
    badMagic[0] = 0;
    expect(() => parseFdt(badMagic)).toThrow(/magic/);
    expect(() => parseFdt(blob.subarray(0, 20))).toThrow(FdtError);
    const badToken = blob.slice();
    new DataView(badToken.buffer).setUint32(offStruct!, 0x7);
    expect(() => parseFdt(badToken)).toThrow(/token/);
  });
});

describe("virt device tree: contents", () => {
  const tree = buildVirtDeviceTree({
    harts: 2, memorySize: 128n * MiB, bootargs: "console=ttyS0 earlycon",
    initrd: { start: 0x8400_0000n, end: 0x8412_3456n }, rngSeed: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
  });
  const back = parseFdt(tree.toBytes());

  it("has the root, /chosen and /memory properties Linux needs", () => {
    expect(back.root.u32s("#address-cells")).toEqual([2]);
    expect(back.root.u32s("#size-cells")).toEqual([2]);
    expect(back.root.strings("compatible")).toEqual(["riscv-virtio"]);
    expect(back.root.strings("model")).toEqual(["riscv-virtio,wasmvisor"]);
    const chosen = back.node("/chosen")!;
    expect(chosen.strings("bootargs")).toEqual(["console=ttyS0 earlycon"]);
    expect(chosen.strings("stdout-path")).toEqual(["/soc/serial@10000000"]);
    expect(chosen.u32s("linux,initrd-start")).toEqual([0, 0x8400_0000]);
    expect(chosen.u32s("linux,initrd-end")).toEqual([0, 0x8412_3456]);
    expect(chosen.property("rng-seed")).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    const memory = back.node("/memory@80000000")!;
    expect(memory.strings("device_type")).toEqual(["memory"]);
    expect(memory.u32s("reg")).toEqual([0, 0x8000_0000, 0, 0x0800_0000]);
  });

  it("describes every hart with its ISA, MMU and local interrupt controller", () => {
    const cpus = back.node("/cpus")!;
    expect(cpus.u32s("timebase-frequency")).toEqual([10_000_000]);
    expect(cpus.u32s("#address-cells")).toEqual([1]);
    expect(cpus.u32s("#size-cells")).toEqual([0]);
    for (const hart of [0, 1]) {
      const cpu = back.node(`/cpus/cpu@${hart}`)!;
      expect(cpu.strings("device_type")).toEqual(["cpu"]);
      expect(cpu.u32s("reg")).toEqual([hart]);
      expect(cpu.strings("status")).toEqual(["okay"]);
      expect(cpu.strings("compatible")).toEqual(["riscv"]);
      expect(cpu.strings("riscv,isa")).toEqual(["rv64imafdc_zicntr_zicsr_zifencei_zihintpause_sstc"]);
      expect(cpu.strings("riscv,isa-base")).toEqual(["rv64i"]);
      expect(cpu.strings("riscv,isa-extensions")).toEqual(
        ["i", "m", "a", "f", "d", "c", "zicntr", "zicsr", "zifencei", "zihintpause", "sstc"]);
      expect(cpu.strings("mmu-type")).toEqual(["riscv,sv48"]);
      const intc = cpu.child("interrupt-controller")!;
      expect(intc.strings("compatible")).toEqual(["riscv,cpu-intc"]);
      expect(intc.u32s("#interrupt-cells")).toEqual([1]);
      expect(intc.property("interrupt-controller")).toEqual(new Uint8Array(0));
      expect(intc.u32s("phandle")).toHaveLength(1);
      expect(back.node(`/cpus/cpu-map/cluster0/core${hart}`)!.u32s("cpu")).toEqual(cpu.u32s("phandle"));
    }
  });

  it("routes CLINT and PLIC outputs to each hart's controller (QEMU context order)", () => {
    const intc = (hart: number) => back.node(`/cpus/cpu@${hart}/interrupt-controller`)!.u32s("phandle")![0]!;
    const [i0, i1] = [intc(0), intc(1)];
    const clint = back.node("/soc/clint@2000000")!;
    expect(clint.strings("compatible")).toEqual(["sifive,clint0", "riscv,clint0"]);
    expect(clint.u32s("reg")).toEqual([0, 0x200_0000, 0, 0x1_0000]);
    expect(clint.u32s("interrupts-extended")).toEqual([i0, 3, i0, 7, i1, 3, i1, 7]);
    const plic = back.node("/soc/plic@c000000")!;
    expect(plic.strings("compatible")).toEqual(["sifive,plic-1.0.0", "riscv,plic0"]);
    expect(plic.u32s("reg")).toEqual([0, 0xc00_0000, 0, 0x60_0000]);
    expect(plic.u32s("#interrupt-cells")).toEqual([1]);
    expect(plic.u32s("#address-cells")).toEqual([0]);
    expect(plic.property("interrupt-controller")).toBeDefined();
    expect(plic.u32s("riscv,ndev")).toEqual([95]);
    expect(plic.u32s("interrupts-extended")).toEqual([i0, 11, i0, 9, i1, 11, i1, 9]);
  });

  it("has the UART, RTC, finisher with poweroff/reboot, and eight virtio-mmio slots", () => {
    const soc = back.node("/soc")!;
    expect(soc.strings("compatible")).toEqual(["simple-bus"]);
    expect(soc.property("ranges")).toEqual(new Uint8Array(0));
    const plic = back.node("/soc/plic@c000000")!.u32s("phandle")!;
    const serial = back.node("/soc/serial@10000000")!;
    expect(serial.strings("compatible")).toEqual(["ns16550a"]);
    expect(serial.u32s("reg")).toEqual([0, 0x1000_0000, 0, 0x100]);
    expect(serial.u32s("clock-frequency")).toEqual([3_686_400]);
    expect(serial.u32s("interrupts")).toEqual([10]);
    expect(serial.u32s("interrupt-parent")).toEqual(plic);
    const rtc = back.node("/soc/rtc@101000")!;
    expect(rtc.strings("compatible")).toEqual(["google,goldfish-rtc"]);
    expect(rtc.u32s("reg")).toEqual([0, 0x10_1000, 0, 0x1000]);
    expect(rtc.u32s("interrupts")).toEqual([11]);
    expect(rtc.u32s("interrupt-parent")).toEqual(plic);
    const test = back.node("/soc/test@100000")!;
    expect(test.strings("compatible")).toEqual(["sifive,test1", "sifive,test0", "syscon"]);
    const poweroff = back.node("/poweroff")!, reboot = back.node("/reboot")!;
    expect(poweroff.strings("compatible")).toEqual(["syscon-poweroff"]);
    expect(poweroff.u32s("regmap")).toEqual(test.u32s("phandle"));
    expect([poweroff.u32s("offset"), poweroff.u32s("value")]).toEqual([[0], [0x5555]]);
    expect(reboot.strings("compatible")).toEqual(["syscon-reboot"]);
    expect(reboot.u32s("regmap")).toEqual(test.u32s("phandle"));
    expect(reboot.u32s("value")).toEqual([0x7777]);
    for (let slot = 0; slot < 8; slot++) {
      const base = 0x1000_1000 + slot * 0x1000;
      const node = back.node(`/soc/virtio_mmio@${base.toString(16)}`)!;
      expect(node.strings("compatible")).toEqual(["virtio,mmio"]);
      expect(node.u32s("reg")).toEqual([0, base, 0, 0x1000]);
      expect(node.u32s("interrupts")).toEqual([slot + 1]);
      expect(node.u32s("interrupt-parent")).toEqual(plic);
    }
  });

  it("follows the configuration: slots, harts, MMU, extensions, optional /chosen entries", () => {
    const small = parseFdt(virtDeviceTreeBlob({
      harts: 1, memorySize: 64 * 1024 * 1024, virtioSlots: [3, 0], mmuType: "sv39", isaExtensions: ["zicsr"],
    }));
    expect(names(small.node("/soc")!).filter((n) => n.startsWith("virtio"))).toEqual(["virtio_mmio@10001000", "virtio_mmio@10004000"]);
    expect(small.node("/soc/virtio_mmio@10004000")!.u32s("interrupts")).toEqual([4]);
    expect(names(small.node("/cpus")!)).toEqual(["cpu@0", "cpu-map"]);
    expect(small.node("/cpus/cpu@0")!.strings("mmu-type")).toEqual(["riscv,sv39"]);
    expect(small.node("/cpus/cpu@0")!.strings("riscv,isa")).toEqual(["rv64imafdc_zicsr"]);
    const chosen = small.node("/chosen")!;
    expect([...chosen.properties.keys()]).toEqual(["stdout-path"]);
    expect(isaString([])).toBe("rv64imafdc");
    expect(() => buildVirtDeviceTree({ harts: 1, memorySize: 1, virtioSlots: [8] })).toThrow(ConfigError);
    expect(() => buildVirtDeviceTree({ harts: 1, memorySize: 1, virtioSlots: [1, 1] })).toThrow(ConfigError);
    expect(() => buildVirtDeviceTree({ harts: 0, memorySize: 1 })).toThrow(ConfigError);
    expect(() => buildVirtDeviceTree({ harts: 1, memorySize: 1, isaExtensions: ["Zba"] })).toThrow(ConfigError);
    expect(() => buildVirtDeviceTree({ harts: 1, memorySize: 1, initrd: { start: 10n, end: 5n } })).toThrow(ConfigError);
  });

  it("Machine.deviceTree() describes the machine's harts and RAM", async () => {
    const machine = await Machine.create({
      memorySize: 1 << 20, harts: 2, output: () => {}, coreFactory: scriptedCore(() => EXIT_BUDGET),
    });
    const blob = machine.deviceTree({ bootargs: "quiet", virtioSlots: [0] });
    const parsed = parseFdt(blob);
    expect(parsed.node("/memory@80000000")!.u32s("reg")).toEqual([0, 0x8000_0000, 0, 1 << 20]);
    expect(parsed.node("/cpus/cpu@1")).toBeDefined();
    expect(parsed.node("/chosen")!.strings("bootargs")).toEqual(["quiet"]);
    expect(names(parsed.node("/soc")!).filter((n) => n.startsWith("virtio"))).toEqual(["virtio_mmio@10001000"]);
    machine.dispose();
  });
});

describe.skipIf(!hasDtc)("virt device tree: decompiled by dtc", () => {
  const blob = virtDeviceTreeBlob({
    harts: 2, memorySize: 128n * MiB, bootargs: "console=ttyS0",
    initrd: { start: 0x8800_0000n, end: 0x8810_0000n }, reservations: [{ address: 0x8000_0000n, size: 0x4_0000n }],
  });

  it("dtc reads it without errors; its only warnings are QEMU's own (cpu-intc without #address-cells)", () => {
    const { dts, diagnostics, status } = decompile(blob, "virt");
    expect(status).toBe(0);
    expect(diagnostics.filter((line) => /error/i.test(line))).toEqual([]);
    for (const line of diagnostics) {
      expect(line).toMatch(/Warning \(interrupt_provider\): \/cpus\/cpu@\d\/interrupt-controller: Missing #address-cells/);
    }
    expect(dts).toContain("/memreserve/\t0x0000000080000000 0x0000000000040000;");
    for (const expected of [
      'compatible = "riscv-virtio";', 'bootargs = "console=ttyS0";', 'stdout-path = "/soc/serial@10000000";',
      "linux,initrd-start = <0x00 0x88000000>;", "memory@80000000 {", "reg = <0x00 0x80000000 0x00 0x8000000>;",
      "timebase-frequency = <0x989680>;", 'mmu-type = "riscv,sv48";', 'compatible = "riscv,cpu-intc";',
      'compatible = "sifive,clint0\\0riscv,clint0";', 'compatible = "sifive,plic-1.0.0\\0riscv,plic0";',
      "riscv,ndev = <0x5f>;", "plic@c000000 {", "serial@10000000 {", "interrupts = <0x0a>;", "rtc@101000 {",
      'compatible = "google,goldfish-rtc";', "interrupts = <0x0b>;", "test@100000 {",
      'compatible = "sifive,test1\\0sifive,test0\\0syscon";', 'compatible = "syscon-poweroff";', "value = <0x5555>;",
      'compatible = "syscon-reboot";', "value = <0x7777>;", "virtio_mmio@10008000 {", "interrupts = <0x08>;",
    ]) {
      expect(dts).toContain(expected);
    }
  });

  it("dtc's own DTB of the decompiled source reads back to the same tree", () => {
    const source = join(workDirectory, "again.dts");
    writeFileSync(source, decompile(blob, "again").dts);
    const recompiled = new Uint8Array(execFileSync("dtc", ["-q", "-I", "dts", "-O", "dtb", source]));
    const ours = parseFdt(blob), theirs = parseFdt(recompiled);
    const flatten = (tree: DeviceTree) => {
      const out: string[] = [];
      const walk = (node: FdtNode) => {
        for (const [name, value] of node.properties) out.push(`${node.path}:${name}=${Buffer.from(value).toString("hex")}`);
        node.children.forEach(walk);
      };
      walk(tree.root);
      return out;
    };
    expect(flatten(theirs)).toEqual(flatten(ours));
    expect(theirs.reservations).toEqual(ours.reservations);
  });
});

describe.skipIf(!hasQemu)("virt device tree: compared with QEMU's virt DTB", () => {
  it("every node we describe exists in QEMU's tree with the same compatible, reg and interrupts", () => {
    const qemuPath = join(workDirectory, "qemu.dtb");
    spawnSync("qemu-system-riscv64", ["-machine", `virt,dumpdtb=${qemuPath}`, "-m", "128M", "-smp", "2", "-nographic",
      "-display", "none"], { stdio: "ignore", timeout: 30_000 });
    const qemu = parseFdt(new Uint8Array(readFileSync(qemuPath)));
    const ours = buildVirtDeviceTree({ harts: 2, memorySize: 128n * MiB });
    for (const path of ["/soc", "/cpus", "/"]) {
      const mine = ours.node(path)!, theirs = qemu.node(path)!;
      for (const child of mine.children) {
        if (child.name === "cpu-map") continue;
        const twin = theirs.child(child.name);
        expect(twin, `${child.path} in QEMU's tree`).toBeDefined();
        for (const property of ["compatible", "reg", "interrupts", "device_type", "value", "offset", "#interrupt-cells"]) {
          expect(child.property(property), `${child.path}:${property}`).toEqual(twin!.property(property));
        }
      }
    }
    for (const property of ["#address-cells", "#size-cells", "compatible"]) {
      expect(ours.root.property(property)).toEqual(qemu.root.property(property));
    }
    expect(ours.node("/cpus")!.property("timebase-frequency")).toEqual(qemu.node("/cpus")!.property("timebase-frequency"));
    expect(ours.node("/cpus/cpu@0")!.property("mmu-type")).toEqual(qemu.node("/cpus/cpu@0")!.property("mmu-type"));
    // QEMU announces riscv,ndev = 96 where its PLIC has sources 1..95; we announce 95.
    expect(qemu.node("/soc/plic@c000000")!.u32s("riscv,ndev")![0]).toBeGreaterThanOrEqual(95);
  });
});
