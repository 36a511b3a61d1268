/**
 * The shape of one X call as the post and media code make it: a raw client (twitter-api-v2's
 * v1/v2 clients satisfy it) and the policy-wrapped call that validates the answer. Types only, in
 * a leaf, so posts.ts and media.ts can share them without importing each other.
 */
import type { z } from 'zod';
import type { CallSpec } from '../../core/http-policy.js';

export interface FullResponse { data: unknown; headers: Record<string, string | string[] | undefined> }

/** The raw helpers of a twitter-api-v2 sub-client (v2 or ads), always with `fullResponse`. */
export interface XRawClient {
  get(path: string, query?: Record<string, unknown>, opts?: Record<string, unknown>): Promise<FullResponse>;
  post(path: string, body?: Record<string, unknown>, opts?: Record<string, unknown>): Promise<FullResponse>;
  delete(path: string, query?: Record<string, unknown>, opts?: Record<string, unknown>): Promise<FullResponse>;
}

export type XCall = <T extends z.ZodType>(
  spec: Omit<CallSpec, 'bucket'> & { method: 'GET' | 'POST' | 'DELETE'; object?: string }, client: XRawClient, path: string, params: Record<string, unknown>, schema: T, opts?: Record<string, unknown>,
) => Promise<z.infer<T>>;
