/**
 * `budget get|set` on campaigns and ad groups (issue 4). Commands call these; these call adapters.
 *
 * Contracts:
 * - Refs are `<platform>:<id>` (DESIGN §2) and do not say the kind. Without `level`, the ref is
 *   resolved campaign first, then ad group (a Meta ad set or an X line item): ids of the two kinds
 *   do not collide on either platform, and if they ever did the campaign wins; `level` picks one
 *   kind without guessing. Neither found → NOT_FOUND (exit 1).
 * - Money is exact (DESIGN §2): syntax and decimals of a written currency are checked before any
 *   request; the account's currency is then required (adctl converts nothing). Exit 64.
 * - Checks run before the write, in this order, and a refusal sends nothing: a budget below what
 *   the object has already spent today (its ad account's day, exit 64), then the active profile's
 *   guardrails (cap per currency, largest step in %; exit 77 unless confirmed on a terminal or by
 *   `--confirm=<ref>`). Platform rules (a Meta ad set budget under a campaign budget, or the
 *   reverse) are refused by the plugin before sending (exit 64).
 * - Idempotent: setting the budget it already has sends nothing. Every write is audited through
 *   `performWrite` as `campaign.update` / `adgroup.update` with the before/after budget, so
 *   `adctl log` lists it and `adctl undo` restores the old budget.
 */
import type { PlatformAdapter } from '../core/adapter.js';
import { AdctlError, ExitCode, usageError } from '../core/errors.js';
import { formatMoney, parseMoney, toUnits, type Money } from '../core/money.js';
import type { AdGroup, Budget, BudgetPeriod, Campaign, Platform } from '../core/model.js';
import { parseRef } from '../core/ref.js';
import { getAccount } from './accounts.js';
import { exactMoney, spentToday } from './budget-report.js';
import { isDryRun, performWrite, type DryRunReport } from './write/pipeline.js';
import { enforceGuardrails } from './write/guardrails.js';
import type { Confirmer } from './write/confirm.js';
import type { Session } from './session.js';

export type BudgetLevel = 'campaign' | 'adgroup';

/** A budget in `--json`: the DESIGN §7 money shape plus exact minor units and what a human reads. */
export interface BudgetJson {
  period: BudgetPeriod;
  amount: string;
  currency: string;
  /** ISO minor units (cents, whole yen); null when the platform holds a finer value (X micros). */
  minor: number | null;
  /** "50.00 USD/day", "300000 JPY/lifetime". */
  display: string;
}

export interface BudgetView {
  ref: string;
  platform: Platform;
  level: BudgetLevel;
  name: string;
  status: Campaign['status'];
  /** The ad account's currency. */
  currency: string;
  budget: BudgetJson | null;
}

export interface BudgetSetResult {
  ref: string;
  platform: Platform;
  level: BudgetLevel;
  name: string;
  currency: string;
  before: BudgetJson | null;
  after: BudgetJson;
  /** False when the object already had this budget: nothing was sent. */
  changed: boolean;
  /** Guardrail breaches that were confirmed (on a terminal or by --confirm). */
  confirmed: string[];
  /** Present on --dry-run: the write that would have been sent (redacted). */
  dryRun?: true;
  requests?: DryRunReport['requests'];
}

interface Target {
  level: BudgetLevel;
  object: Campaign | AdGroup;
  adapter: PlatformAdapter;
}

/** Pure: the JSON view of a platform budget. */
export function budgetJson(b: Budget | null): BudgetJson | null {
  if (!b) return null;
  let minor: number | null = null;
  try {
    minor = parseMoney(`${b.amount} ${b.currency}`).minor;
  } catch {
    minor = null; // finer than the currency's minor unit (an X micro amount): shown as written
  }
  return { period: b.period, amount: b.amount, currency: b.currency, minor, display: `${b.amount} ${b.currency}/${b.period === 'daily' ? 'day' : 'lifetime'}` };
}

function moneyBudgetJson(period: BudgetPeriod, money: Money): BudgetJson {
  return budgetJson({ period, amount: formatMoney(money).split(' ')[0]!, currency: money.currency })!;
}

const isNotFound = (e: unknown) => e instanceof AdctlError && e.code === 'NOT_FOUND';

/** Find the object a ref names: the given level, or campaign first, then ad group. */
async function resolveTarget(session: Session, refText: string, level: BudgetLevel | undefined): Promise<Target> {
  const ref = parseRef(refText);
  if (level === 'adgroup') {
    const adapter = await session.adapter(ref.platform, 'adgroups.read');
    return { level, object: await adapter.getAdGroup!(ref.id), adapter };
  }
  const adapter = await session.adapter(ref.platform, 'campaigns.read');
  try {
    return { level: 'campaign', object: await adapter.getCampaign(ref.id), adapter };
  } catch (e) {
    if (level === 'campaign' || !isNotFound(e) || !adapter.capabilities.has('adgroups.read') || !adapter.getAdGroup) throw e;
  }
  try {
    return { level: 'adgroup', object: await adapter.getAdGroup(ref.id), adapter };
  } catch (e) {
    if (!isNotFound(e)) throw e;
    throw new AdctlError('NOT_FOUND', `${ref.platform}:${ref.id} is neither a campaign nor an ad group on ${session.describeTarget(ref.platform)}`, ExitCode.FAILURE, {
      platform: ref.platform, hint: 'check the ref with `adctl campaign list` or `adctl adgroup list`',
    });
  }
}

export async function getBudget(session: Session, refText: string, level?: BudgetLevel): Promise<BudgetView> {
  const t = await resolveTarget(session, refText, level);
  const account = await getAccount(session, t.object.platform);
  return {
    ref: t.object.ref, platform: t.object.platform, level: t.level, name: t.object.name, status: t.object.status,
    currency: account.currency, budget: budgetJson(t.object.budget),
  };
}

/** `--daily` or `--lifetime`, exactly one (exit 64 otherwise). */
export function budgetChangeFlag(daily: string | undefined, lifetime: string | undefined): { period: BudgetPeriod; text: string } {
  if (daily !== undefined && lifetime !== undefined) throw usageError('CONFLICTING_FLAGS', '--daily and --lifetime cannot be used together', 'an object has one budget: daily or lifetime');
  if (daily !== undefined) return { period: 'daily', text: daily };
  if (lifetime !== undefined) return { period: 'lifetime', text: lifetime };
  throw usageError('MISSING_BUDGET', 'no budget given', 'pass --daily MONEY or --lifetime MONEY, for example --daily "50.00 USD"');
}

/**
 * Pure: refuse a budget below what the object has spent today (in micros of the account
 * currency), because the platform would stop delivery at once or reject it, and the user almost
 * certainly typed the wrong amount. Equal is allowed: it stops delivery for the rest of the day.
 */
export function belowSpendRefusal(ref: string, to: Money, spent: { micros: number; date: string; timezone: string }): AdctlError | undefined {
  if (toUnits(to, 6) >= spent.micros) return undefined;
  const m = exactMoney(spent.micros, to.currency);
  const spentMoney = `${m.amount} ${m.currency}`;
  return new AdctlError('BELOW_SPEND_TODAY',
    `${ref} has already spent ${spentMoney} today (${spent.date}, ${spent.timezone}); a budget of ${formatMoney(to)} would be below that`,
    ExitCode.USAGE, { hint: `nothing was sent; set a budget of at least ${spentMoney}` });
}

export interface SetBudgetRequest {
  ref: string;
  period: BudgetPeriod;
  /** What the user typed: "7000 JPY", "75.50 USD" or a bare "50" (the account's currency). */
  text: string;
  level?: BudgetLevel | undefined;
  /** Passes guardrail breaches (`--confirm`, or a terminal "yes"), or refuses with exit 77. */
  confirmer: Confirmer;
  /** For tests: "now" for today's spend. */
  nowMs?: number | undefined;
}

export async function setBudget(session: Session, req: SetBudgetRequest): Promise<BudgetSetResult> {
  // Syntax, currency code and decimals of a written currency: before any request.
  if (/[A-Za-z]{3}/.test(req.text)) parseMoney(req.text);
  const t = await resolveTarget(session, req.ref, req.level);
  const { platform, id, ref } = t.object;
  const account = await getAccount(session, platform);
  const money = parseMoney(req.text, account.currency);
  const before = budgetJson(t.object.budget);
  const after = moneyBudgetJson(req.period, money);
  const base = { ref, platform, level: t.level, name: t.object.name, currency: account.currency, before, after };
  if (before && before.period === after.period && before.minor === after.minor) return { ...base, changed: false, confirmed: [] };

  const spent = await spentToday(session, platform, t.level, id, req.nowMs);
  const low = belowSpendRefusal(ref, money, spent);
  if (low) throw low;

  const confirmed = await enforceGuardrails(session, [{
    id: ref, period: req.period, to: money,
    from: before && before.minor !== null ? { period: before.period, money: { currency: before.currency, minor: before.minor } } : null,
  }], req.confirmer);

  const adapter = await session.adapter(platform, t.level === 'campaign' ? 'budgets.write' : 'adgroups.write');
  const budget = { period: req.period, money };
  const outcome = await performWrite<Campaign | AdGroup>(session, {
    platform, operation: t.level === 'campaign' ? 'campaign.update' : 'adgroup.update', ref, before: t.object,
    after: (o) => o as Campaign | AdGroup,
  }, () => (t.level === 'campaign' ? adapter.updateCampaign(id, { budget }) : adapter.updateAdGroup!(id, { budget })));
  if (isDryRun(outcome)) return { ...base, changed: true, confirmed, dryRun: true, requests: outcome.requests };
  return { ...base, after: budgetJson(outcome.budget) ?? after, changed: true, confirmed };
}
