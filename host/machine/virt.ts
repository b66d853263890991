// The `virt` board (DESIGN.md §1): QEMU's memory map and interrupt numbers, so one guest image
// runs on QEMU and on wasmvisor unchanged, and the assembly of the devices that exist so far
// (syscon, goldfish RTC, CLINT, PLIC, UART0; HTIF beside the bus). Device interrupts are wires
// into the PLIC: UART0 drives source 10, the RTC source 11 (virtio-mmio slots will drive 1..8,
// PCIe INTA..INTD 32..35). The virtio and PCIe ranges are named here for the devices to come;
// devicetree.ts describes the board to the guest.
import type { Core } from "../core/core.js";
import { DRAM_BASE_ADDRESS, type GuestRam } from "../core/memory.js";
import { Clint, CLINT_SIZE } from "../devices/clint.js";
import { Htif } from "../devices/htif.js";
import { Plic } from "../devices/plic.js";
import { GoldfishRtc, RTC_IRQ, type RtcOptions } from "../devices/rtc.js";
import { Syscon, SYSCON_SIZE, type SysconRequest } from "../devices/syscon.js";
import { Uart16550, UART_SIZE, UART_IRQ } from "../devices/uart16550.js";
import { Bus } from "./bus.js";
import { createVirtioMmioSlots, type VirtioMmioTransport } from "../virtio/mmio.js";
import type { VirtioDevice } from "../virtio/device.js";
import type { ClockSource } from "./clock.js";
import type { ByteSink, ByteSource } from "./console.js";

/** sifive_test finisher (power off / reset). */
export const VIRT_SYSCON_BASE = 0x0010_0000;
/** goldfish RTC. */
export const VIRT_RTC_BASE = 0x0010_1000;
/** Size of the RTC's range. */
export const VIRT_RTC_SIZE = 0x1000;
/** CLINT (ACLINT MSWI + MTIMER). */
export const VIRT_CLINT_BASE = 0x0200_0000;
/** PLIC. */
export const VIRT_PLIC_BASE = 0x0c00_0000;
/** Size of the PLIC's range (QEMU `virt`: room for every context of up to 8 harts). */
export const VIRT_PLIC_SIZE = 0x0060_0000;
/** UART0 (ns16550a). */
export const VIRT_UART0_BASE = 0x1000_0000;
/** First virtio-mmio slot. */
export const VIRT_VIRTIO_BASE = 0x1000_1000;
/** Size of one virtio-mmio slot. */
export const VIRT_VIRTIO_SIZE = 0x1000;
/** Number of virtio-mmio slots. */
export const VIRT_VIRTIO_COUNT = 8;
/** PCIe ECAM (configuration space). */
export const VIRT_PCIE_ECAM_BASE = 0x3000_0000;
/** Size of the PCIe ECAM window. */
export const VIRT_PCIE_ECAM_SIZE = 0x1000_0000;
/** PCIe 32-bit MMIO window. */
export const VIRT_PCIE_MMIO_BASE = 0x4000_0000;
/** Size of the PCIe MMIO window. */
export const VIRT_PCIE_MMIO_SIZE = 0x4000_0000;
/** DRAM. */
export const VIRT_DRAM_BASE = DRAM_BASE_ADDRESS;

/** PLIC source of UART0. */
export const VIRT_UART0_IRQ = UART_IRQ;
/** PLIC source of the goldfish RTC. */
export const VIRT_RTC_IRQ = RTC_IRQ;
/** PLIC source of virtio-mmio slot `slot` (0..7). */
export function virtioIrq(slot: number): number {
  return 1 + slot;
}
/** PLIC sources of the PCIe INTA..INTD lines. */
export const VIRT_PCIE_IRQ_BASE = 32;

/** What the board needs from the machine around it. */
export interface VirtBoardParts {
  /** The instantiated core (state, RAM). */
  core: Core;
  /** Source of mtime. */
  clock: ClockSource;
  /** Console output (UART0 and HTIF). */
  output: ByteSink;
  /** Console input (UART0 and HTIF). */
  input: ByteSource;
  /** Called when the guest asks the finisher to power off or reset. */
  onSyscon(request: SysconRequest): void;
  /** RTC time source options (deterministic epoch, host wall clock). */
  rtc?: RtcOptions;
  /** The RAM virtio devices may reach by DMA (default all of the core's RAM; --virt hw: the guest's). */
  dmaRam?: GuestRam;
  /** Devices for the virtio-mmio slots, slot 0 first (empty slots present DeviceID 0). */
  virtio?: readonly (VirtioDevice | undefined)[];
}

/** The assembled board: the bus and each device model. */
export interface VirtBoard {
  /** System bus (attached to the core's MMIO imports). */
  readonly bus: Bus;
  /** Power-off / reset device. */
  readonly syscon: Syscon;
  /** Core-local interruptor. */
  readonly clint: Clint;
  /** Platform-level interrupt controller (drives MEIP/SEIP of every hart). */
  readonly plic: Plic;
  /** Goldfish real-time clock. */
  readonly rtc: GoldfishRtc;
  /** UART0. */
  readonly uart: Uart16550;
  /** HTIF endpoint (not on the bus: reached through EXIT_HTIF). */
  readonly htif: Htif;
  /** The eight virtio-mmio transports (slot n at 0x1000_1000 + n·0x1000, PLIC source n + 1). */
  readonly virtio: readonly VirtioMmioTransport[];
}

/** Creates the `virt` devices, maps them on a new bus and attaches the bus to the core. */
export function assembleVirt(parts: VirtBoardParts): VirtBoard {
  const { core } = parts;
  const bus = new Bus();
  const syscon = new Syscon(parts.onSyscon);
  const clint = new Clint(core.harts, parts.clock);
  const plic = new Plic(core.harts);
  const rtc = new GoldfishRtc(parts.clock, plic.line(VIRT_RTC_IRQ), parts.rtc);
  const uart = new Uart16550(parts.output, parts.input, "uart0");
  const uartLine = plic.line(VIRT_UART0_IRQ);
  uart.onInterrupt = (level) => uartLine.setLevel(level);
  bus.map(VIRT_SYSCON_BASE, SYSCON_SIZE, syscon);
  bus.map(VIRT_RTC_BASE, VIRT_RTC_SIZE, rtc);
  bus.map(VIRT_CLINT_BASE, CLINT_SIZE, clint);
  bus.map(VIRT_PLIC_BASE, VIRT_PLIC_SIZE, plic);
  bus.map(VIRT_UART0_BASE, UART_SIZE, uart);
  const virtio = createVirtioMmioSlots(parts.dmaRam ?? core.ram, parts.virtio ?? [],
    (slot, level) => plic.setLevel(virtioIrq(slot), level), VIRT_VIRTIO_COUNT);
  virtio.forEach((transport, slot) => bus.map(VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_SIZE, VIRT_VIRTIO_SIZE, transport));
  const htif = new Htif(core.ram, core.machine, parts.output, parts.input);
  core.attachMmio(bus);
  return { bus, syscon, clint, plic, rtc, uart, htif, virtio };
}
