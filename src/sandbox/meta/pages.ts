/**
 * Facebook Pages in the sandbox (issue 5), per wire/REFERENCE.md §C.8, plus the module that routes
 * Page and Instagram paths (instagram.ts) ahead of the Marketing API module.
 *
 * - `GET /{page-id}?fields=access_token` with a user token gives the Page access token. Page writes
 *   (`/feed`, `/photos`, post deletes) and `scheduled_posts` need the Page token: a user token gets
 *   Graph's `(#210) A page access token is required`.
 * - `POST /{page-id}/feed` (`message`, `link`, `attached_media`, `published`,
 *   `scheduled_publish_time`), `POST /{page-id}/photos` (`url` or a multipart `source`),
 *   `GET /{page-id}/feed`, `GET /{page-id}/scheduled_posts`, `GET|DELETE /{post-id}`.
 * - Native scheduling: `published=false` + `scheduled_publish_time` (unix seconds, or ISO 8601)
 *   must be at least 10 minutes and at most `schedulingMaxDays` (default 30) ahead; otherwise
 *   Graph's "(#100) The specified scheduled publish time is invalid." A scheduled post turns
 *   published when its time has come (applied lazily on every read).
 * - Duplicate detection: the same message as the Page's latest published post is refused with
 *   code 506, "Duplicate status message".
 *
 * Ids: Page `2001`, posts `2001_<n>`, photos `103<n>`. State: `state.meta.pages`, `pagePosts`,
 * `photos`, created on first use. The chaos test counts `state.meta.pagePosts`.
 */
import { createHash, createHmac } from 'node:crypto';
import { SANDBOX_META } from '../credentials.js';
import type { SandboxState, StateStore } from '../state.js';
import type { FaultAction, PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { metaModule } from './index.js';
import { fieldsOf, graphError, missingObject, pageList } from './graph.js';
import { handleInstagram, IG_OWNS } from './instagram.js';

export interface SandboxPage {
  id: string;
  name: string;
  accessToken: string;
  /** Native scheduling upper bound in days (REFERENCE §C.8 leaves 30 vs 75 open; 30 is safe). */
  schedulingMaxDays: number;
}

export interface PagePost {
  id: string;
  page_id: string;
  message: string;
  link: string | null;
  photo_ids: string[];
  created_time: string;
  is_published: boolean;
  /** Unix seconds, for scheduled posts. */
  scheduled_publish_time: number | null;
  deleted: boolean;
}

export interface PagePhoto {
  id: string;
  page_id: string;
  url: string | null;
  bytes: number;
  published: boolean;
  post_id: string | null;
}

export interface PagesState {
  pages: SandboxPage[];
  pagePosts: PagePost[];
  photos: PagePhoto[];
}

/** The Page token the sandbox hands out for a Page: derived from the Page id, stable across resets. */
export const pageToken = (pageId: string) => `EAAPAGE${createHash('sha256').update(`sandbox-page-${pageId}`).digest('hex').slice(0, 24)}`;

export function pagesOf(s: SandboxState): PagesState {
  const m = s.meta as Partial<PagesState>;
  m.pages ??= [{ id: SANDBOX_META.pageId, name: 'Sandbox Ramen', accessToken: pageToken(SANDBOX_META.pageId), schedulingMaxDays: 30 }];
  m.pagePosts ??= [];
  m.photos ??= [];
  return m as PagesState;
}

export const fbTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+0000');

export function tokenOf(req: SandboxRequest): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  return req.params.access_token ?? bearer;
}


function nextSeq(s: SandboxState): number {
  s.seq += 1;
  return s.seq;
}

/** Scheduled posts whose time has come are published (Meta publishes them itself). */
function settle(st: PagesState, now: Date): void {
  const sec = Math.floor(now.getTime() / 1000);
  for (const p of st.pagePosts) {
    if (!p.is_published && p.scheduled_publish_time !== null && p.scheduled_publish_time <= sec) p.is_published = true;
  }
}

function postView(p: PagePost, fields: string[]): Record<string, unknown> {
  const [, num] = p.id.split('_');
  const full: Record<string, unknown> = {
    id: p.id,
    message: p.message || undefined,
    created_time: p.created_time,
    permalink_url: `https://www.facebook.com/${p.page_id}/posts/${num}`,
    is_published: p.is_published,
    scheduled_publish_time: p.scheduled_publish_time ?? undefined,
    status_type: p.photo_ids.length ? 'added_photos' : 'mobile_status_update',
    attachments: p.photo_ids.length ? { data: p.photo_ids.map((id) => ({ type: 'photo', target: { id } })) } : undefined,
  };
  const out: Record<string, unknown> = { id: p.id };
  for (const f of fields) if (full[f] !== undefined) out[f] = full[f];
  return out;
}

function truthy(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  return v === 'true' || v === '1';
}

/** Parse `scheduled_publish_time`: unix seconds or an ISO 8601 time. */
function scheduleOf(v: string | undefined): number | null | 'invalid' {
  if (v === undefined || v === '') return null;
  if (/^\d+$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? 'invalid' : Math.floor(ms / 1000);
}

const invalidSchedule = () =>
  graphError(100, '(#100) The specified scheduled publish time is invalid.', {
    error_user_title: 'Invalid Scheduled Publish Time',
    error_user_msg: 'The scheduled publish time must be between 10 minutes and 30 days from the time of the request.',
  });

/** Check published/scheduled parameters; returns the schedule (or null) or an error response. */
function scheduling(p: Record<string, string>, page: SandboxPage, now: Date): { published: boolean; at: number | null } | SandboxResponse {
  const published = truthy(p.published) ?? true;
  const at = scheduleOf(p.scheduled_publish_time);
  if (at === 'invalid') return invalidSchedule();
  if (at !== null && published) {
    return graphError(100, '(#100) Cannot specify a scheduled publish time on a published post', { error_user_msg: 'Set published to false to schedule a post.' });
  }
  if (at !== null) {
    const sec = Math.floor(now.getTime() / 1000);
    if (at < sec + 600 || at > sec + page.schedulingMaxDays * 86_400) return invalidSchedule();
  }
  return { published, at };
}

const isResponse = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'status' in x && 'body' in x;

function requirePageToken(req: SandboxRequest, page: SandboxPage): SandboxResponse | undefined {
  if (tokenOf(req) === page.accessToken) return undefined;
  return graphError(210, '(#210) A page access token is required to request this resource.');
}

function createFeedPost(req: SandboxRequest, store: StateStore, page: SandboxPage, now: Date): SandboxResponse {
  const p = req.params;
  let attached: string[] = [];
  if (p.attached_media) {
    try {
      const list = JSON.parse(p.attached_media) as Array<{ media_fbid?: string }>;
      attached = list.map((a) => String(a.media_fbid ?? ''));
    } catch {
      return graphError(100, '(#100) Param attached_media must be an array of {media_fbid}');
    }
  }
  const message = p.message ?? '';
  if (!message && !p.link && attached.length === 0) return graphError(100, '(#100) Missing message or attachment');
  if (message.length > 63_206) return graphError(100, '(#100) The message is too long');
  const sched = scheduling(p, page, now);
  if (isResponse(sched)) return sched;
  return store.mutate((s) => {
    const st = pagesOf(s);
    settle(st, now);
    for (const id of attached) {
      const photo = st.photos.find((x) => x.id === id && x.page_id === page.id);
      if (!photo || photo.post_id) return graphError(100, `(#100) attached_media: photo ${id} cannot be attached`);
    }
    const latest = st.pagePosts.filter((x) => x.page_id === page.id && x.is_published && !x.deleted).at(-1);
    if (message && sched.published && latest?.message === message) return graphError(506, '(#506) Duplicate status message');
    const id = `${page.id}_${String(nextSeq(s)).padStart(12, '0')}`;
    st.pagePosts.push({
      id, page_id: page.id, message, link: p.link ?? null, photo_ids: attached, created_time: fbTime(now),
      is_published: sched.published, scheduled_publish_time: sched.at, deleted: false,
    });
    for (const pid of attached) st.photos.find((x) => x.id === pid)!.post_id = id;
    return { status: 200, body: { id } };
  });
}

function createPhoto(req: SandboxRequest, store: StateStore, page: SandboxPage, now: Date): SandboxResponse {
  const p = req.params;
  const file = req.files.source;
  if (!p.url && !file) return graphError(324, '(#324) Requires upload file', { error_subcode: 2069019 });
  if (p.url && !/^https?:\/\//.test(p.url)) return graphError(100, '(#100) url should represent a valid URL');
  const sched = scheduling(p, page, now);
  if (isResponse(sched)) return sched;
  // `published=false` without a schedule is an unpublished photo for `attached_media`.
  const standalone = sched.published || sched.at !== null;
  return store.mutate((s) => {
    const st = pagesOf(s);
    const photoId = `103${String(nextSeq(s)).padStart(12, '0')}`;
    const photo: PagePhoto = { id: photoId, page_id: page.id, url: p.url ?? null, bytes: file?.data.length ?? 0, published: sched.published, post_id: null };
    st.photos.push(photo);
    if (!standalone) return { status: 200, body: { id: photoId } };
    const postId = `${page.id}_${String(nextSeq(s)).padStart(12, '0')}`;
    photo.post_id = postId;
    st.pagePosts.push({
      id: postId, page_id: page.id, message: p.message ?? p.caption ?? '', link: null, photo_ids: [photoId], created_time: fbTime(now),
      is_published: sched.published, scheduled_publish_time: sched.at, deleted: false,
    });
    return { status: 200, body: { id: photoId, post_id: postId } };
  });
}

const POST_FIELDS = ['id', 'message', 'created_time'];

function route(req: SandboxRequest, store: StateStore, now: Date, fault: FaultAction | undefined): SandboxResponse | undefined {
  const segs = req.path.split('/').filter(Boolean);
  segs.shift(); // version
  const [node, edge] = segs as [string, string | undefined];
  if (IG_OWNS(node, edge)) return handleInstagram(req, store, now, fault, node, edge);
  const st = pagesOf(store.read());
  const page = st.pages.find((p) => p.id === node);
  if (page) {
    if (!edge && req.method === 'GET') {
      const fields = fieldsOf(req, ['id', 'name']);
      const out: Record<string, unknown> = { id: page.id };
      if (fields.includes('name')) out.name = page.name;
      // Graph hands the Page token only to a user token with a role on the Page.
      if (fields.includes('access_token') && tokenOf(req) !== page.accessToken) out.access_token = page.accessToken;
      return { status: 200, body: out };
    }
    if (edge === 'feed' && req.method === 'POST') return requirePageToken(req, page) ?? createFeedPost(req, store, page, now);
    if (edge === 'photos' && req.method === 'POST') return requirePageToken(req, page) ?? createPhoto(req, store, page, now);
    if ((edge === 'feed' || edge === 'published_posts' || edge === 'scheduled_posts') && req.method === 'GET') {
      if (edge === 'scheduled_posts') {
        const denied = requirePageToken(req, page);
        if (denied) return denied;
      }
      const settled = store.mutate((s) => {
        const x = pagesOf(s);
        settle(x, now);
        return x.pagePosts;
      });
      const wantScheduled = edge === 'scheduled_posts';
      const list = settled.filter((p) => p.page_id === page.id && !p.deleted && (wantScheduled ? !p.is_published : p.is_published)).reverse();
      const fields = fieldsOf(req, POST_FIELDS);
      return pageList(req, list, (p) => postView(p, fields));
    }
    return undefined;
  }
  if (/^\d+_\d+$/.test(node) && !edge) {
    const post = st.pagePosts.find((p) => p.id === node && !p.deleted);
    if (!post) return missingObject(node);
    const owner = st.pages.find((p) => p.id === post.page_id)!;
    if (req.method === 'GET') {
      const fresh = store.mutate((s) => {
        const x = pagesOf(s);
        settle(x, now);
        return x.pagePosts.find((p) => p.id === node)!;
      });
      return { status: 200, body: postView(fresh, fieldsOf(req, POST_FIELDS)) };
    }
    if (req.method === 'DELETE') {
      const denied = requirePageToken(req, owner);
      if (denied) return denied;
      return store.mutate((s) => {
        pagesOf(s).pagePosts.find((p) => p.id === node)!.deleted = true;
        return { status: 200, body: { success: true } };
      });
    }
    return undefined;
  }
  if (/^103\d+$/.test(node) && !edge && req.method === 'GET') {
    const photo = st.photos.find((p) => p.id === node);
    return photo ? { status: 200, body: { id: photo.id, ...(photo.post_id ? { page_story_id: photo.post_id } : {}) } } : missingObject(node);
  }
  return undefined;
}

/** Page ids (2001…), Page post ids (`<page>_<n>`), photos (103…), and the Instagram paths. */
function owns(path: string): boolean {
  const m = /^\/v\d+\.\d+\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
  if (!m) return false;
  const [, node, edge] = m as unknown as [string, string, string | undefined];
  if (IG_OWNS(node, edge)) return true;
  if (/^20\d\d$/.test(node)) return edge === undefined || ['feed', 'photos', 'scheduled_posts', 'published_posts'].includes(edge);
  return !edge && (/^\d+_\d+$/.test(node) || /^103\d{12}$/.test(node));
}

/**
 * Registered in server.ts before metaModule. Accepts the sandbox's Page tokens besides user tokens;
 * everything else (errors, headers, faults) is metaModule's.
 */
export const metaPostsModule: PlatformModule = {
  ...metaModule,
  owns,
  authenticate(req, store) {
    const t = tokenOf(req);
    const page = t ? pagesOf(store.read()).pages.find((p) => p.accessToken === t) : undefined;
    if (page) {
      // A Page token is proved with the app's secret like any other token (REFERENCE §C.1).
      const proof = req.params.appsecret_proof;
      if (proof !== undefined && proof !== createHmac('sha256', SANDBOX_META.appSecret).update(page.accessToken).digest('hex')) {
        return { error: graphError(100, 'Invalid appsecret_proof provided in the API argument') };
      }
      return { identity: `page:${page.id}` };
    }
    return metaModule.authenticate(req, store);
  },
  async handle(req, ctx) {
    return route(req, ctx.state, ctx.now(), ctx.fault);
  },
};
