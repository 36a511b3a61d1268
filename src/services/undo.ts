/**
 * `adctl undo <entry>`: revert the reversible parts (name, status, budget) of a logged campaign
 * or ad group update. The plan is computed first and shown; the revert itself is an ordinary, audited update.
 *
 * Safety: if the live object no longer matches the entry's "after" values, someone changed it
 * since, and undo refuses (exit 5) unless forced, because it would silently overwrite that change.
 */
import { AdctlError, ExitCode } from '../core/errors.js';
import type { AdGroup, Campaign } from '../core/model.js';
import { readAudit, type AuditEntry, type AuditSnapshot } from './audit.js';
import type { Confirmer } from './write/confirm.js';
import { getCampaign, updateCampaign, type UpdateCampaignRequest } from './campaigns.js';
import type { WriteOutcome } from './write/pipeline.js';
import type { Session } from './session.js';

export interface UndoPlan {
  entry: AuditEntry;
  ref: string;
  /** Field → [current, restored]. */
  changes: Record<string, [unknown, unknown]>;
  request: UpdateCampaignRequest;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function findEntry(session: Session, id: string): AuditEntry {
  const matches = readAudit(session.settings.configDir).filter((e) => e.id === id || e.id.startsWith(id));
  if (matches.length === 0) {
    throw new AdctlError('AUDIT_ENTRY_NOT_FOUND', `no audit entry "${id}"`, ExitCode.USAGE, { hint: 'list entries with `adctl log`' });
  }
  if (matches.length > 1) {
    throw new AdctlError('AUDIT_ENTRY_AMBIGUOUS', `"${id}" matches ${matches.length} entries`, ExitCode.USAGE, { hint: 'give more of the entry id' });
  }
  return matches[0]!;
}

/** Pure: what undoing `entry` would change, given the live object. */
export function planUndo(entry: AuditEntry, live: Pick<Campaign | AdGroup, 'name' | 'status' | 'budget'>, force: boolean): UndoPlan {
  if ((entry.operation !== 'campaign.update' && entry.operation !== 'adgroup.update') || entry.outcome !== 'ok' || !entry.before || !entry.after || !entry.ref) {
    throw new AdctlError('NOT_REVERSIBLE', `entry ${entry.id} (${entry.operation}, ${entry.outcome}) cannot be undone`, ExitCode.FAILURE, {
      hint: 'undo reverts successful changes of name, status and budget; creates and deletes are not reversible',
    });
  }
  const before: AuditSnapshot = entry.before;
  const after: AuditSnapshot = entry.after;
  const current: AuditSnapshot = { name: live.name, status: live.status, budget: live.budget };
  const drifted = (['name', 'status', 'budget'] as const).filter((k) => !same(current[k], after[k]));
  if (drifted.length > 0 && !force) {
    throw new AdctlError('CHANGED_SINCE', `${entry.ref} changed since entry ${entry.id} (${drifted.join(', ')})`, ExitCode.CONFLICT, {
      hint: `check \`adctl ${entry.operation === 'adgroup.update' ? 'adgroup' : 'campaign'} get ${entry.ref}\`; pass --force to restore the old values anyway`,
    });
  }
  const request: UpdateCampaignRequest = {};
  const changes: UndoPlan['changes'] = {};
  if (!same(before.name, current.name) && before.name !== undefined) {
    request.name = before.name;
    changes.name = [current.name, before.name];
  }
  if (!same(before.status, current.status) && (before.status === 'active' || before.status === 'paused')) {
    request.status = before.status;
    changes.status = [current.status, before.status];
  }
  if (!same(before.budget, current.budget) && before.budget) {
    request.budget = { period: before.budget.period, text: `${before.budget.amount} ${before.budget.currency}` };
    changes.budget = [current.budget, before.budget];
  }
  return { entry, ref: entry.ref, changes, request };
}

export async function prepareUndo(session: Session, id: string, force: boolean): Promise<UndoPlan> {
  const entry = findEntry(session, id);
  if (!entry.ref) return planUndo(entry, {} as Campaign, force);
  const live = entry.operation === 'adgroup.update'
    ? await (await import('./adgroups.js')).getAdGroup(session, entry.ref)
    : await getCampaign(session, entry.ref);
  return planUndo(entry, live, force);
}

/**
 * The revert is an ordinary audited update of the same kind, whose entry names the one reverted.
 * A budget it restores meets the profile's guardrails like any other change: restoring a budget
 * above today's cap needs `--confirm` or a "yes" on the terminal (exit 77 otherwise).
 */
export async function applyUndo(session: Session, plan: UndoPlan, confirmer: Confirmer): Promise<WriteOutcome<Campaign | AdGroup> | null> {
  if (Object.keys(plan.changes).length === 0) return null;
  if (plan.entry.operation === 'adgroup.update') {
    const { updateAdGroup } = await import('./adgroups.js');
    return (await updateAdGroup(session, plan.ref, plan.request, { reverts: plan.entry.id, confirmer })).result;
  }
  return updateCampaign(session, plan.ref, plan.request, { reverts: plan.entry.id, confirmer });
}
