/**
 * `adctl budget report` through the built binary against a sandbox whose clock is fixed, so spend
 * "by now" is known exactly (src/sandbox/spend.ts: Holiday Espresso 2.75 USD an hour, Winter
 * Ramen 150 JPY an hour, Brand Awareness Tokyo 120 JPY an hour, Always-on Followers 1.00 USD an
 * hour). `--as-of` gives the CLI the same instant. Golden: the whole JSON document. DST days,
 * async stats jobs, the table, partial failure, bad periods and --debug run in-process:
 * test/cli/budget-report.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});
const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sandbox), configDir });
const atClock = async (iso: string, args: string[]) => {
  sandbox.setClock(iso);
  return cli([...args, '--as-of', iso]);
};

// 01:00Z on 10 Nov 2026 is 20:00 on 9 Nov in New York (EST) and 10:00 on 10 Nov in Tokyo.
const T = '2026-11-10T01:00:00Z';

describe('budget report', () => {
  it('gives exact pacing in two zones and separate totals for USD and JPY (golden)', async () => {
    const r = await atClock(T, ['budget', 'report', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson(r.stdout)).toEqual({
      asOf: T,
      thresholds: { overPacingPct: 120, underPacingPct: 80 },
      accounts: [
        { platform: 'x', account: '18ce54d4x5t', name: 'Sandbox Coffee (X)', currency: 'USD', timezone: 'America/New_York', since: '2026-11-09', until: '2026-11-09', elapsedDays: '0.8333' },
        { platform: 'meta', account: 'act_1001', name: 'Sandbox Ramen (Meta)', currency: 'JPY', timezone: 'Asia/Tokyo', since: '2026-11-10', until: '2026-11-10', elapsedDays: '0.4167' },
      ],
      campaigns: [
        // 20 h × 2.75 = 55.00; 50.00 × 20/24 = 41.666… → 41.67; 55 / 41.666… = 132 %; 55.00 > one day's 50.00.
        { ref: 'x:8wku2', platform: 'x', account: '18ce54d4x5t', name: 'Holiday Espresso', status: 'active', budget: { period: 'daily', amount: '50.00', currency: 'USD' }, budgetSource: 'campaign',
          since: '2026-11-09', until: '2026-11-09', spend: { amount: '55.00', currency: 'USD' }, expected: { amount: '41.67', currency: 'USD' }, pacing: '132.0', flags: ['over_pacing', 'over_budget'] },
        { ref: 'x:8wku3', platform: 'x', account: '18ce54d4x5t', name: 'Cold Brew Launch', status: 'paused', budget: { period: 'daily', amount: '25.50', currency: 'USD' }, budgetSource: 'campaign',
          since: '2026-11-09', until: '2026-11-09', spend: { amount: '0.00', currency: 'USD' }, expected: null, pacing: null, flags: [] },
        // A lifetime budget with no end date is not paced; 20 h × 1.00.
        { ref: 'x:8wku4', platform: 'x', account: '18ce54d4x5t', name: 'Always-on Followers', status: 'active', budget: { period: 'lifetime', amount: '3000.00', currency: 'USD' }, budgetSource: 'campaign',
          since: '2026-11-09', until: '2026-11-09', spend: { amount: '20.00', currency: 'USD' }, expected: null, pacing: null, flags: [] },
        // 10 h × 150 = 1500; 5000 × 10/24 = 2083.33… → 2083; 1500 / 2083.33… = 72 %.
        { ref: 'meta:120210000000101', platform: 'meta', account: 'act_1001', name: 'Winter Ramen', status: 'active', budget: { period: 'daily', amount: '5000', currency: 'JPY' }, budgetSource: 'campaign',
          since: '2026-11-10', until: '2026-11-10', spend: { amount: '1500', currency: 'JPY' }, expected: { amount: '2083', currency: 'JPY' }, pacing: '72.0', flags: ['under_pacing'] },
        { ref: 'meta:120210000000102', platform: 'meta', account: 'act_1001', name: 'Gyoza Sales', status: 'paused', budget: { period: 'lifetime', amount: '300000', currency: 'JPY' }, budgetSource: 'campaign',
          since: '2026-11-10', until: '2026-11-10', spend: { amount: '0', currency: 'JPY' }, expected: null, pacing: null, flags: [] },
        // No campaign budget: its active ad set's 2000 JPY a day (the paused 1500 JPY one does not count).
        // 10 h × 120 = 1200; 2000 × 10/24 = 833.33… → 833; 1200 / 833.33… = 144 %.
        { ref: 'meta:120210000000103', platform: 'meta', account: 'act_1001', name: 'Brand Awareness Tokyo', status: 'active', budget: { period: 'daily', amount: '2000', currency: 'JPY' }, budgetSource: 'adgroups',
          since: '2026-11-10', until: '2026-11-10', spend: { amount: '1200', currency: 'JPY' }, expected: { amount: '833', currency: 'JPY' }, pacing: '144.0', flags: ['over_pacing'] },
      ],
      totals: [
        // 5000 + 2000 a day; expected 2083.33… + 833.33… = 2916.66… → 2917; 2700 / 2916.66… = 92.6 %.
        { currency: 'JPY', campaigns: 3, dailyBudget: { amount: '7000', currency: 'JPY' }, spend: { amount: '2700', currency: 'JPY' }, expected: { amount: '2917', currency: 'JPY' }, pacing: '92.6' },
        { currency: 'USD', campaigns: 3, dailyBudget: { amount: '50.00', currency: 'USD' }, spend: { amount: '75.00', currency: 'USD' }, expected: { amount: '41.67', currency: 'USD' }, pacing: '132.0' },
      ],
    });
    // Read-only: nothing but reads (an async job would be a POST; today is a short period).
    expect(sandbox.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });
});
