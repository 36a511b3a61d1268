/**
 * Golden tests for the `post sync` planner: fixed inputs, the exact changes written out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/core/model.js';
import { contentHash, type DesiredPost } from '../../src/core/posts-file.js';
import type { LedgerEntry } from '../../src/services/ledger.js';
import { planSync, type LiveState, type SyncPlanInput } from '../../src/services/sync-plan.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const H = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const FB = { minSeconds: 600, maxSeconds: 30 * 86_400 };
const XW = { minSeconds: 60, maxSeconds: 365 * 86_400 };

function desired(id: string, channel: Channel, offsetMs: number, text = `${id} text`): DesiredPost {
  return { id, channel, at: at(NOW + offsetMs), atMs: NOW + offsetMs, text, media: [], hash: contentHash(text, []), index: 0 };
}

function scheduled(p: DesiredPost, postId: string, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return { id: p.id, channel: p.channel, status: 'scheduled', hash: p.hash, text: p.text, op: 'schedule', intentTime: at(NOW - H), postId, url: null, at: p.at, ...over };
}

function plan(input: Partial<SyncPlanInput> & Pick<SyncPlanInput, 'desired'>) {
  return planSync({ ledger: [], live: new Map(), nowMs: NOW, windows: { x: null, facebook: FB, instagram: null }, ...input });
}

describe('sync planner (golden)', () => {
  it('new entries: schedule inside the native window, everything else left to publish-due', () => {
    const r = plan({
      desired: [
        desired('soon', 'facebook', 5 * 60_000), desired('tomorrow', 'facebook', 24 * H), desired('tomorrow', 'instagram', 24 * H),
        desired('tomorrow', 'x', 24 * H), desired('far', 'facebook', 40 * 24 * H), desired('past', 'facebook', -H),
      ],
    });
    expect(r.changes).toEqual([{ id: 'tomorrow', channel: 'facebook', action: 'schedule', at: '2026-12-02T12:00:00Z', reason: 'new' }]);
    expect(r.local).toEqual([
      { id: 'past', channel: 'facebook', at: '2026-12-01T11:00:00Z', reason: 'due now' },
      { id: 'soon', channel: 'facebook', at: '2026-12-01T12:05:00Z', reason: 'less than 10 minutes ahead' },
      { id: 'tomorrow', channel: 'x', at: '2026-12-02T12:00:00Z', reason: 'X: native scheduling needs --native and an ads account' },
      { id: 'tomorrow', channel: 'instagram', at: '2026-12-02T12:00:00Z', reason: 'instagram: no native scheduling' },
      { id: 'far', channel: 'facebook', at: '2027-01-10T12:00:00Z', reason: 'more than 30 days ahead: a later sync schedules it' },
    ]);
    expect(r.conflicts).toEqual([]);
  });

  it('X joins native scheduling when its window is given (--native with an ads account)', () => {
    const r = plan({ desired: [desired('t', 'x', 2 * H)], windows: { x: XW, facebook: FB, instagram: null } });
    expect(r.changes).toEqual([{ id: 't', channel: 'x', action: 'schedule', at: '2026-12-01T14:00:00Z', reason: 'new' }]);
  });

  it('already scheduled and unchanged: no changes (idempotent)', () => {
    const p = desired('a', 'facebook', 24 * H);
    const r = plan({ desired: [p], ledger: [scheduled(p, '2001_9')], live: new Map<string, LiveState>([['facebook:2001_9', 'scheduled']]) });
    expect(r).toEqual({ changes: [], local: [], conflicts: [] });
  });

  it('changed text or time: reschedule; new time outside the window: unschedule and leave to publish-due', () => {
    const old = desired('a', 'facebook', 24 * H);
    const live = new Map<string, LiveState>([['facebook:2001_9', 'scheduled'], ['facebook:2001_8', 'scheduled']]);
    const oldB = desired('b', 'facebook', 24 * H);
    const r = plan({
      desired: [desired('a', 'facebook', 24 * H, 'new words'), desired('b', 'facebook', 5 * 60_000)],
      ledger: [scheduled(old, '2001_9'), scheduled(oldB, '2001_8')], live,
    });
    expect(r.changes).toEqual([
      { id: 'b', channel: 'facebook', action: 'unschedule', postId: '2001_8', reason: 'time changed; the new time cannot be scheduled natively (less than 10 minutes ahead)' },
      { id: 'a', channel: 'facebook', action: 'reschedule', at: '2026-12-02T12:00:00Z', postId: '2001_9', reason: 'text/media changed' },
    ]);
    expect(r.local).toEqual([{ id: 'b', channel: 'facebook', at: '2026-12-01T12:05:00Z', reason: 'less than 10 minutes ahead' }]);
  });

  it('removed from posts.yaml: unschedule; vanished before its time: schedule again; published or past: record, never re-post', () => {
    const gone = desired('gone', 'facebook', 24 * H);
    const vanished = desired('vanished', 'facebook', 48 * H);
    const fired = desired('fired', 'facebook', -H);
    const out = desired('out', 'facebook', 2 * H);
    const r = plan({
      desired: [vanished, fired, out],
      ledger: [scheduled(gone, '2001_1'), scheduled(vanished, '2001_2'), scheduled(fired, '2001_3'), scheduled(out, '2001_4')],
      live: new Map<string, LiveState>([['facebook:2001_1', 'scheduled'], ['facebook:2001_2', 'missing'], ['facebook:2001_3', 'missing'], ['facebook:2001_4', 'published']]),
    });
    expect(r.changes).toEqual([
      { id: 'fired', channel: 'facebook', action: 'record', status: 'published', postId: '2001_3', at: '2026-12-01T11:00:00Z', reason: 'its time passed and it left the schedule: counted as published, never re-posted' },
      { id: 'out', channel: 'facebook', action: 'record', status: 'published', postId: '2001_4', at: '2026-12-01T14:00:00Z', reason: 'the platform published it' },
      { id: 'vanished', channel: 'facebook', action: 'schedule', at: '2026-12-03T12:00:00Z', reason: 'the scheduled post is gone from the platform; scheduling it again' },
      { id: 'gone', channel: 'facebook', action: 'unschedule', postId: '2001_1', at: '2026-12-02T12:00:00Z', reason: 'removed from posts.yaml' },
    ]);
  });

  it('published entries: nothing, or a conflict when the content changed; unknown outcomes: reconcile first', () => {
    const p = desired('pub', 'x', -H);
    const published: LedgerEntry = { ...scheduled(p, '19'), status: 'published', op: 'publish', at: null };
    const u = desired('unk', 'facebook', 24 * H);
    const r = plan({
      desired: [desired('pub', 'x', -H, 'edited'), u],
      ledger: [published, { ...scheduled(u, '2001_5'), status: 'pending' }],
    });
    expect(r.changes).toEqual([{ id: 'unk', channel: 'facebook', action: 'reconcile', reason: 'the last send has an unknown outcome: look it up before anything else' }]);
    expect(r.conflicts.map((c) => [c.post.id, c.entry.postId])).toEqual([['pub', '19']]);
  });
});
