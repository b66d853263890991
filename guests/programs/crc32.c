/* crc32: CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, init/xorout 0xFFFFFFFF).
   A table-driven implementation and a bitwise one are run over the same generated data and
   must agree; both must give the standard check value CRC32("123456789") = 0xCBF43926; the
   table version fed in uneven chunks must equal the one-shot result; and the CRC of the
   generated data must equal the value computed offline with Python's zlib.crc32.
   ~70M instructions at -O2. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wv.h"

#define DATA_LEN (512 * 1024)
#define TABLE_PASSES 4
/* CRC-32 of the generated data, computed offline with Python's zlib.crc32. */
#define EXPECT_DATA_CRC 0x24227195u

static uint8_t data[DATA_LEN];
static uint32_t table[256];

static void make_table(void)
{
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
}

/* Running form: crc is the raw (un-inverted) register. */
static uint32_t crc_table_update(uint32_t crc, const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static uint32_t crc_table(const uint8_t *p, size_t n)
{
  return crc_table_update(0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu;
}

static uint32_t crc_bitwise(const uint8_t *p, size_t n)
{
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

int main(void)
{
  /* data[i] = byte 1 of a 32-bit LCG (seed 1), so Python can regenerate it. */
  uint32_t s = 1;
  for (size_t i = 0; i < DATA_LEN; i++) {
    s = s * 1664525u + 1013904223u;
    data[i] = (uint8_t)(s >> 8);
  }
  make_table();

  const char *check = "123456789";
  uint32_t t9 = crc_table((const uint8_t *)check, 9), b9 = crc_bitwise((const uint8_t *)check, 9);
  printf("crc32(\"123456789\") table=%08lx bitwise=%08lx\n", (unsigned long)t9, (unsigned long)b9);
  WV_CHECK(t9 == 0xCBF43926u, "table crc of check string %08lx", (unsigned long)t9);
  WV_CHECK(b9 == 0xCBF43926u, "bitwise crc of check string %08lx", (unsigned long)b9);
  WV_CHECK(table[1] == 0x77073096u && table[255] == 0x2D02EF8Du, "table %08lx %08lx",
           (unsigned long)table[1], (unsigned long)table[255]);
  WV_CHECK(crc_table(data, 0) == 0 && crc_bitwise(data, 0) == 0, "empty input");

  /* The table version runs several passes (it is the benchmark's hot loop). */
  uint32_t t = 0;
  for (int pass = 0; pass < TABLE_PASSES; pass++) {
    uint32_t v = crc_table(data, DATA_LEN);
    WV_CHECK(pass == 0 || v == t, "pass %d gave %08lx", pass, (unsigned long)v);
    t = v;
  }
  uint32_t b = crc_bitwise(data, DATA_LEN);

  /* Uneven chunks: 1, 2, 3, ... bytes. */
  uint32_t c = 0xFFFFFFFFu;
  size_t off = 0, chunk = 1;
  while (off < DATA_LEN) {
    size_t n = DATA_LEN - off < chunk ? DATA_LEN - off : chunk;
    c = crc_table_update(c, data + off, n);
    off += n;
    chunk++;
  }
  c ^= 0xFFFFFFFFu;

  printf("crc32(data[%d]) table=%08lx bitwise=%08lx chunked=%08lx\n", DATA_LEN,
         (unsigned long)t, (unsigned long)b, (unsigned long)c);
  WV_CHECK(t == b, "table %08lx != bitwise %08lx", (unsigned long)t, (unsigned long)b);
  WV_CHECK(c == t, "chunked %08lx != one-shot %08lx", (unsigned long)c, (unsigned long)t);
  WV_CHECK(t == EXPECT_DATA_CRC, "crc of data %08lx, expected (zlib) %08lx", (unsigned long)t,
           (unsigned long)EXPECT_DATA_CRC);

  return wv_finish("crc32");
}
