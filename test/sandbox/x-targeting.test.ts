/**
 * The X sandbox's targeting criteria and line item validation, spoken to with twitter-api-v2's raw
 * Ads client (OAuth 1.0a over HTTP, REFERENCE §D.1 recipe), no adctl client code: location lookups,
 * criteria CRUD and X's own refusals for line items (bids, goals, budget steps and caps, objectives).
 */
import { Agent } from 'node:http';
import { TwitterApi } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const A = SANDBOX_X.adsAccountId;
function ads() {
  const agent = new Agent();
  const toSandbox = { onBeforeRequestConfig({ params }: { params: { url: string } }) { params.url = params.url.replace(/^https:\/\/[^/]+/, sandbox.url); } };
  return new TwitterApi({ appKey: SANDBOX_X.apiKey, appSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret }, { plugins: [toSandbox], httpAgent: agent }).ads;
}
/** The X error of a refused call: `{status, code, parameter, message}`. */
async function refused(p: Promise<unknown>) {
  const e = (await p.then(() => undefined, (x: unknown) => x)) as { code: number; data: { errors: Array<{ code: string; parameter?: string; message: string }> } } | undefined;
  expect(e, 'the call should have been refused').toBeDefined();
  return { status: e!.code, ...e!.data.errors[0]! };
}
type Data = { data: Record<string, unknown> & Array<Record<string, unknown>> };
const lineItem = (over: Record<string, unknown> = {}) => ({ campaign_id: '8wku3', objective: 'WEBSITE_CLICKS', product_type: 'PROMOTED_TWEETS', placements: 'ALL_ON_TWITTER', entity_status: 'PAUSED', ...over });

describe('X targeting options', () => {
  it('looks countries up by code: an opaque targeting_value, not the code, stable across calls', async () => {
    const jp = (await ads().get('targeting_criteria/locations', { location_type: 'COUNTRIES', country_code: 'JP' })) as Data;
    expect(jp.data).toHaveLength(1);
    expect(jp.data[0]).toMatchObject({ name: 'Japan', country_code: 'JP', location_type: 'COUNTRIES', targeting_type: 'LOCATION' });
    expect(jp.data[0]!.targeting_value).toMatch(/^[0-9a-f]{16}$/);
    const all = (await ads().get('targeting_criteria/locations', { location_type: 'COUNTRIES', count: 1000 })) as Data;
    expect(all.data.length).toBeGreaterThan(200);
    expect(all.data.find((l) => l.country_code === 'JP')!.targeting_value).toBe(jp.data[0]!.targeting_value);
    expect(((await ads().get('targeting_criteria/locations', { location_type: 'CITIES', q: 'tokyo' })) as Data).data).toEqual([]);
  });
});

describe('X targeting criteria', () => {
  it('creates, lists and deletes criteria of a line item; LOCATION takes a looked-up value, AGE one bucket', async () => {
    const li = ((await ads().post(`accounts/${A}/line_items`, lineItem())) as Data).data.id as string;
    const us = ((await ads().get('targeting_criteria/locations', { location_type: 'COUNTRIES', country_code: 'US' })) as Data).data[0]!.targeting_value as string;
    const loc = (await ads().post(`accounts/${A}/targeting_criteria`, { line_item_id: li, targeting_type: 'LOCATION', targeting_value: us })) as Data;
    expect(loc.data).toMatchObject({ line_item_id: li, targeting_type: 'LOCATION', targeting_value: us, operator_type: 'EQ', name: 'United States', location_type: 'COUNTRIES', deleted: false });
    await ads().post(`accounts/${A}/targeting_criteria`, { line_item_id: li, targeting_type: 'AGE', targeting_value: 'AGE_18_TO_34' });
    expect(await refused(ads().post(`accounts/${A}/targeting_criteria`, { line_item_id: li, targeting_type: 'AGE', targeting_value: 'AGE_OVER_50' })))
      .toMatchObject({ status: 400, code: 'INVALID_PARAMETER', parameter: 'targeting_type', message: expect.stringContaining('single age bucket') });
    expect(await refused(ads().post(`accounts/${A}/targeting_criteria`, { line_item_id: li, targeting_type: 'LOCATION', targeting_value: 'US' })))
      .toMatchObject({ status: 400, parameter: 'targeting_value' });
    expect(await refused(ads().post(`accounts/${A}/targeting_criteria`, { line_item_id: li, targeting_type: 'AGE', targeting_value: 'AGE_18_TO_65' })))
      .toMatchObject({ status: 400, parameter: 'targeting_value', message: expect.stringContaining('AGE_OVER_50') });
    const listed = (await ads().get(`accounts/${A}/targeting_criteria`, { line_item_ids: li })) as Data;
    expect(listed.data.map((c) => c.targeting_type).sort()).toEqual(['AGE', 'LOCATION']);
    const gone = (await ads().delete(`accounts/${A}/targeting_criteria/${loc.data.id as string}`)) as Data;
    expect(gone.data.deleted).toBe(true);
    expect(((await ads().get(`accounts/${A}/targeting_criteria`, { line_item_ids: li })) as Data).data.map((c) => c.targeting_type)).toEqual(['AGE']);
    expect(await refused(ads().get(`accounts/${A}/targeting_criteria`))).toMatchObject({ status: 400, code: 'MISSING_PARAMETER', parameter: 'line_item_ids' });
  });

  it('takes criteria in an all-or-nothing batch of Create and Delete operations', async () => {
    const us = ((await ads().get('targeting_criteria/locations', { location_type: 'COUNTRIES', country_code: 'US' })) as Data).data[0]!.targeting_value as string;
    const ok = (await ads().post(`batch/accounts/${A}/targeting_criteria`, [
      { operation_type: 'Delete', params: { targeting_criterion_id: 't1a02' } },
      { operation_type: 'Create', params: { line_item_id: 'l1a01', targeting_type: 'AGE', targeting_value: 'AGE_OVER_50' } },
    ], { forceBodyMode: 'json' })) as Data;
    expect(ok.data.map((c) => [c.targeting_type, c.targeting_value, c.deleted])).toEqual([['AGE', 'AGE_25_TO_49', true], ['AGE', 'AGE_OVER_50', false]]);
    const e = (await ads().post(`batch/accounts/${A}/targeting_criteria`, [
      { operation_type: 'Create', params: { line_item_id: 'l1a01', targeting_type: 'LOCATION', targeting_value: us } },
      { operation_type: 'Create', params: { line_item_id: 'l1a01', targeting_type: 'AGE', targeting_value: 'AGE_18_TO_34' } },
    ], { forceBodyMode: 'json' }).then(() => undefined, (x: unknown) => x)) as { code: number; data: { operation_errors: Array<Array<{ parameter?: string }>> } };
    expect(e.code).toBe(400);
    // The second item broke the single-age-bucket rule (the first: X already had it); nothing applied.
    expect(e.data.operation_errors.map((errs) => errs.map((x) => x.parameter))).toEqual([['targeting_value'], ['targeting_type']]);
    const after = (await ads().get(`accounts/${A}/targeting_criteria`, { line_item_ids: 'l1a01' })) as Data;
    expect(after.data.map((c) => c.targeting_value).sort()).toEqual(['AGE_OVER_50', us].sort());
    expect(await refused(ads().post(`batch/accounts/${A}/targeting_criteria`, [{ operation_type: 'Update', params: { targeting_criterion_id: 't1a01' } }], { forceBodyMode: 'json' })))
      .toMatchObject({ status: 400 });
  });

  it('seeds the website-clicks line item with a US location and the 25–49 age bucket', async () => {
    const seeded = (await ads().get(`accounts/${A}/targeting_criteria`, { line_item_ids: 'l1a01' })) as Data;
    expect(seeded.data.map((c) => `${c.targeting_type}:${c.name}`).sort()).toEqual(['AGE:25 to 49', 'LOCATION:United States']);
  });
});

describe('X line item lists', () => {
  it('filter by name (q) and by funding instrument', async () => {
    await ads().post(`accounts/${A}/line_items`, lineItem({ name: 'Cold brew Boston' }));
    const byName = (await ads().get(`accounts/${A}/line_items`, { q: 'brew bos' })) as Data;
    expect(byName.data.map((l) => l.name)).toEqual(['Cold brew Boston']);
    const byFi = (await ads().get(`accounts/${A}/line_items`, { funding_instrument_ids: '7cdql' })) as Data;
    expect(byFi.data).toEqual([]);
    expect(((await ads().get(`accounts/${A}/line_items`, { funding_instrument_ids: '5aa0p' })) as Data).data.length).toBe(3);
  });
});

describe('X line item validation', () => {
  it('fills in the goal from the objective and refuses a goal the objective does not have', async () => {
    expect(((await ads().post(`accounts/${A}/line_items`, lineItem())) as Data).data.goal).toBe('LINK_CLICKS');
    expect(await refused(ads().post(`accounts/${A}/line_items`, lineItem({ goal: 'MAX_REACH' })))).toMatchObject({ status: 400, parameter: 'goal' });
  });

  it('refuses MAX bids on REACH, and MAX/TARGET without bid_amount_local_micro', async () => {
    expect(await refused(ads().post(`accounts/${A}/line_items`, lineItem({ campaign_id: '8wku3', objective: 'REACH', bid_strategy: 'MAX', bid_amount_local_micro: 1_000_000 }))))
      .toMatchObject({ status: 400, code: 'INVALID_PARAMETER', parameter: 'bid_strategy', message: expect.stringContaining('MAX is not allowed with objective REACH') });
    expect(await refused(ads().post(`accounts/${A}/line_items`, lineItem({ bid_strategy: 'TARGET' }))))
      .toMatchObject({ status: 400, code: 'MISSING_PARAMETER', parameter: 'bid_amount_local_micro' });
  });

  it('refuses a line item whose objective differs from its siblings in the campaign', async () => {
    expect(await refused(ads().post(`accounts/${A}/line_items`, lineItem({ campaign_id: '8wku2', objective: 'ENGAGEMENTS' }))))
      .toMatchObject({ status: 400, parameter: 'objective', message: expect.stringContaining('must all use objective WEBSITE_CLICKS') });
  });

  it('refuses amounts that are not whole steps of 10000 micros, budgets under the minimum and an end before the start', async () => {
    expect(await refused(ads().post(`accounts/${A}/line_items`, lineItem({ bid_strategy: 'MAX', bid_amount_local_micro: 1_234_567 }))))
      .toMatchObject({ parameter: 'bid_amount_local_micro', message: expect.stringContaining('multiple of 10000') });
    expect(await refused(ads().post(`accounts/${A}/line_items`, lineItem({ daily_budget_amount_local_micro: 500_000 }))))
      .toMatchObject({ parameter: 'daily_budget_amount_local_micro', message: expect.stringContaining('at least 1000000') });
    expect(await refused(ads().post(`accounts/${A}/line_items`, lineItem({ start_time: '2026-12-10T00:00:00Z', end_time: '2026-12-01T00:00:00Z' }))))
      .toMatchObject({ parameter: 'end_time' });
  });

  it("refuses a daily budget above the campaign's, on create and on update", async () => {
    // Cold Brew Launch has a 25.50 USD daily budget.
    expect(await refused(ads().post(`accounts/${A}/line_items`, lineItem({ daily_budget_amount_local_micro: 30_000_000 }))))
      .toMatchObject({ parameter: 'daily_budget_amount_local_micro', message: expect.stringContaining('exceeds the daily budget of campaign 8wku3') });
    const li = ((await ads().post(`accounts/${A}/line_items`, lineItem({ daily_budget_amount_local_micro: 25_500_000 }))) as Data).data.id as string;
    expect(await refused(ads().put(`accounts/${A}/line_items/${li}`, { daily_budget_amount_local_micro: 25_510_000 })))
      .toMatchObject({ parameter: 'daily_budget_amount_local_micro' });
    expect(((await ads().get(`accounts/${A}/line_items/${li}`)) as Data).data.daily_budget_amount_local_micro).toBe(25_500_000);
  });
});
