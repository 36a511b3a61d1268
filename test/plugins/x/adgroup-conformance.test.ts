import { xManifest } from '../../../src/plugins/x/manifest.js';
import { describeAdGroupConformance } from '../../conformance/adgroup-suite.js';
import { makeX } from './make-adapter.js';

// Holiday Espresso (USD, 50.00 daily campaign budget) has a seeded WEBSITE_CLICKS line item, so a
// new line item takes that objective and X's default goal for it, LINK_CLICKS.
describeAdGroupConformance({
  platform: 'x',
  capabilities: xManifest.capabilities,
  makeAdapter: (sandbox, options) => makeX({ url: sandbox.url, dryRun: options?.dryRun, requests: options?.observed, timeoutMs: 2000 }),
  currency: 'USD',
  campaignId: '8wku2',
  defaultOptimization: 'LINK_CLICKS',
  budget: { period: 'daily', amount: '20.00 USD' },
  newBudget: { period: 'daily', amount: '35.50 USD' },
  bid: { strategy: 'max', amount: '1.50 USD' },
  newBid: { strategy: 'target', amount: '2.25 USD' },
  targeting: { countries: ['US'], ageMin: 25, ageMax: 49, publisherPlatforms: ['x'], placements: ['timeline'] },
  newTargeting: { countries: ['CA', 'US'], ageMin: 18, ageMax: null, publisherPlatforms: ['x'], placements: ['search', 'profile'] },
  adGroupsPath: '/line_items',
  missingId: 'zzzz9',
});
