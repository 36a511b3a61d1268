/**
 * `post sync -f posts.yaml`: gathers the planner's inputs (posts.yaml, the ledger, the live state
 * of every post the ledger scheduled), plans (sync-plan.ts, pure) and, unless `--plan`, applies the
 * changes one by one, recording each step in the ledger (intent before a create, outcome after)
 * and in the audit log. Shares the ledger, its lock and reconciliation with `publish-due`.
 *
 * Native scheduling: Facebook (`scheduled_publish_time`, 10 minutes to 30 days ahead) always;
 * X (`scheduled_tweets`) only with `--native` and an ads account; Instagram never. Everything
 * else stays in posts.yaml for `publish-due`.
 */
import { AdctlError } from '../core/errors.js';
import type { Channel } from '../core/model.js';
import { CHANNELS } from '../core/vocabulary.js';
import type { DesiredPost } from '../core/posts-file.js';
import { Ledger, LedgerLock } from './ledger.js';
import { auditPost } from './posts.js';
import {
  asAdctlError, ChannelTools, conflictError, errorResult, loadSchedule, orderResults, prepareMedia, reconcile, scheduleExitCode, unknownError, type ScheduleResult,
} from './schedule.js';
import type { Session } from './session.js';
import { planSync, type LiveState, type LocalEntry, type SyncChange, type SyncPlanInput } from './sync-plan.js';

export interface SyncRequest {
  file: string;
  ledger: string;
  tz?: string | undefined;
  plan: boolean;
  native: boolean;
  lockTimeoutMs: number;
  onNotice?: ((line: string) => void) | undefined;
}

export interface SyncOutcome {
  changes: SyncChange[];
  local: LocalEntry[];
  results: ScheduleResult[];
  exitCode: number;
}

async function liveStates(tools: ChannelTools, ledger: Ledger): Promise<Map<string, LiveState>> {
  const live = new Map<string, LiveState>();
  for (const e of ledger.entries.values()) {
    if (e.status !== 'scheduled' || !e.postId) continue;
    const { adapter } = await tools.get(e.channel);
    try {
      const p = await adapter.getPost!(e.channel, e.postId);
      live.set(`${e.channel}:${e.postId}`, p.status === 'scheduled' ? 'scheduled' : p.status === 'published' ? 'published' : 'missing');
    } catch (err) {
      if (err instanceof AdctlError && err.code === 'NOT_FOUND') live.set(`${e.channel}:${e.postId}`, 'missing');
      else throw err;
    }
  }
  return live;
}

export async function syncPosts(session: Session, req: SyncRequest, clock: () => number = Date.now): Promise<SyncOutcome> {
  const schedule = loadSchedule(session, req.file, req.tz);
  if (schedule.zone) req.onNotice?.(`Local times in ${req.file} are read in ${schedule.zone}; times in --json are UTC.`);
  const tools = new ChannelTools(session);
  const peek = Ledger.peek(req.ledger);
  const channels = CHANNELS.filter((c) => schedule.posts.some((p) => p.channel === c) || [...peek.entries.values()].some((e) => e.channel === c));
  const windows: Record<Channel, SyncPlanInput['windows'][Channel]> = { x: null, facebook: null, instagram: null };
  for (const c of channels) {
    const { rules } = await tools.get(c);
    windows[c] = c === 'x' && !(req.native && session.accountId('x')) ? null : rules.schedulingWindow;
  }

  const lock = req.plan || session.dryRun ? undefined : await LedgerLock.acquire(req.ledger, { timeoutMs: req.lockTimeoutMs });
  try {
    const ledger = lock ? Ledger.open(req.ledger) : peek;
    const results: ScheduleResult[] = [];
    if (lock) results.push(...await reconcile(tools, ledger, Math.max(500, session.settings.timeoutMs)));
    const plan = planSync({ desired: schedule.posts, ledger: [...ledger.entries.values()], live: await liveStates(tools, ledger), nowMs: clock(), windows });
    for (const c of plan.conflicts) results.push(errorResult(c.post.id, c.post.channel, 'conflict', conflictError(c.post, c.entry)));
    if (!lock) return { changes: plan.changes, local: plan.local, results, exitCode: scheduleExitCode(results) };

    const desired = new Map(schedule.posts.map((p) => [`${p.id}\u0000${p.channel}`, p]));
    const toSend = plan.changes.filter((c) => c.action === 'schedule' || c.action === 'reschedule').map((c) => desired.get(`${c.id}\u0000${c.channel}`)!);
    const media = await prepareMedia(tools, schedule, toSend);

    for (const change of plan.changes) {
      const entry = ledger.get(change.id, change.channel);
      const step = { id: change.id, channel: change.channel };
      try {
        const { adapter } = await tools.get(change.channel);
        if (change.action === 'record') {
          ledger.outcome({ ...step, hash: entry!.hash, status: change.status!, postId: change.postId ?? null, url: entry!.url, via: 'live' });
          results.push({ ...step, ref: change.postId ? `${change.channel}:${change.postId}` : null, ok: true, action: `recorded ${change.status}` });
          continue;
        }
        if (change.action === 'reconcile') continue; // still unknown after reconcile: reported there
        if ((change.action === 'unschedule' || change.action === 'reschedule') && change.postId) {
          await unschedule(session, adapter.deletePost!.bind(adapter), change.channel, change.postId);
          ledger.outcome({ ...step, hash: entry!.hash, status: 'unscheduled', postId: change.postId, url: null, via: 'sync' });
          if (change.action === 'unschedule') {
            results.push({ ...step, ref: `${change.channel}:${change.postId}`, ok: true, action: 'unscheduled' });
            continue;
          }
        }
        const p = desired.get(`${change.id}\u0000${change.channel}`)!;
        results.push(await scheduleOne(session, ledger, adapter.createPost!.bind(adapter), p, media.get(p) ?? [], change.action === 'reschedule' ? 'rescheduled' : 'scheduled'));
      } catch (e) {
        const err = asAdctlError(e, change.channel);
        results.push(errorResult(change.id, change.channel, 'failed', err));
      }
    }
    return { changes: plan.changes, local: plan.local, results: orderResults(results, schedule.posts), exitCode: scheduleExitCode(results) };
  } finally {
    lock?.release();
  }
}

async function unschedule(session: Session, del: (channel: Channel, id: string) => Promise<void>, channel: Channel, postId: string): Promise<void> {
  try {
    await del(channel, postId);
  } catch (e) {
    auditPost(session, { operation: 'post.delete', channel, ref: `${channel}:${postId}`, before: null, after: null, error: asAdctlError(e, channel) });
    throw e;
  }
  auditPost(session, { operation: 'post.delete', channel, ref: `${channel}:${postId}`, before: null, after: null });
}

async function scheduleOne(
  session: Session, ledger: Ledger, create: NonNullable<import('../core/adapter.js').PlatformAdapter['createPost']>, p: DesiredPost,
  media: import('../core/model.js').MediaInput[], action: string,
): Promise<ScheduleResult> {
  const step = { id: p.id, channel: p.channel };
  ledger.intent({ ...step, hash: p.hash, op: 'schedule', text: p.text, at: p.at });
  try {
    const post = await create({ channel: p.channel, text: p.text, media, scheduledAt: p.at });
    // The ledger keeps the time asked for: X rounds to the minute, and comparing its rounded time
    // with posts.yaml would reschedule on every sync.
    ledger.outcome({ ...step, hash: p.hash, status: 'scheduled', postId: post.id, url: post.url, via: 'sync', at: p.at });
    auditPost(session, { operation: 'post.create', channel: p.channel, ref: post.ref, before: null, after: post });
    return { ...step, ref: post.ref, ok: true, action, at: post.scheduledAt ?? p.at };
  } catch (e) {
    const err = asAdctlError(e, p.channel);
    const unknown = err.code === 'UNKNOWN_OUTCOME' || !(e instanceof AdctlError);
    ledger.outcome({ ...step, hash: p.hash, status: unknown ? 'unknown' : 'failed', postId: null, url: null, via: 'sync', error: { code: err.code, message: err.message } });
    auditPost(session, { operation: 'post.create', channel: p.channel, ref: null, before: null, after: null, error: err });
    return errorResult(p.id, p.channel, unknown ? 'unknown' : 'failed', unknown ? unknownError(ledger.get(p.id, p.channel)!, err.message) : err);
  }
}

