// Functions the host provides to the core (imported from module "env").
// Device registers are reached synchronously through the host's bus. After each call the host
// has written M_MMIO_STATUS (0 = ok, 1 = no device / access fault) and may have set M_STOP.

/** Reads `size` bytes (1, 2, 4, 8) at guest physical `paddr` from the host's bus. */
@external("env", "mmio_read")
export declare function mmioRead(hart: u32, paddr: u64, size: u32): u64;

/** Writes `size` bytes of `value` at guest physical `paddr` on the host's bus. */
@external("env", "mmio_write")
export declare function mmioWrite(hart: u32, paddr: u64, size: u32, value: u64): void;
