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
  AdAccount, AdGroup, AdGroupCreateInput, AdGroupPatch, AdGroupQuery, BatchItemResult, Campaign, CampaignCreateInput,
  CampaignPatch, CampaignQuery, Channel, ChannelRules, FundingInstrument, InsightsQuery, InsightsRow, Platform, Post,
  PostCreateInput, PostQuery,
} from './model.js';
import type { HttpPolicy } from './http-policy.js';
import type { WireRequest } from './dry-run.js';

export { DryRunIntercepted, type WireRequest } from './dry-run.js';

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
  /** An OAuth 2.0 user token of the same profile: X API v2 calls (posts, users/me) use it; the Ads API keeps OAuth 1.0a. */
  oauth2?: XOAuth2Token | undefined;
}

/**
 * An X OAuth 2.0 user token (authorization code + PKCE). Sent as `Authorization: Bearer`. The
 * session refreshes it before use when it is refreshable and close to `expiresAt` (services/x-oauth2.ts),
 * so a plugin always receives a token that was valid when the command started.
 */
export interface XOAuth2Token {
  clientId: string;
  /** Confidential clients only; sent as HTTP Basic on the token endpoint. */
  clientSecret?: string | undefined;
  accessToken: string;
  /** Present when the `offline.access` scope was granted. Single use: each refresh returns a new one. */
  refreshToken?: string | undefined;
  /** ISO time; absent when unknown. */
  expiresAt?: string | undefined;
  scopes?: string[] | undefined;
}

/** A profile with only an OAuth 2.0 user token: X API v2 works, the Ads API (OAuth 1.0a only) is refused. */
export interface XOAuth2Credentials extends XOAuth2Token {
  kind: 'x-oauth2';
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

export interface AdapterContext<C = XCredentials | XOAuth2Credentials | MetaCredentials> {
  credentials: C;
  /** Ad account id from profile, env or `--account`; plugins normalise (Meta adds `act_`). */
  accountId: string | undefined;
  /** Where posts go (issue 5): X user id, Facebook Page id, Instagram user id, from profile or env. */
  channelIds?: { xUserId?: string | undefined; pageId?: string | undefined; igUserId?: string | undefined } | undefined;
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
  /**
   * Where the built CLI keeps V8 code caches of the SDKs it loads (the config dir's cache/code/);
   * unset: none. Only the bundle's SDK loaders use it (plugins/x/sdk.ts, plugins/meta/sdk.ts).
   */
  codeCacheDir?: string | undefined;
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
  /**
   * Idempotent: sets fields to the given values. `before` is the campaign as the caller read it
   * just before (the write path reads it once): a plugin uses it instead of reading again.
   */
  updateCampaign(id: string, patch: CampaignPatch, before?: Campaign): Promise<Campaign>;
  /** Idempotent: deleting an already-deleted campaign succeeds. */
  deleteCampaign(id: string): Promise<void>;

  // adgroups.read / adgroups.write (Meta ad sets, X line items)
  listAdGroups?(query: AdGroupQuery): Promise<AdGroup[]>;
  getAdGroup?(id: string): Promise<AdGroup>;
  /** Not idempotent, like createCampaign. Invalid combinations are refused before sending (exit 64). */
  createAdGroup?(input: AdGroupCreateInput): Promise<AdGroup>;
  updateAdGroup?(id: string, patch: AdGroupPatch): Promise<AdGroup>;
  deleteAdGroup?(id: string): Promise<void>;

  // insights.read (Meta insights, X Ads stats; async jobs for long ranges are the plugin's business)
  /** One row per object that delivered in the period; an object without a row spent nothing. Read-only. */
  getInsights?(query: InsightsQuery): Promise<InsightsRow[]>;

  // posts.publish / posts.schedule / posts.delete / media.upload
  /** The channels this plugin publishes to, with their limits and scheduling windows. */
  channelRules?(): ChannelRules[];
  /** Not idempotent: an unknown outcome surfaces as exit 8; callers reconcile with listPosts first. */
  createPost?(input: PostCreateInput): Promise<Post>;
  /** Newest first, including scheduled posts when asked: used by `post list` and by reconciliation. */
  listPosts?(query: PostQuery): Promise<Post[]>;
  getPost?(channel: Channel, id: string): Promise<Post>;
  /** Idempotent: deleting an already-deleted post succeeds. */
  deletePost?(channel: Channel, id: string): Promise<void>;

  // batch (X Ads batch endpoints, 40 per call; Meta Graph batch, 50 per call)
  /** One result per item in input order; the plugin chunks, core limits concurrency. Idempotent. */
  updateCampaignsBatch?(items: { id: string; patch: CampaignPatch }[]): Promise<BatchItemResult<Campaign>[]>;
  updateAdGroupsBatch?(items: { id: string; patch: AdGroupPatch }[]): Promise<BatchItemResult<AdGroup>[]>;
  /** Idempotent: an already-deleted object counts as deleted. One result per id, in input order. */
  deleteCampaignsBatch?(ids: string[]): Promise<BatchItemResult<null>[]>;
  deleteAdGroupsBatch?(ids: string[]): Promise<BatchItemResult<null>[]>;
  /** Items per batch request (X 40, Meta 50): core sends chunks of this size, several at a time. */
  readonly batchSize?: number | undefined;
}

export interface PluginManifest {
  id: Platform;
  title: string;
  capabilities: readonly Capability[];
  /** Imports the SDK. Called only for enabled plugins that a command needs. */
  load(ctx: AdapterContext): Promise<PlatformAdapter>;
}
