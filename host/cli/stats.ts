// The --stats report: the machine's counters as aligned "name  value" lines for stderr.
import type { MachineStats } from "../machine/machine.js";

/** Formats a count with thousands separators (1234567 → "1,234,567"). */
export function formatCount(n: bigint | number): string {
  const s = (typeof n === "bigint" ? n : BigInt(Math.round(n))).toString();
  const negative = s.startsWith("-");
  const digits = negative ? s.slice(1) : s;
  return (negative ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Memory references per page walk ("n/a" without walks), e.g. "4.02". */
export function perWalk(references: bigint, walks: bigint): string {
  return walks === 0n ? "n/a" : (Number(references) / Number(walks)).toFixed(2);
}

/** Share of G-stage translations the page-walk cache served, as a percentage. */
function hitRate(hits: bigint, walks: bigint): string {
  const total = hits + walks;
  return total === 0n ? "n/a" : `${(Number(hits) * 100 / Number(total)).toFixed(1)}%`;
}

/** Returns the multi-line statistics report printed by `wasmvisor run --stats`. */
export function formatStats(stats: MachineStats): string {
  const t = stats.total;
  const exits = Object.entries(stats.exits).map(([name, n]) => `${name} ${formatCount(n)}`).join(", ") || "none";
  const devices = stats.devices.filter((d) => d.reads + d.writes > 0)
    .map((d) => `${d.name} ${formatCount(d.reads)}r/${formatCount(d.writes)}w`).join(", ") || "none";
  const rows: [string, string][] = [
    ["instructions retired", formatCount(stats.instructions)],
    ["wall time", `${(stats.wallTimeMs / 1000).toFixed(3)} s`],
    ["speed", `${stats.mips.toFixed(2)} MIPS`],
    ["guest time (mtime)", `${formatCount(stats.mtime)} ticks (${(Number(stats.mtime) / 10_000_000).toFixed(6)} s at 10 MHz)`],
    ["exits", exits],
    ["tlb", `hits ${formatCount(t.tlbHits)}, misses ${formatCount(t.tlbMisses)}, flushes ${formatCount(t.tlbFlushes)}`],
    ["page walks", `${formatCount(t.pageWalks)} (${formatCount(t.walkReferences)} memory references, ` +
      `${perWalk(t.walkReferences, t.pageWalks)} per walk)`],
    ...(t.gstageWalks + t.pageWalkCacheHits > 0n ? [["g-stage", `${formatCount(t.gstageWalks)} walks, page-walk cache ` +
      `${formatCount(t.pageWalkCacheHits)} hits (${hitRate(t.pageWalkCacheHits, t.gstageWalks)} hit rate)`] as [string, string]] : []),
    ...(t.virtualTraps > 0n ? [["traps V=1 -> HS", formatCount(t.virtualTraps)] as [string, string]] : []),
    ...(Object.keys(stats.vmExits).length > 0 ? [["vm exits", Object.entries(stats.vmExits)
      .sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} ${formatCount(n)}`).join(", ")] as [string, string]] : []),
    ["mmio", `reads ${formatCount(t.mmioReads)}, writes ${formatCount(t.mmioWrites)}`],
    ["devices", devices],
    ["decode cache misses", formatCount(t.decodeCacheMisses)],
    ["traps", formatCount(t.traps)],
    ["interrupts", formatCount(t.interrupts)],
  ];
  if (stats.dbt) {
    const d = stats.dbt;
    const perEntry = d.translatedCalls > 0n ? Number(d.translatedInstructions) / Number(d.translatedCalls) : 0;
    rows.push(["dbt", `${formatCount(d.regions)} regions (${formatCount(d.regionBlocks)} blocks in ${formatCount(d.regionPages)} pages) compiled into ` +
      `${formatCount(d.compiles)} modules (${formatCount(d.wasmBytes)} wasm bytes; compile ${d.compileMs.toFixed(1)} ms, ` +
      `instantiate ${d.instantiateMs.toFixed(1)} ms${d.failures > 0 ? `, ${d.failures} failed` : ""})`]);
    rows.push(["dbt execution", `${formatCount(d.translatedInstructions)} instructions in ${formatCount(d.translatedCalls)} ` +
      `entries (${perEntry.toFixed(1)} per entry; ${formatCount(d.chainedExits)} exits chained without the dispatcher)`]);
    rows.push(["dbt code cache", `${formatCount(d.invalidations)} page invalidations, ${formatCount(d.evictions)} evictions, ` +
      `${formatCount(d.freedSlots)} table slots freed, ${formatCount(d.reusedSlots)} reused, table size ${formatCount(d.tableSize)}`]);
  }
  if (stats.resets > 0) rows.push(["resets", formatCount(stats.resets)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return ["wasmvisor stats:", ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join("\n") + "\n";
}
