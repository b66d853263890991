// The virtio-mmio transport (spec §4.2): identity registers, empty slots, feature negotiation,
// status and reset, queue registers, interrupts, configuration space, and the registry.
import { describe, expect, it } from "vitest";
import {
  STATUS_ACKNOWLEDGE, STATUS_DEVICE_NEEDS_RESET, STATUS_DRIVER, STATUS_DRIVER_OK, STATUS_FEATURES_OK,
  VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC, VIRTIO_F_VERSION_1,
} from "../../host/virtio/device.js";
import {
  createVirtioMmioSlots, VirtioMmioTransport, VIRTIO_MMIO_CONFIG_GENERATION, VIRTIO_MMIO_DEVICE_FEATURES,
  VIRTIO_MMIO_DEVICE_FEATURES_SEL, VIRTIO_MMIO_DEVICE_ID, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INTERRUPT_STATUS,
  VIRTIO_MMIO_INT_CONFIG, VIRTIO_MMIO_INT_VRING, VIRTIO_MMIO_MAGIC, VIRTIO_MMIO_MAGIC_VALUE,
  VIRTIO_MMIO_QUEUE_DESC_LOW, VIRTIO_MMIO_QUEUE_NUM, VIRTIO_MMIO_QUEUE_NUM_MAX, VIRTIO_MMIO_QUEUE_READY,
  VIRTIO_MMIO_QUEUE_SEL, VIRTIO_MMIO_SHM_LEN_LOW, VIRTIO_MMIO_STATUS, VIRTIO_MMIO_VENDOR_ID,
  VIRTIO_MMIO_VENDOR_ID_REGISTER, VIRTIO_MMIO_VERSION_REGISTER, VIRTIO_MMIO_SLOT_SIZE,
} from "../../host/virtio/mmio.js";
import { Bus } from "../../host/machine/bus.js";
import {
  createVirtioDevice, isVirtioDeviceName, virtioDeviceTypes, ConsoleDevice, BlockDevice, EntropyDevice, MemoryDisk,
  VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_RO,
} from "../../host/virtio/index.js";
import { createRig, createGuardedRam } from "./driver.js";

const rng = () => new EntropyDevice({ mode: "deterministic", seed: 1 });

describe("virtio-mmio identity", () => {
  it("presents magic, version 2, device id and vendor id", () => {
    const { driver } = createRig(rng());
    expect(driver.read(VIRTIO_MMIO_MAGIC_VALUE)).toBe(VIRTIO_MMIO_MAGIC);
    expect(driver.read(VIRTIO_MMIO_MAGIC_VALUE)).toBe(0x74726976);
    expect(driver.read(VIRTIO_MMIO_VERSION_REGISTER)).toBe(2);
    expect(driver.read(VIRTIO_MMIO_DEVICE_ID)).toBe(4);
    expect(driver.read(VIRTIO_MMIO_VENDOR_ID_REGISTER)).toBe(VIRTIO_MMIO_VENDOR_ID);
  });

  it("an empty slot has DeviceID 0, reads zero elsewhere and ignores writes", () => {
    const { driver, transport } = createRig(undefined);
    expect(driver.read(VIRTIO_MMIO_MAGIC_VALUE)).toBe(VIRTIO_MMIO_MAGIC);
    expect(driver.read(VIRTIO_MMIO_VERSION_REGISTER)).toBe(2);
    expect(driver.read(VIRTIO_MMIO_DEVICE_ID)).toBe(0);
    driver.write(VIRTIO_MMIO_STATUS, STATUS_ACKNOWLEDGE);
    expect(driver.read(VIRTIO_MMIO_STATUS)).toBe(0);
    expect(driver.read(VIRTIO_MMIO_DEVICE_FEATURES)).toBe(0);
    expect(driver.read(VIRTIO_MMIO_QUEUE_NUM_MAX)).toBe(0);
    expect(transport.read(0x100, 4)).toBe(0n);
    expect(transport.interruptPending()).toBe(false);
  });

  it("answers through the system bus at its virt slot", () => {
    const { ram } = createGuardedRam();
    const bus = new Bus();
    const transport = new VirtioMmioTransport({ memory: ram, device: rng() });
    bus.map(0x1000_1000 + 3 * VIRTIO_MMIO_SLOT_SIZE, VIRTIO_MMIO_SLOT_SIZE, transport);
    expect(bus.read(0, 0x1000_3008 + 0x1000, 4)).toBe(4n);
    expect(bus.read(0, 0x1000_4000, 4)).toBe(BigInt(VIRTIO_MMIO_MAGIC));
    expect(bus.write(0, 0x1000_4000 + VIRTIO_MMIO_STATUS, 4, 1n)).toBe(true);
    expect(transport.status).toBe(STATUS_ACKNOWLEDGE);
    expect(bus.faults).toBe(0);
  });

  it("createVirtioMmioSlots builds eight slots with per-slot interrupt lines", () => {
    const { ram } = createGuardedRam();
    const lines: [number, boolean][] = [];
    const slots = createVirtioMmioSlots(ram, [undefined, rng()], (slot, level) => lines.push([slot, level]));
    expect(slots).toHaveLength(8);
    expect(slots.map((s) => Number(s.read(VIRTIO_MMIO_DEVICE_ID, 4)))).toEqual([0, 4, 0, 0, 0, 0, 0, 0]);
    expect(slots[1]!.name).toBe("virtio1-virtio-rng");
    expect(() => createVirtioMmioSlots(ram, new Array(9).fill(undefined), () => {})).toThrow(/do not fit/);
  });
});

describe("virtio-mmio feature negotiation", () => {
  it("offers VERSION_1, INDIRECT_DESC and EVENT_IDX plus the device's bits, word by word", () => {
    const { driver } = createRig(new BlockDevice({ disk: new MemoryDisk(4096) }));
    const offered = driver.deviceFeatures();
    expect(offered & VIRTIO_F_VERSION_1).toBe(VIRTIO_F_VERSION_1);
    expect(offered & VIRTIO_F_INDIRECT_DESC).toBe(VIRTIO_F_INDIRECT_DESC);
    expect(offered & VIRTIO_F_EVENT_IDX).toBe(VIRTIO_F_EVENT_IDX);
    expect(offered & VIRTIO_BLK_F_FLUSH).toBe(VIRTIO_BLK_F_FLUSH);
    expect(offered & VIRTIO_BLK_F_RO).toBe(0n);
    driver.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
    expect(driver.read(VIRTIO_MMIO_DEVICE_FEATURES)).toBe(0);
  });

  it("runs the Linux sequence to DRIVER_OK", () => {
    const { driver, transport } = createRig(rng());
    const features = driver.initialize();
    expect(features).toBe(VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX);
    expect(driver.status()).toBe(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    expect(transport.negotiatedFeatures).toBe(features);
    expect(transport.queue(0)?.size).toBe(64);
  });

  it("refuses FEATURES_OK without VERSION_1", () => {
    const { driver } = createRig(rng());
    driver.addStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    driver.writeDriverFeatures(VIRTIO_F_INDIRECT_DESC);
    expect(driver.addStatus(STATUS_FEATURES_OK) & STATUS_FEATURES_OK).toBe(0);
  });

  it("refuses FEATURES_OK with a bit the device did not offer", () => {
    const { driver } = createRig(rng());
    driver.addStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    driver.writeDriverFeatures(VIRTIO_F_VERSION_1 | (1n << 5n));
    expect(driver.addStatus(STATUS_FEATURES_OK) & STATUS_FEATURES_OK).toBe(0);
    // A corrected subset is accepted on the next try.
    driver.writeDriverFeatures(VIRTIO_F_VERSION_1);
    expect(driver.addStatus(STATUS_FEATURES_OK) & STATUS_FEATURES_OK).toBe(STATUS_FEATURES_OK);
  });

  it("freezes DriverFeatures after FEATURES_OK", () => {
    const { driver, transport } = createRig(rng());
    driver.addStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    driver.writeDriverFeatures(VIRTIO_F_VERSION_1);
    driver.addStatus(STATUS_FEATURES_OK);
    driver.writeDriverFeatures(VIRTIO_F_VERSION_1 | VIRTIO_F_EVENT_IDX);
    expect(transport.negotiatedFeatures).toBe(VIRTIO_F_VERSION_1);
  });

  it("DRIVER_OK without FEATURES_OK puts the device in DEVICE_NEEDS_RESET", () => {
    const { driver, transport } = createRig(rng());
    driver.addStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    const status = driver.addStatus(STATUS_DRIVER_OK);
    expect(status & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(transport.lastError?.message).toMatch(/FEATURES_OK/);
  });

  it("withholding transport features through options narrows the offer", () => {
    const { driver } = createRig(rng(), { transportFeatures: VIRTIO_F_VERSION_1 });
    expect(driver.deviceFeatures()).toBe(VIRTIO_F_VERSION_1);
  });
});

describe("virtio-mmio status, reset and queues", () => {
  it("the driver cannot set or clear DEVICE_NEEDS_RESET; writing 0 resets everything", () => {
    const { driver, transport } = createRig(rng());
    driver.initialize();
    driver.write(VIRTIO_MMIO_STATUS, STATUS_DEVICE_NEEDS_RESET | STATUS_ACKNOWLEDGE);
    expect(driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(0);
    expect(driver.status() & STATUS_DRIVER_OK).toBe(STATUS_DRIVER_OK); // bits are sticky
    driver.write(VIRTIO_MMIO_STATUS, 0);
    expect(driver.status()).toBe(0);
    driver.write(VIRTIO_MMIO_QUEUE_SEL, 0);
    expect(driver.read(VIRTIO_MMIO_QUEUE_READY)).toBe(0);
    expect(transport.queue(0)).toBeUndefined();
    expect(transport.negotiatedFeatures).toBe(0n);
    // And the device can be brought up again.
    driver.initialize();
    expect(driver.status() & STATUS_DRIVER_OK).toBe(STATUS_DRIVER_OK);
  });

  it("QueueNumMax is 0 for a queue the device does not have", () => {
    const { driver } = createRig(new ConsoleDevice({ output: { writeByte: () => {} }, queueSize: 16 }));
    driver.write(VIRTIO_MMIO_QUEUE_SEL, 1);
    expect(driver.read(VIRTIO_MMIO_QUEUE_NUM_MAX)).toBe(16);
    driver.write(VIRTIO_MMIO_QUEUE_SEL, 2);
    expect(driver.read(VIRTIO_MMIO_QUEUE_NUM_MAX)).toBe(0);
    driver.write(VIRTIO_MMIO_QUEUE_READY, 1);
    expect(driver.read(VIRTIO_MMIO_QUEUE_READY)).toBe(0);
  });

  it("a ready queue's layout is frozen; QueueReady = 0 releases it", () => {
    const { driver, transport } = createRig(rng());
    driver.initialize();
    const before = transport.queue(0)!.layout;
    driver.write(VIRTIO_MMIO_QUEUE_SEL, 0);
    driver.write(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1234_0000);
    driver.write(VIRTIO_MMIO_QUEUE_NUM, 2);
    expect(transport.queue(0)!.layout).toEqual(before);
    driver.write(VIRTIO_MMIO_QUEUE_READY, 0);
    expect(driver.read(VIRTIO_MMIO_QUEUE_READY)).toBe(0);
    expect(transport.queue(0)).toBeUndefined();
  });

  it("an invalid queue size or layout leaves the queue not ready and needs a reset", () => {
    for (const [register, value] of [[VIRTIO_MMIO_QUEUE_NUM, 3], [VIRTIO_MMIO_QUEUE_NUM, 128],
      [VIRTIO_MMIO_QUEUE_NUM, 0], [VIRTIO_MMIO_QUEUE_DESC_LOW, 0x100]] as const) {
      const { driver, transport, guarded } = createRig(rng());
      driver.addStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
      driver.writeDriverFeatures(VIRTIO_F_VERSION_1);
      driver.addStatus(STATUS_FEATURES_OK);
      driver.setupQueue(0); // valid first ...
      driver.write(VIRTIO_MMIO_QUEUE_READY, 0); // ... then released and broken
      driver.write(register, value);
      driver.write(VIRTIO_MMIO_QUEUE_READY, 1);
      expect(driver.read(VIRTIO_MMIO_QUEUE_READY)).toBe(0);
      expect(driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
      expect(transport.lastError?.name).toBe("VirtqueueError");
      expect(guarded.guardsIntact()).toBe(true);
    }
  });

  it("non-32-bit register accesses are ignored, never faults", () => {
    const { transport } = createRig(rng());
    expect(transport.read(VIRTIO_MMIO_MAGIC_VALUE, 1)).toBe(0n);
    expect(transport.read(VIRTIO_MMIO_MAGIC_VALUE + 2, 4)).toBe(0n);
    expect(transport.write(VIRTIO_MMIO_STATUS, 1, 1n)).toBe(true);
    expect(transport.status).toBe(0);
    expect(transport.ignoredAccesses).toBe(3);
    expect(transport.read(VIRTIO_MMIO_SHM_LEN_LOW, 4)).toBe(0xffff_ffffn);
  });
});

describe("virtio-mmio interrupts and configuration", () => {
  it("InterruptStatus drives the line; InterruptACK lowers it", () => {
    const { driver } = createRig(rng());
    driver.initialize();
    const queue = driver.queues[0]!;
    queue.submit([{ writable: 16 }]);
    queue.kick();
    expect(driver.line).toBe(true);
    expect(driver.read(VIRTIO_MMIO_INTERRUPT_STATUS)).toBe(VIRTIO_MMIO_INT_VRING);
    driver.write(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
    expect(driver.line).toBe(false);
    expect(driver.lineChanges).toEqual([true, false]);
  });

  it("a configuration change raises bit 1 and bumps ConfigGeneration", () => {
    const console = new ConsoleDevice({ output: { writeByte: () => {} }, size: { columns: 80, rows: 24 } });
    const { driver } = createRig(console);
    driver.initialize();
    expect(Number(driver.readConfig(0, 2))).toBe(80);
    expect(Number(driver.readConfig(2, 2))).toBe(24);
    const generation = driver.read(VIRTIO_MMIO_CONFIG_GENERATION);
    console.resize({ columns: 132, rows: 50 });
    expect(driver.read(VIRTIO_MMIO_CONFIG_GENERATION)).not.toBe(generation);
    expect(driver.handleInterrupt()).toBe(VIRTIO_MMIO_INT_CONFIG);
    expect(driver.readConfig(0, 4)).toBe((50n << 16n) | 132n);
    expect(driver.line).toBe(false);
  });

  it("a reset lowers an asserted line", () => {
    const { driver } = createRig(rng());
    driver.initialize();
    driver.queues[0]!.submit([{ writable: 4 }]);
    driver.queues[0]!.kick();
    expect(driver.line).toBe(true);
    driver.write(VIRTIO_MMIO_STATUS, 0);
    expect(driver.line).toBe(false);
    expect(driver.read(VIRTIO_MMIO_INTERRUPT_STATUS)).toBe(0);
  });

  it("notifications before DRIVER_OK are ignored (the device consumes nothing)", () => {
    const { driver, transport } = createRig(rng());
    driver.addStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    driver.writeDriverFeatures(VIRTIO_F_VERSION_1);
    driver.addStatus(STATUS_FEATURES_OK);
    const queue = driver.setupQueue(0);
    queue.submit([{ writable: 8 }]);
    queue.notify();
    expect(transport.notifications).toBe(1);
    expect(queue.deviceUsedIndex()).toBe(0);
    driver.addStatus(STATUS_DRIVER_OK);
    queue.notify();
    expect(queue.collect()).toEqual([{ id: 0, length: 8 }]);
  });

  it("a device that throws is contained: DEVICE_NEEDS_RESET, no exception", () => {
    const device = rng();
    device.onNotify = () => { throw new Error("device bug"); };
    const { driver, transport } = createRig(device);
    driver.initialize();
    expect(() => driver.queues[0]!.notify()).not.toThrow();
    expect(driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(driver.handleInterrupt()).toBe(VIRTIO_MMIO_INT_CONFIG);
    expect(transport.lastError?.message).toBe("device bug");
  });
});

describe("virtio device registry", () => {
  it("knows blk, console and rng and creates them by name", () => {
    expect(virtioDeviceTypes().map((t) => t.name)).toEqual(["blk", "console", "rng"]);
    expect(isVirtioDeviceName("blk")).toBe(true);
    expect(isVirtioDeviceName("net")).toBe(false);
    expect(createVirtioDevice("blk", { disk: new MemoryDisk(1024) }).deviceId).toBe(2);
    expect(createVirtioDevice("console", { output: { writeByte: () => {} } }).deviceId).toBe(3);
    expect(createVirtioDevice("rng", { mode: "deterministic" }).deviceId).toBe(4);
    expect(() => createVirtioDevice("net" as "rng", {})).toThrow(/unknown virtio device type "net"/);
  });

  it("a registered device works behind a transport", () => {
    const device = createVirtioDevice("rng", { mode: "deterministic", seed: 7 });
    const { ram } = createGuardedRam();
    const transport = new VirtioMmioTransport({ memory: ram, device });
    expect(Number(transport.read(VIRTIO_MMIO_DEVICE_ID, 4))).toBe(4);
  });
});
