/**
 * `adctl budget report`, run in-process (test/helpers/cli.ts) against a sandbox whose clock is
 * fixed, so spend "by now" is known exactly (src/sandbox/spend.ts: Holiday Espresso 2.75 USD an
 * hour, Winter Ramen 150 JPY an hour, Brand Awareness Tokyo 120 JPY an hour, Always-on Followers
 * 1.00 USD an hour). `--as-of` gives the CLI the same instant. The golden JSON document of both
 * platforms through the built binary: test/e2e/budget-report.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, sandboxEnv, STACK_LINE, tempConfigDir } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});
const cli = (args: string[]) => runInProcess(args, { env: sandboxEnv(sandbox), configDir });
const atClock = async (iso: string, args: string[]) => {
  sandbox.setClock(iso);
  return cli([...args, '--as-of', iso]);
};

// 01:00Z on 10 Nov 2026 is 20:00 on 9 Nov in New York (EST) and 10:00 on 10 Nov in Tokyo.
const T = '2026-11-10T01:00:00Z';

describe('budget report', () => {
  it("on the 25-hour DST day paces by the day's real length (golden)", async () => {
    // 20:00Z on 1 Nov 2026 is 15:00 EST, 16 hours after midnight EDT: 16 × 2.75 = 44.00; 50.00 × 16/25 = 32.00; 137.5 %.
    const r = await atClock('2026-11-01T20:00:00Z', ['budget', 'report', '--platform', 'x', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = parseJson<{ accounts: unknown[]; campaigns: Array<Record<string, unknown>>; totals: unknown[] }>(r.stdout);
    expect(doc.accounts).toEqual([expect.objectContaining({ since: '2026-11-01', until: '2026-11-01', elapsedDays: '0.6400' })]);
    expect(doc.campaigns[0]).toMatchObject({ ref: 'x:8wku2', spend: { amount: '44.00', currency: 'USD' }, expected: { amount: '32.00', currency: 'USD' }, pacing: '137.5', flags: ['over_pacing'] });
    expect(doc.totals).toEqual([{ currency: 'USD', campaigns: 3, dailyBudget: { amount: '50.00', currency: 'USD' }, spend: { amount: '60.00', currency: 'USD' }, expected: { amount: '32.00', currency: 'USD' }, pacing: '137.5' }]);
    expect(sandbox.requests.every((q) => q.platform === 'x')).toBe(true);
  });

  it('this_month runs through an async stats job and counts the 25-hour day once (golden)', async () => {
    // 1–8 Nov: 8 days = 193 h (1 Nov has 25), + 20 h today = 213 h × 2.75 = 585.75.
    // Expected 50.00 × (8 + 20/24) = 441.666… → 441.67; 585.75 / 441.666… = 132.62 %; 585.75 > 9 × 50.00.
    const r = await atClock(T, ['budget', 'report', '--platform', 'x', '--preset', 'this_month', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = parseJson<{ campaigns: Array<Record<string, unknown>> }>(r.stdout);
    expect(doc.campaigns[0]).toMatchObject({
      ref: 'x:8wku2', since: '2026-11-01', until: '2026-11-09', spend: { amount: '585.75', currency: 'USD' }, expected: { amount: '441.67', currency: 'USD' },
      pacing: '132.6', flags: ['over_pacing', 'over_budget'],
    });
    expect(sandbox.requests.some((q) => q.method === 'POST' && q.path.includes('/stats/jobs/'))).toBe(true);
  });

  it('prints a table with flags and totals per currency for people', async () => {
    const r = await atClock(T, ['budget', 'report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/x:8wku2\s+Holiday Espresso\s+active\s+50\.00 USD\/day\s+55\.00 USD\s+41\.67 USD\s+132\.0%\s+over_pacing,over_budget/);
    expect(r.stdout).toMatch(/^JPY\s+3\s+7000 JPY\s+2700 JPY\s+2917 JPY\s+92\.6%$/m);
    expect(r.stdout).toMatch(/meta:120210000000103\s+Brand Awareness Tokyo\s+active\s+2000 JPY\/day \(ad groups\)\s+1200 JPY\s+833 JPY\s+144\.0%\s+over_pacing/);
    expect(r.stdout).toMatch(/^USD\s+3\s+50\.00 USD\s+75\.00 USD\s+41\.67 USD\s+132\.0%$/m);
  });

  it('keeps the spend of a campaign deleted since in the list and the totals', async () => {
    sandbox.state.mutate((s) => {
      xOf(s).campaigns.find((c) => c.id === '8wku4')!.deleted = true;
    });
    const r = await atClock(T, ['budget', 'report', '--platform', 'x', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = parseJson<{ campaigns: Array<Record<string, unknown>>; totals: Array<Record<string, unknown>> }>(r.stdout);
    expect(doc.campaigns.find((c) => c.ref === 'x:8wku4')).toEqual({
      ref: 'x:8wku4', platform: 'x', account: '18ce54d4x5t', name: 'Always-on Followers', status: 'deleted', budget: null, budgetSource: null, since: '2026-11-09', until: '2026-11-09',
      spend: { amount: '20.00', currency: 'USD' }, expected: null, pacing: null, flags: [],
    });
    expect(doc.totals[0]).toMatchObject({ currency: 'USD', campaigns: 3, spend: { amount: '75.00', currency: 'USD' } });
  });

  it('one platform failing still reports the other (exit 3)', async () => {
    sandbox.addFault({ platform: 'x', path: '/stats/', action: { type: 'status', status: 400 } });
    const r = await atClock(T, ['budget', 'report', '--json']);
    expect(r.code).toBe(3);
    const doc = parseJson<{ accounts: Array<{ platform: string }>; totals: Array<{ currency: string }> }>(r.stdout);
    expect(doc.accounts.map((a) => a.platform)).toEqual(['meta']);
    expect(doc.totals.map((t) => t.currency)).toEqual(['JPY']);
    expect(JSON.parse(r.stderr.trim().split('\n').pop()!)).toMatchObject({ error: { exitCode: 1 } });
  });

  it('refuses bad periods before sending anything (exit 64)', async () => {
    for (const args of [['--preset', 'today', '--since', '2026-11-01'], ['--since', '2026-11-31'], ['--since', '2026-11-05', '--until', '2026-11-01'], ['--preset', 'tomorrow']]) {
      const r = await cli(['budget', 'report', ...args]);
      expect(r.code, args.join(' ')).toBe(64);
      expect(r.stderr).toMatch(/^error: .+\nhint: .+/m);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    const r = await cli(['budget', 'report', '--as-of', '2026-11-10T09:00']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('no offset');
    expect(sandbox.requests).toEqual([]);
  });
});

describe('budget report --debug', () => {
  it("never prints the stats job file's signed name", async () => {
    sandbox.setClock(T);
    const r = await runInProcess(['budget', 'report', '--platform', 'x', '--preset', 'this_month', '--as-of', T, '--debug'], { env: sandboxEnv(sandbox), configDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('/advertiser-api-async-analytics/[REDACTED]');
    const file = sandbox.requests.find((q) => q.path.startsWith('/advertiser-api-async-analytics/'))!.path.split('/').pop()!;
    expect(r.stderr).not.toContain(file.replace(/\.json\.gz$/, ''));
  });
});
