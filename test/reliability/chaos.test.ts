/**
 * Chaos for writes: campaign creates through the CLI (its real main, run in-process: no kill is
 * involved, so a process per create would only add start-up time) while the sandbox injects faults at
 * random (seeded): answers dropped after the write was applied, 5xx, dropped connections,
 * latency, rate limits and Meta throttling. Afterwards the sandbox's state is the judge:
 * - a create reported as done (exit 0) must exist exactly once (else lost or duplicated);
 * - a create with an unknown outcome (exit 8) may exist at most once (never duplicated);
 * - any other exit must be a documented code, with no stack trace and no secret in the output;
 *   an exception escaping main fails the test outright.
 */
import { describe, expect, it } from 'vitest';
import type { FaultAction } from '../../src/sandbox/types.js';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { ALL_SECRETS, sandboxEnv, STACK_LINE, tempConfigDir } from '../e2e/helpers.js';
import { runInProcess } from '../helpers/cli.js';
import { recordFigures } from '../helpers/figures.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const RUNS = Number(process.env.ADCTL_CHAOS_RUNS ?? 12);
const DOCUMENTED = new Set([0, 1, 3, 4, 5, 8, 64, 75, 77, 78]);

function faults(platform: 'x' | 'meta'): Array<[string, FaultAction | null]> {
  return [
    ['none', null],
    ['response dropped after commit', { type: 'drop_after_apply' }],
    ['5xx', { type: 'status', status: 503 }],
    ['connection dropped', { type: 'drop' }],
    ['latency', { type: 'latency', ms: 300 }],
    ['rate limit', { type: 'rate_limit', resetInSec: 0 }],
    ...(platform === 'meta' ? [['Meta throttle 80004', { type: 'meta_throttle', code: 80004 }] as [string, FaultAction]] : []),
  ];
}

/** A small seeded generator, so a failing run can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe.each(['x', 'meta'] as const)('chaos: creates on %s', (platform) => {
  it(`${RUNS} creates under random faults: nothing lost, nothing duplicated, no crash, no secret`, async () => {
    const random = rng(platform === 'x' ? 7 : 11);
    const configDir = tempConfigDir();
    const env = sandboxEnv(sandbox);
    const kinds = faults(platform);
    const used = new Set<string>();
    const outcomes: Array<{ name: string; code: number; output: string }> = [];
    for (let i = 0; i < RUNS; i++) {
      const [kind, action] = kinds[Math.floor(random() * kinds.length)]!;
      used.add(kind);
      sandbox.clearFaults();
      if (action) sandbox.addFault({ platform, method: 'POST', path: '/campaigns', times: 1, action });
      const name = `chaos-${platform}-${i}`;
      const r = await runInProcess(['campaign', 'create', '--platform', platform, '--name', name, '--objective', 'traffic', '--json'], { env, configDir });
      outcomes.push({ name, code: r.code, output: r.stdout + r.stderr });
    }
    sandbox.clearFaults();
    const state = JSON.stringify(sandbox.state.read()[platform]);
    const copies = (name: string) => state.split(`"name":"${name}"`).length - 1;
    let lost = 0;
    let duplicated = 0;
    let crashes = 0;
    let leaked = 0;
    for (const o of outcomes) {
      const n = copies(o.name);
      if (o.code === 0 && n === 0) lost += 1;
      if (n > 1) duplicated += 1;
      if (!DOCUMENTED.has(o.code) || STACK_LINE.test(o.output)) crashes += 1;
      if (ALL_SECRETS.some((s) => o.output.includes(s))) leaked += 1;
    }
    recordFigures({ suite: `chaos creates (${platform})`, faultTypes: [...used], runs: RUNS, operations: outcomes.length, lostWrites: lost, duplicateWrites: duplicated, crashes, secretsLeaked: leaked });
    expect({ lost, duplicated, crashes, leaked }).toEqual({ lost: 0, duplicated: 0, crashes: 0, leaked: 0 });
    expect(used.size).toBeGreaterThan(2);
  }, 300_000);
});
