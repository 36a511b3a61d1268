/**
 * X line items as ad groups, over real HTTP against the sandbox (twitter-api-v2, OAuth 1.0a): the
 * exact wire values (micros, bids, goals, placements, targeting criteria), the targeting round
 * trip, the combinations refused before any write (each proven by the sandbox's request log), and
 * X's own line item refusals typed. Plus golden tests of the pure mappings.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../../src/core/adapter.js';
import { AdctlError } from '../../../src/core/errors.js';
import { parseMoney } from '../../../src/core/money.js';
import type { AdGroupCreateInput } from '../../../src/core/model.js';
import { ageBucket, ageFromBucket, objectiveOfGoal, placementsFromWire, placementsToWire } from '../../../src/plugins/x/adgroups.js';
import { lineItemError } from '../../../src/plugins/x/line-item-errors.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { countryLocations } from '../../../src/sandbox/x/targeting.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { makeX } from './make-adapter.js';

let sandbox: SandboxServer;
let x: PlatformAdapter;
useSandbox((s) => (sandbox = s));

const location = (cc: string) => countryLocations().find((l) => l.country_code === cc)!.targeting_value;
const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');
const posted = (fragment: string) => writes().filter((r) => r.method === 'POST' && r.path.endsWith(fragment));
/** The operations of the targeting criteria batches sent, in order. */
const criteriaOps = () => posted('/targeting_criteria').flatMap((r) => r.json as Array<{ operation_type: string; params: Record<string, string> }>);
const brief = (o: { operation_type: string; params: Record<string, string> }) => `${o.operation_type} ${o.params.targeting_type ?? ''} ${o.params.targeting_value ?? o.params.targeting_criterion_id}`;
const adapter = async () => (x ??= await makeX({ url: sandbox.url }));
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as AdctlError);

// Cold Brew Launch (8wku3): USD, 25.50 daily / 1000.00 total campaign budgets, no line items yet.
const input = (over: Partial<AdGroupCreateInput> = {}): AdGroupCreateInput => ({
  campaignId: '8wku3', name: 'Cold brew NYC', status: 'paused', objective: 'traffic',
  budget: { period: 'lifetime', money: parseMoney('75.50 USD') }, bid: { strategy: 'max', money: parseMoney('1.25 USD') },
  start: '2026-12-01T14:00:00Z', end: '2026-12-31T14:00:00Z',
  targeting: { countries: ['JP', 'US'], ageMin: 18, ageMax: 34, publisherPlatforms: ['x'], placements: ['timeline', 'search'] },
  ...over,
});

/** Expect a refusal before sending: exit 64, the code, a reason and a hint, and no write request at all. */
async function refusedBeforeSending(p: Promise<unknown>, code: string, why: RegExp): Promise<void> {
  const e = await failure(p);
  expect(e).toBeInstanceOf(AdctlError);
  expect({ code: e.code, exitCode: e.exitCode }).toEqual({ code, exitCode: 64 });
  expect(e.message).toMatch(why);
  expect(e.hint).toBeTruthy();
  expect(writes()).toEqual([]);
}

describe('X ad groups on the wire', () => {
  it('creates a line item with exact micros, the objective, its default goal, placements and schedule, paused', async () => {
    const g = await (await adapter()).createAdGroup!(input());
    const [li] = posted('/line_items');
    expect(li!.params).toEqual({
      campaign_id: '8wku3', name: 'Cold brew NYC', objective: 'WEBSITE_CLICKS', product_type: 'PROMOTED_TWEETS', placements: 'TWITTER_TIMELINE,TWITTER_SEARCH',
      entity_status: 'PAUSED', goal: 'LINK_CLICKS', bid_strategy: 'MAX', bid_amount_local_micro: '1250000', total_budget_amount_local_micro: '75500000',
      start_time: '2026-12-01T14:00:00Z', end_time: '2026-12-31T14:00:00Z',
    });
    expect(g).toMatchObject({
      campaign: 'x:8wku3', status: 'paused', optimization: 'LINK_CLICKS', budget: { period: 'lifetime', amount: '75.50', currency: 'USD' },
      bid: { strategy: 'max', amount: { amount: '1.25', currency: 'USD' } }, schedule: { start: '2026-12-01T14:00:00Z', end: '2026-12-31T14:00:00Z' },
    });
  });

  it('sends countries as X location values and the age range as one X age bucket, in one targeting_criteria batch', async () => {
    const g = await (await adapter()).createAdGroup!(input());
    const batches = posted('/targeting_criteria');
    expect(batches.map((r) => r.path)).toEqual(['/12/batch/accounts/18ce54d4x5t/targeting_criteria']);
    expect(batches[0]!.json).toEqual([
      { operation_type: 'Create', params: { line_item_id: g.id, targeting_type: 'AGE', targeting_value: 'AGE_18_TO_34', operator_type: 'EQ' } },
      { operation_type: 'Create', params: { line_item_id: g.id, targeting_type: 'LOCATION', targeting_value: location('JP'), operator_type: 'EQ' } },
      { operation_type: 'Create', params: { line_item_id: g.id, targeting_type: 'LOCATION', targeting_value: location('US'), operator_type: 'EQ' } },
    ]);
    expect(g.targeting).toEqual({ countries: ['JP', 'US'], ageMin: 18, ageMax: 34, publisherPlatforms: ['x'], placements: ['search', 'timeline'] });
  });

  it('sends a country named twice once', async () => {
    const g = await (await adapter()).createAdGroup!(input({ targeting: { countries: ['US', 'US'] } }));
    expect(criteriaOps().map((o) => o.params.targeting_value)).toEqual([location('US')]);
    expect(g.targeting.countries).toEqual(['US']);
  });

  it('sets a daily budget of "75.50 USD" as 75500000 micros', async () => {
    // Always-on Followers (8wku4) has only a total budget, so its line item's daily budget is free.
    const g = await (await adapter()).updateAdGroup!('l1a02', { budget: { period: 'daily', money: parseMoney('75.50 USD') } });
    expect(writes().map((r) => [r.method, r.path, r.params])).toEqual([['PUT', '/12/accounts/18ce54d4x5t/line_items/l1a02', { daily_budget_amount_local_micro: '75500000' }]]);
    expect(g.budget).toEqual({ period: 'daily', amount: '75.50', currency: 'USD' });
  });

  it('creates an active line item paused, targets it, then activates it, so it never serves untargeted', async () => {
    const g = await (await adapter()).createAdGroup!(input({ status: 'active' }));
    expect(writes().map((r) => `${r.method} ${r.path.replace(/^.*\/accounts\/[^/]+\//, '')} ${r.params.entity_status ?? (r.json as unknown[] | undefined)?.length ?? ''}`)).toEqual([
      'POST line_items PAUSED', 'POST targeting_criteria 3', `PUT line_items/${g.id} ACTIVE`,
    ]);
    expect(g.status).toBe('active');
  });

  it('leaves a line item paused and names it when its targeting cannot be applied (TARGETING_INCOMPLETE)', async () => {
    sandbox.addFault({ platform: 'x', method: 'POST', path: '/targeting_criteria', action: { type: 'status', status: 400 } });
    const e = await failure((await adapter()).createAdGroup!(input({ status: 'active' })));
    expect(e.code).toBe('TARGETING_INCOMPLETE');
    const ref = (e.details as { ref: string }).ref;
    expect(e.message).toContain(ref);
    expect(e.hint).toContain(`adctl adgroup update ${ref}`);
    expect((await (await adapter()).getAdGroup!(ref.slice(2))).status).toBe('paused');
    expect(writes().some((r) => r.method === 'PUT')).toBe(false);
  });
});

describe('X ad group targeting round trip', () => {
  it('reads the seeded targeting criteria back as countries and ages', async () => {
    expect((await (await adapter()).getAdGroup!('l1a01')).targeting).toEqual({ countries: ['US'], ageMin: 25, ageMax: 49, publisherPlatforms: ['x'], placements: [] });
  });

  it('reconciles criteria on update in one batch: replaces the age bucket, adds and removes countries, keeps criteria adctl does not model', async () => {
    const a = await adapter();
    const { id } = await a.createAdGroup!(input());
    // A keyword criterion set elsewhere (X Ads Manager): adctl has no field for it and must keep it.
    sandbox.state.mutate((s) => {
      (s.x as { targetingCriteria: unknown[] }).targetingCriteria.push({ id: 'kw001', account_id: '18ce54d4x5t', line_item_id: id, name: 'coffee', targeting_type: 'BROAD_KEYWORD', targeting_value: 'coffee', operator_type: 'EQ', location_type: null, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z', deleted: false });
    });
    const old = (sandbox.state.read().x as { targetingCriteria: Array<{ id: string; line_item_id: string; targeting_type: string; targeting_value: string }> }).targetingCriteria
      .filter((c) => c.line_item_id === id);
    const idOf = (type: string, value: string) => old.find((c) => c.targeting_type === type && c.targeting_value === value)!.id;
    sandbox.requests.length = 0;
    const g = await a.updateAdGroup!(id, { targeting: { countries: ['US', 'CA'], ageMin: 50, ageMax: null, placements: [] } });
    expect(writes().map((r) => `${r.method} ${r.params.placements ?? ''}`)).toEqual(['PUT ALL_ON_TWITTER', 'POST ']);
    // One all-or-nothing batch: the old age bucket out first (X allows one), the rest in any order.
    expect(criteriaOps().map(brief)).toEqual([
      `Delete  ${idOf('AGE', 'AGE_18_TO_34')}`, 'Create AGE AGE_OVER_50', `Create LOCATION ${location('CA')}`, `Delete  ${idOf('LOCATION', location('JP'))}`,
    ]);
    expect(g.targeting).toEqual({ countries: ['CA', 'US'], ageMin: 50, ageMax: null, publisherPlatforms: ['x'], placements: [] });
    expect(await a.getAdGroup!(id)).toEqual(g);
    const kept = (sandbox.state.read().x as { targetingCriteria: Array<{ id: string; deleted: boolean }> }).targetingCriteria.find((c) => c.id === 'kw001');
    expect(kept?.deleted).toBe(false);
    // The same targeting again changes nothing on X.
    sandbox.requests.length = 0;
    await a.updateAdGroup!(id, { targeting: { countries: ['CA', 'US'], ageMin: 50, ageMax: null } });
    expect(writes()).toEqual([]);
  });

  it('activating with new targeting applies the targeting before the activation', async () => {
    const a = await adapter();
    const { id } = await a.createAdGroup!(input());
    sandbox.requests.length = 0;
    await a.updateAdGroup!(id, { status: 'active', targeting: { countries: ['CA'] } });
    expect(writes().map((r) => `${r.method} ${r.params.entity_status ?? ''}`)).toEqual(['POST ', 'PUT ACTIVE']);
    expect(criteriaOps().map((o) => o.operation_type)).toEqual(['Create', 'Delete', 'Delete']);
  });

  it('removes age targeting when both ages are cleared', async () => {
    const a = await adapter();
    const g = await a.updateAdGroup!('l1a01', { targeting: { ageMin: null, ageMax: null } });
    expect(criteriaOps()).toEqual([{ operation_type: 'Delete', params: { targeting_criterion_id: 't1a02' } }]);
    expect(g.targeting).toMatchObject({ countries: ['US'], ageMin: null, ageMax: null });
  });
});

describe('X ad groups: invalid combinations refused before sending', () => {
  it('a MAX bid on a REACH line item (create, and update of an existing one)', async () => {
    const a = await adapter();
    await refusedBeforeSending(a.createAdGroup!(input({ objective: 'awareness' })), 'BID_STRATEGY_NOT_ALLOWED', /MAX bids on REACH/);
    const { id } = await a.createAdGroup!(input({ objective: 'awareness', bid: { strategy: 'auto', money: null } }));
    sandbox.requests.length = 0;
    await refusedBeforeSending(a.updateAdGroup!(id, { bid: { strategy: 'max', money: parseMoney('2 USD') } }), 'BID_STRATEGY_NOT_ALLOWED', /MAX bids on REACH/);
  });

  it('a line item whose objective differs from its campaign\'s line items (mixed objectives), by objective or by goal', async () => {
    const a = await adapter();
    // Holiday Espresso (8wku2) already has a WEBSITE_CLICKS line item.
    await refusedBeforeSending(a.createAdGroup!(input({ campaignId: '8wku2', objective: 'awareness', budget: null, bid: null })), 'MIXED_OBJECTIVES', /already has WEBSITE_CLICKS line items.*REACH/);
    await refusedBeforeSending(a.createAdGroup!(input({ campaignId: '8wku2', objective: undefined, optimization: 'FOLLOWERS', budget: null, bid: null })), 'MIXED_OBJECTIVES', /FOLLOWERS/);
    // Reads happened (the siblings), writes did not.
    expect(sandbox.requests.some((r) => r.method === 'GET' && r.path.endsWith('/line_items'))).toBe(true);
  });

  it('a max or target bid without an amount', async () => {
    const a = await adapter();
    await refusedBeforeSending(a.createAdGroup!(input({ bid: { strategy: 'max', money: null } })), 'BID_AMOUNT_REQUIRED', /needs an amount/);
    await refusedBeforeSending(a.createAdGroup!(input({ bid: { strategy: 'target', money: null } })), 'BID_AMOUNT_REQUIRED', /needs an amount/);
    await refusedBeforeSending(a.updateAdGroup!('l1a01', { bid: { strategy: 'target', money: null } }), 'BID_AMOUNT_REQUIRED', /needs an amount/);
  });

  it('other combinations X would refuse: target bids off their objectives, budgets above the campaign\'s, ages that are no X bucket, Meta placements, unknown countries, no objective', async () => {
    const a = await adapter();
    await refusedBeforeSending(a.createAdGroup!(input({ objective: 'engagement', bid: { strategy: 'target', money: parseMoney('1 USD') } })), 'BID_STRATEGY_NOT_ALLOWED', /TARGET bids only/);
    await refusedBeforeSending(a.createAdGroup!(input({ budget: { period: 'daily', money: parseMoney('30 USD') } })), 'BUDGET_ABOVE_CAMPAIGN', /30\.00 USD is above the daily budget of campaign x:8wku3 \(25\.50 USD\)/);
    await refusedBeforeSending(a.createAdGroup!(input({ targeting: { countries: ['US'], ageMin: 20, ageMax: 40 } })), 'INVALID_AGE_RANGE', /20–40/);
    await refusedBeforeSending(a.createAdGroup!(input({ targeting: { countries: ['US'], placements: ['feed'] } })), 'INVALID_TARGETING', /no feed placement/);
    await refusedBeforeSending(a.createAdGroup!(input({ targeting: { countries: ['US'], publisherPlatforms: ['facebook'] } })), 'INVALID_TARGETING', /cannot run on facebook/);
    await refusedBeforeSending(a.createAdGroup!(input({ targeting: { countries: ['XX'] } })), 'INVALID_TARGETING', /no country location for XX/);
    await refusedBeforeSending(a.createAdGroup!(input({ objective: undefined })), 'OBJECTIVE_REQUIRED', /no line items yet/);
    await refusedBeforeSending(a.createAdGroup!(input({ bid: { strategy: 'cost_cap', money: parseMoney('1 USD') } })), 'UNSUPPORTED_BID_STRATEGY', /cost cap/);
    await refusedBeforeSending(a.updateAdGroup!('l1a01', { status: 'archived' }), 'UNSUPPORTED_STATUS', /archived/);
  });
});

describe('X ad group batch updates keep the refusals', () => {
  it('a MAX bid on a FOLLOWERS line item and a budget above the campaign\'s fail alone, unsent; the rest go in one batch', async () => {
    const a = await adapter();
    const results = await a.updateAdGroupsBatch!([
      { id: 'l1a02', patch: { bid: { strategy: 'max', money: parseMoney('2 USD') } } },
      { id: 'l1a01', patch: { budget: { period: 'daily', money: parseMoney('60 USD') } } },
      { id: 'l1a01', patch: { name: 'Renamed in bulk' } },
    ]);
    expect(results.map((r) => [r.id, r.ok, r.error?.code, r.error?.exitCode])).toEqual([
      ['l1a02', false, 'BID_STRATEGY_NOT_ALLOWED', 64], ['l1a01', false, 'BUDGET_ABOVE_CAMPAIGN', 64], ['l1a01', true, undefined, undefined],
    ]);
    expect(writes().map((r) => [r.path, r.json])).toEqual([['/12/batch/accounts/18ce54d4x5t/line_items', [{ operation_type: 'Update', params: { line_item_id: 'l1a01', name: 'Renamed in bulk' } }]]]);
  });
});

describe("X's own line item refusals, typed", () => {
  it('a budget under X\'s minimum comes back as BUDGET_TOO_LOW (exit 1) with a hint', async () => {
    const e = await failure((await adapter()).createAdGroup!(input({ budget: { period: 'daily', money: parseMoney('0.50 USD') } })));
    expect({ code: e.code, exitCode: e.exitCode }).toEqual({ code: 'BUDGET_TOO_LOW', exitCode: 1 });
    expect(e.message).toContain('at least 1000000');
    expect(e.hint).toMatch(/minimum/);
  });

  it('a targeting batch X refuses names the refused operation, typed (INVALID_AGE_RANGE, exit 1)', async () => {
    const body = { errors: [], operation_errors: [[], [{ code: 'INVALID_PARAMETER', parameter: 'targeting_type', message: 'It is only possible to target a single age bucket per line item' }]] };
    sandbox.addFault({ platform: 'x', method: 'POST', path: '/batch/accounts/', action: { type: 'status', status: 400, body } });
    const e = await failure((await adapter()).updateAdGroup!('l1a01', { targeting: { ageMin: 18, ageMax: 34 } }));
    expect({ code: e.code, exitCode: e.exitCode }).toEqual({ code: 'INVALID_AGE_RANGE', exitCode: 1 });
    expect(e.message).toBe('X: It is only possible to target a single age bucket per line item (parameter targeting_type)');
    expect(e.hint).toMatch(/one age bucket/);
  });

  it('classifies the errors X sends for line items and targeting', () => {
    expect(lineItemError({ code: 'INVALID_PARAMETER', parameter: 'bid_strategy', message: 'bid_strategy MAX is not allowed with objective REACH' })?.code).toBe('BID_STRATEGY_NOT_ALLOWED');
    expect(lineItemError({ code: 'MISSING_PARAMETER', parameter: 'bid_amount_local_micro', message: 'x' })?.code).toBe('BID_AMOUNT_REQUIRED');
    expect(lineItemError({ code: 'INVALID_PARAMETER', parameter: 'objective', message: 'Line items of campaign c must all use objective REACH and product_type P' })?.code).toBe('MIXED_OBJECTIVES');
    expect(lineItemError({ code: 'INVALID_PARAMETER', parameter: 'daily_budget_amount_local_micro', message: 'daily_budget_amount_local_micro 5 exceeds the daily budget of campaign c (4)' })?.code).toBe('BUDGET_ABOVE_CAMPAIGN');
    expect(lineItemError({ code: 'INVALID_PARAMETER', parameter: 'bid_amount_local_micro', message: 'bid_amount_local_micro must be a multiple of 10000, got 5' })?.code).toBe('AMOUNT_PRECISION');
    expect(lineItemError({ code: 'INVALID_PARAMETER', parameter: 'end_time', message: 'end_time must be after start_time' })?.code).toBe('INVALID_SCHEDULE');
    expect(lineItemError({ code: 'INVALID_PARAMETER', parameter: 'targeting_type', message: 'It is only possible to target a single age bucket per line item' })?.code).toBe('INVALID_AGE_RANGE');
    expect(lineItemError({ code: 'TOO_MANY_LINE_ITEMS', message: 'x' })?.code).toBe('TOO_MANY_LINE_ITEMS');
    expect(lineItemError({ code: 'INVALID_PARAMETER', parameter: 'name', message: 'name must be between 1 and 255 characters' })).toBeUndefined();
  });
});

describe('X ad group mappings (golden)', () => {
  it('ages ⇄ X age buckets', () => {
    expect([ageBucket(25, 49), ageBucket(50, null), ageBucket(13, 24), ageBucket(null, null)]).toEqual(['AGE_25_TO_49', 'AGE_OVER_50', 'AGE_13_TO_24', null]);
    expect([ageFromBucket('AGE_21_TO_54'), ageFromBucket('AGE_OVER_35'), ageFromBucket('GENDER')]).toEqual([[21, 54], [35, null], undefined]);
    for (const [min, max] of [[18, 65], [null, 34], [30, 49], [50, 54]] as const) expect(() => ageBucket(min, max)).toThrow(/fixed age buckets/);
  });

  it('publisher platforms and placements ⇄ line item placements', () => {
    expect(placementsToWire(['x'], [])).toEqual(['ALL_ON_TWITTER']);
    expect(placementsToWire([], ['timeline', 'replies'])).toEqual(['TWITTER_TIMELINE', 'TWITTER_REPLIES']);
    expect(() => placementsToWire(['x', 'audience_network'], [])).toThrow(/PUBLISHER_NETWORK/);
    expect(placementsFromWire(['ALL_ON_TWITTER'])).toEqual({ publisherPlatforms: ['x'], placements: [] });
    expect(placementsFromWire(['TWITTER_SEARCH', 'TWITTER_PROFILE', 'PUBLISHER_NETWORK'])).toEqual({ publisherPlatforms: ['x', 'audience_network'], placements: ['search', 'profile'] });
  });

  it('a goal names its objective only when exactly one objective has it', () => {
    expect([objectiveOfGoal('LINK_CLICKS'), objectiveOfGoal('MAX_REACH'), objectiveOfGoal('APP_CLICKS'), objectiveOfGoal('VIEW_6S')]).toEqual(['WEBSITE_CLICKS', 'REACH', undefined, undefined]);
  });
});
