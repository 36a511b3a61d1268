/**
 * `post publish-due` and `post sync` in-process against the sandbox: the ledger's exactly-once
 * rules (reconcile before retry, duplicate = published, conflicts, torn lines), exit codes, and
 * native scheduling with an idempotent sync. The built binary's happy path and the CI start-up
 * are in test/e2e/post-schedule.test.ts.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_META } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { sandboxEnv, STACK_LINE, tempConfigDir, type CliResult } from '../e2e/helpers.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const PAST = () => iso(Date.now() - 60_000);

interface Entry { id: string; at: string; channels: string[]; text: string; media?: string[]; extra?: string[] }

function setup(entries: Entry[]): { dir: string; file: string; ledger: string; write(e: Entry[]): void; run(args: string[], extraEnv?: Record<string, string>): Promise<CliResult> } {
  const dir = tempConfigDir();
  const file = join(dir, 'posts.yaml');
  const ledger = join(dir, 'ledger.jsonl');
  const write = (list: Entry[]) => writeFileSync(file, ['version: 1', 'timezone: Europe/Berlin', list.length ? 'posts:' : 'posts: []', ...list.flatMap((e) => [
    `  - id: ${e.id}`, `    at: "${e.at}"`, `    channels: [${e.channels.join(', ')}]`, `    text: ${JSON.stringify(e.text)}`,
    ...(e.media ? [`    media: ${JSON.stringify(e.media)}`] : []), ...(e.extra ?? []),
  ])].join('\n') + '\n');
  write(entries);
  const env = sandboxEnv(sandbox, { ADCTL_META_PAGE_ID: SANDBOX_META.pageId, ADCTL_META_IG_USER_ID: SANDBOX_META.igUserId, ADCTL_TIMEOUT: '500ms' });
  return { dir, file, ledger, write, run: (args, extraEnv = {}) => runInProcess(['post', ...args, '-f', file, '--ledger', ledger, '--json'], { env: { ...env, ...extraEnv }, configDir: dir }) };
}

const results = (r: CliResult) => (JSON.parse(r.stdout) as { results: Array<{ id: string; channel: string; ok: boolean; action: string; ref: string | null; error?: { code: string } }> }).results;
const xCreates = () => sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');
const xPosts = (text: string) => (((sandbox.state.read().x as { posts?: Array<{ text: string; deleted: boolean }> }).posts) ?? []).filter((p) => p.text === text && !p.deleted).length;
const records = (ledger: string) => readFileSync(ledger, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** Rerun until exit 0, as CI would; returns every run. Bounded; no assertion on time. */
async function untilDone(run: () => Promise<CliResult>, max = 30): Promise<CliResult[]> {
  const runs: CliResult[] = [];
  while (runs.length < max) {
    const r = await run();
    runs.push(r);
    if (r.code !== 8) break;
    // A rerun in-process takes milliseconds; pause like a CI retry so that an unknown send can
    // pass its settle window (ADCTL_TIMEOUT) within the bound however fast the machine is.
    await new Promise((done) => setTimeout(done, 100));
  }
  return runs;
}

describe('post publish-due', () => {
  it('an answer lost after the post was made: exit 8, then the rerun finds the post and does not send again', async () => {
    const t = setup([{ id: 'lost-answer', at: PAST(), channels: ['x'], text: 'answer lost in transit' }]);
    sandbox.addFault({ platform: 'x', method: 'POST', path: '/2/tweets', times: 1, action: { type: 'drop_after_apply' } });
    const first = await t.run(['publish-due']);
    expect(first.code).toBe(8);
    expect(results(first)).toEqual([expect.objectContaining({ id: 'lost-answer', channel: 'x', ok: false, action: 'unknown', error: expect.objectContaining({ code: 'UNKNOWN_OUTCOME' }) })]);
    const runs = await untilDone(() => t.run(['publish-due']));
    expect(runs.at(-1)!.code).toBe(0);
    expect(runs.flatMap(results).filter((r) => r.ok)).toEqual([expect.objectContaining({ id: 'lost-answer', action: 'reconciled', ref: expect.stringMatching(/^x:\d+$/) })]);
    expect(xCreates().length).toBe(1);
    expect(xPosts('answer lost in transit')).toBe(1);
    expect(records(t.ledger).at(-1)).toMatchObject({ kind: 'outcome', status: 'published', via: 'reconcile' });
  });

  it('a 5xx on the create that did not land: exit 8, then the rerun looks, does not find it, and sends once more', async () => {
    const t = setup([{ id: 'refused', at: PAST(), channels: ['x'], text: 'server was down' }]);
    sandbox.addFault({ platform: 'x', method: 'POST', path: '/2/tweets', times: 1, action: { type: 'status', status: 503 } });
    const first = await t.run(['publish-due']);
    expect(first.code).toBe(8);
    const runs = await untilDone(() => t.run(['publish-due']));
    expect(runs.at(-1)!.code).toBe(0);
    expect(xCreates().length).toBe(2);
    expect(xPosts('server was down')).toBe(1);
    expect(records(t.ledger).map((r) => r.status).filter(Boolean)).toEqual(['unknown', 'absent', 'published']);
  });

  it('a killed run (intent without outcome) is reconciled like an unknown outcome', async () => {
    const t = setup([{ id: 'killed', at: PAST(), channels: ['x'], text: 'posted, then the runner died' }]);
    // What a SIGKILL right after the send leaves behind: the post exists, the ledger has only the intent.
    await runInProcess(['post', 'create', '--to', 'x', '--text', 'posted, then the runner died', '--json'], { env: sandboxEnv(sandbox), configDir: t.dir });
    const { contentHash } = await import('../../src/core/posts-file.js');
    appendFileSync(t.ledger, `${JSON.stringify({ v: 1, kind: 'intent', time: new Date(Date.now() - 5_000).toISOString(), run: 'dead', id: 'killed', channel: 'x', hash: contentHash('posted, then the runner died', []), op: 'publish', text: 'posted, then the runner died', at: PAST() })}\n`);
    const r = await t.run(['publish-due']);
    expect(r.code, r.stderr).toBe(0);
    expect(results(r)).toEqual([expect.objectContaining({ id: 'killed', action: 'reconciled' })]);
    expect(xCreates().length).toBe(1);
  });

  it('a "duplicate content" refusal counts as published', async () => {
    const t = setup([{ id: 'dup', at: PAST(), channels: ['x'], text: 'already out there' }]);
    await runInProcess(['post', 'create', '--to', 'x', '--text', 'already out there'], { env: sandboxEnv(sandbox), configDir: t.dir });
    const r = await t.run(['publish-due']);
    expect(r.code, r.stderr).toBe(0);
    expect(results(r)).toEqual([expect.objectContaining({ id: 'dup', channel: 'x', ok: true, action: 'duplicate' })]);
    expect(xPosts('already out there')).toBe(1);
    expect((await t.run(['publish-due'])).code).toBe(0);
    expect(xCreates().length).toBe(2);
  });

  it('content changed for a published id: exit 5 with a hint, nothing sent', async () => {
    const t = setup([{ id: 'edited', at: PAST(), channels: ['x'], text: 'first words' }]);
    expect((await t.run(['publish-due'])).code).toBe(0);
    t.write([{ id: 'edited', at: PAST(), channels: ['x'], text: 'second thoughts' }]);
    const r = await t.run(['publish-due']);
    expect(r.code).toBe(5);
    expect(results(r)).toEqual([expect.objectContaining({ id: 'edited', action: 'conflict', ok: false, error: expect.objectContaining({ code: 'CONFLICT', hint: expect.stringMatching(/new id/) }) })]);
    expect(xCreates().length).toBe(1);
  });

  it('one channel failing: exit 3 and every result listed', async () => {
    const t = setup([{ id: 'mixed', at: PAST(), channels: ['x', 'instagram'], text: 'new menu', media: ['https://cdn.example.com/error-2207082.jpg'], extra: ['    x: { media: [] }'] }]);
    const r = await t.run(['publish-due']);
    expect(r.code).toBe(3);
    expect(results(r).map((x) => [x.channel, x.ok, x.action, x.error?.code ?? null])).toEqual([['x', true, 'published', null], ['instagram', false, 'failed', 'IG_MEDIA_ERROR']]);
  });

  it('a channel without credentials fails its own entries; the other channels still publish (exit 3)', async () => {
    const t = setup([{ id: 'both', at: PAST(), channels: ['x', 'facebook'], text: 'only half configured' }]);
    const r = await t.run(['publish-due'], { ADCTL_META_ACCESS_TOKEN: '', ADCTL_META_APP_SECRET: '' });
    expect(r.code, r.stderr).toBe(3);
    expect(results(r).map((x) => [x.channel, x.ok, x.error?.code ?? null])).toEqual([['x', true, null], ['facebook', false, 'AUTH_MISSING']]);
    expect(sandbox.requests.filter((q) => q.platform === 'meta')).toEqual([]);
  });

  it('survives a torn last ledger line; a damaged earlier line is exit 78, never a reset', async () => {
    const t = setup([{ id: 'torn', at: PAST(), channels: ['x'], text: 'torn ledger' }]);
    expect((await t.run(['publish-due'])).code).toBe(0);
    appendFileSync(t.ledger, '{"v":1,"kind":"intent","time":"2026-');
    const r = await t.run(['publish-due']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(t.ledger, 'utf8').endsWith('\n')).toBe(true);
    expect(records(t.ledger)).toHaveLength(2);
    expect(xCreates().length).toBe(1);
    writeFileSync(t.ledger, `not json\n${readFileSync(t.ledger, 'utf8')}`);
    const bad = await t.run(['publish-due']);
    expect(bad.code).toBe(78);
    expect(JSON.parse(bad.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'LEDGER_CORRUPT', message: expect.stringMatching(/line 1/) } });
  });

  it('--dry-run lists what would be sent, sends no write and writes no ledger', async () => {
    const t = setup([{ id: 'dry', at: PAST(), channels: ['x'], text: 'just looking' }]);
    const r = await t.run(['publish-due', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(results(r)).toEqual([expect.objectContaining({ id: 'dry', action: 'dry-run', requests: [expect.objectContaining({ method: 'POST' })] })]);
    expect(xCreates()).toEqual([]);
    expect(existsSync(t.ledger)).toBe(false);
  });

  it('--max-late skips entries overdue by more than that instead of posting them late', async () => {
    const t = setup([
      { id: 'stale', at: iso(Date.now() - 3 * 3_600_000), channels: ['x'], text: 'breakfast menu' },
      { id: 'fresh', at: PAST(), channels: ['x'], text: 'lunch menu' },
    ]);
    const r = await t.run(['publish-due', '--max-late', '1h']);
    expect(r.code, r.stderr).toBe(0);
    expect(results(r).map((x) => [x.id, x.action])).toEqual([['stale', 'skipped-late'], ['fresh', 'published']]);
    expect(xCreates()).toHaveLength(1);
    expect((await t.run(['publish-due', '--max-late', 'soon'])).code).toBe(64);
  });

  it('an invalid posts.yaml: exit 64, every problem with its path, nothing sent', async () => {
    const t = setup([{ id: 'ok', at: PAST(), channels: ['x'], text: 'x'.repeat(300) }, { id: 'ok', at: 'soon', channels: ['x'], text: 'hi' }]);
    const r = await t.run(['publish-due']);
    expect(r.code).toBe(64);
    expect(r.stderr).not.toMatch(STACK_LINE);
    const err = (JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('POSTS_FILE_INVALID');
    expect(err.message).toMatch(/posts\[1\]\.id: "ok" is already the id of posts\[0\]/);
    expect(err.message).toMatch(/posts\[1\]\.at: "soon" is not a time/);
    expect(sandbox.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    // The X length rule is checked before sending too, with the entry's path.
    t.write([{ id: 'long', at: PAST(), channels: ['x'], text: 'x'.repeat(300) }]);
    const long = await t.run(['publish-due']);
    expect(long.code).toBe(64);
    expect(long.stderr).toMatch(/posts\[0\] \(long\): X: .*300 characters/);
    expect(xCreates()).toEqual([]);
  });
});

describe('post sync', () => {
  it('schedules Facebook natively (published=false, unix scheduled_publish_time), is idempotent, and --plan --detailed-exitcode exits 2 only when changes are pending', async () => {
    const atMs = Math.floor((Date.now() + 2 * 86_400_000) / 1000) * 1000;
    const t = setup([{ id: 'fri', at: iso(atMs), channels: ['facebook', 'instagram'], text: 'friday special', media: ['https://cdn.example.com/fri.jpg'], extra: ['    facebook: { media: [] }'] }]);
    const plan = await t.run(['sync', '--plan', '--detailed-exitcode']);
    expect(plan.code, plan.stderr).toBe(2);
    const planned = JSON.parse(plan.stdout) as { changes: Array<{ action: string; channel: string; at: string }>; local: Array<{ channel: string }> };
    expect(planned.changes).toEqual([expect.objectContaining({ action: 'schedule', channel: 'facebook', at: iso(atMs) })]);
    expect(planned.local).toEqual([expect.objectContaining({ channel: 'instagram' })]);
    expect(sandbox.requests.filter((q) => q.method === 'POST')).toEqual([]);

    const apply = await t.run(['sync']);
    expect(apply.code, apply.stderr).toBe(0);
    const sent = sandbox.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/feed'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.params).toMatchObject({ message: 'friday special', published: 'false', scheduled_publish_time: String(atMs / 1000) });

    expect((await t.run(['sync', '--plan', '--detailed-exitcode'])).code).toBe(0);
    const again = await t.run(['sync']);
    expect([again.code, (JSON.parse(again.stdout) as { changes: unknown[] }).changes]).toEqual([0, []]);
    expect(sandbox.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/feed'))).toHaveLength(1);

    // publish-due leaves the natively scheduled post alone.
    expect((await t.run(['publish-due'])).code).toBe(0);

    // Edited text: the scheduled post is replaced; removed entry: unscheduled.
    t.write([{ id: 'fri', at: iso(atMs), channels: ['facebook'], text: 'friday special, now with dessert' }]);
    const resched = await t.run(['sync']);
    expect(resched.code, resched.stderr).toBe(0);
    expect((JSON.parse(resched.stdout) as { changes: Array<{ action: string }> }).changes.map((c) => c.action)).toEqual(['reschedule']);
    t.write([]);
    const removed = await t.run(['sync']);
    expect((JSON.parse(removed.stdout) as { changes: Array<{ action: string }> }).changes.map((c) => c.action)).toEqual(['unschedule']);
    const pages = sandbox.state.read().meta as { pagePosts: Array<{ message: string; deleted: boolean }> };
    expect(pages.pagePosts.filter((p) => !p.deleted)).toEqual([]);
    expect((await t.run(['sync', '--plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('a native schedule whose answer was lost: exit 8, then the next sync finds the scheduled post instead of scheduling twice', async () => {
    const t = setup([{ id: 'sat', at: iso(Math.floor((Date.now() + 86_400_000) / 1000) * 1000), channels: ['facebook'], text: 'saturday brunch' }]);
    sandbox.addFault({ platform: 'meta', method: 'POST', path: '/feed', times: 1, action: { type: 'drop_after_apply' } });
    const first = await t.run(['sync']);
    expect(first.code).toBe(8);
    const runs = await untilDone(() => t.run(['sync']));
    expect(runs.at(-1)!.code, runs.at(-1)!.stderr).toBe(0);
    expect(runs.flatMap(results)).toContainEqual(expect.objectContaining({ id: 'sat', action: 'reconciled' }));
    expect(sandbox.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/feed'))).toHaveLength(1);
    expect((await t.run(['sync', '--plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('--plan reports a conflict (exit 5) when a natively scheduled post was published and its text changed', async () => {
    const t = setup([{ id: 'done', at: PAST(), channels: ['facebook'], text: 'was posted' }]);
    expect((await t.run(['publish-due'])).code).toBe(0);
    t.write([{ id: 'done', at: PAST(), channels: ['facebook'], text: 'rewritten later' }]);
    const r = await t.run(['sync', '--plan', '--detailed-exitcode']);
    expect(r.code).toBe(5);
    expect((JSON.parse(r.stdout) as { results: Array<{ action: string; error: { code: string } }> }).results).toEqual([expect.objectContaining({ action: 'conflict', error: expect.objectContaining({ code: 'CONFLICT' }) })]);
  });

  it('X with --native goes to the Ads API scheduled_tweets; without it X stays local', async () => {
    // Seconds on purpose: X keeps minutes only, and sync must still see no change afterwards.
    const minute = Math.floor((Date.now() + 3 * 86_400_000) / 60_000) * 60_000;
    const at = iso(minute + 30_000);
    const t = setup([{ id: 'x-later', at, channels: ['x'], text: 'see you monday' }]);
    const local = await t.run(['sync', '--plan', '--detailed-exitcode']);
    expect(local.code).toBe(0);
    const r = await t.run(['sync', '--native']);
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.requests.filter((q) => q.method === 'POST' && /scheduled_tweets$/.test(q.path))).toEqual([expect.objectContaining({ params: expect.objectContaining({ text: 'see you monday', scheduled_at: at }) })]);
    expect((JSON.parse(r.stdout) as { results: Array<{ action: string; ref: string }> }).results).toEqual([expect.objectContaining({ action: 'scheduled', ref: expect.stringMatching(/^x:scheduled-\d+$/) })]);
    expect((await t.run(['sync', '--native', '--plan', '--detailed-exitcode'])).code).toBe(0);
  });
});

describe('adctl schema posts', () => {
  it('prints the JSON Schema of posts.yaml', async () => {
    const r = await runInProcess(['schema', 'posts']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { required: string[]; properties: { posts: { items: { required: string[] } } } };
    expect(schema.required).toEqual(['version', 'posts']);
    expect(schema.properties.posts.items.required).toEqual(['id', 'at', 'channels']);
    const bad = await runInProcess(['schema', 'nope']);
    expect(bad.code).toBe(64);
  });
});
