/**
 * X Ads analytics (issue 4, REFERENCE §B.9): `getInsights` for campaigns and line items.
 *
 * - The period's dates are days of the ads account's zone: `start_time` is the account's local
 *   midnight of `since` and `end_time` (exclusive) that of the day after `until`, sent as UTC
 *   instants. Both are whole hours in the account's zone, as X requires.
 * - First `GET /12/stats/accounts/:id/active_entities` (windows of at most 90 days; filtered by the
 *   ids asked for, 200 per call) says which campaigns or line items had activity, deleted ones
 *   included, and on which placements. Only those are asked about; objects with no row spent nothing.
 * - Periods of up to 7 days: `GET /12/stats/accounts/:id` with `granularity=TOTAL`,
 *   `metric_groups=ENGAGEMENT,BILLING`, 20 `entity_ids` per call, once per placement the objects
 *   were active on (X reports ALL_ON_TWITTER and PUBLISHER_NETWORK separately; a total needs both).
 * - Longer periods: async jobs, `POST /12/stats/jobs/accounts/:id` (windows of at most 90 days),
 *   polled with `GET …?job_ids=` until SUCCESS, then the gzipped JSON at the job's `url` is
 *   downloaded without credentials (it is a signed, short-lived URL; https only, or http on
 *   loopback). A FAILED job ends with REPORT_FAILED (exit 1); one still running after
 *   `ASYNC_WAIT_MS` with REPORT_PENDING (exit 75). Under --dry-run the sync endpoint is used in
 *   7-day windows, since a dry run sends no POST.
 * - Money: `billed_charge_local_micro` is summed as integer micros and converted to minor units
 *   exactly (`spendMicros` keeps the micros when X bills finer than the minor unit).
 * - Results: the metric of the line items' objective (WEBSITE_CLICKS → url_clicks,
 *   FOLLOWERS → follows, ENGAGEMENTS → engagements); null for objectives whose results live in
 *   metric groups not asked for (conversions, video).
 * - Names and objectives come from the campaign and line item lists (`with_deleted=true`).
 *
 * Read-only and idempotent: repeating any of these calls is harmless.
 */
import { gunzipSync } from 'node:zlib';
import * as z from '../../core/zod.js';
import type { AdapterContext, PlatformAdapter } from '../../core/adapter.js';
import { addDays, dayStart, daysBetween } from '../../core/calendar.js';
import { AdctlError, ExitCode } from '../../core/errors.js';
import { toAdctlError, type CallSpec, type ClassifiedFailure } from '../../core/http-policy.js';
import type { AdAccount, InsightsQuery, InsightsRow } from '../../core/model.js';
import { currencyExponent } from '../../core/money.js';

export const X_SYNC_MAX_DAYS = 7;
const X_ASYNC_MAX_DAYS = 90;
const ENTITY_IDS_PER_CALL = 20;
const PLACEMENTS = ['ALL_ON_TWITTER', 'PUBLISHER_NETWORK'];
const ASYNC_WAIT_MS = 10 * 60_000;
const POLL_DELAYS_MS = [0, 200, 400, 800, 1600, 3200, 5000];

const Series = z.array(z.number().int().nonnegative().nullable()).nullable().optional();
const XStatsWire = z.object({
  data: z.array(z.object({
    id: z.string().min(1),
    id_data: z.array(z.object({ metrics: z.record(z.string(), Series) }).loose()),
  }).loose()),
}).loose();
const XJob = z.object({ id_str: z.string().min(1), status: z.string(), url: z.string().nullable().optional() }).loose();
const XJobCreated = z.object({ data: XJob }).loose();
const XJobList = z.object({ data: z.array(XJob) }).loose();
const XActiveEntities = z.object({ data: z.array(z.object({ entity_id: z.string().min(1), placements: z.array(z.string()).optional() }).loose()) }).loose();
const XNamed = z.object({ id: z.string().min(1), name: z.string().nullable().optional(), campaign_id: z.string().optional(), objective: z.string().optional(), deleted: z.boolean().optional() }).loose();

const RESULT_METRIC: Record<string, string> = { WEBSITE_CLICKS: 'url_clicks', FOLLOWERS: 'follows', ENGAGEMENTS: 'engagements' };

export type Call = <T extends z.ZodType>(spec: Omit<CallSpec, 'bucket'> & { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; object?: string; jsonBody?: unknown[] }, path: string, params: Record<string, unknown>, schema: T) => Promise<z.infer<T>>;
export type ListAll = <T extends z.ZodType>(label: string, path: string, query: Record<string, unknown>, item: T) => Promise<Array<z.infer<T>>>;

export interface XInsightsDeps {
  call: Call;
  listAll: ListAll;
  accountId(): string;
  getAccount(): Promise<AdAccount>;
}

/** Micros to ISO minor units, truncated toward zero when finer (InsightsRow.spendMicros keeps the exact value). */
const microsToMinor = (micros: number, currency: string) => Math.trunc(micros / 10 ** (6 - (currencyExponent(currency) ?? 2)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const chunks = <T>(list: T[], n: number) => Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));

/** Consecutive windows of at most `max` days covering since…until. */
function windows(since: string, until: string, max: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let d = since; d <= until; d = addDays(d, max)) {
    const end = addDays(d, max - 1);
    out.push([d, end < until ? end : until]);
  }
  return out;
}

/** Job files live on X's download host: https, or http only on a loopback address (the sandbox). */
function checkedUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw toAdctlError('x', { kind: 'malformed', message: 'X: a stats job has no valid download url', notApplied: true });
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw toAdctlError('x', { kind: 'malformed', message: `X: refusing to download stats over ${u.protocol} from ${u.hostname}`, notApplied: true });
  }
  return u.toString();
}

export function createXInsights(ctx: AdapterContext, deps: XInsightsDeps): Required<Pick<PlatformAdapter, 'getInsights'>> {
  const read = (label: string) => ({ label, method: 'GET' as const, write: false, idempotent: true });

  async function download(url: string): Promise<z.infer<typeof XStatsWire>> {
    const target = checkedUrl(url);
    // The file name is the URL's only credential (anyone holding it may read the stats): never shown.
    const shown = ctx.redact(target.replace(/[?#].*$/, '').replace(/[^/]+$/, '[REDACTED]'));
    const classify = (e: unknown): ClassifiedFailure => {
      if (e instanceof StatusError) return { kind: e.status >= 500 ? 'server' : e.status === 404 ? 'not_found' : 'invalid', status: e.status, message: `X: the stats job file answered HTTP ${e.status}`, notApplied: true };
      if (e instanceof Error && e.name === 'TimeoutError') return { kind: 'timeout', message: 'X: downloading the stats job file timed out', notApplied: true };
      if (e instanceof z.ZodError || e instanceof SyntaxError || (e instanceof Error && /incorrect header|unexpected end/i.test(e.message))) {
        return { kind: 'malformed', message: 'X: the stats job file is not gzipped stats JSON', notApplied: true };
      }
      return { kind: 'network', message: `X: downloading the stats job file failed (${e instanceof Error ? e.message : String(e)})`, notApplied: true };
    };
    return ctx.http.run({ label: 'GET stats job file', write: false, idempotent: true }, async () => {
      const started = Date.now();
      ctx.observer.request({ method: 'GET', url: shown });
      const res = await fetch(target, { signal: AbortSignal.timeout(ctx.timeoutMs), redirect: 'error' });
      const body = Buffer.from(await res.arrayBuffer());
      ctx.observer.response({ method: 'GET', url: shown, status: res.status, ms: Date.now() - started });
      if (!res.ok) throw new StatusError(res.status);
      const json = JSON.parse((body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('utf8')) as unknown;
      return XStatsWire.parse(json);
    }, classify);
  }

  async function viaJobs(account: string, requests: Array<Record<string, unknown>>): Promise<Array<z.infer<typeof XStatsWire>>> {
    const path = `stats/jobs/accounts/${account}`;
    const ids: string[] = [];
    // Creating a job changes nothing billable; a repeated create only makes another job.
    for (const r of requests) ids.push((await deps.call({ label: 'POST stats job', method: 'POST', write: false, idempotent: true }, path, r, XJobCreated)).data.id_str);
    const done = new Map<string, string>();
    const started = Date.now();
    for (let i = 0; done.size < ids.length; i++) {
      await sleep(POLL_DELAYS_MS[Math.min(i, POLL_DELAYS_MS.length - 1)]!);
      const pending = ids.filter((id) => !done.has(id));
      for (const batch of chunks(pending, 200)) {
        const jobs = await deps.call(read('GET stats jobs'), path, { job_ids: batch.join(',') }, XJobList);
        for (const j of jobs.data) {
          if (j.status === 'SUCCESS' && j.url) done.set(j.id_str, j.url);
          else if (j.status === 'FAILED' || j.status === 'CANCELLED' || j.status === 'EXPIRED') {
            throw new AdctlError('REPORT_FAILED', `X: stats job ${j.id_str} ended with ${j.status}`, ExitCode.FAILURE, { platform: 'x', hint: 'run the command again; for very long periods, ask for a shorter one' });
          }
        }
      }
      if (done.size < ids.length && Date.now() - started > ASYNC_WAIT_MS) {
        throw new AdctlError('REPORT_PENDING', `X: ${ids.length - done.size} stats job(s) still processing after ${ASYNC_WAIT_MS / 60_000} minutes`, ExitCode.TEMPORARY, {
          platform: 'x', retryable: true, hint: 'nothing is lost: run the command again later',
        });
      }
    }
    const out: Array<z.infer<typeof XStatsWire>> = [];
    for (const id of ids) out.push(await download(done.get(id)!));
    return out;
  }

  return {
    async getInsights(query: InsightsQuery): Promise<InsightsRow[]> {
      const account = await deps.getAccount();
      const id = deps.accountId();
      const lineItemLevel = query.level === 'adgroup';
      if (query.ids?.length === 0) return [];

      const entity = lineItemLevel ? 'LINE_ITEM' : 'CAMPAIGN';
      const days = daysBetween(query.since, query.until) + 1;
      const useJobs = days > X_SYNC_MAX_DAYS && !ctx.dryRun;
      const span = (since: string, until: string) => ({
        start_time: utc(dayStart(since, account.timezone)), end_time: utc(dayStart(addDays(until, 1), account.timezone)),
      });

      // Which objects had activity, and on which placements (X's recommended first step): deleted
      // ones included, so their spend still counts; nothing is asked about idle objects.
      const placementsOf = new Map<string, Set<string>>();
      for (const [since, until] of windows(query.since, query.until, X_ASYNC_MAX_DAYS)) {
        for (const only of query.ids ? chunks(query.ids, 200) : [undefined]) {
          const filter = only ? { [lineItemLevel ? 'line_item_ids' : 'campaign_ids']: only.join(',') } : {};
          const active = await deps.call(read('GET active_entities'), `stats/accounts/${id}/active_entities`, { entity, ...span(since, until), ...filter }, XActiveEntities);
          for (const a of active.data) {
            const set = placementsOf.get(a.entity_id) ?? new Set<string>();
            for (const p of a.placements ?? PLACEMENTS) set.add(p);
            placementsOf.set(a.entity_id, set);
          }
        }
      }
      const ids = [...placementsOf.keys()];
      if (ids.length === 0) return [];

      // Names and objectives (v12 keeps objectives on line items: a campaign's is its line items').
      const list = async (label: string, collection: string, key: string, only: string[]) => {
        const out = [];
        for (const part of chunks(only, 200)) out.push(...await deps.listAll(label, `accounts/${id}/${collection}`, { with_draft: true, with_deleted: true, [key]: part.join(',') }, XNamed));
        return out;
      };
      const objects = lineItemLevel ? await list('GET line_items', 'line_items', 'line_item_ids', ids) : await list('GET campaigns', 'campaigns', 'campaign_ids', ids);
      const objective = new Map<string, string | undefined>();
      if (lineItemLevel) for (const li of objects) objective.set(li.id, li.objective);
      else {
        const items = await list('GET line_items', 'line_items', 'campaign_ids', ids);
        for (const c of ids) {
          const kinds = new Set(items.filter((li) => li.campaign_id === c && !li.deleted).map((li) => li.objective));
          objective.set(c, kinds.size === 1 ? [...kinds][0] : undefined);
        }
      }

      const requests: Array<Record<string, unknown>> = [];
      for (const [since, until] of windows(query.since, query.until, useJobs ? X_ASYNC_MAX_DAYS : X_SYNC_MAX_DAYS)) {
        for (const placement of PLACEMENTS) {
          const onIt = ids.filter((e) => placementsOf.get(e)!.has(placement));
          for (const batch of chunks(onIt, ENTITY_IDS_PER_CALL)) {
            requests.push({ entity, entity_ids: batch.join(','), ...span(since, until), granularity: 'TOTAL', metric_groups: 'ENGAGEMENT,BILLING', placement });
          }
        }
      }
      const answers = useJobs
        ? await viaJobs(id, requests)
        : await Promise.all(requests.map((r) => deps.call(read('GET stats'), `stats/accounts/${id}`, r, XStatsWire)));

      const totals = new Map<string, { impressions: number; clicks: number; micros: number; results: number }>();
      for (const answer of answers) {
        for (const entity of answer.data) {
          const t = totals.get(entity.id) ?? { impressions: 0, clicks: 0, micros: 0, results: 0 };
          const metric = RESULT_METRIC[objective.get(entity.id) ?? ''];
          for (const d of entity.id_data) {
            const sum = (name: string) => (d.metrics[name] ?? []).reduce<number>((a, v) => a + (v ?? 0), 0);
            t.impressions += sum('impressions');
            t.clicks += sum('clicks');
            t.micros += sum('billed_charge_local_micro');
            if (metric) t.results += sum(metric);
          }
          totals.set(entity.id, t);
        }
      }
      const names = new Map(objects.map((o) => [o.id, o.name ?? null]));
      return [...totals].map(([entityId, t]) => ({
        ref: `x:${entityId}`,
        platform: 'x' as const,
        level: query.level,
        id: entityId,
        name: names.get(entityId) ?? null,
        since: query.since,
        until: query.until,
        impressions: t.impressions,
        clicks: t.clicks,
        spendMinor: microsToMinor(t.micros, account.currency),
        spendMicros: t.micros,
        currency: account.currency,
        results: RESULT_METRIC[objective.get(entityId) ?? ''] ? t.results : null,
      }));
    },
  };
}

class StatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}
