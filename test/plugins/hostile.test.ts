/**
 * Hostile responses (issue 7): each class ends in a classified AdctlError with a one-line
 * message, never a crash, a hang or a raw SDK error, on both adapters.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../src/core/adapter.js';
import { createAdapterContext } from '../../src/core/context.js';
import { AdctlError } from '../../src/core/errors.js';
import { metaManifest } from '../../src/plugins/meta/manifest.js';
import { xManifest } from '../../src/plugins/x/manifest.js';
import { SANDBOX_META, SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { FaultAction, SandboxPlatform } from '../../src/sandbox/types.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

/** `timeoutMs` per request; the retry policy is the default (4 attempts) with 1 ms waits. */
function adapter(platform: SandboxPlatform, timeoutMs = 1500): Promise<PlatformAdapter> {
  const common = { timeoutMs, policy: { baseDelayMs: 1 } };
  return platform === 'x'
    ? xManifest.load(createAdapterContext({
      platform, ...common, accountId: SANDBOX_X.adsAccountId, endpoints: { xApi: sandbox.url, xAdsApi: sandbox.url, xUpload: sandbox.url },
      credentials: { kind: 'x-oauth1', apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret },
    }))
    : metaManifest.load(createAdapterContext({
      platform, ...common, accountId: SANDBOX_META.adAccountId, endpoints: { metaGraph: sandbox.url },
      credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
    }));
}

const json = 'application/json';
const CASES: Array<[string, FaultAction, number[]]> = [
  ['an HTML page with 200', { type: 'status', status: 200, body: '<html>maintenance</html>', contentType: 'text/html' }, [1]],
  ['truncated JSON', { type: 'status', status: 200, body: '{"data":[{"id":"1","na', contentType: json }, [1]],
  ['wrong types', { type: 'status', status: 200, body: { data: 'not a list', next_cursor: 5 }, contentType: json }, [1]],
  ['missing fields', { type: 'status', status: 200, body: { data: [{ id: '1' }] }, contentType: json }, [1]],
  ['a huge body', { type: 'status', status: 200, body: JSON.stringify({ data: [{ id: 'x'.repeat(4_000_000) }] }), contentType: json }, [1]],
  ['a redirect to another host', { type: 'status', status: 302, body: '', headers: { location: 'http://127.0.0.2:9/elsewhere' } }, [1, 75]],
  ['a slow-loris that never finishes', { type: 'hang' }, [75]],
];

describe.each(['x', 'meta'] as const)('%s adapter against hostile responses', (platform) => {
  it.each(CASES)('%s', async (_name, action, exits) => {
    // A hang is only ever ended by the timeout, every attempt: a short one keeps the four attempts quick.
    const a = await adapter(platform, action.type === 'hang' ? 250 : 1500);
    sandbox.addFault({ platform, method: 'GET', path: '/campaigns', action });
    const err = await a.listCampaigns({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdctlError);
    expect(exits).toContain((err as AdctlError).exitCode);
    expect((err as AdctlError).message).not.toMatch(/\n/);
    expect((err as AdctlError).message.length).toBeLessThan(400);
    // Nothing followed the redirect: every request stayed on the sandbox.
    expect(sandbox.requests.every((r) => r.platform === platform)).toBe(true);
  });
});

describe('pagination that loops', () => {
  it.each(['x', 'meta'] as const)('%s stops with an error when the same page comes back', async (platform) => {
    const a = await adapter(platform);
    const body = platform === 'x'
      ? { data: [{ id: 'c1', name: 'Loop', entity_status: 'ACTIVE', currency: 'USD' }], next_cursor: 'same-cursor' }
      : { data: [{ id: '1', name: 'Loop' }], paging: { next: `${sandbox.url}/v26.0/act_1001/campaigns?after=same&access_token=${SANDBOX_META.accessToken}` } };
    sandbox.addFault({ platform, method: 'GET', path: '/campaigns', action: { type: 'status', status: 200, body, contentType: json } });
    const err = await a.listCampaigns({}).catch((e: unknown) => e);
    expect((err as AdctlError).code).toBe('BAD_RESPONSE');
    expect((err as AdctlError).message).toMatch(/repeat/);
    expect(sandbox.requests.filter((r) => r.path.endsWith('/campaigns')).length).toBeLessThanOrEqual(3);
  });
});
