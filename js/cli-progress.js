// The command line's progress bar: one line on stderr, redrawn at most every 100 ms, with the
// bytes done, the speed and (when the total is known) a bar and the time left. Only when stderr
// is a terminal: piped or redirected, the CLI prints nothing but errors.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `n` bytes for people: 1023 B, 1.50 MiB. */
export function formatBytes(n) {
  let unit = 0;
  let value = n;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}

const formatTime = (seconds) => {
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

const BAR = 24;
const INTERVAL_MS = 100;

/**
 * A progress line for `label` over `total` bytes (-1: unknown). update(done) as work goes on;
 * done() clears the line. Does nothing when `stream` is not a terminal or `enabled` is false.
 */
export class Progress {
  #stream;
  #label;
  #total;
  #start = performance.now();
  #last = 0;
  #shown = false;

  constructor(label, total, { stream = process.stderr, enabled = true } = {}) {
    this.#stream = enabled && stream.isTTY ? stream : null;
    this.#label = label;
    this.#total = total;
  }

  /** `done` bytes of the total are processed. */
  update(done) {
    if (this.#stream === null) return;
    const now = performance.now();
    if (this.#shown && now - this.#last < INTERVAL_MS) return;
    this.#last = now;
    this.#shown = true;
    const seconds = Math.max((now - this.#start) / 1000, 1e-3);
    const speed = done / seconds;
    let line = `${this.#label}: ${formatBytes(done)}`;
    if (this.#total > 0) {
      const part = Math.min(1, done / this.#total);
      const filled = Math.round(part * BAR);
      line = `${this.#label} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(part * 100).toFixed(0).padStart(3)}% ${formatBytes(done)} / ${formatBytes(this.#total)}`;
      line += `, ${formatBytes(speed)}/s, ETA ${speed > 0 ? formatTime((this.#total - done) / speed) : '?'}`;
    } else {
      line += `, ${formatBytes(speed)}/s`;
    }
    const width = this.#stream.columns || 80;
    if (line.length > width - 1) line = line.slice(0, width - 1);
    this.#stream.write(`\r${line}\x1b[K`);
  }

  /** Clears the line (the CLI prints its summary, or its error, on a clean line). */
  done() {
    if (this.#stream !== null && this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }
}
