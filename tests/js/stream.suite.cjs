// The streaming APIs (compressobj, decompressobj, chunker, readToIter, streamWriter, copyStream,
// frameProgression, ZstdCompressionStream / ZstdDecompressionStream, createZstdCompress /
// createZstdDecompress), run against one build: stream.test.cjs (threaded) and stream-st.test.cjs
// (single-threaded) call this with their init() options.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Readable, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const zstd = require('zstd-kit');
const zstdNode = require('zstd-kit/node');
const { textData, randomData, tmpDir, zstdCli, expectSameBytes, concat, collect, caught, caughtSync } = require('./helpers.cjs');

// Jest 29's node environment copies Node's globals (ReadableStream, WritableStream,
// TransformStream, Blob, Response) into the sandbox, so the library (which captures
// globalThis.TransformStream when it is imported) and these tests share one set of classes.
// Should a runner lack them, they come from the Node modules where they live.
const web = require('node:stream/web');
const ReadableStream = globalThis.ReadableStream ?? web.ReadableStream;
const WritableStream = globalThis.WritableStream ?? web.WritableStream;
const TransformStream = globalThis.TransformStream ?? web.TransformStream;
const Blob = globalThis.Blob ?? require('node:buffer').Blob;

const isZstdError = (code) => expect.objectContaining({ name: 'ZstdError', code });
const mem = () => zstd.memory.totalAllocatedBytes();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `bytes` cut into pieces whose sizes cycle through `sizes` (zero-length pieces included). */
function split(bytes, sizes) {
  const pieces = [];
  for (let at = 0, i = 0; at < bytes.length || (i === 0 && bytes.length === 0); i++) {
    const n = sizes[i % sizes.length];
    pieces.push(bytes.subarray(at, at + n));
    at += n;
    if (bytes.length === 0) break;
  }
  return pieces;
}

/** A frame from a compressor of its own, freed at once (the test's compressor stays as it was). */
function frameOf(data, options = {}) {
  const cc = new zstd.ZstdCompressor(options);
  try {
    return cc.compress(data);
  } finally {
    cc.free();
  }
}

/** Decodes every frame of `bytes` one-shot, with a decompressor of its own (freed at once). */
function expectDecodes(bytes, expected) {
  const dd = new zstd.ZstdDecompressor();
  try {
    expectSameBytes(dd.decompress(bytes, { readAcrossFrames: true, maxOutputSize: Math.max(1, expected.length) }), expected);
  } finally {
    dd.free();
  }
}

/** Every frame of `bytes`, decoded one-shot by a decompressor of its own. */
function decodeAll(bytes, maxOutputSize = 1 << 16) {
  const dd = new zstd.ZstdDecompressor();
  try {
    return dd.decompress(bytes, { readAcrossFrames: true, maxOutputSize });
  } finally {
    dd.free();
  }
}
const decodeText = (bytes) => Buffer.from(decodeAll(bytes)).toString();

/** A skippable frame (magic 0x184D2A5x) holding `n` bytes. */
function skippable(n, nibble = 0) {
  const out = new Uint8Array(8 + n).fill(0xab);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x184d2a50 + nibble, true);
  view.setUint32(4, n, true);
  return out;
}

// Sinks that record what they are given and how.
function syncSink() {
  const s = { chunks: [], closed: 0, write: (u) => void s.chunks.push(u), close: () => void s.closed++ };
  return s;
}

/** An async object sink with uneven delays: records concurrency and order. */
function slowSink({ delays = [2, 0, 5, 1, 3], failAt = -1 } = {}) {
  const s = {
    chunks: [], started: 0, settled: 0, inFlight: 0, maxInFlight: 0, closed: 0, closedWhileBusy: false,
    async write(u) {
      const i = s.started++;
      s.inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
      await sleep(delays[i % delays.length]);
      s.inFlight--;
      if (i === failAt) throw new Error('the sink failed');
      s.chunks.push(u);
      s.settled++;
    },
    async close() {
      if (s.inFlight > 0) s.closedWhileBusy = true;
      await sleep(1);
      s.closed++;
    },
  };
  return s;
}

function webSink({ delay = 0 } = {}) {
  const s = { chunks: [], closed: false, aborted: null };
  s.stream = new WritableStream({
    async write(chunk) {
      if (delay) await sleep(delay);
      s.chunks.push(chunk);
    },
    close() {
      s.closed = true;
    },
    abort(reason) {
      s.aborted = reason;
    },
  });
  return s;
}

/** A Node Writable whose write() calls are watched: none may come while it asks for 'drain'. */
function nodeSink({ highWaterMark = 16384, delay = 0 } = {}) {
  const s = { chunks: [], violations: 0, maxBuffered: 0, error: null, finished: false };
  s.stream = new Writable({
    highWaterMark,
    write(chunk, _encoding, callback) {
      s.chunks.push(chunk);
      if (delay) setTimeout(callback, delay);
      else callback();
    },
  });
  const write = s.stream.write.bind(s.stream);
  s.stream.write = (chunk, ...rest) => {
    if (s.stream.writableNeedDrain) s.violations++;
    s.maxBuffered = Math.max(s.maxBuffered, s.stream.writableLength);
    return write(chunk, ...rest);
  };
  s.stream.on('error', (e) => (s.error = e));
  s.stream.on('finish', () => (s.finished = true));
  return s;
}

module.exports = function streamSuite(initOptions) {
  const threaded = initOptions.threads !== false;
  let c, d, baseline;
  const text = textData(3 << 20, 21);
  const rnd = randomData(1 << 20, 22);
  const mixed = concat([textData(600000, 23), randomData(300000, 24), textData(400000, 25), randomData(50000, 26)]);
  let mixedFrame, textFrame;

  // Every kind of source over the same bytes; make() returns { source, release() }.
  const sourceKinds = [
    ['Uint8Array', (x) => x],
    ['Buffer', (x) => Buffer.from(x)],
    ['ArrayBuffer', (x) => x.slice().buffer],
    ['SharedArrayBuffer', (x) => {
      const sab = new SharedArrayBuffer(x.length);
      new Uint8Array(sab).set(x);
      return sab;
    }],
    ['DataView', (x) => new DataView(x.slice().buffer)],
    ['WasmBuffer', (x) => {
      const b = zstd.allocBuffer(x.length);
      b.view().set(x);
      return b;
    }],
    ['ReadableStream', (x) => new ReadableStream({
      start(controller) {
        for (const piece of split(x, [100000, 1, 65536, 3])) controller.enqueue(piece);
        controller.close();
      },
    })],
    ['Blob.stream()', (x) => new Blob([x]).stream()],
    ['Node Readable (Readable.from)', (x) => Readable.from(split(x, [70000, 5]))],
    ['Node Readable (byte mode)', (x) => {
      const r = new Readable({ read() {} });
      for (const piece of split(x, [50000, 20000])) r.push(piece);
      r.push(null);
      return r;
    }],
    ['sync iterable (array of mixed chunk types)', (x) => split(x, [4096, 30000, 2, 200000]).map((p, i) => {
      const own = p.slice();
      return [own, Buffer.from(own), own.buffer, new DataView(own.buffer), own.length % 2 ? own : new Uint16Array(own.buffer)][i % 5];
    })],
    ['sync generator', (x) => (function* () {
      yield* split(x, [12345, 54321]);
    })()],
    ['async generator', (x) => (async function* () {
      for (const piece of split(x, [131072, 7, 99999])) {
        await sleep(0);
        yield piece;
      }
    })()],
  ];
  const release = (source) => {
    if (typeof source?.free === 'function') source.free();
  };

  // Objects a failing test could not free: kept reachable, so that the garbage collector does
  // not free them during a later test and skew that test's memory accounting.
  const keepAlive = [];

  beforeAll(async () => {
    await zstd.init(initOptions);
    expect(zstd.features.threads).toBe(threaded);
    c = new zstd.ZstdCompressor({ level: 3 });
    d = new zstd.ZstdDecompressor();
    mixedFrame = frameOf(mixed);
    textFrame = frameOf(text, { writeChecksum: true });
    // Small-input scratches of c and d, made on first use, are part of the baseline.
    d.decompress(c.compress('warm up'));
  });

  // Each test must leave wasm memory as it found it (one test's leak fails that test only).
  beforeEach(() => {
    baseline = mem();
  });

  afterAll(() => {
    c.free();
    d.free();
  });

  describe('compressobj', () => {
    test('compress() pieces plus flush() make one frame that decodes (one-shot, decompressobj and the CLI)', () => {
      for (const sizes of [[1 << 20], [1, 1000, 65536, 0, 300001], [131072], [7]]) {
        const input = sizes[0] === 7 ? mixed.subarray(0, 5000) : mixed;
        const o = c.compressobj();
        const parts = split(input, sizes).map((p) => o.compress(p));
        for (const p of parts) expect(p).toBeInstanceOf(Uint8Array);
        parts.push(o.flush());
        const frame = concat(parts);
        expect(zstd.getFrameParameters(frame).contentSize).toBe(-1);
        expectDecodes(frame, input);
        const back = d.decompressobj();
        expectSameBytes(back.decompress(frame), input);
        expect(back.eof).toBe(true);
        expectSameBytes(zstdCli(['-d', '-c'], frame), input);
      }
      expect(mem()).toBe(baseline);
    });

    test('size: the content size is written in the frame header; an empty input gives a valid frame', () => {
      const o = c.compressobj({ size: mixed.length });
      const frame = concat([...split(mixed, [400000]).map((p) => o.compress(p)), o.flush()]);
      expect(zstd.getFrameParameters(frame).contentSize).toBe(mixed.length);
      expectDecodes(frame, mixed);
      for (const options of [undefined, { size: 0 }]) {
        const e = c.compressobj(options);
        const empty = e.flush();
        // Without size, zstd may still write 0: the frame ended before any input came.
        expect(options ? [0] : [0, -1]).toContain(zstd.getFrameParameters(empty).contentSize);
        expect(d.decompressobj().decompress(empty).length).toBe(0);
        expect(zstdCli(['-d', '-c'], empty).length).toBe(0);
      }
      expect(mem()).toBe(baseline);
    });

    test('compressor options apply (level, checksum, no content size, threads)', () => {
      const fast = new zstd.ZstdCompressor({ level: 1, writeChecksum: true, writeContentSize: false, threads: 2 });
      const best = new zstd.ZstdCompressor({ level: 19 });
      const o1 = fast.compressobj({ size: text.length });
      const f1 = concat([o1.compress(text), o1.flush()]);
      const o2 = best.compressobj();
      const f2 = concat([o2.compress(text.subarray(0, 1 << 20)), o2.flush()]);
      const p1 = zstd.getFrameParameters(f1);
      expect(p1.hasChecksum).toBe(true);
      expect(p1.contentSize).toBe(-1);
      expectDecodes(f1, text);
      expectDecodes(f2, text.subarray(0, 1 << 20));
      expect(f2.length).toBeLessThan(frameOf(text.subarray(0, 1 << 20), { level: 1 }).length);
      fast.free();
      best.free();
    });

    test('flush(FLUSH_BLOCK) makes everything so far decodable, and may be repeated', () => {
      const o = c.compressobj();
      const reader = d.decompressobj();
      let fed = 0;
      for (const piece of split(mixed, [1, 100000, 0, 250000, 3333])) {
        if (fed >= 700000) break;
        const out = concat([o.compress(piece), o.flush(zstd.FLUSH_BLOCK)]);
        fed += piece.length;
        expectSameBytes(concat([reader.decompress(out)]), piece);
        expect(reader.eof).toBe(false);
        // Nothing new: a second block flush has nothing to say, or at most an empty block.
        expect(o.flush(zstd.FLUSH_BLOCK).length).toBeLessThanOrEqual(3);
      }
      const end = o.flush(zstd.FLUSH_FRAME);
      expect(reader.decompress(end).length).toBe(0);
      expect(reader.eof).toBe(true);
      expect(mem()).toBe(baseline);
    });

    test('flush(FLUSH_FRAME) (the default) finishes: memory released, further use is invalid_state', () => {
      const o = c.compressobj();
      o.compress(text.subarray(0, 200000));
      expect(mem()).toBeGreaterThan(baseline);
      o.flush();
      expect(mem()).toBe(baseline);
      expect(() => o.compress('more')).toThrow(isZstdError('invalid_state'));
      expect(() => o.flush()).toThrow(isZstdError('invalid_state'));
      expect(() => o.flush(zstd.FLUSH_BLOCK)).toThrow(isZstdError('invalid_state'));
      const o2 = c.compressobj();
      o2.flush(zstd.FLUSH_FRAME);
      expect(() => o2.compress('x')).toThrow(isZstdError('invalid_state'));
    });

    test('free(): memory released, twice harmless, later use is freed; Symbol.dispose frees', () => {
      const o = c.compressobj();
      o.compress(text.subarray(0, 100000));
      o.free();
      o.free();
      expect(mem()).toBe(baseline);
      expect(() => o.compress('x')).toThrow(isZstdError('freed'));
      expect(() => o.flush()).toThrow(isZstdError('freed'));
      const o2 = c.compressobj();
      o2[Symbol.dispose ?? Symbol.for('Symbol.dispose')]();
      expect(() => o2.compress('x')).toThrow(isZstdError('freed'));
      expect(mem()).toBe(baseline);
    });

    test('a size that does not match the data: src_size_wrong at flush; free() then releases everything', () => {
      const short = c.compressobj({ size: 1000 });
      short.compress(text.subarray(0, 999));
      expect(() => short.flush()).toThrow(isZstdError('src_size_wrong'));
      short.free();
      const long = c.compressobj({ size: 1000 });
      const e = caughtSync(() => {
        long.compress(text.subarray(0, 1001));
        long.flush();
      });
      expect(e).toEqual(isZstdError('src_size_wrong'));
      long.free();
      expect(mem()).toBe(baseline);
      // The compressor keeps working.
      const ok = c.compressobj({ size: 3 });
      expect(decodeText(concat([ok.compress('abc'), ok.flush()]))).toBe('abc');
    });

    test('bad arguments: TypeError / RangeError, nothing leaks', () => {
      const o = c.compressobj();
      for (const mode of [0, 3, -1, 'block', '1', null, 1.5]) expect(() => o.flush(mode)).toThrow(RangeError);
      for (const bad of [42, null, undefined, {}, [1, 2], true]) expect(() => o.compress(bad)).toThrow(TypeError);
      // The object is still usable after argument errors.
      expect(decodeText(concat([o.compress('still fine'), o.flush()]))).toBe('still fine');
      expect(() => c.compressobj({ size: -1 })).toThrow(RangeError);
      expect(() => c.compressobj({ size: 1.5 })).toThrow(RangeError);
      expect(() => c.compressobj({ size: '10' })).toThrow(TypeError);
      expect(() => c.compressobj(5)).toThrow(TypeError);
      expect(mem()).toBe(baseline);
    });

    test('every data input kind, strings as UTF-8', () => {
      const o = c.compressobj();
      const wb = zstd.allocBuffer(6);
      wb.view().set(Buffer.from('wasm:)'));
      const bytes = (str) => Uint8Array.from(Buffer.from(str));  // a buffer of its own (small Buffers share a pool)
      const inputs = ['héllo ✓ ', Buffer.from('buffer '), new Uint16Array([0x6968, 0x2021]), new DataView(bytes('dv ').buffer),
        bytes('ab ').buffer, new SharedArrayBuffer(2), wb, wb.view()];
      const out = concat([...inputs.map((x) => o.compress(x)), o.flush()]);
      const expected = concat([Buffer.from('héllo ✓ '), Buffer.from('buffer '), Buffer.from([0x68, 0x69, 0x21, 0x20]),
        Buffer.from('dv '), Buffer.from('ab '), new Uint8Array(2), Buffer.from('wasm:)'), Buffer.from('wasm:)')]);
      expectDecodes(out, expected);
      wb.free();
      expect(mem()).toBe(baseline);
    });
  });

  describe('decompressobj', () => {
    test('any split of a frame decodes to the input; flush() is empty; eof after the frame', () => {
      for (const sizes of [[1], [2, 3, 5, 7], [65536], [1 << 20, 1], [mixedFrame.length]]) {
        const frame = sizes[0] === 1 ? frameOf(mixed.subarray(0, 3000)) : mixedFrame;
        const expected = sizes[0] === 1 ? mixed.subarray(0, 3000) : mixed;
        const o = d.decompressobj();
        const out = [];
        for (const piece of split(frame, sizes)) {
          expect(o.eof).toBe(false);
          out.push(o.decompress(piece));
        }
        expect(o.eof).toBe(true);
        expect(o.unusedData.length).toBe(0);
        const f = o.flush();
        expect(f).toBeInstanceOf(Uint8Array);
        expect(f.length).toBe(0);
        expectSameBytes(concat(out), expected);
      }
      expect(mem()).toBe(baseline);
    });

    test('frames without content size, with checksum, from the CLI, with the magicless format', () => {
      const noSize = frameOf(text, { writeContentSize: false, writeChecksum: true, level: 5 });
      const n = d.decompressobj();
      expectSameBytes(concat(split(noSize, [100000]).map((p) => n.decompress(p))), text);
      expect(n.eof).toBe(true);
      const cli = zstdCli(['-c', '-q', '-'], Buffer.from(mixed));
      const o = d.decompressobj();
      expectSameBytes(concat(split(cli, [33333]).map((p) => o.decompress(p))), mixed);
      expect(o.eof).toBe(true);
      const magicless = new zstd.ZstdDecompressor({ format: 'magicless' });
      const m = magicless.decompressobj();
      expectSameBytes(m.decompress(mixedFrame.subarray(4)), mixed);
      expect(m.eof).toBe(true);
      magicless.free();
      expect(mem()).toBe(baseline);
    });

    test('stops at the end of the first frame: eof, unusedData, and invalid_state afterwards; memory released at eof', () => {
      const a = frameOf('first frame');
      const b = frameOf('second frame');
      const trailing = concat([b, Buffer.from('trailing')]);
      // The frame ends in the middle of the last call: the rest of that call is unusedData.
      const o = d.decompressobj();
      expect(Buffer.from(o.decompress(a.subarray(0, 5))).toString()).toBe('');
      expect(mem()).toBeGreaterThan(baseline);
      expect(Buffer.from(o.decompress(concat([a.subarray(5), trailing]))).toString()).toBe('first frame');
      expect(o.eof).toBe(true);
      expectSameBytes(o.unusedData, trailing);
      expect(mem()).toBe(baseline);
      expect(() => o.decompress(b)).toThrow(isZstdError('invalid_state'));
      expect(o.flush().length).toBe(0);
      // The frame ends exactly with a call: no unused data.
      const exact = d.decompressobj();
      exact.decompress(a);
      expect(exact.eof).toBe(true);
      expect(exact.unusedData.length).toBe(0);
      // A large frame followed by bytes in the same call.
      const big = d.decompressobj();
      expectSameBytes(big.decompress(concat([mixedFrame, b])), mixed);
      expect(big.eof).toBe(true);
      expectSameBytes(big.unusedData, b);
      expect(mem()).toBe(baseline);
    });

    test('readAcrossFrames: concatenated frames, skippable frames skipped, eof never true', () => {
      const frames = [frameOf('one '), skippable(10), frameOf(text.subarray(0, 300000), { writeContentSize: false }), skippable(0, 15), frameOf('three')];
      const all = concat(frames);
      const expected = concat([Buffer.from('one '), text.subarray(0, 300000), Buffer.from('three')]);
      for (const sizes of [[all.length], [1, 2, 3], [4096], [9, 100000]]) {
        const o = d.decompressobj({ readAcrossFrames: true });
        const out = concat(split(all, sizes).map((p) => o.decompress(p)));
        expect(o.eof).toBe(false);
        expect(o.unusedData.length).toBe(0);
        expectSameBytes(out, expected);
        o.free();
      }
      expect(mem()).toBe(baseline);
    });

    test('corrupt input: ZstdError, memory released by free(), the decompressor keeps working', () => {
      const bad = [
        ['not zstd', Buffer.from('definitely not a zstd frame')],
        ['bad block', (() => {
          const f = textFrame.slice();
          for (let i = 2000; i < 2100; i++) f[i] ^= 0x5a;
          return f;
        })()],
        ['bad checksum', (() => {
          const f = textFrame.slice();
          f[f.length - 1] ^= 0xff;
          return f;
        })()],
        ['reserved block type', Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58, 0x07, 0x00, 0x00)],
      ];
      for (const [name, frame] of bad) {
        const o = d.decompressobj();
        const e = caughtSync(() => {
          for (const p of split(frame, [65536])) o.decompress(p);
        });
        expect([name, e]).toEqual([name, expect.any(zstd.ZstdError)]);
        if (name === 'bad checksum') expect(e.code).toBe('checksum_wrong');
        if (name === 'not zstd') expect(e.code).toBe('prefix_unknown');
        o.free();
        expect(mem()).toBe(baseline);
      }
      const o = d.decompressobj();
      expectSameBytes(o.decompress(textFrame), text);
    });

    test('a truncated frame: no error and no eof (more may come)', () => {
      const o = d.decompressobj();
      const out = o.decompress(mixedFrame.subarray(0, mixedFrame.length - 10));
      expect(o.eof).toBe(false);
      expect(out.length).toBeLessThan(mixed.length);
      expectSameBytes(out, mixed.subarray(0, out.length));
      o.free();
      expect(mem()).toBe(baseline);
    });

    test('maxWindowSize: a larger window is frame_parameter_window_too_large', () => {
      const wide = zstdCli(['-c', '-q', '--long=23', '-'], Buffer.from(mixed));  // stdin: window stays 8 MiB
      expect(zstd.getFrameParameters(wide).windowSize).toBe(1 << 23);
      const strict = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 22 });
      const o = strict.decompressobj();
      expect(() => o.decompress(wide)).toThrow(isZstdError('frame_parameter_window_too_large'));
      o.free();
      const roomy = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 23 });
      expectSameBytes(roomy.decompressobj().decompress(wide), mixed);
      strict.free();
      roomy.free();
      expect(mem()).toBe(baseline);
    });

    test('free(), Symbol.dispose and bad arguments', () => {
      const o = d.decompressobj();
      o.decompress(mixedFrame.subarray(0, 1000));
      o.free();
      o.free();
      expect(mem()).toBe(baseline);
      expect(() => o.decompress(mixedFrame)).toThrow(isZstdError('freed'));
      const o2 = d.decompressobj();
      o2[Symbol.dispose ?? Symbol.for('Symbol.dispose')]();
      expect(() => o2.decompress('x')).toThrow(isZstdError('freed'));
      const o3 = d.decompressobj();
      for (const bad of [42, null, undefined, {}, [1]]) expect(() => o3.decompress(bad)).toThrow(TypeError);
      expectSameBytes(o3.decompress(mixedFrame), mixed);
      expect(() => d.decompressobj(7)).toThrow(TypeError);
      expect(mem()).toBe(baseline);
    });

    test('every data input kind, including a WasmBuffer and its view', () => {
      const frame = frameOf(mixed.subarray(0, 500000), { writeContentSize: false });
      const wb = zstd.allocBuffer(frame.length);
      wb.view().set(frame);
      for (const input of [Buffer.from(frame), frame.slice().buffer, new DataView(frame.slice().buffer), wb, wb.view()]) {
        const o = d.decompressobj();
        expectSameBytes(o.decompress(input), mixed.subarray(0, 500000));
        expect(o.eof).toBe(true);
      }
      // unusedData after a frame passed as a WasmBuffer is a JS-owned copy.
      const tail = zstd.allocBuffer(frame.length + 4);
      tail.view().set(frame);
      tail.view().set([1, 2, 3, 4], frame.length);
      const o = d.decompressobj();
      o.decompress(tail);
      expect(Array.from(o.unusedData)).toEqual([1, 2, 3, 4]);
      tail.free();
      wb.free();
      expect(Array.from(o.unusedData)).toEqual([1, 2, 3, 4]);
      expect(mem()).toBe(baseline);
    });
  });

  describe('chunker', () => {
    test('compress() gives chunks of exactly chunkSize; flush() full chunks then the rest; finish() the end', () => {
      const k = c.chunker({ chunkSize: 10000 });
      const all = [];
      const reader = d.decompressobj();
      let fed = 0;
      for (const piece of split(mixed, [300000, 1, 50000])) {
        const chunks = k.compress(piece);
        fed += piece.length;
        expect(Array.isArray(chunks)).toBe(true);
        for (const ch of chunks) expect(ch.length).toBe(10000);
        all.push(...chunks);
        if (fed > 400000 && fed < 500000) {
          // flush(): everything so far is decodable.
          const flushed = k.flush();
          expect(flushed.length).toBeGreaterThanOrEqual(1);
          flushed.slice(0, -1).forEach((ch) => expect(ch.length).toBe(10000));
          expect(flushed.at(-1).length).toBeGreaterThan(0);
          expect(flushed.at(-1).length).toBeLessThanOrEqual(10000);
          all.push(...flushed);
          expectSameBytes(reader.decompress(concat(all)), mixed.subarray(0, fed));
          all.length = 0;
        }
      }
      const last = k.finish();
      last.slice(0, -1).forEach((ch) => expect(ch.length).toBe(10000));
      expect(last.at(-1).length).toBeLessThanOrEqual(10000);
      all.push(...last);
      reader.decompress(concat(all));
      expect(reader.eof).toBe(true);
      expect(mem()).toBe(baseline);
      expect(() => k.compress('x')).toThrow(isZstdError('invalid_state'));
      expect(() => k.flush()).toThrow(isZstdError('invalid_state'));
      expect(() => k.finish()).toThrow(isZstdError('invalid_state'));
    });

    test('the default chunkSize is 131072; size writes the content size; the CLI decodes', () => {
      const k = c.chunker({ size: rnd.length });
      const chunks = [...k.compress(rnd), ...k.finish()];
      chunks.slice(0, -1).forEach((ch) => expect(ch.length).toBe(131072));
      const frame = concat(chunks);
      expect(chunks.length).toBe(Math.ceil(frame.length / 131072));
      expect(zstd.getFrameParameters(frame).contentSize).toBe(rnd.length);
      expectSameBytes(zstdCli(['-d', '-c'], frame), rnd);
      // An empty frame is one short chunk.
      const e = c.chunker({ chunkSize: 1 << 20 });
      expect(e.compress(new Uint8Array(0))).toEqual([]);
      const end = e.finish();
      expect(end.length).toBe(1);
      expect(d.decompressobj().decompress(end[0]).length).toBe(0);
      // A wrong size shows at finish().
      const wrong = c.chunker({ size: 10 });
      wrong.compress('12345');
      expect(() => wrong.finish()).toThrow(isZstdError('src_size_wrong'));
      wrong.free();
      expect(mem()).toBe(baseline);
    });

    test('tiny chunks: chunkSize 1', () => {
      const k = c.chunker({ chunkSize: 1 });
      const chunks = [...k.compress(text.subarray(0, 5000)), ...k.flush(), ...k.compress('tail'), ...k.finish()];
      chunks.forEach((ch) => expect(ch.length).toBe(1));
      expectDecodes(concat(chunks), concat([text.subarray(0, 5000), Buffer.from('tail')]));
    });

    test('free(), bad arguments', () => {
      const k = c.chunker();
      k.compress(text.subarray(0, 100000));
      k.free();
      expect(mem()).toBe(baseline);
      expect(() => k.compress('x')).toThrow(isZstdError('freed'));
      expect(() => k.finish()).toThrow(isZstdError('freed'));
      expect(() => c.chunker({ chunkSize: 0 })).toThrow(RangeError);
      expect(() => c.chunker({ chunkSize: 2.5 })).toThrow(RangeError);
      expect(() => c.chunker({ chunkSize: '64' })).toThrow(TypeError);
      expect(() => c.chunker({ size: -2 })).toThrow(RangeError);
      const k2 = c.chunker();
      expect(() => k2.compress(Symbol('x'))).toThrow(TypeError);
      k2.free();
      expect(mem()).toBe(baseline);
    });
  });

  describe('readToIter', () => {
    test.each(sourceKinds)('compressor, source %s: one frame that decodes to the input', async (_, make) => {
      const source = make(mixed);
      const chunks = await collect(c.readToIter(source));
      release(source);
      chunks.forEach((ch) => expect(ch).toBeInstanceOf(Uint8Array));
      const frame = concat(chunks);
      expectDecodes(frame, mixed);
      expect(mem()).toBe(baseline);
    });

    test.each(sourceKinds)('decompressor, source %s: decodes', async (_, make) => {
      const source = make(mixedFrame);
      const chunks = await collect(d.readToIter(source));
      release(source);
      expectSameBytes(concat(chunks), mixed);
      expect(mem()).toBe(baseline);
    });

    test('Node file streams both ways; a string source is UTF-8', async () => {
      const dir = tmpDir();
      const file = path.join(dir, 'in.bin');
      fs.writeFileSync(file, mixed);
      const frame = concat(await collect(c.readToIter(fs.createReadStream(file, { highWaterMark: 40000 }))));
      expectDecodes(frame, mixed);
      fs.writeFileSync(file + '.zst', frame);
      expectSameBytes(concat(await collect(d.readToIter(fs.createReadStream(file + '.zst')))), mixed);
      const str = 'streaming ✓ ünïcode — '.repeat(1000);
      expectSameBytes(concat(await collect(d.readToIter(concat(await collect(c.readToIter(str)))))), Buffer.from(str));
      fs.rmSync(dir, { recursive: true });
      expect(mem()).toBe(baseline);
    });

    test('readSize and writeSize: every output chunk is at most writeSize bytes', async () => {
      for (const [readSize, writeSize] of [[1, 7], [1000, 100], [1 << 20, 1 << 20], [100000, 1]]) {
        const input = writeSize === 1 || readSize === 1 ? mixed.subarray(0, 20000) : mixed;
        const chunks = await collect(c.readToIter(input, { readSize, writeSize }));
        for (const ch of chunks) {
          expect(ch.length).toBeGreaterThan(0);
          expect(ch.length).toBeLessThanOrEqual(writeSize);
        }
        const frame = concat(chunks);
        expectDecodes(frame, input);
        const out = await collect(d.readToIter(frame, { readSize, writeSize }));
        for (const ch of out) expect(ch.length).toBeLessThanOrEqual(writeSize);
        expectSameBytes(concat(out), input);
      }
      expect(mem()).toBe(baseline);
    });

    test('compressor: size gives the content size; a wrong size is src_size_wrong; empty source', async () => {
      const frame = concat(await collect(c.readToIter(Readable.from([rnd]), { size: rnd.length })));
      expect(zstd.getFrameParameters(frame).contentSize).toBe(rnd.length);
      const e = await caught(() => collect(c.readToIter(rnd, { size: rnd.length + 1 })));
      expect(e).toEqual(isZstdError('src_size_wrong'));
      const empty = concat(await collect(c.readToIter([])));
      expect([0, -1]).toContain(zstd.getFrameParameters(empty).contentSize);
      expect(concat(await collect(d.readToIter(empty))).length).toBe(0);
      expect(await collect(d.readToIter(new Uint8Array(0)))).toEqual([]);
      expect(mem()).toBe(baseline);
    });

    test('decompressor: concatenated and skippable frames (readAcrossFrames default true), or the first frame only', async () => {
      const parts = [skippable(100), frameOf('alpha '), frameOf(text.subarray(0, 500000), { writeContentSize: false }), skippable(3, 7), frameOf('omega')];
      const all = concat(parts);
      const expected = concat([Buffer.from('alpha '), text.subarray(0, 500000), Buffer.from('omega')]);
      for (const readSize of [1, 13, 8192, 1 << 20]) {
        const source = readSize === 1 ? concat([skippable(1), frameOf('x'), skippable(2), frameOf('yz')]) : all;
        const want = readSize === 1 ? Buffer.from('xyz') : expected;
        expectSameBytes(concat(await collect(d.readToIter(source, { readSize }))), want);
      }
      const first = await collect(d.readToIter(all.subarray(skippable(100).length), { readAcrossFrames: false }));
      expect(Buffer.from(concat(first)).toString()).toBe('alpha ');
      // readAcrossFrames false: bytes after the first frame are not read at all, even garbage.
      const firstOnly = await collect(d.readToIter(concat([frameOf('only'), Buffer.from('garbage!')]), { readAcrossFrames: false, readSize: 3 }));
      expect(Buffer.from(concat(firstOnly)).toString()).toBe('only');
      expect(mem()).toBe(baseline);
    });

    test('decompressor: skipBytes skips a prefix, across source chunks', async () => {
      const prefix = Buffer.from('HEADER-0123456789');
      const source = concat([prefix, mixedFrame]);
      for (const readSize of [1, 5, 1 << 16]) {
        expectSameBytes(concat(await collect(d.readToIter(source, { skipBytes: prefix.length, readSize }))), mixed);
      }
      expectSameBytes(concat(await collect(d.readToIter(Readable.from(split(source, [3, 4, 100000])), { skipBytes: prefix.length }))), mixed);
      expect(await caught(() => collect(d.readToIter(source, { skipBytes: 3 })))).toEqual(expect.any(zstd.ZstdError));
      expect(mem()).toBe(baseline);
    });

    test('decompressor: truncated source is a ZstdError at the end, after the data that decoded', async () => {
      for (const cut of [1, 10, mixedFrame.length >> 1, mixedFrame.length - 1]) {
        const got = [];
        const e = await caught(async () => {
          for await (const ch of d.readToIter(mixedFrame.subarray(0, cut), { writeSize: 65536 })) got.push(ch);
        });
        expect(e).toEqual(expect.any(zstd.ZstdError));
        expect(['src_size_wrong', 'corruption_detected']).toContain(e.code);
        const out = concat(got);
        expectSameBytes(out, mixed.subarray(0, out.length));
        expect(mem()).toBe(baseline);
      }
      // Truncated in the second frame, too.
      const e = await caught(() => collect(d.readToIter(concat([frameOf('one'), frameOf('two').subarray(0, 8)]))));
      expect(['src_size_wrong', 'corruption_detected']).toContain(e?.code);
    });

    test('decompressor: corrupt input and window too large are ZstdErrors; memory released', async () => {
      const bad = textFrame.slice();
      bad[bad.length - 2] ^= 0x40;
      expect(await caught(() => collect(d.readToIter(bad)))).toEqual(isZstdError('checksum_wrong'));
      expect(await caught(() => collect(d.readToIter(Readable.from([Buffer.from('garbage garbage')]))))).toEqual(isZstdError('prefix_unknown'));
      const wide = zstdCli(['-c', '-q', '--long=23', '-'], Buffer.from(mixed.subarray(0, 100000)));
      const strict = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 20 });
      expect(await caught(() => collect(strict.readToIter(wide)))).toEqual(isZstdError('frame_parameter_window_too_large'));
      strict.free();
      expect(mem()).toBe(baseline);
    });

    test('bad sources and chunks: TypeError when iterated; bad options: TypeError/RangeError at the call', async () => {
      for (const bad of [42, null, undefined, {}, true, () => 'x', Symbol.iterator]) {
        expect(await caught(() => collect(c.readToIter(bad)))).toEqual(expect.any(TypeError));
        expect(await caught(() => collect(d.readToIter(bad)))).toEqual(expect.any(TypeError));
      }
      expect(await caught(() => collect(c.readToIter([Buffer.from('ok'), 7])))).toEqual(expect.any(TypeError));
      expect(await caught(() => collect(c.readToIter(Readable.from([{ not: 'bytes' }]))))).toEqual(expect.any(TypeError));
      expect(await caught(() => collect(d.readToIter(new ReadableStream({ start: (ctl) => ctl.enqueue(42) })))))
        .toEqual(expect.any(TypeError));
      expect(() => c.readToIter('x', { readSize: 0 })).toThrow(RangeError);
      expect(() => c.readToIter('x', { writeSize: -1 })).toThrow(RangeError);
      expect(() => c.readToIter('x', { readSize: '1' })).toThrow(TypeError);
      expect(() => c.readToIter('x', { size: -1 })).toThrow(RangeError);
      expect(() => c.readToIter('x', 3)).toThrow(TypeError);
      expect(() => d.readToIter('x', { skipBytes: -1 })).toThrow(RangeError);
      expect(() => d.readToIter('x', { skipBytes: 1.5 })).toThrow(RangeError);
      expect(() => d.readToIter('x', { writeSize: 0 })).toThrow(RangeError);
      expect(mem()).toBe(baseline);
    });

    test('a source that errors mid-stream rejects the iteration with its error; memory released', async () => {
      const failing = (async function* () {
        yield mixed.subarray(0, 300000);
        throw new Error('source broke');
      })();
      expect((await caught(() => collect(c.readToIter(failing))))?.message).toBe('source broke');
      let n = 0;
      const stream = new ReadableStream({
        pull(controller) {
          if (n++ < 2) controller.enqueue(mixedFrame.subarray((n - 1) * 1000, n * 1000));
          else controller.error(new Error('stream broke'));
        },
      });
      expect((await caught(() => collect(d.readToIter(stream))))?.message).toBe('stream broke');
      expect(mem()).toBe(baseline);
    });

    test('leaving the loop early releases the memory', async () => {
      for await (const ch of c.readToIter(text, { writeSize: 1000 })) {
        expect(ch.length).toBeLessThanOrEqual(1000);
        break;
      }
      for await (const ch of d.readToIter(textFrame, { writeSize: 1000 })) {
        expect(ch.length).toBe(1000);
        break;
      }
      const it = c.readToIter(Readable.from([text]))[Symbol.asyncIterator]();
      await it.next();
      await it.return();
      expect(mem()).toBe(baseline);
    });

    test('output chunks are independent copies: keeping them all, unchanged, gives the frame', async () => {
      const chunks = await collect(c.readToIter(mixed, { writeSize: 4096 }));
      const copies = chunks.map((ch) => ch.slice());
      const more = await collect(c.readToIter(rnd, { writeSize: 4096 }));  // reuse of memory would show here
      expect(more.length).toBeGreaterThan(0);
      chunks.forEach((ch, i) => expectSameBytes(ch, copies[i]));
      expectDecodes(concat(chunks), mixed);
    });
  });

  describe('streamWriter', () => {
    test('compressor, sync object sink: write/flush return the bytes handed over; close() ends the frame and closes the sink', async () => {
      const sink = syncSink();
      const w = c.streamWriter(sink, { writeSize: 8192 });
      let handed = 0;
      for (const piece of split(mixed, [100000, 1, 250000])) {
        const n = w.write(piece);
        expect(typeof n).toBe('number');
        handed += n;
        expect(w.bytesWritten).toBe(handed);
      }
      const f = w.flush();
      expect(typeof f).toBe('number');
      handed += f;
      // The default flush is FLUSH_BLOCK: everything so far decodes, the frame is not over.
      const reader = d.decompressobj();
      expectSameBytes(reader.decompress(concat(sink.chunks)), mixed);
      expect(reader.eof).toBe(false);
      sink.chunks.forEach((ch) => expect(ch.length).toBeLessThanOrEqual(8192));
      expect(concat(sink.chunks).length).toBe(handed);
      const before = sink.chunks.length;
      const closing = w.close();
      expect(closing).toBeInstanceOf(Promise);
      await closing;
      expect(sink.closed).toBe(1);
      reader.decompress(concat(sink.chunks.slice(before)));
      expect(reader.eof).toBe(true);
      expect(w.bytesWritten).toBe(concat(sink.chunks).length);
      expect(() => w.write('more')).toThrow(isZstdError('invalid_state'));
      expect(() => w.flush()).toThrow(isZstdError('invalid_state'));
      await w.close();  // twice: harmless
      expect(sink.closed).toBe(1);
      expect(mem()).toBe(baseline);
    });

    test('compressor: flush(FLUSH_FRAME) ends a frame, later writes start a new one', async () => {
      const sink = syncSink();
      const w = c.streamWriter(sink, { size: undefined });
      w.write('first ');
      w.flush(zstd.FLUSH_FRAME);
      const firstFrame = concat(sink.chunks);
      expect(decodeText(firstFrame)).toBe('first ');
      w.write(text.subarray(0, 100000));
      w.flush(zstd.FLUSH_BLOCK);
      w.write('last');
      await w.close();
      const all = concat(sink.chunks);
      expectDecodes(all, concat([Buffer.from('first '), text.subarray(0, 100000), Buffer.from('last')]));
      const o = d.decompressobj();
      o.decompress(all);
      expect(o.eof).toBe(true);
      expect(o.unusedData.length).toBe(all.length - firstFrame.length);
      const w2 = c.streamWriter(syncSink());
      expect(() => w2.flush(3)).toThrow(RangeError);
      expect(() => w2.flush('frame')).toThrow(RangeError);
      w2.free();
      expect(mem()).toBe(baseline);
    });

    test('compressor: size writes the content size; a wrong size rejects close() with src_size_wrong', async () => {
      const sink = syncSink();
      const w = c.streamWriter(sink, { size: rnd.length });
      w.write(rnd);
      await w.close();
      expect(zstd.getFrameParameters(concat(sink.chunks)).contentSize).toBe(rnd.length);
      const bad = syncSink();
      const w2 = c.streamWriter(bad, { size: 10 });
      w2.write('only five');
      expect(await caught(() => w2.close())).toEqual(isZstdError('src_size_wrong'));
      expect(mem()).toBe(baseline);
    });

    test('compressor: closeSink false leaves an object sink open; end() is used when there is no close()', async () => {
      const open = syncSink();
      const w = c.streamWriter(open, { closeSink: false });
      w.write('x');
      await w.close();
      expect(open.closed).toBe(0);
      let ended = 0;
      const chunks = [];
      const w2 = c.streamWriter({ write: (u) => void chunks.push(u), end: () => void ended++ });
      w2.write('ended');
      await w2.close();
      expect(ended).toBe(1);
      expect(decodeText(concat(chunks))).toBe('ended');
      // A sink with write() only.
      const bare = [];
      const w3 = c.streamWriter({ write: (u) => void bare.push(u) });
      w3.write('bare');
      await w3.close();
      expect(decodeText(concat(bare))).toBe('bare');
    });

    test('compressor, slow async sink: one sink write at a time, order kept, Promise<number> settled after the sink', async () => {
      const sink = slowSink();
      const w = c.streamWriter(sink, { writeSize: 16384 });
      const results = [];
      let handed = 0;
      for (const piece of split(mixed, [200000, 50000])) {
        const r = w.write(piece);
        results.push(r);
        const n = await r;
        expect(typeof n).toBe('number');
        handed += n;
        // Settled after the sink's promise: every sink write started so far has finished.
        expect(sink.inFlight).toBe(0);
        expect(sink.settled).toBe(sink.started);
      }
      // Once the sink has answered with a promise, write() returns one.
      expect(results.some((r) => r instanceof Promise)).toBe(true);
      const f = w.flush();
      expect(f).toBeInstanceOf(Promise);
      handed += await f;
      expect(sink.inFlight).toBe(0);
      // Writes not awaited: they queue behind each other, never overlapping.
      const unawaited = [w.write(rnd.subarray(0, 300000)), w.flush(), w.write(rnd.subarray(300000, 600000))];
      await w.close();
      for (const r of unawaited) handed += await r;
      expect(sink.maxInFlight).toBe(1);
      expect(sink.closed).toBe(1);
      expect(sink.closedWhileBusy).toBe(false);
      expect(sink.settled).toBe(sink.started);
      expect(handed).toBeLessThanOrEqual(w.bytesWritten);
      expect(w.bytesWritten).toBe(concat(sink.chunks).length);
      expectDecodes(concat(sink.chunks), concat([mixed, rnd.subarray(0, 600000)]));
      expect(mem()).toBe(baseline);
    });

    test('compressor, async sink that fails: the write promise and close() reject with its error', async () => {
      const sink = slowSink({ failAt: 2 });
      const w = c.streamWriter(sink, { writeSize: 1000 });
      const e = await caught(() => w.write(rnd.subarray(0, 200000)));
      expect(e?.message).toBe('the sink failed');
      expect(sink.maxInFlight).toBe(1);
      expect(sink.started).toBe(3);  // nothing more was handed after the failure
      expect((await caught(() => w.close()))?.message).toBe('the sink failed');
      expect(mem()).toBe(baseline);
    });

    test('compressor, WritableStream sink (slow): all bytes, in order, closed at close()', async () => {
      const sink = webSink({ delay: 1 });
      const w = c.streamWriter(sink.stream, { writeSize: 32768 });
      for (const piece of split(mixed, [400000])) await w.write(piece);
      await w.flush(zstd.FLUSH_FRAME);
      await w.write('second frame');
      await w.close();
      expect(sink.closed).toBe(true);
      expectDecodes(concat(sink.chunks), concat([mixed, Buffer.from('second frame')]));
      expect(mem()).toBe(baseline);
    });

    test('compressor, WritableStream sink with closeSink false: left open and usable', async () => {
      const sink = webSink();
      const w = c.streamWriter(sink.stream, { closeSink: false });
      await w.write('hello');
      await w.close();
      expect(sink.closed).toBe(false);
      // The caller keeps the stream: it can still write to it and close it.
      expect(sink.stream.locked).toBe(false);
      const writer = sink.stream.getWriter();
      await writer.write(frameOf(' world'));
      await writer.close();
      expect(sink.closed).toBe(true);
      expect(decodeText(concat(sink.chunks))).toBe('hello world');
    });

    test('compressor, Node Writable with a small highWaterMark: no write while it waits for drain', async () => {
      const sink = nodeSink({ highWaterMark: 1024, delay: 1 });
      const w = c.streamWriter(sink.stream, { writeSize: 4096 });
      let sawPromise = false;
      for (const piece of split(rnd.subarray(0, 600000), [100000])) {
        const r = w.write(piece);
        if (r instanceof Promise) sawPromise = true;
        await r;
      }
      await w.close();
      expect(sawPromise).toBe(true);
      expect(sink.violations).toBe(0);
      expect(sink.maxBuffered).toBeLessThanOrEqual(1024);
      expect(sink.finished).toBe(true);
      expect(sink.stream.writableEnded).toBe(true);
      expectDecodes(concat(sink.chunks), rnd.subarray(0, 600000));
      // closeSink false: not ended.
      const open = nodeSink();
      const w2 = c.streamWriter(open.stream, { closeSink: false });
      w2.write('x');
      await w2.close();
      expect(open.stream.writableEnded).toBe(false);
      open.stream.end();
      expect(mem()).toBe(baseline);
    });

    test('decompressor: any split decodes into the sink, concatenated and skippable frames; flush() hands nothing', async () => {
      const all = concat([frameOf('head '), skippable(5), mixedFrame, frameOf(' tail', { writeContentSize: false })]);
      const expected = concat([Buffer.from('head '), mixed, Buffer.from(' tail')]);
      for (const sizes of [[1, 2, 3, 1000], [65536], [all.length]]) {
        const sink = syncSink();
        const w = d.streamWriter(sink, { writeSize: 50000 });
        let handed = 0;
        for (const piece of split(all, sizes)) handed += w.write(piece);
        expect(w.flush()).toBe(0);
        await w.close();
        expect(sink.closed).toBe(1);
        sink.chunks.forEach((ch) => expect(ch.length).toBeLessThanOrEqual(50000));
        const out = concat(sink.chunks);
        expect(out.length).toBe(handed);
        expectSameBytes(out, expected);
      }
      expect(mem()).toBe(baseline);
    });

    test('decompressor: a truncated stream rejects close() with ZstdError and aborts the sink', async () => {
      const web = webSink();
      const w = d.streamWriter(web.stream);
      await w.write(mixedFrame.subarray(0, mixedFrame.length - 5));
      const e = await caught(() => w.close());
      expect(e).toEqual(expect.any(zstd.ZstdError));
      expect(['src_size_wrong', 'corruption_detected']).toContain(e.code);
      expect(web.closed).toBe(false);
      expect(web.aborted).toBe(e);
      const node = nodeSink();
      const w2 = d.streamWriter(node.stream);
      w2.write(mixedFrame.subarray(0, 100));
      expect(await caught(() => w2.close())).toEqual(expect.any(zstd.ZstdError));
      await sleep(5);
      expect(node.stream.destroyed).toBe(true);
      expect(node.error).toEqual(expect.any(zstd.ZstdError));
      expect(node.finished).toBe(false);
      const obj = syncSink();
      const w3 = d.streamWriter(obj);
      w3.write(frameOf('abc').subarray(0, 6));
      expect(await caught(() => w3.close())).toEqual(expect.any(zstd.ZstdError));
      expect(obj.closed).toBe(0);
      expect(mem()).toBe(baseline);
    });

    test('decompressor: corrupt data and window too large are ZstdErrors from write()', async () => {
      const w = d.streamWriter(syncSink());
      expect(await caught(() => w.write('this is not zstd data'))).toEqual(isZstdError('prefix_unknown'));
      w.free();
      const bad = textFrame.slice();
      bad[bad.length - 1] ^= 1;
      const w2 = d.streamWriter(syncSink());
      expect(await caught(() => w2.write(bad))).toEqual(isZstdError('checksum_wrong'));
      w2.free();
      const strict = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 20 });
      const w3 = strict.streamWriter(syncSink());
      const wide = zstdCli(['-c', '-q', '--long=22', '-'], Buffer.from(mixed.subarray(0, 10000)));
      expect(await caught(() => w3.write(wide))).toEqual(isZstdError('frame_parameter_window_too_large'));
      w3.free();
      strict.free();
      expect(mem()).toBe(baseline);
    });

    test('decompressor, slow async sink and Node Writable: back-pressure and order', async () => {
      const sink = slowSink();
      const w = d.streamWriter(sink, { writeSize: 65536 });
      const pending = split(textFrame, [50000]).map((p) => w.write(p));
      await w.close();
      for (const p of pending) await p;
      expect(sink.maxInFlight).toBe(1);
      expectSameBytes(concat(sink.chunks), text);
      const node = nodeSink({ highWaterMark: 2048, delay: 1 });
      const w2 = d.streamWriter(node.stream, { writeSize: 8192 });
      for (const p of split(mixedFrame.subarray(0, 120000), [60000])) await w2.write(p);
      await w2.close().catch(() => {});  // a partial frame: only the order and back-pressure matter here
      expect(node.violations).toBe(0);
      const got = concat(node.chunks);
      expect(got.length).toBeGreaterThan(100000);
      expectSameBytes(got, mixed.subarray(0, got.length));
      expect(mem()).toBe(baseline);
    });

    test('free(): memory released; later use is ZstdError freed (compressor and decompressor writers)', async () => {
      for (const [make, data] of [[() => c.streamWriter(syncSink()), text.subarray(0, 100000)], [() => d.streamWriter(syncSink()), mixedFrame.subarray(0, 1000)]]) {
        const w = make();
        w.write(data);
        expect(mem()).toBeGreaterThan(baseline);
        w.free();
        w.free();
        expect(mem()).toBe(baseline);
        expect(caughtSync(() => w.write('x'))).toEqual(isZstdError('freed'));
        expect(caughtSync(() => w.flush())).toEqual(isZstdError('freed'));
        expect(await caught(() => w.close())).toEqual(isZstdError('freed'));
      }
      const w = c.streamWriter(syncSink());
      w[Symbol.dispose ?? Symbol.for('Symbol.dispose')]();
      expect(mem()).toBe(baseline);
    });

    test('bad sinks and options: TypeError / RangeError, nothing leaks', () => {
      for (const bad of [null, undefined, 42, 'sink', {}, { write: 'no' }, [1, 2]]) {
        expect(() => c.streamWriter(bad)).toThrow(TypeError);
        expect(() => d.streamWriter(bad)).toThrow(TypeError);
      }
      expect(() => c.streamWriter(syncSink(), { writeSize: 0 })).toThrow(RangeError);
      expect(() => c.streamWriter(syncSink(), { size: -1 })).toThrow(RangeError);
      expect(() => c.streamWriter(syncSink(), { size: 'big' })).toThrow(TypeError);
      expect(() => c.streamWriter(syncSink(), 1)).toThrow(TypeError);
      expect(() => d.streamWriter(syncSink(), { writeSize: 1.5 })).toThrow(RangeError);
      const w = c.streamWriter(syncSink());
      for (const bad of [1, null, {}, undefined]) expect(() => w.write(bad)).toThrow(TypeError);
      w.free();
      expect(mem()).toBe(baseline);
    });
  });

  describe('copyStream', () => {
    test('every source kind to every sink kind, both ways, with byte counts', async () => {
      const sinks = [
        ['object sink', () => syncSink(), (s) => s.closed === 1],
        ['async object sink', () => slowSink({ delays: [0, 1] }), (s) => s.closed === 1 && s.maxInFlight === 1],
        ['WritableStream', () => webSink(), (s) => s.closed],
        ['Node Writable', () => nodeSink({ highWaterMark: 4096 }), (s) => s.finished && s.violations === 0],
      ];
      const input = mixed.subarray(0, 400000);
      for (const [i, [, make]] of sourceKinds.entries()) {
        const [sinkName, makeSink, closed] = sinks[i % sinks.length];
        const source = make(input);
        const sink = makeSink();
        const r = await c.copyStream(source, sink.stream ?? sink, { writeSize: 10000 });
        release(source);
        expect({ sinkName, ended: closed(sink) }).toEqual({ sinkName, ended: true });
        expect(r.bytesRead).toBe(input.length);
        const frame = concat(sink.chunks);
        expect(r.bytesWritten).toBe(frame.length);
        expectDecodes(frame, input);

        const [sinkName2, makeSink2, closed2] = sinks[(i + 1) % sinks.length];
        const source2 = make(frame);
        const sink2 = makeSink2();
        const r2 = await d.copyStream(source2, sink2.stream ?? sink2, { readSize: 5000, writeSize: 65536 });
        release(source2);
        expect({ sinkName2, ended: closed2(sink2) }).toEqual({ sinkName2, ended: true });
        expect(r2).toEqual({ bytesRead: frame.length, bytesWritten: input.length });
        expectSameBytes(concat(sink2.chunks), input);
      }
      expect(mem()).toBe(baseline);
    });

    test('file to file with Node fs streams; the CLI checks the result', async () => {
      const dir = tmpDir();
      const src = path.join(dir, 'data.bin');
      fs.writeFileSync(src, text);
      const r = await c.copyStream(fs.createReadStream(src), fs.createWriteStream(src + '.zst'), { size: text.length });
      expect(r.bytesRead).toBe(text.length);
      expect(r.bytesWritten).toBe(fs.statSync(src + '.zst').size);
      expectSameBytes(zstdCli(['-d', '-c', src + '.zst']), text);
      const r2 = await d.copyStream(fs.createReadStream(src + '.zst'), fs.createWriteStream(src + '.out'));
      expect(r2).toEqual({ bytesRead: r.bytesWritten, bytesWritten: text.length });
      expectSameBytes(fs.readFileSync(src + '.out'), text);
      fs.rmSync(dir, { recursive: true });
      expect(mem()).toBe(baseline);
    });

    test('errors reject: truncated or corrupt input, bad source or sink, a failing source; memory released', async () => {
      const sink = webSink();
      const e = await caught(() => d.copyStream(mixedFrame.subarray(0, 50000), sink.stream));
      expect(['src_size_wrong', 'corruption_detected']).toContain(e?.code);
      expect(sink.closed).toBe(false);
      expect(await caught(() => d.copyStream('garbage!', syncSink()))).toEqual(isZstdError('prefix_unknown'));
      expect(await caught(() => c.copyStream(42, syncSink()))).toEqual(expect.any(TypeError));
      expect(await caught(() => c.copyStream('abc', 42))).toEqual(expect.any(TypeError));
      expect(await caught(() => c.copyStream('abc', syncSink(), { readSize: 0 }))).toEqual(expect.any(RangeError));
      const failing = (async function* () {
        yield 'some data';
        throw new Error('source broke');
      })();
      expect((await caught(() => c.copyStream(failing, syncSink())))?.message).toBe('source broke');
      expect(mem()).toBe(baseline);
    });

    test('copyStream / streamWriter failing into a Node Writable that has no error listener: the promise rejects, nothing is thrown uncaught', () => {
      // In a child process: an 'error' event nobody listens to is an uncaught exception, which
      // would end the process (or, here, fail whichever test runs next).
      const script = `
        const zstd = require('zstd-kit');
        const { Writable } = require('node:stream');
        zstd.init({ threads: ${threaded} }).then(async () => {
          const c = new zstd.ZstdCompressor();
          const d = new zstd.ZstdDecompressor();
          const frame = c.compress(Buffer.alloc(100000, 'abc'));
          const sink = () => new Writable({ write: (chunk, _e, cb) => cb() });
          try {
            await d.copyStream(frame.subarray(0, frame.length - 5), sink());
          } catch (e) {
            console.log('copyStream rejected: ' + e.code);
          }
          const w = d.streamWriter(sink());
          w.write(frame.subarray(0, frame.length - 5));  // the frame is tiny: cut its end
          await w.close().catch((e) => console.log('close rejected: ' + e.code));
          await new Promise((resolve) => setTimeout(resolve, 100));
          console.log('still running');
        });
      `;
      const r = spawnSync(process.execPath, ['-'], { cwd: path.join(__dirname, '..', '..'), input: script, encoding: 'utf8' });
      // stderr would hold the whole emscripten glue: only its first line is shown.
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr.split('\n')[0].slice(0, 200) })
        .toEqual({ status: 0, stdout: 'copyStream rejected: src_size_wrong\nclose rejected: src_size_wrong\nstill running\n', stderr: '' });
    });
  });

  describe('frameProgression', () => {
    test('counts of the current or last frame, for every streaming API', async () => {
      const cc = new zstd.ZstdCompressor({ level: 3 });
      expect(cc.frameProgression()).toEqual({ ingested: 0, consumed: 0, produced: 0 });
      const o = cc.compressobj();
      let produced = o.compress(mixed.subarray(0, 300000)).length;
      const mid = cc.frameProgression();
      expect(mid.ingested).toBe(300000);
      expect(mid.consumed).toBeLessThanOrEqual(mid.ingested);
      produced += o.compress(mixed.subarray(300000)).length;
      produced += o.flush().length;
      const end = cc.frameProgression();
      expect(end.ingested).toBe(mixed.length);
      expect(end.consumed).toBe(mixed.length);
      expect(end.produced).toBeGreaterThan(0);
      expect(end.produced).toBeLessThanOrEqual(produced);
      expect(end.produced).toBeGreaterThanOrEqual(produced - 16);  // frame header / epilogue at most

      // streamWriter: after FLUSH_FRAME, the next frame counts from zero.
      const w = cc.streamWriter(syncSink());
      w.write(text.subarray(0, 123456));
      w.flush(zstd.FLUSH_FRAME);
      expect(cc.frameProgression()).toMatchObject({ ingested: 123456, consumed: 123456 });
      w.write('x'.repeat(1000));
      await w.close();
      expect(cc.frameProgression()).toMatchObject({ ingested: 1000, consumed: 1000 });

      const frame = concat(await collect(cc.readToIter(rnd)));
      const p = cc.frameProgression();
      expect(p).toMatchObject({ ingested: rnd.length, consumed: rnd.length });
      expect(p.produced).toBeLessThanOrEqual(frame.length);
      expect(p.produced).toBeGreaterThan(rnd.length - 1000);
      cc.free();

      // With worker threads (one thread in the single-threaded build): the counts at the end.
      const mt = new zstd.ZstdCompressor({ level: 3, threads: 2 });
      const o2 = mt.compressobj();
      const frame2 = concat([...split(text, [1 << 20]).map((piece) => o2.compress(piece)), o2.flush()]);
      const p2 = mt.frameProgression();
      expect(p2).toMatchObject({ ingested: text.length, consumed: text.length });
      expect(p2.produced).toBeGreaterThan(0);
      expect(p2.produced).toBeLessThanOrEqual(frame2.length);
      mt.free();
      expect(mem()).toBe(baseline);
    });
  });

  describe('Web streams', () => {
    test('ZstdCompressionStream / ZstdDecompressionStream are TransformStreams; Blob.stream() round trip', async () => {
      const cs = new zstd.ZstdCompressionStream();
      const ds = new zstd.ZstdDecompressionStream();
      expect(cs).toBeInstanceOf(TransformStream);
      expect(ds).toBeInstanceOf(TransformStream);
      expect(cs.readable).toBeInstanceOf(ReadableStream);
      expect(cs.writable).toBeInstanceOf(WritableStream);
      // Empty in, an empty frame through both, empty out.
      const nothing = await collect(new Blob([]).stream().pipeThrough(cs).pipeThrough(ds));
      expect(concat(nothing).length).toBe(0);
      expect(mem()).toBe(baseline);
      const compressed = new Uint8Array(await new Response(new Blob([mixed]).stream().pipeThrough(new zstd.ZstdCompressionStream({ level: 5 }))).arrayBuffer());
      expectSameBytes(zstdCli(['-d', '-c'], compressed), mixed);
      const back = new Uint8Array(await new Response(new Blob([compressed]).stream().pipeThrough(new zstd.ZstdDecompressionStream())).arrayBuffer());
      expectSameBytes(back, mixed);
      expect(mem()).toBe(baseline);
    });

    test('chunks of every BufferSource kind; options apply; output chunks are Uint8Arrays', async () => {
      const cs = new zstd.ZstdCompressionStream({ level: 19, writeChecksum: true });
      const writer = cs.writable.getWriter();
      const reading = collect(cs.readable);
      const pieces = split(text.subarray(0, 600000), [100000, 3, 50000, 7777]);
      for (const [i, p] of pieces.entries()) {
        const own = p.slice();
        await writer.write([own, own.buffer, new DataView(own.buffer), Buffer.from(own)][i % 4]);
      }
      await writer.close();
      const chunks = await reading;
      chunks.forEach((ch) => expect(ch).toBeInstanceOf(Uint8Array));
      const frame = concat(chunks);
      expect(zstd.getFrameParameters(frame).hasChecksum).toBe(true);
      expect(frame.length).toBeLessThan(frameOf(text.subarray(0, 600000), { level: 1 }).length);
      expectDecodes(frame, text.subarray(0, 600000));
      expect(mem()).toBe(baseline);
    });

    test('decompression stream: concatenated and skippable frames, split anywhere', async () => {
      const all = concat([skippable(4), frameOf('web '), mixedFrame, skippable(0), frameOf('end', { writeContentSize: false })]);
      const source = new ReadableStream({
        start(controller) {
          for (const p of split(all, [1, 2, 9, 40000, 3])) controller.enqueue(p);
          controller.close();
        },
      });
      const out = concat(await collect(source.pipeThrough(new zstd.ZstdDecompressionStream())));
      expectSameBytes(out, concat([Buffer.from('web '), mixed, Buffer.from('end')]));
      // The magicless format.
      const magicless = await collect(new Blob([mixedFrame.subarray(4)]).stream().pipeThrough(new zstd.ZstdDecompressionStream({ format: 'magicless' })));
      expectSameBytes(concat(magicless), mixed);
      expect(mem()).toBe(baseline);
    });

    test('errors: truncated, corrupt, window too large, bad chunk type; memory released', async () => {
      const run = (bytes, options, chunk) => caught(() => new Response(
        (chunk ? new ReadableStream({ start: (ctl) => { ctl.enqueue(chunk); ctl.close(); } }) : new Blob([bytes]).stream())
          .pipeThrough(new zstd.ZstdDecompressionStream(options))).arrayBuffer());
      const truncated = await run(mixedFrame.subarray(0, mixedFrame.length - 100));
      expect(truncated).toEqual(expect.any(zstd.ZstdError));
      expect(['src_size_wrong', 'corruption_detected']).toContain(truncated.code);
      const bad = textFrame.slice();
      bad[bad.length - 3] ^= 0x10;
      expect(await run(bad)).toEqual(isZstdError('checksum_wrong'));
      expect(await run(Buffer.from('not zstd at all'))).toEqual(isZstdError('prefix_unknown'));
      const wide = zstdCli(['-c', '-q', '--long=23', '-'], Buffer.from(mixed.subarray(0, 100000)));
      expect(await run(wide, { maxWindowSize: 1 << 20 })).toEqual(isZstdError('frame_parameter_window_too_large'));
      expect(await run(null, undefined, 42)).toEqual(expect.any(TypeError));
      expect(mem()).toBe(baseline);
    });

    test('bad options throw at construction', () => {
      expect(() => new zstd.ZstdCompressionStream({ level: 99 })).toThrow(RangeError);
      expect(() => new zstd.ZstdCompressionStream({ level: 'high' })).toThrow(TypeError);
      expect(() => new zstd.ZstdCompressionStream(5)).toThrow(TypeError);
      expect(() => new zstd.ZstdDecompressionStream({ maxWindowSize: 'big' })).toThrow(TypeError);
      expect(() => new zstd.ZstdDecompressionStream({ maxWindowSize: -1 })).toThrow(RangeError);
      expect(() => new zstd.ZstdDecompressionStream({ format: 'gzip' })).toThrow(RangeError);
      expect(mem()).toBe(baseline);
    });

    test('a source that errors mid-stream, or a cancelled reader, releases the memory', async () => {
      let n = 0;
      const failing = new ReadableStream({
        pull(controller) {
          if (n++ < 3) controller.enqueue(text.subarray(n * 100000, (n + 1) * 100000));
          else controller.error(new Error('source broke'));
        },
      });
      const cs = new zstd.ZstdCompressionStream();
      keepAlive.push(cs);
      const e = await caught(() => new Response(failing.pipeThrough(cs)).arrayBuffer());
      expect(e?.message).toBe('source broke');
      await sleep(20);
      const afterSourceError = mem();

      const ds = new zstd.ZstdDecompressionStream();
      keepAlive.push(ds);
      const writer = ds.writable.getWriter();
      writer.write(textFrame.subarray(0, 200000)).catch(() => {});
      const reader = ds.readable.getReader();
      await reader.read();
      await reader.cancel('not interested');
      await writer.abort('stop').catch(() => {});
      await sleep(20);
      // Bytes still held after each: none.
      expect({ sourceError: afterSourceError - baseline, cancel: mem() - afterSourceError }).toEqual({ sourceError: 0, cancel: 0 });
    });
  });

  describe('Node streams (zstd-kit/node)', () => {
    test('createZstdCompress / createZstdDecompress are stream.Transforms; pipeline round trip', async () => {
      const { Transform } = require('node:stream');
      expect(zstdNode.createZstdCompress).toBe(zstd.createZstdCompress);
      const comp = zstdNode.createZstdCompress({ level: 5, writeChecksum: true });
      expect(comp).toBeInstanceOf(Transform);
      const out = nodeSink();
      await pipeline(Readable.from(split(mixed, [65536, 1, 200000])), comp, out.stream);
      const frame = concat(out.chunks);
      expect(zstd.getFrameParameters(frame).hasChecksum).toBe(true);
      expectSameBytes(zstdCli(['-d', '-c'], frame), mixed);
      const back = nodeSink();
      const decomp = zstdNode.createZstdDecompress();
      expect(decomp).toBeInstanceOf(Transform);
      await pipeline(Readable.from(split(concat([frame, skippable(9), frameOf('!')]), [7, 50000])), decomp, back.stream);
      expectSameBytes(concat(back.chunks), concat([mixed, Buffer.from('!')]));
      expect(mem()).toBe(baseline);
    });

    test('fs streams, and back-pressure through a slow destination', async () => {
      const dir = tmpDir();
      const file = path.join(dir, 'in');
      fs.writeFileSync(file, text);
      await pipeline(fs.createReadStream(file), zstdNode.createZstdCompress(), fs.createWriteStream(file + '.zst'));
      expectSameBytes(zstdCli(['-d', '-c', file + '.zst']), text);
      const slow = nodeSink({ highWaterMark: 1024, delay: 1 });
      await pipeline(fs.createReadStream(file + '.zst'), zstdNode.createZstdDecompress(), slow.stream);
      expectSameBytes(concat(slow.chunks), text);
      fs.rmSync(dir, { recursive: true });
      expect(mem()).toBe(baseline);
    });

    test('errors surface as stream errors with a ZstdError: truncated, corrupt, window too large', async () => {
      const cases = [
        [mixedFrame.subarray(0, mixedFrame.length - 7), undefined, ['src_size_wrong', 'corruption_detected']],
        [Buffer.from('plainly not zstd'), undefined, ['prefix_unknown']],
        [(() => {
          const f = textFrame.slice();
          f[f.length - 1] ^= 0x80;
          return f;
        })(), undefined, ['checksum_wrong']],
        [zstdCli(['-c', '-q', '--long=23', '-'], Buffer.from(mixed.subarray(0, 100000))), { maxWindowSize: 1 << 20 }, ['frame_parameter_window_too_large']],
      ];
      for (const [bytes, options, codes] of cases) {
        const t = zstdNode.createZstdDecompress(options);
        let emitted = null;
        t.on('error', (e) => (emitted = e));
        const e = await caught(() => pipeline(Readable.from(split(bytes, [30000])), t, nodeSink().stream));
        expect(e).toEqual(expect.any(zstd.ZstdError));
        expect(codes).toContain(e.code);
        expect(emitted).toBe(e);
        expect(mem()).toBe(baseline);
      }
      // A destroyed transform releases its memory.
      const t = zstdNode.createZstdCompress();
      t.write(text.subarray(0, 100000));
      t.destroy();
      await sleep(5);
      expect(mem()).toBe(baseline);
      expect(() => zstdNode.createZstdCompress({ level: 1000 })).toThrow(RangeError);
      expect(() => zstdNode.createZstdDecompress({ maxWindowSize: 'x' })).toThrow(TypeError);
    });
  });

  test('stream objects are independent: interleaved on one compressor, and they outlive free() of their maker', async () => {
    for (const threads of [0, 2]) {
      const cc = new zstd.ZstdCompressor({ level: 5, threads });
      const dd = new zstd.ZstdDecompressor();
      const inputs = [mixed, text.subarray(0, 700000), rnd];
      // Three compressobjs fed in turns: three independent frames.
      const objs = inputs.map(() => cc.compressobj());
      const outs = inputs.map(() => []);
      for (let at = 0; at < mixed.length; at += 100000) inputs.forEach((x, i) => outs[i].push(objs[i].compress(x.subarray(at, at + 100000))));
      const iter = cc.readToIter(Readable.from([mixed]));
      const sink = syncSink();
      const writer = cc.streamWriter(sink);
      const chunker = cc.chunker({ chunkSize: 5000 });
      const dobj = dd.decompressobj();
      const diter = dd.readToIter(mixedFrame);
      cc.free();
      dd.free();
      expect(() => cc.compressobj()).toThrow(isZstdError('freed'));
      expect(() => cc.frameProgression()).toThrow(isZstdError('freed'));
      inputs.forEach((x, i) => expectDecodes(concat([...outs[i], objs[i].flush()]), x));
      expectDecodes(concat(await collect(iter)), mixed);
      writer.write(text.subarray(0, 300000));
      await writer.close();
      expectDecodes(concat(sink.chunks), text.subarray(0, 300000));
      expectDecodes(concat([...chunker.compress(rnd), ...chunker.finish()]), rnd);
      expectSameBytes(dobj.decompress(mixedFrame), mixed);
      expectSameBytes(concat(await collect(diter)), mixed);
    }
    expect(mem()).toBe(baseline);
  });

  test('many streams open at once, then all finished: memory back to where it was', async () => {
    const objs = Array.from({ length: 40 }, (_, i) => (i % 2 ? c.compressobj() : d.decompressobj()));
    const writers = Array.from({ length: 20 }, () => c.streamWriter(syncSink()));
    objs.forEach((o, i) => (i % 2 ? o.compress(text.subarray(0, 10000)) : o.decompress(mixedFrame.subarray(0, 5000))));
    writers.forEach((w) => w.write(rnd.subarray(0, 5000)));
    expect(mem()).toBeGreaterThan(baseline);
    objs.forEach((o, i) => (i % 2 ? o.flush() : o.free()));
    for (const w of writers) await w.close();
    expect(mem()).toBe(baseline);
  });

  // Zero-copy views (WasmBuffer.view()) and WasmBuffers are valid inputs when passed; wasm memory
  // growing while the call runs (the single-threaded build's growth detaches every old view) must
  // not break the call. Each API runs in a fresh process, whose small heap is sure to grow: a
  // level-19 context, or a frame with a 64 MiB window, needs more than it has.
  describe('views of wasm memory as input while wasm memory grows (a fresh process per API)', () => {
    const script = `
      const zstd = require('zstd-kit');
      const { execFileSync } = require('node:child_process');
      const [threads, api] = process.argv.slice(2);
      zstd.init({ threads: threads === 'true' }).then(async () => {
        const data = Buffer.concat([require('node:crypto').randomBytes(1 << 20), Buffer.alloc(2 << 20, 'streaming ')]);
        const collect = async (it) => { const p = []; for await (const x of it) p.push(x); return Buffer.concat(p); };
        const compressing = api.startsWith('c.');
        // The frame comes from the CLI, so that this process's heap is still small.
        const input = compressing ? data : execFileSync('zstd', ['-1', '--long=26', '-c', '-'], { input: data, maxBuffer: 1 << 30 });
        const wb = zstd.allocBuffer(input.length);
        wb.view().set(input);
        const c = new zstd.ZstdCompressor({ level: 19 });
        const d = new zstd.ZstdDecompressor();
        const sink = { parts: [], write(u) { this.parts.push(u); } };
        const run = {
          'c.compressobj': async () => { const o = c.compressobj(); return Buffer.concat([o.compress(wb.view()), o.flush()]); },
          'c.chunker': async () => { const k = c.chunker(); return Buffer.concat([...k.compress(wb.view()), ...k.finish()]); },
          'c.readToIter': () => collect(c.readToIter(wb, { readSize: input.length })),
          'c.streamWriter': async () => { const w = c.streamWriter(sink); w.write(wb.view()); await w.close(); return Buffer.concat(sink.parts); },
          'd.decompressobj': async () => Buffer.from(d.decompressobj().decompress(wb.view())),
          'd.readToIter': () => collect(d.readToIter(wb, { readSize: input.length })),
          'd.streamWriter': async () => { const w = d.streamWriter(sink); w.write(wb.view()); await w.close(); return Buffer.concat(sink.parts); },
        }[api];
        const heap = zstd.memory.heapSize();
        let out;
        try {
          out = await run();
        } catch (e) {
          console.log(JSON.stringify({ grew: zstd.memory.heapSize() > heap, error: e.name + ': ' + String(e.message).slice(0, 120) }));
          return;
        }
        const grew = zstd.memory.heapSize() > heap;
        const back = compressing ? Buffer.from(d.decompress(out, { maxOutputSize: data.length })) : out;
        console.log(JSON.stringify({ grew, same: back.equals(data) }));
      });
    `;
    const root = path.join(__dirname, '..', '..');

    test.each(['c.compressobj', 'c.chunker', 'c.readToIter', 'c.streamWriter', 'd.decompressobj', 'd.readToIter', 'd.streamWriter'])(
      '%s',
      (api) => {
        const out = execFileSync(process.execPath, ['-', String(threaded), api], { cwd: root, input: script, encoding: 'utf8' });
        expect(JSON.parse(out)).toEqual({ grew: true, same: true });
      },
    );
  });

  test('no leak over many streams of every kind', async () => {
    const small = mixed.subarray(0, 20000);
    const smallFrame = frameOf(small);
    const round = async () => {
      const o = c.compressobj();
      o.compress(small);
      o.flush();
      d.decompressobj().decompress(smallFrame);
      const k = c.chunker({ chunkSize: 1000 });
      k.compress(small);
      k.finish();
      await collect(c.readToIter(small));
      await collect(d.readToIter(smallFrame));
      const w = c.streamWriter(syncSink());
      w.write(small);
      await w.close();
      await d.copyStream(smallFrame, syncSink());
      await new Response(new Blob([small]).stream().pipeThrough(new zstd.ZstdCompressionStream())).arrayBuffer();
      await pipeline(Readable.from([smallFrame]), zstdNode.createZstdDecompress(), nodeSink().stream);
    };
    for (let i = 0; i < 5; i++) await round();
    const after = mem();
    for (let i = 0; i < 100; i++) await round();
    expect(mem()).toBe(after);
    expect(after).toBe(baseline);
  });
};
