// Hotness-threshold sweep of the translator (assembly/jit/dispatch.ts HOT_THRESHOLD): total wall
// time of the C programs and of the Linux boot to user space under `--engine dbt` for each
// threshold. Usage: node dist/bench/threshold.js [--thresholds 5,20,50,200,1000] [--repeat N]
import { readFileSync, writeFileSync, mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Machine } from "../host/index.js";
import { bootWasmvisor } from "./linux.js";
import { median } from "./guests.js";

const args = process.argv.slice(2);
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const thresholds = (option("--thresholds") ?? "5,20,50,200,1000").split(",").map(Number);
const repeat = Number(option("--repeat") ?? 1);
const programs = ["crc32", "matmul", "sieve", "sort", "strings"];

/** Wall seconds of one C program under dbt with `threshold`. */
async function runProgram(name: string, threshold: number): Promise<number> {
  const machine = await Machine.create({ engine: "dbt", dbtThreshold: threshold, memorySize: 64 << 20, output: () => {} });
  await machine.loadElf(join("guests/prebuilt", `${name}.elf`));
  const start = process.hrtime.bigint();
  await machine.run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  machine.dispose();
  return seconds;
}

const prebuilt = "guests/linux/prebuilt";
const haveLinux = existsSync(join(prebuilt, "Image.gz"));
const kernel = join(mkdtempSync(join(tmpdir(), "wasmvisor-threshold-")), "Image");
if (haveLinux) writeFileSync(kernel, gunzipSync(readFileSync(join(prebuilt, "Image.gz"))));
console.log(`threshold  ${programs.map((p) => p.padStart(8)).join(" ")}  programs     linux`);
for (const threshold of thresholds) {
  const times: number[] = [];
  for (const p of programs) {
    const runs: number[] = [];
    for (let i = 0; i < repeat; i++) runs.push(await runProgram(p, threshold));
    times.push(median(runs));
  }
  let linux = NaN;
  if (haveLinux) {
    const runs: number[] = [];
    for (let i = 0; i < repeat; i++) runs.push((await bootWasmvisor(kernel, join(prebuilt, "initramfs.cpio.gz"), "none", "dbt", threshold)).seconds);
    linux = median(runs);
  }
  const total = times.reduce((a, b) => a + b, 0);
  console.log(`${String(threshold).padStart(9)}  ${times.map((t) => t.toFixed(3).padStart(8)).join(" ")}  ${total.toFixed(3).padStart(8)}  ${linux.toFixed(3).padStart(8)}`);
}
