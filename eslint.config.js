// Lint: typescript-eslint's recommended rules plus the house rules that keep the layers apart.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { noImportCycle } from './eslint-rules/import-cycles.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', NodeJS: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // No import cycle among our own modules, type-only imports included (eslint-rules/import-cycles.js).
    files: ['src/**/*.ts'],
    plugins: { adctl: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'adctl/no-import-cycle': 'error' },
  },
  {
    // zod comes from core/zod.ts, which sets it up before any schema is built.
    files: ['src/**/*.ts'],
    ignores: ['src/core/zod.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [
        { name: 'zod', allowTypeImports: true, message: "import * as z from core/zod.ts: it configures zod before any schema is built" },
      ] }],
    },
  },
  {
    // Core imports no plugin, no SDK and no CLI code (DESIGN §1).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/plugins/**', '**/cli/**', '**/services/**', '**/sandbox/**'], message: 'core must not import plugins, services, the sandbox or the CLI' },
        { group: ['twitter-api-v2', 'facebook-nodejs-business-sdk'], message: 'core must not import an SDK' },
      ] }],
    },
  },
  {
    // The sandbox speaks HTTP like the platforms: it imports no plugin.
    files: ['src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/plugins/**', '**/cli/**', '**/services/**'], message: 'the sandbox must not import plugins, services or the CLI' },
        { group: ['twitter-api-v2', 'facebook-nodejs-business-sdk'], message: 'the sandbox must not import an SDK' },
      ] }],
    },
  },
  {
    // Start-up path: the CLI never imports an SDK; plugins load them lazily.
    files: ['src/cli/**/*.ts', 'src/services/**/*.ts', 'src/plugins/index.ts', 'src/plugins/*/manifest.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['twitter-api-v2', 'facebook-nodejs-business-sdk'], message: 'load SDKs only inside a plugin adapter' },
        { group: ['**/plugins/x/adapter*', '**/plugins/meta/adapter*'], message: 'adapters load through the manifest, lazily' },
      ] }],
    },
  },
);
