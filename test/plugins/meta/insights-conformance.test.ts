import { createAdapterContext } from '../../../src/core/context.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import { describeInsightsConformance } from '../../conformance/insights-suite.js';

// 2026-11-10T01:00Z is 10:00 on 10 November in Tokyo (no DST).
describeInsightsConformance({
  platform: 'meta',
  makeAdapter: async (sandbox, options) =>
    metaManifest.load(createAdapterContext({
      platform: 'meta',
      credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
      accountId: SANDBOX_META.adAccountId,
      endpoints: { metaGraph: sandbox.url },
      dryRun: options?.dryRun,
      timeoutMs: 5000,
      observer: { request: (r) => options?.observed?.push(r), response() {} },
      policy: { baseDelayMs: 1 },
    })),
  currency: 'JPY',
  now: '2026-11-10T01:00:00Z',
  today: '2026-11-10',
  // Winter Ramen: 150 JPY, 2000 impressions, 40 clicks, 20 link clicks an hour; 10 hours.
  campaign: { id: '120210000000101', impressions: 20_000, clicks: 400, spendMinor: 1500, results: 200 },
  // Brand Awareness Tokyo: 120 JPY, 5000, 15 an hour; awareness has no action result.
  other: { id: '120210000000103', impressions: 50_000, clicks: 150, spendMinor: 1200, results: null },
  // 12 Oct … 10 Nov: 29 whole days of 24 hours plus 10 hours = 706 hours.
  last30: { since: '2026-10-12', id: '120210000000101', impressions: 1_412_000, clicks: 28_240, spendMinor: 105_900, results: 14_120 },
  // Two ad sets share Winter Ramen's hourly delivery equally: 75 JPY, 1000, 20, 10 each; 10 hours.
  adGroup: { id: '120220000000501', impressions: 10_000, clicks: 200, spendMinor: 750, results: 100 },
  prepare: (sandbox) => sandbox.state.mutate((s) => {
    (s.meta as { adSets?: unknown[] }).adSets = ['120220000000501', '120220000000502'].map((id, i) => ({ id, campaign_id: '120210000000101', name: `Ramen ad set ${i + 1}`, status: 'ACTIVE' }));
  }),
  asyncCreatePath: /\/v\d+\.\d+\/act_1001\/insights$/,
  asyncPollPath: /\/v\d+\.\d+\/6400\d{12}$/,
  failedPoll: { id: '6400000000000001', async_status: 'Job Failed', async_percent_completion: 0 },
});
