// Memory layout of the shared linear memory: the single source of truth.
// scripts/gen-layout.mjs parses every `export const` in this file (and the Op enum in
// cpu/opcodes.ts) into host/core/layout.generated.ts, so the host never retypes an offset.
//
//   0 .. LAYOUT_BASE           AssemblyScript static data and stub heap (tiny; the core never
//                              allocates after start-up)
//   MACHINE_BASE               machine-wide block (time, HTIF, MMIO status, stop flag)
//   HART_BASE + n*HART_SIZE    per-hart state: registers, CSRs, exit record, statistics
//   TLB_BASE + n*TLB_HART_SIZE per-hart soft TLB (QEMU-shaped, one array per MMU mode)
//   DCACHE_BASE + n*DCACHE_HART_SIZE  per-hart decoded-instruction cache
//   RAM_HOST_BASE              guest DRAM (guest physical DRAM_BASE) up to the end of memory

// ---- regions ----
export const LAYOUT_BASE: u32 = 0x0100_0000;
export const MACHINE_BASE: u32 = LAYOUT_BASE;
export const MACHINE_SIZE: u32 = 0x1000;
export const MAX_HARTS: u32 = 8;
export const HART_BASE: u32 = LAYOUT_BASE + 0x1000;
export const HART_SIZE: u32 = 0x1000;
export const ZERO_PAGE: u32 = LAYOUT_BASE + 0xf000; // 4 KiB of zeros: the fetch cache's "invalid" page
export const TLB_BASE: u32 = LAYOUT_BASE + 0x1_0000;
export const TLB_ENTRIES: u32 = 256; // per MMU mode, direct mapped
export const TLB_ENTRY_SIZE: u32 = 64;
export const TLB_MODES: u32 = 8; // room for VS/VU (hypervisor) modes
export const TLB_HART_SIZE: u32 = TLB_ENTRIES * TLB_ENTRY_SIZE * TLB_MODES; // 128 KiB
export const DCACHE_BASE: u32 = TLB_BASE + TLB_HART_SIZE * MAX_HARTS; // +1 MiB
export const DCACHE_ENTRIES: u32 = 16384;
export const DCACHE_ENTRY_SIZE: u32 = 16;
export const DCACHE_HART_SIZE: u32 = DCACHE_ENTRIES * DCACHE_ENTRY_SIZE; // 256 KiB
// Dynamic binary translator (layer 3, jit/cache.ts): code cache, per-page state, translation buffer.
// They follow the decode caches; JIT_END must stay <= RAM_HOST_BASE (checked by a static assert in
// jit/cache.ts): today JIT_END = 0x0192_0000.
export const JIT_CACHE_BASE: u32 = DCACHE_BASE + DCACHE_HART_SIZE * MAX_HARTS;
export const JIT_CACHE_ENTRIES: u32 = 16384; // direct mapped, shared by all harts
export const JIT_CACHE_ENTRY_SIZE: u32 = 32;
export const JIT_PAGE_GEN_BASE: u32 = JIT_CACHE_BASE + JIT_CACHE_ENTRIES * JIT_CACHE_ENTRY_SIZE; // u32 generation per RAM page
export const JIT_MAX_PAGES: u32 = 0x10_0000; // 4 GiB of RAM pages at most
export const JIT_PAGE_FLAGS_BASE: u32 = JIT_PAGE_GEN_BASE + JIT_MAX_PAGES * 4; // u8 per RAM page: code bit, invalidations
export const JIT_BUF_BASE: u32 = JIT_PAGE_FLAGS_BASE + JIT_MAX_PAGES; // translation buffer (one module)
export const JIT_BUF_SIZE: u32 = 0x1_0000;
export const JIT_MAX_SLOTS: u32 = 0x1_0000; // table slots the translator may use (indices below this bound)
export const JIT_SLOT_REFS_BASE: u32 = JIT_BUF_BASE + JIT_BUF_SIZE; // u32 per table slot: cache entries pointing at it
export const JIT_FREE_SLOTS_BASE: u32 = JIT_SLOT_REFS_BASE + JIT_MAX_SLOTS * 4; // u32 stack of reusable slots
export const JIT_END: u32 = JIT_FREE_SLOTS_BASE + JIT_MAX_SLOTS * 4;
export const RAM_HOST_BASE: u32 = 0x0400_0000; // 64 MiB into linear memory
export const DRAM_BASE: u64 = 0x8000_0000; // guest physical base of DRAM (virt)

// ---- machine block (offsets from MACHINE_BASE) ----
export const M_RAM_SIZE: u32 = 0x00; // u64 guest DRAM size in bytes (set by host)
export const M_MTIME: u32 = 0x08; // u64 CLINT mtime (10 MHz)
export const M_CLOCK_MODE: u32 = 0x10; // u32 0 = deterministic, 1 = real (host writes mtime)
export const M_INSNS_PER_TICK: u32 = 0x14; // u32 deterministic clock: instructions per mtime tick
export const M_TICK_ACCUM: u32 = 0x18; // u64 deterministic clock: instructions not yet turned into ticks
export const M_TOHOST: u32 = 0x20; // u64 guest physical address of HTIF tohost (0 = none)
export const M_FROMHOST: u32 = 0x28; // u64 guest physical address of HTIF fromhost (0 = none)
export const M_MMIO_STATUS: u32 = 0x30; // u32 host sets after an MMIO call: 0 ok, 1 access fault
export const M_STOP: u32 = 0x34; // u32 host sets non-zero to make run() return (EXIT_STOP)
export const M_NUM_HARTS: u32 = 0x38; // u32
export const M_TRACE: u32 = 0x3c; // u32 non-zero: exit with EXIT_TRACE before every instruction
export const M_VMM_FLAGS: u32 = 0x40; // u32 VMM_* bits: how the VMM paravirtualizes the machine
export const M_JIT_THRESHOLD: u32 = 0x44; // u32 engine dbt: executions before a block is translated (0 = default)
export const M_CPU_FLAGS: u32 = 0x48; // u32 CPU_* bits: optional ISA features of the harts (set before reset)
// M_CPU_FLAGS bits
export const CPU_H: u32 = 1; // hypervisor extension (misa.H): HS/VS/VU modes, two-stage translation
export const CPU_NO_PWC: u32 = 2; // disable the G-stage page-walk cache (to measure what it saves)
// M_VMM_FLAGS bits
export const VMM_SBI_ECALL: u32 = 1; // ECALL from S-mode exits with EXIT_ECALL (the VMM is the SBI)
export const VMM_SBI_TIMER: u32 = 2; // STIP follows mtime >= stimecmp (the VMM's SBI set_timer)
export const VMM_HS_EXIT: u32 = 4; // --virt hw: the VMM is HS-mode; a trap into HS exits (EXIT_VTRAP) instead
export const VMM_GUEST_EXT: u32 = 8; // --virt hw: the PLIC's S-context line is guest external interrupt 1 (hgeip)

// ---- hart block (offsets from HART_BASE + hartid*HART_SIZE) ----
export const H_X: u32 = 0x000; // u64 x0..x31, then the x0 sink at index 32
export const X_SINK: u32 = 32; // decoder maps an integer rd of x0 to this slot
export const H_F: u32 = 0x110; // u64 f0..f31 (NaN-boxed singles)
export const H_PC: u32 = 0x210; // u64
export const H_PRIV: u32 = 0x218; // u32 PRV_U/PRV_S/PRV_M
export const H_VIRT: u32 = 0x21c; // u32 V bit (hypervisor extension; 0 until H lands)
export const H_RES_ADDR: u32 = 0x220; // u64 LR reservation (physical address)
export const H_RES_VALID: u32 = 0x228; // u32
export const H_WFI: u32 = 0x22c; // u32 hart is stalled in WFI
export const H_FFLAGS: u32 = 0x230; // u32 accrued exception flags (NV DZ OF UF NX)
export const H_FRM: u32 = 0x234; // u32 dynamic rounding mode
export const H_HARTID: u32 = 0x238; // u32
export const H_TLB_DATA: u32 = 0x240; // u32 linear address of the data TLB array in force (for translated code)
export const H_TLB_CTX: u32 = 0x244; // u32 address-space context in force (for translated code)
export const H_JIT_RETIRED: u32 = 0x248; // u32 instructions the last translated block retired
export const H_JIT_ENTRY: u32 = 0x24c; // u32 input of a translated region: index of the block to start at
export const H_JIT_LIMIT: u32 = 0x250; // u32 input of a translated region: retired count after which back edges exit
export const H_TLB_FETCH: u32 = 0x254; // u32 linear address of the fetch TLB array in force (for chained calls of translated code)

// CSR storage (u64 each)
export const H_MSTATUS: u32 = 0x300;
export const H_MISA: u32 = 0x308;
export const H_MEDELEG: u32 = 0x310;
export const H_MIDELEG: u32 = 0x318;
export const H_MIE: u32 = 0x320;
export const H_MIP: u32 = 0x328; // software-writable bits plus host-driven bits (MTIP via core, MEIP/SEIP via PLIC)
export const H_MTVEC: u32 = 0x330;
export const H_MCOUNTEREN: u32 = 0x338;
export const H_MSCRATCH: u32 = 0x340;
export const H_MEPC: u32 = 0x348;
export const H_MCAUSE: u32 = 0x350;
export const H_MTVAL: u32 = 0x358;
export const H_MENVCFG: u32 = 0x360;
export const H_MCOUNTINHIBIT: u32 = 0x368;
export const H_STVEC: u32 = 0x370;
export const H_SCOUNTEREN: u32 = 0x378;
export const H_SSCRATCH: u32 = 0x380;
export const H_SEPC: u32 = 0x388;
export const H_SCAUSE: u32 = 0x390;
export const H_STVAL: u32 = 0x398;
export const H_SENVCFG: u32 = 0x3a0;
export const H_SATP: u32 = 0x3a8;
export const H_STIMECMP: u32 = 0x3b0; // Sstc
export const H_MTIMECMP: u32 = 0x3b8; // CLINT mtimecmp for this hart (host's CLINT reads/writes it)
export const H_MCYCLE: u32 = 0x3c0; // offset added to instret for mcycle
export const H_MINSTRET: u32 = 0x3c8; // offset added to instret for minstret writes
export const H_MTINST: u32 = 0x3d0;
export const H_MTVAL2: u32 = 0x3d8;
export const H_EXT_IRQ: u32 = 0x3e0; // u64 interrupt lines driven by host devices (MEIP/SEIP/MSIP bits), ORed into mip
export const H_PMPCFG: u32 = 0x400; // 16 x u8 pmpcfg entries (pmpcfg0 and pmpcfg2 on RV64)
export const H_PMPADDR: u32 = 0x410; // 16 x u64
// Hypervisor extension (hypervisor.adoc): HS-level CSRs, then the VS-level copies of the S CSRs.
export const H_HYP_CSRS: u32 = 0x490;
export const H_HSTATUS: u32 = 0x490;
export const H_HEDELEG: u32 = 0x498;
export const H_HIDELEG: u32 = 0x4a0;
export const H_HVIP: u32 = 0x4a8; // VSSIP/VSTIP/VSEIP as written by the hypervisor
export const H_HCOUNTEREN: u32 = 0x4b0;
export const H_HGEIE: u32 = 0x4b8;
export const H_HENVCFG: u32 = 0x4c0;
export const H_HTVAL: u32 = 0x4c8;
export const H_HTINST: u32 = 0x4d0;
export const H_HGATP: u32 = 0x4d8;
export const H_HTIMEDELTA: u32 = 0x4e0;
export const H_VSSTATUS: u32 = 0x4e8;
export const H_VSTVEC: u32 = 0x4f0;
export const H_VSSCRATCH: u32 = 0x4f8;
export const H_VSEPC: u32 = 0x500;
export const H_VSCAUSE: u32 = 0x508;
export const H_VSTVAL: u32 = 0x510;
export const H_VSATP: u32 = 0x518;
export const H_VSTIMECMP: u32 = 0x520;
export const H_HGEIP: u32 = 0x528; // guest external interrupt lines (host-driven; bit 1 only)

// exit record (like kvm_run): why run() returned and details
export const H_EXIT_REASON: u32 = 0x600; // u32 EXIT_*
export const H_EXIT_CODE: u32 = 0x604; // u32 detail (e.g. cause)
export const H_EXIT_ADDR: u32 = 0x608; // u64 detail (address)
export const H_EXIT_VALUE: u32 = 0x610; // u64 detail (value)

// statistics (u64 counters)
export const H_INSTRET: u32 = 0x700; // retired instructions (raw counter behind minstret/mcycle)
export const H_STAT_TLB_HIT: u32 = 0x708; // counted only on the slow path (see mmu/tlb.ts)
export const H_STAT_TLB_MISS: u32 = 0x710;
export const H_STAT_TLB_FLUSH: u32 = 0x718;
export const H_STAT_MMIO_READ: u32 = 0x720;
export const H_STAT_MMIO_WRITE: u32 = 0x728;
export const H_STAT_TRAPS: u32 = 0x730;
export const H_STAT_INTERRUPTS: u32 = 0x738;
export const H_STAT_DCACHE_MISS: u32 = 0x740;
export const H_STAT_PAGE_WALKS: u32 = 0x748;
export const H_STAT_WALK_REFS: u32 = 0x750; // memory references made by page walks
export const H_STAT_JIT_INSNS: u32 = 0x758; // instructions retired inside translated code (engine dbt)
export const H_STAT_JIT_CALLS: u32 = 0x760; // calls of translated blocks
export const H_STAT_JIT_TRANSLATIONS: u32 = 0x768; // regions translated (EXIT_TRANSLATE exits)
export const H_STAT_JIT_INVALIDATIONS: u32 = 0x770; // code pages invalidated by a store
export const H_STAT_JIT_REGION_BLOCKS: u32 = 0x778; // blocks in the translated regions (entry points)
export const H_STAT_EXITS: u32 = 0x780; // u64 per exit reason, indexed by EXIT_*
export const H_STAT_JIT_EVICTIONS: u32 = 0x800; // ready cache entries replaced (collision, stale page) or flushed
export const H_STAT_JIT_SLOTS_FREED: u32 = 0x808; // table slots no cache entry points at any more (reusable)

export const H_STAT_GWALKS: u32 = 0x810; // G-stage walks (two-stage translation; their references count in WALK_REFS)
export const H_STAT_PWC_HITS: u32 = 0x818; // G-stage translations served by the page-walk cache
export const H_STAT_VTRAPS: u32 = 0x820; // traps from V=1 into HS (with VMM_HS_EXIT: exits to the VMM)
export const H_STAT_JIT_REGION_PAGES: u32 = 0x828; // guest pages (functions) of the translated modules (jit/chain.ts)
export const H_STAT_JIT_CHAINS: u32 = 0x830; // region exits chained to another translation without the dispatcher (jit/chain.ts jitChain)
// G-stage page-walk cache (mmu/gstage.ts): PWC_ENTRIES direct-mapped {u64 gpa page | 1, u64 host page, u64 G-stage PTE}
export const H_PWC: u32 = 0x900;
export const PWC_ENTRIES: u32 = 64;
export const PWC_ENTRY_SIZE: u32 = 24;

// ---- exit reasons ----
export const EXIT_NONE: u32 = 0;
export const EXIT_BUDGET: u32 = 1; // instruction budget spent
export const EXIT_WFI: u32 = 2; // hart waits for an interrupt
export const EXIT_STOP: u32 = 3; // host asked to stop (M_STOP), e.g. syscon poweroff
export const EXIT_HTIF: u32 = 4; // guest wrote tohost; EXIT_VALUE holds the value
export const EXIT_ECALL: u32 = 5; // SBI call for the VMM (VMM_SBI_ECALL); pc is at the ecall
export const EXIT_EMULATE: u32 = 6; // trap the VMM must emulate (trap-and-emulate mode)
export const EXIT_GPA_FAULT: u32 = 7; // guest-physical fault (hypervisor modes)
export const EXIT_BREAKPOINT: u32 = 8; // ebreak with debug exits enabled
export const EXIT_TRACE: u32 = 9; // single-step for --trace
export const EXIT_HALT: u32 = 10; // the hart cannot continue (e.g. fetch loop on nowhere)
export const EXIT_TRANSLATE: u32 = 11; // translation ready to compile: EXIT_ADDR = buffer, EXIT_VALUE = length
export const EXIT_VTRAP: u32 = 12; // VMM_HS_EXIT: a trap from V=1 into HS (a VM exit); the hart stays at the trapping pc
                                     // in V=1; EXIT_CODE = cause (bit 31: interrupt), EXIT_ADDR = stval, EXIT_VALUE =
                                     // htval << 2 (GPA with its low 2 bits zero); scause/stval/htval/htinst hold the HS view
export const EXIT_REASONS: u32 = 16;

// ---- privilege levels ----
export const PRV_U: u32 = 0;
export const PRV_S: u32 = 1;
export const PRV_M: u32 = 3;
