/** Golden tests for the pure checks `post create` and `post publish-due` run before sending. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTime } from '../../src/core/time.js';
import { FACEBOOK_RULES, INSTAGRAM_RULES } from '../../src/plugins/meta/posts.js';
import { X_RULES } from '../../src/plugins/x/posts.js';
import { checkPost, checkSchedule, parseChannels, parsePostRef, readThread, resolveMedia, resultsExitCode } from '../../src/services/posts.js';

const url = (u: string, mimeType?: string) => ({ kind: 'url' as const, url: u, ...(mimeType ? { mimeType } : {}) });
const file = (path: string, mimeType: string) => ({ kind: 'file' as const, path, mimeType, bytes: 1 });

describe('checkPost', () => {
  it('accepts what each channel takes', () => {
    expect(checkPost(X_RULES, { text: 'hi', media: [file('/a.png', 'image/png')] })).toEqual([]);
    expect(checkPost(FACEBOOK_RULES, { text: 'hi', media: [] })).toEqual([]);
    expect(checkPost(INSTAGRAM_RULES, { text: 'hi', media: [url('https://c.example/a.jpg', 'image/jpeg')] })).toEqual([]);
  });

  it('names every problem, per channel', () => {
    expect(checkPost(X_RULES, { text: '字'.repeat(141), media: [file('/v.mp4', 'video/mp4'), file('/a.png', 'image/png')] })).toEqual([
      'X: the text counts 282 characters; X allows 280 (links count 23, CJK and emoji 2) (shorten it, or pass --text-x)',
      'X: a video or GIF must be the only media item',
    ]);
    expect(checkPost(X_RULES, { text: '', media: [] })).toEqual(['X: the post is empty (pass --text or --media)']);
    expect(checkPost(INSTAGRAM_RULES, { text: 'x', media: [] })).toEqual(['Instagram: a post needs an image or a video (--media https://…)']);
    expect(checkPost(INSTAGRAM_RULES, { text: 'x', media: [file('/a.jpg', 'image/jpeg'), url('http://c.example/b.jpg'), url('https://c.example/c.png', 'image/png')] })).toEqual([
      'Instagram: cannot take the local file /a.jpg; use an https URL (Instagram downloads the media itself)',
      'Instagram: http://c.example/b.jpg is not an https URL',
      'Instagram: https://c.example/c.png is image/png; Instagram takes image/jpeg, video/mp4, video/quicktime',
    ]);
    expect(checkPost(FACEBOOK_RULES, { text: 'x', media: Array.from({ length: 11 }, (_, i) => url(`https://c.example/${i}.jpg`)) })).toEqual(['Facebook: 11 media items; Facebook allows 10']);
  });
});

describe('checkSchedule', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  const at = (s: string) => parseTime(s, 'UTC', 'flag');
  it('Facebook: 10 minutes to 30 days ahead', () => {
    expect(checkSchedule(FACEBOOK_RULES, at('2026-11-28T14:00Z'), now, false)).toBeUndefined();
    expect(checkSchedule(FACEBOOK_RULES, at('2026-11-28T12:05Z'), now, false)).toBe('Facebook: 2026-11-28T12:05:00Z is only 5 minutes ahead; Facebook schedules at least 10 minutes ahead');
    expect(checkSchedule(FACEBOOK_RULES, at('2026-11-28T11:00Z'), now, false)).toBe('Facebook: 2026-11-28T11:00:00Z is in the past; Facebook schedules at least 10 minutes ahead');
    expect(checkSchedule(FACEBOOK_RULES, at('2027-01-01T12:00Z'), now, false)).toBe('Facebook: 2027-01-01T12:00:00Z is more than 30 days ahead; Facebook schedules at most 30 days ahead');
  });
  it('X only with --native; Instagram never: both point at posts.yaml and publish-due', () => {
    expect(checkSchedule(X_RULES, at('2026-11-28T14:00Z'), now, true)).toBeUndefined();
    expect(checkSchedule(X_RULES, at('2026-11-28T14:00Z'), now, false)).toMatch(/posts\.yaml .*publish-due.*--native/);
    expect(checkSchedule(INSTAGRAM_RULES, at('2026-11-28T14:00Z'), now, false)).toBe('Instagram: no native scheduling; put the post in posts.yaml and run `adctl post publish-due` from cron or CI');
  });
});

describe('parsing', () => {
  it('channels, refs and media', () => {
    expect(parseChannels(['x,Facebook', 'x'])).toEqual(['x', 'facebook']);
    expect(() => parseChannels(['tiktok'])).toThrow(/"tiktok" is not a channel/);
    expect(parsePostRef('facebook:2001_12')).toEqual({ channel: 'facebook', id: '2001_12' });
    expect(() => parsePostRef('meta:1')).toThrow(/not a post ref/);
    const dir = mkdtempSync(join(tmpdir(), 'adctl-posts-'));
    writeFileSync(join(dir, 'a.JPG'), 'x');
    expect(resolveMedia(['a.JPG', 'https://c.example/v.mp4?x=1'], dir)).toEqual([
      { kind: 'file', path: join(dir, 'a.JPG'), mimeType: 'image/jpeg', bytes: 1 },
      { kind: 'url', url: 'https://c.example/v.mp4?x=1', mimeType: 'video/mp4' },
    ]);
    expect(() => resolveMedia(['missing.png'], dir)).toThrow(/no such file/);
  });

  it('thread files: paragraphs, or a YAML/JSON list; bad items are named by index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-thread-'));
    writeFileSync(join(dir, 't.txt'), 'one\nstill one\n\n\ntwo\n');
    writeFileSync(join(dir, 't.yaml'), '- first\n- "second: with colon"\n');
    writeFileSync(join(dir, 'bad.json'), '["ok", 3]');
    expect(await readThread(join(dir, 't.txt'))).toEqual(['one\nstill one', 'two']);
    expect(await readThread(join(dir, 't.yaml'))).toEqual(['first', 'second: with colon']);
    await expect(readThread(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json\[1\]: expected a list of non-empty strings/);
  });

  it('exit codes: 0, the shared code when all failed alike, else 3', () => {
    const ok = { channel: 'x' as const, ok: true };
    const fail = (exitCode: number) => ({ channel: 'facebook' as const, ok: false, error: { code: 'E', message: 'm', hint: null, exitCode } });
    expect(resultsExitCode([ok, ok])).toBe(0);
    expect(resultsExitCode([ok, fail(1)])).toBe(3);
    expect(resultsExitCode([fail(8)])).toBe(8);
    expect(resultsExitCode([fail(1), fail(8)])).toBe(3);
  });
});
