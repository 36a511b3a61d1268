/**
 * Budget guardrails for `apply` and bulk budget updates (issue 4's rules): the profile's cap on a
 * daily budget per currency, and its largest allowed increase per change in %. A breach needs an
 * interactive confirmation or `--confirm <ref or key>`; otherwise exit 77 with nothing sent.
 *
 * Pure (the caller reads the profile): all breaches of a whole plan or bulk run are found before
 * the first request, so a refusal never leaves a run half applied. Integer money only.
 */
import { AdctlError, ExitCode } from '../../core/errors.js';
import { formatMoney, parseMoney, type Money } from '../../core/money.js';
import type { BudgetPeriod } from '../../core/model.js';
import type { Plan } from './types.js';

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

export interface Breach {
  id: string;
  message: string;
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

/** `daily 50.00 USD` → period and exact money; null when absent or not exact (an X micro value). */
function budgetOf(text: string | null | undefined): { period: BudgetPeriod; money: Money } | null {
  const m = text ? /^(daily|lifetime) (.+)$/.exec(text) : null;
  if (!m) return null;
  try {
    return { period: m[1] as BudgetPeriod, money: parseMoney(m[2]!) };
  } catch {
    return null;
  }
}

/** The budget changes a plan would make (creates and updates of campaigns and ad groups). */
export function planBudgetChanges(plan: Plan): BudgetChange[] {
  const out: BudgetChange[] = [];
  for (const a of plan.actions) {
    if (a.op === 'create') {
      const to = budgetOf(a.fields.budget);
      if (to) out.push({ id: a.key, period: to.period, to: to.money, from: null });
    } else if (a.op === 'update' || a.op === 'pause') {
      const ch = a.changes.find((c) => c.field === 'budget');
      const to = budgetOf(ch?.to);
      if (ch && to) out.push({ id: a.ref, period: to.period, to: to.money, from: budgetOf(ch.from) });
    }
  }
  return out;
}

export function guardrailRefusal(found: Breach[]): AdctlError {
  return new AdctlError('GUARDRAIL', found.length === 1 ? found[0]!.message : `${found.length} budget changes breach the profile's guardrails: ${found.map((b) => b.message).join('; ')}`, ExitCode.REFUSED, {
    hint: `nothing was sent; confirm on a terminal, or pass ${[...new Set(found.map((b) => `--confirm=${b.id}`))].join(' ')}`,
    details: { breaches: found },
  });
}
