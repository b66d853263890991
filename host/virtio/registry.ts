// The registration point of virtio device types. Each device type lives in its own file, which
// registers a factory under a short name ("blk", "console", "rng") when it is loaded and adds
// its options type to VirtioDeviceOptionsMap by declaration merging:
//
//   declare module "./registry.js" {
//     interface VirtioDeviceOptionsMap { blk: BlockDeviceOptions }
//   }
//   registerVirtioDevice({ name: "blk", description: "...", create: (options) => new BlockDevice(options) });
//
// host/virtio/index.ts imports every built-in device file, so code that imports the virtio
// layer through it can call createVirtioDevice("blk", { disk }) with the options type-checked.
// A new device type needs its own file plus one import line in index.ts.
import { VirtioError, type VirtioDevice } from "./device.js";

/** Options of each registered device type, keyed by name (extended by each device file). */
export interface VirtioDeviceOptionsMap {}

/** Names of the device types known at compile time. */
export type VirtioDeviceName = keyof VirtioDeviceOptionsMap & string;

/** Builds devices of one type. */
export interface VirtioDeviceFactory<Options> {
  /** Short name ("blk"). */
  readonly name: string;
  /** One line for help texts ("virtio-blk block device backed by a disk image"). */
  readonly description: string;
  /** Creates a device; options are the type's own (disk, sinks, seeds, ...). */
  create(options: Options): VirtioDevice;
}

const factories = new Map<string, VirtioDeviceFactory<never>>();

/** Registers a device type under `factory.name`; VirtioError if the name is taken. */
export function registerVirtioDevice<K extends VirtioDeviceName>(factory: VirtioDeviceFactory<VirtioDeviceOptionsMap[K]> & { name: K }): void {
  if (factories.has(factory.name)) {
    throw new VirtioError(`virtio device type "${factory.name}" is already registered`);
  }
  factories.set(factory.name, factory as VirtioDeviceFactory<never>);
}

/** True if a device type named `name` has been registered. */
export function isVirtioDeviceName(name: string): name is VirtioDeviceName {
  return factories.has(name);
}

/** Names and descriptions of the registered device types, sorted by name. */
export function virtioDeviceTypes(): { name: string; description: string }[] {
  return [...factories.values()]
    .map(({ name, description }) => ({ name, description }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Creates a device of the registered type `name`; VirtioError if no such type is registered. */
export function createVirtioDevice<K extends VirtioDeviceName>(name: K, options: VirtioDeviceOptionsMap[K]): VirtioDevice {
  const factory = factories.get(name) as VirtioDeviceFactory<VirtioDeviceOptionsMap[K]> | undefined;
  if (!factory) {
    const known = [...factories.keys()].sort().join(", ") || "none registered";
    throw new VirtioError(`unknown virtio device type "${name}" (known: ${known})`);
  }
  return factory.create(options);
}
