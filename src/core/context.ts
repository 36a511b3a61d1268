/**
 * Builds the `AdapterContext` a plugin receives. Used by the session (CLI runs) and by tests that
 * drive an adapter directly against the sandbox.
 */
import type { AdapterContext, Endpoints, HttpObserver, MetaCredentials, XCredentials, XOAuth2Credentials, XOAuth2Token } from './adapter.js';
import { HttpPolicy, type HttpPolicyOptions } from './http-policy.js';
import { Redactor } from './redact.js';

export const DEFAULT_ENDPOINTS: Endpoints = {
  xApi: 'https://api.x.com',
  xAdsApi: 'https://ads-api.x.com',
  xUpload: 'https://upload.x.com',
  metaGraph: 'https://graph.facebook.com',
  // v24.0 reached its Marketing API expiry on 2026-11-10; v25.0 runs until 2027-02-23 and v26.0 is
  // current (wire/REFERENCE.md, "Versions at a glance").
  metaApiVersion: 'v26.0',
};

export const NULL_OBSERVER: HttpObserver = { request() {}, response() {} };

export interface ContextOptions<C extends XCredentials | XOAuth2Credentials | MetaCredentials> {
  platform: 'x' | 'meta';
  credentials: C;
  accountId?: string | undefined;
  channelIds?: AdapterContext['channelIds'];
  endpoints?: Partial<Endpoints>;
  timeoutMs?: number;
  dryRun?: boolean;
  observer?: HttpObserver;
  redactor?: Redactor;
  policy?: Omit<HttpPolicyOptions, 'platform'>;
  codeCacheDir?: string | undefined;
}

const oauth2Secrets = (t: XOAuth2Token | undefined) => (t ? [t.accessToken, t.refreshToken ?? '', t.clientSecret ?? ''] : []);

export function secretsOf(credentials: XCredentials | XOAuth2Credentials | MetaCredentials): string[] {
  if (credentials.kind === 'x-oauth2') return oauth2Secrets(credentials);
  return credentials.kind === 'x-oauth1'
    ? [credentials.apiKey, credentials.apiSecret, credentials.accessToken, credentials.accessSecret, ...oauth2Secrets(credentials.oauth2)]
    : [credentials.accessToken, credentials.appSecret ?? ''];
}

export function createAdapterContext<C extends XCredentials | XOAuth2Credentials | MetaCredentials>(options: ContextOptions<C>): AdapterContext<C> {
  const redactor = options.redactor ?? new Redactor();
  for (const s of secretsOf(options.credentials)) redactor.add(s);
  return {
    credentials: options.credentials,
    accountId: options.accountId,
    channelIds: options.channelIds,
    endpoints: { ...DEFAULT_ENDPOINTS, ...options.endpoints },
    timeoutMs: options.timeoutMs ?? 30_000,
    dryRun: options.dryRun ?? false,
    http: new HttpPolicy({ platform: options.platform, ...options.policy }),
    observer: options.observer ?? NULL_OBSERVER,
    redact: (text) => redactor.redact(text),
    codeCacheDir: options.codeCacheDir,
  };
}
