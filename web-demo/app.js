// The demo page. It only draws: every job (compress, decompress, inspect, charts, dictionary
// training) runs in a module Web Worker hosting zstd-kit (worker.js), which reports progress
// from the codec itself and can be cancelled. A job that does not stop when asked (one long
// synchronous call, such as training) is ended with its worker, which frees all its memory.
import { bars, scatter } from './charts.js';
import { formatBytes, formatMs, formatRatio, formatRate, savings } from './format.js';
import { looksLikeZstd } from './inspect.js';

const $ = (id) => document.getElementById(id);
let features = null;

/** Announces `text` to screen readers (the polite live region). */
function announce(text) {
  $('announce').textContent = '';
  // A new text node after a tick, so the same text twice is announced twice.
  setTimeout(() => ($('announce').textContent = text), 30);
}

function setStatus(el, text, kind = '') {
  el.textContent = text;
  el.className = `status ${kind}`;
}

// --- Workers ----------------------------------------------------------------------------------

/** One worker per panel, made on first use and replaced when a job has to be killed. */
class Lane {
  #worker = null;
  #ready = null;
  #jobs = new Map();
  #next = 1;

  #start() {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'zstd-kit demo' });
    this.#worker = worker;
    this.#ready = new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if (data.ready) return resolve(data.ready);
        if (data.failed) return reject(new Error(`the worker could not load zstd-kit: ${data.failed.message}`));
        const job = this.#jobs.get(data.id);
        if (!job) return;
        if (data.progress) return job.onProgress?.(data.progress);
        this.#jobs.delete(data.id);
        if (data.cancelled) job.resolve({ cancelled: true, memory: data.memory });
        else if (data.error) job.reject(Object.assign(new Error(data.error.message), data.error));
        else job.resolve(data.result);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        const error = new Error(`worker error: ${e.message || 'could not start'}`);
        reject(error);
        for (const job of this.#jobs.values()) job.reject(error);
        this.#jobs.clear();
      };
    });
  }

  /** Features of the worker's zstd-kit once it has loaded. */
  ready() {
    if (!this.#worker) this.#start();
    return this.#ready;
  }

  /** Runs `job`; resolves to its result, or { cancelled: true } once cancel() has stopped it. */
  run(job, args, onProgress) {
    if (!this.#worker) this.#start();
    const id = this.#next++;
    const promise = new Promise((resolve, reject) => this.#jobs.set(id, { resolve, reject, onProgress }));
    this.#worker.postMessage({ id, job, args });
    promise.id = id;
    return promise;
  }

  /**
   * Asks the job to stop (it stops at its next step and frees what it holds); a job still busy
   * after `graceMs` (one step at level 19 can take a second) is ended with its worker.
   */
  cancel(id, graceMs = 1500) {
    const job = this.#jobs.get(id);
    if (!job) return;
    this.#worker.postMessage({ cancel: id });
    setTimeout(() => {
      if (!this.#jobs.has(id)) return;
      this.#worker.terminate();
      this.#worker = null;
      const pending = [...this.#jobs.values()];
      this.#jobs.clear();
      for (const j of pending) j.resolve({ cancelled: true, terminated: true });
    }, graceMs);
  }
}

const lanes = { main: new Lane(), bench: new Lane(), dict: new Lane(), seek: new Lane(), tar: new Lane() };

// --- Progress -----------------------------------------------------------------------------------

/** Draws a job's progress: what the codec consumed and produced, speed, elapsed time and ETA. */
function drawProgress(p) {
  const bar = $('progress');
  const done = p.consumed;
  bar.value = p.total ? Math.min(1, done / p.total) : 1;
  const rate = done / Math.max(p.elapsed / 1000, 1e-3);
  const eta = rate > 0 && p.total ? (p.total - done) / rate : NaN;
  const verb = { compress: 'Compressing', verify: 'Verifying', decompress: 'Decompressing' }[p.phase] ?? p.phase;
  const parts = [`${verb}: ${formatBytes(done)} of ${formatBytes(p.total)} consumed`];
  // Threads take input ahead of compressing it: ingested counts what the codec holds.
  if (p.ingested > done) parts.push(`${formatBytes(p.ingested)} ingested`);
  parts.push(`${formatBytes(p.produced)} produced`);
  // Speed counts the uncompressed side: input when compressing, output when decoding.
  parts.push(formatRate(p.phase === 'compress' ? done : p.produced, p.elapsed));
  parts.push(`${formatMs(p.elapsed)} elapsed`);
  if (Number.isFinite(eta) && done < p.total) parts.push(`about ${formatMs(eta * 1000)} left`);
  $('progress-text').textContent = parts.join(' · ');
  bar.setAttribute('aria-valuetext', `${Math.round(bar.value * 100)}%`);
}

// --- Main panel: compress, decompress, inspect ---------------------------------------------------

let input = null; // { file, zst: boolean }
let current = null; // the running job's promise
let benchJob = null;
let downloadUrl = null;
let dictionary = null; // { bytes: Uint8Array, id }

function offerDownload(link, blob, name, label = `Download ${name}`) {
  if (link.dataset.url) URL.revokeObjectURL(link.dataset.url);
  const url = URL.createObjectURL(blob);
  link.dataset.url = url;
  link.href = url;
  link.download = name;
  link.textContent = `${label} (${formatBytes(blob.size)})`;
  link.hidden = false;
}

function clearResults() {
  $('result').replaceChildren();
  setStatus($('status'), '');
  $('download').hidden = true;
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  $('progress-box').hidden = true;
  for (const id of ['chart-levels', 'chart-threads']) $(id).hidden = true;
  setStatus($('bench-status'), '');
}

async function setInput(file) {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  input = { file, zst: looksLikeZstd(head) };
  clearResults();
  // Results of the previous file go: random access starts again too.
  raTarget = null;
  $('ra-form').hidden = true;
  $('ra-preview').hidden = true;
  $('ra-download').hidden = true;
  $('ra-info').textContent = 'No seekable file yet.';
  setStatus($('ra-status'), '');
  $('input-info').textContent =
    `${file.name}: ${formatBytes(file.size)}${input.zst ? ' — a zstd file: decompress it or inspect its frames' : ''}`;
  $('input-info').className = input.zst ? 'zst' : 'muted';
  updateButtons();
  announce(`${file.name} chosen, ${formatBytes(file.size)}${input.zst ? ', a zstd file' : ''}`);
}

function updateButtons() {
  const busy = current !== null;
  $('compress').disabled = busy || !input;
  $('decompress').disabled = busy || !input?.zst;
  $('inspect').disabled = busy || !input?.zst;
  $('cancel').disabled = !busy;
  $('bench').disabled = benchJob !== null || !input || input.file.size === 0;
  $('pick').disabled = busy;
  $('sample').disabled = busy;
  $('ra-make').disabled = raJob !== null || !input;
  $('ra-open').disabled = raJob !== null || !input?.zst;
}

/** A table from rows of cells; the first row is the header. */
function table(caption, rows) {
  const t = document.createElement('table');
  const cap = t.createCaption();
  cap.textContent = caption;
  const [head, ...body] = rows;
  const tr = t.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    tr.append(th);
  }
  const tb = t.createTBody();
  for (const row of body) {
    const r = tb.insertRow();
    row.forEach((cell, i) => {
      const c = i === 0 ? document.createElement('th') : document.createElement('td');
      if (i === 0) c.scope = 'row';
      c.textContent = cell;
      r.append(c);
    });
  }
  const wrap = document.createElement('div');
  wrap.className = 'table-wrap';
  wrap.append(t);
  return wrap;
}

async function runMain(job, args, show) {
  clearResults();
  $('progress-box').hidden = false;
  $('progress').value = 0;
  $('progress-text').textContent = 'Starting…';
  setStatus($('status'), 'Working…');
  current = lanes.main.run(job, args, drawProgress);
  updateButtons();
  try {
    const r = await current;
    if (r.cancelled) {
      $('progress-box').hidden = true;
      if (r.terminated) {
        const text = 'Cancelled: the worker was ended, freeing all of its memory.';
        setStatus($('status'), text, 'warn');
        return announce(text);
      }
      // free() waited for zstd's worker threads to finish the jobs they held: what is left is
      // what the worker still holds.
      const text = `Cancelled; the worker's wasm heap holds ${formatBytes(r.memory)} now.`;
      setStatus($('status'), text, 'warn');
      return announce(text);
    }
    $('progress-box').hidden = true;
    show(r);
  } catch (e) {
    $('progress-box').hidden = true;
    const text = describeError(e);
    setStatus($('status'), text, 'error');
    announce(text);
  } finally {
    current = null;
    updateButtons();
  }
}

/** A message a person can act on, for the errors zstd-kit and the inspector give. */
function describeError(e) {
  if (e.name === 'InspectError') return e.message; // says where, already
  const what = {
    src_size_wrong: 'The file is truncated: it ends in the middle of a frame.',
    corruption_detected: 'The file is corrupt: its compressed data cannot be decoded.',
    checksum_wrong: 'The file is corrupt: a frame’s checksum does not match its content.',
    prefix_unknown: 'This is not zstd data (no zstd frame starts here).',
    dictionary_wrong: 'This file needs a different dictionary than the one given.',
    frame_parameter_window_too_large: 'This file needs a larger window than the decoder allows.',
    frame_parameter_unsupported: 'The file is corrupt, or uses a frame parameter this decoder does not support.',
  }[e.code];
  if (what) return `${what} (${e.code})`;
  return `${e.name}${e.code ? ` (${e.code})` : ''}: ${e.message}`;
}

function compress() {
  const args = { file: input.file, level: Number($('level').value), threads: Number($('threads').value) };
  if ($('use-dict').checked && dictionary) args.dict = dictionary.bytes;
  runMain('compress', args, (r) => {
    const saved = savings(r.original, r.compressed);
    $('result').append(
      table('Compression', [
        ['', 'size', 'ratio', 'time', 'speed'],
        ['original', formatBytes(r.original), '', '', ''],
        [
          `level ${r.level}${r.threads ? `, ${r.threads} threads` : ''}${r.dictId ? `, dictionary ${r.dictId}` : ''}`,
          formatBytes(r.compressed),
          formatRatio(r.original, r.compressed),
          formatMs(r.ms),
          formatRate(r.original, r.ms),
        ],
        ['verify (decode, hash, compare)', formatBytes(r.original), '', formatMs(r.verifyMs), formatRate(r.original, r.verifyMs)],
      ]),
    );
    const text = `${r.verified ? 'Round trip verified.' : 'Mismatch after decompression!'} ${saved.text}`;
    setStatus($('status'), text, r.verified ? saved.kind : 'error');
    announce(
      `Compressed ${input.file.name}: ${formatBytes(r.compressed)}, ratio ${formatRatio(r.original, r.compressed)}, in ${formatMs(r.ms)}. ${text}`,
    );
    offerDownload($('download'), r.blob, r.name);
  });
}

function decompress() {
  const args = { file: input.file };
  if (dictionary) args.dict = dictionary.bytes;
  runMain('decompress', args, (r) => {
    $('result').append(
      table('Decompression', [
        ['', 'size', 'time', 'speed'],
        ['compressed', formatBytes(r.compressed), '', ''],
        ['decompressed', formatBytes(r.original), formatMs(r.ms), formatRate(r.original, r.ms)],
      ]),
    );
    const text = `Decompressed ${input.file.name}: ${formatBytes(r.original)} in ${formatMs(r.ms)}; every checksum present matched.`;
    setStatus($('status'), text, 'ok');
    announce(text);
    offerDownload($('download'), r.blob, r.name);
  });
}

function inspect() {
  runMain('inspect', { file: input.file }, (r) => {
    $('progress-box').hidden = true;
    const s = r.summary;
    const size = (n) => (n < 0 ? 'unknown' : formatBytes(n));
    const facts = [
      ['frames', `${s.frames} zstd${s.skippable ? `, ${s.skippable} skippable` : ''}`],
      ['compressed', formatBytes(r.size)],
      ['decompressed', s.contentSizeKnown ? formatBytes(s.contentSize) : 'unknown (a frame header does not say)'],
      ['checksums', s.checksums === s.frames ? 'every frame' : s.checksums ? `${s.checksums} of ${s.frames} frames` : 'none'],
      ['dictionary', s.dictIds.length ? `id ${s.dictIds.join(', ')}` : 'none'],
      [
        'seek table',
        r.seekTable
          ? `${r.seekTable.entries} entries${r.seekTable.checksums ? ' with checksums' : ''}${r.seekTable.valid ? '' : ' (malformed)'}`
          : 'none',
      ],
    ];
    const dl = document.createElement('dl');
    dl.className = 'facts';
    for (const [k, v] of facts) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dl.append(dt, dd);
    }
    $('result').append(dl);
    const rows = [['#', 'offset', 'compressed', 'decompressed', 'window', 'checksum', 'dict']];
    for (const f of r.frames.slice(0, 200)) {
      rows.push(
        f.kind === 'zstd'
          ? [
              String(f.index),
              String(f.offset),
              formatBytes(f.compressedSize),
              size(f.contentSize),
              formatBytes(f.windowSize),
              f.hasChecksum ? 'yes' : 'no',
              f.dictId ? String(f.dictId) : '—',
            ]
          : [String(f.index), String(f.offset), formatBytes(f.compressedSize), f.kind, '', '', ''],
      );
    }
    const total = s.frames + s.skippable;
    $('result').append(table(total > rows.length - 1 ? `Frames (the first ${rows.length - 1} of ${total})` : 'Frames', rows));
    const text = `${input.file.name}: ${s.frames} frame${s.frames === 1 ? '' : 's'}, ${s.contentSizeKnown ? formatBytes(s.contentSize) : 'size unknown'} decompressed, checksums: ${facts[3][1]}, dictionary: ${facts[4][1]}.`;
    setStatus($('status'), text, 'ok');
    announce(text);
  });
}

// --- Charts -------------------------------------------------------------------------------------

async function runBench() {
  const levels = [-5, -1, 1, 3, 6, 9, 12, 15, 19];
  $('bench-progress').hidden = false;
  setStatus($('bench-status'), 'Running…');
  benchJob = lanes.bench.run('bench', { file: input.file, levels }, (p) => {
    $('bench-bar').value = p.step / p.steps;
    $('bench-text').textContent = `Measuring ${p.phase} (${p.step + 1} of ${p.steps})`;
  });
  updateButtons();
  $('bench-cancel').disabled = false;
  try {
    const r = await benchJob;
    if (r.cancelled) return setStatus($('bench-status'), 'Cancelled.', 'warn');
    const best = r.sweep.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const fastest = r.sweep.reduce((a, b) => (b.mbps > a.mbps ? b : a));
    $('chart-levels').querySelector('.chart').innerHTML = scatter({
      title: `Ratio against speed on ${formatBytes(r.sampleBytes)} of ${input.file.name}`,
      points: r.sweep.map((p) => ({
        x: p.mbps,
        y: p.ratio,
        label: String(p.level),
        title: `level ${p.level}: ratio ${p.ratio.toFixed(2)}, ${p.mbps.toFixed(1)} MB/s`,
      })),
      extra: [
        {
          x: r.gzip.mbps,
          y: r.gzip.ratio,
          label: 'gzip',
          title: `CompressionStream gzip: ratio ${r.gzip.ratio.toFixed(2)}, ${r.gzip.mbps.toFixed(1)} MB/s`,
        },
      ],
      xLabel: 'speed, MB/s (log)',
      yLabel: 'ratio',
    });
    $('chart-levels').hidden = false;
    $('chart-threads').querySelector('.chart').innerHTML = bars({
      title: `Thread scaling on ${formatBytes(r.threadBytes)}`,
      groups: r.scaling.map((s) => ({ label: s.threads === 0 ? '0 (single)' : String(s.threads), values: [s.mbps] })),
      series: ['MB/s'],
      xLabel: r.threadsBuild ? 'zstd worker threads' : 'zstd worker threads (single-threaded build: page not cross-origin isolated)',
      yLabel: 'MB/s',
    });
    $('chart-threads').hidden = false;
    const beat = r.sweep.filter((p) => p.ratio > r.gzip.ratio && p.mbps > r.gzip.mbps).map((p) => p.level);
    const text = `Levels ${r.sweep[0].level} to ${r.sweep.at(-1).level}: ratio ${formatRatio(1, 1 / fastest.ratio)} at ${fastest.mbps.toFixed(0)} MB/s up to ${formatRatio(1, 1 / best.ratio)}. gzip: ratio ${r.gzip.ratio.toFixed(2)} at ${r.gzip.mbps.toFixed(0)} MB/s${beat.length ? `; levels ${beat.join(', ')} are both smaller and faster` : ''}.`;
    setStatus($('bench-status'), text, 'ok');
    announce(`Charts ready. ${text}`);
  } catch (e) {
    setStatus($('bench-status'), describeError(e), 'error');
  } finally {
    benchJob = null;
    $('bench-progress').hidden = true;
    $('bench-cancel').disabled = true;
    updateButtons();
  }
}

// --- Random access ----------------------------------------------------------------------------------

let raTarget = null; // { handle } for a seekable file made here, { file } for a chosen one
let raJob = null;

function raBusy(busy) {
  raJob = busy;
  $('ra-cancel').disabled = !busy;
  $('ra-read').disabled = !!busy;
  $('ra-random').disabled = !!busy;
  updateButtons();
}

async function makeSeekable() {
  const file = input.file;
  $('ra-progress').hidden = false;
  setStatus($('ra-status'), 'Compressing into frames…');
  $('ra-preview').hidden = true;
  const job = lanes.seek.run('seekable', { file, level: Number($('level').value), frameSize: Number($('ra-frame').value) }, (p) => {
    $('ra-bar').value = p.total ? p.consumed / p.total : 1;
    $('ra-text').textContent =
      `${formatBytes(p.consumed)} of ${formatBytes(p.total)} consumed · ${formatBytes(p.produced)} produced · ${formatRate(p.consumed, p.elapsed)} · ${formatMs(p.elapsed)} elapsed`;
  });
  raBusy(job);
  try {
    const r = await job;
    if (r.cancelled) return setStatus($('ra-status'), 'Cancelled.', 'warn');
    raTarget = { handle: r.handle, size: r.original };
    offerDownload($('ra-download'), r.blob, r.name);
    $('ra-info').textContent =
      `${r.name}: ${formatBytes(r.compressed)} (${formatRatio(r.original, r.compressed)}), ${formatBytes(r.frameSize)} frames, made in ${formatMs(r.ms)}.`;
    $('ra-form').hidden = false;
    $('ra-offset').max = String(Math.max(0, r.original - 1));
    setStatus($('ra-status'), 'Ready: pick an offset and read.', 'ok');
    announce(`Seekable file ready, ${formatBytes(r.compressed)}. Pick an offset and read.`);
  } catch (e) {
    setStatus($('ra-status'), describeError(e), 'error');
  } finally {
    $('ra-progress').hidden = true;
    raBusy(null);
  }
}

async function readRange(offset) {
  const length = Number($('ra-length').value);
  setStatus($('ra-status'), 'Reading…');
  const job = lanes.seek.run('range', { ...raTarget, offset, length });
  raBusy(job);
  try {
    const r = await job;
    if (r.cancelled) return setStatus($('ra-status'), 'Cancelled.', 'warn');
    raTarget.size = r.size;
    $('ra-offset').max = String(Math.max(0, r.size - 1));
    const pct = (100 * r.touchedBytes) / r.compressedSize;
    const text = `Read ${formatBytes(r.length)} at offset ${r.offset.toLocaleString('en')} of ${formatBytes(r.size)} in ${formatMs(r.readMs)} (opening: ${formatMs(r.openMs)}). Touched ${r.frames} of ${r.frameCount} frames: ${formatBytes(r.touchedBytes)} of the ${formatBytes(r.compressedSize)} file (${pct < 0.01 ? '< 0.01' : pct.toPrecision(2)}%, seek table included), in ${r.reads} reads.${r.matches === null ? '' : r.matches ? ' The bytes match the original.' : ' The bytes differ from the original!'}`;
    setStatus($('ra-status'), text, r.matches === false ? 'error' : 'ok');
    announce(text);
    // Text shows as text; anything with control bytes (binary) as hex.
    const binary = r.preview.some((b) => b < 9 || (b > 13 && b < 32));
    $('ra-preview').textContent = binary
      ? [...r.preview.slice(0, 64)].map((b) => b.toString(16).padStart(2, '0')).join(' ')
      : new TextDecoder().decode(r.preview);
    $('ra-preview').hidden = false;
  } catch (e) {
    setStatus($('ra-status'), describeError(e), 'error');
    $('ra-preview').hidden = true;
  } finally {
    raBusy(null);
  }
}

// --- Archives -------------------------------------------------------------------------------------

let tarInput = null; // { name, files: [{ name, file }] }: what to archive
let tarArchive = null; // the .tar.zst opened
let tarJob = null;

/** The files of a drop, folders walked (webkitGetAsEntry), each with its path inside the drop. */
async function filesOfDrop(dataTransfer) {
  // Entries must be taken now, while the drop event runs.
  const entries = [...dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length === 0) return [...dataTransfer.files].map((file) => ({ name: file.name, file }));
  const out = [];
  const walk = async (entry, prefix) => {
    if (entry.isFile) {
      out.push({ name: prefix + entry.name, file: await new Promise((resolve, reject) => entry.file(resolve, reject)) });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

function setTarInput(files) {
  const top = new Set(files.map((f) => f.name.split('/')[0]));
  const name = top.size === 1 && files.length > 1 ? [...top][0] : 'archive';
  tarInput = { name, files };
  const bytes = files.reduce((n, f) => n + f.file.size, 0);
  $('tar-info').textContent = files.length
    ? `${files.length} file${files.length === 1 ? '' : 's'}, ${formatBytes(bytes)}`
    : 'No files in that drop.';
  $('tar-download').hidden = true;
  $('tar-list').replaceChildren();
  setStatus($('tar-status'), '');
  tarButtons();
}

function tarButtons() {
  $('tar-build').disabled = tarJob !== null || !tarInput?.files.length;
  $('tar-save').disabled = $('tar-build').disabled;
  $('tar-open').disabled = tarJob !== null;
  $('tar-cancel').disabled = tarJob === null;
  for (const b of $('tar-list').querySelectorAll('button')) b.disabled = tarJob !== null;
}

async function tarRun(job, args, onDone) {
  $('tar-progress').hidden = job !== 'tar';
  setStatus($('tar-status'), 'Working…');
  tarJob = lanes.tar.run(job, args, (p) => {
    $('tar-bar').value = p.total ? p.consumed / p.total : 1;
    $('tar-text').textContent =
      `${p.phase}: ${formatBytes(p.consumed)} of ${formatBytes(p.total)} read · ${formatBytes(p.produced)} written · ${formatRate(p.consumed, p.elapsed)} · ${formatMs(p.elapsed)} elapsed`;
  });
  tarButtons();
  try {
    const r = await tarJob;
    if (r.cancelled) return setStatus($('tar-status'), 'Cancelled.', 'warn');
    onDone(r);
  } catch (e) {
    const text = describeError(e);
    setStatus($('tar-status'), text, 'error');
    announce(text);
  } finally {
    tarJob = null;
    $('tar-progress').hidden = true;
    tarButtons();
  }
}

async function buildTar(toDisk) {
  const name = `${tarInput.name}.tar.zst`;
  let handle;
  if (toDisk) {
    try {
      handle = await window.showSaveFilePicker({ suggestedName: name });
    } catch {
      return; // the person closed the dialog
    }
  }
  const files = tarInput.files;
  tarRun('tar', { files, level: Number($('level').value), threads: Number($('threads').value), handle }, (r) => {
    const grew = r.compressed >= r.original;
    const text = `${r.saved ? 'Saved' : 'Built'} ${name}: ${r.files} files, ${formatBytes(r.original)} into ${formatBytes(r.compressed)} (${formatRatio(r.original, r.compressed)}) in ${formatMs(r.ms)}.${
      grew ? ' Larger than the files: each tar entry costs a 512-byte header, and this data does not compress.' : ''
    }`;
    setStatus($('tar-status'), text, grew ? 'warn' : 'ok');
    announce(text);
    if (r.blob) offerDownload($('tar-download'), r.blob, name);
  });
}

function listTar(file) {
  tarArchive = file;
  $('tar-list').replaceChildren();
  $('tar-download').hidden = true;
  tarRun('list', { file }, (r) => {
    const text = `${file.name}: ${r.count} entr${r.count === 1 ? 'y' : 'ies'}, ${formatBytes(r.bytes)} in all, listed in ${formatMs(r.ms)}.`;
    setStatus($('tar-status'), text, 'ok');
    announce(text);
    const t = table(r.count > 500 ? `Entries (the first 500 of ${r.count})` : 'Entries', [['name', 'size', 'modified', '']]);
    const tbody = t.querySelector('tbody');
    for (const e of r.entries.slice(0, 500)) {
      const row = tbody.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = e.type === 'file' ? e.name : `${e.name} (${e.type})`;
      row.append(th);
      row.insertCell().textContent = e.type === 'file' ? formatBytes(e.size) : '';
      row.insertCell().textContent = e.mtime ? new Date(e.mtime).toISOString().slice(0, 16).replace('T', ' ') : '';
      const cell = row.insertCell();
      if (e.type === 'file') {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'secondary extract';
        b.textContent = 'Extract';
        b.setAttribute('aria-label', `Extract ${e.name}`);
        b.addEventListener('click', () => extractTar(e.name));
        cell.append(b);
      }
    }
    $('tar-list').append(t);
  });
}

function extractTar(name) {
  tarRun('extract', { file: tarArchive, name }, (r) => {
    const text = `Extracted ${name}: ${formatBytes(r.size)} in ${formatMs(r.ms)}.`;
    setStatus($('tar-status'), text, 'ok');
    announce(text);
    offerDownload($('tar-download'), r.blob, name.split('/').pop());
  });
}

// --- Dictionary panel -----------------------------------------------------------------------------

let dictInput = null; // { name, files?: File[], sample?: true, count, bytes }
let dictJob = null;

function setDictInput(d) {
  dictInput = d;
  $('dict-info').textContent = `${d.name}: ${d.count} documents${d.bytes !== undefined ? `, ${formatBytes(d.bytes)}` : ''}`;
  $('dict-train').disabled = d.count < 10;
  setStatus($('dict-status'), d.count < 10 ? 'Give at least 10 documents.' : '', d.count < 10 ? 'warn' : '');
  $('dict-results').hidden = true;
  $('chart-dict').hidden = true;
}

function dictFiles(files) {
  const list = [...files].filter((f) => f.size > 0);
  setDictInput({ name: `${list.length} files`, files: list, count: list.length, bytes: list.reduce((n, f) => n + f.size, 0) });
}

async function train() {
  $('dict-train').disabled = true;
  $('dict-cancel').disabled = false;
  $('dict-progress').hidden = false;
  setStatus($('dict-status'), 'Training…');
  const t0 = performance.now();
  let phase = 'starting';
  const timer = setInterval(() => ($('dict-progress').textContent = `${phase} · ${formatMs(performance.now() - t0)} elapsed`), 250);
  const level = Number($('dict-level').value);
  dictJob = lanes.dict.run(
    'train',
    { files: dictInput.files, sample: dictInput.sample, dictSize: Number($('dict-size').value), level },
    (p) => (phase = p.phase),
  );
  try {
    const r = await dictJob;
    if (r.cancelled) {
      setStatus($('dict-status'), r.terminated ? 'Cancelled: the training worker was ended, freeing its memory.' : 'Cancelled.', 'warn');
      return;
    }
    const tbody = $('dict-results').tBodies[0];
    tbody.replaceChildren();
    for (const b of [...r.buckets, { label: 'all', ...r.total }]) {
      const row = tbody.insertRow();
      const cells = [
        `${b.label} (${b.docs})`,
        formatBytes(b.bytes),
        `${formatBytes(b.plain)}, ${formatRatio(b.bytes, b.plain)}`,
        `${formatBytes(b.dict)}, ${formatRatio(b.bytes, b.dict)}`,
      ];
      cells.forEach((c, i) => {
        const cell = i === 0 ? document.createElement('th') : row.insertCell();
        if (i === 0) {
          cell.scope = 'row';
          row.append(cell);
        }
        cell.textContent = c;
      });
    }
    $('dict-results').hidden = false;
    $('chart-dict').querySelector('.chart').innerHTML = bars({
      title: 'Dictionary gain on held-out documents',
      groups: r.buckets.map((b) => ({ label: b.label, values: [b.bytes / b.plain, b.bytes / b.dict] })),
      series: ['without dictionary', 'with dictionary'],
      xLabel: 'document size',
      yLabel: 'ratio',
    });
    $('chart-dict').hidden = false;
    const gain = savings(r.total.plain, r.total.dict);
    const text = `Trained a ${formatBytes(r.dictSize)} dictionary (id ${r.dictId}) at level ${level} on ${r.training} documents in ${formatMs(r.trainMs)}. On ${r.heldOut} held-out documents it gives ${formatRatio(r.total.bytes, r.total.dict)} instead of ${formatRatio(r.total.bytes, r.total.plain)}: ${gain.text.replace('smaller than the original', 'smaller than without it')}`;
    setStatus($('dict-status'), text, gain.kind);
    announce(text);
    dictionary = { bytes: r.dict, id: r.dictId };
    offerDownload(
      $('dict-download'),
      new Blob([r.dict]),
      `${dictInput.name.replace(/\W+/g, '-')}.dict`,
      'Download the dictionary, usable as zstd -D',
    );
    $('use-dict').disabled = false;
    $('use-dict').checked = true;
    $('use-dict').parentElement.lastChild.textContent = ` use the trained dictionary (id ${r.dictId})`;
  } catch (e) {
    setStatus($('dict-status'), describeError(e), 'error');
  } finally {
    clearInterval(timer);
    dictJob = null;
    $('dict-progress').hidden = true;
    $('dict-cancel').disabled = true;
    $('dict-train').disabled = !dictInput || dictInput.count < 10;
  }
}

// --- Wiring ---------------------------------------------------------------------------------------

/** A drop zone: drops, and Enter or Space opening the file picker. */
function dropZone(zone, picker, onFiles) {
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files.length) onFiles(e.dataTransfer.files, e.dataTransfer);
  });
  zone.addEventListener('keydown', (e) => {
    if (e.target === zone && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      picker.click();
    }
  });
}

async function main() {
  for (let l = -7; l <= 22; l++) $('dict-level').add(new Option(String(l), String(l), false, l === 3));
  $('level').addEventListener('input', () => ($('level-out').value = $('level').value));
  $('pick').addEventListener('click', () => $('file').click());
  $('file').addEventListener('change', () => $('file').files[0] && setInput($('file').files[0]));
  dropZone($('drop'), $('file'), (files) => setInput(files[0]));
  $('sample').addEventListener('click', async () => {
    $('sample').disabled = true;
    try {
      setInput((await lanes.main.run('sample', {})).file);
    } finally {
      $('sample').disabled = false;
    }
  });
  $('compress').addEventListener('click', compress);
  $('decompress').addEventListener('click', decompress);
  $('inspect').addEventListener('click', inspect);
  $('cancel').addEventListener('click', () => {
    if (!current) return;
    setStatus($('status'), 'Cancelling…');
    lanes.main.cancel(current.id);
  });
  $('bench').addEventListener('click', runBench);
  $('bench-cancel').addEventListener('click', () => benchJob && lanes.bench.cancel(benchJob.id));
  $('dict-pick').addEventListener('click', () => $('dict-files').click());
  $('dict-files').addEventListener('change', () => dictFiles($('dict-files').files));
  dropZone($('dict-drop'), $('dict-files'), dictFiles);
  $('dict-sample').addEventListener('click', () => setDictInput({ name: 'sample JSON', sample: true, count: 3000 }));
  $('dict-train').addEventListener('click', train);
  $('ra-sample').addEventListener('click', async () => {
    $('ra-sample').disabled = true;
    try {
      await setInput((await lanes.seek.run('sample', { lines: 800000, name: 'large-sample.jsonl' })).file);
    } finally {
      $('ra-sample').disabled = false;
    }
  });
  $('ra-make').addEventListener('click', makeSeekable);
  $('ra-open').addEventListener('click', () => {
    raTarget = { file: input.file };
    $('ra-info').textContent = `${input.file.name}: reading its seek table…`;
    $('ra-form').hidden = false;
    $('ra-download').hidden = true;
    readRange(0);
  });
  $('ra-form').addEventListener('submit', (e) => {
    e.preventDefault();
    readRange(Math.max(0, Math.floor(Number($('ra-offset').value) || 0)));
  });
  $('ra-random').addEventListener('click', () => {
    const offset = Math.floor(Math.random() * Math.max(1, (raTarget.size ?? 1) - Number($('ra-length').value)));
    $('ra-offset').value = String(offset);
    readRange(offset);
  });
  $('ra-cancel').addEventListener('click', () => raJob && lanes.seek.cancel(raJob.id));
  $('tar-pick').addEventListener('click', () => $('tar-files').click());
  $('tar-pick-dir').addEventListener('click', () => $('tar-dir').click());
  $('tar-files').addEventListener('change', () => setTarInput([...$('tar-files').files].map((file) => ({ name: file.name, file }))));
  $('tar-dir').addEventListener('change', () =>
    setTarInput([...$('tar-dir').files].map((file) => ({ name: file.webkitRelativePath || file.name, file }))),
  );
  dropZone($('tar-drop'), $('tar-files'), async (_files, dataTransfer) => setTarInput(await filesOfDrop(dataTransfer)));
  $('tar-build').addEventListener('click', () => buildTar(false));
  // Saving as it streams needs the File System Access API (Chromium); elsewhere the Blob download serves.
  $('tar-save').hidden = typeof window.showSaveFilePicker !== 'function';
  $('tar-save').addEventListener('click', () => buildTar(true));
  $('tar-open').addEventListener('click', () => $('tar-archive').click());
  $('tar-archive').addEventListener('change', () => $('tar-archive').files[0] && listTar($('tar-archive').files[0]));
  $('tar-cancel').addEventListener('click', () => tarJob && lanes.tar.cancel(tarJob.id));
  // Training is one synchronous call: cancelling ends the worker at once.
  $('dict-cancel').addEventListener('click', () => dictJob && lanes.dict.cancel(dictJob.id, 0));

  features = await lanes.main.ready();
  $('build').textContent = `libzstd ${features.zstdVersion} in a Web Worker, ${
    features.threads
      ? `multi-threaded build (up to ${features.maxThreads} threads)`
      : 'single-threaded build (the page is not cross-origin isolated)'
  }`;
  document.body.dataset.threads = String(features.threads);
  for (let t = 0; t <= features.maxThreads; t++) $('threads').add(new Option(t === 0 ? '0 (single)' : String(t), String(t)));
  // Threads pay off on large inputs: start with all of them when the build has them.
  $('threads').value = String(features.threads ? features.maxThreads : 0);
  $('threads').disabled = !features.threads;
  updateButtons();
  document.body.dataset.ready = 'true';
}

main().catch((e) => setStatus($('status'), `Could not load zstd-kit: ${e.message}`, 'error'));
