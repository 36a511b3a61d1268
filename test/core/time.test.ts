/** Golden tests for reading typed times (DESIGN §10), including DST gaps and fall-backs. */
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { describeTime, parseTime, postsZone } from '../../src/core/time.js';

function refused(f: () => unknown): AdctlError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AdctlError);
    return e as AdctlError;
  }
  throw new Error('expected a refusal');
}

describe('parseTime', () => {
  it.each([
    ['2026-12-01T09:00:00+01:00', '2026-12-01T08:00:00Z', 'UTC+01:00', 60],
    ['2026-12-01T08:00Z', '2026-12-01T08:00:00Z', 'UTC', 0],
    ['2026-07-01T09:30:15-04:00', '2026-07-01T13:30:15Z', 'UTC-04:00', -240],
    ['2026-12-01T09:00:00.750+05:30', '2026-12-01T03:30:00Z', 'UTC+05:30', 330],
  ])('RFC 3339 %s is %s whatever the zone', (text, utc, zone, offset) => {
    const t = parseTime(text, 'America/New_York', 'flag');
    expect([t.utc, t.zone, t.source, t.offsetMinutes]).toEqual([utc, zone, 'offset', offset]);
  });

  it.each([
    ['2026-12-01T09:00', 'Europe/Berlin', '2026-12-01T08:00:00Z', 60],
    ['2026-07-01 09:00', 'Europe/Berlin', '2026-07-01T07:00:00Z', 120],
    ['2026-12-01T09:00:30', 'Asia/Tokyo', '2026-12-01T00:00:30Z', 540],
    ['2026-03-29T03:00', 'Europe/Berlin', '2026-03-29T01:00:00Z', 120],
    ['2026-03-29T01:59', 'Europe/Berlin', '2026-03-29T00:59:00Z', 60],
  ])('local %s in %s is %s', (text, zone, utc, offset) => {
    const t = parseTime(text, zone, 'env');
    expect([t.utc, t.zone, t.source, t.offsetMinutes]).toEqual([utc, zone, 'env', offset]);
  });

  it('refuses a local time in a DST gap (Berlin, 29 March 2026, 02:30 does not exist)', () => {
    const e = refused(() => parseTime('2026-03-29T02:30', 'Europe/Berlin', 'flag'));
    expect([e.code, e.exitCode]).toEqual(['NONEXISTENT_LOCAL_TIME', 64]);
    expect(e.message).toBe('2026-03-29T02:30 does not exist in Europe/Berlin: the clocks skip it (daylight saving time starts)');
    expect(e.hint).toContain('2026-03-29T02:30+02:00');
  });

  it('refuses a local time in a DST gap in New York (8 March 2026, 02:15)', () => {
    expect(refused(() => parseTime('2026-03-08T02:15', 'America/New_York', 'flag')).code).toBe('NONEXISTENT_LOCAL_TIME');
  });

  it('needs an explicit offset for an ambiguous fall-back time (Berlin, 25 October 2026, 02:30)', () => {
    const e = refused(() => parseTime('2026-10-25T02:30', 'Europe/Berlin', 'flag'));
    expect([e.code, e.exitCode]).toEqual(['AMBIGUOUS_LOCAL_TIME', 64]);
    expect(e.details).toEqual({ choices: ['2026-10-25T02:30+02:00', '2026-10-25T02:30+01:00'] });
    expect(e.hint).toBe('write it with an offset: 2026-10-25T02:30+02:00 (first) or 2026-10-25T02:30+01:00 (second)');
    // Either choice, written with its offset, is accepted.
    expect(parseTime('2026-10-25T02:30+02:00', 'Europe/Berlin', 'flag').utc).toBe('2026-10-25T00:30:00Z');
    expect(parseTime('2026-10-25T02:30+01:00', 'Europe/Berlin', 'flag').utc).toBe('2026-10-25T01:30:00Z');
  });

  it('the fall-back in New York (1 November 2026, 01:30) is ambiguous too; 03:00 is not', () => {
    expect(refused(() => parseTime('2026-11-01T01:30', 'America/New_York', 'flag')).code).toBe('AMBIGUOUS_LOCAL_TIME');
    expect(parseTime('2026-11-01T03:00', 'America/New_York', 'flag').utc).toBe('2026-11-01T08:00:00Z');
  });

  it.each(['tomorrow', '2026-02-30T09:00', '2026-12-01T24:00', '2026-12-01', '2026-12-01T09:00+25:00', '2026-13-01T09:00'])('refuses %s with exit 64', (text) => {
    const e = refused(() => parseTime(text, 'UTC', 'flag'));
    expect(e.exitCode).toBe(64);
    expect(e.hint).toBeTruthy();
  });

  it('refuses an unknown zone', () => {
    expect(refused(() => parseTime('2026-12-01T09:00', 'Mars/Olympus', 'flag')).code).toBe('INVALID_TIME_ZONE');
  });

  // Found by test/fuzz/time.fuzz.test.ts: both were read as instants before.
  it('refuses offset minutes over 59 and instants RFC 3339 cannot write in UTC', () => {
    expect(refused(() => parseTime('2026-12-01T09:00+00:60', 'UTC', 'flag')).code).toBe('INVALID_TIME');
    expect(refused(() => parseTime('9999-12-31T23:59:59-18:00', 'UTC', 'flag')).message).toMatch(/outside the years 0001–9999/);
    expect(refused(() => parseTime('9999-12-31T23:30', 'America/New_York', 'flag')).code).toBe('INVALID_TIME');
    expect(parseTime('9999-12-31T23:59:59Z', 'UTC', 'flag').utc).toBe('9999-12-31T23:59:59Z');
  });
});

describe('postsZone and describeTime', () => {
  it('takes --tz, then ADCTL_TZ, then the profile, then the system zone', () => {
    expect(postsZone({ flag: 'Asia/Tokyo', env: 'UTC', profile: 'Europe/Berlin', system: 'America/New_York' })).toEqual({ zone: 'Asia/Tokyo', source: 'flag' });
    expect(postsZone({ env: 'UTC', profile: 'Europe/Berlin', system: 'America/New_York' })).toEqual({ zone: 'UTC', source: 'env' });
    expect(postsZone({ profile: 'Europe/Berlin', system: 'America/New_York' })).toEqual({ zone: 'Europe/Berlin', source: 'profile' });
    expect(postsZone({ system: 'America/New_York' })).toEqual({ zone: 'America/New_York', source: 'system' });
    expect(() => postsZone({ env: 'Nowhere/Else' })).toThrow(/ADCTL_TZ "Nowhere\/Else" is not a time zone/);
  });

  it('says which zone was used', () => {
    expect(describeTime(parseTime('2026-12-01T09:00', 'Europe/Berlin', 'flag'))).toBe('2026-12-01 09:00 Europe/Berlin (UTC+01:00), zone from --tz; 2026-12-01T08:00:00Z');
    expect(describeTime(parseTime('2026-12-01T09:00+09:00', 'Europe/Berlin', 'flag'))).toBe('2026-12-01 09:00 UTC+09:00, zone from the offset written; 2026-12-01T00:00:00Z');
  });
});
