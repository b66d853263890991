// Time and timer interrupts (DESIGN.md §6; privileged spec "Machine Timer Registers", Sstc).
// Deterministic clock: mtime advances by retired instructions, M_INSNS_PER_TICK per tick,
// so a run is repeatable. Real clock: the host writes M_MTIME before each run() slice.
import { M_VMM_FLAGS, VMM_SBI_TIMER, M_MTIME, M_CLOCK_MODE, M_INSNS_PER_TICK, M_TICK_ACCUM, H_INSTRET, H_MIP, H_MTIMECMP,
         H_STIMECMP } from "../layout";
import { csr64, setCsr64, machine64, setMachine64, machine32 } from "./state";
import { MIP_MTIP, MIP_STIP } from "./causes";
import { sstcEnabled } from "./csr";
import { hEnabled, vstimecmpEnabled, MIP_VSTIP } from "./hyp";
import { H_HTIMEDELTA, H_VSTIMECMP } from "../layout";

/** Adds `retired` instructions to the hart's count and, on the deterministic clock, to mtime. */
export function syncCounters(retired: u64): void {
  if (retired == 0) return;
  setCsr64(H_INSTRET, csr64(H_INSTRET) + retired);
  if (machine32(M_CLOCK_MODE) != 0) return;
  const per = <u64>machine32(M_INSNS_PER_TICK);
  const acc = machine64(M_TICK_ACCUM) + retired;
  if (per <= 1) { setMachine64(M_MTIME, machine64(M_MTIME) + acc); setMachine64(M_TICK_ACCUM, 0); return; }
  const ticks = acc / per;
  setMachine64(M_TICK_ACCUM, acc - ticks * per);
  setMachine64(M_MTIME, machine64(M_MTIME) + ticks);
}

/** Recomputes MTIP (mtime >= mtimecmp) and, under Sstc, STIP (mtime >= stimecmp). */
export function updateTimerIrqs(): void {
  const now = machine64(M_MTIME);
  let mip = csr64(H_MIP);
  if (now >= csr64(H_MTIMECMP)) mip |= MIP_MTIP; else mip &= ~MIP_MTIP;
  // Sstc (menvcfg.STCE) or the VMM's SBI timer drive STIP from stimecmp.
  if (sstcEnabled() || (machine32(M_VMM_FLAGS) & VMM_SBI_TIMER) != 0) {
    if (now >= csr64(H_STIMECMP)) mip |= MIP_STIP; else mip &= ~MIP_STIP;
  }
  // Sstc in VS-mode: VSTIP follows (time + htimedelta) >= vstimecmp (hypervisor.adoc "vstimecmp").
  if (hEnabled()) {
    if (vstimecmpEnabled() && now + csr64(H_HTIMEDELTA) >= csr64(H_VSTIMECMP)) mip |= MIP_VSTIP;
    else mip &= ~MIP_VSTIP;
  }
  setCsr64(H_MIP, mip);
}
