import type { Clock } from './clock';

/**
 * Which window works on a task. Each window stamps the tasks it owns with a wall-clock heartbeat (the
 * only time all windows share); a task whose heartbeat is old is taken over by another window.
 */

/**
 * A heartbeat is stale when it is older than `staleMs`, or further than `staleMs` in the future: the
 * clock was set back since it was written, and a live owner would have beaten again since under the
 * new time. Without the second rule a clock set back an hour would keep a dead window's tasks for an hour.
 */
export function isStaleHeartbeat(heartbeatAt: number, now: number, staleMs: number): boolean {
  return Math.abs(now - heartbeatAt) > staleMs;
}

/** This window's beat: `beat` runs every `intervalMs` (monotonic) from `start()` until `stop()`. */
export class Heartbeat {
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly beat: () => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts beating if not already; a stopped heartbeat stays stopped. */
  start(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.beat();
      this.start();
    }, this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
