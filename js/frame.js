// Frame inspection: what a frame header says, without decoding the frame.
import { withInput } from './input.js';
import { check, wasm } from './runtime.js';

/**
 * Parameters of the zstd frame at the start of `data`.
 * @returns {{ contentSize: number, windowSize: number, dictId: number, hasChecksum: boolean }}
 *   contentSize is -1 when the header does not say.
 */
export function getFrameParameters(data) {
  const M = wasm();
  return check(withInput(data, (ptr, length) => M.frameParameters(ptr, length)));
}

/** Content size the frame header states, -1 when unknown. */
export function frameContentSize(data) {
  return getFrameParameters(data).contentSize;
}

/** Size in bytes of the frame header at the start of `data`. */
export function frameHeaderSize(data) {
  const M = wasm();
  return check(withInput(data, (ptr, length) => M.frameHeaderSize(ptr, length)));
}

/** Bytes of wasm memory a decompression context needs. */
export function estimateDecompressionContextSize() {
  return wasm().estimateDecompressionContextSize();
}
