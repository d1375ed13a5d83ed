// `npx zstd-kit ...`: the command line, built into dist/node/cli.cjs (package.json's "bin"). Its
// options follow the zstd tool's (-19, --fast=3, -T4, -D dict, -o, -c, -f, -k/--rm, '-' for
// stdin/stdout); each command has --help. Errors: one line on stderr naming the file and the
// reason, exit code 1 (2 for a mistake in the command line); no partial output file is ever left.
import { intOf, parseArgs, UsageError } from './cli-args.js';
import { eachFile, help, levelOf, load, percent, printError, progressOf, summary, threadsOf } from './cli-common.js';
import {
  displayName,
  FileError,
  fileError,
  openSource,
  openTarget,
  pump,
  readWhole,
  removePendingFiles,
  removeSource,
  STDIO,
} from './cli-files.js';
import { formatBytes } from './cli-progress.js';
import { COMMANDS as TAR_COMMANDS } from './cli-tar.js';
import { COMMANDS as TOOL_COMMANDS } from './cli-tools.js';
import { ZstdCompressor } from './compressor.js';
import { ZstdDecompressor } from './decompressor.js';
import { ZstdCompressionDict } from './dictionary.js';
import { seekableTransform } from './seekable.js';
import { openSeekable } from './seekable-node.js';

const VERSION = '0.1.0';
const READ_SIZE = 1 << 20;
const WRITE_SIZE = 1 << 20;

const GENERAL_HELP = `Usage: zstd-kit COMMAND [OPTIONS] [FILE...]

Zstandard for JavaScript: the zstd-kit library on the command line.

Commands:
  compress    compress files (FILE -> FILE.zst), or stdin to stdout
  decompress  decompress files (FILE.zst -> FILE), or stdin to stdout
  test        check that files decompress (checksums included)
  info        frames, sizes, ratio, checksum, dictionary id, seek table
  train       train a dictionary on sample files
  bench       compression and decompression speed, per level
  tar         .tar.zst archives: tar -c|-x|-t -f ARCHIVE [-C DIR] [PATHS...]

'zstd-kit COMMAND --help' tells more about each. Also: --version.
`;

const dictionaryOf = async (path) => (path === undefined ? undefined : new ZstdCompressionDict(await readWhole(path)));

// --- compress, decompress, test -----------------------------------------------------------------

const COMMON_LONG = { force: 'flag', stdout: 'flag', keep: 'flag', rm: 'flag', quiet: 'flag', 'no-progress': 'flag', output: 'value' };
const COMMON_SHORT = { f: 'force', c: 'stdout', k: 'keep', q: 'quiet', o: 'output' };

const COMPRESS = {
  short: { ...COMMON_SHORT, T: 'threads', D: 'dict' },
  long: {
    ...COMMON_LONG,
    threads: 'value',
    'single-thread': 'flag',
    dict: 'value',
    fast: 'optional',
    ultra: 'flag',
    check: 'flag',
    'no-check': 'flag',
    seekable: 'optional',
    help: 'flag',
  },
  levels: true,
};

const COMPRESS_HELP = `Usage: zstd-kit compress [OPTIONS] [FILE...]

Compresses each FILE into FILE.zst (the source is kept unless --rm); without FILE, or with '-',
stdin to stdout.

  -#              level, 1 (fastest) to 22 (smallest; default 3); --fast[=#]: faster still
  -T#, --threads=#  compress on # worker threads, as zstd (0: as many as cores; default 1:
                  one worker, the file is read and written while it compresses)
  --single-thread no worker: all on one thread (as zstd's, its frames differ in bytes)
  -D FILE         compress with the dictionary FILE (see 'zstd-kit train')
  -o FILE         write to FILE (one input only)
  -c, --stdout    write to stdout
  -f, --force     overwrite existing files; write compressed data to a terminal
  -k, --keep      keep the source files (the default); --rm removes them after success
  --no-check      no checksum in the frames (default: XXH64 checksum, as zstd)
  --seekable[=SIZE]  the seekable format, frames of SIZE bytes of input (default 1 MiB)
  -q, --quiet     no progress or summary on stderr
  --no-progress   no progress bar
`;

const DECOMPRESS = {
  short: { ...COMMON_SHORT, D: 'dict', M: 'memory' },
  long: { ...COMMON_LONG, dict: 'value', memory: 'value', range: 'value', help: 'flag' },
  levels: false,
};

const DECOMPRESS_HELP = `Usage: zstd-kit decompress [OPTIONS] [FILE...]

Decompresses each FILE.zst into FILE (.tzst into .tar; the source is kept unless --rm); without
FILE, or with '-', stdin to stdout. Concatenated frames are decoded one after the other; skippable
frames are skipped.

  -D FILE         the dictionary the files were compressed with
  -M#, --memory=#  refuse frames that need a window larger than # bytes (K, M, G suffixes)
  --range OFFSET:LENGTH  only bytes [OFFSET, OFFSET+LENGTH) of the decompressed content, read
                  through the seek table of a seekable file (to stdout unless -o)
  -o FILE         write to FILE (one input only)
  -c, --stdout    write to stdout
  -f, --force     overwrite existing files
  -k, --keep      keep the source files (the default); --rm removes them after success
  -q, --quiet     no progress or summary on stderr
  --no-progress   no progress bar
`;

const TEST = {
  short: { q: 'quiet', D: 'dict', M: 'memory' },
  long: { quiet: 'flag', 'no-progress': 'flag', dict: 'value', memory: 'value', help: 'flag' },
  levels: false,
};

const TEST_HELP = `Usage: zstd-kit test [OPTIONS] FILE...

Decompresses each FILE (or stdin: '-') without writing anything, checking every frame and its
checksum. Exit code 0 when all are good.

  -D FILE         the dictionary the files were compressed with
  -M#, --memory=#  refuse frames that need a window larger than # bytes
  -q, --quiet     no progress or summary on stderr
  --no-progress   no progress bar
`;

/** What each input becomes and whether the source may go; checks the options that go together. */
function plan(options, operands, suffixFor) {
  const inputs = operands.length === 0 ? [STDIO] : operands;
  if (options.output !== undefined && inputs.length > 1) throw new UsageError('-o takes one input file');
  if (options.rm && options.keep) throw new UsageError('give one of -k and --rm');
  if (options.output !== undefined && options.stdout) throw new UsageError('give one of -o and -c');
  return inputs.map((input) => {
    let output;
    if (options.output !== undefined) output = options.output;
    else if (options.stdout || input === STDIO) output = STDIO;
    else output = suffixFor(input);
    return { input, output };
  });
}

async function compressCommand(args) {
  const { options, operands } = parseArgs(args, COMPRESS);
  if (options.help) return help(COMPRESS_HELP);
  const level = levelOf(options);
  const threads = threadsOf(options.threads, options['single-thread']);
  const checksum = !options['no-check'];
  const seekable =
    options.seekable === undefined ? null : options.seekable === true ? 1 << 20 : intOf(options.seekable, '--seekable', 1, 1 << 30);
  const jobs = plan(options, operands, (input) => `${input}.zst`);
  if (jobs.some((j) => j.output === STDIO) && process.stdout.isTTY && !options.force) {
    throw new UsageError('refusing to write compressed data to a terminal (use -f, or -o FILE)');
  }
  if (jobs.some((j) => j.input === STDIO) && process.stdin.isTTY) throw new UsageError('stdin is a terminal: give a FILE, or pipe data in');
  await load(threads);
  const dictData = await dictionaryOf(options.dict);
  const compressor = new ZstdCompressor({ level, threads, dictData, writeChecksum: checksum });
  return eachFile(jobs, async ({ input, output }) => {
    const label = displayName(input);
    let progress = null;
    const source = await openSource(input, { readSize: READ_SIZE, reuse: true, onRead: (n) => progress?.update(n) });
    progress = progressOf(options, label, source.size);
    try {
      const target = await openTarget(output, { force: options.force, source: input });
      const chunks =
        seekable !== null
          ? seekableChunks({ level, threads, dictData, writeChecksum: checksum, frameSize: seekable, checksum }, source)
          : // A target done with each chunk when write() returns (a file's synchronous writes, or
            // stdout's copy) is lent them: views of wasm memory, not copies made for it.
            compressor[target.writesAtOnce ? '_readToIterLent' : 'readToIter'](source.chunks, {
              size: source.size < 0 ? undefined : source.size,
              readSize: READ_SIZE,
              writeSize: WRITE_SIZE,
            });
      await pump(chunks, target);
      await target.commit(
        source.stat === null ? {} : { mode: source.stat.mode & 0o7777, atime: source.stat.atime, mtime: source.stat.mtime },
      );
      progress.done();
      summary(
        options,
        `${label}: ${percent(target.written, source.read)} (${formatBytes(source.read)} => ${formatBytes(target.written)}, ${target.name})`,
      );
    } finally {
      progress.done();
      await source.close();
    }
    if (options.rm && input !== STDIO && output !== STDIO) await removeSource(input);
  });
}

/** The seekable format's chunks of a source: frames of frameSize bytes, then the seek table. */
async function* seekableChunks(options, source) {
  const spec = seekableTransform(options, 'compress --seekable');
  try {
    for await (const chunk of source.chunks) {
      const out = [];
      spec.transform(chunk, (bytes) => out.push(bytes));
      yield* out;
    }
    const out = [];
    spec.flush((bytes) => out.push(bytes));
    yield* out;
  } finally {
    spec.release();
  }
}

/** FILE.zst -> FILE, FILE.tzst -> FILE.tar; anything else needs -o or -c. */
function decompressedName(input) {
  for (const [suffix, replacement] of [
    ['.zst', ''],
    ['.zstd', ''],
    ['.tzst', '.tar'],
  ]) {
    if (input.endsWith(suffix) && input.length > suffix.length) return input.slice(0, -suffix.length) + replacement;
  }
  throw new FileError(input, 'unknown suffix (expected .zst, .zstd or .tzst): use -o FILE or -c');
}

function decompressorOf(options, dictData) {
  const maxWindowSize = options.memory === undefined ? 0 : intOf(options.memory, '--memory', 1, 2 ** 31);
  return new ZstdDecompressor({ dictData, maxWindowSize });
}

async function decompressCommand(args) {
  const { options, operands } = parseArgs(args, DECOMPRESS);
  if (options.help) return help(DECOMPRESS_HELP);
  if (options.range !== undefined) return rangeCommand(options, operands);
  const jobs = [];
  for (const input of operands.length === 0 ? [STDIO] : operands) {
    // A bad name is that file's error, not the command's.
    try {
      jobs.push(...plan(options, [input], decompressedName));
    } catch (e) {
      if (!(e instanceof FileError)) throw e;
      jobs.push({ input, output: null, error: e });
    }
  }
  if (options.output !== undefined && operands.length > 1) throw new UsageError('-o takes one input file');
  if (jobs.some((j) => j.input === STDIO) && process.stdin.isTTY) throw new UsageError('stdin is a terminal: give a FILE, or pipe data in');
  await load(0);
  const dictData = await dictionaryOf(options.dict);
  const decompressor = decompressorOf(options, dictData);
  return eachFile(jobs, async ({ input, output, error }) => {
    if (error) throw error;
    const label = displayName(input);
    let progress = null;
    const source = await openSource(input, { readSize: READ_SIZE, reuse: true, onRead: (n) => progress?.update(n) });
    progress = progressOf(options, label, source.size);
    try {
      const target = await openTarget(output, { force: options.force, source: input });
      const chunks = decompressor[target.writesAtOnce ? '_readToIterLent' : 'readToIter'](source.chunks, {
        readSize: READ_SIZE,
        writeSize: WRITE_SIZE,
      });
      await pump(chunks, target);
      await target.commit(
        source.stat === null ? {} : { mode: source.stat.mode & 0o7777, atime: source.stat.atime, mtime: source.stat.mtime },
      );
      progress.done();
      summary(options, `${label}: ${formatBytes(target.written)}, ${target.name}`);
    } finally {
      progress.done();
      await source.close();
    }
    if (options.rm && input !== STDIO && output !== STDIO) await removeSource(input);
  });
}

/** OFFSET:LENGTH (each a number, K/M/G suffixes allowed; LENGTH may be empty: to the end). */
function rangeOf(text) {
  const m = /^([^:]+):([^:]*)$/.exec(String(text));
  if (m === null) throw new UsageError(`--range takes OFFSET:LENGTH, not '${text}'`);
  const offset = intOf(m[1], '--range OFFSET', 0, Number.MAX_SAFE_INTEGER);
  const length = m[2] === '' ? undefined : intOf(m[2], '--range LENGTH', 0, Number.MAX_SAFE_INTEGER);
  return { offset, length };
}

/**
 * decompress --range: bytes [OFFSET, OFFSET+LENGTH) of a seekable file's content, reading only
 * the frames its seek table says hold them; to stdout unless -o.
 */
async function rangeCommand(options, operands) {
  const { offset, length } = rangeOf(options.range);
  if (operands.length !== 1 || operands[0] === STDIO)
    throw new UsageError('--range reads one seekable FILE (not stdin: it needs random access)');
  if (options.rm) throw new UsageError('--range keeps its source (no --rm)');
  const [input] = operands;
  await load(0);
  const dictData = await dictionaryOf(options.dict);
  let reader;
  try {
    reader = await openSeekable(input, { dictData });
  } catch (e) {
    throw fileError(input, e);
  }
  try {
    const target = await openTarget(options.output ?? STDIO, { force: options.force, source: input });
    try {
      await pump(reader.stream(offset, length), target);
    } catch (e) {
      throw fileError(input, e);
    }
    await target.commit();
  } finally {
    await reader.close();
  }
  return 0;
}

async function testCommand(args) {
  const { options, operands } = parseArgs(args, TEST);
  if (options.help) return help(TEST_HELP);
  const inputs = operands.length === 0 ? [STDIO] : operands;
  if (inputs.includes(STDIO) && process.stdin.isTTY) throw new UsageError('stdin is a terminal: give a FILE, or pipe data in');
  await load(0);
  const decompressor = decompressorOf(options, await dictionaryOf(options.dict));
  return eachFile(
    inputs.map((input) => ({ input })),
    async ({ input }) => {
      const label = displayName(input);
      let progress = null;
      const source = await openSource(input, { readSize: READ_SIZE, reuse: true, onRead: (n) => progress?.update(n) });
      progress = progressOf(options, label, source.size);
      let size = 0;
      try {
        for await (const chunk of decompressor.readToIter(source.chunks, { readSize: READ_SIZE, writeSize: WRITE_SIZE }))
          size += chunk.length;
      } finally {
        progress.done();
        await source.close();
      }
      summary(options, `${label}: OK (${formatBytes(size)})`);
    },
  );
}

// --- dispatch -------------------------------------------------------------------------------------

const COMMANDS = {
  compress: compressCommand,
  decompress: decompressCommand,
  test: testCommand,
  ...TOOL_COMMANDS,
  ...TAR_COMMANDS,
};

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv) {
  // The reader of our stdout went away (`zstd-kit info big.zst | head`): stop, without a trace.
  process.stdout.on('error', (e) => {
    if (e.code !== 'EPIPE') printError(e);
    removePendingFiles();
    process.exit(1);
  });
  // Interrupted: no partial output file stays behind.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.once(signal, () => {
      removePendingFiles();
      process.exit(code);
    });
  }
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    if (command === 'help' && args[0] in COMMANDS) return COMMANDS[args[0]](['--help']);
    process.stdout.write(GENERAL_HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`zstd-kit ${VERSION}\n`);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    process.stderr.write(`zstd-kit: unknown command '${command}' (see zstd-kit --help)\n`);
    return 2;
  }
  try {
    return await run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`zstd-kit ${command}: ${e.message} (see zstd-kit ${command} --help)\n`);
      return 2;
    }
    printError(e);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
