import { describe, expect, it } from 'vitest';
import { DryRunIntercepted } from '../../src/core/adapter.js';
import { AdctlError } from '../../src/core/errors.js';
import { HttpPolicy, type ClassifiedFailure, type FailureKind } from '../../src/core/http-policy.js';

class Fail extends Error {
  constructor(readonly f: ClassifiedFailure) { super(f.message); }
}
const classify = (e: unknown) => (e as Fail).f;
const fail = (kind: FailureKind, extra: Partial<ClassifiedFailure> = {}) => new Fail({ kind, message: kind, notApplied: false, ...extra });

function policy(waits: number[]) {
  return new HttpPolicy({ platform: 'x', baseDelayMs: 100, sleep: async (ms) => { waits.push(ms); } });
}

async function run(p: HttpPolicy, failures: Error[], spec = { label: 'GET thing', write: false, idempotent: true }) {
  let calls = 0;
  const result = await p.run(spec, async () => {
    const f = failures[calls++];
    if (f) throw f;
    return 'ok';
  }, classify).catch((e: unknown) => e);
  return { result, calls };
}

describe('HttpPolicy', () => {
  it('retries transient failures of idempotent calls and succeeds', async () => {
    const waits: number[] = [];
    const { result, calls } = await run(policy(waits), [fail('server'), fail('timeout'), fail('network')]);
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(waits).toHaveLength(3);
    expect(waits[1]!).toBeGreaterThanOrEqual(100); // exponential: 2nd wait is 100–200 ms
  });

  it('honours the platform\'s retry-after', async () => {
    const waits: number[] = [];
    const { result } = await run(policy(waits), [fail('rate_limited', { notApplied: true, retryAfterMs: 2000 })]);
    expect(result).toBe('ok');
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
  });

  it('gives up with exit 75 after the last attempt', async () => {
    const { result, calls } = await run(policy([]), [fail('server'), fail('server'), fail('server'), fail('server'), fail('server')]);
    expect(calls).toBe(4);
    expect((result as AdctlError).exitCode).toBe(75);
    expect((result as AdctlError).retryable).toBe(true);
  });

  it('fails fast with exit 75 when the platform asks for a longer wait than allowed', async () => {
    const waits: number[] = [];
    const { result, calls } = await run(policy(waits), [fail('rate_limited', { notApplied: true, retryAfterMs: 15 * 60_000 })]);
    expect(calls).toBe(1);
    expect(waits).toHaveLength(0);
    expect((result as AdctlError).code).toBe('RATE_LIMITED');
    expect((result as AdctlError).hint).toMatch(/retry after \d{4}-/);
  });

  it('never retries a create that may have been applied: exit 8', async () => {
    const create = { label: 'POST campaigns', write: true, idempotent: false };
    for (const kind of ['server', 'timeout', 'network', 'malformed'] as const) {
      const { result, calls } = await run(policy([]), [fail(kind)], create);
      expect(calls, kind).toBe(1);
      expect((result as AdctlError).code, kind).toBe('UNKNOWN_OUTCOME');
      expect((result as AdctlError).exitCode).toBe(8);
    }
  });

  it('retries a create the platform refused before applying (429, refused connection)', async () => {
    const create = { label: 'POST campaigns', write: true, idempotent: false };
    const { result, calls } = await run(policy([]), [fail('rate_limited', { notApplied: true }), fail('network', { notApplied: true })], create);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('maps final failures to exit codes once', async () => {
    const cases: Array<[FailureKind, number, string]> = [
      ['auth', 4, 'AUTH_FAILED'], ['permission', 4, 'PERMISSION_DENIED'], ['not_found', 1, 'NOT_FOUND'],
      ['invalid', 1, 'PLATFORM_REJECTED'], ['malformed', 1, 'BAD_RESPONSE'], ['duplicate', 1, 'DUPLICATE'],
    ];
    for (const [kind, exit, code] of cases) {
      const { result, calls } = await run(policy([]), [fail(kind)]);
      expect(calls).toBe(1);
      expect(result).toBeInstanceOf(AdctlError);
      expect((result as AdctlError).exitCode, kind).toBe(exit);
      expect((result as AdctlError).code).toBe(code);
      expect((result as AdctlError).hint).toBeTruthy();
    }
  });

  it('passes dry-run interceptions and AdctlErrors through untouched', async () => {
    const intercepted = new DryRunIntercepted({ method: 'POST', url: 'http://127.0.0.1/x' });
    const { result } = await run(policy([]), [intercepted]);
    expect(result).toBe(intercepted);
  });
});
