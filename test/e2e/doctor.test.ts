/**
 * Issue 3 acceptance for `adctl doctor`, against the built binary and a sandbox over real HTTP: all
 * OK on a fresh setup (and the --json shape), with no secret in anything the process prints even
 * with --debug. File modes, expired tokens and clock skew run in-process in test/cli/doctor.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { ALL_SECRETS, runCli, tempConfigDir, type CliResult } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;

interface Check { check: string; status: 'OK' | 'WARN' | 'FAIL'; detail: string; hint: string | null }

/** Endpoints only: with no credentials set, adctl uses this sandbox with its demo credentials. */
const cli = (args: string[]): Promise<CliResult> => runCli(args, {
  configDir, timeoutMs: 40_000,
  env: { ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url, ADCTL_KEYRING: 'off' },
});

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('adctl doctor', () => {
  it('a fresh sandbox setup is all OK, exit 0; --json is an array of {check,status,detail,hint}; no secret even with --debug', async () => {
    const r = await cli(['doctor', '--json', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    const checks = JSON.parse(r.stdout) as Check[];
    for (const c of checks) {
      expect(Object.keys(c)).toEqual(['check', 'status', 'detail', 'hint']);
      expect(c, c.check).toMatchObject({ status: 'OK', hint: null });
    }
    expect(checks.map((c) => c.check)).toEqual(['config', 'secrets file', 'profile', 'secrets store', 'keyring', 'auth x oauth1', 'auth meta', 'api meta', 'api x ads', 'clock']);
    // The cheap reads really went out: users/me (OAuth 1.0a) and debug_token.
    expect(sandbox.requests.map((q) => q.path)).toEqual(expect.arrayContaining(['/2/users/me', expect.stringMatching(/^\/v\d+\.\d+\/debug_token$/)]));
    for (const s of ALL_SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
  }, 60_000);
});
