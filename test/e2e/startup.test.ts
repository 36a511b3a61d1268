/**
 * A fresh clone with no config and no credentials, through the built binary: the main command shows
 * sandbox campaigns from both platforms; CI never falls back silently; help and version load no SDK;
 * a pipe is never coloured. The JSON shape, help texts, version and usage errors run in-process in
 * test/cli/startup.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { isSdkModule, runCli, tempConfigDir } from './helpers.js';

describe('adctl on a fresh machine', () => {
  it('lists sandbox campaigns from both platforms and says so on stderr', async () => {
    const r = await runCli(['campaign', 'list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sandbox/i);
    expect(r.stdout).toMatch(/^REF\s+NAME\s+STATUS/m);
    expect(r.stdout).toMatch(/^x:\S+/m);
    expect(r.stdout).toMatch(/^meta:\S+/m);
  });

  it('in CI without credentials exits 4 unless --sandbox is given', async () => {
    const dir = tempConfigDir();
    const r = await runCli(['campaign', 'list'], { env: { CI: 'true' }, configDir: dir });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*CI/m);
    expect(r.stderr).toMatch(/^hint: .*--sandbox/m);
    const ok = await runCli(['campaign', 'list', '--sandbox'], { env: { CI: 'true' }, configDir: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^meta:/m);
  });

  it('--help, --version and plugin list load neither SDK', async () => {
    for (const args of [['--help'], ['--version'], ['plugin', 'list'], ['campaign', 'create', '--help'], ['help', 'exit-codes']]) {
      const r = await runCli(args, { traceModules: true });
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.modules.length, 'the module trace ran').toBeGreaterThan(0);
      expect(r.modules.filter((m) => isSdkModule(m)), args.join(' ')).toEqual([]);
    }
  });

  it('a sandbox campaign list loads both SDKs (so the trace really sees them)', async () => {
    const r = await runCli(['campaign', 'list'], { traceModules: true });
    expect(r.code).toBe(0);
    expect(r.modules.some((m) => isSdkModule(m, 'facebook-nodejs-business-sdk'))).toBe(true);
    expect(r.modules.some((m) => isSdkModule(m, 'twitter-api-v2'))).toBe(true);
  });

  it('honours NO_COLOR and never colours a pipe', async () => {
    /* eslint-disable no-control-regex -- looking for ANSI escapes is the point */
    const r = await runCli(['campaign', 'list'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const piped = await runCli(['campaign', 'list']);
    expect(piped.stdout).not.toMatch(/\x1b\[/);
    /* eslint-enable no-control-regex */
  });
});
