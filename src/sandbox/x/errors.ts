/**
 * X error bodies as the platforms send them: the Ads API envelope
 * `{errors:[{code,message,parameter?}], request:{params}}` (REFERENCE §B.4) and X API v2
 * problem+json (§A.5).
 */
import type { SandboxRequest, SandboxResponse } from '../types.js';

export function adsError(status: number, code: string, message: string, params: Record<string, unknown> = {}, parameter?: string): SandboxResponse {
  return { status, body: { errors: [{ code, message, ...(parameter ? { parameter } : {}) }], request: { params } } };
}

export function problem(status: number, slug: string, title: string, detail: string): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: `https://api.x.com/2/problems/${slug}`, title, detail, status },
  };
}

export const isV2 = (path: string) => path.startsWith('/2/');

/** The error X would send for a bare HTTP status on this path (unknown routes, injected faults). */
export function statusError(req: SandboxRequest, status: number): SandboxResponse {
  if (isV2(req.path)) {
    if (status === 404) return problem(404, 'resource-not-found', 'Not Found Error', `Could not find ${req.method} ${req.path}`);
    if (status === 401) return problem(401, 'not-authorized-for-resource', 'Unauthorized', 'Unauthorized');
    if (status === 403) return problem(403, 'client-forbidden', 'Forbidden', 'You are not permitted to perform this action.');
    // X sends its v2 429 as a bare about:blank problem (REFERENCE §A.5).
    if (status === 429) return { status: 429, headers: { 'content-type': 'application/problem+json' }, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 } };
    if (status >= 500) return problem(status, 'internal-error', 'Internal Error', 'Something went wrong');
    return problem(status, 'invalid-request', 'Invalid Request', 'One or more parameters to your request was invalid.');
  }
  switch (status) {
    case 400: return adsError(400, 'INVALID_PARAMETER', 'Invalid request');
    case 401: return adsError(401, 'UNAUTHORIZED_ACCESS', 'This request is not properly authenticated');
    case 403: return adsError(403, 'ACTION_NOT_ALLOWED', 'This action is not allowed for this user');
    case 404: return adsError(404, 'ROUTE_NOT_FOUND', `The requested resource could not be found: ${req.method} ${req.path}`);
    case 405: return adsError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}`);
    case 408: return adsError(408, 'CANCELLED_REQUEST', 'The request was cancelled');
    case 423: return adsError(423, 'LOCK_ACQUISITION_TIMEOUT', 'Another request is changing this entity; try again');
    case 429: return adsError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded');
    case 503: return adsError(503, 'SERVICE_UNAVAILABLE', 'Service unavailable');
    default:
      if (status >= 500) return adsError(status, 'INTERNAL_ERROR', 'Internal error');
      return adsError(status, 'INVALID_PARAMETER', 'Invalid request');
  }
}
