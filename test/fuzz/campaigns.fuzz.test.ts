/**
 * Hostile inputs for issue 6's parsers (issue 7): the campaign spec and the CSV reader (and the
 * `--from` reader built on it). Every input gives a value or a usage error (exit 64), never
 * another exception; generated valid documents round-trip exactly. `npm test` runs a few hundred
 * cases per property; `npm run test:reliability` sets ADCTL_FUZZ_RUNS=10000.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { formatCsv, parseCsv } from '../../src/core/csv.js';
import { formatSpec, parseSpec, validateSpec, type CampaignsSpec } from '../../src/core/spec.js';
import { refsFromText } from '../../src/services/bulk.js';
import { fuzzFigures } from '../helpers/figures.js';

const RUNS = Number(process.env.ADCTL_FUZZ_RUNS ?? 300);

const fuzz = fuzzFigures('fuzz: campaign specs, CSV, --from files', ['generated spec files, CSV and --from texts']);
const usageOr = <T>(fn: () => T): T | AdctlError => fuzz.usageOr(fn);

const key = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/);
const money = fc.oneof(
  fc.nat(100_000).map((n) => String(n)),
  fc.tuple(fc.nat(100_000), fc.nat(99)).map(([w, c]) => `${w}.${String(c).padStart(2, '0')} USD`),
  fc.nat(1_000_000).map((n) => `${n} JPY`),
);
const budget = fc.oneof(money.map((m) => ({ daily: m })), money.map((m) => ({ lifetime: m })));
const name = fc.string({ minLength: 1, maxLength: 40 });
const adgroup = fc.record({
  key, name,
  status: fc.constantFrom('active', 'paused'),
  budget,
  targeting: fc.record({ countries: fc.uniqueArray(fc.constantFrom('JP', 'US', 'DE', 'FR'), { minLength: 1 }), age: fc.tuple(fc.integer({ min: 13, max: 30 }), fc.integer({ min: 31, max: 65 })) }, { requiredKeys: [] }),
}, { requiredKeys: ['key', 'name'] });
const campaign = fc.record({
  key,
  platform: fc.constantFrom('x', 'meta'),
  name,
  objective: fc.constantFrom('traffic', 'sales', 'awareness'),
  status: fc.constantFrom('active', 'paused'),
  budget,
  adgroups: fc.uniqueArray(adgroup, { selector: (g) => g.key, maxLength: 3 }),
}, { requiredKeys: ['key', 'platform', 'name'] });
const validSpec = fc.uniqueArray(campaign, { selector: (c) => c.key, maxLength: 4 }).map((campaigns) => ({ version: 1 as const, campaigns }));

describe('campaign spec parser', () => {
  it('any text: a spec or exit 64 with problems, nothing else', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      const r = usageOr(() => parseSpec(text));
      if (r instanceof AdctlError) expect((r.details?.problems as string[]).length).toBeGreaterThan(0);
      else expect(r.version).toBe(1);
    }), { numRuns: RUNS });
  });

  it('any YAML-ish document built from spec words: a spec or exit 64', () => {
    const word = fc.constantFrom('version: 1', 'campaigns:', '  - key: a', '    platform: x', '    name: N', '    budget: { daily: "5 USD" }', '    adgroups: [', '  - {', 'key: "b"', '&a', '*a', '!!binary', '"\\u0000"', ':', '-', '  ');
    fc.assert(fc.property(fc.array(word, { maxLength: 12 }), (lines) => {
      usageOr(() => parseSpec(lines.join('\n')));
    }), { numRuns: RUNS });
  });

  it('any JSON value: a spec or exit 64', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), validSpec.map((s) => ({ ...s, campaigns: [...s.campaigns, { key: 1 }] }))), (v) => {
      usageOr(() => validateSpec(v));
    }), { numRuns: RUNS });
  });

  it('every valid spec round-trips through YAML and JSON exactly', () => {
    fc.assert(fc.property(validSpec, (spec) => {
      const parsed = validateSpec(spec) as CampaignsSpec;
      expect(parseSpec(formatSpec(parsed))).toEqual(parsed);
      expect(parseSpec(formatSpec(parsed, true))).toEqual(parsed);
    }), { numRuns: RUNS });
  });
});

describe('CSV parser', () => {
  const field = fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '🙂', 'x') });
  const table = fc.integer({ min: 1, max: 4 }).chain((cols) => fc.record({
    header: fc.array(field, { minLength: cols, maxLength: cols }),
    rows: fc.array(fc.array(field, { minLength: cols, maxLength: cols }), { maxLength: 6 }),
  }));

  it('any text: a table or exit 64', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80, unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'x') }), (text) => {
      const r = usageOr(() => parseCsv(text));
      if (!(r instanceof AdctlError)) for (const row of r.rows) expect(row.length).toBe(r.header.length);
    }), { numRuns: RUNS });
  });

  it('every table round-trips through formatCsv exactly', () => {
    fc.assert(fc.property(table, (t) => {
      expect(parseCsv(formatCsv(t))).toEqual(t);
    }), { numRuns: RUNS });
  });

  it('--from reader: any text gives refs or exit 64', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80, unit: fc.constantFrom('r', 'e', 'f', 'x', ':', '1', ',', '"', '\n', '{', '}', '[', ']', 'ok', 'true') }), (text) => {
      const r = usageOr(() => refsFromText(text, 'in.csv'));
      if (!(r instanceof AdctlError)) for (const ref of r) expect(typeof ref).toBe('string');
    }), { numRuns: RUNS });
  });
});
