// WasmBuffer and allocBuffer: zero-copy views, slices, resize, and the zero-copy data path.
const zstd = require('zstd-kit');
const { textData, expectSameBytes } = require('./helpers.cjs');

beforeAll(() => zstd.init());

describe('WasmBuffer', () => {
  test('allocBuffer gives writable memory in wasm, counted by zstd.memory', () => {
    const before = zstd.memory.totalAllocatedBytes();
    const b = zstd.allocBuffer(1000);
    expect(b.size).toBe(1000);
    expect(zstd.memory.totalAllocatedBytes()).toBeGreaterThanOrEqual(before + 1000);
    const v = b.view();
    expect(v.length).toBe(1000);
    v.fill(7);
    expect(b.toBytes().every((x) => x === 7)).toBe(true);
    b.free();
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
  });

  test('view() is zero-copy, toBytes() is a copy', () => {
    const b = zstd.allocBuffer(4);
    b.view().set([1, 2, 3, 4]);
    const copy = b.toBytes();
    b.view()[0] = 9;
    expect(b.view()[0]).toBe(9);
    expect(copy[0]).toBe(1);
    expect(copy.buffer).not.toBe(b.view().buffer);
    b.free();
  });

  test('slice() shares memory and keeps it alive after the parent is freed', () => {
    const parent = zstd.allocBuffer(100);
    parent.view().set(textData(100));
    const s = parent.slice(10, 20);
    expect(s.size).toBe(20);
    expectSameBytes(s.view(), parent.view().subarray(10, 30));
    s.view()[0] = 0xee;
    expect(parent.view()[10]).toBe(0xee);
    parent.free();
    expect(s.view()[0]).toBe(0xee);
    expect(s.toBytes().length).toBe(20);
    s.free();
  });

  test('slice() defaults and bounds', () => {
    const b = zstd.allocBuffer(50);
    expect(b.slice().size).toBe(50);
    expect(b.slice(45).size).toBe(5);
    expect(b.slice(50, 0).size).toBe(0);
    expect(() => b.slice(51)).toThrow(RangeError);
    expect(() => b.slice(10, 41)).toThrow(RangeError);
    expect(() => b.slice(-1)).toThrow(RangeError);
    expect(() => b.slice('1')).toThrow(TypeError);
    b.free();
  });

  test('resize() keeps the prefix', () => {
    const b = zstd.allocBuffer(3);
    b.view().set([5, 6, 7]);
    b.resize(1 << 20);
    expect(b.size).toBe(1 << 20);
    expect(Array.from(b.view().subarray(0, 3))).toEqual([5, 6, 7]);
    b.resize(2);
    expect(Array.from(b.view())).toEqual([5, 6]);
    expect(() => b.resize(-1)).toThrow(RangeError);
    b.free();
  });

  test('allocBuffer argument checks', () => {
    expect(() => zstd.allocBuffer(-1)).toThrow(RangeError);
    expect(() => zstd.allocBuffer(1.5)).toThrow(RangeError);
    expect(() => zstd.allocBuffer('10')).toThrow(TypeError);
    expect(() => zstd.allocBuffer()).toThrow(TypeError);
    expect(zstd.allocBuffer(0).size).toBe(0);
  });

  test('an allocation wasm cannot satisfy is a ZstdError, and the instance keeps working', () => {
    expect(() => zstd.allocBuffer(2 ** 32 - 1)).toThrow(expect.objectContaining({ code: 'memory_allocation' }));
    const c = new zstd.ZstdCompressor();
    expect(new zstd.ZstdDecompressor().decompress(c.compress('still fine')).length).toBe(10);
  });

  test('views stay correct after wasm memory grows', () => {
    const b = zstd.allocBuffer(16);
    b.view().set(textData(16));
    const big = zstd.allocBuffer(64 << 20); // grows memory
    expectSameBytes(b.view(), textData(16));
    big.free();
    b.free();
  });
});

describe('zero-copy data path', () => {
  test('WasmBuffer in, WasmBuffer out, both ways', () => {
    const data = textData(1 << 20);
    const input = zstd.allocBuffer(data.length);
    input.view().set(data);
    const c = new zstd.ZstdCompressor();
    const d = new zstd.ZstdDecompressor();
    const frame = c.compressToBuffer(input);
    const back = d.decompressToBuffer(frame);
    expectSameBytes(back.view(), data);
    expectSameBytes(frame.toBytes(), c.compress(data));
    for (const b of [input, frame, back]) b.free();
  });

  test('a slice of a WasmBuffer can be compressed in place', () => {
    const data = textData(10000);
    const b = zstd.allocBuffer(20000);
    b.view().set(data, 5000);
    const frame = new zstd.ZstdCompressor().compress(b.slice(5000, 10000));
    expectSameBytes(new zstd.ZstdDecompressor().decompress(frame), data);
    b.free();
  });
});

describe('views of wasm memory as input', () => {
  test('a WasmBuffer view passed as a Uint8Array is read in place', () => {
    const data = textData(300000);
    const b = zstd.allocBuffer(data.length);
    b.view().set(data);
    const frame = new zstd.ZstdCompressor().compress(b.view());
    expectSameBytes(new zstd.ZstdDecompressor().decompress(frame), data);
    expectSameBytes(new zstd.ZstdDecompressor().decompress(frame), b.view());
    b.free();
  });

  test('single-threaded build: input survives the memory growth its staging causes', () => {
    const { execFileSync } = require('node:child_process');
    const out = execFileSync(process.execPath, ['-'], {
      cwd: require('node:path').join(__dirname, '..', '..'),
      encoding: 'utf8',
      input: `
        const zstd = require('zstd-kit');
        zstd.init({ threads: false }).then(() => {
          const size = 48 << 20;  // more than the initial memory: staging must grow it
          const b = zstd.allocBuffer(size);
          const v = b.view();
          for (let i = 0; i < size; i += 4096) v[i] = i & 0xff;
          const heapBefore = zstd.memory.heapSize();
          const frame = new zstd.ZstdCompressor({ level: 1 }).compress(b.view());
          const back = new zstd.ZstdDecompressor().decompress(frame);
          let same = back.length === size;
          const w = b.view();
          for (let i = 0; same && i < size; i += 4096) same = back[i] === w[i];
          console.log(JSON.stringify({ same, grew: zstd.memory.heapSize() > heapBefore }));
        });
      `,
    });
    expect(JSON.parse(out)).toEqual({ same: true, grew: true });
  });
});
