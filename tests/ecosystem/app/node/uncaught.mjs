// After init(), an uncaught error of the app's own must exit as Node always does: code 1, its stack.
import * as zstd from 'zstd-kit';

await zstd.init();
setTimeout(() => {
  throw new Error('the app failed on its own');
}, 0);
