/**
 * A fresh clone with no config and no credentials: the main command shows sandbox campaigns from
 * both platforms; CI never falls back silently; help and version load no SDK.
 */
import { describe, expect, it } from 'vitest';
import { isSdkModule, parseJson, runCli, STACK_LINE, tempConfigDir } from './helpers.js';

describe('adctl on a fresh machine', () => {
  it('lists sandbox campaigns from both platforms and says so on stderr', async () => {
    const r = await runCli(['campaign', 'list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sandbox/i);
    expect(r.stdout).toMatch(/^REF\s+NAME\s+STATUS/m);
    expect(r.stdout).toMatch(/^x:\S+/m);
    expect(r.stdout).toMatch(/^meta:\S+/m);
  });

  it('prints a stable JSON array with --json', async () => {
    const r = await runCli(['campaign', 'list', '--json']);
    expect(r.code).toBe(0);
    const list = parseJson<Array<Record<string, unknown>>>(r.stdout);
    expect(list.some((c) => c.platform === 'x')).toBe(true);
    expect(list.some((c) => c.platform === 'meta')).toBe(true);
    for (const c of list) {
      expect(Object.keys(c).sort()).toEqual(['account', 'budget', 'createdAt', 'end', 'id', 'name', 'objective', 'platform', 'ref', 'start', 'status']);
      if (c.budget) expect(typeof (c.budget as { amount: unknown }).amount).toBe('string');
    }
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

  it('prints the version and the exit-code table', async () => {
    const v = await runCli(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const t = await runCli(['help', 'exit-codes']);
    for (const code of ['0', '1', '2', '3', '4', '5', '8', '64', '75', '77', '78', '130']) expect(t.stdout).toMatch(new RegExp(`^${code}\\s`, 'm'));
    const j = await runCli(['help', 'exit-codes', '--json']);
    expect(parseJson<Array<{ code: number }>>(j.stdout).map((r) => r.code)).toContain(77);
  });

  it('every command has a description and examples in its help', async () => {
    for (const args of [['campaign', 'list'], ['campaign', 'get'], ['campaign', 'create'], ['campaign', 'update'], ['campaign', 'pause'],
      ['campaign', 'resume'], ['campaign', 'delete'], ['plugin', 'list'], ['plugin', 'enable'], ['plugin', 'disable'],
      ['sandbox', 'serve'], ['sandbox', 'reset'], ['sandbox', 'status']]) {
      const r = await runCli([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Examples:\n\s+\$ adctl /);
    }
  });

  it('turns a usage error into one line, a hint and exit 64', async () => {
    for (const args of [['campaign', 'list', '--bogus'], ['campaign', 'create', '--platform', 'x'], ['campaign', 'get', 'nonsense']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(64);
      expect(r.stderr, args.join(' ')).toMatch(/^error: .+\nhint: .+\n$/);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    const j = await runCli(['campaign', 'get', 'nonsense', '--json']);
    expect(parseJson<{ error: Record<string, unknown> }>(j.stderr).error).toMatchObject({ code: 'INVALID_REF', exitCode: 64 });
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
