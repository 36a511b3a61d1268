/**
 * Budget pacing: how much a campaign was expected to have spent by now, and how its real spend
 * compares. Pure: no clock, no I/O, no floats; every figure is an exact fraction of integers
 * (bigint) until it is rounded once for display.
 *
 * Definitions (all days are the ad account's calendar days, in its IANA zone):
 * - Elapsed share of a day: 1 for a day that has ended, (now − start of day) ÷ (length of the day)
 *   for today, 0 for a day that has not begun. A day is 23, 24 or 25 hours long (DST), and the
 *   length used is the day's real length. A schedule (start/end of the campaign) cuts the
 *   elapsed part of a day but not its length.
 * - Expected spend, daily budget: daily budget × Σ elapsed shares of the period's days.
 * - Expected spend, lifetime budget: lifetime budget × (time of the flight elapsed within the
 *   period) ÷ (length of the flight). Without both a start and an end there is none.
 * - Pacing % = spend ÷ expected × 100.
 * - Only active campaigns are paced: a paused or archived campaign is not expected to spend.
 *
 * Flags (thresholds in `THRESHOLDS`, compared exactly, before any rounding):
 * - `over_pacing`: spend > 120 % of expected;
 * - `under_pacing`: spend < 80 % of expected;
 * - `over_budget`: a daily budget, and spend > daily budget × number of the period's days that
 *   have begun (platforms may overspend a single day, e.g. Meta by up to 75 %);
 * - `no_budget`: an active campaign with no budget to pace against (neither its own nor summed daily ad-group budgets; see budget-report.ts).
 *
 * Rounding for output: money half up to the currency's minor unit, percentages half up to one
 * decimal.
 */
import { addDays, dayStart } from '../core/calendar.js';
import { currencyExponent } from '../core/money.js';

export const THRESHOLDS = { overPacingPct: 120, underPacingPct: 80 } as const;

export type PacingFlag = 'over_pacing' | 'under_pacing' | 'over_budget' | 'no_budget';

/** An exact non-negative fraction n/d (d > 0). */
export interface Fraction {
  n: bigint;
  d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
export function frac(n: bigint | number, d: bigint | number = 1n): Fraction {
  const N = BigInt(n);
  const D = BigInt(d);
  if (D === 0n) throw new RangeError('fraction with denominator 0');
  const g = gcd(N, D) || 1n;
  return D < 0n ? { n: -N / g, d: -D / g } : { n: N / g, d: D / g };
}
export const add = (a: Fraction, b: Fraction) => frac(a.n * b.d + b.n * a.d, a.d * b.d);
export const mul = (a: Fraction, b: Fraction) => frac(a.n * b.n, a.d * b.d);
/** a < b, exactly. */
export const lt = (a: Fraction, b: Fraction) => a.n * b.d < b.n * a.d;

/** Round a non-negative fraction half up to an integer. */
export function roundHalfUp(f: Fraction): bigint {
  return (2n * f.n + f.d) / (2n * f.d);
}

/** Micros (possibly fractional) as a decimal amount with the currency's decimals, half up: "29.17". */
export function moneyString(micros: Fraction, currency: string): string {
  const e = currencyExponent(currency) ?? 2;
  const minor = roundHalfUp(mul(micros, frac(1, 10n ** BigInt(6 - e))));
  const digits = minor.toString().padStart(e + 1, '0');
  return e === 0 ? digits : `${digits.slice(0, -e)}.${digits.slice(-e)}`;
}

/** A fraction as a decimal string with `decimals` places, half up: 1.0285714 → "102.9" for ×100, 1. */
export function decimalString(f: Fraction, decimals: number): string {
  const scaled = roundHalfUp(mul(f, frac(10n ** BigInt(decimals)))).toString().padStart(decimals + 1, '0');
  return decimals === 0 ? scaled : `${scaled.slice(0, -decimals)}.${scaled.slice(-decimals)}`;
}

export interface PacingInput {
  /** The ad account's IANA zone. */
  zone: string;
  nowMs: number;
  /** Inclusive dates of the period, in `zone`. */
  since: string;
  until: string;
  /** Campaign budget in micros of the major unit; null when the campaign has none. */
  budget: { period: 'daily' | 'lifetime'; micros: number } | null;
  /** Whether the campaign is active now (only active campaigns are paced). */
  active: boolean;
  /** The campaign's schedule, unix ms; null ends are open. */
  schedule?: { startMs: number | null; endMs: number | null } | undefined;
  /** Spend in the period, micros. */
  spendMicros: number;
}

export interface PacingResult {
  /** Σ elapsed shares of the period's days as of now (in days). */
  elapsedDays: Fraction;
  /** The period's days that have begun by now. */
  daysBegun: number;
  /** Expected spend by now in micros; null when not paced. */
  expected: Fraction | null;
  /** spend ÷ expected × 100; null when not paced or expected is 0. */
  percent: Fraction | null;
  flags: PacingFlag[];
}

/** The period's days with their start, end and elapsed share, as of `nowMs`. */
export function periodDays(zone: string, since: string, until: string, nowMs: number, schedule?: PacingInput['schedule']): Array<{ date: string; startMs: number; endMs: number; elapsed: Fraction }> {
  const out = [];
  for (let d = since; d <= until; d = addDays(d, 1)) {
    const startMs = dayStart(d, zone);
    const endMs = dayStart(addDays(d, 1), zone);
    const from = Math.max(startMs, schedule?.startMs ?? -Infinity);
    const to = Math.min(endMs, nowMs, schedule?.endMs ?? Infinity);
    out.push({ date: d, startMs, endMs, elapsed: to > from ? frac(to - from, endMs - startMs) : frac(0) });
  }
  return out;
}

export function pace(input: PacingInput): PacingResult {
  const days = periodDays(input.zone, input.since, input.until, input.nowMs, input.schedule);
  const elapsedDays = days.reduce((t, d) => add(t, d.elapsed), frac(0));
  const daysBegun = days.filter((d) => d.startMs <= input.nowMs).length;
  const flags: PacingFlag[] = [];
  let expected: Fraction | null = null;
  const b = input.budget;
  if (input.active && !b) flags.push('no_budget');
  if (input.active && b?.period === 'daily') {
    expected = mul(frac(b.micros), elapsedDays);
  } else if (input.active && b?.period === 'lifetime' && input.schedule?.startMs != null && input.schedule.endMs != null && input.schedule.endMs > input.schedule.startMs) {
    const { startMs, endMs } = input.schedule;
    const periodStart = days[0]!.startMs;
    const periodEnd = days[days.length - 1]!.endMs;
    const from = Math.max(startMs, periodStart);
    const to = Math.min(endMs, periodEnd, input.nowMs);
    expected = mul(frac(b.micros), frac(Math.max(0, to - from), endMs - startMs));
  }
  const spend = frac(input.spendMicros);
  let percent: Fraction | null = null;
  if (expected && expected.n > 0n) {
    percent = mul(spend, frac(100n * expected.d, expected.n));
    if (lt(frac(THRESHOLDS.overPacingPct), percent)) flags.push('over_pacing');
    if (lt(percent, frac(THRESHOLDS.underPacingPct))) flags.push('under_pacing');
  }
  if (input.active && b?.period === 'daily' && input.spendMicros > b.micros * daysBegun) flags.push('over_budget');
  return { elapsedDays, daysBegun, expected, percent, flags };
}
