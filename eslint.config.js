// Lint with the layer rules of docs/architecture.md §2: src/shared is the contract (no Node, DOM or
// Electron), the renderer talks only through it (no Node, no Electron, no core), core stays
// Electron-free, and only src/core/sheets/xlsx.ts speaks exceljs.
import tseslint from 'typescript-eslint';

// exceljs's API (and its quirks: 1-based rows, its own Buffer type) stays in one module, so the
// pinned version can be upgraded by reading one file.
const EXCELJS = { group: ['exceljs', 'exceljs/*'], message: 'Only src/core/sheets/xlsx.ts imports exceljs: add what you need there.' };

const ELECTRON_FREE = { group: ['electron', '**/main/**', '**/renderer/**'], message: 'Core, workers, CLI and server stay Electron-free.' };

const NODE_MODULES = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'worker_threads', 'stream', 'url', 'util', 'events', 'zlib', 'buffer'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'tools/**', 'bench/results/**', 'bench/scratch/**', 'resources/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // Typed EventEmitters declare their `on`/`emit` overloads in a merged interface on purpose.
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: NODE_MODULES, message: 'src/shared is the contract: no Node imports.' },
          { group: ['electron', 'react', 'react-dom', '**/core/**', '**/main/**', '**/renderer/**', '**/workers/**'], message: 'src/shared imports nothing outside itself.' },
          EXCELJS,
        ],
      }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: NODE_MODULES, message: 'The renderer never imports Node: go through src/shared and the transport.' },
          { group: ['electron', '**/core/**', '**/main/**', '**/workers/**', '**/cli/**', '**/server/**'], message: 'The renderer talks only through src/shared.' },
          EXCELJS,
        ],
      }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/workers/**/*.ts', 'src/cli/**/*.ts', 'src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [ELECTRON_FREE, EXCELJS],
      }],
    },
  },
  {
    files: ['src/main/**/*.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [EXCELJS] }] },
  },
  {
    // The one module that speaks exceljs (later blocks replace a rule's options for their files).
    files: ['src/core/sheets/xlsx.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ELECTRON_FREE] }] },
  },
);
