// Writes the committed seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/): a few small
// inputs per target, laid out as each target reads them (option bytes first, see fuzz_util.h),
// made with the built package and the zstd CLI. Run again only to change the seeds:
//   npm run build && node tests/fuzz/make-corpus.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zstd from 'zstd-kit';

const here = dirname(fileURLToPath(import.meta.url));
await zstd.init();

const text = (n, seed = 1) => {
  const words = ['zstd', 'kit', 'frame', 'block', 'window', 'literal', 'match', 'offset', '{"id":', '"name":', '\n'];
  let x = seed * 2654435761;
  let out = '';
  while (out.length < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += words[x % words.length] + ' ';
  }
  return Buffer.from(out.slice(0, n));
};
const u16 = (v) => Buffer.from([v & 0xff, (v >> 8) & 0xff]);
const u32 = (v) => Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff]);
const compress = (data, options = {}) => Buffer.from(new zstd.ZstdCompressor(options).compress(data));
const magicless = (data) => compress(data, { compressionParams: new zstd.ZstdCompressionParameters({ format: 'magicless' }) });
const cli = (args, input) => execFileSync('zstd', args, { input });
const skippable = (n) => Buffer.concat([u32(0x184d2a50), u32(n), Buffer.alloc(n, 7)]);

const frames = {
  plain: compress(text(900)),
  checksum: compress(text(700, 2), { writeChecksum: true }),
  unknownSize: cli(['-q', '-c', '-3', '-'], text(1200, 3)), // from a pipe: no content size
  fast: compress(text(800, 4), { level: -5 }),
  empty: compress(Buffer.alloc(0)),
  twoFrames: Buffer.concat([compress(text(300, 5)), compress(text(200, 6))]),
  skippable: Buffer.concat([skippable(12), compress(text(400, 7))]),
  long: cli(['-q', '-c', '--long=21', '-'], text(1500, 8)),
  magicless: magicless(text(600, 9)),
};

const corpus = {
  decompress_fuzzer: Object.entries(frames).flatMap(([name, f]) => [
    [name, Buffer.concat([Buffer.from([0]), f])],
    [`${name}-opts`, Buffer.concat([Buffer.from([name === 'magicless' ? 2 : 13]), f])],
  ]),
  stream_decompress_fuzzer: Object.entries(frames).map(([name, f], i) => [
    name,
    Buffer.concat([Buffer.from([(name === 'magicless' ? 2 : 0) | (i % 2 ? 4 : 0) | (i % 3 ? 0 : 8)]), u32(0x9e3779b9 * (i + 1)), f]),
  ]),
  round_trip_fuzzer: [0, 1, 2, 8 | 1, 4].map((how, i) => [
    `how${how}`,
    // how, seed, level (u16), three flags, explicit-parameter flag (+ count and pairs), data
    Buffer.concat([
      Buffer.from([how]),
      u32(12345 + i),
      u16(i * 5),
      Buffer.from([i & 1, 1, 0, i % 2]),
      u16(2),
      u16(0),
      u16(14),
      u16(1),
      u16(5),
      text(1500, 10 + i),
    ]),
  ]),
  frame_fuzzer: Object.entries(frames).map(([name, f]) => [name, f.subarray(0, 32)]),
};

// Dictionaries: one trained by the CLI, raw content, and garbage with the dictionary magic.
const samplesDir = join(here, 'samples.tmp');
mkdirSync(samplesDir, { recursive: true });
const sampleFiles = Array.from({ length: 600 }, (_, i) => {
  const file = join(samplesDir, `s${i}`);
  writeFileSync(
    file,
    JSON.stringify({ id: i, name: `user-${i % 17}`, tags: ['a', 'b', 'c'].slice(0, i % 3), note: text(60, i).toString() }),
  );
  return file;
});
const dictFile = join(samplesDir, 'dict');
execFileSync('zstd', ['-q', '--train', '--maxdict=2048', '-o', dictFile, ...sampleFiles]);
const trained = readFileSync(dictFile);
rmSync(samplesDir, { recursive: true });
const withDict = (selector, dict, payload) => Buffer.concat([Buffer.from([selector]), u16(dict.length), dict, payload]);
corpus.dictionary_fuzzer = [
  ['trained-auto', withDict(0, trained, text(500, 20))],
  ['trained-full-batch', withDict(2 | 0x80, trained, text(700, 21))],
  ['raw', withDict(1, text(400, 22), text(600, 22))],
  ['raw-params', withDict(1 | 0x40, text(300, 23), text(300, 24))],
  ['magic-garbage', withDict(2, Buffer.concat([u32(0xec30a437), Buffer.alloc(60, 3)]), text(100, 25))],
];

// Batch items: the count (u16), then (length, claimed size) pairs, then the items back to back.
const batch = (selector, items, sizes) =>
  Buffer.concat([Buffer.from([selector]), u16(items.length - 1), ...items.flatMap((it, i) => [u16(it.length), u16(sizes[i])]), ...items]);
const small = [compress(text(100, 30)), compress(text(250, 31)), compress(text(60, 32))];
corpus.batch_decompress_fuzzer = [
  ['headers', batch(0, small, [0, 0, 0])],
  ['given-sizes', batch(4, small, [100, 250, 60])],
  ['lying-sizes', batch(4, small, [99, 251, 0])],
  ['threads-steps', batch(8 | 0x20, small, [0, 0, 0])],
  ['unknown-size', batch(0, [frames.unknownSize.subarray(0, 1000)], [0])],
  ['magicless', batch(2 | 4, [magicless(text(90, 33)), Buffer.from([1, 2])], [90, 2])],
];

// Seekable files: frames with and without checksums, no frames, an SChunk cframe (a skippable
// header frame first), a writer's frames without content sizes, and a frame that is not the
// seek table's size.
const seekableWriter = new zstd.ZstdCompressor({ level: 1 });
const written = [];
const w = seekableWriter.seekableWriter({ write: (c) => written.push(Buffer.from(c)) }, { frameSize: 600 });
w.write(text(1500, 43));
await w.close();
const lying = Buffer.from(zstd.compressSeekable(text(900, 44), { frameSize: 300, checksum: false }));
lying.writeUInt32LE(299, lying.length - 9 - 3 * 8 + 4); // frame 0 claims one byte fewer than it holds
corpus.seek_table_fuzzer = [
  ['one-shot', Buffer.from(zstd.compressSeekable(text(3000, 40), { frameSize: 1000 }))],
  ['no-checksums', Buffer.from(zstd.compressSeekable(text(2000, 41), { frameSize: 700, checksum: false }))],
  ['empty', Buffer.from(zstd.compressSeekable(Buffer.alloc(0)))],
  ['cframe', Buffer.from(new zstd.SChunk({ chunkSize: 512, typesize: 4, data: text(2048, 42) }).toCframe())],
  ['writer', Buffer.concat(written)],
  ['lying-size', lying],
];

for (const [target, seeds] of Object.entries(corpus)) {
  const dir = join(here, 'corpus', target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of seeds) writeFileSync(join(dir, name), bytes);
  console.log(`${target}: ${seeds.length} seeds`);
}
