// eslint (flat config): the recommended rules for the browser client's ES modules, node's globals for
// its unit tests. `npm run lint` here, or scripts/lint from the repository root.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/', 'vendor/'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.browser } },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['test/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
];
