import { KieClient, type KieClientOptions } from '../../src/core/kieClient';
import type { Simulator } from '../../src/core/simulator/server';
import type { RequestLogEntry } from '../../src/core/types';

/** A client wired to the simulator, recording the waits it asks for instead of sleeping. */
export interface Harness {
  client: KieClient;
  sleeps: number[];
  logs: RequestLogEntry[];
}

export function clientFor(sim: Simulator, opened: KieClient[], over: Partial<KieClientOptions> = {}): Harness {
  const sleeps: number[] = [];
  const logs: RequestLogEntry[] = [];
  const client = new KieClient({
    apiBaseUrl: sim.url,
    uploadBaseUrl: sim.uploadUrl,
    imgbbBaseUrl: sim.imgbbUrl,
    apiKey: sim.apiKey,
    imgbbKey: sim.imgbbKey,
    env: {},
    requestTimeoutMs: 2000,
    logger: (e) => logs.push(e),
    ...over,
    retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, sleep: async (ms) => void sleeps.push(ms), ...over.retry },
  });
  opened.push(client);
  return { client, sleeps, logs };
}
