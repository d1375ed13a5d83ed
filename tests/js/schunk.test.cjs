// SChunk: python-blosc2's "Slicing, extending and serializing" tutorial line by line, then what
// it does not show: chunks decoded only when touched, insert/delete, cframes that zstd decodes,
// fromCframe without a copy, and every error leaving memory where it was.
const zstd = require('zstd-kit');
const { caughtSync, expectSameBytes, textData, zstdCli } = require('./helpers.cjs');

beforeAll(() => zstd.init());

const bytesOf = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const arange = (n, from = 0) => {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = from + i;
  return a;
};

describe('the blosc2 tutorial, in JavaScript', () => {
  const nchunks = 10;
  const data = arange(200 * 1000 * nchunks);
  // schunk = blosc2.SChunk(chunksize=200 * 1000 * 4, data=data, cparams={"typesize": 4})
  let schunk;
  beforeAll(() => {
    schunk = new zstd.SChunk({ chunkSize: 200 * 1000 * 4, data, typesize: 4 });
  });
  afterAll(() => schunk.free());

  test('it holds the data in 10 chunks of 200,000 items', () => {
    expect(schunk.nchunks).toBe(10);
    expect(schunk.nitems).toBe(data.length);
    expect(schunk.nbytes).toBe(data.byteLength);
    expect(schunk.typesize).toBe(4);
    expect(schunk.chunkSize).toBe(800000);
    expect(schunk.cbytes).toBeGreaterThan(0);
    expect(schunk.cbytes).toBeLessThan(schunk.nbytes);
  });

  test('decompressChunk(i, out) chunk by chunk', () => {
    const out = new Int32Array(200 * 1000 * nchunks);
    for (let i = 0; i < nchunks; i++) schunk.decompressChunk(i, out.subarray(200 * 1000 * i, 200 * 1000 * (i + 1)));
    expectSameBytes(bytesOf(out), bytesOf(data));
  });

  test('getSlice() and getSlice(start, stop, out)', () => {
    const outSlice = schunk.getSlice(); // schunk[:]
    expectSameBytes(outSlice, bytesOf(data));
    const outArray = new Int32Array(200 * 1000 * nchunks);
    const view = schunk.getSlice(0, schunk.nitems, outArray);
    expect(view.buffer).toBe(outArray.buffer);
    expectSameBytes(bytesOf(outArray), bytesOf(data));
    expect(Array.from(new Int32Array(schunk.getSlice(0, 4).buffer.slice(schunk.getSlice(0, 4).byteOffset)).subarray(0, 4))).toEqual([
      0, 1, 2, 3,
    ]);
    expect(new Int32Array(schunk.getSlice(-3).slice().buffer)).toEqual(Int32Array.from([1999997, 1999998, 1999999]));
    expect(schunk.getSlice(5, 2).length).toBe(0);
  });

  test('getSlice and decompressChunk straight into a WasmBuffer (no copy)', () => {
    const base = zstd.memory.totalAllocatedBytes();
    const buffer = zstd.allocBuffer(800000 + 8);
    const view = schunk.getSlice(200000 + 5, 400000 + 5, buffer); // parts of two chunks
    expect(view.buffer).toBe(buffer.view().buffer); // wasm memory
    expect(view.byteOffset).toBe(buffer.view().byteOffset);
    expectSameBytes(view, bytesOf(data.subarray(200005, 400005)));
    const [at8, at9] = [buffer.slice(8), buffer.slice(9)];
    const chunk = schunk.decompressChunk(3, at8);
    expect(chunk.byteOffset).toBe(buffer.view().byteOffset + 8);
    expectSameBytes(chunk, bytesOf(data.subarray(600000, 800000)));
    expect(schunk.getSlice(7, 7, buffer).length).toBe(0);
    expect(() => schunk.decompressChunk(0, at9)).toThrow(RangeError);
    at8.free();
    at9.free();
    expect(() => schunk.getSlice(0, 200003, buffer)).toThrow(RangeError);
    expect(() => schunk.getSlice(0, 1, 'abcd')).toThrow(TypeError);
    buffer.free();
    expect(() => schunk.getSlice(0, 1, buffer)).toThrow(expect.objectContaining({ code: 'freed' }));
    expect(zstd.memory.totalAllocatedBytes()).toBe(base);
  });

  test('setSlice in the middle', () => {
    const start = 34;
    const stop = 1000 * 200 * 4;
    const newValue = new Int32Array(stop - start).fill(1);
    schunk.setSlice(start, newValue); // schunk[start:stop] = new_value
    const got = new Int32Array(schunk.getSlice(30, stop + 3).slice().buffer);
    expect(Array.from(got.subarray(0, 5))).toEqual([30, 31, 32, 33, 1]);
    expect(got.subarray(4, stop - 30).every((x) => x === 1)).toBe(true);
    expect(Array.from(got.subarray(stop - 30))).toEqual([stop, stop + 1, stop + 2]);
    expect(schunk.nitems).toBe(2000000);
  });

  test('setSlice that updates and appends in one call', () => {
    const schunkNelems = 1000 * 200 * nchunks;
    const newValue = new Int32Array(1000 * 200 * 2 + 53);
    const start = schunkNelems - 123;
    const newNitems = start + newValue.length;
    schunk.setSlice(start, newValue); // schunk[start:new_nitems] = new_value
    expect(schunk.nitems).toBe(newNitems);
    expect(schunk.nchunks).toBe(12);
    const tail = new Int32Array(schunk.getSlice(start - 2).slice().buffer);
    expect(tail.length).toBe(newValue.length + 2);
    expect(Array.from(tail.subarray(0, 2))).toEqual([start - 2, start - 1]);
    expect(tail.subarray(2).every((x) => x === 0)).toBe(true);
  });

  test('toCframe() and fromCframe(buf, { copy: true | false })', () => {
    const buf = schunk.toCframe();
    const all = schunk.getSlice();
    for (const copy of [true, false]) {
      const schunk2 = zstd.SChunk.fromCframe(buf, { copy });
      expect(schunk2.nitems).toBe(schunk.nitems);
      expect(schunk2.typesize).toBe(4);
      expect(schunk2.chunkSize).toBe(800000);
      expect(schunk2.nchunks).toBe(schunk.nchunks);
      expectSameBytes(schunk2.getSlice(), all);
      expectSameBytes(schunk2.toCframe(), buf);
      schunk2.free();
    }
    // zstd -d decodes the cframe to the items.
    expectSameBytes(zstdCli(['-d', '-c'], buf), all);
  });
});

describe('chunks are decoded on demand', () => {
  const chunk = 64 << 10;
  const data = textData(chunk * 8);
  let cframe;
  beforeAll(() => {
    const s = new zstd.SChunk({ chunkSize: chunk, data });
    cframe = s.toCframe();
    s.free();
  });

  // The cframe with chunk `index`'s frame garbled: the seek table says where it is (frame 0 is
  // the header frame, chunk k is frame k + 1).
  function garbled(index) {
    const bad = Uint8Array.from(cframe);
    const view = new DataView(bad.buffer);
    const count = view.getUint32(bad.length - 9, true);
    const entrySize = bad[bad.length - 5] & 0x80 ? 12 : 8;
    const entries = bad.length - 9 - count * entrySize;
    let at = 0;
    for (let i = 0; i < index + 1; i++) at += view.getUint32(entries + entrySize * i, true);
    for (let i = at; i < at + 12; i++) bad[i] ^= 0xff; // its magic number and header: surely an error
    return bad;
  }

  test('a slice over good chunks works while a corrupt chunk elsewhere is never decoded', () => {
    const bad = garbled(5);
    const before = zstd.memory.totalAllocatedBytes();
    for (const copy of [false, true]) {
      const s = zstd.SChunk.fromCframe(bad, { copy });
      expectSameBytes(s.getSlice(0, chunk * 5), data.subarray(0, chunk * 5));
      expectSameBytes(s.getSlice(chunk * 6), data.subarray(chunk * 6));
      expectSameBytes(s.decompressChunk(7), data.subarray(chunk * 7));
      const e = caughtSync(() => s.getSlice(chunk * 5 - 10, chunk * 5 + 10));
      expect(e).toBeInstanceOf(zstd.ZstdError);
      expect(caughtSync(() => s.decompressChunk(5))).toBeInstanceOf(zstd.ZstdError);
      // Still usable: the chunk can be replaced.
      s.setSlice(chunk * 5, data.subarray(chunk * 5, chunk * 6));
      expectSameBytes(s.getSlice(), data);
      s.free();
    }
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
  });

  test("fromCframe({ copy: false }) keeps the chunks in the caller's bytes", () => {
    const base = zstd.memory.totalAllocatedBytes();
    const copied = zstd.SChunk.fromCframe(cframe, { copy: true });
    const inPlace = zstd.SChunk.fromCframe(cframe, { copy: false });
    const copiedBytes = zstd.memory.totalAllocatedBytes();
    expect(inPlace.memorySize()).toBeLessThan(copied.memorySize() - cframe.length / 2);
    expectSameBytes(inPlace.getSlice(chunk, chunk * 3), data.subarray(chunk, chunk * 3));
    expect(zstd.memory.totalAllocatedBytes()).toBe(copiedBytes); // touched chunks are not kept
    copied.free();
    inPlace.free();
    expect(zstd.memory.totalAllocatedBytes()).toBe(base);
  });

  test('a WasmBuffer cframe with copy false is used in place', () => {
    const buffer = zstd.allocBuffer(cframe.length);
    buffer.view().set(cframe);
    const s = zstd.SChunk.fromCframe(buffer, { copy: false });
    buffer.free(); // the SChunk keeps its memory alive
    expectSameBytes(s.getSlice(), data);
    s.free();
  });
});

describe('insertChunk, deleteChunk, append', () => {
  test('chunks can be inserted and deleted anywhere', () => {
    const s = new zstd.SChunk({ chunkSize: 1000, typesize: 2 });
    const a = textData(2500, 1);
    const b = textData(600, 2);
    s.append(a.subarray(0, 700)).append(a.subarray(700)); // the first append leaves a partial chunk
    expect(s.nchunks).toBe(3);
    expect(Array.from({ length: 3 }, (_, i) => s.decompressChunk(i).length)).toEqual([1000, 1000, 500]);
    s.insertChunk(1, b);
    expect(s.nchunks).toBe(4);
    expect(s.nbytes).toBe(3100);
    expectSameBytes(s.getSlice(), Buffer.concat([a.subarray(0, 1000), b, a.subarray(1000)]));
    s.deleteChunk(0);
    expectSameBytes(s.decompressChunk(0), b);
    s.insertChunk(s.nchunks, b);
    expectSameBytes(s.decompressChunk(-0 + s.nchunks - 1), b);
    // The cframe of chunks of different sizes reopens the same.
    const again = zstd.SChunk.fromCframe(s.toCframe());
    expectSameBytes(again.getSlice(), s.getSlice());
    expect(again.nchunks).toBe(s.nchunks);
    again.free();
    s.free();
  });

  test('any seekable file opens as an SChunk', () => {
    const data = textData(50000, 3);
    const file = zstd.compressSeekable(data, { frameSize: 8000 });
    const s = zstd.SChunk.fromCframe(file, { typesize: 8 });
    expect(s.chunkSize).toBe(8000);
    expect(s.nchunks).toBe(7);
    expect(s.nitems).toBe(50000 / 8);
    expectSameBytes(s.getSlice(100, 200), data.subarray(800, 1600));
    s.free();
  });
});

describe('errors', () => {
  test('options and arguments are checked, and memory stays where it was', () => {
    const before = zstd.memory.totalAllocatedBytes();
    expect(caughtSync(() => new zstd.SChunk())).toBeInstanceOf(TypeError);
    expect(caughtSync(() => new zstd.SChunk({ chunkSize: 10, typesize: 4 }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => new zstd.SChunk({ chunkSize: 0 }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => new zstd.SChunk({ chunkSize: 8, typsize: 4 }))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => new zstd.SChunk({ chunkSize: 8, typesize: 4, data: new Uint8Array(6) }))).toBeInstanceOf(RangeError);
    const s = new zstd.SChunk({ chunkSize: 8, typesize: 4, data: new Uint8Array(20) });
    expect(s.nchunks).toBe(3);
    expect(caughtSync(() => s.append(new Uint8Array(3)))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => s.append(42))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => s.decompressChunk(3))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => s.deleteChunk(-1))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => s.insertChunk(1, new Uint8Array(12)))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => s.insertChunk(1, new Uint8Array(0)))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => s.setSlice(6, new Uint8Array(4)))).toBeInstanceOf(RangeError); // past the end: a gap
    expect(caughtSync(() => s.setSlice(1, new Uint8Array(3)))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => s.getSlice(0, 5, new Uint8Array(19)))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => s.getSlice(0, 5, 'out'))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => s.getSlice(0.5))).toBeInstanceOf(RangeError);
    const e = caughtSync(() => zstd.SChunk.fromCframe(textData(1000)));
    expect(e).toBeInstanceOf(zstd.ZstdError);
    expect(e.code).toBe('seek_table_invalid');
    expect(caughtSync(() => zstd.SChunk.fromCframe(new Uint8Array(3))).code).toBe('seek_table_invalid');
    expect(caughtSync(() => zstd.SChunk.fromCframe(s.toCframe(), { copy: true, cpy: false }))).toBeInstanceOf(TypeError);
    s.free();
    expect(caughtSync(() => s.getSlice()).code).toBe('freed');
    expect(caughtSync(() => s.nchunks).code).toBe('freed');
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
  });

  test('no leak across many calls', () => {
    const s = new zstd.SChunk({ chunkSize: 4096, typesize: 4, data: textData(40000) });
    const cframe = s.toCframe();
    // Rewriting items with the bytes they hold keeps every chunk's compressed size.
    const round = (i) => {
      s.getSlice(i % 9000, (i % 9000) + 1500);
      s.setSlice(i % 9000, s.getSlice(i % 9000, (i % 9000) + 16));
      caughtSync(() => s.getSlice(0, 1, new Uint8Array(1)));
    };
    round(1); // the scratch space for partial chunks is made once
    const before = zstd.memory.totalAllocatedBytes();
    for (let i = 0; i < 2000; i++) round(i);
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
    for (let i = 0; i < 300; i++) zstd.SChunk.fromCframe(cframe, { copy: i % 2 === 0 }).free();
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
    s.free();
  });
});
