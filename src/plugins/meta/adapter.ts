/**
 * Meta adapter: the domain model ⇄ Marketing API, through facebook-nodejs-business-sdk over real
 * HTTP (its own axios).
 *
 * - The SDK is CommonJS and heavy; it is required (sdk.ts) when an adapter is created, and only then.
 * - Base URL and version: the SDK reads the static getters `FacebookAdsApi.GRAPH` and `VERSION` by
 *   name at call time, so they are redefined to `ctx.endpoints` (REFERENCE §D.2).
 * - `init(token, locale, false)`: never install the SDK's crash reporter (it hooks
 *   uncaughtException and posts stack traces to Meta).
 * - The SDK has no appsecret_proof; an interceptor on its own axios adds it, sets the timeout,
 *   reports requests to the observer and stops writes in dry-run mode.
 * - Money: Meta's own minor unit per currency (see META_EXPONENT).
 */
import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import type { AdapterContext, MetaCredentials, PlatformAdapter, WireRequest } from '../../core/adapter.js';
import { DryRunIntercepted } from '../../core/adapter.js';
import { usageError } from '../../core/errors.js';
import type { CallSpec } from '../../core/http-policy.js';
import { currencyExponent, formatAmount, fromUnits, toUnits } from '../../core/money.js';
import type { AdAccount, Budget, BudgetInput, Campaign, CampaignCreateInput, CampaignPatch, CampaignQuery, CampaignStatus, Objective } from '../../core/model.js';
import { classifyMetaError, MetaResponseInvalid, type TransportFacts } from './errors.js';
import { MetaAccountWire, MetaCampaignWire, MetaCreated, MetaPage, MetaSuccess } from './wire.js';
import { allPages } from './paging.js';
import { createMetaPosts, type GraphCall } from './posts.js';
import { createMetaBatch } from './batch.js';
import { createMetaInsights } from './insights.js';
import { createCampaignBudgetGuard, createMetaAdGroups } from './adgroups.js';
import { usageReading } from './usage.js';
import { loadMetaSdk } from './sdk.js';

/**
 * Meta's "offset" per currency (developers.facebook.com/docs/marketing-api/currencies): these take
 * whole units; every other currency in Meta's table takes hundredths, including BHD and JOD (whose
 * ISO minor unit is a thousandth). A currency missing from Meta's table falls back to its ISO
 * minor unit, so 12.345 KWD is sent as 12345.
 */
const WHOLE_UNITS = new Set(['CLP', 'COP', 'CRC', 'HUF', 'ISK', 'IDR', 'JPY', 'KRW', 'PYG', 'TWD', 'VND']);
const HUNDREDTHS = new Set([
  'DZD', 'ARS', 'AUD', 'BHD', 'BDT', 'BOB', 'BGN', 'BRL', 'GBP', 'CAD', 'CNY', 'HRK', 'CZK', 'DKK', 'EGP', 'EUR', 'GTQ', 'HNL', 'HKD', 'INR',
  'ILS', 'JOD', 'KES', 'LVL', 'LTL', 'MOP', 'MYR', 'MXN', 'NZD', 'NIO', 'NGN', 'NOK', 'PKR', 'PEN', 'PHP', 'PLN', 'QAR', 'RON', 'RUB', 'SAR',
  'RSD', 'SGD', 'SKK', 'ZAR', 'SEK', 'CHF', 'THB', 'TRY', 'AED', 'UAH', 'USD', 'UYU', 'VEF', 'VES',
]);

export function metaExponent(currency: string): number {
  const c = currency.toUpperCase();
  if (WHOLE_UNITS.has(c)) return 0;
  if (HUNDREDTHS.has(c)) return 2;
  return currencyExponent(c) ?? 2;
}

const TO_META: Record<Objective, string> = {
  awareness: 'OUTCOME_AWARENESS', traffic: 'OUTCOME_TRAFFIC', engagement: 'OUTCOME_ENGAGEMENT', leads: 'OUTCOME_LEADS',
  sales: 'OUTCOME_SALES', app_installs: 'OUTCOME_APP_PROMOTION',
  // Meta's outcome objectives have no video-views or followers objective of their own: those
  // goals live under awareness and engagement, and read back as such.
  video_views: 'OUTCOME_AWARENESS', followers: 'OUTCOME_ENGAGEMENT',
};
const FROM_META: Record<string, Objective> = {
  OUTCOME_AWARENESS: 'awareness', OUTCOME_TRAFFIC: 'traffic', OUTCOME_ENGAGEMENT: 'engagement', OUTCOME_LEADS: 'leads',
  OUTCOME_SALES: 'sales', OUTCOME_APP_PROMOTION: 'app_installs',
  // Legacy objectives on older campaigns.
  BRAND_AWARENESS: 'awareness', REACH: 'awareness', LINK_CLICKS: 'traffic', POST_ENGAGEMENT: 'engagement', PAGE_LIKES: 'followers',
  VIDEO_VIEWS: 'video_views', LEAD_GENERATION: 'leads', CONVERSIONS: 'sales', PRODUCT_CATALOG_SALES: 'sales', APP_INSTALLS: 'app_installs',
};
const FROM_STATUS: Record<string, CampaignStatus> = {
  ACTIVE: 'active', PAUSED: 'paused', ARCHIVED: 'archived', DELETED: 'deleted', IN_PROCESS: 'active', WITH_ISSUES: 'active',
};
const CAMPAIGN_FIELDS = 'id,account_id,name,objective,status,configured_status,effective_status,daily_budget,lifetime_budget,created_time,start_time,stop_time';
const LIVE_STATUSES = ['ACTIVE', 'PAUSED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES'];

interface AxiosConfig { method?: string; url?: string; data?: unknown; timeout?: number; metadata?: { start: number } }
interface AxiosInstance {
  interceptors: {
    request: { use(f: (c: AxiosConfig) => AxiosConfig): number };
    response: { use(ok: (r: AxiosResponseLike) => AxiosResponseLike, fail: (e: AxiosErrorLike) => unknown): number };
  };
}
interface AxiosResponseLike { status: number; headers: Record<string, string>; config: AxiosConfig }
interface AxiosErrorLike { code?: string; response?: AxiosResponseLike; config?: AxiosConfig }
interface GraphApi { call(method: string, path: string | string[], params?: Record<string, unknown>): Promise<unknown> }

/**
 * The transport hooks are installed once per process on the SDK's axios and serve the adapter
 * created last (the SDK itself keeps one default API per process, too).
 */
let active: { ctx: AdapterContext; facts: TransportFacts; dryRun?: DryRunIntercepted } | undefined;
let installed = false;

function hms(h: Record<string, string> | undefined, n: string): string | undefined {
  const v = h?.[n];
  return typeof v === 'string' ? v : undefined;
}

function installTransportHooks(axios: AxiosInstance): void {
  if (installed) return;
  installed = true;
  axios.interceptors.request.use((config) => {
    const a = active;
    if (!a) return config;
    const creds = a.ctx.credentials as MetaCredentials;
    let url = config.url ?? '';
    if (creds.appSecret && !/[?&]appsecret_proof=/.test(url)) {
      // The proof is for the token the request carries: a Page token on Page calls (posts.ts).
      const inUrl = /[?&]access_token=([^&]+)/.exec(url)?.[1];
      const token = inUrl ? decodeURIComponent(inUrl) : creds.accessToken;
      const proof = createHmac('sha256', creds.appSecret).update(token).digest('hex');
      url += `${url.includes('?') ? '&' : '?'}appsecret_proof=${proof}`;
      config.url = url;
    }
    config.timeout = a.ctx.timeoutMs;
    // Never follow a redirect: Graph does not send them, and following one could carry the
    // request (and its token) to another host.
    (config as { maxRedirects?: number }).maxRedirects = 0;
    config.metadata = { start: Date.now() };
    const method = (config.method ?? 'get').toUpperCase();
    const req: WireRequest = { method, url: a.ctx.redact(url), ...(method === 'GET' || method === 'DELETE' ? {} : { body: a.ctx.redact(JSON.stringify(config.data ?? {})) }) };
    a.ctx.observer.request(req);
    if (a.ctx.dryRun && method !== 'GET') {
      a.dryRun = new DryRunIntercepted(req);
      throw a.dryRun;
    }
    return config;
  });
  const report = (r: AxiosResponseLike) => {
    const a = active;
    if (!a) return;
    a.facts.status = r.status;
    const method = (r.config.method ?? 'get').toUpperCase();
    const account = (a.ctx.accountId ?? '').replace(/^act_/, '');
    const usage = usageReading(r.headers, account, Date.now());
    const rateLimit = usage ? { bucket: `meta:${account}:ads_management`, state: usage } : undefined;
    a.ctx.observer.response({
      method, url: a.ctx.redact(r.config.url ?? ''), status: r.status, ms: Date.now() - (r.config.metadata?.start ?? Date.now()),
      requestId: hms(r.headers, 'x-fb-trace-id'), rateLimit,
    });
  };
  axios.interceptors.response.use(
    (r) => {
      report(r);
      return r;
    },
    (e) => {
      if (active) active.facts.errorCode = e.code;
      if (e.response) report(e.response);
      throw e;
    },
  );
}

export function createMetaAdapter(ctx: AdapterContext): PlatformAdapter {
  const creds = ctx.credentials as MetaCredentials;
  const sdk = loadMetaSdk(ctx.codeCacheDir);
  const Api = sdk.FacebookAdsApi as { init(token: string, locale: string, crashLog: boolean): GraphApi };
  const graph = ctx.endpoints.metaGraph;
  Object.defineProperty(Api, 'GRAPH', { get: () => graph, configurable: true });
  Object.defineProperty(Api, 'GRAPH_VIDEO', { get: () => graph, configurable: true });
  Object.defineProperty(Api, 'VERSION', { get: () => ctx.endpoints.metaApiVersion, configurable: true });
  const api = Api.init(creds.accessToken, 'en_US', false);
  installTransportHooks(sdk.axios as AxiosInstance);
  const state: { ctx: AdapterContext; facts: TransportFacts; dryRun?: DryRunIntercepted } = { ctx, facts: {} };
  active = state;

  const account = (): string => {
    const raw = ctx.accountId;
    if (!raw) throw usageError('ACCOUNT_REQUIRED', 'no Meta ad account is set', 'set ADCTL_META_AD_ACCOUNT_ID or pass --account meta:act_ACCOUNT_ID');
    return raw.startsWith('act_') ? raw : `act_${raw}`;
  };
  const bucket = () => `meta:${account().slice(4)}:ads_management`;

  async function call<T extends z.ZodType>(spec: Omit<CallSpec, 'bucket'>, method: string, path: string | string[], params: Record<string, unknown>, schema: T): Promise<z.infer<T>> {
    return ctx.http.run({ ...spec, bucket: bucket() }, async () => {
      active = state;
      state.facts = {};
      state.dryRun = undefined;
      let data: unknown;
      try {
        data = await api.call(method, path, params);
      } catch (e) {
        // The SDK wraps whatever the interceptor threw; hand back the dry-run stop itself.
        if (state.dryRun) throw state.dryRun;
        throw e;
      }
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new MetaResponseInvalid(`${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`);
      }
      return parsed.data;
    }, (e) => classifyMetaError(e, ctx.redact, state.facts));
  }

  /**
   * Graph calls outside the ad account (Pages, Instagram; issue 5): the same transport hooks and
   * policy as `call`, no ad-account bucket, and optionally another token (a Page token) or a
   * multipart body.
   */
  const apis = new Map<string, GraphApi>([[creds.accessToken, api]]);
  const graphCall: GraphCall = async (spec, method, path, params, schema, options = {}) =>
    ctx.http.run({ ...spec }, async () => {
      active = state;
      state.facts = {};
      state.dryRun = undefined;
      const token = options.token ?? creds.accessToken;
      let client = apis.get(token);
      if (!client) {
        client = new (Api as unknown as new (t: string, l: string, c: boolean) => GraphApi)(token, 'en_US', false);
        apis.set(token, client);
      }
      let data: unknown;
      try {
        data = await client.call(method, path, (options.body ?? params) as Record<string, unknown>);
      } catch (e) {
        if (state.dryRun) throw state.dryRun;
        throw e;
      }
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new MetaResponseInvalid(`${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`);
      }
      return parsed.data;
    }, (e) => (options.classify ?? ((f) => f))(classifyMetaError(e, ctx.redact, state.facts)));

  const read = (label: string) => ({ label, write: false, idempotent: true });
  let accountCache: Promise<AdAccount> | undefined;

  // One read per adapter (one CLI run), shared by concurrent callers such as parallel batches.
  function getAccount(): Promise<AdAccount> {
    accountCache ??= (async () => {
      const id = account();
      const a = await call(read('GET ad account'), 'GET', [id], { fields: 'id,name,currency,timezone_name' }, MetaAccountWire);
      return { ref: `meta:${id}`, platform: 'meta', id, name: a.name, currency: a.currency.toUpperCase(), timezone: a.timezone_name } satisfies AdAccount;
    })();
    // A failed read is not remembered.
    accountCache.catch(() => { accountCache = undefined; });
    return accountCache;
  }

  function isoTime(t: string | undefined): string | null {
    if (!t) return null;
    const ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  function toCampaign(c: MetaCampaignWire, currency: string): Campaign {
    const budget = (units: string | number | undefined, period: 'daily' | 'lifetime'): Budget | null => {
      if (units === undefined || units === '' || Number(units) === 0) return null;
      return { period, amount: formatAmount(fromUnits(units, metaExponent(currency), currency)), currency };
    };
    const status = c.configured_status ?? c.status ?? c.effective_status ?? 'PAUSED';
    return {
      ref: `meta:${c.id}`,
      platform: 'meta',
      id: c.id,
      account: c.account_id ? `act_${c.account_id.replace(/^act_/, '')}` : account(),
      name: c.name,
      objective: c.objective ? (FROM_META[c.objective] ?? null) : null,
      status: FROM_STATUS[status] ?? 'paused',
      budget: budget(c.daily_budget, 'daily') ?? budget(c.lifetime_budget, 'lifetime'),
      start: isoTime(c.start_time),
      end: isoTime(c.stop_time),
      createdAt: isoTime(c.created_time),
    };
  }

  async function budgetParams(b: BudgetInput | undefined): Promise<Record<string, unknown>> {
    if (!b) return {};
    const { currency } = await getAccount();
    if (b.money.currency !== currency) {
      throw usageError('CURRENCY_MISMATCH', `${b.money.currency} does not match the Meta account's currency ${currency}`, `write the amount in ${currency}`);
    }
    const units = toUnits(b.money, metaExponent(currency), 'Meta');
    // One budget per campaign: setting one clears the other.
    return b.period === 'daily' ? { daily_budget: units } : { lifetime_budget: units };
  }

  async function getCampaign(id: string): Promise<Campaign> {
    const { currency } = await getAccount();
    const c = await call(read('GET campaign'), 'GET', [id], { fields: CAMPAIGN_FIELDS }, MetaCampaignWire);
    return toCampaign(c, currency);
  }

  const metaBatch = createMetaBatch(ctx, graphCall, { getAccount, exponent: metaExponent });
  const campaignBudgetGuard = createCampaignBudgetGuard(graphCall, { bucket });
  return {
    id: 'meta',
    capabilities: new Set(['campaigns.read', 'campaigns.write', 'budgets.write', 'posts.publish', 'posts.schedule', 'posts.delete', 'media.upload', 'batch', 'insights.read', 'adgroups.read', 'adgroups.write']),
    getAccount,
    ...createMetaPosts(ctx, graphCall),
    ...metaBatch,
    ...createMetaInsights(ctx, graphCall, { getAccount, account }),
    ...createMetaAdGroups(ctx, graphCall, { getAccount, account, bucket, exponent: metaExponent, batch: metaBatch, metaObjective: (o) => TO_META[o] }),

    async listCampaigns(query: CampaignQuery): Promise<Campaign[]> {
      const { currency } = await getAccount();
      const statuses = query.statuses?.includes('deleted') ? [...LIVE_STATUSES, 'DELETED'] : LIVE_STATUSES;
      const first = await call(read('GET campaigns'), 'GET', [account(), 'campaigns'], { fields: CAMPAIGN_FIELDS, effective_status: statuses, limit: 100 }, MetaPage);
      const out = (await allPages(first, (next) => call(read('GET campaigns (next page)'), 'GET', next, {}, MetaPage))).map((c) => toCampaign(c, currency));
      return out.filter((c) => (query.statuses ? query.statuses.includes(c.status) : c.status !== 'deleted'));
    },

    getCampaign,

    async createCampaign(input: CampaignCreateInput): Promise<Campaign> {
      const params = {
        name: input.name,
        objective: TO_META[input.objective],
        // Explicit, always: paid objects start paused unless the user asked for active.
        status: input.status === 'active' ? 'ACTIVE' : 'PAUSED',
        special_ad_categories: input.specialAdCategories ?? [],
        ...(await budgetParams(input.budget ?? undefined)),
      };
      const created = await call({ label: 'POST campaigns', write: true, idempotent: false }, 'POST', [account(), 'campaigns'], params, MetaCreated);
      return getCampaign(created.id);
    },

    async updateCampaign(id: string, patch: CampaignPatch): Promise<Campaign> {
      if (patch.budget) await campaignBudgetGuard(id);
      const params: Record<string, unknown> = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.status ? { status: patch.status.toUpperCase() } : {}),
        ...(await budgetParams(patch.budget)),
      };
      await call({ label: 'POST campaign', write: true, idempotent: true }, 'POST', [id], params, MetaSuccess);
      return getCampaign(id);
    },

    async deleteCampaign(id: string): Promise<void> {
      try {
        await call({ label: 'DELETE campaign', write: true, idempotent: true }, 'DELETE', [id], {}, MetaSuccess);
      } catch (e) {
        // Idempotent: a campaign that is already gone is deleted.
        if ((e as { code?: string }).code === 'NOT_FOUND') return;
        throw e;
      }
    },
  };
}
