/**
 * `adctl adgroup` (issue 4) through the built binary against a sandbox started by the test: bulk
 * pause by filter on both platforms through batch endpoints, audited. Every verb, the refusals,
 * --dry-run, log/undo and guardrails run in-process: test/cli/adgroup.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import type { MetaAdSet } from '../../src/sandbox/meta/adsets-seed.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sandbox), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

interface AdGroupJson {
  ref: string; id: string; campaign: string; name: string; status: string;
  budget: { period: string; amount: string; currency: string } | null;
  bid: { strategy: string; amount: { amount: string; currency: string } | null } | null;
  optimization: string | null;
  schedule: { start: string | null; end: string | null };
  targeting: { countries: string[]; ageMin: number | null; ageMax: number | null; publisherPlatforms: string[]; placements: string[] };
}
interface Entry {
  id: string; operation: string; ref: string; outcome: string; reverts?: string;
  before: { status?: string; budget?: { amount: string } | null; bid?: unknown } | null;
  after: { status?: string; budget?: { amount: string } | null; bid?: unknown } | null;
}

/** The wire values the sandbox holds for one ad group: status, budget and bid in platform units. */
function wire(platform: 'x' | 'meta', id: string): { status: string; budget: string | number | null; bid: number | null; name: string | null } {
  if (platform === 'x') {
    const l = xOf(sandbox.state.read()).lineItems.find((i) => i.id === id)!;
    return { status: l.deleted ? 'DELETED' : l.entity_status, budget: l.daily_budget_amount_local_micro, bid: l.bid_amount_local_micro, name: l.name };
  }
  const a = (sandbox.state.read().meta as unknown as { adSets: MetaAdSet[] }).adSets.find((s) => s.id === id)!;
  return { status: a.status, budget: a.daily_budget, bid: a.bid_amount, name: a.name };
}

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
