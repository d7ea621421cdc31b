/**
 * Kie's four discovery endpoints share one request a second per account, and a call over it is dropped
 * (429), not queued. Every discovery call of this process goes through one budget that starts calls at
 * least `gapMs` apart, one at a time, and backs off after a refusal.
 */
export class DiscoveryBudget {
  private chain: Promise<unknown> = Promise.resolve();
  private nextAt = 0;

  constructor(
    // Kie counts arrivals, and a call that arrived 999 ms after the previous one was refused: a margin.
    private readonly gapMs = 1150,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  run<T>(call: () => Promise<T>): Promise<T> {
    const turn = this.chain.then(async () => {
      const wait = this.nextAt - this.now();
      if (wait > 0) await this.sleep(wait);
      this.nextAt = this.now() + this.gapMs;
      try {
        return await call();
      } catch (e) {
        if ((e as { kind?: string }).kind === 'rateLimited') this.nextAt = this.now() + 3 * this.gapMs;
        throw e;
      }
    });
    this.chain = turn.catch(() => undefined);
    return turn;
  }
}
