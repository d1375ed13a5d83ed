// After init(), an unhandled rejection of the app's own must exit as Node always does: code 1, its stack.
import * as zstd from 'zstd-kit';

await zstd.init();
Promise.reject(new Error('the app rejected on its own'));
