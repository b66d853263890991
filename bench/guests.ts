// Guest benchmarks: each bare-metal C program is run on wasmvisor's interpreter (in process) and
// on QEMU TCG (`qemu-system-riscv64 -machine virt -bios none`, when installed) — the same ELF —
// and the speeds are compared from one run of this suite. Medians over repetitions. QEMU's
// process start-up is removed by pairing: each program run is followed by a run of the tiny
// hello guest, and the median of the paired differences is QEMU's time for the program.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Machine } from "../host/index.js";

/** Result of one guest program. */
export interface GuestResult {
  name: string;
  instructions: number;
  wasmvisorSeconds: number;
  wasmvisorMips: number;
  /** The same program on the translator (--engine dbt). */
  dbtMips: number;
  qemuSeconds: number | null;
  qemuMips: number | null;
  /** wasmvisor speed relative to QEMU TCG (1.0 = as fast). */
  ratio: number | null;
  /** Translator statistics of the last --engine dbt run. */
  dbt?: TranslatorStats;
}

/** What the translator did in one run (MachineStats.dbt, condensed for the report). */
export interface TranslatorStats {
  /** Regions translated (one module each). */
  regions: number;
  /** Blocks in those regions. */
  blocks: number;
  /** Modules compiled by the host. */
  modules: number;
  /** Bytes of wasm compiled. */
  wasmBytes: number;
  /** Compile + instantiate time as a share of the run's wall time. */
  compileShare: number;
  /** Guest instructions retired per entry into translated code. */
  instructionsPerEntry: number;
  /** Share of all retired instructions that ran translated. */
  translatedShare: number;
  /** Code pages invalidated by guest stores. */
  invalidations: number;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `file` once on wasmvisor; returns retired instructions and wall seconds. */
async function runWasmvisor(file: string, engine: "interp" | "dbt" = "interp"): Promise<{ instructions: number; seconds: number; dbt?: TranslatorStats }> {
  const machine = await Machine.create({ output: () => {}, maxInstructions: 10_000_000_000n, engine });
  await machine.loadElf(file);
  const t0 = process.hrtime.bigint();
  const result = await machine.run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const d = machine.stats().dbt;
  machine.dispose();
  if (result.exitCode !== 0) throw new Error(`${file} failed on wasmvisor (exit ${result.exitCode})`);
  const instructions = Number(result.instructions);
  const dbt = d && {
    regions: Number(d.regions), blocks: Number(d.regionBlocks), modules: d.compiles, wasmBytes: d.wasmBytes,
    compileShare: (d.compileMs + d.instantiateMs) / (seconds * 1000),
    instructionsPerEntry: d.translatedCalls > 0n ? Number(d.translatedInstructions) / Number(d.translatedCalls) : 0,
    translatedShare: instructions > 0 ? Number(d.translatedInstructions) / instructions : 0,
    invalidations: Number(d.invalidations),
  };
  return { instructions, seconds, dbt };
}

/** True if qemu-system-riscv64 can be started. */
export function qemuAvailable(): boolean {
  const r = spawnSync("qemu-system-riscv64", ["--version"], { encoding: "utf8" });
  return r.status === 0;
}

/** QEMU's version line, or null. */
export function qemuVersion(): string | null {
  const r = spawnSync("qemu-system-riscv64", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0] : null;
}

/** Runs `file` once on QEMU TCG; returns wall seconds of the whole process. */
function runQemu(file: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync("qemu-system-riscv64",
    ["-machine", "virt", "-bios", "none", "-nographic", "-m", "128M", "-kernel", file],
    { stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${file} failed on QEMU (status ${r.status}): ${r.stderr}`);
  return seconds;
}

/** Benchmarks every program in `names` (ELFs in `dir`), `repeat` times each. */
export async function runGuests(dir: string, names: string[], repeat: number, log: (line: string) => void): Promise<GuestResult[]> {
  const haveQemu = qemuAvailable();
  const hello = join(dir, "hello.elf");
  if (!haveQemu) log("QEMU not found: install qemu-system-misc to compare (apt-get install qemu-system-misc)");
  const qemuRepeat = Math.max(repeat, 5);
  const results: GuestResult[] = [];
  for (const name of names) {
    const file = join(dir, `${name}.elf`);
    log(`${name}: wasmvisor x${repeat} ...`);
    const runs = [];
    for (let i = 0; i < repeat; i++) runs.push(await runWasmvisor(file));
    const instructions = runs[0].instructions;
    const wasmvisorSeconds = median(runs.map((r) => r.seconds));
    log(`${name}: wasmvisor --engine dbt x${repeat} ...`);
    const dbtRuns = [];
    for (let i = 0; i < repeat; i++) dbtRuns.push(await runWasmvisor(file, "dbt"));
    const dbtMips = instructions / median(dbtRuns.map((r) => r.seconds)) / 1e6;
    let qemuSeconds: number | null = null;
    if (haveQemu) {
      log(`${name}: QEMU x${qemuRepeat} (each paired with a start-up run of hello.elf) ...`);
      const differences = Array.from({ length: qemuRepeat }, () => runQemu(file) - runQemu(hello));
      qemuSeconds = Math.max(1e-4, median(differences));
    }
    const wasmvisorMips = instructions / wasmvisorSeconds / 1e6;
    const qemuMips = qemuSeconds === null ? null : instructions / qemuSeconds / 1e6;
    const ratio = qemuMips === null ? null : wasmvisorMips / qemuMips;
    results.push({ name, instructions, wasmvisorSeconds, wasmvisorMips, dbtMips, qemuSeconds, qemuMips, ratio, dbt: dbtRuns.at(-1)!.dbt });
    log(`${name}: ${(instructions / 1e6).toFixed(1)} M instructions, wasmvisor ${wasmvisorMips.toFixed(1)} MIPS, dbt ${dbtMips.toFixed(1)} MIPS` +
      (qemuMips === null ? "" : `, QEMU ${qemuMips.toFixed(1)} MIPS, ratio ${ratio!.toFixed(3)}x`));
  }
  return results;
}
