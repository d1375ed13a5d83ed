// Interop of the streaming APIs with the zstd command line tool, both ways: what zstd-kit streams
// out, `zstd -d` decodes; what the CLI writes (several frames, long windows, multi-threaded
// frames, frames from stdin with no content size, skippable frames), zstd-kit streams back in.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Readable, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const zstd = require('zstd-kit');
const { createZstdCompress, createZstdDecompress } = require('zstd-kit/node');
const { textData, randomData, tmpDir, zstdCli, expectSameBytes, concat, collect, caught } = require('./helpers.cjs');

const isZstdError = (code) => expect.objectContaining({ name: 'ZstdError', code });

function split(bytes, size) {
  const pieces = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}

function skippable(n, nibble = 0) {
  const out = new Uint8Array(8 + n).fill(0x5c);
  new DataView(out.buffer).setUint32(0, 0x184d2a50 + nibble, true);
  new DataView(out.buffer).setUint32(4, n, true);
  return out;
}

/** fn(compressor), with the compressor freed after (memory checks below must not see the GC free it). */
async function withCompressor(options, fn) {
  const c = new zstd.ZstdCompressor(options);
  try {
    return await fn(c);
  } finally {
    c.free();
  }
}

function collector() {
  const chunks = [];
  const stream = new Writable({ write: (chunk, _e, cb) => (chunks.push(chunk), cb()) });
  // A failed copyStream destroys its sink with the error (tests/js/stream/copy-stream.cjs checks what happens
  // without a listener); here only the promise matters.
  stream.on('error', () => {});
  return { chunks, stream };
}

const data = concat([textData(2 << 20, 41), randomData(512 << 10, 42), textData(1 << 20, 43)]);
let dir;

beforeAll(async () => {
  await zstd.init();
  dir = tmpDir();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('zstd-kit streaming output decodes with `zstd -d`', () => {
  const producers = [
    [
      'compressobj with block flushes, checksum',
      () =>
        withCompressor({ writeChecksum: true }, (c) => {
          const o = c.compressobj();
          const parts = [];
          for (const p of split(data, 300000)) parts.push(o.compress(p), o.flush(zstd.FLUSH_BLOCK));
          parts.push(o.flush());
          return concat(parts);
        }),
    ],
    [
      'compressobj with size (content size in the header), level 19',
      () =>
        withCompressor({ level: 19 }, (c) => {
          const o = c.compressobj({ size: data.length });
          return concat([...split(data, 1 << 20).map((p) => o.compress(p)), o.flush()]);
        }),
    ],
    [
      'chunker, 4 KiB chunks',
      () =>
        withCompressor({ level: -3 }, (c) => {
          const k = c.chunker({ chunkSize: 4096 });
          return concat([...split(data, 100000).flatMap((p) => k.compress(p)), ...k.flush(), ...k.finish()]);
        }),
    ],
    [
      'readToIter from a Node file stream, threads 2',
      () =>
        withCompressor({ threads: 2 }, async (c) => {
          const file = path.join(dir, 'producer-in');
          fs.writeFileSync(file, data);
          return concat(await collect(c.readToIter(fs.createReadStream(file), { writeSize: 10000 })));
        }),
    ],
    [
      'streamWriter, several frames (FLUSH_FRAME between)',
      () =>
        withCompressor({}, async (c) => {
          const chunks = [];
          const w = c.streamWriter({ write: (u) => void chunks.push(u) });
          for (const [i, p] of split(data, 1 << 20).entries()) {
            w.write(p);
            w.flush(i % 2 ? zstd.FLUSH_FRAME : zstd.FLUSH_BLOCK);
          }
          await w.close();
          return concat(chunks);
        }),
    ],
    [
      'ZstdCompressionStream, level 1, threads 2',
      async () => concat(await collect(new Blob([data]).stream().pipeThrough(new zstd.ZstdCompressionStream({ level: 1, threads: 2 })))),
    ],
    [
      'createZstdCompress, --fast level',
      async () => {
        const out = collector();
        await pipeline(Readable.from(split(data, 65536)), createZstdCompress({ level: -10 }), out.stream);
        return concat(out.chunks);
      },
    ],
  ];

  test.each(producers)('%s', async (_, produce) => {
    const compressed = await produce();
    expectSameBytes(zstdCli(['-d', '-c', '-q'], compressed), data);
  });

  test('copyStream into a file: `zstd -t` passes, `zstd -d` restores it', async () => {
    const src = path.join(dir, 'copy-in');
    fs.writeFileSync(src, data);
    const r = await withCompressor({ writeChecksum: true, level: 5 }, (c) =>
      c.copyStream(fs.createReadStream(src), fs.createWriteStream(src + '.zst'), { size: data.length }),
    );
    expect(r).toEqual({ bytesRead: data.length, bytesWritten: fs.statSync(src + '.zst').size });
    execFileSync('zstd', ['-q', '-t', src + '.zst']);
    execFileSync('zstd', ['-q', '-d', '-f', src + '.zst', '-o', src + '.out']);
    expectSameBytes(fs.readFileSync(src + '.out'), data);
  });

  test('a 24 MiB multi-threaded stream (several zstd jobs) decodes with the CLI', async () => {
    const big = concat([textData(16 << 20, 44), randomData(8 << 20, 45)]);
    const chunks = await withCompressor({ threads: 4, level: 3 }, (c) => collect(c.readToIter(big, { readSize: 1 << 20 })));
    expectSameBytes(zstdCli(['-d', '-c', '-q'], concat(chunks)), big);
  });
});

describe('CLI output decodes with zstd-kit streaming', () => {
  // Every streaming decoder, as a function of (bytes, decompressor options) -> Promise<Uint8Array>.
  const decoders = [
    [
      'decompressobj (readAcrossFrames)',
      async (bytes, options) => {
        const d = new zstd.ZstdDecompressor(options);
        const o = d.decompressobj({ readAcrossFrames: true });
        try {
          return concat(split(bytes, 100000).map((p) => o.decompress(p)));
        } finally {
          o.free();
          d.free();
        }
      },
    ],
    [
      'readToIter',
      async (bytes, options) => {
        const d = new zstd.ZstdDecompressor(options);
        try {
          return concat(await collect(d.readToIter(Readable.from(split(bytes, 77777)))));
        } finally {
          d.free();
        }
      },
    ],
    [
      'streamWriter',
      async (bytes, options) => {
        const d = new zstd.ZstdDecompressor(options);
        const chunks = [];
        const w = d.streamWriter({ write: async (u) => void chunks.push(u) });
        try {
          for (const p of split(bytes, 50000)) await w.write(p);
          await w.close();
          return concat(chunks);
        } finally {
          w.free();
          d.free();
        }
      },
    ],
    [
      'copyStream',
      async (bytes, options) => {
        const d = new zstd.ZstdDecompressor(options);
        const out = collector();
        try {
          await d.copyStream(new Blob([bytes]).stream(), out.stream);
          return concat(out.chunks);
        } finally {
          d.free();
        }
      },
    ],
    [
      'ZstdDecompressionStream',
      async (bytes, options) =>
        new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new zstd.ZstdDecompressionStream(options))).arrayBuffer()),
    ],
    [
      'createZstdDecompress',
      async (bytes, options) => {
        const out = collector();
        await pipeline(Readable.from(split(bytes, 65536)), createZstdDecompress(options), out.stream);
        return concat(out.chunks);
      },
    ],
  ];

  const fromStdin = (args, input) => zstdCli([...args, '-c', '-q', '-'], Buffer.from(input));
  const a = randomData(5000, 46);
  const b = textData(600000, 47);
  let cases;
  beforeAll(() => {
    const file = path.join(dir, 'cli-in');
    fs.writeFileSync(file, data);
    const fileA = path.join(dir, 'a');
    const fileB = path.join(dir, 'b');
    fs.writeFileSync(fileA, a);
    fs.writeFileSync(fileB, b);
    cases = {
      // Frames from stdin state no content size.
      'stdin, no content size': [fromStdin(['-3'], data), data],
      'several frames (`zstd -c a b`)': [zstdCli(['-c', '-q', fileA, fileB]), concat([a, b])],
      'several frames with skippable frames between and around': [
        concat([skippable(16), fromStdin([], a), skippable(0, 5), fromStdin(['-19'], b), skippable(3, 15)]),
        concat([a, b]),
      ],
      '-T2 on a file': [zstdCli(['-T2', '-3', '-c', '-q', file]), data],
      '-T2 --long=27 from stdin': [fromStdin(['-T2', '--long=27'], data), data],
      '--ultra -22 (128 MiB window)': [fromStdin(['--ultra', '-22'], data.subarray(0, 300000)), data.subarray(0, 300000)],
      '--no-check -B64KiB --fast=3': [fromStdin(['--no-check', '-B65536', '--fast=3'], data), data],
      '--rsyncable': [fromStdin(['--rsyncable', '-T2'], data), data],
    };
  });

  test('the CLI inputs are what they claim', () => {
    const params = zstd.getFrameParameters(cases['stdin, no content size'][0]);
    expect(params.contentSize).toBe(-1);
    expect(zstd.getFrameParameters(cases['-T2 --long=27 from stdin'][0]).windowSize).toBe(2 ** 27);
    // The CLI, too, reads past skippable frames.
    const [bytes, expected] = cases['several frames with skippable frames between and around'];
    expectSameBytes(zstdCli(['-d', '-c', '-q'], bytes), expected);
  });

  const names = [
    'stdin, no content size',
    'several frames (`zstd -c a b`)',
    'several frames with skippable frames between and around',
    '-T2 on a file',
    '-T2 --long=27 from stdin',
    '--ultra -22 (128 MiB window)',
    '--no-check -B64KiB --fast=3',
    '--rsyncable',
  ];
  describe.each(decoders)('%s', (_, decode) => {
    // zstd's default window limit is 2^27: --long=27 and --ultra -22 decode without maxWindowSize.
    test.each(names)('%s', async (name) => {
      const [bytes, expected] = cases[name];
      expectSameBytes(await decode(bytes), expected);
    });

    test('--long=28: frame_parameter_window_too_large by default', async () => {
      const frame = fromStdin(['-1', '--long=28'], data.subarray(0, 100000));
      const before = zstd.memory.totalAllocatedBytes();
      expect(await caught(() => decode(frame))).toEqual(isZstdError('frame_parameter_window_too_large'));
      expect(zstd.memory.totalAllocatedBytes()).toBe(before);
    });

    test('a truncated CLI file is a ZstdError (decompressobj: no error, a prefix, since more may come)', async () => {
      const frame = cases['stdin, no content size'][0];
      let out = null;
      const e = await caught(async () => {
        out = await decode(frame.subarray(0, frame.length - 20));
      });
      if (decode === decoders[0][1]) {
        expect(e).toBeNull();
        expect(out.length).toBeLessThan(data.length);
        expectSameBytes(out, data.subarray(0, out.length));
      } else {
        expect(e).toEqual(expect.any(zstd.ZstdError));
        expect(['src_size_wrong', 'corruption_detected']).toContain(e.code);
      }
    });
  });

  test('--long=28 decodes with maxWindowSize 2^28 (readToIter and ZstdDecompressionStream)', async () => {
    const input = data.subarray(0, 1 << 20);
    const frame = fromStdin(['-1', '--long=28'], input);
    expect(zstd.getFrameParameters(frame).windowSize).toBe(2 ** 28);
    expectSameBytes(await decoders[1][1](frame, { maxWindowSize: 2 ** 28 }), input);
    expectSameBytes(await decoders[4][1](frame, { maxWindowSize: 2 ** 28 }), input);
  });

  test('decompressobj without readAcrossFrames stops after the first CLI frame', () => {
    const [bytes] = cases['several frames (`zstd -c a b`)'];
    const d = new zstd.ZstdDecompressor();
    const o = d.decompressobj();
    expectSameBytes(o.decompress(bytes), a);
    expect(o.eof).toBe(true);
    expectSameBytes(zstdCli(['-d', '-c', '-q'], o.unusedData), b);
    d.free();
  });
});
