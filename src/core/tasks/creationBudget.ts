import { KieError } from '../kie/errors';
import type { Clock } from './clock';

/** Kie allows 20 creations per 10 s per account; a margin absorbs clock skew and network jitter. */
export const CREATE_WINDOW_MS = 10_500;

/**
 * Kie's per-account creation budget (beyond it Kie refuses with 429 rather than queueing). Kie counts
 * a creation when it arrives, somewhere between our sending and its answer, so a booking holds from
 * the send until a full window after the answer. Monotonic time: a clock set back cannot hold the
 * budget for an hour.
 */
export class CreationBudget {
  /** Creations still inside Kie's window: `freeAt` is Infinity while the request is in flight. */
  private readonly bookings: { freeAt: number }[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly max: number;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    maxPerWindow = 20,
    private readonly windowMs = CREATE_WINDOW_MS,
  ) {
    this.max = Math.max(1, maxPerWindow);
  }

  /** Waits until a creation fits, books it, and returns the release to call once Kie answered. */
  async acquire(): Promise<() => void> {
    for (;;) {
      if (this.closed) throw new KieError({ kind: 'cancelled', message: 'The task service was closed before the task was sent.' });
      const now = this.clock.monotonic();
      for (let i = this.bookings.length - 1; i >= 0; i--) if (this.bookings[i].freeAt <= now) this.bookings.splice(i, 1);
      if (this.bookings.length < this.max) {
        const booking = { freeAt: Infinity };
        this.bookings.push(booking);
        return () => {
          booking.freeAt = this.clock.monotonic() + this.windowMs;
          this.wakeAll();
        };
      }
      const soonest = Math.min(...this.bookings.map((b) => b.freeAt));
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          if (timer !== undefined) this.clock.clearTimeout(timer);
          resolve();
        };
        const timer = Number.isFinite(soonest) ? this.clock.setTimeout(wake, soonest - now) : undefined;
        this.waiters.add(wake);
      });
    }
  }

  /** Wakes every waiter, which then fails with `cancelled`. */
  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
