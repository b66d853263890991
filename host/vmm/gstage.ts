// The G-stage page tables of the hardware-assisted VMM (`--virt hw`): guest physical -> host
// physical translation for a guest running in VS-mode (privileged spec, hypervisor.adoc
// "Guest Physical Address Translation", "Two-Stage Address Translation").
//
// Memory plan. The host's RAM is split in two: the guest gets [DRAM_BASE, DRAM_BASE + guestSize)
// and its device tree's memory node says exactly that; the rest, at the top of host RAM, holds the
// G-stage tables and is mapped nowhere in the G-stage, so no guest load, store, fetch or page-table
// walk can reach it (such an access is a guest-page fault, which the VMM turns into an access
// fault — see hw.ts). Virtio devices are given the guest's RAM view only, so DMA cannot reach it
// either.
//
// Guest RAM is mapped at GPA = HPA (identity). That is a choice, not a necessity: the G-stage
// could place guest frames anywhere. Identity keeps the VMM simple where it matters — the guest's
// DMA addresses (virtio descriptors, the DBCN console buffer) are guest physical, and with the
// identity map the host's virtio devices use them as host physical addresses without a
// GPA -> HPA lookup on every buffer, exactly as they do under full emulation; the loaders place
// the kernel, initrd and DTB at the addresses the guest will see. Isolation comes from the
// reserve being unmapped and from DMA being bounded by the guest's RAM view, not from remapping.
//
// Table format: Sv39x4 (3 levels) or Sv48x4 (4 levels); the root covers two more GPA bits and so
// is 16 KiB, 16 KiB-aligned ("hgatp": PPN[1:0] are zero). Leaves are 4 KiB by default, so a guest
// TLB miss costs the full two-dimensional walk (up to 24 references with 4-level over 4-level);
// 2 MiB leaves are available to measure the difference. G-stage leaves must have U=1 (all
// G-stage accesses are treated as user accesses), and A and D are set up front so that the walker
// never has to write a G-stage PTE.
import type { GuestRam } from "../core/memory.js";
import { DRAM_BASE_ADDRESS, hex } from "../core/memory.js";
import { ConfigError } from "../machine/errors.js";

/** Bytes of a page and of a page-table page. */
export const PAGE_SIZE_BYTES = 0x1000;

/** hgatp.MODE values (hypervisor.adoc "hgatp"). */
export const HGATP_MODE_SV39X4 = 8n;
/** Sv48x4: 4 levels, 50-bit guest physical addresses. */
export const HGATP_MODE_SV48X4 = 9n;
/** Leaf sizes the builder can use. */
export const LEAF_SIZES = { "4K": 0x1000, "2M": 0x20_0000 } as const;
/** A leaf size name. */
export type LeafSize = keyof typeof LEAF_SIZES;
/** Guest RAM is a whole number of 2 MiB blocks (Linux maps its RAM with 2 MiB pages). */
export const GUEST_RAM_ALIGNMENT = 0x20_0000;
/** The smallest guest the plan accepts (a kernel needs more, but the plan itself stops here). */
export const MIN_GUEST_RAM = 4 * 0x10_0000;

// PTE bits (supervisor.adoc "Sv39 page table entry").
const PTE_V = 1n, PTE_R = 2n, PTE_W = 4n, PTE_X = 8n, PTE_U = 16n, PTE_A = 64n, PTE_D = 128n;
/** The flags of every G-stage leaf for guest RAM. */
export const GSTAGE_LEAF_FLAGS = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;
const ROOT_BYTES = 4 * PAGE_SIZE_BYTES;

/** How host RAM is divided between the guest and the G-stage tables. */
export interface GuestMemoryPlan {
  /** Bytes of host RAM. */
  readonly hostSize: number;
  /** Bytes of guest RAM, mapped at GPA = HPA from DRAM_BASE. */
  readonly guestSize: number;
  /** Host physical address of the reserve (= DRAM_BASE + guestSize). */
  readonly reserveBase: number;
  /** Bytes reserved for the tables. */
  readonly reserveSize: number;
  /** Number of levels (3 = Sv39x4, 4 = Sv48x4). */
  readonly levels: 3 | 4;
  /** Leaf size in bytes. */
  readonly leafBytes: number;
}

/** Number of table pages needed to map `bytes` of RAM from DRAM_BASE with `levels` and `leafBytes`. */
export function tablePagesFor(bytes: number, levels: 3 | 4, leafBytes: number): number {
  // The root is 4 pages; below it, a table of level L (0 = the 4 KiB-leaf level) maps
  // 4 KiB * 512^(L+1) bytes, and one is needed per such block that RAM touches, from the level
  // holding the leaves up to the one under the root.
  let pages = ROOT_BYTES / PAGE_SIZE_BYTES;
  const leafLevel = leafBytes === PAGE_SIZE_BYTES ? 0 : 1;
  for (let level = leafLevel; level < levels - 1; level++) {
    const tableSpan = PAGE_SIZE_BYTES * 512 ** (level + 1);
    const first = Math.floor(DRAM_BASE_ADDRESS / tableSpan);
    const last = Math.floor((DRAM_BASE_ADDRESS + bytes - 1) / tableSpan);
    pages += last - first + 1;
  }
  return pages;
}

/** Splits `hostSize` bytes of RAM into guest RAM and a G-stage reserve at the top; ConfigError
 *  if what is left for the guest is below MIN_GUEST_RAM. */
export function planGuestMemory(hostSize: number, options: { levels?: 3 | 4; leaf?: LeafSize } = {}): GuestMemoryPlan {
  const levels = options.levels ?? 4;
  const leaf = options.leaf ?? "4K";
  const leafBytes = LEAF_SIZES[leaf];
  if (leafBytes === undefined) throw new ConfigError(`unknown G-stage leaf size "${String(leaf)}" (4K or 2M)`);
  // Tables sized for all of host RAM are enough for the (smaller) guest; the reserve is rounded
  // up so that the guest keeps whole 2 MiB blocks.
  const tableBytes = tablePagesFor(hostSize, levels, leafBytes) * PAGE_SIZE_BYTES;
  const guestSize = Math.floor((hostSize - tableBytes) / GUEST_RAM_ALIGNMENT) * GUEST_RAM_ALIGNMENT;
  if (guestSize < MIN_GUEST_RAM) {
    throw new ConfigError(`--virt hw: ${hostSize} bytes of RAM leave ${Math.max(0, guestSize)} bytes for the guest after ` +
      `the G-stage reserve of ${tableBytes} bytes; give the machine at least ${MIN_GUEST_RAM + GUEST_RAM_ALIGNMENT + tableBytes} bytes`);
  }
  const reserveBase = DRAM_BASE_ADDRESS + guestSize;
  return { hostSize, guestSize, reserveBase, reserveSize: hostSize - guestSize, levels, leafBytes };
}

/** Builds the G-stage tables for `plan` into the reserve of `hostRam`, mapping guest RAM at
 *  GPA = HPA with 4 KiB (or 2 MiB) leaves, and returns the hgatp value (MODE, `vmid`, root PPN). */
export function buildGstageTables(hostRam: GuestRam, plan: GuestMemoryPlan, vmid: number): bigint {
  if (!Number.isInteger(vmid) || vmid < 0 || vmid > 0x3fff) throw new ConfigError(`VMID ${vmid} out of range 0..16383`);
  if (plan.reserveBase + plan.reserveSize !== hostRam.end) {
    throw new ConfigError(`G-stage reserve [${hex(plan.reserveBase)}, +${plan.reserveSize}) does not end at the top of RAM ${hex(hostRam.end)}`);
  }
  hostRam.fill(plan.reserveBase, plan.reserveSize, 0);
  let next = plan.reserveBase; // page allocator over the reserve (the root first: 16 KiB-aligned)
  const allocate = (bytes: number): number => {
    const page = next;
    next += bytes;
    if (next > plan.reserveBase + plan.reserveSize) throw new ConfigError("the G-stage reserve is too small for the tables");
    return page;
  };
  const root = allocate(ROOT_BYTES);
  const leafLevel = plan.leafBytes === PAGE_SIZE_BYTES ? 0 : 1;
  for (let gpa = DRAM_BASE_ADDRESS; gpa < DRAM_BASE_ADDRESS + plan.guestSize; gpa += plan.leafBytes) {
    let table = root;
    for (let level = plan.levels - 1; level > leafLevel; level--) {
      const slot = table + 8 * indexAt(gpa, level, level === plan.levels - 1);
      let pte = hostRam.read64(slot);
      if ((pte & PTE_V) === 0n) {
        const child = allocate(PAGE_SIZE_BYTES);
        pte = (BigInt(child) >> 12n) << 10n | PTE_V; // non-leaf: V only (R = W = X = 0)
        hostRam.write64(slot, pte);
      }
      table = Number((pte >> 10n) << 12n);
    }
    hostRam.write64(table + 8 * indexAt(gpa, leafLevel, false), (BigInt(gpa) >> 12n) << 10n | GSTAGE_LEAF_FLAGS);
  }
  const mode = plan.levels === 4 ? HGATP_MODE_SV48X4 : HGATP_MODE_SV39X4;
  return mode << 60n | BigInt(vmid) << 44n | BigInt(root) >> 12n;
}

/** Index into a table of `level` for `gpa`: 9 bits per level, 11 at the root (the "x4"). */
function indexAt(gpa: number, level: number, root: boolean): number {
  const shift = 12 + 9 * level;
  const bits = root ? 11 : 9;
  return Math.floor(gpa / 2 ** shift) % 2 ** bits;
}
