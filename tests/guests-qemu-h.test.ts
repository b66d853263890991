// The hypervisor-extension ISA tests (guests/isa/priv-h-*.S, prebuilt in guests/prebuilt/) on
// QEMU, the reference, so CI validates the tests themselves before the core implements H: each
// must exit 0 on `qemu-system-riscv64 -machine virt -cpu rv64,h=true -bios none` (QEMU 7.2
// implements H 1.0; where it deviates from the spec the tests accept both outcomes and say why).
// The same binaries on a CPU without H must fail with a check number, which shows they can fail.
// Skipped when QEMU is not installed.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PREBUILT, hypervisorIsaTests } from "./guest-sets.js";

const hasQemu = spawnSync("qemu-system-riscv64", ["--version"], { stdio: "ignore" }).status === 0;

/** Runs one bare-metal ELF on QEMU virt: its exit status (the failing check, 0 = pass), its
 *  output, and whether it was killed at the time limit (QEMU exits 0 on SIGTERM). */
function runOnQemu(file: string, cpu: string): { status: number | null; output: string; timedOut: boolean } {
  const result = spawnSync("qemu-system-riscv64", [
    "-machine", "virt", "-cpu", cpu, "-bios", "none", "-nographic", "-m", "128M",
    "-kernel", join(PREBUILT, file),
  ], { timeout: 30_000, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, timedOut: result.error !== undefined };
}

describe.skipIf(!hasQemu)("H-extension ISA tests on QEMU", () => {
  it("the set is complete", () => {
    expect(hypervisorIsaTests()).toEqual([
      "isa-priv-h-csr.elf", "isa-priv-h-gstage.elf", "isa-priv-h-hlv.elf", "isa-priv-h-trap.elf",
    ]);
  });

  for (const file of hypervisorIsaTests()) {
    it(`${file} passes with h=true`, () => {
      expect(runOnQemu(file, "rv64,h=true")).toEqual({ status: 0, output: "", timedOut: false });
    });

    it(`${file} fails its first check (misa.H) without H`, () => {
      expect(runOnQemu(file, "rv64,h=false")).toEqual({ status: 1, output: "", timedOut: false });
    });
  }
});
