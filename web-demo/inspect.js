// What a .zst holds, read from its headers without decoding it: each frame's header (through
// zstd-kit's getFrameParameters / frameHeaderSize), its blocks' 3-byte headers (to find where the
// frame ends), skippable frames, and the seek table of zstd's seekable format. Corrupt or truncated
// input gives an InspectError saying what is wrong and where.
const ZSTD_MAGIC = 0xfd2fb528;
const SEEKABLE_MAGIC = 0x8f92eab1;
const SEEK_TABLE_SKIPPABLE = 0x184d2a5e;
const MAX_LISTED = 1000;

export class InspectError extends Error {
  name = 'InspectError';
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Random access to a Blob through a 4 MiB window. */
class Reader {
  constructor(blob) {
    this.blob = blob;
    this.start = 0;
    this.bytes = new Uint8Array(0);
  }
  /** `n` bytes at `pos` (fewer at the end of the file). */
  async at(pos, n) {
    if (pos < this.start || pos + n > this.start + this.bytes.length) {
      this.start = pos;
      this.bytes = new Uint8Array(await this.blob.slice(pos, pos + Math.max(n, 4 << 20)).arrayBuffer());
    }
    return this.bytes.subarray(pos - this.start, pos - this.start + n);
  }
}

const u32 = (b, i) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const hex = (n) => `0x${n.toString(16).padStart(8, '0')}`;

/** True when `bytes` start like a zstd file (a zstd or skippable frame). */
export function looksLikeZstd(bytes) {
  if (bytes.length < 4) return false;
  const m = u32(bytes, 0);
  return m === ZSTD_MAGIC || (m & 0xfffffff0) === 0x184d2a50;
}

/**
 * Walks every frame of `file`. `checkpoint()` is called between frames (it throws to cancel).
 * @returns {Promise<object>} frames (the first 1000), counts, sizes, checksums, dictionary ids, seek table
 */
export async function inspect(zstd, file, checkpoint = () => {}) {
  const r = new Reader(file);
  const frames = [];
  const summary = { frames: 0, skippable: 0, checksums: 0, dictIds: [], contentSize: 0, contentSizeKnown: true, blocks: 0 };
  let seekTable = null;
  let pos = 0;
  if (file.size === 0) throw new InspectError('empty', 'The file is empty: a .zst holds at least one frame.');
  while (pos < file.size) {
    checkpoint();
    const index = summary.frames + summary.skippable;
    const head = await r.at(pos, 18);
    if (head.length < 4)
      throw new InspectError('truncated', `Truncated: ${head.length} stray byte(s) at offset ${pos}, too few for a frame.`);
    const magic = u32(head, 0);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      if (head.length < 8) throw new InspectError('truncated', `Truncated: the skippable frame at offset ${pos} has no size field.`);
      const size = u32(head, 4);
      const end = pos + 8 + size;
      if (end > file.size)
        throw new InspectError('truncated', `Truncated: the skippable frame at offset ${pos} needs ${end - file.size} more bytes.`);
      const frame = { index, offset: pos, kind: 'skippable', compressedSize: 8 + size };
      if (magic === SEEK_TABLE_SKIPPABLE && size >= 9) {
        const footer = await r.at(end - 9, 9);
        if (u32(footer, 5) === SEEKABLE_MAGIC) {
          const entries = u32(footer, 0);
          const checksums = (footer[4] & 0x80) !== 0;
          frame.kind = 'seek table';
          seekTable = { entries, checksums, bytes: 8 + size, valid: size === entries * (checksums ? 12 : 8) + 9 };
        }
      }
      summary.skippable++;
      if (frames.length < MAX_LISTED) frames.push(frame);
      pos = end;
      continue;
    }
    if (magic !== ZSTD_MAGIC) {
      throw new InspectError(
        'not_zstd',
        pos === 0
          ? `Not a zstd file: it starts with ${hex(magic)}, zstd frames start with 0xfd2fb528 (bytes 28 b5 2f fd).`
          : `Corrupt: after ${index} frame(s), offset ${pos} holds ${hex(magic)}, which starts no zstd frame.`,
      );
    }
    let params;
    let headerSize;
    try {
      params = zstd.getFrameParameters(head);
      headerSize = zstd.frameHeaderSize(head);
    } catch (e) {
      if (head.length < 18 && pos + head.length === file.size) {
        throw new InspectError('truncated', `Truncated: the header of frame ${index} at offset ${pos} is cut off.`);
      }
      throw new InspectError(e.code ?? 'corrupt', `Corrupt: the header of frame ${index} at offset ${pos} is invalid (${e.message}).`);
    }
    let at = pos + headerSize;
    let blocks = 0;
    let knownOutput = 0; // raw and RLE blocks say their size
    for (;;) {
      const bh = await r.at(at, 3);
      if (bh.length < 3) throw new InspectError('truncated', `Truncated: frame ${index} (offset ${pos}) ends inside its block ${blocks}.`);
      const v = bh[0] | (bh[1] << 8) | (bh[2] << 16);
      const last = v & 1;
      const type = (v >> 1) & 3;
      const size = v >> 3;
      if (type === 3)
        throw new InspectError('corrupt', `Corrupt: block ${blocks} of frame ${index} (offset ${at}) has the reserved block type.`);
      if (type !== 2) knownOutput += size;
      at += 3 + (type === 1 ? 1 : size);
      blocks++;
      if (at > file.size)
        throw new InspectError('truncated', `Truncated: frame ${index} (offset ${pos}) needs at least ${at - file.size} more bytes.`);
      if (last) break;
    }
    if (params.hasChecksum) {
      at += 4;
      if (at > file.size) throw new InspectError('truncated', `Truncated: the checksum of frame ${index} (offset ${pos}) is cut off.`);
    }
    summary.frames++;
    summary.blocks += blocks;
    if (params.hasChecksum) summary.checksums++;
    if (params.dictId && !summary.dictIds.includes(params.dictId)) summary.dictIds.push(params.dictId);
    if (params.contentSize >= 0) summary.contentSize += params.contentSize;
    else summary.contentSizeKnown = false;
    if (frames.length < MAX_LISTED) {
      frames.push({
        index,
        offset: pos,
        kind: 'zstd',
        compressedSize: at - pos,
        contentSize: params.contentSize,
        windowSize: params.windowSize,
        dictId: params.dictId,
        hasChecksum: params.hasChecksum,
        blocks,
        knownOutput,
      });
    }
    pos = at;
  }
  if (summary.frames === 0) throw new InspectError('no_frames', 'No zstd frame: the file holds only skippable frames.');
  return { size: file.size, frames, listed: frames.length, summary, seekTable };
}
