// ZstdDecompressor: one-shot decompression, to a JS-owned Uint8Array or left in wasm memory.
import { WasmBuffer } from './buffer.js';
import { FORMAT_ZSTD1, FORMAT_ZSTD1_MAGICLESS } from './constants.js';
import { throwLastError } from './errors.js';
import { copyOut, integerOption, MAX_WASM_SIZE, optionsObject, withInput } from './input.js';
import { WasmObject, wasm } from './runtime.js';

const FORMATS = { zstd1: FORMAT_ZSTD1, magicless: FORMAT_ZSTD1_MAGICLESS };

function formatOption(format) {
  if (format === undefined) return FORMAT_ZSTD1;
  if (typeof format === 'string' && format in FORMATS) return FORMATS[format];
  if (format === FORMAT_ZSTD1 || format === FORMAT_ZSTD1_MAGICLESS) return format;
  throw new RangeError(`format must be 'zstd1', 'magicless', FORMAT_ZSTD1 or FORMAT_ZSTD1_MAGICLESS; got ${String(format)}`);
}

export class ZstdDecompressor extends WasmObject {
  /**
   * @param {object} [options]
   * @param {number} [options.maxWindowSize=0] largest window a frame may use; 0 = zstd's default limit
   * @param {'zstd1'|'magicless'|number} [options.format='zstd1']
   */
  constructor(options = undefined) {
    const M = wasm();
    const o = optionsObject(options);
    const maxWindowSize = integerOption(o.maxWindowSize, 'maxWindowSize', 0, MAX_WASM_SIZE, 0);
    const handle = M.createDecompressor(maxWindowSize, formatOption(o.format));
    if (handle === null) {
      const code = M.lastErrorCode();
      if (code === 'parameter_out_of_bound') {
        throw new RangeError(`maxWindowSize ${maxWindowSize} is outside zstd's bounds [1024, 2**30]`);
      }
      throwLastError(M);
    }
    super(handle);
  }

  /**
   * Decompresses a frame into a JS-owned Uint8Array.
   * @param {object} [options]
   * @param {number} [options.maxOutputSize=0] cap on the output; needed when frames do not state their size
   * @param {boolean} [options.readAcrossFrames=false] decode every frame, not just the first
   */
  decompress(frame, options = undefined) {
    const h = this._handle;
    const size = this.#decode(h, frame, options);
    try {
      return copyOut(h.resultPtr(), size);
    } finally {
      h.dropResult();
    }
  }

  /** As decompress(), with the result left in wasm memory: no copy out. */
  decompressToBuffer(frame, options = undefined) {
    const h = this._handle;
    this.#decode(h, frame, options);
    return new WasmBuffer(h.takeResult());
  }

  /** Bytes of wasm memory this decompressor's context uses. */
  memorySize() {
    return this._handle.memorySize();
  }

  #decode(h, frame, options) {
    const o = optionsObject(options);
    const maxOutputSize = integerOption(o.maxOutputSize, 'maxOutputSize', 0, MAX_WASM_SIZE, 0);
    const across = Boolean(o.readAcrossFrames);
    const size = withInput(frame, (src, length) => h.decompress(src, length, maxOutputSize, across), 0, 'frame');
    if (size < 0) throwLastError(wasm());
    return size;
  }
}
