/**
 * X line items as adctl ad groups (issue 4, REFERENCE §B.6; targeting per X's campaign-management
 * reference), through twitter-api-v2's Ads client over real HTTP with OAuth 1.0a (the adapter's
 * `call`: same policy, rate-limit buckets, dry-run stop and error classification as campaigns).
 *
 * Wire ⇄ domain:
 * - Money: micros of the campaign's (funding instrument's) currency, `75.50 USD` → `75500000`;
 *   budgets `daily_budget_amount_local_micro` / `total_budget_amount_local_micro` (lifetime), bids
 *   `bid_amount_local_micro`. Read back exactly (finer-than-minor micros keep all their digits).
 * - Bids: auto ⇄ AUTO (no amount), max ⇄ MAX, target ⇄ TARGET (both with an amount); X has no
 *   cost cap.
 * - Objective: X keeps it on line items (`objective`), one per campaign; the domain objective maps
 *   traffic ⇄ WEBSITE_CLICKS, awareness ⇄ REACH, … Optimisation ⇄ `goal`, defaulting from the
 *   objective (WEBSITE_CLICKS → LINK_CLICKS, REACH → MAX_REACH, …).
 * - Schedule: `start_time` / `end_time`, sent as the UTC instants given, read back as UTC `Z`.
 * - Targeting: countries and ages are targeting criteria (`…/targeting_criteria`): LOCATION with
 *   the opaque value X's `GET targeting_criteria/locations` gives for the country (looked up once
 *   per adapter), AGE with one of X's age buckets (25–49 ⇄ AGE_25_TO_49, 50+ ⇄ AGE_OVER_50).
 *   Placements live on the line item: no placement ⇄ ALL_ON_TWITTER, timeline/search/profile/replies
 *   ⇄ TWITTER_TIMELINE/…; publisher platform `x`. Criteria adctl does not model (keywords, cities,
 *   interests) are left alone.
 *
 * Refused before any write is sent (exit 64, a message saying why and a hint), after reading the
 * campaign, its line items or the line item where the rule needs them: see `refuse` calls below
 * and the codes in the report of this module's tests (test/plugins/x/adgroups.test.ts).
 *
 * Contracts:
 * - create is not idempotent: an unknown outcome of the line item POST is exit 8, never retried.
 *   A line item created active that also gets targeting is created PAUSED, targeted, then
 *   activated, so it never serves untargeted. Its criteria go in one all-or-nothing X batch; if X
 *   refuses it, the line item stays paused without targeting and the error names it
 *   (TARGETING_INCOMPLETE), so `adgroup update` can finish the job.
 * - update sets fields and reconciles criteria to the asked targeting in one batch (idempotent:
 *   asking again changes nothing; X allows one age bucket, so that one is replaced). When it also
 *   activates the line item, the targeting goes first.
 * - delete is idempotent: a line item that is gone (or never was) counts as deleted.
 */
import * as z from '../../core/zod.js';
import type { AdapterContext, PlatformAdapter } from '../../core/adapter.js';
import { AdctlError, ExitCode } from '../../core/errors.js';
import { toUnits } from '../../core/money.js';
import type {
  AdGroup, AdGroupCreateInput, AdGroupPatch, AdGroupQuery, BatchItemResult, Bid, BidInput, Budget, BudgetInput, CampaignStatus, Objective, Targeting,
} from '../../core/model.js';
import { PLACEMENTS } from '../../core/vocabulary.js';
import type { Call, ListAll } from './insights.js';
import { lineItemError } from './line-item-errors.js';
import { one } from './wire.js';

// ---------------------------------------------------------------------------------------------
// Wire schemas.
// ---------------------------------------------------------------------------------------------

const Micros = z.number().int().nullable().optional();
export const XLineItemFull = z.object({
  id: z.string().min(1),
  campaign_id: z.string().min(1),
  name: z.string().nullable().optional(),
  objective: z.string(),
  product_type: z.string(),
  placements: z.array(z.string()),
  entity_status: z.string(),
  bid_strategy: z.string().nullable().optional(),
  bid_amount_local_micro: Micros,
  goal: z.string().nullable().optional(),
  daily_budget_amount_local_micro: Micros,
  total_budget_amount_local_micro: Micros,
  currency: z.string().length(3),
  start_time: z.string().nullable().optional(),
  end_time: z.string().nullable().optional(),
  deleted: z.boolean().optional(),
}).loose();
export const XCriterionWire = z.object({
  id: z.string().min(1),
  line_item_id: z.string().min(1),
  targeting_type: z.string(),
  targeting_value: z.union([z.string(), z.number()]).transform(String),
  operator_type: z.string().optional(),
  location_type: z.string().nullable().optional(),
  deleted: z.boolean().optional(),
}).loose();
const XLocationWire = z.object({ country_code: z.string().nullable().optional(), location_type: z.string().optional(), targeting_value: z.string() }).loose();
const XCampaignBudgets = z.object({
  id: z.string(), currency: z.string().length(3), daily_budget_amount_local_micro: Micros, total_budget_amount_local_micro: Micros,
}).loose();

const XCriteriaBatch = z.object({ data: z.array(XCriterionWire) }).loose();
const OperationErrors = z.array(z.array(z.object({ code: z.string().optional(), message: z.string().optional(), parameter: z.string().optional() }).loose()));
/** X takes up to 500 targeting criteria operations per batch (REFERENCE §B.7). */
const TARGETING_BATCH = 500;

type LineItem = z.infer<typeof XLineItemFull>;
type Criterion = z.infer<typeof XCriterionWire>;

// ---------------------------------------------------------------------------------------------
// Mappings (pure).
// ---------------------------------------------------------------------------------------------

/** X line item objective → domain objective (several X objectives share one domain objective). */
export const LINE_ITEM_OBJECTIVES: Readonly<Record<string, Objective>> = {
  WEBSITE_CLICKS: 'traffic', ENGAGEMENTS: 'engagement', REACH: 'awareness', FOLLOWERS: 'followers', VIDEO_VIEWS: 'video_views',
  PREROLL_VIEWS: 'video_views', APP_INSTALLS: 'app_installs', APP_ENGAGEMENTS: 'app_installs', WEBSITE_CONVERSIONS: 'sales', LEAD_GENERATION: 'leads',
};
/** Domain objective → the X objective a new line item gets. X v12 has no lead objective of its own. */
export const X_OBJECTIVE: Readonly<Partial<Record<Objective, string>>> = {
  traffic: 'WEBSITE_CLICKS', engagement: 'ENGAGEMENTS', awareness: 'REACH', followers: 'FOLLOWERS', video_views: 'VIDEO_VIEWS',
  app_installs: 'APP_INSTALLS', sales: 'WEBSITE_CONVERSIONS',
};
/** The goal X uses when a line item names none. */
export const DEFAULT_GOAL: Readonly<Record<string, string>> = {
  WEBSITE_CLICKS: 'LINK_CLICKS', ENGAGEMENTS: 'ENGAGEMENT', REACH: 'MAX_REACH', FOLLOWERS: 'FOLLOWERS', VIDEO_VIEWS: 'VIDEO_VIEW',
  PREROLL_VIEWS: 'PREROLL', APP_INSTALLS: 'APP_INSTALLS', APP_ENGAGEMENTS: 'APP_CLICKS', WEBSITE_CONVERSIONS: 'WEBSITE_CONVERSIONS',
};
/** Goals each objective accepts (X docs: `goal` on POST line_items). */
export const GOALS: Readonly<Record<string, readonly string[]>> = {
  WEBSITE_CLICKS: ['LINK_CLICKS', 'SITE_VISITS', 'WEBSITE_CONVERSIONS'], ENGAGEMENTS: ['ENGAGEMENT'], REACH: ['MAX_REACH', 'REACH_WITH_ENGAGEMENT'],
  FOLLOWERS: ['FOLLOWERS'], VIDEO_VIEWS: ['VIDEO_VIEW', 'VIEW_3S_100PCT', 'VIEW_6S', 'VIEW_15S'],
  PREROLL_VIEWS: ['PREROLL', 'PREROLL_STARTS', 'VIEW_3S_100PCT', 'VIEW_6S', 'VIEW_15S'], APP_INSTALLS: ['APP_INSTALLS', 'APP_CLICKS', 'APP_PURCHASES'],
  APP_ENGAGEMENTS: ['APP_CLICKS', 'APP_INSTALLS'], WEBSITE_CONVERSIONS: ['WEBSITE_CONVERSIONS'],
};
/** Bid strategies X refuses per objective (REFERENCE §B.6). */
const MAX_NOT_FOR = ['REACH', 'FOLLOWERS'];
const TARGET_ONLY_FOR = ['REACH', 'FOLLOWERS', 'WEBSITE_CLICKS'];

/** X's targeting age buckets (official Ruby Ads SDK `AgeBucket`); a line item targets at most one. */
export const AGE_BUCKETS = [
  'AGE_13_TO_24', 'AGE_13_TO_34', 'AGE_13_TO_49', 'AGE_13_TO_54', 'AGE_OVER_13', 'AGE_18_TO_34', 'AGE_18_TO_49', 'AGE_18_TO_54', 'AGE_OVER_18',
  'AGE_21_TO_34', 'AGE_21_TO_49', 'AGE_21_TO_54', 'AGE_OVER_21', 'AGE_25_TO_49', 'AGE_25_TO_54', 'AGE_OVER_25', 'AGE_35_TO_49', 'AGE_35_TO_54',
  'AGE_OVER_35', 'AGE_OVER_50',
] as const;

type Placement = (typeof PLACEMENTS)[number];
const TO_X_PLACEMENT: Partial<Record<Placement, string>> = { timeline: 'TWITTER_TIMELINE', search: 'TWITTER_SEARCH', profile: 'TWITTER_PROFILE', replies: 'TWITTER_REPLIES' };
const BID_TO_X = { auto: 'AUTO', max: 'MAX', target: 'TARGET' } as const;
const BID_FROM_X: Record<string, Bid['strategy']> = { AUTO: 'auto', MAX: 'max', TARGET: 'target' };
const STATUS: Record<string, CampaignStatus> = { ACTIVE: 'active', PAUSED: 'paused', DRAFT: 'draft' };
/** One cent of USD: X amounts are whole multiples of this many micros (⚠ see sandbox line-item-rules). */
const MICRO_STEP = 10_000;

export const refuse = (code: string, message: string, hint: string) => new AdctlError(code, message, ExitCode.USAGE, { hint, platform: 'x' });

/** "AGE_25_TO_49" → [25, 49]; "AGE_OVER_50" → [50, null]; anything else → undefined. */
export function ageFromBucket(bucket: string): [number, number | null] | undefined {
  const range = /^AGE_(\d+)_TO_(\d+)$/.exec(bucket);
  if (range) return [Number(range[1]), Number(range[2])];
  const over = /^AGE_OVER_(\d+)$/.exec(bucket);
  return over ? [Number(over[1]), null] : undefined;
}

/** Domain ages → X's bucket (null: no age targeting). Only X's own buckets exist: others are refused. */
export function ageBucket(min: number | null, max: number | null): string | null {
  if (min === null && max === null) return null;
  const name = min === null ? undefined : max === null ? `AGE_OVER_${min}` : `AGE_${min}_TO_${max}`;
  if (name && (AGE_BUCKETS as readonly string[]).includes(name)) return name;
  const choices = AGE_BUCKETS.map((b) => { const [lo, hi] = ageFromBucket(b)!; return hi === null ? `${lo}+` : `${lo}–${hi}`; }).join(', ');
  throw refuse('INVALID_AGE_RANGE', `X cannot target ages ${min ?? '?'}–${max ?? 'and over'}: X targets fixed age buckets only`,
    `use one of ${choices} (leave the maximum out for "and over")`);
}

/** Domain publisher platforms and placements → the line item's `placements`. */
export function placementsToWire(platforms: readonly string[], placements: readonly string[]): string[] {
  const foreign = platforms.filter((p) => p !== 'x');
  if (foreign.includes('audience_network') || placements.includes('audience_network')) {
    throw refuse('INVALID_TARGETING', "X's publisher network (PUBLISHER_NETWORK) needs an advertiser domain and IAB categories, which adctl does not set",
      'target the x publisher platform only, or set the publisher network in X Ads Manager');
  }
  if (foreign.length) throw refuse('INVALID_TARGETING', `X line items cannot run on ${foreign.join(', ')}`, 'use the publisher platform x');
  const unknown = placements.filter((p) => !TO_X_PLACEMENT[p as Placement]);
  if (unknown.length) throw refuse('INVALID_TARGETING', `X has no ${unknown.join(', ')} placement`, `choose from ${Object.keys(TO_X_PLACEMENT).join(', ')}, or none for all of X`);
  return placements.length ? placements.map((p) => TO_X_PLACEMENT[p as Placement]!) : ['ALL_ON_TWITTER'];
}

/** The line item's `placements` → domain publisher platforms and placements (TAP_* are not modelled). */
export function placementsFromWire(wire: readonly string[]): Pick<Targeting, 'publisherPlatforms' | 'placements'> {
  const onX = wire.some((p) => p === 'ALL_ON_TWITTER' || p.startsWith('TWITTER_'));
  return {
    publisherPlatforms: [...(onX ? ['x' as const] : []), ...(wire.includes('PUBLISHER_NETWORK') ? ['audience_network' as const] : [])],
    placements: PLACEMENTS.filter((p) => TO_X_PLACEMENT[p] && wire.includes(TO_X_PLACEMENT[p]!)),
  };
}

/** The X objective a goal belongs to, when exactly one objective has it. */
export function objectiveOfGoal(goal: string): string | undefined {
  const owners = Object.keys(GOALS).filter((o) => GOALS[o]!.includes(goal));
  return owners.length === 1 ? owners[0] : undefined;
}

/** Bid shape and strategy-per-objective rules (pure; `objective` when known). */
export function bidParams(bid: BidInput, objective: string | undefined, micros: (m: NonNullable<BidInput['money']>, what: string) => number): Record<string, unknown> {
  if (bid.strategy === 'cost_cap') throw refuse('UNSUPPORTED_BID_STRATEGY', 'X line items have no cost cap bidding', 'bid auto, max (a maximum bid) or target (a target cost)');
  const strategy = BID_TO_X[bid.strategy];
  if (bid.strategy === 'auto') {
    if (bid.money) throw refuse('BID_AMOUNT_NOT_ALLOWED', 'automatic bidding (AUTO) takes no bid amount', 'leave the amount out, or bid max or target with it');
    return { bid_strategy: strategy };
  }
  if (!bid.money || bid.money.minor <= 0) {
    throw refuse('BID_AMOUNT_REQUIRED', `bid ${bid.strategy} (${strategy}) needs an amount above zero (X's bid_amount_local_micro)`, `pass the ${bid.strategy === 'max' ? 'maximum bid' : 'target cost'}, or bid auto`);
  }
  if (objective && bid.strategy === 'max' && MAX_NOT_FOR.includes(objective)) {
    throw refuse('BID_STRATEGY_NOT_ALLOWED', `X does not allow MAX bids on ${objective} line items`, 'bid auto, or target with an amount');
  }
  if (objective && bid.strategy === 'target' && !TARGET_ONLY_FOR.includes(objective)) {
    throw refuse('BID_STRATEGY_NOT_ALLOWED', `X allows TARGET bids only on ${TARGET_ONLY_FOR.join(', ')} line items, not ${objective}`, 'bid auto or max');
  }
  return { bid_strategy: strategy, bid_amount_local_micro: micros(bid.money, 'bid') };
}

const utc = (t: string | null | undefined): string | null => {
  if (!t) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
};

function checkSchedule(start: string | null, end: string | null): void {
  for (const t of [start, end]) {
    if (t !== null && Number.isNaN(Date.parse(t))) throw refuse('INVALID_SCHEDULE', `"${t}" is not a time`, 'use RFC 3339 times such as 2026-12-01T09:00:00Z');
  }
  if (start !== null && end !== null && Date.parse(end) <= Date.parse(start)) {
    throw refuse('INVALID_SCHEDULE', `the end ${end} is not after the start ${start}`, 'move the end after the start');
  }
}

function checkCountries(countries: readonly string[]): void {
  const bad = countries.filter((c) => !/^[A-Z]{2}$/.test(c));
  if (bad.length) throw refuse('INVALID_TARGETING', `not ISO 3166 country codes: ${bad.join(', ')}`, 'write countries as two upper-case letters, such as US or JP');
}

/**
 * A refused targeting batch names the operation X refused (`operation_errors`, indexed like the
 * input) with the same typed codes as single calls; other failures pass through unchanged.
 */
export function batchRefusal(e: unknown): unknown {
  if (!(e instanceof AdctlError)) return e;
  const per = OperationErrors.safeParse((e.cause as { data?: { operation_errors?: unknown } } | undefined)?.data?.operation_errors);
  const item = per.success ? per.data.flat()[0] : undefined;
  if (!item) return e;
  const typed = lineItemError(item);
  return new AdctlError(typed?.code ?? e.code, `X: ${item.message ?? 'refused'}${item.parameter ? ` (parameter ${item.parameter})` : ''}`, e.exitCode,
    { hint: typed?.hint ?? e.hint, platform: 'x', requestId: e.requestId, cause: e });
}

// ---------------------------------------------------------------------------------------------
// The adapter part.
// ---------------------------------------------------------------------------------------------

export interface XAdGroupDeps {
  call: Call;
  listAll: ListAll;
  accountId(): string;
  /** Exact decimal amount of micros (adapter.ts `microsAmount`). */
  microsAmount(micros: number, currency: string): string;
  /** The X batch endpoints (batch.ts); its ad group update is returned wrapped with the refusals. */
  batch?: { updateAdGroupsBatch(items: BatchItem[]): Promise<Array<BatchItemResult<never>>> } | undefined;
}

type BatchItem = { id: string; patch: AdGroupPatch };
type AdGroupMethods = Required<Pick<PlatformAdapter, 'listAdGroups' | 'getAdGroup' | 'createAdGroup' | 'updateAdGroup' | 'deleteAdGroup'>> & Pick<PlatformAdapter, 'updateAdGroupsBatch'>;

export function createXAdGroups(ctx: AdapterContext, deps: XAdGroupDeps): AdGroupMethods {
  const read = (label: string, object?: string) => ({ label, method: 'GET' as const, write: false, idempotent: true, ...(object ? { object } : {}) });
  const write = (label: string, method: 'POST' | 'PUT' | 'DELETE', idempotent: boolean, object?: string) => ({ label, method, write: true, idempotent, ...(object ? { object } : {}) });
  const base = () => `accounts/${deps.accountId()}`;

  // Country code ⇄ X location value, read once per adapter (one GET of ~250 countries).
  let table: Promise<{ byCode: Map<string, string>; byValue: Map<string, string> }> | undefined;
  const locations = () => {
    table ??= deps.listAll('GET targeting_criteria/locations', 'targeting_criteria/locations', { location_type: 'COUNTRIES' }, XLocationWire).then((list) => {
      const byCode = new Map<string, string>();
      const byValue = new Map<string, string>();
      for (const l of list) {
        if (!l.country_code || (l.location_type && l.location_type !== 'COUNTRIES')) continue;
        byCode.set(l.country_code.toUpperCase(), l.targeting_value);
        byValue.set(l.targeting_value, l.country_code.toUpperCase());
      }
      return { byCode, byValue };
    }, (e: unknown) => { table = undefined; throw e; });
    return table;
  };

  const getLineItem = async (id: string): Promise<LineItem> =>
    (await deps.call(read('GET line item', `line item ${id}`), `${base()}/line_items/${id}`, {}, one(XLineItemFull))).data;
  const criteriaOf = async (ids: string[]): Promise<Criterion[]> => {
    const out: Criterion[] = [];
    for (let i = 0; i < ids.length; i += 200) {
      out.push(...await deps.listAll('GET targeting_criteria', `${base()}/targeting_criteria`, { line_item_ids: ids.slice(i, i + 200).join(',') }, XCriterionWire));
    }
    return out;
  };
  const isCountry = (c: Criterion) => c.targeting_type === 'LOCATION' && (c.operator_type ?? 'EQ') === 'EQ' && (c.location_type ?? 'COUNTRIES') === 'COUNTRIES';
  const isAge = (c: Criterion) => c.targeting_type === 'AGE' && (c.operator_type ?? 'EQ') === 'EQ';

  async function toAdGroups(items: LineItem[]): Promise<AdGroup[]> {
    const criteria = items.length ? await criteriaOf(items.map((l) => l.id)) : [];
    const codes = criteria.some(isCountry) ? (await locations()).byValue : new Map<string, string>();
    return items.map((li) => {
      const mine = criteria.filter((c) => c.line_item_id === li.id && !c.deleted);
      const cur = li.currency.toUpperCase();
      const money = (micros: number) => ({ amount: deps.microsAmount(micros, cur), currency: cur });
      const budget = (micros: number | null | undefined, period: Budget['period']): Budget | null => (micros ? { period, ...money(micros) } : null);
      const strategy = li.bid_strategy ? BID_FROM_X[li.bid_strategy] : undefined;
      const age = mine.filter(isAge).map((c) => ageFromBucket(c.targeting_value)).find((a) => a !== undefined);
      return {
        ref: `x:${li.id}`,
        platform: 'x',
        id: li.id,
        campaign: `x:${li.campaign_id}`,
        // X shows a line item without a name as "Untitled" (its docs' own examples); never empty.
        name: li.name || 'Untitled',
        status: li.deleted ? 'deleted' : (STATUS[li.entity_status] ?? 'paused'),
        budget: budget(li.daily_budget_amount_local_micro, 'daily') ?? budget(li.total_budget_amount_local_micro, 'lifetime'),
        bid: strategy ? { strategy, amount: strategy !== 'auto' && li.bid_amount_local_micro ? money(li.bid_amount_local_micro) : null } : null,
        optimization: li.goal ?? null,
        schedule: { start: utc(li.start_time), end: utc(li.end_time) },
        targeting: {
          countries: [...new Set(mine.filter(isCountry).map((c) => codes.get(c.targeting_value)).filter((c): c is string => !!c))].sort(),
          ageMin: age?.[0] ?? null,
          ageMax: age?.[1] ?? null,
          ...placementsFromWire(li.placements),
        },
      };
    });
  }

  /** Money in the line item's currency as X micros, in X's steps; refused before sending otherwise. */
  const microsIn = (currency: string) => (m: NonNullable<BidInput['money']>, what: string): number => {
    if (m.currency !== currency) throw refuse('CURRENCY_MISMATCH', `the ${what} is in ${m.currency} but the X campaign spends ${currency}`, `write the amount in ${currency}`);
    const micros = toUnits(m, 6, 'X');
    if (micros % MICRO_STEP !== 0) throw refuse('AMOUNT_PRECISION', `X takes ${what}s in steps of 0.01 ${currency}; ${micros} micros is finer`, `round the ${what} to two decimals`);
    return micros;
  };

  /** A line item budget above the campaign's budget of the same period could never be spent. */
  function budgetParams(budget: BudgetInput, campaign: z.infer<typeof XCampaignBudgets>): Record<string, unknown> {
    const micros = microsIn(campaign.currency.toUpperCase())(budget.money, 'budget');
    const cap = budget.period === 'daily' ? campaign.daily_budget_amount_local_micro : campaign.total_budget_amount_local_micro;
    if (cap !== null && cap !== undefined && micros > cap) {
      const c = campaign.currency.toUpperCase();
      throw refuse('BUDGET_ABOVE_CAMPAIGN', `the ${budget.period} budget ${deps.microsAmount(micros, c)} ${c} is above the ${budget.period} budget of campaign x:${campaign.id} (${deps.microsAmount(cap, c)} ${c})`,
        `lower the ad group's budget, or raise the campaign's first (adctl budget set x:${campaign.id})`);
    }
    return { [budget.period === 'daily' ? 'daily_budget_amount_local_micro' : 'total_budget_amount_local_micro']: micros };
  }

  /** Targeting pieces checked before anything is sent: the placements, the age bucket, the location values. */
  async function planTargeting(t: Partial<Targeting>, current: Targeting | undefined) {
    const platforms = t.publisherPlatforms ?? current?.publisherPlatforms ?? [];
    const placements = t.placements ?? current?.placements ?? [];
    const wirePlacements = t.publisherPlatforms !== undefined || t.placements !== undefined ? placementsToWire(platforms, placements) : undefined;
    const ageMin = t.ageMin !== undefined ? t.ageMin : (current?.ageMin ?? null);
    const ageMax = t.ageMax !== undefined ? t.ageMax : (current?.ageMax ?? null);
    const age = t.ageMin !== undefined || t.ageMax !== undefined ? ageBucket(ageMin, ageMax) : undefined;
    let countries: string[] | undefined;
    if (t.countries !== undefined) {
      checkCountries(t.countries);
      const { byCode } = await locations();
      const unknown = t.countries.filter((c) => !byCode.has(c));
      if (unknown.length) throw refuse('INVALID_TARGETING', `X has no country location for ${unknown.join(', ')}`, 'check the country codes (ISO 3166 alpha-2)');
      countries = [...new Set(t.countries.map((c) => byCode.get(c)!))];
    }
    return { wirePlacements, age, countries };
  }

  /**
   * Make the line item's country and age criteria the asked ones; other criteria stay. One X batch
   * (all or nothing, up to 500 operations; only a line item with more than ~500 changed locations
   * needs several): the old age bucket is deleted before the new one is created (X allows one).
   */
  async function applyTargeting(lineItemId: string, plan: { age: string | null | undefined; countries: string[] | undefined }): Promise<void> {
    if (plan.age === undefined && plan.countries === undefined) return;
    const current = (await criteriaOf([lineItemId])).filter((c) => !c.deleted);
    const create = (type: string, value: string) => ({ operation_type: 'Create', params: { line_item_id: lineItemId, targeting_type: type, targeting_value: value, operator_type: 'EQ' } });
    const remove = (c: Criterion) => ({ operation_type: 'Delete', params: { targeting_criterion_id: c.id } });
    const first: object[] = [];
    const ops: object[] = [];
    if (plan.age !== undefined) {
      const have = current.filter(isAge);
      if (!(have.length === 1 && have[0]!.targeting_value === plan.age)) {
        first.push(...have.map(remove));
        if (plan.age !== null) ops.push(create('AGE', plan.age));
      }
    }
    if (plan.countries !== undefined) {
      const have = current.filter(isCountry);
      ops.push(...plan.countries.filter((v) => !have.some((c) => c.targeting_value === v)).map((v) => create('LOCATION', v)));
      ops.push(...have.filter((c) => !plan.countries!.includes(c.targeting_value)).map(remove));
    }
    const all = [...first, ...ops];
    for (let i = 0; i < all.length; i += TARGETING_BATCH) {
      const chunk = all.slice(i, i + TARGETING_BATCH);
      try {
        await deps.call({ ...write(`POST batch targeting_criteria (${chunk.length})`, 'POST', false), jsonBody: chunk }, `batch/${base()}/targeting_criteria`, {}, XCriteriaBatch);
      } catch (e) {
        throw batchRefusal(e);
      }
    }
  }

  async function getAdGroup(id: string): Promise<AdGroup> {
    return (await toAdGroups([await getLineItem(id)]))[0]!;
  }

  /**
   * Batch updates keep the single-update refusals for bids and budgets: an item that would be a MAX
   * bid on a REACH line item, lack a bid amount, or exceed its campaign's budget fails alone (exit
   * 64) and is never sent; the rest go to the X batch. Reads only: the line items and campaigns
   * concerned, 200 ids per read.
   */
  async function guardedBatch(items: BatchItem[], send: NonNullable<XAdGroupDeps['batch']>['updateAdGroupsBatch']): Promise<Array<BatchItemResult<never>>> {
    const checked = items.filter((it) => it.patch.bid || it.patch.budget).map((it) => it.id);
    const lineItems = new Map<string, LineItem>();
    const campaigns = new Map<string, z.infer<typeof XCampaignBudgets>>();
    for (let i = 0; i < checked.length; i += 200) {
      const ids = checked.slice(i, i + 200).join(',');
      for (const li of await deps.listAll('GET line_items (batch check)', `${base()}/line_items`, { line_item_ids: ids, with_draft: true }, XLineItemFull)) lineItems.set(li.id, li);
    }
    const campaignIds = [...new Set(items.filter((it) => it.patch.budget && lineItems.has(it.id)).map((it) => lineItems.get(it.id)!.campaign_id))];
    for (let i = 0; i < campaignIds.length; i += 200) {
      for (const c of await deps.listAll('GET campaigns (batch check)', `${base()}/campaigns`, { campaign_ids: campaignIds.slice(i, i + 200).join(','), with_draft: true }, XCampaignBudgets)) campaigns.set(c.id, c);
    }
    const refused = new Map<number, AdctlError>();
    items.forEach((it, i) => {
      const li = lineItems.get(it.id);
      // A line item the read did not return is left to the batch, which reports it as X does.
      if (!li) return;
      try {
        if (it.patch.bid) bidParams(it.patch.bid, li.objective, microsIn(li.currency.toUpperCase()));
        const campaign = campaigns.get(li.campaign_id);
        if (it.patch.budget && campaign) budgetParams(it.patch.budget, campaign);
      } catch (e) {
        if (!(e instanceof AdctlError)) throw e;
        refused.set(i, e);
      }
    });
    const rest = items.filter((_, i) => !refused.has(i));
    const sent = rest.length ? await send(rest) : [];
    let k = 0;
    return items.map((it, i) => {
      const e = refused.get(i);
      return e ? { id: it.id, ok: false, error: { code: e.code, message: e.message, exitCode: e.exitCode } } : sent[k++]!;
    });
  }

  const batch = deps.batch;
  return {
    ...(batch ? { updateAdGroupsBatch: (items: BatchItem[]) => guardedBatch(items, (rest) => batch.updateAdGroupsBatch(rest)) } : {}),
    async listAdGroups(query: AdGroupQuery): Promise<AdGroup[]> {
      const wantDeleted = query.statuses?.includes('deleted') ?? false;
      const items = await deps.listAll('GET line_items', `${base()}/line_items`, {
        with_draft: true, ...(wantDeleted ? { with_deleted: true } : {}), ...(query.campaignId ? { campaign_ids: query.campaignId } : {}),
      }, XLineItemFull);
      const groups = await toAdGroups(items);
      return groups.filter((g) => (query.statuses ? query.statuses.includes(g.status) : g.status !== 'deleted'));
    },

    getAdGroup,

    async createAdGroup(input: AdGroupCreateInput): Promise<AdGroup> {
      if (!input.name.trim()) throw refuse('INVALID_NAME', 'a line item needs a name', 'pass --name');
      if ([...input.name].length > 255) throw refuse('INVALID_NAME', 'X line item names are at most 255 characters', 'shorten the name');
      const start = input.start ?? null;
      const end = input.end ?? null;
      checkSchedule(start, end);
      // Shape checks first (no request yet); the objective-dependent ones follow the reads.
      if (input.bid) bidParams(input.bid, undefined, (m) => m.minor);
      const asked = input.objective !== undefined ? X_OBJECTIVE[input.objective] : undefined;
      if (input.objective !== undefined && !asked) throw refuse('UNSUPPORTED_OBJECTIVE', `X line items have no ${input.objective} objective`, `choose one of ${Object.keys(X_OBJECTIVE).join(', ')}`);

      const campaign = (await deps.call(read('GET campaign of the line item', `campaign ${input.campaignId}`), `${base()}/campaigns/${input.campaignId}`, {}, one(XCampaignBudgets))).data;
      const currency = campaign.currency.toUpperCase();
      const budget = input.budget ? budgetParams(input.budget, campaign) : {};
      // X keeps one objective (and product type) per campaign, on its line items: read them.
      const siblings = await deps.listAll('GET line_items of the campaign', `${base()}/line_items`, { campaign_ids: campaign.id, with_draft: true }, XLineItemFull);
      const existing = siblings[0];
      const fromGoal = input.optimization ? objectiveOfGoal(input.optimization) : undefined;
      let objective: string | undefined;
      if (existing) {
        objective = existing.objective;
        // What the input implies, when it differs from the campaign's: the objective asked for, or
        // the one objective the asked goal belongs to.
        const wanted = input.objective !== undefined && LINE_ITEM_OBJECTIVES[objective] !== input.objective ? asked
          : fromGoal && fromGoal !== objective && !GOALS[objective]?.includes(input.optimization!) ? fromGoal : undefined;
        if (wanted) {
          throw refuse('MIXED_OBJECTIVES', `campaign x:${campaign.id} already has ${objective} line items and X does not mix objectives in a campaign (this ad group would be ${wanted})`,
            `use the campaign's objective (${LINE_ITEM_OBJECTIVES[objective] ?? objective}), or create the ad group in another campaign`);
        }
      } else {
        objective = asked ?? fromGoal;
        if (!objective) {
          throw refuse('OBJECTIVE_REQUIRED', `campaign x:${campaign.id} has no line items yet, so X has no objective for it`,
            `pass the objective (one of ${Object.keys(X_OBJECTIVE).join(', ')}) for its first ad group`);
        }
      }
      const goal = input.optimization ?? DEFAULT_GOAL[objective];
      if (goal && GOALS[objective] && !GOALS[objective]!.includes(goal)) {
        throw refuse('INVALID_OPTIMIZATION', `X line items with objective ${objective} cannot optimise for ${goal}`, `use one of ${GOALS[objective]!.join(', ')}`);
      }
      const bid = input.bid ? bidParams(input.bid, objective, microsIn(currency)) : {};
      const plan = await planTargeting(input.targeting, undefined);
      const targeted = plan.age !== undefined && plan.age !== null || (plan.countries?.length ?? 0) > 0;
      const params: Record<string, unknown> = {
        campaign_id: campaign.id,
        name: input.name,
        objective,
        product_type: existing?.product_type ?? (objective === 'FOLLOWERS' ? 'PROMOTED_ACCOUNT' : 'PROMOTED_TWEETS'),
        placements: (plan.wirePlacements ?? ['ALL_ON_TWITTER']).join(','),
        // Explicit, always (X's default is ACTIVE); paused until targeted when asked for active.
        entity_status: input.status === 'active' && !targeted ? 'ACTIVE' : 'PAUSED',
        ...(goal ? { goal } : {}),
        ...bid,
        ...budget,
        ...(start ? { start_time: start } : {}),
        ...(end ? { end_time: end } : {}),
      };
      const created = (await deps.call(write('POST line_items', 'POST', false), `${base()}/line_items`, params, one(XLineItemFull))).data;
      try {
        await applyTargeting(created.id, plan);
        if (input.status === 'active' && targeted) {
          await deps.call(write('PUT line item (activate)', 'PUT', true, `line item ${created.id}`), `${base()}/line_items/${created.id}`, { entity_status: 'ACTIVE' }, one(XLineItemFull));
        }
      } catch (e) {
        if (!(e instanceof AdctlError)) throw e;
        throw new AdctlError('TARGETING_INCOMPLETE', `line item x:${created.id} was created paused, without its targeting: ${e.message}`, e.exitCode,
          { hint: `run \`adctl adgroup update x:${created.id}\` with the targeting again, or delete it`, platform: 'x', cause: e, details: { ref: `x:${created.id}`, cause: e.code } });
      }
      return getAdGroup(created.id);
    },

    async updateAdGroup(id: string, patch: AdGroupPatch): Promise<AdGroup> {
      if (patch.name !== undefined && !patch.name.trim()) throw refuse('INVALID_NAME', 'a line item name cannot be empty', 'pass a name');
      if (patch.status === 'archived') throw refuse('UNSUPPORTED_STATUS', 'X line items cannot be archived', 'pause it or delete it');
      if (patch.bid) bidParams(patch.bid, undefined, (m) => m.minor);
      const li = await getLineItem(id);
      const currency = li.currency.toUpperCase();
      const params: Record<string, unknown> = {};
      if (patch.name !== undefined) params.name = patch.name;
      if (patch.status) params.entity_status = patch.status === 'active' ? 'ACTIVE' : 'PAUSED';
      if (patch.bid) Object.assign(params, bidParams(patch.bid, li.objective, microsIn(currency)));
      if (patch.budget) {
        // Checked against the campaign's budget before sending; the campaign read costs one GET.
        microsIn(currency)(patch.budget.money, 'budget');
        const campaign = (await deps.call(read('GET campaign of the line item', `campaign ${li.campaign_id}`), `${base()}/campaigns/${li.campaign_id}`, {}, one(XCampaignBudgets))).data;
        Object.assign(params, budgetParams(patch.budget, campaign));
      }
      if (patch.start !== undefined || patch.end !== undefined) {
        checkSchedule(patch.start !== undefined ? patch.start : utc(li.start_time), patch.end !== undefined ? patch.end : utc(li.end_time));
        // An empty value unsets an optional field on X (REFERENCE §B.2).
        if (patch.start !== undefined) params.start_time = patch.start ?? '';
        if (patch.end !== undefined) params.end_time = patch.end ?? '';
      }
      let plan: Awaited<ReturnType<typeof planTargeting>> | undefined;
      if (patch.targeting) {
        const current = (await toAdGroups([li]))[0]!.targeting;
        plan = await planTargeting(patch.targeting, current);
        if (plan.wirePlacements) params.placements = plan.wirePlacements.join(',');
      }
      const put = async () => {
        if (Object.keys(params).length) await deps.call(write('PUT line item', 'PUT', true, `line item ${id}`), `${base()}/line_items/${id}`, params, one(XLineItemFull));
      };
      // Activating with new targeting: the targeting first, so the line item never serves with the old one.
      if (plan && patch.status === 'active') {
        await applyTargeting(id, plan);
        await put();
      } else {
        await put();
        if (plan) await applyTargeting(id, plan);
      }
      return getAdGroup(id);
    },

    async deleteAdGroup(id: string): Promise<void> {
      try {
        await deps.call(write('DELETE line item', 'DELETE', true, `line item ${id}`), `${base()}/line_items/${id}`, {}, one(XLineItemFull));
      } catch (e) {
        // Idempotent: X answers 404 for a line item that is already deleted (REFERENCE §B.2).
        if (e instanceof AdctlError && e.code === 'NOT_FOUND') return;
        throw e;
      }
    },
  };
}
