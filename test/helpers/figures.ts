/**
 * Reliability figures: tests that count lost writes, duplicates, crashes and leaked secrets
 * append what they counted to ADCTL_RELIABILITY_REPORT (JSON lines), and
 * `scripts/reliability-summary.mjs` prints the table. Every figure is counted, never assumed.
 */
import { appendFileSync } from 'node:fs';

export interface Figures {
  suite: string;
  faultTypes: string[];
  runs: number;
  operations: number;
  lostWrites: number;
  duplicateWrites: number;
  crashes: number;
  secretsLeaked: number;
  /** Requests the sandbox refused because a rate limit was already spent. */
  overLimit?: number;
}

export function recordFigures(f: Figures): void {
  const file = process.env.ADCTL_RELIABILITY_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(f)}\n`);
}
