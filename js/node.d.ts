// zstd-kit/node: the main API (the same module instance) for Node.
export * from './index.js';
