/**
 * Golden tests of the pure pacing function (services/pacing.ts) and of the account-zone calendar
 * it stands on. Every expected figure is worked out by hand in the comment next to it.
 */
import { describe, expect, it } from 'vitest';
import { dayStart } from '../../src/core/calendar.js';
import { decimalString, moneyString, pace, THRESHOLDS, type PacingInput } from '../../src/services/pacing.js';
import { checkPeriod, resolvePeriod } from '../../src/services/period.js';

const M = 1_000_000;
const at = (iso: string) => Date.parse(iso);

/** The figures a report prints: expected money, pacing %, flags, elapsed days as n/d. */
function golden(input: PacingInput, currency: string) {
  const r = pace(input);
  return {
    expected: r.expected ? moneyString(r.expected, currency) : null,
    pacing: r.percent ? decimalString(r.percent, 1) : null,
    flags: r.flags,
    elapsedDays: `${r.elapsedDays.n}/${r.elapsedDays.d}`,
    daysBegun: r.daysBegun,
  };
}

const ny = (o: Partial<PacingInput>): PacingInput => ({
  zone: 'America/New_York', nowMs: at('2026-11-10T19:00:00Z'), since: '2026-11-10', until: '2026-11-10',
  budget: { period: 'daily', micros: 50 * M }, active: true, spendMicros: 30 * M, ...o,
});

describe('pace (golden)', () => {
  it('an ordinary day: 14:00 in New York is 14/24 of the day', () => {
    // 50.00 × 14/24 = 29.1666… → 29.17; 30.00 / 29.1666… = 102.857…% → 102.9
    expect(golden(ny({}), 'USD')).toEqual({ expected: '29.17', pacing: '102.9', flags: [], elapsedDays: '7/12', daysBegun: 1 });
  });

  it('the DST fall-back day has 25 hours: 15:00 EST on 1 Nov 2026 is 16/25 of it', () => {
    // The day starts 00:00 EDT (04:00Z); 20:00Z is 16 hours later. 50.00 × 16/25 = 32.00; 40 / 32 = 125 % > 120 %.
    expect(golden(ny({ nowMs: at('2026-11-01T20:00:00Z'), since: '2026-11-01', until: '2026-11-01', spendMicros: 40 * M }), 'USD'))
      .toEqual({ expected: '32.00', pacing: '125.0', flags: ['over_pacing'], elapsedDays: '16/25', daysBegun: 1 });
  });

  it('the DST spring-forward day has 23 hours: 12:00 EDT on 8 Mar 2026 is 11/23 of it', () => {
    // The day starts 00:00 EST (05:00Z); 16:00Z is 11 hours later. 50.00 × 11/23 = 23.913… → 23.91; 10 / 23.913 = 41.818…% → 41.8 < 80 %.
    expect(golden(ny({ nowMs: at('2026-03-08T16:00:00Z'), since: '2026-03-08', until: '2026-03-08', spendMicros: 10 * M }), 'USD'))
      .toEqual({ expected: '23.91', pacing: '41.8', flags: ['under_pacing'], elapsedDays: '11/23', daysBegun: 1 });
  });

  it('Tokyo, a zero-decimal currency: 10:00 JST is 10/24 of the day', () => {
    // 5000 × 10/24 = 2083.33… → 2083 JPY; 1500 / 2083.33… = 72 % < 80 %.
    const r = golden({ zone: 'Asia/Tokyo', nowMs: at('2026-11-10T01:00:00Z'), since: '2026-11-10', until: '2026-11-10', budget: { period: 'daily', micros: 5000 * M }, active: true, spendMicros: 1500 * M }, 'JPY');
    expect(r).toEqual({ expected: '2083', pacing: '72.0', flags: ['under_pacing'], elapsedDays: '5/12', daysBegun: 1 });
  });

  it('whole past days count one day each; spend above daily × days begun is over budget', () => {
    // last_7d in Tokyo: 7 whole days; 5000 × 7 = 35000; 36000 / 35000 = 102.857…% → 102.9; 36000 > 35000.
    const r = golden({ zone: 'Asia/Tokyo', nowMs: at('2026-11-10T01:00:00Z'), since: '2026-11-03', until: '2026-11-09', budget: { period: 'daily', micros: 5000 * M }, active: true, spendMicros: 36_000 * M }, 'JPY');
    expect(r).toEqual({ expected: '35000', pacing: '102.9', flags: ['over_budget'], elapsedDays: '7/1', daysBegun: 7 });
  });

  it('this month in New York, across the 25-hour day: 9 whole days + 14/24', () => {
    // 50.00 × (9 + 7/12) = 50 × 115/12 = 479.1666… → 479.17; 400 / 479.1666… = 83.478…% → 83.5.
    expect(golden(ny({ since: '2026-11-01', until: '2026-11-10', spendMicros: 400 * M }), 'USD'))
      .toEqual({ expected: '479.17', pacing: '83.5', flags: [], elapsedDays: '115/12', daysBegun: 10 });
  });

  it('days that have not begun count nothing', () => {
    expect(golden(ny({ until: '2026-11-12' }), 'USD')).toEqual({ expected: '29.17', pacing: '102.9', flags: [], elapsedDays: '7/12', daysBegun: 1 });
  });

  it('a campaign that started at noon has only the hours since its start', () => {
    // Start 17:00Z (12:00 EST), now 19:00Z: 2/24 of the day. 50 × 1/12 = 4.1666… → 4.17; 3 / 4.1666 = 72 %.
    expect(golden(ny({ schedule: { startMs: at('2026-11-10T17:00:00Z'), endMs: null }, spendMicros: 3 * M }), 'USD'))
      .toEqual({ expected: '4.17', pacing: '72.0', flags: ['under_pacing'], elapsedDays: '1/12', daysBegun: 1 });
  });

  it('a lifetime budget paces over its flight', () => {
    // Flight 1 Nov 00:00Z – 11 Nov 00:00Z (240 h); period 6 Nov UTC, now 12:00Z: 12/240 of 1000.00 = 50.00; 50 / 50 = 100 %.
    const r = golden({ zone: 'UTC', nowMs: at('2026-11-06T12:00:00Z'), since: '2026-11-06', until: '2026-11-06', budget: { period: 'lifetime', micros: 1000 * M },
      schedule: { startMs: at('2026-11-01T00:00:00Z'), endMs: at('2026-11-11T00:00:00Z') }, active: true, spendMicros: 50 * M }, 'USD');
    expect(r).toEqual({ expected: '50.00', pacing: '100.0', flags: [], elapsedDays: '1/2', daysBegun: 1 });
  });

  it('a lifetime budget without an end, no budget, or a paused campaign: no pacing', () => {
    expect(golden(ny({ budget: { period: 'lifetime', micros: 1000 * M } }), 'USD')).toMatchObject({ expected: null, pacing: null, flags: [] });
    expect(golden(ny({ budget: null }), 'USD')).toMatchObject({ expected: null, pacing: null, flags: ['no_budget'] });
    expect(golden(ny({ active: false, spendMicros: 500 * M }), 'USD')).toMatchObject({ expected: null, pacing: null, flags: [] });
  });

  it('a day whose midnight does not exist (Santiago, 6 Sep 2026) starts at 01:00 and has 23 hours', () => {
    // Clocks go from 00:00 −04 to 01:00 −03: the day starts 04:00Z and ends 03:00Z on the 7th.
    expect(new Date(dayStart('2026-09-06', 'America/Santiago')).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(dayStart('2026-09-07', 'America/Santiago') - dayStart('2026-09-06', 'America/Santiago')).toBe(23 * 3_600_000);
    // 12:00 −03 (15:00Z) is 11 hours into it: 23000 CLP × 11/23 = 11000 exactly.
    const r = golden({ zone: 'America/Santiago', nowMs: at('2026-09-06T15:00:00Z'), since: '2026-09-06', until: '2026-09-06', budget: { period: 'daily', micros: 23_000 * M }, active: true, spendMicros: 11_000 * M }, 'CLP');
    expect(r).toEqual({ expected: '11000', pacing: '100.0', flags: [], elapsedDays: '11/23', daysBegun: 1 });
  });

  it('thresholds are exact: 120 % is not over-pacing, a micro more is', () => {
    expect(THRESHOLDS).toEqual({ overPacingPct: 120, underPacingPct: 80 });
    // Expected 32.00 (16/25 of 50): 120 % = 38.40; 80 % = 25.60.
    const at120 = ny({ nowMs: at('2026-11-01T20:00:00Z'), since: '2026-11-01', until: '2026-11-01', spendMicros: 38_400_000 });
    expect(pace(at120).flags).toEqual([]);
    expect(pace({ ...at120, spendMicros: 38_400_001 }).flags).toEqual(['over_pacing']);
    expect(pace({ ...at120, spendMicros: 25_600_000 }).flags).toEqual([]);
    expect(pace({ ...at120, spendMicros: 25_599_999 }).flags).toEqual(['under_pacing']);
  });

  it('rounds money half up to the minor unit and keeps three-decimal currencies', () => {
    expect(moneyString({ n: 5_000n, d: 1n }, 'USD')).toBe('0.01');
    expect(moneyString({ n: 4_999n, d: 1n }, 'USD')).toBe('0.00');
    expect(moneyString({ n: 12_345_500n, d: 1n }, 'KWD')).toBe('12.346');
    expect(decimalString({ n: 1n, d: 3n }, 4)).toBe('0.3333');
  });
});

describe('report periods per account zone', () => {
  const now = at('2026-11-10T01:00:00Z'); // 9 Nov 20:00 in New York, 10 Nov 10:00 in Tokyo
  it('resolves presets in each zone', () => {
    expect(resolvePeriod({ preset: 'today' }, 'America/New_York', now)).toEqual({ since: '2026-11-09', until: '2026-11-09' });
    expect(resolvePeriod({ preset: 'today' }, 'Asia/Tokyo', now)).toEqual({ since: '2026-11-10', until: '2026-11-10' });
    expect(resolvePeriod({ preset: 'yesterday' }, 'Asia/Tokyo', now)).toEqual({ since: '2026-11-09', until: '2026-11-09' });
    expect(resolvePeriod({ preset: 'last_7d' }, 'Asia/Tokyo', now)).toEqual({ since: '2026-11-03', until: '2026-11-09' });
    expect(resolvePeriod({ preset: 'this_month' }, 'America/New_York', now)).toEqual({ since: '2026-11-01', until: '2026-11-09' });
    expect(resolvePeriod({ since: '2026-11-01' }, 'Asia/Tokyo', now)).toEqual({ since: '2026-11-01', until: '2026-11-10' });
    expect(resolvePeriod({ until: '2026-11-05' }, 'Asia/Tokyo', now)).toEqual({ since: '2026-11-05', until: '2026-11-05' });
  });
  it('refuses bad periods before anything is sent (exit 64)', () => {
    for (const spec of [{ preset: 'today' as const, since: '2026-11-01' }, { since: '2026-02-30' }, { since: '2026-11-05', until: '2026-11-01' }]) {
      expect(() => checkPeriod(spec)).toThrow(expect.objectContaining({ exitCode: 64 }));
    }
    expect(checkPeriod({})).toEqual({ preset: 'today' });
  });
});
