/**
 * Money on the wire, run in-process (test/helpers/cli.ts): exact integers in each platform's unit
 * on update and in a three-decimal currency, and bad amounts refused before any request (DESIGN §2).
 * One create per platform through the built binary: test/e2e/money.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { sandboxEnv, tempConfigDir } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[], env: Record<string, string> = {}) => runInProcess(args, { env: sandboxEnv(sandbox, env), configDir });
const posts = () => sandbox.requests.filter((r) => r.method === 'POST');

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('budgets on the wire', () => {
  it('X: "75.50 USD" on update sends 75500000 micros', async () => {
    const list = await cli(['campaign', 'list', '--platform', 'x', '--json']);
    const ref = (JSON.parse(list.stdout) as Array<{ ref: string }>)[0]!.ref;
    sandbox.requests.length = 0;
    const r = await cli(['campaign', 'update', ref, '--daily-budget', '75.50 USD']);
    expect(r.code, r.stderr).toBe(0);
    const put = sandbox.requests.find((q) => q.method === 'PUT')!;
    expect(put.params.daily_budget_amount_local_micro).toBe('75500000');
  });

  it('Meta: "12.345 KWD" on a KWD account sends 12345', async () => {
    const r = await cli(['campaign', 'create', '--platform', 'meta', '--name', 'K', '--objective', 'traffic', '--daily-budget', '12.345 KWD'], { ADCTL_META_AD_ACCOUNT_ID: 'act_1002' });
    expect(r.code, r.stderr).toBe(0);
    expect(String(posts()[0]!.params.daily_budget)).toBe('12345');
  });

  it('too many decimals exits 64 before any request', async () => {
    for (const [platform, money] of [['x', '50.001 USD'], ['meta', '5000.5 JPY']]) {
      sandbox.requests.length = 0;
      const r = await cli(['campaign', 'create', '--platform', platform!, '--name', 'M', '--objective', 'traffic', '--daily-budget', money!]);
      expect(r.code, money).toBe(64);
      expect(r.stderr).toMatch(/decimals/);
      expect(sandbox.requests, money).toHaveLength(0);
    }
  });

  it('a currency other than the account\'s exits 64 before any write, and before any request once the account is known', async () => {
    const r = await cli(['campaign', 'create', '--platform', 'meta', '--name', 'M', '--objective', 'traffic', '--daily-budget', '50 USD']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/does not match the account's currency JPY/);
    expect(posts()).toHaveLength(0);
    sandbox.requests.length = 0;
    const again = await cli(['campaign', 'create', '--platform', 'x', '--name', 'M', '--objective', 'traffic', '--daily-budget', '5000 JPY']);
    expect(again.code).toBe(64);
    expect(posts()).toHaveLength(0);
    sandbox.requests.length = 0;
    const cached = await cli(['campaign', 'create', '--platform', 'meta', '--name', 'M', '--objective', 'traffic', '--daily-budget', '50 EUR']);
    expect(cached.code).toBe(64);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('an X account with several funding instruments needs --funding-instrument (exit 64, listing them)', async () => {
    const r = await cli(['campaign', 'create', '--platform', 'x', '--name', 'F', '--objective', 'traffic'], { ADCTL_X_ADS_ACCOUNT_ID: 'gq1844' });
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--funding-instrument/);
    expect(posts()).toHaveLength(0);
  });
});
