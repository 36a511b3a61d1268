/**
 * The config file (`<config dir>/config.json`), kept with conf and validated with zod.
 *
 * conf writes atomically (temp file + rename); on top of that every change here runs under an
 * inter-process lock and re-reads the file first, so parallel CI invocations never lose an update.
 * The file holds no secrets and is still written 0600. A corrupted file is never reset silently:
 * it is copied aside and reported with a fix (exit 78).
 *
 * Reads do not load conf: conf brings ajv and semver, which cost more start-up time than most
 * commands spend on their own work, and a command that only reads the config needs neither. The
 * file is read exactly as conf reads it with these options (UTF-8 JSON, merged into a null-prototype
 * object; a missing file is an empty config and gets its directory created); conf is loaded for the
 * first write.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from './zod.js';
import type Conf from 'conf';
import { AdctlError, ExitCode } from './errors.js';
import { withFileLock } from './fs.js';
import type { Platform } from './model.js';
import { PLATFORMS } from './vocabulary.js';

export const ConfigFileSchema = z
  .object({
    plugins: z.partialRecord(z.enum(PLATFORMS), z.object({ enabled: z.boolean() }).strict()).default({}),
  })
  .loose();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export class ConfigStore {
  readonly path: string;
  private conf: Conf<Record<string, unknown>> | undefined;

  private constructor(readonly dir: string) {
    this.path = join(dir, 'config.json');
  }

  static async open(dir: string): Promise<ConfigStore> {
    const store = new ConfigStore(dir);
    let raw: Record<string, unknown>;
    try {
      raw = store.readFile();
    } catch (e) {
      throw corrupted(store.path, e instanceof Error ? e.message : String(e));
    }
    store.validate(raw); // validate now, so a bad file is reported before any work
    return store;
  }

  read(): ConfigFile {
    return this.validate(this.readFile());
  }

  /** conf's `store` getter for this file (no encryption, schema, defaults or migrations). */
  private readFile(): Record<string, unknown> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(dirname(this.path), { recursive: true });
      return Object.create(null) as Record<string, unknown>;
    }
    return Object.assign(Object.create(null) as Record<string, unknown>, JSON.parse(text));
  }

  private validate(raw: unknown): ConfigFile {
    const r = ConfigFileSchema.safeParse(raw);
    if (!r.success) {
      const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw corrupted(this.path, problems);
    }
    return r.data;
  }

  private async writer(): Promise<Conf<Record<string, unknown>>> {
    if (this.conf) return this.conf;
    const { default: ConfClass } = await import('conf');
    try {
      this.conf = new ConfClass<Record<string, unknown>>({
        projectName: 'adctl',
        projectSuffix: '',
        cwd: this.dir,
        configName: 'config',
        configFileMode: 0o600,
        clearInvalidConfig: false,
      });
    } catch (e) {
      throw corrupted(this.path, e instanceof Error ? e.message : String(e));
    }
    return this.conf;
  }

  /** Read-modify-write under the lock; `change` gets the freshest file. */
  async update(change: (config: ConfigFile) => void): Promise<ConfigFile> {
    const conf = await this.writer();
    return withFileLock(this.path, () => {
      const config = this.read();
      change(config);
      const checked = ConfigFileSchema.parse(config);
      conf.store = checked as Record<string, unknown>;
      return checked;
    });
  }

  pluginEnabled(id: Platform): boolean {
    return this.read().plugins[id]?.enabled ?? true;
  }
}

function corrupted(path: string, why: string): AdctlError {
  let saved = '';
  if (existsSync(path)) {
    const backup = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      copyFileSync(path, backup);
      saved = ` A copy was saved to ${backup}.`;
    } catch {
      // Reporting the problem matters more than the copy.
    }
  }
  return new AdctlError('CONFIG_INVALID', `the config file ${path} is invalid: ${why.split('\n')[0]}`, ExitCode.CONFIG, {
    hint: `fix the file by hand, or delete it to start from defaults.${saved}`,
  });
}
