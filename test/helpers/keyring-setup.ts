/**
 * Setup for every test file: the suite never touches the OS keyring of whoever runs it.
 * - Processes started by the tests (and the keyring's own child processes, which inherit the
 *   environment) preload keyring-guard.cjs through NODE_OPTIONS; this worker loads it too.
 * - Any attempt to load the keyring binding is written to this file's own log and refused.
 * - afterAll fails the file when its log has an entry.
 * test/cli/keyring-guard.test.ts shows that the guard really catches an attempt.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';

const GUARD = new URL('./keyring-guard.cjs', import.meta.url).pathname;
const log = join(mkdtempSync(join(tmpdir(), 'adctl-keyring-guard-')), 'attempts.jsonl');
process.env.ADCTL_TEST_KEYRING_LOG = log;
if (!(process.env.NODE_OPTIONS ?? '').includes(GUARD)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${GUARD}`.trim();
}
createRequire(import.meta.url)(GUARD);

/** The keyring attempts recorded so far in this file (one JSON line each). */
export function keyringAttempts(file = log): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

afterAll(() => {
  expect(keyringAttempts(), 'a test reached the OS keyring; run it with ADCTL_KEYRING=off or a fake KeyringBackend').toEqual([]);
});
