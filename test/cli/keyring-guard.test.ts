/**
 * The keyring guard works: a process started by the tests that tries to load the OS keyring
 * binding is refused and recorded, so the afterAll check in test/helpers/keyring-setup.ts would
 * fail its file. Both paths adctl takes are shown: a spawned process, and adctl run in-process
 * with the keyring turned on (its keyring child process inherits the guard).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolationEnv } from '../e2e/helpers.js';
import { runInProcess } from '../helpers/cli.js';
import { keyringAttempts } from '../helpers/keyring-setup.js';

const scratchLog = () => join(mkdtempSync(join(tmpdir(), 'adctl-guard-proof-')), 'attempts.jsonl');

describe('the OS keyring is off limits in tests', () => {
  it('every process a test starts carries the guard and ADCTL_KEYRING=off', () => {
    const env = isolationEnv();
    expect(env.ADCTL_KEYRING).toBe('off');
    expect(env.NODE_OPTIONS).toContain('keyring-guard.cjs');
    expect(env.ADCTL_TEST_KEYRING_LOG).toBe(process.env.ADCTL_TEST_KEYRING_LOG);
  });

  it('a spawned process that loads the keyring binding is refused and recorded', () => {
    const log = scratchLog();
    const r = spawnSync(process.execPath, ['-e', "require('@napi-rs/keyring'); console.log('reached')"], {
      env: { ...isolationEnv(), PATH: process.env.PATH ?? '', ADCTL_TEST_KEYRING_LOG: log }, encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname,
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain('reached');
    expect(keyringAttempts(log)).toHaveLength(1);
  });

  it('adctl with the keyring turned on never reaches it: the attempt is recorded and the secrets go to the file', async () => {
    const own = process.env.ADCTL_TEST_KEYRING_LOG;
    const log = scratchLog();
    process.env.ADCTL_TEST_KEYRING_LOG = log;
    try {
      const r = await runInProcess(['profile', 'add', 'guarded', '--secrets-stdin', '--meta-ad-account', 'act_1'], {
        env: { ADCTL_KEYRING: 'on' }, input: JSON.stringify({ meta: { accessToken: 'EAAguardProofToken' } }),
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('0600 credentials file');
    } finally {
      process.env.ADCTL_TEST_KEYRING_LOG = own;
    }
    expect(keyringAttempts(log).length).toBeGreaterThan(0);
    expect(readFileSync(log, 'utf8')).toContain('"pid"');
  });
});
