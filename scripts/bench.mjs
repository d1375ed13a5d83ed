// npm run bench: builds what is missing, then the benchmarks; prints the tables and writes
// bench/RESULTS.md.
//   BENCH_ONLY=oneshot|batch|streaming|memory|dictionary|random|archive|oneliner|size|browser[,...]  run these
//                             sections (default: all); the report keeps the others from the existing RESULTS.md
//   BENCH_SEEKABLE_BYTES=N    decompressed size of the random-access section's seekable file
//                             (default 1 GiB; written to a temporary folder, deleted after)
//   BENCH_SEEKABLE_READS=N    random 1 MiB reads from it (default 64)
//   BENCH_RSS_BYTES=N         bytes the streaming section's RSS check streams (default 1 GiB)
//   BENCH_ONESHOT_BYTES=N     bytes of the memory section's one-shot round trips (default 124 MiB)
//   BENCH_ROUNDS=N            interleaved rounds (default 3)
//   BENCH_TRAIN_RUNS=N        runs of each dictionary trainer (default 2; training takes seconds)
//   BENCH_NO_BUILD=1          use dist/ and build/wasm-mt as they are (only the bench-raw
//                             harnesses are brought up to date)
//   BENCH_REPORT=PATH         write the report there instead of bench/RESULTS.md
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureBuilt, root, run } from './lib.mjs';

const SECTIONS = ['oneshot', 'batch', 'streaming', 'memory', 'dictionary', 'random', 'archive', 'oneliner', 'size', 'browser'];
const only = process.env.BENCH_ONLY || 'all';
const chosen = only === 'all' ? SECTIONS : only.split(',');
if (chosen.some((x) => !SECTIONS.includes(x))) {
  console.error(`BENCH_ONLY must list sections of ${SECTIONS.join(', ')} (or be unset for all), not "${only}"`);
  process.exit(2);
}
const runs = (section) => chosen.includes(section);
const reportPath = resolve(root, process.env.BENCH_REPORT || 'bench/RESULTS.md');

const quiet = { stdio: ['ignore', 'ignore', 'inherit'] };
const jobs = String(availableParallelism());
if (process.env.BENCH_NO_BUILD === '1') {
  run('cmake', ['--build', 'build/wasm-mt', '--target', 'bench-raw', '-j', jobs], {
    ...quiet,
    env: { ...process.env, NODE_PATH: '/usr/share/nodejs' }, // emcc's optimiser needs acorn
  });
} else {
  ensureBuilt();
}
// Native harness on the same libzstd, optimised, no sanitizers.
run('cmake', ['-S', '.', '-B', 'build/native-bench', '-DZSTDKIT_SANITIZE=OFF', '-DZSTDKIT_TESTS=OFF', '-DCMAKE_BUILD_TYPE=Release'], quiet);
run('cmake', ['--build', 'build/native-bench', '--target', 'bench-raw', '-j', jobs], quiet);

const zstd = await import('zstd-kit');
await zstd.init();
const { largeCorpus, smallDocsCorpus } = await import('../bench/corpus.mjs');
const { benchOneShot } = await import('../bench/oneshot.mjs');
const { benchBatch } = await import('../bench/batch.mjs');
const { benchStreaming } = await import('../bench/streaming.mjs');
const { benchDictionary } = await import('../bench/dictionary.mjs');
const { benchSChunk, benchSeekableHttp } = await import('../bench/random-access.mjs');

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const harnesses = {
  nativeHarness: [join(root, 'build/native-bench/bench/bench-raw')],
  // Node's fetch rejects file paths; without it the glue reads the .wasm from disk.
  wasmHarness: [process.execPath, '--no-experimental-fetch', join(root, 'build/wasm-mt/bench/bench-raw.js')],
};
const int = (n) => n.toLocaleString('en-US');
const fmt2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const pair = (xs) => `${fmt2(xs[0])} / ${fmt2(xs[1])}`;

// heading -> section text (from "## " to the next one); new results replace old ones.
const sections = new Map();
const ONESHOT = "## One-shot compression, large corpus (tar of Emscripten's system/ tree)";
const BATCH = '## Batch compression, small documents';
const STREAMING = '## Streaming';
const DICTIONARY = '## Dictionaries, small documents';
const RANDOM = '## Random access: SChunk and seekable files';
if (only !== 'all' && existsSync(reportPath)) {
  const [header, ...parts] = readFileSync(reportPath, 'utf8').split(/^(?=## )/m);
  for (const part of parts) {
    let text = `${part.trimEnd()}\n`;
    const heading = text.slice(0, text.indexOf('\n'));
    // Reports before the batch section had the one-shot method ("Medians over...") in the header.
    const at = header.indexOf('\nMedians over');
    const method = at < 0 ? null : header.slice(at + 1).split('\n\n')[0];
    if (heading === ONESHOT && !text.includes('Medians over') && method) {
      text = text.replace('\n\n', `\n\n${method.trimEnd()}\n\n`);
    }
    sections.set(heading, text);
  }
}

if (runs('oneshot')) {
  const oneshot = await benchOneShot({ zstd, corpusPath: largeCorpus(), ...harnesses, rounds });
  sections.set(
    ONESHOT,
    `${ONESHOT}

Medians over ${rounds} interleaved rounds (native, raw wasm, plain, zero-copy in turn), each after two
untimed warm-up calls. MB/s are 10^6 bytes of uncompressed data per second, single thread.

- native C: bench/raw_harness.c on the same libzstd, -O3.
- raw wasm: the same harness compiled to wasm (threaded build flags, as zstd-kit's Node build), data
  already in wasm memory, contexts and buffers reused: the ceiling for a wasm library.
- zstd-kit plain: \`compress(Uint8Array) -> Uint8Array\`, \`decompress(Uint8Array) -> Uint8Array\`.
- zstd-kit zero-copy: \`WasmBuffer\` input, \`compressToBuffer\` / \`decompressToBuffer\`.

${oneshot.table}
`,
  );
}

if (runs('batch')) {
  const corpus = smallDocsCorpus();
  const batch = await benchBatch({ zstd, corpus, ...harnesses, rounds });
  const { docs, bytes, compressed, ratio } = batch.corpus;
  const sizes = corpus.docs.map((d) => d.length).sort((a, b) => a - b);
  const sources = corpus.sources.map((s) => `${s.root} (${int(s.docs)})`).join(', ');
  const r = batch.ratios;
  const errorList = Object.entries(batch.errors).map(([k, e]) => `- ${k}: ${e.split('\n')[0]}`);
  const errors = errorList.length ? `\nErrors:\n${errorList.join('\n')}\n` : '';
  sections.set(
    BATCH,
    `${BATCH}

Corpus (bench/corpus.mjs \`smallDocsCorpus()\`, built once into bench/corpus/): real text files
of 200 B to 4 KiB from Debian package folders, walked depth first in sorted name order
(symlinks, unreadable files and files with a NUL byte skipped), the first 17,000 kept.
Here: ${int(docs)} documents, ${int(bytes)} bytes (median ${int(sizes[sizes.length >> 1])} B); at level 3, one frame
per document, they compress to ${int(compressed)} bytes (ratio ${ratio.toFixed(2)}).
Documents per folder: ${sources || 'unknown (no paths list)'}.
sha256 of the documents back to back: ${corpus.sha256.slice(0, 16)}... (another value means other
documents: numbers not comparable).

Level 3. items/s: documents per second, from the median time of a whole pass over the corpus
(${rounds} interleaved round(s) x ${batch.iterations} passes per method, each after two untimed warm-up passes);
MB/s: uncompressed bytes. Ratios are to the raw-wasm per-item loop (one thread), also for the
2-thread rows; this machine has ${availableParallelism()} logical CPUs.

- native C per-item loop: bench/raw_harness.c \`items\` mode, -O3: one \`ZSTD_CCtx\` / \`ZSTD_DCtx\`
  reused for every document, \`ZSTD_compress2\` / \`ZSTD_decompressDCtx\` into a reused output buffer.
- raw wasm per-item loop: the same harness compiled to wasm (threaded build flags), documents and
  frames already in wasm memory: the single-thread ceiling.
- zstd-kit per-item loop: \`c.compress(doc)\` for every document, \`d.decompress(frame)\` for every
  frame (\`Uint8Array\` in and out; one \`ZstdCompressor({ level: 3 })\`, one \`ZstdDecompressor\`).
- \`multiCompressToBuffer(docs, { threads })\` / \`multiDecompressToBuffer(frames, { threads })\`: one
  call for all documents, input an array of \`Uint8Array\`, output a \`BufferWithSegmentsCollection\`
  left in wasm memory (freed after each timed call, untimed). The documents are views of one
  buffer (the corpus file read once) and the frames results of \`c.compress\` (small ones share
  32 KiB slabs): items that lie close together are copied into wasm memory as one span.
- \`await multiCompressToBufferAsync\` / \`await multiDecompressToBufferAsync\`: the same, awaited.
- pre-built \`BufferWithSegments\` input: the documents (or frames) back to back in one
  \`BufferWithSegments\`, built once before timing, so the call copies no input.

"n/a": the API is missing from this build; "error": the call threw (listed below the table).

${batch.table}
${errors}
Targets: per-item loop >= 0.85x the raw-wasm per-item loop (here ${pair(r.perItem)}, compress / decompress);
\`multi*ToBuffer\` with 2 threads >= 1.7x it (issue 12) (here sync ${pair(r.multi2)}, async ${pair(r.multi2Async)},
\`BufferWithSegments\` input ${pair(r.multi2Segments)}).
`,
  );
}

if (runs('streaming')) {
  const s = await benchStreaming({ zstd, corpusPath: largeCorpus(), ...harnesses, rounds });
  const r = s.ratios;
  const errorList = Object.entries(s.errors).map(([k, e]) => `- ${k}: ${e.split('\n')[0]}`);
  const errors = errorList.length ? `\nErrors:\n${errorList.join('\n')}\n` : '';
  const kib = s.chunk / 1024;
  // As the table's cells: "error" where the method threw, "n/a" where it is missing.
  const sCell = (k, dir, x) => (Number.isFinite(x) ? x.toFixed(2) : `${k}.${dir}` in s.errors ? 'error' : 'n/a');
  const sPair = (k) => `${sCell(k, 'c', r[k][0])} / ${sCell(k, 'd', r[k][1])}`;

  // Memory: bench/rss.mjs in a child process (each variant in its own process).
  const rssBytes = Number(process.env.BENCH_RSS_BYTES ?? 2 ** 30);
  console.error(`streaming: RSS check, ${int(rssBytes)} bytes per variant...`);
  let rss;
  try {
    const out = execFileSync(process.execPath, ['--expose-gc', join(root, 'bench/rss.mjs'), 'all', '--bytes', String(rssBytes)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: root,
    });
    rss = JSON.parse(out.trim().split('\n').at(-1));
  } catch (e) {
    rss = { variants: [], error: String(e?.message ?? e).split('\n')[0] };
  }
  const rssLabel = {
    node:
      'Node transforms (one `stream.pipeline`: generating `Readable` -> `createZstdCompress({ level: 3 })` -> ' +
      'pass-through counting the compressed bytes -> `createZstdDecompress()` -> counting sink)',
    obj: '`compressobj()` -> `decompressobj()` in a plain loop',
  };
  const mib = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} MiB` : 'n/a');
  const rssLines = rss.variants.map((v) => {
    const label = rssLabel[v.variant] ?? v.variant;
    if (v.status !== 'ok') return `- ${label}: ${v.status}${v.error ? ` (${v.error})` : ''}`;
    return (
      `- ${label}: baseline RSS ${mib(v.baselineRssMiB)}, peak ${mib(v.peakRssMiB)}, ` +
      `**peak - baseline ${mib(v.rssGrowthMiB)}** (target < 64 MiB: ${v.targets.rssGrowthUnder64MiB ? 'met' : 'NOT met'}); ` +
      `wasm heap ${mib(v.heapStartMiB)} at start, ${mib(v.heapAfterFirst16thMiB)} after the first 1/16, ${mib(v.heapEndMiB)} at the end ` +
      `(flat: ${v.targets.heapFlat ? 'yes' : 'NO'}); ${int(v.bytesIn)} bytes in, ${int(v.bytesOut)} out, same sha256; ` +
      `compressed ${int(v.compressed)} (ratio ${v.ratio}); ${v.seconds} s, ${v.roundTripMBps} MB/s round trip.`
    );
  });
  if (rss.error) rssLines.push(`- bench/rss.mjs failed: ${rss.error}`);
  sections.set(
    STREAMING,
    `${STREAMING}

The large corpus (${int(s.bytes)} bytes) fed in ${kib} KiB chunks, level ${s.level}, single thread.
MB/s: 10^6 uncompressed bytes per second, from the median time of a whole pass over the corpus
(${rounds} interleaved round(s) x ${s.iterations} passes per method, each after two untimed warm-up passes).
Every pass's output is checked untimed: compressed output must decompress to the corpus,
decompressed output must equal it. The decompressing rows read the frame in ${kib} KiB chunks;
here it came from ${s.frameSource} (${int(s.compressed)} bytes; the harness's stream: ${int(s.harnessCompressed)}).

- native C stream loop: bench/raw_harness.c \`stream\` mode, -O3: one reused \`ZSTD_CCtx\`,
  \`ZSTD_compressStream2\` with \`ZSTD_e_continue\` per chunk and \`ZSTD_e_end\` with the last (no
  pledged size), output through a reused \`ZSTD_CStreamOutSize()\` buffer; then
  \`ZSTD_decompressStream\` per chunk of the frame into a reused \`ZSTD_DStreamOutSize()\` buffer.
  Each filled output buffer is memcpy'd to the end of one contiguous sink (as a library copying
  each output chunk out would); input chunks are read in place.
- raw wasm stream loop: the same harness compiled to wasm (threaded build flags), data already in
  wasm memory: the ceiling for streaming.
- \`compressobj()\` / \`decompressobj()\`: \`const co = c.compressobj()\`, \`co.compress(chunk)\` per
  chunk, \`co.flush()\`; \`const dobj = d.decompressobj()\`, \`dobj.decompress(chunk)\` per chunk
  (one \`ZstdCompressor({ level: 3 })\`, one \`ZstdDecompressor\`, a new stream object per pass).
- Web streams: a \`ReadableStream\` enqueuing one chunk per pull, \`.pipeThrough(new
  ZstdCompressionStream({ level: 3 }))\` (or \`new ZstdDecompressionStream()\`), drained by a reader.
- Node transforms: \`stream.pipeline(Readable.from(chunks), createZstdCompress({ level: 3 })\` (or
  \`createZstdDecompress()\`)\`, sink)\` from \`'zstd-kit/node'\`; the sink keeps the chunks it gets.

"n/a": the API is missing from this build; "error": the call threw or its output failed the check
(listed below the table).

${s.table}
${errors}
Targets: \`compressobj\` / \`decompressobj\` >= 0.9x the raw-wasm stream loop both ways (here
${sPair('compressobj')}, compress / decompress); Web streams and Node transforms >= 0.8x (here
${sPair('web')} and ${sPair('node')}).

Memory (bench/rss.mjs, run as \`node --expose-gc bench/rss.mjs all --bytes ${rssBytes}\`: each variant in
its own process): ${int(rssBytes)} bytes of generated text-like data (deterministic PRNG words and
numbers, made ${kib} KiB at a time, never held whole; moderately compressible: ratio below) through
compression and straight back through decompression, level 3. Baseline: RSS after \`init()\` and a
full GC; peak: RSS sampled after every chunk and every 2 ms; wasm heap: \`zstd.memory.heapSize()\`.
Targets: peak - baseline < 64 MiB; the wasm heap does not grow after the first 1/16 of the data.

${rssLines.join('\n')}
`,
  );
}

// Memory per workload: bench/rss.mjs, each variant in a fresh process of its own.
const MEMORY = '## Memory per workload (peak RSS, wasm heap)';
if (runs('memory')) {
  const oneShotBytes = Number(process.env.BENCH_ONESHOT_BYTES ?? 124 * 2 ** 20);
  const rssBytes = Number(process.env.BENCH_RSS_BYTES ?? 2 ** 30);
  const variant = (name, bytes) => {
    console.error(`memory: ${name}...`);
    const args = ['--expose-gc', join(root, 'bench/rss.mjs'), name, ...(bytes ? ['--bytes', String(bytes)] : [])];
    try {
      const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
      return JSON.parse(out.trim().split('\n').at(-1));
    } catch (e) {
      return { variant: name, status: 'error', error: String(e?.message ?? e).split('\n')[0] };
    }
  };
  const workloads = [
    ['one-shot round trip x3, threaded build (Node default)', variant('oneshot', oneShotBytes)],
    ['one-shot round trip x3, single-threaded build', variant('oneshot-st', oneShotBytes)],
    ['streaming, Node transforms (`createZstdCompress` -> `createZstdDecompress`)', variant('node', rssBytes)],
    ['streaming, `compressobj()` -> `decompressobj()`', variant('obj', rssBytes)],
    ['batch x3, `multiCompressToBuffer` -> `multiDecompressToBuffer`, threads 2', variant('batch')],
  ];
  const mib = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  const yes = (x) => (x === undefined ? '-' : x ? 'met' : '**NOT met**');
  const rows = workloads.map(([label, v]) => {
    if (v.status !== 'ok') return `| ${label} | ${v.status}${v.error ? `: ${v.error}` : ''} | | | | | | | | |`;
    const t = v.targets;
    const rssTarget = t.peakRssUnder600MiB ?? t.rssGrowthUnder64MiB;
    return (
      `| ${label} | ${int(v.bytesIn)} | ${mib(v.baselineRssMiB)} | ${mib(v.peakRssMiB)} | ${yes(rssTarget)} | ` +
      `${mib(v.heapEndMiB)} | ${mib(v.peakAllocatedMiB)} | ${fmt2(v.heapOverPeak)} | ${yes(t.heapWithinTarget)} | ${v.noLeak ? 'yes' : '**NO**'} |`
    );
  });
  sections.set(
    MEMORY,
    `${MEMORY}

Each workload runs in a fresh Node process (bench/rss.mjs, \`node --expose-gc bench/rss.mjs <variant>\`; GC
forced only before the baseline). Baseline: RSS after \`init()\`, the input made and a full GC (it includes
the input: ${int(oneShotBytes)} bytes for the one-shot rows); peak: RSS sampled every 2 ms and after every
call or chunk. Heap: \`zstd.memory.heapSize()\` at the end (wasm memory never shrinks); peak allocated:
\`zstd.memory.peakAllocatedBytes()\`, the most the library ever held at once. "back to baseline":
\`totalAllocatedBytes()\` after everything is freed equals its value before the workload.

- one-shot: the large corpus repeated to ${int(oneShotBytes)} bytes; three rounds, each a function call doing
  \`frame = c.compress(data)\`, \`back = d.decompress(frame)\` (level 3; results dropped when it returns),
  every result compared with the input.
- streaming: ${int(rssBytes)} bytes of generated text (as in the streaming section), level 3.
- batch: the small-documents corpus (17,000 documents), three rounds, both results freed each round.

| workload | bytes in | baseline RSS MiB | peak RSS MiB | RSS target | heap MiB | peak allocated MiB | heap / peak allocated | heap target | back to baseline |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Targets: one-shot peak RSS < 600 MiB (input and result alone are 2x the bytes in); streaming peak - baseline
< 64 MiB; heap <= 1.15x peak allocated. The heap starts at 16 MiB (static data, the 5 MiB main stack,
2 MiB per pool thread: none of it counted as allocated), so small workloads sit above 1.15x by that much.
The one-shot peaks depend on when V8 collects the previous round's result: a round that allocates
before it is collected peaks by the size of one result higher.
`,
  );
}

if (runs('dictionary')) {
  const corpus = smallDocsCorpus();
  const trainRuns = Number(process.env.BENCH_TRAIN_RUNS ?? 2);
  const x = await benchDictionary({ zstd, corpus, ...harnesses, rounds, trainRuns });
  const r = x.ratios;
  const errorList = Object.entries(x.errors).map(([k, e]) => `- ${k}: ${e.split('\n')[0]}`);
  const errors = errorList.length ? `\nErrors:\n${errorList.join('\n')}\n` : '';
  const notes = x.notes.length ? `\nNotes:\n${x.notes.map((s) => `- ${s}`).join('\n')}\n` : '';
  const gain = x.ratio.noDict / x.ratio.dict;
  const cGain = x.ratio.cNoDict / x.ratio.cDict;
  const pct = (g) => (Number.isFinite(g) ? `${((1 - 1 / g) * 100).toFixed(1)}% fewer bytes` : 'n/a');
  sections.set(
    DICTIONARY,
    `${DICTIONARY}

The small-documents corpus (see the batch section; sha256 ${corpus.sha256.slice(0, 16)}...), level 3.
A ${int(112640)}-byte (110 KiB) dictionary is trained on its first ${int(x.trainSet.docs)} documents
(${int(x.trainSet.bytes)} bytes) and used on the other ${int(x.heldOut.docs)} (held out: ${int(x.heldOut.bytes)}
bytes), one frame per document. This machine has ${availableParallelism()} logical CPUs.

Training: \`ZDICT_optimizeTrainFromBuffer_fastCover\` with k and d searched (d in {6, 8}, default
steps and f, split 0.75), optimised for level 3, one thread; zstd-kit's \`trainDictionary\` next to
bench/raw_harness.c \`train\` mode (the same call, native -O3 and compiled to wasm). Training takes
seconds, so each trainer ran only ${x.trainRuns} time(s) (interleaved); the time is their median,
of one call, with no warm-up.

${x.trainTable}

The dictionary used below: ${x.dict.source}, ${int(x.dict.bytes)} bytes, ID ${x.dict.dictId}
(bench/corpus/${x.dict.path.split('/').at(-1)}); the C harness and zstd-kit load the same file.

Ratio on the held-out documents (untimed). Gain: the no-dictionary bytes over these.

${x.ratioTable}

Level 3, with the dictionary. items/s: held-out documents per second, from the median time of a whole
pass over them (${rounds} interleaved round(s) x ${x.iterations} passes per method, each after two untimed
warm-up passes); MB/s: uncompressed bytes. Ratios are to the raw-wasm dictionary loop (one
thread), also for the 2-thread row.

- native C per-item loop: bench/raw_harness.c \`dictitems\` mode, -O3: one \`ZSTD_CDict\`
  (\`ZSTD_createCDict(dict, size, 3)\`) and one \`ZSTD_DDict\` made once, untimed; then
  \`ZSTD_compress_usingCDict\` / \`ZSTD_decompress_usingDDict\` per document with one reused
  \`ZSTD_CCtx\` / \`ZSTD_DCtx\` and a reused output buffer.
- raw wasm per-item loop: the same harness compiled to wasm (threaded build flags), documents,
  frames and dictionary already in wasm memory: the single-thread ceiling.
- zstd-kit per-item loop: \`const dict = new ZstdCompressionDict(bytes); dict.precompute({ level: 3 })\`,
  \`new ZstdCompressor({ level: 3, dictData: dict })\` and \`new ZstdDecompressor({ dictData: dict })\`
  made once; \`c.compress(doc)\` for every document, \`d.decompress(frame)\` for every frame
  (\`Uint8Array\` in and out).
- \`multiCompressToBuffer(docs, { threads })\` / \`multiDecompressToBuffer(frames, { threads })\` on
  those objects: one call for all held-out documents, output a \`BufferWithSegmentsCollection\`
  (freed after each timed call, untimed).

Every zstd-kit frame is checked (untimed) to name the dictionary's ID and to round-trip.
"n/a": the API is missing from this build; "error": the call threw or failed a check (listed
below the table).

${x.table}
${errors}${notes}
Targets: per-item compress with the precomputed dictionary >= 0.85x the raw-wasm \`ZSTD_CDict\`
loop (here ${pair(r.perItem)}, compress / decompress); batch with the dictionary and 2 threads
>= 1.6x that loop's single-thread rate (here ${pair(r.multi2)}; 1 thread ${pair(r.multi1)}).
Ratio gain on the held-out documents: zstd-kit ${Number.isFinite(gain) ? `${gain.toFixed(3)}x (${pct(gain)})` : 'n/a'};
C harness ${Number.isFinite(cGain) ? `${cGain.toFixed(3)}x (${pct(cGain)})` : 'n/a'}.
`,
  );
}

if (runs('random')) {
  // At least 5 rounds: a round takes seconds, and the ratios are medians over rounds.
  const sc = await benchSChunk({ zstd, corpusPath: largeCorpus(), ...harnesses, rounds: Math.max(rounds, 5) });
  const seekBytes = Number(process.env.BENCH_SEEKABLE_BYTES ?? 2 ** 30);
  const http = await benchSeekableHttp({ zstd, bytes: seekBytes, reads: Number(process.env.BENCH_SEEKABLE_READS ?? 64) });
  const r = sc.ratios;
  sections.set(
    RANDOM,
    `${RANDOM}

SChunk (level 3, single thread): MB/s of uncompressed items, from the median time of a whole pass
over the data (${sc.rounds} interleaved round(s) x ${sc.iterations} passes per method, each after two untimed warm-up
passes). The raw loops are bench/raw_harness.c \`items\` mode with one item per chunk: one
\`ZSTD_CCtx\` / \`ZSTD_DCtx\` reused, \`ZSTD_compress2\` / \`ZSTD_decompressDCtx\` per chunk into a
reused buffer, data already in memory (native -O3, and compiled to wasm: the ceiling). The
\`getSlice\` rows are compared with the per-chunk decompress loop, \`append\` with the compress loop:
each ratio is the median over rounds of the method's speed over the raw-wasm loop's, timed just
before it in the same round (the MB/s column: medians over all rounds).

${sc.table}

Seekable file over HTTP: ${int(http.file.bytes)} bytes of generated text-like data (1 MiB blocks of
bench/rss.mjs's generator, each seeded by its index, so every read is checked) in 1 MiB frames,
level 3, with checksums: ${int(http.file.fileSize)} bytes, ${int(http.file.frames)} frames, a seek table
of ${int(http.file.tableBytes)} bytes. Served by tests/js/fixtures/range-server.cjs (node:http,
single ranges, counting the body bytes it writes) on 127.0.0.1; read with
\`openSeekable(url, { cacheBytes: 0 })\` (no cache: every read goes to the server).
"Touched frames": the frames each read overlaps (a 1 MiB read at a random offset overlaps two).

${http.table}

Targets: random 1 MiB reads transfer at most 1.1x the compressed size of the frames they touch
(here ${fmt2(http.medianRatio)} median, ${fmt2(http.worstRatio)} worst; the seek table once, at open, in the
footer's ${int(http.open.bytes)}-byte tail read: charged in full to a first read, that read transfers at most
${fmt2(http.firstRatio)}x its touched frames plus the table); SChunk \`getSlice\` of one chunk's worth of items >= 0.9x
the raw-wasm one-shot decompress of that chunk. Here, on the tutorial's data / the large corpus:
into a \`WasmBuffer\` (decoded in place, as the raw loop does) ${fmt2(r['arange.sliceWasm'])} / ${fmt2(r['tar.sliceWasm'])};
into a reused \`Uint8Array\` ${fmt2(r['arange.sliceOut'])} / ${fmt2(r['tar.sliceOut'])}; a new \`Uint8Array\` each call
${fmt2(r['arange.slice'])} / ${fmt2(r['tar.slice'])}. A result in JS memory costs one copy out of wasm memory
(and a new one a fresh allocation) that the raw loop does not make.
`,
  );
}

// Archives and the command line (issue 13): bench/archive-cli.mjs.
const ARCHIVE = '## Archives (.tar.zst) and the command line, against tar and the zstd tool';
if (runs('archive')) {
  const { benchArchiveCli } = await import('../bench/archive-cli.mjs');
  const a = await benchArchiveCli({ root, corpusPath: largeCorpus(), rounds });
  const barLines = Object.entries(a.bars).map(
    ([tree, b]) => `${tree}: ${fmt2(b.threads2)}x, peak RSS growth ${Number.isFinite(b.rss) ? `${b.rss.toFixed(1)} MiB` : 'n/a'}`,
  );
  sections.set(
    ARCHIVE,
    `${ARCHIVE}

Medians over ${rounds} interleaved rounds; MB/s are 10^6 bytes of uncompressed input per second.

.tar.zst of a folder, level 3, written to a file in a temporary folder (the same disk for all):
\`tar -cf - -C DIR . | zstd -3 -T1\`, \`tar --zstd -cf OUT -C DIR .\` (GNU tar runs zstd at its
default level 3), and \`packDirectory(DIR, OUT, { level: 3, threads })\` timed around the call in a
child process of its own (Node's start-up and \`init()\` not included); "peak RSS growth": its
peak RSS over the RSS before the call. The trees: the large corpus's own tree (Emscripten's
system/), unpacked twice, and 4 copies of the large corpus as 4 files.

${a.archiveTable}

The command line on one file (the large corpus, 8 times over), whole processes timed, start-up
included (Node and the wasm module: about 0.1 s): \`zstd -3 -T1 -q -f IN -o OUT\` against
\`zstd-kit compress -3 -T1 -q -f IN -o OUT\` (each one worker thread: the same bytes), \`zstd -d -q -f\` against
\`zstd-kit decompress -q -f\`. Each output is checked (untimed).

${a.cliTable}

Targets: \`packDirectory\` / \`tarZst\` with threads 2 >= 0.8x \`tar -c | zstd -3 -T1\` with RSS bounded
(here ${barLines.join('; ')}); the CLI >= 0.75x the zstd tool at level 3 (here compress
${fmt2(a.cliRatio.compress)}x, decompress ${fmt2(a.cliRatio.decompress)}x).
`,
  );
}

// Issue 12's sections: one-liners, download sizes, the browser.
const ONELINER = '## One-liners against reused objects';
const SIZE = '## Download size per entry point';
const BROWSER = '## In the browser (headless Chromium, cross-origin isolated page)';
if (runs('oneliner')) {
  const { benchOneLiner } = await import('../bench/oneliner.mjs');
  const corpus = smallDocsCorpus();
  const docs = corpus.docs.slice(0, 5000).map((x) => new Uint8Array(x));
  const r = benchOneLiner({ zstd, docs, corpusPath: largeCorpus(), rounds });
  sections.set(
    ONELINER,
    `${ONELINER}

\`zstd.compress(doc, 3)\` / \`zstd.decompress(frame)\` in a loop, against one \`ZstdCompressor({ level: 3 })\` /
\`ZstdDecompressor\` reused (\`decompress(frame, { readAcrossFrames: true })\`, what the one-liner does);
medians of ${rounds * 2} interleaved rounds.

${r.table}

Target: one-liners within 5% of the reused object (one-liner / reused speed >= 0.95; here, small
documents: compress ${r.compressRatio.toFixed(3)}, decompress ${r.decompressRatio.toFixed(3)}).
`,
  );
}
if (runs('size')) {
  const { benchSize, indexBreakdown } = await import('../bench/size.mjs');
  const { wasmBreakdown } = await import('../bench/wasm-breakdown.mjs');
  const r = benchSize(join(root, 'dist'));
  const st = r.totals['browser, single-threaded'];
  const parts = wasmBreakdown(join(root, 'build/wasm-st'));
  const wasmBytes = statSync(join(root, 'dist/browser/zstd-kit-st.wasm')).size;
  sections.set(
    SIZE,
    `${SIZE}

What a runtime downloads on its normal path: the entry, every file it imports statically, the glue and
the wasm (the gzipped-base64 inline copies of the wasm are fetched only when the .wasm cannot be);
KB = 1000 bytes; gzip -9 and brotli -q 11 (Node's zlib).

${r.table}

Loaded only when a page first uses the feature (import() of a chunk beside the entry):

${r.lazyTable}

Target: the single-threaded browser path <= 200 KB gzipped (here ${(st.gzip / 1000).toFixed(1)} KB).

Where zstd-kit-st.wasm's code is (${(parts.total.raw / 1000).toFixed(1)} KB of its ${(wasmBytes / 1000).toFixed(1)} KB; the rest is data: libzstd's
tables, strings), by source: the web target linked again with --profiling-funcs (names, same code),
each function attributed to the object file it was compiled in; "gzip KB it adds" is gzip of all
code minus gzip of the code without that part (the parts compress together: they do not add up).

${parts.table}

What each module adds to index.js (minified bytes; class and function names are kept, so each
function and class carries its name as well):

${indexBreakdown(join(root, 'build/browser-index.meta.json'))}
`,
  );
}
if (runs('browser')) {
  const { benchBrowser, DATA_MIB } = await import('../bench/browser.mjs');
  console.error('browser: headless Chromium...');
  const corpusPath = largeCorpus();
  const corpusMib = (statSync(corpusPath).size / 2 ** 20).toFixed(1);
  const r = await benchBrowser({ corpusPath, rounds });
  const runsOf = (ms) => ms.map((x) => x.toFixed(0)).join(', ');
  sections.set(
    BROWSER,
    `${BROWSER}

${r.userAgent.replace(/^Mozilla\/5.0 /, '')}: the threaded build, on the page's main thread. Data: ${DATA_MIB} MiB,
the large corpus (${corpusMib} MiB) followed by its start again up to ${DATA_MIB} MiB (level 19: the first 4 MiB);
medians of ${rounds} rounds after a warm-up, threads 0 and 2 in turn in each round. Sync calls with threads
2 run single-threaded on the main thread (by design: there a waiting thread spins against the workers);
the async calls run on the job thread with the compressor's threads. Long tasks: PerformanceObserver
'longtask' entries (> 50 ms) during the async calls (0: none); the interval gap includes timer clamping.

${r.table}

Targets: compressAsync at level 9 on ${DATA_MIB} MiB with threads 2 >= 1.6x threads 0 (here ${r.speedup.toFixed(2)}x; runs in ms,
threads 0: ${runsOf(r.l9runs.t0)}; threads 2: ${runsOf(r.l9runs.t2)}), and no main-thread task over 50 ms during it
(here: longest ${r.l9longest.toFixed(0)} ms).
`,
  );
}

const node = process.version;
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const zstdCli = execFileSync('zstd', ['--version'], { encoding: 'utf8' }).trim();
const known = [ONESHOT, BATCH, STREAMING, MEMORY, DICTIONARY, RANDOM, ARCHIVE, ONELINER, SIZE, BROWSER];
const ordered = [...known, ...[...sections.keys()].filter((k) => !known.includes(k))];
const report = `# zstd-kit benchmark results

Machine: ${cpu}, ${availableParallelism()} logical CPUs; Node ${node}; zstd-kit ${zstd.features.zstdVersion}
(threaded build: ${zstd.features.threads}); reference CLI: ${zstdCli}.${
  only === 'all' ? '' : `\nThis run: ${only} only (other sections kept from the previous report).`
}

${ordered
  .filter((k) => sections.has(k))
  .map((k) => sections.get(k))
  .join('\n')}`;
writeFileSync(reportPath, report);
console.log(report);
process.exit(0);
