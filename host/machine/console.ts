// The machine's console plumbing: a byte queue that devices (UART, HTIF) read guest input
// from, fed by a host stream (stdin) or by the embedder; and a buffered output that devices write
// guest output to and that the run loop flushes between slices.

/** Where console devices send the bytes the guest writes. */
export interface ByteSink {
  /** Takes one output byte (0..255). */
  writeByte(byte: number): void;
}

/** Where console devices take the bytes the guest reads. */
export interface ByteSource {
  /** True if a byte is waiting. */
  hasData(): boolean;
  /** Removes and returns the next byte, or undefined if none is waiting. */
  takeByte(): number | undefined;
}

/** Receives flushed guest output (e.g. writes it to process.stdout). */
export type OutputWriter = (data: Uint8Array) => void;

/** Guest output collected byte by byte and handed to a writer in chunks. */
export class ConsoleOutput implements ByteSink {
  private buffer = new Uint8Array(4096);
  private length = 0;
  /** Bytes written since creation. */
  total = 0;

  /** Creates an output that hands its bytes to `writer`. */
  constructor(private readonly writer: OutputWriter) {}

  /** Appends one byte; flushes when the buffer is full. */
  writeByte(byte: number): void {
    if (this.length === this.buffer.length) this.flush();
    this.buffer[this.length++] = byte & 0xff;
    this.total++;
  }

  /** Hands every buffered byte to the writer. */
  flush(): void {
    if (this.length === 0) return;
    const chunk = this.buffer.slice(0, this.length);
    this.length = 0;
    this.writer(chunk);
  }
}

/** Returns an OutputWriter for a Node stream (process.stdout by default). */
export function streamWriter(stream: NodeJS.WritableStream = process.stdout): OutputWriter {
  return (data) => { stream.write(data); };
}

/** Guest input: a FIFO of bytes with a way to await new data; open until the source ends. */
export class ConsoleInput implements ByteSource {
  private chunks: Uint8Array[] = [];
  private head = 0; // read position inside chunks[0]
  private waiters: (() => void)[] = [];
  private stream: NodeJS.ReadableStream | undefined;
  private onData = (chunk: Buffer | string): void => {
    this.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : new Uint8Array(chunk));
  };
  private onEnd = (): void => this.end();
  /** False once the source has ended (no more input can arrive). */
  open: boolean;
  /** Called after new bytes are queued (devices update their interrupt lines). */
  listener: (() => void) | undefined;

  /** Creates an input; `open` says whether more input may arrive (false: no input source). */
  constructor(open = false) {
    this.open = open;
  }

  /** Queues `bytes` for the guest and wakes anyone waiting for input. */
  push(bytes: Uint8Array | string): void {
    const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
    if (data.length > 0) this.chunks.push(data.slice());
    this.listener?.();
    this.wake();
  }

  /** Marks the input as ended (e.g. stdin closed) and wakes anyone waiting. */
  end(): void {
    this.open = false;
    this.wake();
  }

  /** True if a byte is waiting. */
  hasData(): boolean {
    return this.chunks.length > 0;
  }

  /** Number of bytes waiting. */
  pending(): number {
    let n = -this.head;
    for (const c of this.chunks) n += c.length;
    return Math.max(0, n);
  }

  /** Removes and returns the next byte, or undefined if none is waiting. */
  takeByte(): number | undefined {
    const first = this.chunks[0];
    if (!first) return undefined;
    const byte = first[this.head++]!;
    if (this.head >= first.length) {
      this.chunks.shift();
      this.head = 0;
    }
    return byte;
  }

  /**
   * Resolves when new input arrives or the source ends; undefined if no more input can arrive.
   * Bytes already queued do not count: they are the guest's to read, and waking for them again
   * and again would spin while a guest that does not read them sleeps.
   */
  waitForInput(): Promise<void> | undefined {
    if (!this.open) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Reads guest input from `stream` until it ends (call detach() to stop early). */
  attach(stream: NodeJS.ReadableStream): void {
    this.detach();
    this.stream = stream;
    this.open = true;
    stream.on("data", this.onData);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onEnd);
    stream.resume();
  }

  /** Stops reading the attached stream and lets it stop holding the event loop open. */
  detach(): void {
    const stream = this.stream;
    if (!stream) return;
    stream.off("data", this.onData);
    stream.off("end", this.onEnd);
    stream.off("close", this.onEnd);
    stream.off("error", this.onEnd);
    stream.pause();
    (stream as { unref?: () => void }).unref?.();
    this.stream = undefined;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
