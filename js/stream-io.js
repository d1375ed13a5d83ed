// Streaming from sources: readToIter (an async iterable of output chunks) and copyStream (into a
// ZstdStreamWriter, see stream-writer.js). Sources: any data input, a ReadableStream, a Node
// Readable or any (async) iterable of chunks.
import { typeError } from './errors.js';
import { isWasmBuffer, toUint8Array } from './input.js';
import { heap } from './runtime.js';
import { compressContinue, END, runCompress, runDecompress } from './session.js';
import { isThenable } from './stream-writer.js';

function isDataInput(source) {
  if (typeof source === 'string' || ArrayBuffer.isView(source)) return true;
  const tag = Object.prototype.toString.call(source);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

/** The chunks of a source, each a Uint8Array; data inputs are cut into readSize pieces. */
export async function* chunksOf(source, readSize) {
  if (isWasmBuffer(source)) {
    const [ptr, length] = source._wasmRegion();
    // A fresh view each time: memory may grow between pieces.
    for (let at = 0; at < length; at += readSize) yield heap().subarray(ptr + at, ptr + Math.min(length, at + readSize));
    return;
  }
  if (isDataInput(source)) {
    const bytes = toUint8Array(source, 'source');
    for (let at = 0; at < bytes.length; at += readSize) yield bytes.subarray(at, Math.min(bytes.length, at + readSize));
    return;
  }
  if (source !== null && typeof source === 'object' && typeof source.getReader === 'function') {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield toUint8Array(value, 'a chunk of source');
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (source !== null && typeof source === 'object' && (Symbol.asyncIterator in source || Symbol.iterator in source)) {
    for await (const chunk of source) yield toUint8Array(chunk, 'a chunk of source');
    return;
  }
  throw typeError('source must be data, a ReadableStream, a Node Readable or an (async) iterable of chunks');
}

/** Compressed chunks of `source`, as python-zstandard's read_to_iter. */
export async function* compressToIter(session, source, readSize, writeSize) {
  try {
    for await (const chunk of chunksOf(source, readSize)) {
      yield* session._output(session._push(chunk, compressContinue, writeSize), writeSize);
    }
    yield* session._output(session._drain(runCompress(END), writeSize), writeSize);
  } finally {
    session.free();
  }
}

/** Decompressed chunks of `source`; a stream that ends inside a frame is a ZstdError. */
export async function* decompressToIter(session, source, { readSize, writeSize, skipBytes, across }) {
  const run = runDecompress(across);
  const stop = across ? null : (h) => h.frameEnded();
  let skip = skipBytes;
  try {
    for await (let chunk of chunksOf(source, readSize)) {
      if (skip > 0) {
        const k = Math.min(skip, chunk.length);
        skip -= k;
        chunk = chunk.subarray(k);
        if (chunk.length === 0) continue;
      }
      yield* session._output(session._push(chunk, run, writeSize, stop), writeSize);
      if (!across && session._frameEnded()) return;
    }
    session._checkEnd();
  } finally {
    session.free();
  }
}

/** copyStream(): source -> writer, awaiting the sink; ends the sink. */
export async function copyThrough(source, writer, readSize) {
  let bytesRead = 0;
  try {
    for await (const chunk of chunksOf(source, readSize)) {
      bytesRead += chunk.length;
      const r = writer.write(chunk);
      if (isThenable(r)) await r;
    }
    await writer.close();
  } catch (e) {
    writer.abort(e); // the sink is aborted whatever failed: the source, the data or the sink
    throw e;
  } finally {
    writer.free();
  }
  return { bytesRead, bytesWritten: writer.bytesWritten };
}
