/**
 * X OAuth 2.0 user tokens (issue 3): authorization code + PKCE login through a loopback redirect,
 * and refresh before use.
 *
 * Why here and not in the plugin: the token endpoint is plain RFC 6749 / RFC 7636, and refreshing
 * must happen before an adapter is built and must write the profile's secret store, which plugins
 * never see. The session calls `freshXCredentials` for every X connection.
 *
 * Refresh contract:
 * - A token with a refresh token whose `expiresAt` is past or within REFRESH_MARGIN_MS is refreshed.
 * - X refresh tokens are single use. Two parallel runs must not both spend one, so the refresh runs
 *   under a per-profile lock and re-reads the stored token inside it: when another run already
 *   refreshed, its tokens are used and no request is sent.
 * - The new tokens are stored (atomically, via SecretStore) before they are used.
 * - A refusal (`invalid_grant`: revoked or already spent) is exit 4 naming `adctl auth login`.
 *   A refresh whose answer is lost cannot be retried (the old refresh token may be spent): exit 4
 *   with the same hint, since only a new login recovers for sure.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as z from '../core/zod.js';
import type { Endpoints, XCredentials, XOAuth2Credentials, XOAuth2Token } from '../core/adapter.js';
import { AdctlError, ExitCode } from '../core/errors.js';
import { withFileLock } from '../core/fs.js';
import type { Redactor } from '../core/redact.js';
import type { Env } from '../core/settings.js';
import { SecretStore } from './secrets.js';

/** Refresh this long before expiry, so a token never expires in the middle of a command. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** What adctl asks for by default: posting, reading the user, media, and a refresh token. */
export const DEFAULT_X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'];

const TokenResponse = z.object({
  token_type: z.string().optional(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive().optional(),
  scope: z.string().optional(),
});
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() }).loose();

export interface XTokenContext {
  endpoints: Pick<Endpoints, 'xApi'>;
  timeoutMs: number;
  redactor: Redactor;
  now?: () => number;
}

const loginHint = (profile: string) => `run \`adctl auth login --platform x --flow pkce --profile ${profile}\` to authorize again`;

/** The OAuth 2.0 authorize page: x.com for the real API, the same origin for a sandbox or proxy. */
export function authorizeBase(xApi: string): string {
  return /^https:\/\/api\.(x|twitter)\.com$/.test(xApi) ? 'https://x.com/i/oauth2/authorize' : `${xApi}/i/oauth2/authorize`;
}

/** RFC 7636 S256: the verifier stays here, the challenge goes into the authorize URL. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** POST /2/oauth2/token, form-encoded as the docs say; Basic auth for confidential clients. */
async function tokenRequest(ctx: XTokenContext, client: { clientId: string; clientSecret?: string | undefined }, params: Record<string, string>, profile: string): Promise<XOAuth2Token> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.clientSecret) headers.authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
  const body = new URLSearchParams({ ...params, client_id: client.clientId });
  let res: Response;
  try {
    res = await fetch(`${ctx.endpoints.xApi}/2/oauth2/token`, { method: 'POST', headers, body, signal: AbortSignal.timeout(ctx.timeoutMs), redirect: 'manual' });
  } catch (e) {
    const refresh = params.grant_type === 'refresh_token';
    throw new AdctlError(refresh ? 'X_REFRESH_UNKNOWN' : 'NETWORK', `X's token endpoint did not answer (${ctx.redactor.redact(e instanceof Error ? e.message : String(e))})`,
      refresh ? ExitCode.AUTH : ExitCode.TEMPORARY, { hint: refresh ? `the refresh token may have been spent; ${loginHint(profile)}` : 'check the network and retry' });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AdctlError('BAD_RESPONSE', `X's token endpoint answered ${res.status} with a body that is not JSON`, ExitCode.TEMPORARY, { hint: 'retry; if it persists, check ADCTL_X_API_URL' });
  }
  const err = TokenError.safeParse(json);
  if (!res.ok || err.success) {
    const what = err.success ? `${err.data.error}${err.data.error_description ? `: ${err.data.error_description}` : ''}` : `HTTP ${res.status}`;
    throw new AdctlError('AUTH_EXPIRED', `X refused the OAuth 2.0 ${params.grant_type === 'refresh_token' ? 'refresh' : 'code exchange'} (${ctx.redactor.redact(what)})`, ExitCode.AUTH, { hint: loginHint(profile) });
  }
  const ok = TokenResponse.safeParse(json);
  if (!ok.success) throw new AdctlError('BAD_RESPONSE', 'X\'s token endpoint answered in an unexpected shape', ExitCode.TEMPORARY, { hint: 'retry; if it persists, report it' });
  const t = ok.data;
  ctx.redactor.add(t.access_token);
  ctx.redactor.add(t.refresh_token);
  const now = (ctx.now ?? Date.now)();
  return {
    clientId: client.clientId,
    ...(client.clientSecret ? { clientSecret: client.clientSecret } : {}),
    accessToken: t.access_token,
    ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
    ...(t.expires_in ? { expiresAt: new Date(now + t.expires_in * 1000).toISOString() } : {}),
    ...(t.scope ? { scopes: t.scope.split(/\s+/).filter(Boolean) } : {}),
  };
}

export function needsRefresh(t: XOAuth2Token, now: number): boolean {
  return !!t.refreshToken && !!t.expiresAt && Date.parse(t.expiresAt) - now <= REFRESH_MARGIN_MS;
}

const tokenOf = (c: XCredentials | XOAuth2Credentials): XOAuth2Token | undefined => (c.kind === 'x-oauth2' ? c : c.oauth2);
const withToken = <C extends XCredentials | XOAuth2Credentials>(c: C, t: XOAuth2Token): C =>
  (c.kind === 'x-oauth2' ? { ...t, kind: 'x-oauth2' } : { ...c, oauth2: t }) as C;

export interface RefreshTarget {
  configDir: string;
  env: Env;
  /** The stored profile the token belongs to (tokens from env or the sandbox are not refreshed). */
  profile: string;
}

/**
 * The credentials to use now: unchanged unless they hold a refreshable OAuth 2.0 token close to
 * expiry, in which case the token is refreshed and stored first (see the contract at the top).
 * `onRefresh` is told once per refresh actually sent.
 */
export async function freshXCredentials<C extends XCredentials | XOAuth2Credentials>(
  ctx: XTokenContext, target: RefreshTarget, creds: C, onRefresh?: () => void,
): Promise<C> {
  const now = () => (ctx.now ?? Date.now)();
  const token = tokenOf(creds);
  if (!token || !needsRefresh(token, now())) return creds;
  const store = new SecretStore(target.configDir, target.env as NodeJS.ProcessEnv);
  const lockTimeout = ctx.timeoutMs + 15_000;
  return withFileLock(join(target.configDir, `x-oauth2-refresh-${target.profile}`), async () => {
    // Another run may have refreshed while we waited: its tokens are the live ones.
    const stored = store.get(target.profile).x?.oauth2;
    if (stored && stored.accessToken !== token.accessToken && !needsRefresh(stored, now())) {
      ctx.redactor.add(stored.accessToken);
      ctx.redactor.add(stored.refreshToken);
      return withToken(creds, stored);
    }
    const current = stored ?? token;
    const fresh = await tokenRequest(ctx, current, { grant_type: 'refresh_token', refresh_token: current.refreshToken! }, target.profile);
    // X may omit scope or a new refresh token on refresh; keep what we knew.
    const merged: XOAuth2Token = { ...fresh, scopes: fresh.scopes ?? current.scopes, refreshToken: fresh.refreshToken ?? current.refreshToken };
    const all = store.get(target.profile);
    if (all.x) await store.set(target.profile, { ...all, x: { ...all.x, oauth2: merged } });
    onRefresh?.();
    return withToken(creds, merged);
  }, { timeoutMs: lockTimeout, staleMs: lockTimeout });
}

export interface PkceLoginOptions {
  clientId: string;
  clientSecret?: string | undefined;
  scopes: string[];
  /** Loopback port for the redirect; 0 picks a free one (the app must allow that redirect URI). */
  port: number;
  /** How long to wait for the browser. */
  waitMs: number;
  /** Told the authorize URL once the loopback server listens. */
  onUrl(url: string): void;
  profile: string;
}

/**
 * Authorization code + PKCE (S256) with a one-shot loopback server on 127.0.0.1: the user opens
 * the printed URL, X redirects to `http://127.0.0.1:PORT/callback?code&state`, the code is
 * exchanged with the verifier. `state` is checked, so a stray request cannot inject a code.
 */
export async function pkceLogin(ctx: XTokenContext, o: PkceLoginOptions): Promise<XOAuth2Token> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  let server: Server | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const { code, redirectUri } = await new Promise<{ code: string; redirectUri: string }>((resolve, reject) => {
      let redirectUri = '';
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (url.pathname !== '/callback') {
          res.writeHead(404).end();
          return;
        }
        const fail = (status: number, text: string, err?: AdctlError) => {
          res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
          if (err) reject(err);
        };
        if (url.searchParams.get('state') !== state) return fail(400, 'adctl: unexpected state; this request was not started by adctl.');
        const error = url.searchParams.get('error');
        if (error) return fail(400, 'adctl: authorization was refused. You can close this tab.', new AdctlError('AUTH_DENIED', `X did not authorize adctl (${error})`, ExitCode.AUTH, { hint: 'run the login again and approve the app' }));
        const code = url.searchParams.get('code');
        if (!code) return fail(400, 'adctl: no code in the redirect.');
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('adctl: authorized. You can close this tab and return to the terminal.');
        resolve({ code, redirectUri });
      });
      server.on('error', (e: NodeJS.ErrnoException) => reject(new AdctlError('PORT_IN_USE', `cannot listen on 127.0.0.1:${o.port} (${e.code ?? e.message})`, ExitCode.USAGE, { hint: 'pass --redirect-port with a free port that your X app allows as a redirect URI' })));
      server.listen(o.port, '127.0.0.1', () => {
        const port = (server!.address() as { port: number }).port;
        redirectUri = `http://127.0.0.1:${port}/callback`;
        const url = new URL(authorizeBase(ctx.endpoints.xApi));
        url.search = new URLSearchParams({
          response_type: 'code', client_id: o.clientId, redirect_uri: redirectUri, scope: o.scopes.join(' '),
          state, code_challenge: challenge, code_challenge_method: 'S256',
        }).toString();
        o.onUrl(url.toString());
      });
      timer = setTimeout(() => reject(new AdctlError('AUTH_TIMEOUT', `no authorization arrived within ${Math.round(o.waitMs / 1000)} s`, ExitCode.AUTH, { hint: 'open the printed URL in a browser and approve adctl, then run the login again' })), o.waitMs);
    });
    return await tokenRequest(ctx, o, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, o.profile);
  } finally {
    if (timer) clearTimeout(timer);
    server?.close();
  }
}

const UserMe = z.object({ data: z.object({ id: z.string(), username: z.string().optional() }).loose() });

/**
 * GET /2/users/me: the cheap validity check of `auth status` and `doctor`. `authorization` is the
 * header for the URL: `Bearer …` for an OAuth 2.0 token, or an OAuth 1.0a signer.
 */
export async function xUserMe(ctx: XTokenContext, authorization: (url: string) => string): Promise<{ ok: true; id: string; username?: string | undefined; date: string | null } | { ok: false; status: number; detail: string; date: string | null }> {
  let res: Response;
  const url = `${ctx.endpoints.xApi}/2/users/me`;
  try {
    res = await fetch(url, { headers: { authorization: authorization(url) }, signal: AbortSignal.timeout(ctx.timeoutMs), redirect: 'manual' });
  } catch (e) {
    throw new AdctlError('NETWORK', `X did not answer (${ctx.redactor.redact(e instanceof Error ? e.message : String(e))})`, ExitCode.TEMPORARY, { hint: 'check the network and ADCTL_X_API_URL, then retry' });
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // reported below
  }
  const ok = UserMe.safeParse(json);
  const date = res.headers.get('date');
  if (res.ok && ok.success) return { ok: true, id: ok.data.data.id, username: ok.data.data.username, date };
  const detail = (json as { detail?: string; title?: string } | undefined)?.detail ?? (json as { title?: string } | undefined)?.title ?? `HTTP ${res.status}`;
  return { ok: false, status: res.status, detail: ctx.redactor.redact(detail), date };
}
