// A test virtio driver: guest RAM over a plain WebAssembly.Memory with guard bands on both sides,
// a bump allocator in that RAM, and a driver that talks to a VirtioMmioTransport the way Linux's
// virtio_mmio + virtio_ring do: reset, ACKNOWLEDGE, DRIVER, read both feature words, write the
// accepted ones, FEATURES_OK (re-read), queue setup (QueueSel, QueueReady == 0, QueueNumMax,
// QueueNum, the three area addresses, QueueReady = 1), DRIVER_OK; requests through split rings
// with free-running 16-bit indices, optional indirect tables and event-index suppression; the
// interrupt handler reads InterruptStatus and acknowledges it.
import { GuestRam, MemoryViews, memoryPagesFor } from "../../host/core/memory.js";
import { RAM_HOST_BASE } from "../../host/core/layout.generated.js";
import {
  STATUS_ACKNOWLEDGE, STATUS_DRIVER, STATUS_DRIVER_OK, STATUS_FEATURES_OK, VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC,
  VIRTIO_F_VERSION_1, type VirtioDevice,
} from "../../host/virtio/device.js";
import {
  VirtioMmioTransport, VIRTIO_MMIO_DEVICE_FEATURES, VIRTIO_MMIO_DEVICE_FEATURES_SEL, VIRTIO_MMIO_DEVICE_ID,
  VIRTIO_MMIO_DRIVER_FEATURES, VIRTIO_MMIO_DRIVER_FEATURES_SEL, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INTERRUPT_STATUS,
  VIRTIO_MMIO_MAGIC, VIRTIO_MMIO_MAGIC_VALUE, VIRTIO_MMIO_QUEUE_DESC_HIGH, VIRTIO_MMIO_QUEUE_DESC_LOW,
  VIRTIO_MMIO_QUEUE_DEVICE_HIGH, VIRTIO_MMIO_QUEUE_DEVICE_LOW, VIRTIO_MMIO_QUEUE_DRIVER_HIGH,
  VIRTIO_MMIO_QUEUE_DRIVER_LOW, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_MMIO_QUEUE_NUM, VIRTIO_MMIO_QUEUE_NUM_MAX,
  VIRTIO_MMIO_QUEUE_READY, VIRTIO_MMIO_QUEUE_SEL, VIRTIO_MMIO_STATUS, VIRTIO_MMIO_VERSION,
  VIRTIO_MMIO_VERSION_REGISTER, type VirtioMmioOptions,
} from "../../host/virtio/mmio.js";
import {
  VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE, VIRTQ_USED_F_NO_NOTIFY,
} from "../../host/virtio/queue.js";

/** Bytes of guard band on each side of RAM. */
export const GUARD_SIZE = 0x1_0000;
/** The guard pattern. */
export const GUARD_BYTE = 0xa5;

/** Guest RAM with guard bands in linear memory just below and just above it. */
export interface GuardedRam {
  ram: GuestRam;
  views: MemoryViews;
  /** True if no byte of either guard band changed. */
  guardsIntact(): boolean;
}

/** Creates `size` bytes of RAM (plain, non-shared memory) with guard bands around it. */
export function createGuardedRam(size = 0x10_0000): GuardedRam {
  const pages = memoryPagesFor(size) + 1; // one spare page above RAM for the upper guard
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const views = new MemoryViews(memory);
  const ram = new GuestRam(views, size);
  const below = views.u8.subarray(RAM_HOST_BASE - GUARD_SIZE, RAM_HOST_BASE);
  const above = views.u8.subarray(RAM_HOST_BASE + size, RAM_HOST_BASE + size + GUARD_SIZE);
  below.fill(GUARD_BYTE);
  above.fill(GUARD_BYTE);
  return {
    ram, views,
    guardsIntact: () => below.every((b) => b === GUARD_BYTE) && above.every((b) => b === GUARD_BYTE),
  };
}

/** A bump allocator over guest RAM (never frees; tests are short). */
export class RamAllocator {
  private next: number;

  /** Starts allocating at `ram.base + start`. */
  constructor(private readonly ram: GuestRam, start = 0x1000) {
    this.next = ram.base + start;
  }

  /** Returns a zeroed block of `size` bytes aligned to `alignment`. */
  alloc(size: number, alignment = 16): number {
    const address = Math.ceil(this.next / alignment) * alignment;
    if (address + size > this.ram.end) throw new Error("test RAM exhausted");
    this.next = address + size;
    this.ram.fill(address, size, 0);
    return address;
  }
}

/** One element of a request: bytes for the device to read, or room for it to write. */
export type Segment = { data: Uint8Array } | { writable: number };

/** A request the driver made available. */
export interface Submitted {
  head: number;
  /** Buffer addresses and lengths, in segment order. */
  buffers: { address: number; length: number; writable: boolean }[];
}

/** A used ring element. */
export interface UsedElement {
  id: number;
  length: number;
}

/** The driver's view of one queue. */
export class DriverQueue {
  /** Next available idx to publish (free-running u16). */
  availableIndex = 0;
  /** Next used idx to consume (free-running u16). */
  usedIndex = 0;
  /** avail idx at the last notification decision. */
  notifiedIndex = 0;
  private free: number[];

  /** Creates the driver state of queue `index` laid out at the given addresses. */
  constructor(readonly driver: TestDriver, readonly index: number, readonly size: number,
    readonly descriptors: number, readonly available: number, readonly used: number) {
    this.free = Array.from({ length: size }, (_, i) => i);
  }

  /** Writes descriptor `index` of the queue's table. */
  writeDescriptor(index: number, address: number | bigint, length: number, flags: number, next = 0): void {
    writeDescriptorAt(this.driver.ram, this.descriptors + 16 * index, address, length, flags, next);
  }

  /** Takes a free descriptor index. */
  allocateDescriptor(): number {
    const index = this.free.shift();
    if (index === undefined) throw new Error("no free descriptors");
    return index;
  }

  /** Puts `head` in the next available slot and bumps avail idx (no notification). */
  publish(head: number): void {
    const ram = this.driver.ram;
    write16(ram, this.available + 4 + 2 * (this.availableIndex % this.size), head);
    this.availableIndex = (this.availableIndex + 1) & 0xffff;
    write16(ram, this.available + 2, this.availableIndex);
  }

  /** Sets avail.flags (VIRTQ_AVAIL_F_NO_INTERRUPT). */
  setAvailableFlags(flags: number): void {
    write16(this.driver.ram, this.available, flags);
  }

  /** Sets used_event (event-index suppression of used buffer notifications). */
  setUsedEvent(value: number): void {
    write16(this.driver.ram, this.available + 4 + 2 * this.size, value);
  }

  /** used.flags as the device wrote it. */
  usedFlags(): number {
    return read16(this.driver.ram, this.used);
  }

  /** avail_event as the device wrote it. */
  availableEvent(): number {
    return read16(this.driver.ram, this.used + 4 + 8 * this.size);
  }

  /** used.idx as the device wrote it. */
  deviceUsedIndex(): number {
    return read16(this.driver.ram, this.used + 2);
  }

  /**
   * Places a request: each segment in its own buffer and descriptor (or all in one indirect
   * table), then publishes the head. Does not notify.
   */
  submit(segments: Segment[], options: { indirect?: boolean } = {}): Submitted {
    const allocator = this.driver.allocator;
    const buffers = segments.map((segment) => {
      if ("data" in segment) {
        const address = allocator.alloc(Math.max(1, segment.data.length), 8);
        this.driver.ram.write(address, segment.data);
        return { address, length: segment.data.length, writable: false };
      }
      const address = allocator.alloc(Math.max(1, segment.writable), 8);
      return { address, length: segment.writable, writable: true };
    });
    let head: number;
    if (options.indirect) {
      const table = allocator.alloc(16 * buffers.length, 16);
      buffers.forEach((buffer, i) => {
        const last = i === buffers.length - 1;
        writeDescriptorAt(this.driver.ram, table + 16 * i, buffer.address, buffer.length,
          (buffer.writable ? VIRTQ_DESC_F_WRITE : 0) | (last ? 0 : VIRTQ_DESC_F_NEXT), last ? 0 : i + 1);
      });
      head = this.allocateDescriptor();
      this.writeDescriptor(head, table, 16 * buffers.length, VIRTQ_DESC_F_INDIRECT);
    } else {
      const indices = buffers.map(() => this.allocateDescriptor());
      buffers.forEach((buffer, i) => {
        const last = i === buffers.length - 1;
        this.writeDescriptor(indices[i]!, buffer.address, buffer.length,
          (buffer.writable ? VIRTQ_DESC_F_WRITE : 0) | (last ? 0 : VIRTQ_DESC_F_NEXT), last ? 0 : indices[i + 1]!);
      });
      head = indices[0]!;
    }
    this.publish(head);
    return { head, buffers };
  }

  /**
   * Notifies the device if it wants it (§2.7.10 driver side): with event index, when the new
   * entries pass avail_event; otherwise unless used.flags has NO_NOTIFY. Returns whether it did.
   */
  kick(): boolean {
    const newIndex = this.availableIndex;
    const oldIndex = this.notifiedIndex;
    this.notifiedIndex = newIndex;
    let wanted: boolean;
    if (this.driver.negotiated & VIRTIO_F_EVENT_IDX) {
      const event = this.availableEvent();
      wanted = ((newIndex - event - 1) & 0xffff) < ((newIndex - oldIndex) & 0xffff);
    } else {
      wanted = (this.usedFlags() & VIRTQ_USED_F_NO_NOTIFY) === 0;
    }
    if (wanted) this.notify();
    return wanted;
  }

  /** Writes the queue index to QueueNotify unconditionally. */
  notify(): void {
    this.driver.write(VIRTIO_MMIO_QUEUE_NOTIFY, this.index);
  }

  /** Consumes every new used element (returning descriptors of simple chains to the free list). */
  collect(): UsedElement[] {
    const out: UsedElement[] = [];
    const ram = this.driver.ram;
    const deviceIndex = this.deviceUsedIndex();
    while (this.usedIndex !== deviceIndex) {
      const at = this.used + 4 + 8 * (this.usedIndex % this.size);
      const element = { id: ram.read32(at), length: ram.read32(at + 4) };
      out.push(element);
      this.release(element.id);
      this.usedIndex = (this.usedIndex + 1) & 0xffff;
    }
    return out;
  }

  /** Returns the chain starting at `head` to the free list. */
  private release(head: number): void {
    let index = head;
    for (let guard = 0; guard < this.size; guard++) {
      if (!this.free.includes(index)) this.free.push(index);
      const at = this.descriptors + 16 * index;
      const flags = read16(this.driver.ram, at + 12);
      if (!(flags & VIRTQ_DESC_F_NEXT)) return;
      index = read16(this.driver.ram, at + 14);
    }
  }
}

/** A driver bound to one transport. */
export class TestDriver {
  readonly allocator: RamAllocator;
  /** The feature bits accepted at FEATURES_OK. */
  negotiated = 0n;
  /** Each level the interrupt line took, in order. */
  readonly lineChanges: boolean[] = [];
  /** Current interrupt line level. */
  line = false;
  readonly queues: DriverQueue[] = [];

  /** Creates a driver for `transport`; its interrupt callback is taken over. */
  constructor(readonly transport: VirtioMmioTransport, readonly ram: GuestRam, allocator?: RamAllocator) {
    this.allocator = allocator ?? new RamAllocator(ram);
    transport.onInterrupt = (level) => {
      this.line = level;
      this.lineChanges.push(level);
    };
  }

  /** Reads a 32-bit register. */
  read(offset: number): number {
    return Number(this.transport.read(offset, 4));
  }

  /** Writes a 32-bit register. */
  write(offset: number, value: number): void {
    this.transport.write(offset, 4, BigInt(value >>> 0));
  }

  /** Reads `size` bytes of configuration space at `offset`. */
  readConfig(offset: number, size: number): bigint {
    return this.transport.read(0x100 + offset, size);
  }

  /** The device's offered features (both words). */
  deviceFeatures(): bigint {
    this.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    const high = BigInt(this.read(VIRTIO_MMIO_DEVICE_FEATURES));
    this.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    return (high << 32n) | BigInt(this.read(VIRTIO_MMIO_DEVICE_FEATURES));
  }

  /** Writes both words of the driver's features. */
  writeDriverFeatures(features: bigint): void {
    this.write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    this.write(VIRTIO_MMIO_DRIVER_FEATURES, Number(BigInt.asUintN(32, features >> 32n)));
    this.write(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    this.write(VIRTIO_MMIO_DRIVER_FEATURES, Number(BigInt.asUintN(32, features)));
  }

  /** ORs `bits` into Status and returns what the device reports back. */
  addStatus(bits: number): number {
    this.write(VIRTIO_MMIO_STATUS, this.read(VIRTIO_MMIO_STATUS) | bits);
    return this.read(VIRTIO_MMIO_STATUS);
  }

  /**
   * Initializes the device like Linux: returns the negotiated features. `understood` are the
   * bits this driver knows (VERSION_1 is always added); `queueSizes[i]` caps queue i's size.
   */
  initialize(understood: bigint = VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX, queueSizes: number[] = []): bigint {
    if (this.read(VIRTIO_MMIO_MAGIC_VALUE) !== VIRTIO_MMIO_MAGIC) throw new Error("bad magic");
    if (this.read(VIRTIO_MMIO_VERSION_REGISTER) !== VIRTIO_MMIO_VERSION) throw new Error("bad version");
    if (this.read(VIRTIO_MMIO_DEVICE_ID) === 0) throw new Error("empty slot");
    this.write(VIRTIO_MMIO_STATUS, 0);
    if (this.read(VIRTIO_MMIO_STATUS) !== 0) throw new Error("reset did not complete");
    this.addStatus(STATUS_ACKNOWLEDGE);
    this.addStatus(STATUS_DRIVER);
    const offered = this.deviceFeatures();
    if (!(offered & VIRTIO_F_VERSION_1)) throw new Error("device lacks VIRTIO_F_VERSION_1");
    const accepted = offered & (understood | VIRTIO_F_VERSION_1);
    this.writeDriverFeatures(accepted);
    if (!(this.addStatus(STATUS_FEATURES_OK) & STATUS_FEATURES_OK)) throw new Error("device refused features");
    this.negotiated = accepted;
    const device = this.transport.device as VirtioDevice;
    this.queues.length = 0;
    device.queueMaxSizes.forEach((_, index) => this.setupQueue(index, queueSizes[index]));
    this.addStatus(STATUS_DRIVER_OK);
    return accepted;
  }

  /** Sets up queue `index` (size: the device's maximum, capped by `size`). */
  setupQueue(index: number, size?: number): DriverQueue {
    this.write(VIRTIO_MMIO_QUEUE_SEL, index);
    if (this.read(VIRTIO_MMIO_QUEUE_READY) !== 0) throw new Error(`queue ${index} already in use`);
    const max = this.read(VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (max === 0) throw new Error(`queue ${index} not available`);
    const count = Math.min(size ?? max, max);
    const descriptors = this.allocator.alloc(16 * count, 4096);
    const available = this.allocator.alloc(6 + 2 * count, 2);
    const used = this.allocator.alloc(6 + 8 * count, 4096);
    this.write(VIRTIO_MMIO_QUEUE_NUM, count);
    this.write(VIRTIO_MMIO_QUEUE_DESC_LOW, descriptors);
    this.write(VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
    this.write(VIRTIO_MMIO_QUEUE_DRIVER_LOW, available);
    this.write(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
    this.write(VIRTIO_MMIO_QUEUE_DEVICE_LOW, used);
    this.write(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0);
    this.write(VIRTIO_MMIO_QUEUE_READY, 1);
    const queue = new DriverQueue(this, index, count, descriptors, available, used);
    this.queues[index] = queue;
    return queue;
  }

  /** The interrupt handler: reads InterruptStatus, acknowledges it, returns it. */
  handleInterrupt(): number {
    const status = this.read(VIRTIO_MMIO_INTERRUPT_STATUS);
    if (status) this.write(VIRTIO_MMIO_INTERRUPT_ACK, status);
    return status;
  }

  /** Current device status. */
  status(): number {
    return this.read(VIRTIO_MMIO_STATUS);
  }
}

/** Writes a 16-byte descriptor at guest physical `at`. */
export function writeDescriptorAt(ram: GuestRam, at: number, address: number | bigint, length: number, flags: number,
  next: number): void {
  ram.write64(at, BigInt(address));
  ram.write32(at + 8, length);
  write16(ram, at + 12, flags);
  write16(ram, at + 14, next);
}

/** Writes a little-endian u16 to guest RAM. */
export function write16(ram: GuestRam, address: number, value: number): void {
  ram.write(address, new Uint8Array([value & 0xff, (value >> 8) & 0xff]));
}

/** Reads a little-endian u16 from guest RAM. */
export function read16(ram: GuestRam, address: number): number {
  const bytes = ram.read(address, 2);
  return bytes[0]! | (bytes[1]! << 8);
}

/** Everything a device test needs: guarded RAM, the transport, an initialized driver. */
export interface Rig {
  guarded: GuardedRam;
  ram: GuestRam;
  transport: VirtioMmioTransport;
  driver: TestDriver;
}

/** Builds (or reuses) guarded RAM, a transport around `device`, and a driver (not yet initialized). */
export function createRig(device: VirtioDevice | undefined, options: Partial<VirtioMmioOptions> = {},
  ram: number | GuardedRam = 0x10_0000): Rig {
  const guarded = typeof ram === "number" ? createGuardedRam(ram) : ram;
  const transport = new VirtioMmioTransport({ memory: guarded.ram, device, ...options });
  const driver = new TestDriver(transport, guarded.ram);
  return { guarded, ram: guarded.ram, transport, driver };
}
