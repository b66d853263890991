// MMU tests: soft-TLB fill, Sv39/Sv48 walks, faults, A/D, SUM/MXR/MPRV, ASIDs, SFENCE.VMA, PMP.
// Builds tests/mmu/harness.ts (the MMU plus thin exports) and drives it from JavaScript: page
// tables and hart state are written straight into the shared memory at layout.ts offsets.
import { describe, it, expect, beforeAll, beforeEach } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as L from "../../host/core/layout.generated";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RAM_SIZE = 16 << 20;
const DRAM = 0x8000_0000n;
const UART = 0x1000_0000n;

// access kinds and causes
const FETCH = 0, LOAD = 1, STORE = 2;
const C_FETCH_ACCESS = 1, C_LOAD_ACCESS = 5, C_STORE_ACCESS = 7;
const C_FETCH_PF = 12, C_LOAD_PF = 13, C_STORE_PF = 15;
// mstatus
const MPRV = 1n << 17n, SUM = 1n << 18n, MXR = 1n << 19n;
const MPP = (p: number) => BigInt(p) << 11n;
// PTE bits
const V = 1n, R = 2n, W = 4n, X = 8n, U = 16n, G = 32n, A = 64n, D = 128n;
// TLB entry layout (mmu/access.ts, mmu/tlb.ts)
const TE_TAG_R = 0, TE_TAG_W = 8, TE_TAG_X = 16, TE_PPAGE = 32, TE_CTX = 40, TE_FLAGS = 44;
const TAG_INVALID = 1n << 11n, TAG_SLOW = 1n << 10n;
const TEF_GLOBAL = 1, TEF_SUPERPAGE = 2, TEF_PMP = 4;
const MODE_SIZE = L.TLB_ENTRIES * L.TLB_ENTRY_SIZE;

let mem: WebAssembly.Memory;
let dv: DataView;
let x: any;
const mmioLog: string[] = [];

const u64 = (v: bigint) => BigInt.asUintN(64, v);
const hart = L.HART_BASE;

function hostOf(pa: bigint): number { return L.RAM_HOST_BASE + Number(pa - DRAM); }
function wpa64(pa: bigint, v: bigint) { dv.setBigUint64(hostOf(pa), u64(v), true); }
function rpa64(pa: bigint): bigint { return dv.getBigUint64(hostOf(pa), true); }
function wpa32(pa: bigint, v: number) { dv.setUint32(hostOf(pa), v >>> 0, true); }
function hart64(off: number): bigint { return dv.getBigUint64(hart + off, true); }
function setHart64(off: number, v: bigint) { dv.setBigUint64(hart + off, u64(v), true); }

/** Sets priv/mstatus/satp and recomputes the MMU mode. */
function setMode(priv: number, mstatus = 0n, satpv = 0n) {
  dv.setUint32(hart + L.H_PRIV, priv, true);
  setHart64(L.H_MSTATUS, mstatus);
  setHart64(L.H_SATP, satpv);
  x.mmuUpdate();
}
const satp = (mode: number, asid: number, root: bigint) =>
  (BigInt(mode) << 60n) | (BigInt(asid) << 44n) | (root >> 12n);

// Page-table pages come from a bump allocator above 1 MiB into RAM.
let nextPage = DRAM + 0x10_0000n;
function allocPage(): bigint { const p = nextPage; nextPage += 0x1000n; return p; }

/** Maps va -> pa with leaf `flags` at `level` in the `levels`-level table at `root`; returns the PTE address. */
function map(root: bigint, va: bigint, pa: bigint, flags: bigint, level = 0, levels = 3): bigint {
  let a = root;
  for (let i = levels - 1; i > level; i--) {
    const pteA = a + ((va >> BigInt(12 + 9 * i)) & 0x1ffn) * 8n;
    let pte = rpa64(pteA);
    if ((pte & V) === 0n) { pte = ((allocPage() >> 12n) << 10n) | V; wpa64(pteA, pte); }
    a = ((pte >> 10n) & ((1n << 44n) - 1n)) << 12n;
  }
  const pteA = a + ((va >> BigInt(12 + 9 * level)) & 0x1ffn) * 8n;
  wpa64(pteA, ((pa >> 12n) << 10n) | flags);
  return pteA;
}

function cause(): number { return x.getExcCause(); }
function tval(): bigint { return u64(x.getExcTval()); }
/** Runs fn and expects exception `c` with tval `t`; clears it. */
function fault(fn: () => unknown, c: number, t: bigint) {
  x.clearExc();
  fn();
  expect({ cause: cause(), tval: tval().toString(16) }).toEqual({ cause: c, tval: t.toString(16) });
  x.clearExc();
}
/** Runs fn and expects no exception; returns its result. */
function ok<T>(fn: () => T): T {
  x.clearExc();
  const r = fn();
  expect(cause()).toBe(-1);
  return r;
}
const ld = (va: bigint) => ok(() => u64(x.ld64(va)));
const stat = (off: number) => Number(hart64(off));
/** TLB entry address for va in the current data array. */
// The index mixes the context word (ASID) into the virtual page number (access.ts entryOf).
const dataEntry = (va: bigint) => x.getTlbData() + ((Number((va >> 12n) & 255n) ^ (x.getTlbCtx() & 255)) * 64);

beforeAll(async () => {
  const r = spawnSync("npx", ["asc", "tests/mmu/harness.ts", "-o", "build/mmu-harness.wasm",
    "--runtime", "stub", "--importMemory", "--sharedMemory", "--initialMemory", "1024",
    "--maximumMemory", "65536", "-O3", "--enable", "threads"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error("asc failed:\n" + r.stdout + r.stderr);
  mem = new WebAssembly.Memory({ initial: (L.RAM_HOST_BASE + RAM_SIZE) / 65536, maximum: 65536, shared: true });
  dv = new DataView(mem.buffer);
  const mod = await WebAssembly.compile(readFileSync(ROOT + "build/mmu-harness.wasm"));
  const inst = await WebAssembly.instantiate(mod, {
    env: {
      memory: mem,
      abort: () => { throw new Error("abort"); },
      mmio_read: (_h: number, pa: bigint, size: number) => {
        const okDev = u64(pa) >= UART && u64(pa) < UART + 0x1000n;
        dv.setUint32(L.MACHINE_BASE + L.M_MMIO_STATUS, okDev ? 0 : 1, true);
        mmioLog.push(`r ${u64(pa).toString(16)} ${size}`);
        return okDev ? 0xabn : 0n;
      },
      mmio_write: (_h: number, pa: bigint, size: number, v: bigint) => {
        const okDev = u64(pa) >= UART && u64(pa) < UART + 0x1000n;
        dv.setUint32(L.MACHINE_BASE + L.M_MMIO_STATUS, okDev ? 0 : 1, true);
        mmioLog.push(`w ${u64(pa).toString(16)} ${size} ${u64(v).toString(16)}`);
      },
    },
  });
  x = inst.exports;
}, 120_000);

beforeEach(() => {
  new Uint8Array(mem.buffer, L.LAYOUT_BASE, L.DCACHE_BASE - L.LAYOUT_BASE).fill(0);
  new Uint8Array(mem.buffer, L.RAM_HOST_BASE, RAM_SIZE).fill(0);
  dv.setBigUint64(L.MACHINE_BASE + L.M_RAM_SIZE, BigInt(RAM_SIZE), true);
  mmioLog.length = 0;
  nextPage = DRAM + 0x10_0000n;
  x.selectHart(hart);
  x.flushAllTlbs();
  x.pmpReset();
  // Full access for S/U, as firmware or the VMM's direct boot would program it.
  x.pmpWriteAddr(0, (1n << 54n) - 1n);
  x.pmpWriteCfg(0, 0x1fn); // NAPOT RWX
  x.clearExc();
  x.clearHtifFlag();
  setMode(L.PRV_M);
});

describe("mode selection (mmuUpdate)", () => {
  const idx = (base: number) => (base - L.TLB_BASE) / MODE_SIZE;
  it("picks TLB arrays by privilege, SUM and MPRV", () => {
    setMode(L.PRV_M); expect([idx(x.getTlbData()), idx(x.getTlbFetch())]).toEqual([0, 0]);
    setMode(L.PRV_S); expect([idx(x.getTlbData()), idx(x.getTlbFetch())]).toEqual([1, 1]);
    setMode(L.PRV_S, SUM); expect([idx(x.getTlbData()), idx(x.getTlbFetch())]).toEqual([2, 1]);
    setMode(L.PRV_U, SUM); expect([idx(x.getTlbData()), idx(x.getTlbFetch())]).toEqual([3, 3]);
    setMode(L.PRV_M, MPRV | MPP(1) | SUM); expect([idx(x.getTlbData()), idx(x.getTlbFetch())]).toEqual([2, 0]);
    expect([x.getDataPriv(), x.getFetchPriv()]).toEqual([L.PRV_S, L.PRV_M]);
    setMode(L.PRV_M, MPRV | MPP(0)); expect([idx(x.getTlbData()), idx(x.getTlbFetch())]).toEqual([3, 0]);
    setMode(L.PRV_M, MPRV | MPP(3)); expect([idx(x.getTlbData()), idx(x.getTlbFetch())]).toEqual([0, 0]);
    setMode(L.PRV_S, MPRV | MPP(0)); expect(idx(x.getTlbData())).toBe(1); // MPRV only affects M
  });
  it("uses the hart's own TLB block", () => {
    x.selectHart(hart + 2 * L.HART_SIZE);
    dv.setUint32(hart + 2 * L.HART_SIZE + L.H_PRIV, L.PRV_S, true);
    x.mmuUpdate();
    expect(x.getTlbData()).toBe(L.TLB_BASE + 2 * L.TLB_HART_SIZE + MODE_SIZE);
    x.selectHart(hart);
  });
  it("context: ASID when paging, Bare marker otherwise, MXR folded in", () => {
    setMode(L.PRV_S, 0n, 0n); expect(x.getTlbCtx() >>> 0).toBe(0x8000_0000);
    setMode(L.PRV_S, 0n, satp(8, 0x1234, DRAM)); expect(x.getTlbCtx() >>> 0).toBe(0x1234);
    setMode(L.PRV_S, MXR, satp(9, 7, DRAM)); expect(x.getTlbCtx() >>> 0).toBe(0x4000_0007);
  });
});

describe("bare and M-mode accesses", () => {
  it("identity-maps RAM with the fast path", () => {
    wpa64(DRAM + 0x2000n, 0x1122334455667788n);
    expect(ld(DRAM + 0x2000n)).toBe(0x1122334455667788n);
    ok(() => x.st32(DRAM + 0x2004n, 0xdeadbeefn));
    expect(rpa64(DRAM + 0x2000n)).toBe(0xdeadbeef55667788n);
    const e = dataEntry(DRAM + 0x2000n);
    expect(dv.getBigUint64(e + TE_TAG_R, true)).toBe(DRAM + 0x2000n);
    expect(dv.getBigUint64(e + TE_TAG_W, true)).toBe(DRAM + 0x2000n);
    expect(stat(L.H_STAT_PAGE_WALKS)).toBe(0);
  });
  it("sends device pages through the slow path and faults on holes", () => {
    expect(ok(() => u64(x.ld8(UART + 5n)))).toBe(0xabn);
    ok(() => x.st8(UART, 0x41n));
    expect(mmioLog).toEqual(["r 10000005 1", "w 10000000 1 41"]);
    expect(dv.getBigUint64(dataEntry(UART) + TE_TAG_R, true)).toBe(UART | TAG_SLOW);
    fault(() => x.ld32(0x2000_0000n), C_LOAD_ACCESS, 0x2000_0000n);
    fault(() => x.st32(0x2000_0000n, 1n), C_STORE_ACCESS, 0x2000_0000n);
    fault(() => x.ifetch(UART), C_FETCH_ACCESS, UART); // no execution from devices
  });
  it("S-mode with satp Bare is identity but PMP-checked", () => {
    wpa64(DRAM + 0x3000n, 42n);
    setMode(L.PRV_S);
    expect(ld(DRAM + 0x3000n)).toBe(42n);
    x.pmpWriteCfg(0, 0n);
    fault(() => x.ld64(DRAM + 0x3000n), C_LOAD_ACCESS, DRAM + 0x3000n);
  });
  it("marks the HTIF page slow for stores only", () => {
    dv.setBigUint64(L.MACHINE_BASE + L.M_TOHOST, DRAM + 0x1000n, true);
    expect(ld(DRAM + 0x1008n)).toBe(0n);
    const e = dataEntry(DRAM + 0x1000n);
    expect(dv.getBigUint64(e + TE_TAG_R, true)).toBe(DRAM + 0x1000n);
    ok(() => x.st64(DRAM + 0x1000n, 1n));
    expect(dv.getBigUint64(e + TE_TAG_W, true)).toBe(DRAM + 0x1000n | TAG_SLOW);
    expect(x.getHtif()).toBe(1);
  });
});

describe("Sv39 / Sv48 translation", () => {
  const data = DRAM + 0x40_0000n; // 2 MiB aligned
  it("translates 4 KiB pages in Sv39 (low and high half)", () => {
    const root = allocPage();
    map(root, 0x1000n, data, V | R | W | A | D);
    map(root, 0xffff_ffc0_0000_3000n, data + 0x1000n, V | R | A);
    wpa64(data + 8n, 111n); wpa64(data + 0x1010n, 222n);
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    expect(ld(0x1008n)).toBe(111n);
    expect(ld(0xffff_ffc0_0000_3010n)).toBe(222n);
    ok(() => x.st64(0x1018n, 333n));
    expect(rpa64(data + 0x18n)).toBe(333n);
    expect(stat(L.H_STAT_PAGE_WALKS)).toBe(2);
    expect(stat(L.H_STAT_WALK_REFS)).toBe(6);
    expect(stat(L.H_STAT_TLB_MISS)).toBe(2);
    const e = dataEntry(0x1000n);
    expect(dv.getBigUint64(e + TE_PPAGE, true)).toBe(data);
    expect(dv.getUint32(e + TE_CTX, true)).toBe(0);
  });
  it("translates Sv39 megapages and gigapages per 4 KiB piece", () => {
    const root = allocPage();
    map(root, 0x20_0000n, data, V | R | W | A | D, 1);
    map(root, 0x4000_0000n, DRAM, V | R | A, 2);
    wpa64(data + 0x1_2348n, 5n);
    wpa64(DRAM + 0x6_7000n, 6n);
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    expect(ld(0x21_2348n)).toBe(5n);
    expect(ld(0x4006_7000n)).toBe(6n);
    const e = dataEntry(0x21_2000n);
    expect(dv.getBigUint64(e + TE_PPAGE, true)).toBe(data + 0x1_2000n);
    expect(dv.getUint32(e + TE_FLAGS, true) & TEF_SUPERPAGE).toBe(TEF_SUPERPAGE);
    expect(stat(L.H_STAT_WALK_REFS)).toBe(2 + 1); // 2 PTE reads + 1 (gigapage)
  });
  it("translates Sv48 at every level, including 512 GiB pages", () => {
    const root = allocPage();
    map(root, 0x1000n, data, V | R | A, 0, 4);
    map(root, 0x20_0000n, data, V | R | A, 1, 4);
    map(root, 0x4000_0000n, DRAM, V | R | A, 2, 4);
    map(root, 0x80_0000_0000n, 0n, V | R | A, 3, 4); // pa 0..512 GiB
    map(root, 0xffff_8000_0000_0000n, data, V | R | A, 0, 4);
    wpa64(data + 0x10n, 77n);
    setMode(L.PRV_S, 0n, satp(9, 0, root));
    expect(ld(0x1010n)).toBe(77n);
    expect(ld(0x20_0010n)).toBe(77n);
    expect(ld(0x4040_0010n)).toBe(77n);
    expect(ld(0x80_8040_0010n)).toBe(77n);
    expect(ld(0xffff_8000_0000_0010n)).toBe(77n);
    expect(stat(L.H_STAT_WALK_REFS)).toBe(4 + 3 + 2 + 1 + 4);
  });
  it("fetches instructions through the translation", () => {
    const root = allocPage();
    map(root, 0x1000n, data, V | X | A);
    wpa32(data + 0x10n, 0x00a00513);
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    expect(ok(() => x.ifetch(0x1010n)) >>> 0).toBe(0x00a00513);
    fault(() => x.ld64(0x1010n), C_LOAD_PF, 0x1010n); // X-only page: no reads without MXR
  });
});

describe("page faults", () => {
  const data = DRAM + 0x40_0000n;
  let root: bigint;
  beforeEach(() => { root = allocPage(); });
  const sv39 = () => setMode(L.PRV_S, 0n, satp(8, 0, root));
  const allKinds = (va: bigint) => {
    fault(() => x.ld64(va), C_LOAD_PF, va);
    fault(() => x.st64(va, 1n), C_STORE_PF, va);
    fault(() => x.ifetch(va), C_FETCH_PF, va);
  };
  it("V=0 at the leaf and at an intermediate level", () => {
    map(root, 0x1000n, data, R | W | X | A | D); // V clear
    sv39();
    allKinds(0x1008n);
    allKinds(0x4000_0000n); // root entry invalid
  });
  it("W without R, and a pointer at level 0", () => {
    map(root, 0x1000n, data, V | W | A | D);
    map(root, 0x2000n, data, V); // non-leaf PTE at the last level
    sv39();
    allKinds(0x1000n);
    allKinds(0x2000n);
  });
  it("reserved PTE bits 63..54 (N, PBMT, reserved)", () => {
    for (const [i, bit] of [63n, 62n, 61n, 60n, 54n].entries()) {
      const va = BigInt(i + 1) << 12n;
      map(root, va, data, V | R | W | X | A | D | (1n << bit));
    }
    sv39();
    for (let i = 1n; i <= 5n; i++) allKinds(i << 12n);
    // a reserved bit in a non-leaf PTE too (root entry 1 points to a level-1 table)
    map(root, 0x4000_0000n, data, V | R | A);
    expect(ld(0x4000_0000n)).toBe(0n);
    wpa64(root + 8n, rpa64(root + 8n) | (1n << 55n));
    x.flushAllTlbs();
    allKinds(0x4000_0000n);
  });
  it("non-leaf PTEs with A, D or U set", () => {
    map(root, 0x1000n, data, V | R | W | X | A | D);
    sv39();
    expect(ld(0x1000n)).toBe(0n);
    for (const bit of [A, D, U]) {
      const p = rpa64(root);
      wpa64(root, p | bit);
      x.flushAllTlbs();
      allKinds(0x1000n);
      wpa64(root, p);
    }
  });
  it("misaligned superpages", () => {
    map(root, 0x20_0000n, data + 0x1000n, V | R | W | X | A | D, 1);
    map(root, 0x4000_0000n, DRAM + 0x20_0000n, V | R | W | X | A | D, 2);
    sv39();
    allKinds(0x20_0000n);
    allKinds(0x4000_1000n);
  });
  it("non-canonical addresses (Sv39 and Sv48)", () => {
    map(root, 0x1000n, data, V | R | W | X | A | D);
    sv39();
    allKinds(0x80_0000_1000n); // bit 39 set, bit 38 clear
    allKinds(0xffff_ff80_0000_1000n ^ (1n << 63n));
    const r48 = allocPage();
    map(r48, 0x1000n, data, V | R | A, 0, 4);
    setMode(L.PRV_S, 0n, satp(9, 0, r48));
    expect(ld(0x1000n)).toBe(0n);
    allKinds(0x1_0000_0000_1000n); // bit 48 set
    fault(() => x.ld64(0x0000_8000_0000_0000n), C_LOAD_PF, 0x0000_8000_0000_0000n);
  });
  it("permission bits: stores to read-only pages, fetches from non-X pages", () => {
    map(root, 0x1000n, data, V | R | A | D);
    map(root, 0x2000n, data, V | R | W | A | D);
    sv39();
    fault(() => x.st64(0x1000n, 1n), C_STORE_PF, 0x1000n);
    fault(() => x.ifetch(0x2000n), C_FETCH_PF, 0x2000n);
    expect(ld(0x1000n)).toBe(0n); // loads still fine after a faulting store
    const e = dataEntry(0x1000n);
    expect(dv.getBigUint64(e + TE_TAG_W, true)).toBe(TAG_INVALID);
    expect(dv.getBigUint64(e + TE_TAG_X, true)).toBe(TAG_INVALID);
  });
  it("faults in the second page of a misaligned access report that page", () => {
    map(root, 0x1000n, data, V | R | W | A | D);
    sv39();
    fault(() => x.ld64(0x1ffcn), C_LOAD_PF, 0x2000n);
    fault(() => x.st64(0x1ffcn, 0x1111_2222_3333_4444n), C_STORE_PF, 0x2000n);
    expect(rpa64(data + 0xff8n)).toBe(0n); // nothing stored
  });
});

describe("U bit, SUM, MXR, MPRV", () => {
  const data = DRAM + 0x40_0000n;
  let root: bigint;
  beforeEach(() => {
    root = allocPage();
    map(root, 0x1000n, data, V | R | W | X | U | A | D);          // user page
    map(root, 0x2000n, data + 0x1000n, V | R | W | X | A | D);    // supervisor page
    map(root, 0x3000n, data + 0x2000n, V | X | U | A);            // user execute-only
    map(root, 0x4000n, data + 0x3000n, V | X | A);                // supervisor execute-only
    wpa64(data, 1n); wpa64(data + 0x1000n, 2n); wpa64(data + 0x2000n, 3n); wpa64(data + 0x3000n, 4n);
  });
  it("U-mode reaches only U pages", () => {
    setMode(L.PRV_U, SUM, satp(8, 0, root));
    expect(ld(0x1000n)).toBe(1n);
    ok(() => x.ifetch(0x1000n));
    fault(() => x.ld64(0x2000n), C_LOAD_PF, 0x2000n);
    fault(() => x.st64(0x2000n, 0n), C_STORE_PF, 0x2000n);
    fault(() => x.ifetch(0x2000n), C_FETCH_PF, 0x2000n);
  });
  it("S-mode touches U pages only with SUM and never executes them", () => {
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    fault(() => x.ld64(0x1000n), C_LOAD_PF, 0x1000n);
    fault(() => x.st64(0x1000n, 0n), C_STORE_PF, 0x1000n);
    fault(() => x.ifetch(0x1000n), C_FETCH_PF, 0x1000n);
    expect(ld(0x2000n)).toBe(2n);
    setMode(L.PRV_S, SUM, satp(8, 0, root)); // takes effect without a fence
    expect(ld(0x1000n)).toBe(1n);
    ok(() => x.st64(0x1000n, 9n));
    fault(() => x.ifetch(0x1000n), C_FETCH_PF, 0x1000n);
    ok(() => x.ifetch(0x2000n));
    setMode(L.PRV_S, 0n, satp(8, 0, root)); // and back
    fault(() => x.ld64(0x1000n), C_LOAD_PF, 0x1000n);
  });
  it("MXR makes executable pages readable, immediately", () => {
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    fault(() => x.ld64(0x4000n), C_LOAD_PF, 0x4000n);
    setMode(L.PRV_S, MXR, satp(8, 0, root));
    expect(ld(0x4000n)).toBe(4n);
    fault(() => x.st64(0x4000n, 0n), C_STORE_PF, 0x4000n);
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    fault(() => x.ld64(0x4000n), C_LOAD_PF, 0x4000n);
    setMode(L.PRV_U, MXR, satp(8, 0, root));
    expect(ld(0x3000n)).toBe(3n);
    setMode(L.PRV_U, 0n, satp(8, 0, root));
    fault(() => x.ld64(0x3000n), C_LOAD_PF, 0x3000n);
  });
  it("MPRV translates M-mode loads/stores as MPP, not fetches", () => {
    wpa32(0x2000n + DRAM, 0x13);
    setMode(L.PRV_M, MPRV | MPP(1), satp(8, 0, root));
    expect(ld(0x2000n)).toBe(2n);
    fault(() => x.ld64(0x1000n), C_LOAD_PF, 0x1000n); // S without SUM
    expect(ok(() => x.ifetch(DRAM + 0x2000n)) >>> 0).toBe(0x13); // fetch is physical
    setMode(L.PRV_M, MPRV | MPP(1) | SUM, satp(8, 0, root));
    expect(ld(0x1000n)).toBe(1n);
    setMode(L.PRV_M, MPRV | MPP(0), satp(8, 0, root));
    expect(ld(0x1000n)).toBe(1n);
    fault(() => x.ld64(0x2000n), C_LOAD_PF, 0x2000n);
    setMode(L.PRV_M, MPRV | MPP(3), satp(8, 0, root));
    expect(ld(DRAM + 0x40_1000n)).toBe(2n); // physical
    setMode(L.PRV_M, 0n, satp(8, 0, root));
    expect(ld(DRAM + 0x40_0000n)).toBe(1n); // M-mode ignores satp
  });
  it("switching satp between Bare and Sv39 needs no fence", () => {
    setMode(L.PRV_S, 0n, 0n);
    expect(ld(DRAM + 0x40_1000n)).toBe(2n);
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    expect(ld(0x2000n)).toBe(2n);
    fault(() => x.ld64(DRAM + 0x40_1000n), C_LOAD_PF, DRAM + 0x40_1000n);
    setMode(L.PRV_S, 0n, 0n);
    expect(ld(DRAM + 0x40_1000n)).toBe(2n);
  });
});

describe("accessed and dirty bits", () => {
  const data = DRAM + 0x40_0000n;
  it("sets A on loads and fetches, A and D on stores, writing back only changes", () => {
    const root = allocPage();
    const p1 = map(root, 0x1000n, data, V | R | W | X);
    const p2 = map(root, 0x2000n, data, V | R | W | X);
    const p3 = map(root, 0x3000n, data, V | R | W | A | D);
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    const refs = () => stat(L.H_STAT_WALK_REFS);
    ld(0x1000n);
    expect(rpa64(p1) & (A | D)).toBe(A);
    expect(refs()).toBe(4); // 3 reads + write-back
    ok(() => x.ifetch(0x2000n));
    expect(rpa64(p2) & (A | D)).toBe(A);
    ld(0x3000n);
    expect(refs()).toBe(4 + 4 + 3); // nothing to write back
    expect(rpa64(p3) & (A | D)).toBe(A | D);
  });
  it("the first store after a load refills and sets D", () => {
    const root = allocPage();
    const p = map(root, 0x1000n, data, V | R | W | A);
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    ld(0x1000n);
    expect(dv.getBigUint64(dataEntry(0x1000n) + TE_TAG_W, true)).toBe(TAG_INVALID);
    const misses = stat(L.H_STAT_TLB_MISS);
    ok(() => x.st64(0x1000n, 5n));
    expect(rpa64(p) & D).toBe(D);
    expect(stat(L.H_STAT_TLB_MISS)).toBe(misses + 1);
    expect(dv.getBigUint64(dataEntry(0x1000n) + TE_TAG_W, true)).toBe(0x1000n);
    ok(() => x.st64(0x1008n, 6n)); // now a hit
    expect(stat(L.H_STAT_TLB_MISS)).toBe(misses + 1);
    expect(rpa64(data + 8n)).toBe(6n);
  });
  it("a faulting access sets neither A nor D", () => {
    const root = allocPage();
    const p = map(root, 0x1000n, data, V | R);
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    fault(() => x.st64(0x1000n, 1n), C_STORE_PF, 0x1000n);
    expect(rpa64(p) & (A | D)).toBe(0n);
  });
  it("sets A/D on superpage leaves", () => {
    const root = allocPage();
    const p = map(root, 0x20_0000n, data, V | R | W, 1);
    setMode(L.PRV_S, 0n, satp(8, 0, root));
    ok(() => x.st8(0x2f_ffffn, 1n));
    expect(rpa64(p) & (A | D)).toBe(A | D);
  });
});

describe("ASIDs and SFENCE.VMA", () => {
  const pa1 = DRAM + 0x40_0000n, pa2 = DRAM + 0x40_1000n, pa3 = DRAM + 0x40_2000n;
  let r1: bigint, r2: bigint;
  beforeEach(() => {
    wpa64(pa1, 1n); wpa64(pa2, 2n); wpa64(pa3, 3n);
    r1 = allocPage(); r2 = allocPage();
  });
  it("two ASIDs coexist in the TLB", () => {
    // The TLB is direct-mapped by va XOR ASID, so coexisting entries need different slots:
    // page 1 under ASID 1 -> slot 0, page 3 under ASID 2 -> slot 1.
    const p1 = map(r1, 0x1000n, pa1, V | R | A);
    const p2 = map(r2, 0x3000n, pa2, V | R | A);
    setMode(L.PRV_S, 0n, satp(8, 1, r1)); expect(ld(0x1000n)).toBe(1n);
    setMode(L.PRV_S, 0n, satp(8, 2, r2)); expect(ld(0x3000n)).toBe(2n);
    fault(() => x.ld64(0x1000n), C_LOAD_PF, 0x1000n); // ASID 1's entry does not match ASID 2
    wpa64(p1, ((pa3 >> 12n) << 10n) | V | R | A); // remap without a fence
    wpa64(p2, ((pa3 >> 12n) << 10n) | V | R | A);
    setMode(L.PRV_S, 0n, satp(8, 1, r1)); expect(ld(0x1000n)).toBe(1n); // still cached
    fault(() => x.ld64(0x3000n), C_LOAD_PF, 0x3000n);
    setMode(L.PRV_S, 0n, satp(8, 2, r2)); expect(ld(0x3000n)).toBe(2n); // still cached
    const walks = stat(L.H_STAT_PAGE_WALKS);
    setMode(L.PRV_S, 0n, satp(8, 1, r1)); expect(ld(0x1000n)).toBe(1n);
    expect(stat(L.H_STAT_PAGE_WALKS)).toBe(walks); // switching ASIDs kept both entries
    x.sfenceVma(0x1000n, 1, 2n, 1); // other ASID: no effect on ASID 1
    expect(ld(0x1000n)).toBe(1n);
    x.sfenceVma(0x1000n, 1, 1n, 1);
    expect(ld(0x1000n)).toBe(3n);
  });
  it("the same va in two ASIDs replaces the entry and stays correct", () => {
    map(r1, 0x1000n, pa1, V | R | A);
    map(r2, 0x1000n, pa2, V | R | A);
    for (let i = 0; i < 3; i++) {
      setMode(L.PRV_S, 0n, satp(8, 1, r1)); expect(ld(0x1000n)).toBe(1n);
      setMode(L.PRV_S, 0n, satp(8, 2, r2)); expect(ld(0x1000n)).toBe(2n);
    }
  });
  it("global entries survive ASID-specific fences but not address fences", () => {
    const p = map(r1, 0x1000n, pa1, V | R | A | G);
    setMode(L.PRV_S, 0n, satp(8, 1, r1));
    expect(ld(0x1000n)).toBe(1n);
    expect(dv.getUint32(dataEntry(0x1000n) + TE_FLAGS, true) & TEF_GLOBAL).toBe(TEF_GLOBAL);
    wpa64(p, ((pa2 >> 12n) << 10n) | V | R | A | G);
    x.sfenceVma(0n, 0, 1n, 1);
    expect(ld(0x1000n)).toBe(1n);
    x.sfenceVma(0x1000n, 1, 1n, 1);
    expect(ld(0x1000n)).toBe(1n);
    x.sfenceVma(0x1abcn, 1, 0n, 0);
    expect(ld(0x1000n)).toBe(2n);
  });
  it("a G bit on a non-leaf PTE makes the mapping global", () => {
    map(r1, 0x1000n, pa1, V | R | A);
    wpa64(r1, rpa64(r1) | G);
    setMode(L.PRV_S, 0n, satp(8, 1, r1));
    ld(0x1000n);
    expect(dv.getUint32(dataEntry(0x1000n) + TE_FLAGS, true) & TEF_GLOBAL).toBe(TEF_GLOBAL);
  });
  it("sfence.vma x0, x0 flushes everything; rs2-only flushes one ASID", () => {
    const p1 = map(r1, 0x1000n, pa1, V | R | A);
    const p2 = map(r2, 0x1000n, pa1, V | R | A);
    setMode(L.PRV_S, 0n, satp(8, 1, r1)); ld(0x1000n);
    setMode(L.PRV_S, 0n, satp(8, 2, r2)); ld(0x1000n);
    wpa64(p1, ((pa2 >> 12n) << 10n) | V | R | A);
    wpa64(p2, ((pa3 >> 12n) << 10n) | V | R | A);
    x.sfenceVma(0n, 0, 1n, 1);
    expect(ld(0x1000n)).toBe(1n); // ASID 2 untouched
    setMode(L.PRV_S, 0n, satp(8, 1, r1)); expect(ld(0x1000n)).toBe(2n);
    const flushes = stat(L.H_STAT_TLB_FLUSH);
    x.sfenceVma(0n, 0, 0n, 0);
    expect(stat(L.H_STAT_TLB_FLUSH)).toBe(flushes + 1);
    setMode(L.PRV_S, 0n, satp(8, 2, r2)); expect(ld(0x1000n)).toBe(3n);
    expect(x.tlbValidEntries(1)).toBe(1);
  });
  it("an address fence drops only that page, in every ASID", () => {
    const pa = map(r1, 0x1000n, pa1, V | R | A);
    const pb = map(r1, 0x2000n, pa1, V | R | A);
    setMode(L.PRV_S, 0n, satp(8, 1, r1)); ld(0x1000n); ld(0x2000n);
    wpa64(pa, ((pa2 >> 12n) << 10n) | V | R | A);
    wpa64(pb, ((pa2 >> 12n) << 10n) | V | R | A);
    x.sfenceVma(0x1ff8n, 1, 0n, 0);
    expect(ld(0x1000n)).toBe(2n);
    expect(ld(0x2000n)).toBe(1n);
  });
  it("an address fence drops every piece of a superpage covering it", () => {
    const p = map(r1, 0x20_0000n, pa1 & ~0x1f_ffffn, V | R | A, 1); // 2 MiB at DRAM+0x40_0000
    setMode(L.PRV_S, 0n, satp(8, 1, r1));
    expect(ld(0x20_0000n)).toBe(1n);
    expect(ld(0x20_1000n)).toBe(2n);
    expect(ld(0x20_2000n)).toBe(3n);
    wpa64(p, (((DRAM + 0x60_0000n) >> 12n) << 10n) | V | R | A);
    wpa64(DRAM + 0x60_0000n, 10n); wpa64(DRAM + 0x60_1000n, 11n); wpa64(DRAM + 0x60_2000n, 12n);
    x.sfenceVma(0x3f_f000n, 1, 1n, 1); // same superpage, different 4 KiB page
    expect(ld(0x20_0000n)).toBe(10n);
    expect(ld(0x20_1000n)).toBe(11n);
    expect(ld(0x20_2000n)).toBe(12n);
  });
  it("fences drop the cached fetch page", () => {
    const p = map(r1, 0x1000n, pa1, V | X | A);
    wpa32(pa1, 0x1111); wpa32(pa2, 0x2222);
    setMode(L.PRV_S, 0n, satp(8, 1, r1));
    expect(ok(() => x.ifetch(0x1000n))).toBe(0x1111);
    wpa64(p, ((pa2 >> 12n) << 10n) | V | X | A);
    expect(ok(() => x.ifetch(0x1000n))).toBe(0x1111);
    x.sfenceVma(0x1000n, 1, 0n, 0);
    expect(ok(() => x.ifetch(0x1000n))).toBe(0x2222);
  });
  it("flushAllHartsTlbs reaches every hart's block", () => {
    map(r1, 0x1000n, pa1, V | R | A);
    setMode(L.PRV_S, 0n, satp(8, 1, r1)); ld(0x1000n);
    expect(x.tlbValidEntries(1)).toBe(1);
    x.flushAllHartsTlbs();
    expect(x.tlbValidEntries(1)).toBe(0);
  });
});

describe("PMP", () => {
  const NAPOT = 0x18n, TOR = 0x08n, NA4 = 0x10n, LOCK = 0x80n;
  const napot = (base: bigint, size: bigint) => (base >> 2n) | ((size >> 3n) - 1n);
  const S = L.PRV_S, M = L.PRV_M;
  beforeEach(() => { x.pmpReset(); });
  it("WARL: reserved cfg bits, R=0 W=1, address width", () => {
    x.pmpWriteCfg(0, 0x1f_62n | (0x7fn << 16n));
    expect(u64(x.pmpReadCfg(0))).toBe(0x1f_00n | (0x1fn << 16n));
    x.pmpWriteCfg(2, 0x0en << 56n); // entry 15: W|X without R -> X only
    expect(u64(x.pmpReadCfg(2))).toBe(0x0cn << 56n);
    expect(u64(x.pmpReadCfg(4))).toBe(0n);
    x.pmpWriteAddr(3, -1n);
    expect(u64(x.pmpReadAddr(3))).toBe((1n << 54n) - 1n);
    expect(u64(x.pmpReadAddr(16))).toBe(0n);
  });
  it("locked entries ignore writes; a locked TOR entry also locks the address below", () => {
    x.pmpWriteAddr(1, 0x100n); x.pmpWriteAddr(2, 0x200n);
    x.pmpWriteCfg(0, (LOCK | TOR | 1n) << 16n);
    x.pmpWriteCfg(0, 0x1fn << 16n);
    expect(u64(x.pmpReadCfg(0)) >> 16n & 0xffn).toBe(LOCK | TOR | 1n);
    x.pmpWriteAddr(2, 0x999n); x.pmpWriteAddr(1, 0x999n); x.pmpWriteAddr(3, 0x999n);
    expect([x.pmpReadAddr(1), x.pmpReadAddr(2), x.pmpReadAddr(3)].map(u64)).toEqual([0x100n, 0x200n, 0x999n]);
    x.pmpWriteCfg(0, 0x1fn); // other bytes of the CSR stay writable
    expect(u64(x.pmpReadCfg(0)) & 0xffn).toBe(0x1fn);
  });
  it("no entry active: M succeeds, S/U fail", () => {
    expect(x.pmpCheck(DRAM, 8, LOAD, M)).toBe(1);
    expect(x.pmpCheck(DRAM, 8, LOAD, S)).toBe(0);
    expect(x.pmpCheck(DRAM, 8, FETCH, L.PRV_U)).toBe(0);
    setMode(S);
    fault(() => x.ld64(DRAM), C_LOAD_ACCESS, DRAM);
    fault(() => x.st64(DRAM, 0n), C_STORE_ACCESS, DRAM);
    fault(() => x.ifetch(DRAM), C_FETCH_ACCESS, DRAM);
  });
  it("TOR, NA4 and NAPOT matching with static priority", () => {
    x.pmpWriteAddr(0, napot(DRAM + 0x1000n, 0x1000n));   // 4 KiB NAPOT, no permissions
    x.pmpWriteAddr(1, (DRAM + 0x2004n) >> 2n);             // NA4, R only
    x.pmpWriteAddr(2, DRAM >> 2n);                        // TOR bottom (entry 2 OFF)
    x.pmpWriteAddr(3, (DRAM + 0x10_0000n) >> 2n);         // TOR [DRAM, DRAM+1 MiB) RWX
    x.pmpWriteCfg(0, NAPOT | ((NA4 | 1n) << 8n) | ((TOR | 7n) << 24n));
    expect(x.pmpCheck(DRAM + 0x1800n, 8, LOAD, S)).toBe(0);   // entry 0 wins over entry 3
    expect(x.pmpCheck(DRAM + 0x1800n, 8, LOAD, M)).toBe(1);   // unlocked: M unaffected
    expect(x.pmpCheck(DRAM + 0x2004n, 4, LOAD, S)).toBe(1);
    expect(x.pmpCheck(DRAM + 0x2004n, 4, STORE, S)).toBe(0);
    expect(x.pmpCheck(DRAM + 0x2000n, 4, STORE, S)).toBe(1);  // entry 3
    expect(x.pmpCheck(DRAM + 0x2000n, 8, LOAD, S)).toBe(0);   // partial match of entry 1
    expect(x.pmpCheck(DRAM + 0x2000n, 8, LOAD, M)).toBe(0);   // partial match fails even for M
    expect(x.pmpCheck(DRAM + 0xf_fff8n, 8, STORE, S)).toBe(1);
    expect(x.pmpCheck(DRAM + 0xf_fffcn, 8, STORE, S)).toBe(0); // straddles the TOR top
    expect(x.pmpCheck(DRAM + 0x10_0000n, 4, LOAD, S)).toBe(0); // no match
    expect(x.pmpCheck(DRAM - 4n, 4, LOAD, S)).toBe(0);
    expect(x.pmpPageUniform(DRAM + 0x1000n, S)).toBe(1);
    expect(x.pmpPageUniform(DRAM + 0x2000n, S)).toBe(0);
    expect(x.pmpPageUniform(DRAM + 0x3000n, S)).toBe(1);
    expect(x.pmpPagePerms(DRAM + 0x3000n, S)).toBe(7);
    expect(x.pmpPageUniform(DRAM + 0xff000n, S)).toBe(1);
  });
  it("TOR with entry 0 uses 0 as the bottom; empty ranges match nothing", () => {
    x.pmpWriteAddr(0, (DRAM + 0x1000n) >> 2n);
    x.pmpWriteCfg(0, TOR | 1n);
    expect(x.pmpCheck(0n, 8, LOAD, S)).toBe(1);
    expect(x.pmpCheck(DRAM + 0xff8n, 8, LOAD, S)).toBe(1);
    expect(x.pmpCheck(DRAM + 0x1000n, 8, LOAD, S)).toBe(0);
    x.pmpWriteAddr(1, DRAM >> 2n); // entry 1 TOR [DRAM+0x1000, DRAM): empty
    x.pmpWriteCfg(0, TOR | 1n | ((TOR | 7n) << 8n));
    expect(x.pmpCheck(DRAM + 0x1000n, 8, LOAD, S)).toBe(0);
  });
  it("NAPOT covering all of memory", () => {
    x.pmpWriteAddr(0, -1n);
    x.pmpWriteCfg(0, NAPOT | 7n);
    expect(x.pmpCheck(0n, 8, STORE, S)).toBe(1);
    expect(x.pmpCheck((1n << 56n) - 8n, 8, STORE, L.PRV_U)).toBe(1);
  });
  it("the L bit enforces permissions on M-mode", () => {
    x.pmpWriteAddr(0, napot(DRAM, 0x1000n));
    x.pmpWriteCfg(0, LOCK | NAPOT | 1n);
    setMode(M);
    expect(ld(DRAM + 8n)).toBe(0n);
    fault(() => x.st64(DRAM + 8n, 1n), C_STORE_ACCESS, DRAM + 8n);
    fault(() => x.ifetch(DRAM), C_FETCH_ACCESS, DRAM);
    expect(ld(DRAM + 0x1000n)).toBe(0n); // outside: no match, M succeeds
  });
  it("pages only partly covered are checked access by access", () => {
    x.pmpWriteAddr(0, (DRAM + 0x2008n) >> 2n);  // NA4, no permissions
    x.pmpWriteAddr(1, -1n);
    x.pmpWriteCfg(0, NA4 | ((NAPOT | 7n) << 8n));
    wpa64(DRAM + 0x2000n, 0x55n);
    setMode(S);
    expect(ld(DRAM + 0x2000n)).toBe(0x55n);
    const e = dataEntry(DRAM + 0x2000n);
    expect(dv.getUint32(e + TE_FLAGS, true) & TEF_PMP).toBe(TEF_PMP);
    expect(dv.getBigUint64(e + TE_TAG_R, true)).toBe(DRAM + 0x2000n | TAG_SLOW);
    fault(() => x.ld32(DRAM + 0x2008n), C_LOAD_ACCESS, DRAM + 0x2008n);
    fault(() => x.ld64(DRAM + 0x2008n), C_LOAD_ACCESS, DRAM + 0x2008n);
    fault(() => x.st8(DRAM + 0x200bn, 1n), C_STORE_ACCESS, DRAM + 0x200bn);
    ok(() => x.st32(DRAM + 0x200cn, 7n));
    expect(rpa64(DRAM + 0x2008n)).toBe(7n << 32n);
    fault(() => x.trWrite(DRAM + 0x2008n, 4), C_STORE_ACCESS, DRAM + 0x2008n);
    expect(ok(() => u64(x.trRead(DRAM + 0x2010n, 8)))).toBe(DRAM + 0x2010n);
  });
  it("fetches from a page only partly covered fail closed (documented limitation)", () => {
    x.pmpWriteAddr(0, (DRAM + 0x2008n) >> 2n);
    x.pmpWriteAddr(1, -1n);
    x.pmpWriteCfg(0, NA4 | ((NAPOT | 7n) << 8n));
    setMode(S);
    fault(() => x.ifetch(DRAM + 0x2100n), C_FETCH_ACCESS, DRAM + 0x2100n);
    expect(ok(() => x.ifetch(DRAM + 0x3000n))).toBe(0);
  });
  it("a PMP write flushes cached decisions", () => {
    x.pmpWriteAddr(0, -1n);
    x.pmpWriteCfg(0, NAPOT | 7n);
    setMode(S);
    expect(ld(DRAM)).toBe(0n);
    const flushes = stat(L.H_STAT_TLB_FLUSH);
    x.pmpWriteCfg(0, NAPOT | 5n); // drop W
    expect(stat(L.H_STAT_TLB_FLUSH)).toBe(flushes + 1);
    expect(ld(DRAM)).toBe(0n);
    fault(() => x.st64(DRAM, 1n), C_STORE_ACCESS, DRAM);
    x.pmpWriteCfg(0, NAPOT | 5n); // unchanged: no flush
    expect(stat(L.H_STAT_TLB_FLUSH)).toBe(flushes + 1);
  });
  it("page-table reads and A/D write-backs are S-mode accesses checked by PMP", () => {
    const root = allocPage();
    const va = 0x1000n;
    map(root, va, DRAM + 0x40_0000n, V | R | W | X);
    x.pmpWriteAddr(0, napot(root, 0x1000n));
    x.pmpWriteAddr(1, -1n);
    x.pmpWriteCfg(0, NAPOT | ((NAPOT | 7n) << 8n)); // root page: no access for S
    setMode(S, 0n, satp(8, 0, root));
    fault(() => x.ld64(va), C_LOAD_ACCESS, va);
    fault(() => x.st64(va, 0n), C_STORE_ACCESS, va);
    fault(() => x.ifetch(va), C_FETCH_ACCESS, va);
    setMode(M, MPRV | MPP(1), satp(8, 0, root));
    fault(() => x.ld64(va), C_LOAD_ACCESS, va);
    // Leaf table readable but not writable: the walk succeeds until A must be written back.
    const leafTable = root + 0x2000n; // root, level-1 table, level-0 table in allocation order
    x.pmpWriteAddr(0, napot(leafTable, 0x1000n));
    x.pmpWriteCfg(0, NAPOT | 1n | ((NAPOT | 7n) << 8n));
    setMode(S, 0n, satp(8, 0, root));
    fault(() => x.ld64(va), C_LOAD_ACCESS, va);
    expect(rpa64(leafTable + 8n) & A).toBe(0n);
  });
  it("the final physical address is checked with the effective privilege", () => {
    const root = allocPage();
    map(root, 0x1000n, DRAM + 0x40_0000n, V | R | W | X | A | D);
    x.pmpWriteAddr(0, napot(DRAM + 0x40_0000n, 0x1000n));
    x.pmpWriteAddr(1, -1n);
    x.pmpWriteCfg(0, (NAPOT | 4n) | ((NAPOT | 7n) << 8n)); // data page: execute only
    setMode(S, 0n, satp(8, 0, root));
    ok(() => x.ifetch(0x1000n));
    fault(() => x.ld64(0x1000n), C_LOAD_ACCESS, 0x1000n);
    fault(() => x.st64(0x1000n, 0n), C_STORE_ACCESS, 0x1000n);
    setMode(M, 0n, satp(8, 0, root));
    expect(ld(DRAM + 0x40_0000n)).toBe(0n); // unlocked: M unaffected
  });
  it("page tables outside RAM give access faults", () => {
    x.pmpWriteAddr(0, -1n);
    x.pmpWriteCfg(0, NAPOT | 7n);
    setMode(S, 0n, satp(8, 0, 0x1000n));
    fault(() => x.ld64(0x5000n), C_LOAD_ACCESS, 0x5000n);
    fault(() => x.st64(0x5000n, 0n), C_STORE_ACCESS, 0x5000n);
    fault(() => x.ifetch(0x5000n), C_FETCH_ACCESS, 0x5000n);
  });
});
