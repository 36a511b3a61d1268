/**
 * One sandbox per test file, on 127.0.0.1: started before the file's tests, stopped after them,
 * and restored to its seed (state, faults, request log, clock) before each test.
 *
 * The clock: with `options.now` every test starts with the sandbox clock fixed at that instant, and
 * the seed (which is taken lazily, on the first read) is taken at it too, so seeded relative times
 * ("started 30 days ago") and spend "by now" are the same on every calendar date. Without it, each
 * test starts on the real clock (a clock one test fixed does not leak into the next); a test may
 * still fix it itself with `sandbox.setClock(...)` before it reads anything.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSandbox, type SandboxServer } from '../../src/sandbox/server.js';

export interface UseSandboxOptions {
  /** Fix the sandbox clock at this instant (ISO 8601) for every test of the file. */
  now?: string;
}

export function useSandbox(onStart: (sandbox: SandboxServer) => void, beforeEachTest?: () => void, options: UseSandboxOptions = {}): void {
  let server: SandboxServer | undefined;
  const clock = options.now ?? null;
  beforeAll(async () => {
    server = await startSandbox();
    server.setClock(clock);
    onStart(server);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server!.reset();
    server!.setClock(clock);
    server!.clearFaults();
    server!.requests.length = 0;
    beforeEachTest?.();
  });
}
