// Instruction decoder: raw instruction bits -> the packed u64 described in cpu/opcodes.ts.
//
// Covers RV64GC: RV64I, M, A, F, D, Zicsr, Zifencei, Zihintpause (PAUSE), the privileged
// MRET/SRET/WFI/SFENCE.VMA, the hypervisor HFENCE.*/HLV*/HLVX*/HSV*, and (cpu/decode-rvc.ts)
// every RV64 compressed instruction. Spec references: unpriv/rv-32-64g.adoc (opcode map
// "opcodemap" and the RV32/64G instruction listings), rv64.adoc, m-st-ext.adoc, zaamo.adoc,
// zalrsc.adoc, f-st-ext.adoc, d-st-ext.adoc, zicsr.adoc, zifencei.adoc, zihintpause.adoc;
// priv/supervisor.adoc, machine.adoc and hypervisor.adoc for the privileged encodings.
//
// Conventions of the decoded form:
//  - Fields an operation does not use are 0.
//  - An integer destination x0 becomes X_SINK (32), so HINTs (e.g. ADDI x0, rs1, imm) execute
//    as no-ops without a special case. FP destinations keep f0.
//  - imm: sign-extended I/S/B/J immediates; U-type imm[31:12] << 12 as i32; shamt for shifts;
//    the 12-bit CSR number (unsigned) for CSR ops, whose *I forms put zimm in rs1; rm (bits
//    14:12) for FP ops that round; bits 31:20 (fm|pred|succ) for FENCE and PAUSE; aq<<1|rl for
//    LR/SC/AMOs. Rounding-mode validity is left to the executor.
//  - Reserved/illegal encodings decode to Op.ILLEGAL with the raw instruction bits in imm (the
//    value mtval reports) and the compressed flag set for a 16-bit encoding.
import { Op, pack } from "./opcodes";
import { X_SINK } from "../layout";
import { decodeRvc } from "./decode-rvc";

// ---- field extraction (rv-32-64g.adoc, R/I/S/B/U/J-type formats) ----

/** Integer destination: x0 becomes the sink slot. */
// @ts-ignore: decorator
@inline function sink(rd: u32): u32 { return rd | (<u32>(rd == 0) << 5); }
/** I-type imm[11:0] = bits 31:20, sign-extended. */
// @ts-ignore: decorator
@inline function immI(raw: u32): i32 { return <i32>raw >> 20; }
/** S-type imm[11:5] = bits 31:25, imm[4:0] = bits 11:7, sign-extended. */
// @ts-ignore: decorator
@inline function immS(raw: u32): i32 { return ((<i32>raw >> 25) << 5) | <i32>((raw >> 7) & 0x1f); }
/** B-type imm[12|10:5] = bits 31:25, imm[4:1|11] = bits 11:7, sign-extended. */
// @ts-ignore: decorator
@inline function immB(raw: u32): i32 {
  return ((<i32>raw >> 31) << 12) | <i32>(((raw << 4) & 0x800) | ((raw >> 20) & 0x7e0) | ((raw >> 7) & 0x1e));
}
/** U-type imm[31:12] in place. */
// @ts-ignore: decorator
@inline function immU(raw: u32): i32 { return <i32>(raw & 0xfffff000); }
/** J-type imm[20|10:1|11|19:12] = bits 31:12, sign-extended. */
// @ts-ignore: decorator
@inline function immJ(raw: u32): i32 {
  return ((<i32>raw >> 31) << 20) | <i32>((raw & 0xff000) | ((raw >> 9) & 0x800) | ((raw >> 20) & 0x7fe));
}
/** The ILLEGAL result for a 32-bit encoding: the instruction bits in imm. */
// @ts-ignore: decorator
@inline function illegal(raw: u32): u64 { return pack(Op.ILLEGAL, 0, 0, 0, 0, 0, <i32>raw); }
/** Packs a 32-bit result with no rs3 (compressed flag clear). */
// @ts-ignore: decorator
@inline function p(op: u32, rd: u32, rs1: u32, rs2: u32, imm: i32): u64 { return pack(op, rd, rs1, rs2, 0, 0, imm); }

/** Decodes one instruction (32-bit, or 16-bit RVC in the low half) into the packed form. */
export function decode(raw: u32): u64 {
  if ((raw & 3) != 3) return decodeRvc(raw & 0xffff);
  return decode32(raw);
}

/** Decodes a 32-bit instruction (raw & 3 == 3) into the packed form. */
export function decode32(raw: u32): u64 {
  const rd = (raw >> 7) & 31;
  const f3 = (raw >> 12) & 7;
  const rs1 = (raw >> 15) & 31;
  const rs2 = (raw >> 20) & 31;
  const f7 = raw >> 25;
  // Major opcode, inst[6:2] (rv-32-64g.adoc table "opcodemap"). Opcodes not listed here
  // (custom-0..3, OP-V, OP-VE, reserved, and the >32-bit encodings) are illegal.
  switch ((raw >> 2) & 31) {
    case 0x00: // LOAD: LB LH LW LD LBU LHU LWU by funct3; 111 (LDU) is RV128-only
      if (f3 == 7) break;
      return p(Op.LB + f3, sink(rd), rs1, 0, immI(raw));
    case 0x01: // LOAD-FP: FLW (010), FLD (011) (f-st-ext.adoc, d-st-ext.adoc)
      if (f3 == 2) return p(Op.FLW, rd, rs1, 0, immI(raw));
      if (f3 == 3) return p(Op.FLD, rd, rs1, 0, immI(raw));
      break;
    case 0x03: // MISC-MEM: FENCE / FENCE.TSO / PAUSE, FENCE.I
      if (f3 == 0) {
        // zihintpause.adoc: PAUSE = FENCE with pred=W, succ=0, fm=0, rs1=rd=x0. Other fm values,
        // and rs1/rd, are reserved and ignored: every other FENCE acts as FENCE (rv32 "Memory
        // Ordering Instructions"), so FENCE.TSO and the pred/succ=0 HINTs are FENCE here.
        if (raw == 0x0100000f) return p(Op.PAUSE, 0, 0, 0, 0x010);
        return p(Op.FENCE, 0, 0, 0, <i32>(raw >> 20));
      }
      // zifencei.adoc: imm, rs1 and rd of FENCE.I are reserved and ignored.
      if (f3 == 1) return p(Op.FENCE_I, 0, 0, 0, 0);
      break;
    case 0x04: // OP-IMM
      switch (f3) {
        case 0: return p(Op.ADDI, sink(rd), rs1, 0, immI(raw));
        case 1: // SLLI: imm[11:6] = 000000, 6-bit shamt (rv64.adoc)
          if ((raw >> 26) != 0) break;
          return p(Op.SLLI, sink(rd), rs1, 0, <i32>((raw >> 20) & 63));
        case 2: return p(Op.SLTI, sink(rd), rs1, 0, immI(raw));
        case 3: return p(Op.SLTIU, sink(rd), rs1, 0, immI(raw));
        case 4: return p(Op.XORI, sink(rd), rs1, 0, immI(raw));
        case 5: { // SRLI (imm[11:6]=000000) / SRAI (010000)
          const f6 = raw >> 26;
          if (f6 == 0) return p(Op.SRLI, sink(rd), rs1, 0, <i32>((raw >> 20) & 63));
          if (f6 == 0x10) return p(Op.SRAI, sink(rd), rs1, 0, <i32>((raw >> 20) & 63));
          break;
        }
        case 6: return p(Op.ORI, sink(rd), rs1, 0, immI(raw));
        default: return p(Op.ANDI, sink(rd), rs1, 0, immI(raw));
      }
      break;
    case 0x05: // AUIPC
      return p(Op.AUIPC, sink(rd), 0, 0, immU(raw));
    case 0x06: // OP-IMM-32 (rv64.adoc): ADDIW, SLLIW, SRLIW, SRAIW; shamt[5]=1 is illegal
      if (f3 == 0) return p(Op.ADDIW, sink(rd), rs1, 0, immI(raw));
      if (f3 == 1) {
        if (f7 == 0) return p(Op.SLLIW, sink(rd), rs1, 0, <i32>rs2);
      } else if (f3 == 5) {
        if (f7 == 0) return p(Op.SRLIW, sink(rd), rs1, 0, <i32>rs2);
        if (f7 == 0x20) return p(Op.SRAIW, sink(rd), rs1, 0, <i32>rs2);
      }
      break;
    case 0x08: // STORE: SB SH SW SD by funct3
      if (f3 > 3) break;
      return p(Op.SB + f3, 0, rs1, rs2, immS(raw));
    case 0x09: // STORE-FP: FSW (010), FSD (011)
      if (f3 == 2) return p(Op.FSW, 0, rs1, rs2, immS(raw));
      if (f3 == 3) return p(Op.FSD, 0, rs1, rs2, immS(raw));
      break;
    case 0x0b: // AMO: funct3 010 (.W) / 011 (.D), funct5 = bits 31:27 (zalrsc.adoc, zaamo.adoc)
      return decodeAmo(raw, rd, f3, rs1, rs2);
    case 0x0c: // OP: RV64I register-register, funct7 0000000/0100000; M with funct7 0000001
      if (f7 == 0) {
        switch (f3) {
          case 0: return p(Op.ADD, sink(rd), rs1, rs2, 0);
          case 1: return p(Op.SLL, sink(rd), rs1, rs2, 0);
          case 2: return p(Op.SLT, sink(rd), rs1, rs2, 0);
          case 3: return p(Op.SLTU, sink(rd), rs1, rs2, 0);
          case 4: return p(Op.XOR, sink(rd), rs1, rs2, 0);
          case 5: return p(Op.SRL, sink(rd), rs1, rs2, 0);
          case 6: return p(Op.OR, sink(rd), rs1, rs2, 0);
          default: return p(Op.AND, sink(rd), rs1, rs2, 0);
        }
      }
      if (f7 == 1) return p(Op.MUL + f3, sink(rd), rs1, rs2, 0); // MUL..REMU (m-st-ext.adoc)
      if (f7 == 0x20) {
        if (f3 == 0) return p(Op.SUB, sink(rd), rs1, rs2, 0);
        if (f3 == 5) return p(Op.SRA, sink(rd), rs1, rs2, 0);
      }
      break;
    case 0x0d: // LUI
      return p(Op.LUI, sink(rd), 0, 0, immU(raw));
    case 0x0e: // OP-32 (rv64.adoc, m-st-ext.adoc)
      if (f7 == 0) {
        if (f3 == 0) return p(Op.ADDW, sink(rd), rs1, rs2, 0);
        if (f3 == 1) return p(Op.SLLW, sink(rd), rs1, rs2, 0);
        if (f3 == 5) return p(Op.SRLW, sink(rd), rs1, rs2, 0);
      } else if (f7 == 0x20) {
        if (f3 == 0) return p(Op.SUBW, sink(rd), rs1, rs2, 0);
        if (f3 == 5) return p(Op.SRAW, sink(rd), rs1, rs2, 0);
      } else if (f7 == 1) {
        if (f3 == 0) return p(Op.MULW, sink(rd), rs1, rs2, 0);
        if (f3 >= 4) return p(Op.DIVW + f3 - 4, sink(rd), rs1, rs2, 0); // DIVW DIVUW REMW REMUW
      }
      break;
    case 0x10: case 0x11: case 0x12: case 0x13: { // MADD MSUB NMSUB NMADD (R4-type)
      const fmt = f7 & 3; // 00 = S, 01 = D; H and Q are not implemented
      if (fmt > 1) break;
      const base: u32 = fmt == 0 ? Op.FMADD_S : Op.FMADD_D;
      return pack(base + ((raw >> 2) & 3), rd, rs1, rs2, raw >> 27, 0, <i32>f3);
    }
    case 0x14: // OP-FP
      return decodeOpFp(raw, rd, f3, rs1, rs2, f7);
    case 0x18: // BRANCH: BEQ BNE (000, 001), BLT BGE BLTU BGEU (100..111)
      if (f3 == 2 || f3 == 3) break;
      return p(Op.BEQ + (f3 < 2 ? f3 : f3 - 2), 0, rs1, rs2, immB(raw));
    case 0x19: // JALR (funct3 must be 000)
      if (f3 != 0) break;
      return p(Op.JALR, sink(rd), rs1, 0, immI(raw));
    case 0x1b: // JAL
      return p(Op.JAL, sink(rd), 0, 0, immJ(raw));
    case 0x1c: // SYSTEM
      return decodeSystem(raw, rd, f3, rs1, rs2, f7);
    default:
      break;
  }
  return illegal(raw);
}

/** Decodes the AMO major opcode: LR/SC (zalrsc.adoc) and AMO* (zaamo.adoc), .W and .D. */
function decodeAmo(raw: u32, rd: u32, f3: u32, rs1: u32, rs2: u32): u64 {
  if (f3 != 2 && f3 != 3) return illegal(raw);
  const d: u32 = f3 - 2; // 0 = .W, 1 = .D
  const aqrl = <i32>((raw >> 25) & 3); // bit 26 = aq -> imm bit 1, bit 25 = rl -> imm bit 0
  let op: u32;
  switch (raw >> 27) {
    case 0x02: // LR: rs2 must be x0
      if (rs2 != 0) return illegal(raw);
      return p(d ? Op.LR_D : Op.LR_W, sink(rd), rs1, 0, aqrl);
    case 0x03: op = Op.SC_W; break;
    case 0x01: op = Op.AMOSWAP_W; break;
    case 0x00: op = Op.AMOADD_W; break;
    case 0x04: op = Op.AMOXOR_W; break;
    case 0x0c: op = Op.AMOAND_W; break;
    case 0x08: op = Op.AMOOR_W; break;
    case 0x10: op = Op.AMOMIN_W; break;
    case 0x14: op = Op.AMOMAX_W; break;
    case 0x18: op = Op.AMOMINU_W; break;
    case 0x1c: op = Op.AMOMAXU_W; break;
    default: return illegal(raw);
  }
  // The .D operations follow the .W ones in the same order (opcodes.ts).
  return p(op + d * (Op.LR_D - Op.LR_W), sink(rd), rs1, rs2, aqrl);
}

/** Decodes the OP-FP major opcode for fmt S and D (f-st-ext.adoc, d-st-ext.adoc listings). */
function decodeOpFp(raw: u32, rd: u32, f3: u32, rs1: u32, rs2: u32, f7: u32): u64 {
  const fmt = f7 & 3; // bits 26:25: 00 = S, 01 = D, 10 = H, 11 = Q (only S and D exist here)
  if (fmt > 1) return illegal(raw);
  const dbl = fmt == 1;
  const rm = <i32>f3;
  switch (f7 >> 2) {
    case 0x00: return p(dbl ? Op.FADD_D : Op.FADD_S, rd, rs1, rs2, rm);
    case 0x01: return p(dbl ? Op.FSUB_D : Op.FSUB_S, rd, rs1, rs2, rm);
    case 0x02: return p(dbl ? Op.FMUL_D : Op.FMUL_S, rd, rs1, rs2, rm);
    case 0x03: return p(dbl ? Op.FDIV_D : Op.FDIV_S, rd, rs1, rs2, rm);
    case 0x0b: // FSQRT: rs2 = 00000
      if (rs2 != 0) break;
      return p(dbl ? Op.FSQRT_D : Op.FSQRT_S, rd, rs1, 0, rm);
    case 0x04: // FSGNJ (000), FSGNJN (001), FSGNJX (010)
      if (f3 > 2) break;
      return p((dbl ? Op.FSGNJ_D : Op.FSGNJ_S) + f3, rd, rs1, rs2, 0);
    case 0x05: // FMIN (000), FMAX (001)
      if (f3 > 1) break;
      return p((dbl ? Op.FMIN_D : Op.FMIN_S) + f3, rd, rs1, rs2, 0);
    case 0x08: // FCVT.S.D (fmt S, rs2 = 1), FCVT.D.S (fmt D, rs2 = 0)
      if (rs2 != (dbl ? 0 : 1)) break;
      return p(dbl ? Op.FCVT_D_S : Op.FCVT_S_D, rd, rs1, 0, rm);
    case 0x14: // FLE (000), FLT (001), FEQ (010) -> integer rd
      if (f3 > 2) break;
      return p((dbl ? Op.FLE_D : Op.FLE_S) - f3, sink(rd), rs1, rs2, 0); // enum order FEQ FLT FLE
    case 0x18: // FCVT.W/WU/L/LU.fmt (rs2 = 0..3) -> integer rd
      if (rs2 > 3) break;
      return p((dbl ? Op.FCVT_W_D : Op.FCVT_W_S) + rs2, sink(rd), rs1, 0, rm);
    case 0x1a: // FCVT.fmt.W/WU/L/LU (rs2 = 0..3) from an integer rs1
      if (rs2 > 3) break;
      return p((dbl ? Op.FCVT_D_W : Op.FCVT_S_W) + rs2, rd, rs1, 0, rm);
    case 0x1c: // FMV.X.W / FMV.X.D (funct3 000), FCLASS (001); rs2 = 0 -> integer rd
      if (rs2 != 0) break;
      if (f3 == 0) return p(dbl ? Op.FMV_X_D : Op.FMV_X_W, sink(rd), rs1, 0, 0);
      if (f3 == 1) return p(dbl ? Op.FCLASS_D : Op.FCLASS_S, sink(rd), rs1, 0, 0);
      break;
    case 0x1e: // FMV.W.X / FMV.D.X: rs2 = 0, funct3 = 000
      if (rs2 != 0 || f3 != 0) break;
      return p(dbl ? Op.FMV_D_X : Op.FMV_W_X, rd, rs1, 0, 0);
    default: break;
  }
  return illegal(raw);
}

/** Decodes the SYSTEM major opcode: ECALL/EBREAK, xRET, WFI, fences, H loads/stores, Zicsr. */
function decodeSystem(raw: u32, rd: u32, f3: u32, rs1: u32, rs2: u32, f7: u32): u64 {
  switch (f3) {
    case 0: {
      // Privileged instructions (rv-32-64g.adoc, priv/machine.adoc "MRET/SRET", supervisor.adoc
      // "SFENCE.VMA", hypervisor.adoc "HFENCE.VVMA/GVMA"); all require rd = x0.
      if (rd != 0) break;
      switch (raw) {
        case 0x00000073: return p(Op.ECALL, 0, 0, 0, 0);
        case 0x00100073: return p(Op.EBREAK, 0, 0, 0, 0);
        case 0x10200073: return p(Op.SRET, 0, 0, 0, 0);
        case 0x30200073: return p(Op.MRET, 0, 0, 0, 0);
        case 0x10500073: return p(Op.WFI, 0, 0, 0, 0);
        default: break;
      }
      if (f7 == 0x09) return p(Op.SFENCE_VMA, 0, rs1, rs2, 0);
      if (f7 == 0x11) return p(Op.HFENCE_VVMA, 0, rs1, rs2, 0);
      if (f7 == 0x31) return p(Op.HFENCE_GVMA, 0, rs1, rs2, 0);
      break;
    }
    case 4: // Hypervisor virtual-machine loads/stores (hypervisor.adoc)
      switch (f7) {
        case 0x30: // HLV.B (rs2 = 0), HLV.BU (1)
          if (rs2 > 1) break;
          return p(Op.HLV_B + rs2, sink(rd), rs1, 0, 0);
        case 0x32: // HLV.H (0), HLV.HU (1), HLVX.HU (3)
          if (rs2 == 0) return p(Op.HLV_H, sink(rd), rs1, 0, 0);
          if (rs2 == 1) return p(Op.HLV_HU, sink(rd), rs1, 0, 0);
          if (rs2 == 3) return p(Op.HLVX_HU, sink(rd), rs1, 0, 0);
          break;
        case 0x34: // HLV.W (0), HLV.WU (1), HLVX.WU (3)
          if (rs2 == 0) return p(Op.HLV_W, sink(rd), rs1, 0, 0);
          if (rs2 == 1) return p(Op.HLV_WU, sink(rd), rs1, 0, 0);
          if (rs2 == 3) return p(Op.HLVX_WU, sink(rd), rs1, 0, 0);
          break;
        case 0x36: // HLV.D (0)
          if (rs2 != 0) break;
          return p(Op.HLV_D, sink(rd), rs1, 0, 0);
        case 0x31: case 0x33: case 0x35: case 0x37: // HSV.B/H/W/D: rd = x0
          if (rd != 0) break;
          return p(Op.HSV_B + ((f7 >> 1) & 3), 0, rs1, rs2, 0);
        default: break;
      }
      break;
    // Zicsr (zicsr.adoc): imm = CSR number (unsigned); the *I forms carry zimm in rs1.
    case 1: return p(Op.CSRRW, sink(rd), rs1, 0, <i32>(raw >> 20));
    case 2: return p(Op.CSRRS, sink(rd), rs1, 0, <i32>(raw >> 20));
    case 3: return p(Op.CSRRC, sink(rd), rs1, 0, <i32>(raw >> 20));
    case 5: return p(Op.CSRRWI, sink(rd), rs1, 0, <i32>(raw >> 20));
    case 6: return p(Op.CSRRSI, sink(rd), rs1, 0, <i32>(raw >> 20));
    default: return p(Op.CSRRCI, sink(rd), rs1, 0, <i32>(raw >> 20));
  }
  return illegal(raw);
}
