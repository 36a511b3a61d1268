/**
 * Cross-channel posts (issue 5): `post create|list|get|delete`. Commands call these; these call
 * the adapters. No wire format here.
 *
 * Contracts:
 * - Everything that can be checked locally is checked before the first request, for every channel
 *   at once: text length, media count and type, Instagram's need for URLs, the scheduling window.
 *   A problem is exit 64 and nothing is sent.
 * - One create per channel, in order; one channel failing does not stop the others. Each result is
 *   reported (`{ref?, channel, ok, error?}`) and each create is written to the audit log.
 * - A create is never repeated here: an unknown outcome stays UNKNOWN_OUTCOME (exit 8) with a hint
 *   to look at the channel's posts first (the ledger of `post publish-due` reconciles itself).
 * - Times: `--at` follows DESIGN §10 (core/time.ts); instants leave here as UTC ISO with Z.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { PlatformAdapter, WireRequest } from '../core/adapter.js';
import { DryRunIntercepted } from '../core/dry-run.js';
import { AdctlError, ExitCode, usageError } from '../core/errors.js';
import type { Channel, ChannelRules, MediaInput, Platform, Post, PostCreateInput } from '../core/model.js';
import { CHANNELS } from '../core/vocabulary.js';
import { textLength } from '../core/text.js';
import { describeTime, parseTime, postsZone, type ResolvedTime } from '../core/time.js';
import { appendAudit, newEntryId } from './audit.js';
import type { Session } from './session.js';

export const platformOf = (channel: Channel): Platform => (channel === 'x' ? 'x' : 'meta');

const CHANNEL_NAMES: Record<Channel, string> = { x: 'X', facebook: 'Facebook', instagram: 'Instagram' };

const POST_REF = /^(x|facebook|instagram):([A-Za-z0-9_-]{1,64})$/;

/** `<channel>:<id>`, e.g. `x:1999000000000000001`, `facebook:2001_120000001`, `instagram:17910000001`. */
export function parsePostRef(text: string): { channel: Channel; id: string } {
  const m = POST_REF.exec(text.trim());
  if (!m) {
    throw usageError('INVALID_REF', `"${text}" is not a post ref`, 'write <channel>:<id>, for example x:1999000000000000001 or facebook:2001_120000000001 (see `adctl post list`)');
  }
  return { channel: m[1] as Channel, id: m[2]! };
}

export function parseChannels(list: string[]): Channel[] {
  const out: Channel[] = [];
  for (const item of list.flatMap((s) => s.split(','))) {
    const c = item.trim().toLowerCase();
    if (!c) continue;
    if (!(CHANNELS as readonly string[]).includes(c)) throw usageError('INVALID_CHANNEL', `"${item}" is not a channel`, `choose from ${CHANNELS.join(', ')}`);
    if (!out.includes(c as Channel)) out.push(c as Channel);
  }
  if (out.length === 0) throw usageError('CHANNEL_REQUIRED', 'no channel given', 'pass --to x,facebook,instagram (any subset)');
  return out;
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp', '.bmp': 'image/bmp',
  '.tif': 'image/tiff', '.tiff': 'image/tiff', '.mp4': 'video/mp4', '.mov': 'video/quicktime', '.m4v': 'video/mp4',
};

/**
 * `--media` values: an http(s) URL, or a local file (relative to `baseDir`) that must exist.
 * The type comes from the extension. Missing files are exit 64.
 */
export function resolveMedia(values: string[], baseDir = process.cwd()): MediaInput[] {
  return values.map((v) => {
    if (/^https?:\/\//i.test(v)) {
      let url: URL;
      try {
        url = new URL(v);
      } catch {
        throw usageError('INVALID_MEDIA', `--media "${v}" is not a valid URL`, 'write an https URL or a path to a local file');
      }
      const mime = MIME[extname(url.pathname).toLowerCase()];
      return { kind: 'url' as const, url: url.toString(), ...(mime ? { mimeType: mime } : {}) };
    }
    const path = resolve(baseDir, v);
    let bytes: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new Error('not a file');
      bytes = st.size;
    } catch {
      throw usageError('MEDIA_NOT_FOUND', `--media ${v}: no such file`, 'check the path (relative paths are read from the current directory)');
    }
    const mimeType = MIME[extname(path).toLowerCase()];
    if (!mimeType) throw usageError('MEDIA_TYPE_UNKNOWN', `--media ${v}: adctl cannot tell its type from the extension`, `use one of ${Object.keys(MIME).join(' ')}`);
    return { kind: 'file' as const, path, mimeType, bytes };
  });
}

const isVideoish = (m: MediaInput) => {
  const t = m.mimeType ?? '';
  return t.startsWith('video/') || t === 'image/gif';
};

/**
 * Every local problem of one channel's post against that channel's declared rules; empty when it
 * can be sent. Used by `post create` and by the schedule (`post publish-due`) before sending.
 */
export function checkPost(rules: ChannelRules, input: Pick<PostCreateInput, 'text' | 'media'>, textFlag = `--text-${rules.channel}`): string[] {
  const name = CHANNEL_NAMES[rules.channel];
  const problems: string[] = [];
  const length = textLength(input.text, rules.textCounting);
  if (length > rules.maxTextLength) {
    const how = rules.textCounting === 'x-weighted' ? ' (links count 23, CJK and emoji 2)' : '';
    problems.push(`${name}: the text counts ${length} characters; ${name} allows ${rules.maxTextLength}${how} (shorten it, or pass ${textFlag})`);
  }
  if (rules.channel === 'instagram' && input.media.length === 0) problems.push('Instagram: a post needs an image or a video (--media https://…)');
  if (rules.channel !== 'instagram' && !input.text && input.media.length === 0) problems.push(`${name}: the post is empty (pass --text or --media)`);
  if (input.media.length > rules.maxMedia) problems.push(`${name}: ${input.media.length} media items; ${name} allows ${rules.maxMedia}`);
  if (rules.singleVideo && input.media.length > 1 && input.media.some(isVideoish)) problems.push(`${name}: a video or GIF must be the only media item`);
  for (const m of input.media) {
    const label = m.kind === 'file' ? m.path : m.url;
    if (rules.mediaMustBeUrl && m.kind === 'file') {
      problems.push(`${name}: cannot take the local file ${label}; use an https URL (${name} downloads the media itself)`);
      continue;
    }
    if (rules.mediaMustBeUrl && m.kind === 'url' && !m.url.startsWith('https://')) problems.push(`${name}: ${label} is not an https URL`);
    if (m.mimeType && !rules.mediaTypes.includes(m.mimeType)) problems.push(`${name}: ${label} is ${m.mimeType}; ${name} takes ${rules.mediaTypes.join(', ')}`);
  }
  return problems;
}

/** Where a post's time would go, or why it cannot be scheduled natively (exit 64). */
export function checkSchedule(rules: ChannelRules, at: ResolvedTime, nowMs: number, native: boolean): string | undefined {
  const name = CHANNEL_NAMES[rules.channel];
  if (!rules.schedulingWindow || (rules.channel === 'x' && !native)) {
    return rules.channel === 'x'
      ? 'X: adctl schedules X posts in posts.yaml (run by `adctl post publish-due`); pass --native to use the Ads API scheduled_tweets instead'
      : `${name}: no native scheduling; put the post in posts.yaml and run \`adctl post publish-due\` from cron or CI`;
  }
  const ahead = Math.floor((at.ms - nowMs) / 1000);
  const { minSeconds, maxSeconds } = rules.schedulingWindow;
  const span = (s: number) => (s % 86_400 === 0 ? `${s / 86_400} days` : s % 3600 === 0 ? `${s / 3600} hours` : `${Math.round(s / 60)} minutes`);
  if (ahead < minSeconds) {
    return `${name}: ${at.utc} is ${ahead < 0 ? 'in the past' : `only ${span(Math.max(60, Math.floor(ahead / 60) * 60))} ahead`}; ${name} schedules at least ${span(minSeconds)} ahead`;
  }
  if (ahead > maxSeconds) return `${name}: ${at.utc} is more than ${span(maxSeconds)} ahead; ${name} schedules at most ${span(maxSeconds)} ahead`;
  return undefined;
}

/** A `--thread` file: a YAML or JSON list of strings (.yaml, .yml, .json), otherwise paragraphs separated by blank lines. */
export async function readThread(path: string): Promise<string[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw usageError('THREAD_UNREADABLE', `cannot read --thread ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path');
  }
  let items: unknown;
  const ext = extname(path).toLowerCase();
  if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
    try {
      items = ext === '.json' ? JSON.parse(text) : (await import('yaml')).parse(text);
    } catch (e) {
      throw usageError('THREAD_INVALID', `--thread ${path} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`, 'write a list of strings, one per post');
    }
    if (!Array.isArray(items) || items.some((i) => typeof i !== 'string' || !i.trim())) {
      const bad = Array.isArray(items) ? items.findIndex((i) => typeof i !== 'string' || !i.trim()) : -1;
      throw usageError('THREAD_INVALID', `--thread ${path}${bad >= 0 ? `[${bad}]` : ''}: expected a list of non-empty strings`, 'write one string per post, in order');
    }
    items = (items as string[]).map((s) => s.trim());
  } else {
    items = text.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean);
  }
  const list = items as string[];
  if (list.length === 0) throw usageError('THREAD_EMPTY', `--thread ${path} has no posts`, 'separate posts with a blank line, or write a YAML/JSON list');
  return list;
}

export interface CreatePostsRequest {
  to: Channel[];
  text?: string | undefined;
  /** Per-channel text (`--text-x` …) replacing `text` on that channel. */
  texts?: Partial<Record<Channel, string>> | undefined;
  media?: string[] | undefined;
  replyTo?: string | undefined;
  /** Path of a thread file (X only). */
  thread?: string | undefined;
  at?: string | undefined;
  tz?: string | undefined;
  /** X: schedule through the Ads API `scheduled_tweets`. */
  native?: boolean | undefined;
}

export interface PostResult {
  ref?: string | undefined;
  channel: Channel;
  ok: boolean;
  status?: Post['status'] | undefined;
  scheduledAt?: string | null | undefined;
  url?: string | null | undefined;
  error?: { code: string; message: string; hint: string | null; exitCode: number } | undefined;
  /** Dry run: the write that would have been sent. */
  dryRun?: true | undefined;
  requests?: WireRequest[] | undefined;
}

export interface CreatePostsOutcome {
  results: PostResult[];
  /** The time used for --at and how it was read, for the "which zone" line. */
  schedule?: { utc: string; described: string } | undefined;
}

function errorOf(e: unknown, channel: Channel): AdctlError {
  if (e instanceof AdctlError) {
    if (e.code !== 'UNKNOWN_OUTCOME') return e;
    // Reconcile before retrying: rerunning `post create` would post again where it worked.
    return new AdctlError(e.code, e.message, e.exitCode, {
      platform: e.platform, requestId: e.requestId, cause: e,
      hint: `the post may be live: check \`adctl post list --channel ${channel}\` before posting again (adctl never repeats a create blindly)`,
    });
  }
  return new AdctlError('INTERNAL_ERROR', `${channel}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.FAILURE, { hint: 'run with --debug and report this as a bug', cause: e });
}

/** Append one post write to the audit log (same log and shape as campaign writes). */
export function auditPost(session: Session, entry: { operation: 'post.create' | 'post.delete'; channel: Channel; ref: string | null; before: Post | null; after: Post | null; error?: AdctlError | undefined }): void {
  const snap = (p: Post | null) => (p ? { name: p.text.slice(0, 80), status: p.status } : null);
  const platform = platformOf(entry.channel);
  appendAudit(session.settings.configDir, {
    id: newEntryId(), time: new Date().toISOString(), profile: session.settings.profile, platform, ref: entry.ref,
    operation: entry.operation, before: snap(entry.before), after: snap(entry.after),
    requestId: entry.error?.requestId ?? session.lastRequestId.get(platform) ?? null,
    outcome: entry.error ? (entry.error.code === 'UNKNOWN_OUTCOME' ? 'unknown' : 'failed') : 'ok',
    ...(entry.error ? { error: { code: entry.error.code, message: entry.error.message } } : {}),
  }, (s) => session.redactor.redact(s));
}

/** Rules for each channel, from its plugin (loading it), keyed by channel. */
async function rulesFor(session: Session, channels: Channel[], capability: 'posts.publish' | 'posts.schedule'): Promise<Map<Channel, { adapter: PlatformAdapter; rules: ChannelRules }>> {
  const out = new Map<Channel, { adapter: PlatformAdapter; rules: ChannelRules }>();
  for (const c of channels) {
    const adapter = await session.adapter(platformOf(c), capability);
    const rules = adapter.channelRules?.().find((r) => r.channel === c);
    if (!rules || !adapter.createPost) {
      throw new AdctlError('CAPABILITY_UNSUPPORTED', `the ${platformOf(c)} plugin does not publish to ${c}`, ExitCode.CONFIG, { hint: 'see `adctl plugin list`' });
    }
    out.set(c, { adapter, rules });
  }
  return out;
}

export async function createPosts(session: Session, req: CreatePostsRequest, nowMs = Date.now()): Promise<CreatePostsOutcome> {
  const channels = req.to;
  // Local checks first, for every channel, before anything loads or is sent.
  const media = resolveMedia(req.media ?? []);
  const thread = req.thread ? await readThread(req.thread) : undefined;
  if (thread && (channels.length !== 1 || channels[0] !== 'x')) throw usageError('THREAD_X_ONLY', '--thread posts a thread on X only', 'pass --to x with --thread');
  if (thread && (req.text !== undefined || req.texts?.x !== undefined)) throw usageError('CONFLICTING_FLAGS', '--thread and --text cannot be used together', 'the thread file holds the text of every post');
  if (thread && req.at) throw usageError('CONFLICTING_FLAGS', '--thread cannot be scheduled with --at', 'schedule each post in posts.yaml instead');
  let replyTo: { channel: Channel; id: string } | undefined;
  if (req.replyTo) {
    replyTo = parsePostRef(req.replyTo);
    if (!channels.includes(replyTo.channel)) throw usageError('REPLY_CHANNEL', `--reply-to ${req.replyTo} is on ${replyTo.channel}, which is not in --to`, `add ${replyTo.channel} to --to`);
    if (replyTo.channel !== 'x') throw usageError('REPLY_UNSUPPORTED', 'replies are supported on X only', 'reply on Facebook or Instagram in their apps');
  }
  for (const [c, t] of Object.entries(req.texts ?? {})) {
    if (t !== undefined && !channels.includes(c as Channel)) throw usageError('UNUSED_FLAG', `--text-${c} is given but ${c} is not in --to`, `add ${c} to --to, or drop --text-${c}`);
  }
  const textOf = (c: Channel) => req.texts?.[c] ?? req.text ?? '';
  if (!thread && channels.some((c) => req.texts?.[c] === undefined) && req.text === undefined && media.length === 0) {
    throw usageError('TEXT_REQUIRED', 'nothing to post', 'pass --text (or --text-<channel> for each channel), --media, or --thread');
  }

  let at: ResolvedTime | undefined;
  if (req.at) {
    const { zone, source } = postsZone({ flag: req.tz, env: session.settings.timeZones.env, profile: session.settings.timeZones.profile });
    at = parseTime(req.at, zone, source);
  } else if (req.tz) {
    throw usageError('UNUSED_FLAG', '--tz is only used with --at', 'add --at, or drop --tz');
  }
  if (req.native && !at) throw usageError('UNUSED_FLAG', '--native is only used with --at', 'add --at, or drop --native');

  const plugins = await rulesFor(session, channels, at ? 'posts.schedule' : 'posts.publish');
  const problems: string[] = [];
  for (const c of channels) {
    const { rules } = plugins.get(c)!;
    for (const text of thread ?? [textOf(c)]) problems.push(...checkPost(rules, { text, media: thread ? [] : media }));
    if (at) {
      const why = checkSchedule(rules, at, nowMs, !!req.native);
      if (why) problems.push(why);
    }
  }
  if (problems.length) {
    const schedule = at && problems.some((p) => /posts\.yaml|schedules at/.test(p));
    throw usageError(
      'POST_INVALID',
      problems.length === 1 ? problems[0]! : `${problems.length} problems: ${problems.join('; ')}`,
      schedule ? 'nothing was sent; see `adctl post create --help` for scheduling, or use posts.yaml with `adctl post publish-due`' : 'nothing was sent; fix these and run the command again',
      { problems },
    );
  }

  const results: PostResult[] = [];
  for (const c of channels) {
    const { adapter } = plugins.get(c)!;
    const texts = thread ?? [textOf(c)];
    let previous = replyTo?.channel === c ? replyTo.id : undefined;
    for (const text of texts) {
      const input: PostCreateInput = { channel: c, text, media: thread ? [] : media, ...(previous ? { replyToId: previous } : {}), ...(at ? { scheduledAt: at.utc } : {}) };
      try {
        const post = await adapter.createPost!(input);
        auditPost(session, { operation: 'post.create', channel: c, ref: post.ref, before: null, after: post });
        results.push({ ref: post.ref, channel: c, ok: true, status: post.status, scheduledAt: post.scheduledAt, url: post.url });
        previous = post.id;
      } catch (e) {
        if (e instanceof DryRunIntercepted) {
          results.push({ channel: c, ok: true, dryRun: true, requests: [e.request] });
          break;
        }
        const err = errorOf(e, c);
        auditPost(session, { operation: 'post.create', channel: c, ref: null, before: null, after: null, error: err });
        results.push({ channel: c, ok: false, error: { code: err.code, message: err.message, hint: err.hint ?? null, exitCode: err.exitCode } });
        break; // a thread stops at its first failure: later posts would reply to nothing
      }
    }
  }
  return { results, ...(at ? { schedule: { utc: at.utc, described: describeTime(at) } } : {}) };
}

/**
 * The exit code for a set of results: 0 when all succeeded; the shared exit code when every one
 * failed the same way (so a lone unknown outcome is still 8); otherwise 3 (DESIGN §6).
 */
export function resultsExitCode(results: PostResult[]): number {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return ExitCode.OK;
  const codes = new Set(failed.map((r) => r.error!.exitCode));
  if (failed.length === results.length && codes.size === 1) return [...codes][0]!;
  return ExitCode.PARTIAL;
}

export interface ListPostsRequest {
  channels?: Channel[] | undefined;
  scheduled?: boolean | undefined;
  limit?: number | undefined;
}

export interface ListPostsResult {
  posts: Post[];
  failures: Array<{ channel: Channel; error: AdctlError }>;
  channels: Channel[];
}

/** The channels `post list` covers by default: enabled plugins with credentials and a destination. */
export function defaultChannels(session: Session): Channel[] {
  const platforms = session.fanOutPlatforms();
  const ids = session.channelIds();
  const out: Channel[] = [];
  if (platforms.includes('x')) out.push('x');
  if (platforms.includes('meta') && ids.pageId) out.push('facebook');
  if (platforms.includes('meta') && ids.igUserId) out.push('instagram');
  return out;
}

export async function listPosts(session: Session, req: ListPostsRequest): Promise<ListPostsResult> {
  const channels = req.channels ?? defaultChannels(session);
  if (channels.length === 0) {
    throw usageError('NO_CHANNELS', 'no channel is configured for posts', 'set ADCTL_META_PAGE_ID / ADCTL_META_IG_USER_ID or X credentials, or pass --channel');
  }
  const posts: Post[] = [];
  const failures: ListPostsResult['failures'] = [];
  // One channel at a time: Facebook and Instagram share the Meta adapter's transport.
  for (const channel of channels) {
    try {
      const adapter = await session.adapter(platformOf(channel), 'posts.publish');
      if (!adapter.listPosts) throw new AdctlError('CAPABILITY_UNSUPPORTED', `the ${platformOf(channel)} plugin cannot list posts`, ExitCode.CONFIG);
      posts.push(...(await adapter.listPosts({ channel, limit: req.limit ?? 20, includeScheduled: !!req.scheduled })));
    } catch (e) {
      failures.push({ channel, error: errorOf(e, channel) });
    }
  }
  const shown = req.scheduled ? posts.filter((p) => p.status === 'scheduled') : posts;
  return { posts: shown, failures, channels };
}

export async function getPost(session: Session, refText: string): Promise<Post> {
  const ref = parsePostRef(refText);
  const adapter = await session.adapter(platformOf(ref.channel), 'posts.publish');
  return adapter.getPost!(ref.channel, ref.id);
}

export interface DeletePostResult {
  ref: string;
  deleted: true;
  /** True when the post was already gone (or never existed): nothing was sent. */
  alreadyDeleted: boolean;
  dryRun?: true | undefined;
  requests?: WireRequest[] | undefined;
}

/** Idempotent: deleting a post that is already gone succeeds without a request. */
export async function deletePost(session: Session, refText: string): Promise<DeletePostResult> {
  const ref = parsePostRef(refText);
  const canonical = `${ref.channel}:${ref.id}`;
  const adapter = await session.adapter(platformOf(ref.channel), 'posts.delete');
  const before = await adapter.getPost!(ref.channel, ref.id).catch((e: unknown) => {
    if (e instanceof AdctlError && e.code === 'NOT_FOUND') return null;
    throw e;
  });
  if (!before) return { ref: canonical, deleted: true, alreadyDeleted: true };
  try {
    await adapter.deletePost!(ref.channel, ref.id);
  } catch (e) {
    if (e instanceof DryRunIntercepted) return { ref: canonical, deleted: true, alreadyDeleted: false, dryRun: true, requests: [e.request] };
    const err = errorOf(e, ref.channel);
    auditPost(session, { operation: 'post.delete', channel: ref.channel, ref: canonical, before, after: null, error: err });
    throw err;
  }
  auditPost(session, { operation: 'post.delete', channel: ref.channel, ref: canonical, before, after: null });
  return { ref: canonical, deleted: true, alreadyDeleted: false };
}
