// Node, ES module: the main entry and zstd-kit/node.
import type { Transform } from 'node:stream';
import * as zstd from 'zstd-kit';
import { createZstdCompress } from 'zstd-kit/node';

const ns: typeof zstd = await zstd.init({ threads: false, locateFile: (file: string) => new URL(file, import.meta.url) });
const c = new ns.ZstdCompressor({ level: 3 });
const frame: Uint8Array = c.compress('text');
c[Symbol.dispose]();
const why: zstd.ZstdError | null = zstd.features.threadsError;
const transform: Transform = createZstdCompress({ level: 1 });
void [frame, why, transform];
