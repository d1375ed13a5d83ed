// Frame inspection on every kind of frame header.
const zstd = require('zstd-kit');
const { textData, zstdCli } = require('./helpers.cjs');

beforeAll(() => zstd.init());

const codeOf = (fn) => {
  try {
    fn();
  } catch (e) {
    return e instanceof zstd.ZstdError ? e.code : `not a ZstdError: ${e}`;
  }
  return 'no error';
};

test('getFrameParameters of a plain frame', () => {
  const frame = new zstd.ZstdCompressor().compress(textData(12345));
  const p = zstd.getFrameParameters(frame);
  expect(p).toEqual({ contentSize: 12345, windowSize: expect.any(Number), dictId: 0, hasChecksum: false });
  expect(p.windowSize).toBeGreaterThanOrEqual(12345);
});

test('frames without content size, with checksum, from the CLI', () => {
  const data = Buffer.from(textData(300000));
  const streamed = zstdCli(['-3', '-c', '-'], data); // from stdin: no content size
  expect(zstd.getFrameParameters(streamed).contentSize).toBe(-1);
  expect(zstd.getFrameParameters(streamed).hasChecksum).toBe(true);
  expect(zstd.frameContentSize(streamed)).toBe(-1);
  const noCheck = zstdCli(['-3', '--no-check', '-c'], data);
  expect(zstd.getFrameParameters(noCheck).hasChecksum).toBe(false);
});

test('dictionary ids of 1, 2 and 4 bytes are read', () => {
  // Frame header descriptor: dictionary id flag in the low 2 bits; single segment; 1-byte content size.
  for (const [flag, idBytes, id] of [
    [1, [0x7f], 0x7f],
    [2, [0x34, 0x12], 0x1234],
    [3, [0x78, 0x56, 0x34, 0x12], 0x12345678],
  ]) {
    const header = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x20 | flag, ...idBytes, 0x05]);
    expect(zstd.getFrameParameters(header)).toEqual({ contentSize: 5, windowSize: 5, dictId: id, hasChecksum: false });
    expect(zstd.frameHeaderSize(header)).toBe(header.length);
  }
});

test('frameHeaderSize of a real frame', () => {
  const frame = new zstd.ZstdCompressor().compress(textData(1000));
  const size = zstd.frameHeaderSize(frame);
  expect(size).toBeGreaterThanOrEqual(6);
  expect(size).toBeLessThanOrEqual(18);
});

test('errors: skippable frame, short header, not zstd, wrong types', () => {
  const skippable = Uint8Array.from([0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 1, 2]);
  expect(codeOf(() => zstd.getFrameParameters(skippable))).toBe('frame_parameter_unsupported');
  expect(() => zstd.getFrameParameters(skippable)).toThrow(/skippable/);
  expect(codeOf(() => zstd.getFrameParameters(zstd.FRAME_HEADER))).toBe('src_size_wrong');
  expect(codeOf(() => zstd.frameContentSize(zstd.FRAME_HEADER.subarray(0, 2)))).toBe('src_size_wrong');
  expect(codeOf(() => zstd.frameContentSize(new Uint8Array(2)))).toBe('prefix_unknown');
  expect(codeOf(() => zstd.frameHeaderSize(Uint8Array.from([1, 2, 3, 4, 5, 6])))).toBe('prefix_unknown');
  expect(() => zstd.getFrameParameters(42)).toThrow(TypeError);
});

// ---- Frame headers against the format spec, skippable frames, progression and memory estimates ----
const { expectSameBytes: sameBytes, randomData: noise } = require('./helpers.cjs');

/** Frame header size per doc/zstd_compression_format.md, from the frame header descriptor. */
function specHeaderSize(frame) {
  const fhd = frame[4];
  const single = (fhd >> 5) & 1;
  return 4 + 1 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3] + [single ? 1 : 0, 2, 4, 8][fhd >> 6];
}

const errorOf = (fn) => {
  try {
    fn();
  } catch (e) {
    return { name: e.name, code: e.code, message: String(e.message).slice(0, 200) };
  }
  return 'no error';
};

test('frameHeaderSize follows the spec for every content-size width, window byte, checksum and source', () => {
  // Content size field: 1 byte (single segment, < 256), 2 bytes (256..65791), 4 bytes, or none.
  const cases = [
    [0, 1],
    [1, 1],
    [255, 1],
    [256, 2],
    [65791, 2],
    [65792, 4],
    [300000, 4],
    [1 << 20, 4],
  ];
  for (const [size, fcsBytes] of cases) {
    const data = size > 1000 ? noise(size, size) : Buffer.from('abcdefgh'.repeat(size)).subarray(0, size);
    for (const options of [{}, { writeChecksum: true }, { level: 19 }]) {
      const c = new zstd.ZstdCompressor(options);
      const frame = c.compress(data);
      c.free();
      const fhd = frame[4];
      expect([size, [0, 2, 4, 8][fhd >> 6] || (fhd >> 5) & 1]).toEqual([size, fcsBytes]);
      expect([size, zstd.frameHeaderSize(frame)]).toEqual([size, specHeaderSize(frame)]);
      const p = zstd.getFrameParameters(frame);
      expect(p.contentSize).toBe(size);
      expect(p.hasChecksum).toBe(Boolean(options.writeChecksum));
      expect(zstd.frameContentSize(frame)).toBe(size);
      // The header alone is enough; one byte less is not.
      const hs = zstd.frameHeaderSize(frame);
      expect(zstd.getFrameParameters(frame.subarray(0, hs))).toEqual(p);
      expect(errorOf(() => zstd.getFrameParameters(frame.subarray(0, hs - 1)))).toEqual(
        expect.objectContaining({ name: 'ZstdError', code: 'src_size_wrong' }),
      );
    }
    // No content size: a window byte, no size field.
    const c = new zstd.ZstdCompressor({ writeContentSize: false });
    const frame = c.compress(data);
    c.free();
    expect(frame[4] >> 5).toBe(0);
    expect(zstd.frameHeaderSize(frame)).toBe(specHeaderSize(frame));
    expect(zstd.frameHeaderSize(frame)).toBe(6);
    expect(zstd.frameContentSize(frame)).toBe(-1);
    expect(zstd.getFrameParameters(frame).windowSize).toBeGreaterThanOrEqual(1024);
    // The CLI's frames, with and without a size.
    const fromFile = zstdCli(['-c', '-q', `--stream-size=${size}`], Buffer.from(data));
    const fromPipe = zstdCli(['-c', '-q'], Buffer.from(data));
    for (const f of [fromFile, fromPipe]) expect(zstd.frameHeaderSize(f)).toBe(specHeaderSize(f));
    expect(zstd.frameContentSize(fromFile)).toBe(size);
    if (size > 0) expect(zstd.frameContentSize(fromPipe)).toBe(-1); // (the CLI writes 0 for an empty pipe)
  }
});

test('synthetic headers: window descriptors, 2- and 8-byte content sizes, checksum flag, reserved bit', () => {
  const magic = [0x28, 0xb5, 0x2f, 0xfd];
  // Window descriptor: exponent (5 bits), mantissa (3 bits): 2^(10+e) + m * 2^(10+e) / 8.
  for (const [e, m] of [
    [0, 0],
    [0, 7],
    [10, 3],
    [17, 0],
    [17, 7],
    [20, 5],
  ]) {
    const header = Uint8Array.from([...magic, 0x00, (e << 3) | m]);
    const base = 2 ** (10 + e);
    expect(zstd.getFrameParameters(header)).toEqual({ contentSize: -1, windowSize: base + (base / 8) * m, dictId: 0, hasChecksum: false });
    expect(zstd.frameHeaderSize(header)).toBe(6);
  }
  // 2-byte content size (stored minus 256), single segment.
  const two = Uint8Array.from([...magic, 0x60, 0x34, 0x12]);
  expect(zstd.getFrameParameters(two)).toEqual({ contentSize: 0x1234 + 256, windowSize: 0x1234 + 256, dictId: 0, hasChecksum: false });
  expect(zstd.frameHeaderSize(two)).toBe(7);
  // 8-byte content size, exactly representable.
  const eight = new Uint8Array(13);
  eight.set([...magic, 0xe0]);
  new DataView(eight.buffer).setBigUint64(5, 2n ** 40n + 5n, true);
  expect(zstd.getFrameParameters(eight).contentSize).toBe(2 ** 40 + 5);
  expect(zstd.frameContentSize(eight)).toBe(2 ** 40 + 5);
  expect(zstd.frameHeaderSize(eight)).toBe(13);
  // Checksum flag (bit 2), with a dictionary id and a window byte.
  const withAll = Uint8Array.from([...magic, 0x44 | 0x01, 0x50, 0x2a, 0x10, 0x27]); // fcs 2 bytes, checksum, 1-byte dict id
  expect(zstd.getFrameParameters(withAll)).toEqual({ contentSize: 0x2710 + 256, windowSize: 2 ** 20, dictId: 0x2a, hasChecksum: true });
  expect(zstd.frameHeaderSize(withAll)).toBe(specHeaderSize(withAll));
  // Reserved bit (bit 3) set: not a valid header.
  expect(errorOf(() => zstd.getFrameParameters(Uint8Array.from([...magic, 0x08, 0x50])))).toEqual(
    expect.objectContaining({ name: 'ZstdError' }),
  );
});

test('skippable frames: getFrameParameters and frameContentSize throw a ZstdError naming them, for every skippable magic', () => {
  for (let nibble = 0; nibble < 16; nibble++) {
    for (const size of [0, 2, 100]) {
      const frame = new Uint8Array(8 + size);
      new DataView(frame.buffer).setUint32(0, 0x184d2a50 + nibble, true);
      new DataView(frame.buffer).setUint32(4, size, true);
      for (const fn of [zstd.getFrameParameters, zstd.frameContentSize]) {
        const e = errorOf(() => fn(frame));
        expect(e).toEqual(expect.objectContaining({ name: 'ZstdError', code: 'frame_parameter_unsupported' }));
        expect(e.message).toMatch(/skippable/);
      }
    }
  }
});

test('frameHeaderSize of a skippable frame is its 8-byte header (or a ZstdError), whatever its size field says', () => {
  const results = [];
  for (const size of [0, 1, 2, 3, 64, 100, 255]) {
    const frame = new Uint8Array(8 + size);
    new DataView(frame.buffer).setUint32(0, 0x184d2a50, true);
    new DataView(frame.buffer).setUint32(4, size, true);
    let got;
    try {
      got = zstd.frameHeaderSize(frame);
    } catch (e) {
      got = e instanceof zstd.ZstdError ? 'ZstdError' : `${e.name}`;
    }
    results.push([size, got]);
  }
  const uniform = results.every(([, got]) => got === 8) || results.every(([, got]) => got === 'ZstdError');
  expect({ uniform, results }).toEqual({ uniform: true, results });
});

test('frame functions accept every input type and reject others', () => {
  const c = new zstd.ZstdCompressor();
  const frame = c.compress(textData(5000, 3));
  c.free();
  const wb = zstd.allocBuffer(frame.length);
  wb.view().set(frame);
  for (const input of [frame, Buffer.from(frame), frame.slice().buffer, new DataView(frame.slice().buffer), wb]) {
    expect(zstd.getFrameParameters(input).contentSize).toBe(5000);
    expect(zstd.frameContentSize(input)).toBe(5000);
    expect(zstd.frameHeaderSize(input)).toBe(specHeaderSize(frame));
  }
  wb.free();
  for (const bad of [null, undefined, 42, {}, [1, 2]]) {
    for (const fn of [zstd.getFrameParameters, zstd.frameContentSize, zstd.frameHeaderSize]) {
      expect(errorOf(() => fn(bad))).toEqual(expect.objectContaining({ name: 'TypeError' }));
    }
  }
  expect(errorOf(() => zstd.frameHeaderSize(new Uint8Array(0)))).toEqual(expect.objectContaining({ name: 'ZstdError' }));
});

test('frameProgression after compressobj: ingested, consumed, produced', () => {
  const c = new zstd.ZstdCompressor();
  expect(c.frameProgression()).toEqual({ ingested: 0, consumed: 0, produced: 0 });
  const data = textData(500000, 4);
  const o = c.compressobj();
  const first = o.compress(data);
  let p = c.frameProgression();
  expect(p.ingested).toBe(data.length);
  expect(p.consumed).toBeLessThanOrEqual(p.ingested);
  expect(p.produced).toBe(first.length);
  const rest = o.flush();
  p = c.frameProgression();
  expect(p).toEqual({ ingested: data.length, consumed: data.length, produced: first.length + rest.length });
  // A new frame starts from zero.
  const o2 = c.compressobj({ size: 1000 });
  o2.compress(data.subarray(0, 1000));
  expect(c.frameProgression().ingested).toBe(1000);
  const block = o2.flush(zstd.FLUSH_BLOCK);
  expect(c.frameProgression()).toEqual({ ingested: 1000, consumed: 1000, produced: block.length });
  const end = o2.flush();
  // libzstd's progression does not count the frame epilogue (an empty last block, a checksum).
  const unreported = block.length + end.length - c.frameProgression().produced;
  expect(unreported).toBeGreaterThanOrEqual(0);
  expect(unreported).toBeLessThanOrEqual(end.length);
  expect(c.frameProgression()).toEqual(expect.objectContaining({ ingested: 1000, consumed: 1000 }));
  sameBytes(new zstd.ZstdDecompressor().decompress(new Uint8Array([...block, ...end])), data.subarray(0, 1000));
  c.free();
});

test('estimateDecompressionContextSize and memorySize', () => {
  const est = zstd.estimateDecompressionContextSize();
  expect(Number.isInteger(est)).toBe(true);
  expect(est).toBeGreaterThan(0);
  const c = new zstd.ZstdCompressor({ level: 9 });
  const d = new zstd.ZstdDecompressor();
  const data = textData(1 << 20, 5);
  d.decompress(c.compress(data));
  expect(c.memorySize()).toBeGreaterThan(0);
  expect(d.memorySize()).toBeGreaterThan(0);
  c.free();
  d.free();
});
