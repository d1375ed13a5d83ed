// copyStream() and frameProgression().
const {
  caught,
  collect,
  concat,
  expectDecodes,
  expectSameBytes,
  fs,
  isZstdError,
  mem,
  nodeSink,
  path,
  slowSink,
  spawnSync,
  split,
  syncSink,
  tmpDir,
  webSink,
  zstd,
  zstdCli,
} = require('./common.cjs');

module.exports = function suite(f) {
  const { threaded, text, rnd, mixed, sourceKinds, release } = f;
  let c, d, mixedFrame;
  beforeAll(() => ({ c, d, mixedFrame } = f));
  let baseline;
  beforeEach(() => (baseline = f.baseline));

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
      const r = spawnSync(process.execPath, ['-'], { cwd: path.join(__dirname, '..', '..', '..'), input: script, encoding: 'utf8' });
      // stderr would hold the whole emscripten glue: only its first line is shown.
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr.split('\n')[0].slice(0, 200) }).toEqual({
        status: 0,
        stdout: 'copyStream rejected: src_size_wrong\nclose rejected: src_size_wrong\nstill running\n',
        stderr: '',
      });
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
      expect(end.produced).toBeGreaterThanOrEqual(produced - 16); // frame header / epilogue at most

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
};
