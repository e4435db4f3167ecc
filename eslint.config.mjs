// ESLint for the TypeScript sources and the JavaScript tests, scripts and examples.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'prebuilds/', 'node_modules/', 'docs/', 'test/fixtures/ts/dist/'] },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.{ts,mts}'] })),
  {
    files: ['**/*.{ts,mts}'],
    rules: {
      // Unused arguments named _x are intentional (callbacks of fixed shape).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Modules are required lazily where loading them has a cost or a side
      // effect (the preload, the addon, MPI), so require() stays allowed.
      '@typescript-eslint/no-require-imports': 'off',
      // Functions and classes of any shape are sent by reference or by source:
      // `Function` is the honest type there.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
);
