/**
 * Profile operations (issue 3). Every change to config.json goes through ConfigStore.update, which
 * re-reads under an inter-process lock, so parallel `profile add` runs never lose a profile.
 * Secrets go to the SecretStore only; config.json keeps ids, time zone, plugins and guardrails.
 */
import type { ConfigStore } from '../core/config.js';
import { type AdctlError, configError, usageError } from '../core/errors.js';
import {
  ProfileName, ProfileSchema, ProfileSecretsSchema, ProfilesSectionSchema, RESERVED_PROFILE_NAMES, secretValues,
  type Profile, type ProfileSecrets,
} from '../core/profiles.js';
import { selectProfileName, type Env, type LoadedProfile, type SettingsFlags } from '../core/settings.js';
import { SecretStore, type StoreKind } from './secrets.js';

export interface ProfileView {
  name: string;
  active: boolean;
  profile: Profile;
  /** Which secrets are stored, never their values. */
  secrets: { x: boolean; meta: boolean; metaAppSecret: boolean; store: Partial<Record<'x' | 'meta', StoreKind>>; path: string };
}

function section(config: ConfigStore) {
  return ProfilesSectionSchema.parse(config.read());
}

function checkName(name: string, flag = 'NAME'): string {
  const r = ProfileName.safeParse(name);
  if (!r.success) throw usageError('INVALID_PROFILE_NAME', `profile name "${name}" is invalid (${flag})`, 'use lowercase letters, digits, - and _ (up to 64)');
  if (RESERVED_PROFILE_NAMES.has(name)) throw usageError('RESERVED_PROFILE_NAME', `"${name}" is reserved`, 'env and sandbox name the profile in effect without a stored one; pick another name');
  return name;
}

export function unknownProfile(name: string): AdctlError {
  return configError('PROFILE_NOT_FOUND', `no profile named "${name}"`, 'see `adctl profile list`, or create it with `adctl profile add NAME`');
}

export class ProfileService {
  readonly secrets: SecretStore;

  constructor(readonly config: ConfigStore, env: Env = process.env) {
    this.secrets = new SecretStore(config.dir, env);
  }

  list(): ProfileView[] {
    const s = section(this.config);
    return Object.keys(s.profiles).sort().map((n) => this.view(n, s));
  }

  show(name: string): ProfileView {
    const s = section(this.config);
    if (!s.profiles[name]) throw unknownProfile(name);
    return this.view(name, s);
  }

  private view(name: string, s: ReturnType<typeof section>): ProfileView {
    const store = this.secrets.where(name);
    return {
      name,
      active: s.activeProfile === name,
      profile: s.profiles[name]!,
      secrets: { x: !!store.x, meta: !!store.meta, metaAppSecret: store.meta === 'file' ? !!this.secrets.get(name).meta?.appSecret : store.meta === 'keyring', store, path: this.secrets.path },
    };
  }

  /** Create a profile; `replace` allows overwriting an existing one. Secrets are stored first. */
  async add(name: string, profile: Profile, secrets: ProfileSecrets, replace = false): Promise<void> {
    checkName(name);
    const p = ProfileSchema.parse(profile);
    const sec = ProfileSecretsSchema.parse(secrets);
    if (!replace && section(this.config).profiles[name]) {
      throw usageError('PROFILE_EXISTS', `a profile named "${name}" already exists`, 'pick another name, or pass --force to replace it');
    }
    await this.secrets.set(name, sec);
    await this.config.update((c) => {
      const s = ProfilesSectionSchema.parse(c);
      if (!replace && s.profiles[name]) {
        throw usageError('PROFILE_EXISTS', `a profile named "${name}" already exists`, 'pick another name, or pass --force to replace it');
      }
      c.profiles = { ...s.profiles, [name]: p };
    });
  }

  async use(name: string): Promise<void> {
    await this.config.update((c) => {
      if (!ProfilesSectionSchema.parse(c).profiles[name]) throw unknownProfile(name);
      c.activeProfile = name;
    });
  }

  async remove(name: string): Promise<void> {
    await this.config.update((c) => {
      const s = ProfilesSectionSchema.parse(c);
      if (!s.profiles[name]) throw unknownProfile(name);
      const { [name]: _gone, ...rest } = s.profiles;
      c.profiles = rest;
      if (s.activeProfile === name) delete c.activeProfile;
    });
    await this.secrets.set(name, undefined);
  }

  async rename(from: string, to: string): Promise<void> {
    checkName(to, 'NEW');
    await this.config.update((c) => {
      const s = ProfilesSectionSchema.parse(c);
      if (!s.profiles[from]) throw unknownProfile(from);
      if (s.profiles[to]) throw usageError('PROFILE_EXISTS', `a profile named "${to}" already exists`, 'remove it first or pick another name');
      const { [from]: moved, ...rest } = s.profiles;
      c.profiles = { ...rest, [to]: moved! };
      if (s.activeProfile === from) c.activeProfile = to;
    });
    await this.secrets.rename(from, to);
  }
}

export interface RunProfile {
  profile: LoadedProfile;
  plugins: Partial<Record<'x' | 'meta', boolean>>;
  secrets: string[];
}

/**
 * The stored profile a run uses (flags > env > active profile), with its secrets, or undefined
 * when none applies. A named profile that does not exist is a configuration error (exit 78).
 */
export function loadProfileForRun(config: ConfigStore, env: Env, flags: SettingsFlags): RunProfile | undefined {
  if (flags.sandbox) return undefined;
  const s = section(config);
  const name = selectProfileName(env, flags, s.activeProfile);
  if (!name) return undefined;
  const p = s.profiles[name];
  if (!p) throw unknownProfile(name);
  const sec = new SecretStore(config.dir, env).get(name);
  return {
    profile: {
      name,
      x: !sec.x ? undefined : 'apiKey' in sec.x ? { kind: 'x-oauth1', ...sec.x } : { kind: 'x-oauth2', ...sec.x.oauth2 },
      meta: sec.meta ? { kind: 'meta-token', accessToken: sec.meta.accessToken, appSecret: sec.meta.appSecret } : undefined,
      accounts: { x: p.x?.adsAccountId, meta: p.meta?.adAccountId },
      channels: { xUserId: p.x?.userId, pageId: p.meta?.pageId, igUserId: p.meta?.igUserId },
      timeZone: p.timeZone,
    },
    plugins: p.plugins ?? {},
    secrets: secretValues(sec),
  };
}


