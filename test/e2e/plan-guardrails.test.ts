/**
 * Budget guardrails (issue 4's rules) in `apply`, through the built binary: every breach is found
 * before the first request; without confirmation exit 77 and nothing sent; `--confirm` passes.
 * Bulk budget updates run in-process: test/cli/plan-guardrails.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { useSandbox } from '../helpers/sandbox.js';
import { addGuardedProfile } from '../helpers/profiles.js';
import { runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const env = () => sandboxEnv(sandbox, { ADCTL_KEYRING: 'off' });
const cli = (args: string[], input?: string) => runCli(['--profile', 'acme', ...args], { env: env(), configDir, input });
const writes = () => sandbox.requests.filter((q) => q.method !== 'GET');

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

const addProfile = () => addGuardedProfile((args, input) => runCli(args, { env: env(), configDir, input }));

describe('guardrails', () => {
  it('apply: a create above the cap is refused before anything is sent; confirmed by its key it applies', async () => {
    await addProfile();
    const spec = join(configDir, 'c.yaml');
    writeFileSync(spec, 'version: 1\ncampaigns:\n  - key: small\n    platform: x\n    name: Small\n    objective: traffic\n    budget: { daily: "20 USD" }\n'
      + '  - key: big\n    platform: x\n    name: Big\n    objective: traffic\n    budget: { daily: "150 USD" }\n');
    sandbox.requests.length = 0;
    const refused = await cli(['apply', '-f', spec, '--yes']);
    expect(refused.code).toBe(77);
    expect(refused.stderr).toMatch(/big: daily budget 150\.00 USD is above the profile's cap of 100\.00 USD/);
    expect(writes()).toHaveLength(0);
    const ok = await cli(['apply', '-f', spec, '--yes', '--confirm=big']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(xOf(sandbox.state.read()).campaigns.filter((c) => c.name === 'Big' || c.name === 'Small')).toHaveLength(2);
  });
});
