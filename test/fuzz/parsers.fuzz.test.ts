/**
 * Hostile inputs (issue 7): every input to a parser gets a correct value or a usage error (exit
 * 64), never another exception. `npm test` runs a few hundred cases per parser;
 * `npm run test:reliability` sets ADCTL_FUZZ_RUNS=10000.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { currencyExponent, formatAmount, parseMoney, toUnits } from '../../src/core/money.js';
import { parseRef } from '../../src/core/ref.js';
import { parseDuration } from '../../src/core/settings.js';
import { fuzzFigures } from '../helpers/figures.js';

const RUNS = Number(process.env.ADCTL_FUZZ_RUNS ?? 300);
const CURRENCIES = ['USD', 'EUR', 'JPY', 'KWD', 'BHD', 'CLP', 'KRW', 'GBP', 'CLF'];

const fuzz = fuzzFigures('fuzz: money, refs, durations', ['generated money amounts, refs and durations']);
/** A value, or a usage (64) or configuration (78, for ADCTL_TIMEOUT) error; anything else is a crash. */
const usageOr = <T>(fn: () => T): T | AdctlError => fuzz.usageOr(fn, [64, 78]);

describe('money parser', () => {
  it('any string: a Money or exit 64, nothing else', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.option(fc.constantFrom(...CURRENCIES), { nil: undefined }), (text, account) => {
      const r = usageOr(() => parseMoney(text, account));
      if (!(r instanceof AdctlError)) {
        expect(Number.isSafeInteger(r.minor)).toBe(true);
        expect(r.minor).toBeGreaterThanOrEqual(0);
        expect(currencyExponent(r.currency)).toBeDefined();
      }
    }), { numRuns: RUNS });
  });

  it('round-trips every exact amount without rounding', () => {
    fc.assert(fc.property(fc.constantFrom(...CURRENCIES), fc.bigInt({ min: 0n, max: 10n ** 12n }), (currency, minor) => {
      const m = { currency, minor: Number(minor) };
      const text = `${formatAmount(m)} ${currency}`;
      expect(parseMoney(text)).toEqual(m);
      expect(parseMoney(formatAmount(m), currency)).toEqual(m);
    }), { numRuns: RUNS });
  });

  it('refuses every amount with more decimals than the currency has', () => {
    fc.assert(fc.property(fc.constantFrom(...CURRENCIES), fc.nat(99999), fc.integer({ min: 1, max: 9 }), (currency, whole, extraDigit) => {
      const decimals = currencyExponent(currency)!;
      const text = `${whole}.${'0'.repeat(decimals)}${extraDigit} ${currency}`;
      expect(usageOr(() => parseMoney(text))).toBeInstanceOf(AdctlError);
    }), { numRuns: RUNS });
  });

  it('platform units are exact or refused', () => {
    fc.assert(fc.property(fc.constantFrom(...CURRENCIES), fc.nat(10 ** 9), fc.integer({ min: 0, max: 6 }), (currency, minor, unit) => {
      const r = usageOr(() => toUnits({ currency, minor }, unit));
      if (!(r instanceof AdctlError)) expect(Number.isSafeInteger(r)).toBe(true);
    }), { numRuns: RUNS });
  });
});

describe('ref parser', () => {
  it('any string: a ref or exit 64', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (text) => {
      const r = usageOr(() => parseRef(text));
      if (!(r instanceof AdctlError)) {
        expect(['x', 'meta']).toContain(r.platform);
        expect(r.id).toMatch(/^[A-Za-z0-9_-]+$/);
      }
    }), { numRuns: RUNS });
  });

  it('every well-formed ref (with stray spaces) reads back as exactly its platform and id', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    fc.assert(fc.property(fc.constantFrom('x', 'meta'), id, fc.constantFrom('', ' ', '\t'), (platform, objectId, pad) => {
      expect(usageOr(() => parseRef(`${pad}${platform}:${objectId}${pad}`))).toEqual({ platform, id: objectId });
      // One character too many, or a platform that is not ours, is refused.
      expect(usageOr(() => parseRef(`${platform}:${objectId.padEnd(65, 'a')}`))).toBeInstanceOf(AdctlError);
      expect(usageOr(() => parseRef(`tiktok:${objectId}`))).toBeInstanceOf(AdctlError);
    }), { numRuns: RUNS });
  });
});

describe('duration parser', () => {
  it('any string: milliseconds or a configuration error', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), (text) => {
      const r = usageOr(() => parseDuration(text, 'ADCTL_TIMEOUT'));
      if (!(r instanceof AdctlError)) expect(r).toBeGreaterThan(0);
    }), { numRuns: RUNS });
  });
});
