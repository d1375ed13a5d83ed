// npm test: builds what is missing, then runs every suite and prints one closing line
// "N passed, N failed" over all of them:
//   native  GoogleTest (ctest) of the C++ core under AddressSanitizer + UBSan, and under TSan
//   fuzz    each libFuzzer target (tests/fuzz) for ZSTDKIT_FUZZ_SECONDS (default 20) under
//           ASan + UBSan, from its committed seed corpus; a crash, leak or timeout fails it
//   format  clang-format over every C/C++ file of src/, tests/, bench/; Prettier over the JS/TS
//   lint    ESLint (eslint.config.js) over js/, tests/, scripts/, web-demo/, bench/
//   types   tsc --noEmit over tests/types/usage.ts against the .d.ts
//   js      Jest: the JS API in Node (tests/js) and the demo in Chromium (tests/browser), counted
//           from Jest's JSON results
//   ecosystem  tests/ecosystem/run.mjs: the packed package through every bundler, runtime and
//           TypeScript setup (one count per scenario)
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, root, run } from './lib.mjs';

ensureBuilt();
const jobs = String(availableParallelism());
let passed = 0;
let failed = 0;
const quiet = { stdio: ['ignore', 'ignore', 'inherit'] };
const check = (name, ok, hint = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${name}: ${ok ? 'passed' : `FAILED${hint ? ` (${hint})` : ''}`}`);
};
const node = (args, options = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', ...options });

// Native core tests, under ASan + UBSan and under TSan.
for (const [dir, sanitizer] of [
  ['build/native', 'address'],
  ['build/native-tsan', 'thread'],
]) {
  run('cmake', ['-S', '.', '-B', dir, `-DZSTDKIT_SANITIZE=${sanitizer}`, '-DCMAKE_BUILD_TYPE=RelWithDebInfo'], quiet);
  run('cmake', ['--build', dir, '-j', jobs, '--target', 'core_tests'], quiet);
  const ctest = spawnSync('ctest', ['--test-dir', dir, '--output-on-failure', '-j', jobs, '--output-junit', 'ctest.xml'], {
    cwd: root,
    stdio: 'inherit',
  });
  const junit = readFileSync(join(root, dir, 'ctest.xml'), 'utf8');
  const total = Number(junit.match(/tests="(\d+)"/)?.[1] ?? 0);
  const bad = Number(junit.match(/failures="(\d+)"/)?.[1] ?? 0) + Number(junit.match(/errors="(\d+)"/)?.[1] ?? 0);
  if (ctest.status !== 0 && bad === 0) failed++; // ctest itself failed
  passed += total - bad;
  failed += bad;
}

// Fuzzing: clang with libFuzzer, ASan + UBSan; new inputs go to a scratch corpus in build/fuzz.
const fuzzSeconds = String(Number(process.env.ZSTDKIT_FUZZ_SECONDS ?? 20));
const fuzzDir = 'build/fuzz';
const fuzzCmake = ['-DCMAKE_C_COMPILER=clang', '-DCMAKE_CXX_COMPILER=clang++', '-DZSTDKIT_FUZZ=ON', '-DZSTDKIT_TESTS=OFF'];
run('cmake', ['-S', '.', '-B', fuzzDir, ...fuzzCmake, '-DZSTDKIT_SANITIZE=address', '-DCMAKE_BUILD_TYPE=RelWithDebInfo'], quiet);
run('cmake', ['--build', fuzzDir, '-j', jobs, '--target', 'fuzzers'], quiet);
const seeds = join(root, 'tests/fuzz/corpus');
for (const target of readdirSync(seeds).sort()) {
  const corpus = join(root, fuzzDir, 'corpus', target);
  const artifacts = join(root, fuzzDir, 'artifacts', target);
  rmSync(corpus, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  cpSync(join(seeds, target), corpus, { recursive: true });
  const fuzz = spawnSync(
    join(root, fuzzDir, target),
    [
      `-max_total_time=${fuzzSeconds}`,
      '-timeout=20',
      '-rss_limit_mb=2560',
      `-artifact_prefix=${artifacts}/`,
      '-print_final_stats=1',
      corpus,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'allocator_may_return_null=1:detect_leaks=1' } },
  );
  const runs = fuzz.stderr.match(/stat::number_of_executed_units:\s*(\d+)/)?.[1] ?? '?';
  if (fuzz.status !== 0) process.stderr.write(fuzz.stderr.slice(-6000));
  check(`fuzz: ${target} (${runs} runs in ${fuzzSeconds} s)`, fuzz.status === 0, `its input is in ${artifacts}`);
}

// Formatting: C/C++ (.clang-format) and JavaScript/TypeScript (.prettierrc.json).
const sourceFiles = (dirs, pattern) =>
  dirs
    .flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true })
        // Installed tools (tests/ecosystem/node_modules, its .work) are not ours to format.
        .filter((f) => pattern.test(f) && !/(^|\/)(node_modules|\.work)\//.test(f))
        .map((f) => join(dir, f)),
    )
    .sort();
const cFiles = sourceFiles(['src', 'tests', 'bench'], /\.(cc|h|c|cpp|hpp)$/);
const clang = spawnSync('clang-format', ['--dry-run', '--Werror', ...cFiles], { cwd: root, stdio: 'inherit' });
check(`format: clang-format over ${cFiles.length} files`, clang.status === 0, 'run clang-format -i on the files above');
const jsDirs = ['js', 'tests', 'scripts', 'web-demo', 'bench'];
const prettier = node(['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level=warn', ...jsDirs, 'eslint.config.js']);
check('format: prettier', prettier.status === 0, 'run npx prettier --write on the files above');

// Lint.
const eslint = node(['node_modules/eslint/bin/eslint.js', ...jsDirs, 'eslint.config.js']);
check('lint: eslint', eslint.status === 0);

// Types.
const tsc = node(['node_modules/typescript/bin/tsc', '-p', 'tests/types']);
check('types: tsc', tsc.status === 0);

// JS API and browser tests, counted from Jest's own JSON report.
const report = join(root, 'build', 'jest-results.json');
rmSync(report, { force: true });
const jest = node(['node_modules/jest/bin/jest.js', '--json', `--outputFile=${report}`, ...process.argv.slice(2)]);
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests + results.numRuntimeErrorTestSuites; // a suite that failed to run counts too
  if (jest.status !== 0 && results.numFailedTests + results.numRuntimeErrorTestSuites === 0) failed++;
} else {
  failed++; // Jest did not get as far as writing its report
}

// The ecosystem matrix, unless Jest was asked for a subset (arguments are Jest's).
if (process.argv.length === 2) {
  const results = join(root, 'build', 'ecosystem-results.json');
  rmSync(results, { force: true });
  const matrix = node(['tests/ecosystem/run.mjs', '--json', results]);
  const scenarios = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : [];
  passed += scenarios.filter((r) => r.ok).length;
  failed += scenarios.filter((r) => !r.ok).length;
  if (matrix.status !== 0 && scenarios.every((r) => r.ok)) failed++; // the matrix itself failed to run
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
