// Micro benchmarks (tinybench): instruction decode, soft-TLB hits and fills, and a device
// register access through the host's bus. The loops run inside the core, so the figures are
// per operation of the core's hot path, not of the JS-to-wasm call.
import { Bench } from "tinybench";
import { Machine } from "../host/index.js";

/** One micro-benchmark result: nanoseconds per operation (median of the samples). */
export interface MicroResult {
  name: string;
  nsPerOp: number;
  samples: number;
}

const DECODE_WORDS = 4096, DECODE_ROUNDS = 16;
const TLB_LOADS = 1 << 16;

/** Runs the micro benchmarks, using the instruction words of `sampleElf` for decoding. */
export async function runMicro(sampleElf: string, log: (line: string) => void): Promise<MicroResult[]> {
  const machine = await Machine.create({ output: () => {} });
  await machine.loadElf(sampleElf);
  const core = machine.core.exports;
  if (!core.benchDecode || !core.benchTlbLoads) throw new Error("core lacks the benchmark exports");
  const bus = machine.board.bus;
  const perOp: Record<string, number> = {
    "decode (real instruction mix)": DECODE_WORDS * DECODE_ROUNDS,
    "TLB hit: 8-byte load": TLB_LOADS,
    "TLB miss: fill + load": TLB_LOADS,
    "device read: UART LSR via bus": 1000,
  };
  const bench = new Bench({ time: 300, warmupTime: 100 });
  bench
    .add("decode (real instruction mix)", () => { core.benchDecode!(0, DECODE_WORDS, DECODE_ROUNDS); })
    .add("TLB hit: 8-byte load", () => { core.benchTlbLoads!(16, TLB_LOADS, 0); })
    // 4096 pages cycle through a 256-entry direct-mapped TLB: every load misses and fills.
    .add("TLB miss: fill + load", () => { core.benchTlbLoads!(4096, TLB_LOADS, 0); })
    .add("device read: UART LSR via bus", () => { for (let i = 0; i < 1000; i++) bus.read(0, 0x1000_0005, 1); });
  log("micro benchmarks (tinybench) ...");
  await bench.run();
  machine.dispose();
  const results: MicroResult[] = [];
  for (const task of bench.tasks) {
    const r = task.result as { latency?: { p50?: number; samples?: number[] } } | undefined;
    const medianMs = r?.latency?.p50 ?? NaN;
    const ns = (medianMs * 1e6) / perOp[task.name];
    results.push({ name: task.name, nsPerOp: ns, samples: r?.latency?.samples?.length ?? 0 });
    log(`  ${task.name.padEnd(34)} ${ns.toFixed(2).padStart(9)} ns/op`);
  }
  return results;
}
