/**
 * `adctl import`: write a spec (and its state file) from live accounts, so an existing setup can
 * be adopted. Contract: `plan` right after `import` shows no changes and no drift. The spec is
 * built field by field from what the platforms report; a field a platform does not report (an X
 * campaign's objective before it has line items) is left out, which the planner reads as "not
 * managed".
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import type { AdGroup, Budget, Campaign, Platform } from '../core/model.js';
import { formatSpec, validateSpec, type AdGroupSpec, type BudgetSpec, type CampaignSpec, type CampaignsSpec } from '../core/spec.js';
import type { Session } from './session.js';
import { readLive } from './plan/live.js';
import { adGroupFields, adGroupStateKey, campaignFields } from './plan/planner.js';
import { lockState, stateFileFor, writeState } from './plan/state.js';
import type { SpecState } from './plan/types.js';

/** A readable, stable key from a name: `Winter Sale` → `winter-sale`; unique within `taken`. */
export function keyFor(name: string, fallback: string, taken: Set<string>): string {
  const base = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || fallback;
  let key = /^[a-z0-9]/.test(base) ? base : fallback;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

function budgetSpec(b: Budget | null): BudgetSpec | undefined {
  if (!b) return undefined;
  const text = `${b.amount} ${b.currency}`;
  return b.period === 'daily' ? { daily: text } : { lifetime: text };
}

const status = (s: string): 'active' | 'paused' | undefined => (s === 'active' || s === 'paused' ? s : undefined);

function adGroupSpec(g: AdGroup, key: string): AdGroupSpec {
  const out: AdGroupSpec = { key, name: g.name };
  const st = status(g.status);
  if (st) out.status = st;
  const b = budgetSpec(g.budget);
  if (b) out.budget = b;
  if (g.bid) out.bid = g.bid.amount ? { strategy: g.bid.strategy, amount: `${g.bid.amount.amount} ${g.bid.amount.currency}` } : { strategy: g.bid.strategy };
  if (g.optimization) out.optimization = g.optimization;
  if (g.schedule.start || g.schedule.end) {
    out.schedule = { ...(g.schedule.start ? { start: g.schedule.start } : {}), ...(g.schedule.end ? { end: g.schedule.end } : {}) };
  }
  const t = g.targeting;
  const targeting: NonNullable<AdGroupSpec['targeting']> = {};
  if (t.countries.length) targeting.countries = [...t.countries].sort();
  if (t.ageMin !== null && t.ageMax !== null) targeting.age = [t.ageMin, t.ageMax];
  if (t.publisherPlatforms.length) targeting.publisherPlatforms = [...t.publisherPlatforms].sort();
  if (t.placements.length) targeting.placements = [...t.placements].sort();
  if (Object.keys(targeting).length) out.targeting = targeting;
  return out;
}

export interface ImportResult {
  file: string;
  stateFile: string;
  campaigns: number;
  adGroups: number;
}

export async function importSpec(session: Session, outFile: string, options: { platform?: Platform; force?: boolean }): Promise<ImportResult> {
  const path = resolve(outFile);
  if (existsSync(path) && !options.force) {
    throw usageError('FILE_EXISTS', `${outFile} already exists`, 'pass --force to overwrite it, or choose another file with -o');
  }
  const platforms = session.fanOutPlatforms(options.platform);
  const live = await readLive(session, platforms);
  const state: SpecState = { version: 1, objects: {} };
  const campaigns: CampaignSpec[] = [];
  const taken = new Set<string>();
  let groups = 0;
  for (const p of platforms) {
    const lp = live[p]!;
    const account = session.accountId(p);
    const sorted = [...lp.campaigns].filter((c) => c.status !== 'deleted').sort((a: Campaign, b: Campaign) => a.ref.localeCompare(b.ref));
    for (const c of sorted) {
      const key = keyFor(c.name, `${p}-${c.id}`, taken);
      const spec: CampaignSpec = { key, platform: p, ...(account ? { account: c.account || account } : {}), name: c.name };
      if (c.objective) spec.objective = c.objective;
      const st = status(c.status);
      if (st) spec.status = st;
      const b = budgetSpec(c.budget);
      if (b) spec.budget = b;
      state.objects[key] = { kind: 'campaign', platform: p, ref: c.ref, applied: campaignFields(c) };
      const children = lp.adGroups.filter((g) => g.campaign === c.ref && g.status !== 'deleted').sort((a, b2) => a.ref.localeCompare(b2.ref));
      if (children.length) {
        const gTaken = new Set<string>();
        spec.adgroups = children.map((g) => {
          const gk = keyFor(g.name, `${p}-${g.id}`, gTaken);
          state.objects[adGroupStateKey(key, gk)] = { kind: 'adgroup', platform: p, ref: g.ref, applied: adGroupFields(g) };
          groups += 1;
          return adGroupSpec(g, gk);
        });
      }
      campaigns.push(spec);
    }
  }
  const doc: CampaignsSpec = { version: 1, campaigns };
  // What we write must be what we read back.
  validateSpec(JSON.parse(JSON.stringify(doc)), outFile);
  const stateFile = stateFileFor(path);
  const release = lockState(stateFile);
  try {
    writeFileAtomic(path, formatSpec(doc, /\.json$/i.test(path)), 0o644);
    writeState(stateFile, state);
  } finally {
    release();
  }
  return { file: path, stateFile, campaigns: campaigns.length, adGroups: groups };
}
