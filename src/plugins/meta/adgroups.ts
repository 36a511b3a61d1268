/**
 * Meta ad sets as adctl ad groups (issue 4, REFERENCE §C.4, §C.6), through the SDK's Graph client
 * over real HTTP (the same `graphCall` transport, policy and dry-run stop as campaigns).
 *
 * Wire ⇄ domain:
 * - Budgets: `daily_budget` / `lifetime_budget` in the account currency's Meta unit (whole yen for
 *   JPY, cents for USD: see metaExponent), written as integers, read back as strings.
 * - Bids: auto ⇄ LOWEST_COST_WITHOUT_CAP (no amount), max ⇄ LOWEST_COST_WITH_BID_CAP, cost_cap ⇄
 *   COST_CAP (both with `bid_amount` in the same unit). Meta has no target-cost bidding any more:
 *   `target` is refused. Other strategies (LOWEST_COST_WITH_MIN_ROAS) read back as `bid: null`.
 * - Optimisation: `optimization_goal`; when the input names none, the default for the campaign's
 *   objective (OUTCOME_TRAFFIC → LINK_CLICKS, OUTCOME_AWARENESS → REACH, …). Billing is per
 *   impression, which every goal accepts.
 * - Schedule: `start_time` / `end_time`, sent as the UTC instants given; read back as UTC `Z`.
 * - Targeting: countries ⇄ `geo_locations.countries`, ages ⇄ `age_min`/`age_max` (13–65),
 *   publisher platforms ⇄ `publisher_platforms`, placements ⇄ `<platform>_positions` (feed ⇄
 *   facebook `feed` + instagram `stream`, stories ⇄ `story`, reels ⇄ `facebook_reels`/`reels`, …).
 *   Updates merge into the ad set's current targeting JSON, so keys adctl does not model
 *   (interests, audiences, other geo keys) are kept: Meta replaces the whole spec on write.
 *
 * Refused before any write is sent (exit 64, a message saying why, a hint), after reading the
 * campaign or the ad set when the rule needs it: an ad set budget under a campaign budget
 * (CAMPAIGN_BUDGET_CONFLICT), no budget under a campaign without one (BUDGET_REQUIRED), a lifetime
 * budget without an end (END_REQUIRED), an end not after the start (INVALID_SCHEDULE), an amount
 * with auto bidding (BID_AMOUNT_NOT_ALLOWED), a bid cap / cost cap without one
 * (BID_AMOUNT_REQUIRED), target bidding (UNSUPPORTED_BID_STRATEGY), a goal the objective does not
 * allow (INVALID_OPTIMIZATION), a change of budget period (BUDGET_TYPE_CHANGE), ages outside 13–65
 * (INVALID_AGE_RANGE), targeting without a country or with X placements (INVALID_TARGETING), money
 * in another currency (CURRENCY_MISMATCH), an ad group objective other than the campaign's
 * (OBJECTIVE_MISMATCH); on the campaign side, a campaign budget where ad sets own budgets
 * (CAMPAIGN_BUDGET_CONFLICT, `createCampaignBudgetGuard`), in single calls and batches. What only Meta can judge (minimum budgets) comes back
 * classified by adset-errors.ts with the same codes, exit 1.
 *
 * Contracts: create is not idempotent (an unknown outcome is exit 8, never retried); update sets
 * fields and is idempotent; delete is idempotent (an ad set already gone counts as deleted).
 */
import * as z from '../../core/zod.js';
import type { AdapterContext, PlatformAdapter } from '../../core/adapter.js';
import { AdctlError, ExitCode, usageError } from '../../core/errors.js';
import type { CallSpec } from '../../core/http-policy.js';
import { formatAmount, fromUnits, toUnits, type Money } from '../../core/money.js';
import type {
  AdAccount, AdGroup, AdGroupCreateInput, AdGroupPatch, AdGroupQuery, BatchItemResult, Bid, BidInput, Budget, CampaignPatch, CampaignStatus, Objective, Targeting,
} from '../../core/model.js';
import { PLACEMENTS } from '../../core/vocabulary.js';
import { allPages, type GraphPage } from './paging.js';
import type { GraphCall } from './posts.js';
import { MetaCreated, MetaSuccess } from './wire.js';

// ---------------------------------------------------------------------------------------------
// Wire schemas (validated at the plugin edge, like wire.ts).
// ---------------------------------------------------------------------------------------------

const Units = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).optional();
const Strings = z.array(z.string()).optional();
export const MetaTargetingWire = z.object({
  geo_locations: z.object({ countries: Strings }).loose().optional(),
  age_min: z.number().int().optional(),
  age_max: z.number().int().optional(),
  publisher_platforms: Strings,
  facebook_positions: Strings,
  instagram_positions: Strings,
  messenger_positions: Strings,
  audience_network_positions: Strings,
}).loose();
export const MetaAdSetWire = z.object({
  id: z.string(),
  campaign_id: z.string(),
  name: z.string(),
  status: z.string().optional(),
  configured_status: z.string().optional(),
  effective_status: z.string().optional(),
  daily_budget: Units,
  lifetime_budget: Units,
  bid_strategy: z.string().optional(),
  bid_amount: Units,
  optimization_goal: z.string().optional(),
  billing_event: z.string().optional(),
  targeting: MetaTargetingWire.optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
}).loose();
const MetaAdSetPage = z.object({
  data: z.array(MetaAdSetWire),
  paging: z.object({ next: z.string().url().optional() }).loose().optional(),
}).loose();
const MetaAdSetBudgetPage = z.object({
  data: z.array(z.object({ id: z.string(), campaign_id: z.string(), daily_budget: Units, lifetime_budget: Units }).loose()),
  paging: z.object({ next: z.string().url().optional() }).loose().optional(),
}).loose();
const MetaCampaignBudgetPage = z.object({
  data: z.array(z.object({ id: z.string(), daily_budget: Units, lifetime_budget: Units }).loose()),
  paging: z.object({ next: z.string().url().optional() }).loose().optional(),
}).loose();
const MetaCampaignForAdSets = z.object({
  id: z.string(),
  objective: z.string().optional(),
  daily_budget: Units,
  lifetime_budget: Units,
}).loose();

export type MetaAdSetWire = z.infer<typeof MetaAdSetWire>;
type TargetingWire = z.infer<typeof MetaTargetingWire>;

const ADSET_FIELDS = 'id,campaign_id,name,status,configured_status,effective_status,daily_budget,lifetime_budget,bid_strategy,bid_amount,optimization_goal,billing_event,targeting,start_time,end_time';
const LIVE = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES', 'CAMPAIGN_PAUSED'];

// ---------------------------------------------------------------------------------------------
// Mappings (pure).
// ---------------------------------------------------------------------------------------------

/** The goal an ad set optimises for when the input names none, per campaign objective. */
export const DEFAULT_OPTIMIZATION: Readonly<Record<string, string>> = {
  OUTCOME_AWARENESS: 'REACH', OUTCOME_TRAFFIC: 'LINK_CLICKS', OUTCOME_ENGAGEMENT: 'POST_ENGAGEMENT', OUTCOME_LEADS: 'LEAD_GENERATION',
  OUTCOME_SALES: 'OFFSITE_CONVERSIONS', OUTCOME_APP_PROMOTION: 'APP_INSTALLS',
  // Legacy objectives on older campaigns.
  REACH: 'REACH', BRAND_AWARENESS: 'AD_RECALL_LIFT', LINK_CLICKS: 'LINK_CLICKS', POST_ENGAGEMENT: 'POST_ENGAGEMENT', PAGE_LIKES: 'PAGE_LIKES',
  VIDEO_VIEWS: 'THRUPLAY', LEAD_GENERATION: 'LEAD_GENERATION', CONVERSIONS: 'OFFSITE_CONVERSIONS', APP_INSTALLS: 'APP_INSTALLS',
};

/** The goals Meta allows under each outcome objective; legacy objectives are not checked here. */
export const ALLOWED_OPTIMIZATION: Readonly<Record<string, readonly string[]>> = {
  OUTCOME_AWARENESS: ['REACH', 'IMPRESSIONS', 'AD_RECALL_LIFT', 'THRUPLAY'],
  OUTCOME_TRAFFIC: ['LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'IMPRESSIONS', 'REACH', 'CONVERSATIONS', 'QUALITY_CALL'],
  OUTCOME_ENGAGEMENT: ['POST_ENGAGEMENT', 'THRUPLAY', 'PAGE_LIKES', 'EVENT_RESPONSES', 'CONVERSATIONS', 'LINK_CLICKS', 'IMPRESSIONS', 'REACH'],
  OUTCOME_LEADS: ['LEAD_GENERATION', 'QUALITY_LEAD', 'OFFSITE_CONVERSIONS', 'CONVERSATIONS', 'QUALITY_CALL', 'LINK_CLICKS'],
  OUTCOME_SALES: ['OFFSITE_CONVERSIONS', 'VALUE', 'LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'CONVERSATIONS', 'IMPRESSIONS', 'REACH'],
  OUTCOME_APP_PROMOTION: ['APP_INSTALLS', 'APP_INSTALLS_AND_OFFSITE_CONVERSIONS', 'VALUE', 'OFFSITE_CONVERSIONS', 'LINK_CLICKS'],
};

const TO_STRATEGY = { auto: 'LOWEST_COST_WITHOUT_CAP', max: 'LOWEST_COST_WITH_BID_CAP', cost_cap: 'COST_CAP' } as const;
const FROM_STRATEGY: Record<string, Bid['strategy']> = { LOWEST_COST_WITHOUT_CAP: 'auto', LOWEST_COST_WITH_BID_CAP: 'max', COST_CAP: 'cost_cap' };
const FROM_STATUS: Record<string, CampaignStatus> = { ACTIVE: 'active', PAUSED: 'paused', ARCHIVED: 'archived', DELETED: 'deleted' };

type MetaPlatform = 'facebook' | 'instagram' | 'messenger' | 'audience_network';
type Placement = (typeof PLACEMENTS)[number];
const META_PLATFORMS: readonly MetaPlatform[] = ['facebook', 'instagram', 'messenger', 'audience_network'];
/** Each domain placement as a position of each Meta publisher platform that has it. */
export const POSITIONS: Readonly<Record<Placement, Partial<Record<MetaPlatform, string>>>> = {
  feed: { facebook: 'feed', instagram: 'stream' },
  stories: { facebook: 'story', instagram: 'story', messenger: 'story' },
  reels: { facebook: 'facebook_reels', instagram: 'reels' },
  search: { facebook: 'search', instagram: 'ig_search' },
  profile: { facebook: 'profile_feed', instagram: 'profile_feed' },
  messenger: { messenger: 'messenger_home' },
  audience_network: { audience_network: 'classic' },
  // X placements: no Meta position.
  timeline: {}, replies: {},
};
const positionsKey = (p: MetaPlatform) => `${p}_positions` as const;

const refuse = (code: string, message: string, hint: string) => new AdctlError(code, message, ExitCode.USAGE, { hint, platform: 'meta' });

/** Wire targeting → domain. Positions adctl does not model are left out of `placements`. */
export function targetingFromWire(t: TargetingWire | undefined): Targeting {
  const platforms = (t?.publisher_platforms ?? []).filter((p): p is MetaPlatform => (META_PLATFORMS as readonly string[]).includes(p));
  const placements = new Set<Placement>();
  for (const platform of META_PLATFORMS) {
    for (const pos of (t?.[positionsKey(platform)] as string[] | undefined) ?? []) {
      const found = (Object.keys(POSITIONS) as Placement[]).find((k) => POSITIONS[k][platform] === pos);
      if (found) placements.add(found);
    }
  }
  return {
    countries: [...(t?.geo_locations?.countries ?? [])],
    ageMin: t?.age_min ?? null,
    ageMax: t?.age_max ?? null,
    publisherPlatforms: platforms,
    placements: PLACEMENTS.filter((p) => placements.has(p)),
  };
}

/**
 * Domain targeting (partial: only what is given changes) merged into a wire targeting spec.
 * Throws a usage error (exit 64) for what Meta would refuse or cannot express.
 */
export function targetingToWire(base: Record<string, unknown>, patch: Partial<Targeting>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  const current = targetingFromWire(MetaTargetingWire.parse(base));
  if (patch.countries !== undefined) {
    if (patch.countries.length === 0 || !patch.countries.every((c) => /^[A-Z]{2}$/.test(c))) {
      throw refuse('INVALID_TARGETING', 'Meta ad sets need at least one country (ISO 3166 alpha-2, upper case)', 'pass countries such as JP or US');
    }
    out.geo_locations = { ...(out.geo_locations as Record<string, unknown> | undefined), countries: [...patch.countries] };
  }
  const ageMin = patch.ageMin !== undefined ? patch.ageMin : current.ageMin;
  const ageMax = patch.ageMax !== undefined ? patch.ageMax : current.ageMax;
  for (const a of [ageMin, ageMax]) {
    if (a !== null && (!Number.isInteger(a) || a < 13 || a > 65)) throw refuse('INVALID_AGE_RANGE', `age ${a} is outside Meta's range 13–65`, 'use ages from 13 to 65');
  }
  if (ageMin !== null && ageMax !== null && ageMin > ageMax) throw refuse('INVALID_AGE_RANGE', `the minimum age ${ageMin} is above the maximum ${ageMax}`, 'swap the ages');
  for (const [k, v] of [['age_min', patch.ageMin], ['age_max', patch.ageMax]] as const) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  if (patch.publisherPlatforms !== undefined || patch.placements !== undefined) {
    const placements = patch.placements ?? current.placements;
    let platforms = (patch.publisherPlatforms ?? current.publisherPlatforms) as string[];
    const foreign = platforms.filter((p) => !(META_PLATFORMS as readonly string[]).includes(p));
    if (foreign.length) throw refuse('INVALID_TARGETING', `Meta ad sets cannot run on ${foreign.join(', ')}`, `choose from ${META_PLATFORMS.join(', ')}`);
    // Placements without platforms: every platform that has one of them.
    if (platforms.length === 0 && placements.length > 0) platforms = META_PLATFORMS.filter((p) => placements.some((pl) => POSITIONS[pl][p]));
    for (const pl of placements) {
      if (!platforms.some((p) => POSITIONS[pl][p as MetaPlatform])) {
        throw refuse('INVALID_TARGETING', `placement ${pl} is not available on ${platforms.join(', ') || 'Meta'}`, `add a publisher platform that has ${pl}, or drop the placement`);
      }
    }
    for (const p of META_PLATFORMS) delete out[positionsKey(p)];
    if (platforms.length === 0) delete out.publisher_platforms;
    else out.publisher_platforms = [...platforms];
    if (placements.length > 0) {
      for (const p of platforms as MetaPlatform[]) {
        const positions = placements.map((pl) => POSITIONS[pl][p]).filter((x): x is string => x !== undefined);
        // A platform none of the placements reaches keeps all its positions (Meta's default).
        if (positions.length) out[positionsKey(p)] = positions;
      }
    }
  }
  return out;
}

function bidParams(bid: BidInput, units: (m: Money, what: string) => number): Record<string, unknown> {
  if (bid.strategy === 'target') {
    throw refuse('UNSUPPORTED_BID_STRATEGY', 'Meta has no target-cost bidding for ad sets', 'bid cost_cap (an average cost per result) or max (a bid cap)');
  }
  const strategy = TO_STRATEGY[bid.strategy];
  if (bid.strategy === 'auto') {
    if (bid.money) throw refuse('BID_AMOUNT_NOT_ALLOWED', 'automatic bidding (lowest cost) takes no bid amount', 'leave the amount out, or bid max or cost_cap with it');
    return { bid_strategy: strategy };
  }
  if (!bid.money || bid.money.minor <= 0) {
    throw refuse('BID_AMOUNT_REQUIRED', `bid ${bid.strategy} (${strategy}) needs an amount`, `pass the ${bid.strategy === 'max' ? 'bid cap' : 'cost cap'} amount, or bid auto`);
  }
  return { bid_strategy: strategy, bid_amount: units(bid.money, 'bid') };
}

function checkSchedule(start: string | null, end: string | null, lifetime: boolean): void {
  for (const t of [start, end]) {
    if (t !== null && Number.isNaN(Date.parse(t))) throw refuse('INVALID_SCHEDULE', `"${t}" is not a time`, 'use RFC 3339 times such as 2026-12-01T09:00:00Z');
  }
  if (lifetime && end === null) {
    throw refuse('END_REQUIRED', 'a Meta ad set with a lifetime budget needs an end time', 'pass --end, or use a daily budget');
  }
  if (start !== null && end !== null && Date.parse(end) <= Date.parse(start)) {
    throw refuse('INVALID_SCHEDULE', `the end ${end} is not after the start ${start}`, 'move the end after the start');
  }
}

const isoTime = (t: string | undefined): string | null => {
  if (!t) return null;
  const ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
};
const positive = (u: string | number | undefined) => u !== undefined && u !== '' && Number(u) > 0;

/**
 * The other side of Meta's rule "a campaign budget or ad set budgets, never both": before a
 * campaign gets a budget, check that none of its live ad sets has one (reads only). Throws
 * CAMPAIGN_BUDGET_CONFLICT (exit 64) naming them; nothing is sent.
 */
export function createCampaignBudgetGuard(graphCall: GraphCall, deps: Pick<MetaAdGroupDeps, 'bucket'>): (campaignId: string) => Promise<void> {
  const spec: CallSpec = { label: 'GET ad sets of the campaign', write: false, idempotent: true, bucket: deps.bucket() };
  return async (campaignId) => {
    const first = await graphCall(spec, 'GET', [campaignId, 'adsets'], { fields: 'id,campaign_id,name,daily_budget,lifetime_budget', effective_status: LIVE, limit: 100 }, MetaAdSetBudgetPage);
    const adSets = await allPages(first, (next) => graphCall(spec, 'GET', next, {}, MetaAdSetBudgetPage));
    const owners = adSets.filter((a) => positive(a.daily_budget) || positive(a.lifetime_budget)).map((a) => a.id);
    if (owners.length) throw campaignBudgetConflict(campaignId, owners);
  };
}

function campaignBudgetConflict(campaignId: string, owners: string[]): AdctlError {
  return refuse('CAMPAIGN_BUDGET_CONFLICT',
    `Meta campaign ${campaignId} has ${owners.length} ad set${owners.length === 1 ? '' : 's'} with budgets of their own (${owners.slice(0, 3).map((id) => `meta:${id}`).join(', ')}${owners.length > 3 ? ', …' : ''}), so it cannot also have a campaign budget`,
    'change the ad set budgets instead (`adctl budget set meta:<ad set id>`), or remove them before giving the campaign a budget');
}

// ---------------------------------------------------------------------------------------------
// The adapter methods.
// ---------------------------------------------------------------------------------------------

export interface MetaAdGroupDeps {
  getAccount(): Promise<AdAccount>;
  /** `act_…` of the configured account. */
  account(): string;
  /** The rate-limit bucket of the ad account (ads_management). */
  bucket(): string;
  exponent(currency: string): number;
  /** The Meta objective a domain objective maps to (the adapter's campaign mapping). */
  metaObjective?(objective: Objective): string;
  /** The Graph batch (batch.ts): its ad set updates are wrapped so CBO conflicts are refused per item before sending. */
  batch?: Pick<PlatformAdapter, 'updateAdGroupsBatch' | 'updateCampaignsBatch'>;
}

export function createMetaAdGroups(ctx: AdapterContext, graphCall: GraphCall, deps: MetaAdGroupDeps): Required<Pick<PlatformAdapter, 'listAdGroups' | 'getAdGroup' | 'createAdGroup' | 'updateAdGroup' | 'deleteAdGroup'>> & Pick<PlatformAdapter, 'updateAdGroupsBatch' | 'updateCampaignsBatch'> {
  // Calls on the ad account's objects share its ads_management bucket (graphCall passes the spec through).
  const spec = (label: string, write: boolean, idempotent: boolean): CallSpec => ({ label, write, idempotent, bucket: deps.bucket() });
  const read = (label: string) => spec(label, false, true);

  const unitsSync = (currency: string) => (m: Money, what: string): number => {
    if (m.currency !== currency) {
      throw refuse('CURRENCY_MISMATCH', `the ${what} is in ${m.currency} but the Meta account ${deps.account()} uses ${currency}`, `write the amount in ${currency}; adctl never converts currencies`);
    }
    return toUnits(m, deps.exponent(currency), 'Meta');
  };

  function toAdGroup(a: MetaAdSetWire, currency: string): AdGroup {
    const amount = (u: string | number) => formatAmount(fromUnits(u, deps.exponent(currency), currency));
    const budget = (u: string | number | undefined, period: Budget['period']): Budget | null => (positive(u) ? { period, amount: amount(u!), currency } : null);
    const strategy = a.bid_strategy ? FROM_STRATEGY[a.bid_strategy] : undefined;
    const status = a.configured_status ?? a.status ?? 'PAUSED';
    return {
      ref: `meta:${a.id}`,
      platform: 'meta',
      id: a.id,
      campaign: `meta:${a.campaign_id}`,
      name: a.name,
      status: FROM_STATUS[status] ?? 'paused',
      budget: budget(a.daily_budget, 'daily') ?? budget(a.lifetime_budget, 'lifetime'),
      bid: strategy ? { strategy, amount: strategy !== 'auto' && positive(a.bid_amount) ? { amount: amount(a.bid_amount!), currency } : null } : null,
      optimization: a.optimization_goal ?? null,
      schedule: { start: isoTime(a.start_time), end: isoTime(a.end_time) },
      targeting: targetingFromWire(a.targeting),
    };
  }

  const getWire = (id: string) => graphCall(read('GET ad set'), 'GET', [id], { fields: ADSET_FIELDS }, MetaAdSetWire);
  const getCampaign = (id: string) => graphCall(read('GET campaign of the ad set'), 'GET', [id], { fields: 'id,objective,daily_budget,lifetime_budget' }, MetaCampaignForAdSets);

  async function getAdGroup(id: string): Promise<AdGroup> {
    const { currency } = await deps.getAccount();
    return toAdGroup(await getWire(id), currency);
  }

  function cboConflict(c: z.infer<typeof MetaCampaignForAdSets>): AdctlError {
    const period = positive(c.daily_budget) ? 'daily' : 'lifetime';
    return refuse('CAMPAIGN_BUDGET_CONFLICT',
      `Meta campaign ${c.id} has a ${period} campaign budget (Advantage campaign budget), so its ad sets cannot have budgets of their own`,
      `leave the ad set budget out (the campaign budget is shared by its ad sets), or change the budget on meta:${c.id}`);
  }

  /**
   * Batch budget changes keep Meta's budget rule too: an item whose budget would sit next to a
   * budget at the other level fails alone with CAMPAIGN_BUDGET_CONFLICT (exit 64) and is never
   * sent; the other items go to the Graph batch (batch.ts) as before. Reads only: the budget snapshot below.
   */
  async function refuseThenSend<P extends { budget?: unknown }, T>(
    items: { id: string; patch: P }[], check: (id: string) => Promise<void>, send: (items: { id: string; patch: P }[]) => Promise<BatchItemResult<T>[]>,
  ): Promise<BatchItemResult<T>[]> {
    const refusedItems = new Map<number, AdctlError>();
    for (const [i, it] of items.entries()) {
      if (!it.patch.budget) continue;
      try {
        await check(it.id);
      } catch (e) {
        // Only the rule stops an item; a failed check (a missing object, a read that gave up)
        // leaves the item to the batch, which classifies it as it always has.
        if (e instanceof AdctlError && e.code === 'CAMPAIGN_BUDGET_CONFLICT') refusedItems.set(i, e);
        else if (!(e instanceof AdctlError)) throw e;
      }
    }
    const rest = items.filter((_, i) => !refusedItems.has(i));
    const sent = rest.length ? await send(rest) : [];
    let k = 0;
    return items.map((it, i) => {
      const e = refusedItems.get(i);
      return e ? { id: it.id, ok: false, error: { code: e.code, message: e.message, exitCode: e.exitCode } } : sent[k++]!;
    });
  }
  /**
   * What Meta's budget rule needs for a batch, read once per adapter (one CLI run) and shared by all
   * its batches: every live ad set's campaign and budget (campaign batches need only this), and
   * every live campaign's budget (ad set batches need both) — paged account listings instead of
   * one or two reads per item (1,000 items would otherwise cost 1,000 reads). Batches never change
   * the input of their own check (campaign batches change campaign budgets and are checked against
   * ad set budgets, and the reverse), so concurrent
   * batches of one bulk run share it; a single ad set write through this module drops it. The
   * snapshot lives as long as the adapter, i.e. one CLI run.
   */
  const listAll = async <T>(label: string, path: string[], fields: string, schema: z.ZodType<GraphPage<T>>): Promise<T[]> =>
    allPages(await graphCall(read(label), 'GET', path, { fields, effective_status: LIVE, limit: 500 }, schema),
      (next) => graphCall(read(`${label} (next page)`), 'GET', next, {}, schema));
  // A failed listing is not remembered: the next batch asks again.
  const remember = <T>(p: Promise<T>, drop: () => void): Promise<T> => {
    p.catch(drop);
    return p;
  };
  let adSetBudgets: Promise<Map<string, { campaignId: string; owns: boolean }>> | undefined;
  let campaignBudgets: Promise<Map<string, z.infer<typeof MetaCampaignForAdSets>>> | undefined;
  const adSetSnapshot = () => (adSetBudgets ??= remember(
    listAll('GET ad set budgets (batch check)', [deps.account(), 'adsets'], 'id,campaign_id,daily_budget,lifetime_budget', MetaAdSetBudgetPage)
      .then((rows) => new Map(rows.map((r) => [r.id, { campaignId: r.campaign_id, owns: positive(r.daily_budget) || positive(r.lifetime_budget) }]))),
    () => { adSetBudgets = undefined; }));
  const campaignSnapshot = () => (campaignBudgets ??= remember(
    listAll('GET campaign budgets (batch check)', [deps.account(), 'campaigns'], 'id,daily_budget,lifetime_budget', MetaCampaignBudgetPage)
      .then((rows) => new Map(rows.map((r) => [r.id, r]))),
    () => { campaignBudgets = undefined; }));
  const forgetBudgets = () => { adSetBudgets = undefined; campaignBudgets = undefined; };
  const adSetCheck = async (id: string) => {
    const [adSets, campaigns] = await Promise.all([adSetSnapshot(), campaignSnapshot(), deps.getAccount()]);
    const c = campaigns.get(adSets.get(id)?.campaignId ?? '');
    // Unknown ids are left to the batch, which classifies them as it always has.
    if (c && (positive(c.daily_budget) || positive(c.lifetime_budget))) throw cboConflict(c);
  };
  const campaignCheck = async (id: string) => {
    // The batch reads the account's currency next: ask for both at once (each is read once per run).
    const [adSets] = await Promise.all([adSetSnapshot(), deps.getAccount()]);
    const owners = [...adSets].filter(([, a]) => a.campaignId === id && a.owns).map(([adSetId]) => adSetId);
    if (owners.length) throw campaignBudgetConflict(id, owners);
  };
  const adGroupBatch = deps.batch?.updateAdGroupsBatch;
  const campaignBatch = deps.batch?.updateCampaignsBatch;

  return {
    ...(adGroupBatch ? { updateAdGroupsBatch: (items: { id: string; patch: AdGroupPatch }[]) => refuseThenSend(items, adSetCheck, adGroupBatch) } : {}),
    ...(campaignBatch ? { updateCampaignsBatch: (items: { id: string; patch: CampaignPatch }[]) => refuseThenSend(items, campaignCheck, campaignBatch) } : {}),

    async listAdGroups(query: AdGroupQuery): Promise<AdGroup[]> {
      const { currency } = await deps.getAccount();
      const statuses = query.statuses?.includes('deleted') ? [...LIVE, 'DELETED'] : LIVE;
      const path = query.campaignId ? [query.campaignId, 'adsets'] : [deps.account(), 'adsets'];
      const first = await graphCall(read('GET ad sets'), 'GET', path, { fields: ADSET_FIELDS, effective_status: statuses, limit: 100 }, MetaAdSetPage);
      const adSets = await allPages(first, (next) => graphCall(read('GET ad sets (next page)'), 'GET', next, {}, MetaAdSetPage));
      const out = adSets.map((a) => toAdGroup(a, currency));
      return out.filter((g) => (query.statuses ? query.statuses.includes(g.status) : g.status !== 'deleted'));
    },

    getAdGroup,

    async createAdGroup(input: AdGroupCreateInput): Promise<AdGroup> {
      if (!input.name.trim()) throw usageError('INVALID_NAME', 'an ad set needs a name', 'pass --name');
      const { currency } = await deps.getAccount();
      const units = unitsSync(currency);
      const budgetUnits = input.budget ? units(input.budget.money, 'budget') : undefined;
      const bid = input.bid ? bidParams(input.bid, units) : {};
      checkSchedule(input.start ?? null, input.end ?? null, input.budget?.period === 'lifetime');
      const targeting = targetingToWire({}, input.targeting);
      if (!(targeting.geo_locations as { countries?: unknown } | undefined)?.countries) {
        throw refuse('INVALID_TARGETING', 'Meta ad sets need at least one country', 'pass countries such as JP or US');
      }
      // The campaign decides where the budget lives and which goals are allowed: read it first.
      const campaign = await getCampaign(input.campaignId);
      const cbo = positive(campaign.daily_budget) || positive(campaign.lifetime_budget);
      if (cbo && input.budget) throw cboConflict(campaign);
      if (!cbo && !input.budget) {
        throw refuse('BUDGET_REQUIRED', `Meta campaign ${campaign.id} has no campaign budget, so each of its ad sets needs one`, 'pass a daily or lifetime budget for the ad set');
      }
      const objective = campaign.objective ?? '';
      if (input.objective && deps.metaObjective && deps.metaObjective(input.objective) !== objective) {
        throw refuse('OBJECTIVE_MISMATCH', `the ad set is for ${input.objective} but Meta campaign ${campaign.id} has the objective ${objective || '(none)'}`,
          'on Meta the campaign carries the objective: leave it out for the ad set, or use a campaign with that objective');
      }
      const goal = input.optimization ?? DEFAULT_OPTIMIZATION[objective];
      if (!goal) throw refuse('INVALID_OPTIMIZATION', `no default optimisation goal for the objective ${objective || '(none)'}`, 'name the optimisation goal');
      const allowed = ALLOWED_OPTIMIZATION[objective];
      if (allowed && !allowed.includes(goal)) {
        throw refuse('INVALID_OPTIMIZATION', `the optimisation goal ${goal} is not available for the objective ${objective}`, `use one of ${allowed.join(', ')}`);
      }
      const params: Record<string, unknown> = {
        name: input.name,
        campaign_id: campaign.id,
        // Explicit, always: paid objects start paused unless the user asked for active.
        status: input.status === 'active' ? 'ACTIVE' : 'PAUSED',
        ...(budgetUnits !== undefined ? { [input.budget!.period === 'daily' ? 'daily_budget' : 'lifetime_budget']: budgetUnits } : {}),
        ...(input.bid ? bid : cbo ? {} : { bid_strategy: TO_STRATEGY.auto }),
        billing_event: 'IMPRESSIONS',
        optimization_goal: goal,
        targeting,
        ...(input.start ? { start_time: input.start } : {}),
        ...(input.end ? { end_time: input.end } : {}),
      };
      forgetBudgets();
      const created = await graphCall(spec('POST ad set', true, false), 'POST', [deps.account(), 'adsets'], params, MetaCreated);
      return getAdGroup(created.id);
    },

    async updateAdGroup(id: string, patch: AdGroupPatch): Promise<AdGroup> {
      if (patch.name !== undefined && !patch.name.trim()) throw usageError('INVALID_NAME', 'an ad set name cannot be empty', 'pass a name');
      const { currency } = await deps.getAccount();
      const units = unitsSync(currency);
      // Check the money before any read, so a wrong currency costs no request.
      const budgetUnits = patch.budget ? units(patch.budget.money, 'budget') : undefined;
      const bid = patch.bid ? bidParams(patch.bid, units) : undefined;
      const current = await getWire(id);
      const params: Record<string, unknown> = {};
      if (patch.name !== undefined) params.name = patch.name;
      if (patch.status) params.status = patch.status.toUpperCase();
      const lifetimeNow = positive(current.lifetime_budget);
      if (patch.budget) {
        const campaign = await getCampaign(current.campaign_id);
        if (positive(campaign.daily_budget) || positive(campaign.lifetime_budget)) throw cboConflict(campaign);
        const had = lifetimeNow ? 'lifetime' : positive(current.daily_budget) ? 'daily' : null;
        if (had && had !== patch.budget.period) {
          throw refuse('BUDGET_TYPE_CHANGE', `ad set ${id} has a ${had} budget; Meta does not switch an ad set to a ${patch.budget.period} budget`, `set a ${had} budget, or create a new ad set`);
        }
        params[patch.budget.period === 'daily' ? 'daily_budget' : 'lifetime_budget'] = budgetUnits;
      }
      if (bid) Object.assign(params, bid);
      const start = patch.start !== undefined ? patch.start : isoTime(current.start_time);
      const end = patch.end !== undefined ? patch.end : isoTime(current.end_time);
      if (patch.start !== undefined || patch.end !== undefined || patch.budget) {
        checkSchedule(start, end, patch.budget ? patch.budget.period === 'lifetime' : lifetimeNow);
      }
      if (patch.start) params.start_time = patch.start;
      if (patch.end !== undefined) params.end_time = patch.end ?? 0;
      if (patch.targeting) params.targeting = targetingToWire((current.targeting ?? {}) as Record<string, unknown>, patch.targeting);
      if (Object.keys(params).length === 0) return toAdGroup(current, currency);
      forgetBudgets();
      await graphCall(spec('POST ad set', true, true), 'POST', [id], params, MetaSuccess);
      return getAdGroup(id);
    },

    async deleteAdGroup(id: string): Promise<void> {
      try {
        forgetBudgets();
        await graphCall(spec('DELETE ad set', true, true), 'DELETE', [id], {}, MetaSuccess);
      } catch (e) {
        // Idempotent: an ad set that is already gone is deleted.
        if (e instanceof AdctlError && e.code === 'NOT_FOUND') return;
        throw e;
      }
    },
  };
}
