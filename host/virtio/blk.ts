// virtio-blk (virtio spec §5.2 "Block Device"), device id 2, one request queue.
//
// A request is a descriptor chain (§5.2.6):
//   device-readable:  le32 type; le32 reserved; le64 sector;  then, for OUT, the data
//   device-writable:  for IN / GET_ID, the data;  then one status byte (the last writable byte)
// The framing is free (§2.7.4): the header and data may be split across descriptors any way.
//
// Supported types: IN (read sectors), OUT (write sectors), FLUSH, GET_ID (20-byte NUL-padded
// serial). Anything else completes with VIRTIO_BLK_S_UNSUPP. A request the device cannot serve
// completes with VIRTIO_BLK_S_IOERR and touches neither the disk nor the driver's data
// buffers: a header shorter than 16 bytes, data not a multiple of 512 bytes, sectors past the
// capacity, a write to a read-only disk (§5.2.6.2), a backend failure. A chain with no writable
// byte has nowhere to put a status; it is returned with length 0.
//
// Features offered: VIRTIO_BLK_F_SEG_MAX (queue size - 2, room for header and status),
// VIRTIO_BLK_F_BLK_SIZE (512), VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_RO for a read-only disk, and
// VIRTIO_BLK_F_SIZE_MAX when a segment limit is configured. If FLUSH is offered but not
// negotiated the cache is write-through (§5.2.6.2): every write is flushed before it completes.
//
// Used length (§2.7.8): the bytes written from the start of the writable area — data, then
// the status byte when the data filled the area — never more than was actually written.
import {
  BaseVirtioDevice, isValidQueueSize, VirtioError, VIRTIO_ID_BLOCK,
} from "./device.js";
import type { DescriptorChain } from "./queue.js";
import { registerVirtioDevice } from "./registry.js";
import type { DiskBackend } from "./backends/disk.js";

/** Feature: size_max holds the largest segment. */
export const VIRTIO_BLK_F_SIZE_MAX = 1n << 1n;
/** Feature: seg_max holds the most segments in a request. */
export const VIRTIO_BLK_F_SEG_MAX = 1n << 2n;
/** Feature: the device is read-only. */
export const VIRTIO_BLK_F_RO = 1n << 5n;
/** Feature: blk_size holds the optimal block size. */
export const VIRTIO_BLK_F_BLK_SIZE = 1n << 6n;
/** Feature: VIRTIO_BLK_T_FLUSH is supported. */
export const VIRTIO_BLK_F_FLUSH = 1n << 9n;

/** Request types (§5.2.6). */
export const VIRTIO_BLK_T_IN = 0, VIRTIO_BLK_T_OUT = 1, VIRTIO_BLK_T_FLUSH = 4, VIRTIO_BLK_T_GET_ID = 8;
/** Request status values (§5.2.6). */
export const VIRTIO_BLK_S_OK = 0, VIRTIO_BLK_S_IOERR = 1, VIRTIO_BLK_S_UNSUPP = 2;

/** Sector size of the protocol (always 512 bytes). */
export const SECTOR_SIZE = 512;
/** Size of the request header (type, reserved, sector). */
export const BLK_REQUEST_HEADER_SIZE = 16;
/** Length of the device id string of GET_ID. */
export const VIRTIO_BLK_ID_BYTES = 20;

/** Configuration space offsets (struct virtio_blk_config, §5.2.4). */
export const BLK_CONFIG_CAPACITY = 0, BLK_CONFIG_SIZE_MAX = 8, BLK_CONFIG_SEG_MAX = 12, BLK_CONFIG_BLK_SIZE = 20;
/** Bytes of configuration space presented (unused fields read as zero). */
export const BLK_CONFIG_SIZE = 64;
/** Default queue size (as QEMU). */
export const BLK_DEFAULT_QUEUE_SIZE = 256;

/** Options of a virtio-blk device. */
export interface BlockDeviceOptions {
  /** The storage: a FileDisk, a MemoryDisk, or any DiskBackend. */
  disk: DiskBackend;
  /** Present the disk read-only even if the backend could write (default: the backend's mode). */
  readOnly?: boolean;
  /** Device id string for GET_ID: ASCII, at most 20 bytes (default "wasmvisor-blk"). */
  serial?: string;
  /** Maximum queue size, a power of two (default 256). */
  queueSize?: number;
  /** Offer VIRTIO_BLK_F_SIZE_MAX with this many bytes per segment (default: not offered). */
  sizeMax?: number;
  /** Offer VIRTIO_BLK_F_FLUSH (default true). */
  flush?: boolean;
}

/** Counters of a block device. */
export interface BlockDeviceStats {
  reads: number;
  writes: number;
  flushes: number;
  getIds: number;
  bytesRead: number;
  bytesWritten: number;
  /** Requests completed with IOERR. */
  ioErrors: number;
  /** Requests completed with UNSUPP. */
  unsupported: number;
}

/** The parsed fixed part of a request. */
interface RequestHeader {
  type: number;
  sector: bigint;
}

/** A virtio-blk device serving one disk backend. */
export class BlockDevice extends BaseVirtioDevice {
  readonly name = "virtio-blk";
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly deviceFeatures: bigint;
  readonly queueMaxSizes: readonly number[];
  /** The storage. */
  readonly disk: DiskBackend;
  /** True if writes are refused. */
  readonly readOnly: boolean;
  /** Capacity in 512-byte sectors (a partial last sector of the image is not exposed). */
  readonly capacity: bigint;
  /** Request counters. */
  readonly stats: BlockDeviceStats = {
    reads: 0, writes: 0, flushes: 0, getIds: 0, bytesRead: 0, bytesWritten: 0, ioErrors: 0, unsupported: 0,
  };
  /** The most recent backend failure, for diagnostics. */
  lastDiskError: Error | undefined;
  private readonly serial: Uint8Array;
  private readonly flushOffered: boolean;

  /** Creates the device; VirtioError for a bad serial, queue size or segment limit. */
  constructor(options: BlockDeviceOptions) {
    super(BLK_CONFIG_SIZE);
    const queueSize = options.queueSize ?? BLK_DEFAULT_QUEUE_SIZE;
    if (!isValidQueueSize(queueSize) || queueSize < 4) {
      throw new VirtioError(`virtio-blk queue size must be a power of two from 4 to 32768 (got ${queueSize})`);
    }
    this.disk = options.disk;
    this.readOnly = options.readOnly === true || options.disk.readOnly;
    this.capacity = BigInt(Math.floor(options.disk.size / SECTOR_SIZE));
    this.queueMaxSizes = [queueSize];
    this.serial = encodeSerial(options.serial ?? "wasmvisor-blk");
    this.flushOffered = options.flush ?? true;

    let features = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE;
    if (this.flushOffered) features |= VIRTIO_BLK_F_FLUSH;
    if (this.readOnly) features |= VIRTIO_BLK_F_RO;
    if (options.sizeMax !== undefined) {
      if (!Number.isInteger(options.sizeMax) || options.sizeMax < SECTOR_SIZE || options.sizeMax > 0xffff_ffff) {
        throw new VirtioError(`virtio-blk size_max must be 512 .. 2^32-1 bytes (got ${options.sizeMax})`);
      }
      features |= VIRTIO_BLK_F_SIZE_MAX;
      this.setConfig32(BLK_CONFIG_SIZE_MAX, options.sizeMax);
    }
    this.deviceFeatures = features;
    this.setConfig64(BLK_CONFIG_CAPACITY, this.capacity);
    this.setConfig32(BLK_CONFIG_SEG_MAX, queueSize - 2);
    this.setConfig32(BLK_CONFIG_BLK_SIZE, SECTOR_SIZE);
  }

  /** Serves the request queue. */
  onNotify(index: number): void {
    if (index === 0) this.serviceQueue(0, (chain) => this.handle(chain));
  }

  /** Serves one request; returns the used length. */
  private handle(chain: DescriptorChain): number {
    const writableLength = chain.writableLength;
    if (writableLength === 0) return 0; // no status byte to report anything through
    const dataRoom = writableLength - 1; // writable bytes before the status byte
    const raw = chain.reader().read(BLK_REQUEST_HEADER_SIZE);
    if (!raw) return this.complete(chain, 0, VIRTIO_BLK_S_IOERR);
    const view = new DataView(raw.buffer);
    const header: RequestHeader = { type: view.getUint32(0, true), sector: view.getBigUint64(8, true) };
    switch (header.type) {
      case VIRTIO_BLK_T_IN: return this.read(chain, header, dataRoom);
      case VIRTIO_BLK_T_OUT: return this.write(chain, header);
      case VIRTIO_BLK_T_FLUSH: return this.flush(chain);
      case VIRTIO_BLK_T_GET_ID: return this.getId(chain, dataRoom);
      default:
        this.stats.unsupported++;
        return this.complete(chain, 0, VIRTIO_BLK_S_UNSUPP);
    }
  }

  /** VIRTIO_BLK_T_IN: disk sectors into the writable data buffers. */
  private read(chain: DescriptorChain, header: RequestHeader, length: number): number {
    const offset = this.diskOffset(header.sector, length);
    if (offset === undefined) return this.fail(chain);
    const writer = chain.writer();
    let done = 0;
    try {
      for (const span of writer.take(length)!) {
        this.disk.read(offset + done, span);
        done += span.length;
      }
    } catch (error) {
      return this.diskFailure(chain, error, done);
    }
    this.stats.reads++;
    this.stats.bytesRead += length;
    return this.complete(chain, length, VIRTIO_BLK_S_OK);
  }

  /** VIRTIO_BLK_T_OUT: the readable data after the header onto the disk. */
  private write(chain: DescriptorChain, header: RequestHeader): number {
    if (this.readOnly) return this.fail(chain);
    const length = chain.readableLength - BLK_REQUEST_HEADER_SIZE;
    const offset = this.diskOffset(header.sector, length);
    if (offset === undefined) return this.fail(chain);
    const reader = chain.reader();
    reader.skip(BLK_REQUEST_HEADER_SIZE);
    let done = 0;
    try {
      for (const span of reader.take(length)!) {
        this.disk.write(offset + done, span);
        done += span.length;
      }
      // FLUSH offered but not negotiated: the cache is write-through (§5.2.6.2, case 1).
      if (this.flushOffered && !this.negotiated(VIRTIO_BLK_F_FLUSH)) this.disk.flush();
    } catch (error) {
      return this.diskFailure(chain, error, 0);
    }
    this.stats.writes++;
    this.stats.bytesWritten += length;
    return this.complete(chain, 0, VIRTIO_BLK_S_OK);
  }

  /** VIRTIO_BLK_T_FLUSH: makes every completed write durable. */
  private flush(chain: DescriptorChain): number {
    try {
      this.disk.flush();
    } catch (error) {
      return this.diskFailure(chain, error, 0);
    }
    this.stats.flushes++;
    return this.complete(chain, 0, VIRTIO_BLK_S_OK);
  }

  /** VIRTIO_BLK_T_GET_ID: the NUL-padded serial (as much as the buffer holds, at most 20 bytes). */
  private getId(chain: DescriptorChain, room: number): number {
    const written = chain.writer().write(this.serial.subarray(0, Math.min(room, VIRTIO_BLK_ID_BYTES)));
    this.stats.getIds++;
    return this.complete(chain, written, VIRTIO_BLK_S_OK);
  }

  /** Byte offset of a transfer of `length` bytes at `sector`, or undefined if it is not allowed. */
  private diskOffset(sector: bigint, length: number): number | undefined {
    if (length < 0 || length % SECTOR_SIZE !== 0) return undefined;
    const sectors = BigInt(length / SECTOR_SIZE);
    if (sector > this.capacity || sector + sectors > this.capacity) return undefined;
    return Number(sector) * SECTOR_SIZE;
  }

  private diskFailure(chain: DescriptorChain, error: unknown, written: number): number {
    this.lastDiskError = error instanceof Error ? error : new Error(String(error));
    this.stats.ioErrors++;
    return this.complete(chain, written, VIRTIO_BLK_S_IOERR);
  }

  private fail(chain: DescriptorChain): number {
    this.stats.ioErrors++;
    return this.complete(chain, 0, VIRTIO_BLK_S_IOERR);
  }

  /**
   * Writes `status` into the last writable byte and returns the used length: the `written`
   * data bytes, plus the status byte when the data reached it.
   */
  private complete(chain: DescriptorChain, written: number, status: number): number {
    const writer = chain.writer();
    const room = chain.writableLength - 1;
    writer.skip(room);
    writer.write([status]);
    return written === room ? room + 1 : written;
  }
}

/** Encodes a GET_ID serial: ASCII, NUL-padded to 20 bytes; VirtioError if it does not fit. */
function encodeSerial(serial: string): Uint8Array {
  const bytes = new Uint8Array(VIRTIO_BLK_ID_BYTES);
  if (serial.length > VIRTIO_BLK_ID_BYTES || !/^[\x20-\x7e]*$/.test(serial)) {
    throw new VirtioError(`virtio-blk serial must be at most 20 printable ASCII characters (got "${serial}")`);
  }
  for (let i = 0; i < serial.length; i++) bytes[i] = serial.charCodeAt(i);
  return bytes;
}

/** Creates a virtio-blk device over `options.disk`. */
export function createBlockDevice(options: BlockDeviceOptions): BlockDevice {
  return new BlockDevice(options);
}

declare module "./registry.js" {
  interface VirtioDeviceOptionsMap {
    blk: BlockDeviceOptions;
  }
}

registerVirtioDevice({
  name: "blk",
  description: "virtio-blk block device backed by a disk image (file or memory)",
  create: createBlockDevice,
});
