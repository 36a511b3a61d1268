/**
 * Issue 3 acceptance for tokens, run in-process (test/helpers/cli.ts) against a sandbox over real HTTP: `auth status` warns when a token expires within 7 days, exits 4
 * with a hint naming `adctl auth login` when it has expired or lacks a scope, and `auth login`
 * exchanges a Meta token for a long-lived one (fb_exchange_token) and stores it in the profile.
 * `auth status --all-profiles` does the same for every stored profile's own tokens. The spawned
 * binary's `auth status` happy path stays in test/e2e/auth.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { SANDBOX_META_APP_ID } from '../../src/sandbox/meta/auth.js';
import { SANDBOX_META } from '../../src/sandbox/credentials.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { tempConfigDir, type CliResult } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const DAY = 24 * 3600 * 1000;

function cli(args: string[], input?: string, extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return runInProcess(args, {
    configDir, input,
    env: { ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url, ADCTL_KEYRING: 'off', ...extraEnv },
  });
}

async function profileWithToken(name: string, token: string, expiresInMs: number | null, scopes?: string[]): Promise<void> {
  sandbox.addCredentials({ platform: 'meta', accessToken: token, appSecret: 'auth-test-app-secret', expiresAt: expiresInMs === null ? null : new Date(Date.now() + expiresInMs).toISOString(), ...(scopes ? { scopes } : {}) });
  const r = await cli(['profile', 'add', name, '--secrets-stdin', '--meta-ad-account', 'act_1001', '--plugins', 'meta'], JSON.stringify({ meta: { accessToken: token, appSecret: 'auth-test-app-secret' } }));
  expect(r.code, r.stderr).toBe(0);
}

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('auth status', () => {
  it('a token that expires in 3 days gives a warning and exit 0', async () => {
    await profileWithToken('soon', 'EAAexpiresSoon3days', 3 * DAY);
    const r = await cli(['--profile', 'soon', 'auth', 'status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout) as Array<{ state: string; store: string; expiresAt: string; scopes: string[] }>;
    expect(row).toMatchObject({ state: 'expiring', store: 'file' });
    expect(Date.parse(row!.expiresAt) - Date.now()).toBeLessThan(3 * DAY + 60_000);
    expect(row!.scopes).toContain('ads_management');
    expect(r.stderr).toMatch(/warning: .*expires.*adctl auth login/);
    expect(r.stdout + r.stderr).not.toContain('EAAexpiresSoon3days');
    // A credential variable overrides the profile's token (env > profile): status reads that token and says its store is env.
    const env = await cli(['--profile', 'soon', 'auth', 'status', '--json'], undefined, { ADCTL_META_ACCESS_TOKEN: SANDBOX_META.accessToken });
    expect(env.code, env.stderr).toBe(0);
    expect(JSON.parse(env.stdout)).toEqual([expect.objectContaining({ profile: 'soon', platform: 'meta', store: 'env', state: 'ok' })]);
  }, 60_000);

  it('an expired token exits 4 with a hint naming adctl auth login', async () => {
    await profileWithToken('old', 'EAAalreadyExpired', -DAY);
    const r = await cli(['--profile', 'old', 'auth', 'status']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('adctl auth login');
    expect(r.stderr).not.toContain('EAAalreadyExpired');
  }, 60_000);

  it('a token lacking ads_management exits 4', async () => {
    await profileWithToken('narrow', 'EAAnarrowScopes', 30 * DAY, ['ads_read']);
    const r = await cli(['--profile', 'narrow', 'auth', 'status']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/lacks the scope ads_management[\s\S]*adctl auth login/);
  }, 60_000);
});

describe('auth status --all-profiles', () => {
  it('shows every stored profile\'s own tokens, warns for the one expiring in 3 days and exits 4 for the expired one', async () => {
    await profileWithToken('client-a', 'EAAallProfilesSoon', 3 * DAY);
    await profileWithToken('client-b', 'EAAallProfilesGone', -DAY);
    // A credential variable in the environment does not replace the profiles' own tokens here.
    const r = await runInProcess(['auth', 'status', '--all-profiles', '--json'], {
      configDir,
      env: { ADCTL_META_GRAPH_URL: sandbox.url, ADCTL_X_API_URL: sandbox.url, ADCTL_KEYRING: 'off', ADCTL_META_ACCESS_TOKEN: 'EAAfromTheEnvironment' },
    });
    expect(r.code).toBe(4);
    const rows = JSON.parse(r.stdout) as Array<{ profile: string; platform: string; state: string; store: string }>;
    expect(rows.map((x) => [x.profile, x.platform, x.state, x.store])).toEqual([['client-a', 'meta', 'expiring', 'file'], ['client-b', 'meta', 'expired', 'file']]);
    expect(r.stderr).toMatch(/warning: the meta token of profile client-a expires/);
    expect(r.stderr).toContain('adctl auth login --platform meta --profile client-b');
    expect(r.stdout + r.stderr).not.toMatch(/EAAallProfiles|EAAfromTheEnvironment/);
  }, 60_000);
});

describe('auth login (Meta)', () => {
  it('exchanges a short-lived token for a long-lived one and stores it', async () => {
    await profileWithToken('acme', 'EAAshortLivedToken', 3600_000);
    const secretFile = join(configDir, 'app-secret.txt');
    writeFileSync(secretFile, 'auth-test-app-secret\n');
    let r = await cli(['--profile', 'acme', 'auth', 'login', '--platform', 'meta', '--token-stdin', '--app-id', SANDBOX_META_APP_ID, '--app-secret-file', secretFile, '--json'], 'EAAshortLivedToken\n');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { exchanged: boolean; expiresAt: string };
    expect(out.exchanged).toBe(true);
    expect(Date.parse(out.expiresAt) - Date.now()).toBeGreaterThan(50 * DAY);
    expect(sandbox.requests.some((q) => q.path.endsWith('/oauth/access_token') && q.query.grant_type === 'fb_exchange_token')).toBe(true);
    expect(r.stdout + r.stderr).not.toMatch(/EAALONG|EAAshortLivedToken|auth-test-app-secret/);
    // The stored long-lived token is what the next run uses: status is ok, no warning.
    r = await cli(['--profile', 'acme', 'auth', 'status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ state: string }>)[0]!.state).toBe('ok');
    sandbox.requests.length = 0;
    r = await cli(['--profile', 'acme', 'auth', 'logout', '--platform', 'meta']);
    expect(r.code, r.stderr).toBe(0);
    r = await cli(['--profile', 'acme', 'auth', 'status']);
    expect(r.code).toBe(4);
    // Any command that needs the removed token says how to get one back.
    r = await cli(['--profile', 'acme', 'campaign', 'list', '--platform', 'meta']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('hint: run `adctl auth login --platform meta --profile acme`');
  }, 60_000);
});
