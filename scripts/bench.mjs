// npm run bench: builds what is missing, then the benchmarks; prints the tables and writes
// bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, root, run } from './lib.mjs';

ensureBuilt();
// Native harness on the same libzstd, optimised, no sanitizers.
run('cmake', ['-S', '.', '-B', 'build/native-bench', '-DZSTDKIT_SANITIZE=OFF', '-DZSTDKIT_TESTS=OFF', '-DCMAKE_BUILD_TYPE=Release'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
run('cmake', ['--build', 'build/native-bench', '--target', 'bench-raw', '-j', String(availableParallelism())], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

const zstd = await import('zstd-kit');
await zstd.init();
const { largeCorpus } = await import('../bench/corpus.mjs');
const { benchOneShot } = await import('../bench/oneshot.mjs');

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const oneshot = await benchOneShot({
  zstd,
  corpusPath: largeCorpus(),
  nativeHarness: [join(root, 'build/native-bench/bench/bench-raw')],
  // Node's fetch rejects file paths; without it the glue reads the .wasm from disk.
  wasmHarness: [process.execPath, '--no-experimental-fetch', join(root, 'build/wasm-mt/bench/bench-raw.js')],
  rounds,
});

const node = process.version;
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const zstdCli = execFileSync('zstd', ['--version'], { encoding: 'utf8' }).trim();
const report = `# zstd-kit benchmark results

Machine: ${cpu}, ${availableParallelism()} logical CPUs; Node ${node}; zstd-kit ${zstd.features.zstdVersion}
(threaded build: ${zstd.features.threads}); reference CLI: ${zstdCli}.
Medians over ${rounds} interleaved rounds (native, raw wasm, plain, zero-copy in turn), each after two
untimed warm-up calls. MB/s are 10^6 bytes of uncompressed data per second, single thread.

## One-shot compression, large corpus (tar of Emscripten's system/ tree)

- native C: bench/raw_harness.c on the same libzstd, -O3.
- raw wasm: the same harness compiled to wasm (threaded build flags, as zstd-kit's Node build), data
  already in wasm memory, contexts and buffers reused: the ceiling for a wasm library.
- zstd-kit plain: \`compress(Uint8Array) -> Uint8Array\`, \`decompress(Uint8Array) -> Uint8Array\`.
- zstd-kit zero-copy: \`WasmBuffer\` input, \`compressToBuffer\` / \`decompressToBuffer\`.

${oneshot.table}
`;
writeFileSync(join(root, 'bench/RESULTS.md'), report);
console.log(report);
process.exit(0);
