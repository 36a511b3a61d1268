/**
 * Crash-safe file primitives shared by config, sandbox state and ledgers.
 *
 * - `writeFileAtomic`: write to a temp file in the same directory, fsync it, rename over the
 *   target, fsync the directory. Readers see the old or the new file, never a torn one.
 * - `withFileLock`: an exclusive lock between processes (O_EXCL lock file holding pid + time).
 *   A lock whose owner process is gone is taken over at once, so a killed run never wedges the
 *   next one. A lock older than `staleMs` is taken over too even if its pid answers: the pid may
 *   have been reused by an unrelated process (containers restart pids), and the critical sections
 *   guarded here last milliseconds, so a holder that old is not one of ours at work. Release
 *   removes the lock file only while it still holds this holder's token, so a holder that was
 *   taken over never deletes its successor's lock.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AdctlError, ExitCode } from './errors.js';

export function ensureDir(dir: string, mode = 0o700): void {
  mkdirSync(dir, { recursive: true, mode });
}

/**
 * `durable: false` skips both fsyncs (keeping the temp file and rename, so readers still never see
 * a torn file): for advisory state that is rewritten on every request and whose loss after a power
 * cut costs nothing (the rate-limit state), where the two fsyncs cost a few ms per write.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600, options: { durable?: boolean } = {}): void {
  const durable = options.durable ?? true;
  const dir = dirname(path);
  ensureDir(dir);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  if (!durable) return;
  try {
    const dfd = openSync(dir, 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}

export function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface LockOptions {
  timeoutMs?: number;
  staleMs?: number;
}

/** How long a lock file may be seen without its token before its mtime is trusted to judge it stale. */
const UNWRITTEN_LOCK_GRACE_MS = 1000;

/** Take the lock synchronously; returns a release function. Throws after `timeoutMs`. */
export function acquireLockSync(target: string, options: LockOptions = {}): () => void {
  const lockPath = `${target}.lock`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  ensureDir(dirname(lockPath));
  const start = Date.now();
  let delay = 5;
  /** Since when the lock has been seen without a token (see below). */
  let tokenless: number | undefined;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      const token = `${process.pid} ${Date.now()} ${randomBytes(6).toString('hex')}\n`;
      writeSync(fd, token);
      closeSync(fd);
      return () => {
        if (readFileIfExists(lockPath) === token) rmSync(lockPath, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    try {
      const [pidText, takenText] = (readFileIfExists(lockPath) ?? '').split(' ');
      const pid = Number(pidText);
      // Age by the holder's own clock reading in its token, the clock `Date.now()` reads here, not
      // by the file's mtime: that comes from the file system's clock, which may differ from the
      // processes' (a network file system's server; faketime in `npm run test:dates` shifts the
      // processes, not file times), and a live lock must never look stale. A lock without a token
      // is being written (its holder writes right after creating it): its mtime is judged only once
      // it stayed without one for UNWRITTEN_LOCK_GRACE_MS.
      const takenAt = Number(takenText);
      let stale: boolean;
      if (Number.isFinite(takenAt) && takenAt > 0) {
        tokenless = undefined;
        stale = Date.now() - takenAt > staleMs;
      } else {
        tokenless ??= Date.now();
        stale = Date.now() - tokenless >= UNWRITTEN_LOCK_GRACE_MS && Date.now() - statSync(lockPath).mtimeMs > staleMs;
      }
      if ((pid > 0 && !pidAlive(pid)) || stale) rmSync(lockPath, { force: true });
    } catch {
      // The holder released it between our checks; just retry.
    }
    if (Date.now() - start > timeoutMs) {
      throw new AdctlError('LOCK_TIMEOUT', `another adctl run holds ${lockPath}`, ExitCode.TEMPORARY, {
        hint: 'wait for it to finish and run again; if no adctl is running, remove the lock file',
      });
    }
    sleepSync(delay);
    delay = Math.min(delay * 2, 100);
  }
}

export async function withFileLock<T>(target: string, fn: () => Promise<T> | T, options?: LockOptions): Promise<T> {
  const release = acquireLockSync(target, options);
  try {
    return await fn();
  } finally {
    release();
  }
}

export function withFileLockSync<T>(target: string, fn: () => T, options?: LockOptions): T {
  const release = acquireLockSync(target, options);
  try {
    return fn();
  } finally {
    release();
  }
}

/**
 * Cut a torn last line (a write killed before its newline) off a line-oriented file, so the next
 * append starts on a line of its own instead of gluing onto the fragment. A file that ends with
 * a newline (or is empty) is left untouched. The caller must hold the file's lock.
 */
export function cutTornTail(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    cutTornTailFd(fd);
  } finally {
    closeSync(fd);
  }
}

/** The same on a descriptor open for reading and writing (O_APPEND allowed). */
export function cutTornTailFd(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return;
  const chunk = Buffer.alloc(Math.min(size, 1 << 20));
  let end = size;
  // Find the last newline; everything after it is the torn line.
  for (let pos = size; pos > 0 && end === size;) {
    const n = Math.min(chunk.length, pos);
    pos -= n;
    readSync(fd, chunk, 0, n, pos);
    const i = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (i >= 0) end = pos + i + 1;
    else if (pos === 0) end = 0;
  }
  ftruncateSync(fd, end);
  fsyncSync(fd);
}
