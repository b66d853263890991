// The virtio device model that a transport (virtio-mmio today, virtio-pci later) drives, and the
// facts every device type shares: device status bits, reserved feature bits, device ids.
//
// Division of labour (virtio spec §2 "Basic Facilities of a Virtio Device"):
// - the transport owns the registers: status, feature words, queue selection and layout,
//   interrupt status; it builds a Virtqueue when the driver marks a queue ready, negotiates
//   features when the driver sets FEATURES_OK, and calls activate() on DRIVER_OK;
// - the device owns its type-specific parts: device id, device feature bits, configuration
//   space, queue count and maximum sizes, and what a buffer in each queue means (onNotify).
//
// A device reaches the transport only through the VirtioDeviceContext it receives in activate():
// the negotiated features, the ready queues, "I used buffers in queue n" (a used buffer
// notification, subject to the driver's suppression), "my configuration changed", and "the
// driver broke the protocol; I need a reset" (DEVICE_NEEDS_RESET, §2.1.2).
import { WasmvisorError } from "../machine/errors.js";
import type { DescriptorChain, Virtqueue } from "./queue.js";

// ---------------------------------------------------------------------------------------------
// Device status bits (§2.1 "Device Status Field").

/** The guest OS has found the device and recognized it as a virtio device. */
export const STATUS_ACKNOWLEDGE = 1;
/** The guest OS knows how to drive the device. */
export const STATUS_DRIVER = 2;
/** The driver is set up and ready to drive the device. */
export const STATUS_DRIVER_OK = 4;
/** The driver has acknowledged the features it understands; negotiation is complete. */
export const STATUS_FEATURES_OK = 8;
/** The device has hit an error it cannot recover from without a reset. */
export const STATUS_DEVICE_NEEDS_RESET = 64;
/** The driver has given up on the device. */
export const STATUS_FAILED = 128;

// ---------------------------------------------------------------------------------------------
// Reserved feature bits (§6 "Reserved Feature Bits"), as bigints over the 64-bit feature space.

/** The driver may use descriptors with VIRTQ_DESC_F_INDIRECT (§2.7.5.3). */
export const VIRTIO_F_INDIRECT_DESC = 1n << 28n;
/** used_event / avail_event notification suppression (§2.7.7, §2.7.10). */
export const VIRTIO_F_EVENT_IDX = 1n << 29n;
/** Compliance with virtio 1.x (mandatory for a non-legacy device). */
export const VIRTIO_F_VERSION_1 = 1n << 32n;

/** Transport-level features this implementation of split virtqueues supports. */
export const VIRTIO_TRANSPORT_FEATURES = VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX;

// ---------------------------------------------------------------------------------------------
// Device ids (§5 "Device Types").

/** Placeholder: no device behind this transport. */
export const VIRTIO_ID_NONE = 0;
/** Network card. */
export const VIRTIO_ID_NET = 1;
/** Block device. */
export const VIRTIO_ID_BLOCK = 2;
/** Console. */
export const VIRTIO_ID_CONSOLE = 3;
/** Entropy source. */
export const VIRTIO_ID_ENTROPY = 4;

/** Largest queue size a split virtqueue can have (§2.7). */
export const MAX_QUEUE_SIZE = 32768;

// ---------------------------------------------------------------------------------------------
// Errors

/** Base class of every error raised by the virtio layer (queues, devices, backends). */
export class VirtioError extends WasmvisorError {}

// ---------------------------------------------------------------------------------------------
// The interface between a device and its transport

/** What the transport offers a device from DRIVER_OK until the next reset. */
export interface VirtioDeviceContext {
  /** The feature bits the driver accepted (FEATURES_OK). */
  readonly features: bigint;
  /** The ready virtqueue at `index`, or undefined if the driver has not enabled it. */
  queue(index: number): Virtqueue | undefined;
  /** Sends a used buffer notification for queue `index` unless the driver suppressed it. */
  signalUsed(index: number): void;
  /** Sends a configuration change notification (call after bumping configGeneration). */
  configChanged(): void;
  /** Records a fatal protocol error: DEVICE_NEEDS_RESET, then a configuration change notification. */
  fail(error: Error): void;
}

/** A virtio device type as the transport sees it. */
export interface VirtioDevice {
  /** Short name for diagnostics ("virtio-blk", ...). */
  readonly name: string;
  /** Virtio device id (§5): 2 block, 3 console, 4 entropy, ... */
  readonly deviceId: number;
  /** Device-type feature bits offered (bits 0..23 and 50..63); the transport adds its own. */
  readonly deviceFeatures: bigint;
  /** Maximum size of each virtqueue; the array's length is the number of queues. */
  readonly queueMaxSizes: readonly number[];
  /** Bumped whenever the configuration space changes (read through ConfigGeneration). */
  readonly configGeneration: number;
  /** Reads `size` bytes (1, 2, 4 or 8) of configuration space at `offset`, little-endian. */
  readConfig(offset: number, size: number): bigint;
  /** Writes `size` bytes of `value` to configuration space at `offset` (read-only fields ignore it). */
  writeConfig(offset: number, size: number, value: bigint): void;
  /** Returns false to refuse a feature set at FEATURES_OK (the transport already checked the basics). */
  acceptFeatures?(features: bigint): boolean;
  /** The driver set DRIVER_OK: the device may use its queues through `context` from now on. */
  activate(context: VirtioDeviceContext): void;
  /** The driver notified queue `index` that new buffers are available. */
  onNotify(index: number): void;
  /** Device reset (status 0 or machine reset): forget the context and every queue position. */
  reset(): void;
}

// ---------------------------------------------------------------------------------------------
// A base class for device types

/** Configuration space bytes plus the common plumbing every device type needs. */
export abstract class BaseVirtioDevice implements VirtioDevice {
  abstract readonly name: string;
  abstract readonly deviceId: number;
  abstract readonly deviceFeatures: bigint;
  abstract readonly queueMaxSizes: readonly number[];
  /** Bumped whenever the device changes its configuration space. */
  configGeneration = 0;
  /** Requests served since creation (chains returned to a used ring). */
  completedChains = 0;
  /** The transport's context while the device is live (DRIVER_OK up to reset). */
  protected context: VirtioDeviceContext | undefined;
  /** The device-specific configuration space (little-endian). */
  protected readonly config: Uint8Array;
  private readonly configView: DataView;

  /** Creates a device with `configSize` bytes of zeroed configuration space. */
  constructor(configSize: number) {
    this.config = new Uint8Array(configSize);
    this.configView = new DataView(this.config.buffer);
  }

  /** Reads configuration bytes; bytes past the end of the space read as zero. */
  readConfig(offset: number, size: number): bigint {
    let value = 0n;
    for (let i = size - 1; i >= 0; i--) {
      const at = offset + i;
      value = (value << 8n) | BigInt(at >= 0 && at < this.config.length ? this.config[at]! : 0);
    }
    return value;
  }

  /** Ignores the write: configuration fields are read-only unless a device type says otherwise. */
  writeConfig(_offset: number, _size: number, _value: bigint): void {}

  /** Starts serving the queues; subclasses extend this to kick pending work. */
  activate(context: VirtioDeviceContext): void {
    this.context = context;
  }

  /** Drops the context; subclasses extend this to clear their own state. */
  reset(): void {
    this.context = undefined;
  }

  /** The negotiated features (0 before DRIVER_OK). */
  protected get features(): bigint {
    return this.context?.features ?? 0n;
  }

  /** True if feature `bit` (a bigint mask) was negotiated. */
  protected negotiated(bit: bigint): boolean {
    return (this.features & bit) !== 0n;
  }

  abstract onNotify(index: number): void;

  /** Stores a little-endian u16 in configuration space. */
  protected setConfig16(offset: number, value: number): void {
    this.configView.setUint16(offset, value, true);
  }

  /** Stores a little-endian u32 in configuration space. */
  protected setConfig32(offset: number, value: number): void {
    this.configView.setUint32(offset, value >>> 0, true);
  }

  /** Stores a little-endian u64 in configuration space. */
  protected setConfig64(offset: number, value: bigint): void {
    this.configView.setBigUint64(offset, BigInt.asUintN(64, value), true);
  }

  /** Bumps the generation and, while live, sends a configuration change notification. */
  protected announceConfigChange(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    this.context?.configChanged();
  }

  /**
   * Serves queue `index`: pops each available chain, hands it to `handle`, and returns it to the
   * used ring with the length `handle` reports (bytes written to device-writable buffers), while
   * `wantMore` says the device has work for another chain (console input waiting, ...). Then it
   * asks the driver to notify again on the next buffer and sends one used buffer notification.
   * A thrown error (a VirtqueueError: the driver broke the ring protocol) puts the device in
   * DEVICE_NEEDS_RESET; nothing is thrown to the caller. Returns the chains completed.
   */
  protected serviceQueue(index: number, handle: (chain: DescriptorChain) => number,
    wantMore: () => boolean = () => true): number {
    const context = this.context;
    const queue = context?.queue(index);
    if (!context || !queue) return 0;
    let completed = 0;
    try {
      for (;;) {
        while (wantMore() && queue.hasAvailable()) {
          const chain = queue.pop();
          if (!chain) break;
          queue.push(chain.head, handle(chain));
          completed++;
        }
        // Re-check after arming, so a buffer published in between is not left behind (§2.7.10).
        queue.armNotification();
        if (!wantMore() || !queue.hasAvailable()) break;
      }
    } catch (error) {
      this.completedChains += completed;
      if (completed > 0) context.signalUsed(index);
      context.fail(error instanceof Error ? error : new VirtioError(String(error)));
      return completed;
    }
    this.completedChains += completed;
    if (completed > 0) context.signalUsed(index);
    return completed;
  }
}

/** Returns true if `size` is a valid split-virtqueue size: a power of two from 1 to 32768. */
export function isValidQueueSize(size: number): boolean {
  return Number.isInteger(size) && size >= 1 && size <= MAX_QUEUE_SIZE && (size & (size - 1)) === 0;
}

/** Returns the 32-bit word `select` (0 = bits 0..31, 1 = bits 32..63) of a feature set. */
export function featureWord(features: bigint, select: number): number {
  if (select < 0 || select > 1) return 0;
  return Number(BigInt.asUintN(32, features >> BigInt(32 * select)));
}
