// The command line's files: inputs (a path or '-' for stdin) read in chunks, outputs (a path or
// stdout) written chunk by chunk; a path is written under a temporary name in its folder and
// renamed only once complete, so a failure never leaves a partial file. Files are read and written
// with synchronous calls, as the zstd tool does: each asynchronous call is a round trip through
// libuv's thread pool, and on a busy machine the wait for it cost a fifth of the run. stdin and
// stdout stay streams. Errors name the file and say why in one line.
import { readSync, rmSync, writeSync } from 'node:fs';
import { lstat, open as openFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ZstdError } from './errors.js';
import { atomicFile } from './node-files.js';

/** A failure of one file: printed as `zstd-kit: FILE: MESSAGE`. */
export class FileError extends Error {
  constructor(file, message, options) {
    super(message, options);
    this.name = 'FileError';
    this.file = file;
  }
}

const SYSTEM_ERRORS = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
};

/** What went wrong, in one line: a system error by its meaning, a ZstdError by its message. */
export function reasonOf(e) {
  if (typeof e?.code === 'string' && SYSTEM_ERRORS[e.code] !== undefined && !(e instanceof ZstdError)) return SYSTEM_ERRORS[e.code];
  const message = String(e?.message ?? e);
  return message.replace(/\s*\n\s*/g, '; ');
}

/** `e` as a FileError naming `file` (one that names a file already is kept). */
export function fileError(file, e) {
  return e instanceof FileError ? e : new FileError(file, reasonOf(e), { cause: e });
}

export const STDIO = '-';

/** Temporary files being written: an interrupted run (Ctrl-C) removes them before it exits. */
const pending = new Set();

/** Removes every temporary file still being written (for SIGINT and SIGTERM). */
export function removePendingFiles() {
  for (const temp of pending) rmSync(temp, { force: true });
  pending.clear();
}
export const displayName = (name) => (name === STDIO ? '(stdin)' : name);

/**
 * An input: { name, size (-1 unknown), mode, mtime, chunks (an async iterator), read (bytes read
 * so far), close() }. `onRead(total)` is called after each chunk. With `reuse`, a file is read
 * into one buffer again and again: each chunk is valid only until the next is asked for, for a
 * consumer done with it by then (the streaming compressors and decompressors copy it into wasm
 * memory). Fresh memory for every chunk costs page faults that on a 164 MiB input were ~10% of
 * a level-3 compression.
 */
export async function openSource(name, { readSize = 1 << 20, onRead = null, reuse = false } = {}) {
  let chunks;
  let size = -1;
  let st = null;
  if (name === STDIO) {
    chunks = process.stdin[Symbol.asyncIterator]();
  } else {
    let handle;
    try {
      handle = await openFile(name, 'r');
      st = await handle.stat();
    } catch (e) {
      await handle?.close();
      throw fileError(name, e);
    }
    if (!st.isFile()) {
      await handle.close();
      throw new FileError(name, st.isDirectory() ? 'is a directory' : 'not a regular file');
    }
    size = st.size;
    chunks = syncChunks(handle, readSize, reuse);
  }
  const source = {
    name,
    size,
    stat: st,
    read: 0,
    chunks: {
      async next() {
        let step;
        try {
          step = await chunks.next();
        } catch (e) {
          throw fileError(name, e);
        }
        if (!step.done) {
          source.read += step.value.length;
          onRead?.(source.read);
        }
        return step;
      },
      async return() {
        await chunks.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    },
    close: () => source.chunks.return(),
  };
  return source;
}

/**
 * The chunks of an open file, read synchronously, each a Buffer of its own (or, with `reuse`, all
 * in the same one); the end, an error or return() closes it.
 */
function syncChunks(handle, readSize, reuse) {
  let closed = false;
  let shared = null;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async next() {
      if (closed) return { done: true, value: undefined };
      let n;
      const buffer = reuse ? (shared ??= Buffer.allocUnsafeSlow(readSize)) : Buffer.allocUnsafe(readSize);
      try {
        n = readSync(handle.fd, buffer, 0, readSize, null);
      } catch (e) {
        await close().catch(() => {});
        throw e;
      }
      if (n === 0) {
        await close();
        return { done: true, value: undefined };
      }
      return { done: false, value: n === readSize ? buffer : buffer.subarray(0, n) };
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
  };
}

/** Writes all of `bytes` to a file descriptor (a write may take fewer bytes than given). */
function writeAllSync(fd, bytes) {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** The whole of a file (or stdin), for dictionaries and samples. */
export async function readWhole(name) {
  const source = await openSource(name);
  const parts = [];
  for await (const chunk of source.chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Whether something is at `path` (a dangling symlink counts). */
async function exists(path) {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if (e.code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * An output: a path (`force` replaces an existing file; without it an existing file is an error
 * before anything is written) or '-' (stdout). { name, write(chunk) -> Promise (one write in
 * flight: await it before the next), writesAtOnce (write() has used the chunk when it returns),
 * written, commit({ mode, mtime }), abort() }.
 */
export async function openTarget(name, { force = false, source = null } = {}) {
  if (name === STDIO) {
    // Each chunk is copied into one buffer, used again once the stream has written it (its
    // callback): a chunk may then be lent, and no fresh memory is touched per chunk (a copy
    // into a new array page-faulted in all of a 164 MiB output).
    let buffer = null;
    const target = {
      name: '(stdout)',
      written: 0,
      writesAtOnce: true,
      write: (chunk) => {
        target.written += chunk.length;
        if (buffer === null || buffer.length < chunk.length) buffer = Buffer.allocUnsafeSlow(Math.max(chunk.length, 1 << 20));
        const copy = buffer.subarray(0, chunk.length);
        copy.set(chunk);
        return new Promise((resolve, reject) => process.stdout.write(copy, (e) => (e ? reject(e) : resolve())));
      },
      commit: async () => {},
      abort: async () => {},
    };
    return target;
  }
  if (source !== null && source !== STDIO && resolve(source) === resolve(name)) {
    throw new FileError(name, 'the output would overwrite its own input');
  }
  if (!force && (await exists(name).catch((e) => Promise.reject(fileError(name, e))))) {
    throw new FileError(name, 'already exists (use -f to overwrite)');
  }
  let file;
  try {
    file = await atomicFile(name);
  } catch (e) {
    throw fileError(name, e);
  }
  pending.add(file.temp);
  const target = {
    name,
    written: 0,
    // write() is done with the chunk when it returns (a synchronous write): it may be lent.
    writesAtOnce: true,
    write: async (chunk) => {
      target.written += chunk.length;
      try {
        writeAllSync(file.handle.fd, chunk);
      } catch (e) {
        throw fileError(name, e);
      }
    },
    /** Renames the file into place, with the source's mode and times when given. */
    commit: async ({ mode, atime, mtime } = {}) => {
      try {
        if (mode !== undefined) await file.handle.chmod(mode);
        if (mtime !== undefined) await file.handle.utimes(atime ?? mtime, mtime);
        await file.commit();
      } catch (e) {
        await file.abort();
        throw fileError(name, e);
      } finally {
        pending.delete(file.temp);
      }
    },
    abort: async () => {
      await file.abort();
      pending.delete(file.temp);
    },
  };
  return target;
}

/**
 * Writes the chunks of `chunks` (an async iterable) to `target`, one write in flight while the
 * next chunk is made. On any error the target is aborted (no file is left) and the error thrown.
 */
export async function pump(chunks, target) {
  let pending = null;
  try {
    for await (const chunk of chunks) {
      if (chunk.length === 0) continue;
      if (pending !== null) await pending;
      pending = target.write(chunk);
    }
    if (pending !== null) await pending;
  } catch (e) {
    await pending?.catch(() => {});
    await target.abort();
    throw e;
  }
}

/** Removes the source after success (--rm). */
export async function removeSource(name) {
  try {
    await unlink(name);
  } catch (e) {
    throw fileError(name, e);
  }
}
