// A split virtqueue (virtio spec §2.7 "Split Virtqueues"), seen from the device side.
//
//   Descriptor Table (Descriptor Area, align 16, 16·size bytes):
//     struct virtq_desc { le64 addr; le32 len; le16 flags; le16 next; }
//   Available Ring (Driver Area, align 2, 6 + 2·size bytes):
//     le16 flags; le16 idx; le16 ring[size]; le16 used_event;
//   Used Ring (Device Area, align 4, 6 + 8·size bytes):
//     le16 flags; le16 idx; struct { le32 id; le32 len; } ring[size]; le16 avail_event;
//
// Everything is little-endian; idx fields are free-running 16-bit counters that wrap at 65536
// (§2.7.13.3) and address ring slot idx mod size.
//
// The driver is untrusted. Every guest-physical address the queue touches is checked against
// guest RAM before use, so no access ever leaves RAM; every violation of the ring protocol
// is reported as a VirtqueueError naming the fault:
//   - ring areas outside RAM or misaligned, an invalid queue size (when the queue is built);
//   - the available idx moving by more than the queue size (§2.7.6: a driver never exposes more
//     than size heads, and never moves idx backwards);
//   - a head or next index past the descriptor table; a chain that visits more descriptors than
//     its table holds (which, within one table, is exactly a loop, §2.7.5);
//   - a buffer outside RAM; a chain longer than 2^32 bytes (§2.7.5);
//   - a device-readable descriptor after a device-writable one (§2.7.4.2);
//   - VIRTQ_DESC_F_INDIRECT without VIRTIO_F_INDIRECT_DESC, with VIRTQ_DESC_F_NEXT, inside an
//     indirect table, or naming a table that is empty, not a multiple of 16 bytes, too large, or
//     outside RAM (§2.7.5.3.1).
// Devices catch these and put themselves in DEVICE_NEEDS_RESET (see BaseVirtioDevice).
import { isValidQueueSize, VirtioError } from "./device.js";

/** Descriptor flag: the buffer continues in the descriptor named by `next`. */
export const VIRTQ_DESC_F_NEXT = 1;
/** Descriptor flag: the buffer is device write-only (otherwise device read-only). */
export const VIRTQ_DESC_F_WRITE = 2;
/** Descriptor flag: the buffer holds a table of indirect descriptors. */
export const VIRTQ_DESC_F_INDIRECT = 4;
/** Available ring flag: the driver does not want used buffer notifications. */
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
/** Used ring flag: the device does not want available buffer notifications. */
export const VIRTQ_USED_F_NO_NOTIFY = 1;

/** Bytes per descriptor. */
export const DESCRIPTOR_SIZE = 16;
/** Largest indirect table this device accepts, in descriptors (a 64 KiB table). */
export const MAX_INDIRECT_DESCRIPTORS = 4096;
/** Largest total length of a descriptor chain (§2.7.5: at most 2^32 bytes). */
export const MAX_CHAIN_BYTES = 0x1_0000_0000;

/** Bytes occupied by the descriptor table of a queue of `size` entries. */
export function descriptorTableBytes(size: number): number {
  return DESCRIPTOR_SIZE * size;
}

/** Bytes occupied by the available ring (with used_event) of a queue of `size` entries. */
export function availableRingBytes(size: number): number {
  return 6 + 2 * size;
}

/** Bytes occupied by the used ring (with avail_event) of a queue of `size` entries. */
export function usedRingBytes(size: number): number {
  return 6 + 8 * size;
}

/** The kinds of protocol violation a virtqueue detects. */
export type VirtqueueFault =
  | "invalid-size"
  | "ring-misaligned"
  | "ring-out-of-range"
  | "available-index-jump"
  | "head-out-of-range"
  | "next-out-of-range"
  | "chain-loop"
  | "buffer-out-of-range"
  | "chain-too-large"
  | "readable-after-writable"
  | "indirect-not-negotiated"
  | "indirect-with-next"
  | "nested-indirect"
  | "indirect-bad-length"
  | "indirect-too-large"
  | "indirect-out-of-range";

/** A driver broke the split-virtqueue protocol; the device must stop using the queue. */
export class VirtqueueError extends VirtioError {
  /** What went wrong. */
  readonly fault: VirtqueueFault;
  /** Index of the queue within its device. */
  readonly queueIndex: number;

  /** Creates the error for queue `queueIndex`. */
  constructor(fault: VirtqueueFault, queueIndex: number, detail: string) {
    super(`virtqueue ${queueIndex}: ${detail} (${fault})`);
    this.fault = fault;
    this.queueIndex = queueIndex;
  }
}

/** Guest RAM as a virtqueue needs it (GuestRam satisfies this). */
export interface GuestMemoryRegion {
  /** Guest physical address of the first byte. */
  readonly base: number;
  /** Size in bytes. */
  readonly size: number;
  /** Exactly the RAM's bytes (index 0 = base). */
  readonly bytes: Uint8Array;
  /** Called for every device-writable buffer handed to a device (it may be written by DMA), so
   *  the core can drop translated code of those pages. */
  noteDeviceWrite?(address: number, length: number): void;
}

/** Where the driver placed the three parts of a queue (guest physical addresses). */
export interface VirtqueueLayout {
  /** Number of entries (a power of two, at most the device's maximum). */
  readonly size: number;
  /** Descriptor Area. */
  readonly descriptorTable: number;
  /** Driver Area (available ring). */
  readonly availableRing: number;
  /** Device Area (used ring). */
  readonly usedRing: number;
}

/** The negotiated features that change how the queue works. */
export interface VirtqueueFeatures {
  /** VIRTIO_F_INDIRECT_DESC. */
  readonly indirect: boolean;
  /** VIRTIO_F_EVENT_IDX. */
  readonly eventIndex: boolean;
}

/** One buffer element of a chain, checked to lie in RAM. */
export interface DescriptorBuffer {
  /** Guest physical address. */
  readonly address: number;
  /** Length in bytes. */
  readonly length: number;
  /** Device-writable (VIRTQ_DESC_F_WRITE) or device-readable. */
  readonly writable: boolean;
  /** A view of exactly these bytes of guest RAM. */
  readonly bytes: Uint8Array;
}

/** A descriptor chain popped from the available ring: readable buffers, then writable ones. */
export class DescriptorChain {
  /** Every buffer, in chain order. */
  readonly buffers: DescriptorBuffer[] = [];
  /** Views of the device-readable buffers, in order. */
  readonly readable: Uint8Array[] = [];
  /** Views of the device-writable buffers, in order. */
  readonly writable: Uint8Array[] = [];
  /** Total bytes of the device-readable buffers. */
  readableLength = 0;
  /** Total bytes of the device-writable buffers. */
  writableLength = 0;
  /** True if the chain went through an indirect table. */
  indirect = false;

  /** Creates an empty chain whose head descriptor is `head`. */
  constructor(readonly head: number) {}

  /** Returns a cursor over the device-readable bytes. */
  reader(): ChainReader {
    return new ChainReader(this.readable);
  }

  /** Returns a cursor over the device-writable bytes. */
  writer(): ChainWriter {
    return new ChainWriter(this.writable);
  }
}

/** A position inside a list of guest RAM spans, treated as one contiguous byte stream. */
abstract class SpanCursor {
  private segment = 0;
  private offset = 0;
  /** Bytes passed so far. */
  position = 0;
  /** Total bytes in every span. */
  readonly length: number;

  /** Creates a cursor at the start of `spans`. */
  constructor(private readonly spans: readonly Uint8Array[]) {
    let total = 0;
    for (const span of spans) total += span.length;
    this.length = total;
  }

  /** Bytes left after the cursor. */
  get remaining(): number {
    return this.length - this.position;
  }

  /** Returns views of the next `count` bytes and moves past them; undefined if fewer remain. */
  take(count: number): Uint8Array[] | undefined {
    if (!Number.isSafeInteger(count) || count < 0 || count > this.remaining) return undefined;
    const views: Uint8Array[] = [];
    let left = count;
    while (left > 0) {
      const span = this.spans[this.segment]!;
      const available = span.length - this.offset;
      if (available === 0) {
        this.segment++;
        this.offset = 0;
        continue;
      }
      const step = Math.min(available, left);
      views.push(span.subarray(this.offset, this.offset + step));
      this.offset += step;
      left -= step;
    }
    this.position += count;
    return views;
  }

  /** Moves past `count` bytes (at most what remains); returns how many were skipped. */
  skip(count: number): number {
    const step = Math.max(0, Math.min(count, this.remaining));
    this.take(step);
    return step;
  }
}

/** Reads the device-readable part of a chain as one stream. */
export class ChainReader extends SpanCursor {
  /** Copies out the next `count` bytes; undefined (nothing consumed) if fewer remain. */
  read(count: number): Uint8Array | undefined {
    const views = this.take(count);
    if (!views) return undefined;
    const out = new Uint8Array(count);
    let at = 0;
    for (const view of views) {
      out.set(view, at);
      at += view.length;
    }
    return out;
  }
}

/** Writes the device-writable part of a chain as one stream. */
export class ChainWriter extends SpanCursor {
  /** Copies as much of `data` as fits; returns the number of bytes written. */
  write(data: Uint8Array | readonly number[]): number {
    const count = Math.min(data.length, this.remaining);
    const views = this.take(count)!;
    let at = 0;
    for (const view of views) {
      for (let i = 0; i < view.length; i++) view[i] = data[at + i]! & 0xff;
      at += view.length;
    }
    return count;
  }
}

/** The device side of one split virtqueue in guest RAM. */
export class Virtqueue {
  /** Number of entries. */
  readonly size: number;
  /** The layout the driver chose. */
  readonly layout: VirtqueueLayout;
  /** The negotiated features in force. */
  readonly features: VirtqueueFeatures;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly memory: GuestMemoryRegion;
  private readonly ramBase: number;
  private readonly ramSize: number;
  private readonly descriptorOffset: number;
  private readonly availableOffset: number;
  private readonly usedOffset: number;
  private nextAvailable = 0; // next available ring entry to consume (free-running u16)
  private nextUsed = 0; // next used ring entry to fill (free-running u16)
  private signalledUsed = 0; // used idx at the last notification decision
  private notificationsWanted = true;
  /** Chains popped since the queue was built. */
  popped = 0;

  /**
   * Builds the queue over `memory`; VirtqueueError if the size is not a power of two within
   * 1..`maxSize`, or a ring part is misaligned or not wholly inside RAM.
   */
  constructor(memory: GuestMemoryRegion, readonly index: number, layout: VirtqueueLayout,
    features: VirtqueueFeatures, maxSize: number) {
    this.layout = { ...layout };
    this.features = { ...features };
    this.size = layout.size;
    this.bytes = memory.bytes;
    this.view = new DataView(memory.bytes.buffer, memory.bytes.byteOffset, memory.bytes.byteLength);
    this.ramBase = memory.base;
    this.ramSize = Math.min(memory.size, memory.bytes.byteLength);
    this.memory = memory;
    if (!isValidQueueSize(layout.size) || layout.size > maxSize) {
      throw this.error("invalid-size", `queue size ${layout.size} is not a power of two in 1..${maxSize}`);
    }
    this.descriptorOffset = this.ringOffset("descriptor table", layout.descriptorTable, descriptorTableBytes(this.size), 16);
    this.availableOffset = this.ringOffset("available ring", layout.availableRing, availableRingBytes(this.size), 2);
    this.usedOffset = this.ringOffset("used ring", layout.usedRing, usedRingBytes(this.size), 4);
    // The device owns used.flags (§2.7.10): 0 asks for every available buffer notification.
    this.view.setUint16(this.usedOffset, 0, true);
  }

  /** The next available ring index the device will consume (free-running, 16-bit). */
  get lastAvailableIndex(): number {
    return this.nextAvailable;
  }

  /** The used idx the device has published (free-running, 16-bit). */
  get usedIndex(): number {
    return this.nextUsed;
  }

  /** Heads the driver has made available and the device has not consumed yet. */
  availableCount(): number {
    const published = this.view.getUint16(this.availableOffset + 2, true);
    const count = (published - this.nextAvailable) & 0xffff;
    if (count > this.size) {
      throw this.error("available-index-jump", `available idx ${published} is ${count} entries past ` +
        `${this.nextAvailable}, more than the queue size ${this.size}`);
    }
    return count;
  }

  /** True if at least one head is waiting in the available ring. */
  hasAvailable(): boolean {
    return this.availableCount() > 0;
  }

  /** Consumes the next available head and returns its validated chain; undefined if none. */
  pop(): DescriptorChain | undefined {
    if (this.availableCount() === 0) return undefined;
    const slot = this.nextAvailable & (this.size - 1);
    const head = this.view.getUint16(this.availableOffset + 4 + 2 * slot, true);
    if (head >= this.size) {
      throw this.error("head-out-of-range", `available ring entry ${this.nextAvailable} names descriptor ${head}, ` +
        `past the table of ${this.size}`);
    }
    const chain = this.walk(head);
    this.nextAvailable = (this.nextAvailable + 1) & 0xffff;
    this.popped++;
    return chain;
  }

  /** Returns chain `head` to the driver with `length` bytes written to its writable buffers. */
  push(head: number, length: number): void {
    const slot = this.nextUsed & (this.size - 1);
    const entry = this.usedOffset + 4 + 8 * slot;
    this.view.setUint32(entry, head >>> 0, true);
    this.view.setUint32(entry + 4, Math.max(0, Math.min(length, 0xffff_ffff)) >>> 0, true);
    // The element is written before idx moves (§2.7.8: len is set before the used idx update).
    this.nextUsed = (this.nextUsed + 1) & 0xffff;
    this.view.setUint16(this.usedOffset + 2, this.nextUsed, true);
  }

  /**
   * Decides whether the entries pushed since the last decision call for a used buffer
   * notification (§2.7.7.2): with VIRTIO_F_EVENT_IDX, when one of the new entries was written at
   * index used_event; otherwise unless the driver set VIRTQ_AVAIL_F_NO_INTERRUPT.
   */
  shouldSignal(): boolean {
    const newIndex = this.nextUsed;
    const oldIndex = this.signalledUsed;
    this.signalledUsed = newIndex;
    if (newIndex === oldIndex) return false;
    if (this.features.eventIndex) {
      const usedEvent = this.view.getUint16(this.availableOffset + 4 + 2 * this.size, true);
      // Entries oldIndex .. newIndex-1 were just written; is used_event among them (mod 2^16)?
      return ((newIndex - usedEvent - 1) & 0xffff) < ((newIndex - oldIndex) & 0xffff);
    }
    return (this.view.getUint16(this.availableOffset, true) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
  }

  /**
   * Asks the driver to notify when it publishes the next head (§2.7.10): with VIRTIO_F_EVENT_IDX,
   * avail_event = the next index the device will consume; otherwise used.flags stays 0.
   */
  armNotification(): void {
    if (!this.notificationsWanted || !this.features.eventIndex) return;
    this.view.setUint16(this.usedOffset + 4 + 8 * this.size, this.nextAvailable, true);
  }

  /** Turns available buffer notifications on or off (a device that polls its queue). */
  setNotifications(wanted: boolean): void {
    this.notificationsWanted = wanted;
    if (this.features.eventIndex) {
      if (wanted) this.armNotification();
    } else {
      this.view.setUint16(this.usedOffset, wanted ? 0 : VIRTQ_USED_F_NO_NOTIFY, true);
    }
  }

  /** Walks the chain starting at `head`, validating every descriptor (see the file comment). */
  private walk(head: number): DescriptorChain {
    const chain = new DescriptorChain(head);
    let tableOffset = this.descriptorOffset;
    let tableCount = this.size;
    let index = head;
    let visited = 0;
    let inIndirect = false;
    let sawWritable = false;
    let total = 0;
    for (;;) {
      if (++visited > tableCount) {
        throw this.error("chain-loop", `chain from head ${head} visits more than the ${tableCount} descriptors ` +
          `of its ${inIndirect ? "indirect " : ""}table (a loop)`);
      }
      const at = tableOffset + DESCRIPTOR_SIZE * index;
      const address = this.view.getUint32(at, true) + this.view.getUint32(at + 4, true) * 0x1_0000_0000;
      const length = this.view.getUint32(at + 8, true);
      const flags = this.view.getUint16(at + 12, true);
      const next = this.view.getUint16(at + 14, true);

      if (flags & VIRTQ_DESC_F_INDIRECT) {
        if (!this.features.indirect) {
          throw this.error("indirect-not-negotiated", `descriptor ${index} is indirect but VIRTIO_F_INDIRECT_DESC ` +
            `was not negotiated`);
        }
        if (inIndirect) throw this.error("nested-indirect", `indirect table of head ${head} contains an indirect descriptor`);
        if (flags & VIRTQ_DESC_F_NEXT) {
          throw this.error("indirect-with-next", `descriptor ${index} sets both INDIRECT and NEXT`);
        }
        if (length === 0 || length % DESCRIPTOR_SIZE !== 0) {
          throw this.error("indirect-bad-length", `indirect table of ${length} bytes is empty or not a multiple of 16`);
        }
        if (length / DESCRIPTOR_SIZE > MAX_INDIRECT_DESCRIPTORS) {
          throw this.error("indirect-too-large", `indirect table of ${length / DESCRIPTOR_SIZE} descriptors exceeds ` +
            `${MAX_INDIRECT_DESCRIPTORS}`);
        }
        const offset = this.offsetOf(address, length);
        if (offset < 0) {
          throw this.error("indirect-out-of-range", `indirect table ${hexAddress(address)}+${length} lies outside RAM`);
        }
        // The WRITE flag of the descriptor naming the table is ignored (§2.7.5.3.2).
        chain.indirect = true;
        inIndirect = true;
        tableOffset = offset;
        tableCount = length / DESCRIPTOR_SIZE;
        index = 0;
        visited = 0;
        continue;
      }

      const writable = (flags & VIRTQ_DESC_F_WRITE) !== 0;
      if (!writable && sawWritable) {
        throw this.error("readable-after-writable", `chain from head ${head} has a device-readable descriptor after ` +
          `a device-writable one`);
      }
      total += length;
      if (total > MAX_CHAIN_BYTES) {
        throw this.error("chain-too-large", `chain from head ${head} is longer than 2^32 bytes`);
      }
      const offset = length === 0 ? 0 : this.offsetOf(address, length);
      if (offset < 0) {
        throw this.error("buffer-out-of-range", `descriptor ${index} buffer ${hexAddress(address)}+${length} lies ` +
          `outside RAM`);
      }
      const bytes = this.bytes.subarray(offset, offset + length);
      chain.buffers.push({ address, length, writable, bytes });
      if (writable) {
        if (length > 0) this.memory.noteDeviceWrite?.(address, length);
        sawWritable = true;
        chain.writable.push(bytes);
        chain.writableLength += length;
      } else {
        chain.readable.push(bytes);
        chain.readableLength += length;
      }

      if (!(flags & VIRTQ_DESC_F_NEXT)) return chain;
      if (next >= tableCount) {
        throw this.error("next-out-of-range", `descriptor ${index} continues to ${next}, past the ` +
          `${inIndirect ? "indirect " : ""}table of ${tableCount}`);
      }
      index = next;
    }
  }

  /** Byte offset in RAM of [address, address + length), or -1 if not wholly inside RAM. */
  private offsetOf(address: number, length: number): number {
    const offset = address - this.ramBase;
    return offset >= 0 && length >= 0 && offset + length <= this.ramSize ? offset : -1;
  }

  private ringOffset(what: string, address: number, length: number, alignment: number): number {
    const offset = this.offsetOf(address, length);
    if (offset < 0) throw this.error("ring-out-of-range", `${what} ${hexAddress(address)}+${length} lies outside RAM`);
    if (address % alignment !== 0) {
      throw this.error("ring-misaligned", `${what} at ${hexAddress(address)} is not ${alignment}-byte aligned`);
    }
    return offset;
  }

  private error(fault: VirtqueueFault, detail: string): VirtqueueError {
    return new VirtqueueError(fault, this.index, detail);
  }
}

function hexAddress(address: number): string {
  return Number.isSafeInteger(address) ? "0x" + address.toString(16) : "(address ≥ 2^53)";
}
