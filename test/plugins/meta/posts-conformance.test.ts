import { createAdapterContext } from '../../../src/core/context.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { describePostsConformance } from '../../conformance/posts-suite.js';

const makeAdapter = (sandbox: SandboxServer, options?: { dryRun?: boolean; observed?: import('../../../src/core/adapter.js').WireRequest[] }) =>
  metaManifest.load(createAdapterContext({
    platform: 'meta',
    credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
    accountId: SANDBOX_META.adAccountId,
    channelIds: { pageId: SANDBOX_META.pageId, igUserId: SANDBOX_META.igUserId },
    endpoints: { metaGraph: sandbox.url },
    dryRun: options?.dryRun,
    timeoutMs: 3000,
    observer: { request: (r) => options?.observed?.push(r), response() {} },
    policy: { baseDelayMs: 1 },
  }));

describePostsConformance({ channel: 'facebook', media: [], createPath: '/feed', deletes: true, makeAdapter });
describePostsConformance({
  channel: 'instagram', media: [{ kind: 'url', url: 'https://cdn.example.com/conformance.jpg' }], createPath: '/media_publish', deletes: false, makeAdapter,
});
