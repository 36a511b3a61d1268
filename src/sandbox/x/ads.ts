/**
 * X Ads API v12 routes (REFERENCE §B): accounts, funding instruments, campaigns and line items.
 *
 * Wire contract, as the platform:
 * - parameters come from the query string or a form body (the server merges them into `params`);
 * - success is `{request:{params}, data, data_type}` plus `next_cursor` on lists, and `total_count`
 *   only with `with_total_count=true` (never together with `cursor`);
 * - money is integer micros; ids are strings; deleted entities 404 unless `with_deleted=true`;
 * - errors are `{errors:[{code,message,parameter?}], request:{params}}`.
 */
import { StateStore } from '../state.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { adsError } from './errors.js';
import { idFromSeq, iso, servingFields, xOf, type XCampaign, type XCredential, type XLineItem, type XState } from './seed.js';
import { targetingCriteria, targetingOptions } from './targeting.js';
import { amountCheck, campaignBudgetCheck, DEFAULT_GOAL, goalCheck } from './line-item-rules.js';

type Params = Record<string, string>;
type Echo = Record<string, unknown>;
interface Ctx { state: StateStore; now: () => Date; cred: XCredential }

const LINE_ITEM_OBJECTIVES = ['APP_ENGAGEMENTS', 'APP_INSTALLS', 'REACH', 'FOLLOWERS', 'ENGAGEMENTS', 'VIDEO_VIEWS', 'PREROLL_VIEWS', 'WEBSITE_CLICKS', 'LEAD_GENERATION', 'WEBSITE_CONVERSIONS'];
const PRODUCT_TYPES = ['MEDIA', 'PROMOTED_ACCOUNT', 'PROMOTED_TWEETS'];
const PLACEMENTS = ['ALL_ON_TWITTER', 'PUBLISHER_NETWORK', 'TAP_BANNER', 'TAP_FULL', 'TAP_FULL_LANDSCAPE', 'TAP_NATIVE', 'TAP_MRECT', 'TWITTER_PROFILE', 'TWITTER_REPLIES', 'TWITTER_SEARCH', 'TWITTER_TIMELINE'];
const MAX_LINE_ITEMS_PER_CAMPAIGN = 100;

const truthy = (v: string | undefined) => v === 'true' || v === '1';
const isResponse = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'status' in x && 'body' in x;
const ok = (data: unknown, dataType: string, params: Echo): SandboxResponse => ({ status: 200, body: { request: { params }, data_type: dataType, data } });
const csv = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/**
 * `request.params` as X echoes it: the server's reading of the request, so booleans are booleans,
 * `count` is a number and `*_ids` lists are arrays (compare wire/fixtures/x-ads).
 */
export function echoOf(p: Params, pathParams: Record<string, string> = {}): Echo {
  const out: Echo = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === 'true' || v === 'false') out[k] = v === 'true';
    else if (k === 'count' && /^\d+$/.test(v)) out[k] = Number(v);
    else if (k.endsWith('_ids') || k === 'placements') out[k] = csv(v) ?? [];
    else out[k] = v;
  }
  return { ...out, ...pathParams };
}

export function page<T>(items: T[], p: Params, echo: Echo, dataType: string): SandboxResponse {
  const count = p.count === undefined ? 200 : Number(p.count);
  if (!/^\d+$/.test(p.count ?? '200') || count < 1 || count > 1000) {
    return adsError(400, 'INVALID_PARAMETER', `Expected an integer between 1 and 1000 for count, got "${p.count}"`, echo, 'count');
  }
  if (truthy(p.with_total_count) && p.cursor) {
    return adsError(400, 'EXCLUSIVE_PARAMETERS', 'with_total_count cannot be used with cursor', echo, 'with_total_count');
  }
  let start = 0;
  if (p.cursor) {
    // Opaque to clients; here the offset of the next item, base64url-wrapped like X's own cursors look.
    const decoded = /^c-(\d+)$/.exec(Buffer.from(p.cursor, 'base64url').toString('utf8'));
    if (!decoded) return adsError(400, 'INVALID_PARAMETER', `Invalid cursor "${p.cursor}"`, echo, 'cursor');
    start = Number(decoded[1]);
  }
  const data = items.slice(start, start + count);
  const next = start + count < items.length ? Buffer.from(`c-${start + count}`).toString('base64url') : null;
  const body: Record<string, unknown> = { request: { params: echo }, data_type: dataType, data, next_cursor: next };
  if (truthy(p.with_total_count)) body.total_count = items.length;
  return { status: 200, body };
}

/** An optional micros field: undefined when absent, null when sent empty (PUT unsets it). */
function micro(p: Params, name: string, echo: Echo): number | null | undefined | SandboxResponse {
  const v = p[name];
  if (v === undefined) return undefined;
  if (v === '') return null;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    return adsError(400, 'INVALID_PARAMETER', `Expected a whole number of micros for ${name}, got "${v}"`, echo, name);
  }
  return Number(v);
}

/** Daily and total budgets with X's rule daily ≤ total, merged over the current values. */
function budgets(p: Params, echo: Echo, current: { daily: number | null; total: number | null }): { daily: number | null; total: number | null } | SandboxResponse {
  const daily = micro(p, 'daily_budget_amount_local_micro', echo);
  if (isResponse(daily)) return daily;
  const total = micro(p, 'total_budget_amount_local_micro', echo);
  if (isResponse(total)) return total;
  const out = { daily: daily === undefined ? current.daily : daily, total: total === undefined ? current.total : total };
  if (out.daily !== null && out.total !== null && out.daily > out.total) {
    return adsError(400, 'INVALID_PARAMETER', 'daily_budget_amount_local_micro must be less than or equal to total_budget_amount_local_micro', echo, 'daily_budget_amount_local_micro');
  }
  return out;
}

function oneOf(p: Params, name: string, allowed: string[], echo: Echo): SandboxResponse | undefined {
  const v = p[name];
  if (v !== undefined && !allowed.includes(v)) {
    return adsError(400, 'INVALID_PARAMETER', `Expected one of ${allowed.join(', ')} for ${name}, got "${v}"`, echo, name);
  }
  return undefined;
}

function required(p: Params, names: string[], echo: Echo): SandboxResponse | undefined {
  const missing = names.find((n) => !p[n]);
  return missing ? adsError(400, 'MISSING_PARAMETER', `"${missing}" is a required parameter`, echo, missing) : undefined;
}

function nameCheck(p: Params, echo: Echo): SandboxResponse | undefined {
  if (p.name !== undefined && (p.name.length === 0 || [...p.name].length > 255)) {
    return adsError(400, 'INVALID_PARAMETER', 'name must be between 1 and 255 characters', echo, 'name');
  }
  return undefined;
}

/** ISO 8601 time (a bare date is accepted and normalised, as X does); null when sent empty. */
function time(p: Params, name: string, echo: Echo): string | null | undefined | SandboxResponse {
  const v = p[name];
  if (v === undefined) return undefined;
  if (v === '') return null;
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(v) ? Date.parse(/T/.test(v) ? v : `${v}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms)) return adsError(400, 'INVALID_PARAMETER', `Expected time, got "${v}" for ${name}`, echo, name);
  return iso(new Date(ms));
}

export function handleAds(req: SandboxRequest, ctx: Ctx): SandboxResponse | undefined {
  const segs = req.path.split('/').filter(Boolean).slice(1); // drop the version segment
  const p = req.params;
  const m = req.method;
  if (segs[0] === 'targeting_criteria' && segs.length === 2) return targetingOptions(req, segs[1], page);
  if (segs[0] !== 'accounts' || segs.length > 4) return undefined;
  const x = xOf(ctx.state.read());
  const canUse = (id: string) => !ctx.cred.accountIds || ctx.cred.accountIds.includes(id);

  if (segs.length === 1) {
    if (m !== 'GET') return undefined;
    const ids = csv(p.account_ids);
    const accounts = x.accounts.filter((a) => canUse(a.id) && (truthy(p.with_deleted) || !a.deleted) && (!ids || ids.includes(a.id)));
    return page(accounts, p, echoOf(p), 'account');
  }

  const accountId = segs[1]!;
  const echo = echoOf(p, { account_id: accountId });
  const account = x.accounts.find((a) => a.id === accountId && !a.deleted);
  if (!account) return adsError(404, 'NOT_FOUND', `Account ${accountId} was not found`, echo);
  if (!canUse(accountId)) return adsError(403, 'UNAUTHORIZED_CLIENT_APPLICATION', `User ${ctx.cred.userId} is not authorized to use account ${accountId}`, echo);
  if (segs.length === 2) return m === 'GET' ? ok(account, 'account', echo) : undefined;

  const [, , collection, entityId] = segs;
  if (collection === 'funding_instruments') return fundingInstruments(x, accountId, entityId, req, echo);
  if (collection === 'campaigns') return campaigns(x, accountId, entityId, req, echo, ctx);
  if (collection === 'line_items') return lineItems(x, accountId, entityId, req, echo, ctx);
  if (collection === 'targeting_criteria') return targetingCriteria(x, accountId, entityId, req, echo, ctx, page);
  return undefined;
}

function fundingInstruments(x: XState, accountId: string, id: string | undefined, req: SandboxRequest, echo: Echo): SandboxResponse | undefined {
  const p = req.params;
  if (req.method !== 'GET') return undefined;
  const ids = csv(p.funding_instrument_ids);
  const all = x.fundingInstruments.filter((f) => f.account_id === accountId && (truthy(p.with_deleted) || !f.deleted));
  if (!id) return page(all.filter((f) => !ids || ids.includes(f.id)), p, echo, 'funding_instrument');
  const one = all.find((f) => f.id === id);
  const e = { ...echo, funding_instrument_id: id };
  return one ? ok(one, 'funding_instrument', e) : adsError(404, 'NOT_FOUND', `Funding instrument ${id} was not found`, e);
}

function campaigns(x: XState, accountId: string, id: string | undefined, req: SandboxRequest, echo: Echo, ctx: Ctx): SandboxResponse | undefined {
  const p = req.params;
  const m = req.method;
  const withDeleted = truthy(p.with_deleted);
  if (!id) {
    if (m === 'GET') {
      const ids = csv(p.campaign_ids);
      const fis = csv(p.funding_instrument_ids);
      if (ids && ids.length > 200) return adsError(400, 'INVALID_PARAMETER', 'campaign_ids takes at most 200 ids', echo, 'campaign_ids');
      const q = p.q?.toLowerCase();
      const items = x.campaigns.filter((c) => c.account_id === accountId && (withDeleted || !c.deleted)
        && (!ids || ids.includes(c.id)) && (!fis || fis.includes(c.funding_instrument_id))
        // Drafts are listed only on request, or when asked for by id (REFERENCE §B.6 `with_draft`).
        && (truthy(p.with_draft) || c.entity_status !== 'DRAFT' || !!ids)
        && (!q || c.name.toLowerCase().includes(q)));
      return page(items, p, echo, 'campaign');
    }
    if (m === 'POST') return createCampaign(accountId, p, echo, ctx);
    return adsError(405, 'METHOD_NOT_ALLOWED', `${m} is not allowed on campaigns`, echo);
  }

  const e = { ...echo, campaign_id: id };
  const existing = x.campaigns.find((c) => c.account_id === accountId && c.id === id);
  if (!existing || (existing.deleted && !(m === 'GET' && withDeleted))) return adsError(404, 'NOT_FOUND', `Campaign ${id} was not found`, e);
  if (m === 'GET') return ok(existing, 'campaign', e);
  if (m === 'PUT') return updateCampaign(accountId, id, p, e, ctx);
  if (m === 'DELETE') {
    const deleted = ctx.state.mutate((s) => {
      const c = xOf(s).campaigns.find((k) => k.id === id && k.account_id === accountId)!;
      c.deleted = true;
      c.updated_at = iso(ctx.now());
      return c;
    });
    return ok(deleted, 'campaign', e);
  }
  return adsError(405, 'METHOD_NOT_ALLOWED', `${m} is not allowed on a campaign`, e);
}

function createCampaign(accountId: string, p: Params, echo: Echo, ctx: Ctx): SandboxResponse {
  const bad = required(p, ['funding_instrument_id', 'name'], echo) ?? nameCheck(p, echo)
    // The platform's own default is ACTIVE: a client that wants a paused campaign must say so.
    ?? oneOf(p, 'entity_status', ['ACTIVE', 'PAUSED', 'DRAFT'], echo)
    ?? oneOf(p, 'budget_optimization', ['LINE_ITEM'], echo);
  if (bad) return bad;
  if (p.purchase_order_number !== undefined && p.purchase_order_number.length > 50) {
    return adsError(400, 'INVALID_PARAMETER', 'purchase_order_number must be at most 50 characters', echo, 'purchase_order_number');
  }
  const b = budgets(p, echo, { daily: null, total: null });
  if (isResponse(b)) return b;
  const status = p.entity_status ?? 'ACTIVE';
  return ctx.state.mutate((s) => {
    const x = xOf(s);
    const fi = x.fundingInstruments.find((f) => f.id === p.funding_instrument_id && f.account_id === accountId && !f.deleted);
    if (!fi) return adsError(400, 'INVALID_FUNDING_INSTRUMENT', `Funding instrument ${p.funding_instrument_id} does not belong to account ${accountId}`, echo, 'funding_instrument_id');
    if (!fi.able_to_fund) return adsError(400, 'INVALID_FUNDING_INSTRUMENT', `Funding instrument ${fi.id} is not able to fund (${fi.reasons_not_able_to_fund.join(', ')})`, echo, 'funding_instrument_id');
    const active = x.campaigns.filter((c) => c.account_id === accountId && !c.deleted && c.entity_status === 'ACTIVE').length;
    if (status === 'ACTIVE' && active >= 200) return adsError(400, 'TOO_MANY_CAMPAIGNS', 'This account has reached its limit of 200 active campaigns', echo);
    const t = iso(ctx.now());
    const c: XCampaign = {
      id: idFromSeq(StateStore.nextSeq(s)), account_id: accountId, name: p.name!, funding_instrument_id: fi.id, entity_status: status,
      currency: fi.currency, daily_budget_amount_local_micro: b.daily, total_budget_amount_local_micro: b.total, budget_optimization: 'LINE_ITEM',
      standard_delivery: null, purchase_order_number: p.purchase_order_number ?? null, ...servingFields(status, true),
      frequency_cap: null, duration_in_days: null, created_at: t, updated_at: t, deleted: false,
    };
    x.campaigns.push(c);
    return ok(c, 'campaign', echo);
  });
}

function updateCampaign(accountId: string, id: string, p: Params, echo: Echo, ctx: Ctx): SandboxResponse {
  // PUT takes only ACTIVE or PAUSED: a campaign cannot go back to DRAFT (REFERENCE §B.6).
  const bad = nameCheck(p, echo) ?? oneOf(p, 'entity_status', ['ACTIVE', 'PAUSED'], echo);
  if (bad) return bad;
  if (p.funding_instrument_id !== undefined) {
    return adsError(400, 'INVALID_PARAMETER', 'funding_instrument_id cannot be changed on an existing campaign', echo, 'funding_instrument_id');
  }
  return ctx.state.mutate((s) => {
    const c = xOf(s).campaigns.find((k) => k.id === id && k.account_id === accountId)!;
    const b = budgets(p, echo, { daily: c.daily_budget_amount_local_micro, total: c.total_budget_amount_local_micro });
    if (isResponse(b)) return b;
    if (p.name !== undefined) c.name = p.name;
    if (p.entity_status !== undefined) {
      c.entity_status = p.entity_status;
      Object.assign(c, servingFields(p.entity_status, false));
    }
    if (p.purchase_order_number !== undefined) c.purchase_order_number = p.purchase_order_number || null;
    c.daily_budget_amount_local_micro = b.daily;
    c.total_budget_amount_local_micro = b.total;
    c.updated_at = iso(ctx.now());
    return ok(c, 'campaign', echo);
  });
}

function lineItems(x: XState, accountId: string, id: string | undefined, req: SandboxRequest, echo: Echo, ctx: Ctx): SandboxResponse | undefined {
  const p = req.params;
  const m = req.method;
  const withDeleted = truthy(p.with_deleted);
  if (!id) {
    if (m === 'GET') {
      const ids = csv(p.line_item_ids);
      const campaignIds = csv(p.campaign_ids);
      if (campaignIds && campaignIds.length > 200) return adsError(400, 'INVALID_PARAMETER', 'campaign_ids takes at most 200 ids', echo, 'campaign_ids');
      const fis = csv(p.funding_instrument_ids);
      const q = p.q?.toLowerCase();
      const items = x.lineItems.filter((l) => l.account_id === accountId && (withDeleted || !l.deleted)
        && (!ids || ids.includes(l.id)) && (!campaignIds || campaignIds.includes(l.campaign_id))
        && (!fis || fis.includes(x.campaigns.find((c) => c.id === l.campaign_id)?.funding_instrument_id ?? ''))
        && (!q || (l.name ?? '').toLowerCase().includes(q))
        && (truthy(p.with_draft) || l.entity_status !== 'DRAFT' || !!ids));
      return page(items, p, echo, 'line_item');
    }
    if (m === 'POST') return createLineItem(accountId, p, echo, ctx);
    return adsError(405, 'METHOD_NOT_ALLOWED', `${m} is not allowed on line_items`, echo);
  }
  const e = { ...echo, line_item_id: id };
  const existing = x.lineItems.find((l) => l.account_id === accountId && l.id === id);
  if (!existing || (existing.deleted && !(m === 'GET' && withDeleted))) return adsError(404, 'NOT_FOUND', `Line item ${id} was not found`, e);
  if (m === 'GET') return ok(existing, 'line_item', e);
  if (m === 'PUT') return updateLineItem(accountId, id, p, e, ctx);
  if (m === 'DELETE') {
    const deleted = ctx.state.mutate((s) => {
      const l = xOf(s).lineItems.find((k) => k.id === id && k.account_id === accountId)!;
      l.deleted = true;
      l.updated_at = iso(ctx.now());
      return l;
    });
    return ok(deleted, 'line_item', e);
  }
  return adsError(405, 'METHOD_NOT_ALLOWED', `${m} is not allowed on a line item`, e);
}

/** Bid rules (REFERENCE §B.6): MAX is not for REACH/FOLLOWERS, TARGET only for REACH/FOLLOWERS/WEBSITE_CLICKS, both need a bid. */
function bidCheck(objective: string, strategy: string, bid: number | null, echo: Echo): SandboxResponse | undefined {
  if (strategy === 'MAX' && ['REACH', 'FOLLOWERS'].includes(objective)) {
    return adsError(400, 'INVALID_PARAMETER', `bid_strategy MAX is not allowed with objective ${objective}`, echo, 'bid_strategy');
  }
  if (strategy === 'TARGET' && !['REACH', 'FOLLOWERS', 'WEBSITE_CLICKS'].includes(objective)) {
    return adsError(400, 'INVALID_PARAMETER', `bid_strategy TARGET is not allowed with objective ${objective}`, echo, 'bid_strategy');
  }
  if (strategy !== 'AUTO' && (bid === null || bid <= 0)) {
    return adsError(400, 'MISSING_PARAMETER', `bid_amount_local_micro is required with bid_strategy ${strategy}`, echo, 'bid_amount_local_micro');
  }
  return undefined;
}

function lineItemFields(p: Params, echo: Echo, current: XLineItem | undefined): Partial<XLineItem> | SandboxResponse {
  const bad = nameCheck(p, echo) ?? oneOf(p, 'bid_strategy', ['AUTO', 'MAX', 'TARGET'], echo);
  if (bad) return bad;
  const bid = micro(p, 'bid_amount_local_micro', echo);
  if (isResponse(bid)) return bid;
  const b = budgets(p, echo, { daily: current?.daily_budget_amount_local_micro ?? null, total: current?.total_budget_amount_local_micro ?? null });
  if (isResponse(b)) return b;
  const start = time(p, 'start_time', echo);
  if (isResponse(start)) return start;
  const end = time(p, 'end_time', echo);
  if (isResponse(end)) return end;
  const amounts = amountCheck({ bid, daily: b.daily === current?.daily_budget_amount_local_micro ? undefined : b.daily, total: b.total === current?.total_budget_amount_local_micro ? undefined : b.total }, echo);
  if (amounts) return amounts;
  const s = start === undefined ? (current?.start_time ?? null) : start;
  const e = end === undefined ? (current?.end_time ?? null) : end;
  if (s && e && Date.parse(e) <= Date.parse(s)) return adsError(400, 'INVALID_PARAMETER', 'end_time must be after start_time', echo, 'end_time');
  const out: Partial<XLineItem> = { daily_budget_amount_local_micro: b.daily, total_budget_amount_local_micro: b.total, start_time: s, end_time: e };
  if (p.name !== undefined) out.name = p.name;
  if (p.bid_strategy !== undefined) out.bid_strategy = p.bid_strategy;
  if (bid !== undefined) out.bid_amount_local_micro = bid;
  if (p.goal !== undefined) out.goal = p.goal || null;
  if (p.pay_by !== undefined) out.pay_by = p.pay_by || null;
  if (p.advertiser_domain !== undefined) out.advertiser_domain = p.advertiser_domain || null;
  if (p.standard_delivery !== undefined) out.standard_delivery = truthy(p.standard_delivery);
  return out;
}

function createLineItem(accountId: string, p: Params, echo: Echo, ctx: Ctx): SandboxResponse {
  const bad = required(p, ['campaign_id', 'objective', 'product_type', 'placements'], echo)
    ?? oneOf(p, 'objective', LINE_ITEM_OBJECTIVES, echo) ?? oneOf(p, 'product_type', PRODUCT_TYPES, echo)
    ?? oneOf(p, 'entity_status', ['ACTIVE', 'PAUSED', 'DRAFT'], echo);
  if (bad) return bad;
  const placements = csv(p.placements)!;
  const unknown = placements.find((pl) => !PLACEMENTS.includes(pl));
  if (unknown) return adsError(400, 'INVALID_PARAMETER', `Unknown placement "${unknown}"`, echo, 'placements');
  const fields = lineItemFields(p, echo, undefined);
  if (isResponse(fields)) return fields;
  const strategy = fields.bid_strategy ?? 'AUTO';
  const bidBad = bidCheck(p.objective!, strategy, fields.bid_amount_local_micro ?? null, echo) ?? goalCheck(p.objective!, fields.goal, echo);
  if (bidBad) return bidBad;
  return ctx.state.mutate((s) => {
    const x = xOf(s);
    const campaign = x.campaigns.find((c) => c.id === p.campaign_id && c.account_id === accountId && !c.deleted);
    if (!campaign) return adsError(400, 'INVALID_PARAMETER', `Campaign ${p.campaign_id} was not found in account ${accountId}`, echo, 'campaign_id');
    const siblings = x.lineItems.filter((l) => l.campaign_id === campaign.id && !l.deleted);
    const over = campaignBudgetCheck(campaign, fields.daily_budget_amount_local_micro ?? null, fields.total_budget_amount_local_micro ?? null, echo);
    if (over) return over;
    if (siblings.length >= MAX_LINE_ITEMS_PER_CAMPAIGN) return adsError(400, 'TOO_MANY_LINE_ITEMS', `Campaign ${campaign.id} already has ${MAX_LINE_ITEMS_PER_CAMPAIGN} line items`, echo);
    // All line items of a campaign share one objective and one product type.
    const other = siblings.find((l) => l.objective !== p.objective || l.product_type !== p.product_type);
    if (other) {
      return adsError(400, 'INVALID_PARAMETER', `Line items of campaign ${campaign.id} must all use objective ${other.objective} and product_type ${other.product_type}`, echo, 'objective');
    }
    const t = iso(ctx.now());
    const li: XLineItem = {
      id: idFromSeq(StateStore.nextSeq(s)), account_id: accountId, campaign_id: campaign.id, name: null, objective: p.objective!,
      product_type: p.product_type!, placements, entity_status: p.entity_status ?? 'ACTIVE', bid_strategy: strategy,
      bid_amount_local_micro: null, goal: null, pay_by: null, daily_budget_amount_local_micro: null, total_budget_amount_local_micro: null,
      currency: campaign.currency, start_time: null, end_time: null, standard_delivery: true, advertiser_domain: null, categories: [],
      creative_source: 'MANUAL', target_cpa_local_micro: null, automatic_tweet_promotion: null, created_at: t, updated_at: t, deleted: false,
      ...fields,
    };
    // X fills in the goal from the objective when none is given.
    li.goal ??= DEFAULT_GOAL[li.objective] ?? null;
    x.lineItems.push(li);
    return ok(li, 'line_item', echo);
  });
}

function updateLineItem(accountId: string, id: string, p: Params, echo: Echo, ctx: Ctx): SandboxResponse {
  const bad = oneOf(p, 'entity_status', ['ACTIVE', 'PAUSED'], echo);
  if (bad) return bad;
  for (const fixed of ['campaign_id', 'objective', 'product_type']) {
    if (p[fixed] !== undefined) return adsError(400, 'INVALID_PARAMETER', `${fixed} cannot be changed on an existing line item`, echo, fixed);
  }
  return ctx.state.mutate((s) => {
    const li = xOf(s).lineItems.find((l) => l.id === id && l.account_id === accountId)!;
    const fields = lineItemFields(p, echo, li);
    if (isResponse(fields)) return fields;
    const bidBad = bidCheck(li.objective, fields.bid_strategy ?? li.bid_strategy, fields.bid_amount_local_micro !== undefined ? fields.bid_amount_local_micro : li.bid_amount_local_micro, echo)
      ?? (fields.goal !== undefined ? goalCheck(li.objective, fields.goal, echo) : undefined);
    if (bidBad) return bidBad;
    const campaign = xOf(s).campaigns.find((c) => c.id === li.campaign_id);
    const over = campaign && (p.daily_budget_amount_local_micro !== undefined || p.total_budget_amount_local_micro !== undefined)
      ? campaignBudgetCheck(campaign, fields.daily_budget_amount_local_micro ?? null, fields.total_budget_amount_local_micro ?? null, echo) : undefined;
    if (over) return over;
    if (p.placements !== undefined) {
      const placements = csv(p.placements) ?? [];
      const unknown = placements.find((pl) => !PLACEMENTS.includes(pl));
      if (unknown || placements.length === 0) return adsError(400, 'INVALID_PARAMETER', `Unknown placement "${unknown ?? ''}"`, echo, 'placements');
      li.placements = placements;
    }
    Object.assign(li, fields);
    if (p.entity_status !== undefined) li.entity_status = p.entity_status;
    li.updated_at = iso(ctx.now());
    return ok(li, 'line_item', echo);
  });
}
