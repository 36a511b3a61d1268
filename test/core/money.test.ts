import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { currencyExponent, formatAmount, fromUnits, moneyToJson, parseMoney, toUnits } from '../../src/core/money.js';

const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AdctlError);
    expect((e as AdctlError).exitCode).toBe(64);
    return (e as AdctlError).message;
  }
  throw new Error('expected a usage error');
};

describe('parseMoney', () => {
  it('reads amounts in minor units exactly', () => {
    expect(parseMoney('50 USD')).toEqual({ currency: 'USD', minor: 5000 });
    expect(parseMoney('50.00 USD')).toEqual({ currency: 'USD', minor: 5000 });
    expect(parseMoney('USD 0.07')).toEqual({ currency: 'USD', minor: 7 });
    expect(parseMoney('5000 JPY')).toEqual({ currency: 'JPY', minor: 5000 });
    expect(parseMoney('12.345 KWD')).toEqual({ currency: 'KWD', minor: 12345 });
    expect(parseMoney('75.5 usd')).toEqual({ currency: 'USD', minor: 7550 });
  });

  it('uses the account currency for a bare number', () => {
    expect(parseMoney('50', 'EUR')).toEqual({ currency: 'EUR', minor: 5000 });
    usage(() => parseMoney('50'));
  });

  it('refuses too many decimals instead of rounding', () => {
    expect(usage(() => parseMoney('50.001 USD'))).toMatch(/3 decimals but USD has 2/);
    expect(usage(() => parseMoney('5000.5 JPY'))).toMatch(/JPY has 0/);
    usage(() => parseMoney('1.2345 KWD'));
  });

  it('refuses a currency other than the account\'s', () => {
    expect(usage(() => parseMoney('50 USD', 'JPY'))).toMatch(/does not match the account's currency JPY/);
  });

  it('refuses garbage, negatives, unknown codes and unsafe sizes', () => {
    for (const bad of ['', 'USD', '5O USD', '1e3 USD', '-5 USD', '50 XXY', '50 USD EUR', '9999999999999999999 USD', '5,00 EUR']) usage(() => parseMoney(bad));
  });
});

describe('units at the platform edge', () => {
  it('converts to X micros', () => {
    expect(toUnits(parseMoney('50 USD'), 6)).toBe(50_000_000);
    expect(toUnits(parseMoney('75.50 USD'), 6)).toBe(75_500_000);
    expect(toUnits(parseMoney('5000 JPY'), 6)).toBe(5_000_000_000);
    expect(toUnits(parseMoney('12.345 KWD'), 6)).toBe(12_345_000);
  });

  it('refuses an amount a coarser unit cannot hold', () => {
    expect(usage(() => toUnits(parseMoney('10.50 COP'), 0, 'Meta'))).toMatch(/steps of 1/);
    expect(toUnits(parseMoney('10.00 COP'), 0)).toBe(10);
  });

  it('reads platform units back exactly', () => {
    expect(fromUnits(75_500_000, 6, 'USD')).toEqual({ currency: 'USD', minor: 7550, exact: true });
    expect(fromUnits('5000', 0, 'JPY')).toEqual({ currency: 'JPY', minor: 5000, exact: true });
    expect(fromUnits(1, 6, 'USD').exact).toBe(false);
  });

  it('formats with the currency\'s decimals', () => {
    expect(formatAmount({ currency: 'USD', minor: 5 })).toBe('0.05');
    expect(formatAmount({ currency: 'JPY', minor: 5000 })).toBe('5000');
    expect(formatAmount({ currency: 'KWD', minor: 12345 })).toBe('12.345');
    expect(moneyToJson({ currency: 'USD', minor: 5000 })).toEqual({ amount: '50.00', currency: 'USD' });
  });

  it('knows the exponents of the currencies both platforms bill in', () => {
    const expected: Record<string, number> = { USD: 2, EUR: 2, JPY: 0, KRW: 0, CLP: 0, VND: 0, KWD: 3, BHD: 3, IQD: 3, TND: 3, JOD: 3, ISK: 0, TWD: 2, HUF: 2 };
    for (const [c, e] of Object.entries(expected)) expect(currencyExponent(c), c).toBe(e);
  });
});
