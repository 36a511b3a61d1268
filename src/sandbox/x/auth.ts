/**
 * X auth endpoints in the sandbox (issue 3), per wire/REFERENCE.md §A.8:
 *
 * - OAuth 1.0a PIN flow: `POST /oauth/request_token` (signed with the consumer key only,
 *   `oauth_callback=oob`), `GET /oauth/authorize?oauth_token=…` (auto-approves and shows the PIN in
 *   an HTML page, as x.com does), `POST /oauth/access_token` (signed with the request token,
 *   `oauth_verifier=PIN`). Answers are form-encoded. The new access token is a full credential:
 *   it works on the Ads API with the consumer key's accounts.
 * - OAuth 2.0: `GET /i/oauth2/authorize` (auto-approves: 302 to the loopback redirect with `code`
 *   and `state`), `POST /2/oauth2/token` for `authorization_code` (PKCE S256 or plain checked) and
 *   `refresh_token` (single use: the old refresh token is spent), `POST /2/oauth2/revoke`.
 *   The token endpoint accepts form and JSON bodies and Basic or body client credentials.
 * - Control (tests, CI): `POST /__sandbox/x/oauth2/tokens` registers a user token,
 *   `POST /__sandbox/x/oauth2/expire` `{accessToken?}` makes one (or all) expire now,
 *   `GET /__sandbox/x/oauth2/tokens` lists them.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { StateStore } from '../state.js';
import type { PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import {
  ACCESS_TOKEN_SEC, SANDBOX_X_OAUTH2, addXOAuth2Token, expireXOAuth2Token, xAuthOf, type XOAuth2TokenRecord,
} from './auth-state.js';
import { xModule } from './index.js';
import { parseOAuthHeader, verifySignature } from './oauth1.js';
import { xOf } from './seed.js';

const OWNS = /^\/oauth\/(request_token|authorize|access_token)$|^\/i\/oauth2\/authorize$|^\/2\/oauth2\/(token|revoke)$/;
/** OAuth 1.0a timestamps may be this far from the real clock, as in index.ts. */
const TIMESTAMP_WINDOW_SEC = 300;
const KNOWN_SCOPES = new Set([
  'tweet.read', 'tweet.write', 'tweet.moderate.write', 'users.read', 'follows.read', 'follows.write', 'offline.access', 'space.read',
  'mute.read', 'mute.write', 'like.read', 'like.write', 'list.read', 'list.write', 'block.read', 'block.write', 'bookmark.read',
  'bookmark.write', 'dm.read', 'dm.write', 'media.write', 'timeline.read', 'broadcast.read', 'broadcast.write',
]);

const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
const form = (status: number, values: Record<string, string>): SandboxResponse => ({
  status, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(values).toString(),
});
/** X's OAuth 1.0a errors come as a v1.1 error document. */
const v1Error = (status: number, code: number, message: string): SandboxResponse => ({ status, body: { errors: [{ code, message }] } });
/** RFC 6749 §5.2 error, as X's token endpoint sends it. */
const oauth2Error = (error: string, description: string, status = 400): SandboxResponse => ({ status, body: { error, error_description: description } });
const html = (status: number, body: string): SandboxResponse => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><html><body>${body}</body></html>` });

/** Check an OAuth 1.0a request signed by a consumer (and optionally a request token). */
function checkSigned(req: SandboxRequest, state: StateStore, tokenSecret: (oauthToken: string | undefined) => string | undefined): { oauth: Record<string, string>; apiKey: string; apiSecret: string } | SandboxResponse {
  const oauth = parseOAuthHeader(req.headers.authorization);
  if (!oauth || oauth.oauth_signature_method !== 'HMAC-SHA1' || !oauth.oauth_nonce || !oauth.oauth_timestamp || !oauth.oauth_signature) {
    return v1Error(400, 215, 'Bad Authentication data.');
  }
  const consumer = xOf(state.read()).credentials.find((c) => c.apiKey === oauth.oauth_consumer_key);
  if (!consumer) return v1Error(401, 32, 'Could not authenticate you.');
  const secret = tokenSecret(oauth.oauth_token);
  if (secret === undefined) return v1Error(401, 89, 'Invalid or expired token.');
  if (!verifySignature(req, oauth, consumer.apiSecret, secret)) return v1Error(401, 32, 'Could not authenticate you.');
  if (Math.abs(Number(oauth.oauth_timestamp) * 1000 - Date.now()) > TIMESTAMP_WINDOW_SEC * 1000) return v1Error(401, 135, 'Timestamp out of bounds.');
  return { oauth, apiKey: consumer.apiKey, apiSecret: consumer.apiSecret };
}

function requestToken(req: SandboxRequest, state: StateStore): SandboxResponse {
  if (req.method !== 'POST') return v1Error(405, 0, 'Use POST');
  const signed = checkSigned(req, state, (t) => (t ? undefined : ''));
  if ('status' in signed) return signed;
  if (signed.oauth.oauth_callback !== 'oob' && !/^https?:\/\//.test(signed.oauth.oauth_callback ?? '')) return v1Error(400, 417, 'Desktop applications only support the oauth_callback value \'oob\'');
  const rec = { token: token('rq'), secret: token('rs'), apiKey: signed.apiKey, verifier: null, used: false };
  state.mutate((s) => void xAuthOf(s).requestTokens.push(rec));
  return form(200, { oauth_token: rec.token, oauth_token_secret: rec.secret, oauth_callback_confirmed: 'true' });
}

/** The page the user opens: approves at once and shows the PIN like x.com's "oob" page. */
function authorizePin(req: SandboxRequest, state: StateStore): SandboxResponse {
  const t = req.params.oauth_token ?? '';
  return state.mutate((s) => {
    const rec = xAuthOf(s).requestTokens.find((r) => r.token === t && !r.used);
    if (!rec) return html(400, '<p>This page is no longer valid. Go back to the app and try again.</p>');
    rec.verifier ??= String(randomInt(1_000_000, 10_000_000));
    return html(200, `<p>You've granted access to adctl sandbox. Next, return to adctl and enter this PIN to complete the authorization process.</p><kbd aria-labelledby="code-desc"><code id="oauth_pin">${rec.verifier}</code></kbd>`);
  });
}

function accessToken(req: SandboxRequest, state: StateStore): SandboxResponse {
  if (req.method !== 'POST') return v1Error(405, 0, 'Use POST');
  const requests = xAuthOf(state.read()).requestTokens;
  const signed = checkSigned(req, state, (t) => requests.find((r) => r.token === t && !r.used)?.secret);
  if ('status' in signed) return signed;
  const verifier = signed.oauth.oauth_verifier ?? req.params.oauth_verifier;
  return state.mutate((s) => {
    const rec = xAuthOf(s).requestTokens.find((r) => r.token === signed.oauth.oauth_token && !r.used);
    if (!rec || rec.apiKey !== signed.apiKey) return v1Error(401, 89, 'Invalid or expired token.');
    if (!rec.verifier || rec.verifier !== verifier) return v1Error(401, 32, 'Invalid oauth_verifier parameter');
    rec.used = true;
    const x = xOf(s);
    const demo = x.credentials.find((c) => c.apiKey === signed.apiKey)!;
    const cred = { ...demo, apiKey: signed.apiKey, apiSecret: signed.apiSecret, accessToken: `${demo.userId}-${randomBytes(18).toString('base64url')}`, accessSecret: token('as'), expiresAt: null };
    x.credentials.push(cred);
    return form(200, { oauth_token: cred.accessToken, oauth_token_secret: cred.accessSecret, user_id: cred.userId, screen_name: 'sandboxcoffee' });
  });
}

const LOOPBACK_REDIRECT = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

function authorizeCode(req: SandboxRequest, state: StateStore): SandboxResponse {
  const p = req.params;
  if (p.client_id !== SANDBOX_X_OAUTH2.clientId) return html(400, '<p>Something went wrong: unknown client_id.</p>');
  if (!p.redirect_uri || !LOOPBACK_REDIRECT.test(p.redirect_uri)) return html(400, '<p>Something went wrong: redirect_uri is not registered for this app.</p>');
  const back = (q: Record<string, string>) => {
    const u = new URL(p.redirect_uri!);
    for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
    if (p.state !== undefined) u.searchParams.set('state', p.state);
    return { status: 302, headers: { location: u.toString() }, body: '' };
  };
  const method = (p.code_challenge_method ?? 'plain').toLowerCase();
  const scopes = (p.scope ?? '').split(/\s+/).filter(Boolean);
  if (p.response_type !== 'code') return back({ error: 'unsupported_response_type' });
  if (!p.code_challenge || (method !== 's256' && method !== 'plain')) return back({ error: 'invalid_request', error_description: 'code_challenge is required' });
  if (!scopes.length || scopes.some((s) => !KNOWN_SCOPES.has(s))) return back({ error: 'invalid_scope' });
  const code = token('cd');
  state.mutate((s) => void xAuthOf(s).codes.push({
    code, clientId: p.client_id!, redirectUri: p.redirect_uri!, challenge: p.code_challenge!, method: method === 's256' ? 'S256' : 'plain',
    scopes, userId: xOf(s).credentials[0]?.userId ?? '1000000001', used: false, expiresAt: new Date(Date.now() + 30_000).toISOString(),
  }));
  return back({ code });
}

/** Client credentials: Basic (confidential) or client_id in the body (public). */
function clientOf(req: SandboxRequest): { clientId: string } | SandboxResponse {
  const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  if (basic) {
    const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    if (id !== SANDBOX_X_OAUTH2.clientId || secret !== SANDBOX_X_OAUTH2.clientSecret) return oauth2Error('unauthorized_client', 'Missing valid authorization header', 401);
    return { clientId: id };
  }
  if (req.params.client_id !== SANDBOX_X_OAUTH2.clientId) return oauth2Error('invalid_request', 'Missing required parameter [client_id].');
  return { clientId: req.params.client_id };
}

function issue(s: Parameters<typeof xAuthOf>[0], base: Pick<XOAuth2TokenRecord, 'clientId' | 'userId' | 'scopes'>): SandboxResponse {
  const t: XOAuth2TokenRecord = {
    ...base, accessToken: token('xo2a'), refreshToken: base.scopes.includes('offline.access') ? token('xo2r') : null,
    expiresAt: new Date(Date.now() + ACCESS_TOKEN_SEC * 1000).toISOString(), revoked: false,
  };
  xAuthOf(s).tokens.push(t);
  return {
    status: 200,
    body: { token_type: 'bearer', expires_in: ACCESS_TOKEN_SEC, access_token: t.accessToken, scope: t.scopes.join(' '), ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}) },
  };
}

function tokenEndpoint(req: SandboxRequest, state: StateStore): SandboxResponse {
  if (req.method !== 'POST') return oauth2Error('invalid_request', 'Use POST', 405);
  const client = clientOf(req);
  if ('status' in client) return client;
  const p = req.params;
  if (p.grant_type === 'authorization_code') {
    return state.mutate((s) => {
      const c = xAuthOf(s).codes.find((k) => k.code === p.code);
      if (!c || c.used || c.clientId !== client.clientId || Date.parse(c.expiresAt) < Date.now()) return oauth2Error('invalid_request', 'Value passed for the authorization code was invalid.');
      if (c.redirectUri !== p.redirect_uri) return oauth2Error('invalid_request', 'Value passed for the redirect uri did not match the uri of the authorization code.');
      const verifier = p.code_verifier ?? '';
      const expected = c.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (!verifier || expected !== c.challenge) return oauth2Error('invalid_request', 'Value passed for the code verifier did not match the code challenge.');
      c.used = true;
      return issue(s, c);
    });
  }
  if (p.grant_type === 'refresh_token') {
    return state.mutate((s) => {
      const old = xAuthOf(s).tokens.find((k) => !!p.refresh_token && k.refreshToken === p.refresh_token && !k.revoked);
      if (!old || old.clientId !== client.clientId) return oauth2Error('invalid_request', 'Value passed for the token was invalid.');
      old.refreshToken = null; // single use; the old access token lives until its own expiry
      return issue(s, old);
    });
  }
  return oauth2Error('unsupported_grant_type', `grant_type ${p.grant_type ?? '(none)'} is not supported`);
}

function revoke(req: SandboxRequest, state: StateStore): SandboxResponse {
  const client = clientOf(req);
  if ('status' in client) return client;
  return state.mutate((s) => {
    const t = xAuthOf(s).tokens.find((k) => k.accessToken === req.params.token || (k.refreshToken !== null && k.refreshToken === req.params.token));
    if (t) t.revoked = true;
    return { status: 200, body: { revoked: true } };
  });
}

export const xAuthModule: PlatformModule = {
  ...xModule,
  owns: (path) => OWNS.test(path),
  // Each route checks its own credentials (consumer signature, client id, none for the browser pages).
  authenticate: (req) => ({ identity: req.path.startsWith('/2/') ? `oauth2-client:${req.params.client_id ?? 'basic'}` : 'x-auth' }),
  async handle(req, ctx) {
    switch (req.path) {
      case '/oauth/request_token': return requestToken(req, ctx.state);
      case '/oauth/authorize': return authorizePin(req, ctx.state);
      case '/oauth/access_token': return accessToken(req, ctx.state);
      case '/i/oauth2/authorize': return authorizeCode(req, ctx.state);
      case '/2/oauth2/token': return tokenEndpoint(req, ctx.state);
      case '/2/oauth2/revoke': return revoke(req, ctx.state);
      default: return undefined;
    }
  },
};

/** `/__sandbox/x/oauth2/…` control routes; undefined when `what` is not one of them. */
export function xAuthControl(what: string, req: SandboxRequest, state: StateStore): SandboxResponse | undefined {
  if (what === 'x/oauth2/tokens' && req.method === 'GET') return { status: 200, body: { data: xAuthOf(state.read()).tokens } };
  if (what === 'x/oauth2/tokens' && req.method === 'POST') {
    try {
      return { status: 201, body: { data: addXOAuth2Token(state, req.json as never) } };
    } catch (e) {
      return { status: 400, body: { error: e instanceof Error ? e.message.split('\n')[0] : 'invalid token' } };
    }
  }
  if (what === 'x/oauth2/expire' && req.method === 'POST') {
    const t = (req.json as { accessToken?: unknown } | undefined)?.accessToken;
    return { status: 200, body: { expired: expireXOAuth2Token(state, typeof t === 'string' ? t : undefined) } };
  }
  return undefined;
}
