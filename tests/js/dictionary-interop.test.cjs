// Dictionaries with the zstd CLI (`zstd --train`, `zstd -D`, raw-content dictionaries) and the
// dictionary ids frame headers carry.
const fs = require('node:fs');
const path = require('node:path');
const {
  compressOnce,
  concat,
  decompressOnce,
  execFileSync,
  expectSameBytes,
  makeSamples,
  randomData,
  spawnSync,
  specDictId,
  specHeaderSize,
  textData,
  withDictId,
  zstd,
  zstdCli,
  setup,
} = require('./dictionary/common.cjs');

const f = setup();
let samples, dict, dir, dictFile, otherDictFile, input;
beforeAll(() => ({ samples, dict, dir, dictFile, otherDictFile, input } = f));

describe('interop with the zstd CLI', () => {
  test('a dictionary trained here: `zstd -D` decodes our frames, we decode `zstd -D` frames', () => {
    const c = new zstd.ZstdCompressor({ dictData: dict, writeChecksum: true });
    const d = new zstd.ZstdDecompressor({ dictData: dict });
    for (const x of [input, samples[3], new Uint8Array(0), textData(300000, 5)]) {
      const frame = c.compress(x);
      expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', dictFile], frame), x);
      for (const level of ['-1', '-3', '-19', '--fast=3']) {
        const cli = zstdCli(['-c', '-q', level, '-D', dictFile, `--stream-size=${x.length}`], Buffer.from(x));
        expect(zstd.getFrameParameters(cli).dictId).toBe(424242);
        expectSameBytes(d.decompress(cli), x);
      }
      // From stdin without a size: no content size in the header.
      const streamed = zstdCli(['-c', '-q', '-D', dictFile], Buffer.from(x));
      expectSameBytes(d.decompress(streamed, { maxOutputSize: Math.max(1, x.length) }), x);
    }
    // The CLI with another dictionary refuses our frames.
    const refused = spawnSync('zstd', ['-d', '-c', '-q', '-D', otherDictFile], { input: c.compress(input) });
    expect(refused.status).not.toBe(0);
    c.free();
    d.free();
  });

  test('a dictionary from `zstd --train` works both ways', () => {
    const sampleDir = path.join(dir, 'samples');
    fs.mkdirSync(sampleDir);
    makeSamples(1000, 9).forEach((s, i) => fs.writeFileSync(path.join(sampleDir, `s${i}`), s));
    const file = path.join(dir, 'cli-dict');
    const files = fs.readdirSync(sampleDir).map((f) => path.join(sampleDir, f));
    execFileSync('zstd', ['-q', '--train', ...files, '-o', file, '--maxdict=8192', '--dictID=777777']);
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeLessThanOrEqual(8192);
    for (const dictType of ['auto', 'fullDict']) {
      const cliDict = new zstd.ZstdCompressionDict(bytes, { dictType });
      expect(cliDict.dictId()).toBe(777777);
      const c = new zstd.ZstdCompressor({ dictData: cliDict, level: 7 });
      const d = new zstd.ZstdDecompressor({ dictData: cliDict });
      for (const x of [input, samples[10], textData(100000, 6)]) {
        const frame = c.compress(x);
        expect(zstd.getFrameParameters(frame).dictId).toBe(777777);
        expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', file], frame), x);
        const cli = zstdCli(['-c', '-q', '-D', file, `--stream-size=${x.length}`], Buffer.from(x));
        expectSameBytes(d.decompress(cli), x);
      }
      // The dictionary helps: smaller than without it.
      expect(c.compress(samples[10]).length).toBeLessThan(compressOnce({ level: 7 }, samples[10]).length);
      c.free();
      d.free();
      cliDict.free();
    }
  });

  test('raw-content dictionaries (rawContent, and auto on non-magic bytes) match the CLI with the same file as -D', () => {
    const content = randomData(40000, 8); // incompressible alone: any gain comes from the dictionary
    const file = path.join(dir, 'raw-dict');
    fs.writeFileSync(file, content);
    // Inputs that repeat much of the dictionary's content.
    const x = concat([content.subarray(1000, 21000), Buffer.from('a new tail'), content.subarray(30000, 39000)]);
    const plainSize = compressOnce(undefined, x).length;
    for (const dictType of ['rawContent', 'auto', undefined]) {
      const raw = new zstd.ZstdCompressionDict(content, dictType === undefined ? undefined : { dictType });
      expect(raw.dictId()).toBe(0);
      for (const level of [1, 3, 19, -5]) {
        const c = new zstd.ZstdCompressor({ dictData: raw, level });
        const frame = c.compress(x);
        expect(frame.length).toBeLessThan(plainSize / 4);
        expect(zstd.getFrameParameters(frame).dictId).toBe(0);
        expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', file], frame), x);
        c.free();
      }
      const d = new zstd.ZstdDecompressor({ dictData: raw });
      for (const level of ['-1', '-3', '-19']) {
        const cli = zstdCli(['-c', '-q', level, '-D', file, `--stream-size=${x.length}`], Buffer.from(x));
        expect(cli.length).toBeLessThan(plainSize / 4);
        expectSameBytes(d.decompress(cli), x);
      }
      d.free();
      raw.free();
    }
  });
});

describe('dictionary ids in frame headers', () => {
  test('ids needing 1, 2 and 4 bytes: getFrameParameters and frameHeaderSize agree with the format spec', () => {
    const bytes = dict.asBytes();
    for (const [id, idBytes, flag] of [
      [200, 1, 1],
      [40000, 2, 2],
      [3000000000, 4, 3],
    ]) {
      const file = path.join(dir, `dict-${id}`);
      const patched = withDictId(bytes, id);
      fs.writeFileSync(file, patched);
      const dd = new zstd.ZstdCompressionDict(patched, { dictType: 'fullDict' });
      expect(dd.dictId()).toBe(id);
      const c = new zstd.ZstdCompressor({ dictData: dd });
      const d = new zstd.ZstdDecompressor({ dictData: dd });
      for (const x of [samples[1], input, textData(70000, 9)]) {
        const ours = c.compress(x);
        const cli = zstdCli(['-c', '-q', '-D', file, `--stream-size=${x.length}`], Buffer.from(x));
        const cliStreamed = zstdCli(['-c', '-q', '-D', file], Buffer.from(x));
        for (const frame of [ours, cli, cliStreamed]) {
          expect(frame[4] & 3).toBe(flag);
          expect(specDictId(frame)).toEqual({ bytes: idBytes, id });
          const p = zstd.getFrameParameters(frame);
          expect(p.dictId).toBe(id);
          expect(p.contentSize).toBe(frame === cliStreamed ? -1 : x.length);
          expect(zstd.frameHeaderSize(frame)).toBe(specHeaderSize(frame));
          // The header alone is enough to parse it.
          expect(zstd.getFrameParameters(frame.subarray(0, specHeaderSize(frame)))).toEqual(p);
          expectSameBytes(d.decompress(frame, { maxOutputSize: x.length + 1 }), x);
        }
        expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', file], ours), x);
      }
      c.free();
      d.free();
      dd.free();
    }
  });

  test('writeDictId false: dictId 0 in the header, yet the frame decodes with the dictionary', () => {
    const c = new zstd.ZstdCompressor({ dictData: dict, writeDictId: false });
    const withId = compressOnce({ dictData: dict }, input);
    const frame = c.compress(input);
    expect(zstd.getFrameParameters(frame).dictId).toBe(0);
    expect(frame[4] & 3).toBe(0);
    expect(zstd.frameHeaderSize(frame)).toBe(specHeaderSize(frame));
    expect(zstd.frameHeaderSize(frame)).toBe(zstd.frameHeaderSize(withId) - specDictId(withId).bytes);
    expectSameBytes(decompressOnce({ dictData: dict }, frame), input);
    expectSameBytes(zstdCli(['-d', '-c', '-q', '-D', dictFile], frame), input);
    // Streaming paths too.
    const obj = c.compressobj();
    const streamed = concat([obj.compress(input), obj.flush()]);
    expect(zstd.getFrameParameters(streamed).dictId).toBe(0);
    expectSameBytes(decompressOnce({ dictData: dict }, streamed, { maxOutputSize: input.length }), input);
    // `zstd --no-dictID` frames decode here.
    const cli = zstdCli(['-c', '-q', '--no-dictID', '-D', dictFile, `--stream-size=${input.length}`], Buffer.from(input));
    expect(zstd.getFrameParameters(cli).dictId).toBe(0);
    expectSameBytes(decompressOnce({ dictData: dict }, cli), input);
    c.free();
  });
});
