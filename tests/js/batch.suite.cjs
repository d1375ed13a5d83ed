// The batch APIs (multiCompressToBuffer, multiDecompressToBuffer, their async variants and
// decompressContentDictChain), run against one build: batch.test.cjs (threaded) and
// batch-st.test.cjs (single-threaded) call this with their init() options.
const fs = require('node:fs');
const path = require('node:path');
const zstd = require('zstd-kit');
const { textData, randomData, tmpDir, zstdCli, expectSameBytes, whileTicking } = require('./helpers.cjs');

const concat = (parts) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.length)));
const isZstdError = (code) => expect.objectContaining({ name: 'ZstdError', code });

// Items of varied sizes: many small ones, a few large enough for every thread to get a range.
function makeItems() {
  const items = [];
  for (let i = 0; i < 300; i++) items.push(textData((i * 7919) % 5000, i));
  for (let i = 0; i < 12; i++) items.push(i % 3 === 0 ? randomData(300000, i) : textData(400000, 100 + i));
  items.push(new Uint8Array(0));
  return items;
}

function collectionBytes(collection) {
  return [...collection].map((s) => {
    const bytes = s.toBytes();
    s.free();
    return bytes;
  });
}

function sizesOf(items) {
  return BigUint64Array.from(items.map((x) => BigInt(x.length)));
}

module.exports = function batchSuite(initOptions) {
  const threaded = initOptions.threads !== false;
  let c, d, items, frames, baseline;

  beforeAll(async () => {
    await zstd.init(initOptions);
    expect(zstd.features.threads).toBe(threaded);
    c = new zstd.ZstdCompressor({ level: 3 });
    d = new zstd.ZstdDecompressor();
    items = makeItems();
    frames = items.map((x) => c.compress(x));
    d.decompress(frames[1]); // its small-input scratch, made on first use, is part of the baseline
    baseline = zstd.memory.totalAllocatedBytes();
  });

  afterAll(() => {
    c.free();
    d.free();
  });

  describe('multiCompressToBuffer', () => {
    test('one frame per item, in order, the same bytes as compress(), for threads 0, 1, 2, -1', () => {
      for (const threads of [0, 1, 2, -1]) {
        const out = c.multiCompressToBuffer(items, { threads });
        expect(out).toBeInstanceOf(zstd.BufferWithSegmentsCollection);
        expect(out.length).toBe(items.length);
        // One output buffer per range: one range for one thread, several per thread otherwise.
        if (!threaded || threads === 0 || threads === 1) expect(out.bufferCount).toBe(1);
        else expect(out.bufferCount).toBeGreaterThanOrEqual(2);
        const got = collectionBytes(out);
        got.forEach((frame, i) => expectSameBytes(frame, frames[i]));
        expect(out.size()).toBe(got.reduce((n, f) => n + f.length, 0));
        out.free();
      }
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });

    test('every output frame decodes with the zstd CLI', () => {
      const out = c.multiCompressToBuffer(items, { threads: 2 });
      // The CLI decodes concatenated frames, failing on any bad one.
      expectSameBytes(zstdCli(['-d', '-c'], concat(collectionBytes(out))), concat(items));
      for (const i of [0, 1, 150, 299, 300, 305, items.length - 1]) {
        const s = out.get(i);
        expectSameBytes(zstdCli(['-d', '-c'], s.toBytes()), items[i]);
        s.free();
      }
      out.free();
    });

    test('inputs: an array of any data type, a BufferWithSegments, a collection', () => {
      const wasmBuf = zstd.allocBuffer(5);
      wasmBuf.view().set(Buffer.from('wasm!'));
      const bws = new zstd.BufferWithSegments('one two three', BigUint64Array.of(0n, 3n, 4n, 3n, 8n, 5n));
      const segment = bws.get(2);
      const mixed = ['text', Buffer.from('node'), new Uint16Array([1, 2]), new ArrayBuffer(3), wasmBuf, segment, wasmBuf.view()];
      const expected = mixed.map((x) =>
        typeof x.toBytes === 'function' ? x.toBytes() : new Uint8Array(x.buffer ?? x, x.byteOffset ?? 0, x.byteLength ?? undefined),
      );
      expected[0] = Buffer.from('text');
      const compressed = c.multiCompressToBuffer(mixed);
      const out = d.multiDecompressToBuffer(compressed);
      collectionBytes(out).forEach((x, i) => expectSameBytes(x, expected[i]));
      out.free();
      compressed.free();

      const fromBws = c.multiCompressToBuffer(bws);
      const back = d.multiDecompressToBuffer(fromBws);
      expect(collectionBytes(back).map((x) => Buffer.from(x).toString())).toEqual(['one', 'two', 'three']);
      const coll = new zstd.BufferWithSegmentsCollection(bws, bws);
      const twice = c.multiCompressToBuffer(coll);
      expect(twice.length).toBe(6);
      const last = twice.get(5);
      expect(Buffer.from(d.decompress(last)).toString()).toBe('three');
      for (const x of [fromBws, back, coll, twice, bws, wasmBuf, segment, last]) x.free();
    });

    test('items cut from one buffer (copied as spans): adjacent, with gaps, repeated, out of order, mixed with wasm memory', () => {
      const big = textData(3 << 20, 9);
      const wasmBuf = zstd.allocBuffer(1000);
      wasmBuf.view().set(big.subarray(0, 1000));
      const cuts = [];
      for (let at = 0; at + 5000 < big.length; at += 4000) {
        cuts.push(big.subarray(at, at + 3000)); // adjacent to the next but one: 1000-byte gaps
        cuts.push(big.subarray(at + 3000, at + 3990)); // 10-byte gap to the next
      }
      // Made again for each call: growing memory detaches views of it in the single-threaded build.
      const makeSpans = () => [
        ...cuts.slice(0, 700), // runs longer than a fill step (256 KiB) get cut
        cuts[3], // the same view again: behind the run
        big.subarray(0, 0),
        wasmBuf.view(),
        cuts[2],
        wasmBuf,
        big.subarray(20, 40), // out of order
        big.subarray(10, 30), // overlapping the previous one
        big.subarray(30, 60),
        big.subarray(60, 60 + (2 << 20)), // one item larger than a fill step
        big.subarray(101, 333), // odd offsets and lengths: staged at other alignments
        wasmBuf.view().subarray(5, 77),
        big.subarray(7, 9),
        wasmBuf.view().subarray(3, 4),
        ...cuts.slice(700),
      ];
      const expected = makeSpans().map((x) => (x instanceof Uint8Array ? new Uint8Array(x) : x.toBytes()));
      for (const threads of [0, 2]) {
        const compressed = c.multiCompressToBuffer(makeSpans(), { threads });
        const frames = collectionBytes(compressed); // small results: side by side in shared slabs
        frames.forEach((f, i) => expectSameBytes(d.decompress(f), expected[i]));
        const back = d.multiDecompressToBuffer(frames, { threads });
        collectionBytes(back).forEach((x, i) => expectSameBytes(x, expected[i]));
        for (const x of [compressed, back]) x.free();
      }
      wasmBuf.free();
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });

    test('an empty array gives an empty collection', () => {
      const out = c.multiCompressToBuffer([]);
      expect(out.length).toBe(0);
      expect(out.size()).toBe(0);
      const back = d.multiDecompressToBuffer(out);
      expect(back.length).toBe(0);
      out.free();
      back.free();
    });

    test('compressor options apply to every frame', () => {
      const cc = new zstd.ZstdCompressor({ level: 19, writeChecksum: true, writeContentSize: false });
      const out = cc.multiCompressToBuffer(items.slice(0, 20), { threads: 2 });
      const s = out.get(7);
      const params = zstd.getFrameParameters(s.view());
      expect(params.hasChecksum).toBe(true);
      expect(params.contentSize).toBe(-1);
      expectSameBytes(zstdCli(['-d', '-c'], s.toBytes()), items[7]);
      s.free();
      out.free();
      cc.free();
    });

    test('bad arguments: TypeError or RangeError, nothing leaks', () => {
      expect(() => c.multiCompressToBuffer('abc')).toThrow(TypeError);
      expect(() => c.multiCompressToBuffer(new Uint8Array(3))).toThrow(TypeError);
      expect(() => c.multiCompressToBuffer(['ok', 42])).toThrow(/data\[1\]/);
      expect(() => c.multiCompressToBuffer([null])).toThrow(TypeError);
      expect(() => c.multiCompressToBuffer(['a'], { threads: 'two' })).toThrow(TypeError);
      expect(() => c.multiCompressToBuffer(['a'], { threads: -2 })).toThrow(RangeError);
      expect(() => c.multiCompressToBuffer(['a'], { threads: 1.5 })).toThrow(RangeError);
      expect(() => c.multiCompressToBuffer(['a'], 3)).toThrow(TypeError);
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });

    test("thread counts up to zstd's limit are clamped to the pool: no deadlock on large inputs; above it, RangeError", () => {
      // One output buffer per range, 16 ranges per thread: more items than that for the pool's
      // threads, so 64 unclamped threads would show as more buffers.
      const ranges = 16 * zstd.features.maxThreads;
      const big = Array.from({ length: ranges + 16 }, (_, i) => textData(256 << 10, i));
      const out = c.multiCompressToBuffer(big, { threads: 64 });
      expect(out.bufferCount).toBeLessThanOrEqual(ranges);
      for (const threads of [65, 1000, 100000]) {
        expect(() => c.multiCompressToBuffer(big, { threads })).toThrow(RangeError);
        expect(() => d.multiDecompressToBuffer(out, { threads })).toThrow(RangeError);
      }
      const back = d.multiDecompressToBuffer(out, { threads: 64 });
      collectionBytes(back).forEach((x, i) => expectSameBytes(x, big[i]));
      out.free();
      back.free();
    });

    test('freed compressor or input: ZstdError freed', () => {
      const cc = new zstd.ZstdCompressor();
      cc.free();
      expect(() => cc.multiCompressToBuffer(['a'])).toThrow(isZstdError('freed'));
      const bws = new zstd.BufferWithSegments('abc', BigUint64Array.of(0n, 3n));
      bws.free();
      expect(() => c.multiCompressToBuffer(bws)).toThrow(isZstdError('freed'));
    });
  });

  describe('multiDecompressToBuffer', () => {
    test('round trip for threads 0, 1, 2, -1 with identical results', () => {
      for (const threads of [0, 1, 2, -1]) {
        const out = d.multiDecompressToBuffer(frames, { threads });
        expect(out.length).toBe(items.length);
        collectionBytes(out).forEach((x, i) => expectSameBytes(x, items[i]));
        out.free();
      }
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });

    test('frames from the zstd CLI', () => {
      const cliFrames = items.slice(295, 310).map((x, i) => zstdCli(['-c', `-${1 + (i % 19)}`, `--stream-size=${x.length}`], x));
      const out = d.multiDecompressToBuffer(cliFrames, { threads: 2 });
      collectionBytes(out).forEach((x, i) => expectSameBytes(x, items[295 + i]));
      out.free();
    });

    test('missing content size: content_size_unknown naming the item; decompressedSizes fixes it', () => {
      const noSize = new zstd.ZstdCompressor({ writeContentSize: false });
      const some = items.slice(300, 306);
      const withoutSize = some.map((x, i) => (i === 3 ? noSize.compress(x) : c.compress(x)));
      expect(() => d.multiDecompressToBuffer(withoutSize)).toThrow(isZstdError('content_size_unknown'));
      expect(() => d.multiDecompressToBuffer(withoutSize)).toThrow(/item 3/);
      for (const sizes of [sizesOf(some), new Uint8Array(sizesOf(some).buffer), some.map((x) => x.length)]) {
        const out = d.multiDecompressToBuffer(withoutSize, { decompressedSizes: sizes, threads: 2 });
        collectionBytes(out).forEach((x, i) => expectSameBytes(x, some[i]));
        out.free();
      }
      noSize.free();
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });

    test('decompressedSizes that disagree with the frames are errors', () => {
      const some = frames.slice(300, 304);
      const sizes = sizesOf(items.slice(300, 304));
      expect(() => d.multiDecompressToBuffer(some, { decompressedSizes: sizes.subarray(0, 3) })).toThrow(RangeError);
      expect(() => d.multiDecompressToBuffer(some, { decompressedSizes: new Uint8Array(7) })).toThrow(RangeError);
      expect(() => d.multiDecompressToBuffer(some, { decompressedSizes: 'big' })).toThrow(TypeError);
      expect(() => d.multiDecompressToBuffer(some, { decompressedSizes: [1, -1, 2, 3] })).toThrow(TypeError);
      const small = sizes.slice();
      small[2] -= 1n;
      expect(() => d.multiDecompressToBuffer(some, { decompressedSizes: small })).toThrow(isZstdError('dst_size_too_small'));
      const large = sizes.slice();
      large[1] += 1n;
      expect(() => d.multiDecompressToBuffer(some, { decompressedSizes: large })).toThrow(/item 1/);
      const huge = sizes.slice();
      huge[0] = 2n ** 63n;
      expect(() => d.multiDecompressToBuffer(some, { decompressedSizes: huge })).toThrow(isZstdError('memory_allocation'));
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });

    test('a bad frame at item k fails the call naming k, leaks nothing, and the instance keeps working', () => {
      for (const [k, corrupt] of [
        [0, (f) => f.subarray(0, f.length - 2)],
        [150, () => new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])],
        [305, (f) => f.subarray(0, f.length >> 1)],
        [items.length - 2, () => new Uint8Array(0)],
        [200, () => Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x20, 0xff, 0xff)], // claims more than it holds
      ]) {
        for (const threads of [1, 2]) {
          const bad = frames.slice();
          bad[k] = corrupt(frames[k]);
          let error;
          try {
            d.multiDecompressToBuffer(bad, { threads });
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(zstd.ZstdError);
          expect(error.message).toMatch(new RegExp(`item ${k}\\b`));
          expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
        }
      }
      const out = d.multiDecompressToBuffer(frames.slice(0, 10));
      expect(out.length).toBe(10);
      out.free();
    });

    test('maxWindowSize and magicless format apply to every frame', () => {
      const long = zstdCli(['-c', '--long=24', '-3', `--stream-size=${20 << 20}`], textData(20 << 20, 9));
      const strict = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 20 });
      expect(() => strict.multiDecompressToBuffer([frames[1], long])).toThrow(isZstdError('frame_parameter_window_too_large'));
      strict.free();
      const magicless = new zstd.ZstdDecompressor({ format: 'magicless' });
      const out = magicless.multiDecompressToBuffer(frames.slice(1, 4).map((f) => f.subarray(4)));
      collectionBytes(out).forEach((x, i) => expectSameBytes(x, items[1 + i]));
      out.free();
      magicless.free();
    });
  });

  describe('async variants', () => {
    test('same results as the sync calls, for every input kind', async () => {
      for (const threads of [0, 2, -1]) {
        const out = await c.multiCompressToBufferAsync(items, { threads });
        collectionBytes(out).forEach((x, i) => expectSameBytes(x, frames[i]));
        const back = await d.multiDecompressToBufferAsync(out, { threads });
        collectionBytes(back).forEach((x, i) => expectSameBytes(x, items[i]));
        const sized = await d.multiDecompressToBufferAsync(frames, { threads, decompressedSizes: sizesOf(items) });
        expect(sized.length).toBe(items.length);
        for (const x of [out, back, sized]) x.free();
      }
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });

    test('errors reject the promise (never throw synchronously) and leak nothing', async () => {
      const bad = frames.slice();
      bad[42] = bad[42].subarray(0, 5);
      await expect(d.multiDecompressToBufferAsync(bad, { threads: 2 })).rejects.toThrow(/item 42/);
      const noSizeCompressor = new zstd.ZstdCompressor({ writeContentSize: false });
      const noSize = noSizeCompressor.compress('abc');
      noSizeCompressor.free();
      await expect(d.multiDecompressToBufferAsync([noSize])).rejects.toEqual(isZstdError('content_size_unknown'));
      await expect(c.multiCompressToBufferAsync('nope')).rejects.toThrow(TypeError);
      await expect(c.multiCompressToBufferAsync(['a'], { threads: -3 })).rejects.toThrow(RangeError);
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });

    test('a 64 MiB batch keeps a 5 ms setInterval ticking, both ways', async () => {
      const big = Array.from({ length: 64 }, (_, i) => textData(1 << 20, 1000 + i));
      await (await c.multiCompressToBufferAsync(big.slice(0, 2), { threads: 2 })).free(); // warm up
      const comp = await whileTicking(() => c.multiCompressToBufferAsync(big, { threads: 2 }));
      const decomp = await whileTicking(() => d.multiDecompressToBufferAsync(comp.result, { threads: 2 }));
      try {
        for (const run of [comp, decomp]) {
          // A blocked thread gives no tick at all until the end; the bounds leave room for a
          // loaded 2-core machine (the benchmark, not this test, measures how smooth it is).
          expect(run.ticks).toBeGreaterThanOrEqual(Math.floor((run.elapsed / 5) * 0.1));
          expect(run.maxGap).toBeLessThan(Math.max(250, run.elapsed / 4));
        }
        collectionBytes(decomp.result).forEach((x, i) => expectSameBytes(x, big[i]));
      } finally {
        comp.result.free();
        decomp.result.free();
      }
      // The sync call, for contrast, blocks: no tick while it runs.
      const sync = await whileTicking(() => c.multiCompressToBuffer(big, { threads: 2 }));
      expect(sync.ticks).toBe(0);
      sync.result.free();
    });

    test('several jobs at once, and the compressor freed while its job runs', async () => {
      const cc = new zstd.ZstdCompressor({ level: 5 });
      const expected = items.map((x) => cc.compress(x));
      const jobs = [1, 2, -1, 2].map((threads) => cc.multiCompressToBufferAsync(items, { threads }));
      cc.free();
      for (const out of await Promise.all(jobs)) {
        collectionBytes(out).forEach((x, i) => expectSameBytes(x, expected[i]));
        out.free();
      }
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });

    test('sync multi-threaded compression while an async batch runs: no deadlock', async () => {
      const big = Array.from({ length: 32 }, (_, i) => textData(1 << 20, 2000 + i));
      const job = c.multiCompressToBufferAsync(big, { threads: -1 });
      const mt = new zstd.ZstdCompressor({ threads: -1 });
      const eight = concat(big.slice(0, 8));
      expectSameBytes(d.decompress(mt.compress(eight)), eight);
      const again = c.multiCompressToBuffer(big.slice(0, 8), { threads: -1 });
      const out = await job;
      expect(out.length).toBe(32);
      for (const x of [out, again, mt]) x.free();
    });
  });

  describe('decompressContentDictChain', () => {
    // Frame k compressed by the CLI with input k - 1 as a raw-content dictionary.
    function makeChain(inputs) {
      const dir = tmpDir();
      const chain = inputs.map((input, k) => {
        const size = `--stream-size=${input.length}`; // from stdin, the CLI writes no content size otherwise
        if (k === 0) return zstdCli(['-c', '-q', size], input);
        const dict = path.join(dir, `dict${k}`);
        fs.writeFileSync(dict, inputs[k - 1]);
        return zstdCli(['-c', '-q', size, '-D', dict], input);
      });
      fs.rmSync(dir, { recursive: true });
      return chain;
    }

    const inputs = Array.from({ length: 50 }, (_, k) => {
      const base = Buffer.from(textData(6000, 7));
      return concat([base.subarray(0, 4000 + k * 20), Buffer.from(`link ${k}`)]);
    });
    let chain;
    beforeAll(() => {
      chain = makeChain(inputs);
    });

    test('a 50-link chain decodes to the last input', () => {
      expectSameBytes(d.decompressContentDictChain(chain), inputs[49]);
      expectSameBytes(d.decompressContentDictChain(chain.slice(0, 1)), inputs[0]);
    });

    test('accepts BufferWithSegments and collections', () => {
      const table = new BigUint64Array(2 * chain.length);
      let off = 0;
      chain.forEach((f, i) => {
        table[2 * i] = BigInt(off);
        table[2 * i + 1] = BigInt(f.length);
        off += f.length;
      });
      const bws = new zstd.BufferWithSegments(concat(chain), table);
      expectSameBytes(d.decompressContentDictChain(bws), inputs[49]);
      bws.free();
    });

    test('errors: empty chain, broken link, missing content size, bad types', () => {
      expect(() => d.decompressContentDictChain([])).toThrow(RangeError);
      const broken = chain.slice();
      broken.splice(10, 1);
      expect(() => d.decompressContentDictChain(broken)).toThrow(zstd.ZstdError);
      const noSize = chain.slice(0, 3);
      noSize[1] = zstdCli(['-c', '-q', '--no-content-size'], inputs[1]);
      expect(() => d.decompressContentDictChain(noSize)).toThrow(isZstdError('content_size_unknown'));
      expect(() => d.decompressContentDictChain([new Uint8Array(10)])).toThrow(isZstdError('prefix_unknown'));
      expect(() => d.decompressContentDictChain('frames')).toThrow(TypeError);
      expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
    });
  });

  test('no leak over many calls', () => {
    const small = items.slice(0, 40);
    const smallFrames = frames.slice(0, 40);
    for (let i = 0; i < 20; i++) {
      c.multiCompressToBuffer(small, { threads: 2 }).free();
      d.multiDecompressToBuffer(smallFrames, { threads: 2 }).free();
    }
    const after = zstd.memory.totalAllocatedBytes();
    for (let i = 0; i < 500; i++) {
      c.multiCompressToBuffer(small, { threads: 2 }).free();
      d.multiDecompressToBuffer(smallFrames, { threads: 2 }).free();
    }
    expect(zstd.memory.totalAllocatedBytes()).toBe(after);
    expect(after).toBe(baseline);
  });
};
