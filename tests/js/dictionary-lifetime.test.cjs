// Content-dictionary chains, and the lifetime of dictionaries: their users outlive them, and
// memory comes back.
const fs = require('node:fs');
const path = require('node:path');
const {
  caughtSync,
  collect,
  collectionBytes,
  compressOnce,
  concat,
  decompressOnce,
  describeError,
  expectSameBytes,
  makeSamples,
  mem,
  textData,
  zstd,
  zstdCli,
  setup,
} = require('./dictionary/common.cjs');

const f = setup();
let baseline, samples, dict, otherDict, dir, input;
beforeAll(() => ({ baseline, samples, dict, otherDict, dir, input } = f));

describe('content-dictionary chains', () => {
  test('50 links made with rawContent dictionaries decode with decompressContentDictChain and with `zstd -D`', () => {
    const before = mem();
    const inputs = Array.from({ length: 50 }, (_, k) => {
      const base = Buffer.from(textData(8000, 14));
      return concat([base.subarray(0, 5000 + k * 50), Buffer.from(`link ${k} `.repeat(k + 1))]);
    });
    const chain = inputs.map((x, k) => {
      if (k === 0) return compressOnce(undefined, x);
      const prev = new zstd.ZstdCompressionDict(inputs[k - 1], { dictType: 'rawContent' });
      const c = new zstd.ZstdCompressor({ dictData: prev });
      prev.free(); // the compressor shares it
      try {
        return c.compress(x);
      } finally {
        c.free();
      }
    });
    // Each link is small: it refers to the previous content.
    for (let k = 1; k < 50; k++) expect(chain[k].length).toBeLessThan(200 + (k + 1) * 10);
    const d = new zstd.ZstdDecompressor();
    expectSameBytes(d.decompressContentDictChain(chain), inputs[49]);
    expectSameBytes(d.decompressContentDictChain(chain.slice(0, 20)), inputs[19]);
    d.free();
    const chainDir = path.join(dir, 'chain');
    fs.mkdirSync(chainDir);
    for (let k = 0; k < 50; k++) {
      const args = ['-d', '-c', '-q'];
      if (k > 0) {
        const file = path.join(chainDir, `link${k - 1}`);
        fs.writeFileSync(file, inputs[k - 1]);
        args.push('-D', file);
      }
      expectSameBytes(zstdCli(args, chain[k]), inputs[k]);
    }
    expect(mem()).toBe(before);
  });
});

describe('lifetime and memory', () => {
  test('compressors and decompressors keep working after the dictionary is freed', async () => {
    const dd = new zstd.ZstdCompressionDict(dict.asBytes());
    const c = new zstd.ZstdCompressor({ dictData: dd, level: 4 });
    const cp = new zstd.ZstdCompressor({ dictData: dd, compressionParams: new zstd.ZstdCompressionParameters({ windowLog: 18 }) });
    const d = new zstd.ZstdDecompressor({ dictData: dd });
    dd.free();
    expect(dd.freed).toBe(true);
    for (const fn of [() => dd.dictId(), () => dd.asBytes(), () => dd.length, () => dd.precompute(), () => dd.memorySize()]) {
      expect(describeError(caughtSync(fn))).toEqual(expect.objectContaining({ name: 'ZstdError', code: 'freed' }));
    }
    expect(describeError(caughtSync(() => new zstd.ZstdCompressor({ dictData: dd })))).toEqual(expect.objectContaining({ code: 'freed' }));
    expect(describeError(caughtSync(() => new zstd.ZstdDecompressor({ dictData: dd })))).toEqual(
      expect.objectContaining({ code: 'freed' }),
    );
    dd.free(); // repeatable
    for (const cc of [c, cp]) {
      const frame = cc.compress(input);
      expect(zstd.getFrameParameters(frame).dictId).toBe(424242);
      expectSameBytes(d.decompress(frame), input);
      const streamed = concat(await collect(cc.readToIter(input)));
      expectSameBytes(concat(await collect(d.readToIter(streamed))), input);
      const multi = cc.multiCompressToBuffer([input, samples[0]], { threads: 2 });
      const back = collectionBytes(d.multiDecompressToBuffer(multi));
      multi.free();
      expectSameBytes(back[1], samples[0]);
    }
    for (const x of [c, cp, d]) x.free();
  });

  test('Symbol.dispose frees a dictionary', () => {
    const dd = new zstd.ZstdCompressionDict('some content');
    // Jest's sandbox has no Symbol.dispose; the library then uses the registered fallback symbol.
    dd[Symbol.dispose ?? Symbol.for('Symbol.dispose')]();
    expect(describeError(caughtSync(() => dd.dictId()))).toEqual(expect.objectContaining({ code: 'freed' }));
  });

  test('totalAllocatedBytes returns to its baseline once dictionaries and their users are freed', async () => {
    const before = mem();
    const trained = zstd.trainDictionary(4096, samples, { k: 64, d: 8 });
    const raw = new zstd.ZstdCompressionDict(textData(30000, 15), { dictType: 'rawContent' });
    expect(mem()).toBeGreaterThan(before);
    for (const dd of [trained, raw]) {
      dd.precompute({ level: 1 }).precompute({ level: 19 });
      const c = new zstd.ZstdCompressor({ dictData: dd });
      const d = new zstd.ZstdDecompressor({ dictData: dd });
      const frames = c.multiCompressToBuffer(makeSamples(50, 80), { threads: 2 });
      const out = await d.multiDecompressToBufferAsync(frames, { threads: 2 });
      out.free();
      frames.free();
      const obj = c.compressobj();
      const f = concat([obj.compress(input), obj.flush()]);
      const dobj = d.decompressobj();
      dobj.decompress(f);
      const buf = c.compressToBuffer(input);
      d.decompressToBuffer(buf).free();
      buf.free();
      const e = caughtSync(() => decompressOnce({ dictData: otherDict }, c.compress(input)));
      if (dd === trained) expect(e).toBeInstanceOf(zstd.ZstdError);
      c.free();
      d.free();
      expect(mem()).toBeGreaterThan(before);
      dd.free();
    }
    // Failed construction leaves nothing behind.
    caughtSync(() => new zstd.ZstdCompressionDict(textData(3000, 1), { dictType: 'fullDict' }));
    caughtSync(() => zstd.trainDictionary(100000, samples.slice(0, 3)));
    expect(mem()).toBe(before);
  });

  test('after freeing the shared dictionaries, memory is back to where it was before any dictionary', () => {
    // Every test frees what it makes, so this is exact.
    dict.free();
    otherDict.free();
    expect(mem()).toBe(baseline);
  });
});
