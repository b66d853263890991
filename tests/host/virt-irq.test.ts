// Interrupt wiring of the `virt` board (host/machine/virt.ts): UART0 → PLIC source 10 and the
// goldfish RTC → PLIC source 11, through to MEIP/SEIP in the hart blocks; the 16550 interrupt
// sequences Linux's 8250 driver performs; and the run loop's use of the RTC alarm and resets.
import { describe, expect, it } from "vitest";
import { EXIT_BUDGET, EXIT_STOP, EXIT_WFI } from "../../host/core/layout.generated.js";
import { PLIC_CLAIM, PLIC_CONTEXT, PLIC_CONTEXT_STRIDE, PLIC_ENABLE, PLIC_ENABLE_STRIDE } from "../../host/devices/plic.js";
import { RTC_ALARM_HIGH, RTC_ALARM_LOW, RTC_CLEAR_INTERRUPT, RTC_IRQ_ENABLED, RTC_TIME_LOW } from "../../host/devices/rtc.js";
import { IER_RDI, IER_THRI, IIR_NONE, IIR_RDI, IIR_THRI, UART_IER, UART_IIR, UART_RBR, UART_THR } from "../../host/devices/uart16550.js";
import { Machine } from "../../host/machine/machine.js";
import { VIRT_PLIC_BASE, VIRT_RTC_BASE, VIRT_RTC_IRQ, VIRT_UART0_BASE, VIRT_UART0_IRQ } from "../../host/machine/virt.js";
import { collector, scriptedCore, type Script } from "./helpers.js";

const MEIP = 1n << 11n, SEIP = 1n << 9n;
const SUPERVISOR_CONTEXT = 1, MACHINE_CONTEXT = 0;

async function board(script: Script = () => EXIT_BUDGET, options: { rtcEpochSeconds?: number } = {}) {
  const out = collector();
  const machine = await Machine.create({
    memorySize: 1 << 20, output: out.write, interactive: true, coreFactory: scriptedCore(script), ...options,
  });
  await machine.loadRaw(new Uint8Array([0x13, 0, 0, 0]));
  const bus = machine.board.bus;
  const read = (address: number, size = 4) => Number(bus.read(0, address, size));
  const write = (address: number, value: number, size = 4) => expect(bus.write(0, address, size, BigInt(value >>> 0))).toBe(true);
  const uartRead = (register: number) => read(VIRT_UART0_BASE + register, 1);
  const uartWrite = (register: number, value: number) => write(VIRT_UART0_BASE + register, value, 1);
  const plicEnable = (context: number, source: number) => {
    write(VIRT_PLIC_BASE + 4 * source, 1);
    const offset = VIRT_PLIC_BASE + PLIC_ENABLE + PLIC_ENABLE_STRIDE * context + 4 * (source >>> 5);
    write(offset, read(offset) | (1 << (source & 31)));
  };
  const claim = (context: number) => read(VIRT_PLIC_BASE + PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * context + PLIC_CLAIM);
  const complete = (context: number, source: number) =>
    write(VIRT_PLIC_BASE + PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * context + PLIC_CLAIM, source);
  const irq = () => machine.harts[0]!.externalInterrupts;
  return { machine, out, read, write, uartRead, uartWrite, plicEnable, claim, complete, irq };
}

describe("virt board: UART0 interrupts through the PLIC", () => {
  it("maps the PLIC and RTC on the bus", async () => {
    const { machine } = await board();
    const names = machine.board.bus.mappings().map((m) => [m.name, m.base]);
    expect(names).toContainEqual(["plic", VIRT_PLIC_BASE]);
    expect(names).toContainEqual(["rtc", VIRT_RTC_BASE]);
    expect([VIRT_UART0_IRQ, VIRT_RTC_IRQ]).toEqual([10, 11]);
    machine.dispose();
  });

  it("passes the 8250 driver's THRE start-up test (IIR reports THRI twice)", async () => {
    const { machine, uartRead, uartWrite } = await board();
    uartWrite(UART_IER, IER_THRI);
    const iir1 = uartRead(UART_IIR);
    uartWrite(UART_IER, 0);
    uartWrite(UART_IER, IER_THRI);
    const iir = uartRead(UART_IIR);
    uartWrite(UART_IER, 0);
    expect(iir1 & 0x0f).toBe(IIR_THRI);
    expect(iir & IIR_NONE).toBe(0); // not UART_BUG_THRE
    machine.dispose();
  });

  it("terminal input raises RX data available on source 10 and SEIP; reading RBR ends it", async () => {
    const { machine, uartRead, uartWrite, plicEnable, claim, complete, irq } = await board();
    plicEnable(SUPERVISOR_CONTEXT, VIRT_UART0_IRQ);
    uartWrite(UART_IER, IER_RDI);
    expect(irq()).toBe(0n);
    machine.sendInput("hi");
    expect(irq()).toBe(SEIP);
    expect(claim(SUPERVISOR_CONTEXT)).toBe(VIRT_UART0_IRQ);
    expect(irq()).toBe(0n);
    expect(uartRead(UART_IIR) & 0x0f).toBe(IIR_RDI);
    expect(String.fromCharCode(uartRead(UART_RBR), uartRead(UART_RBR))).toBe("hi");
    expect(uartRead(UART_IIR) & 0x0f).toBe(IIR_NONE);
    complete(SUPERVISOR_CONTEXT, VIRT_UART0_IRQ);
    expect(irq()).toBe(0n);
    machine.sendInput("!");
    expect(irq()).toBe(SEIP);
    machine.dispose();
  });

  it("THRE interrupts follow the driver's transmit cycle: IIR read clears, THR write re-arms", async () => {
    const { machine, out, uartRead, uartWrite, plicEnable, claim, complete, irq } = await board();
    plicEnable(SUPERVISOR_CONTEXT, VIRT_UART0_IRQ);
    uartWrite(UART_IER, IER_RDI | IER_THRI); // start_tx
    expect(irq()).toBe(SEIP);
    // First interrupt: the handler reads IIR (clearing THRE) and fills the FIFO (re-arming it).
    expect(claim(SUPERVISOR_CONTEXT)).toBe(VIRT_UART0_IRQ);
    expect(uartRead(UART_IIR) & 0x0f).toBe(IIR_THRI);
    for (const c of "ab") uartWrite(UART_THR, c.charCodeAt(0));
    complete(SUPERVISOR_CONTEXT, VIRT_UART0_IRQ);
    expect(irq()).toBe(SEIP); // the line is high again: a new request at completion
    // Second interrupt: nothing left to send, so the driver clears IER.THRI (stop_tx).
    expect(claim(SUPERVISOR_CONTEXT)).toBe(VIRT_UART0_IRQ);
    expect(uartRead(UART_IIR) & 0x0f).toBe(IIR_THRI);
    uartWrite(UART_IER, IER_RDI);
    complete(SUPERVISOR_CONTEXT, VIRT_UART0_IRQ);
    expect(irq()).toBe(0n);
    expect(claim(SUPERVISOR_CONTEXT)).toBe(0);
    machine.board.uart.reset();
    machine.dispose();
    expect(out.text()).toBe("");
  });

  it("with two harts, the contexts of hart 1 drive hart 1's bits only", async () => {
    const machine = await Machine.create({ memorySize: 1 << 20, harts: 2, output: () => {}, coreFactory: scriptedCore(() => EXIT_BUDGET) });
    const bus = machine.board.bus;
    bus.write(0, VIRT_PLIC_BASE + 4 * VIRT_UART0_IRQ, 4, 1n);
    bus.write(0, VIRT_PLIC_BASE + PLIC_ENABLE + PLIC_ENABLE_STRIDE * 3, 4, 1n << BigInt(VIRT_UART0_IRQ)); // hart 1, S-mode
    bus.write(0, VIRT_UART0_BASE + UART_IER, 1, BigInt(IER_THRI));
    expect(machine.harts.map((h) => h.externalInterrupts)).toEqual([0n, SEIP]);
    expect(bus.read(1, VIRT_PLIC_BASE + PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * 3 + PLIC_CLAIM, 4)).toBe(BigInt(VIRT_UART0_IRQ));
    expect(machine.harts.map((h) => h.externalInterrupts)).toEqual([0n, 0n]);
    machine.dispose();
  });

  it("a machine reset clears the PLIC and the MEIP/SEIP bits", async () => {
    let call = 0;
    const { machine, uartWrite, plicEnable, irq } = await board((ctx) => {
      ctx.retire(1);
      if (call++ === 0) {
        ctx.imports.mmio_write(0, 0x10_0000n, 4, 0x7777n); // syscon reset
        return EXIT_STOP;
      }
      expect(ctx.hart.externalInterrupts).toBe(0n);
      ctx.imports.mmio_write(0, 0x10_0000n, 4, 0x5555n);
      return EXIT_STOP;
    });
    plicEnable(MACHINE_CONTEXT, VIRT_UART0_IRQ);
    uartWrite(UART_IER, IER_THRI);
    expect(irq()).toBe(MEIP);
    expect(await machine.run()).toMatchObject({ reason: "poweroff" });
    expect(machine.stats().resets).toBe(1);
    expect(machine.board.plic.isPending(VIRT_UART0_IRQ)).toBe(false); // UART reset lowered the line
    machine.dispose();
  });
});

describe("virt board: goldfish RTC", () => {
  it("is reachable on the bus with the deterministic epoch of the machine options", async () => {
    const { machine, read } = await board(undefined, { rtcEpochSeconds: 1_000 });
    const low = read(VIRT_RTC_BASE + RTC_TIME_LOW) >>> 0;
    const high = read(VIRT_RTC_BASE + 4) >>> 0;
    expect((BigInt(high) << 32n) | BigInt(low)).toBe(1_000n * 1_000_000_000n);
    machine.dispose();
    await expect(Machine.create({ rtcEpochSeconds: -1, coreFactory: scriptedCore(() => EXIT_BUDGET) })).rejects.toThrow(/RTC epoch/);
  });

  it("an alarm wakes harts idling in WFI: the idle loop jumps to it and MEIP rises", async () => {
    const epoch = 1_000n * 1_000_000_000n;
    const alarm = epoch + 2_000_000_000n; // two seconds in
    let call = 0;
    const { machine } = await board((ctx) => {
      const write = (address: number, value: bigint) => ctx.imports.mmio_write(0, BigInt(address), 4, value);
      ctx.retire(1);
      if (call++ === 0) {
        write(VIRT_PLIC_BASE + 4 * VIRT_RTC_IRQ, 1n);
        write(VIRT_PLIC_BASE + PLIC_ENABLE, 1n << BigInt(VIRT_RTC_IRQ));
        write(VIRT_RTC_BASE + RTC_ALARM_HIGH, alarm >> 32n);
        write(VIRT_RTC_BASE + RTC_ALARM_LOW, alarm & 0xffff_ffffn);
        write(VIRT_RTC_BASE + RTC_IRQ_ENABLED, 1n);
        return EXIT_WFI;
      }
      expect(ctx.machine.mtime).toBeGreaterThanOrEqual(20_000_000n);
      expect(ctx.hart.externalInterrupts & MEIP).toBe(MEIP);
      expect(ctx.imports.mmio_read(0, BigInt(VIRT_PLIC_BASE + PLIC_CONTEXT + PLIC_CLAIM), 4)).toBe(BigInt(VIRT_RTC_IRQ));
      write(VIRT_RTC_BASE + RTC_CLEAR_INTERRUPT, 1n);
      write(VIRT_PLIC_BASE + PLIC_CONTEXT + PLIC_CLAIM, BigInt(VIRT_RTC_IRQ));
      expect(ctx.hart.externalInterrupts).toBe(0n);
      write(0x10_0000, 0x5555n);
      return EXIT_STOP;
    }, { rtcEpochSeconds: 1_000 });
    expect(machine.nextTimerDeadline()).toBeUndefined();
    expect(await machine.run()).toMatchObject({ reason: "poweroff", exitCode: 0 });
    expect(machine.clock.now()).toBe(20_000_000n);
    machine.dispose();
  });
});
