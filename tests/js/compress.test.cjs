// ZstdCompressor: every option, every input type, every error path.
const zstd = require('zstd-kit');
const { textData, randomData, expectSameBytes } = require('./helpers.cjs');

beforeAll(() => zstd.init());

const roundTrip = (frame) => new zstd.ZstdDecompressor().decompress(frame);

describe('levels', () => {
  const data = textData(300000);
  test.each([-131072, -50, -1, 0, 1, 3, 9, 19, 22])('level %i round-trips', (level) => {
    const c = new zstd.ZstdCompressor({ level });
    expect(c.level).toBe(level);
    expectSameBytes(roundTrip(c.compress(data)), data);
  });

  test('higher levels compress better, negative levels faster-and-worse', () => {
    const size = (level) => new zstd.ZstdCompressor({ level }).compress(data).length;
    expect(size(19)).toBeLessThan(size(1));
    expect(size(1)).toBeLessThan(size(-50));
  });

  test('default level is 3', () => {
    expectSameBytes(new zstd.ZstdCompressor().compress(data), new zstd.ZstdCompressor({ level: 3 }).compress(data));
  });

  test.each([23, -131073, 1.5, NaN, Infinity])('level %p is a RangeError', (level) => {
    expect(() => new zstd.ZstdCompressor({ level })).toThrow(RangeError);
  });

  test.each(['3', null, {}, 3n])('level %p is a TypeError', (level) => {
    expect(() => new zstd.ZstdCompressor({ level })).toThrow(TypeError);
  });
});

describe('frame options', () => {
  const data = textData(10000);

  test('writeContentSize (default true)', () => {
    expect(zstd.frameContentSize(new zstd.ZstdCompressor().compress(data))).toBe(10000);
    const frame = new zstd.ZstdCompressor({ writeContentSize: false }).compress(data);
    expect(zstd.frameContentSize(frame)).toBe(-1);
    expectSameBytes(roundTrip(frame), data);
    expectSameBytes(new zstd.ZstdDecompressor().decompress(frame, { maxOutputSize: 10000 }), data);
  });

  test('writeChecksum (default false)', () => {
    expect(zstd.getFrameParameters(new zstd.ZstdCompressor().compress(data)).hasChecksum).toBe(false);
    const frame = new zstd.ZstdCompressor({ writeChecksum: true }).compress(data);
    expect(zstd.getFrameParameters(frame).hasChecksum).toBe(true);
    expect(frame.length).toBe(new zstd.ZstdCompressor().compress(data).length + 4);
    expectSameBytes(roundTrip(frame), data);
  });

  test('writeDictId without a dictionary writes no id', () => {
    for (const writeDictId of [true, false]) {
      expect(zstd.getFrameParameters(new zstd.ZstdCompressor({ writeDictId }).compress(data)).dictId).toBe(0);
    }
  });

  test('options must be an object', () => {
    expect(() => new zstd.ZstdCompressor(3)).toThrow(TypeError);
    expect(() => new zstd.ZstdCompressor(null).compress('x')).not.toThrow();
  });
});

describe('threads', () => {
  // zstd only starts workers for inputs of several MiB: test threading with large inputs.
  const big = textData(12 << 20, 7);

  test.each([0, 1, 2, -1, 64])('threads %i gives a frame that decodes to the input', (threads) => {
    const c = new zstd.ZstdCompressor({ threads });
    expect(c.threads).toBeLessThanOrEqual(zstd.features.maxThreads);
    expectSameBytes(roundTrip(c.compress(big)), big);
  });

  test('threads -1 uses every thread the build allows', () => {
    expect(new zstd.ZstdCompressor({ threads: -1 }).threads).toBe(zstd.features.maxThreads);
  });

  test('many threaded compressors at once do not exhaust the thread pool', () => {
    const compressors = Array.from({ length: 6 }, () => new zstd.ZstdCompressor({ threads: -1 }));
    for (const c of compressors) expectSameBytes(roundTrip(c.compress(big)), big);
    for (const c of compressors) c.free();
  });

  test.each([-2, 1.5, 65, 100000])('threads %p is a RangeError (zstd allows -1..64 in wasm32)', (threads) => {
    expect(() => new zstd.ZstdCompressor({ threads })).toThrow(RangeError);
  });

  test('threads above features.maxThreads (up to 64) are clamped to it', () => {
    for (const threads of [zstd.features.maxThreads + 1, 64]) {
      const c = new zstd.ZstdCompressor({ threads });
      expect(c.threads).toBe(zstd.features.maxThreads);
      c.free();
    }
  });
});

describe('input types', () => {
  const c = new (class {
    get it() {
      return (this._c ??= new zstd.ZstdCompressor());
    }
  })();
  const text = 'héllo wörld — zstd ✓ '.repeat(100);
  const bytes = new TextEncoder().encode(text);

  test.each([
    ['Uint8Array', () => bytes],
    ['Buffer', () => Buffer.from(bytes)],
    ['ArrayBuffer', () => bytes.slice().buffer],
    [
      'SharedArrayBuffer',
      () => {
        const sab = new SharedArrayBuffer(bytes.length);
        new Uint8Array(sab).set(bytes);
        return sab;
      },
    ],
    ['DataView', () => new DataView(bytes.slice().buffer)],
    [
      'Uint8Array subarray',
      () => {
        const padded = new Uint8Array(bytes.length + 20);
        padded.set(bytes, 7);
        return padded.subarray(7, 7 + bytes.length);
      },
    ],
    ['string (UTF-8)', () => text],
  ])('%s', (_, make) => {
    expectSameBytes(roundTrip(c.it.compress(make())), bytes);
  });

  test('other typed arrays compress their bytes', () => {
    const words = new Uint16Array([1, 2, 3, 65535, 4]);
    expectSameBytes(roundTrip(c.it.compress(words)), new Uint8Array(words.buffer));
    const floats = new Float64Array([Math.PI, -0, Infinity]);
    expectSameBytes(roundTrip(c.it.compress(floats)), new Uint8Array(floats.buffer));
  });

  test('WasmBuffer input', () => {
    const b = zstd.allocBuffer(bytes.length);
    b.view().set(bytes);
    expectSameBytes(roundTrip(c.it.compress(b)), bytes);
    b.free();
  });

  test('empty input makes a valid empty frame', () => {
    const frame = c.it.compress(new Uint8Array(0));
    expect(zstd.frameContentSize(frame)).toBe(0);
    expect(roundTrip(frame).length).toBe(0);
    expect(roundTrip(c.it.compress('')).length).toBe(0);
  });

  test.each([
    ['number', 42],
    ['null', null],
    ['undefined', undefined],
    ['plain object', { length: 3 }],
    ['array', [1, 2, 3]],
    ['boolean', true],
    ['Symbol', Symbol('x')],
    ['Blob', new Blob(['x'])],
  ])('%s is a TypeError', (_, value) => {
    expect(() => c.it.compress(value)).toThrow(TypeError);
  });

  test('incompressible data round-trips', () => {
    const data = randomData(1 << 20);
    const frame = c.it.compress(data);
    expect(frame.length).toBeGreaterThan(data.length);
    expectSameBytes(roundTrip(frame), data);
  });
});

describe('results', () => {
  test('compress() returns a JS-owned Uint8Array, not a view of wasm memory', () => {
    const c = new zstd.ZstdCompressor();
    const frame = c.compress(randomData(100000));
    expect(frame).toBeInstanceOf(Uint8Array);
    expect(frame.byteOffset).toBe(0);
    expect(frame.buffer.byteLength).toBe(frame.length);
    expect(Object.prototype.toString.call(frame.buffer)).toBe('[object ArrayBuffer]');
    // Results up to 4 KiB share pooled ArrayBuffers (as Node's Buffer.allocUnsafe does), never wasm memory.
    const small = [c.compress('first'), c.compress('second')];
    for (const f of small) {
      expect(Object.prototype.toString.call(f.buffer)).toBe('[object ArrayBuffer]');
      expect(f.buffer.byteLength).toBeLessThanOrEqual(32768);
    }
    const copy = Uint8Array.from(small[0]);
    zstd.allocBuffer(64 << 20).free(); // grows wasm memory
    expectSameBytes(small[0], copy);
    expectSameBytes(new zstd.ZstdDecompressor().decompress(small[1]), Buffer.from('second'));
    c.free();
  });

  test('the same input gives the same frame every time', () => {
    const c = new zstd.ZstdCompressor({ level: 5 });
    const data = textData(200000, 3);
    expectSameBytes(c.compress(data), c.compress(data));
  });

  test('compressToBuffer() gives the same frame in wasm memory', () => {
    const c = new zstd.ZstdCompressor();
    const data = textData(100000);
    const b = c.compressToBuffer(data);
    expect(b).toBeInstanceOf(zstd.WasmBuffer);
    expectSameBytes(b.toBytes(), c.compress(data));
    expectSameBytes(new zstd.ZstdDecompressor().decompress(b), data);
    b.free();
  });

  test('memorySize() reports the context size', () => {
    const c = new zstd.ZstdCompressor({ level: 19 });
    c.compress(textData(1 << 20));
    expect(c.memorySize()).toBeGreaterThan(1 << 20);
  });
});
