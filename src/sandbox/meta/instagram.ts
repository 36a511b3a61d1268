/**
 * Instagram content publishing in the sandbox (issue 5), per wire/REFERENCE.md §C.9:
 * `POST /{ig-user-id}/media` (container) → `GET /{container-id}?fields=status_code,status` →
 * `POST /{ig-user-id}/media_publish?creation_id=…`, plus `GET /{ig-user-id}/media`,
 * `GET /{ig-media-id}` and `GET /{ig-user-id}/content_publishing_limit`.
 *
 * Processing is counted in polls, never in wall time: a container answers `IN_PROGRESS` once and
 * `FINISHED` on the next status read. A `slow_processing` fault on the container POST adds `polls`
 * more IN_PROGRESS answers. A media URL containing `error-2207NNN` ends in `ERROR` with that
 * subcode in `status` (for example `https://cdn.example.com/error-2207026.mp4`). Media must be an
 * https URL (Meta fetches it), else Graph's 2207052 "media could not be fetched".
 *
 * Publishing limit: `state.meta.igQuotaTotal` (default 100) posts in a moving 24 hours, enforced
 * at `media_publish` with code 9 / subcode 2207042.
 *
 * Ids: IG user `17841400000000001`, containers `1790…`, published media `1791…`. State:
 * `state.meta.igContainers`, `igMedia`; the chaos test counts `igMedia`.
 */
import { SANDBOX_META } from '../credentials.js';
import type { SandboxState, StateStore } from '../state.js';
import type { FaultAction, SandboxRequest, SandboxResponse } from '../types.js';
import { fieldsOf, graphError, missingObject, pageList } from './graph.js';

export interface IgContainer {
  id: string;
  ig_user_id: string;
  media_type: 'IMAGE' | 'VIDEO' | 'REELS' | 'CAROUSEL';
  media_url: string | null;
  caption: string;
  children: string[];
  is_carousel_item: boolean;
  status_code: 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'ERROR' | 'EXPIRED';
  /** The error subcode for ERROR containers. */
  error_subcode: number | null;
  pollsLeft: number;
  created_at: string;
  published_media_id: string | null;
}

export interface IgMedia {
  id: string;
  ig_user_id: string;
  caption: string;
  media_type: string;
  media_url: string | null;
  timestamp: string;
  container_id: string;
}

export interface InstagramState {
  igUsers: Array<{ id: string; username: string }>;
  igContainers: IgContainer[];
  igMedia: IgMedia[];
  igQuotaTotal: number;
  /**
   * Status reads a new container answers IN_PROGRESS before FINISHED (default 1: the plugin's
   * wait-and-poll path runs on every post). 0 finishes at once, as a small image often does on
   * Instagram; long test runs set it to spend no time in the plugin's poll delays.
   */
  igProcessingPolls: number;
}

export function igOf(s: SandboxState): InstagramState {
  const m = s.meta as Partial<InstagramState>;
  m.igUsers ??= [{ id: SANDBOX_META.igUserId, username: 'sandbox.ramen' }];
  m.igContainers ??= [];
  m.igMedia ??= [];
  m.igQuotaTotal ??= 100;
  m.igProcessingPolls ??= 1;
  return m as InstagramState;
}

const IG_EDGES = ['media', 'media_publish', 'content_publishing_limit'];

/** Whether a Graph path node (and edge) is an Instagram object this file serves. */
export function IG_OWNS(node: string, edge: string | undefined): boolean {
  if (/^178414\d+$/.test(node)) return edge === undefined || IG_EDGES.includes(edge);
  return edge === undefined && /^179[01]\d{12}$/.test(node);
}

/** Meaning of the container error subcodes the sandbox can produce (FBDOC IG error codes). */
const CONTAINER_ERRORS: Record<number, string> = {
  2207001: 'Instagram server error',
  2207003: 'It takes too long to download the media',
  2207004: 'The image is too large to download',
  2207005: 'The media format is not supported',
  2207009: 'The aspect ratio is not supported',
  2207026: 'The video format is not supported',
  2207052: 'The media could not be fetched from the URI',
  2207082: 'The media could not be processed',
};

const igTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+0000');

function nextSeq(s: SandboxState): number {
  s.seq += 1;
  return s.seq;
}

function createContainer(req: SandboxRequest, store: StateStore, now: Date, fault: FaultAction | undefined, userId: string): SandboxResponse {
  const p = req.params;
  const caption = p.caption ?? '';
  if ([...caption].length > 2200) return graphError(100, '(#100) The caption is too long', { error_subcode: 2207010, error_user_msg: 'Captions can have at most 2,200 characters.' });
  if ((caption.match(/#\w/g) ?? []).length > 30) return graphError(100, '(#100) Too many hashtags', { error_subcode: 2207010, error_user_msg: 'Captions can have at most 30 hashtags.' });
  const type = (p.media_type ?? (p.video_url ? 'VIDEO' : 'IMAGE')).toUpperCase();
  let children: string[] = [];
  if (type === 'CAROUSEL') {
    try {
      children = p.children?.startsWith('[') ? (JSON.parse(p.children) as string[]).map(String) : (p.children ?? '').split(',').filter(Boolean);
    } catch {
      children = [];
    }
    if (children.length < 2 || children.length > 10) return graphError(100, '(#100) A carousel needs 2 to 10 children', { error_subcode: 2207023 });
  } else {
    const url = type === 'IMAGE' ? p.image_url : p.video_url;
    if (!url) return graphError(100, `(#100) The parameter ${type === 'IMAGE' ? 'image_url' : 'video_url'} is required`);
    if (!/^https:\/\//.test(url)) {
      return graphError(9004, 'Media download has failed. The media URI doesn\'t meet our requirements.', {
        error_subcode: 2207052, error_user_title: 'Media download failed', error_user_msg: 'The media could not be fetched from the URI provided. Use a public https URL.',
      });
    }
  }
  if (!['IMAGE', 'VIDEO', 'REELS', 'CAROUSEL', 'STORIES'].includes(type)) return graphError(100, `(#100) Param media_type must be one of {REELS, CAROUSEL, STORIES, VIDEO}`, { error_subcode: 2207023 });
  return store.mutate((s) => {
    const st = igOf(s);
    for (const c of children) {
      const child = st.igContainers.find((x) => x.id === c && x.ig_user_id === userId);
      if (!child || !child.is_carousel_item || child.status_code !== 'FINISHED') return graphError(100, `(#100) Carousel child ${c} is not a finished carousel item`, { error_subcode: 2207023 });
    }
    const url = p.image_url ?? p.video_url ?? null;
    const err = url ? /error-(2207\d{3})/.exec(url)?.[1] : undefined;
    const c: IgContainer = {
      id: `1790${String(nextSeq(s)).padStart(12, '0')}`, ig_user_id: userId, media_type: type as IgContainer['media_type'], media_url: url, caption,
      children, is_carousel_item: p.is_carousel_item === 'true', status_code: 'IN_PROGRESS', error_subcode: err ? Number(err) : null,
      pollsLeft: st.igProcessingPolls + (fault?.type === 'slow_processing' ? fault.polls : 0), created_at: now.toISOString(), published_media_id: null,
    };
    st.igContainers.push(c);
    return { status: 200, body: { id: c.id } };
  });
}

function containerStatus(c: IgContainer): string {
  if (c.status_code === 'ERROR') return `Error: ${CONTAINER_ERRORS[c.error_subcode ?? 0] ?? 'Media upload has failed'} (error code ${c.error_subcode ?? 'unknown'})`;
  if (c.status_code === 'EXPIRED') return 'Error: The container expired before it was published';
  return c.status_code === 'IN_PROGRESS' ? 'In Progress' : c.status_code === 'PUBLISHED' ? 'Published' : 'Finished';
}

function readContainer(req: SandboxRequest, store: StateStore, now: Date, id: string): SandboxResponse {
  return store.mutate((s) => {
    const c = igOf(s).igContainers.find((x) => x.id === id);
    if (!c) return missingObject(id);
    if (c.status_code === 'IN_PROGRESS') {
      if (c.pollsLeft > 0) c.pollsLeft -= 1;
      else c.status_code = c.error_subcode ? 'ERROR' : 'FINISHED';
    }
    // Containers not published within 24 hours expire (REFERENCE §C.9).
    if ((c.status_code === 'FINISHED' || c.status_code === 'IN_PROGRESS') && now.getTime() - Date.parse(c.created_at) > 86_400_000) c.status_code = 'EXPIRED';
    const fields = fieldsOf(req, ['id']);
    const out: Record<string, unknown> = { id: c.id };
    if (fields.includes('status_code')) out.status_code = c.status_code;
    if (fields.includes('status')) out.status = containerStatus(c);
    return { status: 200, body: out };
  });
}

const used = (st: InstagramState, userId: string, now: Date) =>
  st.igMedia.filter((m) => m.ig_user_id === userId && now.getTime() - Date.parse(m.timestamp.replace('+0000', 'Z')) < 86_400_000).length;

function publish(req: SandboxRequest, store: StateStore, now: Date, userId: string): SandboxResponse {
  const creation = req.params.creation_id;
  if (!creation) return graphError(100, '(#100) The parameter creation_id is required');
  return store.mutate((s) => {
    const st = igOf(s);
    const c = st.igContainers.find((x) => x.id === creation && x.ig_user_id === userId);
    if (!c) return graphError(100, `(#100) creation_id ${creation} is not a container of this account`, { error_subcode: 2207008 });
    if (c.status_code === 'PUBLISHED') return graphError(9007, 'Media ID is not available', { error_subcode: 2207027, error_user_msg: 'This container has already been published.' });
    if (c.status_code !== 'FINISHED') {
      return graphError(9007, 'Media ID is not available', { error_subcode: 2207027, error_user_msg: 'The media is not ready for publishing, please wait for a moment.' });
    }
    if (used(st, userId, now) >= st.igQuotaTotal) {
      return graphError(9, 'Application request limit reached', {
        error_subcode: 2207042, error_user_msg: 'You reached maximum number of posts that is allowed to be published by Content Publishing API.',
      });
    }
    const m: IgMedia = {
      id: `1791${String(nextSeq(s)).padStart(12, '0')}`, ig_user_id: userId, caption: c.caption,
      media_type: c.media_type === 'CAROUSEL' ? 'CAROUSEL_ALBUM' : c.media_type === 'IMAGE' ? 'IMAGE' : 'VIDEO',
      media_url: c.media_url, timestamp: igTime(now), container_id: c.id,
    };
    st.igMedia.push(m);
    c.status_code = 'PUBLISHED';
    c.published_media_id = m.id;
    return { status: 200, body: { id: m.id } };
  });
}

function mediaView(m: IgMedia, fields: string[]): Record<string, unknown> {
  const full: Record<string, unknown> = {
    id: m.id, caption: m.caption || undefined, media_type: m.media_type, media_url: m.media_url ?? undefined,
    permalink: `https://www.instagram.com/p/SBX${m.id.slice(-8)}/`, timestamp: m.timestamp, username: 'sandbox.ramen',
  };
  const out: Record<string, unknown> = { id: m.id };
  for (const f of fields) if (full[f] !== undefined) out[f] = full[f];
  return out;
}

export function handleInstagram(
  req: SandboxRequest, store: StateStore, now: Date, fault: FaultAction | undefined, node: string, edge: string | undefined,
): SandboxResponse | undefined {
  const st = igOf(store.read());
  if (/^178414\d+$/.test(node)) {
    const user = st.igUsers.find((u) => u.id === node);
    if (!user) return missingObject(node);
    if (!edge && req.method === 'GET') return { status: 200, body: { id: user.id, ...(fieldsOf(req, []).includes('username') ? { username: user.username } : {}) } };
    if (edge === 'media' && req.method === 'POST') return createContainer(req, store, now, fault, user.id);
    if (edge === 'media' && req.method === 'GET') {
      const list = st.igMedia.filter((m) => m.ig_user_id === user.id).reverse();
      const fields = fieldsOf(req, ['id']);
      return pageList(req, list, (m) => mediaView(m, fields));
    }
    if (edge === 'media_publish' && req.method === 'POST') return publish(req, store, now, user.id);
    if (edge === 'content_publishing_limit' && req.method === 'GET') {
      const fields = fieldsOf(req, ['quota_usage']);
      const row: Record<string, unknown> = { quota_usage: used(st, user.id, now) };
      if (fields.includes('config')) row.config = { quota_total: st.igQuotaTotal, quota_duration: 86_400 };
      return { status: 200, body: { data: [row] } };
    }
    return undefined;
  }
  if (req.method !== 'GET') return undefined;
  if (node.startsWith('1790')) return readContainer(req, store, now, node);
  const m = st.igMedia.find((x) => x.id === node);
  return m ? { status: 200, body: mediaView(m, fieldsOf(req, ['id'])) } : missingObject(node);
}
