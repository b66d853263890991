// Disk backends for virtio-blk: the interface the block device reads and writes through, its
// error type, and an in-memory disk (tests, scratch disks, images loaded by the embedder).
//
// A backend has a fixed size in bytes. Every access is checked against that size before any
// byte moves, so no backend ever reads or writes outside its image; a read-only backend
// refuses every write. Failures are DiskErrors, which virtio-blk turns into VIRTIO_BLK_S_IOERR.
import { VirtioError } from "../device.js";

/** A disk image could not be opened, or an access to it failed or was out of range. */
export class DiskError extends VirtioError {}

/** Storage behind a virtio-blk device. */
export interface DiskBackend {
  /** Image size in bytes (fixed for the backend's life). */
  readonly size: number;
  /** True if writes are refused (the device then offers VIRTIO_BLK_F_RO). */
  readonly readOnly: boolean;
  /** What the backend is, for diagnostics ("file disk.img", "memory"). */
  readonly description: string;
  /** Fills `target` with the bytes at `offset`; DiskError if out of range or on failure. */
  read(offset: number, target: Uint8Array): void;
  /** Stores `data` at `offset`; DiskError if read-only, out of range, or on failure. */
  write(offset: number, data: Uint8Array): void;
  /** Makes completed writes durable (fsync for a file). */
  flush(): void;
  /** Releases the backend (closes a file); later accesses fail. */
  close(): void;
}

/** Throws DiskError unless [offset, offset + length) lies within a disk of `size` bytes. */
export function checkDiskRange(description: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 ||
    offset + length > size) {
    throw new DiskError(`${description}: access at byte ${offset} of ${length} bytes lies outside the ` +
      `${size}-byte image`);
  }
}

/** Options of an in-memory disk. */
export interface MemoryDiskOptions {
  /** Refuse writes (default false). */
  readOnly?: boolean;
  /** Name for diagnostics (default "memory disk"). */
  description?: string;
}

/** A disk held in a byte array: a copy of `contents`, or `contents` zero bytes. */
export class MemoryDisk implements DiskBackend {
  readonly size: number;
  readonly readOnly: boolean;
  readonly description: string;
  /** The disk's bytes (tests inspect them directly). */
  readonly bytes: Uint8Array;
  /** flush() calls since creation. */
  flushes = 0;
  private closed = false;

  /** Creates a disk from a copy of `contents`, or of `contents` zero bytes if it is a number. */
  constructor(contents: Uint8Array | number, options: MemoryDiskOptions = {}) {
    if (typeof contents === "number" && (!Number.isSafeInteger(contents) || contents < 0)) {
      throw new DiskError(`memory disk size must be a whole number of bytes (got ${contents})`);
    }
    this.bytes = typeof contents === "number" ? new Uint8Array(contents) : contents.slice();
    this.size = this.bytes.length;
    this.readOnly = options.readOnly ?? false;
    this.description = options.description ?? "memory disk";
  }

  /** Copies the bytes at `offset` into `target`. */
  read(offset: number, target: Uint8Array): void {
    this.checkOpen();
    checkDiskRange(this.description, this.size, offset, target.length);
    target.set(this.bytes.subarray(offset, offset + target.length));
  }

  /** Copies `data` into the disk at `offset`. */
  write(offset: number, data: Uint8Array): void {
    this.checkOpen();
    if (this.readOnly) throw new DiskError(`${this.description} is read-only`);
    checkDiskRange(this.description, this.size, offset, data.length);
    this.bytes.set(data, offset);
  }

  /** Counts the flush (memory is as durable as it gets). */
  flush(): void {
    this.checkOpen();
    this.flushes++;
  }

  /** Marks the disk closed. */
  close(): void {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new DiskError(`${this.description} is closed`);
  }
}

/** Creates an in-memory disk (a copy of `contents`, or that many zero bytes). */
export function createMemoryDisk(contents: Uint8Array | number, options: MemoryDiskOptions = {}): MemoryDisk {
  return new MemoryDisk(contents, options);
}
