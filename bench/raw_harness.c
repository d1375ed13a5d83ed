/* The ceiling zstd-kit is measured against: plain C over libzstd, the same source built natively
 * (-O3) and to wasm. Data stays in memory, contexts and output buffers are reused; only the
 * zstd calls are timed.
 *
 *   bench-raw oneshot FILE LEVEL MAX_BYTES ITERATIONS
 *
 * Prints one JSON line: {"mode", "bytes", "compressed", "compressMs": [...], "decompressMs": [...]}
 * with one time per iteration (after untimed warm-up calls); the caller takes medians. */
#define ZSTD_STATIC_LINKING_ONLY
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zstd.h>

/* Untimed calls first: V8 moves hot wasm to optimized code after a call or two. */
enum { WARMUP = 2 };

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static unsigned char* read_file(const char* path, size_t max_bytes, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  unsigned char* data = malloc(max_bytes);
  if (!data) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  *size = fread(data, 1, max_bytes, f);
  fclose(f);
  return data;
}

/* The zstd calls go through volatile pointers: otherwise the wasm link-time optimizer (binaryen)
 * inlines libzstd into the run-once functions below, and V8, which cannot tier up a function
 * while it runs, would time baseline (Liftoff) code instead of optimized code. */
static size_t (*volatile compress_fn)(ZSTD_CCtx*, void*, size_t, const void*, size_t) = ZSTD_compress2;
static size_t (*volatile decompress_fn)(ZSTD_DCtx*, void*, size_t, const void*, size_t) = ZSTD_decompressDCtx;

static void check(size_t ret, const char* what) {
  if (ZSTD_isError(ret)) {
    fprintf(stderr, "%s: %s\n", what, ZSTD_getErrorName(ret));
    exit(3);
  }
}

static void print_times(const char* name, const double* ms, int n) {
  printf("\"%s\": [", name);
  for (int i = 0; i < n; i++) printf("%s%.4f", i ? ", " : "", ms[i]);
  printf("]");
}

static int oneshot(const char* path, int level, size_t max_bytes, int iterations) {
  size_t size;
  unsigned char* src = read_file(path, max_bytes, &size);
  size_t bound = ZSTD_compressBound(size);
  unsigned char* frame = malloc(bound);
  unsigned char* back = malloc(size ? size : 1);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level), "level");
  double* cms = calloc(iterations, sizeof *cms);
  double* dms = calloc(iterations, sizeof *dms);
  size_t csize = 0;
  /* Each phase runs on its own (warm-up first) so its code and data are hot when timed. */
  for (int i = -WARMUP; i < iterations; i++) {
    double t0 = now_ms();
    csize = compress_fn(cctx, frame, bound, src, size);
    double t1 = now_ms();
    check(csize, "compress");
    if (i >= 0) cms[i] = t1 - t0;
  }
  for (int i = -WARMUP; i < iterations; i++) {
    double t0 = now_ms();
    size_t dsize = decompress_fn(dctx, back, size, frame, csize);
    double t1 = now_ms();
    check(dsize, "decompress");
    if (dsize != size) {
      fprintf(stderr, "round trip size mismatch\n");
      return 4;
    }
    if (i >= 0) dms[i] = t1 - t0;
  }
  if (memcmp(back, src, size) != 0) {
    fprintf(stderr, "round trip mismatch\n");
    return 4;
  }
  printf("{\"mode\": \"oneshot\", \"bytes\": %zu, \"compressed\": %zu, ", size, csize);
  print_times("compressMs", cms, iterations);
  printf(", ");
  print_times("decompressMs", dms, iterations);
  printf("}\n");
  ZSTD_freeCCtx(cctx);
  ZSTD_freeDCtx(dctx);
  free(src);
  free(frame);
  free(back);
  free(cms);
  free(dms);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 6 && strcmp(argv[1], "oneshot") == 0) {
    return oneshot(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10), atoi(argv[5]));
  }
  fprintf(stderr, "usage: %s oneshot FILE LEVEL MAX_BYTES ITERATIONS\n", argv[0]);
  return 1;
}
