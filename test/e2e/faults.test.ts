/**
 * The HTTP policy as users see it through the built binary: a 429 waited out on X and a dropped
 * connection retried on Meta (through the SDK as bundled in dist/). The other failures, exit codes
 * and messages run in-process: test/cli/faults.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

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

  it('a dropped connection on a read is retried and succeeds', async () => {
    sandbox.addFault({ platform: 'meta', method: 'GET', path: '/campaigns', times: 1, action: { type: 'drop' } });
    const r = await cli(['campaign', 'list', '--platform', 'meta', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.requests.filter((q) => q.fault === 'drop')).toHaveLength(1);
  });
});
