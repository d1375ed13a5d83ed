// Archives and the command line against the native tools, on the same files, in interleaved
// rounds (medians):
//   - .tar.zst of a folder: `tar -cf - -C DIR . | zstd -3 -T1`, `tar --zstd -cf` (GNU tar runs
//     zstd at its default level 3, one thread) and zstd-kit's packDirectory(DIR, OUT, { level: 3,
//     threads }) (in a child process of its own, timed around the call, with its peak RSS), on two
//     trees: many small files (the large corpus's tree, unpacked twice) and a few large ones.
//   - the CLI: `zstd -3 -T1 -q` vs `zstd-kit compress -3 -T1 -q` (level 3, one worker thread each:
//     the same bytes), and `zstd -d -q` vs
//     `zstd-kit decompress -q`, whole processes timed (start-up included, as a user waits for it).
// MB/s: 10^6 bytes of uncompressed input per second.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median } from './stats.mjs';

const PACK_CHILD = `
const [root, dir, out, threads] = process.argv.slice(1);
const zstd = await import(root + '/dist/node/index.mjs');
await zstd.init();
const baseline = process.memoryUsage().rss;
const t = performance.now();
await zstd.packDirectory(dir, out, { level: 3, threads: Number(threads) });
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, rssGrowthMiB: (process.resourceUsage().maxRSS * 1024 - baseline) / 2 ** 20 }));
`;

/** Wall time of a command, in ms; throws when it fails. */
function timed(cmd, args, options = {}) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${String(r.stderr).slice(0, 300)}`);
  return ms;
}

/** Sum of the sizes of the files under `dir` (what the archive holds). */
const treeBytes = (dir) => Number(execFileSync('du', ['-sb', '--apparent-size', dir], { encoding: 'utf8' }).split('\t')[0]);

export async function benchArchiveCli({ root, corpusPath, rounds }) {
  const work = mkdtempSync(join(tmpdir(), 'zstd-kit-bench-archive-'));
  try {
    const corpus = readFileSync(corpusPath);
    // Trees: many small files (the corpus's own tree, twice) and a few large ones (the corpus, 4 copies).
    const small = join(work, 'small');
    for (const copy of ['a', 'b']) {
      mkdirSync(join(small, copy), { recursive: true });
      execFileSync('tar', ['-xf', corpusPath, '-C', join(small, copy)]);
    }
    const large = join(work, 'large');
    mkdirSync(large);
    for (let i = 0; i < 4; i++) writeFileSync(join(large, `part${i}.tar`), corpus);
    const files = Number(execFileSync('sh', ['-c', `find ${small} -type f | wc -l`], { encoding: 'utf8' }));
    const trees = [
      { name: `many small files (${files.toLocaleString('en-US')} files)`, dir: small },
      { name: 'a few large files (4 files)', dir: large },
    ];
    const out = join(work, 'out.tar.zst');
    const archiveRows = [];
    const bars = {};
    for (const tree of trees) {
      const bytes = treeBytes(tree.dir);
      const methods = {
        'tar -c | zstd -3 -T1': () => ({ ms: timed('sh', ['-c', `tar -cf - -C '${tree.dir}' . | zstd -3 -T1 -q -o '${out}' -f`]) }),
        'tar --zstd -c': () => ({ ms: timed('tar', ['--zstd', '-cf', out, '-C', tree.dir, '.']) }),
        'packDirectory, threads 2': () => pack(root, tree.dir, out, 2),
        'packDirectory, 1 thread': () => pack(root, tree.dir, out, 0),
      };
      const times = Object.fromEntries(Object.keys(methods).map((k) => [k, []]));
      const rss = {};
      const sizes = {};
      for (let round = 0; round < rounds; round++) {
        for (const [name, run] of Object.entries(methods)) {
          const r = run();
          times[name].push(r.ms);
          if (r.rssGrowthMiB !== undefined) rss[name] = Math.max(rss[name] ?? 0, r.rssGrowthMiB);
          sizes[name] = statSync(out).size;
        }
      }
      const native = median(times['tar -c | zstd -3 -T1']);
      for (const name of Object.keys(methods)) {
        const ms = median(times[name]);
        archiveRows.push(
          `| ${tree.name} | ${fmt(bytes / 2 ** 20, 1)} | ${name.replace('|', '\\|')} | ${fmt(bytes / 1e6 / (ms / 1000), 1)} | ${fmt(native / ms, 2)} | ${fmt(bytes / sizes[name], 2)} | ${rss[name] === undefined ? '-' : `${fmt(rss[name], 1)} MiB`} |`,
        );
      }
      bars[tree.name] = { threads2: native / median(times['packDirectory, threads 2']), rss: rss['packDirectory, threads 2'] };
    }

    // The CLI on one file: the corpus, 8 times (so start-up is a small part).
    const input = join(work, 'input.tar');
    writeFileSync(input, Buffer.concat(Array.from({ length: 8 }, () => corpus)));
    const size = statSync(input).size;
    const cli = join(root, 'dist/node/cli.cjs');
    const ours = join(work, 'ours.zst');
    const theirs = join(work, 'theirs.zst');
    const methods = {
      'zstd -3 -T1': () => timed('zstd', ['-3', '-T1', '-q', '-f', input, '-o', theirs]),
      'zstd-kit compress -3 -T1': () => timed(process.execPath, [cli, 'compress', '-3', '-T1', '-q', '-f', input, '-o', ours]),
      'zstd -d': () => timed('zstd', ['-d', '-q', '-f', theirs, '-o', join(work, 'theirs.out')]),
      'zstd-kit decompress': () => timed(process.execPath, [cli, 'decompress', '-q', '-f', ours, '-o', join(work, 'ours.out')]),
    };
    const times = Object.fromEntries(Object.keys(methods).map((k) => [k, []]));
    for (let round = 0; round < rounds; round++) for (const [name, run] of Object.entries(methods)) times[name].push(run());
    if (!readFileSync(join(work, 'ours.out')).equals(readFileSync(input))) throw new Error('zstd-kit decompress: output differs');
    execFileSync('zstd', ['-t', '-q', ours]);
    const mbs = (name) => size / 1e6 / (median(times[name]) / 1000);
    const cliRatio = {
      compress: mbs('zstd-kit compress -3 -T1') / mbs('zstd -3 -T1'),
      decompress: mbs('zstd-kit decompress') / mbs('zstd -d'),
    };
    const cliRows = [
      `| compress | ${fmt(mbs('zstd -3 -T1'), 1)} | ${fmt(mbs('zstd-kit compress -3 -T1'), 1)} | ${fmt(cliRatio.compress, 2)} | ${fmt(size / statSync(theirs).size, 2)} / ${fmt(size / statSync(ours).size, 2)} |`,
      `| decompress | ${fmt(mbs('zstd -d'), 1)} | ${fmt(mbs('zstd-kit decompress'), 1)} | ${fmt(cliRatio.decompress, 2)} | |`,
    ];
    return {
      archiveTable: [
        '| tree | MiB | method | MB/s | / native | ratio | peak RSS growth |',
        '|---|---|---|---|---|---|---|',
        ...archiveRows,
      ].join('\n'),
      cliTable: [
        `| ${fmt(size / 2 ** 20, 1)} MiB file | zstd MB/s | zstd-kit CLI MB/s | zstd-kit / zstd | ratio (zstd / zstd-kit) |`,
        '|---|---|---|---|---|',
        ...cliRows,
      ].join('\n'),
      bars,
      cliRatio,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function pack(root, dir, out, threads) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', PACK_CHILD, root, dir, out, String(threads)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`packDirectory child: exit ${r.status}: ${r.stderr.slice(0, 300)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}
