// A disk image file as a virtio-blk backend: opened once, read and written synchronously at byte
// offsets (fs.readSync / fs.writeSync with a position), flushed with fsync.
//
// The image keeps the size it had when opened: every access is checked against that size, so
// the device never extends or writes past the end of the file. A missing file, a directory,
// a file the process may not open in the requested mode, or one whose first bytes cannot be
// read is a DiskError at creation, with a message naming the file and the reason.
import * as fs from "node:fs";
import { checkDiskRange, DiskError, type DiskBackend } from "./disk.js";

/** Options of a file-backed disk. */
export interface FileDiskOptions {
  /** Open the image read-only (the device offers VIRTIO_BLK_F_RO); default false. */
  readOnly?: boolean;
}

/** Returns a person-readable reason for a Node fs error. */
function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT": return "no such file";
    case "EACCES": case "EPERM": return "permission denied";
    case "EISDIR": return "is a directory";
    case "EROFS": return "read-only file system (open the image read-only)";
    case "EBUSY": return "file is busy";
    case "EIO": return "input/output error";
    default: return error instanceof Error ? error.message : String(error);
  }
}

/** A disk image file opened for synchronous positional I/O. */
export class FileDisk implements DiskBackend {
  readonly size: number;
  readonly readOnly: boolean;
  readonly description: string;
  /** The image's path as given. */
  readonly path: string;
  private fd: number | undefined;

  /** Opens `path`; DiskError if it is missing, not a regular file, or cannot be opened or read. */
  constructor(path: string, options: FileDiskOptions = {}) {
    this.path = path;
    this.readOnly = options.readOnly ?? false;
    this.description = `disk image ${path}`;
    let fd: number;
    try {
      fd = fs.openSync(path, this.readOnly ? "r" : "r+");
    } catch (error) {
      throw new DiskError(`cannot open disk image ${path}${this.readOnly ? "" : " for writing"}: ` +
        describeFsError(error), undefined, { cause: error });
    }
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) throw new DiskError(`cannot use disk image ${path}: not a regular file`);
      this.size = stat.size;
      if (this.size > 0) {
        // Probe the first bytes so an unreadable image fails now, not at the guest's first read.
        const probe = new Uint8Array(Math.min(512, this.size));
        if (fs.readSync(fd, probe, 0, probe.length, 0) !== probe.length) {
          throw new DiskError(`cannot read disk image ${path}: short read`);
        }
      }
    } catch (error) {
      fs.closeSync(fd);
      if (error instanceof DiskError) throw error;
      throw new DiskError(`cannot read disk image ${path}: ${describeFsError(error)}`, undefined, { cause: error });
    }
    this.fd = fd;
  }

  /** Reads exactly `target.length` bytes at `offset` into `target`. */
  read(offset: number, target: Uint8Array): void {
    const fd = this.descriptor();
    checkDiskRange(this.description, this.size, offset, target.length);
    let done = 0;
    try {
      while (done < target.length) {
        const count = fs.readSync(fd, target, done, target.length - done, offset + done);
        if (count <= 0) throw new DiskError(`${this.description}: unexpected end of file at byte ${offset + done}`);
        done += count;
      }
    } catch (error) {
      if (error instanceof DiskError) throw error;
      throw new DiskError(`${this.description}: read failed: ${describeFsError(error)}`, undefined, { cause: error });
    }
  }

  /** Writes all of `data` at `offset` (within the image's size). */
  write(offset: number, data: Uint8Array): void {
    const fd = this.descriptor();
    if (this.readOnly) throw new DiskError(`${this.description} is read-only`);
    checkDiskRange(this.description, this.size, offset, data.length);
    let done = 0;
    try {
      while (done < data.length) {
        const count = fs.writeSync(fd, data, done, data.length - done, offset + done);
        if (count <= 0) throw new DiskError(`${this.description}: write made no progress at byte ${offset + done}`);
        done += count;
      }
    } catch (error) {
      if (error instanceof DiskError) throw error;
      throw new DiskError(`${this.description}: write failed: ${describeFsError(error)}`, undefined, { cause: error });
    }
  }

  /** fsync()s the image (nothing to do for a read-only one). */
  flush(): void {
    const fd = this.descriptor();
    if (this.readOnly) return;
    try {
      fs.fsyncSync(fd);
    } catch (error) {
      throw new DiskError(`${this.description}: flush failed: ${describeFsError(error)}`, undefined, { cause: error });
    }
  }

  /** Closes the file; later accesses fail with DiskError. */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) fs.closeSync(fd);
  }

  private descriptor(): number {
    if (this.fd === undefined) throw new DiskError(`${this.description} is closed`);
    return this.fd;
  }
}

/** Opens a disk image file as a virtio-blk backend (DiskError if it cannot be used). */
export function openFileDisk(path: string, options: FileDiskOptions = {}): FileDisk {
  return new FileDisk(path, options);
}
