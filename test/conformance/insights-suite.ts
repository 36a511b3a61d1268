/**
 * `getInsights` conformance (issue 4): every insights-capable adapter, run with its real SDK over
 * real HTTP against the sandbox with its clock fixed, must give the sandbox's known delivery
 * exactly (sync for short periods, async report runs / stats jobs for long ones).
 *
 * The expected figures are worked out by hand from the seeded schedule (src/sandbox/spend.ts) and
 * are golden: if the model or the plugin changes them, this suite says so.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter, WireRequest } from '../../src/core/adapter.js';
import { AdctlError } from '../../src/core/errors.js';
import { InsightsRow } from '../../src/core/model.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/server.js';

export interface InsightsExpectation {
  id: string;
  impressions: number;
  clicks: number;
  spendMinor: number;
  results: number | null;
}

export interface InsightsTarget {
  platform: 'x' | 'meta';
  makeAdapter(sandbox: SandboxServer, options?: { dryRun?: boolean; observed?: WireRequest[] }): Promise<PlatformAdapter>;
  currency: string;
  /** The sandbox clock for every test. */
  now: string;
  /** The account's local date at `now`. */
  today: string;
  /** Today's delivery of one seeded campaign at `now`, and of another one. */
  campaign: InsightsExpectation;
  other: InsightsExpectation;
  /** The first campaign's delivery over the 30 days ending today (async). */
  last30: InsightsExpectation & { since: string };
  /** An ad group of `campaign` with today's delivery, when the sandbox has ad groups. */
  adGroup?: InsightsExpectation;
  /** Changes to the sandbox state before each test (e.g. ad groups the seed lacks). */
  prepare?(sandbox: SandboxServer): void;
  /** Path fragments: the async create request and the async status poll. */
  asyncCreatePath: RegExp;
  asyncPollPath: RegExp;
  /** A body for the status poll that says the async job failed. */
  failedPoll: unknown;
}

export function describeInsightsConformance(t: InsightsTarget): void {
  describe(`${t.platform} insights conformance`, () => {
    let sandbox: SandboxServer;
    let adapter: PlatformAdapter;
    beforeAll(async () => {
      sandbox = await startSandbox({ now: () => new Date(t.now) });
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

    const pick = (rows: InsightsRow[], id: string) => rows.find((r) => r.id === id);
    const figures = (r: InsightsRow | undefined) => r && { id: r.id, impressions: r.impressions, clicks: r.clicks, spendMinor: r.spendMinor, results: r.results };

    it('declares insights.read and implements getInsights', () => {
      expect(adapter.capabilities.has('insights.read')).toBe(true);
      expect(typeof adapter.getInsights).toBe('function');
    });

    it("gives today's delivery of every campaign exactly, in the account's currency, from the sync endpoint", async () => {
      const rows = await adapter.getInsights!({ level: 'campaign', since: t.today, until: t.today });
      for (const r of rows) InsightsRow.parse(r);
      expect(figures(pick(rows, t.campaign.id))).toEqual(t.campaign);
      expect(figures(pick(rows, t.other.id))).toEqual(t.other);
      const row = pick(rows, t.campaign.id)!;
      expect(row).toMatchObject({ ref: `${t.platform}:${t.campaign.id}`, platform: t.platform, level: 'campaign', since: t.today, until: t.today, currency: t.currency });
      expect(row.spendMicros).toBe(t.campaign.spendMinor * 10 ** (6 - (t.currency === 'JPY' ? 0 : 2)));
      expect(sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    });

    it('restricts rows to the ids asked for', async () => {
      const rows = await adapter.getInsights!({ level: 'campaign', since: t.today, until: t.today, ids: [t.other.id] });
      expect(rows.map((r) => r.id)).toEqual([t.other.id]);
      expect(figures(rows[0])).toEqual(t.other);
    });

    it('still gives the delivery of a campaign deleted since (its spend happened)', async () => {
      await adapter.deleteCampaign(t.other.id);
      const rows = await adapter.getInsights!({ level: 'campaign', since: t.today, until: t.today });
      expect(figures(pick(rows, t.other.id))).toEqual(t.other);
    });

    it('reads a 30-day period through an async job, exactly (a DST day counts its real hours)', async () => {
      const rows = await adapter.getInsights!({ level: 'campaign', since: t.last30.since, until: t.today, ids: [t.last30.id] });
      const { since: _since, ...want } = t.last30;
      expect(figures(pick(rows, t.last30.id))).toEqual(want);
      expect(sandbox.requests.some((r) => r.method === 'POST' && t.asyncCreatePath.test(r.path))).toBe(true);
      expect(sandbox.requests.filter((r) => r.method === 'GET' && t.asyncPollPath.test(r.path)).length).toBeGreaterThanOrEqual(1);
    });

    it('under --dry-run reads a long period without sending any POST, with the same figures', async () => {
      const dry = await t.makeAdapter(sandbox, { dryRun: true });
      const rows = await dry.getInsights!({ level: 'campaign', since: t.last30.since, until: t.today, ids: [t.last30.id] });
      const { since: _since, ...want } = t.last30;
      expect(figures(pick(rows, t.last30.id))).toEqual(want);
      expect(sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    });

    it('ends with REPORT_FAILED (exit 1) when the async job fails', async () => {
      sandbox.addFault({ platform: t.platform, method: 'GET', path: `/${t.asyncPollPath.source}/`, action: { type: 'status', status: 200, body: t.failedPoll, contentType: 'application/json' } });
      const err = await adapter.getInsights!({ level: 'campaign', since: t.last30.since, until: t.today, ids: [t.last30.id] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdctlError);
      expect((err as AdctlError).code).toBe('REPORT_FAILED');
      expect((err as AdctlError).exitCode).toBe(1);
    });

    it('refuses an unreadable spend as a one-line error, not a crash', async () => {
      sandbox.addFault({ platform: t.platform, method: 'GET', path: t.platform === 'x' ? '/^\\/12\\/stats\\/accounts\\/[^/]+$/' : '/insights', action: { type: 'status', status: 200, body: t.platform === 'x'
        ? { data: [{ id: t.campaign.id, id_data: [{ metrics: { billed_charge_local_micro: [12.5] } }] }] }
        : { data: [{ campaign_id: t.campaign.id, spend: '12,50' }] }, contentType: 'application/json' } });
      const err = await adapter.getInsights!({ level: 'campaign', since: t.today, until: t.today, ids: [t.campaign.id] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdctlError);
      expect((err as AdctlError).message).not.toMatch(/\n/);
    });

    if (t.adGroup) {
      const g = t.adGroup;
      it("gives today's delivery of an ad group exactly", async () => {
        const rows = await adapter.getInsights!({ level: 'adgroup', since: t.today, until: t.today });
        expect(figures(pick(rows, g.id))).toEqual(g);
        expect(pick(rows, g.id)).toMatchObject({ level: 'adgroup', ref: `${t.platform}:${g.id}` });
      });
    }
  });
}
