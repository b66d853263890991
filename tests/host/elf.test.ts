import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ElfError, LoadError } from "../../host/machine/errors.js";
import { elfBootImage, parseElf, ET_DYN } from "../../host/loader/elf.js";
import { writeImage, looksLikeElf } from "../../host/loader/image.js";
import { rawBootImage } from "../../host/loader/raw.js";
import { buildElf, createTestState, type ElfSpec } from "./helpers.js";

const RAM_SIZE = 1 << 20; // 1 MiB: DRAM 0x80000000..0x80100000
const code = new Uint8Array([0x13, 0, 0, 0, 0x6f, 0, 0, 0]); // nop; j .
const data = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);

function validSpec(): ElfSpec {
  return {
    entry: 0x8000_0000n,
    segments: [
      { vaddr: 0x8000_0000n, data: code, flags: 5 },
      { vaddr: 0x8000_1000n, data, memsz: 0x100n, flags: 6 }, // 0xf7 bytes of bss
      { type: 4, vaddr: 0n, data: new Uint8Array(4) }, // PT_NOTE: ignored
    ],
    symbols: [
      { name: "_start", value: 0x8000_0000n },
      { name: "tohost", value: 0x8000_1040n, type: 1, size: 8n },
      { name: "fromhost", value: 0x8000_1048n, type: 1, size: 8n },
      { name: "local_thing", value: 0x8000_0004n, bind: 0 },
      { name: "undefined_one", value: 0n, shndx: 0 },
    ],
  };
}

/** Expects parsing (and placing in RAM) to fail with ElfError matching `pattern`. */
function expectElfError(bytes: Uint8Array, pattern?: RegExp): void {
  const { ram } = state;
  let error: unknown;
  try {
    elfBootImage(parseElf(bytes, "test.elf"), ram);
  } catch (e) {
    error = e;
  }
  expect(error, "expected an ElfError").toBeInstanceOf(ElfError);
  if (pattern) expect((error as Error).message).toMatch(pattern);
}

function patch(bytes: Uint8Array, at: number, size: 1 | 2 | 4 | 8, value: number | bigint): Uint8Array {
  const copy = bytes.slice();
  const v = new DataView(copy.buffer);
  if (size === 1) v.setUint8(at, Number(value));
  else if (size === 2) v.setUint16(at, Number(value), true);
  else if (size === 4) v.setUint32(at, Number(value), true);
  else v.setBigUint64(at, BigInt(value), true);
  return copy;
}

const state = createTestState(1, RAM_SIZE);

describe("ELF loader: valid files", () => {
  it("parses header, loadable segments and symbols", () => {
    const elf = parseElf(buildElf(validSpec()).bytes, "ok.elf");
    expect(elf.entry).toBe(0x8000_0000n);
    expect(elf.segments.map((s) => [s.physicalAddress, s.fileSize, s.memorySize])).toEqual([
      [0x8000_0000n, 8, 8n], [0x8000_1000n, 9, 0x100n],
    ]);
    expect(elf.symbol("tohost")).toBe(0x8000_1040n);
    expect(elf.symbol("fromhost")).toBe(0x8000_1048n);
    expect(elf.symbol("local_thing")).toBe(0x8000_0004n);
    expect(elf.symbol("undefined_one")).toBeUndefined();
    expect(elf.symbol("nope")).toBeUndefined();
    expect(elf.symbols.get("tohost")?.size).toBe(8n);
  });

  it("places segments in RAM and zero-fills bss", () => {
    const { ram } = state;
    ram.bytes.fill(0xee);
    const image = elfBootImage(parseElf(buildElf(validSpec()).bytes), ram);
    writeImage(image, ram);
    expect(image.entry).toBe(0x8000_0000n);
    expect(image.tohost).toBe(0x8000_1040n);
    expect(image.fromhost).toBe(0x8000_1048n);
    expect([...ram.read(0x8000_0000, 8)]).toEqual([...code]);
    expect([...ram.read(0x8000_1000, 9)]).toEqual([...data]);
    expect(ram.read(0x8000_1009, 0xf7).every((b) => b === 0)).toBe(true);
    expect(ram.read(0x8000_1100, 1)[0]).toBe(0xee); // past memsz: untouched
  });

  it("loads by physical address and translates entry and symbols (vmlinux-style)", () => {
    const elf = parseElf(buildElf({
      entry: 0xffff_ffff_8000_0000n,
      segments: [{ vaddr: 0xffff_ffff_8000_0000n, paddr: 0x8002_0000n, data: code, memsz: 0x2000n }],
      symbols: [{ name: "tohost", value: 0xffff_ffff_8000_1000n }],
    }).bytes);
    const image = elfBootImage(elf, state.ram);
    expect(image.entry).toBe(0x8002_0000n);
    expect(image.tohost).toBe(0x8002_1000n);
    expect(image.chunks[0]!.address).toBe(0x8002_0000);
  });

  it("accepts ET_DYN, skips empty segments and prefers global symbols", () => {
    const spec = validSpec();
    spec.type = ET_DYN;
    spec.segments!.push({ vaddr: 0x9000_0000n, data: new Uint8Array(0), memsz: 0n }); // empty: ignored
    spec.symbols!.push({ name: "dup", value: 1n, bind: 0 }, { name: "dup", value: 2n, bind: 1 }, { name: "dup", value: 3n, bind: 0 });
    const elf = parseElf(buildElf(spec).bytes);
    expect(elf.segments).toHaveLength(2);
    expect(elf.symbols.get("dup")?.value).toBe(2n);
    elfBootImage(elf, state.ram);
  });

  it("accepts a file without section headers (no symbols)", () => {
    const bytes = patch(patch(patch(buildElf(validSpec()).bytes, 40, 8, 0n), 60, 2, 0), 58, 2, 0);
    const elf = parseElf(bytes);
    expect(elf.symbols.size).toBe(0);
  });

  for (const dir of ["guests/prebuilt", "guests/build"]) {
    const path = join(dir, "hello.elf");
    it.skipIf(!existsSync(path))(`parses the real program ${path}`, () => {
      const bytes = new Uint8Array(readFileSync(path));
      expect(looksLikeElf(bytes)).toBe(true);
      const elf = parseElf(bytes, path);
      expect(elf.entryPhysical).toBe(0x8000_0000n);
      expect(elf.symbol("_start")).toBe(0x8000_0000n);
      expect(elf.symbol("main")).toBeDefined();
      const big = createTestState(1, 64 << 20);
      writeImage(elfBootImage(elf, big.ram), big.ram);
    });
  }
});

describe("ELF loader: malformed files → ElfError", () => {
  const good = buildElf(validSpec());

  it("every truncation of a valid file is an ElfError (never a RangeError)", () => {
    for (let length = 0; length < good.bytes.length; length++) {
      expectElfError(good.bytes.slice(0, length));
    }
  });

  it("bad magic in any of the four bytes", () => {
    for (let i = 0; i < 4; i++) expectElfError(patch(good.bytes, i, 1, good.bytes[i]! ^ 0x20), /not an ELF file/);
    expectElfError(new TextEncoder().encode("#!/bin/sh\necho hi\n"), /not an ELF file/);
  });

  it("32-bit, unknown class, big-endian, bad encoding and ident version", () => {
    expectElfError(patch(good.bytes, 4, 1, 1), /32-bit ELF/);
    expectElfError(patch(good.bytes, 4, 1, 3), /invalid ELF class 3/);
    expectElfError(patch(good.bytes, 5, 1, 2), /big-endian/);
    expectElfError(patch(good.bytes, 5, 1, 0), /data encoding/);
    expectElfError(patch(good.bytes, 6, 1, 0), /identification version/);
  });

  it("wrong machine, type and version", () => {
    expectElfError(patch(good.bytes, 18, 2, 62), /wrong machine: e_machine is 62 \(x86-64\), expected 243 \(RISC-V\)/);
    expectElfError(patch(good.bytes, 18, 2, 0), /wrong machine/);
    expectElfError(patch(good.bytes, 16, 2, 1), /relocatable object/);
    expectElfError(patch(good.bytes, 16, 2, 4), /core dump/);
    expectElfError(patch(good.bytes, 16, 2, 0), /unsupported ELF type 0/);
    expectElfError(patch(good.bytes, 20, 4, 2), /invalid ELF version/);
    expectElfError(patch(good.bytes, 52, 2, 32), /header size/);
  });

  it("program header table problems", () => {
    expectElfError(patch(good.bytes, 56, 2, 0), /no program headers/);
    expectElfError(patch(good.bytes, 56, 2, 0xffff), /extended program header numbering/);
    expectElfError(patch(good.bytes, 54, 2, 32), /program header entry size 32/);
    expectElfError(patch(good.bytes, 32, 8, BigInt(good.bytes.length)), /program header table .* past the end/);
    expectElfError(patch(good.bytes, 32, 8, 1n << 63n), /program header table/);
    expectElfError(patch(good.bytes, 32, 8, (1n << 64n) - 1n), /program header table/);
    expectElfError(patch(good.bytes, 56, 2, 1000), /program header table \(1000 entries\)/);
  });

  it("segment problems", () => {
    const ph = good.phoff;
    expectElfError(patch(good.bytes, ph + 32, 8, 100n), /file size 0x64 exceeds memory size 0x8/); // filesz > memsz
    expectElfError(patch(good.bytes, ph + 8, 8, BigInt(good.bytes.length - 4)), /segment 0 data/);
    expectElfError(patch(good.bytes, ph + 8, 8, (1n << 64n) - 4n), /segment 0 data/);
    expectElfError(patch(good.bytes, ph + 24, 8, (1n << 64n) - 4n), /wraps around/);
    expectElfError(patch(patch(good.bytes, ph, 4, 4), ph + 56, 4, 4), /no loadable segments/);
    expectElfError(patch(good.bytes, ph + 56 * 2, 4, 3), /PT_INTERP/);
    expectElfError(patch(good.bytes, ph + 56 + 24, 8, 0x8000_0004n), /overlap/);
  });

  it("segments outside RAM and entry outside RAM", () => {
    const ph = good.phoff;
    expectElfError(patch(good.bytes, ph + 24, 8, 0x1000n), /segment 0 \[0x1000, 0x1008\) lies outside RAM \[0x80000000, 0x80100000\)/);
    expectElfError(patch(good.bytes, ph + 56 + 24, 8, 0x800f_ff80n), /segment 1 .* outside RAM/); // straddles the end
    expectElfError(patch(good.bytes, ph + 56 + 40, 8, 0x10_0000n), /segment 1 .* outside RAM/); // bss past the end
    expectElfError(patch(good.bytes, 24, 8, 0x2000_0000n), /entry point 0x20000000 is outside RAM/);
  });

  it("section header table problems", () => {
    expectElfError(patch(good.bytes, 58, 2, 40), /section header entry size 40/);
    expectElfError(patch(good.bytes, 40, 8, BigInt(good.bytes.length)), /section header table/);
    expectElfError(patch(good.bytes, 40, 8, (1n << 64n) - 64n), /section header table/);
    expectElfError(patch(good.bytes, 60, 2, 500), /section header table \(500 entries\)/);
    expectElfError(patch(good.bytes, 40, 8, 0n), /e_shnum is 4 but e_shoff is 0/);
  });

  it("symbol and string table problems", () => {
    const sh = good.symtabHeader, st = good.strtabHeader;
    expectElfError(patch(good.bytes, sh + 56, 8, 16n), /entry size 16/);
    expectElfError(patch(good.bytes, sh + 32, 8, 25n), /not a multiple of 24/);
    expectElfError(patch(good.bytes, sh + 24, 8, BigInt(good.bytes.length)), /symbol table \(section 1\)/);
    expectElfError(patch(good.bytes, sh + 40, 4, 9), /invalid string table section 9/);
    expectElfError(patch(good.bytes, sh + 40, 4, 0), /invalid string table section 0/);
    expectElfError(patch(good.bytes, sh + 40, 4, 1), /not a string table/);
    expectElfError(patch(good.bytes, st + 24, 8, BigInt(good.bytes.length - 2)), /string table \(section 2\)/);
    expectElfError(patch(good.bytes, good.symtabOffset + 24, 4, 10_000), /name offset 10000 lies outside/);
    // Shrink the string table so the last name loses its terminator.
    const strSize = new DataView(good.bytes.buffer).getBigUint64(st + 32, true);
    expectElfError(patch(good.bytes, st + 32, 8, strSize - 1n), /not NUL-terminated|lies outside/);
  });

  it("random corruption of the headers yields ElfError or a valid parse, nothing else", () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const hotspots = [0, 64, good.phoff, good.shoff, good.symtabOffset, good.strtabOffset, good.symtabHeader, good.strtabHeader];
    for (let i = 0; i < 3000; i++) {
      const copy = good.bytes.slice();
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) {
        const base = hotspots[Math.floor(rand() * hotspots.length)]!;
        const at = Math.min(copy.length - 1, base + Math.floor(rand() * 64));
        copy[at] = Math.floor(rand() * 256);
      }
      try {
        elfBootImage(parseElf(copy), state.ram);
      } catch (e) {
        if (!(e instanceof ElfError)) throw new Error(`corruption ${i} raised ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  });
});

describe("raw loader", () => {
  it("places bytes at DRAM_BASE by default and starts there", () => {
    const image = rawBootImage(code, state.ram);
    expect(image.entry).toBe(0x8000_0000n);
    expect(image.format).toBe("raw");
    writeImage(image, state.ram);
    expect([...state.ram.read(0x8000_0000, 8)]).toEqual([...code]);
  });

  it("honours a load address and an entry point", () => {
    const image = rawBootImage(code, state.ram, { address: 0x8008_0000n, entry: 0x8008_0004n });
    expect(image.chunks[0]!.address).toBe(0x8008_0000);
    expect(image.entry).toBe(0x8008_0004n);
  });

  it("rejects empty files, odd addresses and images that do not fit", () => {
    expect(() => rawBootImage(new Uint8Array(0), state.ram)).toThrow(/empty/);
    expect(() => rawBootImage(code, state.ram, { address: 0x8000_0001n })).toThrow(/aligned/);
    expect(() => rawBootImage(code, state.ram, { address: 0x1000n })).toThrow(LoadError);
    expect(() => rawBootImage(code, state.ram, { address: 0x800f_fffcn })).toThrow(/do not fit in RAM/);
    expect(() => rawBootImage(new Uint8Array(RAM_SIZE + 2), state.ram)).toThrow(LoadError);
    expect(() => rawBootImage(code, state.ram, { entry: 0x100n })).toThrow(/entry point/);
  });
});
