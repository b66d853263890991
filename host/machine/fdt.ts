// A small, generic flattened-device-tree (DTB) builder and reader, after the Devicetree
// Specification v0.4 (devicetree.org), chapter 5 "Flattened Devicetree (DTB) Format". The `virt`
// board's tree is assembled from this in devicetree.ts.
//
// Layout of the blob (§5.1), every field big-endian:
//   header (§5.2), 40 bytes:   magic 0xd00dfeed, totalsize, off_dt_struct, off_dt_strings,
//                              off_mem_rsvmap, version (17), last_comp_version (16),
//                              boot_cpuid_phys, size_dt_strings, size_dt_struct
//   memory reservation block   8-byte aligned (§5.3): {u64 address, u64 size} pairs, ended by
//                              a pair of zeros
//   structure block (§5.4)     4-byte aligned tokens: FDT_BEGIN_NODE (1) + NUL-terminated name
//                              padded to 4; FDT_PROP (3) + u32 len + u32 nameoff + value padded
//                              to 4; FDT_END_NODE (2); FDT_NOP (4, skipped by readers); FDT_END (9)
//   strings block (§5.5)       NUL-terminated property names, referenced by nameoff
// The root node's name is the empty string (§5.4.1). Property values are byte strings; the
// helpers below encode the standard value types of §2.2.4: <u32> and <u64> cells (big-endian,
// a u64 is two cells, high first), <string> (NUL-terminated), <stringlist> (concatenated
// strings), <phandle> (a u32 cell) and empty values (booleans such as `interrupt-controller`).
// Node and property names are checked against the character sets of §2.2.1 and §2.2.4.1.

/** Magic number of a DTB header (§5.2). */
export const FDT_MAGIC = 0xd00dfeed;
/** Version written into the header. */
export const FDT_VERSION = 17;
/** Oldest version the blob stays compatible with (§5.2: 16 for version 17). */
export const FDT_LAST_COMPATIBLE_VERSION = 16;
/** Structure-block tokens (§5.4.1). */
export const FDT_BEGIN_NODE = 0x1, FDT_END_NODE = 0x2, FDT_PROP = 0x3, FDT_NOP = 0x4, FDT_END = 0x9;

const HEADER_SIZE = 40;
const NODE_NAME = /^[0-9A-Za-z,._+-]{1,31}(@[0-9A-Za-z,._+-]+)?$/;
const PROPERTY_NAME = /^[0-9A-Za-z,._+?#-]{1,31}$/;

/** An error in building or reading a device tree. */
export class FdtError extends Error {
  override readonly name = "FdtError";
}

/** One entry of the memory reservation block (§5.3). */
export interface FdtReservation {
  /** Physical start address. */
  address: bigint;
  /** Length in bytes. */
  size: bigint;
}

/** Encodes 32-bit cells big-endian. */
export function encodeU32(...values: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((value, index) => {
    if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0xffff_ffff) {
      throw new FdtError(`cell value ${value} does not fit in 32 bits`);
    }
    view.setUint32(4 * index, value >>> 0);
  });
  return out;
}

/** Encodes 64-bit values as pairs of cells (high cell first). */
export function encodeU64(...values: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((value, index) => {
    if (value < 0n || value > 0xffff_ffff_ffff_ffffn) throw new FdtError(`value ${value} does not fit in 64 bits`);
    view.setBigUint64(8 * index, value);
  });
  return out;
}

/** Encodes strings as a NUL-separated string list (one string is a <string>). */
export function encodeStrings(...values: readonly string[]): Uint8Array {
  const parts = values.map((value) => {
    if (value.includes("\0")) throw new FdtError(`string ${JSON.stringify(value)} contains a NUL character`);
    return new TextEncoder().encode(value + "\0");
  });
  return concatenate(parts);
}

/** Splits `value` into `count` 32-bit cells, most significant first (for reg/ranges). */
export function splitCells(value: bigint, count: number): number[] {
  if (value < 0n || value >= 1n << BigInt(32 * count)) throw new FdtError(`value ${value} does not fit in ${count} cells`);
  const cells: number[] = [];
  for (let index = count - 1; index >= 0; index--) cells.push(Number((value >> BigInt(32 * index)) & 0xffff_ffffn));
  return cells;
}

/** A device-tree node: an ordered set of properties and child nodes. */
export class FdtNode {
  /** Properties in the order they were first set. */
  readonly properties = new Map<string, Uint8Array>();
  /** Child nodes in creation order. */
  readonly children: FdtNode[] = [];

  /** Creates a node named `name` ("" for the root) below `parent`. */
  constructor(readonly name: string, readonly parent?: FdtNode) {
    if (parent !== undefined && !NODE_NAME.test(name)) throw new FdtError(`invalid node name ${JSON.stringify(name)}`);
  }

  /** The node's full path ("/" for the root). */
  get path(): string {
    if (!this.parent) return "/";
    const above = this.parent.path;
    return above === "/" ? `/${this.name}` : `${above}/${this.name}`;
  }

  /** Creates and appends a child node; FdtError if a sibling already has that name. */
  addChild(name: string): FdtNode {
    if (this.child(name)) throw new FdtError(`node ${this.path} already has a child named ${name}`);
    const node = new FdtNode(name, this);
    this.children.push(node);
    return node;
  }

  /** Returns the child named exactly `name`, if any. */
  child(name: string): FdtNode | undefined {
    return this.children.find((node) => node.name === name);
  }

  /** Sets property `name` to raw bytes (replacing an earlier value in place). */
  setBytes(name: string, value: Uint8Array): this {
    if (!PROPERTY_NAME.test(name)) throw new FdtError(`invalid property name ${JSON.stringify(name)}`);
    this.properties.set(name, value.slice());
    return this;
  }

  /** Sets an empty (boolean) property such as `interrupt-controller`. */
  setEmpty(name: string): this {
    return this.setBytes(name, new Uint8Array(0));
  }

  /** Sets a property of 32-bit cells (also for phandles and mixed cell lists). */
  setU32(name: string, ...values: readonly number[]): this {
    return this.setBytes(name, encodeU32(...values));
  }

  /** Sets a property of 64-bit values (two cells each). */
  setU64(name: string, ...values: readonly bigint[]): this {
    return this.setBytes(name, encodeU64(...values));
  }

  /** Sets a <string> property. */
  setString(name: string, value: string): this {
    return this.setBytes(name, encodeStrings(value));
  }

  /** Sets a <stringlist> property. */
  setStrings(name: string, ...values: readonly string[]): this {
    return this.setBytes(name, encodeStrings(...values));
  }

  /** Sets a `reg`-style property: (address, size) pairs in the given numbers of cells. */
  setRegions(name: string, regions: readonly FdtReservation[], addressCells = 2, sizeCells = 2): this {
    const cells: number[] = [];
    for (const region of regions) cells.push(...splitCells(region.address, addressCells), ...splitCells(region.size, sizeCells));
    return this.setU32(name, ...cells);
  }

  /** The raw value of property `name`, if set. */
  property(name: string): Uint8Array | undefined {
    return this.properties.get(name);
  }

  /** Property `name` read as 32-bit cells (undefined if absent or not a multiple of 4 bytes). */
  u32s(name: string): number[] | undefined {
    const value = this.properties.get(name);
    if (!value || value.length % 4 !== 0) return undefined;
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    return Array.from({ length: value.length / 4 }, (_, index) => view.getUint32(4 * index));
  }

  /** Property `name` read as a string list (undefined if absent or not NUL-terminated). */
  strings(name: string): string[] | undefined {
    const value = this.properties.get(name);
    if (!value || value.length === 0 || value[value.length - 1] !== 0) return undefined;
    return new TextDecoder().decode(value.subarray(0, value.length - 1)).split("\0");
  }

  /** Removes property `name`; returns whether it existed. */
  removeProperty(name: string): boolean {
    return this.properties.delete(name);
  }
}

/** A device tree under construction: nodes, phandles, reservations; serialises to a DTB. */
export class DeviceTree {
  /** The root node. */
  readonly root = new FdtNode("");
  /** Entries of the memory reservation block. */
  readonly reservations: FdtReservation[] = [];
  /** Physical ID of the boot CPU (header field boot_cpuid_phys). */
  bootCpuId = 0;
  private nextPhandle = 1;

  /** Returns the node at absolute `path` ("/", "/cpus/cpu@0"), if any. */
  node(path: string): FdtNode | undefined {
    if (!path.startsWith("/")) return undefined;
    let node: FdtNode | undefined = this.root;
    for (const part of path.split("/").filter((p) => p.length > 0)) {
      node = node.child(part);
      if (!node) return undefined;
    }
    return node;
  }

  /** Returns `node`'s phandle, giving it the next free one (and its `phandle` property) if needed. */
  phandle(node: FdtNode): number {
    const existing = node.u32s("phandle");
    if (existing && existing.length === 1) return existing[0]!;
    const value = this.nextPhandle++;
    node.setU32("phandle", value);
    return value;
  }

  /** Makes phandles 1..`highest` unavailable to phandle() (they are in use already). */
  reservePhandles(highest: number): void {
    if (highest >= this.nextPhandle) this.nextPhandle = highest + 1;
  }

  /** Serialises the tree into a version-17 DTB (§5). */
  toBytes(): Uint8Array {
    const strings = new StringTable();
    const structure = new ByteWriter();
    const emit = (node: FdtNode): void => {
      structure.u32(FDT_BEGIN_NODE);
      structure.bytes(new TextEncoder().encode(node.name + "\0"));
      structure.align(4);
      for (const [name, value] of node.properties) {
        structure.u32(FDT_PROP);
        structure.u32(value.length);
        structure.u32(strings.offset(name));
        structure.bytes(value);
        structure.align(4);
      }
      for (const child of node.children) emit(child);
      structure.u32(FDT_END_NODE);
    };
    emit(this.root);
    structure.u32(FDT_END);

    const reservations = new ByteWriter();
    for (const r of this.reservations) reservations.bytes(encodeU64(r.address, r.size));
    reservations.bytes(encodeU64(0n, 0n));

    const structBytes = structure.finish();
    const stringBytes = strings.finish();
    const offRsvmap = HEADER_SIZE; // 8-byte aligned (§5.6)
    const offStruct = offRsvmap + reservations.length; // a multiple of 16 after 40: 4-byte aligned
    const offStrings = offStruct + structBytes.length;
    const total = offStrings + stringBytes.length;
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    const header = [FDT_MAGIC, total, offStruct, offStrings, offRsvmap, FDT_VERSION, FDT_LAST_COMPATIBLE_VERSION,
      this.bootCpuId, stringBytes.length, structBytes.length];
    header.forEach((value, index) => view.setUint32(4 * index, value >>> 0));
    out.set(reservations.finish(), offRsvmap);
    out.set(structBytes, offStruct);
    out.set(stringBytes, offStrings);
    return out;
  }
}

/** Reads a DTB (version 16 or later) back into a DeviceTree; FdtError if it is malformed. */
export function parseFdt(blob: Uint8Array): DeviceTree {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.length < HEADER_SIZE) throw new FdtError(`a DTB needs at least ${HEADER_SIZE} bytes (got ${blob.length})`);
  const field = (index: number) => view.getUint32(4 * index);
  if (field(0) !== FDT_MAGIC) throw new FdtError(`bad DTB magic 0x${field(0).toString(16)}`);
  const total = field(1), offStruct = field(2), offStrings = field(3), offRsvmap = field(4);
  const version = field(5), lastCompatible = field(6);
  if (total > blob.length) throw new FdtError(`DTB totalsize ${total} exceeds the ${blob.length} bytes given`);
  if (version < 16 || lastCompatible > FDT_VERSION) throw new FdtError(`unsupported DTB version ${version} (compatible ${lastCompatible})`);
  const sizeStrings = field(8);
  const sizeStruct = version >= 17 ? field(9) : total - offStruct;
  if (offStruct + sizeStruct > total || offStrings + sizeStrings > total) throw new FdtError("DTB blocks exceed totalsize");

  const tree = new DeviceTree();
  tree.bootCpuId = field(7);
  for (let at = offRsvmap; ; at += 16) {
    if (at + 16 > total) throw new FdtError("unterminated memory reservation block");
    const address = view.getBigUint64(at), size = view.getBigUint64(at + 8);
    if (address === 0n && size === 0n) break;
    tree.reservations.push({ address, size });
  }

  const decoder = new TextDecoder();
  const cString = (start: number, end: number): [string, number] => {
    const nul = blob.indexOf(0, start);
    if (nul < 0 || nul >= end) throw new FdtError(`unterminated string at offset ${start}`);
    return [decoder.decode(blob.subarray(start, nul)), nul + 1];
  };
  const structEnd = offStruct + sizeStruct;
  let at = offStruct;
  const token = (): number => {
    if (at + 4 > structEnd) throw new FdtError("structure block ends without FDT_END");
    const value = view.getUint32(at);
    at += 4;
    return value;
  };
  const stack: FdtNode[] = [];
  let maxPhandle = 0;
  let seenRoot = false;
  for (;;) {
    const kind = token();
    if (kind === FDT_NOP) continue;
    if (kind === FDT_BEGIN_NODE) {
      const [name, next] = cString(at, structEnd);
      at = (next + 3) & ~3;
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (seenRoot || name !== "") throw new FdtError("the structure block must hold exactly one root node named \"\"");
        seenRoot = true;
        stack.push(tree.root);
      } else {
        stack.push(parent.addChild(name));
      }
    } else if (kind === FDT_PROP) {
      const node = stack[stack.length - 1];
      if (!node) throw new FdtError("property outside any node");
      const length = token(), nameOffset = token();
      if (at + length > structEnd) throw new FdtError("property value runs past the structure block");
      if (nameOffset >= sizeStrings) throw new FdtError(`property name offset ${nameOffset} outside the strings block`);
      const [name] = cString(offStrings + nameOffset, offStrings + sizeStrings);
      node.setBytes(name, blob.subarray(at, at + length));
      if (name === "phandle" && length === 4) maxPhandle = Math.max(maxPhandle, view.getUint32(at));
      at = (at + length + 3) & ~3;
    } else if (kind === FDT_END_NODE) {
      if (!stack.pop()) throw new FdtError("FDT_END_NODE without a matching FDT_BEGIN_NODE");
    } else if (kind === FDT_END) {
      if (stack.length !== 0 || !seenRoot) throw new FdtError("FDT_END inside an open node or before the root");
      break;
    } else {
      throw new FdtError(`unknown structure token 0x${kind.toString(16)} at offset ${at - 4}`);
    }
  }
  tree.reservePhandles(maxPhandle);
  return tree;
}

// Deduplicated strings block (§5.5).
class StringTable {
  private readonly offsets = new Map<string, number>();
  private readonly writer = new ByteWriter();

  offset(name: string): number {
    let offset = this.offsets.get(name);
    if (offset === undefined) {
      offset = this.writer.length;
      this.offsets.set(name, offset);
      this.writer.bytes(new TextEncoder().encode(name + "\0"));
    }
    return offset;
  }

  finish(): Uint8Array {
    return this.writer.finish();
  }
}

// Growable big-endian byte buffer.
class ByteWriter {
  private buffer = new Uint8Array(1024);
  length = 0;

  u32(value: number): void {
    this.reserve(4);
    new DataView(this.buffer.buffer).setUint32(this.length, value >>> 0);
    this.length += 4;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  align(to: number): void {
    const padded = Math.ceil(this.length / to) * to;
    this.reserve(padded - this.length);
    this.buffer.fill(0, this.length, padded);
    this.length = padded;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
}

function concatenate(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
