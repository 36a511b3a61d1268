/**
 * The sandbox's delivery model (pure) and its insights/stats wire: X stats validation as X does
 * it, async jobs with a gzipped download that needs no credentials, Meta report-run progress and
 * Graph errors. X requests are signed by twitter-api-v2 (the real SDK) over HTTP; Meta requests
 * are plain fetches.
 */
import { Agent } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { TwitterApi } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { SANDBOX_META, SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { deliveredHours, delivery, share, DEFAULT_SCHEDULES } from '../../src/sandbox/spend.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s), undefined, { now: '2026-11-10T01:00:00Z' });

const at = (iso: string) => Date.parse(iso);

describe('delivery model', () => {
  it('counts whole local hours that have ended by now', () => {
    // 00:00–24:00 UTC, now 10:30: 10 hours have ended.
    expect(deliveredHours(at('2026-11-10T00:00:00Z'), at('2026-11-11T00:00:00Z'), at('2026-11-10T10:30:00Z'), 0)).toBe(10);
    // Kolkata (+05:30): its hours start at :30 UTC. Its day 10 Nov starts 18:30Z on the 9th; at 01:00Z, 6 hours have ended.
    expect(deliveredHours(at('2026-11-09T18:30:00Z'), at('2026-11-10T18:30:00Z'), at('2026-11-10T01:00:00Z'), 330)).toBe(6);
    expect(deliveredHours(at('2026-11-10T00:00:00Z'), at('2026-11-10T05:00:00Z'), at('2026-11-12T00:00:00Z'), 0)).toBe(5);
  });

  it('splits a campaign between its ad groups in integers that add up exactly', () => {
    expect([0, 1, 2].map((i) => share(275, i, 3))).toEqual([92, 92, 91]);
    const range = { startMs: at('2026-11-09T05:00:00Z'), endMs: at('2026-11-10T05:00:00Z') };
    const parts = [0, 1, 2].map((index) => delivery(DEFAULT_SCHEDULES.x, '8wku2', range, at('2026-11-10T01:00:00Z'), -300, { index, count: 3 }));
    const whole = delivery(DEFAULT_SCHEDULES.x, '8wku2', range, at('2026-11-10T01:00:00Z'), -300);
    expect(whole).toEqual({ impressions: 24_000, clicks: 600, results: 240, spendMinor: 5500 });
    expect(parts.reduce((t, p) => t + p.spendMinor, 0)).toBe(whole.spendMinor);
    expect(parts.reduce((t, p) => t + p.impressions, 0)).toBe(whole.impressions);
  });

  it('honours a segment that starts and stops', () => {
    const seg = [{ campaignId: 'c', spendPerHour: 100, impressionsPerHour: 1, clicksPerHour: 0, resultsPerHour: 0, from: '2026-11-10T03:00:00Z', until: '2026-11-10T05:00:00Z' }];
    expect(delivery(seg, 'c', { startMs: at('2026-11-10T00:00:00Z'), endMs: at('2026-11-11T00:00:00Z') }, at('2026-11-10T12:00:00Z'), 0).spendMinor).toBe(200);
  });
});

function xClient() {
  const origin = sandbox.url;
  const client = new TwitterApi(
    { appKey: SANDBOX_X.apiKey, appSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret },
    { plugins: [{ onBeforeRequestConfig({ params }: { params: { url: string } }) { params.url = params.url.replace(/^https:\/\/[^/]+/, origin); } }], httpAgent: new Agent() },
  );
  return client.ads;
}
const stats = { entity: 'CAMPAIGN', entity_ids: '8wku2', granularity: 'TOTAL', metric_groups: 'ENGAGEMENT,BILLING', placement: 'ALL_ON_TWITTER' };
// Midnight of 9 Nov in New York (EST) is 05:00Z.
const day = { start_time: '2026-11-09T05:00:00Z', end_time: '2026-11-10T05:00:00Z' };
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: { code: number; data: { errors: Array<{ code: string; message: string }> } }) => ({ status: e.code, ...e.data.errors[0]! }));

describe('X stats in the sandbox', () => {
  it('gives metric arrays per bucket, null for an all-zero series', async () => {
    const r = await xClient().get(`stats/accounts/${SANDBOX_X.adsAccountId}`, { ...stats, ...day, granularity: 'HOUR', entity_ids: '8wku2,8wku3' });
    const body = r as unknown as { time_series_length: number; data: Array<{ id: string; id_data: Array<{ metrics: Record<string, number[] | null> }> }> };
    expect(body.time_series_length).toBe(24);
    const espresso = body.data.find((d) => d.id === '8wku2')!.id_data[0]!.metrics;
    // 20 hours ended by 01:00Z (20:00 EST), 275 cents = 2 750 000 micros each.
    expect(espresso.billed_charge_local_micro).toEqual([...Array(20).fill(2_750_000), 0, 0, 0, 0]);
    expect(body.data.find((d) => d.id === '8wku3')!.id_data[0]!.metrics.impressions).toBeNull();
  });

  it('lists the active entities of a range, with their placements', async () => {
    const r = (await xClient().get(`stats/accounts/${SANDBOX_X.adsAccountId}/active_entities`, { entity: 'CAMPAIGN', ...day })) as unknown as { data: Array<Record<string, unknown>> };
    expect(r.data).toEqual([
      { entity_id: '8wku2', activity_start_time: '2026-11-09T05:00:00Z', activity_end_time: '2026-11-10T01:00:00Z', placements: ['ALL_ON_TWITTER'] },
      { entity_id: '8wku4', activity_start_time: '2026-11-09T05:00:00Z', activity_end_time: '2026-11-10T01:00:00Z', placements: ['ALL_ON_TWITTER'] },
    ]);
    const lineItems = (await xClient().get(`stats/accounts/${SANDBOX_X.adsAccountId}/active_entities`, { entity: 'LINE_ITEM', ...day, campaign_ids: '8wku4' })) as unknown as { data: Array<{ entity_id: string }> };
    expect(lineItems.data.map((e) => e.entity_id)).toEqual(['l1a02']);
  });

  it('refuses what X refuses: times off the hour, more than 7 days, more than 20 ids, DAY not at midnight', async () => {
    const path = `stats/accounts/${SANDBOX_X.adsAccountId}`;
    const ads = xClient();
    expect(await fail(ads.get(path, { ...stats, ...day, start_time: '2026-11-09T05:30:00Z' }))).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', message: expect.stringContaining('whole hour') });
    expect(await fail(ads.get(path, { ...stats, start_time: '2026-11-01T04:00:00Z', end_time: '2026-11-10T05:00:00Z' }))).toMatchObject({ status: 400, message: expect.stringContaining('7 days') });
    expect(await fail(ads.get(path, { ...stats, ...day, entity_ids: Array.from({ length: 21 }, (_, i) => `c${i}`).join(',') }))).toMatchObject({ status: 400, code: 'INVALID_PARAMETER' });
    expect(await fail(ads.get(path, { ...stats, granularity: 'DAY', start_time: '2026-11-09T06:00:00Z', end_time: '2026-11-10T05:00:00Z' }))).toMatchObject({ message: expect.stringContaining('midnight') });
    expect(await fail(ads.get(path, { ...stats, ...day, placement: undefined as unknown as string }))).toMatchObject({ code: 'MISSING_PARAMETER' });
  });

  it('runs an async job: PROCESSING, then SUCCESS with a gzipped file served without credentials', async () => {
    const ads = xClient();
    const path = `stats/jobs/accounts/${SANDBOX_X.adsAccountId}`;
    const created = (await ads.post(path, { ...stats, start_time: '2026-10-11T04:00:00Z', end_time: '2026-11-10T05:00:00Z' })) as unknown as { data: { id_str: string; status: string; url: null } };
    expect(created.data).toMatchObject({ status: 'PROCESSING', url: null });
    const poll = async () => ((await ads.get(path, { job_ids: created.data.id_str })) as unknown as { data: Array<{ status: string; url: string | null }> }).data[0]!;
    expect((await poll()).status).toBe('PROCESSING');
    const done = await poll();
    expect(done.status).toBe('SUCCESS');
    const res = await fetch(done.url!);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    const file = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')) as { data: Array<{ id_data: Array<{ metrics: Record<string, number[]> }> }> };
    // 717 hours (see the conformance suite) × 2 750 000 micros.
    expect(file.data[0]!.id_data[0]!.metrics.billed_charge_local_micro).toEqual([717 * 2_750_000]);
    const download = sandbox.requests.find((q) => q.path.startsWith('/advertiser-api-async-analytics/'))!;
    expect(download.identity).toBe('download');
    expect((await fetch(`${sandbox.url}/advertiser-api-async-analytics/nope.json.gz`)).status).toBe(404);
  });
});

const graph = async (method: string, path: string, params: Record<string, string>) => {
  const q = new URLSearchParams({ access_token: SANDBOX_META.accessToken, ...params });
  const res = await fetch(`${sandbox.url}/v26.0/${path}?${q}`, { method });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { data?: Array<Record<string, unknown>>; error?: { code: number; message: string } } };
};

describe('Meta insights in the sandbox', () => {
  const params = { level: 'campaign', fields: 'campaign_id,campaign_name,spend,impressions,actions', time_range: JSON.stringify({ since: '2026-11-10', until: '2026-11-10' }) };

  it('answers rows only for campaigns that delivered, with spend in major units as a string', async () => {
    const r = await graph('GET', 'act_1001/insights', params);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([
      { campaign_id: '120210000000101', campaign_name: 'Winter Ramen', spend: '1500', impressions: '20000', actions: [{ action_type: 'link_click', value: '200' }], date_start: '2026-11-10', date_stop: '2026-11-10' },
      { campaign_id: '120210000000103', campaign_name: 'Brand Awareness Tokyo', spend: '1200', impressions: '50000', date_start: '2026-11-10', date_stop: '2026-11-10' },
    ]);
  });

  it("refuses a bad time_range with Graph's error 100", async () => {
    const r = await graph('GET', 'act_1001/insights', { ...params, time_range: JSON.stringify({ since: '2026-11-10', until: '2026-11-01' }) });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 100 });
  });

  it('moves a report run through its states; its rows are readable only once complete', async () => {
    const created = await graph('POST', 'act_1001/insights', params);
    const run = created.body.report_run_id as string;
    expect(run).toMatch(/^6400\d{12}$/);
    expect((await graph('GET', `${run}/insights`, {})).body.error).toMatchObject({ code: 100 });
    const states = [];
    for (let i = 0; i < 4; i++) {
      const s = (await graph('GET', run, {})).body;
      states.push([s.async_status, s.async_percent_completion]);
    }
    expect(states).toEqual([['Job Not Started', 0], ['Job Running', 50], ['Job Completed', 100], ['Job Completed', 100]]);
    expect((await graph('GET', `${run}/insights`, {})).body.data).toHaveLength(2);
  });

  it('the clock and the schedule can be set over HTTP', async () => {
    const clock = await fetch(`${sandbox.url}/__sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: '2026-11-10T03:00:00Z' }) });
    expect(await clock.json()).toEqual({ now: '2026-11-10T03:00:00.000Z' });
    const set = await fetch(`${sandbox.url}/__sandbox/spend`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'meta', schedule: [{ campaignId: '120210000000102', spendPerHour: 7, impressionsPerHour: 1, clicksPerHour: 0, resultsPerHour: 0 }] }) });
    expect(set.status).toBe(200);
    // 12 hours of 10 Nov in Tokyo by 03:00Z.
    expect((await graph('GET', 'act_1001/insights', params)).body.data).toEqual([expect.objectContaining({ campaign_id: '120210000000102', spend: '84' })]);
    const bad = await fetch(`${sandbox.url}/__sandbox/spend`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'meta', schedule: [{ campaignId: 'c', spendPerHour: 1.5 }] }) });
    expect(bad.status).toBe(400);
    sandbox.setClock('2026-11-10T01:00:00Z');
  });
});
