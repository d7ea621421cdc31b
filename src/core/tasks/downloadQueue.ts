import type { Clock } from './clock';

/**
 * Which downloads run: at most `maxConcurrent` at once (100 tasks may end together), the rest in
 * arrival order, and those waiting for a retry on a timer. What a download does is the caller's `run`.
 */
export interface DownloadQueueOptions {
  clock: Clock;
  maxConcurrent?: number;
  /** One download attempt; resolves when it ended, however it ended. */
  run: (id: string, signal: AbortSignal) => Promise<void>;
  /** Hands each running attempt to the owner, so its idle() waits for it. */
  track: (work: Promise<void>) => void;
}

export class DownloadQueue {
  private readonly running = new Map<string, AbortController>();
  private readonly waiting: string[] = [];
  private readonly timers = new Map<string, unknown>();
  private readonly max: number;
  private closed = false;

  constructor(private readonly opts: DownloadQueueOptions) {
    this.max = Math.max(1, opts.maxConcurrent ?? 3);
  }

  /** Whether `id` is running, waiting its turn or waiting for a retry. */
  has(id: string): boolean {
    return this.running.has(id) || this.timers.has(id) || this.waiting.includes(id);
  }

  /** Starts a download now (cancelling a pending retry), or queues it while the maximum run. */
  start(id: string): void {
    if (this.closed || this.running.has(id) || this.waiting.includes(id)) return;
    this.clearTimer(id);
    if (this.running.size >= this.max) {
      this.waiting.push(id);
      return;
    }
    const ac = new AbortController();
    this.running.set(id, ac);
    this.opts.track(
      this.opts.run(id, ac.signal).finally(() => {
        this.running.delete(id);
        const next = this.waiting.shift();
        if (next !== undefined) this.start(next);
      }),
    );
  }

  /** Starts the download again after `delayMs`. */
  retryLater(id: string, delayMs: number): void {
    if (this.closed) return;
    this.clearTimer(id);
    this.timers.set(
      id,
      this.opts.clock.setTimeout(() => {
        this.timers.delete(id);
        this.start(id);
      }, delayMs),
    );
  }

  /** Aborts a running download and forgets a waiting or scheduled one. */
  cancel(id: string): void {
    this.running.get(id)?.abort();
    const at = this.waiting.indexOf(id);
    if (at >= 0) this.waiting.splice(at, 1);
    this.clearTimer(id);
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
    this.waiting.length = 0;
    for (const ac of this.running.values()) ac.abort();
  }

  private clearTimer(id: string): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) this.opts.clock.clearTimeout(timer);
    this.timers.delete(id);
  }
}
