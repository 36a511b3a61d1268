/**
 * X in the sandbox: the Ads API v12 (accounts, funding instruments, campaigns, line items) with
 * OAuth 1.0a signature checks, and X API v2 problem+json errors. Wire format per
 * wire/REFERENCE.md §B: ids are short base-36 strings, money is integer micros, single-entity
 * parameters come from the query string or a form body, lists page with `count`/`cursor`.
 */
import { randomBytes } from 'node:crypto';
import { StateStore, type SandboxState } from '../state.js';
import { SANDBOX_X } from '../credentials.js';
import type { FaultAction, PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { parseOAuthHeader, verifySignature } from './oauth1.js';

interface XCredential { apiKey: string; apiSecret: string; accessToken: string; accessSecret: string; userId: string; expiresAt?: string | null }
interface XAccount { id: string; name: string; timezone: string; timezone_switch_at: string; approval_status: string; business_name: string | null; created_at: string; updated_at: string; deleted: boolean }
interface XFunding {
  id: string; account_id: string; type: string; description: string; currency: string; entity_status: string; able_to_fund: boolean;
  reasons_not_able_to_fund: string[]; start_time: string; end_time: string | null; credit_limit_local_micro: number | null;
  funded_amount_local_micro: number | null; credit_remaining_local_micro: number | null; created_at: string; updated_at: string; deleted: boolean;
}
interface XCampaign {
  id: string; account_id: string; name: string; funding_instrument_id: string; entity_status: string; currency: string;
  daily_budget_amount_local_micro: number | null; total_budget_amount_local_micro: number | null; budget_optimization: string;
  standard_delivery: boolean | null; purchase_order_number: string | null; servable: boolean; reasons_not_servable: string[];
  effective_status: string; frequency_cap: number | null; duration_in_days: number | null; created_at: string; updated_at: string; deleted: boolean;
}
interface XLineItem { id: string; account_id: string; campaign_id: string; objective: string; deleted: boolean; [k: string]: unknown }
interface XState { credentials: XCredential[]; accounts: XAccount[]; fundingInstruments: XFunding[]; campaigns: XCampaign[]; lineItems: XLineItem[] }

const xOf = (s: SandboxState) => s.x as unknown as XState;
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const newId = (s: SandboxState) => StateStore.nextSeq(s).toString(36) + randomBytes(1).toString('hex').slice(0, 1);

function adsError(status: number, code: string, message: string, params: Record<string, string> = {}, parameter?: string): SandboxResponse {
  return { status, body: { errors: [{ code, message, ...(parameter ? { parameter } : {}) }], request: { params } } };
}

function problem(status: number, slug: string, title: string, detail: string): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: `https://api.x.com/2/problems/${slug}`, title, detail, status },
  };
}

function seed(now: Date): XState {
  const t = iso(new Date(now.getTime() - 30 * 86_400_000));
  const account = (id: string, name: string, timezone: string): XAccount => ({
    id, name, timezone, timezone_switch_at: t, approval_status: 'ACCEPTED', business_name: name, created_at: t, updated_at: t, deleted: false,
  });
  const funding = (id: string, accountId: string, currency: string, description: string): XFunding => ({
    id, account_id: accountId, type: 'CREDIT_CARD', description, currency, entity_status: 'ACTIVE', able_to_fund: true,
    reasons_not_able_to_fund: [], start_time: t, end_time: null, credit_limit_local_micro: null, funded_amount_local_micro: null,
    credit_remaining_local_micro: null, created_at: t, updated_at: t, deleted: false,
  });
  const campaign = (id: string, accountId: string, fi: string, currency: string, name: string, status: string, daily: number | null, total: number | null): XCampaign => ({
    id, account_id: accountId, name, funding_instrument_id: fi, entity_status: status, currency, daily_budget_amount_local_micro: daily,
    total_budget_amount_local_micro: total, budget_optimization: 'LINE_ITEM', standard_delivery: null, purchase_order_number: null,
    servable: status === 'ACTIVE', reasons_not_servable: status === 'ACTIVE' ? [] : ['PAUSED_BY_ADVERTISER'],
    effective_status: status === 'ACTIVE' ? 'RUNNING' : 'PAUSED', frequency_cap: null, duration_in_days: null, created_at: t, updated_at: t, deleted: false,
  });
  return {
    credentials: [{ ...SANDBOX_X, expiresAt: null }],
    accounts: [account(SANDBOX_X.adsAccountId, 'Sandbox Coffee (X)', 'America/New_York'), account('gq1844', 'Sandbox Bakery (X)', 'Europe/Berlin')],
    fundingInstruments: [
      funding('5aa0p', SANDBOX_X.adsAccountId, 'USD', 'Sandbox card ending 4242'),
      funding('hw1p7', 'gq1844', 'EUR', 'Sandbox card ending 1881'),
      funding('hw1p8', 'gq1844', 'EUR', 'Sandbox insertion order Q4'),
    ],
    campaigns: [
      campaign('8wku2', SANDBOX_X.adsAccountId, '5aa0p', 'USD', 'Holiday Espresso', 'ACTIVE', 50_000_000, null),
      campaign('8wku3', SANDBOX_X.adsAccountId, '5aa0p', 'USD', 'Cold Brew Launch', 'PAUSED', 25_500_000, 1_000_000_000),
      campaign('8wku4', SANDBOX_X.adsAccountId, '5aa0p', 'USD', 'Always-on Followers', 'ACTIVE', null, 3_000_000_000),
      campaign('9bq01', 'gq1844', 'hw1p7', 'EUR', 'Stollen Season', 'PAUSED', 40_000_000, null),
    ],
    lineItems: [
      { id: 'l1a01', account_id: SANDBOX_X.adsAccountId, campaign_id: '8wku2', objective: 'WEBSITE_CLICKS', deleted: false },
      { id: 'l1a02', account_id: SANDBOX_X.adsAccountId, campaign_id: '8wku4', objective: 'FOLLOWERS', deleted: false },
    ],
  };
}

const truthy = (v: string | undefined) => v === 'true' || v === '1';

function page<T>(items: T[], params: Record<string, string>): { data: T[]; next_cursor: string | null } | SandboxResponse {
  const count = params.count === undefined ? 200 : Number(params.count);
  if (!Number.isInteger(count) || count < 1 || count > 1000) return adsError(400, 'INVALID_PARAMETER', `Expected integer 1..1000 for count, got ${params.count}`, params, 'count');
  let start = 0;
  if (params.cursor) {
    const decoded = Number(Buffer.from(params.cursor, 'base64url').toString('utf8').replace(/^c-/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) return adsError(400, 'INVALID_PARAMETER', 'Invalid cursor', params, 'cursor');
    start = decoded;
  }
  const data = items.slice(start, start + count);
  const next = start + count < items.length ? Buffer.from(`c-${start + count}`).toString('base64url') : null;
  return { data, next_cursor: next };
}

function micro(params: Record<string, string>, name: string): number | null | SandboxResponse | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (v === '') return null;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) return adsError(400, 'INVALID_PARAMETER', `Expected integer micros for ${name}, got "${v}"`, params, name);
  return Number(v);
}
const isResponse = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'status' in x && 'body' in x;

function list(params: Record<string, string>, items: unknown[], echo: Record<string, string>): SandboxResponse {
  const p = page(items, params);
  if (isResponse(p)) return p;
  const body: Record<string, unknown> = { request: { params: echo }, data: p.data, next_cursor: p.next_cursor };
  if (truthy(params.with_total_count) && !params.cursor) body.total_count = items.length;
  return { status: 200, body };
}

function ads(req: SandboxRequest, state: StateStore, now: () => Date): SandboxResponse | undefined {
  const segs = req.path.split('/').filter(Boolean).slice(1); // drop the version
  const p = req.params;
  const m = req.method;
  if (segs[0] !== 'accounts') return undefined;
  const s = state.read();
  const x = xOf(s);
  if (segs.length === 1 && m === 'GET') return list(p, x.accounts.filter((a) => !a.deleted), p);
  const accountId = segs[1]!;
  const account = x.accounts.find((a) => a.id === accountId && !a.deleted);
  const echo = { ...p, account_id: accountId };
  if (!account) return adsError(404, 'NOT_FOUND', `Account ${accountId} not found`, echo);
  if (segs.length === 2 && m === 'GET') return { status: 200, body: { request: { params: echo }, data: account } };
  const [, , collection, entityId] = segs;

  if (collection === 'funding_instruments' && m === 'GET') {
    const fis = x.fundingInstruments.filter((f) => f.account_id === accountId && (truthy(p.with_deleted) || !f.deleted));
    if (!entityId) return list(p, fis, echo);
    const fi = fis.find((f) => f.id === entityId);
    return fi ? { status: 200, body: { request: { params: { ...echo, funding_instrument_id: entityId } }, data: fi } } : adsError(404, 'NOT_FOUND', `Funding instrument ${entityId} not found`, echo);
  }

  if (collection === 'line_items' && m === 'GET' && !entityId) {
    const ids = p.campaign_ids ? p.campaign_ids.split(',') : undefined;
    const items = x.lineItems.filter((l) => l.account_id === accountId && !l.deleted && (!ids || ids.includes(l.campaign_id)));
    return list(p, items, echo);
  }

  if (collection !== 'campaigns') return undefined;
  const withDeleted = truthy(p.with_deleted);
  if (!entityId && m === 'GET') {
    const ids = p.campaign_ids ? p.campaign_ids.split(',') : undefined;
    const fis = p.funding_instrument_ids ? p.funding_instrument_ids.split(',') : undefined;
    if (ids && ids.length > 200) return adsError(400, 'INVALID_PARAMETER', 'campaign_ids takes at most 200 ids', echo, 'campaign_ids');
    const items = x.campaigns.filter((c) => c.account_id === accountId && (withDeleted || !c.deleted)
      && (!ids || ids.includes(c.id)) && (!fis || fis.includes(c.funding_instrument_id))
      && (truthy(p.with_draft) || c.entity_status !== 'DRAFT' || !!ids));
    return list(p, items, echo);
  }
  if (!entityId && m === 'POST') return createCampaign(req, state, accountId, echo, now);
  if (!entityId) return adsError(405, 'METHOD_NOT_ALLOWED', `${m} is not allowed here`, echo);

  const cEcho = { ...echo, campaign_id: entityId };
  const existing = x.campaigns.find((c) => c.account_id === accountId && c.id === entityId);
  if (!existing || (existing.deleted && !(m === 'GET' && withDeleted))) return adsError(404, 'NOT_FOUND', `Campaign ${entityId} not found`, cEcho);
  if (m === 'GET') return { status: 200, body: { request: { params: cEcho }, data: existing } };
  if (m === 'PUT') return updateCampaign(req, state, accountId, entityId, cEcho, now);
  if (m === 'DELETE') {
    const deleted = state.mutate((st) => {
      const c = xOf(st).campaigns.find((k) => k.id === entityId)!;
      c.deleted = true;
      c.updated_at = iso(now());
      return c;
    });
    return { status: 200, body: { request: { params: cEcho }, data: deleted } };
  }
  return adsError(405, 'METHOD_NOT_ALLOWED', `${m} is not allowed here`, cEcho);
}

function budgets(p: Record<string, string>, echo: Record<string, string>): { daily?: number | null; total?: number | null } | SandboxResponse {
  const daily = micro(p, 'daily_budget_amount_local_micro');
  if (isResponse(daily)) return daily;
  const total = micro(p, 'total_budget_amount_local_micro');
  if (isResponse(total)) return total;
  if (typeof daily === 'number' && typeof total === 'number' && daily > total) {
    return adsError(400, 'INVALID_PARAMETER', 'daily_budget_amount_local_micro must be less than or equal to total_budget_amount_local_micro', echo, 'daily_budget_amount_local_micro');
  }
  return { daily, total };
}

function createCampaign(req: SandboxRequest, state: StateStore, accountId: string, echo: Record<string, string>, now: () => Date): SandboxResponse {
  const p = req.params;
  for (const name of ['name', 'funding_instrument_id']) {
    if (!p[name]) return adsError(400, 'MISSING_PARAMETER', `"${name}" is a required parameter`, echo, name);
  }
  if (p.name!.length > 255) return adsError(400, 'INVALID_PARAMETER', 'name must be at most 255 characters', echo, 'name');
  const status = p.entity_status ?? 'ACTIVE';
  if (!['ACTIVE', 'PAUSED', 'DRAFT'].includes(status)) return adsError(400, 'INVALID_PARAMETER', `Expected one of ACTIVE, PAUSED, DRAFT for entity_status, got "${status}"`, echo, 'entity_status');
  const b = budgets(p, echo);
  if (isResponse(b)) return b;
  return state.mutate((s) => {
    const x = xOf(s);
    const fi = x.fundingInstruments.find((f) => f.id === p.funding_instrument_id && f.account_id === accountId && !f.deleted);
    if (!fi || !fi.able_to_fund) return adsError(400, 'INVALID_FUNDING_INSTRUMENT', `Funding instrument ${p.funding_instrument_id} cannot fund this account`, echo, 'funding_instrument_id');
    const t = iso(now());
    const c: XCampaign = {
      id: newId(s), account_id: accountId, name: p.name!, funding_instrument_id: fi.id, entity_status: status, currency: fi.currency,
      daily_budget_amount_local_micro: b.daily ?? null, total_budget_amount_local_micro: b.total ?? null, budget_optimization: 'LINE_ITEM',
      standard_delivery: null, purchase_order_number: p.purchase_order_number ?? null, servable: false,
      reasons_not_servable: status === 'ACTIVE' ? ['INCOMPLETE'] : ['PAUSED_BY_ADVERTISER'], effective_status: 'UNKNOWN',
      frequency_cap: null, duration_in_days: null, created_at: t, updated_at: t, deleted: false,
    };
    x.campaigns.push(c);
    return { status: 200, body: { request: { params: echo }, data: c } };
  });
}

function updateCampaign(req: SandboxRequest, state: StateStore, accountId: string, id: string, echo: Record<string, string>, now: () => Date): SandboxResponse {
  const p = req.params;
  if (p.entity_status !== undefined && !['ACTIVE', 'PAUSED'].includes(p.entity_status)) {
    return adsError(400, 'INVALID_PARAMETER', `Expected one of ACTIVE, PAUSED for entity_status, got "${p.entity_status}"`, echo, 'entity_status');
  }
  if (p.name !== undefined && (p.name.length === 0 || p.name.length > 255)) return adsError(400, 'INVALID_PARAMETER', 'name must be 1..255 characters', echo, 'name');
  const b = budgets(p, echo);
  if (isResponse(b)) return b;
  return state.mutate((s) => {
    const c = xOf(s).campaigns.find((k) => k.id === id && k.account_id === accountId)!;
    const daily = b.daily === undefined ? c.daily_budget_amount_local_micro : b.daily;
    const total = b.total === undefined ? c.total_budget_amount_local_micro : b.total;
    if (daily !== null && total !== null && daily > total) {
      return adsError(400, 'INVALID_PARAMETER', 'daily_budget_amount_local_micro must be less than or equal to total_budget_amount_local_micro', echo, 'daily_budget_amount_local_micro');
    }
    if (p.name !== undefined) c.name = p.name;
    if (p.entity_status !== undefined) {
      c.entity_status = p.entity_status;
      c.effective_status = p.entity_status === 'ACTIVE' ? 'RUNNING' : 'PAUSED';
    }
    c.daily_budget_amount_local_micro = daily;
    c.total_budget_amount_local_micro = total;
    c.updated_at = iso(now());
    return { status: 200, body: { request: { params: echo }, data: c } };
  });
}

function isV2(path: string) {
  return path.startsWith('/2/');
}

function statusError(req: SandboxRequest, status: number): SandboxResponse {
  if (isV2(req.path)) {
    if (status === 404) return problem(404, 'resource-not-found', 'Not Found Error', `Could not find ${req.path}`);
    if (status === 401) return problem(401, 'not-authorized-for-resource', 'Unauthorized', 'Unauthorized');
    if (status === 429) return { status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 } };
    if (status >= 500) return problem(status, 'internal-error', 'Internal Error', 'Something went wrong');
    return problem(status, 'invalid-request', 'Invalid Request', 'One or more parameters to your request was invalid.');
  }
  if (status === 404) return adsError(404, 'ROUTE_NOT_FOUND', `No route for ${req.method} ${req.path}`);
  if (status === 401) return adsError(401, 'UNAUTHORIZED_ACCESS', 'This request is not properly authenticated');
  if (status === 503) return adsError(503, 'SERVICE_UNAVAILABLE', 'Service unavailable');
  if (status >= 500) return adsError(status, 'INTERNAL_ERROR', 'Internal error');
  return adsError(status, 'INVALID_PARAMETER', 'Invalid request');
}

export const xModule: PlatformModule = {
  id: 'x',
  owns: (path) => /^\/(12|11|2|1\.1)\//.test(path) || path.startsWith('/oauth') || path.startsWith('/oauth2'),

  authenticate(req, state) {
    const oauth = parseOAuthHeader(req.headers.authorization);
    const fail = (why: string) => ({ error: isV2(req.path) ? problem(401, 'not-authorized-for-resource', 'Unauthorized', why) : adsError(401, 'UNAUTHORIZED_ACCESS', why) });
    if (!oauth) return fail('This request is not properly authenticated: OAuth 1.0a user context is required');
    const cred = xOf(state.read()).credentials.find((c) => c.apiKey === oauth.oauth_consumer_key && c.accessToken === oauth.oauth_token);
    if (!cred) return fail('Invalid or expired token');
    if (cred.expiresAt && Date.parse(cred.expiresAt) <= Date.now()) return fail('Invalid or expired token');
    if (!verifySignature(req, oauth, cred.apiSecret, cred.accessSecret)) return fail('Could not authenticate you: the OAuth signature does not match');
    return { identity: `${cred.apiKey}:${cred.accessToken}` };
  },

  async handle(req, ctx) {
    if (/^\/(12|11)\//.test(req.path)) return ads(req, ctx.state, ctx.now);
    return undefined;
  },

  faultResponse(action: FaultAction, req) {
    const resetAt = (sec: number) => String(Math.floor(Date.now() / 1000) + sec);
    switch (action.type) {
      case 'rate_limit':
      case 'meta_throttle': {
        const sec = action.type === 'rate_limit' ? action.resetInSec : (action.regainInMinutes ?? 0) * 60;
        const headers = { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': resetAt(sec) };
        const base = isV2(req.path)
          ? statusError(req, 429)
          : adsError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded');
        return { ...base, headers: { ...base.headers, ...headers } };
      }
      case 'expired_token':
        return statusError(req, 401);
      case 'status':
        return statusError(req, action.status);
      default:
        return statusError(req, 500);
    }
  },

  commonHeaders(req) {
    const h: Record<string, string> = {
      'x-rate-limit-limit': '10000',
      'x-rate-limit-remaining': '9999',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 900),
      'x-transaction-id': randomBytes(8).toString('hex'),
    };
    if (!isV2(req.path)) h['x-current-api-version'] = '12';
    return h;
  },

  seed: (now) => seed(now),

  // Like X: writes share one counter per user; reads count per endpoint (the resource after the account).
  limitKey(req) {
    if (req.method !== 'GET') return 'write';
    return `read:${req.path.replace(/^\/\d+\/accounts\/[^/]+\/?/, '').split('/')[0] || 'account'}`;
  },
  limitHeaders: (limit, remaining, resetAtSec) => ({
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(resetAtSec),
  }),
};
