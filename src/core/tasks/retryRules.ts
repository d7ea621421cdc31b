import { isKieError, type KieError } from '../kie/errors';
import { requestNeverSent } from '../kie/http';

/**
 * When the task flow tries again, per kind of work, in one place. The rule behind all of them: work
 * that cannot cost money twice (a poll, a download, a ledger write) is retried; a createTask that may
 * have reached Kie never is.
 */

/**
 * Whether a failed createTask may nevertheless have created (and charged for) a task at Kie: anything
 * but a clear refusal from Kie itself or a request that certainly never left this machine. A 5xx
 * without Kie's envelope comes from a gateway (502/504/524 with an HTML page) that may have passed the
 * request on before giving up.
 */
export function createMayHaveReachedKie(e: unknown): boolean {
  if (!isKieError(e)) return true;
  if (e.kind === 'timeout' || e.kind === 'badResponse' || e.kind === 'cancelled' || e.kind === 'mayExist') return true;
  if (e.kind === 'network') return !requestNeverSent(e);
  return e.code === undefined && (e.httpStatus ?? 0) >= 500;
}

/** A stored result link that expired (Kie's links last a limited time): ask Kie for a fresh one. */
export function isExpiredUrl(e: unknown): boolean {
  return isKieError(e) && (e.kind === 'downloadFailed' || e.kind === 'notFound') && [401, 403, 404, 410].includes(e.httpStatus ?? 0);
}

export interface DownloadRetry {
  baseMs?: number;
  maxMs?: number;
  maxAttempts?: number;
}

/** Downloads: 5 s doubling to 5 min; after 8 attempts the task fails for good, but stays resumable. */
export function downloadRetryDelay(failures: number, retry: DownloadRetry = {}): number | undefined {
  if (failures >= (retry.maxAttempts ?? 8)) return undefined;
  return Math.min(retry.maxMs ?? 5 * 60_000, (retry.baseMs ?? 5000) * 2 ** (failures - 1));
}

/**
 * The ledger write that records Kie's taskId: a short backoff (a virus scanner or a sync tool holding
 * the file), then the id is kept in memory and the write tried again on every heartbeat.
 */
export const LEDGER_WRITE_DELAYS_MS: readonly number[] = [200, 500, 1000, 2000, 4000];

/** Poll failures the user must act on at once: the key or the balance, which waiting never fixes. */
export function pollNeedsUser(e: unknown): e is KieError {
  return isKieError(e) && (e.kind === 'unauthorized' || e.kind === 'insufficientCredits');
}

/** Other poll failures in a row (network, server, maintenance) before the user is told. */
export const POLL_FAILURES_BEFORE_TELLING = 4;

/** Unknown task ids are given up after this many consecutive "not found" answers. */
export const MAX_NOT_FOUND = 10;

/**
 * A "success" without result URLs is polled again this many times (Kie was seen filling the URLs in a
 * moment later); after that the task fails but stays resumable.
 */
export const EMPTY_SUCCESS_REPOLLS = 10;
