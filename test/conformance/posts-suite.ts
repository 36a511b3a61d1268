/**
 * Behaviour every posts-capable adapter shares (issue 5), run against the real SDK over real HTTP
 * to the sandbox. Each plugin calls `describePostsConformance` once per channel it publishes to.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter, WireRequest } from '../../src/core/adapter.js';
import { DryRunIntercepted } from '../../src/core/adapter.js';
import { AdctlError } from '../../src/core/errors.js';
import type { Channel, MediaInput } from '../../src/core/model.js';
import { Post } from '../../src/core/model.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/server.js';

export interface PostsTarget {
  channel: Channel;
  makeAdapter(sandbox: SandboxServer, options?: { dryRun?: boolean; observed?: WireRequest[] }): Promise<PlatformAdapter>;
  /** Media a post on this channel needs (Instagram needs an image), or none. */
  media: MediaInput[];
  /** Path fragment of the request that creates the post, to aim faults. */
  createPath: string;
  /** Whether deleting is supported on this channel. */
  deletes: boolean;
}

export function describePostsConformance(t: PostsTarget): void {
  describe(`${t.channel} posts conformance`, () => {
    let sandbox: SandboxServer;
    let adapter: PlatformAdapter;
    beforeAll(async () => {
      sandbox = await startSandbox();
    });
    afterAll(async () => {
      await sandbox.close();
    });
    beforeEach(async () => {
      sandbox.reset();
      sandbox.clearFaults();
      sandbox.requests.length = 0;
      adapter = await t.makeAdapter(sandbox);
    });

    const creates = () => sandbox.requests.filter((r) => r.method === 'POST' && r.path.includes(t.createPath));
    const input = (text: string) => ({ channel: t.channel, text, media: t.media });

    it('declares posts capabilities and rules for the channel', () => {
      expect(adapter.capabilities.has('posts.publish')).toBe(true);
      const rules = adapter.channelRules!().find((r) => r.channel === t.channel)!;
      expect(rules.maxTextLength).toBeGreaterThan(0);
      expect(rules.maxMedia).toBeGreaterThan(0);
    });

    it('creates a post with a <channel>:<id> ref, reads it back, and lists it newest first', async () => {
      const first = await adapter.createPost!(input('conformance one'));
      const second = await adapter.createPost!(input('conformance two'));
      for (const p of [first, second]) {
        expect(Post.parse(p)).toEqual(p);
        expect(p.ref).toBe(`${t.channel}:${p.id}`);
        expect(p.status).toBe('published');
      }
      expect((await adapter.getPost!(t.channel, first.id)).text).toBe('conformance one');
      const list = await adapter.listPosts!({ channel: t.channel, limit: 10 });
      expect(list.map((p) => p.id).slice(0, 2)).toEqual([second.id, first.id]);
      for (const p of list) expect(Post.parse(p)).toEqual(p);
    });

    it('a create whose answer is lost after it was applied is UNKNOWN_OUTCOME (exit 8), sent once', async () => {
      sandbox.addFault({ path: t.createPath, method: 'POST', times: 1, action: { type: 'drop_after_apply' } });
      const e = await adapter.createPost!(input('lost answer')).then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(AdctlError);
      expect((e as AdctlError).exitCode).toBe(8);
      expect(creates()).toHaveLength(1);
      // The post is there: reconciliation by listing finds it.
      expect((await adapter.listPosts!({ channel: t.channel })).map((p) => p.text)).toContain('lost answer');
    });

    it('dry run sends no write and reports the create it would send', async () => {
      const observed: WireRequest[] = [];
      const dry = await t.makeAdapter(sandbox, { dryRun: true, observed });
      const e = await dry.createPost!({ channel: t.channel, text: 'dry', media: t.channel === 'instagram' ? t.media : [] }).then(() => undefined, (err: unknown) => err);
      expect(e).toBeInstanceOf(DryRunIntercepted);
      expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
    });

    it.runIf(t.deletes)('deletes idempotently; a deleted post is NOT_FOUND', async () => {
      const p = await adapter.createPost!(input('to delete'));
      await adapter.deletePost!(t.channel, p.id);
      await adapter.deletePost!(t.channel, p.id);
      const e = await adapter.getPost!(t.channel, p.id).then(() => undefined, (err: unknown) => err);
      expect((e as AdctlError).code).toBe('NOT_FOUND');
    });
  });
}
