import { describe, expect, it } from "vitest";
import { Bus, extractBytes, insertBytes, type MmioDevice } from "../../host/machine/bus.js";
import { BusError } from "../../host/machine/errors.js";

/** A RAM-like device recording its accesses. */
class Probe implements MmioDevice {
  log: string[] = [];
  store = new Map<number, bigint>();
  constructor(readonly name: string, private readonly rejectSize?: number) {}
  read(offset: number, size: number): bigint | undefined {
    this.log.push(`r${size}@${offset}`);
    if (size === this.rejectSize) return undefined;
    return this.store.get(offset) ?? 0x1122_3344_5566_7788n;
  }
  write(offset: number, size: number, value: bigint): boolean {
    this.log.push(`w${size}@${offset}=${value.toString(16)}`);
    if (size === this.rejectSize) return false;
    this.store.set(offset, value);
    return true;
  }
}

describe("Bus mapping", () => {
  it("routes accesses to the device with offsets relative to its base", () => {
    const bus = new Bus();
    const a = new Probe("a"), b = new Probe("b");
    bus.map(0x1000, 0x100, a);
    bus.map(0x2000, 0x1000, b);
    expect(bus.write(0, 0x1010, 4, 0xdeadbeefn)).toBe(true);
    expect(bus.read(0, 0x1010, 4)).toBe(0xdeadbeefn);
    expect(bus.write(0, 0x2ff8, 8, 0x0123456789abcdefn)).toBe(true);
    expect(b.log).toEqual(["w8@4088=123456789abcdef"]);
    expect(a.log).toEqual(["w4@16=deadbeef", "r4@16"]);
  });

  it("keeps mappings sorted and finds each one (binary search and last-hit cache)", () => {
    const bus = new Bus();
    const devices = [5, 1, 3, 0, 4, 2].map((i) => ({ i, d: new Probe(`d${i}`) }));
    for (const { i, d } of devices) bus.map(0x10000 * (i + 1), 0x100, d);
    expect(bus.mappings().map((m) => m.name)).toEqual(["d0", "d1", "d2", "d3", "d4", "d5"]);
    for (let i = 0; i < 6; i++) {
      expect(bus.find(0x10000 * (i + 1) + 0xff)?.name).toBe(`d${i}`);
      expect(bus.find(0x10000 * (i + 1) + 0x100)).toBeUndefined();
    }
    expect(bus.find(0)).toBeUndefined();
  });

  it("counts reads and writes per mapping", () => {
    const bus = new Bus();
    const m = bus.map(0x100, 0x10, new Probe("p"));
    bus.read(0, 0x100, 1); bus.read(0, 0x101, 1); bus.write(0, 0x102, 2, 1n);
    expect([m.reads, m.writes]).toEqual([2, 1]);
  });

  it("masks values to the access size", () => {
    const bus = new Bus();
    const p = new Probe("p");
    bus.map(0, 0x100, p);
    expect(bus.read(0, 0, 1)).toBe(0x88n);
    expect(bus.read(0, 0, 2)).toBe(0x7788n);
    bus.write(0, 8, 2, 0x12345n);
    expect(p.store.get(8)).toBe(0x2345n);
  });

  it("unmaps by base address", () => {
    const bus = new Bus();
    bus.map(0x100, 0x10, new Probe("p"));
    expect(bus.read(0, 0x100, 4)).toBeDefined();
    expect(bus.unmap(0x100)).toBe(true);
    expect(bus.unmap(0x100)).toBe(false);
    expect(bus.read(0, 0x100, 4)).toBeUndefined();
  });
});

describe("Bus overlap rejection", () => {
  const cases: [string, number, number][] = [
    ["identical range", 0x1000, 0x100],
    ["starts inside", 0x10ff, 0x10],
    ["ends inside", 0xff0, 0x11],
    ["covers it", 0x800, 0x1000],
    ["inside it", 0x1010, 0x10],
  ];
  for (const [name, base, size] of cases) {
    it(`rejects a range that ${name}`, () => {
      const bus = new Bus();
      bus.map(0x1000, 0x100, new Probe("first"));
      expect(() => bus.map(base, size, new Probe("second"))).toThrow(BusError);
      expect(() => bus.map(base, size, new Probe("second"))).toThrow(/overlaps first/);
      expect(bus.mappings()).toHaveLength(1);
    });
  }

  it("accepts adjacent ranges", () => {
    const bus = new Bus();
    bus.map(0x1000, 0x100, new Probe("a"));
    bus.map(0x1100, 0x100, new Probe("b"));
    bus.map(0xf00, 0x100, new Probe("c"));
    expect(bus.mappings()).toHaveLength(3);
  });

  it("rejects empty, negative and non-integer ranges", () => {
    const bus = new Bus();
    expect(() => bus.map(0x1000, 0, new Probe("z"))).toThrow(BusError);
    expect(() => bus.map(-1, 0x10, new Probe("n"))).toThrow(BusError);
    expect(() => bus.map(0.5, 0x10, new Probe("f"))).toThrow(BusError);
    expect(() => bus.map(Number.MAX_SAFE_INTEGER, 0x10, new Probe("o"))).toThrow(/overflows/);
  });
});

describe("Bus faults", () => {
  it("reports unmapped reads and writes as faults", () => {
    const bus = new Bus();
    bus.map(0x1000, 0x100, new Probe("p"));
    expect(bus.read(0, 0x5000, 4)).toBeUndefined();
    expect(bus.lastFault).toEqual({ kind: "read", address: 0x5000, size: 4, hart: 0, reason: "unmapped" });
    expect(bus.write(1, 0xfff, 1, 0n)).toBe(false);
    expect(bus.lastFault?.reason).toBe("unmapped");
    expect(bus.faults).toBe(2);
  });

  it("faults an access that crosses the end of a mapping", () => {
    const bus = new Bus();
    const p = new Probe("p");
    bus.map(0x1000, 0x100, p);
    expect(bus.read(0, 0x10fc, 8)).toBeUndefined();
    expect(bus.lastFault?.reason).toBe("crosses-end");
    expect(p.log).toEqual([]);
    expect(bus.read(0, 0x10f8, 8)).toBeDefined();
  });

  it("faults sizes other than 1, 2, 4 and 8", () => {
    const bus = new Bus();
    bus.map(0, 0x100, new Probe("p"));
    for (const size of [0, 3, 5, 16]) {
      expect(bus.read(0, 0, size)).toBeUndefined();
      expect(bus.lastFault?.reason).toBe("bad-size");
    }
  });

  it("faults accesses the device rejects", () => {
    const bus = new Bus();
    bus.map(0, 0x100, new Probe("p", 2));
    expect(bus.read(0, 0, 2)).toBeUndefined();
    expect(bus.write(0, 0, 2, 1n)).toBe(false);
    expect(bus.lastFault?.reason).toBe("rejected");
    expect(bus.read(0, 0, 4)).toBeDefined();
  });
});

describe("byte helpers", () => {
  it("extracts and inserts little-endian byte lanes", () => {
    expect(extractBytes(0x1122334455667788n, 2, 2)).toBe(0x5566n);
    expect(insertBytes(0x1122334455667788n, 4, 4, 0xaabbccddn)).toBe(0xaabbccdd55667788n);
    expect(insertBytes(0n, 7, 1, 0x1ffn)).toBe(0xff00000000000000n);
  });
});
