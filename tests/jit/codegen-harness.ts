// Test entry for the DBT's code generator (assembly/jit/codegen.ts): the core's reference
// interpreter plus the translator, in one module on the shared memory, so that
// tests/jit/codegen.test.ts can run the same guest block on both engines and compare states.
export { initMachine, resetHart } from "../../assembly/cpu/reset";
export { run } from "../../assembly/cpu/interp";
export {
  translateBlock, lastBlockInsns, lastBlockBytes, lastBlockEnd,
} from "../../assembly/jit/codegen";
export { emitOverflowed, emitPos, emitError } from "../../assembly/jit/emitter";
export { decode } from "../../assembly/cpu/decode";
