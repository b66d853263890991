// The G-stage table builder of --virt hw (host/vmm/gstage.ts): how host RAM is split between the
// guest and the table reserve, and the tables themselves, checked by an independent walk of the
// Sv39x4/Sv48x4 format (hypervisor.adoc "Guest Physical Address Translation").
import { describe, expect, it } from "vitest";
import { ConfigError, Machine } from "../../host/index.js";
import { buildGstageTables, planGuestMemory, tablePagesFor, GSTAGE_LEAF_FLAGS, MIN_GUEST_RAM,
         type GuestMemoryPlan } from "../../host/vmm/gstage.js";
import { createTestState } from "../host/helpers.js";
import type { GuestRam } from "../../host/core/memory.js";

const DRAM = 0x8000_0000;
const MiB = 0x10_0000;

/** Reference walk: the leaf PTE and its level for `gpa`, or undefined where nothing is mapped. */
function walk(ram: GuestRam, hgatp: bigint, gpa: number): { pte: bigint; level: number } | undefined {
  const levels = hgatp >> 60n === 9n ? 4 : 3;
  let table = Number((hgatp & ((1n << 44n) - 1n)) << 12n);
  for (let level = levels - 1; level >= 0; level--) {
    const bits = level === levels - 1 ? 11 : 9;
    const index = Math.floor(gpa / 2 ** (12 + 9 * level)) % 2 ** bits;
    const pte = ram.read64(table + 8 * index);
    if ((pte & 1n) === 0n) return undefined;
    if ((pte & 0xen) !== 0n) return { pte, level };
    table = Number((pte >> 10n) << 12n);
  }
  throw new Error("no leaf at level 0");
}

function build(hostSize: number, options: Parameters<typeof planGuestMemory>[1] = {}, vmid = 7) {
  const state = createTestState(1, hostSize);
  const plan = planGuestMemory(hostSize, options);
  const hgatp = buildGstageTables(state.ram, plan, vmid);
  return { ram: state.ram, plan, hgatp };
}

describe("G-stage memory plan", () => {
  it("reserves whole 2 MiB blocks at the top of host RAM for the tables", () => {
    const plan = planGuestMemory(128 * MiB);
    expect(plan).toMatchObject({ hostSize: 128 * MiB, guestSize: 126 * MiB, reserveSize: 2 * MiB, levels: 4, leafBytes: 4096 });
    expect(plan.reserveBase).toBe(DRAM + 126 * MiB);
    // 4 root pages + 1 level-2 + 1 level-1 + 64 leaf tables for 128 MiB of 4 KiB pages
    expect(tablePagesFor(128 * MiB, 4, 4096)).toBe(70);
    expect(tablePagesFor(128 * MiB, 4, 0x20_0000)).toBe(6); // 2 MiB leaves: no leaf tables
    expect(tablePagesFor(128 * MiB, 3, 4096)).toBe(69); // Sv39x4: no level-2 table
  });

  it("a machine too small for the reserve is a ConfigError, in the plan and at machine creation", async () => {
    expect(() => planGuestMemory(4 * MiB)).toThrow(ConfigError);
    expect(() => planGuestMemory(4 * MiB)).toThrow(/G-stage reserve/);
    expect(planGuestMemory(MIN_GUEST_RAM + 2 * MiB).guestSize).toBe(MIN_GUEST_RAM);
    await expect(Machine.create({ memorySize: 4 * MiB, virt: "hw", output: () => {} })).rejects.toThrow(/G-stage reserve/);
    await expect(Machine.create({ virt: "vmx" as never, output: () => {} })).rejects.toThrow(/unknown virtualization mode/);
    await expect(Machine.create({ virt: "hw", cpu: { h: true }, output: () => {} })).rejects.toThrow(/nested virtualization/);
  });
});

describe("G-stage tables", () => {
  for (const [name, options] of [["Sv48x4, 4 KiB leaves", {}], ["Sv39x4, 4 KiB leaves", { levels: 3 }],
                                 ["Sv48x4, 2 MiB leaves", { leaf: "2M" }]] as const) {
    it(`${name}: guest RAM at GPA = HPA, devices and the reserve unmapped`, () => {
      const { ram, plan, hgatp } = build(24 * MiB, options as Parameters<typeof planGuestMemory>[1]);
      expect(hgatp >> 60n).toBe(plan.levels === 4 ? 9n : 8n);
      expect((hgatp >> 44n) & 0x3fffn).toBe(7n);
      const root = Number((hgatp & ((1n << 44n) - 1n)) << 12n);
      expect(root % 0x4000).toBe(0); // 16 KiB-aligned root (hgatp.PPN[1:0] = 0)
      expect(root).toBeGreaterThanOrEqual(plan.reserveBase);
      const leafLevel = plan.leafBytes === 4096 ? 0 : 1;
      for (let gpa = DRAM; gpa < DRAM + plan.guestSize; gpa += 0x1000 * 37) {
        const leaf = walk(ram, hgatp, gpa)!;
        expect(leaf.level).toBe(leafLevel);
        expect(leaf.pte & 0xffn).toBe(GSTAGE_LEAF_FLAGS); // V R W X U A D
        const page = Number((leaf.pte >> 10n) << 12n) + (gpa % plan.leafBytes) - (gpa % 4096);
        expect(page).toBe(gpa - (gpa % 4096)); // identity
      }
      const last = DRAM + plan.guestSize - 8;
      expect(walk(ram, hgatp, last)).toBeDefined();
      for (const hole of [plan.reserveBase, plan.reserveBase + plan.reserveSize - 8, 0x1000_0000, 0x0c00_0000, 0x10_0000, 0]) {
        expect(walk(ram, hgatp, hole)).toBeUndefined();
      }
    });
  }

  it("refuses a plan whose reserve is not at the top of RAM, and a bad VMID", () => {
    const state = createTestState(1, 24 * MiB);
    const plan: GuestMemoryPlan = { ...planGuestMemory(24 * MiB), hostSize: 32 * MiB };
    expect(() => buildGstageTables(state.ram, { ...plan, reserveBase: plan.reserveBase - 0x1000 }, 1)).toThrow(ConfigError);
    expect(() => buildGstageTables(state.ram, planGuestMemory(24 * MiB), 0x4000)).toThrow(/VMID/);
  });

  it("the guest's device tree describes only guest RAM", async () => {
    const machine = await Machine.create({ memorySize: 32 * MiB, virt: "hw", output: () => {} });
    expect(machine.guestRam.size).toBe(machine.memoryPlan!.guestSize);
    expect(machine.guestRam.size).toBeLessThan(32 * MiB);
    const dtb = machine.deviceTree();
    const reg = new Uint8Array(16);
    const view = new DataView(reg.buffer);
    view.setBigUint64(0, BigInt(DRAM)); view.setBigUint64(8, BigInt(machine.guestRam.size)); // big-endian cells
    expect(Buffer.from(dtb).includes(Buffer.from(reg))).toBe(true);
  });
});
