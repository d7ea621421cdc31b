import { Session, type Profiler } from 'node:inspector';

/** A CPU profile of this process, summarised as inclusive time per project function (for attribution). */
export class CpuProfile {
  private readonly session = new Session();

  private post<T>(method: string, params?: object): Promise<T> {
    return new Promise((resolve, reject) => this.session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
  }

  async start(): Promise<void> {
    this.session.connect();
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: 500 });
    await this.post('Profiler.start');
  }

  /** Stops; returns the `top` functions under `/src/` by inclusive time, as "file:function ms". */
  async stop(top = 8): Promise<string[]> {
    const { profile } = await this.post<{ profile: Profiler.Profile }>('Profiler.stop');
    this.session.disconnect();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const inclusive = new Map<string, number>();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const seen = new Set<string>();
      for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
        const f = byId.get(id)?.callFrame;
        const m = f ? /\/src\/(.+)\.js$/.exec(f.url) : null;
        if (!f || !m) continue;
        const key = `${m[1]}.ts:${f.functionName || '(anonymous)'}`;
        if (seen.has(key)) continue;
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + (deltas[i] ?? 0));
      }
    }
    return [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${k} ${(us / 1000).toFixed(0)} ms`);
  }
}
