/**
 * X specifics beyond the shared conformance suite: micros on the wire, funding instrument choice,
 * rate-limit waits from the platform's reset header, and redaction of the OAuth header.
 */
import { describe, expect, it } from 'vitest';
import { DryRunIntercepted, type WireRequest, type WireResponse } from '../../../src/core/adapter.js';
import { createAdapterContext } from '../../../src/core/context.js';
import { type AdctlError } from '../../../src/core/errors.js';
import { parseMoney } from '../../../src/core/money.js';
import { xManifest } from '../../../src/plugins/x/manifest.js';
import { SANDBOX_X } from '../../../src/sandbox/credentials.js';
import { type SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { makeX } from './make-adapter.js';

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

  it('sends "50 USD" as 50000000 micros and reads it back as 50.00', async () => {
    const x = await adapter();
    const c = await x.createCampaign({ name: 'Fifty', objective: 'traffic', status: 'active', budget: { period: 'lifetime', money: parseMoney('50 USD') } });
    const post = sandbox.requests.find((r) => r.method === 'POST')!;
    expect(post.params).toMatchObject({ total_budget_amount_local_micro: '50000000', entity_status: 'ACTIVE', funding_instrument_id: '5aa0p' });
    expect(post.params).not.toHaveProperty('daily_budget_amount_local_micro');
    expect(c).toMatchObject({ ref: `x:${c.id}`, status: 'active', objective: 'traffic', budget: { period: 'lifetime', amount: '50.00', currency: 'USD' } });
  });

  it('shows micros finer than a cent exactly instead of rounding them', async () => {
    sandbox.state.mutate((s) => {
      const c = (s.x as { campaigns: Array<{ id: string; daily_budget_amount_local_micro: number }> }).campaigns.find((k) => k.id === '8wku2')!;
      c.daily_budget_amount_local_micro = 1_234_567;
    });
    const x = await adapter();
    expect((await x.getCampaign('8wku2')).budget).toEqual({ period: 'daily', amount: '1.234567', currency: 'USD' });
  });

  it('lists deleted campaigns only when asked for them', async () => {
    const x = await adapter();
    await x.deleteCampaign('8wku3');
    expect((await x.listCampaigns({})).map((c) => c.id)).not.toContain('8wku3');
    const deleted = await x.listCampaigns({ statuses: ['deleted'] });
    expect(deleted.map((c) => [c.id, c.status])).toEqual([['8wku3', 'deleted']]);
    const seeded = await x.listCampaigns({});
    expect(seeded.map((c) => [c.id, c.status, c.objective])).toEqual([['8wku2', 'active', 'traffic'], ['8wku4', 'active', 'followers']]);
  });

  it('refuses an explicit funding instrument that cannot fund, before any write', async () => {
    const x = await adapter();
    const err = (await x.createCampaign({ name: 'F', objective: 'traffic', status: 'paused', budget: null, fundingInstrumentId: '7cdql' }).catch((e: unknown) => e)) as AdctlError;
    expect(err).toMatchObject({ code: 'FUNDING_INSTRUMENT_CANNOT_FUND', exitCode: 64 });
    expect(err.hint).toContain('5aa0p');
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('in dry-run sends reads, reports the write redacted, and throws the very request it reported', async () => {
    const requests: WireRequest[] = [];
    const x = await makeX({ url: sandbox.url, dryRun: true, requests });
    const err = await x.createCampaign({ name: 'Dry', objective: 'traffic', status: 'paused', budget: { period: 'daily', money: parseMoney('50 USD') } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DryRunIntercepted);
    const intercepted = (err as DryRunIntercepted).request;
    expect(requests).toContain(intercepted);
    expect(intercepted).toMatchObject({ method: 'POST', url: `${sandbox.url}/12/accounts/${SANDBOX_X.adsAccountId}/campaigns` });
    expect(String(intercepted.body)).toContain('daily_budget_amount_local_micro=50000000');
    expect(sandbox.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(sandbox.requests.length).toBeGreaterThan(0);
    const all = JSON.stringify(requests);
    for (const secret of [SANDBOX_X.apiSecret, SANDBOX_X.accessToken, SANDBOX_X.accessSecret, SANDBOX_X.apiKey]) expect(all).not.toContain(secret);
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
