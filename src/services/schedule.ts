/**
 * Schedule as code (issue 5): what `post publish-due` and `post sync` share — reading posts.yaml,
 * the channels' adapters and rules, the local checks before sending, and reconciliation of unknown
 * outcomes against the platforms.
 *
 * Reconciliation contract: an entry whose outcome is unknown (an intent with no outcome, or an
 * explicit unknown) is looked up in its channel's recent posts (X user timeline, Page feed and
 * scheduled posts, Instagram media) by the text that was sent, created no earlier than shortly
 * before the intent and not already claimed by another ledger entry. Found → published (or
 * scheduled). Not found → `absent`, which lets the entry be sent again — but only once the intent
 * is older than the settle window (the per-request timeout, ADCTL_TIMEOUT): a request that left just
 * before a kill may still be landing, and deciding "absent" too early would post twice.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { PlatformAdapter } from '../core/adapter.js';
import { AdctlError, ExitCode, usageError } from '../core/errors.js';
import type { Channel, ChannelRules, MediaInput, Post } from '../core/model.js';
import { CHANNELS } from '../core/vocabulary.js';
import { parsePostsFile, postsFileError, type DesiredPost } from '../core/posts-file.js';
import { postsZone } from '../core/time.js';
import { isUnsettled, type Ledger, type LedgerEntry } from './ledger.js';
import { checkPost, platformOf, resolveMedia } from './posts.js';
import type { Session } from './session.js';

export interface LoadedSchedule {
  /** Absolute path of posts.yaml; media paths are relative to its directory. */
  path: string;
  baseDir: string;
  posts: DesiredPost[];
  /** The zone local `at` values are read in and where it came from, for the "which zone" line (DESIGN §10). */
  zone: string | null;
}

/** Read and validate posts.yaml (exit 64 with every problem's path). */
export function loadSchedule(session: Session, file: string, tz?: string): LoadedSchedule {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw usageError('POSTS_FILE_UNREADABLE', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path given to -f');
  }
  const given = tz || session.settings.timeZones.env || session.settings.timeZones.profile;
  const fallback = given ? postsZone({ flag: tz, env: session.settings.timeZones.env, profile: session.settings.timeZones.profile }) : undefined;
  const { file: parsed, posts } = parsePostsFile(text, { name: basename(path), defaultZone: fallback?.zone });
  const FROM = { flag: '--tz', env: 'ADCTL_TZ', profile: 'the profile', account: 'the account', system: 'the system' } as const;
  const zone = parsed.timezone ? `${parsed.timezone} (from the file)` : fallback ? `${fallback.zone} (from ${FROM[fallback.source]})` : null;
  return { path, baseDir: dirname(path), posts, zone };
}

/** The adapter and rules of each channel, loaded once per run. */
export class ChannelTools {
  private readonly cache = new Map<Channel, Promise<{ adapter: PlatformAdapter; rules: ChannelRules }>>();
  constructor(private readonly session: Session) {}

  get(channel: Channel): Promise<{ adapter: PlatformAdapter; rules: ChannelRules }> {
    let p = this.cache.get(channel);
    if (!p) {
      p = (async () => {
        const adapter = await this.session.adapter(platformOf(channel), 'posts.publish');
        const rules = adapter.channelRules?.().find((r) => r.channel === channel);
        if (!rules || !adapter.createPost || !adapter.listPosts) {
          throw new AdctlError('CAPABILITY_UNSUPPORTED', `the ${platformOf(channel)} plugin does not publish to ${channel}`, ExitCode.CONFIG, { hint: 'see `adctl plugin list`' });
        }
        return { adapter, rules };
      })();
      this.cache.set(channel, p);
    }
    return p;
  }
}

/**
 * Local checks for the posts about to be sent, all at once (exit 64, nothing sent): media files
 * exist (relative to posts.yaml), and text, media count and type fit the channel's rules.
 * Returns each post's media as the plugin takes it; posts of a channel that cannot load are left
 * out (the caller reports them per entry).
 */
export async function prepareMedia(tools: ChannelTools, schedule: LoadedSchedule, posts: DesiredPost[]): Promise<Map<DesiredPost, MediaInput[]>> {
  const out = new Map<DesiredPost, MediaInput[]>();
  const problems: string[] = [];
  for (const p of posts) {
    const media: MediaInput[] = [];
    p.media.forEach((m, k) => {
      try {
        media.push(...resolveMedia([m], schedule.baseDir));
      } catch (e) {
        if (!(e instanceof AdctlError)) throw e;
        problems.push(`posts[${p.index}].media[${k}]: ${e.message.replace(/^--media\s*/, '')} (paths are relative to ${basename(schedule.path)})`);
      }
    });
    let rules: ChannelRules;
    try {
      ({ rules } = await tools.get(p.channel));
    } catch {
      continue; // the channel cannot load (e.g. no credentials): its posts fail on their own, the others go on
    }
    for (const why of checkPost(rules, { text: p.text, media }, `a shorter ${p.channel}: { text: … }`)) problems.push(`posts[${p.index}] (${p.id}): ${why}`);
    out.set(p, media);
  }
  if (problems.length) throw postsFileError(basename(schedule.path), problems);
  return out;
}

/**
 * Text as platforms echo it back: X escapes &, < and > and wraps links in t.co; whitespace and
 * Unicode composition may differ. Used only to recognise our own post, never to send.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFC')
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/https?:\/\/\S+/g, '<link>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A result line of `publish-due` / `sync` (DESIGN §7 bulk shape plus the entry's key). */
export interface ScheduleResult {
  id: string;
  channel: Channel;
  ref: string | null;
  ok: boolean;
  /** What happened: published, reconciled, duplicate, scheduled, rescheduled, unscheduled, unknown, failed, conflict, dry-run. */
  action: string;
  url?: string | null | undefined;
  at?: string | undefined;
  error?: { code: string; message: string; hint: string | null; exitCode: number } | undefined;
  requests?: unknown[] | undefined;
}

export function errorResult(id: string, channel: Channel, action: string, e: AdctlError, ref: string | null = null): ScheduleResult {
  return { id, channel, ref, ok: false, action, error: { code: e.code, message: e.message, hint: e.hint ?? null, exitCode: e.exitCode } };
}

export function asAdctlError(e: unknown, channel: Channel): AdctlError {
  if (e instanceof AdctlError) return e;
  return new AdctlError('INTERNAL_ERROR', `${channel}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.FAILURE, { hint: 'run with --debug and report this as a bug', cause: e });
}

export function unknownError(entry: LedgerEntry, why: string): AdctlError {
  return new AdctlError('UNKNOWN_OUTCOME', `${entry.id} on ${entry.channel}: ${why}`, ExitCode.UNKNOWN_OUTCOME, {
    hint: 'run the same command again: it looks the post up before sending anything (never a blind retry)',
  });
}

/** Look-back before the intent time: clocks of this machine and the platform differ a little. */
const SKEW_MS = 5 * 60_000;

/**
 * Settle every unknown in the ledger (see the file comment). Returns one result for each entry
 * that stays unknown (lookup failed, or too recent to tell) and for each one found.
 */
export async function reconcile(tools: ChannelTools, ledger: Ledger, settleMs: number, nowMs = Date.now()): Promise<ScheduleResult[]> {
  const results: ScheduleResult[] = [];
  const unsettled = [...ledger.entries.values()].filter(isUnsettled);
  const claimed = new Set([...ledger.entries.values()].filter((e) => e.postId).map((e) => `${e.channel}:${e.postId}`));
  const byChannel = new Map<Channel, LedgerEntry[]>();
  for (const e of unsettled) byChannel.set(e.channel, [...(byChannel.get(e.channel) ?? []), e]);

  await Promise.all([...byChannel].map(async ([channel, entries]) => {
    entries.sort((a, b) => a.intentTime.localeCompare(b.intentTime));
    let posts: Post[];
    try {
      const { adapter } = await tools.get(channel);
      const since = Math.min(...entries.map((e) => Date.parse(e.intentTime))) - SKEW_MS;
      posts = await adapter.listPosts!({
        channel, since: new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z'), limit: 100 + 2 * entries.length,
        includeScheduled: entries.some((e) => e.op === 'schedule'),
      });
    } catch (e) {
      const err = asAdctlError(e, channel);
      for (const entry of entries) results.push(errorResult(entry.id, channel, 'unknown', unknownError(entry, `could not look it up (${err.message})`)));
      return;
    }
    for (const entry of entries) {
      const intentMs = Date.parse(entry.intentTime);
      const want = normalizeText(entry.text);
      const found = posts.find((p) => {
        if (claimed.has(`${channel}:${p.id}`) || normalizeText(p.text) !== want) return false;
        if (entry.op === 'schedule') return p.status === 'scheduled' ? !entry.at || Math.abs(Date.parse(p.scheduledAt ?? '') - Date.parse(entry.at)) < 120_000 : p.status === 'published';
        return p.status === 'published' && Date.parse(p.publishedAt ?? '') >= intentMs - SKEW_MS;
      });
      if (found) {
        claimed.add(`${channel}:${found.id}`);
        const status = found.status === 'scheduled' ? 'scheduled' : 'published';
        ledger.outcome({ id: entry.id, channel, hash: entry.hash, status, postId: found.id, url: found.url, via: 'reconcile', ...(status === 'scheduled' && entry.at ? { at: entry.at } : {}) });
        results.push({ id: entry.id, channel, ref: found.ref, ok: true, action: 'reconciled', url: found.url });
      } else if (nowMs - intentMs < settleMs) {
        results.push(errorResult(entry.id, channel, 'unknown', unknownError(entry, `sent ${Math.round((nowMs - intentMs) / 1000)} s ago and not visible yet; too recent to tell`)));
      } else {
        // Not there: the request never landed. The entry may be sent again.
        ledger.outcome({ id: entry.id, channel, hash: entry.hash, status: 'absent', postId: null, url: null, via: 'reconcile' });
      }
    }
  }));
  return results;
}

/** Exit code of a run: unknown (8) first, then conflict (5), then failures (3, or their shared code if nothing succeeded). */
export function scheduleExitCode(results: ScheduleResult[]): number {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return ExitCode.OK;
  const codes = new Set(failed.map((r) => r.error!.exitCode));
  if (codes.has(ExitCode.UNKNOWN_OUTCOME)) return ExitCode.UNKNOWN_OUTCOME;
  if (codes.has(ExitCode.CONFLICT)) return ExitCode.CONFLICT;
  if (failed.length === results.length && codes.size === 1) return [...codes][0]!;
  return ExitCode.PARTIAL;
}

/**
 * Results in a stable order whatever finished first (channels run in parallel): posts.yaml order,
 * then x, facebook, instagram; ids no longer in the file last, by id.
 */
export function orderResults(results: ScheduleResult[], posts: DesiredPost[]): ScheduleResult[] {
  const pos = new Map<string, number>();
  for (const p of posts) if (!pos.has(p.id)) pos.set(p.id, p.index);
  const rank = (r: ScheduleResult) => pos.get(r.id) ?? Number.MAX_SAFE_INTEGER;
  return [...results].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id) || CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel));
}

export function conflictError(p: DesiredPost, entry: LedgerEntry): AdctlError {
  const where = entry.postId ? ` as ${p.channel}:${entry.postId}` : '';
  return new AdctlError('CONFLICT', `${p.id} on ${p.channel} was already ${entry.status}${where} with other content`, ExitCode.CONFLICT, {
    hint: `posts.yaml changed after it was ${entry.status}: give the new content a new id (ids are never reused), or restore the text/media that was ${entry.status}`,
  });
}
