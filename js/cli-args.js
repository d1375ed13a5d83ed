// The command line's argument parser: zstd's conventions (-19, -T4, -T 4, --fast=3, -dc bundles,
// --name=value and --name value, '--' ends the options, '-' is stdin/stdout) and tar's bundles
// (-cvf ARCHIVE). Each command describes its options; anything else is a UsageError.

/** A mistake in the command line: printed with a hint, exit code 2. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses `args` for a command. `spec`: { short: { letter: name }, long: { name: kind }, takes:
 * { name: true } (names that take a value), levels: true (digits are a level: -19) }. A kind is
 * 'flag', 'value' (needs one) or 'optional' (--name or --name=value). Returns { options, operands }.
 */
export function parseArgs(args, spec) {
  const options = {};
  const operands = [];
  const takes = (name) => spec.long[name] === 'value';
  const set = (name, value) => {
    if (spec.long[name] === 'list') (options[name] ??= []).push(value);
    else options[name] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const kind = spec.long[name];
      if (kind === undefined) throw new UsageError(`unknown option '--${name}'`);
      if (eq >= 0) {
        if (kind === 'flag') throw new UsageError(`option '--${name}' takes no value`);
        set(name, arg.slice(eq + 1));
      } else if (kind === 'value' || kind === 'list') {
        if (i + 1 >= args.length) throw new UsageError(`option '--${name}' needs a value`);
        set(name, args[++i]);
      } else {
        set(name, true);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A bundle of short options: letters, a level (-19), a letter with its value (-T4, -ofile).
      for (let j = 1; j < arg.length; j++) {
        const ch = arg[j];
        if (spec.levels && ch >= '0' && ch <= '9') {
          let k = j;
          while (k < arg.length && arg[k] >= '0' && arg[k] <= '9') k++;
          options.level = arg.slice(j, k);
          j = k - 1;
          continue;
        }
        const name = spec.short[ch];
        if (name === undefined) throw new UsageError(`unknown option '-${ch}'`);
        if (takes(name) || spec.long[name] === 'list') {
          let value = arg.slice(j + 1);
          if (value === '') {
            if (i + 1 >= args.length) throw new UsageError(`option '-${ch}' needs a value`);
            value = args[++i];
          }
          set(name, value);
          break;
        }
        set(name, true);
      }
      continue;
    }
    operands.push(arg);
  }
  return { options, operands };
}

/** An integer option's value: a UsageError naming it when it is not one, or out of [min, max]. */
export function intOf(value, name, min, max) {
  const text = String(value);
  const m = /^(-?\d+)([KMG]i?B?)?$/i.exec(text);
  if (m === null) throw new UsageError(`${name} must be a number, not '${text}'`);
  const scale = m[2] ? 1024 ** ('KMG'.indexOf(m[2][0].toUpperCase()) + 1) : 1;
  const n = Number(m[1]) * scale;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${name} must be in [${min}, ${max}], not ${text}`);
  return n;
}
