// .tar.zst archives and the file system (Node): packDirectory() walks a folder into tarZst(),
// extractArchive() writes untarZst()'s entries under a folder and never anywhere else. Every
// entry is checked before anything is written for it: an absolute name, a '..' component, a path
// through a symlink that leads outside, and a symlink or hard link pointing outside are refused
// with ZstdError('unsafe_path'). An existing file is replaced by unlinking it first, so a symlink
// at its place is never followed.
import { constants as fsConstants, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { chmod, link, lstat, lutimes, mkdir, open as openFile, readdir, realpath, symlink, unlink, utimes } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import { finished } from 'node:stream/promises';
import { packTar as packContent } from 'modern-tar/fs';
import { bodyChunks, compressedTar, tarEntries, tarStream } from './archive.js';
import { ZstdError } from './errors.js';
import { concatBytes } from './input.js';
import { extractArchiveOptions, packDirectoryOptions, tarZstOptions } from './options.js';
import { atomicFile, fileChunks, pathOf, writeAll } from './node-files.js';
import { sinkOf } from './stream-writer.js';

const isPath = (x) => typeof x === 'string' || x instanceof URL;

/** A file's chunks, opened only when the archive gets to it (and closed when done or left). */
function lazyFile(path) {
  return {
    [Symbol.asyncIterator]() {
      let chunks = null;
      return {
        async next() {
          chunks ??= fileChunks(await openFile(path, 'r'));
          return chunks.next();
        },
        async return() {
          await chunks?.return();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

// Files up to this size are read in one synchronous call, and metadata (lstat, readdir,
// readlink) is read synchronously: each asynchronous file-system call is a round trip through
// libuv's thread pool that costs more than the call itself, and a tree of many small files is
// made of little else (GNU tar makes the same calls, synchronously). Each blocks for
// microseconds, one file at a time, so memory stays bounded; larger files stream.
const SMALL_FILE = 256 << 10;

/** The tarZst() entry of `path` (lstat'ed as `st`), named `name`; null for what tar does not hold here (sockets, devices). */
function entryOfPath(path, name, st) {
  const common = { mode: st.mode & 0o7777, mtime: st.mtimeMs };
  if (st.isDirectory()) return { name: `${name}/`, type: 'directory', ...common };
  if (st.isFile()) {
    if (st.size <= SMALL_FILE) return { name, data: readFileSync(path), ...common };
    return { name, size: st.size, stream: lazyFile(path), ...common };
  }
  if (st.isSymbolicLink()) return { name, type: 'symlink', linkname: readlinkSync(path), ...common };
  return null;
}

/**
 * @internal The entries of `paths` (relative to `base`), folders walked depth first in sorted
 * name order; `filter(relativePath, stats)` false leaves an entry (and a folder's contents) out.
 */
export async function* pathEntries(base, paths, filter) {
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

// Many small entries: the web packer (tarZst()'s) makes a WritableStream for every entry, and on
// Node 20 making one costs ~30 us, more than tar and zstd spend on a small file. modern-tar's
// Node packer (modern-tar/fs) takes entries whose bytes are in memory with no stream each: runs
// of those (up to RUN_BYTES of data) are packed by it, other entries (symlinks, large files
// that stream) by the web packer, one at a time. Each run is a whole tar stream: its
// end-of-archive marker (END_BYTES of zeros) is dropped, so that they join into one; the
// archive's own marker is modern-tar's, from an empty run.
const RUN_BYTES = 1 << 20;
const END_BYTES = 1024;
// Entries in memory need no file-system calls: any concurrency is enough (and giving one keeps
// modern-tar from calling os.cpus() for every run).
const RUN_CONCURRENCY = 8;

// modern-tar/fs normalizes names ('\\' to '/', a drive letter or leading '/' dropped, '..'
// refused, reserved characters on Windows): a name it might change goes to the web packer.
const KEPT_AS_IS = /^(?!\/)(?!(?:.*\/)?\.\.(?:\/|$))[^\\<>:"|?*]*$/;

/**
 * modern-tar/fs's source for an entry of pathEntries() that it packs as it is (a folder, or a
 * file with its bytes in memory, with a time tar can store); else null.
 */
function contentSource(entry) {
  const type = entry.type ?? 'file';
  if (!(type === 'directory' || (type === 'file' && entry.data instanceof Uint8Array))) return null;
  if (!(entry.mtime >= 0) || !KEPT_AS_IS.test(entry.name)) return null;
  const content = entry.data ?? new Uint8Array(0);
  return { type: 'content', target: entry.name, content, mode: entry.mode, mtime: new Date(entry.mtime) };
}

/**
 * The tar stream modern-tar/fs makes of `sources` (a run: its size is bounded), as one
 * Uint8Array. Gathered from its 'data' events, which give the chunks as they are pushed (an
 * async iterator over the Readable would join them, a copy more).
 */
async function packedRun(sources) {
  const parts = [];
  let size = 0;
  const packer = packContent(sources, { concurrency: RUN_CONCURRENCY });
  packer.on('data', (chunk) => {
    parts.push(chunk);
    size += chunk.length;
  });
  await finished(packer);
  return concatBytes(parts, size);
}

/** The chunks of a whole tar stream without its end-of-archive marker. */
async function* withoutEnd(chunks) {
  const held = [];
  let heldBytes = 0;
  for await (const chunk of chunks) {
    held.push(chunk);
    heldBytes += chunk.length;
    while (heldBytes - held[0].length >= END_BYTES) {
      const first = held.shift();
      heldBytes -= first.length;
      yield first;
    }
  }
  let data = heldBytes - END_BYTES;
  for (const chunk of held) {
    if (data > 0) yield chunk.subarray(0, Math.min(data, chunk.length));
    if (heldBytes < END_BYTES || chunk.subarray(Math.max(0, data)).some((b) => b !== 0)) {
      throw new Error('modern-tar: a tar stream that does not end with its end-of-archive marker');
    }
    data -= chunk.length;
  }
}

/** The tar stream of `entries` (pathEntries()'s), packed as the top of this section says. */
async function* tarChunks(entries) {
  let run = [];
  let runBytes = 0;
  for await (const entry of entries) {
    const source = contentSource(entry);
    if (source !== null) {
      run.push(source);
      runBytes += source.content.length;
      if (runBytes < RUN_BYTES) continue;
    }
    if (run.length > 0) yield* withoutEnd([await packedRun(run)]);
    run = [];
    runBytes = 0;
    if (source === null) yield* withoutEnd(bodyChunks(await tarStream([entry])));
  }
  if (run.length > 0) yield* withoutEnd([await packedRun(run)]);
  yield await packedRun([]);
}

/**
 * @internal tarZst() of pathEntries()'s entries, faster on many small files (see above); the
 * same archive. For packDirectory() and the command line's tar -c.
 */
export function tarZstOfPaths(entries, options = undefined) {
  const o = tarZstOptions(options);
  return compressedTar(o, () => {
    const chunks = tarChunks(entries);
    return { read: () => chunks.next(), cancel: () => chunks.return() };
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
        const piece = parts.length === 1 ? parts[0] : concatBytes(parts, size);
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
  const counted = (async function* () {
    for await (const e of pathEntries(root, top, filter)) {
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
