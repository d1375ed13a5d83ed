// A Cloudflare Worker using zstd-kit, bundled as wrangler does (conditions workerd, worker,
// browser; the .wasm import kept as a wasm module).
import * as zstd from 'zstd-kit';
import { roundTrip } from '../roundtrip.js';

export default {
  async fetch() {
    try {
      return Response.json(await roundTrip(zstd));
    } catch (e) {
      return Response.json({ error: String(e?.stack ?? e) });
    }
  },
};
