// Split virtqueues (spec §2.7): chains, indirect tables, notification suppression in both
// directions with and without VIRTIO_F_EVENT_IDX, 16-bit index wrap-around, and a driver that
// breaks the protocol in every way the queue must survive.
import { describe, expect, it } from "vitest";
import {
  STATUS_DEVICE_NEEDS_RESET, STATUS_DRIVER_OK, VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC,
} from "../../host/virtio/device.js";
import { VIRTIO_MMIO_INT_CONFIG, VIRTIO_MMIO_INT_VRING } from "../../host/virtio/mmio.js";
import {
  VirtqueueError, VIRTQ_AVAIL_F_NO_INTERRUPT, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE,
  VIRTQ_USED_F_NO_NOTIFY, MAX_INDIRECT_DESCRIPTORS, type VirtqueueFault,
} from "../../host/virtio/queue.js";
import { EntropyDevice } from "../../host/virtio/rng.js";
import { createGuardedRam, createRig, writeDescriptorAt, type Rig } from "./driver.js";

/** A virtio-rng rig, initialized; rng makes every writable byte visible. */
function rngRig(understood = VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX, queueSize = 64): Rig {
  const rig = createRig(new EntropyDevice({ mode: "deterministic", seed: 3, queueSize }));
  rig.driver.initialize(understood);
  return rig;
}

/** True if `bytes` holds anything but zeros (rng output landed). */
function touched(bytes: Uint8Array): boolean {
  return bytes.some((b) => b !== 0);
}

describe("descriptor chains", () => {
  it("fills a chain of several writable descriptors and reports the total length", () => {
    const { driver, ram } = rngRig();
    const queue = driver.queues[0]!;
    const request = queue.submit([{ writable: 5 }, { writable: 100 }, { writable: 3 }]);
    queue.kick();
    expect(queue.collect()).toEqual([{ id: request.head, length: 108 }]);
    for (const buffer of request.buffers) expect(touched(ram.read(buffer.address, buffer.length))).toBe(true);
  });

  it("serves several requests published before one notification, in order", () => {
    const { driver } = rngRig();
    const queue = driver.queues[0]!;
    const heads = [8, 16, 32].map((n) => queue.submit([{ writable: n }]).head);
    expect(queue.kick()).toBe(true);
    expect(queue.collect()).toEqual([{ id: heads[0], length: 8 }, { id: heads[1], length: 16 }, { id: heads[2], length: 32 }]);
  });

  it("accepts zero-length descriptors", () => {
    const { driver } = rngRig();
    const queue = driver.queues[0]!;
    const request = queue.submit([{ writable: 0 }, { writable: 4 }]);
    queue.kick();
    expect(queue.collect()).toEqual([{ id: request.head, length: 4 }]);
  });
});

describe("indirect descriptors", () => {
  it("serves a request whose buffers sit in an indirect table", () => {
    const { driver, ram } = rngRig();
    const queue = driver.queues[0]!;
    const request = queue.submit([{ writable: 7 }, { writable: 9 }], { indirect: true });
    queue.kick();
    expect(queue.collect()).toEqual([{ id: request.head, length: 16 }]);
    for (const buffer of request.buffers) expect(touched(ram.read(buffer.address, buffer.length))).toBe(true);
  });

  it("handles direct descriptors followed by one indirect one, ignoring its WRITE flag", () => {
    const { driver, ram } = rngRig();
    const queue = driver.queues[0]!;
    const direct = driver.allocator.alloc(4);
    const inTable = driver.allocator.alloc(6);
    const table = driver.allocator.alloc(16);
    writeDescriptorAt(ram, table, inTable, 6, VIRTQ_DESC_F_WRITE, 0);
    queue.writeDescriptor(0, direct, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    queue.writeDescriptor(1, table, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_WRITE);
    queue.publish(0);
    queue.kick();
    expect(queue.collect()).toEqual([{ id: 0, length: 10 }]);
    expect(touched(ram.read(inTable, 6))).toBe(true);
  });
});

describe("used buffer notification suppression", () => {
  it("without EVENT_IDX, VRING_AVAIL_F_NO_INTERRUPT suppresses the interrupt but not the work", () => {
    const { driver } = rngRig(0n);
    const queue = driver.queues[0]!;
    queue.setAvailableFlags(VIRTQ_AVAIL_F_NO_INTERRUPT);
    queue.submit([{ writable: 4 }]);
    queue.kick();
    expect(queue.collect()).toHaveLength(1);
    expect(driver.line).toBe(false);
    queue.setAvailableFlags(0);
    queue.submit([{ writable: 4 }]);
    queue.kick();
    expect(driver.handleInterrupt()).toBe(VIRTIO_MMIO_INT_VRING);
  });

  it("with EVENT_IDX, interrupts only when the used idx passes used_event (and ignores flags)", () => {
    const { driver } = rngRig();
    const queue = driver.queues[0]!;
    queue.setAvailableFlags(VIRTQ_AVAIL_F_NO_INTERRUPT); // must be ignored under EVENT_IDX
    queue.setUsedEvent(2); // interrupt when entry 2 (the third) is written
    const seen: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      queue.submit([{ writable: 4 }]);
      queue.kick();
      seen.push(driver.handleInterrupt() !== 0);
    }
    expect(seen).toEqual([false, false, true, false]);
    expect(queue.collect()).toHaveLength(4);
  });

  it("with EVENT_IDX, a batch crossing used_event interrupts once", () => {
    const { driver } = rngRig();
    const queue = driver.queues[0]!;
    queue.setUsedEvent(1);
    for (let i = 0; i < 3; i++) queue.submit([{ writable: 4 }]);
    queue.kick();
    expect(driver.lineChanges).toEqual([true]);
    expect(queue.collect()).toHaveLength(3);
  });
});

describe("available buffer notification suppression", () => {
  it("with EVENT_IDX the device publishes avail_event = next index it will consume", () => {
    const { driver } = rngRig();
    const queue = driver.queues[0]!;
    queue.submit([{ writable: 4 }]);
    expect(queue.kick()).toBe(true);
    expect(queue.availableEvent()).toBe(1);
    // Two more published in one batch: one notification is enough.
    queue.submit([{ writable: 4 }]);
    queue.submit([{ writable: 4 }]);
    expect(queue.kick()).toBe(true);
    expect(queue.availableEvent()).toBe(3);
    expect(queue.collect()).toHaveLength(3);
  });

  it("without EVENT_IDX used.flags is 0; a device that polls sets NO_NOTIFY", () => {
    const { driver, transport } = rngRig(0n);
    const queue = driver.queues[0]!;
    expect(queue.usedFlags()).toBe(0);
    transport.queue(0)!.setNotifications(false);
    expect(queue.usedFlags()).toBe(VIRTQ_USED_F_NO_NOTIFY);
    queue.submit([{ writable: 4 }]);
    expect(queue.kick()).toBe(false);
    expect(queue.collect()).toHaveLength(0); // published but not notified: a polling device's job
    transport.queue(0)!.setNotifications(true);
    expect(queue.usedFlags()).toBe(0);
    queue.submit([{ writable: 4 }]);
    expect(queue.kick()).toBe(true);
    expect(queue.collect()).toHaveLength(2);
    queue.notify(); // a spurious notification is harmless (§2.7.10)
    expect(queue.collect()).toHaveLength(0);
  });
});

describe("16-bit index wrap-around", () => {
  it("keeps serving and signalling across 65536 (avail, used and event indices)", () => {
    const { driver, ram, guarded } = rngRig(VIRTIO_F_EVENT_IDX, 4);
    const queue = driver.queues[0]!;
    const buffer = driver.allocator.alloc(4);
    queue.writeDescriptor(0, buffer, 4, VIRTQ_DESC_F_WRITE);
    const total = 70_000;
    let interrupts = 0;
    for (let i = 0; i < total; i++) {
      queue.setUsedEvent(queue.usedIndex); // an interrupt for every buffer
      queue.publish(0);
      queue.kick();
      if (driver.handleInterrupt() & VIRTIO_MMIO_INT_VRING) interrupts++;
      const used = queue.collect();
      if (used.length !== 1 || used[0]!.id !== 0 || used[0]!.length !== 4) throw new Error(`iteration ${i}: ${JSON.stringify(used)}`);
    }
    expect(interrupts).toBe(total);
    expect(queue.deviceUsedIndex()).toBe(total & 0xffff);
    expect(queue.availableEvent()).toBe(total & 0xffff);
    expect(driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(0);
    expect(touched(ram.read(buffer, 4))).toBe(true);
    expect(guarded.guardsIntact()).toBe(true);
  });
});

describe("a malicious driver", () => {
  /** Publishes head 0 after `build` wrote descriptors, notifies, and checks containment. */
  function expectFault(fault: VirtqueueFault, build: (rig: Rig) => void,
    understood = VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX): Rig {
    const rig = rngRig(understood);
    const before = rig.ram.bytes.slice();
    build(rig);
    const queue = rig.driver.queues[0]!;
    const written = rig.ram.bytes.slice();
    expect(() => queue.notify()).not.toThrow();
    const { transport, driver, guarded } = rig;
    expect(transport.lastError).toBeInstanceOf(VirtqueueError);
    expect((transport.lastError as VirtqueueError).fault).toBe(fault);
    expect(driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(driver.status() & STATUS_DRIVER_OK).toBe(STATUS_DRIVER_OK);
    expect(driver.handleInterrupt()).toBe(VIRTIO_MMIO_INT_CONFIG);
    expect(queue.deviceUsedIndex()).toBe(0);
    expect(guarded.guardsIntact()).toBe(true);
    // The device wrote nothing at all into RAM while failing (only the driver's own setup changed it).
    expect(Buffer.compare(rig.ram.bytes, written)).toBe(0);
    void before;
    // Further notifications are ignored until a reset, and a reset brings the device back.
    queue.notify();
    expect(queue.deviceUsedIndex()).toBe(0);
    driver.initialize();
    const fresh = driver.queues[0]!;
    fresh.submit([{ writable: 4 }]);
    fresh.kick();
    expect(fresh.collect()).toHaveLength(1);
    expect(guarded.guardsIntact()).toBe(true);
    return rig;
  }

  it("a buffer below RAM", () => expectFault("buffer-out-of-range", ({ driver }) => {
    driver.queues[0]!.writeDescriptor(0, 0x1000, 16, VIRTQ_DESC_F_WRITE);
    driver.queues[0]!.publish(0);
  }));

  it("a buffer straddling the end of RAM", () => expectFault("buffer-out-of-range", ({ driver, ram }) => {
    driver.queues[0]!.writeDescriptor(0, ram.end - 8, 16, VIRTQ_DESC_F_WRITE);
    driver.queues[0]!.publish(0);
  }));

  it("a buffer just past the end of RAM", () => expectFault("buffer-out-of-range", ({ driver, ram }) => {
    driver.queues[0]!.writeDescriptor(0, ram.end, 1, VIRTQ_DESC_F_WRITE);
    driver.queues[0]!.publish(0);
  }));

  it("a 64-bit address that wraps or exceeds 2^53", () => expectFault("buffer-out-of-range", ({ driver, ram }) => {
    driver.queues[0]!.writeDescriptor(0, (1n << 64n) - 16n + BigInt(ram.base), 64, VIRTQ_DESC_F_WRITE);
    driver.queues[0]!.publish(0);
  }));

  it("a 4 GiB length", () => expectFault("buffer-out-of-range", ({ driver, ram }) => {
    driver.queues[0]!.writeDescriptor(0, ram.base, 0xffff_ffff, VIRTQ_DESC_F_WRITE);
    driver.queues[0]!.publish(0);
  }));

  it("a chain that loops on itself", () => expectFault("chain-loop", ({ driver }) => {
    const buffer = driver.allocator.alloc(4);
    driver.queues[0]!.writeDescriptor(0, buffer, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
    driver.queues[0]!.publish(0);
  }));

  it("a chain that loops through two descriptors", () => expectFault("chain-loop", ({ driver }) => {
    const buffer = driver.allocator.alloc(4);
    driver.queues[0]!.writeDescriptor(0, buffer, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    driver.queues[0]!.writeDescriptor(1, buffer, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
    driver.queues[0]!.publish(0);
  }));

  it("a chain longer than the queue (every descriptor chained, the last back to the first)",
    () => expectFault("chain-loop", ({ driver }) => {
      const buffer = driver.allocator.alloc(4);
      const queue = driver.queues[0]!;
      for (let i = 0; i < queue.size; i++) {
        queue.writeDescriptor(i, buffer, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, (i + 1) % queue.size);
      }
      queue.publish(5);
    }));

  it("next past the descriptor table", () => expectFault("next-out-of-range", ({ driver }) => {
    const buffer = driver.allocator.alloc(4);
    driver.queues[0]!.writeDescriptor(0, buffer, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 64);
    driver.queues[0]!.publish(0);
  }));

  it("a head past the descriptor table", () => expectFault("head-out-of-range", ({ driver }) => {
    driver.queues[0]!.publish(0xffff);
  }));

  it("avail idx jumping by more than the queue size", () => expectFault("available-index-jump", ({ driver, ram }) => {
    const queue = driver.queues[0]!;
    ram.write(queue.available + 2, new Uint8Array([65, 0])); // 65 > 64 entries
  }));

  it("avail idx moving backwards", () => expectFault("available-index-jump", ({ driver, ram }) => {
    const queue = driver.queues[0]!;
    ram.write(queue.available + 2, new Uint8Array([0xff, 0xff]));
  }));

  it("a readable descriptor after a writable one", () => expectFault("readable-after-writable", ({ driver }) => {
    const buffer = driver.allocator.alloc(8);
    driver.queues[0]!.writeDescriptor(0, buffer, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    driver.queues[0]!.writeDescriptor(1, buffer + 4, 4, 0);
    driver.queues[0]!.publish(0);
  }));

  it("an indirect descriptor without VIRTIO_F_INDIRECT_DESC", () => expectFault("indirect-not-negotiated", ({ driver, ram }) => {
    const table = driver.allocator.alloc(16);
    writeDescriptorAt(ram, table, driver.allocator.alloc(4), 4, VIRTQ_DESC_F_WRITE, 0);
    driver.queues[0]!.writeDescriptor(0, table, 16, VIRTQ_DESC_F_INDIRECT);
    driver.queues[0]!.publish(0);
  }, VIRTIO_F_EVENT_IDX));

  it("an indirect table inside an indirect table", () => expectFault("nested-indirect", ({ driver, ram }) => {
    const inner = driver.allocator.alloc(16);
    writeDescriptorAt(ram, inner, driver.allocator.alloc(4), 4, VIRTQ_DESC_F_WRITE, 0);
    const outer = driver.allocator.alloc(16);
    writeDescriptorAt(ram, outer, inner, 16, VIRTQ_DESC_F_INDIRECT, 0);
    driver.queues[0]!.writeDescriptor(0, outer, 16, VIRTQ_DESC_F_INDIRECT);
    driver.queues[0]!.publish(0);
  }));

  it("a zero-length indirect table", () => expectFault("indirect-bad-length", ({ driver }) => {
    driver.queues[0]!.writeDescriptor(0, driver.allocator.alloc(16), 0, VIRTQ_DESC_F_INDIRECT);
    driver.queues[0]!.publish(0);
  }));

  it("an indirect table whose length is not a multiple of 16", () => expectFault("indirect-bad-length", ({ driver }) => {
    driver.queues[0]!.writeDescriptor(0, driver.allocator.alloc(32), 24, VIRTQ_DESC_F_INDIRECT);
    driver.queues[0]!.publish(0);
  }));

  it("an indirect table outside RAM", () => expectFault("indirect-out-of-range", ({ driver, ram }) => {
    driver.queues[0]!.writeDescriptor(0, ram.end - 16, 32, VIRTQ_DESC_F_INDIRECT);
    driver.queues[0]!.publish(0);
  }));

  it("an oversized indirect table", () => expectFault("indirect-too-large", ({ driver, ram }) => {
    driver.queues[0]!.writeDescriptor(0, ram.base, 16 * (MAX_INDIRECT_DESCRIPTORS + 1), VIRTQ_DESC_F_INDIRECT);
    driver.queues[0]!.publish(0);
  }));

  it("INDIRECT together with NEXT", () => expectFault("indirect-with-next", ({ driver, ram }) => {
    const table = driver.allocator.alloc(16);
    writeDescriptorAt(ram, table, driver.allocator.alloc(4), 4, VIRTQ_DESC_F_WRITE, 0);
    driver.queues[0]!.writeDescriptor(0, table, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
    driver.queues[0]!.publish(0);
  }));

  it("a loop inside an indirect table", () => expectFault("chain-loop", ({ driver, ram }) => {
    const table = driver.allocator.alloc(32);
    const buffer = driver.allocator.alloc(4);
    writeDescriptorAt(ram, table, buffer, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    writeDescriptorAt(ram, table + 16, buffer, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
    driver.queues[0]!.writeDescriptor(0, table, 32, VIRTQ_DESC_F_INDIRECT);
    driver.queues[0]!.publish(0);
  }));

  it("next past the end of an indirect table", () => expectFault("next-out-of-range", ({ driver, ram }) => {
    const table = driver.allocator.alloc(16);
    writeDescriptorAt(ram, table, driver.allocator.alloc(4), 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    driver.queues[0]!.writeDescriptor(0, table, 16, VIRTQ_DESC_F_INDIRECT);
    driver.queues[0]!.publish(0);
  }));

  it("a buffer outside RAM named from an indirect table", () => expectFault("buffer-out-of-range", ({ driver, ram }) => {
    const table = driver.allocator.alloc(16);
    writeDescriptorAt(ram, table, 0x4000_0000, 4, VIRTQ_DESC_F_WRITE, 0);
    driver.queues[0]!.writeDescriptor(0, table, 16, VIRTQ_DESC_F_INDIRECT);
    driver.queues[0]!.publish(0);
  }));

  it("requests before a bad one are completed and signalled; the bad one stops the queue", () => {
    const rig = rngRig();
    const queue = rig.driver.queues[0]!;
    const good = queue.submit([{ writable: 4 }]);
    const bad = queue.allocateDescriptor();
    queue.writeDescriptor(bad, 0x10, 4, VIRTQ_DESC_F_WRITE);
    queue.publish(bad);
    queue.kick();
    expect(queue.collect()).toEqual([{ id: good.head, length: 4 }]);
    expect(rig.driver.handleInterrupt()).toBe(VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG);
    expect(rig.driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(rig.guarded.guardsIntact()).toBe(true);
  });

  it("random garbage in the rings and tables never throws or writes outside RAM", () => {
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const guarded = createGuardedRam();
    const faults = new Set<VirtqueueFault>();
    let completedRounds = 0;
    for (let round = 0; round < 300; round++) {
      const rig = createRig(new EntropyDevice({ mode: "deterministic", queueSize: 8 }), {}, guarded);
      rig.driver.initialize(round % 2 ? VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX : 0n);
      const queue = rig.driver.queues[0]!;
      // Scribble over the descriptor table and the available ring: plausible values mixed with
      // wild ones, so that chains get walked and trip the deeper checks, not only the first.
      for (let i = 0; i < 8; i++) {
        const pick = next() % 4;
        const address = pick === 0 ? next() : pick === 1 ? rig.ram.base + (next() % 0x8000) * 16
          : pick === 2 ? rig.ram.end - (next() & 0xff) : queue.descriptors + 16 * (next() % 8);
        const length = next() % 3 === 0 ? next() : (next() % 5) * 16;
        writeDescriptorAt(rig.ram, queue.descriptors + 16 * i, address, length, next() & 7, next() % 10);
      }
      rig.ram.write(queue.available, new Uint8Array([next() & 1, 0, next() % 10, 0]));
      for (let i = 0; i < 8; i++) rig.ram.write(queue.available + 4 + 2 * i, new Uint8Array([next() % 10, 0]));
      expect(() => queue.notify()).not.toThrow();
      expect(rig.guarded.guardsIntact()).toBe(true);
      if (rig.transport.lastError) faults.add((rig.transport.lastError as VirtqueueError).fault);
      if (queue.deviceUsedIndex() !== 0) completedRounds++;
    }
    // The garbage reached deep enough to trip many different checks, and some chains were valid.
    expect(faults.size).toBeGreaterThanOrEqual(6);
    expect(completedRounds).toBeGreaterThan(0);
  });
});
