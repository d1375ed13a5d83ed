// ESM and CommonJS copies in one process are one instance: init() on one serves the other.
import { createRequire } from 'node:module';
import * as esm from 'zstd-kit';
import * as esmNode from 'zstd-kit/node';
import { report, roundTrip } from '../roundtrip.js';

const cjs = createRequire(import.meta.url)('zstd-kit');
report(
  roundTrip(esm).then((result) => {
    const back = new cjs.ZstdDecompressor().decompress(new esm.ZstdCompressor().compress('from ESM to CommonJS'));
    const shared = cjs.ZstdCompressor === esm.ZstdCompressor && esmNode.features === cjs.features && back.length === 20;
    return { ...result, shared };
  }),
);
