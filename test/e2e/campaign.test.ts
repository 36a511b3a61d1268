/**
 * Campaign happy paths through the built binary (a list and a create on each platform, and the
 * partial-failure exit of a multi-platform list), against a sandbox started by the test (so the test
 * can read its request log and state). The other verbs and their errors run in-process in
 * test/cli/campaign.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

interface CampaignJson {
  ref: string; platform: string; id: string; name: string; status: string; objective: string | null;
  budget: { period: string; amount: string; currency: string } | null;
}

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: sandboxEnv(sandbox, env), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

const cases = [{ platform: 'x' as const }, { platform: 'meta' as const }];

describe.each(cases)('campaign verbs on $platform', ({ platform }) => {
  it('list --platform filters to one platform', async () => {
    const r = await cli(['campaign', 'list', '--platform', platform, '--json']);
    expect(r.code).toBe(0);
    const list = parseJson<CampaignJson[]>(r.stdout);
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((c) => c.platform === platform)).toBe(true);
    const other = platform === 'x' ? 'meta' : 'x';
    expect(sandbox.requests.filter((q) => q.platform === other)).toHaveLength(0);
  });

  it('creates ACTIVE only with --active', async () => {
    const r = await cli(['campaign', 'create', '--platform', platform, '--name', 'Live now', '--objective', 'awareness', '--active', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson<CampaignJson>(r.stdout).status).toBe('active');
  });
});

describe('multi-platform list', () => {
  it('shows partial results and exits 3 when one platform fails', async () => {
    sandbox.addFault({ platform: 'meta', action: { type: 'expired_token' } });
    const r = await cli(['campaign', 'list', '--json']);
    expect(r.code).toBe(3);
    const list = parseJson<CampaignJson[]>(r.stdout);
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((c) => c.platform === 'x')).toBe(true);
    expect(parseJson<{ error: { code: string; exitCode: number } }>(r.stderr.trim().split('\n')[0]!).error.exitCode).toBe(4);
  });
});
