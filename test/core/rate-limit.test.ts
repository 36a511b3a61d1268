import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AdctlError } from '../../src/core/errors.js';
import { RateGovernor } from '../../src/core/rate-limit.js';

function clock(start = 1_000_000) {
  let t = start;
  const waits: number[] = [];
  return { now: () => t, sleep: async (ms: number) => { waits.push(ms); t += ms; }, waits };
}

describe('RateGovernor', () => {
  it('never throttles an unknown bucket', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep });
    for (let i = 0; i < 100; i++) await g.acquire('x:unknown');
    expect(c.waits).toEqual([]);
  });

  it('spends what the platform said was left, then waits for the reset', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep });
    g.observe('x:campaigns', { kind: 'count', limit: 10, remaining: 3, resetAtMs: c.now() + 5000 });
    await g.acquire('x:campaigns');
    await g.acquire('x:campaigns');
    await g.acquire('x:campaigns');
    expect(c.waits).toEqual([]);
    await g.acquire('x:campaigns');
    expect(c.waits).toEqual([5050]);
  });

  it('pauses a usage bucket above the ceiling until access is regained', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep, usageCeilingPct: 90 });
    g.observe('meta:ads_management', { kind: 'usage', usedPct: 95, regainAtMs: c.now() + 2000 });
    await g.acquire('meta:ads_management');
    expect(c.waits).toEqual([2050]);
    g.observe('meta:ads_management', { kind: 'usage', usedPct: 40, regainAtMs: 0 });
    await g.acquire('meta:ads_management');
    expect(c.waits).toHaveLength(1);
  });

  it('fails fast with exit 75 rather than wait longer than allowed', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep, maxWaitMs: 1000 });
    g.observe('x:b', { kind: 'count', limit: 1, remaining: 0, resetAtMs: c.now() + 900_000 });
    const err = await g.acquire('x:b').catch((e: unknown) => e);
    expect((err as AdctlError).exitCode).toBe(75);
    expect(c.waits).toEqual([]);
  });

  it('shares the remaining count between governors on the same file (processes)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'adctl-rl-')), 'rl.json');
    const c = clock();
    const a = new RateGovernor({ file, now: c.now, sleep: c.sleep });
    const b = new RateGovernor({ file, now: c.now, sleep: c.sleep });
    a.observe('x:c', { kind: 'count', limit: 4, remaining: 4, resetAtMs: c.now() + 1000 });
    await a.acquire('x:c');
    await b.acquire('x:c');
    await a.acquire('x:c');
    await b.acquire('x:c');
    expect(c.waits).toEqual([]);
    await b.acquire('x:c');
    expect(c.waits).toEqual([1050]);
    expect(a.snapshot()).toEqual({});
  });
});

describe('RateGovernor with calls in flight', () => {
  it('counts unanswered calls, so a late answer never hands back units already spent', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep });
    const reset = c.now() + 10_000;
    g.observe('x:b', { kind: 'count', limit: 5, remaining: 4, resetAtMs: reset });
    await g.acquire('x:b'); // in flight
    await g.acquire('x:b'); // in flight
    // The first of them is answered: the platform counted it but not the second.
    g.observe('x:b', { kind: 'count', limit: 5, remaining: 3, resetAtMs: reset });
    expect(g.snapshot()['x:b']).toMatchObject({ remaining: 2 });
    await g.acquire('x:b');
    await g.acquire('x:b');
    expect(c.waits).toEqual([]);
    await g.acquire('x:b');
    expect(c.waits).toEqual([10_050]);
  });
});

describe('RateGovernor usage buckets (percent readings, as Meta gives)', () => {
  const usage = (usedPct: number, resetAtMs: number, regainAtMs = 0) => ({ kind: 'usage' as const, usedPct, regainAtMs, resetAtMs });

  it('does not slow down below the soft limit', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep });
    g.observe('m', usage(10, c.now() + 60_000));
    for (let i = 0; i < 20; i++) await g.acquire('m');
    expect(c.waits).toEqual([]);
  });

  it('spreads the calls left below the ceiling over the rest of the window, then stops until the reset', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep, usageSoftPct: 75, usageCeilingPct: 90 });
    const reset = c.now() + 10_000;
    g.observe('m', usage(80, reset));
    await g.acquire('m'); // 81: paced, the first goes at once
    await g.acquire('m'); // 82
    expect(c.waits).toHaveLength(1);
    // 10 calls were left below the ceiling (one reading step is 1 % until learnt) over 10 s: 1 s apart.
    expect(c.waits).toEqual([1000]);
    for (let i = 0; i < 8; i++) await g.acquire('m'); // up to 90
    const beforeReset = c.now();
    expect(beforeReset).toBeLessThan(reset);
    await g.acquire('m'); // would pass 90: waits for the reset
    expect(c.now()).toBeGreaterThanOrEqual(reset);
    expect(c.waits.at(-1)).toBe(reset - beforeReset + 50);
  });

  it('learns one call\'s share from the readings, so calls in flight in other processes never pass the ceiling', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'adctl-rl-')), 'rl.json');
    const c = clock();
    const procs = [0, 1, 2, 3].map(() => new RateGovernor({ file, now: c.now, sleep: c.sleep, usageSoftPct: 100, usageCeilingPct: 90, maxWaitMs: 120_000 }));
    const reset = c.now() + 60_000;
    // One call is 5 % of the allowance: readings 5, 10.
    await procs[0]!.acquire('m');
    procs[0]!.observe('m', usage(5, reset));
    await procs[1]!.acquire('m');
    procs[1]!.observe('m', usage(10, reset));
    // Now every process takes calls without answers arriving: at most 16 more fit under 90 %.
    let taken = 0;
    for (let round = 0; round < 10 && c.waits.length === 0; round++) {
      for (const p of procs) {
        await p.acquire('m');
        if (c.waits.length === 0) taken += 1;
      }
    }
    expect(taken).toBe(16);
    expect(c.now()).toBeGreaterThanOrEqual(reset);
  });

  it('waits for the regain time after a throttle, but never past the deadline', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep, maxWaitMs: 120_000 });
    g.observe('m', usage(100, 0, c.now() + 60_000));
    await g.acquire('m');
    expect(c.waits).toEqual([60_050]);
    g.observe('m', usage(100, 0, c.now() + 180_000));
    const err = await g.acquire('m').catch((e: unknown) => e);
    expect((err as AdctlError).exitCode).toBe(75);
    expect(c.waits).toHaveLength(1);
  });

  it('learns nothing from a throttled reading\'s jump, and never takes a call for more than 10 %', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep });
    const reset = c.now() + 60_000;
    g.observe('m', usage(1, reset));
    g.observe('m', usage(100, reset)); // a throttle answer
    g.observe('m', usage(1, reset + 100)); // the platform is back to quiet
    for (let i = 0; i < 50; i++) await g.acquire('m');
    expect(c.waits).toEqual([]);
    const h = new RateGovernor({ now: c.now, sleep: c.sleep, usageSoftPct: 100 });
    h.observe('n', usage(10, reset));
    h.observe('n', usage(60, reset)); // a rise of 50: capped at 10 per call
    h.observe('n', usage(10, reset + 3_000));
    for (let i = 0; i < 8; i++) await h.acquire('n'); // 10 → 90
    expect(c.waits).toEqual([]);
  });

  it('keeps the highest estimate against out-of-order answers, but follows a reading that really fell', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep });
    const reset = c.now() + 60_000;
    g.observe('m', usage(50, reset));
    g.observe('m', usage(48, reset)); // a late answer two calls older
    expect(g.snapshot().m).toMatchObject({ usedPct: 50 });
    g.observe('m', usage(20, reset)); // a rolling window let usage fall
    expect(g.snapshot().m).toMatchObject({ usedPct: 20 });
  });

  it('trusts a reading without a reset time only for the probe interval, then lets one call look again', async () => {
    const c = clock();
    const g = new RateGovernor({ now: c.now, sleep: c.sleep, usageProbeMs: 5000 });
    g.observe('m', usage(95, 0));
    await g.acquire('m');
    expect(c.waits).toEqual([5050]);
  });
});
