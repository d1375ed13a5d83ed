/* The ceiling zstd-kit is measured against: plain C over libzstd, the same source built natively
 * (-O3) and to wasm. Data stays in memory, contexts and output buffers are reused; only the
 * zstd calls are timed.
 *
 *   bench-raw oneshot FILE LEVEL MAX_BYTES ITERATIONS
 *   bench-raw items DATA_FILE SIZES_FILE LEVEL ITERATIONS
 *   bench-raw stream FILE LEVEL CHUNK ITERATIONS
 *   bench-raw dictitems DATA_FILE SIZES_FILE DICT_FILE LEVEL FIRST ITERATIONS
 *   bench-raw train DATA_FILE SIZES_FILE COUNT DICT_SIZE OUT_FILE
 *
 * oneshot: one frame of the first MAX_BYTES of FILE. items: many small documents (DATA_FILE holds
 * them back to back, SIZES_FILE one little-endian uint32 size per document), one frame each, a
 * reused context and output buffer for all; one iteration is a full pass over the documents.
 * stream: the whole FILE through the streaming API in CHUNK-byte pieces: ZSTD_compressStream2
 * (ZSTD_e_continue per piece, ZSTD_e_end with the last; no pledged size, so no content size in the
 * frame, as a stream of unknown length) with one reused context and a ZSTD_CStreamOutSize() output
 * buffer, then the frame in CHUNK-byte pieces through ZSTD_decompressStream with a
 * ZSTD_DStreamOutSize() output buffer. Every filled output buffer is memcpy'd to the end of one
 * contiguous sink (the frame, the restored file), as a library copying each output chunk out
 * would; one iteration is a full pass over the file.
 * dictitems: as items, with a dictionary (DICT_FILE, a zstd dictionary or raw content), over the
 * documents [FIRST, end) only (the held-out ones when the dictionary was trained on the first
 * FIRST): one ZSTD_CDict (ZSTD_createCDict at LEVEL) and one ZSTD_DDict made once, untimed, then
 * ZSTD_compress_usingCDict / ZSTD_decompress_usingDDict per document with a reused context and
 * output buffer. Also reports "compressedNoDict": the same documents at LEVEL without the
 * dictionary (one frame each, untimed).
 * Prints one JSON line: {"mode", ["docs",] ["chunk",] "bytes", "compressed", "compressMs": [...],
 * "decompressMs": [...]} with one time per iteration (after untimed warm-up iterations); the caller
 * takes medians.
 * train: trains a DICT_SIZE-byte (at most) dictionary on the first COUNT documents with
 * ZDICT_optimizeTrainFromBuffer_fastCover (k and d searched, default steps, level 3, one thread),
 * writes it to OUT_FILE and prints {"mode": "train", "docs", "bytes", "ms", "size", "dictId", "k",
 * "d"}: one timed call, no warm-up (training takes seconds). */
#define ZSTD_STATIC_LINKING_ONLY
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zstd.h>
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>

/* Untimed calls first: V8 moves hot wasm to optimized code after a call or two. */
enum { WARMUP = 2 };

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void* xmalloc(size_t n) {
  void* p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return p;
}

static unsigned char* read_file(const char* path, size_t max_bytes, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  if (max_bytes == SIZE_MAX) { /* the whole file */
    if (fseek(f, 0, SEEK_END) != 0 || (max_bytes = (size_t)ftell(f)) == (size_t)-1 || fseek(f, 0, SEEK_SET) != 0) {
      perror(path);
      exit(2);
    }
  }
  unsigned char* data = malloc(max_bytes ? max_bytes : 1);
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
static size_t (*volatile compress_stream_fn)(ZSTD_CCtx*, ZSTD_outBuffer*, ZSTD_inBuffer*,
                                             ZSTD_EndDirective) = ZSTD_compressStream2;
static size_t (*volatile decompress_stream_fn)(ZSTD_DStream*, ZSTD_outBuffer*, ZSTD_inBuffer*) = ZSTD_decompressStream;
static size_t (*volatile compress_cdict_fn)(ZSTD_CCtx*, void*, size_t, const void*, size_t,
                                            const ZSTD_CDict*) = ZSTD_compress_usingCDict;
static size_t (*volatile decompress_ddict_fn)(ZSTD_DCtx*, void*, size_t, const void*, size_t,
                                              const ZSTD_DDict*) = ZSTD_decompress_usingDDict;
static size_t (*volatile train_fn)(void*, size_t, const void*, const size_t*, unsigned,
                                   ZDICT_fastCover_params_t*) = ZDICT_optimizeTrainFromBuffer_fastCover;

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

/* One full pass over the documents; separate functions so V8 can tier them up between passes. */
static __attribute__((noinline)) size_t compress_pass(ZSTD_CCtx* cctx, unsigned char* out, size_t capacity,
                                                      const unsigned char* data, const uint32_t* sizes, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    size_t csize = compress_fn(cctx, out, capacity, data, sizes[i]);
    check(csize, "compress");
    total += csize;
    data += sizes[i];
  }
  return total;
}

static __attribute__((noinline)) size_t decompress_pass(ZSTD_DCtx* dctx, unsigned char* out, size_t capacity,
                                                        const unsigned char* frames, const size_t* frame_sizes,
                                                        size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    size_t dsize = decompress_fn(dctx, out, capacity, frames, frame_sizes[i]);
    check(dsize, "decompress");
    total += dsize;
    frames += frame_sizes[i];
  }
  return total;
}

/* The documents of the items modes: DATA_FILE back to back, SIZES_FILE one little-endian uint32
 * size per document. Exits if they do not match. */
typedef struct {
  unsigned char* data;
  size_t bytes;
  uint32_t* sizes;
  size_t n;
} docs_t;

static docs_t load_docs(const char* data_path, const char* sizes_path) {
  docs_t d;
  size_t sizes_bytes;
  d.data = read_file(data_path, SIZE_MAX, &d.bytes);
  unsigned char* sizes_raw = read_file(sizes_path, SIZE_MAX, &sizes_bytes);
  d.n = sizes_bytes / 4;
  d.sizes = xmalloc(d.n * sizeof *d.sizes);
  size_t sum = 0;
  for (size_t i = 0; i < d.n; i++) {
    const unsigned char* p = sizes_raw + 4 * i; /* little-endian on any host */
    d.sizes[i] = p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    sum += d.sizes[i];
  }
  free(sizes_raw);
  if (sizes_bytes % 4 != 0 || sum != d.bytes) {
    fprintf(stderr, "%s does not describe %s\n", sizes_path, data_path);
    exit(2);
  }
  return d;
}

static int items(const char* data_path, const char* sizes_path, int level, int iterations) {
  docs_t docs = load_docs(data_path, sizes_path);
  unsigned char* data = docs.data;
  size_t bytes = docs.bytes;
  uint32_t* sizes = docs.sizes;
  size_t n = docs.n;
  size_t max_doc = 0;
  for (size_t i = 0; i < n; i++) {
    if (sizes[i] > max_doc) max_doc = sizes[i];
  }
  size_t bound = ZSTD_compressBound(max_doc);
  unsigned char* out = xmalloc(bound);
  unsigned char* back = xmalloc(max_doc);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level), "level");

  /* The frames, once, untimed, each checked to round-trip. */
  unsigned char* frames = xmalloc(ZSTD_compressBound(bytes) + n * ZSTD_compressBound(0));
  size_t* frame_sizes = xmalloc(n * sizeof *frame_sizes);
  size_t compressed = 0;
  const unsigned char* doc = data;
  for (size_t i = 0; i < n; i++) {
    size_t csize = ZSTD_compress2(cctx, frames + compressed, bound, doc, sizes[i]);
    check(csize, "compress");
    size_t dsize = ZSTD_decompressDCtx(dctx, back, max_doc, frames + compressed, csize);
    check(dsize, "decompress");
    if (dsize != sizes[i] || memcmp(back, doc, dsize) != 0) {
      fprintf(stderr, "round trip mismatch at document %zu\n", i);
      return 4;
    }
    frame_sizes[i] = csize;
    compressed += csize;
    doc += sizes[i];
  }

  double* cms = calloc(iterations, sizeof *cms);
  double* dms = calloc(iterations, sizeof *dms);
  for (int i = -WARMUP; i < iterations; i++) {
    double t0 = now_ms();
    size_t total = compress_pass(cctx, out, bound, data, sizes, n);
    double t1 = now_ms();
    if (total != compressed) {
      fprintf(stderr, "compressed size changed between passes\n");
      return 4;
    }
    if (i >= 0) cms[i] = t1 - t0;
  }
  for (int i = -WARMUP; i < iterations; i++) {
    double t0 = now_ms();
    size_t total = decompress_pass(dctx, back, max_doc, frames, frame_sizes, n);
    double t1 = now_ms();
    if (total != bytes) {
      fprintf(stderr, "decompressed size mismatch\n");
      return 4;
    }
    if (i >= 0) dms[i] = t1 - t0;
  }
  printf("{\"mode\": \"items\", \"docs\": %zu, \"bytes\": %zu, \"compressed\": %zu, ", n, bytes, compressed);
  print_times("compressMs", cms, iterations);
  printf(", ");
  print_times("decompressMs", dms, iterations);
  printf("}\n");
  ZSTD_freeCCtx(cctx);
  ZSTD_freeDCtx(dctx);
  free(data);
  free(sizes);
  free(out);
  free(back);
  free(frames);
  free(frame_sizes);
  free(cms);
  free(dms);
  return 0;
}

static __attribute__((noinline)) size_t dict_compress_pass(ZSTD_CCtx* cctx, const ZSTD_CDict* cdict, unsigned char* out,
                                                           size_t capacity, const unsigned char* data,
                                                           const uint32_t* sizes, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    size_t csize = compress_cdict_fn(cctx, out, capacity, data, sizes[i], cdict);
    check(csize, "compress_usingCDict");
    total += csize;
    data += sizes[i];
  }
  return total;
}

static __attribute__((noinline)) size_t dict_decompress_pass(ZSTD_DCtx* dctx, const ZSTD_DDict* ddict,
                                                             unsigned char* out, size_t capacity,
                                                             const unsigned char* frames, const size_t* frame_sizes,
                                                             size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    size_t dsize = decompress_ddict_fn(dctx, out, capacity, frames, frame_sizes[i], ddict);
    check(dsize, "decompress_usingDDict");
    total += dsize;
    frames += frame_sizes[i];
  }
  return total;
}

static int dictitems(const char* data_path, const char* sizes_path, const char* dict_path, int level, size_t first,
                     int iterations) {
  docs_t docs = load_docs(data_path, sizes_path);
  if (first > docs.n) {
    fprintf(stderr, "FIRST (%zu) is past the last document (%zu documents)\n", first, docs.n);
    return 1;
  }
  /* Only the documents [first, end). */
  const unsigned char* data = docs.data;
  for (size_t i = 0; i < first; i++) data += docs.sizes[i];
  const uint32_t* sizes = docs.sizes + first;
  size_t n = docs.n - first;
  size_t bytes = docs.bytes - (size_t)(data - docs.data);
  size_t max_doc = 0;
  for (size_t i = 0; i < n; i++) {
    if (sizes[i] > max_doc) max_doc = sizes[i];
  }
  size_t dict_size;
  unsigned char* dict = read_file(dict_path, SIZE_MAX, &dict_size);

  /* The dictionary, digested once, untimed. */
  ZSTD_CDict* cdict = ZSTD_createCDict(dict, dict_size, level);
  ZSTD_DDict* ddict = ZSTD_createDDict(dict, dict_size);
  if (!cdict || !ddict) {
    fprintf(stderr, "cannot create the CDict / DDict from %s\n", dict_path);
    return 3;
  }
  size_t bound = ZSTD_compressBound(max_doc);
  unsigned char* out = xmalloc(bound);
  unsigned char* back = xmalloc(max_doc);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level), "level");

  /* The frames, once, untimed, each checked to round-trip; and the same documents without the
   * dictionary, for the ratio gain. */
  unsigned char* frames = xmalloc(ZSTD_compressBound(bytes) + n * ZSTD_compressBound(0));
  size_t* frame_sizes = xmalloc(n * sizeof *frame_sizes);
  size_t compressed = 0, compressed_no_dict = 0;
  const unsigned char* doc = data;
  for (size_t i = 0; i < n; i++) {
    size_t csize = ZSTD_compress_usingCDict(cctx, frames + compressed, bound, doc, sizes[i], cdict);
    check(csize, "compress_usingCDict");
    size_t dsize = ZSTD_decompress_usingDDict(dctx, back, max_doc, frames + compressed, csize, ddict);
    check(dsize, "decompress_usingDDict");
    if (dsize != sizes[i] || memcmp(back, doc, dsize) != 0) {
      fprintf(stderr, "round trip mismatch at document %zu\n", first + i);
      return 4;
    }
    size_t plain = ZSTD_compress2(cctx, out, bound, doc, sizes[i]);
    check(plain, "compress");
    compressed_no_dict += plain;
    frame_sizes[i] = csize;
    compressed += csize;
    doc += sizes[i];
  }

  double* cms = calloc(iterations, sizeof *cms);
  double* dms = calloc(iterations, sizeof *dms);
  for (int i = -WARMUP; i < iterations; i++) {
    double t0 = now_ms();
    size_t total = dict_compress_pass(cctx, cdict, out, bound, data, sizes, n);
    double t1 = now_ms();
    if (total != compressed) {
      fprintf(stderr, "compressed size changed between passes\n");
      return 4;
    }
    if (i >= 0) cms[i] = t1 - t0;
  }
  for (int i = -WARMUP; i < iterations; i++) {
    double t0 = now_ms();
    size_t total = dict_decompress_pass(dctx, ddict, back, max_doc, frames, frame_sizes, n);
    double t1 = now_ms();
    if (total != bytes) {
      fprintf(stderr, "decompressed size mismatch\n");
      return 4;
    }
    if (i >= 0) dms[i] = t1 - t0;
  }
  printf(
      "{\"mode\": \"dictitems\", \"first\": %zu, \"docs\": %zu, \"bytes\": %zu, \"dictSize\": %zu, \"dictId\": %u, "
      "\"compressed\": %zu, \"compressedNoDict\": %zu, ",
      first, n, bytes, dict_size, ZSTD_getDictID_fromDict(dict, dict_size), compressed, compressed_no_dict);
  print_times("compressMs", cms, iterations);
  printf(", ");
  print_times("decompressMs", dms, iterations);
  printf("}\n");
  ZSTD_freeCDict(cdict);
  ZSTD_freeDDict(ddict);
  ZSTD_freeCCtx(cctx);
  ZSTD_freeDCtx(dctx);
  free(docs.data);
  free(docs.sizes);
  free(dict);
  free(out);
  free(back);
  free(frames);
  free(frame_sizes);
  free(cms);
  free(dms);
  return 0;
}

static int train(const char* data_path, const char* sizes_path, size_t count, size_t dict_capacity,
                 const char* out_path) {
  docs_t docs = load_docs(data_path, sizes_path);
  if (count > docs.n) {
    fprintf(stderr, "COUNT (%zu) is more than the %zu documents\n", count, docs.n);
    return 1;
  }
  size_t* sample_sizes = xmalloc(count * sizeof *sample_sizes);
  size_t sample_bytes = 0;
  for (size_t i = 0; i < count; i++) {
    sample_sizes[i] = docs.sizes[i];
    sample_bytes += docs.sizes[i];
  }
  unsigned char* dict = xmalloc(dict_capacity);
  ZDICT_fastCover_params_t params;
  memset(&params, 0, sizeof params); /* k = d = 0: both searched; steps, f, accel, split: defaults */
  params.nbThreads = 1;
  params.zParams.compressionLevel = 3;
  double t0 = now_ms();
  size_t size = train_fn(dict, dict_capacity, docs.data, sample_sizes, (unsigned)count, &params);
  double t1 = now_ms();
  if (ZDICT_isError(size)) {
    fprintf(stderr, "training failed: %s\n", ZDICT_getErrorName(size));
    return 3;
  }
  FILE* f = fopen(out_path, "wb");
  if (!f || fwrite(dict, 1, size, f) != size || fclose(f) != 0) {
    perror(out_path);
    return 2;
  }
  printf(
      "{\"mode\": \"train\", \"docs\": %zu, \"bytes\": %zu, \"ms\": %.1f, \"size\": %zu, \"dictId\": %u, \"k\": %u, "
      "\"d\": %u}\n",
      count, sample_bytes, t1 - t0, size, ZDICT_getDictID(dict, size), params.k, params.d);
  free(docs.data);
  free(docs.sizes);
  free(sample_sizes);
  free(dict);
  return 0;
}

/* One streaming compression of src into sink (capacity bytes) in chunk-byte pieces; returns the
 * frame's size. Every output buffer's bytes are memcpy'd to the end of the sink. */
static __attribute__((noinline)) size_t compress_stream_pass(ZSTD_CCtx* cctx, unsigned char* sink, size_t capacity,
                                                             unsigned char* out, size_t out_size,
                                                             const unsigned char* src, size_t size, size_t chunk) {
  check(ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only), "reset");
  size_t produced = 0;
  size_t offset = 0;
  do { /* an empty file still gets one (ZSTD_e_end) call */
    size_t piece = size - offset < chunk ? size - offset : chunk;
    ZSTD_EndDirective mode = offset + piece == size ? ZSTD_e_end : ZSTD_e_continue;
    ZSTD_inBuffer in = {src + offset, piece, 0};
    size_t remaining;
    do {
      ZSTD_outBuffer o = {out, out_size, 0};
      remaining = compress_stream_fn(cctx, &o, &in, mode);
      check(remaining, "compressStream2");
      if (o.pos > capacity - produced) {
        fprintf(stderr, "compressed stream larger than its bound\n");
        exit(4);
      }
      memcpy(sink + produced, out, o.pos);
      produced += o.pos;
      /* e_continue: done once the piece is consumed; e_end: once everything is flushed. */
    } while (mode == ZSTD_e_end ? remaining != 0 : in.pos < in.size);
    offset += piece;
  } while (offset < size);
  return produced;
}

/* One streaming decompression of the frame in chunk-byte pieces into sink (capacity bytes);
 * returns the bytes restored. */
static __attribute__((noinline)) size_t decompress_stream_pass(ZSTD_DCtx* dctx, unsigned char* sink, size_t capacity,
                                                               unsigned char* out, size_t out_size,
                                                               const unsigned char* frame, size_t frame_size,
                                                               size_t chunk) {
  check(ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only), "reset");
  size_t produced = 0;
  size_t ret = 1;
  for (size_t offset = 0; offset < frame_size; offset += chunk) {
    size_t piece = frame_size - offset < chunk ? frame_size - offset : chunk;
    ZSTD_inBuffer in = {frame + offset, piece, 0};
    ZSTD_outBuffer o;
    /* Until the piece is consumed and, if the output buffer came back full, zstd had nothing more
     * to flush (ret 0: the frame is complete and flushed). */
    do {
      o = (ZSTD_outBuffer){out, out_size, 0};
      ret = decompress_stream_fn(dctx, &o, &in);
      check(ret, "decompressStream");
      if (o.pos > capacity - produced) {
        fprintf(stderr, "decompressed stream larger than the input\n");
        exit(4);
      }
      memcpy(sink + produced, out, o.pos);
      produced += o.pos;
    } while (in.pos < in.size || (o.pos == o.size && ret != 0));
  }
  if (ret != 0) {
    fprintf(stderr, "truncated frame\n");
    exit(4);
  }
  return produced;
}

static int stream(const char* path, int level, size_t chunk, int iterations) {
  if (chunk == 0) {
    fprintf(stderr, "CHUNK must be > 0\n");
    return 1;
  }
  size_t size;
  unsigned char* src = read_file(path, SIZE_MAX, &size);
  size_t bound = ZSTD_compressBound(size);
  unsigned char* frame = xmalloc(bound);
  unsigned char* back = xmalloc(size);
  size_t cout_size = ZSTD_CStreamOutSize();
  size_t dout_size = ZSTD_DStreamOutSize();
  unsigned char* cout = xmalloc(cout_size);
  unsigned char* dout = xmalloc(dout_size);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level), "level");
  double* cms = calloc(iterations, sizeof *cms);
  double* dms = calloc(iterations, sizeof *dms);
  size_t csize = 0;
  for (int i = -WARMUP; i < iterations; i++) {
    double t0 = now_ms();
    size_t n = compress_stream_pass(cctx, frame, bound, cout, cout_size, src, size, chunk);
    double t1 = now_ms();
    if (i > -WARMUP && n != csize) {
      fprintf(stderr, "compressed size changed between passes\n");
      return 4;
    }
    csize = n;
    if (i >= 0) cms[i] = t1 - t0;
  }
  for (int i = -WARMUP; i < iterations; i++) {
    double t0 = now_ms();
    size_t n = decompress_stream_pass(dctx, back, size, dout, dout_size, frame, csize, chunk);
    double t1 = now_ms();
    if (n != size) {
      fprintf(stderr, "round trip size mismatch\n");
      return 4;
    }
    if (i >= 0) dms[i] = t1 - t0;
  }
  if (memcmp(back, src, size) != 0) {
    fprintf(stderr, "round trip mismatch\n");
    return 4;
  }
  printf("{\"mode\": \"stream\", \"chunk\": %zu, \"bytes\": %zu, \"compressed\": %zu, ", chunk, size, csize);
  print_times("compressMs", cms, iterations);
  printf(", ");
  print_times("decompressMs", dms, iterations);
  printf("}\n");
  ZSTD_freeCCtx(cctx);
  ZSTD_freeDCtx(dctx);
  free(src);
  free(frame);
  free(back);
  free(cout);
  free(dout);
  free(cms);
  free(dms);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 6 && strcmp(argv[1], "oneshot") == 0) {
    return oneshot(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10), atoi(argv[5]));
  }
  if (argc == 6 && strcmp(argv[1], "items") == 0) {
    return items(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
  }
  if (argc == 6 && strcmp(argv[1], "stream") == 0) {
    return stream(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10), atoi(argv[5]));
  }
  if (argc == 8 && strcmp(argv[1], "dictitems") == 0) {
    return dictitems(argv[2], argv[3], argv[4], atoi(argv[5]), strtoull(argv[6], NULL, 10), atoi(argv[7]));
  }
  if (argc == 7 && strcmp(argv[1], "train") == 0) {
    return train(argv[2], argv[3], strtoull(argv[4], NULL, 10), strtoull(argv[5], NULL, 10), argv[6]);
  }
  fprintf(stderr,
          "usage: %s oneshot FILE LEVEL MAX_BYTES ITERATIONS\n"
          "       %s items DATA_FILE SIZES_FILE LEVEL ITERATIONS\n"
          "       %s stream FILE LEVEL CHUNK ITERATIONS\n"
          "       %s dictitems DATA_FILE SIZES_FILE DICT_FILE LEVEL FIRST ITERATIONS\n"
          "       %s train DATA_FILE SIZES_FILE COUNT DICT_SIZE OUT_FILE\n",
          argv[0], argv[0], argv[0], argv[0], argv[0]);
  return 1;
}
