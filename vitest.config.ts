import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every file: the OS keyring is refused and any attempt fails the file (test/helpers/keyring-setup.ts).
    setupFiles: ['test/helpers/keyring-setup.ts'],
    // Each worker keeps the modules it loaded from one test file to the next (no per-file isolation):
    // loading src/ and both SDKs again for each of ~120 files was over half the suite's CPU. Files
    // share no state through modules: each starts its own sandbox, config dirs and in-process runs,
    // and the keyring guard is set up for every file. Four workers, because many files wait on
    // loopback I/O, rate-limit windows and child processes (measured on this 2-core machine, same
    // tree: isolated with 3 workers 167 s, 4 workers 161 s, 6 workers 133 s; shared modules with 4 workers 70 s).
    isolate: false,
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests never leave this machine: the SDKs' own proxies must not capture loopback calls.
    env: { NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', NO_COLOR: '1' },
  },
});
