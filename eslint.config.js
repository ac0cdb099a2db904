// Lint: recommended JS + TypeScript rules; the engine additionally may not import Node APIs or use global randomness/clock.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'coverage', '**/*.js', '!eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // Prettier wraps code at 120 columns; comments, strings and test names are wrapped by hand
      'max-len': ['error', { code: 120, ignoreUrls: false }],
    },
  },
  {
    // The two browser front ends (dashboard/workbench in web/, survey and AHP forms in web-survey/): hooks are called
    // unconditionally and effects list what they read.
    files: ['web/src/**/*.{ts,tsx}', 'web-survey/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'stream'],
              message: 'The engine is pure and browser-safe: no Node APIs.',
            },
            {
              group: ['**/formats/*', '**/report/*', '**/app/*', '**/store/*', '**/server/*', '**/web/*', '**/cli/*'],
              message: 'The engine may not import outer layers.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Pass a seeded RNG instead.' },
        { object: 'Date', property: 'now', message: 'The engine has no clock.' },
      ],
      'no-restricted-globals': ['error', 'process', 'require', 'Buffer', '__dirname'],
    },
  },
);
