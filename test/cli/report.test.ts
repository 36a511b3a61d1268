/**
 * `adctl report`, run in-process (test/helpers/cli.ts) against a sandbox whose clock is fixed (see
 * budget-report.test.ts for the delivery figures). Golden CSV (RFC 4180 quoting, empty cells for
 * nulls), an async Meta report run, the table and the --csv/--json refusal. Golden JSON through
 * the built binary: test/e2e/report.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, sandboxEnv, tempConfigDir } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});
// 01:00Z on 10 Nov 2026: 20 hours of 9 Nov in New York, 10 hours of 10 Nov in Tokyo.
const T = '2026-11-10T01:00:00Z';
const cli = (args: string[]) => {
  sandbox.setClock(T);
  return runInProcess([...args, '--as-of', T], { env: sandboxEnv(sandbox), configDir });
};

const jpy = (amount: string) => ({ amount, currency: 'JPY' });

describe('report', () => {
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
