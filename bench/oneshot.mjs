// One-shot compress/decompress, level 1/3/9/19 on the large corpus (19: its first 16 MiB):
// native C (-O3), the same C harness in wasm (the ceiling), and zstd-kit's plain and
// zero-copy paths, in interleaved rounds. Returns markdown rows and the level-3 ratios.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fmt, mbps, median, timeCalls } from './stats.mjs';

const LEVELS = [
  { level: 1, maxBytes: Infinity, iterations: 5 },
  { level: 3, maxBytes: Infinity, iterations: 5 },
  { level: 9, maxBytes: Infinity, iterations: 2 },
  { level: 19, maxBytes: 16 << 20, iterations: 1 },
];

function harness(cmd, args) {
  return JSON.parse(execFileSync(cmd[0], [...cmd.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

export async function benchOneShot({ zstd, corpusPath, nativeHarness, wasmHarness, rounds }) {
  const full = readFileSync(corpusPath);
  const rows = [];
  const ratios = {};
  for (const { level, maxBytes, iterations } of LEVELS) {
    const data = new Uint8Array(full.subarray(0, Math.min(full.length, maxBytes)));
    const n = data.length;
    const args = ['oneshot', corpusPath, String(level), String(n), String(iterations)];
    const c = new zstd.ZstdCompressor({ level });
    const d = new zstd.ZstdDecompressor();
    const frame = c.compress(data);
    const input = zstd.allocBuffer(n);
    input.view().set(data);
    const frameBuf = c.compressToBuffer(input);
    const t = { native: [[], []], wasm: [[], []], plain: [[], []], zeroCopy: [[], []] };
    const free = (r) => r?.free?.();
    for (let round = 0; round < rounds; round++) {
      for (const [name, cmd] of [
        ['native', nativeHarness],
        ['wasm', wasmHarness],
      ]) {
        const r = harness(cmd, args);
        t[name][0].push(...r.compressMs);
        t[name][1].push(...r.decompressMs);
      }
      t.plain[0].push(...timeCalls(() => c.compress(data), iterations));
      t.plain[1].push(...timeCalls(() => d.decompress(frame), iterations));
      t.zeroCopy[0].push(...timeCalls(() => c.compressToBuffer(input), iterations, free));
      t.zeroCopy[1].push(...timeCalls(() => d.decompressToBuffer(frameBuf), iterations, free));
    }
    const speed = Object.fromEntries(Object.entries(t).map(([k, [cms, dms]]) => [k, [mbps(n, median(cms)), mbps(n, median(dms))]]));
    const ratio = n / frame.length;
    const w = speed.wasm;
    rows.push(
      `| ${level} | ${fmt(n / 2 ** 20)} | ${fmt(ratio, 2)} | ${fmt(speed.native[0])} / ${fmt(speed.native[1])} | ` +
        `${fmt(w[0])} / ${fmt(w[1])} | ${fmt(speed.plain[0])} / ${fmt(speed.plain[1])} | ` +
        `${fmt(speed.zeroCopy[0])} / ${fmt(speed.zeroCopy[1])} | ` +
        `${fmt(speed.plain[0] / w[0], 2)} / ${fmt(speed.plain[1] / w[1], 2)} | ` +
        `${fmt(speed.zeroCopy[0] / w[0], 2)} / ${fmt(speed.zeroCopy[1] / w[1], 2)} | ` +
        `${fmt(speed.zeroCopy[0] / speed.native[0], 2)} / ${fmt(speed.zeroCopy[1] / speed.native[1], 2)} |`,
    );
    ratios[level] = {
      plain: [speed.plain[0] / w[0], speed.plain[1] / w[1]],
      zeroCopy: [speed.zeroCopy[0] / w[0], speed.zeroCopy[1] / w[1]],
    };
    c.free();
    d.free();
    input.free();
    frameBuf.free();
    console.error(`oneshot level ${level}: done`);
  }
  const header = [
    '| level | MiB | ratio | native C MB/s (c / d) | raw wasm MB/s (c / d) | zstd-kit plain MB/s | zstd-kit zero-copy MB/s | plain / wasm | zero-copy / wasm | zero-copy / native |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  return { table: [...header, ...rows].join('\n'), ratios };
}
