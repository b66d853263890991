// virtio-console (spec §5.3) and virtio-rng (spec §5.4) through the virtio-mmio transport.
import { describe, expect, it } from "vitest";
import { ConsoleInput } from "../../host/machine/console.js";
import {
  ConsoleDevice, CONSOLE_RECEIVE_QUEUE, CONSOLE_TRANSMIT_QUEUE, VIRTIO_CONSOLE_F_EMERG_WRITE, VIRTIO_CONSOLE_F_SIZE,
} from "../../host/virtio/console.js";
import { STATUS_DEVICE_NEEDS_RESET, VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC } from "../../host/virtio/device.js";
import { VIRTIO_MMIO_INT_VRING } from "../../host/virtio/mmio.js";
import { DeterministicRandom, EntropyDevice } from "../../host/virtio/rng.js";
import { createRig } from "./driver.js";

const ALL = VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX;

function consoleRig(options: { size?: { columns: number; rows: number }; understood?: bigint } = {}) {
  const output: number[] = [];
  const input = new ConsoleInput(true);
  const device = new ConsoleDevice({ output: { writeByte: (b) => output.push(b) }, input, size: options.size });
  input.listener = () => device.receiveInput();
  const rig = createRig(device);
  rig.driver.initialize(options.understood ?? ALL | VIRTIO_CONSOLE_F_SIZE);
  const text = () => Buffer.from(output).toString("latin1");
  return { ...rig, device, input, output, text, rx: rig.driver.queues[CONSOLE_RECEIVE_QUEUE]!, tx: rig.driver.queues[CONSOLE_TRANSMIT_QUEUE]! };
}

describe("virtio-console", () => {
  it("has a receiveq and a transmitq and offers EMERG_WRITE (SIZE only with a size)", () => {
    const plain = new ConsoleDevice({ output: { writeByte: () => {} } });
    expect(plain.queueMaxSizes).toHaveLength(2);
    expect(plain.deviceFeatures).toBe(VIRTIO_CONSOLE_F_EMERG_WRITE);
    const sized = new ConsoleDevice({ output: { writeByte: () => {} }, size: { columns: 100, rows: 30 } });
    expect(sized.deviceFeatures & VIRTIO_CONSOLE_F_SIZE).toBe(VIRTIO_CONSOLE_F_SIZE);
    expect(sized.readConfig(0, 4)).toBe((30n << 16n) | 100n);
    expect(() => plain.resize({ columns: 1, rows: 1 })).toThrow(/without a size/);
    expect(() => new ConsoleDevice({ output: { writeByte: () => {} }, size: { columns: 0, rows: 1 } })).toThrow(/columns/);
  });

  it("sends transmitted buffers to the sink in order, with used length 0", () => {
    const rig = consoleRig();
    const first = rig.tx.submit([{ data: Buffer.from("hello, ") }, { data: Buffer.from("virtio") }]);
    const second = rig.tx.submit([{ data: Buffer.from(" console\n") }], { indirect: true });
    rig.tx.kick();
    expect(rig.text()).toBe("hello, virtio console\n");
    expect(rig.tx.collect()).toEqual([{ id: first.head, length: 0 }, { id: second.head, length: 0 }]);
    expect(rig.device.bytesTransmitted).toBe(22);
  });

  it("ignores device-writable buffers in the transmitq", () => {
    const rig = consoleRig();
    const submitted = rig.tx.submit([{ data: Buffer.from("ok") }, { writable: 8 }]);
    rig.tx.kick();
    expect(rig.text()).toBe("ok");
    expect(rig.tx.collect()).toEqual([{ id: submitted.head, length: 0 }]);
    expect(rig.ram.read(submitted.buffers[1]!.address, 8).every((b) => b === 0)).toBe(true);
  });

  it("delivers input that arrives after buffers were posted, and signals", () => {
    const rig = consoleRig();
    const buffer = rig.rx.submit([{ writable: 16 }]);
    rig.rx.kick();
    expect(rig.rx.collect()).toEqual([]); // no input yet: the buffer stays posted
    rig.input.push("ls -l\n");
    expect(rig.driver.handleInterrupt() & VIRTIO_MMIO_INT_VRING).toBe(VIRTIO_MMIO_INT_VRING);
    expect(rig.rx.collect()).toEqual([{ id: buffer.head, length: 6 }]);
    expect(Buffer.from(rig.ram.read(buffer.buffers[0]!.address, 6)).toString()).toBe("ls -l\n");
  });

  it("keeps input that arrives before buffers, and splits it over several buffers", () => {
    const rig = consoleRig();
    rig.input.push("abcdefghij");
    expect(rig.device.receiveInput()).toBe(0);
    const first = rig.rx.submit([{ writable: 4 }]);
    const second = rig.rx.submit([{ writable: 2 }, { writable: 2 }]);
    rig.rx.kick();
    expect(rig.rx.collect()).toEqual([{ id: first.head, length: 4 }, { id: second.head, length: 4 }]);
    expect(rig.input.pending()).toBe(2);
    const third = rig.rx.submit([{ writable: 64 }]);
    rig.rx.kick();
    expect(rig.rx.collect()).toEqual([{ id: third.head, length: 2 }]);
    expect(Buffer.from(rig.ram.read(third.buffers[0]!.address, 2)).toString()).toBe("ij");
    expect(rig.device.bytesReceived).toBe(10);
  });

  it("delivers waiting input as soon as the driver sets DRIVER_OK with buffers posted", () => {
    const output: number[] = [];
    const input = new ConsoleInput(true);
    input.push("early");
    const device = new ConsoleDevice({ output: { writeByte: (b) => output.push(b) }, input });
    const rig = createRig(device);
    rig.driver.initialize();
    rig.driver.queues[0]!.submit([{ writable: 8 }]);
    rig.driver.queues[0]!.kick();
    expect(rig.driver.queues[0]!.collect()).toEqual([{ id: 0, length: 5 }]);
  });

  it("emerg_wr writes a byte to the sink at any time, even before initialization", () => {
    const output: number[] = [];
    const device = new ConsoleDevice({ output: { writeByte: (b) => output.push(b) } });
    const rig = createRig(device);
    rig.transport.write(0x100 + 8, 4, 0x41n);
    rig.driver.initialize();
    rig.transport.write(0x100 + 8, 4, 0x142n);
    expect(Buffer.from(output).toString()).toBe("AB");
  });

  it("a malicious receive buffer outside RAM needs a reset and consumes no input", () => {
    const rig = consoleRig();
    rig.input.push("secret");
    rig.rx.writeDescriptor(0, rig.ram.end, 16, 2 /* WRITE */);
    rig.rx.publish(0);
    rig.rx.notify();
    expect(rig.driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(rig.input.pending()).toBe(6);
    expect(rig.guarded.guardsIntact()).toBe(true);
    rig.input.push("more"); // input arriving on a broken device is held, not thrown
    expect(rig.input.pending()).toBe(10);
  });
});

describe("virtio-rng", () => {
  it("fills buffers from the host CSPRNG in real mode", () => {
    const device = new EntropyDevice();
    expect(device.mode).toBe("real");
    const rig = createRig(device);
    rig.driver.initialize();
    const queue = rig.driver.queues[0]!;
    const request = queue.submit([{ writable: 64 }]);
    queue.kick();
    expect(queue.collect()).toEqual([{ id: request.head, length: 64 }]);
    expect(rig.ram.read(request.buffers[0]!.address, 64).some((b) => b !== 0)).toBe(true);
  });

  it("is repeatable in deterministic mode and differs between seeds", () => {
    const stream = (seed: number) => {
      const rig = createRig(new EntropyDevice({ mode: "deterministic", seed }));
      rig.driver.initialize();
      const queue = rig.driver.queues[0]!;
      const request = queue.submit([{ writable: 13 }, { writable: 19 }]);
      queue.kick();
      queue.collect();
      return [...rig.ram.read(request.buffers[0]!.address, 13), ...rig.ram.read(request.buffers[1]!.address, 19)];
    };
    expect(stream(42)).toEqual(stream(42));
    expect(stream(42)).not.toEqual(stream(43));
    const reference = new Uint8Array(32);
    new DeterministicRandom(42).fill(reference);
    expect(stream(42)).toEqual(Array.from(reference));
  });

  it("the deterministic generator is a known sequence", () => {
    const generator = new DeterministicRandom(0);
    const words = [generator.next32(), generator.next32(), generator.next32()];
    expect(new Set(words).size).toBe(3);
    const again = new DeterministicRandom(0n);
    expect([again.next32(), again.next32(), again.next32()]).toEqual(words);
  });

  it("caps the bytes per request and reports how many it gave", () => {
    const rig = createRig(new EntropyDevice({ mode: "deterministic", maxBytesPerRequest: 10 }));
    rig.driver.initialize();
    const queue = rig.driver.queues[0]!;
    const request = queue.submit([{ writable: 6 }, { writable: 6 }]);
    queue.kick();
    expect(queue.collect()).toEqual([{ id: request.head, length: 10 }]);
    expect(rig.ram.read(request.buffers[1]!.address + 4, 2)).toEqual(new Uint8Array(2));
  });

  it("returns a chain without writable buffers with length 0", () => {
    const rig = createRig(new EntropyDevice({ mode: "deterministic" }));
    rig.driver.initialize();
    const queue = rig.driver.queues[0]!;
    const request = queue.submit([{ data: new Uint8Array(8) }]);
    queue.kick();
    expect(queue.collect()).toEqual([{ id: request.head, length: 0 }]);
  });

  it("uses a custom source and rejects bad options", () => {
    const device = new EntropyDevice({ source: (target) => target.fill(0x5a) });
    expect(device.mode).toBe("custom");
    const rig = createRig(device);
    rig.driver.initialize();
    const queue = rig.driver.queues[0]!;
    const request = queue.submit([{ writable: 3 }]);
    queue.kick();
    queue.collect();
    expect(Array.from(rig.ram.read(request.buffers[0]!.address, 3))).toEqual([0x5a, 0x5a, 0x5a]);
    expect(() => new EntropyDevice({ mode: "chaotic" as "real" })).toThrow(/unknown virtio-rng mode/);
    expect(() => new EntropyDevice({ maxBytesPerRequest: 0 })).toThrow(/maxBytesPerRequest/);
  });
});
