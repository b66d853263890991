// virtio-console (virtio spec §5.3 "Console Device"), device id 3, port 0 only
// (VIRTIO_CONSOLE_F_MULTIPORT is not offered, so there are no control queues):
//   queue 0  receiveq(port0):  device-writable buffers the device fills with guest input
//   queue 1  transmitq(port0): device-readable buffers of guest output, sent to the sink
//
// Input: the host side is a ByteSource (the machine's ConsoleInput, or any queue of bytes).
// Bytes move into the receiveq when the driver adds buffers (a receiveq notification) and when
// the embedder calls receiveInput() after new bytes arrive; a buffer is only consumed when
// there is input for it, and is returned with the number of bytes written. Bytes that arrive
// while the driver has no buffer posted wait in the source.
//
// Output: every byte of every device-readable buffer goes to the ByteSink in order; the buffer
// is returned with length 0 (§5.3.6: nothing written). Device-writable buffers in the
// transmitq (a driver error, §5.3.6.1) are returned untouched.
//
// Configuration (§5.3.4): struct virtio_console_config { le16 cols; le16 rows;
// le32 max_nr_ports; le32 emerg_wr; }. With a size option the device offers
// VIRTIO_CONSOLE_F_SIZE and resize() updates cols/rows with a configuration change
// notification. VIRTIO_CONSOLE_F_EMERG_WRITE is offered: a write to emerg_wr sends its low byte
// to the sink at any time, even before the driver has set the device up (§5.3.5.1).
import type { ByteSink, ByteSource } from "../machine/console.js";
import { BaseVirtioDevice, isValidQueueSize, VirtioError, VIRTIO_ID_CONSOLE, type VirtioDeviceContext } from "./device.js";
import type { DescriptorChain } from "./queue.js";
import { registerVirtioDevice } from "./registry.js";

/** Feature: cols and rows in the configuration space are valid. */
export const VIRTIO_CONSOLE_F_SIZE = 1n << 0n;
/** Feature: multiple ports and control queues (not offered). */
export const VIRTIO_CONSOLE_F_MULTIPORT = 1n << 1n;
/** Feature: emergency write through emerg_wr. */
export const VIRTIO_CONSOLE_F_EMERG_WRITE = 1n << 2n;

/** Queue indices of port 0. */
export const CONSOLE_RECEIVE_QUEUE = 0, CONSOLE_TRANSMIT_QUEUE = 1;
/** Configuration space offsets. */
export const CONSOLE_CONFIG_COLS = 0, CONSOLE_CONFIG_ROWS = 2, CONSOLE_CONFIG_MAX_NR_PORTS = 4,
  CONSOLE_CONFIG_EMERG_WR = 8;
/** Bytes of configuration space. */
export const CONSOLE_CONFIG_SIZE = 12;
/** Default queue size. */
export const CONSOLE_DEFAULT_QUEUE_SIZE = 128;

/** A console window size. */
export interface ConsoleSize {
  /** Columns (1..65535). */
  columns: number;
  /** Rows (1..65535). */
  rows: number;
}

/** Options of a virtio-console device. */
export interface ConsoleDeviceOptions {
  /** Where guest output goes. */
  output: ByteSink;
  /** Where guest input comes from (default: no input). */
  input?: ByteSource;
  /** Offer VIRTIO_CONSOLE_F_SIZE with this initial size (default: not offered). */
  size?: ConsoleSize;
  /** Maximum size of both queues, a power of two (default 128). */
  queueSize?: number;
}

const NO_INPUT: ByteSource = { hasData: () => false, takeByte: () => undefined };

/** A single-port virtio console. */
export class ConsoleDevice extends BaseVirtioDevice {
  readonly name = "virtio-console";
  readonly deviceId = VIRTIO_ID_CONSOLE;
  readonly deviceFeatures: bigint;
  readonly queueMaxSizes: readonly number[];
  /** Bytes sent to the sink (transmitq and emerg_wr). */
  bytesTransmitted = 0;
  /** Bytes delivered into receive buffers. */
  bytesReceived = 0;
  private readonly output: ByteSink;
  private readonly input: ByteSource;

  /** Creates the console; VirtioError for a bad queue size or window size. */
  constructor(options: ConsoleDeviceOptions) {
    super(CONSOLE_CONFIG_SIZE);
    const queueSize = options.queueSize ?? CONSOLE_DEFAULT_QUEUE_SIZE;
    if (!isValidQueueSize(queueSize)) {
      throw new VirtioError(`virtio-console queue size must be a power of two from 1 to 32768 (got ${queueSize})`);
    }
    this.output = options.output;
    this.input = options.input ?? NO_INPUT;
    this.queueMaxSizes = [queueSize, queueSize];
    let features = VIRTIO_CONSOLE_F_EMERG_WRITE;
    if (options.size) {
      features |= VIRTIO_CONSOLE_F_SIZE;
      this.storeSize(options.size);
    }
    this.deviceFeatures = features;
  }

  /** Starts the console and delivers any input that is already waiting. */
  override activate(context: VirtioDeviceContext): void {
    super.activate(context);
    this.receiveInput();
  }

  /** Serves the receiveq (new buffers for waiting input) or the transmitq (output). */
  onNotify(index: number): void {
    if (index === CONSOLE_RECEIVE_QUEUE) this.receiveInput();
    else if (index === CONSOLE_TRANSMIT_QUEUE) this.serviceQueue(CONSOLE_TRANSMIT_QUEUE, (chain) => this.transmit(chain));
  }

  /** Moves waiting input into posted receive buffers (call when input arrives); returns bytes moved. */
  receiveInput(): number {
    const before = this.bytesReceived;
    if (this.context && this.input.hasData()) {
      this.serviceQueue(CONSOLE_RECEIVE_QUEUE, (chain) => this.receive(chain), () => this.input.hasData());
    }
    return this.bytesReceived - before;
  }

  /** Changes the window size (VIRTIO_CONSOLE_F_SIZE only) and notifies the driver. */
  resize(size: ConsoleSize): void {
    if ((this.deviceFeatures & VIRTIO_CONSOLE_F_SIZE) === 0n) {
      throw new VirtioError("virtio-console was created without a size; it cannot be resized");
    }
    this.storeSize(size);
    this.announceConfigChange();
  }

  /** emerg_wr: the low byte goes to the sink, whatever the device's state. */
  override writeConfig(offset: number, size: number, value: bigint): void {
    if (offset === CONSOLE_CONFIG_EMERG_WR && size >= 1) {
      this.output.writeByte(Number(value & 0xffn));
      this.bytesTransmitted++;
    }
  }

  /** Fills one receive buffer from the input; returns the bytes written. */
  private receive(chain: DescriptorChain): number {
    const writer = chain.writer();
    const chunk = new Uint8Array(writer.remaining);
    let count = 0;
    while (count < chunk.length) {
      const byte = this.input.takeByte();
      if (byte === undefined) break;
      chunk[count++] = byte;
    }
    writer.write(chunk.subarray(0, count));
    this.bytesReceived += count;
    return count;
  }

  /** Sends one transmit buffer's readable bytes to the sink; returns 0 (nothing written). */
  private transmit(chain: DescriptorChain): number {
    for (const span of chain.readable) {
      for (let i = 0; i < span.length; i++) this.output.writeByte(span[i]!);
      this.bytesTransmitted += span.length;
    }
    return 0;
  }

  private storeSize(size: ConsoleSize): void {
    for (const [what, value] of [["columns", size.columns], ["rows", size.rows]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 0xffff) {
        throw new VirtioError(`virtio-console ${what} must be 1..65535 (got ${value})`);
      }
    }
    this.setConfig16(CONSOLE_CONFIG_COLS, size.columns);
    this.setConfig16(CONSOLE_CONFIG_ROWS, size.rows);
  }
}

/** Creates a virtio-console device writing to `options.output`, reading `options.input`. */
export function createConsoleDevice(options: ConsoleDeviceOptions): ConsoleDevice {
  return new ConsoleDevice(options);
}

declare module "./registry.js" {
  interface VirtioDeviceOptionsMap {
    console: ConsoleDeviceOptions;
  }
}

registerVirtioDevice({
  name: "console",
  description: "virtio-console with one port (hvc0), output to a sink, input from a source",
  create: createConsoleDevice,
});
