/**
 * `post publish-due` and `post sync` through the built CLI against the sandbox: the happy paths a
 * scheduler (cron, CI) runs, and the CI start-up without credentials. The ledger's exactly-once
 * rules, exit codes and sync's plans run in-process in test/cli/post-schedule.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_META } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { runCli, sandboxEnv, tempConfigDir, type CliResult } from './helpers.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const PAST = () => iso(Date.now() - 60_000);

interface Entry { id: string; at: string; channels: string[]; text: string; media?: string[]; extra?: string[] }

function setup(entries: Entry[]): { dir: string; file: string; ledger: string; run(args: string[]): Promise<CliResult> } {
  const dir = tempConfigDir();
  const file = join(dir, 'posts.yaml');
  const ledger = join(dir, 'ledger.jsonl');
  writeFileSync(file, ['version: 1', 'timezone: Europe/Berlin', entries.length ? 'posts:' : 'posts: []', ...entries.flatMap((e) => [
    `  - id: ${e.id}`, `    at: "${e.at}"`, `    channels: [${e.channels.join(', ')}]`, `    text: ${JSON.stringify(e.text)}`,
    ...(e.media ? [`    media: ${JSON.stringify(e.media)}`] : []), ...(e.extra ?? []),
  ])].join('\n') + '\n');
  // The default request timeout: no fault here, and a loaded machine must not turn a slow answer into exit 8.
  const env = sandboxEnv(sandbox, { ADCTL_META_PAGE_ID: SANDBOX_META.pageId, ADCTL_META_IG_USER_ID: SANDBOX_META.igUserId });
  return { dir, file, ledger, run: (args) => runCli(['post', ...args, '-f', file, '--ledger', ledger, '--json'], { env, configDir: dir }) };
}

const results = (r: CliResult) => (JSON.parse(r.stdout) as { results: Array<{ id: string; channel: string; ok: boolean; action: string; ref: string | null; error?: { code: string } }> }).results;
const xCreates = () => sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');
const records = (ledger: string) => readFileSync(ledger, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('post publish-due', () => {
  it('publishes due entries once per channel, skips future ones, and a second run sends nothing', async () => {
    const t = setup([
      { id: 'due', at: PAST(), channels: ['x', 'facebook'], text: 'open today' },
      { id: 'later', at: iso(Date.now() + 86_400_000), channels: ['x'], text: 'open tomorrow' },
    ]);
    const first = await t.run(['publish-due']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/Local times in \S+posts\.yaml are read in Europe\/Berlin \(from the file\)/);
    expect(results(first).map((r) => [r.id, r.channel, r.action])).toEqual([['due', 'x', 'published'], ['due', 'facebook', 'published']]);
    const second = await t.run(['publish-due']);
    expect([second.code, results(second)]).toEqual([0, []]);
    expect(xCreates().length).toBe(1);
    // Each intent is on disk before its outcome.
    const recs = records(t.ledger).map((r) => `${String(r.kind)}:${String(r.channel)}:${String(r.status ?? r.op)}`);
    expect([...recs].sort()).toEqual(['intent:facebook:publish', 'intent:x:publish', 'outcome:facebook:published', 'outcome:x:published']);
    for (const c of ['x', 'facebook']) expect(recs.indexOf(`intent:${c}:publish`)).toBeLessThan(recs.indexOf(`outcome:${c}:published`));
  });

  it('in CI without credentials: exit 4, never the sandbox, nothing written', async () => {
    const t = setup([{ id: 'ci', at: PAST(), channels: ['x'], text: 'from CI' }]);
    const r = await runCli(['post', 'publish-due', '-f', t.file, '--ledger', t.ledger], { env: { CI: 'true' }, configDir: t.dir });
    expect(r.code).toBe(4);
    expect(r.stderr).not.toMatch(/Using the built-in sandbox/);
    expect(existsSync(t.ledger)).toBe(false);
  });
});

describe('post sync', () => {
  it('the built binary schedules a Facebook post natively and records it in the ledger', async () => {
    const atMs = Math.floor((Date.now() + 2 * 86_400_000) / 1000) * 1000;
    const t = setup([{ id: 'sun', at: iso(atMs), channels: ['facebook'], text: 'sunday roast' }]);
    const r = await t.run(['sync']);
    expect(r.code, r.stderr).toBe(0);
    expect(results(r)).toEqual([expect.objectContaining({ id: 'sun', channel: 'facebook', ok: true, action: 'scheduled', ref: expect.stringMatching(/^facebook:/) })]);
    const sent = sandbox.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/feed'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.params).toMatchObject({ message: 'sunday roast', published: 'false', scheduled_publish_time: String(atMs / 1000) });
    expect(records(t.ledger).at(-1)).toMatchObject({ kind: 'outcome', id: 'sun', channel: 'facebook', status: 'scheduled' });
  });
});
