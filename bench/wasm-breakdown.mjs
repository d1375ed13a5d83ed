// Where the single-threaded wasm's bytes are: the code of every function, grouped by the source
// it comes from. The shipped wasm carries no names, so the web target is linked once more by its
// own link command (CMake's link.txt) with --profiling-funcs, into a scratch folder: the same code
// with a name section (names do not change code; the function order, and with it gzip, may move by
// about 1 KB). The source of each name comes from the build's object files (emnm), and, for
// Emscripten's system libraries, from the name itself. gzip per group is what the group adds:
// gzip -9 of all code minus gzip -9 of the code without that group (the code compresses together,
// so the parts do not sum to the total).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const BINDINGS = 'src/wasm (our bindings: entry points, argument checks, results)';
const EMBIND_TEMPLATES = "embind's templates and registration, in src/wasm's objects";

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

// The function bodies of a wasm binary, each with its index (imports come first) and its name
// from the name section.
function functionBodies(bytes) {
  let imported = 0;
  const bodies = [];
  const names = new Map();
  for (let at = 8; at < bytes.length;) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    at = start + size;
    if (id === 2) {
      let [count, p] = leb(bytes, start);
      for (; count > 0; count--) {
        for (let name = 0; name < 2; name++) {
          const [n, q] = leb(bytes, p);
          p = q + n;
        }
        const kind = bytes[p++];
        if (kind === 0) {
          imported++;
          p = leb(bytes, p)[1];
        } else if (kind === 1 || kind === 2) {
          if (kind === 1) p++; // table: element type
          const [flags, q] = leb(bytes, p);
          p = leb(bytes, q)[1];
          if (flags & 1) p = leb(bytes, p)[1];
        } else {
          p += 2; // global: type, mutability
        }
      }
    } else if (id === 10) {
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i++) {
        const [n, q] = leb(bytes, p);
        bodies.push({ index: imported + i, bytes: bytes.subarray(p, q + n) });
        p = q + n;
      }
    } else if (id === 0) {
      const [n, p] = leb(bytes, start);
      if (Buffer.from(bytes.subarray(p, p + n)).toString() !== 'name') continue;
      for (let q = p + n; q < at;) {
        const sub = bytes[q];
        const [length, body] = leb(bytes, q + 1);
        q = body + length;
        if (sub !== 1) continue; // 1: function names
        let [count, r] = leb(bytes, body);
        for (; count > 0; count--) {
          const [index, r1] = leb(bytes, r);
          const [len, r2] = leb(bytes, r1);
          names.set(index, Buffer.from(bytes.subarray(r2, r2 + len)).toString());
          r = r2 + len;
        }
      }
    }
  }
  return bodies.map((b) => ({ ...b, name: names.get(b.index) ?? '' }));
}

// The web flavour's wasm linked again with a name section; returns its bytes.
function linkWithNames(buildDir) {
  const command = readFileSync(join(buildDir, 'CMakeFiles/zstd-kit-st-web.dir/link.txt'), 'utf8').trim();
  const scratch = mkdtempSync(join(tmpdir(), 'zstd-kit-names-'));
  try {
    const output = join(scratch, 'zstd-kit-st.js');
    if (!command.includes(' -o web/zstd-kit-st.js ')) throw new Error('bench: unexpected link command in link.txt');
    execFileSync('sh', ['-c', command.replace(' -o web/zstd-kit-st.js ', ` --profiling-funcs -o ${output} `)], {
      cwd: buildDir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_PATH: '/usr/share/nodejs' }, // emcc's optimiser needs acorn
    });
    return readFileSync(join(scratch, 'zstd-kit-st.wasm'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const unescape = (name) => name.replace(/\\([0-9a-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));

function objectFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...objectFiles(path));
    else if (entry.endsWith('.o')) out.push(path);
  }
  return out;
}

// Which group an object file's functions belong to.
function groupOfObject(path) {
  const zstd = /lib\/(common|compress|decompress|dictBuilder)\/([^/]+)\.c\.o$/.exec(path);
  if (zstd) {
    if (zstd[1] === 'compress' && /^zstd_(lazy|opt|fast|double_fast|ldm)$/.test(zstd[2])) return `libzstd ${zstd[2]}.c`;
    return zstd[1] === 'compress' ? 'libzstd compress/, other files' : `libzstd ${zstd[1]}/`;
  }
  if (path.includes('/src/core/')) return 'src/core (our C++ core)';
  if (path.includes('/src/wasm/')) return BINDINGS;
  return null;
}

// Functions of Emscripten's system libraries, by name.
function groupOfName(name) {
  if (name === '__wasm_call_ctors') return EMBIND_TEMPLATES; // the EMSCRIPTEN_BINDINGS blocks' registration calls
  if (
    /^(dl|sbrk$|emscripten_builtin_(malloc|free|memalign)|__libc_(malloc|free|calloc))|^(malloc|free|calloc|realloc|memalign|posix_memalign|aligned_alloc)$/.test(
      name,
    )
  )
    return 'malloc (dlmalloc)';
  if (/emscripten::|embind/.test(name)) return 'embind runtime';
  if (/^(std::|operator |__cxa|__cxxabiv1|__dynamic_cast|__gxx|abort_message|demangle)|type_info|typeinfo/.test(name))
    return 'libc++, libc++abi';
  return 'libc, compiler-rt';
}

/**
 * @param {string} buildDir the single-threaded wasm build (build/wasm-st), already built
 */
export function wasmBreakdown(buildDir) {
  const owner = new Map();
  const objects = objectFiles(buildDir);
  for (let i = 0; i < objects.length; i += 50) {
    const batch = objects.slice(i, i + 50);
    const listing = execFileSync('emnm', ['-A', '-C', '--defined-only', ...batch], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    for (const line of listing.split('\n')) {
      const m = /^(.*?\.o): *[0-9a-f-]* [TtWw] (.*)$/.exec(line); // bitcode (LTO) objects: no address
      const group = m && groupOfObject(relative(buildDir, m[1]));
      if (group && !owner.has(m[2])) owner.set(m[2], group);
    }
  }
  const wasm = linkWithNames(buildDir);
  const bodies = functionBodies(wasm).map((b) => {
    const name = unescape(b.name);
    let group = owner.get(name) ?? owner.get(name.replace(/\.\d+$/, '')) ?? groupOfName(name);
    // embind's own templates instantiated in our binding files (registration, invokers, wire
    // types, val): with the registration calls, what embind itself costs, apart from our bindings.
    if (group === BINDINGS && name.split('(')[0].includes('emscripten::')) group = EMBIND_TEMPLATES;
    return { ...b, group };
  });
  const gzip = (parts) => gzipSync(Buffer.concat(parts.map((b) => b.bytes)), { level: 9 }).length;
  const total = { raw: bodies.reduce((n, b) => n + b.bytes.length, 0), gzip: gzip(bodies) };
  const groups = [...new Set(bodies.map((b) => b.group))].map((group) => {
    const mine = bodies.filter((b) => b.group === group);
    return {
      group,
      functions: mine.length,
      raw: mine.reduce((n, b) => n + b.bytes.length, 0),
      gzip: total.gzip - gzip(bodies.filter((b) => b.group !== group)),
    };
  });
  groups.sort((a, b) => b.gzip - a.gzip);
  const kb = (n) => (n / 1000).toFixed(1);
  const table = [
    '| source | functions | code KB | gzip KB it adds |',
    '|---|---|---|---|',
    ...groups.map((g) => `| ${g.group} | ${g.functions} | ${kb(g.raw)} | ${kb(g.gzip)} |`),
    `| all code | ${bodies.length} | ${kb(total.raw)} | ${kb(total.gzip)} |`,
  ].join('\n');
  return { table, groups, total };
}
