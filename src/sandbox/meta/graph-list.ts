/**
 * Graph list answers, once for the Meta sandbox (REFERENCE §C.2): `limit` + opaque `after` cursors,
 * `{data, paging: {cursors, next}}` with an absolute `next` URL on the sandbox origin. A leaf module
 * (no sandbox imports) so any Meta route file can use it without an import cycle through index.ts.
 */
import type { SandboxRequest, SandboxResponse } from '../types.js';

export interface PageListOptions {
  /** The edge's largest `limit` (Graph caps most edges at 100; ads edges take up to 500). */
  maxLimit?: number;
  /** The path `next` points at, when it differs from the request's. */
  path?: string;
  /** The Graph error for a cursor that does not decode. */
  invalidCursor: () => SandboxResponse;
}

export function pageList<T>(req: SandboxRequest, items: T[], render: (t: T) => Record<string, unknown>, o: PageListOptions): SandboxResponse {
  const limit = Math.min(Math.max(Number(req.params.limit ?? 25) || 25, 1), o.maxLimit ?? 100);
  let start = 0;
  if (req.params.after) {
    const n = Number(Buffer.from(req.params.after, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) return o.invalidCursor();
    start = n;
  }
  const data = items.slice(start, start + limit).map(render);
  const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
  const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + data.length) } };
  if (start + limit < items.length) {
    const q = new URLSearchParams(req.query);
    q.set('after', cursor(start + limit));
    q.set('limit', String(limit));
    paging.next = `${req.origin}${o.path ?? req.path}?${q.toString()}`;
  }
  return { status: 200, body: { data, paging } };
}

/** A list parameter as Graph reads it: a JSON array (or one JSON value), else comma-separated. */
export function jsonList(v: string | undefined): unknown[] | undefined {
  if (v === undefined) return undefined;
  try {
    const parsed = JSON.parse(v) as unknown;
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return v.split(',');
  }
}
