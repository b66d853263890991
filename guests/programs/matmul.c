/* matmul: integer and double matrix multiply.
   - int64 C = A*B (N x N, entries in [-100, 100]) in i-j-k order, checked against an
     independent i-k-j computation, against Freivalds' test A*(B*r) == C*r for a random
     vector r, and against a position-weighted checksum computed offline (Python).
   - double, exact case: the same matrices scaled by 1/8 (dyadic, so every product and partial
     sum is exact) must equal the integer result / 64 bit for bit.
   - double, inexact case: Hilbert A[i][j] = 1/(i+j+1) times B[i][j] = (2i+j+1)/(i+j+1),
     4-way unrolled versus naive within 1e-12 relative, and the trace compared with an
     offline exact (rational arithmetic) value.
   ~100M instructions at -O2. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "wv.h"

#define N 160
#define M 96 /* size of the inexact double case */

static int32_t ia[N][N], ib[N][N];
static int64_t ic1[N][N], ic2[N][N];
static double da[N][N], db[N][N], dc[N][N];
static double ha[M][M], hb[M][M], hc1[M][M], hc2[M][M];

static uint32_t lcg_state = 12345;

static int32_t small_rand(void)
{
  lcg_state = lcg_state * 1103515245u + 12345u;
  return (int32_t)((lcg_state >> 16) % 201u) - 100;
}

static void int_ijk(void)
{
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      int64_t s = 0;
      for (int k = 0; k < N; k++) s += (int64_t)ia[i][k] * ib[k][j];
      ic1[i][j] = s;
    }
}

static void int_ikj(void)
{
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++) ic2[i][j] = 0;
    for (int k = 0; k < N; k++) {
      int64_t a = ia[i][k];
      for (int j = 0; j < N; j++) ic2[i][j] += a * ib[k][j];
    }
  }
}

static void dbl_ijk(void)
{
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++) s += da[i][k] * db[k][j];
      dc[i][j] = s;
    }
}

static void hilbert_naive(void)
{
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      double s = 0;
      for (int k = 0; k < M; k++) s += ha[i][k] * hb[k][j];
      hc1[i][j] = s;
    }
}

static void hilbert_unrolled(void)
{
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j += 4) {
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int k = 0; k < M; k++) {
        double a = ha[i][k];
        s0 += a * hb[k][j];
        s1 += a * hb[k][j + 1];
        s2 += a * hb[k][j + 2];
        s3 += a * hb[k][j + 3];
      }
      hc2[i][j] = s0;
      hc2[i][j + 1] = s1;
      hc2[i][j + 2] = s2;
      hc2[i][j + 3] = s3;
    }
}

int main(void)
{
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      ia[i][j] = small_rand();
      ib[i][j] = small_rand();
      da[i][j] = ia[i][j] / 8.0;
      db[i][j] = ib[i][j] / 8.0;
    }
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      ha[i][j] = 1.0 / (i + j + 1);
      hb[i][j] = (double)(2 * i + j + 1) / (i + j + 1);
    }

  int_ijk();
  int_ikj();
  dbl_ijk();
  hilbert_naive();
  hilbert_unrolled();

  /* Integer: two loop orders agree. */
  int diff = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) diff += ic1[i][j] != ic2[i][j];
  WV_CHECK(diff == 0, "%d entries differ between ijk and ikj", diff);

  /* Integer: Freivalds' test with a pseudo-random vector. */
  int64_t r[N], br[N], abr[N], cr[N];
  for (int i = 0; i < N; i++) r[i] = small_rand();
  for (int i = 0; i < N; i++) {
    br[i] = 0;
    for (int k = 0; k < N; k++) br[i] += ib[i][k] * r[k];
  }
  for (int i = 0; i < N; i++) {
    abr[i] = cr[i] = 0;
    for (int k = 0; k < N; k++) {
      abr[i] += ia[i][k] * br[k];
      cr[i] += ic1[i][k] * r[k];
    }
  }
  diff = 0;
  for (int i = 0; i < N; i++) diff += abr[i] != cr[i];
  WV_CHECK(diff == 0, "Freivalds test failed in %d rows", diff);

  /* Integer: checksum sum(C[i][j] * (i*N + j + 1)) against the offline value. */
  int64_t checksum = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) checksum += ic1[i][j] * (int64_t)(i * N + j + 1);
  printf("int checksum = %lld, C[0][0] = %lld, C[N-1][N-1] = %lld\n", (long long)checksum,
         (long long)ic1[0][0], (long long)ic1[N - 1][N - 1]);
  WV_CHECK(checksum == 92049909888ll, "int checksum %lld", (long long)checksum);

  /* Double, exact: dc == ic / 64 exactly. */
  diff = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) diff += dc[i][j] != (double)ic1[i][j] / 64.0;
  WV_CHECK(diff == 0, "%d double entries differ from the exact integer result", diff);

  /* Double, inexact: two evaluation orders within a relative tolerance. */
  double maxrel = 0, trace = 0;
  for (int i = 0; i < M; i++) {
    trace += hc1[i][i];
    for (int j = 0; j < M; j++) {
      double d = fabs(hc1[i][j] - hc2[i][j]);
      double m = fabs(hc1[i][j]) > 1e-300 ? fabs(hc1[i][j]) : 1.0;
      if (d / m > maxrel) maxrel = d / m;
    }
  }
  printf("hilbert trace = %.15g, max relative difference = %g\n", trace, maxrel);
  WV_CHECK(maxrel < 1e-12, "naive and unrolled differ by %g", maxrel);
  /* Exact trace = sum_{i,k} (2k+i+1)/(i+k+1)^2 over [0, M)^2, by rational arithmetic. */
  WV_CHECK(fabs(trace - 196.15412485019044) < 1e-12 * 196.15412485019044, "trace %.17g",
           trace);

  return wv_finish("matmul");
}
