// Shared fixtures for the Jest suites. Data is made with bulk operations (Buffer.repeat,
// crypto) because plain JS loops are slow inside Jest's sandbox.
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const WORDS = 'zstd kit frame block window literal match offset sequence huffman entropy dictionary ';

/** Compressible, text-like bytes, deterministic per seed. */
function textData(size, seed = 1) {
  const base = Buffer.from(WORDS.repeat(64));
  const noise = crypto.createHash('sha256').update(String(seed)).digest();
  const unit = Buffer.concat([noise.toString('hex').slice(0, 8 + (seed % 17)), base].map((x) => Buffer.from(x)));
  const out = Buffer.alloc(size);
  for (let off = 0, i = 0; off < size; off += unit.length, i++) {
    unit.copy(out, off, 0, Math.min(unit.length, size - off));
    out.writeUInt32LE((i * 2654435761) >>> 0, Math.min(off, Math.max(0, size - 4)));
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Incompressible bytes, deterministic per seed. */
function randomData(size, seed = 1) {
  const out = Buffer.alloc(size);
  let block = crypto.createHash('sha512').update(`seed${seed}`).digest();
  for (let off = 0; off < size; off += block.length) {
    block.copy(out, off);
    block = crypto.createHash('sha512').update(block).digest();
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function tmpDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'zstd-kit-test-'));
}

/** Runs the zstd CLI with `input` on stdin; returns stdout as a Uint8Array. */
function zstdCli(args, input) {
  const out = execFileSync('zstd', args, { input, maxBuffer: 1 << 30 });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Byte-wise equality that prints a short diff instead of megabytes of numbers. */
function expectSameBytes(actual, expected) {
  expect(actual.length).toBe(expected.length);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.length);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.length);
  if (!a.equals(b)) {
    let i = 0;
    while (a[i] === b[i]) i++;
    throw new Error(`bytes differ first at offset ${i}: ${a[i]} != ${b[i]}`);
  }
}

/** One Uint8Array from many parts (Uint8Arrays of this realm or Node's Buffers). */
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Every chunk of an (async) iterable, in order. */
async function collect(iterable) {
  const parts = [];
  for await (const x of iterable) parts.push(x);
  return parts;
}

/** The error fn throws or rejects with (null if none): errors are inspected, never printed whole. */
async function caught(fn) {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return null;
}

/** The error fn throws (null if none). */
function caughtSync(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

// Runs fn while a 5 ms interval ticks; returns fn's result with the tick count and largest gap.
async function whileTicking(fn) {
  let ticks = 0;
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 5);
  const start = performance.now();
  try {
    const result = await fn();
    return { result, ticks, maxGap: Math.max(maxGap, performance.now() - last), elapsed: performance.now() - start };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Source that counts the worker_threads a process starts, in globalThis.workersStarted (the
 * threaded build pre-loads a pthread worker for each pool thread, and a couple more): run it first,
 * inline or as a -r preload.
 */
const WORKER_COUNTER = `const wt = require('node:worker_threads'); const W = wt.Worker; globalThis.workersStarted = 0;
wt.Worker = class extends W { constructor(...a) { super(...a); globalThis.workersStarted++; } };`;

module.exports = {
  WORKER_COUNTER,
  textData,
  randomData,
  tmpDir,
  zstdCli,
  expectSameBytes,
  concat,
  collect,
  caught,
  caughtSync,
  whileTicking,
};
