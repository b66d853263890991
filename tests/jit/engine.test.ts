// Engine "dbt" (layer 3, assembly/jit/dispatch.ts): every prebuilt guest runs to a clean exit with
// hot blocks translated to wasm, once with the default hotness threshold and once with threshold 1
// (everything translatable is translated on first execution, which also puts the self-modifying-
// code test of isa-rv64i.elf on translated code). The translated path must actually be used.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Machine } from "../../host/index.js";
import { isHypervisorTest } from "../guest-sets.js";

const PREBUILT = "guests/prebuilt";
const all = existsSync(PREBUILT) ? readdirSync(PREBUILT).filter((f) => f.endsWith(".elf")).sort() : [];
const isa = all.filter((f) => f.startsWith("isa-"));
const programs = all.filter((f) => !f.startsWith("isa-"));

async function runDbt(file: string, dbtThreshold?: number) {
  let text = "";
  const decoder = new TextDecoder();
  const machine = await Machine.create({
    engine: "dbt", dbtThreshold, memorySize: 64 << 20, maxInstructions: 1_000_000_000n, cpu: { h: isHypervisorTest(file) },
    output: (data: Uint8Array) => { text += decoder.decode(data); },
  });
  await machine.loadElf(join(PREBUILT, file));
  const result = await machine.run();
  const stats = machine.stats();
  machine.dispose();
  return { result, text, stats };
}

describe("engine dbt", () => {
  it("finds the prebuilt guests", () => {
    expect(isa.length).toBeGreaterThan(10);
    expect(programs.length).toBeGreaterThan(4);
  });

  for (const threshold of [undefined, 1]) {
    const label = threshold === undefined ? "default threshold" : `threshold ${threshold}`;
    for (const file of isa) {
      it(`${file} exits 0 (${label})`, async () => {
        const { result, stats } = await runDbt(file, threshold);
        expect(result).toMatchObject({ exitCode: 0 });
        expect(stats.dbt?.failures).toBe(0);
      });
    }
    for (const file of programs) {
      const name = file.replace(/\.elf$/, "");
      it(`${name} prints PASS and exits 0 (${label})`, async () => {
        const { result, text, stats } = await runDbt(file, threshold);
        expect(text).not.toMatch(/FAIL/);
        expect(text).toContain(`PASS ${name}`);
        expect(result).toMatchObject({ reason: "poweroff", exitCode: 0 });
        expect(stats.dbt?.failures).toBe(0);
      });
    }
  }

  it("runs hot code as translated wasm (sieve)", async () => {
    const { stats } = await runDbt("sieve.elf");
    const dbt = stats.dbt!;
    expect(dbt.compiles).toBeGreaterThan(0);
    expect(dbt.wasmBytes).toBeGreaterThan(0);
    expect(dbt.translatedCalls).toBeGreaterThan(0n);
    // Nearly all of the program runs inside translated blocks (every hot block is found: the
    // miss path keeps the fetch TLB, through which the dispatcher looks blocks up, filled).
    expect(dbt.translatedInstructions * 100n).toBeGreaterThan(stats.instructions * 95n);
  });

  it("self-modifying code invalidates translations (isa-rv64i, threshold 1)", async () => {
    const { result, stats } = await runDbt("isa-rv64i.elf", 1);
    expect(result).toMatchObject({ exitCode: 0 });
    expect(stats.dbt!.compiles).toBeGreaterThan(0);
    expect(stats.dbt!.invalidations).toBeGreaterThan(0n);
    // The stale regions' table slots are freed and reused instead of growing the table.
    expect(stats.dbt!.freedSlots).toBeGreaterThan(0n);
    expect(stats.dbt!.reusedSlots).toBeGreaterThan(0);
    expect(stats.dbt!.evictions).toBeGreaterThan(0n);
  });

  it("compiles regions of several blocks and stays in them (sieve)", async () => {
    const { stats } = await runDbt("sieve.elf");
    const dbt = stats.dbt!;
    expect(dbt.regions).toBe(BigInt(dbt.compiles));
    expect(dbt.regionBlocks).toBeGreaterThan(dbt.regions * 2n);
    // Loops run inside one region entry: far more than one block per entry.
    expect(dbt.translatedInstructions / dbt.translatedCalls).toBeGreaterThan(100n);
  });

  it("retires the same instruction count as the interpreter (sieve)", async () => {
    const dbt = await runDbt("sieve.elf");
    const machine = await Machine.create({ memorySize: 64 << 20, output: () => {} });
    await machine.loadElf(join(PREBUILT, "sieve.elf"));
    await machine.run();
    expect(dbt.stats.instructions).toBe(machine.stats().instructions);
    machine.dispose();
  });

  it("the translator is the default engine; the interpreter reports no dbt stats", async () => {
    const machine = await Machine.create({ output: () => {} });
    expect(machine.engine).toBe("dbt");
    expect(machine.stats().dbt).toBeDefined();
    machine.dispose();
    const reference = await Machine.create({ output: () => {}, engine: "interp" });
    expect(reference.engine).toBe("interp");
    expect(reference.stats().dbt).toBeUndefined();
    reference.dispose();
  });
});
