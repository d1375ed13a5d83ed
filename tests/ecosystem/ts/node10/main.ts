// Node, CommonJS: the require() condition and its .d.cts.
import type { Transform } from 'node:stream';
import * as zstd from 'zstd-kit';
import { createZstdDecompress } from 'zstd-kit/node';

zstd.init({ baseUrl: '/srv/zstd-kit/' }).then((ns) => {
  const d = new ns.ZstdDecompressor();
  const out: Uint8Array = d.decompress(new ns.ZstdCompressor().compress('x'));
  d[Symbol.dispose]();
  const transform: Transform = createZstdDecompress();
  const code: string | undefined = ns.features.threadsError?.code;
  void [out, transform, code];
});
