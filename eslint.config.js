// Lint: the recommended rules of ESLint and typescript-eslint, and the architecture of
// docs/design.md ("Architecture"): dependencies point one way, core <- store <- catalog <- http <-
// app <- main (cli beside http), and only config.ts and main.ts read the environment.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports a layer may not make: the folders above it. */
const forbid = (...folders) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: folders.map((folder) => ({
        group: [`**/${folder}`, `**/${folder}/**`, `**/${folder}.js`],
        message: `Dependencies point one way (docs/design.md, Architecture): this folder may not import ${folder}.`,
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'scratch/**', 'test/fixtures/**', '.vitest-results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
        Response: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  { files: ['src/core/**'], rules: forbid('store', 'catalog', 'http', 'cli', 'app', 'main', 'config') },
  { files: ['src/store/**'], rules: forbid('catalog', 'http', 'cli', 'app', 'main', 'config') },
  { files: ['src/catalog/**'], rules: forbid('http', 'cli', 'app', 'main', 'config') },
  { files: ['src/http/**'], rules: forbid('cli', 'app', 'main', 'config') },
  { files: ['src/cli/**'], rules: forbid('http', 'app', 'main', 'config') },
  {
    files: ['src/**'],
    ignores: ['src/config.ts', 'src/main.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/config.ts and src/main.ts read the environment (docs/design.md, Architecture).' },
      ],
    },
  },
);
