/**
 * The Meta sandbox's wire format, checked with plain HTTP (no adctl code on the client side).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_META } from '../../src/sandbox/credentials.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/server.js';

let sandbox: SandboxServer;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
const token = `access_token=${SANDBOX_META.accessToken}`;

describe('Meta sandbox', () => {
  it('pages with an absolute paging.next on its own origin, and omits it on the last page', async () => {
    const first = (await (await fetch(`${sandbox.url}/v26.0/act_1001/campaigns?limit=2&fields=name&${token}`)).json()) as { data: unknown[]; paging: { next?: string } };
    expect(first.data).toHaveLength(2);
    expect(first.paging.next!.startsWith(`${sandbox.url}/v26.0/act_1001/campaigns?`)).toBe(true);
    const second = (await (await fetch(first.paging.next!)).json()) as { data: unknown[]; paging: { next?: string } };
    expect(second.data).toHaveLength(1);
    expect(second.paging.next).toBeUndefined();
  });

  it('refuses an unknown token with code 190 and usage headers', async () => {
    const res = await fetch(`${sandbox.url}/v26.0/act_1001?access_token=nope`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number; type: string } }).error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(JSON.parse(res.headers.get('x-business-use-case-usage')!)).toBeTypeOf('object');
  });

  it('validates creates like the platform: outcome objectives and special_ad_categories', async () => {
    const post = (body: Record<string, unknown>) => fetch(`${sandbox.url}/v26.0/act_1001/campaigns?${token}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const legacy = await post({ name: 'a', objective: 'LINK_CLICKS', status: 'PAUSED', special_ad_categories: [] });
    expect(((await legacy.json()) as { error: { code: number } }).error.code).toBe(100);
    const noCategories = await post({ name: 'a', objective: 'OUTCOME_TRAFFIC', status: 'PAUSED' });
    expect(noCategories.status).toBe(400);
    const ok = await post({ name: 'a', objective: 'OUTCOME_TRAFFIC', status: 'PAUSED', special_ad_categories: [], daily_budget: 5000, id: 'act_1001' });
    const { id } = (await ok.json()) as { id: string };
    const read = (await (await fetch(`${sandbox.url}/v26.0/${id}?fields=daily_budget,status&${token}`)).json()) as { daily_budget: string };
    expect(read).toEqual({ id, daily_budget: '5000', status: 'PAUSED' });
  });
});
