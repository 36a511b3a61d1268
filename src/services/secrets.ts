/**
 * The secret store for profiles (DESIGN §11). This build keeps secrets in a 0600 credentials file
 * under the config dir (`credentials.json`, written atomically under a lock) keyed by profile
 * name; `store` names it so `profile show` can say where a token lives. config.json never holds a
 * secret.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { configError } from '../core/errors.js';
import { ensureDir, readFileIfExists, withFileLock, writeFileAtomic } from '../core/fs.js';
import { ProfileSecretsSchema, type ProfileSecrets } from '../core/profiles.js';

const FileSchema = z.record(z.string(), ProfileSecretsSchema);

export class SecretStore {
  readonly path: string;
  readonly store = 'file' as const;

  constructor(readonly dir: string) {
    this.path = join(dir, 'credentials.json');
  }

  private readAll(): Record<string, ProfileSecrets> {
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

  get(profile: string): ProfileSecrets {
    return this.readAll()[profile] ?? {};
  }

  /** Replace (or, with undefined, delete) one profile's secrets under the lock. */
  async set(profile: string, secrets: ProfileSecrets | undefined): Promise<void> {
    ensureDir(this.dir);
    await withFileLock(this.path, () => {
      const all = this.readAll();
      if (secrets) all[profile] = secrets;
      else delete all[profile];
      writeFileAtomic(this.path, `${JSON.stringify(all, null, 2)}\n`, 0o600);
    });
  }

  async rename(from: string, to: string): Promise<void> {
    ensureDir(this.dir);
    await withFileLock(this.path, () => {
      const all = this.readAll();
      if (all[from]) all[to] = all[from]!;
      delete all[from];
      writeFileAtomic(this.path, `${JSON.stringify(all, null, 2)}\n`, 0o600);
    });
  }
}
