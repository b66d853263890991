// Replays F/D vectors ({name, rm, a, b, c, r, f}) through execFloat in build/fpu-harness.wasm:
// f1/f2/f3 = a/b/c (raw register values), x1 = a, rd = 4, frm = rm, rm field = DYN.
// Returns descriptions of the mismatching vectors. Used by make-golden.mjs --check and by
// softfloat.test.ts (golden.txt).
import { readFileSync } from "node:fs";
import { join } from "node:path";

const X_RESULT = /^(FCVT_(W|WU|L|LU)_[SD]|FMV_X_[WD]|FEQ_|FLT_|FLE_|FCLASS_)/;

/** Op enum name -> value, parsed from assembly/cpu/opcodes.ts. */
export function parseOps(root) {
  const src = readFileSync(join(root, "assembly/cpu/opcodes.ts"), "utf8");
  const start = src.indexOf("export enum Op {") + "export enum Op {".length;
  const body = src.slice(start, src.indexOf("}", start));
  const ops = {};
  body.replace(/\/\/.*$/gm, "").split(",").map((s) => s.trim()).filter(Boolean)
    .forEach((n, i) => { ops[n.split("=")[0].trim()] = i; });
  return ops;
}

export async function replay(root, vecs) {
  const memory = new WebAssembly.Memory({ initial: 1024, maximum: 65536, shared: true });
  const { instance } = await WebAssembly.instantiate(readFileSync(join(root, "build/fpu-harness.wasm")), { env: { memory } });
  const W = instance.exports;
  const Op = parseOps(root);
  const base = W.layout(0) >>> 0, hF = W.layout(1), hX = W.layout(2), hFflags = W.layout(3), hFrm = W.layout(4);
  const dv = new DataView(memory.buffer);
  const bad = [];
  for (const v of vecs) {
    dv.setBigUint64(base + hF + 8, v.a, true);
    dv.setBigUint64(base + hF + 16, v.b, true);
    dv.setBigUint64(base + hF + 24, v.c, true);
    dv.setBigUint64(base + hF + 32, v.c, true);
    dv.setBigUint64(base + hX + 8, v.a, true);
    dv.setBigUint64(base + hX + 32, 0n, true);
    dv.setUint32(base + hFrm, v.rm, true);
    dv.setUint32(base + hFflags, 0, true);
    const ok = W.execFloat(Op[v.name], 4, 1, 2, 3, 7);
    const r = X_RESULT.test(v.name) ? dv.getBigUint64(base + hX + 32, true) : dv.getBigUint64(base + hF + 32, true);
    const f = dv.getUint32(base + hFflags, true);
    if (!ok || r !== v.r || f !== v.f) {
      const h = (x) => x.toString(16);
      bad.push(`${v.name} rm=${v.rm} a=${h(v.a)} b=${h(v.b)} c=${h(v.c)}: got ${ok ? h(r) : "ILLEGAL"} ${h(f)}, qemu ${h(v.r)} ${h(v.f)}`);
    }
  }
  return bad;
}
