/**
 * Classification of Meta failures for core's HTTP policy. The SDK throws `FacebookRequestError`
 * (not exported: recognised by name) whose `.response` is Graph's inner `error` object; with no
 * response at all it loses the cause, so the adapter hands in what its axios interceptor saw.
 * Its messages and URLs can hold the access token: every text goes through `redact`.
 */
import type { ClassifiedFailure } from '../../core/http-policy.js';

export class MetaResponseInvalid extends Error {
  override readonly name = 'MetaResponseInvalid';
}

interface GraphError {
  message?: string; code?: number; error_subcode?: number; error_user_msg?: string; is_transient?: boolean; fbtrace_id?: string;
}

/** What the transport saw for the failed call: the HTTP status, or the socket error code. */
export interface TransportFacts {
  status?: number | undefined;
  errorCode?: string | undefined;
}

function header(headers: unknown, name: string): string | undefined {
  const h = headers as Record<string, unknown> | undefined;
  const v = h?.[name];
  return typeof v === 'string' ? v : undefined;
}

/** Minutes until access comes back, from the business-use-case usage header. */
function regainMs(headers: unknown): number | undefined {
  const raw = header(headers, 'x-business-use-case-usage');
  if (!raw) return undefined;
  try {
    const usage = JSON.parse(raw) as Record<string, Array<{ estimated_time_to_regain_access?: number }>>;
    const minutes = Math.max(0, ...Object.values(usage).flat().map((u) => u.estimated_time_to_regain_access ?? 0));
    return minutes > 0 ? minutes * 60_000 : undefined;
  } catch {
    return undefined;
  }
}

export function classifyMetaError(e: unknown, redact: (s: string) => string, facts: TransportFacts = {}): ClassifiedFailure {
  const one = (s: string) => redact(s).replace(/\s+/g, ' ').trim();
  if (e instanceof MetaResponseInvalid) return { kind: 'malformed', message: one(`Meta sent an unexpected response: ${e.message}`), notApplied: false };
  if (e instanceof SyntaxError) {
    // The SDK JSON-parses error bodies; an HTML error page ends here.
    const status = facts.status;
    if (status && status >= 500) return { kind: 'server', status, message: `Meta answered HTTP ${status} with a page that is not JSON`, notApplied: false };
    return { kind: 'malformed', status, message: 'Meta sent a response that is not JSON', notApplied: false };
  }
  const err = e as { name?: string; status?: number | null; response?: GraphError | null; headers?: unknown; message?: string };
  if (err?.name !== 'FacebookRequestError') {
    return { kind: 'unknown', message: one(`Meta: ${e instanceof Error ? e.message : String(e)}`).split('\n')[0]!, notApplied: false };
  }
  const g = err.response ?? undefined;
  const status = err.status ?? undefined;
  if (!status || !g) {
    const code = facts.errorCode;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return { kind: 'network', message: `cannot reach Meta (${code})`, notApplied: true, hint: 'check the network and ADCTL_META_GRAPH_URL' };
    }
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
      return { kind: 'timeout', message: 'Meta did not answer in time', notApplied: false, hint: 'raise --timeout or ADCTL_TIMEOUT if this keeps happening' };
    }
    return { kind: 'network', message: `the connection to Meta failed (${code ?? 'no response'})`, notApplied: false };
  }
  const code = g.code;
  const text = [g.message, g.error_user_msg].filter(Boolean).join(' — ') || `HTTP ${status}`;
  const base = { status, platformCode: code, requestId: g.fbtrace_id, message: one(`Meta: ${text}`) };
  if (code === 190 || code === 102) {
    return { ...base, kind: 'auth', notApplied: true, hint: 'the Meta token is invalid or expired: set a fresh ADCTL_META_ACCESS_TOKEN, then check with `adctl doctor`' };
  }
  if (code === 4 || code === 17 || code === 32 || code === 613 || (code !== undefined && code >= 80000 && code <= 80099)) {
    return { ...base, kind: 'rate_limited', notApplied: true, retryAfterMs: regainMs(err.headers) };
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) return { ...base, kind: 'permission', notApplied: true };
  if ((code === 100 && g.error_subcode === 33) || status === 404) return { ...base, kind: 'not_found', notApplied: true };
  if (code === 506) return { ...base, kind: 'duplicate', notApplied: true };
  if (code === 1 || code === 2 || g.is_transient || status >= 500) return { ...base, kind: 'server', notApplied: false };
  if (code === 100 || status === 400) return { ...base, kind: 'invalid', notApplied: true };
  return { ...base, kind: 'unknown', notApplied: false };
}
