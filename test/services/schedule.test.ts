import { describe, expect, it } from 'vitest';
import { normalizeText, orderResults, scheduleExitCode, type ScheduleResult } from '../../src/services/schedule.js';
import type { DesiredPost } from '../../src/core/posts-file.js';

const ok = (id: string, channel: ScheduleResult['channel']): ScheduleResult => ({ id, channel, ref: null, ok: true, action: 'published' });
const fail = (id: string, exitCode: number): ScheduleResult => ({ id, channel: 'x', ref: null, ok: false, action: 'failed', error: { code: 'E', message: 'm', hint: null, exitCode } });

describe('schedule helpers', () => {
  it('recognises text as X echoes it back (entities, t.co links, spacing) and nothing looser', () => {
    expect(normalizeText('Fish & chips <today>\n\nhttps://example.com/menu?a=1')).toBe(normalizeText('Fish &amp; chips &lt;today&gt; https://t.co/AbC123'));
    expect(normalizeText('Caf\u0065\u0301')).toBe(normalizeText('Caf\u00e9'));
    expect(normalizeText('open today')).not.toBe(normalizeText('open tomorrow'));
  });

  it('exit codes: unknown (8) before conflict (5) before partial (3); one shared failure keeps its code', () => {
    expect(scheduleExitCode([ok('a', 'x')])).toBe(0);
    expect(scheduleExitCode([ok('a', 'x'), fail('b', 1)])).toBe(3);
    expect(scheduleExitCode([fail('a', 1), fail('b', 1)])).toBe(1);
    expect(scheduleExitCode([fail('a', 5), fail('b', 1), ok('c', 'x')])).toBe(5);
    expect(scheduleExitCode([fail('a', 5), fail('b', 8)])).toBe(8);
  });

  it('orders results by posts.yaml, then channel, whatever finished first', () => {
    const posts = [{ id: 'b', index: 0 }, { id: 'a', index: 1 }] as DesiredPost[];
    const out = orderResults([ok('a', 'x'), ok('gone', 'x'), ok('b', 'instagram'), ok('b', 'x')], posts);
    expect(out.map((r) => `${r.id}/${r.channel}`)).toEqual(['b/x', 'b/instagram', 'a/x', 'gone/x']);
  });
});
