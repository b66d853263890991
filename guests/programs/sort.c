/* sort: quicksort and mergesort of the same pseudo-random array (xorshift64), each result
   checked for order, for being a permutation of the input (sum and xor of the elements), for
   agreement between the two sorts, and against a position-weighted hash of the sorted array
   computed offline (host gcc, same generator). ~100M instructions at -O2. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wv.h"

#define N 120000

static uint32_t input[N], qs[N], ms[N], tmp[N];

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  rng_state = x;
  return (uint32_t)(x >> 32);
}

static void swap(uint32_t *a, uint32_t *b)
{
  uint32_t t = *a;
  *a = *b;
  *b = t;
}

/* Quicksort: median-of-three pivot, Hoare partition, recursion on the smaller part, insertion
   sort below 16 elements. */
static void insertion_sort(uint32_t *a, long n)
{
  for (long i = 1; i < n; i++) {
    uint32_t v = a[i];
    long j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void quicksort(uint32_t *a, long n)
{
  while (n > 16) {
    long mid = n / 2;
    if (a[mid] < a[0]) swap(&a[mid], &a[0]);
    if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
    if (a[n - 1] < a[mid]) swap(&a[n - 1], &a[mid]);
    uint32_t pivot = a[mid];
    long i = -1, j = n;
    for (;;) {
      do i++; while (a[i] < pivot);
      do j--; while (a[j] > pivot);
      if (i >= j) break;
      swap(&a[i], &a[j]);
    }
    /* a[0..j] <= pivot <= a[j+1..n-1] */
    long left = j + 1, right = n - left;
    if (left < right) {
      quicksort(a, left);
      a += left;
      n = right;
    } else {
      quicksort(a + left, right);
      n = left;
    }
  }
  insertion_sort(a, n);
}

/* Top-down mergesort with a scratch buffer. */
static void merge_sort_rec(uint32_t *a, uint32_t *t, long n)
{
  if (n < 2) return;
  long h = n / 2;
  merge_sort_rec(a, t, h);
  merge_sort_rec(a + h, t, n - h);
  long i = 0, j = h, k = 0;
  while (i < h && j < n) t[k++] = a[j] < a[i] ? a[j++] : a[i++];
  while (i < h) t[k++] = a[i++];
  while (j < n) t[k++] = a[j++];
  memcpy(a, t, n * sizeof *a);
}

static int is_sorted(const uint32_t *a, long n)
{
  for (long i = 1; i < n; i++)
    if (a[i - 1] > a[i]) return 0;
  return 1;
}

static void sums(const uint32_t *a, long n, uint64_t *sum, uint32_t *x)
{
  uint64_t s = 0;
  uint32_t v = 0;
  for (long i = 0; i < n; i++) {
    s += a[i];
    v ^= a[i];
  }
  *sum = s;
  *x = v;
}

static uint64_t weighted_hash(const uint32_t *a, long n)
{
  uint64_t h = 0;
  for (long i = 0; i < n; i++) h = h * 1000003u + a[i];
  return h;
}

/* Offline reference values for N=120000 and the seed above (host gcc -O2). */
#define EXPECT_SUM 0x0000ea9d47befbd1ull
#define EXPECT_HASH 0x2fe75761415c422dull

int main(void)
{
  for (long i = 0; i < N; i++) input[i] = rng();
  memcpy(qs, input, sizeof input);
  memcpy(ms, input, sizeof input);

  uint64_t in_sum, q_sum, m_sum;
  uint32_t in_xor, q_xor, m_xor;
  sums(input, N, &in_sum, &in_xor);

  quicksort(qs, N);
  merge_sort_rec(ms, tmp, N);

  sums(qs, N, &q_sum, &q_xor);
  sums(ms, N, &m_sum, &m_xor);
  uint64_t hash = weighted_hash(qs, N);

  printf("sort: n=%d sum=%016llx xor=%08lx hash=%016llx min=%08lx max=%08lx\n", N,
         (unsigned long long)in_sum, (unsigned long)in_xor, (unsigned long long)hash,
         (unsigned long)qs[0], (unsigned long)qs[N - 1]);

  WV_CHECK(is_sorted(qs, N), "quicksort output not in order");
  WV_CHECK(is_sorted(ms, N), "mergesort output not in order");
  WV_CHECK(q_sum == in_sum && q_xor == in_xor, "quicksort lost/duplicated elements");
  WV_CHECK(m_sum == in_sum && m_xor == in_xor, "mergesort lost/duplicated elements");
  WV_CHECK(memcmp(qs, ms, sizeof qs) == 0, "quicksort and mergesort disagree");
  WV_CHECK(in_sum == EXPECT_SUM, "input sum %016llx, expected %016llx",
           (unsigned long long)in_sum, (unsigned long long)EXPECT_SUM);
  WV_CHECK(hash == EXPECT_HASH, "sorted hash %016llx, expected %016llx",
           (unsigned long long)hash, (unsigned long long)EXPECT_HASH);

  return wv_finish("sort");
}
