/**
 * Classification of X failures (twitter-api-v2 errors and our own validation) for core's HTTP
 * policy. No policy here: only "what kind of failure is this".
 * twitter-api-v2 marks its errors with `type`: 'response' (HTTP ≥ 400), 'request' (the request
 * failed: refused, reset, timed out), 'partial-response' (the body was cut off or unreadable).
 */
import type { ClassifiedFailure } from '../../core/http-policy.js';
import { lineItemError } from './line-item-errors.js';

export class XResponseInvalid extends Error {
  override readonly name = 'XResponseInvalid';
}

interface AdsErrorBody {
  errors?: Array<{ code?: string | number; message?: string; parameter?: string }>;
  title?: string;
  detail?: string;
  type?: string;
  reason?: string;
}

const TIER_HINT = 'your X developer app\'s access level does not include this endpoint: attach the app to a Project with a plan that includes posting (developer.x.com → Projects & Apps), then try again';

/**
 * X API v2 refusals that are about the developer account, not the request (issue 5): the app is
 * not enrolled in a Project (`reason: client-not-enrolled`), its tier covers only "a subset of X API
 * V2 endpoints" (v1-style code 453), or its pay-per-use credits ran out (HTTP 402). And X's
 * "duplicate content" 403, typed DUPLICATE_CONTENT so the posts ledger counts it as published.
 */
function classifyV2Refusal(status: number, body: AdsErrorBody, text: string): Pick<ClassifiedFailure, 'kind' | 'hint' | 'code' | 'message'> | undefined {
  const all = `${text} ${body.type ?? ''} ${body.reason ?? ''} ${body.title ?? ''}`;
  if (status === 403 && /duplicate content/i.test(all)) {
    return { kind: 'duplicate', code: 'DUPLICATE_CONTENT', message: 'X: this text was already posted from this account (X refuses duplicate posts)', hint: 'change the text, or treat the earlier post as the published one (`adctl post list --channel x`)' };
  }
  if (status === 402) {
    return { kind: 'permission', code: 'X_CREDITS_DEPLETED', message: `X: payment required: ${text}`, hint: 'the X developer account has no API credits left for this endpoint: add credits or change plan in the developer portal, then retry' };
  }
  if (status === 403 && (/client-not-enrolled|client-forbidden|subset of (X|Twitter) API V2|different access level/i.test(all) || body.errors?.some((e) => String(e.code) === '453'))) {
    return { kind: 'permission', code: 'X_ACCESS_TIER', message: `X: the developer app's access level does not allow this call (${body.reason ?? body.title ?? 'subset of endpoints'})`, hint: TIER_HINT };
  }
  return undefined;
}

function header(headers: unknown, name: string): string | undefined {
  const v = (headers as Record<string, string | string[] | undefined> | undefined)?.[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Which credential a request carried, so a 401's hint names the fix for that kind: OAuth 1.0a (the
 * ADCTL_X_* variables or a PIN login), an OAuth 2.0 user token (a PKCE login), or an OAuth 2.0
 * token sent to the Ads API, which takes only OAuth 1.0a.
 */
export type XAuthKind = 'oauth1' | 'oauth2' | 'oauth2-ads';

const UNAUTHORIZED_HINT: Record<XAuthKind, string> = {
  oauth1: 'X refused the OAuth 1.0a credentials: check ADCTL_X_API_KEY, ADCTL_X_API_SECRET, ADCTL_X_ACCESS_TOKEN and ADCTL_X_ACCESS_SECRET (a stored profile: `adctl auth login --platform x --flow pin`), then run `adctl doctor`',
  oauth2: 'X refused the OAuth 2.0 user token (expired or revoked): run `adctl auth login --platform x --flow pkce`, then `adctl doctor`',
  'oauth2-ads': 'the X Ads API takes only OAuth 1.0a user tokens and these credentials hold only an OAuth 2.0 token: run `adctl auth login --platform x --flow pin` to add them, then `adctl doctor`',
};

export function classifyXError(e: unknown, redact: (s: string) => string, auth: XAuthKind = 'oauth1'): ClassifiedFailure {
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
    const refusal = classifyV2Refusal(status, body, text);
    if (refusal) return { ...base, ...refusal, message: redact(refusal.message ?? message), notApplied: true };
    if (status === 429) {
      const reset = Number(header(err.headers, 'x-account-rate-limit-reset') ?? header(err.headers, 'x-rate-limit-reset'));
      const retryAfterMs = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
      return { ...base, kind: 'rate_limited', retryAfterMs, notApplied: true };
    }
    if (status === 401) return { ...base, kind: 'auth', notApplied: true, hint: UNAUTHORIZED_HINT[auth] };
    if (status === 403) return { ...base, kind: 'permission', notApplied: true };
    if (status === 404) return { ...base, kind: 'not_found', notApplied: true };
    if (status === 409) return { ...base, kind: 'conflict', notApplied: true };
    if (status === 400 || status === 422) return { ...base, kind: 'invalid', notApplied: true, ...lineItemError(first) };
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
