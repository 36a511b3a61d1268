/**
 * Profiles the tests add through the CLI itself (`profile add --secrets-stdin`), whichever way the
 * CLI runs (in-process or spawned): the runner is passed in.
 */
import { expect } from 'vitest';
import { SANDBOX_META, SANDBOX_X } from '../../src/sandbox/credentials.js';
import type { CliResult } from '../e2e/helpers.js';

/** The sandbox's credentials as `profile add --secrets-stdin` reads them. */
export const SANDBOX_SECRETS_JSON = JSON.stringify({
  x: { apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret },
  meta: { accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret },
});

/** Profile `acme` on the sandbox's accounts, with guardrails: daily budgets up to 100 USD, steps up to +50 %. */
export const GUARDED_PROFILE_ARGS = [
  'profile', 'add', 'acme', '--secrets-stdin', '--x-ads-account', SANDBOX_X.adsAccountId, '--meta-ad-account', SANDBOX_META.adAccountId,
  '--max-daily-budget', '100 USD', '--max-increase-pct', '50',
];

/** Add the guarded profile `acme` through `run` (args, stdin) and check that it was added. */
export async function addGuardedProfile(run: (args: string[], input: string) => Promise<CliResult>): Promise<void> {
  const r = await run(GUARDED_PROFILE_ARGS, SANDBOX_SECRETS_JSON);
  expect(r.code, r.stderr).toBe(0);
}
