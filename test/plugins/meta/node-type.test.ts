/**
 * Campaign and ad set ids share Graph's namespace. Graph answers a field the node's type lacks with
 * `(#100) Tried accessing nonexisting field (…) on node type (…)`; the sandbox does the same and
 * the plugin classifies it as NOT_FOUND, so "is this id a campaign?" has a clean answer (budget
 * get|set resolve refs with it). Real SDK over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { createAdapterContext } from '../../../src/core/context.js';
import { AdctlError } from '../../../src/core/errors.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const adapter = () => metaManifest.load(createAdapterContext({
  platform: 'meta',
  credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
  accountId: SANDBOX_META.adAccountId,
  endpoints: { metaGraph: sandbox.url },
  timeoutMs: 2000,
  observer: { request() {}, response() {} },
  policy: { baseDelayMs: 1 },
}));

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AdctlError);

describe('Meta node types', () => {
  it('an ad set id read as a campaign is NOT_FOUND (exit 1) saying it is an ad set, asked once', async () => {
    const a = await adapter();
    sandbox.requests.length = 0;
    const e = await failure(a.getCampaign('120220000000004'));
    expect(e).toBeInstanceOf(AdctlError);
    expect(e).toMatchObject({ code: 'NOT_FOUND', exitCode: 1 });
    expect(e!.message).toMatch(/the object is an AdSet, not the kind asked for \(\(#100\) Tried accessing nonexisting field \(objective\) on node type \(AdSet\)\)/);
    expect(sandbox.requests.filter((q) => q.path.endsWith('/120220000000004'))).toHaveLength(1);
  });

  it('a campaign id read as an ad set is NOT_FOUND too; each id still reads as its own kind', async () => {
    const a = await adapter();
    expect(await failure(a.getAdGroup!('120210000000101'))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await a.getCampaign('120210000000101')).name).toBe('Winter Ramen');
    expect((await a.getAdGroup!('120220000000004')).name).toBe('Tokyo reach 18-65');
  });
});
