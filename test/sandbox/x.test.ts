/**
 * The X sandbox's wire format, checked with plain HTTP and a small OAuth 1.0a signer written here
 * (no adctl client code): envelopes and fixture shapes, pagination, validation errors, signature
 * checks, account access and faults.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_X } from '../../src/sandbox/credentials.js';
import { seedState, type SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const ACCOUNT = SANDBOX_X.adsAccountId;
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface Cred { apiKey: string; apiSecret: string; accessToken: string; accessSecret: string }
interface CallOptions {
  query?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  cred?: Cred;
  /** Change the request after signing it. */
  tamper?: { query?: Record<string, string>; form?: Record<string, string> };
  oauth?: Record<string, string>;
}

/** RFC 5849 HMAC-SHA1 over method, URL, query, form body and oauth_* parameters. */
function authorization(method: string, url: string, params: Record<string, string>, cred: Cred, extra: Record<string, string> = {}): string {
  const oauth: Record<string, string> = {
    oauth_consumer_key: cred.apiKey, oauth_nonce: randomBytes(16).toString('hex'), oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)), oauth_token: cred.accessToken, oauth_version: '1.0', ...extra,
  };
  const all = Object.entries({ ...params, ...oauth }).map(([k, v]) => `${enc(k)}=${enc(v)}`).sort().join('&');
  const base = [method, enc(url), enc(all)].join('&');
  oauth.oauth_signature = createHmac('sha1', `${enc(cred.apiSecret)}&${enc(cred.accessSecret)}`).update(base).digest('base64');
  return `OAuth ${Object.entries(oauth).map(([k, v]) => `${enc(k)}="${enc(v)}"`).join(', ')}`;
}

async function call(method: string, path: string, o: CallOptions = {}) {
  const url = `${sandbox.url}${path}`;
  const auth = authorization(method, url, { ...o.query, ...o.form }, o.cred ?? SANDBOX_X, o.oauth);
  const query = new URLSearchParams({ ...o.query, ...o.tamper?.query }).toString();
  const headers: Record<string, string> = { authorization: auth };
  let body: string | undefined;
  if (o.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ ...o.form, ...o.tamper?.form }).toString();
  } else if (o.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.json);
  }
  const res = await fetch(`${url}${query ? `?${query}` : ''}`, { method, headers, body });
  const text = await res.text();
  // Bodies are probed field by field in the assertions below; typing each shape would add nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

const fixture = (name: string) => JSON.parse(readFileSync(`/work/shared/wire/fixtures/x-ads/${name}`, 'utf8')) as { data: Record<string, unknown> };
const keysOf = (o: Record<string, unknown>) => Object.keys(o).sort();

describe('X sandbox: authentication', () => {
  it('refuses requests without OAuth 1.0a, in the Ads error envelope, with the X headers', async () => {
    const res = await fetch(`${sandbox.url}/12/accounts`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { errors: Array<{ code: string }>; request: unknown };
    expect(body).toMatchObject({ errors: [{ code: 'UNAUTHORIZED_ACCESS' }], request: { params: {} } });
    expect(res.headers.get('x-current-api-version')).toBe('12');
    expect(res.headers.get('x-transaction-id')).toMatch(/^[0-9a-f]+$/);
    expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('answers v2 paths with problem+json', async () => {
    const res = await fetch(`${sandbox.url}/2/tweets/1`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('x-current-api-version')).toBeNull();
    expect(((await res.json()) as { type: string }).type).toMatch(/^https:\/\/api\.x\.com\/2\/problems\//);
    const signed = await call('GET', '/2/spaces/1');
    expect(signed.status).toBe(404);
    expect(signed.body.type).toBe('https://api.x.com/2/problems/resource-not-found');
  });

  it('accepts a correct signature and records the identity', async () => {
    const res = await call('GET', '/12/accounts', { query: { count: '5' } });
    expect(res.status).toBe(200);
    expect(sandbox.requests.at(-1)).toMatchObject({ platform: 'x', method: 'GET', status: 200, identity: `${SANDBOX_X.apiKey}:${SANDBOX_X.accessToken}`, query: { count: '5' } });
  });

  it.each([
    ['a wrong consumer secret', { cred: { ...SANDBOX_X, apiSecret: 'nope' } }],
    ['a wrong token secret', { cred: { ...SANDBOX_X, accessSecret: 'nope' } }],
    ['an unknown token', { cred: { ...SANDBOX_X, accessToken: '1-unknown' } }],
    ['a query parameter changed after signing', { query: { count: '5' }, tamper: { query: { count: '6' } } }],
    ['an unsupported signature method', { oauth: { oauth_signature_method: 'PLAINTEXT' } }],
    ['a timestamp an hour off', { oauth: { oauth_timestamp: String(Math.floor(Date.now() / 1000) - 3600) } }],
  ] as Array<[string, CallOptions]>)('refuses %s with 401 UNAUTHORIZED_ACCESS', async (_what, o) => {
    const res = await call('GET', '/12/accounts', o);
    expect(res.status).toBe(401);
    expect(res.body.errors[0].code).toBe('UNAUTHORIZED_ACCESS');
  });

  it('signs form bodies but not JSON bodies', async () => {
    const tampered = await call('POST', `/12/accounts/${ACCOUNT}/campaigns`, {
      form: { name: 'Signed', funding_instrument_id: '5aa0p', entity_status: 'PAUSED' }, tamper: { form: { name: 'Changed' } },
    });
    expect(tampered.status).toBe(401);
    const json = await call('POST', `/12/accounts/${ACCOUNT}/campaigns`, { json: { name: 'Json', funding_instrument_id: '5aa0p', entity_status: 'PAUSED' } });
    expect(json.status).toBe(200);
    expect(json.body.data.name).toBe('Json');
  });

  it('refuses a replayed request (same nonce and timestamp)', async () => {
    const url = `${sandbox.url}/12/accounts`;
    const auth = authorization('GET', url, {}, SANDBOX_X);
    expect((await fetch(url, { headers: { authorization: auth } })).status).toBe(200);
    expect((await fetch(url, { headers: { authorization: auth } })).status).toBe(401);
  });

  it('scopes accounts to the credential: another user sees only its own account', async () => {
    const other = { apiKey: 'other-key', apiSecret: 'other-secret', accessToken: '2-other', accessSecret: 'other-token-secret' };
    sandbox.state.mutate((s) => {
      (s.x as { credentials: unknown[] }).credentials.push({ ...other, userId: '2', accountIds: ['gq1844'] });
    });
    const list = await call('GET', '/12/accounts', { cred: other });
    expect(list.body.data.map((a: { id: string }) => a.id)).toEqual(['gq1844']);
    const refused = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`, { cred: other });
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].code).toBe('UNAUTHORIZED_CLIENT_APPLICATION');
  });
});

describe('X sandbox: seed and shapes', () => {
  it('is deterministic for a given instant, and its times follow that instant', () => {
    const at = new Date('2026-11-28T12:00:00Z');
    expect(seedState(at).x).toEqual(seedState(at).x);
    const x = xOf(seedState(at));
    // Created 30 days before the instant, to the second as X writes times.
    expect(x.accounts.map((a) => [a.id, a.timezone, a.created_at])).toEqual([
      ['18ce54d4x5t', 'America/New_York', '2026-10-29T12:00:00Z'],
      ['gq1844', 'Europe/Berlin', '2026-10-29T12:00:00Z'],
    ]);
    expect(x.campaigns.map((c) => [c.id, c.entity_status, c.currency, c.daily_budget_amount_local_micro, c.total_budget_amount_local_micro])).toEqual([
      ['8wku2', 'ACTIVE', 'USD', 50_000_000, null],
      ['8wku3', 'PAUSED', 'USD', 25_500_000, 1_000_000_000],
      ['8wku4', 'ACTIVE', 'USD', null, 3_000_000_000],
      ['9bq01', 'PAUSED', 'EUR', 40_000_000, null],
    ]);
    // Line items start at midnight UTC seven days before the instant's day.
    expect(x.lineItems.map((l) => [l.id, l.campaign_id, l.objective, l.start_time])).toEqual([
      ['l1a01', '8wku2', 'WEBSITE_CLICKS', '2026-11-21T00:00:00Z'],
      ['l1a02', '8wku4', 'FOLLOWERS', '2026-11-21T00:00:00Z'],
    ]);
    expect(x.fundingInstruments.filter((f) => f.able_to_fund).map((f) => f.id)).toEqual(['5aa0p', 'hw1p7', 'hw1p8']);
    // Another instant moves every seeded time with it, and nothing else.
    const later = xOf(seedState(new Date('2027-03-01T00:00:00Z')));
    expect(later.lineItems[0]!.start_time).toBe('2027-02-22T00:00:00Z');
    expect(later.accounts[0]!.created_at).toBe('2027-01-30T00:00:00Z');
    expect(later.campaigns.map((c) => c.name)).toEqual(x.campaigns.map((c) => c.name));
  });

  it('lists both accounts with the fields of the real API', async () => {
    const res = await call('GET', '/12/accounts');
    expect(res.body).toMatchObject({ request: { params: {} }, data_type: 'account', next_cursor: null });
    expect(res.body.data.map((a: { id: string }) => a.id)).toEqual([ACCOUNT, 'gq1844']);
    const one = await call('GET', `/12/accounts/${ACCOUNT}`);
    expect(one.body).toMatchObject({ request: { params: { account_id: ACCOUNT } }, data: { id: ACCOUNT, name: 'Sandbox Coffee (X)', timezone: 'America/New_York' } });
    const want = keysOf(fixture('accounts_load.json').data).filter((k) => k !== 'salt');
    expect(keysOf(one.body.data)).toEqual(expect.arrayContaining(want));
  });

  it('has one funding instrument able to fund on the USD account and two on the EUR account', async () => {
    const usd = await call('GET', `/12/accounts/${ACCOUNT}/funding_instruments`);
    expect(usd.body.data.filter((f: { able_to_fund: boolean }) => f.able_to_fund)).toMatchObject([{ id: '5aa0p', currency: 'USD' }]);
    expect(keysOf(usd.body.data[0])).toEqual(expect.arrayContaining(keysOf(fixture('funding_instruments_load.json').data)));
    const eur = await call('GET', '/12/accounts/gq1844/funding_instruments');
    expect(eur.body.data.filter((f: { able_to_fund: boolean }) => f.able_to_fund).map((f: { currency: string }) => f.currency)).toEqual(['EUR', 'EUR']);
    expect((await call('GET', '/12/accounts/gq1844')).body.data.timezone).toBe('Europe/Berlin');
    const one = await call('GET', `/12/accounts/${ACCOUNT}/funding_instruments/5aa0p`);
    expect(one.body).toMatchObject({ request: { params: { account_id: ACCOUNT, funding_instrument_id: '5aa0p' } }, data_type: 'funding_instrument' });
    const filtered = await call('GET', `/12/accounts/${ACCOUNT}/funding_instruments`, { query: { funding_instrument_ids: '7cdql' } });
    expect(filtered.body.data.map((f: { id: string }) => f.id)).toEqual(['7cdql']);
    expect(filtered.body.request.params.funding_instrument_ids).toEqual(['7cdql']);
  });

  it('serves campaigns with integer micros, string ids and the v12 fields (no start/end)', async () => {
    const res = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`, { query: { with_deleted: 'true' } });
    expect(res.body.request.params).toEqual({ account_id: ACCOUNT, with_deleted: true });
    expect(res.body.data).toHaveLength(3);
    const want = keysOf(fixture('campaigns_load.json').data).filter((k) => k !== 'start_time' && k !== 'end_time');
    for (const c of res.body.data as Array<Record<string, unknown>>) {
      expect(keysOf(c)).toEqual(expect.arrayContaining([...want, 'effective_status', 'budget_optimization']));
      expect(c).not.toHaveProperty('start_time');
      expect(typeof c.id).toBe('string');
      for (const k of ['daily_budget_amount_local_micro', 'total_budget_amount_local_micro']) {
        expect(c[k] === null || Number.isInteger(c[k])).toBe(true);
      }
    }
    expect(new Set(res.body.data.map((c: { entity_status: string }) => c.entity_status))).toEqual(new Set(['ACTIVE', 'PAUSED']));
  });

  it('answers unknown routes and objects in the Ads format', async () => {
    expect((await call('GET', `/12/accounts/${ACCOUNT}/nothing_here`)).body.errors[0].code).toBe('ROUTE_NOT_FOUND');
    expect((await call('GET', '/12/stats/x')).status).toBe(404);
    const account = await call('GET', '/12/accounts/zzzzz/campaigns');
    expect(account.status).toBe(404);
    expect(account.body.errors[0].code).toBe('NOT_FOUND');
    const campaign = await call('GET', `/12/accounts/${ACCOUNT}/campaigns/nope1`);
    expect(campaign).toMatchObject({ status: 404, body: { errors: [{ code: 'NOT_FOUND' }], request: { params: { account_id: ACCOUNT, campaign_id: 'nope1' } } } });
  });
});

describe('X sandbox: pagination', () => {
  it('pages with count and an opaque cursor until next_cursor is null', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await call('POST', `/12/accounts/${ACCOUNT}/campaigns`, { form: { name: `P${i}`, funding_instrument_id: '5aa0p' } })).status).toBe(200);
    }
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`, { query: { count: '3', ...(cursor ? { cursor } : {}) } });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      expect(res.body.request.params.count).toBe(3);
      ids.push(...res.body.data.map((c: { id: string }) => c.id));
      cursor = res.body.next_cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(8);
  });

  it('reports total_count only when asked, and never with a cursor', async () => {
    const plain = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`);
    expect(plain.body).not.toHaveProperty('total_count');
    const total = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`, { query: { with_total_count: 'true', count: '1' } });
    expect(total.body.total_count).toBe(3);
    const both = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`, { query: { with_total_count: 'true', cursor: total.body.next_cursor } });
    expect(both.body.errors[0].code).toBe('EXCLUSIVE_PARAMETERS');
  });

  it.each(['0', '1001', 'ten'])('refuses count=%s', async (count) => {
    const res = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`, { query: { count } });
    expect(res).toMatchObject({ status: 400, body: { errors: [{ code: 'INVALID_PARAMETER', parameter: 'count' }] } });
  });

  it('refuses a cursor it did not issue', async () => {
    const res = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`, { query: { cursor: 'garbage' } });
    expect(res.body.errors[0]).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'cursor' });
  });

  it('filters by campaign_ids and funding_instrument_ids', async () => {
    const res = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`, { query: { campaign_ids: '8wku2,8wku4' } });
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual(['8wku2', '8wku4']);
    expect(res.body.request.params.campaign_ids).toEqual(['8wku2', '8wku4']);
    const none = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`, { query: { funding_instrument_ids: '7cdql' } });
    expect(none.body.data).toEqual([]);
  });
});

describe('X sandbox: campaign writes', () => {
  const path = `/12/accounts/${ACCOUNT}/campaigns`;

  it('creates with the platform default ACTIVE, micros kept as integers, the instrument currency', async () => {
    const res = await call('POST', path, { form: { name: 'New', funding_instrument_id: '5aa0p', daily_budget_amount_local_micro: '50000000' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      data_type: 'campaign',
      request: { params: { account_id: ACCOUNT, name: 'New' } },
      data: { name: 'New', entity_status: 'ACTIVE', currency: 'USD', daily_budget_amount_local_micro: 50_000_000, total_budget_amount_local_micro: null, deleted: false },
    });
    expect(res.body.data.id).toMatch(/^[0-9a-z]{5,}$/);
    expect(res.body.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await call('GET', `${path}/${res.body.data.id}`)).body.data.name).toBe('New');
  });

  it.each([
    [{ funding_instrument_id: '5aa0p' }, 'MISSING_PARAMETER', 'name'],
    [{ name: 'x' }, 'MISSING_PARAMETER', 'funding_instrument_id'],
    [{ name: 'x', funding_instrument_id: '5aa0p', entity_status: 'ARCHIVED' }, 'INVALID_PARAMETER', 'entity_status'],
    [{ name: 'x'.repeat(256), funding_instrument_id: '5aa0p' }, 'INVALID_PARAMETER', 'name'],
    [{ name: 'x', funding_instrument_id: '5aa0p', daily_budget_amount_local_micro: '50.5' }, 'INVALID_PARAMETER', 'daily_budget_amount_local_micro'],
    [{ name: 'x', funding_instrument_id: '5aa0p', daily_budget_amount_local_micro: '2000000', total_budget_amount_local_micro: '1000000' }, 'INVALID_PARAMETER', 'daily_budget_amount_local_micro'],
    [{ name: 'x', funding_instrument_id: 'hw1p7' }, 'INVALID_FUNDING_INSTRUMENT', 'funding_instrument_id'],
    [{ name: 'x', funding_instrument_id: '7cdql' }, 'INVALID_FUNDING_INSTRUMENT', 'funding_instrument_id'],
  ] as Array<[Record<string, string>, string, string]>)('refuses %j with %s on %s', async (form, code, parameter) => {
    const res = await call('POST', path, { form });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ code, parameter });
    expect(res.body.request.params.account_id).toBe(ACCOUNT);
  });

  it('updates only the fields sent; an empty value unsets; DRAFT is refused on PUT', async () => {
    const put = await call('PUT', `${path}/8wku3`, { form: { entity_status: 'ACTIVE', total_budget_amount_local_micro: '' } });
    expect(put.body.data).toMatchObject({ id: '8wku3', name: 'Cold Brew Launch', entity_status: 'ACTIVE', daily_budget_amount_local_micro: 25_500_000, total_budget_amount_local_micro: null });
    const draft = await call('PUT', `${path}/8wku3`, { form: { entity_status: 'DRAFT' } });
    expect(draft.body.errors[0]).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'entity_status' });
    const tooBig = await call('PUT', `${path}/8wku2`, { form: { total_budget_amount_local_micro: '1000000' } });
    expect(tooBig.status).toBe(400);
  });

  it('deletes by marking deleted; the campaign then 404s unless with_deleted=true', async () => {
    const del = await call('DELETE', `${path}/8wku3`);
    expect(del.body.data).toMatchObject({ id: '8wku3', deleted: true });
    expect((await call('GET', `${path}/8wku3`)).body.errors[0].code).toBe('NOT_FOUND');
    expect((await call('GET', `${path}/8wku3`, { query: { with_deleted: 'true' } })).body.data.deleted).toBe(true);
    expect((await call('DELETE', `${path}/8wku3`)).status).toBe(404);
    expect((await call('PUT', `${path}/8wku3`, { form: { name: 'x' } })).status).toBe(404);
    const list = await call('GET', path);
    expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain('8wku3');
    const all = await call('GET', path, { query: { with_deleted: 'true' } });
    expect(all.body.data.map((c: { id: string }) => c.id)).toContain('8wku3');
  });

  it('lists drafts only with with_draft=true', async () => {
    const draft = await call('POST', path, { form: { name: 'Draft', funding_instrument_id: '5aa0p', entity_status: 'DRAFT' } });
    const id = draft.body.data.id as string;
    expect((await call('GET', path)).body.data.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await call('GET', path, { query: { with_draft: 'true' } })).body.data.map((c: { id: string }) => c.id)).toContain(id);
  });
});

describe('X sandbox: line items', () => {
  const path = `/12/accounts/${ACCOUNT}/line_items`;
  const valid = { campaign_id: '8wku3', objective: 'WEBSITE_CLICKS', product_type: 'PROMOTED_TWEETS', placements: 'ALL_ON_TWITTER,TWITTER_SEARCH' };

  it('lists line items by campaign and carries the objective', async () => {
    const res = await call('GET', path, { query: { campaign_ids: '8wku2,8wku4' } });
    expect(res.body.data.map((l: { campaign_id: string; objective: string }) => [l.campaign_id, l.objective])).toEqual([['8wku2', 'WEBSITE_CLICKS'], ['8wku4', 'FOLLOWERS']]);
    expect(keysOf(res.body.data[0])).toEqual(expect.arrayContaining(['id', 'campaign_id', 'objective', 'product_type', 'placements', 'bid_strategy', 'currency', 'entity_status']));
  });

  it('creates, updates and deletes a line item with the platform rules', async () => {
    const created = await call('POST', path, { form: { ...valid, start_time: '2026-12-01', daily_budget_amount_local_micro: '5000000' } });
    expect(created.body.data).toMatchObject({ campaign_id: '8wku3', currency: 'USD', placements: ['ALL_ON_TWITTER', 'TWITTER_SEARCH'], start_time: '2026-12-01T00:00:00Z', bid_strategy: 'AUTO' });
    const id = created.body.data.id as string;
    const put = await call('PUT', `${path}/${id}`, { form: { entity_status: 'PAUSED', bid_strategy: 'TARGET', bid_amount_local_micro: '1200000' } });
    expect(put.body.data).toMatchObject({ entity_status: 'PAUSED', bid_strategy: 'TARGET', bid_amount_local_micro: 1_200_000 });
    expect((await call('DELETE', `${path}/${id}`)).body.data.deleted).toBe(true);
    expect((await call('GET', `${path}/${id}`)).status).toBe(404);
  });

  it.each([
    [{ ...valid, placements: undefined }, 'MISSING_PARAMETER', 'placements'],
    [{ ...valid, objective: 'SALES' }, 'INVALID_PARAMETER', 'objective'],
    [{ ...valid, campaign_id: '8wku2', objective: 'REACH' }, 'INVALID_PARAMETER', 'objective'],
    [{ ...valid, objective: 'FOLLOWERS', product_type: 'PROMOTED_ACCOUNT', bid_strategy: 'MAX', bid_amount_local_micro: '1000000' }, 'INVALID_PARAMETER', 'bid_strategy'],
    [{ ...valid, bid_strategy: 'MAX' }, 'MISSING_PARAMETER', 'bid_amount_local_micro'],
    [{ ...valid, start_time: '2026-12-02T00:00:00Z', end_time: '2026-12-01T00:00:00Z' }, 'INVALID_PARAMETER', 'end_time'],
    [{ ...valid, campaign_id: 'nope1' }, 'INVALID_PARAMETER', 'campaign_id'],
  ] as Array<[Record<string, string | undefined>, string, string]>)('refuses %j with %s on %s', async (form, code, parameter) => {
    const clean = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const res = await call('POST', path, { form: clean });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ code, parameter });
  });
});

describe('X sandbox: faults', () => {
  it('renders rate_limit as 429 TOO_MANY_REQUESTS with x-rate-limit-* (remaining 0, reset ahead)', async () => {
    sandbox.addFault({ platform: 'x', path: '/campaigns', times: 1, action: { type: 'rate_limit', resetInSec: 30 } });
    const res = await call('GET', `/12/accounts/${ACCOUNT}/campaigns`);
    expect(res.status).toBe(429);
    expect(res.body.errors[0]).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' });
    expect(res.headers.get('x-rate-limit-remaining')).toBe('0');
    const reset = Number(res.headers.get('x-rate-limit-reset'));
    expect(reset - Date.now() / 1000).toBeGreaterThan(27);
    expect(reset - Date.now() / 1000).toBeLessThan(32);
    expect(res.headers.get('x-current-api-version')).toBe('12');
    expect((await call('GET', `/12/accounts/${ACCOUNT}/campaigns`)).status).toBe(200);
  });

  it('renders rate_limit on /2/ as problem+json, and meta_throttle as a plain 429', async () => {
    sandbox.addFault({ platform: 'x', path: '/2/', times: 1, action: { type: 'rate_limit', resetInSec: 5 } });
    const v2 = await call('GET', '/2/tweets/1');
    expect(v2.status).toBe(429);
    expect(v2.headers.get('content-type')).toContain('application/problem+json');
    expect(v2.body).toMatchObject({ title: 'Too Many Requests', status: 429 });
    sandbox.addFault({ platform: 'x', times: 1, action: { type: 'meta_throttle', code: 17, regainInMinutes: 1 } });
    const throttled = await call('GET', '/12/accounts');
    expect(throttled.status).toBe(429);
    expect(throttled.body.errors[0].code).toBe('TOO_MANY_REQUESTS');
  });

  it('renders expired_token as 401 UNAUTHORIZED_ACCESS', async () => {
    sandbox.addFault({ platform: 'x', times: 1, action: { type: 'expired_token' } });
    const res = await call('GET', '/12/accounts');
    expect(res.status).toBe(401);
    expect(res.body.errors[0].code).toBe('UNAUTHORIZED_ACCESS');
  });

  it('refuses a token past its expiry', async () => {
    sandbox.state.mutate((s) => {
      (s.x as { credentials: Array<{ expiresAt?: string }> }).credentials[0]!.expiresAt = new Date(Date.now() - 1000).toISOString();
    });
    expect((await call('GET', '/12/accounts')).status).toBe(401);
  });

  it('passes an injected status with its raw body through unchanged', async () => {
    sandbox.addFault({ platform: 'x', path: '/campaigns', times: 1, action: { type: 'status', status: 502, body: '<html>bad gateway</html>', contentType: 'text/html' } });
    const res = await fetch(`${sandbox.url}/12/accounts/${ACCOUNT}/campaigns`);
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('bad gateway');
    expect(res.headers.get('x-transaction-id')).toBeTruthy();
  });
});
