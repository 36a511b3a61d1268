import { createAdapterContext } from '../../../src/core/context.js';
import { xManifest } from '../../../src/plugins/x/manifest.js';
import { SANDBOX_X } from '../../../src/sandbox/credentials.js';
import { describeAdapterConformance } from '../../conformance/adapter-suite.js';

describeAdapterConformance({
  platform: 'x',
  currency: 'USD',
  budget: '50.00 USD',
  campaignsPath: '/campaigns',
  makeAdapter: async (sandbox, options) =>
    xManifest.load(createAdapterContext({
      platform: 'x',
      credentials: { kind: 'x-oauth1', apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret },
      accountId: SANDBOX_X.adsAccountId,
      endpoints: { xApi: sandbox.url, xAdsApi: sandbox.url, xUpload: sandbox.url },
      dryRun: options?.dryRun,
      timeoutMs: 2000,
      observer: { request: (r) => options?.observed?.push(r), response() {} },
      policy: { baseDelayMs: 1 },
    })),
});
