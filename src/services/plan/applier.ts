/**
 * The applier: the one place where a plan turns into requests. Each step is recorded in the audit
 * log (like every adctl mutation) and in the state file, in dependency order, one at a time.
 *
 * Crash contract (kill -9 at any instant, then rerun `apply`):
 * - Before a create is sent, the key's entry gets `pending: {name, parentRef}` and the state file is
 *   written (atomically). After the answer, the ref replaces `pending`.
 * - On the rerun the planner finds the pending entry and looks the object up by name (and parent)
 *   among live objects no key owns: found → adopted, not created again.
 * - Updates and deletes are idempotent (they set values), so repeating one is harmless.
 * - A create whose outcome is unknown (exit 8) leaves `pending` in place for the same reason.
 */
import { AdctlError, ExitCode } from '../../core/errors.js';
import { parseMoney } from '../../core/money.js';
import type {
  AdGroup, AdGroupCreateInput, AdGroupPatch, BidInput, BudgetInput, Campaign, CampaignPatch, Platform, Targeting,
} from '../../core/model.js';
import type { AdGroupSpec, BudgetSpec } from '../../core/spec.js';
import type { PlatformAdapter } from '../../core/adapter.js';
import { appendAudit, newEntryId, snapshot, type AuditOperation } from '../audit.js';
import type { Session } from '../session.js';
import { adGroupFields, campaignFields } from './planner.js';
import { writeState } from './state.js';
import type { Action, SpecState } from './types.js';

export interface StepReport {
  action: Action;
  ok: boolean;
  ref: string | null;
  error?: { code: string; message: string; exitCode: number } | undefined;
}

export interface ApplyHooks {
  /** Called before each step is sent (progress output). */
  onStep?(action: Action, index: number, total: number): void;
  /** Budget guardrail check before a budget is raised; throws (exit 77) to refuse. */
  checkBudget?(platform: Platform, ref: string | null, before: BudgetInput | null, after: BudgetInput): Promise<void>;
  /** The account currency per platform (bare spec amounts are in it). */
  currency(platform: Platform): Promise<string>;
}

function budgetInput(b: BudgetSpec | undefined, currency: string): BudgetInput | null {
  if (!b) return null;
  return 'daily' in b ? { period: 'daily', money: parseMoney(b.daily, currency) } : { period: 'lifetime', money: parseMoney(b.lifetime, currency) };
}

function bidInput(b: AdGroupSpec['bid'], currency: string): BidInput | null {
  if (!b) return null;
  return { strategy: b.strategy, money: b.amount !== undefined ? parseMoney(b.amount, currency) : null };
}

function targetingInput(t: AdGroupSpec['targeting']): Partial<Targeting> {
  if (!t) return {};
  const out: Partial<Targeting> = {};
  if (t.countries) out.countries = t.countries;
  if (t.age) {
    out.ageMin = t.age[0];
    out.ageMax = t.age[1];
  }
  if (t.publisherPlatforms) out.publisherPlatforms = t.publisherPlatforms;
  if (t.placements) out.placements = t.placements;
  return out;
}

const idOf = (ref: string) => ref.slice(ref.indexOf(':') + 1);

export class Applier {
  readonly steps: StepReport[] = [];

  constructor(
    private readonly session: Session,
    private readonly state: SpecState,
    private readonly stateFile: string,
    private readonly hooks: ApplyHooks,
  ) {}

  private save(): void {
    writeState(this.stateFile, this.state);
  }

  private audit(platform: Platform, operation: string, ref: string | null, before: Campaign | AdGroup | null, after: Campaign | AdGroup | null, error?: unknown): void {
    const err = error instanceof AdctlError ? error : undefined;
    appendAudit(this.session.settings.configDir, {
      id: newEntryId(),
      time: new Date().toISOString(),
      profile: this.session.settings.profile,
      platform,
      ref,
      // Ad group operations share the audit format; the union in audit.ts names campaign and post ones.
      operation: operation as AuditOperation,
      before: snapshot(before as Campaign | null),
      after: snapshot(after as Campaign | null),
      requestId: err?.requestId ?? this.session.lastRequestId.get(platform) ?? null,
      outcome: error === undefined ? 'ok' : err?.code === 'UNKNOWN_OUTCOME' ? 'unknown' : 'failed',
      ...(error !== undefined ? { error: { code: err?.code ?? 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) } } : {}),
    }, (s) => this.session.redactor.redact(s));
  }

  private async adapter(platform: Platform, kind: 'campaign' | 'adgroup'): Promise<PlatformAdapter> {
    return this.session.adapter(platform, kind === 'campaign' ? 'campaigns.write' : 'adgroups.write');
  }

  /** Run every action in order; stops at the first failure (later steps may depend on it). */
  async run(actions: Action[]): Promise<void> {
    for (const [i, action] of actions.entries()) {
      this.hooks.onStep?.(action, i, actions.length);
      try {
        const ref = await this.step(action);
        this.steps.push({ action, ok: true, ref });
      } catch (e) {
        const err = e instanceof AdctlError ? e : undefined;
        this.steps.push({ action, ok: false, ref: 'ref' in action ? action.ref : null, error: { code: err?.code ?? 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e), exitCode: err?.exitCode ?? ExitCode.FAILURE } });
        throw e;
      }
    }
  }

  private async step(a: Action): Promise<string | null> {
    const entries = this.state.objects;
    switch (a.op) {
      case 'create': {
        const currency = await this.hooks.currency(a.platform);
        const adapter = await this.adapter(a.platform, a.kind);
        let parentRef: string | null = null;
        if (a.kind === 'adgroup') {
          parentRef = entries[a.parentKey]?.ref ?? null;
          if (!parentRef) throw new AdctlError('PARENT_MISSING', `${a.key}: its campaign ${a.parentKey} has no platform id yet`, ExitCode.FAILURE, { hint: 'run `adctl apply` again; the campaign is created first' });
        }
        const budget = budgetInput(a.input.budget, currency);
        if (budget && this.hooks.checkBudget) await this.hooks.checkBudget(a.platform, null, null, budget);
        // Intent first: a crash after this line is reconciled by name on the rerun.
        entries[a.key] = { kind: a.kind, platform: a.platform, ref: null, pending: { op: 'create', name: a.name, parentRef, at: new Date().toISOString() } };
        this.save();
        let created: Campaign | AdGroup;
        try {
          if (a.kind === 'campaign') {
            created = await adapter.createCampaign({
              name: a.input.name, objective: a.input.objective!, status: a.input.status ?? 'paused', budget,
            });
          } else {
            if (!adapter.createAdGroup) throw new AdctlError('UNSUPPORTED', `${a.platform} cannot create ad groups`, ExitCode.CONFIG);
            const g = a.input;
            const input: AdGroupCreateInput = {
              campaignId: idOf(parentRef!), name: g.name, status: g.status ?? 'paused', budget, bid: bidInput(g.bid, currency),
              optimization: g.optimization, objective: a.objective, start: g.schedule?.start ?? null, end: g.schedule?.end ?? null, targeting: targetingInput(g.targeting),
            };
            created = await adapter.createAdGroup(input);
          }
        } catch (e) {
          this.audit(a.platform, `${a.kind}.create`, null, null, null, e);
          throw e;
        }
        this.audit(a.platform, `${a.kind}.create`, created.ref, null, created);
        entries[a.key] = { kind: a.kind, platform: a.platform, ref: created.ref, applied: a.kind === 'campaign' ? campaignFields(created as Campaign) : adGroupFields(created as AdGroup) };
        this.save();
        return created.ref;
      }
      case 'adopt': {
        const adapter = await this.adapter(a.platform, a.kind);
        const obj = a.kind === 'campaign' ? await adapter.getCampaign(idOf(a.ref)) : await adapter.getAdGroup!(idOf(a.ref));
        entries[a.key] = { kind: a.kind, platform: a.platform, ref: a.ref, applied: a.kind === 'campaign' ? campaignFields(obj as Campaign) : adGroupFields(obj as AdGroup) };
        this.save();
        return a.ref;
      }
      case 'update':
      case 'pause': {
        const currency = await this.hooks.currency(a.platform);
        const adapter = await this.adapter(a.platform, a.kind);
        const id = idOf(a.ref);
        const before = a.kind === 'campaign' ? await adapter.getCampaign(id) : await adapter.getAdGroup!(id);
        const p = a.patch;
        const budget = budgetInput(p.budget, currency) ?? undefined;
        if (budget && this.hooks.checkBudget) {
          const b = before.budget;
          const prior = b ? { period: b.period, money: parseMoney(`${b.amount} ${b.currency}`) } : null;
          await this.hooks.checkBudget(a.platform, a.ref, prior, budget);
        }
        let after: Campaign | AdGroup;
        try {
          if (a.kind === 'campaign') {
            const patch: CampaignPatch = { name: p.name, status: p.status, budget };
            after = await adapter.updateCampaign(id, patch);
          } else {
            const patch: AdGroupPatch = {
              name: p.name, status: p.status, budget, bid: p.bid ? bidInput(p.bid, currency)! : undefined,
              ...(p.schedule && 'start' in p.schedule ? { start: p.schedule.start ?? null } : {}),
              ...(p.schedule && 'end' in p.schedule ? { end: p.schedule.end ?? null } : {}),
              targeting: p.targeting ? targetingInput(p.targeting) : undefined,
            };
            after = await adapter.updateAdGroup!(id, patch);
          }
        } catch (e) {
          this.audit(a.platform, `${a.kind}.update`, a.ref, before, null, e);
          throw e;
        }
        this.audit(a.platform, `${a.kind}.update`, a.ref, before, after);
        entries[a.key] = { kind: a.kind, platform: a.platform, ref: a.ref, applied: a.kind === 'campaign' ? campaignFields(after as Campaign) : adGroupFields(after as AdGroup) };
        this.save();
        return a.ref;
      }
      case 'delete': {
        const adapter = await this.adapter(a.platform, a.kind);
        const id = idOf(a.ref);
        try {
          if (a.kind === 'campaign') await adapter.deleteCampaign(id);
          else await adapter.deleteAdGroup!(id);
        } catch (e) {
          this.audit(a.platform, `${a.kind}.delete`, a.ref, null, null, e);
          throw e;
        }
        this.audit(a.platform, `${a.kind}.delete`, a.ref, null, null);
        delete entries[a.key];
        this.save();
        return a.ref;
      }
      case 'forget': {
        delete entries[a.key];
        this.save();
        return a.ref;
      }
    }
  }
}
