/**
 * Meta usage headers (REFERENCE §C.12) → core's usage reading, and Meta's throttling errors →
 * rate-limit failures with the platform's own wait. Parsing is tested on the header texts; the
 * readings and errors also through the real SDK over HTTP against the sandbox's usage limits.
 */
import { describe, expect, it } from 'vitest';
import { createAdapterContext } from '../../../src/core/context.js';
import type { WireResponse } from '../../../src/core/adapter.js';
import type { AdctlError } from '../../../src/core/errors.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { classifyMetaError } from '../../../src/plugins/meta/errors.js';
import { parseMetaUsage, usageReading } from '../../../src/plugins/meta/usage.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s), () => sandbox.setMetaUsage(null));

const NOW = 1_800_000_000_000;
const h = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, JSON.stringify(v)]));

describe('Meta usage headers', () => {
  it('reads the three headers as REFERENCE §C.12 shows them, and reports the worst', () => {
    const headers = h({
      'x-app-usage': { call_count: 28, total_cputime: 25, total_time: 31 },
      'x-ad-account-usage': { acc_id_util_pct: 9.67, reset_time_duration: 100, ads_api_access_tier: 'standard_access' },
      'x-business-use-case-usage': { 1001: [{ type: 'ads_management', call_count: 95, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: 0, ads_api_access_tier: 'standard_access' }] },
    });
    const u = parseMetaUsage(headers, 'act_1001');
    expect(u.app).toEqual({ call_count: 28, total_cputime: 25, total_time: 31 });
    expect(u.adAccount?.acc_id_util_pct).toBe(9.67);
    expect(u.buc).toHaveLength(1);
    // The business use case is the worst; its window has no reset time, and nothing is withheld.
    expect(usageReading(headers, 'act_1001', NOW)).toEqual({ kind: 'usage', usedPct: 95, regainAtMs: 0, resetAtMs: 0 });
  });

  it('takes the reset time from the ad account when the account is the worst', () => {
    const headers = h({
      'x-app-usage': { call_count: 10, total_cputime: 5, total_time: 5 },
      'x-ad-account-usage': { acc_id_util_pct: 82.5, reset_time_duration: 40 },
    });
    expect(usageReading(headers, '1001', NOW)).toEqual({ kind: 'usage', usedPct: 82.5, regainAtMs: 0, resetAtMs: NOW + 40_000 });
  });

  it('turns the regain estimate (minutes) into a time, and keeps to the account\'s own entries', () => {
    const headers = h({
      'x-business-use-case-usage': {
        1001: [{ type: 'ads_management', call_count: 100, total_cputime: 40, total_time: 40, estimated_time_to_regain_access: 3 }],
        9999: [{ type: 'ads_management', call_count: 5, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 60 }],
      },
    });
    expect(usageReading(headers, '1001', NOW)).toEqual({ kind: 'usage', usedPct: 100, regainAtMs: NOW + 180_000, resetAtMs: 0 });
    // With no account to pick, every business object counts.
    expect(usageReading(headers, undefined, NOW)?.regainAtMs).toBe(NOW + 3_600_000);
  });

  it('ignores a header that is not JSON or has the wrong shape, and says nothing without headers', () => {
    expect(usageReading({ 'x-app-usage': '{"call_count":', 'x-ad-account-usage': '{"acc_id_util_pct":"lots"}' }, '1001', NOW)).toBeUndefined();
    expect(usageReading({ 'x-business-use-case-usage': '{"1001":{"type":"ads_management"}}' }, '1001', NOW)).toBeUndefined();
    expect(usageReading({}, '1001', NOW)).toBeUndefined();
    expect(usageReading(undefined, '1001', NOW)).toBeUndefined();
    // One bad header does not hide a good one.
    expect(usageReading({ 'x-app-usage': '<html>', ...h({ 'x-ad-account-usage': { acc_id_util_pct: 50, reset_time_duration: 1 } }) }, '1001', NOW)?.usedPct).toBe(50);
  });

  it('classifies 4, 17, 613 and 80004 as rate limits, waiting for regain or the account reset', () => {
    const fail = (code: number, headers: Record<string, string>) =>
      classifyMetaError({ name: 'FacebookRequestError', status: 400, response: { code, message: `(#${code}) limit`, is_transient: true }, headers }, (s) => s);
    const buc = h({ 'x-business-use-case-usage': { 1001: [{ type: 'ads_management', call_count: 100, estimated_time_to_regain_access: 2 }] } });
    const acc = h({ 'x-ad-account-usage': { acc_id_util_pct: 100, reset_time_duration: 30 } });
    expect(fail(80004, buc)).toMatchObject({ kind: 'rate_limited', notApplied: true, retryAfterMs: 120_000 });
    expect(fail(17, acc)).toMatchObject({ kind: 'rate_limited', notApplied: true, retryAfterMs: 30_000 });
    expect(fail(613, acc)).toMatchObject({ kind: 'rate_limited', notApplied: true, retryAfterMs: 30_000 });
    expect(fail(4, {})).toMatchObject({ kind: 'rate_limited', notApplied: true, retryAfterMs: undefined });
  });
});

describe('Meta usage over HTTP (sandbox limits)', () => {
  const adapter = (seen: WireResponse[]) => metaManifest.load(createAdapterContext({
    platform: 'meta',
    credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
    accountId: SANDBOX_META.adAccountId,
    endpoints: { metaGraph: sandbox.url },
    timeoutMs: 2000,
    observer: { request() {}, response: (r) => seen.push(r) },
    // One attempt and no long sleeps: the platform's error is what this test looks at.
    policy: { maxAttempts: 1, maxWaitMs: 10 },
  }));

  it('reports usage that grows with each call, with the account\'s reset time', async () => {
    sandbox.setMetaUsage({ adAccount: { max: 8, windowSec: 60 }, app: { max: 100, windowSec: 60 } });
    const seen: WireResponse[] = [];
    const a = await adapter(seen);
    await a.listCampaigns({});
    await a.listCampaigns({});
    const readings = seen.map((r) => r.rateLimit?.state);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const used = readings.map((s) => (s?.kind === 'usage' ? s.usedPct : NaN));
    expect(used).toEqual(used.map((_, i) => Math.round(((i + 1) / 8) * 10_000) / 100));
    for (const s of readings) {
      expect(s?.kind === 'usage' && s.resetAtMs ? s.resetAtMs - Date.now() : 0).toBeGreaterThan(50_000);
    }
    expect(seen[0]!.rateLimit?.bucket).toBe(`meta:${SANDBOX_META.adAccountId.slice(4)}:ads_management`);
  });

  it.each([
    [{ app: { max: 1, windowSec: 60 } }, 4, undefined],
    [{ adAccount: { max: 1, windowSec: 60 } }, 17, 2446079],
    [{ adAccount: { max: 1, windowSec: 60, code: 613 as const } }, 613, 1487742],
    [{ buc: { max: 1, windowSec: 60 } }, 80004, 2446079],
  ])('a spent allowance %j answers Graph error %i (subcode %s), classified as a rate limit (exit 75)', async (limits, code, subcode) => {
    sandbox.setMetaUsage(limits);
    const seen: WireResponse[] = [];
    const err = await (await adapter(seen)).listCampaigns({}).catch((e: unknown) => e as AdctlError);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', exitCode: 75 });
    expect(String((err as AdctlError).message)).toContain(`(#${code})`);
    const refused = sandbox.requests.filter((r) => r.fault === 'limit');
    expect(refused).toHaveLength(1);
    expect(sandbox.overLimit()).toBeGreaterThanOrEqual(1);
    const body = await fetch(`${sandbox.url}/v25.0/${SANDBOX_META.adAccountId}/campaigns?access_token=${SANDBOX_META.accessToken}`);
    const json = await body.json() as { error: { code: number; error_subcode?: number; is_transient: boolean } };
    expect(body.status).toBe(400);
    expect(json.error).toMatchObject({ code, is_transient: true });
    expect(json.error.error_subcode).toBe(subcode);
    if (code === 80004) {
      const buc = JSON.parse(body.headers.get('x-business-use-case-usage')!) as Record<string, Array<{ estimated_time_to_regain_access: number }>>;
      // A 60-second window ending on a whole second: one or two minutes, rounded up as Meta does.
      expect([1, 2]).toContain(buc[SANDBOX_META.adAccountId.slice(4)]![0]!.estimated_time_to_regain_access);
    }
  });
});
