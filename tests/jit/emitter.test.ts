// Tests for the DBT's wasm byte emitter (assembly/jit/emitter.ts, assembly/jit/module.ts).
// Builds tests/jit/harness.ts, which assembles complete modules into a buffer in the shared
// memory; each module is validated, instantiated (importing the same shared memory) and called.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUF = 0x10_0000; // 1 MiB into memory: above the harness's static data and stub heap
const CAP = 0x1_0000;
const DATA = 0x20_0000; // scratch area for the memory tests

let mem: WebAssembly.Memory;
let u8: Uint8Array;
let x: any;

/** Copies `len` emitted bytes out of the shared memory (WebAssembly.Module wants a private copy). */
function bytes(len: number): Uint8Array {
  return new Uint8Array(mem.buffer, BUF, len).slice();
}

/** Builds a module with harness function `build`, checks it validates, instantiates it. */
function load(build: string, imports: Record<string, unknown> = {}): any {
  const len = x[build](BUF, CAP);
  expect(x.overflowed()).toBe(0);
  expect(x.lastError()).toBe(0);
  expect(len).toBeGreaterThan(8);
  const b = bytes(len);
  expect(WebAssembly.validate(b)).toBe(true);
  const m = new WebAssembly.Module(b);
  return new WebAssembly.Instance(m, { env: { memory: mem, ...imports } }).exports;
}

const enc = (fn: string, v: number | bigint) => {
  const n = x[fn](BUF, 16, v);
  return Array.from(new Uint8Array(mem.buffer, BUF, n));
};

/** Reference signed LEB128 encoder (spec §5.2.2) for cross-checking. */
function slebRef(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}
function ulebRef(v: number): number[] {
  const out: number[] = [];
  do { let b = v & 0x7f; v = Math.floor(v / 128); if (v) b |= 0x80; out.push(b); } while (v);
  return out;
}

beforeAll(() => {
  const r = spawnSync("npx", ["asc", "tests/jit/harness.ts", "-o", "build/jit-harness.wasm",
    "--runtime", "stub", "--importMemory", "--sharedMemory", "--initialMemory", "1024",
    "--maximumMemory", "65536", "--enable", "threads", "-O3"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error("asc failed:\n" + r.stdout + r.stderr);
  mem = new WebAssembly.Memory({ initial: 1024, maximum: 65536, shared: true });
  u8 = new Uint8Array(mem.buffer);
  const mod = new WebAssembly.Module(readFileSync(ROOT + "build/jit-harness.wasm"));
  x = new WebAssembly.Instance(mod, {
    env: { memory: mem, abort: () => { throw new Error("abort"); } },
  }).exports;
});

describe("LEB128", () => {
  it("unsigned u32 known encodings", () => {
    expect(enc("encU32", 0)).toEqual([0x00]);
    expect(enc("encU32", 127)).toEqual([0x7f]);
    expect(enc("encU32", 128)).toEqual([0x80, 0x01]);
    expect(enc("encU32", 624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(enc("encU32", 0xffff_ffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });
  it("signed i32 known encodings", () => {
    expect(enc("encI32", 0)).toEqual([0x00]);
    expect(enc("encI32", -1)).toEqual([0x7f]);
    expect(enc("encI32", 63)).toEqual([0x3f]);
    expect(enc("encI32", 64)).toEqual([0xc0, 0x00]);
    expect(enc("encI32", -64)).toEqual([0x40]);
    expect(enc("encI32", -65)).toEqual([0xbf, 0x7f]);
    expect(enc("encI32", -123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(enc("encI32", 0x7fff_ffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(enc("encI32", -0x8000_0000)).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });
  it("signed i64 known encodings and extremes", () => {
    expect(enc("encI64", 0n)).toEqual([0x00]);
    expect(enc("encI64", -1n)).toEqual([0x7f]);
    expect(enc("encI64", -64n)).toEqual([0x40]);
    expect(enc("encI64", -65n)).toEqual([0xbf, 0x7f]);
    expect(enc("encI64", 624485n)).toEqual([0xe5, 0x8e, 0x26]);
    expect(enc("encI64", (1n << 63n) - 1n)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
    expect(enc("encI64", -(1n << 63n))).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
  });
  it("agrees with a reference encoder on many values", () => {
    let seed = 0x1234_5678n;
    for (let k = 0; k < 500; k++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      const shift = BigInt(k % 64);
      const v64 = BigInt.asIntN(64, seed >> shift);
      expect(enc("encI64", v64)).toEqual(slebRef(v64));
      const v32 = Number(BigInt.asIntN(32, seed >> (shift % 33n)));
      expect(enc("encI32", v32)).toEqual(slebRef(BigInt(v32)));
      const u32 = v32 >>> 0;
      expect(enc("encU32", u32)).toEqual(ulebRef(u32));
    }
  });
  it("padded 5-byte slots for backpatching", () => {
    expect(enc("encPadded", 0)).toEqual([0x80, 0x80, 0x80, 0x80, 0x00]);
    expect(enc("encPadded", 3)).toEqual([0x83, 0x80, 0x80, 0x80, 0x00]);
    expect(enc("encPadded", 624485)).toEqual([0xe5, 0x8e, 0xa6, 0x80, 0x00]);
    expect(enc("encPadded", 0xffff_ffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });
});

describe("generated modules", () => {
  it("add(i64, i64) -> i64", () => {
    const len = x.buildAdd(BUF, CAP);
    const b = bytes(len);
    expect(Array.from(b.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const e = load("buildAdd");
    expect(e.add(2n, 3n)).toBe(5n);
    expect(e.add(-1n, 1n)).toBe(0n);
    expect(e.add((1n << 63n) - 1n, 1n)).toBe(-(1n << 63n)); // wraps
  });

  it("sum 1..n with loop / br_if and typed locals", () => {
    const e = load("buildSum");
    expect(e.sum(0)).toBe(0n);
    expect(e.sum(-5)).toBe(0n);
    expect(e.sum(1)).toBe(1n);
    expect(e.sum(10)).toBe(55n);
    expect(e.sum(100000)).toBe(5000050000n);
  });

  it("br_table switch", () => {
    const e = load("buildSwitch");
    expect([0, 1, 2, 3, 4, -1, 1000].map((v) => e.sw(v))).toEqual([10, 20, 30, 99, 99, 99, 99]);
  });

  it("loads and stores of every width through the imported shared memory", () => {
    const e = load("buildMem");
    const a = DATA;
    u8.fill(0, a, a + 32);
    const got = e.mem(a);
    const expected = -128n + 128n - 2n + 0xfffen + BigInt.asIntN(32, 0xdeadbeefn) + 0xdeadbeefn
      - 17n + 0x0123456789abcdefn;
    expect(got).toBe(BigInt.asIntN(64, expected));
    const dv = new DataView(mem.buffer);
    expect(dv.getUint8(a)).toBe(0x80);
    expect(dv.getUint16(a + 2, true)).toBe(0xfffe);
    expect(dv.getUint32(a + 4, true)).toBe(0xdeadbeef);
    expect(dv.getBigUint64(a + 8, true)).toBe(0x0123456789abcdefn);
    e.copy(a, a + 16); // *(a+16) = *(a+8)
    expect(dv.getBigUint64(a + 16, true)).toBe(0x0123456789abcdefn);
    // the core and the generated module see one memory
    dv.setBigUint64(a + 8, 0xfeedn, true);
    e.copy(a, a + 24);
    expect(dv.getBigUint64(a + 24, true)).toBe(0xfeedn);
  });

  it("calls an imported function", () => {
    const seen: number[] = [];
    const e = load("buildCall", { cb: (v: number) => { seen.push(v); return v + 100; } });
    expect(e.g(5)).toBe(111);
    expect(e.g(-3)).toBe(95);
    expect(seen).toEqual([10, -6]);
  });

  it("if/else with results, locals in groups, select, call_indirect", () => {
    const add = load("buildAdd").add;
    const alu = load("buildAlu");
    const table = new WebAssembly.Table({ element: "anyfunc", initial: 2 });
    table.set(0, add);
    table.set(1, alu.rotl);
    const e = load("buildIfElse", { table });
    expect(e.pick(3n, 7n, 0)).toBe(7n);
    expect(e.pick(-3n, -7n, 0)).toBe(-3n);
    expect(e.pick(3n, 7n, 1)).toBe(-4n);
    expect(e.pick(12n, 10n, 2)).toBe(6n);
    expect(e.sel(1n, 2n, 1)).toBe(1n);
    expect(e.sel(1n, 2n, 0)).toBe(2n);
    expect(e.ind(40n, 2n, 0)).toBe(42n);
    expect(e.ind(1n, 4n, 1)).toBe(16n);
    expect(() => e.ind(1n, 1n, 2)).toThrow(WebAssembly.RuntimeError);
  });

  it("ALU ops: rotl, clz/ctz, sign extensions, shifts, div/rem, wrap+extend, lt_u", () => {
    const e = load("buildAlu");
    const M64 = (1n << 64n) - 1n;
    const s = (v: bigint) => BigInt.asIntN(64, v);
    expect(e.rotl(s(0x8000_0000_0000_0001n), 4n)).toBe(0x18n);
    expect(e.clz(1n)).toBe(63n);
    expect(e.clz(0n)).toBe(64n);
    expect(e.ctz(0x100n)).toBe(8n);
    expect(e.ext8(0x80n)).toBe(-128n);
    expect(e.ext16(0x1_7fffn)).toBe(0x7fffn);
    expect(e.ext32(0xffff_ffffn)).toBe(-1n);
    expect(e.shrs(-16n, 2n)).toBe(-4n);
    expect(e.shru(-16n, 60n)).toBe(0xfn);
    expect(e.divu(-1n, 2n)).toBe(s(M64 / 2n));
    expect(e.rems(-7n, 2n)).toBe(-1n);
    expect(() => e.divu(1n, 0n)).toThrow(WebAssembly.RuntimeError);
    expect(e.wrapadd(0x7fff_ffffn, 1n)).toBe(-0x8000_0000n); // RV64 addw
    expect(e.ltu(-1n, 1n)).toBe(0n);
    expect(e.ltu(1n, -1n)).toBe(1n);
  });
});

describe("errors", () => {
  it("buffer overflow sets the flag and never writes past the buffer", () => {
    const full = x.buildAlu(BUF, CAP);
    expect(full).toBeGreaterThan(100);
    const GUARD = 0xa5;
    for (const cap of [0, 1, 5, 8, 9, 13, 14, 20, 50, full >> 1, full - 2, full - 1]) {
      u8.fill(GUARD, BUF, BUF + full + 64);
      const len = x.buildAlu(BUF, cap);
      expect(len).toBe(0);
      expect(x.overflowed()).toBe(1);
      expect(x.lastPos()).toBe(full); // the cursor still reports the size needed
      for (let i = BUF + cap; i < BUF + full + 64; i++) {
        if (u8[i] !== GUARD) throw new Error(`cap ${cap}: byte at +${i - BUF} overwritten`);
      }
    }
    // exactly enough room succeeds
    expect(x.buildAlu(BUF, full)).toBe(full);
    expect(x.overflowed()).toBe(0);
    expect(WebAssembly.validate(bytes(full))).toBe(true);
  });

  it("LEB encoders respect the capacity too", () => {
    u8.fill(0xa5, BUF, BUF + 16);
    expect(x.encI64(BUF, 3, -(1n << 63n))).toBe(10);
    expect(x.overflowed()).toBe(1);
    expect(Array.from(u8.subarray(BUF, BUF + 4))).toEqual([0x80, 0x80, 0x80, 0xa5]);
  });

  it("an unclosed block is reported as a structural error", () => {
    expect(x.buildUnclosed(BUF, CAP)).toBe(0);
    expect(x.overflowed()).toBe(0);
    expect(x.lastError()).toBe(2); // EMIT_ERR_UNCLOSED
  });
});
