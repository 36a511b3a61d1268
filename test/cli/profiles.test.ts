/**
 * Issue 3 acceptance, run in-process (test/helpers/cli.ts): two profiles with different credentials
 * route by `profile use`, ADCTL_PROFILE and --profile (proved by the sandbox request log's identity);
 * missing input exits 64 naming the flag; no configured secret appears in any output, even with
 * --debug, nor in anything a run writes past its IO port (console, the worker's own streams). The
 * shell `eval` and 20 parallel adds run the built binary in test/e2e/profiles.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { SANDBOX_X } from '../../src/sandbox/credentials.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { tempConfigDir, type CliResult } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;

const A = { meta: { accessToken: 'EAAprofileAtoken111111', appSecret: 'profile-a-app-secret-xyz' } };
const B = { meta: { accessToken: 'EAAprofileBtoken222222', appSecret: 'profile-b-app-secret-xyz' } };
const BX = { apiKey: 'profile-b-consumer-key', apiSecret: 'profile-b-consumer-secret', accessToken: '1000000001-profileBtoken', accessSecret: 'profile-b-access-secret' };
const SECRETS = [A.meta.accessToken, A.meta.appSecret, B.meta.accessToken, B.meta.appSecret, BX.apiKey, BX.apiSecret, BX.accessToken, BX.accessSecret];
const outputs: string[] = [];

/** Endpoints only: credentials come from the profile in effect. */
function endpoints(): Record<string, string> {
  return { ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url, ADCTL_KEYRING: 'off' };
}

/**
 * Runs in-process, recording stdout, stderr and anything written past the IO port: what a spawned
 * process would also have printed (an SDK's console.log, a direct process.stderr write).
 */
async function cli(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  const r = await runInProcess(args, { configDir, env: { ...endpoints(), ...opts.env }, input: opts.input, captureStray: true });
  outputs.push(r.stdout, r.stderr, r.stray);
  return r;
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
  it('profile use, ADCTL_PROFILE and --profile each pick the right credentials', async () => {
    await addTwo();
    expect((await cli(['profile', 'use', 'a'])).code).toBe(0);
    const list = await cli(['profile', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'a', active: true }), expect.objectContaining({ name: 'b', active: false })]));

    sandbox.requests.length = 0;
    let r = await cli(['campaign', 'list', '--platform', 'meta', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect(metaIdentities()).toEqual([A.meta.accessToken]);

    r = await cli(['campaign', 'list', '--platform', 'meta', '--debug'], { env: { ADCTL_PROFILE: 'b' } });
    expect(r.code, r.stderr).toBe(0);
    expect(metaIdentities()).toEqual([B.meta.accessToken]);

    r = await cli(['--profile', 'a', 'campaign', 'list', '--platform', 'meta', '--debug'], { env: { ADCTL_PROFILE: 'b' } });
    expect(r.code, r.stderr).toBe(0);
    expect(metaIdentities()).toEqual([A.meta.accessToken]);

    // Profile b's X credentials are used for X (identity = consumer key + token).
    r = await cli(['--profile', 'b', 'campaign', 'list', '--platform', 'x', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    const xIds = [...new Set(sandbox.requests.filter((q) => q.platform === 'x').map((q) => q.identity))];
    expect(xIds).toEqual([`${BX.apiKey}:${BX.accessToken}`]);

    // Per-profile plugins narrow the global ones: profile a has only meta.
    r = await cli(['--profile', 'a', 'campaign', 'list', '--platform', 'x']);
    expect(r.code).toBe(78);

    // Unknown profile is a configuration error.
    r = await cli(['--profile', 'nope', 'campaign', 'list']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('no profile named "nope"');

    // show redacts; no configured secret appears in any output of this file.
    const show = await cli(['profile', 'show', 'b', '--json']);
    expect(show.code).toBe(0);
    for (const text of outputs) for (const s of SECRETS) expect(text.includes(s), `leak of ${s.slice(0, 6)}…`).toBe(false);
  }, 120_000);
});

describe('profile add input and concurrency', () => {
  it('non-interactive add with missing required input exits 64 and names the flag', async () => {
    let r = await cli(['profile', 'add', 'c', '--no-input']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--secrets-stdin');
    const keyFile = join(configDir, 'key.txt');
    writeFileSync(keyFile, 'only-a-key\n');
    r = await cli(['profile', 'add', 'c', '--x-api-key-file', keyFile]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--x-api-secret-file');
    r = await cli(['profile', 'add', 'c', '--secrets-stdin', '--json'], { input: '{"meta":{"appSecret":"s"}}' });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--meta-access-token-file');
  }, 60_000);
});
