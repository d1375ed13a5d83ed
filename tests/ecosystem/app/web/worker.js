// A module Web Worker using zstd-kit; in-worker.js starts it and reports what it posts.
import * as zstd from 'zstd-kit';
import { roundTrip } from '../roundtrip.js';

roundTrip(zstd).then(
  (result) => postMessage(result),
  (e) => postMessage({ error: String(e?.stack ?? e) }),
);
