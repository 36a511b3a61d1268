/**
 * Ad group views shared by the in-process and the spawned ad group tests: the JSON shapes adctl
 * prints, and what the sandbox holds on the wire (status, budget and bid in platform units).
 */
import type { MetaAdSet } from '../../src/sandbox/meta/adsets-seed.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';

export interface AdGroupJson {
  ref: string; id: string; campaign: string; name: string; status: string;
  budget: { period: string; amount: string; currency: string } | null;
  bid: { strategy: string; amount: { amount: string; currency: string } | null } | null;
  optimization: string | null;
  schedule: { start: string | null; end: string | null };
  targeting: { countries: string[]; ageMin: number | null; ageMax: number | null; publisherPlatforms: string[]; placements: string[] };
}

export interface AuditEntryJson {
  id: string; operation: string; ref: string; outcome: string; reverts?: string;
  before: { status?: string; budget?: { amount: string } | null; bid?: unknown } | null;
  after: { status?: string; budget?: { amount: string } | null; bid?: unknown } | null;
}

/** The wire values the sandbox holds for one ad group: status, budget and bid in platform units. */
export function adGroupWire(sandbox: SandboxServer, platform: 'x' | 'meta', id: string): { status: string; budget: string | number | null; bid: number | null; name: string | null } {
  if (platform === 'x') {
    const l = xOf(sandbox.state.read()).lineItems.find((i) => i.id === id)!;
    return { status: l.deleted ? 'DELETED' : l.entity_status, budget: l.daily_budget_amount_local_micro, bid: l.bid_amount_local_micro, name: l.name };
  }
  const a = (sandbox.state.read().meta as unknown as { adSets: MetaAdSet[] }).adSets.find((s) => s.id === id)!;
  return { status: a.status, budget: a.daily_budget, bid: a.bid_amount, name: a.name };
}
