/**
 * Facebook Page and Instagram posts through facebook-nodejs-business-sdk over real HTTP to the
 * sandbox: Page token, feed, photos (URL and multipart file), native scheduling, IG containers
 * with processing states, publishing limit, and the errors users must understand.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../../src/core/adapter.js';
import { createAdapterContext } from '../../../src/core/context.js';
import { AdctlError } from '../../../src/core/errors.js';
import { metaManifest } from '../../../src/plugins/meta/manifest.js';
import { SANDBOX_META } from '../../../src/sandbox/credentials.js';
import { igOf } from '../../../src/sandbox/meta/instagram.js';
import { pagesOf, pageToken } from '../../../src/sandbox/meta/pages.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const meta = (channelIds: { pageId?: string; igUserId?: string } = { pageId: SANDBOX_META.pageId, igUserId: SANDBOX_META.igUserId }): Promise<PlatformAdapter> =>
  metaManifest.load(createAdapterContext({
    platform: 'meta',
    credentials: { kind: 'meta-token', accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
    accountId: SANDBOX_META.adAccountId,
    channelIds,
    endpoints: { metaGraph: sandbox.url },
    timeoutMs: 3000,
    policy: { baseDelayMs: 1 },
  }));

async function failure(p: Promise<unknown>): Promise<AdctlError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(AdctlError);
  return e as AdctlError;
}

const fbPosts = () => pagesOf(sandbox.state.read()).pagePosts;
const igMedia = () => igOf(sandbox.state.read()).igMedia;
const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');

describe('Facebook Page posts', () => {
  it('publishes with the Page access token: one POST /{page}/feed', async () => {
    const m = await meta();
    const post = await m.createPost!({ channel: 'facebook', text: 'hi Page', media: [] });
    expect(post).toMatchObject({ channel: 'facebook', status: 'published', text: 'hi Page' });
    expect(post.ref).toMatch(/^facebook:2001_\d+$/);
    const w = writes();
    expect(w.map((r) => r.path)).toEqual(['/v26.0/2001/feed']);
    expect(w[0]!.params.message).toBe('hi Page');
    expect(w[0]!.identity).toBe('page:2001');
    expect(w[0]!.query.access_token).toBe(pageToken('2001'));
    expect(fbPosts().map((p) => p.message)).toEqual(['hi Page']);
  });

  it('schedules natively with published=false and unix scheduled_publish_time', async () => {
    const m = await meta();
    const at = new Date(Math.floor(Date.now() / 1000 + 7200) * 1000).toISOString().replace(/\.000Z$/, 'Z');
    const post = await m.createPost!({ channel: 'facebook', text: 'later', media: [], scheduledAt: at });
    expect(post).toMatchObject({ status: 'scheduled', scheduledAt: at });
    const req = writes()[0]!;
    expect(req.params.published).toBe('false');
    expect(req.params.scheduled_publish_time).toBe(String(Date.parse(at) / 1000));
    const list = await m.listPosts!({ channel: 'facebook', includeScheduled: true });
    expect(list.find((p) => p.id === post.id)).toMatchObject({ status: 'scheduled', scheduledAt: at });
    expect((await m.listPosts!({ channel: 'facebook' })).map((p) => p.id)).not.toContain(post.id);
  });

  it('the platform refuses a schedule outside its window (the CLI checks first; this is the wire error)', async () => {
    const m = await meta();
    const e = await failure(m.createPost!({ channel: 'facebook', text: 'too soon', media: [], scheduledAt: new Date(Date.now() + 120_000).toISOString() }));
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(/scheduled publish time is invalid/);
    expect(fbPosts()).toHaveLength(0);
  });

  it('posts one photo by URL, and one from a local file as multipart source', async () => {
    const m = await meta();
    const a = await m.createPost!({ channel: 'facebook', text: 'by url', media: [{ kind: 'url', url: 'https://cdn.example.com/a.jpg' }] });
    const dir = mkdtempSync(join(tmpdir(), 'adctl-fb-'));
    writeFileSync(join(dir, 'b.png'), Buffer.alloc(300, 9));
    const b = await m.createPost!({ channel: 'facebook', text: 'by file', media: [{ kind: 'file', path: join(dir, 'b.png'), mimeType: 'image/png', bytes: 300 }] });
    const photos = pagesOf(sandbox.state.read()).photos;
    expect(photos.map((p) => [p.url, p.bytes])).toEqual([['https://cdn.example.com/a.jpg', 0], [null, 300]]);
    expect(fbPosts().map((p) => p.id)).toEqual([a.id, b.id]);
    expect(fbPosts()[1]!.message).toBe('by file');
  });

  it('several photos become unpublished photos attached to one feed post', async () => {
    const m = await meta();
    const post = await m.createPost!({ channel: 'facebook', text: 'album', media: [{ kind: 'url', url: 'https://cdn.example.com/1.jpg' }, { kind: 'url', url: 'https://cdn.example.com/2.jpg' }] });
    expect(writes().map((r) => r.path)).toEqual(['/v26.0/2001/photos', '/v26.0/2001/photos', '/v26.0/2001/feed']);
    expect(fbPosts()).toHaveLength(1);
    expect(fbPosts()[0]!.photo_ids).toHaveLength(2);
    expect(post.id).toBe(fbPosts()[0]!.id);
  });

  it('Facebook duplicate status (506) is typed DUPLICATE_CONTENT', async () => {
    const m = await meta();
    await m.createPost!({ channel: 'facebook', text: 'twice', media: [] });
    const e = await failure(m.createPost!({ channel: 'facebook', text: 'twice', media: [] }));
    expect(e.code).toBe('DUPLICATE_CONTENT');
  });

  it('an expired token on Page calls is exit 4 with an `adctl auth login` hint', async () => {
    const m = await meta();
    sandbox.addFault({ platform: 'meta', path: '/2001', action: { type: 'expired_token' } });
    const e = await failure(m.createPost!({ channel: 'facebook', text: 'expired', media: [] }));
    expect(e.exitCode).toBe(4);
    expect(e.code).toBe('TOKEN_EXPIRED');
    expect(e.hint).toMatch(/adctl auth login/);
  });

  it('get, delete (idempotent), and a missing post is NOT_FOUND', async () => {
    const m = await meta();
    const post = await m.createPost!({ channel: 'facebook', text: 'bye', media: [] });
    expect((await m.getPost!('facebook', post.id)).text).toBe('bye');
    await m.deletePost!('facebook', post.id);
    await m.deletePost!('facebook', post.id);
    expect((await failure(m.getPost!('facebook', post.id))).code).toBe('NOT_FOUND');
  });

  it('a Page post whose response is lost after it was applied is exit 8, sent once', async () => {
    const m = await meta();
    sandbox.addFault({ platform: 'meta', path: '/feed', method: 'POST', times: 1, action: { type: 'drop_after_apply' } });
    const e = await failure(m.createPost!({ channel: 'facebook', text: 'lost answer', media: [] }));
    expect(e.exitCode).toBe(8);
    expect(writes()).toHaveLength(1);
    expect(fbPosts()).toHaveLength(1);
  });

  it('without a Page id: a usage error naming ADCTL_META_PAGE_ID, nothing sent', async () => {
    const m = await meta({});
    const e = await failure(m.createPost!({ channel: 'facebook', text: 'x', media: [] }));
    expect(e.exitCode).toBe(64);
    expect(e.hint).toMatch(/ADCTL_META_PAGE_ID/);
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe('Instagram posts', () => {
  it('container → IN_PROGRESS → FINISHED → media_publish, after the quota check', async () => {
    const m = await meta();
    const post = await m.createPost!({ channel: 'instagram', text: 'ramen', media: [{ kind: 'url', url: 'https://cdn.example.com/bowl.jpg' }] });
    const seen = sandbox.requests.map((r) => `${r.method} ${r.path.replace(/179[01]\d{12}$/, 'ID')}`);
    expect(seen).toEqual([
      'GET /v26.0/17841400000000001/content_publishing_limit',
      'POST /v26.0/17841400000000001/media', 'GET /v26.0/ID', 'GET /v26.0/ID',
      'POST /v26.0/17841400000000001/media_publish', 'GET /v26.0/ID',
    ]);
    expect(igMedia().map((x) => x.caption)).toEqual(['ramen']);
    expect(post).toMatchObject({ channel: 'instagram', status: 'published', text: 'ramen', id: igMedia()[0]!.id });
    expect(post.url).toMatch(/^https:\/\/www\.instagram\.com\/p\//);
    expect((await m.listPosts!({ channel: 'instagram' })).map((p) => p.id)).toEqual([post.id]);
  });

  it('an ERROR container ends with the subcode meaning and a hint, exit 1, nothing published', async () => {
    const m = await meta();
    const e = await failure(m.createPost!({ channel: 'instagram', text: 'bad', media: [{ kind: 'url', url: 'https://cdn.example.com/error-2207026.mp4' }] }));
    expect([e.code, e.exitCode]).toEqual(['IG_MEDIA_ERROR', 1]);
    expect(e.message).toMatch(/video format is not supported \(error 2207026\)/);
    expect(e.hint).toMatch(/MP4/);
    expect(igMedia()).toHaveLength(0);
    expect(sandbox.requests.some((r) => r.path.endsWith('/media_publish'))).toBe(false);
  });

  it.each([
    [2207082, /could not process the media file/],
    [2207001, /Instagram had a server error/],
    [2207003, /took too long to download the media/],
  ])('container error %i reads as its meaning with a hint', async (code, meaning) => {
    const m = await meta();
    const e = await failure(m.createPost!({ channel: 'instagram', text: 'e', media: [{ kind: 'url', url: `https://cdn.example.com/error-${code}.jpg` }] }));
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(meaning);
    expect(e.message).toContain(`(error ${code})`);
    expect(e.hint).toBeTruthy();
    expect(e.details).toMatchObject({ subcode: code, statusCode: 'ERROR' });
  });

  it('slow processing: polls until FINISHED', async () => {
    const m = await meta();
    sandbox.addFault({ platform: 'meta', path: '/media', method: 'POST', times: 1, action: { type: 'slow_processing', polls: 2 } });
    await m.createPost!({ channel: 'instagram', text: 'slow', media: [{ kind: 'url', url: 'https://cdn.example.com/slow.jpg' }] });
    expect(sandbox.requests.filter((r) => r.method === 'GET' && /^\/v26\.0\/1790\d+$/.test(r.path))).toHaveLength(4);
    expect(igMedia()).toHaveLength(1);
  }, 15_000);

  it('a carousel: child containers, then a CAROUSEL container with children', async () => {
    const m = await meta();
    await m.createPost!({ channel: 'instagram', text: 'two', media: [{ kind: 'url', url: 'https://cdn.example.com/1.jpg' }, { kind: 'url', url: 'https://cdn.example.com/2.jpg' }] });
    const creates = sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/media'));
    expect(creates.map((r) => r.params.media_type ?? 'IMAGE')).toEqual(['IMAGE', 'IMAGE', 'CAROUSEL']);
    expect(igMedia()[0]!.media_type).toBe('CAROUSEL_ALBUM');
  }, 15_000);

  it('refuses when the publishing limit is used up, before creating containers', async () => {
    sandbox.state.mutate((s) => {
      igOf(s).igQuotaTotal = 0;
    });
    const m = await meta();
    const e = await failure(m.createPost!({ channel: 'instagram', text: 'q', media: [{ kind: 'url', url: 'https://cdn.example.com/q.jpg' }] }));
    expect(e.code).toBe('IG_PUBLISHING_LIMIT');
    expect(writes()).toHaveLength(0);
  });

  it('a local file is refused with a hint to use an https URL, nothing sent', async () => {
    const m = await meta();
    const e = await failure(m.createPost!({ channel: 'instagram', text: 'f', media: [{ kind: 'file', path: '/tmp/x.jpg', mimeType: 'image/jpeg', bytes: 1 }] }));
    expect(e.exitCode).toBe(64);
    expect(e.hint).toMatch(/https URL/);
    expect(sandbox.requests).toHaveLength(0);
  });

  it('a lost media_publish answer is exit 8 and the post exists once', async () => {
    const m = await meta();
    sandbox.addFault({ platform: 'meta', path: '/media_publish', times: 1, action: { type: 'drop_after_apply' } });
    const e = await failure(m.createPost!({ channel: 'instagram', text: 'lost', media: [{ kind: 'url', url: 'https://cdn.example.com/l.jpg' }] }));
    expect(e.exitCode).toBe(8);
    expect(sandbox.requests.filter((r) => r.path.endsWith('/media_publish'))).toHaveLength(1);
    expect(igMedia()).toHaveLength(1);
  });

  it('a Graph error with an Instagram subcode reads as its meaning', async () => {
    const m = await meta();
    sandbox.addFault({
      platform: 'meta', path: '/media', method: 'POST', times: 1,
      action: { type: 'status', status: 400, body: { error: { message: 'Media download has failed.', type: 'OAuthException', code: 9004, error_subcode: 2207052, fbtrace_id: 'x' } } },
    });
    const e = await failure(m.createPost!({ channel: 'instagram', text: 'u', media: [{ kind: 'url', url: 'https://cdn.example.com/u.jpg' }] }));
    expect(e.message).toMatch(/could not fetch the media from the URL \(error 2207052\)/);
    expect(e.hint).toMatch(/public https URL/);
  });
});
