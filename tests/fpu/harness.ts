// Test entry for the FPU: re-exports assembly/fpu operations as plain wasm functions. Every
// wrapper clears the flag accumulator first, so lastFlags() returns the flags of that one call.
// Built by tests/fpu/softfloat.test.ts into build/fpu-harness.wasm.
import { fpFlags, clearFpFlags } from "../../assembly/fpu/round";
import { setFastPaths } from "../../assembly/fpu/native";
import { f64Add, f64Sub, f64Mul, f64Div, f64Sqrt } from "../../assembly/fpu/f64";
import { f32Add, f32Sub, f32Mul, f32Div, f32Sqrt } from "../../assembly/fpu/f32";
import { f64Fma, f32Fma } from "../../assembly/fpu/fma";
import { f64ToInt, f32ToInt, intToF64, intToF32, f64ToF32, f32ToF64 } from "../../assembly/fpu/convert";
import {
  f64Class, f32Class, f64MinMax, f32MinMax, f64Compare, f32Compare, f64Sgnj, f32Sgnj,
} from "../../assembly/fpu/classify";
import { execFloat, boxF32, unboxF32 } from "../../assembly/fpu/exec";
import { HART_BASE, H_F, H_X, H_FFLAGS, H_FRM } from "../../assembly/layout";

export { execFloat, setFastPaths };

/** Flags raised by the last wrapped call. */
export function lastFlags(): u32 { return fpFlags; }

/** Hart-state addresses for exec tests: [HART_BASE, H_F, H_X, H_FFLAGS, H_FRM] by index. */
export function layout(i: u32): u32 {
  if (i == 0) return HART_BASE;
  if (i == 1) return H_F;
  if (i == 2) return H_X;
  if (i == 3) return H_FFLAGS;
  return H_FRM;
}

/** NaN-boxing helpers. */
export function box32(v: u32): u64 { return boxF32(v); }
/** Unboxes a register value. */
export function unbox32(v: u64): u32 { return unboxF32(v); }

/** binary64 add. */
export function f64_add(a: u64, b: u64, rm: u32): u64 { clearFpFlags(); return f64Add(a, b, rm); }
/** binary64 sub. */
export function f64_sub(a: u64, b: u64, rm: u32): u64 { clearFpFlags(); return f64Sub(a, b, rm); }
/** binary64 mul. */
export function f64_mul(a: u64, b: u64, rm: u32): u64 { clearFpFlags(); return f64Mul(a, b, rm); }
/** binary64 div. */
export function f64_div(a: u64, b: u64, rm: u32): u64 { clearFpFlags(); return f64Div(a, b, rm); }
/** binary64 sqrt. */
export function f64_sqrt(a: u64, rm: u32): u64 { clearFpFlags(); return f64Sqrt(a, rm); }
/** binary64 fused multiply-add variant kind (0 madd, 1 nmsub, 2 msub, 3 nmadd). */
export function f64_fma(a: u64, b: u64, c: u64, rm: u32, kind: u32): u64 { clearFpFlags(); return f64Fma(a, b, c, rm, kind); }

/** binary32 add. */
export function f32_add(a: u32, b: u32, rm: u32): u32 { clearFpFlags(); return f32Add(a, b, rm); }
/** binary32 sub. */
export function f32_sub(a: u32, b: u32, rm: u32): u32 { clearFpFlags(); return f32Sub(a, b, rm); }
/** binary32 mul. */
export function f32_mul(a: u32, b: u32, rm: u32): u32 { clearFpFlags(); return f32Mul(a, b, rm); }
/** binary32 div. */
export function f32_div(a: u32, b: u32, rm: u32): u32 { clearFpFlags(); return f32Div(a, b, rm); }
/** binary32 sqrt. */
export function f32_sqrt(a: u32, rm: u32): u32 { clearFpFlags(); return f32Sqrt(a, rm); }
/** binary32 fused multiply-add variant kind. */
export function f32_fma(a: u32, b: u32, c: u32, rm: u32, kind: u32): u32 { clearFpFlags(); return f32Fma(a, b, c, rm, kind); }

/** binary64 -> integer kind (0 W, 1 WU, 2 L, 3 LU). */
export function f64_to_int(a: u64, rm: u32, kind: u32): u64 { clearFpFlags(); return f64ToInt(a, rm, kind); }
/** binary32 -> integer kind. */
export function f32_to_int(a: u32, rm: u32, kind: u32): u64 { clearFpFlags(); return f32ToInt(a, rm, kind); }
/** integer kind -> binary64. */
export function int_to_f64(x: u64, kind: u32, rm: u32): u64 { clearFpFlags(); return intToF64(x, kind, rm); }
/** integer kind -> binary32. */
export function int_to_f32(x: u64, kind: u32, rm: u32): u32 { clearFpFlags(); return intToF32(x, kind, rm); }
/** binary64 -> binary32. */
export function f64_to_f32(a: u64, rm: u32): u32 { clearFpFlags(); return f64ToF32(a, rm); }
/** binary32 -> binary64. */
export function f32_to_f64(a: u32): u64 { clearFpFlags(); return f32ToF64(a); }

/** FCLASS.D. */
export function f64_class(a: u64): u32 { clearFpFlags(); return f64Class(a); }
/** FCLASS.S. */
export function f32_class(a: u32): u32 { clearFpFlags(); return f32Class(a); }
/** FMIN.D / FMAX.D. */
export function f64_minmax(a: u64, b: u64, isMax: bool): u64 { clearFpFlags(); return f64MinMax(a, b, isMax); }
/** FMIN.S / FMAX.S. */
export function f32_minmax(a: u32, b: u32, isMax: bool): u32 { clearFpFlags(); return f32MinMax(a, b, isMax); }
/** FEQ/FLT/FLE.D (kind 0 eq, 1 lt, 2 le). */
export function f64_cmp(a: u64, b: u64, kind: u32): u64 { clearFpFlags(); return f64Compare(a, b, kind); }
/** FEQ/FLT/FLE.S. */
export function f32_cmp(a: u32, b: u32, kind: u32): u64 { clearFpFlags(); return f32Compare(a, b, kind); }
/** FSGNJ[N|X].D (kind 0, 1, 2). */
export function f64_sgnj(a: u64, b: u64, kind: u32): u64 { clearFpFlags(); return f64Sgnj(a, b, kind); }
/** FSGNJ[N|X].S. */
export function f32_sgnj(a: u32, b: u32, kind: u32): u32 { clearFpFlags(); return f32Sgnj(a, b, kind); }

/** Micro-benchmark loop: n dependent operations of kind k (0 add, 1 mul, 2 div, 3 sqrt, 4 fma, 5 f32 add, 6 f32 fma, 7 f32 div, 8 fcvt.w.d, 9 fma software-only operands, 10 f64 mul software) with rounding mode rm. */
export function bench(k: u32, n: u32, rm: u32): u64 {
  let acc: u64 = 0x3ff8_0000_0000_0000; // 1.5
  let x: u64 = 0x3ff0_0000_0000_0001;
  let y: u64 = 0x3fe0_0000_0000_0003;
  let acc32: u32 = 0x3fc0_0000;
  for (let i: u32 = 0; i < n; i++) {
    switch (k) {
      case 0: acc = f64Add(acc, x, rm); break;
      case 1: acc = f64Mul(acc, x, rm); break;
      case 2: acc = f64Div(acc, x, rm); break;
      case 3: acc = f64Sqrt(acc + 1, rm); break;
      case 4: acc = f64Fma(acc, y, x, rm, 0); break;
      case 5: acc32 = f32Add(acc32, 0x3f80_0001, rm); break;
      case 6: acc32 = f32Fma(acc32, 0x3f00_0003, 0x3f80_0001, rm, 0); break;
      case 7: acc32 = f32Div(acc32, 0x3f80_0001, rm); break;
      case 8: acc += f64ToInt(x + (<u64>i << 20), rm, 2); break;
      case 9: acc ^= f64Fma(x + (<u64>i << 12), y, 0x3ff0_0000_0000_0007, rm, 0); break;
      case 10: acc = f64Mul(acc, 0x0000_0000_0000_0003, rm) | 0x0010_0000_0000_0000; break;
    }
  }
  return acc + acc32;
}
