/**
 * Token status and Meta login (issue 3). Status asks the platform itself: Meta `debug_token`
 * (validity, expiry, scopes); X OAuth 1.0a tokens do not expire, so X is checked with the cheap
 * adapter read `getAccount()`. Meta login exchanges a short-lived token for a long-lived one when
 * the profile knows the app id and the app secret. Every token seen is registered with the
 * session's redactor before any request is made.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { AdctlError, ExitCode, usageError } from '../core/errors.js';
import type { Platform } from '../core/model.js';
import type { Session } from './session.js';
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

async function graphGet(session: Session, pathAndQuery: string): Promise<unknown> {
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
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdctlError('BAD_RESPONSE', `Meta answered ${res.status} with a body that is not JSON`, ExitCode.TEMPORARY, { hint: 'retry; if it persists, check ADCTL_META_GRAPH_URL' });
  }
}

function storeOf(session: Session, platform: Platform): TokenStatus['store'] {
  const s = session.settings;
  if (s.mode === 'sandbox') return 'sandbox';
  if (s.profile === 'env') return 'env';
  return new ProfileService(session.config, session.env as NodeJS.ProcessEnv).secrets.where(s.profile)[platform] ?? 'env';
}

export async function metaStatus(session: Session, now = Date.now()): Promise<TokenStatus> {
  const { credentials: creds } = await session.connection('meta');
  if (creds.kind !== 'meta-token') throw new Error('unreachable: Meta credentials are a token');
  const base = { profile: session.settings.profile, platform: 'meta' as const, store: storeOf(session, 'meta') };
  const t = encodeURIComponent(creds.accessToken);
  const body = await graphGet(session, `debug_token?input_token=${t}&access_token=${t}${proof(creds.accessToken, creds.appSecret)}`);
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

/** Status of every enabled platform of the profile in effect; one with no token is `missing`. */
export async function allStatus(session: Session): Promise<TokenStatus[]> {
  const rows: TokenStatus[] = [];
  for (const p of session.registry.enabled()) {
    if (session.settings.mode === 'live' && !session.settings[p]) {
      rows.push({ profile: session.settings.profile, platform: p, valid: false, expiresAt: null, scopes: null, missingScopes: [], store: 'env', state: 'missing', detail: 'no token stored' });
      continue;
    }
    rows.push(p === 'meta' ? await metaStatus(session) : await xStatus(session));
  }
  return rows;
}

export async function xStatus(session: Session): Promise<TokenStatus> {
  const base = { profile: session.settings.profile, platform: 'x' as const, store: storeOf(session, 'x'), expiresAt: null, scopes: null, missingScopes: [] };
  try {
    await (await session.adapter('x')).getAccount();
    return { ...base, valid: true, state: 'ok', detail: 'OAuth 1.0a user token (does not expire)' };
  } catch (e) {
    if (e instanceof AdctlError && e.exitCode === ExitCode.AUTH) return { ...base, valid: false, state: 'invalid', detail: e.message };
    throw e;
  }
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
