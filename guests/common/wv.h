/* wasmvisor bare-metal C runtime (guests/programs): board access for M-mode C programs on the
   QEMU-virt-compatible board (see DESIGN.md section 1).
   - wv_exit: sifive_test / syscon at 0x100000 (0x5555 = pass/poweroff, (code<<16)|0x3333 = fail)
   - UART0 ns16550a at 0x10000000, hooked into picolibc's stdio (printf, puts, putchar)
   - wv_rdcycle / wv_rdinstret / wv_rdtime: the Zicntr counters (M-mode CSR reads) */
#ifndef WASMVISOR_WV_H
#define WASMVISOR_WV_H

#include <stdint.h>

#define WV_SYSCON_BASE 0x100000UL
#define WV_UART_BASE   0x10000000UL
#define WV_CLINT_BASE  0x2000000UL

#ifdef __cplusplus
extern "C" {
#endif

/* Powers the machine off: code 0 = pass (0x5555), otherwise fail with (code<<16)|0x3333.
   QEMU's exit status becomes `code` (0 for pass). Never returns. */
void wv_exit(int code) __attribute__((noreturn));

/* Blocking write of one byte / a NUL-terminated string to UART0. wv_putc sends the byte as
   is; wv_puts and the stdio streams send "\n" as "\r\n" (like a terminal's output
   processing, so that `qemu -nographic` and raw serial consoles show clean lines). */
void wv_putc(char c);
void wv_puts(const char *s);

/* Self-checking helpers for the programs: WV_CHECK(cond, printf-args) counts a failed check
   and prints why; wv_finish(name) prints the final `PASS <name>` or `FAIL <name> <n> checks`
   line and returns main's exit code (0 only if every check passed). The caller must include
   <stdio.h>. */
extern int wv_checks, wv_failures;
#define WV_CHECK(cond, ...)                                  \
  do {                                                       \
    wv_checks++;                                             \
    if (!(cond)) {                                           \
      wv_failures++;                                         \
      printf("check %d failed (%s:%d): ", wv_checks, __FILE__, __LINE__); \
      printf(__VA_ARGS__);                                   \
      printf("\n");                                          \
    }                                                        \
  } while (0)
int wv_finish(const char *name);

/* Zicntr counters (read through the M-mode CSRs mcycle/minstret and the time CSR). */
static inline uint64_t wv_rdcycle(void)
{
  uint64_t v;
  __asm__ volatile("csrr %0, mcycle" : "=r"(v));
  return v;
}

static inline uint64_t wv_rdinstret(void)
{
  uint64_t v;
  __asm__ volatile("csrr %0, minstret" : "=r"(v));
  return v;
}

/* mtime of the CLINT (10 MHz on `virt`), read from the device register. */
static inline uint64_t wv_rdtime(void)
{
  return *(volatile uint64_t *)(WV_CLINT_BASE + 0xbff8);
}

#ifdef __cplusplus
}
#endif

#endif
