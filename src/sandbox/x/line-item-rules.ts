/**
 * X's own validation of line item money, goals and budgets, beyond the field checks in ads.ts.
 * Errors use X's envelope (`INVALID_PARAMETER` with the `parameter` named) so clients classify
 * them the way they would classify the platform's.
 *
 * From X's docs: bids must be greater than zero; a line item's daily budget is at most its total
 * budget (ads.ts); the goal must suit the objective ("Default based on objective" when omitted).
 * ⚠ Sandbox conventions, not confirmed against production: amounts must be whole multiples of
 * 10,000 micros (one cent of USD), a budget is at least 1,000,000 micros (one unit of the
 * currency), and a line item's budget may not exceed its campaign's budget of the same period.
 */
import type { SandboxResponse } from '../types.js';
import { adsError } from './errors.js';

type Echo = Record<string, unknown>;

export const MICRO_STEP = 10_000;
export const MIN_BUDGET_MICROS = 1_000_000;

/** The goal X picks when a line item names none, per objective. */
export const DEFAULT_GOAL: Readonly<Record<string, string>> = {
  WEBSITE_CLICKS: 'LINK_CLICKS', ENGAGEMENTS: 'ENGAGEMENT', REACH: 'MAX_REACH', FOLLOWERS: 'FOLLOWERS', VIDEO_VIEWS: 'VIDEO_VIEW',
  PREROLL_VIEWS: 'PREROLL', APP_INSTALLS: 'APP_INSTALLS', APP_ENGAGEMENTS: 'APP_CLICKS', WEBSITE_CONVERSIONS: 'WEBSITE_CONVERSIONS',
};

/** Goals each objective accepts (X docs: the goal parameter of POST line_items). */
export const GOALS: Readonly<Record<string, readonly string[]>> = {
  WEBSITE_CLICKS: ['LINK_CLICKS', 'SITE_VISITS', 'WEBSITE_CONVERSIONS'],
  ENGAGEMENTS: ['ENGAGEMENT'],
  REACH: ['MAX_REACH', 'REACH_WITH_ENGAGEMENT'],
  FOLLOWERS: ['FOLLOWERS'],
  VIDEO_VIEWS: ['VIDEO_VIEW', 'VIEW_3S_100PCT', 'VIEW_6S', 'VIEW_15S'],
  PREROLL_VIEWS: ['PREROLL', 'PREROLL_STARTS', 'VIEW_3S_100PCT', 'VIEW_6S', 'VIEW_15S'],
  APP_INSTALLS: ['APP_INSTALLS', 'APP_CLICKS', 'APP_PURCHASES'],
  APP_ENGAGEMENTS: ['APP_CLICKS', 'APP_INSTALLS'],
  WEBSITE_CONVERSIONS: ['WEBSITE_CONVERSIONS'],
};

export function goalCheck(objective: string, goal: string | null | undefined, echo: Echo): SandboxResponse | undefined {
  const allowed = GOALS[objective];
  if (goal && allowed && !allowed.includes(goal)) {
    return adsError(400, 'INVALID_PARAMETER', `goal ${goal} is not available with objective ${objective} (use one of ${allowed.join(', ')})`, echo, 'goal');
  }
  return undefined;
}

/** Step and minimum of the amounts a request sets (null/undefined: not set or unset). */
export function amountCheck(amounts: { bid?: number | null | undefined; daily?: number | null | undefined; total?: number | null | undefined }, echo: Echo): SandboxResponse | undefined {
  const fields: Array<[string, number | null | undefined, boolean]> = [
    ['bid_amount_local_micro', amounts.bid, false],
    ['daily_budget_amount_local_micro', amounts.daily, true],
    ['total_budget_amount_local_micro', amounts.total, true],
  ];
  for (const [name, v, budget] of fields) {
    if (v === null || v === undefined) continue;
    if (v % MICRO_STEP !== 0) return adsError(400, 'INVALID_PARAMETER', `${name} must be a multiple of ${MICRO_STEP}, got ${v}`, echo, name);
    if (budget && v < MIN_BUDGET_MICROS) return adsError(400, 'INVALID_PARAMETER', `${name} must be at least ${MIN_BUDGET_MICROS}, got ${v}`, echo, name);
  }
  return undefined;
}

/** The campaign fields the budget check reads (a seed.ts XCampaign has them). */
interface CampaignBudgets {
  id: string;
  daily_budget_amount_local_micro: number | null;
  total_budget_amount_local_micro: number | null;
}

/** A line item budget above its campaign's budget of the same period can never be spent. */
export function campaignBudgetCheck(campaign: CampaignBudgets, daily: number | null, total: number | null, echo: Echo): SandboxResponse | undefined {
  const cd = campaign.daily_budget_amount_local_micro;
  const ct = campaign.total_budget_amount_local_micro;
  if (daily !== null && cd !== null && daily > cd) {
    return adsError(400, 'INVALID_PARAMETER', `daily_budget_amount_local_micro ${daily} exceeds the daily budget of campaign ${campaign.id} (${cd})`, echo, 'daily_budget_amount_local_micro');
  }
  if (total !== null && ct !== null && total > ct) {
    return adsError(400, 'INVALID_PARAMETER', `total_budget_amount_local_micro ${total} exceeds the total budget of campaign ${campaign.id} (${ct})`, echo, 'total_budget_amount_local_micro');
  }
  return undefined;
}
