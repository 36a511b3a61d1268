/**
 * Bulk campaign commands (issue 6), run in-process (test/helpers/cli.ts) against a sandbox started
 * by the test: per-item reports, exit 3 on partial failure, the report as the next --from, filters,
 * bad refs and delete confirmation. Large batches through the built binary: test/e2e/bulk.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { addMetaCampaigns } from '../../src/sandbox/meta/batch.js';
import { addXCampaigns } from '../../src/sandbox/x/batch.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, sandboxEnv, tempConfigDir } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[]) => runInProcess(args, { env: sandboxEnv(sandbox), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

interface Report { results: Array<{ ref: string; ok: boolean; error?: { code: string } }> }

const metaCampaigns = () => (sandbox.state.read().meta as { campaigns: Array<{ id: string; name: string; status: string; daily_budget: string | null }> }).campaigns;

describe('bulk campaign commands', () => {
  it('partial failure exits 3, lists every item, and the report retries just the failures', async () => {
    const x = addXCampaigns(sandbox.state, 3, 'Mixed');
    const meta = addMetaCampaigns(sandbox.state, 3, 'Mixed');
    const refs = [...x.map((id) => `x:${id}`), 'x:zzzzz', ...meta.map((id) => `meta:${id}`), 'meta:9999999'];
    const report = join(configDir, 'report.csv');
    const r = await cli(['campaign', 'update', ...refs, '--daily-budget', '60', '--report', report]);
    expect(r.code, r.stderr).toBe(3);
    for (const ref of refs) expect(r.stdout).toContain(ref);
    expect(r.stdout).toMatch(/x:zzzzz\s+failed: NOT_FOUND/);
    expect(r.stderr).toMatch(/6 of 8 done; 2 failed \(retry with --from .*report\.csv\)/);
    // X runs a batch all or nothing: the refused item was split out and the others resent and applied.
    expect(xOf(sandbox.state.read()).campaigns.filter((c) => x.includes(c.id)).every((c) => c.daily_budget_amount_local_micro === 60_000_000)).toBe(true);
    expect(metaCampaigns().filter((c) => meta.includes(c.id)).every((c) => c.daily_budget === '60')).toBe(true);

    sandbox.requests.length = 0;
    const retry = await cli(['campaign', 'update', '--from', report, '--daily-budget', '60', '--json']);
    expect(retry.code).toBe(1); // every retried item fails again, alike
    expect(parseJson<Report>(retry.stdout).results.map((i) => i.ref)).toEqual(['x:zzzzz', 'meta:9999999']);
    const sent = sandbox.requests.filter((q) => q.method === 'POST');
    expect(sent.flatMap((q) => (q.platform === 'x' ? (q.json as Array<{ params: { campaign_id: string } }>).map((i) => i.params.campaign_id) : (JSON.parse(q.params.batch!) as Array<{ relative_url: string }>).map((o) => o.relative_url))).sort()).toEqual(['9999999', 'zzzzz']);
  });

  it('filters: --platform, --status and a --name glob select what they match, and a JSON lines report round-trips', async () => {
    addMetaCampaigns(sandbox.state, 3, 'Glob');
    const report = join(configDir, 'report.jsonl');
    const r = await cli(['campaign', 'resume', '--platform', 'meta', '--status', 'paused', '--name', 'Glob ?', '--report', report, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const refs = parseJson<Report>(r.stdout).results.map((i) => i.ref);
    expect(refs).toHaveLength(3);
    expect(metaCampaigns().filter((c) => /^Glob \d$/.test(c.name)).every((c) => c.status === 'ACTIVE')).toBe(true);
    expect(readFileSync(report, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { ref: string }).ref)).toEqual(refs);
    // A report of successes retries nothing.
    const again = await cli(['campaign', 'resume', '--from', report]);
    expect(again.code).toBe(64);
    expect(again.stderr).toMatch(/no campaigns selected/);
  });

  it('bad refs are refused before anything is sent (exit 64); delete asks for confirmation', async () => {
    sandbox.requests.length = 0;
    const bad = await cli(['campaign', 'pause', 'x:8wku2', 'nonsense', 'meta:']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/2 invalid refs/);
    expect(sandbox.requests.filter((q) => q.method !== 'GET')).toHaveLength(0);
    const del = await cli(['campaign', 'delete', 'x:8wku2', 'x:8wku3', '--no-input']);
    expect(del.code).toBe(77);
    const yes = await cli(['campaign', 'delete', 'x:8wku2', 'meta:120210000000102', '--yes', '--json']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(xOf(sandbox.state.read()).campaigns.find((c) => c.id === '8wku2')!.deleted).toBe(true);
    expect(metaCampaigns().find((c) => c.id === '120210000000102')!.status).toBe('DELETED');
    // Idempotent: deleting them again succeeds; an id that never existed still fails.
    const again = await cli(['campaign', 'delete', 'x:8wku2', 'meta:120210000000102', 'x:zzzzz', '--yes', '--json']);
    expect(again.code).toBe(3);
    expect(parseJson<Report>(again.stdout).results.map((x) => [x.ref, x.ok])).toEqual([['x:8wku2', true], ['meta:120210000000102', true], ['x:zzzzz', false]]);
  });
});
