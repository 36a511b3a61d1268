/**
 * The X sandbox's wire format, checked with plain HTTP (no adctl code on the client side).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxServer } from '../../src/sandbox/server.js';

let sandbox: SandboxServer;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe('X sandbox', () => {
  it('refuses requests without OAuth 1.0a, in the Ads error envelope', async () => {
    const res = await fetch(`${sandbox.url}/12/accounts`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { errors: Array<{ code: string }> };
    expect(body.errors[0]!.code).toBe('UNAUTHORIZED_ACCESS');
    expect(res.headers.get('x-current-api-version')).toBe('12');
    expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('answers v2 paths with problem+json', async () => {
    const res = await fetch(`${sandbox.url}/2/tweets/1`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { type: string }).type).toMatch(/^https:\/\/api\.x\.com\/2\/problems\//);
  });

  it('records every request with its platform and status', async () => {
    sandbox.requests.length = 0;
    await fetch(`${sandbox.url}/12/accounts/18ce54d4x5t/campaigns?count=5`);
    expect(sandbox.requests[0]).toMatchObject({ platform: 'x', method: 'GET', status: 401, query: { count: '5' } });
  });
});
