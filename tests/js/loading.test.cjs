// init(), features, entry points, and what works before init().
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const zstd = require('zstd-kit');

const root = path.join(__dirname, '..', '..');

describe('before init()', () => {
  test('module-level functions and constructors throw not_initialized', () => {
    const calls = [
      () => new zstd.ZstdCompressor(),
      () => new zstd.ZstdDecompressor(),
      () => zstd.allocBuffer(10),
      () => zstd.getFrameParameters(new Uint8Array(10)),
      () => zstd.frameContentSize(new Uint8Array(10)),
      () => zstd.frameHeaderSize(new Uint8Array(10)),
      () => zstd.estimateDecompressionContextSize(),
      () => zstd.memory.totalAllocatedBytes(),
    ];
    for (const call of calls) {
      let error;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(zstd.ZstdError);
      expect(error.code).toBe('not_initialized');
    }
  });

  test('ZstdError and constants are usable', () => {
    const e = new zstd.ZstdError('corruption_detected', 'bad');
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('corruption_detected');
    expect(e.name).toBe('ZstdError');
    expect(zstd.MAX_COMPRESSION_LEVEL).toBe(22);
    expect(zstd.MIN_COMPRESSION_LEVEL).toBe(-131072);
    expect(zstd.ZSTD_VERSION).toEqual([1, 5, 4]);
    expect(Array.from(zstd.FRAME_HEADER)).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    expect(zstd.MAGIC_NUMBER).toBe(0xfd2fb528);
    expect([zstd.STRATEGY_FAST, zstd.STRATEGY_BTULTRA2]).toEqual([1, 9]);
    expect(zstd.FLUSH_BLOCK).not.toBe(zstd.FLUSH_FRAME);
  });
});

describe('init()', () => {
  test('is idempotent and resolves to the module', async () => {
    const [a, b] = await Promise.all([zstd.init(), zstd.init()]);
    expect(a).toBe(zstd);
    expect(b).toBe(zstd);
    expect(await zstd.init()).toBe(zstd);
  });

  test('features describe the threaded Node build', async () => {
    await zstd.init();
    expect(zstd.features.threads).toBe(true);
    expect(zstd.features.maxThreads).toBeGreaterThanOrEqual(1);
    // Documented as always false: neither build is compiled for wasm SIMD (it measured no gain).
    expect(zstd.features.simd).toBe(false);
    expect(zstd.features.zstdVersion).toMatch(/^1\.5\.\d+$/);
  });

  test('constants match what libzstd itself reports', async () => {
    // Load the single-threaded glue directly to ask libzstd.
    const dir = path.join(root, 'dist/node/wasm');
    const factory = require(path.join(dir, 'zstd-kit-st.js'));
    const M = await factory({ wasmBinary: fs.readFileSync(path.join(dir, 'zstd-kit-st.wasm')) });
    const c = M.libraryConstants();
    expect(zstd.ZSTD_VERSION).toEqual([
      Math.floor(c.versionNumber / 10000),
      Math.floor(c.versionNumber / 100) % 100,
      c.versionNumber % 100,
    ]);
    expect(zstd.MIN_COMPRESSION_LEVEL).toBe(c.minLevel);
    expect(zstd.MAX_COMPRESSION_LEVEL).toBe(c.maxLevel);
    expect(zstd.COMPRESSION_RECOMMENDED_INPUT_SIZE).toBe(c.cStreamInSize);
    expect(zstd.COMPRESSION_RECOMMENDED_OUTPUT_SIZE).toBe(c.cStreamOutSize);
    expect(zstd.DECOMPRESSION_RECOMMENDED_INPUT_SIZE).toBe(c.dStreamInSize);
    expect(zstd.DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE).toBe(c.dStreamOutSize);
    // The one parameter table: { name: [id, min, max] }.
    const info = M.compressionParameterInfo();
    for (const [name, key] of [
      ['WINDOWLOG', 'windowLog'],
      ['CHAINLOG', 'chainLog'],
      ['HASHLOG', 'hashLog'],
      ['SEARCHLOG', 'searchLog'],
      ['MINMATCH', 'minMatch'],
      ['TARGETLENGTH', 'targetLength'],
    ]) {
      expect([zstd[`${name}_MIN`], zstd[`${name}_MAX`]]).toEqual(info[key].slice(1));
    }
    expect([zstd.STRATEGY_FAST, zstd.STRATEGY_BTULTRA2]).toEqual(info.strategy.slice(1));
    expect(info.threads.slice(1)).toEqual([0, 0]); // no workers in the single-threaded build
    // The threaded build's worker limit is the 64 above which a threads option is a RangeError.
    const mt = await require(path.join(dir, 'zstd-kit-mt.js'))({
      wasmBinary: fs.readFileSync(path.join(dir, 'zstd-kit-mt.wasm')),
      zkPoolSize: 1,
    });
    expect(mt.compressionParameterInfo().threads.slice(1)).toEqual([0, 64]);
    for (const worker of mt.pthreadWorkers()) worker.unref();
    for (const size of [0, 1, 255, 256, 131071, 131072, 131073, 10 << 20, 2 ** 31]) {
      expect(zstd.compressBound(size)).toBe(M.compressBound(size));
    }
  });
});

describe('entry points', () => {
  const node = (args, input) => execFileSync(process.execPath, args, { cwd: root, input, encoding: 'utf8' });

  test('ESM import works, init() resolves to the namespace, and the process exits', () => {
    const out = node(
      ['--input-type=module', '-'],
      `
      import * as zstd from 'zstd-kit';
      import * as node from 'zstd-kit/node';
      const ns = await zstd.init();
      const c = new zstd.ZstdCompressor();
      const d = new zstd.ZstdDecompressor();
      const back = new TextDecoder().decode(d.decompress(c.compress('esm round trip')));
      const before = zstd.memory.totalAllocatedBytes();
      c[Symbol.dispose]();
      const disposed = c.freed && zstd.memory.totalAllocatedBytes() < before;
      console.log(JSON.stringify({ same: ns === zstd, back, threads: zstd.features.threads, nodeEntry: node.ZstdCompressor === zstd.ZstdCompressor, disposed }));
    `,
    );
    expect(JSON.parse(out)).toEqual({ same: true, back: 'esm round trip', threads: true, nodeEntry: true, disposed: true });
  });

  test('CommonJS require works and init({ threads: false }) picks the single-threaded build', () => {
    const out = node(
      ['-'],
      `
      const zstd = require('zstd-kit');
      zstd.init({ threads: false }).then((ns) => {
        const c = new zstd.ZstdCompressor({ threads: 4 });
        const back = new zstd.ZstdDecompressor().decompress(c.compress('cjs')).length;
        console.log(JSON.stringify({ same: ns === zstd, threads: zstd.features.threads, maxThreads: zstd.features.maxThreads, workers: c.threads, back }));
      });
    `,
    );
    expect(JSON.parse(out)).toEqual({ same: true, threads: false, maxThreads: 1, workers: 0, back: 3 });
  });

  test('package.json exports map every entry with import, require, browser and types', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    for (const entry of ['.', './node']) {
      for (const condition of ['types', 'browser', 'import', 'require']) {
        const target = pkg.exports[entry][condition];
        expect(fs.existsSync(path.join(root, target))).toBe(true);
      }
    }
  });
});
