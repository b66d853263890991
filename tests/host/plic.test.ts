// The PLIC (host/devices/plic.ts) against the RISC-V PLIC Specification 1.0.0: register map,
// priorities and thresholds, per-context enables, claim/complete with level-triggered gateways,
// and the MEIP/SEIP bits it drives in each hart's H_EXT_IRQ.
import { describe, expect, it } from "vitest";
import { H_EXT_IRQ } from "../../host/core/layout.generated.js";
import {
  Plic, PLIC_CLAIM, PLIC_CONTEXT, PLIC_CONTEXT_STRIDE, PLIC_ENABLE, PLIC_ENABLE_STRIDE, PLIC_PENDING, PLIC_PRIORITY,
  plicContext,
} from "../../host/devices/plic.js";
import { Bus } from "../../host/machine/bus.js";
import { createTestState } from "./helpers.js";

const BASE = 0x0c00_0000;
const SIZE = 0x60_0000;
const MEIP = 1n << 11n, SEIP = 1n << 9n, MSIP = 1n << 3n;

function setup(harts = 2) {
  const state = createTestState(harts);
  const plic = new Plic(state.harts);
  const bus = new Bus();
  bus.map(BASE, SIZE, plic);
  const read = (offset: number) => Number(bus.read(0, BASE + offset, 4));
  const write = (offset: number, value: number) => expect(bus.write(0, BASE + offset, 4, BigInt(value >>> 0))).toBe(true);
  const setPriority = (source: number, priority: number) => write(PLIC_PRIORITY + 4 * source, priority);
  const enable = (context: number, ...sources: number[]) => {
    for (const source of sources) {
      const offset = PLIC_ENABLE + PLIC_ENABLE_STRIDE * context + 4 * (source >>> 5);
      write(offset, read(offset) | (1 << (source & 31)));
    }
  };
  const disable = (context: number, source: number) => {
    const offset = PLIC_ENABLE + PLIC_ENABLE_STRIDE * context + 4 * (source >>> 5);
    write(offset, read(offset) & ~(1 << (source & 31)));
  };
  const threshold = (context: number, value: number) => write(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * context, value);
  const claim = (context: number) => read(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * context + PLIC_CLAIM);
  const complete = (context: number, source: number) => write(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * context + PLIC_CLAIM, source);
  const irq = (hart: number) => state.harts[hart]!.read64(H_EXT_IRQ);
  return { ...state, plic, bus, read, write, setPriority, enable, disable, threshold, claim, complete, irq };
}

describe("PLIC registers", () => {
  it("priorities are 3-bit WARL fields of sources 1..95; source 0 and absent sources read 0", () => {
    const { read, write, setPriority } = setup();
    setPriority(10, 0xffff_ffff);
    expect(read(4 * 10)).toBe(7);
    setPriority(10, 9);
    expect(read(4 * 10)).toBe(1);
    write(0, 5);
    expect(read(0)).toBe(0);
    setPriority(95, 3);
    expect(read(4 * 95)).toBe(3);
    setPriority(96, 3);
    expect(read(4 * 96)).toBe(0);
    setPriority(1023, 3);
    expect(read(4 * 1023)).toBe(0);
  });

  it("enable bits exist for implemented sources only; source 0 is hardwired to 0", () => {
    const { read, write } = setup();
    write(PLIC_ENABLE, 0xffff_ffff);
    expect(read(PLIC_ENABLE) >>> 0).toBe(0xffff_fffe);
    write(PLIC_ENABLE + 8, 0xffff_ffff); // sources 64..95
    expect(read(PLIC_ENABLE + 8) >>> 0).toBe(0xffff_ffff);
    write(PLIC_ENABLE + 12, 0xffff_ffff); // sources 96..127 do not exist
    expect(read(PLIC_ENABLE + 12)).toBe(0);
    write(PLIC_ENABLE + PLIC_ENABLE_STRIDE * 3 + 4, 0x10); // context 3 = hart 1 S-mode
    expect(read(PLIC_ENABLE + PLIC_ENABLE_STRIDE * 3 + 4)).toBe(0x10);
    expect(read(PLIC_ENABLE + 4)).toBe(0); // other contexts untouched
    write(PLIC_ENABLE + PLIC_ENABLE_STRIDE * 4, 0xffff_ffff); // context 4: no third hart
    expect(read(PLIC_ENABLE + PLIC_ENABLE_STRIDE * 4)).toBe(0);
  });

  it("pending bits show requests and ignore writes; thresholds are WARL; gaps read 0", () => {
    const { plic, read, write, threshold } = setup();
    plic.setLevel(10, true);
    plic.setLevel(33, true);
    expect(read(PLIC_PENDING)).toBe(1 << 10);
    expect(read(PLIC_PENDING + 4)).toBe(1 << 1);
    write(PLIC_PENDING, 0);
    expect(read(PLIC_PENDING)).toBe(1 << 10);
    threshold(1, 0xff);
    expect(read(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE)).toBe(7);
    expect(read(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE + 8)).toBe(0);
    expect(read(0x1800)).toBe(0);
    expect(read(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * 4)).toBe(0); // context of a hart that does not exist
  });

  it("accepts 4-byte and aligned 8-byte accesses only", () => {
    const { bus, read } = setup();
    expect(bus.read(0, BASE + 4 * 10, 1)).toBeUndefined();
    expect(bus.write(0, BASE + 4 * 10, 2, 1n)).toBe(false);
    expect(bus.read(0, BASE + 4 * 10, 4)).toBe(0n);
    expect(bus.write(0, BASE + 8 * 5, 8, (3n << 32n) | 2n)).toBe(true); // sources 10 and 11
    expect([read(40), read(44)]).toEqual([2, 3]);
    expect(bus.read(0, BASE + 40, 8)).toBe((3n << 32n) | 2n);
    expect(bus.read(0, BASE + 44, 8)).toBeUndefined(); // misaligned
  });
});

describe("PLIC notifications (MEIP/SEIP in H_EXT_IRQ)", () => {
  it("context 2N drives hart N's MEIP and 2N + 1 its SEIP", () => {
    const { plic, setPriority, enable, irq } = setup();
    expect([plicContext(0, false), plicContext(0, true), plicContext(1, false), plicContext(1, true)]).toEqual([0, 1, 2, 3]);
    setPriority(10, 1);
    enable(1, 10);
    plic.setLevel(10, true);
    expect(irq(0)).toBe(SEIP);
    expect(irq(1)).toBe(0n);
    enable(0, 10);
    expect(irq(0)).toBe(SEIP | MEIP);
    enable(3, 10);
    expect(irq(1)).toBe(SEIP);
    expect(plic.isNotifying(3)).toBe(true);
  });

  it("a source with priority 0 never interrupts", () => {
    const { plic, enable, setPriority, claim, irq } = setup();
    enable(1, 5);
    plic.setLevel(5, true);
    expect(irq(0)).toBe(0n);
    expect(claim(1)).toBe(0);
    setPriority(5, 1);
    expect(irq(0)).toBe(SEIP);
  });

  it("notifies only of priorities above the threshold", () => {
    const { plic, enable, setPriority, threshold, irq } = setup();
    setPriority(7, 3);
    enable(1, 7);
    threshold(1, 3);
    plic.setLevel(7, true);
    expect(irq(0)).toBe(0n);
    threshold(1, 2);
    expect(irq(0)).toBe(SEIP);
    setPriority(7, 2);
    expect(irq(0)).toBe(0n);
  });

  it("leaves the other bits of H_EXT_IRQ (the CLINT's MSIP) alone", () => {
    const { plic, enable, setPriority, harts, claim, irq } = setup();
    harts[0]!.write64(H_EXT_IRQ, MSIP);
    setPriority(1, 1);
    enable(0, 1);
    plic.setLevel(1, true);
    expect(irq(0)).toBe(MSIP | MEIP);
    expect(claim(0)).toBe(1);
    expect(irq(0)).toBe(MSIP);
  });
});

describe("PLIC claim and complete (gateways)", () => {
  it("claim returns the source, clears its pending bit and notification; completion re-arms the gateway", () => {
    const { plic, enable, setPriority, claim, complete, read, irq } = setup();
    setPriority(10, 1);
    enable(1, 10);
    plic.setLevel(10, true);
    expect(claim(1)).toBe(10);
    expect(read(PLIC_PENDING)).toBe(0);
    expect(irq(0)).toBe(0n);
    expect(plic.isInService(10)).toBe(true);
    // The line stays high while in service: nothing is forwarded before the completion.
    plic.setLevel(10, true);
    expect(plic.isPending(10)).toBe(false);
    expect(claim(1)).toBe(0);
    // Completion with the line still high forwards a new request at once.
    complete(1, 10);
    expect(plic.isPending(10)).toBe(true);
    expect(irq(0)).toBe(SEIP);
    expect(claim(1)).toBe(10);
    plic.setLevel(10, false);
    complete(1, 10);
    expect(plic.isPending(10)).toBe(false);
    expect(irq(0)).toBe(0n);
    plic.setLevel(10, true);
    expect(irq(0)).toBe(SEIP);
  });

  it("a request is not retracted when the line drops before the claim", () => {
    const { plic, enable, setPriority, claim, irq } = setup();
    setPriority(4, 1);
    enable(0, 4);
    plic.setLevel(4, true);
    plic.setLevel(4, false);
    expect(irq(0)).toBe(MEIP);
    expect(claim(0)).toBe(4);
  });

  it("claims the highest priority first and breaks ties by the lowest ID; ignores the threshold", () => {
    const { plic, enable, setPriority, threshold, claim, complete } = setup();
    for (const [source, priority] of [[3, 1], [5, 2], [40, 2], [60, 7]] as const) {
      setPriority(source, priority);
      enable(1, source);
      plic.setLevel(source, true);
      plic.setLevel(source, false);
    }
    threshold(1, 7); // masks every notification but not claims
    expect(claim(1)).toBe(60);
    expect(claim(1)).toBe(5);
    expect(claim(1)).toBe(40);
    expect(claim(1)).toBe(3);
    expect(claim(1)).toBe(0);
    for (const source of [3, 5, 40, 60]) complete(1, source);
    expect(plic.isPending(3)).toBe(false);
  });

  it("claims only sources enabled for the claiming context", () => {
    const { plic, enable, setPriority, claim } = setup();
    setPriority(8, 1);
    setPriority(9, 1);
    enable(0, 8);
    enable(1, 9);
    plic.setLevel(8, true);
    plic.setLevel(9, true);
    expect(claim(1)).toBe(9);
    expect(claim(1)).toBe(0);
    expect(claim(0)).toBe(8);
  });

  it("ignores a completion for a source not enabled for the context", () => {
    const { plic, enable, disable, setPriority, claim, complete } = setup();
    setPriority(2, 1);
    enable(1, 2);
    plic.setLevel(2, true);
    expect(claim(1)).toBe(2);
    complete(0, 2); // context 0 does not have source 2 enabled
    expect(plic.isInService(2)).toBe(true);
    disable(1, 2);
    complete(1, 2);
    expect(plic.isInService(2)).toBe(true);
    enable(1, 2);
    complete(1, 2);
    expect(plic.isInService(2)).toBe(false);
    complete(1, 0);
    complete(1, 500);
  });

  it("a claim by one hart withdraws the notification from every other context", () => {
    const { plic, enable, setPriority, claim, irq } = setup();
    setPriority(1, 1);
    enable(1, 1);
    enable(3, 1);
    plic.setLevel(1, true);
    expect([irq(0), irq(1)]).toEqual([SEIP, SEIP]);
    expect(claim(3)).toBe(1);
    expect([irq(0), irq(1)]).toEqual([0n, 0n]);
    expect(claim(1)).toBe(0);
  });

  it("a lower-priority source stays visible after the higher one is claimed", () => {
    const { plic, enable, setPriority, claim, irq } = setup();
    setPriority(1, 1);
    setPriority(2, 2);
    enable(1, 1, 2);
    plic.setLevel(1, true);
    plic.setLevel(2, true);
    expect(claim(1)).toBe(2);
    expect(irq(0)).toBe(SEIP);
    expect(claim(1)).toBe(1);
    expect(irq(0)).toBe(0n);
  });
});

describe("PLIC device API", () => {
  it("line() hands a device its wire; unknown sources are rejected", () => {
    const { plic, enable, setPriority, irq } = setup();
    const line = plic.line(33);
    setPriority(33, 1);
    enable(2, 33);
    line.setLevel(true);
    expect(irq(1)).toBe(MEIP);
    expect(() => plic.line(0)).toThrow(RangeError);
    expect(() => plic.setLevel(96, true)).toThrow(RangeError);
    expect(() => new Plic([], { sourceCount: 1024 })).toThrow(RangeError);
  });

  it("a PLIC configured with more sources implements them", () => {
    const state = createTestState(1);
    const plic = new Plic(state.harts, { sourceCount: 1023 });
    plic.write(4 * 1023, 4, 1n);
    expect(plic.read(4 * 1023, 4)).toBe(1n);
    plic.write(PLIC_ENABLE + 4 * 31, 4, 0x8000_0000n);
    plic.setLevel(1023, true);
    expect(state.harts[0]!.read64(H_EXT_IRQ)).toBe(MEIP);
    expect(plic.claim(0)).toBe(1023);
  });

  it("reset clears the registers and notifications; asserted lines become fresh requests", () => {
    const { plic, enable, setPriority, threshold, read, claim, irq } = setup();
    setPriority(10, 1);
    enable(0, 10);
    threshold(0, 0);
    plic.setLevel(10, true);
    plic.setLevel(11, true);
    expect(claim(0)).toBe(10);
    plic.setLevel(11, false);
    expect(irq(0)).toBe(0n);
    setPriority(11, 1);
    enable(0, 11);
    expect(irq(0)).toBe(MEIP);
    plic.reset();
    expect(irq(0)).toBe(0n);
    expect([read(4 * 10), read(PLIC_ENABLE), plic.isInService(10)]).toEqual([0, 0, false]);
    expect(plic.isPending(10)).toBe(true); // line 10 is still high
    expect(plic.isPending(11)).toBe(false);
  });
});
