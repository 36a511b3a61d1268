/**
 * Meta in the sandbox: the Graph / Marketing API for ad accounts and campaigns, per
 * wire/REFERENCE.md §C. Any `/vNN.N/` version is accepted. Budgets are written as integers in
 * the account's minor unit and read back as strings; lists page with absolute `paging.next` URLs
 * on the sandbox's own origin, as the Node SDK follows them verbatim. Errors use Graph's
 * `{error:{message,type,code,error_subcode,fbtrace_id}}` envelope with HTTP 400.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { StateStore, type SandboxState } from '../state.js';
import { SANDBOX_META } from '../credentials.js';
import type { FaultAction, PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { seedAdSets, type MetaAdSet } from './adsets-seed.js';
import { jsonList, pageList } from './graph-list.js';
import { nonexistingField } from './node-fields.js';
import { graphError, missingObject } from './graph.js';

interface MetaToken { token: string; appSecret: string | null; userId: string; expiresAt: string | null }
interface MetaAdAccount { id: string; account_id: string; name: string; currency: string; timezone_name: string; account_status: number }
interface MetaCampaign {
  id: string; account_id: string; name: string; objective: string; status: string; special_ad_categories: string[];
  daily_budget: string | null; lifetime_budget: string | null; created_time: string; updated_time: string; start_time: string | null; stop_time: string | null;
}
interface MetaState { tokens: MetaToken[]; adAccounts: MetaAdAccount[]; campaigns: MetaCampaign[]; adSets: MetaAdSet[] }

const metaOf = (s: SandboxState) => s.meta as unknown as MetaState;
const fbTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+0000');
const OBJECTIVES = ['OUTCOME_APP_PROMOTION', 'OUTCOME_AWARENESS', 'OUTCOME_ENGAGEMENT', 'OUTCOME_LEADS', 'OUTCOME_SALES', 'OUTCOME_TRAFFIC'];
const DEFAULT_FIELDS = ['id'];

const invalid = (message: string, userMsg?: string) =>
  graphError(100, `(#100) ${message}`, { error_subcode: 1_487_000 + (message.length % 900), ...(userMsg ? { error_user_title: 'Invalid parameter', error_user_msg: userMsg } : {}) });

function seed(now: Date): MetaState {
  const t = fbTime(new Date(now.getTime() - 20 * 86_400_000));
  const campaign = (id: string, accountId: string, name: string, objective: string, status: string, daily: string | null, lifetime: string | null): MetaCampaign => ({
    id, account_id: accountId, name, objective, status, special_ad_categories: [], daily_budget: daily, lifetime_budget: lifetime,
    created_time: t, updated_time: t, start_time: t, stop_time: null,
  });
  return {
    tokens: [{ token: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret, userId: '3001', expiresAt: null }],
    adAccounts: [
      { id: SANDBOX_META.adAccountId, account_id: SANDBOX_META.adAccountId.slice(4), name: 'Sandbox Ramen (Meta)', currency: 'JPY', timezone_name: 'Asia/Tokyo', account_status: 1 },
      { id: 'act_1002', account_id: '1002', name: 'Sandbox Dates (Meta)', currency: 'KWD', timezone_name: 'Asia/Kuwait', account_status: 1 },
    ],
    campaigns: [
      campaign('120210000000101', '1001', 'Winter Ramen', 'OUTCOME_TRAFFIC', 'ACTIVE', '5000', null),
      campaign('120210000000102', '1001', 'Gyoza Sales', 'OUTCOME_SALES', 'PAUSED', null, '300000'),
      campaign('120210000000103', '1001', 'Brand Awareness Tokyo', 'OUTCOME_AWARENESS', 'ACTIVE', null, null),
      campaign('120210000000201', '1002', 'Ramadan Dates', 'OUTCOME_SALES', 'PAUSED', '12345', null),
    ],
    adSets: seedAdSets(t),
  };
}

/** Campaign as Graph shows it, limited to the requested fields (id always). */
function view(c: MetaCampaign, fields: string[]): Record<string, unknown> {
  const full: Record<string, unknown> = {
    ...c,
    configured_status: c.status,
    effective_status: c.status,
    budget_remaining: c.daily_budget ?? c.lifetime_budget ?? '0',
  };
  for (const k of Object.keys(full)) if (full[k] === null) delete full[k];
  const out: Record<string, unknown> = { id: c.id };
  for (const f of fields) if (f in full) out[f] = full[f];
  return out;
}

function fieldsOf(req: SandboxRequest): string[] {
  return req.params.fields ? req.params.fields.split(',').map((f) => f.trim()).filter(Boolean) : DEFAULT_FIELDS;
}

function budget(v: string | undefined, name: string): string | null | undefined | SandboxResponse {
  if (v === undefined) return undefined;
  if (v === '' || v === '0') return null;
  if (!/^\d+$/.test(v)) return invalid(`Param ${name} must be a non-negative integer`, `The ${name} must be a whole number of the account currency's smallest unit.`);
  return v;
}
const isResponse = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'status' in x && 'body' in x;

function listCampaigns(req: SandboxRequest, state: MetaState, accountNum: string, versionPath: string): SandboxResponse {
  const statuses = (jsonList(req.params.effective_status) as string[] | undefined) ?? ['ACTIVE', 'PAUSED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES'];
  const items = state.campaigns.filter((c) => c.account_id === accountNum && statuses.includes(c.status));
  const fields = fieldsOf(req);
  return pageList(req, items, (c) => view(c, fields), { maxLimit: 500, path: versionPath, invalidCursor: () => invalid('Invalid cursor') });
}

function createCampaign(req: SandboxRequest, store: StateStore, account: MetaAdAccount, now: Date): SandboxResponse {
  const p = req.params;
  if (!p.name) return invalid('The parameter name is required', 'Give the campaign a name.');
  if (!p.objective || !OBJECTIVES.includes(p.objective)) {
    return invalid(`Param objective must be one of {${OBJECTIVES.join(', ')}}`, 'Choose an outcome-based objective for new campaigns.');
  }
  const status = p.status ?? 'ACTIVE';
  if (!['ACTIVE', 'PAUSED'].includes(status)) return invalid('Param status must be one of {ACTIVE, PAUSED}');
  const categories = jsonList(p.special_ad_categories);
  if (!categories) return invalid('The parameter special_ad_categories is required', 'Declare special ad categories (an empty list when none apply).');
  const daily = budget(p.daily_budget, 'daily_budget');
  if (isResponse(daily)) return daily;
  const lifetime = budget(p.lifetime_budget, 'lifetime_budget');
  if (isResponse(lifetime)) return lifetime;
  if (daily && lifetime) return invalid('Only one of daily_budget and lifetime_budget can be set', 'A campaign has a daily or a lifetime budget, not both.');
  return store.mutate((s) => {
    const id = `120210${String(StateStore.nextSeq(s)).padStart(9, '0')}`;
    const t = fbTime(now);
    metaOf(s).campaigns.push({
      id, account_id: account.account_id, name: p.name!, objective: p.objective!, status, special_ad_categories: categories.map(String),
      daily_budget: daily ?? null, lifetime_budget: lifetime ?? null, created_time: t, updated_time: t, start_time: t, stop_time: null,
    });
    return { status: 200, body: { id } };
  });
}

function updateCampaign(req: SandboxRequest, store: StateStore, id: string, now: Date): SandboxResponse {
  const p = req.params;
  if (p.status !== undefined && !['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'].includes(p.status)) {
    return invalid('Param status must be one of {ACTIVE, PAUSED, ARCHIVED, DELETED}');
  }
  if (p.name !== undefined && p.name.length === 0) return invalid('Param name must be non-empty');
  const daily = budget(p.daily_budget, 'daily_budget');
  if (isResponse(daily)) return daily;
  const lifetime = budget(p.lifetime_budget, 'lifetime_budget');
  if (isResponse(lifetime)) return lifetime;
  // A campaign budget or ad set budgets, never both (subcode as for ad sets, adsets.ts).
  const owners = (daily || lifetime) ? (metaOf(store.read()).adSets ?? []).filter((a) => a.campaign_id === id && a.status !== 'DELETED' && (a.daily_budget || a.lifetime_budget)) : [];
  if (owners.length) {
    return graphError(100, '(#100) Invalid parameter', { error_subcode: 1885621, error_user_title: "Can't Set Ad Set and Campaign Budget", error_user_msg: `${owners.length} ad sets of this campaign have their own budgets; remove them before adding a campaign budget.` });
  }
  return store.mutate((s) => {
    const c = metaOf(s).campaigns.find((k) => k.id === id)!;
    if (c.status === 'DELETED') return invalid('Cannot update a deleted campaign');
    if (p.name !== undefined) c.name = p.name;
    if (p.status !== undefined) c.status = p.status;
    if (daily !== undefined) c.daily_budget = daily;
    if (lifetime !== undefined) c.lifetime_budget = lifetime;
    if (c.daily_budget && c.lifetime_budget) return invalid('Only one of daily_budget and lifetime_budget can be set');
    c.updated_time = fbTime(now);
    return { status: 200, body: { success: true } };
  });
}

function route(req: SandboxRequest, store: StateStore, now: Date): SandboxResponse | undefined {
  const segs = req.path.split('/').filter(Boolean);
  const version = segs.shift();
  const state = metaOf(store.read());
  const [node, edge] = segs;
  if (!node) return undefined;
  if (node.startsWith('act_')) {
    const account = state.adAccounts.find((a) => a.id === node);
    if (!account) return missingObject(node);
    if (!edge && req.method === 'GET') {
      const fields = fieldsOf(req);
      const out: Record<string, unknown> = { id: account.id };
      for (const f of fields) if (f in account) out[f] = account[f as keyof MetaAdAccount];
      return { status: 200, body: out };
    }
    if (edge === 'campaigns' && req.method === 'GET') return listCampaigns(req, state, account.account_id, `/${version}/${node}/campaigns`);
    if (edge === 'campaigns' && req.method === 'POST') return createCampaign(req, store, account, now);
    return undefined;
  }
  if (edge) return undefined;
  const c = state.campaigns.find((k) => k.id === node);
  if (!c) return missingObject(node);
  if (req.method === 'GET') return nonexistingField(fieldsOf(req), 'Campaign') ?? { status: 200, body: view(c, fieldsOf(req)) };
  if (req.method === 'POST') return updateCampaign(req, store, node, now);
  if (req.method === 'DELETE') {
    return store.mutate((s) => {
      const k = metaOf(s).campaigns.find((x) => x.id === node)!;
      k.status = 'DELETED';
      k.updated_time = fbTime(now);
      return { status: 200, body: { success: true } };
    });
  }
  return undefined;
}

function token(req: SandboxRequest): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  return req.params.access_token ?? bearer;
}

function throttle(code: number, regainMinutes: number): SandboxResponse {
  const subcodes: Record<number, number> = { 17: 2446079, 613: 1487742 };
  const messages: Record<number, string> = {
    4: 'Application request limit reached', 17: 'User request limit reached', 32: 'Page request limit reached',
    613: 'Calls to this api have exceeded the rate limit.', 80000: 'There have been too many calls from this ad-account.',
    80004: 'There have been too many calls to this ad-account. Wait a bit and try again.',
  };
  const r = graphError(code, `(#${code}) ${messages[code] ?? 'Rate limited'}`, { is_transient: true, ...(subcodes[code] ? { error_subcode: subcodes[code] } : {}) });
  return {
    ...r,
    headers: {
      'x-business-use-case-usage': JSON.stringify({
        [SANDBOX_META.adAccountId.slice(4)]: [{ type: 'ads_management', call_count: 100, total_cputime: 40, total_time: 40, estimated_time_to_regain_access: regainMinutes }],
      }),
    },
  };
}

export const metaModule: PlatformModule = {
  id: 'meta',
  owns: (path) => /^\/v\d+\.\d+(\/|$)/.test(path),

  authenticate(req, store) {
    const t = token(req);
    const known = t ? metaOf(store.read()).tokens.find((k) => k.token === t) : undefined;
    if (!known || (known.expiresAt && Date.parse(known.expiresAt) <= Date.now())) {
      return { error: graphError(190, 'Error validating access token: the session is invalid or has expired.', { error_subcode: 463 }) };
    }
    const proof = req.params.appsecret_proof;
    if (proof !== undefined) {
      const expected = known.appSecret ? createHmac('sha256', known.appSecret).update(known.token).digest('hex') : undefined;
      if (proof !== expected) return { error: graphError(100, 'Invalid appsecret_proof provided in the API argument', { type: 'GraphMethodException' }) };
    }
    return { identity: known.token };
  },

  async handle(req, ctx) {
    return route(req, ctx.state, ctx.now());
  },

  faultResponse(action: FaultAction) {
    switch (action.type) {
      case 'meta_throttle':
        return throttle(action.code, action.regainInMinutes ?? 0);
      case 'rate_limit':
        return throttle(17, Math.ceil(action.resetInSec / 60));
      case 'expired_token':
        return graphError(190, 'Error validating access token: Session has expired.', { error_subcode: 463 });
      case 'status':
        if (action.status === 404) return graphError(100, 'Unknown path components', { error_subcode: 33 }, 404);
        if (action.status >= 500) {
          return graphError(2, 'An unexpected error has occurred. Please retry your request later.', { is_transient: true }, action.status);
        }
        return graphError(100, '(#100) Invalid parameter', {}, action.status);
      default:
        return graphError(1, 'An unknown error occurred', { is_transient: true }, 500);
    }
  },

  commonHeaders() {
    return {
      'x-fb-trace-id': randomBytes(8).toString('base64url'),
      'x-fb-request-id': randomBytes(12).toString('hex'),
      'x-app-usage': JSON.stringify({ call_count: 1, total_cputime: 1, total_time: 1 }),
      'x-business-use-case-usage': JSON.stringify({
        [SANDBOX_META.adAccountId.slice(4)]: [{ type: 'ads_management', call_count: 1, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 0 }],
      }),
    };
  },

  seed: (now) => seed(now),
};
