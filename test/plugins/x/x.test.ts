/**
 * X specifics beyond the shared conformance suite: micros on the wire, funding instrument choice,
 * rate-limit waits from the platform's reset header, and redaction of the OAuth header.
 */
import { describe, expect, it } from 'vitest';
import type { WireRequest, WireResponse } from '../../../src/core/adapter.js';
import { createAdapterContext } from '../../../src/core/context.js';
import { type AdctlError } from '../../../src/core/errors.js';
import { parseMoney } from '../../../src/core/money.js';
import { xManifest } from '../../../src/plugins/x/manifest.js';
import { SANDBOX_X } from '../../../src/sandbox/credentials.js';
import { type SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';

let sandbox: SandboxServer;
const seen: string[] = [];
const responses: WireResponse[] = [];

function adapter(accountId: string = SANDBOX_X.adsAccountId, secret: string = SANDBOX_X.accessSecret) {
  return xManifest.load(createAdapterContext({
    platform: 'x',
    credentials: { kind: 'x-oauth1', apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: secret },
    accountId,
    endpoints: { xApi: sandbox.url, xAdsApi: sandbox.url, xUpload: sandbox.url },
    timeoutMs: 5000,
    observer: { request: (r: WireRequest) => seen.push(JSON.stringify(r)), response: (r) => responses.push(r) },
  }));
}

useSandbox((s) => (sandbox = s), () => {
  seen.length = 0;
  responses.length = 0;
});

describe('X plugin', () => {
  it('sends budgets as integer micros', async () => {
    const x = await adapter();
    const c = await x.createCampaign({ name: 'Micros', objective: 'traffic', status: 'paused', budget: { period: 'daily', money: parseMoney('75.50 USD') } });
    const post = sandbox.requests.find((r) => r.method === 'POST')!;
    expect(post.params.daily_budget_amount_local_micro).toBe('75500000');
    expect(post.params.entity_status).toBe('PAUSED');
    expect(c.budget).toEqual({ period: 'daily', amount: '75.50', currency: 'USD' });
    await x.updateCampaign(c.id, { budget: { period: 'lifetime', money: parseMoney('1000 USD') } });
    expect(sandbox.requests.find((r) => r.method === 'PUT')!.params.total_budget_amount_local_micro).toBe('1000000000');
  });

  it('requires a funding instrument when the account has several, before any write', async () => {
    const x = await adapter('gq1844');
    const err = await x.createCampaign({ name: 'F', objective: 'traffic', status: 'paused', budget: null }).catch((e: unknown) => e);
    expect((err as AdctlError).code).toBe('FUNDING_INSTRUMENT_REQUIRED');
    expect((err as AdctlError).exitCode).toBe(64);
    expect((err as AdctlError).hint).toMatch(/hw1p7.*hw1p8/);
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
    const ok = await x.createCampaign({ name: 'F', objective: 'traffic', status: 'paused', budget: null, fundingInstrumentId: 'hw1p8' });
    expect(ok.status).toBe('paused');
  });

  it('reads the objective from line items and the currency from the funding instrument', async () => {
    const x = await adapter();
    expect((await x.getCampaign('8wku4')).objective).toBe('followers');
    expect((await x.getAccount()).currency).toBe('USD');
  });

  it('waits out a 429 until the reset header (2 s ahead), then succeeds', async () => {
    const x = await adapter();
    sandbox.addFault({ platform: 'x', path: '/campaigns', times: 1, action: { type: 'rate_limit', resetInSec: 2 } });
    const t0 = Date.now();
    const list = await x.listCampaigns({});
    expect(list.length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  it('is refused by the sandbox with a wrong signature (exit 4)', async () => {
    const x = await adapter(SANDBOX_X.adsAccountId, 'not-the-secret');
    const err = await x.listCampaigns({}).catch((e: unknown) => e);
    expect((err as AdctlError).exitCode).toBe(4);
  });

  it('never shows the credentials in what it reports, and reports rate limits', async () => {
    const x = await adapter();
    await x.listCampaigns({});
    const all = seen.join('\n');
    for (const s of [SANDBOX_X.apiSecret, SANDBOX_X.accessToken, SANDBOX_X.accessSecret, SANDBOX_X.apiKey]) expect(all).not.toContain(s);
    expect(all).toContain('OAuth [REDACTED]');
    expect(responses.some((r) => r.rateLimit?.state.kind === 'count')).toBe(true);
    expect(responses.every((r) => typeof r.requestId === 'string')).toBe(true);
  });
});
