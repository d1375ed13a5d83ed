// The command line (dist/node/cli.cjs, package.json's "bin"), with the zstd tool and GNU tar as
// oracles: same bytes decoded both ways, `zstd -t` on our outputs, our CLI on theirs; the error
// paths (one line naming the file, non-zero exit, no partial output file); progress on a
// pseudo-terminal (script -q) and none when piped. The packed package's `npx zstd-kit` is in
// tests/ecosystem.
const { execFileSync, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { WORKER_COUNTER, textData, randomData, tmpDir } = require('./helpers.cjs');

const CLI = path.join(__dirname, '../../dist/node/cli.cjs');
let work;

beforeAll(() => {
  work = tmpDir();
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Runs the CLI in `work`; { status, stdout (Buffer), stderr (string) }. */
function cli(args, { input, cwd = work } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}
const ok = (args, options) => {
  const r = cli(args, options);
  if (r.status !== 0) throw new Error(`zstd-kit ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r;
};
const zstd = (args, input) => execFileSync('zstd', args, { cwd: work, input, maxBuffer: 1 << 28, stdio: 'pipe' });
const at = (name) => path.join(work, name);
const write = (name, data) => fs.writeFileSync(at(name), data);
const read = (name) => fs.readFileSync(at(name));
const sha = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
/** Files in `work` that look like temporary outputs. */
const leftovers = () => fs.readdirSync(work).filter((n) => n.endsWith('.tmp'));

describe('worker threads', () => {
  // A preload that counts the worker_threads the CLI starts and prints the count as it exits.
  const COUNTER = `${WORKER_COUNTER}
process.on('exit', () => require('node:fs').writeSync(2, '\\nworkers=' + globalThis.workersStarted + '\\n'));`;
  const workersStarted = (args) => {
    write('count-workers.cjs', COUNTER);
    const preload = at('count-workers.cjs');
    const r = spawnSync(process.execPath, ['-r', preload, CLI, ...args], { cwd: work });
    if (r.status !== 0) throw new Error(`zstd-kit ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    return Number(/workers=(\d+)/.exec(r.stderr.toString())[1]);
  };

  test('-T# starts the workers for # threads, as zstd runs # workers; --single-thread and decompress none', () => {
    write('threads.txt', textData(3 << 20, 11));
    const one = workersStarted(['compress', '-q', '-f', '-T1', 'threads.txt', '-o', 'threads1.zst']);
    const two = workersStarted(['compress', '-q', '-f', '-T2', 'threads.txt', '-o', 'threads2.zst']);
    // -T1 compresses on one worker, not on every core the pool would otherwise have.
    expect(one).toBeGreaterThan(0);
    expect(one).toBeLessThanOrEqual(3);
    if (require('node:os').availableParallelism() >= 2) expect(two).toBe(one + 1);
    expect(workersStarted(['compress', '-q', '-f', '--single-thread', 'threads.txt', '-o', 'threads0.zst'])).toBe(0);
    expect(workersStarted(['decompress', '-q', '-f', 'threads1.zst', '-o', 'threads.out'])).toBe(0);
    expect(sha(read('threads.out'))).toBe(sha(read('threads.txt')));
    expect(sha(read('threads1.zst'))).toBe(sha(read('threads2.zst'))); // zstd's bytes whatever the worker count
  });
});

describe('compress and decompress against the zstd tool', () => {
  test('ours -> zstd -t and zstd -d give the same bytes; zstd -> ours; levels, --fast, -T, --no-check', () => {
    const data = Buffer.concat([fs.readFileSync(CLI), textData(3 << 20, 1), randomData(200000, 2)]);
    write('a', data);
    for (const [i, flags] of [[], ['-1'], ['-19'], ['--fast=4'], ['-T2'], ['--no-check'], ['-5', '-T0']].entries()) {
      ok(['compress', ...flags, '-o', `a${i}.zst`, 'a']);
      zstd(['-q', '-t', `a${i}.zst`]);
      expect(sha(zstd(['-q', '-d', '-c', `a${i}.zst`]))).toBe(sha(data));
      const listed = zstd(['-lv', `a${i}.zst`]).toString();
      expect(listed).toMatch(flags.includes('--no-check') ? /Check: None/ : /Check: XXH64/);
    }
    // -T# counts worker threads as zstd does: the default (one worker) and -T2 write zstd's own
    // bytes for the same level, --single-thread those of zstd --single-thread.
    for (const [ours, theirs] of [
      [[], ['-3']],
      [['-T1', '-7'], ['-7']],
      [
        ['-T2', '-7'],
        ['-7', '-T2'],
      ],
      [['--single-thread'], ['-3', '--single-thread']],
    ]) {
      expect(sha(ok(['compress', '-c', ...ours, 'a']).stdout)).toBe(sha(zstd(['-q', '-c', ...theirs, 'a'])));
    }
    expect(cli(['compress', '-c', '-T2', '--single-thread', 'a']).stderr).toMatch(/give one of -T# and --single-thread/);
    // File to file, output written from wasm memory chunk by chunk: long runs of zeros (bursts of
    // output) between text and random bytes, over many 1 MiB chunks, both ways.
    const bursty = Buffer.concat([textData(1 << 20, 5), Buffer.alloc(9 << 20), randomData(3 << 20, 6), Buffer.alloc(5 << 20), data]);
    write('bursty', bursty);
    for (const flags of [[], ['--single-thread']]) {
      ok(['compress', '-f', ...flags, 'bursty', '-o', 'bursty.zst']);
      expect(sha(zstd(['-q', '-d', '-c', 'bursty.zst']))).toBe(sha(bursty));
      ok(['decompress', '-f', 'bursty.zst', '-o', 'bursty.out']);
      expect(sha(read('bursty.out'))).toBe(sha(bursty));
      // To stdout (a pipe here), each chunk copied into one buffer that is written again and
      // again: many chunks in flight one after the other, every byte as it was.
      expect(sha(ok(['decompress', '-c', 'bursty.zst']).stdout)).toBe(sha(bursty));
      expect(sha(zstd(['-q', '-d', '-c'], ok(['compress', '-c', ...flags, 'bursty']).stdout))).toBe(sha(bursty));
    }
    // Level 19 is smaller than level 1, --fast larger still (on JavaScript source).
    const size = (i) => fs.statSync(at(`a${i}.zst`)).size;
    expect(size(2)).toBeLessThan(size(1));
    write('js', fs.readFileSync(CLI));
    const jsSize = (flags) => ok(['compress', '-c', ...flags, 'js']).stdout.length;
    expect(jsSize(['--fast=4'])).toBeGreaterThan(jsSize(['-1']));
    expect(jsSize(['-1'])).toBeGreaterThan(jsSize(['-9']));
    // Default naming: a -> a.zst, source kept, mode and mtime copied.
    fs.chmodSync(at('a'), 0o640);
    const t = new Date('2022-02-03T04:05:06Z');
    fs.utimesSync(at('a'), t, t);
    ok(['compress', 'a']);
    expect(fs.existsSync(at('a'))).toBe(true);
    expect(fs.statSync(at('a.zst')).mode & 0o777).toBe(0o640);
    expect(Math.floor(fs.statSync(at('a.zst')).mtimeMs / 1000)).toBe(t.getTime() / 1000);
    // zstd's own output (several frames, a skippable frame) through ours.
    zstd(['-q', '-f', '-9', 'a', '-o', 'z.zst']);
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from('abc')]);
    write('multi.zst', Buffer.concat([read('z.zst'), skippable, zstd(['-q', '-c', '-3'], Buffer.from('tail'))]));
    ok(['decompress', 'z.zst', '-o', 'z.out']);
    expect(sha(read('z.out'))).toBe(sha(data));
    ok(['decompress', 'multi.zst']);
    expect(sha(read('multi'))).toBe(sha(Buffer.concat([data, Buffer.from('tail')])));
    ok(['test', 'z.zst', 'multi.zst', 'a0.zst']);
  });

  test('stdin to stdout both ways (and "-"); several files at once; -c; --rm; -k', () => {
    const data = textData(500000, 3);
    const compressed = ok(['compress'], { input: data }).stdout;
    expect(sha(zstd(['-q', '-d', '-c'], compressed))).toBe(sha(data));
    expect(sha(ok(['decompress', '-'], { input: zstd(['-q', '-c'], data) }).stdout)).toBe(sha(data));
    expect(sha(ok(['decompress', '-c', '-'], { input: compressed }).stdout)).toBe(sha(data));
    for (const n of ['m1', 'm2', 'm3']) write(n, textData(100000, n.charCodeAt(1)));
    ok(['compress', '-q', 'm1', 'm2', 'm3']);
    for (const n of ['m1', 'm2', 'm3']) expect(sha(zstd(['-q', '-d', '-c', `${n}.zst`]))).toBe(sha(read(n)));
    // -c: all to stdout, one frame after the other.
    const both = ok(['compress', '-c', 'm1', 'm2']).stdout;
    expect(sha(zstd(['-q', '-d', '-c'], both))).toBe(sha(Buffer.concat([read('m1'), read('m2')])));
    // --rm removes the source once the output is complete; -k (the default) keeps it.
    fs.rmSync(at('m1.zst'));
    ok(['compress', '--rm', 'm1']);
    expect(fs.existsSync(at('m1'))).toBe(false);
    ok(['decompress', '-k', 'm1.zst']);
    expect(fs.existsSync(at('m1.zst'))).toBe(true);
    ok(['decompress', '-f', '--rm', 'm2.zst']);
    expect(fs.existsSync(at('m2.zst'))).toBe(false);
    expect(sha(read('m1'))).toBe(sha(textData(100000, '1'.charCodeAt(0))));
  });

  test('-D: a dictionary trained by ours works with zstd -D, and zstd --train with ours', () => {
    fs.mkdirSync(at('samples'));
    for (let i = 0; i < 300; i++) {
      write(`samples/s${i}.json`, JSON.stringify({ id: i, name: `user-${i}`, tags: ['alpha', 'beta', `t${i % 7}`], ok: i % 3 === 0 }));
    }
    const files = fs.readdirSync(at('samples')).map((n) => `samples/${n}`);
    ok(['train', '-q', '--maxdict=4K', '-o', 'ours.dict', ...files]);
    expect(fs.statSync(at('ours.dict')).size).toBeLessThanOrEqual(4096);
    ok(['train', '-q', '-r', '--maxdict=4K', '--dictID=777', '-o', 'ours-r.dict', 'samples']);
    zstd(['-q', '--train', '--maxdict=4096', ...files, '-o', 'theirs.dict']);
    const sample = read('samples/s42.json');
    ok(['compress', '-q', '-D', 'ours.dict', 'samples/s42.json', '-o', 's42.zst']);
    expect(sha(zstd(['-q', '-d', '-c', '-D', 'ours.dict', 's42.zst']))).toBe(sha(sample));
    const info = JSON.parse(ok(['info', '--json', 's42.zst']).stdout.toString());
    expect(info.dictIds).toHaveLength(1);
    zstd(['-q', '-f', '-D', 'theirs.dict', 'samples/s42.json', '-o', 's42t.zst']);
    expect(sha(ok(['decompress', '-c', '-D', 'theirs.dict', 's42t.zst']).stdout)).toBe(sha(sample));
    // Without the dictionary: a one-line error naming the file.
    const r = cli(['decompress', '-c', 's42t.zst']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^zstd-kit: s42t\.zst: .*dictionary/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // --dictID is written in the dictionary, and so in each frame made with it.
    ok(['compress', '-q', '-D', 'ours-r.dict', 'samples/s42.json', '-o', 's42r.zst']);
    expect(JSON.parse(ok(['info', '--json', 's42r.zst']).stdout.toString()).dictIds).toEqual([777]);
  });
});

describe('info, test, bench', () => {
  test('info: frames, skippable frames, sizes, ratio and checksum, as zstd -l counts them', () => {
    const data = textData(1 << 20, 9);
    write('i1', data);
    zstd(['-q', '-f', '-3', 'i1', '-o', 'i1.zst']);
    const skippable = Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 1, 0, 0, 0, 9]);
    write('i2.zst', Buffer.concat([read('i1.zst'), skippable, zstd(['-q', '-c', '--no-check', 'i1'])]));
    const lines = ok(['info', '--json', 'i1.zst', 'i2.zst'])
      .stdout.toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ file: 'i1.zst', frames: 1, skippableFrames: 0, decompressedSize: data.length, checksum: 'XXH64' });
    expect(lines[0].compressedSize).toBe(fs.statSync(at('i1.zst')).size);
    expect(lines[0].ratio).toBeCloseTo(data.length / lines[0].compressedSize, 6);
    expect(lines[1]).toMatchObject({ frames: 2, skippableFrames: 1, decompressedSize: 2 * data.length, checksum: 'some frames' });
    const zl = zstd(['-l', 'i2.zst']).toString();
    expect(zl).toMatch(/^\s+3\s+1\s/m); // zstd -l counts the skippable frame among the frames
    const text = ok(['info', '-v', 'i2.zst']).stdout.toString();
    expect(text).toMatch(/Frames\s+Skips\s+Compressed/);
    expect(text).toMatch(/skippable frame \(magic 0x184d2a5a\), 9 bytes/);
    // A stream written without its size: unknown, not made up.
    write('nosize.zst', zstd(['-q', '-c'], data));
    expect(JSON.parse(ok(['info', '--json', 'nosize.zst']).stdout.toString()).decompressedSize).toBe(-1);
  });

  test('test: good files pass; corrupt and truncated ones fail, each with its own line; the others still run', () => {
    const good = zstd(['-q', '-c'], textData(300000, 4));
    write('good.zst', good);
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)] ^= 0x55;
    write('bad.zst', bad);
    write('short.zst', good.subarray(0, good.length - 100));
    const r = cli(['test', 'bad.zst', 'good.zst', 'short.zst']);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^zstd-kit: bad\.zst: .*(corrupt|checksum)/i);
    expect(lines[1]).toMatch(/^zstd-kit: short\.zst: .*truncated/);
    expect(cli(['test', 'good.zst']).status).toBe(0);
  });

  test('bench: a row per level with ratio and speeds; --json', () => {
    write('b', textData(200000, 5));
    const rows = ok(['bench', '-b1', '-e3', '-i0', '--json', 'b'])
      .stdout.toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.level)).toEqual([1, 2, 3]);
    for (const r of rows) {
      expect(r.ratio).toBeGreaterThan(2);
      expect(r.compressMBs).toBeGreaterThan(0);
      expect(r.decompressMBs).toBeGreaterThan(0);
    }
    expect(ok(['bench', '-i0', 'b']).stdout.toString()).toMatch(/^\s+3\s+\d+\.\d+\s+[\d.]+ MB\/s\s+[\d.]+ MB\/s\s+b /m);
  });
});

describe('errors: one line naming the file, non-zero exit, never a partial output', () => {
  test('missing, corrupt, truncated input; existing output without -f; a directory; unknown suffix', () => {
    const data = textData(2 << 20, 6);
    write('e', data);
    const frame = zstd(['-q', '-c'], data);
    write('e-short.zst', frame.subarray(0, frame.length >> 1));
    const corrupt = Buffer.from(frame);
    corrupt.fill(0x41, 100, 400);
    write('e-bad.zst', corrupt);
    write('e-exists', 'keep me');
    write('e-exists.zst', 'keep me too');
    fs.mkdirSync(at('e-dir'));
    const cases = [
      [['decompress', 'missing.zst'], /^zstd-kit: missing\.zst: no such file or directory$/],
      [['decompress', 'e-short.zst'], /^zstd-kit: e-short\.zst: .*truncated/],
      [['decompress', 'e-bad.zst'], /^zstd-kit: e-bad\.zst: .+/],
      [['compress', 'e-exists'], /^zstd-kit: e-exists\.zst: already exists \(use -f to overwrite\)$/],
      [['decompress', 'e-short.zst', '-o', 'e-exists'], /^zstd-kit: e-exists: already exists/],
      [['compress', 'e-dir'], /^zstd-kit: e-dir: is a directory$/],
      [['decompress', 'e'], /^zstd-kit: e: unknown suffix/],
      [['compress', 'e', '-o', 'e'], /^zstd-kit: e: the output would overwrite its own input$/],
      [['compress', 'e', '-o', 'no-such-dir/e.zst'], /^zstd-kit: no-such-dir\/e\.zst: no such file or directory$/],
      [['info', 'e'], /^zstd-kit: e: .*not a zstd frame/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect([args, r.status]).toEqual([args, 1]);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
    // Nothing was written: no decompressed name, no temporary file, existing files untouched.
    expect(fs.existsSync(at('e-short'))).toBe(false);
    expect(fs.existsSync(at('e-bad'))).toBe(false);
    expect(read('e-exists').toString()).toBe('keep me');
    expect(read('e-exists.zst').toString()).toBe('keep me too');
    expect(leftovers()).toEqual([]);
    // -f replaces, in one step (rename).
    ok(['compress', '-f', 'e-exists']);
    expect(zstd(['-q', '-d', '-c', 'e-exists.zst']).toString()).toBe('keep me');
    // A failure in the middle of several files: the others are done, the exit code says it.
    const r = cli(['decompress', '-f', 'e-bad.zst', 'e-exists.zst']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^zstd-kit: e-bad\.zst: /);
    expect(leftovers()).toEqual([]);
  });

  test('interrupted (SIGINT, SIGTERM) in the middle of a file: no output and no temporary file left', async () => {
    write('int', Buffer.concat([randomData(4 << 20, 30), textData(28 << 20, 31)]));
    for (const signal of ['SIGINT', 'SIGTERM']) {
      const child = require('node:child_process').spawn(process.execPath, [CLI, 'compress', '-19', '-f', 'int'], { cwd: work });
      // Once the temporary file exists, the work is under way.
      for (let i = 0; i < 400 && leftovers().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(leftovers()).toHaveLength(1);
      child.kill(signal);
      const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? s)));
      expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(leftovers()).toEqual([]);
      expect(fs.existsSync(at('int.zst'))).toBe(false);
    }
  });

  test('command-line mistakes: exit 2 with a hint; --help for every command; a terminal is not a compressed sink', () => {
    for (const args of [
      ['compress', '--nope'],
      ['compress', '-T'],
      ['compress', '-Tx', 'a'],
      ['frobnicate'],
      ['tar', '-f', 'x'],
      ['compress', '-o', 'x', 'a', 'b'],
    ]) {
      const r = cli(args);
      expect([args, r.status]).toEqual([args, 2]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^zstd-kit/);
    }
    for (const command of ['compress', 'decompress', 'test', 'info', 'train', 'bench', 'tar']) {
      const r = ok([command, '--help']);
      expect(r.stdout.toString()).toMatch(new RegExp(`^Usage: zstd-kit ${command} `));
    }
    expect(ok(['--help']).stdout.toString()).toMatch(/Commands:/);
    expect(ok(['--version']).stdout.toString()).toMatch(/^zstd-kit \d+\.\d+\.\d+/);
  });
});

describe('progress: on a terminal only', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  (hasScript ? test : test.skip)(
    'script -q gives the CLI a terminal: a progress bar (bytes, MB/s, ETA) and a summary; piped: nothing',
    () => {
      write('p', Buffer.concat([textData(6 << 20, 8), randomData(2 << 20, 9)]));
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} compress -19 -f p`;
      const r = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: work, encoding: 'latin1', timeout: 120000 });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/p \[[#.]+\]\s+\d+% [\d.]+ [KM]iB \/ 8\.00 MiB, [\d.]+ [KM]?i?B\/s, ETA \d+:\d\d/);
      expect(r.stdout).toContain('\r\u001b[K'); // each redraw clears the line
      expect(r.stdout).toMatch(/p: \d+\.\d\d% \(8\.00 MiB => [\d.]+ [KM]iB, p\.zst\)/);
      const piped = cli(['compress', '-19', '-f', 'p']);
      expect(piped.status).toBe(0);
      expect(piped.stderr).toBe('');
      expect(sha(zstd(['-q', '-d', '-c', 'p.zst']))).toBe(sha(read('p')));
    },
  );
});

describe('seekable files', () => {
  test('compress --seekable[=SIZE]: zstd decodes it, info shows the seek table, decompress --range reads a slice', () => {
    const data = Buffer.concat([textData(3 << 20, 12), randomData(1 << 20, 13)]);
    write('s', data);
    ok(['compress', '-q', '--seekable=256K', 's']);
    expect(sha(zstd(['-q', '-d', '-c', 's.zst']))).toBe(sha(data));
    const info = JSON.parse(ok(['info', '--json', 's.zst']).stdout.toString());
    expect(info.seekTable.frames).toHaveLength(16);
    expect(info.seekTable.decompressedSize).toBe(data.length);
    expect(info.seekTable.frames[3]).toMatchObject({ decompressedOffset: 3 << 18, decompressedSize: 1 << 18 });
    expect(ok(['info', 's.zst']).stdout.toString()).toMatch(/seek table: 16 frames, 4\.00 MiB in all/);
    // Slices: inside a frame, across frames, to the end, past the end (clipped).
    for (const [offset, length] of [
      [10, 100],
      [(1 << 18) - 7, 300000],
      [data.length - 5, undefined],
      [data.length - 5, 100],
    ]) {
      const range = `${offset}:${length ?? ''}`;
      const out = ok(['decompress', '--range', range, 's.zst']).stdout;
      expect([range, sha(out)]).toEqual([range, sha(data.subarray(offset, length === undefined ? undefined : offset + length))]);
    }
    ok(['decompress', '--range', '1M:64K', 's.zst', '-o', 's.part']);
    expect(sha(read('s.part'))).toBe(sha(data.subarray(1 << 20, (1 << 20) + (64 << 10))));
    // Default frame size 1 MiB; from stdin too.
    const piped = ok(['compress', '--seekable', '-c', '-'], { input: data }).stdout;
    write('s2.zst', piped);
    expect(JSON.parse(ok(['info', '--json', 's2.zst']).stdout.toString()).seekTable.frames).toHaveLength(4);
    // Not seekable: one line, seek_table_invalid; bad ranges: usage errors.
    write('plain.zst', zstd(['-q', '-c'], data.subarray(0, 1000)));
    const r = cli(['decompress', '--range', '0:10', 'plain.zst']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^zstd-kit: plain\.zst: .*\(seek_table_invalid\)$/);
    expect(cli(['decompress', '--range', 'x:1', 's.zst']).status).toBe(2);
    expect(cli(['decompress', '--range', '0:1', '-'], { input: piped }).status).toBe(2);
  });

  test('tar -c --seekable: GNU tar reads it; info shows its seek table', async () => {
    fs.mkdirSync(at('stree'));
    for (let i = 0; i < 40; i++) write(`stree/f${i}.txt`, textData(50000, 100 + i));
    ok(['tar', '-c', '--seekable=128K', '-f', 'st.tar.zst', '-C', 'stree', '.']);
    const names = execFileSync('tar', ['--zstd', '-tf', at('st.tar.zst')]).toString();
    expect(names).toMatch(/\.\/f39\.txt/);
    const info = JSON.parse(ok(['info', '--json', 'st.tar.zst']).stdout.toString());
    expect(info.seekTable.frames.length).toBeGreaterThan(10);
  });
});

describe('tar', () => {
  function tree(dir) {
    fs.mkdirSync(path.join(dir, 'docs/deep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'docs/readme.txt'), 'hello\n');
    fs.writeFileSync(path.join(dir, 'docs/deep/big.bin'), randomData(300000, 11));
    fs.writeFileSync(path.join(dir, 'docs/deep/naïve ünïcode.txt'), 'utf-8');
    fs.writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    fs.symlinkSync('docs/readme.txt', path.join(dir, 'link'));
  }
  const listing = (dir) =>
    execFileSync('find', ['.', '-printf', '%y %m %s %P %l\n'], { cwd: dir })
      .toString()
      .split('\n')
      .filter((l) => l && !l.startsWith('d 700 '))
      .sort()
      .join('\n');

  test('tar -c -> GNU tar --zstd -x; GNU tar --zstd -c -> tar -t and tar -x; -C, -v, --strip-components, PATHS', () => {
    const src = at('tsrc');
    fs.mkdirSync(src);
    tree(src);
    ok(['tar', '-cf', 'ours.tar.zst', '-C', 'tsrc', 'docs', 'run.sh', 'link']);
    zstd(['-q', '-t', 'ours.tar.zst']);
    fs.mkdirSync(at('gnu-x'));
    execFileSync('tar', ['--zstd', '-xf', at('ours.tar.zst'), '-C', at('gnu-x')]);
    expect(listing(at('gnu-x'))).toBe(listing(src));
    execFileSync('tar', ['--zstd', '-cf', at('gnu.tar.zst'), '-C', src, '.']);
    const names = ok(['tar', '-tf', 'gnu.tar.zst']).stdout.toString().trim().split('\n');
    expect(names).toEqual(expect.arrayContaining(['./docs/', './docs/readme.txt', './docs/deep/naïve ünïcode.txt', './link']));
    const verbose = ok(['tar', '-tvf', 'gnu.tar.zst']).stdout.toString();
    expect(verbose).toMatch(/^-rwxr-xr-x \S+ +\d+ \d{4}-\d\d-\d\d \d\d:\d\d \.\/run\.sh$/m);
    expect(verbose).toMatch(/^l\S+ .* \.\/link -> docs\/readme\.txt$/m);
    fs.mkdirSync(at('ours-x'));
    ok(['tar', '-xf', 'gnu.tar.zst', '-C', 'ours-x']);
    expect(listing(at('ours-x'))).toBe(listing(src));
    // Only some PATHS; --strip-components; -v names each entry on stderr.
    const r = ok(['tar', '-xvf', 'ours.tar.zst', '-C', 'part', '--strip-components=1', 'docs/deep']);
    expect(fs.readdirSync(at('part')).sort()).toEqual(['deep']);
    expect(r.stderr).toMatch(/docs\/deep\/big\.bin/);
    // stdin and stdout: '-'.
    const piped = ok(['tar', '-cf', '-', '-C', 'tsrc', 'docs']).stdout;
    expect(ok(['tar', '-tf', '-'], { input: piped }).stdout.toString()).toMatch(/^docs\/readme\.txt$/m);
  });

  test('tar errors: a missing path, a truncated archive, a hostile archive, an existing archive', () => {
    write('exists.tar.zst', 'old');
    const cases = [
      [['tar', '-cf', 'x.tar.zst', 'no-such-path'], /^zstd-kit: no-such-path: no such file or directory$/],
      [['tar', '-cf', 'exists.tar.zst', '-C', 'tsrc', 'docs'], /^zstd-kit: exists\.tar\.zst: already exists/],
    ];
    const archive = read('ours.tar.zst');
    write('short.tar.zst', archive.subarray(0, archive.length - 5000));
    cases.push([['tar', '-xf', 'short.tar.zst', '-C', 'short-x'], /^zstd-kit: short\.tar\.zst: .*\(src_size_wrong\)$/]);
    // An archive with a '..' entry, made by GNU tar (-P keeps the name).
    fs.mkdirSync(at('h/a'), { recursive: true });
    write('h/evil', 'evil');
    execFileSync('tar', ['--zstd', '-P', '-cf', at('evil.tar.zst'), '-C', at('h/a'), '../evil']);
    cases.push([['tar', '-xf', 'evil.tar.zst', '-C', 'evil-x'], /^zstd-kit: evil\.tar\.zst: refusing "\.\.\/evil": .*\(unsafe_path\)$/]);
    for (const [args, message] of cases) {
      const r = cli(args);
      expect([args, r.status]).toEqual([args, 1]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
    expect(fs.existsSync(at('x.tar.zst'))).toBe(false);
    expect(read('exists.tar.zst').toString()).toBe('old');
    expect(fs.existsSync(at('evil'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
