// The check every scenario runs, wherever it runs: init(), a round trip of 4 MiB (large enough
// for zstd to start its worker threads when the build has them), and what the page or process got.
export async function roundTrip(zstd, options) {
  const ns = await zstd.init(options);
  const size = 4 << 20;
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i % 251) ^ ((i >> 12) & 0x3f);
  const c = new zstd.ZstdCompressor({ level: 3, threads: 2 });
  const frame = c.compress(data);
  const back = new zstd.ZstdDecompressor().decompress(frame);
  let same = back.length === size;
  for (let i = 0; same && i < size; i++) same = back[i] === data[i];
  const sameApi = Object.keys(zstd).every((k) => ns[k] === zstd[k]);
  return {
    roundTrip: same,
    namespace: ns === zstd ? 'same' : sameApi ? 'equivalent' : 'different',
    threads: zstd.features.threads,
    workers: c.threads,
    isolated: globalThis.crossOriginIsolated === true,
    threadsError: zstd.features.threadsError?.message ?? null,
    className: zstd.WasmBuffer.name,
  };
}

/** Prints the result (or the error) on one line the runner looks for. */
export function report(promise) {
  return promise.then(
    (result) => console.log(`zstd-kit-result ${JSON.stringify(result)}`),
    (e) => console.log(`zstd-kit-result ${JSON.stringify({ error: String(e?.stack ?? e) })}`),
  );
}
