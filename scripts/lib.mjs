// Shared by build, test, demo and bench: make sure what a step needs is there, building or
// installing only what is missing, so each npm script works alone on a fresh clone.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status ?? r.signal}`);
  }
}

function hasCommand(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Toolchain (Emscripten, CMake, clang, Chromium, zstd CLI) and the libzstd source. */
export function ensureToolchain() {
  const ready =
    ['emcc', 'cmake', 'clang', 'clang-format', 'chromium', 'zstd'].every(hasCommand) &&
    existsSync(join(root, 'third_party/zstd/lib/zstd.h'));
  if (!ready) run('bash', ['scripts/bootstrap.sh']);
}

/** npm dependencies, from the lock file. */
export function ensureNodeModules() {
  if (!existsSync(join(root, 'node_modules/.package-lock.json'))) run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** The wasm builds and the package in dist/ (incremental: cheap when nothing changed). */
export function ensureBuilt() {
  ensureToolchain();
  ensureNodeModules();
  run(process.execPath, ['scripts/build.mjs']);
}
