// Interactive terminal input for the CLI: raw mode (keys go to the guest as typed, Ctrl-C too)
// with a QEMU-style escape: Ctrl-A x quits, Ctrl-A Ctrl-A sends one Ctrl-A, Ctrl-A followed by
// anything else is dropped.

/** The escape key (Ctrl-A). */
export const ESCAPE_BYTE = 0x01;

/** Result of filtering one chunk of terminal input. */
export interface FilteredInput {
  /** Bytes for the guest. */
  data: Uint8Array;
  /** True if the user typed Ctrl-A x. */
  quit: boolean;
}

/** Strips the Ctrl-A escape sequences out of terminal input. */
export class EscapeFilter {
  private escaped = false;

  /** Filters `chunk`; bytes after a quit request are dropped. */
  filter(chunk: Uint8Array): FilteredInput {
    const out: number[] = [];
    for (const byte of chunk) {
      if (this.escaped) {
        this.escaped = false;
        if (byte === 0x78 || byte === 0x58) return { data: Uint8Array.from(out), quit: true }; // x / X
        if (byte === ESCAPE_BYTE) out.push(ESCAPE_BYTE);
        continue;
      }
      if (byte === ESCAPE_BYTE) this.escaped = true;
      else out.push(byte);
    }
    return { data: Uint8Array.from(out), quit: false };
  }
}

/** A stream that may be a terminal (process.stdin). */
export interface MaybeTerminal extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** True if `stream` is a terminal whose raw mode can be switched. */
export function isTerminal(stream: NodeJS.ReadableStream | null): stream is MaybeTerminal & { setRawMode: (mode: boolean) => unknown } {
  const s = stream as MaybeTerminal | null;
  return !!s && s.isTTY === true && typeof s.setRawMode === "function";
}

/**
 * Puts `terminal` in raw mode and forwards filtered keys to `send`; calls `quit` on Ctrl-A x and
 * `end` when the terminal closes. Returns a function that restores the terminal.
 */
export function attachTerminal(terminal: MaybeTerminal & { setRawMode: (mode: boolean) => unknown },
                               send: (data: Uint8Array) => void, quit: () => void, end: () => void): () => void {
  const filter = new EscapeFilter();
  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : new Uint8Array(chunk);
    const { data, quit: wantsQuit } = filter.filter(bytes);
    if (data.length > 0) send(data);
    if (wantsQuit) quit();
  };
  terminal.setRawMode(true);
  terminal.on("data", onData);
  terminal.on("end", end);
  terminal.resume();
  return () => {
    terminal.off("data", onData);
    terminal.off("end", end);
    terminal.setRawMode(false);
    terminal.pause();
  };
}
