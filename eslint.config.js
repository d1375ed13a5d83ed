// ESLint (flat config): the recommended rules over the JavaScript of js/, tests/, scripts/,
// web-demo/ and bench/, with each folder's globals. Formatting is Prettier's (.prettierrc.json).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['build/', 'dist/', 'third_party/', 'coverage/', 'bench/corpus/'] },
  js.configs.recommended,
  {
    rules: {
      // `_` (or a leading underscore) marks what is deliberately unused: for (const _ of steps).
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // The library runs in browsers, workers and Node alike.
  { files: ['js/**/*.js'], languageOptions: { globals: { ...globals.browser, ...globals.node } } },
  // The demo page and its modules run in the browser; worker.js in a Web Worker.
  { files: ['web-demo/**/*.js'], ignores: ['web-demo/server.js'], languageOptions: { globals: globals.browser } },
  { files: ['web-demo/worker.js'], languageOptions: { globals: globals.worker } },
  { files: ['web-demo/server.js', 'scripts/**', 'bench/**', 'tests/**/*.mjs'], languageOptions: { globals: globals.node } },
  { files: ['eslint.config.js'], languageOptions: { globals: globals.node } },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
  },
  // Browser tests hand functions to the page (page.evaluate): they see the page's globals.
  { files: ['tests/browser/**'], languageOptions: { globals: globals.browser } },
  // The ecosystem app runs in browsers, workers, Node, Deno, Bun and workerd; its configs in Node.
  {
    files: ['tests/ecosystem/app/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
  },
];
