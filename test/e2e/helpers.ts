/**
 * End-to-end helpers: spawn the built `bin/adctl.js` exactly as a user would, with a private
 * config dir and a scrubbed environment (no CI, no ADCTL_* from the developer's shell).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_META, SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { SandboxServer } from '../../src/sandbox/server.js';

export const BIN = new URL('../../bin/adctl.js', import.meta.url).pathname;
const TRACE = new URL('./fixtures/module-trace.cjs', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** CommonJS modules loaded by the process, when `traceModules` was set. */
  modules: string[];
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  configDir?: string;
  traceModules?: boolean;
  input?: string;
  timeoutMs?: number;
}

/**
 * The clock shift this test run was started under, for a child spawned with a scrubbed
 * environment. `npm run test:dates` runs vitest under faketime (LD_PRELOAD and FAKETIME*); without
 * these a spawned CLI would read the real clock while the test and its sandbox read the shifted
 * one (X signatures would be refused as out of time, "now" would differ). Empty when not under faketime.
 */
export function clockEnv(): Record<string, string> {
  if (process.env.FAKETIME === undefined) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && (k === 'LD_PRELOAD' || k.startsWith('FAKETIME') || k.startsWith('DYLD_'))) out[k] = v;
  }
  return out;
}

export type Sdk = 'twitter-api-v2' | 'facebook-nodejs-business-sdk';

/**
 * Whether a traced module is (part of) an SDK: the package under node_modules, or the single-file
 * copy the built CLI requires instead (dist/bundle/vendor/<package>.cjs, see scripts/bundle.mjs).
 * Both are CommonJS, so the module trace sees either.
 */
export function isSdkModule(path: string, sdk?: Sdk): boolean {
  const names = sdk ?? 'facebook-nodejs-business-sdk|twitter-api-v2';
  return new RegExp(`(node_modules/(${names})/|dist/bundle/vendor/(${names})\\.cjs$)`).test(path);
}

export function tempConfigDir(): string {
  return mkdtempSync(join(tmpdir(), 'adctl-e2e-'));
}

/**
 * What every process a test starts must carry: the OS keyring off (a test may turn it back on
 * explicitly, and then the keyring guard refuses and reports it: test/helpers/keyring-setup.ts).
 */
export function isolationEnv(): Record<string, string> {
  const env: Record<string, string> = { ADCTL_KEYRING: 'off', ...clockEnv() };
  for (const k of ['NODE_OPTIONS', 'ADCTL_TEST_KEYRING_LOG']) if (process.env[k]) env[k] = process.env[k]!;
  return env;
}

/**
 * The whole environment of an adctl run in a test, spawned or in-process: a scrubbed one (no CI,
 * no ADCTL_* from the developer's shell) with its own config dir as HOME, the isolation every
 * test process carries, then `extra` (undefined values are left out).
 */
export function cliEnv(configDir: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: configDir,
    ADCTL_CONFIG_DIR: configDir,
    NO_PROXY: '127.0.0.1,localhost',
    ...isolationEnv(),
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const configDir = options.configDir ?? tempConfigDir();
  const traceFile = join(configDir, `.modules-${process.hrtime.bigint()}.txt`);
  const env = cliEnv(configDir, options.env);
  if (options.traceModules) env.ADCTL_TEST_MODULE_TRACE = traceFile;
  const nodeArgs = options.traceModules ? ['--require', TRACE, BIN, ...args] : [BIN, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let modules: string[] = [];
      if (options.traceModules) {
        try {
          modules = readFileSync(traceFile, 'utf8').split('\n');
        } catch {
          modules = [];
        }
      }
      resolve({ code: code ?? -1, stdout, stderr, modules });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Env that points adctl at a sandbox started by the test, with the sandbox's credentials (and the isolation every test process carries). */
export function sandboxEnv(sandbox: SandboxServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ADCTL_X_API_KEY: SANDBOX_X.apiKey,
    ADCTL_X_API_SECRET: SANDBOX_X.apiSecret,
    ADCTL_X_ACCESS_TOKEN: SANDBOX_X.accessToken,
    ADCTL_X_ACCESS_SECRET: SANDBOX_X.accessSecret,
    ADCTL_X_ADS_ACCOUNT_ID: SANDBOX_X.adsAccountId,
    ADCTL_META_ACCESS_TOKEN: SANDBOX_META.accessToken,
    ADCTL_META_APP_SECRET: SANDBOX_META.appSecret,
    ADCTL_META_AD_ACCOUNT_ID: SANDBOX_META.adAccountId,
    ADCTL_X_API_URL: sandbox.url,
    ADCTL_X_ADS_API_URL: sandbox.url,
    ADCTL_X_UPLOAD_URL: sandbox.url,
    ADCTL_META_GRAPH_URL: sandbox.url,
    ...isolationEnv(),
    ...extra,
  };
}

export const ALL_SECRETS = [
  SANDBOX_X.apiKey, SANDBOX_X.apiSecret, SANDBOX_X.accessToken, SANDBOX_X.accessSecret,
  SANDBOX_META.accessToken, SANDBOX_META.appSecret,
];

export function parseJson<T = unknown>(text: string): T {
  return JSON.parse(text) as T;
}

/** A Node stack frame line, which must never reach users without --debug. */
export const STACK_LINE = /^\s+at\s.+\(?.*:\d+:\d+\)?$/m;
