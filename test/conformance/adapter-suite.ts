/**
 * One behavioural suite every platform adapter must pass, run against the real SDK over real HTTP
 * to the sandbox on 127.0.0.1. Each plugin calls `describeAdapterConformance` from
 * `test/plugins/<id>/conformance.test.ts` with a factory that builds its adapter.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter, WireRequest } from '../../src/core/adapter.js';
import { DryRunIntercepted } from '../../src/core/adapter.js';
import { AdctlError } from '../../src/core/errors.js';
import { parseMoney } from '../../src/core/money.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/server.js';

export interface AdapterFactoryOptions {
  dryRun?: boolean;
  observed?: WireRequest[];
}

export interface ConformanceTarget {
  platform: 'x' | 'meta';
  /** Build an adapter aimed at `sandbox.url`, with a policy that does not really sleep. */
  makeAdapter(sandbox: SandboxServer, options?: AdapterFactoryOptions): Promise<PlatformAdapter>;
  /** The seeded account's currency and a valid budget in it. */
  currency: string;
  budget: string;
  /** Path fragment of this platform's campaign collection, used to aim faults. */
  campaignsPath: string;
}

export function describeAdapterConformance(target: ConformanceTarget): void {
  describe(`${target.platform} adapter conformance`, () => {
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
      sandbox.requests.length = 0;
      adapter = await target.makeAdapter(sandbox);
    });

    const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');

    it('declares its id and campaign capabilities', () => {
      expect(adapter.id).toBe(target.platform);
      expect(adapter.capabilities.has('campaigns.read')).toBe(true);
      expect(adapter.capabilities.has('campaigns.write')).toBe(true);
    });

    it('reads the account with currency and time zone', async () => {
      const account = await adapter.getAccount();
      expect(account.platform).toBe(target.platform);
      expect(account.currency).toBe(target.currency);
      expect(account.timezone).toMatch(/^[A-Za-z_]+\/[A-Za-z_]+/);
      expect(account.ref).toBe(`${target.platform}:${account.id}`);
    });

    it('lists the seeded campaigns as domain objects', async () => {
      const list = await adapter.listCampaigns({});
      expect(list.length).toBeGreaterThanOrEqual(2);
      for (const c of list) {
        expect(c.ref).toBe(`${target.platform}:${c.id}`);
        expect(c.status).not.toBe('deleted');
        if (c.budget) expect(c.budget.amount).toMatch(/^\d+(\.\d+)?$/);
      }
    });

    it('creates, reads, updates, pauses, resumes and deletes a campaign', async () => {
      const budget = { period: 'daily' as const, money: parseMoney(target.budget) };
      const created = await adapter.createCampaign({ name: 'Conformance', objective: 'traffic', status: 'paused', budget });
      expect(created.status).toBe('paused');
      expect(created.name).toBe('Conformance');
      expect(created.budget).toEqual({ period: 'daily', amount: target.budget.split(' ')[0], currency: target.currency });

      const got = await adapter.getCampaign(created.id);
      expect(got).toMatchObject({ id: created.id, name: 'Conformance', status: 'paused' });

      const renamed = await adapter.updateCampaign(created.id, { name: 'Renamed' });
      expect(renamed.name).toBe('Renamed');
      expect((await adapter.updateCampaign(created.id, { status: 'active' })).status).toBe('active');
      expect((await adapter.updateCampaign(created.id, { status: 'paused' })).status).toBe('paused');

      await adapter.deleteCampaign(created.id);
      const after = await adapter.listCampaigns({});
      expect(after.find((c) => c.id === created.id)).toBeUndefined();
      // Idempotent: deleting twice is not an error.
      await adapter.deleteCampaign(created.id);
    });

    it('follows pagination to the end', async () => {
      for (let i = 0; i < 30; i++) {
        await adapter.createCampaign({ name: `Bulk ${i}`, objective: 'traffic', status: 'paused', budget: null });
      }
      const list = await adapter.listCampaigns({});
      const names = new Set(list.map((c) => c.name));
      for (let i = 0; i < 30; i++) expect(names.has(`Bulk ${i}`)).toBe(true);
      expect(new Set(list.map((c) => c.id)).size).toBe(list.length);
    });

    it('maps a missing object to NOT_FOUND (exit 1)', async () => {
      const err = await adapter.getCampaign('999999999').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdctlError);
      expect((err as AdctlError).code).toBe('NOT_FOUND');
      expect((err as AdctlError).exitCode).toBe(1);
    });

    it('waits out a rate limit and succeeds', async () => {
      sandbox.addFault({ platform: target.platform, method: 'GET', path: target.campaignsPath, times: 1, action: { type: 'rate_limit', resetInSec: 0 } });
      const list = await adapter.listCampaigns({});
      expect(list.length).toBeGreaterThan(0);
      expect(sandbox.requests.filter((r) => r.fault === 'rate_limit')).toHaveLength(1);
    });

    it('gives up on a persistent 5xx with TEMPORARY (exit 75)', async () => {
      sandbox.addFault({ platform: target.platform, method: 'GET', path: target.campaignsPath, action: { type: 'status', status: 503, body: '' } });
      const err = await adapter.listCampaigns({}).catch((e: unknown) => e);
      expect((err as AdctlError).exitCode).toBe(75);
    });

    it('never retries a create whose outcome is unknown (exit 8)', async () => {
      sandbox.addFault({ platform: target.platform, method: 'POST', path: target.campaignsPath, action: { type: 'drop_after_apply' } });
      const err = await adapter
        .createCampaign({ name: 'Maybe', objective: 'traffic', status: 'paused', budget: null })
        .catch((e: unknown) => e);
      expect((err as AdctlError).code).toBe('UNKNOWN_OUTCOME');
      expect((err as AdctlError).exitCode).toBe(8);
      expect(writes().filter((r) => r.method === 'POST')).toHaveLength(1);
    });

    it('maps an expired token to AUTH_FAILED (exit 4)', async () => {
      sandbox.addFault({ platform: target.platform, action: { type: 'expired_token' } });
      const err = await adapter.listCampaigns({}).catch((e: unknown) => e);
      expect((err as AdctlError).exitCode).toBe(4);
      expect((err as AdctlError).hint).toBeTruthy();
    });

    it('maps an unreadable response to a one-line error, not a crash', async () => {
      sandbox.addFault({
        platform: target.platform, method: 'GET', path: target.campaignsPath,
        action: { type: 'status', status: 200, body: '<html><body>Oops</body></html>', contentType: 'text/html' },
      });
      const err = await adapter.listCampaigns({}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AdctlError);
      expect((err as AdctlError).message).not.toContain('\n');
    });

    it('in dry-run mode reports the write and sends none', async () => {
      const observed: WireRequest[] = [];
      const dry = await target.makeAdapter(sandbox, { dryRun: true, observed });
      sandbox.requests.length = 0;
      const err = await dry
        .createCampaign({ name: 'Dry', objective: 'traffic', status: 'paused', budget: { period: 'daily', money: parseMoney(target.budget) } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DryRunIntercepted);
      expect(writes()).toHaveLength(0);
      const req = (err as DryRunIntercepted).request;
      expect(req.method).toBe('POST');
      expect(JSON.stringify(req)).toContain('Dry');
      expect(observed.some((r) => r.method === 'POST')).toBe(true);
    });
  });
}
