/**
 * Meta Graph batch requests in the sandbox (REFERENCE §C.10): `POST /<ver>/` with `batch` = a JSON
 * array of `{method, relative_url, body?, name?}`, at most 50 operations.
 *
 * Wire contract, as the platform:
 * - `relative_url` has no host and no version; `body` is a form string (the Node SDK leaves its
 *   values unencoded, so a body that does not decode is read as raw `k=v&…`).
 * - The answer is a JSON array in request order of `{code, headers:[{name,value}], body:"<JSON
 *   string>"}`; the outer status is 200 even when items fail. Operations are independent: one
 *   failing does not undo another.
 * - Each operation is authenticated with the batch's token and routed through the same Graph
 *   routes as a single request (meta/index.ts), so validation is identical.
 */
import type { PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { metaModule } from './index.js';
import { StateStore } from '../state.js';
import { SANDBOX_META } from '../credentials.js';

export const META_BATCH_MAX = 50;
const OWNS = /^\/v\d+\.\d+\/?$/;

/**
 * The Graph modules batch operations are routed through, in the server's order (ad sets, Pages,
 * … as well as campaigns). The server hands its module list over at start-up (`useGraphRoutes`).
 */
let ROUTES: PlatformModule[] = [metaModule];

export function useGraphRoutes(modules: PlatformModule[]): void {
  ROUTES = modules.filter((m) => m.id === 'meta' && m !== metaBatchModule);
}

interface Op { method?: unknown; relative_url?: unknown; body?: unknown }

function formParams(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = eq === -1 ? pair : pair.slice(0, eq);
    const v = eq === -1 ? '' : pair.slice(eq + 1);
    try {
      out[decodeURIComponent(k)] = decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      out[k] = v;
    }
  }
  return out;
}

async function handleBatch(req: SandboxRequest, ctx: Parameters<PlatformModule['handle']>[1]): Promise<SandboxResponse | undefined> {
  if (req.method !== 'POST' || req.params.batch === undefined) return undefined;
  const bad = (message: string): SandboxResponse => ({ status: 400, body: { error: { message: `(#100) ${message}`, type: 'GraphMethodException', code: 100, fbtrace_id: 'sandbox' } } });
  let ops: unknown;
  try {
    ops = JSON.parse(req.params.batch);
  } catch {
    return bad('The parameter batch must be a JSON array');
  }
  if (!Array.isArray(ops) || ops.length === 0) return bad('The parameter batch must be a non-empty JSON array');
  if (ops.length > META_BATCH_MAX) return bad(`Too many requests in batch message. Maximum batch size is ${META_BATCH_MAX}`);
  const version = req.path.split('/').filter(Boolean)[0]!;
  const out: unknown[] = [];
  for (const raw of ops as Op[]) {
    const method = typeof raw?.method === 'string' ? raw.method.toUpperCase() : 'GET';
    const rel = typeof raw?.relative_url === 'string' ? raw.relative_url.replace(/^\//, '') : '';
    const url = new URL(`/${version}/${rel}`, req.origin);
    const params: Record<string, string> = { ...Object.fromEntries(url.searchParams), ...(typeof raw?.body === 'string' ? formParams(raw.body) : {}) };
    // The batch's token (and proof) authenticate every operation that does not carry its own.
    params.access_token ??= req.params.access_token!;
    if (req.params.appsecret_proof !== undefined && params.appsecret_proof === undefined) params.appsecret_proof = req.params.appsecret_proof;
    const sub: SandboxRequest = { ...req, method, path: url.pathname, query: url.searchParams, params, json: undefined, rawBody: Buffer.alloc(0) };
    const mod = ROUTES.find((m) => m.owns(sub.path) && !OWNS.test(sub.path));
    let res: SandboxResponse | undefined;
    if (mod) {
      const auth = mod.authenticate(sub, ctx.state);
      res = 'error' in auth ? auth.error : await mod.handle(sub, ctx);
    }
    res ??= { status: 404, body: { error: { message: `Unknown path components: /${rel}`, type: 'OAuthException', code: 2500, fbtrace_id: 'sandbox' } } };
    out.push({ code: res.status, headers: [{ name: 'Content-Type', value: 'application/json; charset=UTF-8' }], body: typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? null) });
  }
  return { status: 200, body: out };
}

export const metaBatchModule: PlatformModule = {
  ...metaModule,
  owns: (path) => OWNS.test(path),
  handle: handleBatch,
};

/** Add `n` paused campaigns to the sandbox's JPY account in one state write (bench and bulk tests). Returns their ids. */
export function addMetaCampaigns(store: StateStore, n: number, prefix = 'Bulk'): string[] {
  return store.mutate((s) => {
    const meta = s.meta as unknown as { campaigns: Array<Record<string, unknown> & { id: string; account_id: string }> };
    const template = meta.campaigns.find((c) => c.account_id === SANDBOX_META.adAccountId.slice(4))!;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = `120219${String(StateStore.nextSeq(s)).padStart(9, '0')}`;
      meta.campaigns.push({ ...template, id, name: `${prefix} ${i + 1}`, status: 'PAUSED' });
      ids.push(id);
    }
    return ids;
  });
}
