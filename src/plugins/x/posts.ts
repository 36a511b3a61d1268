/**
 * X posts (issue 5): X API v2 `POST /2/tweets`, `DELETE /2/tweets/:id`, `GET /2/tweets/:id`,
 * `GET /2/users/:id/tweets` (the timeline, also used to reconcile unknown outcomes), media through
 * the v2 chunked upload (media.ts), and native scheduling through the Ads API `scheduled_tweets`
 * (only when an ads account is configured; the service asks for it only with `--native`).
 *
 * Contracts:
 * - `createPost` is not idempotent: `POST /2/tweets` runs with `idempotent: false`, so a timeout,
 *   a dropped connection or a 5xx after sending ends in UNKNOWN_OUTCOME (exit 8), never a retry.
 *   Media uploads before it are safe to repeat (an unused media id expires by itself).
 * - Natively scheduled posts have refs `x:scheduled-<id>`; published ones `x:<tweet id>`.
 * - Times are UTC ISO with Z.
 */
import type { z } from 'zod';
import type { AdapterContext, PlatformAdapter, XCredentials, XOAuth2Credentials } from '../../core/adapter.js';
import { AdctlError, ExitCode, usageError } from '../../core/errors.js';
import { textLength } from '../../core/text.js';
import type { Channel, ChannelRules, Post, PostCreateInput, PostQuery } from '../../core/model.js';
import { classifyXError, XResponseInvalid } from './errors.js';
import { uploadXMedia } from './media.js';
import type { XCall, XRawClient } from './call.js';

export type { XCall, XRawClient } from './call.js';
import { XCreatedPost, XDeleted, XScheduledEnvelope, XScheduledList, XTimeline, XTweetLookup, XUserMe, type XScheduledTweet, type XTweet } from './wire.js';

/** X's weighted length (URLs 23, CJK and emoji 2), see core/text.ts. */
export const xLength = (text: string) => textLength(text, 'x-weighted');

export const X_RULES: ChannelRules = {
  channel: 'x',
  maxTextLength: 280,
  maxMedia: 4,
  mediaTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'video/mp4', 'video/quicktime'],
  // Ads API scheduled_tweets: minute granularity, at most one year ahead (REFERENCE §B.6).
  schedulingWindow: { minSeconds: 60, maxSeconds: 365 * 86_400 },
  mediaMustBeUrl: false,
  singleVideo: true,
  textCounting: 'x-weighted',
};

const SCHEDULED = 'scheduled-';
const iso = (t: string | null | undefined) => (t ? new Date(Date.parse(t)).toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

export function createXPosts(ctx: AdapterContext, clients: { v2: XRawClient; ads: XRawClient }): Required<Pick<PlatformAdapter, 'channelRules' | 'createPost' | 'listPosts' | 'getPost' | 'deletePost'>> {
  const { v2, ads } = clients;
  // The adapter gives X API v2 the OAuth 2.0 token when there is one; the Ads API always gets what the credentials' kind is.
  const creds = ctx.credentials as XCredentials | XOAuth2Credentials;
  const v2Auth = creds.kind === 'x-oauth2' || creds.oauth2 ? 'oauth2' as const : 'oauth1' as const;
  const adsAuth = creds.kind === 'x-oauth1' ? 'oauth1' as const : 'oauth2-ads' as const;
  const opts = { fullResponse: true, timeout: ctx.timeoutMs };

  const call: XCall = (spec, client, path, params, schema, extra = {}) =>
    ctx.http.run({ label: spec.label, write: spec.write, idempotent: spec.idempotent }, async () => {
      const res = spec.method === 'GET' ? await client.get(path, params, { ...opts, ...extra })
        : spec.method === 'POST' ? await client.post(path, params, { ...opts, ...extra })
          : await client.delete(path, params, { ...opts, ...extra });
      const parsed = schema.safeParse(res.data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new XResponseInvalid(`${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`);
      }
      return parsed.data;
    }, (e) => {
      const f = classifyXError(e, ctx.redact, client === v2 ? v2Auth : adsAuth);
      if (f.kind === 'not_found' && spec.object) return { ...f, message: `X: ${spec.object} was not found`, hint: 'check the ref with `adctl post list --channel x`' };
      return f;
    });

  let userId: string | undefined = ctx.channelIds?.xUserId;
  async function me(): Promise<string> {
    userId ??= (await call({ label: 'GET users/me', method: 'GET', write: false, idempotent: true }, v2, 'users/me', {}, XUserMe)).data.id;
    return userId;
  }

  const requireChannel = (channel: Channel) => {
    if (channel !== 'x') throw usageError('WRONG_CHANNEL', `the X plugin does not publish to ${channel}`, 'use a ref like x:1999000000000000001');
  };

  function toPost(t: XTweet): Post {
    return {
      ref: `x:${t.id}`, channel: 'x', id: t.id, text: t.text, media: t.attachments?.media_keys ?? [], status: 'published',
      scheduledAt: null, publishedAt: iso(t.created_at), url: `https://x.com/i/web/status/${t.id}`,
    };
  }

  function scheduledToPost(s: z.infer<typeof XScheduledTweet>): Post {
    const done = s.scheduled_status === 'SUCCESS' && s.tweet_id;
    return {
      ref: done ? `x:${s.tweet_id}` : `x:${SCHEDULED}${s.id}`, channel: 'x', id: done ? s.tweet_id! : `${SCHEDULED}${s.id}`, text: s.text ?? '',
      media: s.media_keys ?? [], status: done ? 'published' : s.scheduled_status === 'SCHEDULED' ? 'scheduled' : 'failed',
      scheduledAt: iso(s.scheduled_at), publishedAt: done ? iso(s.completed_at) : null, url: done ? `https://x.com/i/web/status/${s.tweet_id}` : null,
    };
  }

  const requireAccount = (what: string): string => {
    if (!ctx.accountId) {
      throw usageError('ADS_ACCOUNT_REQUIRED', `${what} on X needs an X Ads account (scheduled_tweets is an Ads API endpoint)`,
        'set ADCTL_X_ADS_ACCOUNT_ID, or drop --native and schedule it in posts.yaml for `adctl post publish-due`');
    }
    return ctx.accountId;
  };

  async function scheduleNative(input: PostCreateInput): Promise<Post> {
    const account = requireAccount('Native scheduling');
    if (input.media.length) throw usageError('NATIVE_SCHEDULE_MEDIA', 'X native scheduling in adctl takes text only', 'schedule posts with media in posts.yaml and run `adctl post publish-due`');
    if (input.replyToId) throw usageError('NATIVE_SCHEDULE_REPLY', 'X scheduled_tweets cannot be replies', 'publish the reply when it is due with `adctl post publish-due`');
    const res = await call({ label: 'POST scheduled_tweets', method: 'POST', write: true, idempotent: false }, ads, `accounts/${account}/scheduled_tweets`, {
      as_user_id: await me(), text: input.text, scheduled_at: input.scheduledAt,
      // nullcast defaults to true (promoted-only); an organic post must say false.
      nullcast: false,
    }, XScheduledEnvelope);
    return scheduledToPost(res.data);
  }

  return {
    channelRules: () => [X_RULES],

    async createPost(input: PostCreateInput): Promise<Post> {
      requireChannel(input.channel);
      if (xLength(input.text) > X_RULES.maxTextLength) {
        throw usageError('TEXT_TOO_LONG', `the X text counts ${xLength(input.text)} characters; X allows ${X_RULES.maxTextLength} (links count 23, CJK and emoji 2)`, 'shorten it or pass a shorter --text-x');
      }
      if (input.scheduledAt) return scheduleNative(input);
      if (!input.text && input.media.length === 0) throw usageError('EMPTY_POST', 'an X post needs text or media', 'pass --text or --media');
      const mediaIds: string[] = [];
      // A dry run shows the post itself: uploads are writes too, so they are named, not sent.
      if (ctx.dryRun) mediaIds.push(...input.media.map((m) => `<upload of ${m.kind === 'file' ? m.path : m.url}>`));
      else for (const m of input.media) mediaIds.push(await uploadXMedia(ctx, v2, call, m));
      const body: Record<string, unknown> = { text: input.text };
      if (mediaIds.length) body.media = { media_ids: mediaIds };
      if (input.replyToId) body.reply = { in_reply_to_tweet_id: input.replyToId };
      // Not idempotent: X has no idempotency key, so an unknown outcome is exit 8 (see file comment).
      const res = await call({ label: 'POST tweets', method: 'POST', write: true, idempotent: false }, v2, 'tweets', body, XCreatedPost);
      return {
        ref: `x:${res.data.id}`, channel: 'x', id: res.data.id, text: res.data.text, media: mediaIds, status: 'published',
        scheduledAt: null, publishedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), url: `https://x.com/i/web/status/${res.data.id}`,
      };
    },

    async listPosts(query: PostQuery): Promise<Post[]> {
      requireChannel(query.channel);
      const limit = query.limit ?? 20;
      const out: Post[] = [];
      if (query.includeScheduled && ctx.accountId) {
        const res = await call({ label: 'GET scheduled_tweets', method: 'GET', write: false, idempotent: true }, ads, `accounts/${ctx.accountId}/scheduled_tweets`, { count: 100 }, XScheduledList);
        out.push(...res.data.filter((s) => s.scheduled_status === 'SCHEDULED').map(scheduledToPost));
      }
      const id = await me();
      let token: string | undefined;
      const seen = new Set<string>();
      const published: Post[] = [];
      while (published.length < limit) {
        const params: Record<string, unknown> = { max_results: Math.min(100, Math.max(5, limit - published.length)), 'tweet.fields': 'created_at,attachments' };
        if (query.since) params.start_time = query.since;
        if (token) params.pagination_token = token;
        const page = await call({ label: 'GET user timeline', method: 'GET', write: false, idempotent: true }, v2, `users/${id}/tweets`, params, XTimeline);
        published.push(...(page.data ?? []).map(toPost));
        token = page.meta?.next_token;
        if (!token) break;
        if (seen.has(token)) throw new AdctlError('BAD_RESPONSE', 'X pagination repeated the same token', ExitCode.FAILURE, { platform: 'x' });
        seen.add(token);
      }
      return [...out, ...published.slice(0, limit)];
    },

    async getPost(channel: Channel, id: string): Promise<Post> {
      requireChannel(channel);
      if (id.startsWith(SCHEDULED)) {
        const account = requireAccount('Reading a scheduled post');
        const res = await call({ label: 'GET scheduled_tweet', method: 'GET', write: false, idempotent: true, object: `scheduled post ${id}` }, ads, `accounts/${account}/scheduled_tweets/${id.slice(SCHEDULED.length)}`, {}, XScheduledEnvelope);
        return scheduledToPost(res.data);
      }
      const res = await call({ label: 'GET tweet', method: 'GET', write: false, idempotent: true, object: `post ${id}` }, v2, `tweets/${id}`, { 'tweet.fields': 'created_at,attachments' }, XTweetLookup);
      // X answers a missing post with 200 and a problem in errors[] (REFERENCE §A.5).
      if (!res.data) throw new AdctlError('NOT_FOUND', `X: post ${id} was not found (deleted, or not visible to this account)`, ExitCode.FAILURE, { platform: 'x', hint: 'check the ref with `adctl post list --channel x`' });
      return toPost(res.data);
    },

    async deletePost(channel: Channel, id: string): Promise<void> {
      requireChannel(channel);
      try {
        if (id.startsWith(SCHEDULED)) {
          const account = requireAccount('Deleting a scheduled post');
          await call({ label: 'DELETE scheduled_tweet', method: 'DELETE', write: true, idempotent: true, object: `scheduled post ${id}` }, ads, `accounts/${account}/scheduled_tweets/${id.slice(SCHEDULED.length)}`, {}, XScheduledEnvelope);
        } else {
          await call({ label: 'DELETE tweet', method: 'DELETE', write: true, idempotent: true, object: `post ${id}` }, v2, `tweets/${id}`, {}, XDeleted);
        }
      } catch (e) {
        // Idempotent: a post that is already gone is deleted.
        if (e instanceof AdctlError && e.code === 'NOT_FOUND') return;
        throw e;
      }
    },
  };
}
