/**
 * Token status and logins (issue 3), shared by `auth status|login|logout` and `doctor`.
 * - Status asks the platform itself with one cheap read per credential: Meta `debug_token`
 *   (validity, expiry, scopes); X `GET /2/users/me`, signed with OAuth 1.0a (those tokens do not
 *   expire) and/or sent with the OAuth 2.0 Bearer token (which the session refreshed first when it
 *   was close to expiry).
 * - Meta login exchanges a short-lived token for a long-lived one when the profile knows the app id
 *   and app secret; X login runs the OAuth 1.0a PIN flow or OAuth 2.0 PKCE (x-oauth1.ts, x-oauth2.ts).
 * - Every token seen is registered with the session's redactor before any request is made.
 * - `onDate` (doctor's clock-skew check) is told each response's `Date` header and local receipt time.
 */
import { createHmac } from 'node:crypto';
import * as z from '../core/zod.js';
import { AdctlError, ExitCode, usageError } from '../core/errors.js';
import type { XOAuth2Token } from '../core/adapter.js';
import type { Platform } from '../core/model.js';
import { XSecretsSchema } from '../core/profiles.js';
import { credentialsFromEnv, readSecret } from '../core/settings.js';
import type { Session, SessionIO } from './session.js';
import { ProfileService } from './profiles.js';

export const WARN_WITHIN_MS = 7 * 24 * 3600 * 1000;
/** Meta scopes adctl needs to manage campaigns. */
export const META_REQUIRED_SCOPES = ['ads_management'];

export interface TokenStatus {
  profile: string;
  platform: Platform;
  valid: boolean;
  /** ISO time, or null when the token never expires. */
  expiresAt: string | null;
  scopes: string[] | null;
  missingScopes: string[];
  store: 'keyring' | 'file' | 'env' | 'sandbox';
  state: 'ok' | 'expiring' | 'expired' | 'invalid' | 'missing-scope' | 'missing';
  /** X only: which of the profile's credentials this row is about. */
  credential?: 'oauth1' | 'oauth2';
  detail?: string;
}

const DebugTokenSchema = z.object({
  data: z.object({
    is_valid: z.boolean(),
    expires_at: z.number().int().nonnegative().optional(),
    scopes: z.array(z.string()).optional(),
  }).loose(),
});
const GraphErrorSchema = z.object({ error: z.object({ code: z.number(), message: z.string() }).loose() });
const ExchangeSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() });

function proof(token: string, appSecret: string | undefined): string {
  return appSecret ? `&appsecret_proof=${createHmac('sha256', appSecret).update(token).digest('hex')}` : '';
}

/** Told the `Date` header of a platform response and the local time it arrived (ms). */
export type DateSeen = (platform: Platform, date: string | null, localMs: number) => void;

async function graphGet(session: Session, pathAndQuery: string, onDate?: DateSeen): Promise<unknown> {
  const s = session.settings;
  // Live: the configured endpoints, even when the profile has no Meta token yet (login).
  const endpoints = s.mode === 'live' ? s.endpoints : (await session.connection('meta')).endpoints;
  const url = `${endpoints.metaGraph}/${endpoints.metaApiVersion}/${pathAndQuery}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(s.timeoutMs), redirect: 'manual' });
  } catch (e) {
    throw new AdctlError('NETWORK', `Meta did not answer (${session.redactor.redact(e instanceof Error ? e.message : String(e))})`, ExitCode.TEMPORARY, { hint: 'check the network and retry' });
  }
  const text = await res.text();
  onDate?.('meta', res.headers.get('date'), Date.now());
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdctlError('BAD_RESPONSE', `Meta answered ${res.status} with a body that is not JSON`, ExitCode.TEMPORARY, { hint: 'retry; if it persists, check ADCTL_META_GRAPH_URL' });
  }
}

function storeOf(session: Session, platform: Platform): TokenStatus['store'] {
  const s = session.settings;
  if (s.mode === 'sandbox') return 'sandbox';
  // Credential variables override a stored profile's token for their platform: the token in use is theirs.
  if (s.profile === 'env' || credentialsFromEnv(session.env, platform)) return 'env';
  return new ProfileService(session.config, session.env as NodeJS.ProcessEnv).secrets.where(s.profile)[platform] ?? 'env';
}

export async function metaStatus(session: Session, now = Date.now(), onDate?: DateSeen): Promise<TokenStatus> {
  const { credentials: creds } = await session.connection('meta');
  if (creds.kind !== 'meta-token') throw new Error('unreachable: Meta credentials are a token');
  const base = { profile: session.settings.profile, platform: 'meta' as const, store: storeOf(session, 'meta') };
  const t = encodeURIComponent(creds.accessToken);
  const body = await graphGet(session, `debug_token?input_token=${t}&access_token=${t}${proof(creds.accessToken, creds.appSecret)}`, onDate);
  const err = GraphErrorSchema.safeParse(body);
  if (err.success) {
    const expired = err.data.error.code === 190;
    return { ...base, valid: false, expiresAt: null, scopes: null, missingScopes: [], state: expired ? 'expired' : 'invalid', detail: session.redactor.redact(err.data.error.message) };
  }
  const parsed = DebugTokenSchema.safeParse(body);
  if (!parsed.success) throw new AdctlError('BAD_RESPONSE', 'Meta debug_token answered in an unexpected shape', ExitCode.TEMPORARY, { hint: 'retry; if it persists, report it' });
  const d = parsed.data.data;
  const expiresAt = d.expires_at ? new Date(d.expires_at * 1000).toISOString() : null;
  const scopes = d.scopes ?? [];
  const missingScopes = META_REQUIRED_SCOPES.filter((s) => !scopes.includes(s));
  const expired = !d.is_valid || (expiresAt !== null && Date.parse(expiresAt) <= now);
  const state: TokenStatus['state'] = expired ? 'expired' : missingScopes.length ? 'missing-scope'
    : expiresAt !== null && Date.parse(expiresAt) - now < WARN_WITHIN_MS ? 'expiring' : 'ok';
  return { ...base, valid: !expired, expiresAt, scopes, missingScopes, state };
}

/** Status of every enabled platform of the profile in effect; one with no token is `missing`. X may give two rows (OAuth 1.0a and 2.0). */
export async function allStatus(session: Session): Promise<TokenStatus[]> {
  const rows: TokenStatus[] = [];
  for (const p of session.registry.enabled()) {
    if (session.settings.mode === 'live' && !session.settings[p]) {
      rows.push({ profile: session.settings.profile, platform: p, valid: false, expiresAt: null, scopes: null, missingScopes: [], store: 'env', state: 'missing', detail: 'no token stored' });
      continue;
    }
    if (p === 'meta') rows.push(await metaStatus(session));
    else rows.push(...await xStatus(session));
  }
  return rows;
}

/** Credential variables that would override a stored profile's tokens (DESIGN §5), with their _FILE forms. */
const CREDENTIAL_VARS = ['ADCTL_X_API_KEY', 'ADCTL_X_API_SECRET', 'ADCTL_X_ACCESS_TOKEN', 'ADCTL_X_ACCESS_SECRET', 'ADCTL_META_ACCESS_TOKEN', 'ADCTL_META_APP_SECRET'];

/**
 * `auth status --all-profiles`: the tokens every stored profile holds, one profile after another,
 * each through its own session (so an X OAuth 2.0 token due for refresh is refreshed and stored, as
 * in any run). Credential variables and ADCTL_PROFILE are ignored here: each row is about what the
 * profile itself stores.
 */
export async function everyProfileStatus(env: NodeJS.ProcessEnv, timeout: string | undefined, io: SessionIO): Promise<TokenStatus[]> {
  const [{ ConfigStore }, { defaultConfigDir }, { Session }] = await Promise.all([import('../core/config.js'), import('../core/settings.js'), import('./session.js')]);
  const names = new ProfileService(await ConfigStore.open(defaultConfigDir(env)), env).list().map((p) => p.name);
  const own = Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'ADCTL_PROFILE' && !CREDENTIAL_VARS.some((v) => k === v || k === `${v}_FILE`)));
  const rows: TokenStatus[] = [];
  for (const name of names) {
    const session = await Session.open(own, { profile: name, timeout }, io);
    try {
      rows.push(...await allStatus(session));
    } finally {
      await session.close();
    }
  }
  return rows;
}

/** X scopes adctl needs for posts (X API v2) with an OAuth 2.0 token. */
export const X_REQUIRED_SCOPES = ['tweet.read', 'tweet.write', 'users.read'];

/**
 * X: each credential is checked with `GET /2/users/me`. OAuth 1.0a tokens do not expire. An OAuth
 * 2.0 token was already refreshed by the session when it was close to expiry, so what is shown is
 * the live token; a token without a refresh token warns 7 days ahead like Meta's.
 */
export async function xStatus(session: Session, now = Date.now(), onDate?: DateSeen): Promise<TokenStatus[]> {
  const { credentials: creds, endpoints } = await session.connection('x');
  if (creds.kind === 'meta-token') throw new Error('unreachable: X credentials are OAuth');
  const { xUserMe } = await import('./x-oauth2.js');
  const { oauth1Header } = await import('./x-oauth1.js');
  const ctx = { endpoints, timeoutMs: session.settings.timeoutMs, redactor: session.redactor };
  const base = { profile: session.settings.profile, platform: 'x' as const, store: storeOf(session, 'x') };
  const rows: TokenStatus[] = [];
  if (creds.kind === 'x-oauth1') {
    const me = await xUserMe(ctx, (url) => oauth1Header('GET', url, { key: creds.apiKey, secret: creds.apiSecret }, { key: creds.accessToken, secret: creds.accessSecret }, {}));
    onDate?.('x', me.date, Date.now());
    rows.push({
      ...base, credential: 'oauth1', valid: me.ok, expiresAt: null, scopes: null, missingScopes: [], state: me.ok ? 'ok' : 'invalid',
      detail: me.ok ? `OAuth 1.0a user token of user ${me.id} (does not expire; needed for the Ads API)` : `X refused the OAuth 1.0a token (${me.detail})`,
    });
  }
  const t = creds.kind === 'x-oauth2' ? creds : creds.oauth2;
  if (t) {
    const me = await xUserMe(ctx, () => `Bearer ${t.accessToken}`);
    onDate?.('x', me.date, Date.now());
    const expiresAt = t.expiresAt ?? null;
    const scopes = t.scopes ?? null;
    const missingScopes = scopes ? X_REQUIRED_SCOPES.filter((sc) => !scopes.includes(sc)) : [];
    const expired = (!me.ok && me.status === 401) || (expiresAt !== null && Date.parse(expiresAt) <= now);
    const state: TokenStatus['state'] = expired ? 'expired' : !me.ok ? 'invalid' : missingScopes.length ? 'missing-scope'
      : !t.refreshToken && expiresAt !== null && Date.parse(expiresAt) - now < WARN_WITHIN_MS ? 'expiring' : 'ok';
    rows.push({
      ...base, credential: 'oauth2', valid: me.ok && !expired, expiresAt, scopes, missingScopes, state,
      detail: me.ok ? `OAuth 2.0 user token of user ${me.id}${t.refreshToken ? ' (refreshed automatically before it expires)' : ' (no refresh token: log in again before it expires)'}` : `X refused the OAuth 2.0 token (${me.detail})`,
    });
  }
  return rows;
}

/**
 * Exchange a Meta token for a long-lived one when app id and secret are known, then store it in the
 * profile. Returns the stored token's expiry as debug_token reports it.
 */
export async function metaLogin(session: Session, profile: string, token: string, app: { id?: string; secret?: string }): Promise<{ exchanged: boolean }> {
  session.redactor.add(token);
  if (app.secret) session.redactor.add(app.secret);
  let stored = token;
  let exchanged = false;
  if (app.id && app.secret) {
    const body = await graphGet(session, `oauth/access_token?grant_type=fb_exchange_token&client_id=${encodeURIComponent(app.id)}&client_secret=${encodeURIComponent(app.secret)}&fb_exchange_token=${encodeURIComponent(token)}`);
    const err = GraphErrorSchema.safeParse(body);
    if (err.success) throw new AdctlError('AUTH_EXCHANGE_FAILED', `Meta refused the token exchange: ${session.redactor.redact(err.data.error.message)}`, ExitCode.AUTH, { hint: 'check the app id and app secret, and that the token belongs to that app; then run `adctl auth login --platform meta` again' });
    const ok = ExchangeSchema.safeParse(body);
    if (!ok.success) throw new AdctlError('BAD_RESPONSE', 'Meta oauth/access_token answered in an unexpected shape', ExitCode.TEMPORARY, { hint: 'retry' });
    stored = ok.data.access_token;
    session.redactor.add(stored);
    exchanged = true;
  }
  const svc = new ProfileService(session.config, session.env as NodeJS.ProcessEnv);
  svc.show(profile);
  const secrets = svc.secrets.get(profile);
  await svc.secrets.set(profile, { ...secrets, meta: { accessToken: stored, ...(app.secret ? { appSecret: app.secret } : secrets.meta?.appSecret ? { appSecret: secrets.meta.appSecret } : {}) } });
  return { exchanged };
}

export async function logout(session: Session, profile: string, platform: Platform): Promise<void> {
  const svc = new ProfileService(session.config, session.env as NodeJS.ProcessEnv);
  svc.show(profile);
  const { [platform]: _gone, ...rest } = svc.secrets.get(profile);
  await svc.secrets.set(profile, Object.keys(rest).length ? rest : undefined);
}

export function requireProfile(session: Session): string {
  const p = session.settings.profile;
  if (p === 'env' || p === 'sandbox') {
    throw usageError('NO_PROFILE', `auth login and logout act on a stored profile, and the profile in effect is "${p}"`, 'pass --profile NAME (create it with `adctl profile add NAME`)');
  }
  return p;
}

/** The X secrets of a profile after a login: the new part replaces its kind, the other kind is kept. */
async function storeX(session: Session, profile: string, change: { oauth1?: { apiKey: string; apiSecret: string; accessToken: string; accessSecret: string }; oauth2?: XOAuth2Token }): Promise<TokenStatus['store']> {
  const svc = new ProfileService(session.config, session.env as NodeJS.ProcessEnv);
  svc.show(profile);
  const secrets = svc.secrets.get(profile);
  const prev = secrets.x;
  const oauth1 = change.oauth1 ?? (prev && 'apiKey' in prev ? { apiKey: prev.apiKey, apiSecret: prev.apiSecret, accessToken: prev.accessToken, accessSecret: prev.accessSecret } : undefined);
  const oauth2 = change.oauth2 ?? prev?.oauth2;
  const x = oauth1 ? { ...oauth1, ...(oauth2 ? { oauth2 } : {}) } : { oauth2: oauth2! };
  await svc.secrets.set(profile, { ...secrets, x: XSecretsSchema.parse(x) });
  return svc.secrets.where(profile).x ?? 'file';
}

/** The consumer key and secret for the PIN flow: given files, else the profile's stored ones, else env. */
export function xConsumer(session: Session, profile: string, given: { key?: string | undefined; secret?: string | undefined }): { key: string; secret: string } {
  const stored = new ProfileService(session.config, session.env as NodeJS.ProcessEnv).secrets.get(profile).x;
  const key = given.key ?? (stored && 'apiKey' in stored ? stored.apiKey : undefined) ?? readSecret(session.env, 'ADCTL_X_API_KEY');
  const secret = given.secret ?? (stored && 'apiSecret' in stored ? stored.apiSecret : undefined) ?? readSecret(session.env, 'ADCTL_X_API_SECRET');
  if (!key || !secret) {
    throw usageError('MISSING_INPUT', 'the X app\'s consumer key and secret are needed for the PIN flow', 'pass --api-key-file and --api-secret-file (from the X developer portal, "Keys and tokens")');
  }
  session.redactor.add(key);
  session.redactor.add(secret);
  return { key, secret };
}

/**
 * X OAuth 1.0a PIN flow (Ads API): request token → `showUrl` → `getPin` → access token, stored in
 * the profile next to any OAuth 2.0 token it already has.
 */
export async function xLoginPin(session: Session, profile: string, consumer: { key: string; secret: string }, showUrl: (url: string) => void, getPin: () => Promise<string>): Promise<{ userId?: string | undefined; store: TokenStatus['store'] }> {
  const { requestToken, accessToken } = await import('./x-oauth1.js');
  const ctx = { xApi: session.settings.endpoints.xApi, timeoutMs: session.settings.timeoutMs, redactor: session.redactor };
  const req = await requestToken(ctx, consumer);
  showUrl(req.authorizeUrl);
  const pin = (await getPin()).trim();
  if (!/^\d{4,10}$/.test(pin)) throw usageError('INVALID_PIN', 'the PIN is the number X shows after you authorize the app', 'run the login again and enter the digits shown on the page');
  const got = await accessToken(ctx, consumer, req.token, pin);
  session.redactor.add(got.accessToken);
  session.redactor.add(got.accessSecret);
  const store = await storeX(session, profile, { oauth1: { apiKey: consumer.key, apiSecret: consumer.secret, accessToken: got.accessToken, accessSecret: got.accessSecret } });
  return { userId: got.userId, store };
}

/** X OAuth 2.0 authorization code + PKCE with a loopback redirect; stores access + refresh token and expiry. */
export async function xLoginPkce(session: Session, profile: string, o: { clientId?: string | undefined; clientSecret?: string | undefined; scopes: string[]; port: number; waitMs: number; onUrl(url: string): void }): Promise<{ expiresAt: string | null; scopes: string[]; refreshable: boolean; store: TokenStatus['store'] }> {
  const { pkceLogin } = await import('./x-oauth2.js');
  const stored = new ProfileService(session.config, session.env as NodeJS.ProcessEnv).secrets.get(profile).x?.oauth2;
  const clientId = o.clientId ?? stored?.clientId;
  if (!clientId) throw usageError('MISSING_INPUT', 'the X app\'s OAuth 2.0 client id is needed for the PKCE flow', 'pass --client-id (X developer portal, "Keys and tokens", OAuth 2.0 Client ID)');
  const clientSecret = o.clientSecret ?? (o.clientId === undefined ? stored?.clientSecret : undefined);
  session.redactor.add(clientSecret);
  const token = await pkceLogin({ endpoints: session.settings.endpoints, timeoutMs: session.settings.timeoutMs, redactor: session.redactor }, {
    clientId, clientSecret, scopes: o.scopes, port: o.port, waitMs: o.waitMs, onUrl: o.onUrl, profile,
  });
  const store = await storeX(session, profile, { oauth2: token });
  return { expiresAt: token.expiresAt ?? null, scopes: token.scopes ?? o.scopes, refreshable: !!token.refreshToken, store };
}
