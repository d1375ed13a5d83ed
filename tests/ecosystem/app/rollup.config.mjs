// The app's own Rollup config: the usual node-resolve for a browser build.
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'web/index.js',
  output: { dir: process.env.OUT_DIR, format: 'es' },
  plugins: [nodeResolve({ browser: true })],
};
