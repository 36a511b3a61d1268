/**
 * Issue 7 (audit log), in-process: budget and status changes on both platforms show up in
 * `adctl log` with before and after values, and `adctl undo` restores them, checked against
 * sandbox state. The built binary's log-and-undo path is in test/e2e/audit.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { ALL_SECRETS, parseJson, sandboxEnv, tempConfigDir } from '../e2e/helpers.js';

interface Entry {
  id: string; operation: string; ref: string; outcome: string; profile: string; platform: string; requestId: string | null;
  before: { status?: string; budget?: { amount: string } | null } | null;
  after: { status?: string; budget?: { amount: string } | null } | null;
}
interface CampaignJson { ref: string; status: string; budget: { amount: string; currency: string } | null }

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[]) => runInProcess(args, { env: sandboxEnv(sandbox), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe.each([
  { platform: 'x', budget: '60 USD', amount: '60.00' },
  { platform: 'meta', budget: '6000 JPY', amount: '6000' },
])('audit log and undo on $platform', ({ platform, budget, amount }) => {
  it('logs budget and status changes with before/after, and undo restores them', async () => {
    const created = parseJson<CampaignJson>((await cli(['campaign', 'create', '--platform', platform, '--name', 'Audited', '--objective', 'traffic', '--daily-budget', budget, '--json'])).stdout);
    const ref = created.ref;
    const originalBudget = created.budget;
    expect((await cli(['campaign', 'update', ref, '--daily-budget', platform === 'x' ? '80 USD' : '8000 JPY'])).code).toBe(0);
    expect((await cli(['campaign', 'resume', ref])).code).toBe(0);

    const log = await cli(['log', '--ref', ref, '--json']);
    expect(log.code).toBe(0);
    const entries = parseJson<Entry[]>(log.stdout);
    expect(entries.map((e) => e.operation)).toEqual(['campaign.create', 'campaign.update', 'campaign.update']);
    const [, budgetChange, statusChange] = entries;
    expect(budgetChange!.before!.budget!.amount).toBe(amount);
    expect(budgetChange!.after!.budget!.amount).not.toBe(amount);
    expect(statusChange!.before!.status).toBe('paused');
    expect(statusChange!.after!.status).toBe('active');
    expect(entries.every((e) => e.outcome === 'ok' && e.profile === 'env' && e.platform === platform)).toBe(true);
    expect(entries.every((e) => typeof e.requestId === 'string' && e.requestId.length > 0)).toBe(true);

    // Undo needs confirmation off a TTY.
    const refused = await cli(['undo', statusChange!.id]);
    expect(refused.code).toBe(77);

    const undoStatus = await cli(['undo', statusChange!.id, '--yes', '--json']);
    expect(undoStatus.code, undoStatus.stderr).toBe(0);
    const afterStatus = parseJson<CampaignJson>((await cli(['campaign', 'get', ref, '--json'])).stdout);
    expect(afterStatus.status).toBe('paused');

    const undoBudget = await cli(['undo', budgetChange!.id, '--yes']);
    expect(undoBudget.code, undoBudget.stderr).toBe(0);
    const restored = parseJson<CampaignJson>((await cli(['campaign', 'get', ref, '--json'])).stdout);
    expect(restored.budget).toEqual(originalBudget);
    expect(JSON.stringify(sandbox.state.read()[platform as 'x' | 'meta'])).toContain(platform === 'x' ? '60000000' : '6000');

    const undoEntries = parseJson<Array<Entry & { reverts?: string }>>((await cli(['log', '--ref', ref, '--json'])).stdout).filter((e) => e.reverts);
    expect(undoEntries.map((e) => e.reverts)).toEqual([statusChange!.id, budgetChange!.id]);
  });
});

describe('audit log safety', () => {
  it('refuses to undo over a later change (exit 5) and refuses creates (exit 1)', async () => {
    const c = parseJson<CampaignJson>((await cli(['campaign', 'create', '--platform', 'meta', '--name', 'A', '--objective', 'traffic', '--json'])).stdout);
    await cli(['campaign', 'resume', c.ref]);
    await cli(['campaign', 'update', c.ref, '--name', 'B']);
    const entries = parseJson<Entry[]>((await cli(['log', '--ref', c.ref, '--json'])).stdout);
    const stale = await cli(['undo', entries[1]!.id, '--yes']);
    expect(stale.code).toBe(5);
    expect(stale.stderr).toMatch(/--force/);
    const create = await cli(['undo', entries[0]!.id, '--yes']);
    expect(create.code).toBe(1);
    expect((await cli(['undo', 'nope', '--yes'])).code).toBe(64);
  });

  it('is 0600, redacted, and skips a torn last line', async () => {
    await cli(['campaign', 'create', '--platform', 'x', '--name', 'S', '--objective', 'traffic', '--debug']);
    const path = join(configDir, 'audit.jsonl');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { readFileSync, appendFileSync } = await import('node:fs');
    const text = readFileSync(path, 'utf8');
    for (const s of ALL_SECRETS) expect(text.includes(s)).toBe(false);
    appendFileSync(path, '{"id":"torn","operat');
    const log = await cli(['log', '--json']);
    expect(log.code).toBe(0);
    expect(parseJson<Entry[]>(log.stdout)).toHaveLength(1);
  });
});
