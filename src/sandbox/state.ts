/**
 * Sandbox state: one JSON document, optionally persisted to a file under the config dir.
 *
 * Every mutation runs under an inter-process lock and re-reads the file first, then writes it
 * atomically, so two adctl processes (each with an in-process sandbox) never lose each other's
 * writes and a crash never leaves a torn file.
 */
import { rmSync } from 'node:fs';
import { readFileIfExists, withFileLockSync, writeFileAtomic } from '../core/fs.js';

export interface SandboxState {
  version: 1;
  /** Monotonic counter for generated ids. */
  seq: number;
  x: Record<string, unknown>;
  meta: Record<string, unknown>;
}

export class StateStore {
  private memory: SandboxState | undefined;

  constructor(
    /** Undefined keeps state in memory only (tests). */
    readonly file: string | undefined,
    private readonly seed: () => SandboxState,
  ) {}

  read(): SandboxState {
    if (!this.file) return (this.memory ??= this.seed());
    const text = readFileIfExists(this.file);
    if (text === undefined) return withFileLockSync(this.file, () => this.loadOrSeed());
    return parseState(text, this.file);
  }

  /** Apply `fn` to a fresh copy of the state and persist it; returns what `fn` returns. */
  mutate<T>(fn: (state: SandboxState) => T): T {
    if (!this.file) {
      const s = this.read();
      return fn(s);
    }
    const file = this.file;
    return withFileLockSync(file, () => {
      const s = this.loadOrSeed();
      const out = fn(s);
      writeFileAtomic(file, JSON.stringify(s, null, 1));
      return out;
    });
  }

  /**
   * Restore the seed. The seed is taken lazily, on the next read, so that its relative times
   * ("started 7 days ago") follow the sandbox clock in force when the data is first read, not
   * the one in force at reset: a test that resets, then fixes the clock, sees data seeded at its
   * fixed clock on every calendar date.
   */
  reset(): void {
    if (!this.file) {
      this.memory = undefined;
      return;
    }
    const file = this.file;
    withFileLockSync(file, () => rmSync(file, { force: true }));
  }

  /** A new id from the shared counter; call inside `mutate`. */
  static nextSeq(state: SandboxState): number {
    state.seq += 1;
    return state.seq;
  }

  private loadOrSeed(): SandboxState {
    const file = this.file!;
    const text = readFileIfExists(file);
    if (text !== undefined) return parseState(text, file);
    const fresh = this.seed();
    writeFileAtomic(file, JSON.stringify(fresh, null, 1));
    return fresh;
  }
}

function parseState(text: string, file: string): SandboxState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`sandbox state ${file} is not valid JSON; run \`adctl sandbox reset\` to restore the seed`);
  }
  const s = parsed as Partial<SandboxState>;
  if (!s || s.version !== 1 || typeof s.seq !== 'number' || typeof s.x !== 'object' || typeof s.meta !== 'object') {
    throw new Error(`sandbox state ${file} has an unknown shape; run \`adctl sandbox reset\` to restore the seed`);
  }
  return s as SandboxState;
}
