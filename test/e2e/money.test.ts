/**
 * Money on the wire through the built binary: exact integers in each platform's unit (DESIGN §2),
 * one create per platform. Updates, other currencies and amounts refused before any request run
 * in-process: test/cli/money.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: sandboxEnv(sandbox, env), configDir });
const posts = () => sandbox.requests.filter((r) => r.method === 'POST');

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('budgets on the wire', () => {
  it('X: "50 USD" sends daily_budget_amount_local_micro=50000000', async () => {
    const r = await cli(['campaign', 'create', '--platform', 'x', '--name', 'M', '--objective', 'traffic', '--daily-budget', '50 USD']);
    expect(r.code, r.stderr).toBe(0);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.params.daily_budget_amount_local_micro).toBe('50000000');
    expect(posts()[0]!.params.entity_status).toBe('PAUSED');
  });

  it('Meta: "5000 JPY" on a JPY account sends daily_budget=5000', async () => {
    const r = await cli(['campaign', 'create', '--platform', 'meta', '--name', 'M', '--objective', 'traffic', '--daily-budget', '5000 JPY']);
    expect(r.code, r.stderr).toBe(0);
    expect(posts()).toHaveLength(1);
    expect(String(posts()[0]!.params.daily_budget)).toBe('5000');
    expect(posts()[0]!.params.status).toBe('PAUSED');
    expect(posts()[0]!.params.special_ad_categories).toBe('[]');
  });
});
