// zstd-kit in headless Chromium (Debian's, driven by playwright-core) on a cross-origin isolated
// page of the demo server (so the threaded build loads): compress / decompress MB/s and ratio at
// levels 1/3/9/19, threads 0 and 2, sync and async, next to the browser's own
// CompressionStream('gzip') on the same data; for async calls, the longest main-thread task
// (PerformanceObserver 'longtask') and the longest gap of a 5 ms setInterval. Data: 32 MiB of the
// large corpus, repeated from its start when it is smaller (level 19: the first 4 MiB); threads 0
// and 2 run in turn in every round.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, startServer } from '../tests/browser/harness.cjs';

export const DATA_MIB = 32;
const LEVELS = [
  { level: 1, mib: DATA_MIB },
  { level: 3, mib: DATA_MIB },
  { level: 9, mib: DATA_MIB },
  { level: 19, mib: 4 },
];

// Runs in the page.
async function pageBench({ levels, rounds, mib }) {
  const zstd = await import('/zstd-kit/index.js');
  await zstd.init();
  const corpus = new Uint8Array(await (await fetch('/bench-data')).arrayBuffer());
  // `mib` MiB: the corpus, then again from its start as often as needed, cut there.
  const full = new Uint8Array(mib << 20);
  for (let at = 0; at < full.length; at += corpus.length) full.set(corpus.subarray(0, full.length - at), at);
  const longTasks = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const settle = () => new Promise((r) => setTimeout(r, 60)); // long-task entries come a little later
  // Times one call of fn (ms); for async ones, also the longest task and interval gap.
  async function time(fn, watch) {
    let maxGap = 0;
    let last = performance.now();
    const timer = watch
      ? setInterval(() => {
          const now = performance.now();
          maxGap = Math.max(maxGap, now - last);
          last = now;
        }, 5)
      : null;
    await settle();
    longTasks.length = 0;
    const start = performance.now();
    const result = await fn();
    const ms = performance.now() - start;
    if (timer) {
      maxGap = Math.max(maxGap, performance.now() - last);
      clearInterval(timer);
    }
    await settle();
    return { ms, longest: Math.max(0, ...longTasks), maxGap, result };
  }
  async function streamThrough(data, stream) {
    const out = await new Response(new Blob([data]).stream().pipeThrough(stream)).arrayBuffer();
    return new Uint8Array(out);
  }
  const rows = [];
  for (const { level, mib } of levels) {
    const data = full.subarray(0, Math.min(full.length, mib << 20));
    // Threads 0 and 2 in turn in every round, so both see the same machine.
    const runs = [0, 2].map((threads) => ({
      threads,
      c: new zstd.ZstdCompressor({ level, threads }),
      d: new zstd.ZstdDecompressor(),
      t: {},
    }));
    for (const run of runs) await run.c.compressAsync(data.subarray(0, 1 << 20)); // warm up (workers, memory)
    const keep = (t, key, x) => (t[key] ??= []).push(x);
    for (let round = 0; round < rounds; round++) {
      for (const { c, d, t } of runs) {
        keep(t, 'sync', await time(() => c.compress(data), false));
        const async = await time(() => c.compressAsync(data), true);
        keep(t, 'async', async);
        keep(t, 'dsync', await time(() => d.decompress(async.result), false));
        const dasync = await time(() => d.decompressAsync(async.result), true);
        if (dasync.result.length !== data.length) throw new Error('round trip failed');
        keep(t, 'dasync', dasync);
        t.ratio = data.length / async.result.length;
      }
    }
    for (const { threads, c, d, t } of runs) {
      const ms = (key) => median(t[key].map((x) => x.ms));
      const most = (key, field) => Math.max(...t[key].map((x) => x[field]));
      rows.push({
        level,
        threads,
        bytes: data.length,
        ratio: t.ratio,
        syncMs: ms('sync'),
        asyncMs: ms('async'),
        dsyncMs: ms('dsync'),
        dasyncMs: ms('dasync'),
        asyncRuns: t.async.map((x) => x.ms),
        longest: Math.max(most('async', 'longest'), most('dasync', 'longest')),
        maxGap: Math.max(most('async', 'maxGap'), most('dasync', 'maxGap')),
      });
      c.free();
      d.free();
    }
  }
  const gzData = full;
  const gzRuns = [];
  const gunzipRuns = [];
  for (let round = 0; round < rounds; round++) {
    gzRuns.push(await time(() => streamThrough(gzData, new CompressionStream('gzip')), true));
    gunzipRuns.push(await time(() => streamThrough(gzRuns[0].result, new DecompressionStream('gzip')), true));
  }
  const summary = (runs) => ({
    ms: median(runs.map((x) => x.ms)),
    longest: Math.max(...runs.map((x) => x.longest)),
    result: runs[0].result,
  });
  const gz = summary(gzRuns);
  const gunzip = summary(gunzipRuns);
  return {
    threads: zstd.features.threads,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    userAgent: navigator.userAgent,
    rows,
    gzip: {
      bytes: gzData.length,
      ratio: gzData.length / gz.result.length,
      ms: gz.ms,
      dms: gunzip.ms,
      longest: Math.max(gz.longest, gunzip.longest),
    },
  };
}

export async function benchBrowser({ corpusPath, rounds = 2, levels = LEVELS }) {
  const server = await startServer([]);
  const context = await launchChromium(mkdtempSync(join(tmpdir(), 'zstd-kit-bench-')));
  try {
    const page = await context.newPage();
    const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    // As it is (a 32 MiB body would overflow the DevTools pipe); the page repeats it to 32 MiB.
    const corpus = readFileSync(corpusPath).subarray(0, DATA_MIB << 20);
    await page.route(`${server.url}bench.html`, (r) =>
      r.fulfill({ status: 200, contentType: 'text/html', headers: isolation, body: '<!doctype html><title>bench</title>' }),
    );
    await page.route(`${server.url}bench-data`, (r) =>
      r.fulfill({ status: 200, contentType: 'application/octet-stream', headers: isolation, body: corpus }),
    );
    await page.goto(`${server.url}bench.html`);
    const r = await page.evaluate(pageBench, { levels, rounds, mib: DATA_MIB });
    if (!r.threads || !r.crossOriginIsolated) throw new Error('the bench page did not get the threaded build');
    const mbps = (bytes, ms) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
    const rows = r.rows.map(
      (x) =>
        `| ${x.level} | ${x.threads} | ${(x.bytes / 2 ** 20).toFixed(0)} | ${x.ratio.toFixed(2)} | ${mbps(x.bytes, x.syncMs)} | ` +
        `${mbps(x.bytes, x.asyncMs)} | ${mbps(x.bytes, x.dsyncMs)} | ${mbps(x.bytes, x.dasyncMs)} | ${x.longest.toFixed(0)} | ${x.maxGap.toFixed(0)} |`,
    );
    const g = r.gzip;
    rows.push(
      `| CompressionStream('gzip') | - | ${(g.bytes / 2 ** 20).toFixed(0)} | ${g.ratio.toFixed(2)} | - | ${mbps(g.bytes, g.ms)} | - | ${mbps(g.bytes, g.dms)} | ${g.longest.toFixed(0)} | - |`,
    );
    const at = (level, threads) => r.rows.find((x) => x.level === level && x.threads === threads);
    const l9 = { t0: at(9, 0), t2: at(9, 2) };
    const speedup = l9.t0.asyncMs / l9.t2.asyncMs;
    const header = [
      '| level | threads | MiB | ratio | compress sync MB/s | compress async MB/s | decompress sync MB/s | decompress async MB/s | longest main-thread task during async (ms) | longest 5 ms-interval gap (ms) |',
      '|---|---|---|---|---|---|---|---|---|---|',
    ];
    return {
      table: [...header, ...rows].join('\n'),
      speedup,
      l9longest: l9.t2.longest,
      l9runs: { t0: l9.t0.asyncRuns, t2: l9.t2.asyncRuns },
      userAgent: r.userAgent,
    };
  } finally {
    await context.close().catch(() => {}); // a crashed page: the error that matters came first
    server.stop();
  }
}
