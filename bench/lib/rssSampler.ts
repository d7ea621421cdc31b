/**
 * Samples this process's resident set size on a timer. The baseline is taken when the sampler starts,
 * so `peakGrowth` is what the measured work added on top of whatever was already loaded.
 */
export class RssSampler {
  readonly baseline: number;
  private peak: number;
  private readonly arrayBuffersBaseline: number;
  private arrayBuffersPeak: number;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 10) {
    this.baseline = process.memoryUsage.rss();
    this.peak = this.baseline;
    this.arrayBuffersBaseline = process.memoryUsage().arrayBuffers;
    this.arrayBuffersPeak = this.arrayBuffersBaseline;
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    const ab = process.memoryUsage().arrayBuffers;
    if (ab > this.arrayBuffersPeak) this.arrayBuffersPeak = ab;
  }

  /** Peak growth of memory held by ArrayBuffers (Buffers), live or dead-but-not-yet-collected. */
  get arrayBuffersGrowth(): number {
    return this.arrayBuffersPeak - this.arrayBuffersBaseline;
  }

  /** Stops sampling; returns the peak growth over the baseline in bytes. */
  stop(): number {
    this.sample();
    clearInterval(this.timer);
    return this.peak - this.baseline;
  }
}
