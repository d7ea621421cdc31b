import { systemClock, type Clock } from './clock';
import { isKieError } from '../kie/errors';

/**
 * One poll loop for every running task: a single timer, a shared request budget (Kie allows 10
 * queries/s per key, and 100+ tasks may run at once), and a per-task interval chosen by a policy.
 * There is no total timeout: a task whose credits were spent is polled until Kie answers for it.
 */

/** What a policy knows when it picks the wait before a task's next poll. */
export interface PollContext {
  /** Monotonic time (see Clock). */
  now: number;
  /** When the task started at Kie, on the same monotonic clock. */
  startedAt: number;
  elapsedMs: number;
  /** How long this model usually takes (learned from earlier runs). */
  expectedMs: number;
  /** Successful polls so far. */
  polls: number;
}

export interface PollPolicy {
  readonly name: string;
  nextDelayMs(ctx: PollContext): number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export interface AdaptivePolicyOptions {
  /** Multiplies every constant interval; below 1 for tests against a fast simulator. Default 1. */
  timeScale?: number;
}

/**
 * Spend polls where completions are likely. A rejected prompt fails within seconds, so the first few
 * seconds are watched; then the policy hops towards the window in which runs of this model usually end
 * (halving the distance each time), polls fast inside it, backs off in proportion to the elapsed time
 * past it, and far beyond it polls every 30 s forever. Tuned on the benchmark's run-time distribution
 * (bench/pollStrategy.ts): fewer requests per task than Kie's documented schedule, half its detection delay.
 */
export function adaptivePolicy(opts: AdaptivePolicyOptions = {}): PollPolicy {
  const s = opts.timeScale ?? 1;
  const fast = 2500 * s;
  return {
    name: 'adaptive',
    nextDelayMs: ({ elapsedMs: t, expectedMs: e }) => {
      if (t < Math.min(6000 * s, 0.3 * e)) return 3000 * s;
      if (t < 0.7 * e) return clamp((0.7 * e - t) / 2, fast, 30_000 * s);
      if (t < 1.5 * e) return fast;
      if (t < 3 * e) return clamp(0.05 * t, 5000 * s, 20_000 * s);
      return 30_000 * s;
    },
  };
}

export function fixedPolicy(ms: number): PollPolicy {
  return { name: `fixed-${ms}ms`, nextDelayMs: () => ms };
}

/** Kie's own advice: every 2-3 s for the first 30 s, then 5-10 s, then 15-30 s after 2 min. */
export function kieDocumentedPolicy(opts: AdaptivePolicyOptions = {}): PollPolicy {
  const s = opts.timeScale ?? 1;
  return {
    name: 'kie-documented',
    nextDelayMs: ({ elapsedMs: t }) => (t < 30_000 * s ? 2500 * s : t < 120_000 * s ? 7500 * s : 20_000 * s),
  };
}

/**
 * The expected run time of a model: the catalog's figure until a few runs were seen, then the median
 * of the recent ones (robust to the odd queue jam).
 */
export function expectedDurationMs(typicalSeconds: number, samplesMs: readonly number[]): number {
  const pool = samplesMs.length >= 3 ? [...samplesMs] : [typicalSeconds * 1000, ...samplesMs];
  pool.sort((a, b) => a - b);
  const mid = Math.floor(pool.length / 2);
  return pool.length % 2 ? pool[mid] : (pool[mid - 1] + pool[mid]) / 2;
}

/** What the poll callback says after a successful request. */
export type PollResult = 'continue' | 'done';

export interface ScheduledTask {
  /** Wall-clock start (the ledger's createdAt); turned into monotonic time once, when added. */
  startedAt: number;
  expectedMs: number;
  /** Wait before the first poll; default: what the policy says. 0 after a restart. */
  firstDelayMs?: number;
}

export interface PollSchedulerOptions {
  /** One request for one task; throws a KieError on failure. */
  poll: (id: string) => Promise<PollResult>;
  clock?: Clock;
  policy?: PollPolicy;
  /** Default 10 (Kie's limit per key). */
  maxRequestsPerSecond?: number;
  /**
   * The window the budget is counted over (default 1050 ms). A request counts from its start until
   * this long after its answer: Kie saw it somewhere in between, so however late a busy event loop or
   * network put it on the wire, Kie never counts more than the limit inside one window.
   */
  rateWindowMs?: number;
  /** Exponential backoff for a task whose poll failed (maintenance, server, network). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Wait after a 429 that named no Retry-After. Default 5000. */
  defaultRetryAfterMs?: number;
  onError?: (id: string, error: unknown) => void;
}

export interface SchedulerStats {
  requests: number;
  rateLimited: number;
  errors: number;
}

interface Entry {
  id: string;
  startedAt: number;
  expectedMs: number;
  dueAt: number;
  polls: number;
  failures: number;
  inFlight: boolean;
}

export class PollScheduler {
  readonly stats: SchedulerStats = { requests: 0, rateLimited: 0, errors: 0 };
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Set<Promise<void>>();
  /** When recent requests were answered, oldest first; in-flight requests count as well. */
  private readonly answered: number[] = [];
  private pending = 0;
  private readonly clock: Clock;
  private readonly policy: PollPolicy;
  private readonly maxPerWindow: number;
  private readonly windowMs: number;
  private readonly backoffBase: number;
  private readonly backoffMax: number;
  private timer: unknown;
  private timerAt = Infinity;
  private pausedUntil = 0;
  private disposed = false;

  constructor(private readonly opts: PollSchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.policy = opts.policy ?? adaptivePolicy();
    this.maxPerWindow = Math.max(1, Math.floor(opts.maxRequestsPerSecond ?? 10));
    this.windowMs = opts.rateWindowMs ?? 1050;
    this.backoffBase = opts.backoff?.baseMs ?? 2000;
    this.backoffMax = opts.backoff?.maxMs ?? 60_000;
  }

  /** Starts (or re-times) polling of a task. */
  add(id: string, task: ScheduledTask): void {
    if (this.disposed) return;
    const now = this.clock.monotonic();
    // The one place wall time enters: how long ago the task started, as the clock says right now.
    const startedAt = now - Math.max(0, this.clock.now() - task.startedAt);
    const existing = this.entries.get(id);
    const entry: Entry = existing ?? { id, startedAt, expectedMs: task.expectedMs, dueAt: now, polls: 0, failures: 0, inFlight: false };
    entry.startedAt = startedAt;
    entry.expectedMs = task.expectedMs;
    entry.dueAt = now + (task.firstDelayMs ?? this.delayFor(entry, now));
    this.entries.set(id, entry);
    this.pump();
  }

  remove(id: string): void {
    this.entries.delete(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /** When a task is next due, in monotonic time (for status displays and tests). */
  dueAt(id: string): number | undefined {
    return this.entries.get(id)?.dueAt;
  }

  /** Global pause end after a 429 (monotonic), or 0. */
  get pausedUntilMs(): number {
    return this.pausedUntil;
  }

  /** Resolves when no poll is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  dispose(): void {
    this.disposed = true;
    this.entries.clear();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private delayFor(e: Entry, now: number): number {
    const elapsedMs = Math.max(0, now - e.startedAt);
    return Math.max(0, Math.round(this.policy.nextDelayMs({ now, startedAt: e.startedAt, elapsedMs, expectedMs: e.expectedMs, polls: e.polls })));
  }

  /**
   * The earliest time a request may start without exceeding the budget in any window, or Infinity when
   * the budget is taken by requests still in flight (a finishing request pumps again).
   */
  private nextSlot(now: number): number {
    while (this.answered.length && this.answered[0] <= now - this.windowMs) this.answered.shift();
    const excess = this.pending + this.answered.length - this.maxPerWindow;
    if (excess < 0) return now;
    return excess < this.answered.length ? this.answered[excess] + this.windowMs : Infinity;
  }

  private pump(): void {
    if (this.disposed) return;
    const now = this.clock.monotonic();
    if (now < this.pausedUntil) return this.arm(this.pausedUntil);
    const due = [...this.entries.values()].filter((e) => !e.inFlight && e.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    for (const e of due) {
      const slot = this.nextSlot(now);
      if (slot > now) return this.arm(slot);
      this.launch(e);
    }
    let next = Infinity;
    for (const e of this.entries.values()) if (!e.inFlight) next = Math.min(next, e.dueAt);
    this.arm(next);
  }

  private arm(at: number): void {
    if (at === this.timerAt && this.timer !== undefined) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (at === Infinity) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, at - this.clock.monotonic());
  }

  private launch(e: Entry): void {
    e.inFlight = true;
    this.pending++;
    this.stats.requests++;
    const run = this.opts
      .poll(e.id)
      .then(
        (result) => {
          if (this.entries.get(e.id) !== e) return;
          if (result === 'done') {
            this.entries.delete(e.id);
            return;
          }
          e.polls++;
          e.failures = 0;
          e.dueAt = this.clock.monotonic() + this.delayFor(e, this.clock.monotonic());
        },
        (error: unknown) => {
          this.stats.errors++;
          this.opts.onError?.(e.id, error);
          const now = this.clock.monotonic();
          if (isKieError(error) && error.kind === 'rateLimited') {
            // Every task shares the key's budget, so a 429 pauses them all.
            this.stats.rateLimited++;
            this.pausedUntil = Math.max(this.pausedUntil, now + (error.retryAfterMs ?? this.opts.defaultRetryAfterMs ?? 5000));
            e.dueAt = this.pausedUntil;
            return;
          }
          e.failures++;
          const backoff = Math.min(this.backoffMax, this.backoffBase * 2 ** (e.failures - 1));
          e.dueAt = now + Math.max(backoff, this.delayFor(e, now));
        },
      )
      .finally(() => {
        this.pending--;
        const now = this.clock.monotonic();
        // Answers can arrive out of order; keep the list sorted for nextSlot.
        let i = this.answered.length;
        while (i > 0 && this.answered[i - 1] > now) i--;
        this.answered.splice(i, 0, now);
        e.inFlight = false;
        this.inFlight.delete(run);
        this.pump();
      });
    this.inFlight.add(run);
  }
}
