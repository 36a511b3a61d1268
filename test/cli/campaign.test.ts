/**
 * Campaign verbs on both platforms, run in-process (test/helpers/cli.ts) against a sandbox started
 * by the test, so the test can read its request log and state. The spawned binary's campaign
 * happy paths stay in test/e2e/campaign.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, sandboxEnv, STACK_LINE, tempConfigDir } from '../e2e/helpers.js';

interface CampaignJson {
  ref: string; platform: string; id: string; name: string; status: string; objective: string | null;
  budget: { period: string; amount: string; currency: string } | null;
}

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[], env: Record<string, string> = {}) => runInProcess(args, { env: sandboxEnv(sandbox, env), configDir });
const stateText = (platform: 'x' | 'meta') => JSON.stringify(sandbox.state.read()[platform]);

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

const cases = [
  { platform: 'x' as const, budget: '50 USD', amount: '50.00', newBudget: '75.50 USD', newAmount: '75.50', currency: 'USD' },
  { platform: 'meta' as const, budget: '5000 JPY', amount: '5000', newBudget: '7000 JPY', newAmount: '7000', currency: 'JPY' },
];

describe.each(cases)('campaign verbs on $platform', ({ platform, budget, amount, newBudget, newAmount, currency }) => {
  it('create → get → update → pause → resume → delete, checking output and sandbox state', async () => {
    const created = await cli(['campaign', 'create', '--platform', platform, '--name', 'E2E Winter', '--objective', 'traffic', '--daily-budget', budget, '--json']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/Creating a campaign on profile env · /);
    const c = parseJson<CampaignJson>(created.stdout);
    expect(c).toMatchObject({ platform, name: 'E2E Winter', status: 'paused', budget: { period: 'daily', amount, currency } });
    expect(c.ref).toBe(`${platform}:${c.id}`);
    expect(stateText(platform)).toContain('E2E Winter');

    const human = await cli(['campaign', 'get', c.ref]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`ref\\s+${c.ref}`));
    expect(human.stdout).toMatch(/status\s+paused/);

    const updated = await cli(['campaign', 'update', c.ref, '--name', 'E2E Renamed', '--daily-budget', newBudget, '--json']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(parseJson<CampaignJson>(updated.stdout)).toMatchObject({ name: 'E2E Renamed', budget: { amount: newAmount, currency } });
    expect(stateText(platform)).toContain('E2E Renamed');

    const resumed = await cli(['campaign', 'resume', c.ref, '--json']);
    expect(resumed.code).toBe(0);
    expect(parseJson<CampaignJson>(resumed.stdout).status).toBe('active');
    const paused = await cli(['campaign', 'pause', c.ref, '--json']);
    expect(paused.code).toBe(0);
    expect(parseJson<CampaignJson>(paused.stdout).status).toBe('paused');

    const refused = await cli(['campaign', 'delete', c.ref]);
    expect(refused.code).toBe(77);
    expect(refused.stderr).toMatch(/^hint: pass --yes/m);
    expect(sandbox.requests.filter((q) => q.method === 'DELETE')).toHaveLength(0);

    const deleted = await cli(['campaign', 'delete', c.ref, '--yes', '--json']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(parseJson(deleted.stdout)).toEqual({ ref: c.ref, deleted: true, alreadyDeleted: false });
    const again = await cli(['campaign', 'delete', c.ref, '--yes', '--json']);
    expect(again.code).toBe(0);
    expect(parseJson(again.stdout)).toEqual({ ref: c.ref, deleted: true, alreadyDeleted: true });
    const after = parseJson<CampaignJson[]>((await cli(['campaign', 'list', '--platform', platform, '--json'])).stdout);
    expect(after.find((x) => x.id === c.id)).toBeUndefined();
  });

  it('--dry-run prints the exact request, redacted, and sends no write', async () => {
    const r = await cli(['campaign', 'create', '--platform', platform, '--name', 'Dry', '--objective', 'traffic', '--daily-budget', budget, '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = parseJson<{ dryRun: boolean; requests: Array<{ method: string; url: string }> }>(r.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.requests[0]!.method).toBe('POST');
    expect(report.requests[0]!.url).toContain(sandbox.url);
    expect(JSON.stringify(report)).toContain('Dry');
    expect(sandbox.requests.filter((q) => q.method !== 'GET')).toHaveLength(0);
    expect(stateText(platform)).not.toContain('"Dry"');
  });

  it('a missing campaign exits 1 with a clear one-line message', async () => {
    const r = await cli(['campaign', 'get', `${platform}:999999999`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .+\nhint: .+\n$/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    const j = await cli(['campaign', 'get', `${platform}:999999999`, '--json']);
    expect(parseJson<{ error: { code: string; exitCode: number } }>(j.stderr).error).toMatchObject({ code: 'NOT_FOUND', exitCode: 1 });
  });
});
