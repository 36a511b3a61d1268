/**
 * HTTP policy, decided once for every plugin: which failures are retried, how long to wait, and
 * which exit code a failure ends in. Plugins only classify (`Classifier`); they never retry.
 *
 * Contract:
 * - A failure is retried only when it is transient (rate limit, throttling, 5xx, network, timeout)
 *   AND either the call is idempotent or the platform certainly did not apply it (`notApplied`,
 *   e.g. a 429 or a refused connection).
 * - A non-idempotent write (a create) that may have reached the platform is never retried: it ends
 *   in UNKNOWN_OUTCOME (exit 8) so the caller reconciles before trying again.
 * - Waits honour the platform's own hint (`retryAfterMs`: x-rate-limit-reset, retry-after, Meta BUC
 *   estimated_time_to_regain_access); otherwise exponential backoff. A wait longer than
 *   `maxWaitMs` is not slept: the command fails with exit 75 and says when to retry.
 */
import { AdctlError, ExitCode } from './errors.js';
import { DryRunIntercepted } from './dry-run.js';
import type { RateGovernor } from './rate-limit.js';

export type FailureKind =
  | 'rate_limited' // 429, Meta 4/17/32/613/800xx: the platform refused before doing anything
  | 'server' // 5xx, Meta 1/2 or is_transient
  | 'network' // connection refused/reset, DNS
  | 'timeout' // no answer within ADCTL_TIMEOUT
  | 'auth' // token missing, expired, revoked (X 401, Meta 190/102)
  | 'permission' // authenticated but lacking a scope or role (Meta 10/200-299, X 403)
  | 'not_found'
  | 'invalid' // the platform rejected the parameters
  | 'conflict'
  | 'duplicate' // the platform says this content already exists
  | 'malformed' // the response could not be read (HTML page, truncated JSON, wrong types)
  | 'unknown';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** One line, no secrets, no stack. */
  message: string;
  status?: number | undefined;
  platformCode?: string | number | undefined;
  requestId?: string | undefined;
  /** How long the platform asked us to wait, if it said. */
  retryAfterMs?: number | undefined;
  /** True when the platform certainly did not apply the request (rate limit, connection refused). */
  notApplied: boolean;
  hint?: string | undefined;
  /**
   * A typed error code that replaces the kind's default (e.g. `DUPLICATE_CONTENT`, `X_ACCESS_TIER`),
   * so callers such as the posts ledger can branch on it. The exit code still follows the kind.
   */
  code?: string | undefined;
}

export type Classifier = (error: unknown) => ClassifiedFailure;

export interface CallSpec {
  /** Short description for logs, e.g. "GET campaigns". */
  label: string;
  /** Whether the call changes state on the platform. */
  write: boolean;
  /** Whether repeating it is harmless (reads, PUT/POST-update of fields, deletes). */
  idempotent: boolean;
  /** The plugin's rate-limit bucket for this call; the governor paces calls per bucket. */
  bucket?: string | undefined;
}

export interface HttpPolicyOptions {
  platform: string;
  maxAttempts?: number;
  baseDelayMs?: number;
  /** The longest single wait the policy will sleep; longer waits fail fast with exit 75. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry, for `--verbose`/`--debug`. */
  onRetry?: (info: { label: string; attempt: number; waitMs: number; failure: ClassifiedFailure }) => void;
  now?: () => number;
  /** Shared pacing across calls and processes (see rate-limit.ts). */
  governor?: RateGovernor | undefined;
}

const TRANSIENT: ReadonlySet<FailureKind> = new Set(['rate_limited', 'server', 'network', 'timeout']);
const MAYBE_APPLIED: ReadonlySet<FailureKind> = new Set(['server', 'network', 'timeout', 'malformed', 'unknown']);

export class HttpPolicy {
  readonly platform: string;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onRetry: HttpPolicyOptions['onRetry'];
  private readonly now: () => number;
  readonly governor: RateGovernor | undefined;

  constructor(options: HttpPolicyOptions) {
    this.governor = options.governor;
    this.platform = options.platform;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.onRetry = options.onRetry;
    this.now = options.now ?? Date.now;
  }

  async run<T>(spec: CallSpec, call: () => Promise<T>, classify: Classifier): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (spec.bucket && this.governor) await this.governor.acquire(spec.bucket);
        return await call();
      } catch (error) {
        if (error instanceof DryRunIntercepted || error instanceof AdctlError) throw error;
        const failure = classify(error);
        const retryable = TRANSIENT.has(failure.kind) && (spec.idempotent || failure.notApplied);
        if (!retryable) {
          if (spec.write && !spec.idempotent && !failure.notApplied && MAYBE_APPLIED.has(failure.kind)) {
            throw unknownOutcome(this.platform, spec, failure, error);
          }
          throw toAdctlError(this.platform, failure, error);
        }
        const waitMs = this.waitFor(attempt, failure);
        if (attempt >= this.maxAttempts || waitMs > this.maxWaitMs) {
          throw exhausted(this.platform, spec, failure, attempt, waitMs, this.now(), error);
        }
        this.onRetry?.({ label: spec.label, attempt, waitMs, failure });
        await this.sleep(waitMs);
      }
    }
  }

  private waitFor(attempt: number, failure: ClassifiedFailure): number {
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs >= 0) {
      // Small margin: platforms' reset stamps are in whole seconds.
      return Math.ceil(failure.retryAfterMs) + 250;
    }
    const exp = this.baseDelayMs * 2 ** (attempt - 1);
    // Equal jitter keeps concurrent processes from retrying in lockstep.
    return Math.round(exp / 2 + Math.random() * (exp / 2));
  }
}

function unknownOutcome(platform: string, spec: CallSpec, f: ClassifiedFailure, cause: unknown): AdctlError {
  return new AdctlError(
    'UNKNOWN_OUTCOME',
    `${spec.label} may or may not have been applied on ${platform}: ${f.message}`,
    ExitCode.UNKNOWN_OUTCOME,
    {
      platform,
      requestId: f.requestId,
      hint: 'check the live state (for example `adctl campaign list`) before running the command again; adctl never repeats a create blindly',
      cause,
    },
  );
}

function exhausted(
  platform: string, spec: CallSpec, f: ClassifiedFailure, attempts: number, waitMs: number, now: number, cause: unknown,
): AdctlError {
  const when = f.retryAfterMs !== undefined ? ` after ${new Date(now + waitMs).toISOString()}` : ' in a minute';
  return new AdctlError(
    f.kind === 'rate_limited' ? 'RATE_LIMITED' : f.kind === 'timeout' ? 'TIMEOUT' : 'TEMPORARY_FAILURE',
    `${spec.label} on ${platform} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${f.message}`,
    ExitCode.TEMPORARY,
    { platform, requestId: f.requestId, retryable: true, hint: `nothing was changed by the failed call; retry${when}`, cause },
  );
}

/** The one mapping from a classified platform failure to a user-facing error and exit code. */
export function toAdctlError(platform: string, f: ClassifiedFailure, cause?: unknown): AdctlError {
  const opts = { platform, requestId: f.requestId, cause };
  switch (f.kind) {
    case 'auth':
      return new AdctlError(f.code ?? 'AUTH_FAILED', f.message, ExitCode.AUTH, {
        ...opts,
        hint: f.hint ?? `the ${platform} credentials were refused: check them with \`adctl doctor\` or set new ones (see \`adctl help environment\`)`,
      });
    case 'permission':
      return new AdctlError(f.code ?? 'PERMISSION_DENIED', f.message, ExitCode.AUTH, {
        ...opts, hint: f.hint ?? 'the token lacks a permission or role this call needs; grant it and log in again',
      });
    case 'not_found':
      return new AdctlError(f.code ?? 'NOT_FOUND', f.message, ExitCode.FAILURE, {
        ...opts, hint: f.hint ?? 'check the ref with `adctl campaign list`',
      });
    case 'invalid':
      return new AdctlError(f.code ?? 'PLATFORM_REJECTED', f.message, ExitCode.FAILURE, {
        ...opts, hint: f.hint ?? 'the platform refused these values; fix them and run the command again',
      });
    case 'duplicate':
      return new AdctlError(f.code ?? 'DUPLICATE', f.message, ExitCode.FAILURE, { ...opts, hint: f.hint ?? 'the platform already has this content' });
    case 'conflict':
      return new AdctlError(f.code ?? 'PLATFORM_CONFLICT', f.message, ExitCode.FAILURE, { ...opts, hint: f.hint ?? 'reload the object and try again' });
    case 'rate_limited':
    case 'server':
    case 'network':
    case 'timeout':
      return new AdctlError(f.code ?? 'TEMPORARY_FAILURE', f.message, ExitCode.TEMPORARY, {
        ...opts, retryable: true, hint: f.hint ?? 'nothing was changed; retry in a minute',
      });
    case 'malformed':
      return new AdctlError(f.code ?? 'BAD_RESPONSE', f.message, ExitCode.FAILURE, {
        ...opts, hint: f.hint ?? `${platform} sent a response adctl could not read; run with --debug to see it`,
      });
    default:
      return new AdctlError(f.code ?? 'PLATFORM_ERROR', f.message, ExitCode.FAILURE, { ...opts, hint: f.hint ?? 'run with --debug for the full exchange' });
  }
}
