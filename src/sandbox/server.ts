/**
 * The sandbox HTTP server: a wire-level emulator of the X and Meta APIs on 127.0.0.1.
 *
 * Platform behaviour lives in `./x/` and `./meta/`; this file parses requests, applies injected
 * faults, records every request, dispatches by path and serves the control endpoints under
 * `/__sandbox/` (requests, faults, reset, status) used by tests and by users' own CI.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { StateStore, type SandboxState } from './state.js';
import type {
  Fault, FaultSpec, SandboxLimit, PlatformModule, RecordedRequest, SandboxPlatform, SandboxRequest, SandboxResponse,
} from './types.js';
import { xModule } from './x/index.js';
import { metaModule } from './meta/index.js';
import { addCredentialSet, type CredentialSet } from './credential-sets.js';
import { metaAuthModule } from './meta/auth.js';
import { xPostsModule } from './x/posts.js';
import { metaPostsModule } from './meta/pages.js';
import { xBatchModule } from './x/batch.js';
import { metaBatchModule, useGraphRoutes } from './meta/batch.js';
import { xAuthControl, xAuthModule } from './x/auth.js';
import { xStatsDownloadModule, xStatsModule } from './x/stats.js';
import { metaInsightsModule } from './meta/insights.js';
import { metaAdSetsModule } from './meta/adsets.js';
import { setSchedule, spendControl, type SpendSegment } from './spend.js';
import { createMetaUsage, type MetaUsageLimits } from './meta/usage.js';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Persist state here; omit for in-memory state. */
  stateFile?: string;
  /** Clock override for deterministic tests (also settable later: `setClock`, `POST /__sandbox/clock`). */
  now?: () => Date;
  /** Cap on recorded requests kept in memory. */
  maxRecorded?: number;
  /** Enforce request limits like the platforms do (only for platforms whose module counts). */
  limits?: Partial<Record<SandboxPlatform, SandboxLimit>>;
}

export interface SandboxServer {
  url: string;
  port: number;
  state: StateStore;
  /** Every request received, in order (control endpoints excluded). */
  requests: RecordedRequest[];
  addFault(spec: FaultSpec): Fault;
  clearFaults(): void;
  faults(): Fault[];
  reset(): void;
  /** Set or clear a platform's request limit; counters restart. */
  setLimit(platform: SandboxPlatform, limit: SandboxLimit | null): void;
  /** Meta's usage allowances (app, ad account, business use case; meta/usage.ts); null lifts them. */
  setMetaUsage(limits: MetaUsageLimits | null): void;
  /** Requests refused because a limit was already spent. */
  overLimit(): number;
  /** Accept one more credential set (tests: two profiles, expiring tokens); see credential-sets.ts. */
  addCredentials(set: CredentialSet): void;
  /** Fix the sandbox clock (spend "by now", report runs); null follows the real clock again. */
  setClock(now: Date | string | null): void;
  /** Replace a platform's delivery schedule (spend.ts); null restores the seeded one. */
  setSpend(platform: SandboxPlatform, schedule: SpendSegment[] | null): void;
  close(): Promise<void>;
}

/** First match wins: the auth routes sit before the platform modules they wrap. */
const MODULES: PlatformModule[] = [xAuthModule, metaAuthModule, xPostsModule, metaPostsModule, xBatchModule, metaBatchModule, xStatsModule, xStatsDownloadModule, metaInsightsModule, metaAdSetsModule, xModule, metaModule];
useGraphRoutes(MODULES);
const MAX_BODY = 64 * 1024 * 1024;

export function seedState(now: Date): SandboxState {
  return { version: 1, seq: 1000, x: xModule.seed(now) as Record<string, unknown>, meta: metaModule.seed(now) as Record<string, unknown> };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxServer> {
  let clock = options.now;
  const now = () => (clock ? clock() : new Date());
  const setClock = (at: Date | string | null) => {
    const fixed = at === null ? undefined : new Date(at);
    clock = fixed ? () => new Date(fixed.getTime()) : undefined;
  };
  const state = new StateStore(options.stateFile, () => seedState(now()));
  const requests: RecordedRequest[] = [];
  const maxRecorded = options.maxRecorded ?? 10_000;
  let faults: Fault[] = [];
  let faultSeq = 0;
  let seq = 0;
  const sockets = new Set<Socket>();
  const limits = new Map<SandboxPlatform, SandboxLimit>(Object.entries(options.limits ?? {}) as Array<[SandboxPlatform, SandboxLimit]>);
  const counters = new Map<string, { count: number; resetAtSec: number }>();
  let refused = 0;
  const metaUsage = createMetaUsage();

  /** Spend one unit of the request's counter; undefined when no limit applies. */
  function spend(mod: PlatformModule, req: SandboxRequest, identity: string): { ok: boolean; limit: number; remaining: number; resetAtSec: number } | undefined {
    const limit = limits.get(mod.id);
    if (!limit || !mod.limitKey) return undefined;
    const key = `${mod.id}|${identity}|${mod.limitKey(req)}`;
    const nowSec = Date.now() / 1000;
    let c = counters.get(key);
    if (!c || nowSec >= c.resetAtSec) {
      // Windows end on whole seconds, as the platforms' epoch-second reset headers do.
      c = { count: 0, resetAtSec: Math.ceil(nowSec) + limit.windowSec };
      counters.set(key, c);
    }
    if (c.count >= limit.max) return { ok: false, limit: limit.max, remaining: 0, resetAtSec: c.resetAtSec };
    c.count += 1;
    return { ok: true, limit: limit.max, remaining: limit.max - c.count, resetAtSec: c.resetAtSec };
  }

  const addFault = (spec: FaultSpec): Fault => {
    const f: Fault = { ...spec, id: ++faultSeq, hits: 0 };
    faults.push(f);
    return f;
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        send(res, { status: 500, body: { sandbox_error: err instanceof Error ? err.message : String(err) } });
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const req = await parseRequest(raw, origin);

    if (req.path.startsWith('/__sandbox/')) {
      send(res, control(req));
      return;
    }

    const mod = MODULES.find((m) => m.owns(req.path));
    const record: RecordedRequest = {
      seq: ++seq,
      at: now().toISOString(),
      platform: mod?.id ?? 'unknown',
      method: req.method,
      path: req.path,
      query: Object.fromEntries(req.query),
      params: req.params,
      json: req.json,
      identity: null,
      status: 0,
    };
    requests.push(record);
    if (requests.length > maxRecorded) requests.shift();

    if (!mod) {
      record.status = 404;
      send(res, { status: 404, body: { error: `no sandbox route for ${req.method} ${req.path}` } });
      return;
    }

    const fault = takeFault(mod.id, req);
    if (fault) {
      record.fault = fault.action.type;
      const a = fault.action;
      if (a.type === 'latency') {
        await new Promise((r) => setTimeout(r, a.ms));
      } else if (a.type === 'drop') {
        record.status = -1;
        raw.socket.destroy();
        return;
      } else if (a.type === 'hang') {
        record.status = -1;
        return; // the socket is destroyed on close()
      } else if (a.type !== 'drop_after_apply' && a.type !== 'slow_processing' && a.type !== 'date_skew') {
        const r = a.type === 'status' ? rawStatus(a) : mod.faultResponse(a, req);
        record.status = r.status;
        send(res, { ...r, headers: { ...mod.commonHeaders(req), ...r.headers } });
        return;
      }
    }

    const auth = mod.authenticate(req, state);
    if ('error' in auth) {
      record.status = auth.error.status;
      send(res, { ...auth.error, headers: { ...mod.commonHeaders(req), ...auth.error.headers } });
      return;
    }
    record.identity = auth.identity;

    const spent = spend(mod, req, auth.identity);
    const limitHeaders = spent && mod.limitHeaders ? mod.limitHeaders(spent.limit, spent.remaining, spent.resetAtSec) : {};
    if (spent && !spent.ok) {
      refused += 1;
      record.fault = 'limit';
      const r = mod.faultResponse({ type: 'rate_limit', resetInSec: Math.max(0, Math.ceil(spent.resetAtSec - Date.now() / 1000)) }, req);
      record.status = r.status;
      send(res, { ...r, headers: { ...mod.commonHeaders(req), ...r.headers, ...limitHeaders } });
      return;
    }

    const usage = mod.id === 'meta' ? metaUsage.spend(req, Date.now()) : undefined;
    if (usage?.refusal) {
      refused += 1;
      record.fault = 'limit';
      record.status = usage.refusal.status;
      send(res, { ...usage.refusal, headers: { ...mod.commonHeaders(req), ...usage.refusal.headers } });
      return;
    }

    const out = (await mod.handle(req, { state, now, fault: fault?.action })) ?? mod.faultResponse({ type: 'status', status: 404 }, req);
    record.status = out.status;
    if (fault?.action.type === 'drop_after_apply') {
      record.status = -1;
      raw.socket.destroy();
      return;
    }
    const skew: Record<string, string> = fault?.action.type === 'date_skew' ? { date: new Date(Date.now() + fault.action.seconds * 1000).toUTCString() } : {};
    send(res, { ...out, headers: { ...mod.commonHeaders(req), ...out.headers, ...limitHeaders, ...usage?.headers, ...skew } });
  }

  const dice = new Map<number, () => number>();
  /** A probabilistic fault rolls its own seeded dice for each matching request. */
  const rolls = (f: Fault) => {
    if (f.probability === undefined) return true;
    let roll = dice.get(f.id);
    if (!roll) dice.set(f.id, (roll = seeded(f.seed ?? f.id)));
    return roll() < f.probability;
  };

  function takeFault(platform: SandboxPlatform, req: SandboxRequest): Fault | undefined {
    const f = faults.find((x) => matches(x, platform, req) && rolls(x));
    if (!f) return undefined;
    f.hits += 1;
    if (f.times !== undefined && f.hits >= f.times) faults = faults.filter((x) => x !== f);
    return f;
  }

  function control(req: SandboxRequest): SandboxResponse {
    const what = req.path.slice('/__sandbox/'.length);
    const xAuth = xAuthControl(what, req, state);
    if (xAuth) return xAuth;
    const spendOrClock = spendControl(what, req, state, { get: now, set: setClock });
    if (spendOrClock) return spendOrClock;
    if (what === 'requests' && req.method === 'GET') return { status: 200, body: { data: requests } };
    if (what === 'requests' && req.method === 'DELETE') {
      requests.length = 0;
      return { status: 200, body: { ok: true } };
    }
    if (what === 'faults' && req.method === 'GET') return { status: 200, body: { data: faults } };
    if (what === 'faults' && req.method === 'POST') return { status: 201, body: { data: addFault(req.json as FaultSpec) } };
    if (what === 'faults' && req.method === 'DELETE') {
      faults = [];
      return { status: 200, body: { ok: true } };
    }
    if (what === 'reset' && req.method === 'POST') {
      state.reset();
      return { status: 200, body: { ok: true } };
    }
    if (what === 'credentials' && req.method === 'POST') {
      try {
        addCredentialSet(state, req.json);
      } catch (e) {
        return { status: 400, body: { error: e instanceof Error ? e.message.split('\n')[0] : 'invalid credential set' } };
      }
      return { status: 201, body: { ok: true } };
    }
    if (what === 'status' && req.method === 'GET') {
      return { status: 200, body: { ok: true, stateFile: state.file ?? null, requests: requests.length, faults: faults.length } };
    }
    return { status: 404, body: { error: `unknown control endpoint ${req.method} ${req.path}` } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    requests,
    addFault,
    clearFaults: () => { faults = []; },
    faults: () => faults,
    reset: () => state.reset(),
    setLimit: (platform, limit) => {
      if (limit) limits.set(platform, limit);
      else limits.delete(platform);
      counters.clear();
    },
    setMetaUsage: (limits) => metaUsage.set(limits),
    overLimit: () => refused,
    addCredentials: (set) => addCredentialSet(state, set),
    setClock,
    setSpend: (platform, schedule) => setSchedule(state, platform, schedule),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A small LCG: enough to make fault choices repeatable; not for anything secret. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function matches(f: Fault, platform: SandboxPlatform, req: SandboxRequest): boolean {
  if (f.platform && f.platform !== platform) return false;
  if (f.method && f.method.toUpperCase() !== req.method) return false;
  if (f.path) {
    if (f.path.length > 2 && f.path.startsWith('/') && f.path.endsWith('/')) {
      if (!new RegExp(f.path.slice(1, -1)).test(req.path)) return false;
    } else if (!req.path.includes(f.path)) return false;
  }
  return true;
}

function rawStatus(a: { status: number; body?: unknown; contentType?: string; headers?: Record<string, string> }): SandboxResponse {
  const headers: Record<string, string> = { ...a.headers };
  if (a.contentType) headers['content-type'] = a.contentType;
  return { status: a.status, headers, body: a.body ?? '' };
}

function send(res: ServerResponse, r: SandboxResponse): void {
  const headers: Record<string, string> = { ...r.headers };
  let payload: Buffer;
  if (Buffer.isBuffer(r.body)) payload = r.body;
  else if (typeof r.body === 'string') payload = Buffer.from(r.body);
  else if (r.body === undefined) payload = Buffer.alloc(0);
  else {
    payload = Buffer.from(JSON.stringify(r.body));
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(payload.length);
  res.writeHead(r.status, headers);
  res.end(payload);
}

async function parseRequest(raw: IncomingMessage, origin: string): Promise<SandboxRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of raw) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(c as Buffer);
  }
  const rawBody = Buffer.concat(chunks);
  const url = new URL(raw.url ?? '/', origin);
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  const files: SandboxRequest['files'] = {};
  const type = String(raw.headers['content-type'] ?? '').toLowerCase();
  let json: unknown = undefined;
  if (rawBody.length > 0) {
    if (type.includes('application/json')) {
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        json = undefined;
      }
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
          params[k] = typeof v === 'string' ? v : JSON.stringify(v);
        }
      }
    } else if (type.includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(rawBody.toString('utf8'))) params[k] = v;
    } else if (type.includes('multipart/form-data')) {
      const boundary = /boundary=("?)([^";]+)\1/.exec(String(raw.headers['content-type']))?.[2];
      if (boundary) parseMultipart(rawBody, boundary, params, files);
    }
  }
  return {
    method: (raw.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: raw.headers,
    rawBody,
    json,
    params,
    files,
    origin,
  };
}

function parseMultipart(body: Buffer, boundary: string, params: Record<string, string>, files: SandboxRequest['files']): void {
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  while (pos !== -1) {
    const start = pos + delim.length;
    if (body.slice(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delim, start);
    if (next === -1) break;
    const part = body.slice(start + 2, next - 2); // skip CRLF after delimiter and before next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const head = part.slice(0, headerEnd).toString('utf8');
      const data = part.slice(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const ctype = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
      if (name !== undefined) {
        if (filename !== undefined) files[name] = { filename, contentType: ctype, data };
        else params[name] = data.toString('utf8');
      }
    }
    pos = next;
  }
}
