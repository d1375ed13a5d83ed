const zstd = require('zstd-kit');

// The shared check is an ES module: import() it from CommonJS.
import('../roundtrip.js').then(({ report, roundTrip }) => report(roundTrip(zstd)));
