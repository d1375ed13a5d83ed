// zstd-kit in headless Chromium (Debian's, driven by playwright-core) on a cross-origin isolated
// page of the demo server (so the threaded build loads): compress / decompress MB/s and ratio at
// levels 1/3/9/19, threads 0 and 2, sync and async, next to the browser's own
// CompressionStream('gzip') on the same data; for async calls, the longest main-thread task
// (PerformanceObserver 'longtask') and the longest gap of a 5 ms setInterval. Data: the large
// corpus' first 32 MiB, or all of it when smaller (level 19: its first 4 MiB).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LEVELS = [
  { level: 1, mib: 32 },
  { level: 3, mib: 32 },
  { level: 9, mib: 32 },
  { level: 19, mib: 4 },
];

function startServer(root) {
  const child = spawn(process.execPath, [join(root, 'web-demo/server.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening (http:\/\/\S+)/);
      if (m) resolve({ url: m[1], stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
}

// Runs in the page.
async function pageBench({ levels, rounds }) {
  const zstd = await import('/zstd-kit/index.js');
  await zstd.init();
  const full = new Uint8Array(await (await fetch('/bench-data')).arrayBuffer());
  const longTasks = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const settle = () => new Promise((r) => setTimeout(r, 60)); // long-task entries come a little later
  // Times fn (ms, median of `rounds`); for async ones, also the longest task and interval gap.
  async function time(fn, watch) {
    const ms = [];
    let longest = 0,
      maxGap = 0,
      result;
    for (let r = 0; r < rounds; r++) {
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
      result = await fn();
      ms.push(performance.now() - start);
      if (timer) {
        maxGap = Math.max(maxGap, performance.now() - last);
        clearInterval(timer);
      }
      await settle();
      longest = Math.max(longest, 0, ...longTasks);
    }
    return { ms: median(ms), longest, maxGap, result };
  }
  async function streamThrough(data, stream) {
    const out = await new Response(new Blob([data]).stream().pipeThrough(stream)).arrayBuffer();
    return new Uint8Array(out);
  }
  const rows = [];
  for (const { level, mib } of levels) {
    const data = full.subarray(0, Math.min(full.length, mib << 20));
    for (const threads of [0, 2]) {
      const c = new zstd.ZstdCompressor({ level, threads });
      const d = new zstd.ZstdDecompressor();
      await c.compressAsync(data.subarray(0, 1 << 20)); // warm up (workers, memory)
      const sync = await time(() => c.compress(data), false);
      const async = await time(() => c.compressAsync(data), true);
      const dsync = await time(() => d.decompress(async.result), false);
      const dasync = await time(() => d.decompressAsync(async.result), true);
      if (dasync.result.length !== data.length) throw new Error('round trip failed');
      rows.push({
        level,
        threads,
        bytes: data.length,
        ratio: data.length / async.result.length,
        syncMs: sync.ms,
        asyncMs: async.ms,
        dsyncMs: dsync.ms,
        dasyncMs: dasync.ms,
        longest: Math.max(async.longest, dasync.longest),
        maxGap: Math.max(async.maxGap, dasync.maxGap),
      });
      c.free();
      d.free();
    }
  }
  const gzData = full.subarray(0, 32 << 20);
  const gz = await time(() => streamThrough(gzData, new CompressionStream('gzip')), true);
  const gunzip = await time(() => streamThrough(gz.result, new DecompressionStream('gzip')), true);
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

export async function benchBrowser({ root, corpusPath, rounds = 2 }) {
  const server = await startServer(root);
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'zstd-kit-bench-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await context.newPage();
    const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    const corpus = readFileSync(corpusPath).subarray(0, 32 << 20);
    await page.route(`${server.url}bench.html`, (r) =>
      r.fulfill({ status: 200, contentType: 'text/html', headers: isolation, body: '<!doctype html><title>bench</title>' }),
    );
    await page.route(`${server.url}bench-data`, (r) =>
      r.fulfill({ status: 200, contentType: 'application/octet-stream', headers: isolation, body: corpus }),
    );
    await page.goto(`${server.url}bench.html`);
    const r = await page.evaluate(pageBench, { levels: LEVELS, rounds });
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
    return { table: [...header, ...rows].join('\n'), speedup, l9longest: l9.t2.longest, userAgent: r.userAgent };
  } finally {
    await context.close();
    server.stop();
  }
}
