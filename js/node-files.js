// Files in Node, for the I/O objects, the archives and the command line: chunked reads with one
// read ahead (the next read runs while the current chunk is being worked on), sinks that write
// whole chunks, and output written under a temporary name in the target's folder, renamed into
// place only once complete (so a failure never leaves a partial file behind).
import { randomBytes } from 'node:crypto';
import { open as openFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The path a string or file: URL names. */
export function pathOf(file) {
  return file instanceof URL ? fileURLToPath(file) : file;
}

/**
 * The chunks of an open file, read `readSize` bytes at a time from `position` (default: where
 * the handle is), each a Buffer of its own; the next read is under way while a chunk is being
 * used. An async iterator whose return() (also before the first chunk) closes the file when
 * `close` is set; so do the end and an error.
 */
export function fileChunks(handle, { readSize = 1 << 20, position = null, length = Infinity, close = true } = {}) {
  let at = position;
  let left = length;
  let ahead = null;
  let finished = false;
  const finish = async () => {
    if (finished) return;
    finished = true;
    if (close) await handle.close();
  };
  const readNext = () => {
    const size = Math.min(readSize, left);
    if (size <= 0) return Promise.resolve(null);
    const buffer = Buffer.allocUnsafe(size);
    const from = at;
    return handle.read(buffer, 0, size, from).then(({ bytesRead }) => {
      if (bytesRead === 0) return null;
      if (at !== null) at += bytesRead;
      left -= bytesRead;
      return bytesRead === size ? buffer : buffer.subarray(0, bytesRead);
    });
  };
  return {
    async next() {
      if (finished) return { done: true, value: undefined };
      try {
        const chunk = await (ahead ?? readNext());
        ahead = chunk === null ? null : readNext();
        ahead?.catch(() => {}); // an error is met by the next call
        if (chunk === null) {
          await finish();
          return { done: true, value: undefined };
        }
        return { done: false, value: chunk };
      } catch (e) {
        await finish().catch(() => {});
        throw e;
      }
    },
    async return() {
      await ahead?.catch(() => {});
      ahead = null;
      await finish();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Writes all of `bytes` at the handle's position (a write may take fewer bytes than given). */
export async function writeAll(handle, bytes) {
  for (let at = 0; at < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, at, bytes.length - at);
    at += bytesWritten;
  }
}

/** A WritableStream into an open file: closing it (or aborting it) closes the file. */
export function fileSink(handle) {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return new WritableStream({
    write: (chunk) => writeAll(handle, chunk),
    close,
    abort: () => close(),
  });
}

/**
 * A file written under a temporary name beside `path`: { handle, sink, commit(), abort() }.
 * commit() closes it and renames it to `path` (replacing what is there); abort() closes and
 * removes it. Nothing else ever appears at `path`.
 */
export async function atomicFile(path, { mode = 0o666 } = {}) {
  const target = pathOf(path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await openFile(temp, 'wx', mode);
  let closed = false;
  const closeHandle = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  let settled = false;
  return {
    handle,
    temp,
    /** A WritableStream into the file; closing it does not commit. */
    sink: new WritableStream({ write: (chunk) => writeAll(handle, chunk) }),
    async commit() {
      if (settled) return;
      settled = true;
      try {
        await closeHandle();
        await rename(temp, target);
      } catch (e) {
        await closeHandle().catch(() => {});
        await rm(temp, { force: true });
        throw e;
      }
    },
    async abort() {
      if (settled) return;
      settled = true;
      await closeHandle().catch(() => {});
      await rm(temp, { force: true });
    },
  };
}
