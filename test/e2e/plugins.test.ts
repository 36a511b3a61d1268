/**
 * Plugins can be turned off; a disabled plugin is never imported and gets no request.
 */
import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
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

  it('asking for a disabled plugin exits 78 with a hint', async () => {
    await cli(['plugin', 'disable', 'meta']);
    for (const args of [['campaign', 'list', '--platform', 'meta'], ['campaign', 'get', 'meta:1'], ['campaign', 'create', '--platform', 'meta', '--name', 'n', '--objective', 'traffic']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(78);
      expect(r.stderr).toMatch(/^hint: enable it with `adctl plugin enable meta`/m);
    }
    expect(sandbox.requests).toHaveLength(0);
  });

  it('plugin list shows the state; enable turns it back on', async () => {
    await cli(['plugin', 'disable', 'x']);
    let list = parseJson<Array<{ id: string; enabled: boolean; capabilities: string[] }>>((await cli(['plugin', 'list', '--json'])).stdout);
    expect(list.find((p) => p.id === 'x')!.enabled).toBe(false);
    expect(list.find((p) => p.id === 'meta')!.enabled).toBe(true);
    expect(list.find((p) => p.id === 'meta')!.capabilities).toContain('campaigns.write');
    await cli(['plugin', 'enable', 'x']);
    list = parseJson((await cli(['plugin', 'list', '--json'])).stdout);
    expect(list.find((p) => p.id === 'x')!.enabled).toBe(true);
  });

  it('parallel enable/disable runs never corrupt the config', async () => {
    const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => cli(['plugin', i % 2 ? 'enable' : 'disable', i % 3 ? 'x' : 'meta'])));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    const list = await cli(['plugin', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(parseJson<unknown[]>(list.stdout)).toHaveLength(2);
  });

  it('a corrupted config is reported with a fix and backed up, never reset', async () => {
    const { writeFileSync, readdirSync, readFileSync } = await import('node:fs');
    writeFileSync(join(configDir, 'config.json'), '{"plugins": {"x": ');
    const r = await cli(['plugin', 'list']);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/^error: the config file .* is invalid/m);
    expect(readdirSync(configDir).some((f) => f.startsWith('config.json.corrupt-'))).toBe(true);
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).toBe('{"plugins": {"x": ');
  });
});

describe('sandbox commands', () => {
  it('reset restores the seed and status describes the state', async () => {
    const dir = tempConfigDir();
    const run = (args: string[]) => runCli(args, { configDir: dir });
    await run(['campaign', 'create', '--platform', 'meta', '--name', 'Temp', '--objective', 'traffic']);
    const before = await run(['sandbox', 'status', '--json']);
    expect(parseJson<{ initialised: boolean }>(before.stdout).initialised).toBe(true);
    expect((await run(['campaign', 'list', '--json'])).stdout).toContain('Temp');
    expect((await run(['sandbox', 'reset'])).code).toBe(0);
    expect((await run(['campaign', 'list', '--json'])).stdout).not.toContain('Temp');
  });
});
