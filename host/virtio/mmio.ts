// The virtio-mmio transport, version 2 (virtio spec §4.2 "Virtio Over MMIO"): the register block
// a driver uses to discover a device, negotiate features, place its virtqueues and notify them,
// followed by the device-specific configuration space at 0x100.
//
//   0x000 MagicValue 0x74726976 ("virt")    0x050 QueueNotify (W)
//   0x004 Version 2                          0x060 InterruptStatus (R): bit 0 used buffer, bit 1 config
//   0x008 DeviceID (0: empty slot)           0x064 InterruptACK (W)
//   0x00c VendorID                           0x070 Status (RW, 0 = reset)
//   0x010 DeviceFeatures (R) / 0x014 Sel     0x080/0x084 QueueDescLow/High (W)
//   0x020 DriverFeatures (W) / 0x024 Sel     0x090/0x094 QueueDriverLow/High (W)
//   0x030 QueueSel (W)                       0x0a0/0x0a4 QueueDeviceLow/High (W)
//   0x034 QueueNumMax (R)                    0x0ac..0x0bc SHM registers (no regions: all ones)
//   0x038 QueueNum (W)                       0x0fc ConfigGeneration (R)
//   0x044 QueueReady (RW)                    0x100+ device configuration space
//
// Control registers are 32-bit (§4.2.2.2); other widths at offsets below 0x100 read as 0 and
// are ignored, like writes to read-only registers, so a confused driver never takes a fault.
// The configuration space accepts 1, 2, 4 and 8-byte accesses.
//
// Negotiation (§3.1.1): the driver's features become effective when it sets FEATURES_OK, which
// sticks only if they are a subset of the offered ones and include VIRTIO_F_VERSION_1 (§6);
// DriverFeatures is frozen from then on. DRIVER_OK activates the device, which then sees queue
// notifications. Writing 0 to Status resets the device (§2.4, §4.2.2.1): queues not ready,
// InterruptStatus clear, interrupt line low. Driver writes never set or clear
// DEVICE_NEEDS_RESET, which the device raises on a protocol error (§2.1.2); a configuration
// change notification follows while DRIVER_OK is set, and notifications are no longer
// delivered to the device until the driver resets it.
//
// The interrupt output is level-triggered: high while InterruptStatus is non-zero (§4.2.3.4),
// reported through `onInterrupt` (wire it to the PLIC source of the slot: irq 1 + n on `virt`).
import type { MmioDevice } from "../machine/bus.js";
import {
  featureWord, STATUS_DEVICE_NEEDS_RESET, STATUS_DRIVER_OK, STATUS_FEATURES_OK, VIRTIO_F_EVENT_IDX,
  VIRTIO_F_INDIRECT_DESC, VIRTIO_F_VERSION_1, VIRTIO_ID_NONE, VIRTIO_TRANSPORT_FEATURES, VirtioError,
  type VirtioDevice, type VirtioDeviceContext,
} from "./device.js";
import { Virtqueue, type GuestMemoryRegion } from "./queue.js";

/** "virt" in little-endian. */
export const VIRTIO_MMIO_MAGIC = 0x7472_6976;
/** The non-legacy register layout. */
export const VIRTIO_MMIO_VERSION = 2;
/** Our vendor id: "WASM" in little-endian. */
export const VIRTIO_MMIO_VENDOR_ID = 0x4d53_4157;
/** Size of one virtio-mmio register window on `virt`. */
export const VIRTIO_MMIO_SLOT_SIZE = 0x1000;
/** Offset of the device configuration space. */
export const VIRTIO_MMIO_CONFIG = 0x100;

/** Register offsets (§4.2.2). */
export const VIRTIO_MMIO_MAGIC_VALUE = 0x000, VIRTIO_MMIO_VERSION_REGISTER = 0x004, VIRTIO_MMIO_DEVICE_ID = 0x008,
  VIRTIO_MMIO_VENDOR_ID_REGISTER = 0x00c, VIRTIO_MMIO_DEVICE_FEATURES = 0x010, VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
  VIRTIO_MMIO_DRIVER_FEATURES = 0x020, VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024, VIRTIO_MMIO_QUEUE_SEL = 0x030,
  VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034, VIRTIO_MMIO_QUEUE_NUM = 0x038, VIRTIO_MMIO_QUEUE_READY = 0x044,
  VIRTIO_MMIO_QUEUE_NOTIFY = 0x050, VIRTIO_MMIO_INTERRUPT_STATUS = 0x060, VIRTIO_MMIO_INTERRUPT_ACK = 0x064,
  VIRTIO_MMIO_STATUS = 0x070, VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080, VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084,
  VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090, VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094, VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0,
  VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4, VIRTIO_MMIO_SHM_SEL = 0x0ac, VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0,
  VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4, VIRTIO_MMIO_SHM_BASE_LOW = 0x0b8, VIRTIO_MMIO_SHM_BASE_HIGH = 0x0bc,
  VIRTIO_MMIO_QUEUE_RESET = 0x0c0, VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc;

/** InterruptStatus bit: the device used a buffer in at least one queue. */
export const VIRTIO_MMIO_INT_VRING = 1;
/** InterruptStatus bit: the configuration changed (or the device needs a reset). */
export const VIRTIO_MMIO_INT_CONFIG = 2;

/** How to build a virtio-mmio transport. */
export interface VirtioMmioOptions {
  /** Guest RAM, where the driver places its queues and buffers. */
  memory: GuestMemoryRegion;
  /** The device behind the registers; none makes an empty slot (DeviceID 0). */
  device?: VirtioDevice;
  /** Interrupt line, called with the new level whenever it changes. */
  interrupt?: (level: boolean) => void;
  /** Name for diagnostics (default "virtio-mmio" or the device's name). */
  name?: string;
  /** Transport features to offer (default VERSION_1 | INDIRECT_DESC | EVENT_IDX). */
  transportFeatures?: bigint;
}

/** The registers of one queue. */
interface QueueRegisters {
  readonly maxSize: number;
  size: number;
  ready: boolean;
  descriptorLow: number;
  descriptorHigh: number;
  driverLow: number;
  driverHigh: number;
  deviceLow: number;
  deviceHigh: number;
  queue: Virtqueue | undefined;
}

/** A virtio device behind a version-2 virtio-mmio register window. */
export class VirtioMmioTransport implements MmioDevice {
  readonly name: string;
  /** The device, or undefined for an empty slot. */
  readonly device: VirtioDevice | undefined;
  /** Called with the new level whenever the interrupt output changes. */
  onInterrupt: ((level: boolean) => void) | undefined;
  /** Feature bits offered to the driver (device bits plus transport bits). */
  readonly offeredFeatures: bigint;
  /** The device status register. */
  status = 0;
  /** The InterruptStatus register. */
  interruptStatus = 0;
  /** The features accepted at FEATURES_OK (0 before). */
  negotiatedFeatures = 0n;
  /** The most recent protocol error that put the device in DEVICE_NEEDS_RESET. */
  lastError: Error | undefined;
  /** Protocol errors since creation. */
  errors = 0;
  /** QueueNotify writes since creation. */
  notifications = 0;
  /** Accesses ignored: wrong width, read-only or write-only register, frozen field. */
  ignoredAccesses = 0;
  private readonly memory: GuestMemoryRegion;
  private readonly queues: QueueRegisters[];
  private deviceFeaturesSelect = 0;
  private driverFeaturesSelect = 0;
  private driverFeatures = 0n;
  private queueSelect = 0;
  private context: VirtioDeviceContext | undefined;
  private level = false;

  /** Creates the transport; with no device it presents an empty slot as QEMU does. */
  constructor(options: VirtioMmioOptions) {
    this.memory = options.memory;
    this.device = options.device;
    this.name = options.name ?? options.device?.name ?? "virtio-mmio";
    this.onInterrupt = options.interrupt;
    const transport = options.transportFeatures ?? VIRTIO_TRANSPORT_FEATURES;
    this.offeredFeatures = this.device ? (this.device.deviceFeatures | transport | VIRTIO_F_VERSION_1) : 0n;
    this.queues = (this.device?.queueMaxSizes ?? []).map((maxSize) => ({
      maxSize, size: maxSize, ready: false, descriptorLow: 0, descriptorHigh: 0, driverLow: 0, driverHigh: 0,
      deviceLow: 0, deviceHigh: 0, queue: undefined,
    }));
  }

  /** Reads a register or configuration bytes; never faults. */
  read(offset: number, size: number): bigint {
    if (offset >= VIRTIO_MMIO_CONFIG) {
      return this.device ? BigInt.asUintN(size * 8, this.device.readConfig(offset - VIRTIO_MMIO_CONFIG, size)) : 0n;
    }
    if (size !== 4 || offset % 4 !== 0) {
      this.ignoredAccesses++;
      return 0n;
    }
    return BigInt(this.readRegister(offset) >>> 0);
  }

  /** Writes a register or configuration bytes; never faults. */
  write(offset: number, size: number, value: bigint): boolean {
    if (offset >= VIRTIO_MMIO_CONFIG) {
      if (this.device) this.guard(() => this.device!.writeConfig(offset - VIRTIO_MMIO_CONFIG, size, value));
      return true;
    }
    if (size !== 4 || offset % 4 !== 0) {
      this.ignoredAccesses++;
      return true;
    }
    this.writeRegister(offset, Number(BigInt.asUintN(32, value)));
    return true;
  }

  /** Machine reset: the same as the driver writing 0 to Status. */
  reset(): void {
    this.resetDevice();
  }

  /** True while the interrupt output is asserted. */
  interruptPending(): boolean {
    return this.interruptStatus !== 0;
  }

  /** The live virtqueue `index` (ready and valid), if any. */
  queue(index: number): Virtqueue | undefined {
    return this.queues[index]?.queue;
  }

  /** Reads one 32-bit control register. */
  private readRegister(offset: number): number {
    const device = this.device;
    switch (offset) {
      case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
      case VIRTIO_MMIO_VERSION_REGISTER: return VIRTIO_MMIO_VERSION;
      case VIRTIO_MMIO_VENDOR_ID_REGISTER: return VIRTIO_MMIO_VENDOR_ID;
      case VIRTIO_MMIO_DEVICE_ID: return device ? device.deviceId : VIRTIO_ID_NONE;
    }
    // An empty slot shows only its identity (§4.2.3.1.1: the driver stops at DeviceID 0).
    if (!device) return 0;
    switch (offset) {
      case VIRTIO_MMIO_DEVICE_FEATURES: return featureWord(this.offeredFeatures, this.deviceFeaturesSelect);
      case VIRTIO_MMIO_QUEUE_NUM_MAX: return this.queues[this.queueSelect]?.maxSize ?? 0;
      case VIRTIO_MMIO_QUEUE_READY: return this.queues[this.queueSelect]?.ready ? 1 : 0;
      case VIRTIO_MMIO_INTERRUPT_STATUS: return this.interruptStatus;
      case VIRTIO_MMIO_STATUS: return this.status;
      case VIRTIO_MMIO_CONFIG_GENERATION: return device.configGeneration >>> 0;
      // No shared memory regions: length and base read as all ones (§4.2.2).
      case VIRTIO_MMIO_SHM_LEN_LOW: case VIRTIO_MMIO_SHM_LEN_HIGH:
      case VIRTIO_MMIO_SHM_BASE_LOW: case VIRTIO_MMIO_SHM_BASE_HIGH:
        return 0xffff_ffff;
      case VIRTIO_MMIO_QUEUE_RESET: return 0;
      default:
        this.ignoredAccesses++; // write-only or undefined register
        return 0;
    }
  }

  /** Writes one 32-bit control register. */
  private writeRegister(offset: number, value: number): void {
    if (!this.device) {
      this.ignoredAccesses++;
      return;
    }
    const selected = this.queues[this.queueSelect];
    switch (offset) {
      case VIRTIO_MMIO_DEVICE_FEATURES_SEL: this.deviceFeaturesSelect = value; return;
      case VIRTIO_MMIO_DRIVER_FEATURES_SEL: this.driverFeaturesSelect = value; return;
      case VIRTIO_MMIO_DRIVER_FEATURES:
        if ((this.status & STATUS_FEATURES_OK) || this.driverFeaturesSelect > 1) {
          this.ignoredAccesses++; // frozen after FEATURES_OK (§3.1.1), or a word we do not have
          return;
        }
        {
          const shift = BigInt(32 * this.driverFeaturesSelect);
          this.driverFeatures = (this.driverFeatures & ~(0xffff_ffffn << shift)) | (BigInt(value) << shift);
        }
        return;
      case VIRTIO_MMIO_QUEUE_SEL: this.queueSelect = value; return;
      case VIRTIO_MMIO_QUEUE_NOTIFY: this.notify(value & 0xffff); return;
      case VIRTIO_MMIO_INTERRUPT_ACK:
        this.interruptStatus &= ~value;
        this.updateLine();
        return;
      case VIRTIO_MMIO_STATUS: this.writeStatus(value & 0xff); return;
      case VIRTIO_MMIO_QUEUE_READY:
        if (!selected) break;
        if (value & 1) this.enableQueue(this.queueSelect);
        else this.disableQueue(this.queueSelect);
        return;
      case VIRTIO_MMIO_QUEUE_NUM: case VIRTIO_MMIO_QUEUE_DESC_LOW: case VIRTIO_MMIO_QUEUE_DESC_HIGH:
      case VIRTIO_MMIO_QUEUE_DRIVER_LOW: case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
      case VIRTIO_MMIO_QUEUE_DEVICE_LOW: case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        // The layout of a ready queue is frozen (§4.2.2.2: the driver must not change it).
        if (!selected || selected.ready) break;
        this.writeQueueRegister(selected, offset, value);
        return;
      default: break; // read-only, SHM_SEL, QUEUE_RESET (VIRTIO_F_RING_RESET not offered), undefined
    }
    this.ignoredAccesses++;
  }

  private writeQueueRegister(registers: QueueRegisters, offset: number, value: number): void {
    switch (offset) {
      case VIRTIO_MMIO_QUEUE_NUM: registers.size = value; break;
      case VIRTIO_MMIO_QUEUE_DESC_LOW: registers.descriptorLow = value; break;
      case VIRTIO_MMIO_QUEUE_DESC_HIGH: registers.descriptorHigh = value; break;
      case VIRTIO_MMIO_QUEUE_DRIVER_LOW: registers.driverLow = value; break;
      case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: registers.driverHigh = value; break;
      case VIRTIO_MMIO_QUEUE_DEVICE_LOW: registers.deviceLow = value; break;
      case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: registers.deviceHigh = value; break;
    }
  }

  /** Status write (§2.1, §3.1.1): 0 resets; FEATURES_OK negotiates; DRIVER_OK activates. */
  private writeStatus(value: number): void {
    if (value === 0) {
      this.resetDevice();
      return;
    }
    const before = this.status;
    // The driver never clears a bit (§2.1.1) and never sets DEVICE_NEEDS_RESET.
    let after = before | (value & ~STATUS_DEVICE_NEEDS_RESET);
    if ((after & STATUS_FEATURES_OK) && !(before & STATUS_FEATURES_OK) && !this.negotiate()) {
      after &= ~STATUS_FEATURES_OK; // the driver re-reads Status and sees the refusal
    }
    this.status = after;
    if ((after & STATUS_DRIVER_OK) && !(before & STATUS_DRIVER_OK)) {
      if (!(after & STATUS_FEATURES_OK)) {
        this.fail(new VirtioError(`${this.name}: driver set DRIVER_OK without FEATURES_OK`));
      } else if (!(after & STATUS_DEVICE_NEEDS_RESET)) {
        this.activate();
      }
    }
  }

  /** Accepts the driver's features if valid (§2.2.2, §6); returns whether FEATURES_OK sticks. */
  private negotiate(): boolean {
    const requested = this.driverFeatures;
    if ((requested & ~this.offeredFeatures) !== 0n) return false;
    if ((requested & VIRTIO_F_VERSION_1) === 0n) return false;
    let accepted = true;
    this.guard(() => { accepted = this.device!.acceptFeatures?.(requested) ?? true; });
    if (!accepted) return false;
    this.negotiatedFeatures = requested;
    return true;
  }

  /** DRIVER_OK: hands the device a context valid until the next reset. */
  private activate(): void {
    const device = this.device!;
    const context: VirtioDeviceContext = {
      features: this.negotiatedFeatures,
      queue: (index) => (this.context === context ? this.queues[index]?.queue : undefined),
      signalUsed: (index) => {
        if (this.context !== context) return;
        const queue = this.queues[index]?.queue;
        if (queue && queue.shouldSignal()) this.raise(VIRTIO_MMIO_INT_VRING);
      },
      configChanged: () => {
        if (this.context === context && (this.status & STATUS_DRIVER_OK)) this.raise(VIRTIO_MMIO_INT_CONFIG);
      },
      fail: (error) => {
        if (this.context === context) this.fail(error);
      },
    };
    this.context = context;
    this.guard(() => device.activate(context));
  }

  /** QueueReady = 1: validates the layout and builds the queue; an invalid one needs a reset. */
  private enableQueue(index: number): void {
    const registers = this.queues[index]!;
    if (registers.ready) return;
    const features = this.negotiatedFeatures;
    try {
      registers.queue = new Virtqueue(this.memory, index, {
        size: registers.size,
        descriptorTable: joinAddress(registers.descriptorLow, registers.descriptorHigh),
        availableRing: joinAddress(registers.driverLow, registers.driverHigh),
        usedRing: joinAddress(registers.deviceLow, registers.deviceHigh),
      }, {
        indirect: (features & VIRTIO_F_INDIRECT_DESC) !== 0n,
        eventIndex: (features & VIRTIO_F_EVENT_IDX) !== 0n,
      }, registers.maxSize);
      registers.ready = true;
    } catch (error) {
      registers.queue = undefined;
      this.fail(error instanceof Error ? error : new VirtioError(String(error)));
    }
  }

  /** QueueReady = 0: the device stops using the queue at once. */
  private disableQueue(index: number): void {
    const registers = this.queues[index]!;
    registers.ready = false;
    registers.queue = undefined;
  }

  /** QueueNotify: forwarded to a live device for a ready queue; anything else is ignored. */
  private notify(index: number): void {
    this.notifications++;
    const device = this.device;
    if (!device || !this.context || (this.status & STATUS_DEVICE_NEEDS_RESET)) return;
    if (!this.queues[index]?.queue) return;
    this.guard(() => device.onNotify(index));
  }

  /** Puts the device in DEVICE_NEEDS_RESET and tells a live driver (§2.1.2). */
  private fail(error: Error): void {
    this.errors++;
    this.lastError = error;
    if (this.status & STATUS_DEVICE_NEEDS_RESET) return;
    this.status |= STATUS_DEVICE_NEEDS_RESET;
    if (this.status & STATUS_DRIVER_OK) this.raise(VIRTIO_MMIO_INT_CONFIG);
  }

  /** Device reset: every register back to its initial value, device state dropped. */
  private resetDevice(): void {
    this.context = undefined;
    if (this.device) this.guard(() => this.device!.reset());
    this.status = 0;
    this.interruptStatus = 0;
    this.negotiatedFeatures = 0n;
    this.driverFeatures = 0n;
    this.deviceFeaturesSelect = 0;
    this.driverFeaturesSelect = 0;
    this.queueSelect = 0;
    for (const registers of this.queues) {
      registers.size = registers.maxSize;
      registers.ready = false;
      registers.queue = undefined;
      registers.descriptorLow = registers.descriptorHigh = 0;
      registers.driverLow = registers.driverHigh = 0;
      registers.deviceLow = registers.deviceHigh = 0;
    }
    this.updateLine();
  }

  /** Runs device code; anything it throws becomes DEVICE_NEEDS_RESET instead of escaping. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.fail(error instanceof Error ? error : new VirtioError(String(error)));
    }
  }

  private raise(bits: number): void {
    this.interruptStatus |= bits;
    this.updateLine();
  }

  private updateLine(): void {
    const level = this.interruptStatus !== 0;
    if (level === this.level) return;
    this.level = level;
    this.onInterrupt?.(level);
  }
}

/** Joins two 32-bit register halves into an address (≥ 2^53 simply lies outside RAM). */
function joinAddress(low: number, high: number): number {
  return (high >>> 0) * 0x1_0000_0000 + (low >>> 0);
}

/** Creates a virtio-mmio transport for `device` (or an empty slot if it is undefined). */
export function createVirtioMmio(options: VirtioMmioOptions): VirtioMmioTransport {
  return new VirtioMmioTransport(options);
}

/**
 * Creates `count` transports for consecutive slots, slot n holding `devices[n]` (empty if
 * undefined) and raising `interrupt(n, level)`; map slot n at base + n·VIRTIO_MMIO_SLOT_SIZE.
 */
export function createVirtioMmioSlots(memory: GuestMemoryRegion, devices: readonly (VirtioDevice | undefined)[],
  interrupt: (slot: number, level: boolean) => void, count = 8): VirtioMmioTransport[] {
  if (devices.length > count) {
    throw new VirtioError(`${devices.length} virtio devices do not fit in ${count} virtio-mmio slots`);
  }
  return Array.from({ length: count }, (_, slot) => new VirtioMmioTransport({
    memory,
    device: devices[slot],
    interrupt: (level) => interrupt(slot, level),
    name: devices[slot] ? `virtio${slot}-${devices[slot]!.name}` : `virtio${slot}`,
  }));
}
