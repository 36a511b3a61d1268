import { createAdapterContext } from '../../../src/core/context.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import { describeAdGroupConformance } from '../../conformance/adgroup-suite.js';

// Brand Awareness Tokyo (JPY) has no campaign budget, so its ad sets carry their own; its
// objective (OUTCOME_AWARENESS) makes REACH the default optimisation goal.
describeAdGroupConformance({
  platform: 'meta',
  capabilities: metaManifest.capabilities,
  makeAdapter: async (sandbox, options) =>
    metaManifest.load(createAdapterContext({
      platform: 'meta',
      credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
      accountId: SANDBOX_META.adAccountId,
      endpoints: { metaGraph: sandbox.url },
      dryRun: options?.dryRun,
      timeoutMs: 2000,
      observer: { request: (r) => options?.observed?.push(r), response() {} },
      policy: { baseDelayMs: 1 },
    })),
  currency: 'JPY',
  campaignId: '120210000000103',
  defaultOptimization: 'REACH',
  budget: { period: 'daily', amount: '2000 JPY' },
  newBudget: { period: 'daily', amount: '7000 JPY' },
  bid: { strategy: 'max', amount: '300 JPY' },
  newBid: { strategy: 'cost_cap', amount: '450 JPY' },
  targeting: { countries: ['JP'], ageMin: 25, ageMax: 44, publisherPlatforms: ['facebook', 'instagram'], placements: ['feed', 'stories'] },
  newTargeting: { countries: ['JP', 'KR'], ageMin: 18, ageMax: 65, publisherPlatforms: ['instagram'], placements: ['reels'] },
  adGroupsPath: '/adsets',
  missingId: '120220999999999',
});
