/**
 * Budget guardrails, the same for every path that changes a budget (campaign and ad group update,
 * budget set, bulk, apply, undo): the profile's cap on a daily budget per currency, and its largest
 * allowed increase per change in %. A breach passes only through the Confirmer (`--confirm`, or a
 * "yes" on a terminal); otherwise exit 77 with nothing sent.
 *
 * All breaches of a whole plan or bulk run are found before the first request, so a refusal never
 * leaves a run half applied. Integer money only.
 */
import { formatMoney, parseMoney, type Money } from '../../core/money.js';
import type { Budget, BudgetPeriod } from '../../core/model.js';
import { ProfilesSectionSchema } from '../../core/profiles.js';
import type { Session } from '../session.js';
import type { Breach, Confirmer } from './confirm.js';

export type { Breach } from './confirm.js';

export interface Guardrails {
  /** Decimal amounts per currency, e.g. `{ USD: "500" }`. */
  maxDailyBudget?: Record<string, string> | undefined;
  maxIncreasePct?: number | undefined;
}

export interface BudgetChange {
  /** What `--confirm` names: the ref, or the spec key for an object not created yet. */
  id: string;
  period: BudgetPeriod;
  to: Money;
  from: { period: BudgetPeriod; money: Money } | null;
}

/** The active profile's budget guardrails (none for env credentials or the sandbox). */
export function profileGuardrails(session: Session): Guardrails | undefined {
  try {
    return ProfilesSectionSchema.parse(session.config.read()).profiles[session.settings.profile]?.guardrails;
  } catch {
    return undefined;
  }
}

/** True when the profile has a rule to check, so callers can skip reading current budgets. */
export function hasGuardrails(g: Guardrails | undefined): g is Guardrails {
  return !!g && (!!g.maxDailyBudget || g.maxIncreasePct !== undefined);
}

/** A domain budget as the `from` of a change; null when absent or finer than the currency's minor unit. */
export function budgetFrom(b: Budget | null | undefined): BudgetChange['from'] {
  if (!b) return null;
  try {
    return { period: b.period, money: parseMoney(`${b.amount} ${b.currency}`) };
  } catch {
    return null; // a platform value finer than the currency's minor unit: no step to compare
  }
}

/**
 * Check `changes` against the profile's guardrails and ask the Confirmer about every breach at
 * once. Resolves with the ids that needed (and got) confirmation; throws GUARDRAIL (exit 77).
 */
export async function enforceGuardrails(session: Session, changes: BudgetChange[], confirmer: Confirmer): Promise<string[]> {
  const found = breaches(changes, profileGuardrails(session));
  await confirmer.guardrails(found);
  return [...new Set(found.map((b) => b.id))];
}

export function breaches(changes: BudgetChange[], g: Guardrails | undefined): Breach[] {
  if (!g) return [];
  const out: Breach[] = [];
  for (const c of changes) {
    const cap = c.period === 'daily' ? g.maxDailyBudget?.[c.to.currency] : undefined;
    if (cap !== undefined) {
      const max = parseMoney(`${cap} ${c.to.currency}`);
      if (c.to.minor > max.minor) out.push({ id: c.id, message: `${c.id}: daily budget ${formatMoney(c.to)} is above the profile's cap of ${formatMoney(max)}` });
    }
    const pct = g.maxIncreasePct;
    const from = c.from;
    if (pct !== undefined && from && from.period === c.period && from.money.currency === c.to.currency && from.money.minor > 0) {
      // to > from × (1 + pct/100), in integers: to × 100 > from × (100 + pct).
      if (c.to.minor * 100 > from.money.minor * (100 + pct)) {
        out.push({ id: c.id, message: `${c.id}: ${formatMoney(from.money)} → ${formatMoney(c.to)} is an increase above the profile's ${pct}% step` });
      }
    }
  }
  return out;
}
