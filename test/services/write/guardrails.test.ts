/** Guardrail arithmetic: integer money, cap per currency on daily budgets, step in % per change. */
import { describe, expect, it } from 'vitest';
import { breaches } from '../../../src/services/write/guardrails.js';

const usd = (minor: number) => ({ currency: 'USD', minor });

describe('guardrail breaches', () => {
  const g = { maxDailyBudget: { USD: '100', JPY: '10000' }, maxIncreasePct: 50 };
  it('caps daily budgets per currency, exactly at the cap allowed', () => {
    expect(breaches([{ id: 'a', period: 'daily', to: usd(10_000), from: null }], g)).toEqual([]);
    expect(breaches([{ id: 'a', period: 'daily', to: usd(10_001), from: null }], g)).toEqual([{ id: 'a', message: "a: daily budget 100.01 USD is above the profile's cap of 100.00 USD" }]);
    expect(breaches([{ id: 'a', period: 'lifetime', to: usd(1_000_000), from: null }], g)).toEqual([]);
    expect(breaches([{ id: 'a', period: 'daily', to: { currency: 'EUR', minor: 10 ** 9 }, from: null }], g)).toEqual([]);
  });
  it('limits the step: +50% allowed, one minor unit more refused, decreases and period changes free', () => {
    const from = { period: 'daily' as const, money: usd(4_000) };
    expect(breaches([{ id: 'a', period: 'daily', to: usd(6_000), from }], g)).toEqual([]);
    expect(breaches([{ id: 'a', period: 'daily', to: usd(6_001), from }], g)).toHaveLength(1);
    expect(breaches([{ id: 'a', period: 'daily', to: usd(100), from }], g)).toEqual([]);
    expect(breaches([{ id: 'a', period: 'lifetime', to: usd(90_000), from }], g)).toEqual([]);
  });
  it('no guardrails, no breaches', () => {
    expect(breaches([{ id: 'a', period: 'daily', to: usd(10 ** 12), from: null }], undefined)).toEqual([]);
  });
});
