// ELF64 little-endian RISC-V executables (System V gABI; RISC-V psABI for e_machine 243).
//
// parseElf validates the file and extracts what booting needs: loadable segments (PT_LOAD, by
// physical address), the entry point and the symbol table. Every malformed input — truncated
// anywhere, bad magic or class, wrong machine, tables or names pointing past the end of the file,
// inconsistent sizes — raises ElfError with a message naming the file and the defect; reads are
// bounds-checked so no RangeError ever escapes. elfBootImage then checks the segments against
// guest RAM (each segment wholly inside, no overlaps) and builds the BootImage.
import type { GuestRam } from "../core/memory.js";
import { hex } from "../core/memory.js";
import { ElfError } from "../machine/errors.js";
import type { BootImage, ImageChunk } from "./image.js";

/** e_machine of RISC-V. */
export const EM_RISCV = 243;
/** e_type values. */
export const ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;
/** p_type values. */
export const PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3;
/** sh_type values. */
export const SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOBITS = 8;
/** p_flags bits. */
export const PF_X = 1, PF_W = 2, PF_R = 4;

const EHDR_SIZE = 64, PHDR_SIZE = 56, SHDR_SIZE = 64, SYM_SIZE = 24;
const PN_XNUM = 0xffff;
const SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_XINDEX = 0xffff;
const STB_GLOBAL = 1, STB_WEAK = 2;

const MACHINE_NAMES: Record<number, string> = {
  3: "x86", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 40: "ARM", 62: "x86-64", 183: "AArch64", 243: "RISC-V",
  258: "LoongArch",
};

/** One PT_LOAD segment. */
export interface ElfSegment {
  /** Index in the program header table. */
  readonly index: number;
  /** p_flags (PF_R | PF_W | PF_X). */
  readonly flags: number;
  /** p_offset: file offset of the data. */
  readonly offset: number;
  /** p_vaddr. */
  readonly virtualAddress: bigint;
  /** p_paddr: where the segment is loaded. */
  readonly physicalAddress: bigint;
  /** p_filesz. */
  readonly fileSize: number;
  /** p_memsz (≥ fileSize; the rest is zero-filled). */
  readonly memorySize: bigint;
  /** The segment's bytes in the file. */
  readonly data: Uint8Array;
}

/** One defined symbol. */
export interface ElfSymbol {
  /** Name. */
  readonly name: string;
  /** st_value (a virtual address for code and data symbols). */
  readonly value: bigint;
  /** st_size. */
  readonly size: bigint;
  /** Binding (0 local, 1 global, 2 weak). */
  readonly binding: number;
  /** Type (0 notype, 1 object, 2 func, ...). */
  readonly type: number;
}

/** A parsed, validated ELF executable. */
export class ElfImage {
  /** Creates the image; use parseElf. */
  constructor(
    /** Name used in messages (usually the path). */
    readonly source: string,
    /** e_type (ET_EXEC or ET_DYN). */
    readonly type: number,
    /** e_flags (RVC, float ABI, ...). */
    readonly flags: number,
    /** e_entry (virtual). */
    readonly entry: bigint,
    /** Loadable segments with a non-zero memory size, in file order. */
    readonly segments: readonly ElfSegment[],
    /** Defined symbols by name (a global definition wins over a local one). */
    readonly symbols: ReadonlyMap<string, ElfSymbol>,
  ) {}

  /** Translates a virtual address inside a segment to its physical address (else unchanged). */
  physicalAddress(virtualAddress: bigint): bigint {
    for (const s of this.segments) {
      if (virtualAddress >= s.virtualAddress && virtualAddress < s.virtualAddress + s.memorySize) {
        return s.physicalAddress + (virtualAddress - s.virtualAddress);
      }
    }
    return virtualAddress;
  }

  /** Physical address of the entry point. */
  get entryPhysical(): bigint {
    return this.physicalAddress(this.entry);
  }

  /** Physical address of symbol `name`, or undefined if it is not defined. */
  symbol(name: string): bigint | undefined {
    const s = this.symbols.get(name);
    return s === undefined ? undefined : this.physicalAddress(s.value);
  }
}

/** Bounds-checked little-endian reads that fail with ElfError instead of RangeError. */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, private readonly source: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number { return this.bytes.length; }
  /** Throws unless [offset, offset + size) lies in the file. */
  need(offset: bigint | number, size: bigint | number, what: string): void {
    const start = BigInt(offset), end = start + BigInt(size);
    if (start < 0n || end > BigInt(this.bytes.length)) {
      throw new ElfError(`${this.source}: truncated or corrupt ELF file: ${what} at [${hex(start)}, ${hex(end)}) ` +
        `extends past the end of the file (${this.bytes.length} bytes)`);
    }
  }
  u8(offset: number, what: string): number { this.need(offset, 1, what); return this.view.getUint8(offset); }
  u16(offset: number, what: string): number { this.need(offset, 2, what); return this.view.getUint16(offset, true); }
  u32(offset: number, what: string): number { this.need(offset, 4, what); return this.view.getUint32(offset, true); }
  u64(offset: number, what: string): bigint { this.need(offset, 8, what); return this.view.getBigUint64(offset, true); }
}

/** Parses and validates an ELF64 little-endian RISC-V executable; ElfError on any defect. */
export function parseElf(bytes: Uint8Array, source = "ELF file"): ElfImage {
  const r = new Reader(bytes, source);
  const fail = (message: string): never => { throw new ElfError(`${source}: ${message}`); };

  // e_ident
  const magic = [0x7f, 0x45, 0x4c, 0x46];
  for (let i = 0; i < 4; i++) {
    if (i >= bytes.length) fail(`not an ELF file (only ${bytes.length} bytes)`);
    if (bytes[i] !== magic[i]) fail("not an ELF file (bad magic number)");
  }
  r.need(0, 16, "ELF identification");
  const elfClass = bytes[4]!, data = bytes[5]!, identVersion = bytes[6]!;
  if (elfClass === 1) fail("32-bit ELF (ELFCLASS32) is not supported: wasmvisor runs 64-bit RISC-V (RV64) executables");
  if (elfClass !== 2) fail(`invalid ELF class ${elfClass} (expected 2, ELFCLASS64)`);
  if (data === 2) fail("big-endian ELF (ELFDATA2MSB) is not supported: RISC-V executables are little-endian");
  if (data !== 1) fail(`invalid ELF data encoding ${data} (expected 1, little-endian)`);
  if (identVersion !== 1) fail(`invalid ELF identification version ${identVersion} (expected 1)`);

  // ELF header
  r.need(0, EHDR_SIZE, "ELF header");
  const type = r.u16(16, "e_type");
  const machine = r.u16(18, "e_machine");
  const version = r.u32(20, "e_version");
  const entry = r.u64(24, "e_entry");
  const phoff = r.u64(32, "e_phoff");
  const shoff = r.u64(40, "e_shoff");
  const flags = r.u32(48, "e_flags");
  const ehsize = r.u16(52, "e_ehsize");
  const phentsize = r.u16(54, "e_phentsize");
  const phnum = r.u16(56, "e_phnum");
  const shentsize = r.u16(58, "e_shentsize");
  let shnum = r.u16(60, "e_shnum");

  if (machine !== EM_RISCV) {
    const name = MACHINE_NAMES[machine];
    fail(`wrong machine: e_machine is ${machine}${name ? ` (${name})` : ""}, expected ${EM_RISCV} (RISC-V)`);
  }
  if (type === ET_REL) fail("relocatable object file (ET_REL): link it into an executable first");
  if (type === ET_CORE) fail("core dump (ET_CORE), not an executable");
  if (type !== ET_EXEC && type !== ET_DYN) fail(`unsupported ELF type ${type} (expected ET_EXEC or ET_DYN)`);
  if (version !== 1) fail(`invalid ELF version ${version} (expected 1)`);
  if (ehsize < EHDR_SIZE) fail(`invalid ELF header size ${ehsize} (expected ${EHDR_SIZE})`);

  // Program headers
  if (phnum === 0) fail("no program headers: nothing to load");
  if (phnum === PN_XNUM) fail("extended program header numbering (e_phnum = 0xffff) is not supported");
  if (phentsize !== PHDR_SIZE) fail(`invalid program header entry size ${phentsize} (expected ${PHDR_SIZE})`);
  r.need(phoff, BigInt(phnum) * BigInt(PHDR_SIZE), `program header table (${phnum} entries)`);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = Number(phoff) + i * PHDR_SIZE;
    const pType = r.u32(at, "p_type");
    if (pType === PT_INTERP) fail(`program header ${i} is PT_INTERP: dynamically linked executables cannot run on bare hardware`);
    if (pType !== PT_LOAD) continue;
    const pFlags = r.u32(at + 4, "p_flags");
    const offset = r.u64(at + 8, "p_offset");
    const vaddr = r.u64(at + 16, "p_vaddr");
    const paddr = r.u64(at + 24, "p_paddr");
    const filesz = r.u64(at + 32, "p_filesz");
    const memsz = r.u64(at + 40, "p_memsz");
    if (filesz > memsz) fail(`segment ${i}: file size ${hex(filesz)} exceeds memory size ${hex(memsz)}`);
    if (paddr + memsz > 1n << 64n || vaddr + memsz > 1n << 64n) fail(`segment ${i}: address range wraps around the 64-bit address space`);
    r.need(offset, filesz, `segment ${i} data`);
    if (memsz === 0n) continue;
    const start = Number(offset), size = Number(filesz);
    segments.push({
      index: i, flags: pFlags, offset: start, virtualAddress: vaddr, physicalAddress: paddr,
      fileSize: size, memorySize: memsz, data: bytes.subarray(start, start + size),
    });
  }
  if (segments.length === 0) fail("no loadable segments (no PT_LOAD with a non-zero memory size)");
  const sorted = [...segments].sort((a, b) => (a.physicalAddress < b.physicalAddress ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!, cur = sorted[i]!;
    if (cur.physicalAddress < prev.physicalAddress + prev.memorySize) {
      fail(`segments ${prev.index} and ${cur.index} overlap at physical address ${hex(cur.physicalAddress)}`);
    }
  }

  const symbols = readSymbols(r, shoff, shnum, shentsize, fail);
  return new ElfImage(source, type, flags, entry, segments, symbols);

  function readSymbols(rd: Reader, tableOffset: bigint, count: number, entrySize: number,
                       error: (m: string) => never): Map<string, ElfSymbol> {
    const result = new Map<string, ElfSymbol>();
    if (tableOffset === 0n) {
      if (count !== 0) error(`e_shnum is ${count} but e_shoff is 0`);
      return result;
    }
    if (entrySize !== SHDR_SIZE) error(`invalid section header entry size ${entrySize} (expected ${SHDR_SIZE})`);
    if (count === 0) {
      // Extended numbering: the real count is sh_size of section 0.
      rd.need(tableOffset, SHDR_SIZE, "section header 0");
      const real = rd.u64(Number(tableOffset) + 32, "section 0 sh_size");
      if (real > 0xffff_ffffn) error(`implausible section count ${real}`);
      count = Number(real);
    }
    rd.need(tableOffset, BigInt(count) * BigInt(SHDR_SIZE), `section header table (${count} entries)`);
    const base = Number(tableOffset);
    const section = (i: number) => {
      const at = base + i * SHDR_SIZE;
      return {
        type: rd.u32(at + 4, "sh_type"), offset: rd.u64(at + 24, "sh_offset"), size: rd.u64(at + 32, "sh_size"),
        link: rd.u32(at + 40, "sh_link"), entsize: rd.u64(at + 56, "sh_entsize"),
      };
    };
    for (let i = 0; i < count; i++) {
      const s = section(i);
      if (s.type !== SHT_SYMTAB) continue;
      if (s.entsize !== BigInt(SYM_SIZE)) error(`symbol table (section ${i}) has entry size ${s.entsize}, expected ${SYM_SIZE}`);
      if (s.size % BigInt(SYM_SIZE) !== 0n) error(`symbol table (section ${i}) size ${s.size} is not a multiple of ${SYM_SIZE}`);
      rd.need(s.offset, s.size, `symbol table (section ${i})`);
      if (s.link === 0 || s.link >= count) error(`symbol table (section ${i}) links to invalid string table section ${s.link}`);
      const strings = section(s.link);
      if (strings.type !== SHT_STRTAB) error(`symbol table (section ${i}) links to section ${s.link}, which is not a string table`);
      rd.need(strings.offset, strings.size, `string table (section ${s.link})`);
      const strBase = Number(strings.offset), strSize = Number(strings.size);
      const n = Number(s.size) / SYM_SIZE;
      for (let k = 1; k < n; k++) { // entry 0 is the undefined symbol
        const at = Number(s.offset) + k * SYM_SIZE;
        const nameOffset = rd.u32(at, "st_name");
        const info = rd.u8(at + 4, "st_info");
        const shndx = rd.u16(at + 6, "st_shndx");
        const value = rd.u64(at + 8, "st_value");
        const size = rd.u64(at + 16, "st_size");
        if (nameOffset >= strSize) {
          if (nameOffset === 0 && strSize === 0) continue;
          error(`symbol ${k} of section ${i}: name offset ${nameOffset} lies outside its string table (${strSize} bytes)`);
        }
        const nameEnd = rd.bytes.indexOf(0, strBase + nameOffset);
        if (nameEnd < 0 || nameEnd >= strBase + strSize) error(`symbol ${k} of section ${i}: name is not NUL-terminated inside its string table`);
        if (shndx === SHN_UNDEF || (shndx >= SHN_LORESERVE && shndx !== 0xfff1 /* SHN_ABS */ && shndx !== SHN_XINDEX)) continue;
        const name = decodeName(rd.bytes, strBase + nameOffset, nameEnd);
        if (name === "") continue;
        const binding = info >> 4;
        const existing = result.get(name);
        const strong = (b: number) => b === STB_GLOBAL || b === STB_WEAK;
        if (existing && (strong(existing.binding) || !strong(binding))) continue;
        result.set(name, { name, value, size, binding, type: info & 0xf });
      }
    }
    return result;
  }
}

/** Checks `elf` against `ram` (segments and entry inside RAM) and returns its boot image. */
export function elfBootImage(elf: ElfImage, ram: GuestRam): BootImage {
  const chunks: ImageChunk[] = [];
  for (const s of elf.segments) {
    const start = s.physicalAddress, end = s.physicalAddress + s.memorySize;
    if (!ram.contains(start, s.memorySize)) {
      throw new ElfError(`${elf.source}: segment ${s.index} [${hex(start)}, ${hex(end)}) lies outside RAM ` +
        `[${hex(ram.base)}, ${hex(ram.end)}); use a larger --mem or relink the program for DRAM at ${hex(ram.base)}`);
    }
    chunks.push({ address: Number(start), data: s.data, zeroFill: Number(s.memorySize) - s.fileSize });
  }
  const entry = elf.entryPhysical;
  if (!ram.contains(entry, 2)) {
    throw new ElfError(`${elf.source}: entry point ${hex(elf.entry)} is outside RAM [${hex(ram.base)}, ${hex(ram.end)})`);
  }
  return {
    format: "elf", entry, chunks,
    tohost: elf.symbol("tohost"), fromhost: elf.symbol("fromhost"),
    symbol: (name) => elf.symbol(name),
  };
}

function decodeName(bytes: Uint8Array, start: number, end: number): string {
  // slice() copies, so this also works when the file sits in a SharedArrayBuffer.
  return new TextDecoder("utf-8").decode(bytes.slice(start, end));
}
