/**
 * `adctl report` through the built binary against a sandbox whose clock is fixed (see
 * budget-report.test.ts for the delivery figures). Golden JSON across both platforms: ratios from
 * integers, money as decimal strings. CSV, async report runs and the table run in-process:
 * test/cli/report.test.ts.
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
// 01:00Z on 10 Nov 2026: 20 hours of 9 Nov in New York, 10 hours of 10 Nov in Tokyo.
const T = '2026-11-10T01:00:00Z';
const cli = (args: string[]) => {
  sandbox.setClock(T);
  return runCli([...args, '--as-of', T], { env: sandboxEnv(sandbox), configDir });
};

const usd = (amount: string) => ({ amount, currency: 'USD' });
const jpy = (amount: string) => ({ amount, currency: 'JPY' });

describe('report', () => {
  it('--json: one row per campaign that delivered, across platforms (golden)', async () => {
    const r = await cli(['report', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const x = { platform: 'x', level: 'campaign', account: '18ce54d4x5t', since: '2026-11-09', until: '2026-11-09', currency: 'USD' };
    const meta = { platform: 'meta', level: 'campaign', account: 'act_1001', since: '2026-11-10', until: '2026-11-10', currency: 'JPY' };
    expect(parseJson(r.stdout)).toEqual([
      // 20 h × (800 impressions, 10 clicks, 1.00 USD, 4 follows): CTR 1.25 %, CPC 20.00/200 = 0.10, CPM 20.00×1000/16000 = 1.25.
      { ...x, ref: 'x:8wku4', id: '8wku4', name: 'Always-on Followers', impressions: 16_000, clicks: 200, spend: usd('20.00'), ctr: '1.25', cpc: usd('0.10'), cpm: usd('1.25'), results: 80 },
      // 20 h × (1200, 30, 2.75 USD, 12 url clicks): CTR 2.50 %, CPC 55/600 = 0.0916… → 0.09, CPM 55000/24000 = 2.2916… → 2.29.
      { ...x, ref: 'x:8wku2', id: '8wku2', name: 'Holiday Espresso', impressions: 24_000, clicks: 600, spend: usd('55.00'), ctr: '2.50', cpc: usd('0.09'), cpm: usd('2.29'), results: 240 },
      // 10 h × (5000, 15, 120 JPY): CTR 0.30 %, CPC 1200/150 = 8, CPM 1200×1000/50000 = 24; awareness has no action result.
      { ...meta, ref: 'meta:120210000000103', id: '120210000000103', name: 'Brand Awareness Tokyo', impressions: 50_000, clicks: 150, spend: jpy('1200'), ctr: '0.30', cpc: jpy('8'), cpm: jpy('24'), results: null },
      // 10 h × (2000, 40, 150 JPY, 20 link clicks): CTR 2.00 %, CPC 1500/400 = 3.75 → 4 (JPY has no decimals), CPM 75.
      { ...meta, ref: 'meta:120210000000101', id: '120210000000101', name: 'Winter Ramen', impressions: 20_000, clicks: 400, spend: jpy('1500'), ctr: '2.00', cpc: jpy('4'), cpm: jpy('75'), results: 200 },
    ]);
  });
});
