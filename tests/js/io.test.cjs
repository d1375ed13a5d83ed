// I/O objects (pyarrow's memory and IO interfaces, translated) and python-zstandard's readers
// and open(): BufferReader, BufferOutputStream, CompressedInputStream, CompressedOutputStream,
// inputStream(), outputStream(), c.streamReader(), d.streamReader(), open().
const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');
const zstd = require('zstd-kit');
const { textData, randomData, tmpDir, zstdCli, expectSameBytes, concat, caught } = require('./helpers.cjs');

const mem = () => zstd.memory.totalAllocatedBytes();
const text = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.length).toString();
const openFds = () => fs.readdirSync('/proc/self/fd').length;
const isZstdError = (code) => expect.objectContaining({ name: 'ZstdError', code });

let baseline;
let dir;
let data;
let frame;
beforeAll(async () => {
  await zstd.init();
  dir = tmpDir();
  data = concat([textData(700000, 3), randomData(100000, 4), textData(300000, 5)]);
  const c = new zstd.ZstdCompressor({ writeChecksum: true });
  frame = c.compress(data);
  c.free();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  baseline = mem();
});
afterEach(() => {
  expect(mem()).toBe(baseline); // every test gives its wasm memory back
});

describe('BufferReader and BufferOutputStream (pyarrow)', () => {
  test("pyarrow's example: write, getValue, then seek and read", () => {
    const writer = new zstd.BufferOutputStream();
    expect(writer.write('hello, friends')).toBe(14);
    const buf = writer.getValue();
    expect(buf.length).toBe(14);
    const reader = new zstd.BufferReader(buf);
    expect(reader.size).toBe(14);
    expect(reader.seek(7)).toBe(7);
    expect(text(reader.read(7))).toBe('friends');
    expect(reader.tell()).toBe(14);
    expect(reader.read(5).length).toBe(0); // at the end: empty
  });

  test('reads are views of the bytes (zero-copy); seek from the start, here and the end', () => {
    const bytes = textData(1000, 1);
    const reader = new zstd.BufferReader(bytes);
    const piece = reader.read(100);
    expect(piece.buffer).toBe(bytes.buffer);
    expect(piece.byteOffset).toBe(bytes.byteOffset);
    expect(reader.seek(-10, 1)).toBe(90);
    expect(reader.seek(-1, 2)).toBe(999);
    expect(reader.read().length).toBe(1);
    expect(reader.seek(0)).toBe(0);
    expect(reader.read().length).toBe(1000);
    expect(() => reader.seek(1001)).toThrow(RangeError);
    expect(() => reader.seek(-1)).toThrow(RangeError);
    expect(() => reader.seek(0, 3)).toThrow(RangeError);
    expect(() => reader.read('x')).toThrow(TypeError);
    expect(() => new zstd.BufferReader(42)).toThrow(TypeError);
    reader.close();
    expect(reader.closed).toBe(true);
    expect(() => reader.read(1)).toThrow(isZstdError('invalid_state'));
    // Every data input, and a WasmBuffer (copied out once).
    const wb = zstd.allocBuffer(4);
    wb.view().set([1, 2, 3, 4]);
    expect([...new zstd.BufferReader(wb).read()]).toEqual([1, 2, 3, 4]);
    wb.free();
    expect(text(new zstd.BufferReader(new TextEncoder().encode('abc').buffer).read())).toBe('abc');
    expect(text(new zstd.BufferReader('déjà').read())).toBe('déjà');
  });

  test('BufferOutputStream grows, tells, and keeps its value after close; getValue is not changed by later writes', () => {
    const out = new zstd.BufferOutputStream();
    const parts = [textData(100, 1), randomData(70000, 2), Buffer.from('tail')];
    for (const p of parts) out.write(p);
    expect(out.tell()).toBe(70104);
    const first = out.getValue();
    out.write('more');
    expectSameBytes(first, concat(parts));
    expect(text(out.getValue().subarray(-8))).toBe('tailmore');
    out.close();
    expect(out.getValue().length).toBe(70108);
    expect(() => out.write('x')).toThrow(isZstdError('invalid_state'));
    expect(() => out.write(12)).toThrow(); // closed first; a bad type on an open one:
    expect(() => new zstd.BufferOutputStream().write(12)).toThrow(TypeError);
  });
});

describe('CompressedOutputStream and CompressedInputStream (pyarrow)', () => {
  test('into a BufferOutputStream and back out of a BufferReader; the zstd CLI agrees', async () => {
    const sink = new zstd.BufferOutputStream();
    const out = new zstd.CompressedOutputStream(sink, { level: 9, writeChecksum: true });
    for (let at = 0; at < data.length; at += 300000)
      expect(await out.write(data.subarray(at, at + 300000))).toBe(Math.min(300000, data.length - at));
    expect(out.tell()).toBe(data.length);
    await out.close();
    expect(out.closed).toBe(true);
    expect(sink.closed).toBe(true); // closeSink defaults to true
    const compressed = sink.getValue();
    expect(out.bytesWritten).toBe(compressed.length);
    expect(zstd.getFrameParameters(compressed).hasChecksum).toBe(true);
    expectSameBytes(zstdCli(['-d', '-c'], compressed), data);
    const input = new zstd.CompressedInputStream(new zstd.BufferReader(compressed));
    expectSameBytes(await input.readAll(), data);
    expect((await input.read(10)).length).toBe(0);
  });

  test('read(n) gives exactly n bytes until the end; readInto, tell and forward seek; every kind of source', async () => {
    const sources = [
      frame,
      new Blob([frame]),
      new Blob([frame]).stream(),
      Readable.from([frame.subarray(0, 1000), frame.subarray(1000)]),
      (async function* () {
        for (let at = 0; at < frame.length; at += 4099) yield frame.subarray(at, at + 4099);
      })(),
    ];
    for (const source of sources) {
      const s = new zstd.CompressedInputStream(source, { readSize: 8192 });
      expectSameBytes(await s.read(100001), data.subarray(0, 100001));
      const into = new Uint8Array(5000);
      expect(await s.readInto(into)).toBe(5000);
      expectSameBytes(into, data.subarray(100001, 105001));
      expect(s.tell()).toBe(105001);
      expect(await s.seek(600000)).toBe(600000);
      expect(await caught(() => s.seek(10))).toBeInstanceOf(RangeError);
      expectSameBytes(await s.read(data.length), data.subarray(600000));
      expect((await s.read(1)).length).toBe(0);
      expect(await s.readInto(into)).toBe(0);
      await s.close();
    }
  });

  test('flush() makes everything so far decodable; concatenated frames read as one stream', async () => {
    const sink = new zstd.BufferOutputStream();
    const out = new zstd.CompressedOutputStream(sink, { closeSink: false });
    await out.write('first part, ');
    await out.flush();
    const d = new zstd.ZstdDecompressor();
    const dobj = d.decompressobj();
    expect(text(dobj.decompress(sink.getValue()))).toBe('first part, ');
    dobj.free();
    d.free();
    await out.write('second part');
    await out.close();
    expect(sink.closed).toBe(false);
    const two = concat([sink.getValue(), frame]);
    expectSameBytes(await new zstd.CompressedInputStream(two).readAll(), concat([Buffer.from('first part, second part'), data]));
    const first = new zstd.CompressedInputStream(two, { readAcrossFrames: false });
    expect(text(await first.readAll())).toBe('first part, second part');
  });

  test('truncated and corrupt input are ZstdErrors, thrown again by later reads; the memory goes at once', async () => {
    const truncated = new zstd.CompressedInputStream(frame.subarray(0, frame.length - 10));
    expect(await caught(() => truncated.readAll())).toEqual(isZstdError('src_size_wrong'));
    expect(mem()).toBe(baseline);
    expect(await caught(() => truncated.read(1))).toEqual(isZstdError('src_size_wrong'));
    const bad = frame.slice();
    bad[bad.length - 2] ^= 0xff; // the checksum
    expect(await caught(() => new zstd.CompressedInputStream(bad).readAll())).toEqual(isZstdError('checksum_wrong'));
    expect(await caught(() => new zstd.CompressedInputStream('not zstd at all').read(5))).toEqual(isZstdError('prefix_unknown'));
    expect(() => new zstd.CompressedInputStream(frame, { levle: 3 })).toThrow(TypeError);
    expect(() => new zstd.CompressedOutputStream(new zstd.BufferOutputStream(), { level: 99 })).toThrow(RangeError);
    expect(() => new zstd.CompressedOutputStream(42)).toThrow(TypeError);
  });

  test('memory stays flat: 96 MiB through CompressedOutputStream into a counting sink', async () => {
    let compressed = 0;
    const out = new zstd.CompressedOutputStream({ write: async (u8) => void (compressed += u8.length) });
    const piece = textData(1 << 20, 9);
    let heapAfterFirst;
    for (let i = 0; i < 96; i++) {
      piece[0] = i;
      await out.write(piece);
      if (i === 8) heapAfterFirst = zstd.memory.heapSize();
    }
    await out.close();
    expect(zstd.memory.heapSize()).toBe(heapAfterFirst);
    expect(compressed).toBeGreaterThan(0);
  });
});

describe("python-zstandard's stream_reader: c.streamReader() and d.streamReader()", () => {
  test('the compressing reader reads a frame the zstd CLI decodes, in any read sizes; size is written', async () => {
    const c = new zstd.ZstdCompressor({ level: 5 });
    const r = c.streamReader(Readable.from([data.subarray(0, 500000), data.subarray(500000)]), { size: data.length, readSize: 65536 });
    const parts = [await r.read(1), await r.read(1000), await r.read(70000)];
    parts.push(await r.readAll());
    const compressed = concat(parts);
    expect(r.tell()).toBe(compressed.length);
    expect(zstd.frameContentSize(compressed)).toBe(data.length);
    expectSameBytes(zstdCli(['-d', '-c'], compressed), data);
    const wrong = c.streamReader(data, { size: 10 });
    expect(await caught(() => wrong.readAll())).toEqual(isZstdError('src_size_wrong'));
    c.free();
  });

  test('the decompressing reader: read, readInto, readAll, tell, forward seek, async iteration; queued reads keep order', async () => {
    const d = new zstd.ZstdDecompressor();
    const r = d.streamReader(frame, { readSize: 1000 });
    const [a, b, c] = await Promise.all([r.read(3), r.read(4), r.read(5)]);
    expectSameBytes(concat([a, b, c]), data.subarray(0, 12));
    expect(r.tell()).toBe(12);
    expect(await r.seek(12)).toBe(12);
    expect(await caught(() => r.seek(11))).toBeInstanceOf(RangeError);
    expect(await r.seek(1000000)).toBe(1000000);
    const rest = [];
    for await (const chunk of r) rest.push(chunk);
    expectSameBytes(concat(rest), data.subarray(1000000));
    expect(await r.seek(data.length + 100)).toBe(data.length); // past the end: stops there
    await r.close();
    expect(r.closed).toBe(true);
    expect(await caught(() => r.read(1))).toEqual(isZstdError('invalid_state'));
    expect(() => r.read('1')).toThrow(TypeError);
    expect(() => r.readInto([1, 2])).toThrow(TypeError);
    expect(() => d.streamReader(frame, { writeSize: 5 })).toThrow(TypeError);
    d.free();
  });

  test('closing a reader early, or before it read anything, releases its memory at once', async () => {
    const d = new zstd.ZstdDecompressor();
    const c = new zstd.ZstdCompressor();
    const before = mem();
    const r1 = d.streamReader(frame);
    const r2 = c.streamReader(data);
    expect(mem()).toBeGreaterThan(before);
    await r1.close();
    await r2.close();
    expect(mem()).toBe(before);
    const r3 = d.streamReader(frame);
    await r3.read(10);
    await r3.close();
    await r3.close(); // again: nothing
    expect(mem()).toBe(before);
    c.free();
    d.free();
  });
});

describe('inputStream() and outputStream() (pyarrow), Node paths', () => {
  test("pyarrow's examples: bytes read raw; a '.zst' path decompressed on the fly; output_stream to a path", async () => {
    const s = await zstd.inputStream(Buffer.from('some data'));
    expect(text(await s.read(4))).toBe('some');
    const zst = path.join(dir, 'example.zst');
    fs.writeFileSync(zst, zstdCli(['-c', '-q'], Buffer.from('some data\n'.repeat(3))));
    expect(text(await (await zstd.inputStream(zst)).readAll())).toBe('some data\n'.repeat(3));
    const plain = path.join(dir, 'example1.dat');
    const out = await zstd.outputStream(plain);
    await out.write('some data');
    await out.close();
    expect(fs.readFileSync(plain, 'utf8')).toBe('some data');
  });

  test("compression: 'detect' by name, 'zstd' always, null never; File names are detected too", async () => {
    const zst = path.join(dir, 'big.zst');
    const out = await zstd.outputStream(zst, { level: 7 });
    expect(out).toBeInstanceOf(zstd.CompressedOutputStream);
    await out.write(data);
    await out.close();
    expectSameBytes(zstdCli(['-d', '-c', zst]), data);
    expectSameBytes(await (await zstd.inputStream(zst)).readAll(), data);
    expectSameBytes(await (await zstd.inputStream(zst, { compression: null })).readAll(), fs.readFileSync(zst));
    const renamed = path.join(dir, 'big.bin');
    fs.copyFileSync(zst, renamed);
    expectSameBytes(await (await zstd.inputStream(renamed, { compression: 'zstd' })).readAll(), data);
    expectSameBytes(await (await zstd.inputStream(new File([frame], 'x.zst'))).readAll(), data);
    expectSameBytes(await (await zstd.inputStream(new File([frame], 'x.bin'))).readAll(), frame);
    expectSameBytes(await (await zstd.inputStream(Readable.from([frame]), { compression: 'zstd' })).readAll(), data);
    const sink = new zstd.BufferOutputStream();
    const raw = await zstd.outputStream(sink);
    await raw.write('raw bytes');
    await raw.close();
    expect(text(sink.getValue())).toBe('raw bytes');
    const compressing = await zstd.outputStream(new zstd.BufferOutputStream(), { compression: 'zstd' });
    expect(compressing).toBeInstanceOf(zstd.CompressedOutputStream);
    await compressing.close();
    expect(await caught(() => zstd.inputStream(zst, { compression: 'gzip' }))).toBeInstanceOf(RangeError);
    expect(await caught(() => zstd.outputStream(zst, { levle: 1 }))).toBeInstanceOf(TypeError);
  });

  test('a missing file rejects the call; files are closed at the end, on errors and on close()', async () => {
    expect(await caught(() => zstd.inputStream(path.join(dir, 'missing.zst')))).toEqual(expect.objectContaining({ code: 'ENOENT' }));
    const zst = path.join(dir, 'fds.zst');
    fs.writeFileSync(zst, frame);
    const bad = path.join(dir, 'bad.zst');
    fs.writeFileSync(bad, frame.subarray(0, 5000));
    const fds = openFds();
    await (await zstd.inputStream(zst)).readAll();
    const early = await zstd.inputStream(zst);
    await early.read(10);
    await early.close();
    await (await zstd.inputStream(zst)).close(); // never read
    expect(await caught(async () => (await zstd.inputStream(bad)).readAll())).toEqual(isZstdError('src_size_wrong'));
    expect(await caught(async () => (await zstd.open(bad)).readAll())).toEqual(isZstdError('src_size_wrong'));
    const reader = await zstd.open(zst);
    await reader.read(5);
    await reader.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(openFds()).toBe(fds);
  });
});

describe("python-zstandard's open()", () => {
  test("'w' then 'r'; 'a' appends a frame; the zstd CLI reads the file", async () => {
    const file = path.join(dir, 'open.zst');
    const w = await zstd.open(file, { mode: 'w', level: 19 });
    await w.write(data.subarray(0, 500000));
    await w.close();
    const a = await zstd.open(file, { mode: 'a' });
    await a.write(data.subarray(500000));
    await a.close();
    expectSameBytes(zstdCli(['-d', '-c', file]), data);
    const r = await zstd.open(new URL(`file://${file}`));
    expectSameBytes(await r.readAll(), data);
    expect(await caught(() => zstd.open(file, { mode: 'x' }))).toBeInstanceOf(RangeError);
    expect(await caught(() => zstd.open(file, { mode: 'w', levle: 3 }))).toBeInstanceOf(TypeError);
  });

  test('text mode: strings in and out, characters split across chunks, lines', async () => {
    const file = path.join(dir, 'text.zst');
    const lines = Array.from({ length: 5000 }, (_, i) => `ligne ${i}: déjà vu, 東京, 🎉\n`);
    const w = await zstd.open(file, { mode: 'w', encoding: 'utf-8' });
    for (const line of lines) await w.write(line);
    await w.close();
    const all = lines.join('');
    expect(fs.readFileSync(file).length).toBeLessThan(Buffer.byteLength(all));
    const r = await zstd.open(file, { encoding: 'utf-8' });
    expect(await r.readLine()).toBe(lines[0]);
    expect(await r.read(7)).toBe(lines[1].slice(0, 7));
    expect(await r.readLine()).toBe(lines[1].slice(7));
    let n = 2;
    for await (const line of r) expect(line).toBe(lines[n++]);
    expect(n).toBe(lines.length);
    expect(await r.readAll()).toBe('');
    await r.close();
    const r2 = await zstd.open(file, { encoding: 'utf8' });
    expect(await r2.readAll()).toBe(all);
    // Refused before the file is opened (so not truncated) or any memory is taken.
    expect(await caught(() => zstd.open(file, { mode: 'w', encoding: 'latin1' }))).toBeInstanceOf(RangeError);
    expect(await caught(() => zstd.open(file, { encoding: 'no-such-encoding' }))).toBeInstanceOf(RangeError);
    const latin = await zstd.open(file, { encoding: 'latin1' }); // reading takes any encoding TextDecoder knows
    expect((await latin.readLine()).length).toBe(Buffer.byteLength(lines[0])); // one character per byte
    await latin.close();
  });

  test('Blobs and Files are read-only; sources and sinks work as files do', async () => {
    const blob = new Blob([frame]);
    expectSameBytes(await (await zstd.open(blob)).readAll(), data);
    const t = await zstd.open(new File([frame], 'f.zst'), { mode: 'r', encoding: 'utf-8' });
    expect(await t.read(5)).toBe(text(data.subarray(0, 5)));
    await t.close();
    expect(await caught(() => zstd.open(blob, { mode: 'w' }))).toBeInstanceOf(TypeError);
    const sink = new zstd.BufferOutputStream();
    const w = await zstd.open(sink, { mode: 'w' });
    await w.write('into a sink');
    await w.close();
    expect(text(await (await zstd.open(sink.getValue())).readAll())).toBe('into a sink');
  });
});
