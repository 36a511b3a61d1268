/**
 * `report`: performance per campaign or ad group across platforms, from Meta insights and X Ads
 * stats: impressions, clicks, spend, CTR, CPC, CPM and results.
 *
 * Contract:
 * - Dates are days of each ad account's zone, resolved per account like `budget report`.
 * - One row per object that delivered in the period (impressions, clicks or spend above 0), in
 *   platform then name order.
 * - Ratios are computed from the exact integers (spend in micros) and rounded half up once:
 *   CTR = clicks ÷ impressions × 100 with 2 decimals ("2.50"); CPC = spend ÷ clicks and
 *   CPM = spend × 1000 ÷ impressions as money in the currency's decimals. A ratio whose
 *   denominator is 0 is null. Money is never a float.
 * - One platform failing does not hide the others (exit 3). Read-only.
 */
import { AdctlError, ExitCode } from '../core/errors.js';
import type { MoneyJson } from '../core/money.js';
import type { Platform } from '../core/model.js';
import { getAccount } from './accounts.js';
import { exactMoney, rowMicros, type PlatformFailure } from './budget-report.js';
import { decimalString, frac, moneyString } from './pacing.js';
import { checkPeriod, resolvePeriod, type PeriodSpec } from './period.js';
import type { Session } from './session.js';

export type ReportLevel = 'campaign' | 'adgroup';

export interface PerformanceRow {
  ref: string;
  platform: Platform;
  level: ReportLevel;
  id: string;
  name: string | null;
  account: string;
  since: string;
  until: string;
  currency: string;
  impressions: number;
  clicks: number;
  spend: MoneyJson;
  /** Percent with 2 decimals. */
  ctr: string | null;
  cpc: MoneyJson | null;
  cpm: MoneyJson | null;
  results: number | null;
}

export interface ReportRequest {
  level: ReportLevel;
  period: PeriodSpec;
  asOfMs?: number | undefined;
  platform?: Platform | undefined;
}

export const CSV_COLUMNS = ['platform', 'ref', 'level', 'name', 'account', 'since', 'until', 'currency', 'impressions', 'clicks', 'spend', 'ctr', 'cpc', 'cpm', 'results'] as const;

/** A row as CSV cells: money as decimal strings, null as an empty cell. */
export function csvCells(r: PerformanceRow): string[] {
  return [r.platform, r.ref, r.level, r.name ?? '', r.account, r.since, r.until, r.currency, String(r.impressions), String(r.clicks),
    r.spend.amount, r.ctr ?? '', r.cpc?.amount ?? '', r.cpm?.amount ?? '', r.results === null ? '' : String(r.results)];
}

async function platformRows(session: Session, platform: Platform, req: ReportRequest, spec: PeriodSpec, nowMs: number): Promise<PerformanceRow[]> {
  const adapter = await session.adapter(platform, 'insights.read');
  const account = await getAccount(session, platform);
  const { since, until } = resolvePeriod(spec, account.timezone, nowMs);
  const rows = await adapter.getInsights!({ level: req.level, since, until });
  return rows.filter((r) => r.impressions > 0 || r.clicks > 0 || rowMicros(r) > 0).map((r) => {
    const micros = rowMicros(r);
    return {
      ref: r.ref, platform, level: req.level, id: r.id, name: r.name, account: account.id, since, until, currency: r.currency,
      impressions: r.impressions, clicks: r.clicks, spend: exactMoney(micros, r.currency),
      ctr: r.impressions > 0 ? decimalString(frac(r.clicks * 100, r.impressions), 2) : null,
      cpc: r.clicks > 0 ? { amount: moneyString(frac(micros, r.clicks), r.currency), currency: r.currency } : null,
      cpm: r.impressions > 0 ? { amount: moneyString(frac(BigInt(micros) * 1000n, BigInt(r.impressions)), r.currency), currency: r.currency } : null,
      results: r.results,
    };
  });
}

/** Code-point order: the same on every machine, whatever its locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function performanceReport(session: Session, req: ReportRequest): Promise<{ rows: PerformanceRow[]; failures: PlatformFailure[] }> {
  const spec = checkPeriod(req.period);
  const nowMs = req.asOfMs ?? Date.now();
  const platforms = session.fanOutPlatforms(req.platform);
  const settled = await Promise.allSettled(platforms.map((p) => platformRows(session, p, req, spec, nowMs)));
  const rows: PerformanceRow[] = [];
  const failures: PlatformFailure[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') rows.push(...s.value.sort((a, b) => cmp(a.name ?? '', b.name ?? '') || cmp(a.id, b.id)));
    else {
      const e = s.reason;
      failures.push({
        platform: platforms[i]!,
        error: e instanceof AdctlError ? e : new AdctlError('INTERNAL_ERROR', `${platforms[i]}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.FAILURE, { hint: 'run with --debug and report this as a bug', cause: e }),
      });
    }
  });
  return { rows, failures };
}
