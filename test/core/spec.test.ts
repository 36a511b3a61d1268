/**
 * The campaign spec (DESIGN §12): one schema for types, validation with a path for every problem
 * (exit 64, all at once) and the published JSON Schema.
 */
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { campaignsJsonSchema, formatSpec, parseSpec } from '../../src/core/spec.js';

const DESIGN_EXAMPLE = `
version: 1
campaigns:
  - key: winter-sale               # stable key, never sent to the platform as a name
    platform: meta                 # x | meta
    account: act_1001              # optional: defaults to the profile's account
    name: Winter Sale
    objective: traffic
    status: paused
    budget: { daily: "5000 JPY" }  # or { lifetime: "…" }
    adgroups:
      - key: tokyo
        name: Tokyo 25-44
        budget: { daily: "2000 JPY" }
        targeting: { countries: [JP], age: [25, 44] }
`;

function problems(text: string): string[] {
  try {
    parseSpec(text, 'c.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(AdctlError);
    expect((e as AdctlError).exitCode).toBe(64);
    return (e as AdctlError).details!.problems as string[];
  }
  throw new Error('expected the spec to be refused');
}

describe('campaign spec', () => {
  it('reads the DESIGN §12 example exactly', () => {
    const spec = parseSpec(DESIGN_EXAMPLE);
    expect(spec.campaigns[0]).toMatchObject({ key: 'winter-sale', platform: 'meta', account: 'act_1001', budget: { daily: '5000 JPY' } });
    expect(spec.campaigns[0]!.adgroups![0]!.targeting).toEqual({ countries: ['JP'], age: [25, 44] });
  });

  it('reads JSON too, and round-trips what it writes (YAML and JSON)', () => {
    const spec = parseSpec(DESIGN_EXAMPLE);
    expect(parseSpec(JSON.stringify(spec))).toEqual(spec);
    expect(parseSpec(formatSpec(spec))).toEqual(spec);
    expect(parseSpec(formatSpec(spec, true))).toEqual(spec);
  });

  it('reports every problem with its path, at once', () => {
    const p = problems(`
version: 1
campaigns:
  - key: a
    platform: tiktok
    name: A
    objective: traffic
    budget: { daily: "50.001 USD" }
  - key: a
    platform: x
    name: B
    objective: fame
    colour: red
    adgroups:
      - key: g
        name: G
        bid: { strategy: max }
        targeting: { countries: [jp], age: [44, 25] }
      - key: g
        name: H
        budget: { weekly: "5 USD" }
`);
    expect(p).toEqual(expect.arrayContaining([
      expect.stringMatching(/^campaigns\[0\]\.platform: /),
      expect.stringMatching(/^campaigns\[1\]\.objective: /),
      'campaigns[1].colour: unknown key',
      expect.stringMatching(/^campaigns\[1\]\.adgroups\[0\]\.targeting\.countries\[0\]: /),
      expect.stringMatching(/^campaigns\[1\]\.adgroups\[1\]\.budget: must be \{ daily/),
    ]));
  });

  it('checks keys, money, bids, ages and schedules after the shape is right', () => {
    const p = problems(`
version: 1
campaigns:
  - key: a
    platform: x
    name: A
    objective: traffic
    budget: { daily: "50.001 USD" }
  - key: a
    platform: x
    name: B
    objective: traffic
    adgroups:
      - key: g
        name: G
        bid: { strategy: max }
        targeting: { age: [44, 25] }
        schedule: { start: "2026-12-02T00:00:00Z", end: "2026-12-01T00:00:00Z" }
      - key: g
        name: H
        bid: { strategy: auto, amount: "1 USD" }
`);
    expect(p).toEqual([
      expect.stringMatching(/^campaigns\[0\]\.budget\.daily: "50\.001 USD" has 3 decimals/),
      'campaigns[1].key: "a" is already the key of campaigns[0] (keys must be unique)',
      'campaigns[1].adgroups[0].bid.amount: required with strategy max',
      'campaigns[1].adgroups[0].targeting.age: the minimum 44 is above the maximum 25',
      'campaigns[1].adgroups[0].schedule.end: must be after start',
      'campaigns[1].adgroups[1].key: "g" is already the key of campaigns[1].adgroups[0]',
      'campaigns[1].adgroups[1].bid.amount: an auto bid takes no amount',
    ]);
  });

  it('refuses broken YAML and duplicate keys with a line number', () => {
    expect(problems('version: 1\ncampaigns: [\n')[0]).toMatch(/^line \d+: /);
    expect(problems('version: 1\nversion: 1\ncampaigns: []\n')[0]).toMatch(/^line 2: /);
  });

  it('publishes a JSON Schema generated from the same zod schema', () => {
    const s = campaignsJsonSchema() as { properties: { campaigns: { items: { required: string[]; properties: Record<string, unknown> } } } };
    expect(s.properties.campaigns.items.required).toEqual(expect.arrayContaining(['key', 'platform', 'name']));
    expect(Object.keys(s.properties.campaigns.items.properties)).toEqual(expect.arrayContaining(['budget', 'adgroups', 'status']));
  });
});
