/**
 * `adctl budget set`, run in-process (test/helpers/cli.ts) against a sandbox started by the test:
 * ad group budgets through log and undo, guardrails (exit 77 with nothing sent, `--confirm=<ref>`
 * passes) and the refusal below today's spend. Campaign budgets through the built binary:
 * test/e2e/budget.test.ts; the service's other refusals and `budget get`: test/services/budgets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { MetaAdSet } from '../../src/sandbox/meta/adsets-seed.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { addGuardedProfile } from '../helpers/profiles.js';
import { parseJson, sandboxEnv, STACK_LINE, tempConfigDir } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});
const env = () => sandboxEnv(sandbox, { ADCTL_KEYRING: 'off' });
const cli = (args: string[], input?: string) => runInProcess(args, { env: env(), configDir, input });
const writes = () => sandbox.requests.filter((q) => q.method !== 'GET');

const xLineItem = (id: string) => xOf(sandbox.state.read()).lineItems.find((l) => l.id === id)!;
const metaAdSet = (id: string) => (sandbox.state.read().meta as unknown as { adSets: MetaAdSet[] }).adSets.find((a) => a.id === id)!;

describe('budget set', () => {
  it('ad groups (an X line item, a Meta ad set) round trip through log and undo', async () => {
    // Give Always-on Followers' line item a daily budget to come back to (it has none in the seed).
    sandbox.state.mutate((s) => {
      xOf(s).lineItems.find((l) => l.id === 'l1a02')!.daily_budget_amount_local_micro = 20_000_000;
    });
    const x = await cli(['budget', 'set', 'x:l1a02', '--daily', '35.50 USD', '--json']);
    expect(x.code, x.stderr).toBe(0);
    expect(parseJson(x.stdout)).toMatchObject({ ref: 'x:l1a02', level: 'adgroup', before: { amount: '20.00', minor: 2000 }, after: { amount: '35.50', minor: 3550 } });
    const meta = await cli(['budget', 'set', 'meta:120220000000004', '--daily', '2500']);
    expect(meta.code, meta.stderr).toBe(0);
    expect(xLineItem('l1a02').daily_budget_amount_local_micro).toBe(35_500_000);
    expect(metaAdSet('120220000000004').daily_budget).toBe('2500');
    // budget get resolves the ad set (campaign first, then ad group); the rest is in the service tests.
    const got = await cli(['budget', 'get', 'meta:120220000000004', '--json']);
    expect(got.code, got.stderr).toBe(0);
    expect(parseJson(got.stdout)).toEqual({
      ref: 'meta:120220000000004', platform: 'meta', level: 'adgroup', name: 'Tokyo reach 18-65', status: 'active', currency: 'JPY',
      budget: { period: 'daily', amount: '2500', currency: 'JPY', minor: 2500, display: '2500 JPY/day' },
    });
    const entries = parseJson<Array<{ id: string; ref: string; operation: string }>>((await cli(['log', '--json'])).stdout);
    expect(entries.map((e) => [e.operation, e.ref])).toEqual([['adgroup.update', 'x:l1a02'], ['adgroup.update', 'meta:120220000000004']]);
    for (const e of entries) {
      const r = await cli(['undo', e.id, '--yes']);
      expect(r.code, `${e.ref}: ${r.stderr}`).toBe(0);
    }
    expect(xLineItem('l1a02').daily_budget_amount_local_micro).toBe(20_000_000);
    expect(metaAdSet('120220000000004').daily_budget).toBe('2000');
  });

  it("refuses a budget below what was spent today and sends nothing", async () => {
    // A clock past the end of today: every hour of today's delivery has happened (2.75 USD an hour).
    sandbox.setClock('2100-01-01T00:00:00Z');
    try {
      const r = await cli(['budget', 'set', 'x:8wku2', '--daily', '10 USD', '--no-input']);
      expect(r.code).toBe(64);
      expect(r.stderr).toMatch(/x:8wku2 has already spent \d+\.\d\d USD today \(\d{4}-\d\d-\d\d, America\/New_York\); a budget of 10\.00 USD would be below that/);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(writes()).toEqual([]);
    } finally {
      sandbox.setClock(null);
    }
  });
});

describe('budget set guardrails', () => {
  const addProfile = () => addGuardedProfile((args, input) => cli(args, input));

  it("above the cap: exit 77 and nothing sent; the same with --confirm=<ref> is sent; a step above the profile's % is refused too (budget set and campaign update)", async () => {
    await addProfile();
    sandbox.requests.length = 0;
    const refused = await cli(['--profile', 'acme', 'budget', 'set', 'x:8wku2', '--daily', '150 USD', '--no-input']);
    expect(refused.code).toBe(77);
    expect(refused.stderr).toMatch(/daily budget 150\.00 USD is above the profile's cap of 100\.00 USD/);
    expect(refused.stderr).toMatch(/--confirm=x:8wku2/);
    expect(writes()).toEqual([]);
    // -y confirms moderate actions only; a guardrail needs --confirm naming the ref.
    const yes = await cli(['--profile', 'acme', 'budget', 'set', 'x:8wku2', '--daily', '150 USD', '--yes', '--confirm=x:8wku3', '--no-input']);
    expect(yes.code).toBe(77);
    expect(writes()).toEqual([]);

    const ok = await cli(['--profile', 'acme', 'budget', 'set', 'x:8wku2', '--daily', '150 USD', '--confirm=x:8wku2', '--no-input', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(parseJson(ok.stdout)).toMatchObject({ ref: 'x:8wku2', confirmed: ['x:8wku2'], after: { amount: '150.00', minor: 15000 } });
    expect(writes().map((q) => q.params.daily_budget_amount_local_micro)).toEqual(['150000000']);

    // Meta, JPY (no cap for JPY): 2000 → 3500 is +75 %, above the 50 % step.
    const step = await cli(['--profile', 'acme', 'budget', 'set', 'meta:120220000000004', '--daily', '3500 JPY', '--no-input']);
    expect(step.code).toBe(77);
    expect(step.stderr).toMatch(/meta:120220000000004: 2000 JPY → 3500 JPY is an increase above the profile's 50% step/);
    expect(writes()).toHaveLength(1);
    expect(metaAdSet('120220000000004').daily_budget).toBe('2000');

    // The same guardrails hold for one campaign's `campaign update --daily-budget`: 25.50 → 40.00 USD is +57 %.
    const update = await cli(['--profile', 'acme', 'campaign', 'update', 'x:8wku3', '--daily-budget', '40 USD', '--no-input']);
    expect(update.code).toBe(77);
    expect(update.stderr).toMatch(/x:8wku3: 25\.50 USD → 40\.00 USD is an increase above the profile's 50% step/);
    expect(writes()).toHaveLength(1);
  });
});
