// The large corpus: a tar of Emscripten's system/ tree (present wherever the toolchain is),
// with sorted names, fixed mtimes and owners so every machine builds the same bytes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const corpusDir = join(here, 'corpus');

export function largeCorpus() {
  const out = join(corpusDir, 'system.tar');
  if (!existsSync(out)) {
    mkdirSync(corpusDir, { recursive: true });
    execFileSync('tar', [
      '--sort=name',
      '--mtime=2020-01-01 00:00Z',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--format=gnu',
      '-C',
      '/usr/share/emscripten',
      '-cf',
      out,
      'system',
    ]);
  }
  return out;
}

// The small-documents corpus (batch compression): real text files of 200 B to 4 KiB from Debian
// package folders, walked depth first with names in bytewise order, first SMALL_DOCS kept.
// Symlinks, unreadable files and files holding a NUL byte (binary) are skipped.
// The folders (SMALL_ROOTS) come from the machine image and our bootstrap: system, LLVM, Node and
// library headers, GCC's Ada runtime sources and own headers, Python's libraries, CMake's modules,
// package docs, Emscripten, then as spare the Free Pascal sources, MIME data, Perl and Vim. No
// one folder of packages the bootstrap installs holds 17,000 such files, and together they hold
// about 12,000, so the image's folders fill the rest; the list goes on past what 17,000 needs so
// a machine missing a folder still fills the corpus (with other documents: RESULTS.md prints the
// corpus's sha256 to compare).
// Built here (Debian 12 cpp image, 2026-11): 17,000 docs, 28,918,427 bytes (median 1,448 B,
// ratio 2.40 at level 3, one frame each), sha256 5858785aff7c8896...; from /usr/include 3,554,
// /usr/lib/gcc 1,202, /usr/lib/python3 601, /usr/lib/python3.11 223, /usr/share/cmake-3.25 2,034,
// /usr/share/doc 1,707, /usr/share/emscripten 3,577, /usr/share/fpcsrc 4,102 (of 4,352).
// Stored once as small-docs.bin (documents back to back) and small-docs.sizes (one little-endian
// uint32 per document), plus small-docs.paths (one source path a line, for inspection).
export const SMALL_DOCS = 17000;
const SMALL_MIN = 200;
const SMALL_MAX = 4096;
// Folders whose names match, in /usr/include, /usr/lib and /usr/share (python3.11, cmake-3.25...).
const SMALL_ROOTS = [
  /^\/usr\/include$/,
  /^\/usr\/lib\/gcc$/,
  /^\/usr\/lib\/python3(\.\d+)?$/,
  /^\/usr\/share\/cmake-\d+\.\d+$/,
  /^\/usr\/share\/doc$/,
  /^\/usr\/share\/emscripten$/,
  /^\/usr\/share\/fpcsrc$/,
  /^\/usr\/share\/mime$/,
  /^\/usr\/share\/perl$/,
  /^\/usr\/share\/vim$/,
];

let rootsCache;
function smallRoots() {
  if (rootsCache) return rootsCache;
  const roots = [];
  for (const parent of ['/usr/include', '/usr/lib', '/usr/share']) {
    const candidates = [parent];
    try {
      for (const name of readdirSync(parent)) candidates.push(join(parent, name));
    } catch {
      // an unreadable folder has no candidates
    }
    for (const path of candidates) {
      if (SMALL_ROOTS.some((re) => re.test(path)) && lstatSync(path).isDirectory()) roots.push(path);
    }
  }
  return (rootsCache = roots.sort(byPath));
}

// Byte order of the UTF-8 names, as `LC_ALL=C sort` would give (JS sort compares UTF-16 units).
const byPath = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function* walkSmallDocs(dir) {
  let names;
  try {
    names = readdirSync(dir).sort(byPath);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      yield* walkSmallDocs(path);
    } else if (st.isFile() && st.size >= SMALL_MIN && st.size <= SMALL_MAX) {
      let bytes;
      try {
        bytes = readFileSync(path);
      } catch {
        continue;
      }
      if (bytes.length >= SMALL_MIN && bytes.length <= SMALL_MAX && !bytes.includes(0)) yield { path, bytes };
    }
  }
}

function buildSmallDocs(dataPath, sizesPath, pathsPath) {
  const docs = [];
  outer: for (const root of smallRoots()) {
    for (const doc of walkSmallDocs(root)) {
      docs.push(doc);
      if (docs.length === SMALL_DOCS) break outer;
    }
  }
  if (docs.length < SMALL_DOCS) {
    console.error(`smallDocsCorpus: only ${docs.length} documents found (wanted ${SMALL_DOCS})`);
  }
  const sizes = new Uint32Array(docs.length);
  docs.forEach((d, i) => (sizes[i] = d.bytes.length));
  mkdirSync(corpusDir, { recursive: true });
  // Written under temporary names and renamed, so an interrupted build leaves no half corpus.
  writeFileSync(`${dataPath}.tmp`, Buffer.concat(docs.map((d) => d.bytes)));
  writeFileSync(`${sizesPath}.tmp`, Buffer.from(sizes.buffer)); // x86 and wasm are little-endian
  writeFileSync(`${pathsPath}.tmp`, docs.map((d) => `${d.path}\n`).join(''));
  renameSync(`${pathsPath}.tmp`, pathsPath);
  renameSync(`${dataPath}.tmp`, dataPath);
  renameSync(`${sizesPath}.tmp`, sizesPath);
}

/**
 * The small-documents corpus, built on first use. Returns { dataPath, sizesPath, pathsPath, data
 * (all documents back to back), docs (subarrays of data), offsets, totalBytes, sha256 (of data),
 * sources ([{ root, docs }], the folders the documents came from, in order) }.
 */
export function smallDocsCorpus() {
  const dataPath = join(corpusDir, 'small-docs.bin');
  const sizesPath = join(corpusDir, 'small-docs.sizes');
  const pathsPath = join(corpusDir, 'small-docs.paths');
  if (!existsSync(dataPath) || !existsSync(sizesPath)) buildSmallDocs(dataPath, sizesPath, pathsPath);
  const data = new Uint8Array(readFileSync(dataPath));
  const raw = readFileSync(sizesPath);
  const sizes = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  const docs = [];
  const offsets = [];
  let offset = 0;
  for (const size of sizes) {
    offsets.push(offset);
    docs.push(data.subarray(offset, offset + size));
    offset += size;
  }
  if (offset !== data.length) throw new Error(`${sizesPath} does not match ${dataPath}: rebuild by deleting both`);
  const sha256 = createHash('sha256').update(data).digest('hex');
  // Documents per source folder, from the paths list (absent for a corpus copied without it).
  const sources = [];
  if (existsSync(pathsPath)) {
    for (const line of readFileSync(pathsPath, 'utf8').split('\n')) {
      if (!line) continue;
      const root = smallRoots().find((r) => line.startsWith(`${r}/`)) ?? dirname(line);
      if (sources.at(-1)?.root === root) sources.at(-1).docs++;
      else sources.push({ root, docs: 1 });
    }
  }
  return { dataPath, sizesPath, pathsPath, data, docs, offsets, totalBytes: data.length, sha256, sources };
}
