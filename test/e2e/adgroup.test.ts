/**
 * `adctl adgroup` (issue 4) through the built binary against a sandbox started by the test: bulk
 * pause by filter on both platforms through batch endpoints, audited. Every verb, the refusals,
 * --dry-run, log/undo and guardrails run in-process: test/cli/adgroup.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { adGroupWire, type AdGroupJson, type AuditEntryJson } from '../helpers/adgroups.js';
import { parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sandbox), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

type Entry = AuditEntryJson;
const wire = (platform: 'x' | 'meta', id: string) => adGroupWire(sandbox, platform, id);

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');

describe('adgroup refusals and bulk', () => {
  it('pausing active ad groups by filter sends batch requests (X batch, Meta Graph batch), no single-item writes, and audits each', async () => {
    const before = (await cli(['adgroup', 'list', '--status', 'active', '--json']));
    const active = parseJson<AdGroupJson[]>(before.stdout);
    expect(active.filter((g) => g.ref.startsWith('x:')).length).toBeGreaterThan(0);
    expect(active.filter((g) => g.ref.startsWith('meta:')).length).toBeGreaterThan(0);
    sandbox.requests.length = 0;
    const r = await cli(['adgroup', 'pause', '--status', 'active', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const results = parseJson<{ results: Array<{ ref: string; ok: boolean }> }>(r.stdout).results;
    expect(results.map((x) => x.ref).sort()).toEqual(active.map((g) => g.ref).sort());
    expect(results.every((x) => x.ok)).toBe(true);
    const w = writes();
    expect(w.filter((q) => q.platform === 'x').every((q) => q.path.includes('/batch/accounts/') && q.path.endsWith('/line_items'))).toBe(true);
    expect(w.filter((q) => q.platform === 'x')).toHaveLength(1);
    expect(w.filter((q) => q.platform === 'meta').every((q) => /^\/v\d+\.\d+\/?$/.test(q.path))).toBe(true);
    expect(w.filter((q) => q.platform === 'meta')).toHaveLength(1);
    expect(w.filter((q) => q.method === 'PUT')).toHaveLength(0);
    for (const g of active) expect(wire(g.ref.startsWith('x:') ? 'x' : 'meta', g.id).status).toBe('PAUSED');
    const log = parseJson<Entry[]>((await cli(['log', '--operation', 'adgroup.update', '--json'])).stdout);
    expect(log.map((e) => e.ref).sort()).toEqual(active.map((g) => g.ref).sort());
  });
});
