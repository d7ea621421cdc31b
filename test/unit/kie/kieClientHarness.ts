import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { KieError } from '../../../src/core/kie/errors';
import { KieClient, type KieClientOptions } from '../../../src/core/kie/kieClient';
import type { Simulator } from '../../../src/simulator/server';
import type { RequestLogEntry } from '../../../src/core/types';

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

/** Awaits `p` and returns the KieError it rejected with; fails the test on anything else. */
export async function kieError(p: Promise<unknown>): Promise<KieError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof KieError, `expected a KieError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a KieError');
}

/** A loopback port nothing listens on (a refused connection). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
