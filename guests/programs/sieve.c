/* sieve: Sieve of Eratosthenes over [0, N) with a byte per number, then counts the primes
   below several bounds and compares them with the known values of pi(x); the small bounds are
   also cross-checked against trial division, and the sum of all primes below N against a
   known constant. ~130M instructions at -O2. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wv.h"

#define N 4000000

static uint8_t composite[N];

static void sieve(void)
{
  composite[0] = composite[1] = 1;
  for (uint32_t p = 2; (uint64_t)p * p < N; p++) {
    if (composite[p]) continue;
    for (uint32_t m = p * p; m < N; m += p) composite[m] = 1;
  }
}

static int is_prime_trial(uint32_t n)
{
  if (n < 2) return 0;
  if (n % 2 == 0) return n == 2;
  for (uint32_t d = 3; d * d <= n; d += 2)
    if (n % d == 0) return 0;
  return 1;
}

/* pi(x): number of primes below x (OEIS A006880 for powers of ten, A007053 for 2^k). */
static const struct {
  uint32_t bound, count;
} known[] = {
    {10, 4},         {100, 25},         {1000, 168},       {10000, 1229},
    {65536, 6542},   {100000, 9592},    {1000000, 78498},  {1048576, 82025},
    {2097152, 155611}, {4000000, 283146},
};

int main(void)
{
  sieve();

  /* Count primes below each bound in one pass. */
  uint32_t count = 0;
  uint64_t sum = 0;
  unsigned k = 0;
  uint32_t counts[sizeof known / sizeof known[0]];
  for (uint32_t n = 0; n < N; n++) {
    while (k < sizeof known / sizeof known[0] && n == known[k].bound) counts[k++] = count;
    if (!composite[n]) {
      count++;
      sum += n;
    }
  }
  while (k < sizeof known / sizeof known[0]) counts[k++] = count;

  for (k = 0; k < sizeof known / sizeof known[0]; k++) {
    printf("pi(%lu) = %lu\n", (unsigned long)known[k].bound, (unsigned long)counts[k]);
    WV_CHECK(counts[k] == known[k].count, "pi(%lu) = %lu, expected %lu",
             (unsigned long)known[k].bound, (unsigned long)counts[k],
             (unsigned long)known[k].count);
  }

  /* Independent check of the sieve itself on [0, 20000) by trial division. */
  uint32_t mismatches = 0;
  for (uint32_t n = 0; n < 20000; n++)
    if (is_prime_trial(n) != !composite[n]) mismatches++;
  WV_CHECK(mismatches == 0, "%lu sieve entries disagree with trial division",
           (unsigned long)mismatches);

  /* Largest primes below N, by trial division. */
  uint32_t last = N - 1;
  while (composite[last]) last--;
  WV_CHECK(is_prime_trial(last), "%lu is not prime", (unsigned long)last);
  for (uint32_t n = last + 1; n < N; n++)
    WV_CHECK(!is_prime_trial(n), "%lu is prime but was sieved out", (unsigned long)n);

  /* Sum of the primes below N (computed offline with an independent Python sieve). */
  printf("sum of primes below %d = %llu, largest %lu\n", N, (unsigned long long)sum,
         (unsigned long)last);
  WV_CHECK(sum == 544501644261ull, "sum of primes = %llu", (unsigned long long)sum);

  return wv_finish("sieve");
}
