// Preloaded into every Node process the tests start (NODE_OPTIONS=--require, set by
// test/helpers/keyring-setup.ts and passed on by the spawn helpers) and into the test workers
// themselves: loading the OS keyring binding (@napi-rs/keyring) is recorded in
// ADCTL_TEST_KEYRING_LOG and refused, so no test ever reads or writes the keyring of whoever
// runs the suite. Each test file's afterAll fails when its log is not empty.
const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const KEYRING = /[\\/]@napi-rs[\\/]keyring([\\/]|$)|^@napi-rs\/keyring$/;
const load = Module._load;
Module._load = function guardedLoad(request) {
  if (typeof request === 'string' && KEYRING.test(request)) {
    const log = process.env.ADCTL_TEST_KEYRING_LOG;
    if (log) appendFileSync(log, `${JSON.stringify({ pid: process.pid, argv: process.argv.slice(2, 3).join(' ').slice(0, 120) })}\n`);
    throw new Error('the OS keyring is off limits in tests (test/helpers/keyring-guard.cjs)');
  }
  return load.apply(this, arguments);
};
