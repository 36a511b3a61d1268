/**
 * The `post sync` planner: a pure function from (desired entries, ledger, live state of the posts
 * the ledger scheduled, now, native windows) to the changes that would make the platforms match
 * posts.yaml. No I/O, no clock: `sync.ts` gathers the inputs and applies the changes; golden tests
 * pin the decisions (test/services/sync-plan.test.ts).
 *
 * Decisions, per entry × channel:
 * - already published: nothing (other content → conflict);
 * - outcome unknown in the ledger: `reconcile` first, nothing else for it;
 * - scheduled natively earlier: nothing when content and time match and the post is still
 *   scheduled; `reschedule` (delete + schedule) when they changed; `schedule` again when it vanished
 *   before its time; `record` when the platform published it (or its time passed: never re-posted);
 * - not scheduled: `schedule` when the channel can schedule natively now and the time is inside the
 *   channel's window; otherwise left to `publish-due` (listed in `local`, not a change);
 * and `unschedule` for a native schedule whose entry or channel left posts.yaml.
 * Idempotent: applying the changes and planning again yields no changes.
 */
import type { Channel } from '../core/model.js';
import type { DesiredPost } from '../core/posts-file.js';
import type { LedgerEntry } from './ledger.js';

export type LiveState = 'scheduled' | 'published' | 'missing';

export interface SyncChange {
  action: 'schedule' | 'reschedule' | 'unschedule' | 'record' | 'reconcile';
  id: string;
  channel: Channel;
  /** UTC time the post is (to be) scheduled for. */
  at?: string | undefined;
  /** The platform id concerned (the scheduled post to remove or record). */
  postId?: string | null | undefined;
  /** For `record`: what the ledger will say. */
  status?: 'published' | 'unscheduled' | undefined;
  reason: string;
}

export interface LocalEntry {
  id: string;
  channel: Channel;
  at: string;
  reason: string;
}

export interface SyncPlanInput {
  desired: DesiredPost[];
  ledger: LedgerEntry[];
  /** `channel:postId` → live state, for every ledger entry with status scheduled. */
  live: ReadonlyMap<string, LiveState>;
  nowMs: number;
  /** Native scheduling windows usable in this run (null: none for that channel now). */
  windows: Readonly<Record<Channel, { minSeconds: number; maxSeconds: number } | null>>;
}

export interface SyncPlan {
  changes: SyncChange[];
  local: LocalEntry[];
  conflicts: Array<{ post: DesiredPost; entry: LedgerEntry }>;
}

const span = (s: number) => (s % 86_400 === 0 ? `${s / 86_400} days` : s % 3600 === 0 ? `${s / 3600} hours` : `${Math.round(s / 60)} minutes`);

/** Why this channel cannot take this time natively now, or undefined when it can. */
function outsideWindow(input: SyncPlanInput, p: DesiredPost): string | undefined {
  const w = input.windows[p.channel];
  if (!w) return p.channel === 'x' ? 'X: native scheduling needs --native and an ads account' : `${p.channel}: no native scheduling`;
  const ahead = (p.atMs - input.nowMs) / 1000;
  if (ahead <= 0) return 'due now';
  if (ahead < w.minSeconds) return `less than ${span(w.minSeconds)} ahead`;
  if (ahead > w.maxSeconds) return `more than ${span(w.maxSeconds)} ahead: a later sync schedules it`;
  return undefined;
}

export function planSync(input: SyncPlanInput): SyncPlan {
  const changes: SyncChange[] = [];
  const local: LocalEntry[] = [];
  const conflicts: SyncPlan['conflicts'] = [];
  const byKey = new Map(input.ledger.map((e) => [`${e.id}\u0000${e.channel}`, e]));
  const wanted = new Set<string>();

  for (const p of [...input.desired].sort(order)) {
    const k = `${p.id}\u0000${p.channel}`;
    wanted.add(k);
    const e = byKey.get(k);
    const base = { id: p.id, channel: p.channel };
    if (e && (e.status === 'pending' || e.status === 'unknown')) {
      changes.push({ ...base, action: 'reconcile', reason: 'the last send has an unknown outcome: look it up before anything else' });
      continue;
    }
    if (e?.status === 'published') {
      if (e.hash !== p.hash) conflicts.push({ post: p, entry: e });
      continue;
    }
    const why = outsideWindow(input, p);
    if (e?.status === 'scheduled') {
      const live = input.live.get(`${p.channel}:${e.postId}`) ?? 'missing';
      const timePassed = e.at !== null && Date.parse(e.at) <= input.nowMs;
      if (live === 'published' || (live === 'missing' && timePassed)) {
        if (e.hash !== p.hash) conflicts.push({ post: p, entry: e });
        changes.push({ ...base, action: 'record', status: 'published', postId: e.postId, at: e.at ?? undefined, reason: live === 'published' ? 'the platform published it' : 'its time passed and it left the schedule: counted as published, never re-posted' });
        continue;
      }
      const same = e.hash === p.hash && e.at === p.at;
      if (same && live === 'scheduled') continue;
      if (same) {
        // Vanished before its time (deleted on the platform): posts.yaml is the source of truth.
        if (!why) changes.push({ ...base, action: 'schedule', at: p.at, reason: 'the scheduled post is gone from the platform; scheduling it again' });
        else {
          changes.push({ ...base, action: 'record', status: 'unscheduled', postId: e.postId, reason: 'the scheduled post is gone from the platform' });
          local.push({ ...base, at: p.at, reason: why });
        }
        continue;
      }
      const what = e.hash !== p.hash ? (e.at !== p.at ? 'text/media and time changed' : 'text/media changed') : 'time changed';
      if (!why) changes.push({ ...base, action: 'reschedule', at: p.at, postId: e.postId, reason: what });
      else {
        changes.push({ ...base, action: 'unschedule', postId: e.postId, reason: `${what}; the new time cannot be scheduled natively (${why})` });
        local.push({ ...base, at: p.at, reason: why });
      }
      continue;
    }
    if (why) local.push({ ...base, at: p.at, reason: why });
    else changes.push({ ...base, action: 'schedule', at: p.at, reason: 'new' });
  }

  // Native schedules whose entry (or channel) left posts.yaml.
  for (const e of [...input.ledger].sort((a, b) => a.id.localeCompare(b.id) || a.channel.localeCompare(b.channel))) {
    if (wanted.has(`${e.id}\u0000${e.channel}`) || e.status !== 'scheduled') continue;
    const live = input.live.get(`${e.channel}:${e.postId}`) ?? 'missing';
    const base = { id: e.id, channel: e.channel, postId: e.postId };
    if (live === 'scheduled') changes.push({ ...base, action: 'unschedule', at: e.at ?? undefined, reason: 'removed from posts.yaml' });
    else changes.push({ ...base, action: 'record', status: live === 'published' || (e.at !== null && Date.parse(e.at) <= input.nowMs) ? 'published' : 'unscheduled', reason: `removed from posts.yaml; ${live === 'published' ? 'already published' : 'no longer scheduled on the platform'}` });
  }
  return { changes, local, conflicts };
}

const CHANNEL_ORDER: Record<Channel, number> = { x: 0, facebook: 1, instagram: 2 };
function order(a: DesiredPost, b: DesiredPost): number {
  return a.atMs - b.atMs || a.id.localeCompare(b.id) || CHANNEL_ORDER[a.channel] - CHANNEL_ORDER[b.channel];
}
