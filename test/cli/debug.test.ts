/**
 * The CLI wrapper and the settings read `--debug`/`ADCTL_DEBUG` with the same rule
 * (src/core/switches.ts): ADCTL_DEBUG=false is off for both, so an error shows no HTTP trace and
 * no stack trace.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { sandboxEnv, STACK_LINE } from '../e2e/helpers.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

describe('ADCTL_DEBUG', () => {
  it('false and 0 are off: one error line and a hint, no trace, no stack', async () => {
    for (const value of ['false', '0', 'FALSE']) {
      const r = await runInProcess(['campaign', 'get', 'x:zzzz1'], { env: sandboxEnv(sandbox, { ADCTL_DEBUG: value }) });
      expect(r.code, value).toBe(1);
      expect(r.stderr, value).toMatch(/^error: .*not found/m);
      expect(r.stderr, value).not.toContain('debug:');
      expect(r.stderr, value).not.toMatch(STACK_LINE);
    }
  });

  it('1 is on: the redacted trace and the stack are shown', async () => {
    const r = await runInProcess(['campaign', 'get', 'x:zzzz1'], { env: sandboxEnv(sandbox, { ADCTL_DEBUG: '1' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('debug: → GET');
    expect(r.stderr).toMatch(STACK_LINE);
  });
});
