// The `virt` board's device tree, generated from the machine's configuration with the builder in
// fdt.ts. It describes what QEMU's `virt` machine describes for the devices wasmvisor has, with
// the same node names, unit addresses and interrupt numbers (DESIGN.md §1), so that Linux,
// OpenSBI and U-Boot find every device where they look on QEMU. Property names follow the
// Devicetree Specification v0.4 (§2.3 standard properties, §2.4 interrupts, §3.4 /memory, §3.6
// /chosen, §3.7 /cpus, §3.8 cpu nodes) and Linux 6.1's bindings (Documentation/devicetree/
// bindings): riscv/cpus.yaml, interrupt-controller/riscv,cpu-intc.txt and sifive,plic-1.0.0.yaml,
// timer/sifive,clint.yaml, serial/8250.yaml, rtc/google,goldfish-rtc.txt, virtio/mmio.yaml,
// power/reset/syscon-poweroff.yaml and syscon-reboot.yaml.
//
//   /                      #address-cells = #size-cells = 2, compatible "riscv-virtio", model
//   /chosen                bootargs, stdout-path, linux,initrd-start/-end, rng-seed
//   /memory@80000000       device_type "memory", reg
//   /cpus                  timebase-frequency (10 MHz, the CLINT's mtime), one cpu@N per hart:
//     cpu@N                  riscv,isa (+ riscv,isa-base / riscv,isa-extensions), mmu-type,
//       interrupt-controller   the hart-local controller ("riscv,cpu-intc"), target of the
//                              CLINT's and PLIC's interrupts-extended
//     cpu-map                one cluster holding every hart
//   /poweroff, /reboot     syscon-poweroff (0x5555) and syscon-reboot (0x7777) on test@100000;
//                          at the root, as on QEMU: children of a plain "syscon" node would not
//                          be probed by Linux, which only looks below buses
//   /soc                   simple-bus, identity `ranges`:
//     clint@2000000        interrupts-extended: <&intcN 3 &intcN 7> per hart (MSIP, MTIP)
//     plic@c000000         interrupts-extended: <&intcN 11 &intcN 9> per hart (contexts 2N, 2N+1)
//     serial@10000000      ns16550a, PLIC source 10
//     rtc@101000           google,goldfish-rtc, PLIC source 11
//     test@100000          sifive,test1 / sifive,test0 / syscon (the finisher)
//     virtio_mmio@1000N000 one per configured slot, PLIC source N
import { PLIC_VIRT_SOURCES, IRQ_MACHINE_EXTERNAL, IRQ_SUPERVISOR_EXTERNAL } from "../devices/plic.js";
import { RTC_IRQ } from "../devices/rtc.js";
import { CLINT_SIZE, IRQ_MACHINE_SOFTWARE, IRQ_MACHINE_TIMER } from "../devices/clint.js";
import { FINISHER_PASS, FINISHER_RESET, SYSCON_SIZE } from "../devices/syscon.js";
import { UART_SIZE } from "../devices/uart16550.js";
import { MTIME_FREQUENCY_HZ } from "./clock.js";
import { ConfigError } from "./errors.js";
import { DeviceTree, type FdtNode, type FdtReservation } from "./fdt.js";
import {
  VIRT_CLINT_BASE, VIRT_DRAM_BASE, VIRT_PLIC_BASE, VIRT_PLIC_SIZE, VIRT_RTC_BASE, VIRT_RTC_SIZE, VIRT_SYSCON_BASE,
  VIRT_UART0_BASE, VIRT_UART0_IRQ, VIRT_VIRTIO_BASE, VIRT_VIRTIO_COUNT, VIRT_VIRTIO_SIZE, virtioIrq,
} from "./virt.js";

/** Single-letter extensions of the hart, in canonical order (RV64IMAFDC). */
export const DEFAULT_ISA_LETTERS = ["i", "m", "a", "f", "d", "c"] as const;
/** Multi-letter extensions the core implements (DESIGN.md §1). */
export const DEFAULT_ISA_EXTENSIONS = ["zicntr", "zicsr", "zifencei", "zihintpause", "sstc"] as const;
/** Frequency of the CLINT's mtime, as `timebase-frequency`. */
export const VIRT_TIMEBASE_FREQUENCY = MTIME_FREQUENCY_HZ;
/** UART0's input clock as QEMU `virt` declares it (1.8432 MHz × 2). */
export const VIRT_UART_CLOCK_FREQUENCY = 3_686_400;
/** Path of UART0, the default stdout-path. */
export const VIRT_UART0_PATH = `/soc/serial@${VIRT_UART0_BASE.toString(16)}`;

/** What the `virt` device tree is generated from. */
export interface VirtDeviceTreeConfig {
  /** Number of harts (1 or more). */
  harts: number;
  /** Guest DRAM size in bytes. */
  memorySize: bigint | number;
  /** Guest physical base of DRAM (default 0x8000_0000). */
  memoryBase?: bigint;
  /** Kernel command line (/chosen/bootargs; omitted when undefined). */
  bootargs?: string;
  /** Guest physical range of an initrd already placed in RAM: [start, end). */
  initrd?: { start: bigint; end: bigint };
  /** Bytes for /chosen/rng-seed (omitted when undefined or empty). */
  rngSeed?: Uint8Array;
  /** Translation mode of every hart (default "sv48"). */
  mmuType?: "sv39" | "sv48";
  /** Single-letter extensions (default DEFAULT_ISA_LETTERS; "h" is added for a guest given H). */
  isaLetters?: readonly string[];
  /** Multi-letter ISA extensions (default DEFAULT_ISA_EXTENSIONS). */
  isaExtensions?: readonly string[];
  /** virtio-mmio slots (0..7) that get a node (default all eight, like QEMU). */
  virtioSlots?: readonly number[];
  /** Number of PLIC sources, `riscv,ndev` (default 95). */
  plicSources?: number;
  /** The root `model` (default "riscv-virtio,wasmvisor"). */
  model?: string;
  /** /chosen/stdout-path (default UART0). */
  stdoutPath?: string;
  /** Entries of the DTB's memory reservation block (default none). */
  reservations?: readonly FdtReservation[];
}

/** Builds the `virt` board's device tree for `config` (ConfigError on an invalid configuration). */
export function buildVirtDeviceTree(config: VirtDeviceTreeConfig): DeviceTree {
  const harts = config.harts;
  if (!Number.isInteger(harts) || harts < 1) throw new ConfigError(`a device tree needs at least one hart (got ${harts})`);
  const memorySize = BigInt(config.memorySize);
  if (memorySize <= 0n) throw new ConfigError(`memory size must be positive (got ${memorySize})`);
  const slots = config.virtioSlots ?? Array.from({ length: VIRT_VIRTIO_COUNT }, (_, slot) => slot);
  for (const slot of slots) {
    if (!Number.isInteger(slot) || slot < 0 || slot >= VIRT_VIRTIO_COUNT) {
      throw new ConfigError(`virtio-mmio slot ${slot} does not exist (slots are 0..${VIRT_VIRTIO_COUNT - 1})`);
    }
  }
  if (new Set(slots).size !== slots.length) throw new ConfigError("a virtio-mmio slot is listed twice");

  const tree = new DeviceTree();
  const root = tree.root;
  root.setU32("#address-cells", 2).setU32("#size-cells", 2);
  root.setString("compatible", "riscv-virtio");
  root.setString("model", config.model ?? "riscv-virtio,wasmvisor");

  addChosen(root, config);
  const memoryBase = config.memoryBase ?? BigInt(VIRT_DRAM_BASE);
  root.addChild(`memory@${memoryBase.toString(16)}`)
    .setString("device_type", "memory")
    .setRegions("reg", [{ address: memoryBase, size: memorySize }]);
  const intcs = addCpus(tree, config);

  const soc = root.addChild("soc");
  soc.setU32("#address-cells", 2).setU32("#size-cells", 2);
  soc.setString("compatible", "simple-bus");
  soc.setEmpty("ranges");

  soc.addChild(`clint@${VIRT_CLINT_BASE.toString(16)}`)
    .setStrings("compatible", "sifive,clint0", "riscv,clint0")
    .setRegions("reg", [region(VIRT_CLINT_BASE, CLINT_SIZE)])
    .setU32("interrupts-extended", ...intcs.flatMap((intc) => [intc, IRQ_MACHINE_SOFTWARE, intc, IRQ_MACHINE_TIMER]));

  const plicNode = soc.addChild(`plic@${VIRT_PLIC_BASE.toString(16)}`);
  const plic = tree.phandle(plicNode);
  plicNode.setStrings("compatible", "sifive,plic-1.0.0", "riscv,plic0")
    .setRegions("reg", [region(VIRT_PLIC_BASE, VIRT_PLIC_SIZE)])
    .setU32("#address-cells", 0)
    .setU32("#interrupt-cells", 1)
    .setEmpty("interrupt-controller")
    .setU32("riscv,ndev", config.plicSources ?? PLIC_VIRT_SOURCES)
    // Context 2N is hart N's M-mode context (MEIP), 2N + 1 its S-mode context (SEIP).
    .setU32("interrupts-extended", ...intcs.flatMap((intc) => [intc, IRQ_MACHINE_EXTERNAL, intc, IRQ_SUPERVISOR_EXTERNAL]));

  soc.addChild(`serial@${VIRT_UART0_BASE.toString(16)}`)
    .setString("compatible", "ns16550a")
    .setRegions("reg", [region(VIRT_UART0_BASE, UART_SIZE)])
    .setU32("clock-frequency", VIRT_UART_CLOCK_FREQUENCY)
    .setU32("interrupt-parent", plic)
    .setU32("interrupts", VIRT_UART0_IRQ);

  soc.addChild(`rtc@${VIRT_RTC_BASE.toString(16)}`)
    .setString("compatible", "google,goldfish-rtc")
    .setRegions("reg", [region(VIRT_RTC_BASE, VIRT_RTC_SIZE)])
    .setU32("interrupt-parent", plic)
    .setU32("interrupts", RTC_IRQ);

  const testNode = soc.addChild(`test@${VIRT_SYSCON_BASE.toString(16)}`);
  const syscon = tree.phandle(testNode);
  testNode.setStrings("compatible", "sifive,test1", "sifive,test0", "syscon")
    .setRegions("reg", [region(VIRT_SYSCON_BASE, SYSCON_SIZE)]);
  addSysconAction(root, "poweroff", syscon, FINISHER_PASS);
  addSysconAction(root, "reboot", syscon, FINISHER_RESET);

  for (const slot of [...slots].sort((a, b) => a - b)) {
    const base = VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_SIZE;
    soc.addChild(`virtio_mmio@${base.toString(16)}`)
      .setString("compatible", "virtio,mmio")
      .setRegions("reg", [region(base, VIRT_VIRTIO_SIZE)])
      .setU32("interrupt-parent", plic)
      .setU32("interrupts", virtioIrq(slot));
  }

  for (const reservation of config.reservations ?? []) tree.reservations.push({ ...reservation });
  return tree;
}

/** Builds the `virt` device tree for `config` and serialises it to DTB bytes. */
export function virtDeviceTreeBlob(config: VirtDeviceTreeConfig): Uint8Array {
  return buildVirtDeviceTree(config).toBytes();
}

/** The `riscv,isa` string for the given extensions, e.g. "rv64imafdc_zicsr_zifencei". */
export function isaString(extensions: readonly string[] = DEFAULT_ISA_EXTENSIONS,
                          letters: readonly string[] = DEFAULT_ISA_LETTERS): string {
  return ["rv64" + letters.join(""), ...extensions].join("_");
}

function addChosen(root: FdtNode, config: VirtDeviceTreeConfig): void {
  const chosen = root.addChild("chosen");
  if (config.bootargs !== undefined) chosen.setString("bootargs", config.bootargs);
  chosen.setString("stdout-path", config.stdoutPath ?? VIRT_UART0_PATH);
  if (config.initrd) {
    const { start, end } = config.initrd;
    if (start < 0n || end < start) throw new ConfigError(`invalid initrd range [0x${start.toString(16)}, 0x${end.toString(16)})`);
    // Linux reads these as one or two cells (drivers/of/fdt.c); two cells hold any address.
    chosen.setU64("linux,initrd-start", start);
    chosen.setU64("linux,initrd-end", end);
  }
  if (config.rngSeed && config.rngSeed.length > 0) chosen.setBytes("rng-seed", config.rngSeed);
}

// /cpus with one cpu@N per hart; returns the phandle of each hart's interrupt controller.
function addCpus(tree: DeviceTree, config: VirtDeviceTreeConfig): number[] {
  const cpus = tree.root.addChild("cpus");
  cpus.setU32("#address-cells", 1).setU32("#size-cells", 0);
  cpus.setU32("timebase-frequency", VIRT_TIMEBASE_FREQUENCY);
  const extensions = config.isaExtensions ?? DEFAULT_ISA_EXTENSIONS;
  const letters = config.isaLetters ?? DEFAULT_ISA_LETTERS;
  for (const letter of letters) {
    if (!/^[a-z]$/.test(letter)) throw new ConfigError(`ISA letter ${JSON.stringify(letter)} is not a single lowercase letter`);
  }
  for (const extension of extensions) {
    if (!/^[a-z][a-z0-9]*$/.test(extension) || extension.length < 2) {
      throw new ConfigError(`ISA extension ${JSON.stringify(extension)} is not a lowercase multi-letter name`);
    }
  }
  const cpuHandles: number[] = [];
  const intcHandles: number[] = [];
  for (let hart = 0; hart < config.harts; hart++) {
    const cpu = cpus.addChild(`cpu@${hart.toString(16)}`);
    cpuHandles.push(tree.phandle(cpu));
    cpu.setString("device_type", "cpu")
      .setU32("reg", hart)
      .setString("status", "okay")
      .setString("compatible", "riscv")
      .setString("riscv,isa", isaString(extensions, letters))
      .setString("riscv,isa-base", "rv64i")
      .setStrings("riscv,isa-extensions", ...letters, ...extensions)
      .setString("mmu-type", `riscv,${config.mmuType ?? "sv48"}`);
    const intc = cpu.addChild("interrupt-controller");
    intc.setU32("#interrupt-cells", 1)
      .setEmpty("interrupt-controller")
      .setString("compatible", "riscv,cpu-intc");
    intcHandles.push(tree.phandle(intc));
  }
  const cluster = cpus.addChild("cpu-map").addChild("cluster0");
  cpuHandles.forEach((handle, hart) => cluster.addChild(`core${hart}`).setU32("cpu", handle));
  return intcHandles;
}

function addSysconAction(root: FdtNode, name: string, regmap: number, value: number): void {
  root.addChild(name)
    .setString("compatible", `syscon-${name}`)
    .setU32("regmap", regmap)
    .setU32("offset", 0)
    .setU32("value", value);
}

function region(address: number, size: number): FdtReservation {
  return { address: BigInt(address), size: BigInt(size) };
}
