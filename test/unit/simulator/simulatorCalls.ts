import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/simulator/server';

export interface Envelope<T = Record<string, unknown>> {
  code: number;
  msg?: string;
  message?: string;
  data: T;
}

export interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** A simulator on a fake clock, and JSON calls to it with its key, for the tests of one behaviour. */
export class SimulatorCalls {
  sim!: Simulator;
  clock = 1_765_184_045_509;

  async start(opts: SimulatorOptions = {}): Promise<Simulator> {
    await this.sim?.close();
    this.sim = await startSimulator({ now: () => this.clock, defaultDurationMs: 1000, ...opts });
    return this.sim;
  }

  async call<T = Record<string, unknown>>(path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<Reply<Envelope<T>>> {
    const headers: Record<string, string> = { 'User-Agent': 'sora-video-tests/1', Authorization: `Bearer ${init.key ?? this.sim.apiKey}` };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${this.sim.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Envelope<T> };
  }

  /** Creates a task on the path its body belongs to; answers the envelope. */
  create(body: Record<string, unknown>): Promise<Reply<Envelope<{ taskId: string; recordId?: string }>>> {
    const path = 'input' in body ? '/api/v1/jobs/createTask' : '/api/v1/veo/generate';
    return this.call<{ taskId: string; recordId?: string }>(path, { body });
  }
}
