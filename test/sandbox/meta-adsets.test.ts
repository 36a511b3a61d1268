/**
 * The Meta sandbox's ad set routes, checked with plain HTTP (no adctl code on the client side):
 * wire shapes, paging, filtering, and Meta's own validation errors for budgets, bids, schedules,
 * targeting and optimisation goals.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_META } from '../../src/sandbox/credentials.js';
import { ADSET_ERRORS } from '../../src/sandbox/meta/adsets.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));
const token = `access_token=${SANDBOX_META.accessToken}`;

/** Brand Awareness Tokyo has no campaign budget; Winter Ramen (traffic) has a daily campaign budget. */
const NO_CBO = '120210000000103';
const CBO = '120210000000101';

type GraphError = { error: { code: number; error_subcode?: number; error_user_title?: string; error_user_msg?: string; fbtrace_id: string; message: string } };

async function get<T>(path: string): Promise<T> {
  return (await (await fetch(`${sandbox.url}/v26.0/${path}${path.includes('?') ? '&' : '?'}${token}`)).json()) as T;
}
async function post(path: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> & Partial<GraphError> }> {
  const res = await fetch(`${sandbox.url}/v26.0/${path}?${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & Partial<GraphError> };
}

const valid = (over: Record<string, unknown> = {}) => ({
  name: 'Tokyo 25-44', campaign_id: NO_CBO, status: 'PAUSED', daily_budget: 2000, billing_event: 'IMPRESSIONS', optimization_goal: 'REACH',
  targeting: { geo_locations: { countries: ['JP'] }, age_min: 25, age_max: 44 }, id: 'act_1001', ...over,
});

describe('Meta sandbox ad sets', () => {
  it('lists seeded ad sets with budgets as strings, filters by effective_status and campaign, and pages with absolute next URLs', async () => {
    const all = await get<{ data: Array<{ id: string; daily_budget?: string; effective_status: string }> }>('act_1001/adsets?fields=name,daily_budget,effective_status,campaign_id');
    expect(all.data.map((a) => a.id)).toEqual(['120220000000001', '120220000000002', '120220000000003', '120220000000004', '120220000000005']);
    expect(all.data.find((a) => a.id === '120220000000004')!.daily_budget).toBe('2000');
    const paused = await get<{ data: Array<{ id: string }> }>(`act_1001/adsets?effective_status=${encodeURIComponent('["PAUSED"]')}`);
    expect(paused.data.map((a) => a.id)).toEqual(['120220000000002', '120220000000003', '120220000000005']);
    const byCampaign = await get<{ data: Array<{ id: string }> }>(`${NO_CBO}/adsets`);
    expect(byCampaign.data.map((a) => a.id)).toEqual(['120220000000004', '120220000000005']);
    const filtered = await get<{ data: Array<{ id: string }> }>(`act_1001/adsets?filtering=${encodeURIComponent(JSON.stringify([{ field: 'campaign.id', operator: 'IN', value: [CBO] }]))}`);
    expect(filtered.data.map((a) => a.id)).toEqual(['120220000000001', '120220000000002']);
    const byRule = await get<{ data: Array<{ id: string }> }>(`act_1001/adsets?filtering=${encodeURIComponent(JSON.stringify([{ field: 'effective_status', operator: 'IN', value: ['ACTIVE'] }]))}`);
    expect(byRule.data.map((a) => a.id)).toEqual(['120220000000001', '120220000000004']);
    const first = await get<{ data: unknown[]; paging: { next?: string; cursors: { after: string } } }>('act_1001/adsets?limit=2');
    expect(first.data).toHaveLength(2);
    expect(first.paging.next!.startsWith(`${sandbox.url}/v26.0/act_1001/adsets?`)).toBe(true);
    const second = (await (await fetch(first.paging.next!)).json()) as { data: Array<{ id: string }> };
    expect(second.data.map((a) => a.id)).toEqual(['120220000000003', '120220000000004']);
  });

  it('creates, reads, updates and deletes an ad set; a deleted one leaves the list but still reads', async () => {
    const created = await post('act_1001/adsets', valid({ bid_strategy: 'LOWEST_COST_WITH_BID_CAP', bid_amount: 250, start_time: '2027-01-01T00:00:00+0900', end_time: 1798761600 }));
    expect(created.status).toBe(200);
    const id = created.json.id as string;
    expect(id).toMatch(/^120220\d{9}$/);
    const read = await get<Record<string, unknown>>(`${id}?fields=name,status,daily_budget,bid_strategy,bid_amount,targeting,start_time,end_time,optimization_goal`);
    expect(read).toEqual({
      id, name: 'Tokyo 25-44', status: 'PAUSED', daily_budget: '2000', bid_strategy: 'LOWEST_COST_WITH_BID_CAP', bid_amount: 250, optimization_goal: 'REACH',
      targeting: { geo_locations: { countries: ['JP'] }, age_min: 25, age_max: 44 }, start_time: '2026-12-31T15:00:00+0000', end_time: '2027-01-01T00:00:00+0000',
    });
    expect((await post(id, { name: 'Renamed', daily_budget: 3000, id })).json).toEqual({ success: true });
    expect(await get(`${id}?fields=name,daily_budget`)).toEqual({ id, name: 'Renamed', daily_budget: '3000' });
    const del = await fetch(`${sandbox.url}/v26.0/${id}?${token}`, { method: 'DELETE' });
    expect(await del.json()).toEqual({ success: true });
    expect((await get<{ data: Array<{ id: string }> }>('act_1001/adsets')).data.map((a) => a.id)).not.toContain(id);
    expect(await get(`${id}?fields=status`)).toEqual({ id, status: 'DELETED' });
  });

  it('answers an unknown ad set id with code 100 / subcode 33', async () => {
    const missing = await get<GraphError>('120220999999999?fields=name');
    expect(missing.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  const refusals: Array<[string, Record<string, unknown>, number]> = [
    ['an ad set budget under a campaign budget', valid({ campaign_id: CBO, optimization_goal: 'LINK_CLICKS' }), ADSET_ERRORS.CAMPAIGN_BUDGET_CONFLICT],
    ['no budget when the campaign has none', valid({ daily_budget: undefined }), ADSET_ERRORS.BUDGET_REQUIRED],
    ['a lifetime budget without end_time', valid({ daily_budget: undefined, lifetime_budget: 50000 }), ADSET_ERRORS.LIFETIME_NEEDS_END],
    ['a daily budget below the currency minimum (100 JPY)', valid({ daily_budget: 99 }), ADSET_ERRORS.BUDGET_TOO_LOW],
    ['a lifetime budget below the minimum for its days', valid({ daily_budget: undefined, lifetime_budget: 999, start_time: '2027-01-01T00:00:00Z', end_time: '2027-01-11T00:00:00Z' }), ADSET_ERRORS.BUDGET_TOO_LOW],
    ['a bid cap without bid_amount', valid({ bid_strategy: 'LOWEST_COST_WITH_BID_CAP' }), ADSET_ERRORS.BID_AMOUNT_REQUIRED],
    ['a cost cap without bid_amount', valid({ bid_strategy: 'COST_CAP' }), ADSET_ERRORS.BID_AMOUNT_REQUIRED],
    ['a bid amount with lowest cost without cap', valid({ bid_strategy: 'LOWEST_COST_WITHOUT_CAP', bid_amount: 100 }), ADSET_ERRORS.BID_AMOUNT_NOT_ALLOWED],
    ['an optimisation goal the objective does not allow', valid({ optimization_goal: 'LINK_CLICKS' }), ADSET_ERRORS.GOAL_NOT_FOR_OBJECTIVE],
    ['an age below 13', valid({ targeting: { geo_locations: { countries: ['JP'] }, age_min: 12 } }), ADSET_ERRORS.AGE_OUT_OF_RANGE],
    ['an age above 65', valid({ targeting: { geo_locations: { countries: ['JP'] }, age_max: 66 } }), ADSET_ERRORS.AGE_OUT_OF_RANGE],
    ['age_min above age_max', valid({ targeting: { geo_locations: { countries: ['JP'] }, age_min: 40, age_max: 30 } }), ADSET_ERRORS.AGE_OUT_OF_RANGE],
    ['an end before the start', valid({ start_time: '2027-01-10T00:00:00Z', end_time: '2027-01-09T00:00:00Z' }), ADSET_ERRORS.END_BEFORE_START],
    ['targeting without countries', valid({ targeting: { age_min: 20 } }), ADSET_ERRORS.TARGETING_INVALID],
  ];
  it.each(refusals)('refuses %s with code 100, its subcode, a user title and message, and a fbtrace_id; nothing is stored', async (_, body, subcode) => {
    const before = (sandbox.state.read().meta as { adSets: unknown[] }).adSets.length;
    const r = await post('act_1001/adsets', body);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 100, error_subcode: subcode, message: '(#100) Invalid parameter' });
    expect(r.json.error!.error_user_title).toBeTruthy();
    expect(r.json.error!.error_user_msg).toBeTruthy();
    expect(r.json.error!.fbtrace_id).toMatch(/^[\w-]{6,}$/);
    expect((sandbox.state.read().meta as { adSets: unknown[] }).adSets).toHaveLength(before);
  });

  it('validates updates against the whole ad set: a budget under a campaign budget, switching budget type, removing the only budget', async () => {
    const onCbo = await post('120220000000001', { daily_budget: 1000 });
    expect(onCbo.json.error).toMatchObject({ error_subcode: ADSET_ERRORS.CAMPAIGN_BUDGET_CONFLICT });
    const switchType = await post('120220000000004', { lifetime_budget: 100000, end_time: '2027-06-01T00:00:00Z' });
    expect(switchType.json.error).toMatchObject({ error_subcode: ADSET_ERRORS.BUDGET_TYPE_CHANGE });
    const none = await post('120220000000004', { daily_budget: 0 });
    expect(none.json.error).toMatchObject({ error_subcode: ADSET_ERRORS.BUDGET_REQUIRED });
    // The unchanged parts of a valid ad set stay valid: a rename of a CBO ad set is fine.
    expect((await post('120220000000001', { name: 'Ramen fans' })).json).toEqual({ success: true });
    expect(await get('120220000000004?fields=daily_budget')).toEqual({ id: '120220000000004', daily_budget: '2000' });
  });

  it('refuses a campaign budget on a campaign whose ad sets have their own (subcode 1885621)', async () => {
    const r = await post(NO_CBO, { daily_budget: 5000 });
    expect(r.json.error).toMatchObject({ code: 100, error_subcode: ADSET_ERRORS.CAMPAIGN_BUDGET_CONFLICT });
    expect(await get(`${NO_CBO}?fields=daily_budget`)).toEqual({ id: NO_CBO });
  });

  it('runs ad set updates in a Graph batch (form bodies) through the same routes and validation', async () => {
    const batch = [
      { method: 'POST', relative_url: '120220000000004', body: 'name=Batch+renamed&daily_budget=2500' },
      { method: 'POST', relative_url: '120220000000001', body: 'daily_budget=1000' },
      { method: 'POST', relative_url: '120220000000005', body: `targeting=${encodeURIComponent(JSON.stringify({ geo_locations: { countries: ['JP', 'KR'] } }))}` },
    ];
    const res = await post('', { batch });
    const items = res.json as unknown as Array<{ code: number; body: string }>;
    expect(items.map((i) => i.code)).toEqual([200, 400, 200]);
    expect((JSON.parse(items[1]!.body) as GraphError).error.error_subcode).toBe(ADSET_ERRORS.CAMPAIGN_BUDGET_CONFLICT);
    expect(await get('120220000000004?fields=name,daily_budget')).toEqual({ id: '120220000000004', name: 'Batch renamed', daily_budget: '2500' });
    expect(await get('120220000000005?fields=targeting')).toEqual({ id: '120220000000005', targeting: { geo_locations: { countries: ['JP', 'KR'] } } });
  });
});
