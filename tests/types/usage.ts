// Compiled with `tsc --noEmit` by the test run: the .d.ts must describe the real API.
import * as zstd from 'zstd-kit';
import { ZstdCompressor as NodeCompressor, createZstdCompress, createZstdDecompress, createZstdSeekableCompress } from 'zstd-kit/node';
import * as zlibShapes from 'zstd-kit/node';

async function main(): Promise<void> {
  const ns = await zstd.init({ threads: false });
  const pooled: typeof zstd = await zstd.init({ maxThreads: 2 }); // the pool size of the threaded build
  const f: zstd.Features = ns.features;
  const c = new zstd.ZstdCompressor({ level: -5, writeChecksum: true, writeContentSize: true, writeDictId: false, threads: -1 });
  const frame: Uint8Array = c.compress('text');
  const inBuf: zstd.WasmBuffer = zstd.allocBuffer(10);
  const frameBuf: zstd.WasmBuffer = c.compressToBuffer(inBuf.slice(0, 5).resize(5));
  const d = new zstd.ZstdDecompressor({ maxWindowSize: 1 << 20, format: 'zstd1' });
  const out: Uint8Array = d.decompress(frame, { maxOutputSize: 100, readAcrossFrames: true });
  const outBuf = d.decompressToBuffer(frameBuf.view());
  const p: zstd.FrameParameters = zstd.getFrameParameters(frame);
  const n: number = zstd.frameContentSize(frame) + zstd.frameHeaderSize(frame) + zstd.estimateDecompressionContextSize();
  const m: number = zstd.memory.totalAllocatedBytes() + zstd.memory.peakAllocatedBytes() + zstd.memory.heapSize();
  const e = new zstd.ZstdError('corruption_detected');
  const code: string = e.code;
  const bound: number = zstd.compressBound(100);
  const sizes: number = c.memorySize() + d.memorySize() + c.level + c.threads + zstd.MAX_COMPRESSION_LEVEL;
  const bws = new zstd.BufferWithSegments('abcdef', BigUint64Array.of(0n, 3n, 3n, 3n));
  const seg: zstd.BufferSegment = bws.get(0);
  const segs: zstd.BufferSegments = bws.segments();
  const table: BigUint64Array = segs.toBigUint64Array();
  const first: { offset: number; length: number } = segs.get(0);
  const coll = new zstd.BufferWithSegmentsCollection(bws, bws);
  const frames: zstd.BufferWithSegmentsCollection = c.multiCompressToBuffer(['a', frame, bws.at(-1)], { threads: 2 });
  const async: zstd.BufferWithSegmentsCollection = await c.multiCompressToBufferAsync(coll);
  const back = d.multiDecompressToBuffer(frames, { decompressedSizes: BigUint64Array.of(1n, 4n, 3n), threads: -1 });
  const back2 = await d.multiDecompressToBufferAsync(bws, { decompressedSizes: [3, 3] });
  const last: Uint8Array = d.decompressContentDictChain([frame]);
  for (const s of back) void (s.view().length + s.offset + s.length + back.size() + back.bufferCount + bws.size);
  void [seg.toBytes(), table, first, last, async, back2, [...segs]];
  for (const o of [bws, seg, coll, frames, async, back, back2]) o.free();
  const co = c.compressobj({ size: 4 });
  const piece: Uint8Array = co.compress('data');
  const end: Uint8Array = co.flush(zstd.FLUSH_BLOCK);
  const dobj = d.decompressobj({ readAcrossFrames: false });
  const dec: Uint8Array = dobj.decompress(frame);
  const eof: boolean = dobj.eof && dobj.unusedData.length === 0;
  const chunks: Uint8Array[] = [...c.chunker({ chunkSize: 1024 }).compress('x'), ...c.chunker().finish()];
  for await (const chunk of c.readToIter(new Blob(['x']).stream(), { readSize: 10, writeSize: 100 })) void chunk.length;
  for await (const chunk of d.readToIter([frame], { skipBytes: 0 })) void chunk.length;
  const writer = c.streamWriter({ write: async (u8: Uint8Array) => void u8 }, { closeSink: false });
  const handed: number | Promise<number> = writer.write('abc');
  await writer.close();
  const counts = await d.copyStream(frame, new WritableStream<Uint8Array>());
  const web: ReadableStream<Uint8Array> = new Blob(['x'])
    .stream()
    .pipeThrough(new zstd.ZstdCompressionStream({ level: 5 }))
    .pipeThrough(new zstd.ZstdDecompressionStream({ maxWindowSize: 1 << 20 }));
  const progress: number = c.frameProgression().ingested;
  const t1 = createZstdCompress({ level: 1 });
  const t2 = createZstdDecompress();
  const released: boolean = co.freed || dobj.freed || writer.freed;
  const failing = c.streamWriter(new WritableStream<Uint8Array>());
  failing.abort(new Error('gave up'));
  void [piece, end, dec, eof, chunks, handed, counts.bytesRead, web, progress, t1, t2, released];
  const dict: zstd.ZstdCompressionDict = zstd.trainDictionary(4096, ['a', 'b'], { k: 64, d: 8, level: 3, dictId: 7, threads: 2 });
  const raw = new zstd.ZstdCompressionDict('content', { dictType: 'rawContent' }).precompute({ level: 5 });
  const id: number = dict.dictId() + dict.length + raw.asBytes().length + raw.memorySize();
  const params = zstd.ZstdCompressionParameters.fromLevel(19, { sourceSize: 1000, dictSize: 100 });
  const custom = new zstd.ZstdCompressionParameters({ windowLog: 20, enableLdm: true, strategy: zstd.STRATEGY_BTULTRA2 });
  const est: number = params.estimatedCompressionContextSize() + (custom.windowLog ?? 0);
  const dc = new zstd.ZstdCompressor({ dictData: dict, compressionParams: custom });
  const dd = new zstd.ZstdDecompressor({ dictData: dict });
  void [id, est, dc, dd];
  const nc = new NodeCompressor();
  for (const o of [c, d, inBuf, frameBuf, outBuf, nc]) {
    if (!o.freed) o[Symbol.dispose]();
  }
  void [f, out, p, n, m, code, bound, sizes, zstd.FLUSH_FRAME, zstd.ZSTD_VERSION[0], zstd.FRAME_HEADER];
}
void main;

// The other direction: what the API refuses must not type-check either (each line below must be
// an error, or tsc fails on the unused @ts-expect-error).
async function refused(c: zstd.ZstdCompressor, d: zstd.ZstdDecompressor, frame: Uint8Array): Promise<void> {
  // @ts-expect-error an unknown option (a TypeError at run time too)
  new zstd.ZstdCompressor({ levle: 9 });
  // @ts-expect-error level is a number
  new zstd.ZstdCompressor({ level: 'high' });
  // @ts-expect-error a compressor option is not a decompressor option
  new zstd.ZstdDecompressor({ level: 3 });
  // @ts-expect-error format is 'zstd1' | 'magicless' | FORMAT_ZSTD1 | FORMAT_ZSTD1_MAGICLESS
  new zstd.ZstdDecompressor({ format: 'gzip' });
  // @ts-expect-error dictData is a ZstdCompressionDict, not its bytes
  new zstd.ZstdDecompressor({ dictData: new Uint8Array(8) });
  // @ts-expect-error results are Uint8Arrays
  const text: string = d.decompress(frame);
  // @ts-expect-error a decompressor does not compress
  d.compress(frame);
  // @ts-expect-error numbers are not data
  c.compress(42);
  // @ts-expect-error flush modes are FLUSH_BLOCK or FLUSH_FRAME
  c.compressobj().flush(3);
  const one: Uint8Array = zstd.decompress(zstd.compress('text', 19), { maxOutputSize: 10, maxWindowSize: 1 << 20 });
  const oneAsync: Uint8Array = await zstd.decompressAsync(await zstd.compressAsync(one, { level: 3, threads: 2 }));
  const methodsAsync: Uint8Array = await d.decompressAsync(await c.compressAsync(oneAsync), { readAcrossFrames: true });
  void methodsAsync;
  // @ts-expect-error the one-liner reads every frame: no readAcrossFrames
  zstd.decompress(one, { readAcrossFrames: false });
  // @ts-expect-error decompressedSizes, not sizes
  d.multiDecompressToBuffer([frame], { sizes: [1] });
  // @ts-expect-error close() is a promise
  const closed: void = c.streamWriter({ write() {} }).close();
  // @ts-expect-error WasmBuffer has no public constructor: allocBuffer() makes one
  new zstd.WasmBuffer();
  // @ts-expect-error trainDictionary needs samples
  zstd.trainDictionary(4096);
  // @ts-expect-error switches are booleans
  new zstd.ZstdCompressionParameters({ enableLdm: 'yes' });
  // @ts-expect-error getters are read-only
  new zstd.ZstdCompressionParameters().windowLog = 20;
  // @ts-expect-error the dictionary type is one of three names
  new zstd.ZstdCompressionDict('x', { dictType: 'raw' });
  // @ts-expect-error createZstdDecompress takes decompressor options
  createZstdDecompress({ level: 1 });
  void [text, closed];

  // Random access.
  const seekable: Uint8Array = zstd.compressSeekable('data', { frameSize: 1 << 16, checksum: false, level: 9, threads: 2 });
  const sw: zstd.ZstdStreamWriter = c.seekableWriter({ write() {} }, { frameSize: 4096, checksum: true, closeSink: false });
  const sts: TransformStream<any, Uint8Array> = new zstd.ZstdSeekableCompressionStream({ frameSize: 4096 });
  const sns = createZstdSeekableCompress({ frameSize: 1 << 20, level: 3 });
  const reader: zstd.ZstdSeekableReader = await zstd.openSeekable(seekable, { cacheBytes: 1 << 20, maxFrameSize: 1 << 24 });
  for (const source of [
    new Blob([new Uint8Array(seekable)]),
    'https://example.com/x.zst',
    new URL('file:///x.zst'),
    { size: 3, read: async () => new Uint8Array(3) },
  ]) {
    await zstd.openSeekable(source);
  }
  const piece: Uint8Array = await reader.read(0, 10);
  const sf: zstd.SeekableFrame = reader.frame(0);
  const rs: ReadableStream<Uint8Array> = reader.stream(5);
  const rn: number = reader.size + reader.compressedSize + reader.frameCount + sf.decompressedSize;
  await reader.close();
  const sc = new zstd.SChunk({ chunkSize: 800, typesize: 4, level: 1, data: new Int32Array(400) });
  const sn: number = sc.nchunks + sc.nitems + sc.nbytes + sc.cbytes + sc.chunkSize + sc.typesize;
  const slice: Uint8Array = sc.append(new Int32Array(5)).getSlice(0, 10, new Int32Array(10));
  sc.setSlice(3, new Int32Array(2)).insertChunk(0, new Int32Array(4)).deleteChunk(1);
  const chunk: Uint8Array = sc.decompressChunk(0, zstd.allocBuffer(800));
  const sc2: zstd.SChunk = zstd.SChunk.fromCframe(sc.toCframe(), { copy: false, typesize: 4 });
  const packed: Uint8Array = zstd.packTensor(new BigInt64Array(6), { shape: [2, 3], level: 5 });
  const tensor = zstd.unpackTensor(packed);
  const shape: number[] = tensor.shape;
  await zstd.saveTensor(new Float32Array(4), '/tmp/t.zst', { shape: [2, 2] });
  const loaded: number = (await zstd.loadTensor('/tmp/t.zst')).length;
  void [sw, sts, sns, piece, rs, rn, sn, slice, chunk, sc2, shape, loaded];
  // @ts-expect-error chunkSize is required
  new zstd.SChunk({ typesize: 4 });
  // @ts-expect-error a seekable writer's options are its own
  c.seekableWriter({ write() {} }, { level: 3 });
  // @ts-expect-error openSeekable takes no level
  await zstd.openSeekable(seekable, { level: 3 });
}
void refused;

// I/O objects, readers, open(), archives (issue 13) and node:zlib's shapes in zstd-kit/node.
async function files(): Promise<void> {
  const br = new zstd.BufferReader('hello');
  const head: Uint8Array = br.read(2);
  const pos: number = br.seek(-1, 2) + br.tell() + br.size;
  const bos = new zstd.BufferOutputStream();
  bos.write('abc');
  const value: Uint8Array = bos.getValue();
  const cos = new zstd.CompressedOutputStream(bos, { level: 5, size: 3, closeSink: false });
  await cos.write('abc');
  await cos.flush();
  await cos.close();
  const cis = new zstd.CompressedInputStream(value, { readSize: 1024 });
  const some: Uint8Array = await cis.read(10);
  const into: number = await cis.readInto(new Uint8Array(4));
  await cis.seek(3);
  const rest: Uint8Array = await cis.readAll();
  const input: zstd.ZstdStreamReader = await zstd.inputStream('/tmp/x.zst', { compression: 'detect' });
  for await (const chunk of input) void (chunk satisfies Uint8Array);
  const output = await zstd.outputStream('/tmp/y.zst', { level: 9 });
  await output.write('data');
  await output.close();
  const cr: zstd.ZstdCompressionReader = new zstd.ZstdCompressor().streamReader('abc', { size: 3 });
  const dr: zstd.ZstdDecompressionReader = new zstd.ZstdDecompressor().streamReader(value, { readAcrossFrames: false });
  const bytesReader: zstd.ZstdDecompressionReader = await zstd.open('/tmp/y.zst');
  const writer: zstd.ZstdStreamWriter = await zstd.open('/tmp/y.zst', { mode: 'a', level: 3 });
  const textReader: zstd.ZstdTextReader = await zstd.open(new Blob(['x']), { encoding: 'utf-8' });
  const line: string = await textReader.readLine();
  const textWriter: zstd.ZstdTextWriter = await zstd.open('/tmp/t.zst', { mode: 'w', encoding: 'utf-8' });
  await textWriter.write('text');
  await textWriter.close();
  const archive: ReadableStream<Uint8Array> = zstd.tarZst(
    [
      { name: 'a.txt', data: 'hello', mode: 0o600, mtime: new Date() },
      { name: 'dir', type: 'directory' },
      { name: 'link', type: 'symlink', linkname: 'a.txt' },
      { name: 'big', stream: [new Uint8Array(3)], size: 3 },
      new File(['x'], 'f.txt'),
    ],
    { level: 3, threads: 2, seekable: true, frameSize: 1 << 16 },
  );
  for await (const entry of zstd.untarZst(archive, { maxEntrySize: 1 << 20 })) {
    const name: string = entry.name;
    const mtime: Date = entry.mtime;
    const text: string = await entry.text();
    void [name, mtime, text];
  }
  const packed: { entries: number; bytes: number } = await zstd.packDirectory('/tmp/src', '/tmp/out.tar.zst', {
    filter: (p, st) => !p.startsWith('.') && st.size < 1e9,
  });
  const extracted: number = (await zstd.extractArchive('/tmp/out.tar.zst', '/tmp/dst', { strip: 1, filter: (e) => e.type === 'file' }))
    .entries;
  const sync: Buffer = zlibShapes.zstdCompressSync('abc', {
    params: { [zlibShapes.constants.ZSTD_c_compressionLevel]: 9, [zlibShapes.constants.ZSTD_c_checksumFlag]: 1 },
    pledgedSrcSize: 3,
  });
  const back: Buffer = zlibShapes.zstdDecompressSync(sync, { maxOutputLength: 100 });
  zlibShapes.zstdCompress(back, (error, result) => void [error, result.length]);
  zlibShapes.zstdDecompress(sync, { dictionary: new Uint8Array(8) }, (error, result) => void [error, result]);
  const promised: Buffer = await zlibShapes.promises.zstdCompress('abc', { chunkSize: 1 << 16 });
  const ztx: zlibShapes.ZstdCompress = zlibShapes.createZstdCompress({ flush: zlibShapes.constants.ZSTD_e_flush, level: 3 });
  ztx.flush(zlibShapes.constants.ZSTD_e_end, () => {});
  ztx.close();
  const zdx: zlibShapes.ZstdDecompress = zlibShapes.createZstdDecompress({ finishFlush: zlibShapes.constants.ZSTD_e_flush });
  void [head, pos, some, into, rest, cr, dr, bytesReader, writer, line, packed, extracted, promised, zdx];
  // @ts-expect-error a BufferReader reads synchronously
  const wrong: Promise<Uint8Array> = br.read(1);
  // @ts-expect-error entries need a name
  zstd.tarZst([{ data: 'x' }]);
  void wrong;
}
void files;
