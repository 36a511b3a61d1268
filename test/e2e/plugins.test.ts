/**
 * Plugins can be turned off, through the built binary: a disabled plugin is never imported and gets
 * no request, and parallel enable/disable processes lose no update. Errors, listing, a corrupted
 * config and the sandbox commands run in-process in test/cli/plugins.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { isSdkModule, parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[], traceModules = false) => runCli(args, { env: sandboxEnv(sandbox), configDir, traceModules });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('plugin enable/disable', () => {
  it('with meta disabled, campaign list sends nothing to Meta and never loads its SDK', async () => {
    const d = await cli(['plugin', 'disable', 'meta']);
    expect(d.code).toBe(0);
    expect(statSync(join(configDir, 'config.json')).mode & 0o777).toBe(0o600);

    const r = await cli(['campaign', 'list', '--json'], true);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson<Array<{ platform: string }>>(r.stdout).every((c) => c.platform === 'x')).toBe(true);
    expect(sandbox.requests.filter((q) => q.platform === 'meta')).toHaveLength(0);
    expect(sandbox.requests.filter((q) => q.platform === 'x').length).toBeGreaterThan(0);
    expect(r.modules.some((m) => isSdkModule(m, 'twitter-api-v2'))).toBe(true);
    expect(r.modules.filter((m) => isSdkModule(m, 'facebook-nodejs-business-sdk'))).toEqual([]);
  });

  it('parallel enable/disable runs never corrupt the config', async () => {
    // From x disabled and meta enabled, three runs enable x while three disable meta, all at once.
    // Whatever the order, every run's change must survive: a lost update leaves x off or meta on.
    expect((await cli(['plugin', 'disable', 'x'])).code).toBe(0);
    const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => cli(['plugin', i % 2 ? 'enable' : 'disable', i % 2 ? 'x' : 'meta'])));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    const list = await cli(['plugin', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(parseJson<unknown[]>(list.stdout)).toHaveLength(2);
    const enabled = Object.fromEntries(parseJson<Array<{ id: string; enabled: boolean }>>(list.stdout).map((p) => [p.id, p.enabled]));
    expect(enabled).toEqual({ x: true, meta: false });
    const file = join(configDir, 'config.json');
    expect((JSON.parse(readFileSync(file, 'utf8')) as { plugins: unknown }).plugins).toEqual({ x: { enabled: true }, meta: { enabled: false } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
