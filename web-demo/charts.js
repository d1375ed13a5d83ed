// Inline SVG charts, no framework: a scatter with labelled, connected points and grouped bars.
// Each returns an <svg> string scaled by its viewBox (so it fits any width) with a <title> and
// <desc> for screen readers.
const W = 640;
const H = 320;
const PAD = { left: 56, right: 16, top: 16, bottom: 46 };

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** Round numbers for axis ticks between lo and hi (about `n` of them). */
function ticks(lo, hi, n = 5) {
  const step0 = (hi - lo) / n || 1;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toPrecision(6)));
  return out;
}

const num = (v) => (Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

let charts = 0;

function frame(title, desc, body, xLabel, yLabel) {
  const id = `chart${++charts}`;
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}t ${id}d" xmlns="http://www.w3.org/2000/svg" class="svg-chart">
<title id="${id}t">${esc(title)}</title><desc id="${id}d">${esc(desc)}</desc>${body}
<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 8}" text-anchor="middle" class="axis-label">${esc(xLabel)}</text>
<text x="14" y="${(PAD.top + H - PAD.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(PAD.top + H - PAD.bottom) / 2})" class="axis-label">${esc(yLabel)}</text></svg>`;
}

/**
 * Scatter: points { x, y, label } joined in order; `extra` points drawn as squares.
 * x on a log scale (speeds span orders of magnitude).
 */
export function scatter({ title, points, extra = [], xLabel, yLabel }) {
  const all = [...points, ...extra];
  const xs = all.map((p) => Math.log10(Math.max(p.x, 1e-3)));
  let [x0, x1] = [Math.floor(Math.min(...xs)), Math.ceil(Math.max(...xs))];
  if (x1 === x0) x1 = x0 + 1;
  const y1 = Math.max(...all.map((p) => p.y)) * 1.1;
  const y0 = 0;
  const sx = (x) => PAD.left + ((Math.log10(Math.max(x, 1e-3)) - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  let body = '';
  for (const t of ticks(y0, y1)) {
    body += `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${sy(t)}" y2="${sy(t)}" class="grid"/><text x="${PAD.left - 6}" y="${sy(t) + 4}" text-anchor="end" class="tick">${num(t)}</text>`;
  }
  for (let e = x0; e <= x1; e++) {
    const x = PAD.left + ((e - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
    body += `<line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${H - PAD.bottom}" class="grid"/><text x="${x}" y="${H - PAD.bottom + 16}" text-anchor="middle" class="tick">${num(10 ** e)}</text>`;
  }
  body += `<polyline class="series" fill="none" points="${points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')}"/>`;
  for (const p of points) {
    body += `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" class="dot"><title>${esc(p.title ?? p.label)}</title></circle><text x="${sx(p.x) + 6}" y="${sy(p.y) - 6}" class="point-label">${esc(p.label)}</text>`;
  }
  for (const p of extra) {
    body += `<rect x="${sx(p.x) - 5}" y="${sy(p.y) - 5}" width="10" height="10" class="dot-alt"><title>${esc(p.title ?? p.label)}</title></rect><text x="${sx(p.x) + 8}" y="${sy(p.y) + 14}" class="point-label alt">${esc(p.label)}</text>`;
  }
  const desc = all.map((p) => p.title ?? p.label).join('; ');
  return frame(title, desc, body, xLabel, yLabel);
}

/** Grouped bars: groups [{ label, values: [number...] }], one colour per series name. */
export function bars({ title, groups, series, yLabel, xLabel, format = num }) {
  const y1 = Math.max(...groups.flatMap((g) => g.values)) * 1.15 || 1;
  const sy = (y) => H - PAD.bottom - (y / y1) * (H - PAD.top - PAD.bottom);
  const gw = (W - PAD.left - PAD.right) / groups.length;
  const bw = Math.min(60, (gw * 0.8) / series.length);
  let body = '';
  for (const t of ticks(0, y1)) {
    body += `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${sy(t)}" y2="${sy(t)}" class="grid"/><text x="${PAD.left - 6}" y="${sy(t) + 4}" text-anchor="end" class="tick">${num(t)}</text>`;
  }
  groups.forEach((g, i) => {
    const gx = PAD.left + i * gw + (gw - bw * series.length) / 2;
    g.values.forEach((v, k) => {
      const x = gx + k * bw;
      body += `<rect x="${x + 2}" y="${sy(v)}" width="${bw - 4}" height="${H - PAD.bottom - sy(v)}" class="bar s${k}"><title>${esc(`${g.label}, ${series[k]}: ${format(v)}`)}</title></rect><text x="${x + bw / 2}" y="${sy(v) - 4}" text-anchor="middle" class="point-label">${esc(format(v))}</text>`;
    });
    body += `<text x="${PAD.left + i * gw + gw / 2}" y="${H - PAD.bottom + 16}" text-anchor="middle" class="tick">${esc(g.label)}</text>`;
  });
  if (series.length > 1) {
    series.forEach((s, k) => {
      body += `<rect x="${PAD.left + 8 + k * 150}" y="${PAD.top}" width="12" height="12" class="bar s${k}"/><text x="${PAD.left + 24 + k * 150}" y="${PAD.top + 11}" class="point-label">${esc(s)}</text>`;
    });
  }
  const desc = groups.map((g) => `${g.label}: ${g.values.map((v, k) => `${series[k]} ${format(v)}`).join(', ')}`).join('; ');
  return frame(title, desc, body, xLabel, yLabel);
}
