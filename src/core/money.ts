/**
 * Exact money (DESIGN §2). Amounts are integers in the currency's ISO-4217 minor unit; nothing here
 * ever touches a float. Plugins convert at their edge with `toUnits`: X wants micros of the major
 * unit (exponent 6), Meta wants its own per-currency "offset" (usually the ISO minor unit).
 *
 * Parsing is strict: more decimals than the currency has is an error, never a rounding, and a
 * currency other than the account's is an error, because adctl converts nothing.
 */
import { AdctlError, ExitCode } from './errors.js';

/** Every active ISO-4217 code whose minor-unit exponent is not 2. */
const EXPONENT_OVERRIDES: Readonly<Record<string, number>> = {
  // zero-decimal
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // three decimals
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  // four decimals
  CLF: 4, UYW: 4,
};

/**
 * Active ISO-4217 currency codes (2-decimal ones plus the overrides above). This covers every
 * currency X or Meta accept for an ad account, including Meta's legacy VEF/HRK/LTL/LVL/SKK.
 */
const TWO_DECIMAL = (
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
  'GHS GIP GMD GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR ' +
  'LRD LSL LTL LVL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR ' +
  'NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SKK SLE SLL SOS SRD SSP ' +
  'STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VEF VES WST XCD XCG YER ' +
  'ZAR ZMW ZWG ZWL'
).split(' ');

const EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...TWO_DECIMAL.map((c) => [c, 2] as const),
  ...Object.entries(EXPONENT_OVERRIDES),
]);

/** Number of decimal places of an ISO-4217 currency, or undefined for an unknown code. */
export function currencyExponent(currency: string): number | undefined {
  return EXPONENTS.get(currency.toUpperCase());
}

/** An exact amount: `minor` is an integer count of the currency's ISO minor unit. */
export interface Money {
  readonly currency: string;
  readonly minor: number;
}

/** The JSON shape of money (DESIGN §7): a decimal string, never a float. */
export interface MoneyJson {
  amount: string;
  currency: string;
}

const MONEY_RE = /^\s*(?:([A-Za-z]{3})\s*)?([+-]?)(\d+)(?:\.(\d+))?\s*(?:([A-Za-z]{3}))?\s*$/;

function moneyError(message: string, hint: string): AdctlError {
  return new AdctlError('INVALID_MONEY', message, ExitCode.USAGE, { hint });
}

/**
 * Parse what a user typed: `"50 USD"`, `"50.00 USD"`, `"USD 50"`, `"5000 JPY"` or a bare `"50"`.
 * A bare number needs `accountCurrency`. When `accountCurrency` is given, a different currency is
 * refused (exit 64). Negative amounts are refused: budgets and bids are never negative.
 */
export function parseMoney(input: string, accountCurrency?: string): Money {
  const m = MONEY_RE.exec(input);
  if (!m || (m[1] && m[5])) {
    throw moneyError(`"${input}" is not an amount`, 'write an amount and a currency, for example "50.00 USD" or "5000 JPY"');
  }
  const [, pre, sign, whole = '', frac = '', post] = m;
  if (sign === '-') throw moneyError(`"${input}" is negative`, 'budgets and bids must be zero or more');
  const written = (pre ?? post)?.toUpperCase();
  const account = accountCurrency?.toUpperCase();
  const currency = written ?? account;
  if (!currency) {
    throw moneyError(`"${input}" has no currency`, 'add the currency, for example "50.00 USD"');
  }
  const exponent = currencyExponent(currency);
  if (exponent === undefined) {
    throw moneyError(`"${currency}" is not an ISO-4217 currency code`, 'use a three-letter code such as USD, EUR or JPY');
  }
  if (account && currency !== account) {
    throw moneyError(
      `${currency} does not match the account's currency ${account}`,
      `write the amount in ${account}; adctl never converts currencies`,
    );
  }
  if (frac.length > exponent) {
    throw moneyError(
      `"${input}" has ${frac.length} decimals but ${currency} has ${exponent}`,
      exponent === 0 ? `${currency} has no minor unit: write a whole number` : `write at most ${exponent} decimals`,
    );
  }
  const digits = (whole + frac.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor)) {
    throw moneyError(`"${input}" is too large`, 'check the amount');
  }
  return { currency, minor };
}

/** Build money from a count of ISO minor units (for example cents). */
export function moneyFromMinor(minor: number, currency: string): Money {
  const c = currency.toUpperCase();
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be a safe integer, got ${minor}`);
  if (currencyExponent(c) === undefined) throw new RangeError(`unknown currency ${currency}`);
  return { currency: c, minor };
}

/**
 * Convert to an integer count of 10^-unitExponent of the major unit. X micros: `toUnits(m, 6)`.
 * Meta with offset 100: `toUnits(m, 2)`. Throws a usage error when the amount cannot be expressed
 * exactly in that unit (for example 10.50 COP on Meta, which takes whole pesos).
 */
export function toUnits(money: Money, unitExponent: number, what = 'this platform'): number {
  const exponent = currencyExponent(money.currency)!;
  if (unitExponent >= exponent) {
    const v = money.minor * 10 ** (unitExponent - exponent);
    if (!Number.isSafeInteger(v)) throw moneyError(`${formatMoney(money)} is too large for ${what}`, 'check the amount');
    return v;
  }
  const div = 10 ** (exponent - unitExponent);
  if (money.minor % div !== 0) {
    throw moneyError(
      `${formatMoney(money)} cannot be expressed exactly on ${what}, which takes ${money.currency} in steps of ${formatUnit(unitExponent)}`,
      `round the amount to ${unitExponent} decimals yourself`,
    );
  }
  return money.minor / div;
}

/**
 * Inverse of `toUnits`, for amounts read back from a platform. A platform value finer than the ISO
 * minor unit (for example 1 micro of USD) is kept by reporting the decimal string exactly; `minor`
 * then holds the value truncated toward zero, and `exact` is false.
 */
export function fromUnits(units: number | string, unitExponent: number, currency: string): Money & { exact: boolean } {
  const c = currency.toUpperCase();
  const exponent = currencyExponent(c);
  if (exponent === undefined) throw new RangeError(`unknown currency ${currency}`);
  const n = typeof units === 'string' ? Number(units) : units;
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer amount: ${String(units)}`);
  if (unitExponent <= exponent) return { currency: c, minor: n * 10 ** (exponent - unitExponent), exact: true };
  const div = 10 ** (unitExponent - exponent);
  return { currency: c, minor: Math.trunc(n / div), exact: n % div === 0 };
}

function formatUnit(unitExponent: number): string {
  return unitExponent === 0 ? '1' : `0.${'0'.repeat(unitExponent - 1)}1`;
}

/** Decimal string with exactly the currency's decimals: 5000 JPY → "5000", 1234 USD → "12.34". */
export function formatAmount(money: Money): string {
  const exponent = currencyExponent(money.currency) ?? 2;
  const neg = money.minor < 0;
  const digits = String(Math.abs(money.minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const frac = digits.slice(digits.length - exponent);
  return `${neg ? '-' : ''}${whole}${exponent ? `.${frac}` : ''}`;
}

export function formatMoney(money: Money): string {
  return `${formatAmount(money)} ${money.currency}`;
}

export function moneyToJson(money: Money): MoneyJson {
  return { amount: formatAmount(money), currency: money.currency };
}
