/**
 * Campaigns as code: `plan`, `apply` and `import` as services. Commands call these; the planner
 * (pure) decides, the applier (side effects) sends.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AdctlError, ExitCode, configError, usageError } from '../../core/errors.js';
import type { Platform } from '../../core/model.js';
import { parseSpec, type CampaignsSpec } from '../../core/spec.js';
import { getAccount } from '../accounts.js';
import type { Session } from '../session.js';
import { Applier, type ApplyHooks, type StepReport } from './applier.js';
import { readLive } from './live.js';
import { fingerprint, plan as computePlan } from './planner.js';
import { lockState, readState, stateFileFor } from './state.js';
import { enforceGuardrails, type BudgetChange } from '../write/guardrails.js';
import type { Confirmer } from '../write/confirm.js';
import { parseMoney, type Money } from '../../core/money.js';
import type { BudgetPeriod } from '../../core/model.js';
import type { Plan, SpecState } from './types.js';

export function readSpecFile(path: string): CampaignsSpec {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw usageError('SPEC_NOT_A_FILE', `${path} is a directory`, 'pass the spec file with -f FILE');
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof AdctlError) throw e;
    throw usageError('SPEC_NOT_FOUND', `cannot read ${path}`, 'pass an existing spec file with -f FILE (`adctl import -o FILE` writes one from live accounts)');
  }
  return parseSpec(text, path);
}

const normAccount = (p: Platform, id: string) => (p === 'meta' ? id.replace(/^act_/, '') : id);

/** The spec's profile and accounts must be the ones this run acts on: a spec never silently targets another account. */
function checkTarget(session: Session, spec: CampaignsSpec, specPath: string): void {
  if (spec.profile && spec.profile !== session.settings.profile) {
    throw configError('SPEC_PROFILE_MISMATCH', `${specPath} is for profile ${spec.profile}, but this run uses profile ${session.settings.profile}`, `pass --profile ${spec.profile}`);
  }
  const problems: string[] = [];
  spec.campaigns.forEach((c, i) => {
    if (!c.account) return;
    const acting = session.accountId(c.platform);
    if (!acting || normAccount(c.platform, acting) !== normAccount(c.platform, c.account)) {
      problems.push(`campaigns[${i}].account: ${c.account} is not the ${c.platform} account this run acts on (${acting ?? 'none set'})`);
    }
  });
  if (problems.length) {
    throw usageError('SPEC_ACCOUNT_MISMATCH', `${specPath}: ${problems.join('; ')}`, `pass --account ${spec.campaigns.find((c) => c.account)?.platform ?? 'x'}:ACCOUNT or use the profile that owns these accounts`);
  }
}

function platformsOf(spec: CampaignsSpec, state: SpecState): Set<Platform> {
  const out = new Set<Platform>(spec.campaigns.map((c) => c.platform));
  for (const e of Object.values(state.objects)) out.add(e.platform);
  return out;
}

export interface PlanResult {
  plan: Plan;
  spec: CampaignsSpec;
  state: SpecState;
}

export async function planSpec(session: Session, specFile: string): Promise<PlanResult> {
  const specPath = resolve(specFile);
  const spec = readSpecFile(specFile);
  checkTarget(session, spec, specFile);
  const stateFile = stateFileFor(specPath);
  const state = readState(stateFile);
  const live = await readLive(session, platformsOf(spec, state));
  const plan = computePlan(spec, state, live, { spec: specPath, stateFile, profile: session.settings.profile, createdAt: new Date().toISOString() });
  return { plan, spec, state };
}

const PlanSchemaCheck = (raw: unknown): raw is Plan =>
  typeof raw === 'object' && raw !== null && (raw as Plan).format === 'adctl-plan' && (raw as Plan).version === 1 && Array.isArray((raw as Plan).actions);

export function readPlanFile(path: string): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw usageError('PLAN_INVALID', `${path} is not a saved plan`, 'save one with `adctl plan -f SPEC -o plan.json`');
  }
  if (!PlanSchemaCheck(raw)) throw usageError('PLAN_INVALID', `${path} is not a saved plan`, 'save one with `adctl plan -f SPEC -o plan.json`');
  return raw;
}

/** `daily 50.00 USD` → period and exact money; null when absent or not exact (an X micro value). */
function budgetOf(text: string | null | undefined): { period: BudgetPeriod; money: Money } | null {
  const m = text ? /^(daily|lifetime) (.+)$/.exec(text) : null;
  if (!m) return null;
  try {
    return { period: m[1] as BudgetPeriod, money: parseMoney(m[2]!) };
  } catch {
    return null;
  }
}

/** The budget changes a plan would make (creates and updates of campaigns and ad groups). */
export function planBudgetChanges(plan: Plan): BudgetChange[] {
  const out: BudgetChange[] = [];
  for (const a of plan.actions) {
    if (a.op === 'create') {
      const to = budgetOf(a.fields.budget);
      if (to) out.push({ id: a.key, period: to.period, to: to.money, from: null });
    } else if (a.op === 'update' || a.op === 'pause') {
      const ch = a.changes.find((c) => c.field === 'budget');
      const to = budgetOf(ch?.to);
      if (ch && to) out.push({ id: a.ref, period: to.period, to: to.money, from: budgetOf(ch.from) });
    }
  }
  return out;
}

export interface ApplyResult {
  steps: StepReport[];
  plan: Plan;
}

/**
 * Apply a plan. With `expectFingerprint` (a saved plan), live state is read again first and a
 * plan computed against another live state is refused with exit 5 before anything is sent.
 */
export async function applyPlan(
  session: Session, plan: Plan,
  options: { saved: boolean; hooks?: Partial<ApplyHooks>; confirmer: Confirmer },
): Promise<ApplyResult> {
  if (plan.profile !== session.settings.profile) {
    throw configError('PLAN_PROFILE_MISMATCH', `the plan was made for profile ${plan.profile}, not ${session.settings.profile}`, `pass --profile ${plan.profile}`);
  }
  const release = lockState(plan.stateFile);
  try {
    const state = readState(plan.stateFile);
    if (options.saved) {
      // The fingerprint covers exactly the platforms the plan was computed from.
      const live = await readLive(session, plan.platforms);
      if (fingerprint(live) !== plan.fingerprint) {
        throw new AdctlError('PLAN_STALE', 'live state changed since the plan was made; nothing was sent', ExitCode.CONFLICT, {
          hint: `make a new plan: adctl plan -f ${plan.spec} -o PLAN`,
        });
      }
    }
    // Guardrails for the whole plan before the first request: a refusal never leaves it half applied.
    await enforceGuardrails(session, planBudgetChanges(plan), options.confirmer);
    const applier = new Applier(session, state, plan.stateFile, {
      currency: async (p) => (await getAccount(session, p)).currency,
      ...options.hooks,
    });
    try {
      await applier.run(plan.actions);
    } catch (e) {
      if (e instanceof AdctlError) {
        const done = applier.steps.filter((s) => s.ok).length;
        throw new AdctlError(e.code, `${e.message} (${done} of ${plan.actions.length} steps applied)`, e.exitCode, {
          hint: e.hint ?? 'fix the cause and run `adctl apply` again; applied steps are not repeated', platform: e.platform, requestId: e.requestId, details: { steps: applier.steps }, cause: e,
        });
      }
      throw e;
    }
    return { steps: applier.steps, plan };
  } finally {
    release();
  }
}
