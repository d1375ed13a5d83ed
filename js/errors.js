/**
 * The one error class of zstd-kit. `code` is zstd's error name in snake case
 * (`'corruption_detected'`, `'dst_size_too_small'`, ...) or one of the library's own:
 * `'not_initialized'`, `'freed'`, `'content_size_unknown'`, `'output_too_large'`, `'invalid_state'`,
 * `'load_failed'` (init() could not load the wasm module: the message names what and where).
 */
export class ZstdError extends Error {
  /**
   * @param {string} code
   * @param {string} [message]
   * @param {{ cause?: unknown }} [options] the underlying error, as for Error
   */
  constructor(code, message, options) {
    super(message ? `${message} (${code})` : code, options);
    this.name = 'ZstdError';
    /** @type {string} */
    this.code = code;
  }
}

/** Throws the error the wasm module recorded for its last failed call. */
export function throwLastError(M) {
  const code = M.lastErrorCode();
  const message = M.lastErrorMessage();
  if (code === 'out_of_range') throw new RangeError(message);
  throw new ZstdError(code || 'generic', message);
}
