/**
 * X adapter: the domain model ⇄ X Ads API v12, through twitter-api-v2 over real HTTP.
 *
 * - Base URLs: twitter-api-v2 hard-codes its hosts, so a plugin hook rewrites each request's
 *   origin to `ctx.endpoints` before it is signed (the OAuth 1.0a signature covers the real URL).
 * - Money: X takes micros of the major unit (`toUnits(money, 6)`), for every currency.
 * - Objectives live on line items in v12; a campaign's objective is read from its line items.
 * - Every call goes through core's HTTP policy; this file only classifies failures.
 */
import { Agent } from 'node:http';
import type { z } from 'zod';
import type { AdapterContext, PlatformAdapter, WireRequest, XCredentials, XOAuth2Credentials } from '../../core/adapter.js';
import { DryRunIntercepted } from '../../core/adapter.js';
import { AdctlError, ExitCode, usageError } from '../../core/errors.js';
import { toAdctlError, type CallSpec } from '../../core/http-policy.js';
import { formatAmount, fromUnits, toUnits } from '../../core/money.js';
import type { AdAccount, Campaign, CampaignCreateInput, CampaignPatch, CampaignQuery, CampaignStatus, FundingInstrument, Objective } from '../../core/model.js';
import { classifyXError, XResponseInvalid } from './errors.js';
import { XAccountWire, XCampaignWire, XFundingWire, XLineItemWire, many, one, type XCampaignWire as XCampaign } from './wire.js';
import { createXPosts, type XRawClient } from './posts.js';
import { createXBatch } from './batch.js';
import { createXInsights } from './insights.js';
import { createXAdGroups, LINE_ITEM_OBJECTIVES } from './adgroups.js';
import { loadTwitterSdk } from './sdk.js';

const MICRO = 6;
const STATUS: Record<string, CampaignStatus> = { ACTIVE: 'active', PAUSED: 'paused', DRAFT: 'draft' };

interface FullResponse { data: unknown; headers: Record<string, string | string[] | undefined> }
interface AdsClient {
  get(path: string, query?: Record<string, unknown>, opts?: Record<string, unknown>): Promise<FullResponse>;
  post(path: string, body?: Record<string, unknown>, opts?: Record<string, unknown>): Promise<FullResponse>;
  put(path: string, body?: Record<string, unknown>, opts?: Record<string, unknown>): Promise<FullResponse>;
  delete(path: string, query?: Record<string, unknown>, opts?: Record<string, unknown>): Promise<FullResponse>;
}

const HOSTS: Array<[RegExp, keyof AdapterContext['endpoints']]> = [
  [/^https:\/\/ads-api(?:-sandbox)?\.(?:x|twitter)\.com/, 'xAdsApi'],
  [/^https:\/\/upload\.(?:x|twitter)\.com/, 'xUpload'],
  [/^https:\/\/api\.(?:x|twitter)\.com/, 'xApi'],
];

/** Rate-limit bucket: X counts writes per category and reads per endpoint. */
function bucketFor(accountId: string, method: string, path: string): string {
  if (method !== 'GET') return `x:${accountId}:write`;
  // Works for both the relative call path (`accounts/ID/campaigns`) and the URL path (`/12/accounts/ID/campaigns`).
  const resource = path.replace(/^(?:.*\/)?accounts\/[^/]+\/?/, '').split('/')[0] || 'account';
  return `x:${accountId}:read:${resource}`;
}

/**
 * Micros as a decimal amount string. Exact: a value finer than the currency's minor unit (1 micro
 * of USD) keeps all its digits instead of being rounded, since money is never approximated.
 */
export function microsAmount(micros: number, currency: string): string {
  const m = fromUnits(micros, MICRO, currency);
  if (m.exact) return formatAmount(m);
  const digits = String(Math.abs(micros)).padStart(MICRO + 1, '0');
  const whole = digits.slice(0, -MICRO);
  const frac = digits.slice(-MICRO).replace(/0+$/, '');
  return `${micros < 0 ? '-' : ''}${whole}.${frac}`;
}

export function createXAdapter(ctx: AdapterContext): PlatformAdapter {
  const creds = ctx.credentials as XCredentials | XOAuth2Credentials;
  // X API v2 (posts, users/me) takes an OAuth 2.0 user token when the profile has one; the Ads API
  // only takes OAuth 1.0a, so an OAuth 2.0-only profile gets a Bearer Ads client that X refuses (exit 4).
  const bearer = creds.kind === 'x-oauth2' ? creds.accessToken : creds.oauth2?.accessToken;
  const adsAuth = creds.kind === 'x-oauth1' ? 'oauth1' as const : 'oauth2-ads' as const;
  const accountId = ctx.accountId;
  const started = new WeakMap<object, number>();
  const { TwitterApi } = loadTwitterSdk(ctx.codeCacheDir) as { TwitterApi: new (c: unknown, s?: unknown) => { ads: AdsClient; v2: XRawClient } };
  const rewrite = (url: string) => {
    for (const [re, key] of HOSTS) if (re.test(url)) return url.replace(re, ctx.endpoints[key] as string);
    return url;
  };
  // twitter-api-v2 always calls https.request; Node accepts an http: URL only with an http.Agent.
  // Chosen per request, so an http loopback endpoint and an https one can coexist.
  const loopbackAgent = new Agent({ keepAlive: false });

  const plugin = {
    onBeforeRequestConfig({ params }: { params: { url: string; method: string; body?: unknown; query?: unknown } }) {
      params.url = rewrite(params.url);
      const method = params.method.toUpperCase();
      if (ctx.dryRun && method !== 'GET') {
        // X API v2 (posts, media) takes JSON bodies; the Ads API takes form bodies, listed here as
        // their decoded name=value pairs so names and times read as the user wrote them.
        const body = /^https?:\/\/[^/]+\/2\//.test(params.url) || Array.isArray(params.body) ? JSON.stringify(params.body ?? {})
          : Object.entries((params.body ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`).join('&');
        const req: WireRequest = { method, url: ctx.redact(params.url), body: ctx.redact(body) };
        ctx.observer.request(req);
        throw new DryRunIntercepted(req);
      }
    },
    onBeforeRequest({ params, computedParams, requestOptions }: { params: object; computedParams: { url: URL; method: string; body?: unknown }; requestOptions: { agent?: unknown } }) {
      if (computedParams.url.protocol === 'http:') requestOptions.agent = loopbackAgent;
      started.set(params, Date.now());
      const body = typeof computedParams.body === 'string' ? computedParams.body : undefined;
      ctx.observer.request({ method: computedParams.method.toUpperCase(), url: ctx.redact(computedParams.url.toString()), headers: { authorization: bearer && computedParams.url.pathname.startsWith('/2/') ? 'Bearer [REDACTED]' : 'OAuth [REDACTED]' }, ...(body ? { body: ctx.redact(body) } : {}) });
    },
    onAfterRequest({ params, computedParams, response }: { params: object; computedParams: { url: URL; method: string }; response: FullResponse }) {
      report(params, computedParams, 200, response.headers);
    },
    onResponseError({ params, computedParams, error }: { params: object; computedParams: { url: URL; method: string }; error: { code: number; headers: FullResponse['headers'] } }) {
      report(params, computedParams, error.code, error.headers);
    },
  };

  function report(params: object, computed: { url: URL; method: string }, status: number, headers: FullResponse['headers']) {
    const h = (n: string) => { const v = headers?.[n]; return Array.isArray(v) ? v[0] : v; };
    const method = computed.method.toUpperCase();
    const limit = Number(h('x-account-rate-limit-limit') ?? h('x-rate-limit-limit'));
    const remaining = Number(h('x-account-rate-limit-remaining') ?? h('x-rate-limit-remaining'));
    const reset = Number(h('x-account-rate-limit-reset') ?? h('x-rate-limit-reset'));
    // Ads API buckets only: X API v2 (posts) limits are per user and endpoint, not per ads account.
    const rateLimit = accountId && !computed.url.pathname.startsWith('/2/') && Number.isFinite(limit) && Number.isFinite(remaining) && Number.isFinite(reset)
      ? { bucket: bucketFor(accountId, method, computed.url.pathname), state: { kind: 'count' as const, limit, remaining, resetAtMs: reset * 1000 } }
      : undefined;
    ctx.observer.response({
      method, url: ctx.redact(computed.url.toString()), status, ms: Date.now() - (started.get(params) ?? Date.now()),
      requestId: h('x-transaction-id'), rateLimit,
    });
  }

  const twitter = new TwitterApi(
    creds.kind === 'x-oauth1' ? { appKey: creds.apiKey, appSecret: creds.apiSecret, accessToken: creds.accessToken, accessSecret: creds.accessSecret } : bearer,
    { plugins: [plugin] },
  );
  const client = twitter.ads;
  const v2 = bearer ? new TwitterApi(bearer, { plugins: [plugin] }).v2 : twitter.v2;

  const requireAccount = (): string => {
    if (!accountId) throw usageError('ACCOUNT_REQUIRED', 'no X Ads account is set', 'set ADCTL_X_ADS_ACCOUNT_ID or pass --account x:ACCOUNT_ID');
    return accountId;
  };

  /**
   * One SDK call through core's policy. `spec.object` names what the path points at ("campaign 8wku2"),
   * so a 404 says which object is missing whatever text the platform sent.
   */
  async function call<T extends z.ZodType>(
    spec: Omit<CallSpec, 'bucket'> & { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; object?: string; jsonBody?: unknown[] }, path: string, params: Record<string, unknown>, schema: T,
  ): Promise<z.infer<T>> {
    // Batch endpoints take a JSON array body instead of form parameters (REFERENCE §B.7).
    const opts = { fullResponse: true, timeout: ctx.timeoutMs, ...(spec.jsonBody ? { forceBodyMode: 'json' } : {}) };
    const bucket = accountId ? bucketFor(accountId, spec.method, path) : undefined;
    return ctx.http.run({ ...spec, bucket }, async () => {
      const res = spec.method === 'GET' ? await client.get(path, params, opts)
        : spec.method === 'POST' ? await client.post(path, (spec.jsonBody ?? params) as Record<string, unknown>, opts)
          : spec.method === 'PUT' ? await client.put(path, params, opts)
            : await client.delete(path, params, opts);
      const parsed = schema.safeParse(res.data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new XResponseInvalid(`${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`);
      }
      return parsed.data;
    }, (e) => {
      const f = classifyXError(e, ctx.redact, adsAuth);
      if (f.kind !== 'not_found' || !spec.object) return f;
      return { ...f, message: ctx.redact(`X: ${spec.object} was not found on ads account ${accountId ?? '?'}`) };
    });
  }

  const read = (label: string, object?: string) => ({ label, method: 'GET' as const, write: false, idempotent: true, ...(object ? { object } : {}) });

  async function listAll<T extends z.ZodType>(label: string, path: string, query: Record<string, unknown>, item: T): Promise<Array<z.infer<T>>> {
    const out: Array<z.infer<T>> = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const page = await call(read(label), path, { count: 1000, ...query, ...(cursor ? { cursor } : {}) }, many(item));
      out.push(...(page.data as Array<z.infer<T>>));
      const next = page.next_cursor ?? undefined;
      if (!next) return out;
      // A platform that hands back the same cursor twice would loop forever: stop with an error.
      if (seen.has(next)) throw toAdctlError('x', { kind: 'malformed', message: `X pagination repeated the cursor ${next}`, notApplied: true });
      seen.add(next);
      cursor = next;
    }
  }

  async function fundingInstruments(): Promise<FundingInstrument[]> {
    const id = requireAccount();
    const list = await listAll('GET funding_instruments', `accounts/${id}/funding_instruments`, {}, XFundingWire);
    return list.filter((f) => !f.deleted).map((f) => ({ id: f.id, description: f.description ?? f.id, currency: f.currency, ableToFund: f.able_to_fund }));
  }

  async function objectives(ids: string[]): Promise<Map<string, Objective>> {
    const map = new Map<string, Objective>();
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const items = await listAll('GET line_items', `accounts/${requireAccount()}/line_items`, { campaign_ids: chunk.join(',') }, XLineItemWire).catch((e: unknown) => {
        // A 404 here is about the line items listing, not about the campaigns asked for: left as
        // NOT_FOUND it would read as "campaign not found" (and a delete as already done).
        if (e instanceof AdctlError && e.code === 'NOT_FOUND') {
          throw new AdctlError('SECONDARY_READ_FAILED', `X answered 404 to the line items of campaign${chunk.length === 1 ? '' : 's'} ${chunk.join(', ')}`, ExitCode.FAILURE, {
            platform: 'x', requestId: e.requestId, cause: e, hint: 'nothing was changed; run the command again, and check the ads account with `adctl doctor`',
          });
        }
        throw e;
      });
      for (const li of items) {
        const o = LINE_ITEM_OBJECTIVES[li.objective];
        if (o && !map.has(li.campaign_id)) map.set(li.campaign_id, o);
      }
    }
    return map;
  }

  function toCampaign(c: XCampaign, objective: Objective | null): Campaign {
    const budget = (micros: number | null | undefined, period: 'daily' | 'lifetime') => {
      if (micros === null || micros === undefined) return null;
      return { period, amount: microsAmount(micros, c.currency), currency: c.currency.toUpperCase() };
    };
    return {
      ref: `x:${c.id}`,
      platform: 'x',
      id: c.id,
      account: requireAccount(),
      name: c.name,
      objective,
      status: c.deleted ? 'deleted' : (STATUS[c.entity_status] ?? 'paused'),
      budget: budget(c.daily_budget_amount_local_micro, 'daily') ?? budget(c.total_budget_amount_local_micro, 'lifetime'),
      start: null,
      end: null,
      createdAt: c.created_at ?? null,
    };
  }

  async function getWire(id: string, query: Record<string, unknown> = {}): Promise<XCampaign> {
    return (await call(read('GET campaign', `campaign ${id}`), `accounts/${requireAccount()}/campaigns/${id}`, query, one(XCampaignWire))).data;
  }

  async function getOne(id: string): Promise<Campaign> {
    const c = await getWire(id);
    return toCampaign(c, (await objectives([id])).get(id) ?? null);
  }

  function budgetParams(budget: CampaignCreateInput['budget'] | undefined, currency: string): Record<string, unknown> {
    if (!budget) return {};
    if (budget.money.currency !== currency) {
      throw usageError('CURRENCY_MISMATCH', `${budget.money.currency} does not match the X account's currency ${currency}`, `write the amount in ${currency}`);
    }
    const micros = toUnits(budget.money, MICRO, 'X');
    return budget.period === 'daily' ? { daily_budget_amount_local_micro: micros } : { total_budget_amount_local_micro: micros };
  }

  const batch = createXBatch(ctx, {
    client, accountId: requireAccount, toCampaign: (c) => toCampaign(c, null), classify: (e) => classifyXError(e, ctx.redact, adsAuth),
    bucket: () => (accountId ? bucketFor(accountId, 'POST', 'batch') : undefined),
    deletedAmong: async (ids) => new Set((await listAll('GET campaigns', `accounts/${requireAccount()}/campaigns`, { campaign_ids: ids.join(','), with_deleted: true, with_draft: true }, XCampaignWire)).filter((c) => c.deleted).map((c) => c.id)),
  });

  const adapter: PlatformAdapter = {
    id: 'x',
    capabilities: new Set(['campaigns.read', 'campaigns.write', 'budgets.write', 'posts.publish', 'posts.schedule', 'posts.delete', 'media.upload', 'batch', 'insights.read', 'adgroups.read', 'adgroups.write']),
    ...createXPosts(ctx, { v2, ads: client as unknown as XRawClient }),
    ...batch,
    ...createXInsights(ctx, { call, listAll, accountId: requireAccount, getAccount: () => adapter.getAccount() }),
    // After the batch: its ad group batch update is wrapped with the line item refusals.
    ...createXAdGroups(ctx, { call, listAll, accountId: requireAccount, microsAmount, batch }),

    async getAccount(): Promise<AdAccount> {
      const id = requireAccount();
      const res = await call(read('GET account'), `accounts/${id}`, {}, one(XAccountWire));
      const fis = await fundingInstruments();
      const currency = (fis.find((f) => f.ableToFund) ?? fis[0])?.currency;
      if (!currency) throw usageError('NO_FUNDING_INSTRUMENT', `the X account ${id} has no funding instrument`, 'add a payment method in X Ads Manager');
      return { ref: `x:${id}`, platform: 'x', id, name: res.data.name, currency: currency.toUpperCase(), timezone: res.data.timezone };
    },

    listFundingInstruments: fundingInstruments,

    async listCampaigns(query: CampaignQuery): Promise<Campaign[]> {
      const id = requireAccount();
      const wantDeleted = query.statuses?.includes('deleted') ?? false;
      const list = await listAll('GET campaigns', `accounts/${id}/campaigns`, { with_draft: true, ...(wantDeleted ? { with_deleted: true } : {}) }, XCampaignWire);
      const obj = list.length ? await objectives(list.map((c) => c.id)) : new Map<string, Objective>();
      const campaigns = list.map((c) => toCampaign(c, obj.get(c.id) ?? null));
      return campaigns.filter((c) => (query.statuses ? query.statuses.includes(c.status) : c.status !== 'deleted'));
    },

    getCampaign: (id) => getOne(id),

    async createCampaign(input: CampaignCreateInput): Promise<Campaign> {
      const id = requireAccount();
      const fis = await fundingInstruments();
      let fi: FundingInstrument | undefined;
      if (input.fundingInstrumentId) {
        fi = fis.find((f) => f.id === input.fundingInstrumentId);
        if (!fi) throw usageError('UNKNOWN_FUNDING_INSTRUMENT', `funding instrument ${input.fundingInstrumentId} is not on account ${id}`, `choose one of: ${fis.map((f) => f.id).join(', ')}`, { choices: fis });
        if (!fi.ableToFund) {
          const able = fis.filter((f) => f.ableToFund);
          throw usageError('FUNDING_INSTRUMENT_CANNOT_FUND', `funding instrument ${fi.id} (${fi.description}) is not able to fund`,
            able.length ? `choose one of: ${able.map((f) => f.id).join(', ')}` : 'add or fix a payment method in X Ads Manager', { choices: able });
        }
      } else {
        const able = fis.filter((f) => f.ableToFund);
        if (able.length === 0) throw usageError('NO_FUNDING_INSTRUMENT', `no funding instrument on X account ${id} is able to fund`, 'add or fix a payment method in X Ads Manager');
        if (able.length > 1) {
          throw usageError('FUNDING_INSTRUMENT_REQUIRED', `X account ${id} has ${able.length} funding instruments`,
            `pass --funding-instrument with one of: ${able.map((f) => `${f.id} (${f.description}, ${f.currency})`).join(', ')}`, { choices: able });
        }
        fi = able[0]!;
      }
      const params = {
        name: input.name,
        funding_instrument_id: fi.id,
        // Always explicit: the platform's own default is ACTIVE, ours is PAUSED.
        entity_status: input.status === 'active' ? 'ACTIVE' : 'PAUSED',
        ...budgetParams(input.budget, fi.currency.toUpperCase()),
      };
      const res = await call({ label: 'POST campaigns', method: 'POST', write: true, idempotent: false }, `accounts/${id}/campaigns`, params, one(XCampaignWire));
      // v12 campaigns carry no objective (line items do): report the one asked for.
      return toCampaign(res.data, input.objective);
    },

    async updateCampaign(campaignId: string, patch: CampaignPatch, before?: Campaign): Promise<Campaign> {
      const id = requireAccount();
      if (patch.status === 'archived') throw usageError('UNSUPPORTED_STATUS', 'X campaigns cannot be archived', 'pause it or delete it');
      // A budget's currency must be the campaign's (its funding instrument's), checked before
      // anything is sent: from the caller's fresh read when it carries a budget, else read here.
      const currency = !patch.budget ? '' : before?.budget ? before.budget.currency : (await getWire(campaignId)).currency.toUpperCase();
      const budget = budgetParams(patch.budget, currency);
      const params: Record<string, unknown> = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.status ? { entity_status: patch.status === 'active' ? 'ACTIVE' : 'PAUSED' } : {}),
        // Only the period asked for is sent: X campaigns may carry a daily budget and a total cap
        // together, and changing one never silently drops the other (X itself enforces daily ≤ total).
        ...budget,
      };
      if (Object.keys(params).length === 0) return before ?? getOne(campaignId);
      const res = await call({ label: 'PUT campaign', method: 'PUT', write: true, idempotent: true, object: `campaign ${campaignId}` }, `accounts/${id}/campaigns/${campaignId}`, params, one(XCampaignWire));
      // A PUT changes no line item, so the objective read just before still holds.
      const objective = before && before.id === campaignId ? before.objective : (await objectives([campaignId])).get(campaignId) ?? null;
      return toCampaign(res.data, objective);
    },

    async deleteCampaign(campaignId: string): Promise<void> {
      const id = requireAccount();
      try {
        await call({ label: 'DELETE campaign', method: 'DELETE', write: true, idempotent: true, object: `campaign ${campaignId}` }, `accounts/${id}/campaigns/${campaignId}`, {}, one(XCampaignWire));
      } catch (e) {
        if ((e as { code?: string }).code !== 'NOT_FOUND') throw e;
        // Idempotent: a campaign that is already deleted counts as deleted. One that never existed
        // is still NOT_FOUND, so a typo in a ref is not reported as success.
        const gone = await getWire(campaignId, { with_deleted: true }).catch(() => undefined);
        if (gone?.deleted) return;
        throw e;
      }
    },
  };
  return adapter;
}
