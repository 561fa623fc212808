// Process boundaries are enforced here: only the IPC wrappers may touch
// ipcMain/ipcRenderer, and the renderer may import neither Node nor Electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'stream',
  'zlib',
  'worker_threads',
  'url',
  'util',
  'events',
  'buffer',
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '.cache/**', 'bench/.work/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
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
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer has no Electron: use window.lariat through renderer/lib/api.ts.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node.' },
            { group: ['**/main/**', '../main/*', '../../main/*'], message: 'The renderer reaches main only through the contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**', 'common/**'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Services must run without Electron: inject what you need from main/electron/.' }] },
      ],
    },
  },
  {
    files: ['common/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'common/ is shared with the renderer: no Electron.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'common/ is shared with the renderer: no Node.' })),
          ],
          patterns: [{ group: ['node:*', '**/main/**'], message: 'common/ is shared with the renderer: no Node, no main.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
