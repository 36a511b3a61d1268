/**
 * `adctl adgroup` (issue 4), run in-process (test/helpers/cli.ts) against a sandbox started by the
 * test, on both platforms: every verb once (assertions on --json output and on sandbox state),
 * local schedule times read in the ad account's zone, the refused combinations as one-line errors
 * with no write request, --dry-run, budget guardrails, and (issue 7) `adctl log` / `adctl undo` for
 * ad group budget and status changes checked against sandbox state. Bulk pause through the built
 * binary: test/e2e/adgroup.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_META, SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { adGroupWire, type AdGroupJson, type AuditEntryJson } from '../helpers/adgroups.js';
import { parseJson, sandboxEnv, tempConfigDir } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[]) => runInProcess(args, { env: sandboxEnv(sandbox), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

type Entry = AuditEntryJson;
const wire = (platform: 'x' | 'meta', id: string) => adGroupWire(sandbox, platform, id);

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');

describe.each([
  {
    platform: 'x' as const, campaign: 'x:8wku2', budget: '20 USD', budgetJson: '20.00', budgetWire: 20_000_000,
    bid: '1.50 USD', bidJson: '1.50', bidWire: 1_500_000, newBudget: '35.50 USD', newBudgetWire: 35_500_000,
    targeting: ['--countries', 'US', '--age', '25-49', '--placements', 'timeline'],
    expectTargeting: { countries: ['US'], ageMin: 25, ageMax: 49, placements: ['timeline'] },
    // America/New_York is UTC-5 in January.
    startUtc: '2027-01-10T14:00:00Z', endUtc: '2027-02-10T14:00:00Z',
  },
  {
    platform: 'meta' as const, campaign: 'meta:120210000000103', budget: '2000 JPY', budgetJson: '2000', budgetWire: '2000',
    bid: '300 JPY', bidJson: '300', bidWire: 300, newBudget: '7000 JPY', newBudgetWire: '7000',
    targeting: ['--countries', 'jp,kr', '--age', '25-44', '--publisher-platforms', 'facebook,instagram', '--placements', 'feed', 'stories'],
    expectTargeting: { countries: ['JP', 'KR'], ageMin: 25, ageMax: 44, publisherPlatforms: ['facebook', 'instagram'], placements: ['feed', 'stories'] },
    // Asia/Tokyo is UTC+9.
    startUtc: '2027-01-10T00:00:00Z', endUtc: '2027-02-10T00:00:00Z',
  },
])('adgroup verbs on $platform', (p) => {
  it('create (paused, exact money, local schedule, targeting) → list → get → resume → update → pause → log/undo → delete, each checked in the sandbox', async () => {
    const created = await cli([
      'adgroup', 'create', '--campaign', p.campaign, '--name', 'E2E group', '--daily-budget', p.budget, '--bid', p.bid,
      '--start', '2027-01-10T09:00', '--end', '2027-02-10T09:00', ...p.targeting, '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const g = parseJson<AdGroupJson>(created.stdout);
    expect(g).toMatchObject({
      campaign: p.campaign, name: 'E2E group', status: 'paused',
      budget: { period: 'daily', amount: p.budgetJson, currency: p.platform === 'x' ? 'USD' : 'JPY' },
      bid: { strategy: 'max', amount: { amount: p.bidJson } }, schedule: { start: p.startUtc, end: p.endUtc },
    });
    expect(g.targeting).toMatchObject(p.expectTargeting);
    expect(g.optimization).toBeTruthy();
    expect(created.stderr).toMatch(/profile env · /);
    expect(created.stderr).toMatch(/zone from the ad account/);
    expect(wire(p.platform, g.id)).toMatchObject({ status: 'PAUSED', budget: p.budgetWire, bid: p.bidWire });

    const list = await cli(['adgroup', 'list', '--campaign', p.campaign, '--json']);
    expect(list.code, list.stderr).toBe(0);
    const listed = parseJson<AdGroupJson[]>(list.stdout);
    expect(listed.map((x) => x.ref)).toContain(g.ref);
    expect(listed.every((x) => x.campaign === p.campaign)).toBe(true);

    const got = await cli(['adgroup', 'get', g.ref, '--json']);
    expect(got.code, got.stderr).toBe(0);
    expect(parseJson<AdGroupJson>(got.stdout)).toEqual(g);

    const resumed = await cli(['adgroup', 'resume', g.ref, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parseJson<AdGroupJson>(resumed.stdout).status).toBe('active');
    expect(wire(p.platform, g.id).status).toBe('ACTIVE');

    const updated = await cli(['adgroup', 'update', g.ref, '--name', 'E2E renamed', '--daily-budget', p.newBudget, '--json']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(parseJson<AdGroupJson>(updated.stdout)).toMatchObject({ name: 'E2E renamed', budget: { period: 'daily' } });
    expect(wire(p.platform, g.id)).toMatchObject({ name: 'E2E renamed', budget: p.newBudgetWire });

    const paused = await cli(['adgroup', 'pause', g.ref, '--json']);
    expect(paused.code, paused.stderr).toBe(0);
    expect(parseJson<AdGroupJson>(paused.stdout).status).toBe('paused');
    expect(wire(p.platform, g.id).status).toBe('PAUSED');

    // Issue 7: the log has budget and status changes with before/after; undo restores them in the sandbox.
    const entries = parseJson<Entry[]>((await cli(['log', '--ref', g.ref, '--json'])).stdout);
    expect(entries.map((e) => e.operation)).toEqual(['adgroup.create', 'adgroup.update', 'adgroup.update', 'adgroup.update']);
    const [, , budgetChange, statusChange] = entries;
    expect(budgetChange!.before!.budget!.amount).toBe(p.budgetJson);
    expect(budgetChange!.after!.budget!.amount).not.toBe(p.budgetJson);
    expect(budgetChange!.before!.bid).toEqual(g.bid);
    expect(statusChange!.before!.status).toBe('active');
    expect(statusChange!.after!.status).toBe('paused');
    expect(entries.every((e) => e.outcome === 'ok')).toBe(true);
    const undoStatus = await cli(['undo', statusChange!.id, '--yes']);
    expect(undoStatus.code, undoStatus.stderr).toBe(0);
    expect(wire(p.platform, g.id).status).toBe('ACTIVE');
    const undoBudget = await cli(['undo', budgetChange!.id, '--yes']);
    expect(undoBudget.code, undoBudget.stderr).toBe(0);
    expect(wire(p.platform, g.id)).toMatchObject({ name: 'E2E group', budget: p.budgetWire, status: 'ACTIVE' });

    // Delete asks first: off a TTY without --yes it refuses (77) and sends nothing.
    sandbox.requests.length = 0;
    expect((await cli(['adgroup', 'delete', g.ref])).code).toBe(77);
    expect(writes()).toHaveLength(0);
    const deleted = await cli(['adgroup', 'delete', g.ref, '--yes', '--json']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(parseJson<{ ref: string; deleted: boolean; alreadyDeleted: boolean }>(deleted.stdout)).toEqual({ ref: g.ref, deleted: true, alreadyDeleted: false });
    expect(wire(p.platform, g.id).status).toBe('DELETED');

    const log = parseJson<Entry[]>((await cli(['log', '--ref', g.ref, '--json'])).stdout);
    expect(log.slice(4).map((e) => [e.operation, e.reverts ?? null])).toEqual([
      ['adgroup.update', statusChange!.id], ['adgroup.update', budgetChange!.id], ['adgroup.delete', null],
    ]);
  });
});

describe('adgroup refusals and bulk', () => {
  it.each([
    // Meta: Winter Ramen has a campaign budget, so its ad sets cannot have their own.
    { platform: 'meta', args: ['--campaign', 'meta:120210000000101', '--daily-budget', '1000 JPY', '--countries', 'JP'], code: 'CAMPAIGN_BUDGET_CONFLICT' },
    // X: a MAX bid on a REACH (awareness) line item.
    { platform: 'x', args: ['--campaign', 'x:8wku3', '--objective', 'awareness', '--daily-budget', '10 USD', '--bid', '1 USD'], code: 'BID_STRATEGY_NOT_ALLOWED' },
  ])('$platform: $code is one line with exit 64 and no write request', async ({ args, code }) => {
    const r = await cli(['adgroup', 'create', '--name', 'Refused', ...args]);
    expect(r.code, r.stderr).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const json = await cli(['adgroup', 'create', '--name', 'Refused', ...args, '--json']);
    expect(parseJson<{ error: { code: string; exitCode: number } }>(json.stderr.trim().split('\n').at(-1)!).error).toMatchObject({ code, exitCode: 64 });
    expect(writes()).toHaveLength(0);
  });

  it('--dry-run prints the exact write (X micros, Meta minor units, start read in --tz or ADCTL_TZ before the account zone), sends no write and logs nothing', async () => {
    // Local times: --tz wins over the account's zone (Europe/Berlin is UTC+1 in January) ...
    const x = await cli(['adgroup', 'update', 'x:l1a01', '--daily-budget', '30 USD', '--start', '2027-01-10T09:00', '--tz', 'Europe/Berlin', '--dry-run', '--json']);
    expect(x.code, x.stderr).toBe(0);
    const report = parseJson<{ dryRun: boolean; ref: string; requests: Array<{ method: string; url: string; body: string }> }>(x.stdout);
    expect(report).toMatchObject({ dryRun: true, ref: 'x:l1a01', requests: [{ method: 'PUT' }] });
    expect(report.requests[0]!.url).toMatch(/\/line_items\/l1a01$/);
    expect(report.requests[0]!.body).toContain('daily_budget_amount_local_micro=30000000');
    expect(report.requests[0]!.body).toContain('start_time=2027-01-10T08:00:00Z');
    expect(x.stderr).toMatch(/Europe\/Berlin \(UTC\+01:00\), zone from --tz/);
    // ... and ADCTL_TZ wins over the account's zone too (UTC here, not Asia/Tokyo).
    const meta = await runInProcess(['adgroup', 'create', '--campaign', 'meta:120210000000103', '--name', 'Dry', '--daily-budget', '2500 JPY', '--countries', 'JP',
      '--start', '2027-01-10T09:00', '--dry-run', '--json'], { env: sandboxEnv(sandbox, { ADCTL_TZ: 'UTC' }), configDir });
    expect(meta.code, meta.stderr).toBe(0);
    const sent = JSON.stringify(parseJson<{ requests: unknown[] }>(meta.stdout).requests);
    expect(sent).toMatch(/daily_budget[^,]*2500/);
    expect(sent).toMatch(/start_time[^,]*2027-01-10T09:00:00/);
    expect(meta.stderr).toMatch(/zone from ADCTL_TZ/);
    expect(writes()).toHaveLength(0);
    expect((await cli(['log', '--json'])).stdout.trim()).toBe('[]');
  });

  it('budget guardrails: an increase above the profile step exits 77 with nothing sent (one ref and bulk); --confirm passes', async () => {
    const env = sandboxEnv(sandbox, { ADCTL_KEYRING: 'off' });
    const secrets = JSON.stringify({
      x: { apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret },
      meta: { accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
    });
    const added = await runInProcess(['profile', 'add', 'acme', '--secrets-stdin', '--x-ads-account', SANDBOX_X.adsAccountId, '--meta-ad-account', SANDBOX_META.adAccountId,
      '--max-increase-pct', '50'], { env, configDir, input: secrets });
    expect(added.code, added.stderr).toBe(0);
    const acme = (args: string[]) => runInProcess(['--profile', 'acme', ...args, '--no-input'], { env, configDir });
    sandbox.requests.length = 0;
    // Bulk: 2000 → 2800 JPY is +40% (allowed); 1500 → 2800 JPY is above +50%.
    const bulk = await acme(['adgroup', 'update', 'meta:120220000000004', 'meta:120220000000005', '--daily-budget', '2800 JPY']);
    expect(bulk.code).toBe(77);
    expect(bulk.stderr).toMatch(/meta:120220000000005: 1500 JPY → 2800 JPY is an increase above the profile's 50% step/);
    expect(bulk.stderr).not.toMatch(/meta:120220000000004:/);
    const single = await acme(['adgroup', 'update', 'meta:120220000000004', '--daily-budget', '4000 JPY']);
    expect(single.code).toBe(77);
    expect(single.stderr).toMatch(/--confirm=meta:120220000000004/);
    expect(writes()).toHaveLength(0);
    const ok = await acme(['adgroup', 'update', 'meta:120220000000004', '--daily-budget', '4000 JPY', '--confirm', 'meta:120220000000004']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(wire('meta', '120220000000004').budget).toBe('4000');
  });
});
