/**
 * Issue 3 acceptance for `adctl doctor`, run in-process (test/helpers/cli.ts) against a sandbox over
 * real HTTP: a credentials file readable by others is FAIL with `chmod 600` and exit 78; an expired
 * token is FAIL with exit 4 naming `adctl auth login`; a skewed Date header from the platform is WARN
 * past 30 s and FAIL past 5 minutes. The all-OK fresh setup runs the built binary in
 * test/e2e/doctor.test.ts.
 */
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { tempConfigDir, type CliResult } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const DAY = 86_400_000;

interface Check { check: string; status: 'OK' | 'WARN' | 'FAIL'; detail: string; hint: string | null }

/** Endpoints only: with no credentials set, adctl uses this sandbox with its demo credentials. */
const cli = (args: string[], input?: string): Promise<CliResult> => runInProcess(args, {
  configDir, input,
  env: { ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url, ADCTL_KEYRING: 'off' },
});

async function metaProfile(name: string, token: string, expiresInMs: number): Promise<void> {
  sandbox.addCredentials({ platform: 'meta', accessToken: token, appSecret: 'doctor-app-secret', expiresAt: new Date(Date.now() + expiresInMs).toISOString() });
  const r = await cli(['profile', 'add', name, '--secrets-stdin', '--meta-ad-account', 'act_1001', '--plugins', 'meta'], JSON.stringify({ meta: { accessToken: token, appSecret: 'doctor-app-secret' } }));
  expect(r.code, r.stderr).toBe(0);
}

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('adctl doctor', () => {
  it('a credentials file readable by group or others is FAIL with `chmod 600` and exit 78; a token expiring in 3 days is WARN', async () => {
    await metaProfile('acme', 'EAAdoctorModeToken', 3 * DAY);
    const file = join(configDir, 'credentials.json');
    chmodSync(file, 0o644);
    const r = await cli(['--profile', 'acme', 'doctor']);
    expect(r.code).toBe(78);
    expect(r.stdout).toMatch(new RegExp(`^FAIL\\s+secrets file\\s+${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is mode 0644: readable by group or others$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^\\s+hint: chmod 600 ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
    // The token is still checked: one FAIL does not hide the rest.
    expect(r.stdout).toMatch(/^WARN\s+auth meta\s+token expires \S+, within 7 days\n\s+hint: run `adctl auth login --platform meta --profile acme/m);
    expect(statSync(file).mode & 0o777).toBe(0o644); // doctor reports, it does not change files
    expect(r.stdout + r.stderr).not.toContain('EAAdoctorModeToken');
  }, 60_000);

  it('an expired token is FAIL, exit 4, with a hint naming adctl auth login', async () => {
    await metaProfile('old', 'EAAdoctorExpiredToken', -DAY);
    const r = await cli(['--profile', 'old', 'doctor', '--json']);
    expect(r.code).toBe(4);
    const meta = (JSON.parse(r.stdout) as Check[]).find((c) => c.check === 'auth meta')!;
    expect(meta.status).toBe('FAIL');
    expect(meta.detail).toMatch(/^token expired/);
    expect(meta.hint).toContain('adctl auth login --platform meta --profile old');
    expect(r.stdout + r.stderr).not.toContain('EAAdoctorExpiredToken');
    expect(r.stdout + r.stderr).not.toContain('doctor-app-secret');
  }, 60_000);

  it('a platform clock 2 minutes off is WARN (exit 0); 10 minutes off is FAIL (exit 78)', async () => {
    sandbox.addFault({ platform: 'x', path: '/2/users/me', action: { type: 'date_skew', seconds: -120 } });
    let r = await cli(['doctor', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const clock = (JSON.parse(r.stdout) as Check[]).find((c) => c.check === 'clock')!;
    expect(clock).toMatchObject({ status: 'WARN' });
    expect(clock.detail).toMatch(/^local clock is 1(19|20|21) s ahead of x's$/);
    expect(clock.hint).toMatch(/NTP/);

    sandbox.clearFaults();
    sandbox.addFault({ platform: 'meta', path: '/debug_token', action: { type: 'date_skew', seconds: 600 } });
    r = await cli(['doctor']);
    expect(r.code).toBe(78);
    expect(r.stdout).toMatch(/^FAIL\s+clock\s+local clock is (599|600|601) s behind meta's$/m);
  }, 60_000);
});
