/**
 * X OAuth 1.0a PIN flow (issue 3), the login the Ads API needs:
 * `POST /oauth/request_token` (oauth_callback=oob) → the user opens `/oauth/authorize?oauth_token=…`
 * and reads a PIN → `POST /oauth/access_token` with oauth_verifier=PIN → access token + secret.
 *
 * The three calls are RFC 5849 requests with HMAC-SHA1 signatures, signed here because they happen
 * before any adapter exists (services never import the SDK). Answers are form-encoded.
 * Neither call is retried: a request token is cheap to ask again, and a PIN is single use.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { AdctlError, ExitCode } from '../core/errors.js';
import type { Redactor } from '../core/redact.js';

export interface OAuth1Context {
  xApi: string;
  timeoutMs: number;
  redactor: Redactor;
}

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The Authorization header for one request (RFC 5849 §3.4.1); `params` are the request's query/form parameters. */
export function oauth1Header(method: string, url: string, consumer: { key: string; secret: string }, token: { key: string; secret: string } | undefined, extra: Record<string, string>, params: Record<string, string> = {}): string {
  const oauth: Record<string, string> = {
    oauth_consumer_key: consumer.key,
    oauth_nonce: randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
    ...(token ? { oauth_token: token.key } : {}),
    ...extra,
  };
  const u = new URL(url);
  const pairs = [...u.searchParams.entries(), ...Object.entries(params), ...Object.entries(oauth)]
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  const base = [method.toUpperCase(), enc(`${u.protocol}//${u.host}${u.pathname}`), enc(pairs.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
  oauth.oauth_signature = createHmac('sha1', `${enc(consumer.secret)}&${enc(token?.secret ?? '')}`).update(base).digest('base64');
  return `OAuth ${Object.entries(oauth).map(([k, v]) => `${enc(k)}="${enc(v)}"`).join(', ')}`;
}

async function post(ctx: OAuth1Context, path: string, authorization: string, what: string): Promise<URLSearchParams> {
  let res: Response;
  try {
    res = await fetch(`${ctx.xApi}${path}`, { method: 'POST', headers: { authorization }, signal: AbortSignal.timeout(ctx.timeoutMs), redirect: 'manual' });
  } catch (e) {
    throw new AdctlError('NETWORK', `X did not answer ${what} (${ctx.redactor.redact(e instanceof Error ? e.message : String(e))})`, ExitCode.TEMPORARY, { hint: 'check the network and ADCTL_X_API_URL, then run the login again' });
  }
  const text = await res.text();
  if (!res.ok) {
    const detail = ctx.redactor.redact(text.slice(0, 200).replace(/\s+/g, ' '));
    throw new AdctlError('AUTH_FAILED', `X refused ${what} (HTTP ${res.status}: ${detail})`, ExitCode.AUTH, {
      hint: res.status === 401 && /timestamp/i.test(text) ? 'the system clock is off (OAuth 1.0a allows a few minutes): fix it, check with `adctl doctor`, then run `adctl auth login --platform x` again'
        : 'check the app\'s consumer key and secret (--api-key-file, --api-secret-file), then run `adctl auth login --platform x` again',
    });
  }
  const out = new URLSearchParams(text);
  for (const k of ['oauth_token', 'oauth_token_secret']) ctx.redactor.add(out.get(k) ?? undefined);
  return out;
}

/** Step 1: a request token and the URL where the user gets a PIN. */
export async function requestToken(ctx: OAuth1Context, consumer: { key: string; secret: string }): Promise<{ token: { key: string; secret: string }; authorizeUrl: string }> {
  const auth = oauth1Header('POST', `${ctx.xApi}/oauth/request_token`, consumer, undefined, { oauth_callback: 'oob' });
  const r = await post(ctx, '/oauth/request_token', auth, 'the request token');
  const key = r.get('oauth_token');
  const secret = r.get('oauth_token_secret');
  if (!key || !secret || r.get('oauth_callback_confirmed') !== 'true') {
    throw new AdctlError('BAD_RESPONSE', 'X answered the request token call in an unexpected shape', ExitCode.TEMPORARY, { hint: 'retry; if it persists, report it' });
  }
  return { token: { key, secret }, authorizeUrl: `${ctx.xApi}/oauth/authorize?oauth_token=${encodeURIComponent(key)}` };
}

/** Step 3: trade the request token and PIN for the user's access token and secret. */
export async function accessToken(ctx: OAuth1Context, consumer: { key: string; secret: string }, request: { key: string; secret: string }, pin: string): Promise<{ accessToken: string; accessSecret: string; userId?: string; screenName?: string }> {
  const auth = oauth1Header('POST', `${ctx.xApi}/oauth/access_token`, consumer, request, { oauth_verifier: pin });
  const r = await post(ctx, '/oauth/access_token', auth, 'the PIN');
  const key = r.get('oauth_token');
  const secret = r.get('oauth_token_secret');
  if (!key || !secret) throw new AdctlError('BAD_RESPONSE', 'X answered the access token call in an unexpected shape', ExitCode.TEMPORARY, { hint: 'run the login again' });
  return { accessToken: key, accessSecret: secret, ...(r.get('user_id') ? { userId: r.get('user_id')! } : {}), ...(r.get('screen_name') ? { screenName: r.get('screen_name')! } : {}) };
}
