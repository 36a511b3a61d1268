/**
 * Bulk campaign commands (issue 6) through the built binary against a sandbox started by the
 * test: pausing 100 X and 120 Meta campaigns goes through batch endpoints only (counted in the
 * sandbox request log), every item audited. Partial failure, reports as the next --from, filters
 * and refusals run in-process: test/cli/bulk.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { addMetaCampaigns } from '../../src/sandbox/meta/batch.js';
import { addXCampaigns } from '../../src/sandbox/x/batch.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sandbox), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

interface Report { results: Array<{ ref: string; ok: boolean; error?: { code: string } }> }

const metaCampaigns = () => (sandbox.state.read().meta as { campaigns: Array<{ id: string; name: string; status: string; daily_budget: string | null }> }).campaigns;
const isMetaBatch = (q: { platform: string; method: string; path: string }) => q.platform === 'meta' && q.method === 'POST' && /^\/v\d+\.\d+\/?$/.test(q.path);

describe('bulk campaign commands', () => {
  it('pausing 100 X campaigns sends 3 batch requests and no single-item PUT', async () => {
    const ids = addXCampaigns(sandbox.state, 100, 'Holiday');
    sandbox.state.mutate((s) => { for (const c of xOf(s).campaigns) if (ids.includes(c.id)) c.entity_status = 'ACTIVE'; });
    const file = join(configDir, 'refs.csv');
    writeFileSync(file, `ref\n${ids.map((id) => `x:${id}`).join('\n')}\n`);
    sandbox.requests.length = 0;
    const r = await cli(['campaign', 'pause', '--from', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = parseJson<Report>(r.stdout);
    expect(report.results).toHaveLength(100);
    expect(report.results.every((x) => x.ok)).toBe(true);
    const batches = sandbox.requests.filter((q) => q.method === 'POST' && q.path.includes('/batch/accounts/'));
    expect(batches.map((b) => (b.json as unknown[]).length)).toEqual(expect.arrayContaining([40, 40, 20]));
    expect(batches).toHaveLength(3);
    expect(sandbox.requests.filter((q) => q.method === 'PUT')).toHaveLength(0);
    const live = xOf(sandbox.state.read()).campaigns.filter((c) => ids.includes(c.id));
    expect(live.every((c) => c.entity_status === 'PAUSED')).toBe(true);
    // Every item is audited.
    const audit = readFileSync(join(configDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { operation: string; outcome: string; ref: string });
    expect(audit.filter((e) => e.operation === 'campaign.update' && e.outcome === 'ok')).toHaveLength(100);
  });

  it('pausing 120 Meta campaigns sends 3 Graph batch calls and no single-item POST', async () => {
    const ids = addMetaCampaigns(sandbox.state, 120, 'Holiday');
    sandbox.state.mutate((s) => { for (const c of (s.meta as { campaigns: Array<{ id: string; status: string }> }).campaigns) if (ids.includes(c.id)) c.status = 'ACTIVE'; });
    sandbox.requests.length = 0;
    const r = await cli(['campaign', 'pause', ...ids.map((id) => `meta:${id}`), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson<Report>(r.stdout).results.filter((x) => x.ok)).toHaveLength(120);
    const batches = sandbox.requests.filter(isMetaBatch);
    expect(batches).toHaveLength(3);
    expect(batches.map((b) => (JSON.parse(b.params.batch!) as unknown[]).length).sort()).toEqual([20, 50, 50]);
    expect(sandbox.requests.filter((q) => q.method === 'POST' && /\/\d{6,}$/.test(q.path))).toHaveLength(0);
    expect(metaCampaigns().filter((c) => ids.includes(c.id)).every((c) => c.status === 'PAUSED')).toBe(true);
  });
});
