// The hardware-assisted VMM (`--virt hw`): an unmodified Linux guest runs in VS-mode on harts
// with the hypervisor extension, and the host plays HS-mode — the VT-x/EPT row of DESIGN.md §4.
//
// What the host sets up (the HS-mode hypervisor's and M-mode firmware's job, done once per hart
// at every boot, hypervisor.adoc "Hypervisor and Virtual Supervisor CSRs"):
//  * medeleg: every delegable exception goes below M (incl. 10 = ecall from VS and 20..23 =
//    guest-page faults and virtual instruction), so they reach "HS" — i.e. exit to this VMM;
//    mideleg: the S-level interrupts.
//  * hedeleg = what Linux handles itself (0xb1ff: misaligned, access faults, illegal,
//    breakpoint, ecall from VU, page faults): those go straight to VS without an exit.
//    hideleg = VSSIP|VSTIP|VSEIP: the guest's interrupts are the VS-level ones.
//  * counters: mcounteren = hcounteren = 7 (cycle, time, instret readable in VS/VU);
//    menvcfg.STCE + henvcfg.STCE: Linux's stimecmp (Sstc) is vstimecmp, no exit per timer;
//  * mstatus.FS on (vsstatus.FS is the guest's own); hstatus.VGEIN = 1 and VMM_GUEST_EXT: the
//    PLIC's supervisor context is guest external interrupt line 1, so device interrupts arrive
//    as VSEIP without an exit;
//  * hgatp = Sv48x4 with VMID 1 over tables built in the reserve at the top of host RAM
//    (gstage.ts), guest RAM at GPA = HPA, device regions unmapped.
//
// Exits (VMM_HS_EXIT, layout.ts EXIT_VTRAP): a trap from V=1 into HS leaves the hart unchanged
// at the trapping pc with scause/stval/htval/htinst written, and run() returns. This module reads
// the cause like a VMCS exit-reason field and counts each reason (Machine.vmExits):
//  * "sbi" (cause 10): the guest's SBI call, answered by sbi.ts with the VS-level hooks below
//    (set_timer writes vstimecmp, IPIs set hvip.VSSIP, hart_start enters VS), pc += 4;
//  * "mmio-load" / "mmio-store" (cause 21/23 on a device address): emulated from htinst
//    (mmio-emulation.ts) through the board's bus;
//  * "mmio-unclaimed", "page-table-fault", "fetch-fault": an access no device claims, a guest
//    page-table walk into device space, an instruction fetch outside RAM — a guest-visible
//    access fault injected into VS (vscause/vsepc/vstval/vsstatus, pc = vstvec), as the guest
//    would see on a machine without a hypervisor;
//  * "virtual-instruction" (cause 22): converted into an illegal-instruction exception for the
//    guest (hypervisor.adoc "Virtual Instruction Exceptions" notes a hypervisor may emulate the
//    instruction or do exactly this; nothing here needs emulating).
// WFI stays in the core: VS-mode WFI with hstatus.VTW = 0 waits like any WFI (EXIT_WFI, the
// machine's idle logic, which knows vstimecmp).
import {
  H_MEDELEG, H_MIDELEG, H_HEDELEG, H_HIDELEG, H_MCOUNTEREN, H_HCOUNTEREN, H_MENVCFG, H_HENVCFG, H_MSTATUS,
  H_HSTATUS, H_HGATP, H_HVIP, H_VSTIMECMP, H_VSSTATUS, H_VSEPC, H_VSCAUSE, H_VSTVAL, H_VSTVEC, H_HTINST, H_STVAL,
  H_PMPADDR, H_PMPCFG, H_VIRT, H_STAT_MMIO_READ, H_STAT_MMIO_WRITE, PRV_S, VMM_HS_EXIT, VMM_GUEST_EXT,
} from "../core/layout.generated.js";
import type { HartState } from "../core/state.js";
import { hex } from "../core/memory.js";
import type { Machine } from "../machine/machine.js";
import { ConfigError, CoreError, GuestError } from "../machine/errors.js";
import { buildGstageTables } from "./gstage.js";
import { emulateMmioAccess } from "./mmio-emulation.js";
import { handleSbiCall, type SbiCounters, type SbiMachine } from "./sbi.js";

/** Exceptions M-mode passes down: everything medeleg can hold with H (0..9, 10, 12, 13, 15, 20..23). */
export const HW_MEDELEG = 0xb3ffn | 1n << 10n | 0xfn << 20n;
/** S-level interrupts (SSIP, STIP, SEIP) go below M. */
export const HW_MIDELEG = 0x222n;
/** Exceptions the guest kernel handles itself (as under firmware): straight to VS, no exit. */
export const HW_HEDELEG = 0xb1ffn;
/** VS-level interrupts (VSSIP, VSTIP, VSEIP) go to the guest. */
export const HW_HIDELEG = 0x444n;
/** The VMID of the (only) guest. */
export const GUEST_VMID = 1;

// Exception causes (privileged spec, "mcause" table; hypervisor.adoc adds 10 and 20..23).
const CAUSE_FETCH_ACCESS = 1, CAUSE_ILLEGAL_INSTRUCTION = 2, CAUSE_LOAD_ACCESS = 5, CAUSE_STORE_ACCESS = 7;
const CAUSE_VS_ECALL = 10, CAUSE_FETCH_GUEST_PAGE_FAULT = 20, CAUSE_LOAD_GUEST_PAGE_FAULT = 21;
const CAUSE_VIRTUAL_INSTRUCTION = 22, CAUSE_STORE_GUEST_PAGE_FAULT = 23;
const INTERRUPT_FLAG = 0x8000_0000;
const MSTATUS_SIE = 1n << 1n, MSTATUS_SPIE = 1n << 5n, MSTATUS_SPP = 1n << 8n, MSTATUS_FS_INITIAL = 1n << 13n;
const HSTATUS_VGEIN_1 = 1n << 12n;
const MIP_VSSIP = 1n << 2n;
const ENVCFG_STCE = 1n << 63n;
const PMP_ALL_ADDRESS = (1n << 54n) - 1n, PMP_ALL_CFG = 0x1f;
/** Pseudo-instructions in htinst for an implicit VS-stage page-table read/write. */
const PSEUDO_PTE_READ = 0x3000n, PSEUDO_PTE_WRITE = 0x3020n;

/** The hardware-assisted VMM of one machine (created by bootLinux for `virt: "hw"`). */
export class HardwareAssistedVmm {
  /** The hgatp value every hart runs with. */
  readonly hgatp: bigint;
  private readonly sbi: SbiMachine;

  /** Builds the G-stage tables of `machine` (created with virt "hw") and installs the exit handler;
   *  `makeSbi` gives the SBI services with the VS-level hooks this VMM supplies. */
  constructor(private readonly machine: Machine, private readonly sbiCalls: SbiCounters,
              makeSbi: (overrides: Partial<SbiMachine>) => SbiMachine) {
    const plan = machine.memoryPlan;
    if (machine.virt !== "hw" || !plan) throw new ConfigError("the hardware-assisted VMM needs a machine created with virt: \"hw\"");
    this.hgatp = buildGstageTables(machine.core.ram, plan, GUEST_VMID);
    this.sbi = makeSbi({
      startHart: (id, address, opaque) => this.startHart(id, address, opaque),
      setTimer: (hart, value) => hart.write64(H_VSTIMECMP, value), // VSTIP follows it in the core
      setSoftwareInterrupt: (hart, pending) => {
        const hvip = hart.read64(H_HVIP);
        hart.write64(H_HVIP, pending ? hvip | MIP_VSSIP : hvip & ~MIP_VSSIP);
      },
    });
    machine.core.machine.vmmFlags = VMM_HS_EXIT | VMM_GUEST_EXT;
    machine.setHypercallHandler(undefined);
    machine.setVirtualTrapHandler((hart) => this.handleExit(hart));
  }

  /** Boot hook: configures `hart` as described in the header and enters the kernel at `entry` in
   *  VS-mode with a0 = hart id, a1 = `dtbAddress` (hart 0; the others wait for SBI hart_start). */
  enterGuest(hart: HartState, entry: bigint, dtbAddress: bigint): void {
    hart.write64(H_PMPADDR, PMP_ALL_ADDRESS);
    hart.write32(H_PMPCFG, PMP_ALL_CFG);
    hart.write64(H_MEDELEG, HW_MEDELEG);
    hart.write64(H_MIDELEG, HW_MIDELEG);
    hart.write64(H_HEDELEG, HW_HEDELEG);
    hart.write64(H_HIDELEG, HW_HIDELEG);
    hart.write64(H_MCOUNTEREN, 7n);
    hart.write64(H_HCOUNTEREN, 7n);
    hart.write64(H_MENVCFG, ENVCFG_STCE);
    hart.write64(H_HENVCFG, ENVCFG_STCE);
    hart.write64(H_MSTATUS, hart.read64(H_MSTATUS) | MSTATUS_FS_INITIAL);
    hart.write64(H_HSTATUS, hart.read64(H_HSTATUS) | HSTATUS_VGEIN_1);
    hart.write64(H_HGATP, this.hgatp);
    this.machine.core.exports.tlbFlushAll(); // translations cached before hgatp and PMP were set
    this.machine.setHartParked(hart.id, hart.id !== 0);
    if (hart.id === 0) this.enterVirtualSupervisor(hart, entry, dtbAddress);
  }

  /** Handles EXIT_VTRAP of `hart`: one VM exit, by its cause (see the header). */
  handleExit(hart: HartState): void {
    const code = hart.exitCode >>> 0;
    const cause = code & ~INTERRUPT_FLAG;
    if ((code & INTERRUPT_FLAG) !== 0) {
      // Nothing is routed to HS as an interrupt in this configuration (no hgeie, no HS timer or
      // software interrupt): one arriving means the setup is broken, and it would repeat forever.
      this.count("interrupt");
      throw new CoreError(`hart ${hart.id}: unexpected interrupt ${cause} routed to the hypervisor at pc ${hex(hart.pc)}`);
    }
    switch (cause) {
      case CAUSE_VS_ECALL:
        this.count("sbi");
        handleSbiCall(this.sbi, hart, this.sbiCalls);
        if (!this.machine.isHartParked(hart.id)) hart.pc = hart.pc + 4n;
        return;
      case CAUSE_LOAD_GUEST_PAGE_FAULT:
      case CAUSE_STORE_GUEST_PAGE_FAULT:
        this.guestPageFault(hart, cause === CAUSE_STORE_GUEST_PAGE_FAULT);
        return;
      case CAUSE_FETCH_GUEST_PAGE_FAULT:
        this.count("fetch-fault");
        injectVirtualSupervisorTrap(hart, CAUSE_FETCH_ACCESS, hart.exitAddress);
        return;
      case CAUSE_VIRTUAL_INSTRUCTION:
        this.count("virtual-instruction");
        injectVirtualSupervisorTrap(hart, CAUSE_ILLEGAL_INSTRUCTION, hart.read64(H_STVAL));
        return;
      default:
        this.count(`cause-${cause}`);
        throw new GuestError(`hart ${hart.id}: VM exit with cause ${cause} at pc ${hex(hart.pc)} ` +
          `(stval ${hex(hart.exitAddress)}), which the hardware-assisted VMM does not handle`);
    }
  }

  // A load/store guest-page fault: a device access to emulate, or a guest-visible access fault.
  private guestPageFault(hart: HartState, store: boolean): void {
    // EXIT_VALUE is htval << 2: the guest physical address without its low two bits, which are
    // those of the guest virtual address in stval (same page offset; "htval" in hypervisor.adoc).
    const va = hart.exitAddress, htinst = hart.read64(H_HTINST);
    const gpa = (hart.exitValue & ~3n) | (va & 3n);
    const accessFault = store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS;
    if (htinst === PSEUDO_PTE_READ || htinst === PSEUDO_PTE_WRITE) {
      // The guest's own page-table walk reached a non-RAM address: an access fault of the
      // original access type, as without a hypervisor (supervisor.adoc, walk step 2).
      this.count("page-table-fault");
      injectVirtualSupervisorTrap(hart, accessFault, va);
      return;
    }
    if (this.machine.guestRam.contains(gpa)) {
      throw new CoreError(`hart ${hart.id}: guest-page fault on mapped guest RAM ${hex(gpa)} at pc ${hex(hart.pc)} (G-stage tables damaged?)`);
    }
    const outcome = emulateMmioAccess(hart, this.machine.board.bus, gpa, htinst);
    if (outcome.kind === "emulated") {
      this.count(store ? "mmio-store" : "mmio-load");
      const stat = store ? H_STAT_MMIO_WRITE : H_STAT_MMIO_READ;
      hart.write64(stat, hart.read64(stat) + 1n);
      return;
    }
    this.count(outcome.kind === "unclaimed" ? "mmio-unclaimed" : "mmio-undecodable");
    injectVirtualSupervisorTrap(hart, accessFault, va);
  }

  // SBI HSM hart_start: the hart enters the guest in VS-mode (its CSRs were set at boot).
  private startHart(id: number, address: bigint, opaque: bigint): void {
    const hart = this.machine.harts[id]!;
    this.machine.setHartParked(id, false);
    this.enterVirtualSupervisor(hart, address, opaque);
  }

  // VS-mode at `pc` with a0 = hart id and a1 = `a1` (the SBI boot protocol, as direct boot does in S).
  private enterVirtualSupervisor(hart: HartState, pc: bigint, a1: bigint): void {
    hart.privilege = PRV_S;
    hart.write32(H_VIRT, 1);
    hart.pc = pc;
    hart.setX(10, BigInt(hart.id));
    hart.setX(11, a1);
  }

  private count(reason: string): void {
    const exits = this.machine.vmExits;
    exits.set(reason, (exits.get(reason) ?? 0) + 1);
  }
}

/** Injects exception `cause` with `tval` into the guest on `hart` as VS-mode trap entry would
 *  (hypervisor.adoc "Trap Entry" with hedeleg: vscause, vsepc, vstval, vsstatus.SPP/SPIE/SIE;
 *  pc = vstvec, direct mode — exceptions never use the vector table). The hart stays V=1 in VS. */
export function injectVirtualSupervisorTrap(hart: HartState, cause: number, tval: bigint): void {
  let vsstatus = hart.read64(H_VSSTATUS);
  const sie = (vsstatus & MSTATUS_SIE) !== 0n;
  vsstatus &= ~(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP);
  if (sie) vsstatus |= MSTATUS_SPIE;
  if (hart.privilege === PRV_S) vsstatus |= MSTATUS_SPP;
  hart.write64(H_VSSTATUS, vsstatus);
  hart.write64(H_VSEPC, hart.pc);
  hart.write64(H_VSCAUSE, BigInt(cause));
  hart.write64(H_VSTVAL, tval);
  hart.privilege = PRV_S;
  hart.pc = hart.read64(H_VSTVEC) & ~3n;
}
