/**
 * `budget report`: every campaign of every enabled platform with its budget, its spend in the
 * period, the spend expected by now and its pacing (services/pacing.ts), plus totals per currency.
 *
 * Contract:
 * - Dates are days of each ad account's own zone: a preset is resolved per account, so "today"
 *   can be 9 November in New York and 10 November in Tokyo at the same instant.
 * - "Now" is the current time, or `asOfMs` (`--as-of`) to reproduce a report: presets and the
 *   elapsed share of today follow it; spend is what the platforms report for the period.
 * - Spend comes from the platforms' insights/stats in exact micros. Campaigns that spent in the
 *   period but no longer exist (deleted) are listed too, so totals hold all the spend.
 * - A campaign without a budget of its own whose active ad groups carry daily budgets (Meta ad sets
 *   under a campaign without an Advantage campaign budget) is paced against the sum of those daily
 *   budgets, and says so (`budgetSource: "adgroups"`). Lifetime ad group budgets, each with its own
 *   flight, are not summed: such a campaign stays unpaced (`no_budget`).
 * - Totals are per currency and never summed across currencies (adctl converts nothing). A total's
 *   expected spend and pacing cover the paced campaigns only; its budget is the sum of the
 *   daily budgets of active campaigns.
 * - One platform failing does not hide the others: the failures come back alongside (exit 3).
 * - Read-only: nothing is written to any platform, and nothing is audited.
 */
import type { PlatformAdapter } from '../core/adapter.js';
import { AdctlError, ExitCode } from '../core/errors.js';
import { currencyExponent, type MoneyJson } from '../core/money.js';
import type { AdAccount, Budget, Campaign, CampaignStatus, InsightsRow, Platform } from '../core/model.js';
import { getAccount } from './accounts.js';
import { add, decimalString, frac, moneyString, mul, pace, THRESHOLDS, type Fraction, type PacingFlag } from './pacing.js';
import { checkPeriod, resolvePeriod, type PeriodSpec } from './period.js';
import type { Session } from './session.js';

export interface BudgetReportRequest {
  period: PeriodSpec;
  /** Defaults to the current time. */
  asOfMs?: number | undefined;
  platform?: Platform | undefined;
}

export interface BudgetReportAccount {
  platform: Platform;
  account: string;
  name: string;
  currency: string;
  timezone: string;
  since: string;
  until: string;
  /** Days of the period elapsed by now, 4 decimals (e.g. "0.8333" at 20:00). */
  elapsedDays: string;
}

export interface BudgetReportCampaign {
  ref: string;
  platform: Platform;
  account: string;
  name: string | null;
  status: CampaignStatus;
  budget: Budget | null;
  /** Where `budget` comes from: the campaign itself, the sum of its active ad groups' daily budgets, or nowhere. */
  budgetSource: 'campaign' | 'adgroups' | null;
  since: string;
  until: string;
  spend: MoneyJson;
  /** Spend expected by now; null when the campaign is not paced (no budget, not active, lifetime without an end). */
  expected: MoneyJson | null;
  /** spend ÷ expected × 100, one decimal ("132.0"); null when not paced. */
  pacing: string | null;
  flags: PacingFlag[];
}

export interface BudgetReportTotal {
  currency: string;
  campaigns: number;
  /** Sum of the daily budgets of active campaigns; null when there are none. */
  dailyBudget: MoneyJson | null;
  spend: MoneyJson;
  expected: MoneyJson | null;
  pacing: string | null;
}

export interface BudgetReport {
  asOf: string;
  thresholds: { overPacingPct: number; underPacingPct: number };
  accounts: BudgetReportAccount[];
  campaigns: BudgetReportCampaign[];
  totals: BudgetReportTotal[];
}

export interface PlatformFailure {
  platform: Platform;
  error: AdctlError;
}

const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A decimal amount string ("50.00", or finer for X micros) as exact micros. */
export function amountToMicros(amount: string): number {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(amount);
  if (!m) throw new RangeError(`not a decimal amount: ${amount}`);
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
}

/** Exact micros of a row (plugins give spendMicros; spendMinor otherwise). */
export function rowMicros(row: InsightsRow): number {
  return row.spendMicros ?? row.spendMinor * 10 ** (6 - (currencyExponent(row.currency) ?? 2));
}

/** Exact spend as money JSON: the currency's decimals, or every digit when X billed finer. */
export function exactMoney(micros: number, currency: string): MoneyJson {
  const e = currencyExponent(currency) ?? 2;
  const div = 10 ** (6 - e);
  if (micros % div === 0) return { amount: moneyString(frac(micros), currency), currency };
  const digits = String(micros).padStart(7, '0');
  return { amount: `${digits.slice(0, -6)}.${digits.slice(-6).replace(/0+$/, '')}`, currency };
}

interface PlatformPart {
  account: BudgetReportAccount;
  campaigns: Array<BudgetReportCampaign & { spendMicros: number; expectedExact: Fraction | null; dailyMicros: number | null }>;
}

/**
 * Daily budgets summed per campaign over its active ad groups, for the active campaigns that have
 * no budget of their own (one ad group listing, and only when there are such campaigns). A campaign
 * with any active lifetime ad group budget is left out: those flights cannot be summed into a day.
 */
async function adGroupDailyBudgets(adapter: PlatformAdapter, campaigns: Campaign[], currency: string): Promise<Map<string, Budget>> {
  const wanted = new Set(campaigns.filter((c) => !c.budget && c.status === 'active').map((c) => c.ref));
  const out = new Map<string, Budget>();
  if (wanted.size === 0 || !adapter.capabilities.has('adgroups.read') || !adapter.listAdGroups) return out;
  const sums = new Map<string, number | null>();
  for (const g of await adapter.listAdGroups({ statuses: ['active'] })) {
    if (!wanted.has(g.campaign) || g.status !== 'active' || !g.budget) continue;
    const so = sums.get(g.campaign);
    if (so === null) continue;
    sums.set(g.campaign, g.budget.period === 'daily' && g.budget.currency === currency ? (so ?? 0) + amountToMicros(g.budget.amount) : null);
  }
  for (const c of campaigns) {
    const micros = sums.get(c.ref);
    if (micros) out.set(c.id, { period: 'daily', ...exactMoney(micros, currency) });
  }
  return out;
}

async function platformPart(session: Session, platform: Platform, spec: PeriodSpec, nowMs: number): Promise<PlatformPart> {
  const adapter: PlatformAdapter = await session.adapter(platform, 'insights.read');
  const account: AdAccount = await getAccount(session, platform);
  const { since, until } = resolvePeriod(spec, account.timezone, nowMs);
  const [campaigns, rows] = await Promise.all([
    adapter.listCampaigns({}),
    adapter.getInsights!({ level: 'campaign', since, until }),
  ]);
  const adGroupBudgets = await adGroupDailyBudgets(adapter, campaigns, account.currency);
  const spendOf = new Map(rows.map((r) => [r.id, r]));
  const listed = new Set(campaigns.map((c) => c.id));
  // Spend of campaigns deleted since: still money spent in the period.
  const gone: Campaign[] = rows.filter((r) => !listed.has(r.id) && rowMicros(r) > 0).map((r) => ({
    ref: r.ref, platform, id: r.id, account: account.id, name: r.name ?? r.id, objective: null, status: 'deleted', budget: null, start: null, end: null, createdAt: null,
  }));
  const out: PlatformPart['campaigns'] = [];
  let accountElapsed: Fraction = frac(0);
  for (const c of [...campaigns, ...gone]) {
    const row = spendOf.get(c.id);
    const spendMicros = row ? rowMicros(row) : 0;
    const fromGroups = c.budget ? undefined : adGroupBudgets.get(c.id);
    const budget: Budget | null = c.budget ?? fromGroups ?? null;
    const budgetMicros = budget ? amountToMicros(budget.amount) : null;
    const p = pace({
      zone: account.timezone, nowMs, since, until, active: c.status === 'active', spendMicros,
      budget: budget && budgetMicros !== null ? { period: budget.period, micros: budgetMicros } : null,
      schedule: { startMs: c.start ? Date.parse(c.start) : null, endMs: c.end ? Date.parse(c.end) : null },
    });
    out.push({
      ref: c.ref, platform, account: account.id, name: c.name, status: c.status, budget, budgetSource: c.budget ? 'campaign' : fromGroups ? 'adgroups' : null, since, until,
      spend: exactMoney(spendMicros, account.currency),
      expected: p.expected ? { amount: moneyString(p.expected, account.currency), currency: account.currency } : null,
      pacing: p.percent ? decimalString(p.percent, 1) : null,
      flags: p.flags,
      spendMicros, expectedExact: p.expected,
      dailyMicros: c.status === 'active' && budget?.period === 'daily' ? budgetMicros : null,
    });
  }
  accountElapsed = pace({ zone: account.timezone, nowMs, since, until, active: false, budget: null, spendMicros: 0 }).elapsedDays;
  return {
    account: {
      platform, account: account.id, name: account.name, currency: account.currency, timezone: account.timezone, since, until,
      elapsedDays: decimalString(accountElapsed, 4),
    },
    campaigns: out,
  };
}

function totals(parts: PlatformPart[]): BudgetReportTotal[] {
  const byCurrency = new Map<string, PlatformPart['campaigns']>();
  for (const c of parts.flatMap((p) => p.campaigns)) {
    const list = byCurrency.get(c.spend.currency) ?? [];
    list.push(c);
    byCurrency.set(c.spend.currency, list);
  }
  return [...byCurrency.keys()].sort().map((currency) => {
    const list = byCurrency.get(currency)!;
    const spend = list.reduce((t, c) => t + c.spendMicros, 0);
    const paced = list.filter((c) => c.expectedExact !== null);
    const expected = paced.reduce<Fraction>((t, c) => add(t, c.expectedExact!), frac(0));
    const pacedSpend = paced.reduce((t, c) => t + c.spendMicros, 0);
    const daily = list.filter((c) => c.dailyMicros !== null);
    return {
      currency,
      campaigns: list.length,
      dailyBudget: daily.length ? exactMoney(daily.reduce((t, c) => t + c.dailyMicros!, 0), currency) : null,
      spend: exactMoney(spend, currency),
      expected: paced.length ? { amount: moneyString(expected, currency), currency } : null,
      pacing: paced.length && expected.n > 0n ? decimalString(mul(frac(pacedSpend), frac(100n * expected.d, expected.n)), 1) : null,
    };
  });
}

function asAdctlError(e: unknown, platform: Platform): AdctlError {
  if (e instanceof AdctlError) return e;
  return new AdctlError('INTERNAL_ERROR', `${platform}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.FAILURE, {
    platform, hint: 'run with --debug and report this as a bug', cause: e,
  });
}

export async function budgetReport(session: Session, req: BudgetReportRequest): Promise<{ report: BudgetReport; failures: PlatformFailure[] }> {
  const spec = checkPeriod(req.period);
  const nowMs = req.asOfMs ?? Date.now();
  const platforms = session.fanOutPlatforms(req.platform);
  const settled = await Promise.allSettled(platforms.map((p) => platformPart(session, p, spec, nowMs)));
  const parts: PlatformPart[] = [];
  const failures: PlatformFailure[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') parts.push(s.value);
    else failures.push({ platform: platforms[i]!, error: asAdctlError(s.reason, platforms[i]!) });
  });
  const campaigns = parts.flatMap((p) => p.campaigns).map(({ spendMicros: _s, expectedExact: _e, dailyMicros: _d, ...c }) => c);
  return {
    report: { asOf: utc(nowMs), thresholds: { ...THRESHOLDS }, accounts: parts.map((p) => p.account), campaigns, totals: totals(parts) },
    failures,
  };
}

/**
 * What one campaign or ad group has spent so far today, in its ad account's day, as exact micros:
 * for refusing a budget below today's spend (issue 4). An object with no insights row spent 0.
 */
export async function spentToday(session: Session, platform: Platform, level: 'campaign' | 'adgroup', id: string, nowMs = Date.now()): Promise<{ micros: number; currency: string; date: string; timezone: string }> {
  const adapter = await session.adapter(platform, 'insights.read');
  const account = await getAccount(session, platform);
  const { since } = resolvePeriod({ preset: 'today' }, account.timezone, nowMs);
  const rows = await adapter.getInsights!({ level, since, until: since, ids: [id] });
  const row = rows.find((r) => r.id === id);
  return { micros: row ? rowMicros(row) : 0, currency: account.currency, date: since, timezone: account.timezone };
}
