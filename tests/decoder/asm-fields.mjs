// Expected decoded fields from RISC-V assembly text, independent of the decoder under test.
//
// `fieldsFromAsm(text, opts)` parses one instruction as written for GNU as (ABI or xN/fN
// register names, `.+N` branch targets) or as printed by `objdump -M no-aliases,numeric`
// (absolute hex branch targets, pass opts.pc) and returns
//   { op, rd, rs1, rs2, rs3, imm }
// following the decoded-form conventions of assembly/cpu/opcodes.ts and cpu/decode.ts:
// integer rd x0 -> 32 (X_SINK), unused fields 0, imm = immediate / shamt / CSR number /
// rm / fence bits / aq<<1|rl. `op` is the Op enum *name* (e.g. "FCVT_W_S").
// A compressed mnemonic (c.*) is first rewritten into its 32-bit expansion text
// (`expandCompressed`, the expansions listed in unpriv/zca.adoc and zcd.adoc).

export const X_SINK = 32;

const XABI = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
  "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
  "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"];
const FABI = ["ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1",
  "fa0", "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7",
  "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"];
const RM = { rne: 0, rtz: 1, rdn: 2, rup: 3, rmm: 4, dyn: 7 };

/** Integer register number of a name (x5, t0, fp). */
export function xreg(s) {
  s = s.trim();
  let m = /^x(\d+)$/.exec(s);
  if (m && +m[1] < 32) return +m[1];
  if (s === "fp") return 8;
  const i = XABI.indexOf(s);
  if (i < 0) throw new Error(`not an integer register: '${s}'`);
  return i;
}

/** FP register number of a name (f5, ft5, fa0). */
export function freg(s) {
  s = s.trim();
  const m = /^f(\d+)$/.exec(s);
  if (m && +m[1] < 32) return +m[1];
  const i = FABI.indexOf(s);
  if (i < 0) throw new Error(`not an FP register: '${s}'`);
  return i;
}

/** A number: decimal or 0x hex, optionally negative. */
export function num(s) {
  s = s.trim();
  const m = /^(-?)(0x[0-9a-f]+|\d+)$/i.exec(s);
  if (!m) throw new Error(`not a number: '${s}'`);
  const v = Number(m[2]);
  return m[1] ? -v : v;
}

/** Splits "mnemonic op1, op2(...)" into [mnemonic, [operands]]. */
export function splitAsm(text) {
  // drop objdump's "<sym+off>" target annotation and "# value" comments
  const t = text.trim().replace(/\s*<[^>]*>\s*$/, "").replace(/\s*#.*$/, "");
  const sp = t.search(/\s/);
  if (sp < 0) return [t.toLowerCase(), []];
  const mn = t.slice(0, sp).toLowerCase();
  const rest = t.slice(sp).trim();
  return [mn, rest === "" ? [] : rest.split(",").map((s) => s.trim())];
}

/** Rewrites a compressed instruction into the text of its 32-bit expansion (zca.adoc, zcd.adoc). */
export function expandCompressed(mn, ops) {
  const name = mn.slice(2);
  const j = (...a) => a.join(", ");
  switch (name) {
    case "unimp": return "illegal";
    case "nop": return `addi x0, x0, ${ops[0] ?? 0}`;
    case "addi4spn": return `addi ${j(ops[0], "x2", ops[2])}`;
    case "fld": case "lw": case "ld": case "fsd": case "sw": case "sd":
    case "fldsp": case "lwsp": case "ldsp": case "fsdsp": case "swsp": case "sdsp":
      return `${name.replace(/sp$/, "")} ${j(...ops)}`;
    case "addi": case "addiw": case "andi": case "slli": case "srli": case "srai":
      return `${name} ${j(ops[0], ops[0], ops[1])}`;
    case "slli64": case "srli64": case "srai64":
      return `${name.slice(0, 4)} ${j(ops[0], ops[0], 0)}`;
    case "li": return `addi ${j(ops[0], "x0", ops[1])}`;
    case "addi16sp": return `addi ${j("x2", "x2", ops[ops.length - 1])}`;
    case "lui": return `lui ${j(ops[0], ops[1])}`;
    case "sub": case "xor": case "or": case "and": case "subw": case "addw": case "add":
      return `${name} ${j(ops[0], ops[0], ops[1])}`;
    case "mv": return `add ${j(ops[0], "x0", ops[1])}`;
    case "j": return `jal x0, ${ops[0]}`;
    case "beqz": return `beq ${j(ops[0], "x0", ops[1])}`;
    case "bnez": return `bne ${j(ops[0], "x0", ops[1])}`;
    case "jr": return `jalr x0, 0(${ops[0]})`;
    case "jalr": return `jalr x1, 0(${ops[0]})`;
    case "ebreak": return "ebreak";
    default: throw new Error(`unknown compressed instruction ${mn}`);
  }
}

// Operand forms. Tokens: xd fd (destinations), xs1 fs1 xs2 fs2 fs3 (sources), imm sh u20 tgt
// csr zimm (immediates), mem = imm(xs1), amem = (xs1), rm? = optional rounding mode.
const FORMS = {};
const def = (form, ...mns) => { for (const m of mns) FORMS[m] = form.split(" ").filter(Boolean); };
def("xd u20", "lui", "auipc");
def("xd tgt", "jal");
def("xs1 xs2 tgt", "beq", "bne", "blt", "bge", "bltu", "bgeu");
def("xd mem", "jalr", "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu");
def("xs2 mem", "sb", "sh", "sw", "sd");
def("fd mem", "flw", "fld");
def("fs2 mem", "fsw", "fsd");
def("xd xs1 imm", "addi", "slti", "sltiu", "xori", "ori", "andi", "addiw");
def("xd xs1 sh", "slli", "srli", "srai", "slliw", "srliw", "sraiw");
def("xd xs1 xs2", "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
  "addw", "subw", "sllw", "srlw", "sraw",
  "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
  "mulw", "divw", "divuw", "remw", "remuw");
def("", "fence.i", "ecall", "ebreak", "mret", "sret", "wfi");
def("xs1? xs2?", "sfence.vma", "hfence.vvma", "hfence.gvma");
def("xd csr xs1", "csrrw", "csrrs", "csrrc");
def("xd csr zimm", "csrrwi", "csrrsi", "csrrci");
def("xd amem", "lr.w", "lr.d", "hlv.b", "hlv.bu", "hlv.h", "hlv.hu", "hlvx.hu", "hlv.w",
  "hlvx.wu", "hlv.wu", "hlv.d");
def("xs2 amem", "hsv.b", "hsv.h", "hsv.w", "hsv.d");
for (const w of ["w", "d"]) {
  def("xd xs2 amem", `sc.${w}`, ...["swap", "add", "xor", "and", "or", "min", "max", "minu", "maxu"]
    .map((a) => `amo${a}.${w}`));
}
for (const f of ["s", "d"]) {
  def("fd fs1 fs2 fs3 rm?", `fmadd.${f}`, `fmsub.${f}`, `fnmsub.${f}`, `fnmadd.${f}`);
  def("fd fs1 fs2 rm?", `fadd.${f}`, `fsub.${f}`, `fmul.${f}`, `fdiv.${f}`);
  def("fd fs1 rm?", `fsqrt.${f}`);
  def("fd fs1 fs2", `fsgnj.${f}`, `fsgnjn.${f}`, `fsgnjx.${f}`, `fmin.${f}`, `fmax.${f}`);
  def("xd fs1 rm?", `fcvt.w.${f}`, `fcvt.wu.${f}`, `fcvt.l.${f}`, `fcvt.lu.${f}`);
  def("fd xs1 rm?", `fcvt.${f}.w`, `fcvt.${f}.wu`, `fcvt.${f}.l`, `fcvt.${f}.lu`);
  def("xd fs1 fs2", `feq.${f}`, `flt.${f}`, `fle.${f}`);
  def("xd fs1", `fclass.${f}`);
}
def("fd fs1 rm?", "fcvt.s.d", "fcvt.d.s");
def("xd fs1", "fmv.x.w", "fmv.x.d");
def("fd xs1", "fmv.w.x", "fmv.d.x");
// GNU as encodes rm = 000 for the exact conversions when no rm is written; everything else dyn.
const RM_DEFAULT_RNE = new Set(["fcvt.d.w", "fcvt.d.wu", "fcvt.d.s"]);

/** Fence pred/succ set ("iorw" subset) -> 4 bits; "0"/"unknown" -> 0. */
function fenceSet(s) {
  if (s === "0" || s === "unknown") return 0;
  let v = 0;
  for (const ch of s) v |= { i: 8, o: 4, r: 2, w: 1 }[ch] ?? (() => { throw new Error(`fence set ${s}`); })();
  return v;
}

/**
 * Expected fields for one instruction's text. opts.pc (BigInt or number) makes bare numbers in
 * branch/jump target position absolute hex addresses (objdump style); opts.csrFallback(raw)
 * supplies CSR numbers printed by name; opts.rmFallback supplies rm when printed as "unknown".
 */
export function fieldsFromAsm(text, opts = {}) {
  let [mn, ops] = splitAsm(text);
  let compressed = 0;
  if (mn.startsWith("c.")) {
    compressed = 1;
    [mn, ops] = splitAsm(expandCompressed(mn, ops));
  }
  const r = { op: "", rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0, compressed };
  if (mn === "illegal") { r.op = "ILLEGAL"; return r; }
  if (mn === "pause") { r.op = "PAUSE"; r.imm = 0x010; return r; }
  if (mn === "fence.tso") { r.op = "FENCE"; r.imm = 0x833; return r; }
  if (mn === "fence") {
    r.op = "FENCE";
    r.imm = ops.length === 0 ? 0x0ff : (fenceSet(ops[0]) << 4) | fenceSet(ops[1]);
    if (r.imm === 0x010) r.op = "PAUSE"; // fence w,0 with fm=0, rd=rs1=x0 is PAUSE
    return r;
  }
  // AMO ordering suffixes
  let aqrl = -1;
  const am = /^((?:lr|sc|amo[a-z]+)\.[wd])(\.aqrl|\.aq|\.rl)?$/.exec(mn);
  if (am) {
    mn = am[1];
    aqrl = { undefined: 0, ".aq": 2, ".rl": 1, ".aqrl": 3 }[am[2]];
  }
  const form = FORMS[mn];
  if (!form) throw new Error(`no form for '${mn}' in '${text}'`);
  // jalr: accept "rd, imm(rs1)", "rd, rs1, imm", "rs1" (rd = ra)
  if (mn === "jalr") {
    if (ops.length === 1) ops = ["x1", `0(${ops[0]})`];
    else if (ops.length === 3) ops = [ops[0], `${ops[2]}(${ops[1]})`];
  }
  r.op = mn.toUpperCase().replace(/\./g, "_");
  let rm = RM_DEFAULT_RNE.has(mn) ? 0 : 7;
  let k = 0;
  for (const tok of form) {
    const opt = tok.endsWith("?");
    const t = opt ? tok.slice(0, -1) : tok;
    const s = ops[k];
    if (s === undefined) {
      if (opt) continue;
      throw new Error(`missing operand ${t} in '${text}'`);
    }
    k++;
    switch (t) {
      case "xd": { const v = xreg(s); r.rd = v === 0 ? X_SINK : v; break; }
      case "fd": r.rd = freg(s); break;
      case "xs1": r.rs1 = xreg(s); break;
      case "fs1": r.rs1 = freg(s); break;
      case "xs2": r.rs2 = xreg(s); break;
      case "fs2": r.rs2 = freg(s); break;
      case "fs3": r.rs3 = freg(s); break;
      case "imm": case "sh": r.imm = num(s); break;
      case "zimm": r.rs1 = num(s); break;
      case "u20": r.imm = (num(s) << 12) | 0; break;
      case "csr": r.imm = /^(0x[0-9a-f]+|\d+)$/i.test(s) ? num(s) : opts.csrFallback(s); break;
      case "tgt": {
        const m = /^\.\s*([+-])\s*(\S+)$/.exec(s);
        if (m) r.imm = (m[1] === "-" ? -1 : 1) * num(m[2]);
        else if (opts.pc !== undefined) r.imm = Number(BigInt.asIntN(64, BigInt("0x" + s) - BigInt(opts.pc)));
        else throw new Error(`branch target needs .+N form: '${text}'`);
        break;
      }
      case "mem": case "amem": {
        const m = /^(.*)\((\w+)\)$/.exec(s);
        if (!m) throw new Error(`bad memory operand '${s}'`);
        r.rs1 = xreg(m[2]);
        if (t === "mem") r.imm = m[1].trim() === "" ? 0 : num(m[1]);
        else if (m[1].trim() !== "" && num(m[1]) !== 0) throw new Error(`offset on ${mn}`);
        break;
      }
      case "rm":
        if (s === "unknown") rm = opts.rmFallback;
        else if (s in RM) rm = RM[s];
        else throw new Error(`bad rounding mode '${s}'`);
        break;
      default: throw new Error(`form token ${t}`);
    }
  }
  if (k !== ops.length) throw new Error(`extra operands in '${text}'`);
  if (form.some((t) => t.startsWith("rm"))) r.imm = rm;
  if (aqrl >= 0) r.imm = aqrl;
  return r;
}

/**
 * Register usage per Op name, derived from the operand forms above:
 * { rd: "x" | "f" | null, rs1, rs2, rs3 } (fields an op does not use decode as 0).
 */
export const FORMS_BY_OP = (() => {
  const out = { FENCE: { rd: null, rs1: false, rs2: false, rs3: false } };
  out.PAUSE = out.FENCE;
  for (const [mn, form] of Object.entries(FORMS)) {
    const t = new Set(form.map((s) => s.replace(/\?$/, "")));
    out[mn.toUpperCase().replace(/\./g, "_")] = {
      rd: t.has("xd") ? "x" : t.has("fd") ? "f" : null,
      rs1: ["xs1", "fs1", "mem", "amem", "zimm"].some((k) => t.has(k)),
      rs2: t.has("xs2") || t.has("fs2"),
      rs3: t.has("fs3"),
    };
  }
  return out;
})();
