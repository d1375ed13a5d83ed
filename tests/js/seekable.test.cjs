// Seekable .zst: writing (compressSeekable, seekableWriter, ZstdSeekableCompressionStream,
// createZstdSeekableCompress) and random access (openSeekable over bytes, Blobs, files, FileHandles
// and { size, read }): boundaries, the cache, one read per run of adjacent frames, corrupt tables
// and frames, and memory back where it was after every error.
const fs = require('node:fs');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { Readable, Writable } = require('node:stream');
const zstd = require('zstd-kit');
const { caught, caughtSync, collect, concat, expectSameBytes, textData, tmpDir, zstdCli } = require('./helpers.cjs');

beforeAll(() => zstd.init());
let dir;
beforeAll(() => {
  dir = tmpDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const FRAME = 100000;
const data = textData(1000003, 7);

// A { size, read } source over bytes that records each read.
function countingSource(bytes) {
  const reads = [];
  return {
    reads,
    size: bytes.length,
    read: async (offset, length) => {
      reads.push([offset, length]);
      return bytes.slice(offset, offset + length);
    },
  };
}

// Seek-table fields of a seekable file: { count, entrySize, entries (offset of the first entry) }.
function tableOf(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(bytes.length - 9, true);
  const entrySize = bytes[bytes.length - 5] & 0x80 ? 12 : 8;
  return { view, count, entrySize, entries: bytes.length - 9 - count * entrySize };
}

describe('compressSeekable', () => {
  test('frames of frameSize, a seek table, and zstd -d decodes it', async () => {
    for (const checksum of [true, false]) {
      const file = zstd.compressSeekable(data, { frameSize: FRAME, level: 5, checksum });
      const t = tableOf(file);
      expect(t.count).toBe(11);
      expect(t.entrySize).toBe(checksum ? 12 : 8);
      expectSameBytes(zstdCli(['-d', '-c'], file), data);
      const r = await zstd.openSeekable(file);
      expect(r.size).toBe(data.length);
      expect(r.compressedSize).toBe(file.length);
      expect(r.frameCount).toBe(11);
      expect(r.frame(0)).toEqual({
        compressedOffset: 0,
        compressedSize: expect.any(Number),
        decompressedOffset: 0,
        decompressedSize: FRAME,
      });
      expect(r.frame(10).decompressedSize).toBe(3);
      expect(r.frame(10).decompressedOffset).toBe(10 * FRAME);
      expectSameBytes(await r.read(0, data.length), data);
      await r.close();
    }
  });

  test('empty input, default options, and every input type', async () => {
    const empty = zstd.compressSeekable(new Uint8Array(0));
    expect(empty.length).toBe(17);
    const r = await zstd.openSeekable(empty);
    expect(r.size).toBe(0);
    expect(r.frameCount).toBe(0);
    expect((await r.read(0, 10)).length).toBe(0);
    await r.close();
    expect(zstdCli(['-d', '-c'], empty).length).toBe(0);
    const fromString = zstd.compressSeekable('hello seekable world');
    expect(Buffer.from(await (await zstd.openSeekable(fromString)).read(6, 8)).toString()).toBe('seekable');
    const r2 = await zstd.openSeekable(zstd.compressSeekable(data.buffer.slice(data.byteOffset, data.byteOffset + 5000)));
    expect(r2.frameCount).toBe(1); // default frameSize: 1 MiB
  });

  test('options are checked', () => {
    expect(caughtSync(() => zstd.compressSeekable(data, { frameSize: 0 }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => zstd.compressSeekable(data, { frameSize: 2 ** 31 + 1 }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => zstd.compressSeekable(data, { framesize: 10 }))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => zstd.compressSeekable(data, { level: 99 }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => zstd.compressSeekable(42))).toBeInstanceOf(TypeError);
    // Compressor options pass through: zstd checksums in every frame.
    const file = zstd.compressSeekable(data, { frameSize: FRAME, writeChecksum: true });
    expect(zstd.getFrameParameters(file).hasChecksum).toBe(true);
  });
});

describe('openSeekable: reads', () => {
  let file;
  beforeAll(() => {
    file = zstd.compressSeekable(data, { frameSize: FRAME });
  });

  test('boundaries: offset 0, the last byte, past the end, length 0', async () => {
    const r = await zstd.openSeekable(file);
    expectSameBytes(await r.read(0, 1), data.subarray(0, 1));
    expectSameBytes(await r.read(data.length - 1, 1), data.subarray(data.length - 1));
    expectSameBytes(await r.read(data.length - 5, 100), data.subarray(data.length - 5)); // clipped at size
    expect((await r.read(data.length, 10)).length).toBe(0);
    expect((await r.read(data.length + 1000, 10)).length).toBe(0);
    expect((await r.read(500, 0)).length).toBe(0);
    expectSameBytes(await r.read(FRAME - 1, 2), data.subarray(FRAME - 1, FRAME + 1)); // across a frame boundary
    expectSameBytes(await r.read(FRAME * 3), data.subarray(FRAME * 3)); // to the end
    expectSameBytes(await r.read(), data);
    expect(await caught(() => r.read(-1, 5))).toBeInstanceOf(RangeError);
    expect(await caught(() => r.read(0, -5))).toBeInstanceOf(RangeError);
    expect(await caught(() => r.read('0', 5))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => r.frame(11))).toBeInstanceOf(RangeError);
    await r.close();
    expect((await caught(() => r.read(0, 1))).code).toBe('freed');
  });

  test('random reads match, through every source type', async () => {
    const filePath = path.join(dir, 'random.zst');
    fs.writeFileSync(filePath, file);
    const handle = await fs.promises.open(filePath, 'r');
    const sources = {
      bytes: file,
      arrayBuffer: file.buffer.slice(file.byteOffset, file.byteOffset + file.length),
      blob: new Blob([file]),
      custom: countingSource(file),
      path: filePath,
      fileUrl: new URL(`file://${filePath}`),
      fileHandle: handle,
    };
    for (const [name, source] of Object.entries(sources)) {
      const r = await zstd.openSeekable(source, { cacheBytes: 2 * FRAME });
      let x = 12345;
      for (let k = 0; k < 25; k++) {
        x = (x * 1103515245 + 12345) >>> 0;
        const offset = x % data.length;
        const length = (x >>> 7) % 250000;
        const got = await r.read(offset, length);
        const want = data.subarray(offset, Math.min(data.length, offset + length));
        if (Buffer.compare(Buffer.from(got), Buffer.from(want)) !== 0) throw new Error(`${name}: read(${offset}, ${length}) differs`);
      }
      await r.close();
    }
    // A FileHandle passed in is left open for its owner.
    expect((await handle.stat()).size).toBe(file.length);
    await handle.close();
  });

  test('one source read per run of adjacent frames, none for cached frames', async () => {
    const source = countingSource(file);
    const r = await zstd.openSeekable(source, { cacheBytes: 3 * FRAME });
    expect(source.reads.length).toBe(1); // the tail: footer and seek table together
    expect(source.reads[0][0] + source.reads[0][1]).toBe(file.length);
    source.reads.length = 0;
    const f = (i) => r.frame(i);
    await r.read(FRAME * 2 + 10, FRAME * 2); // frames 2, 3, 4: one run
    expect(source.reads).toEqual([[f(2).compressedOffset, f(2).compressedSize + f(3).compressedSize + f(4).compressedSize]]);
    source.reads.length = 0;
    await r.read(FRAME * 3, FRAME); // frame 3: cached
    expect(source.reads).toEqual([]);
    await r.read(FRAME * 1 + 5, FRAME * 5); // frames 1..6: 1 is new, 2-4 cached, 5-6 new: two runs
    expect(source.reads).toEqual([
      [f(1).compressedOffset, f(1).compressedSize],
      [f(5).compressedOffset, f(5).compressedSize + f(6).compressedSize],
    ]);
    source.reads.length = 0;
    // The cache holds at most cacheBytes (three frames): frame 2 has been evicted by now.
    await r.read(FRAME * 2, 1);
    expect(source.reads).toEqual([[f(2).compressedOffset, f(2).compressedSize]]);
    // Concurrent reads of the same frame share one source read.
    source.reads.length = 0;
    await Promise.all([r.read(FRAME * 9, 10), r.read(FRAME * 9 + 100, 10), r.read(FRAME * 9 + 500, 10)]);
    expect(source.reads).toEqual([[f(9).compressedOffset, f(9).compressedSize]]);
    await r.close();
    // cacheBytes 0: nothing is kept.
    const s2 = countingSource(file);
    const r2 = await zstd.openSeekable(s2, { cacheBytes: 0 });
    await r2.read(0, 10);
    await r2.read(0, 10);
    expect(s2.reads.length).toBe(3);
    await r2.close();
  });

  test('stream(offset, length) yields the range', async () => {
    const r = await zstd.openSeekable(file);
    expectSameBytes(concat(await collect(r.stream())), data);
    expectSameBytes(concat(await collect(r.stream(FRAME * 2 + 77, FRAME * 4))), data.subarray(FRAME * 2 + 77, FRAME * 6 + 77));
    expect((await collect(r.stream(data.length, 5))).length).toBe(0);
    await r.close();
  });

  test('a large frame is a RangeError at open (maxFrameSize)', async () => {
    const big = zstd.compressSeekable(data, { frameSize: 600000 });
    expect(await caught(() => zstd.openSeekable(big, { maxFrameSize: 500000 }))).toBeInstanceOf(RangeError);
    const r = await zstd.openSeekable(big, { maxFrameSize: 600000 });
    await r.close();
    expect(await caught(() => zstd.openSeekable(big, { maxFrameSize: 0 }))).toBeInstanceOf(RangeError);
    expect(await caught(() => zstd.openSeekable(big, { cache: 1 }))).toBeInstanceOf(TypeError);
    expect(await caught(() => zstd.openSeekable(42))).toBeInstanceOf(TypeError);
    expect(await caught(() => zstd.openSeekable({ size: -1, read() {} }))).toBeInstanceOf(TypeError);
  });
});

describe('openSeekable: hostile input', () => {
  let file;
  beforeAll(() => {
    file = zstd.compressSeekable(data.subarray(0, 300000), { frameSize: FRAME });
  });
  const code = async (bytes, read = null) => {
    const e = await caught(async () => {
      const r = await zstd.openSeekable(bytes);
      try {
        if (read) await r.read(...read);
      } finally {
        await r.close();
      }
    });
    if (e === null) return 'ok';
    return e instanceof zstd.ZstdError ? e.code : String(e);
  };
  const edit = (fn) => {
    const b = Uint8Array.from(file);
    fn(b, tableOf(b));
    return b;
  };

  test('no or malformed seek table: seek_table_invalid from openSeekable itself', async () => {
    const before = zstd.memory.totalAllocatedBytes();
    const cases = {
      'plain frame': zstdCli(['-c'], data),
      empty: new Uint8Array(0),
      short: new Uint8Array(8),
      magic: edit((b) => (b[b.length - 1] ^= 1)),
      'reserved bits': edit((b) => (b[b.length - 5] |= 0x10)),
      'frame count': edit((b, t) => t.view.setUint32(b.length - 9, 4, true)),
      'huge frame count': edit((b, t) => t.view.setUint32(b.length - 9, 0x7ffffff, true)),
      'skippable size': edit((b, t) => t.view.setUint32(t.entries - 4, 5, true)),
      'skippable magic': edit((b, t) => t.view.setUint32(t.entries - 8, 0x184d2a50, true)),
      'sizes do not add up': edit((b, t) => t.view.setUint32(t.entries, t.view.getUint32(t.entries, true) + 1, true)),
      'impossible decompressed size': edit((b, t) => t.view.setUint32(t.entries + 4, 0xfffffff0, true)),
      truncated: file.subarray(0, file.length - 1),
      'bytes before': concat([new Uint8Array(3), file]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      expect([name, await code(bytes)]).toEqual([name, 'seek_table_invalid']);
    }
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
  });

  test('corrupt frames and checksums fail the read that touches them, and only that', async () => {
    const before = zstd.memory.totalAllocatedBytes();
    const garbled = edit((b) => {
      for (let i = 0; i < 12; i++) b[i] ^= 0xff; // frame 0's magic number and header
    });
    expect(await code(garbled, [0, 10])).not.toBe('ok');
    const r = await zstd.openSeekable(garbled);
    expectSameBytes(await r.read(FRAME, 1000), data.subarray(FRAME, FRAME + 1000)); // frame 1 is fine
    expect(await caught(() => r.read(5, 5))).toBeInstanceOf(zstd.ZstdError);
    await r.close();
    const wrongSum = edit((b, t) => t.view.setUint32(t.entries + 12 + 8, t.view.getUint32(t.entries + 20, true) ^ 1, true));
    expect(await code(wrongSum, [FRAME + 5, 10])).toBe('checksum_wrong');
    expect(await code(wrongSum, [5, 10])).toBe('ok'); // frame 0's checksum is right
    // Sizes that lie: frame 0's decompressed size one byte short (and frame 1's one longer).
    const lying = edit((b, t) => {
      t.view.setUint32(t.entries + 4, FRAME - 1, true);
      t.view.setUint32(t.entries + 16, FRAME + 1, true);
    });
    expect(await code(lying, [0, 10])).toBe('corruption_detected');
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
  });

  test('a source that returns short reads is an error', async () => {
    const src = { size: file.length, read: async (o, n) => file.slice(o, o + n - 1) };
    expect((await caught(() => zstd.openSeekable(src))).code).toBe('seekable_io');
  });
});

describe('writers', () => {
  test('seekableWriter(sink): frames of frameSize, flush(FLUSH_FRAME) ends one early, close() writes the table', async () => {
    const chunks = [];
    const c = new zstd.ZstdCompressor({ level: 3 });
    const w = c.seekableWriter({ write: (x) => chunks.push(x) }, { frameSize: 50000 });
    w.write(data.subarray(0, 120000));
    w.flush(zstd.FLUSH_FRAME);
    w.write(data.subarray(120000, 130000));
    w.flush(zstd.FLUSH_BLOCK);
    w.write(data.subarray(130000));
    await w.close();
    const file = concat(chunks);
    const r = await zstd.openSeekable(file);
    expect(r.frame(0).decompressedSize).toBe(50000);
    expect(r.frame(2).decompressedSize).toBe(20000); // ended by flush(FLUSH_FRAME)
    expect(r.frame(3).decompressedSize).toBe(50000); // FLUSH_BLOCK did not end the frame
    expectSameBytes(await r.read(), data);
    expectSameBytes(zstdCli(['-d', '-c'], file), data);
    await r.close();
    expect(caughtSync(() => w.write('more'))).toBeInstanceOf(zstd.ZstdError);
    c.free();
  });

  test('seekableWriter into a Node Writable, with an async sink', async () => {
    const parts = [];
    const sink = new Writable({
      write(chunk, _e, cb) {
        parts.push(chunk);
        setTimeout(cb, 1);
      },
    });
    const c = new zstd.ZstdCompressor();
    const w = c.seekableWriter(sink, { frameSize: 65536, checksum: false });
    for (let at = 0; at < data.length; at += 30000) await w.write(data.subarray(at, at + 30000));
    await w.close();
    const r = await zstd.openSeekable(concat(parts));
    expect(r.frameCount).toBe(Math.ceil(data.length / 65536));
    expectSameBytes(await r.read(), data);
    await r.close();
    expect(caughtSync(() => c.seekableWriter({ write() {} }, { frameSize: -1 }))).toBeInstanceOf(RangeError);
    expect(caughtSync(() => c.seekableWriter({ write() {} }, { level: 3 }))).toBeInstanceOf(TypeError);
    c.free();
  });

  test('ZstdSeekableCompressionStream: bounded memory, a seekable file out', async () => {
    const before = zstd.memory.totalAllocatedBytes();
    const input = new Blob([data]).stream();
    const out = await collect(input.pipeThrough(new zstd.ZstdSeekableCompressionStream({ frameSize: 70000, level: 1 })));
    const file = concat(out);
    const r = await zstd.openSeekable(file);
    expect(r.frameCount).toBe(Math.ceil(data.length / 70000));
    expectSameBytes(await r.read(123456, 200000), data.subarray(123456, 323456));
    await r.close();
    expectSameBytes(zstdCli(['-d', '-c'], file), data);
    expect(zstd.memory.totalAllocatedBytes()).toBe(before);
    expect(caughtSync(() => new zstd.ZstdSeekableCompressionStream({ frameSize: 'big' }))).toBeInstanceOf(TypeError);
  });

  test('createZstdSeekableCompress (zstd-kit/node) in a pipeline', async () => {
    const node = require('zstd-kit/node');
    const target = path.join(dir, 'piped.zst');
    await pipeline(
      Readable.from([data.subarray(0, 500000), data.subarray(500000)]),
      node.createZstdSeekableCompress({ frameSize: FRAME }),
      fs.createWriteStream(target),
    );
    const r = await zstd.openSeekable(target);
    expect(r.frameCount).toBe(11);
    expectSameBytes(await r.read(999000, 5000), data.subarray(999000));
    await r.close();
    expectSameBytes(zstdCli(['-d', '-c', target]), data);
  });
});
