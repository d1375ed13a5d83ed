// openSeekable over HTTP: a local node:http server with Range support that counts requests and
// body bytes sent, and one that ignores Range. Reads must fetch only the frames they touch (one
// request per run of adjacent frames); a server that ignores Range is 'range_unsupported' at open,
// without the body being downloaded.
const zstd = require('zstd-kit');
const { startRangeServer } = require('./fixtures/range-server.cjs');
const { caught, expectSameBytes, randomData, textData, zstdCli } = require('./helpers.cjs');

const FRAME = 64 << 10;
let data;
let file;
const servers = [];
beforeAll(async () => {
  await zstd.init();
  // Text and noise, so frames have different compressed sizes.
  data = Buffer.concat(Array.from({ length: 24 }, (_, i) => (i % 3 ? textData(50000, i) : randomData(30000, i))));
  file = zstd.compressSeekable(data, { frameSize: FRAME });
});
afterAll(() => Promise.all(servers.map((s) => s.close())));
const serve = async (options) => {
  const s = await startRangeServer(options);
  servers.push(s);
  return s;
};

test('random reads transfer exactly the touched frames, one request per run', async () => {
  const server = await serve({ bytes: file });
  const r = await zstd.openSeekable(server.url, { cacheBytes: 0 });
  // Opening: one request (the footer and the table come with the last 64 KiB).
  expect(server.stats.requests).toBe(1);
  expect(server.stats.ranges[0]).toEqual([Math.max(0, file.length - (64 << 10)), file.length - 1]);
  expect(r.size).toBe(data.length);
  expect(r.compressedSize).toBe(file.length);
  let x = 99;
  for (let k = 0; k < 30; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const offset = x % data.length;
    const length = 1 + ((x >>> 8) % (3 * FRAME));
    server.reset();
    const got = await r.read(offset, length);
    expectSameBytes(got, data.subarray(offset, offset + length));
    const first = Math.floor(offset / FRAME);
    const last = Math.floor((Math.min(data.length, offset + length) - 1) / FRAME);
    let touched = 0;
    for (let i = first; i <= last; i++) touched += r.frame(i).compressedSize;
    expect(server.stats.requests).toBe(1);
    expect(server.stats.bytesSent).toBe(touched);
    expect(server.stats.ranges[0]).toEqual([r.frame(first).compressedOffset, r.frame(first).compressedOffset + touched - 1]);
  }
  await r.close();
});

test('URL objects, the cache and streams over HTTP', async () => {
  const server = await serve({ bytes: file });
  const r = await zstd.openSeekable(new URL(server.url));
  server.reset();
  await r.read(FRAME * 3, 10);
  await r.read(FRAME * 3 + 100, 10);
  expect(server.stats.requests).toBe(1); // the second read came from the cache
  server.reset();
  const parts = [];
  for await (const chunk of r.stream(FRAME * 2, FRAME * 10)) parts.push(chunk);
  expectSameBytes(Buffer.concat(parts), data.subarray(FRAME * 2, FRAME * 12));
  expect(server.stats.requests).toBe(1); // 640 KiB: within one read-ahead run
  await r.close();
});

test('a server that ignores Range is range_unsupported from its first response, body not downloaded', async () => {
  const big = zstd.compressSeekable(randomData(16 << 20, 5), { level: 1 }); // 16 MiB that does not compress
  const server = await serve({ bytes: big, ignoreRange: true });
  const before = zstd.memory.totalAllocatedBytes();
  const e = await caught(() => zstd.openSeekable(server.url));
  expect(e).toBeInstanceOf(zstd.ZstdError);
  expect(e.code).toBe('range_unsupported');
  expect(server.stats.requests).toBe(1);
  // The response was cancelled: give the server a moment to notice, then check it stopped early.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(server.stats.bytesSent).toBeLessThan(big.length / 4);
  expect(zstd.memory.totalAllocatedBytes()).toBe(before);
});

test('HTTP errors and files without a seek table', async () => {
  const plain = await serve({ bytes: zstdCli(['-c'], data) });
  expect((await caught(() => zstd.openSeekable(plain.url))).code).toBe('seek_table_invalid');
  const empty = await serve({ bytes: new Uint8Array(0) });
  const e = await caught(() => zstd.openSeekable(empty.url));
  expect(e).toBeInstanceOf(zstd.ZstdError);
  const down = await caught(() => zstd.openSeekable('http://127.0.0.1:9/nothing.zst'));
  expect(down).toBeInstanceOf(zstd.ZstdError);
  expect(down.code).toBe('seekable_io');
});
