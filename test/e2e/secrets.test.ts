/**
 * No token or secret appears in any output, including --debug traces and errors. The test uses
 * distinct, recognisable secret values registered with the sandbox... the sandbox's own demo
 * credentials, which adctl must treat like any real secret.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { useSandbox } from '../helpers/sandbox.js';
import { ALL_SECRETS, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sandbox), configDir, timeoutMs: 40_000 });

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
    }
  });

  it('errors from an expired token carry no token, even with --debug stack traces', async () => {
    sandbox.addFault({ action: { type: 'expired_token' } });
    for (const platform of ['x', 'meta']) {
      const r = await cli(['campaign', 'list', '--platform', platform, '--debug']);
      expect(r.code).toBe(4);
      expectNoSecret(r.stdout + r.stderr, platform);
    }
  });
});
