// packTensor / unpackTensor (python-blosc2's pack_tensor): a typed array and its shape as a cframe
// (schunk.js) whose header carries a small JSON description, so unpackTensor needs nothing else and
// `zstd -d` still decodes the file to the array's raw bytes (the header is a skippable frame).
import { rangeError, typeError, ZstdError } from './errors.js';
import { describe, packTensorOptions } from './options.js';
import { SChunk } from './schunk.js';

// Every TypedArray type (Float16Array where the platform has it), by constructor name.
const TYPES = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];
const MAX_DIMS = 64;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
// Items staged into wasm memory per append: memory stays bounded for arrays of any size.
const STAGE_BYTES = 16 << 20;

function typeName(x) {
  const name = Object.prototype.toString.call(x).slice(8, -1);
  return ArrayBuffer.isView(x) && TYPES.includes(name) ? name : null;
}

// The shape's element count, after checking it is an array of non-negative integers.
function shapeSize(shape, fail) {
  if (!Array.isArray(shape)) fail(`shape must be an array of non-negative integers, got ${describe(shape)}`);
  if (shape.length > MAX_DIMS) fail(`shape has ${shape.length} dimensions; at most ${MAX_DIMS}`);
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) fail(`shape must hold non-negative integers, got ${String(d)}`);
    n *= d;
    if (!Number.isSafeInteger(n)) fail('shape describes more elements than a typed array can hold');
  }
  return n;
}

/**
 * A typed array (any of the TypedArray types) and its shape (default [length]) compressed into
 * one buffer: a seekable zstd file of its bytes with a self-describing header. RangeError when
 * the shape's element count is not the array's length.
 * @returns {Uint8Array}
 */
export function packTensor(typedArray, options = undefined, call = 'packTensor()') {
  const name = typeName(typedArray);
  if (name === null) throw typeError(`${call}: expected a typed array (Int8Array ... BigUint64Array), got ${describe(typedArray)}`);
  const o = packTensorOptions(options, call);
  const shape = o.shape === undefined ? [typedArray.length] : o.shape;
  const count = shapeSize(shape, (m) => {
    throw Array.isArray(shape) ? rangeError(`${call}: ${m}`) : typeError(`${call}: ${m}`);
  });
  if (count !== typedArray.length) {
    throw rangeError(`${call}: shape [${shape.join(', ')}] holds ${count} elements, the array ${typedArray.length}`);
  }
  const bpe = typedArray.BYTES_PER_ELEMENT;
  const chunkSize = Math.max(bpe, o.chunkSize - (o.chunkSize % bpe));
  const bytes = new Uint8Array(typedArray.buffer, typedArray.byteOffset, typedArray.byteLength);
  const s = new SChunk({ chunkSize, typesize: bpe, level: o.level });
  try {
    const step = Math.max(chunkSize, STAGE_BYTES - (STAGE_BYTES % chunkSize));
    for (let at = 0; at < bytes.length; at += step) s.append(bytes.subarray(at, Math.min(bytes.length, at + step)));
    s._setMeta(encoder.encode(JSON.stringify({ zstdKit: 'tensor', version: 1, type: name, shape, littleEndian: LITTLE_ENDIAN })));
    return s.toCframe();
  } finally {
    s.free();
  }
}

function notTensor(why) {
  return new ZstdError('prefix_unknown', `not a packed tensor: ${why}`);
}

/**
 * The typed array packTensor() packed, of the same type, with its `shape` (an array of numbers,
 * a non-enumerable property).
 */
export function unpackTensor(buf) {
  const s = SChunk.fromCframe(buf, { copy: false });
  try {
    let meta;
    try {
      meta = JSON.parse(decoder.decode(s._meta()));
    } catch {
      throw notTensor('no tensor description in its header');
    }
    if (meta?.zstdKit !== 'tensor' || meta.version !== 1) throw notTensor('no tensor description in its header');
    if (!TYPES.includes(meta.type)) throw new ZstdError('corruption_detected', `tensor: unknown type ${String(meta.type)}`);
    const Type = globalThis[meta.type];
    if (typeof Type !== 'function') {
      throw new ZstdError('frame_parameter_unsupported', `tensor: ${meta.type} is not available on this platform`);
    }
    if (meta.littleEndian !== LITTLE_ENDIAN) throw new ZstdError('frame_parameter_unsupported', 'tensor: byte order differs');
    const count = shapeSize(meta.shape, (m) => {
      throw new ZstdError('corruption_detected', `tensor: ${m}`);
    });
    if (s.typesize !== Type.BYTES_PER_ELEMENT || count * Type.BYTES_PER_ELEMENT !== s.nbytes) {
      throw new ZstdError('corruption_detected', `tensor: ${s.nbytes} bytes do not hold [${meta.shape.join(', ')}] of ${meta.type}`);
    }
    const out = new Type(count);
    const bytes = new Uint8Array(out.buffer);
    for (let i = 0, at = 0, n = s.nchunks; i < n; i++) {
      at += s.decompressChunk(i, bytes.subarray(at)).length;
    }
    Object.defineProperty(out, 'shape', { value: [...meta.shape], writable: true, configurable: true, enumerable: false });
    return out;
  } finally {
    s.free();
  }
}
