// Web streams as fetch bodies: an upload compressed on the way out, a response decompressed on
// the way in (run in a child process: Jest's sandbox has no fetch).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

test('fetch upload body through ZstdCompressionStream, response body through ZstdDecompressionStream', () => {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'fixtures', 'fetch-upload.mjs')], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out.trim().split('\n').pop());
  expect(r.frameOk).toBe(true);
  expect(r.sameAfterRoundTrip).toBe(true);
  expect(r.ratio).toBeGreaterThan(3);
});
