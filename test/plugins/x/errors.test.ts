/**
 * How X failures reach the user: each kind produced for real (the SDK over HTTP to the sandbox, or
 * to a closed port), classified by classifyXError and mapped by core's policy to an exit code.
 */
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { AdctlError } from '../../../src/core/errors.js';
import { parseMoney } from '../../../src/core/money.js';
import { classifyXError } from '../../../src/plugins/x/errors.js';
import { SANDBOX_X } from '../../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { makeX } from './make-adapter.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as AdctlError);
const plain = (r: string) => r;

/** A raw twitter-api-v2 ads client pointed at `origin`, to obtain the SDK's own error objects. */
function rawAds(origin: string) {
  const { TwitterApi } = createRequire(import.meta.url)('twitter-api-v2') as {
    TwitterApi: new (c: unknown, s?: unknown) => { ads: { get(p: string, q?: unknown, o?: unknown): Promise<unknown> } };
  };
  const rewrite = { onBeforeRequestConfig({ params }: { params: { url: string } }) { params.url = params.url.replace(/^https:\/\/[^/]+/, origin); } };
  return new TwitterApi(
    { appKey: SANDBOX_X.apiKey, appSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret },
    { plugins: [rewrite], httpAgent: new Agent() },
  ).ads;
}

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('X errors', () => {
  it('a platform 400 is PLATFORM_REJECTED (exit 1) with the platform message, parameter and request id', async () => {
    const x = await makeX({ url: sandbox.url });
    const err = await fail(x.createCampaign({ name: 'n'.repeat(256), objective: 'traffic', status: 'paused', budget: null }));
    expect(err).toMatchObject({ code: 'PLATFORM_REJECTED', exitCode: 1 });
    expect(err.message).toMatch(/255 characters \(parameter name\)/);
    expect(err.requestId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a 404 names the missing object', async () => {
    const x = await makeX({ url: sandbox.url });
    const err = await fail(x.getCampaign('zz999'));
    expect(err).toMatchObject({ code: 'NOT_FOUND', exitCode: 1 });
    expect(err.message).toBe(`X: campaign zz999 was not found on ads account ${SANDBOX_X.adsAccountId}`);
    const update = await fail(x.updateCampaign('zz999', { name: 'n' }));
    expect(update.message).toContain('campaign zz999');
  });

  it('deleting a campaign that never existed is NOT_FOUND; deleting twice is fine', async () => {
    const x = await makeX({ url: sandbox.url });
    expect((await fail(x.deleteCampaign('zz999'))).code).toBe('NOT_FOUND');
    await x.deleteCampaign('8wku3');
    await x.deleteCampaign('8wku3');
  });

  it('a 401 is AUTH_FAILED (exit 4), pointing at the ADCTL_X_* variables and adctl doctor, without secrets', async () => {
    const x = await makeX({ url: sandbox.url, credentials: { accessSecret: 'wrong-secret-value' } });
    const err = await fail(x.getAccount());
    expect(err).toMatchObject({ code: 'AUTH_FAILED', exitCode: 4 });
    expect(err.hint).toMatch(/ADCTL_X_ACCESS_SECRET.*adctl doctor/);
    const text = `${err.message} ${err.hint}`;
    for (const s of [SANDBOX_X.apiSecret, SANDBOX_X.accessToken, 'wrong-secret-value']) expect(text).not.toContain(s);
  });

  it('a 403 (an account the user cannot use) is PERMISSION_DENIED (exit 4)', async () => {
    const other = { apiKey: 'k-other-app', apiSecret: 's-other-app', accessToken: '3-other-user', accessSecret: 's-other-user' };
    sandbox.state.mutate((s) => {
      (s.x as { credentials: unknown[] }).credentials.push({ ...other, userId: '3', accountIds: ['gq1844'] });
    });
    const x = await makeX({ url: sandbox.url, credentials: other });
    const err = await fail(x.listCampaigns({}));
    expect(err).toMatchObject({ code: 'PERMISSION_DENIED', exitCode: 4 });
  });

  it('a response of the wrong shape is BAD_RESPONSE naming the field', async () => {
    sandbox.addFault({
      platform: 'x', method: 'GET', path: '/campaigns', times: 1,
      action: { type: 'status', status: 200, body: { data: [{ id: '1', name: 'n', entity_status: 'ACTIVE', currency: 'USD', daily_budget_amount_local_micro: 1.5 }], next_cursor: null } },
    });
    const x = await makeX({ url: sandbox.url });
    const err = await fail(x.listCampaigns({}));
    expect(err.code).toBe('BAD_RESPONSE');
    expect(err.message).toContain('data.0.daily_budget_amount_local_micro');
  });

  it('a cut-off body is BAD_RESPONSE and keeps the request id', async () => {
    sandbox.addFault({ platform: 'x', method: 'GET', path: '/campaigns', times: 1, action: { type: 'status', status: 200, body: '{"data":[{"id":', contentType: 'application/json' } });
    const x = await makeX({ url: sandbox.url });
    const err = await fail(x.listCampaigns({}));
    expect(err.code).toBe('BAD_RESPONSE');
    expect(err.requestId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a read answered 503 with retry-after waits that long, then succeeds', async () => {
    sandbox.addFault({ platform: 'x', method: 'GET', path: '/campaigns', times: 1, action: { type: 'status', status: 503, headers: { 'retry-after': '1' } } });
    const x = await makeX({ url: sandbox.url });
    const t0 = Date.now();
    expect((await x.listCampaigns({})).length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  it('a 503 on a create is UNKNOWN_OUTCOME (exit 8), sent once', async () => {
    sandbox.addFault({ platform: 'x', method: 'POST', path: '/campaigns', action: { type: 'status', status: 503 } });
    const x = await makeX({ url: sandbox.url });
    const err = await fail(x.createCampaign({ name: 'Maybe', objective: 'traffic', status: 'paused', budget: null }));
    expect(err).toMatchObject({ code: 'UNKNOWN_OUTCOME', exitCode: 8 });
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a read that times out is retried, then TEMPORARY (exit 75); a create that times out is UNKNOWN_OUTCOME', async () => {
    sandbox.addFault({ platform: 'x', path: '/campaigns/8wku2', action: { type: 'hang' } });
    const x = await makeX({ url: sandbox.url, timeoutMs: 200 });
    const read = await fail(x.getCampaign('8wku2'));
    expect(read).toMatchObject({ code: 'TIMEOUT', exitCode: 75 });
    expect(sandbox.requests.filter((r) => r.path.endsWith('/campaigns/8wku2')).length).toBeGreaterThan(1);
    sandbox.addFault({ platform: 'x', method: 'POST', path: '/campaigns', action: { type: 'hang' } });
    const create = await fail(x.createCampaign({ name: 'Slow', objective: 'traffic', status: 'paused', budget: null }));
    expect(create).toMatchObject({ code: 'UNKNOWN_OUTCOME', exitCode: 8 });
  });

  it('a refused connection is network, certainly not applied, and ends in exit 75 with a hint', async () => {
    const origin = await closedPort();
    const e = await rawAds(origin).get('accounts').catch((x: unknown) => x);
    expect(Object.keys(e as object)).not.toContain('_options'); // the code hides there, non-enumerable
    expect(classifyXError(e, plain)).toMatchObject({ kind: 'network', notApplied: true, message: 'cannot reach X (ECONNREFUSED)' });
    const x = await makeX({ url: origin });
    const err = await fail(x.listCampaigns({}));
    expect(err).toMatchObject({ exitCode: 75 });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('a 429 waits for x-account-rate-limit-reset before x-rate-limit-reset', async () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = { 'x-account-rate-limit-reset': String(now + 2), 'x-rate-limit-reset': String(now + 600), 'x-rate-limit-limit': '10', 'x-rate-limit-remaining': '0' };
    const body = { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' }] };
    sandbox.addFault({ platform: 'x', path: '/accounts', times: 1, action: { type: 'status', status: 429, body, headers } });
    const e = await rawAds(sandbox.url).get(`accounts/${SANDBOX_X.adsAccountId}`).catch((x: unknown) => x);
    const f = classifyXError(e, plain);
    expect(f).toMatchObject({ kind: 'rate_limited', notApplied: true, platformCode: 'TOO_MANY_REQUESTS' });
    expect(f.retryAfterMs).toBeGreaterThan(500);
    expect(f.retryAfterMs).toBeLessThanOrEqual(2000);
  });

  it('a budget in another currency is a usage error (exit 64) before anything is sent', async () => {
    const x = await makeX({ url: sandbox.url });
    const create = await fail(x.createCampaign({ name: 'E', objective: 'traffic', status: 'paused', budget: { period: 'daily', money: parseMoney('50 EUR') } }));
    expect(create).toMatchObject({ code: 'CURRENCY_MISMATCH', exitCode: 64 });
    const update = await fail(x.updateCampaign('8wku2', { budget: { period: 'daily', money: parseMoney('50 EUR') } }));
    expect(update).toMatchObject({ code: 'CURRENCY_MISMATCH', exitCode: 64 });
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });
});
