/**
 * Resolves what a run acts on: credentials, account ids, endpoints, timeout and whether the
 * built-in sandbox is used. Precedence: flags > env > profile > defaults (DESIGN §5).
 *
 * Secrets come from env or `NAME_FILE` files, never from flags. Every env value is validated here
 * with zod; a bad value is a configuration error (exit 78) naming the variable.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from './zod.js';
import type { Endpoints, MetaCredentials, XCredentials, XOAuth2Credentials } from './adapter.js';
import { DEFAULT_ENDPOINTS } from './context.js';
import { AdctlError, ExitCode, configError } from './errors.js';
import type { Platform } from './model.js';
import { debugFrom, inCi, noInputFrom } from './switches.js';

export type Env = Record<string, string | undefined>;

export interface PlatformSettings<C> {
  credentials: C;
  accountId: string | undefined;
}

export interface Settings {
  configDir: string;
  /** `sandbox`: talk to the in-process sandbox with its demo credentials. */
  mode: 'live' | 'sandbox';
  /** Why sandbox mode was chosen, for the stderr notice. */
  sandboxReason?: 'flag' | 'no-credentials';
  /** `env` when credentials come from ADCTL_* variables (DESIGN §5), `sandbox` in sandbox mode. */
  profile: string;
  x: PlatformSettings<XCredentials | XOAuth2Credentials> | undefined;
  meta: PlatformSettings<MetaCredentials> | undefined;
  /** Endpoints from env; in sandbox mode the session replaces them with the sandbox origin. */
  endpoints: Endpoints;
  /**
   * Whether any endpoint was set explicitly by env. In sandbox mode that means a standalone
   * `adctl sandbox serve` is running there, so the in-process sandbox is not started.
   */
  endpointsFromEnv: boolean;
  /** Account ids chosen by --account or env, per platform (also honoured in sandbox mode). */
  accounts: { x: string | undefined; meta: string | undefined };
  /** Where posts go (issue 5): env (ADCTL_META_PAGE_ID, ADCTL_META_IG_USER_ID) > profile; the session adds sandbox defaults. */
  channels: { xUserId: string | undefined; pageId: string | undefined; igUserId: string | undefined };
  /** Time zones for reading local times (DESIGN §10): ADCTL_TZ, and the profile's zone (posts). */
  timeZones: { env: string | undefined; profile: string | undefined };
  timeoutMs: number;
  noInput: boolean;
  debug: boolean;
  ci: boolean;
}

export interface SettingsFlags {
  /** --profile: names a stored profile (wins over ADCTL_PROFILE, env credentials and the active profile). */
  profile?: string | undefined;
  sandbox?: boolean;
  account?: string | undefined;
  noInput?: boolean;
  debug?: boolean;
  timeout?: string | undefined;
}

export function defaultConfigDir(env: Env): string {
  if (env.ADCTL_CONFIG_DIR) return env.ADCTL_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'adctl');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'adctl');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'adctl');
}

const DURATION_RE = /^(\d+)(ms|s|m)$/;

/** `500ms`, `5s`, `2m` → milliseconds. */
/** A flag's bad value is a usage error (64); an environment variable's is a configuration error (78). */
export function parseDuration(text: string, name: string): number {
  const fail = (message: string, hint: string) => (name.startsWith('--')
    ? new AdctlError('INVALID_DURATION', message, ExitCode.USAGE, { hint })
    : configError('INVALID_DURATION', message, hint));
  const m = DURATION_RE.exec(text.trim());
  if (!m) throw fail(`${name}="${text}" is not a duration`, 'write it like 500ms, 5s or 2m');
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
  if (ms <= 0 || ms > 3_600_000) throw fail(`${name}="${text}" is out of range`, 'use a value between 1ms and 60m');
  return ms;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** A base URL: https anywhere, http only for loopback hosts (DESIGN §5). */
export const BaseUrl = z
  .string()
  .url()
  .refine((u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      return false; // .url() already reports it; zod 4 still runs this refinement
    }
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || url.hostname.startsWith('127.'));
  }, 'must be https://, or http:// on a loopback host')
  .transform((u) => u.replace(/\/+$/, ''));

const ApiVersion = z.string().regex(/^v\d+\.\d+$/, 'must look like v26.0');

/** Read a secret from NAME or NAME_FILE. Both set is an error: which one wins would be a guess. */
export function readSecret(env: Env, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) {
    throw configError('AMBIGUOUS_SECRET', `both ${name} and ${name}_FILE are set`, `unset one of them`);
  }
  if (file) {
    try {
      const v = readFileSync(file, 'utf8').trim();
      if (!v) throw configError('EMPTY_SECRET', `${name}_FILE points to an empty file`, `write the value into ${file}`);
      return v;
    } catch (e) {
      if (e instanceof AdctlError) throw e;
      throw configError('SECRET_FILE_UNREADABLE', `cannot read ${name}_FILE (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path and its permissions');
    }
  }
  return direct || undefined;
}

function endpointFromEnv(env: Env, name: string, fallback: string): string {
  const v = env[name];
  if (!v) return fallback;
  const r = BaseUrl.safeParse(v);
  if (!r.success) {
    throw configError('INVALID_ENDPOINT', `${name}="${v}" ${r.error.issues[0]?.message ?? 'is not a valid URL'}`, 'use https://…, or http://127.0.0.1:PORT for a local sandbox');
  }
  return r.data;
}

const X_VARS = ['ADCTL_X_API_KEY', 'ADCTL_X_API_SECRET', 'ADCTL_X_ACCESS_TOKEN', 'ADCTL_X_ACCESS_SECRET'] as const;

/** True when ADCTL_* credential variables (or their _FILE forms) supply this platform's token: they win over a stored profile's (env > profile). */
export function credentialsFromEnv(env: Env, platform: Platform): boolean {
  const names: readonly string[] = platform === 'x' ? X_VARS : ['ADCTL_META_ACCESS_TOKEN'];
  return names.some((n) => !!env[n] || !!env[`${n}_FILE`]);
}

function xFromEnv(env: Env): XCredentials | undefined {
  const values = X_VARS.map((n) => readSecret(env, n));
  const present = values.filter(Boolean).length;
  if (present === 0) return undefined;
  if (present < X_VARS.length) {
    const missing = X_VARS.filter((_, i) => !values[i]);
    throw configError('INCOMPLETE_CREDENTIALS', `X credentials are incomplete: ${missing.join(', ')} not set`, 'OAuth 1.0a needs all four ADCTL_X_* key, secret, token and token secret');
  }
  const [apiKey, apiSecret, accessToken, accessSecret] = values as string[];
  return { kind: 'x-oauth1', apiKey: apiKey!, apiSecret: apiSecret!, accessToken: accessToken!, accessSecret: accessSecret! };
}

function metaFromEnv(env: Env): MetaCredentials | undefined {
  const accessToken = readSecret(env, 'ADCTL_META_ACCESS_TOKEN');
  const appSecret = readSecret(env, 'ADCTL_META_APP_SECRET');
  if (!accessToken) {
    if (appSecret) throw configError('INCOMPLETE_CREDENTIALS', 'ADCTL_META_APP_SECRET is set but ADCTL_META_ACCESS_TOKEN is not', 'set the access token too');
    return undefined;
  }
  return { kind: 'meta-token', accessToken, appSecret };
}

/** Which platform an `--account` value names: `x:ID`, `meta:act_ID`, or a bare `act_…`. */
export function parseAccountFlag(value: string): { platform: Platform; id: string } {
  const m = /^(x|meta):(.+)$/.exec(value);
  if (m) return { platform: m[1] as Platform, id: m[2]! };
  if (/^act_\d+$/.test(value)) return { platform: 'meta', id: value };
  throw new AdctlError('INVALID_ACCOUNT', `--account "${value}" does not say which platform`, ExitCode.USAGE, {
    hint: 'write x:ACCOUNT_ID or meta:act_ACCOUNT_ID',
  });
}

/** A stored profile with its secrets, as loaded by the session (services/profiles.ts). */
export interface LoadedProfile {
  name: string;
  x: XCredentials | XOAuth2Credentials | undefined;
  meta: MetaCredentials | undefined;
  accounts: { x: string | undefined; meta: string | undefined };
  /** Post destinations stored in the profile (x.userId, meta.pageId, meta.igUserId). */
  channels?: { xUserId?: string | undefined; pageId?: string | undefined; igUserId?: string | undefined } | undefined;
  /** The profile's IANA zone, used for posts' local times. */
  timeZone?: string | undefined;
}

/**
 * Which stored profile a run uses, or undefined for none: --profile, then ADCTL_PROFILE; the active
 * profile only when no ADCTL_* credentials are set (those make the profile in effect `env`).
 */
export function selectProfileName(env: Env, flags: SettingsFlags, active: string | undefined): string | undefined {
  if (flags.profile) return flags.profile;
  if (env.ADCTL_PROFILE) return env.ADCTL_PROFILE;
  return credentialsFromEnv(env, 'x') || credentialsFromEnv(env, 'meta') ? undefined : active;
}

export function resolveSettings(env: Env, flags: SettingsFlags = {}, profile?: LoadedProfile): Settings {
  const ci = inCi(env);
  const timeoutMs = flags.timeout ? parseDuration(flags.timeout, '--timeout') : env.ADCTL_TIMEOUT ? parseDuration(env.ADCTL_TIMEOUT, 'ADCTL_TIMEOUT') : 30_000;
  const versionRaw = env.ADCTL_META_API_VERSION;
  if (versionRaw && !ApiVersion.safeParse(versionRaw).success) {
    throw configError('INVALID_API_VERSION', `ADCTL_META_API_VERSION="${versionRaw}" must look like v26.0`, 'see the Graph API changelog for versions that have not expired');
  }
  const endpoints: Endpoints = {
    xApi: endpointFromEnv(env, 'ADCTL_X_API_URL', DEFAULT_ENDPOINTS.xApi),
    xAdsApi: endpointFromEnv(env, 'ADCTL_X_ADS_API_URL', DEFAULT_ENDPOINTS.xAdsApi),
    xUpload: endpointFromEnv(env, 'ADCTL_X_UPLOAD_URL', DEFAULT_ENDPOINTS.xUpload),
    metaGraph: endpointFromEnv(env, 'ADCTL_META_GRAPH_URL', DEFAULT_ENDPOINTS.metaGraph),
    metaApiVersion: versionRaw ?? DEFAULT_ENDPOINTS.metaApiVersion,
  };
  const endpointsFromEnv = ['ADCTL_X_API_URL', 'ADCTL_X_ADS_API_URL', 'ADCTL_X_UPLOAD_URL', 'ADCTL_META_GRAPH_URL'].some((n) => !!env[n]);

  const account = flags.account ? parseAccountFlag(flags.account) : undefined;
  const xAccount = account?.platform === 'x' ? account.id : env.ADCTL_X_ADS_ACCOUNT_ID || profile?.accounts.x || undefined;
  const metaAccount = account?.platform === 'meta' ? account.id : env.ADCTL_META_AD_ACCOUNT_ID || profile?.accounts.meta || undefined;

  const base = {
    configDir: defaultConfigDir(env),
    endpoints,
    endpointsFromEnv,
    accounts: { x: xAccount, meta: metaAccount },
    channels: {
      xUserId: profile?.channels?.xUserId,
      pageId: env.ADCTL_META_PAGE_ID || profile?.channels?.pageId || undefined,
      igUserId: env.ADCTL_META_IG_USER_ID || profile?.channels?.igUserId || undefined,
    },
    timeZones: { env: env.ADCTL_TZ || undefined, profile: profile?.timeZone },
    timeoutMs,
    noInput: noInputFrom(flags, env),
    debug: debugFrom(flags, env),
    ci,
  };

  if (flags.sandbox) {
    return { ...base, mode: 'sandbox', sandboxReason: 'flag', profile: 'sandbox', x: undefined, meta: undefined };
  }

  if (profile) {
    // A named profile: its credentials, with ADCTL_* credential variables still winning (env > profile).
    const x = xFromEnv(env) ?? profile.x;
    const meta = metaFromEnv(env) ?? profile.meta;
    return {
      ...base,
      mode: 'live',
      profile: profile.name,
      x: x ? { credentials: x, accountId: xAccount } : undefined,
      meta: meta ? { credentials: meta, accountId: metaAccount } : undefined,
    };
  }

  const x = xFromEnv(env);
  const meta = metaFromEnv(env);
  if (!x && !meta) {
    if (ci) {
      throw new AdctlError('NO_CREDENTIALS', 'no credentials are configured, and in CI adctl never falls back to the sandbox', ExitCode.AUTH, {
        hint: 'set ADCTL_X_* or ADCTL_META_* credentials (see `adctl help environment`), or pass --sandbox to use the built-in sandbox on purpose',
      });
    }
    return { ...base, mode: 'sandbox', sandboxReason: 'no-credentials', profile: 'sandbox', x: undefined, meta: undefined };
  }
  return {
    ...base,
    mode: 'live',
    profile: 'env',
    x: x ? { credentials: x, accountId: xAccount } : undefined,
    meta: meta ? { credentials: meta, accountId: metaAccount } : undefined,
  };
}
