// `zstd-kit tar -c|-x|-t -f ARCHIVE.tar.zst [-C DIR] [PATHS...]`: GNU tar's options for the
// archives of archive.js and archive-node.js.
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { intOf, parseArgs, UsageError } from './cli-args.js';
import { help, levelOf, load, progressOf, summary, threadsOf } from './cli-common.js';
import { FileError, fileError, openSource, openTarget, pump, STDIO } from './cli-files.js';
import { formatBytes } from './cli-progress.js';
import { tarEntries } from './archive.js';
import { extractArchive, pathEntries, tarZstOfPaths } from './archive-node.js';

const TAR = {
  short: { c: 'create', x: 'extract', t: 'list', f: 'file', C: 'directory', v: 'verbose', T: 'threads', q: 'quiet' },
  long: {
    create: 'flag',
    extract: 'flag',
    list: 'flag',
    file: 'value',
    directory: 'value',
    verbose: 'flag',
    threads: 'value',
    force: 'flag',
    quiet: 'flag',
    'no-progress': 'flag',
    'strip-components': 'value',
    seekable: 'optional',
    fast: 'optional',
    help: 'flag',
  },
  levels: true,
};

const TAR_HELP = `Usage: zstd-kit tar -c|-x|-t -f ARCHIVE [OPTIONS] [PATHS...]

.tar.zst archives (POSIX tar with pax headers: GNU tar reads them with --zstd), streamed in
bounded memory.

  -c, --create     archive PATHS (files, folders with their contents, symlinks)
  -x, --extract    extract (all, or only PATHS); nothing is ever written outside the folder:
                   absolute names, '..' and links leading outside are refused
  -t, --list       list the entries (with -v: mode, size, time)
  -f ARCHIVE       the archive ('-': stdout for -c, stdin for -x and -t)
  -C DIR           work in DIR: PATHS are relative to it (-c), entries go under it (-x)
  -#, --fast[=#]   compression level (-c; default 3)
  -T#              compress on # worker threads, as zstd (-c; 0: as many as cores; default 1)
  --seekable[=SIZE]  write the seekable format (-c), frames of SIZE bytes (default 1 MiB)
  --strip-components=N  drop N leading components of the names (-x)
  --force          replace an existing ARCHIVE (-c)
  -v, --verbose    name each entry as it goes
  -q, --quiet      no progress or summary
`;

const MODE_LETTERS = 'rwxrwxrwx';
const TYPE_LETTER = { file: '-', directory: 'd', symlink: 'l', link: 'h' };

/** An entry as GNU tar -tv prints it. */
function verboseLine(e) {
  let mode = TYPE_LETTER[e.type] ?? '?';
  for (let i = 0; i < 9; i++) mode += e.mode & (1 << (8 - i)) ? MODE_LETTERS[i] : '-';
  const t = e.mtime;
  const two = (n) => String(n).padStart(2, '0');
  const when = `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}`;
  const owner = `${e.uname || e.uid}/${e.gname || e.gid}`;
  const link = e.type === 'symlink' ? ` -> ${e.linkname}` : e.type === 'link' ? ` link to ${e.linkname}` : '';
  return `${mode} ${owner} ${String(e.size).padStart(8)} ${when} ${displayed(e)}${link}`;
}

const displayed = (e) => (e.type === 'directory' ? `${e.name}/` : e.name);

/** Whether entry `name` is one of `paths` or under one of them (all when there are none). */
function selected(name, paths) {
  if (paths.length === 0) return true;
  return paths.some((p) => {
    const path = p.replace(/\/+$/, '');
    return name === path || name.startsWith(`${path}/`);
  });
}

async function createArchive(options, operands) {
  if (operands.length === 0) throw new UsageError('refusing to create an empty archive: give the PATHS to archive');
  const base = resolve(options.directory ?? '.');
  const names = operands.map((p) => {
    const name = p.replace(/^\/+/, '').replace(/\/+$/, '') || '.';
    if (name.split('/').includes('..')) throw new UsageError(`'${p}': names with '..' are not archived (use -C)`);
    return { name, base: p.startsWith('/') ? '/' : base };
  });
  if (options.file === STDIO && process.stdout.isTTY && !options.force) {
    throw new UsageError('refusing to write an archive to a terminal (use -f FILE)');
  }
  const threads = threadsOf(options.threads);
  const level = levelOf(options);
  const seekable =
    options.seekable === undefined ? false : options.seekable === true ? 1 << 20 : intOf(options.seekable, '--seekable', 1, 1 << 30);
  await load(threads);
  for (const { name, base: from } of names) {
    try {
      await lstat(resolve(from, name));
    } catch (e) {
      throw fileError(name, e);
    }
  }
  const progress = progressOf(options, options.file === STDIO ? '(stdout)' : options.file, -1);
  let count = 0;
  const entries = (function* () {
    for (const { name, base: from } of names) {
      for (const entry of pathEntries(from, [name], undefined)) {
        count++;
        if (options.verbose) {
          progress.done();
          process.stderr.write(`${entry.name}\n`);
        }
        yield entry;
      }
    }
  })();
  const target = await openTarget(options.file, { force: options.force });
  try {
    const archive = tarZstOfPaths(entries, { level, threads, ...(seekable ? { seekable: true, frameSize: seekable } : {}) });
    const counted = (async function* () {
      for await (const chunk of archive) {
        yield chunk;
        progress.update(target.written + chunk.length);
      }
    })();
    await pump(counted, target);
    await target.commit();
  } catch (e) {
    throw fileError(target.name, e);
  } finally {
    progress.done();
  }
  summary(options, `${target.name}: ${count} entries, ${formatBytes(target.written)}`);
  return 0;
}

async function extractOrList(options, operands, list) {
  await load(0);
  const archive = options.file;
  let progress = null;
  const source = await openSource(archive, { onRead: (n) => progress?.update(n) });
  progress = progressOf(options, archive === STDIO ? '(stdin)' : archive, source.size);
  const strip = options['strip-components'] === undefined ? 0 : intOf(options['strip-components'], '--strip-components', 0, 1 << 16);
  try {
    if (list) {
      for await (const entry of tarEntries(source.chunks)) {
        if (!selected(entry.name, operands)) continue;
        progress.done();
        process.stdout.write(`${options.verbose ? verboseLine(entry) : displayed(entry)}\n`);
      }
      return 0;
    }
    const filter = (entry) => {
      if (!selected(entry.name, operands)) return false;
      if (options.verbose) {
        progress.done();
        process.stderr.write(`${displayed(entry)}\n`);
      }
      return true;
    };
    const { entries } = await extractArchive(source.chunks, options.directory ?? '.', { strip, filter });
    progress.done();
    summary(options, `${archive === STDIO ? '(stdin)' : archive}: ${entries} entries extracted`);
    return 0;
  } catch (e) {
    throw e instanceof FileError ? e : fileError(archive === STDIO ? '(stdin)' : archive, e);
  } finally {
    progress.done();
    await source.close();
  }
}

async function tarCommand(args) {
  const { options, operands } = parseArgs(args, TAR);
  if (options.help) return help(TAR_HELP);
  const modes = ['create', 'extract', 'list'].filter((m) => options[m]);
  if (modes.length !== 1) throw new UsageError('give one of -c, -x and -t');
  if (options.file === undefined) throw new UsageError('give the archive: -f ARCHIVE');
  if (modes[0] !== 'create' && options.file === STDIO && process.stdin.isTTY) throw new UsageError('stdin is a terminal: give -f ARCHIVE');
  if (modes[0] === 'create') return createArchive(options, operands);
  return extractOrList(options, operands, modes[0] === 'list');
}

export const COMMANDS = { tar: tarCommand };
