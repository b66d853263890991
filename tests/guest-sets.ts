// Which committed bare-metal guests (guests/prebuilt/) each suite runs. The hypervisor-extension
// ISA tests (guests/isa/priv-h-*.S) need a machine with H (MachineOptions.cpu.h); they also run on
// QEMU (tests/guests-qemu-h.test.ts), which validates the tests themselves.
import { existsSync, readdirSync } from "node:fs";

export const PREBUILT = "guests/prebuilt";

/** Whether a prebuilt file name is one of the H-extension ISA tests. */
export function isHypervisorTest(file: string): boolean {
  return /^isa-priv-h-.*\.elf$/.test(file);
}

/** Sorted .elf file names in guests/prebuilt (empty when the directory is missing). */
export function prebuiltElves(): string[] {
  return existsSync(PREBUILT) ? readdirSync(PREBUILT).filter((f) => f.endsWith(".elf")).sort() : [];
}

/** The self-checking ISA test binaries the core runs, H tests included (see isHypervisorTest). */
export function coreIsaTests(): string[] {
  return prebuiltElves().filter((f) => f.startsWith("isa-"));
}

/** The H-extension ISA test binaries. */
export function hypervisorIsaTests(): string[] {
  return prebuiltElves().filter(isHypervisorTest);
}
