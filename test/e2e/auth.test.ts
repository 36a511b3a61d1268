/**
 * `auth status` through the built binary against a sandbox over real HTTP: a profile stored by one
 * run, its Meta token checked by the next. Warnings, expiry, scopes, --all-profiles and the Meta
 * `auth login` exchange run in-process in test/cli/auth.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { runCli, tempConfigDir, type CliResult } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const DAY = 24 * 3600 * 1000;

function cli(args: string[], input?: string, extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, {
    configDir, input, timeoutMs: 40_000,
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
  it('a token valid for months gives no warning', async () => {
    await profileWithToken('fine', 'EAAvalidFor90days', 90 * DAY);
    const r = await cli(['--profile', 'fine', 'auth', 'status']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning');
  }, 60_000);
});
