/**
 * X Ads targeting criteria in the sandbox (X docs: campaign-management reference, "Targeting
 * Criteria" and "Targeting Options"; REFERENCE §B.6 is silent on them):
 *
 * - `GET|POST /12/accounts/:account_id/targeting_criteria` and `GET|DELETE …/targeting_criteria/:id`.
 *   A criterion is `{id, line_item_id, targeting_type, targeting_value, operator_type, name, …}`;
 *   GET needs `line_item_ids` (≤200). POST takes `line_item_id`, `targeting_type`,
 *   `targeting_value` and `operator_type` (EQ when omitted, as the docs' own example does).
 * - Targeting values are X's own: `LOCATION` takes the opaque `targeting_value` that
 *   `GET /12/targeting_criteria/locations` returns (never a country code), `AGE` one of X's age
 *   buckets (at most one per line item), `PLATFORM` the ids of `GET /12/targeting_criteria/platforms`.
 * - Placements are not criteria: they live on the line item (`placements`).
 *
 * Sandbox simplifications: only country locations exist (their values are derived from the code,
 * so they are stable across resets), and keyword-like types take any non-empty value.
 */
import { StateStore } from '../state.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { adsError } from './errors.js';
import { countryLocations } from './locations.js';
import { iso, idFromSeq, xOf, type XState, type XTargetingCriterion } from './seed.js';

export type { XTargetingCriterion } from './seed.js';

type Params = Record<string, string>;
type Echo = Record<string, unknown>;
interface Ctx { state: StateStore; now: () => Date }
type Page = (items: unknown[], p: Params, echo: Echo, dataType: string) => SandboxResponse;

/** X's targeting age buckets (the official Ruby Ads SDK's AgeBucket enum); one per line item. */
export const AGE_BUCKETS = [
  'AGE_13_TO_24', 'AGE_13_TO_34', 'AGE_13_TO_49', 'AGE_13_TO_54', 'AGE_OVER_13', 'AGE_18_TO_34', 'AGE_18_TO_49', 'AGE_18_TO_54', 'AGE_OVER_18',
  'AGE_21_TO_34', 'AGE_21_TO_49', 'AGE_21_TO_54', 'AGE_OVER_21', 'AGE_25_TO_49', 'AGE_25_TO_54', 'AGE_OVER_25', 'AGE_35_TO_49', 'AGE_35_TO_54',
  'AGE_OVER_35', 'AGE_OVER_50',
] as const;

/** `GET targeting_criteria/platforms` as the docs list it. */
const PLATFORMS: ReadonlyArray<[string, string]> = [['0', 'iOS'], ['1', 'Android'], ['2', 'BlackBerry phones and tablets'], ['3', 'Mobile web on other devices'], ['4', 'Desktop and laptop computers']];
const TYPES = ['LOCATION', 'AGE', 'PLATFORM', 'GENDER', 'LANGUAGE', 'BROAD_KEYWORD', 'EXACT_KEYWORD', 'PHRASE_KEYWORD', 'UNORDERED_KEYWORD', 'INTEREST', 'FOLLOWERS_OF_USER', 'SIMILAR_TO_FOLLOWERS_OF_USER', 'DEVICE', 'CUSTOM_AUDIENCE'];
const OPERATORS = ['EQ', 'NE', 'GTE', 'LT'];
const MAX_LOCATIONS = 2000;

export { countryLocations, type XLocation } from './locations.js';

const criteriaOf = (x: XState): XTargetingCriterion[] => {
  const holder = x as XState & { targetingCriteria?: XTargetingCriterion[] };
  holder.targetingCriteria ??= [];
  return holder.targetingCriteria;
};

const ageName = (bucket: string) => bucket.replace(/^AGE_/, '').replace(/_TO_/, ' to ').replace(/^OVER_(\d+)$/, '$1 and up');

/** `GET /12/targeting_criteria/{locations,platforms}`: account-free lookups. */
export function targetingOptions(req: SandboxRequest, kind: string | undefined, page: Page): SandboxResponse | undefined {
  if (req.method !== 'GET') return undefined;
  const p = req.params;
  const echo: Echo = { ...p };
  if (kind === 'locations') {
    const q = p.q?.toLowerCase();
    const cc = p.country_code?.toUpperCase();
    if (p.location_type && !['COUNTRIES', 'REGIONS', 'METROS', 'CITIES', 'POSTAL_CODES'].includes(p.location_type)) {
      return adsError(400, 'INVALID_PARAMETER', `Expected one of COUNTRIES, REGIONS, METROS, CITIES, POSTAL_CODES for location_type, got "${p.location_type}"`, echo, 'location_type');
    }
    // The sandbox knows countries only; finer location types are empty.
    const items = p.location_type && p.location_type !== 'COUNTRIES' ? [] : countryLocations().filter((l) => (!cc || l.country_code === cc) && (!q || l.name.toLowerCase().includes(q)));
    return page(items, p, echo, 'targeting_criterion');
  }
  if (kind === 'platforms') {
    return page(PLATFORMS.map(([v, name]) => ({ name, targeting_type: 'PLATFORM', targeting_value: v })), p, echo, 'targeting_criterion');
  }
  return undefined;
}

/** `…/accounts/:account_id/targeting_criteria[/:id]`. */
export function targetingCriteria(x: XState, accountId: string, id: string | undefined, req: SandboxRequest, echo: Echo, ctx: Ctx, page: Page): SandboxResponse | undefined {
  const p = req.params;
  const withDeleted = p.with_deleted === 'true';
  if (!id) {
    if (req.method === 'GET') {
      if (!p.line_item_ids) return adsError(400, 'MISSING_PARAMETER', '"line_item_ids" is a required parameter', echo, 'line_item_ids');
      const lineItems = p.line_item_ids.split(',').filter(Boolean);
      if (lineItems.length > 200) return adsError(400, 'INVALID_PARAMETER', 'line_item_ids takes at most 200 ids', echo, 'line_item_ids');
      const ids = p.targeting_criterion_ids?.split(',').filter(Boolean);
      const items = criteriaOf(x).filter((c) => c.account_id === accountId && lineItems.includes(c.line_item_id) && (withDeleted || !c.deleted) && (!ids || ids.includes(c.id)));
      return page(items, p, echo, 'targeting_criterion');
    }
    if (req.method === 'POST') return createCriterion(accountId, p, echo, ctx);
    return adsError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on targeting_criteria`, echo);
  }
  const e = { ...echo, targeting_criterion_id: id };
  const existing = criteriaOf(x).find((c) => c.account_id === accountId && c.id === id);
  if (!existing || (existing.deleted && !(req.method === 'GET' && withDeleted))) return adsError(404, 'NOT_FOUND', `Targeting criterion ${id} was not found`, e);
  if (req.method === 'GET') return { status: 200, body: { request: { params: e }, data_type: 'targeting_criterion', data: existing } };
  if (req.method === 'DELETE') {
    const deleted = ctx.state.mutate((s) => {
      const c = criteriaOf(xOf(s)).find((k) => k.id === id && k.account_id === accountId)!;
      c.deleted = true;
      c.updated_at = iso(ctx.now());
      return c;
    });
    return { status: 200, body: { request: { params: e }, data_type: 'targeting_criterion', data: deleted } };
  }
  return adsError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on a targeting criterion`, e);
}

/** The criterion's display name, or an error response when X would refuse the value. */
function describe(type: string, value: string, echo: Echo): { name: string; location_type: string | null } | SandboxResponse {
  const bad = (why: string) => adsError(400, 'INVALID_PARAMETER', why, echo, 'targeting_value');
  switch (type) {
    case 'LOCATION': {
      const loc = countryLocations().find((l) => l.targeting_value === value);
      return loc ? { name: loc.name, location_type: 'COUNTRIES' } : bad(`"${value}" is not a valid LOCATION targeting_value: look it up with GET targeting_criteria/locations`);
    }
    case 'AGE':
      return (AGE_BUCKETS as readonly string[]).includes(value) ? { name: ageName(value), location_type: null } : bad(`Expected one of ${AGE_BUCKETS.join(', ')} for AGE, got "${value}"`);
    case 'PLATFORM': {
      const found = PLATFORMS.find(([v]) => v === value);
      return found ? { name: found[1], location_type: null } : bad(`"${value}" is not a valid PLATFORM targeting_value: look it up with GET targeting_criteria/platforms`);
    }
    case 'GENDER':
      return value === '1' || value === '2' ? { name: value === '1' ? 'Male' : 'Female', location_type: null } : bad(`Expected 1 (male) or 2 (female) for GENDER, got "${value}"`);
    case 'LANGUAGE':
      return /^[a-z]{2}$/.test(value) ? { name: value, location_type: null } : bad(`Expected an ISO-639-1 language code for LANGUAGE, got "${value}"`);
    default:
      return { name: value, location_type: null };
  }
}

function createCriterion(accountId: string, p: Params, echo: Echo, ctx: Ctx): SandboxResponse {
  const missing = ['line_item_id', 'targeting_type', 'targeting_value'].find((n) => !p[n]);
  if (missing) return adsError(400, 'MISSING_PARAMETER', `"${missing}" is a required parameter`, echo, missing);
  const type = p.targeting_type!;
  const value = p.targeting_value!;
  const operator = p.operator_type ?? 'EQ';
  if (!TYPES.includes(type)) return adsError(400, 'INVALID_PARAMETER', `Expected one of ${TYPES.join(', ')} for targeting_type, got "${type}"`, echo, 'targeting_type');
  if (!OPERATORS.includes(operator)) return adsError(400, 'INVALID_PARAMETER', `Expected one of ${OPERATORS.join(', ')} for operator_type, got "${operator}"`, echo, 'operator_type');
  if (type === 'AGE' && operator !== 'EQ') return adsError(400, 'INVALID_PARAMETER', 'AGE targeting takes operator_type EQ only', echo, 'operator_type');
  const info = describe(type, value, echo);
  if ('status' in info) return info;
  return ctx.state.mutate((s) => {
    const x = xOf(s);
    const li = x.lineItems.find((l) => l.id === p.line_item_id && l.account_id === accountId && !l.deleted);
    if (!li) return adsError(400, 'INVALID_PARAMETER', `Line item ${p.line_item_id} was not found in account ${accountId}`, echo, 'line_item_id');
    const live = criteriaOf(x).filter((c) => c.line_item_id === li.id && !c.deleted);
    if (type === 'AGE' && live.some((c) => c.targeting_type === 'AGE')) {
      return adsError(400, 'INVALID_PARAMETER', `It is only possible to target a single age bucket per line item: line item ${li.id} already targets one`, echo, 'targeting_type');
    }
    if (type === 'LOCATION' && live.filter((c) => c.targeting_type === 'LOCATION').length >= MAX_LOCATIONS) {
      return adsError(400, 'INVALID_PARAMETER', `A line item can target at most ${MAX_LOCATIONS} locations`, echo, 'targeting_value');
    }
    if (live.some((c) => c.targeting_type === type && c.targeting_value === value && c.operator_type === operator)) {
      return adsError(400, 'INVALID_PARAMETER', `Line item ${li.id} already has this ${type} targeting criterion`, echo, 'targeting_value');
    }
    const t = iso(ctx.now());
    const c: XTargetingCriterion = {
      id: idFromSeq(StateStore.nextSeq(s)), account_id: accountId, line_item_id: li.id, name: info.name, targeting_type: type, targeting_value: value,
      operator_type: operator, location_type: info.location_type, created_at: t, updated_at: t, deleted: false,
    };
    criteriaOf(x).push(c);
    return { status: 200, body: { request: { params: echo }, data_type: 'targeting_criterion', data: c } };
  });
}
