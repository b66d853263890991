// PLACEHOLDER until the MMU lands.
/** Fills the TLB entry for va in the array at `base`; returns the entry address or 0 (fault raised). */
export function tlbFill(base: u32, va: u64, access: u32): u32 { return 0; }
/** Invalidates every TLB entry of the current hart. */
export function flushAllTlbs(): void {}
