// The demo page: one-shot compress and decompress of a file with zstd-kit, timed; and streaming
// compression of files of any size (file.stream() -> ZstdCompressionStream -> .zst) with a
// progress bar, verified by streaming it back through ZstdDecompressionStream.
import * as zstd from '/zstd-kit/index.js';

const $ = (id) => document.getElementById(id);
let input = null; // { name, bytes?, file? }: bytes for one-shot, file for streaming
let downloadUrl = null;

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let u = -1;
  do {
    n /= 1024;
    u++;
  } while (n >= 1024 && u < units.length - 1);
  return `${n.toFixed(n < 10 ? 2 : 1)} ${units[u]}`;
}

function setRow(id, size, ratio, ms, bytes) {
  const cells = $(id).querySelectorAll('td');
  cells[0].textContent = formatBytes(size);
  cells[1].textContent = ratio;
  cells[2].textContent = `${ms.toFixed(1)} ms`;
  cells[3].textContent = (bytes / 1e6 / (ms / 1000)).toFixed(1);
}

function status(text, kind = '') {
  $('status').textContent = text;
  $('status').className = kind;
}

// One-shot compression holds the whole input in memory; above this, only streaming is offered.
const ONE_SHOT_LIMIT = 256 << 20;

function setInput(name, bytes, file = null) {
  input = { name, bytes, file: file ?? new Blob([bytes]) };
  const size = file ? file.size : bytes.length;
  $('input-info').textContent = `${name}: ${formatBytes(size)}${bytes ? '' : ' (streaming only: too large to hold at once)'}`;
  $('compress').disabled = bytes === null;
  $('stream').disabled = false;
  status('');
}

async function readFile(file) {
  setInput(file.name, file.size <= ONE_SHOT_LIMIT ? new Uint8Array(await file.arrayBuffer()) : null, file);
}

// Sample data: JSON-ish log lines, made here so the demo works without a file.
function sampleData() {
  const levels = ['info', 'warn', 'debug', 'error'];
  const lines = [];
  for (let i = 0; i < 60000; i++) {
    lines.push(
      JSON.stringify({
        t: 1700000000 + i * 7,
        level: levels[i % 4],
        user: `u${(i * 7919) % 1000}`,
        msg: `request ${i % 97} served`,
        ms: (i * 31) % 250,
      }),
    );
  }
  return new TextEncoder().encode(lines.join('\n'));
}

function run() {
  const level = Number($('level').value);
  const threads = Number($('threads').value);
  const c = new zstd.ZstdCompressor({ level, threads, writeChecksum: true });
  const d = new zstd.ZstdDecompressor();
  try {
    let t0 = performance.now();
    const frame = c.compress(input.bytes);
    const cms = performance.now() - t0;
    setRow('row-compress', frame.length, `${(input.bytes.length / frame.length).toFixed(2)}×`, cms, input.bytes.length);

    t0 = performance.now();
    const back = d.decompress(frame);
    const dms = performance.now() - t0;
    setRow('row-decompress', back.length, '', dms, back.length);

    const same = back.length === input.bytes.length && back.every((b, i) => b === input.bytes[i]);
    status(same ? 'Round trip verified: decompressed output matches the input.' : 'Mismatch after decompression!', same ? 'ok' : 'error');

    offerDownload(new Blob([frame], { type: 'application/zstd' }), `${input.name}.zst`);
  } catch (e) {
    status(`${e.name}: ${e.message}`, 'error');
  } finally {
    c.free();
    d.free();
  }
}

// A pass-through TransformStream that counts bytes and keeps a running FNV-1a hash of them.
function meter(onBytes) {
  const state = { bytes: 0, hash: 0x811c9dc5 };
  const stream = new TransformStream({
    transform(chunk, controller) {
      let h = state.hash;
      for (let i = 0; i < chunk.length; i++) h = Math.imul(h ^ chunk[i], 16777619);
      state.hash = h >>> 0;
      state.bytes += chunk.length;
      onBytes?.(state.bytes);
      controller.enqueue(chunk);
    },
  });
  return { stream, state };
}

async function streamCompress() {
  const file = input.file;
  const level = Number($('level').value);
  const threads = Number($('threads').value);
  $('streaming').hidden = false;
  const progress = $('progress');
  const t0 = performance.now();
  const show = (done) => {
    progress.value = file.size ? done / file.size : 1;
    const s = (performance.now() - t0) / 1000;
    $('progress-text').textContent =
      `${formatBytes(done)} of ${formatBytes(file.size)}, ${(done / 1e6 / Math.max(s, 1e-3)).toFixed(1)} MB/s`;
  };
  // Compress: the file is read in chunks; only compressed output is kept (as Blob parts).
  const original = meter(show);
  const parts = [];
  const compressed = file
    .stream()
    .pipeThrough(original.stream)
    .pipeThrough(new zstd.ZstdCompressionStream({ level, threads, writeChecksum: true }));
  for await (const chunk of compressed) parts.push(chunk);
  const cms = performance.now() - t0;
  const zst = new Blob(parts, { type: 'application/zstd' });
  setRow('row-compress', zst.size, `${(file.size / Math.max(zst.size, 1)).toFixed(2)}×`, cms, file.size);

  // Verify by streaming the .zst back, comparing size and hash with the original.
  const t1 = performance.now();
  const restored = meter();
  const sink = new WritableStream();
  await zst.stream().pipeThrough(new zstd.ZstdDecompressionStream()).pipeThrough(restored.stream).pipeTo(sink);
  setRow('row-decompress', restored.state.bytes, '', performance.now() - t1, restored.state.bytes);
  const same = restored.state.bytes === original.state.bytes && restored.state.hash === original.state.hash;
  status(
    same ? 'Streamed round trip verified: same size and hash as the input.' : 'Mismatch after streaming decompression!',
    same ? 'ok' : 'error',
  );
  offerDownload(zst, `${input.name}.zst`);
}

function offerDownload(blob, name) {
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  downloadUrl = URL.createObjectURL(blob);
  const a = $('download');
  a.href = downloadUrl;
  a.download = name;
  a.textContent = `Download ${name} (${formatBytes(blob.size)})`;
  a.hidden = false;
}

// The dictionary panel: train on four in five documents, compare on the fifth.
let dictDocs = null; // { name, docs: Uint8Array[] }
let dictUrl = null;

function setDictDocs(name, docs) {
  dictDocs = { name, docs };
  const bytes = docs.reduce((n, d) => n + d.length, 0);
  $('dict-info').textContent = `${name}: ${docs.length} documents, ${formatBytes(bytes)}`;
  $('dict-train').disabled = docs.length < 10;
  $('dict-status').textContent = docs.length < 10 ? 'Give at least 10 documents.' : '';
}

// Sample documents: JSON records of a made-up service, varied but alike, as real ones are.
function sampleDocs() {
  const plans = ['free', 'team', 'business', 'enterprise'];
  const cities = ['Lisbon', 'Osaka', 'Quito', 'Tallinn', 'Accra', 'Perth', 'Lyon'];
  const docs = [];
  for (let i = 0; i < 3000; i++) {
    const doc = {
      id: `cus_${((i * 2654435761) >>> 0).toString(36)}`,
      created: new Date(1700000000000 + (i * 86400000) / 7).toISOString(),
      plan: plans[(i * 7) % 4],
      address: { city: cities[i % 7], postcode: String(10000 + ((i * 7919) % 89999)) },
      seats: 1 + ((i * 31) % 200),
      active: i % 9 !== 0,
      invoices: Array.from({ length: 1 + (i % 4) }, (_, k) => ({
        number: `INV-${i}-${k}`,
        amount: ((i * 13 + k * 101) % 10000) / 100,
        currency: 'EUR',
        paid: (i + k) % 5 !== 0,
      })),
    };
    docs.push(new TextEncoder().encode(JSON.stringify(doc)));
  }
  return docs;
}

function trainAndCompare() {
  const docs = dictDocs.docs;
  const training = docs.filter((_, i) => i % 5 !== 4);
  const heldOut = docs.filter((_, i) => i % 5 === 4);
  const level = Number($('level').value);
  const t0 = performance.now();
  const dict = zstd.trainDictionary(Number($('dict-size').value), training, { level });
  const trainMs = performance.now() - t0;
  const plain = new zstd.ZstdCompressor({ level });
  const withDict = new zstd.ZstdCompressor({ level, dictData: dict.precompute({ level }) });
  const d = new zstd.ZstdDecompressor({ dictData: dict });
  try {
    const bytes = heldOut.reduce((n, doc) => n + doc.length, 0);
    let a = 0;
    let b = 0;
    for (const doc of heldOut) {
      a += plain.compress(doc).length;
      const frame = withDict.compress(doc);
      b += frame.length;
      const back = d.decompress(frame);
      if (back.length !== doc.length || back.some((x, i) => x !== doc[i])) throw new Error('a document did not round-trip');
    }
    const fill = (id, compressed) => {
      const cells = $(id).querySelectorAll('td');
      cells[0].textContent = formatBytes(bytes);
      cells[1].textContent = formatBytes(compressed);
      cells[2].textContent = `${(bytes / compressed).toFixed(2)}×`;
    };
    fill('dict-without', a);
    fill('dict-with', b);
    $('dict-results').hidden = false;
    $('dict-status').textContent =
      `Trained a ${formatBytes(dict.length)} dictionary (id ${dict.dictId()}) on ${training.length} documents in ${trainMs.toFixed(0)} ms; with it, ${heldOut.length} held-out documents take ${((1 - b / a) * 100).toFixed(1)}% fewer bytes.`;
    $('dict-status').className = 'ok';
    if (dictUrl) URL.revokeObjectURL(dictUrl);
    dictUrl = URL.createObjectURL(new Blob([dict.asBytes()]));
    const link = $('dict-download');
    link.href = dictUrl;
    link.download = `${dictDocs.name}.dict`;
    link.textContent = `Download the dictionary (${formatBytes(dict.length)}, usable as zstd -D)`;
    link.hidden = false;
  } finally {
    for (const o of [plain, withDict, d, dict]) o.free();
  }
}

async function main() {
  await zstd.init();
  const f = zstd.features;
  $('build').textContent =
    `libzstd ${f.zstdVersion}, ${f.threads ? `multi-threaded build (up to ${f.maxThreads} threads)` : 'single-threaded build (page not cross-origin isolated)'}`;
  document.body.dataset.threads = String(f.threads);
  for (let t = 0; t <= f.maxThreads; t++) {
    $('threads').add(new Option(t === 0 ? '0 (single)' : String(t), String(t)));
  }
  $('threads').disabled = !f.threads;
  $('level').addEventListener('input', () => {
    $('level-out').value = $('level').value;
  });
  $('file').addEventListener('change', () => $('file').files[0] && readFile($('file').files[0]));
  $('sample').addEventListener('click', () => setInput('sample.jsonl', sampleData()));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) readFile(e.dataTransfer.files[0]);
  });
  $('compress').addEventListener('click', () => {
    status('Working…');
    $('compress').disabled = true;
    // Let the status paint before the synchronous work.
    setTimeout(() => {
      run();
      $('compress').disabled = false;
    }, 20);
  });
  $('dict-sample').addEventListener('click', () => setDictDocs('sample JSON', sampleDocs()));
  $('dict-files').addEventListener('change', async () => {
    const files = [...$('dict-files').files];
    setDictDocs(`${files.length} files`, await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer()))));
  });
  $('dict-train').addEventListener('click', () => {
    $('dict-status').textContent = 'Training…';
    $('dict-status').className = '';
    $('dict-train').disabled = true;
    setTimeout(() => {
      try {
        trainAndCompare();
      } catch (e) {
        $('dict-status').textContent = `${e.name}: ${e.message}`;
        $('dict-status').className = 'error';
      } finally {
        $('dict-train').disabled = false;
      }
    }, 20);
  });
  $('stream').addEventListener('click', async () => {
    status('Streaming…');
    $('stream').disabled = true;
    $('compress').disabled = true;
    try {
      await streamCompress();
    } catch (e) {
      status(`${e.name}: ${e.message}`, 'error');
    } finally {
      $('stream').disabled = false;
      $('compress').disabled = input.bytes === null;
    }
  });
  document.body.dataset.ready = 'true';
}

main().catch((e) => status(`Could not load zstd-kit: ${e.message}`, 'error'));
