// The errors zstd-kit throws, made in one place. Each is created with its stack already
// formatted: V8 keeps the `this` of every frame of an unformatted stack alive, so an error a
// caller keeps would otherwise keep the objects it came from (and their wasm memory) reachable.

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
    void this.stack;
  }
}

/** A TypeError (a bad argument type), stack formatted (see above). */
export function typeError(message) {
  const e = new TypeError(message);
  void e.stack;
  return e;
}

/** A RangeError (a number or index out of range), stack formatted (see above). */
export function rangeError(message) {
  const e = new RangeError(message);
  void e.stack;
  return e;
}

/**
 * The error for a failure the core reported (code name and message, see src/wasm/boundary.h):
 * out-of-range arguments are RangeErrors, everything else a ZstdError with the code.
 */
export function errorFrom(code, message) {
  if (code === 'out_of_range') return rangeError(message);
  return new ZstdError(code || 'generic', message);
}
