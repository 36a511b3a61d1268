/**
 * `adctl adgroup`: every verb is registered with a description and 2–4 examples in its help, read
 * from the real commander tree in-process (no spawn).
 */
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

describe('adgroup commands', () => {
  it('list, get, create, update, pause, resume and delete each have a description and 2–4 examples', () => {
    const adgroup = buildProgram().commands.find((c) => c.name() === 'adgroup')!;
    expect(adgroup.commands.map((c) => c.name()).sort()).toEqual(['create', 'delete', 'get', 'list', 'pause', 'resume', 'update']);
    for (const c of adgroup.commands) {
      expect(c.description().length, c.name()).toBeGreaterThan(10);
      let help = '';
      c.configureOutput({ writeOut: (s) => (help += s), writeErr: () => {} });
      c.outputHelp();
      const examples = help.split('Examples:\n')[1]?.split('\n').filter((l) => l.startsWith('  $ adctl adgroup ')) ?? [];
      expect(examples.length, c.name()).toBeGreaterThanOrEqual(2);
      expect(examples.length, c.name()).toBeLessThanOrEqual(4);
    }
  });

  it('the bulk verbs take many refs, --from and filters; create requires a campaign and a name', () => {
    const adgroup = buildProgram().commands.find((c) => c.name() === 'adgroup')!;
    const longs = (name: string) => adgroup.commands.find((c) => c.name() === name)!.options.map((o) => o.long);
    for (const verb of ['update', 'pause', 'resume', 'delete']) {
      expect(longs(verb), verb).toEqual(expect.arrayContaining(['--from', '--platform', '--status', '--match', '--report']));
      expect(adgroup.commands.find((c) => c.name() === verb)!.registeredArguments[0]!.variadic, verb).toBe(true);
    }
    const create = adgroup.commands.find((c) => c.name() === 'create')!;
    expect(create.options.filter((o) => o.mandatory).map((o) => o.long).sort()).toEqual(['--campaign', '--name']);
  });
});
