import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { EXIT_BUDGET, EXIT_STOP, EXIT_WFI } from "../../host/core/layout.generated.js";
import { HELP_TEXT, parseAddress, parseArguments, parseCount, parseSize } from "../../host/cli/args.js";
import { exitStatusForGuest, runCli, type CliIo } from "../../host/cli/cli.js";
import { formatCount } from "../../host/cli/stats.js";
import { EscapeFilter } from "../../host/cli/terminal.js";
import { ConfigError, UsageError } from "../../host/machine/errors.js";
import { buildElf, scriptedCore, type Script } from "./helpers.js";

describe("size, count and address syntax", () => {
  it("parses sizes with binary suffixes; a plain number is MiB (as QEMU -m)", () => {
    expect(parseSize("128M")).toBe(128 * 2 ** 20);
    expect(parseSize("1G")).toBe(2 ** 30);
    expect(parseSize("1g")).toBe(2 ** 30);
    expect(parseSize("512K")).toBe(512 * 1024);
    expect(parseSize("64MiB")).toBe(64 * 2 ** 20);
    expect(parseSize("2GB")).toBe(2 * 2 ** 30);
    expect(parseSize("1T")).toBe(2 ** 40);
    expect(parseSize("256")).toBe(256 * 2 ** 20);
    expect(parseSize("1048576B")).toBe(2 ** 20);
    expect(parseSize("1_024M")).toBe(2 ** 30);
  });

  it("rejects malformed sizes", () => {
    for (const bad of ["", "M", "12X", "-1M", "1.5G", "0x100", "1 G G", "1MM"]) {
      expect(() => parseSize(bad), bad).toThrow(UsageError);
    }
    expect(() => parseSize("99999999999T")).toThrow(/too large/);
  });

  it("parses instruction counts with decimal suffixes and exponents", () => {
    expect(parseCount("1000")).toBe(1000n);
    expect(parseCount("1_000_000")).toBe(1_000_000n);
    expect(parseCount("5k")).toBe(5000n);
    expect(parseCount("5M")).toBe(5_000_000n);
    expect(parseCount("2G")).toBe(2_000_000_000n);
    expect(parseCount("1e9")).toBe(1_000_000_000n);
    expect(parseCount("123456789012345678901")).toBe(123456789012345678901n);
    for (const bad of ["", "0", "-5", "1.5M", "abc", "1e", "0e3", "5T"]) expect(() => parseCount(bad), bad).toThrow(UsageError);
  });

  it("parses addresses in hex and decimal", () => {
    expect(parseAddress("0x80000000")).toBe(0x8000_0000n);
    expect(parseAddress("0x8020_0000")).toBe(0x8020_0000n);
    expect(parseAddress("4096")).toBe(4096n);
    expect(() => parseAddress("0x")).toThrow(UsageError);
    expect(() => parseAddress("zz")).toThrow(/invalid address 'zz'/);
    expect(() => parseAddress("0x10000000000000000")).toThrow(/64 bits/);
  });
});

describe("argument parsing", () => {
  it("help and version", () => {
    expect(parseArguments(["--help"])).toEqual({ command: "help" });
    expect(parseArguments(["-h"])).toEqual({ command: "help" });
    expect(parseArguments(["run", "--help"])).toEqual({ command: "help" });
    expect(parseArguments(["--version"])).toEqual({ command: "version" });
  });

  it("run with defaults", () => {
    expect(parseArguments(["run", "a.elf"])).toEqual({
      command: "run",
      options: {
        file: "a.elf", memorySize: 128 * 2 ** 20, engine: undefined, maxInstructions: undefined, clock: undefined,
        stats: false, trace: false, rawAddress: undefined, harts: 1, instructionsPerTick: undefined, drives: [],
        cpu: {}, virt: "full",
      },
    });
  });

  it("run with every option, in both --flag value and --flag=value forms", () => {
    const cmd = parseArguments(["run", "--mem", "1G", "--engine=interp", "--max-insns", "5M", "--clock", "real",
      "--stats", "--trace", "--raw", "0x80200000", "--harts=2", "--insns-per-tick", "4", "k.bin"]);
    expect(cmd).toEqual({
      command: "run",
      options: {
        file: "k.bin", memorySize: 2 ** 30, engine: "interp", maxInstructions: 5_000_000n, clock: "real",
        stats: true, trace: true, rawAddress: 0x8020_0000n, harts: 2, instructionsPerTick: 4, drives: [],
        cpu: {}, virt: "full",
      },
    });
  });

  it("kernel boot options", () => {
    const cmd = parseArguments(["run", "--kernel", "Image", "--initrd=rd.cpio.gz", "--append", "console=hvc0 quiet",
      "--bios", "opensbi", "--drive", "file=disk.img,ro", "--drive=file=b.img"]);
    expect(cmd.command === "run" && cmd.options).toMatchObject({
      file: "", kernel: "Image", initrd: "rd.cpio.gz", append: "console=hvc0 quiet", bios: "opensbi",
      drives: ["file=disk.img,ro", "file=b.img"],
    });
    expect(() => parseArguments(["run", "a.elf", "--kernel", "Image"])).toThrow(/either a file or --kernel/);
    expect(() => parseArguments(["run", "a.elf", "--initrd", "rd"])).toThrow(/need --kernel/);
    expect(() => parseArguments(["run", "--kernel", "Image", "--drive", "disk.img"])).toThrow(/file=PATH/);
  });

  it("--raw without an address uses DRAM_BASE and does not swallow the file name", () => {
    const cmd = parseArguments(["run", "--raw", "prog.bin"]);
    expect(cmd.command === "run" && cmd.options).toMatchObject({ file: "prog.bin", rawAddress: 0x8000_0000n });
    const cmd2 = parseArguments(["run", "prog.bin", "--raw"]);
    expect(cmd2.command === "run" && cmd2.options).toMatchObject({ file: "prog.bin", rawAddress: 0x8000_0000n });
    const cmd3 = parseArguments(["run", "--raw=4096", "--", "--weird-name"]);
    expect(cmd3.command === "run" && cmd3.options).toMatchObject({ file: "--weird-name", rawAddress: 4096n });
  });

  const bad: [string[], RegExp][] = [
    [[], /no command given/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["--frob"], /unknown option '--frob'/],
    [["run"], /missing the file to run/],
    [["run", "a", "b"], /expected one file, got 2/],
    [["run", "a", "--bogus"], /unknown option '--bogus'/],
    [["run", "a", "--mem"], /--mem needs a value/],
    [["run", "a", "--mem="], /--mem needs a value/],
    [["run", "a", "--mem", "lots"], /invalid size 'lots'/],
    [["run", "a", "--max-insns", "many"], /invalid count 'many'/],
    [["run", "a", "--clock", "fast"], /--clock must be 'deterministic' or 'real'/],
    [["run", "a", "--harts", "9"], /--harts must be between 1 and 8/],
    [["run", "a", "--harts", "two"], /--harts expects a whole number/],
    [["run", "a", "--stats=yes"], /--stats takes no value/],
    [["run", "a", "--raw=0xzz"], /invalid address/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${JSON.stringify(argv)}`, () => {
      expect(() => parseArguments(argv)).toThrow(UsageError);
      expect(() => parseArguments(argv)).toThrow(message);
    });
  }

  it("rejects an unknown engine with the list of engines", () => {
    expect(() => parseArguments(["run", "a", "--engine", "jit"])).toThrow(ConfigError);
    expect(() => parseArguments(["run", "a", "--engine", "jit"])).toThrow(/unknown engine 'jit' \(available: interp, dbt, lockstep\)/);
  });

  it("the help text documents every flag", () => {
    for (const flag of ["--mem", "--engine", "--max-insns", "--clock", "--stats", "--trace", "--raw", "--harts"]) {
      expect(HELP_TEXT).toContain(flag);
    }
  });
});

describe("exit status mapping and formatting", () => {
  it("reduces guest codes to 8 bits but never turns failure into success", () => {
    expect(exitStatusForGuest(0)).toBe(0);
    expect(exitStatusForGuest(7)).toBe(7);
    expect(exitStatusForGuest(255)).toBe(255);
    expect(exitStatusForGuest(256)).toBe(1);
    expect(exitStatusForGuest(0x1_0003)).toBe(3);
    expect(exitStatusForGuest(-1)).toBe(255);
  });

  it("formats counts with separators", () => {
    expect(formatCount(0n)).toBe("0");
    expect(formatCount(1234567n)).toBe("1,234,567");
    expect(formatCount(999)).toBe("999");
  });

  it("the Ctrl-A escape filter", () => {
    const f = new EscapeFilter();
    expect(f.filter(new Uint8Array([0x61, 0x01, 0x01, 0x62]))).toEqual({ data: new Uint8Array([0x61, 0x01, 0x62]), quit: false });
    expect(f.filter(new Uint8Array([0x63, 0x01]))).toEqual({ data: new Uint8Array([0x63]), quit: false });
    expect(f.filter(new Uint8Array([0x78, 0x64]))).toEqual({ data: new Uint8Array([]), quit: true }); // escape spans chunks
    expect(f.filter(new Uint8Array([0x01, 0x7a, 0x65]))).toEqual({ data: new Uint8Array([0x65]), quit: false });
  });
});

// runCli end to end with a scripted core standing in for build/core.wasm.
function io(script: Script, stdin: NodeJS.ReadableStream | null = null) {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = "", err = "";
  stdout.on("data", (d: Buffer) => { out += d.toString("latin1"); });
  stderr.on("data", (d: Buffer) => { err += d.toString("latin1"); });
  const cliIo: CliIo = { stdout, stderr, stdin, env: {}, coreFactory: scriptedCore(script) };
  return { cliIo, out: () => out, err: () => err };
}

const dir = mkdtempSync(join(tmpdir(), "wv-cli-"));
const elfPath = join(dir, "ok.elf");
writeFileSync(elfPath, buildElf({ segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array([0x13, 0, 0, 0]) }] }).bytes);
const rawPath = join(dir, "ok.bin");
writeFileSync(rawPath, new Uint8Array([0x13, 0, 0, 0]));
const badElfPath = join(dir, "bad.elf");
writeFileSync(badElfPath, buildElf({ machine: 62, segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(4) }] }).bytes);

const syscon = (code: number): Script => (ctx) => {
  ctx.retire(1);
  ctx.imports.mmio_write(0, 0x10_0000n, 4, code === 0 ? 0x5555n : (BigInt(code) << 16n) | 0x3333n);
  return EXIT_STOP;
};

describe("runCli", () => {
  it("--help prints usage and exits 0", async () => {
    const t = io(() => 0);
    expect(await runCli(["--help"], t.cliIo)).toBe(0);
    expect(t.out()).toContain("wasmvisor run <file>");
  });

  it("--version prints the package version", async () => {
    const t = io(() => 0);
    expect(await runCli(["--version"], t.cliIo)).toBe(0);
    expect(t.out()).toMatch(/^wasmvisor \d+\.\d+\.\d+/);
  });

  it("the exit status is the guest's exit code", async () => {
    const pass = io(syscon(0));
    expect(await runCli(["run", elfPath], pass.cliIo)).toBe(0);
    const fail = io(syscon(9));
    expect(await runCli(["run", elfPath], fail.cliIo)).toBe(9);
    expect(fail.err()).toBe("");
  });

  it("usage errors: one line on stderr, status 2", async () => {
    const t = io(() => 0);
    expect(await runCli(["run", elfPath, "--bogus"], t.cliIo)).toBe(2);
    expect(t.err()).toBe("wasmvisor: error: unknown option '--bogus' (try 'wasmvisor --help')\n");
  });

  it("a missing file: one line, status 2", async () => {
    const t = io(() => 0);
    expect(await runCli(["run", join(dir, "nope.elf")], t.cliIo)).toBe(2);
    expect(t.err()).toMatch(/^wasmvisor: error: cannot read '.*nope\.elf': no such file\n$/);
  });

  it("a malformed ELF: one line naming the file and defect, status 2", async () => {
    const t = io(() => 0);
    expect(await runCli(["run", badElfPath], t.cliIo)).toBe(2);
    expect(t.err()).toMatch(/^wasmvisor: error: .*bad\.elf: wrong machine: e_machine is 62 \(x86-64\)/);
    expect(t.err().trim().split("\n")).toHaveLength(1);
  });

  it("a raw binary without --raw is refused with a hint; with --raw it runs", async () => {
    const t = io(syscon(0));
    expect(await runCli(["run", rawPath], t.cliIo)).toBe(2);
    expect(t.err()).toMatch(/not an ELF file .* use --raw/);
    const u = io(syscon(0));
    expect(await runCli(["run", "--raw", rawPath], u.cliIo)).toBe(0);
  });

  it("--max-insns: status 3 and a clear message", async () => {
    const t = io((ctx) => { ctx.retire(ctx.budget); return EXIT_BUDGET; });
    expect(await runCli(["run", elfPath, "--max-insns", "10k"], t.cliIo)).toBe(3);
    expect(t.err()).toBe("wasmvisor: error: instruction limit reached (10000 instructions; 10000 retired)\n");
  });

  it("idle forever: status 2 and the idle message", async () => {
    const t = io(() => EXIT_WFI, Readable.from([]));
    expect(await runCli(["run", elfPath], t.cliIo)).toBe(2);
    expect(t.err()).toMatch(/^wasmvisor: error: guest is idle forever \(WFI with no wake-up source\)/);
  });

  it("--stats prints the report to stderr, even when the run fails", async () => {
    const t = io((ctx) => { ctx.retire(ctx.budget); return EXIT_BUDGET; });
    await runCli(["run", elfPath, "--stats", "--max-insns", "1000"], t.cliIo);
    for (const key of ["instructions retired", "wall time", "MIPS", "exits", "tlb", "page walks", "mmio", "traps", "interrupts"]) {
      expect(t.err()).toContain(key);
    }
    expect(t.err()).toMatch(/instructions retired\s+1,000/);
  });

  it("an unexpected exception is an internal error line without a stack trace", async () => {
    const t = io(() => { throw new TypeError("oops"); });
    expect(await runCli(["run", elfPath], t.cliIo)).toBe(2);
    expect(t.err()).toBe("wasmvisor: internal error: TypeError: oops\n");
  });
});
