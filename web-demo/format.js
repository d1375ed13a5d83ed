// Numbers as people read them: KiB/MiB, ms/s, ratios and savings that never flatter.

/** Bytes in B, KiB, MiB or GiB with 2 significant decimals at most (1.23 MiB, 12.3 MiB, 123 MiB). */
export function formatBytes(n) {
  if (!Number.isFinite(n)) return '—';
  if (Math.abs(n) < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let u = -1;
  let v = n;
  do {
    v /= 1024;
    u++;
  } while (Math.abs(v) >= 1024 && u < units.length - 1);
  return `${trim(v)} ${units[u]}`;
}

// 2 decimals below 10, 1 below 100, none above: about three significant digits.
function trim(v) {
  const a = Math.abs(v);
  return a < 10 ? v.toFixed(2) : a < 100 ? v.toFixed(1) : v.toFixed(0);
}

/** A duration: 0.42 ms, 12.3 ms, 456 ms, 1.23 s, 2 min 5 s. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${trim(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${trim(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Throughput in MB/s (10^6 bytes per second, as zstd reports it). */
export function formatRate(bytes, ms) {
  if (!(ms > 0) || !(bytes > 0)) return '—';
  return `${trim(bytes / 1e6 / (ms / 1000))} MB/s`;
}

/** original / compressed as "3.21×"; "—" when there is nothing to compare. */
export function formatRatio(original, compressed) {
  if (!(original > 0) || !(compressed > 0)) return '—';
  return `${trim(original / compressed)}×`;
}

/** What compression saved, as text and a kind ('ok' when it saved, 'warn' when it grew). */
export function savings(original, compressed) {
  if (original === 0) return { text: 'The input is empty: the .zst holds just a frame header.', kind: 'warn' };
  const pct = (1 - compressed / original) * 100;
  if (pct > 0) return { text: `${trim(pct)}% smaller than the original.`, kind: 'ok' };
  return { text: `${trim(-pct)}% larger than the original: this data does not compress (already compressed or random).`, kind: 'warn' };
}
