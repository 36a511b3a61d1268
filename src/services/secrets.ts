/**
 * The secret store for profiles (DESIGN §11). Each platform's secrets of a profile go to the OS
 * keyring (service `adctl:<platform>`, account `<profile>`) when it works, else to a 0600
 * credentials file under the config dir (`credentials.json`, written atomically under a lock).
 * The file also records which platforms live in the keyring, so reading a file-held profile never
 * touches the keyring. config.json never holds a secret. `ADCTL_KEYRING=off` forces the file.
 */
import { join } from 'node:path';
import * as z from '../core/zod.js';
import { configError } from '../core/errors.js';
import { ensureDir, readFileIfExists, withFileLock, writeFileAtomic } from '../core/fs.js';
import { MetaSecretsSchema, XSecretsSchema, type ProfileSecrets } from '../core/profiles.js';
import { keyring as osKeyring, keyringDisabled, type KeyringBackend } from './keyring.js';

const EntrySchema = z.object({
  x: XSecretsSchema.optional(),
  meta: MetaSecretsSchema.optional(),
  /** Platforms whose secrets are in the OS keyring instead of this file. */
  keyring: z.array(z.enum(['x', 'meta'])).optional(),
}).strict();
type Entry = z.infer<typeof EntrySchema>;
const FileSchema = z.record(z.string(), EntrySchema);

export type StoreKind = 'keyring' | 'file';

export class SecretStore {
  readonly path: string;
  private readonly useKeyring: boolean;
  /** Set when a keyring write failed and the file was used instead, for the notice. */
  fellBack = false;

  constructor(readonly dir: string, env: NodeJS.ProcessEnv = process.env, private readonly keyring: KeyringBackend = osKeyring) {
    this.path = join(dir, 'credentials.json');
    this.useKeyring = !keyringDisabled(env);
  }

  private readAll(): Record<string, Entry> {
    const text = readFileIfExists(this.path);
    if (text === undefined) return {};
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw configError('CREDENTIALS_INVALID', `the credentials file ${this.path} is not valid JSON`, 'fix it by hand, or remove it and add the profiles again');
    }
    const r = FileSchema.safeParse(raw);
    if (!r.success) throw configError('CREDENTIALS_INVALID', `the credentials file ${this.path} is invalid`, 'fix it by hand, or remove it and add the profiles again');
    return r.data;
  }

  /** Where each platform's secrets of `profile` are held. */
  where(profile: string): Partial<Record<'x' | 'meta', StoreKind>> {
    const e = this.readAll()[profile];
    const out: Partial<Record<'x' | 'meta', StoreKind>> = {};
    for (const p of ['x', 'meta'] as const) {
      if (e?.keyring?.includes(p)) out[p] = 'keyring';
      else if (e?.[p]) out[p] = 'file';
    }
    return out;
  }

  get(profile: string): ProfileSecrets {
    const e = this.readAll()[profile];
    if (!e) return {};
    const out: ProfileSecrets = {};
    if (e.x) out.x = e.x;
    if (e.meta) out.meta = e.meta;
    for (const p of e.keyring ?? []) {
      const value = this.keyring.get(`adctl:${p}`, profile);
      if (value === undefined) {
        throw configError('KEYRING_UNAVAILABLE', `the ${p} secrets of profile ${profile} are in the OS keyring, which did not answer`, 'unlock the keyring and retry, or add the profile again with ADCTL_KEYRING=off to keep secrets in the 0600 file');
      }
      if (value === null) continue;
      const parsed = (p === 'x' ? XSecretsSchema : MetaSecretsSchema).safeParse(JSON.parse(value));
      if (parsed.success) (out as Record<string, unknown>)[p] = parsed.data;
    }
    return out;
  }

  /** Replace (or, with undefined, delete) one profile's secrets. */
  async set(profile: string, secrets: ProfileSecrets | undefined): Promise<void> {
    ensureDir(this.dir);
    const previous = this.readAll()[profile];
    for (const p of previous?.keyring ?? []) this.keyring.delete(`adctl:${p}`, profile);
    const entry: Entry = {};
    if (secrets) {
      for (const p of ['x', 'meta'] as const) {
        const s = secrets[p];
        if (!s) continue;
        if (this.useKeyring && this.keyring.set(`adctl:${p}`, profile, JSON.stringify(s))) (entry.keyring ??= []).push(p);
        else {
          if (this.useKeyring) this.fellBack = true;
          (entry as Record<string, unknown>)[p] = s;
        }
      }
    }
    await withFileLock(this.path, () => {
      const all = this.readAll();
      if (secrets) all[profile] = entry;
      else delete all[profile];
      writeFileAtomic(this.path, `${JSON.stringify(all, null, 2)}\n`, 0o600);
    });
  }

  async rename(from: string, to: string): Promise<void> {
    const secrets = this.get(from);
    await this.set(to, Object.keys(secrets).length ? secrets : undefined);
    await this.set(from, undefined);
  }
}
