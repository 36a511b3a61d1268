/**
 * The HTTP policy as users see it: waits, retries and exit codes, through the built binary.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, runCli, sandboxEnv, STACK_LINE, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: sandboxEnv(sandbox, env), configDir, timeoutMs: 40_000 });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('faults', () => {
  it('waits out a 429 whose reset is 2 s ahead, then succeeds', async () => {
    sandbox.addFault({ platform: 'x', method: 'GET', path: '/campaigns', times: 1, action: { type: 'rate_limit', resetInSec: 2 } });
    const started = Date.now();
    const r = await cli(['campaign', 'list', '--platform', 'x', '--json', '--verbose']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson<unknown[]>(r.stdout).length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/retry 1 in [12]\.\d s/);
    const limited = sandbox.requests.filter((q) => q.fault === 'rate_limit');
    const retry = sandbox.requests.find((q) => q.seq > limited[0]!.seq && q.path.includes('/campaigns'))!;
    expect(limited).toHaveLength(1);
    // The retry came after the advertised reset (whole seconds), not before.
    expect(Date.parse(retry.at) - Date.parse(limited[0]!.at)).toBeGreaterThanOrEqual(1000);
    void started;
  });

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
    const r = await cli(['campaign', 'list', '--platform', 'meta', '--timeout', '300ms']);
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

  it('a dropped connection on a read is retried and succeeds', async () => {
    sandbox.addFault({ platform: 'meta', method: 'GET', path: '/campaigns', times: 1, action: { type: 'drop' } });
    const r = await cli(['campaign', 'list', '--platform', 'meta', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.requests.filter((q) => q.fault === 'drop')).toHaveLength(1);
  });

  it('an HTML error page is a one-line error, never a stack trace', async () => {
    sandbox.addFault({ platform: 'meta', method: 'GET', path: '/campaigns', action: { type: 'status', status: 502, body: '<html><h1>Bad Gateway</h1></html>', contentType: 'text/html' } });
    const r = await cli(['campaign', 'list', '--platform', 'meta']);
    expect([1, 75]).toContain(r.code);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
