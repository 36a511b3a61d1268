/**
 * The planner is pure: golden files hold its whole output for fixed inputs (`*.golden.json` next
 * to this file; review a change with `git diff`, update with `vitest -u`). Assertions beside the
 * goldens state what each case is about, so a golden updated by mistake still fails.
 */
import { describe, expect, it } from 'vitest';
import type { AdGroup, Campaign } from '../../../src/core/model.js';
import { parseSpec } from '../../../src/core/spec.js';
import type { AdctlError } from '../../../src/core/errors.js';
import { adGroupFields, campaignFields, fingerprint, plan } from '../../../src/services/plan/planner.js';
import type { LiveState, SpecState } from '../../../src/services/plan/types.js';

const CTX = { spec: '/specs/campaigns.yaml', stateFile: '/specs/campaigns.yaml.state.json', profile: 'acme', createdAt: '2026-11-28T12:00:00.000Z' };

const SPEC = parseSpec(`
version: 1
campaigns:
  - key: winter
    platform: meta
    name: Winter Sale
    objective: traffic
    status: active
    budget: { daily: "5000 JPY" }
    adgroups:
      - key: tokyo
        name: Tokyo 25-44
        budget: { daily: "2000" }
        targeting: { countries: [JP], age: [25, 44] }
  - key: espresso
    platform: x
    name: Holiday Espresso
    objective: traffic
    status: paused
    budget: { daily: "50 USD" }
`);

function campaign(platform: 'x' | 'meta', id: string, over: Partial<Campaign> = {}): Campaign {
  return {
    ref: `${platform}:${id}`, platform, id, account: platform === 'x' ? '18ce54d4x5t' : 'act_1001', name: 'n', objective: 'traffic', status: 'paused',
    budget: null, start: null, end: null, createdAt: '2026-11-01T00:00:00Z', ...over,
  };
}

function adGroup(id: string, campaignRef: string, over: Partial<AdGroup> = {}): AdGroup {
  return {
    ref: `meta:${id}`, platform: 'meta', id, campaign: campaignRef, name: 'g', status: 'paused', budget: null, bid: null, optimization: 'LINK_CLICKS',
    schedule: { start: null, end: null }, targeting: { countries: [], ageMin: null, ageMax: null, publisherPlatforms: [], placements: [] }, ...over,
  };
}

/** Live state exactly as the spec says, and a state file linking it. */
function inSync(): { live: LiveState; state: SpecState } {
  const winter = campaign('meta', '101', { name: 'Winter Sale', status: 'active', budget: { period: 'daily', amount: '5000', currency: 'JPY' } });
  const tokyo = adGroup('201', 'meta:101', { name: 'Tokyo 25-44', status: 'active', budget: { period: 'daily', amount: '2000', currency: 'JPY' }, targeting: { countries: ['JP'], ageMin: 25, ageMax: 44, publisherPlatforms: [], placements: [] } });
  const espresso = campaign('x', '8wku2', { name: 'Holiday Espresso', budget: { period: 'daily', amount: '50.00', currency: 'USD' } });
  const live: LiveState = {
    meta: { currency: 'JPY', campaigns: [winter], adGroups: [tokyo], adGroupsSupported: true },
    x: { currency: 'USD', campaigns: [espresso], adGroups: [], adGroupsSupported: true },
  };
  const state: SpecState = {
    version: 1,
    objects: {
      winter: { kind: 'campaign', platform: 'meta', ref: 'meta:101', applied: campaignFields(winter) },
      'winter/tokyo': { kind: 'adgroup', platform: 'meta', ref: 'meta:201', applied: adGroupFields(tokyo) },
      espresso: { kind: 'campaign', platform: 'x', ref: 'x:8wku2', applied: campaignFields(espresso) },
    },
  };
  return { live, state };
}

const golden = (p: unknown) => `${JSON.stringify(p, null, 2)}\n`;

describe('planner (golden)', () => {
  it('empty state: creates every campaign, then its ad groups (dependency order)', async () => {
    const live: LiveState = {
      meta: { currency: 'JPY', campaigns: [], adGroups: [], adGroupsSupported: true },
      x: { currency: 'USD', campaigns: [], adGroups: [], adGroupsSupported: true },
    };
    const p = plan(SPEC, { version: 1, objects: {} }, live, CTX);
    expect(p.actions.map((a) => `${a.op} ${a.key}`)).toEqual(['create winter', 'create espresso', 'create winter/tokyo']);
    await expect(golden(p)).toMatchFileSnapshot('./create.golden.json');
  });

  it('in sync: no actions and no drift', async () => {
    const { live, state } = inSync();
    const p = plan(SPEC, state, live, CTX);
    expect(p.actions).toEqual([]);
    expect(p.drift).toEqual([]);
    await expect(golden(p)).toMatchFileSnapshot('./in-sync.golden.json');
  });

  it('one budget changed in the spec: exactly one update, field by field', async () => {
    const { live, state } = inSync();
    const spec = structuredClone(SPEC);
    spec.campaigns[1]!.budget = { daily: '70 USD' };
    const p = plan(spec, state, live, CTX);
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0]).toMatchObject({ op: 'update', key: 'espresso', ref: 'x:8wku2', changes: [{ field: 'budget', from: 'daily 50.00 USD', to: 'daily 70.00 USD' }] });
    await expect(golden(p)).toMatchFileSnapshot('./one-budget.golden.json');
  });

  it('rename, pause, drift, a removed key and a key gone outside adctl', async () => {
    const { live, state } = inSync();
    const spec = structuredClone(SPEC);
    spec.campaigns[0]!.name = 'Winter Sale 2026'; // rename: an update, never delete + create
    spec.campaigns[0]!.adgroups![0]!.status = 'paused';
    spec.campaigns[0]!.adgroups![0]!.name = 'Tokyo 25-44';
    // Changed outside adctl: the X budget (drift; the spec wins) and the Meta objective (create-only: a note).
    live.x!.campaigns[0]!.budget = { period: 'daily', amount: '65.00', currency: 'USD' };
    live.meta!.campaigns[0]!.objective = 'sales';
    // A key removed from the spec whose campaign still exists, and one whose campaign is already gone.
    live.meta!.campaigns.push(campaign('meta', '102', { name: 'Old', status: 'active' }));
    state.objects.old = { kind: 'campaign', platform: 'meta', ref: 'meta:102', applied: campaignFields(live.meta!.campaigns[1]!) };
    state.objects.gone = { kind: 'campaign', platform: 'x', ref: 'x:dead1', applied: { name: 'Gone', status: 'paused', budget: null, objective: null } };
    const p = plan(spec, state, live, CTX);
    expect(p.actions.map((a) => `${a.op} ${a.key}`)).toEqual(['update winter', 'update espresso', 'pause winter/tokyo', 'forget gone', 'delete old']);
    expect(p.drift).toEqual([{ key: 'espresso', kind: 'campaign', ref: 'x:8wku2', field: 'budget', applied: 'daily 50.00 USD', live: 'daily 65.00 USD' }]);
    expect(p.notes).toHaveLength(1);
    await expect(golden(p)).toMatchFileSnapshot('./changes-and-drift.golden.json');
  });

  it('interrupted creates: adopted by name when they reached the platform, created when not', async () => {
    const { live, state } = inSync();
    // The Meta campaign was created but its answer never recorded; the X one never reached X.
    state.objects.winter = { kind: 'campaign', platform: 'meta', ref: null, pending: { op: 'create', name: 'Winter Sale', at: '2026-11-28T11:00:00Z' } };
    state.objects.espresso = { kind: 'campaign', platform: 'x', ref: null, pending: { op: 'create', name: 'Holiday Espresso', at: '2026-11-28T11:00:00Z' } };
    delete state.objects['winter/tokyo'];
    // A campaign with the same name that another key owns is never adopted.
    live.x!.campaigns = [campaign('x', 'other1', { name: 'Holiday Espresso' })];
    state.objects.other = { kind: 'campaign', platform: 'x', ref: 'x:other1' };
    const spec = structuredClone(SPEC);
    spec.campaigns.push({ key: 'other', platform: 'x', name: 'Holiday Espresso' });
    const p = plan(spec, state, live, CTX);
    expect(p.actions.map((a) => `${a.op} ${a.key}`)).toEqual(['adopt winter', 'create espresso', 'create winter/tokyo']);
    await expect(golden(p)).toMatchFileSnapshot('./interrupted.golden.json');
  });

  it('a bare amount uses the account currency; another currency is a usage error with the path', () => {
    const { live, state } = inSync();
    const spec = structuredClone(SPEC);
    spec.campaigns[0]!.budget = { daily: '50 USD' };
    try {
      plan(spec, state, live, CTX);
      throw new Error('expected a usage error');
    } catch (e) {
      expect((e as AdctlError).exitCode).toBe(64);
      expect((e as AdctlError).details!.problems).toEqual([expect.stringMatching(/^campaigns\[0\]\.budget\.daily: USD does not match the account's currency JPY/)]);
    }
  });

  it('is deterministic, and the fingerprint moves with any live change', () => {
    const { live, state } = inSync();
    expect(plan(SPEC, state, live, CTX)).toEqual(plan(SPEC, state, structuredClone(live), CTX));
    const before = fingerprint(live);
    live.x!.campaigns[0]!.status = 'active';
    expect(fingerprint(live)).not.toBe(before);
  });
});
