// A scripted console session with a Linux guest: boots a Machine with the committed kernel,
// initramfs and a private copy of the disk image, then lets a test wait for console output and
// type commands, as a person at the terminal would.
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Machine, type MachineOptions, type RunResult } from "../../host/index.js";
import { bootLinux } from "../../host/vmm/linux-boot.js";

/** The committed Linux guest images. */
export const LINUX_PREBUILT = "guests/linux/prebuilt";
export const KERNEL = join(LINUX_PREBUILT, "Image.gz");
export const INITRD = join(LINUX_PREBUILT, "initramfs.cpio.gz");
export const DISK = join(LINUX_PREBUILT, "disk.ext2.gz");

/** Expected sha256 of each file on the disk image (guests/linux/disk.sha256). */
export function diskChecksums(): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync("guests/linux/disk.sha256", "utf8").split("\n")) {
    const m = /^([0-9a-f]{64})\s+(\S+)$/.exec(line.trim());
    if (m) map.set(m[2]!, m[1]!);
  }
  return map;
}

/** A running guest with its console. */
export interface LinuxSession {
  readonly machine: Machine;
  /** Resolves when the guest powers off (or the run fails). */
  readonly finished: Promise<RunResult>;
  /** Everything the guest printed so far. */
  output(): string;
  /** Waits until `pattern` appears in output printed after the last expect(); returns the match. */
  expect(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Types `text` on the console. */
  send(text: string): void;
  /** Runs a shell command and returns what it printed before the next prompt. */
  command(line: string, timeoutMs?: number): Promise<string>;
  /** Removes the private disk copy. */
  cleanup(): void;
}

/** Boots Linux ("none": the VMM is the SBI; "opensbi": firmware in M-mode) with a fresh disk copy;
 *  `options` adds machine options (e.g. virt: "hw", engine: "dbt"). */
export async function bootSession(bios: "none" | "opensbi", append = "console=ttyS0",
                                  options: MachineOptions = {}): Promise<LinuxSession> {
  const dir = mkdtempSync(join(tmpdir(), "wasmvisor-linux-"));
  const diskPath = join(dir, "disk.ext2");
  writeFileSync(diskPath, gunzipSync(readFileSync(DISK)));
  let text = "";
  let cursor = 0;
  const decoder = new TextDecoder();
  const listeners = new Set<() => void>();
  const machine = await Machine.create({
    memorySize: 128 << 20, interactive: true, maxInstructions: 20_000_000_000n,
    output: (bytes: Uint8Array) => { text += decoder.decode(bytes, { stream: true }); for (const l of listeners) l(); },
    virtio: [{ type: "blk", path: diskPath }, { type: "rng" }],
    ...options,
  });
  await bootLinux(machine, { kernel: KERNEL, initrd: INITRD, append, bios });
  let failure: unknown;
  const finished = machine.run();
  finished.catch((error: unknown) => { failure = error; for (const l of listeners) l(); });

  const expect = (pattern: RegExp, timeoutMs = 60_000) => new Promise<RegExpMatchArray>((resolve, reject) => {
    const check = () => {
      if (failure) { done(); reject(failure); return; }
      const m = pattern.exec(text.slice(cursor));
      if (m) { cursor += m.index! + m[0].length; done(); resolve(m); }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${pattern}; console tail:\n${text.slice(-2000)}`));
    }, timeoutMs);
    const done = () => { clearTimeout(timer); listeners.delete(check); };
    listeners.add(check);
    check();
  });
  const prompt = /[#$] $/m;
  return {
    machine, finished, expect,
    output: () => text,
    send: (t) => machine.sendInput(t),
    async command(line, timeoutMs) {
      machine.sendInput(line + "\n");
      const start = cursor;
      await expect(new RegExp(escapeRegExp(line).slice(0, 40)), timeoutMs); // the echo
      const echoEnd = cursor;
      await expect(prompt, timeoutMs);
      void start;
      // Drop the prompt line (e.g. "wasmvisor:/# ") that ends the command's output.
      const lines = text.slice(echoEnd, cursor).replace(/\r/g, "").split("\n");
      lines.pop();
      return lines.join("\n").trim();
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
