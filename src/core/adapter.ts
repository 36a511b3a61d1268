/**
 * The one contract every platform plugin implements (DESIGN §3).
 *
 * A plugin declares `capabilities` and implements only what they claim. It receives an
 * `AdapterContext` from core: credentials, endpoints, the per-request timeout, the HTTP policy
 * (retries, backoff, exit codes: core decides) and the observer used for `--debug` and `--dry-run`.
 * The plugin's only jobs are to translate domain ⇄ wire and to classify its platform's errors.
 *
 * Type-only imports: this file costs nothing at run time.
 */
import type {
  AdAccount, Campaign, CampaignCreateInput, CampaignPatch, CampaignQuery, FundingInstrument, Platform,
} from './model.js';
import type { HttpPolicy } from './http-policy.js';

export const CAPABILITIES = [
  'campaigns.read', 'campaigns.write', 'budgets.write', 'adgroups.read', 'adgroups.write',
  'posts.publish', 'posts.schedule', 'posts.delete', 'media.upload', 'insights.read', 'batch',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface XCredentials {
  kind: 'x-oauth1';
  apiKey: string;
  apiSecret: string;
  accessToken: string;
  accessSecret: string;
}

export interface MetaCredentials {
  kind: 'meta-token';
  accessToken: string;
  /** When set, `appsecret_proof` is sent with every call. */
  appSecret?: string | undefined;
}

export interface Endpoints {
  /** X API v2 origin, default https://api.x.com */
  xApi: string;
  /** X Ads API origin, default https://ads-api.x.com */
  xAdsApi: string;
  /** X upload origin, default https://upload.x.com */
  xUpload: string;
  /** Meta Graph origin, default https://graph.facebook.com */
  metaGraph: string;
  /** Graph version such as v25.0 */
  metaApiVersion: string;
}

/** A request as it leaves (or would leave) the process. Secrets are already redacted. */
export interface WireRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface WireResponse {
  method: string;
  url: string;
  status: number;
  ms: number;
  requestId?: string | undefined;
  headers?: Record<string, string>;
  /**
   * The platform's rate-limit word on this response, translated by the plugin (which alone reads
   * the headers). Core feeds it to the shared RateGovernor; `bucket` matches CallSpec.bucket.
   */
  rateLimit?: { bucket: string; state: import('./rate-limit.js').RateLimitState } | undefined;
}

/**
 * Sees every request and response of a plugin, already redacted with `redact`. Used for the
 * `--debug` trace and for the `--dry-run` listing.
 */
export interface HttpObserver {
  request(req: WireRequest): void;
  response(res: WireResponse): void;
}

export interface AdapterContext<C = XCredentials | MetaCredentials> {
  credentials: C;
  /** Ad account id from profile, env or `--account`; plugins normalise (Meta adds `act_`). */
  accountId: string | undefined;
  endpoints: Endpoints;
  /** Per-request timeout (ADCTL_TIMEOUT), in milliseconds. */
  timeoutMs: number;
  /**
   * When true the plugin sends reads but no write: the first write request is reported to
   * `observer.request` and then `DryRunIntercepted` is thrown instead of sending it.
   */
  dryRun: boolean;
  http: HttpPolicy;
  observer: HttpObserver;
  /** Replaces every known secret and secret-bearing parameter in a string. */
  redact(text: string): string;
}

export interface PlatformAdapter {
  readonly id: Platform;
  readonly capabilities: ReadonlySet<Capability>;

  /** The configured ad account: name, currency, IANA time zone. */
  getAccount(): Promise<AdAccount>;
  /** X only (capability campaigns.write on X needs it). */
  listFundingInstruments?(): Promise<FundingInstrument[]>;

  listCampaigns(query: CampaignQuery): Promise<Campaign[]>;
  getCampaign(id: string): Promise<Campaign>;
  /** Not idempotent: a create whose outcome is unknown surfaces as exit 8 and is never retried blindly. */
  createCampaign(input: CampaignCreateInput): Promise<Campaign>;
  /** Idempotent: sets fields to the given values. */
  updateCampaign(id: string, patch: CampaignPatch): Promise<Campaign>;
  /** Idempotent: deleting an already-deleted campaign succeeds. */
  deleteCampaign(id: string): Promise<void>;
}

export interface PluginManifest {
  id: Platform;
  title: string;
  capabilities: readonly Capability[];
  /** Imports the SDK. Called only for enabled plugins that a command needs. */
  load(ctx: AdapterContext): Promise<PlatformAdapter>;
}

/** Thrown by a plugin in dry-run mode at the first write; carries the redacted request. */
export class DryRunIntercepted extends Error {
  override readonly name = 'DryRunIntercepted';
  constructor(readonly request: WireRequest) {
    super(`dry run: ${request.method} ${request.url} not sent`);
  }
}
