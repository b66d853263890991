// Linux boot benchmark: wall time from power-on to the first user-space line ("wasmvisor: user
// space ready", printed by our initramfs's /init) for the same kernel and initramfs on
// wasmvisor (direct boot, the VMM as SBI; and OpenSBI firmware) and on QEMU `virt` (TCG, with
// its default OpenSBI). The guest is told to power off right after (wvmode=poweroff).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { Machine, type MachineOptions, type MachineStats } from "../host/index.js";
import { bootLinux } from "../host/vmm/linux-boot.js";
import { median } from "./guests.js";

/** The first line our initramfs's /init prints in user space. */
export const BANNER = "wasmvisor: user space ready";
const APPEND = "console=ttyS0 wvmode=poweroff";

/** One boot measurement. */
export interface BootResult {
  name: string;
  /** Wall seconds to the banner (median). */
  seconds: number;
  /** Guest instructions retired to the banner (wasmvisor only). */
  instructions: number | null;
}

/** Boots on wasmvisor once with `engine` (and a dbt threshold); returns wall seconds and instructions to the banner. */
export async function bootWasmvisor(kernel: string, initrd: string, bios: "none" | "opensbi", engine: "interp" | "dbt" = "interp",
  dbtThreshold?: number): Promise<{ seconds: number; instructions: number }> {
  return bootToBanner(kernel, initrd, bios, { engine, dbtThreshold });
}

/** Boots on wasmvisor once (with extra machine `options`); returns wall seconds, instructions and
 *  the machine's statistics at the moment the banner appeared. */
export async function bootToBanner(kernel: string, initrd: string, bios: "none" | "opensbi", options: MachineOptions = {}):
    Promise<{ seconds: number; instructions: number; stats: MachineStats }> {
  let text = "";
  let seconds = 0, instructions = 0;
  let stats: MachineStats | undefined;
  const start = process.hrtime.bigint();
  const decoder = new TextDecoder();
  const machine: Machine = await Machine.create({
    memorySize: 128 << 20,
    output: (bytes: Uint8Array) => {
      text += decoder.decode(bytes, { stream: true });
      if (seconds === 0 && text.includes(BANNER)) {
        seconds = Number(process.hrtime.bigint() - start) / 1e9;
        stats = machine.stats();
        instructions = Number(stats.total.instructions);
      }
    },
    virtio: [{ type: "rng" }],
    ...options,
  });
  await bootLinux(machine, { kernel, initrd, append: APPEND, bios });
  await machine.run();
  machine.dispose();
  if (seconds === 0 || !stats) throw new Error(`wasmvisor (${bios}) never printed "${BANNER}"`);
  return { seconds, instructions, stats };
}

/** Boots on QEMU once; resolves with wall seconds to the banner. */
function bootQemu(kernel: string, initrd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn("qemu-system-riscv64", ["-machine", "virt", "-m", "128M", "-nographic", "-kernel", kernel,
      "-initrd", initrd, "-append", APPEND], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "", seconds = 0;
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error("QEMU boot timed out")); }, 120_000);
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (seconds === 0 && text.includes(BANNER)) seconds = Number(process.hrtime.bigint() - start) / 1e9;
    });
    child.on("exit", () => {
      clearTimeout(timer);
      if (seconds === 0) reject(new Error(`QEMU never printed "${BANNER}"`)); else resolve(seconds);
    });
  });
}

/** The committed kernel (decompressed into a temporary file, as QEMU wants it) and initramfs;
 *  undefined when the images are missing. */
export function linuxImages(): { kernel: string; initrd: string } | undefined {
  const prebuilt = "guests/linux/prebuilt";
  if (!existsSync(join(prebuilt, "Image.gz"))) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "wasmvisor-bench-"));
  const kernel = join(dir, "Image"), initrd = join(prebuilt, "initramfs.cpio.gz");
  writeFileSync(kernel, gunzipSync(readFileSync(join(prebuilt, "Image.gz"))));
  return { kernel, initrd };
}

/** Runs the boot benchmark `repeat` times per configuration (needs the committed Linux images). */
export async function runLinuxBoot(repeat: number, haveQemu: boolean, log: (line: string) => void): Promise<BootResult[]> {
  const images = linuxImages();
  if (!images) { log("Linux images not found: skipping the boot benchmark"); return []; }
  const { kernel, initrd } = images;
  const results: BootResult[] = [];
  const configurations = [["none", "interp"], ["opensbi", "interp"], ["none", "dbt"]] as const;
  for (const [bios, engine] of configurations) {
    const name = `wasmvisor --bios ${bios}${engine === "dbt" ? " --engine dbt" : ""}`;
    log(`Linux boot on ${name} x${repeat} ...`);
    const runs = [];
    for (let i = 0; i < repeat; i++) runs.push(await bootWasmvisor(kernel, initrd, bios, engine));
    results.push({ name, seconds: median(runs.map((r) => r.seconds)), instructions: runs[0]!.instructions });
    log(`  ${results.at(-1)!.seconds.toFixed(2)} s to user space (${(runs[0]!.instructions / 1e6).toFixed(0)} M instructions)`);
  }
  if (haveQemu) {
    log(`Linux boot on QEMU x${repeat} ...`);
    const runs = [];
    for (let i = 0; i < repeat; i++) runs.push(await bootQemu(kernel, initrd));
    results.push({ name: "QEMU TCG (OpenSBI)", seconds: median(runs), instructions: null });
    log(`  ${results.at(-1)!.seconds.toFixed(2)} s to user space`);
  }
  return results;
}
