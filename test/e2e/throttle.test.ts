/**
 * Throttling before the wall (issue 7): with the sandbox's X limits set low, many reads from four
 * adctl processes in parallel finish with no 429 reaching the user and no request over the limit.
 * The processes share what the platform said through the config dir (src/core/rate-limit.ts).
 * `npm run test:reliability` runs 500 reads; `npm test` runs fewer.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { recordFigures } from '../helpers/figures.js';
import { useSandbox } from '../helpers/sandbox.js';
import { ALL_SECRETS, runCli, sandboxEnv, STACK_LINE, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const READS = Number(process.env.ADCTL_THROTTLE_READS ?? 120);
const PROCESSES = 4;
const LIMIT = { max: 12, windowSec: 1 };

describe('shared throttling across processes', () => {
  it(`${READS} reads across ${PROCESSES} processes: no 429 reaches the user, no request over the limit`, async () => {
    sandbox.setLimit('x', LIMIT);
    const configDir = tempConfigDir();
    const env = sandboxEnv(sandbox);
    // Each `campaign list --platform x` reads two X endpoints (campaigns, line items).
    const listsPerProcess = Math.ceil(READS / 2 / PROCESSES);
    const results = await Promise.all(Array.from({ length: PROCESSES }, async () => {
      const codes: number[] = [];
      const stderr: string[] = [];
      for (let i = 0; i < listsPerProcess; i++) {
        const r = await runCli(['campaign', 'list', '--platform', 'x', '--json'], { env, configDir, timeoutMs: 60_000 });
        codes.push(r.code);
        stderr.push(r.stderr);
      }
      return { codes, stderr: stderr.join('') };
    }), );
    const reads = sandbox.requests.filter((r) => r.platform === 'x' && r.method === 'GET').length;
    expect(reads).toBeGreaterThanOrEqual(READS);
    // The limit was really in play: far more reads than one window allows.
    expect(reads).toBeGreaterThan(LIMIT.max * 4);
    for (const r of results) {
      expect(r.codes.every((c) => c === 0)).toBe(true);
      expect(r.stderr).not.toMatch(/429|RATE_LIMITED|Rate limit/i);
    }
    const runs = results.flatMap((r) => r.codes);
    recordFigures({
      suite: `throttled reads, ${PROCESSES} processes`, faultTypes: ['request limit'], runs: runs.length, operations: reads,
      lostWrites: 0, duplicateWrites: 0, overLimit: sandbox.overLimit(),
      crashes: runs.filter((c) => c !== 0).length + results.filter((r) => STACK_LINE.test(r.stderr)).length,
      secretsLeaked: results.filter((r) => ALL_SECRETS.some((x) => r.stderr.includes(x))).length,
    });
    expect(sandbox.overLimit()).toBe(0);
  }, 180_000);
});
