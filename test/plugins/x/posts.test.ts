/**
 * X posts through twitter-api-v2 over real HTTP to the sandbox: tweets, threads, chunked media
 * with processing, timeline, delete, native scheduling, and the errors users must understand.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DryRunIntercepted, type PlatformAdapter, type WireRequest } from '../../../src/core/adapter.js';
import { AdctlError } from '../../../src/core/errors.js';
import { SANDBOX_X } from '../../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { xPostsOf } from '../../../src/sandbox/x/posts.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { makeX } from './make-adapter.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const adapter = (accountId?: string): Promise<PlatformAdapter> => makeX({ url: sandbox.url, ...(accountId === undefined ? {} : { accountId }) });
const posts = () => xPostsOf(sandbox.state.read()).posts;

async function failure(p: Promise<unknown>): Promise<AdctlError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(AdctlError);
  return e as AdctlError;
}

function file(name: string, bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'adctl-media-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('X posts', () => {
  it('publishes a text post with one POST /2/tweets carrying the JSON body X expects', async () => {
    const x = await adapter();
    const post = await x.createPost!({ channel: 'x', text: 'hello from adctl', media: [] });
    expect(post).toMatchObject({ channel: 'x', status: 'published', text: 'hello from adctl' });
    expect(post.ref).toBe(`x:${post.id}`);
    const writes = sandbox.requests.filter((r) => r.method === 'POST');
    expect(writes.map((r) => r.path)).toEqual(['/2/tweets']);
    expect(writes[0]!.json).toEqual({ text: 'hello from adctl' });
    expect(posts().map((p) => p.text)).toEqual(['hello from adctl']);
  });

  it('replies to a post (threads) and reads the timeline newest first', async () => {
    const x = await adapter();
    const first = await x.createPost!({ channel: 'x', text: 'thread 1/2', media: [] });
    const second = await x.createPost!({ channel: 'x', text: 'thread 2/2', media: [], replyToId: first.id });
    expect(sandbox.requests.filter((r) => r.path === '/2/tweets').at(-1)!.json).toEqual({ text: 'thread 2/2', reply: { in_reply_to_tweet_id: first.id } });
    const list = await x.listPosts!({ channel: 'x', limit: 10 });
    expect(list.map((p) => p.id)).toEqual([second.id, first.id]);
    expect(list[0]!.publishedAt).toMatch(/Z$/);
  });

  it('uploads an image in chunks (INIT, APPEND, FINALIZE) and attaches its media id', async () => {
    const x = await adapter();
    const path = file('cat.png', Buffer.alloc(1024 * 1024 + 10, 7));
    const post = await x.createPost!({ channel: 'x', text: 'with image', media: [{ kind: 'file', path, mimeType: 'image/png', bytes: 1024 * 1024 + 10 }] });
    const paths = sandbox.requests.map((r) => `${r.method} ${r.path.replace(/\d{19}/, 'ID')}`);
    expect(paths).toEqual([
      'POST /2/media/upload/initialize', 'POST /2/media/upload/ID/append', 'POST /2/media/upload/ID/append', 'POST /2/media/upload/ID/finalize', 'POST /2/tweets',
    ]);
    expect(post.media).toHaveLength(1);
    expect(posts()[0]!.media_ids).toEqual(post.media);
  });

  it('downloads media given as a URL, then uploads it to X', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(Buffer.alloc(2000, 3));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const x = await adapter();
      const { port } = server.address() as AddressInfo;
      await x.createPost!({ channel: 'x', text: 'from a url', media: [{ kind: 'url', url: `http://127.0.0.1:${port}/photo.jpg` }] });
      const init = sandbox.requests.find((r) => r.path === '/2/media/upload/initialize')!;
      expect(init.json).toMatchObject({ media_type: 'image/jpeg', total_bytes: 2000, media_category: 'tweet_image' });
      expect(posts()[0]!.media_ids).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('a dry run with media shows the post it would send and uploads nothing', async () => {
    const requests: WireRequest[] = [];
    const x = await makeX({ url: sandbox.url, dryRun: true, requests });
    const path = file('dry.png', Buffer.alloc(10));
    const e = await x.createPost!({ channel: 'x', text: 'dry', media: [{ kind: 'file', path, mimeType: 'image/png', bytes: 10 }] }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DryRunIntercepted);
    expect((e as DryRunIntercepted).request.url).toMatch(/\/2\/tweets$/);
    expect(JSON.parse((e as DryRunIntercepted).request.body as string)).toEqual({ text: 'dry', media: { media_ids: [`<upload of ${path}>`] } });
    expect(sandbox.requests).toHaveLength(0);
  });

  it('polls STATUS while a video is processing, including slow processing', async () => {
    const x = await adapter();
    sandbox.addFault({ platform: 'x', path: '/finalize', times: 1, action: { type: 'slow_processing', polls: 1 } });
    const path = file('clip.mp4', Buffer.alloc(2048, 1));
    await x.createPost!({ channel: 'x', text: 'with video', media: [{ kind: 'file', path, mimeType: 'video/mp4', bytes: 2048 }] });
    const statuses = sandbox.requests.filter((r) => r.method === 'GET' && r.path === '/2/media/upload');
    expect(statuses.length).toBe(3);
    expect(posts()).toHaveLength(1);
  }, 15_000);

  it('media X fails to process ends with a readable error and no post', async () => {
    const x = await adapter();
    const path = file('bad.png', Buffer.concat([Buffer.from('FAIL'), Buffer.alloc(100)]));
    const e = await failure(x.createPost!({ channel: 'x', text: 'bad media', media: [{ kind: 'file', path, mimeType: 'image/png', bytes: 104 }] }));
    expect(e.code).toBe('MEDIA_PROCESSING_FAILED');
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(/could not process .*bad\.png: Unsupported image format/);
    expect(posts()).toHaveLength(0);
  });

  it('types X duplicate content as DUPLICATE_CONTENT with a hint', async () => {
    const x = await adapter();
    await x.createPost!({ channel: 'x', text: 'same words', media: [] });
    const e = await failure(x.createPost!({ channel: 'x', text: 'same words', media: [] }));
    expect(e.code).toBe('DUPLICATE_CONTENT');
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(/already posted/);
    expect(e.hint).toBeTruthy();
    expect(posts()).toHaveLength(1);
  });

  it('explains X access-tier refusals: client-not-enrolled, the "subset of endpoints" 403, and 402 credits', async () => {
    const x = await adapter();
    sandbox.addFault({
      platform: 'x', path: '/2/tweets', times: 1,
      action: { type: 'status', status: 403, contentType: 'application/problem+json', body: { client_id: '1', detail: 'When authenticating requests to the X API v2 endpoints, you must use keys and tokens from an App attached to a Project.', registration_url: 'https://developer.x.com/', title: 'Client Forbidden', required_enrollment: 'Appropriate Level of API Access', reason: 'client-not-enrolled', type: 'https://api.x.com/2/problems/client-forbidden' } },
    });
    const a = await failure(x.createPost!({ channel: 'x', text: 'tier 1', media: [] }));
    expect([a.code, a.exitCode]).toEqual(['X_ACCESS_TIER', 4]);
    expect(a.message).toMatch(/client-not-enrolled/);
    expect(a.hint).toMatch(/Project/);

    sandbox.addFault({
      platform: 'x', path: '/2/tweets', times: 1,
      action: { type: 'status', status: 403, body: { errors: [{ message: 'You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media post, oauth) only. If you need access to this endpoint, you may need a different access level.', code: 453 }] } },
    });
    const b = await failure(x.createPost!({ channel: 'x', text: 'tier 2', media: [] }));
    expect([b.code, b.exitCode]).toEqual(['X_ACCESS_TIER', 4]);

    sandbox.addFault({
      platform: 'x', path: '/2/tweets', times: 1,
      action: { type: 'status', status: 402, contentType: 'application/problem+json', body: { title: 'CreditsDepleted', detail: 'Your enrolled account does not have any credits to fulfill this request.', type: 'https://api.x.com/2/problems/credits' } },
    });
    const c = await failure(x.createPost!({ channel: 'x', text: 'tier 3', media: [] }));
    expect(c.code).toBe('X_CREDITS_DEPLETED');
    expect(c.hint).toMatch(/credits/);
    expect(posts()).toHaveLength(0);
  });

  it('a create whose response is lost after X applied it is exit 8 and is never retried', async () => {
    const x = await adapter();
    sandbox.addFault({ platform: 'x', path: '/2/tweets', method: 'POST', times: 1, action: { type: 'drop_after_apply' } });
    const e = await failure(x.createPost!({ channel: 'x', text: 'maybe posted', media: [] }));
    expect([e.code, e.exitCode]).toEqual(['UNKNOWN_OUTCOME', 8]);
    expect(sandbox.requests.filter((r) => r.path === '/2/tweets')).toHaveLength(1);
    expect(posts().map((p) => p.text)).toEqual(['maybe posted']);
    // Reconciliation finds it on the timeline.
    expect((await x.listPosts!({ channel: 'x' })).map((p) => p.text)).toContain('maybe posted');
  });

  it('a 5xx on create is exit 8 (it may have been applied), not a retry', async () => {
    const x = await adapter();
    sandbox.addFault({ platform: 'x', path: '/2/tweets', method: 'POST', times: 1, action: { type: 'status', status: 503 } });
    const e = await failure(x.createPost!({ channel: 'x', text: 'five oh three', media: [] }));
    expect(e.exitCode).toBe(8);
    expect(sandbox.requests.filter((r) => r.path === '/2/tweets')).toHaveLength(1);
  });

  it('gets and deletes a post; deleting again succeeds; getting it then is NOT_FOUND', async () => {
    const x = await adapter();
    const post = await x.createPost!({ channel: 'x', text: 'short lived', media: [] });
    expect((await x.getPost!('x', post.id)).text).toBe('short lived');
    await x.deletePost!('x', post.id);
    await x.deletePost!('x', post.id);
    const e = await failure(x.getPost!('x', post.id));
    expect(e.code).toBe('NOT_FOUND');
  });

  it('schedules natively through the Ads API scheduled_tweets as an organic (nullcast=false) post', async () => {
    const x = await adapter();
    const at = new Date(Date.now() + 3 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const post = await x.createPost!({ channel: 'x', text: 'later', media: [], scheduledAt: at });
    expect(post.status).toBe('scheduled');
    expect(post.ref).toMatch(/^x:scheduled-\d+$/);
    const req = sandbox.requests.find((r) => r.path.endsWith('/scheduled_tweets'))!;
    expect(req.params).toMatchObject({ as_user_id: SANDBOX_X.userId, text: 'later', nullcast: 'false', scheduled_at: at });
    const list = await x.listPosts!({ channel: 'x', includeScheduled: true });
    expect(list.map((p) => p.ref)).toContain(post.ref);
    await x.deletePost!('x', post.id);
    expect((await x.listPosts!({ channel: 'x', includeScheduled: true })).map((p) => p.ref)).not.toContain(post.ref);
  });

  it('native scheduling without an ads account is a usage error that points at posts.yaml', async () => {
    const x = await makeX({ url: sandbox.url, accountId: '' });
    const e = await failure(x.createPost!({ channel: 'x', text: 'later', media: [], scheduledAt: new Date(Date.now() + 7200_000).toISOString() }));
    expect(e.exitCode).toBe(64);
    expect(e.hint).toMatch(/publish-due/);
    expect(sandbox.requests).toHaveLength(0);
  });
});
