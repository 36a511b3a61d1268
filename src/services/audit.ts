/**
 * The audit log: every mutation adctl performs, one JSON line each, appended to
 * `<config dir>/audit.jsonl` (mode 0600).
 *
 * Contract:
 * - Append-only. Each append holds the log's lock, cuts a torn last line (a write killed before
 *   its newline: it never completed) and writes whole lines with one `write` on an O_APPEND
 *   descriptor, then fsyncs; so a crash loses at most the line being written, and never the
 *   next entry (which would otherwise glue onto the fragment).
 * - Reading never drops a line silently: a line that is not an entry is reported with its number.
 * - The log holds what was changed and by whom: a symlinked log, or one readable or writable by
 *   others than its owner, is refused (exit 78) with the command that fixes it.
 * - Entries carry the before and after values that matter (name, status, budget), the platform's
 *   request id and the outcome. Secrets are redacted before writing.
 * - Times are UTC ISO-8601.
 */
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { configError } from '../core/errors.js';
import { cutTornTailFd, ensureDir, withFileLock, withFileLockSync } from '../core/fs.js';
import type { Bid, Budget, Campaign, CampaignStatus, Platform, PostStatus } from '../core/model.js';

export type AuditOperation =
  | 'campaign.create' | 'campaign.update' | 'campaign.delete'
  | 'adgroup.create' | 'adgroup.update' | 'adgroup.delete'
  | 'post.create' | 'post.delete';
export type AuditOutcome = 'ok' | 'failed' | 'unknown';

/** The fields of an object that undo can restore. */
export interface AuditSnapshot {
  name?: string;
  /** Posts record their status (published, scheduled) here too. */
  status?: CampaignStatus | PostStatus;
  budget?: Budget | null;
  /** Ad groups only: bid strategy and amount, for the log (undo restores name, status and budget). */
  bid?: Bid | null;
}

export interface AuditEntry {
  id: string;
  time: string;
  profile: string;
  platform: Platform;
  ref: string | null;
  operation: AuditOperation;
  before: AuditSnapshot | null;
  after: AuditSnapshot | null;
  requestId: string | null;
  outcome: AuditOutcome;
  error?: { code: string; message: string };
  /** For `undo` entries: the entry that was reverted. */
  reverts?: string;
}

/** Campaigns and ad groups share the restorable fields; an ad group adds its bid. */
export function snapshot(c: (Pick<Campaign, 'name' | 'status' | 'budget'> & { bid?: Bid | null }) | undefined | null): AuditSnapshot | null {
  if (!c) return null;
  return { name: c.name, status: c.status, budget: c.budget, ...(c.bid !== undefined ? { bid: c.bid } : {}) };
}

export function auditPath(configDir: string): string {
  return join(configDir, 'audit.jsonl');
}

/** Sortable, unique entry ids: time in base 36 plus randomness, e.g. `lx3k9a-4f1c2b`. */
export function newEntryId(now = Date.now()): string {
  return `${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Refuse a log that is a symlink, not a regular file, or open to others (mode looser than 0600). */
function checkLogFile(path: string, mode: number, isFile: boolean, isLink: boolean): void {
  if (isLink) throw configError('AUDIT_LOG_UNSAFE', `the audit log ${path} is a symbolic link; adctl does not follow it`, `replace it with a regular file: mv "${path}" "${path}.link" (adctl starts a new log)`);
  if (!isFile) throw configError('AUDIT_LOG_UNSAFE', `the audit log ${path} is not a regular file`, `move it away; adctl starts a new log at ${path}`);
  if ((mode & 0o077) !== 0) throw configError('AUDIT_LOG_UNSAFE', `the audit log ${path} is open to other users (mode ${(mode & 0o777).toString(8)})`, `chmod 600 "${path}"`);
}

const APPEND_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/** Open for appending, never through a symlink, and only a log that is the owner's alone. */
function openForAppend(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, APPEND_FLAGS, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') checkLogFile(path, 0, false, true);
    throw e;
  }
  try {
    const st = fstatSync(fd);
    checkLogFile(path, st.mode, st.isFile(), false);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

function appendText(path: string, text: string): void {
  const fd = openForAppend(path);
  try {
    cutTornTailFd(fd);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const lines = (entries: AuditEntry[], redact: (s: string) => string) => entries.map((e) => `${redact(JSON.stringify(e))}\n`).join('');

export function appendAudit(configDir: string, entry: AuditEntry, redact: (s: string) => string): void {
  appendAuditMany(configDir, [entry], redact);
}

/** Several entries in one append and one fsync (bulk commands: one call per batch, not per item). */
export function appendAuditMany(configDir: string, entries: AuditEntry[], redact: (s: string) => string): void {
  if (entries.length === 0) return;
  ensureDir(configDir);
  const path = auditPath(configDir);
  withFileLockSync(path, () => appendText(path, lines(entries, redact)));
}

/**
 * The same for callers that keep other work moving meanwhile (bulk batches). Resolves once the
 * lines are on disk.
 */
export async function appendAuditManyAsync(configDir: string, entries: AuditEntry[], redact: (s: string) => string): Promise<void> {
  if (entries.length === 0) return;
  ensureDir(configDir);
  const path = auditPath(configDir);
  await withFileLock(path, () => appendText(path, lines(entries, redact)));
}

export interface AuditFilter {
  platform?: Platform | undefined;
  ref?: string | undefined;
  operation?: string | undefined;
  /** ISO time; entries at or after it. */
  since?: string | undefined;
  limit?: number | undefined;
}

/** A line of the log that is not an entry: its 1-based number and why. */
export interface DamagedLine {
  line: number;
  reason: 'torn' | 'not JSON' | 'not an entry';
}

export interface AuditRead {
  /** Oldest first, filtered. */
  entries: AuditEntry[];
  /** Every line that could not be read, filtered or not. */
  damaged: DamagedLine[];
}

function readLogText(path: string): string {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
  checkLogFile(path, st.mode, st.isFile(), st.isSymbolicLink());
  return readFileSync(path, 'utf8');
}

/** Read the log. Lines that are not entries are reported in `damaged`, never dropped silently. */
export function readAuditLog(configDir: string, filter: AuditFilter = {}): AuditRead {
  const text = readLogText(auditPath(configDir));
  const all = text.split('\n');
  const torn = all.length > 0 && all[all.length - 1] !== '';
  const entries: AuditEntry[] = [];
  const damaged: DamagedLine[] = [];
  all.forEach((line, i) => {
    if (!line.trim()) return;
    let e: AuditEntry;
    try {
      e = JSON.parse(line) as AuditEntry;
    } catch {
      damaged.push({ line: i + 1, reason: torn && i === all.length - 1 ? 'torn' : 'not JSON' });
      return;
    }
    if (!e || typeof e !== 'object' || typeof e.id !== 'string' || typeof e.operation !== 'string' || typeof e.time !== 'string') {
      damaged.push({ line: i + 1, reason: 'not an entry' });
      return;
    }
    if (filter.platform && e.platform !== filter.platform) return;
    if (filter.ref && e.ref !== filter.ref) return;
    if (filter.operation && !e.operation.startsWith(filter.operation)) return;
    if (filter.since && e.time < filter.since) return;
    entries.push(e);
  });
  return { entries: filter.limit ? entries.slice(-filter.limit) : entries, damaged };
}

/** Entries only, for callers that look entries up (undo, completion); `log` reports damage. */
export function readAudit(configDir: string, filter: AuditFilter = {}): AuditEntry[] {
  return readAuditLog(configDir, filter).entries;
}

/** One line for stderr naming the damaged lines, e.g. "2 lines of … could not be read: 7 (not JSON), 12 (torn)". */
export function describeDamage(configDir: string, damaged: DamagedLine[]): string | undefined {
  if (damaged.length === 0) return undefined;
  const shown = damaged.slice(0, 10).map((d) => `${d.line} (${d.reason})`).join(', ');
  const more = damaged.length > 10 ? ` and ${damaged.length - 10} more` : '';
  return `${damaged.length} line${damaged.length === 1 ? '' : 's'} of ${auditPath(configDir)} could not be read and ${damaged.length === 1 ? 'is' : 'are'} not shown: line ${shown}${more}`;
}
