/**
 * Classification of X failures (twitter-api-v2 errors and our own validation) for core's HTTP
 * policy. No policy here: only "what kind of failure is this".
 * twitter-api-v2 marks its errors with `type`: 'response' (HTTP ≥ 400), 'request' (the request
 * failed: refused, reset, timed out), 'partial-response' (the body was cut off or unreadable).
 */
import type { ClassifiedFailure } from '../../core/http-policy.js';

export class XResponseInvalid extends Error {
  override readonly name = 'XResponseInvalid';
}

interface AdsErrorBody {
  errors?: Array<{ code?: string | number; message?: string; parameter?: string }>;
  title?: string;
  detail?: string;
}

function header(headers: unknown, name: string): string | undefined {
  const v = (headers as Record<string, string | string[] | undefined> | undefined)?.[name];
  return Array.isArray(v) ? v[0] : v;
}

export function classifyXError(e: unknown, redact: (s: string) => string): ClassifiedFailure {
  const err = e as {
    type?: string; code?: number; headers?: unknown; data?: unknown; message?: string;
    _options?: { error?: { code?: string; message?: string }; response?: { headers?: unknown } };
  };
  if (e instanceof XResponseInvalid) {
    return { kind: 'malformed', message: redact(`X sent an unexpected response: ${e.message}`), notApplied: false };
  }
  if (err?.type === 'response' && typeof err.code === 'number') {
    const status = err.code;
    const body = (typeof err.data === 'object' && err.data ? err.data : {}) as AdsErrorBody;
    const first = body.errors?.[0];
    const requestId = header(err.headers, 'x-transaction-id');
    const text = first?.message ?? body.detail ?? body.title ?? (typeof err.data === 'string' && err.data.trim().startsWith('<') ? 'an HTML error page' : `HTTP ${status}`);
    const message = redact(`X: ${text}${first?.parameter ? ` (parameter ${first.parameter})` : ''}`).replace(/\s+/g, ' ');
    const base = { status, platformCode: first?.code, requestId, message };
    if (status === 429) {
      const reset = Number(header(err.headers, 'x-account-rate-limit-reset') ?? header(err.headers, 'x-rate-limit-reset'));
      const retryAfterMs = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
      return { ...base, kind: 'rate_limited', retryAfterMs, notApplied: true };
    }
    if (status === 401) return { ...base, kind: 'auth', notApplied: true, hint: 'X refused the credentials: check ADCTL_X_API_KEY, ADCTL_X_API_SECRET, ADCTL_X_ACCESS_TOKEN and ADCTL_X_ACCESS_SECRET, then run `adctl doctor`' };
    if (status === 403) return { ...base, kind: 'permission', notApplied: true };
    if (status === 404) return { ...base, kind: 'not_found', notApplied: true };
    if (status === 409) return { ...base, kind: 'conflict', notApplied: true };
    if (status === 400 || status === 422) return { ...base, kind: 'invalid', notApplied: true };
    if (status === 408) return { ...base, kind: 'timeout', notApplied: false };
    if (status >= 500) {
      // X's 503 may say when to come back (REFERENCE §B.4: the Python SDK reads retry-after).
      const after = Number(header(err.headers, 'retry-after'));
      return { ...base, kind: 'server', notApplied: false, ...(Number.isFinite(after) && after >= 0 ? { retryAfterMs: after * 1000 } : {}) };
    }
    return { ...base, kind: 'unknown', notApplied: false };
  }
  if (err?.type === 'partial-response') {
    // The response object is non-enumerable on the SDK error, like the request error (see below).
    const requestId = header(err._options?.response?.headers, 'x-transaction-id');
    return { kind: 'malformed', message: 'X sent a response that was cut off or could not be read', notApplied: false, requestId };
  }
  if (err?.type === 'request') {
    const inner = err._options?.error;
    const code = inner?.code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return { kind: 'network', message: `cannot reach X (${code})`, notApplied: true, hint: 'check the network and ADCTL_X_ADS_API_URL' };
    }
    if (/timeout/i.test(inner?.message ?? '') || code === 'ETIMEDOUT') {
      return { kind: 'timeout', message: 'X did not answer in time', notApplied: false, hint: 'raise --timeout or ADCTL_TIMEOUT if this keeps happening' };
    }
    return { kind: 'network', message: `the connection to X failed (${code ?? 'connection lost'})`, notApplied: false };
  }
  return { kind: 'unknown', message: redact(`X: ${e instanceof Error ? e.message : String(e)}`).split('\n')[0]!, notApplied: false };
}
