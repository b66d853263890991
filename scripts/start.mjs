#!/usr/bin/env node
// `npm start`: boots the committed Linux guest (kernel + busybox initramfs + ext2 disk on
// virtio-blk) to an interactive shell. The disk image is unpacked once into build/disk.ext2, so
// what the guest writes there survives from one `npm start` to the next (delete it to start
// afresh). Extra arguments are passed to `wasmvisor run`, e.g. `npm start -- --bios opensbi`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prebuilt = join(root, "guests/linux/prebuilt");
const disk = join(root, "build/disk.ext2");
if (!existsSync(disk)) {
  mkdirSync(dirname(disk), { recursive: true });
  writeFileSync(disk, gunzipSync(readFileSync(join(prebuilt, "disk.ext2.gz"))));
}
if (process.stdin.isTTY) console.error("wasmvisor: booting Linux; type Ctrl-A then x to quit");
const args = ["run", "--kernel", join(prebuilt, "Image.gz"), "--initrd", join(prebuilt, "initramfs.cpio.gz"),
  "--drive", `file=${disk}`, "--append", "console=ttyS0", ...process.argv.slice(2)];
const result = spawnSync(process.execPath, [join(root, "dist/host/cli/main.js"), ...args], { stdio: "inherit" });
process.exitCode = result.status ?? 1;
