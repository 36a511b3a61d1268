/**
 * A fresh config dir with no credentials, run in-process (test/helpers/cli.ts): the stable --json
 * shape of the sandbox campaign list, the version and exit-code table, every command's help, and
 * usage errors. What only a process shows (loaded modules, CI, pipes) stays in
 * test/e2e/startup.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { parseJson, STACK_LINE } from '../e2e/helpers.js';

describe('adctl on a fresh machine', () => {
  it('prints a stable JSON array with --json', async () => {
    const r = await runInProcess(['campaign', 'list', '--json']);
    expect(r.code).toBe(0);
    const list = parseJson<Array<Record<string, unknown>>>(r.stdout);
    expect(list.some((c) => c.platform === 'x')).toBe(true);
    expect(list.some((c) => c.platform === 'meta')).toBe(true);
    for (const c of list) {
      expect(Object.keys(c).sort()).toEqual(['account', 'budget', 'createdAt', 'end', 'id', 'name', 'objective', 'platform', 'ref', 'start', 'status']);
      if (c.budget) expect(typeof (c.budget as { amount: unknown }).amount).toBe('string');
    }
  });

  it('prints the version and the exit-code table', async () => {
    const v = await runInProcess(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const t = await runInProcess(['help', 'exit-codes']);
    for (const code of ['0', '1', '2', '3', '4', '5', '8', '64', '75', '77', '78', '130']) expect(t.stdout).toMatch(new RegExp(`^${code}\\s`, 'm'));
    const j = await runInProcess(['help', 'exit-codes', '--json']);
    expect(parseJson<Array<{ code: number }>>(j.stdout).map((r) => r.code)).toContain(77);
  });

  it('every command has a description and examples in its help', async () => {
    for (const args of [['campaign', 'list'], ['campaign', 'get'], ['campaign', 'create'], ['campaign', 'update'], ['campaign', 'pause'],
      ['campaign', 'resume'], ['campaign', 'delete'], ['plugin', 'list'], ['plugin', 'enable'], ['plugin', 'disable'],
      ['sandbox', 'serve'], ['sandbox', 'reset'], ['sandbox', 'status']]) {
      const r = await runInProcess([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Examples:\n\s+\$ adctl /);
    }
  });

  it('turns a usage error into one line, a hint and exit 64', async () => {
    for (const args of [['campaign', 'list', '--bogus'], ['campaign', 'create', '--platform', 'x'], ['campaign', 'get', 'nonsense']]) {
      const r = await runInProcess(args);
      expect(r.code, args.join(' ')).toBe(64);
      expect(r.stderr, args.join(' ')).toMatch(/^error: .+\nhint: .+\n$/);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    const j = await runInProcess(['campaign', 'get', 'nonsense', '--json']);
    expect(parseJson<{ error: Record<string, unknown> }>(j.stderr).error).toMatchObject({ code: 'INVALID_REF', exitCode: 64 });
  });
});
