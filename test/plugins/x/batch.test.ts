/**
 * X Ads batch endpoints through the real SDK over HTTP against the sandbox: chunks of 40, JSON
 * array bodies, all-or-nothing batches split so one refused item does not block the others,
 * line items (ad groups) as well as campaigns.
 */
import { describe, expect, it } from 'vitest';
import type { WireRequest } from '../../../src/core/adapter.js';
import { createAdapterContext } from '../../../src/core/context.js';
import { xManifest } from '../../../src/plugins/x/manifest.js';
import { SANDBOX_X } from '../../../src/sandbox/credentials.js';
import { addXCampaigns } from '../../../src/sandbox/x/batch.js';
import { xOf } from '../../../src/sandbox/x/seed.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const adapter = (observed: WireRequest[] = []) => xManifest.load(createAdapterContext({
  platform: 'x',
  credentials: { kind: 'x-oauth1', apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret },
  accountId: SANDBOX_X.adsAccountId,
  endpoints: { xApi: sandbox.url, xAdsApi: sandbox.url, xUpload: sandbox.url },
  timeoutMs: 2000,
  observer: { request: (r) => observed.push(r), response() {} },
  policy: { baseDelayMs: 1 },
}));

const usd = (minor: number) => ({ period: 'daily' as const, money: { currency: 'USD', minor } });

describe('X batch', () => {
  it('updates 41 campaigns in 2 batch calls (40 + 1) with JSON array bodies, one result per item in order', async () => {
    const ids = addXCampaigns(sandbox.state, 41, 'B');
    const a = await adapter();
    const out = await a.updateCampaignsBatch!(ids.map((id) => ({ id, patch: { status: 'active', budget: usd(1234) } })));
    expect(out.map((r) => [r.id, r.ok])).toEqual(ids.map((id) => [id, true]));
    expect(out[0]!.value).toMatchObject({ ref: `x:${ids[0]}`, status: 'active', budget: { period: 'daily', amount: '12.34', currency: 'USD' } });
    const batches = sandbox.requests.filter((q) => q.path === `/12/batch/accounts/${SANDBOX_X.adsAccountId}/campaigns`);
    expect(batches.map((b) => (b.json as unknown[]).length)).toEqual([40, 1]);
    expect((batches[0]!.json as Array<{ operation_type: string; params: Record<string, unknown> }>)[0]).toEqual({
      operation_type: 'Update', params: { campaign_id: ids[0], entity_status: 'ACTIVE', daily_budget_amount_local_micro: 12_340_000 },
    });
    expect(xOf(sandbox.state.read()).campaigns.filter((c) => ids.includes(c.id)).every((c) => c.entity_status === 'ACTIVE')).toBe(true);
  });

  it("a refused item fails with X's code; the rest of its all-or-nothing batch is resent and applied", async () => {
    const ids = addXCampaigns(sandbox.state, 3, 'C');
    const a = await adapter();
    const out = await a.updateCampaignsBatch!([ids[0]!, 'nope1', ids[1]!, ids[2]!].map((id) => ({ id, patch: { name: `Renamed ${id}` } })));
    expect(out.map((r) => [r.id, r.ok, r.error?.code])).toEqual([[ids[0], true, undefined], ['nope1', false, 'NOT_FOUND'], [ids[1], true, undefined], [ids[2], true, undefined]]);
    expect(xOf(sandbox.state.read()).campaigns.filter((c) => ids.includes(c.id)).map((c) => c.name)).toEqual(ids.map((id) => `Renamed ${id}`));
    expect(sandbox.requests.filter((q) => q.path.includes('/batch/')).map((q) => q.status)).toEqual([400, 200]);
  });

  it('line items (ad groups): pause and budget through the line_items batch endpoint; delete is idempotent', async () => {
    const a = await adapter();
    const out = await a.updateAdGroupsBatch!([{ id: 'l1a01', patch: { status: 'paused', budget: usd(2000), bid: { strategy: 'auto', money: null } } }]);
    expect(out).toEqual([{ id: 'l1a01', ok: true }]);
    const li = xOf(sandbox.state.read()).lineItems.find((l) => l.id === 'l1a01')!;
    expect(li).toMatchObject({ entity_status: 'PAUSED', daily_budget_amount_local_micro: 20_000_000, bid_strategy: 'AUTO' });
    expect((await a.deleteAdGroupsBatch!(['l1a01']))[0]).toMatchObject({ ok: true });
    expect((await a.deleteCampaignsBatch!(['8wku3', '8wku3']))).toEqual([{ id: '8wku3', ok: true, value: null }, { id: '8wku3', ok: true, value: null }]);
    expect((await a.deleteCampaignsBatch!(['8wku3']))).toEqual([{ id: '8wku3', ok: true, value: null }]);
  });
});
