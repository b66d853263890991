// Benchmark report: a JSON record, a text table, and an HTML page with SVG bar charts.
import type { GuestResult } from "./guests.js";
import type { MicroResult } from "./micro.js";
import type { BootResult } from "./linux.js";
import type { NestedPagingResult, TlbProgramResult } from "./nested.js";

/** Everything one benchmark run measured. */
export interface BenchReport {
  date: string;
  command: string;
  host: { node: string; cpus: number; cpu: string };
  qemu: string | null;
  micro: MicroResult[];
  guests: GuestResult[];
  linuxBoot: BootResult[];
  /** Linux boot under full emulation vs --virt hw, with and without the page-walk cache. */
  nested?: NestedPagingResult[];
  /** The TLB-miss-heavy guest program on both engines. */
  tlbProgram?: TlbProgramResult[];
}

/** 1-D walks of the 4-level tables make at most 4 references; 2-D walks at most 24 (4 x 4 + 4 + 4). */
const TEXTBOOK_REFERENCES = { full: 4, nested: 24 };

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** Horizontal bar chart as SVG: one group of bars per label. */
function barChart(title: string, unit: string, labels: string[], series: { name: string; color: string; values: (number | null)[] }[]): string {
  const rowH = 18 * series.length + 10, left = 110, width = 640, chartW = width - left - 90;
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const height = 40 + labels.length * rowH + 24;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="8" y="18" font-weight="bold">${esc(title)}</text>`];
  labels.forEach((label, i) => {
    const y0 = 34 + i * rowH;
    parts.push(`<text x="8" y="${y0 + rowH / 2}">${esc(label)}</text>`);
    series.forEach((s, j) => {
      const v = s.values[i];
      if (v === null) return;
      const w = Math.max(1, (v / max) * chartW), y = y0 + j * 18;
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="14" fill="${s.color}"/>`,
        `<text x="${left + w + 4}" y="${y + 11}">${v.toFixed(v < 10 ? 2 : 0)} ${esc(unit)}</text>`);
    });
  });
  let lx = left;
  series.forEach((s) => {
    parts.push(`<rect x="${lx}" y="${height - 16}" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="${height - 7}">${esc(s.name)}</text>`);
    lx += 20 + s.name.length * 7;
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** Plain-text table of the report. */
export function textReport(r: BenchReport): string {
  const lines = [`wasmvisor benchmark — ${r.date}`, `reproduce: ${r.command}`, `host: ${r.host.cpu} (${r.host.cpus} cpus), node ${r.host.node}; ${r.qemu ?? "QEMU not installed"}`, ""];
  if (r.guests.length) lines.push("program     M insns  interp MIPS  dbt MIPS  QEMU MIPS  interp/QEMU  dbt/QEMU  dbt/interp");
  for (const g of r.guests) {
    const q = g.qemuMips;
    lines.push(`${g.name.padEnd(10)} ${(g.instructions / 1e6).toFixed(1).padStart(8)} ${g.wasmvisorMips.toFixed(1).padStart(12)} ` +
      `${g.dbtMips.toFixed(1).padStart(9)} ${q === null ? "       n/a" : q.toFixed(1).padStart(10)} ` +
      `${g.ratio === null ? "        n/a" : (g.ratio.toFixed(3) + "x").padStart(12)} ${q === null ? "      n/a" : ((g.dbtMips / q).toFixed(3) + "x").padStart(9)} ` +
      `${((g.dbtMips / g.wasmvisorMips).toFixed(2) + "x").padStart(10)}`);
  }
  const ratios = r.guests.map((g) => g.ratio).filter((x): x is number => x !== null);
  if (ratios.length) {
    const sorted = [...ratios].sort((a, b) => a - b);
    lines.push(`median ratio: interpreter ${sorted[sorted.length >> 1].toFixed(3)}x QEMU TCG`);
  }
  if (r.guests.some((g) => g.dbt)) {
    lines.push("", "translator (--engine dbt): regions, modules, wasm, compile share of run time, instructions per entry",
      "program     regions  blocks  modules  wasm KiB  compile  insns/entry  translated  invalidations");
    for (const g of r.guests) {
      const d = g.dbt;
      if (!d) continue;
      lines.push(`${g.name.padEnd(10)} ${String(d.regions).padStart(8)} ${String(d.blocks).padStart(7)} ${String(d.modules).padStart(8)} ` +
        `${(d.wasmBytes / 1024).toFixed(1).padStart(9)} ${(100 * d.compileShare).toFixed(1).padStart(7)}% ${d.instructionsPerEntry.toFixed(0).padStart(12)} ` +
        `${(100 * d.translatedShare).toFixed(1).padStart(10)}% ${String(d.invalidations).padStart(14)}`);
    }
  }
  if (r.linuxBoot.length) {
    lines.push("", "Linux boot to the first user-space line (same kernel + initramfs)");
    const qemu = r.linuxBoot.find((b) => b.name.startsWith("QEMU"));
    for (const b of r.linuxBoot) {
      const vs = qemu && b !== qemu ? `  (${(b.seconds / qemu.seconds).toFixed(2)}x QEMU's time)` : "";
      lines.push(`${b.name.padEnd(26)} ${b.seconds.toFixed(2).padStart(7)} s` +
        (b.instructions ? `  ${(b.instructions / 1e6).toFixed(0)} M guest instructions` : "") + vs);
    }
  }
  if (r.tlbProgram?.length) {
    lines.push("", "TLB-miss-heavy program (random accesses over 32 MiB of 4 KiB Sv48 pages)",
      "engine    M insns     MIPS   TLB misses   page walks  refs/walk");
    for (const t of r.tlbProgram) {
      lines.push(`${t.engine.padEnd(7)} ${(t.instructions / 1e6).toFixed(1).padStart(8)} ${t.mips.toFixed(1).padStart(8)} ` +
        `${t.tlbMisses.toString().padStart(12)} ${t.pageWalks.toString().padStart(12)} ${t.referencesPerWalk.toFixed(2).padStart(10)}`);
    }
  }
  if (r.nested?.length) {
    lines.push("", "Linux boot to user space: full emulation vs --virt hw (nested paging, 4 KiB G-stage leaves)",
      "configuration          engine  seconds  vs full  TLB misses  page walks  refs/walk  G-walks    PWC hits  VM exits");
    for (const n of r.nested) {
      const full = r.nested.find((x) => x.engine === n.engine && x.name === "full emulation");
      const exits = Object.entries(n.exits).map(([k, v]) => `${k} ${v}`).join(", ") || "-";
      lines.push(`${n.name.padEnd(22)} ${n.engine.padEnd(6)} ${n.seconds.toFixed(2).padStart(8)} ` +
        `${full ? (n.seconds / full.seconds).toFixed(2).padStart(7) + "x" : "     n/a"} ${n.tlbMisses.toString().padStart(11)} ` +
        `${n.pageWalks.toString().padStart(11)} ${n.referencesPerWalk.toFixed(2).padStart(10)} ${n.gstageWalks.toString().padStart(8)} ` +
        `${n.pwcHitRate === null ? "       -" : ((100 * n.pwcHitRate).toFixed(1) + "%").padStart(10)}  ${exits}`);
    }
    lines.push(`(textbook maximum references per walk: ${TEXTBOOK_REFERENCES.full} for a 4-level 1-D walk, ` +
      `${TEXTBOOK_REFERENCES.nested} for 4-level over 4-level 2-D)`);
  }
  lines.push("", "micro benchmark                     ns/op");
  for (const m of r.micro) lines.push(`${m.name.padEnd(34)} ${m.nsPerOp.toFixed(2).padStart(8)}`);
  return lines.join("\n");
}

/** Self-contained HTML page with the charts and tables. */
export function htmlReport(r: BenchReport): string {
  const names = r.guests.map((g) => g.name);
  const speed = barChart("Guest speed (MIPS, higher is better)", "MIPS", names, [
    { name: "wasmvisor interpreter", color: "#3b7dd8", values: r.guests.map((g) => g.wasmvisorMips) },
    { name: "wasmvisor dbt", color: "#2a9d8f", values: r.guests.map((g) => g.dbtMips) },
    { name: "QEMU TCG", color: "#d8843b", values: r.guests.map((g) => g.qemuMips) },
  ]);
  const ratio = barChart("Speed relative to QEMU TCG (x)", "x", names, [
    { name: "interpreter / QEMU", color: "#4a9d5b", values: r.guests.map((g) => g.ratio) },
    { name: "dbt / QEMU", color: "#2a9d8f", values: r.guests.map((g) => (g.qemuMips === null ? null : g.dbtMips / g.qemuMips)) },
  ]);
  const withDbt = r.guests.filter((g) => g.dbt);
  const translator = withDbt.length ? barChart("Translator: guest instructions per entry into translated code", "insns",
    withDbt.map((g) => g.name), [
      { name: "instructions per entry", color: "#2a9d8f", values: withDbt.map((g) => g.dbt!.instructionsPerEntry) },
    ]) : "";
  const micro = barChart("Micro benchmarks (ns per operation, lower is better)", "ns", r.micro.map((m) => m.name.split(/[:(]/)[0]!.trim()), [
    { name: "ns/op", color: "#7d5bd8", values: r.micro.map((m) => m.nsPerOp) },
  ]);
  const boot = r.linuxBoot.length ? barChart("Linux boot to user space (seconds, lower is better)", "s",
    r.linuxBoot.map((b) => b.name.replace("wasmvisor ", "wv ").replace(" (OpenSBI)", "")),
    [{ name: "seconds", color: "#c94c4c", values: r.linuxBoot.map((b) => b.seconds) }]) : "";
  const interpNested = (r.nested ?? []).filter((n) => n.engine === "interp");
  const nestedNames = interpNested.map((n) => n.name);
  const bySeries = (engine: string) => nestedNames.map((name) => r.nested!.find((n) => n.engine === engine && n.name === name)?.seconds ?? null);
  const nestedTime = interpNested.length ? barChart("Linux boot: full emulation vs nested paging (seconds, lower is better)", "s",
    nestedNames, [
      { name: "interpreter", color: "#3b7dd8", values: bySeries("interp") },
      { name: "dbt", color: "#2a9d8f", values: bySeries("dbt") },
    ]) : "";
  const nestedRefs = interpNested.length ? barChart("Memory references per page walk (1-D vs 2-D)", "refs", nestedNames, [
    { name: "measured", color: "#c94c4c", values: interpNested.map((n) => n.referencesPerWalk) },
    { name: "textbook maximum", color: "#999999",
      values: interpNested.map((n) => (n.name.startsWith("full") ? TEXTBOOK_REFERENCES.full : TEXTBOOK_REFERENCES.nested)) },
  ]) : "";
  return `<!doctype html><html><head><meta charset="utf-8"><title>wasmvisor benchmark ${esc(r.date)}</title>
<style>body{font-family:sans-serif;max-width:760px;margin:2em auto}pre{background:#f4f4f4;padding:1em;overflow:auto}</style></head>
<body><h1>wasmvisor benchmark</h1><p>${esc(r.date)} — reproduce with <code>${esc(r.command)}</code></p>
${speed}\n${ratio}\n${translator}\n${boot}\n${nestedTime}\n${nestedRefs}\n${micro}
<pre>${esc(textReport(r))}</pre></body></html>\n`;
}
