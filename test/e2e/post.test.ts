/**
 * `adctl post …` end to end: the built CLI against a sandbox on 127.0.0.1, checked through the
 * sandbox's request log and state (issue 5 acceptance).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_META } from '../../src/sandbox/credentials.js';
import { igOf } from '../../src/sandbox/meta/instagram.js';
import { pagesOf, pageToken } from '../../src/sandbox/meta/pages.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xPostsOf } from '../../src/sandbox/x/posts.js';
import { useSandbox } from '../helpers/sandbox.js';
import { ALL_SECRETS, parseJson, runCli, sandboxEnv, STACK_LINE, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const env = () => sandboxEnv(sandbox, { ADCTL_META_PAGE_ID: SANDBOX_META.pageId, ADCTL_META_IG_USER_ID: SANDBOX_META.igUserId });
const cli = (args: string[], configDir?: string) => runCli(args, { env: env(), ...(configDir ? { configDir } : {}) });
/** The `--json` error document on stderr (after the one-line notices). */
const errorJson = <T>(stderr: string): T => parseJson<T>(stderr.slice(stderr.indexOf('{"error"')));
const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');

interface Results { results: Array<{ ref?: string; channel: string; ok: boolean; status?: string; scheduledAt?: string; error?: { code: string; message: string; hint: string; exitCode: number } }> }

/**
 * The first day after `ms` on which Berlin's clocks go back (the last Sunday of October, EU rule):
 * 02:00–03:00 local happens twice that night. YYYY-MM-DD.
 */
function berlinFallBackAfter(ms: number): string {
  for (let year = new Date(ms).getUTCFullYear(); ; year++) {
    const day = new Date(Date.UTC(year, 9, 31));
    day.setUTCDate(31 - day.getUTCDay());
    if (day.getTime() > ms) return day.toISOString().slice(0, 10);
  }
}

/** An RFC 3339 time `minutes` ahead, to the minute, with a +00:00 offset. */
const ahead = (minutes: number) => `${new Date(Math.ceil((Date.now() + minutes * 60_000) / 60_000) * 60_000).toISOString().slice(0, 16)}:00+00:00`;

describe('post create', () => {
  it('--to x,facebook --text hi --json: one correct request per channel and per-channel results', async () => {
    const r = await cli(['post', 'create', '--to', 'x,facebook', '--text', 'hi', '--json']);
    expect(r.code).toBe(0);
    const out = parseJson<Results>(r.stdout);
    expect(out.results.map((x) => [x.channel, x.ok, x.status])).toEqual([['x', true, 'published'], ['facebook', true, 'published']]);
    const w = writes();
    expect(w.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /2/tweets', 'POST /v26.0/2001/feed']);
    expect(w[0]!.json).toEqual({ text: 'hi' });
    expect(w[1]!.params.message).toBe('hi');
    expect(w[1]!.identity).toBe('page:2001');
    expect(out.results[0]!.ref).toBe(`x:${xPostsOf(sandbox.state.read()).posts[0]!.id}`);
    expect(out.results[1]!.ref).toBe(`facebook:${pagesOf(sandbox.state.read()).pagePosts[0]!.id}`);
    for (const s of ALL_SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
  });

  it('one channel failing: exit 3 and the output lists each result', async () => {
    sandbox.addFault({
      platform: 'meta', path: '/feed', method: 'POST',
      action: { type: 'status', status: 400, body: { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'AbC' } } },
    });
    const r = await cli(['post', 'create', '--to', 'x,facebook', '--text', 'half', '--json']);
    expect(r.code).toBe(3);
    const out = parseJson<Results>(r.stdout);
    expect(out.results.map((x) => [x.channel, x.ok])).toEqual([['x', true], ['facebook', false]]);
    expect(out.results[1]!.error).toMatchObject({ code: 'PLATFORM_REJECTED', exitCode: 1 });
    expect(out.results[0]!.ref).toMatch(/^x:\d+$/);
    // Human output lists them too.
    const human = await cli(['post', 'create', '--to', 'x,facebook', '--text', 'half again']);
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(/^x\s+published\s+x:\d+/m);
    expect(human.stderr).toMatch(/^error: facebook: PLATFORM_REJECTED: /m);
    expect(human.stderr).toMatch(/^hint: /m);
  });

  it('facebook --at 2 hours ahead sends published=false and the right unix scheduled_publish_time', async () => {
    const at = ahead(120);
    const r = await cli(['post', 'create', '--to', 'facebook', '--text', 'later', '--at', at, '--json']);
    expect(r.code).toBe(0);
    const w = writes();
    expect(w).toHaveLength(1);
    expect(w[0]!.params.published).toBe('false');
    expect(w[0]!.params.scheduled_publish_time).toBe(String(Date.parse(at) / 1000));
    const out = parseJson<Results>(r.stdout);
    expect(out.results[0]).toMatchObject({ ok: true, status: 'scheduled', scheduledAt: new Date(Date.parse(at)).toISOString().replace('.000Z', 'Z') });
    expect(r.stderr).toMatch(/zone from the offset written/);
    const list = await cli(['post', 'list', '--channel', 'facebook', '--scheduled', '--json']);
    expect(parseJson<Array<{ ref: string }>>(list.stdout).map((p) => p.ref)).toEqual([out.results[0]!.ref]);
  });

  it('a local --at is read in --tz and the output says which zone was used', async () => {
    const inTwoHours = new Date(Math.ceil((Date.now() + 2 * 3600_000) / 60_000) * 60_000);
    const tokyo = new Date(inTwoHours.getTime() + 9 * 3600_000).toISOString().slice(0, 16);
    const r = await cli(['post', 'create', '--to', 'facebook', '--text', 'tokyo', '--at', tokyo, '--tz', 'Asia/Tokyo']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${tokyo.replace('T', ' ')} Asia/Tokyo (UTC+09:00), zone from --tz`);
    expect(writes()[0]!.params.scheduled_publish_time).toBe(String(inTwoHours.getTime() / 1000));
  });

  it('facebook --at 5 minutes ahead exits 64 and sends nothing', async () => {
    const r = await cli(['post', 'create', '--to', 'facebook', '--text', 'soon', '--at', ahead(5)]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/Facebook schedules at least 10 minutes ahead/);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('a local --at in a DST gap is refused with exit 64, nothing sent', async () => {
    const r = await cli(['post', 'create', '--to', 'facebook', '--text', 'gap', '--at', '2027-03-28T02:30', '--tz', 'Europe/Berlin', '--json']);
    expect(r.code).toBe(64);
    expect(errorJson<{ error: { code: string } }>(r.stderr).error.code).toBe('NONEXISTENT_LOCAL_TIME');
    expect(sandbox.requests).toHaveLength(0);
  });

  it('an ambiguous fall-back --at needs an offset; with one it is read (then checked against the window)', async () => {
    // `post create` checks the window against the real clock, so the day must be more than 30 days ahead of it.
    const day = berlinFallBackAfter(Date.now() + 31 * 86_400_000);
    const r = await cli(['post', 'create', '--to', 'facebook', '--text', 'twice', '--at', `${day}T02:30`, '--tz', 'Europe/Berlin']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(`${day}T02:30 happens twice in Europe/Berlin`);
    expect(r.stderr).toContain(`${day}T02:30+02:00 (first) or ${day}T02:30+01:00 (second)`);
    const withOffset = await cli(['post', 'create', '--to', 'facebook', '--text', 'twice', '--at', `${day}T02:30+01:00`, '--tz', 'Europe/Berlin']);
    expect(withOffset.code).toBe(64);
    expect(withOffset.stderr).toContain(`${day}T01:30:00Z is more than 30 days ahead`);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('--at for a channel without native scheduling points at posts.yaml and publish-due', async () => {
    const r = await cli(['post', 'create', '--to', 'x,instagram', '--text', 'later', '--media', 'https://cdn.example.com/a.jpg', '--at', ahead(120)]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/posts\.yaml/);
    expect(r.stderr).toMatch(/adctl post publish-due/);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('checks every channel before sending: X text length, Instagram local file (hint: https URL)', async () => {
    const dir = tempConfigDir();
    writeFileSync(join(dir, 'pic.jpg'), Buffer.alloc(10));
    const r = await runCli(['post', 'create', '--to', 'x,instagram', '--text', 'y'.repeat(300), '--media', join(dir, 'pic.jpg'), '--json'], { env: env(), configDir: dir });
    expect(r.code).toBe(64);
    const err = errorJson<{ error: { message: string; details: { problems: string[] } } }>(r.stderr).error;
    expect(err.details.problems).toEqual([
      'X: the text counts 300 characters; X allows 280 (links count 23, CJK and emoji 2) (shorten it, or pass --text-x)',
      `Instagram: cannot take the local file ${join(dir, 'pic.jpg')}; use an https URL (Instagram downloads the media itself)`,
    ]);
    expect(sandbox.requests).toHaveLength(0);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('per-channel text overrides go to their channel only', async () => {
    const r = await cli(['post', 'create', '--to', 'x,facebook', '--text', 'long form for facebook', '--text-x', 'short for x']);
    expect(r.code).toBe(0);
    expect(writes()[0]!.json).toEqual({ text: 'short for x' });
    expect(writes()[1]!.params.message).toBe('long form for facebook');
  });

  it('an Instagram image post goes container → FINISHED → publish', async () => {
    const r = await cli(['post', 'create', '--to', 'instagram', '--text', 'ramen', '--media', 'https://cdn.example.com/bowl.jpg', '--json']);
    expect(r.code).toBe(0);
    const steps = sandbox.requests.map((q) => `${q.method} ${q.path.replace(/\/1790\d{12}$/, '/CONTAINER').replace(/\/1791\d{12}$/, '/MEDIA')}`);
    expect(steps).toEqual([
      'GET /v26.0/17841400000000001/content_publishing_limit',
      'POST /v26.0/17841400000000001/media', 'GET /v26.0/CONTAINER', 'GET /v26.0/CONTAINER',
      'POST /v26.0/17841400000000001/media_publish', 'GET /v26.0/MEDIA',
    ]);
    const st = igOf(sandbox.state.read());
    expect(st.igContainers[0]!.status_code).toBe('PUBLISHED');
    expect(parseJson<Results>(r.stdout).results[0]).toMatchObject({ ok: true, ref: `instagram:${st.igMedia[0]!.id}` });
  });

  it('an ERROR container ends with a readable message and exit 1', async () => {
    const r = await cli(['post', 'create', '--to', 'instagram', '--text', 'bad', '--media', 'https://cdn.example.com/error-2207026.mp4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: instagram: IG_MEDIA_ERROR: Instagram could not use https://cdn.example.com/error-2207026.mp4: the video format is not supported (error 2207026)');
    expect(r.stderr).toMatch(/^hint: use an MP4 or MOV video/m);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(igOf(sandbox.state.read()).igMedia).toHaveLength(0);
  });

  it('a create whose answer is lost exits 8 with a reconcile hint and is sent once', async () => {
    sandbox.addFault({ platform: 'x', path: '/2/tweets', method: 'POST', times: 1, action: { type: 'drop_after_apply' } });
    const r = await cli(['post', 'create', '--to', 'x', '--text', 'maybe', '--json']);
    expect(r.code).toBe(8);
    const res = parseJson<Results>(r.stdout).results[0]!;
    expect(res.error).toMatchObject({ code: 'UNKNOWN_OUTCOME', exitCode: 8 });
    expect(res.error!.hint).toContain('adctl post list --channel x');
    expect(sandbox.requests.filter((q) => q.path === '/2/tweets')).toHaveLength(1);
  });

  it('an X thread from a file: each post replies to the previous one', async () => {
    const dir = tempConfigDir();
    writeFileSync(join(dir, 'thread.txt'), 'one\n\ntwo\n\nthree\n');
    const r = await runCli(['post', 'create', '--to', 'x', '--thread', join(dir, 'thread.txt'), '--json'], { env: env(), configDir: dir });
    expect(r.code).toBe(0);
    const posts = xPostsOf(sandbox.state.read()).posts;
    expect(posts.map((p) => [p.text, p.in_reply_to_tweet_id])).toEqual([['one', null], ['two', posts[0]!.id], ['three', posts[1]!.id]]);
    expect(parseJson<Results>(r.stdout).results).toHaveLength(3);
  });

  it('X duplicate content is typed DUPLICATE_CONTENT in the results', async () => {
    await cli(['post', 'create', '--to', 'x', '--text', 'again']);
    const r = await cli(['post', 'create', '--to', 'x', '--text', 'again', '--json']);
    expect(r.code).toBe(1);
    expect(parseJson<Results>(r.stdout).results[0]!.error!.code).toBe('DUPLICATE_CONTENT');
  });
});

describe('post create: safety', () => {
  it('--debug never shows the Page token (or any token)', async () => {
    const r = await cli(['post', 'create', '--to', 'facebook', '--text', 'traced', '--debug']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/POST .*\/2001\/feed/);
    expect(r.stderr).not.toContain(pageToken(SANDBOX_META.pageId));
    for (const s of ALL_SECRETS) expect(r.stderr).not.toContain(s);
  });

  it('--dry-run prints the create it would send per channel and writes nothing', async () => {
    const r = await cli(['post', 'create', '--to', 'x,facebook', '--text', 'dry', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const out = parseJson<{ results: Array<{ channel: string; dryRun: boolean; requests: Array<{ method: string; url: string }> }> }>(r.stdout);
    expect(out.results.map((x) => [x.channel, x.dryRun, x.requests[0]!.method])).toEqual([['x', true, 'POST'], ['facebook', true, 'POST']]);
    expect(out.results[1]!.requests[0]!.url).not.toContain(pageToken(SANDBOX_META.pageId));
    expect(writes()).toHaveLength(0);
  });
});

describe('post list|get|delete', () => {
  it('lists across channels, gets one, deletes it (audited), and a second delete sends nothing', async () => {
    const dir = tempConfigDir();
    const created = parseJson<Results>((await cli(['post', 'create', '--to', 'x,facebook', '--text', 'listed', '--json'], dir)).stdout);
    const list = await cli(['post', 'list', '--json'], dir);
    expect(list.code).toBe(0);
    expect(parseJson<Array<{ ref: string }>>(list.stdout).map((p) => p.ref)).toEqual(created.results.map((x) => x.ref));
    const fbRef = created.results[1]!.ref!;
    const got = await cli(['post', 'get', fbRef, '--json'], dir);
    expect(parseJson<{ text: string; status: string }>(got.stdout)).toMatchObject({ text: 'listed', status: 'published' });
    const del = await cli(['post', 'delete', fbRef, '--yes', '--json'], dir);
    expect(del.code).toBe(0);
    expect(parseJson(del.stdout)).toEqual({ ref: fbRef, deleted: true, alreadyDeleted: false });
    sandbox.requests.length = 0;
    const again = await cli(['post', 'delete', fbRef, '--yes', '--json'], dir);
    expect(parseJson<{ alreadyDeleted: boolean }>(again.stdout).alreadyDeleted).toBe(true);
    expect(writes()).toHaveLength(0);
    const audit = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { operation: string; ref: string; outcome: string });
    expect(audit.map((a) => [a.operation, a.ref, a.outcome])).toEqual([
      ['post.create', created.results[0]!.ref, 'ok'], ['post.create', fbRef, 'ok'], ['post.delete', fbRef, 'ok'],
    ]);
  });

  it('delete without --yes and without a TTY exits 77 and sends nothing', async () => {
    const r = await cli(['post', 'delete', 'x:1999000000000000001']);
    expect(r.code).toBe(77);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('a bad ref is exit 64 with a hint', async () => {
    const r = await cli(['post', 'get', 'myspace:1']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/hint: write <channel>:<id>/);
  });
});
