/**
 * The posts ledger (issue 5): what `post publish-due` and `post sync` did, per entry id + channel,
 * so that every post is published exactly once across retried, cancelled and killed CI runs.
 *
 * Format: JSON lines, append-only, one record per line, each written with one `write` and
 * fsync'd before the caller goes on. Two kinds of record:
 * - `intent`, written BEFORE a create is sent: id, channel, content hash, the exact text sent
 *   (used to find the post again) and the time. The request leaves only after this line is on disk.
 * - `outcome`, written after: `published` / `scheduled` (platform id, URL), `unknown` (the request
 *   may have been applied), `failed` (certainly not applied), `absent` (reconciliation looked and
 *   did not find it), `unscheduled` (sync removed a native schedule).
 * An intent with no outcome after it (a killed process) reads as `unknown`.
 *
 * Crash safety: a line is either whole or the torn last line of a killed write. A torn last line
 * is ignored when reading and cut off (under the lock) before the next append: it never completed,
 * so no request was sent after it. Any other unreadable line is corruption: exit 78, never a reset.
 *
 * Exclusivity: `LedgerLock` (a lock file next to the ledger, pid + host + process start time; a
 * lock whose process is gone is taken over, even after SIGKILL) is held for a whole run, so two
 * concurrent runs never both publish an entry.
 *
 * Times are UTC ISO-8601 with Z.
 */
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import * as z from '../core/zod.js';
import { AdctlError, ExitCode } from '../core/errors.js';
import { cutTornTail, ensureDir, readFileIfExists } from '../core/fs.js';
import type { Channel } from '../core/model.js';
import { CHANNELS } from '../core/vocabulary.js';

const Base = {
  v: z.literal(1),
  id: z.string(),
  channel: z.enum(CHANNELS),
  hash: z.string(),
  time: z.string(),
  run: z.string(),
};

export const IntentRecord = z.object({
  ...Base,
  kind: z.literal('intent'),
  /** publish: post now; schedule: native scheduling (post sync). */
  op: z.enum(['publish', 'schedule']),
  text: z.string(),
  /** The entry's time (UTC), for schedules and for the record. */
  at: z.string(),
});
export type IntentRecord = z.infer<typeof IntentRecord>;

export const OUTCOME_STATUSES = ['published', 'scheduled', 'unknown', 'failed', 'absent', 'unscheduled'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export const OutcomeRecord = z.object({
  ...Base,
  kind: z.literal('outcome'),
  status: z.enum(OUTCOME_STATUSES),
  postId: z.string().nullable(),
  url: z.string().nullable(),
  /** How the outcome was learnt. */
  via: z.enum(['create', 'reconcile', 'duplicate', 'sync', 'live']),
  /** For scheduled posts: the UTC time the platform will publish it. */
  at: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type OutcomeRecord = z.infer<typeof OutcomeRecord>;

const LedgerRecord = z.discriminatedUnion('kind', [IntentRecord, OutcomeRecord]);
export type LedgerRecord = z.infer<typeof LedgerRecord>;

/** Where one id + channel stands, folded from its records. */
export interface LedgerEntry {
  id: string;
  channel: Channel;
  /** `pending` = an intent without an outcome (the process died): treated as unknown. */
  status: OutcomeStatus | 'pending';
  hash: string;
  /** The text of the latest intent (what was sent), for reconciliation. */
  text: string;
  op: IntentRecord['op'];
  /** UTC time of the latest intent. */
  intentTime: string;
  postId: string | null;
  url: string | null;
  /** For scheduled posts: when the platform publishes it. */
  at: string | null;
  error?: { code: string; message: string } | undefined;
}

export const key = (id: string, channel: Channel) => `${id}\u0000${channel}`;

/** Needs reconciliation before anything else is sent for this key. */
export const isUnsettled = (e: LedgerEntry) => e.status === 'pending' || e.status === 'unknown';

/** Apply one record to the folded state (last record wins, an intent resets to pending). */
export function applyRecord(out: Map<string, LedgerEntry>, r: LedgerRecord): void {
  const k = key(r.id, r.channel);
  const prev = out.get(k);
  if (r.kind === 'intent') {
    out.set(k, {
      id: r.id, channel: r.channel, status: 'pending', hash: r.hash, text: r.text, op: r.op, intentTime: r.time,
      postId: prev?.postId ?? null, url: prev?.url ?? null, at: r.op === 'schedule' ? r.at : prev?.at ?? null,
    });
    return;
  }
  const base: LedgerEntry = prev ?? { id: r.id, channel: r.channel, status: 'pending', hash: r.hash, text: '', op: 'publish', intentTime: r.time, postId: null, url: null, at: null };
  // unknown/failed say nothing about an earlier post id (e.g. the one a reschedule replaces).
  const keepsPost = r.status === 'unknown' || r.status === 'failed';
  out.set(k, {
    ...base,
    status: r.status,
    hash: r.hash,
    postId: keepsPost ? base.postId : r.postId,
    url: keepsPost ? base.url : r.url,
    at: r.at ?? (r.status === 'unscheduled' || r.status === 'absent' ? null : base.at),
    error: r.error,
  });
}

export function foldRecords(records: LedgerRecord[]): Map<string, LedgerEntry> {
  const out = new Map<string, LedgerEntry>();
  for (const r of records) applyRecord(out, r);
  return out;
}

function corrupt(path: string, line: number, why: string): AdctlError {
  return new AdctlError('LEDGER_CORRUPT', `the ledger ${path} is damaged at line ${line} (${why})`, ExitCode.CONFIG, {
    hint: 'restore the ledger from git or the CI cache; adctl never rewrites ledger lines, so a damaged line was edited or truncated outside adctl',
  });
}

/**
 * Read every record. A last line without its newline is a torn write (ignored); any other line
 * that is not a valid record is corruption (exit 78).
 */
export function readLedger(path: string): { records: LedgerRecord[]; tornTail: boolean } {
  const text = readFileIfExists(path) ?? '';
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const records: LedgerRecord[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw corrupt(path, i + 1, 'not JSON');
    }
    const r = LedgerRecord.safeParse(json);
    if (!r.success) throw corrupt(path, i + 1, `${r.error.issues[0]?.path.join('.') || 'record'}: ${r.error.issues[0]?.message ?? 'invalid'}`);
    records.push(r.data);
  });
  return { records, tornTail: last.length > 0 };
}

/** The ledger of a posts file when no --ledger is given: under the config dir, one per file path. */
export function defaultLedgerPath(configDir: string, postsFile: string): string {
  const abs = resolve(postsFile);
  const name = basename(abs).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]/g, '_');
  return join(configDir, 'ledgers', `${name}-${createHash('sha256').update(abs).digest('hex').slice(0, 8)}.jsonl`);
}

export function newRunId(now = Date.now()): string {
  return `${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * An open ledger: the folded state plus appends. Only one process appends at a time (the caller
 * holds a LedgerLock); in-process appends are synchronous, so concurrent tasks of one run never
 * interleave within a line.
 */
export class Ledger {
  readonly run = newRunId();
  private constructor(readonly path: string, readonly entries: Map<string, LedgerEntry>) {}

  /** Open for appending: cuts a torn last line off first. The caller must hold the lock. */
  static open(path: string): Ledger {
    const abs = resolve(path);
    ensureDir(dirname(abs));
    const { records, tornTail } = readLedger(abs);
    if (tornTail) cutTornTail(abs);
    return new Ledger(abs, foldRecords(records));
  }

  /** Read-only view (plans): no lock needed, nothing is written. */
  static peek(path: string): Ledger {
    return new Ledger(resolve(path), foldRecords(readLedger(resolve(path)).records));
  }

  get(id: string, channel: Channel): LedgerEntry | undefined {
    return this.entries.get(key(id, channel));
  }

  /** Write the intent and fsync it; only then may the request be sent. */
  intent(r: Omit<IntentRecord, 'v' | 'kind' | 'time' | 'run'>): void {
    this.append({ v: 1, kind: 'intent', time: new Date().toISOString(), run: this.run, ...r });
  }

  outcome(r: Omit<OutcomeRecord, 'v' | 'kind' | 'time' | 'run'>): void {
    this.append({ v: 1, kind: 'outcome', time: new Date().toISOString(), run: this.run, ...r });
  }

  private append(record: LedgerRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    applyRecord(this.entries, record);
  }
}

// ---------------------------------------------------------------------------------------------
// The run lock.
// ---------------------------------------------------------------------------------------------

interface LockOwner {
  pid: number;
  host: string;
  /** Process start time from /proc (Linux), to tell a reused pid from the owner. */
  start: string | null;
  token: string;
  since: string;
}

function procStart(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count from ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell: another machine's lock is never taken over
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = procStart(owner.pid);
  return !(owner.start && start && start !== owner.start);
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An exclusive lock on a ledger for one run: `<ledger>.lock` created with O_EXCL, holding the
 * owner's pid, host and process start time. A lock whose owner is gone (killed, even by SIGKILL) is
 * taken over; a live owner's lock is never taken, however old. Taking over goes through a short
 * `<ledger>.lock.break` mutex, so two waiters cannot both remove the dead lock and then each
 * other's new one.
 */
export class LedgerLock {
  private constructor(private readonly path: string, private readonly token: string) {}

  static async acquire(ledgerPath: string, options: { timeoutMs: number; onWait?: (owner: LockOwner | undefined) => void }): Promise<LedgerLock> {
    const path = `${resolve(ledgerPath)}.lock`;
    ensureDir(dirname(path));
    const me: LockOwner = { pid: process.pid, host: hostname(), start: procStart(process.pid), token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
    const started = Date.now();
    let warned = false;
    let delay = 20;
    /** Since when the lock has been seen without a readable owner (being written, or its writer died). */
    let ownerless: number | undefined;
    for (;;) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        try {
          writeSync(fd, JSON.stringify(me));
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        return new LedgerLock(path, me.token);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = readOwner(path);
      // A lock without an owner yet is judged by its mtime only after it stayed so for a second: the
      // mtime is the file system's clock, which may differ from this process's (faketime in
      // `npm run test:dates` shifts processes, not file times), so a lock being written right now
      // must not look 5 s old because of it.
      if (owner) ownerless = undefined;
      else ownerless ??= Date.now();
      if (owner ? !alive(owner) : Date.now() - (ownerless ?? Date.now()) >= 1_000 && lockAgeMs(path) > 5_000) {
        breakStale(path, owner);
        continue;
      }
      if (!warned) {
        options.onWait?.(owner);
        warned = true;
      }
      if (Date.now() - started > options.timeoutMs) {
        throw new AdctlError('LEDGER_LOCKED', `another adctl run holds the ledger lock ${path}${owner ? ` (pid ${owner.pid} on ${owner.host} since ${owner.since})` : ''}`, ExitCode.TEMPORARY, {
          hint: 'wait for that run to finish and run the command again (or raise --lock-timeout); remove the lock file only if no run is active',
        });
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 250);
    }
  }

  /** Release only our own lock (a lock taken over from us after we hung is not ours any more). */
  release(): void {
    if (readOwner(this.path)?.token === this.token) rmSync(this.path, { force: true });
  }
}

function lockAgeMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function breakStale(path: string, seen: LockOwner | undefined): void {
  const breaker = `${path}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Someone else is breaking it; a breaker left by a killed process is removed after a while.
    if (lockAgeMs(breaker) > 10_000) rmSync(breaker, { force: true });
    return;
  }
  try {
    closeSync(fd);
    // Re-read under the breaker: remove only the very lock we judged dead.
    const now = readOwner(path);
    if (seen ? now?.token === seen.token : now === undefined) rmSync(path, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}
