/**
 * Throttling before the wall (issue 7): slow down before a platform's limit is hit, and share
 * what we know between concurrent adctl processes through a state file in the config dir.
 *
 * Plugins translate their platform's headers into a `RateLimitState` (they alone know the wire
 * format: X `x-rate-limit-*`, Meta usage percentages); this module knows only buckets, counts,
 * utilisation and reset times.
 *
 * Contract:
 * - `acquire(bucket)` is called before each request of that bucket. It takes one unit from the
 *   shared `remaining` under an inter-process lock, so N processes never spend more than the
 *   platform said was left. With nothing left it waits until the reset (at most `maxWaitMs`,
 *   otherwise it fails with exit 75 before sending anything).
 * - `observe(bucket, state)` records the platform's latest word after each response; the platform
 *   is the source of truth, our local decrements only bridge the gap between two responses.
 * - A bucket we know nothing about is never throttled.
 * - Usage buckets (platforms that report only a percentage, like Meta) are paced: below
 *   `usageSoftPct` nothing changes; between it and `usageCeilingPct` calls are spread evenly over
 *   what is left of the window (shared `nextAtMs`); at the ceiling nothing is sent until the window
 *   resets, and while the platform says access is withheld (`regainAtMs`) nothing is sent until then.
 *   Each call taken adds one call's worth (`stepPct`, learnt from the platform's own readings) to the
 *   shared estimate, so N processes never overshoot between two readings.
 * - No wait is ever longer than `maxWaitMs` (the caller's deadline): such a call fails with exit 75
 *   before anything is sent.
 */
import { join } from 'node:path';
import { AdctlError, ExitCode } from './errors.js';
import { readFileIfExists, withFileLockSync, writeFileAtomic } from './fs.js';

export type RateLimitState =
  /** Count-based (X): how many calls are left in the window, and when it resets (epoch ms). */
  | { kind: 'count'; limit: number; remaining: number; resetAtMs: number }
  /**
   * Utilisation-based (Meta): percent of the allowance used, when access is regained after a
   * throttle (epoch ms, 0 = not withheld) and when the window resets (epoch ms; 0 or absent =
   * unknown, e.g. a rolling window: the reading is then trusted for `usageProbeMs`).
   */
  | { kind: 'usage'; usedPct: number; regainAtMs: number; resetAtMs?: number | undefined };

interface StoredBucket {
  /** The platform's latest word, adjusted for our own calls since; undefined until it speaks. */
  state?: RateLimitState | undefined;
  /** Calls taken but not yet answered, by any process. */
  inflight: number;
  updatedAtMs: number;
  /** Usage buckets: the smallest rise between two readings, i.e. one call's share of the allowance. */
  stepPct?: number | undefined;
  /** Usage buckets: the highest reading of the current window (to learn `stepPct`). */
  readPct?: number | undefined;
  /** Usage buckets: no call before this (epoch ms) while pacing between the soft limit and the ceiling. */
  nextAtMs?: number | undefined;
}

/** After this long without an answer, an in-flight call is assumed lost (crashed process, dropped socket). */
const INFLIGHT_STALE_MS = 30_000;
/** One call's share of a usage allowance until the platform's readings say otherwise. */
const DEFAULT_STEP_PCT = 1;
/** No single call is taken to cost more than this share of an allowance, whatever the readings. */
const MAX_STEP_PCT = 10;
/** Two readings whose reset times differ by less than this belong to the same window (resets are given in whole seconds). */
const SAME_WINDOW_MS = 1000;
/** How many calls apart out-of-order answers from parallel processes can be. */
const REORDER_STEPS = 8;

export interface RateGovernorOptions {
  /** Where the shared state lives; undefined keeps it in memory (one process). */
  file?: string | undefined;
  maxWaitMs?: number;
  /** Utilisation at which usage buckets stop until their window resets (default 90). */
  usageCeilingPct?: number;
  /** Utilisation above which usage buckets are paced (default 75). */
  usageSoftPct?: number;
  /** How long a usage reading without a reset time is trusted before one call may probe again (default 5 s). */
  usageProbeMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onWait?: (bucket: string, ms: number) => void;
}

export function rateLimitFile(configDir: string): string {
  return join(configDir, 'state', 'rate-limits.json');
}

export class RateGovernor {
  private memory: Record<string, StoredBucket> = {};
  private readonly maxWaitMs: number;
  private readonly ceiling: number;
  private readonly soft: number;
  private readonly probeMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateGovernorOptions = {}) {
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.ceiling = options.usageCeilingPct ?? 90;
    this.soft = Math.min(options.usageSoftPct ?? 75, this.ceiling);
    this.probeMs = options.usageProbeMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Take one request's worth of the bucket, waiting for the reset when none is left. */
  async acquire(bucket: string): Promise<void> {
    for (;;) {
      const waitMs = this.tryTake(bucket);
      if (waitMs <= 0) return;
      if (waitMs > this.maxWaitMs) {
        throw new AdctlError('RATE_LIMITED', `the ${bucket} rate limit is used up until ${new Date(this.now() + waitMs).toISOString()}`, ExitCode.TEMPORARY, {
          retryable: true, hint: `nothing was sent; retry after ${new Date(this.now() + waitMs).toISOString()}`,
        });
      }
      this.options.onWait?.(bucket, waitMs);
      await this.sleep(waitMs);
    }
  }

  observe(bucket: string, state: RateLimitState): void {
    this.update((all) => {
      const b = this.fresh(all, bucket);
      b.inflight = Math.max(0, b.inflight - 1);
      b.updatedAtMs = this.now();
      const known = b.state;
      if (state.kind === 'count') {
        // An answer from an older window says nothing about the current one.
        if (known?.kind === 'count' && state.resetAtMs < known.resetAtMs) return;
        // The platform counted this call; calls still in flight may not be counted yet, so assume
        // they all will be. Within one window, the lowest estimate anyone made is kept: answers
        // arrive out of order across processes.
        const remaining = Math.max(0, state.remaining - b.inflight);
        if (known?.kind === 'count' && known.resetAtMs === state.resetAtMs && known.remaining <= remaining) return;
        b.state = { ...state, remaining };
        return;
      }
      this.observeUsage(b, state);
    });
  }

  private observeUsage(b: StoredBucket, reading: Extract<RateLimitState, { kind: 'usage' }>): void {
    const now = this.now();
    const resetAtMs = reading.resetAtMs && reading.resetAtMs > now ? reading.resetAtMs : now + this.probeMs;
    const known = b.state?.kind === 'usage' ? b.state : undefined;
    // An answer from an older window says nothing about the current one.
    if (known && reading.resetAtMs && reading.resetAtMs < (known.resetAtMs ?? 0) - SAME_WINDOW_MS) return;
    const sameWindow = known !== undefined && Math.abs((known.resetAtMs ?? 0) - resetAtMs) < SAME_WINDOW_MS;
    if (sameWindow && b.readPct !== undefined && reading.usedPct > b.readPct && reading.usedPct < 100 && reading.regainAtMs === 0) {
      // Readings rise by whole calls: the smallest rise seen is one call's share. A throttled
      // reading (100 %, or access withheld) jumps rather than rises, and teaches nothing.
      const rise = reading.usedPct - b.readPct;
      b.stepPct = Math.max(0.01, Math.min(b.stepPct ?? rise, rise, MAX_STEP_PCT));
    }
    b.readPct = sameWindow ? Math.max(b.readPct ?? 0, reading.usedPct) : reading.usedPct;
    // Calls still in flight are not in the reading yet; assume each takes one step.
    const step = b.stepPct ?? DEFAULT_STEP_PCT;
    const estimate = reading.usedPct + b.inflight * step;
    // Within a window the highest estimate is kept (answers from parallel processes arrive out of
    // order, a few calls apart); a reading far below it means the usage really fell (a rolling window).
    const reordered = sameWindow && estimate >= known.usedPct - REORDER_STEPS * step;
    const usedPct = reordered ? Math.max(known.usedPct, estimate) : estimate;
    const regainAtMs = Math.max(reading.regainAtMs, sameWindow ? known.regainAtMs : 0);
    b.state = { kind: 'usage', usedPct, regainAtMs, resetAtMs: sameWindow ? known.resetAtMs : resetAtMs };
    if (!sameWindow) b.nextAtMs = undefined;
  }

  /** For a usage bucket: 0 when a call may go now (and its step is taken), else how long to wait. */
  private takeUsage(b: StoredBucket, s: Extract<RateLimitState, { kind: 'usage' }>, now: number): number {
    if (s.regainAtMs > now) return s.regainAtMs - now + 50;
    const resetAtMs = s.resetAtMs ?? 0;
    if (now >= resetAtMs || s.regainAtMs > 0) {
      // The window is over, access was regained, or the reading is too old to trust: the next
      // answer tells us the new numbers.
      b.state = undefined;
      b.readPct = undefined;
      b.nextAtMs = undefined;
      return 0;
    }
    const step = b.stepPct ?? DEFAULT_STEP_PCT;
    if (s.usedPct + step > this.ceiling) return resetAtMs - now + 50;
    if (s.usedPct + step > this.soft) {
      if (b.nextAtMs !== undefined && now < b.nextAtMs) return b.nextAtMs - now;
      // Spread the calls left below the ceiling evenly over the rest of the window.
      const callsLeft = Math.max(1, (this.ceiling - s.usedPct) / step);
      b.nextAtMs = now + Math.ceil((resetAtMs - now) / callsLeft);
    }
    s.usedPct += step;
    return 0;
  }

  snapshot(): Record<string, RateLimitState> {
    return Object.fromEntries(Object.entries(this.read()).flatMap(([k, v]) => (v.state ? [[k, v.state]] : [])));
  }

  private fresh(all: Record<string, StoredBucket>, bucket: string): StoredBucket {
    let b = all[bucket];
    if (!b) b = all[bucket] = { inflight: 0, updatedAtMs: this.now() };
    if (b.inflight > 0 && this.now() - b.updatedAtMs > INFLIGHT_STALE_MS) b.inflight = 0;
    return b;
  }

  /** Returns 0 when a unit was taken, or how long to wait before trying again. */
  private tryTake(bucket: string): number {
    let wait = 0;
    this.update((all) => {
      const b = this.fresh(all, bucket);
      const now = this.now();
      const s = b.state;
      if (s?.kind === 'count') {
        if (now >= s.resetAtMs) {
          // The window rolled over; the next answer tells us the new numbers.
          b.state = undefined;
        } else if (s.remaining > 0) {
          s.remaining -= 1;
        } else {
          wait = s.resetAtMs - now + 50;
          return;
        }
      } else if (s?.kind === 'usage') {
        wait = this.takeUsage(b, s, now);
        if (wait > 0) return;
      }
      b.inflight += 1;
      b.updatedAtMs = now;
    });
    return wait;
  }

  private read(): Record<string, StoredBucket> {
    if (!this.options.file) return this.memory;
    const text = readFileIfExists(this.options.file);
    if (!text) return {};
    try {
      return JSON.parse(text) as Record<string, StoredBucket>;
    } catch {
      return {}; // advisory state: a damaged file only costs us the head start
    }
  }

  private update(change: (all: Record<string, StoredBucket>) => void): void {
    const file = this.options.file;
    if (!file) {
      change(this.memory);
      return;
    }
    withFileLockSync(file, () => {
      const all = this.read();
      const before = JSON.stringify(all);
      change(all);
      const after = JSON.stringify(all);
      // Advisory state rewritten twice per request: atomic (never torn) but not fsync'd. Measured
      // on the development machine: 4.5–7.6 ms per request with fsync, 1.1–1.9 ms without; a
      // power cut only loses the head start (see `read`).
      if (after !== before) writeFileAtomic(file, after, 0o600, { durable: false });
    });
  }
}
