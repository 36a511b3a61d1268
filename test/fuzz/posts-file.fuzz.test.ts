/**
 * Hostile inputs for the posts.yaml parser (issue 7 item 3): every input gives a valid schedule or
 * one usage error (exit 64) listing problems with paths, never another exception. `npm test` runs a
 * few hundred cases per property; `npm run test:reliability` sets ADCTL_FUZZ_RUNS=10000.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { CHANNELS } from '../../src/core/model.js';
import { parsePostsFile, type ParsedPostsFile } from '../../src/core/posts-file.js';
import { fuzzFigures } from '../helpers/figures.js';

const RUNS = Number(process.env.ADCTL_FUZZ_RUNS ?? 300);

const fuzz = fuzzFigures('fuzz: posts.yaml', ['generated posts.yaml files']);

function parseOr64(text: string, defaultZone?: string): ParsedPostsFile | AdctlError {
  const r = fuzz.usageOr(() => parsePostsFile(text, { defaultZone }));
  if (r instanceof AdctlError) {
    expect(r.message.split('\n')).toHaveLength(1);
    expect((r.details?.problems as string[]).length).toBeGreaterThan(0);
  }
  return r;
}

function checkValid(r: ParsedPostsFile): void {
  const ids = new Set(r.file.posts.map((p) => p.id));
  expect(ids.size).toBe(r.file.posts.length);
  expect(r.posts.length).toBe(r.file.posts.reduce((n, p) => n + new Set(p.channels).size, 0));
  for (const p of r.posts) {
    expect(CHANNELS).toContain(p.channel);
    expect(p.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Number.isFinite(p.atMs)).toBe(true);
    expect(p.hash).toMatch(/^sha256:[0-9a-f]{32}$/);
  }
}

const zone = fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC', 'Australia/Lord_Howe', 'Nowhere/Else', '');
const time = fc.oneof(
  fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom('', 'Z', '+01:00', '-05:30', '+24:00'))
    .map(([y, mo, d, h, mi, off]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}${off}`),
  fc.string({ maxLength: 30 }),
);
const anything = fc.anything({ maxDepth: 2 });
const override = fc.option(fc.record({ text: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), media: fc.option(fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), { nil: undefined }) }, { requiredKeys: [] }), { nil: undefined });
const entry = fc.record({
  id: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/), fc.string({ maxLength: 10 }), fc.integer()),
  at: fc.oneof(time, anything),
  channels: fc.oneof(fc.array(fc.constantFrom('x', 'facebook', 'instagram', 'myspace'), { maxLength: 4 }), anything),
  text: fc.option(fc.oneof(fc.string({ maxLength: 60 }), anything), { nil: undefined }),
  media: fc.option(fc.array(fc.oneof(fc.webUrl(), fc.string({ maxLength: 20 }), fc.constant('ftp://h/a.png')), { maxLength: 3 }), { nil: undefined }),
  x: override, facebook: override, instagram: override,
  extra: fc.option(anything, { nil: undefined }),
}, { requiredKeys: ['id', 'at', 'channels'] });
const file = fc.record({
  version: fc.oneof(fc.constant(1), anything),
  timezone: fc.option(zone, { nil: undefined }),
  posts: fc.oneof(fc.array(entry, { maxLength: 5 }), anything),
}, { requiredKeys: ['version'] });

describe('posts.yaml parser (fuzz)', () => {
  it('any text: a schedule or exit 64, nothing else', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
      const r = parseOr64(text);
      if (!(r instanceof AdctlError)) checkValid(r);
    }), { numRuns: RUNS });
  });

  it('posts-file-shaped documents with hostile fields: a schedule or exit 64 with paths', () => {
    fc.assert(fc.property(file, fc.option(zone, { nil: undefined }), (doc, defaultZone) => {
      let text: string;
      try {
        text = stringify(doc);
      } catch {
        return; // not representable as YAML: nothing to feed the parser
      }
      const r = parseOr64(text, defaultZone || undefined);
      if (r instanceof AdctlError) {
        for (const p of r.details!.problems as string[]) expect(p).toMatch(/^(line \d+|[a-z(][^:]*):/);
      } else {
        checkValid(r);
      }
    }), { numRuns: RUNS });
  });

  it('well-formed schedules with offsets always parse, and times survive exactly', () => {
    const good = fc.array(fc.record({
      at: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
      channels: fc.uniqueArray(fc.constantFrom(...CHANNELS), { minLength: 1 }),
      text: fc.string({ minLength: 1, maxLength: 50 }).filter((s) => s.trim().length > 0),
    }), { maxLength: 6 });
    fc.assert(fc.property(good, (list) => {
      const doc = { version: 1, posts: list.map((p, i) => ({ id: `p${i}`, at: p.at.toISOString(), channels: p.channels, text: p.text })) };
      const r = parsePostsFile(stringify(doc));
      checkValid(r);
      r.posts.forEach((p) => expect(p.atMs).toBe(Math.floor(list[p.index]!.at.getTime() / 1000) * 1000));
    }), { numRuns: RUNS });
  });
});
