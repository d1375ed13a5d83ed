// .tar.zst archives: tarZst() / untarZst() in memory, packDirectory() / extractArchive() on disk,
// GNU tar both ways (tar --zstd), pax long names and UTF-8, folders, symlinks, hard links,
// modes and mtimes; hostile archives made by hand (absolute names, '..', symlink and hard-link
// escapes), with the file system checked afterwards; truncated and corrupt archives; bounded
// memory for a 1 GiB archive (in a child process).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');
const zstd = require('zstd-kit');
const { textData, randomData, tmpDir, zstdCli, expectSameBytes, concat, caught } = require('./helpers.cjs');

const root = path.join(__dirname, '..', '..');
const mem = () => zstd.memory.totalAllocatedBytes();
const isZstdError = (code) => expect.objectContaining({ name: 'ZstdError', code });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The bytes of a ReadableStream. */
async function bytesOf(stream) {
  const parts = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concat(parts);
    parts.push(value);
  }
}

/** Every entry of an archive with its body (bytes), as plain objects. */
async function listOf(source, options) {
  const out = [];
  for await (const e of zstd.untarZst(source, options)) {
    const { name, type, size, mode, mtime, linkname } = e;
    out.push({ name, type, size, mode, mtime: mtime.getTime(), linkname, body: type === 'file' ? Buffer.from(await e.bytes()) : null });
  }
  return out;
}

// A ustar header made by hand (tests build hostile archives without the library under test).
function ustarHeader({ name, type = '0', size = 0, linkname = '', mode = 0o644, mtime = 1700000000 }) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(`${mtime.toString(8).padStart(11, '0')}\0`, 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}
function ustar(entries, { end = true } = {}) {
  const parts = [];
  for (const e of entries) {
    const body = e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body);
    parts.push(ustarHeader({ ...e, size: body.length }), body, Buffer.alloc(-body.length & 511));
  }
  if (end) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
const zst = (tar) => zstdCli(['-c', '-q'], tar);

/** Every path under dir (relative), with what it is: for before/after comparisons of the file system. */
function snapshot(dir) {
  const out = {};
  const walk = (rel) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = path.join(rel, name);
      const st = fs.lstatSync(path.join(dir, r));
      out[r] = st.isSymbolicLink() ? `-> ${fs.readlinkSync(path.join(dir, r))}` : st.isDirectory() ? 'dir' : `${st.size}`;
      if (st.isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

const LONG = `${'deep/'.repeat(30)}${'long-name-'.repeat(12)}.txt`; // over ustar's 255: a pax path record
const UNICODE = 'unicodé/東京/🎉 fête.txt';

let work;
let baseline;
beforeAll(async () => {
  await zstd.init();
  work = tmpDir();
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
beforeEach(() => {
  baseline = mem();
});
afterEach(async () => {
  await sleep(0);
  expect(mem()).toBe(baseline);
});

describe('tarZst() and untarZst()', () => {
  test('every kind of entry and body round trips, with modes, mtimes, long and UTF-8 names', async () => {
    const big = concat([textData(600000, 1), randomData(300000, 2)]);
    const mtime = new Date('2024-05-06T07:08:09Z');
    const entries = [
      { name: 'dir', type: 'directory', mode: 0o750, mtime },
      { name: 'dir/text.txt', data: 'hello, tar', mode: 0o600, mtime: mtime.getTime() },
      { name: 'dir/bytes.bin', data: big, mtime },
      new File([textData(5000, 3)], 'file.txt', { lastModified: mtime.getTime() }),
      { name: 'blob.bin', data: new Blob([randomData(7000, 4)]), mtime },
      { name: 'stream.bin', stream: new Blob([big]).stream(), size: big.length, mtime },
      { name: 'iterable.bin', body: Readable.from([big.subarray(0, 1000), big.subarray(1000, 5000)]), size: 5000, mtime },
      { name: 'run.sh', data: '#!/bin/sh\necho hi\n', mode: 0o755, mtime },
      { name: 'empty', data: new Uint8Array(0), mtime },
      { name: 'link', type: 'symlink', linkname: 'dir/text.txt', mtime },
      { name: 'hard', type: 'link', linkname: 'dir/text.txt', mtime },
      { name: LONG, data: 'long', mtime },
      { name: UNICODE, data: 'unicode', mtime },
    ];
    const archive = await bytesOf(zstd.tarZst(entries, { level: 5 }));
    expect(zstd.getFrameParameters(archive).contentSize).toBe(-1); // streamed: size unknown
    const list = await listOf(archive);
    expect(list.map((e) => e.name)).toEqual([
      'dir',
      'dir/text.txt',
      'dir/bytes.bin',
      'file.txt',
      'blob.bin',
      'stream.bin',
      'iterable.bin',
      'run.sh',
      'empty',
      'link',
      'hard',
      LONG,
      UNICODE,
    ]);
    const byName = Object.fromEntries(list.map((e) => [e.name, e]));
    expect(byName.dir).toEqual(expect.objectContaining({ type: 'directory', mode: 0o750, size: 0 }));
    expect(byName['dir/text.txt'].body.toString()).toBe('hello, tar');
    expect(byName['dir/text.txt'].mode).toBe(0o600);
    expectSameBytes(byName['dir/bytes.bin'].body, big);
    expectSameBytes(byName['stream.bin'].body, big);
    expectSameBytes(byName['iterable.bin'].body, big.subarray(0, 5000));
    expectSameBytes(byName['file.txt'].body, textData(5000, 3));
    expect(byName['run.sh'].mode).toBe(0o755);
    expect(byName['blob.bin'].mode).toBe(0o644);
    expect(byName.link).toEqual(expect.objectContaining({ type: 'symlink', linkname: 'dir/text.txt' }));
    expect(byName.hard).toEqual(expect.objectContaining({ type: 'link', linkname: 'dir/text.txt' }));
    expect(byName[LONG].body.toString()).toBe('long');
    expect(byName[UNICODE].body.toString()).toBe('unicode');
    for (const e of list) expect(e.mtime).toBe(mtime.getTime());
    // GNU tar reads it the same way.
    const file = path.join(work, 'round.tar.zst');
    fs.writeFileSync(file, archive);
    const listing = execFileSync('tar', ['--zstd', '-tf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(list.map((e) => (e.type === 'directory' ? `${e.name}/` : e.name)));
  });

  test('untarZst reads from every streaming source; bodies as streams, bytes() or text(); unread bodies are skipped', async () => {
    const entries = () => [
      { name: 'a', data: textData(300000, 5) },
      { name: 'b', data: 'second' },
      { name: 'c', data: textData(200000, 6) },
    ];
    const archive = await bytesOf(zstd.tarZst(entries()));
    for (const source of [archive, Readable.from([archive]), new Blob([archive]).stream(), zstd.tarZst(entries())]) {
      const seen = [];
      for await (const e of zstd.untarZst(source)) {
        seen.push(e.name);
        if (e.name === 'b') expect(await e.text()).toBe('second');
        if (e.name === 'c') expectSameBytes(await bytesOf(e.body), textData(200000, 6));
        // 'a' is left unread: the next step skips it.
      }
      expect(seen).toEqual(['a', 'b', 'c']);
    }
    // A body stream kept past its entry errors instead of giving a short body; a body reads once.
    let kept;
    for await (const e of zstd.untarZst(archive)) {
      if (e.name === 'a') {
        kept = e.body;
        expect(await caught(() => e.bytes())).toEqual(isZstdError('invalid_state'));
      }
    }
    expect(await caught(() => bytesOf(kept))).toEqual(isZstdError('invalid_state'));
    // Leaving the loop early releases everything.
    for await (const e of zstd.untarZst(archive)) if (e.name === 'a') break;
  });

  test('a small body skipped or cancelled, then large bodies read: every byte arrives (no stall)', async () => {
    const archive = await bytesOf(
      zstd.tarZst([
        { name: 'a.txt', data: 'hello' },
        { name: 'b.bin', data: randomData(300000, 7) },
        { name: 'c.txt', data: textData(70000, 8) },
      ]),
    );
    for (const leave of ['skip', 'cancel', 'cancel-partway']) {
      const sizes = [];
      for await (const e of zstd.untarZst(archive)) {
        if (e.name === 'a.txt') {
          if (leave === 'cancel') await e.body.cancel();
          continue;
        }
        if (e.name === 'b.bin' && leave === 'cancel-partway') {
          const reader = e.body.getReader();
          await reader.read();
          await reader.cancel();
          continue;
        }
        sizes.push([e.name, (await e.bytes()).length]);
      }
      const expected =
        leave === 'cancel-partway'
          ? [['c.txt', 70000]]
          : [
              ['b.bin', 300000],
              ['c.txt', 70000],
            ];
      expect(sizes).toEqual(expected);
    }
  });

  test('maxEntrySize: a larger entry is output_too_large, before its body is read', async () => {
    const archive = await bytesOf(
      zstd.tarZst([
        { name: 'small', data: 'x' },
        { name: 'big', data: new Uint8Array(100000) },
      ]),
    );
    const seen = [];
    const e = await caught(async () => {
      for await (const entry of zstd.untarZst(archive, { maxEntrySize: 50000 })) seen.push(entry.name);
    });
    expect(e).toEqual(isZstdError('output_too_large'));
    expect(e.message).toMatch(/big/);
    expect(seen).toEqual(['small']);
    expect(() => zstd.untarZst(archive, { maxEntrySize: -1 })).toThrow(RangeError);
    expect(() => zstd.untarZst(archive, { maxSize: 1 })).toThrow(TypeError);
  });

  test('bad entries: wrong sizes are src_size_wrong, bad shapes TypeError / RangeError, through the stream', async () => {
    const run = (entries, options) => caught(() => bytesOf(zstd.tarZst(entries, options)));
    expect(await run([{ name: 'x', stream: Readable.from([Buffer.from('abc')]), size: 5 }])).toEqual(isZstdError('src_size_wrong'));
    expect(await run([{ name: 'x', stream: Readable.from([Buffer.from('abcdef')]), size: 5 }])).toEqual(isZstdError('src_size_wrong'));
    expect(await run([{ name: 'x', stream: Readable.from([]) }])).toBeInstanceOf(TypeError); // no size
    expect(await run([{ name: 'x', data: 'abc', size: 4 }])).toBeInstanceOf(RangeError);
    expect(await run([{ name: 'x', contents: 'abc' }])).toBeInstanceOf(TypeError); // a key entries do not have
    expect(await run([{ name: 'x', type: 'fifo' }])).toBeInstanceOf(RangeError);
    expect(await run([{ name: 'l', type: 'symlink' }])).toBeInstanceOf(TypeError); // no linkname
    expect(await run([{ name: '', data: 'x' }])).toBeInstanceOf(TypeError);
    expect(await run([{ name: 'x', data: 'x', mode: 0o17777 }])).toBeInstanceOf(RangeError);
    expect(await run([{ name: 'x', data: 'x', mtime: 'yesterday' }])).toBeInstanceOf(TypeError);
    expect(await run([42])).toBeInstanceOf(TypeError);
    expect(await run(42)).toBeInstanceOf(TypeError);
    expect(() => zstd.tarZst([], { level: 99 })).toThrow(RangeError);
    expect(() => zstd.tarZst([], { levl: 3 })).toThrow(TypeError);
    // A source that fails: its error ends the archive stream.
    const failing = (async function* () {
      yield { name: 'ok', data: 'fine' };
      throw new Error('the source broke');
    })();
    expect((await run(failing)).message).toBe('the source broke');
  });

  test('threads: 2 gives a valid archive; entries and bodies come from async sources, in bounded steps', async () => {
    const entries = (async function* () {
      for (let i = 0; i < 4; i++) yield { name: `part${i}`, data: textData(1 << 20, 10 + i) };
    })();
    const archive = await bytesOf(zstd.tarZst(entries, { threads: 2 }));
    execFileSync('zstd', ['-t', '-q'], { input: archive });
    const list = await listOf(archive);
    expect(list.map((e) => e.size)).toEqual([1 << 20, 1 << 20, 1 << 20, 1 << 20]);
    expectSameBytes(list[3].body, textData(1 << 20, 13));
  });

  test('threads on the single-threaded build (no zstd jobs there): tarZst and packDirectory run on one thread (child process)', () => {
    const dir = path.join(work, 'st-tree');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.txt'), textData(3 << 20, 21));
    const script = `
      const zstd = require('zstd-kit');
      (async () => {
        await zstd.init({ threads: false });
        const parts = [];
        for await (const c of zstd.tarZst([{ name: 'x', data: Buffer.alloc(5 << 20, 1) }], { threads: 2 })) parts.push(c);
        await zstd.packDirectory(${JSON.stringify(dir)}, ${JSON.stringify(path.join(work, 'st.tar.zst'))}, { threads: 2 });
        console.log(JSON.stringify({ threads: zstd.features.threads, bytes: Buffer.concat(parts).toString('base64') }));
      })();
    `;
    const out = execFileSync(process.execPath, ['-'], { cwd: root, input: script, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').at(-1));
    expect(r.threads).toBe(false);
    expect(execFileSync('tar', ['--zstd', '-tf', '-'], { input: Buffer.from(r.bytes, 'base64'), encoding: 'utf8' })).toBe('x\n');
    expect(execFileSync('tar', ['--zstd', '-tf', path.join(work, 'st.tar.zst')], { encoding: 'utf8' })).toBe('a.txt\n');
  });

  test('seekable: true writes the seekable format: GNU tar and untarZst read it, openSeekable reads a member in place', async () => {
    const parts = Array.from({ length: 6 }, (_, i) => textData(200000, 20 + i));
    const entries = parts.map((data, i) => ({ name: `seek/part${i}`, data, mtime: 1700000000000 }));
    const archive = await bytesOf(zstd.tarZst(entries, { seekable: true, frameSize: 64 << 10, threads: 2 }));
    execFileSync('zstd', ['-t', '-q'], { input: archive });
    const list = await listOf(archive);
    expect(list.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    const r = await zstd.openSeekable(archive);
    try {
      expect(r.frameCount).toBeGreaterThan(15);
      // Tar lays out part0's body after one 512-byte header, part1's after part0's padded body and its own header.
      const at = 512 + 200192 + 512;
      expectSameBytes(await r.read(at, 1000), parts[1].subarray(0, 1000));
    } finally {
      await r.close();
    }
    expect(await caught(() => bytesOf(zstd.tarZst([], { frameSize: 4096 })))).toBeInstanceOf(TypeError);
  });

  test('truncated archives are src_size_wrong, never a short listing: in the zstd stream, in an entry, at the end marker', async () => {
    const full = ustar([
      { name: 'a', body: textData(5000, 1) },
      { name: 'b', body: textData(5000, 2) },
    ]);
    const archive = zst(full);
    const cases = [
      archive.subarray(0, archive.length - 20), // the zstd frame ends early
      zst(full.subarray(0, 512 + 3000)), // a whole frame, the tar inside cut in an entry
      zst(full.subarray(0, full.length - 1024)), // no end-of-archive blocks
      zst(full.subarray(0, full.length - 700)), // half the end marker
    ];
    for (const bytes of cases) {
      expect(await caught(() => listOf(bytes))).toEqual(isZstdError('src_size_wrong'));
      const dir = tmpDir();
      expect(await caught(() => zstd.extractArchive(Readable.from([bytes]), dir))).toEqual(isZstdError('src_size_wrong'));
      fs.rmSync(dir, { recursive: true });
    }
    // Not tar at all, or a header whose checksum is wrong: corruption_detected.
    expect(await caught(() => listOf(zst(Buffer.from('just some text, not an archive'.repeat(40)))))).toEqual(
      isZstdError('corruption_detected'),
    );
    const bad = Buffer.from(full);
    bad[20] ^= 1;
    expect(await caught(() => listOf(zst(bad)))).toEqual(isZstdError('corruption_detected'));
    expect(await caught(() => listOf(Buffer.from('not zstd')))).toEqual(isZstdError('prefix_unknown'));
  });
});

describe('GNU tar interop and the file system', () => {
  // A tree with what tar holds: folders (one read-only), files of several sizes and modes, an
  // executable, symlinks (relative), a hard link, long and UTF-8 names, an empty folder.
  function makeTree(dir) {
    fs.mkdirSync(path.join(dir, 'src/lib'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.mkdirSync(path.join(dir, path.dirname(LONG)), { recursive: true });
    fs.mkdirSync(path.join(dir, path.dirname(UNICODE)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src/main.c'), textData(40000, 7));
    fs.writeFileSync(path.join(dir, 'src/lib/data.bin'), randomData(300000, 8));
    fs.writeFileSync(path.join(dir, 'src/run.sh'), '#!/bin/sh\necho run\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, LONG), 'long name');
    fs.writeFileSync(path.join(dir, UNICODE), 'unicode name');
    fs.writeFileSync(path.join(dir, 'private'), 'secret', { mode: 0o600 });
    fs.symlinkSync('src/main.c', path.join(dir, 'link-to-main'));
    fs.symlinkSync('../main.c', path.join(dir, 'src/lib/up-link'));
    fs.linkSync(path.join(dir, 'src/main.c'), path.join(dir, 'hard-main'));
    fs.mkdirSync(path.join(dir, 'ro'));
    fs.writeFileSync(path.join(dir, 'ro/inside'), 'in a read-only folder');
    const t = new Date('2023-01-02T03:04:05Z');
    for (const p of ['src/main.c', 'src/run.sh', 'private', 'ro/inside', LONG]) fs.utimesSync(path.join(dir, p), t, t);
    fs.chmodSync(path.join(dir, 'ro'), 0o555);
  }
  // What two trees must share: kind, content, mode, mtime (seconds) and link targets.
  function describeTree(dir) {
    const out = {};
    const walk = (rel) => {
      for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
        const r = rel ? `${rel}/${name}` : name;
        const full = path.join(dir, r);
        const st = fs.lstatSync(full);
        const mtime = Math.floor(st.mtimeMs / 1000);
        if (st.isSymbolicLink()) out[r] = `symlink ${fs.readlinkSync(full)}`;
        else if (st.isDirectory()) out[r] = `dir ${(st.mode & 0o777).toString(8)}`;
        else
          out[r] =
            `file ${(st.mode & 0o777).toString(8)} ${mtime} ${require('node:crypto').createHash('sha1').update(fs.readFileSync(full)).digest('hex')}`;
        if (st.isDirectory()) walk(r);
      }
    };
    walk('');
    return out;
  }

  test('packDirectory -> GNU tar extracts the same tree; GNU tar --zstd -> extractArchive gives the same tree', async () => {
    const src = path.join(work, 'tree');
    fs.mkdirSync(src);
    makeTree(src);
    const expected = describeTree(src);
    // Ours -> GNU tar.
    const ours = path.join(work, 'ours.tar.zst');
    const { entries } = await zstd.packDirectory(src, ours, { level: 3 });
    expect(entries).toBe(Object.keys(expected).length);
    const byTar = path.join(work, 'by-tar');
    fs.mkdirSync(byTar);
    execFileSync('tar', ['--zstd', '-xf', ours, '-C', byTar]);
    expect(describeTree(byTar)).toEqual(expected);
    expect(fs.statSync(path.join(byTar, 'hard-main')).ino).not.toBe(fs.statSync(path.join(byTar, 'src/main.c')).ino); // stored as a file
    // GNU tar (gnu and posix formats) -> ours.
    for (const format of ['gnu', 'posix']) {
      const theirs = path.join(work, `theirs-${format}.tar.zst`);
      execFileSync('tar', ['--zstd', `--format=${format}`, '-cf', theirs, '-C', src, ...fs.readdirSync(src).sort()]);
      const back = path.join(work, `back-${format}`);
      const result = await zstd.extractArchive(theirs, back);
      expect(result.entries).toBeGreaterThan(10);
      expect(describeTree(back)).toEqual(expected);
      // GNU tar stored the hard link as one: it is one again.
      expect(fs.statSync(path.join(back, 'hard-main')).ino).toBe(fs.statSync(path.join(back, 'src/main.c')).ino);
      // And ours to ours.
      const names = [];
      for await (const e of zstd.untarZst(Readable.from(fs.createReadStream(theirs)))) names.push(e.name);
      expect(names).toContain(LONG);
      expect(names).toContain(UNICODE);
    }
    const again = path.join(work, 'again');
    await zstd.extractArchive(ours, again);
    expect(describeTree(again)).toEqual(expected);
    for (const d of [byTar, 'back-gnu', 'back-posix', again].map((d) => path.resolve(work, d))) fs.chmodSync(path.join(d, 'ro'), 0o755);
    fs.chmodSync(path.join(src, 'ro'), 0o755);
  });

  test("packDirectory (modern-tar's encoder, files read into 1 MiB pieces): the same tar stream as tarZst() of the same entries, GNU tar agrees", async () => {
    // Small files of many sizes (many to a piece, some across two) around larger files (across
    // several pieces), symlinks, empty files and folders, names that are characters of their own.
    // ~6 MiB of tar stream: each piece, once compressed, is given back and filled again.
    const src = path.join(work, 'many');
    fs.mkdirSync(path.join(src, 'd/e'), { recursive: true });
    fs.mkdirSync(path.join(src, 'empty-dir'));
    for (let i = 0; i < 600; i++) fs.writeFileSync(path.join(src, i % 3 ? 'd' : 'd/e', `f${i}.txt`), textData((i * 997) % 9000, i));
    fs.writeFileSync(path.join(src, 'd/big.bin'), randomData(600000, 3));
    fs.writeFileSync(path.join(src, 'd/e/bigger.bin'), randomData(2600000, 4)); // three pieces
    fs.writeFileSync(path.join(src, 'd/empty'), '');
    fs.writeFileSync(path.join(src, 'back\\slash'), 'a backslash is a name character here');
    fs.writeFileSync(path.join(src, 'c:colon'), 'and so is a colon');
    fs.symlinkSync('d/f1.txt', path.join(src, 'link'));
    fs.mkdirSync(path.join(src, path.dirname(LONG)), { recursive: true });
    fs.writeFileSync(path.join(src, LONG), 'long');
    fs.writeFileSync(path.join(src, 'd/e/late.txt'), 'after the run');
    // The entries packDirectory makes (depth first, sorted), given to tarZst() (the web packer).
    const entries = [];
    const walk = (rel) => {
      for (const name of fs.readdirSync(path.join(src, rel)).sort()) {
        const r = rel ? `${rel}/${name}` : name;
        const full = path.join(src, r);
        const st = fs.lstatSync(full);
        const common = { mode: st.mode & 0o7777, mtime: st.mtimeMs };
        if (st.isDirectory()) entries.push({ name: `${r}/`, type: 'directory', ...common });
        else if (st.isSymbolicLink()) entries.push({ name: r, type: 'symlink', linkname: fs.readlinkSync(full), ...common });
        else entries.push({ name: r, data: fs.readFileSync(full), ...common });
        if (st.isDirectory()) walk(r);
      }
    };
    walk('');
    const out = path.join(work, 'many.tar.zst');
    const result = await zstd.packDirectory(src, out, { level: 1, threads: 2 });
    expect(result.entries).toBe(entries.length);
    const ours = zstdCli(['-d', '-c', '-q'], fs.readFileSync(out));
    const web = zstdCli(['-d', '-c', '-q'], await bytesOf(zstd.tarZst(entries, { level: 1 })));
    expectSameBytes(ours, web);
    const listed = execFileSync('tar', ['--zstd', '--quoting-style=literal', '-tf', out], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(entries.map((e) => e.name));
    // And it reads back: every body as it was.
    const back = await listOf(fs.readFileSync(out));
    expect(back.filter((e) => e.type === 'file').map((e) => [e.name, e.body.length])).toEqual(
      entries.filter((e) => e.data).map((e) => [e.name, e.data.length]),
    );
  });

  test('packDirectory: filter, sinks, and no partial output file when it fails; extractArchive: strip and filter', async () => {
    const src = path.join(work, 'filtered');
    fs.mkdirSync(path.join(src, 'keep/deeper'), { recursive: true });
    fs.mkdirSync(path.join(src, 'node_modules/x'), { recursive: true });
    fs.writeFileSync(path.join(src, 'keep/a.txt'), 'a');
    fs.writeFileSync(path.join(src, 'keep/deeper/b.txt'), 'b');
    fs.writeFileSync(path.join(src, 'keep/skip.log'), 'log');
    fs.writeFileSync(path.join(src, 'node_modules/x/index.js'), 'x');
    const seen = [];
    const out = new zstd.BufferOutputStream();
    const result = await zstd.packDirectory(src, out, {
      filter: (rel, st) => {
        seen.push([rel, st.isDirectory()]);
        return rel !== 'node_modules' && !rel.endsWith('.log');
      },
    });
    expect(seen).toContainEqual(['keep/deeper', true]);
    expect(seen.map(([r]) => r)).not.toContain('node_modules/x'); // a folder left out is not walked
    const names = (await listOf(out.getValue())).map((e) => e.name);
    expect(names).toEqual(['keep', 'keep/a.txt', 'keep/deeper', 'keep/deeper/b.txt']);
    expect(result).toEqual({ entries: 4, bytes: out.getValue().length });
    // strip and filter on extraction.
    const dest = path.join(work, 'stripped');
    const extracted = await zstd.extractArchive(out.getValue(), dest, { strip: 1, filter: (e) => e.name !== 'keep/a.txt' });
    expect(extracted.entries).toBe(2);
    expect(snapshot(dest)).toEqual({ deeper: 'dir', 'deeper/b.txt': '1' });
    // A file that grows or shrinks between its lstat and its read: src_size_wrong, no output file.
    const target = path.join(work, 'out-dir');
    fs.mkdirSync(target);
    for (const [change, why] of [
      [(p) => fs.appendFileSync(p, 'more'), /changed as it was read: more than 1 bytes/],
      [(p) => fs.truncateSync(p, 0), /changed as it was read: 0 bytes of 1/],
    ]) {
      const err = await caught(() =>
        zstd.packDirectory(src, path.join(target, 'x.tar.zst'), {
          filter: (rel) => (rel === 'keep/a.txt' && change(path.join(src, rel)), true),
        }),
      );
      expect(err).toEqual(expect.objectContaining({ code: 'src_size_wrong', message: expect.stringMatching(why) }));
      expect(fs.readdirSync(target)).toEqual([]);
      fs.writeFileSync(path.join(src, 'keep/a.txt'), 'a');
    }
    // A failing walk (an unreadable file) leaves no output file, not even a temporary one.
    fs.writeFileSync(path.join(src, 'keep/locked'), 'locked');
    const failing = await caught(() =>
      zstd.packDirectory(src, path.join(target, 'x.tar.zst'), {
        filter: (rel) => {
          if (rel === 'keep/locked') fs.rmSync(path.join(src, rel)); // vanishes between listing and reading
          return true;
        },
      }),
    );
    expect(failing).toEqual(expect.objectContaining({ code: 'ENOENT' }));
    expect(fs.readdirSync(target)).toEqual([]);
    expect(await caught(() => zstd.packDirectory(src, path.join(target, 'y.tar.zst'), { levle: 1 }))).toBeInstanceOf(TypeError);
    expect(await caught(() => zstd.extractArchive(out.getValue(), dest, { strip: -1 }))).toBeInstanceOf(RangeError);
  });
});

describe('safe extraction: hostile archives made by hand', () => {
  // Each case: entries before the hostile one (extracted), the hostile one (refused with
  // unsafe_path before anything is written for it), and what must not exist afterwards.
  const cases = [
    ['an absolute name', [{ name: '/tmp/ZK_OUTSIDE/abs-evil', body: 'x' }]],
    ["a '..' component", [{ name: '../ZK_OUTSIDE/dotdot-evil', body: 'x' }]],
    ["a '..' component deeper down", [{ name: 'ok/../../ZK_OUTSIDE/deep-evil', body: 'x' }]],
    ['a symlink to an absolute path', [{ name: 'abs-link', type: '2', linkname: '/tmp/ZK_OUTSIDE' }]],
    ['a symlink that climbs out', [{ name: 'sub/up-link', type: '2', linkname: '../../ZK_OUTSIDE' }]],
    ['a hard link to an absolute path', [{ name: 'hard', type: '1', linkname: '/etc/passwd' }]],
    ['a hard link that climbs out', [{ name: 'hard', type: '1', linkname: '../ZK_OUTSIDE/target' }]],
  ];

  test.each(cases)('%s is refused with unsafe_path; nothing is written outside', async (_, hostile) => {
    const base = tmpDir();
    const outside = path.join(base, 'ZK_OUTSIDE');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'target'), 'outside');
    const target = path.join(base, 'target');
    const fixOutside = (e) => ({
      ...e,
      name: e.name.replace('/tmp/ZK_OUTSIDE', outside),
      linkname: (e.linkname ?? '').replace('/tmp/ZK_OUTSIDE', outside),
    });
    const archive = zst(ustar([{ name: 'first.txt', body: 'before' }, ...hostile.map(fixOutside), { name: 'after.txt', body: 'after' }]));
    const outsideBefore = snapshot(outside);
    const e = await caught(() => zstd.extractArchive(archive, target));
    expect(e).toEqual(isZstdError('unsafe_path'));
    expect(snapshot(outside)).toEqual(outsideBefore);
    expect(fs.readFileSync(path.join(outside, 'target'), 'utf8')).toBe('outside');
    // Entries before it were written; the hostile one and those after were not.
    expect(Object.keys(snapshot(target))).toEqual(['first.txt']);
    expect(fs.readdirSync(base).sort()).toEqual(['ZK_OUTSIDE', 'target']);
    fs.rmSync(base, { recursive: true });
  });

  test('a symlink inside that leads outside, then a file through it (the classic escape)', async () => {
    const base = tmpDir();
    const outside = path.join(base, 'ZK_OUTSIDE');
    fs.mkdirSync(outside);
    const target = path.join(base, 'target');
    // The link itself points inside (lexically) at first: 'sub' -> '.', then 'sub' is replaced...
    // and plainly: 'esc' -> the outside folder by a relative path that the link check refuses,
    // so the file through it never gets a chance. Here both orders are tried.
    const viaExisting = zst(ustar([{ name: 'notes/evil.txt', body: 'through the link' }]));
    fs.mkdirSync(target);
    fs.symlinkSync(outside, path.join(target, 'notes')); // a symlink already in the target, not from the archive
    expect(await caught(() => zstd.extractArchive(viaExisting, target))).toEqual(isZstdError('unsafe_path'));
    expect(fs.readdirSync(outside)).toEqual([]);
    // A symlink chain made of links each pointing inside, ending outside: a -> b, b -> ..
    const chain = zst(
      ustar([
        { name: 'inner', type: '5', mode: 0o755 },
        { name: 'inner/b', type: '2', linkname: '..' },
        { name: 'inner/a', type: '2', linkname: 'b/..' },
        { name: 'inner/a/ZK_OUTSIDE/chain-evil.txt', body: 'x' },
      ]),
    );
    const chainTarget = path.join(base, 'chain');
    expect(await caught(() => zstd.extractArchive(chain, chainTarget))).toEqual(isZstdError('unsafe_path'));
    expect(fs.readdirSync(outside)).toEqual([]);
    // A file entry whose place holds a symlink to outside: the link is replaced, never followed.
    const replace = zst(ustar([{ name: 'victim', body: 'replaced' }]));
    const replaceTarget = path.join(base, 'replace');
    fs.mkdirSync(replaceTarget);
    fs.writeFileSync(path.join(outside, 'precious'), 'keep me');
    fs.symlinkSync(path.join(outside, 'precious'), path.join(replaceTarget, 'victim'));
    await zstd.extractArchive(replace, replaceTarget);
    expect(fs.readFileSync(path.join(outside, 'precious'), 'utf8')).toBe('keep me');
    expect(fs.lstatSync(path.join(replaceTarget, 'victim')).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(replaceTarget, 'victim'), 'utf8')).toBe('replaced');
    fs.rmSync(base, { recursive: true });
  });

  test('links that stay inside are extracted: relative symlinks, hard links to earlier files', async () => {
    const target = tmpDir();
    const archive = zst(
      ustar([
        { name: 'd', type: '5', mode: 0o755 },
        { name: 'd/file', body: 'content' },
        { name: 'd/sibling', type: '2', linkname: 'file' },
        { name: 'top', type: '2', linkname: 'd/../d/file' },
        { name: 'hard', type: '1', linkname: 'd/file' },
        { name: './dot/./name', body: 'dots' },
      ]),
    );
    expect((await zstd.extractArchive(archive, target)).entries).toBe(6);
    expect(fs.readFileSync(path.join(target, 'd/sibling'), 'utf8')).toBe('content');
    expect(fs.readFileSync(path.join(target, 'top'), 'utf8')).toBe('content');
    expect(fs.statSync(path.join(target, 'hard')).ino).toBe(fs.statSync(path.join(target, 'd/file')).ino);
    expect(fs.readFileSync(path.join(target, 'dot/name'), 'utf8')).toBe('dots');
    fs.rmSync(target, { recursive: true });
  });
});

describe('bounded memory', () => {
  test('a 1 GiB archive streams through tarZst -> untarZst under +128 MiB RSS (child process)', () => {
    const script = `
      const zstd = require('zstd-kit');
      (async () => {
        await zstd.init();
        const MiB = 1 << 20;
        const FILES = 64, FILE = 16 * MiB, CHUNK = MiB;
        // Compressible, varied, made on the fly: a base megabyte stamped with its position.
        const base = Buffer.alloc(CHUNK);
        for (let i = 0; i < CHUNK; i += 64) base.write('zstd kit frame block ' + ((Math.imul(i, 2654435761) >>> 7) % 100000) + ' window literal match\\n', i);
        const body = (f) => (async function* () {
          for (let at = 0; at < FILE; at += CHUNK) {
            const chunk = Buffer.from(base);
            chunk.writeUInt32LE(f, 0);
            chunk.writeUInt32LE(at, 4);
            yield chunk;
          }
        })();
        const entries = (async function* () {
          for (let f = 0; f < FILES; f++) yield { name: 'dir/file' + f, stream: body(f), size: FILE };
        })();
        global.gc();
        const before = process.memoryUsage.rss();
        let peak = before;
        const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
        let bytes = 0, count = 0;
        for await (const e of zstd.untarZst(zstd.tarZst(entries, { level: 1 }))) {
          count++;
          const reader = e.body.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            bytes += value.length;
            peak = Math.max(peak, process.memoryUsage.rss());
          }
        }
        clearInterval(timer);
        console.log(JSON.stringify({ count, bytes, growth: (peak - before) / MiB, heap: zstd.memory.heapSize() / MiB }));
      })();
    `;
    const out = execFileSync(process.execPath, ['--expose-gc', '-'], { cwd: root, input: script, encoding: 'utf8', timeout: 300000 });
    const r = JSON.parse(out.trim().split('\n').at(-1));
    expect(r.count).toBe(64);
    expect(r.bytes).toBe(2 ** 30);
    expect(r.growth).toBeLessThan(128);
  });
});
