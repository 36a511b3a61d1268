import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { contentHash, parsePostsFile, postsJsonSchema } from '../../src/core/posts-file.js';

function problemsOf(text: string, defaultZone?: string): string[] {
  try {
    parsePostsFile(text, { defaultZone });
  } catch (e) {
    expect(e).toBeInstanceOf(AdctlError);
    expect((e as AdctlError).exitCode).toBe(64);
    return (e as AdctlError).details!.problems as string[];
  }
  throw new Error('expected the file to be refused');
}

const DESIGN_EXAMPLE = `version: 1
timezone: Europe/Berlin            # the zone for \`at\` values without an offset
posts:
  - id: launch-day                 # stable key; the ledger is keyed by id + channel
    at: 2026-12-01T09:00           # local to \`timezone\`, or RFC 3339 with an offset
    channels: [x, facebook, instagram]
    text: "We are live"
    media: [assets/launch.png]     # files, or https URLs (Instagram needs a URL)
    x: { text: "Shorter for X" }   # per-channel overrides: x, facebook, instagram
`;

describe('posts.yaml', () => {
  it('reads the DESIGN §12 example: one entry per channel, overrides applied, local time in the file zone', () => {
    const { posts } = parsePostsFile(DESIGN_EXAMPLE);
    expect(posts.map((p) => [p.id, p.channel, p.at, p.text, p.media])).toEqual([
      ['launch-day', 'x', '2026-12-01T08:00:00Z', 'Shorter for X', ['assets/launch.png']],
      ['launch-day', 'facebook', '2026-12-01T08:00:00Z', 'We are live', ['assets/launch.png']],
      ['launch-day', 'instagram', '2026-12-01T08:00:00Z', 'We are live', ['assets/launch.png']],
    ]);
    expect(posts[0]!.hash).toBe(contentHash('Shorter for X', ['assets/launch.png']));
    expect(posts[1]!.hash).not.toBe(posts[0]!.hash);
  });

  it('an offset wins over the file zone; the hash ignores the time', () => {
    const a = parsePostsFile('version: 1\ntimezone: Asia/Tokyo\nposts:\n  - {id: a, at: "2026-12-01T09:00:00-05:00", channels: [x], text: hi}\n').posts[0]!;
    expect(a.at).toBe('2026-12-01T14:00:00Z');
    const b = parsePostsFile('version: 1\nposts:\n  - {id: a, at: "2027-01-01T00:00Z", channels: [x], text: hi}\n').posts[0]!;
    expect(b.hash).toBe(a.hash);
  });

  it('reports every problem with its path, in one exit-64 error', () => {
    const problems = problemsOf(`version: 1
timezone: Europe/Berlin
posts:
  - id: a
    at: 2026-12-01T09:00
    channels: [x, myspace]
    text: hi
  - id: b
    at: tomorrow
    channels: [facebook]
    txt: typo
  - id: a
    at: 2026-03-29T02:30
    channels: [x]
    instagram: { text: nope }
  - id: c
    at: 2026-10-25T02:30
    channels: [instagram]
`);
    expect(problems).toEqual([
      expect.stringMatching(/^posts\[0\]\.channels\[1\]: Invalid option/),
      'posts[1].txt: unknown key',
    ]);
    // Structural problems first; once the shape is right, the semantic ones, all of them.
    const semantic = problemsOf(`version: 1
timezone: Europe/Berlin
posts:
  - {id: a, at: 2026-12-01T09:00, channels: [x], text: hi}
  - {id: b, at: tomorrow, channels: [facebook], text: hi}
  - {id: a, at: 2026-03-29T02:30, channels: [x], text: hi, instagram: {text: nope}}
  - {id: c, at: 2026-10-25T02:30, channels: [instagram]}
  - {id: d, at: 2026-12-01T09:00, channels: [x, x], text: hi, media: ["ftp://host/a.png"]}
`);
    expect(semantic).toEqual([
      expect.stringMatching(/^posts\[1\]\.at: "tomorrow" is not a time adctl can read/),
      'posts[2].id: "a" is already the id of posts[0] (ids must be unique)',
      'posts[2].instagram: an override for instagram, which is not in channels',
      expect.stringMatching(/^posts\[2\]\.at: 2026-03-29T02:30 does not exist in Europe\/Berlin/),
      expect.stringMatching(/^posts\[3\]\.at: 2026-10-25T02:30 happens twice in Europe\/Berlin .*\+02:00 .*\+01:00/),
      'posts[3]: nothing to post on instagram (no text and no media)',
      'posts[4].channels: x is listed twice',
      'posts[4].media[0]: "ftp://host/a.png" is neither a file path nor an http(s) URL',
    ]);
  });

  it('a local time needs a zone from the file or --tz/ADCTL_TZ, never the machine', () => {
    const text = 'version: 1\nposts:\n  - {id: a, at: 2026-12-01T09:00, channels: [x], text: hi}\n';
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^posts\[0\]\.at: "2026-12-01T09:00" has no offset and no time zone is set/)]);
    expect(parsePostsFile(text, { defaultZone: 'America/New_York' }).posts[0]!.at).toBe('2026-12-01T14:00:00Z');
    expect(problemsOf('version: 1\ntimezone: Mars/Olympus\nposts: []\n')).toEqual(['timezone: "Mars/Olympus" is not a time zone (use an IANA name such as Europe/Berlin)']);
  });

  it('refuses bad YAML, a wrong version and a missing list with a path', () => {
    expect(problemsOf('version: 1\nposts: [\n')[0]).toMatch(/^line \d+: /);
    expect(problemsOf('version: 1\nversion: 1\nposts: []\n')[0]).toMatch(/^line 2: .*unique/i);
    expect(problemsOf('version: 2\nposts: []\n')).toEqual([expect.stringMatching(/^version: /)]);
    expect(problemsOf('version: 1\n')).toEqual(['posts: required']);
    expect(problemsOf('')).toEqual([expect.stringMatching(/^\(file\): /)]);
    expect(problemsOf('version: 1\nposts:\n  - {id: 7, at: "2026-12-01T09:00Z", channels: [x], text: hi}\n')).toEqual([expect.stringMatching(/^posts\[0\]\.id: expected string/)]);
  });

  it('publishes a JSON Schema generated from the same zod schema', () => {
    const schema = postsJsonSchema() as { properties: Record<string, { items?: { required?: string[]; properties?: Record<string, unknown> } }>; required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(['version', 'posts']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.posts!.items!.required).toEqual(['id', 'at', 'channels']);
    expect(Object.keys(schema.properties.posts!.items!.properties!)).toEqual(['id', 'at', 'channels', 'text', 'media', 'x', 'facebook', 'instagram']);
  });
});

describe('README: Scheduled posts from CI', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Scheduled posts from CI'));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('its posts.yaml example is valid', () => {
    expect(parsePostsFile(blocks[0]!).posts.map((p) => p.channel)).toEqual(['x', 'facebook', 'instagram']);
  });

  it('its workflow runs on a cron, keeps the ledger, passes secrets through ADCTL_* env and sets CI', () => {
    const wf = parse(blocks[1]!) as { on: { schedule: Array<{ cron: string }> }; jobs: { publish: { steps: Array<{ run?: string; env?: Record<string, string> }> } } };
    expect(wf.on.schedule[0]!.cron).toMatch(/\*/);
    const steps = wf.jobs.publish.steps;
    const publish = steps.find((s) => s.run?.includes('post publish-due'))!;
    expect(publish.run).toMatch(/--ledger \S+/);
    expect(publish.env!.CI).toBe('true');
    expect(Object.entries(publish.env!).filter(([k]) => k.startsWith('ADCTL_') && /TOKEN|SECRET|KEY/.test(k)).every(([, v]) => v.startsWith('${{ secrets.'))).toBe(true);
    expect(steps.some((s) => s.run?.includes('git add .adctl/posts-ledger.jsonl'))).toBe(true);
  });
});
