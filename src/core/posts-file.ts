/**
 * `posts.yaml` (DESIGN §12): one zod schema gives the types, the validation and the published JSON
 * Schema (`adctl schema posts`). Pure: no clock and no file system here; the caller reads the file
 * and resolves media paths (relative to the YAML file's directory).
 *
 * Contracts:
 * - Every problem is reported with its path (`posts[3].at: …`), all at once, as one usage error
 *   (exit 64). Nothing is sent when the file is invalid.
 * - `at` is RFC 3339 with an offset, or a local wall time read in `timezone` (then `--tz`/ADCTL_TZ);
 *   a local time in a DST gap or at an ambiguous fall-back hour is refused (DESIGN §10). A local
 *   time with no zone anywhere is refused too: a calendar must not move with the machine's zone.
 * - An entry is expanded to one `DesiredPost` per channel: the channel's override (`x:`,
 *   `facebook:`, `instagram:`) replaces `text` and/or `media`.
 * - `contentHash` covers what is published (text and media as written), not the time: the ledger
 *   uses it to detect an edited post whose id was already published.
 */
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import * as z from './zod.js';
import { AdctlError } from './errors.js';
import { fileProblemsError, formatPath, zodProblems } from './file-errors.js';
import type { Channel } from './model.js';
import { CHANNELS } from './vocabulary.js';
import { isValidZone, parseTime } from './time.js';

const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const MediaItem = z.string().min(1).describe('a file path relative to posts.yaml, or an https URL (Instagram needs URLs)');

const Override = z.strictObject({
  text: z.string().optional().describe('replaces `text` on this channel'),
  media: z.array(MediaItem).optional().describe('replaces `media` on this channel (`[]` for none)'),
}).describe('per-channel override');

export const PostEntrySchema = z.strictObject({
  id: z.string().regex(ENTRY_ID, 'must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit')
    .describe('stable key; the ledger is keyed by id + channel, so never reuse an id for other content'),
  at: z.string().min(1).describe('RFC 3339 with an offset (2026-12-01T09:00:00+01:00), or a local time (2026-12-01T09:00) in `timezone`'),
  channels: z.array(z.enum(CHANNELS)).min(1).describe('where the post goes: x, facebook, instagram'),
  text: z.string().optional().describe('the post text (caption on Instagram)'),
  media: z.array(MediaItem).optional().describe('images or videos: file paths relative to posts.yaml, or https URLs'),
  x: Override.optional(),
  facebook: Override.optional(),
  instagram: Override.optional(),
});

export const PostsFileSchema = z.strictObject({
  version: z.literal(1).describe('format version; 1'),
  timezone: z.string().optional().describe('IANA zone for `at` values without an offset, e.g. Europe/Berlin'),
  posts: z.array(PostEntrySchema).describe('the calendar; order does not matter'),
}).describe('adctl posts.yaml: scheduled posts for `adctl post sync` and `adctl post publish-due`');

export type PostsFile = z.infer<typeof PostsFileSchema>;
export type PostEntry = z.infer<typeof PostEntrySchema>;

/** One entry on one channel, ready for the ledger and the planner. */
export interface DesiredPost {
  id: string;
  channel: Channel;
  /** UTC ISO with Z, to the second. */
  at: string;
  atMs: number;
  text: string;
  /** As written in the file (relative paths or URLs). */
  media: string[];
  /** sha256 of text + media, see the file comment. */
  hash: string;
  /** Index in `posts`, for error paths (`posts[3]`). */
  index: number;
}

export interface ParsedPostsFile {
  file: PostsFile;
  posts: DesiredPost[];
}

export { formatPath };

export function contentHash(text: string, media: string[]): string {
  return `sha256:${createHash('sha256').update(JSON.stringify({ text, media })).digest('hex').slice(0, 32)}`;
}

export function postsFileError(name: string, problems: string[]): AdctlError {
  return fileProblemsError('POSTS_FILE_INVALID', name, problems, 'fix these and run the command again; nothing was sent (`adctl schema posts` prints the JSON Schema)');
}

export interface ParseOptions {
  /** For messages, e.g. `posts.yaml`. */
  name?: string;
  /** The zone for local `at` values when the file sets none (`--tz`, then ADCTL_TZ). */
  defaultZone?: string | undefined;
}

/**
 * Parse and validate the text of a posts file. Returns the expanded entries or throws one usage
 * error (exit 64) listing every problem with its path. Never throws anything else.
 */
export function parsePostsFile(text: string, options: ParseOptions = {}): ParsedPostsFile {
  const name = options.name ?? 'posts.yaml';
  let raw: unknown;
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length) {
      throw postsFileError(name, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`));
    }
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof AdctlError) throw e;
    throw postsFileError(name, [`not valid YAML (${e instanceof Error ? e.message.split('\n')[0] : 'unreadable'})`]);
  }
  const parsed = PostsFileSchema.safeParse(raw);
  if (!parsed.success) throw postsFileError(name, zodProblems(parsed.error.issues));
  const file = parsed.data;
  const problems: string[] = [];

  let zone = file.timezone;
  if (zone !== undefined && !isValidZone(zone)) {
    problems.push(`timezone: "${zone}" is not a time zone (use an IANA name such as Europe/Berlin)`);
    zone = undefined;
  } else if (zone === undefined && options.defaultZone !== undefined && isValidZone(options.defaultZone)) {
    zone = options.defaultZone;
  }

  const seen = new Map<string, number>();
  const posts: DesiredPost[] = [];
  file.posts.forEach((entry, i) => {
    const at = `posts[${i}]`;
    const first = seen.get(entry.id);
    if (first !== undefined) problems.push(`${at}.id: "${entry.id}" is already the id of posts[${first}] (ids must be unique)`);
    else seen.set(entry.id, i);

    const dup = entry.channels.find((c, k) => entry.channels.indexOf(c) !== k);
    if (dup) problems.push(`${at}.channels: ${dup} is listed twice`);
    for (const c of CHANNELS) {
      if (entry[c] !== undefined && !entry.channels.includes(c)) problems.push(`${at}.${c}: an override for ${c}, which is not in channels`);
    }

    let when: { utc: string; ms: number } | undefined;
    const hasOffset = /(?:Z|[+-]\d{2}:\d{2})$/i.test(entry.at.trim());
    if (!hasOffset && zone === undefined) {
      problems.push(`${at}.at: "${entry.at}" has no offset and no time zone is set (add \`timezone:\` to the file, write an offset, or pass --tz)`);
    } else {
      try {
        const t = parseTime(entry.at, zone ?? 'UTC', 'flag', `${at}.at`);
        when = { utc: t.utc, ms: Date.parse(t.utc) }; // to the second, like `at`
      } catch (e) {
        if (!(e instanceof AdctlError)) throw e;
        const msg = e.message.startsWith(`${at}.at`) ? e.message.replace(`${at}.at `, '') : e.message;
        problems.push(`${at}.at: ${msg}${e.hint && e.code !== 'INVALID_TIME' ? ` (${e.hint})` : ''}`);
      }
    }

    for (const channel of new Set(entry.channels)) {
      const o = entry[channel];
      const text = o?.text ?? entry.text ?? '';
      const media = o?.media ?? entry.media ?? [];
      if (!text.trim() && media.length === 0) problems.push(`${at}: nothing to post on ${channel} (no text and no media)`);
      media.forEach((m, k) => {
        const where = `${at}${o?.media ? `.${channel}` : ''}.media[${k}]`;
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(m) && !/^https?:\/\//i.test(m)) problems.push(`${where}: "${m}" is neither a file path nor an http(s) URL`);
      });
      if (when) posts.push({ id: entry.id, channel, at: when.utc, atMs: when.ms, text, media, hash: contentHash(text, media), index: i });
    }
  });
  if (problems.length) throw postsFileError(name, problems);
  return { file, posts };
}

/** The JSON Schema published by `adctl schema posts`. */
export function postsJsonSchema(): Record<string, unknown> {
  return { title: 'adctl posts.yaml', ...z.toJSONSchema(PostsFileSchema) };
}
