/**
 * `adctl completion bash` completes commands, flags, profile names and refs from local state: the
 * script is sourced in a real bash and `_adctl` is called as bash's completion would, running the
 * built binary for profile names and refs. The state it completes from (profiles, created and
 * deleted campaigns) and the scripts are made in-process (test/helpers/cli.ts): only bash's calls
 * need a process.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { BIN, cliEnv, tempConfigDir } from './helpers.js';

function complete(configDir: string, script: string, words: string[], line = words.join(' ')): string[] {
  const file = join(configDir, 'completion.bash');
  writeFileSync(file, script);
  const cmd = [
    `adctl() { "${process.execPath}" "${BIN}" "$@"; }`,
    `source "${file}"`,
    `COMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}`,
    `COMP_LINE='${line}'; COMP_POINT=${line.length}`,
    '_adctl; printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', env: cliEnv(configDir) });
  return r.stdout.split('\n').filter(Boolean);
}

describe('completion', () => {
  it('bash: commands, subcommands, flags, profile names and refs', async () => {
    const configDir = tempConfigDir();
    for (const name of ['acme', 'globex']) {
      const r = await runInProcess(['profile', 'add', name, '--secrets-stdin'], { configDir, env: { ADCTL_KEYRING: 'off' }, input: '{"meta":{"accessToken":"EAAcompletion"}}' });
      expect(r.code, r.stderr).toBe(0);
    }
    const script = (await runInProcess(['completion', 'bash'], { configDir })).stdout;
    expect(complete(configDir, script, ['adctl', 'pro'])).toEqual(['profile']);
    expect(complete(configDir, script, ['adctl', 'profile', ''])).toEqual(expect.arrayContaining(['list', 'add', 'use', 'env']));
    expect(complete(configDir, script, ['adctl', 'profile', 'use', ''])).toEqual(['acme', 'globex']);
    expect(complete(configDir, script, ['adctl', '--profile', 'gl'])).toEqual(['globex']);
    expect(complete(configDir, script, ['adctl', 'auth', 'login', '--tok'])).toEqual(expect.arrayContaining(['--token-stdin', '--token-file']));
    // Refs come from local state (the audit log): created objects are offered, deleted ones are not.
    const created: string[] = [];
    for (const name of ['Kept', 'Gone']) {
      const r = await runInProcess(['campaign', 'create', '--platform', 'meta', '--name', name, '--objective', 'traffic', '--daily-budget', '5000 JPY', '--json'], { configDir });
      expect(r.code, r.stderr).toBe(0);
      created.push((JSON.parse(r.stdout) as { ref: string }).ref);
    }
    expect((await runInProcess(['campaign', 'delete', created[1]!, '--yes'], { configDir })).code).toBe(0);
    expect(complete(configDir, script, ['adctl', 'campaign', 'get', ''])).toEqual([created[0]]);
    // bash splits `meta:120…` at ':'; the completion fills in the part after it.
    const [platform, id] = created[0]!.split(':') as [string, string];
    expect(complete(configDir, script, ['adctl', 'campaign', 'get', platform, ':', id.slice(0, 3)], `adctl campaign get ${platform}:${id.slice(0, 3)}`)).toEqual([id]);
    expect(complete(configDir, script, ['adctl', 'campaign', 'get', '--js'])).toContain('--json');
    for (const shell of ['zsh', 'fish']) {
      const r = await runInProcess(['completion', shell], { configDir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('__complete profiles');
      expect(r.stdout).toContain('__complete refs');
    }
  }, 60_000);
});
