// Timing helpers: medians over interleaved rounds (shared 2-core machines swing by 2x).
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** MB/s (10^6 bytes) for `bytes` processed in `ms` milliseconds. */
export function mbps(bytes, ms) {
  return bytes / 1e6 / (ms / 1000);
}

/** Times fn() `iterations` times after two untimed warm-up calls; returns per-call ms. */
export function timeCalls(fn, iterations, after = () => {}) {
  after(fn());
  after(fn());
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const r = fn();
    times.push(performance.now() - t0);
    after(r);
  }
  return times;
}

export function fmt(n, digits = 1) {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** timeCalls for async functions: two untimed warm-up calls, then per-call ms. */
export async function timeCallsAsync(fn, iterations, after = () => {}) {
  after(await fn());
  after(await fn());
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const r = await fn();
    times.push(performance.now() - t0);
    after(r);
  }
  return times;
}
