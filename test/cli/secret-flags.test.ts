/**
 * SECURITY.md claim: no command takes a secret as a flag value, so secrets never land in shell
 * history or `ps` output. Every option that names a secret (token, secret, key, password, PIN)
 * must read it from a file (`…-file <path>`) or from stdin (`…-stdin`).
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

function options(c: Command, path: string[] = []): Array<{ command: string; flags: string; long: string }> {
  const here = [...path, c.name()];
  return [
    ...c.options.map((o) => ({ command: here.join(' '), flags: o.flags, long: o.long ?? '' })),
    ...c.commands.flatMap((s) => options(s, here)),
  ];
}

describe('secret-bearing flags', () => {
  it('every option that names a secret takes a file path or stdin, never the value', () => {
    const all = options(buildProgram());
    const secretish = all.filter((o) => /secret|token|password|passwd|key|pin\b|pin-|proof|credential/i.test(o.long));
    // The walk really saw the login and profile commands' secret options.
    expect(secretish.map((o) => o.long)).toEqual(expect.arrayContaining(['--client-secret-file', '--token-stdin', '--secrets-stdin']));
    for (const o of secretish) expect(o.flags, `${o.command} ${o.flags}`).toMatch(/-file <[a-z]+>$|-stdin$/);
  });
});
