// Random access in Chromium: openSeekable() reads a range of a seekable Blob made in the page, and
// of a seekable file the demo server serves (HTTP Range requests), isolated (threaded build) and
// not (single-threaded).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, launchChromium } = require('./harness.cjs');
const zstd = require('zstd-kit');

const SIZE = 3 << 20;

// The same bytes in Node and in the page: text-like, from a small PRNG.
function generate(size) {
  const out = new Uint8Array(size);
  let x = 12345;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 24) % 3 === 0 ? 32 : 97 + (((x >>> 16) ^ (i >> 6)) % 26);
  }
  return out;
}

let context;
let dir;
const servers = [];
const log = [];

beforeAll(async () => {
  await zstd.init();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zstd-kit-seekable-'));
  fs.writeFileSync(path.join(dir, 'data.zst'), zstd.compressSeekable(generate(SIZE), { frameSize: 256 << 10 }));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zstd-kit-chromium-'));
  context = await launchChromium(userDataDir);
}, 60000);

afterAll(async () => {
  await context?.close();
  for (const s of servers) s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function readInPage(serverArgs) {
  const server = await startServer(['--files', dir, ...serverArgs]);
  servers.push(server);
  const page = await context.newPage();
  page.on('console', (m) => log.push(m.text()));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  await page.goto(server.url);
  const result = await page.evaluate(
    async ({ size, generateSource }) => {
      const generate = new Function(`return (${generateSource})`)();
      const zstd = await import('/zstd-kit/index.js');
      await zstd.init();
      const data = generate(size);
      const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
      const ranges = [
        [0, 1],
        [(256 << 10) - 3, 10],
        [1234567, 500000],
        [size - 1, 5],
      ];
      const check = async (r) => {
        const ok = [];
        for (const [offset, length] of ranges) ok.push(same(await r.read(offset, length), data.subarray(offset, offset + length)));
        return ok;
      };
      const out = { threads: zstd.features.threads };
      // A Blob made here.
      const blob = new Blob([zstd.compressSeekable(data, { frameSize: 100000 })]);
      const fromBlob = await zstd.openSeekable(blob);
      out.blob = { frames: fromBlob.frameCount, ok: await check(fromBlob) };
      await fromBlob.close();
      // The server's file, by a relative URL string and by a URL object.
      const before = performance.getEntriesByType('resource').length;
      const fromUrl = await zstd.openSeekable('/files/data.zst');
      out.url = { size: fromUrl.size, frames: fromUrl.frameCount, ok: await check(fromUrl) };
      await fromUrl.close();
      out.requests = performance.getEntriesByType('resource').length - before;
      const fromObject = await zstd.openSeekable(new URL('/files/data.zst', location.href));
      const part = await fromObject.read(2 << 20, 1000);
      out.urlObject = same(part, data.subarray(2 << 20, (2 << 20) + 1000));
      await fromObject.close();
      try {
        await zstd.openSeekable('/files/missing.zst');
        out.missing = 'no error';
      } catch (e) {
        out.missing = e.code;
      }
      return out;
    },
    { size: SIZE, generateSource: generate.toString() },
  );
  await page.close();
  return result;
}

test.each([
  ['with COOP/COEP (threaded build)', [], true],
  ['without (single-threaded build)', ['--no-isolation'], false],
])(
  '%s: ranges of a Blob and of a URL served by the demo server',
  async (_, args, threads) => {
    const r = await readInPage(args);
    expect(r.threads).toBe(threads);
    expect(r.blob).toEqual({ frames: Math.ceil(SIZE / 100000), ok: [true, true, true, true] });
    expect(r.url).toEqual({ size: SIZE, frames: 12, ok: [true, true, true, true] });
    // One request for the tail (footer and table), then one per read: the second read's first
    // frame (frame 0) comes from the cache, its second (frame 1) from the server.
    expect(r.requests).toBe(5);
    expect(r.urlObject).toBe(true);
    expect(r.missing).toBe('seekable_io');
  },
  120000,
);
