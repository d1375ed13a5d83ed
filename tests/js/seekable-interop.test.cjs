// zstd's own seekable-format programs as the oracle: contrib/seekable_format/examples from the
// fetched zstd source, built natively (CMake target seekable_reference, in build/native, the build
// npm test makes for the core tests). Their decompressor reads ranges of our files (compressSeekable,
// the streaming writers, SChunk cframes, packed tensors); files from their compressor open with
// openSeekable.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zstd = require('zstd-kit');
const { concat, collect, expectSameBytes, textData, tmpDir } = require('./helpers.cjs');

const root = path.join(__dirname, '..', '..');
const buildDir = path.join(root, 'build', 'native');
const bin = (name) => path.join(buildDir, 'seekable-reference', name);
// The example programs leak nothing worth reporting but are not ours to fix: no leak checks.
const env = { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' };

let dir;
beforeAll(async () => {
  await zstd.init();
  dir = tmpDir();
  if (!fs.existsSync(bin('seekable_compression')) || !fs.existsSync(bin('seekable_decompression'))) {
    // As scripts/test.mjs configures it; building the target alone is quick once libzstd is built.
    execFileSync('cmake', ['-S', root, '-B', buildDir, '-DZSTDKIT_SANITIZE=address', '-DCMAKE_BUILD_TYPE=RelWithDebInfo'], {
      stdio: 'ignore',
    });
    execFileSync('cmake', ['--build', buildDir, '-j', '2', '--target', 'seekable_reference'], { stdio: 'ignore' });
  }
}, 600000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// zstd's example reader: bytes [start, end) of a seekable file.
function theirRange(file, start, end) {
  const r = spawnSync(bin('seekable_decompression'), [file, String(start), String(end)], { env, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`seekable_decompression exited ${r.status}: ${r.stderr}`);
  return new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length);
}

const data = textData(900001, 12);
const ranges = [
  [0, 1],
  [0, 900001],
  [65535, 65537],
  [123456, 654321],
  [899999, 900001],
];

test("zstd's seekable reader reads our files", async () => {
  const write = (name, bytes) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };
  const chunks = [];
  const w = new zstd.ZstdCompressor({ level: 4 }).seekableWriter({ write: (c) => chunks.push(c) }, { frameSize: 65536 });
  w.write(data);
  await w.close();
  const streamed = concat(
    await collect(new Blob([data]).stream().pipeThrough(new zstd.ZstdSeekableCompressionStream({ frameSize: 40000 }))),
  );
  const files = {
    oneShot: write('one-shot.zst', zstd.compressSeekable(data, { frameSize: 65536 })),
    noChecksums: write('no-checksums.zst', zstd.compressSeekable(data, { frameSize: 100000, checksum: false })),
    writer: write('writer.zst', concat(chunks)),
    stream: write('stream.zst', streamed),
    cframe: write('cframe.zst', new zstd.SChunk({ chunkSize: 50000, typesize: 1, data }).toCframe()),
  };
  for (const [name, file] of Object.entries(files)) {
    for (const [start, end] of ranges) {
      const got = theirRange(file, start, end);
      if (Buffer.compare(Buffer.from(got), Buffer.from(data.subarray(start, end))) !== 0) {
        throw new Error(`${name}: their reader's [${start}, ${end}) differs`);
      }
    }
  }
  // A packed tensor too: the reader gives the raw bytes.
  const tensor = Float64Array.from({ length: 30000 }, (_, i) => Math.sin(i));
  const tensorFile = write('tensor.zst', zstd.packTensor(tensor, { shape: [300, 100], chunkSize: 65536 }));
  expectSameBytes(theirRange(tensorFile, 0, tensor.byteLength), new Uint8Array(tensor.buffer));
});

test("files from zstd's seekable compressor open with openSeekable", async () => {
  const input = path.join(dir, 'input.txt');
  fs.writeFileSync(input, data);
  for (const frameSize of [4096, 65536, 1 << 20]) {
    const r = spawnSync(bin('seekable_compression'), [input, String(frameSize)], { env });
    expect(r.status).toBe(0);
    const output = `${input}.zst`;
    const reader = await zstd.openSeekable(output);
    expect(reader.size).toBe(data.length);
    expect(reader.frameCount).toBe(Math.ceil(data.length / frameSize));
    for (const [start, end] of ranges) expectSameBytes(await reader.read(start, end - start), data.subarray(start, end));
    await reader.close();
    // And as an SChunk.
    const s = zstd.SChunk.fromCframe(fs.readFileSync(output));
    expectSameBytes(s.getSlice(1000, 70000), data.subarray(1000, 70000));
    s.free();
  }
});
