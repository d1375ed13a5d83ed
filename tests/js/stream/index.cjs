// The streaming APIs (compressobj, decompressobj, chunker, readToIter, streamWriter, copyStream,
// frameProgression, ZstdCompressionStream / ZstdDecompressionStream, createZstdCompress /
// createZstdDecompress), one suite per API, run against one build: stream.test.cjs (threaded) and
// stream-st.test.cjs (single-threaded) call this with their init() options.
const { fixtures } = require('./common.cjs');

const suites = [
  './compressobj.cjs',
  './decompressobj.cjs',
  './chunker.cjs',
  './read-to-iter.cjs',
  './stream-writer.cjs',
  './copy-stream.cjs',
  './web-streams.cjs',
  './node-streams.cjs',
  './lifetime.cjs',
];

module.exports = function streamSuites(initOptions) {
  const f = fixtures(initOptions);
  for (const suite of suites) require(suite)(f);
};
