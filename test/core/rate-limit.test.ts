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
