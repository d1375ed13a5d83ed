// `zstd-kit info`: what a .zst file holds, found by walking frame and block headers (nothing is
// decompressed): frames, skippable frames, sizes, checksums, dictionary ids, window sizes.
import { ZstdError } from './errors.js';
import { frameHeaderSize, getFrameParameters } from './frame.js';
import { fileChunks } from './node-files.js';

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const FRAME_HEADER_MAX = 18;

/** Sequential reads of a file at increasing offsets, with a buffer of what was read ahead. */
class Cursor {
  #chunks;
  #buffer = Buffer.alloc(0);
  #start = 0; // file offset of #buffer[0]
  #ended = false;

  constructor(handle) {
    this.#chunks = fileChunks(handle, { readSize: 1 << 20, position: 0, close: false });
  }

  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  async bytes(offset, length) {
    if (offset < this.#start) throw new Error('Cursor reads forward only');
    while (this.#start + this.#buffer.length < offset + length && !this.#ended) {
      const step = await this.#chunks.next();
      if (step.done) this.#ended = true;
      else {
        const keep = this.#buffer.subarray(Math.max(0, offset - this.#start));
        this.#start += this.#buffer.length - keep.length;
        this.#buffer = keep.length === 0 ? step.value : Buffer.concat([keep, step.value]);
      }
    }
    const at = offset - this.#start;
    return this.#buffer.subarray(at, at + length);
  }

  async close() {
    await this.#chunks.return();
  }
}

const corrupt = (offset, what) => new ZstdError('corruption_detected', `at byte ${offset}: ${what}`);

/**
 * The frames of an open .zst file of `size` bytes: [{ type: 'zstd' | 'skippable', offset,
 * compressedSize, contentSize (-1 unknown), windowSize, dictId, hasChecksum, blocks, magic }].
 */
export async function walkFrames(handle, size) {
  const cursor = new Cursor(handle);
  const frames = [];
  try {
    for (let offset = 0; offset < size;) {
      const head = await cursor.bytes(offset, FRAME_HEADER_MAX);
      if (head.length < 8) throw new ZstdError('src_size_wrong', `at byte ${offset}: the file ends inside a frame header (truncated)`);
      const magic = head.readUInt32LE(0);
      if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
        const length = 8 + head.readUInt32LE(4);
        if (offset + length > size)
          throw new ZstdError('src_size_wrong', `at byte ${offset}: a skippable frame runs past the end (truncated)`);
        frames.push({ type: 'skippable', offset, compressedSize: length, magic });
        offset += length;
        continue;
      }
      if (magic !== ZSTD_MAGIC) throw new ZstdError('prefix_unknown', `at byte ${offset}: not a zstd frame`);
      let params, headerSize;
      try {
        params = getFrameParameters(head);
        headerSize = frameHeaderSize(head);
      } catch (e) {
        if (e instanceof ZstdError && e.code === 'src_size_wrong')
          throw new ZstdError('src_size_wrong', `at byte ${offset}: the file ends inside a frame header (truncated)`);
        throw e;
      }
      let at = offset + headerSize;
      let blocks = 0;
      for (let last = false; !last; blocks++) {
        const bh = await cursor.bytes(at, 3);
        if (bh.length < 3) throw new ZstdError('src_size_wrong', `at byte ${at}: the file ends inside a frame (truncated)`);
        const header = bh[0] | (bh[1] << 8) | (bh[2] << 16);
        last = (header & 1) === 1;
        const type = (header >> 1) & 3;
        if (type === 3) throw corrupt(at, 'a block of the reserved type');
        at += 3 + (type === 1 ? 1 : header >>> 3); // an RLE block holds one byte
      }
      if (params.hasChecksum) at += 4;
      if (at > size) throw new ZstdError('src_size_wrong', `at byte ${offset}: the frame runs past the end of the file (truncated)`);
      frames.push({ type: 'zstd', offset, compressedSize: at - offset, ...params, blocks });
      offset = at;
    }
  } finally {
    await cursor.close();
  }
  return frames;
}

/** A summary of walkFrames()'s list, as `info` prints it. */
export function summarize(frames, size) {
  const zstdFrames = frames.filter((f) => f.type === 'zstd');
  const known = zstdFrames.every((f) => f.contentSize >= 0);
  const decompressedSize = known ? zstdFrames.reduce((n, f) => n + f.contentSize, 0) : -1;
  const checked = zstdFrames.filter((f) => f.hasChecksum).length;
  return {
    frames: zstdFrames.length,
    skippableFrames: frames.length - zstdFrames.length,
    compressedSize: size,
    decompressedSize,
    ratio: decompressedSize > 0 && size > 0 ? decompressedSize / size : null,
    checksum: checked === 0 ? 'none' : checked === zstdFrames.length ? 'XXH64' : 'some frames',
    dictIds: [...new Set(zstdFrames.map((f) => f.dictId).filter((id) => id !== 0))],
    windowSize: Math.max(0, ...zstdFrames.map((f) => f.windowSize)),
  };
}
