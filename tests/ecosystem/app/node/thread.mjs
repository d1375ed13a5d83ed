import { parentPort } from 'node:worker_threads';
import * as zstd from 'zstd-kit';
import { roundTrip } from '../roundtrip.js';

parentPort.postMessage(await roundTrip(zstd));
