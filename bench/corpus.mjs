// The large corpus: a tar of Emscripten's system/ tree (present wherever the toolchain is),
// with sorted names, fixed mtimes and owners so every machine builds the same bytes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const corpusDir = join(here, 'corpus');

export function largeCorpus() {
  const out = join(corpusDir, 'system.tar');
  if (!existsSync(out)) {
    mkdirSync(corpusDir, { recursive: true });
    execFileSync('tar', [
      '--sort=name', '--mtime=2020-01-01 00:00Z', '--owner=0', '--group=0', '--numeric-owner', '--format=gnu',
      '-C', '/usr/share/emscripten', '-cf', out, 'system',
    ]);
  }
  return out;
}
