/* hello: the smallest C guest. Prints a greeting through picolibc's printf (UART0), checks
   that formatted output works, then reports PASS/FAIL. */
#include <stdio.h>
#include <string.h>

#include "wv.h"

int main(void)
{
  char buf[64];

  printf("Hello from wasmvisor!\n");

  /* A tiny self-check of the formatter the other programs rely on. */
  snprintf(buf, sizeof buf, "%d %x %s", 42, 0xbeefu, "ok");
  WV_CHECK(strcmp(buf, "42 beef ok") == 0, "snprintf gave '%s'", buf);

  return wv_finish("hello");
}
