// Interop with the zstd command line tool, both ways.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const zstd = require('zstd-kit');
const { textData, randomData, tmpDir, zstdCli, expectSameBytes } = require('./helpers.cjs');

beforeAll(() => zstd.init());

const data = textData(3 << 20, 5);

describe('zstd-kit frames decode with the zstd CLI', () => {
  test.each([
    [{ level: 1 }],
    [{ level: 19 }],
    [{ level: -5 }],
    [{ writeChecksum: true }],
    [{ writeContentSize: false }],
    [{ threads: 2, level: 3 }],
  ])('%j', (options) => {
    const frame = new zstd.ZstdCompressor(options).compress(data);
    expectSameBytes(zstdCli(['-d', '-c'], frame), data);
  });

  test('a file written from compressToBuffer passes `zstd -t`', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'out.zst');
    const b = new zstd.ZstdCompressor({ writeChecksum: true }).compressToBuffer(data);
    fs.writeFileSync(file, b.view());
    b.free();
    execFileSync('zstd', ['-q', '-t', file]);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('zstd CLI frames decode with zstd-kit', () => {
  const d = new (class {
    get it() {
      return (this._d ??= new zstd.ZstdDecompressor());
    }
  })();

  test.each([['-1'], ['-3'], ['-19'], ['--fast=5'], ['--no-check'], ['-T2', '-3'], ['--ultra', '-22']])('zstd %s', (...args) => {
    const input = args.includes('-22') ? data.subarray(0, 1 << 20) : data;
    const file = path.join(tmpDir(), 'in');
    fs.writeFileSync(file, input);
    const frame = zstdCli([...args, '-c', file]);
    expectSameBytes(d.it.decompress(frame), input);
  });

  test('from stdin (no content size) with maxOutputSize', () => {
    const frame = zstdCli(['-3', '-c', '-'], Buffer.from(data));
    expectSameBytes(d.it.decompress(frame, { maxOutputSize: data.length }), data);
  });

  test('concatenated CLI frames with readAcrossFrames', () => {
    const a = randomData(5000, 1),
      b = textData(200000, 2);
    const frames = Buffer.concat([zstdCli(['-c', '-'], Buffer.from(a)), zstdCli(['-c', '-'], Buffer.from(b))]);
    const out = d.it.decompress(frames, { readAcrossFrames: true, maxOutputSize: 1 << 20 });
    expectSameBytes(out, Buffer.concat([a, b]));
  });

  test('--long=27 needs a large enough maxWindowSize', () => {
    const frame = zstdCli(['-3', '--long=27', '-c', '-'], Buffer.from(data));
    const dd = new zstd.ZstdDecompressor({ maxWindowSize: 2 ** 27 });
    expectSameBytes(dd.decompress(frame, { maxOutputSize: data.length }), data);
  });
});
