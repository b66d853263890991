/* strings: string and printf workload.
   1. snprintf of ints, hex, strings, chars and floats against fixed expected strings.
   2. strcmp/strncmp/strstr/strchr/strrchr/memcmp/memmove/strcpy/strcat edge cases.
   3. A loop formatting numbers with snprintf, each compared with a hand-written formatter
      (decimal, hex, and i/8 in %.3f, which has an exact 3-digit decimal form), parsed back
      with strtol/strtoul/strtod, all output hashed (FNV-1a) and the hash compared with the
      value produced by host glibc for the same formats.
   4. A text built from the formatted records, searched with strstr and shuffled with
      overlapping memmove, checked against a naive search and a reference rotation.
   ~100M instructions at -O2. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wv.h"

/* Truncation is exactly what some checks below exercise. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wstringop-truncation"

#define ITER 20000
#define TEXT_LEN 16384

static char text[TEXT_LEN + 1];
static char rot[TEXT_LEN + 1];

#define EXPECT_STR(got, want) WV_CHECK(strcmp((got), (want)) == 0, "got '%s', want '%s'", (got), (want))

static int sign(int v) { return (v > 0) - (v < 0); }

/* Hand-written formatters: reverse the digits of v in the given base. */
static char *fmt_u(char *out, unsigned long long v, unsigned base)
{
  char tmp[32];
  int n = 0;
  do {
    unsigned d = v % base;
    tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= base;
  } while (v);
  while (n) *out++ = tmp[--n];
  *out = 0;
  return out;
}

static char *fmt_d(char *out, long long v)
{
  if (v < 0) {
    *out++ = '-';
    return fmt_u(out, 0ull - (unsigned long long)v, 10);
  }
  return fmt_u(out, (unsigned long long)v, 10);
}

/* i/8 with three decimals: the fraction r/8 is exactly r*125 thousandths. */
static char *fmt_eighths(char *out, long i)
{
  if (i < 0) {
    *out++ = '-';
    i = -i;
  }
  out = fmt_u(out, (unsigned long long)(i / 8), 10);
  *out++ = '.';
  unsigned r = (unsigned)(i % 8) * 125;
  *out++ = (char)('0' + r / 100);
  *out++ = (char)('0' + r / 10 % 10);
  *out++ = (char)('0' + r % 10);
  *out = 0;
  return out;
}

static uint64_t fnv(uint64_t h, const char *s)
{
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
  return h;
}

static const char *naive_strstr(const char *h, const char *n)
{
  size_t ln = strlen(n);
  for (; *h; h++) {
    size_t k = 0;
    while (k < ln && h[k] == n[k]) k++;
    if (k == ln) return h;
  }
  return ln == 0 ? h : NULL;
}

static void fixed_formats(void)
{
  char b[128];
  snprintf(b, sizeof b, "%d|%d|%d|%u", 0, -1, INT_MIN, 4294967295u);
  EXPECT_STR(b, "0|-1|-2147483648|4294967295");
  snprintf(b, sizeof b, "%ld|%lld|%llu", LONG_MAX, LLONG_MIN, ULLONG_MAX);
  EXPECT_STR(b, "9223372036854775807|-9223372036854775808|18446744073709551615");
  snprintf(b, sizeof b, "%x|%X|%#x|%08lx|%llx", 0xdeadbeefu, 0xabcu, 255u, 0x1234ul,
           0xfedcba9876543210ull);
  EXPECT_STR(b, "deadbeef|ABC|0xff|00001234|fedcba9876543210");
  snprintf(b, sizeof b, "[%5d][%-5d][%05d][%+d][% d]", 42, 42, -42, 7, 7);
  EXPECT_STR(b, "[   42][42   ][-0042][+7][ 7]");
  snprintf(b, sizeof b, "[%s][%8s][%-8s][%.3s][%c%c][%%]", "abc", "right", "left", "truncate",
           'o', 'k');
  EXPECT_STR(b, "[abc][   right][left    ][tru][ok][%]");
  snprintf(b, sizeof b, "%.3f|%.2f|%.0f|%f|%.1f", 3.14159265, -2.5, 2.5, 1.0 / 3, 0.05);
  EXPECT_STR(b, "3.142|-2.50|2|0.333333|0.1");
  snprintf(b, sizeof b, "%e|%.3e|%g|%g|%g", 12345.678, -0.000123456, 100000.0, 1e-5, 0.5);
  EXPECT_STR(b, "1.234568e+04|-1.235e-04|100000|1e-05|0.5");
  snprintf(b, sizeof b, "%.10f|%.15g|%.6g|%.3g", 1.0 / 7, 1.0 / 3, 2.0 / 3, 1234567.0);
  EXPECT_STR(b, "0.1428571429|0.333333333333333|0.666667|1.23e+06");

  /* snprintf truncation and return value (C11 7.21.6.5). */
  int n = snprintf(b, 6, "%s", "hello world");
  WV_CHECK(n == 11 && strcmp(b, "hello") == 0, "truncated snprintf gave %d '%s'", n, b);
}

static void string_functions(void)
{
  char b[64];
  WV_CHECK(strcmp("abc", "abc") == 0, "strcmp equal");
  WV_CHECK(sign(strcmp("abc", "abd")) == -1 && sign(strcmp("abd", "abc")) == 1, "strcmp order");
  WV_CHECK(sign(strcmp("ab", "abc")) == -1, "strcmp prefix");
  WV_CHECK(sign(strcmp("\x80", "\x7f")) == 1, "strcmp compares as unsigned char");
  WV_CHECK(strncmp("abcdef", "abcxyz", 3) == 0 && strncmp("abcdef", "abcxyz", 4) < 0, "strncmp");
  WV_CHECK(sign(memcmp("\x01\xff", "\x01\x00", 2)) == 1, "memcmp unsigned");
  const char *h = "the quick brown fox jumps over the lazy dog";
  WV_CHECK(strstr(h, "fox") == h + 16, "strstr fox");
  WV_CHECK(strstr(h, "the") == h, "strstr at start");
  WV_CHECK(strstr(h, "dog") == h + 40, "strstr at end");
  WV_CHECK(strstr(h, "cat") == NULL && strstr(h, "dogs") == NULL, "strstr missing");
  WV_CHECK(strstr(h, "") == h, "strstr empty needle");
  WV_CHECK(strchr(h, 'q') == h + 4 && strrchr(h, 'o') == h + 41 && strchr(h, 0) == h + 43,
           "strchr/strrchr");
  WV_CHECK(strlen(h) == 43, "strlen");

  /* memmove with overlap in both directions (C11 7.24.2.2). */
  strcpy(b, "0123456789");
  memmove(b + 2, b, 5);
  EXPECT_STR(b, "0101234789");
  strcpy(b, "0123456789");
  memmove(b, b + 3, 7);
  EXPECT_STR(b, "3456789789");
  strcpy(b, "abc");
  strcat(b, "def");
  strncat(b, "ghijk", 2);
  EXPECT_STR(b, "abcdefgh");
  memset(b, 'z', 5);
  b[5] = 0;
  EXPECT_STR(b, "zzzzz");
}

static uint64_t format_loop(void)
{
  char got[96], want[96], *p;
  uint64_t hash = 0xcbf29ce484222325ull;
  int bad_fmt = 0, bad_parse = 0;
  size_t len = 0;
  uint32_t x = 2463534242u;
  for (long i = 0; i < ITER; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    long v = (long)(int32_t)x;
    long e = (long)(x % 20001) - 10000;

    snprintf(got, sizeof got, "%ld %lx %.3f", v, (unsigned long)x, e / 8.0);
    p = fmt_d(want, v);
    *p++ = ' ';
    p = fmt_u(p, x, 16);
    *p++ = ' ';
    fmt_eighths(p, e);
    if (strcmp(got, want) != 0) {
      if (bad_fmt++ < 3) printf("format: got '%s', want '%s'\n", got, want);
    }

    char *end;
    long pv = strtol(got, &end, 10);
    unsigned long px = strtoul(end, &end, 16);
    double pe = strtod(end, &end);
    if (pv != v || px != x || pe != e / 8.0 || *end != 0) bad_parse++;

    hash = fnv(hash, got);
    /* Build the search text from the records. */
    size_t n = strlen(got);
    if (len + n + 1 <= TEXT_LEN) {
      memcpy(text + len, got, n);
      text[len + n] = ';';
      len += n + 1;
    }
  }
  text[len] = 0;
  WV_CHECK(bad_fmt == 0, "%d formatted records differ", bad_fmt);
  WV_CHECK(bad_parse == 0, "%d records did not parse back", bad_parse);
  return hash;
}

static void text_search(void)
{
  /* Search for every 3rd record's leading field; both searches must agree. */
  char needle[24];
  int bad = 0, found = 0;
  const char *t = text;
  for (int k = 0; k < 200 && *t; k++) {
    const char *sp = strchr(t, ' ');
    size_t n = (size_t)(sp - t) + 1;
    memcpy(needle, t, n);
    needle[n] = 0;
    const char *a = strstr(text, needle), *b = naive_strstr(text, needle);
    bad += a != b;
    found += a != NULL;
    for (int s = 0; s < 3 && *t; s++) t = strchr(t, ';') + 1;
  }
  WV_CHECK(bad == 0 && found > 0, "strstr and naive search disagree %d times (%d found)", bad,
           found);

  /* Rotate the text left by 1 .. 64 with overlapping memmove, compare with index math. */
  size_t len = strlen(text);
  memcpy(rot, text, len + 1);
  size_t total = 0;
  for (size_t r = 1; r <= 64; r++) {
    char save[64];
    memcpy(save, rot, r);
    memmove(rot, rot + r, len - r);
    memcpy(rot + len - r, save, r);
    total += r;
  }
  int mism = 0;
  for (size_t i = 0; i < len; i++) mism += rot[i] != text[(i + total) % len];
  WV_CHECK(mism == 0, "rotation by memmove wrong at %d positions", mism);
}

int main(void)
{
  fixed_formats();
  string_functions();
  uint64_t hash = format_loop();
  text_search();
  printf("strings: %d records, hash %016llx, text %lu bytes\n", ITER, (unsigned long long)hash,
         (unsigned long)strlen(text));
  /* FNV-1a of all records as formatted by host glibc (x86-64, same formats and inputs). */
  WV_CHECK(hash == 0x073f923d37afe365ull, "hash %016llx", (unsigned long long)hash);
  return wv_finish("strings");
}
