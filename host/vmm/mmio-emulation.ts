// Device emulation for the hardware-assisted VMM (`--virt hw`): a guest load or store to a guest
// physical address the G-stage leaves unmapped (every device region) exits as a load/store
// guest-page fault, and the VMM performs the access on the board's bus from the trap's
// information alone — the instruction comes from htinst, not from guest memory.
//
// htinst (hypervisor.adoc "Trap Instruction Register (htinst)") holds, for an explicit load or
// store, the *transformed* instruction: the trapping instruction with its address fields (rs1 and
// the offset) zeroed, and for a compressed instruction its 32-bit expansion with bit 1 cleared
// ("bit 1 is 0 when the trapping instruction was 16 bits wide"). Its remaining fields are exactly
// what emulation needs: opcode (integer or FP, load or store), funct3 (size and signedness), rd
// or rs2. The address comes from htval and stval (the exit's EXIT_VALUE: the full guest physical
// address), as rs1 and the offset are not in htinst. A value of 0 (allowed: an implementation may
// always write 0) or a pseudo-instruction (0x3000/0x3020, an implicit page-table access) is not
// an emulatable device access.
import { H_MSTATUS, H_VSSTATUS } from "../core/layout.generated.js";
import type { HartState } from "../core/state.js";

/** A device access decoded from a transformed instruction. */
export interface TrappedAccess {
  /** Load or store. */
  readonly kind: "load" | "store";
  /** Bytes accessed: 1, 2, 4 or 8. */
  readonly size: 1 | 2 | 4 | 8;
  /** Loads: sign-extend the value to 64 bits (LB, LH, LW). */
  readonly signed: boolean;
  /** The register is an FP register (FLW/FLD/FSW/FSD). */
  readonly float: boolean;
  /** rd of a load, rs2 of a store. */
  readonly register: number;
  /** Length of the trapping instruction in bytes (2 if compressed): how far pc advances. */
  readonly length: 2 | 4;
}

/** What became of an emulated access. */
export type MmioEmulation =
  | { readonly kind: "emulated"; readonly access: TrappedAccess }
  /** No device answered the address (or refused the access): the guest gets an access fault. */
  | { readonly kind: "unclaimed"; readonly access: TrappedAccess }
  /** htinst is 0, a pseudo-instruction or not a plain load/store (e.g. an AMO): nothing to emulate. */
  | { readonly kind: "undecodable" };

/** The bus as the emulation needs it (host/machine/bus.ts Bus implements it). */
export interface MmioTarget {
  /** Reads `size` bytes at `address`; undefined = no device / access fault. */
  read(hart: number, address: number, size: number): bigint | undefined;
  /** Writes `size` bytes of `value` at `address`; false = no device / access fault. */
  write(hart: number, address: number, size: number, value: bigint): boolean;
}

const OPCODE_LOAD = 0x03, OPCODE_LOAD_FP = 0x07, OPCODE_STORE = 0x23, OPCODE_STORE_FP = 0x27;
const MSTATUS_FS_DIRTY = 3n << 13n, MSTATUS_SD = 1n << 63n;
const NAN_BOX_32 = 0xffff_ffff_0000_0000n;

/** Decodes a transformed load/store instruction from htinst; undefined for anything else
 *  (0, the 0x3000/0x3020 pseudo-instructions, AMOs, reserved funct3 values). */
export function decodeTrappedAccess(htinst: bigint): TrappedAccess | undefined {
  const bits = Number(BigInt.asUintN(32, htinst));
  if (bits === 0 || (bits & 1) === 0) return undefined; // bit 0 is always 1 in a (transformed) instruction
  const length: 2 | 4 = (bits & 2) !== 0 ? 4 : 2;
  const opcode = (bits | 2) & 0x7f;
  const funct3 = (bits >>> 12) & 7;
  const rd = (bits >>> 7) & 31, rs2 = (bits >>> 20) & 31;
  // (The pseudo-instructions 0x3000/0x3020 have bit 0 clear and were refused above.)
  switch (opcode) {
    case OPCODE_LOAD:
      if (funct3 === 7) return undefined;
      return { kind: "load", size: (1 << (funct3 & 3)) as 1 | 2 | 4 | 8, signed: funct3 < 4, float: false, register: rd, length };
    case OPCODE_STORE:
      if (funct3 > 3) return undefined;
      return { kind: "store", size: (1 << funct3) as 1 | 2 | 4 | 8, signed: false, float: false, register: rs2, length };
    case OPCODE_LOAD_FP:
      if (funct3 !== 2 && funct3 !== 3) return undefined;
      return { kind: "load", size: funct3 === 2 ? 4 : 8, signed: false, float: true, register: rd, length };
    case OPCODE_STORE_FP:
      if (funct3 !== 2 && funct3 !== 3) return undefined;
      return { kind: "store", size: funct3 === 2 ? 4 : 8, signed: false, float: true, register: rs2, length };
    default:
      return undefined;
  }
}

/** Emulates the device access that trapped on `hart` at guest physical `gpa` with transformed
 *  instruction `htinst`: performs it on `bus`, writes a load's register (sign-extended or
 *  NaN-boxed) and moves pc past the instruction. On "unclaimed" or "undecodable" the hart is
 *  left untouched (the caller injects a fault or reports the error). */
export function emulateMmioAccess(hart: HartState, bus: MmioTarget, gpa: bigint, htinst: bigint): MmioEmulation {
  const access = decodeTrappedAccess(htinst);
  if (!access) return { kind: "undecodable" };
  if (gpa < 0n || gpa > BigInt(Number.MAX_SAFE_INTEGER)) return { kind: "unclaimed", access };
  const address = Number(gpa);
  const bits = BigInt(access.size * 8);
  if (access.kind === "load") {
    const raw = bus.read(hart.id, address, access.size);
    if (raw === undefined) return { kind: "unclaimed", access };
    const value = BigInt.asUintN(Number(bits), raw);
    if (access.float) {
      hart.setF(access.register, access.size === 4 ? NAN_BOX_32 | value : value);
      markFloatDirty(hart);
    } else {
      hart.setX(access.register, access.signed ? BigInt.asUintN(64, BigInt.asIntN(Number(bits), value)) : value);
    }
  } else {
    const source = access.float ? hart.f(access.register) : hart.x(access.register);
    if (!bus.write(hart.id, address, access.size, BigInt.asUintN(Number(bits), source))) return { kind: "unclaimed", access };
  }
  hart.pc = hart.pc + BigInt(access.length);
  return { kind: "emulated", access };
}

/** An FP load wrote an f register: FS becomes Dirty in mstatus and, with V=1, in vsstatus
 *  (hypervisor.adoc "vsstatus": both are updated when V=1). */
function markFloatDirty(hart: HartState): void {
  hart.write64(H_MSTATUS, hart.read64(H_MSTATUS) | MSTATUS_FS_DIRTY | MSTATUS_SD);
  hart.write64(H_VSSTATUS, hart.read64(H_VSSTATUS) | MSTATUS_FS_DIRTY | MSTATUS_SD);
}
