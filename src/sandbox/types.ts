/**
 * Shared types of the wire-level sandbox. The sandbox speaks HTTP like the real platforms and
 * imports no plugin; each platform's routes live in `./x/` and `./meta/`.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type SandboxPlatform = 'x' | 'meta';

/** A parsed incoming request. `params` merges query string and body (form, JSON object or multipart fields). */
export interface SandboxRequest {
  method: string;
  /** Path without the query string, e.g. `/12/accounts/abc/campaigns`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed JSON body (any shape) when content-type is JSON. */
  json: unknown;
  /** Flat string map: query string, then form/multipart fields, then top-level JSON scalars/stringified values. */
  params: Record<string, string>;
  /** Multipart file parts by field name. */
  files: Record<string, { filename: string; contentType: string; data: Buffer }>;
  /** The sandbox's own origin, e.g. `http://127.0.0.1:4010` (for absolute paging URLs). */
  origin: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and Buffers as they are. */
  body?: unknown;
}

export interface RecordedRequest {
  seq: number;
  at: string;
  platform: SandboxPlatform | 'control' | 'unknown';
  method: string;
  path: string;
  query: Record<string, string>;
  params: Record<string, string>;
  json: unknown;
  /** The credential that authenticated the call: X consumer key + token, or the Meta access token. */
  identity: string | null;
  status: number;
  /** Set when a fault handled the request. */
  fault?: string;
}

export type FaultAction =
  | { type: 'latency'; ms: number }
  /** Any status with an optional raw body (string) or JSON body, e.g. an HTML 502 page. */
  | { type: 'status'; status: number; body?: unknown; contentType?: string; headers?: Record<string, string> }
  /** X: 429 with x-rate-limit-* headers, reset `resetInSec` from now. Meta: 429-free throttle, see meta_throttle. */
  | { type: 'rate_limit'; resetInSec: number }
  /** Meta throttling error codes 4, 17, 32, 613, 80000, 80004 with BUC headers. */
  | { type: 'meta_throttle'; code: number; regainInMinutes?: number }
  /** X 401 / Meta 190. */
  | { type: 'expired_token' }
  /** Destroy the socket without answering (after reading the request). */
  | { type: 'drop' }
  /** Read the request, apply it to state, then destroy the socket (the write happened; the answer was lost). */
  | { type: 'drop_after_apply' }
  /** Never answer (the client's timeout must fire). */
  | { type: 'hang' }
  /** Answer normally, but the media (X upload, Instagram container) this request creates needs `polls` more status reads to finish. */
  | { type: 'slow_processing'; polls: number }
  /** Answer normally, but with a `Date` header `seconds` off the real clock (doctor's clock-skew check). */
  | { type: 'date_skew'; seconds: number };

export interface FaultSpec {
  /** Limit the fault to one platform. */
  platform?: SandboxPlatform;
  method?: string;
  /** Substring of the path, or a /regex/ string. */
  path?: string;
  /** How many matching requests it affects (default: all). */
  times?: number;
  /**
   * The share (0–1) of matching requests it affects, drawn from a generator seeded with `seed`
   * (default: the fault id), so a chaos run with the same seed repeats the same choices.
   */
  probability?: number;
  seed?: number;
  action: FaultAction;
}

export interface Fault extends FaultSpec {
  id: number;
  hits: number;
}

export type Handler = (req: SandboxRequest, ctx: RouteContext) => SandboxResponse | Promise<SandboxResponse>;

export interface RouteContext {
  state: import('./state.js').StateStore;
  /** Path parameters captured from `:name` segments. */
  params: Record<string, string>;
  now(): Date;
  /** The fault matched by this request when it lets the request through (slow_processing). */
  fault?: FaultAction | undefined;
}

/** What each platform module gives the server. */
export interface PlatformModule {
  id: SandboxPlatform;
  /** True when this platform owns the path (e.g. `/12/…` for X Ads, `/v25.0/…` for Meta). */
  owns(path: string): boolean;
  /** Check credentials; return the identity string, or a platform-shaped error response. */
  authenticate(req: SandboxRequest, state: import('./state.js').StateStore): { identity: string } | { error: SandboxResponse };
  /** Route the request. Return undefined for "no such route" (the server answers 404 in platform format). */
  handle(req: SandboxRequest, ctx: Omit<RouteContext, 'params'>): Promise<SandboxResponse | undefined>;
  /** Render a fault in this platform's format. */
  faultResponse(action: FaultAction, req: SandboxRequest): SandboxResponse;
  /** Headers added to every response (rate-limit headers, version headers). */
  commonHeaders(req: SandboxRequest): Record<string, string>;
  /** The seed for this platform's part of the state. */
  seed(now: Date): unknown;
  /**
   * Optional request limits: which counter a request spends (X counts reads per endpoint and
   * writes per category), and the headers that report a counter.
   */
  limitKey?(req: SandboxRequest): string;
  limitHeaders?(limit: number, remaining: number, resetAtSec: number): Record<string, string>;
}

/** A request limit per counter: at most `max` requests per window of `windowSec` seconds. */
export interface SandboxLimit {
  max: number;
  windowSec: number;
}
