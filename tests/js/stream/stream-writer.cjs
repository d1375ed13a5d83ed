// streamWriter(): every sink kind, back-pressure and order, flush modes, close(), errors, free().
const {
  caught,
  caughtSync,
  concat,
  decodeText,
  expectDecodes,
  expectSameBytes,
  frameOf,
  isZstdError,
  mem,
  nodeSink,
  skippable,
  sleep,
  slowSink,
  split,
  syncSink,
  webSink,
  zstd,
  zstdCli,
} = require('./common.cjs');

module.exports = function suite(f) {
  const { text, rnd, mixed } = f;
  let c, d, mixedFrame, textFrame;
  beforeAll(() => ({ c, d, mixedFrame, textFrame } = f));
  let baseline;
  beforeEach(() => (baseline = f.baseline));

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
      await w.close(); // twice: harmless
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
      expect(sink.started).toBe(3); // nothing more was handed after the failure
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
      await w2.close().catch(() => {}); // a partial frame: only the order and back-pressure matter here
      expect(node.violations).toBe(0);
      const got = concat(node.chunks);
      expect(got.length).toBeGreaterThan(100000);
      expectSameBytes(got, mixed.subarray(0, got.length));
      expect(mem()).toBe(baseline);
    });

    test('free(): memory released; later use is ZstdError freed (compressor and decompressor writers)', async () => {
      for (const [make, data] of [
        [() => c.streamWriter(syncSink()), text.subarray(0, 100000)],
        [() => d.streamWriter(syncSink()), mixedFrame.subarray(0, 1000)],
      ]) {
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
};
