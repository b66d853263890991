// The core's export surface: everything the host may call. The host owns the shared memory
// (imported as env.memory) and drives the harts with run(); see DESIGN.md §2.
export { run } from "./cpu/interp";
export { decode as decodeInsn } from "./cpu/decode";
export { initMachine, resetHart } from "./cpu/reset";
export { flushAllTlbs as tlbFlushAll } from "./mmu/tlb";
export { benchDecode, benchTlbLoads } from "./bench";
// Engine "dbt" (DESIGN.md §3): the dispatcher, its host callbacks, and the helpers translated
// code imports from "env" (the host passes these exports through).
export { runDbt, installTranslation, rejectTranslation } from "./jit/dispatch";
export { jitChain } from "./jit/chain";
export { dbtFlush, noteHostWrite } from "./jit/cache";
export { takeFreeSlot } from "./jit/slots";
export { jitLoad, jitStore, jitStatus, jitFloat, jitIllegal, jitExec } from "./jit/helpers";
