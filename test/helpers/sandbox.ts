/**
 * One sandbox per test file, on 127.0.0.1: started before the file's tests, stopped after them,
 * and restored to its seed (state, faults, request log) before each test.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSandbox, type SandboxServer } from '../../src/sandbox/server.js';

export function useSandbox(onStart: (sandbox: SandboxServer) => void, beforeEachTest?: () => void): void {
  let server: SandboxServer | undefined;
  beforeAll(async () => {
    server = await startSandbox();
    onStart(server);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server!.reset();
    server!.clearFaults();
    server!.requests.length = 0;
    beforeEachTest?.();
  });
}
