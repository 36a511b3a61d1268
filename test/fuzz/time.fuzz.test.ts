/**
 * Hostile inputs for the time parsers (issue 7 item 3): `--at` and posts times (parseTime),
 * `--as-of` (asOfFlag), `--since/--until/--preset` report periods (checkPeriod, resolvePeriod,
 * dateRange) and durations (parseDuration). Every input gives a correct value or a usage error
 * (exit 64; 78 for the ADCTL_TIMEOUT duration), never another exception.
 *
 * "Correct" is checked against an oracle written here, independently of src/core/time.ts: it reads
 * wall clocks with Intl directly and looks at every offset a zone uses within ±16 hours, so a
 * local time in a DST gap must be refused as nonexistent, one in a fall-back overlap as ambiguous
 * (naming both choices), and any other must come back as the one instant with that wall clock.
 * Inputs are biased towards the zones' real transitions in 2025–2027 (found by scanning), and the
 * zones include half-hour DST (Lord Howe), DST at midnight (Havana, Santiago), negative DST
 * (Dublin), a skipped calendar day (Apia, 2011-12-30) and a zone that does not exist.
 * `npm test` runs a few hundred cases per property; `npm run test:reliability` sets
 * ADCTL_FUZZ_RUNS=10000.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { dateRange } from '../../src/core/calendar.js';
import { parseDuration } from '../../src/core/settings.js';
import { parseTime, toUtcString } from '../../src/core/time.js';
import { checkPeriod, resolvePeriod, type PeriodSpec } from '../../src/services/period.js';
import { asOfFlag } from '../../src/cli/commands/report.js';
import { renderError } from '../../src/cli/render-error.js';
import { fuzzFigures } from '../helpers/figures.js';

const RUNS = Number(process.env.ADCTL_FUZZ_RUNS ?? 300);
const fuzz = fuzzFigures('fuzz: times (--at, --as-of, --since/--until, durations)', ['generated times, zones, DST gaps and overlaps, periods, durations']);

const ZONES = [
  'UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'Europe/Dublin',
  'Pacific/Chatham', 'America/St_Johns', 'Asia/Tokyo', 'Asia/Kolkata', 'Pacific/Apia', 'Africa/Casablanca',
];
const BAD_ZONES = ['Mars/Olympus_Mons', '', 'Europe/', '+01:00', '../../etc/passwd'];
const MIN = 60_000;
const HOUR = 60 * MIN;

// ---- the oracle: wall clocks straight from Intl -------------------------------------------------

const fmts = new Map<string, Intl.DateTimeFormat>();
/** The wall clock in `zone` at `ms`, as if it were UTC (ms precision dropped to the second). */
function wallAsUtc(ms: number, zone: string): number {
  let f = fmts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    fmts.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(ms))) p[part.type] = part.value;
  const year = p.era === 'BC' || p.era === 'B' ? 1 - Number(p.year) : Number(p.year);
  const d = new Date(Date.UTC(2000, Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)));
  d.setUTCFullYear(year);
  return d.getTime();
}
const offsetMin = (ms: number, zone: string) => Math.round((wallAsUtc(ms, zone) - Math.floor(ms / 1000) * 1000) / MIN);

/** Every instant whose wall clock in `zone` is `wall` (a wall time written as if UTC). */
function instantsWithWall(wall: number, zone: string): number[] {
  const offsets = new Set<number>();
  // Offsets lie within ±14 h, so every instant that could read `wall` is within 14 h of it.
  for (let h = -16; h <= 16; h++) offsets.add(offsetMin(wall + h * HOUR, zone));
  return [...offsets].map((o) => wall - o * MIN).filter((ms) => wallAsUtc(ms, zone) === Math.floor(wall / 1000) * 1000).sort((a, b) => a - b);
}

const localDateOf = (ms: number, zone: string) => new Date(wallAsUtc(ms, zone)).toISOString().slice(0, 10);

/** Offset changes (instant, offsets before and after) of `zone` in 2025–2027, to the minute. */
function transitions(zone: string): Array<{ at: number; before: number; after: number }> {
  const out: Array<{ at: number; before: number; after: number }> = [];
  const end = Date.UTC(2028, 0, 1);
  for (let t = Date.UTC(2025, 0, 1); t < end; t += 6 * HOUR) {
    const a = offsetMin(t, zone);
    const b = offsetMin(t + 6 * HOUR, zone);
    if (a === b) continue;
    let lo = t;
    let hi = t + 6 * HOUR;
    while (hi - lo > MIN) {
      const mid = lo + Math.floor((hi - lo) / 2 / MIN) * MIN;
      if (offsetMin(mid, zone) === a) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, before: a, after: b });
  }
  return out;
}
const TRANSITIONS = ZONES.flatMap((zone) => transitions(zone).map((t) => ({ zone, ...t })));

// ---- generators --------------------------------------------------------------------------------

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
interface Wall { y: number; mo: number; d: number; h: number; mi: number; s: number | undefined }
const wallText = (w: Wall, sep: string) => `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}${sep}${pad(w.h)}:${pad(w.mi)}${w.s === undefined ? '' : `:${pad(w.s)}`}`;
const fromUtc = (ms: number, s: boolean): Wall => {
  const d = new Date(ms);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: s ? d.getUTCSeconds() : undefined };
};

/** Wall clocks within two hours of a real transition, read with the offset before or after it: gaps, overlaps and their edges. */
const nearTransition = fc.record({
  t: fc.constantFrom(...TRANSITIONS),
  minutes: fc.integer({ min: -120, max: 120 }),
  side: fc.boolean(),
  seconds: fc.boolean(),
}).map(({ t, minutes, side, seconds }) => ({ zone: t.zone, wall: fromUtc(t.at + minutes * MIN + (side ? t.after : t.before) * MIN, seconds) }));

/** Any wall clock of a real instant in 1970–2100 in a listed zone. */
const anyInstant = fc.record({ ms: fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }), zone: fc.constantFrom(...ZONES), seconds: fc.boolean() })
  .map(({ ms, zone, seconds }) => ({ zone, wall: fromUtc(wallAsUtc(ms, zone), seconds) }));

/** Components out of range too (month 13, 24:00, Feb 30, second 60), years from 0000 to 9999. */
const rawWall = fc.record({
  zone: fc.constantFrom(...ZONES, ...BAD_ZONES),
  wall: fc.record({
    y: fc.oneof(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 9999 })),
    mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }), h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }), s: fc.option(fc.integer({ min: 0, max: 61 }), { nil: undefined }),
  }),
});

const offsetText = fc.oneof(
  fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+14:00', '-12:00', '+05:45', '+18:00', '-18:00', '+18:01', '+23:59', '-99:99'),
  fc.record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 24 }), m: fc.integer({ min: 0, max: 60 }) }).map(({ sign, h, m }) => `${sign}${pad(h)}:${pad(m)}`),
);

const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, mo: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
const realWall = (w: Wall) => w.mo >= 1 && w.mo <= 12 && w.d >= 1 && w.d <= daysIn(w.y, w.mo) && w.h <= 23 && w.mi <= 59 && (w.s ?? 0) <= 59;
const wallMs = (w: Wall) => {
  const d = new Date(Date.UTC(2000, w.mo - 1, w.d, w.h, w.mi, w.s ?? 0));
  d.setUTCFullYear(w.y);
  return d.getTime();
};
const offsetMinutesOf = (o: string) => (o.toUpperCase() === 'Z' ? 0 : (o.startsWith('-') ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(4, 6))));

const code = (r: unknown) => (r instanceof AdctlError ? r.code : 'value');

// ---- properties --------------------------------------------------------------------------------

describe('--at (parseTime)', () => {
  it('any text in any zone: a consistent instant or exit 64', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('2026-03-29T02:30', '2026-10-25 02:30:00', '2026-02-30T10:00Z', '9999-12-31T23:59:59.999999999-18:00', ' 2026-01-01t00:00z ')), fc.constantFrom(...ZONES, ...BAD_ZONES), (text, zone) => {
      const r = fuzz.usageOr(() => parseTime(text, zone, 'flag'));
      if (r instanceof AdctlError) return;
      expect(Number.isSafeInteger(r.ms)).toBe(true);
      expect(r.utc).toBe(toUtcString(r.ms));
      expect(Math.abs(r.offsetMinutes)).toBeLessThanOrEqual(18 * 60);
      // The instant read back from its own UTC text is the same second.
      expect(parseTime(r.utc, 'UTC', 'flag').ms).toBe(Math.floor(r.ms / 1000) * 1000);
    }), { numRuns: RUNS });
  });

  it('a local wall time: the one instant with that wall clock, refused in a DST gap, ambiguous in an overlap', () => {
    fc.assert(fc.property(fc.oneof(nearTransition, nearTransition, anyInstant, rawWall), fc.constantFrom('T', ' ', 't'), ({ zone, wall }, sep) => {
      const r = fuzz.usageOr(() => parseTime(wallText(wall, sep), zone, 'flag'));
      const real = realWall(wall) && wall.y >= 100;
      if (!real) {
        expect(code(r)).toBe('INVALID_TIME');
        return;
      }
      if (BAD_ZONES.includes(zone)) {
        expect(code(r)).toBe('INVALID_TIME_ZONE');
        return;
      }
      // Before 1970 many zones kept local mean time, offsets with seconds (Berlin +00:53:28) that
      // minute offsets cannot state: there only "a value or exit 64" is asked (first property).
      if (wall.y < 1970) return;
      const found = instantsWithWall(wallMs(wall), zone);
      if (found.length === 0) {
        expect(code(r)).toBe('NONEXISTENT_LOCAL_TIME');
      } else if (found.length === 2) {
        expect(code(r)).toBe('AMBIGUOUS_LOCAL_TIME');
        // Each choice it offers, written with its offset, is one of the two instants.
        const choices = ((r as AdctlError).details?.choices as string[]).map((c) => parseTime(c, 'UTC', 'flag').ms);
        expect(choices).toEqual(found);
      } else {
        expect(found).toHaveLength(1);
        expect(r).toMatchObject({ ms: found[0], zone, source: 'flag', offsetMinutes: offsetMin(found[0]!, zone) });
      }
    }), { numRuns: RUNS });
  });

  it('a time with an offset: exactly that instant whatever the zone, or refused when the date or offset is impossible', () => {
    fc.assert(fc.property(fc.oneof(anyInstant, rawWall, nearTransition), offsetText, ({ zone, wall }, off) => {
      const r = fuzz.usageOr(() => parseTime(`${wallText(wall, 'T')}${off}`, zone, 'flag'));
      const minutes = offsetMinutesOf(off);
      // RFC 3339 offsets have minutes 00–59; adctl also refuses offsets beyond ±18:00.
      if (!realWall(wall) || wall.y < 100 || (off.length > 1 && Number(off.slice(4, 6)) > 59)) {
        expect(code(r)).toBe('INVALID_TIME');
        return;
      }
      if (Math.abs(minutes) > 18 * 60) {
        expect(code(r)).toBe('INVALID_TIME');
        return;
      }
      expect(r).toMatchObject({ ms: wallMs(wall) - minutes * MIN, source: 'offset', offsetMinutes: minutes });
    }), { numRuns: RUNS });
  });
});

describe('--start/--end (ad groups read them with parseTime, in --tz or the account\'s zone)', () => {
  it('any text: a value, or one line that names the flag (or the zone) with a hint', () => {
    const controls = fc.string({ unit: fc.constantFrom('\n', '\r', '\t', '\u001b', '2', '0', '-', ':', 'T', ' '), maxLength: 30 });
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), controls, rawWall.map(({ wall }) => wallText(wall, 'T')), nearTransition.map(({ wall }) => wallText(wall, ' '))), fc.constantFrom('--start', '--end'), fc.constantFrom(...ZONES, ...BAD_ZONES), (text, flag, zone) => {
      const r = fuzz.usageOr(() => parseTime(text, zone, 'account', flag));
      if (!(r instanceof AdctlError)) return;
      expect(r.hint).toBeTruthy();
      // What the user sees: an error line and a hint line, with no control character that could
      // move the cursor or recolour the terminal, however hostile the text quoted.
      let shown = '';
      expect(renderError(r, { json: false, debug: false, redact: (t) => t, write: (t) => (shown += t) })).toBe(64);
      expect(shown.split('\n')).toHaveLength(3);
      // eslint-disable-next-line no-control-regex
      expect(shown.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      if (r.code === 'INVALID_TIME') expect(r.message.startsWith(`${flag} `)).toBe(true);
      else expect(r.message).toContain(zone === '' ? '"' : zone);
    }), { numRuns: RUNS });
  });
});

describe('--as-of', () => {
  it('any text: an instant given with an offset, or exit 64 (a local time needs an offset)', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 40 }), anyInstant.map(({ wall }) => wallText(wall, 'T')), fc.tuple(anyInstant, offsetText).map(([{ wall }, o]) => `${wallText(wall, 'T')}${o}`)), async (text) => {
      let value: number | undefined;
      let thrown: unknown;
      try {
        value = await asOfFlag(text);
      } catch (e) {
        thrown = e ?? new Error('undefined thrown');
      }
      const r = fuzz.usageOr(() => {
        if (thrown !== undefined) throw thrown;
        return value;
      });
      if (r instanceof AdctlError) {
        const withOffset = /(Z|[+-]\d{2}:\d{2})$/i.test(text.trim());
        if (r.code === 'OFFSET_REQUIRED') expect(withOffset).toBe(false);
        return;
      }
      expect(r).toBe(parseTime(text, 'UTC', 'flag').ms);
      expect(parseTime(text, 'UTC', 'flag').source).toBe('offset');
    }), { numRuns: RUNS });
  });
});

describe('--since/--until/--preset', () => {
  const dateText = fc.oneof(
    fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }).map((ms) => new Date(ms).toISOString().slice(0, 10)),
    fc.constantFrom('2011-12-30', '2011-12-29', '2026-02-29', '2024-02-29', '2026-13-01', '2026-1-1', '20260101', 'today', ''),
    fc.string({ maxLength: 12 }),
  );
  const spec = fc.record({
    preset: fc.option(fc.oneof(fc.constantFrom('today', 'yesterday', 'last_7d', 'this_month'), fc.string({ maxLength: 10 })), { nil: undefined }),
    since: fc.option(dateText, { nil: undefined }),
    until: fc.option(dateText, { nil: undefined }),
  });
  const now = fc.oneof(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.integer({ min: Date.UTC(2011, 11, 20), max: Date.UTC(2012, 0, 10) }));

  it('any flags: a period of real days in the account\'s zone whose instants start and end on its midnights, or exit 64', () => {
    fc.assert(fc.property(spec, fc.constantFrom(...ZONES), now, (flags, zone, nowMs) => {
      const checked = fuzz.usageOr(() => checkPeriod(flags as PeriodSpec));
      if (checked instanceof AdctlError) return;
      const { since, until } = resolvePeriod(checked, zone, nowMs);
      expect(since <= until).toBe(true);
      for (const d of [since, until]) expect(new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10)).toBe(d);
      if (!checked.since && !checked.until) expect(until <= localDateOf(nowMs, zone)).toBe(true);
      const { startMs, endMs } = dateRange(since, until, zone);
      expect(startMs).toBeLessThanOrEqual(endMs);
      // The first instant whose wall date is `since` or later (a skipped day starts where the next one does) …
      expect(localDateOf(startMs, zone) >= since).toBe(true);
      expect(localDateOf(startMs - MIN, zone) < since).toBe(true);
      // … and the range ends at the first instant after `until`.
      expect(localDateOf(endMs, zone) > until).toBe(true);
      expect(localDateOf(endMs - MIN, zone) <= until).toBe(true);
    }), { numRuns: RUNS });
  });
});

describe('durations (--timeout, ADCTL_TIMEOUT)', () => {
  it('n ms|s|m is exactly that many milliseconds within 1 ms–60 min, anything else a configuration error', () => {
    fc.assert(fc.property(fc.oneof(
      fc.tuple(fc.nat(5_000_000), fc.constantFrom('ms', 's', 'm', 'h', 'S', '', '.5s'), fc.constantFrom('', ' ', '\t')).map(([n, u, p]) => ({ text: `${p}${n}${u}${p}`, n, u })),
      fc.string({ maxLength: 12 }).map((text) => ({ text, n: NaN, u: '?' })),
    ), ({ text, n, u }) => {
      const r = fuzz.usageOr(() => parseDuration(text, 'ADCTL_TIMEOUT'), [78]);
      const factor = ({ ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[u];
      if (factor !== undefined && n * factor >= 1 && n * factor <= 3_600_000) expect(r).toBe(n * factor);
      else if (u !== '?') expect(code(r)).toBe('INVALID_DURATION');
      else if (!(r instanceof AdctlError)) expect(r).toBeGreaterThan(0);
    }), { numRuns: RUNS });
  });
});
