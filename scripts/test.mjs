// npm test: builds what is missing, then runs every suite and prints one closing line
// "N passed, N failed" over all of them:
//   native  GoogleTest (ctest) of the C++ core under AddressSanitizer + UBSan, and under TSan
//   format  clang-format --dry-run --Werror over the C and C++ sources
//   types   tsc --noEmit over tests/types/usage.ts against the .d.ts
//   js      Jest: the JS API in Node (tests/js) and the demo in Chromium (tests/browser)
//   ecosystem  tests/ecosystem/run.mjs: the packed package through every bundler, runtime and
//           TypeScript setup (one count per scenario)
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, root, run } from './lib.mjs';

ensureBuilt();
const jobs = String(availableParallelism());
let passed = 0;
let failed = 0;

// Native core tests, under ASan + UBSan and under TSan.
for (const [dir, sanitizer] of [['build/native', 'address'], ['build/native-tsan', 'thread']]) {
  run('cmake', ['-S', '.', '-B', dir, `-DZSTDKIT_SANITIZE=${sanitizer}`, '-DCMAKE_BUILD_TYPE=RelWithDebInfo'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  run('cmake', ['--build', dir, '-j', jobs, '--target', 'core_tests'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const ctest = spawnSync('ctest', ['--test-dir', dir, '--output-on-failure', '-j', jobs, '--output-junit', 'ctest.xml'], {
    cwd: root,
    stdio: 'inherit',
  });
  const junit = readFileSync(join(root, dir, 'ctest.xml'), 'utf8');
  const total = Number(junit.match(/tests="(\d+)"/)?.[1] ?? 0);
  const bad = Number(junit.match(/failures="(\d+)"/)?.[1] ?? 0) + Number(junit.match(/errors="(\d+)"/)?.[1] ?? 0);
  if (ctest.status !== 0 && bad === 0) failed++;  // ctest itself failed
  passed += total - bad;
  failed += bad;
}

// C/C++ formatting (.clang-format).
const sources = ['src/core', 'src/wasm', 'tests/native', 'bench']
  .flatMap((dir) => readdirSync(join(root, dir)).filter((f) => /\.(cc|h|c)$/.test(f)).map((f) => join(dir, f)));
const format = spawnSync('clang-format', ['--dry-run', '--Werror', ...sources], { cwd: root, stdio: 'inherit' });
if (format.status === 0) passed++;
else failed++;
console.log(`format: clang-format ${format.status === 0 ? 'passed' : 'FAILED (run clang-format -i on the files above)'}`);

// Types.
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tests/types'], { cwd: root, stdio: 'inherit' });
if (tsc.status === 0) passed++;
else failed++;
console.log(`types: tsc ${tsc.status === 0 ? 'passed' : 'FAILED'}`);

// JS API and browser tests. Jest's summary goes to stderr: echo it and read the counts off it.
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'pipe'],
  encoding: 'utf8',
  maxBuffer: 1 << 28,
});
process.stderr.write(jest.stderr ?? '');
const summary = (jest.stderr ?? '').match(/^Tests:\s+(.*)$/m)?.[1] ?? '';
const count = (word) => Number(summary.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
passed += count('passed');
failed += count('failed');
if (jest.status !== 0 && count('failed') === 0) failed++;  // a suite that failed to run, or no summary

// The ecosystem matrix, unless Jest was asked for a subset (arguments are Jest's).
if (process.argv.length === 2) {
  const results = join(root, 'build', 'ecosystem-results.json');
  rmSync(results, { force: true });
  const matrix = spawnSync(process.execPath, ['tests/ecosystem/run.mjs', '--json', results], { cwd: root, stdio: 'inherit' });
  const scenarios = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : [];
  passed += scenarios.filter((r) => r.ok).length;
  failed += scenarios.filter((r) => !r.ok).length;
  if (matrix.status !== 0 && scenarios.every((r) => r.ok)) failed++;  // the matrix itself failed to run
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
