import { SANDBOX_X } from '../../../src/sandbox/credentials.js';
import { describeInsightsConformance } from '../../conformance/insights-suite.js';
import { makeX } from './make-adapter.js';

// 2026-11-10T01:00Z is 20:00 on 9 November in New York (EST since the 1 November DST change).
describeInsightsConformance({
  platform: 'x',
  makeAdapter: (sandbox, options) => makeX({ url: sandbox.url, accountId: SANDBOX_X.adsAccountId, dryRun: options?.dryRun, requests: options?.observed }),
  currency: 'USD',
  now: '2026-11-10T01:00:00Z',
  today: '2026-11-09',
  // Holiday Espresso: 2.75 USD, 1200 impressions, 30 clicks, 12 url clicks an hour; 20 hours.
  campaign: { id: '8wku2', impressions: 24_000, clicks: 600, spendMinor: 5500, results: 240 },
  // Always-on Followers: 1.00 USD, 800, 10, 4 follows an hour; 20 hours.
  other: { id: '8wku4', impressions: 16_000, clicks: 200, spendMinor: 2000, results: 80 },
  // 11 Oct … 9 Nov: 29 whole days, one of them 25 hours long (1 Nov), plus 20 hours = 717 hours.
  last30: { since: '2026-10-11', id: '8wku2', impressions: 860_400, clicks: 21_510, spendMinor: 197_175, results: 8604 },
  // l1a01 is Holiday Espresso's only line item: all of its delivery.
  adGroup: { id: 'l1a01', impressions: 24_000, clicks: 600, spendMinor: 5500, results: 240 },
  asyncCreatePath: /\/12\/stats\/jobs\/accounts\//,
  asyncPollPath: /\/12\/stats\/jobs\/accounts\//,
  failedPoll: { data: [{ id: 1, id_str: '1', status: 'FAILED', url: null }] },
});
