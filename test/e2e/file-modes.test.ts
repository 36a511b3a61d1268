/**
 * SECURITY.md claim, for what only the built binary writes: the V8 code caches of the SDKs it
 * loads (cache/code/, see src/core/code-cache.ts) are 0600 like every other file under the config
 * dir. The in-process part of the claim is test/cli/file-modes.test.ts.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfigDir } from './helpers.js';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('files the built binary writes under the config dir', () => {
  it('the SDK code caches are written 0600, like everything else', async () => {
    const dir = tempConfigDir();
    const r = await runCli(['campaign', 'list'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    const files = walk(dir).filter((f) => !f.includes('.modules-'));
    expect(files.filter((f) => f.startsWith(join(dir, 'cache', 'code'))), 'the SDK code caches').toHaveLength(2);
    for (const f of files) expect((statSync(f).mode & 0o077).toString(8), f).toBe('0');
  });
});
