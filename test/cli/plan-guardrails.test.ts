/**
 * Budget guardrails (issue 4's rules) in bulk budget updates, run in-process (test/helpers/cli.ts):
 * every breach is found before the first request; without confirmation exit 77 and nothing sent;
 * `--confirm` passes. `apply` through the built binary: test/e2e/plan-guardrails.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { addGuardedProfile } from '../helpers/profiles.js';
import { sandboxEnv, tempConfigDir } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const env = () => sandboxEnv(sandbox, { ADCTL_KEYRING: 'off' });
const cli = (args: string[], input?: string) => runInProcess(['--profile', 'acme', ...args], { env: env(), configDir, input });
const writes = () => sandbox.requests.filter((q) => q.method !== 'GET');

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

const addProfile = () => addGuardedProfile((args, input) => runInProcess(args, { env: env(), configDir, input }));

describe('guardrails', () => {
  it('bulk: an increase above the step exits 77 naming every breach and sends nothing; --confirm passes', async () => {
    await addProfile();
    sandbox.requests.length = 0;
    const refused = await cli(['campaign', 'update', 'x:8wku2', 'x:8wku3', '--daily-budget', '70 USD', '--no-input']);
    expect(refused.code).toBe(77);
    // 50.00 → 70.00 is +40% (allowed); 25.50 → 70.00 is above +50%.
    expect(refused.stderr).toMatch(/x:8wku3: 25\.50 USD → 70\.00 USD is an increase above the profile's 50% step/);
    expect(refused.stderr).not.toMatch(/x:8wku2:/);
    expect(refused.stderr).toMatch(/--confirm=x:8wku3/);
    expect(writes()).toHaveLength(0);
    const ok = await cli(['campaign', 'update', 'x:8wku2', 'x:8wku3', '--daily-budget', '70 USD', '--confirm', 'x:8wku3', '--no-input']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(xOf(sandbox.state.read()).campaigns.find((c) => c.id === '8wku3')!.daily_budget_amount_local_micro).toBe(70_000_000);
  });
});
