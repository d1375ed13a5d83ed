// `zstd-kit info`, `train` and `bench`.
import { open as openFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { intOf, parseArgs, UsageError } from './cli-args.js';
import { eachFile, help, levelOf, load, summary, threadsOf } from './cli-common.js';
import { fileError, openTarget, pump, readWhole } from './cli-files.js';
import { summarize, walkFrames } from './cli-info.js';
import { formatBytes } from './cli-progress.js';
import { ZstdCompressor } from './compressor.js';
import { MAX_COMPRESSION_LEVEL } from './constants.js';
import { ZstdDecompressor } from './decompressor.js';
import { trainDictionary } from './dictionary.js';
import { openSeekable } from './seekable-node.js';

// --- info ------------------------------------------------------------------------------------------

const INFO = { short: { v: 'verbose' }, long: { verbose: 'flag', json: 'flag', help: 'flag' }, levels: false };

const INFO_HELP = `Usage: zstd-kit info [OPTIONS] FILE...

What each .zst FILE holds, read from its frame headers (nothing is decompressed): frames,
skippable frames, compressed and decompressed sizes, ratio, checksum, dictionary ids, window
size, and the seek table of a seekable file.

  -v, --verbose   every frame too
  --json          one JSON object per file, one per line
`;

const pad = (text, width) => String(text).padStart(width);

const SEEK_TABLE_MAGIC = 0x184d2a5e; // the skippable frame that holds a seek table

/** The seek table of a seekable file ({ frames, decompressedSize }), read by openSeekable(); null for other files. */
async function seekTableOf(handle, frames) {
  const last = frames.at(-1);
  if (last?.type !== 'skippable' || last.magic !== SEEK_TABLE_MAGIC) return null;
  const reader = await openSeekable(handle);
  try {
    const list = Array.from({ length: reader.frameCount }, (_, i) => reader.frame(i));
    return { frames: list, decompressedSize: reader.size, compressedSize: reader.compressedSize };
  } finally {
    await reader.close();
  }
}

async function infoCommand(args) {
  const { options, operands } = parseArgs(args, INFO);
  if (options.help) return help(INFO_HELP);
  if (operands.length === 0) throw new UsageError('give the FILEs to look at');
  await load(0);
  let header = false;
  return eachFile(
    operands.map((input) => ({ input })),
    async ({ input }) => {
      let handle;
      let frames;
      let size;
      let seekTable;
      try {
        handle = await openFile(input, 'r');
        const st = await handle.stat();
        if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: st.isDirectory() ? 'EISDIR' : 'EINVAL' });
        size = st.size;
        frames = await walkFrames(handle, size);
        seekTable = await seekTableOf(handle, frames);
      } catch (e) {
        throw fileError(input, e);
      } finally {
        await handle?.close();
      }
      const s = summarize(frames, size);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ file: input, ...s, seekTable, frameList: options.verbose ? frames : undefined })}\n`);
        return;
      }
      if (!header) {
        process.stdout.write('Frames  Skips  Compressed  Uncompressed  Ratio  Check  Filename\n');
        header = true;
      }
      const ratio = s.ratio === null ? '-' : s.ratio.toFixed(3);
      const decompressed = s.decompressedSize < 0 ? 'unknown' : formatBytes(s.decompressedSize);
      process.stdout.write(
        `${pad(s.frames, 6)} ${pad(s.skippableFrames, 6)} ${pad(formatBytes(s.compressedSize), 11)} ${pad(decompressed, 13)} ${pad(ratio, 6)}  ${s.checksum.padEnd(6)} ${input}\n`,
      );
      if (options.verbose) {
        if (s.dictIds.length > 0) process.stdout.write(`  dictionary ids: ${s.dictIds.join(', ')}\n`);
        process.stdout.write(`  window size: ${formatBytes(s.windowSize)}\n`);
        for (const [i, f] of frames.entries()) {
          if (f.type === 'skippable') {
            process.stdout.write(`  #${i} at ${f.offset}: skippable frame (magic 0x${f.magic.toString(16)}), ${f.compressedSize} bytes\n`);
          } else {
            const content = f.contentSize < 0 ? 'size unknown' : `${f.contentSize} bytes`;
            const dict = f.dictId !== 0 ? `, dictionary ${f.dictId}` : '';
            process.stdout.write(
              `  #${i} at ${f.offset}: zstd frame, ${f.compressedSize} bytes -> ${content}, ${f.blocks} blocks, window ${formatBytes(f.windowSize)}${f.hasChecksum ? ', XXH64' : ''}${dict}\n`,
            );
          }
        }
      }
      if (seekTable !== null && seekTable !== undefined) {
        process.stdout.write(
          `  seek table: ${seekTable.frames.length} frames, ${formatBytes(seekTable.decompressedSize)} in all (random access: decompress --range)\n`,
        );
        if (options.verbose) {
          for (const [i, f] of seekTable.frames.entries()) {
            process.stdout.write(
              `    frame ${i}: compressed ${f.compressedOffset}+${f.compressedSize}, decompressed ${f.decompressedOffset}+${f.decompressedSize}\n`,
            );
          }
        }
      }
    },
  );
}

// --- train -----------------------------------------------------------------------------------------

const TRAIN = {
  short: { o: 'output', f: 'force', r: 'recursive', q: 'quiet', T: 'threads' },
  long: {
    output: 'value',
    maxdict: 'value',
    dictID: 'value',
    force: 'flag',
    recursive: 'flag',
    quiet: 'flag',
    threads: 'value',
    help: 'flag',
  },
  levels: true,
};

const TRAIN_HELP = `Usage: zstd-kit train [OPTIONS] FILE...

Trains a dictionary on the sample FILEs (each file one sample; folders with -r), with zstd's
fastCover, and writes it (default: ./dictionary). Compress and decompress with -D DICTIONARY.

  -o FILE         where to write the dictionary (default: dictionary)
  --maxdict=#     the dictionary's size at most, in bytes (default 112640; K, M suffixes)
  --dictID=#      the dictionary id to write (default: a random one)
  -#              the level the dictionary is tuned for (default 3)
  -T#             train on # threads (0: as many as cores)
  -r              read the files of folders too
  -f, --force     overwrite an existing output file
  -q, --quiet     no summary
`;

/** The sample files: each operand, and with -r the files under each folder. */
async function* samplePaths(paths, recursive) {
  for (const path of paths) {
    let st;
    try {
      st = await stat(path);
    } catch (e) {
      throw fileError(path, e);
    }
    if (st.isDirectory()) {
      if (!recursive) throw fileError(path, Object.assign(new Error(''), { code: 'EISDIR' }));
      yield* samplePaths(
        (await readdir(path)).sort().map((name) => join(path, name)),
        true,
      );
    } else if (st.isFile()) {
      yield path;
    }
  }
}

async function trainCommand(args) {
  const { options, operands } = parseArgs(args, TRAIN);
  if (options.help) return help(TRAIN_HELP);
  if (operands.length === 0) throw new UsageError('give the sample FILEs');
  const maxdict = options.maxdict === undefined ? 112640 : intOf(options.maxdict, '--maxdict', 256, 2 ** 31 - 1);
  const dictId = options.dictID === undefined ? undefined : intOf(options.dictID, '--dictID', 1, 2 ** 32 - 121);
  const level = levelOf(options);
  const workers = threadsOf(options.threads);
  const threads = workers === 1 ? 0 : workers; // training on one thread is the calling thread's work
  const output = options.output ?? 'dictionary';
  await load(threads);
  const samples = [];
  let bytes = 0;
  for await (const path of samplePaths(operands, options.recursive)) {
    const sample = await readWhole(path);
    samples.push(sample);
    bytes += sample.length;
  }
  if (samples.length === 0) throw new UsageError('no sample files found');
  let dictionary;
  try {
    dictionary = trainDictionary(maxdict, samples, { level, dictId, threads });
  } catch (e) {
    throw fileError(output, new Error(`training on ${samples.length} samples (${formatBytes(bytes)}) failed: ${e.message}`));
  }
  const target = await openTarget(output, { force: options.force });
  await pump([dictionary.asBytes()], target);
  await target.commit();
  summary(
    options,
    `${output}: dictionary of ${formatBytes(target.written)} (id ${dictionary.dictId()}), from ${samples.length} samples (${formatBytes(bytes)})`,
  );
  dictionary.free();
  return 0;
}

// --- bench -----------------------------------------------------------------------------------------

const BENCH = {
  short: { b: 'from', e: 'to', i: 'seconds', T: 'threads' },
  long: { from: 'value', to: 'value', seconds: 'value', threads: 'value', json: 'flag', help: 'flag' },
  levels: true,
};

const BENCH_HELP = `Usage: zstd-kit bench [OPTIONS] FILE...

Compresses and decompresses each FILE in memory, level after level, and prints the ratio and
the speeds (MB/s of uncompressed data, 1 MB = 10^6 bytes).

  -#              one level (default 3)
  -b# -e#         the levels from # to # (as zstd -b)
  -i#             seconds spent per measurement, at least (default 1)
  -T#             compress on # worker threads, as zstd (0: as many as cores; default 1)
  --json          one JSON object per measurement, one per line
`;

/** Runs fn until `seconds` have passed (at least 2 runs); the median speed in MB/s of `bytes` per run. */
function speedOf(fn, bytes, seconds) {
  const times = [];
  const start = performance.now();
  while (times.length < 2 || performance.now() - start < seconds * 1000) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  return bytes / 1e6 / (median / 1000);
}

async function benchCommand(args) {
  const { options, operands } = parseArgs(args, BENCH);
  if (options.help) return help(BENCH_HELP);
  if (operands.length === 0) throw new UsageError('give the FILEs to measure with');
  const from = options.from === undefined ? levelOf(options) : intOf(options.from, '-b', -131072, MAX_COMPRESSION_LEVEL);
  const to = options.to === undefined ? from : intOf(options.to, '-e', from, MAX_COMPRESSION_LEVEL);
  const seconds = options.seconds === undefined ? 1 : intOf(options.seconds, '-i', 0, 3600);
  const threads = threadsOf(options.threads);
  await load(threads);
  if (!options.json) process.stdout.write('Level      Ratio   Compress   Decompress  File\n');
  return eachFile(
    operands.map((input) => ({ input })),
    async ({ input }) => {
      const data = await readWhole(input);
      const d = new ZstdDecompressor();
      try {
        for (let level = from; level <= to; level++) {
          const c = new ZstdCompressor({ level, threads });
          let frame;
          try {
            frame = c.compress(data);
            const compressMBs = speedOf(() => c.compress(data), data.length, seconds);
            const decompressMBs = speedOf(() => d.decompress(frame), data.length, seconds);
            const ratio = data.length / Math.max(1, frame.length);
            if (options.json) {
              process.stdout.write(
                `${JSON.stringify({ file: input, level, size: data.length, compressedSize: frame.length, ratio, compressMBs, decompressMBs })}\n`,
              );
            } else {
              process.stdout.write(
                `${pad(level, 5)} ${pad(ratio.toFixed(3), 10)} ${pad(compressMBs.toFixed(1), 7)} MB/s ${pad(decompressMBs.toFixed(1), 7)} MB/s  ${input} (${formatBytes(data.length)})\n`,
              );
            }
          } finally {
            c.free();
          }
        }
      } finally {
        d.free();
      }
    },
  );
}

export const COMMANDS = { info: infoCommand, train: trainCommand, bench: benchCommand };
