// Nested paging benchmark: the Linux boot to user space under full emulation (direct boot, the
// guest's own Sv48 tables walked in one dimension) against the hardware-assisted mode (--virt hw:
// VS-stage Sv48 over G-stage Sv48x4 with 4 KiB leaves, the two-dimensional walk) with and without
// the G-stage page-walk cache, on both engines; plus the TLB-miss-heavy guest program. Reported:
// wall time, VM exits by reason, page walks, memory references per walk (1-D vs 2-D; 24 is the
// textbook maximum for 4-level over 4-level), G-stage walks and the page-walk cache's hit rate.
import { Machine, type MachineOptions, type MachineStats } from "../host/index.js";
import { median } from "./guests.js";
import { bootToBanner, linuxImages } from "./linux.js";

/** One configuration's boot, medians over the repetitions. */
export interface NestedPagingResult {
  /** "full emulation", "--virt hw", "--virt hw, pwc=off". */
  name: string;
  engine: "interp" | "dbt";
  /** Wall seconds to the user-space banner (median). */
  seconds: number;
  /** Guest instructions to the banner. */
  instructions: number;
  /** VM exits by reason (hw only). */
  exits: Record<string, number>;
  tlbMisses: number;
  /** VS-stage (or 1-D) page walks. */
  pageWalks: number;
  /** Memory references of all walks (G-stage included). */
  walkReferences: number;
  /** walkReferences / pageWalks. */
  referencesPerWalk: number;
  gstageWalks: number;
  pageWalkCacheHits: number;
  /** pageWalkCacheHits / (hits + G-stage walks); null without a G-stage. */
  pwcHitRate: number | null;
}

/** The TLB-heavy guest program's figures on one engine. */
export interface TlbProgramResult {
  name: string;
  engine: "interp" | "dbt";
  instructions: number;
  mips: number;
  tlbMisses: number;
  pageWalks: number;
  walkReferences: number;
  referencesPerWalk: number;
}

const CONFIGURATIONS: { name: string; options: MachineOptions }[] = [
  { name: "full emulation", options: {} },
  { name: "--virt hw", options: { virt: "hw" } },
  { name: "--virt hw, pwc=off", options: { virt: "hw", cpu: { pageWalkCache: false } } },
];

function summarize(name: string, engine: "interp" | "dbt", seconds: number[], stats: MachineStats): NestedPagingResult {
  const t = stats.total;
  const g = Number(t.gstageWalks), hits = Number(t.pageWalkCacheHits);
  return {
    name, engine, seconds: median(seconds), instructions: Number(t.instructions), exits: { ...stats.vmExits },
    tlbMisses: Number(t.tlbMisses), pageWalks: Number(t.pageWalks), walkReferences: Number(t.walkReferences),
    referencesPerWalk: Number(t.walkReferences) / Math.max(1, Number(t.pageWalks)),
    gstageWalks: g, pageWalkCacheHits: hits, pwcHitRate: g + hits === 0 ? null : hits / (g + hits),
  };
}

/** Boots the committed Linux guest `repeat` times per configuration and engine. */
export async function runNestedPaging(repeat: number, log: (line: string) => void): Promise<NestedPagingResult[]> {
  const images = linuxImages();
  if (!images) { log("Linux images not found: skipping the nested paging benchmark"); return []; }
  const results: NestedPagingResult[] = [];
  for (const engine of ["interp", "dbt"] as const) {
    for (const config of CONFIGURATIONS) {
      log(`Linux boot, ${config.name}, --engine ${engine} x${repeat} ...`);
      const runs = [];
      for (let i = 0; i < repeat; i++) runs.push(await bootToBanner(images.kernel, images.initrd, "none", { ...config.options, engine }));
      const r = summarize(config.name, engine, runs.map((x) => x.seconds), runs[0]!.stats);
      results.push(r);
      log(`  ${r.seconds.toFixed(2)} s, ${r.pageWalks} walks, ${r.referencesPerWalk.toFixed(2)} refs/walk` +
        (r.pwcHitRate === null ? "" : `, PWC hit rate ${(100 * r.pwcHitRate).toFixed(1)}%`) +
        (Object.keys(r.exits).length ? `, exits ${JSON.stringify(r.exits)}` : ""));
    }
  }
  return results;
}

/** Runs the TLB-miss-heavy program (`file`) on both engines; MIPS (median), TLB and walk counters. */
export async function runTlbProgram(file: string, repeat: number, log: (line: string) => void): Promise<TlbProgramResult[]> {
  const results: TlbProgramResult[] = [];
  for (const engine of ["interp", "dbt"] as const) {
    log(`tlbmiss: --engine ${engine} x${repeat} ...`);
    const seconds: number[] = [];
    let stats: MachineStats | undefined;
    for (let i = 0; i < repeat; i++) {
      const machine = await Machine.create({ output: () => {}, engine, maxInstructions: 1_000_000_000n });
      await machine.loadElf(file);
      const t0 = process.hrtime.bigint();
      const result = await machine.run();
      seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
      machine.dispose();
      if (result.exitCode !== 0) throw new Error(`${file} failed (exit ${result.exitCode})`);
      stats = machine.stats();
    }
    const t = stats!.total;
    const r: TlbProgramResult = {
      name: "tlbmiss", engine, instructions: Number(t.instructions), mips: Number(t.instructions) / median(seconds) / 1e6,
      tlbMisses: Number(t.tlbMisses), pageWalks: Number(t.pageWalks), walkReferences: Number(t.walkReferences),
      referencesPerWalk: Number(t.walkReferences) / Math.max(1, Number(t.pageWalks)),
    };
    results.push(r);
    log(`  ${r.mips.toFixed(1)} MIPS, ${r.tlbMisses} TLB misses, ${r.pageWalks} walks, ${r.referencesPerWalk.toFixed(2)} refs/walk`);
  }
  return results;
}
