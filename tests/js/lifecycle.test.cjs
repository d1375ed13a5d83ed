// free(), Symbol.dispose, use after free, finalization, and no leaks across many calls.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const zstd = require('zstd-kit');
const { textData } = require('./helpers.cjs');

let frame;
beforeAll(async () => {
  await zstd.init();
  frame = new zstd.ZstdCompressor().compress('x');
});

const root = path.join(__dirname, '..', '..');

test.each([
  ['ZstdCompressor', () => new zstd.ZstdCompressor(), (o) => o.compress('x')],
  ['ZstdDecompressor', () => new zstd.ZstdDecompressor(), (o) => o.decompress(frame)],
  ['WasmBuffer', () => zstd.allocBuffer(8), (o) => o.view()],
])('%s: free() releases memory, twice is harmless, use after is ZstdError(freed)', (_, make, use) => {
  const before = zstd.memory.totalAllocatedBytes();
  const o = make();
  use(o);
  o.free();
  o.free();
  expect(o.freed).toBe(true);
  expect(zstd.memory.totalAllocatedBytes()).toBe(before);
  expect(() => use(o)).toThrow(expect.objectContaining({ name: 'ZstdError', code: 'freed' }));
});

test('Symbol.dispose frees', () => {
  // Jest's sandbox has no Symbol.dispose; the library then uses the registered fallback symbol.
  // The real-realm check is in loading.test.cjs (entry points).
  const dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');
  const before = zstd.memory.totalAllocatedBytes();
  const c = new zstd.ZstdCompressor();
  c[dispose]();
  expect(c.freed).toBe(true);
  expect(zstd.memory.totalAllocatedBytes()).toBe(before);
});

test('a freed WasmBuffer cannot be used as input', () => {
  const b = zstd.allocBuffer(10);
  b.free();
  expect(() => new zstd.ZstdCompressor().compress(b)).toThrow(expect.objectContaining({ code: 'freed' }));
});

test('100,000 one-shot calls leak nothing', () => {
  const c = new zstd.ZstdCompressor();
  const d = new zstd.ZstdDecompressor();
  const data = textData(300);
  d.decompress(c.compress(data));
  const baseline = zstd.memory.totalAllocatedBytes();
  for (let i = 0; i < 100000; i++) d.decompress(c.compress(data));
  expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
});

test('peakAllocatedBytes and heapSize', () => {
  const peak = zstd.memory.peakAllocatedBytes();
  const b = zstd.allocBuffer(peak + (1 << 20));
  expect(zstd.memory.peakAllocatedBytes()).toBeGreaterThan(peak);
  expect(zstd.memory.heapSize()).toBeGreaterThan(zstd.memory.totalAllocatedBytes());
  b.free();
});

test('objects the user forgets are freed by the garbage collector', () => {
  // Needs --expose-gc, so it runs in a child process.
  const out = execFileSync(process.execPath, ['--expose-gc', '-'], {
    cwd: root,
    encoding: 'utf8',
    input: `
      const zstd = require('zstd-kit');
      zstd.init().then(async () => {
        const before = zstd.memory.totalAllocatedBytes();
        (() => { for (let i = 0; i < 50; i++) { new zstd.ZstdCompressor({ level: 19 }).compress('x'.repeat(1000)); zstd.allocBuffer(100000); } })();
        const held = zstd.memory.totalAllocatedBytes();
        for (let i = 0; i < 20 && zstd.memory.totalAllocatedBytes() > before; i++) {
          global.gc();
          await new Promise((r) => setTimeout(r, 20));
        }
        console.log(JSON.stringify({ grew: held > before, back: zstd.memory.totalAllocatedBytes() === before }));
      });
    `,
  });
  expect(JSON.parse(out)).toEqual({ grew: true, back: true });
});

test('a 1.2 GiB input round-trips: input and its bound need separate wasm allocations', () => {
  const out = execFileSync(process.execPath, ['-'], {
    cwd: root,
    encoding: 'utf8',
    input: `
      const zstd = require('zstd-kit');
      zstd.init().then(() => {
        const size = 1200 * 2 ** 20;
        const data = Buffer.alloc(size);
        for (let i = 0; i < size; i += 4096) data.write('huge input ' + i, i);
        const frame = new zstd.ZstdCompressor({ level: 1 }).compress(data);
        const back = new zstd.ZstdDecompressor().decompress(frame);
        console.log(JSON.stringify({ same: Buffer.compare(back, data) === 0, contentSize: zstd.frameContentSize(frame) }));
      });
    `,
  });
  expect(JSON.parse(out)).toEqual({ same: true, contentSize: 1200 * 2 ** 20 });
}, 120000);
