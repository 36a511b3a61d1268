/**
 * `post publish-due -f posts.yaml --ledger FILE`: the CI cron command (issue 5).
 *
 * One run, under the ledger lock from start to end:
 * 1. reconcile every unknown outcome in the ledger (schedule.ts) before anything is sent;
 * 2. for every entry × channel whose time has come and that the ledger has not recorded as
 *    published or scheduled: write the intent (fsync'd), send, write the outcome.
 *    - a platform "duplicate content" refusal (DUPLICATE_CONTENT) counts as published;
 *    - an unknown outcome (timeout after sending, 5xx on a create, anything unexpected) is
 *      recorded as unknown and the run exits 8; the next run reconciles it;
 *    - any other failure certainly did not post (failed) and is tried again next run;
 * 3. an entry already published with other content is a conflict (exit 5), never re-sent.
 * Channels run in parallel, entries within a channel in time order, one at a time.
 * Idempotent: a second run right after a successful one sends nothing.
 */
import { DryRunIntercepted } from '../core/dry-run.js';
import { AdctlError, ExitCode } from '../core/errors.js';
import type { Channel } from '../core/model.js';
import type { DesiredPost } from '../core/posts-file.js';
import { Ledger, LedgerLock, type LedgerEntry } from './ledger.js';
import { auditPost } from './posts.js';
import {
  asAdctlError, ChannelTools, conflictError, errorResult, loadSchedule, orderResults, prepareMedia, reconcile, scheduleExitCode, unknownError, type ScheduleResult,
} from './schedule.js';
import type { Session } from './session.js';

export interface PublishDueRequest {
  file: string;
  ledger: string;
  tz?: string | undefined;
  /** How long to wait for another run's lock. */
  lockTimeoutMs: number;
  /** Entries due longer ago than this are skipped (not sent), when set. */
  maxLateMs?: number | undefined;
  onNotice?: ((line: string) => void) | undefined;
}

export interface PublishDueOutcome {
  results: ScheduleResult[];
  exitCode: number;
}

/** Already handled: published by us, or scheduled natively (the platform publishes it). */
const done = (e: LedgerEntry | undefined) => e !== undefined && (e.status === 'published' || e.status === 'scheduled');
/** Safe to send: never sent, certainly not applied, or looked up and not found. */
const sendable = (e: LedgerEntry | undefined) => e === undefined || e.status === 'failed' || e.status === 'absent' || e.status === 'unscheduled';

export async function publishDue(session: Session, req: PublishDueRequest, clock: () => number = Date.now): Promise<PublishDueOutcome> {
  const schedule = loadSchedule(session, req.file, req.tz);
  if (schedule.zone) req.onNotice?.(`Local times in ${req.file} are read in ${schedule.zone}; times in --json are UTC.`);
  const tools = new ChannelTools(session);
  const startMs = clock();
  const isDue = (p: DesiredPost) => p.atMs <= startMs;
  const tooLate = (p: DesiredPost) => req.maxLateMs !== undefined && startMs - p.atMs > req.maxLateMs;

  // Local checks before the lock and before any request: what this run would send (exit 64).
  const peek = Ledger.peek(req.ledger);
  const candidates = schedule.posts.filter((p) => isDue(p) && !tooLate(p) && !done(peek.get(p.id, p.channel)));
  const media = await prepareMedia(tools, schedule, candidates);

  const dry = session.dryRun;
  const lock = dry ? undefined : await LedgerLock.acquire(req.ledger, {
    timeoutMs: req.lockTimeoutMs,
    onWait: (o) => req.onNotice?.(`Waiting for another run to release the ledger lock${o ? ` (pid ${o.pid})` : ''}…`),
  });
  try {
    const ledger = dry ? peek : Ledger.open(req.ledger);
    const results: ScheduleResult[] = [];
    // 1. Reconcile first: nothing is sent for an entry whose last send may have landed.
    if (!dry) results.push(...await reconcile(tools, ledger, Math.max(500, session.settings.timeoutMs)));

    // 2. Publish what is due, per channel.
    const byChannel = new Map<Channel, DesiredPost[]>();
    for (const p of schedule.posts.filter(isDue).sort((a, b) => a.atMs - b.atMs)) {
      const entry = ledger.get(p.id, p.channel);
      if (done(entry)) {
        if (entry!.hash !== p.hash) results.push(errorResult(p.id, p.channel, 'conflict', conflictError(p, entry!), entry!.postId ? `${p.channel}:${entry!.postId}` : null));
        continue;
      }
      if (!sendable(entry)) continue; // still unknown: reported by reconcile
      if (tooLate(p)) {
        results.push({ id: p.id, channel: p.channel, ref: null, ok: true, action: 'skipped-late', at: p.at });
        continue;
      }
      byChannel.set(p.channel, [...(byChannel.get(p.channel) ?? []), p]);
    }

    // A post that became sendable since the first look (another run unscheduled it) is checked too.
    const unchecked = [...byChannel.values()].flat().filter((p) => !media.has(p));
    if (unchecked.length) for (const [p, m] of await prepareMedia(tools, schedule, unchecked)) media.set(p, m);

    await Promise.all([...byChannel].map(async ([channel, posts]) => {
      let adapter;
      try {
        ({ adapter } = await tools.get(channel));
      } catch (e) {
        // Nothing was sent for this channel; the others go on (the run never ends with sends in flight).
        for (const p of posts) results.push(errorResult(p.id, channel, 'failed', asAdctlError(e, channel)));
        return;
      }
      for (const p of posts) {
        const input = { channel, text: p.text, media: media.get(p) ?? [] };
        if (!dry) ledger.intent({ id: p.id, channel, hash: p.hash, op: 'publish', text: p.text, at: p.at });
        try {
          const post = await adapter.createPost!(input);
          ledger.outcome({ id: p.id, channel, hash: p.hash, status: 'published', postId: post.id, url: post.url, via: 'create' });
          auditPost(session, { operation: 'post.create', channel, ref: post.ref, before: null, after: post });
          results.push({ id: p.id, channel, ref: post.ref, ok: true, action: 'published', url: post.url });
        } catch (e) {
          if (e instanceof DryRunIntercepted) {
            results.push({ id: p.id, channel, ref: null, ok: true, action: 'dry-run', requests: [e.request] });
            continue;
          }
          const err = asAdctlError(e, channel);
          if (err.code === 'DUPLICATE_CONTENT') {
            // The platform already has this very content: it was published (by us or before us).
            ledger.outcome({ id: p.id, channel, hash: p.hash, status: 'published', postId: null, url: null, via: 'duplicate' });
            results.push({ id: p.id, channel, ref: null, ok: true, action: 'duplicate' });
            continue;
          }
          const unknown = err.code === 'UNKNOWN_OUTCOME' || !(e instanceof AdctlError);
          ledger.outcome({ id: p.id, channel, hash: p.hash, status: unknown ? 'unknown' : 'failed', postId: null, url: null, via: 'create', error: { code: err.code, message: err.message } });
          auditPost(session, { operation: 'post.create', channel, ref: null, before: null, after: null, error: err });
          const entry = ledger.get(p.id, channel)!;
          results.push(errorResult(p.id, channel, unknown ? 'unknown' : 'failed', unknown ? unknownError(entry, err.message) : err));
          // Auth or configuration problems hit every later entry of this channel the same way.
          if (err.exitCode === ExitCode.AUTH || err.exitCode === ExitCode.CONFIG) break;
        }
      }
    }));
    return { results: orderResults(results, schedule.posts), exitCode: scheduleExitCode(results) };
  } finally {
    lock?.release();
  }
}
