// The hardware-assisted VMM (host/vmm/hw.ts) on the real core, with small VS-mode programs: device
// accesses exit as guest-page faults and are emulated from htinst (32-bit and compressed, loads
// and stores), an address no device claims becomes an access fault inside the guest, a virtual
// instruction becomes an illegal-instruction exception, SBI calls are answered — under both
// engines, with every exit counted by reason.
import { describe, expect, it } from "vitest";
import { H_VSTIMECMP, H_HGATP, H_MEDELEG, H_HEDELEG, H_HIDELEG, H_VIRT, H_PRIV, PRV_S } from "../../host/core/layout.generated.js";
import { Machine, ConfigError } from "../../host/index.js";
import { HardwareAssistedVmm, HW_MEDELEG, HW_HEDELEG, HW_HIDELEG } from "../../host/vmm/hw.js";
import { sbiMachine } from "../../host/vmm/linux-boot.js";
import { asm, li32, liu32 } from "../host/helpers.js";

const T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;
const T3 = 28, T4 = 29;
const ENTRY = 0x8000_0000, HANDLER = 0x8000_0100, PAGE_TABLE = 0x8000_1000;
const UART = 0x1000_0000, MTIME = 0x0200_bff8, SYSCON = 0x10_0000, NOWHERE = 0x3000_0000;
const STVEC = 0x105, SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143, HGATP = 0x680;
const lw = (rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x03;
const ecall = 0x0000_0073;
/** c.ld a4, 0(a3) followed by c.nop, as one 32-bit word (the compressed load comes first). */
const C_LD_A4_A3_C_NOP = (0x0001 << 16) | (3 << 13) | ((A3 - 8) << 7) | ((A4 - 8) << 2);

/** The handler every program shares: s0 = scause, s1 = stval, t2 = sepc, then power off. */
const HANDLER_CODE = [
  asm.csrrs(S0, SCAUSE, 0), asm.csrrs(S1, STVAL, 0), asm.csrrs(T2, SEPC, 0),
  ...li32(T3, SYSCON), ...li32(T4, 0x5555), asm.sw(T4, T3, 0),
];

/** Runs `code` (at ENTRY, with HANDLER_CODE at HANDLER as stvec) in VS-mode under the VMM. */
async function runInVs(code: number[], engine: "interp" | "dbt" = "interp", pageTable?: bigint[]) {
  let text = "";
  const machine = await Machine.create({ memorySize: 8 << 20, virt: "hw", engine, dbtThreshold: 1, maxInstructions: 1_000_000,
    output: (bytes: Uint8Array) => { text += new TextDecoder().decode(bytes); } });
  const vmm = new HardwareAssistedVmm(machine, new Map(), (overrides) => sbiMachine(machine, overrides));
  const setup = [...liu32(T0, HANDLER), asm.csrrw(0, STVEC, T0)];
  const image = new Uint8Array(0x2000);
  const view = new DataView(image.buffer);
  pageTable?.forEach((pte, i) => view.setBigUint64(PAGE_TABLE - ENTRY + 8 * i, pte, true));
  [...setup, ...code].forEach((w, i) => view.setUint32(4 * i, w >>> 0, true));
  HANDLER_CODE.forEach((w, i) => view.setUint32(HANDLER - ENTRY + 4 * i, w >>> 0, true));
  await machine.loadRaw(image, BigInt(ENTRY));
  machine.setBootHook((hart) => vmm.enterGuest(hart, BigInt(ENTRY), 0n));
  const result = await machine.run();
  return { machine, hart: machine.harts[0]!, result, text: () => text, exits: machine.stats().vmExits, setupLength: setup.length };
}

describe("hardware-assisted VMM: VM exits on the real core", () => {
  for (const engine of ["interp", "dbt"] as const) {
    it(`${engine}: device loads/stores are emulated from htinst; an unclaimed address faults inside the guest`, async () => {
      const code = [
        ...li32(A1, UART),
        asm.lbu(A0, A1, 5), // LSR: THR empty and transmitter idle (0x60)
        ...li32(A2, 0x41), asm.sb(A2, A1, 0), // 'A' to THR
        ...li32(A3, MTIME), C_LD_A4_A3_C_NOP, // compressed 8-byte load of mtime
        ...li32(T1, NOWHERE), lw(A5, T1, 0), // nothing there: load access fault in VS
        asm.jal(0, 0),
      ];
      const { hart, result, text, exits, setupLength } = await runInVs(code, engine);
      expect(result).toMatchObject({ reason: "poweroff", exitCode: 0 });
      expect(text()).toBe("A");
      expect(hart.x(A0)).toBe(0x60n); // rd written: the transformed load kept rd
      expect(hart.x(A4)).toBeGreaterThan(0n); // mtime through the compressed load
      expect(hart.x(A4)).toBeLessThan(1_000_000n);
      expect(hart.x(S0)).toBe(5n); // load access fault, as the guest's scause (vscause)
      expect(hart.x(S1)).toBe(BigInt(NOWHERE));
      const faultingLw = ENTRY + 4 * (setupLength + code.length - 2);
      expect(hart.x(T2)).toBe(BigInt(faultingLw));
      expect(hart.read32(H_VIRT)).toBe(1); // still in the guest
      expect(hart.privilege).toBe(PRV_S);
      expect(exits).toEqual({ "mmio-load": 2, "mmio-store": 2, "mmio-unclaimed": 1 });
    });
  }

  it("a virtual instruction (hgatp from VS) becomes an illegal-instruction exception in the guest", async () => {
    const csrr = asm.csrrs(T0, HGATP, 0);
    const { hart, exits } = await runInVs([csrr, asm.jal(0, 0)]);
    expect(hart.x(S0)).toBe(2n);
    expect(hart.x(S1)).toBe(BigInt(csrr >>> 0));
    expect(exits["virtual-instruction"]).toBe(1);
  });

  it("a jump outside RAM: the fetch's guest-page fault becomes an instruction access fault in the guest", async () => {
    const jalr = (rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x67;
    const { hart, exits } = await runInVs([...li32(T1, NOWHERE), jalr(0, T1, 0)]);
    expect(hart.x(S0)).toBe(1n);
    expect(hart.x(S1)).toBe(BigInt(NOWHERE));
    expect(hart.x(T2)).toBe(BigInt(NOWHERE)); // sepc: the target that could not be fetched
    expect(exits["fetch-fault"]).toBe(1);
  });

  it("the guest's own page-table walk reaching device space: a load access fault in the guest", async () => {
    // Sv39 root: VA 0..1 GiB and 2..3 GiB identity gigapages; VA 1..2 GiB points to a next-level
    // table at GPA NOWHERE, which the G-stage does not map (the exit carries htinst = 0x3000).
    const leaf = (pa: number, flags: bigint) => (BigInt(pa) >> 12n) << 10n | flags;
    const table = [leaf(0, 0xc7n), leaf(NOWHERE, 0x1n), leaf(0x8000_0000, 0xcfn)];
    const code = [
      ...liu32(T0, PAGE_TABLE >>> 12), ...li32(T1, 8), asm.slli(T1, T1, 60), asm.add(T0, T0, T1),
      asm.csrrw(0, 0x180, T0), // satp (vsatp in VS): Sv39 from here on
      ...li32(T1, 0x4000_0000), lw(A5, T1, 0), asm.jal(0, 0),
    ];
    const { hart, exits } = await runInVs(code, "interp", table);
    expect(hart.x(S0)).toBe(5n);
    expect(hart.x(S1)).toBe(0x4000_0000n);
    expect(exits).toMatchObject({ "page-table-fault": 1, "mmio-store": 1 });
  });

  it("SBI from VS: BASE answers, set_timer programs vstimecmp, pc moves past the ecall", async () => {
    const code = [
      ...li32(A7, 0x10), ...li32(A6, 0), ecall, asm.addi(S0, A0, 0), asm.addi(S1, A1, 0),
      ...li32(A7, 0x54494d45), ...li32(A6, 0), ...li32(A0, 123456), ecall,
      ...li32(T3, SYSCON), ...li32(T4, 0x5555), asm.sw(T4, T3, 0),
    ];
    const { hart, exits, result } = await runInVs(code);
    expect(result.exitCode).toBe(0);
    expect(hart.x(S0)).toBe(0n); // SBI_SUCCESS
    expect(hart.x(S1)).toBe(2n << 24n); // spec version 2.0
    expect(hart.read64(H_VSTIMECMP)).toBe(123456n);
    expect(exits).toMatchObject({ sbi: 2, "mmio-store": 1 });
  });

  it("the boot hook programs the delegation and G-stage registers and enters VS", async () => {
    const machine = await Machine.create({ memorySize: 8 << 20, virt: "hw", output: () => {} });
    const vmm = new HardwareAssistedVmm(machine, new Map(), (overrides) => sbiMachine(machine, overrides));
    await machine.loadRaw(Uint8Array.of(0x6f, 0, 0, 0), BigInt(ENTRY));
    machine.setBootHook((hart) => vmm.enterGuest(hart, BigInt(ENTRY), 0x1234n));
    const hart = machine.harts[0]!;
    expect(hart.read64(H_MEDELEG)).toBe(HW_MEDELEG);
    expect(hart.read64(H_HEDELEG)).toBe(HW_HEDELEG);
    expect(hart.read64(H_HIDELEG)).toBe(HW_HIDELEG);
    expect(hart.read64(H_HGATP)).toBe(vmm.hgatp);
    expect(vmm.hgatp >> 60n).toBe(9n); // Sv48x4
    expect((vmm.hgatp >> 44n) & 0x3fffn).toBe(1n); // VMID 1
    expect([hart.read32(H_VIRT), hart.read32(H_PRIV), hart.x(A1)]).toEqual([1, PRV_S, 0x1234n]);
  });

  it("needs a machine created with virt: \"hw\"", async () => {
    const machine = await Machine.create({ memorySize: 8 << 20, output: () => {} });
    expect(() => new HardwareAssistedVmm(machine, new Map(), (o) => sbiMachine(machine, o))).toThrow(ConfigError);
  });
});
