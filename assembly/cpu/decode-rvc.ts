// Decoder for the 16-bit compressed instructions of RV64GC (Zca + Zcd; RV64 has no C.FLW/C.FSW/
// C.JAL). Spec: unpriv/zca.adoc ("Zca Extension for Integer Compressed Instructions": formats,
// per-instruction expansions, "Defined Illegal Instruction", "HINT Instructions" and the opcode
// map rvcopcodemap) and unpriv/zcd.adoc (C.FLD/C.FSD/C.FLDSP/C.FSDSP).
//
// Every instruction decodes to the operation of its 32-bit expansion with the expanded operands
// and the compressed flag set, so the interpreter never sees an RVC-specific op:
//   C.ADDI4SPN -> ADDI rd', x2, nzuimm     C.J    -> JAL x0, off     C.JR  -> JALR x0, rs1, 0
//   C.MV       -> ADD rd, x0, rs2          C.NOP  -> ADDI x0, x0, 0  C.LI  -> ADDI rd, x0, imm
// An integer destination x0 (HINT code points, C.J, C.JR) becomes X_SINK so that executing a
// HINT has no architectural effect. Reserved code points decode to Op.ILLEGAL; like the 32-bit
// decoder, ILLEGAL carries the instruction bits in imm (for mtval) and the compressed flag.
import { Op, pack } from "./opcodes";
import { X_SINK } from "../layout";

// ---- register fields (zca.adoc "Compressed Instruction Formats", table "registers") ----

/** rd/rs1 of the CR/CI/CSS formats (bits 11:7). */
// @ts-ignore: decorator
@inline function cRd(r: u32): u32 { return (r >> 7) & 31; }
/** rs2 of the CR/CSS formats (bits 6:2). */
// @ts-ignore: decorator
@inline function cRs2(r: u32): u32 { return (r >> 2) & 31; }
/** rs1'/rd' of the CL/CS/CA/CB formats (bits 9:7), mapped to x8..x15. */
// @ts-ignore: decorator
@inline function cRs1p(r: u32): u32 { return ((r >> 7) & 7) + 8; }
/** rd'/rs2' of the CIW/CL/CS/CA formats (bits 4:2), mapped to x8..x15. */
// @ts-ignore: decorator
@inline function cRs2p(r: u32): u32 { return ((r >> 2) & 7) + 8; }
/** Integer destination: x0 becomes the sink slot. */
// @ts-ignore: decorator
@inline function sink(rd: u32): u32 { return rd | (<u32>(rd == 0) << 5); }

// ---- immediates (zca.adoc format figures; bit positions as listed there) ----

/** CI imm[5] = bit 12, imm[4:0] = bits 6:2, sign-extended (C.ADDI, C.LI, C.ANDI, C.ADDIW). */
// @ts-ignore: decorator
@inline function ciImm(r: u32): i32 { return (<i32>(((r >> 7) & 0x20) | ((r >> 2) & 0x1f)) << 26) >> 26; }
/** CI shamt[5] = bit 12, shamt[4:0] = bits 6:2 (C.SLLI, C.SRLI, C.SRAI). */
// @ts-ignore: decorator
@inline function ciShamt(r: u32): i32 { return <i32>(((r >> 7) & 0x20) | ((r >> 2) & 0x1f)); }
/** C.ADDI4SPN nzuimm[5:4|9:6|2|3] = bits 12:5. */
// @ts-ignore: decorator
@inline function ciwImm(r: u32): i32 {
  return <i32>(((r >> 7) & 0x30) | ((r >> 1) & 0x3c0) | ((r >> 4) & 0x4) | ((r >> 2) & 0x8));
}
/** C.LW/C.SW uimm[5:3] = bits 12:10, uimm[2|6] = bits 6:5. */
// @ts-ignore: decorator
@inline function clwImm(r: u32): i32 { return <i32>(((r >> 7) & 0x38) | ((r >> 4) & 0x4) | ((r << 1) & 0x40)); }
/** C.LD/C.SD/C.FLD/C.FSD uimm[5:3] = bits 12:10, uimm[7:6] = bits 6:5. */
// @ts-ignore: decorator
@inline function cldImm(r: u32): i32 { return <i32>(((r >> 7) & 0x38) | ((r << 1) & 0xc0)); }
/** C.LWSP uimm[5] = bit 12, uimm[4:2|7:6] = bits 6:2. */
// @ts-ignore: decorator
@inline function lwspImm(r: u32): i32 { return <i32>(((r >> 7) & 0x20) | ((r >> 2) & 0x1c) | ((r << 4) & 0xc0)); }
/** C.LDSP/C.FLDSP uimm[5] = bit 12, uimm[4:3|8:6] = bits 6:2. */
// @ts-ignore: decorator
@inline function ldspImm(r: u32): i32 { return <i32>(((r >> 7) & 0x20) | ((r >> 2) & 0x18) | ((r << 4) & 0x1c0)); }
/** C.SWSP uimm[5:2|7:6] = bits 12:7. */
// @ts-ignore: decorator
@inline function swspImm(r: u32): i32 { return <i32>(((r >> 7) & 0x3c) | ((r >> 1) & 0xc0)); }
/** C.SDSP/C.FSDSP uimm[5:3|8:6] = bits 12:7. */
// @ts-ignore: decorator
@inline function sdspImm(r: u32): i32 { return <i32>(((r >> 7) & 0x38) | ((r >> 1) & 0x1c0)); }
/** C.ADDI16SP nzimm[9] = bit 12, nzimm[4|6|8:7|5] = bits 6:2, sign-extended. */
// @ts-ignore: decorator
@inline function addi16spImm(r: u32): i32 {
  return ((<i32>(r << 19) >> 31) << 9) |
         <i32>(((r >> 2) & 0x10) | ((r << 1) & 0x40) | ((r << 4) & 0x180) | ((r << 3) & 0x20));
}
/** C.J offset[11|4|9:8|10|6|7|3:1|5] = bits 12:2, sign-extended. */
// @ts-ignore: decorator
@inline function cjImm(r: u32): i32 {
  return ((<i32>(r << 19) >> 31) << 11) |
         <i32>(((r >> 7) & 0x10) | ((r >> 1) & 0x300) | ((r << 2) & 0x400) | ((r >> 1) & 0x40) |
               ((r << 1) & 0x80) | ((r >> 2) & 0xe) | ((r << 3) & 0x20));
}
/** C.BEQZ/C.BNEZ offset[8|4:3] = bits 12:10, offset[7:6|2:1|5] = bits 6:2, sign-extended. */
// @ts-ignore: decorator
@inline function cbImm(r: u32): i32 {
  return ((<i32>(r << 19) >> 31) << 8) |
         <i32>(((r >> 7) & 0x18) | ((r << 1) & 0xc0) | ((r >> 2) & 0x6) | ((r << 3) & 0x20));
}

/** Packs an RVC result (compressed flag set). */
// @ts-ignore: decorator
@inline function c(op: u32, rd: u32, rs1: u32, rs2: u32, imm: i32): u64 { return pack(op, rd, rs1, rs2, 0, 1, imm); }
/** The ILLEGAL result for a 16-bit encoding: the instruction bits in imm, compressed flag set. */
// @ts-ignore: decorator
@inline function cIllegal(r: u32): u64 { return pack(Op.ILLEGAL, 0, 0, 0, 0, 1, <i32>r); }

/** Decodes a 16-bit RVC instruction (bits 15:0 of r; r & 3 != 3) into the packed form of its expansion. */
export function decodeRvc(r: u32): u64 {
  r &= 0xffff;
  // Dispatch on quadrant (bits 1:0) and funct3 (bits 15:13): zca.adoc table rvcopcodemap.
  switch (((r & 3) << 3) | (r >> 13)) {
    // ---- Quadrant 0 (zca.adoc table rvc-instr-table0; zcd.adoc) ----
    case 0x00: { // C.ADDI4SPN -> addi rd', x2, nzuimm; nzuimm=0 (incl. all-zero insn) reserved
      const imm = ciwImm(r);
      if (imm == 0) break;
      return c(Op.ADDI, cRs2p(r), 2, 0, imm);
    }
    case 0x01: // C.FLD -> fld rd', uimm(rs1')
      return c(Op.FLD, cRs2p(r), cRs1p(r), 0, cldImm(r));
    case 0x02: // C.LW -> lw rd', uimm(rs1')
      return c(Op.LW, cRs2p(r), cRs1p(r), 0, clwImm(r));
    case 0x03: // C.LD (RV64) -> ld rd', uimm(rs1')
      return c(Op.LD, cRs2p(r), cRs1p(r), 0, cldImm(r));
    case 0x04: // reserved (Zcb space)
      break;
    case 0x05: // C.FSD -> fsd rs2', uimm(rs1')
      return c(Op.FSD, 0, cRs1p(r), cRs2p(r), cldImm(r));
    case 0x06: // C.SW -> sw rs2', uimm(rs1')
      return c(Op.SW, 0, cRs1p(r), cRs2p(r), clwImm(r));
    case 0x07: // C.SD (RV64) -> sd rs2', uimm(rs1')
      return c(Op.SD, 0, cRs1p(r), cRs2p(r), cldImm(r));

    // ---- Quadrant 1 (zca.adoc table rvc-instr-table1) ----
    case 0x08: { // C.NOP / C.ADDI -> addi rd, rd, imm (rd=x0 or imm=0: HINT, rd -> sink)
      const rd = cRd(r);
      return c(Op.ADDI, sink(rd), rd, 0, ciImm(r));
    }
    case 0x09: { // C.ADDIW (RV64) -> addiw rd, rd, imm; rd=x0 reserved
      const rd = cRd(r);
      if (rd == 0) break;
      return c(Op.ADDIW, rd, rd, 0, ciImm(r));
    }
    case 0x0a: // C.LI -> addi rd, x0, imm (rd=x0: HINT)
      return c(Op.ADDI, sink(cRd(r)), 0, 0, ciImm(r));
    case 0x0b: { // C.ADDI16SP (rd=x2) / C.LUI; immediate 0 reserved for both
      const rd = cRd(r);
      if (rd == 2) {
        const imm = addi16spImm(r);
        if (imm == 0) break;
        return c(Op.ADDI, 2, 2, 0, imm);
      }
      const imm = ciImm(r) << 12; // nzimm[17:12], sign-extended
      if (imm == 0) break;
      return c(Op.LUI, sink(rd), 0, 0, imm); // rd=x0: HINT
    }
    case 0x0c: { // MISC-ALU on rd' (CB/CA formats)
      const rd = cRs1p(r);
      switch ((r >> 10) & 3) {
        case 0: return c(Op.SRLI, rd, rd, 0, ciShamt(r)); // shamt=0: HINT (no-op)
        case 1: return c(Op.SRAI, rd, rd, 0, ciShamt(r)); // shamt=0: HINT (no-op)
        case 2: return c(Op.ANDI, rd, rd, 0, ciImm(r));
        default: {
          const rs2 = cRs2p(r);
          // bit 12 selects the RV64 word forms; funct2 (bits 6:5) selects the operation
          switch (((r >> 10) & 4) | ((r >> 5) & 3)) {
            case 0: return c(Op.SUB, rd, rd, rs2, 0);
            case 1: return c(Op.XOR, rd, rd, rs2, 0);
            case 2: return c(Op.OR, rd, rd, rs2, 0);
            case 3: return c(Op.AND, rd, rd, rs2, 0);
            case 4: return c(Op.SUBW, rd, rd, rs2, 0);
            case 5: return c(Op.ADDW, rd, rd, rs2, 0);
            default: break; // bit12=1, funct2=10/11: reserved (Zcb space)
          }
          break;
        }
      }
      break;
    }
    case 0x0d: // C.J -> jal x0, offset
      return c(Op.JAL, X_SINK, 0, 0, cjImm(r));
    case 0x0e: // C.BEQZ -> beq rs1', x0, offset
      return c(Op.BEQ, 0, cRs1p(r), 0, cbImm(r));
    case 0x0f: // C.BNEZ -> bne rs1', x0, offset
      return c(Op.BNE, 0, cRs1p(r), 0, cbImm(r));

    // ---- Quadrant 2 (zca.adoc table rvc-instr-table2; zcd.adoc) ----
    case 0x10: { // C.SLLI -> slli rd, rd, shamt (rd=x0 or shamt=0: HINT)
      const rd = cRd(r);
      return c(Op.SLLI, sink(rd), rd, 0, ciShamt(r));
    }
    case 0x11: // C.FLDSP -> fld rd, uimm(x2) (any FP rd)
      return c(Op.FLD, cRd(r), 2, 0, ldspImm(r));
    case 0x12: { // C.LWSP -> lw rd, uimm(x2); rd=x0 reserved
      const rd = cRd(r);
      if (rd == 0) break;
      return c(Op.LW, rd, 2, 0, lwspImm(r));
    }
    case 0x13: { // C.LDSP (RV64) -> ld rd, uimm(x2); rd=x0 reserved
      const rd = cRd(r);
      if (rd == 0) break;
      return c(Op.LD, rd, 2, 0, ldspImm(r));
    }
    case 0x14: { // C.JR / C.MV / C.EBREAK / C.JALR / C.ADD (CR format)
      const rd = cRd(r), rs2 = cRs2(r);
      if ((r & 0x1000) == 0) {
        if (rs2 != 0) return c(Op.ADD, sink(rd), 0, rs2, 0); // C.MV -> add rd, x0, rs2
        if (rd == 0) break; // C.JR with rs1=x0: reserved
        return c(Op.JALR, X_SINK, rd, 0, 0); // C.JR -> jalr x0, 0(rs1)
      }
      if (rs2 != 0) return c(Op.ADD, sink(rd), rd, rs2, 0); // C.ADD -> add rd, rd, rs2
      if (rd == 0) return c(Op.EBREAK, 0, 0, 0, 0); // C.EBREAK -> ebreak
      return c(Op.JALR, 1, rd, 0, 0); // C.JALR -> jalr x1, 0(rs1)
    }
    case 0x15: // C.FSDSP -> fsd rs2, uimm(x2)
      return c(Op.FSD, 0, 2, cRs2(r), sdspImm(r));
    case 0x16: // C.SWSP -> sw rs2, uimm(x2)
      return c(Op.SW, 0, 2, cRs2(r), swspImm(r));
    case 0x17: // C.SDSP (RV64) -> sd rs2, uimm(x2)
      return c(Op.SD, 0, 2, cRs2(r), sdspImm(r));
    default: // quadrant 3 is not a 16-bit encoding
      break;
  }
  return cIllegal(r);
}
