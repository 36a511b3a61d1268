/**
 * The planner: a pure function from (spec, state file, live state) to a plan. No clock, no I/O, no
 * randomness: the same inputs give the same plan, byte for byte (golden tests hold it to that).
 *
 * Contracts:
 * - Identity is the spec key, linked to a platform id by the state file, so a rename is an update.
 * - Only fields the spec mentions are managed; an unmanaged field is never changed.
 * - Drift: a linked object whose live field differs from what adctl last applied (or imported)
 *   was changed outside adctl. Drift is reported whether or not the spec manages the field.
 * - A key whose create was interrupted (`pending` in the state file) is matched by name (and
 *   parent) against live objects no other key owns: found → `adopt` (no request), else `create`.
 * - Order = dependency order: campaigns (create, adopt, update) in spec order, then ad groups in
 *   spec order, then ad group deletes, then campaign deletes.
 * - Money: bare amounts use the account's currency; a different currency is a usage error (exit
 *   64) with the spec path, never converted.
 */
import { createHash } from 'node:crypto';
import { AdctlError } from '../../core/errors.js';
import { formatAmount, parseMoney } from '../../core/money.js';
import type { AdGroup, Campaign, Platform } from '../../core/model.js';
import { specError, type AdGroupSpec, type BudgetSpec, type CampaignsSpec } from '../../core/spec.js';
import type { Action, Change, Drift, Fields, LivePlatform, LiveState, Plan, SpecState } from './types.js';

/** Fields that are set at creation and cannot be changed in place. */
const CREATE_ONLY = new Set(['objective', 'optimization']);

export function adGroupStateKey(campaignKey: string, adGroupKey: string): string {
  return `${campaignKey}/${adGroupKey}`;
}

function moneyText(text: string, currency: string, path: string, problems: string[]): string | undefined {
  try {
    const m = parseMoney(text, currency);
    return `${formatAmount(m)} ${m.currency}`;
  } catch (e) {
    if (!(e instanceof AdctlError)) throw e;
    problems.push(`${path}: ${e.message}`);
    return undefined;
  }
}

function budgetField(b: BudgetSpec, currency: string, path: string, problems: string[]): string | null {
  const [period, text] = 'daily' in b ? ['daily', b.daily] : ['lifetime', b.lifetime];
  const m = moneyText(text, currency, `${path}.budget.${period}`, problems);
  return m === undefined ? null : `${period} ${m}`;
}

const list = (xs: readonly string[] | undefined): string | null => (xs && xs.length ? [...xs].sort().join(',') : null);
const isoSec = (t: string | null | undefined): string | null => (t ? new Date(Date.parse(t)).toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

/** Live campaign → canonical fields. */
export function campaignFields(c: Campaign): Fields {
  return {
    name: c.name,
    status: c.status,
    budget: c.budget ? `${c.budget.period} ${c.budget.amount} ${c.budget.currency}` : null,
    objective: c.objective,
  };
}

/** Live ad group → canonical fields. */
export function adGroupFields(g: AdGroup): Fields {
  const t = g.targeting;
  return {
    name: g.name,
    status: g.status,
    budget: g.budget ? `${g.budget.period} ${g.budget.amount} ${g.budget.currency}` : null,
    bid: g.bid ? (g.bid.amount ? `${g.bid.strategy} ${g.bid.amount.amount} ${g.bid.amount.currency}` : g.bid.strategy) : null,
    optimization: g.optimization,
    start: isoSec(g.schedule.start),
    end: isoSec(g.schedule.end),
    countries: list(t.countries),
    age: t.ageMin === null && t.ageMax === null ? null : `${t.ageMin ?? ''}-${t.ageMax ?? ''}`,
    publisherPlatforms: list(t.publisherPlatforms),
    placements: list(t.placements),
  };
}

/** The fields a spec campaign manages (only those it mentions, plus name and objective). */
function desiredCampaign(c: CampaignsSpec['campaigns'][number], currency: string, path: string, problems: string[]): Fields {
  const f: Fields = { name: c.name };
  if (c.objective) f.objective = c.objective;
  if (c.status) f.status = c.status;
  if (c.budget) f.budget = budgetField(c.budget, currency, path, problems);
  return f;
}

function desiredAdGroup(g: AdGroupSpec, currency: string, path: string, problems: string[]): Fields {
  const f: Fields = { name: g.name };
  if (g.status) f.status = g.status;
  if (g.budget) f.budget = budgetField(g.budget, currency, path, problems);
  if (g.bid) {
    const amount = g.bid.amount !== undefined ? moneyText(g.bid.amount, currency, `${path}.bid.amount`, problems) : undefined;
    f.bid = amount ? `${g.bid.strategy} ${amount}` : g.bid.strategy;
  }
  if (g.optimization) f.optimization = g.optimization;
  if (g.schedule?.start) f.start = isoSec(g.schedule.start);
  if (g.schedule?.end) f.end = isoSec(g.schedule.end);
  const t = g.targeting;
  if (t?.countries) f.countries = list(t.countries);
  if (t?.age) f.age = `${t.age[0]}-${t.age[1]}`;
  if (t?.publisherPlatforms) f.publisherPlatforms = list(t.publisherPlatforms);
  if (t?.placements) f.placements = list(t.placements);
  return f;
}

/** The part of an ad group spec that carries the changed fields (spec form, for the applier). */
function adGroupPatch(g: AdGroupSpec, changed: Set<string>): Partial<AdGroupSpec> {
  const p: Partial<AdGroupSpec> = {};
  if (changed.has('name')) p.name = g.name;
  if (changed.has('status')) p.status = g.status;
  if (changed.has('budget')) p.budget = g.budget;
  if (changed.has('bid')) p.bid = g.bid;
  if (changed.has('start') || changed.has('end')) p.schedule = { ...(changed.has('start') ? { start: g.schedule?.start } : {}), ...(changed.has('end') ? { end: g.schedule?.end } : {}) };
  const tKeys = ['countries', 'age', 'publisherPlatforms', 'placements'].filter((k) => changed.has(k));
  if (tKeys.length && g.targeting) {
    const t = g.targeting as Record<string, unknown>;
    p.targeting = Object.fromEntries(tKeys.map((k) => [k, t[k]]));
  }
  return p;
}

interface Diff {
  changes: Change[];
  notes: string[];
}

function diff(desired: Fields, live: Fields, label: string): Diff {
  const changes: Change[] = [];
  const notes: string[] = [];
  for (const [field, to] of Object.entries(desired)) {
    const from = live[field] ?? null;
    if (from === to) continue;
    if (CREATE_ONLY.has(field)) {
      // X reads a campaign's objective from its line items: none yet means nothing to compare.
      if (from !== null) notes.push(`${label}: ${field} is ${from} on the platform but ${to} in the spec; it is fixed at creation (delete and recreate to change it)`);
      continue;
    }
    changes.push({ field, from, to });
  }
  return { changes, notes };
}

function driftOf(key: string, kind: 'campaign' | 'adgroup', ref: string, applied: Fields | undefined, live: Fields): Drift[] {
  if (!applied) return [];
  const out: Drift[] = [];
  for (const field of Object.keys(applied).sort()) {
    // Create-only fields are derived by some platforms (X reads a campaign's objective from its
    // line items), so their read-back can move without anyone changing anything.
    if (CREATE_ONLY.has(field)) continue;
    const a = applied[field] ?? null;
    const l = live[field] ?? null;
    if (a !== l) out.push({ key, kind, ref, field, applied: a, live: l });
  }
  return out;
}

const gone = (o: { status: string } | undefined): boolean => !o || o.status === 'deleted';

export interface PlanContext {
  spec: string;
  stateFile: string;
  profile: string;
  /** Passed in (not read from a clock) so the planner stays pure. */
  createdAt: string;
}

/**
 * Compute the plan. Throws a usage error (exit 64) listing every spec problem found against live
 * facts (currencies, platforms not available).
 */
export function plan(spec: CampaignsSpec, state: SpecState, live: LiveState, ctx: PlanContext): Plan {
  const problems: string[] = [];
  const actions: Action[] = [];
  const groupActions: Action[] = [];
  const drift: Drift[] = [];
  const notes: string[] = [];

  // Every ref some key owns: those are never adopted by another key.
  const owned = new Set(Object.values(state.objects).map((e) => e.ref).filter((r): r is string => !!r));
  const specKeys = new Set<string>();

  const findCampaign = (p: LivePlatform, ref: string) => p.campaigns.find((c) => c.ref === ref);
  const findGroup = (p: LivePlatform, ref: string) => p.adGroups.find((g) => g.ref === ref);

  spec.campaigns.forEach((c, i) => {
    const path = `campaigns[${i}]`;
    const lp = live[c.platform];
    specKeys.add(c.key);
    if (!lp) {
      problems.push(`${path}.platform: ${c.platform} is not available (plugin disabled or not configured)`);
      return;
    }
    const desired = desiredCampaign(c, lp.currency, path, problems);
    const entry = state.objects[c.key];
    let liveC: Campaign | undefined;
    if (entry?.ref && entry.platform === c.platform) {
      liveC = findCampaign(lp, entry.ref);
      if (gone(liveC)) {
        drift.push({ key: c.key, kind: 'campaign', ref: entry.ref, field: null, applied: 'exists', live: 'deleted' });
        liveC = undefined;
      } else {
        drift.push(...driftOf(c.key, 'campaign', entry.ref, entry.applied, campaignFields(liveC!)));
      }
    } else if (entry?.pending && entry.platform === c.platform) {
      liveC = lp.campaigns.find((k) => k.name === entry.pending!.name && !owned.has(k.ref) && !gone(k));
      if (liveC) {
        owned.add(liveC.ref);
        actions.push({ op: 'adopt', kind: 'campaign', key: c.key, platform: c.platform, name: c.name, ref: liveC.ref });
      }
    }
    const { adgroups: _groups, ...input } = c;
    if (!liveC) {
      if (!c.objective) problems.push(`${path}.objective: required to create the campaign`);
      actions.push({ op: 'create', kind: 'campaign', key: c.key, platform: c.platform, name: c.name, fields: { ...desired, status: desired.status ?? 'paused' }, input });
    } else {
      const d = diff(desired, campaignFields(liveC), `${c.key} (${liveC.ref})`);
      notes.push(...d.notes);
      if (d.changes.length) {
        const changed = new Set(d.changes.map((x) => x.field));
        const op = d.changes.length === 1 && d.changes[0]!.field === 'status' && d.changes[0]!.to === 'paused' ? 'pause' : 'update';
        const patch: Partial<AdGroupSpec> = {};
        if (changed.has('name')) patch.name = c.name;
        if (changed.has('status')) patch.status = c.status;
        if (changed.has('budget')) patch.budget = c.budget;
        actions.push({ op, kind: 'campaign', key: c.key, platform: c.platform, name: c.name, ref: liveC.ref, changes: d.changes, patch });
      }
    }

    (c.adgroups ?? []).forEach((g, k) => {
      const gpath = `${path}.adgroups[${k}]`;
      const key = adGroupStateKey(c.key, g.key);
      specKeys.add(key);
      if (!lp.adGroupsSupported) {
        problems.push(`${gpath}: the ${c.platform} plugin cannot manage ad groups (capability adgroups.write)`);
        return;
      }
      const want = desiredAdGroup(g, lp.currency, gpath, problems);
      const ge = state.objects[key];
      let liveG: AdGroup | undefined;
      if (ge?.ref && ge.platform === c.platform) {
        liveG = findGroup(lp, ge.ref);
        // An ad group whose campaign was recreated belongs to the old campaign: treat it as gone.
        if (gone(liveG) || (liveC && liveG!.campaign !== liveC.ref)) {
          drift.push({ key, kind: 'adgroup', ref: ge.ref, field: null, applied: 'exists', live: 'deleted' });
          liveG = undefined;
        } else {
          drift.push(...driftOf(key, 'adgroup', ge.ref, ge.applied, adGroupFields(liveG!)));
        }
      } else if (ge?.pending && ge.platform === c.platform && liveC) {
        liveG = lp.adGroups.find((x) => x.name === ge.pending!.name && x.campaign === liveC!.ref && !owned.has(x.ref) && !gone(x));
        if (liveG) {
          owned.add(liveG.ref);
          groupActions.push({ op: 'adopt', kind: 'adgroup', key, platform: c.platform, name: g.name, ref: liveG.ref });
        }
      }
      if (!liveG) {
        groupActions.push({ op: 'create', kind: 'adgroup', key, platform: c.platform, name: g.name, fields: { ...want, status: want.status ?? 'paused' }, input: g, parentKey: c.key, ...(c.objective ? { objective: c.objective } : {}) });
        return;
      }
      const d = diff(want, adGroupFields(liveG), `${key} (${liveG.ref})`);
      notes.push(...d.notes);
      if (d.changes.length) {
        const op = d.changes.length === 1 && d.changes[0]!.field === 'status' && d.changes[0]!.to === 'paused' ? 'pause' : 'update';
        groupActions.push({ op, kind: 'adgroup', key, platform: c.platform, name: g.name, ref: liveG.ref, changes: d.changes, patch: adGroupPatch(g, new Set(d.changes.map((x) => x.field))) });
      }
    });
  });
  if (problems.length) throw specError(ctx.spec, problems);

  // Linked keys the spec no longer has: delete what still exists, forget what is gone.
  const removed: Action[] = [];
  for (const key of Object.keys(state.objects).sort()) {
    if (specKeys.has(key)) continue;
    const e = state.objects[key]!;
    if (!e.ref) continue; // an interrupted create of a key since removed: nothing of ours to delete
    const lp = live[e.platform];
    if (!lp) continue;
    const obj = e.kind === 'campaign' ? findCampaign(lp, e.ref) : findGroup(lp, e.ref);
    const name = obj?.name ?? e.applied?.name ?? key;
    removed.push({ op: gone(obj) ? 'forget' : 'delete', kind: e.kind, key, platform: e.platform, name, ref: e.ref });
  }
  // Ad groups before their campaigns.
  removed.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'adgroup' ? -1 : 1));

  const all = [...actions, ...groupActions, ...removed];
  const count = (op: Action['op']) => all.filter((a) => a.op === op).length;
  return {
    format: 'adctl-plan',
    version: 1,
    spec: ctx.spec,
    stateFile: ctx.stateFile,
    profile: ctx.profile,
    platforms: (Object.keys(live) as Platform[]).sort(),
    fingerprint: fingerprint(live),
    createdAt: ctx.createdAt,
    actions: all,
    drift,
    notes,
    summary: { create: count('create'), update: count('update'), pause: count('pause'), delete: count('delete'), adopt: count('adopt'), forget: count('forget') },
  };
}

/** True when applying the plan would change anything (platform or state file). */
export function hasChanges(p: Plan): boolean {
  return p.actions.length > 0;
}

/**
 * A digest of the live state a plan depends on: every campaign and ad group of the platforms in
 * play, by ref, with their canonical fields. Order-independent.
 */
export function fingerprint(live: LiveState): string {
  const rows: string[] = [];
  for (const platform of Object.keys(live).sort() as Platform[]) {
    const lp = live[platform]!;
    rows.push(`${platform}|currency|${lp.currency}`);
    for (const c of lp.campaigns) rows.push(`${c.ref}|${JSON.stringify(campaignFields(c))}`);
    for (const g of lp.adGroups) rows.push(`${g.ref}|${g.campaign}|${JSON.stringify(adGroupFields(g))}`);
  }
  rows.sort();
  return `sha256:${createHash('sha256').update(rows.join('\n')).digest('hex')}`;
}
