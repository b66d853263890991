// Machine and hart reset: zeroes the core's state and sets the architectural reset values
// (privileged spec "Reset": M-mode, mstatus.MIE = MPRV = 0, misa at its maximal value).
import {
  LAYOUT_BASE, RAM_HOST_BASE, HART_BASE, HART_SIZE, MAX_HARTS, H_MISA, H_MSTATUS, H_PRIV, H_PC,
  H_HARTID, H_MTIMECMP, H_STIMECMP, M_RAM_SIZE, M_NUM_HARTS, M_INSNS_PER_TICK, M_CPU_FLAGS, CPU_H, PRV_M,
} from "../layout";
import { selectHart, setCsr64, setHart32, setMachine64, setMachine32, machine32 } from "./state";
import { MISA_VALUE, MISA_H, MSTATUS_RESET } from "./csr";
import { hypReset } from "./hyp";
import { flushAllTlbs } from "../mmu/tlb";
import { mmuUpdate } from "../mmu/mode";

/** Default deterministic clock: 10 instructions per 10 MHz tick, i.e. a 100 MIPS guest. */
export const DEFAULT_INSNS_PER_TICK: u32 = 10;

/** Zeroes all core state and prepares `numHarts` harts for a machine with `ramSize` bytes of RAM
 *  and the optional ISA features `cpuFlags` (layout.ts CPU_*). */
export function initMachine(numHarts: u32, ramSize: u64, cpuFlags: u32): void {
  memory.fill(LAYOUT_BASE, 0, RAM_HOST_BASE - LAYOUT_BASE);
  setMachine32(M_CPU_FLAGS, cpuFlags);
  if (numHarts > MAX_HARTS) numHarts = MAX_HARTS;
  setMachine64(M_RAM_SIZE, ramSize);
  setMachine32(M_NUM_HARTS, numHarts);
  setMachine32(M_INSNS_PER_TICK, DEFAULT_INSNS_PER_TICK);
  for (let h: u32 = 0; h < numHarts; h++) resetHart(h, 0);
}

/** Resets hart `hart` to M-mode at `pc` with the reset values of every CSR. */
export function resetHart(hart: u32, pc: u64): void {
  const base = HART_BASE + hart * HART_SIZE;
  memory.fill(base, 0, HART_SIZE);
  selectHart(base);
  setHart32(H_HARTID, hart);
  const h = (machine32(M_CPU_FLAGS) & CPU_H) != 0;
  setCsr64(H_MISA, MISA_VALUE | (h ? MISA_H : 0));
  if (h) hypReset();
  setCsr64(H_MSTATUS, MSTATUS_RESET);
  setCsr64(H_MTIMECMP, <u64>-1);
  setCsr64(H_STIMECMP, <u64>-1);
  setHart32(H_PRIV, PRV_M);
  setCsr64(H_PC, pc);
  flushAllTlbs();
  mmuUpdate();
}
