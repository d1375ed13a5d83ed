// Finalization on every error path of every object type: an object whose work failed, and that
// the user then drops without free(), gives its wasm memory back — while the error it threw is
// still held (the harsh case: an error's stack must not keep the objects it came from alive).
// Each scenario runs in a child process of its own with --expose-gc.
/* global text, corrupt, sink, kept, keep, keepAsync -- the scenarios run in the child, where PRELUDE defines them */
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const zstd = require('zstd-kit');
const { randomData, textData } = require('./helpers.cjs');

const root = path.join(__dirname, '..', '..');

// Shared by every scenario (runs in the child): fixtures, and `kept`, where errors stay alive.
const PRELUDE = `
  const text = Buffer.from('zstd kit frame block window literal match offset '.repeat(40000));
  const corrupt = (frame, from = 20, to = 200) => {
    const f = Buffer.from(frame);
    for (let i = from; i < Math.min(to, f.length - 4); i++) f[i] ^= 0x5a;
    return f;
  };
  const sink = () => ({ chunks: [], write(c) { this.chunks.push(c); } });
  const kept = [];
  const keep = (fn) => { try { const r = fn(); return r; } catch (e) { kept.push(e); } };
  const keepAsync = async (fn) => { try { return await fn(); } catch (e) { kept.push(e); } };
`;

// name -> (zstd, f) => void | Promise: makes objects, hits an error path, keeps the error, drops
// the objects. `f` holds frames made beforehand: f.text (1 MiB of text), f.small, f.issue (the
// frame from the issue: 28b52ffd2400012000d9e9d851).
const scenarios = {
  // Stream objects.
  'decompressobj: corrupt data after a first piece (the issue)': (zstd, f) => {
    const d = new zstd.ZstdDecompressor();
    const o = d.decompressobj();
    keep(() => {
      o.decompress(f.issue.subarray(0, 6));
      o.decompress(f.issue.subarray(6));
    });
    d.free();
  },
  'decompressobj: corrupt blocks': (zstd, f) =>
    keep(() => new zstd.ZstdDecompressor().decompressobj().decompress(corrupt(f.text, 5000, 6000))),
  'decompressobj: window larger than maxWindowSize': (zstd, f) =>
    keep(() => new zstd.ZstdDecompressor({ maxWindowSize: 1 << 10 }).decompressobj().decompress(f.text)),
  'decompressobj: dropped live, mid-frame': (zstd, f) =>
    void new zstd.ZstdDecompressor().decompressobj().decompress(f.text.subarray(0, 5000)),
  'compressobj: wrong pledged size': (zstd) =>
    keep(() => {
      const o = new zstd.ZstdCompressor().compressobj({ size: 10 });
      o.compress('more than ten bytes');
      o.flush();
    }),
  'compressobj: dropped live': (zstd) => void new zstd.ZstdCompressor({ level: 19 }).compressobj().compress(text),
  'chunker: wrong pledged size': (zstd) =>
    keep(() => {
      const k = new zstd.ZstdCompressor().chunker({ size: 5, chunkSize: 64 });
      k.compress('0123456789');
      k.finish();
    }),
  // Writers.
  'decompressor streamWriter: corrupt write, dropped without close()': (zstd) =>
    keep(() => new zstd.ZstdDecompressor().streamWriter(sink()).write('not zstd data at all')),
  'decompressor streamWriter: truncated, close() rejects': (zstd, f) => {
    const w = new zstd.ZstdDecompressor().streamWriter(sink());
    w.write(f.text.subarray(0, 1000));
    return keepAsync(() => w.close());
  },
  'compressor streamWriter: the sink rejects': async (zstd) => {
    const w = new zstd.ZstdCompressor().streamWriter({ write: () => Promise.reject(new Error('sink broke')) });
    await keepAsync(() => w.write(text));
    await keepAsync(() => w.close());
  },
  'compressor streamWriter: dropped live': (zstd) => void new zstd.ZstdCompressor().streamWriter(sink()).write(text),
  'copyStream: corrupt source': (zstd, f) => keepAsync(() => new zstd.ZstdDecompressor().copyStream(corrupt(f.text, 3000, 4000), sink())),
  // Readers.
  'decompressor readToIter: corrupt source': async (zstd, f) => {
    await keepAsync(async () => {
      for await (const _ of new zstd.ZstdDecompressor().readToIter(corrupt(f.text, 3000, 4000), { readSize: 4096 }));
    });
  },
  'compressor readToIter: the source throws': async (zstd) => {
    const source = (async function* () {
      yield text;
      throw new Error('source broke');
    })();
    await keepAsync(async () => {
      for await (const _ of new zstd.ZstdCompressor().readToIter(source));
    });
  },
  'readToIter: never iterated': (zstd, f) => void new zstd.ZstdDecompressor().readToIter(f.text),
  'readToIter: abandoned after the first chunk': async (zstd, f) => {
    for await (const _ of new zstd.ZstdDecompressor().readToIter(f.text, { readSize: 1000, writeSize: 1000 })) break;
  },
  // Web streams.
  'ZstdDecompressionStream: corrupt input': (zstd, f) =>
    keepAsync(() =>
      new Blob([corrupt(f.text, 3000, 4000)]).stream().pipeThrough(new zstd.ZstdDecompressionStream()).pipeTo(new WritableStream()),
    ),
  'ZstdDecompressionStream: truncated input': (zstd, f) =>
    keepAsync(() =>
      new Blob([f.text.subarray(0, 5000)]).stream().pipeThrough(new zstd.ZstdDecompressionStream()).pipeTo(new WritableStream()),
    ),
  'ZstdCompressionStream: never used': (zstd) => void new zstd.ZstdCompressionStream({ level: 19 }),
  'ZstdCompressionStream: writer dropped mid-stream': async (zstd) => {
    const t = new zstd.ZstdCompressionStream();
    const writer = t.writable.getWriter();
    writer.write(text);
    await new Promise((resolve) => setTimeout(resolve, 10));
  },
  // Node streams.
  'createZstdDecompress: corrupt input': (zstd, f) =>
    new Promise((resolve) => {
      const t = zstd.createZstdDecompress();
      t.on('error', (e) => {
        kept.push(e);
        resolve();
      });
      t.resume();
      t.end(corrupt(f.text, 3000, 4000));
    }),
  'createZstdCompress: never used or destroyed': (zstd) => void zstd.createZstdCompress({ level: 19 }),
  // Batch jobs.
  'multiDecompressToBuffer: a corrupt item': (zstd, f) =>
    keep(() => new zstd.ZstdDecompressor().multiDecompressToBuffer([f.small, corrupt(f.text, 3000, 4000), f.small], { threads: 2 })),
  'multiDecompressToBufferAsync: a corrupt item': (zstd, f) =>
    keepAsync(() => new zstd.ZstdDecompressor().multiDecompressToBufferAsync([f.small, corrupt(f.text, 3000, 4000)], { threads: 2 })),
  'multiCompressToBuffer: a bad item after good ones': (zstd) =>
    keep(() => new zstd.ZstdCompressor().multiCompressToBuffer([text, text, 42])),
  'decompressContentDictChain: a corrupt link': (zstd, f) =>
    keep(() => new zstd.ZstdDecompressor().decompressContentDictChain([f.small, corrupt(f.text, 3000, 4000)])),
  'a result collection dropped after use': (zstd, f) =>
    void new zstd.ZstdDecompressor().multiDecompressToBuffer([f.small, f.small]).get(1).toBytes(),
  // One-shot objects and buffers.
  'decompress: corrupt frame': (zstd, f) => keep(() => new zstd.ZstdDecompressor().decompress(corrupt(f.text, 3000, 4000))),
  'decompressToBuffer: maxOutputSize exceeded': (zstd, f) =>
    keep(() => new zstd.ZstdDecompressor().decompressToBuffer(f.text, { maxOutputSize: 100 })),
  'compress: a bad argument': (zstd) => {
    const c = new zstd.ZstdCompressor({ level: 19 });
    c.compress(text);
    keep(() => c.compress(42));
  },
  'ZstdCompressionDict: a failed precompute, then dropped': (zstd) => {
    const dict = new zstd.ZstdCompressionDict(text.subarray(0, 100000), { dictType: 'rawContent' });
    keep(() => dict.precompute({ level: 99 }));
    new zstd.ZstdCompressor({ dictData: dict }).compress('x');
  },
  'WasmBuffer: a slice out of range': (zstd) => {
    const b = zstd.allocBuffer(1 << 20);
    keep(() => b.slice(10, 1 << 21));
  },
  'BufferWithSegments: a segment outside the buffer': (zstd) =>
    keep(() => new zstd.BufferWithSegments(text, BigUint64Array.of(0n, 10n, 10n, BigInt(text.length)))),
  // Random access.
  'SChunk: dropped live': (zstd) => void new zstd.SChunk({ chunkSize: 65536, data: text }).getSlice(10, 20),
  'SChunk.fromCframe: a corrupt chunk touched': (zstd) => {
    const bad = Buffer.from(new zstd.SChunk({ chunkSize: 65536, data: text }).toCframe());
    const chunk0 = 8 + bad.readUInt32LE(4); // after the header frame
    bad.fill(0xff, chunk0, chunk0 + 8);
    const s = zstd.SChunk.fromCframe(bad, { copy: true });
    keep(() => s.getSlice(0, 10));
    keep(() => zstd.SChunk.fromCframe(bad.subarray(0, bad.length - 1)));
  },
  'openSeekable: a corrupt frame read': async (zstd) => {
    const file = Buffer.from(zstd.compressSeekable(text, { frameSize: 100000 }));
    file.fill(0xff, 0, 8);
    const r = await zstd.openSeekable(file);
    await keepAsync(() => r.read(0, 10));
  },
  'openSeekable: reader dropped live after a read': async (zstd) => {
    const r = await zstd.openSeekable(zstd.compressSeekable(text, { frameSize: 100000 }));
    await r.read(150000, 100000);
  },
  'seekableWriter: dropped live': (zstd) => void new zstd.ZstdCompressor().seekableWriter(sink(), { frameSize: 100000 }).write(text),
};

// The frames, made here so that the child allocates nothing before its scenario (its peak then
// shows that the scenario used wasm memory).
let frames;
beforeAll(async () => {
  await zstd.init();
  const c = new zstd.ZstdCompressor({ writeChecksum: true }); // corrupting a raw block is then still found
  // Text and noise: about 1 MiB that compresses to ~330 KB, room to corrupt blocks in.
  const text = Buffer.concat(Array.from({ length: 16 }, (_, i) => [textData(45000, i), randomData(20000, i)]).flat());
  frames = { text: Buffer.from(c.compress(text)).toString('base64'), small: Buffer.from(c.compress('small')).toString('base64') };
  c.free();
});

function runScenario(fn, initOptions) {
  const script = `
    const zstd = require('zstd-kit');
    ${PRELUDE}
    (async () => {
      await zstd.init(${JSON.stringify(initOptions)});
      const f = {
        text: Buffer.from('${frames.text}', 'base64'),
        small: Buffer.from('${frames.small}', 'base64'),
        issue: Buffer.from('28b52ffd2400012000d9e9d851', 'hex'),
      };
      const scenario = ${fn.toString()};
      const before = zstd.memory.totalAllocatedBytes();
      const peakBefore = zstd.memory.peakAllocatedBytes();
      await scenario(zstd, f);
      for (let i = 0; i < 40 && zstd.memory.totalAllocatedBytes() > before; i++) {
        global.gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const after = zstd.memory.totalAllocatedBytes();
      console.log(JSON.stringify({
        used: zstd.memory.peakAllocatedBytes() > peakBefore || after !== before,
        leaked: after - before,
        errors: kept.map((e) => e.constructor.name),
      }));
    })();
  `;
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-'], { cwd: root, input: script, encoding: 'utf8' }));
}

describe.each([
  ['threaded build', {}],
  ['single-threaded build', { threads: false }],
])('%s', (_, initOptions) => {
  test.each(Object.keys(scenarios))('%s: memory back once the objects are collected', (name) => {
    const result = runScenario(scenarios[name], initOptions);
    expect(result.leaked).toBe(0);
    expect(result.used).toBe(true);
    const dropsLive = /dropped live|never|abandoned|dropped after use|mid-stream/.test(name);
    if (!dropsLive) expect(result.errors.length).toBeGreaterThan(0); // the error path was taken, and its error kept
  });
});
