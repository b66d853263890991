// Block devices given on the command line (--drive file=PATH[,ro]) become virtio-blk devices in
// the virtio-mmio slots of the `virt` board.
import { ConfigError } from "../machine/errors.js";
import type { Machine } from "../machine/machine.js";

/** Attaches each "file=PATH[,ro]" drive to `machine`. */
export function attachDrives(machine: Machine, drives: readonly string[]): void {
  if (drives.length === 0) return;
  void machine;
  throw new ConfigError("--drive: virtio-blk is not wired into the board yet");
}
