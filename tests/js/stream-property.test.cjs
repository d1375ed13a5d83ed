// Property-based tests of the streaming APIs (fast-check): random data (random bytes, runs,
// text-like and incompressible stretches) cut at random points, with random flushes and sizes,
// must come back as it went in; streaming decompression of random splits of frames must equal
// one-shot decompression. Every run must also leave wasm memory as it found it.
const fc = require('fast-check');
const { Readable } = require('node:stream');
const zstd = require('zstd-kit');
const { textData, randomData, expectSameBytes, concat, collect } = require('./helpers.cjs');

const RUNS = Number(process.env.ZSTDKIT_PROPERTY_RUNS) || 60; // more for a deeper search
const mem = () => zstd.memory.totalAllocatedBytes();

/** `bytes` cut at `points` (fractions in [0, 1]): pieces in order, zero-length ones included. */
function cut(bytes, points) {
  const at = points.map((p) => Math.floor(p * bytes.length)).sort((a, b) => a - b);
  const pieces = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    pieces.push(bytes.subarray(from, to));
    from = to;
  }
  return pieces;
}

function decodeAll(bytes, maxOutputSize) {
  const dd = new zstd.ZstdDecompressor();
  try {
    return dd.decompress(bytes, { readAcrossFrames: true, maxOutputSize: Math.max(1, maxOutputSize) });
  } finally {
    dd.free();
  }
}

// Data made of segments: random bytes, runs of one byte, text-like (repetitive) and incompressible
// stretches. Generated as small specs, so that a counterexample prints as a few numbers rather than
// megabytes; bytes are made with bulk operations (loops are slow in Jest's sandbox).
const segment = fc.oneof(
  fc.record({ kind: fc.constant('random'), seed: fc.nat(1000), length: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ kind: fc.constant('run'), seed: fc.nat(255), length: fc.integer({ min: 1, max: 80000 }) }),
  fc.record({ kind: fc.constant('text'), seed: fc.nat(1000), length: fc.integer({ min: 4, max: 200000 }) }), // textData needs 4
  fc.record({ kind: fc.constant('random'), seed: fc.nat(1000), length: fc.integer({ min: 1, max: 150000 }) }),
);
function bytesOf(specs) {
  const bytes = concat(
    specs.map(({ kind, seed, length }) => {
      if (kind === 'run') return new Uint8Array(length).fill(seed);
      return kind === 'text' ? textData(length, seed) : randomData(length, seed);
    }),
  );
  // How fast-check prints it in a counterexample.
  Object.defineProperty(bytes, fc.toStringMethod, { value: () => `bytesOf(${JSON.stringify(specs)}) /* ${bytes.length} bytes */` });
  return bytes;
}
const data = fc.array(segment, { maxLength: 6 }).map(bytesOf);
const points = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });
const level = fc.constantFrom(-5, 1, 3, 6);

let d;
beforeAll(async () => {
  await zstd.init();
  d = new zstd.ZstdDecompressor();
  const c = new zstd.ZstdCompressor();
  d.decompress(c.compress('warm up')); // d's small-input scratch, made on first use
  c.free(); // freed now: the garbage collector must not free anything while a run counts bytes
});

test('compressobj: random chunking and block flushes give one frame that decodes to the input', () => {
  fc.assert(
    fc.property(data, points, fc.array(fc.boolean(), { maxLength: 13 }), fc.boolean(), level, (input, at, flushes, pledge, lvl) => {
      const before = mem();
      const c = new zstd.ZstdCompressor({ level: lvl });
      const o = c.compressobj(pledge ? { size: input.length } : undefined);
      const reader = d.decompressobj();
      let pending = [];
      const decoded = [];
      let fed = 0;
      cut(input, at).forEach((piece, i) => {
        pending.push(o.compress(piece));
        fed += piece.length;
        if (flushes[i]) {
          // After a block flush, everything so far decodes.
          pending.push(o.flush(zstd.FLUSH_BLOCK));
          decoded.push(reader.decompress(concat(pending)));
          pending = [];
          expectSameBytes(concat(decoded), input.subarray(0, fed));
          expect(reader.eof).toBe(false);
        }
      });
      pending.push(o.flush());
      decoded.push(reader.decompress(concat(pending)));
      expect(reader.eof).toBe(true);
      expectSameBytes(concat(decoded), input);
      c.free();
      expect(mem()).toBe(before);
    }),
    { numRuns: RUNS },
  );
});

test('compressobj: the whole frame decodes one-shot and with decompressobj', () => {
  fc.assert(
    fc.property(data, points, points, fc.boolean(), level, (input, at, at2, pledge, lvl) => {
      const before = mem();
      const c = new zstd.ZstdCompressor({ level: lvl, writeChecksum: lvl > 0 });
      const o = c.compressobj(pledge ? { size: input.length } : undefined);
      const frame = concat([...cut(input, at).map((p) => o.compress(p)), o.flush()]);
      c.free();
      if (pledge) expect(zstd.getFrameParameters(frame).contentSize).toBe(input.length);
      expectSameBytes(decodeAll(frame, input.length), input);
      const reader = d.decompressobj();
      const out = [];
      for (const p of cut(frame, at2)) {
        // After the frame's end only empty pieces remain (decompress() then is invalid_state).
        if (reader.eof) expect(p.length).toBe(0);
        else out.push(reader.decompress(p));
      }
      expectSameBytes(concat(out), input);
      expect(reader.eof).toBe(true);
      expect(mem()).toBe(before);
    }),
    { numRuns: RUNS },
  );
});

test('streamWriter: random writes and flushes (block or frame), sync or slow async sink, decode to the input', async () => {
  await fc.assert(
    fc.asyncProperty(
      data,
      points,
      fc.array(fc.constantFrom(0, zstd.FLUSH_BLOCK, zstd.FLUSH_FRAME), { maxLength: 13 }),
      fc.boolean(),
      fc.integer({ min: 64, max: 200000 }),
      async (input, at, flushes, slow, writeSize) => {
        const before = mem();
        const chunks = [];
        let inFlight = 0;
        let maxInFlight = 0;
        const sink = slow
          ? {
              async write(u) {
                inFlight++;
                maxInFlight = Math.max(maxInFlight, inFlight);
                await new Promise((resolve) => setImmediate(resolve));
                chunks.push(u);
                inFlight--;
              },
            }
          : { write: (u) => void chunks.push(u) };
        const c = new zstd.ZstdCompressor({ level: 1 });
        const w = c.streamWriter(sink, { writeSize });
        let handed = 0;
        const pieces = cut(input, at);
        for (const [i, piece] of pieces.entries()) {
          handed += await w.write(piece);
          if (flushes[i]) handed += await w.flush(flushes[i]);
        }
        await w.close();
        c.free();
        expect(maxInFlight).toBeLessThanOrEqual(1);
        chunks.forEach((ch) => expect(ch.length).toBeLessThanOrEqual(writeSize));
        const out = concat(chunks);
        expect(w.bytesWritten).toBe(out.length);
        expect(handed).toBeLessThanOrEqual(out.length);
        expectSameBytes(decodeAll(out, input.length), input);
        expect(mem()).toBe(before);
      },
    ),
    { numRuns: RUNS },
  );
});

test('readToIter (compressor): random chunks from an iterable, random readSize/writeSize', async () => {
  await fc.assert(
    fc.asyncProperty(
      data,
      points,
      fc.integer({ min: 16, max: 300000 }),
      fc.integer({ min: 32, max: 300000 }),
      fc.constantFrom('array', 'async generator', 'Node Readable', 'whole'),
      async (input, at, readSize, writeSize, kind) => {
        const before = mem();
        const pieces = cut(input, at);
        const source = {
          array: pieces,
          'async generator': (async function* () {
            yield* pieces;
          })(),
          'Node Readable': Readable.from(pieces.filter((p) => p.length > 0)),
          whole: input,
        }[kind];
        const c = new zstd.ZstdCompressor({ level: 3 });
        const chunks = await collect(c.readToIter(source, { readSize, writeSize, size: kind === 'whole' ? input.length : undefined }));
        c.free();
        chunks.forEach((ch) => {
          expect(ch.length).toBeGreaterThan(0);
          expect(ch.length).toBeLessThanOrEqual(writeSize);
        });
        expectSameBytes(decodeAll(concat(chunks), input.length), input);
        expect(mem()).toBe(before);
      },
    ),
    { numRuns: RUNS },
  );
});

test('chunker: chunks of exactly chunkSize except the last of each flush()/finish()', () => {
  fc.assert(
    fc.property(
      data,
      points,
      fc.array(fc.boolean(), { maxLength: 13 }),
      fc.integer({ min: 64, max: 70000 }),
      (input, at, flushes, chunkSize) => {
        // chunkSize 1: tests/js/stream/chunker.cjs
        const before = mem();
        const c = new zstd.ZstdCompressor({ level: 1 });
        const k = c.chunker({ chunkSize });
        const all = [];
        const checkEnding = (chunks) => {
          chunks.slice(0, -1).forEach((ch) => expect(ch.length).toBe(chunkSize));
          if (chunks.length > 0) expect(chunks.at(-1).length).toBeLessThanOrEqual(chunkSize);
          if (chunks.length > 0) expect(chunks.at(-1).length).toBeGreaterThan(0);
        };
        cut(input, at).forEach((piece, i) => {
          const chunks = k.compress(piece);
          chunks.forEach((ch) => expect(ch.length).toBe(chunkSize));
          all.push(...chunks);
          if (flushes[i]) {
            const flushed = k.flush();
            checkEnding(flushed);
            all.push(...flushed);
          }
        });
        const last = k.finish();
        checkEnding(last);
        all.push(...last);
        c.free();
        expectSameBytes(decodeAll(concat(all), input.length), input);
        expect(mem()).toBe(before);
      },
    ),
    { numRuns: RUNS },
  );
});

// Frames of random data and options, with skippable frames between them.
const frames = fc
  .array(fc.record({ input: data, level, checksum: fc.boolean(), contentSize: fc.boolean(), skip: fc.integer({ min: -1, max: 40 }) }), {
    minLength: 1,
    maxLength: 4,
  })
  .map((specs) => {
    const parts = [];
    const inputs = [];
    for (const { input, level: lvl, checksum, contentSize, skip } of specs) {
      const c = new zstd.ZstdCompressor({ level: lvl, writeChecksum: checksum, writeContentSize: contentSize });
      parts.push(c.compress(input));
      c.free();
      inputs.push(input);
      if (skip >= 0) {
        const frame = new Uint8Array(8 + skip);
        new DataView(frame.buffer).setUint32(0, 0x184d2a50 + (skip % 16), true);
        new DataView(frame.buffer).setUint32(4, skip, true);
        parts.push(frame);
      }
    }
    const f = { bytes: concat(parts), first: parts[0], inputs };
    Object.defineProperty(f, fc.toStringMethod, {
      value: () => `frames(${JSON.stringify(specs.map(({ input, ...rest }) => ({ ...rest, input: String(input[fc.toStringMethod]()) })))})`,
    });
    return f;
  });

test('decompressobj: any split of a frame equals one-shot decompression; eof and unusedData', () => {
  fc.assert(
    fc.property(frames, points, (f, at) => {
      const oneShot = d.decompress(f.first, { maxOutputSize: Math.max(1, f.inputs[0].length) });
      expectSameBytes(oneShot, f.inputs[0]);
      const before2 = mem();
      const o = d.decompressobj();
      const out = [];
      const rest = [];
      for (const piece of cut(f.bytes, at)) {
        if (o.eof) rest.push(piece);
        else out.push(o.decompress(piece));
      }
      expect(o.eof).toBe(true);
      expectSameBytes(concat(out), oneShot);
      // unusedData (from the call that ended the frame) and the pieces not passed make up the rest.
      expectSameBytes(concat([o.unusedData, ...rest]), f.bytes.subarray(f.first.length));
      expect(mem()).toBe(before2);
    }),
    { numRuns: RUNS },
  );
});

test('streaming decompression across frames (decompressobj, readToIter, streamWriter) equals one-shot', async () => {
  await fc.assert(
    fc.asyncProperty(
      frames,
      points,
      fc.integer({ min: 16, max: 200000 }),
      fc.integer({ min: 64, max: 200000 }),
      async (f, at, readSize, writeSize) => {
        const expected = concat(f.inputs);
        expectSameBytes(decodeAll(f.bytes, expected.length), expected);
        const before = mem();
        const pieces = cut(f.bytes, at);

        const o = d.decompressobj({ readAcrossFrames: true });
        expectSameBytes(concat(pieces.map((p) => o.decompress(p))), expected);
        expect(o.eof).toBe(false);
        o.free();

        const iter = await collect(d.readToIter(pieces, { readSize, writeSize }));
        iter.forEach((ch) => expect(ch.length).toBeLessThanOrEqual(writeSize));
        expectSameBytes(concat(iter), expected);

        const chunks = [];
        const w = d.streamWriter({ write: (u) => void chunks.push(u) }, { writeSize });
        for (const p of pieces) w.write(p);
        await w.close();
        chunks.forEach((ch) => expect(ch.length).toBeLessThanOrEqual(writeSize));
        expectSameBytes(concat(chunks), expected);
        expect(mem()).toBe(before);
      },
    ),
    { numRuns: RUNS },
  );
});

test('corrupted frames in streaming decoders: decoded bytes or a ZstdError, never anything else; memory released', async () => {
  const good = new zstd.ZstdCompressor({ level: 3 });
  const reference = textData(3000, 9);
  const validFrame = good.compress(reference);
  good.free();
  await fc.assert(
    fc.asyncProperty(
      frames,
      fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      points,
      async (f, flips, keep, at) => {
        const bytes = f.bytes.slice(0, Math.max(1, Math.ceil(keep * f.bytes.length)));
        for (const { at: where, xor } of flips) bytes[Math.floor(where * (bytes.length - 1))] ^= xor;
        const before = mem();
        const pieces = cut(bytes, at);
        const outcome = (e) => (e === null ? 'ok' : e instanceof zstd.ZstdError ? `ZstdError ${e.code}` : `${e?.name}: ${e?.message}`);
        let e = null;
        const o = d.decompressobj({ readAcrossFrames: true });
        try {
          for (const p of pieces) o.decompress(p);
        } catch (err) {
          e = err;
        }
        o.free();
        expect(outcome(e)).toMatch(/^(ok|ZstdError \w+)$/);
        e = null;
        try {
          await collect(d.readToIter(pieces));
        } catch (err) {
          e = err;
        }
        expect(outcome(e)).toMatch(/^(ok|ZstdError \w+)$/);
        e = null;
        try {
          await collect(new Blob([bytes]).stream().pipeThrough(new zstd.ZstdDecompressionStream()));
        } catch (err) {
          e = err;
        }
        expect(outcome(e)).toMatch(/^(ok|ZstdError \w+)$/);
        expect(mem()).toBe(before);
        // The instance keeps working.
        const check = d.decompressobj();
        expectSameBytes(check.decompress(validFrame), reference);
      },
    ),
    { numRuns: RUNS },
  );
});

test('Web streams: random chunkings through ZstdCompressionStream then ZstdDecompressionStream', async () => {
  await fc.assert(
    fc.asyncProperty(data, points, level, async (input, at, lvl) => {
      const before = mem();
      const pieces = cut(input, at);
      const source = new ReadableStream({
        start(controller) {
          for (const p of pieces) controller.enqueue(p);
          controller.close();
        },
      });
      const compressed = concat(await collect(source.pipeThrough(new zstd.ZstdCompressionStream({ level: lvl }))));
      const back = concat(await collect(new Blob([compressed]).stream().pipeThrough(new zstd.ZstdDecompressionStream())));
      expectSameBytes(back, input);
      expectSameBytes(decodeAll(compressed, input.length), input);
      expect(mem()).toBe(before);
    }),
    { numRuns: 30 },
  );
});
