#!/usr/bin/env node
// Tiny shim: everything lives in dist/. Kept free of imports so start-up stays cheap.
import('../dist/bundle/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`adctl: failed to start: ${err && err.message ? err.message : String(err)}\n` +
    'hint: run `npm install` (it builds dist/), then try again\n');
  process.exitCode = 1;
});
