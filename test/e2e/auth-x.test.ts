/**
 * Issue 3 acceptance for X tokens, against the sandbox over real HTTP:
 * - `auth login --platform x`: the OAuth 1.0a PIN flow (the PIN read from the sandbox's authorize
 *   page, as a user would) and OAuth 2.0 PKCE with the loopback redirect (the test plays the browser).
 * - A refreshable OAuth 2.0 token close to expiry is refreshed and stored without user action;
 *   parallel runs spend the single-use refresh token once.
 * - A token that expires in 3 days warns; an expired or revoked one exits 4 naming `adctl auth login`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { SANDBOX_X_OAUTH2, addXOAuth2Token, xAuthOf } from '../../src/sandbox/x/auth-state.js';
import { useSandbox } from '../helpers/sandbox.js';
import { BIN, clockEnv, runCli, tempConfigDir, type CliResult } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const env = () => ({ ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url, ADCTL_KEYRING: 'off' });
const cli = (args: string[], input?: string): Promise<CliResult> => runCli(args, { configDir, input, timeoutMs: 40_000, env: env() });

/** A running CLI whose stderr the test reads while it runs (it waits for a browser or a PIN). */
function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: configDir, ADCTL_CONFIG_DIR: configDir, NO_PROXY: '127.0.0.1,localhost', ...clockEnv(), ...env() },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    waiters.splice(0).forEach((w) => w());
  });
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, modules: [] })));
  return {
    child,
    done,
    /** Resolves with the first match of `re` in stderr (the process prints the URL there). */
    async stderrMatch(re: RegExp): Promise<RegExpMatchArray> {
      for (;;) {
        const m = re.exec(stderr);
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before printing ${re}: ${stderr}`);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}

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
  it('OAuth 1.0a PIN flow: request token, authorize page, PIN on stdin, access token stored and used for the Ads API', async () => {
    const r0 = await cli(['profile', 'add', 'acme', '--secrets-stdin', '--x-ads-account', SANDBOX_X.adsAccountId, '--plugins', 'x'],
      JSON.stringify({ x: { apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: 'placeholder-old-token', accessSecret: 'placeholder-old-secret' } }));
    expect(r0.code, r0.stderr).toBe(0);
    const run = start(['--profile', 'acme', 'auth', 'login', '--platform', 'x', '--pin-stdin', '--no-input', '--json']);
    const [url] = await run.stderrMatch(/http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?oauth_token=\S+/);
    const page = await (await fetch(url)).text();
    const pin = /<code id="oauth_pin">(\d+)<\/code>/.exec(page)![1]!;
    run.child.stdin.end(`${pin}\n`);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ platform: 'x', flow: 'pin', userId: SANDBOX_X.userId, store: 'file' });
    const token = stored('acme').x!.accessToken!;
    expect(token).not.toBe('placeholder-old-token');
    expect(r.stdout + r.stderr).not.toContain(token);
    // The signed request_token and access_token calls reached the sandbox, and the new token works on the Ads API.
    expect(sandbox.requests.filter((q) => q.path.startsWith('/oauth/')).map((q) => `${q.method} ${q.path} ${q.status}`))
      .toEqual(['POST /oauth/request_token 200', 'GET /oauth/authorize 200', 'POST /oauth/access_token 200']);
    sandbox.requests.length = 0;
    const list = await cli(['--profile', 'acme', 'campaign', 'list', '--platform', 'x', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(sandbox.requests.find((q) => q.path.startsWith('/12/'))?.identity).toBe(`${SANDBOX_X.apiKey}:${token}`);
  }, 60_000);

  it('a wrong PIN is refused with exit 4, and nothing is stored', async () => {
    await cli(['profile', 'add', 'acme', '--secrets-stdin', '--plugins', 'x'], JSON.stringify({ x: { apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: 'old-token-0000', accessSecret: 'old-secret-0000' } }));
    const run = start(['--profile', 'acme', 'auth', 'login', '--platform', 'x', '--pin-stdin']);
    await run.stderrMatch(/oauth\/authorize\?oauth_token=\S+/);
    run.child.stdin.end('0000000\n');
    const r = await run.done;
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

  it('OAuth 2.0 PKCE: loopback redirect, code exchanged with the verifier, tokens stored 0600, posts go out with the Bearer token', async () => {
    await cli(['profile', 'add', 'acme', '--secrets-stdin', '--x-ads-account', SANDBOX_X.adsAccountId, '--plugins', 'x'],
      JSON.stringify({ x: { apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret } }));
    const secretFile = join(configDir, 'client-secret.txt');
    writeFileSync(secretFile, `${SANDBOX_X_OAUTH2.clientSecret}\n`);
    const run = start(['--profile', 'acme', 'auth', 'login', '--platform', 'x', '--client-id', SANDBOX_X_OAUTH2.clientId, '--client-secret-file', secretFile, '--redirect-port', '0', '--json']);
    const [url] = await run.stderrMatch(/http:\/\/127\.0\.0\.1:\d+\/i\/oauth2\/authorize\?\S+/);
    const q = new URL(url).searchParams;
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(q.get('scope')!.split(' ')).toContain('offline.access');
    // The "browser": the sandbox approves and redirects to adctl's loopback server.
    const landing = await fetch(url);
    expect(landing.status).toBe(200);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { flow: string; refreshable: boolean; expiresAt: string; store: string };
    expect(out).toMatchObject({ flow: 'pkce', refreshable: true, store: 'file' });
    expect(Math.abs(Date.parse(out.expiresAt) - Date.now() - 2 * HOUR)).toBeLessThan(60_000);
    const o2 = stored('acme').x!.oauth2!;
    expect(o2.refreshToken).toBeTruthy();
    expect(stored('acme').x!.accessToken).toBe(SANDBOX_X.accessToken); // the OAuth 1.0a set is kept for the Ads API
    expect(statSync(join(configDir, 'credentials.json')).mode & 0o077).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(o2.accessToken);
    expect(r.stdout + r.stderr).not.toContain(o2.refreshToken);
    expect(r.stdout + r.stderr).not.toContain(SANDBOX_X_OAUTH2.clientSecret);
    sandbox.requests.length = 0;
    const post = await cli(['--profile', 'acme', 'post', 'create', '--to', 'x', '--text', 'hello from an OAuth 2.0 token', '--json', '--debug']);
    expect(post.code, post.stderr).toBe(0);
    expect(sandbox.requests.find((x) => x.path === '/2/tweets')?.identity).toBe(`oauth2:${o2.accessToken}`);
    expect(post.stdout + post.stderr).not.toContain(o2.accessToken);
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

  it('parallel runs spend the single-use refresh token once and all succeed', async () => {
    await profileWithOAuth2('acme', { access: 'xo2-old-access-token-cccc', refresh: 'xo2-old-refresh-token-dddd', expiresInMs: 30_000 });
    const runs = await Promise.all([0, 1, 2, 3].map(() => cli(['--profile', 'acme', 'auth', 'status', '--json'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(refreshCalls()).toHaveLength(1);
    expect(refreshCalls()[0]!.status).toBe(200);
    const live = xAuthOf(sandbox.state.read()).tokens.filter((t) => t.refreshToken !== null);
    expect(live.map((t) => t.refreshToken)).toEqual([stored('acme').x!.oauth2!.refreshToken]);
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
