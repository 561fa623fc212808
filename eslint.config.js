// Process boundaries are enforced here: only the IPC wrappers may touch ipcMain/ipcRenderer, and each
// folder imports only what its allow-list names (renderer: React and common/; common: zod; preload:
// electron and common/; main: Node and runtime dependencies, Electron only in main/electron).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

import { readFileSync } from 'node:fs';
import allowList from './scripts/eslint/import-allow-list.mjs';

/** What shipped main-process code may import: Node's built-ins and the runtime dependencies, nothing from devDependencies. */
const mainPackages = ['node:*', ...Object.keys(JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).dependencies)];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '.cache/**', 'bench/.work/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { lariat: allowList },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "Identifier[name='ipcMain']",
          message: 'Use main/electron/ipc-main.ts: handlers register through the contract wrapper.',
        },
        { selector: "Identifier[name='ipcRenderer']", message: 'Only preload/ talks to ipcRenderer.' },
        {
          selector:
            "ImportDeclaration[source.value='zod'][importKind!='type'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message:
            "import * as z from 'zod': the `z` object holds all of zod, so importing it keeps every part of zod (60-odd locales too) in the CLI's bundle (esbuild), which each command compiles at start.",
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(prepare|exec)$/] > TemplateLiteral.arguments:first-child > :not(TemplateElement, Identifier[name=/^[A-Z][A-Z0-9_]*$/])',
          message:
            'SQL is parameterised: pass values as ? parameters. Interpolate only CONSTANT fragments, or fixed fragments from a whitelist (say so with an eslint-disable-next-line comment).',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|exec)$/] > BinaryExpression.arguments:first-child',
          message: 'SQL is parameterised: do not build statements by string concatenation.',
        },
      ],
    },
  },
  {
    // Tests craft SQL on purpose (tampering with ledgers, snapshots of every table).
    files: ['test/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['main/electron/ipc-main.ts', 'main/electron/windows.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['preload/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'lariat/import-allow-list': [
        'error',
        {
          boundary: 'renderer/ (no Node, no Electron: it reaches main only through window.lariat)',
          packages: ['react', 'react-dom', '@tanstack/react-query', '@tanstack/react-virtual', 'dompurify', 'marked'],
          folders: ['renderer', 'common', 'resources/report-templates'],
        },
      ],
    },
  },
  {
    files: ['common/**'],
    rules: {
      'lariat/import-allow-list': [
        'error',
        { boundary: 'common/ (shared with the renderer: no Node, no main)', packages: ['zod'], folders: ['common'] },
      ],
    },
  },
  {
    files: ['preload/**'],
    rules: {
      'lariat/import-allow-list': [
        'error',
        { boundary: 'preload/ (the one narrow bridge)', packages: ['electron'], folders: ['preload', 'common'] },
      ],
    },
  },
  {
    // Main runs without Electron (except main/electron) and ships only runtime dependencies.
    files: ['main/**'],
    ignores: ['main/electron/**', 'main/transport/**', 'main/reports/render/pdf.ts'],
    rules: {
      'lariat/import-allow-list': [
        'error',
        {
          boundary: 'main/ (services run without Electron; shipped code uses runtime dependencies only)',
          packages: mainPackages,
          folders: ['main', 'common'],
        },
      ],
    },
  },
  {
    files: ['main/electron/**'],
    rules: {
      'lariat/import-allow-list': [
        'error',
        { boundary: 'main/electron/', packages: [...mainPackages, 'electron'], folders: ['main', 'common'] },
      ],
    },
  },
  {
    // The loopback transport serves tests only (never started by the app); the CLI prints PDFs with Chromium.
    files: ['main/transport/**', 'main/reports/render/pdf.ts'],
    rules: {
      'lariat/import-allow-list': [
        'error',
        { boundary: 'test and CLI glue', packages: [...mainPackages, 'ws', 'playwright-core'], folders: ['main', 'common'] },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
