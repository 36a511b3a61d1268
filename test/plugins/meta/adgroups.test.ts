/**
 * Meta ad sets through the real SDK over HTTP against the sandbox: exact wire values (budgets in
 * Meta units, bids, targeting JSON, default optimisation goals), refusals that send no write
 * request (checked in the sandbox's request log), Meta's own errors classified into typed codes,
 * and ad set updates through a Graph batch.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../../src/core/adapter.js';
import { createAdapterContext } from '../../../src/core/context.js';
import { AdctlError } from '../../../src/core/errors.js';
import { parseMoney } from '../../../src/core/money.js';
import type { AdGroupCreateInput, AdGroupPatch } from '../../../src/core/model.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const adapter = (accountId: string = SANDBOX_META.adAccountId) => metaManifest.load(createAdapterContext({
  platform: 'meta',
  credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
  accountId,
  endpoints: { metaGraph: sandbox.url },
  timeoutMs: 2000,
  observer: { request() {}, response() {} },
  policy: { baseDelayMs: 1 },
}));

/** Winter Ramen (traffic) has a 5000 JPY daily campaign budget; Brand Awareness Tokyo has none. */
const CBO = '120210000000101';
const NO_CBO = '120210000000103';
const START = '2026-12-10T00:00:00Z';
const END = '2027-01-10T00:00:00Z';

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');
const adSetPosts = () => sandbox.requests.filter((r) => r.method === 'POST' && /\/adsets$/.test(r.path));
const input = (over: Partial<AdGroupCreateInput> = {}): AdGroupCreateInput => ({
  campaignId: NO_CBO, name: 'Tokyo 25-44', status: 'paused', budget: { period: 'daily', money: parseMoney('7000 JPY') }, bid: null,
  targeting: { countries: ['JP'] }, ...over,
});

async function refused(run: (a: PlatformAdapter) => Promise<unknown>): Promise<AdctlError> {
  const a = await adapter();
  sandbox.requests.length = 0;
  const err = await run(a).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdctlError);
  // Nothing that writes reached the server; at most the reads the rule needed.
  expect(writes()).toEqual([]);
  return err as AdctlError;
}

describe('Meta ad sets on the wire', () => {
  it('sends daily_budget=7000 for 7000 JPY, the targeting JSON, the bid and the default goal for the objective, and reads them back', async () => {
    const a = await adapter();
    const created = await a.createAdGroup!(input({
      bid: { strategy: 'max', money: parseMoney('300 JPY') }, start: START, end: END,
      targeting: { countries: ['JP', 'KR'], ageMin: 25, ageMax: 44, publisherPlatforms: ['facebook', 'instagram'], placements: ['feed', 'reels'] },
    }));
    const [post] = adSetPosts();
    expect(post!.path).toMatch(/^\/v\d+\.\d+\/act_1001\/adsets$/);
    expect(post!.json).toEqual({
      name: 'Tokyo 25-44', campaign_id: NO_CBO, status: 'PAUSED', daily_budget: 7000,
      bid_strategy: 'LOWEST_COST_WITH_BID_CAP', bid_amount: 300, billing_event: 'IMPRESSIONS', optimization_goal: 'REACH',
      targeting: {
        geo_locations: { countries: ['JP', 'KR'] }, age_min: 25, age_max: 44, publisher_platforms: ['facebook', 'instagram'],
        facebook_positions: ['feed', 'facebook_reels'], instagram_positions: ['stream', 'reels'],
      },
      start_time: START, end_time: END,
    });
    expect(created).toEqual({
      ref: `meta:${created.id}`, platform: 'meta', id: created.id, campaign: `meta:${NO_CBO}`, name: 'Tokyo 25-44', status: 'paused',
      budget: { period: 'daily', amount: '7000', currency: 'JPY' }, bid: { strategy: 'max', amount: { amount: '300', currency: 'JPY' } },
      optimization: 'REACH', schedule: { start: START, end: END },
      targeting: { countries: ['JP', 'KR'], ageMin: 25, ageMax: 44, publisherPlatforms: ['facebook', 'instagram'], placements: ['feed', 'reels'] },
    });
  });

  it('updates the budget with daily_budget=7000 for 7000 JPY', async () => {
    const a = await adapter();
    const g = await a.updateAdGroup!('120220000000004', { budget: { period: 'daily', money: parseMoney('7000 JPY') } });
    const post = writes().find((r) => r.path.endsWith('/120220000000004'))!;
    expect(post.method).toBe('POST');
    expect(post.json).toEqual({ daily_budget: 7000 });
    expect(g.budget).toEqual({ period: 'daily', amount: '7000', currency: 'JPY' });
  });

  it('sends 12.345 KWD as 12345 fils on a three-decimal account', async () => {
    const a = await adapter('act_1002');
    const campaign = await a.createCampaign({ name: 'Dates, ad set budgets', objective: 'sales', status: 'paused', budget: null });
    const g = await a.createAdGroup!(input({ campaignId: campaign.id, budget: { period: 'daily', money: parseMoney('12.345 KWD') }, targeting: { countries: ['KW'] } }));
    expect(adSetPosts()[0]!.json).toMatchObject({ daily_budget: 12345, optimization_goal: 'OFFSITE_CONVERSIONS', targeting: { geo_locations: { countries: ['KW'] } } });
    expect(g.budget).toEqual({ period: 'daily', amount: '12.345', currency: 'KWD' });
  });

  it.each([
    ['traffic', 'LINK_CLICKS'], ['awareness', 'REACH'], ['engagement', 'POST_ENGAGEMENT'], ['leads', 'LEAD_GENERATION'], ['sales', 'OFFSITE_CONVERSIONS'], ['app_installs', 'APP_INSTALLS'],
  ] as const)('defaults the optimisation goal of a %s campaign to %s', async (objective, goal) => {
    const a = await adapter();
    const campaign = await a.createCampaign({ name: `Goal ${objective}`, objective, status: 'paused', budget: null });
    const g = await a.createAdGroup!(input({ campaignId: campaign.id }));
    expect(adSetPosts()[0]!.json).toMatchObject({ optimization_goal: goal });
    expect(g.optimization).toBe(goal);
  });

  it('accepts the campaign\'s own objective on an ad set (video views live under awareness on Meta)', async () => {
    const a = await adapter();
    expect((await a.createAdGroup!(input({ objective: 'video_views' }))).optimization).toBe('REACH');
    expect((await a.createAdGroup!(input({ objective: 'awareness', optimization: 'THRUPLAY' }))).optimization).toBe('THRUPLAY');
  });

  it('creates under a campaign budget without an ad set budget or bid strategy (the campaign owns both)', async () => {
    const a = await adapter();
    const g = await a.createAdGroup!(input({ campaignId: CBO, budget: null }));
    const body = adSetPosts()[0]!.json as Record<string, unknown>;
    expect(body).not.toHaveProperty('daily_budget');
    expect(body).not.toHaveProperty('bid_strategy');
    expect(body.optimization_goal).toBe('LINK_CLICKS');
    expect(g.budget).toBeNull();
  });

  it('merges a targeting change into the ad set\'s spec, keeping keys adctl does not model', async () => {
    sandbox.state.mutate((s) => {
      const set = (s.meta as { adSets: Array<{ id: string; targeting: Record<string, unknown> }> }).adSets.find((x) => x.id === '120220000000004')!;
      set.targeting = { ...set.targeting, flexible_spec: [{ interests: [{ id: '6003', name: 'Ramen' }] }], geo_locations: { countries: ['JP'], location_types: ['home'] } };
    });
    const a = await adapter();
    const g = await a.updateAdGroup!('120220000000004', { targeting: { countries: ['JP', 'TW'], ageMax: null } });
    expect(writes()[0]!.json).toEqual({
      targeting: { geo_locations: { countries: ['JP', 'TW'], location_types: ['home'] }, age_min: 18, flexible_spec: [{ interests: [{ id: '6003', name: 'Ramen' }] }] },
    });
    expect(g.targeting).toEqual({ countries: ['JP', 'TW'], ageMin: 18, ageMax: null, publisherPlatforms: [], placements: [] });
  });

  it('lists deleted ad sets only when asked', async () => {
    const a = await adapter();
    await a.deleteAdGroup!('120220000000005');
    expect((await a.listAdGroups!({ campaignId: NO_CBO })).map((g) => g.id)).toEqual(['120220000000004']);
    expect((await a.listAdGroups!({ campaignId: NO_CBO, statuses: ['deleted'] })).map((g) => g.id)).toEqual(['120220000000005']);
  });
});

describe('Meta ad set combinations refused before sending (no write request reaches the server)', () => {
  const createCases: Array<[string, Partial<AdGroupCreateInput>, string]> = [
    ['an ad set budget under a campaign budget', { campaignId: CBO }, 'CAMPAIGN_BUDGET_CONFLICT'],
    ['no budget under a campaign without one', { budget: null }, 'BUDGET_REQUIRED'],
    ['a lifetime budget without an end', { budget: { period: 'lifetime', money: parseMoney('70000 JPY') } }, 'END_REQUIRED'],
    ['an end before the start', { start: END, end: START }, 'INVALID_SCHEDULE'],
    ['a bid amount with automatic bidding', { bid: { strategy: 'auto', money: parseMoney('100 JPY') } }, 'BID_AMOUNT_NOT_ALLOWED'],
    ['a bid cap without an amount', { bid: { strategy: 'max', money: null } }, 'BID_AMOUNT_REQUIRED'],
    ['a cost cap without an amount', { bid: { strategy: 'cost_cap', money: null } }, 'BID_AMOUNT_REQUIRED'],
    ['target-cost bidding, which Meta no longer has', { bid: { strategy: 'target', money: parseMoney('100 JPY') } }, 'UNSUPPORTED_BID_STRATEGY'],
    ['a goal the objective does not allow (LINK_CLICKS on awareness)', { optimization: 'LINK_CLICKS' }, 'INVALID_OPTIMIZATION'],
    ['an age below 13', { targeting: { countries: ['JP'], ageMin: 12 } }, 'INVALID_AGE_RANGE'],
    ['an age above 65', { targeting: { countries: ['JP'], ageMax: 70 } }, 'INVALID_AGE_RANGE'],
    ['a minimum age above the maximum', { targeting: { countries: ['JP'], ageMin: 50, ageMax: 30 } }, 'INVALID_AGE_RANGE'],
    ['no country', { targeting: { ageMin: 20 } }, 'INVALID_TARGETING'],
    ['an X placement', { targeting: { countries: ['JP'], placements: ['timeline'] } }, 'INVALID_TARGETING'],
    ['the X publisher platform', { targeting: { countries: ['JP'], publisherPlatforms: ['x'] } }, 'INVALID_TARGETING'],
    ['an objective other than the campaign\'s (traffic under awareness)', { objective: 'traffic' }, 'OBJECTIVE_MISMATCH'],
    ['money in another currency', { budget: { period: 'daily', money: parseMoney('70 USD') } }, 'CURRENCY_MISMATCH'],
  ];
  it.each(createCases)('create: %s', async (_, over, code) => {
    const err = await refused((a) => a.createAdGroup!(input(over)));
    expect({ code: err.code, exitCode: err.exitCode }).toEqual({ code, exitCode: 64 });
    expect(err.message).not.toContain('\n');
    expect(err.hint).toBeTruthy();
  });

  const updateCases: Array<[string, string, AdGroupPatch, string]> = [
    ['a budget on an ad set whose campaign has a campaign budget', '120220000000001', { budget: { period: 'daily', money: parseMoney('1000 JPY') } }, 'CAMPAIGN_BUDGET_CONFLICT'],
    ['switching a daily budget to a lifetime one', '120220000000004', { budget: { period: 'lifetime', money: parseMoney('70000 JPY') }, end: END }, 'BUDGET_TYPE_CHANGE'],
    ['a bid amount with automatic bidding', '120220000000004', { bid: { strategy: 'auto', money: parseMoney('100 JPY') } }, 'BID_AMOUNT_NOT_ALLOWED'],
    ['a cost cap without an amount', '120220000000004', { bid: { strategy: 'cost_cap', money: null } }, 'BID_AMOUNT_REQUIRED'],
    ['an end before the ad set\'s start', '120220000000004', { end: '2020-01-01T00:00:00Z' }, 'INVALID_SCHEDULE'],
    ['an age above 65', '120220000000004', { targeting: { ageMax: 66 } }, 'INVALID_AGE_RANGE'],
  ];
  it.each(updateCases)('update: %s', async (_, id, patch, code) => {
    const err = await refused((a) => a.updateAdGroup!(id, patch));
    expect({ code: err.code, exitCode: err.exitCode }).toEqual({ code, exitCode: 64 });
    expect(err.hint).toBeTruthy();
  });

  it('campaign update: a campaign budget on a campaign whose ad sets have budgets (the other side of the same rule)', async () => {
    const err = await refused((a) => a.updateCampaign(NO_CBO, { budget: { period: 'daily', money: parseMoney('5000 JPY') } }));
    expect({ code: err.code, exitCode: err.exitCode }).toEqual({ code: 'CAMPAIGN_BUDGET_CONFLICT', exitCode: 64 });
    expect(err.message).toContain('meta:120220000000004');
    // A campaign that already owns the budget keeps changing it freely.
    const a = await adapter();
    expect((await a.updateCampaign(CBO, { budget: { period: 'daily', money: parseMoney('6000 JPY') } })).budget).toEqual({ period: 'daily', amount: '6000', currency: 'JPY' });
  });

  it('names the campaign and its budget in the CBO refusal', async () => {
    const err = await refused((a) => a.createAdGroup!(input({ campaignId: CBO })));
    expect(err.message).toContain(CBO);
    expect(err.message).toMatch(/daily campaign budget/);
    expect(err.hint).toMatch(/leave the ad set budget out/);
  });
});

describe('Meta batch budget changes keep the budget rule', () => {
  it('campaign batch: a campaign whose ad sets own budgets fails alone (exit 64) and is not in the batch', async () => {
    const a = await adapter();
    const out = await a.updateCampaignsBatch!([
      { id: NO_CBO, patch: { budget: { period: 'daily', money: parseMoney('5000 JPY') } } },
      { id: CBO, patch: { budget: { period: 'daily', money: parseMoney('6000 JPY') } } },
    ]);
    expect(out.map((r) => [r.id, r.ok, r.error?.code, r.error?.exitCode])).toEqual([[NO_CBO, false, 'CAMPAIGN_BUDGET_CONFLICT', 64], [CBO, true, undefined, undefined]]);
    const batches = writes().map((r) => JSON.parse(r.params.batch!) as Array<{ relative_url: string }>);
    expect(batches.map((b) => b.map((op) => op.relative_url))).toEqual([[CBO]]);
  });
});

describe("Meta's own ad set errors, classified", () => {
  it('an ad set changed elsewhere: Meta\'s CBO refusal of a batch item is typed like a single call (exit 1)', async () => {
    const a = await adapter();
    // The campaign gains a budget between the check and the batch: only Meta can refuse then.
    // The batch check reads the account's ad set budgets once; here that reading is stale.
    sandbox.addFault({ platform: 'meta', method: 'GET', path: `/${SANDBOX_META.adAccountId}/adsets`, times: 1, action: { type: 'status', status: 200, body: { data: [{ id: '120220000000004', campaign_id: '120210000000103', daily_budget: '2000' }] } } });
    sandbox.state.mutate((s) => {
      (s.meta as { adSets: Array<{ id: string; campaign_id: string }> }).adSets.find((x) => x.id === '120220000000004')!.campaign_id = CBO;
    });
    const out = await a.updateAdGroupsBatch!([{ id: '120220000000004', patch: { budget: { period: 'daily', money: parseMoney('2500 JPY') } } }]);
    expect(out).toEqual([{ id: '120220000000004', ok: false, error: expect.objectContaining({ code: 'CAMPAIGN_BUDGET_CONFLICT', exitCode: 1 }) }]);
  });

  it('the batch budget check reads the account twice (ad sets, campaigns) for any number of items, not once per item', async () => {
    const a = await adapter();
    sandbox.requests.length = 0;
    const ids = ['120220000000004', '120220000000005', '120220000000006'];
    await a.updateAdGroupsBatch!(ids.map((id) => ({ id, patch: { budget: { period: 'daily', money: parseMoney('2600 JPY') } } })));
    await a.updateAdGroupsBatch!(ids.map((id) => ({ id, patch: { budget: { period: 'daily', money: parseMoney('2700 JPY') } } })));
    // (The account itself is read once for its currency.)
    const reads = sandbox.requests.filter((r) => r.method === 'GET' && !/\/act_\d+$/.test(r.path));
    expect(reads.map((r) => r.path.replace(/^\/v\d+\.\d+/, '')).sort()).toEqual([`/${SANDBOX_META.adAccountId}/adsets`, `/${SANDBOX_META.adAccountId}/campaigns`]);
  });

  it('a budget below the currency minimum comes back as BUDGET_TOO_LOW (exit 1) with Meta\'s message, sent once', async () => {
    const a = await adapter();
    const err = await a.createAdGroup!(input({ budget: { period: 'daily', money: parseMoney('99 JPY') } })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BUDGET_TOO_LOW', exitCode: 1 });
    expect((err as AdctlError).message).toMatch(/JPY100/);
    expect(adSetPosts()).toHaveLength(1);
  });

  it('a Graph batch of ad set updates: a budget under a campaign budget fails alone before sending (exit 64), the others go in one batch', async () => {
    const a = await adapter();
    const out = await a.updateAdGroupsBatch!([
      { id: '120220000000004', patch: { name: 'Batch A', budget: { period: 'daily', money: parseMoney('2500 JPY') } } },
      { id: '120220000000001', patch: { budget: { period: 'daily', money: parseMoney('1000 JPY') } } },
      { id: '120220000000005', patch: { status: 'active' } },
    ]);
    expect(out.map((r) => [r.id, r.ok, r.error?.code, r.error?.exitCode])).toEqual([
      ['120220000000004', true, undefined, undefined], ['120220000000001', false, 'CAMPAIGN_BUDGET_CONFLICT', 64], ['120220000000005', true, undefined, undefined],
    ]);
    const batches = writes().map((r) => JSON.parse(r.params.batch!) as Array<{ relative_url: string; body: string }>);
    expect(batches.map((b) => b.map((op) => op.relative_url))).toEqual([['120220000000004', '120220000000005']]);
    expect(batches[0]![0]!.body).toBe('name=Batch+A&daily_budget=2500');
    const got = await a.getAdGroup!('120220000000004');
    expect({ name: got.name, budget: got.budget }).toEqual({ name: 'Batch A', budget: { period: 'daily', amount: '2500', currency: 'JPY' } });
    expect((await a.getAdGroup!('120220000000005')).status).toBe('active');
  });
});
