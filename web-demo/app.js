// The demo page: one-shot compress and decompress of a file with zstd-kit, timed.
import * as zstd from '/zstd-kit/index.js';

const $ = (id) => document.getElementById(id);
let input = null;  // { name, bytes }
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

function setInput(name, bytes) {
  input = { name, bytes };
  $('input-info').textContent = `${name}: ${formatBytes(bytes.length)}`;
  $('compress').disabled = false;
  status('');
}

async function readFile(file) {
  setInput(file.name, new Uint8Array(await file.arrayBuffer()));
}

// Sample data: JSON-ish log lines, made here so the demo works without a file.
function sampleData() {
  const levels = ['info', 'warn', 'debug', 'error'];
  const lines = [];
  for (let i = 0; i < 60000; i++) {
    lines.push(JSON.stringify({ t: 1700000000 + i * 7, level: levels[i % 4], user: `u${(i * 7919) % 1000}`, msg: `request ${i % 97} served`, ms: (i * 31) % 250 }));
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

    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([frame], { type: 'application/zstd' }));
    const a = $('download');
    a.href = downloadUrl;
    a.download = `${input.name}.zst`;
    a.textContent = `Download ${input.name}.zst (${formatBytes(frame.length)})`;
    a.hidden = false;
  } catch (e) {
    status(`${e.name}: ${e.message}`, 'error');
  } finally {
    c.free();
    d.free();
  }
}

async function main() {
  await zstd.init();
  const f = zstd.features;
  $('build').textContent = `libzstd ${f.zstdVersion}, ${f.threads ? `multi-threaded build (up to ${f.maxThreads} threads)` : 'single-threaded build (page not cross-origin isolated)'}`;
  document.body.dataset.threads = String(f.threads);
  for (let t = 0; t <= f.maxThreads; t++) {
    $('threads').add(new Option(t === 0 ? '0 (single)' : String(t), String(t)));
  }
  $('threads').disabled = !f.threads;
  $('level').addEventListener('input', () => { $('level-out').value = $('level').value; });
  $('file').addEventListener('change', () => $('file').files[0] && readFile($('file').files[0]));
  $('sample').addEventListener('click', () => setInput('sample.jsonl', sampleData()));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
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
  document.body.dataset.ready = 'true';
}

main().catch((e) => status(`Could not load zstd-kit: ${e.message}`, 'error'));
