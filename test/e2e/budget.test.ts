/**
 * `adctl budget set` through the built binary: exact platform units on the wire and the
 * `adctl log` / `adctl undo` round trip on both platforms checked against sandbox state. Ad group
 * budgets, guardrails and the refusal below today's spend run in-process (test/cli/budget.test.ts);
 * the service's other refusals and `budget get` are tested without spawning (test/services/budgets.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});
const env = () => sandboxEnv(sandbox, { ADCTL_KEYRING: 'off' });
const cli = (args: string[], input?: string) => runCli(args, { env: env(), configDir, input });
const writes = () => sandbox.requests.filter((q) => q.method !== 'GET');

const xCampaign = (id: string) => xOf(sandbox.state.read()).campaigns.find((c) => c.id === id)!;
const metaCampaign = (id: string) => (sandbox.state.read().meta as unknown as { campaigns: Array<{ id: string; daily_budget: string | null }> }).campaigns.find((c) => c.id === id)!;

describe('budget set', () => {
  it('sends exact units (Meta "7000 JPY" → daily_budget=7000, X "75.50 USD" → 75500000 micros); log lists both and undo restores both', async () => {
    const meta = await cli(['budget', 'set', 'meta:120210000000101', '--daily', '7000 JPY', '--json']);
    expect(meta.code, meta.stderr).toBe(0);
    expect(parseJson(meta.stdout)).toEqual({
      ref: 'meta:120210000000101', platform: 'meta', level: 'campaign', name: 'Winter Ramen', currency: 'JPY', changed: true, confirmed: [],
      before: { period: 'daily', amount: '5000', currency: 'JPY', minor: 5000, display: '5000 JPY/day' },
      after: { period: 'daily', amount: '7000', currency: 'JPY', minor: 7000, display: '7000 JPY/day' },
    });
    const x = await cli(['budget', 'set', 'x:8wku2', '--daily', '75.50 USD']);
    expect(x.code, x.stderr).toBe(0);
    expect(x.stdout).toMatch(/x:8wku2 \(campaign "Holiday Espresso"\): 50\.00 USD\/day → 75\.50 USD\/day/);
    expect(writes().map((q) => [q.method, q.path, q.params])).toEqual([
      ['POST', expect.stringMatching(/^\/v\d+\.\d+\/120210000000101$/), expect.objectContaining({ daily_budget: '7000' })],
      ['PUT', `/12/accounts/${SANDBOX_X.adsAccountId}/campaigns/8wku2`, expect.objectContaining({ daily_budget_amount_local_micro: '75500000' })],
    ]);
    expect(metaCampaign('120210000000101').daily_budget).toBe('7000');
    expect(xCampaign('8wku2').daily_budget_amount_local_micro).toBe(75_500_000);

    const log = await cli(['log', '--json']);
    expect(log.code, log.stderr).toBe(0);
    const entries = parseJson<Array<{ id: string; ref: string; operation: string; before: { budget: unknown }; after: { budget: unknown } }>>(log.stdout);
    expect(entries.map((e) => [e.operation, e.ref, e.before.budget, e.after.budget])).toEqual([
      ['campaign.update', 'meta:120210000000101', { period: 'daily', amount: '5000', currency: 'JPY' }, { period: 'daily', amount: '7000', currency: 'JPY' }],
      ['campaign.update', 'x:8wku2', { period: 'daily', amount: '50.00', currency: 'USD' }, { period: 'daily', amount: '75.50', currency: 'USD' }],
    ]);
    for (const e of entries) {
      const r = await cli(['undo', e.id, '--yes']);
      expect(r.code, `${e.ref}: ${r.stderr}`).toBe(0);
    }
    expect(metaCampaign('120210000000101').daily_budget).toBe('5000');
    expect(xCampaign('8wku2').daily_budget_amount_local_micro).toBe(50_000_000);
  });
});
