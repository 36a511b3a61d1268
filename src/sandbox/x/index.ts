/**
 * X in the sandbox: the Ads API v12 (accounts, funding instruments, campaigns, line items) with
 * OAuth 1.0a signature checks, and X API v2 problem+json errors. Wire format per
 * wire/REFERENCE.md §B and §E.4: ids are short base-36 strings, money is integer micros,
 * parameters come from the query string or a form body, lists page with `count`/`cursor`.
 *
 * Routes: ads.ts. Error bodies: errors.ts. State and seed: seed.ts. Signatures: oauth1.ts.
 */
import { randomBytes } from 'node:crypto';
import type { StateStore } from '../state.js';
import type { FaultAction, PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { handleAds } from './ads.js';
import { adsError, isV2, problem, statusError } from './errors.js';
import { parseOAuthHeader, verifySignature } from './oauth1.js';
import { authenticateBearer, isBearer } from './auth-state.js';
import { seedX, xOf, type XCredential } from './seed.js';

/**
 * How far a request's oauth_timestamp may be from the real clock (RFC 5849 §3.3 leaves it to the
 * server). The real clock, not the sandbox's `now` option: clients sign with the real one.
 */
const TIMESTAMP_WINDOW_SEC = 300;

/**
 * Nonces seen within the timestamp window: X refuses a replayed request. Nonces are random per
 * request (twitter-api-v2 draws 32 characters), so one map for every sandbox in the process is safe.
 */
const seenNonces = new Map<string, number>();

function rememberNonce(key: string, nowMs: number): boolean {
  if (seenNonces.has(key)) return false;
  if (seenNonces.size > 50_000) {
    for (const [k, exp] of seenNonces) if (exp < nowMs) seenNonces.delete(k);
  }
  seenNonces.set(key, nowMs + 2 * TIMESTAMP_WINDOW_SEC * 1000);
  return true;
}

function credentialOf(req: SandboxRequest, state: StateStore): XCredential | undefined {
  const oauth = parseOAuthHeader(req.headers.authorization);
  if (!oauth) return undefined;
  return xOf(state.read()).credentials.find((c) => c.apiKey === oauth.oauth_consumer_key && c.accessToken === oauth.oauth_token);
}

function authenticate(req: SandboxRequest, state: StateStore): { identity: string } | { error: SandboxResponse } {
  // X API v2 also takes an OAuth 2.0 user token (REFERENCE §A.1); the Ads API takes OAuth 1.0a only.
  if (isV2(req.path) && isBearer(req)) return authenticateBearer(req, state);
  const fail = (why: string) => ({
    error: isV2(req.path) ? problem(401, 'not-authorized-for-resource', 'Unauthorized', why) : adsError(401, 'UNAUTHORIZED_ACCESS', why),
  });
  const oauth = parseOAuthHeader(req.headers.authorization);
  if (!oauth) return fail('This request is not properly authenticated: OAuth 1.0a user context is required');
  if (oauth.oauth_signature_method !== 'HMAC-SHA1') return fail(`Unsupported oauth_signature_method "${oauth.oauth_signature_method ?? ''}"`);
  if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') return fail(`Unsupported oauth_version "${oauth.oauth_version}"`);
  if (!oauth.oauth_nonce || !oauth.oauth_timestamp || !oauth.oauth_signature) return fail('The OAuth header is missing oauth_nonce, oauth_timestamp or oauth_signature');
  const cred = credentialOf(req, state);
  if (!cred) return fail('Invalid or expired token');
  if (cred.expiresAt && Date.parse(cred.expiresAt) <= Date.now()) return fail('Invalid or expired token');
  if (!verifySignature(req, oauth, cred.apiSecret, cred.accessSecret)) return fail('Could not authenticate you: the OAuth signature does not match');
  // Checked after the signature, so an attacker cannot burn a legitimate client's nonce.
  if (Math.abs(Number(oauth.oauth_timestamp) * 1000 - Date.now()) > TIMESTAMP_WINDOW_SEC * 1000) {
    return fail('Timestamp out of bounds: check the system clock');
  }
  if (!rememberNonce(`${cred.apiKey}|${oauth.oauth_nonce}|${oauth.oauth_timestamp}`, Date.now())) return fail('Nonce already used: the request was replayed');
  return { identity: `${cred.apiKey}:${cred.accessToken}` };
}

export const xModule: PlatformModule = {
  id: 'x',
  owns: (path) => /^\/(12|11|2|1\.1)\//.test(path) || /^\/oauth2?(\/|$)/.test(path),

  authenticate,

  async handle(req, ctx) {
    if (!/^\/(12|11)\//.test(req.path)) return undefined; // v2, v1.1 and oauth: not emulated yet, 404 in their format
    const cred = credentialOf(req, ctx.state);
    // authenticate() ran first, so the credential exists; guard anyway in case state was reset in between.
    if (!cred) return adsError(401, 'UNAUTHORIZED_ACCESS', 'Invalid or expired token');
    return handleAds(req, { state: ctx.state, now: ctx.now, cred });
  },

  faultResponse(action: FaultAction, req) {
    const resetAt = (sec: number) => String(Math.floor(Date.now() / 1000) + sec);
    switch (action.type) {
      case 'rate_limit':
      case 'meta_throttle': {
        // X has no Meta-style throttle: a throttle fault aimed at X is an ordinary 429.
        const sec = action.type === 'rate_limit' ? action.resetInSec : (action.regainInMinutes ?? 0) * 60;
        const base = statusError(req, 429);
        return { ...base, headers: { ...base.headers, 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': resetAt(sec) } };
      }
      case 'expired_token':
        return isV2(req.path) ? statusError(req, 401) : adsError(401, 'UNAUTHORIZED_ACCESS', 'This request is not properly authenticated: the access token is invalid or expired');
      case 'status':
        return statusError(req, action.status);
      default:
        return statusError(req, 500);
    }
  },

  commonHeaders(req) {
    const h: Record<string, string> = {
      'x-rate-limit-limit': '10000',
      'x-rate-limit-remaining': '9999',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 900),
      'x-transaction-id': randomBytes(8).toString('hex'),
    };
    if (!isV2(req.path)) h['x-current-api-version'] = '12';
    return h;
  },

  seed: (now) => seedX(now),

  // Like X: writes share one counter per user; reads count per endpoint (the resource after the account).
  limitKey(req) {
    if (req.method !== 'GET') return 'write';
    return `read:${req.path.replace(/^\/\d+\/accounts\/[^/]+\/?/, '').split('/')[0] || 'account'}`;
  },
  limitHeaders: (limit, remaining, resetAtSec) => ({
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(resetAtSec),
  }),
};
