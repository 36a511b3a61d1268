/**
 * X API v2 chunked media upload in the sandbox (REFERENCE §A.7): `POST /2/media/upload/initialize`
 * (JSON), `POST /2/media/upload/:id/append` (multipart `media` + `segment_index`),
 * `POST /2/media/upload/:id/finalize`, and `GET /2/media/upload?command=STATUS&media_id=`.
 *
 * Processing: images need none (FINALIZE answers without `processing_info`, as X does for
 * images). Videos and GIFs go `pending` → `in_progress` → `succeeded`, one step per STATUS poll,
 * with `check_after_secs: 1`. A `slow_processing` fault on the FINALIZE request adds `polls`
 * more in_progress answers. Media whose bytes start with `FAIL` end in `failed` with X's error
 * object. Steps are counted per poll, never by wall time, so tests stay deterministic.
 */
import type { SandboxState, StateStore } from '../state.js';
import type { FaultAction, SandboxRequest, SandboxResponse } from '../types.js';
import { problem } from './errors.js';

export interface XMedia {
  id: string;
  media_key: string;
  owner: string;
  media_type: string;
  media_category: string;
  total_bytes: number;
  received: Record<string, number>;
  /** The first bytes, to decide the processing outcome. */
  head: string;
  state: 'uploading' | 'pending' | 'in_progress' | 'succeeded' | 'failed';
  /** in_progress answers left before the final state. */
  pollsLeft: number;
}

const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/bmp', 'image/tiff', 'video/mp4', 'video/webm', 'video/quicktime', 'video/mp2t', 'text/srt', 'text/vtt'];
const MAX_BYTES: Record<string, number> = { tweet_image: 5 * 1024 * 1024, tweet_gif: 15 * 1024 * 1024, tweet_video: 512 * 1024 * 1024, amplify_video: 512 * 1024 * 1024 };
const EXPIRES_SEC = 86_400;

const invalid = (detail: string) => problem(400, 'invalid-request', 'Invalid Request', detail);

function mediaOf(s: SandboxState): XMedia[] {
  const x = s.x as { media?: XMedia[] };
  x.media ??= [];
  return x.media;
}

function categoryFor(type: string, given: string | undefined): string {
  if (given) return given;
  if (type === 'image/gif') return 'tweet_gif';
  return type.startsWith('video/') ? 'tweet_video' : 'tweet_image';
}

function info(m: XMedia): Record<string, unknown> | undefined {
  if (m.state === 'succeeded' && m.media_category === 'tweet_image') return undefined;
  if (m.state === 'succeeded') return { state: 'succeeded', progress_percent: 100 };
  if (m.state === 'failed') return { state: 'failed', progress_percent: 100, error: { code: 1, name: 'InvalidMedia', message: `Unsupported ${m.media_category === 'tweet_image' ? 'image' : 'video'} format` } };
  return { state: m.state, check_after_secs: 1, progress_percent: m.state === 'pending' ? 0 : 50 };
}

function shape(m: XMedia): Record<string, unknown> {
  const out: Record<string, unknown> = { id: m.id, media_key: m.media_key, size: m.total_bytes, expires_after_secs: EXPIRES_SEC };
  if (m.media_category === 'tweet_image') out.image = { image_type: m.media_type, w: 1200, h: 675 };
  else out.video = { video_type: m.media_type };
  const pi = info(m);
  if (pi) out.processing_info = pi;
  return out;
}

/**
 * The raw bytes of a multipart field sent without a filename (twitter-api-v2 sends the APPEND
 * chunk that way); the server's parser keeps such fields only as text.
 */
function multipartField(req: SandboxRequest, name: string): Buffer | undefined {
  const boundary = /boundary=("?)([^";]+)\1/.exec(String(req.headers['content-type'] ?? ''))?.[2];
  if (!boundary) return undefined;
  const body = req.rawBody;
  const delim = Buffer.from(`--${boundary}`);
  for (let pos = body.indexOf(delim); pos !== -1;) {
    const next = body.indexOf(delim, pos + delim.length);
    if (next === -1) return undefined;
    const part = body.subarray(pos + delim.length + 2, next - 2);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd !== -1 && new RegExp(`name="${name}"`, 'i').test(part.subarray(0, headEnd).toString('utf8'))) return part.subarray(headEnd + 4);
    pos = next;
  }
  return undefined;
}

export function handleMedia(
  req: SandboxRequest, store: StateStore, now: Date, fault: FaultAction | undefined, userOf: (s: SandboxState) => string,
): SandboxResponse | undefined {
  const path = req.path;
  if (path === '/2/media/upload/initialize' && req.method === 'POST') {
    const p = req.params;
    const type = p.media_type ?? '';
    if (!MEDIA_TYPES.includes(type)) return invalid(`$.media_type: "${type}" is not a supported media type.`);
    const total = Number(p.total_bytes);
    if (!Number.isInteger(total) || total <= 0) return invalid('$.total_bytes: a positive integer is required.');
    const category = categoryFor(type, p.media_category);
    if (total > (MAX_BYTES[category] ?? MAX_BYTES.tweet_video!)) return invalid(`File size exceeds ${(MAX_BYTES[category] ?? 0) / 1024 / 1024} MB for ${category}.`);
    return store.mutate((s) => {
      s.seq += 1;
      const id = `18${String(s.seq).padStart(17, '0')}`;
      const m: XMedia = {
        id, media_key: `${category === 'tweet_image' ? 3 : 7}_${id}`, owner: userOf(s), media_type: type, media_category: category,
        total_bytes: total, received: {}, head: '', state: 'uploading', pollsLeft: 0,
      };
      mediaOf(s).push(m);
      return { status: 200, body: { data: { id, media_key: m.media_key, expires_after_secs: EXPIRES_SEC } } };
    });
  }
  let m: RegExpExecArray | null;
  if ((m = /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(path)) && req.method === 'POST') {
    const [, id, step] = m as unknown as [string, string, string];
    return store.mutate((s) => {
      const media = mediaOf(s).find((x) => x.id === id && x.owner === userOf(s));
      if (!media) return problem(400, 'invalid-request', 'Invalid Request', `media_id ${id} was not found.`);
      if (step === 'append') {
        if (media.state !== 'uploading') return invalid('Media has already been finalized.');
        const seg = Number(req.params.segment_index);
        if (!Number.isInteger(seg) || seg < 0 || seg > 999) return invalid('segment_index must be an integer between 0 and 999.');
        const bytes = req.files.media?.data ?? multipartField(req, 'media') ?? (req.json && req.params.media ? Buffer.from(req.params.media, 'base64') : undefined);
        if (!bytes) return invalid('The media field is required.');
        // Idempotent per segment: a repeated APPEND replaces the segment, as a resumable upload should.
        media.received[String(seg)] = bytes.length;
        if (seg === 0) media.head = bytes.subarray(0, 8).toString('latin1');
        return { status: 200, body: { data: { expires_at: Math.floor(now.getTime() / 1000) + EXPIRES_SEC } } };
      }
      if (media.state === 'uploading') {
        const got = Object.values(media.received).reduce((a, b) => a + b, 0);
        if (got !== media.total_bytes) return invalid(`Segments do not add up to total_bytes: received ${got} of ${media.total_bytes}.`);
        const extra = fault?.type === 'slow_processing' ? fault.polls : 0;
        if (media.media_category === 'tweet_image') {
          media.state = media.head.startsWith('FAIL') ? 'failed' : 'succeeded';
        } else {
          media.state = 'pending';
          media.pollsLeft = extra;
        }
      }
      return { status: 200, body: { data: shape(media) } };
    });
  }
  if (path === '/2/media/upload' && req.method === 'GET') {
    if (req.params.command !== 'STATUS') return invalid('command must be STATUS.');
    const id = req.params.media_id ?? '';
    return store.mutate((s) => {
      const media = mediaOf(s).find((x) => x.id === id && x.owner === userOf(s));
      if (!media || media.state === 'uploading') return invalid(`media_id ${id} was not found or is not finalized.`);
      if (media.state === 'pending') media.state = 'in_progress';
      else if (media.state === 'in_progress') {
        if (media.pollsLeft > 0) media.pollsLeft -= 1;
        else media.state = media.head.startsWith('FAIL') ? 'failed' : 'succeeded';
      }
      return { status: 200, body: { data: { media_id: media.id, media_key: media.media_key, processing_info: info(media) ?? { state: 'succeeded', progress_percent: 100 } } } };
    });
  }
  return undefined;
}
