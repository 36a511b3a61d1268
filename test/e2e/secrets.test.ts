/**
 * No token or secret appears in anything the built binary prints, including --debug traces and
 * errors: the sandbox's own demo credentials, and values registered with the sandbox, which adctl
 * must treat like any real secret. Single commands' --debug traces, writes, dry runs and errors are
 * checked in-process in test/cli/secrets.test.ts.
 * Issue 3 acceptance ("across a full e2e run with --debug, no configured secret value appears in any
 * output"): the last test stores a profile with OAuth 1.0a, an OAuth 2.0 access + refresh token
 * (refreshed during the run) with its client secret, and a Meta token + app secret, then runs every
 * kind of command with --debug and checks all outputs for every one of those values.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_X } from '../../src/sandbox/credentials.js';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { SANDBOX_X_OAUTH2, addXOAuth2Token } from '../../src/sandbox/x/auth-state.js';
import { useSandbox } from '../helpers/sandbox.js';
import { ALL_SECRETS, runCli, tempConfigDir, type CliResult } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;

function expectNoSecret(text: string, what: string) {
  for (const s of ALL_SECRETS) expect(text.includes(s), `${what} leaks ${s.slice(0, 4)}…`).toBe(false);
  expect(text, what).not.toMatch(/access_token=(?!\[REDACTED\])[^&\s"]+/);
  expect(text, what).not.toMatch(/appsecret_proof=(?!\[REDACTED\])[^&\s"]+/);
  expect(text, what).not.toMatch(/oauth_signature="?(?!\[REDACTED\])[^",\s]+/);
}

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('secrets of a stored profile never leak, OAuth 2.0 included', () => {
  it('across a --debug run of every kind of command, no configured, refreshed or client secret appears in any output', async () => {
    const O2 = { access: 'xo2-leakcheck-access-token-1111', refresh: 'xo2-leakcheck-refresh-token-2222' };
    const META = { accessToken: 'EAAleakcheckProfileToken3333', appSecret: 'leakcheck-meta-app-secret-4444' };
    // Close to expiry with a refresh token: the first run refreshes it, so the refreshed pair is used (and must not leak) too.
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    addXOAuth2Token(sandbox.state, { accessToken: O2.access, refreshToken: O2.refresh, expiresAt });
    sandbox.addCredentials({ platform: 'meta', ...META });
    const endpoints = { ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url, ADCTL_KEYRING: 'off' };
    const outputs: Array<[string, CliResult]> = [];
    const run = async (args: string[], input?: string) => {
      const r = await runCli(args, { configDir, env: endpoints, input, timeoutMs: 40_000 });
      outputs.push([args.join(' '), r]);
      return r;
    };
    const secrets = {
      x: {
        apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret,
        oauth2: { clientId: SANDBOX_X_OAUTH2.clientId, clientSecret: SANDBOX_X_OAUTH2.clientSecret, accessToken: O2.access, refreshToken: O2.refresh, expiresAt, scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] },
      },
      meta: META,
    };
    expect((await run(['profile', 'add', 'leak', '--secrets-stdin', '--x-ads-account', SANDBOX_X.adsAccountId, '--meta-ad-account', 'act_1001', '--debug'], JSON.stringify(secrets))).code).toBe(0);
    expect((await run(['profile', 'use', 'leak', '--debug'])).code).toBe(0);
    // An ordinary command refreshes the token first, stores the new pair, and posts with it: no user action.
    const post = await run(['post', 'create', '--to', 'x', '--text', 'leak check over a Bearer token', '--json', '--debug']);
    expect(post.code, post.stderr).toBe(0);
    const refreshed = (JSON.parse(readFileSync(join(configDir, 'credentials.json'), 'utf8')) as { leak: typeof secrets }).leak.x.oauth2;
    expect(refreshed.accessToken).not.toBe(O2.access);
    expect(sandbox.requests.filter((q) => q.path === '/2/oauth2/token').map((q) => q.params.grant_type)).toEqual(['refresh_token']);
    expect(sandbox.requests.find((q) => q.path === '/2/tweets')?.identity).toBe(`oauth2:${refreshed.accessToken}`);
    const ok = [
      ['auth', 'status', '--debug'],
      ['post', 'list', '--channel', 'x', '--debug'],
      ['campaign', 'list', '--debug'], // Meta puts the token in URLs; X signs with OAuth 1.0a
      ['profile', 'show', 'leak', '--json', '--debug'],
      ['doctor', '--debug'],
    ];
    for (const args of ok) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    // Failures carry no token either: every platform call refused as expired.
    sandbox.addFault({ action: { type: 'expired_token' } });
    for (const args of [['post', 'list', '--channel', 'x', '--debug'], ['campaign', 'list', '--platform', 'meta', '--debug', '--json']]) {
      expect((await run(args)).code, args.join(' ')).toBe(4);
    }
    const stored = (JSON.parse(readFileSync(join(configDir, 'credentials.json'), 'utf8')) as { leak: typeof secrets }).leak.x.oauth2;
    expect(stored).toEqual(refreshed); // refreshed once, then reused
    expect(stored.refreshToken).not.toBe(O2.refresh);
    // No file under the config dir, the rewritten credentials file included, is readable by group or others.
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    const files = walk(configDir).filter((f) => !f.includes('.modules-'));
    expect(files).toContain(join(configDir, 'credentials.json'));
    for (const f of files) expect((statSync(f).mode & 0o077).toString(8), f).toBe('0');
    const all = [...ALL_SECRETS, O2.access, O2.refresh, stored.accessToken, stored.refreshToken, SANDBOX_X_OAUTH2.clientSecret, META.accessToken, META.appSecret];
    expect(outputs.some(([, r]) => /debug: /.test(r.stderr))).toBe(true);
    for (const [what, r] of outputs) {
      const text = r.stdout + r.stderr;
      for (const secret of all) expect(text.includes(secret), `${what} leaks ${secret.slice(0, 6)}…`).toBe(false);
      expectNoSecret(text, what);
    }
    // Nor is any secret written anywhere but the secret store: not the audit log, config, rate-limit
    // state, ledgers or lock files (the sandbox's own state, if any, is the emulated platform's).
    const written = files.filter((f) => f !== join(configDir, 'credentials.json') && !f.startsWith(join(configDir, 'sandbox')));
    expect(written.some((f) => f.endsWith('audit.jsonl') || f.endsWith('config.json'))).toBe(true);
    for (const f of written) {
      const text = readFileSync(f, 'utf8');
      for (const secret of all) expect(text.includes(secret), `${f} holds ${secret.slice(0, 6)}…`).toBe(false);
    }
  }, 120_000);
});
