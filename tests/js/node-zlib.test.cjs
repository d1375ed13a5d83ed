// node:zlib's zstd shapes in zstd-kit/node, against what Node (>= 22.15) documents for them:
// zstdCompress / zstdCompressSync / zstdDecompress / zstdDecompressSync, promises, constants,
// createZstdCompress / createZstdDecompress with node:zlib's options (params keyed by ZSTD_c_* /
// ZSTD_d_*, dictionary, pledgedSrcSize, maxOutputLength, chunkSize, flush, finishFlush, info).
const { Readable, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const util = require('node:util');
const zstd = require('zstd-kit/node');
const { textData, randomData, zstdCli, expectSameBytes, concat, caught, caughtSync } = require('./helpers.cjs');

const { constants } = zstd;
const C = constants;
const mem = () => zstd.memory.totalAllocatedBytes();
const isZstdError = (code) => expect.objectContaining({ name: 'ZstdError', code });
const nodeError = (type, code) => expect.objectContaining({ name: type.name, code });

// The zstd names of Node's zlib.constants (doc/api/zlib.md, "Zstd constants"; @types/node 24).
const NODE_ZSTD_CONSTANTS = `ZSTD_CLEVEL_DEFAULT ZSTD_COMPRESS ZSTD_DECOMPRESS ZSTD_btlazy2 ZSTD_btopt ZSTD_btultra ZSTD_btultra2
  ZSTD_c_chainLog ZSTD_c_checksumFlag ZSTD_c_compressionLevel ZSTD_c_contentSizeFlag ZSTD_c_dictIDFlag
  ZSTD_c_enableLongDistanceMatching ZSTD_c_hashLog ZSTD_c_jobSize ZSTD_c_ldmBucketSizeLog ZSTD_c_ldmHashLog
  ZSTD_c_ldmHashRateLog ZSTD_c_ldmMinMatch ZSTD_c_minMatch ZSTD_c_nbWorkers ZSTD_c_overlapLog ZSTD_c_searchLog
  ZSTD_c_strategy ZSTD_c_targetLength ZSTD_c_windowLog ZSTD_d_windowLogMax ZSTD_dfast ZSTD_e_continue ZSTD_e_end
  ZSTD_e_flush ZSTD_error_GENERIC ZSTD_error_checksum_wrong ZSTD_error_corruption_detected
  ZSTD_error_dictionaryCreation_failed ZSTD_error_dictionary_corrupted ZSTD_error_dictionary_wrong
  ZSTD_error_dstBuffer_null ZSTD_error_dstSize_tooSmall ZSTD_error_frameParameter_unsupported
  ZSTD_error_frameParameter_windowTooLarge ZSTD_error_init_missing ZSTD_error_literals_headerWrong
  ZSTD_error_maxSymbolValue_tooLarge ZSTD_error_maxSymbolValue_tooSmall ZSTD_error_memory_allocation
  ZSTD_error_noForwardProgress_destFull ZSTD_error_noForwardProgress_inputEmpty ZSTD_error_no_error
  ZSTD_error_parameter_combination_unsupported ZSTD_error_parameter_outOfBound ZSTD_error_parameter_unsupported
  ZSTD_error_prefix_unknown ZSTD_error_srcSize_wrong ZSTD_error_stabilityCondition_notRespected
  ZSTD_error_stage_wrong ZSTD_error_tableLog_tooLarge ZSTD_error_version_unsupported ZSTD_error_workSpace_tooSmall
  ZSTD_fast ZSTD_greedy ZSTD_lazy ZSTD_lazy2`.split(/\s+/);

/** Runs a Transform over chunks; resolves to its output chunks. */
async function through(transform, chunks) {
  const out = [];
  await pipeline(
    Readable.from(chunks),
    transform,
    new Writable({
      write(chunk, _e, cb) {
        out.push(chunk);
        cb();
      },
    }),
  );
  return out;
}

let data;
let baseline;
beforeAll(async () => {
  await zstd.init();
  data = concat([textData(900000, 31), randomData(200000, 32), textData(400000, 33)]);
});
beforeEach(() => {
  baseline = mem();
});
afterEach(() => {
  expect(mem()).toBe(baseline);
});

describe('exports and constants', () => {
  test("every zstd constant of node:zlib, with zstd's values", () => {
    expect(Object.keys(constants).sort()).toEqual([...NODE_ZSTD_CONSTANTS].sort());
    expect(Object.isFrozen(constants)).toBe(true);
    // zstd.h / zstd_errors.h, and node_zlib's modes.
    expect([C.ZSTD_c_compressionLevel, C.ZSTD_c_windowLog, C.ZSTD_c_strategy, C.ZSTD_c_enableLongDistanceMatching]).toEqual([
      100, 101, 107, 160,
    ]);
    expect([C.ZSTD_c_contentSizeFlag, C.ZSTD_c_checksumFlag, C.ZSTD_c_dictIDFlag, C.ZSTD_c_nbWorkers, C.ZSTD_c_overlapLog]).toEqual([
      200, 201, 202, 400, 402,
    ]);
    expect([C.ZSTD_d_windowLogMax, C.ZSTD_e_continue, C.ZSTD_e_flush, C.ZSTD_e_end, C.ZSTD_CLEVEL_DEFAULT]).toEqual([100, 0, 1, 2, 3]);
    expect([C.ZSTD_fast, C.ZSTD_btultra2, C.ZSTD_COMPRESS, C.ZSTD_DECOMPRESS]).toEqual([1, 9, 10, 11]);
    expect([C.ZSTD_error_srcSize_wrong, C.ZSTD_error_checksum_wrong, C.ZSTD_error_dictionary_wrong]).toEqual([72, 22, 32]);
    expect(C.ZSTD_btultra2).toBe(zstd.STRATEGY_BTULTRA2);
    for (const name of [
      'zstdCompress',
      'zstdCompressSync',
      'zstdDecompress',
      'zstdDecompressSync',
      'createZstdCompress',
      'createZstdDecompress',
    ]) {
      expect(typeof zstd[name]).toBe('function');
    }
    expect(typeof zstd.promises.zstdCompress).toBe('function');
    expect(typeof zstd.promises.zstdDecompress).toBe('function');
  });
});

describe('convenience functions', () => {
  test('sync round trip: Buffers out, content size written, the zstd CLI agrees both ways', () => {
    const frame = zstd.zstdCompressSync(data);
    expect(Buffer.isBuffer(frame)).toBe(true);
    expect(zstd.frameContentSize(frame)).toBe(data.length);
    expectSameBytes(zstdCli(['-d', '-c'], frame), data);
    const theirs = zstdCli(['-c', '-q', '-5'], Buffer.from(data));
    const back = zstd.zstdDecompressSync(theirs);
    expect(Buffer.isBuffer(back)).toBe(true);
    expectSameBytes(back, data);
    // Every input type node:zlib takes.
    expect(zstd.zstdDecompressSync(zstd.zstdCompressSync('text')).toString()).toBe('text');
    expect(zstd.zstdDecompressSync(zstd.zstdCompressSync(new Uint16Array([1, 2]).buffer)).length).toBe(4);
    expect(zstd.zstdDecompressSync(zstd.zstdCompressSync(new DataView(new ArrayBuffer(3)))).length).toBe(3);
    expect(zstd.zstdDecompressSync(zstd.zstdCompressSync('')).length).toBe(0);
  });

  test('concatenated frames decode fully (node:zlib stops after the first: nodejs/node#64741), skippable frames skipped', () => {
    const a = zstd.zstdCompressSync('first ');
    const skip = Buffer.alloc(16);
    skip.writeUInt32LE(0x184d2a50, 0);
    skip.writeUInt32LE(8, 4);
    const b = zstdCli(['-c', '-q'], Buffer.from('second'));
    expect(zstd.zstdDecompressSync(Buffer.concat([a, skip, b])).toString()).toBe('first second');
  });

  test('callback forms call back later, never in the same turn; util.promisify and promises work, with and without options', async () => {
    let sync = true;
    const frame = await new Promise((resolve, reject) => {
      zstd.zstdCompress(data, (e, out) => {
        expect(sync).toBe(false);
        if (e) reject(e);
        else resolve(out);
      });
      sync = false;
    });
    expectSameBytes(zstdCli(['-d', '-c'], frame), data);
    const compress = util.promisify(zstd.zstdCompress);
    const decompress = util.promisify(zstd.zstdDecompress);
    expectSameBytes(await decompress(await compress(data)), data);
    const nine = await compress(data, { params: { [C.ZSTD_c_compressionLevel]: 9 } });
    expectSameBytes(await decompress(nine, {}), data);
    expectSameBytes(await zstd.promises.zstdDecompress(await zstd.promises.zstdCompress(data, { level: 1 })), data);
    expectSameBytes(await zstd.promises.zstdDecompress(await zstd.promises.zstdCompress(data)), data);
  });

  test('errors: data errors go to the callback (ZstdError), bad arguments throw as node:zlib does', async () => {
    const truncated = zstd.zstdCompressSync(data).subarray(0, 5000);
    expect(caughtSync(() => zstd.zstdDecompressSync(truncated))).toEqual(isZstdError('src_size_wrong'));
    expect(await caught(() => util.promisify(zstd.zstdDecompress)(truncated))).toEqual(isZstdError('src_size_wrong'));
    expect(await caught(() => zstd.promises.zstdDecompress(Buffer.from('not zstd')))).toEqual(isZstdError('prefix_unknown'));
    expect(caughtSync(() => zstd.zstdCompress('x', {}))).toEqual(nodeError(TypeError, 'ERR_INVALID_ARG_TYPE'));
    expect(caughtSync(() => zstd.zstdCompressSync(42))).toEqual(nodeError(TypeError, 'ERR_INVALID_ARG_TYPE'));
    expect(caughtSync(() => zstd.zstdCompressSync('x', { levle: 3 }))).toBeInstanceOf(TypeError); // a key neither node:zlib nor zstd-kit has
    expect(await caught(() => zstd.promises.zstdCompress('x', { chunkSize: 1 }))).toEqual(nodeError(RangeError, 'ERR_OUT_OF_RANGE'));
  });

  test('maxOutputLength: more output is a RangeError (ERR_BUFFER_TOO_LARGE), found without decoding it all', async () => {
    const frame = zstd.zstdCompressSync(data);
    expect(zstd.zstdDecompressSync(frame, { maxOutputLength: data.length }).length).toBe(data.length);
    const e = caughtSync(() => zstd.zstdDecompressSync(frame, { maxOutputLength: data.length - 1 }));
    expect(e).toEqual(nodeError(RangeError, 'ERR_BUFFER_TOO_LARGE'));
    expect(e.message).toMatch(/larger than/);
    expect(await caught(() => util.promisify(zstd.zstdDecompress)(frame, { maxOutputLength: 1000 }))).toEqual(
      nodeError(RangeError, 'ERR_BUFFER_TOO_LARGE'),
    );
    expect(caughtSync(() => zstd.zstdCompressSync(randomData(10000, 1), { maxOutputLength: 100 }))).toEqual(
      nodeError(RangeError, 'ERR_BUFFER_TOO_LARGE'),
    );
    expect(caughtSync(() => zstd.zstdDecompressSync(frame, { maxOutputLength: 0 }))).toEqual(nodeError(RangeError, 'ERR_OUT_OF_RANGE'));
    expect(caughtSync(() => zstd.zstdDecompressSync(frame, { maxOutputLength: '1' }))).toEqual(
      nodeError(TypeError, 'ERR_INVALID_ARG_TYPE'),
    );
  });

  test('info: { buffer, engine }, the engine a ZstdCompress / ZstdDecompress that took the input', async () => {
    const r = zstd.zstdCompressSync(data, { info: true });
    expect(Object.keys(r).sort()).toEqual(['buffer', 'engine']);
    expect(r.engine).toBeInstanceOf(zstd.ZstdCompress);
    expect(r.engine.bytesWritten).toBe(data.length);
    const back = await util.promisify(zstd.zstdDecompress)(r.buffer, { info: true });
    expect(back.engine).toBeInstanceOf(zstd.ZstdDecompress);
    expectSameBytes(back.buffer, data);
  });
});

describe('options as node:zlib documents them', () => {
  test('params: ZSTD_c_compressionLevel, checksumFlag, windowLog, strategy, contentSizeFlag, dictIDFlag, nbWorkers', () => {
    const part = data.subarray(0, 300000);
    const frame = zstd.zstdCompressSync(part, {
      params: {
        [C.ZSTD_c_compressionLevel]: 10,
        [C.ZSTD_c_checksumFlag]: 1,
        [C.ZSTD_c_windowLog]: 18,
        [C.ZSTD_c_strategy]: C.ZSTD_btultra,
      },
    });
    const p = zstd.getFrameParameters(frame);
    expect(p.hasChecksum).toBe(true);
    expect(p.windowSize).toBe(1 << 18);
    expectSameBytes(zstdCli(['-d', '-c'], frame), part);
    const bare = zstd.zstdCompressSync(data, { params: { [C.ZSTD_c_contentSizeFlag]: false, [C.ZSTD_c_checksumFlag]: true } });
    expect(zstd.getFrameParameters(bare)).toEqual(expect.objectContaining({ contentSize: -1, hasChecksum: true }));
    // Levels are clamped, as libzstd does (node:zlib hands them to it); 0 is the default.
    expectSameBytes(
      zstd.zstdDecompressSync(zstd.zstdCompressSync(data.subarray(0, 100000), { params: { [C.ZSTD_c_compressionLevel]: 99 } })),
      data.subarray(0, 100000),
    );
    expect(zstd.zstdCompressSync(data, { params: { [C.ZSTD_c_compressionLevel]: 0 } })).toEqual(zstd.zstdCompressSync(data));
    // String keys (as Object.keys gives them) and booleans, as node:zlib takes them.
    expect(zstd.getFrameParameters(zstd.zstdCompressSync('x', { params: { 201: true } })).hasChecksum).toBe(true);
    // Threads: 2 workers on 8 MiB, a valid frame.
    const big = concat(Array.from({ length: 6 }, (_, i) => textData(1400000, 40 + i)));
    expectSameBytes(zstdCli(['-d', '-c'], zstd.zstdCompressSync(big, { params: { [C.ZSTD_c_nbWorkers]: 2 } })), big);
  });

  test('params errors: an unknown key is ERR_ZSTD_INVALID_PARAM (RangeError), a non-number value ERR_INVALID_ARG_TYPE', () => {
    expect(caughtSync(() => zstd.zstdCompressSync('x', { params: { 5: 1 } }))).toEqual(nodeError(RangeError, 'ERR_ZSTD_INVALID_PARAM'));
    expect(caughtSync(() => zstd.zstdCompressSync('x', { params: { abc: 1 } }))).toEqual(nodeError(RangeError, 'ERR_ZSTD_INVALID_PARAM'));
    expect(caughtSync(() => zstd.zstdCompressSync('x', { params: { [C.ZSTD_c_compressionLevel]: '9' } }))).toEqual(
      nodeError(TypeError, 'ERR_INVALID_ARG_TYPE'),
    );
    // A compression parameter is no decompression parameter.
    expect(caughtSync(() => zstd.zstdDecompressSync(zstd.zstdCompressSync('x'), { params: { [C.ZSTD_c_checksumFlag]: 1 } }))).toEqual(
      nodeError(RangeError, 'ERR_ZSTD_INVALID_PARAM'),
    );
    expect(caughtSync(() => zstd.zstdCompressSync('x', { params: { [C.ZSTD_c_windowLog]: 99 } }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => zstd.zstdCompressSync('x', { params: 3 }))).toEqual(nodeError(TypeError, 'ERR_INVALID_ARG_TYPE'));
  });

  test('ZSTD_d_windowLogMax limits the window a frame may use', () => {
    const wide = zstdCli(['-c', '-q', '--long=23'], Buffer.from(data));
    expect(caughtSync(() => zstd.zstdDecompressSync(wide, { params: { [C.ZSTD_d_windowLogMax]: 20 } }))).toEqual(
      isZstdError('frame_parameter_window_too_large'),
    );
    expectSameBytes(zstd.zstdDecompressSync(wide, { params: { [C.ZSTD_d_windowLogMax]: 23 } }), data);
    expect(caughtSync(() => zstd.zstdDecompressSync(wide, { params: { [C.ZSTD_d_windowLogMax]: 5 } }))).toBeInstanceOf(RangeError);
  });

  test('pledgedSrcSize: written in the frame and checked (ZSTD_error_srcSize_wrong); a non-negative safe integer', async () => {
    const t = zstd.createZstdCompress({ pledgedSrcSize: data.length });
    const frame = concat(await through(t, [data.subarray(0, 1000), data.subarray(1000)]));
    expect(zstd.frameContentSize(frame)).toBe(data.length);
    expect(await caught(() => through(zstd.createZstdCompress({ pledgedSrcSize: 10 }), [data]))).toEqual(isZstdError('src_size_wrong'));
    expect(caughtSync(() => zstd.createZstdCompress({ pledgedSrcSize: -1 }))).toEqual(nodeError(RangeError, 'ERR_OUT_OF_RANGE'));
    expect(caughtSync(() => zstd.createZstdCompress({ pledgedSrcSize: 1.5 }))).toEqual(nodeError(RangeError, 'ERR_OUT_OF_RANGE'));
    expect(caughtSync(() => zstd.createZstdCompress({ pledgedSrcSize: '10' }))).toEqual(nodeError(TypeError, 'ERR_INVALID_ARG_TYPE'));
  });

  test('dictionary: raw content or a trained dictionary, as bytes or a ZstdCompressionDict; the zstd CLI reads the frames with -D', () => {
    const samples = Array.from({ length: 400 }, (_, i) => `{"id":${i},"user":"user${i % 37}","state":"active","tags":["a","b"]}`);
    const trained = zstd.trainDictionary(4096, samples);
    const bytes = Buffer.from(trained.asBytes());
    const doc = Buffer.from(samples[7]);
    const frame = zstd.zstdCompressSync(doc, { dictionary: bytes });
    expect(zstd.getFrameParameters(frame).dictId).toBe(trained.dictId());
    expect(zstd.zstdDecompressSync(frame, { dictionary: bytes })).toEqual(doc);
    expect(zstd.zstdDecompressSync(frame, { dictionary: trained })).toEqual(doc);
    expect(caughtSync(() => zstd.zstdDecompressSync(frame))).toEqual(isZstdError('dictionary_wrong'));
    const fs = require('node:fs');
    const path = require('node:path');
    const dictFile = path.join(require('node:os').tmpdir(), `zstd-kit-node-zlib-${process.pid}.dict`);
    fs.writeFileSync(dictFile, bytes);
    expect(Buffer.from(zstdCli(['-d', '-c', '-D', dictFile], frame))).toEqual(doc);
    fs.rmSync(dictFile);
    const raw = Buffer.from('the raw content dictionary: zstd kit frame block window');
    const small = zstd.zstdCompressSync('zstd kit frame block window', { dictionary: new Uint8Array(raw).buffer });
    expect(zstd.zstdDecompressSync(small, { dictionary: new DataView(raw.buffer, raw.byteOffset, raw.length) }).toString()).toBe(
      'zstd kit frame block window',
    );
    expect(caughtSync(() => zstd.zstdCompressSync('x', { dictionary: 'text' }))).toEqual(nodeError(TypeError, 'ERR_INVALID_ARG_TYPE'));
    trained.free();
  });

  test("zstd-kit's own keys work beside node:zlib's; unknown keys are a TypeError", () => {
    const frame = zstd.zstdCompressSync(data, { level: 19, writeChecksum: true, threads: 2 });
    expect(zstd.getFrameParameters(frame).hasChecksum).toBe(true);
    expectSameBytes(zstd.zstdDecompressSync(frame, { maxWindowSize: 1 << 23 }), data);
    const e = caughtSync(() => zstd.createZstdCompress({ chunksize: 1024 }));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/chunksize/);
  });
});

describe('createZstdCompress / createZstdDecompress with node:zlib options', () => {
  test("node:zlib's example: chunkSize 32 KiB, level 10 and a checksum; output chunks of at most chunkSize", async () => {
    const t = zstd.createZstdCompress({
      chunkSize: 32 * 1024,
      params: { [C.ZSTD_c_compressionLevel]: 10, [C.ZSTD_c_checksumFlag]: 1 },
    });
    expect(t).toBeInstanceOf(zstd.ZstdCompress);
    const out = await through(t, [data]);
    expect(Math.max(...out.map((c) => c.length))).toBeLessThanOrEqual(32 * 1024);
    const frame = concat(out);
    expect(zstd.getFrameParameters(frame).hasChecksum).toBe(true);
    expect(t.bytesWritten).toBe(data.length);
    const back = await through(zstd.createZstdDecompress({ chunkSize: 4096 }), [frame.subarray(0, 7), frame.subarray(7)]);
    expect(Math.max(...back.map((c) => c.length))).toBeLessThanOrEqual(4096);
    expectSameBytes(concat(back), data);
  });

  test('flush(): everything written so far comes out decodable; flush(ZSTD_e_end) ends a frame and the next write starts one', async () => {
    const t = zstd.createZstdCompress();
    const out = [];
    t.on('data', (c) => out.push(c));
    t.write(data.subarray(0, 200000));
    await new Promise((resolve) => t.flush(resolve));
    const d = new zstd.ZstdDecompressor();
    const dobj = d.decompressobj({ readAcrossFrames: true });
    expectSameBytes(dobj.decompress(concat(out)), data.subarray(0, 200000));
    t.write(data.subarray(200000, 300000));
    await new Promise((resolve) => t.flush(C.ZSTD_e_end, resolve));
    t.write(data.subarray(300000));
    await new Promise((resolve) => t.end(resolve));
    const all = concat(out);
    expectSameBytes(zstd.zstdDecompressSync(all), data);
    expectSameBytes(zstdCli(['-d', '-c'], all), data);
    dobj.free();
    d.free();
    expect(() => t.flush(7)).toThrow(RangeError);
  });

  test('flush option ZSTD_e_flush: each write is decodable at once; finishFlush ZSTD_e_flush leaves the frame open', async () => {
    const t = zstd.createZstdCompress({ flush: C.ZSTD_e_flush });
    const out = [];
    t.on('data', (c) => out.push(c));
    await new Promise((resolve) => t.write('each write ', resolve));
    expect(zstd.zstdDecompressSync(concat(out), { finishFlush: C.ZSTD_e_flush }).toString()).toBe('each write ');
    await new Promise((resolve) => t.end('is flushed', resolve));
    expect(zstd.zstdDecompressSync(concat(out)).toString()).toBe('each write is flushed');
    const open = zstd.zstdCompressSync(data, { finishFlush: C.ZSTD_e_flush });
    expect(caughtSync(() => zstd.zstdDecompressSync(open))).toEqual(isZstdError('src_size_wrong'));
    expectSameBytes(zstd.zstdDecompressSync(open, { finishFlush: C.ZSTD_e_flush }), data);
    expect(caughtSync(() => zstd.createZstdCompress({ flush: 3 }))).toEqual(nodeError(RangeError, 'ERR_OUT_OF_RANGE'));
  });

  test('finishFlush ZSTD_e_flush on decompression: a truncated stream gives what it holds, no error', async () => {
    const frame = zstd.zstdCompressSync(data);
    const part = frame.subarray(0, frame.length >> 1);
    const got = concat(await through(zstd.createZstdDecompress({ finishFlush: C.ZSTD_e_flush }), [part]));
    expect(got.length).toBeGreaterThan(0);
    expectSameBytes(got, data.subarray(0, got.length));
    expect(await caught(() => through(zstd.createZstdDecompress(), [part]))).toEqual(isZstdError('src_size_wrong'));
  });

  test('close(callback) releases the stream; Transform options (highWaterMark) pass through', async () => {
    const t = zstd.createZstdDecompress({ highWaterMark: 1024 });
    expect(t.readableHighWaterMark).toBe(1024);
    t.write(zstd.zstdCompressSync(data).subarray(0, 1000));
    await new Promise((resolve) => t.close(resolve));
    expect(t.destroyed).toBe(true);
  });
});
