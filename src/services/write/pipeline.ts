/**
 * The end of every write to a platform: one function runs the send and records it.
 *
 * - Dry run: the plugin throws DryRunIntercepted at its first write; the intercepted request
 *   (redacted) comes back as a DryRunReport and nothing is sent or logged.
 * - Otherwise the outcome is appended to the audit log (services/audit.ts): ok with the object's
 *   before and after values and the platform's request id, failed with the error, or unknown
 *   (UNKNOWN_OUTCOME: the platform may have applied it; exit 8, reconciled by running again).
 *
 * The stages before it (ref and capability, money against the account, `before` read once,
 * guardrails through the Confirmer) run in the services that build the write; see ARCHITECTURE.md.
 * This module imports only core and the audit log, so every service can use it without a cycle.
 */
import type { WireRequest } from '../../core/adapter.js';
import { DryRunIntercepted } from '../../core/dry-run.js';
import { AdctlError } from '../../core/errors.js';
import type { Campaign, Platform } from '../../core/model.js';
import { appendAudit, newEntryId, snapshot, type AuditOperation } from '../audit.js';
import type { Session } from '../session.js';

export interface DryRunReport {
  dryRun: true;
  ref?: string;
  /** The write that would have been sent (redacted), exactly as the SDK built it. */
  requests: WireRequest[];
}

export type WriteOutcome<T> = T | DryRunReport;

export function isDryRun(x: unknown): x is DryRunReport {
  return typeof x === 'object' && x !== null && (x as DryRunReport).dryRun === true;
}

/** The fields the audit log keeps of a campaign or an ad group. */
type Audited = Pick<Campaign, 'ref' | 'name' | 'status' | 'budget'>;

export interface WriteRecord {
  platform: Platform;
  operation: AuditOperation;
  ref?: string | undefined;
  before: Audited | null;
  /** What the object looks like afterwards, from the write's result. */
  after: (result: unknown) => Audited | null;
  reverts?: string;
}

/**
 * Run one write: a dry run returns the intercepted request; a real write is recorded in the audit
 * log with its outcome (ok, failed, or unknown when the platform may have applied it). Every
 * mutation of a campaign or an ad group goes through here (budgets.ts too).
 */
export async function performWrite<T>(session: Session, record: WriteRecord, run: () => Promise<T>): Promise<WriteOutcome<T>> {
  const base = {
    profile: session.settings.profile,
    platform: record.platform,
    operation: record.operation,
    before: snapshot(record.before),
    ...(record.reverts ? { reverts: record.reverts } : {}),
  };
  const log = (entry: Omit<Parameters<typeof appendAudit>[1], keyof typeof base | 'id' | 'time'>) =>
    appendAudit(session.settings.configDir, { id: newEntryId(), time: new Date().toISOString(), ...base, ...entry }, (s) => session.redactor.redact(s));
  try {
    const result = await run();
    const after = record.after(result);
    log({ ref: after?.ref ?? record.ref ?? null, after: snapshot(after), requestId: session.lastRequestId.get(record.platform) ?? null, outcome: 'ok' });
    return result;
  } catch (e) {
    if (e instanceof DryRunIntercepted) return { dryRun: true, ...(record.ref ? { ref: record.ref } : {}), requests: [e.request] };
    const err = e instanceof AdctlError ? e : undefined;
    log({
      ref: record.ref ?? null,
      after: null,
      requestId: err?.requestId ?? session.lastRequestId.get(record.platform) ?? null,
      outcome: err?.code === 'UNKNOWN_OUTCOME' ? 'unknown' : 'failed',
      error: { code: err?.code ?? 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e) },
    });
    throw e;
  }
}

