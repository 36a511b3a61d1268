/**
 * Reliability figures: tests that count lost writes, duplicates, crashes and leaked secrets
 * append what they counted to ADCTL_RELIABILITY_REPORT (JSON lines), and
 * `scripts/reliability-summary.mjs` prints the table. Every figure is counted, never assumed: a
 * figure a suite cannot count (lost writes of a read-only run, secrets in a parser) is left out
 * and the table shows "–" for it, never a 0.
 */
import { appendFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';

export interface Figures {
  suite: string;
  faultTypes: string[];
  runs: number;
  operations: number;
  lostWrites?: number;
  duplicateWrites?: number;
  crashes: number;
  secretsLeaked?: number;
  /** Requests the sandbox refused because a rate limit was already spent. */
  overLimit?: number;
}

export function recordFigures(f: Figures): void {
  const file = process.env.ADCTL_RELIABILITY_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(f)}\n`);
}

/**
 * One fuzz file's tally: `usageOr` runs a parser on one generated input and counts it; anything
 * thrown other than an AdctlError with an allowed exit code (64 by default) is counted as a crash
 * and rethrown, so the property fails too. The file's row is recorded after its tests.
 */
export function fuzzFigures(suite: string, inputs: string[]): { usageOr<T>(fn: () => T, exits?: number[]): T | AdctlError } {
  const t = { cases: 0, crashes: 0 };
  afterAll(() => recordFigures({ suite, faultTypes: inputs, runs: t.cases, operations: t.cases, crashes: t.crashes }));
  return {
    usageOr<T>(fn: () => T, exits = [64]): T | AdctlError {
      t.cases += 1;
      try {
        return fn();
      } catch (e) {
        if (e instanceof AdctlError && exits.includes(e.exitCode)) return e;
        t.crashes += 1;
        throw e;
      }
    },
  };
}
