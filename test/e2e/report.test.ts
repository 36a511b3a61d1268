/**
 * `adctl report` through the built binary against a sandbox whose clock is fixed (see
 * budget-report.test.ts for the delivery figures). Golden JSON and CSV: ratios from integers,
 * money as decimal strings, RFC 4180 quoting.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
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

  it('--csv --level adgroup: RFC 4180 rows per line item, empty cells for nulls (golden)', async () => {
    const r = await cli(['report', '--level', 'adgroup', '--platform', 'x', '--csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe([
      'platform,ref,level,name,account,since,until,currency,impressions,clicks,spend,ctr,cpc,cpm,results',
      'x,x:l1a01,adgroup,"",18ce54d4x5t,2026-11-09,2026-11-09,USD,24000,600,55.00,2.50,0.09,2.29,240',
      'x,x:l1a02,adgroup,"",18ce54d4x5t,2026-11-09,2026-11-09,USD,16000,200,20.00,1.25,0.10,1.25,80',
      '',
    ].join('\r\n'));
  });

  it('--csv quotes names with commas and quotes, and keeps both currencies apart', async () => {
    sandbox.state.mutate((s) => {
      xOf(s).campaigns.find((c) => c.id === '8wku2')!.name = 'Espresso, "Holiday" edition';
    });
    const r = await cli(['report', '--csv']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines).toContain('x,x:8wku2,campaign,"Espresso, ""Holiday"" edition",18ce54d4x5t,2026-11-09,2026-11-09,USD,24000,600,55.00,2.50,0.09,2.29,240');
    expect(lines).toContain('meta,meta:120210000000103,campaign,Brand Awareness Tokyo,act_1001,2026-11-10,2026-11-10,JPY,50000,150,1200,0.30,8,24,""');
    expect(lines.at(-1)).toBe('');
  });

  it('a 30-day period goes through an async Meta report run and gives the same kind of rows', async () => {
    const r = await cli(['report', '--platform', 'meta', '--since', '2026-10-12', '--until', '2026-11-10', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // 29 whole days + 10 hours = 706 hours × 150 JPY.
    expect(parseJson<Array<Record<string, unknown>>>(r.stdout).find((row) => row.id === '120210000000101')).toMatchObject({ spend: jpy('105900'), impressions: 1_412_000, results: 14_120 });
    expect(sandbox.requests.some((q) => q.method === 'POST' && /\/act_1001\/insights$/.test(q.path))).toBe(true);
  });

  it('prints a table for people, and refuses --csv with --json (exit 64)', async () => {
    const r = await cli(['report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/x:8wku2\s+Holiday Espresso\s+2026-11-09\s+24000\s+600\s+55\.00 USD\s+2\.50%\s+0\.09\s+2\.29\s+240/);
    const both = await cli(['report', '--csv', '--json']);
    expect(both.code).toBe(64);
  });
});
