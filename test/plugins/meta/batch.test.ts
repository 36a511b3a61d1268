/**
 * Meta Graph batch through the real SDK over HTTP against the sandbox: 50 operations per call,
 * form bodies per operation, independent items, errors classified like single calls.
 */
import { describe, expect, it } from 'vitest';
import { createAdapterContext } from '../../../src/core/context.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import { addMetaCampaigns } from '../../../src/sandbox/meta/batch.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const adapter = () => metaManifest.load(createAdapterContext({
  platform: 'meta',
  credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
  accountId: SANDBOX_META.adAccountId,
  endpoints: { metaGraph: sandbox.url },
  timeoutMs: 2000,
  observer: { request() {}, response() {} },
  policy: { baseDelayMs: 1 },
}));

const campaigns = () => (sandbox.state.read().meta as { campaigns: Array<{ id: string; name: string; status: string; daily_budget: string | null }> }).campaigns;

describe('Meta batch', () => {
  it('updates 51 campaigns in 2 calls (50 + 1) of form-bodied operations, one result per item in order', async () => {
    const ids = addMetaCampaigns(sandbox.state, 51, 'B');
    const a = await adapter();
    const out = await a.updateCampaignsBatch!(ids.map((id) => ({ id, patch: { name: `N ${id}`, status: 'active', budget: { period: 'daily', money: { currency: 'JPY', minor: 4200 } } } })));
    expect(out.map((r) => [r.id, r.ok])).toEqual(ids.map((id) => [id, true]));
    const calls = sandbox.requests.filter((q) => q.method === 'POST' && /^\/v\d+\.\d+\/?$/.test(q.path));
    const ops = calls.map((c) => JSON.parse(c.params.batch!) as Array<{ method: string; relative_url: string; body: string }>);
    expect(ops.map((o) => o.length)).toEqual([50, 1]);
    expect(ops[0]![0]).toEqual({ method: 'POST', relative_url: ids[0], body: `name=N+${ids[0]}&status=ACTIVE&daily_budget=4200` });
    expect(campaigns().filter((c) => ids.includes(c.id)).every((c) => c.status === 'ACTIVE' && c.daily_budget === '4200')).toBe(true);
  });

  it('items are independent: a missing object fails alone with NOT_FOUND; deleting twice succeeds', async () => {
    const ids = addMetaCampaigns(sandbox.state, 2, 'C');
    const a = await adapter();
    const out = await a.updateCampaignsBatch!([ids[0]!, '999999', ids[1]!].map((id) => ({ id, patch: { status: 'paused' } })));
    expect(out.map((r) => [r.id, r.ok, r.error?.code, r.error?.exitCode])).toEqual([[ids[0], true, undefined, undefined], ['999999', false, 'NOT_FOUND', 1], [ids[1], true, undefined, undefined]]);
    expect(await a.deleteCampaignsBatch!([ids[0]!])).toEqual([{ id: ids[0], ok: true, value: null }]);
    expect(await a.deleteCampaignsBatch!([ids[0]!])).toEqual([{ id: ids[0], ok: true, value: null }]);
    expect(campaigns().find((c) => c.id === ids[0])!.status).toBe('DELETED');
  });

  it('refuses what a batch does not change (bids, targeting) before sending anything', async () => {
    const a = await adapter();
    await expect(a.updateAdGroupsBatch!([{ id: '1', patch: { bid: { strategy: 'auto', money: null } } }])).rejects.toMatchObject({ exitCode: 64 });
    expect(sandbox.requests.filter((q) => q.method === 'POST')).toHaveLength(0);
  });
});
