// The wasm heap stays near the most the library ever allocated: large one-shot round trips in
// one instance reuse the space the previous ones freed (the heap never shrinks, so any growth
// would be for good), and every byte allocated is freed again. Run against one build, in a
// fresh instance (Jest loads zstd-kit anew per test file): memory-footprint.test.cjs
// (threaded) and memory-footprint-st.test.cjs (single-threaded). Not timed.
const zstd = require('zstd-kit');
const { textData } = require('./helpers.cjs');

const MiB = 1 << 20;
// Large enough that the heap is mostly the round trip's own memory (it starts at 16 MiB: static
// data, the main stack and, threaded, the pool threads' stacks, none of which is counted).
const SIZE = 64 * MiB;
const HEAP_BOUND = 1.15;

module.exports = function memoryFootprintSuite(initOptions) {
  const threaded = initOptions.threads !== false;

  beforeAll(async () => {
    await zstd.init(initOptions);
    expect(zstd.features.threads).toBe(threaded);
  });

  test('repeated 64 MiB one-shot round trips: the heap does not grow after the first, stays <= 1.15x the peak allocated, and every allocation is freed', () => {
    const data = textData(SIZE, 7);
    const baseline = zstd.memory.totalAllocatedBytes();
    const c = new zstd.ZstdCompressor({ level: 1 });
    const d = new zstd.ZstdDecompressor();
    const heapAfter = [];
    for (let round = 0; round < 3; round++) {
      const frame = c.compress(data);
      const back = d.decompress(frame);
      expect(back.length).toBe(SIZE);
      expect(Buffer.compare(back, data)).toBe(0);
      heapAfter.push(zstd.memory.heapSize());
    }
    c.free();
    d.free();
    // The round trip staged input and output in one block of twice the input: that is the peak.
    const peak = zstd.memory.peakAllocatedBytes();
    expect(peak).toBeGreaterThan(2 * SIZE);
    expect(heapAfter[1]).toBe(heapAfter[0]);
    expect(heapAfter[2]).toBe(heapAfter[0]);
    expect(zstd.memory.heapSize()).toBeLessThanOrEqual(HEAP_BOUND * peak);
    expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
  });

  // Each form in a loop of its own, its results freed before the next round. (Mixed in one loop
  // with a frame kept alive across an async call, the threaded build's heap grows once: see
  // bench/RESULTS.md's memory section.)
  test.each([
    [
      'compressToBuffer / decompressToBuffer',
      async (c, d, data) => {
        const frame = c.compressToBuffer(data);
        const back = d.decompressToBuffer(frame);
        frame.free();
        expect(back.size).toBe(SIZE);
        expect(Buffer.compare(back.view(), data)).toBe(0);
        back.free();
      },
    ],
    [
      'compressAsync / decompressAsync',
      async (c, d, data) => {
        const back = await d.decompressAsync(await c.compressAsync(data));
        expect(Buffer.compare(back, data)).toBe(0);
      },
    ],
  ])('%s: repeated 64 MiB round trips reuse the space of the first, and free what they allocate', async (_name, roundTrip) => {
    const data = textData(SIZE, 8);
    const heapBefore = zstd.memory.heapSize();
    const baseline = zstd.memory.totalAllocatedBytes();
    const c = new zstd.ZstdCompressor({ level: 1 });
    const d = new zstd.ZstdDecompressor();
    const heapAfter = [];
    for (let round = 0; round < 3; round++) {
      await roundTrip(c, d, data);
      heapAfter.push(zstd.memory.heapSize());
    }
    c.free();
    d.free();
    expect(heapAfter[1]).toBe(heapAfter[0]);
    expect(heapAfter[2]).toBe(heapAfter[0]);
    expect(zstd.memory.heapSize()).toBeLessThanOrEqual(Math.max(heapBefore, HEAP_BOUND * zstd.memory.peakAllocatedBytes()));
    expect(zstd.memory.totalAllocatedBytes()).toBe(baseline);
  });
};
