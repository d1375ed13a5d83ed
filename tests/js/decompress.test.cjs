// ZstdDecompressor: every option and every error path, including hostile input.
const zstd = require('zstd-kit');
const { textData, randomData, expectSameBytes, zstdCli } = require('./helpers.cjs');

beforeAll(() => zstd.init());

const compress = (data, options) => new zstd.ZstdCompressor(options).compress(data);
const concat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.length)));
const skippable = (payload) => {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a5a, 0);
  header.writeUInt32LE(payload.length, 4);
  return concat(header, payload);
};
const codeOf = (fn) => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof zstd.ZstdError)) throw e;
    return e.code;
  }
  return 'no error';
};

describe('decompress()', () => {
  const data = textData(500000);
  const d = () => new zstd.ZstdDecompressor();

  test('round trip to a JS-owned Uint8Array', () => {
    const out = d().decompress(compress(data));
    expect(out).toBeInstanceOf(Uint8Array);
    expect(out.buffer.byteLength).toBe(out.length);
    expectSameBytes(out, data);
  });

  test('every input type is accepted', () => {
    const frame = compress(data);
    const wb = zstd.allocBuffer(frame.length);
    wb.view().set(frame);
    for (const input of [frame, Buffer.from(frame), frame.slice().buffer, new DataView(frame.slice().buffer), wb]) {
      expectSameBytes(d().decompress(input), data);
    }
    wb.free();
  });

  test('maxOutputSize: unknown content size decodes without it, and it caps the output', () => {
    const frame = compress(data, { writeContentSize: false });
    expectSameBytes(d().decompress(frame), data);
    expectSameBytes(d().decompress(frame, { maxOutputSize: data.length }), data);
    expectSameBytes(d().decompress(frame, { maxOutputSize: 10 * data.length }), data);
    expect(codeOf(() => d().decompress(frame, { maxOutputSize: data.length - 1 }))).toBe('output_too_large');
    expect(codeOf(() => d().decompress(compress(data), { maxOutputSize: 100 }))).toBe('output_too_large');
  });

  test.each([-1, 1.5, 2 ** 33])('maxOutputSize %p is a RangeError', (maxOutputSize) => {
    expect(() => d().decompress(compress(data), { maxOutputSize })).toThrow(RangeError);
  });

  test('readAcrossFrames: first frame only by default, every frame when asked', () => {
    const a = textData(1000, 1),
      b = textData(70000, 2),
      c = randomData(3000, 3);
    const stream = concat(compress(a), skippable(Buffer.from('metadata')), compress(b), compress(c, { writeContentSize: false }));
    expectSameBytes(d().decompress(stream), a);
    expectSameBytes(d().decompress(stream, { readAcrossFrames: true, maxOutputSize: 1 << 20 }), concat(a, b, c));
    // Without a cap, a frame of unknown size decodes too.
    expectSameBytes(d().decompress(stream, { readAcrossFrames: true }), concat(a, b, c));
    expectSameBytes(d().decompress(concat(compress(a), compress(b)), { readAcrossFrames: true }), concat(a, b));
  });

  test('trailing bytes after the first frame are ignored', () => {
    expectSameBytes(d().decompress(concat(compress(data), Buffer.from('garbage'))), data);
  });

  test('a leading skippable frame is skipped', () => {
    expectSameBytes(d().decompress(concat(skippable(Buffer.alloc(5)), compress(data))), data);
    expect(codeOf(() => d().decompress(skippable(Buffer.alloc(5))))).toBe('src_size_wrong');
  });

  test('maxWindowSize is enforced, and checked for range', () => {
    const frame = zstdCli(['-19', '--long=24', '-c'], Buffer.from(textData(1 << 20))); // window 16 MiB
    const opts = { maxOutputSize: 1 << 20 }; // from stdin: the frame does not state its size
    expect(codeOf(() => new zstd.ZstdDecompressor({ maxWindowSize: 1 << 20 }).decompress(frame, opts))).toBe(
      'frame_parameter_window_too_large',
    );
    expectSameBytes(new zstd.ZstdDecompressor({ maxWindowSize: 1 << 24 }).decompress(frame, opts), textData(1 << 20));
    expect(() => new zstd.ZstdDecompressor({ maxWindowSize: 100 })).toThrow(RangeError);
    expect(() => new zstd.ZstdDecompressor({ maxWindowSize: -1 })).toThrow(RangeError);
  });

  test("format: 'magicless' reads frames without the magic number", () => {
    const frame = compress(data);
    const magicless = frame.subarray(4);
    expectSameBytes(new zstd.ZstdDecompressor({ format: 'magicless' }).decompress(magicless, { maxOutputSize: data.length }), data);
    expectSameBytes(
      new zstd.ZstdDecompressor({ format: zstd.FORMAT_ZSTD1_MAGICLESS }).decompress(magicless, { maxOutputSize: data.length }),
      data,
    );
    expect(() => new zstd.ZstdDecompressor({ format: 'zstd0' })).toThrow(RangeError);
  });

  test('decompressToBuffer() leaves the result in wasm memory', () => {
    const out = d().decompressToBuffer(compress(data));
    expect(out).toBeInstanceOf(zstd.WasmBuffer);
    expect(out.size).toBe(data.length);
    expectSameBytes(out.view(), data);
    out.free();
  });

  test('memorySize() reports the context size', () => {
    expect(d().memorySize()).toBeGreaterThan(0);
    expect(zstd.estimateDecompressionContextSize()).toBeGreaterThan(0);
  });
});

describe('bad input is a ZstdError, never a crash', () => {
  const data = textData(200000, 9);
  let frame;
  beforeAll(() => {
    frame = compress(data, { writeChecksum: true });
  });

  test.each([
    ['empty', () => new Uint8Array(0), 'src_size_wrong'],
    ['not zstd', () => new TextEncoder().encode('this is not a zstd frame at all'), 'prefix_unknown'],
    ['magic only', () => frame.subarray(0, 4), 'src_size_wrong'],
    ['truncated header', () => frame.subarray(0, 6), 'src_size_wrong'],
    ['truncated body', () => frame.subarray(0, frame.length >> 1), 'src_size_wrong'],
    ['missing checksum', () => frame.subarray(0, frame.length - 2), 'src_size_wrong'],
  ])('%s', (_, input, code) => {
    expect(codeOf(() => new zstd.ZstdDecompressor().decompress(input()))).toBe(code);
  });

  test('a wrong checksum is checksum_wrong', () => {
    const bad = frame.slice();
    bad[bad.length - 1] ^= 0xff;
    expect(codeOf(() => new zstd.ZstdDecompressor().decompress(bad))).toBe('checksum_wrong');
  });

  test('a header that claims a huge size is rejected without allocating it', () => {
    // Single-segment frame header claiming ~4 GiB of content, then one tiny raw block.
    const hostile = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0, 0x09, 0, 0, 0x41]);
    const d = new zstd.ZstdDecompressor();
    d.decompress(new zstd.ZstdCompressor().compress('warm')); // makes the small-input scratch
    const before = zstd.memory.totalAllocatedBytes();
    const code = codeOf(() => d.decompress(hostile));
    expect(['corruption_detected', 'frame_parameter_window_too_large', 'output_too_large']).toContain(code);
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
  });

  test('1,000 corrupted frames raise only ZstdError and leak nothing', () => {
    const d = new zstd.ZstdDecompressor();
    expectSameBytes(d.decompress(frame), data); // warm: the context's lazily sized parts exist
    const baseline = zstd.memory.totalAllocatedBytes();
    const noise = randomData(4000, 11);
    let errors = 0;
    for (let i = 0; i < 1000; i++) {
      const bad = frame.slice();
      // 1-4 corrupted bytes, in the header for some frames and the body for others.
      const flips = 1 + (noise[i] % 4);
      for (let k = 0; k < flips; k++) {
        const span = i % 10 === 0 ? 16 : bad.length;
        const pos = ((noise[(i * 4 + k) % noise.length] << 8) | noise[(i * 7 + k) % noise.length]) % span;
        bad[pos] ^= 1 + (noise[(i + k * 13) % noise.length] % 255);
      }
      try {
        const out = d.decompress(bad, { maxOutputSize: 1 << 20 });
        expect(out.length).toBeLessThanOrEqual(1 << 20);
      } catch (e) {
        expect(e).toBeInstanceOf(zstd.ZstdError);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(900);
    expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    expectSameBytes(d.decompress(frame), data);
  });

  test('random garbage of many sizes', () => {
    const d = new zstd.ZstdDecompressor();
    const baseline = zstd.memory.totalAllocatedBytes();
    for (let size = 0; size < 300; size += 7) {
      const junk = randomData(size, size);
      if (size >= 4) junk.set(zstd.FRAME_HEADER, 0); // get past the magic number
      try {
        d.decompress(junk, { maxOutputSize: 1 << 16, readAcrossFrames: true });
      } catch (e) {
        expect(e).toBeInstanceOf(zstd.ZstdError);
      }
    }
    expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
  });
});
