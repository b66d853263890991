// What kind of hart the machine has and how a kernel guest is virtualized: the optional ISA
// features (the hypervisor extension H, the G-stage page-walk cache) that reach the core as
// CPU_* flags (layout.ts M_CPU_FLAGS, read at reset), and the VMM mode.
//
//  * virt "full" (default): full emulation — the guest owns M/S/U (or S/U with the VMM as SBI).
//    `cpu.h` gives the guest the hypervisor extension (misa.H, and "h" in the device tree's
//    riscv,isa), so it can run its own VS guests.
//  * virt "hw": hardware-assisted — the guest runs in VS-mode under H and the VMM plays HS-mode
//    (host/vmm/hw.ts). The harts need H for that, so it is switched on; giving the guest H as
//    well (nested virtualization of H) is not supported.
import { CPU_H, CPU_NO_PWC } from "../core/layout.generated.js";
import { ConfigError } from "./errors.js";

/** Optional features of the harts. */
export interface CpuOptions {
  /** The hypervisor extension H (default off). */
  h?: boolean;
  /** The G-stage page-walk cache (default on; off to measure what it saves). */
  pageWalkCache?: boolean;
}

/** VMM modes for kernel guests. */
export const VIRT_MODES = ["full", "hw"] as const;
/** A VMM mode: "full" emulation or "hw" (hardware-assisted, VS-mode under H). */
export type VirtMode = (typeof VIRT_MODES)[number];

/** Validates `virt` (ConfigError if unknown) and returns it, "full" by default. */
export function parseVirtMode(virt: string | undefined): VirtMode {
  const mode = virt ?? "full";
  if (!(VIRT_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`unknown virtualization mode "${mode}" (available: ${VIRT_MODES.join(", ")})`);
  }
  return mode as VirtMode;
}

/** The core's CPU_* flags for `cpu` under VMM mode `virt`; ConfigError for unsupported combinations. */
export function cpuFlagsFor(cpu: CpuOptions | undefined, virt: VirtMode): number {
  if (virt === "hw" && cpu?.h) {
    throw new ConfigError("--virt hw runs the guest in VS-mode; giving that guest the hypervisor extension " +
      "(nested virtualization) is not supported: use --virt full --cpu h=on for a guest hypervisor");
  }
  const h = virt === "hw" || cpu?.h === true;
  return (h ? CPU_H : 0) | (cpu?.pageWalkCache === false ? CPU_NO_PWC : 0);
}

/** Whether the guest itself is given H (its device tree lists "h"). */
export function guestHasH(cpu: CpuOptions | undefined, virt: VirtMode): boolean {
  return virt === "full" && cpu?.h === true;
}
