/**
 * Typed errors and the exit-code contract (DESIGN §6).
 *
 * Every failure a user can see is an `AdctlError`: a stable UPPER_SNAKE code, a one-line message,
 * a hint that names the fix, and an exit code. It is rendered in exactly one place
 * (`src/cli/render-error.ts`). This module imports nothing, so it is safe on the start-up path.
 */

export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  CHANGES_PENDING: 2,
  PARTIAL: 3,
  AUTH: 4,
  CONFLICT: 5,
  UNKNOWN_OUTCOME: 8,
  USAGE: 64,
  TEMPORARY: 75,
  REFUSED: 77,
  CONFIG: 78,
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The table printed by `adctl help exit-codes` and the README. */
export const EXIT_CODE_TABLE: ReadonlyArray<readonly [ExitCode, string]> = [
  [0, 'success, including an empty list and a plan with no changes'],
  [1, 'failure: the platform rejected the request, or the object was not found'],
  [2, 'only with --detailed-exitcode: changes are pending'],
  [3, 'partial failure: some items of a bulk or multi-platform command failed'],
  [4, 'authentication missing, expired, revoked or lacking a scope'],
  [5, 'conflict: a stale plan, or an idempotency key reused with different content'],
  [8, 'unknown outcome: a write may or may not have happened; run the same command again to reconcile'],
  [64, 'usage error: bad flag, bad value, invalid file, or missing input under --no-input; nothing was sent'],
  [75, 'temporary failure after retries: rate limited, 5xx or timeout; the message says when to retry'],
  [77, 'refused: a guardrail or a confirmation was needed and not given'],
  [78, 'configuration error: unknown profile, invalid config, plugin disabled, or capability not supported'],
  [130, 'interrupted'],
];

export interface AdctlErrorOptions {
  hint?: string | undefined;
  platform?: string | undefined;
  requestId?: string | undefined;
  retryable?: boolean | undefined;
  /** Extra machine-readable detail, e.g. the list of valid choices. Never holds secrets. */
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
}

export class AdctlError extends Error {
  override readonly name = 'AdctlError';
  readonly hint: string | undefined;
  readonly platform: string | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode,
    options: AdctlErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.platform = options.platform;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  /** The `--json` error document (DESIGN §7). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      code: this.code,
      message: this.message,
      hint: this.hint ?? null,
      exitCode: this.exitCode,
    };
    if (this.platform) out.platform = this.platform;
    if (this.requestId) out.requestId = this.requestId;
    if (this.retryable) out.retryable = true;
    if (this.details) out.details = this.details;
    return out;
  }
}

export function isAdctlError(e: unknown): e is AdctlError {
  return e instanceof AdctlError;
}

export const usageError = (code: string, message: string, hint?: string, details?: Record<string, unknown>) =>
  new AdctlError(code, message, ExitCode.USAGE, { hint, details });

export const configError = (code: string, message: string, hint?: string) =>
  new AdctlError(code, message, ExitCode.CONFIG, { hint });

export const refusedError = (code: string, message: string, hint?: string) =>
  new AdctlError(code, message, ExitCode.REFUSED, { hint });
