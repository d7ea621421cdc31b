import { KieError, isKieError } from './errors';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server-requested wait longer than this is not waited out: the error is surfaced instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

export function cancelledError(cause?: unknown): KieError {
  return new KieError({ kind: 'cancelled', message: 'The request was cancelled.', cause });
}

/** Waits `ms`, or rejects with a `cancelled` KieError as soon as `signal` aborts. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError(signal.reason));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Full-jitter exponential backoff (a random wait between 0 and the capped exponential), so many
 * clients retrying at once spread out. A server's Retry-After replaces the computed wait.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * cap);
}

export interface RetryOptions {
  policy: RetryPolicy;
  /** Whether this failure may be retried; `attempt` is the one that just failed (1-based). */
  shouldRetry: (error: unknown, attempt: number) => boolean;
  signal?: AbortSignal;
  sleep?: Sleep;
  random?: () => number;
  /** Called before each wait, for logs. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** The default rule for idempotent calls: retry the error kinds that can go away by themselves. */
export function isTransient(error: unknown): boolean {
  return isKieError(error) && error.transient;
}

export async function withRetry<T>(run: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const wait = opts.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      if (opts.signal?.aborted) throw isKieError(error) && error.kind === 'cancelled' ? error : cancelledError(error);
      if (attempt >= opts.policy.maxAttempts || !opts.shouldRetry(error, attempt)) throw error;
      const retryAfterMs = isKieError(error) ? error.retryAfterMs : undefined;
      if (retryAfterMs !== undefined && retryAfterMs > opts.policy.maxRetryAfterMs) throw error;
      const delay = backoffDelay(attempt, opts.policy, retryAfterMs, opts.random);
      opts.onRetry?.(error, attempt, delay);
      await wait(delay, opts.signal);
    }
  }
}
