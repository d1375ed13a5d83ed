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
  const streamed = zstdCli(['-3', '-c', '-'], data);  // from stdin: no content size
  expect(zstd.getFrameParameters(streamed).contentSize).toBe(-1);
  expect(zstd.getFrameParameters(streamed).hasChecksum).toBe(true);
  expect(zstd.frameContentSize(streamed)).toBe(-1);
  const noCheck = zstdCli(['-3', '--no-check', '-c'], data);
  expect(zstd.getFrameParameters(noCheck).hasChecksum).toBe(false);
});

test('dictionary ids of 1, 2 and 4 bytes are read', () => {
  // Frame header descriptor: dictionary id flag in the low 2 bits; single segment; 1-byte content size.
  for (const [flag, idBytes, id] of [[1, [0x7f], 0x7f], [2, [0x34, 0x12], 0x1234], [3, [0x78, 0x56, 0x34, 0x12], 0x12345678]]) {
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
