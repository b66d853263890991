// ns16550a UART (QEMU `virt` UART0 at 0x1000_0000, register stride 1 byte).
//
//   offset  DLAB=0 read / write        DLAB=1
//   0       RBR receive / THR transmit DLL divisor latch low
//   1       IER interrupt enable       DLM divisor latch high
//   2       IIR interrupt id / FCR FIFO control
//   3       LCR line control (bit 7 = DLAB)
//   4       MCR modem control (bit 4 = loopback)
//   5       LSR line status
//   6       MSR modem status
//   7       SCR scratch
//
// Transmission is instantaneous: THR is always empty (LSR.THRE and LSR.TEMT always set) and a
// written byte goes straight to the console sink. Reception is polled from the console input
// queue: LSR.DR is set while a byte waits. The host-side queue plays the part of the wire, so
// clearing the receive FIFO (FCR bit 1) does not discard bytes the host has not delivered yet.
// Accesses wider than one byte are split into byte accesses at consecutive offsets, low byte
// first. The interrupt output (IER/IIR logic of the 16550) is computed and exposed through
// interruptPending() and the `onInterrupt` callback; virt.ts wires it to PLIC source 10. As Linux's
// 8250 driver expects, "THR empty" is raised when IER.ETBEI goes from 0 to 1 (the transmitter is
// always empty), cleared by the IIR read that reports it or by clearing ETBEI, and raised again
// by every THR write (the byte leaves at once). Received data raises its interrupt as soon as the
// console input queue holds a byte (the machine calls updateInterrupt() when input arrives).
import type { MmioDevice } from "../machine/bus.js";
import type { ByteSink, ByteSource } from "../machine/console.js";

/** Size of the UART's address range on `virt`. */
export const UART_SIZE = 0x100;
/** PLIC interrupt source of UART0 on `virt`. */
export const UART_IRQ = 10;

/** Register offsets. */
export const UART_RBR = 0, UART_THR = 0, UART_DLL = 0, UART_IER = 1, UART_DLM = 1, UART_IIR = 2, UART_FCR = 2,
  UART_LCR = 3, UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7;

/** IER bits. */
export const IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08;
/** IIR values (bit 0 set = no interrupt pending; bits 6-7 set when FIFOs are enabled). */
export const IIR_NONE = 0x01, IIR_MSI = 0x00, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_RLSI = 0x06, IIR_FIFO = 0xc0;
/** FCR bits. */
export const FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02, FCR_CLEAR_TX = 0x04;
/** LCR bits. */
export const LCR_DLAB = 0x80;
/** MCR bits. */
export const MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10;
/** LSR bits. */
export const LSR_DR = 0x01, LSR_OE = 0x02, LSR_PE = 0x04, LSR_FE = 0x08, LSR_BI = 0x10, LSR_THRE = 0x20,
  LSR_TEMT = 0x40, LSR_FIFO_ERROR = 0x80;
/** MSR bits. */
export const MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08, MSR_CTS = 0x10, MSR_DSR = 0x20,
  MSR_RI = 0x40, MSR_DCD = 0x80;

const EMPTY_SOURCE: ByteSource = { hasData: () => false, takeByte: () => undefined };

/** A 16550A-compatible UART with an always-ready transmitter and polled receiver. */
export class Uart16550 implements MmioDevice {
  readonly name: string;
  /** Called with the new level whenever the interrupt output changes. */
  onInterrupt: ((level: boolean) => void) | undefined;
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 0x0c; // 9600 baud at 1.8432 MHz, an arbitrary but common reset choice
  private dlm = 0;
  private fifoEnabled = false;
  private thrInterrupt = false; // "THR empty" interrupt latched, cleared by IIR read or THR write
  private msrDelta = 0;
  private loopQueue: number[] = [];
  private level = false;

  /** Creates a UART that writes to `output` and reads from `input`. */
  constructor(private readonly output: ByteSink, private readonly input: ByteSource = EMPTY_SOURCE, name = "uart0") {
    this.name = name;
  }

  /** Reads `size` bytes from consecutive registers starting at `offset`. */
  read(offset: number, size: number): bigint {
    if (size === 1) return BigInt(this.readRegister(offset));
    let value = 0n;
    for (let i = 0; i < size; i++) value |= BigInt(this.readRegister(offset + i)) << BigInt(8 * i);
    return value;
  }

  /** Writes `size` bytes to consecutive registers starting at `offset`. */
  write(offset: number, size: number, value: bigint): boolean {
    if (size === 1) this.writeRegister(offset, Number(value & 0xffn));
    else for (let i = 0; i < size; i++) this.writeRegister(offset + i, Number((value >> BigInt(8 * i)) & 0xffn));
    return true;
  }

  /** Returns every register to its power-on value (a machine reset); queued input stays. */
  reset(): void {
    this.ier = 0; this.lcr = 0; this.mcr = 0; this.scr = 0; this.dll = 0x0c; this.dlm = 0;
    this.fifoEnabled = false; this.thrInterrupt = false; this.msrDelta = 0; this.loopQueue = [];
    this.updateInterrupt();
  }

  /** True while the UART asserts its interrupt output (IIR bit 0 clear). */
  interruptPending(): boolean {
    return (this.interruptIdentification() & IIR_NONE) === 0;
  }

  /** Re-evaluates the interrupt output (call after input arrives) and reports a change. */
  updateInterrupt(): void {
    const level = this.interruptPending();
    if (level !== this.level) {
      this.level = level;
      this.onInterrupt?.(level);
    }
  }

  /** Reads one register with the 16550's side effects. */
  readRegister(offset: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    let value: number;
    switch (offset) {
      case UART_RBR:
        value = dlab ? this.dll : this.receive();
        break;
      case UART_IER:
        value = dlab ? this.dlm : this.ier;
        break;
      case UART_IIR: {
        const id = this.interruptIdentification();
        // Reading IIR while it reports "THR empty" clears that interrupt.
        if ((id & 0x0f) === IIR_THRI) this.thrInterrupt = false;
        value = id | (this.fifoEnabled ? IIR_FIFO : 0);
        break;
      }
      case UART_LCR: value = this.lcr; break;
      case UART_MCR: value = this.mcr; break;
      case UART_LSR: value = this.lineStatus(); break;
      case UART_MSR:
        value = this.modemStatus() | this.msrDelta;
        this.msrDelta = 0;
        break;
      case UART_SCR: value = this.scr; break;
      default: value = 0;
    }
    this.updateInterrupt();
    return value;
  }

  /** Writes one register with the 16550's side effects. */
  writeRegister(offset: number, value: number): void {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case UART_THR:
        if (dlab) this.dll = value;
        else this.transmit(value);
        break;
      case UART_IER:
        if (dlab) {
          this.dlm = value;
        } else {
          const enablingThr = (value & IER_THRI) !== 0 && (this.ier & IER_THRI) === 0;
          this.ier = value & 0x0f;
          // The transmitter is always empty, so enabling its interrupt raises it at once.
          if (enablingThr) this.thrInterrupt = true;
          if ((this.ier & IER_THRI) === 0) this.thrInterrupt = false;
        }
        break;
      case UART_FCR:
        this.fifoEnabled = (value & FCR_ENABLE) !== 0;
        if (value & FCR_CLEAR_RX) this.loopQueue = [];
        break;
      case UART_LCR: this.lcr = value; break;
      case UART_MCR: {
        const before = this.modemStatus();
        this.mcr = value & 0x1f;
        this.recordModemChange(before, this.modemStatus());
        break;
      }
      case UART_LSR: break; // factory test register: writes ignored
      case UART_MSR: break;
      case UART_SCR: this.scr = value; break;
      default: break;
    }
    this.updateInterrupt();
  }

  /** The 16550's interrupt identification (IIR bits 0-3), by priority. */
  private interruptIdentification(): number {
    const lsr = this.lineStatus();
    if ((this.ier & IER_RLSI) && (lsr & (LSR_OE | LSR_PE | LSR_FE | LSR_BI))) return IIR_RLSI;
    if ((this.ier & IER_RDI) && (lsr & LSR_DR)) return IIR_RDI;
    if ((this.ier & IER_THRI) && this.thrInterrupt) return IIR_THRI;
    if ((this.ier & IER_MSI) && (this.msrDelta & 0x0f)) return IIR_MSI;
    return IIR_NONE;
  }

  private lineStatus(): number {
    return LSR_THRE | LSR_TEMT | (this.dataReady() ? LSR_DR : 0);
  }

  private modemStatus(): number {
    if (this.mcr & MCR_LOOP) {
      // Loopback: the modem inputs follow the modem outputs.
      return ((this.mcr & MCR_RTS) ? MSR_CTS : 0) | ((this.mcr & MCR_DTR) ? MSR_DSR : 0) |
        ((this.mcr & MCR_OUT1) ? MSR_RI : 0) | ((this.mcr & MCR_OUT2) ? MSR_DCD : 0);
    }
    return MSR_DCD | MSR_DSR | MSR_CTS; // a terminal is always connected
  }

  private recordModemChange(before: number, after: number): void {
    const changed = before ^ after;
    if (changed & MSR_CTS) this.msrDelta |= MSR_DCTS;
    if (changed & MSR_DSR) this.msrDelta |= MSR_DDSR;
    if (changed & MSR_DCD) this.msrDelta |= MSR_DDCD;
    if ((before & MSR_RI) && !(after & MSR_RI)) this.msrDelta |= MSR_TERI; // trailing edge of RI
  }

  private dataReady(): boolean {
    return (this.mcr & MCR_LOOP) ? this.loopQueue.length > 0 : this.input.hasData();
  }

  private receive(): number {
    if (this.mcr & MCR_LOOP) return this.loopQueue.shift() ?? 0;
    return this.input.takeByte() ?? 0;
  }

  private transmit(byte: number): void {
    if (this.mcr & MCR_LOOP) this.loopQueue.push(byte);
    else this.output.writeByte(byte);
    // The byte leaves at once, so THR is empty again and its interrupt re-arms.
    this.thrInterrupt = true;
  }
}
