import { createAdapterContext } from '../../../src/core/context.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import { describeAdapterConformance } from '../../conformance/adapter-suite.js';

describeAdapterConformance({
  platform: 'meta',
  currency: 'JPY',
  budget: '5000 JPY',
  campaignsPath: '/campaigns',
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
});
