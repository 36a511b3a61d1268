/**
 * Ad group conformance (issue 4): one platform-neutral suite for Meta ad sets and X line items,
 * run with each plugin's real SDK over real HTTP against the sandbox on 127.0.0.1.
 *
 * Each plugin calls `describeAdGroupConformance` from `test/plugins/<id>/adgroup-conformance.test.ts`.
 * Tests run only for what the target's manifest declares: `adgroups.read` (list, get, not found)
 * and `adgroups.write` (create, update, pause/resume, delete, unknown outcome, dry run, refusals).
 *
 * Stable API (other plugins hook in): `AdGroupConformanceTarget` and `describeAdGroupConformance`.
 * New fields are added as optional only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Capability, PlatformAdapter, WireRequest } from '../../src/core/adapter.js';
import { DryRunIntercepted } from '../../src/core/adapter.js';
import { AdctlError } from '../../src/core/errors.js';
import { formatAmount, parseMoney } from '../../src/core/money.js';
import {
  AdGroup, type AdGroupCreateInput, type BidStrategy, type BudgetPeriod, type Targeting,
} from '../../src/core/model.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/server.js';

export interface AdGroupFactoryOptions {
  dryRun?: boolean;
  observed?: WireRequest[];
}

export interface AdGroupConformanceTarget {
  platform: 'x' | 'meta';
  /** Build an adapter aimed at `sandbox.url`, with a policy that does not really sleep. */
  makeAdapter(sandbox: SandboxServer, options?: AdGroupFactoryOptions): Promise<PlatformAdapter>;
  /** What the plugin's manifest declares; the suite runs only the tests those capabilities claim. */
  capabilities: readonly Capability[];
  /** The seeded account's currency. */
  currency: string;
  /**
   * A seeded campaign that has at least one seeded ad group and whose ad groups carry their own
   * budgets (on Meta: a campaign without a campaign budget).
   */
  campaignId: string;
  /** The optimisation the plugin picks from that campaign's objective when none is given (e.g. LINK_CLICKS). */
  defaultOptimization: string;
  /** A budget ad groups of that campaign accept, and a different one for updates; amounts as users write them ("2000 JPY"). */
  budget: { period: BudgetPeriod; amount: string };
  newBudget: { period: BudgetPeriod; amount: string };
  /** Bids with an amount that the platform accepts for this campaign (`newBid` for updates). */
  bid: { strategy: BidStrategy; amount: string };
  newBid: { strategy: BidStrategy; amount: string | null };
  /** Targeting the platform round-trips exactly, and a different one for updates. */
  targeting: Targeting;
  newTargeting: Targeting;
  /** Path fragment of the ad group collection, used to aim faults (e.g. `/adsets`, `/line_items`). */
  adGroupsPath: string;
  /** An id in the platform's format that does not exist. */
  missingId: string;
  /** Extra fixtures, applied after each reset and before the adapter is built. */
  prepare?(sandbox: SandboxServer): void;
}

/** Whole seconds, UTC with Z: what every plugin reads back. */
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A schedule a week ahead (whole hours), relative to the real clock so it never goes stale. */
function schedule(offsetDays: number, lengthDays: number): { start: string; end: string } {
  const hour = 3_600_000;
  const start = Math.ceil((Date.now() + offsetDays * 86_400_000) / hour) * hour;
  return { start: iso(start), end: iso(start + lengthDays * 86_400_000) };
}

const sorted = (t: Targeting): Targeting => ({
  countries: [...t.countries].sort(),
  ageMin: t.ageMin,
  ageMax: t.ageMax,
  publisherPlatforms: [...t.publisherPlatforms].sort(),
  placements: [...t.placements].sort(),
});

const budgetJson = (b: { period: BudgetPeriod; amount: string }) => {
  const m = parseMoney(b.amount);
  return { period: b.period, amount: formatAmount(m), currency: m.currency };
};
const bidJson = (b: { strategy: BidStrategy; amount: string | null }) => {
  const m = b.amount === null ? null : parseMoney(b.amount);
  return { strategy: b.strategy, amount: m ? { amount: formatAmount(m), currency: m.currency } : null };
};

export function describeAdGroupConformance(t: AdGroupConformanceTarget): void {
  const canRead = t.capabilities.includes('adgroups.read');
  const canWrite = t.capabilities.includes('adgroups.write');

  describe(`${t.platform} ad group conformance`, () => {
    let sandbox: SandboxServer;
    let adapter: PlatformAdapter;

    beforeAll(async () => {
      sandbox = await startSandbox();
    });
    afterAll(async () => {
      await sandbox.close();
    });
    beforeEach(async () => {
      sandbox.reset();
      sandbox.clearFaults();
      t.prepare?.(sandbox);
      sandbox.requests.length = 0;
      adapter = await t.makeAdapter(sandbox);
    });

    const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');
    const when = schedule(7, 30);
    const input = (over: Partial<AdGroupCreateInput> = {}): AdGroupCreateInput => ({
      campaignId: t.campaignId,
      name: 'Conformance ad group',
      status: 'paused',
      budget: { period: t.budget.period, money: parseMoney(t.budget.amount) },
      bid: { strategy: t.bid.strategy, money: parseMoney(t.bid.amount) },
      start: when.start,
      end: when.end,
      targeting: t.targeting,
      ...over,
    });

    it('declares ad group capabilities that match the manifest, and implements what they claim', () => {
      expect(canRead || canWrite).toBe(true);
      for (const c of ['adgroups.read', 'adgroups.write'] as const) expect(adapter.capabilities.has(c)).toBe(t.capabilities.includes(c));
      if (canRead) {
        expect(typeof adapter.listAdGroups).toBe('function');
        expect(typeof adapter.getAdGroup).toBe('function');
      }
      if (canWrite) {
        expect(typeof adapter.createAdGroup).toBe('function');
        expect(typeof adapter.updateAdGroup).toBe('function');
        expect(typeof adapter.deleteAdGroup).toBe('function');
      }
    });

    describe.runIf(canRead)('read', () => {
      it('lists a campaign\'s ad groups as domain objects', async () => {
        const list = await adapter.listAdGroups!({ campaignId: t.campaignId });
        expect(list.length).toBeGreaterThanOrEqual(1);
        for (const g of list) {
          expect(AdGroup.safeParse(g).success).toBe(true);
          expect(g.ref).toBe(`${t.platform}:${g.id}`);
          expect(g.platform).toBe(t.platform);
          expect(g.campaign).toBe(`${t.platform}:${t.campaignId}`);
          expect(g.status).not.toBe('deleted');
          if (g.budget) expect(g.budget.currency).toBe(t.currency);
        }
      });

      it('gets an ad group exactly as the list shows it', async () => {
        const [first] = await adapter.listAdGroups!({ campaignId: t.campaignId });
        expect(await adapter.getAdGroup!(first!.id)).toEqual(first);
      });

      it('filters the list by status', async () => {
        const all = await adapter.listAdGroups!({ campaignId: t.campaignId });
        const paused = await adapter.listAdGroups!({ campaignId: t.campaignId, statuses: ['paused'] });
        expect(paused.map((g) => g.id).sort()).toEqual(all.filter((g) => g.status === 'paused').map((g) => g.id).sort());
      });

      it('maps a missing ad group to NOT_FOUND (exit 1)', async () => {
        const err = await adapter.getAdGroup!(t.missingId).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AdctlError);
        expect((err as AdctlError).code).toBe('NOT_FOUND');
        expect((err as AdctlError).exitCode).toBe(1);
      });
    });

    describe.runIf(canRead && canWrite)('write', () => {
      it('creates a paused ad group with budget, bid, schedule and targeting; the optimisation defaults from the objective', async () => {
        const created = await adapter.createAdGroup!(input());
        expect(created).toMatchObject({
          ref: `${t.platform}:${created.id}`,
          platform: t.platform,
          campaign: `${t.platform}:${t.campaignId}`,
          name: 'Conformance ad group',
          status: 'paused',
          budget: budgetJson(t.budget),
          bid: bidJson(t.bid),
          optimization: t.defaultOptimization,
          schedule: when,
        });
        expect(sorted(created.targeting)).toEqual(sorted(t.targeting));
        expect(await adapter.getAdGroup!(created.id)).toEqual(created);
        const listed = await adapter.listAdGroups!({ campaignId: t.campaignId });
        expect(listed.find((g) => g.id === created.id)).toEqual(created);
      });

      it('updates name, budget, bid, schedule and targeting, each read back', async () => {
        const { id } = await adapter.createAdGroup!(input());
        expect((await adapter.updateAdGroup!(id, { name: 'Renamed' })).name).toBe('Renamed');
        const budget = await adapter.updateAdGroup!(id, { budget: { period: t.newBudget.period, money: parseMoney(t.newBudget.amount) } });
        expect(budget.budget).toEqual(budgetJson(t.newBudget));
        const bid = await adapter.updateAdGroup!(id, { bid: { strategy: t.newBid.strategy, money: t.newBid.amount === null ? null : parseMoney(t.newBid.amount) } });
        expect(bid.bid).toEqual(bidJson(t.newBid));
        const later = schedule(10, 20);
        expect((await adapter.updateAdGroup!(id, { start: later.start, end: later.end })).schedule).toEqual(later);
        const targeted = await adapter.updateAdGroup!(id, { targeting: t.newTargeting });
        expect(sorted(targeted.targeting)).toEqual(sorted(t.newTargeting));
        // Nothing else moved, and a fresh read agrees with the last answer.
        expect(targeted).toMatchObject({ name: 'Renamed', budget: budgetJson(t.newBudget), bid: bidJson(t.newBid), schedule: later, status: 'paused' });
        expect(await adapter.getAdGroup!(id)).toEqual(targeted);
      });

      it('pauses and resumes', async () => {
        const { id } = await adapter.createAdGroup!(input());
        expect((await adapter.updateAdGroup!(id, { status: 'active' })).status).toBe('active');
        expect((await adapter.getAdGroup!(id)).status).toBe('active');
        expect((await adapter.updateAdGroup!(id, { status: 'paused' })).status).toBe('paused');
        expect((await adapter.getAdGroup!(id)).status).toBe('paused');
      });

      it('creates an active ad group only when asked', async () => {
        expect((await adapter.createAdGroup!(input({ status: 'active' }))).status).toBe('active');
      });

      it('deletes idempotently; a deleted ad group leaves the list', async () => {
        const { id } = await adapter.createAdGroup!(input());
        await adapter.deleteAdGroup!(id);
        expect((await adapter.listAdGroups!({ campaignId: t.campaignId })).find((g) => g.id === id)).toBeUndefined();
        await adapter.deleteAdGroup!(id);
        const missing = await adapter.deleteAdGroup!(t.missingId).then(() => 'ok', (e: unknown) => e);
        expect(missing).toBe('ok');
      });

      it('maps updating a missing ad group to NOT_FOUND (exit 1)', async () => {
        const err = await adapter.updateAdGroup!(t.missingId, { name: 'Nobody' }).catch((e: unknown) => e);
        expect((err as AdctlError).code).toBe('NOT_FOUND');
        expect((err as AdctlError).exitCode).toBe(1);
      });

      it('never retries a create whose outcome is unknown (exit 8)', async () => {
        sandbox.addFault({ platform: t.platform, method: 'POST', path: t.adGroupsPath, action: { type: 'drop_after_apply' } });
        const err = await adapter.createAdGroup!(input({ name: 'Maybe' })).catch((e: unknown) => e);
        expect((err as AdctlError).code).toBe('UNKNOWN_OUTCOME');
        expect((err as AdctlError).exitCode).toBe(8);
        expect(writes().filter((r) => r.method === 'POST' && r.path.includes(t.adGroupsPath))).toHaveLength(1);
      });

      it('in dry-run mode reports the create and sends no write', async () => {
        const observed: WireRequest[] = [];
        const dry = await t.makeAdapter(sandbox, { dryRun: true, observed });
        sandbox.requests.length = 0;
        const err = await dry.createAdGroup!(input({ name: 'Dry ad group' })).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DryRunIntercepted);
        expect(writes()).toHaveLength(0);
        expect(JSON.stringify((err as DryRunIntercepted).request)).toContain('Dry ad group');
        expect(observed.some((r) => r.method !== 'GET')).toBe(true);
      });

      it('refuses money in another currency before sending (exit 64)', async () => {
        const other = t.currency === 'EUR' ? 'USD' : 'EUR';
        const err = await adapter.createAdGroup!(input({ budget: { period: t.budget.period, money: { currency: other, minor: 10_000 } } })).catch((e: unknown) => e);
        expect((err as AdctlError).exitCode).toBe(64);
        expect(writes()).toHaveLength(0);
      });

      it('refuses a bid amount with automatic bidding, and a capped strategy without one, before sending (exit 64)', async () => {
        const auto = await adapter.createAdGroup!(input({ bid: { strategy: 'auto', money: parseMoney(t.bid.amount) } })).catch((e: unknown) => e);
        expect((auto as AdctlError).exitCode).toBe(64);
        expect((auto as AdctlError).hint).toBeTruthy();
        const bare = await adapter.createAdGroup!(input({ bid: { strategy: t.bid.strategy, money: null } })).catch((e: unknown) => e);
        expect((bare as AdctlError).exitCode).toBe(64);
        expect(writes()).toHaveLength(0);
      });
    });
  });
}
