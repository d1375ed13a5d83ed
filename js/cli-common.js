// What the command line's commands share: loading the wasm module, zstd's -# / --fast / -T#,
// running a job per file (an error is one line and the next file goes on), progress and summaries.
import { availableParallelism } from 'node:os';
import { intOf, UsageError } from './cli-args.js';
import { displayName, FileError, fileError, reasonOf } from './cli-files.js';
import { Progress } from './cli-progress.js';
import { MAX_COMPRESSION_LEVEL } from './constants.js';
import { loadNodeModule } from './load-node.js';
import { MAX_THREADS } from './options.js';
import { initWith } from './runtime.js';

/**
 * Loads the wasm module for a command using `threads` worker threads: the threaded build only
 * when it uses any (it starts ~0.15 s slower), with a pool sized for that many.
 */
export function load(threads) {
  return initWith(loadNodeModule, threads === 0 ? { threads: false } : { threads: true, maxThreads: threads }, null);
}

/**
 * zstd's -T# as zstd-kit's threads option, as the zstd tool counts them: # worker threads (0: as
 * many as cores; default 1, one worker: the file is read and written while it compresses), and
 * --single-thread none (all on one thread; its frames differ in bytes).
 */
export function threadsOf(value, singleThread = false) {
  if (singleThread) {
    if (value !== undefined) throw new UsageError('give one of -T# and --single-thread');
    return 0;
  }
  if (value === undefined) return 1;
  const n = intOf(value, '-T', 0, MAX_THREADS);
  return n === 0 ? Math.min(MAX_THREADS, availableParallelism()) : n;
}

/** The level of -#, --fast[=#] and --ultra (default 3). */
export function levelOf(options) {
  if (options.fast !== undefined) {
    if (options.level !== undefined) throw new UsageError('give one of -# and --fast');
    return -(options.fast === true ? 1 : intOf(options.fast, '--fast', 1, 131072));
  }
  if (options.level === undefined) return 3;
  const level = intOf(options.level, '-#', 0, MAX_COMPRESSION_LEVEL);
  return level === 0 ? 3 : level;
}

/** Runs `job` on each file; an error is printed (one line) and the next file goes on. Returns the exit code. */
export async function eachFile(jobs, job) {
  let code = 0;
  for (const item of jobs) {
    try {
      await job(item);
    } catch (e) {
      printError(fileError(displayName(item.input), e));
      code = 1;
    }
  }
  return code;
}

export const progressOf = (options, label, total) => new Progress(label, total, { enabled: !options.quiet && !options['no-progress'] });

export function summary(options, line) {
  if (!options.quiet && process.stderr.isTTY) process.stderr.write(`${line}\n`);
}

export const percent = (part, whole) => (whole > 0 ? `${((part / whole) * 100).toFixed(2)}%` : '-');

export function help(text) {
  process.stdout.write(text);
  return 0;
}

export function printError(e) {
  const where = e instanceof FileError ? `${e.file}: ` : '';
  process.stderr.write(`zstd-kit: ${where}${reasonOf(e)}\n`);
}
