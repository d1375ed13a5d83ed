import * as zstd from 'zstd-kit';
import { report, roundTrip } from '../roundtrip.js';

report(roundTrip(zstd));
