/**
 * The pure parts of the ad group service (flag parsing for targeting, ages and bid strategies)
 * and of undo for ad group entries. Every bad input is a usage error (exit 64) naming its flag.
 */
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { bidFlagStrategy, parseAgeRange, parseTargeting } from '../../src/services/adgroups.js';
import type { AuditEntry } from '../../src/services/audit.js';
import { planUndo } from '../../src/services/undo.js';

function usage(f: () => unknown): AdctlError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AdctlError);
    expect((e as AdctlError).exitCode).toBe(64);
    return e as AdctlError;
  }
  throw new Error('expected a usage error');
}

describe('parseAgeRange', () => {
  it.each([
    ['18-34', { ageMin: 18, ageMax: 34 }],
    [' 25 - 49 ', { ageMin: 25, ageMax: 49 }],
    ['25+', { ageMin: 25, ageMax: null }],
    ['25-', { ageMin: 25, ageMax: null }],
    ['-34', { ageMin: null, ageMax: 34 }],
    ['21', { ageMin: 21, ageMax: 21 }],
    ['13-65', { ageMin: 13, ageMax: 65 }],
  ])('%s', (text, expected) => {
    expect(parseAgeRange(text)).toEqual(expected);
  });

  it.each(['', '-', '+', '12-30', '18-66', '34-18', 'eighteen', '18-34-50', '+30', '18+30'])('refuses %j with exit 64', (text) => {
    expect(usage(() => parseAgeRange(text)).code).toBe('INVALID_AGE');
  });
});

describe('parseTargeting', () => {
  it('keeps only the fields given, normalised (upper-case countries, lower-case enums, no duplicates)', () => {
    expect(parseTargeting({})).toBeUndefined();
    expect(parseTargeting({ countries: ['us,gb', 'DE', 'us'] })).toEqual({ countries: ['US', 'GB', 'DE'] });
    expect(parseTargeting({ age: '18-34', placements: ['Feed, stories'], publisherPlatforms: ['facebook', 'instagram,facebook'] })).toEqual({
      ageMin: 18, ageMax: 34, placements: ['feed', 'stories'], publisherPlatforms: ['facebook', 'instagram'],
    });
  });

  it('refuses unknown countries, placements and publisher platforms, naming the flag and every bad value', () => {
    expect(usage(() => parseTargeting({ countries: ['USA', 'G1'] })).message).toBe('--countries: "USA", "G1" are not an ISO 3166 two-letter code');
    expect(usage(() => parseTargeting({ placements: ['feed', 'billboard'] })).message).toMatch(/^--placements: "billboard" is not one of feed, stories/);
    expect(usage(() => parseTargeting({ publisherPlatforms: ['tiktok'] })).message).toMatch(/^--publisher-platforms: "tiktok"/);
  });
});

describe('bidFlagStrategy', () => {
  it('a bare --bid is a maximum bid; a strategy is read case-insensitively; nothing given is no bid', () => {
    expect(bidFlagStrategy({})).toBeUndefined();
    expect(bidFlagStrategy({ amount: '1.50 USD' })).toBe('max');
    expect(bidFlagStrategy({ strategy: 'AUTO' })).toBe('auto');
    expect(bidFlagStrategy({ strategy: 'cost-cap', amount: '2 USD' })).toBe('cost_cap');
    expect(usage(() => bidFlagStrategy({ strategy: 'cheapest' })).code).toBe('INVALID_BID_STRATEGY');
  });
});

describe('planUndo for ad group entries', () => {
  const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
    id: 'e1', time: '2026-11-29T03:00:00Z', profile: 'env', platform: 'meta', ref: 'meta:120220000000004', operation: 'adgroup.update',
    before: { name: 'Tokyo', status: 'active', budget: { period: 'daily', amount: '2000', currency: 'JPY' }, bid: null },
    after: { name: 'Tokyo', status: 'paused', budget: { period: 'daily', amount: '7000', currency: 'JPY' }, bid: null },
    requestId: 'r1', outcome: 'ok', ...over,
  });

  it('restores status and budget of an ad group update', () => {
    const plan = planUndo(entry(), { name: 'Tokyo', status: 'paused', budget: { period: 'daily', amount: '7000', currency: 'JPY' } }, false);
    expect(plan.request).toEqual({ status: 'active', budget: { period: 'daily', text: '2000 JPY' } });
    expect(Object.keys(plan.changes)).toEqual(['status', 'budget']);
  });

  it('refuses when the ad group changed since (exit 5), and refuses creates and deletes (exit 1)', () => {
    let err: unknown;
    try {
      planUndo(entry(), { name: 'Tokyo', status: 'active', budget: { period: 'daily', amount: '7000', currency: 'JPY' } }, false);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'CHANGED_SINCE', exitCode: 5 });
    expect((err as AdctlError).hint).toMatch(/adctl adgroup get meta:120220000000004/);
    for (const operation of ['adgroup.create', 'adgroup.delete'] as const) {
      expect(() => planUndo(entry({ operation }), { name: 'Tokyo', status: 'paused', budget: null }, false)).toThrow(expect.objectContaining({ code: 'NOT_REVERSIBLE', exitCode: 1 }));
    }
  });
});
