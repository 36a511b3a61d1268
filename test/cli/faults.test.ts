/**
 * The HTTP policy as users see it: waits, retries and exit codes, run in-process (test/helpers/cli.ts)
 * against a sandbox started by the test. The retry waits are the production policy's own (backoff
 * with jitter, the platform's reset hints); only the per-request timeout is the test's choice. The
 * built binary's retries are checked in test/e2e/faults.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, sandboxEnv, STACK_LINE, tempConfigDir } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[], env: Record<string, string> = {}) => runInProcess(args, { env: sandboxEnv(sandbox, env), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('faults', () => {
  it('retries a Meta code 17 (user request limit)', async () => {
    sandbox.addFault({ platform: 'meta', method: 'GET', path: '/campaigns', times: 1, action: { type: 'meta_throttle', code: 17 } });
    const r = await cli(['campaign', 'list', '--platform', 'meta', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.requests.filter((q) => q.fault === 'meta_throttle')).toHaveLength(1);
    expect(parseJson<unknown[]>(r.stdout).length).toBeGreaterThan(0);
  });

  it('a persistent 500 exits 75 and says when to retry', async () => {
    sandbox.addFault({ platform: 'x', method: 'GET', path: '/campaigns', action: { type: 'status', status: 500 } });
    const r = await cli(['campaign', 'list', '--platform', 'x']);
    expect(r.code).toBe(75);
    expect(r.stderr).toMatch(/^error: .*failed after 4 attempts/m);
    expect(r.stderr).toMatch(/^hint: .*retry/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('an expired Meta token (190) exits 4 with a hint', async () => {
    sandbox.addFault({ platform: 'meta', action: { type: 'expired_token' } });
    const r = await cli(['campaign', 'list', '--platform', 'meta']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^hint: .+/m);
    const j = await cli(['campaign', 'list', '--platform', 'meta', '--json']);
    expect(parseJson<{ error: { code: string; hint: string } }>(j.stderr).error.hint).toBeTruthy();
  });

  it('a create whose answer is lost exits 8 and is not repeated', async () => {
    sandbox.addFault({ platform: 'x', method: 'POST', path: '/campaigns', action: { type: 'drop_after_apply' } });
    const r = await cli(['campaign', 'create', '--platform', 'x', '--name', 'Lost', '--objective', 'traffic']);
    expect(r.code).toBe(8);
    expect(sandbox.requests.filter((q) => q.method === 'POST')).toHaveLength(1);
    expect(JSON.stringify(sandbox.state.read().x)).toContain('Lost');
  });

  it('a request timeout on a read is retried, then exits 75', async () => {
    sandbox.addFault({ platform: 'meta', method: 'GET', path: '/campaigns', action: { type: 'hang' } });
    const r = await cli(['campaign', 'list', '--platform', 'meta', '--timeout', '100ms']);
    expect(r.code).toBe(75);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('injected latency below the timeout only slows a run down', async () => {
    sandbox.addFault({ platform: 'x', method: 'GET', path: '/campaigns', action: { type: 'latency', ms: 400 } });
    const r = await cli(['campaign', 'list', '--platform', 'x', '--json', '--timeout', '5s']);
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.requests.filter((q) => q.fault === 'latency').length).toBeGreaterThan(0);
    expect(sandbox.requests.filter((q) => q.path.endsWith('/campaigns'))).toHaveLength(1);
  });

  it('an HTML error page is a one-line error, never a stack trace', async () => {
    sandbox.addFault({ platform: 'meta', method: 'GET', path: '/campaigns', action: { type: 'status', status: 502, body: '<html><h1>Bad Gateway</h1></html>', contentType: 'text/html' } });
    const r = await cli(['campaign', 'list', '--platform', 'meta']);
    expect([1, 75]).toContain(r.code);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
