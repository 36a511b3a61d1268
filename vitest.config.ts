import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every file: the OS keyring is refused and any attempt fails the file (test/helpers/keyring-setup.ts).
    setupFiles: ['test/helpers/keyring-setup.ts'],
    // Most files wait on loopback I/O and child processes rather than the CPU, so on a 2-core machine three
    // workers finish the suite in about 60 % of the default's time (measured: 3m55s → 2m20s on the same tree).
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests never leave this machine: the SDKs' own proxies must not capture loopback calls.
    env: { NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', NO_COLOR: '1' },
  },
});
