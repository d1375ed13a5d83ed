// Frames that do not state their content size (pipes, streaming compressors, `zstd` reading
// stdin) decode without a size hint; maxOutputSize still caps them, before the big allocation.
const zstd = require('zstd-kit');
const { textData, randomData, expectSameBytes, zstdCli } = require('./helpers.cjs');

beforeAll(() => zstd.init());

// One frame streamed in chunks of 1 MiB: no content size in its header.
function streamed(data, level = 3) {
  const obj = new zstd.ZstdCompressor({ level }).compressobj();
  const parts = [];
  for (let at = 0; at < data.length; at += 1 << 20) parts.push(obj.compress(data.subarray(at, at + (1 << 20))));
  parts.push(obj.flush());
  const frame = Buffer.concat(parts);
  expect(zstd.frameContentSize(frame)).toBe(-1);
  return frame;
}

// `total` bytes repeating `unit`, streamed without materialising them.
function streamedRepeat(unit, total, level = 1) {
  const obj = new zstd.ZstdCompressor({ level }).compressobj();
  const parts = [];
  for (let at = 0; at < total; at += unit.length) parts.push(obj.compress(unit.subarray(0, Math.min(unit.length, total - at))));
  parts.push(obj.flush());
  return Buffer.concat(parts);
}

const codeOf = (fn) => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof zstd.ZstdError)) throw e;
    return e.code;
  }
  return 'no error';
};

const MiB = 1 << 20;

describe('frames without a content size', () => {
  test.each([1, 100, 131072, 131073, MiB, 16 * MiB, 64 * MiB])('%p bytes of text decode without a hint', (size) => {
    const data = size < 4 ? Buffer.from('z'.repeat(size)) : textData(size, size);
    const frame = streamed(data);
    const d = new zstd.ZstdDecompressor();
    const out = d.decompress(frame);
    if (size > 4096) expect(out.buffer.byteLength).toBe(out.length); // small results share a slab
    expectSameBytes(out, data);
    const wb = d.decompressToBuffer(frame);
    expectSameBytes(wb.view(), data);
    wb.free();
    expectSameBytes(d.decompress(frame, { maxOutputSize: size }), data);
    if (size > 1) expect(codeOf(() => d.decompress(frame, { maxOutputSize: size - 1 }))).toBe('output_too_large');
    d.free();
  });

  test.each([1000, 3 * MiB])('%p incompressible bytes decode without a hint', (size) => {
    const data = randomData(size, 2);
    expectSameBytes(new zstd.ZstdDecompressor().decompress(streamed(data)), data);
  });

  test('output of the zstd CLI reading stdin, several frames, skippable frames between', () => {
    const a = textData(3 * MiB, 1),
      b = randomData(5000, 2);
    const fa = zstdCli(['-c', '-q'], Buffer.from(a)),
      fb = zstdCli(['-c', '-q', '--no-check'], Buffer.from(b));
    expect(zstd.frameContentSize(fa)).toBe(-1);
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 1, 0, 0, 0, 7]);
    const all = Buffer.concat([fa, skippable, fb]);
    const d = new zstd.ZstdDecompressor();
    expectSameBytes(d.decompress(all), a);
    expectSameBytes(d.decompress(all, { readAcrossFrames: true }), Buffer.concat([a, b]));
    expectSameBytes(d.decompressToBuffer(all, { readAcrossFrames: true }).toBytes(), Buffer.concat([a, b]));
    expect(codeOf(() => d.decompress(all.subarray(0, all.length - 3), { readAcrossFrames: true }))).toBe('src_size_wrong');
  });

  test('corrupt and truncated frames are errors, and the decompressor keeps working', () => {
    const data = textData(2 * MiB, 3);
    const frame = streamed(data);
    const d = new zstd.ZstdDecompressor();
    for (const cut of [5, 100, frame.length >> 1, frame.length - 1]) {
      expect(codeOf(() => d.decompress(frame.subarray(0, cut)))).toBe('src_size_wrong');
    }
    const bad = Buffer.from(frame);
    bad[bad.length >> 1] ^= 0xff;
    expect(codeOf(() => d.decompress(bad))).not.toBe('no error');
    expectSameBytes(d.decompress(frame), data);
  });
});

describe('bombs', () => {
  // 256 MiB of zeros (RLE blocks) and of a short pattern (compressed blocks far above 64:1).
  const bombs = {
    zeros: () => streamedRepeat(new Uint8Array(4 * MiB), 256 * MiB),
    pattern: () => streamedRepeat(Buffer.from('abcabd'.repeat(700000)), 256 * MiB),
  };

  test.each(Object.keys(bombs))('%s with a limit: output_too_large before the big allocation', (name) => {
    const frame = bombs[name]();
    expect(frame.length).toBeLessThan(MiB);
    const d = new zstd.ZstdDecompressor();
    d.decompress(streamed(textData(1000))); // the context exists before we measure
    const before = zstd.memory.totalAllocatedBytes();
    const heap = zstd.memory.heapSize();
    for (const maxOutputSize of [MiB, 8 * MiB]) {
      expect(codeOf(() => d.decompress(frame, { maxOutputSize }))).toBe('output_too_large');
      expect(codeOf(() => d.decompressToBuffer(frame, { maxOutputSize }))).toBe('output_too_large');
    }
    // Never near the bomb's size: at most the limit (grown by doubling) and the streaming window.
    expect(zstd.memory.heapSize() - heap).toBeLessThan(64 * MiB);
    expect(zstd.memory.totalAllocatedBytes() - before).toBeLessThan(16 * MiB);
  });

  test('without a limit a bomb decodes (the platform is the limit)', () => {
    const frame = bombs.pattern();
    const out = new zstd.ZstdDecompressor().decompressToBuffer(frame);
    expect(out.size).toBe(256 * MiB);
    expectSameBytes(out.view().subarray(0, 4200000), Buffer.from('abcabd'.repeat(700000)));
    out.free();
  });
});
