/**
 * Builds the real X adapter (twitter-api-v2 over HTTP) aimed at a sandbox, the way the CLI's
 * session does, with a policy that barely sleeps on backoff (platform reset hints are still honoured).
 */
import type { PlatformAdapter, WireRequest, WireResponse, XCredentials } from '../../../src/core/adapter.js';
import { createAdapterContext } from '../../../src/core/context.js';
import { xManifest } from '../../../src/plugins/x/manifest.js';
import { SANDBOX_X } from '../../../src/sandbox/credentials.js';

export interface MakeXOptions {
  url: string;
  accountId?: string;
  credentials?: Partial<XCredentials>;
  timeoutMs?: number;
  dryRun?: boolean;
  requests?: WireRequest[];
  responses?: WireResponse[];
}

export const SANDBOX_CREDENTIALS: XCredentials = {
  kind: 'x-oauth1', apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret,
};

export function makeX(o: MakeXOptions): Promise<PlatformAdapter> {
  return xManifest.load(createAdapterContext({
    platform: 'x',
    credentials: { ...SANDBOX_CREDENTIALS, ...o.credentials },
    accountId: o.accountId ?? SANDBOX_X.adsAccountId,
    endpoints: { xApi: o.url, xAdsApi: o.url, xUpload: o.url },
    timeoutMs: o.timeoutMs ?? 5000,
    dryRun: o.dryRun,
    observer: { request: (r) => o.requests?.push(r), response: (r) => o.responses?.push(r) },
    policy: { baseDelayMs: 1 },
  }));
}
