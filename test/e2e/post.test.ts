/**
 * `adctl post …` end to end: the built CLI against a sandbox on 127.0.0.1, checked through the
 * sandbox's request log and state (issue 5 acceptance). Here only what needs the real process: a
 * create as a user runs it, everything the process prints (no token, even with --debug), and the
 * refusal when stdin is not a terminal. The other post checks run in-process in
 * test/cli/post.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_META } from '../../src/sandbox/credentials.js';
import { pagesOf, pageToken } from '../../src/sandbox/meta/pages.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xPostsOf } from '../../src/sandbox/x/posts.js';
import { useSandbox } from '../helpers/sandbox.js';
import { ALL_SECRETS, parseJson, runCli, sandboxEnv } from './helpers.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const env = () => sandboxEnv(sandbox, { ADCTL_META_PAGE_ID: SANDBOX_META.pageId, ADCTL_META_IG_USER_ID: SANDBOX_META.igUserId });
const cli = (args: string[]) => runCli(args, { env: env() });
const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');

interface Results { results: Array<{ ref?: string; channel: string; ok: boolean; status?: string }> }

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
});

describe('post create: safety', () => {
  // Spawned: the process's whole stderr, including anything a library might print on its own.
  it('--debug never shows the Page token (or any token)', async () => {
    const r = await cli(['post', 'create', '--to', 'facebook', '--text', 'traced', '--debug']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/POST .*\/2001\/feed/);
    expect(r.stderr).not.toContain(pageToken(SANDBOX_META.pageId));
    for (const s of ALL_SECRETS) expect(r.stderr).not.toContain(s);
  });
});

describe('post list|get|delete', () => {
  // Spawned: whether a prompt is possible is read from the real process's stdin and stdout.
  it('delete without --yes and without a TTY exits 77 and sends nothing', async () => {
    const r = await cli(['post', 'delete', 'x:1999000000000000001']);
    expect(r.code).toBe(77);
    expect(sandbox.requests).toHaveLength(0);
  });
});
