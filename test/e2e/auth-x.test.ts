/**
 * Issue 3 acceptance for X tokens, through the built binary against the sandbox over real HTTP:
 * - `auth login --platform x`: the OAuth 1.0a PIN flow (the PIN read from the sandbox's authorize
 *   page while the process waits, as a user would) and OAuth 2.0 PKCE with the loopback redirect
 *   (the test plays the browser).
 * - Parallel processes spend a single-use refresh token once.
 * A wrong PIN, refreshes, posts-only profiles and expiry warnings run in-process in
 * test/cli/auth-x.test.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { SANDBOX_X_OAUTH2, addXOAuth2Token, xAuthOf } from '../../src/sandbox/x/auth-state.js';
import { useSandbox } from '../helpers/sandbox.js';
import { BIN, cliEnv, type CliResult, isolationEnv, runCli, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const HOUR = 3600_000;

const env = () => ({ ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url, ...isolationEnv() });
const cli = (args: string[], input?: string): Promise<CliResult> => runCli(args, { configDir, input, timeoutMs: 40_000, env: env() });

/** A running CLI whose stderr the test reads while it runs (it waits for a browser or a PIN). */
function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cliEnv(configDir, env()),
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
  it('parallel runs spend the single-use refresh token once and all succeed', async () => {
    await profileWithOAuth2('acme', { access: 'xo2-old-access-token-cccc', refresh: 'xo2-old-refresh-token-dddd', expiresInMs: 30_000 });
    const runs = await Promise.all([0, 1, 2, 3].map(() => cli(['--profile', 'acme', 'auth', 'status', '--json'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(refreshCalls()).toHaveLength(1);
    expect(refreshCalls()[0]!.status).toBe(200);
    const live = xAuthOf(sandbox.state.read()).tokens.filter((t) => t.refreshToken !== null);
    expect(live.map((t) => t.refreshToken)).toEqual([stored('acme').x!.oauth2!.refreshToken]);
  }, 60_000);
});
