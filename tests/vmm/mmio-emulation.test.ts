// Device emulation from htinst (host/vmm/mmio-emulation.ts): every load and store size, signed
// and unsigned loads, compressed forms (bit 1 clear, pc += 2), FP loads and stores, x0 as the
// destination, and the refusals — an address no device claims, htinst = 0, the page-table
// pseudo-instructions and AMOs.
import { describe, expect, it } from "vitest";
import { H_MSTATUS, H_VSSTATUS } from "../../host/core/layout.generated.js";
import { decodeTrappedAccess, emulateMmioAccess, type MmioTarget } from "../../host/vmm/mmio-emulation.js";
import { createTestState } from "../host/helpers.js";

const PC = 0x8000_1000n;
const DEVICE = 0x1000_0000;
/** Transformed 32-bit instructions (rs1 and offset zeroed, as the core reports them). */
const load = (funct3: number, rd: number, opcode = 0x03) => (funct3 << 12) | (rd << 7) | opcode;
const store = (funct3: number, rs2: number, opcode = 0x23) => (rs2 << 20) | (funct3 << 12) | opcode;
/** The transformed form of a compressed instruction: its expansion with bit 1 cleared. */
const compressed = (insn: number) => insn & ~2;

/** A one-device bus holding 8 bytes at DEVICE, with a log of accesses. */
function fakeBus(initial = 0xfedc_ba98_8765_4321n) {
  let value = initial;
  const log: string[] = [];
  const bus: MmioTarget = {
    read: (_hart, address, size) => {
      log.push(`r${size}@${address.toString(16)}`);
      if (address < DEVICE || address + size > DEVICE + 8) return undefined;
      return (value >> BigInt(8 * (address - DEVICE))) & ((1n << BigInt(8 * size)) - 1n);
    },
    write: (_hart, address, size, data) => {
      log.push(`w${size}@${address.toString(16)}=${data.toString(16)}`);
      if (address < DEVICE || address + size > DEVICE + 8) return false;
      const shift = BigInt(8 * (address - DEVICE)), mask = ((1n << BigInt(8 * size)) - 1n) << shift;
      value = (value & ~mask) | ((data << shift) & mask);
      return true;
    },
  };
  return { bus, log, value: () => value };
}

function hart() {
  const h = createTestState().harts[0]!;
  h.pc = PC;
  return h;
}

describe("decoding the transformed instruction", () => {
  it("loads and stores of every size, integer and FP; nothing else", () => {
    const sizes = [1, 2, 4, 8];
    for (let f3 = 0; f3 < 7; f3++) {
      expect(decodeTrappedAccess(BigInt(load(f3, 9)))).toEqual({ kind: "load", size: sizes[f3 & 3], signed: f3 < 4,
        float: false, register: 9, length: 4 });
    }
    for (let f3 = 0; f3 < 4; f3++) {
      expect(decodeTrappedAccess(BigInt(store(f3, 17)))).toMatchObject({ kind: "store", size: sizes[f3], register: 17, length: 4 });
    }
    expect(decodeTrappedAccess(BigInt(load(2, 3, 0x07)))).toMatchObject({ kind: "load", size: 4, float: true, register: 3 });
    expect(decodeTrappedAccess(BigInt(store(3, 4, 0x27)))).toMatchObject({ kind: "store", size: 8, float: true, register: 4 });
    expect(decodeTrappedAccess(BigInt(compressed(load(2, 12))))).toMatchObject({ size: 4, register: 12, length: 2 });
    for (const refused of [0, 0x3000, 0x3020, load(7, 1), store(4, 1), 0x0020_302f /* amoadd.d */, load(1, 1, 0x07)]) {
      expect(decodeTrappedAccess(BigInt(refused))).toBeUndefined();
    }
  });
});

describe("emulating a device access", () => {
  it("loads: zero- or sign-extended into rd, pc advanced by the instruction's length", () => {
    const cases: [number, bigint][] = [
      [0, 0x21n], [1, 0x4321n], [2, 0xffff_ffff_8765_4321n], [3, 0xfedc_ba98_8765_4321n], // lb lh lw ld (sign)
      [4, 0x21n], [5, 0x4321n], [6, 0x8765_4321n], // lbu lhu lwu
    ];
    for (const [f3, expected] of cases) {
      const h = hart();
      const { bus } = fakeBus();
      expect(emulateMmioAccess(h, bus, BigInt(DEVICE), BigInt(load(f3, 10))).kind).toBe("emulated");
      expect(h.x(10)).toBe(expected);
      expect(h.pc).toBe(PC + 4n);
    }
    const h = hart();
    const { bus } = fakeBus(0x80n);
    emulateMmioAccess(h, bus, BigInt(DEVICE), BigInt(load(0, 11))); // lb of 0x80: negative
    expect(h.x(11)).toBe(0xffff_ffff_ffff_ff80n);
  });

  it("compressed loads and stores advance pc by 2", () => {
    const h = hart();
    const { bus, value } = fakeBus();
    emulateMmioAccess(h, bus, BigInt(DEVICE + 4), BigInt(compressed(load(2, 8)))); // c.lw s0
    expect(h.x(8)).toBe(0xffff_ffff_fedc_ba98n);
    expect(h.pc).toBe(PC + 2n);
    h.setX(9, 0x1122_3344_5566_7788n);
    emulateMmioAccess(h, bus, BigInt(DEVICE), BigInt(compressed(store(3, 9)))); // c.sd s1
    expect(value()).toBe(0x1122_3344_5566_7788n);
    expect(h.pc).toBe(PC + 4n);
  });

  it("stores write the low bytes of rs2 at the faulting address", () => {
    for (const [f3, expected] of [[0, 0xfedc_ba98_8765_43ffn], [1, 0xfedc_ba98_8765_eeffn],
                                  [2, 0xfedc_ba98_ddcc_eeffn], [3, 0xaabb_ccdd_ddcc_eeffn]] as const) {
      const h = hart();
      const { bus, value } = fakeBus();
      h.setX(5, 0xaabb_ccdd_ddcc_eeffn);
      expect(emulateMmioAccess(h, bus, BigInt(DEVICE), BigInt(store(f3, 5)))).toMatchObject({ kind: "emulated" });
      expect(value()).toBe(expected);
    }
    const h = hart();
    const { bus, log } = fakeBus();
    emulateMmioAccess(h, bus, BigInt(DEVICE + 3), BigInt(store(0, 0))); // sb x0 -> writes 0
    expect(log).toEqual(["w1@10000003=0"]);
  });

  it("FP loads NaN-box singles and mark FS dirty; FP stores take f[rs2]; x0 stays 0", () => {
    const h = hart();
    const { bus, value } = fakeBus();
    emulateMmioAccess(h, bus, BigInt(DEVICE), BigInt(load(2, 1, 0x07))); // flw f1
    expect(h.f(1)).toBe(0xffff_ffff_8765_4321n);
    expect((h.read64(H_MSTATUS) >> 13n) & 3n).toBe(3n);
    expect((h.read64(H_VSSTATUS) >> 13n) & 3n).toBe(3n);
    h.setF(2, 0x4000_0000_0000_0000n);
    emulateMmioAccess(h, bus, BigInt(DEVICE), BigInt(store(3, 2, 0x27))); // fsd f2
    expect(value()).toBe(0x4000_0000_0000_0000n);
    emulateMmioAccess(h, bus, BigInt(DEVICE), BigInt(load(3, 0))); // ld x0
    expect(h.x(0)).toBe(0n);
  });

  it("an address no device claims, or nothing to decode, leaves the hart untouched", () => {
    const h = hart();
    h.setX(10, 77n);
    const { bus } = fakeBus();
    expect(emulateMmioAccess(h, bus, BigInt(DEVICE + 0x100), BigInt(load(3, 10))).kind).toBe("unclaimed");
    expect(emulateMmioAccess(h, bus, BigInt(DEVICE + 0x100), BigInt(store(3, 10))).kind).toBe("unclaimed");
    expect(emulateMmioAccess(h, bus, 1n << 60n, BigInt(load(3, 10))).kind).toBe("unclaimed");
    expect(emulateMmioAccess(h, bus, BigInt(DEVICE), 0n).kind).toBe("undecodable");
    expect(emulateMmioAccess(h, bus, BigInt(DEVICE), 0x3000n).kind).toBe("undecodable");
    expect([h.x(10), h.pc]).toEqual([77n, PC]);
  });
});
