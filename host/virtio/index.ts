// The virtio layer: split virtqueues, the virtio-mmio transport, the device types and their
// backends. Importing this module registers every built-in device type ("blk", "console",
// "rng") with the registry, so createVirtioDevice(name, options) knows them all.
//
// Wiring a device into a board (see mmio.ts): build the device, wrap it in a
// VirtioMmioTransport with guest RAM and an interrupt callback, and map the transport on the bus
// at its slot (on `virt`: 0x1000_1000 + n·0x1000, PLIC source 1 + n).
export * from "./device.js";
export * from "./queue.js";
export * from "./mmio.js";
export * from "./registry.js";
export * from "./blk.js";
export * from "./console.js";
export * from "./rng.js";
export * from "./backends/disk.js";
export * from "./backends/file-disk.js";
