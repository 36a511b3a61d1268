/**
 * X Ads batch endpoints in the sandbox (REFERENCE §B.7):
 * `POST /12/batch/accounts/:account_id/campaigns`, `…/line_items` and `…/targeting_criteria`.
 *
 * Wire contract, as the platform:
 * - JSON array body (`Content-Type: application/json`, not signed by OAuth 1.0a) of
 *   `{operation_type: "Create"|"Update"|"Delete", params:{…}}`; Update and Delete carry the entity
 *   id as `campaign_id` / `line_item_id`. At most 40 items; more is a request-level error.
 * - All or nothing: every item runs against a draft of the state; one failing item fails the whole
 *   batch (HTTP 400) with `operation_errors` indexed like the input (an array of errors per item,
 *   empty for items that were fine) and nothing is applied.
 * - Success mirrors the single-item shape with arrays: `{data:[…], request:[{params, operation_type}]}`.
 *
 * Each item is run through the same single-item routes (ads.ts), so validation is identical.
 */
import { StateStore } from '../state.js';
import type { PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { handleAds } from './ads.js';
import { adsError } from './errors.js';
import { xModule } from './index.js';
import { parseOAuthHeader } from './oauth1.js';
import { idFromSeq, servingFields, xOf } from './seed.js';
import { SANDBOX_X } from '../credentials.js';

export const X_BATCH_MAX = 40;
const OWNS = /^\/\d+\/batch\/accounts\/[^/]+\/(campaigns|line_items|targeting_criteria)$/;
const ID_PARAM: Record<string, string> = { campaigns: 'campaign_id', line_items: 'line_item_id', targeting_criteria: 'targeting_criterion_id' };
/** Targeting criteria batches take up to 500 items, and only Create and Delete (X docs). */
const MAX_ITEMS: Record<string, number> = { campaigns: X_BATCH_MAX, line_items: X_BATCH_MAX, targeting_criteria: 500 };
const DATA_TYPE: Record<string, string> = { campaigns: 'campaign', line_items: 'line_item', targeting_criteria: 'targeting_criterion' };
const METHOD: Record<string, string> = { Create: 'POST', Update: 'PUT', Delete: 'DELETE' };

interface Item { operation_type?: unknown; params?: unknown }

function handleBatch(req: SandboxRequest, store: StateStore, now: () => Date): SandboxResponse {
  const [, version, , , accountId, collection] = req.path.split('/') as [string, string, string, string, string, string];
  const echo = { account_id: accountId };
  if (req.method !== 'POST') return adsError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on batch endpoints`, echo);
  if (!String(req.headers['content-type'] ?? '').includes('application/json') || !Array.isArray(req.json)) {
    return adsError(400, 'INVALID_PARAMETER', 'batch requests take a JSON array body with Content-Type: application/json', echo);
  }
  const items = req.json as Item[];
  if (items.length === 0) return adsError(400, 'INVALID_PARAMETER', 'the batch is empty', echo);
  const max = MAX_ITEMS[collection]!;
  if (items.length > max) return adsError(400, 'INVALID_PARAMETER', `a batch takes at most ${max} items, got ${items.length}`, echo);
  const oauth = parseOAuthHeader(req.headers.authorization);
  const cred = xOf(store.read()).credentials.find((c) => c.apiKey === oauth?.oauth_consumer_key && c.accessToken === oauth?.oauth_token);
  if (!cred) return adsError(401, 'UNAUTHORIZED_ACCESS', 'Invalid or expired token');

  return store.mutate((state) => {
    // All or nothing: items run against the real state, and on any failure the touched entities,
    // the created ones and the id counter are put back as they were. (Cheaper than a full draft
    // copy per batch; the sandbox handles one request at a time, so nothing else sees the interim.)
    const x = xOf(state);
    const list = collection === 'campaigns' ? x.campaigns : collection === 'line_items' ? x.lineItems : (x.targetingCriteria ??= []);
    const ids = new Set(items.map((it) => String((it?.params as Record<string, unknown> | undefined)?.[ID_PARAM[collection]!] ?? '')));
    const before = new Map<object, string>();
    for (const e of list as Array<{ id: string }>) if (ids.has(e.id)) before.set(e, JSON.stringify(e));
    const length = list.length;
    const seq = state.seq;
    const mem = new StateStore(undefined, () => state);
    const data: unknown[] = [];
    const echoes: unknown[] = [];
    const errors: unknown[][] = [];
    let failed = false;
    items.forEach((item, i) => {
      const op = typeof item?.operation_type === 'string' ? item.operation_type : '';
      const params = item?.params && typeof item.params === 'object' && !Array.isArray(item.params) ? (item.params as Record<string, unknown>) : undefined;
      if (!METHOD[op] || !params || (collection === 'targeting_criteria' && op === 'Update')) {
        const ops = collection === 'targeting_criteria' ? 'Create or Delete' : 'Create, Update or Delete';
        errors.push([{ code: 'INVALID_PARAMETER', message: `item ${i}: operation_type must be ${ops}, with params`, parameter: 'operation_type' }]);
        failed = true;
        return;
      }
      const p: Record<string, string> = {};
      for (const [k, v] of Object.entries(params)) p[k] = typeof v === 'string' ? v : JSON.stringify(v);
      const id = p[ID_PARAM[collection]!];
      if (op !== 'Create' && !id) {
        errors.push([{ code: 'MISSING_PARAMETER', message: `"${ID_PARAM[collection]}" is a required parameter`, parameter: ID_PARAM[collection] }]);
        failed = true;
        return;
      }
      delete p[ID_PARAM[collection]!];
      const path = `/${version}/accounts/${accountId}/${collection}${op === 'Create' ? '' : `/${id}`}`;
      const sub: SandboxRequest = { ...req, method: METHOD[op]!, path, query: new URLSearchParams(), params: p, json: undefined, rawBody: Buffer.alloc(0) };
      const res = handleAds(sub, { state: mem, now, cred });
      const body = res?.body as { data?: unknown; errors?: unknown[] } | undefined;
      if (!res || res.status >= 400) {
        errors.push(body?.errors ?? [{ code: 'NOT_FOUND', message: `no route for ${op}` }]);
        failed = true;
        return;
      }
      errors.push([]);
      data.push(body?.data);
      echoes.push({ params: { ...params, account_id: accountId }, operation_type: op });
    });
    if (failed) {
      for (const [e, json] of before) {
        for (const k of Object.keys(e)) delete (e as Record<string, unknown>)[k];
        Object.assign(e, JSON.parse(json));
      }
      list.length = length;
      state.seq = seq;
      return { status: 400, body: { errors: [], operation_errors: errors, request: items.map((it) => ({ params: { ...(it?.params as object), account_id: accountId }, operation_type: it?.operation_type })) } };
    }
    return { status: 200, body: { data_type: DATA_TYPE[collection], data, request: echoes } };
  });
}

export const xBatchModule: PlatformModule = {
  ...xModule,
  owns: (path) => OWNS.test(path),
  async handle(req, ctx) {
    return handleBatch(req, ctx.state, ctx.now);
  },
};

/**
 * Add `n` paused campaigns to the sandbox account in one state write (bench and bulk tests: the
 * sandbox refuses more than 200 active campaigns per account, so they are created paused).
 * Returns their ids.
 */
export function addXCampaigns(store: StateStore, n: number, prefix = 'Bulk'): string[] {
  return store.mutate((s) => {
    const x = xOf(s);
    const template = x.campaigns.find((c) => c.account_id === SANDBOX_X.adsAccountId)!;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = idFromSeq(StateStore.nextSeq(s));
      x.campaigns.push({ ...template, id, name: `${prefix} ${i + 1}`, entity_status: 'PAUSED', ...servingFields('PAUSED', false), deleted: false });
      ids.push(id);
    }
    return ids;
  });
}
