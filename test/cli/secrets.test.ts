/**
 * No token or secret appears in any output of a command, including --debug traces and errors, run
 * in-process (test/helpers/cli.ts): stdout, stderr, and anything written past the IO port (an SDK's
 * console.log, a direct process.stderr write), which a spawned process would print too. The values
 * are the sandbox's own demo credentials, which adctl must treat like any real secret. The
 * acceptance run of every kind of command with a stored profile runs the built binary in
 * test/e2e/secrets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { ALL_SECRETS, sandboxEnv, tempConfigDir, type CliResult } from '../e2e/helpers.js';

let sandbox: SandboxServer;
let configDir: string;

/** Runs in-process; `stray` is what the run wrote past its IO port (console, the worker's own streams). */
async function cli(args: string[]): Promise<CliResult & { stray: string }> {
  return runInProcess(args, { env: sandboxEnv(sandbox), configDir, captureStray: true });
}

function expectNoSecret(text: string, what: string) {
  for (const s of ALL_SECRETS) expect(text.includes(s), `${what} leaks ${s.slice(0, 4)}…`).toBe(false);
  expect(text, what).not.toMatch(/access_token=(?!\[REDACTED\])[^&\s"]+/);
  expect(text, what).not.toMatch(/appsecret_proof=(?!\[REDACTED\])[^&\s"]+/);
  expect(text, what).not.toMatch(/oauth_signature="?(?!\[REDACTED\])[^",\s]+/);
}

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('secrets never leak', () => {
  it('--debug traces every request, redacted', async () => {
    const r = await cli(['campaign', 'list', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/debug: → GET http:\/\/127\.0\.0\.1:\d+\/12\//);
    expect(r.stderr).toMatch(/debug: → GET http:\/\/127\.0\.0\.1:\d+\/v\d+\.\d+\//);
    expectNoSecret(r.stdout + r.stderr, 'list --debug');
    expectNoSecret(r.stray, 'list --debug, past the IO port');
  });

  it('writes, dry runs and errors are redacted too', async () => {
    const runs = [
      ['campaign', 'create', '--platform', 'meta', '--name', 'S', '--objective', 'traffic', '--daily-budget', '5000 JPY', '--debug'],
      ['campaign', 'create', '--platform', 'x', '--name', 'S', '--objective', 'traffic', '--dry-run', '--debug', '--json'],
      ['campaign', 'get', 'meta:999999999', '--debug'],
      ['campaign', 'get', 'x:999999999', '--debug', '--json'],
    ];
    for (const args of runs) {
      const r = await cli(args);
      expectNoSecret(r.stdout + r.stderr, args.join(' '));
      expectNoSecret(r.stray, `${args.join(' ')}, past the IO port`);
    }
  });

  it('errors from an expired token carry no token, even with --debug stack traces', async () => {
    sandbox.addFault({ action: { type: 'expired_token' } });
    for (const platform of ['x', 'meta']) {
      const r = await cli(['campaign', 'list', '--platform', platform, '--debug']);
      expect(r.code).toBe(4);
      expectNoSecret(r.stdout + r.stderr, platform);
      expectNoSecret(r.stray, `${platform}, past the IO port`);
    }
  });
});
