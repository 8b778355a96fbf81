// Lint: typescript-eslint's recommended rules, plus the one architectural rule
// that matters most: the protocol core never touches I/O, clocks or randomness.
import tseslint from 'typescript-eslint';

const pureCore = ['server/wire/**/*.ts', 'server/tree/**/*.ts', 'server/core/**/*.ts', 'server/storage/**/*.ts', 'server/zab/**/*.ts', 'harness/checker/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: pureCore,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['node:*', 'fs', 'net', 'os', 'child_process', 'crypto', 'timers', 'dgram', 'http'],
          message: 'The protocol core is free of I/O: pass a Clock, Rng, Net or Disk in instead.' }],
      }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Use the injected Clock.' },
        { object: 'Math', property: 'random', message: 'Use the injected Rng.' },
        { object: 'performance', property: 'now', message: 'Use the injected Clock.' },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'process'],
    },
  },
);
