/**
 * Meta insights (issue 4, REFERENCE §C.7): `getInsights` for campaigns and ad sets.
 *
 * - Periods of up to 7 days: `GET /{act}/insights` with `level`, `time_range={"since","until"}`
 *   (Meta reads these dates in the ad account's zone, which is what InsightsQuery means),
 *   `fields` and, for given ids, `filtering=[{field:"campaign.id"|"adset.id",operator:"IN",…}]`;
 *   pages are followed through `paging.next`.
 * - Longer periods: an async report run, `POST /{act}/insights` → `report_run_id`, polled with
 *   `GET /{report_run_id}` (`async_status`, `async_percent_completion`) until "Job Completed",
 *   then `GET /{report_run_id}/insights`. "Job Failed" / "Job Skipped" end with REPORT_FAILED
 *   (exit 1); a run still going after `ASYNC_WAIT_MS` ends with REPORT_PENDING (exit 75: nothing
 *   is lost, run the command again). Under --dry-run the sync endpoint is used, since a dry run
 *   sends no POST.
 * - Money: `spend` is a decimal string in major units ("12.34", "3600" for JPY). It is read
 *   exactly into micros and minor units, never through a float; more than 6 decimals is refused as
 *   a malformed answer.
 * - Results: the count of the action the campaign objective optimises for (link clicks for
 *   traffic, purchases for sales, …); null for objectives with no action result (awareness).
 *
 * Read-only and idempotent: repeating any of these calls is harmless.
 */
import * as z from '../../core/zod.js';
import type { AdapterContext, PlatformAdapter } from '../../core/adapter.js';
import { daysBetween } from '../../core/calendar.js';
import { AdctlError, ExitCode } from '../../core/errors.js';
import { toAdctlError } from '../../core/http-policy.js';
import { currencyExponent } from '../../core/money.js';
import type { AdAccount, InsightsQuery, InsightsRow } from '../../core/model.js';
import { allPages } from './paging.js';
import type { GraphCall } from './posts.js';

/** Longest period read synchronously; longer ones go through an async report run. */
export const META_SYNC_MAX_DAYS = 7;
const ASYNC_WAIT_MS = 10 * 60_000;
/** Waits between report-run polls: quick first, then every 5 s. */
const POLL_DELAYS_MS = [0, 200, 400, 800, 1600, 3200];

const Count = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number);
const MetaInsightWire = z.object({
  campaign_id: z.string().optional(),
  campaign_name: z.string().optional(),
  adset_id: z.string().optional(),
  adset_name: z.string().optional(),
  objective: z.string().optional(),
  impressions: Count.optional(),
  clicks: Count.optional(),
  spend: z.union([z.string(), z.number()]).optional(),
  actions: z.array(z.object({ action_type: z.string(), value: Count }).loose()).optional(),
  date_start: z.string().optional(),
  date_stop: z.string().optional(),
}).loose();
const MetaInsightsPage = z.object({
  data: z.array(MetaInsightWire),
  paging: z.object({ next: z.string().url().optional() }).loose().optional(),
}).loose();
const ReportRunCreated = z.object({ report_run_id: z.union([z.string().min(1), z.number()]).transform(String) }).loose();
const ReportRunStatus = z.object({
  async_status: z.string(),
  async_percent_completion: z.number().optional(),
}).loose();

/** The action Meta counts as a result, per objective (outcome objectives and the legacy ones). */
const RESULT_ACTIONS: Record<string, string[]> = {
  OUTCOME_TRAFFIC: ['link_click'], LINK_CLICKS: ['link_click'],
  OUTCOME_SALES: ['offsite_conversion.fb_pixel_purchase', 'omni_purchase', 'purchase'], CONVERSIONS: ['offsite_conversion.fb_pixel_purchase', 'omni_purchase', 'purchase'],
  OUTCOME_LEADS: ['lead', 'onsite_conversion.lead_grouped', 'offsite_conversion.fb_pixel_lead'], LEAD_GENERATION: ['lead', 'onsite_conversion.lead_grouped'],
  OUTCOME_ENGAGEMENT: ['post_engagement'], POST_ENGAGEMENT: ['post_engagement'],
  OUTCOME_APP_PROMOTION: ['mobile_app_install', 'app_install'], APP_INSTALLS: ['mobile_app_install', 'app_install'],
  VIDEO_VIEWS: ['video_view'], PAGE_LIKES: ['like'],
};

/** A decimal string of major units as exact micros: "12.34" → 12340000. */
export function decimalToMicros(text: string | number): number {
  const s = String(text).trim();
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) throw toAdctlError('meta', { kind: 'malformed', message: `Meta insights: spend "${s}" is not a decimal amount`, notApplied: true });
  const v = Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
  if (!Number.isSafeInteger(v)) throw toAdctlError('meta', { kind: 'malformed', message: `Meta insights: spend "${s}" is too large`, notApplied: true });
  return v;
}

/** Micros to ISO minor units, truncated toward zero when finer (InsightsRow.spendMicros keeps the exact value). */
export function microsToMinor(micros: number, currency: string): number {
  return Math.trunc(micros / 10 ** (6 - (currencyExponent(currency) ?? 2)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createMetaInsights(
  ctx: AdapterContext, graphCall: GraphCall, deps: { getAccount(): Promise<AdAccount>; account(): string },
): Required<Pick<PlatformAdapter, 'getInsights'>> {
  const read = (label: string) => ({ label, write: false, idempotent: true });

  const pages = (first: z.infer<typeof MetaInsightsPage>): Promise<Array<z.infer<typeof MetaInsightWire>>> =>
    allPages(first, (next) => graphCall(read('GET insights (next page)'), 'GET', next, {}, MetaInsightsPage));

  async function asyncReport(act: string, params: Record<string, unknown>): Promise<Array<z.infer<typeof MetaInsightWire>>> {
    // Creating a report run changes nothing billable; repeating it only makes another run.
    const { report_run_id: run } = await graphCall({ label: 'POST insights (report run)', write: false, idempotent: true }, 'POST', [act, 'insights'], params, ReportRunCreated);
    const started = Date.now();
    for (let i = 0; ; i++) {
      await sleep(POLL_DELAYS_MS[Math.min(i, POLL_DELAYS_MS.length - 1)]! + (i >= POLL_DELAYS_MS.length ? 1800 : 0));
      const s = await graphCall(read('GET report run'), 'GET', [run], { fields: 'id,async_status,async_percent_completion' }, ReportRunStatus);
      if (s.async_status === 'Job Completed') break;
      if (s.async_status === 'Job Failed' || s.async_status === 'Job Skipped') {
        throw new AdctlError('REPORT_FAILED', `Meta: the insights report run ${run} ended with "${s.async_status}"`, ExitCode.FAILURE, {
          platform: 'meta', hint: 'run the command again; for very long periods, ask for a shorter one',
        });
      }
      if (Date.now() - started > ASYNC_WAIT_MS) {
        throw new AdctlError('REPORT_PENDING', `Meta: the insights report run ${run} is still at ${s.async_percent_completion ?? 0}% after ${ASYNC_WAIT_MS / 60_000} minutes`, ExitCode.TEMPORARY, {
          platform: 'meta', retryable: true, hint: 'nothing is lost: run the command again later',
        });
      }
    }
    return pages(await graphCall(read('GET report run insights'), 'GET', [run, 'insights'], { limit: 500 }, MetaInsightsPage));
  }

  return {
    async getInsights(query: InsightsQuery): Promise<InsightsRow[]> {
      const account = await deps.getAccount();
      const act = deps.account();
      const adset = query.level === 'adgroup';
      const params: Record<string, unknown> = {
        level: adset ? 'adset' : 'campaign',
        fields: [...(adset ? ['adset_id', 'adset_name'] : []), 'campaign_id', 'campaign_name', 'objective', 'impressions', 'clicks', 'spend', 'actions'].join(','),
        time_range: JSON.stringify({ since: query.since, until: query.until }),
        limit: 500,
      };
      if (query.ids) {
        if (query.ids.length === 0) return [];
        params.filtering = JSON.stringify([{ field: adset ? 'adset.id' : 'campaign.id', operator: 'IN', value: query.ids }]);
      }
      const long = daysBetween(query.since, query.until) + 1 > META_SYNC_MAX_DAYS;
      const wire = long && !ctx.dryRun
        ? await asyncReport(act, params)
        : await pages(await graphCall(read('GET insights'), 'GET', [act, 'insights'], params, MetaInsightsPage));
      return wire.map((r) => {
        const id = (adset ? r.adset_id : r.campaign_id) ?? '';
        if (!id) throw toAdctlError('meta', { kind: 'malformed', message: `Meta insights: a row has no ${adset ? 'adset_id' : 'campaign_id'}`, notApplied: true });
        const spendMicros = decimalToMicros(r.spend ?? '0');
        const wanted = r.objective ? RESULT_ACTIONS[r.objective] : undefined;
        const action = wanted ? wanted.map((t) => r.actions?.find((a) => a.action_type === t)).find(Boolean) : undefined;
        return {
          ref: `meta:${id}`,
          platform: 'meta' as const,
          level: query.level,
          id,
          name: (adset ? r.adset_name : r.campaign_name) ?? null,
          since: query.since,
          until: query.until,
          impressions: r.impressions ?? 0,
          clicks: r.clicks ?? 0,
          spendMinor: microsToMinor(spendMicros, account.currency),
          spendMicros,
          currency: account.currency,
          results: wanted ? (action?.value ?? 0) : null,
        };
      });
    },
  };
}
