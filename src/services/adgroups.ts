/**
 * Cross-platform ad group work (issue 4): Meta ad sets and X line items. Commands call these;
 * these call adapters. No wire format here, and no refusal rules of a platform either: invalid
 * combinations (a Meta campaign budget plus ad set budgets, X MAX on REACH, mixed X objectives…)
 * are the plugins' to refuse before sending.
 *
 * Contracts:
 * - Money typed by the user is exact: checked for syntax and decimals of the written currency
 *   before any request, then made exact in the account's currency (like campaign budgets).
 * - Local times for --start/--end are read in the first of --tz, ADCTL_TZ, the ad account's zone
 *   (DESIGN §10) and sent as UTC instants; the zone used is reported back to the caller.
 * - Every mutation goes through `performWrite` (campaigns.ts): audited the same way, dry run aware.
 * - Creates are PAUSED unless the caller asks for active.
 */
import { AdctlError, ExitCode, usageError } from '../core/errors.js';
import { parseMoney, type Money } from '../core/money.js';
import type { AdGroup, AdGroupPatch, BidInput, BidStrategy, CampaignStatus, Objective, Platform, Targeting } from '../core/model.js';
import { BID_STRATEGIES, PLACEMENTS, PUBLISHER_PLATFORMS } from '../core/vocabulary.js';
import { parseRef } from '../core/ref.js';
import { describeTime, isValidZone, parseTime, type ResolvedTime } from '../core/time.js';
import { getAccount } from './accounts.js';
import { resolveBudget, type BudgetFlag, type PlatformFailure } from './campaigns.js';
import { performWrite, type WriteOutcome } from './write/pipeline.js';
import type { Session } from './session.js';
import { budgetFrom, enforceGuardrails } from './write/guardrails.js';
import type { Confirmer } from './write/confirm.js';

// ---------------------------------------------------------------------------------------------
// Pure flag parsing (service tests cover these directly).
// ---------------------------------------------------------------------------------------------

export interface TargetingFlags {
  /** Comma or space separated; each may be given several times. */
  countries?: string[] | undefined;
  /** `18-34`, `25-` or `25+` (no upper bound), `-34`. */
  age?: string | undefined;
  placements?: string[] | undefined;
  publisherPlatforms?: string[] | undefined;
}

const split = (values: string[] | undefined): string[] | undefined =>
  values === undefined ? undefined : values.flatMap((v) => v.split(/[\s,]+/)).map((v) => v.trim()).filter(Boolean);

function oneOf<T extends string>(flag: string, values: string[], allowed: readonly T[]): T[] {
  const bad = values.filter((v) => !(allowed as readonly string[]).includes(v.toLowerCase()));
  if (bad.length) throw usageError('INVALID_TARGETING', `${flag}: ${bad.map((b) => `"${b}"`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not one of ${allowed.join(', ')}`, `for example ${flag} ${allowed.slice(0, 2).join(',')}`);
  return [...new Set(values.map((v) => v.toLowerCase() as T))];
}

/** `18-34` → {ageMin: 18, ageMax: 34}. Ages are 13–65 (65 means 65+ on both platforms). */
export function parseAgeRange(text: string): { ageMin: number | null; ageMax: number | null } {
  const m = /^\s*(\d{1,3})?\s*(?:(-|\+)\s*(\d{1,3})?)?\s*$/.exec(text);
  const hint = 'write --age 18-34, --age 25+ (no upper bound) or --age -34; ages are 13 to 65';
  if (!m || (m[1] === undefined && m[3] === undefined) || (m[2] === '+' && m[3] !== undefined)) {
    throw usageError('INVALID_AGE', `--age "${text}" is not an age range`, hint);
  }
  const exact = m[2] === undefined;
  const ageMin = m[1] !== undefined ? Number(m[1]) : null;
  const ageMax = exact ? ageMin : m[3] !== undefined ? Number(m[3]) : null;
  for (const a of [ageMin, ageMax]) if (a !== null && (a < 13 || a > 65)) throw usageError('INVALID_AGE', `--age "${text}": ${a} is outside 13–65`, hint);
  if (ageMin !== null && ageMax !== null && ageMin > ageMax) throw usageError('INVALID_AGE', `--age "${text}": the lower age is above the upper`, hint);
  return { ageMin, ageMax };
}

/** Only the fields given: an update leaves the others as they are (the plugin merges). */
export function parseTargeting(f: TargetingFlags): Partial<Targeting> | undefined {
  const out: Partial<Targeting> = {};
  const countries = split(f.countries);
  if (countries !== undefined) {
    const upper = countries.map((c) => c.toUpperCase());
    const bad = upper.filter((c) => !/^[A-Z]{2}$/.test(c));
    if (bad.length) throw usageError('INVALID_TARGETING', `--countries: ${bad.map((b) => `"${b}"`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not an ISO 3166 two-letter code`, 'for example --countries US,GB,DE');
    out.countries = [...new Set(upper)];
  }
  if (f.age !== undefined) Object.assign(out, parseAgeRange(f.age));
  const placements = split(f.placements);
  if (placements !== undefined) out.placements = oneOf('--placements', placements, PLACEMENTS);
  const pubs = split(f.publisherPlatforms);
  if (pubs !== undefined) out.publisherPlatforms = oneOf('--publisher-platforms', pubs, PUBLISHER_PLATFORMS);
  return Object.keys(out).length ? out : undefined;
}

export interface BidFlags {
  strategy?: string | undefined;
  /** Money as typed: "1.50 USD", "300 JPY" or a bare number in the account currency. */
  amount?: string | undefined;
}

/** Syntax only (no currency look-up): a bare `--bid` means a maximum bid (`max`). */
export function bidFlagStrategy(f: BidFlags): BidStrategy | undefined {
  if (f.strategy === undefined) return f.amount !== undefined ? 'max' : undefined;
  const s = f.strategy.toLowerCase().replace(/-/g, '_');
  if (!(BID_STRATEGIES as readonly string[]).includes(s)) {
    throw usageError('INVALID_BID_STRATEGY', `--bid-strategy "${f.strategy}" is not one of ${BID_STRATEGIES.join(', ')}`, 'auto bids without an amount; max, target and cost_cap need --bid');
  }
  return s as BidStrategy;
}

// ---------------------------------------------------------------------------------------------
// Money and time against the account.
// ---------------------------------------------------------------------------------------------

/** Exact money in the account's currency; the written currency's syntax is checked before any request. */
async function resolveMoney(session: Session, platform: Platform, text: string): Promise<Money> {
  if (/[A-Za-z]{3}/.test(text)) parseMoney(text);
  return parseMoney(text, (await getAccount(session, platform)).currency);
}

async function resolveBid(session: Session, platform: Platform, f: BidFlags): Promise<BidInput | undefined> {
  const strategy = bidFlagStrategy(f);
  if (!strategy) return undefined;
  return { strategy, money: f.amount !== undefined ? await resolveMoney(session, platform, f.amount) : null };
}

export interface ScheduleFlags {
  start?: string | undefined;
  /** `none` clears the end on update. */
  end?: string | undefined;
  tz?: string | undefined;
}

export interface ResolvedSchedule {
  start?: ResolvedTime | undefined;
  end?: ResolvedTime | null | undefined;
  /** One line per time read, saying which zone was used (DESIGN §10). */
  notes: string[];
}

/** Reads local times in --tz, ADCTL_TZ, then the ad account's zone; RFC 3339 offsets win. */
async function resolveSchedule(session: Session, platform: Platform, f: ScheduleFlags): Promise<ResolvedSchedule> {
  const out: ResolvedSchedule = { notes: [] };
  if (f.start === undefined && f.end === undefined) {
    if (f.tz !== undefined) throw usageError('UNUSED_FLAG', '--tz is only used with --start or --end', 'add --start/--end, or drop --tz');
    return out;
  }
  let zone: { zone: string; source: 'flag' | 'env' | 'account' };
  if (f.tz !== undefined) zone = { zone: f.tz, source: 'flag' };
  else if (session.settings.timeZones.env) zone = { zone: session.settings.timeZones.env, source: 'env' };
  else zone = { zone: (await getAccount(session, platform)).timezone, source: 'account' };
  if (!isValidZone(zone.zone)) throw usageError('INVALID_TIME_ZONE', `"${zone.zone}" is not a time zone`, 'use an IANA name such as Europe/Berlin, America/New_York or UTC');
  if (f.start !== undefined) {
    out.start = parseTime(f.start, zone.zone, zone.source, '--start');
    out.notes.push(`start: ${describeTime(out.start)}`);
  }
  if (f.end !== undefined) {
    out.end = f.end.trim().toLowerCase() === 'none' ? null : parseTime(f.end, zone.zone, zone.source, '--end');
    out.notes.push(out.end ? `end: ${describeTime(out.end)}` : 'end: none');
  }
  if (out.start && out.end && out.end.ms <= out.start.ms) throw usageError('INVALID_SCHEDULE', '--end is not after --start', 'give an end time after the start time');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reads.
// ---------------------------------------------------------------------------------------------

async function adapterFor(session: Session, platform: Platform, capability: 'adgroups.read' | 'adgroups.write' | 'budgets.write') {
  const adapter = await session.adapter(platform, capability);
  if (!adapter.listAdGroups || !adapter.getAdGroup || (capability !== 'adgroups.read' && (!adapter.createAdGroup || !adapter.updateAdGroup || !adapter.deleteAdGroup))) {
    throw new AdctlError('CAPABILITY_MISSING', `the ${platform} plugin cannot ${capability === 'adgroups.read' ? 'read' : 'change'} ad groups`, ExitCode.CONFIG, { platform, hint: 'see `adctl plugin list` for what each plugin supports' });
  }
  return adapter as typeof adapter & Required<Pick<typeof adapter, 'listAdGroups' | 'getAdGroup' | 'createAdGroup' | 'updateAdGroup' | 'deleteAdGroup'>>;
}

export interface AdGroupListQuery {
  platform?: Platform | undefined;
  /** A campaign ref: only its ad groups (and only its platform). */
  campaign?: string | undefined;
  statuses?: CampaignStatus[] | undefined;
}

export interface AdGroupListResult {
  adGroups: AdGroup[];
  failures: PlatformFailure[];
}

/** Fans out to every enabled platform concurrently; one platform failing does not hide the others. */
export async function listAdGroups(session: Session, q: AdGroupListQuery): Promise<AdGroupListResult> {
  const campaign = q.campaign !== undefined ? parseRef(q.campaign) : undefined;
  if (campaign && q.platform && campaign.platform !== q.platform) {
    throw usageError('CONFLICTING_FLAGS', `--campaign ${q.campaign} is on ${campaign.platform}, not ${q.platform}`, 'drop --platform, or pick a campaign on that platform');
  }
  const platforms = session.fanOutPlatforms(campaign?.platform ?? q.platform);
  const settled = await Promise.allSettled(platforms.map(async (p) =>
    (await adapterFor(session, p, 'adgroups.read')).listAdGroups({ campaignId: campaign?.id, statuses: q.statuses })));
  const out: AdGroupListResult = { adGroups: [], failures: [] };
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') out.adGroups.push(...s.value);
    else {
      const e = s.reason;
      out.failures.push({
        platform: platforms[i]!,
        error: e instanceof AdctlError ? e : new AdctlError('INTERNAL_ERROR', `${platforms[i]}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.FAILURE, { hint: 'run with --debug and report this as a bug', cause: e }),
      });
    }
  });
  return out;
}

export async function getAdGroup(session: Session, refText: string): Promise<AdGroup> {
  const ref = parseRef(refText);
  return (await adapterFor(session, ref.platform, 'adgroups.read')).getAdGroup(ref.id);
}

// ---------------------------------------------------------------------------------------------
// Writes.
// ---------------------------------------------------------------------------------------------

export interface CreateAdGroupRequest {
  /** The parent campaign's ref; the ad group is created on its platform. */
  campaign: string;
  name: string;
  active: boolean;
  budget?: BudgetFlag | undefined;
  bid?: BidFlags | undefined;
  optimization?: string | undefined;
  objective?: Objective | undefined;
  schedule?: ScheduleFlags | undefined;
  targeting?: TargetingFlags | undefined;
}

export interface AdGroupWrite<T> {
  result: WriteOutcome<T>;
  /** Which zone each typed time was read in (stderr). */
  notes: string[];
}

/** Not idempotent: a create with an unknown outcome ends in exit 8 and is never retried here. */
export async function createAdGroup(session: Session, req: CreateAdGroupRequest): Promise<AdGroupWrite<AdGroup>> {
  const parent = parseRef(req.campaign);
  // Everything that can be refused without the network is refused first.
  if (req.budget && /[A-Za-z]{3}/.test(req.budget.text)) parseMoney(req.budget.text);
  if (req.bid?.amount && /[A-Za-z]{3}/.test(req.bid.amount)) parseMoney(req.bid.amount);
  bidFlagStrategy(req.bid ?? {});
  const targeting = parseTargeting(req.targeting ?? {}) ?? {};
  const adapter = await adapterFor(session, parent.platform, 'adgroups.write');
  const budget = await resolveBudget(session, parent.platform, req.budget);
  const bid = await resolveBid(session, parent.platform, req.bid ?? {});
  const schedule = await resolveSchedule(session, parent.platform, req.schedule ?? {});
  const result = await performWrite(session, { platform: parent.platform, operation: 'adgroup.create', before: null, after: (g) => g as AdGroup }, () =>
    adapter.createAdGroup({
      campaignId: parent.id,
      name: req.name,
      status: req.active ? 'active' : 'paused',
      budget: budget ?? null,
      bid: bid ?? null,
      optimization: req.optimization,
      objective: req.objective,
      start: schedule.start?.utc ?? null,
      end: schedule.end?.utc ?? null,
      targeting,
    }));
  return { result, notes: schedule.notes };
}

export interface UpdateAdGroupRequest {
  name?: string | undefined;
  status?: AdGroupPatch['status'];
  budget?: BudgetFlag | undefined;
  bid?: BidFlags | undefined;
  schedule?: ScheduleFlags | undefined;
  targeting?: TargetingFlags | undefined;
}

/** Idempotent: sets the given fields to the given values. */
export async function updateAdGroup(
  session: Session, refText: string, req: UpdateAdGroupRequest, options: { reverts?: string; confirmer: Confirmer },
): Promise<AdGroupWrite<AdGroup>> {
  const ref = parseRef(refText);
  const targeting = parseTargeting(req.targeting ?? {});
  const bidGiven = req.bid?.strategy !== undefined || req.bid?.amount !== undefined;
  const scheduleGiven = req.schedule?.start !== undefined || req.schedule?.end !== undefined;
  if (req.name === undefined && req.status === undefined && req.budget === undefined && !bidGiven && !scheduleGiven && !targeting) {
    throw usageError('NOTHING_TO_UPDATE', 'nothing to update', 'pass --name, --daily-budget, --lifetime-budget, --bid/--bid-strategy, --start/--end or a targeting flag');
  }
  if (req.budget && /[A-Za-z]{3}/.test(req.budget.text)) parseMoney(req.budget.text);
  if (req.bid?.amount && /[A-Za-z]{3}/.test(req.bid.amount)) parseMoney(req.bid.amount);
  bidFlagStrategy(req.bid ?? {});
  const adapter = await adapterFor(session, ref.platform, 'adgroups.write');
  if (req.budget) await session.adapter(ref.platform, 'budgets.write');
  const budget = await resolveBudget(session, ref.platform, req.budget);
  const bid = await resolveBid(session, ref.platform, req.bid ?? {});
  const schedule = await resolveSchedule(session, ref.platform, req.schedule ?? {});
  const before = await adapter.getAdGroup(ref.id);
  if (budget) await enforceGuardrails(session, [{ id: before.ref, period: budget.period, to: budget.money, from: budgetFrom(before.budget) }], options.confirmer);
  const patch: AdGroupPatch = {
    name: req.name, status: req.status, budget, bid, targeting,
    ...(schedule.start !== undefined ? { start: schedule.start.utc } : {}),
    ...(schedule.end !== undefined ? { end: schedule.end?.utc ?? null } : {}),
  };
  const result = await performWrite(
    session,
    { platform: ref.platform, operation: 'adgroup.update', ref: before.ref, before, after: (g) => g as AdGroup, reverts: options.reverts },
    () => adapter.updateAdGroup(ref.id, patch),
  );
  return { result, notes: schedule.notes };
}

export interface DeleteAdGroupResult {
  ref: string;
  deleted: true;
  /** True when the ad group was already deleted (or never existed): nothing was sent. */
  alreadyDeleted: boolean;
}

/** Idempotent: deleting an already deleted ad group succeeds without a request. */
export async function deleteAdGroup(session: Session, refText: string): Promise<WriteOutcome<DeleteAdGroupResult>> {
  const ref = parseRef(refText);
  const adapter = await adapterFor(session, ref.platform, 'adgroups.write');
  const before = await adapter.getAdGroup(ref.id).catch((e: unknown) => {
    // Deleting is idempotent: an object that is already gone is not an error for delete.
    if (e instanceof AdctlError && e.code === 'NOT_FOUND') return null;
    throw e;
  });
  if (!before || before.status === 'deleted') return { ref: refText, deleted: true, alreadyDeleted: true };
  return performWrite(session, { platform: ref.platform, operation: 'adgroup.delete', ref: before.ref, before, after: () => null }, async () => {
    await adapter.deleteAdGroup(ref.id);
    return { ref: refText, deleted: true as const, alreadyDeleted: false };
  });
}
