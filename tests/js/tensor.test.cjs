// packTensor / unpackTensor / saveTensor / loadTensor: every TypedArray type with its shape, the
// self-describing header, and .zst files that the zstd CLI decodes to the raw bytes.
const fs = require('node:fs');
const path = require('node:path');
const zstd = require('zstd-kit');
const { caughtSync, caught, expectSameBytes, randomData, tmpDir, zstdCli } = require('./helpers.cjs');

beforeAll(() => zstd.init());
let dir;
beforeAll(() => {
  dir = tmpDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TYPES = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  ...(typeof globalThis.Float16Array === 'function' ? ['Float16Array'] : []),
];
const bytesOf = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

// An array of `type` with n elements of varied bytes.
function sample(type, n, seed = 1) {
  const Type = globalThis[type];
  const out = new Type(n);
  bytesOf(out).set(randomData(out.byteLength, seed).map((b, i) => (i % 7 < 3 ? b : i & 0xff)));
  return out;
}

test.each(TYPES)('%s round-trips with its shape', (type) => {
  const a = sample(type, 6 * 35 * 4);
  const packed = zstd.packTensor(a, { shape: [6, 35, 4] });
  expect(packed).toBeInstanceOf(Uint8Array);
  const b = zstd.unpackTensor(packed);
  expect(Object.prototype.toString.call(b)).toBe(`[object ${type}]`);
  expect(b.shape).toEqual([6, 35, 4]);
  expect(b.length).toBe(a.length);
  expectSameBytes(bytesOf(b), bytesOf(a));
  // The header is a skippable frame: zstd -d gives the raw bytes.
  expectSameBytes(zstdCli(['-d', '-c'], packed), bytesOf(a));
});

test('shape defaults to [length]; scalars and empty shapes work', () => {
  const a = Float64Array.from([1.5, -2, Math.PI]);
  expect(zstd.unpackTensor(zstd.packTensor(a)).shape).toEqual([3]);
  const one = zstd.unpackTensor(zstd.packTensor(Int16Array.of(7), { shape: [] }));
  expect(one.shape).toEqual([]);
  expect(Array.from(one)).toEqual([7]);
  const empty = zstd.unpackTensor(zstd.packTensor(new Uint32Array(0), { shape: [0, 5] }));
  expect(empty.shape).toEqual([0, 5]);
  expect(empty.length).toBe(0);
  // A view into a larger buffer packs only its own elements.
  const big = sample('Int32Array', 1000);
  const part = big.subarray(100, 200);
  expect(Array.from(zstd.unpackTensor(zstd.packTensor(part)))).toEqual(Array.from(part));
});

test('large arrays span many chunks and stay exact', () => {
  const a = sample('Float32Array', 3 << 20, 3); // 12 MiB
  const packed = zstd.packTensor(a, { shape: [3, 1 << 20], chunkSize: 1 << 20, level: 1 });
  const s = zstd.SChunk.fromCframe(packed);
  expect(s.nchunks).toBe(12);
  expect(s.typesize).toBe(4);
  s.free();
  const b = zstd.unpackTensor(packed);
  expectSameBytes(bytesOf(b), bytesOf(a));
});

test('shape and type mistakes are RangeErrors and TypeErrors', () => {
  const before = zstd.memory.totalAllocatedBytes();
  const a = new Int32Array(12);
  expect(caughtSync(() => zstd.packTensor(a, { shape: [5, 2] }))).toBeInstanceOf(RangeError);
  expect(caughtSync(() => zstd.packTensor(a, { shape: [3, -4] }))).toBeInstanceOf(RangeError);
  expect(caughtSync(() => zstd.packTensor(a, { shape: [2.5, 4] }))).toBeInstanceOf(RangeError);
  expect(caughtSync(() => zstd.packTensor(a, { shape: 12 }))).toBeInstanceOf(TypeError);
  expect(caughtSync(() => zstd.packTensor(a, { shap: [12] }))).toBeInstanceOf(TypeError);
  expect(caughtSync(() => zstd.packTensor([1, 2, 3]))).toBeInstanceOf(TypeError);
  expect(caughtSync(() => zstd.packTensor(new DataView(new ArrayBuffer(8))))).toBeInstanceOf(TypeError);
  expect(caughtSync(() => zstd.packTensor(a.buffer))).toBeInstanceOf(TypeError);
  // Not a tensor: a seekable file without the description, or no seekable file at all.
  const e1 = caughtSync(() => zstd.unpackTensor(zstd.compressSeekable(bytesOf(a))));
  expect(e1).toBeInstanceOf(zstd.ZstdError);
  expect(e1.code).toBe('prefix_unknown');
  const e2 = caughtSync(() => zstd.unpackTensor(zstdCli(['-c'], bytesOf(a))));
  expect(e2.code).toBe('seek_table_invalid');
  // A packed tensor whose chunks are corrupt is an error, not wrong numbers.
  const packed = zstd.packTensor(sample('Int32Array', 100000, 4));
  const bad = Uint8Array.from(packed);
  for (let i = 100; i < 140; i++) bad[i] ^= 0x5a;
  expect(caughtSync(() => zstd.unpackTensor(bad))).toBeInstanceOf(zstd.ZstdError);
  expect(zstd.memory.totalAllocatedBytes()).toBe(before);
});

test('saveTensor / loadTensor write a .zst that zstd -d decodes to the raw bytes', async () => {
  const a = sample('BigInt64Array', 4 * 50 * 50, 5);
  const file = path.join(dir, 'ondisk_array.zst');
  await zstd.saveTensor(a, file, { shape: [4, 50, 50] });
  const b = await zstd.loadTensor(file);
  expect(b).toBeInstanceOf(BigInt64Array);
  expect(b.shape).toEqual([4, 50, 50]);
  expectSameBytes(bytesOf(b), bytesOf(a));
  expectSameBytes(zstdCli(['-d', '-c', file]), bytesOf(a));
  expect(await caught(() => zstd.saveTensor(a, file, { shape: [3] }))).toBeInstanceOf(RangeError);
  expect((await caught(() => zstd.loadTensor(path.join(dir, 'missing.zst')))).code).toBe('ENOENT');
});
