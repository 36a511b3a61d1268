/**
 * `budget get|set` service: the pure parts (budget JSON, refusal below today's spend, the
 * confirmation gate) and, through a real Session against a sandbox with a fixed clock, ref
 * resolution of both kinds on both platforms and every refusal that must send nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { parseMoney } from '../../src/core/money.js';
import { SANDBOX_META, SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { readAudit } from '../../src/services/audit.js';
import { belowSpendRefusal, budgetChangeFlag, budgetJson, getBudget, setBudget } from '../../src/services/budgets.js';
import { createConfirmer } from '../../src/services/write/confirm.js';
import { Session } from '../../src/services/session.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));
// 01:00Z on 10 Nov 2026: 20:00 on 9 Nov in New York, 10:00 on 10 Nov in Tokyo.
const T = Date.parse('2026-11-10T01:00:00Z');
const writes = () => sandbox.requests.filter((q) => q.method !== 'GET');

async function open(dryRun = false): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), 'adctl-budgets-'));
  return Session.open({
    ADCTL_CONFIG_DIR: dir, HOME: dir, ADCTL_KEYRING: 'off',
    ADCTL_X_API_KEY: SANDBOX_X.apiKey, ADCTL_X_API_SECRET: SANDBOX_X.apiSecret, ADCTL_X_ACCESS_TOKEN: SANDBOX_X.accessToken, ADCTL_X_ACCESS_SECRET: SANDBOX_X.accessSecret,
    ADCTL_X_ADS_ACCOUNT_ID: SANDBOX_X.adsAccountId, ADCTL_META_ACCESS_TOKEN: SANDBOX_META.accessToken, ADCTL_META_AD_ACCOUNT_ID: SANDBOX_META.adAccountId,
    ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url,
  }, { dryRun }, { notice: () => undefined, trace: () => undefined });
}

async function withSession<T>(fn: (s: Session) => Promise<T>, dryRun = false): Promise<T> {
  sandbox.setClock(new Date(T));
  const session = await open(dryRun);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

async function refusal(p: Promise<unknown>): Promise<AdctlError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(AdctlError);
  return e as AdctlError;
}

describe('budget JSON (golden)', () => {
  it('gives the money shape plus exact minor units and a display string', () => {
    expect(budgetJson({ period: 'daily', amount: '75.50', currency: 'USD' })).toEqual({ period: 'daily', amount: '75.50', currency: 'USD', minor: 7550, display: '75.50 USD/day' });
    expect(budgetJson({ period: 'lifetime', amount: '300000', currency: 'JPY' })).toEqual({ period: 'lifetime', amount: '300000', currency: 'JPY', minor: 300000, display: '300000 JPY/lifetime' });
    // An X amount finer than the cent has no exact minor units.
    expect(budgetJson({ period: 'daily', amount: '10.123456', currency: 'USD' })!.minor).toBeNull();
    expect(budgetJson(null)).toBeNull();
  });

  it('takes exactly one of --daily and --lifetime (exit 64)', () => {
    expect(budgetChangeFlag('7000 JPY', undefined)).toEqual({ period: 'daily', text: '7000 JPY' });
    expect(budgetChangeFlag(undefined, '3000')).toEqual({ period: 'lifetime', text: '3000' });
    expect(() => budgetChangeFlag('1 USD', '2 USD')).toThrow(expect.objectContaining({ code: 'CONFLICTING_FLAGS', exitCode: 64 }));
    expect(() => budgetChangeFlag(undefined, undefined)).toThrow(expect.objectContaining({ code: 'MISSING_BUDGET', exitCode: 64 }));
  });
});

describe('below today\'s spend (pure)', () => {
  const spent = { micros: 55_000_000, date: '2026-11-09', timezone: 'America/New_York' };
  it('refuses a budget below the spend so far, naming the spend and the day', () => {
    const e = belowSpendRefusal('x:8wku2', parseMoney('54.99 USD'), spent)!;
    expect(e).toMatchObject({ code: 'BELOW_SPEND_TODAY', exitCode: 64 });
    expect(e.message).toBe('x:8wku2 has already spent 55.00 USD today (2026-11-09, America/New_York); a budget of 54.99 USD would be below that');
    expect(e.hint).toBe('nothing was sent; set a budget of at least 55.00 USD');
  });
  it('allows the spend itself and anything above', () => {
    expect(belowSpendRefusal('x:8wku2', parseMoney('55 USD'), spent)).toBeUndefined();
    expect(belowSpendRefusal('meta:1', parseMoney('1500 JPY'), { micros: 1_500_000_000, date: '2026-11-10', timezone: 'Asia/Tokyo' })).toBeUndefined();
    expect(belowSpendRefusal('meta:1', parseMoney('1499 JPY'), { micros: 1_500_000_000, date: '2026-11-10', timezone: 'Asia/Tokyo' })?.code).toBe('BELOW_SPEND_TODAY');
  });
});



describe('budget get and set through a session', () => {
  it('resolves a ref as a campaign first, then as an ad group, on both platforms (reads only)', async () => {
    await withSession(async (s) => {
      expect(await getBudget(s, 'x:8wku2')).toEqual({
        ref: 'x:8wku2', platform: 'x', level: 'campaign', name: 'Holiday Espresso', status: 'active', currency: 'USD',
        budget: { period: 'daily', amount: '50.00', currency: 'USD', minor: 5000, display: '50.00 USD/day' },
      });
      expect(await getBudget(s, 'x:l1a02')).toMatchObject({ ref: 'x:l1a02', platform: 'x', level: 'adgroup', currency: 'USD' });
      expect(await getBudget(s, 'meta:120210000000101')).toMatchObject({ level: 'campaign', name: 'Winter Ramen', budget: { amount: '5000', currency: 'JPY', minor: 5000 } });
      expect(await getBudget(s, 'meta:120220000000004')).toEqual({
        ref: 'meta:120220000000004', platform: 'meta', level: 'adgroup', name: 'Tokyo reach 18-65', status: 'active', currency: 'JPY',
        budget: { period: 'daily', amount: '2000', currency: 'JPY', minor: 2000, display: '2000 JPY/day' },
      });
      // --level picks one kind: a campaign id is no ad group.
      expect((await refusal(getBudget(s, 'meta:120210000000101', 'adgroup'))).code).toBe('NOT_FOUND');
      expect((await refusal(getBudget(s, 'x:l1a02', 'campaign'))).code).toBe('NOT_FOUND');
      const none = await refusal(getBudget(s, 'x:zzzz9'));
      expect(none).toMatchObject({ code: 'NOT_FOUND', exitCode: 1 });
      expect(none.message).toMatch(/x:zzzz9 is neither a campaign nor an ad group/);
    });
    expect(writes()).toEqual([]);
  });

  it('refuses bad money before any request at all, and a foreign currency before any write (exit 64)', async () => {
    await withSession(async (s) => {
      sandbox.requests.length = 0;
      expect(await refusal(setBudget(s, { ref: 'x:8wku2', period: 'daily', text: '50.001 USD', confirmer: createConfirmer() }))).toMatchObject({ code: 'INVALID_MONEY', exitCode: 64 });
      expect(await refusal(setBudget(s, { ref: 'meta:120210000000101', period: 'daily', text: '7000.5 JPY', confirmer: createConfirmer() }))).toMatchObject({ code: 'INVALID_MONEY', exitCode: 64 });
      expect(sandbox.requests).toEqual([]);
      const foreign = await refusal(setBudget(s, { ref: 'x:8wku2', period: 'daily', text: '50 EUR', confirmer: createConfirmer() }));
      expect(foreign).toMatchObject({ code: 'INVALID_MONEY', exitCode: 64 });
      expect(foreign.message).toBe("EUR does not match the account's currency USD");
    });
    expect(writes()).toEqual([]);
  });

  it("refuses a budget below today's spend in the account's own day, sending nothing", async () => {
    await withSession(async (s) => {
      // New York, 20 h of 9 Nov × 2.75 USD = 55.00 USD spent.
      const e = await refusal(setBudget(s, { ref: 'x:8wku2', period: 'daily', text: '40 USD', nowMs: T, confirmer: createConfirmer() }));
      expect(e).toMatchObject({ code: 'BELOW_SPEND_TODAY', exitCode: 64 });
      expect(e.message).toMatch(/has already spent 55\.00 USD today \(2026-11-09, America\/New_York\)/);
      // Tokyo, 10 h of 10 Nov × 150 JPY = 1500 JPY spent by Winter Ramen.
      expect((await refusal(setBudget(s, { ref: 'meta:120210000000101', period: 'daily', text: '1499', nowMs: T, confirmer: createConfirmer() }))).code).toBe('BELOW_SPEND_TODAY');
    });
    expect(writes()).toEqual([]);
  });

  it("Meta: an ad set budget under a campaign budget, and a campaign budget over ad set budgets, are refused before sending", async () => {
    await withSession(async (s) => {
      const adSet = await refusal(setBudget(s, { ref: 'meta:120220000000001', period: 'daily', text: '3000 JPY', nowMs: T, confirmer: createConfirmer() }));
      expect(adSet).toMatchObject({ code: 'CAMPAIGN_BUDGET_CONFLICT', exitCode: 64 });
      expect(adSet.message).toMatch(/has a daily campaign budget/);
      const campaign = await refusal(setBudget(s, { ref: 'meta:120210000000103', period: 'daily', text: '9000 JPY', nowMs: T, confirmer: createConfirmer() }));
      expect(campaign).toMatchObject({ code: 'CAMPAIGN_BUDGET_CONFLICT', exitCode: 64 });
      expect(campaign.message).toMatch(/ad sets with budgets of their own/);
    });
    expect(writes()).toEqual([]);
  });

  it('sends nothing when the budget is already the one asked for, and audits a real change with before and after', async () => {
    let dir = '';
    await withSession(async (s) => {
      dir = s.settings.configDir;
      expect(await setBudget(s, { ref: 'x:8wku2', period: 'daily', text: '50 USD', nowMs: T, confirmer: createConfirmer() })).toMatchObject({ changed: false });
      expect(writes()).toEqual([]);
      const r = await setBudget(s, { ref: 'meta:120220000000004', period: 'daily', text: '2500', nowMs: T, confirmer: createConfirmer() });
      expect(r).toEqual({
        ref: 'meta:120220000000004', platform: 'meta', level: 'adgroup', name: 'Tokyo reach 18-65', currency: 'JPY', changed: true, confirmed: [],
        before: { period: 'daily', amount: '2000', currency: 'JPY', minor: 2000, display: '2000 JPY/day' },
        after: { period: 'daily', amount: '2500', currency: 'JPY', minor: 2500, display: '2500 JPY/day' },
      });
    });
    expect(writes().map((q) => [q.method, q.path, q.params.daily_budget])).toEqual([['POST', expect.stringMatching(/\/120220000000004$/), '2500']]);
    const [entry] = readAudit(dir);
    expect(entry).toMatchObject({ operation: 'adgroup.update', ref: 'meta:120220000000004', outcome: 'ok',
      before: { budget: { period: 'daily', amount: '2000', currency: 'JPY' } }, after: { budget: { period: 'daily', amount: '2500', currency: 'JPY' } } });
  });

  it('--dry-run returns the write it would send and sends none', async () => {
    const r = await withSession((s) => setBudget(s, { ref: 'x:8wku2', period: 'daily', text: '75.50 USD', nowMs: T, confirmer: createConfirmer() }), true);
    expect(r).toMatchObject({ dryRun: true, changed: true, after: { amount: '75.50', minor: 7550 } });
    expect(JSON.stringify(r.requests)).toContain('75500000');
    expect(writes()).toEqual([]);
  });
});
