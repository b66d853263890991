# Bare-metal entry for the QEMU golden-vector runner (qemu-system-riscv64 -machine virt -bios none).
  .section .text.start
  .globl _start
_start:
  la sp, __stack_top
  li t0, (1 << 13)          # mstatus.FS = Initial: enable the FPU
  csrs mstatus, t0
  csrwi fcsr, 0
  call main
  li t0, 0x100000           # sifive_test: power off
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b
