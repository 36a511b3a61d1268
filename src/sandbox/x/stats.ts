/**
 * X Ads analytics in the sandbox (REFERENCE §B.9), from the deterministic delivery model (spend.ts).
 *
 * - Sync: `GET /12/stats/accounts/:account_id` with `entity` (ACCOUNT, CAMPAIGN, LINE_ITEM; the
 *   other entities answer null metrics), `entity_ids` (≤ 20), `start_time`/`end_time` (whole hours
 *   in the account's zone, end exclusive, at most 7 days), `granularity` (TOTAL, DAY, HOUR; DAY
 *   needs local midnights), `metric_groups` and `placement`. Every metric is an array with one
 *   entry per bucket, or null when the whole series is zero (as X writes it).
 * - Async: `POST /12/stats/jobs/accounts/:account_id` (same parameters, up to 90 days) answers a
 *   job in PROCESSING; `GET /12/stats/jobs/accounts/:account_id?job_ids=…` moves each listed job
 *   on (the first poll still PROCESSING, then SUCCESS with a `url`); the url serves the sync
 *   response schema as gzipped JSON without authentication, like X's download host.
 *
 * Metrics: ENGAGEMENT gives impressions, clicks, engagements, url_clicks, follows, likes, retweets,
 * replies; the model's results go to the objective's metric (WEBSITE_CLICKS → url_clicks,
 * FOLLOWERS → follows, ENGAGEMENTS → engagements; other objectives get no result metric here).
 * BILLING gives billed_charge_local_micro (spend in micros) and billed_engagements (= clicks).
 * Everything is delivered on the ALL_ON_TWITTER placement; other placements report null metrics.
 *
 * - Active entities: `GET /12/stats/accounts/:account_id/active_entities` with `entity`
 *   (CAMPAIGN, LINE_ITEM), `start_time`, `end_time` (≤ 90 days) and optionally `campaign_ids` or
 *   `line_item_ids` (≤ 200): the objects whose metrics changed in the range, deleted ones
 *   included, with `activity_start_time`, `activity_end_time` and `placements`.
 *
 * State: `x.statsJobs`.
 */
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { addDays, dayStart, localDate } from '../../core/calendar.js';
import { offsetAt } from '../../core/time.js';
import { StateStore, type SandboxState } from '../state.js';
import type { PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { delivery, micros, scheduleOf, type Delivery } from '../spend.js';
import { adsError } from './errors.js';
import { echoOf } from './ads.js';
import { xModule } from './index.js';
import { parseOAuthHeader } from './oauth1.js';
import { xOf, iso, type XState } from './seed.js';

interface StatsJob {
  id: number; id_str: string; account_id: string; params: Record<string, string>; asOf: string; polls: number; token: string;
  created_at: string;
}

const ENTITIES = ['ACCOUNT', 'CAMPAIGN', 'FUNDING_INSTRUMENT', 'LINE_ITEM', 'PROMOTED_ACCOUNT', 'PROMOTED_TWEET'];
const GROUPS = ['BILLING', 'ENGAGEMENT', 'VIDEO', 'WEB_CONVERSION', 'MOBILE_CONVERSION', 'LIFE_TIME_VALUE_MOBILE_CONVERSION'];
const PLACEMENTS = ['ALL_ON_TWITTER', 'PUBLISHER_NETWORK', 'SPOTLIGHT', 'TREND'];
const HOUR = 3_600_000;
const DOWNLOADS = '/advertiser-api-async-analytics/';

const jobsOf = (s: SandboxState) => ((s.x as { statsJobs?: StatsJob[] }).statsJobs ??= []);

type Query = { entity: string; ids: string[]; startMs: number; endMs: number; granularity: string; groups: string[]; placement: string };

function readQuery(p: Record<string, string>, zone: string, echo: Record<string, unknown>, maxDays: number): Query | SandboxResponse {
  for (const n of ['entity', 'entity_ids', 'start_time', 'end_time', 'granularity', 'metric_groups', 'placement']) {
    if (!p[n]) return adsError(400, 'MISSING_PARAMETER', `"${n}" is a required parameter`, echo, n);
  }
  if (!ENTITIES.includes(p.entity!)) return adsError(400, 'INVALID_PARAMETER', `Expected one of ${ENTITIES.join(', ')} for entity, got "${p.entity}"`, echo, 'entity');
  const ids = p.entity_ids!.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0 || ids.length > 20) return adsError(400, 'INVALID_PARAMETER', 'entity_ids takes between 1 and 20 ids', echo, 'entity_ids');
  if (!['TOTAL', 'DAY', 'HOUR'].includes(p.granularity!)) return adsError(400, 'INVALID_PARAMETER', `Expected one of TOTAL, DAY, HOUR for granularity, got "${p.granularity}"`, echo, 'granularity');
  if (!PLACEMENTS.includes(p.placement!)) return adsError(400, 'INVALID_PARAMETER', `Expected one of ${PLACEMENTS.join(', ')} for placement, got "${p.placement}"`, echo, 'placement');
  const groups = p.metric_groups!.split(',').map((s) => s.trim());
  const badGroup = groups.find((g) => !GROUPS.includes(g));
  if (badGroup) return adsError(400, 'INVALID_PARAMETER', `Expected one of ${GROUPS.join(', ')} for metric_groups, got "${badGroup}"`, echo, 'metric_groups');
  if (groups.includes('MOBILE_CONVERSION') && groups.length > 1) return adsError(400, 'INVALID_PARAMETER', 'MOBILE_CONVERSION must be requested alone', echo, 'metric_groups');
  const times: number[] = [];
  for (const n of ['start_time', 'end_time']) {
    const ms = Date.parse(p[n]!);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(p[n]!) || Number.isNaN(ms)) return adsError(400, 'INVALID_PARAMETER', `Expected time, got "${p[n]}" for ${n}`, echo, n);
    // Whole hours of the account's zone (an hour there starts when the local minute is 0).
    if ((ms + offsetAt(ms, zone) * 60_000) % HOUR !== 0) return adsError(400, 'INVALID_PARAMETER', `${n} must be a whole hour in the account time zone ${zone}`, echo, n);
    if (p.granularity === 'DAY' && dayStart(localDate(ms, zone), zone) !== ms) {
      return adsError(400, 'INVALID_PARAMETER', `${n} must be midnight in the account time zone ${zone} with DAY granularity`, echo, n);
    }
    times.push(ms);
  }
  const [startMs, endMs] = times as [number, number];
  if (endMs <= startMs) return adsError(400, 'INVALID_PARAMETER', 'end_time must be after start_time', echo, 'end_time');
  if (endMs - startMs > maxDays * 24 * HOUR + HOUR) {
    // (+1 hour: a span of 7 local days that contains a DST change is 169 hours long.)
    return adsError(400, 'INVALID_PARAMETER', `The time span between start_time and end_time must be at most ${maxDays} days`, echo, 'end_time');
  }
  return { entity: p.entity!, ids, startMs, endMs, granularity: p.granularity!, groups, placement: p.placement! };
}

const isResponse = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'status' in x && 'body' in x;

function buckets(q: Query, zone: string): Array<{ startMs: number; endMs: number }> {
  if (q.granularity === 'TOTAL') return [{ startMs: q.startMs, endMs: q.endMs }];
  const out: Array<{ startMs: number; endMs: number }> = [];
  if (q.granularity === 'HOUR') {
    for (let t = q.startMs; t < q.endMs; t += HOUR) out.push({ startMs: t, endMs: t + HOUR });
    return out;
  }
  for (let d = localDate(q.startMs, zone); dayStart(d, zone) < q.endMs; d = addDays(d, 1)) {
    out.push({ startMs: dayStart(d, zone), endMs: Math.min(dayStart(addDays(d, 1), zone), q.endMs) });
  }
  return out;
}

/** The stats response body (sync, and the content of an async job's file). */
function statsBody(x: XState, schedule: ReturnType<typeof scheduleOf>, accountId: string, q: Query, zone: string, nowMs: number, echo: Record<string, unknown>): Record<string, unknown> {
  const series = buckets(q, zone);
  const offset = offsetAt(q.startMs, zone);
  const campaigns = x.campaigns.filter((c) => c.account_id === accountId);
  const lineItems = x.lineItems.filter((l) => !l.deleted && campaigns.some((c) => c.id === l.campaign_id));
  const liveItemsOf = (campaignId: string) => lineItems.filter((l) => l.campaign_id === campaignId).sort((a, b) => (a.id < b.id ? -1 : 1));

  /** Per bucket: delivery and the objective that decides the result metric. */
  const deliveryOf = (id: string): { per: Delivery[]; objective: string | undefined } | undefined => {
    const zero = (): Delivery => ({ impressions: 0, clicks: 0, results: 0, spendMinor: 0 });
    // The seeded line items run on X itself (ALL_ON_TWITTER): other placements delivered nothing.
    if (q.placement !== 'ALL_ON_TWITTER') return { per: series.map(zero), objective: undefined };
    if (q.entity === 'CAMPAIGN') {
      const c = campaigns.find((k) => k.id === id);
      if (!c) return undefined;
      return { per: series.map((b) => delivery(schedule, c.id, b, nowMs, offset)), objective: liveItemsOf(c.id)[0]?.objective };
    }
    if (q.entity === 'LINE_ITEM') {
      const li = lineItems.find((l) => l.id === id);
      if (!li) return undefined;
      const mine = liveItemsOf(li.campaign_id);
      const part = { index: mine.findIndex((l) => l.id === id), count: mine.length };
      return { per: series.map((b) => delivery(schedule, li.campaign_id, b, nowMs, offset, part)), objective: li.objective };
    }
    if (q.entity === 'ACCOUNT') {
      if (id !== accountId) return undefined;
      return {
        per: series.map((b) => campaigns.map((c) => delivery(schedule, c.id, b, nowMs, offset)).reduce((t, d) => ({
          impressions: t.impressions + d.impressions, clicks: t.clicks + d.clicks, results: t.results + d.results, spendMinor: t.spendMinor + d.spendMinor,
        }), zero())),
        objective: undefined,
      };
    }
    return { per: series.map(zero), objective: undefined };
  };
  const currency = (id: string) => (q.entity === 'CAMPAIGN' ? campaigns.find((c) => c.id === id)?.currency : q.entity === 'LINE_ITEM' ? lineItems.find((l) => l.id === id)?.currency : undefined)
    ?? x.fundingInstruments.find((f) => f.account_id === accountId && f.able_to_fund)?.currency ?? 'USD';
  const metric = (values: number[]) => (values.every((v) => v === 0) ? null : values);

  const data = q.ids.map((id) => {
    const d = deliveryOf(id);
    if (!d) return { id, id_data: [{ segment: null, metrics: {} }] };
    const m: Record<string, number[] | null> = {};
    const result = (objective: string) => (d.objective === objective ? d.per.map((b) => b.results) : d.per.map(() => 0));
    if (q.groups.includes('ENGAGEMENT')) {
      Object.assign(m, {
        impressions: metric(d.per.map((b) => b.impressions)),
        clicks: metric(d.per.map((b) => b.clicks)),
        engagements: metric(d.objective === 'ENGAGEMENTS' ? result('ENGAGEMENTS') : d.per.map((b) => b.clicks)),
        url_clicks: metric(result('WEBSITE_CLICKS')),
        follows: metric(result('FOLLOWERS')),
        likes: null, retweets: null, replies: null,
      });
    }
    if (q.groups.includes('BILLING')) {
      const cur = currency(id);
      Object.assign(m, {
        billed_charge_local_micro: metric(d.per.map((b) => micros(b.spendMinor, cur))),
        billed_engagements: metric(d.per.map((b) => b.clicks)),
      });
    }
    return { id, id_data: [{ segment: null, metrics: m }] };
  });
  return { data_type: 'stats', time_series_length: series.length, data, request: { params: echo } };
}

function accountFor(req: SandboxRequest, x: XState, accountId: string, echo: Record<string, unknown>): SandboxResponse | { zone: string } {
  const account = x.accounts.find((a) => a.id === accountId && !a.deleted);
  if (!account) return adsError(404, 'NOT_FOUND', `Account ${accountId} was not found`, echo);
  const oauth = parseOAuthHeader(req.headers.authorization);
  const cred = x.credentials.find((c) => c.apiKey === oauth?.oauth_consumer_key && c.accessToken === oauth?.oauth_token);
  if (cred?.accountIds && !cred.accountIds.includes(accountId)) {
    return adsError(403, 'UNAUTHORIZED_CLIENT_APPLICATION', `User ${cred.userId} is not authorized to use account ${accountId}`, echo);
  }
  return { zone: account.timezone };
}

function jobView(j: StatsJob, origin: string): Record<string, unknown> {
  const done = j.polls >= 2;
  const p = j.params;
  return {
    id: j.id, id_str: j.id_str, account_id: j.account_id, status: done ? 'SUCCESS' : 'PROCESSING',
    url: done ? `${origin}${DOWNLOADS}${j.token}.json.gz` : null,
    expires_at: done ? iso(new Date(Date.parse(j.asOf) + 7 * 86_400_000)) : null,
    entity: p.entity, entity_ids: (p.entity_ids ?? '').split(','), start_time: p.start_time, end_time: p.end_time, granularity: p.granularity,
    metric_groups: (p.metric_groups ?? '').split(','), placement: p.placement, segmentation_type: p.segmentation_type ?? null, country: null, platform: null,
    created_at: j.created_at, updated_at: j.created_at,
  };
}

function route(req: SandboxRequest, store: StateStore, now: Date): SandboxResponse | undefined {
  const segs = req.path.split('/').filter(Boolean).slice(1); // drop the version
  const state = store.read();
  const x = xOf(state);
  // stats/accounts/:id  |  stats/accounts/:id/active_entities  |  stats/jobs/accounts/:id
  const isJobs = segs[1] === 'jobs';
  const isActive = !isJobs && segs[3] === 'active_entities';
  const accountId = isJobs ? segs[3] : segs[2];
  if (segs[0] !== 'stats' || !accountId || segs.length !== (isJobs || isActive ? 4 : 3)) return undefined;
  const echo = echoOf(req.params, { account_id: accountId });
  const acc = accountFor(req, x, accountId, echo);
  if (isResponse(acc)) return acc;
  if (isActive) return req.method === 'GET' ? activeEntities(req, state, accountId, acc.zone, now, echo) : adsError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on active_entities`, echo);

  if (!isJobs) {
    if (req.method !== 'GET') return adsError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on stats`, echo);
    const q = readQuery(req.params, acc.zone, echo, 7);
    if (isResponse(q)) return q;
    return { status: 200, body: statsBody(x, scheduleOf(state, 'x'), accountId, q, acc.zone, now.getTime(), echo) };
  }
  if (req.method === 'POST') {
    const q = readQuery(req.params, acc.zone, echo, 90);
    if (isResponse(q)) return q;
    return store.mutate((s) => {
      const seq = StateStore.nextSeq(s);
      const id = 1_034_000_000_000 + seq;
      const job: StatsJob = {
        id, id_str: String(id), account_id: accountId, params: { ...req.params }, asOf: now.toISOString(), polls: 0,
        token: randomBytes(12).toString('hex'), created_at: iso(now),
      };
      jobsOf(s).push(job);
      return { status: 200, body: { request: { params: echo }, data_type: 'job', data: jobView(job, req.origin) } };
    });
  }
  if (req.method === 'GET') {
    const wanted = req.params.job_ids?.split(',').map((s) => s.trim()).filter(Boolean);
    if (wanted && wanted.length > 200) return adsError(400, 'INVALID_PARAMETER', 'job_ids takes at most 200 ids', echo, 'job_ids');
    const jobs = store.mutate((s) => jobsOf(s).filter((j) => j.account_id === accountId && (!wanted || wanted.includes(j.id_str))).map((j) => {
      j.polls += 1;
      return { ...j };
    }));
    return { status: 200, body: { request: { params: echo }, data_type: 'job', data: jobs.map((j) => jobView(j, req.origin)), next_cursor: null } };
  }
  return adsError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on stats jobs`, echo);
}

function activeEntities(req: SandboxRequest, state: SandboxState, accountId: string, zone: string, now: Date, echo: Record<string, unknown>): SandboxResponse {
  const p = req.params;
  if (p.entity !== 'CAMPAIGN' && p.entity !== 'LINE_ITEM') {
    return p.entity ? adsError(400, 'INVALID_PARAMETER', `Expected CAMPAIGN or LINE_ITEM for entity in the sandbox, got "${p.entity}"`, echo, 'entity') : adsError(400, 'MISSING_PARAMETER', '"entity" is a required parameter', echo, 'entity');
  }
  if (p.campaign_ids && p.line_item_ids) return adsError(400, 'EXCLUSIVE_PARAMETERS', 'campaign_ids and line_item_ids cannot be used together', echo, 'campaign_ids');
  const campaignIds = p.campaign_ids?.split(',').filter(Boolean);
  const lineItemIds = p.line_item_ids?.split(',').filter(Boolean);
  if ((campaignIds?.length ?? 0) > 200 || (lineItemIds?.length ?? 0) > 200) return adsError(400, 'INVALID_PARAMETER', 'at most 200 ids', echo, campaignIds ? 'campaign_ids' : 'line_item_ids');
  // The same time rules as stats; the ids are checked here, so any one stands in for them.
  const q = readQuery({ ...p, entity_ids: 'x', granularity: 'TOTAL', metric_groups: 'BILLING', placement: 'ALL_ON_TWITTER' }, zone, echo, 90);
  if (isResponse(q)) return q;
  const x = xOf(state);
  const schedule = scheduleOf(state, 'x');
  const offset = offsetAt(q.startMs, zone);
  const range = { startMs: q.startMs, endMs: q.endMs };
  const campaigns = x.campaigns.filter((c) => c.account_id === accountId);
  const active: Array<{ id: string; d: Delivery }> = [];
  if (p.entity === 'CAMPAIGN') {
    for (const c of campaigns) if (!campaignIds || campaignIds.includes(c.id)) active.push({ id: c.id, d: delivery(schedule, c.id, range, now.getTime(), offset) });
  } else {
    for (const c of campaigns) {
      const mine = x.lineItems.filter((l) => l.campaign_id === c.id && !l.deleted).sort((a, b) => (a.id < b.id ? -1 : 1));
      mine.forEach((l, index) => {
        if ((!campaignIds || campaignIds.includes(c.id)) && (!lineItemIds || lineItemIds.includes(l.id))) {
          active.push({ id: l.id, d: delivery(schedule, c.id, range, now.getTime(), offset, { index, count: mine.length }) });
        }
      });
    }
  }
  const until = iso(new Date(Math.min(q.endMs, Math.floor(now.getTime() / HOUR) * HOUR)));
  const data = active.filter((a) => a.d.impressions > 0 || a.d.spendMinor > 0)
    .map((a) => ({ entity_id: a.id, activity_start_time: iso(new Date(q.startMs)), activity_end_time: until, placements: ['ALL_ON_TWITTER'] }));
  return { status: 200, body: { request: { params: echo }, data_type: 'active_entity', data } };
}

function download(req: SandboxRequest, store: StateStore): SandboxResponse {
  const token = req.path.slice(DOWNLOADS.length).replace(/\.json\.gz$/, '');
  const state = store.read();
  const x = xOf(state);
  const job = jobsOf(state).find((j) => j.token === token && j.polls >= 2);
  if (!job || req.method !== 'GET') return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
  const zone = x.accounts.find((a) => a.id === job.account_id)!.timezone;
  const echo = echoOf(job.params, { account_id: job.account_id });
  const q = readQuery(job.params, zone, echo, 90) as Query;
  const body = statsBody(x, scheduleOf(state, 'x'), job.account_id, q, zone, Date.parse(job.asOf), echo);
  return { status: 200, headers: { 'content-type': 'application/gzip' }, body: gzipSync(Buffer.from(JSON.stringify(body))) };
}

/** Registered in server.ts before xModule. */
export const xStatsModule: PlatformModule = {
  ...xModule,
  owns: (path) => /^\/1[12]\/stats\//.test(path),
  async handle(req, ctx) {
    return route(req, ctx.state, ctx.now());
  },
};

/** The async jobs' download host: signed-URL style, no credentials (X serves these files publicly). */
export const xStatsDownloadModule: PlatformModule = {
  ...xModule,
  owns: (path) => path.startsWith(DOWNLOADS),
  authenticate: () => ({ identity: 'download' }),
  async handle(req, ctx) {
    return download(req, ctx.state);
  },
  commonHeaders: () => ({}),
};
