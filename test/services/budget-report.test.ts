/**
 * The budget-report service through a real Session (env credentials aimed at a sandbox with a
 * fixed clock): today's spend of one object, in its account's own day, exactly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_META, SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { budgetReport, spentToday } from '../../src/services/budget-report.js';
import { Session } from '../../src/services/session.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));
const T = Date.parse('2026-11-10T01:00:00Z');

async function open(): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), 'adctl-svc-'));
  return Session.open({
    ADCTL_CONFIG_DIR: dir, HOME: dir, ADCTL_KEYRING: 'off',
    ADCTL_X_API_KEY: SANDBOX_X.apiKey, ADCTL_X_API_SECRET: SANDBOX_X.apiSecret, ADCTL_X_ACCESS_TOKEN: SANDBOX_X.accessToken, ADCTL_X_ACCESS_SECRET: SANDBOX_X.accessSecret,
    ADCTL_X_ADS_ACCOUNT_ID: SANDBOX_X.adsAccountId, ADCTL_META_ACCESS_TOKEN: SANDBOX_META.accessToken, ADCTL_META_AD_ACCOUNT_ID: SANDBOX_META.adAccountId,
    ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url,
  }, {}, { notice: () => undefined, trace: () => undefined });
}

describe('spentToday', () => {
  it("gives an object's spend so far in its account's day, exactly", async () => {
    sandbox.setClock(new Date(T));
    const session = await open();
    try {
      // New York: 20 hours of 9 Nov × 2.75 USD; Tokyo: 10 hours of 10 Nov × 150 JPY.
      expect(await spentToday(session, 'x', 'campaign', '8wku2', T)).toEqual({ micros: 55_000_000, currency: 'USD', date: '2026-11-09', timezone: 'America/New_York' });
      expect(await spentToday(session, 'x', 'adgroup', 'l1a02', T)).toEqual({ micros: 20_000_000, currency: 'USD', date: '2026-11-09', timezone: 'America/New_York' });
      expect(await spentToday(session, 'meta', 'campaign', '120210000000101', T)).toEqual({ micros: 1_500_000_000, currency: 'JPY', date: '2026-11-10', timezone: 'Asia/Tokyo' });
      // A paused campaign with no delivery spent nothing.
      expect((await spentToday(session, 'x', 'campaign', '8wku3', T)).micros).toBe(0);
    } finally {
      await session.close();
    }
  });
});

describe('budget report: campaigns whose ad groups hold the budgets', () => {
  it('paces against the sum of active daily ad group budgets, and not at all once one active ad group has a lifetime budget', async () => {
    sandbox.setClock(new Date(T));
    type AdSetRow = { id: string; status: string; configured_status?: string; effective_status?: string; daily_budget?: string; lifetime_budget?: string; end_time?: string };
    const adSets = () => (sandbox.state.read().meta as unknown as { adSets: AdSetRow[] }).adSets;
    const activate = (id: string, budget: Partial<AdSetRow>) => sandbox.state.mutate((s) => {
      const a = (s.meta as unknown as { adSets: AdSetRow[] }).adSets.find((x) => x.id === id)!;
      Object.assign(a, { status: 'ACTIVE', configured_status: 'ACTIVE', effective_status: 'ACTIVE' }, budget);
    });
    expect(adSets().find((a) => a.id === '120220000000005')?.status).toBe('PAUSED');
    const row = async () => {
      const session = await open();
      try {
        const { report } = await budgetReport(session, { period: { preset: 'today' }, asOfMs: T, platform: 'meta' } as Parameters<typeof budgetReport>[1]);
        return report.campaigns.find((c) => c.ref === 'meta:120210000000103')!;
      } finally {
        await session.close();
      }
    };
    // Both ad sets active with daily budgets: 2000 + 1500 JPY a day; 1200 spent of 3500 × 10/24 = 1458.33… expected.
    activate('120220000000005', {});
    expect(await row()).toMatchObject({ budget: { period: 'daily', amount: '3500', currency: 'JPY' }, budgetSource: 'adgroups', expected: { amount: '1458', currency: 'JPY' }, pacing: '82.3', flags: [] });
    // One active ad set on a lifetime budget: flights cannot be summed into a day, so the campaign is not paced.
    activate('120220000000005', { daily_budget: '0', lifetime_budget: '90000', end_time: '2026-12-31T00:00:00+0000' });
    expect(await row()).toMatchObject({ budget: null, budgetSource: null, expected: null, flags: ['no_budget'] });
  });
});
