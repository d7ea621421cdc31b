/**
 * A sliding-window limiter per key (API key or account). Refused calls do not count, as on Kie: a
 * client that backs off for Retry-After seconds gets through.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    public limit: number | null,
    readonly windowMs: number,
  ) {}

  /** Records a hit and answers undefined, or refuses and answers how many seconds to wait. */
  take(key: string, now: number): number | undefined {
    if (this.limit === null) return undefined;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    return undefined;
  }

  clear(): void {
    this.hits.clear();
  }
}
