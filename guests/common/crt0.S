/* C runtime start for the bare-metal C programs (guests/programs): M-mode, one hart.
   Sets up the stack, gp and tp (picolibc's TLS, see link.ld), clears .bss (and .tbss),
   enables the FPU, calls main and exits via syscon with main's return value (0 = pass).
   A trap is fatal and reported as exit code 0xfff. */
  .section .text.init
  .globl _start
_start:
  csrr t0, mhartid
  bnez t0, park
  la sp, __stack_top
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la tp, __tls_base
  la t0, trap_entry
  csrw mtvec, t0
  li t0, (1 << 13)
  csrs mstatus, t0
  csrwi fcsr, 0
  la t0, __bss_start
  la t1, __bss_end
1:bgeu t0, t1, 2f
  sd zero, 0(t0)
  addi t0, t0, 8
  j 1b
2:call main
  call wv_exit
park:
  wfi
  j park

  .align 2
trap_entry:
  li a0, 0xfff
  call wv_exit

  /* Anchors the TLS segment (see link.ld): tp = __tls_base = start of .tdata. */
  .section .tdata.crt0, "awT", @progbits
  .align 3
  .quad 0
