// wasmvisor's embedding API: create a machine, load a guest, run it, read its statistics.
//
//   import { createMachine } from "wasmvisor";
//   const machine = await createMachine({ memorySize: 64 << 20, maxInstructions: 1e9 });
//   await machine.loadElf("guests/prebuilt/hello.elf");
//   const result = await machine.run();      // { reason: "poweroff", exitCode: 0, ... }
//   console.log(machine.stats().mips);
//
// Failures are typed errors (ElfError, LoadError, ConfigError, GuestError, IdleError,
// LimitError, CoreError, ...), all subclasses of WasmvisorError with a readable message.
import { Machine, type MachineOptions, type RunResult } from "./machine/machine.js";

export { Machine, DEFAULT_MEMORY_SIZE, DEFAULT_SLICE_MILLISECONDS, ENGINES } from "./machine/machine.js";
export { LockstepMachine, DivergenceError } from "./vmm/lockstep.js";
export type { LockstepOptions, LockstepSetup, LockstepStats, DivergenceReport, DivergenceKind } from "./vmm/lockstep.js";
export type { MachineOptions, MachineStats, RunResult, EngineName } from "./machine/machine.js";
export {
  WasmvisorError, ElfError, LoadError, ConfigError, UsageError, BusError, CoreError, GuestError, IdleError, LimitError,
  EXIT_STATUS_HOST_ERROR, EXIT_STATUS_LIMIT, describeError, exitStatusOf,
} from "./machine/errors.js";
export { VIRT_MODES, type CpuOptions, type VirtMode } from "./machine/cpu.js";
export { HardwareAssistedVmm } from "./vmm/hw.js";
export { planGuestMemory, buildGstageTables, type GuestMemoryPlan } from "./vmm/gstage.js";
export { Bus, type MmioDevice, type BusMapping, type BusFault } from "./machine/bus.js";
export {
  DeterministicClock, RealClock, createClock, parseClockMode, MTIME_FREQUENCY_HZ, DEFAULT_INSNS_PER_TICK,
  type ClockMode, type ClockSource,
} from "./machine/clock.js";
export { ConsoleInput, ConsoleOutput, type ByteSink, type ByteSource, type OutputWriter } from "./machine/console.js";
export * as virt from "./machine/virt.js";
export { Core, compileCore, defaultCorePath, findPackageRoot, wasmCoreFactory } from "./core/core.js";
export type { CoreExports, CoreFactory, CoreImportFunctions, CoreOptions, MmioHandler } from "./core/core.js";
export { GuestRam, MemoryViews, createSharedMemory, MAX_RAM_SIZE, MIN_RAM_SIZE } from "./core/memory.js";
export { HartState, MachineState, exitReasonName, type HartCounters } from "./core/state.js";
export { parseElf, elfBootImage, ElfImage, EM_RISCV, type ElfSegment, type ElfSymbol } from "./loader/elf.js";
export { rawBootImage, DEFAULT_RAW_ADDRESS } from "./loader/raw.js";
export { writeImage, readImageFile, looksLikeElf, type BootImage, type ImageChunk } from "./loader/image.js";
export { Clint } from "./devices/clint.js";
export { Uart16550 } from "./devices/uart16550.js";
export { Syscon, type SysconRequest } from "./devices/syscon.js";
export { Htif, htifCommand } from "./devices/htif.js";
/** The core's layout constants (offsets, exit reasons, operation names), generated from assembly/layout.ts. */
export * as layout from "./core/layout.generated.js";

/** Creates a machine (instantiates the core and assembles the virt board). */
export function createMachine(options: MachineOptions = {}): Promise<Machine> {
  return Machine.create(options);
}

/** Loads `file` (a path or bytes; ELF unless `rawAddress` is given) into `machine`. */
export async function load(machine: Machine, file: string | Uint8Array, rawAddress?: bigint): Promise<void> {
  if (rawAddress !== undefined) await machine.loadRaw(file, rawAddress);
  else await machine.loadElf(file);
}

/** Runs `machine` until the guest exits; resolves with how it ended. */
export function run(machine: Machine): Promise<RunResult> {
  return machine.run();
}

/** Returns `machine`'s statistics. */
export function stats(machine: Machine): ReturnType<Machine["stats"]> {
  return machine.stats();
}

/** Creates a machine, loads `file` and runs it to completion: the one-call convenience. */
export async function runFile(file: string, options: MachineOptions = {}): Promise<RunResult> {
  const machine = await createMachine(options);
  try {
    await load(machine, file);
    return await machine.run();
  } finally {
    machine.dispose();
  }
}
