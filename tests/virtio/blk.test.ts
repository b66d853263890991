// virtio-blk (spec §5.2) through the virtio-mmio transport, over in-memory and file disks:
// reads, writes, flush, GET_ID, bounds, read-only disks, unsupported requests, odd framing,
// and malicious requests that must leave both RAM outside the driver's buffers and the disk alone.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  BlockDevice, VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_RO, VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_SIZE_MAX, VIRTIO_BLK_S_IOERR,
  VIRTIO_BLK_S_OK, VIRTIO_BLK_S_UNSUPP, VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID, VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT,
} from "../../host/virtio/blk.js";
import { DiskError, MemoryDisk, type DiskBackend } from "../../host/virtio/backends/disk.js";
import { FileDisk, openFileDisk } from "../../host/virtio/backends/file-disk.js";
import { STATUS_DEVICE_NEEDS_RESET, VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC } from "../../host/virtio/device.js";
import { VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE, VirtqueueError } from "../../host/virtio/queue.js";
import { createRig, type DriverQueue, type Rig, type Segment, type Submitted } from "./driver.js";

const SECTORS = 64;

/** A disk whose byte i holds a recognizable pattern. */
function patternDisk(sectors = SECTORS, readOnly = false): MemoryDisk {
  const bytes = new Uint8Array(sectors * 512);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 9)) & 0xff;
  return new MemoryDisk(bytes, { readOnly });
}

/** A request header: type, reserved, sector. */
function header(type: number, sector: bigint | number): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, true);
  view.setBigUint64(8, BigInt(sector), true);
  return bytes;
}

interface BlkRig extends Rig {
  disk: MemoryDisk;
  device: BlockDevice;
  queue: DriverQueue;
}

function blkRig(disk = patternDisk(), understood = VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX | VIRTIO_BLK_F_FLUSH,
  options: Partial<ConstructorParameters<typeof BlockDevice>[0]> = {}): BlkRig {
  const device = new BlockDevice({ disk, ...options });
  const rig = createRig(device);
  rig.driver.initialize(understood);
  return { ...rig, disk, device, queue: rig.driver.queues[0]! };
}

/** Submits `segments`, notifies, and returns the used length and the status byte. */
function run(rig: BlkRig, segments: Segment[], options: { indirect?: boolean } = {}) {
  const submitted = rig.queue.submit(segments, options);
  rig.queue.kick();
  const used = rig.queue.collect();
  expect(used).toHaveLength(1);
  expect(used[0]!.id).toBe(submitted.head);
  const last = submitted.buffers[submitted.buffers.length - 1]!;
  return { length: used[0]!.length, status: rig.ram.read(last.address + last.length - 1, 1)[0]!, submitted };
}

function readRequest(rig: BlkRig, sector: bigint | number, bytes: number, options: { indirect?: boolean } = {}) {
  const result = run(rig, [{ data: header(VIRTIO_BLK_T_IN, sector) }, { writable: bytes }, { writable: 1 }], options);
  const data = rig.ram.read(result.submitted.buffers[1]!.address, bytes);
  return { ...result, data };
}

function writeRequest(rig: BlkRig, sector: bigint | number, data: Uint8Array, options: { indirect?: boolean } = {}) {
  return run(rig, [{ data: header(VIRTIO_BLK_T_OUT, sector) }, { data }, { writable: 1 }], options);
}

function fill(length: number, value: number): Uint8Array {
  return new Uint8Array(length).fill(value);
}

describe("virtio-blk configuration", () => {
  it("reports capacity in sectors, seg_max and the offered features", () => {
    const { driver, device } = blkRig(new MemoryDisk(SECTORS * 512 + 100)); // a partial last sector is hidden
    expect(driver.readConfig(0, 8)).toBe(BigInt(SECTORS));
    expect(Number(driver.readConfig(0, 4))).toBe(SECTORS);
    expect(Number(driver.readConfig(12, 4))).toBe(254);
    expect(Number(driver.readConfig(20, 4))).toBe(512);
    const features = device.deviceFeatures;
    expect(features & VIRTIO_BLK_F_FLUSH).toBe(VIRTIO_BLK_F_FLUSH);
    expect(features & VIRTIO_BLK_F_SEG_MAX).toBe(VIRTIO_BLK_F_SEG_MAX);
    expect(features & (VIRTIO_BLK_F_RO | VIRTIO_BLK_F_SIZE_MAX)).toBe(0n);
  });

  it("offers VIRTIO_BLK_F_RO for a read-only disk or option, SIZE_MAX on request", () => {
    expect(new BlockDevice({ disk: patternDisk(8, true) }).deviceFeatures & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
    expect(new BlockDevice({ disk: patternDisk(8), readOnly: true }).deviceFeatures & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
    const sized = new BlockDevice({ disk: patternDisk(8), sizeMax: 65536 });
    expect(sized.deviceFeatures & VIRTIO_BLK_F_SIZE_MAX).toBe(VIRTIO_BLK_F_SIZE_MAX);
    expect(sized.readConfig(8, 4)).toBe(65536n);
  });

  it("rejects bad options with typed errors", () => {
    expect(() => new BlockDevice({ disk: patternDisk(8), serial: "x".repeat(21) })).toThrow(/serial/);
    expect(() => new BlockDevice({ disk: patternDisk(8), queueSize: 100 })).toThrow(/queue size/);
    expect(() => new BlockDevice({ disk: patternDisk(8), sizeMax: 10 })).toThrow(/size_max/);
  });
});

describe("virtio-blk requests", () => {
  it("reads sectors", () => {
    const rig = blkRig();
    const { length, status, data } = readRequest(rig, 3, 1024);
    expect(status).toBe(VIRTIO_BLK_S_OK);
    expect(length).toBe(1025);
    expect(Array.from(data)).toEqual(Array.from(rig.disk.bytes.subarray(3 * 512, 5 * 512)));
    expect(rig.device.stats.reads).toBe(1);
  });

  it("reports every device-writable buffer to the memory's DMA listener (for translated-code invalidation)", () => {
    const rig = blkRig();
    const noted: [number, number][] = [];
    rig.ram.deviceWriteListener = (address, length) => noted.push([address, length]);
    readRequest(rig, 3, 1024);
    const total = noted.reduce((n, [, length]) => n + length, 0);
    expect(total).toBe(1025); // the data buffer and the status byte
    for (const [address, length] of noted) expect(rig.ram.contains(address, length)).toBe(true);
  });

  it("reads the last sector, and a zero-length read", () => {
    const rig = blkRig();
    expect(readRequest(rig, SECTORS - 1, 512).status).toBe(VIRTIO_BLK_S_OK);
    expect(readRequest(rig, SECTORS, 0).status).toBe(VIRTIO_BLK_S_OK);
  });

  it("writes sectors and touches nothing else", () => {
    const rig = blkRig();
    const before = rig.disk.bytes.slice();
    const { status, length } = writeRequest(rig, 5, fill(1024, 0xcd));
    expect(status).toBe(VIRTIO_BLK_S_OK);
    expect(length).toBe(1);
    expect(rig.disk.bytes.subarray(5 * 512, 7 * 512).every((b) => b === 0xcd)).toBe(true);
    expect(Array.from(rig.disk.bytes.subarray(0, 5 * 512))).toEqual(Array.from(before.subarray(0, 5 * 512)));
    expect(Array.from(rig.disk.bytes.subarray(7 * 512))).toEqual(Array.from(before.subarray(7 * 512)));
    expect(Array.from(readRequest(rig, 5, 1024).data)).toEqual(Array.from(fill(1024, 0xcd)));
  });

  it("accepts any framing: header and data split across descriptors, in an indirect table too", () => {
    for (const indirect of [false, true]) {
      const rig = blkRig();
      const h = header(VIRTIO_BLK_T_OUT, 9);
      const data = fill(1536, 0x3c);
      const result = run(rig, [{ data: h.subarray(0, 5) }, { data: h.subarray(5) }, { data: data.subarray(0, 700) },
        { data: data.subarray(700) }, { writable: 1 }], { indirect });
      expect(result.status).toBe(VIRTIO_BLK_S_OK);
      expect(rig.disk.bytes.subarray(9 * 512, 12 * 512).every((b) => b === 0x3c)).toBe(true);
      // A read whose data and status share one writable descriptor.
      const read = run(rig, [{ data: header(VIRTIO_BLK_T_IN, 9) }, { writable: 300 }, { writable: 213 }], { indirect });
      expect(read.status).toBe(VIRTIO_BLK_S_OK);
      expect(read.length).toBe(513);
      const first = rig.ram.read(read.submitted.buffers[1]!.address, 300);
      expect(first.every((b) => b === 0x3c)).toBe(true);
    }
  });

  it("flushes", () => {
    const rig = blkRig();
    const { status, length } = run(rig, [{ data: header(VIRTIO_BLK_T_FLUSH, 0) }, { writable: 1 }]);
    expect(status).toBe(VIRTIO_BLK_S_OK);
    expect(length).toBe(1);
    expect(rig.disk.flushes).toBe(1);
  });

  it("writes through when FLUSH is offered but not negotiated (§5.2.6.2)", () => {
    const rig = blkRig(patternDisk(), VIRTIO_F_INDIRECT_DESC);
    writeRequest(rig, 1, fill(512, 1));
    expect(rig.disk.flushes).toBe(1);
    const negotiated = blkRig();
    writeRequest(negotiated, 1, fill(512, 1));
    expect(negotiated.disk.flushes).toBe(0);
  });

  it("returns the device id string (NUL-padded, none when 20 bytes long)", () => {
    const rig = blkRig();
    const result = run(rig, [{ data: header(VIRTIO_BLK_T_GET_ID, 0) }, { writable: 20 }, { writable: 1 }]);
    expect(result.status).toBe(VIRTIO_BLK_S_OK);
    expect(result.length).toBe(21);
    const id = rig.ram.read(result.submitted.buffers[1]!.address, 20);
    expect(Buffer.from(id).toString("latin1")).toBe("wasmvisor-blk\0\0\0\0\0\0\0");
    const full = blkRig(patternDisk(), undefined, { serial: "ABCDEFGHIJKLMNOPQRST" });
    const second = run(full, [{ data: header(VIRTIO_BLK_T_GET_ID, 0) }, { writable: 21 }]);
    expect(Buffer.from(full.ram.read(second.submitted.buffers[1]!.address, 20)).toString("latin1")).toBe("ABCDEFGHIJKLMNOPQRST");
    expect(second.length).toBe(21);
  });

  it("answers UNSUPP to request types it does not implement", () => {
    const rig = blkRig();
    for (const type of [11, 13, 14, 10, 2, 99, 0xffff_ffff]) {
      const { status, length } = run(rig, [{ data: new Uint8Array([...header(type, 0), ...new Uint8Array(16)]) },
        { writable: 1 }]);
      expect(status).toBe(VIRTIO_BLK_S_UNSUPP);
      expect(length).toBe(1);
    }
    expect(rig.device.stats.unsupported).toBe(7);
  });
});

describe("virtio-blk errors", () => {
  it("a read past the end fails with IOERR and writes no data", () => {
    for (const [sector, bytes] of [[SECTORS - 1, 1024], [SECTORS, 512], [BigInt(2) ** 63n, 512],
      [(1n << 64n) - 1n, 512], [BigInt(2 ** 55), 512]] as const) {
      const rig = blkRig();
      const { status, length, data } = readRequest(rig, sector, bytes);
      expect(status).toBe(VIRTIO_BLK_S_IOERR);
      expect(length).toBe(0);
      expect(data.every((b) => b === 0)).toBe(true);
    }
  });

  it("a write past the end fails with IOERR and leaves the disk unchanged", () => {
    for (const sector of [SECTORS - 1, SECTORS, 1n << 63n, (1n << 64n) - 2n]) {
      const rig = blkRig();
      const before = rig.disk.bytes.slice();
      expect(writeRequest(rig, sector, fill(1024, 0xee)).status).toBe(VIRTIO_BLK_S_IOERR);
      expect(Buffer.compare(rig.disk.bytes, before)).toBe(0);
    }
  });

  it("data that is not a whole number of sectors fails with IOERR", () => {
    const rig = blkRig();
    const before = rig.disk.bytes.slice();
    expect(writeRequest(rig, 0, fill(513, 1)).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(readRequest(rig, 0, 100).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(Buffer.compare(rig.disk.bytes, before)).toBe(0);
  });

  it("a read-only disk refuses writes (IOERR, nothing written) but reads and flushes", () => {
    for (const rig of [blkRig(patternDisk(SECTORS, true)), blkRig(patternDisk(), undefined, { readOnly: true })]) {
      const before = rig.disk.bytes.slice();
      expect(rig.driver.negotiated & VIRTIO_BLK_F_RO).toBe(0n); // the test driver does not ask for it,
      expect(rig.device.deviceFeatures & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO); // but it is offered
      expect(writeRequest(rig, 0, fill(512, 0x11)).status).toBe(VIRTIO_BLK_S_IOERR);
      expect(Buffer.compare(rig.disk.bytes, before)).toBe(0);
      expect(readRequest(rig, 0, 512).status).toBe(VIRTIO_BLK_S_OK);
      expect(run(rig, [{ data: header(VIRTIO_BLK_T_FLUSH, 0) }, { writable: 1 }]).status).toBe(VIRTIO_BLK_S_OK);
    }
  });

  it("a header shorter than 16 bytes fails with IOERR", () => {
    const rig = blkRig();
    expect(run(rig, [{ data: header(VIRTIO_BLK_T_IN, 0).subarray(0, 8) }, { writable: 1 }]).status).toBe(VIRTIO_BLK_S_IOERR);
  });

  it("a request with no writable byte is returned with length 0 and nothing happens", () => {
    const rig = blkRig();
    const before = rig.disk.bytes.slice();
    const submitted = rig.queue.submit([{ data: header(VIRTIO_BLK_T_OUT, 0) }, { data: fill(512, 9) }]);
    rig.queue.kick();
    expect(rig.queue.collect()).toEqual([{ id: submitted.head, length: 0 }]);
    expect(Buffer.compare(rig.disk.bytes, before)).toBe(0);
    expect(rig.driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(0);
  });

  it("a backend failure becomes IOERR", () => {
    const failing: DiskBackend = {
      size: 4096, readOnly: false, description: "failing disk",
      read: () => { throw new DiskError("media error"); },
      write: () => { throw new Error("EIO"); },
      flush: () => { throw new DiskError("flush failed"); },
      close: () => {},
    };
    const device = new BlockDevice({ disk: failing });
    const rig = createRig(device);
    rig.driver.initialize(VIRTIO_BLK_F_FLUSH);
    const blk = { ...rig, disk: new MemoryDisk(0), device, queue: rig.driver.queues[0]! };
    expect(readRequest(blk, 0, 512).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(writeRequest(blk, 0, fill(512, 1)).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(run(blk, [{ data: header(VIRTIO_BLK_T_FLUSH, 0) }, { writable: 1 }]).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(device.stats.ioErrors).toBe(3);
    expect(device.lastDiskError?.message).toBe("flush failed");
  });

  it("a data buffer outside RAM needs a reset and leaves disk and guards untouched", () => {
    const rig = blkRig();
    const before = rig.disk.bytes.slice();
    const headerAddress = rig.driver.allocator.alloc(16);
    rig.ram.write(headerAddress, header(VIRTIO_BLK_T_OUT, 0));
    const status = rig.driver.allocator.alloc(1);
    rig.queue.writeDescriptor(0, headerAddress, 16, VIRTQ_DESC_F_NEXT, 1);
    rig.queue.writeDescriptor(1, rig.ram.end - 256, 512, VIRTQ_DESC_F_NEXT, 2);
    rig.queue.writeDescriptor(2, status, 1, VIRTQ_DESC_F_WRITE);
    rig.queue.publish(0);
    rig.queue.notify();
    expect(rig.driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect((rig.transport.lastError as VirtqueueError).fault).toBe("buffer-out-of-range");
    expect(Buffer.compare(rig.disk.bytes, before)).toBe(0);
    expect(rig.guarded.guardsIntact()).toBe(true);
  });

  it("a read whose data buffer ends at the last byte of RAM works; one byte more does not", () => {
    const rig = blkRig();
    const h = rig.driver.allocator.alloc(16);
    rig.ram.write(h, header(VIRTIO_BLK_T_IN, 0));
    rig.queue.writeDescriptor(0, h, 16, VIRTQ_DESC_F_NEXT, 1);
    rig.queue.writeDescriptor(1, rig.ram.end - 513, 513, VIRTQ_DESC_F_WRITE);
    rig.queue.publish(0);
    rig.queue.notify();
    expect(rig.queue.collect()).toEqual([{ id: 0, length: 513 }]);
    expect(rig.ram.read(rig.ram.end - 1, 1)[0]).toBe(VIRTIO_BLK_S_OK);
    rig.queue.writeDescriptor(1, rig.ram.end - 512, 513, VIRTQ_DESC_F_WRITE);
    rig.queue.publish(0);
    rig.queue.notify();
    expect(rig.driver.status() & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(rig.guarded.guardsIntact()).toBe(true);
  });
});

describe("file-backed disks", () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "wasmvisor-blk-"));
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  function image(name: string, sectors = 16): { file: string; contents: Buffer } {
    const file = path.join(directory, name);
    const contents = Buffer.alloc(sectors * 512);
    for (let i = 0; i < contents.length; i++) contents[i] = (i * 13) & 0xff;
    fs.writeFileSync(file, contents);
    return { file, contents };
  }

  function fileRig(disk: FileDisk): BlkRig {
    const device = new BlockDevice({ disk });
    const rig = createRig(device);
    rig.driver.initialize(VIRTIO_BLK_F_FLUSH);
    return { ...rig, disk: new MemoryDisk(0), device, queue: rig.driver.queues[0]! };
  }

  it("reads, writes and flushes a read-write image at the right offsets", () => {
    const { file, contents } = image("rw.img");
    const disk = openFileDisk(file);
    const rig = fileRig(disk);
    expect(readRequest(rig, 2, 1024).data).toEqual(new Uint8Array(contents.subarray(1024, 2048)));
    expect(writeRequest(rig, 3, fill(512, 0x77)).status).toBe(VIRTIO_BLK_S_OK);
    expect(run(rig, [{ data: header(VIRTIO_BLK_T_FLUSH, 0) }, { writable: 1 }]).status).toBe(VIRTIO_BLK_S_OK);
    expect(writeRequest(rig, 16, fill(512, 0x88)).status).toBe(VIRTIO_BLK_S_IOERR); // past the end
    disk.close();
    const after = fs.readFileSync(file);
    expect(after.length).toBe(contents.length); // never extended
    const expected = Buffer.from(contents);
    expected.fill(0x77, 3 * 512, 4 * 512);
    expect(Buffer.compare(after, expected)).toBe(0);
  });

  it("a read-only image refuses writes and stays unchanged", () => {
    const { file, contents } = image("ro.img");
    fs.chmodSync(file, 0o444);
    const disk = openFileDisk(file, { readOnly: true });
    expect(disk.readOnly).toBe(true);
    const rig = fileRig(disk);
    expect(rig.device.deviceFeatures & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
    expect(writeRequest(rig, 0, fill(512, 1)).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(readRequest(rig, 15, 512).status).toBe(VIRTIO_BLK_S_OK);
    expect(() => disk.write(0, fill(1, 0))).toThrow(DiskError);
    disk.close();
    expect(Buffer.compare(fs.readFileSync(file), contents)).toBe(0);
  });

  it("the backend never writes outside the image", () => {
    const { file, contents } = image("bounds.img", 2);
    const disk = new FileDisk(file);
    expect(() => disk.write(1023, fill(2, 1))).toThrow(/outside the 1024-byte image/);
    expect(() => disk.write(-1, fill(1, 1))).toThrow(DiskError);
    expect(() => disk.read(1024, new Uint8Array(1))).toThrow(DiskError);
    disk.close();
    expect(() => disk.read(0, new Uint8Array(1))).toThrow(/closed/);
    expect(Buffer.compare(fs.readFileSync(file), contents)).toBe(0);
  });

  it("a missing file, a directory or an unwritable file is a DiskError at creation", () => {
    expect(() => openFileDisk(path.join(directory, "missing.img"))).toThrow(/cannot open disk image .*missing\.img.*no such file/);
    expect(() => openFileDisk(directory, { readOnly: true })).toThrow(/not a regular file|is a directory/);
    expect(() => openFileDisk(directory)).toThrow(DiskError);
    const { file } = image("locked.img");
    fs.chmodSync(file, 0o444);
    if (process.getuid?.() !== 0) expect(() => openFileDisk(file)).toThrow(/permission denied/);
  });
});
