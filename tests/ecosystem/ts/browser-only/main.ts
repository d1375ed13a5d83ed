// A browser app: no @types/node, lib es2022 + dom only.
import * as zstd from 'zstd-kit';

await zstd.init({ baseUrl: new URL('./wasm/', location.href) });
const buffer = zstd.allocBuffer(16);
buffer[Symbol.dispose]();
const stream: ReadableStream<Uint8Array> = new Blob(['x']).stream().pipeThrough(new zstd.ZstdCompressionStream({ level: 3 }));
const e = new zstd.ZstdError('load_failed', 'no wasm', { cause: new Error('404') });
void [stream, e.code];
