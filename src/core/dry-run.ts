/**
 * What a dry run stops: the request that would leave the process. A leaf module, so the HTTP
 * policy, the adapter contract and the services can all know it without importing each other.
 */

/** A request as it leaves (or would leave) the process. Secrets are already redacted. */
export interface WireRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Thrown by a plugin in dry-run mode at the first write; carries the redacted request. */
export class DryRunIntercepted extends Error {
  override readonly name = 'DryRunIntercepted';
  constructor(readonly request: WireRequest) {
    super(`dry run: ${request.method} ${request.url} not sent`);
  }
}
