/* wasmvisor bare-metal C runtime: syscon exit, 16550A UART output and picolibc stdio hooks.
   Used by every program in guests/programs (linked with common/crt0.S and picolibc). */
#include "wv.h"

#include <stdio.h>

/* 16550A registers (byte-wide, reg-shift 0 on `virt`). */
#define UART_THR 0 /* transmit holding register (write) */
#define UART_LSR 5 /* line status register */
#define UART_LSR_THRE 0x20 /* THR empty: ready to accept a byte */

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
  *(volatile uint8_t *)addr = v;
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
  return *(volatile uint8_t *)addr;
}

void wv_putc(char c)
{
  while ((mmio_read8(WV_UART_BASE + UART_LSR) & UART_LSR_THRE) == 0)
    ;
  mmio_write8(WV_UART_BASE + UART_THR, (uint8_t)c);
}

void wv_puts(const char *s)
{
  for (; *s; s++) {
    if (*s == '\n')
      wv_putc('\r');
    wv_putc(*s);
  }
}

void wv_exit(int code)
{
  volatile uint32_t *syscon = (volatile uint32_t *)WV_SYSCON_BASE;
  *syscon = code == 0 ? 0x5555u : (((uint32_t)code << 16) | 0x3333u);
  for (;;)
    __asm__ volatile("wfi");
}

/* picolibc's libc calls _exit from exit()/abort(). */
void _exit(int code)
{
  wv_exit(code);
}

/* picolibc tinystdio: one unbuffered stream on UART0 serves stdin/stdout/stderr. */
static int uart_putc_fn(char c, FILE *f)
{
  (void)f;
  if (c == '\n')
    wv_putc('\r');
  wv_putc(c);
  return (unsigned char)c;
}

static FILE __stdio = FDEV_SETUP_STREAM(uart_putc_fn, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &__stdio;
FILE *const stdout = &__stdio;
FILE *const stderr = &__stdio;

int wv_checks, wv_failures;

int wv_finish(const char *name)
{
  if (wv_failures) {
    printf("FAIL %s %d of %d checks failed\n", name, wv_failures, wv_checks);
    return 1;
  }
  printf("PASS %s\n", name);
  return 0;
}
