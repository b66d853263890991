#!/usr/bin/env node
// `npm run bench`: micro benchmarks plus the guest programs on wasmvisor and QEMU, one run,
// written to bench/results/ as report.json, report.txt and report.html (SVG charts).
// Options: --repeat N (default 3), --quick (one repetition, no micro benchmarks),
//          --programs a,b,c (default: every C program in guests/prebuilt), --no-linux (also skips
//          the nested paging boots), --only-nested (just the TLB program and the nested paging boots).
import { mkdirSync, writeFileSync, readdirSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { runMicro } from "./micro.js";
import { runGuests, qemuVersion } from "./guests.js";
import { runLinuxBoot } from "./linux.js";
import { runNestedPaging, runTlbProgram } from "./nested.js";
import { htmlReport, textReport, type BenchReport } from "./report.js";

const args = process.argv.slice(2);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const quick = args.includes("--quick");
const repeat = Number(option("--repeat") ?? (quick ? 1 : 3));
const dir = "guests/prebuilt";
const all = readdirSync(dir).filter((f) => f.endsWith(".elf") && !f.startsWith("isa-") && f !== "hello.elf").map((f) => f.slice(0, -4)).sort();
const programs = option("--programs")?.split(",") ?? all;
const log = (line: string) => process.stderr.write(line + "\n");
const onlyNested = args.includes("--only-nested");

const report: BenchReport = {
  date: new Date().toISOString(),
  command: `npm run bench -- ${args.join(" ")}`.trim(),
  host: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "unknown" },
  qemu: qemuVersion(),
  micro: quick || onlyNested ? [] : await runMicro(join(dir, "sieve.elf"), log),
  guests: onlyNested ? [] : await runGuests(dir, programs, repeat, log),
  linuxBoot: args.includes("--no-linux") || onlyNested ? [] : await runLinuxBoot(repeat, qemuVersion() !== null, log),
  tlbProgram: await runTlbProgram(join(dir, "tlbmiss.elf"), repeat, log),
  nested: args.includes("--no-linux") ? [] : await runNestedPaging(repeat, log),
};
const out = "bench/results";
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "report.json"), JSON.stringify(report, null, 2));
writeFileSync(join(out, "report.txt"), textReport(report) + "\n");
writeFileSync(join(out, "report.html"), htmlReport(report));
console.log(textReport(report));
console.log(`\nwritten: ${out}/report.{json,txt,html}`);
