/**
 * Facebook Page and Instagram posts (issue 5), per wire/REFERENCE.md §C.8–C.9.
 *
 * Facebook: `POST /{page-id}/feed` (text), `/{page-id}/photos` (one image: `url`, or a multipart
 * `source` for a local file), several images as unpublished photos attached to a feed post
 * (`attached_media`). Native scheduling: `published=false` + `scheduled_publish_time` in unix
 * seconds, 10 minutes to 30 days ahead (the CLI checks the window before sending, DESIGN §10).
 * Page calls use the Page access token from `GET /{page-id}?fields=access_token`, as Graph wants.
 *
 * Instagram: check `content_publishing_limit`, create a container per media item
 * (`POST /{ig-user-id}/media`), poll `GET /{container}?fields=status_code,status` until FINISHED
 * (ERROR ends with the subcode's meaning, see errors.ts), then `POST /{ig-user-id}/media_publish`.
 * Instagram fetches media itself, so only https URLs are accepted. No native scheduling.
 *
 * Contracts: `POST /feed`, `POST /photos` for a post, and `media_publish` are not idempotent: an
 * unknown outcome is exit 8. Unpublished photos and containers are safe to repeat (unattached ones
 * are never shown and containers expire after 24 hours).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { AdapterContext, PlatformAdapter } from '../../core/adapter.js';
import { AdctlError, ExitCode, usageError } from '../../core/errors.js';
import type { CallSpec, ClassifiedFailure } from '../../core/http-policy.js';
import type { Channel, ChannelRules, MediaInput, Post, PostCreateInput, PostQuery } from '../../core/model.js';
import { IG_ERRORS, igSubcodeOf } from './errors.js';
import {
  FbPhotoCreated, FbPost, FbPostList, IgContainerStatus, IgMedia, IgMediaList, IgPublishingLimit, MetaCreated, MetaSuccess, PageToken,
} from './wire.js';

export type GraphCall = <T extends z.ZodType>(
  spec: Omit<CallSpec, 'bucket'>, method: string, path: string | string[], params: Record<string, unknown>, schema: T,
  options?: { token?: string; body?: FormData; classify?: (f: ClassifiedFailure) => ClassifiedFailure },
) => Promise<z.infer<T>>;

export const FACEBOOK_RULES: ChannelRules = {
  channel: 'facebook',
  maxTextLength: 63_206,
  maxMedia: 10,
  mediaTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp', 'image/tiff'],
  schedulingWindow: { minSeconds: 600, maxSeconds: 30 * 86_400 },
  mediaMustBeUrl: false,
};

export const INSTAGRAM_RULES: ChannelRules = {
  channel: 'instagram',
  maxTextLength: 2200,
  maxMedia: 10,
  // The content publishing API takes JPEG images only; videos as MP4 or MOV.
  mediaTypes: ['image/jpeg', 'video/mp4', 'video/quicktime'],
  schedulingWindow: null,
  mediaMustBeUrl: true,
};

const toIso = (t: string | number | null | undefined): string | null => {
  if (t === null || t === undefined || t === '') return null;
  const ms = typeof t === 'number' ? t * 1000 : Date.parse(String(t).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
};
const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** Container polls: quick first, then slower; about 5 minutes in all (videos take a while). */
const POLL_DELAYS_MS = [300, 600, 1000, 2000, 3000, 5000];
const MAX_POLL_MS = 5 * 60_000;

const FB_FIELDS = 'id,message,created_time,permalink_url,is_published,scheduled_publish_time';
const IG_FIELDS = 'id,caption,media_type,media_url,permalink,timestamp';

export function createMetaPosts(ctx: AdapterContext, call: GraphCall): Required<Pick<PlatformAdapter, 'channelRules' | 'createPost' | 'listPosts' | 'getPost' | 'deletePost'>> {
  const pageId = (): string => {
    const id = ctx.channelIds?.pageId;
    if (!id) throw usageError('PAGE_REQUIRED', 'no Facebook Page is set', 'set ADCTL_META_PAGE_ID, or meta.pageId in the profile (`adctl profile add … --page-id`)');
    return id;
  };
  const igUserId = (): string => {
    const id = ctx.channelIds?.igUserId;
    if (!id) throw usageError('IG_USER_REQUIRED', 'no Instagram account is set', 'set ADCTL_META_IG_USER_ID, or meta.igUserId in the profile');
    return id;
  };

  /** An expired or revoked token on a Page or Instagram call: the Page token derives from the login. */
  const pageAuth = (f: ClassifiedFailure): ClassifiedFailure =>
    f.kind === 'auth'
      ? { ...f, code: 'TOKEN_EXPIRED', hint: 'the Meta login behind the Page and Instagram tokens expired or was revoked: run `adctl auth login` (or set a fresh ADCTL_META_ACCESS_TOKEN)' }
      : f;

  let pageToken: Promise<string> | undefined;
  /** The Page access token, fetched once with the user token; the user token if Graph gives none. */
  function tokenForPage(): Promise<string> {
    pageToken ??= call({ label: 'GET page access_token', write: false, idempotent: true }, 'GET', [pageId()], { fields: 'access_token' }, PageToken, { classify: pageAuth })
      .then((p) => p.access_token ?? (ctx.credentials as { accessToken: string }).accessToken)
      .catch((e: unknown) => {
        pageToken = undefined;
        throw e;
      });
    return pageToken;
  }

  async function fb<T extends z.ZodType>(spec: Omit<CallSpec, 'bucket'>, method: string, path: string | string[], params: Record<string, unknown>, schema: T, body?: FormData): Promise<z.infer<T>> {
    return call(spec, method, path, params, schema, { token: await tokenForPage(), classify: pageAuth, ...(body ? { body } : {}) });
  }
  const ig = <T extends z.ZodType>(spec: Omit<CallSpec, 'bucket'>, method: string, path: string | string[], params: Record<string, unknown>, schema: T) =>
    call(spec, method, path, params, schema, { classify: pageAuth });

  const read = (label: string) => ({ label, write: false, idempotent: true });

  function fbPost(p: z.infer<typeof FbPost>, media: string[] = []): Post {
    const scheduled = p.is_published === false;
    return {
      ref: `facebook:${p.id}`, channel: 'facebook', id: p.id, text: p.message ?? '', media, status: scheduled ? 'scheduled' : 'published',
      scheduledAt: scheduled ? toIso(p.scheduled_publish_time) : null, publishedAt: scheduled ? null : toIso(p.created_time),
      url: p.permalink_url ?? `https://www.facebook.com/${p.id}`,
    };
  }

  function igPost(m: z.infer<typeof IgMedia>): Post {
    return {
      ref: `instagram:${m.id}`, channel: 'instagram', id: m.id, text: m.caption ?? '', media: m.media_url ? [m.media_url] : [], status: 'published',
      scheduledAt: null, publishedAt: toIso(m.timestamp), url: m.permalink ?? null,
    };
  }

  /** A Page photo parameter set: `url` for a URL, or a multipart `source` for a file. */
  async function photoBody(m: MediaInput, fields: Record<string, string>): Promise<{ params: Record<string, unknown>; body?: FormData }> {
    if (m.kind === 'url') return { params: { url: m.url, ...fields } };
    let bytes: Buffer;
    try {
      bytes = await readFile(m.path);
    } catch (e) {
      throw usageError('MEDIA_UNREADABLE', `cannot read ${m.path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path and its permissions');
    }
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('source', new Blob([new Uint8Array(bytes)], { type: m.mimeType }), basename(m.path));
    return { params: fields, body: form };
  }

  async function createFacebook(input: PostCreateInput): Promise<Post> {
    if (input.replyToId) throw usageError('REPLY_UNSUPPORTED', 'replies are supported on X only', 'drop --reply-to for facebook');
    const page = pageId();
    const schedule: Record<string, string> = input.scheduledAt ? { published: 'false', scheduled_publish_time: String(unix(input.scheduledAt)) } : {};
    const names = input.media.map((m) => (m.kind === 'url' ? m.url : basename(m.path)));
    const done = (id: string): Post => ({
      ref: `facebook:${id}`, channel: 'facebook', id, text: input.text, media: names, status: input.scheduledAt ? 'scheduled' : 'published',
      scheduledAt: input.scheduledAt ? toIso(input.scheduledAt) : null, publishedAt: input.scheduledAt ? null : nowIso(), url: `https://www.facebook.com/${id}`,
    });
    const create = { label: 'POST page post', write: true, idempotent: false };
    if (input.media.length === 0) {
      const res = await fb(create, 'POST', [page, 'feed'], { message: input.text, ...schedule }, MetaCreated);
      return done(res.id);
    }
    if (input.media.length === 1) {
      const { params, body } = await photoBody(input.media[0]!, { ...(input.text ? { message: input.text } : {}), ...schedule });
      const res = await fb({ ...create, label: 'POST page photo' }, 'POST', [page, 'photos'], params, FbPhotoCreated, body);
      return done(res.post_id ?? res.id);
    }
    const ids: string[] = [];
    for (const m of input.media) {
      // Unpublished and unattached until the feed post below: safe to repeat.
      const { params, body } = await photoBody(m, { published: 'false' });
      ids.push((await fb({ label: 'POST page photo (unpublished)', write: true, idempotent: true }, 'POST', [page, 'photos'], params, FbPhotoCreated, body)).id);
    }
    const res = await fb(create, 'POST', [page, 'feed'], { message: input.text, attached_media: ids.map((id) => ({ media_fbid: id })), ...schedule }, MetaCreated);
    return done(res.id);
  }

  /** Poll a container until FINISHED; ERROR and EXPIRED end with a readable error. */
  async function waitFinished(container: string, what: string): Promise<void> {
    const started = Date.now();
    for (let i = 0; ; i++) {
      const st = await ig(read('GET container status'), 'GET', [container], { fields: 'status_code,status' }, IgContainerStatus);
      if (st.status_code === 'FINISHED' || st.status_code === 'PUBLISHED') return;
      if (st.status_code === 'ERROR' || st.status_code === 'EXPIRED') {
        const sub = igSubcodeOf(st.status);
        const known = sub !== undefined ? IG_ERRORS[sub] : undefined;
        const meaning = st.status_code === 'EXPIRED' ? 'the container expired before it was published' : known?.meaning ?? (st.status ?? 'no reason given');
        throw new AdctlError('IG_MEDIA_ERROR', `Instagram could not use ${what}: ${meaning}${sub ? ` (error ${sub})` : ''}`, ExitCode.FAILURE, {
          platform: 'meta', hint: known?.hint ?? 'check the media (JPEG image, or MP4/MOV video) and run the command again; nothing was published',
          details: { container, statusCode: st.status_code, ...(sub ? { subcode: sub } : {}) },
        });
      }
      if (Date.now() - started > MAX_POLL_MS) {
        throw new AdctlError('IG_MEDIA_TIMEOUT', `Instagram is still processing ${what}`, ExitCode.TEMPORARY, { platform: 'meta', hint: 'nothing was published; run the command again later' });
      }
      await new Promise((r) => setTimeout(r, POLL_DELAYS_MS[Math.min(i, POLL_DELAYS_MS.length - 1)]));
    }
  }

  async function createInstagram(input: PostCreateInput): Promise<Post> {
    if (input.replyToId) throw usageError('REPLY_UNSUPPORTED', 'replies are supported on X only', 'drop --reply-to for instagram');
    if (input.scheduledAt) throw usageError('NO_NATIVE_SCHEDULING', 'Instagram has no native scheduling', 'schedule it in posts.yaml and run `adctl post publish-due`');
    if (input.media.length === 0) throw usageError('MEDIA_REQUIRED', 'an Instagram post needs an image or a video', 'pass --media https://…/image.jpg');
    const urls = input.media.map((m) => {
      if (m.kind !== 'url') throw usageError('MEDIA_MUST_BE_URL', `Instagram cannot take the local file ${m.path}`, 'use an https URL: Instagram downloads the media itself');
      return m;
    });
    const user = igUserId();
    // Quota first: the publishing limit is enforced at media_publish, after the containers (REFERENCE §C.9).
    const limit = await ig(read('GET content_publishing_limit'), 'GET', [user, 'content_publishing_limit'], { fields: 'quota_usage,config' }, IgPublishingLimit);
    const row = limit.data[0];
    const total = row?.config?.quota_total;
    if (row && total !== undefined && row.quota_usage >= total) {
      throw new AdctlError('IG_PUBLISHING_LIMIT', `the Instagram account used ${row.quota_usage} of its ${total} posts for the last 24 hours`, ExitCode.FAILURE, {
        platform: 'meta', hint: 'try again later: the limit counts a moving 24 hours; nothing was sent',
      });
    }
    const isVideo = (m: { url: string; mimeType?: string | undefined }) => (m.mimeType ?? '').startsWith('video/') || /\.(mp4|mov)(\?|$)/i.test(m.url);
    const containerStep = { label: 'POST media container', write: true, idempotent: true };
    let container: string;
    if (urls.length === 1) {
      const m = urls[0]!;
      const params = isVideo(m) ? { video_url: m.url, media_type: 'REELS', caption: input.text } : { image_url: m.url, caption: input.text };
      container = (await ig(containerStep, 'POST', [user, 'media'], params, MetaCreated)).id;
      await waitFinished(container, m.url);
    } else {
      const children: string[] = [];
      for (const m of urls) {
        const params = isVideo(m) ? { video_url: m.url, media_type: 'VIDEO', is_carousel_item: true } : { image_url: m.url, is_carousel_item: true };
        const id = (await ig(containerStep, 'POST', [user, 'media'], params, MetaCreated)).id;
        await waitFinished(id, m.url);
        children.push(id);
      }
      container = (await ig(containerStep, 'POST', [user, 'media'], { media_type: 'CAROUSEL', children: children.join(','), caption: input.text }, MetaCreated)).id;
      await waitFinished(container, 'the carousel');
    }
    // Not idempotent: an unknown outcome here is exit 8; reconcile with `post list --channel instagram`.
    const published = await ig({ label: 'POST media_publish', write: true, idempotent: false }, 'POST', [user, 'media_publish'], { creation_id: container }, MetaCreated);
    // The permalink is a nicety: the post exists whatever this read does.
    const details = await ig(read('GET media'), 'GET', [published.id], { fields: IG_FIELDS }, IgMedia).catch(() => undefined);
    return details ? { ...igPost(details), media: urls.map((u) => u.url) } : {
      ref: `instagram:${published.id}`, channel: 'instagram', id: published.id, text: input.text, media: urls.map((u) => u.url), status: 'published',
      scheduledAt: null, publishedAt: nowIso(), url: null,
    };
  }

  async function pages<T extends z.ZodType<{ data: unknown[]; paging?: { next?: string | undefined } | undefined }>>(
    first: () => Promise<z.infer<T>>, next: (url: string) => Promise<z.infer<T>>, limit: number, stop: (item: z.infer<T>['data'][number]) => boolean,
  ): Promise<Array<z.infer<T>['data'][number]>> {
    const out: Array<z.infer<T>['data'][number]> = [];
    const seen = new Set<string>();
    let page = await first();
    for (;;) {
      for (const item of page.data) {
        if (out.length >= limit || stop(item)) return out;
        out.push(item);
      }
      const url = page.paging?.next;
      if (!url || seen.has(url)) return out;
      seen.add(url);
      page = await next(url);
    }
  }

  const requireMetaChannel = (channel: Channel) => {
    if (channel === 'x') throw usageError('WRONG_CHANNEL', 'the Meta plugin does not publish to x', 'use a facebook: or instagram: ref');
  };

  return {
    channelRules: () => [FACEBOOK_RULES, INSTAGRAM_RULES],

    createPost(input: PostCreateInput): Promise<Post> {
      requireMetaChannel(input.channel);
      return input.channel === 'facebook' ? createFacebook(input) : createInstagram(input);
    },

    async listPosts(query: PostQuery): Promise<Post[]> {
      requireMetaChannel(query.channel);
      const limit = query.limit ?? 20;
      const since = query.since ? Date.parse(query.since) : undefined;
      const old = (t: string | undefined) => since !== undefined && t !== undefined && (Date.parse(toIso(t) ?? '') || Infinity) < since;
      if (query.channel === 'instagram') {
        const user = igUserId();
        const items = await pages<typeof IgMediaList>(
          () => ig(read('GET ig media'), 'GET', [user, 'media'], { fields: IG_FIELDS, limit: Math.min(limit, 100) }, IgMediaList),
          (url) => ig(read('GET ig media (next page)'), 'GET', url, {}, IgMediaList), limit, (m) => old(m.timestamp),
        );
        return items.map(igPost);
      }
      const page = pageId();
      const out: Post[] = [];
      if (query.includeScheduled) {
        const scheduled = await pages<typeof FbPostList>(
          () => fb(read('GET scheduled_posts'), 'GET', [page, 'scheduled_posts'], { fields: FB_FIELDS, limit: 100 }, FbPostList),
          (url) => fb(read('GET scheduled_posts (next page)'), 'GET', url, {}, FbPostList), 1000, () => false,
        );
        out.push(...scheduled.map((p) => fbPost({ ...p, is_published: false })));
      }
      const feed = await pages<typeof FbPostList>(
        () => fb(read('GET page feed'), 'GET', [page, 'feed'], { fields: FB_FIELDS, limit: Math.min(limit, 100) }, FbPostList),
        (url) => fb(read('GET page feed (next page)'), 'GET', url, {}, FbPostList), limit, (p) => old(p.created_time),
      );
      return [...out, ...feed.map((p) => fbPost(p))];
    },

    async getPost(channel: Channel, id: string): Promise<Post> {
      requireMetaChannel(channel);
      const notFound = (f: ClassifiedFailure): ClassifiedFailure =>
        pageAuth(f.kind === 'not_found' ? { ...f, message: `Meta: ${channel} post ${id} was not found`, hint: `check the ref with \`adctl post list --channel ${channel}\`` } : f);
      if (channel === 'instagram') return igPost(await call(read('GET ig media'), 'GET', [id], { fields: IG_FIELDS }, IgMedia, { classify: notFound }));
      return fbPost(await call(read('GET page post'), 'GET', [id], { fields: FB_FIELDS }, FbPost, { token: await tokenForPage(), classify: notFound }));
    },

    async deletePost(channel: Channel, id: string): Promise<void> {
      requireMetaChannel(channel);
      if (channel === 'instagram') {
        throw new AdctlError('DELETE_UNSUPPORTED', 'Instagram does not let apps delete published posts', ExitCode.CONFIG, { platform: 'meta', hint: 'delete it in the Instagram app' });
      }
      try {
        await fb({ label: 'DELETE page post', write: true, idempotent: true }, 'DELETE', [id], {}, MetaSuccess);
      } catch (e) {
        // Idempotent: a post that is already gone is deleted.
        if (e instanceof AdctlError && e.code === 'NOT_FOUND') return;
        throw e;
      }
    },
  };
}
