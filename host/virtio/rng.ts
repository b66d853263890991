// virtio-rng (virtio spec §5.4 "Entropy Device"), device id 4: one request queue of
// device-writable buffers that the device fills with random bytes. No feature bits and no
// configuration space are defined.
//
// The bytes come from a RandomSource:
// - "real" mode (default): crypto.randomFillSync, the host's CSPRNG;
// - "deterministic" mode: xoshiro128** seeded from `seed`, so a run repeats exactly (the
//   counterpart of the deterministic clock, DESIGN.md §6). Not for anything secret.
// Each request receives at most `maxBytesPerRequest` bytes (§5.4.6.2: the device MAY use less
// than the whole buffer; the used length says how much); a chain with no writable buffer is
// returned with length 0 (§5.4.6.1 forbids readable buffers, so it carries no request).
import { randomFillSync } from "node:crypto";
import { BaseVirtioDevice, isValidQueueSize, VirtioError, VIRTIO_ID_ENTROPY } from "./device.js";
import type { DescriptorChain } from "./queue.js";
import { registerVirtioDevice } from "./registry.js";

/** Fills `target` with random bytes. */
export type RandomSource = (target: Uint8Array) => void;

/** Where the entropy comes from. */
export type EntropyMode = "real" | "deterministic";

/** Default cap on bytes delivered per request. */
export const RNG_DEFAULT_MAX_BYTES = 0x1_0000;
/** Default queue size. */
export const RNG_DEFAULT_QUEUE_SIZE = 64;

/** Options of a virtio-rng device. */
export interface EntropyDeviceOptions {
  /** "real" (host CSPRNG, default) or "deterministic" (seeded PRNG). */
  mode?: EntropyMode;
  /** Seed of the deterministic generator (default 0). */
  seed?: number | bigint;
  /** A custom source; overrides `mode`. */
  source?: RandomSource;
  /** Most bytes given to one request (default 64 KiB). */
  maxBytesPerRequest?: number;
  /** Maximum queue size, a power of two (default 64). */
  queueSize?: number;
}

/** Returns the host CSPRNG as a RandomSource. */
export function cryptoRandomSource(): RandomSource {
  return (target) => { randomFillSync(target); };
}

/** A small, fast, seeded generator (xoshiro128**, state from a SplitMix32-style expansion). */
export class DeterministicRandom {
  private readonly state = new Uint32Array(4);
  private spare = 0; // bytes of the last word not handed out yet, low byte first
  private spareBytes = 0;

  /** Seeds the generator; equal seeds give equal streams. */
  constructor(seed: number | bigint = 0) {
    const value = BigInt.asUintN(64, BigInt(seed));
    let z = (Number(value & 0xffff_ffffn) ^ Math.imul(Number(value >> 32n), 0x85eb_ca6b)) >>> 0;
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e37_79b9) >>> 0;
      let x = z;
      x = Math.imul(x ^ (x >>> 16), 0x85eb_ca6b) >>> 0;
      x = Math.imul(x ^ (x >>> 13), 0xc2b2_ae35) >>> 0;
      this.state[i] = (x ^ (x >>> 16)) >>> 0;
    }
    if ((this.state[0]! | this.state[1]! | this.state[2]! | this.state[3]!) === 0) this.state[0] = 1;
  }

  /** Returns the next 32 random bits as an unsigned number. */
  next32(): number {
    const s = this.state;
    const result = Math.imul(rotateLeft(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] ^= s[0]!;
    s[3] ^= s[1]!;
    s[1] ^= s[2]!;
    s[0] ^= s[3]!;
    s[2] ^= t;
    s[3] = rotateLeft(s[3]!, 11);
    return result;
  }

  /** Fills `target` with the next bytes of the stream (one stream, however it is split). */
  fill(target: Uint8Array): void {
    for (let i = 0; i < target.length; i++) {
      if (this.spareBytes === 0) {
        this.spare = this.next32();
        this.spareBytes = 4;
      }
      target[i] = this.spare & 0xff;
      this.spare >>>= 8;
      this.spareBytes--;
    }
  }
}

function rotateLeft(value: number, count: number): number {
  return ((value << count) | (value >>> (32 - count))) >>> 0;
}

/** A virtio entropy device. */
export class EntropyDevice extends BaseVirtioDevice {
  readonly name = "virtio-rng";
  readonly deviceId = VIRTIO_ID_ENTROPY;
  readonly deviceFeatures = 0n;
  readonly queueMaxSizes: readonly number[];
  /** Where the bytes come from. */
  readonly mode: EntropyMode | "custom";
  /** Random bytes delivered since creation. */
  bytesDelivered = 0;
  private readonly source: RandomSource;
  private readonly maxBytes: number;

  /** Creates the device; VirtioError for a bad queue size or byte limit. */
  constructor(options: EntropyDeviceOptions = {}) {
    super(0);
    const queueSize = options.queueSize ?? RNG_DEFAULT_QUEUE_SIZE;
    if (!isValidQueueSize(queueSize)) {
      throw new VirtioError(`virtio-rng queue size must be a power of two from 1 to 32768 (got ${queueSize})`);
    }
    const maxBytes = options.maxBytesPerRequest ?? RNG_DEFAULT_MAX_BYTES;
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new VirtioError(`virtio-rng maxBytesPerRequest must be a positive whole number (got ${maxBytes})`);
    }
    this.queueMaxSizes = [queueSize];
    this.maxBytes = maxBytes;
    if (options.source) {
      this.mode = "custom";
      this.source = options.source;
    } else if ((options.mode ?? "real") === "deterministic") {
      this.mode = "deterministic";
      const generator = new DeterministicRandom(options.seed ?? 0);
      this.source = (target) => generator.fill(target);
    } else if (options.mode === undefined || options.mode === "real") {
      this.mode = "real";
      this.source = cryptoRandomSource();
    } else {
      throw new VirtioError(`unknown virtio-rng mode "${String(options.mode)}" (expected "real" or "deterministic")`);
    }
  }

  /** Fills every available request. */
  onNotify(index: number): void {
    if (index === 0) this.serviceQueue(0, (chain) => this.fill(chain));
  }

  /** Fills the chain's writable buffers (up to the per-request cap); returns the bytes written. */
  private fill(chain: DescriptorChain): number {
    const writer = chain.writer();
    const views = writer.take(Math.min(writer.remaining, this.maxBytes))!;
    let count = 0;
    for (const view of views) {
      this.source(view);
      count += view.length;
    }
    this.bytesDelivered += count;
    return count;
  }
}

/** Creates a virtio-rng device. */
export function createEntropyDevice(options: EntropyDeviceOptions = {}): EntropyDevice {
  return new EntropyDevice(options);
}

declare module "./registry.js" {
  interface VirtioDeviceOptionsMap {
    rng: EntropyDeviceOptions;
  }
}

registerVirtioDevice({
  name: "rng",
  description: "virtio-rng entropy source (host CSPRNG, or a seeded PRNG in deterministic mode)",
  create: createEntropyDevice,
});
