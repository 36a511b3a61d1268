/**
 * `adctl doctor` (issue 3): one line per check, OK / WARN / FAIL, each WARN and FAIL with a hint.
 *
 * Checks, in order: the config file (schema, profiles, active profile), the profile in effect, the
 * credentials file's mode, where secrets are held, the OS keyring, one cheap read per credential of
 * each enabled plugin (Meta `debug_token`, X `GET /2/users/me`, through services/auth.ts), the API
 * versions in use against known end dates, and the clock against the platforms' `Date` headers.
 *
 * Contracts:
 * - Read-only: doctor never writes config or secrets, never resets a corrupted config (the config
 *   loader copies it aside and says where), and never prints a secret (tokens go through the
 *   session's redactor; only store names and paths are shown).
 * - Exit code (DESIGN §6): 78 when a configuration check fails (config, profile, secrets file,
 *   keyring-held secrets, an expired API version, the clock), else 4 when a credentials check fails,
 *   else the failing check's own code (75 when a platform could not be reached); 0 with only OK/WARN.
 * - A failing check does not stop the others, except that checks needing a session are skipped
 *   when the config or the profile in effect cannot be loaded.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { AdctlError, ExitCode } from '../core/errors.js';
import type { Platform } from '../core/model.js';
import { ProfilesSectionSchema } from '../core/profiles.js';
import { defaultConfigDir, type Env } from '../core/settings.js';
import type { DateSeen, TokenStatus } from './auth.js';
import type { Session } from './session.js';

export type CheckStatus = 'OK' | 'WARN' | 'FAIL';

/** One line of the report; `--json` prints an array of these (stable shape). */
export interface DoctorCheck {
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a WARN or FAIL; null when OK. */
  hint: string | null;
}

interface Row extends DoctorCheck {
  /** The exit code this row asks for when it fails. */
  exit?: number;
}

export interface DoctorResult {
  checks: DoctorCheck[];
  exitCode: number;
}

const DAY = 86_400_000;

// ---------------------------------------------------------------- API versions (pure)

/** WARN this many days before a version's end date. */
export const API_VERSION_WARN_DAYS = 90;

/**
 * Known end dates (UTC days). Meta: the Marketing API's expiry dates, which come before the Graph
 * API's and are what ads calls hit (REFERENCE "Versions at a glance"; Meta's Marketing API version
 * history, checked 2026-11-29: v26.0 and v27.0 have no date yet). X Ads API: 11 and 12 are listed
 * with no end of life, so there is nothing to warn about until X announces one.
 */
export const API_END_DATES: Record<'meta' | 'x-ads', { name: string; ends: Record<string, string> }> = {
  meta: {
    name: 'Meta Marketing API',
    ends: { 'v19.0': '2025-02-04', 'v20.0': '2025-05-06', 'v21.0': '2025-09-09', 'v22.0': '2026-02-19', 'v23.0': '2026-06-09', 'v24.0': '2026-11-10', 'v25.0': '2027-02-23' },
  },
  'x-ads': { name: 'X Ads API', ends: {} },
};

/** The X Ads API version adctl speaks: twitter-api-v2's ads prefix is `https://ads-api.x.com/12/`. */
export const X_ADS_API_VERSION = '12';

const versionNumber = (v: string) => Number(v.replace(/^v/, ''));

/**
 * OK, WARN within API_VERSION_WARN_DAYS of the end date, FAIL on or after it. A version older than
 * one that has already ended is FAIL too (older versions end first), even if it is not in the table.
 */
export function apiVersionStatus(api: 'meta' | 'x-ads', version: string, nowMs: number): { status: CheckStatus; detail: string } {
  const { name, ends } = API_END_DATES[api];
  const end = ends[version];
  if (end) {
    const endMs = Date.parse(`${end}T00:00:00Z`);
    const days = Math.ceil((endMs - nowMs) / DAY);
    if (endMs <= nowMs) return { status: 'FAIL', detail: `${name} ${version} ended on ${end}` };
    if (days <= API_VERSION_WARN_DAYS) return { status: 'WARN', detail: `${name} ${version} ends on ${end} (in ${days} days)` };
    return { status: 'OK', detail: `${name} ${version} runs until ${end}` };
  }
  const ended = Object.entries(ends)
    .filter(([v, d]) => Date.parse(`${d}T00:00:00Z`) <= nowMs && versionNumber(version) < versionNumber(v))
    .sort(([a], [b]) => versionNumber(a) - versionNumber(b));
  if (ended.length) return { status: 'FAIL', detail: `${name} ${version} is older than ${ended[0]![0]}, which ended on ${ended[0]![1]}` };
  return { status: 'OK', detail: `${name} ${version}: no end date announced` };
}

// ---------------------------------------------------------------- clock skew (pure)

export const SKEW_WARN_MS = 30_000;
export const SKEW_FAIL_MS = 5 * 60_000;

export interface DateSample {
  platform: Platform;
  /** The response's `Date` header (RFC 7231, whole seconds), or null when it had none. */
  date: string | null;
  /** Local time the response arrived, ms. */
  localMs: number;
}

/**
 * The largest difference between local time and a platform's `Date` header. The header has whole
 * seconds, so differences under a second or two are noise; the thresholds are far above that.
 * Positive skew: the local clock is ahead.
 */
export function clockSkewStatus(samples: DateSample[]): { status: CheckStatus; detail: string } {
  const skews = samples.flatMap((s) => {
    const at = s.date ? Date.parse(s.date) : NaN;
    return Number.isFinite(at) ? [{ platform: s.platform, ms: s.localMs - at }] : [];
  });
  if (!skews.length) return { status: 'WARN', detail: 'no platform answered with a Date header, so the skew is unknown' };
  const worst = skews.reduce((a, b) => (Math.abs(b.ms) > Math.abs(a.ms) ? b : a));
  const secs = Math.round(Math.abs(worst.ms) / 1000);
  const dir = worst.ms > 0 ? 'ahead of' : 'behind';
  const platforms = [...new Set(skews.map((x) => x.platform))].join(' and ');
  const detail = secs <= 1 ? `local clock agrees with ${platforms} (within 1 s)` : `local clock is ${secs} s ${dir} ${worst.platform}'s`;
  if (Math.abs(worst.ms) > SKEW_FAIL_MS) return { status: 'FAIL', detail };
  if (Math.abs(worst.ms) > SKEW_WARN_MS) return { status: 'WARN', detail };
  return { status: 'OK', detail };
}

// ---------------------------------------------------------------- the run

export interface DoctorDeps {
  env: Env;
  /** Opens the session of the run (profile, settings, plugins); may throw AdctlError. */
  openSession(): Promise<Session>;
  /** Keyring probe (write, read back, delete; each call with a timeout). */
  keyringProbe?: () => boolean;
  now?: () => number;
}

const ok = (check: string, detail: string): Row => ({ check, status: 'OK', detail, hint: null });
const warn = (check: string, detail: string, hint: string): Row => ({ check, status: 'WARN', detail, hint });
const fail = (check: string, detail: string, hint: string, exit: number): Row => ({ check, status: 'FAIL', detail, hint, exit });
function fromError(check: string, e: unknown, redact: (s: string) => string = (s) => s): Row {
  if (e instanceof AdctlError) return fail(check, redact(e.message), redact(e.hint ?? 'run the command again with --debug for details'), e.exitCode);
  return fail(check, redact(e instanceof Error ? e.message.split('\n')[0]! : String(e)), 'run the command again with --debug for details', ExitCode.FAILURE);
}

function loginHint(platform: Platform, credential: TokenStatus['credential'], profile: string): string {
  const p = profile === 'env' || profile === 'sandbox' ? 'NAME' : profile;
  if (platform === 'meta') return `run \`adctl auth login --platform meta --profile ${p} --token-file FILE\` with a fresh token`;
  return `run \`adctl auth login --platform x --flow ${credential === 'oauth2' ? 'pkce' : 'pin'} --profile ${p}\``;
}

function tokenRow(r: TokenStatus): Row {
  const check = `auth ${r.platform}${r.credential ? ` ${r.credential}` : ''}`;
  const hint = loginHint(r.platform, r.credential, r.profile);
  const detail = (...parts: Array<string | null | undefined>) => parts.filter(Boolean).join('; ');
  switch (r.state) {
    case 'ok': return ok(check, detail(r.detail ?? 'token valid', r.expiresAt ? `expires ${r.expiresAt}` : null));
    case 'expiring': return warn(check, `token expires ${r.expiresAt ?? '?'}, within 7 days`, hint);
    case 'expired': return fail(check, detail('token expired', r.detail), hint, ExitCode.AUTH);
    case 'missing-scope': return fail(check, `token lacks the scope ${r.missingScopes.join(', ')}`, hint, ExitCode.AUTH);
    case 'missing': return fail(check, 'no credentials for this enabled plugin', `${hint}, or turn the plugin off with \`adctl plugin disable ${r.platform}\``, ExitCode.AUTH);
    default: return fail(check, r.detail ?? 'the platform refused the token', hint, ExitCode.AUTH);
  }
}

async function credentialsFileRows(dir: string, env: Env): Promise<Row[]> {
  const path = join(dir, 'credentials.json');
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return [ok('secrets file', `no credentials file (${path}); nothing is stored in a file`)];
  }
  const octal = mode.toString(8).padStart(4, '0');
  if (mode & 0o077) {
    return [fail('secrets file', `${path} is mode ${octal}: readable by group or others`, `chmod 600 ${path}`, ExitCode.CONFIG)];
  }
  try {
    // Parses and schema-checks the file without touching the keyring.
    const { SecretStore } = await import('./secrets.js');
    new SecretStore(dir, env as NodeJS.ProcessEnv).where('');
  } catch (e) {
    return [fromError('secrets file', e)];
  }
  return [ok('secrets file', `${path} is mode ${octal}`)];
}

async function storeRows(session: Session, keyringOff: boolean): Promise<{ rows: Row[]; fileInUse: boolean }> {
  const s = session.settings;
  if (s.mode === 'sandbox') return { rows: [ok('secrets store', 'the built-in sandbox\'s demo credentials; nothing is stored')], fileInUse: false };
  if (s.profile === 'env') return { rows: [ok('secrets store', 'credentials come from ADCTL_* environment variables; nothing is read from the store')], fileInUse: false };
  const { SecretStore } = await import('./secrets.js');
  const store = new SecretStore(session.config.dir, session.env as NodeJS.ProcessEnv);
  const where = store.where(s.profile);
  const parts = (['x', 'meta'] as const).filter((p) => where[p]).map((p) => `${p} in the ${where[p] === 'keyring' ? 'OS keyring' : `0600 file ${store.path}`}`);
  const fileInUse = Object.values(where).includes('file');
  const why = fileInUse && keyringOff ? ' (ADCTL_KEYRING=off)' : '';
  return { rows: [ok('secrets store', parts.length ? `profile ${s.profile}: ${parts.join(', ')}${why}` : `profile ${s.profile} has no stored secrets`)], fileInUse };
}

function keyringRow(probe: () => boolean, fileInUse: boolean, credentialsPath: string, keyringOff: boolean): Row {
  if (keyringOff) return ok('keyring', 'turned off by ADCTL_KEYRING; secrets go to the 0600 credentials file');
  if (probe()) return ok('keyring', 'the OS keyring answers (write, read back, delete)');
  return warn('keyring', `the OS keyring is not available${fileInUse ? `; secrets are in the 0600 file ${credentialsPath} instead` : '; new secrets will go to the 0600 credentials file'}`,
    'start or unlock a Secret Service (GNOME Keyring, KWallet) or the macOS/Windows keychain for adctl to use it; the 0600 file is the safe fallback');
}

export async function runDoctor(deps: DoctorDeps): Promise<DoctorResult> {
  const now = deps.now ?? Date.now;
  const env = deps.env;
  const dir = defaultConfigDir(env);
  const rows: Row[] = [];

  // 1. The config file: conf + zod, then the profiles section and the active profile.
  let configOk = false;
  try {
    const { ConfigStore } = await import('../core/config.js');
    const config = await ConfigStore.open(dir);
    const section = ProfilesSectionSchema.safeParse(config.read());
    if (!section.success) {
      const problems = section.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      rows.push(fail('config', `${config.path}: ${problems}`, 'fix those entries by hand (see `adctl profile add --help` for the fields), or remove the profile and add it again', ExitCode.CONFIG));
    } else if (section.data.activeProfile && !section.data.profiles[section.data.activeProfile]) {
      rows.push(fail('config', `the active profile "${section.data.activeProfile}" does not exist`, 'choose one with `adctl profile use NAME` (see `adctl profile list`)', ExitCode.CONFIG));
    } else {
      const n = Object.keys(section.data.profiles).length;
      rows.push(ok('config', `${config.path} is valid (${n} profile${n === 1 ? '' : 's'}${section.data.activeProfile ? `, active: ${section.data.activeProfile}` : ''})`));
      configOk = true;
    }
  } catch (e) {
    rows.push(fromError('config', e));
  }

  const { keyring, keyringDisabled } = await import('./keyring.js');
  const keyringOff = keyringDisabled(env as NodeJS.ProcessEnv);
  const probe = deps.keyringProbe ?? (() => keyring.available());
  rows.push(...await credentialsFileRows(dir, env));

  let session: Session | undefined;
  if (configOk) {
    try {
      session = await deps.openSession();
    } catch (e) {
      rows.push(fromError('profile', e));
    }
  }
  if (!session) {
    rows.push(keyringRow(probe, false, join(dir, 'credentials.json'), keyringOff));
    return finish(rows);
  }
  const s = session.settings;
  const redact = (t: string) => session.redactor.redact(t);
  const accounts = (['x', 'meta'] as const).map((p) => `${p} account ${session.accountId(p) ?? 'not set'}`).join(', ');
  rows.push(ok('profile', s.mode === 'sandbox'
    ? `sandbox: ${s.sandboxReason === 'flag' ? '--sandbox given' : 'no credentials are configured'}, so nothing reaches X or Meta`
    : `${s.profile === 'env' ? 'env (credentials from ADCTL_* environment variables)' : s.profile}: ${accounts}`));

  let fileInUse = false;
  try {
    const r = await storeRows(session, keyringOff);
    rows.push(...r.rows);
    fileInUse = r.fileInUse;
  } catch (e) {
    rows.push(fromError('secrets store', e, redact));
  }
  rows.push(keyringRow(probe, fileInUse, join(dir, 'credentials.json'), keyringOff));

  // Cheap reads: one per credential. Their Date headers feed the clock check.
  const samples: DateSample[] = [];
  const onDate: DateSeen = (platform, date, localMs) => samples.push({ platform, date, localMs });
  const auth = await import('./auth.js');
  const enabled = session.registry.enabled();
  if (!enabled.length) rows.push(warn('plugins', 'every plugin is turned off', 'turn one on with `adctl plugin enable x` or `adctl plugin enable meta`'));
  for (const p of enabled) {
    if (s.mode === 'live' && !s[p]) {
      rows.push(tokenRow({ profile: s.profile, platform: p, valid: false, expiresAt: null, scopes: null, missingScopes: [], store: 'env', state: 'missing' }));
      continue;
    }
    try {
      const statuses = p === 'meta' ? [await auth.metaStatus(session, now(), onDate)] : await auth.xStatus(session, now(), onDate);
      for (const st of statuses) rows.push(tokenRow({ ...st, ...(st.detail ? { detail: redact(st.detail) } : {}) }));
    } catch (e) {
      rows.push(fromError(`auth ${p}`, e, redact));
    }
  }

  // API versions of the enabled plugins.
  const versionHint = (api: 'meta' | 'x-ads') => api === 'meta'
    ? 'set ADCTL_META_API_VERSION to a current version (adctl\'s default is one Meta has not expired), or unset it'
    : 'upgrade adctl to a release that speaks a current X Ads API version';
  const apis: Array<['meta' | 'x-ads', string]> = [];
  if (enabled.includes('meta')) apis.push(['meta', s.endpoints.metaApiVersion]);
  if (enabled.includes('x')) apis.push(['x-ads', X_ADS_API_VERSION]);
  for (const [api, version] of apis) {
    const v = apiVersionStatus(api, version, now());
    const check = `api ${api === 'meta' ? 'meta' : 'x ads'}`;
    rows.push(v.status === 'OK' ? ok(check, v.detail) : v.status === 'WARN' ? warn(check, v.detail, versionHint(api)) : fail(check, v.detail, versionHint(api), ExitCode.CONFIG));
  }

  if (enabled.length) {
    const c = clockSkewStatus(samples);
    const hint = samples.some((x) => x.date) ? 'sync the system clock with NTP (e.g. `timedatectl set-ntp true`); X refuses OAuth 1.0a signatures whose timestamp is off by minutes'
      : 'run doctor again when the platforms can be reached';
    rows.push(c.status === 'OK' ? ok('clock', c.detail) : c.status === 'WARN' ? warn('clock', c.detail, hint) : fail('clock', c.detail, hint, ExitCode.CONFIG));
  }
  return finish(rows);
}

function finish(rows: Row[]): DoctorResult {
  const failed = rows.filter((r) => r.status === 'FAIL');
  const exitCode = failed.some((r) => r.exit === ExitCode.CONFIG) ? ExitCode.CONFIG
    : failed.some((r) => r.exit === ExitCode.AUTH) ? ExitCode.AUTH
      : failed.length ? failed[0]!.exit ?? ExitCode.FAILURE : ExitCode.OK;
  return { checks: rows.map(({ check, status, detail, hint }) => ({ check, status, detail, hint })), exitCode };
}
