/**
 * Graph API answers shared by the Page and Instagram routes: errors in Graph's envelope, the
 * `fields` parameter and edge lists with absolute paging links. A leaf (it imports no route
 * module), so pages.ts and instagram.ts both use it without importing each other.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { pageList as listPage } from './graph-list.js';

export function graphError(code: number, message: string, extra: Record<string, unknown> = {}, status = 400): SandboxResponse {
  return {
    status,
    body: { error: { message, type: code === 190 ? 'OAuthException' : 'GraphMethodException', code, fbtrace_id: randomBytes(8).toString('base64url'), ...extra } },
  };
}

export const missingObject = (id: string) =>
  graphError(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { error_subcode: 33 });

export function fieldsOf(req: SandboxRequest, fallback: string[]): string[] {
  return req.params.fields ? req.params.fields.split(',').map((f) => f.trim()).filter(Boolean) : fallback;
}

/** An edge list with absolute `paging.next` on the sandbox origin (REFERENCE §C.2). */
export function pageList<T>(req: SandboxRequest, items: T[], render: (t: T) => Record<string, unknown>): SandboxResponse {
  return listPage(req, items, render, { invalidCursor: () => graphError(100, '(#100) Invalid cursor') });
}
