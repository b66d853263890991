import { describe, expect, it } from "vitest";
import {
  Uart16550, UART_DLL, UART_DLM, UART_FCR, UART_IER, UART_IIR, UART_LCR, UART_LSR, UART_MCR, UART_MSR, UART_RBR,
  UART_SCR, UART_THR, IER_RDI, IER_THRI, IER_RLSI, IIR_NONE, IIR_RDI, IIR_THRI, IIR_FIFO, LCR_DLAB, LSR_DR,
  LSR_THRE, LSR_TEMT, MCR_LOOP, MCR_DTR, MCR_RTS, MCR_OUT1, MCR_OUT2, MSR_CTS, MSR_DSR, MSR_DCD, MSR_RI, IER_MSI,
} from "../../host/devices/uart16550.js";
import { ConsoleInput } from "../../host/machine/console.js";

function setup() {
  const out: number[] = [];
  const input = new ConsoleInput(true);
  const uart = new Uart16550({ writeByte: (b) => out.push(b) }, input);
  const levels: boolean[] = [];
  uart.onInterrupt = (level) => levels.push(level);
  input.listener = () => uart.updateInterrupt();
  const rd = (reg: number) => Number(uart.read(reg, 1));
  const wr = (reg: number, v: number) => uart.write(reg, 1, BigInt(v));
  return { uart, out, input, levels, rd, wr };
}

describe("16550 transmit and line status", () => {
  it("THR writes go to the sink and LSR always shows THRE|TEMT", () => {
    const { out, rd, wr } = setup();
    expect(rd(UART_LSR)).toBe(LSR_THRE | LSR_TEMT);
    for (const c of "ok\n") wr(UART_THR, c.charCodeAt(0));
    expect(String.fromCharCode(...out)).toBe("ok\n");
    expect(rd(UART_LSR) & (LSR_THRE | LSR_TEMT)).toBe(LSR_THRE | LSR_TEMT);
  });

  it("LSR.DR follows the input queue and RBR pops bytes in order", () => {
    const { input, rd } = setup();
    expect(rd(UART_LSR) & LSR_DR).toBe(0);
    expect(rd(UART_RBR)).toBe(0);
    input.push("ab");
    expect(rd(UART_LSR) & LSR_DR).toBe(LSR_DR);
    expect(rd(UART_RBR)).toBe(0x61);
    expect(rd(UART_RBR)).toBe(0x62);
    expect(rd(UART_LSR) & LSR_DR).toBe(0);
  });

  it("scratch register holds a value", () => {
    const { rd, wr } = setup();
    wr(UART_SCR, 0xa5);
    expect(rd(UART_SCR)).toBe(0xa5);
  });
});

describe("16550 divisor latch (DLAB)", () => {
  it("with LCR.DLAB set, offsets 0 and 1 are DLL and DLM, not THR/IER", () => {
    const { out, rd, wr } = setup();
    wr(UART_IER, IER_RDI);
    wr(UART_LCR, LCR_DLAB | 0x03);
    wr(UART_DLL, 0x01);
    wr(UART_DLM, 0x02);
    expect(out).toEqual([]); // not transmitted
    expect(rd(UART_DLL)).toBe(0x01);
    expect(rd(UART_DLM)).toBe(0x02);
    expect(rd(UART_LCR)).toBe(LCR_DLAB | 0x03);
    wr(UART_LCR, 0x03);
    expect(rd(UART_IER)).toBe(IER_RDI); // IER untouched by the DLM write
    wr(UART_THR, 0x41);
    expect(out).toEqual([0x41]);
    wr(UART_LCR, LCR_DLAB);
    expect(rd(UART_DLL)).toBe(0x01); // latch kept
  });

  it("reading offset 0 with DLAB set does not consume input", () => {
    const { input, rd, wr } = setup();
    input.push("x");
    wr(UART_LCR, LCR_DLAB);
    rd(UART_RBR);
    wr(UART_LCR, 0);
    expect(rd(UART_RBR)).toBe(0x78);
  });
});

describe("16550 interrupts (IER/IIR)", () => {
  it("IIR reads 'none' with no enabled source; FIFO bits follow FCR", () => {
    const { rd, wr, uart } = setup();
    expect(rd(UART_IIR)).toBe(IIR_NONE);
    wr(UART_FCR, 0x07);
    expect(rd(UART_IIR)).toBe(IIR_NONE | IIR_FIFO);
    wr(UART_FCR, 0x00);
    expect(rd(UART_IIR)).toBe(IIR_NONE);
    expect(uart.interruptPending()).toBe(false);
  });

  it("received data raises IIR_RDI when enabled, until the byte is read", () => {
    const { rd, wr, input, uart, levels } = setup();
    input.push("z");
    expect(uart.interruptPending()).toBe(false); // not enabled yet
    wr(UART_IER, IER_RDI);
    expect(uart.interruptPending()).toBe(true);
    expect(rd(UART_IIR) & 0x0f).toBe(IIR_RDI);
    expect(rd(UART_IIR) & 0x0f).toBe(IIR_RDI); // reading IIR does not clear it
    rd(UART_RBR);
    expect(rd(UART_IIR) & 0x0f).toBe(IIR_NONE);
    expect(levels).toEqual([true, false]);
  });

  it("input arriving while enabled raises the line through the input listener", () => {
    const { wr, input, levels } = setup();
    wr(UART_IER, IER_RDI);
    input.push("q");
    expect(levels).toEqual([true]);
  });

  it("enabling the THR-empty interrupt raises it; reading IIR clears it; a THR write re-arms it", () => {
    const { rd, wr, uart } = setup();
    wr(UART_IER, IER_THRI);
    expect(uart.interruptPending()).toBe(true);
    expect(rd(UART_IIR) & 0x0f).toBe(IIR_THRI);
    expect(rd(UART_IIR) & 0x0f).toBe(IIR_NONE); // cleared by the read that reported it
    wr(UART_THR, 0x20);
    expect(rd(UART_IIR) & 0x0f).toBe(IIR_THRI);
    wr(UART_IER, 0);
    expect(uart.interruptPending()).toBe(false);
  });

  it("received data has priority over THR empty", () => {
    const { rd, wr, input } = setup();
    wr(UART_IER, IER_THRI | IER_RDI | IER_RLSI);
    input.push("k");
    expect(rd(UART_IIR) & 0x0f).toBe(IIR_RDI);
    rd(UART_RBR);
    expect(rd(UART_IIR) & 0x0f).toBe(IIR_THRI);
  });

  it("IER keeps only its four defined bits", () => {
    const { rd, wr } = setup();
    wr(UART_IER, 0xff);
    expect(rd(UART_IER)).toBe(0x0f);
  });
});

describe("16550 modem control, loopback and wide accesses", () => {
  it("MSR reports a connected terminal; MCR is readable", () => {
    const { rd, wr } = setup();
    expect(rd(UART_MSR) & 0xf0).toBe(MSR_DCD | MSR_DSR | MSR_CTS);
    wr(UART_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
    expect(rd(UART_MCR)).toBe(MCR_DTR | MCR_RTS | MCR_OUT2);
  });

  it("loopback returns transmitted bytes to the receiver and mirrors MCR in MSR", () => {
    const { out, rd, wr } = setup();
    wr(UART_MCR, MCR_LOOP | MCR_OUT1);
    expect(rd(UART_MSR) & 0xf0).toBe(MSR_RI);
    wr(UART_THR, 0x55);
    expect(out).toEqual([]);
    expect(rd(UART_LSR) & LSR_DR).toBe(LSR_DR);
    expect(rd(UART_RBR)).toBe(0x55);
    wr(UART_MCR, MCR_LOOP | MCR_DTR | MCR_RTS | MCR_OUT2);
    expect(rd(UART_MSR) & 0xf0).toBe(MSR_CTS | MSR_DSR | MSR_DCD);
  });

  it("modem-status changes in loopback set the delta bits and the MSI interrupt", () => {
    const { rd, wr, uart } = setup();
    wr(UART_MCR, MCR_LOOP);
    rd(UART_MSR); // clear deltas of entering loopback
    wr(UART_IER, IER_MSI);
    wr(UART_MCR, MCR_LOOP | MCR_RTS); // CTS rises
    expect(uart.interruptPending()).toBe(true);
    expect(rd(UART_IIR) & 0x0f).toBe(0x00);
    expect(rd(UART_MSR) & 0x0f).toBe(0x01); // DCTS
    expect(uart.interruptPending()).toBe(false);
  });

  it("a 4-byte access touches four consecutive registers", () => {
    const { uart, rd } = setup();
    uart.write(UART_LCR, 4, 0x00_00_03_00n); // LCR=0x00 MCR=0x03 LSR, MSR (writes ignored)
    uart.write(UART_MSR, 2, 0xa1_00n); // MSR (ignored) SCR=0xa1
    expect(rd(UART_MCR)).toBe(0x03);
    expect(rd(UART_SCR)).toBe(0xa1);
    const v = uart.read(UART_LSR, 2);
    expect(Number(v & 0xffn) & LSR_THRE).toBe(LSR_THRE);
  });

  it("reset restores power-on registers", () => {
    const { uart, rd, wr } = setup();
    wr(UART_IER, 0x0f); wr(UART_LCR, 0x83); wr(UART_SCR, 1);
    uart.reset();
    expect([rd(UART_IER), rd(UART_LCR), rd(UART_SCR)]).toEqual([0, 0, 0]);
  });
});
