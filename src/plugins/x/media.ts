/**
 * X media upload through the v2 chunked endpoints (REFERENCE §A.7): INIT
 * (`media/upload/initialize`), APPEND (`media/upload/:id/append`, multipart, 1 MiB segments),
 * FINALIZE, then STATUS polls while `processing_info.state` is pending or in_progress, waiting
 * the `check_after_secs` X asks for. Each step goes through core's HTTP policy on its own, unlike
 * twitter-api-v2's all-in-one `uploadMedia`, so a failed APPEND is retried alone.
 *
 * Every step is safe to repeat: a media id that is never attached to a post expires by itself
 * (`expires_after_secs`), and an APPEND of the same segment replaces it.
 *
 * A URL is downloaded first (https, or http on loopback for local test servers): X takes bytes.
 */
import { readFile } from 'node:fs/promises';
import type { AdapterContext } from '../../core/adapter.js';
import { AdctlError, ExitCode, usageError } from '../../core/errors.js';
import type { MediaInput } from '../../core/model.js';
import type { XCall, XRawClient } from './call.js';
import { XMediaAppend, XMediaFinalize, XMediaInit, XMediaStatus } from './wire.js';

const CHUNK = 1024 * 1024;
/** Give up on processing after this many polls (X asks for a few seconds between them). */
const MAX_POLLS = 120;

function categoryOf(mime: string): string {
  if (mime === 'image/gif') return 'tweet_gif';
  return mime.startsWith('video/') ? 'tweet_video' : 'tweet_image';
}

async function bytesOf(ctx: AdapterContext, m: MediaInput): Promise<{ bytes: Buffer; mime: string; name: string }> {
  if (m.kind === 'file') {
    try {
      return { bytes: await readFile(m.path), mime: m.mimeType, name: m.path };
    } catch (e) {
      throw usageError('MEDIA_UNREADABLE', `cannot read ${m.path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path and its permissions');
    }
  }
  const url = new URL(m.url);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw usageError('MEDIA_URL_INSECURE', `${m.url} is not an https URL`, 'use an https URL or a local file');
  }
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(ctx.timeoutMs), redirect: 'follow' });
  } catch (e) {
    throw new AdctlError('MEDIA_DOWNLOAD_FAILED', `could not download ${m.url} for X (${(e as Error).name})`, ExitCode.FAILURE, { hint: 'check the URL, or pass the file itself' });
  }
  if (!res.ok) throw new AdctlError('MEDIA_DOWNLOAD_FAILED', `could not download ${m.url} for X (HTTP ${res.status})`, ExitCode.FAILURE, { hint: 'check the URL, or pass the file itself' });
  const mime = (m.mimeType ?? res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  return { bytes: Buffer.from(await res.arrayBuffer()), mime, name: m.url };
}

/** Upload one media item; returns the media id to attach. */
export async function uploadXMedia(ctx: AdapterContext, v2: XRawClient, call: XCall, m: MediaInput): Promise<string> {
  const { bytes, mime, name } = await bytesOf(ctx, m);
  if (!mime) throw usageError('MEDIA_TYPE_UNKNOWN', `cannot tell the media type of ${name}`, 'use a file name ending in .jpg, .png, .gif, .webp or .mp4');
  const step = (label: string) => ({ label, method: 'POST' as const, write: true, idempotent: true });
  const init = await call(step('POST media/upload/initialize'), v2, 'media/upload/initialize', { media_type: mime, total_bytes: bytes.length, media_category: categoryOf(mime) }, XMediaInit);
  const id = init.data.id;
  for (let i = 0, seg = 0; i < bytes.length; i += CHUNK, seg++) {
    await call(step(`POST media/upload append ${seg}`), v2, `media/upload/${id}/append`, { segment_index: seg, media: bytes.subarray(i, i + CHUNK) }, XMediaAppend, { forceBodyMode: 'form-data' });
  }
  const fin = await call(step('POST media/upload/finalize'), v2, `media/upload/${id}/finalize`, {}, XMediaFinalize);
  let info = fin.data.processing_info;
  for (let polls = 0; info && (info.state === 'pending' || info.state === 'in_progress'); polls++) {
    if (polls >= MAX_POLLS) {
      throw new AdctlError('MEDIA_PROCESSING_TIMEOUT', `X is still processing ${name} after ${polls} status checks`, ExitCode.TEMPORARY, {
        platform: 'x', hint: 'nothing was posted; try again later or with a smaller file',
      });
    }
    await new Promise((r) => setTimeout(r, Math.max(0, info!.check_after_secs ?? 1) * 1000));
    const st = await call({ label: 'GET media/upload STATUS', method: 'GET', write: false, idempotent: true }, v2, 'media/upload', { command: 'STATUS', media_id: id }, XMediaStatus);
    info = st.data.processing_info ?? { state: 'succeeded' };
  }
  if (info?.state === 'failed') {
    const why = info.error?.message ?? info.error?.name ?? 'no reason given';
    throw new AdctlError('MEDIA_PROCESSING_FAILED', `X could not process ${name}: ${why}`, ExitCode.FAILURE, {
      platform: 'x', hint: 'check the format (X takes MP4/H.264 video up to 140 s, images up to 5 MB, GIFs up to 15 MB); nothing was posted',
    });
  }
  return id;
}
