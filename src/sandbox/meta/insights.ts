/**
 * Meta insights in the sandbox (REFERENCE §C.7), from the deterministic delivery model (spend.ts).
 *
 * - Sync: `GET /{act}/insights` with `level` (account | campaign | adset), `fields`,
 *   `time_range={"since","until"}` (dates in the account's zone) or `date_preset`, `filtering`
 *   (`campaign.id` / `adset.id` with IN or EQUAL), `limit` and an `after` cursor. Rows are only
 *   given for objects that delivered (Meta leaves out rows with no impressions and no spend).
 *   Numbers are strings; `spend` is a decimal in major units ("12.34", "3600" for JPY);
 *   `actions` is `[{action_type, value}]` with the objective's result.
 * - Async: `POST /{act}/insights` with the same parameters answers `{report_run_id}`. Each
 *   `GET /{report_run_id}` moves the run along: "Job Not Started" (0 %), "Job Running" (50 %),
 *   then "Job Completed" (100 %). `GET /{report_run_id}/insights` pages the rows, computed as of
 *   the run's creation. Reading the rows of a run that is not complete is Graph's error 100.
 *
 * State: `meta.reportRuns`. Report run ids are 16 digits starting 6400.
 */
import { randomBytes } from 'node:crypto';
import { dateRange, addDays, isDate, localDate, monthStart } from '../../core/calendar.js';
import { offsetAt } from '../../core/time.js';
import { StateStore, type SandboxState } from '../state.js';
import type { PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { delivery, majorString, scheduleOf, type Delivery } from '../spend.js';
import { metaModule } from './index.js';

interface Account { id: string; account_id: string; name: string; currency: string; timezone_name: string }
interface Campaign { id: string; account_id: string; name: string; objective: string; status: string }
interface AdSet { id: string; campaign_id: string; name: string; status?: string }
interface ReportRun { id: string; account: string; params: Record<string, string>; asOf: string; polls: number; createdAt: string }

const RUN_ID = /^6400\d{12}$/;
const LEVELS = ['account', 'campaign', 'adset'];
const PRESETS = ['today', 'yesterday', 'last_3d', 'last_7d', 'last_14d', 'last_30d', 'this_month'];
const PROGRESS: Array<[string, number]> = [['Job Not Started', 0], ['Job Running', 50], ['Job Completed', 100]];

/** The action type Meta counts as a campaign's result, per objective. */
const RESULT_ACTION: Record<string, string> = {
  OUTCOME_TRAFFIC: 'link_click', OUTCOME_SALES: 'offsite_conversion.fb_pixel_purchase', OUTCOME_LEADS: 'lead',
  OUTCOME_ENGAGEMENT: 'post_engagement', OUTCOME_APP_PROMOTION: 'mobile_app_install',
};

const metaState = (s: SandboxState) => s.meta as unknown as { adAccounts: Account[]; campaigns: Campaign[]; adSets?: AdSet[]; adsets?: AdSet[]; reportRuns?: ReportRun[] };
/** Ad sets, wherever the ad set routes keep them; deleted ones do not deliver. */
const adSetsOf = (s: SandboxState) => [...(metaState(s).adSets ?? []), ...(metaState(s).adsets ?? [])].filter((a) => a.status !== 'DELETED');

function error(message: string, extra: Record<string, unknown> = {}): SandboxResponse {
  return { status: 400, body: { error: { message, type: 'OAuthException', code: 100, fbtrace_id: randomBytes(8).toString('base64url'), ...extra } } };
}

/** Parsed insights parameters, or Graph's error for the first bad one. */
function readParams(p: Record<string, string>, account: Account, now: Date): { level: string; since: string; until: string; fields: string[]; ids?: { field: string; values: string[] } } | SandboxResponse {
  const level = p.level ?? 'account';
  if (!LEVELS.includes(level) && level !== 'ad') return error(`(#100) level must be one of the following values: ad, adset, campaign, account`);
  if (level === 'ad') return error('(#100) The sandbox has no ads; ask for level adset, campaign or account');
  const today = localDate(now.getTime(), account.timezone_name);
  let since: string;
  let until: string;
  if (p.time_range !== undefined) {
    let tr: { since?: unknown; until?: unknown };
    try {
      tr = JSON.parse(p.time_range) as typeof tr;
    } catch {
      return error('(#100) param time_range must be a JSON object with since and until', { error_subcode: 1487534 });
    }
    if (typeof tr?.since !== 'string' || typeof tr.until !== 'string' || !isDate(tr.since) || !isDate(tr.until)) {
      return error('(#100) time_range must have since and until as YYYY-MM-DD dates', { error_subcode: 1487534 });
    }
    since = tr.since;
    until = tr.until;
    if (since > until) return error('(#100) time_range: since must be on or before until', { error_subcode: 1487534 });
  } else {
    const preset = p.date_preset ?? 'last_30d';
    if (!PRESETS.includes(preset)) return error(`(#100) date_preset must be one of the following values: ${PRESETS.join(', ')}`);
    const days: Record<string, [number, number]> = { today: [0, 0], yesterday: [1, 1], last_3d: [3, 1], last_7d: [7, 1], last_14d: [14, 1], last_30d: [30, 1] };
    if (preset === 'this_month') [since, until] = [monthStart(today), today];
    else [since, until] = [addDays(today, -days[preset]![0]), addDays(today, -days[preset]![1])];
  }
  const fields = (p.fields ?? 'impressions,spend').split(',').map((f) => f.trim()).filter(Boolean);
  let ids: { field: string; values: string[] } | undefined;
  if (p.filtering !== undefined) {
    let f: unknown;
    try {
      f = JSON.parse(p.filtering);
    } catch {
      return error('(#100) param filtering must be a JSON array');
    }
    if (!Array.isArray(f)) return error('(#100) param filtering must be a JSON array');
    for (const rule of f as Array<{ field?: unknown; operator?: unknown; value?: unknown }>) {
      if (rule.field !== 'campaign.id' && rule.field !== 'adset.id') return error(`(#100) Filtering field ${String(rule.field)} is not supported by the sandbox`);
      if (rule.operator !== 'IN' && rule.operator !== 'EQUAL') return error(`(#100) Filtering operator ${String(rule.operator)} is not supported for ${rule.field}`);
      const values = Array.isArray(rule.value) ? rule.value.map(String) : [String(rule.value)];
      ids = { field: rule.field, values };
    }
  }
  return { level, since, until, fields, ...(ids ? { ids } : {}) };
}

const isResponse = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'status' in x && 'body' in x;

/** Insights rows for an account, as of `asOf`. */
function rows(state: SandboxState, account: Account, p: Exclude<ReturnType<typeof readParams>, SandboxResponse>, asOf: Date): Array<Record<string, unknown>> {
  const zone = account.timezone_name;
  const range = dateRange(p.since, p.until, zone);
  const offset = offsetAt(range.startMs, zone);
  const schedule = scheduleOf(state, 'meta');
  const campaigns = metaState(state).campaigns.filter((c) => c.account_id === account.account_id);
  const adSets = adSetsOf(state);
  const of = (campaignId: string, part?: { index: number; count: number }) => delivery(schedule, campaignId, range, asOf.getTime(), offset, part);
  type Entity = { d: Delivery; campaign: Campaign; adSet?: AdSet };
  let entities: Entity[] = [];
  if (p.level === 'adset') {
    for (const c of campaigns) {
      const mine = adSets.filter((a) => a.campaign_id === c.id).sort((a, b) => (a.id < b.id ? -1 : 1));
      mine.forEach((a, index) => entities.push({ d: of(c.id, { index, count: mine.length }), campaign: c, adSet: a }));
    }
  } else {
    entities = campaigns.map((c) => ({ d: of(c.id), campaign: c }));
  }
  if (p.ids) {
    const want = new Set(p.ids.values);
    entities = entities.filter((e) => want.has(p.ids!.field === 'adset.id' ? (e.adSet?.id ?? '') : e.campaign.id));
  }
  entities = entities.filter((e) => e.d.impressions > 0 || e.d.spendMinor > 0);
  if (p.level === 'account') {
    if (entities.length === 0) return [];
    const total = entities.reduce((t, e) => ({ impressions: t.impressions + e.d.impressions, clicks: t.clicks + e.d.clicks, results: t.results + e.d.results, spendMinor: t.spendMinor + e.d.spendMinor }),
      { impressions: 0, clicks: 0, results: 0, spendMinor: 0 });
    return [view(p, account, total, undefined, undefined, [])];
  }
  return entities.map((e) => view(p, account, e.d, e.campaign, e.adSet, e.d.results > 0 && RESULT_ACTION[e.campaign.objective] ? [{ action_type: RESULT_ACTION[e.campaign.objective], value: String(e.d.results) }] : []));
}

/** Graph's ratios: strings with up to 6 decimals (they are derived figures; adctl recomputes its own). */
const ratio = (num: number, den: number) => (den === 0 ? '0' : String(Math.round((num / den) * 1e6) / 1e6));

function view(p: { fields: string[]; since: string; until: string }, account: Account, d: Delivery, c: Campaign | undefined, a: AdSet | undefined, actions: unknown[]): Record<string, unknown> {
  const spend = majorString(d.spendMinor, account.currency);
  const all: Record<string, unknown> = {
    account_id: account.account_id, account_name: account.name, account_currency: account.currency,
    ...(c ? { campaign_id: c.id, campaign_name: c.name, objective: c.objective } : {}),
    ...(a ? { adset_id: a.id, adset_name: a.name } : {}),
    impressions: String(d.impressions), clicks: String(d.clicks), spend,
    ctr: ratio(d.clicks * 100, d.impressions), cpc: ratio(Number(spend), d.clicks), cpm: ratio(Number(spend) * 1000, d.impressions),
    actions,
  };
  const out: Record<string, unknown> = {};
  for (const f of p.fields) if (f in all && !(f === 'actions' && actions.length === 0)) out[f] = all[f];
  out.date_start = p.since;
  out.date_stop = p.until;
  return out;
}

function page(req: SandboxRequest, data: Array<Record<string, unknown>>): SandboxResponse {
  const limit = Math.min(Math.max(Number(req.params.limit ?? 25) || 25, 1), 500);
  let start = 0;
  if (req.params.after) {
    const n = Number(Buffer.from(req.params.after, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) return error('(#100) Invalid cursor');
    start = n;
  }
  const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
  const slice = data.slice(start, start + limit);
  const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + slice.length) } };
  if (start + limit < data.length) {
    const q = new URLSearchParams(req.query);
    q.set('after', cursor(start + limit));
    q.set('limit', String(limit));
    paging.next = `${req.origin}${req.path}?${q.toString()}`;
  }
  return { status: 200, body: { data: slice, paging } };
}

/** The parameters a report run keeps (the query of the POST, without credentials). */
const KEPT = ['level', 'fields', 'time_range', 'date_preset', 'filtering'];

function route(req: SandboxRequest, store: StateStore, now: Date): SandboxResponse | undefined {
  const [, node, edge] = req.path.split('/').filter(Boolean) as [string, string, string | undefined];
  const state = store.read();
  if (node.startsWith('act_')) {
    const account = metaState(state).adAccounts.find((a) => a.id === node);
    if (!account) return error(`(#100) Unsupported get request. Object with ID '${node}' does not exist`, { error_subcode: 33 });
    const p = readParams(req.params, account, now);
    if (isResponse(p)) return p;
    if (req.method === 'GET') return page(req, rows(state, account, p, now));
    if (req.method !== 'POST') return undefined;
    return store.mutate((s) => {
      const id = `6400${String(StateStore.nextSeq(s)).padStart(12, '0')}`;
      const params = Object.fromEntries(KEPT.filter((k) => req.params[k] !== undefined).map((k) => [k, req.params[k]!]));
      (metaState(s).reportRuns ??= []).push({ id, account: account.id, params, asOf: now.toISOString(), polls: 0, createdAt: now.toISOString() });
      return { status: 200, body: { report_run_id: id } };
    });
  }
  const run = (metaState(state).reportRuns ?? []).find((r) => r.id === node);
  if (!run) return error(`(#100) Unsupported get request. Object with ID '${node}' does not exist`, { error_subcode: 33 });
  const account = metaState(state).adAccounts.find((a) => a.id === run.account)!;
  const p = readParams(run.params, account, new Date(run.asOf)) as Exclude<ReturnType<typeof readParams>, SandboxResponse>;
  if (!edge && req.method === 'GET') {
    const polls = store.mutate((s) => {
      const r = metaState(s).reportRuns!.find((x) => x.id === node)!;
      r.polls += 1;
      return r.polls;
    });
    const [status, pct] = PROGRESS[Math.min(polls - 1, PROGRESS.length - 1)]!;
    return {
      status: 200,
      body: {
        id: run.id, account_id: account.account_id, async_status: status, async_percent_completion: pct, date_start: p.since, date_stop: p.until,
        time_ref: Math.floor(Date.parse(run.createdAt) / 1000), ...(pct === 100 ? { time_completed: Math.floor(Date.parse(run.asOf) / 1000) } : {}),
      },
    };
  }
  if (edge === 'insights' && req.method === 'GET') {
    if (run.polls < PROGRESS.length) return error('(#100) The report run is not complete yet: poll it until async_status is "Job Completed"', { error_subcode: 2490537 });
    return page(req, rows(state, account, p, new Date(run.asOf)));
  }
  return undefined;
}

/** Registered in server.ts before metaModule: `/{act}/insights`, `/{report_run_id}` and its `/insights`. */
export const metaInsightsModule: PlatformModule = {
  ...metaModule,
  owns(path) {
    const m = /^\/v\d+\.\d+\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
    if (!m) return false;
    const [, node, edge] = m as unknown as [string, string, string | undefined];
    if (node.startsWith('act_')) return edge === 'insights';
    return RUN_ID.test(node) && (edge === undefined || edge === 'insights');
  },
  async handle(req, ctx) {
    return route(req, ctx.state, ctx.now());
  },
};
