/**
 * The audit log: every mutation adctl performs, one JSON line each, appended to
 * `<config dir>/audit.jsonl` (mode 0600).
 *
 * Contract:
 * - Append-only. Each line is written with one `write` on an O_APPEND descriptor and fsync'd, so
 *   concurrent adctl processes interleave whole lines and a crash loses at most the line being
 *   written (a torn last line is skipped on read, never fatal).
 * - Entries carry the before and after values that matter (name, status, budget), the platform's
 *   request id and the outcome. Secrets are redacted before writing.
 * - Times are UTC ISO-8601.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureDir, readFileIfExists } from '../core/fs.js';
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

export function appendAudit(configDir: string, entry: AuditEntry, redact: (s: string) => string): void {
  ensureDir(configDir);
  const line = `${redact(JSON.stringify(entry))}\n`;
  const fd = openSync(auditPath(configDir), 'a', 0o600);
  try {
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Several entries in one append and one fsync (bulk commands: one call per batch, not per item). */
export function appendAuditMany(configDir: string, entries: AuditEntry[], redact: (s: string) => string): void {
  if (entries.length === 0) return;
  ensureDir(configDir);
  const text = entries.map((e) => `${redact(JSON.stringify(e))}\n`).join('');
  const fd = openSync(auditPath(configDir), 'a', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The same, without blocking the event loop on the fsync (bulk commands keep other batch calls
 * moving meanwhile). Resolves once the lines are on disk.
 */
export async function appendAuditManyAsync(configDir: string, entries: AuditEntry[], redact: (s: string) => string): Promise<void> {
  if (entries.length === 0) return;
  ensureDir(configDir);
  const text = entries.map((e) => `${redact(JSON.stringify(e))}\n`).join('');
  const { open } = await import('node:fs/promises');
  const fh = await open(auditPath(configDir), 'a', 0o600);
  try {
    await fh.write(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface AuditFilter {
  platform?: Platform | undefined;
  ref?: string | undefined;
  operation?: string | undefined;
  /** ISO time; entries at or after it. */
  since?: string | undefined;
  limit?: number | undefined;
}

/** Entries oldest first. Lines that are not valid JSON (a torn write) are skipped. */
export function readAudit(configDir: string, filter: AuditFilter = {}): AuditEntry[] {
  const text = readFileIfExists(auditPath(configDir)) ?? '';
  const entries: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as AuditEntry;
      if (typeof e.id !== 'string' || typeof e.operation !== 'string') continue;
      if (filter.platform && e.platform !== filter.platform) continue;
      if (filter.ref && e.ref !== filter.ref) continue;
      if (filter.operation && !e.operation.startsWith(filter.operation)) continue;
      if (filter.since && e.time < filter.since) continue;
      entries.push(e);
    } catch {
      // A torn last line after a crash: skip it.
    }
  }
  return filter.limit ? entries.slice(-filter.limit) : entries;
}
