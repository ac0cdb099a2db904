/*
 * The plain C core of a composite-index build, for scale (issue 16): min-max normalisation to [0, 100]
 * (with indicator directions), weighted arithmetic aggregation up the framework (missing values skipped,
 * weights renormalised over the present children, as COINr's default), and min-ranks of every column
 * (higher is better, missing stays missing). No treatment, imputation, checks or records: the floor a
 * JavaScript build is compared with. Input (text, written by bench/build.ts):
 *   n nInd nAgg
 *   nInd lines: direction then n values ("nan" for missing)
 *   nAgg lines, children before parents: k then k pairs "column weight"
 * Prints: nanoseconds per build (median of 7 batches), then a checksum of the last build's ranks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const double *sortKeys;
static int byValueDesc(const void *a, const void *b) {
  double x = sortKeys[*(const int *)a], y = sortKeys[*(const int *)b];
  return x > y ? -1 : x < y ? 1 : 0;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int n, nInd, nAgg, cols, *dir, *order, **child, *nChild;
static double *raw, *x, *rank, **w;

/* One build: normalise, aggregate, rank (results in x and rank). */
static void buildOnce(void) {
  for (int j = 0; j < nInd; j++) {
    const double *col = raw + j * n;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
      double v = dir[j] * col[i];
      if (v == v) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    double *out = x + j * n;
    for (int i = 0; i < n; i++) out[i] = (dir[j] * col[i] - lo) / (hi - lo) * 100;
  }
  for (int a = 0; a < nAgg; a++) {
    double *out = x + (nInd + a) * n;
    for (int i = 0; i < n; i++) {
      double s = 0, ws = 0;
      for (int c = 0; c < nChild[a]; c++) {
        double v = x[child[a][c] * n + i];
        if (v == v) { s += w[a][c] * v; ws += w[a][c]; }
      }
      out[i] = ws > 0 ? s / ws : NAN;
    }
  }
  for (int j = 0; j < cols; j++) {
    const double *col = x + j * n;
    double *rk = rank + j * n;
    int m = 0;
    for (int i = 0; i < n; i++) if (col[i] == col[i]) order[m++] = i; else rk[i] = NAN;
    sortKeys = col;
    qsort(order, m, sizeof(int), byValueDesc);
    for (int k = 0; k < m; k++)
      rk[order[k]] = k > 0 && col[order[k]] == col[order[k - 1]] ? rk[order[k - 1]] : k + 1;
  }
}

int main(int argc, char **argv) {
  FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
  if (!f) return 2;
  if (fscanf(f, "%d %d %d", &n, &nInd, &nAgg) != 3) return 2;
  cols = nInd + nAgg;
  raw = malloc(sizeof(double) * n * nInd);
  x = malloc(sizeof(double) * n * cols);
  rank = malloc(sizeof(double) * n * cols);
  dir = malloc(sizeof(int) * nInd);
  order = malloc(sizeof(int) * n);
  child = malloc(sizeof(int *) * nAgg);
  nChild = malloc(sizeof(int) * nAgg);
  w = malloc(sizeof(double *) * nAgg);
  char tok[64];
  for (int j = 0; j < nInd; j++) {
    if (fscanf(f, "%d", &dir[j]) != 1) return 2;
    for (int i = 0; i < n; i++) {
      if (fscanf(f, "%63s", tok) != 1) return 2;
      raw[j * n + i] = strtod(tok, NULL);
    }
  }
  for (int a = 0; a < nAgg; a++) {
    if (fscanf(f, "%d", &nChild[a]) != 1) return 2;
    child[a] = malloc(sizeof(int) * nChild[a]);
    w[a] = malloc(sizeof(double) * nChild[a]);
    for (int c = 0; c < nChild[a]; c++)
      if (fscanf(f, "%d %lf", &child[a][c], &w[a][c]) != 2) return 2;
  }
  long reps = 1; /* batches of at least 50 ms */
  for (;;) {
    double t0 = now();
    for (long r = 0; r < reps; r++) buildOnce();
    if (now() - t0 >= 0.05) break;
    reps *= 2;
  }
  double batches[7];
  for (int b = 0; b < 7; b++) {
    double t0 = now();
    for (long r = 0; r < reps; r++) buildOnce();
    batches[b] = (now() - t0) / reps;
  }
  for (int i = 1; i < 7; i++) /* insertion sort for the median */
    for (int k = i; k > 0 && batches[k] < batches[k - 1]; k--) {
      double t = batches[k];
      batches[k] = batches[k - 1];
      batches[k - 1] = t;
    }
  double sum = 0;
  for (int i = 0; i < n * cols; i++)
    if (rank[i] == rank[i]) sum += rank[i];
  printf("%.1f %.0f\n", batches[3] * 1e9, sum);
  return 0;
}
