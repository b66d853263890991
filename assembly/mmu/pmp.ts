// Physical memory protection (privileged spec, machine.adoc "Physical Memory Protection").
//
// This hart implements 16 PMP entries with a grain of 4 bytes (G = 0): pmpcfg0 and pmpcfg2 hold
// the 8-bit configurations (stored as 16 consecutive bytes at H_PMPCFG), pmpaddr0..15 hold bits
// 55..2 of a physical address (u64 each at H_PMPADDR). pmpcfg1/3 are illegal on RV64 and
// pmpcfg4..14 / pmpaddr16..63 are read-only zero (handled by the CSR file).
//
// Decisions documented here (the spec leaves them to the implementation):
// * WARL R/W/X: the reserved combination R=0, W=1 is legalised by clearing W (the entry then
//   grants at most X). The two reserved cfg bits 6..5 read as zero.
// * Locking: a write to pmpNcfg or pmpaddrN of a locked entry is ignored, and a locked TOR entry
//   also freezes pmpaddrN-1 ("Locking and Privilege Mode"). Nothing unlocks except hart reset.
// * No match: M-mode accesses succeed; S/U accesses fail because 16 entries are implemented,
//   even when every entry is OFF (spec note under "Priority and Matching Logic"). Firmware
//   (OpenSBI) and our VMM's direct boot therefore program a full-range entry before entering S.
// * A partial match fails for every privilege, including M with an unlocked entry ("The
//   matching PMP entry must match all bytes of a memory operation, or the operation fails,
//   irrespective of the L, R, W, and X bits").
// * Physical addresses at or above 2^56 (beyond pmpaddr's reach) match no entry.
// Cached translations embed PMP decisions, so a PMP CSR write that changes anything flushes the
// hart's TLBs ("Physical Memory Protection and Paging": the spec requires SFENCE.VMA x0, x0
// after PMP writes; flushing eagerly is an allowed over-fence).
import { H_PMPCFG, H_PMPADDR, PRV_M } from "../layout";
import { hartBase } from "../cpu/state";
import { ACC_FETCH, ACC_LOAD } from "./access";
import { flushAllTlbs } from "./tlb";

/** Number of implemented PMP entries. */
export const PMP_ENTRIES: u32 = 16;
/** pmpcfg fields (machine.adoc "PMP configuration register format"). */
export const PMP_R: u32 = 0x01;
export const PMP_W: u32 = 0x02;
export const PMP_X: u32 = 0x04;
export const PMP_A_SHIFT: u32 = 3;
export const PMP_A: u32 = 0x18;
export const PMP_L: u32 = 0x80;
export const PMP_A_OFF: u32 = 0;
export const PMP_A_TOR: u32 = 1;
export const PMP_A_NA4: u32 = 2;
export const PMP_A_NAPOT: u32 = 3;
/** Writable pmpaddr bits on RV64: 55..2 of the address, i.e. register bits 53..0. */
export const PMPADDR_MASK: u64 = ((<u64>1) << 54) - 1;
/** Result bit of pmpPagePerms: the page is not covered by one decision. */
export const PMP_MIXED: u32 = 0x100;

// Byte masks over the 8 packed cfg bytes of one u64 half.
const CFG_A_BYTES: u64 = 0x1818_1818_1818_1818;
const PA_LIMIT: u64 = (<u64>1) << 56;

// Match bounds of the entry examined last (byte addresses, hi exclusive).
let matchLo: u64 = 0;
let matchHi: u64 = 0;

// @ts-ignore: decorator
@inline function cfgOf(i: u32): u32 { return <u32>load<u8>(hartBase + H_PMPCFG + i); }
// @ts-ignore: decorator
@inline function addrOf(i: u32): u64 { return load<u64>(hartBase + H_PMPADDR + (i << 3)); }

/** R/W/X permission bit (pmpcfg layout) needed by an access kind. */
// @ts-ignore: decorator
@inline export function pmpPermBit(access: u32): u32 {
  return access == ACC_FETCH ? PMP_X : (access == ACC_LOAD ? PMP_R : PMP_W);
}

/** True when at least one entry is not OFF. */
// @ts-ignore: decorator
@inline function anyActive(): bool {
  return ((load<u64>(hartBase + H_PMPCFG) | load<u64>(hartBase + H_PMPCFG + 8)) & CFG_A_BYTES) != 0;
}

// Computes [matchLo, matchHi) of entry i (with cfg byte `cfg`, A != OFF); false when empty.
// "Address Matching": TOR matches pmpaddr[i-1] <= y < pmpaddr[i] (0 as the bottom for entry 0),
// NA4 a 4-byte word, NAPOT a 2^(k+3)-byte region where k is the number of trailing ones.
function entryRange(i: u32, cfg: u32): bool {
  const a = (cfg >> PMP_A_SHIFT) & 3;
  const addr = addrOf(i);
  if (a == PMP_A_TOR) {
    matchLo = i == 0 ? 0 : (addrOf(i - 1) & PMPADDR_MASK) << 2;
    matchHi = (addr & PMPADDR_MASK) << 2;
    return matchLo < matchHi;
  }
  if (a == PMP_A_NA4) {
    matchLo = (addr & PMPADDR_MASK) << 2;
    matchHi = matchLo + 4;
    return true;
  }
  // NAPOT: k trailing ones select a 2^(k+3)-byte region; all 54 bits set covers 2^57 bytes.
  const k = <u32>ctz(~addr); // addr has bits 63..54 clear, so k <= 54
  const sizeWords = (<u64>1) << (k + 1);
  matchLo = (addr & ~(sizeWords - 1)) << 2;
  matchHi = matchLo + (sizeWords << 2);
  return true;
}

/** Checks an access of `size` bytes at physical `pa` of kind `access` (ACC_*) made with privilege `priv`. */
export function pmpCheck(pa: u64, size: u32, access: u32, priv: u32): bool {
  if (!anyActive()) return priv == PRV_M;
  const last = pa + <u64>(size - 1);
  if (pa < PA_LIMIT && last < PA_LIMIT) {
    for (let i: u32 = 0; i < PMP_ENTRIES; i++) {
      const cfg = cfgOf(i);
      if ((cfg & PMP_A) == 0) continue;
      if (!entryRange(i, cfg)) continue;
      if (last < matchLo || pa >= matchHi) continue; // no byte matches: lower priority decides
      // "Priority and Matching Logic": the lowest-numbered entry matching any byte decides.
      if (pa < matchLo || last >= matchHi) return false; // partial match
      if (priv == PRV_M && (cfg & PMP_L) == 0) return true;
      return (cfg & pmpPermBit(access)) != 0;
    }
  }
  return priv == PRV_M;
}

/** PMP decision for a whole 4 KiB physical page: PMP_R|W|X bits granted to every access in the
 *  page by privilege `priv`, or PMP_MIXED when accesses within the page may be decided differently. */
export function pmpPagePerms(pagePa: u64, priv: u32): u32 {
  const deflt: u32 = priv == PRV_M ? (PMP_R | PMP_W | PMP_X) : 0;
  if (!anyActive()) return deflt;
  const last = pagePa + 0xfff;
  if (pagePa >= PA_LIMIT || last >= PA_LIMIT) return deflt;
  for (let i: u32 = 0; i < PMP_ENTRIES; i++) {
    const cfg = cfgOf(i);
    if ((cfg & PMP_A) == 0) continue;
    if (!entryRange(i, cfg)) continue;
    if (last < matchLo || pagePa >= matchHi) continue;
    // The first entry touching the page decides every access in it only if it covers it all.
    if (pagePa < matchLo || last >= matchHi) return PMP_MIXED;
    if (priv == PRV_M && (cfg & PMP_L) == 0) return PMP_R | PMP_W | PMP_X;
    return cfg & (PMP_R | PMP_W | PMP_X);
  }
  return deflt;
}

/** True if one PMP decision covers the whole 4 KiB page at `pagePa` for privilege `priv`. */
export function pmpPageUniform(pagePa: u64, priv: u32): bool {
  return (pmpPagePerms(pagePa, priv) & PMP_MIXED) == 0;
}

/** Reads pmpcfg0 (index 0) or pmpcfg2 (index 2); other indices read as zero. */
export function pmpReadCfg(index: u32): u64 {
  if (index != 0 && index != 2) return 0;
  return load<u64>(hartBase + H_PMPCFG + (index << 2));
}

// WARL legalisation of one cfg byte (see the header).
// @ts-ignore: decorator
@inline function legalCfg(v: u32): u32 {
  v &= 0x9f; // bits 6..5 are reserved and read as zero
  if ((v & (PMP_R | PMP_W)) == PMP_W) v &= ~PMP_W; // R=0 W=1 is reserved
  return v;
}

/** Writes pmpcfg0 (index 0) or pmpcfg2 (index 2) with WARL and lock rules; flushes the TLBs on change. */
export function pmpWriteCfg(index: u32, value: u64): void {
  if (index != 0 && index != 2) return;
  const first = index << 2; // entry number of byte 0: 0 or 8
  let changed = false;
  for (let j: u32 = 0; j < 8; j++) {
    const i = first + j;
    const old = cfgOf(i);
    if ((old & PMP_L) != 0) continue; // locked: writes ignored
    const nv = legalCfg(<u32>(value >> (<u64>(j << 3))) & 0xff);
    if (nv != old) { store<u8>(hartBase + H_PMPCFG + i, <u8>nv); changed = true; }
  }
  if (changed) flushAllTlbs();
}

/** Reads pmpaddr`i` (0..15); others read as zero. */
export function pmpReadAddr(i: u32): u64 {
  if (i >= PMP_ENTRIES) return 0;
  return addrOf(i);
}

/** True when writes to pmpaddr`i` are ignored because of a lock. */
export function pmpAddrLocked(i: u32): bool {
  if ((cfgOf(i) & PMP_L) != 0) return true;
  if (i + 1 < PMP_ENTRIES) {
    const next = cfgOf(i + 1);
    if ((next & PMP_L) != 0 && ((next >> PMP_A_SHIFT) & 3) == PMP_A_TOR) return true;
  }
  return false;
}

/** Writes pmpaddr`i` (0..15) with WARL and lock rules; flushes the TLBs on change. */
export function pmpWriteAddr(i: u32, value: u64): void {
  if (i >= PMP_ENTRIES || pmpAddrLocked(i)) return;
  const nv = value & PMPADDR_MASK;
  if (nv == addrOf(i)) return;
  store<u64>(hartBase + H_PMPADDR + (i << 3), nv);
  flushAllTlbs();
}

/** Resets the current hart's PMP state (all entries OFF and unlocked, addresses zero) and flushes its TLBs. */
export function pmpReset(): void {
  memory.fill(hartBase + H_PMPCFG, 0, PMP_ENTRIES);
  memory.fill(hartBase + H_PMPADDR, 0, PMP_ENTRIES << 3);
  flushAllTlbs();
}
