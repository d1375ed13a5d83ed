// init(), features, entry points, what works before init(), and how the Node loader finds and starts the builds.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const zstd = require('zstd-kit');
const { WORKER_COUNTER } = require('./helpers.cjs');

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
    const factory = require(path.join(root, 'dist/node/wasm/zstd-kit-st.js'));
    const M = await factory({ wasmBinary: fs.readFileSync(path.join(root, 'dist/browser/zstd-kit-st.wasm')) });
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
    // The threaded build's worker limit (what init() loaded here) is the 64 above which a threads
    // option is a RangeError.
    expect(zstd.features.threads).toBe(true);
    expect(new zstd.ZstdCompressionParameters({ threads: 64 }).threads).toBe(64);
    expect(() => new zstd.ZstdCompressionParameters({ threads: 65 })).toThrow(/threads must be an integer in \[0, 64\]/);
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

  test('init({ maxThreads }) sizes the thread pool: threads options are clamped to it, fewer workers start; a bad value rejects', () => {
    const out = node(
      ['-'],
      `
      ${WORKER_COUNTER}
      const zstd = require('zstd-kit');
      (async () => {
        const errors = [];
        for (const maxThreads of [0, 1.5, -1, '2', null]) {
          await zstd.init({ maxThreads }).then(() => errors.push('resolved'), (e) => errors.push(e.name));
        }
        await zstd.init({ maxThreads: 1 });
        const c = new zstd.ZstdCompressor({ level: 3, threads: 4 });
        const data = Buffer.alloc(3 << 20, 'max threads ');
        const back = Buffer.from(new zstd.ZstdDecompressor().decompress(c.compress(data))).equals(data);
        console.log(JSON.stringify({ errors, threads: zstd.features.threads, maxThreads: zstd.features.maxThreads, clamped: c.threads, back, workers: globalThis.workersStarted }));
      })();
    `,
    );
    // One pool thread, and the job thread and a spare: three workers (by default, two per core more).
    expect(JSON.parse(out)).toEqual({
      errors: ['RangeError', 'RangeError', 'RangeError', 'TypeError', 'TypeError'],
      threads: true,
      maxThreads: 1,
      clamped: 1,
      back: true,
      workers: 3,
    });
  });

  test('package.json exports map every entry with workerd/browser/import/require, each with its types', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const conditions = { '.': ['workerd', 'browser', 'import', 'require'], './node': ['browser', 'import', 'require'] };
    for (const [entry, names] of Object.entries(conditions)) {
      expect(Object.keys(pkg.exports[entry])).toEqual(names);
      for (const name of names) {
        const { types, default: target } = pkg.exports[entry][name];
        expect(types).toMatch(name === 'require' ? /\.d\.cts$/ : /\.d\.ts$/);
        for (const file of [types, target]) expect(fs.existsSync(path.join(root, file))).toBe(true);
      }
    }
    expect(fs.existsSync(path.join(root, pkg.typesVersions['*'].node[0]))).toBe(true);
  });
});

describe('loading in Node', () => {
  // Each case in a fresh process: one instance per process, loaded once.
  const node = (script) => JSON.parse(execFileSync(process.execPath, ['-'], { cwd: root, input: script, encoding: 'utf8' }));

  test('ESM and CommonJS copies are one instance: init() on one serves the other', () => {
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-'], {
        cwd: root,
        encoding: 'utf8',
        input: `
        import { createRequire } from 'node:module';
        import * as esm from 'zstd-kit';
        const cjs = createRequire(import.meta.url)('zstd-kit');
        await esm.init();
        const frame = new cjs.ZstdCompressor().compress('shared');
        console.log(JSON.stringify({ sameClass: cjs.ZstdCompressor === esm.ZstdCompressor, sameFeatures: cjs.features === esm.features,
          back: new TextDecoder().decode(new esm.ZstdDecompressor().decompress(frame)), names: Object.keys(esm).length === Object.keys(cjs).length }));
      `,
      }),
    );
    expect(out).toEqual({ sameClass: true, sameFeatures: true, back: 'shared', names: true });
  });

  test('init() leaves the process alone: no global Worker, no uncaughtException/unhandledRejection handlers', () => {
    const out = node(`
      const zstd = require('zstd-kit');
      zstd.init().then(() => console.log(JSON.stringify({ threads: zstd.features.threads, Worker: typeof globalThis.Worker,
        handlers: process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection'), exitCode: process.exitCode ?? null })));
    `);
    expect(out).toEqual({ threads: true, Worker: 'undefined', handlers: 0, exitCode: null });
  });

  test('init({ locateFile }) and init({ baseUrl }) read the .wasm from where they say', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zstd-kit-wasm-'));
    for (const f of ['zstd-kit-st.wasm', 'zstd-kit-mt.wasm']) fs.copyFileSync(path.join(root, 'dist/browser', f), path.join(dir, f));
    const asked = node(`
      const zstd = require('zstd-kit');
      const asked = [];
      zstd.init({ locateFile: (f) => (asked.push(f), require('node:path').join(${JSON.stringify(dir)}, f)) })
        .then(() => console.log(JSON.stringify({ asked, threads: zstd.features.threads })));
    `);
    expect(asked).toEqual({ asked: ['zstd-kit-mt.wasm'], threads: true });
    const fromUrl = node(`
      const zstd = require('zstd-kit');
      zstd.init({ threads: false, baseUrl: require('node:url').pathToFileURL(${JSON.stringify(dir)}) })
        .then(() => console.log(JSON.stringify({ threads: zstd.features.threads,
          back: new zstd.ZstdDecompressor().decompress(new zstd.ZstdCompressor().compress('from a file URL')).length })));
    `);
    expect(fromUrl).toEqual({ threads: false, back: 15 });
    fs.rmSync(dir, { recursive: true });
  });

  test('a .wasm missing where init() was told is ZstdError("load_failed") naming it, and init() can be retried', () => {
    const out = node(`
      const zstd = require('zstd-kit');
      zstd.init({ threads: false, baseUrl: '/nowhere/zstd-kit' }).catch((e) => {
        zstd.init({ threads: false }).then(() => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message,
          cause: e.cause?.code, retried: zstd.features.zstdVersion })));
      });
    `);
    expect(out).toMatchObject({ name: 'ZstdError', code: 'load_failed', cause: 'ENOENT', retried: '1.5.4' });
    expect(out.message).toContain('/nowhere/zstd-kit/zstd-kit-st.wasm');
    expect(out.message).toContain('baseUrl');
  });

  test('a threaded build whose workers fail falls back at once, with the cause in features.threadsError', () => {
    const out = node(`
      const workerThreads = require('node:worker_threads');
      // Every pthread worker dies as it starts.
      workerThreads.Worker = class extends workerThreads.Worker {
        constructor() {
          super('throw new Error("pthread worker refused")', { eval: true });
        }
      };
      // A slow instantiation: the workers fail before the glue listens to them (as under load).
      const instantiate = WebAssembly.instantiate;
      WebAssembly.instantiate = (...args) => new Promise((r) => setTimeout(r, 300)).then(() => instantiate(...args));
      const zstd = require('zstd-kit');
      const started = Date.now();
      zstd.init().then(() => {
        const e = zstd.features.threadsError;
        const back = new zstd.ZstdDecompressor().decompress(new zstd.ZstdCompressor({ threads: 2 }).compress('x'.repeat(1 << 20))).length;
        console.log(JSON.stringify({ threads: zstd.features.threads, code: e.code, message: e.message, cause: e.cause.message, ms: Date.now() - started, back }));
      });
    `);
    expect(out).toMatchObject({ threads: false, code: 'load_failed', cause: 'pthread worker refused', back: 1 << 20 });
    expect(out.message).toMatch(/threaded build did not start/);
    expect(out.ms).toBeLessThan(3000); // detected, not the 5 s guard
  });
});

describe('the generated glue (scripts/glue.mjs patches)', () => {
  const read = (file) => fs.readFileSync(path.join(root, 'dist', file), 'utf8');

  test('browser and workerd glue hold no import.meta, no worker of their own; workerd generates no code', () => {
    const browser = read('browser/zstd-kit-st.js');
    const threaded = read('browser/zstd-kit-mt.text.js');
    const workerd = read('workerd/zstd-kit-st.js');
    for (const text of [browser, threaded, workerd]) expect(text).not.toMatch(/import\.meta/);
    expect(threaded).not.toMatch(/new Worker\(/);
    expect(threaded).toContain('zkNewWorker');
    expect(workerd).not.toMatch(/new Function|\beval\(/);
    expect(browser).toMatch(/new Function/); // the fast embind invokers stay where code generation is allowed
  });

  test('node glue sets no global Worker and installs no process handlers', () => {
    for (const file of ['node/wasm/zstd-kit-st.js', 'node/wasm/zstd-kit-mt.js']) {
      const text = read(file);
      expect(text).not.toMatch(/global\.Worker=|process\["on"\]\("(uncaughtException|unhandledRejection)"/);
    }
  });
});
