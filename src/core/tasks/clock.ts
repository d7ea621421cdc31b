/**
 * Time as the task machinery sees it. Injected everywhere timing matters so tests and benchmarks can run
 * hours of polling in milliseconds on a VirtualClock.
 *
 * Two times: `now()` is the wall clock (epoch ms), for what is stored and compared across windows;
 * `monotonic()` never jumps, for intervals, budgets and due times inside one window, so a clock set
 * back (or forward) by the user or NTP cannot stop polling or release a budget early.
 */
export interface Clock {
  now(): number;
  /** Milliseconds on a clock that only moves forward; only differences are meaningful. */
  monotonic(): number;
  /** Fires after `ms` of monotonic time. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, Math.max(0, ms));
    // A pending poll must never keep the extension host (or a test run) alive on its own.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
}

export interface VirtualClockOptions {
  /** Start time in epoch ms (default 2026-01-01T00:00:00Z). */
  start?: number;
  /**
   * Awaited after every timer that fires, so work the timer started can finish before time moves on.
   * The default lets promise chains settle (a few macrotask turns); pass something stronger (e.g. a
   * service's `idle()`) when timers start real I/O.
   */
  settle?: () => Promise<void>;
}

const settleTurns = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/**
 * A clock that only moves when told to; due timers run in time order, one at a time. `time` is the
 * monotonic time; the wall clock is it plus an offset that `setWallClock` changes.
 */
export class VirtualClock implements Clock {
  private time: number;
  private wallOffset = 0;
  private seq = 0;
  private readonly timers = new Map<number, VirtualTimer>();
  private readonly settle: () => Promise<void>;

  constructor(opts: VirtualClockOptions = {}) {
    this.time = opts.start ?? Date.UTC(2026, 0, 1);
    this.settle = opts.settle ?? settleTurns;
  }

  now(): number {
    return this.time + this.wallOffset;
  }

  monotonic(): number {
    return this.time;
  }

  /** Sets the wall clock, as a user or NTP would; monotonic time and pending timers are unaffected. */
  setWallClock(epochMs: number): void {
    this.wallOffset = epochMs - this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.time + Math.max(0, ms), seq, fn });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Number of timers waiting to fire. */
  pending(): number {
    return this.timers.size;
  }

  /** When (monotonic) the next timer fires, or undefined when none is set. */
  nextDueAt(): number | undefined {
    return this.next()?.at;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.time + Math.max(0, ms));
  }

  async advanceTo(target: number): Promise<void> {
    await this.settle();
    for (;;) {
      const timer = this.next();
      if (!timer || timer.at > target) break;
      this.timers.delete(timer.seq);
      this.time = Math.max(this.time, timer.at);
      timer.fn();
      await this.settle();
    }
    this.time = Math.max(this.time, target);
  }

  /**
   * Fires timers until `done()` holds or virtual time passes `limitMs` from now. Returns whether `done()`
   * became true. Nothing ever waits on the wall clock.
   */
  async runUntil(done: () => boolean, limitMs: number): Promise<boolean> {
    const limit = this.time + limitMs;
    await this.settle();
    while (!done()) {
      const timer = this.next();
      if (!timer || timer.at > limit) return done();
      await this.advanceTo(timer.at);
    }
    return true;
  }

  private next(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
