/**
 * The config file (`<config dir>/config.json`), kept with conf and validated with zod.
 *
 * conf writes atomically (temp file + rename); on top of that every change here runs under an
 * inter-process lock and re-reads the file first, so parallel CI invocations never lose an update.
 * The file holds no secrets and is still written 0600. A corrupted file is never reset silently:
 * it is copied aside and reported with a fix (exit 78).
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type Conf from 'conf';
import { AdctlError, ExitCode } from './errors.js';
import { withFileLock } from './fs.js';
import { PLATFORMS, type Platform } from './model.js';

export const ConfigFileSchema = z
  .object({
    plugins: z.partialRecord(z.enum(PLATFORMS), z.object({ enabled: z.boolean() }).strict()).default({}),
  })
  .loose();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export class ConfigStore {
  readonly path: string;
  private conf: Conf<Record<string, unknown>> | undefined;

  private constructor(readonly dir: string, conf: Conf<Record<string, unknown>>) {
    this.path = join(dir, 'config.json');
    this.conf = conf;
  }

  static async open(dir: string): Promise<ConfigStore> {
    const { default: ConfClass } = await import('conf');
    let conf: Conf<Record<string, unknown>>;
    try {
      conf = new ConfClass<Record<string, unknown>>({
        projectName: 'adctl',
        projectSuffix: '',
        cwd: dir,
        configName: 'config',
        configFileMode: 0o600,
        clearInvalidConfig: false,
      });
    } catch (e) {
      throw corrupted(join(dir, 'config.json'), e instanceof Error ? e.message : String(e));
    }
    const store = new ConfigStore(dir, conf);
    store.read(); // validate now, so a bad file is reported before any work
    return store;
  }

  read(): ConfigFile {
    const raw = this.conf!.store;
    const r = ConfigFileSchema.safeParse(raw);
    if (!r.success) {
      const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw corrupted(this.path, problems);
    }
    return r.data;
  }

  /** Read-modify-write under the lock; `change` gets the freshest file. */
  async update(change: (config: ConfigFile) => void): Promise<ConfigFile> {
    return withFileLock(this.path, () => {
      const config = this.read();
      change(config);
      const checked = ConfigFileSchema.parse(config);
      this.conf!.store = checked as Record<string, unknown>;
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
