// zstd-kit from the demo server's pages in Debian's Chromium, driven by playwright-core: with
// COOP/COEP the threaded build runs (features.threads === true); from a server without them, the
// single-threaded one. The demo's panels themselves are tested in demo-ui.test.cjs.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, launchChromium } = require('./harness.cjs');

let context;
const servers = [];
const log = [];

beforeAll(async () => {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zstd-kit-chromium-'));
  context = await launchChromium(userDataDir);
});

afterAll(async () => {
  await context?.close();
  for (const s of servers) s.stop();
});

async function openDemo(serverArgs) {
  const server = await startServer(serverArgs);
  servers.push(server);
  const page = await context.newPage();
  // Console output tells how far a hung page got.
  page.on('console', (m) => log.push(m.text()));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  return page;
}

// A round trip through the module from the page itself, large enough for zstd's workers.
async function roundTripInPage(page, threads) {
  return page.evaluate(async (threads) => {
    const zstd = await import('/zstd-kit/index.js');
    await zstd.init();
    const size = 8 << 20;
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = (i % 251) ^ ((i >> 12) & 0x3f);
    const c = new zstd.ZstdCompressor({ level: 3, threads });
    const frame = c.compress(data);
    const back = new zstd.ZstdDecompressor().decompress(frame);
    let same = back.length === size;
    for (let i = 0; same && i < size; i++) same = back[i] === data[i];
    let corrupt = 'no error';
    try {
      const bad = frame.slice(0, frame.length >> 1);
      new zstd.ZstdDecompressor().decompress(bad);
    } catch (e) {
      corrupt = e.code;
    }
    return { threads: zstd.features.threads, workers: c.threads, same, ratio: size / frame.length, corrupt, isolated: crossOriginIsolated };
  }, threads);
}

test('with COOP/COEP: threaded build, round trip from the page', async () => {
  const page = await openDemo([]);
  expect(await page.evaluate(() => document.body.dataset.threads)).toBe('true');
  const r = await roundTripInPage(page, 2);
  expect(r).toMatchObject({ threads: true, isolated: true, same: true, corrupt: 'src_size_wrong' });
  expect(r.workers).toBe(2);
  await page.close();
}, 180000);

test('without COOP/COEP: single-threaded build, round trip from the page', async () => {
  const page = await openDemo(['--no-isolation']);
  expect(await page.evaluate(() => document.body.dataset.threads)).toBe('false');
  const r = await roundTripInPage(page, 2);
  expect(r).toMatchObject({ threads: false, isolated: false, same: true, workers: 0, corrupt: 'src_size_wrong' });
  await page.close();
}, 180000);

// The async batch APIs from the page's main thread: a 5 ms interval keeps ticking while 32 MiB
// of documents are compressed and decompressed (the sync call, for contrast, blocks it).
async function batchInPage(page) {
  return page.evaluate(async () => {
    const zstd = await import('/zstd-kit/index.js');
    await zstd.init();
    const docs = [];
    for (let k = 0; k < 512; k++) {
      const doc = new Uint8Array(64 << 10);
      for (let i = 0; i < doc.length; i++) doc[i] = 97 + (((i * 7) ^ (i >> 5) ^ k) % 26);
      docs.push(doc);
    }
    async function ticking(fn) {
      let ticks = 0;
      let last = performance.now();
      let maxGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        ticks++;
      }, 5);
      const start = performance.now();
      const result = await fn();
      const elapsed = performance.now() - start;
      clearInterval(timer);
      return { result, ticks, maxGap: Math.max(maxGap, performance.now() - last), elapsed };
    }
    const c = new zstd.ZstdCompressor({ level: 3 });
    const d = new zstd.ZstdDecompressor();
    (await c.multiCompressToBufferAsync(docs.slice(0, 8), { threads: 2 })).free(); // warm up
    const comp = await ticking(() => c.multiCompressToBufferAsync(docs, { threads: 2 }));
    const decomp = await ticking(() => d.multiDecompressToBufferAsync(comp.result, { threads: 2 }));
    let same = decomp.result.length === docs.length;
    for (let k = 0; same && k < docs.length; k += 37) {
      const seg = decomp.result.get(k).view();
      same = seg.length === docs[k].length && seg.every((x, i) => x === docs[k][i]);
    }
    const sync = await ticking(() => c.multiCompressToBuffer(docs, { threads: 2 }));
    const summary = (r) => ({ ticks: r.ticks, maxGap: Math.round(r.maxGap), elapsed: Math.round(r.elapsed) });
    const out = {
      threads: zstd.features.threads,
      same,
      frames: comp.result.length,
      buffers: comp.result.bufferCount,
      compress: summary(comp),
      decompress: summary(decomp),
      sync: summary(sync),
    };
    for (const x of [comp.result, decomp.result, sync.result, c, d]) x.free();
    return out;
  });
}

function expectKeptTicking(run) {
  // A blocked main thread gives no tick until the end; the bounds leave room for a loaded 2-core
  // machine (the benchmark measures the longest main-thread task).
  expect(run.ticks).toBeGreaterThanOrEqual(Math.floor((run.elapsed / 5) * 0.1));
  expect(run.maxGap).toBeLessThan(Math.max(250, run.elapsed / 4));
}

test('async batch with threads 2 does not block the page, threaded and single-threaded', async () => {
  for (const [args, threads] of [
    [[], true],
    [['--no-isolation'], false],
  ]) {
    const page = await openDemo(args);
    const r = await batchInPage(page);
    expect(r).toMatchObject({ threads, same: true, frames: 512 });
    if (threads) expect(r.buffers).toBeGreaterThanOrEqual(2);
    expectKeptTicking(r.compress);
    expectKeptTicking(r.decompress);
    expect(r.sync.ticks).toBe(0);
    if (process.env.ZSTDKIT_VERBOSE) console.log(`batch in page (threads ${threads}): ${JSON.stringify(r)}`);
    await page.close();
  }
}, 180000);

// Streaming in the page: a Blob of a few MiB through ZstdCompressionStream then
// ZstdDecompressionStream. (The demo's own panels: demo-ui.test.cjs.)
test('with COOP/COEP: Web streams in the page', async () => {
  const page = await openDemo([]);
  const r = await page.evaluate(async () => {
    const zstd = await import('/zstd-kit/index.js');
    await zstd.init();
    // 6 MiB: text-like runs with incompressible stretches (xorshift) every other MiB.
    const size = 6 << 20;
    const data = new Uint8Array(size);
    let x = 2463534242;
    for (let i = 0; i < size; i++) {
      if ((i >> 20) & 1) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        data[i] = x & 0xff;
      } else {
        data[i] = 97 + (((i * 7) ^ (i >> 9)) % 26);
      }
    }
    const cs = new zstd.ZstdCompressionStream({ level: 3, threads: 2, writeChecksum: true });
    const ds = new zstd.ZstdDecompressionStream();
    const isTransform = cs instanceof TransformStream && ds instanceof TransformStream;
    const compressed = new Uint8Array(await new Response(new Blob([data]).stream().pipeThrough(cs)).arrayBuffer());
    const back = new Uint8Array(await new Response(new Blob([compressed]).stream().pipeThrough(ds)).arrayBuffer());
    let same = back.length === size;
    for (let i = 0; same && i < size; i++) same = back[i] === data[i];
    // Chained directly, as a page would: no intermediate buffer.
    const chained = new Uint8Array(
      await new Response(
        new Blob([data])
          .stream()
          .pipeThrough(new zstd.ZstdCompressionStream({ level: 1 }))
          .pipeThrough(new zstd.ZstdDecompressionStream()),
      ).arrayBuffer(),
    );
    let chainedSame = chained.length === size;
    for (let i = 0; chainedSame && i < size; i += 4093) chainedSame = chained[i] === data[i];
    // A truncated stream errors the readable side with the ZstdError (read here directly: a
    // Response body reports any stream error as its own TypeError).
    let truncated = 'no error';
    let viaResponse = 'no error';
    const cut = () => new Blob([compressed.subarray(0, compressed.length - 9)]).stream().pipeThrough(new zstd.ZstdDecompressionStream());
    try {
      const reader = cut().getReader();
      while (!(await reader.read()).done);
    } catch (e) {
      truncated = `${e.name} ${e.code}`;
    }
    try {
      await new Response(cut()).arrayBuffer();
    } catch (e) {
      viaResponse = e.name;
    }
    return { threads: zstd.features.threads, isTransform, same, chainedSame, ratio: size / compressed.length, truncated, viaResponse };
  });
  expect(r).toMatchObject({ threads: true, isTransform: true, same: true, chainedSame: true, truncated: 'ZstdError src_size_wrong' });
  expect(r.viaResponse).not.toBe('no error');
  expect(r.ratio).toBeGreaterThan(1.5);

  await page.close();
}, 180000);

afterAll(() => {
  if (log.some((l) => l.startsWith('pageerror'))) console.log(log.join('\n'));
});
