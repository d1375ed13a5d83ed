// How the browser loader finds and starts the builds (Debian's Chromium, playwright-core), on the
// demo server, which serves the browser entry at /zstd-kit/ beside its files: where the .wasm comes
// from (asset, inline copy, init({ locateFile/baseUrl })), what a failure says, and how fast a
// threaded build that cannot start falls back.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root, startServer, launchChromium } = require('./harness.cjs');

let context;
const servers = {};

beforeAll(async () => {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zstd-kit-chromium-'));
  context = await launchChromium(userDataDir);
  servers.isolated = { ...(await startServer([])), isolated: true };
  servers.plain = { ...(await startServer(['--no-isolation'])), isolated: false };
});

afterAll(async () => {
  await context?.close();
  for (const s of Object.values(servers)) s.stop();
});

// A page of the server's origin that loads nothing (the demo page itself would call init()),
// with the headers the server gives its own pages.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const blankPage = (server) => (route) =>
  route.fulfill({
    status: 200,
    contentType: 'text/html',
    headers: server.isolated ? isolation : {},
    body: '<!doctype html><title>blank</title>',
  });

/**
 * Runs `init(options)` in a fresh page of `server` and reports features, a round trip, the error
 * (name, code, message, cause) and what was fetched. `before` runs in the page first (as source).
 */
async function initInPage(server, { options = {}, before = '', route } = {}) {
  const page = await context.newPage();
  const fetched = [];
  page.on('response', (r) => {
    const url = new URL(r.url());
    fetched.push({ url: url.pathname + url.search, status: r.status() });
  });
  if (route) await page.route(route.match, route.handler);
  await page.route(`${server.url}blank.html`, blankPage(server));
  await page.goto(`${server.url}blank.html`);
  const result = await page.evaluate(
    async ({ options, before, isolated }) => {
      // Functions cannot cross into the page: locateFile comes as the source of one.
      if (options.locateFile) options.locateFile = (0, eval)(options.locateFile);
      if (before) (0, eval)(before);
      const zstd = await import('/zstd-kit/index.js');
      const started = performance.now();
      try {
        if (crossOriginIsolated !== isolated) throw new Error(`the page is ${crossOriginIsolated ? '' : 'not '}isolated`);
        await zstd.init(options);
        const back = new zstd.ZstdDecompressor().decompress(
          new zstd.ZstdCompressor({ threads: 2 }).compress(new Uint8Array(1 << 20).fill(7)),
        );
        const e = zstd.features.threadsError;
        return {
          ms: performance.now() - started,
          threads: zstd.features.threads,
          maxThreads: zstd.features.maxThreads,
          roundTrip: back.length === 1 << 20,
          threadsError: e && { name: e.name, code: e.code, message: e.message, cause: String(e.cause?.message ?? e.cause) },
        };
      } catch (e) {
        return {
          ms: performance.now() - started,
          error: { name: e.name, code: e.code, message: e.message, cause: String(e.cause?.message ?? e.cause) },
        };
      }
    },
    { options, before, isolated: server.isolated },
  );
  await page.close();
  return { ...result, fetched };
}

const wasmFetches = (fetched) => fetched.filter((f) => /\.wasm(\?|$)|inline/.test(f.url));

test('the .wasm beside the entry is used; the inline copy is not downloaded', async () => {
  for (const [server, threads, build] of [
    [servers.isolated, true, 'mt'],
    [servers.plain, false, 'st'],
  ]) {
    const r = await initInPage(server);
    expect(r).toMatchObject({ threads, roundTrip: true, threadsError: null });
    expect(wasmFetches(r.fetched)).toEqual([{ url: `/zstd-kit/zstd-kit-${build}.wasm`, status: 200 }]);
  }
});

test('where the .wasm cannot be fetched (404, or an HTML page instead), the inline copy is used', async () => {
  const notFound = { match: /\.wasm$/, handler: (r) => r.fulfill({ status: 404, body: 'not found' }) };
  const spaFallback = {
    match: /\.wasm$/,
    handler: (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>app</p>' }),
  };
  for (const route of [notFound, spaFallback]) {
    for (const [server, threads, build] of [
      [servers.isolated, true, 'mt'],
      [servers.plain, false, 'st'],
    ]) {
      const r = await initInPage(server, { route });
      expect(r).toMatchObject({ threads, roundTrip: true, threadsError: null });
      expect(r.fetched).toContainEqual({ url: `/zstd-kit/zstd-kit-${build}.inline.js`, status: 200 });
    }
  }
});

test('init({ locateFile }) and init({ baseUrl }) load the .wasm from where they say (and nothing else)', async () => {
  const fromLocate = await initInPage(servers.isolated, {
    options: { locateFile: "(file) => new URL('/zstd-kit/' + file + '?from=locateFile', location.href)" },
  });
  expect(fromLocate).toMatchObject({ threads: true, roundTrip: true });
  expect(wasmFetches(fromLocate.fetched)).toEqual([{ url: '/zstd-kit/zstd-kit-mt.wasm?from=locateFile', status: 200 }]);
  // A custom layout: the files under /static/zstd/ (served here from dist/browser).
  const route = {
    match: /\/static\/zstd\//,
    handler: (r) =>
      r.fulfill({
        status: 200,
        contentType: 'application/wasm',
        body: fs.readFileSync(path.join(root, 'dist/browser', path.basename(new URL(r.request().url()).pathname))),
      }),
  };
  const fromBase = await initInPage(servers.plain, { options: { baseUrl: '/static/zstd' }, route });
  expect(fromBase).toMatchObject({ threads: false, roundTrip: true });
  expect(wasmFetches(fromBase.fetched)).toEqual([{ url: '/static/zstd/zstd-kit-st.wasm', status: 200 }]);
});

test('init({ maxThreads }) sizes the thread pool of the threaded build; a bad value rejects init()', async () => {
  expect(await initInPage(servers.isolated, { options: { maxThreads: 1 } })).toMatchObject({
    threads: true,
    maxThreads: 1,
    roundTrip: true,
  });
  const bad = await initInPage(servers.isolated, { options: { maxThreads: 0 } });
  expect(bad.error).toMatchObject({ name: 'RangeError', message: expect.stringMatching(/maxThreads must be an integer >= 1/) });
});

test('a .wasm missing where init() was told is ZstdError("load_failed") naming the URL, never the inline copy', async () => {
  const r = await initInPage(servers.plain, { options: { baseUrl: '/missing/' } });
  expect(r.error).toMatchObject({ name: 'ZstdError', code: 'load_failed', cause: 'HTTP 404 Not Found' });
  expect(r.error.message).toContain(`${servers.plain.url}missing/zstd-kit-st.wasm`);
  expect(r.error.message).toMatch(/locateFile\/baseUrl/);
  expect(r.fetched.some((f) => /inline/.test(f.url))).toBe(false);
});

test('a glue file that cannot be fetched is ZstdError("load_failed") naming its URL', async () => {
  const route = { match: /zstd-kit-st\.js$/, handler: (r) => r.fulfill({ status: 404, body: 'not found' }) };
  const r = await initInPage(servers.plain, { route });
  expect(r.error).toMatchObject({ name: 'ZstdError', code: 'load_failed' });
  expect(r.error.message).toContain(`${servers.plain.url}zstd-kit/zstd-kit-st.js`);
});

test('a threaded build that cannot start falls back to single-threaded at once, with the cause', async () => {
  // Every pthread worker dies on start, as when a worker script cannot run (CSP, a broken server).
  const before =
    'globalThis.Worker = class extends Worker { constructor(url, options) { super(URL.createObjectURL(new Blob([\'throw new Error("pthread worker refused")\'])), options); } };';
  const r = await initInPage(servers.isolated, { before });
  expect(r).toMatchObject({ threads: false, roundTrip: true });
  expect(r.threadsError).toMatchObject({ name: 'ZstdError', code: 'load_failed' });
  expect(r.threadsError.message).toMatch(/threaded build did not start.*pthread worker refused/);
  expect(r.ms).toBeLessThan(3000); // detected, not the 5 s guard
});

test('a threaded start that never completes is abandoned after the guard (5 s), not left pending', async () => {
  // Pthread workers that start but never answer: nothing to detect, only the guard ends the wait.
  const before =
    "globalThis.Worker = class extends Worker { constructor(url, options) { super(URL.createObjectURL(new Blob(['onmessage = () => {}'])), options); } };";
  const r = await initInPage(servers.isolated, { before });
  expect(r).toMatchObject({ threads: false, roundTrip: true });
  expect(r.threadsError.message).toMatch(/did not start within 5 s/);
  expect(r.ms).toBeGreaterThan(4900);
  expect(r.ms).toBeLessThan(8000);
});

test('the threaded build is not tried where the page is not cross-origin isolated (threadsError stays null)', async () => {
  const r = await initInPage(servers.plain, { options: { threads: true } });
  expect(r).toMatchObject({ threads: false, threadsError: null, roundTrip: true });
  expect(r.fetched.some((f) => /zstd-kit-mt/.test(f.url))).toBe(false);
});

test('modern-tar (zstd-kit-tar.js) is fetched on the first archive call only, and archives round-trip through it', async () => {
  const loaded = await initInPage(servers.plain);
  expect(loaded.roundTrip).toBe(true);
  expect(loaded.fetched.some((f) => /zstd-kit-tar/.test(f.url))).toBe(false);

  const page = await context.newPage();
  const fetched = [];
  page.on('response', (r) => fetched.push(new URL(r.url()).pathname));
  await page.route(`${servers.plain.url}blank.html`, blankPage(servers.plain));
  await page.goto(`${servers.plain.url}blank.html`);
  const entries = await page.evaluate(async () => {
    const zstd = await import('/zstd-kit/index.js');
    await zstd.init();
    const before = performance.getEntriesByType('resource').some((e) => e.name.includes('zstd-kit-tar'));
    const archive = zstd.tarZst([
      { name: 'a.txt', data: 'hello' },
      { name: 'dir', type: 'directory' },
      { name: 'dir/b.bin', data: new Uint8Array(100000).fill(3) },
    ]);
    const bytes = new Uint8Array(await new Response(archive).arrayBuffer());
    const out = [];
    for await (const e of zstd.untarZst(bytes)) out.push([e.name, e.type, (await e.bytes()).length]);
    return { before, out };
  });
  await page.close();
  expect(entries).toEqual({
    before: false,
    out: [
      ['a.txt', 'file', 5],
      ['dir', 'directory', 0],
      ['dir/b.bin', 'file', 100000],
    ],
  });
  expect(fetched.filter((f) => /zstd-kit-tar/.test(f))).toEqual(['/zstd-kit/zstd-kit-tar.js']);
});

test('the minified browser entry keeps the names of its classes and API functions (and messages name classes)', async () => {
  const page = await context.newPage();
  await page.route(`${servers.plain.url}blank.html`, blankPage(servers.plain));
  await page.goto(`${servers.plain.url}blank.html`);
  const r = await page.evaluate(async () => {
    const zstd = await import('/zstd-kit/index.js');
    await zstd.init();
    const misnamed = Object.entries(zstd)
      .filter(([name, value]) => typeof value === 'function' && value.name !== name)
      .map(([name, value]) => `${name}: ${value.name}`);
    const c = new zstd.ZstdCompressor();
    let message = null;
    try {
      c.compress(new zstd.ZstdDecompressor());
    } catch (e) {
      message = e.message;
    }
    return { functions: Object.values(zstd).filter((v) => typeof v === 'function').length, misnamed, message };
  });
  await page.close();
  expect(r.functions).toBeGreaterThan(40);
  expect(r.misnamed).toEqual([]);
  expect(r.message).toMatch(/got ZstdDecompressor/);
});
