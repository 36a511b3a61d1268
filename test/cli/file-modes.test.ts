/**
 * SECURITY.md claim: no file adctl writes under the config dir is readable by group or others. The
 * runs are in-process (test/helpers/cli.ts): a file's mode does not depend on which process wrote it.
 * The SDK code caches exist only for the built binary: test/e2e/file-modes.test.ts.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { tempConfigDir } from '../e2e/helpers.js';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('files under the config dir', () => {
  it('are all 0600 after a run that writes config, cache, sandbox state, rate limits and the audit log', async () => {
    const dir = tempConfigDir();
    for (const args of [
      ['plugin', 'disable', 'x'], ['plugin', 'enable', 'x'],
      ['campaign', 'create', '--platform', 'meta', '--name', 'Modes', '--objective', 'traffic', '--daily-budget', '5000 JPY'],
      ['campaign', 'list'],
    ]) expect((await runInProcess(args, { configDir: dir })).code, args.join(' ')).toBe(0);
    const files = walk(dir).filter((f) => !f.includes('.modules-'));
    for (const name of ['config.json', 'audit.jsonl', join('sandbox', 'state.json'), join('cache', 'accounts.json'), join('state', 'rate-limits.json')]) {
      expect(files, name).toContain(join(dir, name));
    }
    for (const f of files) expect((statSync(f).mode & 0o077).toString(8), f).toBe('0');
  });
});
