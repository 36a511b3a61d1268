/**
 * Meta ad sets in the sandbox (REFERENCE §C.4, §C.6), state `meta.adSets` (seeded in adsets-seed.ts).
 *
 * Routes (any `/vNN.N/` version; registered in server.ts before metaModule):
 * - `GET /act_<id>/adsets` and `GET /<campaign_id>/adsets`: `fields`, `effective_status` (JSON
 *   array), `filtering=[{field:"campaign.id"|"effective_status",operator:"IN"|"EQUAL",value}]`,
 *   `limit`, `after`;
 *   pages carry `paging.cursors` and an absolute `paging.next` on the sandbox's own origin.
 * - `GET /<adset_id>`: the requested fields (id always). A deleted ad set still reads, as on Graph.
 * - `POST /act_<id>/adsets`: create, answers `{id}`. `POST /<adset_id>`: update, `{success:true}`.
 *   `DELETE /<adset_id>`: status DELETED, `{success:true}` (also when already deleted).
 *
 * Wire facts: budgets are written as integers of the account currency's Meta unit and read back
 * as strings; `bid_amount` is an integer of the same unit; `targeting` is a JSON object; times are
 * ISO 8601 or unix seconds on write and `2026-11-29T00:00:00+0000` on read. Nested values arrive
 * JSON-encoded (the Node SDK's JSON bodies, and batch form bodies), so `targeting` is parsed here.
 *
 * Meta's own validation, in the order Graph reports it (code 100, HTTP 400, with fbtrace_id).
 * Subcodes: 1885621 (ad set budget on a campaign with a campaign budget), 1815857 (bid amount
 * required) and 1885272 (budget too low) are the ones Meta sends according to third-party code
 * that handles them; the others are the sandbox's own choice (⚠ unverified), kept stable so the
 * plugin can classify them. `error_user_title` / `error_user_msg` carry the human text, as on Graph.
 *
 * Ad set ids are `120220` + 9 digits.
 */
import { randomBytes } from 'node:crypto';
import { StateStore, type SandboxState } from '../state.js';
import type { PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { metaModule } from './index.js';
import type { MetaAdSet } from './adsets-seed.js';
import { jsonList, pageList } from './graph-list.js';
import { nonexistingField } from './node-fields.js';

interface Account { id: string; account_id: string; currency: string }
interface Campaign { id: string; account_id: string; objective: string; status: string; daily_budget: string | null; lifetime_budget: string | null }
interface State { adAccounts: Account[]; campaigns: Campaign[]; adSets?: MetaAdSet[] }

const metaOf = (s: SandboxState) => s.meta as unknown as State;
const adSetsOf = (s: SandboxState) => (metaOf(s).adSets ??= []);

export const ADSET_ID = /^120220\d{9}$/;
const STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'];
const EFFECTIVE_DEFAULT = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES', 'CAMPAIGN_PAUSED'];
const BID_STRATEGIES = ['LOWEST_COST_WITHOUT_CAP', 'LOWEST_COST_WITH_BID_CAP', 'COST_CAP', 'LOWEST_COST_WITH_MIN_ROAS'];
const NEEDS_AMOUNT = ['LOWEST_COST_WITH_BID_CAP', 'COST_CAP'];
const BILLING_EVENTS = ['APP_INSTALLS', 'CLICKS', 'IMPRESSIONS', 'LINK_CLICKS', 'LISTING_INTERACTION', 'NONE', 'OFFER_CLAIMS', 'PAGE_LIKES', 'POST_ENGAGEMENT', 'PURCHASE', 'THRUPLAY'];
const PUBLISHER_PLATFORMS = ['facebook', 'instagram', 'messenger', 'audience_network'];
const POSITIONS: Record<string, string[]> = {
  facebook_positions: ['feed', 'right_hand_column', 'marketplace', 'video_feeds', 'story', 'search', 'instream_video', 'facebook_reels', 'facebook_reels_overlay', 'profile_feed', 'notification'],
  instagram_positions: ['stream', 'story', 'explore', 'explore_home', 'reels', 'profile_feed', 'ig_search', 'profile_reels'],
  messenger_positions: ['messenger_home', 'sponsored_messages', 'story'],
  audience_network_positions: ['classic', 'rewarded_video'],
};

/** The optimisation goals Meta allows under each outcome objective (ODAX). */
export const GOALS_BY_OBJECTIVE: Record<string, string[]> = {
  OUTCOME_AWARENESS: ['REACH', 'IMPRESSIONS', 'AD_RECALL_LIFT', 'THRUPLAY'],
  OUTCOME_TRAFFIC: ['LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'IMPRESSIONS', 'REACH', 'CONVERSATIONS', 'QUALITY_CALL'],
  OUTCOME_ENGAGEMENT: ['POST_ENGAGEMENT', 'THRUPLAY', 'PAGE_LIKES', 'EVENT_RESPONSES', 'CONVERSATIONS', 'LINK_CLICKS', 'IMPRESSIONS', 'REACH'],
  OUTCOME_LEADS: ['LEAD_GENERATION', 'QUALITY_LEAD', 'OFFSITE_CONVERSIONS', 'CONVERSATIONS', 'QUALITY_CALL', 'LINK_CLICKS'],
  OUTCOME_SALES: ['OFFSITE_CONVERSIONS', 'VALUE', 'LINK_CLICKS', 'LANDING_PAGE_VIEWS', 'CONVERSATIONS', 'IMPRESSIONS', 'REACH'],
  OUTCOME_APP_PROMOTION: ['APP_INSTALLS', 'APP_INSTALLS_AND_OFFSITE_CONVERSIONS', 'VALUE', 'OFFSITE_CONVERSIONS', 'LINK_CLICKS'],
};
/** Billing events other than IMPRESSIONS need the matching goal. */
const BILLING_NEEDS_GOAL: Record<string, string> = { LINK_CLICKS: 'LINK_CLICKS', THRUPLAY: 'THRUPLAY', APP_INSTALLS: 'APP_INSTALLS', POST_ENGAGEMENT: 'POST_ENGAGEMENT', PAGE_LIKES: 'PAGE_LIKES' };

/**
 * The smallest daily budget per currency, in Meta units (for impressions billing; Meta's real
 * minimums vary with the billing event and change over time). A lifetime budget needs the daily
 * minimum for every started day of the schedule.
 */
const MIN_DAILY: Record<string, number> = { JPY: 100, USD: 100, EUR: 100, GBP: 100, KWD: 300 };
const minDaily = (currency: string) => MIN_DAILY[currency] ?? 100;

/** The sandbox's error table: code 100 with a subcode, a Graph message and the user-facing title/text. */
export const ADSET_ERRORS = {
  CAMPAIGN_BUDGET_CONFLICT: 1885621,
  BID_AMOUNT_REQUIRED: 1815857,
  BUDGET_TOO_LOW: 1885272,
  BUDGET_REQUIRED: 1885620,
  LIFETIME_NEEDS_END: 1487209,
  END_BEFORE_START: 1487149,
  AGE_OUT_OF_RANGE: 1487079,
  GOAL_NOT_FOR_OBJECTIVE: 2490408,
  BILLING_NOT_FOR_GOAL: 2490409,
  BID_AMOUNT_NOT_ALLOWED: 2446149,
  BUDGET_TYPE_CHANGE: 1885622,
  TARGETING_INVALID: 1487756,
} as const;

function graphError(subcode: number | undefined, message: string, title?: string, userMsg?: string): SandboxResponse {
  return {
    status: 400,
    body: {
      error: {
        message: `(#100) ${message}`, type: 'OAuthException', code: 100, ...(subcode !== undefined ? { error_subcode: subcode } : {}),
        is_transient: false, ...(title ? { error_user_title: title, error_user_msg: userMsg ?? message } : {}),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}
const invalid = (message: string) => graphError(undefined, message);
const refuse = (subcode: number, title: string, userMsg: string) => graphError(subcode, 'Invalid parameter', title, userMsg);
const missing = (id: string): SandboxResponse => ({
  status: 400,
  body: { error: { message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: randomBytes(8).toString('base64url') } },
});
const isResponse = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'status' in x && 'body' in x;

const fbTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
/** Graph datetime: ISO 8601 (with `Z`, `+00:00` or `+0000`) or unix seconds. */
function parseTime(v: string): number | undefined {
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const ms = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}
const timeMs = (fb: string) => parseTime(fb)!;

function effectiveStatus(a: MetaAdSet, campaigns: Campaign[]): string {
  const c = campaigns.find((k) => k.id === a.campaign_id);
  if (a.status === 'ACTIVE' && c && c.status !== 'ACTIVE') return c.status === 'PAUSED' ? 'CAMPAIGN_PAUSED' : c.status;
  return a.status;
}

function view(a: MetaAdSet, fields: string[], campaigns: Campaign[]): Record<string, unknown> {
  const remaining = a.daily_budget ?? a.lifetime_budget ?? '0';
  const full: Record<string, unknown> = {
    ...a, configured_status: a.status, effective_status: effectiveStatus(a, campaigns), budget_remaining: remaining,
  };
  for (const k of Object.keys(full)) if (full[k] === null) delete full[k];
  const out: Record<string, unknown> = { id: a.id };
  for (const f of fields) if (f in full) out[f] = full[f];
  return out;
}

const fieldsOf = (req: SandboxRequest) => (req.params.fields ? req.params.fields.split(',').map((f) => f.trim()).filter(Boolean) : ['id']);

function list(req: SandboxRequest, state: State, filter: (a: MetaAdSet) => boolean): SandboxResponse {
  let statuses = (jsonList(req.params.effective_status) as string[] | undefined) ?? EFFECTIVE_DEFAULT;
  let campaignIds: string[] | undefined;
  if (req.params.filtering !== undefined) {
    const rules = jsonList(req.params.filtering) as Array<{ field?: unknown; operator?: unknown; value?: unknown }>;
    for (const r of rules) {
      const field = r?.field === 'adset.effective_status' ? 'effective_status' : r?.field;
      if ((field !== 'campaign.id' && field !== 'effective_status') || (r.operator !== 'IN' && r.operator !== 'EQUAL')) {
        return invalid(`Filtering field ${String(r?.field)} with operator ${String(r?.operator)} is not supported`);
      }
      const values = Array.isArray(r.value) ? r.value.map(String) : [String(r.value)];
      if (field === 'campaign.id') campaignIds = values;
      else statuses = values;
    }
  }
  const items = (state.adSets ?? []).filter((a) => filter(a) && statuses.includes(effectiveStatus(a, state.campaigns)) && (!campaignIds || campaignIds.includes(a.campaign_id)));
  return pageList(req, items, (a) => view(a, fieldsOf(req), state.campaigns), { maxLimit: 500, invalidCursor: () => invalid('Invalid cursor') });
}

/** A budget parameter: a non-negative integer; 0 or empty clears it. */
function budgetParam(v: string | undefined, name: string): string | null | undefined | SandboxResponse {
  if (v === undefined) return undefined;
  if (v === '' || v === '0') return null;
  if (!/^\d+$/.test(v)) return invalid(`Param ${name} must be a non-negative integer`);
  return v;
}

function targetingParam(v: string): Record<string, unknown> | SandboxResponse {
  let t: unknown;
  try {
    t = JSON.parse(v);
  } catch {
    return invalid('Param targeting must be a JSON object');
  }
  if (typeof t !== 'object' || t === null || Array.isArray(t)) return invalid('Param targeting must be a JSON object');
  const o = t as Record<string, unknown>;
  const countries = (o.geo_locations as { countries?: unknown } | undefined)?.countries;
  if (!Array.isArray(countries) || countries.length === 0 || !countries.every((c) => typeof c === 'string' && /^[A-Z]{2}$/.test(c))) {
    return refuse(ADSET_ERRORS.TARGETING_INVALID, 'Location Required', 'Your audience needs a location: add at least one country to geo_locations.countries.');
  }
  for (const k of ['age_min', 'age_max']) {
    const a = o[k];
    if (a !== undefined && (typeof a !== 'number' || !Number.isInteger(a) || a < 13 || a > 65)) {
      return refuse(ADSET_ERRORS.AGE_OUT_OF_RANGE, 'Invalid Age Range', `${k} must be a whole number from 13 to 65.`);
    }
  }
  if (typeof o.age_min === 'number' && typeof o.age_max === 'number' && o.age_min > o.age_max) {
    return refuse(ADSET_ERRORS.AGE_OUT_OF_RANGE, 'Invalid Age Range', 'The minimum age must not be above the maximum age.');
  }
  const platforms = o.publisher_platforms;
  if (platforms !== undefined && (!Array.isArray(platforms) || !platforms.every((p) => PUBLISHER_PLATFORMS.includes(String(p))))) {
    return invalid(`Param targeting[publisher_platforms] must be a list of {${PUBLISHER_PLATFORMS.join(', ')}}`);
  }
  for (const [key, allowed] of Object.entries(POSITIONS)) {
    const v2 = o[key];
    if (v2 === undefined) continue;
    if (!Array.isArray(v2) || !v2.every((p) => allowed.includes(String(p)))) return invalid(`Param targeting[${key}] must be a list of {${allowed.join(', ')}}`);
    const platform = key.replace(/_positions$/, '');
    if (Array.isArray(platforms) && !platforms.includes(platform)) {
      return refuse(ADSET_ERRORS.TARGETING_INVALID, 'Placement Without Platform', `${key} is set but ${platform} is not in publisher_platforms.`);
    }
  }
  return o;
}

/** Checks an ad set as it would be after a create or an update: Meta validates the whole object. */
function validate(a: MetaAdSet, campaign: Campaign, currency: string, budgetSent: boolean): SandboxResponse | undefined {
  const cbo = Boolean(campaign.daily_budget || campaign.lifetime_budget);
  const hasBudget = Boolean(a.daily_budget || a.lifetime_budget);
  if (cbo && hasBudget && budgetSent) {
    return refuse(ADSET_ERRORS.CAMPAIGN_BUDGET_CONFLICT, "Can't Set Ad Set and Campaign Budget",
      'This campaign uses Advantage campaign budget, so its ad sets cannot have their own budgets. Remove the ad set budget, or remove the campaign budget first.');
  }
  if (!cbo && !hasBudget) {
    return refuse(ADSET_ERRORS.BUDGET_REQUIRED, 'Budget Required', 'This campaign has no campaign budget, so each of its ad sets needs a daily_budget or a lifetime_budget.');
  }
  if (a.daily_budget && a.lifetime_budget) return invalid('Only one of daily_budget and lifetime_budget can be set');
  if (a.lifetime_budget && !a.end_time) {
    return refuse(ADSET_ERRORS.LIFETIME_NEEDS_END, 'End Time Required', 'An ad set with a lifetime budget needs an end_time.');
  }
  if (a.end_time && timeMs(a.end_time) <= timeMs(a.start_time)) {
    return refuse(ADSET_ERRORS.END_BEFORE_START, 'Invalid Schedule', 'The end time of the ad set must be after its start time.');
  }
  const min = minDaily(currency);
  if (a.daily_budget && Number(a.daily_budget) < min) {
    return refuse(ADSET_ERRORS.BUDGET_TOO_LOW, 'Budget Is Too Low', `Your ad set budget must be more than ${currency}${min} per day or your ads may not be delivered.`);
  }
  if (a.lifetime_budget && a.end_time) {
    const days = Math.ceil((timeMs(a.end_time) - timeMs(a.start_time)) / 86_400_000);
    if (Number(a.lifetime_budget) < min * days) {
      return refuse(ADSET_ERRORS.BUDGET_TOO_LOW, 'Budget Is Too Low', `Your ad set lifetime budget must be at least ${currency}${min * days} (${currency}${min} for each of ${days} days) or your ads may not be delivered.`);
    }
  }
  if (NEEDS_AMOUNT.includes(a.bid_strategy) && (a.bid_amount === null || a.bid_amount <= 0)) {
    return refuse(ADSET_ERRORS.BID_AMOUNT_REQUIRED, 'Bid Amount Required', `The bid strategy ${a.bid_strategy} needs a bid_amount.`);
  }
  if (!NEEDS_AMOUNT.includes(a.bid_strategy) && a.bid_amount !== null) {
    return refuse(ADSET_ERRORS.BID_AMOUNT_NOT_ALLOWED, 'Bid Amount Not Supported', `The bid strategy ${a.bid_strategy} does not take a bid_amount.`);
  }
  const goals = GOALS_BY_OBJECTIVE[campaign.objective];
  if (goals && !goals.includes(a.optimization_goal)) {
    return refuse(ADSET_ERRORS.GOAL_NOT_FOR_OBJECTIVE, 'Optimization Goal Not Available',
      `The optimization goal ${a.optimization_goal} is not available for the campaign objective ${campaign.objective}. Use one of: ${goals.join(', ')}.`);
  }
  const needs = BILLING_NEEDS_GOAL[a.billing_event];
  if (a.billing_event !== 'IMPRESSIONS' && needs !== a.optimization_goal) {
    return refuse(ADSET_ERRORS.BILLING_NOT_FOR_GOAL, 'Billing Event Not Available', `The billing event ${a.billing_event} is not available with the optimization goal ${a.optimization_goal}.`);
  }
  return undefined;
}

/** Reads the writable parameters into `a` (create or update); returns Graph's error for a bad one. */
function apply(a: MetaAdSet, p: Record<string, string>, creating: boolean): SandboxResponse | { budgetSent: boolean } {
  if (p.name !== undefined) {
    if (p.name.trim() === '') return invalid('Param name must be non-empty');
    a.name = p.name;
  }
  if (p.status !== undefined) {
    const allowed = creating ? ['ACTIVE', 'PAUSED'] : STATUSES;
    if (!allowed.includes(p.status)) return invalid(`Param status must be one of {${allowed.join(', ')}}`);
    a.status = p.status;
  }
  const daily = budgetParam(p.daily_budget, 'daily_budget');
  if (isResponse(daily)) return daily;
  const lifetime = budgetParam(p.lifetime_budget, 'lifetime_budget');
  if (isResponse(lifetime)) return lifetime;
  if (!creating && ((daily && a.lifetime_budget) || (lifetime && a.daily_budget))) {
    return refuse(ADSET_ERRORS.BUDGET_TYPE_CHANGE, "Budget Type Can't Be Changed", 'An ad set keeps the budget type it was created with (daily or lifetime).');
  }
  if (daily !== undefined) a.daily_budget = daily;
  if (lifetime !== undefined) a.lifetime_budget = lifetime;
  if (p.bid_strategy !== undefined) {
    if (!BID_STRATEGIES.includes(p.bid_strategy)) return invalid(`Param bid_strategy must be one of {${BID_STRATEGIES.join(', ')}}`);
    a.bid_strategy = p.bid_strategy;
    // A new strategy drops the old amount unless one is sent with it.
    if (p.bid_amount === undefined) a.bid_amount = null;
  }
  if (p.bid_amount !== undefined) {
    if (p.bid_amount === '' || p.bid_amount === '0') a.bid_amount = null;
    else if (!/^\d+$/.test(p.bid_amount)) return invalid('Param bid_amount must be a non-negative integer');
    else {
      a.bid_amount = Number(p.bid_amount);
      // Graph infers a bid cap when an amount comes without a strategy.
      if (p.bid_strategy === undefined && !NEEDS_AMOUNT.includes(a.bid_strategy)) a.bid_strategy = 'LOWEST_COST_WITH_BID_CAP';
    }
  }
  if (p.billing_event !== undefined) {
    if (!BILLING_EVENTS.includes(p.billing_event)) return invalid(`Param billing_event must be one of {${BILLING_EVENTS.join(', ')}}`);
    a.billing_event = p.billing_event;
  }
  if (p.optimization_goal !== undefined) {
    if (!Object.values(GOALS_BY_OBJECTIVE).flat().includes(p.optimization_goal) && p.optimization_goal !== 'NONE') {
      return invalid(`Param optimization_goal is not a valid optimization goal: ${p.optimization_goal}`);
    }
    a.optimization_goal = p.optimization_goal;
  }
  if (p.targeting !== undefined) {
    const t = targetingParam(p.targeting);
    if (isResponse(t)) return t;
    a.targeting = t;
  }
  for (const k of ['start_time', 'end_time'] as const) {
    const v = p[k];
    if (v === undefined) continue;
    if (v === '' || v === '0') {
      if (k === 'start_time') return invalid('Param start_time must be a datetime');
      a.end_time = null;
      continue;
    }
    const ms = parseTime(v);
    if (ms === undefined) return invalid(`Param ${k} must be a datetime (ISO 8601 or unix seconds)`);
    a[k] = fbTime(ms);
  }
  return { budgetSent: daily !== undefined || lifetime !== undefined };
}

function create(req: SandboxRequest, store: StateStore, account: Account, now: Date): SandboxResponse {
  const p = req.params;
  if (!p.name) return invalid('The parameter name is required');
  if (!p.campaign_id) return invalid('The parameter campaign_id is required');
  if (!p.billing_event) return invalid('The parameter billing_event is required');
  if (!p.targeting) return invalid('The parameter targeting is required');
  const state = metaOf(store.read());
  const campaign = state.campaigns.find((c) => c.id === p.campaign_id && c.account_id === account.account_id);
  if (!campaign || campaign.status === 'DELETED') return graphError(33, `Param campaign_id: campaign ${p.campaign_id} does not exist in ${account.id} or was deleted`);
  const t = fbTime(now.getTime());
  const draft: MetaAdSet = {
    id: '', account_id: account.account_id, campaign_id: campaign.id, name: p.name, status: 'ACTIVE', daily_budget: null, lifetime_budget: null,
    bid_strategy: 'LOWEST_COST_WITHOUT_CAP', bid_amount: null, optimization_goal: GOALS_BY_OBJECTIVE[campaign.objective]?.[0] ?? 'IMPRESSIONS',
    billing_event: 'IMPRESSIONS', targeting: {}, start_time: t, end_time: null, created_time: t, updated_time: t,
  };
  const applied = apply(draft, p, true);
  if (isResponse(applied)) return applied;
  const bad = validate(draft, campaign, account.currency, applied.budgetSent);
  if (bad) return bad;
  return store.mutate((s) => {
    draft.id = `120220${String(StateStore.nextSeq(s)).padStart(9, '0')}`;
    adSetsOf(s).push(draft);
    return { status: 200, body: { id: draft.id } };
  });
}

function update(req: SandboxRequest, store: StateStore, id: string, now: Date): SandboxResponse {
  return store.mutate((s) => {
    const state = metaOf(s);
    const current = adSetsOf(s).find((a) => a.id === id)!;
    if (current.status === 'DELETED') return invalid('Cannot update an ad set that has been deleted');
    const next: MetaAdSet = { ...current, targeting: { ...current.targeting } };
    const applied = apply(next, req.params, false);
    if (isResponse(applied)) return applied;
    const campaign = state.campaigns.find((c) => c.id === next.campaign_id)!;
    const currency = state.adAccounts.find((a) => a.account_id === next.account_id)?.currency ?? 'USD';
    // Only what changed is judged against the campaign's budget; an existing ad set stays valid.
    const bad = next.status === 'DELETED' ? undefined : validate(next, campaign, currency, applied.budgetSent);
    if (bad) return bad;
    next.updated_time = fbTime(now.getTime());
    Object.assign(current, next);
    return { status: 200, body: { success: true } };
  });
}

function route(req: SandboxRequest, store: StateStore, now: Date): SandboxResponse | undefined {
  const [, node, edge] = req.path.split('/').filter(Boolean) as [string, string, string | undefined];
  const state = metaOf(store.read());
  if (edge === 'adsets') {
    if (node.startsWith('act_')) {
      const account = state.adAccounts.find((a) => a.id === node);
      if (!account) return missing(node);
      if (req.method === 'GET') return list(req, state, (a) => a.account_id === account.account_id);
      if (req.method === 'POST') return create(req, store, account, now);
      return undefined;
    }
    const campaign = state.campaigns.find((c) => c.id === node);
    if (!campaign) return missing(node);
    if (req.method === 'GET') return list(req, state, (a) => a.campaign_id === node);
    return undefined;
  }
  const adSet = (state.adSets ?? []).find((a) => a.id === node);
  if (!adSet) return missing(node);
  if (req.method === 'GET') return nonexistingField(fieldsOf(req), 'AdSet') ?? { status: 200, body: view(adSet, fieldsOf(req), state.campaigns) };
  if (req.method === 'POST') return update(req, store, node, now);
  if (req.method === 'DELETE') {
    return store.mutate((s) => {
      const a = adSetsOf(s).find((x) => x.id === node)!;
      a.status = 'DELETED';
      a.updated_time = fbTime(now.getTime());
      return { status: 200, body: { success: true } };
    });
  }
  return undefined;
}

/** Registered in server.ts before metaModule: `/{act|campaign}/adsets` and `/{adset_id}`. */
export const metaAdSetsModule: PlatformModule = {
  ...metaModule,
  owns(path) {
    const m = /^\/v\d+\.\d+\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
    if (!m) return false;
    const [, node, edge] = m as unknown as [string, string, string | undefined];
    if (edge !== undefined) return edge === 'adsets';
    return ADSET_ID.test(node);
  },
  async handle(req, ctx) {
    return route(req, ctx.state, ctx.now());
  },
};
