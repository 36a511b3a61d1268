/**
 * X posts in the sandbox (issue 5): X API v2 `POST /2/tweets`, `DELETE /2/tweets/:id`,
 * `GET /2/tweets/:id`, `GET /2/users/me`, `GET /2/users/:id/tweets` (the timeline adctl reconciles
 * against), the v2 media upload (media.ts) and the Ads API `scheduled_tweets` (native scheduling).
 * Wire format per wire/REFERENCE.md §A.2–A.7 and §B.6.
 *
 * Behaviour worth knowing in tests:
 * - Duplicate detection: the same non-empty text as one of the user's live posts is refused with
 *   X's 403 "duplicate content" problem (X refuses identical recent posts; the exact window is not
 *   published, the sandbox uses "any live post").
 * - Lookups of a missing or deleted post answer 200 with a problem in `errors[]` and no `data`, as
 *   X's v2 lookups do.
 * - Post ids are 19-digit numeric strings, newest highest.
 *
 * State lives in `state.x.posts`, `state.x.media` and `state.x.scheduledTweets`, created on first
 * use (older state files have none). The chaos test counts `state.x.posts` per text.
 */
import { textLength } from '../../core/text.js';
import type { SandboxState, StateStore } from '../state.js';
import type { FaultAction, PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { xModule } from './index.js';
import { adsError, problem } from './errors.js';
import { parseOAuthHeader } from './oauth1.js';
import { bearerUser } from './auth-state.js';
import { iso, xOf } from './seed.js';
import { handleMedia, type XMedia } from './media.js';

export interface XPost {
  id: string;
  text: string;
  author_id: string;
  created_at: string;
  in_reply_to_tweet_id: string | null;
  media_ids: string[];
  deleted: boolean;
}

export interface XScheduledTweet {
  id: string;
  account_id: string;
  user_id: string;
  text: string;
  scheduled_at: string;
  scheduled_status: 'SCHEDULED' | 'SUCCESS' | 'DELETED';
  nullcast: boolean;
  tweet_id: string | null;
  created_at: string;
}

export interface XPostsState {
  posts: XPost[];
  media: XMedia[];
  scheduledTweets: XScheduledTweet[];
}

/** The posts part of the X state, created on first use. */
export function xPostsOf(s: SandboxState): XPostsState {
  const x = s.x as Partial<XPostsState>;
  x.posts ??= [];
  x.media ??= [];
  x.scheduledTweets ??= [];
  return x as XPostsState;
}

/** 19-digit snowflake-like ids from the shared counter: numeric, increasing. */
export const snowflake = (seq: number) => `19${String(seq).padStart(17, '0')}`;

/** X's weighted count (core/text.ts: URLs 23, CJK and emoji 2); 280 is the limit. */
export const X_MAX_TEXT = 280;
const TWEET_KEYS = new Set(['text', 'media', 'reply', 'quote_tweet_id', 'poll', 'reply_settings', 'for_super_followers_only', 'geo', 'community_id', 'nullcast', 'card_uri', 'direct_message_deep_link', 'made_with_ai', 'paid_partnership', 'edit_options', 'share_with_followers']);

function userOf(req: SandboxRequest, s: SandboxState): string {
  const bearer = bearerUser(req, s);
  if (bearer) return bearer;
  const oauth = parseOAuthHeader(req.headers.authorization);
  const cred = xOf(s).credentials.find((c) => c.apiKey === oauth?.oauth_consumer_key && c.accessToken === oauth?.oauth_token);
  return cred?.userId ?? '0';
}

const invalidRequest = (detail: string) => problem(400, 'invalid-request', 'Invalid Request', detail);

function view(p: XPost, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: p.id, text: p.text, edit_history_tweet_ids: [p.id] };
  if (fields.includes('created_at')) out.created_at = p.created_at;
  if (fields.includes('author_id')) out.author_id = p.author_id;
  if (fields.includes('attachments') && p.media_ids.length) out.attachments = { media_keys: p.media_ids.map((m) => `3_${m}`) };
  if (fields.includes('referenced_tweets') && p.in_reply_to_tweet_id) out.referenced_tweets = [{ type: 'replied_to', id: p.in_reply_to_tweet_id }];
  if (fields.includes('in_reply_to_user_id') && p.in_reply_to_tweet_id) out.in_reply_to_user_id = p.author_id;
  return out;
}

/** `tweet.fields` as the docs and twitter-api-v2 name it, or `post.fields` as the OpenAPI spec does. */
function fieldsOf(req: SandboxRequest): string[] {
  return (req.params['tweet.fields'] ?? req.params['post.fields'] ?? '').split(',').filter(Boolean);
}

function notFound(id: string): SandboxResponse {
  return {
    status: 200,
    body: {
      errors: [{
        value: id, detail: `Could not find tweet with id: [${id}].`, title: 'Not Found Error', resource_type: 'tweet', parameter: 'id', resource_id: id,
        type: 'https://api.x.com/2/problems/resource-not-found',
      }],
    },
  };
}

function createPost(req: SandboxRequest, store: StateStore, now: Date): SandboxResponse {
  const body = req.json;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return invalidRequest('The request body must be a JSON object.');
  const b = body as { text?: unknown; media?: { media_ids?: unknown }; reply?: { in_reply_to_tweet_id?: unknown } };
  const unknown = Object.keys(b).filter((k) => !TWEET_KEYS.has(k));
  if (unknown.length) return invalidRequest(`The following properties are not allowed: ${unknown.join(', ')}.`);
  const text = b.text === undefined ? '' : b.text;
  if (typeof text !== 'string') return invalidRequest('$.text: expected a string.');
  const mediaIds = b.media?.media_ids;
  if (mediaIds !== undefined && (!Array.isArray(mediaIds) || mediaIds.length < 1 || mediaIds.length > 4 || !mediaIds.every((m) => typeof m === 'string' && /^\d{1,19}$/.test(m)))) {
    return invalidRequest('$.media.media_ids: 1 to 4 numeric id strings are required.');
  }
  if (!text && !mediaIds) return invalidRequest('Post text or media is required.');
  if (textLength(text, 'x-weighted') > X_MAX_TEXT) return problem(400, 'invalid-request', 'Invalid Request', 'Your Tweet text is too long. The limit is 280 characters.');
  const replyTo = b.reply?.in_reply_to_tweet_id;
  if (b.reply !== undefined && typeof replyTo !== 'string') return invalidRequest('$.reply.in_reply_to_tweet_id is required.');
  return store.mutate((s) => {
    const st = xPostsOf(s);
    const user = userOf(req, s);
    for (const m of (mediaIds as string[] | undefined) ?? []) {
      const media = st.media.find((x) => x.id === m && x.owner === user);
      if (!media || media.state !== 'succeeded') return invalidRequest('Your media IDs are invalid.');
    }
    if (replyTo && !st.posts.some((p) => p.id === replyTo && !p.deleted)) {
      return problem(403, 'disallowed-resource', 'Forbidden', 'You attempted to reply to a Tweet that is deleted or not visible to you.');
    }
    if (text && st.posts.some((p) => p.author_id === user && !p.deleted && p.text === text)) {
      return { status: 403, headers: { 'content-type': 'application/problem+json' }, body: { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 } };
    }
    const id = snowflake(StateStore_nextSeq(s));
    st.posts.push({ id, text, author_id: user, created_at: iso(now).replace('Z', '.000Z'), in_reply_to_tweet_id: typeof replyTo === 'string' ? replyTo : null, media_ids: (mediaIds as string[] | undefined) ?? [], deleted: false });
    return { status: 201, body: { data: { id, text, edit_history_tweet_ids: [id] } } };
  });
}

// Local alias: state.ts's static helper, without importing the class as a value twice.
function StateStore_nextSeq(s: SandboxState): number {
  s.seq += 1;
  return s.seq;
}

function timeline(req: SandboxRequest, store: StateStore, userId: string): SandboxResponse {
  const max = Number(req.params.max_results ?? 10);
  if (!Number.isInteger(max) || max < 5 || max > 100) return invalidRequest('The `max_results` query parameter value must be between 5 and 100.');
  const st = xPostsOf(store.read());
  let list = st.posts.filter((p) => p.author_id === userId && !p.deleted).sort((a, b) => (a.id < b.id ? 1 : -1));
  if (req.params.start_time) {
    const since = Date.parse(req.params.start_time);
    if (Number.isNaN(since)) return invalidRequest('The `start_time` query parameter value is not a valid RFC 3339 time.');
    list = list.filter((p) => Date.parse(p.created_at) >= since);
  }
  if (req.params.since_id) list = list.filter((p) => p.id > req.params.since_id!);
  let start = 0;
  if (req.params.pagination_token) {
    start = Number(Buffer.from(req.params.pagination_token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) return invalidRequest('The `pagination_token` query parameter value is invalid.');
  }
  const page = list.slice(start, start + max);
  const fields = fieldsOf(req);
  const meta: Record<string, unknown> = { result_count: page.length };
  if (page.length) {
    meta.newest_id = page[0]!.id;
    meta.oldest_id = page[page.length - 1]!.id;
  }
  if (start + max < list.length) meta.next_token = Buffer.from(String(start + max)).toString('base64url');
  return { status: 200, body: page.length ? { data: page.map((p) => view(p, fields)), meta } : { meta } };
}

/** Ads API `accounts/:id/scheduled_tweets` (REFERENCE §B.6): organic when nullcast=false. */
function scheduledTweets(req: SandboxRequest, store: StateStore, now: Date, accountId: string, id: string | undefined): SandboxResponse | undefined {
  const s0 = store.read();
  if (!xOf(s0).accounts.some((a) => a.id === accountId)) return adsError(404, 'NOT_FOUND', `Account ${accountId} was not found`);
  const p = req.params;
  const params = { account_id: accountId, ...p };
  const shape = (t: XScheduledTweet) => ({
    id: t.id, name: null, text: t.text, user_id: t.user_id, scheduled_at: t.scheduled_at, scheduled_status: t.scheduled_status,
    completed_at: null, tweet_id: t.tweet_id, nullcast: t.nullcast, card_uri: null, media_keys: [], created_at: t.created_at, updated_at: t.created_at,
  });
  if (req.method === 'POST' && !id) {
    if (!p.scheduled_at) return adsError(400, 'MISSING_PARAMETER', '"scheduled_at" is a required parameter', params, 'scheduled_at');
    if (!p.as_user_id) return adsError(400, 'MISSING_PARAMETER', '"as_user_id" is a required parameter', params, 'as_user_id');
    if (!p.text) return adsError(400, 'TWEET_CANNOT_BE_BLANK', 'The text of a scheduled Tweet cannot be blank', params, 'text');
    const at = Date.parse(p.scheduled_at);
    if (Number.isNaN(at)) return adsError(400, 'INVALID_PARAMETER', `Expected time, got "${p.scheduled_at}" for scheduled_at`, params, 'scheduled_at');
    if (at <= now.getTime() || at > now.getTime() + 365 * 86_400_000) {
      return adsError(400, 'INVALID_PARAMETER', 'scheduled_at must be in the future and at most one year ahead', params, 'scheduled_at');
    }
    return store.mutate((s) => {
      const st = xPostsOf(s);
      const t: XScheduledTweet = {
        id: snowflake(StateStore_nextSeq(s)), account_id: accountId, user_id: p.as_user_id!, text: p.text!,
        // Minute granularity: seconds are ignored (REFERENCE §B.6).
        scheduled_at: iso(new Date(Math.floor(at / 60_000) * 60_000)), scheduled_status: 'SCHEDULED',
        nullcast: p.nullcast === undefined ? true : p.nullcast === 'true', tweet_id: null, created_at: iso(now),
      };
      st.scheduledTweets.push(t);
      return { status: 200, body: { request: { params }, data: shape(t) } };
    });
  }
  const list = xPostsOf(s0).scheduledTweets.filter((t) => t.account_id === accountId && t.scheduled_status !== 'DELETED');
  if (req.method === 'GET' && !id) return { status: 200, body: { request: { params }, data: list.map(shape), next_cursor: null } };
  const one = list.find((t) => t.id === id);
  if (!one) return adsError(404, 'NOT_FOUND', `Scheduled Tweet ${id ?? ''} was not found`, params);
  if (req.method === 'GET') return { status: 200, body: { request: { params }, data: shape(one) } };
  if (req.method === 'DELETE') {
    return store.mutate((s) => {
      const t = xPostsOf(s).scheduledTweets.find((k) => k.id === id)!;
      t.scheduled_status = 'DELETED';
      return { status: 200, body: { request: { params }, data: shape(t) } };
    });
  }
  return undefined;
}

async function route(req: SandboxRequest, store: StateStore, now: Date, fault: FaultAction | undefined): Promise<SandboxResponse | undefined> {
  const path = req.path;
  let m: RegExpExecArray | null;
  if (path.startsWith('/2/media/upload')) return handleMedia(req, store, now, fault, (s) => userOf(req, s));
  if (path === '/2/tweets' && req.method === 'POST') return createPost(req, store, now);
  if ((m = /^\/2\/tweets\/(\d{1,19})$/.exec(path))) {
    const id = m[1]!;
    if (req.method === 'GET') {
      const p = xPostsOf(store.read()).posts.find((x) => x.id === id && !x.deleted);
      return p ? { status: 200, body: { data: view(p, fieldsOf(req)) } } : notFound(id);
    }
    if (req.method === 'DELETE') {
      return store.mutate((s) => {
        const p = xPostsOf(s).posts.find((x) => x.id === id);
        if (!p || p.deleted) return problem(404, 'resource-not-found', 'Not Found Error', `Could not find tweet with id: [${id}].`);
        if (p.author_id !== userOf(req, s)) return problem(403, 'client-forbidden', 'Forbidden', 'You are not allowed to delete a Tweet that is not yours.');
        p.deleted = true;
        return { status: 200, body: { data: { deleted: true } } };
      });
    }
    return undefined;
  }
  if (path === '/2/users/me' && req.method === 'GET') {
    const user = userOf(req, store.read());
    return { status: 200, body: { data: { id: user, name: 'Sandbox Coffee', username: 'sandboxcoffee' } } };
  }
  if ((m = /^\/2\/users\/(\d+)\/tweets$/.exec(path)) && req.method === 'GET') return timeline(req, store, m[1]!);
  if ((m = /^\/(?:12|11)\/accounts\/([^/]+)\/scheduled_tweets(?:\/([^/]+))?$/.exec(path))) return scheduledTweets(req, store, now, m[1]!, m[2]);
  return undefined;
}

const OWNS = /^\/2\/(tweets|users|media)(\/|$)|^\/(12|11)\/accounts\/[^/]+\/scheduled_tweets(\/|$)/;

/** Registered in server.ts before xModule: same auth, errors and headers; these routes only. */
export const xPostsModule: PlatformModule = {
  ...xModule,
  owns: (path) => OWNS.test(path),
  async handle(req, ctx) {
    return route(req, ctx.state, ctx.now(), ctx.fault);
  },
};
