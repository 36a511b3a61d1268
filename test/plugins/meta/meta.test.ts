/**
 * Meta specifics beyond the shared conformance suite: Meta's own minor units, appsecret_proof,
 * the SDK's crash reporter staying off, and tokens never reaching what the plugin reports.
 */
import { describe, expect, it } from 'vitest';
import { createAdapterContext } from '../../../src/core/context.js';
import { AdctlError } from '../../../src/core/errors.js';
import { parseMoney } from '../../../src/core/money.js';
import { metaExponent } from '../../../src/plugins/meta/adapter.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import { type SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';

let sandbox: SandboxServer;
const seen: string[] = [];

function adapter(accountId: string = SANDBOX_META.adAccountId, appSecret: string = SANDBOX_META.appSecret) {
  return metaManifest.load(createAdapterContext({
    platform: 'meta',
    credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret },
    accountId,
    endpoints: { metaGraph: sandbox.url },
    timeoutMs: 5000,
    observer: { request: (r) => seen.push(JSON.stringify(r)), response: (r) => seen.push(JSON.stringify(r)) },
    policy: { baseDelayMs: 1 },
  }));
}

useSandbox((s) => (sandbox = s), () => {
  seen.length = 0;
});

describe('Meta plugin', () => {
  it('uses Meta\'s own minor unit per currency', () => {
    expect(metaExponent('JPY')).toBe(0);
    expect(metaExponent('USD')).toBe(2);
    expect(metaExponent('COP')).toBe(0); // ISO says 2, Meta takes whole pesos
    expect(metaExponent('BHD')).toBe(2); // ISO says 3, Meta takes hundredths
    expect(metaExponent('KWD')).toBe(3); // not in Meta's table: ISO minor unit
  });

  it('sends 5000 JPY as 5000 and 12.345 KWD as 12345', async () => {
    await (await adapter()).createCampaign({ name: 'J', objective: 'traffic', status: 'paused', budget: { period: 'daily', money: parseMoney('5000 JPY') } });
    await (await adapter('act_1002')).createCampaign({ name: 'K', objective: 'traffic', status: 'paused', budget: { period: 'daily', money: parseMoney('12.345 KWD') } });
    const posts = sandbox.requests.filter((r) => r.method === 'POST');
    expect(posts.map((p) => p.params.daily_budget)).toEqual(['5000', '12345']);
    expect(posts[0]!.params.status).toBe('PAUSED');
  });

  it('refuses a budget in another currency before any write', async () => {
    const m = await adapter();
    const err = await m.createCampaign({ name: 'X', objective: 'traffic', status: 'paused', budget: { period: 'daily', money: parseMoney('50 USD') } }).catch((e: unknown) => e);
    expect((err as AdctlError).exitCode).toBe(64);
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('sends appsecret_proof, which the sandbox checks', async () => {
    await (await adapter()).listCampaigns({});
    expect(sandbox.requests.every((r) => /^[0-9a-f]{64}$/.test(r.params.appsecret_proof ?? ''))).toBe(true);
    const wrong = await (await adapter(SANDBOX_META.adAccountId, 'not-the-app-secret')).listCampaigns({}).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AdctlError);
    expect((wrong as AdctlError).exitCode).toBe(1);
  });

  it('retries a code 17 throttle and succeeds', async () => {
    sandbox.addFault({ platform: 'meta', path: '/campaigns', times: 1, action: { type: 'meta_throttle', code: 17 } });
    expect((await (await adapter()).listCampaigns({})).length).toBeGreaterThan(0);
    expect(sandbox.requests.filter((r) => r.fault === 'meta_throttle')).toHaveLength(1);
  });

  it('never installs the SDK crash reporter and never reports a token', async () => {
    const before = process.listenerCount('uncaughtException');
    const m = await adapter();
    await m.listCampaigns({});
    await m.getCampaign('404404').catch(() => undefined);
    expect(process.listenerCount('uncaughtException')).toBe(before);
    const all = seen.join('\n');
    expect(all).not.toContain(SANDBOX_META.accessToken);
    expect(all).not.toContain(SANDBOX_META.appSecret);
    expect(all).toContain('access_token=[REDACTED]');
  });
});
