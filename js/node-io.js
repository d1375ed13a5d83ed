// Node's inputStream(), outputStream() and open(): the ones of io.js, plus paths (strings and
// file: URLs). A '.zst' path is decompressed (or compressed) on the fly by inputStream() and
// outputStream(); open() always reads and writes zstd. Files are opened at once, so a missing
// file rejects the call itself, and closed when the stream ends, fails or is closed.
import { open as openFile } from 'node:fs/promises';
import {
  checkEncoding,
  isBlob,
  openInput,
  openOn,
  openOutput,
  inputStream as inputOf,
  open as openOf,
  outputStream as outputOf,
} from './io.js';
import { inputStreamOptions, openOptions, outputStreamOptions } from './options.js';
import { fileChunks, fileSink, pathOf } from './node-files.js';

const isPath = (x) => typeof x === 'string' || x instanceof URL;

/** As io.js inputStream(), and a path: a file read in chunks, decompressed when its name ends in '.zst'. */
export async function inputStream(source, options = undefined) {
  if (!isPath(source)) return inputOf(source, options);
  const o = inputStreamOptions(options);
  const path = pathOf(source);
  const handle = await openFile(path, 'r');
  const chunks = fileChunks(handle, { readSize: o.reader.readSize ?? 1 << 20 });
  try {
    const stream = openInput(chunks, o, path);
    stream._addRelease(() => chunks.return());
    return stream;
  } catch (e) {
    await chunks.return();
    throw e;
  }
}

/** As io.js outputStream(), and a path: the file is created (or truncated), compressed when its name ends in '.zst'. */
export async function outputStream(target, options = undefined) {
  if (!isPath(target)) return outputOf(target, options);
  const o = outputStreamOptions(options);
  const path = pathOf(target);
  const handle = await openFile(path, 'w');
  try {
    return openOutput(fileSink(handle), o, path);
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * As io.js open(), and a path: mode 'r' decompresses the file, 'w' creates (or truncates) it and
 * 'a' appends a new frame to it (zstd reads concatenated frames as one stream).
 */
export async function open(file, options = undefined) {
  if (!isPath(file) || isBlob(file)) return openOf(file, options);
  const o = openOptions(options);
  checkEncoding(o);
  const path = pathOf(file);
  const handle = await openFile(path, o.mode);
  try {
    if (o.mode === 'r') {
      const chunks = fileChunks(handle);
      return openOn(chunks, o, { release: () => chunks.return() });
    }
    return openOn(fileSink(handle), o);
  } catch (e) {
    await handle.close();
    throw e;
  }
}
