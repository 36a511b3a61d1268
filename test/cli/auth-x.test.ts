/**
 * Issue 3 acceptance for X tokens, run in-process (test/helpers/cli.ts) against the sandbox over real
 * HTTP:
 * - `auth login --platform x`: a wrong PIN is refused; without a TTY the PIN must come from stdin.
 * - A refreshable OAuth 2.0 token close to expiry is refreshed and stored without user action.
 * - Posts-only profiles hold just an OAuth 2.0 token.
 * - A token that expires in 3 days warns; an expired or revoked one exits 4 naming `adctl auth login`.
 * The PIN and PKCE logins (the test answers while the process waits) and parallel refreshes run the
 * built binary in test/e2e/auth-x.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { SANDBOX_X_OAUTH2, addXOAuth2Token } from '../../src/sandbox/x/auth-state.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { tempConfigDir, type CliResult } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const env = () => ({ ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url, ADCTL_KEYRING: 'off' });
const cli = (args: string[], input?: string): Promise<CliResult> => runInProcess(args, { configDir, input, env: env() });

function stored(profile: string): { x?: { accessToken?: string; oauth2?: { accessToken: string; refreshToken?: string; expiresAt?: string } } } {
  return (JSON.parse(readFileSync(join(configDir, 'credentials.json'), 'utf8')) as Record<string, never>)[profile]!;
}

/** A profile with the sandbox's OAuth 1.0a set plus an OAuth 2.0 token the sandbox knows. */
async function profileWithOAuth2(name: string, t: { access: string; refresh?: string; expiresInMs: number; scopes?: string[] }): Promise<void> {
  const expiresAt = new Date(Date.now() + t.expiresInMs).toISOString();
  addXOAuth2Token(sandbox.state, { accessToken: t.access, refreshToken: t.refresh ?? null, expiresAt, ...(t.scopes ? { scopes: t.scopes } : {}) });
  const oauth2 = { clientId: SANDBOX_X_OAUTH2.clientId, accessToken: t.access, expiresAt, scopes: t.scopes ?? ['tweet.read', 'tweet.write', 'users.read', 'offline.access'], ...(t.refresh ? { refreshToken: t.refresh } : {}) };
  const secrets = { x: { apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret, oauth2 } };
  const r = await cli(['profile', 'add', name, '--secrets-stdin', '--x-ads-account', SANDBOX_X.adsAccountId, '--plugins', 'x'], JSON.stringify(secrets));
  expect(r.code, r.stderr).toBe(0);
}

const refreshCalls = () => sandbox.requests.filter((q) => q.path === '/2/oauth2/token' && q.params.grant_type === 'refresh_token');

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('auth login --platform x', () => {
  it('a wrong PIN is refused with exit 4, and nothing is stored', async () => {
    await cli(['profile', 'add', 'acme', '--secrets-stdin', '--plugins', 'x'], JSON.stringify({ x: { apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: 'old-token-0000', accessSecret: 'old-secret-0000' } }));
    // The wrong PIN is on stdin from the start: the run prints the URL, then reads it.
    const r = await cli(['--profile', 'acme', 'auth', 'login', '--platform', 'x', '--pin-stdin'], '0000000\n');
    expect(r.stderr).toMatch(/oauth\/authorize\?oauth_token=\S+/);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('adctl auth login --platform x');
    expect(stored('acme').x!.accessToken).toBe('old-token-0000');
  }, 60_000);

  it('without a TTY and without --pin-stdin it exits 64 naming the flag, before sending anything', async () => {
    await cli(['profile', 'add', 'acme', '--secrets-stdin', '--plugins', 'x'], JSON.stringify({ x: { apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: 'old-token-0000', accessSecret: 'old-secret-0000' } }));
    const r = await cli(['--profile', 'acme', 'auth', 'login', '--platform', 'x', '--no-input']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--pin-stdin');
    expect(sandbox.requests).toHaveLength(0);
  }, 60_000);
});

describe('X OAuth 2.0 refresh', () => {
  it('a refreshable token about to expire is refreshed and stored without user action', async () => {
    await profileWithOAuth2('acme', { access: 'xo2-old-access-token-aaaa', refresh: 'xo2-old-refresh-token-bbbb', expiresInMs: 60_000 });
    let r = await cli(['--profile', 'acme', 'auth', 'status', '--json', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect(refreshCalls()).toHaveLength(1);
    const o2 = stored('acme').x!.oauth2!;
    expect(o2.accessToken).not.toBe('xo2-old-access-token-aaaa');
    expect(o2.refreshToken).not.toBe('xo2-old-refresh-token-bbbb');
    expect(Date.parse(o2.expiresAt!) - Date.now()).toBeGreaterThan(HOUR);
    const rows = JSON.parse(r.stdout) as Array<{ credential: string; state: string; expiresAt: string }>;
    expect(rows.find((x) => x.credential === 'oauth2')).toMatchObject({ state: 'ok', expiresAt: o2.expiresAt });
    // users/me was asked with the new token, and no token shows in the output.
    expect(sandbox.requests.filter((q) => q.path === '/2/users/me' && q.identity?.startsWith('oauth2:')).map((q) => q.identity)).toEqual([`oauth2:${o2.accessToken}`]);
    for (const s of ['xo2-old-access-token-aaaa', 'xo2-old-refresh-token-bbbb', o2.accessToken, o2.refreshToken!]) expect(r.stdout + r.stderr).not.toContain(s);
    // The next run uses the stored fresh token: no second refresh.
    r = await cli(['--profile', 'acme', 'auth', 'status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(refreshCalls()).toHaveLength(1);
  }, 60_000);

  it('an expired token whose refresh token was revoked exits 4 with a hint naming adctl auth login', async () => {
    await profileWithOAuth2('acme', { access: 'xo2-old-access-token-eeee', refresh: 'xo2-old-refresh-token-ffff', expiresInMs: -HOUR });
    await fetch(`${sandbox.url}/2/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: 'xo2-old-refresh-token-ffff', client_id: SANDBOX_X_OAUTH2.clientId }) });
    const r = await cli(['--profile', 'acme', 'post', 'list', '--channel', 'x']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('adctl auth login --platform x');
    expect(r.stderr).not.toContain('xo2-old-refresh-token-ffff');
  }, 60_000);
});

describe('X profiles with only an OAuth 2.0 token', () => {
  it('profile add accepts them (posts-only profile); auth status checks the token; a partial OAuth 1.0a set is still refused', async () => {
    const expiresAt = new Date(Date.now() + 2 * HOUR).toISOString();
    addXOAuth2Token(sandbox.state, { accessToken: 'xo2-only-access-token-jjjj', refreshToken: 'xo2-only-refresh-token-kkkk', expiresAt });
    const oauth2 = { clientId: SANDBOX_X_OAUTH2.clientId, accessToken: 'xo2-only-access-token-jjjj', refreshToken: 'xo2-only-refresh-token-kkkk', expiresAt, scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] };
    let r = await cli(['profile', 'add', 'posts-only', '--secrets-stdin', '--plugins', 'x', '--json'], JSON.stringify({ x: { oauth2 } }));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ name: 'posts-only', store: { x: 'file' } });
    expect(stored('posts-only').x).toEqual({ oauth2 });
    r = await cli(['--profile', 'posts-only', 'auth', 'status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ credential: string; state: string }>).map((x) => [x.credential, x.state])).toEqual([['oauth2', 'ok']]);
    expect(sandbox.requests.find((q) => q.path === '/2/users/me')?.identity).toBe('oauth2:xo2-only-access-token-jjjj');
    r = await cli(['profile', 'add', 'half', '--secrets-stdin', '--no-input'], JSON.stringify({ x: { oauth2, apiKey: 'only-a-consumer-key' } }));
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--x-api-secret-file');
  }, 60_000);
});

describe('auth status for X OAuth 2.0', () => {
  it('a token without refresh that expires in 3 days gives a warning and exit 0', async () => {
    await profileWithOAuth2('acme', { access: 'xo2-three-days-token-gggg', expiresInMs: 3 * DAY });
    const r = await cli(['--profile', 'acme', 'auth', 'status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ credential: string; state: string }>;
    expect(rows.map((x) => [x.credential, x.state])).toEqual([['oauth1', 'ok'], ['oauth2', 'expiring']]);
    expect(r.stderr).toMatch(/warning: .*x token of profile acme expires.*adctl auth login/);
    expect(refreshCalls()).toHaveLength(0);
  }, 60_000);

  it('an expired token without refresh exits 4 with a hint naming adctl auth login', async () => {
    await profileWithOAuth2('acme', { access: 'xo2-expired-token-hhhh', expiresInMs: 3 * DAY });
    await fetch(`${sandbox.url}/__sandbox/x/oauth2/expire`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessToken: 'xo2-expired-token-hhhh' }) });
    const r = await cli(['--profile', 'acme', 'auth', 'status']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/OAuth 2\.0 token of profile acme has expired/);
    expect(r.stderr).toContain('adctl auth login --platform x --flow pkce --profile acme');
  }, 60_000);

  it('a token lacking tweet.write exits 4 naming the scope', async () => {
    await profileWithOAuth2('acme', { access: 'xo2-narrow-token-iiii', expiresInMs: 90 * DAY, scopes: ['tweet.read', 'users.read'] });
    const r = await cli(['--profile', 'acme', 'auth', 'status']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/lacks the scope tweet\.write[\s\S]*adctl auth login/);
  }, 60_000);
});
