#!/usr/bin/env node
// Bundles the CLI for start-up speed: commander and our own start-up modules go into one small
// entry chunk; every command's services, the sandbox and each plugin adapter become lazy chunks;
// the SDKs and other dependencies stay external and load only when a command needs them.
// (tsc still type-checks and emits dist/ for the multi-process tests that import modules.)
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bundle',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['twitter-api-v2', 'facebook-nodejs-business-sdk', 'zod', 'conf', 'chalk', '@inquirer/prompts'],
  // Bundled CommonJS (commander) calls require() for Node built-ins: give ESM output a real one.
  banner: { js: "import { createRequire as __adctlCreateRequire } from 'node:module'; const require = __adctlCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
