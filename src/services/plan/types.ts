/**
 * Shapes shared by the planner (pure), the applier (side effects) and the state file. Everything
 * here is JSON: a saved plan (`plan -o plan.json`) is exactly a `Plan`.
 */
import type { AdGroup, Campaign, Objective, Platform } from '../../core/model.js';
import type { AdGroupSpec, CampaignSpec } from '../../core/spec.js';

export type ObjectKind = 'campaign' | 'adgroup';

/**
 * A managed field as a canonical display string (`daily 5000 JPY`, `JP,US`, `25-44`), or null when
 * the object has no value. Comparing these strings is how the planner diffs.
 */
export type Fields = Record<string, string | null>;

/** One entry of the state file: key → platform object. */
export interface StateEntry {
  kind: ObjectKind;
  platform: Platform;
  /** `x:8wku2`; null while a create is in flight (see `pending`). */
  ref: string | null;
  /** The fields as they were right after adctl last wrote or imported them (drift baseline). */
  applied?: Fields | undefined;
  /**
   * Written before a create is sent and cleared when its answer is recorded. A rerun that finds it
   * looks the object up by name in live state instead of creating it twice.
   */
  pending?: { op: 'create'; name: string; parentRef?: string | null | undefined; at: string } | undefined;
}

/** `<spec>.state.json`. Keys: campaign `key`, ad group `campaignKey/adgroupKey`. */
export interface SpecState {
  version: 1;
  objects: Record<string, StateEntry>;
}

export interface LivePlatform {
  /** The ad account's currency: bare amounts in the spec are in it. */
  currency: string;
  campaigns: Campaign[];
  /** Ad groups of the listed campaigns (empty when the plugin cannot read ad groups). */
  adGroups: AdGroup[];
  /** False when the plugin has no ad group capability. */
  adGroupsSupported: boolean;
}

export type LiveState = Partial<Record<Platform, LivePlatform>>;

export interface Change {
  field: string;
  from: string | null;
  to: string | null;
}

/** What a create sends, in spec form (amounts as written; made exact against the account by the applier). */
export type CampaignCreate = Omit<CampaignSpec, 'adgroups'>;
export type AdGroupCreate = AdGroupSpec;

export type Action =
  | { op: 'create'; kind: 'campaign'; key: string; platform: Platform; name: string; fields: Fields; input: CampaignCreate }
  /**
   * `objective` is the parent campaign's, from the spec: X keeps objectives on line items, so the
   * first line item of a new X campaign must carry it (Meta checks it against the campaign's).
   */
  | { op: 'create'; kind: 'adgroup'; key: string; platform: Platform; name: string; fields: Fields; input: AdGroupCreate; parentKey: string; objective?: Objective }
  /** A create from an interrupted apply that did reach the platform: link it, send nothing. */
  | { op: 'adopt'; kind: ObjectKind; key: string; platform: Platform; name: string; ref: string }
  /** `pause` is an update whose only change is status → paused. */
  | { op: 'update' | 'pause'; kind: ObjectKind; key: string; platform: Platform; name: string; ref: string; changes: Change[]; patch: Partial<AdGroupSpec> }
  | { op: 'delete'; kind: ObjectKind; key: string; platform: Platform; name: string; ref: string }
  /** The linked object is gone already (deleted outside adctl) and not in the spec: drop the link. */
  | { op: 'forget'; kind: ObjectKind; key: string; platform: Platform; name: string; ref: string };

export interface Drift {
  key: string;
  kind: ObjectKind;
  ref: string;
  /** Null when the object itself is gone. */
  field: string | null;
  applied: string | null;
  live: string | null;
}

export interface Plan {
  format: 'adctl-plan';
  version: 1;
  /** The spec and state file the plan was computed from (absolute paths). */
  spec: string;
  stateFile: string;
  profile: string;
  /** The platforms whose live state the plan read (and the fingerprint covers). */
  platforms: Platform[];
  /** sha256 of the live state the plan was computed against; apply refuses (exit 5) when it moved. */
  fingerprint: string;
  createdAt: string;
  actions: Action[];
  drift: Drift[];
  /** Things the plan cannot change (e.g. an objective, fixed at creation). */
  notes: string[];
  summary: { create: number; update: number; pause: number; delete: number; adopt: number; forget: number };
}
