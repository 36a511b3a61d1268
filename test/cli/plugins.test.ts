/**
 * Plugin enable/disable and the sandbox commands, run in-process (test/helpers/cli.ts): asking for a
 * disabled plugin, `plugin list`, a corrupted config, sandbox reset and status. What needs a process
 * (loaded modules, parallel runs) stays in test/e2e/plugins.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, sandboxEnv, tempConfigDir } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[]) => runInProcess(args, { env: sandboxEnv(sandbox), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('plugin enable/disable', () => {
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
    const run = (args: string[]) => runInProcess(args, { configDir: dir });
    await run(['campaign', 'create', '--platform', 'meta', '--name', 'Temp', '--objective', 'traffic']);
    const before = await run(['sandbox', 'status', '--json']);
    expect(parseJson<{ initialised: boolean }>(before.stdout).initialised).toBe(true);
    expect((await run(['campaign', 'list', '--json'])).stdout).toContain('Temp');
    expect((await run(['sandbox', 'reset'])).code).toBe(0);
    expect((await run(['campaign', 'list', '--json'])).stdout).not.toContain('Temp');
  });
});
