/**
 * The campaign spec (DESIGN §12), read by `plan` and `apply` and written by `import`. One zod schema
 * gives the types, the validation and the published JSON Schema (`adctl schema campaigns`).
 *
 * Pure: no clock, no file system, no network. Money stays as the text the user wrote (`"5000 JPY"`
 * or a bare `"50"`): it can only be made exact against the account's currency, which the planner
 * receives as an input.
 *
 * Contracts:
 * - Every problem is reported with its path (`campaigns[2].adgroups[0].budget.daily: …`), all at
 *   once, as one usage error (exit 64). Nothing is sent when the spec is invalid.
 * - `key` is the stable identity (never sent to a platform): campaign keys are unique in the file,
 *   ad group keys unique within their campaign. The state file maps keys to platform ids.
 * - A field left out is not managed: the planner never changes what the spec does not mention.
 */
import { parseDocument, stringify } from 'yaml';
import * as z from './zod.js';
import { AdctlError, ExitCode } from './errors.js';
import { parseMoney } from './money.js';
import { BID_STRATEGIES, OBJECTIVES, PLACEMENTS, PLATFORMS, PUBLISHER_PLATFORMS } from './vocabulary.js';
import { formatPath } from './posts-file.js';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const Key = z.string().regex(KEY, 'must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit');

const MoneyText = z.string().min(1).describe('an amount with or without its currency: "50.00 USD", "5000 JPY", or "50" (the account currency)');

/** Exactly one of daily or lifetime. */
const BudgetSpec = z.union([
  z.strictObject({ daily: MoneyText }),
  z.strictObject({ lifetime: MoneyText }),
]).describe('{ daily: "…" } or { lifetime: "…" }');

const Status = z.enum(['active', 'paused']).describe('paid objects are created paused unless active is asked for');

const IsoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'must be RFC 3339 with an offset, e.g. 2026-12-01T00:00:00Z');

export const TargetingSpec = z.strictObject({
  countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO-3166 alpha-2 code in upper case')).min(1).optional(),
  age: z.tuple([z.number().int().min(13).max(65), z.number().int().min(13).max(65)]).optional().describe('[min, max], 13-65'),
  publisherPlatforms: z.array(z.enum(PUBLISHER_PLATFORMS)).optional(),
  placements: z.array(z.enum(PLACEMENTS)).optional(),
}).describe('basic targeting; keys left out are not managed');

export const BidSpec = z.strictObject({
  strategy: z.enum(BID_STRATEGIES),
  amount: MoneyText.optional().describe('required unless strategy is auto'),
});

export const AdGroupSpecSchema = z.strictObject({
  key: Key.describe('stable key within the campaign; never sent to the platform'),
  name: z.string().min(1).max(255),
  status: Status.optional(),
  budget: BudgetSpec.optional(),
  bid: BidSpec.optional(),
  optimization: z.string().min(1).optional().describe('the platform optimisation goal; defaults from the campaign objective'),
  schedule: z.strictObject({ start: IsoInstant.optional(), end: IsoInstant.optional() }).optional(),
  targeting: TargetingSpec.optional(),
});

export const CampaignSpecSchema = z.strictObject({
  key: Key.describe('stable key; never sent to the platform as a name'),
  platform: z.enum(PLATFORMS),
  account: z.string().min(1).optional().describe("defaults to the profile's account"),
  name: z.string().min(1).max(255),
  objective: z.enum(OBJECTIVES).optional().describe('required to create; fixed once created (import leaves it out when the platform does not say)'),
  status: Status.optional(),
  budget: BudgetSpec.optional(),
  adgroups: z.array(AdGroupSpecSchema).optional(),
});

export const CampaignsSpecSchema = z.strictObject({
  version: z.literal(1).describe('format version; 1'),
  profile: z.string().min(1).optional().describe('when set, plan and apply refuse to run under another profile'),
  campaigns: z.array(CampaignSpecSchema),
}).describe('adctl campaign spec: campaigns and ad groups as code, for `adctl plan` and `adctl apply`');

export type CampaignsSpec = z.infer<typeof CampaignsSpecSchema>;
export type CampaignSpec = z.infer<typeof CampaignSpecSchema>;
export type AdGroupSpec = z.infer<typeof AdGroupSpecSchema>;
export type BudgetSpec = z.infer<typeof BudgetSpec>;

export function specError(name: string, problems: string[]): AdctlError {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return new AdctlError(
    'SPEC_INVALID',
    problems.length === 1 ? `${name}: ${problems[0]}` : `${name}: ${problems.length} problems: ${shown.join('; ')}${more}`,
    ExitCode.USAGE,
    { hint: 'fix these and run the command again; nothing was sent (`adctl schema campaigns` prints the JSON Schema)', details: { problems } },
  );
}

function zodProblems(issues: ReadonlyArray<z.core.$ZodIssue>): string[] {
  const out: string[] = [];
  for (const i of issues) {
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push(`${formatPath([...i.path, k])}: unknown key`);
    } else if (i.code === 'invalid_union' && i.path.at(-1) === 'budget') {
      out.push(`${formatPath(i.path)}: must be { daily: "…" } or { lifetime: "…" }`);
    } else if (i.code === 'invalid_type' && /received undefined$/.test(i.message)) {
      out.push(`${formatPath(i.path)}: required`);
    } else {
      out.push(`${formatPath(i.path)}: ${i.message.replace(/^Invalid input: /, '')}`);
    }
  }
  return out;
}

/** Money syntax and decimals of the written currency; a bare number is checked later, against the account. */
function moneyProblem(text: string): string | undefined {
  if (!/[A-Za-z]{3}/.test(text)) {
    return /^\s*\d+(\.\d+)?\s*$/.test(text) ? undefined : `"${text}" is not an amount`;
  }
  try {
    parseMoney(text);
    return undefined;
  } catch (e) {
    if (e instanceof AdctlError) return e.message;
    throw e;
  }
}

function checkBudget(b: BudgetSpec | undefined, at: string, problems: string[]): void {
  if (!b) return;
  const [period, text] = 'daily' in b ? ['daily', b.daily] : ['lifetime', b.lifetime];
  const p = moneyProblem(text);
  if (p) problems.push(`${at}.budget.${period}: ${p}`);
}

/**
 * Validate a parsed document (from YAML or JSON). Returns the typed spec or throws one usage error
 * listing every problem with its path. Never throws anything else.
 */
export function validateSpec(raw: unknown, name = 'spec'): CampaignsSpec {
  const parsed = CampaignsSpecSchema.safeParse(raw);
  if (!parsed.success) throw specError(name, zodProblems(parsed.error.issues));
  const spec = parsed.data;
  const problems: string[] = [];
  const seen = new Map<string, number>();
  spec.campaigns.forEach((c, i) => {
    const at = `campaigns[${i}]`;
    const first = seen.get(c.key);
    if (first !== undefined) problems.push(`${at}.key: "${c.key}" is already the key of campaigns[${first}] (keys must be unique)`);
    else seen.set(c.key, i);
    checkBudget(c.budget, at, problems);
    const groupKeys = new Map<string, number>();
    (c.adgroups ?? []).forEach((g, k) => {
      const gat = `${at}.adgroups[${k}]`;
      const f = groupKeys.get(g.key);
      if (f !== undefined) problems.push(`${gat}.key: "${g.key}" is already the key of ${at}.adgroups[${f}]`);
      else groupKeys.set(g.key, k);
      checkBudget(g.budget, gat, problems);
      if (g.bid) {
        if (g.bid.strategy === 'auto' && g.bid.amount !== undefined) problems.push(`${gat}.bid.amount: an auto bid takes no amount`);
        if (g.bid.strategy !== 'auto' && g.bid.amount === undefined) problems.push(`${gat}.bid.amount: required with strategy ${g.bid.strategy}`);
        const p = g.bid.amount !== undefined ? moneyProblem(g.bid.amount) : undefined;
        if (p) problems.push(`${gat}.bid.amount: ${p}`);
      }
      const age = g.targeting?.age;
      if (age && age[0] > age[1]) problems.push(`${gat}.targeting.age: the minimum ${age[0]} is above the maximum ${age[1]}`);
      const s = g.schedule;
      if (s?.start && s.end && Date.parse(s.end) <= Date.parse(s.start)) problems.push(`${gat}.schedule.end: must be after start`);
    });
  });
  if (problems.length) throw specError(name, problems);
  return spec;
}

/** Parse the text of a spec file: YAML (JSON is YAML too, so one parser reads both). */
export function parseSpec(text: string, name = 'spec'): CampaignsSpec {
  let raw: unknown;
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length) {
      throw specError(name, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`));
    }
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof AdctlError) throw e;
    throw specError(name, [`not valid YAML or JSON (${e instanceof Error ? e.message.split('\n')[0] : 'unreadable'})`]);
  }
  return validateSpec(raw, name);
}

/** Write a spec as YAML (or JSON when the file name ends in .json). Round-trips through parseSpec. */
export function formatSpec(spec: CampaignsSpec, json = false): string {
  return json ? `${JSON.stringify(spec, null, 2)}\n` : stringify(spec, { lineWidth: 0 });
}

/** The JSON Schema published by `adctl schema campaigns`. */
export function campaignsJsonSchema(): Record<string, unknown> {
  return { title: 'adctl campaign spec', ...z.toJSONSchema(CampaignsSpecSchema) };
}
