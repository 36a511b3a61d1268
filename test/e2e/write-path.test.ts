/**
 * The write path through the built binary, counted in the sandbox's request log: a campaign budget
 * update reads the campaign once (the plugin reuses that read), and a delete never takes a 404 on
 * a secondary read for "already deleted".
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { useSandbox } from '../helpers/sandbox.js';
import { runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const xRequests = (method: string) => sandbox.requests.filter((q) => q.platform === 'x' && q.method === method);

describe('write path', () => {
  it('campaign update x:ID --daily-budget on a cold cache sends at most 2 GETs and exactly 1 PUT', async () => {
    const r = await runCli(['campaign', 'update', 'x:8wku2', '--daily-budget', '60 USD', '--json'], { env: sandboxEnv(sandbox), configDir: tempConfigDir() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ref: 'x:8wku2', objective: 'traffic', budget: { period: 'daily', amount: '60.00', currency: 'USD' } });
    expect(xRequests('PUT').map((q) => q.path)).toEqual(['/12/accounts/18ce54d4x5t/campaigns/8wku2']);
    expect(xRequests('GET').length).toBeLessThanOrEqual(2);
    expect(xOf(sandbox.state.read()).campaigns.find((c) => c.id === '8wku2')!.daily_budget_amount_local_micro).toBe(60_000_000);
  });

  it('a 404 on the line items read is a failure (exit 1), never "already deleted"; the campaign stays', async () => {
    sandbox.addFault({
      platform: 'x', method: 'GET', path: '/line_items',
      action: { type: 'status', status: 404, body: { errors: [{ code: 'NOT_FOUND', message: 'Sorry, that page does not exist' }], request: { params: {} } } },
    });
    const r = await runCli(['campaign', 'delete', 'x:8wku2', '--yes'], { env: sandboxEnv(sandbox), configDir: tempConfigDir() });
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.stderr).not.toMatch(/already deleted/);
    expect(r.stderr).toContain('X answered 404 to the line items of campaign 8wku2');
    expect(xRequests('DELETE')).toEqual([]);
    expect(xOf(sandbox.state.read()).campaigns.find((c) => c.id === '8wku2')!.deleted).toBe(false);
  });
});
