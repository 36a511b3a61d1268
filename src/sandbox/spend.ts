/**
 * The sandbox's deterministic delivery model: what every campaign and ad group spent, and how many
 * impressions, clicks and results it got, in any time range, as exact integers. Meta insights
 * (meta/insights.ts) and X stats (x/stats.ts) both read it, so a test knows exactly what "spend by
 * now" is for a given sandbox clock.
 *
 * The model:
 * - A campaign delivers by a schedule of segments (state `x.spendSchedule` / `meta.spendSchedule`;
 *   the defaults below when the state has none). A segment gives per-hour amounts: spend in the
 *   account currency's ISO minor unit, impressions, clicks and results, optionally limited to
 *   [from, until).
 * - Delivery happens in whole hours of the account's zone (hour slots start when the local minute
 *   is 0) and an hour counts once it has ended by the sandbox clock ("now"): at 14:30 local, 14
 *   hours of today have been delivered.
 * - An ad group (X line item, Meta ad set) gets an equal share of its campaign's hourly amounts:
 *   with n ad groups (not deleted, ordered by id) the i-th gets ⌊v/n⌋, plus 1 for i < v mod n.
 *   The shares add up to the campaign's figure exactly.
 * - Status is not consulted: the schedule is the fixture. Tests change it with
 *   `POST /__sandbox/spend` (control.ts) or by writing the state.
 *
 * Zones whose offset changes by a part of an hour (Australia/Lord_Howe) are aligned by the offset
 * at the start of the range; every other zone is exact.
 */
import { currencyExponent } from '../core/money.js';
import type { SandboxState } from './state.js';

export interface SpendSegment {
  campaignId: string;
  /** ISO minor units of the account currency per hour (cents for USD, yen for JPY). */
  spendPerHour: number;
  impressionsPerHour: number;
  clicksPerHour: number;
  resultsPerHour: number;
  /** ISO UTC; null: since ever. */
  from?: string | null | undefined;
  /** ISO UTC, exclusive; null: for ever. */
  until?: string | null | undefined;
}

export interface Delivery {
  impressions: number;
  clicks: number;
  results: number;
  /** ISO minor units of the account currency. */
  spendMinor: number;
}

const HOUR = 3_600_000;

const seg = (campaignId: string, spendPerHour: number, impressionsPerHour: number, clicksPerHour: number, resultsPerHour: number): SpendSegment =>
  ({ campaignId, spendPerHour, impressionsPerHour, clicksPerHour, resultsPerHour, from: null, until: null });

/**
 * The seeded schedules. X (USD, America/New_York): Holiday Espresso spends 2.75 USD an hour against
 * a 50.00 USD daily budget (66.00 a day: over-pacing); Always-on Followers 1.00 USD an hour on a
 * lifetime budget. Meta (JPY, Asia/Tokyo): Winter Ramen 150 JPY an hour against 5000 JPY a day
 * (3600 a day: under-pacing); Brand Awareness Tokyo 120 JPY an hour with no campaign budget.
 */
export const DEFAULT_SCHEDULES: Readonly<Record<'x' | 'meta', readonly SpendSegment[]>> = {
  x: [seg('8wku2', 275, 1200, 30, 12), seg('8wku4', 100, 800, 10, 4)],
  meta: [seg('120210000000101', 150, 2000, 40, 20), seg('120210000000103', 120, 5000, 15, 0)],
};

export function scheduleOf(state: SandboxState, platform: 'x' | 'meta'): SpendSegment[] {
  const s = (state[platform] as { spendSchedule?: SpendSegment[] }).spendSchedule;
  return s ? [...s] : [...DEFAULT_SCHEDULES[platform]];
}

/** How many whole delivery hours of a zone lie in [startMs, endMs), counting only hours ended by `nowMs`. */
export function deliveredHours(startMs: number, endMs: number, nowMs: number, offsetMinutes: number): number {
  // Hour slots start where the local minute is 0: at UTC hour + (−offset mod 60) minutes.
  const shift = (((-offsetMinutes % 60) + 60) % 60) * 60_000;
  const up = (ms: number) => Math.ceil((ms - shift) / HOUR) * HOUR + shift;
  const down = (ms: number) => Math.floor((ms - shift) / HOUR) * HOUR + shift;
  const a = up(startMs);
  const b = Math.min(down(endMs), down(nowMs));
  return b > a ? (b - a) / HOUR : 0;
}

/** The i-th of n equal integer shares of v (the shares add up to v). */
export function share(v: number, index: number, count: number): number {
  if (count <= 1) return v;
  return Math.floor(v / count) + (index < v % count ? 1 : 0);
}

/**
 * Delivery of one campaign (or of one of its ad groups, with `part`) in [startMs, endMs), as of
 * `nowMs`. `offsetMinutes` is the account zone's offset (for the hour alignment).
 */
export function delivery(
  schedule: readonly SpendSegment[], campaignId: string, range: { startMs: number; endMs: number }, nowMs: number, offsetMinutes: number,
  part?: { index: number; count: number },
): Delivery {
  const out: Delivery = { impressions: 0, clicks: 0, results: 0, spendMinor: 0 };
  for (const s of schedule) {
    if (s.campaignId !== campaignId) continue;
    const from = s.from ? Date.parse(s.from) : -Infinity;
    const until = s.until ? Date.parse(s.until) : Infinity;
    const hours = deliveredHours(Math.max(range.startMs, from), Math.min(range.endMs, until), nowMs, offsetMinutes);
    if (hours === 0) continue;
    const p = (v: number) => (part ? share(v, part.index, part.count) : v) * hours;
    out.impressions += p(s.impressionsPerHour);
    out.clicks += p(s.clicksPerHour);
    out.results += p(s.resultsPerHour);
    out.spendMinor += p(s.spendPerHour);
  }
  return out;
}

/** Spend as a decimal string in major units, exactly (Meta insights `spend`): 1234 USD minor → "12.34". */
export function majorString(minor: number, currency: string): string {
  const e = currencyExponent(currency) ?? 2;
  if (e === 0) return String(minor);
  const digits = String(minor).padStart(e + 1, '0');
  return `${digits.slice(0, -e)}.${digits.slice(-e)}`;
}

/** Spend in micros of the major unit (X `billed_charge_local_micro`), exactly. */
export function micros(minor: number, currency: string): number {
  return minor * 10 ** (6 - (currencyExponent(currency) ?? 2));
}

/**
 * Control routes for tests and `adctl sandbox serve` users (handled in server.ts before anything
 * else under `/__sandbox/`):
 * - `GET|POST /__sandbox/clock` `{"now":"2026-11-01T21:00:00Z"}` fixes the sandbox clock (`null`
 *   lets it follow the real clock again). Spend "by now" follows this clock.
 * - `GET|POST /__sandbox/spend` `{"platform":"x","schedule":[SpendSegment…]}` replaces a platform's
 *   delivery schedule (`null` restores the seeded one).
 */
export function spendControl(
  what: string, req: { method: string; json: unknown }, state: import('./state.js').StateStore,
  clock: { get(): Date; set(now: Date | null): void },
): { status: number; body: unknown } | undefined {
  if (what === 'clock') {
    if (req.method === 'GET') return { status: 200, body: { now: clock.get().toISOString() } };
    if (req.method !== 'POST') return undefined;
    const now = (req.json as { now?: unknown } | undefined)?.now;
    if (now === null) {
      clock.set(null);
      return { status: 200, body: { now: clock.get().toISOString() } };
    }
    if (typeof now !== 'string' || Number.isNaN(Date.parse(now))) return { status: 400, body: { error: 'clock: "now" must be an ISO 8601 time or null' } };
    clock.set(new Date(Date.parse(now)));
    return { status: 200, body: { now: clock.get().toISOString() } };
  }
  if (what === 'spend') {
    if (req.method === 'GET') {
      const s = state.read();
      return { status: 200, body: { x: scheduleOf(s, 'x'), meta: scheduleOf(s, 'meta') } };
    }
    if (req.method !== 'POST') return undefined;
    const body = req.json as { platform?: unknown; schedule?: unknown } | undefined;
    const platform = body?.platform;
    if (platform !== 'x' && platform !== 'meta') return { status: 400, body: { error: 'spend: "platform" must be x or meta' } };
    const problem = validSchedule(body?.schedule);
    if (problem) return { status: 400, body: { error: `spend: ${problem}` } };
    setSchedule(state, platform, body!.schedule as SpendSegment[] | null);
    return { status: 200, body: { ok: true } };
  }
  return undefined;
}

/** Replace a platform's schedule (null: back to the seeded one). */
export function setSchedule(state: import('./state.js').StateStore, platform: 'x' | 'meta', schedule: SpendSegment[] | null): void {
  state.mutate((s) => {
    const part = s[platform] as { spendSchedule?: SpendSegment[] };
    if (schedule === null) delete part.spendSchedule;
    else part.spendSchedule = schedule.map((x) => ({ ...x, from: x.from ?? null, until: x.until ?? null }));
  });
}

function validSchedule(v: unknown): string | undefined {
  if (v === null) return undefined;
  if (!Array.isArray(v)) return '"schedule" must be an array or null';
  for (const [i, s] of v.entries()) {
    const x = s as Partial<SpendSegment>;
    if (typeof x?.campaignId !== 'string' || !x.campaignId) return `schedule[${i}].campaignId must be a string`;
    for (const k of ['spendPerHour', 'impressionsPerHour', 'clicksPerHour', 'resultsPerHour'] as const) {
      if (!Number.isSafeInteger(x[k]) || (x[k] as number) < 0) return `schedule[${i}].${k} must be a whole number ≥ 0`;
    }
    for (const k of ['from', 'until'] as const) {
      if (x[k] !== undefined && x[k] !== null && (typeof x[k] !== 'string' || Number.isNaN(Date.parse(x[k] as string)))) return `schedule[${i}].${k} must be an ISO time or null`;
    }
  }
  return undefined;
}
