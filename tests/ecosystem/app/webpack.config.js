// The app's own webpack config: its two entries and where the bundle goes.
import { resolve } from 'node:path';

export default {
  mode: 'production',
  entry: { main: './web/index.js', 'in-worker': './web/in-worker.js' },
  output: { path: resolve(process.env.OUT_DIR), clean: true },
};
