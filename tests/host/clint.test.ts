import { describe, expect, it } from "vitest";
import { H_EXT_IRQ, H_MTIMECMP, M_MTIME } from "../../host/core/layout.generated.js";
import { Clint, CLINT_MSIP, CLINT_MTIME, CLINT_MTIMECMP, CLINT_SIZE } from "../../host/devices/clint.js";
import { Bus } from "../../host/machine/bus.js";
import { DeterministicClock, RealClock } from "../../host/machine/clock.js";
import { createTestState } from "./helpers.js";

const CLINT_BASE = 0x200_0000;

function setup(harts = 2) {
  const state = createTestState(harts);
  const clock = new DeterministicClock(state.machine, 10);
  const clint = new Clint(state.harts, clock);
  const bus = new Bus();
  bus.map(CLINT_BASE, CLINT_SIZE, clint);
  return { ...state, clock, clint, bus };
}

describe("CLINT msip", () => {
  it("drives bit 3 (MSIP) of each hart's H_EXT_IRQ", () => {
    const { bus, harts } = setup();
    expect(bus.write(0, CLINT_BASE + CLINT_MSIP + 4, 4, 1n)).toBe(true);
    expect(harts[1]!.read64(H_EXT_IRQ)).toBe(8n);
    expect(harts[0]!.read64(H_EXT_IRQ)).toBe(0n);
    expect(bus.read(0, CLINT_BASE + 4, 4)).toBe(1n);
    expect(bus.read(0, CLINT_BASE + 0, 4)).toBe(0n);
    bus.write(0, CLINT_BASE + 4, 4, 0n);
    expect(harts[1]!.read64(H_EXT_IRQ)).toBe(0n);
  });

  it("only bit 0 is writable and other lines in H_EXT_IRQ are preserved", () => {
    const { bus, harts } = setup();
    harts[0]!.write64(H_EXT_IRQ, 1n << 11n); // MEIP from a future PLIC
    bus.write(0, CLINT_BASE, 4, 0xffff_fffen); // bit 0 clear
    expect(harts[0]!.read64(H_EXT_IRQ)).toBe(1n << 11n);
    bus.write(0, CLINT_BASE, 4, 0xffff_ffffn);
    expect(harts[0]!.read64(H_EXT_IRQ)).toBe((1n << 11n) | 8n);
    expect(bus.read(0, CLINT_BASE, 4)).toBe(1n);
  });

  it("8-byte accesses to the msip array cover two harts", () => {
    const { bus, harts } = setup();
    bus.write(0, CLINT_BASE, 8, (1n << 32n) | 1n);
    expect(harts[0]!.read64(H_EXT_IRQ)).toBe(8n);
    expect(harts[1]!.read64(H_EXT_IRQ)).toBe(8n);
    expect(bus.read(0, CLINT_BASE, 8)).toBe((1n << 32n) | 1n);
  });

  it("msip of a hart that does not exist reads 0 and ignores writes", () => {
    const { bus } = setup(1);
    expect(bus.write(0, CLINT_BASE + 4 * 5, 4, 1n)).toBe(true);
    expect(bus.read(0, CLINT_BASE + 4 * 5, 4)).toBe(0n);
  });
});

describe("CLINT mtimecmp", () => {
  it("8-byte writes land in H_MTIMECMP of the right hart", () => {
    const { bus, harts } = setup();
    bus.write(0, CLINT_BASE + CLINT_MTIMECMP + 8, 8, 0x1234_5678_9abc_def0n);
    expect(harts[1]!.read64(H_MTIMECMP)).toBe(0x1234_5678_9abc_def0n);
    expect(harts[0]!.read64(H_MTIMECMP)).toBe(0n);
    expect(bus.read(0, CLINT_BASE + CLINT_MTIMECMP + 8, 8)).toBe(0x1234_5678_9abc_def0n);
  });

  it("4-byte halves read and write the low and high words", () => {
    const { bus, harts } = setup();
    harts[0]!.mtimecmp = 0xffff_ffff_ffff_ffffn;
    bus.write(0, CLINT_BASE + CLINT_MTIMECMP, 4, 0x1111_1111n);
    expect(harts[0]!.mtimecmp).toBe(0xffff_ffff_1111_1111n);
    bus.write(0, CLINT_BASE + CLINT_MTIMECMP + 4, 4, 0x2222_2222n);
    expect(harts[0]!.mtimecmp).toBe(0x2222_2222_1111_1111n);
    expect(bus.read(0, CLINT_BASE + CLINT_MTIMECMP, 4)).toBe(0x1111_1111n);
    expect(bus.read(0, CLINT_BASE + CLINT_MTIMECMP + 4, 4)).toBe(0x2222_2222n);
  });

  it("mtimecmp of a missing hart reads 0", () => {
    const { bus } = setup(1);
    bus.write(0, CLINT_BASE + CLINT_MTIMECMP + 8, 8, 5n);
    expect(bus.read(0, CLINT_BASE + CLINT_MTIMECMP + 8, 8)).toBe(0n);
  });
});

describe("CLINT mtime", () => {
  it("reads M_MTIME under the deterministic clock and writes set it", () => {
    const { bus, machine } = setup();
    machine.write64(M_MTIME, 0x1_0000_0005n);
    expect(bus.read(0, CLINT_BASE + CLINT_MTIME, 8)).toBe(0x1_0000_0005n);
    expect(bus.read(0, CLINT_BASE + CLINT_MTIME, 4)).toBe(5n);
    expect(bus.read(0, CLINT_BASE + CLINT_MTIME + 4, 4)).toBe(1n);
    bus.write(0, CLINT_BASE + CLINT_MTIME, 8, 42n);
    expect(machine.read64(M_MTIME)).toBe(42n);
    bus.write(0, CLINT_BASE + CLINT_MTIME + 4, 4, 3n);
    expect(machine.read64(M_MTIME)).toBe((3n << 32n) | 42n);
  });

  it("reads the host clock under the real clock (10 MHz)", () => {
    const state = createTestState(1);
    let now = 1_000_000n; // ns
    const clock = new RealClock(state.machine, 0n, () => now);
    const clint = new Clint(state.harts, clock);
    now += 1_000_000n; // 1 ms = 10,000 ticks
    expect(clint.read(CLINT_MTIME, 8)).toBe(10_000n);
    expect(state.machine.mtime).toBe(10_000n);
    clint.write(CLINT_MTIME, 8, 500n);
    now += 100n;
    expect(clint.read(CLINT_MTIME, 8)).toBe(501n);
  });
});

describe("CLINT access rules", () => {
  it("rejects 1- and 2-byte and misaligned accesses", () => {
    const { bus } = setup();
    expect(bus.read(0, CLINT_BASE, 1)).toBeUndefined();
    expect(bus.read(0, CLINT_BASE, 2)).toBeUndefined();
    expect(bus.write(0, CLINT_BASE + 2, 4, 1n)).toBe(false);
    expect(bus.read(0, CLINT_BASE + CLINT_MTIMECMP + 4, 8)).toBeUndefined();
  });

  it("reserved offsets read as zero", () => {
    const { bus } = setup();
    expect(bus.read(0, CLINT_BASE + 0xc000, 4)).toBe(0n);
    expect(bus.write(0, CLINT_BASE + 0xc000, 4, 1n)).toBe(true);
  });
});
