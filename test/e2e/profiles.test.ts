/**
 * Issue 3 acceptance, end to end against the built binary: `eval "$(adctl profile env b)"` switches
 * one shell only (proved by the sandbox request log's identity); 20 parallel adds keep all 20
 * profiles, with secret files 0600. Routing by `profile use`, ADCTL_PROFILE and --profile, missing
 * input and redaction run in-process in test/cli/profiles.test.ts.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { SANDBOX_X } from '../../src/sandbox/credentials.js';
import { useSandbox } from '../helpers/sandbox.js';
import { BIN, cliEnv, type CliResult, isolationEnv, runCli, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;

const A = { meta: { accessToken: 'EAAprofileAtoken111111', appSecret: 'profile-a-app-secret-xyz' } };
const B = { meta: { accessToken: 'EAAprofileBtoken222222', appSecret: 'profile-b-app-secret-xyz' } };
const BX = { apiKey: 'profile-b-consumer-key', apiSecret: 'profile-b-consumer-secret', accessToken: '1000000001-profileBtoken', accessSecret: 'profile-b-access-secret' };

/** Endpoints only: credentials come from the profile in effect. */
function endpoints(): Record<string, string> {
  return { ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url, ...isolationEnv() };
}

function cli(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return runCli(args, { configDir, env: { ...endpoints(), ...opts.env }, input: opts.input, timeoutMs: 40_000 });
}

async function addTwo(): Promise<void> {
  sandbox.addCredentials({ platform: 'meta', accessToken: A.meta.accessToken, appSecret: A.meta.appSecret });
  sandbox.addCredentials({ platform: 'meta', accessToken: B.meta.accessToken, appSecret: B.meta.appSecret });
  sandbox.addCredentials({ platform: 'x', ...BX });
  expect((await cli(['profile', 'add', 'a', '--secrets-stdin', '--meta-ad-account', 'act_1001', '--plugins', 'meta'], { input: JSON.stringify(A) })).code).toBe(0);
  expect((await cli(['profile', 'add', 'b', '--secrets-stdin', '--meta-ad-account', 'act_1001', '--x-ads-account', SANDBOX_X.adsAccountId], { input: JSON.stringify({ ...B, x: BX }) })).code).toBe(0);
}

/** Identities of the Meta requests the last command made. */
function metaIdentities(): string[] {
  const ids = sandbox.requests.filter((r) => r.platform === 'meta').map((r) => r.identity);
  sandbox.requests.length = 0;
  return [...new Set(ids.map(String))];
}

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('profiles route requests with their own credentials', () => {
  it('eval "$(adctl profile env b)" switches only the shell that runs it', async () => {
    await addTwo();
    expect((await cli(['profile', 'use', 'a'])).code).toBe(0);
    const script = [
      `adctl() { "${process.execPath}" "${BIN}" "$@"; }`,
      'eval "$(adctl profile env b)"',
      'echo "inner=$ADCTL_PROFILE"',
      'adctl campaign list --platform meta --json > /dev/null',
    ].join('\n');
    const run = (cmd: string) => new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn('bash', ['-c', cmd], { env: cliEnv(configDir, endpoints()) });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? -1, out }));
    });
    sandbox.requests.length = 0;
    const inner = await run(script);
    expect(inner.code, inner.out).toBe(0);
    expect(inner.out).toContain('inner=b');
    expect(metaIdentities()).toEqual([B.meta.accessToken]);
    // A sibling shell still uses the active profile.
    const other = await run(`echo "other=$ADCTL_PROFILE"; "${process.execPath}" "${BIN}" campaign list --platform meta --json > /dev/null`);
    expect(other.code, other.out).toBe(0);
    expect(other.out).toContain('other=\n');
    expect(metaIdentities()).toEqual([A.meta.accessToken]);
  }, 60_000);
});

describe('profile add input and concurrency', () => {
  it('20 parallel profile add runs leave a valid config with all 20 profiles, secrets 0600', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `client-${i}`);
    const results = await Promise.all(names.map((n) => runCli(['profile', 'add', n, '--secrets-stdin', '--meta-ad-account', 'act_1001'], {
      configDir, env: { ADCTL_KEYRING: 'off' }, input: JSON.stringify({ meta: { accessToken: `EAAparallel${n}` } }), timeoutMs: 60_000,
    })));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as { profiles: Record<string, unknown> };
    expect(Object.keys(config.profiles).sort()).toEqual([...names].sort());
    const creds = JSON.parse(readFileSync(join(configDir, 'credentials.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(creds).sort()).toEqual([...names].sort());
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).not.toContain('EAAparallel');
    for (const f of readdirSync(configDir)) {
      if (!/\.json$/.test(f)) continue;
      expect(statSync(join(configDir, f)).mode & 0o077, `${f} is readable by group or others`).toBe(0);
    }
    const list = await runCli(['profile', 'list', '--json'], { configDir });
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(20);
  }, 120_000);
});
