// Block devices given on the command line (--drive file=PATH[,ro]) become virtio-blk devices in
// the virtio-mmio slots of the `virt` board, in the order given (the first is /dev/vda).
import { UsageError } from "../machine/errors.js";
import type { VirtioDeviceSpec } from "../machine/machine.js";

/** Parses one "file=PATH[,ro|,rw]" drive description. */
export function parseDrive(text: string): VirtioDeviceSpec {
  const m = /^file=([^,]+)(?:,(ro|rw))?$/.exec(text);
  if (!m) throw new UsageError(`--drive expects file=PATH[,ro] (got '${text}')`);
  return { type: "blk", path: m[1]!, readOnly: m[2] === "ro" };
}

/** The virtio devices of a command line: its drives, plus an entropy source for kernel boots. */
export function virtioDevicesFor(drives: readonly string[], kernelBoot: boolean): VirtioDeviceSpec[] {
  const devices = drives.map(parseDrive);
  if (kernelBoot) devices.push({ type: "rng" });
  return devices;
}
