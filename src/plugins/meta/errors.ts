/**
 * Classification of Meta failures for core's HTTP policy. The SDK throws `FacebookRequestError`
 * (not exported: recognised by name) whose `.response` is Graph's inner `error` object; with no
 * response at all it loses the cause, so the adapter hands in what its axios interceptor saw.
 * Its messages and URLs can hold the access token: every text goes through `redact`.
 */
import type { ClassifiedFailure } from '../../core/http-policy.js';
import { ADSET_SUBCODES } from './adset-errors.js';
import { accountResetMs, parseMetaUsage, regainMs } from './usage.js';

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

/**
 * How long Meta asks us to wait after a throttle: the business use case's regain time when it
 * gives one, else (for the ad-account codes 17 and 613) the seconds until the account's usage
 * resets; undefined leaves the wait to core's backoff.
 */
function throttleWaitMs(code: number, headers: unknown): number | undefined {
  const usage = parseMetaUsage(headers as Record<string, unknown> | undefined);
  return regainMs(usage) ?? (code === 17 || code === 613 ? accountResetMs(usage) : undefined);
}

/**
 * Instagram content-publishing subcodes (developers.facebook.com/docs/instagram-platform/
 * instagram-graph-api/reference/error-codes, read 2026-11). They arrive as `error_subcode` on a
 * Graph error, or inside a container's `status` when its `status_code` is ERROR. `retry` means the
 * docs say to try again with a new container.
 */
export const IG_ERRORS: Record<number, { meaning: string; hint: string; retry?: boolean }> = {
  2207001: { meaning: 'Instagram had a server error', hint: 'try again in a few minutes', retry: true },
  2207003: { meaning: 'Instagram took too long to download the media', hint: 'host the file somewhere faster or make it smaller, then try again', retry: true },
  2207004: { meaning: 'the image is too large (Instagram takes at most 8 MiB)', hint: 'resize or compress the image' },
  2207005: { meaning: 'the media format is not supported', hint: 'use a JPEG image, or an MP4/MOV video' },
  2207006: { meaning: 'the media was not found (possibly a permission problem or an expired token)', hint: 'check that the URL is public and run `adctl auth status`' },
  2207008: { meaning: 'the media container expired or does not exist', hint: 'run the command again: adctl makes a new container' },
  2207009: { meaning: 'the aspect ratio is not supported (Instagram takes 4:5 to 1.91:1)', hint: 'crop the image' },
  2207010: { meaning: 'the caption is too long or has too many hashtags (2,200 characters, 30 hashtags)', hint: 'shorten --text-instagram' },
  2207020: { meaning: 'the media container expired', hint: 'run the command again: adctl makes a new container', retry: true },
  2207023: { meaning: 'the media type is not one Instagram expects', hint: 'post one image or video per container, or 2–10 items as a carousel' },
  2207026: { meaning: 'the video format is not supported', hint: 'use an MP4 or MOV video (H.264, AAC audio), 3–90 seconds for reels' },
  2207027: { meaning: 'the media is not ready to publish yet', hint: 'wait a minute and run the command again', retry: true },
  2207032: { meaning: 'Instagram failed to create the media container', hint: 'try again', retry: true },
  2207042: { meaning: 'the account reached its Instagram publishing limit for the last 24 hours', hint: 'try again later; `content_publishing_limit` counts a moving 24 hours' },
  2207050: { meaning: 'the Instagram account is inactive, checkpointed or restricted', hint: 'sign in to the Instagram app and complete what it asks' },
  2207051: { meaning: 'Instagram suspects the post is spam', hint: 'change the content, or appeal in the Instagram app' },
  2207052: { meaning: 'Instagram could not fetch the media from the URL', hint: 'use a public https URL that answers without a login or redirect' },
  2207053: { meaning: 'an unknown upload error happened', hint: 'try again; adctl makes a new container', retry: true },
  2207057: { meaning: 'the thumbnail offset is outside the video', hint: 'use an offset within the video length' },
  // Reported by users for media Instagram accepted for download but could not transcode (not in the table above).
  2207082: { meaning: 'Instagram could not process the media file', hint: 're-encode it (JPEG image, or MP4/H.264 video) and try again' },
};

/** The Instagram subcode inside a container `status` such as "Error: … (error code 2207026)". */
export function igSubcodeOf(status: string | undefined): number | undefined {
  const m = /\b(2207\d{3})\b/.exec(status ?? '');
  return m ? Number(m[1]) : undefined;
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
  const ig = g.error_subcode !== undefined ? IG_ERRORS[g.error_subcode] : undefined;
  if (ig) {
    const quota = g.error_subcode === 2207042;
    return {
      // The publishing limit is a moving 24 hours: retrying within this command cannot help.
      ...base, kind: ig.retry && !quota ? 'server' : 'invalid', notApplied: true, code: quota ? 'IG_PUBLISHING_LIMIT' : 'IG_MEDIA_ERROR',
      message: one(`Instagram: ${ig.meaning} (error ${g.error_subcode})`), hint: ig.hint,
    };
  }
  if (code === 210) {
    return { ...base, kind: 'permission', notApplied: true, code: 'PAGE_TOKEN_REQUIRED', hint: 'this call needs the Page access token: check that your Meta login manages the Page (ADCTL_META_PAGE_ID) with `adctl auth status`' };
  }
  if (code === 506) return { ...base, kind: 'duplicate', notApplied: true, code: 'DUPLICATE_CONTENT', hint: 'Facebook refuses the same message twice in a row: change the text, or treat the earlier post as published' };
  if (code === 190 || code === 102) {
    return { ...base, kind: 'auth', notApplied: true, hint: 'the Meta token is invalid or expired: set a fresh ADCTL_META_ACCESS_TOKEN, then check with `adctl doctor`' };
  }
  if (code === 4 || code === 17 || code === 32 || code === 613 || (code !== undefined && code >= 80000 && code <= 80099)) {
    return { ...base, kind: 'rate_limited', notApplied: true, retryAfterMs: throttleWaitMs(code, err.headers) };
  }
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) return { ...base, kind: 'permission', notApplied: true };
  if ((code === 100 && g.error_subcode === 33) || status === 404) return { ...base, kind: 'not_found', notApplied: true };
  // Campaign and ad set ids share one namespace: asking an ad set for a campaign field (or the
  // reverse) is how Graph says "this id is not that kind of object".
  const wrongType = code === 100 ? /nonexisting field \(.+\) on node type \((\w+)\)/.exec(g.message ?? '') : null;
  if (wrongType) return { ...base, kind: 'not_found', notApplied: true, message: one(`Meta: the object is a${/^[AEIOU]/.test(wrongType[1]!) ? 'n' : ''} ${wrongType[1]}, not the kind asked for (${text})`) };
  const adSet = code === 100 && g.error_subcode !== undefined ? ADSET_SUBCODES[g.error_subcode] : undefined;
  if (adSet) return { ...base, kind: 'invalid', notApplied: true, code: adSet.code, hint: adSet.hint };
  if (code === 1 || code === 2 || g.is_transient || status >= 500) return { ...base, kind: 'server', notApplied: false };
  if (code === 100 || status === 400) return { ...base, kind: 'invalid', notApplied: true };
  return { ...base, kind: 'unknown', notApplied: false };
}
