// The Node-only parts of random access, exported by zstd-kit's Node entry: openSeekable() over
// paths and FileHandles too, saveTensor() / loadTensor(), and createZstdSeekableCompress() (a
// stream.Transform writing a seekable file).
import { open, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ZstdError } from './errors.js';
import { transformOf } from './node-streams.js';
import { seekableTransform } from './seekable.js';
import { openSeekable as openAnySeekable } from './seekable-reader.js';
import { OWNED } from './seekable-source.js';
import { packTensor, unpackTensor } from './tensor.js';

/** A file as a seekable source: a path (opened here, closed by close()) or a FileHandle (left open). */
async function fileSource(pathOrHandle) {
  const owned = typeof pathOrHandle === 'string' || pathOrHandle instanceof URL;
  const path = pathOrHandle instanceof URL ? fileURLToPath(pathOrHandle) : pathOrHandle;
  const fh = owned ? await open(path, 'r') : pathOrHandle;
  try {
    const { size } = await fh.stat();
    const read = async (offset, length) => {
      const out = new Uint8Array(length);
      for (let done = 0; done < length;) {
        const { bytesRead } = await fh.read(out, done, length - done, offset + done);
        if (bytesRead === 0) {
          throw new ZstdError('seekable_io', `the file ended at ${offset + done} bytes, before the ${length} asked for at ${offset}`);
        }
        done += bytesRead;
      }
      return out;
    };
    const tail = (n) => {
      const k = Math.min(n, size);
      return read(size - k, k);
    };
    return { size, read, tail, close: () => (owned ? fh.close() : undefined), [OWNED]: owned };
  } catch (e) {
    if (owned) await fh.close();
    throw e;
  }
}

/**
 * openSeekable() as everywhere (bytes, Blob, http(s) URL, { size, read }), plus Node paths (and
 * file: URLs) and FileHandles. A path is opened here and closed by close(); a FileHandle is left
 * to its owner.
 */
export function openSeekable(source, options = undefined) {
  return openAnySeekable(source, options, fileSource);
}

/** Writes packTensor(typedArray, options) to `path`: a .zst file that `zstd -d` decodes to the raw bytes. */
export async function saveTensor(typedArray, path, options = undefined) {
  await writeFile(path, packTensor(typedArray, options, 'saveTensor()'));
}

/** Reads a file written by saveTensor() (or any packTensor() output): the typed array, with `shape`. */
export async function loadTensor(path) {
  return unpackTensor(await readFile(path));
}

/** A Transform whose output is a seekable file; options as compressSeekable()'s. */
export function createZstdSeekableCompress(options = undefined) {
  return transformOf(seekableTransform(options, 'createZstdSeekableCompress()'));
}
