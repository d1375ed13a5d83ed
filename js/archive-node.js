// .tar.zst archives and the file system (Node): packDirectory() walks a folder into tarZst(),
// extractArchive() writes untarZst()'s entries under a folder and never anywhere else. Every
// entry is checked before anything is written for it: an absolute name, a '..' component, a path
// through a symlink that leads outside, and a symlink or hard link pointing outside are refused
// with ZstdError('unsafe_path'). An existing file is replaced by unlinking it first, so a symlink
// at its place is never followed.
import { closeSync, constants as fsConstants, lstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { chmod, link, lstat, lutimes, mkdir, open as openFile, readdir, realpath, symlink, unlink, utimes } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import { createTarPacker as createTarEncoder } from 'zstd-kit:modern-tar-packer';
import { compressedTar, header, tarEntries } from './archive.js';
import { ZstdError } from './errors.js';
import { joinedBytes } from './input.js';
import { extractArchiveOptions, packDirectoryOptions, tarZstOptions } from './options.js';
import { atomicFile, fileChunks, pathOf, writeAll } from './node-files.js';
import { sinkOf } from './stream-writer.js';

const isPath = (x) => typeof x === 'string' || x instanceof URL;

// The walk reads metadata (lstat, readdir, readlink) and files synchronously: each asynchronous
// file-system call is a round trip through libuv's thread pool that costs more than the call
// itself, and a tree of many small files is made of little else (GNU tar makes the same calls,
// synchronously). Each call blocks for at most one read of PIECE_BYTES (below), so memory stays
// bounded whatever the sizes.

/**
 * What pathEntries() yields for `path` (lstat'ed as `st`), named `name`: { name, type, mode,
 * mtime, linkname } and, for a file, its `path` and `size` (read when it is packed); null for
 * what tar does not hold here (sockets, devices).
 */
function entryOfPath(path, name, st) {
  const common = { mode: st.mode & 0o7777, mtime: st.mtimeMs };
  if (st.isDirectory()) return { name: `${name}/`, type: 'directory', ...common };
  if (st.isFile()) return { name, type: 'file', size: st.size, path, ...common };
  if (st.isSymbolicLink()) return { name, type: 'symlink', linkname: readlinkSync(path), ...common };
  return null;
}

/**
 * @internal The entries of `paths` (relative to `base`), folders walked depth first in sorted
 * name order; `filter(relativePath, stats)` false leaves an entry (and a folder's contents) out.
 */
export function* pathEntries(base, paths, filter) {
  for (const name of paths) {
    const path = join(base, name);
    const st = lstatSync(path);
    if (filter !== undefined && !filter(name, st)) continue;
    const entry = entryOfPath(path, name, st);
    if (entry === null) continue;
    yield entry;
    if (st.isDirectory()) {
      const children = readdirSync(path)
        .sort()
        .map((child) => `${name}/${child}`);
      yield* pathEntries(base, children, filter);
    }
  }
}

// The tar stream is made by modern-tar's synchronous encoder (what its web and Node packers
// wrap; its packers cost more per entry than tar and zstd spend on a small file: the web one
// makes a WritableStream for each, ~30 us on Node 20, the Node one takes several promise steps).
// The headers are tarZst()'s (header()), so the bytes are the same as tarZst() of the same
// entries. The stream is gathered into pieces of PIECE_BYTES, and files are read straight into
// the piece: no buffer per file. Pieces the consumer is done with come back through `spare`
// and are filled again: fresh memory costs a page fault per 4 KiB, 0.6 ms per MiB on the
// benchmark machine (~25 ms of a 37.5 MiB tree).
const PIECE_BYTES = 1 << 20;

const changed = (entry, why) => new ZstdError('src_size_wrong', `"${entry.name}" changed as it was read: ${why}`);

/**
 * The tar stream of pathEntries()'s `entries`, in pieces of PIECE_BYTES (the last shorter).
 * `spare`: pieces given back by the consumer (whole ones, not needed any more), used before new ones.
 */
export async function* tarChunks(entries, spare = []) {
  const full = [];
  const newPiece = () => spare.pop() ?? new Uint8Array(PIECE_BYTES);
  let piece = newPiece();
  let used = 0;
  const encoder = createTarEncoder((bytes) => {
    // A file's bytes were read into the piece, where they belong: nothing to copy.
    const inPlace = bytes.buffer === piece.buffer && bytes.byteOffset === used;
    for (let at = 0; at < bytes.length;) {
      const n = Math.min(bytes.length - at, PIECE_BYTES - used);
      if (!inPlace) piece.set(n === bytes.length ? bytes : bytes.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === PIECE_BYTES) {
        full.push(piece);
        piece = newPiece();
        used = 0;
      }
    }
  });
  for (const entry of entries) {
    const h = header(entry);
    encoder.add(h);
    if (entry.type === 'file' && h.size > 0) {
      const fd = openSync(entry.path, 'r');
      try {
        for (let left = h.size; ;) {
          // A byte more than is left (the piece has room past it): a file that grew shows, and
          // the read that meets the end of the file ends it, with no read of 0 bytes to follow.
          const want = Math.min(left + 1, PIECE_BYTES - used);
          const n = readSync(fd, piece, used, want, null);
          if (n > left) throw changed(entry, `more than ${h.size} bytes`);
          if (n === 0 && left > 0) throw changed(entry, `${h.size - left} bytes of ${h.size}`);
          if (n > 0) encoder.write(piece.subarray(used, used + n));
          left -= n;
          if (left === 0 && n < want) break;
          while (full.length > 0) yield full.shift();
        }
      } finally {
        closeSync(fd);
      }
    }
    encoder.endEntry();
    while (full.length > 0) yield full.shift();
  }
  encoder.finalize();
  yield* full;
  if (used > 0) yield piece.subarray(0, used);
}

/**
 * @internal tarZst() of pathEntries()'s entries (an iterable), faster on many small files (see
 * above); the same archive. For packDirectory() and the command line's tar -c.
 */
export function tarZstOfPaths(entries, options = undefined) {
  const o = tarZstOptions(options);
  return compressedTar(o, () => {
    const spare = [];
    const chunks = tarChunks(entries, spare);
    const recycle = (parts) => {
      for (const part of parts)
        if (part.buffer.byteLength === PIECE_BYTES && part.length === PIECE_BYTES && spare.length < 4) spare.push(part);
    };
    return { read: () => chunks.next(), cancel: () => chunks.return(), recycle };
  });
}

// The archive is written in pieces of about this size, each while the next is being made (a
// write awaited before compressing on is time the compressor sits idle).
const WRITE_BYTES = 1 << 20;

/** Writes a ReadableStream's chunks into a sink (sinkOf()'s), one write under way at a time. */
async function drainInto(stream, sink) {
  const reader = stream.getReader();
  let writing = Promise.resolve();
  let parts = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (!done) {
        parts.push(value);
        size += value.length;
        if (size < WRITE_BYTES) continue;
      }
      if (size > 0) {
        const piece = joinedBytes(parts, size);
        parts = [];
        size = 0;
        await writing;
        writing = Promise.resolve(sink.write(piece));
        writing.catch(() => {}); // met by the next await
      }
      if (done) break;
    }
    await writing;
  } catch (e) {
    await writing.catch(() => {});
    await reader.cancel(e).catch(() => {});
    throw e;
  }
}

/**
 * Packs the contents of folder `dir` (not the folder itself) into a .tar.zst at `out` (a path,
 * written under a temporary name and renamed once complete, or any sink). Files, folders and
 * symlinks; names relative to `dir`, '/'-separated.
 * @param {{ level?: number, threads?: number, filter?: (relativePath: string, stats: import('node:fs').Stats) => boolean }} [options]
 * @returns {Promise<{ entries: number, bytes: number }>}
 */
export async function packDirectory(dir, out, options = undefined) {
  const { level, threads, filter } = packDirectoryOptions(options);
  const root = pathOf(dir);
  const top = (await readdir(root)).sort();
  let entries = 0;
  const counted = (function* () {
    for (const e of pathEntries(root, top, filter)) {
      entries++;
      yield e;
    }
  })();
  const archive = tarZstOfPaths(counted, { level, threads });
  let bytes = 0;
  const counting = (sink) => ({ ...sink, write: (chunk) => ((bytes += chunk.length), sink.write(chunk)) });
  if (!isPath(out)) {
    const sink = sinkOf(out);
    try {
      await drainInto(archive, counting(sink));
      await sink.close();
    } catch (e) {
      sink.abort(e);
      throw e;
    }
    return { entries, bytes };
  }
  const file = await atomicFile(out);
  try {
    await drainInto(archive, counting({ write: (chunk) => writeAll(file.handle, chunk) }));
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  }
  return { entries, bytes };
}

const unsafe = (name, why) => new ZstdError('unsafe_path', `refusing "${name}": ${why}`);

/** The components of a relative entry name; unsafe_path for an absolute name or a '..' component. */
function safeParts(name, original) {
  if (name.startsWith('/')) throw unsafe(original, 'an absolute name');
  if (name.includes('\0')) throw unsafe(original, 'a NUL byte in the name');
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw unsafe(original, "a '..' component");
  return parts;
}

const inside = (root, path) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The folder `parts` name under `root`, checked without writing anything: each existing
 * component must be a folder, or a symlink to one inside root. Returns { path, missing }: the
 * real path of the deepest existing folder and the components to create below it.
 */
async function resolveFolder(root, parts, name) {
  let at = root;
  for (let i = 0; i < parts.length; i++) {
    const next = join(at, parts[i]);
    let st;
    try {
      st = await lstat(next);
    } catch (e) {
      if (e.code === 'ENOENT') return { path: at, missing: parts.slice(i) };
      throw e;
    }
    if (st.isSymbolicLink()) {
      let real;
      try {
        real = await realpath(next);
      } catch {
        throw unsafe(name, `'${parts.slice(0, i + 1).join('/')}' is a symlink that leads nowhere`);
      }
      if (!inside(root, real)) throw unsafe(name, `'${parts.slice(0, i + 1).join('/')}' is a symlink that leads outside the target`);
      if (!(await lstat(real)).isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: '${parts.slice(0, i + 1).join('/')}' is not a folder (for "${name}")`), {
          code: 'ENOTDIR',
        });
      }
      at = real;
    } else if (st.isDirectory()) {
      at = next;
    } else {
      throw Object.assign(new Error(`ENOTDIR: '${parts.slice(0, i + 1).join('/')}' is not a folder (for "${name}")`), { code: 'ENOTDIR' });
    }
  }
  return { path: at, missing: [] };
}

/**
 * Where `path` (absolute, not normalized: '..' must apply after the links before it) leads: the
 * real path of its longest existing part, then the rest. For the target of a symlink to be made.
 */
async function leadsTo(path, name) {
  try {
    return await realpath(path);
  } catch (e) {
    if (e.code === 'ELOOP') throw unsafe(name, 'a symlink loop');
    if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') throw e;
  }
  const at = path.lastIndexOf('/');
  if (at <= 0) return path;
  return join(await leadsTo(path.slice(0, at), name), path.slice(at + 1));
}

async function createFolder({ path, missing }) {
  let at = path;
  for (const part of missing) {
    at = join(at, part);
    await mkdir(at).catch((e) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
  return at;
}

// Removes what is at `path` (not a folder), so that creating the entry never follows a link.
async function clearPlace(path) {
  try {
    const st = await lstat(path);
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: '${path}' is a folder`), { code: 'EISDIR' });
    await unlink(path);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
}

/** `name` without its first `strip` components; null when nothing is left. */
function stripped(name, strip) {
  if (strip === 0) return name;
  const parts = name.split('/').filter((p) => p !== '');
  return parts.length > strip ? parts.slice(strip).join('/') : null;
}

/**
 * Extracts a .tar.zst archive (a path, or any source untarZst() takes) under folder `dir`
 * (created if need be). Files, folders, symlinks and hard links, with their modes (setuid,
 * setgid and sticky bits dropped) and mtimes; other types are skipped. Nothing is ever written
 * outside `dir`: see the top of this file.
 * @param {{ strip?: number, filter?: (entry: object) => boolean }} [options] filter gets the
 *   entry as untarZst() yields it (its name as in the archive)
 * @returns {Promise<{ entries: number }>} the entries extracted
 */
export async function extractArchive(archive, dir, options = undefined) {
  const { strip, filter } = extractArchiveOptions(options);
  const file = isPath(archive) ? fileChunks(await openFile(pathOf(archive), 'r')) : null;
  const source = file ?? archive;
  const target = pathOf(dir);
  let count = 0;
  const folders = [];
  try {
    await mkdir(target, { recursive: true });
    const root = await realpath(target);
    for await (const entry of tarEntries(source)) {
      const name = stripped(entry.name, strip);
      if (name === null) continue;
      if (filter !== undefined && !filter(entry)) continue;
      const parts = safeParts(name, entry.name);
      if (parts.length === 0) continue; // the root itself ('./')
      const mode = entry.mode & 0o777;
      if (entry.type === 'directory') {
        const path = await createFolder(await resolveFolder(root, parts, entry.name));
        folders.push([path, mode, entry.mtime]);
      } else if (entry.type === 'file') {
        const parent = await resolveFolder(root, parts.slice(0, -1), entry.name);
        const path = join(await createFolder(parent), parts.at(-1));
        await clearPlace(path);
        const handle = await openFile(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
        try {
          for (let chunk = await entry._read(); chunk !== null; chunk = await entry._read()) await writeAll(handle, chunk);
        } finally {
          await handle.close();
        }
        await chmod(path, mode);
        await utimes(path, entry.mtime, entry.mtime);
      } else if (entry.type === 'symlink') {
        const linkname = entry.linkname;
        if (linkname === '' || linkname.startsWith('/')) throw unsafe(entry.name, `a symlink to '${linkname}', outside the target`);
        const resolved = posix.normalize(posix.join(posix.dirname(parts.join('/')), linkname));
        if (resolved === '..' || resolved.startsWith('../') || resolved.startsWith('/')) {
          throw unsafe(entry.name, `a symlink to '${linkname}', outside the target`);
        }
        const parent = await resolveFolder(root, parts.slice(0, -1), entry.name);
        // Where the link leads for real, through the links already there (b -> '..', a -> 'b/..').
        const real = await leadsTo(`${join(parent.path, ...parent.missing)}/${linkname}`, entry.name);
        if (!inside(root, real)) throw unsafe(entry.name, `a symlink to '${linkname}', which leads outside the target`);
        const path = join(await createFolder(parent), parts.at(-1));
        await clearPlace(path);
        await symlink(linkname, path);
        await lutimes(path, entry.mtime, entry.mtime).catch(() => {});
      } else if (entry.type === 'link') {
        const linked = stripped(entry.linkname, strip);
        if (linked === null) throw unsafe(entry.name, `a hard link to '${entry.linkname}', outside the target`);
        const linkParts = safeParts(linked, entry.name);
        if (linkParts.length === 0) throw unsafe(entry.name, `a hard link to '${entry.linkname}', which is not in the target`);
        const from = await resolveFolder(root, linkParts.slice(0, -1), entry.name);
        if (from.missing.length > 0) throw unsafe(entry.name, `a hard link to '${entry.linkname}', which is not in the target`);
        let real;
        try {
          real = await realpath(join(from.path, linkParts.at(-1)));
        } catch {
          throw unsafe(entry.name, `a hard link to '${entry.linkname}', which is not in the target`);
        }
        if (!inside(root, real)) throw unsafe(entry.name, `a hard link to '${entry.linkname}', outside the target`);
        const parent = await resolveFolder(root, parts.slice(0, -1), entry.name);
        const path = join(await createFolder(parent), parts.at(-1));
        await clearPlace(path);
        await link(real, path);
      } else {
        continue; // devices, fifos: not extracted
      }
      count++;
    }
  } finally {
    await file?.return(); // (closed already, unless the archive was never read to its end)
    // Folder modes and times last (deepest first): a read-only folder must still take its files.
    for (const [path, mode, mtime] of folders.reverse()) {
      await chmod(path, mode).catch(() => {});
      await utimes(path, mtime, mtime).catch(() => {});
    }
  }
  return { entries: count };
}
