// Frame inspection: what a frame header says, without decoding the frame.
import { throwLastError } from './errors.js';
import { withInput } from './input.js';
import { wasm } from './runtime.js';

/**
 * Parameters of the zstd frame at the start of `data`.
 * @returns {{ contentSize: number, windowSize: number, dictId: number, hasChecksum: boolean }}
 *   contentSize is -1 when the header does not say.
 */
export function getFrameParameters(data) {
  const M = wasm();
  const params = withInput(data, (ptr, length) => M.frameParameters(ptr, length));
  if (params === null) throwLastError(M);
  return params;
}

/** Content size the frame header states, -1 when unknown. */
export function frameContentSize(data) {
  const M = wasm();
  const size = withInput(data, (ptr, length) => M.frameContentSize(ptr, length));
  if (size < -1) throwLastError(M);
  return size;
}

/** Size in bytes of the frame header at the start of `data`. */
export function frameHeaderSize(data) {
  const M = wasm();
  const size = withInput(data, (ptr, length) => M.frameHeaderSize(ptr, length));
  if (size < 0) throwLastError(M);
  return size;
}

/** Bytes of wasm memory a decompression context needs. */
export function estimateDecompressionContextSize() {
  return wasm().estimateDecompressionContextSize();
}
