// Booting a Linux kernel on the `virt` machine, two ways (issue "Boot unmodified Linux"):
//
//  * firmware ("--bios opensbi" or a firmware path): OpenSBI's fw_dynamic runs in M-mode, owns
//    the whole machine and enters the kernel in S-mode; the VMM only emulates hardware (full
//    emulation). The firmware finds the kernel through struct fw_dynamic_info (a2), as QEMU's
//    reset vector hands it over.
//  * direct ("--bios none"): the VMM itself is the SBI implementation (host/vmm/sbi.ts). It
//    configures what firmware would (PMP, trap and interrupt delegation, counter access, Sstc),
//    enters the kernel in S-mode with a0 = hart id and a1 = DTB, and answers S-mode ecalls as
//    hypercalls (EXIT_ECALL) — the paravirtual interface a hypervisor gives its guests.
import { existsSync } from "node:fs";
import {
  H_MEDELEG, H_MIDELEG, H_MCOUNTEREN, H_MENVCFG, H_PMPADDR, H_PMPCFG, PRV_S, VMM_SBI_ECALL, VMM_SBI_TIMER,
} from "../core/layout.generated.js";
import type { HartState } from "../core/state.js";
import { hex } from "../core/memory.js";
import type { Machine } from "../machine/machine.js";
import { ConfigError, LoadError } from "../machine/errors.js";
import { readImageFile, type ImageChunk } from "../loader/image.js";
import { linuxBootLayout, maybeGunzip } from "../loader/linux.js";
import { handleSbiCall, type SbiCounters, type SbiMachine } from "./sbi.js";
import { HardwareAssistedVmm } from "./hw.js";

/** Debian's OpenSBI build for QEMU virt (package qemu-system-data). */
export const DEBIAN_OPENSBI = "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin";
/** fw_dynamic_info magic "OSBI" and the version we fill in (OpenSBI's fw_dynamic.h layout). */
const FW_DYNAMIC_MAGIC = 0x4942534fn, FW_DYNAMIC_VERSION = 2n;
const FW_NEXT_MODE_S = 1n;
/** Synchronous exceptions firmware delegates to S-mode: misaligned/access faults, illegal,
 *  breakpoint, U-mode ecall and the three page faults (as OpenSBI does). */
const DELEGATED_EXCEPTIONS = 0xb1ffn;
/** Supervisor software, timer and external interrupts. */
const DELEGATED_INTERRUPTS = 0x222n;
const MENVCFG_STCE = 1n << 63n;
/** NAPOT entry covering the whole address space with R, W, X: pmpaddr all ones, cfg A=NAPOT|RWX. */
const PMP_ALL_ADDRESS = (1n << 54n) - 1n, PMP_ALL_CFG = 0x1f;

/** How to boot a kernel. */
export interface LinuxBootOptions {
  /** Kernel Image (path or bytes; gzip-compressed is accepted). */
  kernel: string | Uint8Array;
  /** Initial RAM disk (path or bytes). */
  initrd?: string | Uint8Array;
  /** Kernel command line. */
  append?: string;
  /** "none" (the VMM is the SBI), "opensbi" (Debian's OpenSBI) or the path of an fw_dynamic firmware. */
  bios?: string;
}

/** What bootLinux placed where. */
export interface LinuxBootInfo {
  /** "direct" (S-mode, the VMM as SBI), "firmware" (OpenSBI in M-mode) or "hardware-assisted"
   *  (--virt hw: VS-mode under H, the VMM as HS-mode and SBI). */
  readonly mode: "direct" | "firmware" | "hardware-assisted";
  readonly kernelAddress: bigint;
  readonly dtbAddress: bigint;
  readonly initrd?: { start: bigint; end: bigint };
  /** SBI calls by extension (direct boot). */
  readonly sbiCalls: SbiCounters;
}

async function bytesOf(file: string | Uint8Array): Promise<Uint8Array> {
  return typeof file === "string" ? readImageFile(file) : file;
}

/** Loads kernel, initrd and a generated device tree into `machine` and prepares the harts. */
export async function bootLinux(machine: Machine, options: LinuxBootOptions): Promise<LinuxBootInfo> {
  const source = typeof options.kernel === "string" ? options.kernel : "kernel";
  const kernel = maybeGunzip(await bytesOf(options.kernel), source);
  const initrd = options.initrd === undefined ? undefined : await bytesOf(options.initrd);
  const bios = options.bios ?? "none";
  const bootargs = options.append ?? "console=ttyS0";
  // The DTB's size does not depend on the addresses in it: size it first, then fill it in.
  const probe = machine.deviceTree({ bootargs, initrd: initrd ? { start: 0n, end: 0n } : undefined });
  const layout = linuxBootLayout(kernel, machine.guestRam, { initrd, dtbSize: probe.length + 0x1000, source });
  const dtb = machine.deviceTree({ bootargs, initrd: layout.initrd });
  const sbiCalls: SbiCounters = new Map();
  const ram = machine.guestRam;

  // Every piece is part of the boot image, so a guest reboot places all of them again.
  const chunks: ImageChunk[] = [...layout.image.chunks, { address: Number(layout.dtbAddress), data: dtb, zeroFill: 0 }];
  const dtbAddress = layout.dtbAddress;

  if (machine.virt === "hw") {
    if (bios !== "none") {
      throw new ConfigError(`--virt hw boots the kernel directly in VS-mode (the VMM is HS-mode and the SBI); ` +
        `firmware '${bios}' needs M-mode: use --bios none`);
    }
    machine.setVirtualTrapHandler(undefined);
    const vmm = new HardwareAssistedVmm(machine, sbiCalls, (overrides) => sbiMachine(machine, overrides));
    const entry = layout.image.entry;
    machine.loadImage({ format: "raw", entry, chunks, symbol: () => undefined }, true);
    machine.setBootHook((hart) => vmm.enterGuest(hart, entry, dtbAddress));
    return { mode: "hardware-assisted", kernelAddress: entry, dtbAddress, initrd: layout.initrd, sbiCalls };
  }

  if (bios === "none") {
    machine.core.machine.vmmFlags = VMM_SBI_ECALL | VMM_SBI_TIMER;
    machine.setHypercallHandler((hart) => handleSbiCall(sbiMachine(machine), hart, sbiCalls));
    const entry = layout.image.entry;
    machine.loadImage({ format: "raw", entry, chunks, symbol: () => undefined }, true);
    machine.setBootHook((hart) => enterSupervisor(machine, hart, entry, dtbAddress));
    return { mode: "direct", kernelAddress: entry, dtbAddress, initrd: layout.initrd, sbiCalls };
  }

  const firmwarePath = bios === "opensbi" ? DEBIAN_OPENSBI : bios;
  if (!existsSync(firmwarePath)) {
    throw new ConfigError(`firmware '${firmwarePath}' not found` +
      (bios === "opensbi" ? " (install Debian's qemu-system-data, or boot with --bios none)" : ""));
  }
  const firmware = await readImageFile(firmwarePath);
  const base = BigInt(ram.base);
  if (base + BigInt(firmware.length) > layout.image.entry) {
    throw new LoadError(`firmware of ${firmware.length} bytes overlaps the kernel at ${hex(layout.image.entry)}`);
  }
  machine.core.machine.vmmFlags = 0;
  machine.setHypercallHandler(undefined);
  // struct fw_dynamic_info { magic, version, next_addr, next_mode, options, boot_hart } (u64 each),
  // placed in the 4 KiB below the DTB (linuxBootLayout keeps the initrd below that page).
  const info = layout.dtbAddress - 0x1000n;
  const infoBytes = new Uint8Array(48);
  const view = new DataView(infoBytes.buffer);
  [FW_DYNAMIC_MAGIC, FW_DYNAMIC_VERSION, layout.image.entry, FW_NEXT_MODE_S, 0n, 0n]
    .forEach((value, i) => view.setBigUint64(8 * i, value, true));
  chunks.push({ address: Number(info), data: infoBytes, zeroFill: 0 }, { address: ram.base, data: firmware, zeroFill: 0 });
  machine.loadImage({ format: "raw", entry: base, chunks, symbol: () => undefined }, true);
  machine.setBootHook((hart) => {
    hart.setX(10, BigInt(hart.id));
    hart.setX(11, dtbAddress);
    hart.setX(12, info);
  });
  return { mode: "firmware", kernelAddress: layout.image.entry, dtbAddress, initrd: layout.initrd, sbiCalls };
}

/** Direct boot: set up what firmware would, then enter the kernel in S-mode (hart 0) or park the hart. */
function enterSupervisor(machine: Machine, hart: HartState, entry: bigint, dtbAddress: bigint): void {
  hart.write64(H_PMPADDR, PMP_ALL_ADDRESS);
  hart.write32(H_PMPCFG, PMP_ALL_CFG); // pmp0cfg; the other entries stay OFF
  hart.write64(H_MEDELEG, DELEGATED_EXCEPTIONS);
  hart.write64(H_MIDELEG, DELEGATED_INTERRUPTS);
  hart.write64(H_MCOUNTEREN, 7n);
  hart.write64(H_MENVCFG, MENVCFG_STCE);
  hart.privilege = PRV_S;
  hart.pc = entry;
  hart.setX(10, BigInt(hart.id));
  hart.setX(11, dtbAddress);
  machine.core.exports.tlbFlushAll(); // translations cached PMP decisions made before
  machine.setHartParked(hart.id, hart.id !== 0); // secondary harts wait for SBI HSM hart_start
}

/** The machine as the SBI implementation sees it; `overrides` replace the direct-boot behaviour
 *  (the hardware-assisted VMM starts harts in VS-mode and uses the VS-level timer and IPI). */
export function sbiMachine(machine: Machine, overrides: Partial<SbiMachine> = {}): SbiMachine {
  return {
    harts: machine.harts,
    ram: machine.guestRam,
    consoleWrite: (bytes) => { for (const b of bytes) machine.output.writeByte(b); },
    consoleRead: () => machine.input.takeByte() ?? -1,
    systemReset: (kind) => machine.requestSystemEvent(kind === "shutdown" ? { kind: "poweroff", exitCode: 0 } : { kind: "reset" }),
    flushTlb: () => machine.core.exports.tlbFlushAll(),
    startHart: (id, address, opaque) => {
      const hart = machine.harts[id]!;
      machine.setHartParked(id, false);
      hart.privilege = PRV_S;
      hart.pc = address;
      hart.setX(10, BigInt(id));
      hart.setX(11, opaque);
    },
    stopHart: (id) => machine.setHartParked(id, true),
    hartStarted: (id) => !machine.isHartParked(id),
    ...overrides,
  };
}
