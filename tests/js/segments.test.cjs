// The buffer types: BufferWithSegments, BufferSegment, BufferSegments, BufferWithSegmentsCollection.
const zstd = require('zstd-kit');
const { expectSameBytes } = require('./helpers.cjs');

beforeAll(() => zstd.init());

const text = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.length).toString();
const pairs = (...xs) => BigUint64Array.from(xs.map(BigInt));

describe('BufferWithSegments', () => {
  test('size, length, get/at, iteration, view and toBytes', () => {
    const b = new zstd.BufferWithSegments('hello big world', pairs(0, 5, 6, 3, 10, 5));
    expect(b.size).toBe(15);
    expect(b.length).toBe(3);
    expect(text(b.get(0).view())).toBe('hello');
    expect(text(b.get(1).toBytes())).toBe('big');
    expect(b.get(2).offset).toBe(10);
    expect(b.get(2).length).toBe(5);
    expect(text(b.at(-1).view())).toBe('world');
    expect(text(b.at(-3).view())).toBe('hello');
    expect([...b].map((s) => text(s.toBytes()))).toEqual(['hello', 'big', 'world']);
    expect(text(b.view())).toBe('hello big world');
    const copy = b.toBytes();
    b.view()[0] = 0x48;
    expect(text(b.get(0).view())).toBe('Hello'); // views share memory
    expect(text(copy)).toBe('hello big world'); // toBytes copies
    b.free();
  });

  test('accepts every data type once, and segments as BigUint64Array or its bytes', () => {
    const seg = pairs(1, 2);
    const segBytes = new Uint8Array(seg.buffer);
    const inputs = [
      new TextEncoder().encode('abcd'),
      Buffer.from('abcd'),
      new DataView(new TextEncoder().encode('abcd').buffer),
      new TextEncoder().encode('abcd').buffer,
      'abcd',
    ];
    for (const data of inputs) {
      for (const s of [seg, segBytes, segBytes.buffer]) {
        const b = new zstd.BufferWithSegments(data, s);
        expect(text(b.get(0).toBytes())).toBe('bc');
        b.free();
      }
    }
    const data = new Uint8Array([1, 2, 3]);
    const b = new zstd.BufferWithSegments(data, pairs(0, 3));
    data[0] = 9; // copied at construction
    expect(b.get(0).toBytes()[0]).toBe(1);
    b.free();
  });

  test('segments() describes the table', () => {
    const b = new zstd.BufferWithSegments('0123456789', pairs(0, 4, 4, 0, 4, 6));
    const s = b.segments();
    expect(s.length).toBe(3);
    expect(s.get(2)).toEqual({ offset: 4, length: 6 });
    expect([...s]).toEqual([
      { offset: 0, length: 4 },
      { offset: 4, length: 0 },
      { offset: 4, length: 6 },
    ]);
    expect(s.toBigUint64Array()).toEqual(pairs(0, 4, 4, 0, 4, 6));
    expect(() => s.get(3)).toThrow(RangeError);
    expect(b.get(1).toBytes().length).toBe(0);
    b.free();
  });

  test('segments outside the buffer are a RangeError at construction, and nothing leaks', () => {
    const before = zstd.memory.totalAllocatedBytes();
    expect(() => new zstd.BufferWithSegments('abc', pairs(0, 4))).toThrow(RangeError);
    expect(() => new zstd.BufferWithSegments('abc', pairs(4, 0))).toThrow(RangeError);
    expect(() => new zstd.BufferWithSegments('abc', pairs(1, 2n ** 64n - 1n))).toThrow(/outside the buffer/);
    expect(() => new zstd.BufferWithSegments('abc', pairs(2n ** 63n, 1))).toThrow(RangeError);
    expect(() => new zstd.BufferWithSegments('abc', new Uint8Array(15))).toThrow(RangeError);
    expect(() => new zstd.BufferWithSegments('abc', BigUint64Array.of(1n))).toThrow(RangeError);
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
  });

  test('bad argument types are TypeErrors', () => {
    expect(() => new zstd.BufferWithSegments(42, pairs(0, 1))).toThrow(TypeError);
    expect(() => new zstd.BufferWithSegments('abc')).toThrow(TypeError);
    expect(() => new zstd.BufferWithSegments('abc', '0011')).toThrow(TypeError);
    expect(() => new zstd.BufferWithSegments('abc', [0, 1])).toThrow(TypeError);
    const b = new zstd.BufferWithSegments('abc', pairs(0, 1));
    expect(() => b.get(1)).toThrow(RangeError);
    expect(() => b.get(-1)).toThrow(RangeError);
    expect(() => b.at(-2)).toThrow(RangeError);
    expect(() => b.get(0.5)).toThrow(RangeError);
    expect(() => b.get('0')).toThrow(TypeError);
    b.free();
  });

  test('use after free() throws ZstdError freed; free() twice is harmless', () => {
    const b = new zstd.BufferWithSegments('abc', pairs(0, 1));
    b.free();
    b.free();
    for (const use of [() => b.length, () => b.size, () => b.get(0), () => b.view(), () => b.toBytes(), () => b.segments()]) {
      expect(use).toThrow(expect.objectContaining({ name: 'ZstdError', code: 'freed' }));
    }
  });

  test('a segment keeps the memory alive after its parent is freed, until it is freed too', () => {
    const before = zstd.memory.totalAllocatedBytes();
    const b = new zstd.BufferWithSegments('keep me alive', pairs(5, 2));
    const seg = b.get(0);
    b.free();
    expect(text(seg.toBytes())).toBe('me');
    expect(text(seg.view())).toBe('me');
    expect(zstd.memory.totalAllocatedBytes()).toBeGreaterThan(before);
    seg.free();
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
    expect(() => seg.view()).toThrow(expect.objectContaining({ code: 'freed' }));
  });

  test('segments and buffers are valid zero-copy inputs', () => {
    const c = new zstd.ZstdCompressor();
    const d = new zstd.ZstdDecompressor();
    const frame = c.compress('payload');
    const b = new zstd.BufferWithSegments(Buffer.concat([Buffer.from('xx'), frame]), pairs(2, frame.length));
    expect(text(d.decompress(b.get(0)))).toBe('payload');
    expect(text(d.decompress(b.get(0).view()))).toBe('payload');
    expect(text(d.decompress(c.compress(b)))).toBe(`xx${text(frame)}`);
    b.free();
    c.free();
    d.free();
  });
});

describe('BufferWithSegmentsCollection', () => {
  test('global indexing across buffers, size(), bufferCount, iteration', () => {
    const a = new zstd.BufferWithSegments('ab', pairs(0, 1, 1, 1));
    const empty = new zstd.BufferWithSegments('', pairs());
    const c = new zstd.BufferWithSegments('cde', pairs(0, 1, 1, 1, 2, 1));
    const all = new zstd.BufferWithSegmentsCollection(a, empty, c);
    expect(all.length).toBe(5);
    expect(all.bufferCount).toBe(3);
    expect(all.size()).toBe(5);
    expect([...all].map((s) => text(s.toBytes())).join('')).toBe('abcde');
    expect(text(all.get(2).view())).toBe('c');
    expect(all.get(4).offset).toBe(2);
    expect(text(all.at(-1).view())).toBe('e');
    expect(() => all.get(5)).toThrow(RangeError);
    // The collection shares the buffers' memory: freeing them does not invalidate it.
    a.free();
    c.free();
    empty.free();
    expect([...all].map((s) => text(s.toBytes())).join('')).toBe('abcde');
    all.free();
    expect(() => all.get(0)).toThrow(expect.objectContaining({ code: 'freed' }));
  });

  test('no arguments is an empty collection; non-buffers are TypeErrors', () => {
    const none = new zstd.BufferWithSegmentsCollection();
    expect(none.length).toBe(0);
    expect(none.bufferCount).toBe(0);
    expect(none.size()).toBe(0);
    expect([...none]).toEqual([]);
    none.free();
    expect(() => new zstd.BufferWithSegmentsCollection(new Uint8Array(3))).toThrow(TypeError);
    const b = new zstd.BufferWithSegments('ab', pairs(0, 1));
    expect(() => new zstd.BufferWithSegmentsCollection(b, 'x')).toThrow(TypeError);
    b.free();
    expect(() => new zstd.BufferWithSegmentsCollection(b)).toThrow(expect.objectContaining({ code: 'freed' }));
  });

  test('many segments: every one readable, zero-copy views line up with toBytes', () => {
    const n = 5000;
    const parts = Array.from({ length: n }, (_, i) => `item-${i};`);
    const data = parts.join('');
    const table = new BigUint64Array(2 * n);
    let off = 0;
    parts.forEach((p, i) => {
      table[2 * i] = BigInt(off);
      table[2 * i + 1] = BigInt(p.length);
      off += p.length;
    });
    const b = new zstd.BufferWithSegments(data, table);
    const all = new zstd.BufferWithSegmentsCollection(b, b);
    expect(all.length).toBe(2 * n);
    let i = 0;
    for (const s of all) {
      expectSameBytes(s.view(), Buffer.from(parts[i % n]));
      s.free();
      i++;
    }
    b.free();
    all.free();
  });
});
