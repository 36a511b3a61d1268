/**
 * X OAuth state in the sandbox (issue 3): OAuth 1.0a request tokens with their PIN, OAuth 2.0
 * authorization codes (with the PKCE challenge), and OAuth 2.0 user tokens with expiry, scopes and
 * a single-use refresh token. Kept in `state.x.oauth`, created on first use.
 *
 * Expiry is judged by the real clock (Date.now()), like OAuth 1.0a timestamps in index.ts: clients
 * compute expiry from `expires_in` with the real clock. Tests make a token expire through
 * `expireXOAuth2Token` (also `POST /__sandbox/x/oauth2/expire`).
 *
 * This file holds only state helpers and the Bearer check, so index.ts and posts.ts can import it
 * without an import cycle (auth.ts, the routes, imports index.ts).
 */
import * as z from '../../core/zod.js';
import { SANDBOX_X } from '../credentials.js';
import type { SandboxState, StateStore } from '../state.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { problem } from './errors.js';

/** The sandbox's registered OAuth 2.0 app (a confidential client; public use without the secret is allowed too). */
export const SANDBOX_X_OAUTH2 = {
  clientId: 'c2FuZGJveC14LW9hdXRoMi1jbGllbnQ',
  clientSecret: 'sandbox-x-oauth2-client-secret-0000',
} as const;

/** Access tokens live 2 hours on X (REFERENCE §A.8). */
export const ACCESS_TOKEN_SEC = 7200;

export interface XOAuth2TokenRecord {
  accessToken: string;
  refreshToken: string | null;
  clientId: string;
  userId: string;
  scopes: string[];
  /** ISO time. */
  expiresAt: string;
  revoked: boolean;
}

export interface XRequestTokenRecord {
  token: string;
  secret: string;
  apiKey: string;
  /** Set when the user "approved" on the authorize page. */
  verifier: string | null;
  used: boolean;
}

export interface XAuthCodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  method: 'S256' | 'plain';
  scopes: string[];
  userId: string;
  used: boolean;
  expiresAt: string;
}

export interface XAuthState {
  requestTokens: XRequestTokenRecord[];
  codes: XAuthCodeRecord[];
  tokens: XOAuth2TokenRecord[];
}

export function xAuthOf(s: SandboxState): XAuthState {
  const x = s.x as { oauth?: XAuthState };
  x.oauth ??= { requestTokens: [], codes: [], tokens: [] };
  return x.oauth;
}

/** Which scopes an X API v2 route needs (REFERENCE §A.1); undefined: any user token will do. */
function requiredScopes(req: SandboxRequest): string[] | undefined {
  if (req.path.startsWith('/2/media')) return ['media.write'];
  if (req.path === '/2/users/me') return ['users.read'];
  if (/^\/2\/tweets/.test(req.path)) return req.method === 'GET' ? ['tweet.read', 'users.read'] : ['tweet.read', 'tweet.write', 'users.read'];
  if (/^\/2\/users\/[^/]+\/tweets$/.test(req.path)) return ['tweet.read', 'users.read'];
  return undefined;
}

const bearerOf = (req: SandboxRequest) => /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];

export function isBearer(req: SandboxRequest): boolean {
  return bearerOf(req) !== undefined;
}

/** The live user token a request carries as `Authorization: Bearer`, if any. */
export function bearerRecord(req: SandboxRequest, s: SandboxState): XOAuth2TokenRecord | undefined {
  const token = bearerOf(req);
  if (!token) return undefined;
  const t = xAuthOf(s).tokens.find((k) => k.accessToken === token);
  return t && !t.revoked && Date.parse(t.expiresAt) > Date.now() ? t : undefined;
}

/** The X user behind a Bearer user token, for routes that act as "me". */
export function bearerUser(req: SandboxRequest, s: SandboxState): string | undefined {
  return bearerRecord(req, s)?.userId;
}

/** authenticate() for X API v2 with an OAuth 2.0 user token: 401 when unknown, revoked or expired; 403 when a scope is missing. */
export function authenticateBearer(req: SandboxRequest, state: StateStore): { identity: string } | { error: SandboxResponse } {
  const t = bearerRecord(req, state.read());
  if (!t) return { error: problem(401, 'not-authorized-for-resource', 'Unauthorized', 'Unauthorized') };
  const missing = (requiredScopes(req) ?? []).filter((sc) => !t.scopes.includes(sc));
  if (missing.length) {
    return { error: problem(403, 'client-forbidden', 'Forbidden', `Missing OAuth 2.0 scopes: ${missing.join(', ')}`) };
  }
  return { identity: `oauth2:${t.accessToken}` };
}

export const XOAuth2TokenInput = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).nullable().default(null),
  clientId: z.string().default(SANDBOX_X_OAUTH2.clientId),
  userId: z.string().default(SANDBOX_X.userId),
  scopes: z.array(z.string()).default(['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access']),
  expiresAt: z.string().datetime({ offset: true }),
}).strict();

/** Register a user token (tests: a token that expires in 3 days, a refreshable one about to expire). */
export function addXOAuth2Token(state: StateStore, input: z.input<typeof XOAuth2TokenInput>): XOAuth2TokenRecord {
  const t: XOAuth2TokenRecord = { ...XOAuth2TokenInput.parse(input), revoked: false };
  state.mutate((s) => {
    const a = xAuthOf(s);
    a.tokens = a.tokens.filter((k) => k.accessToken !== t.accessToken);
    a.tokens.push(t);
  });
  return t;
}

/** Make a token (or every token) expire now; returns how many changed. */
export function expireXOAuth2Token(state: StateStore, accessToken?: string): number {
  return state.mutate((s) => {
    let n = 0;
    for (const t of xAuthOf(s).tokens) {
      if (accessToken && t.accessToken !== accessToken) continue;
      t.expiresAt = new Date(Date.now() - 1000).toISOString();
      n += 1;
    }
    return n;
  });
}
