/**
 * A 401 from X names the fix for the credential the request carried (issue 3): an OAuth 2.0 user
 * token is renewed with a PKCE login, never with the ADCTL_X_* OAuth 1.0a variables; an OAuth 2.0
 * token sent to the Ads API (which takes only OAuth 1.0a) points at the PIN login. The real adapter
 * over HTTP against the sandbox, which refuses unknown tokens as X does.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformAdapter, XCredentials, XOAuth2Credentials } from '../../../src/core/adapter.js';
import { createAdapterContext } from '../../../src/core/context.js';
import type { AdctlError } from '../../../src/core/errors.js';
import { xManifest } from '../../../src/plugins/x/manifest.js';
import { SANDBOX_X } from '../../../src/sandbox/credentials.js';
import { SANDBOX_X_OAUTH2 } from '../../../src/sandbox/x/auth-state.js';
import type { SandboxServer } from '../../../src/sandbox/server.js';
import { useSandbox } from '../../helpers/sandbox.js';
import { SANDBOX_CREDENTIALS } from './make-adapter.js';

let sandbox: SandboxServer;
useSandbox((s) => (sandbox = s));

const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as AdctlError);
const UNKNOWN_O2 = { clientId: SANDBOX_X_OAUTH2.clientId, accessToken: 'xo2-token-the-sandbox-never-issued' };

function adapter(credentials: XCredentials | XOAuth2Credentials): Promise<PlatformAdapter> {
  return xManifest.load(createAdapterContext({
    platform: 'x', credentials, accountId: SANDBOX_X.adsAccountId, channelIds: { xUserId: SANDBOX_X.userId },
    endpoints: { xApi: sandbox.url, xAdsApi: sandbox.url, xUpload: sandbox.url }, timeoutMs: 5000, policy: { baseDelayMs: 1 },
  }));
}

describe('X 401 hints follow the credential kind', () => {
  it('an OAuth 2.0-only profile: a refused token on X API v2 hints the PKCE login, not ADCTL_X_*', async () => {
    const x = await adapter({ kind: 'x-oauth2', ...UNKNOWN_O2 });
    const err = await fail(x.listPosts!({ channel: 'x' }));
    expect(err).toMatchObject({ code: 'AUTH_FAILED', exitCode: 4 });
    expect(err.hint).toContain('adctl auth login --platform x --flow pkce');
    expect(err.hint).not.toMatch(/ADCTL_X_|flow pin/);
    expect(`${err.message} ${err.hint}`).not.toContain(UNKNOWN_O2.accessToken);
  });

  it('an OAuth 2.0-only profile on the Ads API hints the PIN login (the Ads API takes only OAuth 1.0a)', async () => {
    const x = await adapter({ kind: 'x-oauth2', ...UNKNOWN_O2 });
    const err = await fail(x.listCampaigns({}));
    expect(err.exitCode).toBe(4);
    expect(err.hint).toMatch(/takes only OAuth 1\.0a.*adctl auth login --platform x --flow pin/);
    expect(err.hint).not.toContain('ADCTL_X_');
  });

  it('OAuth 1.0a plus a refused OAuth 2.0 token: posts hint PKCE, while the Ads API still works with OAuth 1.0a', async () => {
    const x = await adapter({ ...SANDBOX_CREDENTIALS, oauth2: UNKNOWN_O2 });
    const err = await fail(x.listPosts!({ channel: 'x' }));
    expect(err.hint).toContain('--flow pkce');
    expect(err.hint).not.toContain('ADCTL_X_');
    expect(Array.isArray(await x.listCampaigns({}))).toBe(true);
  });

  it('refused OAuth 1.0a credentials still name the ADCTL_X_* variables and the PIN login', async () => {
    const x = await adapter({ ...SANDBOX_CREDENTIALS, accessSecret: 'wrong-access-secret' });
    const err = await fail(x.listCampaigns({}));
    expect(err.hint).toMatch(/ADCTL_X_ACCESS_SECRET.*adctl auth login --platform x --flow pin.*adctl doctor/);
  });
});
