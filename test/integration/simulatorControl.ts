import type { ForcedError, RecordedRequest, TaskScript } from '../../src/simulator/server';

/**
 * The simulator the launcher started (scripts/lib/simulatorHost.mjs), scripted from inside the
 * extension host over its loopback control endpoint. Method names and arguments are the Simulator's.
 */
export class SimulatorControl {
  private constructor(
    readonly url: string,
    private readonly controlUrl: string,
  ) {}

  static fromEnvironment(): SimulatorControl {
    const url = process.env.SORA_SIM_URL;
    const control = process.env.SORA_SIM_CONTROL;
    if (!url || !control) throw new Error('SORA_SIM_URL / SORA_SIM_CONTROL are not set: run the suite through scripts/run-integration.mjs');
    return new SimulatorControl(url, control);
  }

  count(pathSuffix: string): Promise<number> {
    return this.call('count', pathSuffix);
  }

  requests(): Promise<RecordedRequest[]> {
    return this.call('requests');
  }

  scriptNextTasks(script: TaskScript, n?: number): Promise<void> {
    return this.call('scriptNextTasks', script, n);
  }

  failNext(pathSuffix: string, error: ForcedError, times?: number): Promise<void> {
    return this.call('failNext', pathSuffix, error, times);
  }

  setCredits(n: number): Promise<void> {
    return this.call('setCredits', n);
  }

  task(taskId: string): Promise<{ state: string; resultUrls: string[] } | null> {
    return this.call('task', taskId);
  }

  reset(): Promise<void> {
    return this.call('reset');
  }

  private async call<T>(method: string, ...args: unknown[]): Promise<T> {
    // JSON turns an omitted optional argument into null, which defeats the method's default value.
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    const res = await fetch(this.controlUrl, { method: 'POST', body: JSON.stringify({ method, args }) });
    const body = (await res.json()) as { result?: T; error?: string };
    if (!res.ok) throw new Error(`simulator ${method}: ${body.error ?? res.status}`);
    return body.result as T;
  }
}
