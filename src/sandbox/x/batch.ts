/**
 * X Ads batch endpoints in the sandbox (REFERENCE §B.7):
 * `POST /12/batch/accounts/:account_id/campaigns` and `…/line_items`.
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
import { xOf } from './seed.js';

export const X_BATCH_MAX = 40;
const OWNS = /^\/\d+\/batch\/accounts\/[^/]+\/(campaigns|line_items)$/;
const ID_PARAM: Record<string, string> = { campaigns: 'campaign_id', line_items: 'line_item_id' };
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
  if (items.length > X_BATCH_MAX) return adsError(400, 'INVALID_PARAMETER', `a batch takes at most ${X_BATCH_MAX} items, got ${items.length}`, echo);
  const oauth = parseOAuthHeader(req.headers.authorization);
  const cred = xOf(store.read()).credentials.find((c) => c.apiKey === oauth?.oauth_consumer_key && c.accessToken === oauth?.oauth_token);
  if (!cred) return adsError(401, 'UNAUTHORIZED_ACCESS', 'Invalid or expired token');

  return store.mutate((state) => {
    // A draft: the batch is all or nothing, so nothing touches the real state until every item passed.
    const draft = structuredClone(state);
    const mem = new StateStore(undefined, () => draft);
    const data: unknown[] = [];
    const echoes: unknown[] = [];
    const errors: unknown[][] = [];
    let failed = false;
    items.forEach((item, i) => {
      const op = typeof item?.operation_type === 'string' ? item.operation_type : '';
      const params = item?.params && typeof item.params === 'object' && !Array.isArray(item.params) ? (item.params as Record<string, unknown>) : undefined;
      if (!METHOD[op] || !params) {
        errors.push([{ code: 'INVALID_PARAMETER', message: `item ${i}: operation_type must be Create, Update or Delete, with params`, parameter: 'operation_type' }]);
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
      return { status: 400, body: { errors: [], operation_errors: errors, request: items.map((it) => ({ params: { ...(it?.params as object), account_id: accountId }, operation_type: it?.operation_type })) } };
    }
    Object.assign(state, draft);
    return { status: 200, body: { data_type: collection === 'campaigns' ? 'campaign' : 'line_item', data, request: echoes } };
  });
}

export const xBatchModule: PlatformModule = {
  ...xModule,
  owns: (path) => OWNS.test(path),
  async handle(req, ctx) {
    return handleBatch(req, ctx.state, ctx.now);
  },
};
